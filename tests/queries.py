"""Counting the SQL statements a block of code sends: for tests that pin a query count."""
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from kinerja.extensions import db


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """The SQL statements the app sends inside the block, in order: for tests that pin how many
    queries a page or a request makes."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)

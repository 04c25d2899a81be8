"""Column types shared by every area's models."""
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from kinerja.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores UTC on every backend and always hands back an aware datetime.

    SQLite has no time zones and PostgreSQL converts to the session zone; storing naive UTC
    and re-attaching UTC on the way out makes both behave the same.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def enum_column(cls, name: str | None = None):
    """A string column holding an enum's values, with a CHECK constraint. `name` names the
    constraint when a table has two columns of the same enum (PostgreSQL wants unique names)."""
    length = max(20, *(len(member.value) for member in cls))
    return db.Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e],
                   validate_strings=True, create_constraint=True,
                   **({"name": name} if name else {}))

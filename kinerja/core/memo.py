"""Answers that stay the same while nothing is written: kept for the rest of the transaction.

A portal page asks the same small questions many times: the navigation, the view's access check
and the service each ask whether the reader heads a unit, which period is open, and so on; at
one round trip each, those repeats were a third of a light page's queries. `per_transaction`
keeps such an answer in the session (`Session.info`), so it lives no longer than the request's
session, and forgets everything as soon as the session writes (a flush, an ORM
INSERT/UPDATE/DELETE statement), commits or rolls back: a page that changes a unit's head and
then draws the navigation sees the new head, like an uncached read would.

Use it only for reads whose answer depends on the arguments' ids and the database, and that
return plain values or objects of the session (never something the caller mutates).
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from kinerja.extensions import db

T = TypeVar("T")
_KEY = "kinerja_memo"


def per_transaction(key: Callable[..., Hashable] | None = None):
    """Decorator: the function's answer kept per session until it writes, commits or rolls back.
    `key` maps the call's arguments to what the answer depends on (by default the arguments
    themselves, which must then be hashable: pass ids, or a key taking `.id`; a key of None
    means "do not keep this one")."""
    def decorate(function: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(function)
        def cached(*args, **kwargs):
            depends_on = key(*args, **kwargs) if key else (args, tuple(sorted(kwargs.items())))
            if depends_on is None:  # e.g. an object not yet saved: nothing to key it by
                return function(*args, **kwargs)
            session = db.session()
            if session.autoflush and not session._is_clean():
                # The uncached read would flush pending changes first and see them: so do we
                # (the flush forgets what was kept).
                session.flush()
            memo = session.info.setdefault(_KEY, {})
            name = (function, depends_on)
            if name not in memo:
                memo[name] = function(*args, **kwargs)
            return memo[name]
        cached.uncached = function
        return cached
    return decorate


def forget(session: Session, *_args) -> None:
    session.info.pop(_KEY, None)


# Every Session (the app's, the tests', a CLI's): any write or transaction end forgets.
for _name in ("after_flush", "after_commit", "after_soft_rollback"):
    event.listen(Session, _name, forget)


@event.listens_for(Session, "do_orm_execute")
def _forget_on_write(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        forget(state.session)

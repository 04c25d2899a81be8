"""Checks of what the app needs around it, in words: /readyz runs the quick ones on every probe,
`flask doctor` runs them all before a start (kinerja/doctor.py)."""
from dataclasses import dataclass
from pathlib import Path

import redis
import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from kinerja.config import PROJECT_ROOT
from kinerja.extensions import db


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    # A warning is worth reading but does not stop a start (mail not configured, say).
    warning: bool = False


def _short(error: Exception) -> str:
    # The first line only: driver messages go on with SQL and parameters.
    return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error) else ''}"


def migration_heads() -> set[str]:
    return set(ScriptDirectory(str(Path(PROJECT_ROOT) / "migrations")).get_heads())


def database() -> Check:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure is the answer
        db.session.rollback()
        return Check("database", False, _short(error))
    return Check("database", True, db.engine.url.render_as_string(hide_password=True))


def migrations(app: Flask) -> Check:
    heads = app.extensions.get("kinerja_migration_heads")
    if heads is None:  # read from disk once per process
        heads = app.extensions["kinerja_migration_heads"] = migration_heads()
    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:  # noqa: BLE001
        return Check("migrations", False, _short(error))
    if current != heads:
        return Check("migrations", False,
                     f"database at {', '.join(sorted(current)) or 'no revision'}, code at "
                     f"{', '.join(sorted(heads))}: run `flask --app wsgi init` (after a "
                     "backup: `flask --app wsgi backup`)")
    return Check("migrations", True, ", ".join(sorted(current)))


def redis_store(app: Flask) -> Check:
    url = app.config.get("REDIS_URL")
    if not url:
        return Check("redis", True, "not configured: limits kept in each process's memory",
                     warning=app.config.get("ENV") == "production")
    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
        client.close()
    except redis.RedisError as error:
        return Check("redis", False, _short(error))
    return Check("redis", True, "answers")


def readiness(app: Flask) -> list[Check]:
    return [database(), migrations(app), redis_store(app)]

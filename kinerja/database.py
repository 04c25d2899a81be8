"""How the app's connection pool makes sure a connection is alive before handing it out.

SQLAlchemy's `pool_pre_ping` asks the database on every checkout: one round trip more for every
request, a sixth of a kiosk submit's waiting. A connection used again within a second is as
alive as a ping would show (a database that restarts is away for longer than that, and the
requests in between fail whether they ping or not), so it is pinged only after sitting idle
(DATABASE_PING_AFTER_IDLE_SECONDS). A dead one is replaced before the request sees it: the pool
gets a DisconnectionError and connects again (the recipe of SQLAlchemy's pooling guide).
What this gives up: a connection killed alone within a second of its last use (an administrator's
pg_terminate_backend, a proxy restarting) fails one request instead of being replaced.
"""
import time

from sqlalchemy import Engine, event, exc


def ping_after_idle(engine: Engine, idle_seconds: float) -> None:
    @event.listens_for(engine, "checkin")
    def remember_when_idle(dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection, record, proxy):
        idle_since = record.info.get("idle_since")  # None: connected just now
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(str(error)) from error

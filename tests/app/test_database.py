"""The pool hands out live connections: a connection that sat idle is pinged and, if dead,
replaced before the request uses it; one used again at once is not pinged (kinerja/database.py)."""
import pytest
import sqlalchemy as sa

from kinerja import database
from kinerja.extensions import db


@pytest.fixture
def engine(app):
    """A small engine of its own on the app's database, with the app's liveness check."""
    def make(idle_seconds):
        engine = sa.create_engine(db.engine.url, poolclass=sa.pool.QueuePool, pool_size=1,
                                  max_overflow=0)
        database.ping_after_idle(engine, idle_seconds)
        made.append(engine)
        return engine
    made = []
    yield make
    for each in made:
        each.dispose()


def _pings(engine, monkeypatch) -> list:
    pings = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping",
                        lambda connection: pings.append(1) or real_ping(connection))
    return pings


def _kill_pooled_connection(engine) -> None:
    """Close the pooled connection's socket under the pool, as a database restart would."""
    with engine.connect() as connection:
        pooled = connection.connection.dbapi_connection
    pooled.close()  # back in the pool, closed there


def test_a_dead_connection_that_sat_idle_is_replaced_before_use(engine, monkeypatch):
    idle_engine = engine(0)  # every reuse counts as idle
    pings = _pings(idle_engine, monkeypatch)
    _kill_pooled_connection(idle_engine)

    with idle_engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT 1")) == 1
    assert pings == [1]  # the dead one failed its ping; the new connection was not pinged


def test_a_connection_used_again_at_once_is_not_pinged(engine, monkeypatch):
    busy_engine = engine(60)
    pings = _pings(busy_engine, monkeypatch)
    for _ in range(3):
        with busy_engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT 1")) == 1
    assert pings == []


def test_the_app_engine_checks_connections_idle_for_a_second(app):
    assert app.config["DATABASE_PING_AFTER_IDLE_SECONDS"] == 1
    assert any(listener.__name__ == "ping_if_idle" for listener in db.engine.pool.dispatch.checkout)

"""Fixtures: an app on SQLite (and on PostgreSQL when TEST_DATABASE_URL is set), a client,
a small organisation with one login per role, and an `auth` helper to log in and out.

The schema comes from the migrations, run once per database; every test then starts with
empty tables, so tests never depend on each other or on what the database held before.
"""
import contextvars
import os
import secrets
import shutil
import sqlite3
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
import time_machine
from flask.testing import FlaskClient
from flask_migrate import upgrade

from kinerja import create_app
from kinerja.extensions import db, limiter
from kinerja.organisation import identity
from tests import builders

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
# Flask-Limiter keeps the first app's prefix for its one global Limiter, so set it per run.
RUN_KEY_PREFIX = f"kinerja-test-{secrets.token_hex(6)}"
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])


@sa.event.listens_for(sa.engine.Engine, "connect")
def _no_fsync_for_test_files(dbapi_connection, record):
    # A test's SQLite file need not survive a power cut: without waiting for the disk at each of
    # the suite's many thousand commits, each costs microseconds instead of ~20 ms.
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = OFF")



def base_config(instance_path, database_uri) -> dict:
    return {
        "ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "INSTANCE_PATH": str(instance_path),
        "WTF_CSRF_ENABLED": False,
        # A cheap hash keeps the suite fast; production uses scrypt (see kinerja.config).
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Rate-limit counters may live in Redis (REDIS_URL): keep this run's apart.
        "RATELIMIT_KEY_PREFIX": RUN_KEY_PREFIX,
    }


def postgres_url(schema: str) -> str:
    url = sa.engine.make_url(TEST_DATABASE_URL).set(drivername="postgresql+psycopg")
    return url.update_query_dict({"options": f"-csearch_path={schema}"}) \
        .render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=BACKENDS)
def database_uri(request, tmp_path_factory):
    """A migrated, empty database for the whole session: a file for SQLite, a private schema
    for PostgreSQL (dropped at the end, so a shared server is left as we found it)."""
    if request.param == "sqlite":
        uri = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        schema = None
    else:
        schema = f"kinerja_test_{secrets.token_hex(4)}"
        admin = sa.create_engine(sa.engine.make_url(TEST_DATABASE_URL)
                                 .set(drivername="postgresql+psycopg"))
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        uri = postgres_url(schema)
    app = create_app(base_config(tmp_path_factory.mktemp("instance"), uri))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield uri
    if schema:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _empty_tables() -> None:
    # units.head_id and employees.unit_id point at each other: cut that loop first.
    db.session.execute(sa.text("UPDATE units SET head_id = NULL"))
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


class RequestIsolatingClient(FlaskClient):
    """Each request runs as it would in production: in its own app context, with its own `g`
    and database session, not inside the test's (where Flask would otherwise reuse it, and a
    user loaded for one client could leak into the next client's request)."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def shared_app(database_uri, tmp_path_factory):
    """One app per backend for the whole run: building the URL map and the Jinja environment
    again for every test cost a third of the suite. `app` gives each test a fresh instance
    folder and puts back the config and extensions the test changed."""
    app = create_app(base_config(tmp_path_factory.mktemp("instance"), database_uri))
    app.test_client_class = RequestIsolatingClient
    return app


@pytest.fixture
def app(shared_app, tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    config, extensions = dict(shared_app.config), dict(shared_app.extensions)
    shared_app.config["INSTANCE_PATH"] = shared_app.instance_path = str(instance)
    with shared_app.app_context():
        # The kabupaten's identity is read once per process and cached (every page shows it):
        # read it now, so that a test counting a page's queries counts the page's own.
        identity.current()
        yield shared_app
        # Counters start from zero in every test. With REDIS_URL this clears the limits kept in
        # that Redis database, which is why .ci/run gives the suite a database of its own.
        limiter.reset()
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()
    shared_app.config.clear()
    shared_app.config.update(config)
    shared_app.instance_path = config["INSTANCE_PATH"]
    shared_app.extensions.clear()
    shared_app.extensions.update(extensions)
    shutil.rmtree(instance, ignore_errors=True)


@pytest.fixture
def client(app):
    return app.test_client()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, identifier, password=builders.PASSWORD, **kwargs):
        return self._client.post("/masuk", data={"identifier": identifier, "password": password},
                                 **kwargs)

    def logout(self):
        return self._client.post("/keluar")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@dataclass
class Organisation:
    """Dinas with a head; a section inside it with a supervisor and two staff; a second dinas
    with its own staff member; an HR officer and an admin."""
    dinas: object
    section: object
    other_dinas: object
    head: object
    supervisor: object
    employee: object
    teammate: object
    outsider: object
    hr: object
    admin: object


@pytest.fixture
def org(app) -> Organisation:
    make_unit, make_employee, make_user = builders.make_unit, builders.make_employee, builders.make_user
    dinas = make_unit("Dinas Kependudukan dan Pencatatan Sipil")
    section = make_unit("Bidang Pelayanan", parent=dinas)
    other = make_unit("Dinas Kesehatan")
    head = make_employee("Hj. Siti Rahmawati", unit=dinas, position="Kepala Dinas")
    dinas.head = head
    section_head = make_employee("Budi Santoso", unit=section, supervisor=head,
                                 position="Kepala Bidang")
    section.head = section_head
    employee = make_employee("Ani Lestari", unit=section, supervisor=section_head)
    teammate = make_employee("Rudi Hartono", unit=section, supervisor=section_head)
    outsider = make_employee("Dewi Kartika", unit=other)
    hr_employee = make_employee("Yusuf Hidayat", unit=other)
    admin_employee = make_employee("Agus Prasetyo", unit=other)
    builders.db.session.commit()
    return Organisation(
        dinas=dinas, section=section, other_dinas=other,
        head=make_user(head, username="kepala"),
        supervisor=make_user(section_head, username="atasan"),
        employee=make_user(employee, username="pegawai"),
        teammate=make_user(teammate, username="rekan"),
        outsider=make_user(outsider, username="luar"),
        hr=make_user(hr_employee, username="sdm", hr=True),
        admin=make_user(admin_employee, username="admin", admin=True),
    )


ROLES = ("employee", "supervisor", "head", "hr", "admin")


@pytest.fixture
def frozen_clock(request):
    """The clock held at the test module's NOW (time-machine, not ticking): a module that
    works on one moment sets NOW and asks for this fixture (or uses it for every test)."""
    with time_machine.travel(request.module.NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def period(app):
    """The open 2026 performance year."""
    return builders.make_period(2026)


@pytest.fixture
def login_as(app, org):
    """login_as("hr") -> a test client logged in as that member of `org`."""
    def _login(role: str):
        client = app.test_client()
        response = AuthActions(client).login(getattr(org, role).username)
        assert response.status_code == 302, response.text
        return client
    return _login


# ---------------------------------------------------------------- browser tests


def pytest_collection_modifyitems(items):
    # A real browser against a thread-served app: a rare race between an htmx swap and the
    # test's wait has been seen once in several full runs and not pinned down yet. One rerun
    # (pytest-rerunfailures reports it as RERUN in the output, so it stays visible).
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.flaky(reruns=1))

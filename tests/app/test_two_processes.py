"""Two app processes sharing one PostgreSQL and one Redis, as behind a load balancer: the
login throttle counts across both, and a kiosk rating sent to both is stored once.

Two real servers (werkzeug, each in its own OS process) on their own ports, over a private
PostgreSQL schema (migrated here) and Redis database 15 with a key prefix of this run's own.
Skipped unless TEST_DATABASE_URL and REDIS_URL are set (.ci/run sets both).
"""
import json
import os
import secrets
import subprocess  # noqa: S404 - starts the two app servers of this test
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from kinerja import create_app
from kinerja.extensions import db
from kinerja.feedback.models import Rating
from tests import builders
from tests.conftest import base_config, postgres_url

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
REDIS_URL = os.environ.get("REDIS_URL")
pytestmark = pytest.mark.skipif(not (TEST_DATABASE_URL and REDIS_URL),
                                reason="needs TEST_DATABASE_URL (PostgreSQL) and REDIS_URL")
PROJECT = Path(__file__).resolve().parents[2]
LOGIN_LIMIT = 4
SERVER = """
import json, sys
from werkzeug.serving import make_server
from kinerja import create_app
app = create_app(json.loads(sys.argv[1]))
server = make_server("127.0.0.1", 0, app, threaded=True)
print(server.port, flush=True)
server.serve_forever()
"""


def _redis_db15(url: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path="/15").geturl()


def _request(port, path, *, data=None, json_body=None, headers=None):
    """(status, body) of one request; urllib raises on 4xx, which is an answer here."""
    headers = dict(headers or {})
    body = None
    if json_body is not None:
        body = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    elif data is not None:
        body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, headers=headers,
                                     method="POST")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Two servers over one migrated schema and one Redis database; yields their ports, the
    kiosk's device token and an app for looking at the database."""
    run = secrets.token_hex(4)
    schema = f"kinerja_two_{run}"
    admin = sa.create_engine(sa.engine.make_url(TEST_DATABASE_URL).set(drivername="postgresql+psycopg"))
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    uri = postgres_url(schema)
    redis_url = _redis_db15(REDIS_URL)
    prefix = f"kinerja-two-processes-{run}"
    processes = []
    app = create_app(base_config(tmp_path_factory.mktemp("instance"), uri))
    try:
        with app.app_context():
            upgrade()
            unit = builders.make_unit("Dinas Kependudukan dan Pencatatan Sipil")
            employee = builders.make_employee("Ani Lestari", unit=unit)
            db.session.commit()
            builders.make_user(employee, username="pegawai")
            _, token = builders.make_kiosk(builders.make_counter(unit, code="DUK-01"))
            db.session.commit()
        config = {**base_config(tmp_path_factory.mktemp("instance"), uri),
                  "REDIS_URL": redis_url, "RATELIMIT_STORAGE_URI": redis_url,
                  "RATELIMIT_KEY_PREFIX": prefix,
                  "LOGIN_LIMIT_PER_ACCOUNT": f"{LOGIN_LIMIT} per minute",
                  "LOCKOUT_THRESHOLD": 100, "KIOSK_COOLDOWN_SECONDS": 0}
        ports = []
        for n in range(2):
            log = open(tmp_path_factory.mktemp("log") / f"server{n}.log", "w")  # noqa: SIM115
            process = subprocess.Popen(  # noqa: S603 - this interpreter, our own server script
                [sys.executable, "-c", SERVER, json.dumps(config)], cwd=PROJECT,
                env={**os.environ, "PYTHONPATH": str(PROJECT)},
                stdout=subprocess.PIPE, stderr=log, text=True)
            processes.append(process)
            ports.append(int(process.stdout.readline()))
        assert ports[0] != ports[1] and processes[0].pid != processes[1].pid
        yield ports, token, app
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
        import redis
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
        client.close()
        with app.app_context():
            db.engine.dispose()
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_the_login_throttle_counts_across_both_processes(servers):
    ports, _, _ = servers
    wrong = {"identifier": "pegawai", "password": "salah-sandi-12345"}
    answers = [_request(ports[n % 2], "/masuk", data=wrong)[0] for n in range(LOGIN_LIMIT)]
    # Each process saw only half of the attempts: a per-process counter would still let them in.
    assert answers == [401] * LOGIN_LIMIT
    status, text = _request(ports[0], "/masuk", data=wrong)
    assert status == 429
    assert "Terlalu banyak" in text
    # The other process refuses too, even the right password: the account's counter is shared.
    assert _request(ports[1], "/masuk", data={**wrong, "password": builders.PASSWORD})[0] == 429


def _rating(minutes_ago: float) -> dict:
    return builders.rating_item(datetime.now(UTC) - timedelta(minutes=minutes_ago), 4)


def _stored(app, client_id) -> int:
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count(Rating.id))
                                  .where(Rating.client_id == uuid.UUID(client_id)))
        db.session.remove()
    return count


def test_a_kiosk_rating_sent_to_both_processes_is_stored_once(servers):
    ports, token, app = servers
    headers = {"Authorization": f"Bearer {token}"}
    item = _rating(2)
    answers = [json.loads(_request(port, "/kiosk/api/ratings", json_body={"ratings": [item]},
                                   headers=headers)[1])["results"][0]["status"] for port in ports]
    assert answers == ["accepted", "duplicate"]
    assert _stored(app, item["client_id"]) == 1


def test_the_same_rating_sent_to_both_at_once_is_stored_once(servers):
    ports, token, app = servers
    headers = {"Authorization": f"Bearer {token}"}
    item = _rating(1)
    statuses, barrier = [], threading.Barrier(2)

    def send(port):
        barrier.wait()
        status, text = _request(port, "/kiosk/api/ratings", json_body={"ratings": [item]},
                                headers=headers)
        statuses.append((status, json.loads(text)["results"][0]["status"]))

    threads = [threading.Thread(target=send, args=(port,)) for port in ports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [(200, "accepted"), (200, "duplicate")]
    assert _stored(app, item["client_id"]) == 1

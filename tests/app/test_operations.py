"""What the people running Kinerja watch: /metrics for Prometheus, /readyz, one JSON log line
per request, and no personal data or secret in any log line."""
import io
import json
import logging
from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kinerja.config import networks
from kinerja.core.types import utcnow
from kinerja.extensions import db
from tests import builders
from tests.builders import make_counter, make_kiosk, rating_item
from web import observability

OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}


def metric_values(text: str) -> dict:
    """{(name, (label, value), ...): number} from an exposition."""
    return {(sample.name, *sorted(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def scrape(client, **kwargs) -> dict:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.text
    return metric_values(response.text)


def submit(client, token, items):
    return client.post("/kiosk/api/ratings", json={"ratings": items},
                       headers={"Authorization": f"Bearer {token}"})


# ---------------------------------------------------------------- /metrics


def test_metrics_are_read_from_loopback_only_by_default(client):
    assert client.get("/metrics").status_code == 200  # the test client comes from 127.0.0.1
    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 404


def test_metrics_from_elsewhere_need_the_token(app, client):
    app.config["METRICS_TOKEN"] = "s3cret-scrape-token-for-prometheus"
    assert client.get("/metrics", environ_base=OUTSIDE,
                      headers={"Authorization": "Bearer wrong"}).status_code == 404
    response = client.get("/metrics", environ_base=OUTSIDE,
                          headers={"Authorization": "Bearer s3cret-scrape-token-for-prometheus"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_allowed_networks_are_configurable(app, client):
    app.config["METRICS_ALLOW_FROM"] = networks("203.0.113.0/24")
    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 200
    assert client.get("/metrics").status_code == 404  # loopback is no longer listed


def test_requests_are_counted_and_timed_per_endpoint_group(client):
    before = scrape(client)
    client.get("/healthz")
    client.get("/masuk")
    after = scrape(client)
    key = ("kinerja_http_requests_total", ("group", "portal"), ("method", "GET"), ("status", "200"))
    assert after[key] - before.get(key, 0) == 1
    count = ("kinerja_http_request_duration_seconds_count", ("group", "healthz"))
    assert after[count] - before.get(count, 0) == 1


def test_kiosk_ratings_are_counted_by_outcome(app, client, org):
    _, token = make_kiosk(make_counter(org.section))
    before = scrape(client)
    item = rating_item(utcnow())
    submit(client, token, [item])
    submit(client, token, [item])  # sent again after a lost answer: a duplicate
    submit(client, token, [{"client_id": "x"}])  # no score: rejected
    after = scrape(client)
    for outcome in ("accepted", "duplicate", "rejected"):
        key = ("kinerja_kiosk_ratings_total", ("channel", "tablet"), ("outcome", outcome))
        assert after[key] - before.get(key, 0) == 1, outcome


def test_tablets_not_heard_from_for_an_hour_are_counted(app, client, org):
    counter = make_counter(org.section)
    quiet, _ = make_kiosk(counter, "Tablet sepi")
    make_kiosk(counter, "Tablet aktif")[0].last_seen_at = utcnow()
    quiet.last_seen_at = utcnow() - timedelta(hours=2)
    revoked, _ = make_kiosk(counter, "Tablet dicabut")
    revoked.revoked_at = utcnow()
    db.session.commit()
    values = scrape(client)
    assert values[("kinerja_kiosks_paired",)] == 2
    assert values[("kinerja_kiosks_unseen",)] == 1


def test_background_jobs_are_counted_by_status(client):
    values = scrape(client)
    assert {("kinerja_jobs", ("status", status))
            for status in ("queued", "running", "done", "failed")} <= values.keys()


def test_the_siasn_outbox_is_counted_by_status(client, org):
    from kinerja.integration.models import OutboxStatus, SiasnOutbox
    evaluation = builders.make_evaluation(builders.make_skp(org.employee.employee, builders.make_period()),
                                          result="sesuai", behaviour="sesuai")
    db.session.add(SiasnOutbox(evaluation_id=evaluation.id, result_digest="a",
                               status=OutboxStatus.REFUSED))
    db.session.commit()
    values = scrape(client)
    assert values[("kinerja_siasn_outbox", ("status", "ditolak"))] == 1
    assert values[("kinerja_siasn_outbox", ("status", "menunggu"))] == 0


# ---------------------------------------------------------------- /readyz


def test_ready_when_the_database_is_migrated(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ready"
    assert set(response.json["checks"]) == {"database", "migrations", "redis"}


def test_not_ready_when_redis_does_not_answer(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "not ready"
    assert "ConnectionError" in response.json["checks"]["redis"]


def test_healthz_stays_without_the_database(app, client, monkeypatch):
    monkeypatch.setattr(db.session, "execute", lambda *a, **k: pytest.fail("no database"))
    assert client.get("/healthz").status_code == 200


# ---------------------------------------------------------------- logs


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "kinerja.requests"]


def test_one_line_per_request_with_its_id_route_user_status_and_duration(client, auth, org,
                                                                      caplog):
    auth.login("pegawai")
    employee_id = org.employee.employee.id
    with caplog.at_level(logging.INFO, logger="kinerja.requests"):
        response = client.get(f"/pegawai/{employee_id}/kinerja",
                              headers={"X-Request-ID": "abc-12345678"})
    (line,) = request_lines(caplog)
    assert response.headers["X-Request-ID"] == "abc-12345678"
    assert line.request_id == "abc-12345678"
    assert line.route == "/pegawai/<int:employee_id>/kinerja"  # the pattern, not the path
    assert line.user_id == org.employee.id
    assert line.status == response.status_code
    assert line.duration_ms >= 0


def test_a_request_without_a_usable_id_gets_one(client, caplog):
    with caplog.at_level(logging.INFO, logger="kinerja.requests"):
        response = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert response.headers["X-Request-ID"] != "<script>"
    assert len(response.headers["X-Request-ID"]) == 16
    assert request_lines(caplog)[0].request_id == response.headers["X-Request-ID"]


def test_production_logs_are_json_lines(app):
    stream = io.StringIO()
    app.config["LOG_FORMAT"] = "json"
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        observability.configure_logging(app, stream)
        with app.test_request_context():
            app.test_client().get("/healthz")
    finally:
        root.handlers, _ = saved
        root.setLevel(saved[1])
    fields = json.loads(stream.getvalue().splitlines()[-1])
    assert fields["message"] == "request"
    assert fields["logger"] == "kinerja.requests"
    assert fields["status"] == 200 and fields["route"] == "/healthz"
    assert {"time", "level", "request_id", "duration_ms"} <= fields.keys()


def test_no_personal_data_or_secret_reaches_the_logs(app, client, auth, org, caplog):
    """A morning's work with every logger at DEBUG: the NIPs and names the pages show, the
    passwords typed, the tablet's token and the API token appear in no log record."""
    _, device_token = make_kiosk(make_counter(org.section))
    _, api_token = builders.make_api_token(org.hr)
    employee = org.employee.employee
    wrong_password = "salah-" + builders.PASSWORD
    with caplog.at_level(logging.DEBUG):
        auth.login(employee.nip, password=wrong_password)
        auth.login("pegawai")
        for path in ("/", "/kinerja", "/harian", f"/pegawai/{employee.id}/kinerja"):
            client.get(path)
        auth.logout()
        auth.login("sdm")
        client.get(f"/pegawai/cari-nip?supervisor_nip={employee.nip}")
        client.get(f"/pegawai/{employee.id}")
        submit(client, device_token, [rating_item(utcnow(), staff_nip=employee.nip)])
        client.get("/api/v1/ikm", headers={"Authorization": f"Bearer {api_token}"})
    records = [record for record in caplog.records]
    assert any(record.name == "kinerja.requests" for record in records)
    logged = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in records)
    for user in (org.employee, org.supervisor, org.head, org.hr):
        assert user.employee.nip not in logged
        assert user.employee.name not in logged
    for secret in (builders.PASSWORD, wrong_password, device_token, api_token):
        assert secret not in logged

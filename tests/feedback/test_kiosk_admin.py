"""HR pairs kiosks from the portal or the command line, watches them and revokes them."""
import re

from kinerja.extensions import db
from kinerja.feedback.models import Kiosk
from tests.builders import make_counter, make_kiosk


def test_hr_registers_a_kiosk_and_the_tablet_pairs_with_the_code(app, login_as, org):
    counter = make_counter(org.dinas, code="DUK-01")
    page = login_as("hr").post(f"/loket/{counter.id}/kiosk", data={"name": "Tablet loket 1"})
    assert page.status_code == 200
    code = re.search(r"<code>(\d{4}) (\d{4})</code>", page.text)
    paired = app.test_client().post("/kiosk/api/pair", json={"code": code[1] + code[2]})
    assert paired.status_code == 200
    kiosk = db.session.scalar(db.select(Kiosk))
    assert kiosk.is_active and kiosk.pairing_code_hash is None


def test_the_kiosk_list_shows_last_contact_and_queue(login_as, org, client):
    counter = make_counter(org.dinas, code="DUK-01")
    kiosk, token = make_kiosk(counter, "Tablet A")
    client.post("/kiosk/api/ratings", headers={"Authorization": f"Bearer {token}"}, json={
        "ratings": [{"client_id": "7d0f3c52-4a2e-4a8e-9a51-0d7c1f7f1a11",
                     "taken_at": "2026-11-26T10:00:00+08:00", "score": 4}],
        "queued": 3, "version": "kiosk.js 1.0"})
    page = login_as("hr").get("/perangkat-kiosk")
    assert "Tablet A" in page.text and "kiosk.js 1.0" in page.text
    assert "WITA" in page.text


def test_revoking_a_kiosk_stops_its_token(login_as, org, client):
    kiosk, token = make_kiosk(make_counter(org.dinas))
    login_as("hr").post(f"/perangkat-kiosk/{kiosk.id}/cabut")
    response = client.get("/kiosk/api/config", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_cli_creates_a_kiosk_with_a_token(app, org, client):
    make_counter(org.dinas, code="DUK-02")
    result = app.test_cli_runner().invoke(args=["create-kiosk", "--counter", "duk-02",
                                                "--name", "Tablet 2"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    response = client.get("/kiosk/api/config", headers={"Authorization": f"Bearer {token}"})
    assert response.json["counter"]["code"] == "DUK-02"


def test_cli_refuses_an_unknown_counter(app):
    result = app.test_cli_runner().invoke(args=["create-kiosk", "--counter", "NOPE"])
    assert result.exit_code != 0

"""Two-factor login through the portal: the password, then a code; enrolment forced where it
is required; recovery codes; an admin's reset; the limits on wrong codes."""
import re
from datetime import UTC, datetime, timedelta

import pytest

from kinerja import create_app
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.organisation import two_factor
from tests.builders import make_user
from tests.conftest import AuthActions, base_config
from tests.organisation.builders import STEP, code_at, enrol

NOW = datetime(2026, 5, 4, 2, 0, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def required(app):
    """Two-factor login required of HR and admins, as in production."""
    app.config["TWO_FACTOR_REQUIRED"] = True


@pytest.fixture
def enrolled_hr(org, frozen_clock):
    """org.hr with two-factor login on, the clock moved past the step used to enrol."""
    secret, codes = enrol(org.hr)
    frozen_clock.shift(STEP)
    return secret, codes


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_an_enrolled_account_gives_its_password_then_a_code(client, auth, org, enrolled_hr):
    secret, _ = enrolled_hr
    response = auth.login("sdm")
    assert response.status_code == 302 and response.headers["Location"] == "/masuk/kode"
    assert client.get("/").status_code == 302  # not logged in yet
    page = client.get("/masuk/kode")
    assert page.status_code == 200 and 'name="code"' in page.text
    response = client.post("/masuk/kode", data={"code": code_at(secret)})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Yusuf Hidayat" in client.get("/").text


def test_the_page_asked_for_before_login_follows_the_code(client, org, enrolled_hr):
    secret, _ = enrolled_hr
    client.post("/masuk?next=/akun/sesi", data={"identifier": "sdm", "password": "sandi-rahasia-2026"})
    response = client.post("/masuk/kode", data={"code": code_at(secret)})
    assert response.headers["Location"] == "/akun/sesi"


def test_an_account_without_two_factor_logs_in_with_the_password(client, auth, org, required):
    response = auth.login("pegawai")
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_code_is_a_401_with_a_message(client, auth, org, enrolled_hr):
    secret, _ = enrolled_hr
    auth.login("sdm")
    response = client.post("/masuk/kode", data={"code": wrong(code_at(secret))})
    assert response.status_code == 401
    assert "Kode salah" in response.text
    assert client.get("/").status_code == 302
    assert client.post("/masuk/kode", data={"code": code_at(secret)}).status_code == 302


def test_an_empty_or_silly_code_is_a_4xx_not_a_500(client, auth, org, enrolled_hr):
    auth.login("sdm")
    assert client.post("/masuk/kode", data={}).status_code == 400
    assert client.post("/masuk/kode", data={"code": "x" * 25}).status_code == 400
    assert client.post("/masuk/kode", data={"code": "é1🙂"}).status_code == 401


def test_a_used_code_does_not_log_in_again(app, client, auth, org, enrolled_hr):
    secret, _ = enrolled_hr
    code = code_at(secret)
    auth.login("sdm")
    assert client.post("/masuk/kode", data={"code": code}).status_code == 302
    other = app.test_client()
    AuthActions(other).login("sdm")
    assert other.post("/masuk/kode", data={"code": code}).status_code == 401


def test_five_wrong_codes_send_the_person_back_to_the_password(client, auth, org, enrolled_hr):
    secret, _ = enrolled_hr
    auth.login("sdm")
    for _ in range(4):
        assert client.post("/masuk/kode", data={"code": wrong(code_at(secret))}).status_code == 401
    response = client.post("/masuk/kode", data={"code": wrong(code_at(secret))})
    assert response.status_code == 302 and response.headers["Location"] == "/masuk"
    assert "Terlalu banyak kode salah" in client.get("/masuk").text
    # The right code no longer helps: the password comes first again.
    assert client.post("/masuk/kode", data={"code": code_at(secret)}).headers["Location"] == "/masuk"
    assert client.get("/").status_code == 302


def test_wrong_codes_are_limited_per_account_whatever_the_cookie(app, org, enrolled_hr):
    """The bound per password entered lives in the cookie, which an attacker could replay;
    the per-account limit lives on the server."""
    app.config["TWO_FACTOR_LIMIT_PER_ACCOUNT"] = "3 per minute"
    secret, _ = enrolled_hr
    attacker = app.test_client()
    AuthActions(attacker).login("sdm")
    cookie = attacker.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    statuses = []
    for _ in range(4):
        attacker.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)  # the fresh pending login
        statuses.append(attacker.post("/masuk/kode", data={"code": wrong(code_at(secret))}).status_code)
    assert statuses == [401, 401, 401, 429]


def test_the_code_page_expires_after_five_minutes(client, auth, org, enrolled_hr, frozen_clock):
    secret, _ = enrolled_hr
    auth.login("sdm")
    frozen_clock.shift(timedelta(minutes=5, seconds=1))
    response = client.post("/masuk/kode", data={"code": code_at(secret)})
    assert response.status_code == 302 and response.headers["Location"] == "/masuk"
    assert "Masuk lagi dengan kata sandi" in client.get("/masuk").text


def test_the_code_page_without_a_password_sends_to_login(client, org):
    assert client.get("/masuk/kode").headers["Location"] == "/masuk"


def test_a_recovery_code_logs_in_once(client, auth, org, enrolled_hr):
    _, codes = enrolled_hr
    auth.login("sdm")
    response = client.post("/masuk/kode", data={"code": codes[0]}, follow_redirects=True)
    assert "sisa 9 kode" in response.text
    auth.logout()
    auth.login("sdm")
    assert client.post("/masuk/kode", data={"code": codes[0]}).status_code == 401


def test_required_but_not_enrolled_is_sent_to_enrol_first(client, auth, org, required):
    assert auth.login("sdm").status_code == 302
    for path in ("/", "/pegawai", "/akun/sesi", "/akun/2fa"):
        response = client.get(path)
        assert response.headers["Location"] == "/akun/2fa/aktifkan", path
    page = client.get("/akun/2fa/aktifkan")
    assert page.status_code == 200
    assert "<svg" in page.text and "wajib" in page.text
    assert client.post("/keluar").status_code == 302  # logging out still works


def test_not_required_without_the_setting(client, auth, org):
    auth.login("sdm")
    assert client.get("/pegawai").status_code == 200


def enrolment_secret(page: str) -> str:
    return re.search(r'class="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def test_enrolment_shows_the_recovery_codes_once(client, auth, org, required, frozen_clock):
    auth.login("sdm")
    page = client.get("/akun/2fa/aktifkan").text
    secret = enrolment_secret(page)
    assert enrolment_secret(client.get("/akun/2fa/aktifkan").text) == secret  # a reload keeps it
    response = client.post("/akun/2fa/aktifkan", data={"code": wrong(code_at(secret))})
    assert response.status_code == 400 and "Kode salah" in response.text
    response = client.post("/akun/2fa/aktifkan", data={"code": code_at(secret)})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.text)
    assert len(codes) == 10
    assert client.get("/pegawai").status_code == 200  # no longer held at enrolment
    status = client.get("/akun/2fa").text
    assert "10 dari 10" in status and codes[0] not in status
    assert client.get("/akun/2fa/aktifkan").headers["Location"] == "/akun/2fa"
    # The next login asks for a code from the same secret.
    auth.logout()
    frozen_clock.shift(STEP)
    assert auth.login("sdm").headers["Location"] == "/masuk/kode"
    assert client.post("/masuk/kode", data={"code": code_at(secret)}).status_code == 302
    assert "two_factor.enrolled" in db.session.scalars(db.select(AuditEvent.action)).all()


def test_anyone_may_turn_it_on(client, auth, org, required):
    auth.login("pegawai")
    assert "Belum aktif" in client.get("/akun/2fa").text
    secret = enrolment_secret(client.get("/akun/2fa/aktifkan").text)
    assert client.post("/akun/2fa/aktifkan", data={"code": code_at(secret)}).status_code == 200
    db.session.refresh(org.employee)
    assert two_factor.is_enrolled(org.employee)


def test_new_recovery_codes_for_a_current_code(client, auth, org, enrolled_hr, frozen_clock):
    secret, old = enrolled_hr
    auth.login("sdm")
    client.post("/masuk/kode", data={"code": code_at(secret)})
    frozen_clock.shift(STEP)
    response = client.post("/akun/2fa/kode-pemulihan", data={"code": wrong(code_at(secret))})
    assert response.status_code == 400 and "Kode salah" in response.text
    response = client.post("/akun/2fa/kode-pemulihan", data={"code": code_at(secret)})
    assert response.status_code == 200
    new = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.text)
    assert len(new) == 10 and not set(new) & set(old)


def test_an_admin_resets_another_accounts_two_factor(app, org, login_as, enrolled_hr):
    secret, _ = enrolled_hr
    device = app.test_client()
    AuthActions(device).login("sdm")
    device.post("/masuk/kode", data={"code": code_at(secret)})
    admin = login_as("admin")
    page = admin.get(f"/akun/{org.hr.id}")
    assert "Reset verifikasi dua langkah" in page.text and "Aktif sejak" in page.text
    response = admin.post(f"/akun/{org.hr.id}/2fa/reset", follow_redirects=True)
    assert "direset" in response.text
    assert device.get("/").status_code == 302  # logged out everywhere
    db.session.refresh(org.hr)
    assert not two_factor.is_enrolled(org.hr)
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="two_factor.reset"))
    assert (event.actor_id, event.subject_id) == (org.admin.id, org.hr.id)


def test_an_admin_cannot_reset_their_own(app, org, frozen_clock):
    secret, _ = enrol(org.admin)
    frozen_clock.shift(STEP)
    client = app.test_client()
    AuthActions(client).login("admin")
    client.post("/masuk/kode", data={"code": code_at(secret)})
    assert "Reset verifikasi dua langkah" not in client.get(f"/akun/{org.admin.id}").text
    response = client.post(f"/akun/{org.admin.id}/2fa/reset", follow_redirects=True)
    assert "admin lain" in response.text
    db.session.refresh(org.admin)
    assert two_factor.is_enrolled(org.admin)


def test_only_admins_reset(org, login_as, enrolled_hr):
    assert login_as("supervisor").post(f"/akun/{org.hr.id}/2fa/reset").status_code == 403
    db.session.refresh(org.hr)
    assert two_factor.is_enrolled(org.hr)


def test_a_reset_admin_enrols_again_at_the_next_login(app, org, required, frozen_clock):
    enrol(org.admin)
    frozen_clock.shift(STEP)
    two_factor.reset(make_user(username="admin2", admin=True), org.admin)
    client = app.test_client()
    assert AuthActions(client).login("admin").headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/akun/2fa/aktifkan"


def test_the_forms_carry_a_csrf_token(database_uri, tmp_path, org):
    strict = create_app({**base_config(tmp_path, database_uri), "WTF_CSRF_ENABLED": True,
                         "TWO_FACTOR_REQUIRED": True})
    secret, _ = enrol(org.admin)
    client = strict.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/masuk").text).group(1)
    client.post("/masuk", data={"identifier": "admin", "password": "sandi-rahasia-2026",
                                "csrf_token": token})
    page = client.get("/masuk/kode").text
    assert 'name="csrf_token"' in page
    assert client.post("/masuk/kode", data={"code": code_at(secret, NOW + STEP)}).status_code == 400
    hr = strict.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', hr.get("/masuk").text).group(1)
    hr.post("/masuk", data={"identifier": "sdm", "password": "sandi-rahasia-2026", "csrf_token": token})
    assert 'name="csrf_token"' in hr.get("/akun/2fa/aktifkan").text
    assert hr.post("/akun/2fa/aktifkan", data={"code": "123456"}).status_code == 400

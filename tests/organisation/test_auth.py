"""Logging in by NIP or username, wrong passwords, lockout, throttling and sessions."""
from datetime import timedelta

import time_machine

from kinerja.core.models import AuditEvent
from kinerja.core.types import utcnow
from kinerja.extensions import db
from tests.builders import PASSWORD, make_user


def test_login_page_is_indonesian_and_has_a_form(client):
    response = client.get("/masuk")
    assert response.status_code == 200
    assert "Kata sandi" in response.text
    assert 'name="identifier"' in response.text


def test_anonymous_visitor_is_sent_to_login_with_next(client):
    response = client.get("/pegawai")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk?next=")


def test_login_by_username(client, auth, org):
    response = auth.login("pegawai")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Ani Lestari" in client.get("/").text


def test_login_by_nip_with_spaces(client, auth, org):
    nip = org.employee.employee.nip
    grouped = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert auth.login(grouped).status_code == 302


def test_username_is_case_insensitive(auth, org):
    assert auth.login("PEGAWAI").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, auth, org):
    response = auth.login("pegawai", "salah-sandi-12345")
    assert response.status_code == 401
    assert "kata sandi salah" in response.text
    assert client.get("/").status_code == 302


def test_unknown_account_gets_the_same_message(auth, app):
    response = auth.login("tidak-ada", "apa-saja-12345")
    assert response.status_code == 401
    assert "kata sandi salah" in response.text


def test_empty_form_is_a_400_with_field_messages(client, app):
    response = client.post("/masuk", data={})
    assert response.status_code == 400
    assert "wajib" in response.text.lower()


def test_password_is_hashed_with_a_kdf(org):
    assert org.employee.password_hash.startswith("pbkdf2:sha256")
    assert PASSWORD not in org.employee.password_hash


def test_production_hash_is_scrypt():
    from kinerja.config import load
    assert load({"ENV": "testing"})["PASSWORD_HASH_METHOD"] == "scrypt"


def test_an_account_locks_for_the_address_guessing_and_answers_as_a_wrong_password(app, auth, org):
    app.config["LOCKOUT_THRESHOLD"] = 3
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "100 per minute"
    for _ in range(3):
        auth.login("pegawai", "salah-sandi-12345")
    response = auth.login("pegawai")  # now even the right password is refused, from here
    assert response.status_code == 401
    assert "NIP/nama pengguna atau kata sandi salah." in response.text  # locked tells nothing
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="account.locked"))
    assert auth.login("tidak-ada-orangnya").text.count("kata sandi salah") == 1


def test_someone_guessing_elsewhere_does_not_lock_the_owner_out(app, client, org):
    app.config["LOCKOUT_THRESHOLD"] = 3
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "100 per minute"
    outsider = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(5):
        client.post("/masuk", data={"identifier": "pegawai", "password": "tebak-tebak-1"},
                    environ_base=outsider)
    owner = app.test_client()
    response = owner.post("/masuk", data={"identifier": "pegawai", "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 302


def test_lock_expires(app, auth, org):
    org.employee.locked_until = utcnow() + timedelta(minutes=15)
    db.session.commit()
    assert auth.login("pegawai").status_code == 401
    with time_machine.travel(utcnow() + timedelta(minutes=16)):
        assert auth.login("pegawai").status_code == 302


def test_login_attempts_per_account_are_throttled(app, auth, org):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per minute"
    for _ in range(3):
        auth.login("pegawai", "salah-sandi-12345")
    response = auth.login("pegawai")
    assert response.status_code == 429
    assert "Terlalu banyak" in response.text


def test_a_nip_written_with_spaces_or_dots_counts_as_the_same_account(app, auth, org):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per minute"
    nip = org.employee.employee.nip
    for written in (nip, f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}", ".".join(nip)):
        auth.login(written, "salah-sandi-12345")
    assert auth.login(nip).status_code == 429


def test_successful_logins_are_not_counted_by_the_throttle(app, login_as, org):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "2 per minute"
    app.config["LOGIN_LIMIT_PER_IP"] = "2 per minute"
    for _ in range(4):  # a shared counter PC: staff log in one after another
        login_as("employee")


def test_disabled_account_cannot_log_in(auth, org):
    org.employee.enabled = False
    db.session.commit()
    response = auth.login("pegawai")
    assert response.status_code == 403
    assert "dinonaktifkan" in response.text


def test_disabling_an_account_ends_its_open_sessions(login_as, org):
    client = login_as("employee")
    org.employee.enabled = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_session_is_renewed_at_login(client, auth, org):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login("pegawai")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_session_cookie_is_httponly_and_samesite(client, auth, org):
    response = auth.login("pegawai")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_https(client, auth, org):
    response = client.post("/masuk", data={"identifier": "pegawai", "password": PASSWORD},
                           base_url="https://kinerja.example.go.id")
    assert "Secure" in response.headers["Set-Cookie"]


def test_next_parameter_goes_to_a_local_page_only(auth, org):
    assert auth.login("pegawai", query_string={"next": "/unit"}).headers["Location"] == "/unit"
    evil = auth.login("rekan", query_string={"next": "//evil.example/x"})
    assert evil.headers["Location"] == "/"


def test_logout_needs_post_and_ends_the_session(client, auth, org):
    auth.login("pegawai")
    assert client.get("/keluar").status_code == 405
    assert auth.logout().status_code == 302
    assert client.get("/").status_code == 302


def test_successful_and_failed_logins_are_audited(auth, org):
    auth.login("pegawai", "salah-sandi-12345")
    auth.login("pegawai")
    actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["login.failed", "login.succeeded"]


def test_must_change_password_is_forced(client, auth, org):
    user = make_user(username="baru", must_change_password=True)
    auth.login(user.username)
    response = client.get("/pegawai")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/akun/sandi")


def test_the_login_session_expires_after_the_working_day(auth, org):
    cookie = auth.login("pegawai").headers["Set-Cookie"]
    assert "Expires=" in cookie


def test_json_apis_set_no_session_cookie(client):
    assert "Set-Cookie" not in client.get("/healthz").headers
    assert "Set-Cookie" not in client.post("/kiosk/api/ratings", json={}).headers

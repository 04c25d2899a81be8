"""Login sessions live on the server: logout, a password change or reset, deactivation, the
person or an admin end them, and a copied cookie dies with its session."""
from datetime import timedelta

import time_machine

from kinerja.core.models import AuditEvent
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.organisation.models import LoginSession
from tests.builders import PASSWORD


def copy_of(app, client):
    """A second browser holding the same session cookie (a stolen or copied cookie)."""
    name = app.config["SESSION_COOKIE_NAME"]
    thief = app.test_client()
    thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def test_a_cookie_copied_before_logout_is_dead_after_it(app, login_as):
    device = login_as("employee")
    copied = copy_of(app, device)
    assert copied.get("/").status_code == 200  # the copy works while the session lives
    device.post("/keluar")
    assert copied.get("/").status_code == 302
    ended = db.session.scalar(db.select(LoginSession))
    assert (ended.ended_reason, ended.ended_at is not None) == ("logout", True)


def test_a_person_sees_their_devices_and_logs_the_others_out(app, org, login_as):
    phone = login_as("employee")
    laptop = login_as("employee")
    page = laptop.get("/akun/sesi")
    assert page.status_code == 200 and page.text.count(">Akhiri<") == 1  # not this device
    assert "perangkat ini" in page.text
    laptop.post("/akun/sesi/lainnya")
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="session.others_ended"))


def test_only_the_owner_or_an_admin_ends_a_session(app, org, login_as):
    device = login_as("employee")
    mine = db.session.scalar(db.select(LoginSession).filter_by(user_id=org.employee.id))
    assert login_as("supervisor").post(f"/akun/sesi/{mine.id}/akhiri").status_code == 403
    assert device.get("/").status_code == 200
    assert login_as("admin").post(f"/akun/sesi/{mine.id}/akhiri").status_code == 302
    assert device.get("/").status_code == 302


def test_an_admin_sees_an_accounts_sessions_and_ends_them_all(app, org, login_as):
    devices = [login_as("employee"), login_as("employee")]
    admin = login_as("admin")
    page = admin.get(f"/akun/{org.employee.id}")
    assert "Akhiri semua sesi akun ini" in page.text
    admin.post(f"/akun/{org.employee.id}/sesi/akhiri")
    assert [device.get("/").status_code for device in devices] == [302, 302]


def test_a_password_reset_or_deactivation_ends_every_session(app, org, login_as):
    device = login_as("employee")
    login_as("admin").post(f"/pegawai/{org.employee.employee_id}/sandi-sementara")
    assert device.get("/").status_code == 302
    device = login_as("supervisor")
    login_as("admin").post(f"/akun/{org.supervisor.id}/aktif", data={"enabled": "0"})
    assert device.get("/").status_code == 302


def test_a_session_ends_after_the_working_day(app, org, login_as):
    device = login_as("employee")
    with time_machine.travel(utcnow() + timedelta(hours=8, minutes=1)):
        assert device.get("/").status_code == 302


def test_the_password_change_keeps_this_device_in(app, org, login_as):
    device = login_as("employee")
    response = device.post("/akun/sandi", data={"current_password": PASSWORD,
                                                "new_password": "kopi-pagi-di-kantor",
                                                "confirm": "kopi-pagi-di-kantor"})
    assert response.status_code == 302
    assert device.get("/").status_code == 200

"""Passwords and roles: changing one's own, admin resets, role grants with an audit trail."""
import re

import pytest

from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from tests.builders import PASSWORD, make_employee


def test_change_own_password(client, auth, org):
    auth.login("pegawai")
    response = client.post("/akun/sandi", data={"current_password": PASSWORD,
                                                 "new_password": "kopi-pagi-di-kantor",
                                                 "confirm": "kopi-pagi-di-kantor"})
    assert response.status_code == 302
    auth.logout()
    assert auth.login("pegawai", PASSWORD).status_code == 401
    assert auth.login("pegawai", "kopi-pagi-di-kantor").status_code == 302


def test_change_password_needs_the_current_one(client, auth, org):
    auth.login("pegawai")
    response = client.post("/akun/sandi", data={"current_password": "keliru-sekali-123",
                                                 "new_password": "kopi-pagi-di-kantor",
                                                 "confirm": "kopi-pagi-di-kantor"})
    assert response.status_code == 400
    assert "Kata sandi lama salah" in response.text


def test_a_short_new_password_is_refused(client, auth, org):
    auth.login("pegawai")
    response = client.post("/akun/sandi", data={"current_password": PASSWORD,
                                                 "new_password": "pendek", "confirm": "pendek"})
    assert response.status_code == 400


@pytest.mark.parametrize(("new", "reason"), [
    ("Password123", "terlalu umum"),          # on the list, with digits added
    ("qwerty123456", "terlalu umum"),
    ("bismillah2026", "terlalu umum"),        # common in Indonesia
    ("lestari-2026!", "memuat NIP, nama"),    # the employee is Ani Lestari
])
def test_common_or_personal_passwords_are_refused(client, auth, org, new, reason):
    auth.login("pegawai")
    response = client.post("/akun/sandi", data={"current_password": PASSWORD,
                                                 "new_password": new, "confirm": new})
    assert response.status_code == 400
    assert reason in response.text


def test_changing_the_password_ends_other_sessions(app, login_as, org):
    other_device = login_as("employee")
    this_device = login_as("employee")
    this_device.post("/akun/sandi", data={"current_password": PASSWORD,
                                          "new_password": "kopi-pagi-di-kantor",
                                          "confirm": "kopi-pagi-di-kantor"})
    assert other_device.get("/").status_code == 302


def test_admin_gives_a_temporary_password_that_must_be_changed(app, login_as, org):
    newcomer = make_employee("Wahyu Nugroho")
    response = login_as("admin").post(f"/pegawai/{newcomer.id}/sandi-sementara")
    assert response.status_code == 200
    temporary = re.search(r"\b[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}\b", response.text).group()
    client = app.test_client()
    client.post("/masuk", data={"identifier": newcomer.nip, "password": temporary})
    assert client.get("/").headers["Location"].startswith("/akun/sandi")
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="account.created"))


def test_admin_grants_hr_and_it_is_audited(login_as, org):
    response = login_as("admin").post(f"/akun/{org.employee.id}",
                                      data={"username": "pegawai", "is_hr": "y"})
    assert response.status_code == 302
    db.session.refresh(org.employee)
    assert org.employee.is_hr
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="account.roles_changed"))
    assert event.actor_id == org.admin.id


def test_the_last_admin_keeps_the_admin_role(login_as, org):
    response = login_as("admin").post(f"/akun/{org.admin.id}", data={"username": "admin"})
    assert response.status_code == 400
    assert "admin terakhir" in response.text
    db.session.refresh(org.admin)
    assert org.admin.is_admin


def test_admin_unlocks_an_account(login_as, org):
    from datetime import timedelta

    from kinerja.core.types import utcnow
    org.employee.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()
    login_as("admin").post(f"/akun/{org.employee.id}/buka-kunci")
    db.session.refresh(org.employee)
    assert org.employee.locked_until is None

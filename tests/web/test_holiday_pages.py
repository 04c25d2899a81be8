"""Kelola → Hari libur: HR and admins see a year's national holidays (from the library, marked
as such) with the days HR added, add cuti bersama and local days and remove them; each change
is audited; bad input is a 400 with a message; other people get a 403."""
from datetime import date

from kinerja.core import holidays
from kinerja.core.holidays import Holiday
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from tests.builders import make_holiday


def test_hr_sees_the_years_national_holidays_marked_as_automatic(login_as):
    page = login_as("hr").get("/kelola/hari-libur?tahun=2026").text
    assert "Hari libur 2026" in page
    assert "Hari Kemerdekaan Republik Indonesia" in page and "Nasional (otomatis)" in page
    assert 'href="/kelola/hari-libur?tahun=2027"' in page


def test_hr_adds_a_cuti_bersama_and_it_counts_at_once(login_as, org):
    hr = login_as("hr")
    response = hr.post("/kelola/hari-libur", data={
        "day": "2026-05-15", "name": "Cuti bersama Kenaikan Yesus Kristus", "kind": "cuti_bersama"},
        follow_redirects=True)
    assert "Hari libur Cuti bersama Kenaikan Yesus Kristus ditambahkan." in response.text
    assert "Ditambahkan SDM" in response.text
    holidays.forget()
    assert date(2026, 5, 15) in holidays.days_of(2026)
    recorded = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "holiday.added"))
    assert recorded.actor_id == org.hr.id and recorded.details["kind"] == "cuti_bersama"


def test_an_admin_removes_a_day_and_it_is_audited(login_as):
    holiday = make_holiday(date(2026, 10, 5), "Hari Jadi Kabupaten")
    admin = login_as("admin")
    page = admin.get("/kelola/hari-libur?tahun=2026").text
    assert f'action="/kelola/hari-libur/{holiday.id}/hapus"' in page
    assert admin.post(f"/kelola/hari-libur/{holiday.id}/hapus").status_code == 302
    assert db.session.scalar(db.select(Holiday.id)) is None
    assert db.session.scalar(db.select(AuditEvent.action).where(
        AuditEvent.action == "holiday.removed")) == "holiday.removed"


def test_bad_input_is_a_400_with_a_message(login_as):
    hr = login_as("hr")
    make_holiday(date(2026, 5, 15))
    twice = hr.post("/kelola/hari-libur", data={"day": "2026-05-15", "name": "Lagi",
                                                "kind": "lokal"})
    assert twice.status_code == 400 and "Tanggal itu sudah ada di daftar hari libur." in twice.text
    no_day = hr.post("/kelola/hari-libur", data={"day": "kemarin", "name": "X", "kind": "lokal"})
    assert no_day.status_code == 400
    wrong_kind = hr.post("/kelola/hari-libur", data={"day": "2026-05-18", "name": "X",
                                                     "kind": "bebas"})
    assert wrong_kind.status_code == 400
    far = hr.get("/kelola/hari-libur?tahun=3000", follow_redirects=True)
    assert far.status_code == 200 and "Tahun di luar jangkauan" in far.text


def test_only_hr_and_admins_keep_the_calendar(login_as):
    holiday = make_holiday(date(2026, 5, 15))
    for role in ("employee", "supervisor", "head"):
        client = login_as(role)
        assert client.get("/kelola/hari-libur").status_code == 403
        assert client.post("/kelola/hari-libur", data={"day": "2026-05-18", "name": "X",
                                                       "kind": "lokal"}).status_code == 403
        assert client.post(f"/kelola/hari-libur/{holiday.id}/hapus").status_code == 403
    assert "Hari libur" in login_as("hr").get("/").text  # in the Kelola menu

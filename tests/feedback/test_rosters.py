"""Counter rosters: the week grid and who may change it, htmx toggles, copying last week, the
kiosk's fallback when nobody is rostered, and an employee's citizen-satisfaction figure."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from kinerja.core.errors import NotAllowed
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.feedback import ikm, ratings, rosters
from kinerja.feedback.models import RosterEntry
from tests.builders import (
    make_complaint,
    make_counter,
    make_employee,
    make_kiosk,
    make_rating,
    make_roster,
)

# Thursday 26 November 2026, 10:00 WITA; the week runs Monday 23 to Sunday 29 November.
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")
MONDAY = date(2026, 11, 23)
THURSDAY = date(2026, 11, 26)


def on_duty(counter, day) -> set[int]:
    db.session.expire_all()
    return set(db.session.scalars(db.select(RosterEntry.employee_id).where(
        RosterEntry.counter_id == counter.id, RosterEntry.day == day)))


def toggle(client, counter, employee, day, on: bool, htmx: bool = True):
    return client.post(f"/loket/{counter.id}/jadwal/tugas",
                       data={"pegawai": employee.id, "hari": day.isoformat(),
                             "bertugas": "1" if on else "0"},
                       headers={"HX-Request": "true"} if htmx else {})


# ---------------------------------------------------------------- the week grid


def test_the_week_runs_monday_to_sunday_with_the_units_staff(login_as, org, counter):
    make_roster(counter, org.employee.employee, THURSDAY)
    page = login_as("supervisor").get(f"/loket/{counter.id}/jadwal?minggu=2026-11-26").text
    assert "23 November – 29 November 2026" in page
    for name in ("Ani Lestari", "Rudi Hartono", "Budi Santoso"):
        assert name in page
    assert "Dewi Kartika" not in page  # another dinas
    assert page.count('aria-pressed="true"') == 1
    assert f'value="{org.employee.employee.id}"' in page
    week = rosters.roster_week(org.hr, counter, THURSDAY)
    assert week.days[0] == MONDAY and week.days[-1] == date(2026, 11, 29)
    assert week.rows[0].employee.name == "Ani Lestari"  # staffed the counter: listed first
    assert week.staffed(THURSDAY) == 1


def test_only_the_head_of_the_counters_unit_and_hr_manage_the_roster(login_as, org, counter):
    for role in ("supervisor", "head", "hr"):
        assert login_as(role).get(f"/loket/{counter.id}/jadwal").status_code == 200
    for role in ("employee", "teammate", "outsider", "admin"):
        client = login_as(role)
        assert client.get(f"/loket/{counter.id}/jadwal").status_code == 403
        assert toggle(client, counter, org.employee.employee, THURSDAY, True).status_code == 403
    elsewhere = make_counter(org.other_dinas)
    assert login_as("supervisor").get(f"/loket/{elsewhere.id}/jadwal").status_code == 403
    assert on_duty(counter, THURSDAY) == set()
    with pytest.raises(NotAllowed):
        rosters.set_on_duty(org.employee, counter, org.employee.employee.id, THURSDAY, True)


def test_an_htmx_toggle_puts_someone_on_duty_and_swaps_the_cell(login_as, org, counter):
    ani = org.employee.employee
    response = toggle(login_as("supervisor"), counter, ani, THURSDAY, True)
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.text
    assert 'name="bertugas" value="0"' in response.text  # pressing again takes her off
    assert 'id="staffed-2026-11-26" title="jumlah petugas" hx-swap-oob="true">1<' in response.text
    assert "<html" not in response.text
    assert on_duty(counter, THURSDAY) == {ani.id}
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "roster.added"))
    assert event.details == {"employee_id": ani.id, "day": "2026-11-26"}


def test_toggling_is_idempotent_and_removing_is_audited(login_as, org, counter):
    ani, hr = org.employee.employee, login_as("hr")
    toggle(hr, counter, ani, THURSDAY, True)
    toggle(hr, counter, ani, THURSDAY, True)  # a double click changes nothing
    assert on_duty(counter, THURSDAY) == {ani.id}
    toggle(hr, counter, ani, THURSDAY, False)
    assert on_duty(counter, THURSDAY) == set()
    actions = db.session.scalars(db.select(AuditEvent.action).where(
        AuditEvent.action.startswith("roster.")).order_by(AuditEvent.id)).all()
    assert actions == ["roster.added", "roster.removed"]


def test_without_javascript_a_toggle_returns_to_the_week(login_as, org, counter):
    response = toggle(login_as("head"), counter, org.employee.employee, THURSDAY, True, htmx=False)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/loket/{counter.id}/jadwal?minggu=2026-11-26"


def test_only_active_staff_of_the_counters_unit_can_be_rostered(login_as, org, counter):
    head = login_as("head")
    response = toggle(head, counter, org.outsider.employee, THURSDAY, True, htmx=False)
    assert response.status_code == 400
    assert "Hanya pegawai aktif di unit loket ini yang dapat dijadwalkan." in response.text
    retired = make_employee("Pensiunan", unit=org.section, active=False)
    assert toggle(head, counter, retired, THURSDAY, True).status_code == 400
    assert toggle(head, counter, org.employee.employee, THURSDAY, True).status_code == 200
    bad_day = head.post(f"/loket/{counter.id}/jadwal/tugas",
                        data={"pegawai": org.employee.employee.id, "hari": "kemarin", "bertugas": "1"})
    assert bad_day.status_code == 400
    assert on_duty(counter, THURSDAY) == {org.employee.employee.id}


def test_someone_who_left_the_unit_can_still_be_taken_off(login_as, org, counter):
    rudi = org.teammate.employee
    make_roster(counter, rudi, THURSDAY)
    rudi.unit = org.other_dinas
    db.session.commit()
    page = login_as("head").get(f"/loket/{counter.id}/jadwal").text
    assert "Rudi Hartono" in page and "bukan pegawai aktif unit ini" in page
    assert toggle(login_as("head"), counter, rudi, THURSDAY, False).status_code == 200
    assert on_duty(counter, THURSDAY) == set()


def test_copying_last_week_fills_this_week_day_by_day(login_as, org, counter):
    ani, rudi = org.employee.employee, org.teammate.employee
    make_roster(counter, ani, MONDAY - timedelta(days=7), MONDAY - timedelta(days=5))
    make_roster(counter, rudi, MONDAY - timedelta(days=7))
    make_roster(counter, ani, MONDAY)  # already there: not doubled
    leaver = make_employee("Sudah Pindah", unit=org.section)
    make_roster(counter, leaver, MONDAY - timedelta(days=6))
    leaver.unit = org.other_dinas
    db.session.commit()
    response = login_as("supervisor").post(f"/loket/{counter.id}/jadwal/salin",
                                           data={"minggu": MONDAY.isoformat()})
    assert response.status_code == 302
    assert on_duty(counter, MONDAY) == {ani.id, rudi.id}
    assert on_duty(counter, MONDAY + timedelta(days=2)) == {ani.id}
    assert on_duty(counter, MONDAY + timedelta(days=1)) == set()  # the leaver is not copied
    assert db.session.scalar(db.select(AuditEvent.details).where(
        AuditEvent.action == "roster.copied")) == {"week": "2026-11-23", "added": 2}


def test_copying_an_empty_week_is_refused(login_as, counter):
    response = login_as("hr").post(f"/loket/{counter.id}/jadwal/salin",
                                   data={"minggu": MONDAY.isoformat()})
    assert response.status_code == 400
    assert "Minggu sebelumnya belum ada jadwal untuk disalin." in response.text


# ---------------------------------------------------------------- the kiosk's list of staff


def test_the_kiosk_offers_the_days_roster(org, counter):
    kiosk, _ = make_kiosk(counter)
    make_roster(counter, org.teammate.employee, THURSDAY)
    make_roster(counter, org.employee.employee, THURSDAY - timedelta(days=3))
    assert [e.name for e in ratings.staff_for_kiosk(kiosk, THURSDAY)] == ["Rudi Hartono"]


def test_with_nobody_rostered_the_kiosk_offers_the_counters_recent_staff(org, counter):
    kiosk, _ = make_kiosk(counter)
    make_roster(counter, org.employee.employee, THURSDAY - timedelta(days=3))
    make_roster(counter, org.teammate.employee, THURSDAY - timedelta(days=30))
    make_roster(counter, org.supervisor.employee, THURSDAY - timedelta(days=31))  # too long ago
    gone = make_employee("Sudah Nonaktif", unit=org.section)
    make_roster(counter, gone, THURSDAY - timedelta(days=1))
    gone.active = False
    db.session.commit()
    assert [e.name for e in ratings.staff_for_kiosk(kiosk, THURSDAY)] == ["Ani Lestari",
                                                                          "Rudi Hartono"]


def test_a_counter_never_rostered_offers_nobody(counter):
    kiosk, _ = make_kiosk(counter)
    assert ratings.staff_for_kiosk(kiosk, THURSDAY) == []


# ---------------------------------------------------------------- an employee's satisfaction


def wita(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def test_staff_satisfaction_from_the_ratings_that_name_the_employee(org, counter):
    ani, rudi = org.employee.employee, org.teammate.employee
    fours = {e: 4 for e in ikm.ELEMENTS}
    threes = {e: 3 for e in ikm.ELEMENTS}
    make_rating(counter, date(2026, 11, 2), 4, staff=ani, elements=fours)
    make_rating(counter, date(2026, 11, 3), 3, staff=ani, elements=threes)
    make_rating(counter, date(2026, 11, 4), 4, staff=ani, elements={"U1": 1})  # partial survey
    make_rating(counter, date(2026, 11, 5), 2, staff=ani)
    make_rating(counter, date(2026, 11, 6), 1, staff=ani, excluded=True)      # excluded by HR
    make_rating(counter, date(2026, 10, 31), 1, staff=ani)                    # before the period
    make_rating(counter, date(2026, 11, 6), 1, staff=rudi)                    # someone else
    figure = rosters.staff_satisfaction(ani, date(2026, 11, 1), date(2026, 11, 30))
    assert figure.ratings == 4
    assert figure.score_counts == {1: 0, 2: 1, 3: 1, 4: 2}
    assert figure.one_tap == Decimal("3.25")  # (4 + 3 + 4 + 2) / 4
    assert figure.full_surveys == 2
    expected = ikm.compute_from_answers([fours, threes, {"U1": 1}])
    assert figure.ikm.converted == expected.converted
    assert figure.ikm.nrr["U1"] == Decimal(8) / 3
    assert figure.ikm.respondents == 2


def test_no_complete_survey_means_no_ikm(org, counter):
    ani = org.employee.employee
    make_rating(counter, date(2026, 11, 2), 4, staff=ani)
    figure = rosters.staff_satisfaction(ani, date(2026, 11, 1), date(2026, 11, 30))
    assert (figure.ratings, figure.one_tap, figure.ikm) == (1, Decimal(4), None)
    empty = rosters.staff_satisfaction(ani, date(2026, 1, 1), date(2026, 1, 31))
    assert (empty.ratings, empty.one_tap, empty.complaints_on_duty) == (0, None, 0)


def test_complaints_at_counters_the_employee_staffed_on_those_days(org, counter):
    ani = org.employee.employee
    other = make_counter(org.section, name="Loket 2")
    monday, tuesday = date(2026, 11, 9), date(2026, 11, 10)
    make_roster(counter, ani, monday, tuesday)
    make_complaint(counter, "Senin pagi", received_at=wita(monday, 9))
    make_complaint(counter, "Selasa larut", received_at=wita(tuesday, 23, 30))
    make_complaint(counter, "Rabu dini hari", received_at=wita(tuesday + timedelta(days=1), 0, 30))
    make_complaint(other, "Di loket lain", received_at=wita(monday, 10))
    make_complaint(counter, "Minggu lalu", received_at=wita(monday - timedelta(days=7), 10))
    rating = make_rating(other, date(2026, 11, 20), 1, staff=ani)
    make_complaint(other, "Menyebut Ani", received_at=wita(date(2026, 11, 20), 10), rating=rating)
    figure = rosters.staff_satisfaction(ani, date(2026, 11, 1), date(2026, 11, 30))
    assert figure.days_on_duty == 2
    assert figure.complaints_on_duty == 2
    assert figure.complaints_naming == 1


def test_the_satisfaction_page_follows_performance_visibility(login_as, org, counter):
    make_rating(counter, date(2026, 11, 2), 3, staff=org.employee.employee)
    url = f"/pegawai/{org.employee.employee.id}/kepuasan?dari=2026-11-01&sampai=2026-11-30"
    for role in ("employee", "supervisor", "head", "hr"):
        response = login_as(role).get(url)
        assert response.status_code == 200, role
        assert "dari 1 penilaian" in response.text
    for role in ("teammate", "outsider", "admin"):
        assert login_as(role).get(url).status_code == 403, role


@pytest.mark.parametrize("query, message", [
    ("dari=2026-11-30&sampai=2026-11-01", "Tanggal awal harus sebelum tanggal akhir."),
    ("dari=2024-01-01&sampai=2026-11-01", "Periode paling panjang satu tahun."),
    ("dari=kemarin", "Tulis tanggal sebagai TTTT-BB-HH."),
])
def test_a_bad_period_is_a_400_with_the_reason(login_as, org, query, message):
    response = login_as("employee").get(f"/pegawai/{org.employee.employee.id}/kepuasan?{query}")
    assert response.status_code == 400
    assert message in response.text


def test_the_default_period_is_this_year_so_far(login_as, org):
    page = login_as("employee").get(f"/pegawai/{org.employee.employee.id}/kepuasan").text
    assert "1 Januari 2026 sampai 26 November 2026" in page

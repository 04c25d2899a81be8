"""The holiday calendar and the working-day rules that read it: national holidays from the
`holidays` package, HR's cuti bersama and local days, and each rule that counts working days
(complaint deadlines, who has not reported, the reminders, award regularity) skipping them.

2026: Thursday 14 May is Ascension Day (Kenaikan Yesus Kristus), a national holiday; HR adds
Friday 15 May as cuti bersama."""
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from kinerja.appraisal import home, reminders
from kinerja.core import calendar, holidays
from kinerja.core.holidays import HolidayKind
from kinerja.feedback import complaints
from kinerja.performance import activities
from kinerja.performance.models import SkpStatus
from tests.builders import (
    make_activity,
    make_complaint,
    make_counter,
    make_holiday,
    make_period,
    make_rhk,
    make_skp,
)

ASCENSION = date(2026, 5, 14)        # Thursday, national
CUTI_BERSAMA = date(2026, 5, 15)     # Friday, added by HR in these tests
WITA = timedelta(hours=8)


def wita(year, month, day, hour=10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC) - WITA


# ---------------------------------------------------------------- the calendar


def test_national_holidays_come_from_the_library(app):
    assert ASCENSION in holidays.days_of(2026)
    assert date(2026, 8, 17) in holidays.days_of(2026)          # Hari Kemerdekaan
    assert holidays.national(2026)[date(2026, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"
    assert date(2026, 5, 13) not in holidays.days_of(2026)


def test_hr_days_join_the_national_ones_and_a_stored_name_wins(app):
    make_holiday(CUTI_BERSAMA, "Cuti bersama Kenaikan Yesus Kristus")
    make_holiday(ASCENSION, "Kenaikan Isa Almasih", kind=HolidayKind.NATIONAL)
    assert holidays.between(date(2026, 5, 11), date(2026, 5, 17)) == {ASCENSION, CUTI_BERSAMA}
    listed = {e.day: e for e in holidays.year_entries(2026)}
    assert listed[CUTI_BERSAMA].kind is HolidayKind.CUTI_BERSAMA and not listed[CUTI_BERSAMA].from_library
    assert listed[ASCENSION].name == "Kenaikan Isa Almasih" and not listed[ASCENSION].from_library
    assert listed[date(2026, 8, 17)].from_library


def test_a_range_across_new_year_reads_both_years(app):
    found = holidays.between(date(2025, 12, 24), date(2026, 1, 2))
    assert {date(2025, 12, 25), date(2026, 1, 1)} <= found


# ---------------------------------------------------------------- complaints


def test_a_complaint_deadline_skips_a_national_holiday(org):
    counter = make_counter(org.section)
    # Wednesday 13 May; five working days: 15, 18, 19, 20, 21 (the 14th is Ascension Day).
    complaint = make_complaint(counter, received_at=wita(2026, 5, 13))
    with time_machine.travel(wita(2026, 5, 21, 23), tick=False):
        view = complaints.complaint_view(org.hr, complaint)
        assert view.due == date(2026, 5, 21) and not view.overdue
    with time_machine.travel(wita(2026, 5, 22, 8), tick=False):
        assert complaints.complaint_view(org.hr, complaint).overdue


def test_the_overdue_list_skips_cuti_bersama_too(org, login_as):
    make_holiday(CUTI_BERSAMA)
    counter = make_counter(org.section)
    complaint = make_complaint(counter, received_at=wita(2026, 5, 13))
    # Due Friday 22 May now (18, 19, 20, 21, 22): not overdue on the 22nd, overdue on the 23rd.
    with time_machine.travel(wita(2026, 5, 22, 16), tick=False):
        page = login_as("head").get("/pengaduan?terlambat=1").text
        assert f"#{complaint.id}" not in page
    with time_machine.travel(wita(2026, 5, 23, 9), tick=False):
        assert f"#{complaint.id}" in login_as("head").get("/pengaduan?terlambat=1").text


def test_the_overdue_cutoff_takes_the_days_off():
    # On Thursday 21 May with five working days, what arrived by Wednesday the 13th is overdue
    # (due the 20th); with Ascension off the 13th's complaints are due today, so only the 12th.
    assert complaints.overdue_cutoff(date(2026, 5, 21), 5) == date(2026, 5, 13)
    assert complaints.overdue_cutoff(date(2026, 5, 21), 5, {ASCENSION}) == date(2026, 5, 12)


# ---------------------------------------------------------------- daily reports


@pytest.fixture
def plans(org):
    period = make_period(2026)
    rhks = {}
    for user in (org.employee, org.teammate):
        skp = make_skp(user.employee, period, status=SkpStatus.APPROVED)
        rhks[user.username] = make_rhk(skp, "Terverifikasinya berkas", target="10")
    return rhks


@time_machine.travel("2026-05-14 09:00 +08:00", tick=False)
def test_nobody_is_counted_as_not_reported_on_a_national_holiday(org, plans):
    agenda = home.agenda(org.supervisor)
    assert agenda.team_size == 2 and agenda.team_not_reported is None
    panel = activities.not_reported(org.supervisor)
    assert panel.none_today == [] and not panel.today_is_working_day
    assert panel.working_days == [date(2026, 5, 11), date(2026, 5, 12), date(2026, 5, 13)]


@time_machine.travel("2026-05-15 09:00 +08:00", tick=False)
def test_nor_on_a_cuti_bersama_hr_added(org, plans):
    make_holiday(CUTI_BERSAMA)
    assert home.agenda(org.supervisor).team_not_reported is None
    assert activities.not_reported(org.supervisor).none_today == []


@time_machine.travel("2026-05-15 09:00 +08:00", tick=False)
def test_the_daily_reminder_asks_about_the_last_working_day_before_a_holiday(org, plans):
    period = plans["pegawai"].skp.period
    make_activity(org.employee.employee, plans["pegawai"], date(2026, 5, 13))
    asked = reminders.missing_daily_reports(period, date(2026, 5, 15))
    # Friday the 15th: the previous working day is Wednesday the 13th, not Ascension Thursday.
    assert {p.key for p in asked} == {"daily_report_missing:2026-05-13"}
    assert [p.user_id for p in asked] == [org.teammate.id]


def test_working_days_between_count_the_holidays_off(app):
    days_off = holidays.between(date(2026, 5, 11), date(2026, 5, 22))
    assert calendar.count_working_days(date(2026, 5, 11), date(2026, 5, 22), days_off) == 9
    make_holiday(CUTI_BERSAMA)
    days_off = holidays.between(date(2026, 5, 11), date(2026, 5, 22))
    assert calendar.count_working_days(date(2026, 5, 11), date(2026, 5, 22), days_off) == 8

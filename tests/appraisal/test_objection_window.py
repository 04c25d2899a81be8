"""The objection window (PP 30/2019 art. 59): 14 days from the day the employee *receives* the
set result (the first time they open it), counted as HR set it: calendar days, or working days
on the holiday calendar. One function computes the deadline the page, the notice and the rule
use; a deadline already told never moves.

2026: Thursday 14 May (Ascension), Wednesday 27 May (Iduladha) and Monday 1 June (Pancasila)
are national holidays."""
from datetime import date

import pytest
import time_machine

from kinerja.appraisal import appraisals, objection_window
from kinerja.appraisal.models import EvaluationStatus, ObjectionCounting
from kinerja.appraisal.objection_window import Rule
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.notifications import notifications
from kinerja.notifications.models import Notification
from kinerja.performance.models import SkpStatus
from tests.builders import make_evaluation, make_holiday, make_period, make_skp

SET_ON_FRIDAY = "2026-05-08 15:00 +08:00"
OPENED_ON_MONDAY = "2026-05-11 08:00 +08:00"
CALENDAR = Rule(14, ObjectionCounting.CALENDAR)
WORKING = Rule(14, ObjectionCounting.WORKING)


def at(day: date, hour: int = 10) -> str:
    return f"{day.isoformat()} {hour:02d}:00 +08:00"


@pytest.fixture
def evaluation(org):
    skp = make_skp(org.employee.employee, make_period(2026), status=SkpStatus.APPROVED, rhks=1)
    with time_machine.travel(SET_ON_FRIDAY, tick=False):
        return make_evaluation(skp, point=4, result="di_bawah", behaviour="sesuai")


def received_monday(org, evaluation):
    with time_machine.travel(OPENED_ON_MONDAY, tick=False):
        assert objection_window.receive(org.employee, evaluation)
    return evaluation


# ---------------------------------------------------------------- the deadline


def test_fourteen_calendar_days_from_receipt_run_across_a_holiday(app):
    # Received Monday 11 May: the day itself is not counted, so the 14th day is Monday 25 May.
    assert objection_window.deadline(date(2026, 5, 11), CALENDAR) == date(2026, 5, 25)


def test_fourteen_working_days_skip_weekends_and_national_holidays(app):
    # 12, 13, (14 Ascension), 15, 18-22, 25, 26, (27 Iduladha), 28, 29, (1 June Pancasila), 2, 3.
    assert objection_window.deadline(date(2026, 5, 11), WORKING) == date(2026, 6, 3)


def test_cuti_bersama_hr_adds_moves_a_working_day_deadline(app):
    make_holiday(date(2026, 5, 15), "Cuti bersama Kenaikan Yesus Kristus")
    assert objection_window.deadline(date(2026, 5, 11), WORKING) == date(2026, 6, 4)
    assert objection_window.deadline(date(2026, 5, 11), CALENDAR) == date(2026, 5, 25)


def test_without_a_saved_rule_the_window_is_fourteen_calendar_days(app):
    assert objection_window.current_rule() == CALENDAR
    assert CALENDAR.in_words == "14 hari kalender" and WORKING.in_words == "14 hari kerja"


# ---------------------------------------------------------------- receipt


def test_setting_the_result_starts_no_window(org, evaluation):
    assert evaluation.status is EvaluationStatus.FINAL
    assert evaluation.received_at is None and evaluation.objection_due is None
    # Others opening it is no receipt.
    for someone in (org.supervisor, org.head, org.hr):
        assert not objection_window.receive(someone, evaluation)
    assert evaluation.received_at is None


def test_the_employee_opening_the_result_is_its_receipt(org, evaluation, login_as):
    with time_machine.travel(OPENED_ON_MONDAY, tick=False):
        page = login_as("employee").get(f"/penilaian/{evaluation.id}").text
    db.session.expire_all()
    evaluation = db.session.get(type(evaluation), evaluation.id)
    assert evaluation.received_at is not None
    assert evaluation.objection_due == date(2026, 5, 25)
    assert "Senin, 25 Mei 2026" in page and "14 hari kalender sejak hasil diterima" in page
    told = db.session.scalar(db.select(Notification).where(
        Notification.user_id == org.employee.id, Notification.kind == "evaluation_received"))
    assert notifications.message(told) == (
        "Hasil penilaian kinerja April 2026 Anda diterima pada 11 Mei 2026. "
        "Keberatan dapat diajukan paling lambat 25 Mei 2026.")
    recorded = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "evaluation.received"))
    assert recorded.details["objection_due"] == "2026-05-25" and recorded.actor_id == org.employee.id
    # Opening it again changes nothing.
    with time_machine.travel(at(date(2026, 5, 20)), tick=False):
        login_as("employee").get(f"/penilaian/{evaluation.id}")
    db.session.expire_all()
    assert db.session.get(type(evaluation), evaluation.id).objection_due == date(2026, 5, 25)


def test_the_supervisor_sees_that_the_result_is_not_opened_yet(org, evaluation, login_as):
    page = login_as("supervisor").get(f"/penilaian/{evaluation.id}").text
    assert "belum dibuka pegawai" in page
    db.session.expire_all()
    assert db.session.get(type(evaluation), evaluation.id).received_at is None


# ---------------------------------------------------------------- lodging


@pytest.mark.parametrize(("counting", "last_day", "too_late"), [
    (ObjectionCounting.CALENDAR, date(2026, 5, 25), date(2026, 5, 26)),
    (ObjectionCounting.WORKING, date(2026, 6, 3), date(2026, 6, 4)),
])
def test_an_objection_on_the_last_day_is_accepted_and_the_next_day_refused(
        org, evaluation, counting, last_day, too_late):
    objection_window.update_rule(org.hr, 14, counting.value)
    received_monday(org, evaluation)
    assert evaluation.objection_due == last_day
    with time_machine.travel(at(too_late, 8), tick=False), \
            pytest.raises(RuleViolation, match="sudah lewat"):
        appraisals.lodge_objection(org.employee, evaluation, "Terlambat sehari.")
    with time_machine.travel(at(last_day, 23), tick=False):
        appraisals.lodge_objection(org.employee, evaluation, "Capaian saya tidak dihitung.")
    assert evaluation.status is EvaluationStatus.OBJECTED


def test_answering_an_unopened_result_receives_it_first(org, evaluation):
    with time_machine.travel(at(date(2026, 5, 12)), tick=False):
        appraisals.lodge_objection(org.employee, evaluation, "Tidak sesuai.")
    assert evaluation.received_at is not None and evaluation.objection_due == date(2026, 5, 26)


# ---------------------------------------------------------------- HR's setting


def test_hr_sets_the_rule_and_it_is_audited(org):
    assert objection_window.update_rule(org.hr, "14", "kerja") == WORKING
    assert objection_window.current_rule() == WORKING
    recorded = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "objection_rule.updated"))
    assert recorded.details == {"days": 14, "counting": "kerja", "before_days": 14,
                                "before_counting": "kalender"}
    objection_window.update_rule(org.admin, 14, "kalender")
    assert objection_window.current_rule() == CALENDAR


@pytest.mark.parametrize(("days", "counting"), [("0", "kalender"), ("61", "kalender"),
                                                ("empat belas", "kalender"), ("14", "bulan")])
def test_a_wrong_rule_is_refused(org, days, counting):
    with pytest.raises(RuleViolation):
        objection_window.update_rule(org.hr, days, counting)


def test_only_hr_and_admins_set_the_rule(org):
    for someone in (org.employee, org.supervisor, org.head):
        with pytest.raises(NotAllowed):
            objection_window.update_rule(someone, 14, "kerja")


def test_a_deadline_told_does_not_move_when_the_rule_changes(org, evaluation):
    received_monday(org, evaluation)
    objection_window.update_rule(org.hr, 14, "kerja")
    make_holiday(date(2026, 5, 22), "Libur daerah")
    db.session.refresh(evaluation)
    assert evaluation.objection_due == date(2026, 5, 25)


def test_the_settings_page(org, login_as):
    hr = login_as("hr")
    page = hr.get("/kelola/aturan-keberatan").text
    assert "14 hari kalender sejak hasil diterima" in page
    saved = hr.post("/kelola/aturan-keberatan", data={"days": "14", "counting": "kerja"},
                    follow_redirects=True)
    assert "Aturan keberatan tersimpan: 14 hari kerja sejak hasil diterima." in saved.text
    bad = hr.post("/kelola/aturan-keberatan", data={"days": "100", "counting": "kerja"})
    assert bad.status_code == 400 and "Jumlah hari antara 1 dan 60." in bad.text
    assert login_as("employee").get("/kelola/aturan-keberatan").status_code == 403
    assert "14 hari kerja sejak hasil diterima" in hr.get("/panduan/penilaian").text

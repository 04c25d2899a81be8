"""A transfer mid-year closes one SKP and opens another; each plan is evaluated for its own
months and the year combines them by months; lookups by day find the plan of that day; leave
outside the state's payroll (CLTN, tugas belajar) takes the person out of the points, the
reminders and the "belum melapor" list."""
from datetime import date

import pytest
import time_machine

from kinerja.appraisal import annual, appraisals, reminders, transfers
from kinerja.appraisal.predikat import Predikat, Rating
from kinerja.core.errors import RuleViolation
from kinerja.extensions import db
from kinerja.performance import activities, leave, skp_workflow, skps
from kinerja.performance.models import Skp, SkpStatus
from tests.builders import (
    make_evaluation,
    make_leave,
    make_period,
    make_rhk,
    make_skp,
)

AUGUST = "2026-08-10 09:00 +07:00"


@pytest.fixture
def moved(org):
    """Ani Lestari, with an approved plan for 2026, moved on 1 July to the other dinas under
    Dewi Kartika, as HR records it in August."""
    period = make_period(2026)
    make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)
    with time_machine.travel(AUGUST, tick=False):
        transfers.record_transfer(org.hr, org.employee.employee, effective_on=date(2026, 7, 1),
                                  unit_id=org.other_dinas.id,
                                  supervisor_nip=org.outsider.employee.nip,
                                  position="Analis Kebijakan")
    return period


def plans_of(employee, period):
    return [(s.first_month, s.last_month, s.status, s.approver_id)
            for s in skps.skps_in(employee, period)]


# ------------------------------------------------------------------------------ transfers


def test_a_transfer_closes_the_plan_and_opens_a_draft_for_the_new_supervisor(org, moved):
    ani = org.employee.employee
    assert plans_of(ani, moved) == [(1, 6, SkpStatus.APPROVED, None),
                                    (7, 12, SkpStatus.DRAFT, org.outsider.employee.id)]
    assert ani.unit_id == org.other_dinas.id and ani.supervisor_id == org.outsider.employee.id
    assert ani.position_name == "Analis Kebijakan"
    (transfer,) = transfers.transfers_of(ani)
    assert transfer.from_supervisor_id == org.supervisor.employee.id
    assert transfer.closed_skp.last_month == 6 and transfer.opened_skp.first_month == 7


def test_a_move_in_mid_month_gives_that_month_to_the_new_plan(org):
    period = make_period(2026)
    make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)
    transfers.record_transfer(org.hr, org.employee.employee, effective_on=date(2026, 7, 20),
                              unit_id=org.other_dinas.id, supervisor_nip=org.outsider.employee.nip)
    assert [p[:2] for p in plans_of(org.employee.employee, period)] == [(1, 6), (7, 12)]


def test_only_hr_records_a_transfer_and_bad_input_is_refused(org):
    period = make_period(2026)
    make_skp(org.employee.employee, period, status=SkpStatus.APPROVED)
    from kinerja.core.errors import NotAllowed
    with pytest.raises(NotAllowed):
        transfers.record_transfer(org.supervisor, org.employee.employee,
                                  effective_on=date(2026, 7, 1), unit_id=org.other_dinas.id,
                                  supervisor_nip=org.outsider.employee.nip)
    with pytest.raises(RuleViolation) as refused:
        transfers.record_transfer(org.hr, org.supervisor.employee, effective_on=date(2026, 7, 1),
                                  unit_id=org.other_dinas.id,
                                  supervisor_nip=org.employee.employee.nip)  # their own report
    assert refused.value.field == "supervisor_nip"
    with pytest.raises(RuleViolation):  # nothing to close in the plan's first month
        transfers.record_transfer(org.hr, org.employee.employee, effective_on=date(2026, 1, 5),
                                  unit_id=org.other_dinas.id,
                                  supervisor_nip=org.outsider.employee.nip)
    assert len(skps.skps_in(org.employee.employee, period)) == 1


def test_a_transfer_after_an_evaluation_of_a_later_month_is_refused(org):
    period = make_period(2026)
    skp = make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)
    make_evaluation(skp, point=8)
    with pytest.raises(RuleViolation):
        transfers.record_transfer(org.hr, org.employee.employee, effective_on=date(2026, 7, 1),
                                  unit_id=org.other_dinas.id,
                                  supervisor_nip=org.outsider.employee.nip)
    assert db.session.get(Skp, skp.id).last_month == 12


# ------------------------------------------------------------------------ lookups by day


def test_lookups_by_day_pick_the_plan_of_that_day(org, moved):
    ani = org.employee.employee
    first, second = skps.skps_in(ani, moved)
    assert skps.skp_covering(ani, date(2026, 6, 30)).id == first.id
    assert skps.skp_covering(ani, date(2026, 7, 1)).id == second.id
    assert skp_workflow.skp_of(ani, moved, date(2026, 3, 3)).id == first.id
    with time_machine.travel(AUGUST, tick=False):
        assert skp_workflow.skp_of(ani, moved).id == second.id
        assert skp_workflow.start_skp(org.employee, moved).id == second.id
    with time_machine.travel("2027-02-01 09:00 +07:00", tick=False):
        assert skp_workflow.skp_of(ani, moved).id == second.id  # a past year: its last plan


def test_activities_attach_to_the_plan_of_their_day(org, moved):
    ani = org.employee.employee
    first, second = skps.skps_in(ani, moved)
    old_rhk, new_rhk = first.rhks[0], make_rhk(second, "Tersusunnya kajian kebijakan")
    with time_machine.travel(AUGUST, tick=False):
        june = activities.report(org.employee, day=date(2026, 6, 30), description="Arsip",
                                 rhk_id=old_rhk.id, minutes=60)
        august = activities.report(org.employee, day=date(2026, 8, 10), description="Kajian",
                                   rhk_id=new_rhk.id, minutes=60)
        with pytest.raises(RuleViolation):  # June belongs to the closed plan
            activities.report(org.employee, day=date(2026, 6, 29), description="Kajian",
                              rhk_id=new_rhk.id, minutes=60)
    assert activities.plan_for(june).skp.id == first.id
    assert activities.plan_for(august).skp.id == second.id


def test_team_lists_find_each_persons_running_plan(org, moved):
    with time_machine.travel(AUGUST, tick=False):
        (row,) = skp_workflow.team_skps(org.outsider.employee, moved)
    assert row[1].first_month == 7


# ---------------------------------------------------------------------- evaluation points


def test_each_plan_is_evaluated_only_for_its_months(org, moved):
    first, second = skps.skps_in(org.employee.employee, moved)
    assert [p.number for p in appraisals.points_of_skp(first)] == [1, 2, 3, 4, 5, 6, 0]
    assert [p.number for p in appraisals.points_of_skp(second)] == [7, 8, 9, 10, 11, 12, 0]
    final = appraisals.points_of_skp(first)[-1]
    assert (final.first_month, final.last_month, final.opens_on) == (1, 6, date(2026, 6, 1))
    with time_machine.travel(AUGUST, tick=False), pytest.raises(RuleViolation):
        appraisals.open_evaluation(org.employee, first,
                                   appraisals.point_of(moved, "periodik", 7))


def test_the_matrix_shows_which_months_belong_to_which_plan(org, moved):
    with time_machine.travel(AUGUST, tick=False):
        rows = appraisals.own_overviews(org.employee, moved)
    assert [r.months_label for r in rows] == ["Jan–Jun", "Jul–Des"]
    assert [c.point.number for c in rows[0].cells if c.in_skp] == [1, 2, 3, 4, 5, 6, 0]
    assert [c.point.number for c in rows[1].cells if c.in_skp] == [7, 8, 9, 10, 11, 12, 0]
    assert not any(c.can_start for c in rows[1].cells)  # the new plan is still a draft


def test_a_quarter_split_by_a_transfer_is_evaluated_in_each_plan_for_its_part(org):
    from kinerja.core.calendar import Cadence
    period = make_period(2026, cadence=Cadence.QUARTERLY)
    make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)
    transfers.record_transfer(org.hr, org.employee.employee, effective_on=date(2026, 8, 3),
                              unit_id=org.other_dinas.id, supervisor_nip=org.outsider.employee.nip)
    first, second = skps.skps_in(org.employee.employee, period)
    q3_first = appraisals.points_of_skp(first)[2]
    q3_second = appraisals.points_of_skp(second)[0]
    assert (q3_first.number, q3_first.first_month, q3_first.last_month) == (3, 7, 7)
    assert (q3_second.number, q3_second.first_month, q3_second.last_month) == (3, 8, 9)


# -------------------------------------------------------------------- the combined year


def test_the_year_weighs_each_plan_by_its_months():
    part = annual.Part
    nine_above = annual.combine([part(3, Rating.AS_EXPECTED, Rating.AS_EXPECTED),
                                 part(9, Rating.ABOVE, Rating.ABOVE)])
    assert nine_above.predikat is Predikat.VERY_GOOD
    nine_below = annual.combine([part(9, Rating.AS_EXPECTED, Rating.AS_EXPECTED),
                                 part(3, Rating.ABOVE, Rating.ABOVE)])
    assert nine_below.predikat is Predikat.GOOD
    # Six and six: a tie goes to the later plan.
    tie = annual.combine([part(6, Rating.AS_EXPECTED, Rating.AS_EXPECTED),
                          part(6, Rating.ABOVE, Rating.ABOVE)])
    assert (tie.result, tie.behaviour, tie.predikat) == (Rating.ABOVE, Rating.ABOVE,
                                                         Predikat.VERY_GOOD)
    assert annual.combine([part(0, Rating.BELOW, Rating.BELOW)]) is None


def test_the_year_result_needs_every_plans_final_evaluation(org, moved):
    ani = org.employee.employee
    first, second = skps.skps_in(ani, moved)
    make_evaluation(first, annual=True, result="sesuai", behaviour="sesuai")
    assert appraisals.year_result(ani, moved) is None
    second.status = SkpStatus.APPROVED
    make_evaluation(second, annual=True, result="di_bawah", behaviour="di_bawah")
    combined = appraisals.year_result(ani, moved)
    assert (combined.result, combined.behaviour) == (Rating.BELOW, Rating.BELOW)  # 1.5: later


# ------------------------------------------------------------------------------- leave


def test_months_spent_on_leave_are_not_evaluation_points(org):
    period = make_period(2026)
    skp = make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)
    make_leave(org.employee.employee, date(2026, 4, 1), date(2026, 6, 15))
    assert [p.number for p in appraisals.points_of_skp(skp)] == [1, 2, 3, 6, 7, 8, 9, 10, 11,
                                                                  12, 0]
    with time_machine.travel("2026-05-20 09:00 +07:00", tick=False):
        with pytest.raises(RuleViolation):
            appraisals.open_evaluation(org.supervisor, skp, appraisals.point_of(period,
                                                                                "periodik", 4))
        row = next(r for r in appraisals.team_overview(org.supervisor, period)
                   if r.employee.id == org.employee.employee.id)
    april = row.cells[3]
    assert april.on_leave and not april.can_start


def test_leave_removes_the_daily_report_reminder_and_the_not_reported_list(org):
    period = make_period(2026)
    for user in (org.employee, org.teammate):
        make_skp(user.employee, period, status=SkpStatus.APPROVED, rhks=1)
    make_leave(org.employee.employee, date(2026, 4, 1), date(2026, 6, 30))
    pending = reminders.missing_daily_reports(period, date(2026, 5, 12))
    assert {p.user_id for p in pending} == {org.teammate.id}
    with time_machine.travel("2026-05-12 15:00 +07:00", tick=False):
        panel = activities.not_reported(org.supervisor)
    assert [p.name for p in panel.none_today] == ["Rudi Hartono"]
    assert [p.name for p in panel.none_this_week] == ["Rudi Hartono"]


def test_evaluation_reminders_skip_a_point_spent_on_leave_and_other_plans(org, moved):
    make_leave(org.teammate.employee, date(2026, 7, 1), date(2026, 7, 31))
    make_skp(org.teammate.employee, moved, status=SkpStatus.APPROVED, rhks=1)
    second = skps.skps_in(org.employee.employee, moved)[1]
    second.status = SkpStatus.APPROVED
    db.session.commit()
    due = reminders.evaluations_due(moved, date(2026, 8, 5))  # July ended
    assert {p.params["employee_name"] for p in due} == {"Ani Lestari"}
    assert all(f":{second.id}:" in p.key for p in due)


def test_leave_is_recorded_by_hr_with_sane_dates(org):
    with pytest.raises(RuleViolation):
        leave.record(org.hr, org.employee.employee, kind="cltn", starts_on=date(2026, 5, 1),
                     ends_on=date(2026, 4, 1))
    recorded = leave.record(org.hr, org.employee.employee, kind="tugas_belajar",
                            starts_on=date(2026, 4, 1), ends_on=date(2026, 9, 30))
    with pytest.raises(RuleViolation):  # overlapping
        leave.record(org.hr, org.employee.employee, kind="cltn", starts_on=date(2026, 9, 1),
                     ends_on=date(2026, 10, 31))
    assert leave.missed_months([(recorded.starts_on, recorded.ends_on)], 2026) == {4, 5, 6, 7,
                                                                                    8, 9}


# ------------------------------------------------------------------------------- pages


def test_hr_records_a_transfer_on_the_page_and_the_employee_sees_both_plans(org, login_as):
    period = make_period(2026)
    make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)
    with time_machine.travel(AUGUST, tick=False):
        hr = login_as("hr")
        page = hr.get(f"/pegawai/{org.employee.employee.id}/mutasi-cuti")
        assert page.status_code == 200, page.location
        assert "Catat mutasi" in page.text
        bad = hr.post(f"/pegawai/{org.employee.employee.id}/mutasi", data={
            "mutasi-effective_on": "2026-07-01", "mutasi-unit_id": str(org.other_dinas.id),
            "mutasi-supervisor_nip": "123"})
        assert bad.status_code == 400
        done = hr.post(f"/pegawai/{org.employee.employee.id}/mutasi", data={
            "mutasi-effective_on": "2026-07-01", "mutasi-unit_id": str(org.other_dinas.id),
            "mutasi-supervisor_nip": org.outsider.employee.nip})
        assert done.status_code == 302
        mine = login_as("employee").get("/skp")
    assert "SKP Jan–Jun 2026" in mine.text and "SKP Jul–Des 2026" in mine.text
    assert "Dewi Kartika" in mine.text

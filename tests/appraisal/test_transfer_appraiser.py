"""After a mid-year transfer each plan keeps the supervisor it was made with: the old
supervisor rates (and agrees) the closed plan's months, the new one only the plan opened with
them; lists, pages, objections and reminders follow the same rule."""
from datetime import date

import pytest
import time_machine

from kinerja.appraisal import appraisals, reminders, transfers
from kinerja.appraisal.predikat import Behaviour
from kinerja.core.errors import NotAllowed
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.performance import skp_workflow, skps
from kinerja.performance.models import SkpStatus
from tests.builders import make_period, make_rhk, make_skp

AUGUST = "2026-08-10 09:00 +07:00"


@pytest.fixture
def moved(org):
    """Ani Lestari (supervisor Budi Santoso) moved on 1 July to Dinas Kesehatan under Dewi
    Kartika; HR records it in August. Her new plan is agreed with Dewi."""
    period = make_period(2026)
    make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)
    with time_machine.travel(AUGUST, tick=False):
        transfers.record_transfer(org.hr, org.employee.employee, effective_on=date(2026, 7, 1),
                                  unit_id=org.other_dinas.id,
                                  supervisor_nip=org.outsider.employee.nip)
    first, second = skps.skps_in(org.employee.employee, period)
    make_rhk(second, "Tersusunnya kajian kebijakan")
    second.status = SkpStatus.APPROVED
    db.session.commit()
    return first, second


def ratings(skp, value="sesuai"):
    return appraisals.RatingInput(
        results={rhk.id: (value, None) for rhk in skp.rhks},
        behaviours={b.value: (value, None) for b in Behaviour}, result=value, behaviour=value)


def point(skp, number):
    return appraisals.point_of(skp.period, "periodik", number)


@time_machine.travel(AUGUST, tick=False)
def test_the_old_supervisor_rates_the_closed_plans_months(org, moved):
    first, _ = moved
    june = appraisals.open_evaluation(org.supervisor, first, point(first, 6))
    assert june.appraiser_id == org.supervisor.employee.id
    appraisals.save_ratings(org.supervisor, june, ratings(first))
    appraisals.finalise(org.supervisor, june)
    assert june.appraiser_id == org.supervisor.employee.id
    # The objection goes to the old supervisor's own supervisor, not the new one's.
    assert access.objection_decider_of(june).id == org.head.employee.id


@time_machine.travel(AUGUST, tick=False)
def test_the_new_supervisor_does_not_rate_the_closed_plan(org, moved):
    first, _ = moved
    with pytest.raises(NotAllowed):
        appraisals.open_evaluation(org.outsider, first, point(first, 6))
    june = appraisals.open_evaluation(org.employee, first, point(first, 6))  # self-assessment
    assert june.appraiser_id == org.supervisor.employee.id
    assert not appraisals.can_rate(org.outsider, june)
    with pytest.raises(NotAllowed):
        appraisals.save_ratings(org.outsider, june, ratings(first))
    assert appraisals.can_rate(org.supervisor, june)


@time_machine.travel("2026-09-10 09:00 +07:00", tick=False)
def test_the_new_supervisor_rates_the_new_plan_and_the_old_one_does_not(org, moved):
    _, second = moved
    with pytest.raises(NotAllowed):
        appraisals.open_evaluation(org.supervisor, second, point(second, 8))
    august = appraisals.open_evaluation(org.outsider, second, point(second, 8))
    assert august.appraiser_id == org.outsider.employee.id
    appraisals.save_ratings(org.outsider, august, ratings(second, "di_atas"))
    appraisals.finalise(org.outsider, august)
    assert august.predikat.value == "sangat_baik"


@time_machine.travel(AUGUST, tick=False)
def test_each_supervisors_matrix_shows_only_the_plan_they_rate(org, moved):
    first, second = moved
    old = [(r.employee.name, r.skp.id if r.skp else None)
           for r in appraisals.team_overview(org.supervisor, first.period)]
    assert ("Ani Lestari", first.id) in old and ("Ani Lestari", second.id) not in old
    assert ("Rudi Hartono", None) in old  # the rest of the old team stays
    new = [(r.employee.name, r.skp.id) for r in appraisals.team_overview(org.outsider,
                                                                         first.period)]
    assert new == [("Ani Lestari", second.id)]
    june = next(c for r in appraisals.team_overview(org.supervisor, first.period)
                if r.skp is not None and r.skp.id == first.id for c in r.cells
                if c.point.number == 6 and not c.point.is_annual)
    assert june.can_start
    mine = appraisals.own_overviews(org.employee, first.period)
    assert [r.appraiser.name for r in mine] == ["Budi Santoso", "Dewi Kartika"]


def test_a_revision_of_the_closed_plan_is_agreed_by_the_old_supervisor(org, moved):
    first, second = moved
    first.status = SkpStatus.SUBMITTED
    db.session.commit()
    with time_machine.travel(AUGUST, tick=False):
        assert skp_workflow.waiting_for(org.supervisor.employee, first.period) == [first]
        assert skp_workflow.waiting_for(org.outsider.employee, first.period) == []
        assert not skp_workflow.can_decide(org.outsider, first)
        with pytest.raises(NotAllowed):
            skp_workflow.approve(org.outsider, first)
        skp_workflow.approve(org.supervisor, first)
    assert first.status is SkpStatus.APPROVED and first.approver_id == org.supervisor.employee.id


def test_the_closed_plans_due_reminder_goes_to_the_old_supervisor(org, moved):
    due = reminders.evaluations_due(moved[0].period, date(2026, 7, 3))  # June ended
    ani = [p for p in due if p.params["employee_name"] == "Ani Lestari"]
    assert [p.user_id for p in ani] == [org.supervisor.id]


def test_the_old_supervisor_opens_and_rates_on_the_pages(org, moved, login_as):
    first, _ = moved
    with time_machine.travel(AUGUST, tick=False):
        old = login_as("supervisor")
        home = old.get(f"/penilaian?period_id={first.period_id}")
        assert "Ani Lestari" in home.text and "SKP Jan–Jun" in home.text
        june = appraisals.open_evaluation(org.employee, first, point(first, 6))
        assert old.get(f"/penilaian/{june.id}").status_code == 200
        assert old.get(f"/skp/{first.id}").status_code == 200
        new = login_as("outsider")
        assert new.post(f"/penilaian/{june.id}/nilai", data={"aksi": "simpan"}).status_code == 403
        mine = login_as("employee").get(f"/penilaian?period_id={first.period_id}")
    assert "penilai: Budi Santoso" in mine.text and "penilai: Dewi Kartika" in mine.text

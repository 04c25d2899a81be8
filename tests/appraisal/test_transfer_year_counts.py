"""A person whose year a transfer split counts once in the annual curve and the predikat recap,
with the plans' results combined by months (the year result, annual.py), and not at all until
every plan's final evaluation is set; award rankings leave out the days and months spent on
CLTN or tugas belajar."""
from datetime import UTC, date, datetime

import pytest
import time_machine

from kinerja.appraisal import appraisal_documents, appraisals, distribution, transfers
from kinerja.appraisal.models import EvaluationKind, UnitPredikat
from kinerja.appraisal.predikat import OrganisationPredikat, Predikat
from kinerja.extensions import db
from kinerja.performance import skps
from kinerja.performance.models import SkpStatus
from kinerja.recognition import awards
from tests.builders import (
    make_activity,
    make_evaluation,
    make_leave,
    make_period,
    make_realisation,
    make_rhk,
    make_skp,
)
from tests.recognition.builders import make_award

ANNUAL = distribution.ANNUAL


@pytest.fixture
def moved(org):
    """Ani Lestari moved on 1 July 2026 to Dinas Kesehatan under Dewi Kartika; both plans
    approved. Rudi, who stayed, is rated Baik for the year."""
    period = make_period(2026)
    make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)
    with time_machine.travel("2026-08-10 09:00 +07:00", tick=False):
        transfers.record_transfer(org.hr, org.employee.employee, effective_on=date(2026, 7, 1),
                                  unit_id=org.other_dinas.id,
                                  supervisor_nip=org.outsider.employee.nip)
    first, second = skps.skps_in(org.employee.employee, period)
    make_rhk(second, "Tersusunnya kajian kebijakan")
    second.status = SkpStatus.APPROVED
    rudi = make_skp(org.teammate.employee, period, status=SkpStatus.APPROVED, rhks=1)
    make_evaluation(rudi, annual=True, result="sesuai", behaviour="sesuai")
    db.session.add(UnitPredikat(unit_id=org.other_dinas.id, period_id=period.id,
                                kind=EvaluationKind.ANNUAL, point=0,
                                predikat=OrganisationPredikat.GOOD))
    db.session.commit()
    return first, second


def annual_of(org, period):
    return distribution.employee_predikats([org.employee.employee.id, org.teammate.employee.id],
                                           period, at=ANNUAL)


def test_the_annual_curve_waits_for_every_plan_then_counts_the_combined_result(org, moved):
    first, second = moved
    period = first.period
    make_evaluation(first, annual=True, result="sesuai", behaviour="sesuai")  # Baik alone
    found = annual_of(org, period)
    assert org.employee.employee.id not in found  # the year is not complete: nothing guessed
    assert found[org.teammate.employee.id].predikat is Predikat.GOOD
    final = make_evaluation(second, annual=True, result="di_atas", behaviour="di_atas")
    held = annual_of(org, period)[org.employee.employee.id]
    # Six months each: the tie goes to the later plan, as the year result says.
    assert held.predikat is Predikat.VERY_GOOD
    assert held.predikat is appraisals.year_result(org.employee.employee, period).predikat
    assert held.evaluation_id == final.id
    status = distribution.distribution_status(org.other_dinas, period, at=ANNUAL)
    assert status.rated == 1 and status.counts[Predikat.VERY_GOOD] == 1  # once, not twice


def test_a_persons_standing_without_a_point_is_the_combined_year(org, moved):
    first, second = moved
    make_evaluation(first, point=6, result="di_bawah", behaviour="sesuai")
    make_evaluation(first, annual=True, result="sesuai", behaviour="sesuai")
    standing = distribution.employee_predikats([org.employee.employee.id], first.period)
    assert standing[org.employee.employee.id].predikat is Predikat.NEEDS_IMPROVEMENT  # June's
    make_evaluation(second, annual=True, result="sesuai", behaviour="di_atas")
    standing = distribution.employee_predikats([org.employee.employee.id], first.period)
    assert standing[org.employee.employee.id].predikat is Predikat.GOOD


def test_the_recap_counts_the_transferred_person_once_with_the_combined_result(org, moved):
    first, second = moved
    make_evaluation(first, annual=True, result="di_bawah", behaviour="di_bawah")
    make_evaluation(second, annual=True, result="sesuai", behaviour="sesuai")
    found = appraisal_documents.period_predikats(first.period, at=ANNUAL)
    # 1.5 on both ratings: the later plan's side, Sesuai: Baik (not one Sangat Kurang, one Baik).
    assert found[org.employee.employee.id].predikat is Predikat.GOOD
    recap = appraisal_documents.predikat_recap(org.hr, first.period, ANNUAL)
    assert recap.total.evaluated == 2  # Ani and Rudi, once each
    health = next(line for line in recap.units if line.name == "Dinas Kesehatan")
    assert health.counts == {Predikat.GOOD: 1}


def test_a_month_of_a_split_year_counts_the_plan_that_covers_it(org, moved):
    first, second = moved
    make_evaluation(first, point=6, result="di_atas", behaviour="di_atas")
    make_evaluation(second, point=7, result="di_bawah", behaviour="sesuai")
    june = distribution.employee_predikats([org.employee.employee.id], first.period,
                                           at=distribution.At("periodik", 6))
    july = distribution.employee_predikats([org.employee.employee.id], first.period,
                                           at=distribution.At("periodik", 7))
    assert june[org.employee.employee.id].predikat is Predikat.VERY_GOOD
    assert july[org.employee.employee.id].predikat is Predikat.NEEDS_IMPROVEMENT


# ------------------------------------------------------------------------ award rankings


@time_machine.travel(datetime(2026, 3, 31, 2, 0, tzinfo=UTC), tick=False)
def test_award_rankings_leave_out_days_and_months_on_leave(org):
    """March 2026: 21 working days (Nyepi on the 19th). Ani was on tugas belajar from 16
    March (11 of them) and for April to June as well; Rudi worked the whole month."""
    period = make_period(2026)
    ani = make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)
    rudi = make_skp(org.teammate.employee, period, status=SkpStatus.APPROVED, rhks=1)
    make_leave(org.employee.employee, date(2026, 3, 16), date(2026, 6, 30))
    for skp in (ani, rudi):
        make_activity(skp.employee, skp.rhks[0], date(2026, 3, 2))
        make_realisation(skp.rhks[0].indicators[0], 3, "6")  # 6 of a yearly 12
    award = make_award(period, unit=org.dinas, date_from=date(2026, 3, 1),
                       date_to=date(2026, 3, 31))
    rows = {r["name"]: r for r in awards.ranking(org.hr, award, date(2026, 3, 31)).rows}
    assert rows["Rudi Hartono"]["facts"]["working_days"] == 21
    assert rows["Ani Lestari"]["facts"]["working_days"] == 10
    assert rows["Ani Lestari"]["criteria"]["regularity"]["value"] == "10.00"   # 1 of 10
    assert rows["Rudi Hartono"]["criteria"]["realisation"]["value"] == "50.00"  # 6 of 12
    # Three of her twelve months on leave: 6 of the 9 expected.
    assert rows["Ani Lestari"]["criteria"]["realisation"]["value"] == "66.67"

"""Lower-is-better indicators: a time (waktu) or cost (biaya) target is met at or below it. The
achievement is target / realised (3 days done in 2: 150%; in 5: 60%; 0: counted as 200%), a
quality, time or cost indicator that beats its target is ahead, and every page and figure that
reads achievement (progress, realisation, the evaluation, the heatmap, award ranking) agrees."""
import re
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
import time_machine

from kinerja.extensions import db
from kinerja.performance import skp_workflow
from kinerja.performance.heatmap import heat_percentages
from kinerja.performance.models import Aspect, SkpStatus
from kinerja.performance.pace import (
    MonthlySeries,
    PaceStatus,
    achievement,
    pace,
    percent_of_target,
)
from kinerja.performance.progress import progress_report
from tests.builders import make_indicator, make_period, make_realisation, make_rhk, make_skp

JUNE = "2026-06-15 09:00 +08:00"
EARLY = Fraction(1, 12)


# ---------------------------------------------------------------- the rule, with plain numbers


@pytest.mark.parametrize(("realised", "percent", "status"), [
    ("2", "150.0", PaceStatus.AHEAD),            # 3 days done in 2
    ("3", "100.0", PaceStatus.ON_TRACK),         # exactly the target
    ("3.5", "85.7", PaceStatus.SLIGHTLY_BEHIND),
    ("5", "60.0", PaceStatus.BEHIND),            # 3 days done in 5: behind, not 166.7%
    ("0", "200.0", PaceStatus.AHEAD),            # done the same day: no ratio, counted as 200%
])
def test_a_three_day_target(realised, percent, status):
    result = pace(Decimal(realised), Decimal("3"), EARLY, cumulative=False, lower_is_better=True)
    assert result.percent_of_target == Decimal(percent)
    assert result.status is status


def test_higher_is_better_stays_as_it_was_and_beating_a_quality_target_is_ahead():
    assert pace(Decimal("5"), Decimal("3"), EARLY, cumulative=False).percent_of_target == Decimal("166.7")
    assert pace(Decimal("97"), Decimal("95"), EARLY, cumulative=False).status is PaceStatus.AHEAD
    assert pace(Decimal("18"), Decimal("12"), Fraction(1)).status is PaceStatus.ON_TRACK  # quantity


def test_achievement_and_percent_of_target_turn_round_for_lower_is_better():
    assert achievement(2, 3, lower_is_better=True) == Fraction(3, 2)
    assert achievement(0, 3, lower_is_better=True) == 2
    assert percent_of_target(Decimal("6"), Decimal("3"), lower_is_better=True) == Decimal("50.0")
    assert percent_of_target(Decimal("6"), Decimal("3")) == Decimal("200.0")


def test_a_lower_is_better_quantity_counts_against_the_allowance_so_far():
    # At most 12 complaints a year; by mid-year 6 are allowed: 3 is ahead of pace, 9 behind.
    assert pace(3, 12, Fraction(1, 2), lower_is_better=True).status is PaceStatus.ON_TRACK
    assert pace(9, 12, Fraction(1, 2), lower_is_better=True).status is PaceStatus.BEHIND


def test_the_heatmap_turns_a_lower_is_better_quantity_round():
    fewer = MonthlySeries(quantity=True, sums={1: Decimal("1")})
    values = heat_percentages([(fewer, Decimal("12"), True)], 2026, date(2026, 2, 15))
    assert values[0] == Decimal("100.0")
    values = heat_percentages([(fewer, Decimal("12"))], 2026, date(2026, 2, 15))
    assert values[0] == Decimal("100.0")
    more = MonthlySeries(quantity=True, sums={1: Decimal("4")})
    assert heat_percentages([(more, Decimal("12"), True)], 2026, date(2026, 2, 15))[0] == Decimal("25.0")


# ---------------------------------------------------------------- the SKP builder


@pytest.fixture
def plan(org):
    skp = make_skp(org.employee.employee, make_period(2026), status=SkpStatus.DRAFT)
    rhk = make_rhk(skp, "Terlayaninya perizinan", target="120", unit_of_measure="izin")
    return rhk


@pytest.mark.parametrize(("aspect", "lower"), [
    ("waktu", True), ("biaya", True), ("kuantitas", False), ("kualitas", False)])
def test_a_new_indicator_takes_its_direction_from_the_aspect(org, plan, aspect, lower):
    indicator = skp_workflow.save_indicator(org.employee, plan, None, aspect=aspect,
                                            text="Waktu penyelesaian izin", target="3",
                                            unit_of_measure="hari")
    assert indicator.lower_is_better is lower


def test_the_builder_may_set_the_direction_and_it_stays(org, plan, login_as):
    client = login_as("employee")
    client.post(f"/rhk/{plan.id}/indikator", data={
        "aspect": "waktu", "text": "Waktu tunggu antrean", "target": "30",
        "unit_of_measure": "menit", "direction": "naik"})
    db.session.expire_all()
    indicator = plan.indicators[-1]
    assert indicator.text == "Waktu tunggu antrean" and indicator.lower_is_better is False
    form = client.get(f"/skp/{plan.skp_id}?ubah_indikator={indicator.id}").text
    assert '<option selected value="naik">' in form
    client.post(f"/indikator/{indicator.id}/ubah", data={
        "aspect": "waktu", "text": "Waktu tunggu antrean", "target": "30",
        "unit_of_measure": "menit", "direction": "turun"})
    db.session.expire_all()
    assert plan.indicators[-1].lower_is_better is True
    assert "(paling banyak)" in client.get(f"/skp/{plan.skp_id}").text


# ---------------------------------------------------------------- the pages


@pytest.fixture
def permit_time(org):
    skp = make_skp(org.employee.employee, make_period(2026), status=SkpStatus.APPROVED)
    rhk = make_rhk(skp, "Terlayaninya perizinan", target="120", unit_of_measure="izin")
    indicator = make_indicator(rhk, aspect=Aspect.TIME, text="Waktu penyelesaian izin",
                               target="3", unit_of_measure="hari")
    indicator.lower_is_better = True
    db.session.commit()
    return indicator


@time_machine.travel(JUNE, tick=False)
def test_three_days_done_in_two_is_ahead_on_the_progress_page(org, permit_time, login_as):
    make_realisation(permit_time, 5, value="2")
    report = progress_report(org.employee, org.employee.employee)
    found = next(i for i in report.indicators if i.indicator.id == permit_time.id)
    assert found.pace.status is PaceStatus.AHEAD and found.pace.percent_of_target == Decimal("150.0")
    page = login_as("employee").get("/kinerja").text
    assert "Melampaui target" in page and "makin kecil makin baik" in page
    assert "Realisasi 2 dari target 3 hari (150% dari target)" in page


@time_machine.travel(JUNE, tick=False)
def test_three_days_done_in_five_is_behind_everywhere(org, permit_time, login_as):
    make_realisation(permit_time, 5, value="5")
    report = progress_report(org.employee, org.employee.employee)
    found = next(i for i in report.indicators if i.indicator.id == permit_time.id)
    assert found.pace.status is PaceStatus.BEHIND and found.pace.percent_of_target == Decimal("60.0")
    month = login_as("employee").get(f"/skp/{permit_time.rhk.skp_id}/realisasi?bulan=5").text
    assert "5 5 60%" in " ".join(re.sub(r"<[^>]+>", " ", month).split())
    assert "166,7%" not in month

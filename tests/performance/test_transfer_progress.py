"""After a mid-year transfer the figures read month by month follow the plan covering each
month: the heatmap shows the closed plan's indicators before the move and the new plan's
after it, unit performance reads the running plan, and the daily report form offers the RHK of
the plan of the chosen day."""
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from kinerja.appraisal import transfers, unit_performance
from kinerja.extensions import db
from kinerja.performance import heatmap as heatmaps
from kinerja.performance import skps
from kinerja.performance.models import SkpStatus
from tests.builders import make_period, make_realisation, make_rhk, make_skp

AUGUST = "2026-08-10 09:00 +07:00"


@pytest.fixture
def moved(org):
    """Ani Lestari, 12 documents a year in her first plan, moved on 1 July to Dinas Kesehatan,
    where her new plan asks 6 policy notes for July to December."""
    period = make_period(2026)
    make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)
    with time_machine.travel(AUGUST, tick=False):
        transfers.record_transfer(org.hr, org.employee.employee, effective_on=date(2026, 7, 1),
                                  unit_id=org.other_dinas.id,
                                  supervisor_nip=org.outsider.employee.nip)
    first, second = skps.skps_in(org.employee.employee, period)
    make_rhk(second, "Tersusunnya kajian kebijakan", target="6", unit_of_measure="kajian")
    second.status = SkpStatus.APPROVED
    db.session.commit()
    return first, second


def test_the_heatmap_shows_each_month_against_the_plan_covering_it(org, moved):
    first, second = moved
    make_realisation(first.rhks[0].indicators[0], 6, "6")   # 6 of 12 by the end of June
    make_realisation(second.rhks[0].indicators[0], 7, "1")  # 1 of 6 in July: on pace
    heatmap = heatmaps.unit_heatmap(org.other_dinas, 2026, today=date(2026, 8, 10))
    ani = next(r for r in heatmap.rows if r.employee.id == org.employee.employee.id)
    values = [v for v, _ in ani.cells]
    assert values[5] == Decimal("50.0")    # June: the closed plan alone, over its six months
    assert values[6] == Decimal("100.0")   # July: the new plan alone, one sixth due
    assert values[0] == Decimal("0.0")     # January: nothing realised, the new plan not in it
    assert values[8] is None               # September has not begun


def test_a_plan_cut_to_some_months_is_paced_over_them():
    share = heatmaps.plan_share
    assert share(2026, range(7, 13), 9, date(2026, 12, 1)) == Decimal(3) / 6
    assert share(2026, range(1, 7), 6, date(2026, 8, 1)) == 1
    assert share(2026, range(7, 13), 8, date(2026, 8, 1)) is not None
    assert share(2026, range(7, 13), 9, date(2026, 8, 1)) is None
    assert share(2026, range(1, 13), 3, date(2026, 8, 1)) == Decimal(3) / 12


def test_unit_performance_reads_the_plan_running_now(org, moved):
    first, second = moved
    make_realisation(first.rhks[0].indicators[0], 6, "12")
    make_realisation(second.rhks[0].indicators[0], 7, "3")
    shares = unit_performance.realisation_by_employee([org.employee.employee.id], first.period, 8)
    assert shares[org.employee.employee.id] == [Decimal(3) / 6]   # not also the closed 12 / 12
    june = unit_performance.realisation_by_employee([org.employee.employee.id], first.period, 6)
    assert june[org.employee.employee.id] == [1]


# ---------------------------------------------------------------- the daily report form


def test_the_activity_form_offers_the_rhk_of_the_chosen_days_plan(org, moved, login_as):
    first, second = moved
    with time_machine.travel(AUGUST, tick=False):
        client = login_as("employee")
        june = client.get("/harian/rhk", query_string={"day": "2026-06-30"})
        august = client.get("/harian/rhk", query_string={
            "day": "2026-08-03", "rhk_id": second.rhks[0].id,
            "indicator_id": second.rhks[0].indicators[0].id})
        week = client.get("/harian")
        refused = client.post("/harian", data={
            "description": "Arsip", "day": "2026-06-30", "minutes": "60",
            "rhk_id": str(second.rhks[0].id)})
    old_text, new_text = first.rhks[0].text, second.rhks[0].text
    assert june.status_code == 200
    assert old_text in june.text and new_text not in june.text
    assert "RHK dari SKP Jan–Jun" in june.text
    assert new_text in august.text and old_text not in august.text
    assert f'value="{second.rhks[0].id}" title="{new_text}" selected' in august.text
    # Today's plan in the form, and the date field asks for the day's list when it changes.
    assert new_text in week.text and 'hx-get="/harian/rhk"' in week.text
    # A refused June entry comes back with June's plan to choose from.
    assert refused.status_code == 400
    assert old_text in refused.text


def test_a_new_plan_still_empty_leaves_the_days_before_the_move_reportable(org, login_as):
    period = make_period(2026)
    make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)
    with time_machine.travel(AUGUST, tick=False):
        transfers.record_transfer(org.hr, org.employee.employee, effective_on=date(2026, 8, 1),
                                  unit_id=org.other_dinas.id,
                                  supervisor_nip=org.outsider.employee.nip)
        client = login_as("employee")
        week = client.get("/harian")
        saved = client.post("/harian", data={
            "description": "Menyerahkan arsip", "day": "2026-07-31", "minutes": "60",
            "rhk_id": str(skps.skps_in(org.employee.employee, period)[0].rhks[0].id)})
    assert "Kegiatan sebelum mutasi dicatat pada RHK SKP lama" in week.text
    assert 'id="rhk-fields"' in week.text
    assert saved.status_code == 302

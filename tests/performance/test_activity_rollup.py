"""activity_rollups always equal a recount of the activities, whatever happened to them."""
from datetime import date
from decimal import Decimal

import time_machine

from kinerja.extensions import db
from kinerja.performance import activities, activity_rollup
from kinerja.performance.models import Activity, ActivityRollup
from tests.builders import make_period, make_rhk, make_skp


def rollups() -> set[tuple]:
    return {(r.indicator_id, r.month, r.quantity, r.activities)
            for r in db.session.scalars(db.select(ActivityRollup)) if r.activities}


def recount(period_id) -> set[tuple]:
    kept = rollups()
    activity_rollup.rebuild(period_id)
    db.session.commit()
    fresh = rollups()
    assert kept == fresh
    return fresh


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_rollups_follow_every_change(org):
    period = make_period(2026)
    skp = make_skp(org.employee.employee, period)
    first, second = make_rhk(skp, "Pelayanan KTP-el"), make_rhk(skp, "Laporan bulanan")
    ani, budi = org.employee, org.supervisor

    one = activities.report(ani, day=date(2026, 3, 2), description="Verifikasi berkas",
                            rhk_id=first.id, indicator_id=first.indicators[0].id, minutes=60,
                            quantity="3")
    two = activities.report(ani, day=date(2026, 2, 27), description="Rekap",
                            rhk_id=second.id, indicator_id=second.indicators[0].id, minutes=30,
                            quantity="1,5")
    assert recount(period.id) == {(first.indicators[0].id, 3, Decimal("3.00"), 1),
                                  (second.indicators[0].id, 2, Decimal("1.50"), 1)}

    activities.update(ani, one, day=date(2026, 3, 3), description="Verifikasi berkas",
                      rhk_id=second.id, indicator_id=second.indicators[0].id, minutes=60,
                      quantity="4")
    recount(period.id)
    activities.return_(budi, two, "Lampirkan rekapnya")
    assert (second.indicators[0].id, 2, Decimal("1.50"), 1) not in recount(period.id)
    activities.update(ani, two, day=date(2026, 2, 27), description="Rekap", rhk_id=second.id,
                      indicator_id=second.indicators[0].id, minutes=30, quantity="2")
    activities.verify(budi, two)
    recount(period.id)
    activities.copy_previous_day(ani, date(2026, 3, 4))
    recount(period.id)
    activities.delete(ani, db.session.get(Activity, one.id))
    recount(period.id)

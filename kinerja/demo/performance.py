"""The demo's year of SKP work: an open period, unit goals, SKPs cascaded down one dinas and
daily activities up to today, so every page has something real to show.

The demo `pegawai` is left without an SKP, to go through the cycle themselves.
"""
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert

from kinerja.core import holidays
from kinerja.core.calendar import Cadence, working_days
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.organisation.models import Employee, Unit
from kinerja.performance import activity_rollup
from kinerja.performance.models import (
    Activity,
    ActivityStatus,
    Aspect,
    Indicator,
    Period,
    PeriodStatus,
    Rhk,
    RhkKind,
    Skp,
    SkpStatus,
    SkpVersion,
    UnitGoal,
)
from kinerja.performance.skp_workflow import snapshot

GOALS = [
    "Meningkatnya cakupan kepemilikan dokumen kependudukan",
    "Meningkatnya kualitas pelayanan administrasi kependudukan",
]
WORK = [
    ("Terlaksananya pelayanan {area}", "berkas", "Memverifikasi berkas permohonan {area}"),
    ("Tersusunnya laporan {area}", "laporan", "Menyusun laporan {area}"),
    ("Terselesaikannya pengaduan layanan {area}", "pengaduan", "Menindaklanjuti pengaduan {area}"),
]


def agreed_at(today: date) -> datetime:
    """When the demo's plans were agreed: early January, as the regulation asks (the pace of
    a plan starts on the day it is agreed), or now when the demo starts in the first days."""
    return min(datetime(today.year, 1, 9, 1, 0, tzinfo=UTC), utcnow())


def approved_skp(rng: random.Random, person: Employee, period: Period, parents: list,
                 from_goals: bool, agreed: datetime | None = None) -> tuple[Skp, list[Rhk]]:
    """An approved SKP with two RHK, each derived from one of `parents` (the supervisor's RHK,
    or the unit goals for a head), with a quantity and a quality indicator."""
    agreed = agreed or utcnow()
    skp = Skp(employee=person, period=period, status=SkpStatus.APPROVED, version=1,
              approver=person.supervisor, submitted_at=agreed, decided_at=agreed,
              created_at=agreed)
    db.session.add(skp)
    area = (person.position.name if person.position else "unit").lower()
    rhks = []
    for n, (result, measure, _) in enumerate(rng.sample(WORK, 2)):
        parent = parents[n % len(parents)] if parents else None
        rhk = Rhk(skp=skp, kind=RhkKind.MAIN, text=result.format(area=area), position=n,
                  parent=None if from_goals else parent, unit_goal=parent if from_goals else None)
        rhk.indicators.append(Indicator(
            aspect=Aspect.QUANTITY, text=f"Jumlah {measure} yang diselesaikan",
            target=Decimal(rng.choice([120, 150, 180, 200, 240])), unit_of_measure=measure))
        rhk.indicators.append(Indicator(
            aspect=Aspect.QUALITY, text="Persentase hasil tanpa revisi",
            target=Decimal(90), unit_of_measure="persen", position=1))
        rhks.append(rhk)
    db.session.add_all(rhks)
    return skp, rhks


def seed(rng: random.Random, unit: Unit, skip: Employee, today: date) -> dict:
    period = Period(year=today.year, cadence=Cadence.MONTHLY, status=PeriodStatus.OPEN,
                    opened_at=utcnow())
    db.session.add(period)
    goals = [UnitGoal(period=period, unit=unit, text=text, position=n)
             for n, text in enumerate(GOALS)]
    db.session.add_all(goals)
    people = db.session.scalars(db.select(Employee).where(Employee.unit_id == unit.id)).all()
    by_boss: dict[int | None, list[Employee]] = {}
    for person in people:
        by_boss.setdefault(person.supervisor_id if person is not unit.head else None, []).append(person)

    rhks_of: dict[int, list[Rhk]] = {}

    def plan(person: Employee, parents: list, from_goals: bool) -> None:
        skp, rhks = approved_skp(rng, person, period, parents, from_goals, agreed_at(today))
        db.session.flush()
        db.session.add(SkpVersion(skp_id=skp.id, number=1, approved_by=person.supervisor,
                                  approved_at=skp.decided_at, content=snapshot(skp)))
        rhks_of[person.id] = rhks
        for report in by_boss.get(person.id, []):
            if report is not skip:
                plan(report, rhks, False)

    plan(unit.head, goals, True)
    db.session.flush()

    rows = []
    start = date(today.year, 1, 2)
    days_off = holidays.between(start, today)  # nobody reports on a holiday or cuti bersama
    for person_id, rhks in rhks_of.items():
        pace = rng.uniform(0.55, 1.25)  # some people keep up, some lag
        quantities = [i for r in rhks for i in r.indicators if i.aspect is Aspect.QUANTITY]
        for day in working_days(start, today - timedelta(days=1), days_off):
            if rng.random() < 0.08:
                continue  # leave, training, a missed report
            for _ in range(rng.choice([1, 1, 2])):
                indicator = rng.choice(quantities)
                daily = float(indicator.target) / 230 * pace * rng.uniform(0.5, 1.5) * 1.5
                rows.append({
                    "employee_id": person_id, "period_id": period.id, "day": day,
                    "minutes": rng.choice([60, 90, 120, 180, 240]),
                    "description": rng.choice(WORK)[2].format(area="kependudukan"),
                    "rhk_id": indicator.rhk_id, "indicator_id": indicator.id,
                    "quantity": Decimal(max(1, round(daily))),
                    "status": (ActivityStatus.VERIFIED if (today - day).days > 7
                               else ActivityStatus.REPORTED),
                    "created_at": utcnow(), "updated_at": utcnow(),
                })
    if rows:
        db.session.execute(insert(Activity), rows)
        activity_rollup.rebuild(period.id)
    db.session.commit()
    return {"skps": len(rhks_of), "activities": len(rows)}

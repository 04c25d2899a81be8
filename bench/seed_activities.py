"""Top the demo up to benchmark size: an approved SKP (RHK cascaded from the unit goals, with
indicators) for every employee, and daily activities on the year's working days for everyone,
about 60,000 rows in all. Run after `flask --app wsgi seed-demo`, with the same environment:

    python -m bench.seed_activities [--total 60000]

The demo seeds one dinas (DUKCAPIL) with SKPs and ~8,000 activities; this adds the other units
the same way (kinerja.demo_performance's work items and pacing) and fills the remaining rows so
the total lands near --total. Deterministic: a fixed seed. Prints a JSON summary.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from kinerja.core.calendar import working_days
from kinerja.demo.performance import WORK, approved_skp
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
    Skp,
    SkpVersion,
    UnitGoal,
)
from kinerja.performance.skp_workflow import snapshot

GOALS = [
    "Meningkatnya kualitas pelayanan {unit}",
    "Meningkatnya akuntabilitas kinerja {unit}",
]
SKIP_DAY = 0.08  # leave, training, a missed report (as in kinerja.demo_performance)
CHUNK = 5000  # rows per INSERT: one round trip each, without one huge parameter list


def _plan_everyone(rng: random.Random, period: Period) -> list[Skp]:
    """An approved SKP for every active employee who has none in the period: per unit, the head
    derives from the unit goals and everyone else from their supervisor's RHK (as the demo does
    for its dinas). Returns the SKPs created."""
    planned: dict[int, list[Rhk]] = {
        skp.employee_id: list(skp.rhks)
        for skp in db.session.scalars(select(Skp).where(Skp.period_id == period.id))}
    created: list[Skp] = []

    def plan(person: Employee, parents: list, from_goals: bool) -> list[Rhk]:
        if person.id in planned:
            return planned[person.id]
        skp, rhks = approved_skp(rng, person, period, parents, from_goals)
        created.append(skp)
        planned[person.id] = rhks
        return rhks

    units = db.session.scalars(select(Unit).order_by(Unit.id)).all()
    for unit in units:
        people = db.session.scalars(select(Employee).where(
            Employee.unit_id == unit.id, Employee.active.is_(True)).order_by(Employee.id)).all()
        if not people:
            continue
        goals = db.session.scalars(select(UnitGoal).where(
            UnitGoal.period_id == period.id, UnitGoal.unit_id == unit.id)).all()
        if not goals:
            goals = [UnitGoal(period=period, unit=unit, text=text.format(unit=unit.name), position=n)
                     for n, text in enumerate(GOALS)]
            db.session.add_all(goals)
        ids = {p.id for p in people}
        reports: dict[int, list[Employee]] = {}
        for person in people:
            if person.supervisor_id in ids and person.id != unit.head_id:
                reports.setdefault(person.supervisor_id, []).append(person)
        # The head first, then anyone whose supervisor works in another unit.
        roots = sorted((p for p in people if p.id == unit.head_id
                        or p.supervisor_id not in ids), key=lambda p: p.id != unit.head_id)
        stack = [(root, goals, True) for root in reversed(roots)]
        while stack:
            person, parents, from_goals = stack.pop()
            rhks = plan(person, parents, from_goals)
            stack.extend((report, rhks, False) for report in reversed(reports.get(person.id, [])))
    db.session.flush()
    for skp in created:
        db.session.add(SkpVersion(skp_id=skp.id, number=1, approved_by=skp.approver,
                                  content=snapshot(skp)))
    db.session.flush()
    return created


def _activities(rng: random.Random, period: Period, skps: list[Skp], wanted: int,
                today: date) -> list[dict]:
    """About `wanted` activity rows for the owners of `skps`, on working days from 2 January
    to yesterday, each person at their own pace (so the heatmap has every colour)."""
    days = list(working_days(date(period.year, 1, 2), today - timedelta(days=1)))
    if not skps or not days or wanted <= 0:
        return []
    per_day = wanted / (len(skps) * len(days) * (1 - SKIP_DAY))
    whole, fraction = math.floor(per_day), per_day - math.floor(per_day)
    rows = []
    for skp in skps:
        quantities = [i for r in skp.rhks for i in r.indicators if i.aspect is Aspect.QUANTITY]
        area = (skp.employee.position.name if skp.employee.position else "unit").lower()
        pace = rng.uniform(0.55, 1.25)  # some people keep up, some lag
        for day in days:
            if rng.random() < SKIP_DAY:
                continue
            for _ in range(whole + (rng.random() < fraction)):
                indicator = rng.choice(quantities)
                # On pace, the year's activities on an indicator add up to its target.
                share = float(indicator.target) * len(quantities) / (len(days) * per_day)
                reported = datetime(day.year, day.month, day.day, 1, tzinfo=UTC) + timedelta(
                    minutes=rng.randint(0, 9 * 60))  # 09:00-18:00 WITA
                rows.append({
                    "employee_id": skp.employee_id, "period_id": period.id, "day": day,
                    "minutes": rng.choice([60, 90, 120, 180, 240]),
                    "description": rng.choice(WORK)[2].format(area=area),
                    "rhk_id": indicator.rhk_id, "indicator_id": indicator.id,
                    "quantity": Decimal(max(1, round(share * pace * rng.uniform(0.5, 1.5)))),
                    "status": (ActivityStatus.VERIFIED if (today - day).days > 7
                               else ActivityStatus.REPORTED),
                    "created_at": reported, "updated_at": reported,
                })
    # Ids grow with time, as they would in production (the supervisor feed sorts by id).
    rows.sort(key=lambda row: row["created_at"])
    return rows


def top_up(total: int = 60_000, today: date | None = None, seed: int = 20261127) -> dict:
    today = today or date.today()
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not security
    period = db.session.scalar(select(Period).where(Period.status == PeriodStatus.OPEN)
                               .order_by(Period.year.desc()).limit(1))
    if period is None:
        raise SystemExit("No open period: run `flask --app wsgi seed-demo` first.")
    started = time.perf_counter()
    created = _plan_everyone(rng, period)
    existing = db.session.scalar(select(func.count(Activity.id)).where(
        Activity.period_id == period.id)) or 0
    with_activities = set(db.session.scalars(select(Activity.employee_id).distinct().where(
        Activity.period_id == period.id)))
    # Everyone without activities yet (the new SKPs, and the demo's `pegawai`) gets the rest.
    idle = [skp for skp in db.session.scalars(select(Skp).where(Skp.period_id == period.id)
                                              .order_by(Skp.id))
            if skp.employee_id not in with_activities]
    rows = _activities(rng, period, idle, total - existing, today)
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(Activity), rows[start:start + CHUNK])
    activity_rollup.rebuild(period.id)  # bulk rows bypass the service that keeps rollups
    db.session.commit()
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    return {
        "period": period.year, "skps_created": len(created), "activities_added": len(rows),
        "seconds": round(time.perf_counter() - started, 1),
        "rows": {"units": count(Unit), "employees": count(Employee), "skps": count(Skp),
                 "rhks": count(Rhk), "indicators": count(Indicator),
                 "activities": count(Activity)},
        "employees_with_activities": db.session.scalar(
            select(func.count(func.distinct(Activity.employee_id)))),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=60_000,
                        help="activities wanted in the open period, the demo's included")
    args = parser.parse_args(argv)
    from kinerja import create_app  # noqa: PLC0415 - the app reads the environment

    app = create_app()
    with app.app_context():
        print(json.dumps(top_up(args.total)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

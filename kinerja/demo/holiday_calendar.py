"""The demo's holiday calendar and the cases that show it working: the year's cuti bersama (the
bridge days beside Tuesday and Thursday national holidays, as the joint decree usually sets
them) and a local day, added by HR; `staf`'s result received so that its objection window,
counted in working days, runs across days off (the deadline visibly skips them); and a
lower-is-better indicator on staf's plan ("Waktu penyelesaian akta kelahiran: 3 hari")."""
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from kinerja.appraisal import objection_window
from kinerja.appraisal.models import Evaluation, EvaluationStatus, ObjectionCounting, ObjectionRule
from kinerja.core import calendar, holidays
from kinerja.core.holidays import Holiday, HolidayKind
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.organisation.models import Employee, User
from kinerja.performance.models import Aspect, Indicator, Period, PeriodStatus, Realisation, Rhk, Skp

LOCAL_DAY = "Hari Jadi Kabupaten"  # the kabupaten's anniversary, a local day off
PERMIT_DAYS = [Decimal("2"), Decimal("3"), Decimal("2"), Decimal("4"), Decimal("2")]


def seed_days_off(today: date, hr: User) -> dict:
    """HR's additions for the demo year: cuti bersama bridging Tuesday and Thursday national
    holidays, and the kabupaten's anniversary, put a few days ahead of the demo's today so that
    the open objection window of staf always runs across a day off. Before the year's
    activities are made, so that nobody reports on a day off."""
    national = holidays.national(today.year)
    added: dict[date, tuple[str, HolidayKind]] = {}
    for day, name in national.items():
        bridge = {1: day - timedelta(days=1), 3: day + timedelta(days=1)}.get(day.weekday())
        if bridge is not None and bridge not in national:
            added[bridge] = (f"Cuti bersama {name}", HolidayKind.CUTI_BERSAMA)
    local = today + timedelta(days=3)
    while local.weekday() >= 5 or local in national or local in added:
        local += timedelta(days=1)
    added[local] = (LOCAL_DAY, HolidayKind.LOCAL)
    db.session.add_all(Holiday(day=d, name=n, kind=k, created_by_id=hr.id)
                       for d, (n, k) in sorted(added.items()))
    db.session.commit()
    holidays.forget()
    return {"holidays_added": len(added)}


def _received_before_a_holiday(today: date) -> date:
    """The latest day within the last two weeks whose 14 working days run across a holiday
    and are still open today: what the staf case shows. Today when there is none."""
    days_off = holidays.around(today)
    rule = objection_window.Rule(14, ObjectionCounting.WORKING)
    for back in range(0, 14):
        day = today - timedelta(days=back)
        due = objection_window.deadline(day, rule)
        if any(day < off <= due and off.weekday() < 5 for off in days_off) and due >= today:
            return day
    return today


def seed_cases(today: date, staf: Employee) -> dict:
    """The working-day objection rule, staf's result received before a holiday, and the
    lower-is-better indicator with its months."""
    db.session.add(ObjectionRule(id=1, days=14, counting=ObjectionCounting.WORKING,
                                 updated_at=utcnow()))
    db.session.flush()
    waiting = db.session.scalar(db.select(Evaluation).where(
        Evaluation.employee_id == staf.id, Evaluation.status == EvaluationStatus.FINAL)
        .order_by(Evaluation.point.desc()).limit(1))
    if waiting is not None:
        received = _received_before_a_holiday(today)
        zone = calendar.zone_info(staf.time_zone)
        waiting.received_at = datetime.combine(received, time(8, 30), tzinfo=zone).astimezone(UTC)
        waiting.objection_due = objection_window.deadline(received, objection_window.current_rule())
    period = db.session.scalar(db.select(Period).where(Period.status == PeriodStatus.OPEN))
    rhk = db.session.scalar(db.select(Rhk).join(Skp).where(
        Skp.employee_id == staf.id, Skp.period_id == period.id).order_by(Rhk.position).limit(1)) \
        if period is not None else None
    if rhk is not None:
        indicator = Indicator(rhk=rhk, aspect=Aspect.TIME, lower_is_better=True,
                              text="Waktu penyelesaian akta kelahiran", target=Decimal(3),
                              unit_of_measure="hari", position=len(rhk.indicators))
        db.session.add(indicator)
        months = range(max(1, today.month - len(PERMIT_DAYS)), today.month)
        for n, month in enumerate(months):
            db.session.add(Realisation(
                indicator=indicator, month=month, value=PERMIT_DAYS[n % len(PERMIT_DAYS)],
                narrative="Rata-rata hari kerja dari berkas lengkap sampai akta terbit."))
    db.session.commit()
    return {"lower_is_better_indicators": int(rhk is not None)}

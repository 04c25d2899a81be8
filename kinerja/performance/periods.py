"""Performance periods: HR creates a year, opens it, closes it; a closed year is read-only."""
from datetime import date

from flask_babel import lazy_gettext as _l

from kinerja.core import audit
from kinerja.core.calendar import Cadence
from kinerja.core.errors import RuleViolation
from kinerja.core.memo import per_transaction
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.organisation.models import User
from kinerja.performance.models import Period, PeriodStatus, Rhk, UnitGoal
from kinerja.performance.pace import MONTHS

FIRST_YEAR, LAST_YEAR = 2000, 2100


def all_periods() -> list[Period]:
    return db.session.scalars(db.select(Period).order_by(Period.year.desc())).all()


@per_transaction()  # asked by the page, its plan and its access checks alike
def open_period() -> Period | None:
    """The running year (the latest open one, should HR have two open at once)."""
    return db.session.scalar(db.select(Period).where(Period.status == PeriodStatus.OPEN)
                             .order_by(Period.year.desc()).limit(1))


def period_for(period_id: int | None) -> Period | None:
    if period_id:
        return db.session.get(Period, period_id)
    return open_period() or db.session.scalar(db.select(Period).order_by(Period.year.desc()).limit(1))


def create_period(actor: User, year: int, cadence: Cadence) -> Period:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise RuleViolation(_l("Tahun harus antara %(a)s dan %(b)s.", a=FIRST_YEAR, b=LAST_YEAR),
                            field="year")
    if db.session.scalar(db.select(Period.id).where(Period.year == year)):
        raise RuleViolation(_l("Periode tahun %(year)s sudah ada.", year=year), field="year")
    period = Period(year=year, cadence=cadence)
    db.session.add(period)
    db.session.flush()
    audit.record("period.created", actor=actor, subject=period, summary=str(year),
                 cadence=cadence.value)
    db.session.commit()
    return period


def set_cadence(actor: User, period: Period, cadence: Cadence) -> None:
    if period.status is not PeriodStatus.PREPARING:
        raise RuleViolation(_l("Siklus penilaian hanya bisa diubah sebelum periode dibuka."),
                            field="cadence")
    period.cadence = cadence
    audit.record("period.updated", actor=actor, subject=period, cadence=cadence.value)
    db.session.commit()


def open_(actor: User, period: Period) -> None:
    if period.status is PeriodStatus.OPEN:
        return
    period.status, period.opened_at, period.closed_at = PeriodStatus.OPEN, utcnow(), None
    audit.record("period.opened", actor=actor, subject=period, summary=str(period.year))
    db.session.commit()


def close(actor: User, period: Period) -> None:
    if period.status is not PeriodStatus.OPEN:
        raise RuleViolation(_l("Hanya periode yang berjalan yang bisa ditutup."))
    period.status, period.closed_at = PeriodStatus.CLOSED, utcnow()
    audit.record("period.closed", actor=actor, subject=period, summary=str(period.year))
    db.session.commit()


def require_open(period: Period) -> None:
    """Every change to SKP data goes through here: a closed or unopened year is read-only."""
    if not period.is_open:
        raise RuleViolation(_l("Periode %(year)s tidak sedang berjalan: data hanya bisa dibaca.",
                               year=period.year))


def require_started_month(month: int, period: Period, today: date) -> None:
    """A month of the period that has begun by `today`: what realisation and feedback may be
    given for."""
    # Not tied to a field: the page of a month that has not started has no form to mark.
    if month not in MONTHS:
        raise RuleViolation(_l("Bulan harus antara 1 dan 12."))
    if (period.year, month) > (today.year, today.month):
        raise RuleViolation(_l("Bulan ini belum berjalan."))


# ---------------------------------------------------------------- unit goals


def unit_goals(period: Period, unit_id: int) -> list[UnitGoal]:
    return db.session.scalars(db.select(UnitGoal).filter_by(period_id=period.id, unit_id=unit_id)
                              .order_by(UnitGoal.position, UnitGoal.id)).all()


def add_unit_goal(actor: User, period: Period, unit_id: int, text: str) -> UnitGoal:
    require_open_or_preparing(period)
    text = " ".join((text or "").split())
    if not text:
        raise RuleViolation(_l("Tuliskan sasaran unit."), field="text")
    goal = UnitGoal(period=period, unit_id=unit_id, text=text[:500],
                    position=len(unit_goals(period, unit_id)))
    db.session.add(goal)
    db.session.flush()
    audit.record("unit_goal.added", actor=actor, subject=goal, summary=text[:200])
    db.session.commit()
    return goal


def remove_unit_goal(actor: User, goal: UnitGoal) -> None:
    require_open_or_preparing(goal.period)
    if db.session.scalar(db.select(Rhk.id).where(Rhk.unit_goal_id == goal.id).limit(1)):
        raise RuleViolation(_l("Sasaran ini sudah dipakai sebagai acuan RHK kepala unit."))
    audit.record("unit_goal.removed", actor=actor, subject=goal, summary=goal.text[:200])
    db.session.delete(goal)
    db.session.commit()


def require_open_or_preparing(period: Period) -> None:
    if period.status is PeriodStatus.CLOSED:
        raise RuleViolation(_l("Periode %(year)s sudah ditutup.", year=period.year))

"""Today's IKM figures for the live wall screen of a unit, from the day's rollups."""
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from kinerja.core import calendar
from kinerja.core.calendar import TimeZone
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback.ikm_figures import Figures
from kinerja.feedback.ikm_report import ComparisonRow, report
from kinerja.feedback.ikm_scope import Scope, default_unit
from kinerja.organisation import access
from kinerja.organisation.models import Unit, User


@dataclass
class Live:
    unit: Unit | None
    day: date
    zone: TimeZone
    totals: Figures
    counters: list[ComparisonRow]
    updated_at: datetime


def live_for(user: User, unit_id: int | None) -> Live:
    """Today's figures for a unit (default: the reader's), from the day's rollups."""
    unit = db.session.get(Unit, unit_id) if unit_id else default_unit(user)
    if unit_id and unit is None:
        raise RuleViolation(_l("Unit tidak ditemukan."), "unit")
    if not access.can_view_ikm(user, unit):
        raise NotAllowed
    return live(unit, (unit or user.employee.unit))


def live(unit: Unit | None, clock_unit: Unit | None = None) -> Live:
    zone = clock_unit.time_zone if clock_unit is not None else calendar.DEFAULT_ZONE
    day = calendar.today_in(zone)
    today = report(Scope(unit=unit), day, day, by_counter=True)
    return Live(unit, day, zone, today.totals, today.comparison, utcnow())

"""Service alerts for heads of unit and HR: too many complaints at a counter or unit within a
few days, or a counter's or unit's IKM over the last 30 days at mutu C or D.

The rules are pure functions over aggregates (counts per counter, rollup sums per counter);
`dashboard_alerts` reads those aggregates in two grouped queries, whatever the number of
counters, and never scans ratings.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from flask import current_app
from sqlalchemy import and_, func, or_

from kinerja.core import calendar
from kinerja.core.calendar import TimeZone
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback import ikm, ikm_weights
from kinerja.feedback.models import Complaint, DailyRollup, Investigation, InvestigationStatus
from kinerja.organisation import access
from kinerja.organisation.models import ServiceCounter, Unit, User

IKM_DAYS = 30
# Below this many complete surveys an IKM says too little to alert anyone about.
IKM_MIN_SURVEYS = 10
POOR_MUTU = ("C", "D")
COMPLAINTS, IKM = "complaints", "ikm"


@dataclass(frozen=True)
class Alert:
    kind: str                      # COMPLAINTS or IKM
    unit_id: int
    counter_id: int | None         # None: the whole unit
    count: int                     # complaints in the window, or complete surveys behind the IKM
    mutu: str | None = None
    converted: Decimal | None = None
    unit_name: str = ""
    counter_name: str = ""

    @property
    def rank(self) -> tuple:
        """Worst first: mutu D, then C, then the most complaints."""
        order = {"D": 0, "C": 1}.get(self.mutu or "", 2)
        return (order, -self.count if self.kind == COMPLAINTS else 0, self.unit_name,
                self.counter_name)


@dataclass
class Sums:
    """What the rollups add up to for one counter (or a unit): complete surveys and per-element
    sums and answer counts."""
    surveys: int = 0
    sums: dict[str, int] = field(default_factory=lambda: {e: 0 for e in ikm.ELEMENTS})
    counts: dict[str, int] = field(default_factory=lambda: {e: 0 for e in ikm.ELEMENTS})

    def add(self, other: "Sums") -> None:
        self.surveys += other.surveys
        for element in ikm.ELEMENTS:
            self.sums[element] += other.sums[element]
            self.counts[element] += other.counts[element]


# ---------------------------------------------------------------- the rules (pure)


def complaint_alerts(counts: dict[tuple[int, int], int], threshold: int) -> list[Alert]:
    """counts: (unit_id, counter_id) -> complaints received in the window.

    A counter above the threshold alerts; so does a unit above it, unless all of the unit's
    complaints came from one counter that already alerts (it would say the same thing twice).
    """
    alerts, per_unit = [], {}
    for (unit_id, counter_id), count in counts.items():
        per_unit.setdefault(unit_id, []).append((counter_id, count))
        if count > threshold:
            alerts.append(Alert(COMPLAINTS, unit_id, counter_id, count))
    for unit_id, counters in per_unit.items():
        total = sum(count for _, count in counters)
        if total > threshold and sum(1 for _, count in counters if count) > 1:
            alerts.append(Alert(COMPLAINTS, unit_id, None, total))
    return alerts


def ikm_alerts(sums: dict[tuple[int, int], Sums], min_surveys: int = IKM_MIN_SURVEYS,
               weight: Fraction = ikm.WEIGHT) -> list[Alert]:
    """sums: (unit_id, counter_id) -> the counter's rollups over the period.

    A counter, or a unit (all its counters together), with at least `min_surveys` complete
    surveys and an IKM of mutu C or D alerts. A unit whose surveys all come from one counter
    is left to that counter's alert.
    """
    alerts, units = [], {}
    for (unit_id, counter_id), counter_sums in sums.items():
        unit = units.setdefault(unit_id, (Sums(), []))
        unit[0].add(counter_sums)
        if counter_sums.surveys:
            unit[1].append(counter_id)
        alert = _poor(counter_sums, unit_id, counter_id, min_surveys, weight)
        if alert:
            alerts.append(alert)
    for unit_id, (unit_sums, counters) in units.items():
        if len(counters) > 1:
            alert = _poor(unit_sums, unit_id, None, min_surveys, weight)
            if alert:
                alerts.append(alert)
    return alerts


def _poor(sums: Sums, unit_id: int, counter_id: int | None, min_surveys: int,
          weight: Fraction) -> Alert | None:
    if sums.surveys < min_surveys:
        return None
    result = ikm.compute(sums.sums, sums.counts, sums.surveys, weight)
    if result.mutu not in POOR_MUTU:
        return None
    return Alert(IKM, unit_id, counter_id, sums.surveys, result.mutu, result.converted)


# ---------------------------------------------------------------- reading the aggregates


def complaint_counts(scope: set[int] | None, since: datetime) -> dict[tuple[int, int], int]:
    query = (db.select(Complaint.unit_id, Complaint.counter_id, func.count(Complaint.id))
             .where(Complaint.received_at >= since)
             .group_by(Complaint.unit_id, Complaint.counter_id))
    if scope is not None:
        query = query.where(Complaint.unit_id.in_(scope))
    return {(unit_id, counter_id): count
            for unit_id, counter_id, count in db.session.execute(query)}


def rollup_sums(scope: set[int] | None, now: datetime, days: int = IKM_DAYS
                ) -> dict[tuple[int, int], Sums]:
    """Per counter, the rollups of the last `days` days including today, each counter's days
    counted in its unit's time zone: one grouped query."""
    def window(zone: TimeZone):
        today: date = now.astimezone(calendar.zone_info(zone)).date()
        return and_(Unit.time_zone == zone, DailyRollup.day > today - timedelta(days=days),
                    DailyRollup.day <= today)

    columns = [func.sum(DailyRollup.full_surveys)]
    for element in ikm.ELEMENTS:
        columns += [func.sum(getattr(DailyRollup, f"{element.lower()}_sum")),
                    func.sum(getattr(DailyRollup, f"{element.lower()}_n"))]
    query = (db.select(ServiceCounter.unit_id, DailyRollup.counter_id, *columns)
             .join(ServiceCounter, DailyRollup.counter_id == ServiceCounter.id)
             .join(Unit, ServiceCounter.unit_id == Unit.id)
             .where(or_(*(window(zone) for zone in TimeZone)))
             .group_by(ServiceCounter.unit_id, DailyRollup.counter_id))
    if scope is not None:
        query = query.where(ServiceCounter.unit_id.in_(scope))
    found = {}
    for unit_id, counter_id, surveys, *totals in db.session.execute(query):
        sums = Sums(int(surveys or 0))
        for n, element in enumerate(ikm.ELEMENTS):
            sums.sums[element] = int(totals[2 * n] or 0)
            sums.counts[element] = int(totals[2 * n + 1] or 0)
        found[(unit_id, counter_id)] = sums
    return found


@dataclass
class AlertPanel:
    alerts: list[Alert]
    # For heads of unit, their counters (for the roster links); HR reaches rosters via the lists.
    counters: list[ServiceCounter] = field(default_factory=list)
    # (kind, unit_id, counter_id) -> the open investigation of that alert, if any.
    investigations: dict[tuple, int] = field(default_factory=dict)

    def investigation_of(self, alert: Alert) -> int | None:
        return self.investigations.get((alert.kind, alert.unit_id, alert.counter_id))


def open_investigations(user: User) -> dict[tuple, int]:
    """The open investigations of the units the user oversees, by the alert they came from
    ((kind, unit_id, counter_id) -> id): an alert links to its investigation instead of
    offering a second one. One query."""
    scope = access.overseen_unit_ids(user)
    if scope is not None and not scope:
        return {}
    query = db.select(Investigation.id, Investigation.kind, Investigation.unit_id,
                      Investigation.counter_id).where(
        Investigation.status == InvestigationStatus.OPEN)
    if scope is not None:
        query = query.where(Investigation.unit_id.in_(scope))
    return {(kind.value, unit_id, counter_id): found
            for found, kind, unit_id, counter_id in db.session.execute(query)}


def _weight_of_the_year(now: datetime) -> Fraction:
    """The weight HR chose for this year's IKM (0.111 or 1/9): an alert's mutu is the one the
    year's reports will show."""
    return ikm_weights.weight_of(ikm_weights.convention_for(now.year))


def alerts_for(user: User, now: datetime | None = None) -> list[Alert]:
    """The alerts of the units the user heads (HR: every unit), worst first."""
    now = now or utcnow()
    config = current_app.config
    scope = access.overseen_unit_ids(user)
    if scope is not None and not scope:
        return []
    since = now - timedelta(days=config["ALERT_WINDOW_DAYS"])
    found = (complaint_alerts(complaint_counts(scope, since), config["ALERT_COMPLAINTS_THRESHOLD"])
             + ikm_alerts(rollup_sums(scope, now), weight=_weight_of_the_year(now)))
    if not found:
        return []
    unit_ids = {a.unit_id for a in found}
    counter_ids = {a.counter_id for a in found if a.counter_id}
    units = dict(db.session.execute(db.select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all())
    counters = dict(db.session.execute(
        db.select(ServiceCounter.id, ServiceCounter.name).where(ServiceCounter.id.in_(counter_ids))
    ).all()) if counter_ids else {}
    named = [Alert(a.kind, a.unit_id, a.counter_id, a.count, a.mutu, a.converted,
                   units.get(a.unit_id, ""), counters.get(a.counter_id, "") if a.counter_id else "")
             for a in found]
    return sorted(named, key=lambda a: a.rank)


def dashboard_alerts(user: User, now: datetime | None = None) -> AlertPanel | None:
    """The dashboard's panel; None for users who see no alerts (neither HR nor a head)."""
    if not access.handles_complaints(user):
        return None
    counters = []
    if not access.sees_all_performance(user):
        counters = list(db.session.scalars(
            db.select(ServiceCounter).where(
                ServiceCounter.unit_id.in_(access.headed_unit_ids(user.employee)),
                ServiceCounter.active.is_(True)).order_by(ServiceCounter.code).limit(20)))
    found = alerts_for(user, now)
    return AlertPanel(found, counters, open_investigations(user) if found else {})

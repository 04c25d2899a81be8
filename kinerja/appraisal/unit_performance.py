"""Unit performance: per unit and period, the predikat distribution of its employees against
its curve, the average realisation of their targets, the IKM of its counters and its complaint
counts; units side by side, a unit over the years, and its people.

A unit's figures cover the unit and every unit below it (like the heatmap). Every figure is a
grouped query over all the units compared at once (rollups, not raw rows), so the number of
queries depends on neither the number of people nor the number of units compared.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_

from kinerja.appraisal import distribution, organisation_performance
from kinerja.appraisal.distribution import ANNUAL, At, Held
from kinerja.appraisal.predikat import Predikat
from kinerja.core import calendar
from kinerja.core.calendar import TimeZone
from kinerja.core.errors import NotAllowed
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback import complaints, ikm_weights
from kinerja.feedback.ikm_figures import SUM_COLUMNS, Figures
from kinerja.feedback.models import Complaint, ComplaintStatus, DailyRollup
from kinerja.organisation import access
from kinerja.organisation.models import Employee, Position, ServiceCounter, Unit, User
from kinerja.organisation.tree import UnitTree
from kinerja.performance import skps
from kinerja.performance.models import Indicator, Period, Rhk, Skp, SkpStatus
from kinerja.performance.pace import default_month
from kinerja.performance.realisation import read_series

ANSWERED = (ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED)


def _average(values: list[Fraction]) -> Decimal | None:
    if not values:
        return None
    mean = sum(values, Fraction(0)) / len(values) * 100
    return (Decimal(mean.numerator) / Decimal(mean.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- figures


@dataclass
class UnitFigures:
    unit: Unit
    period: Period
    people: int = 0
    counts: dict[Predikat, int] = field(default_factory=lambda: dict.fromkeys(Predikat, 0))
    status: distribution.DistributionStatus | None = None
    realisation: Decimal | None = None          # mean % of the yearly target over indicators
    ikm: Figures = field(default_factory=Figures)
    complaints_open: int = 0
    complaints_overdue: int = 0
    complaints_answered: int = 0

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def ikm_value(self) -> Decimal | None:
        return self.ikm.survey.converted

    @property
    def within_curve(self) -> bool | None:
        return None if self.status is None else self.status.within

    def sort_value(self, column: str):
        return {
            "nama": self.unit.name.lower(),
            "pegawai": self.people,
            "dinilai": self.rated,
            "realisasi": self.realisation,
            "ikm": self.ikm_value,
            "terbuka": self.complaints_open,
            "terlambat": self.complaints_overdue,
            "dijawab": self.complaints_answered,
            **{p.value: self.counts[p] for p in Predikat},
        }[column]


SORT_COLUMNS = ("nama", "pegawai", "dinilai", *(p.value for p in Predikat), "realisasi", "ikm",
                "terbuka", "terlambat", "dijawab")


@dataclass
class _Scope:
    """The units figured and, for each, the units its figures cover."""
    tree: UnitTree
    covered: dict[int, set[int]]

    @property
    def all_unit_ids(self) -> set[int]:
        return set().union(*self.covered.values()) if self.covered else set()

    def owners(self) -> dict[int, list[int]]:
        """unit id -> the figured units whose figures include it."""
        found: dict[int, list[int]] = defaultdict(list)
        for owner, ids in self.covered.items():
            for unit_id in ids:
                found[unit_id].append(owner)
        return found


def _staff(unit_ids: set[int]):
    return db.select(Employee.id).where(Employee.unit_id.in_(unit_ids), Employee.active.is_(True))


def _evaluated_skp():
    # Approved, or approved before and now being revised (its version moved past 1).
    return or_(Skp.status == SkpStatus.APPROVED, Skp.version > 1)


def realisation_by_employee(staff, period: Period, month: int) -> dict[int, list[Fraction]]:
    """employee id -> each indicator's realisation to the end of `month` as a share of its
    yearly target (quantity: the activity sums, or the employee's adjusted values; other
    aspects: the latest value entered). Only the plan covering `month` counts: a person moved
    mid-year is held to the plan of their new post, not to both. Three queries whatever the
    number of people."""
    evaluated = (skps.covering(period, month), Skp.employee_id.in_(staff), _evaluated_skp(),
                 Indicator.target > 0)
    indicators = db.session.execute(
        db.select(Skp.employee_id, Indicator.id, Indicator.aspect, Indicator.target)
        .join(Rhk, Rhk.skp_id == Skp.id).join(Indicator, Indicator.rhk_id == Rhk.id)
        .where(*evaluated)).all()
    series, _ = read_series(
        {i: aspect for _, i, aspect, _ in indicators},
        among=db.select(Indicator.id).join(Rhk, Indicator.rhk_id == Rhk.id)
        .join(Skp, Rhk.skp_id == Skp.id).where(*evaluated))
    shares: dict[int, list[Fraction]] = defaultdict(list)
    for employee_id, indicator_id, _, target in indicators:
        value = series[indicator_id].cumulative(month)
        if value is not None:
            shares[employee_id].append(Fraction(Decimal(str(value))) / Fraction(Decimal(str(target))))
    return shares


def _ikm_by_unit(unit_ids: set[int], period: Period) -> dict[int, Figures]:
    """The year's rollup sums of each unit's own counters, in one grouped query."""
    columns = [func.coalesce(func.sum(getattr(DailyRollup, c)), 0).label(c)
               for c in SUM_COLUMNS]
    rows = db.session.execute(
        db.select(ServiceCounter.unit_id, *columns)
        .join(ServiceCounter, ServiceCounter.id == DailyRollup.counter_id)
        .where(ServiceCounter.unit_id.in_(unit_ids), DailyRollup.day >= period.starts,
               DailyRollup.day <= period.ends)
        .group_by(ServiceCounter.unit_id))
    weight = ikm_weights.convention_for_range(period.starts, period.ends)
    return {row.unit_id: Figures.from_row(row._mapping, weight) for row in rows}


def _received_in(period: Period):
    """SQL for "received during the period's year" in each complaint's unit's time zone (needs
    Unit joined on the complaint's unit)."""
    by_zone = []
    for zone in TimeZone:
        tz = calendar.zone_info(zone)
        start = datetime.combine(period.starts, time(), tzinfo=tz).astimezone(UTC)
        end = datetime.combine(period.ends + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
        by_zone.append(and_(Unit.time_zone == zone, Complaint.received_at >= start,
                            Complaint.received_at < end))
    return or_(*by_zone)


def _complaints_by_unit(unit_ids: set[int], period: Period, now: datetime):
    """(unit id -> status -> count, unit id -> overdue count) for complaints received in the
    period's year: two grouped queries. Overdue is as of now (open past the working days)."""
    where = [Complaint.unit_id.in_(unit_ids), _received_in(period)]
    counts: dict[int, dict[ComplaintStatus, int]] = defaultdict(dict)
    for unit_id, status, n in db.session.execute(
            db.select(Complaint.unit_id, Complaint.status, func.count(Complaint.id))
            .join(Unit, Complaint.unit_id == Unit.id)
            .where(*where).group_by(Complaint.unit_id, Complaint.status)):
        counts[unit_id][ComplaintStatus(status)] = n
    overdue = dict(db.session.execute(
        db.select(Complaint.unit_id, func.count(Complaint.id))
        .join(Unit, Complaint.unit_id == Unit.id)
        .where(*where, complaints.overdue_clause(now, complaints.overdue_working_days()))
        .group_by(Complaint.unit_id)).all())
    return counts, overdue


def figures_for(units: list[Unit], period: Period, *, at: At = ANNUAL,
                tree: UnitTree | None = None, held: dict[int, Held] | None = None,
                now: datetime | None = None) -> dict[int, UnitFigures]:
    """unit id -> its figures for the period, for any number of units in a fixed number of
    queries (units may be nested: a head may lead a dinas and a section in it). The predikat
    counts and the curve are those of one evaluation point `at` (the annual by default): a
    curve never mixes one person's annual result with another's October one."""
    tree = tree or UnitTree.load()
    scope = _Scope(tree, {unit.id: tree.below(unit.id) for unit in units})
    result = {unit.id: UnitFigures(unit, period) for unit in units}
    if not units:
        return result
    all_ids = scope.all_unit_ids
    owners = scope.owners()
    staff_rows = db.session.execute(db.select(Employee.id, Employee.unit_id).where(
        Employee.unit_id.in_(all_ids), Employee.active.is_(True))).all()
    staff = _staff(all_ids).scalar_subquery()
    held = held if held is not None else distribution.employee_predikats(staff, period, at=at)
    month = default_month(period, calendar.today_in())
    shares = realisation_by_employee(staff, period, month)
    per_unit_shares: dict[int, list[Fraction]] = defaultdict(list)
    for employee_id, unit_id in staff_rows:
        for owner in owners[unit_id]:
            figures = result[owner]
            figures.people += 1
            if employee_id in held:
                figures.counts[held[employee_id].predikat] += 1
            per_unit_shares[owner].extend(shares.get(employee_id, []))
    for owner, values in per_unit_shares.items():
        result[owner].realisation = _average(values)
    for unit_id, figures in _ikm_by_unit(all_ids, period).items():
        for owner in owners[unit_id]:
            result[owner].ikm = result[owner].ikm + figures
    counts, overdue = _complaints_by_unit(all_ids, period, now or utcnow())
    for unit_id in all_ids:
        for owner in owners[unit_id]:
            figures = result[owner]
            by_status = counts.get(unit_id, {})
            figures.complaints_open += sum(by_status.get(s, 0) for s in complaints.OPEN)
            figures.complaints_answered += sum(by_status.get(s, 0) for s in ANSWERED)
            figures.complaints_overdue += overdue.get(unit_id, 0)
    _attach_statuses(result, period, at, tree, held)
    return result


def _attach_statuses(result: dict[int, UnitFigures], period: Period, at: At, tree: UnitTree,
                     held: dict[int, Held]) -> None:
    """The curve at the point of the units among `result` that have a capaian for it, counted
    like distribution.distribution_status but from the predikat already read."""
    recorded = distribution.recorded_predikats(period, at)
    wanted = [unit_id for unit_id in result if unit_id in recorded]
    if not wanted:
        return
    limits = distribution.all_limits()
    scopes = {unit_id: tree.below(unit_id, stop=set(recorded)) for unit_id in wanted}
    rows = db.session.execute(db.select(Employee.id, Employee.unit_id).where(
        Employee.unit_id.in_(set().union(*scopes.values())), Employee.active.is_(True))).all()
    for unit_id in wanted:
        ids = scopes[unit_id]
        counts = dict.fromkeys(Predikat, 0)
        people = 0
        for employee_id, employee_unit in rows:
            if employee_unit in ids:
                people += 1
                if employee_id in held:
                    counts[held[employee_id].predikat] += 1
        organisation = recorded[unit_id]
        applying, custom = limits[organisation]
        result[unit_id].status = distribution.DistributionStatus(
            unit=result[unit_id].unit, period=period, organisation=organisation, counts=counts,
            limits=applying, breaches=distribution.check_distribution(organisation, counts, applying),
            custom_limits=custom, people=people, unit_ids=ids, at=at)


# ---------------------------------------------------------------- the comparison


def sees_comparison(user: User) -> bool:
    return access.sees_unit_performance(user)


def compared_units(user: User) -> list[Unit]:
    """HR: the OPD-level units (and top-level ones); a head: the units they lead."""
    query = db.select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)
    if access.sees_all_performance(user):
        query = query.where(or_(Unit.kind.in_(distribution.OPD_KINDS), Unit.parent_id.is_(None)))
    else:
        query = query.where(Unit.head_id == user.employee.id)
    return db.session.scalars(query).all()


@dataclass
class Comparison:
    period: Period | None
    periods: list[Period]
    rows: list[UnitFigures]
    sort: str
    descending: bool
    at: At = ANNUAL
    points: list[tuple[str, str]] = field(default_factory=list)   # (key, label) to pick from


def sort_rows(rows: list[UnitFigures], sort: str, descending: bool) -> list[UnitFigures]:
    """By one column; units without a value (no IKM, no realisation) always come last."""
    sort = sort if sort in SORT_COLUMNS else "nama"
    present = [r for r in rows if r.sort_value(sort) is not None]
    missing = [r for r in rows if r.sort_value(sort) is None]
    present.sort(key=lambda r: (r.sort_value(sort), r.unit.name.lower()), reverse=descending)
    return present + sorted(missing, key=lambda r: r.unit.name.lower())


def point_choices(period: Period) -> list[tuple[str, str]]:
    return [(at.key, at.label(period)) for at in distribution.points_in(period)]


def comparison(user: User, period: Period | None, sort: str = "nama",
               descending: bool = False, at: At | None = None) -> Comparison:
    """The units side by side at one evaluation point (by default the latest with a capaian)."""
    if not sees_comparison(user):
        raise NotAllowed
    periods = db.session.scalars(db.select(Period).order_by(Period.year.desc())).all()
    sort = sort if sort in SORT_COLUMNS else "nama"
    if period is None:
        return Comparison(None, periods, [], sort, descending)
    at = at or organisation_performance.default_point(period)
    units = compared_units(user)
    rows = list(figures_for(units, period, at=at).values())
    return Comparison(period, periods, sort_rows(rows, sort, descending), sort, descending, at,
                      point_choices(period))


# ---------------------------------------------------------------- one unit


@dataclass
class Person:
    employee: Employee
    unit_name: str
    position: str
    held: Held | None
    realisation: Decimal | None
    indicators: int


@dataclass
class UnitPage:
    unit: Unit
    period: Period | None
    periods: list[Period]
    figures: UnitFigures | None
    history: list[UnitFigures]              # one per period, newest first
    subunits: list[UnitFigures]
    people: list[Person]
    governing: distribution.DistributionStatus | None = None  # the curve above, if not its own
    at: At = ANNUAL                          # the evaluation point counted
    points: list[tuple[str, str]] = field(default_factory=list)
    # The unit's own capaian at each point of the year, and whether the reader sets it.
    capaian: list[tuple[At, str, organisation_performance.Capaian | None]] = field(
        default_factory=list)
    sets_capaian: bool = False

    @property
    def status(self) -> distribution.DistributionStatus | None:
        return self.figures.status if self.figures is not None else None


def unit_page(user: User, unit: Unit, period: Period | None, sort: str = "nama",
              descending: bool = False, at: At | None = None) -> UnitPage:
    """The unit's figures for the period at one evaluation point (by default the latest with a
    capaian: organisation_performance.default_point), the
    annual figures of every period, its sub-units side by side, its people with their predikat
    at that point and realisation, and its capaian per point. A bounded number of queries:
    about ten per period, none per person."""
    if not access.can_view_unit_performance(user, unit):
        raise NotAllowed
    periods = db.session.scalars(db.select(Period).order_by(Period.year.desc())).all()
    page = UnitPage(unit, period, periods, None, [], [], [], at=at or ANNUAL)
    if period is None:
        return page
    tree = UnitTree.load()
    chain = organisation_performance.chain_capaian(unit, period, tree)
    at = page.at = at or organisation_performance.latest_point(c.at for c in chain)
    page.points = point_choices(period)
    own = {c.at: c for c in chain if c.unit.id == unit.id}
    page.capaian = [(point, point.label(period), own.get(point))
                    for point in distribution.points_in(period)]
    page.sets_capaian = access.can_set_unit_capaian(user, unit)
    unit_ids = tree.below(unit.id)
    staff = _staff(unit_ids).scalar_subquery()
    held = distribution.employee_predikats(staff, period, at=at)
    children = db.session.scalars(db.select(Unit).where(Unit.parent_id == unit.id,
                                                        Unit.active.is_(True))
                                  .order_by(Unit.name)).all()
    current = figures_for([unit, *children], period, at=at, tree=tree, held=held)
    page.figures = current.pop(unit.id)
    page.subunits = sort_rows(list(current.values()), sort, descending)
    # The years side by side: each year's annual point (a month beside a year would mislead).
    for other in periods:
        page.history.append(page.figures if other.id == period.id and at.is_annual
                            else figures_for([unit], other, tree=tree)[unit.id])
    month = default_month(period, calendar.today_in())
    shares = realisation_by_employee(staff, period, month)
    rows = db.session.execute(
        db.select(Employee, Unit.name, Position.name)
        .join(Unit, Unit.id == Employee.unit_id).outerjoin(Position, Position.id == Employee.position_id)
        .where(Employee.unit_id.in_(unit_ids), Employee.active.is_(True))
        .order_by(Employee.name, Employee.id)).all()
    page.people = [Person(employee, unit_name, position or "", held.get(employee.id),
                          _average(shares.get(employee.id, [])), len(shares.get(employee.id, [])))
                   for employee, unit_name, position in rows]
    if page.figures.status is None:
        governing = distribution.nearest_recorded_unit(unit.id, period, at)
        if governing is not None and governing.id != unit.id:
            page.governing = distribution.distribution_status(governing, period, at=at)
    return page


PREDIKAT_COLUMNS = tuple(Predikat)
SORT_LABELS = {"nama": _l("Unit"), "pegawai": _l("Pegawai"), "dinilai": _l("Dinilai"),
               "realisasi": _l("Realisasi"), "ikm": _l("IKM"), "terbuka": _l("Terbuka"),
               "terlambat": _l("Terlambat"), "dijawab": _l("Dijawab")}

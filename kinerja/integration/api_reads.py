"""The read queries behind the JSON API (units, counters, periods, IKM per month, complaint
counts, SKP summaries), each answering one Page the same way and filtering the same way: a unit
code (with the units below it), dates as `date` objects, codes looked up case-insensitively,
an unknown code a RuleViolation. Every list costs a fixed number of queries, whatever its size.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func

from kinerja.appraisal.models import Evaluation, EvaluationKind, EvaluationStatus
from kinerja.core import calendar
from kinerja.core.calendar import TimeZone
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.numbers import percent
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback import complaints, ikm_report, ikm_scope
from kinerja.feedback.models import Complaint, ComplaintStatus
from kinerja.organisation import access, tree
from kinerja.organisation.models import Employee, ServiceCounter, Unit, User
from kinerja.performance import pace, periods, realisation, skp_workflow
from kinerja.performance import skps as plans
from kinerja.performance.models import Aspect, Indicator, Period, Rhk, Skp, SkpStatus

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Page:
    """One page of a list: its items, where it is, and how many items all pages hold."""
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @classmethod
    def of_list(cls, everything: list, page: int, per_page: int) -> "Page":
        start = (page - 1) * per_page
        return cls(everything[start:start + per_page], page, per_page, len(everything))


def _check_page(page: int, per_page: int) -> None:
    if page < 1:
        raise RuleViolation(_l("Halaman dimulai dari 1."), "page")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise RuleViolation(_l("per_page antara 1 dan %(max)s.", max=MAX_PER_PAGE), "per_page")


def _paginate(query, page: int, per_page: int) -> Page:
    """A page of a SELECT of one entity, through Flask-SQLAlchemy's db.paginate (a COUNT and a
    LIMIT/OFFSET query), answered as a Page. The page is checked first: an API refuses a page
    or a size out of range with a 400, where db.paginate would answer 404 or quietly correct it."""
    _check_page(page, per_page)
    found = db.paginate(query, page=page, per_page=per_page, error_out=False)
    return Page(list(found.items), found.page, found.per_page, found.total or 0)


def unit_ids(code: str | None) -> set[int] | None:
    """The unit with this code and every unit below it; None (no filter) without a code."""
    if not code:
        return None
    unit = ikm_scope.scope_from_codes(unit=code).unit
    return tree.subtree_ids(unit)


# ---------------------------------------------------------------- organisation


def _unit_entry(unit: Unit, parent_code: str | None) -> dict:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind,
            "time_zone": unit.time_zone, "iana_time_zone": TimeZone(unit.time_zone).iana,
            "parent_code": parent_code, "active": unit.active}


def units(unit_code: str | None = None, page: int = 1, per_page: int = DEFAULT_PER_PAGE,
          tree: bool = False) -> Page:
    """Units ordered by code, each with its parent's code; with `tree`, the top units (of the
    filter) each with their `children`, nested, and the pages count top units."""
    _check_page(page, per_page)
    scope = unit_ids(unit_code)
    if not tree:
        query = db.select(Unit).options(db.joinedload(Unit.parent)).order_by(Unit.code)
        if scope is not None:
            query = query.where(Unit.id.in_(scope))
        found = _paginate(query, page, per_page)
        return Page([_unit_entry(unit, unit.parent.code if unit.parent else None)
                     for unit in found.items], found.page, found.per_page, found.total)
    everything = db.session.scalars(db.select(Unit).order_by(Unit.code)).all()
    by_id = {unit.id: unit for unit in everything}
    entries = {unit.id: {**_unit_entry(unit, by_id[unit.parent_id].code if unit.parent_id in by_id
                                       else None), "children": []}
               for unit in everything if scope is None or unit.id in scope}
    roots = []
    for unit in everything:
        if unit.id not in entries:
            continue
        if unit.parent_id in entries:
            entries[unit.parent_id]["children"].append(entries[unit.id])
        else:
            roots.append(entries[unit.id])
    return Page.of_list(roots, page, per_page)


def counters(unit_code: str | None = None, page: int = 1,
             per_page: int = DEFAULT_PER_PAGE) -> Page:
    """Service counters ordered by code, with their unit and services loaded."""
    scope = unit_ids(unit_code)
    query = (db.select(ServiceCounter).join(ServiceCounter.unit)
             .options(db.contains_eager(ServiceCounter.unit), db.selectinload(ServiceCounter.services))
             .order_by(ServiceCounter.code))
    if scope is not None:
        query = query.where(ServiceCounter.unit_id.in_(scope))
    return _paginate(query, page, per_page)


def all_periods(page: int = 1, per_page: int = DEFAULT_PER_PAGE) -> Page:
    """Performance periods, the latest year first."""
    return _paginate(db.select(Period).order_by(Period.year.desc()), page, per_page)


# ---------------------------------------------------------------- IKM over time


@dataclass
class IkmMonths:
    scope: ikm_scope.Scope
    start: date
    end: date
    page: Page  # of ikm_report.MonthRow, oldest first


def ikm_months(unit_code: str | None, counter_code: str | None, service_code: str | None,
               start: date, end: date, page: int = 1,
               per_page: int = DEFAULT_PER_PAGE) -> IkmMonths:
    """Every month of [start, end] with its figures (NRR per element, IKM, respondents): the
    IKM report's own monthly rows, so a dashboard's trend equals the report's."""
    _check_page(page, per_page)
    ikm_scope.check_range(start, end)
    scope = ikm_scope.scope_from_codes(unit_code, counter_code, service_code)
    report = ikm_report.report(scope, start, end)
    return IkmMonths(scope, start, end, Page.of_list(report.months, page, per_page))


# ---------------------------------------------------------------- complaints


@dataclass
class ComplaintCounts:
    unit_code: str
    unit_name: str
    counts: dict[str, int]  # per status value
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def open(self) -> int:
        return sum(self.counts[status.value] for status in complaints.OPEN)


def complaint_counts(unit_code: str | None, start: date, end: date, page: int = 1,
                     per_page: int = DEFAULT_PER_PAGE, now: datetime | None = None) -> Page:
    """Per unit with complaints that arrived in [start, end]: how many are in each state and
    how many of them are overdue now. Counts only: no text, no contact, nobody's name."""
    _check_page(page, per_page)
    ikm_scope.check_range(start, end)
    scope = unit_ids(unit_code)
    now = now or utcnow()
    where = [complaints.received_between(start, end)]
    if scope is not None:
        where.append(Complaint.unit_id.in_(scope))
    counted: dict[int, dict[str, int]] = defaultdict(lambda: {s.value: 0 for s in ComplaintStatus})
    for unit_id, status, n in db.session.execute(
            db.select(Complaint.unit_id, Complaint.status, func.count(Complaint.id))
            .join(Unit, Complaint.unit_id == Unit.id).where(*where)
            .group_by(Complaint.unit_id, Complaint.status)):
        counted[unit_id][ComplaintStatus(status).value] = n
    # The overdue rule is the complaint list's own (working days in the unit's zone).
    overdue = dict(db.session.execute(
        db.select(Complaint.unit_id, func.count(Complaint.id))
        .join(Unit, Complaint.unit_id == Unit.id)
        .where(*where, complaints.overdue_clause(now, complaints.overdue_working_days()))
        .group_by(Complaint.unit_id)).all())
    names = dict(((unit_id, (code, name)) for unit_id, code, name in db.session.execute(
        db.select(Unit.id, Unit.code, Unit.name).where(Unit.id.in_(list(counted))))))
    rows = sorted((ComplaintCounts(*names[unit_id], counts, overdue.get(unit_id, 0))
                   for unit_id, counts in counted.items()), key=lambda row: row.unit_code)
    return Page.of_list(rows, page, per_page)


# ---------------------------------------------------------------- SKP summary (HR)


@dataclass
class SkpSummary:
    employee: Employee
    year: int
    skp_status: SkpStatus | None
    quantity_indicators: int
    realisation_percent: Decimal | None  # cumulative realisation / yearly target, averaged
    expected_percent: Decimal | None  # the share of the year gone by
    pace_status: pace.PaceStatus

    @property
    def unit_code(self) -> str | None:
        return self.employee.unit.code if self.employee.unit else None


@dataclass
class SkpSummaries:
    period: Period | None  # the year summarised; None when there is no period at all
    page: Page


def _period(year: int | None) -> Period | None:
    if year is None:
        return periods.period_for(None)
    period = db.session.scalar(db.select(Period).where(Period.year == year))
    if period is None:
        raise RuleViolation(_l("Tidak ada periode kinerja tahun %(year)s.", year=year), "year")
    return period


def _summary(employee: Employee, period: Period, skp: Skp | None,
             pairs: list[tuple[pace.MonthlySeries, Decimal, bool]]) -> SkpSummary:
    """The employee's quantity indicators against their yearly targets, to the running month
    (the last month, for a past year), as the progress page computes them."""
    today = calendar.today_in(employee.time_zone)
    month = pace.default_month(period, today)
    share = pace.month_fraction(period.year, month, today)
    if share is not None and skp is not None:
        share = skp_workflow.term_of_skp(skp).share_by(today)  # from the day the plan applies
    pairs = [(series, target, lower) for series, target, lower in pairs if target > 0]
    expected = percent(share, Fraction(1)) if share is not None else None
    if skp is None or not pairs or share is None:
        return SkpSummary(employee, period.year, skp.status if skp else None, len(pairs), None,
                          expected, pace.PaceStatus.NO_DATA)
    ratios = [pace.achievement(series.cumulative(month), target, lower)
              for series, target, lower in pairs]
    average = sum(ratios, Fraction(0)) / len(ratios)
    status = pace.status_of(average / share) if share > 0 else pace.PaceStatus.ON_TRACK
    return SkpSummary(employee, period.year, skp.status, len(pairs),
                      percent(average, Fraction(1)), expected, status)


def skp_summaries(reader: User, unit_code: str | None = None, year: int | None = None,
                  status: SkpStatus | None = None, page: int = 1,
                  per_page: int = DEFAULT_PER_PAGE) -> SkpSummaries:
    """Per active employee (by name): their SKP's status for the year (the open period by
    default) and their realisation against target. Everyone's performance: for HR only.
    Seven queries per page, whatever its size."""
    if not access.sees_all_performance(reader):
        raise NotAllowed
    _check_page(page, per_page)
    scope = unit_ids(unit_code)
    period = _period(year)
    if period is None:
        return SkpSummaries(None, Page([], page, per_page, 0))
    query = (db.select(Employee)
             .options(db.joinedload(Employee.unit), db.joinedload(Employee.position))
             .where(Employee.active.is_(True), Employee.is_ppk.is_(False))
             .order_by(Employee.name, Employee.id))
    if scope is not None:
        query = query.where(Employee.unit_id.in_(scope))
    # Each person's plan running now (the last one of a past year): a transfer may have
    # given them several in the year.
    month = plans.month_in(period, calendar.today_in())
    if status is not None:
        query = query.join(Skp, and_(Skp.employee_id == Employee.id,
                                     plans.covering(period, month))).where(Skp.status == status)
    found = _paginate(query, page, per_page)
    skps = plans.skps_covering([e.id for e in found.items], period, month,
                               db.selectinload(Skp.versions))
    rows = [(employee, skps.get(employee.id)) for employee in found.items]
    skp_ids = [skp.id for _, skp in rows if skp is not None]
    targets = db.session.execute(
        db.select(Rhk.skp_id, Indicator.id, Indicator.target, Indicator.lower_is_better)
        .join(Indicator, Indicator.rhk_id == Rhk.id)
        .where(Rhk.skp_id.in_(skp_ids), Indicator.aspect == Aspect.QUANTITY)
        .order_by(Indicator.id)).all() if skp_ids else []
    series, _ = realisation.read_series({row.id: Aspect.QUANTITY for row in targets})
    by_skp: dict[int, list] = defaultdict(list)
    for skp_id, indicator_id, target, lower in targets:
        by_skp[skp_id].append((series[indicator_id], target, lower))
    items = [_summary(employee, period, skp, by_skp.get(skp.id, []) if skp else [])
             for employee, skp in rows]
    return SkpSummaries(period, Page(items, found.page, found.per_page, found.total))


# ---------------------------------------------------------------- evaluations (HR)


def evaluations(reader: User, unit_code: str | None = None, year: int | None = None,
                kind: str | None = None, point: int | None = None, page: int = 1,
                per_page: int = DEFAULT_PER_PAGE) -> tuple[Period | None, Page]:
    """Set evaluations (not drafts) of a year, by employee name then point: the predikat per
    employee per period. Everyone's appraisal: for HR only. Two queries per page."""
    if not access.sees_all_performance(reader):
        raise NotAllowed
    _check_page(page, per_page)
    scope = unit_ids(unit_code)
    period = _period(year)
    if period is None:
        return None, Page([], page, per_page, 0)
    query = (db.select(Evaluation).join(Employee, Evaluation.employee_id == Employee.id)
             .where(Evaluation.period_id == period.id,
                    Evaluation.status != EvaluationStatus.DRAFT)
             .options(db.joinedload(Evaluation.employee).joinedload(Employee.unit),
                      db.joinedload(Evaluation.employee).joinedload(Employee.position))
             .order_by(Employee.name, Employee.id, Evaluation.kind, Evaluation.point))
    if scope is not None:
        query = query.where(Employee.unit_id.in_(scope))
    if kind is not None:
        query = query.where(Evaluation.kind == EvaluationKind(kind))
    if point is not None:
        query = query.where(Evaluation.point == point)
    return period, _paginate(query, page, per_page)

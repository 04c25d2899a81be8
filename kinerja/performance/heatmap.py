"""The unit heatmap: each employee's realisation month by month against the pro-rated target."""
from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from kinerja.core.calendar import today_in
from kinerja.core.numbers import as_fraction
from kinerja.extensions import db
from kinerja.organisation import tree
from kinerja.organisation.models import Employee, Unit
from kinerja.performance.formatting import short_month_names
from kinerja.performance.models import Aspect, Indicator, Period, Rhk, Skp
from kinerja.performance.pace import (
    LOWER_AT_ZERO,
    MONTHS,
    SLIGHTLY_BEHIND_FROM,
    ZERO,
    MonthlySeries,
    PaceStatus,
    default_month,
    month_fraction,
    status_of,
)
from kinerja.performance.periods import open_period
from kinerja.performance.realisation import read_series


def _ratio(done: Decimal, due: Decimal, lower_is_better: bool) -> Decimal:
    """pace.achievement in Decimals: done / due, or due / done when lower is better."""
    if not lower_is_better:
        return done / due
    return due / done if done > 0 else Decimal(LOWER_AT_ZERO.numerator)


WHOLE_YEAR = range(1, 13)


def plan_share(year: int, months: range, month: int, today: date) -> Fraction | None:
    """The share of a plan's target due by the end of `month`: over the whole year the
    twelfths (and the days gone by in the running month, month_fraction); for a plan a transfer
    cut to some months, the share of its own months gone by (the running month by its days)."""
    if months == WHOLE_YEAR:
        return month_fraction(year, month, today)
    if (year, month) > (today.year, today.month):
        return None
    done = Fraction(month - months.start)
    if (year, month) == (today.year, today.month):
        done += Fraction(today.day, monthrange(year, month)[1])
    else:
        done += 1
    return done / len(months)


def heat_percentages(series: Iterable[tuple], year: int, today: date) -> list[Decimal | None]:
    """Per month: cumulative quantity realisation / pro-rated target (the other way round for
    a lower-is-better indicator), averaged over the quantity indicators given as (series,
    target), (series, target, lower_is_better) or (series, target, lower_is_better, months);
    `months` the months of the indicator's plan (the whole year by default): a month counts
    only the indicators of the plan covering it, so a person moved mid-year shows the old
    plan's indicators before the move and the new plan's after it, never both. None for months
    not reached or with no indicator. Running sums and Decimal arithmetic: a unit's heatmap has
    thousands of cells."""
    series = [(s, Decimal(t), bool(rest and rest[0]), rest[1] if len(rest) > 1 else WHOLE_YEAR)
              for s, t, *rest in series if s.quantity and t > 0]
    running = []
    for s, target, lower, months in series:
        total, sums = ZERO, []
        for month in MONTHS:
            total += s.effective(month) or ZERO
            sums.append(total)
        running.append((sums, target, lower, months))
    result: list[Decimal | None] = []
    for month in MONTHS:
        ratios, counted = ZERO, 0
        for sums, target, lower, months in running:
            share_d = _share(year, months, month, today) if month in months else None
            if share_d is None:
                continue
            ratios += _ratio(sums[month - 1], target * share_d, lower)
            counted += 1
        result.append((ratios * 100 / counted).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                      if counted else None)
    return result


@lru_cache(maxsize=4096)  # a unit's people share a few plan spans: Fractions once per span
def _share(year: int, months: range, month: int, today: date) -> Decimal | None:
    """plan_share as a Decimal; None when nothing is due (the month not reached, or a zero
    share)."""
    share = plan_share(year, months, month, today)
    if not share:
        return None
    return Decimal(share.numerator) / Decimal(share.denominator)


@lru_cache(maxsize=2048)  # thousands of cells per unit, a few hundred distinct percentages
def heat_class(value: Decimal | None) -> str:
    if value is None:
        return "heat-none"
    return {PaceStatus.ON_TRACK: "heat-good", PaceStatus.SLIGHTLY_BEHIND: "heat-warn",
            PaceStatus.BEHIND: "heat-bad"}[status_of(as_fraction(value) / 100)]


@dataclass
class HeatRow:
    employee: Employee
    unit_id: int
    unit_name: str
    has_skp: bool
    cells: list[tuple[Decimal | None, str]]  # per month: (% of the pro-rated target, css class)
    current: Decimal | None  # the running month's % of pace

    @property
    def is_lagging(self) -> bool:
        return self.current is not None and as_fraction(self.current) < SLIGHTLY_BEHIND_FROM * 100


@dataclass
class Heatmap:
    unit: Unit
    period: Period | None
    today: date
    rows: list[HeatRow]
    current_month: int
    month_labels: list[str]
    periods: list[Period]

    @property
    def laggards(self) -> list[HeatRow]:
        return sorted((r for r in self.rows if r.is_lagging), key=lambda r: r.current)


def unit_heatmap(unit: Unit, year: int | None = None, today: date | None = None) -> Heatmap:
    """Employee x month realisation % for the unit and the units below it, in five queries
    whatever the number of people: monthly sums come from activity_rollups, not activities."""
    today = today or today_in(unit.time_zone)
    periods = db.session.scalars(db.select(Period).order_by(Period.year.desc())).all()
    if year is not None:
        period = next((p for p in periods if p.year == year), None)
    else:
        period = open_period() or (periods[0] if periods else None)
    heatmap = Heatmap(unit=unit, period=period, today=today, rows=[], current_month=1,
                      month_labels=short_month_names(), periods=periods)
    unit_ids = tree.subtree_ids(unit)
    staff = db.session.execute(
        db.select(Employee, Unit.id, Unit.name).join(Unit, Employee.unit_id == Unit.id)
        .where(Employee.unit_id.in_(unit_ids), Employee.active.is_(True))
        .order_by(Employee.name, Employee.id)).all()
    if period is None:
        heatmap.rows = [HeatRow(e, unit_id, unit_name, False, [(None, "heat-none")] * 12, None)
                        for e, unit_id, unit_name in staff]
        return heatmap
    heatmap.current_month = default_month(period, today)
    staff_ids = db.select(Employee.id).where(Employee.unit_id.in_(unit_ids),
                                             Employee.active.is_(True)).scalar_subquery()
    of_staff = (db.select(Indicator.id).join(Rhk, Indicator.rhk_id == Rhk.id)
                .join(Skp, Rhk.skp_id == Skp.id)
                .where(Skp.period_id == period.id, Skp.employee_id.in_(staff_ids),
                       Indicator.aspect == Aspect.QUANTITY))
    indicator_rows = db.session.execute(
        db.select(Skp.employee_id, Indicator.id, Indicator.target, Indicator.lower_is_better,
                  Skp.first_month, Skp.last_month)
        .join(Rhk, Rhk.skp_id == Skp.id).join(Indicator, Indicator.rhk_id == Rhk.id)
        .where(Skp.period_id == period.id, Skp.employee_id.in_(staff_ids),
               Indicator.aspect == Aspect.QUANTITY)).all()
    with_skp = set(db.session.scalars(db.select(Skp.employee_id).where(
        Skp.period_id == period.id, Skp.employee_id.in_(staff_ids))))
    series, _ = read_series({row.id: Aspect.QUANTITY for row in indicator_rows}, among=of_staff)
    by_employee: dict[int, list[tuple[MonthlySeries, Decimal, bool, range]]] = defaultdict(list)
    for employee_id, indicator_id, target, lower, first, last in indicator_rows:
        by_employee[employee_id].append((series[indicator_id], target, lower,
                                         range(first, last + 1)))
    for employee, unit_id, unit_name in staff:
        values = heat_percentages(by_employee.get(employee.id, []), period.year, today)
        current = values[heatmap.current_month - 1] if period.year == today.year else (
            values[11] if period.year < today.year else None)
        heatmap.rows.append(HeatRow(employee, unit_id, unit_name, employee.id in with_skp,
                                    [(v, heat_class(v)) for v in values], current))
    return heatmap

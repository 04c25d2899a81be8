"""The unit heatmap: each employee's realisation month by month against the pro-rated target."""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from kinerja.core.calendar import today_in
from kinerja.core.numbers import as_fraction
from kinerja.extensions import db
from kinerja.organisation import tree
from kinerja.organisation.models import Employee, Unit
from kinerja.performance.formatting import short_month_names
from kinerja.performance.models import Aspect, Indicator, Period, Rhk, Skp
from kinerja.performance.pace import (
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


def heat_percentages(series: Iterable[tuple[MonthlySeries, Decimal]], year: int,
                     today: date) -> list[Decimal | None]:
    """Per month: cumulative quantity realisation / pro-rated target, averaged over the
    quantity indicators given as (series, target); None for months not reached or no indicator.
    Running sums and Decimal arithmetic: a unit's heatmap has thousands of cells."""
    series = [(s, Decimal(t)) for s, t in series if s.quantity and t > 0]
    running = []
    for s, target in series:
        total, sums = ZERO, []
        for month in MONTHS:
            total += s.effective(month) or ZERO
            sums.append(total)
        running.append((sums, target))
    result: list[Decimal | None] = []
    for month in MONTHS:
        share = month_fraction(year, month, today)
        if share is None or share == 0 or not series:
            result.append(None)
            continue
        share_d = Decimal(share.numerator) / Decimal(share.denominator)
        ratios = sum((sums[month - 1] / (target * share_d) for sums, target in running), ZERO)
        result.append((ratios * 100 / len(running)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return result


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
        db.select(Skp.employee_id, Indicator.id, Indicator.target)
        .join(Rhk, Rhk.skp_id == Skp.id).join(Indicator, Indicator.rhk_id == Rhk.id)
        .where(Skp.period_id == period.id, Skp.employee_id.in_(staff_ids),
               Indicator.aspect == Aspect.QUANTITY)).all()
    with_skp = set(db.session.scalars(db.select(Skp.employee_id).where(
        Skp.period_id == period.id, Skp.employee_id.in_(staff_ids))))
    series, _ = read_series({indicator_id: Aspect.QUANTITY for _, indicator_id, _ in indicator_rows},
                            among=of_staff)
    by_employee: dict[int, list[tuple[MonthlySeries, Decimal]]] = defaultdict(list)
    for employee_id, indicator_id, target in indicator_rows:
        by_employee[employee_id].append((series[indicator_id], target))
    for employee, unit_id, unit_name in staff:
        values = heat_percentages(by_employee.get(employee.id, []), period.year, today)
        current = values[heatmap.current_month - 1] if period.year == today.year else (
            values[11] if period.year < today.year else None)
        heatmap.rows.append(HeatRow(employee, unit_id, unit_name, employee.id in with_skp,
                                    [(v, heat_class(v)) for v in values], current))
    return heatmap

"""One employee's progress: each indicator against its target and today's pace, the months as a chart."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from flask_babel import lazy_gettext as _l

from kinerja.core.calendar import today_in
from kinerja.core.numbers import format_amount, percent
from kinerja.extensions import db
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance.formatting import short_month_names
from kinerja.performance.models import Indicator, Period, Rhk, Skp
from kinerja.performance.pace import (
    MONTHS,
    MonthlySeries,
    Pace,
    PaceStatus,
    Term,
    achievement,
    default_month,
    pace,
    status_of,
)
from kinerja.performance.periods import open_period
from kinerja.performance.realisation import aspects_of, read_series, rhks_of
from kinerja.performance.skp_workflow import skp_of, term_of_skp


@dataclass
class IndicatorProgress:
    rhk: Rhk
    indicator: Indicator
    pace: Pace
    bar_title: str  # the bar's words for screen readers


@dataclass
class MonthlyPoint:
    month: int
    label: str
    percent_of_target: Decimal | None
    expected_percent: Decimal | None
    status: PaceStatus


@dataclass
class ProgressReport:
    employee: Employee
    period: Period | None
    skp: Skp | None
    today: date
    indicators: list[IndicatorProgress] = field(default_factory=list)
    monthly: list[MonthlyPoint] = field(default_factory=list)
    headed_units: list[Unit] = field(default_factory=list)
    current_month: int = 1
    term: Term | None = None  # the days the targets are spread over

    @property
    def term_started_late(self) -> bool:
        """The plan applies from a month after the period's first (agreed late, or not yet
        agreed): the page says so, since the months before it are not counted as behind."""
        return self.term is not None and self.period is not None and \
            self.term.first_month(self.period.year) > self.period.starts.month

    @property
    def groups(self) -> list[tuple[Rhk, list[IndicatorProgress]]]:
        """The indicators under their RHK, in the plan's order."""
        grouped: list[tuple[Rhk, list[IndicatorProgress]]] = []
        for item in self.indicators:
            if not grouped or grouped[-1][0].id != item.rhk.id:
                grouped.append((item.rhk, []))
            grouped[-1][1].append(item)
        return grouped

    @property
    def chart_title(self) -> str:
        return str(_l("Realisasi kumulatif %(year)s (rata-rata indikator kuantitas, "
                      "%% dari target tahunan) dibanding laju yang diharapkan", year=self.period.year))

    @property
    def has_quantity(self) -> bool:
        return any(p.percent_of_target is not None for p in self.monthly)


def _bar_title(indicator: Indicator, result: Pace) -> str:
    unit = indicator.unit_of_measure
    if result.realised is None:
        return str(_l("%(text)s: belum diisi; target %(target)s %(unit)s.", text=indicator.text,
                      target=format_amount(result.target), unit=unit))
    if indicator.lower_is_better:
        return str(_l("%(text)s: realisasi %(value)s, target paling banyak %(target)s %(unit)s "
                      "(makin kecil makin baik; capaian %(percent)s%%).",
                      text=indicator.text, value=format_amount(result.realised),
                      target=format_amount(result.target), unit=unit,
                      percent=format_amount(result.percent_of_target)))
    return str(_l("%(text)s: realisasi %(value)s dari target %(target)s %(unit)s "
                  "(%(percent)s%%); seharusnya %(expected)s pada hari ini.",
                  text=indicator.text, value=format_amount(result.realised),
                  target=format_amount(result.target), unit=unit,
                  percent=format_amount(result.percent_of_target),
                  expected=format_amount(result.expected)))


def _monthly_points(pairs: list[tuple[MonthlySeries, Decimal, bool]], year: int, term: Term,
                    today: date) -> list[MonthlyPoint]:
    """Per month: cumulative realisation as % of the yearly target (average over quantity
    indicators) against the % the term expects by the month's end (December: 100%). A
    finished month is judged against its end; the running one against today, as the bars are."""
    labels = short_month_names()
    pairs = [(s, t, lower) for s, t, lower in pairs if s.quantity and t > 0]
    points = []
    for month in MONTHS:
        share = term.month_end_share(year, month, today)
        if share is None or not pairs:
            points.append(MonthlyPoint(month, labels[month - 1], None,
                                       percent(share, Fraction(1)) if share is not None else None,
                                       PaceStatus.NO_DATA))
            continue
        ratios = [achievement(s.cumulative(month), t, lower) for s, t, lower in pairs]
        average = sum(ratios, Fraction(0)) / len(ratios)
        due = term.share_by(today) if (year, month) == (today.year, today.month) else share
        points.append(MonthlyPoint(
            month, labels[month - 1], percent(average, Fraction(1)), percent(share, Fraction(1)),
            status_of(average / due) if due > 0 else PaceStatus.ON_TRACK))
    return points


def progress_report(viewer: User, employee: Employee, period: Period | None = None,
                    today: date | None = None) -> ProgressReport:
    """The employee's progress for the period (the open one by default): each indicator against
    its target and today's pace, and the months of the year as a chart."""
    period = period or open_period()
    today = today or today_in(employee.time_zone)
    headed = []
    if viewer.employee.id == employee.id:
        headed = db.session.scalars(db.select(Unit).where(Unit.head_id == employee.id)
                                    .order_by(Unit.name)).all()
    report = ProgressReport(employee=employee, period=period, skp=None, today=today,
                            headed_units=headed)
    if period is None:
        return report
    report.current_month = default_month(period, today)
    report.skp = skp = skp_of(employee, period)
    if skp is None:
        return report
    report.term = term = term_of_skp(skp)
    elapsed = term.share_by(today)
    rhks = rhks_of(skp)
    indicators = [(rhk, i) for rhk in rhks for i in rhk.indicators]
    series, _ = read_series(aspects_of([i for _, i in indicators]))
    month = report.current_month
    for rhk, indicator in indicators:
        if indicator.qualitative:
            # Assessed from its described target and the month's narratives: no number to pace.
            result = Pace(None, Decimal(0), Decimal(0), None, None, PaceStatus.NO_DATA)
            title = str(_l("%(text)s: kualitatif, dinilai dari uraian realisasi; target: %(target)s",
                           text=indicator.text, target=indicator.target_text or ""))
            report.indicators.append(IndicatorProgress(rhk, indicator, result, title))
            continue
        s = series[indicator.id]
        result = pace(s.cumulative(month), indicator.target, elapsed, cumulative=s.quantity,
                      lower_is_better=indicator.lower_is_better)
        report.indicators.append(IndicatorProgress(rhk, indicator, result,
                                                   _bar_title(indicator, result)))
    report.monthly = _monthly_points([(series[i.id], i.target, i.lower_is_better)
                                      for _, i in indicators if not i.qualitative],
                                     period.year, term, today)
    return report

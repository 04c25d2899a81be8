"""Monthly realisation per indicator, progress against the pace of the year, supervisor feedback
(umpan balik), performance dialogues (dialog kinerja) and the unit heatmap.

For a quantity indicator a month's realisation is, unless the employee adjusts it, the sum of
the `quantity` of that month's reported or verified activities; other aspects have no sum and
are entered. The arithmetic (pace, status, cumulative series) is in pure functions over plain
numbers at the top; the rest reads and writes the database with a bounded number of queries.
"""
import calendar
import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from babel.dates import get_month_names
from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from kinerja.core import audit
from kinerja.core.calendar import today_in
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.numbers import as_fraction, percent
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.organisation import access, tree
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance import evidence as evidence_files
from kinerja.performance import progress_chart
from kinerja.performance.models import (
    ActivityRollup,
    Aspect,
    Dialogue,
    Evidence,
    Feedback,
    Indicator,
    Period,
    Realisation,
    Rhk,
    Skp,
)
from kinerja.performance.periods import open_period, require_open
from kinerja.performance.skp_workflow import parse_amount, skp_of

MONTHS = range(1, 13)
ON_TRACK_FROM = Fraction(1)  # realised / expected
SLIGHTLY_BEHIND_FROM = Fraction(4, 5)
MAX_NARRATIVE, MAX_FEEDBACK, MAX_NOTES = 2000, 2000, 4000
DEFAULT_ZONE = "Asia/Jakarta"
ZERO = Decimal(0)


# ---------------------------------------------------------------- pure arithmetic


class PaceStatus(enum.StrEnum):
    ON_TRACK = "on_track"                # at or above the pace expected today
    SLIGHTLY_BEHIND = "slightly_behind"  # at least 80% of it
    BEHIND = "behind"                    # below 80% of it
    NO_DATA = "no_data"                  # nothing entered yet (quality, time, cost)


STATUS_LABELS = {
    PaceStatus.ON_TRACK: _l("Sesuai target"),
    PaceStatus.SLIGHTLY_BEHIND: _l("Sedikit tertinggal"),
    PaceStatus.BEHIND: _l("Tertinggal"),
    PaceStatus.NO_DATA: _l("Belum diisi"),
}


def elapsed_fraction(year: int, today: date) -> Fraction:
    """The share of `year` gone by at the end of `today`: 1/365 on 1 January, 1 on 31 December,
    0 before the year starts and 1 after it ends. Exact, so a pace of 100% is exactly 100%."""
    if today.year < year:
        return Fraction(0)
    if today.year > year:
        return Fraction(1)
    return Fraction(today.timetuple().tm_yday, 366 if calendar.isleap(year) else 365)


def month_fraction(year: int, month: int, today: date) -> Fraction | None:
    """The share of the yearly target due by the end of `month`: month/12 for a finished month,
    the days gone by for the running one, None for a month that has not started."""
    if (year, month) > (today.year, today.month):
        return None
    if (year, month) == (today.year, today.month):
        return elapsed_fraction(year, today)
    return Fraction(month, 12)


def status_of(ratio: Fraction | None) -> PaceStatus:
    """realised / expected -> on track (>= 100%), a little behind (>= 80%), behind."""
    if ratio is None:
        return PaceStatus.NO_DATA
    if ratio >= ON_TRACK_FROM:
        return PaceStatus.ON_TRACK
    if ratio >= SLIGHTLY_BEHIND_FROM:
        return PaceStatus.SLIGHTLY_BEHIND
    return PaceStatus.BEHIND


@dataclass(frozen=True)
class Pace:
    realised: Decimal | None
    target: Decimal
    expected: Decimal
    percent_of_target: Decimal | None
    percent_of_pace: Decimal | None
    status: PaceStatus

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def pace(realised, target, elapsed: Fraction, *, cumulative: bool = True) -> Pace:
    """Realisation against the yearly target and against the pace expected by now.

    `cumulative` (quantity) expects target x elapsed share of the year; other aspects expect
    the target itself from the start. A target of 0 is refused (the SKP refuses it upstream).
    """
    target_f = as_fraction(target)
    if target_f <= 0:
        raise ValueError("target must be positive")
    expected_f = target_f * elapsed if cumulative else target_f
    expected = (Decimal(expected_f.numerator) / Decimal(expected_f.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)
    if realised is None:
        return Pace(None, Decimal(str(target)), expected, None, None, PaceStatus.NO_DATA)
    realised_f = as_fraction(realised)
    ratio = realised_f / expected_f if expected_f > 0 else None
    return Pace(
        realised=Decimal(str(realised)), target=Decimal(str(target)), expected=expected,
        percent_of_target=percent(realised_f, target_f),
        percent_of_pace=percent(realised_f, expected_f) if expected_f > 0 else None,
        # Nothing is due before the year starts: that is on track, not "no data".
        status=status_of(ratio) if ratio is not None else PaceStatus.ON_TRACK,
    )


@dataclass
class MonthlySeries:
    """One indicator's year: the activity sum and the entered value per month."""
    quantity: bool
    sums: dict[int, Decimal] = field(default_factory=dict)
    values: dict[int, Decimal | None] = field(default_factory=dict)

    def effective(self, month: int) -> Decimal | None:
        entered = self.values.get(month)
        if entered is not None or not self.quantity:
            return entered
        return self.sums.get(month, ZERO)

    def cumulative(self, month: int) -> Decimal | None:
        """To the end of `month`: the sum for quantity, the latest entered value otherwise."""
        if self.quantity:
            return sum((self.effective(m) for m in range(1, month + 1)), ZERO)
        for m in range(month, 0, -1):
            if self.values.get(m) is not None:
                return self.values[m]
        return None


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


# ---------------------------------------------------------------- dates and formatting


def default_month(period: Period, today: date) -> int:
    if period.year == today.year:
        return today.month
    return 12 if period.year < today.year else 1


def month_names() -> dict[int, str]:
    return dict(get_month_names("wide", locale=get_locale()))


def _short_month_names() -> list[str]:
    names = get_month_names("abbreviated", locale=get_locale())
    return [names[m].rstrip(".") for m in MONTHS]


def _fmt(value) -> str:
    return format_decimal(value, format="#,##0.##", locale=get_locale())


def _require_month(month: int, period: Period, today: date) -> None:
    # Not tied to a field: the page of a month that has not started has no form to mark.
    if month not in MONTHS:
        raise RuleViolation(_l("Bulan harus antara 1 dan 12."))
    if (period.year, month) > (today.year, today.month):
        raise RuleViolation(_l("Bulan ini belum berjalan."))


# ---------------------------------------------------------------- reading an SKP's year


def _decimal(value) -> Decimal:
    # Sums come back as Decimal, but as float from some drivers: never Decimal(float).
    return Decimal(str(value)) if value is not None else ZERO


def _month_of(column):
    return db.extract("month", column)


def series_for(indicators: list[Indicator]) -> tuple[dict[int, MonthlySeries],
                                                      dict[tuple[int, int], Realisation]]:
    """Two queries for any number of indicators: activity sums by indicator and month, and the
    entered realisations (with their evidence)."""
    series = {i.id: MonthlySeries(quantity=i.aspect is Aspect.QUANTITY) for i in indicators}
    entries: dict[tuple[int, int], Realisation] = {}
    if not series:
        return series, entries
    ids = list(series)
    rows = db.session.execute(
        db.select(ActivityRollup.indicator_id, ActivityRollup.month, ActivityRollup.quantity)
        .where(ActivityRollup.indicator_id.in_(ids), ActivityRollup.activities > 0))
    for indicator_id, m, total in rows:
        if series[indicator_id].quantity:
            series[indicator_id].sums[int(m)] = _decimal(total)
    for entry in db.session.scalars(db.select(Realisation).where(Realisation.indicator_id.in_(ids))
                                    .options(db.selectinload(Realisation.evidence))):
        series[entry.indicator_id].values[entry.month] = entry.value
        entries[(entry.indicator_id, entry.month)] = entry
    return series, entries


def _rhks_of(skp: Skp) -> list[Rhk]:
    return db.session.scalars(db.select(Rhk).where(Rhk.skp_id == skp.id)
                              .options(db.selectinload(Rhk.indicators))
                              .order_by(Rhk.position, Rhk.id)).all()


@dataclass
class IndicatorRow:
    indicator: Indicator
    month: int
    activity_sum: Decimal | None  # None: not a quantity indicator, nothing to add up
    realisation: Realisation | None
    effective: Decimal | None
    cumulative: Decimal | None
    percent_of_target: Decimal | None

    @property
    def target(self) -> Decimal:
        return self.indicator.target

    @property
    def adjusted(self) -> Decimal | None:
        """The value the employee entered (for quantity: their adjustment of the sum)."""
        return self.realisation.value if self.realisation is not None else None

    @property
    def narrative(self) -> str:
        return (self.realisation.narrative or "") if self.realisation is not None else ""

    @property
    def evidence(self) -> list[Evidence]:
        return list(self.realisation.evidence) if self.realisation is not None else []

    @property
    def is_quantity(self) -> bool:
        return self.activity_sum is not None


def _row(indicator: Indicator, month: int, series: MonthlySeries,
         entries: dict[tuple[int, int], Realisation]) -> IndicatorRow:
    cumulative = series.cumulative(month)
    return IndicatorRow(
        indicator=indicator, month=month,
        activity_sum=series.sums.get(month, ZERO) if series.quantity else None,
        realisation=entries.get((indicator.id, month)), effective=series.effective(month),
        cumulative=cumulative,
        percent_of_target=(percent(as_fraction(cumulative), as_fraction(indicator.target))
                           if cumulative is not None and indicator.target > 0 else None))


@dataclass
class RhkGroup:
    rhk: Rhk
    rows: list[IndicatorRow]
    feedback: list[Feedback]


def month_table(skp: Skp, month: int) -> list[RhkGroup]:
    """Per RHK, per indicator: target, sum from activities, adjusted value, effective value,
    cumulative to the end of the month and % of the yearly target; with the month's feedback."""
    rhks = _rhks_of(skp)
    indicators = [i for rhk in rhks for i in rhk.indicators]
    series, entries = series_for(indicators)
    feedback = defaultdict(list)
    for item in feedback_for([rhk.id for rhk in rhks], month):
        feedback[item.rhk_id].append(item)
    return [RhkGroup(rhk, [_row(i, month, series[i.id], entries) for i in rhk.indicators],
                     feedback[rhk.id]) for rhk in rhks]


def indicator_row(indicator: Indicator, month: int) -> IndicatorRow:
    series, entries = series_for([indicator])
    return _row(indicator, month, series[indicator.id], entries)


def feedback_for(rhk_ids: list[int], month: int) -> list[Feedback]:
    if not rhk_ids:
        return []
    return db.session.scalars(db.select(Feedback)
                              .where(Feedback.rhk_id.in_(rhk_ids), Feedback.month == month)
                              .options(db.joinedload(Feedback.author))
                              .order_by(Feedback.created_at, Feedback.id)).all()


def dialogues_of(skp: Skp) -> list[Dialogue]:
    return db.session.scalars(db.select(Dialogue).where(Dialogue.skp_id == skp.id)
                              .options(db.joinedload(Dialogue.author))
                              .order_by(Dialogue.held_on.desc(), Dialogue.id.desc())).all()


@dataclass
class MonthPage:
    skp: Skp
    month: int
    today: date
    groups: list[RhkGroup]
    dialogues: list[Dialogue]
    can_edit: bool
    can_give_feedback: bool
    can_record_dialogue: bool
    month_names: dict[int, str]

    @property
    def months(self) -> list[int]:
        """Months that can be chosen: those of the period that have started."""
        last = 12 if self.skp.period.year < self.today.year else (
            0 if self.skp.period.year > self.today.year else self.today.month)
        return list(range(1, max(last, self.month) + 1))


def can_edit_realisation(user: User, skp: Skp) -> bool:
    return access.can_edit_realisation(user, skp) and skp.period.is_open


def month_page(user: User, skp: Skp, month: int | None) -> MonthPage:
    """Everything the realisation page of one month shows, and what this viewer may do."""
    today = today_in(skp.employee.time_zone)
    if month not in MONTHS:
        month = default_month(skp.period, today)
    started = (skp.period.year, month) <= (today.year, today.month)
    is_open = skp.period.is_open
    return MonthPage(
        skp=skp, month=month, today=today, groups=month_table(skp, month),
        dialogues=dialogues_of(skp),
        can_edit=can_edit_realisation(user, skp) and started,
        can_give_feedback=access.can_give_feedback(user, skp.employee) and is_open and started,
        can_record_dialogue=access.can_record_dialogue(user, skp.employee) and is_open,
        month_names=month_names())


# ---------------------------------------------------------------- changing a month's realisation


def _require_owner_and_open(actor: User, skp: Skp) -> None:
    if not access.can_edit_realisation(actor, skp):
        raise NotAllowed
    require_open(skp.period)


def _clean_long_text(text: str | None, field: str, limit: int, *, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise RuleViolation(_l("Wajib diisi."), field=field)
    if len(text) > limit:
        raise RuleViolation(_l("Terlalu panjang (maks. %(n)s karakter).", n=limit), field=field)
    return text


def save_realisation(actor: User, indicator: Indicator, month: int, *, value: str | None,
                     narrative: str | None, today: date | None = None) -> IndicatorRow:
    """Set (or clear) the month's value and narrative. For quantity an empty value, or one equal
    to the activity sum, means "the sum"; a different value needs a narrative saying why."""
    skp = indicator.rhk.skp
    _require_owner_and_open(actor, skp)
    _require_month(month, skp.period, today or today_in(skp.employee.time_zone))
    raw = (value or "").strip()
    amount = parse_amount(raw, "value", allow_zero=True) if raw else None
    narrative = _clean_long_text(narrative, "narrative", MAX_NARRATIVE)
    current = indicator_row(indicator, month)
    if indicator.aspect is Aspect.QUANTITY and amount is not None:
        if amount == current.activity_sum:
            amount = None
        elif not narrative:
            raise RuleViolation(
                _l("Jelaskan mengapa realisasi berbeda dari jumlah laporan harian (%(sum)s).",
                   sum=_fmt(current.activity_sum)), field="narrative")
    entry = current.realisation
    if entry is None:
        if amount is None and not narrative:
            return current  # nothing to keep
        entry = Realisation(indicator=indicator, month=month)
        db.session.add(entry)
    entry.value, entry.narrative, entry.updated_at = amount, narrative or None, utcnow()
    db.session.flush()
    audit.record("realisation.saved", actor=actor, subject=entry,
                 summary=f"{indicator.text[:150]} ({month}/{skp.period.year})", month=month,
                 value=str(amount) if amount is not None else None)
    if amount is None and not narrative and not entry.evidence:
        db.session.delete(entry)  # back to "the sum of the activities", nothing to remember
    db.session.commit()
    return indicator_row(indicator, month)


def attach_evidence(actor: User, indicator: Indicator, month: int, stream, filename: str | None,
                    today: date | None = None) -> Evidence:
    """Keep a supporting file for the indicator's month (bukti dukung)."""
    skp = indicator.rhk.skp
    _require_owner_and_open(actor, skp)
    _require_month(month, skp.period, today or today_in(skp.employee.time_zone))
    data = evidence_files.read_upload(stream)
    entry = db.session.scalar(db.select(Realisation).filter_by(indicator_id=indicator.id, month=month))
    if entry is None:
        entry = Realisation(indicator=indicator, month=month)
        db.session.add(entry)
        db.session.flush()
    stored = evidence_files.store(actor, skp.employee, data, filename or "", realisation=entry)
    db.session.commit()
    return stored


def remove_evidence(actor: User, evidence: Evidence) -> Realisation:
    """Remove a realisation's supporting file; returns the realisation it belonged to."""
    if evidence.owner_id != actor.employee.id:
        raise NotAllowed
    entry = evidence.realisation
    if entry is None:
        raise RuleViolation(_l("Berkas ini bukan bukti dukung realisasi."))
    _require_owner_and_open(actor, entry.indicator.rhk.skp)
    evidence_files.remove(actor, evidence)
    return entry


# ---------------------------------------------------------------- feedback and dialogues


def add_feedback(actor: User, rhk: Rhk, month: int, text: str | None,
                 today: date | None = None) -> Feedback:
    """Umpan balik from the direct supervisor on one RHK for one month."""
    skp = rhk.skp
    if not access.can_give_feedback(actor, skp.employee):
        raise NotAllowed
    require_open(skp.period)
    _require_month(month, skp.period, today or today_in(skp.employee.time_zone))
    text = _clean_long_text(text, "text", MAX_FEEDBACK, required=True)
    item = Feedback(rhk=rhk, month=month, author=actor.employee, text=text)
    db.session.add(item)
    db.session.flush()
    audit.record("feedback.added", actor=actor, subject=item, summary=text[:200], month=month,
                 employee_id=skp.employee_id)
    db.session.commit()
    return item


def add_dialogue(actor: User, skp: Skp, *, held_on: date | None, notes: str | None,
                 follow_up: str | None, today: date | None = None) -> Dialogue:
    """Record a dialog kinerja the direct supervisor held with the employee."""
    if not access.can_record_dialogue(actor, skp.employee):
        raise NotAllowed
    require_open(skp.period)
    today = today or today_in(skp.employee.time_zone)
    if held_on is None:
        raise RuleViolation(_l("Isi tanggal dialog."), field="held_on")
    if held_on.year != skp.period.year:
        raise RuleViolation(_l("Tanggal harus di tahun %(year)s.", year=skp.period.year),
                            field="held_on")
    if held_on > today:
        raise RuleViolation(_l("Tanggal dialog tidak boleh di masa depan."), field="held_on")
    notes = _clean_long_text(notes, "notes", MAX_NOTES, required=True)
    follow_up = _clean_long_text(follow_up, "follow_up", MAX_NOTES)
    dialogue = Dialogue(skp=skp, held_on=held_on, author=actor.employee, notes=notes,
                        follow_up=follow_up or None)
    db.session.add(dialogue)
    db.session.flush()
    audit.record("dialogue.recorded", actor=actor, subject=dialogue, summary=notes[:200],
                 employee_id=skp.employee_id, held_on=held_on.isoformat())
    db.session.commit()
    return dialogue


# ---------------------------------------------------------------- progress of one employee


@dataclass
class IndicatorProgress:
    rhk: Rhk
    indicator: Indicator
    pace: Pace
    bar_svg: str


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
    chart_svg: str = ""
    headed_units: list[Unit] = field(default_factory=list)
    current_month: int = 1

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
    def has_quantity(self) -> bool:
        return any(p.percent_of_target is not None for p in self.monthly)


def _bar_title(indicator: Indicator, result: Pace) -> str:
    unit = indicator.unit_of_measure
    if result.realised is None:
        return str(_l("%(text)s: belum diisi; target %(target)s %(unit)s.", text=indicator.text,
                      target=_fmt(result.target), unit=unit))
    return str(_l("%(text)s: realisasi %(value)s dari target %(target)s %(unit)s "
                  "(%(percent)s%%); seharusnya %(expected)s pada hari ini.",
                  text=indicator.text, value=_fmt(result.realised), target=_fmt(result.target),
                  unit=unit, percent=_fmt(result.percent_of_target),
                  expected=_fmt(result.expected)))


def _monthly_points(pairs: list[tuple[MonthlySeries, Decimal]], year: int,
                    today: date) -> list[MonthlyPoint]:
    """Per month: cumulative realisation as % of the yearly target (average over quantity
    indicators) against the % the pace expects by then."""
    labels = _short_month_names()
    pairs = [(s, t) for s, t in pairs if s.quantity and t > 0]
    points = []
    for month in MONTHS:
        share = month_fraction(year, month, today)
        if share is None or not pairs:
            points.append(MonthlyPoint(month, labels[month - 1], None,
                                       percent(share, Fraction(1)) if share is not None else None,
                                       PaceStatus.NO_DATA))
            continue
        ratios = [as_fraction(s.cumulative(month)) / as_fraction(t) for s, t in pairs]
        average = sum(ratios, Fraction(0)) / len(ratios)
        points.append(MonthlyPoint(
            month, labels[month - 1], percent(average, Fraction(1)), percent(share, Fraction(1)),
            status_of(average / share) if share > 0 else PaceStatus.ON_TRACK))
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
    elapsed = elapsed_fraction(period.year, today)
    rhks = _rhks_of(skp)
    indicators = [(rhk, i) for rhk in rhks for i in rhk.indicators]
    series, _ = series_for([i for _, i in indicators])
    month = report.current_month
    for rhk, indicator in indicators:
        s = series[indicator.id]
        result = pace(s.cumulative(month), indicator.target, elapsed, cumulative=s.quantity)
        bar = progress_chart.progress_bar(result.realised, result.target, result.expected,
                                          title=_bar_title(indicator, result),
                                          status=result.status.value, fmt=_fmt)
        report.indicators.append(IndicatorProgress(rhk, indicator, result, bar))
    report.monthly = _monthly_points([(series[i.id], i.target) for _, i in indicators],
                                     period.year, today)
    if report.has_quantity:
        report.chart_svg = progress_chart.monthly_chart(
            [p.percent_of_target for p in report.monthly],
            [p.expected_percent for p in report.monthly],
            labels=[p.label for p in report.monthly], statuses=[p.status.value for p in report.monthly],
            fmt=_fmt, title=str(_l("Realisasi kumulatif %(year)s (rata-rata indikator kuantitas, "
                                   "%% dari target tahunan) dibanding laju yang diharapkan",
                                   year=period.year)))
    return report


# ---------------------------------------------------------------- the unit heatmap


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
                      month_labels=_short_month_names(), periods=periods)
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
    indicator_rows = db.session.execute(
        db.select(Skp.employee_id, Indicator.id, Indicator.target)
        .join(Rhk, Rhk.skp_id == Skp.id).join(Indicator, Indicator.rhk_id == Rhk.id)
        .where(Skp.period_id == period.id, Skp.employee_id.in_(staff_ids),
               Indicator.aspect == Aspect.QUANTITY)).all()
    with_skp = set(db.session.scalars(db.select(Skp.employee_id).where(
        Skp.period_id == period.id, Skp.employee_id.in_(staff_ids))))
    series = {indicator_id: MonthlySeries(quantity=True) for _, indicator_id, _ in indicator_rows}
    sums = db.session.execute(
        db.select(ActivityRollup.employee_id, ActivityRollup.indicator_id, ActivityRollup.month,
                  ActivityRollup.quantity)
        .where(ActivityRollup.period_id == period.id, ActivityRollup.employee_id.in_(staff_ids),
               ActivityRollup.activities > 0))
    for _, indicator_id, m, total in sums:
        if indicator_id in series:
            series[indicator_id].sums[int(m)] = _decimal(total)
    entered = db.session.execute(
        db.select(Realisation.indicator_id, Realisation.month, Realisation.value)
        .join(Indicator, Indicator.id == Realisation.indicator_id)
        .join(Rhk, Rhk.id == Indicator.rhk_id).join(Skp, Skp.id == Rhk.skp_id)
        .where(Skp.period_id == period.id, Skp.employee_id.in_(staff_ids),
               Indicator.aspect == Aspect.QUANTITY))
    for indicator_id, m, value in entered:
        series[indicator_id].values[m] = value
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

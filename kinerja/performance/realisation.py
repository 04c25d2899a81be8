"""Monthly realisation per indicator: reading it, adjusting it, its narrative and its evidence.

For a quantity indicator a month's realisation is, unless the employee adjusts it, the sum of
the `quantity` of that month's reported or verified activities; other aspects have no sum and
are entered. `read_series` is the one place that reads it from the database: the realisation
page, the progress report, the heatmap, evaluations, their documents, unit figures, awards and
the API all take an indicator's months from it, in a bounded number of queries.
"""
from calendar import monthrange
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from kinerja.core import audit
from kinerja.core.calendar import today_in
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.memo import per_transaction
from kinerja.core.numbers import format_amount
from kinerja.core.text import clean_long_text
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.models import User
from kinerja.performance import evidence as evidence_files
from kinerja.performance.dialogue import dialogues_of, feedback_for
from kinerja.performance.formatting import month_names
from kinerja.performance.models import (
    Activity,
    ActivityRollup,
    ActivityStatus,
    Aspect,
    Dialogue,
    Evidence,
    Feedback,
    Indicator,
    Realisation,
    Rhk,
    Skp,
)
from kinerja.performance.pace import MONTHS, ZERO, MonthlySeries, default_month, percent_of_target
from kinerja.performance.periods import require_open, require_started_month
from kinerja.performance.skp_workflow import parse_amount

MAX_NARRATIVE = 2000

Entries = dict[tuple[int, int], Realisation]  # (indicator id, month) -> what was entered


# ---------------------------------------------------------------- reading an indicator's year


def _decimal(value) -> Decimal:
    # Sums come back as Decimal, but as float from some drivers: never Decimal(float).
    return Decimal(str(value)) if value is not None else ZERO


def read_series(aspects: Mapping[int, Aspect], *, among: Select | None = None,
                with_entries: bool = False) -> tuple[dict[int, MonthlySeries], Entries]:
    """Each indicator's year (indicator id -> its aspect): the activity sums per month from the
    rollups (quantity only) and the values entered, in two queries whatever their number.

    `among`, a SELECT of the same indicator ids, stands in for the list of ids in the queries
    when there may be thousands (a unit's heatmap). `with_entries` loads the entered
    realisations whole, with their evidence (one query more), keyed by (indicator id, month);
    without it the entries returned are empty."""
    series = {i: MonthlySeries(quantity=Aspect(aspect) is Aspect.QUANTITY)
              for i, aspect in aspects.items()}
    entries: Entries = {}
    if not series:
        return series, entries
    ids = among if among is not None else list(series)
    for indicator_id, month, total in db.session.execute(
            db.select(ActivityRollup.indicator_id, ActivityRollup.month, ActivityRollup.quantity)
            .where(ActivityRollup.indicator_id.in_(ids), ActivityRollup.activities > 0)):
        found = series.get(indicator_id)
        if found is not None and found.quantity:
            found.sums[int(month)] = _decimal(total)
    if with_entries:
        for entry in db.session.scalars(db.select(Realisation)
                                        .where(Realisation.indicator_id.in_(ids))
                                        .options(db.selectinload(Realisation.evidence))):
            series[entry.indicator_id].values[entry.month] = entry.value
            entries[(entry.indicator_id, entry.month)] = entry
        return series, entries
    for indicator_id, month, value in db.session.execute(
            db.select(Realisation.indicator_id, Realisation.month, Realisation.value)
            .where(Realisation.indicator_id.in_(ids))):
        if indicator_id in series:
            series[indicator_id].values[month] = value
    return series, entries


def aspects_of(indicators: list[Indicator]) -> dict[int, Aspect]:
    """What `read_series` takes, for indicators already loaded."""
    return {i.id: i.aspect for i in indicators}


def rhks_of(skp: Skp) -> list[Rhk]:
    """The plan's RHKs in order, with their indicators."""
    return list(_rhks_of(skp))  # each caller its own list


# The start page asks whether the plan has RHK and its progress card reads them again: once
# per request (core/memo.py; forgotten on any write).
@per_transaction(key=lambda skp: skp.id)
def _rhks_of(skp: Skp) -> tuple[Rhk, ...]:
    return tuple(db.session.scalars(db.select(Rhk).where(Rhk.skp_id == skp.id)
                                    .options(db.selectinload(Rhk.indicators))
                                    .order_by(Rhk.position, Rhk.id)))


# ---------------------------------------------------------------- the month's table


@dataclass
class IndicatorRow:
    indicator: Indicator
    month: int
    activity_sum: Decimal | None  # None: not a quantity indicator, nothing to add up
    realisation: Realisation | None
    effective: Decimal | None
    cumulative: Decimal | None
    percent_of_target: Decimal | None
    # The files of the month's daily reports on the indicator (those that count: reported or
    # verified), each with its activity loaded: they support the realisation too.
    activity_evidence: list[Evidence] = field(default_factory=list)

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
        """The files attached to the realisation itself (removable on this page)."""
        return list(self.realisation.evidence) if self.realisation is not None else []

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence or self.activity_evidence)

    @property
    def is_quantity(self) -> bool:
        return self.activity_sum is not None


def _row(indicator: Indicator, month: int, series: MonthlySeries, entries: Entries,
         activity_evidence: dict[int, list[Evidence]]) -> IndicatorRow:
    cumulative = series.cumulative(month)
    return IndicatorRow(
        indicator=indicator, month=month,
        activity_sum=series.sums.get(month, ZERO) if series.quantity else None,
        realisation=entries.get((indicator.id, month)), effective=series.effective(month),
        cumulative=cumulative,
        percent_of_target=percent_of_target(cumulative, indicator.target, indicator.lower_is_better),
        activity_evidence=activity_evidence.get(indicator.id, []))


def activity_evidence(indicator_ids: list[int], year: int, month: int) -> dict[int, list[Evidence]]:
    """Per indicator, the evidence of its activities in the month that count towards it
    (returned ones do not), oldest day first; one query whatever the number of indicators."""
    found: dict[int, list[Evidence]] = defaultdict(list)
    if not indicator_ids:
        return found
    first = date(year, month, 1)
    last = date(year, month, monthrange(year, month)[1])
    files = db.session.scalars(
        db.select(Evidence).join(Evidence.activity)
        .where(Activity.indicator_id.in_(indicator_ids), Activity.day.between(first, last),
               Activity.status != ActivityStatus.RETURNED)
        .options(db.contains_eager(Evidence.activity))
        .order_by(Activity.day, Activity.id, Evidence.id))
    for file in files:
        found[file.activity.indicator_id].append(file)
    return found


@dataclass
class RhkGroup:
    rhk: Rhk
    rows: list[IndicatorRow]
    feedback: list[Feedback]


def month_table(skp: Skp, month: int) -> list[RhkGroup]:
    """Per RHK, per indicator: target, sum from activities, adjusted value, effective value,
    cumulative to the end of the month and % of the yearly target; with the month's feedback."""
    rhks = rhks_of(skp)
    indicators = [i for rhk in rhks for i in rhk.indicators]
    series, entries = read_series(aspects_of(indicators), with_entries=True)
    files = activity_evidence([i.id for i in indicators], skp.period.year, month)
    feedback = defaultdict(list)
    for item in feedback_for([rhk.id for rhk in rhks], month):
        feedback[item.rhk_id].append(item)
    return [RhkGroup(rhk, [_row(i, month, series[i.id], entries, files) for i in rhk.indicators],
                     feedback[rhk.id]) for rhk in rhks]


def indicator_row(indicator: Indicator, month: int) -> IndicatorRow:
    series, entries = read_series(aspects_of([indicator]), with_entries=True)
    files = activity_evidence([indicator.id], indicator.rhk.skp.period.year, month)
    return _row(indicator, month, series[indicator.id], entries, files)


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
        """Months that can be chosen: those of the plan's months that have started."""
        last = 12 if self.skp.period.year < self.today.year else (
            0 if self.skp.period.year > self.today.year else self.today.month)
        return [m for m in range(1, max(last, self.month) + 1) if m in self.skp.months]


def can_edit_realisation(user: User, skp: Skp) -> bool:
    return access.can_edit_realisation(user, skp) and skp.period.is_open


def month_page(user: User, skp: Skp, month: int | None) -> MonthPage:
    """Everything the realisation page of one month shows, and what this viewer may do."""
    today = today_in(skp.employee.time_zone)
    if month not in skp.months:
        # A plan closed or opened by a transfer opens on its own month nearest to "now".
        month = min(max(default_month(skp.period, today), skp.first_month), skp.last_month)
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


def _require_owner_and_open(actor: User, skp: Skp, month: int | None = None) -> None:
    if not access.can_edit_realisation(actor, skp):
        raise NotAllowed
    require_open(skp.period)
    if month is not None and month in MONTHS and month not in skp.months:
        # Each month's realisation belongs to the plan covering it (see performance/skps.py).
        raise RuleViolation(_l("Bulan ini tidak termasuk dalam SKP ini (SKP berlaku bulan "
                               "%(first)s-%(last)s).", first=skp.first_month,
                               last=skp.last_month))


def save_realisation(actor: User, indicator: Indicator, month: int, *, value: str | None,
                     narrative: str | None, today: date | None = None) -> IndicatorRow:
    """Set (or clear) the month's value and narrative. For quantity an empty value, or one equal
    to the activity sum, means "the sum"; a different value needs a narrative saying why."""
    skp = indicator.rhk.skp
    _require_owner_and_open(actor, skp, month)
    require_started_month(month, skp.period, today or today_in(skp.employee.time_zone))
    raw = (value or "").strip()
    amount = parse_amount(raw, "value", allow_zero=True) if raw else None
    if indicator.qualitative and amount is not None:
        raise RuleViolation(_l("Indikator kualitatif tidak diukur dengan angka: uraikan "
                               "realisasinya dan lampirkan bukti dukung."), field="value")
    narrative = clean_long_text(narrative, "narrative", MAX_NARRATIVE)
    current = indicator_row(indicator, month)
    if indicator.aspect is Aspect.QUANTITY and amount is not None:
        if amount == current.activity_sum:
            amount = None
        elif not narrative:
            raise RuleViolation(
                _l("Jelaskan mengapa realisasi berbeda dari jumlah laporan harian (%(sum)s).",
                   sum=format_amount(current.activity_sum)), field="narrative")
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
    _require_owner_and_open(actor, skp, month)
    require_started_month(month, skp.period, today or today_in(skp.employee.time_zone))
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

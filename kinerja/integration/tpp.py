"""The inputs of the regional allowance (TPP) for one month: per active employee of a unit (with
the units below it) or of the whole kabupaten, the month's predikat, realisation, reporting
regularity, verified hours and counter satisfaction, and the performance share HR's formula of
the year gives them (tpp_formula). HR sets the formula per year here too (audited)."""
import calendar as month_calendar
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from kinerja.appraisal.models import Evaluation, EvaluationKind, EvaluationStatus
from kinerja.appraisal.predikat import Predikat
from kinerja.core import audit, holidays
from kinerja.core.calendar import Cadence, count_working_days
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.numbers import as_fraction
from kinerja.core.tables import Sheet
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback.models import RosterEntry
from kinerja.feedback.rosters import staff_satisfaction
from kinerja.integration import tpp_formula
from kinerja.integration.models import TppFormula
from kinerja.organisation import access, tree
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance.models import Activity, ActivityStatus, Aspect, Indicator, Period, Rhk, Skp
from kinerja.performance.pace import achievement, month_fraction
from kinerja.performance.realisation import read_series

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_WEIGHT = 100
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# ---------------------------------------------------------------- the formula of a year


@dataclass(frozen=True)
class Formula:
    year: int
    weights: dict[str, int]
    predikat_percent: dict[str, int]
    hours_per_day: Fraction
    row: TppFormula | None  # None: nobody set this year, the defaults apply

    @property
    def weight_total(self) -> int:
        return sum(self.weights.values())


def formula_for(year: int) -> Formula:
    row = db.session.scalar(db.select(TppFormula).where(TppFormula.year == year))
    if row is None:
        return Formula(year, dict(tpp_formula.DEFAULT_WEIGHTS),
                       dict(tpp_formula.DEFAULT_PREDIKAT_PERCENT),
                       tpp_formula.DEFAULT_HOURS_PER_DAY, None)
    weights = {key: getattr(row, f"weight_{key}") for key in tpp_formula.COMPONENTS}
    percents = {**tpp_formula.DEFAULT_PREDIKAT_PERCENT,
                **{k: int(v) for k, v in row.predikat_percents.items()}}
    return Formula(year, weights, percents, as_fraction(row.hours_per_day), row)


def _whole(raw, field: str, high: int) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise RuleViolation(_l("Isi bilangan bulat 0 sampai %(high)s.", high=high), field) from None
    if not 0 <= value <= high:
        raise RuleViolation(_l("Isi bilangan bulat 0 sampai %(high)s.", high=high), field)
    return value


def set_formula(actor: User, year: int | None, weights: dict, percents: dict,
                hours_per_day) -> TppFormula:
    """HR sets a year's formula (audited). Weights are whole numbers; at least one above 0."""
    if not access.manages_tpp(actor):
        raise NotAllowed
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise RuleViolation(_l("Tahun di luar jangkauan (%(low)s-%(high)s).", low=FIRST_YEAR,
                               high=LAST_YEAR), "year")
    clean_weights = {k: _whole(weights.get(k), f"weight_{k}", MAX_WEIGHT)
                     for k in tpp_formula.COMPONENTS}
    if not any(clean_weights.values()):
        raise RuleViolation(_l("Sedikitnya satu bobot harus lebih dari 0."), "weight_predikat")
    clean_percents = {p.value: _whole(percents.get(p.value), f"percent_{p.value}", 100)
                      for p in Predikat}
    try:
        hours = Decimal(str(hours_per_day).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        hours = None
    if hours is None or not Decimal("0.5") <= hours <= Decimal(24) or hours != hours.quantize(
            Decimal("0.01")):
        raise RuleViolation(_l("Jam kerja per hari antara 0,5 dan 24 (dua desimal)."),
                            "hours_per_day")
    row = db.session.scalar(db.select(TppFormula).where(TppFormula.year == year))
    before = formula_for(year)
    if row is None:
        row = TppFormula(year=year)
        db.session.add(row)
    for key, value in clean_weights.items():
        setattr(row, f"weight_{key}", value)
    row.predikat_percents, row.hours_per_day = clean_percents, hours
    row.set_by_id, row.set_at = actor.id, utcnow()
    db.session.flush()
    audit.record("tpp.formula", actor=actor, subject=row,
                 summary=f"Formula TPP {year}: " + ", ".join(f"{k} {v}" for k, v in clean_weights.items()),
                 year=year, weights=clean_weights, predikat_percents=clean_percents,
                 hours_per_day=str(hours), before=before.weights)
    db.session.commit()
    return row


def formulas(today: date) -> list[Formula]:
    """This year and next, and every year set: what the formula page lists, newest first."""
    years = set(db.session.scalars(db.select(TppFormula.year))) | {today.year, today.year + 1}
    return [formula_for(y) for y in sorted(years, reverse=True)]


# ---------------------------------------------------------------- the month's sheet


def parse_month(raw: str | None, today: date) -> tuple[int, int]:
    """'YYYY-MM' -> (year, month); the previous month when empty (TPP is paid for a past month)."""
    if not raw:
        first = today.replace(day=1)
        return (first.year - 1, 12) if first.month == 1 else (first.year, first.month - 1)
    found = MONTH.match(raw.strip())
    if not found or not 1 <= int(found[2]) <= 12 or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
        raise RuleViolation(_l("Bulan harus berbentuk TTTT-BB, misalnya 2026-03."), "month")
    return int(found[1]), int(found[2])


def unit_by_code(code: str | None) -> Unit | None:
    """The unit named by code; None for the whole kabupaten (no code)."""
    if not code:
        return None
    unit = db.session.scalar(db.select(Unit).where(Unit.code == code.strip()))
    if unit is None:
        raise RuleViolation(_l("Unit kerja %(code)s tidak ada.", code=code), "unit")
    return unit


@dataclass
class TppRow:
    employee: Employee
    inputs: tpp_formula.Inputs
    predikat_source: str | None  # where the predikat comes from when not from the month's point
    result: tpp_formula.Share

    @property
    def explanation(self) -> str:
        text = tpp_formula.explain(self.result)
        return f"{text} ({self.predikat_source})" if self.predikat_source else text

    @property
    def verified_hours(self) -> Fraction:
        return Fraction(self.inputs.verified_minutes, 60)


@dataclass
class TppSheet:
    unit: Unit | None
    year: int
    month: int
    working_days: int
    formula: Formula
    period: Period | None
    rows: list[TppRow]

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"


def _point(period: Period, month: int) -> int:
    return month if period.cadence is Cadence.MONTHLY else (month - 1) // 3 + 1


def _point_name(period: Period, point: int) -> str:
    if period.cadence is Cadence.MONTHLY:
        return str(_l("penilaian bulan %(point)s", point=point))
    return str(_l("penilaian triwulan %(point)s", point=point))


def _predikats(period: Period, staff_ids, month: int) -> dict[int, tuple[Predikat, int]]:
    """Per employee: the predikat of the month's point, else of the nearest earlier set point of
    the year (with that point). Set means not a draft; the latest set point wins."""
    target = _point(period, month)
    found: dict[int, tuple[Predikat, int]] = {}
    for employee_id, point, predikat in db.session.execute(
            db.select(Evaluation.employee_id, Evaluation.point, Evaluation.predikat)
            .where(Evaluation.period_id == period.id, Evaluation.kind == EvaluationKind.PERIODIC,
                   Evaluation.status != EvaluationStatus.DRAFT, Evaluation.predikat.is_not(None),
                   Evaluation.point <= target, Evaluation.employee_id.in_(staff_ids))
            .order_by(Evaluation.point)):
        found[employee_id] = (predikat, point)
    return found


def _realisations(period: Period, staff_ids, month: int, today: date) -> dict[int, Fraction]:
    """Per employee with quantity indicators: the mean achievement of their cumulative
    realisation against the share of the target due by the month's end (pace.achievement, so a
    lower-is-better indicator counts the right way round). Not for a month not yet begun."""
    share = month_fraction(period.year, month, today)
    if not share:
        return {}
    of_staff = (db.select(Indicator.id).join(Rhk, Indicator.rhk_id == Rhk.id)
                .join(Skp, Rhk.skp_id == Skp.id)
                .where(Skp.period_id == period.id, Skp.employee_id.in_(staff_ids),
                       Indicator.aspect == Aspect.QUANTITY))
    rows = db.session.execute(
        db.select(Skp.employee_id, Indicator.id, Indicator.target, Indicator.lower_is_better)
        .join(Rhk, Rhk.skp_id == Skp.id).join(Indicator, Indicator.rhk_id == Rhk.id)
        .where(Skp.period_id == period.id, Skp.employee_id.in_(staff_ids),
               Indicator.aspect == Aspect.QUANTITY)).all()
    series, _ = read_series({row.id: Aspect.QUANTITY for row in rows}, among=of_staff)
    ratios: dict[int, list[Fraction]] = defaultdict(list)
    for employee_id, indicator_id, target, lower in rows:
        if target is None or target <= 0:
            continue
        done = series[indicator_id].cumulative(month)
        ratios[employee_id].append(achievement(done, as_fraction(target) * share, lower))
    return {e: sum(r, Fraction(0)) / len(r) for e, r in ratios.items()}


def _activity_figures(staff_ids, start: date, end: date,
                      days_off: frozenset[date]) -> tuple[dict[int, int], dict[int, int]]:
    """Per employee: working days with an activity (a returned one too: it was reported that
    day), and the minutes of verified activities."""
    active: dict[int, set[date]] = defaultdict(set)
    for employee_id, day in db.session.execute(
            db.select(Activity.employee_id, Activity.day).distinct()
            .where(Activity.employee_id.in_(staff_ids), Activity.day >= start,
                   Activity.day <= end)):
        if day.weekday() < 5 and day not in days_off:
            active[employee_id].add(day)
    minutes = dict(db.session.execute(
        db.select(Activity.employee_id, func.sum(Activity.minutes))
        .where(Activity.employee_id.in_(staff_ids), Activity.day >= start, Activity.day <= end,
               Activity.status == ActivityStatus.VERIFIED)
        .group_by(Activity.employee_id)).all())
    return {e: len(d) for e, d in active.items()}, {e: int(m or 0) for e, m in minutes.items()}


def _satisfaction(staff: list[Employee], start: date, end: date) -> dict[int, Fraction]:
    """The converted IKM (25-100) of those rostered at a counter in the month with complete
    surveys; one roster query, then the figure only for those on duty."""
    on_duty = set(db.session.scalars(
        db.select(RosterEntry.employee_id).distinct()
        .where(RosterEntry.employee_id.in_([e.id for e in staff]), RosterEntry.day >= start,
               RosterEntry.day <= end)))
    result = {}
    for employee in staff:
        if employee.id in on_duty:
            figure = staff_satisfaction(employee, start, end).ikm
            if figure is not None and figure.converted is not None:
                result[employee.id] = as_fraction(figure.converted)
    return result


def sheet(actor: User, unit: Unit | None, year: int, month: int,
          today: date | None = None) -> TppSheet:
    """The month's TPP inputs for the unit (and below it), or the kabupaten (unit None)."""
    if not access.manages_tpp(actor):
        raise NotAllowed
    today = today or date.today()
    start = date(year, month, 1)
    end = date(year, month, month_calendar.monthrange(year, month)[1])
    days_off = holidays.between(start, end)
    working = count_working_days(start, end, days_off)
    formula = formula_for(year)
    period = db.session.scalar(db.select(Period).where(Period.year == year))
    query = (db.select(Employee).where(Employee.active.is_(True), Employee.is_ppk.is_(False))
             .options(db.joinedload(Employee.unit)).order_by(Employee.name, Employee.id))
    if unit is not None:
        query = query.where(Employee.unit_id.in_(tree.subtree_ids(unit)))
    staff = db.session.scalars(query).all()
    result = TppSheet(unit, year, month, working, formula, period, [])
    if not staff:
        return result
    ids = [e.id for e in staff]
    predikats = _predikats(period, ids, month) if period else {}
    realised = _realisations(period, ids, month, today) if period else {}
    active, minutes = _activity_figures(ids, start, end, days_off)
    ikms = _satisfaction(staff, start, end)
    month_point = _point(period, month) if period else None
    for employee in staff:
        predikat, point = predikats.get(employee.id, (None, None))
        source = None
        if point is not None and point != month_point:
            source = str(_l("predikat dari %(point)s", point=_point_name(period, point)))
        inputs = tpp_formula.Inputs(
            predikat=predikat.value if predikat else None,
            predikat_label=str(predikat.label) if predikat else None,
            realisation=realised.get(employee.id), active_days=active.get(employee.id, 0),
            working_days=working, verified_minutes=minutes.get(employee.id, 0),
            ikm=ikms.get(employee.id))
        share = tpp_formula.compute(inputs, formula.weights, formula.predikat_percent,
                                    formula.hours_per_day)
        result.rows.append(TppRow(employee, inputs, source, share))
    return result


def _decimal(value: Fraction | None, places: int = 4) -> float | None:
    if value is None:
        return None
    return float((Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(1).scaleb(-places)))


def sheet_rows(tpp: TppSheet) -> list[list]:
    """The sheet's figures as plain values (shares 0..1, four decimals): Excel and PDF."""
    rows = []
    for row in tpp.rows:
        i = row.inputs
        rows.append([
            row.employee.nip or "", row.employee.name,
            row.employee.unit.name if row.employee.unit else "",
            i.predikat_label or "", _decimal(i.realisation), i.active_days, i.working_days,
            _decimal(row.verified_hours, 2), _decimal(i.ikm, 2), _decimal(row.result.share),
            row.explanation])
    return rows


HEADER = (_l("NIP"), _l("Nama"), _l("Unit kerja"), _l("Predikat"), _l("Realisasi"),
          _l("Hari melapor"), _l("Hari kerja"), _l("Jam terverifikasi"), _l("IKM"),
          _l("Bagian kinerja"), _l("Penjelasan"))


def sheets(tpp: TppSheet, generated: datetime | None = None) -> list[Sheet]:
    """The month's inputs as one Excel sheet (web.workbooks)."""
    where = tpp.unit.name if tpp.unit else str(_l("Seluruh kabupaten"))
    weights = ", ".join(f"{tpp_formula.LABELS[k]} {v}" for k, v in tpp.formula.weights.items())
    return [Sheet(name=f"TPP {tpp.key}", header=[str(h) for h in HEADER], rows=sheet_rows(tpp),
                  title=str(_l("Masukan TPP %(month)s — %(where)s", month=tpp.key, where=where)),
                  notes=[str(_l("Bobot: %(weights)s; jam kerja per hari %(hours)s.",
                                weights=weights,
                                hours=tpp_formula.number_text(tpp.formula.hours_per_day)))],
                  column_formats={1: "@", 5: "0.00%", 10: "0.00%"},
                  widths={"A": 20, "B": 28, "C": 28, "K": 80}, freeze="C3")]


def unit_choices() -> list[tuple[str, str]]:
    """(code, name) of the active units, for the page's chooser."""
    return [(code, name) for code, name in db.session.execute(
        db.select(Unit.code, Unit.name).where(Unit.active.is_(True)).order_by(Unit.name))]

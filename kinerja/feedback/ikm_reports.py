"""IKM reports from the daily rollups, never from raw ratings: a counter, a unit (and the units
below it) or a service over a date range, with the full-survey IKM (PermenPANRB 14/2017) and
the one-tap index reported apart, respondents and sample adequacy, demographics, a monthly
trend, a comparison of the units below (or of the counters), a live view of today, and the
Excel and PDF exports.

Every figure comes from SQL SUM ... GROUP BY over the rollups -- rating_monthly_rollups for the
whole months of the range, rating_rollups for the days of the partial months at its ends, the
respondents' answers being columns of the same rows -- then
kinerja.feedback.ikm does the arithmetic; neither the number of queries nor the rows they read
grow with the number of ratings.
"""
import io
import re
from calendar import monthrange
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from xml.sax.saxutils import escape, quoteattr  # nosec B406 # output escaping, parses no XML

from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, and_, func, or_, type_coerce, union_all

from kinerja.core import calendar
from kinerja.core.calendar import TimeZone
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback import ikm
from kinerja.feedback.demographics import DEMOGRAPHIC_COLUMNS, RESPONDENT_CHOICES, demographic_column
from kinerja.feedback.models import DailyRollup, MonthlyRollup
from kinerja.feedback.rollup_rebuild import month_of
from kinerja.organisation import access, org, tree
from kinerja.organisation.models import Employee, Service, ServiceCounter, Unit, User, counter_services
from kinerja.organisation.tree import UnitTree

# The regulation's weight per element, as printed in its worksheet (NRR tertimbang = NRR x 0.111).
WEIGHT = Decimal("0.111")
MAX_YEARS = 3
MAX_POPULATION = 100_000_000
SCORES = (1, 2, 3, 4)
SUM_COLUMNS = ("ratings", *(f"score_{s}" for s in SCORES), "full_surveys",
               *(f"{e.lower()}_{part}" for e in ikm.ELEMENTS for part in ("sum", "n")))


DIMENSION_NAMES = {"age_group": _l("Usia"), "sex": _l("Jenis kelamin"),
                   "education": _l("Pendidikan terakhir"), "occupation": _l("Pekerjaan utama")}
VALUE_NAMES = {
    "age_group": {"<20": _l("di bawah 20 tahun"), "20-29": _l("20–29 tahun"),
                  "30-39": _l("30–39 tahun"), "40-49": _l("40–49 tahun"),
                  "50-59": _l("50–59 tahun"), "60+": _l("60 tahun ke atas")},
    "sex": {"L": _l("Laki-laki"), "P": _l("Perempuan")},
    "education": {"SD": _l("SD"), "SMP": _l("SMP"), "SMA": _l("SMA/sederajat"),
                  "D1-D3": _l("D1–D3"), "D4-S1": _l("D4/S1"), "S2-S3": _l("S2/S3")},
    "occupation": {"PNS": _l("PNS/ASN"), "TNI-POLRI": _l("TNI/Polri"), "SWASTA": _l("Pegawai swasta"),
                   "WIRAUSAHA": _l("Wirausaha"), "PELAJAR": _l("Pelajar/mahasiswa"),
                   "LAINNYA": _l("Lainnya")},
}
ROMAN = ("I", "II", "III", "IV")


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figures:
    """Summed rollup columns for some counters and days: what both indices are computed from."""
    ratings: int = 0
    score_counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(SCORES, 0))
    full_surveys: int = 0
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ikm.ELEMENTS, 0))
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ikm.ELEMENTS, 0))

    @classmethod
    def from_row(cls, row: Mapping) -> "Figures":
        return cls.from_sums([row[column] for column in SUM_COLUMNS])

    @classmethod
    def from_sums(cls, values: Sequence) -> "Figures":
        """From the values of SUM_COLUMNS in that order, by position: a province's report
        makes 2,000 of these. The columns are NOT NULL, so their SUMs are all None (over no
        rows) or none is."""
        if values[0] is None:
            return cls()
        ratings, score_1, score_2, score_3, score_4, full_surveys, *per_element = map(int, values)
        return cls(ratings, {1: score_1, 2: score_2, 3: score_3, 4: score_4}, full_surveys,
                   dict(zip(ikm.ELEMENTS, per_element[0::2], strict=True)),
                   dict(zip(ikm.ELEMENTS, per_element[1::2], strict=True)))

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(self.ratings + other.ratings,
                       {s: self.score_counts[s] + other.score_counts[s] for s in SCORES},
                       self.full_surveys + other.full_surveys,
                       {e: self.sums[e] + other.sums[e] for e in ikm.ELEMENTS},
                       {e: self.counts[e] + other.counts[e] for e in ikm.ELEMENTS})

    @cached_property
    def survey(self) -> ikm.Ikm:
        """The nine-element IKM; its respondents are the full surveys."""
        return ikm.compute(self.sums, self.counts, self.full_surveys)

    @cached_property
    def one_tap_index(self) -> Decimal | None:
        """The average face of every rating (1-4): not an SKM result, reported apart."""
        return ikm.one_tap_index(self.score_counts)

    def weighted(self, element: str) -> Decimal | None:
        value = self.survey.nrr[element]
        return value * WEIGHT if value is not None else None


def _sum_columns(source, columns: tuple[str, ...] = SUM_COLUMNS):
    # SUM over no rows is NULL: Figures.from_sums and the callers read it as 0.
    return [func.sum(source.c[column]).label(column) for column in columns]


def _whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The whole calendar months inside [start, end] as [first, after) month starts, or None."""
    first = start.year * 12 + start.month - (start.day == 1)  # months since year 0, 0-based
    ends_month = end.day == monthrange(end.year, end.month)[1]
    after = end.year * 12 + end.month - 1 + ends_month
    if first >= after:
        return None
    return date(first // 12, first % 12 + 1, 1), _month_start(after)


def _month_start(n: int) -> date | None:
    """The first day of month number n (months since year 0, 0-based); None past date.max."""
    return date(n // 12, n % 12 + 1, 1) if n // 12 <= date.max.year else None


def _rollup_rows(daily, monthly, columns: tuple[str, ...], counters_of, start: date, end: date):
    """The rollup rows of [start, end] as one subquery (counter_id, year, month, *columns):
    the monthly table's rows for the whole months inside the range, the daily table's for the
    days of the partial months at either end, so a year reads ~12 rows per counter, not ~260."""
    whole = _whole_months(start, end)
    parts = []
    if whole is None:
        day_ranges = [and_(daily.day >= start, daily.day <= end)]
    else:
        first, after = whole
        day_ranges = ([and_(daily.day >= start, daily.day < first)] if start < first else [])
        if after is not None and after <= end:
            day_ranges.append(and_(daily.day >= after, daily.day <= end))
        month_range = [monthly.month >= first]
        if after is not None:
            month_range.append(monthly.month < after)
        parts.append((monthly, monthly.month, and_(*month_range)))
    if day_ranges:
        parts.insert(0, (daily, daily.day, or_(*day_ranges)))
    selects = []
    for table, key, when in parts:
        # The month as a date: grouping on it is a third cheaper than on extract()'s numerics.
        month = key if table is monthly else type_coerce(month_of(key), Date)
        query = db.select(table.counter_id.label("counter_id"), month.label("month"),
                          *(getattr(table, c).label(c) for c in columns)).where(when)
        if counters_of is not None:
            query = query.where(table.counter_id.in_(counters_of))
        selects.append(query)
    return (selects[0] if len(selects) == 1 else union_all(*selects)).subquery()


def _figure_rows(counters_of, start: date, end: date, columns: tuple[str, ...] = SUM_COLUMNS):
    return _rollup_rows(DailyRollup, MonthlyRollup, columns, counters_of, start, end)


# ---------------------------------------------------------------- scope


@dataclass(frozen=True)
class Scope:
    """Which counters a report covers; every filter given narrows it (none: every counter)."""
    unit: Unit | None = None
    counter: ServiceCounter | None = None
    service: Service | None = None
    subunits: bool = True

    @property
    def home_unit(self) -> Unit | None:
        """The unit the report is about: for the letterhead, the signature and the clock."""
        return self.counter.unit if self.counter is not None else self.unit

    @property
    def label(self) -> str:
        parts = []
        if self.counter is not None:
            parts.append(f"{self.counter.name} ({self.counter.unit.name})")
        elif self.unit is not None:
            parts.append(self.unit.name if not self.subunits or not self.unit.children else str(
                _l("%(unit)s dan unit di bawahnya", unit=self.unit.name)))
        if self.service is not None:
            parts.append(str(_l("layanan %(service)s", service=self.service.name)))
        return " · ".join(parts) or str(_l("Semua unit pelayanan"))

    def as_dict(self) -> dict:
        return {"unit": self.unit.code if self.unit else None,
                "counter": self.counter.code if self.counter else None,
                "service": self.service.code if self.service else None,
                "subunits": self.subunits}


def _unit_ids(unit: Unit, with_subunits: bool, units: UnitTree | None = None) -> set[int]:
    if not with_subunits:
        return {unit.id}
    return (units or UnitTree.load()).below(unit.id)


def _counters_of(scope: Scope, units: UnitTree | None = None):
    """The scope's counters as a subquery of ids, or None for every counter."""
    if scope.counter is None and scope.unit is None and scope.service is None:
        return None
    query = db.select(ServiceCounter.id)
    if scope.counter is not None:
        query = query.where(ServiceCounter.id == scope.counter.id)
    if scope.unit is not None:
        query = query.where(ServiceCounter.unit_id.in_(
            _unit_ids(scope.unit, scope.subunits, units)))
    if scope.service is not None:
        query = query.where(ServiceCounter.id.in_(db.select(counter_services.c.counter_id).where(
            counter_services.c.service_id == scope.service.id)))
    return query


def check_range(start: date, end: date, field_name: str = "to") -> None:
    if start > end:
        raise RuleViolation(_l("Tanggal akhir tidak boleh sebelum tanggal awal."), field_name)
    if end.year - start.year > MAX_YEARS or (
            end.year - start.year == MAX_YEARS and (end.month, end.day) >= (start.month, start.day)):
        raise RuleViolation(_l("Rentang laporan paling lama %(years)s tahun.", years=MAX_YEARS),
                            field_name)


def scope_from_codes(unit: str | None = None, counter: str | None = None,
                     service: str | None = None, subunits: bool = True) -> Scope:
    """For the API: codes as the organisation names them; an unknown code is a RuleViolation."""
    found = {}
    for name, model, code, message in (
            ("unit", Unit, unit, _l("Kode unit tidak dikenal: %(code)s")),
            ("counter", ServiceCounter, counter, _l("Kode loket tidak dikenal: %(code)s")),
            ("service", Service, service, _l("Kode layanan tidak dikenal: %(code)s"))):
        if code:
            found[name] = db.session.scalar(db.select(model).where(
                func.upper(model.code) == code.strip().upper()))
            if found[name] is None:
                raise RuleViolation(str(message) % {"code": code[:40]}, name)
    return Scope(subunits=subunits, **found)


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class ComparisonRow:
    """A line of the report's comparison: a counter, a unit with every unit below it, or a
    unit's own counters without its sub-units."""
    kind: str  # COUNTER, UNIT or OWN_COUNTERS
    id: int    # the counter's or the unit's
    code: str
    name: str
    unit_name: str  # a counter's unit; empty for the units' lines
    figures: Figures

    def link_args(self) -> dict:
        """What narrows the report to this line (added to the report's own query string)."""
        if self.kind == COUNTER:
            return {"counter": self.id}
        return {"unit": self.id, **({"subunits": "0"} if self.kind == OWN_COUNTERS else {})}


COUNTER, UNIT, OWN_COUNTERS = "counter", "unit", "own_counters"


@dataclass(frozen=True)
class MonthRow:
    month: date
    figures: Figures


@dataclass(frozen=True)
class DemographicRow:
    value: str | None  # None: the question was not answered
    label: str
    ratings: int
    full_surveys: int


@dataclass(frozen=True)
class NrrRow:
    element: str
    name: str
    answers: int
    total: int
    nrr: Decimal | None
    weighted: Decimal | None
    weakest: bool


@dataclass
class Report:
    scope: Scope
    start: date
    end: date
    totals: Figures
    months: list[MonthRow]
    comparison: list[ComparisonRow]
    demographics: dict[str, list[DemographicRow]]
    population: int | None = None

    @property
    def compares_units(self) -> bool:
        return any(row.kind != COUNTER for row in self.comparison)

    @property
    def survey(self) -> ikm.Ikm:
        return self.totals.survey

    @property
    def period_label(self) -> str:
        return period_label(self.start, self.end)

    @property
    def sample_needed(self) -> int | None:
        return ikm.sample_needed(self.population) if self.population else None

    @property
    def sample_met(self) -> bool | None:
        needed = self.sample_needed
        return None if needed is None else self.totals.full_surveys >= needed

    @property
    def nrr_rows(self) -> list[NrrRow]:
        weakest = set(self.survey.weakest)
        return [NrrRow(e, ikm.ELEMENT_NAMES[e], self.totals.counts[e], self.totals.sums[e],
                       self.survey.nrr[e], self.totals.weighted(e), e in weakest)
                for e in ikm.ELEMENTS]

    @property
    def weighted_total(self) -> Decimal | None:
        return self.survey.ikm

    def trend_svg(self) -> str:
        return trend_chart(self.months)


def _months(start: date, end: date) -> list[date]:
    return [date(n // 12, n % 12 + 1, 1)
            for n in range(start.year * 12 + start.month - 1, end.year * 12 + end.month)]


def totals(scope: Scope, start: date, end: date) -> Figures:
    """The report's totals only (what GET /api/v1/ikm returns): one SUM over the rollups."""
    source = _figure_rows(_counters_of(scope), start, end)
    return Figures.from_row(db.session.execute(db.select(*_sum_columns(source))).one()._mapping)


def report(scope: Scope, start: date, end: date, population: int | None = None, *,
           by_counter: bool = False) -> Report:
    """The report over [start, end] for the scope, from the rollups (monthly ones for the whole
    months of the range, daily ones for the partial months at its ends): one SUM grouped by
    month (with the respondents' answers), one grouped by line of the comparison, and one query
    for the lines' names.

    The comparison: none for a counter; a unit's counters when it has no sub-units (or they
    are left out) or when asked (by_counter); otherwise the units one level down -- the
    kabupaten's OPDs, an OPD's sections -- each with every unit below it, and the unit's own
    counters as one more line. A province's report compares a dozen lines, not 2,000 counters,
    and each line opens the report one level down."""
    columns = SUM_COLUMNS + DEMOGRAPHIC_COLUMNS
    by_units = scope.counter is None and not by_counter and (scope.unit is None or scope.subunits)
    units = UnitTree.load() if by_units else None
    source = _figure_rows(_counters_of(scope, units), start, end, columns)
    width = len(SUM_COLUMNS)
    by_month = {month: [int(value) for value in sums] for month, *sums in db.session.connection()
                .execute(db.select(source.c.month, *_sum_columns(source, columns))
                         .group_by(source.c.month))}
    everything = [sum(column) for column in zip(*by_month.values(), strict=True)] \
        or [0] * len(columns)
    months = [MonthRow(m, Figures.from_sums(by_month[m][:width]) if m in by_month else Figures())
              for m in _months(start, end)]
    totals = Figures.from_sums(everything[:width])
    answered = dict(zip(DEMOGRAPHIC_COLUMNS, everything[width:], strict=True))

    comparison = []
    if scope.counter is None:
        # Summed per counter first (2,000 groups for a province), then per branch: grouped
        # straight by branch, the database could not tell how few the groups are.
        per_counter = (db.select(source.c.counter_id, *_sum_columns(source))
                       .group_by(source.c.counter_id).subquery())
        top, branches = _branches(scope.unit, units) if by_units else (None, [])
        if branches:
            line, joined = _branch_of_counters(per_counter, branches)
            query = (db.select(line, *_sum_columns(per_counter)).select_from(joined)
                     .group_by(line))
        else:
            query = db.select(per_counter)
        lines = {line_id: sums for line_id, *sums in db.session.connection().execute(query)}
        comparison = _comparison_rows(lines, by_units=bool(branches), top=top)
    return Report(scope, start, end, totals, months, comparison,
                  _demographics(answered, totals), population)


def _branches(unit: Unit | None,
              units: UnitTree) -> tuple[int | None, list[int]]:
    """The unit whose own counters make a line of the comparison, and the units one level
    below it, whose subtrees make the others. For the whole province (no unit): its roots, or
    below its single root (the regional secretariat over every kabupaten) when it has one."""
    top = unit.id if unit is not None else None
    branches = units.children.get(top, [])
    while top is None and len(branches) == 1:
        top, = branches
        branches = units.children.get(top, [])
    return top, branches


def _branch_of_counters(per_counter, branches: list[int]):
    """Each counter's branch, as a column of per_counter joined to the units: a recursive walk
    down from the branches (the same SQL on PostgreSQL and SQLite). A counter of the top unit
    itself is in no branch: its line is its own unit, the top."""
    branch_of = (db.select(Unit.id.label("unit_id"), Unit.id.label("branch_id"))
                 .where(Unit.id.in_(branches)).cte("branch_of", recursive=True))
    branch_of = branch_of.union_all(
        db.select(Unit.id, branch_of.c.branch_id).where(Unit.parent_id == branch_of.c.unit_id))
    counters = ServiceCounter.__table__
    joined = (per_counter.join(counters, counters.c.id == per_counter.c.counter_id)
              .outerjoin(branch_of, branch_of.c.unit_id == counters.c.unit_id))
    return func.coalesce(branch_of.c.branch_id, counters.c.unit_id).label("line"), joined


def _comparison_rows(by_line: dict[int, list[int]], *, by_units: bool,
                     top: int | None) -> list[ComparisonRow]:
    if not by_line:
        return []
    if not by_units:
        names = db.session.execute(
            db.select(ServiceCounter.id, ServiceCounter.code, ServiceCounter.name, Unit.name)
            .join(Unit, Unit.id == ServiceCounter.unit_id)
            .where(ServiceCounter.id.in_(list(by_line)))).all()
        rows = [ComparisonRow(COUNTER, id_, code, name, unit_name, Figures.from_sums(by_line[id_]))
                for id_, code, name, unit_name in names]
    else:
        names = db.session.execute(
            db.select(Unit.id, Unit.code, Unit.name).where(Unit.id.in_(list(by_line)))).all()
        rows = [ComparisonRow(OWN_COUNTERS if id_ == top else UNIT, id_, code,
                              str(_l("%(unit)s (loketnya sendiri)", unit=name)) if id_ == top
                              else name, "", Figures.from_sums(by_line[id_]))
                for id_, code, name in names]
    return sorted(rows, key=_comparison_key)


# The converted IKM (x 25, two decimals, half up) in hundredths, as integers: the same order as
# ikm.compute(...).converted without its Fractions and Decimals (~0.1 ms a counter, 2,000 in a
# province). converted = round_half_up(sum(sum_e / n_e) x 0.111 x 25, 2).
_CENTS_NUMERATOR = 111 * 25 * 100 * 2   # x 2 and + den x 1000: floor(x + 1/2) in integers
_CENTS_DENOMINATOR = 1000 * 2


def _converted_cents(figures: Figures) -> int | None:
    numerator, denominator = 0, 1
    for element in ikm.ELEMENTS:
        count = figures.counts[element]
        if not count:
            return None
        numerator = numerator * count + figures.sums[element] * denominator
        denominator *= count
    return ((numerator * _CENTS_NUMERATOR + denominator * _CENTS_DENOMINATOR // 2)
            // (denominator * _CENTS_DENOMINATOR))


def _one_tap_scaled(figures: Figures) -> int | None:
    """ikm.one_tap_index x 10^18, floored, in integers: ordered exactly as the index itself for
    up to 10^8 ratings (two different averages of at most n ratings differ by >= 1/n^2), and
    ~20x cheaper than its Decimal division or Fractions in a sort of 2,000 counters."""
    counts = figures.score_counts
    if not figures.ratings:
        return None
    faces = counts[1] + 2 * counts[2] + 3 * counts[3] + 4 * counts[4]
    return faces * 10**18 // figures.ratings


def _comparison_key(row: ComparisonRow):
    converted = _converted_cents(row.figures)
    one_tap = _one_tap_scaled(row.figures)
    return (converted is None, -(converted or 0), one_tap is None, -(one_tap or 0), row.name)


def _demographics(answered: Mapping, totals: Figures) -> dict[str, list[DemographicRow]]:
    """Per question, the ratings (and full surveys) that gave each answer, then those that gave
    none."""
    result = {}
    for dimension, values in RESPONDENT_CHOICES.items():
        names = VALUE_NAMES[dimension]
        entries = [DemographicRow(value, str(names[value]),
                                  int(answered[demographic_column(dimension, value, "ratings")]),
                                  int(answered[demographic_column(dimension, value, "full")]))
                   for value in values]
        entries.append(DemographicRow(None, str(_l("Tidak diisi")),
                                      totals.ratings - sum(e.ratings for e in entries),
                                      totals.full_surveys - sum(e.full_surveys for e in entries)))
        result[dimension] = entries
    return result


# ---------------------------------------------------------------- periods


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    start: date
    end: date


def presets(today: date) -> list[Preset]:
    """The usual reporting periods: this and last month, quarter and year."""
    month = today.replace(day=1)
    last_month_end = month - timedelta(days=1)
    quarter = _quarter_start(today)
    last_quarter_end = quarter - timedelta(days=1)
    return [
        Preset("month", str(_l("Bulan ini")), month, today),
        Preset("last-month", str(_l("Bulan lalu")), last_month_end.replace(day=1), last_month_end),
        Preset("quarter", str(_l("Triwulan ini")), quarter, today),
        Preset("last-quarter", str(_l("Triwulan lalu")), _quarter_start(last_quarter_end),
               last_quarter_end),
        Preset("year", str(_l("Tahun ini")), date(today.year, 1, 1), today),
        Preset("last-year", str(_l("Tahun lalu")), date(today.year - 1, 1, 1),
               date(today.year - 1, 12, 31)),
    ]


def period_label(start: date, end: date) -> str:
    """"Tahun 2026", "Triwulan III 2026", "November 2026", or the two dates."""
    month_end = (end + timedelta(days=1)).day == 1
    if start.day == 1 and month_end and start.year == end.year:
        if (start.month, end.month) == (1, 12):
            return str(_l("Tahun %(year)s", year=start.year))
        if start.month == end.month:
            return format_date(start, "MMMM y")
        if start.month % 3 == 1 and end.month == start.month + 2:
            return str(_l("Triwulan %(n)s %(year)s", n=ROMAN[start.month // 3], year=start.year))
    return f"{format_date(start, 'd MMMM y')} – {format_date(end, 'd MMMM y')}"


# ---------------------------------------------------------------- the portal page


@dataclass
class Query:
    scope: Scope
    start: date
    end: date
    population: int | None
    errors: dict[str, str] = field(default_factory=dict)

    def args(self) -> dict:
        """The query string that gives this report again (for export links and presets)."""
        values = {"unit": self.scope.unit.id if self.scope.unit else None,
                  "counter": self.scope.counter.id if self.scope.counter else None,
                  "service": self.scope.service.id if self.scope.service else None,
                  "subunits": None if self.scope.subunits else "0",
                  "from": self.start.isoformat(), "to": self.end.isoformat(),
                  "population": self.population}
        return {key: value for key, value in values.items() if value is not None}

    def with_period(self, start: date, end: date) -> dict:
        return {**self.args(), "from": start.isoformat(), "to": end.isoformat()}


@dataclass
class Choices:
    units: list[tuple[int, str]]
    counters: list[ServiceCounter]
    services: list[Service]


@dataclass
class Page:
    query: Query
    report: Report
    choices: Choices
    presets: list[Preset]
    today: date
    letterhead: "Letterhead"


def default_unit(user: User) -> Unit | None:
    """Where a reader's report starts: HR the whole kabupaten, a head the top unit they lead."""
    if user.is_hr:
        return None
    headed = org.units_headed_by(user.employee)
    return headed[0].unit if headed else None


def _parse_id(args: Mapping, name: str, model, errors: dict, message):
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    found = db.session.get(model, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if found is None:
        errors[name] = str(message)
    return found


def _parse_date(args: Mapping, name: str, errors: dict) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        errors[name] = str(_l("Tanggal tidak valid; gunakan format TTTT-BB-HH."))
        return None


def _parse_population(raw: str | None, errors: dict) -> int | None:
    text = re.sub(r"[\s.,]", "", raw or "")
    if not text:
        return None
    if not text.isdigit() or not 0 < int(text) <= MAX_POPULATION:
        errors["population"] = str(_l("Isi jumlah penerima layanan dengan bilangan bulat positif."))
        return None
    return int(text)


def query_from_args(user: User, args: Mapping[str, str]) -> Query:
    """The report a reader asked for in the query string. A bad field is reported in
    Query.errors and replaced by its default; a scope beyond the reader's reach is NotAllowed."""
    errors: dict[str, str] = {}
    unit = _parse_id(args, "unit", Unit, errors, _l("Unit tidak ditemukan."))
    counter = _parse_id(args, "counter", ServiceCounter, errors, _l("Loket tidak ditemukan."))
    service = _parse_id(args, "service", Service, errors, _l("Layanan tidak ditemukan."))
    if counter is not None:
        unit = None  # a counter is narrower than any unit: the unit box does not narrow it further
    elif unit is None:
        unit = default_unit(user)
    scope = Scope(unit, counter, service, subunits=args.get("subunits") != "0")
    if not access.can_view_ikm(user, scope.home_unit):
        raise NotAllowed
    today = calendar.today_in((scope.home_unit or user.employee).time_zone)
    start = _parse_date(args, "from", errors) or date(today.year, 1, 1)
    end = _parse_date(args, "to", errors) or max(today, start)
    try:
        check_range(start, end)
    except RuleViolation as problem:
        errors[problem.field] = str(problem.message)
        start, end = date(today.year, 1, 1), today
    population = _parse_population(args.get("population"), errors)
    return Query(scope, start, end, population, errors)


def filter_choices(user: User) -> Choices:
    """The units, counters and services a reader may filter by."""
    units = org.unit_choices()
    counters = db.select(ServiceCounter).options(db.joinedload(ServiceCounter.unit)) \
        .order_by(ServiceCounter.code)
    if not user.is_hr:
        allowed = access.headed_unit_ids(user.employee)
        units = [(unit_id, label) for unit_id, label in units if unit_id in allowed]
        counters = counters.where(ServiceCounter.unit_id.in_(allowed))
    return Choices(units, list(db.session.scalars(counters)), org.all_services())


def page(user: User, args: Mapping[str, str]) -> Page:
    """Everything the report page (and its exports) show, for this reader and query string."""
    query = query_from_args(user, args)
    result = report(query.scope, query.start, query.end, query.population)
    today = calendar.today_in((query.scope.home_unit or user.employee).time_zone)
    return Page(query, result, filter_choices(user), presets(today), today,
                letterhead(query.scope))


# ---------------------------------------------------------------- live (today, on a wall screen)


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


# ---------------------------------------------------------------- trend chart (server-side SVG)


CHART_WIDTH, CHART_HEIGHT = 720, 280
# Lower bounds of mutu C, B and A on the 1-4 scale (DOMAIN.md), drawn as reference lines.
MUTU_LINES = ((Decimal("2.60"), "C"), (Decimal("3.0644"), "B"), (Decimal("3.5324"), "A"))


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _fmt(value: Decimal | None) -> str:
    return format_decimal(value, "#,##0.00") if value is not None else "—"


# Presentation attributes per class: the chart's look where app.css does not reach (the PDF).
LOOK = {
    "ikm-grid": 'stroke="#d1d5db" stroke-width="1"',
    "ikm-band": 'stroke="#9ca3af" stroke-width="1" stroke-dasharray="2 4"',
    "ikm-axis": 'fill="#374151" font-size="12" font-family="sans-serif"',
    "ikm-band-label": 'fill="#374151" font-size="12" font-family="sans-serif"',
    "ikm-legend": 'fill="#111827" font-size="12" font-family="sans-serif"',
    "ikm-line": 'fill="none" stroke-width="2.5"',
    "ikm-line-ikm": 'stroke="#0b5394"',
    "ikm-line-tap": 'stroke="#b26a00" stroke-dasharray="7 4"',
    "ikm-point-ikm": 'fill="#0b5394"',
    "ikm-point-tap": 'fill="#ffffff" stroke="#b26a00" stroke-width="2"',
}


def _a(*classes: str) -> str:
    looks = " ".join(LOOK[c] for c in classes if c in LOOK)
    return f'class="{" ".join(classes)}"' + (f" {looks}" if looks else "")


def trend_chart(months: list[MonthRow]) -> str:
    """IKM (1-4, full surveys) and the one-tap index (1-4) per month, as an SVG line chart.
    No style attribute (the CSP forbids them): classes styled in app.css, plus SVG presentation
    attributes as defaults for renderers without the page's CSS (WeasyPrint, in the PDF). Lines
    differ by dash and marker, not only by colour; each point has a <title> with its month and
    value; a line breaks where a month has no value."""
    title = str(_l("Tren IKM dan indeks satu sentuhan per bulan"))
    left, right, top, bottom = 44.0, CHART_WIDTH - 30.0, 58.0, CHART_HEIGHT - 30.0
    slot = (right - left) / max(len(months), 1)

    def x(i: int) -> float:
        return left + slot * i + slot / 2

    def y(value: Decimal) -> float:
        return bottom - (bottom - top) * (float(value) - 1) / 3

    body = []
    for tick in (1, 2, 3, 4):
        body.append(f'<line {_a("ikm-grid")} x1="{_n(left)}" y1="{_n(y(Decimal(tick)))}" '
                    f'x2="{_n(right)}" y2="{_n(y(Decimal(tick)))}"/>')
        body.append(f'<text {_a("ikm-axis")} x="{_n(left - 6)}" y="{_n(y(Decimal(tick)) + 4)}" '
                    f'text-anchor="end">{tick}</text>')
    for bound, mutu in MUTU_LINES:
        body.append(f'<line {_a("ikm-band")} x1="{_n(left)}" y1="{_n(y(bound))}" x2="{_n(right)}" '
                    f'y2="{_n(y(bound))}"/><text {_a("ikm-band-label")} x="{_n(right + 4)}" '
                    f'y="{_n(y(bound) + 4)}">{mutu}</text>')
    step = max(1, -(-len(months) // 12))  # at most about twelve month labels
    for i, row in enumerate(months):
        if i % step == 0:
            # Every other label is "minor": a phone hides those (see app.css).
            minor = ("ikm-axis-minor",) if (i // step) % 2 else ()
            body.append(f'<text {_a("ikm-axis", *minor)} x="{_n(x(i))}" y="{_n(bottom + 18)}" '
                        f'text-anchor="middle">{escape(format_date(row.month, "MMM yy"))}</text>')
    series = (("ikm", str(_l("IKM (survei lengkap)")), lambda f: f.survey.ikm),
              ("tap", str(_l("Indeks satu sentuhan")), lambda f: f.one_tap_index))
    for key, name, value_of in series:
        segments, current = [], []
        for i, row in enumerate(months):
            value = value_of(row.figures)
            if value is None:
                if current:
                    segments.append(current)
                current = []
                continue
            current.append((i, value))
        if current:
            segments.append(current)
        for segment in segments:
            points = " ".join(f"{_n(x(i))},{_n(y(v))}" for i, v in segment)
            body.append(f'<polyline {_a("ikm-line", f"ikm-line-{key}")} points="{points}"/>')
            for i, value in segment:
                label = f"{format_date(months[i].month, 'MMMM y')}: {name} {_fmt(value)}"
                shape = (f'<circle {_a("ikm-point", f"ikm-point-{key}")} cx="{_n(x(i))}" '
                         f'cy="{_n(y(value))}" r="4">' if key == "ikm" else
                         f'<rect {_a("ikm-point", f"ikm-point-{key}")} x="{_n(x(i) - 4)}" '
                         f'y="{_n(y(value) - 4)}" width="8" height="8">')
                closing = "</circle>" if key == "ikm" else "</rect>"
                body.append(f"{shape}<title>{escape(label)}</title>{closing}")
    # Legend, top left, one line each: the line style and the marker, with its name.
    for n, (key, name, _) in enumerate(series):
        lx, ly = left, 12 + 22 * n
        body.append(f'<line {_a("ikm-line", f"ikm-line-{key}")} x1="{_n(lx)}" y1="{ly}" '
                    f'x2="{_n(lx + 28)}" y2="{ly}"/>')
        marker = (f'<circle {_a("ikm-point", f"ikm-point-{key}")} cx="{_n(lx + 14)}" cy="{ly}" r="4"/>'
                  if key == "ikm" else
                  f'<rect {_a("ikm-point", f"ikm-point-{key}")} x="{_n(lx + 10)}" y="{ly - 4}" '
                  f'width="8" height="8"/>')
        body.append(marker)
        body.append(f'<text {_a("ikm-legend")} x="{_n(lx + 36)}" y="{ly + 4}">{escape(name)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" '
            f'{_a("ikm-trend")} role="img" aria-label={quoteattr(title)}>'
            f"<title>{escape(title)}</title>{''.join(body)}</svg>")


# ---------------------------------------------------------------- exports


@dataclass(frozen=True)
class Letterhead:
    government: str       # PEMERINTAH KABUPATEN BULUNGAN
    unit_name: str        # DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL
    address: str
    place: str            # where the report is signed: the kabupaten's name
    head: Employee | None
    head_title: str


def letterhead(scope: Scope) -> Letterhead:
    """The kop of the official report, from the top of the unit tree and the scope's unit."""
    home = scope.home_unit
    chain = tree.unit_and_ancestors(home) if home is not None else []
    top = chain[-1] if chain else db.session.scalar(
        db.select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id).limit(1))
    government, place = "PEMERINTAH DAERAH", ""
    if top is not None:
        found = re.search(r"\b(Kabupaten|Kota|Provinsi)\s+(.+)$", top.name, re.IGNORECASE)
        if found:
            government = f"PEMERINTAH {found.group(1).upper()} {found.group(2).upper()}"
            place = found.group(2).strip()
    subject = home or top
    head = subject.head if subject is not None else None
    title = str(_l("Kepala %(unit)s", unit=subject.name)) if subject is not None else ""
    return Letterhead(government, (subject.name if subject else "").upper(),
                      (subject.address or "") if subject else "", place, head, title)


def _cell_number(value: Decimal | None, places: int = 4):
    return float(round(value, places)) if value is not None else None


def to_xlsx(report: Report) -> bytes:
    """The report as a workbook: Ringkasan, NRR per unsur, Demografi, Per loket, Tren bulanan.
    Figures are numbers (not text), so they can be summed and charted in a spreadsheet."""
    from openpyxl import Workbook  # noqa: PLC0415 - only exports need it
    from openpyxl.styles import Font  # noqa: PLC0415

    bold = Font(bold=True)
    book = Workbook()
    survey = report.survey

    def header(sheet, *names):
        sheet.append([str(name) for name in names])
        for cell in sheet[sheet.max_row]:
            cell.font = bold

    summary = book.active
    summary.title = "Ringkasan"
    summary.append([str(_l("Laporan Hasil Survei Kepuasan Masyarakat"))])
    summary["A1"].font = Font(bold=True, size=13)
    rows = [
        (_l("Cakupan"), report.scope.label),
        (_l("Periode"), report.period_label),
        (_l("Dari tanggal"), report.start),
        (_l("Sampai tanggal"), report.end),
        (_l("Responden survei lengkap (9 unsur)"), report.totals.full_surveys),
        (_l("IKM (skala 1–4)"), _cell_number(survey.ikm)),
        (_l("Nilai konversi IKM (25–100)"), _cell_number(survey.converted, 2)),
        (_l("Mutu pelayanan"), survey.mutu),
        (_l("Kinerja unit pelayanan"), survey.performance),
        (_l("Penilaian satu sentuhan (bukan SKM lengkap)"), report.totals.ratings),
        (_l("Indeks satu sentuhan (skala 1–4)"), _cell_number(report.totals.one_tap_index)),
        *((face, report.totals.score_counts[s]) for s, face in
          zip(SCORES, (_l("Wajah 1 (tidak puas)"), _l("Wajah 2 (kurang puas)"),
                       _l("Wajah 3 (puas)"), _l("Wajah 4 (sangat puas)")), strict=True)),
    ]
    if report.population:
        rows += [(_l("Populasi penerima layanan"), report.population),
                 (_l("Sampel minimum (Krejcie dan Morgan)"), report.sample_needed),
                 (_l("Sampel tercukupi"), str(_l("Ya") if report.sample_met else _l("Belum")))]
    for label, value in rows:
        summary.append([str(label), value])
        if isinstance(value, date):
            summary.cell(summary.max_row, 2).number_format = "yyyy-mm-dd"
    summary.column_dimensions["A"].width = 46
    summary.column_dimensions["B"].width = 48

    nrr = book.create_sheet("NRR per unsur")
    header(nrr, _l("Unsur"), _l("Nama unsur"), _l("Jumlah jawaban"), _l("Jumlah nilai"), "NRR",
           _l("NRR tertimbang (NRR × 0,111)"), _l("Unsur terendah"))
    for row in report.nrr_rows:
        nrr.append([row.element, row.name, row.answers, row.total, _cell_number(row.nrr),
                    _cell_number(row.weighted), str(_l("Ya")) if row.weakest else ""])
    nrr.append(["", str(_l("IKM (jumlah NRR tertimbang)")), None, None, None,
                _cell_number(survey.ikm), ""])
    nrr.append(["", str(_l("Nilai konversi (IKM × 25)")), None, None, None,
                _cell_number(survey.converted, 2), survey.mutu or ""])
    nrr.column_dimensions["B"].width = 42

    demography = book.create_sheet("Demografi")
    header(demography, _l("Karakteristik"), _l("Kategori"), _l("Semua penilaian"),
           _l("Survei lengkap"))
    for dimension, entries in report.demographics.items():
        for entry in entries:
            demography.append([str(DIMENSION_NAMES[dimension]), entry.label, entry.ratings,
                               entry.full_surveys])
    demography.column_dimensions["A"].width = 22
    demography.column_dimensions["B"].width = 24

    per_counter = book.create_sheet("Per unit" if report.compares_units else "Per loket")
    header(per_counter, _l("Kode"), _l("Unit") if report.compares_units else _l("Loket"),
           _l("Unit"), _l("Survei lengkap"), "IKM",
           _l("Nilai konversi"), _l("Mutu"), _l("Penilaian satu sentuhan"),
           _l("Indeks satu sentuhan"))
    for row in report.comparison:
        figures = row.figures
        per_counter.append([row.code, row.name, row.unit_name, figures.full_surveys,
                            _cell_number(figures.survey.ikm), _cell_number(figures.survey.converted, 2),
                            figures.survey.mutu, figures.ratings, _cell_number(figures.one_tap_index)])
    per_counter.column_dimensions["B"].width = 36
    per_counter.column_dimensions["C"].width = 36

    trend = book.create_sheet("Tren bulanan")
    header(trend, _l("Bulan"), _l("Survei lengkap"), "IKM", _l("Nilai konversi"),
           _l("Penilaian satu sentuhan"), _l("Indeks satu sentuhan"))
    for row in report.months:
        trend.append([row.month, row.figures.full_surveys, _cell_number(row.figures.survey.ikm),
                      _cell_number(row.figures.survey.converted, 2), row.figures.ratings,
                      _cell_number(row.figures.one_tap_index)])
        trend.cell(trend.max_row, 1).number_format = "mmm yyyy"

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _no_fetching(url: str, *args, **kwargs):
    # The report is self-contained: WeasyPrint must not fetch anything named in it.
    raise ValueError(f"external resource refused: {url[:80]}")


def to_pdf(html: str) -> bytes:
    """The printed report (HTML rendered by the view from templates/portal/ikm/report_pdf.html)."""
    from weasyprint import HTML  # noqa: PLC0415 - slow to import; only the PDF export needs it

    return HTML(string=html, url_fetcher=_no_fetching).write_pdf()

"""The IKM report over a date range: the full-survey IKM (PermenPANRB 14/2017) and the one-tap
index reported apart, respondents and sample adequacy, demographics, a monthly trend, a
comparison of the units below (or of the counters), and the usual reporting periods.

It reads only the rollups (kinerja.feedback.ikm_figures): a fixed number of grouped SUMs,
whatever the number of ratings.
"""
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from kinerja.core import dates
from kinerja.extensions import db
from kinerja.feedback import ikm, ikm_services, ikm_weights
from kinerja.feedback.demographics import DEMOGRAPHIC_COLUMNS, RESPONDENT_CHOICES, demographic_column
from kinerja.feedback.ikm_figures import SUM_COLUMNS, Figures, NrrRow, figure_rows, sum_columns
from kinerja.feedback.ikm_scope import Scope, counters_of
from kinerja.organisation.models import ServiceCounter, Unit
from kinerja.organisation.tree import UnitTree

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
    weight: str = ikm.DEFAULT_WEIGHT  # the element weight's convention the figures use
    # Per service received (asked for by the page and the exports; none for one service).
    services: ikm_services.ServiceBreakdown | None = None

    @property
    def weight_label(self) -> str:
        return str(ikm_weights.LABELS[self.weight])

    @property
    def weight_symbol(self) -> str:
        return str(ikm_weights.SYMBOLS[self.weight])

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
        return self.totals.nrr_rows

    @property
    def weighted_total(self) -> Decimal | None:
        return self.survey.ikm

    @property
    def trend(self) -> dict[str, list]:
        """The trend chart's series, one value (or None) a month: the months, the IKM of the
        full surveys and the one-tap index (the arguments of web.charts.ikm_trend)."""
        return {"months": [row.month for row in self.months],
                "survey": [row.figures.survey.ikm for row in self.months],
                "one_tap": [row.figures.one_tap_index for row in self.months]}


def _months(start: date, end: date) -> list[date]:
    return [date(n // 12, n % 12 + 1, 1)
            for n in range(start.year * 12 + start.month - 1, end.year * 12 + end.month)]


def _service_id(scope: Scope) -> int | None:
    """A service's report counts only the ratings naming it (the per-service rollups)."""
    return scope.service.id if scope.service is not None else None


def totals(scope: Scope, start: date, end: date) -> Figures:
    """The report's totals only (what GET /api/v1/ikm returns): one SUM over the rollups."""
    weight = ikm_weights.convention_for_range(start, end)
    source = figure_rows(counters_of(scope), start, end, service_id=_service_id(scope))
    return Figures.from_row(db.session.execute(db.select(*sum_columns(source))).one()._mapping,
                            weight)


def report(scope: Scope, start: date, end: date, population: int | None = None, *,
           by_counter: bool = False, with_services: bool = False) -> Report:
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
    weight = ikm_weights.convention_for_range(start, end)
    by_units = scope.counter is None and not by_counter and (scope.unit is None or scope.subunits)
    units = UnitTree.load() if by_units else None
    source = figure_rows(counters_of(scope, units), start, end, columns,
                         service_id=_service_id(scope))
    width = len(SUM_COLUMNS)
    by_month = {month: [int(value) for value in sums] for month, *sums in db.session.connection()
                .execute(db.select(source.c.month, *sum_columns(source, columns))
                         .group_by(source.c.month))}
    everything = [sum(column) for column in zip(*by_month.values(), strict=True)] \
        or [0] * len(columns)
    months = [MonthRow(m, Figures.from_sums(by_month[m][:width], weight) if m in by_month
                       else Figures(weight=weight)) for m in _months(start, end)]
    totals = Figures.from_sums(everything[:width], weight)
    answered = dict(zip(DEMOGRAPHIC_COLUMNS, everything[width:], strict=True))

    comparison = []
    if scope.counter is None:
        # Summed per counter first (2,000 groups for a province), then per branch: grouped
        # straight by branch, the database could not tell how few the groups are.
        per_counter = (db.select(source.c.counter_id, *sum_columns(source))
                       .group_by(source.c.counter_id).subquery())
        top, branches = _branches(scope.unit, units) if by_units else (None, [])
        if branches:
            line, joined = _branch_of_counters(per_counter, branches)
            query = (db.select(line, *sum_columns(per_counter)).select_from(joined)
                     .group_by(line))
        else:
            query = db.select(per_counter)
        lines = {line_id: sums for line_id, *sums in db.session.connection().execute(query)}
        comparison = _comparison_rows(lines, by_units=bool(branches), top=top, weight=weight)
    services = None
    if with_services and scope.service is None:
        services = ikm_services.per_service(counters_of(scope, units), start, end, totals)
    return Report(scope, start, end, totals, months, comparison,
                  _demographics(answered, totals), population, weight, services)


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
                     top: int | None, weight: str) -> list[ComparisonRow]:
    if not by_line:
        return []
    if not by_units:
        names = db.session.execute(
            db.select(ServiceCounter.id, ServiceCounter.code, ServiceCounter.name, Unit.name)
            .join(Unit, Unit.id == ServiceCounter.unit_id)
            .where(ServiceCounter.id.in_(list(by_line)))).all()
        rows = [ComparisonRow(COUNTER, id_, code, name, unit_name,
                              Figures.from_sums(by_line[id_], weight))
                for id_, code, name, unit_name in names]
    else:
        names = db.session.execute(
            db.select(Unit.id, Unit.code, Unit.name).where(Unit.id.in_(list(by_line)))).all()
        rows = [ComparisonRow(OWN_COUNTERS if id_ == top else UNIT, id_, code,
                              str(_l("%(unit)s (loketnya sendiri)", unit=name)) if id_ == top
                              else name, "", Figures.from_sums(by_line[id_], weight))
                for id_, code, name in names]
    return sorted(rows, key=_comparison_key)


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
    converted = row.figures.converted_cents
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
            return dates.format_day(start, "month")
        if start.month % 3 == 1 and end.month == start.month + 2:
            return str(_l("Triwulan %(n)s %(year)s", n=ROMAN[start.month // 3], year=start.year))
    return f"{dates.format_day(start, 'long')} – {dates.format_day(end, 'long')}"

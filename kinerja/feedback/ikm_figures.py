"""IKM figures summed over the rating rollups: Figures, and the SQL that reads a date range.

Every figure comes from SQL SUM ... GROUP BY over the rollups -- rating_monthly_rollups for the
whole months of the range, rating_rollups for the days of the partial months at its ends, the
respondents' answers being columns of the same rows -- then kinerja.feedback.ikm does the
arithmetic; neither the number of queries nor the rows they read grow with the number of ratings.
"""
from calendar import monthrange
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from sqlalchemy import Date, and_, func, or_, type_coerce, union_all

from kinerja.extensions import db
from kinerja.feedback import ikm, questionnaire
from kinerja.feedback.models import (
    DailyRollup,
    MonthlyRollup,
    ServiceDailyRollup,
    ServiceMonthlyRollup,
)
from kinerja.feedback.rollup_rebuild import month_of

SCORES = (1, 2, 3, 4)
SUM_COLUMNS = ("ratings", *(f"score_{s}" for s in SCORES), "full_surveys",
               *(f"{e.lower()}_{part}" for e in ikm.ELEMENTS for part in ("sum", "n")))


@dataclass(frozen=True)
class NrrRow:
    element: str
    name: str
    answers: int
    total: int
    nrr: Decimal | None
    weighted: Decimal | None
    weakest: bool


@dataclass(frozen=True)
class Figures:
    """Summed rollup columns for some counters and days: what both indices are computed from."""
    ratings: int = 0
    score_counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(SCORES, 0))
    full_surveys: int = 0
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ikm.ELEMENTS, 0))
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ikm.ELEMENTS, 0))
    # The element weight's convention (an ikm.WEIGHTS key), as HR chose it for the year
    # (kinerja.feedback.ikm_weights): every index below is computed with it.
    weight: str = ikm.DEFAULT_WEIGHT

    @classmethod
    def from_row(cls, row: Mapping, weight: str = ikm.DEFAULT_WEIGHT) -> "Figures":
        return cls.from_sums([row[column] for column in SUM_COLUMNS], weight)

    @classmethod
    def from_sums(cls, values: Sequence, weight: str = ikm.DEFAULT_WEIGHT) -> "Figures":
        """From the values of SUM_COLUMNS in that order, by position: a province's report
        makes 2,000 of these. The columns are NOT NULL, so their SUMs are all None (over no
        rows) or none is."""
        if values[0] is None:
            return cls(weight=weight)
        ratings, score_1, score_2, score_3, score_4, full_surveys, *per_element = map(int, values)
        return cls(ratings, {1: score_1, 2: score_2, 3: score_3, 4: score_4}, full_surveys,
                   dict(zip(ikm.ELEMENTS, per_element[0::2], strict=True)),
                   dict(zip(ikm.ELEMENTS, per_element[1::2], strict=True)), weight)

    def _combined(self, other: "Figures", sign: int) -> "Figures":
        return Figures(self.ratings + sign * other.ratings,
                       {s: self.score_counts[s] + sign * other.score_counts[s] for s in SCORES},
                       self.full_surveys + sign * other.full_surveys,
                       {e: self.sums[e] + sign * other.sums[e] for e in ikm.ELEMENTS},
                       {e: self.counts[e] + sign * other.counts[e] for e in ikm.ELEMENTS},
                       self.weight)

    def __add__(self, other: "Figures") -> "Figures":
        return self._combined(other, 1)

    def __sub__(self, other: "Figures") -> "Figures":
        """What is left of these figures without a part of them (the ratings naming no
        service: a counter's figures less those of its services)."""
        return self._combined(other, -1)

    @property
    def weight_fraction(self):
        return ikm.WEIGHTS[self.weight]

    @cached_property
    def survey(self) -> ikm.Ikm:
        """The nine-element IKM; its respondents are the full surveys."""
        return ikm.compute(self.sums, self.counts, self.full_surveys, self.weight_fraction)

    @cached_property
    def one_tap_index(self) -> Decimal | None:
        """The average face of every rating (1-4): not an SKM result, reported apart."""
        return ikm.one_tap_index(self.score_counts)

    def weighted(self, element: str) -> Decimal | None:
        return ikm.weighted(self.survey.nrr[element], self.weight_fraction)

    @property
    def converted_cents(self) -> int | None:
        return ikm.converted_cents(self.sums, self.counts, self.weight_fraction)

    @property
    def nrr_rows(self) -> list[NrrRow]:
        """Per element, in the regulation's order (U1..U9): answers, total, NRR, NRR
        tertimbang and whether it is the weakest; named by the questionnaire (translated)."""
        weakest = set(self.survey.weakest)
        return [NrrRow(e, str(questionnaire.name_of(e)), self.counts[e], self.sums[e],
                       self.survey.nrr[e], self.weighted(e), e in weakest) for e in ikm.ELEMENTS]


def sum_columns(source, columns: tuple[str, ...] = SUM_COLUMNS):
    """SUM(column) of each of `columns` of a subquery, labelled with the column's name."""
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


def _rollup_rows(daily, monthly, columns: tuple[str, ...], counters_of, start: date, end: date,
                 service_id: int | None = None):
    """The rollup rows of [start, end] as one subquery (counter_id, month, *columns; with
    service_id too for the per-service tables, narrowed to one service when given):
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
        keys = [table.counter_id.label("counter_id"), month.label("month")]
        if table in (ServiceDailyRollup, ServiceMonthlyRollup):
            keys.append(table.service_id.label("service_id"))
            if service_id is not None:
                when = and_(when, table.service_id == service_id)
        query = db.select(*keys, *(getattr(table, c).label(c) for c in columns)).where(when)
        if counters_of is not None:
            query = query.where(table.counter_id.in_(counters_of))
        selects.append(query)
    return (selects[0] if len(selects) == 1 else union_all(*selects)).subquery()


def figure_rows(counters_of, start: date, end: date, columns: tuple[str, ...] = SUM_COLUMNS,
                service_id: int | None = None):
    """The rollup rows of the counters (a subquery of ids; None: every counter) over [start,
    end], with `columns`, as a subquery to SUM over (see sum_columns). With a service_id, only
    the ratings naming that service (the per-service rollups)."""
    if service_id is not None:
        return service_rows(counters_of, start, end, columns, service_id)
    return _rollup_rows(DailyRollup, MonthlyRollup, columns, counters_of, start, end)


def service_rows(counters_of, start: date, end: date, columns: tuple[str, ...] = SUM_COLUMNS,
                 service_id: int | None = None):
    """figure_rows of the ratings that name their service, with a service_id column to group
    by (every service, or the one given)."""
    return _rollup_rows(ServiceDailyRollup, ServiceMonthlyRollup, columns, counters_of, start,
                        end, service_id)

"""The arithmetic of an award's ranking (pure: plain values in, plain values out).

Every criterion is brought to 0-100, multiplied by its integer weight (the weights sum to 100)
and the total is sum(weight x value) / 100, in exact fractions; it is shown with two decimals.

- predikat: Sangat Baik 100, Baik 75, Butuh Perbaikan 50, Kurang/Misconduct 25, Sangat Kurang
  and none 0;
- realisation: per quantity indicator, realised / yearly target (target / realised for a
  lower-is-better one: kinerja.performance.pace.achievement), capped at 100% so that one
  over-achieved indicator cannot hide another, averaged; none 0;
- satisfaction: the one-tap index (1-4) of the ratings that name the person, x 25 (the SKM
  conversion to 25-100), counted only with at least the award's minimum of respondents,
  otherwise 0 ("kurang responden");
- regularity: the share of working days (Monday to Friday minus the holiday calendar's days)
  of the period so far with at least one daily activity;
- nomination: 100 when a head of a unit over them nominated them, otherwise 0.

Ties are broken by a stated rule (TIE_RULE): higher total, then higher predikat value, then
higher satisfaction value, then higher realisation value, then name A-Z.

Candidates who are not eligible (exclusion_reasons) are left out before ranking, however high
their score: a Kurang/Misconduct colleague never stands above a Sangat Baik one.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from kinerja.appraisal.predikat import Predikat

CRITERIA = ("predikat", "realisation", "satisfaction", "regularity", "nomination")
PREDIKAT_VALUE = {
    Predikat.VERY_GOOD: 100,
    Predikat.GOOD: 75,
    Predikat.NEEDS_IMPROVEMENT: 50,
    Predikat.POOR: 25,
    Predikat.VERY_POOR: 0,
}
HUNDRED = Fraction(100)
TIE_RULE = ("total", "predikat", "satisfaction", "realisation", "name")


class WeightsInvalid(ValueError):
    """The weights are not whole numbers from 0 to 100 summing to 100; `reason` says which."""

    def __init__(self, reason: str, total: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.total = total


def check_weights(weights: dict[str, int]) -> None:
    """Each criterion a whole number 0-100, together exactly 100."""
    if set(weights) != set(CRITERIA):
        raise WeightsInvalid("criteria")
    for value in weights.values():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise WeightsInvalid("range")
    total = sum(weights.values())
    if total != 100:
        raise WeightsInvalid("sum", total)


@dataclass(frozen=True)
class CandidateFacts:
    """What is known of one candidate, before any scoring."""
    employee_id: int
    name: str
    predikat: Predikat | None = None
    # Per quantity indicator: realised / yearly target (may exceed 1).
    realisation_ratios: tuple[Fraction, ...] = ()
    respondents: int = 0
    score_sum: int = 0          # the sum of the one-tap faces (1-4) of those respondents
    active_days: int = 0        # working days with at least one daily activity
    working_days: int = 0       # working days of the period so far
    nominated: bool = False


@dataclass(frozen=True)
class Criterion:
    value: Fraction             # 0-100
    contribution: Fraction      # weight x value / 100
    raw: str | None = None      # what the value came from, for people ("3,4 dari 41 responden")
    short: bool = False         # satisfaction with too few respondents


@dataclass
class RankedRow:
    rank: int
    facts: CandidateFacts
    criteria: dict[str, Criterion] = field(default_factory=dict)
    total: Fraction = Fraction(0)

    @property
    def employee_id(self) -> int:
        return self.facts.employee_id

    @property
    def name(self) -> str:
        return self.facts.name


def two_decimals(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)


def predikat_value(predikat: Predikat | None) -> Fraction:
    return Fraction(PREDIKAT_VALUE.get(predikat, 0)) if predikat is not None else Fraction(0)


def realisation_value(ratios: tuple[Fraction, ...]) -> Fraction:
    if not ratios:
        return Fraction(0)
    capped = [min(Fraction(r), Fraction(1)) for r in ratios]
    return sum(capped, Fraction(0)) / len(capped) * HUNDRED


def satisfaction_index(respondents: int, score_sum: int) -> Fraction | None:
    """The one-tap index (1-4), or None without respondents."""
    return Fraction(score_sum, respondents) if respondents else None


def satisfaction_value(respondents: int, score_sum: int, minimum: int) -> tuple[Fraction, bool]:
    """(value 0-100, too few respondents?)."""
    if respondents == 0 or respondents < minimum:
        return Fraction(0), True
    return Fraction(score_sum, respondents) * 25, False


def regularity_value(active_days: int, working_days: int) -> Fraction:
    if working_days <= 0:
        return Fraction(0)
    return min(Fraction(active_days, working_days), Fraction(1)) * HUNDRED


def score(facts: CandidateFacts, weights: dict[str, int], min_respondents: int
          ) -> tuple[dict[str, Criterion], Fraction]:
    """Each criterion's value and weighted contribution, and the total."""
    satisfaction, short = satisfaction_value(facts.respondents, facts.score_sum, min_respondents)
    values = {
        "predikat": (predikat_value(facts.predikat), False),
        "realisation": (realisation_value(facts.realisation_ratios), False),
        "satisfaction": (satisfaction, short),
        "regularity": (regularity_value(facts.active_days, facts.working_days), False),
        "nomination": (HUNDRED if facts.nominated else Fraction(0), False),
    }
    criteria = {name: Criterion(value, weights[name] * value / HUNDRED, short=is_short)
                for name, (value, is_short) in values.items()}
    total = sum((c.contribution for c in criteria.values()), Fraction(0))
    return criteria, total


def rank(candidates: list[CandidateFacts], weights: dict[str, int], min_respondents: int
         ) -> list[RankedRow]:
    """Every candidate scored and ordered by the tie rule; ranks 1..n, no two alike."""
    check_weights(weights)
    rows = []
    for facts in candidates:
        criteria, total = score(facts, weights, min_respondents)
        rows.append(RankedRow(0, facts, criteria, total))
    rows.sort(key=lambda row: (-row.total, -row.criteria["predikat"].value,
                               -row.criteria["satisfaction"].value,
                               -row.criteria["realisation"].value,
                               row.facts.name.casefold(), row.facts.employee_id))
    for n, row in enumerate(rows, start=1):
        row.rank = n
    return rows


# Not eligible at all, whatever the score (DOMAIN.md, Recognition): a Kurang/Misconduct or
# Sangat Kurang predikat in the award's performance period, or a disciplinary sanction in force
# during the award's span.
INELIGIBLE_PREDIKAT = (Predikat.POOR, Predikat.VERY_POOR)


def exclusion_reasons(predikats, sanctions) -> list[dict]:
    """Why a candidate is not ranked, as plain JSON-able values (the snapshot keeps them):
    `predikats` every predikat set for them in the period, `sanctions` (level, from, to) of the
    sanctions meeting the award's span. An empty list: eligible."""
    reasons = [{"kind": "predikat", "value": p.value}
               for p in sorted(set(predikats) & set(INELIGIBLE_PREDIKAT), key=list(Predikat).index)]
    reasons += [{"kind": "sanction", "value": str(level), "from": start.isoformat(),
                 "to": end.isoformat()} for level, start, end in sanctions]
    return reasons


def tie_broken_by(rows: list[RankedRow], index: int) -> str | None:
    """Which step of the tie rule put rows[index] below rows[index - 1] when their totals are
    equal (None when the totals differ or it is the first row)."""
    if index == 0:
        return None
    above, row = rows[index - 1], rows[index]
    if above.total != row.total:
        return None
    for name in ("predikat", "satisfaction", "realisation"):
        if above.criteria[name].value != row.criteria[name].value:
            return name
    return "name"

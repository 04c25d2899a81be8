"""Predikat kinerja (PermenPANRB 6/2022) on plain values: the result x behaviour matrix, the
suggestion of an overall rating from item ratings, and the distribution curve that the
organisation's own predikat sets. No database, no Flask: tested cell by cell.

Words for people (Indonesian and English) live in appraisal_labels.py.
"""
import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction


class Rating(enum.StrEnum):
    """The three ratings of work results and of behaviour."""
    ABOVE = "di_atas"
    AS_EXPECTED = "sesuai"
    BELOW = "di_bawah"


class Behaviour(enum.StrEnum):
    """The seven BerAKHLAK core values, in their official order."""
    SERVICE = "berorientasi_pelayanan"
    ACCOUNTABLE = "akuntabel"
    COMPETENT = "kompeten"
    HARMONIOUS = "harmonis"
    LOYAL = "loyal"
    ADAPTIVE = "adaptif"
    COLLABORATIVE = "kolaboratif"


class Predikat(enum.StrEnum):
    VERY_GOOD = "sangat_baik"
    GOOD = "baik"
    NEEDS_IMPROVEMENT = "butuh_perbaikan"
    POOR = "kurang"              # Kurang / misconduct
    VERY_POOR = "sangat_kurang"


class OrganisationPredikat(enum.StrEnum):
    """The predikat of the organisation (unit) itself, which limits its employees' predikat."""
    EXCEPTIONAL = "istimewa"
    GOOD = "baik"
    NEEDS_IMPROVEMENT = "butuh_perbaikan"
    POOR = "kurang"
    VERY_POOR = "sangat_kurang"


# Rows: work result; columns: behaviour.
MATRIX: dict[Rating, dict[Rating, Predikat]] = {
    Rating.ABOVE: {Rating.ABOVE: Predikat.VERY_GOOD, Rating.AS_EXPECTED: Predikat.GOOD,
                   Rating.BELOW: Predikat.POOR},
    Rating.AS_EXPECTED: {Rating.ABOVE: Predikat.GOOD, Rating.AS_EXPECTED: Predikat.GOOD,
                         Rating.BELOW: Predikat.POOR},
    Rating.BELOW: {Rating.ABOVE: Predikat.NEEDS_IMPROVEMENT,
                   Rating.AS_EXPECTED: Predikat.NEEDS_IMPROVEMENT,
                   Rating.BELOW: Predikat.VERY_POOR},
}

# Predikat that lead to a development plan.
LOW = frozenset({Predikat.NEEDS_IMPROVEMENT, Predikat.POOR, Predikat.VERY_POOR})


def predikat(result: Rating, behaviour: Rating) -> Predikat:
    return MATRIX[Rating(result)][Rating(behaviour)]


def needs_development(value: Predikat | None) -> bool:
    return value in LOW


def suggested_overall(ratings: Iterable[Rating]) -> Rating | None:
    """A starting point for the overall rating: the most frequent item rating; a tie between
    the two ends, or any tie involving Sesuai, is Sesuai. The appraiser decides."""
    counts = Counter(Rating(r) for r in ratings)
    if not counts:
        return None
    top = max(counts.values())
    leaders = {rating for rating, count in counts.items() if count == top}
    return leaders.pop() if len(leaders) == 1 else Rating.AS_EXPECTED


# ------------------------------------------------------------------------------ distribution


@dataclass(frozen=True)
class Limit:
    """Employees with any of `predikats` must be at least `min_percent` / at most
    `max_percent` of those rated, and at least `min_count` people."""
    organisation: OrganisationPredikat
    predikats: frozenset[Predikat]
    min_percent: int | None = None
    max_percent: int | None = None
    min_count: int | None = None


def _limit(organisation, predikats, **bounds) -> Limit:
    return Limit(OrganisationPredikat(organisation), frozenset(Predikat(p) for p in predikats),
                 **bounds)


SB, B, BP, K, SK = (Predikat.VERY_GOOD, Predikat.GOOD, Predikat.NEEDS_IMPROVEMENT,
                    Predikat.POOR, Predikat.VERY_POOR)
Org = OrganisationPredikat
# The table published with the regulation's guidance; HR may change it (DistributionLimit).
DEFAULT_LIMITS: tuple[Limit, ...] = (
    _limit(Org.EXCEPTIONAL, {SB}, max_percent=70),
    _limit(Org.GOOD, {B}, max_percent=70),
    _limit(Org.GOOD, {BP, K}, min_count=1),
    _limit(Org.NEEDS_IMPROVEMENT, {BP}, min_percent=60),
    _limit(Org.NEEDS_IMPROVEMENT, {SB}, max_percent=10),
    _limit(Org.POOR, {K}, min_percent=60),
    _limit(Org.POOR, {BP}, min_percent=10),
    _limit(Org.POOR, {SB}, max_percent=10),
    _limit(Org.VERY_POOR, {SK}, min_percent=60),
    _limit(Org.VERY_POOR, {K, BP}, min_percent=10),
    _limit(Org.VERY_POOR, {SB}, max_percent=0),
)


@dataclass(frozen=True)
class Breach:
    limit: Limit
    count: int
    total: int

    @property
    def share(self) -> Fraction:
        return Fraction(self.count, self.total) if self.total else Fraction(0)


def check_distribution(organisation: OrganisationPredikat, counts: Mapping[Predikat, int],
                       limits: Iterable[Limit] = DEFAULT_LIMITS) -> list[Breach]:
    """The limits of the organisation's predikat that these counts break (none: within the
    curve). Nobody rated yet breaks nothing: there is nothing to warn about."""
    total = sum(counts.values())
    if total == 0:
        return []
    breaches = []
    for limit in limits:
        if limit.organisation != organisation:
            continue
        count = sum(counts.get(p, 0) for p in limit.predikats)
        share = Fraction(count, total)
        if ((limit.min_percent is not None and share < Fraction(limit.min_percent, 100))
                or (limit.max_percent is not None and share > Fraction(limit.max_percent, 100))
                or (limit.min_count is not None and count < limit.min_count)):
            breaches.append(Breach(limit, count, total))
    return breaches

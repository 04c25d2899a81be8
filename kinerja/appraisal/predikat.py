"""Predikat kinerja (PermenPANRB 6/2022) on plain values: the result x behaviour matrix, the
suggestion of an overall rating from item ratings, and the distribution curve that the
organisation's own predikat sets. No database, no Flask app: tested cell by cell. Each value
carries its words for people (`member.label`, translated when shown).
"""
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from kinerja.core.labels import LabelledEnum


class Rating(LabelledEnum):
    """The three ratings of work results and of behaviour."""
    ABOVE = "di_atas", _l("Di Atas Ekspektasi")
    AS_EXPECTED = "sesuai", _l("Sesuai Ekspektasi")
    BELOW = "di_bawah", _l("Di Bawah Ekspektasi")


class Behaviour(LabelledEnum):
    """The seven BerAKHLAK core values, in their official order."""
    SERVICE = "berorientasi_pelayanan", _l("Berorientasi Pelayanan")
    ACCOUNTABLE = "akuntabel", _l("Akuntabel")
    COMPETENT = "kompeten", _l("Kompeten")
    HARMONIOUS = "harmonis", _l("Harmonis")
    LOYAL = "loyal", _l("Loyal")
    ADAPTIVE = "adaptif", _l("Adaptif")
    COLLABORATIVE = "kolaboratif", _l("Kolaboratif")

    @property
    def meaning(self) -> str:
        """The value's official one-line meaning, shown beside the rating."""
        return BEHAVIOUR_MEANING[self]


class Predikat(LabelledEnum):
    VERY_GOOD = "sangat_baik", _l("Sangat Baik")
    GOOD = "baik", _l("Baik")
    NEEDS_IMPROVEMENT = "butuh_perbaikan", _l("Butuh Perbaikan")
    POOR = "kurang", _l("Kurang/Misconduct")
    VERY_POOR = "sangat_kurang", _l("Sangat Kurang")

    @property
    def short(self) -> str:
        """SB, B, BP, K/M, SK: the abbreviations of the regulation's distribution table."""
        return PREDIKAT_SHORT[self]

    @property
    def is_low(self) -> bool:
        """Butuh Perbaikan, Kurang or Sangat Kurang: a development plan follows."""
        return self in LOW


class OrganisationPredikat(LabelledEnum):
    """The predikat of the organisation (unit) itself, which limits its employees' predikat."""
    EXCEPTIONAL = "istimewa", _l("Istimewa")
    GOOD = "baik", _l("Baik")
    NEEDS_IMPROVEMENT = "butuh_perbaikan", _l("Butuh Perbaikan")
    POOR = "kurang", _l("Kurang")
    VERY_POOR = "sangat_kurang", _l("Sangat Kurang")


BEHAVIOUR_MEANING = {
    Behaviour.SERVICE: _l("Memahami dan memenuhi kebutuhan masyarakat, ramah, cekatan, solutif."),
    Behaviour.ACCOUNTABLE: _l("Jujur, bertanggung jawab, cermat, disiplin dan berintegritas."),
    Behaviour.COMPETENT: _l("Terus belajar dan mengembangkan kapabilitas."),
    Behaviour.HARMONIOUS: _l("Saling peduli dan menghargai perbedaan."),
    Behaviour.LOYAL: _l("Berdedikasi dan mengutamakan kepentingan bangsa dan negara."),
    Behaviour.ADAPTIVE: _l("Terus berinovasi dan antusias menghadapi perubahan."),
    Behaviour.COLLABORATIVE: _l("Membangun kerja sama yang sinergis."),
}
PREDIKAT_SHORT = {
    Predikat.VERY_GOOD: "SB", Predikat.GOOD: "B", Predikat.NEEDS_IMPROVEMENT: "BP",
    Predikat.POOR: "K/M", Predikat.VERY_POOR: "SK",
}

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


# The hasil kerja rating of a unit's leader follows the organisation's capaian at the same
# point (PermenPANRB 6/2022, the guidance's table): the leader answers for the unit's results.
HEAD_RESULT_RATING: dict[OrganisationPredikat, Rating] = {
    OrganisationPredikat.EXCEPTIONAL: Rating.ABOVE,
    OrganisationPredikat.GOOD: Rating.AS_EXPECTED,
    OrganisationPredikat.NEEDS_IMPROVEMENT: Rating.BELOW,
    OrganisationPredikat.POOR: Rating.BELOW,
    OrganisationPredikat.VERY_POOR: Rating.BELOW,
}


def head_result_rating(capaian: OrganisationPredikat) -> Rating:
    """The hasil kerja rating a unit's leader gets when the unit's capaian is `capaian`."""
    return HEAD_RESULT_RATING[OrganisationPredikat(capaian)]


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

    @property
    def description(self) -> str:
        """"BP + K/M: paling sedikit 1 orang", "SB: paling banyak 70%" in the reader's language."""
        names = " + ".join(p.short for p in Predikat if p in self.predikats)
        parts = []
        if self.min_percent is not None:
            parts.append(str(_l("paling sedikit %(n)s%%", n=self.min_percent)))
        if self.max_percent is not None:
            parts.append(str(_l("paling banyak %(n)s%%", n=self.max_percent)))
        if self.min_count is not None:
            parts.append(ngettext("paling sedikit %(num)s orang", "paling sedikit %(num)s orang",
                                  self.min_count))
        return f"{names}: {', '.join(parts)}"


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

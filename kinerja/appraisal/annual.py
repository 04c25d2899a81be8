"""The year's result of someone with several plans in the year (a transfer closed one and
opened the next): each plan has its own final evaluation over its months, rated by the
supervisor of those months, and the year's result combines them.

DOMAIN.md does not say how; PermenPANRB 6/2022 sets the predikat from the two ratings (hasil
kerja, perilaku kerja) and, for angka kredit, counts periodic points pro rata by months. So
each of the two ratings is averaged over the plans weighted by the months each covers (less
the months missed on CLTN or tugas belajar), on Di Bawah = 1, Sesuai = 2, Di Atas = 3, rounded
to the nearest rating; a tie goes to the later plan (the person's current position), and the
predikat follows from the matrix as for any evaluation. A plan without a set final evaluation
leaves the year without a combined result: nothing is guessed. `combine` is pure.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from kinerja.appraisal.predikat import Predikat, Rating, predikat

SCORE = {Rating.BELOW: 1, Rating.AS_EXPECTED: 2, Rating.ABOVE: 3}
BY_SCORE = {score: rating for rating, score in SCORE.items()}


@dataclass(frozen=True)
class Part:
    """One plan's final evaluation and how many months of the year it weighs."""
    months: int
    result: Rating
    behaviour: Rating


@dataclass(frozen=True)
class Combined:
    result: Rating
    behaviour: Rating
    predikat: Predikat


def _weighted(parts: Sequence[Part], pick) -> Rating:
    total = sum(p.months for p in parts)
    mean = Fraction(sum(p.months * SCORE[pick(p)] for p in parts), total)
    low = int(mean)
    if mean - low == Fraction(1, 2):  # a tie: the later plan's side of it
        latest = SCORE[pick(parts[-1])]
        return BY_SCORE[low + 1 if latest > low else low]
    return BY_SCORE[min(3, max(1, round(mean)))]


def combine(parts: Sequence[Part]) -> Combined | None:
    """The year's ratings and predikat from the plans' final evaluations, in the plans' order
    (earliest first); None when no part weighs anything."""
    parts = [p for p in parts if p.months > 0]
    if not parts:
        return None
    result = _weighted(parts, lambda p: p.result)
    behaviour = _weighted(parts, lambda p: p.behaviour)
    return Combined(result, behaviour, predikat(result, behaviour))

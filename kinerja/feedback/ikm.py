"""SKM/IKM arithmetic of PermenPANRB 14/2017, on plain numbers (no database, no Flask).

NRR of an element = sum of its answers / number of answers; IKM = sum of NRR x the weight (the
regulation writes 1/9 and its worksheet works with 0.111; which one is a convention chosen per
year, WEIGHTS); the unit's value = IKM x 25, rounded to two decimals;
mutu follows from that converted value. Decimal throughout, so a figure is the same on every
machine and matches a hand calculation. Internally exact fractions: 10/3 x 0.111 summed in
decimals could land a hair under a rounding boundary that the hand calculation is on.
"""
import math
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

ELEMENTS = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
ELEMENT_NAMES = {
    "U1": "Persyaratan",
    "U2": "Sistem, Mekanisme dan Prosedur",
    "U3": "Waktu Penyelesaian",
    "U4": "Biaya/Tarif",
    "U5": "Produk Spesifikasi Jenis Pelayanan",
    "U6": "Kompetensi Pelaksana",
    "U7": "Perilaku Pelaksana",
    "U8": "Penanganan Pengaduan, Saran dan Masukan",
    "U9": "Sarana dan Prasarana",
}
# The two conventions for an element's weight: the worksheet's rounded 0.111 and 1/9 exact.
# 0.111 is 0.999 of 1/9, so a result near a grade boundary can fall on either side: an average
# NRR of 3.0664 converts to 76.66 (B) with 1/9 and to 76.58 (C) with 0.111.
WEIGHTS = {"0.111": Fraction(111, 1000), "1/9": Fraction(1, 9)}
DEFAULT_WEIGHT = "0.111"
WEIGHT = WEIGHTS[DEFAULT_WEIGHT]
CONVERSION = 25
# Upper bounds of the converted value (25-100) for each mutu, from the regulation's table.
MUTU_BOUNDS = ((Decimal("64.99"), "D", "Tidak Baik"), (Decimal("76.60"), "C", "Kurang Baik"),
               (Decimal("88.30"), "B", "Baik"), (Decimal("100.00"), "A", "Sangat Baik"))
# Krejcie and Morgan: service population -> respondents needed (a table, read upwards).
KREJCIE_MORGAN = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44),
    (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76),
    (100, 80), (110, 86), (120, 92), (130, 97), (140, 103), (150, 108), (160, 113), (170, 118),
    (180, 123), (190, 127), (200, 132), (210, 136), (220, 140), (230, 144), (240, 148),
    (250, 152), (260, 155), (270, 159), (280, 162), (290, 165), (300, 169), (320, 175),
    (340, 181), (360, 186), (380, 191), (400, 196), (420, 201), (440, 205), (460, 210),
    (480, 214), (500, 217), (550, 226), (600, 234), (650, 242), (700, 248), (750, 254),
    (800, 260), (850, 265), (900, 269), (950, 274), (1000, 278), (1100, 285), (1200, 291),
    (1300, 297), (1400, 302), (1500, 306), (1600, 310), (1700, 313), (1800, 317), (1900, 320),
    (2000, 322), (2200, 327), (2400, 331), (2600, 335), (2800, 338), (3000, 341), (3500, 346),
    (4000, 351), (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368),
    (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (1000000, 384),
)


@dataclass(frozen=True)
class Ikm:
    respondents: int
    nrr: dict[str, Decimal | None]    # per element; None when nobody answered it
    ikm: Decimal | None               # 1-4 scale
    converted: Decimal | None         # 25-100 scale
    mutu: str | None                  # A, B, C, D
    performance: str | None           # Sangat Baik ... Tidak Baik

    @property
    def weakest(self) -> list[str]:
        """The element(s) with the lowest NRR: where the unit should act first."""
        answered = {e: v for e, v in self.nrr.items() if v is not None}
        if not answered:
            return []
        low = min(answered.values())
        return [e for e, v in answered.items() if v == low]


def _decimal(value: Fraction) -> Decimal:
    with localcontext() as context:
        context.prec = 28
        return Decimal(value.numerator) / Decimal(value.denominator)


def _round_half_up(value: Fraction, places: int = 2) -> Decimal:
    scaled = value * 10 ** places
    return Decimal(math.floor(scaled + Fraction(1, 2))).scaleb(-places)


def nrr(total: int, count: int) -> Decimal | None:
    return _decimal(Fraction(total, count)) if count else None


def mutu_of(converted: Decimal) -> tuple[str, str]:
    for upper, mutu, performance in MUTU_BOUNDS:
        if converted <= upper:
            return mutu, performance
    raise ValueError(f"converted IKM out of range: {converted}")


def compute(sums: dict[str, int], counts: dict[str, int], respondents: int,
            weight: Fraction = WEIGHT) -> Ikm:
    """IKM from per-element sums and answer counts (what the rollups keep), each NRR times
    `weight` (a WEIGHTS value).

    An IKM needs all nine elements answered at least once; otherwise the NRR that exist are
    reported and the index is left empty rather than computed from a partial survey.
    """
    values = {e: nrr(sums.get(e, 0), counts.get(e, 0)) for e in ELEMENTS}
    if any(v is None for v in values.values()):
        return Ikm(respondents, values, None, None, None, None)
    index = sum((Fraction(sums[e], counts[e]) * weight for e in ELEMENTS), Fraction(0))
    converted = _round_half_up(index * CONVERSION)
    mutu, performance = mutu_of(converted)
    return Ikm(respondents, values, _decimal(index), converted, mutu, performance)


def compute_from_answers(answers: list[dict[str, int]], weight: Fraction = WEIGHT) -> Ikm:
    """IKM from individual answers ({"U1": 3, ...}; missing elements skipped)."""
    sums = {e: 0 for e in ELEMENTS}
    counts = {e: 0 for e in ELEMENTS}
    for answer in answers:
        for element, value in answer.items():
            if element in sums and value is not None:
                if not 1 <= value <= 4:
                    raise ValueError(f"{element} must be 1-4, not {value}")
                sums[element] += value
                counts[element] += 1
    return compute(sums, counts, len(answers), weight)


def weighted(nrr_value: Decimal | None, weight: Fraction = WEIGHT) -> Decimal | None:
    """An element's NRR tertimbang (NRR x the weight), as the regulation's worksheet prints it."""
    return _decimal(Fraction(nrr_value) * weight) if nrr_value is not None else None


def converted_cents(sums: dict[str, int], counts: dict[str, int],
                    weight: Fraction = WEIGHT) -> int | None:
    """compute(...).converted x 100 as an integer, in integer arithmetic only: the same value
    without Fractions and Decimals, for sorting thousands of counters (~0.1 ms each). None
    when an element has no answer, as compute leaves the index empty then."""
    numerator, denominator = 0, 1
    for element in ELEMENTS:
        count = counts.get(element, 0)
        if not count:
            return None
        numerator = numerator * count + sums.get(element, 0) * denominator
        denominator *= count
    # round_half_up(n/d x w x 25 x 100) = floor((2 n w_num 2500 + d w_den) / (2 d w_den))
    scale = weight.numerator * CONVERSION * 100 * 2
    divisor = weight.denominator * 2
    return (numerator * scale + denominator * divisor // 2) // (denominator * divisor)


def one_tap_index(score_counts: dict[int, int]) -> Decimal | None:
    """The average one-tap face (1-4), reported apart from the nine-element IKM."""
    total = sum(score_counts.get(s, 0) for s in (1, 2, 3, 4))
    if not total:
        return None
    return _decimal(Fraction(sum(s * score_counts.get(s, 0) for s in (1, 2, 3, 4)), total))


def sample_needed(population: int) -> int:
    """Respondents needed for a service population (Krejcie and Morgan, next row up)."""
    if population <= 0:
        return 0
    for size, needed in KREJCIE_MORGAN:
        if population <= size:
            return min(needed, population)
    return KREJCIE_MORGAN[-1][1]

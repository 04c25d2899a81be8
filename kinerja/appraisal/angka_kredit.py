"""Angka kredit of a jabatan fungsional from its predikat (PermenPANRB 1/2023, art. 37; the
periodic conversion as Peraturan BKN 3/2023 works it): the predikat's percentage of the
jenjang's yearly coefficient, pro rata for the months an evaluation covers. Plain values, no
database, no app: tested case by case.
"""
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from kinerja.appraisal.predikat import Predikat
from kinerja.organisation.asn import Jenjang, PositionKind

# Art. 37(1): the share of the yearly coefficient each predikat earns.
PERCENT: dict[Predikat, int] = {
    Predikat.VERY_GOOD: 150,
    Predikat.GOOD: 100,
    Predikat.NEEDS_IMPROVEMENT: 75,
    Predikat.POOR: 50,
    Predikat.VERY_POOR: 25,
}
# The yearly coefficient of each jenjang (the regulation's annex).
YEARLY_COEFFICIENT: dict[Jenjang, Fraction] = {
    Jenjang.PEMULA: Fraction("3.75"),
    Jenjang.TERAMPIL: Fraction(5),
    Jenjang.MAHIR: Fraction("12.5"),
    Jenjang.PENYELIA: Fraction(25),
    Jenjang.AHLI_PERTAMA: Fraction("12.5"),
    Jenjang.AHLI_MUDA: Fraction(25),
    Jenjang.AHLI_MADYA: Fraction("37.5"),
    Jenjang.AHLI_UTAMA: Fraction(50),
}
# Credits are written with three decimals (a month of Ahli Muda at Baik: 25 / 12 = 2,083).
PLACES = Decimal("0.001")


def angka_kredit(predikat: Predikat | None, jenjang: Jenjang | None,
                 months: int = 12) -> Decimal | None:
    """The credit earned over `months` months (12: the year; 1: a month; 3: a quarter), to three
    decimals rounded half up; None without a predikat or a jenjang."""
    if predikat is None or jenjang is None:
        return None
    if not 1 <= months <= 12:
        raise ValueError(f"months must be 1 to 12, not {months}")
    exact = YEARLY_COEFFICIENT[Jenjang(jenjang)] * PERCENT[Predikat(predikat)] / 100 * months / 12
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        PLACES, rounding=ROUND_HALF_UP)


def credit_for(kind: PositionKind | None, jenjang: Jenjang | None, predikat: Predikat | None,
               months: int = 12) -> Decimal | None:
    """The angka kredit of an employee's evaluation: only a fungsional with a jenjang earns one
    (a structural or pelaksana position has none: blank, not zero)."""
    if kind is not PositionKind.FUNGSIONAL:
        return None
    return angka_kredit(predikat, jenjang, months)

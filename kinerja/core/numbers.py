"""Exact arithmetic for figures people compare: fractions in, percentages rounded half up out."""
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def as_fraction(value) -> Fraction:
    """A stored amount (Decimal, int, or a float from SQLite's arithmetic) as an exact fraction."""
    return Fraction(Decimal(str(value)) if isinstance(value, float) else value)


def percent(part: Fraction, whole: Fraction) -> Decimal:
    """part / whole as a percentage with one decimal, rounded half up."""
    ratio = part / whole * 100
    return (Decimal(ratio.numerator) / Decimal(ratio.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)

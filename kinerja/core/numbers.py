"""Exact arithmetic for figures people compare (fractions in, percentages rounded half up out), and
amounts written the reader's way."""
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from babel.numbers import format_decimal
from flask_babel import get_locale


def as_fraction(value) -> Fraction:
    """A stored amount (Decimal, int, or a float from SQLite's arithmetic) as an exact fraction."""
    return Fraction(Decimal(str(value)) if isinstance(value, float) else value)


def percent(part: Fraction, whole: Fraction) -> Decimal:
    """part / whole as a percentage with one decimal, rounded half up."""
    ratio = part / whole * 100
    return (Decimal(ratio.numerator) / Decimal(ratio.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_amount(value) -> str:
    """A target or a realised amount: thousands grouped, at most two decimals ("1.250,5")."""
    return format_decimal(value, format="#,##0.##", locale=get_locale())

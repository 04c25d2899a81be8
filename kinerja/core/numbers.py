"""Exact arithmetic for figures people compare (fractions in, percentages rounded half up out), and
amounts written the reader's way."""
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from babel import Locale
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from flask_babel import get_locale

DEFAULT_LOCALE = "id"  # outside a request (a job, the CLI) numbers are read the Indonesian way
# Digits grouped by thousands with "." or ",": 2.400, 1.250.000 (never a leading 0).
_GROUPED = {sep: re.compile(r"[1-9]\d{0,2}(?:" + re.escape(sep) + r"\d{3})+") for sep in ".,"}
_PLAIN = re.compile(r"\d+(?:\.\d+)?|\.\d+")


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


def parse_number(text) -> Decimal:
    """A number typed the reader's way: "2.400" and "3,5" in Indonesian, "2,400" and "3.5" in
    English; "1.250,5" and "1,250.5" in either. Also the plain way a form showed it before
    ("35.00"): a lone separator that cannot be grouping is the decimal one. ValueError if it is
    no number."""
    raw = "".join(str(text if text is not None else "").split()).replace("\u202f", "")
    locale = Locale.parse(get_locale() or DEFAULT_LOCALE)
    group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    if group not in ".,":  # a locale grouping with spaces or apostrophes: they are gone already
        group = "," if decimal == "." else "."
    body = raw.lstrip("+-")
    if "." in body and "," in body:
        # Both: the last one written separates the decimals.
        group, decimal = (",", ".") if body.rfind(".") > body.rfind(",") else (".", ",")
        body = body.replace(group, "")
    elif group in body and not _GROUPED[group].fullmatch(body):
        if body.count(group) > 1:
            raise ValueError(text)
        group, decimal = decimal, group  # "35.00", "12.5": the plain way
    body = body.replace(group, "").replace(decimal, ".")
    if not _PLAIN.fullmatch(body):
        raise ValueError(text)
    value = Decimal(body)
    return -value if raw.startswith("-") else value

"""The performance share of the regional allowance (TPP): a weighted mean of component scores.

Pure: plain values in, exact fractions out, no database and no app (like appraisal/predikat.py),
so the sheet, its Excel and PDF, and the API agree to the digit and the rule is tested with
plain numbers. Each component scores 0..1; one that does not apply to a person (no counter
duty, no evaluation yet, no quantity indicator) is left out and the remaining weights are
renormalised, so nobody loses a share for a duty they do not have.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask_babel import lazy_gettext as _l

COMPONENTS = ("predikat", "realisation", "regularity", "hours", "ikm")
LABELS = {"predikat": _l("Predikat"), "realisation": _l("Realisasi"),
          "regularity": _l("Keteraturan laporan"), "hours": _l("Jam kegiatan terverifikasi"),
          "ikm": _l("IKM")}
DEFAULT_WEIGHTS = {"predikat": 40, "realisation": 30, "regularity": 10, "hours": 10, "ikm": 10}
# The predikat's percentage of the share (Predikat values); the regulation's usual table.
DEFAULT_PREDIKAT_PERCENT = {"sangat_baik": 100, "baik": 100, "butuh_perbaikan": 75,
                            "kurang": 50, "sangat_kurang": 25}
DEFAULT_HOURS_PER_DAY = Fraction(15, 2)
ONE = Fraction(1)


@dataclass(frozen=True)
class Inputs:
    """One person's month. None: the component does not apply (see the module's note)."""
    predikat: str | None = None            # a Predikat value
    predikat_label: str | None = None
    realisation: Fraction | None = None    # achievement against the month's due share
    active_days: int = 0                   # working days with at least one activity
    working_days: int = 0
    verified_minutes: int = 0
    ikm: Fraction | None = None            # 25..100 (the converted IKM); None: no counter duty


@dataclass(frozen=True)
class Component:
    key: str
    score: Fraction
    weight: int
    detail: str  # what the score is made of ("Baik 100%", "18/20 hari")

    @property
    def label(self) -> str:
        return str(LABELS[self.key])


@dataclass(frozen=True)
class Share:
    components: tuple[Component, ...]
    left_out: tuple[str, ...]   # keys of the components that do not apply
    share: Fraction | None      # None: nothing applies (or every weight is 0)

    @property
    def weight_total(self) -> int:
        return sum(c.weight for c in self.components)


def number_text(value: Fraction, places: int = 2) -> str:
    """A number the Indonesian way, rounded half up, trailing zeros dropped ("157,5")."""
    number = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def percent_text(value: Fraction, places: int = 2) -> str:
    """A fraction as a percentage ("87,5%")."""
    return number_text(value * 100, places) + "%"


def _capped(value: Fraction) -> Fraction:
    return min(max(value, Fraction(0)), ONE)


def scores(inputs: Inputs, predikat_percent: dict[str, int],
           hours_per_day: Fraction) -> dict[str, tuple[Fraction, str] | None]:
    """Each component's score 0..1 and its detail, None where it does not apply."""
    result: dict[str, tuple[Fraction, str] | None] = dict.fromkeys(COMPONENTS)
    if inputs.predikat is not None:
        pct = predikat_percent.get(inputs.predikat, 0)
        result["predikat"] = (_capped(Fraction(pct, 100)),
                              f"{inputs.predikat_label or inputs.predikat} {pct}%")
    if inputs.realisation is not None:
        result["realisation"] = (_capped(inputs.realisation), percent_text(inputs.realisation))
    if inputs.working_days > 0:
        result["regularity"] = (_capped(Fraction(inputs.active_days, inputs.working_days)),
                                str(_l("%(done)s/%(due)s hari", done=inputs.active_days,
                                       due=inputs.working_days)))
        expected = hours_per_day * inputs.working_days
        hours = Fraction(inputs.verified_minutes, 60)
        result["hours"] = (_capped(hours / expected) if expected > 0 else Fraction(0),
                           str(_l("%(done)s/%(due)s jam", done=number_text(hours),
                                  due=number_text(expected))))
    if inputs.ikm is not None:
        result["ikm"] = (_capped(inputs.ikm / 100), percent_text(inputs.ikm / 100))
    return result


def compute(inputs: Inputs, weights: dict[str, int], predikat_percent: dict[str, int],
            hours_per_day: Fraction) -> Share:
    """The share: sum(weight x score) / sum(weight) over the components that apply."""
    parts, left_out = [], []
    for key, found in scores(inputs, predikat_percent, hours_per_day).items():
        if found is None:
            left_out.append(key)
            continue
        parts.append(Component(key, found[0], int(weights.get(key, 0)), found[1]))
    total = sum(c.weight for c in parts)
    share = sum((c.score * c.weight for c in parts), Fraction(0)) / total if total > 0 else None
    return Share(tuple(parts), tuple(left_out), share)


def explain(share: Share) -> str:
    """The share in words: each component's score × weight, the left-out ones, the result."""
    pieces = [str(_l("%(label)s %(detail)s = %(score)s × bobot %(weight)s", label=c.label,
                     detail=c.detail, score=percent_text(c.score), weight=c.weight))
              for c in share.components]
    if share.left_out:
        pieces.append(str(_l("tidak berlaku: %(names)s (bobot lainnya dinormalkan)",
                             names=", ".join(str(LABELS[k]) for k in share.left_out))))
    if share.share is None:
        pieces.append(str(_l("bagian kinerja tidak dapat dihitung")))
    else:
        pieces.append(str(_l("bagian kinerja = %(share)s", share=percent_text(share.share))))
    return "; ".join(pieces)

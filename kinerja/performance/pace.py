"""Pure arithmetic of realisation over the year: an indicator's months, what is due by a day, pace.

No database and no request here: plain numbers and dates in, exact results out, so the realisation
page, the progress report, the heatmap, the unit figures, awards and the API agree to the digit.

Direction. Most targets are met at or above them (higher is better). A time (waktu) or cost
(biaya) target is met at or *below* it (lower is better: "3 days" done in 2 is ahead, in 5 is
behind). `achievement` is the one rule for both:
- higher is better: realised / target (18 of 12 is 150%);
- lower is better: target / realised (3 days done in 2 is 150%, in 5 is 60%); a realisation of
  0 (done the same day, at no cost) has no ratio and counts as LOWER_AT_ZERO, 200%: what the
  SAKIP formula for negative indicators, (2 x target - realised) / target, gives at 0.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from kinerja.core.labels import LabelledEnum
from kinerja.core.numbers import as_fraction, percent

if TYPE_CHECKING:
    from kinerja.performance.models import Period

MONTHS = range(1, 13)
ON_TRACK_FROM = Fraction(1)  # realised / expected
SLIGHTLY_BEHIND_FROM = Fraction(4, 5)
ZERO = Decimal(0)
LOWER_AT_ZERO = Fraction(2)


class PaceStatus(LabelledEnum):
    AHEAD = "ahead", _l("Melampaui target")     # quality, time, cost: the target itself beaten
    ON_TRACK = "on_track", _l("Sesuai target")                # at or above the pace expected today
    SLIGHTLY_BEHIND = "slightly_behind", _l("Sedikit tertinggal")  # at least 80% of it
    BEHIND = "behind", _l("Tertinggal")                       # below 80% of it
    NO_DATA = "no_data", _l("Belum diisi")                    # nothing entered yet (quality, time, cost)


def elapsed_fraction(year: int, today: date) -> Fraction:
    """The share of `year` gone by at the end of `today`: 1/365 on 1 January, 1 on 31 December,
    0 before the year starts and 1 after it ends. Exact, so a pace of 100% is exactly 100%."""
    if today.year < year:
        return Fraction(0)
    if today.year > year:
        return Fraction(1)
    return Fraction(today.timetuple().tm_yday, 366 if calendar.isleap(year) else 365)


def month_fraction(year: int, month: int, today: date) -> Fraction | None:
    """The share of the yearly target due by the end of `month`: month/12 for a finished month,
    the days gone by for the running one, None for a month that has not started."""
    if (year, month) > (today.year, today.month):
        return None
    if (year, month) == (today.year, today.month):
        return elapsed_fraction(year, today)
    return Fraction(month, 12)


@dataclass(frozen=True)
class Term:
    """The days over which an SKP's yearly targets are spread: from the day the plan applies
    (the period's start, or the day it was first agreed if that came later) to the period's
    end. A plan agreed in December is not expected to have delivered January to November."""
    starts: date
    ends: date

    @property
    def days(self) -> int:
        return (self.ends - self.starts).days + 1

    def share_by(self, day: date) -> Fraction:
        """The share of the targets due at the end of `day`: 0 before the term, 1 from its last
        day on, the days gone by in between (the first day counts once it is under way)."""
        if day < self.starts:
            return Fraction(0)
        if day >= self.ends:
            return Fraction(1)
        return Fraction((day - self.starts).days + 1, self.days)

    def month_end_share(self, year: int, month: int, today: date) -> Fraction | None:
        """The share due by the end of `month` (what a chart's end-of-month point shows, so
        December is 100%); None for a month that has not started by `today`."""
        if (year, month) > (today.year, today.month):
            return None
        return self.share_by(date(year, month, calendar.monthrange(year, month)[1]))

    def first_month(self, year: int) -> int:
        """The first month of `year` the term reaches (13 when it starts after that year)."""
        if self.starts.year < year:
            return 1
        return self.starts.month if self.starts.year == year else 13


def term_of(period_starts: date, period_ends: date, agreed_on: date | None) -> Term:
    """The term of a plan in a period, given the day it was first agreed. A plan not agreed
    yet is held to the whole period, as before it is agreed nothing says otherwise."""
    if agreed_on is None:
        return Term(period_starts, period_ends)
    return Term(min(max(period_starts, agreed_on), period_ends), period_ends)


def default_month(period: Period, today: date) -> int:
    """The month a page of the period opens on: the running one, December of a past year,
    January of a coming one."""
    if period.year == today.year:
        return today.month
    return 12 if period.year < today.year else 1


def status_of(ratio: Fraction | None) -> PaceStatus:
    """realised / expected -> on track (>= 100%), a little behind (>= 80%), behind."""
    if ratio is None:
        return PaceStatus.NO_DATA
    if ratio >= ON_TRACK_FROM:
        return PaceStatus.ON_TRACK
    if ratio >= SLIGHTLY_BEHIND_FROM:
        return PaceStatus.SLIGHTLY_BEHIND
    return PaceStatus.BEHIND


@dataclass(frozen=True)
class Pace:
    realised: Decimal | None
    target: Decimal
    expected: Decimal
    percent_of_target: Decimal | None
    percent_of_pace: Decimal | None
    status: PaceStatus

    @property
    def status_label(self):
        return self.status.label


def achievement(realised, target, lower_is_better: bool = False) -> Fraction:
    """How much of `target` is achieved, as a fraction (1 = exactly met): see the module's
    note on direction. `target` must be positive."""
    realised_f, target_f = as_fraction(realised), as_fraction(target)
    if not lower_is_better:
        return realised_f / target_f
    if realised_f <= 0:
        return LOWER_AT_ZERO
    return target_f / realised_f


def beats(realised, target, lower_is_better: bool = False) -> bool:
    """Is the realisation strictly better than the target (above it, or below it for lower)?"""
    realised_f, target_f = as_fraction(realised), as_fraction(target)
    return realised_f < target_f if lower_is_better else realised_f > target_f


def pace(realised, target, elapsed: Fraction, *, cumulative: bool = True,
         lower_is_better: bool = False) -> Pace:
    """Realisation against the yearly target and against the pace expected by now.

    `cumulative` (quantity) expects target x elapsed share of the year; other aspects expect
    the target itself from the start, and are ahead once they beat it (a 3-day target done in
    2). `lower_is_better` turns the ratios round (see `achievement`). A target of 0 is refused
    (the SKP refuses it upstream).
    """
    target_f = as_fraction(target)
    if target_f <= 0:
        raise ValueError("target must be positive")
    expected_f = target_f * elapsed if cumulative else target_f
    expected = (Decimal(expected_f.numerator) / Decimal(expected_f.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)
    if realised is None:
        return Pace(None, Decimal(str(target)), expected, None, None, PaceStatus.NO_DATA)
    ratio = achievement(realised, expected_f, lower_is_better) if expected_f > 0 else None
    if not cumulative and beats(realised, target_f, lower_is_better):
        status = PaceStatus.AHEAD
    else:
        # Nothing is due before the year starts: that is on track, not "no data".
        status = status_of(ratio) if ratio is not None else PaceStatus.ON_TRACK
    return Pace(
        realised=Decimal(str(realised)), target=Decimal(str(target)), expected=expected,
        percent_of_target=percent(achievement(realised, target_f, lower_is_better), Fraction(1)),
        percent_of_pace=percent(ratio, Fraction(1)) if ratio is not None else None,
        status=status,
    )


def percent_of_target(realised: Decimal | None, target: Decimal,
                      lower_is_better: bool = False) -> Decimal | None:
    """Realised (to some month's end) as a percentage of the yearly target, the direction
    respected (`achievement`); None when nothing is realised or there is no target."""
    if realised is None or target <= 0:
        return None
    return percent(achievement(realised, target, lower_is_better), Fraction(1))


@dataclass
class MonthlySeries:
    """One indicator's year: the activity sum and the entered value per month."""
    quantity: bool
    sums: dict[int, Decimal] = field(default_factory=dict)
    values: dict[int, Decimal | None] = field(default_factory=dict)

    def effective(self, month: int) -> Decimal | None:
        entered = self.values.get(month)
        if entered is not None or not self.quantity:
            return entered
        return self.sums.get(month, ZERO)

    def cumulative(self, month: int) -> Decimal | None:
        """To the end of `month`: the sum for quantity, the latest entered value otherwise."""
        if self.quantity:
            return sum((self.effective(m) for m in range(1, month + 1)), ZERO)
        for m in range(month, 0, -1):
            if self.values.get(m) is not None:
                return self.values[m]
        return None

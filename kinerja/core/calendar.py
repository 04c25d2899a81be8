"""Dates as a unit sees them: Indonesia's three time zones, "today" in a zone, working days and
the rhythm of evaluation points. Pure: the standard library only, so every area and the pure
rules may use it.

Working days are Monday to Friday minus the holidays a caller passes (national holidays, cuti
bersama and local days come from the holiday calendar); with none passed, every weekday counts.
"""
import enum
from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from kinerja.core.labels import LabelledEnum


class Cadence(LabelledEnum):
    """How often a performance year is evaluated between its annual evaluations."""
    MONTHLY = "bulanan", _l("Bulanan")
    QUARTERLY = "triwulanan", _l("Triwulanan")


class TimeZone(enum.StrEnum):
    """A unit's zone: WIB, WITA or WIT."""
    WIB = "WIB"
    WITA = "WITA"
    WIT = "WIT"

    @property
    def iana(self) -> str:
        return {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}[self.value]


DEFAULT_ZONE = TimeZone.WIB  # where a person or place has no unit (the capital's zone)
NO_HOLIDAYS: frozenset[date] = frozenset()


def zone_info(zone: TimeZone | str | None = None) -> ZoneInfo:
    """The IANA zone of WIB/WITA/WIT; WIB when there is none."""
    return ZoneInfo(TimeZone(zone or DEFAULT_ZONE).iana)


def local_date(moment: datetime, zone: TimeZone | str | None = None) -> date:
    """The date an aware moment falls on in a zone (WIB when there is none)."""
    return moment.astimezone(zone_info(zone)).date()


def today_in(zone: TimeZone | str | None = None, now: datetime | None = None) -> date:
    """Today's date in a zone (WIB when there is none): a day's work is the local day's."""
    return local_date(now or datetime.now(UTC), zone)


def week_start(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def is_working_day(day: date, holidays: Collection[date] = NO_HOLIDAYS) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, count: int, holidays: Collection[date] = NO_HOLIDAYS) -> date:
    """The `count`-th working day after `start` (a start on a Saturday with five days ends on
    Friday of the next week)."""
    day, counted = start, 0
    while counted < count:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
    return day


def previous_working_day(day: date, holidays: Collection[date] = NO_HOLIDAYS) -> date:
    day -= timedelta(days=1)
    while not is_working_day(day, holidays):
        day -= timedelta(days=1)
    return day


def working_days(start: date, end: date, holidays: Collection[date] = NO_HOLIDAYS) -> Iterator[date]:
    """Every working day from start to end inclusive (none when end is before start)."""
    day = start
    while day <= end:
        if is_working_day(day, holidays):
            yield day
        day += timedelta(days=1)


def count_working_days(start: date, end: date, holidays: Collection[date] = NO_HOLIDAYS) -> int:
    """How many working days from start to end inclusive (0 when end is before start)."""
    if end < start:
        return 0
    full_weeks, rest = divmod((end - start).days + 1, 7)
    count = full_weeks * 5 + sum(1 for offset in range(rest)
                                 if (start + timedelta(days=full_weeks * 7 + offset)).weekday() < 5)
    return count - sum(1 for day in holidays if start <= day <= end and day.weekday() < 5)

"""Dates and times written the reader's way, in one style everywhere: month names, not numbers
("6 Des 2026"), times to the minute with the zone they are in ("6 Des 2026 10.14 WITA").

Stored moments are UTC; they are shown in a zone (the reader's unit's, see web.rendering).
Official documents (the SKP and evaluation PDFs, the letterheads) keep their own formats.
"""
from datetime import date, datetime, time

from babel.dates import format_date, format_time
from flask_babel import get_locale

from kinerja.core import calendar
from kinerja.core.calendar import TimeZone

# The ways a day may be written; a template names the style, never a pattern.
DAY_STYLES = {
    "medium": "d MMM y",           # 6 Des 2026: lists, tables, running text
    "long": "d MMMM y",            # 6 Desember 2026: headings, letters
    "full": "EEEE, d MMMM y",      # Minggu, 6 Desember 2026: a day's own page
    "weekday": "EEE, d MMM y",     # Min, 6 Des 2026: a dated entry in a feed
    "month": "MMMM y",             # Desember 2026
    "day_month": "d MMMM",         # 6 Desember: the first day of a range in one year
    "day_month_short": "d MMM",    # 6 Des: a day in a list under its year
    "weekday_day_month": "EEEE, d MMMM",  # Minggu, 6 Desember: today, in a panel
    "weekday_name": "EEE",         # Min: a column of a week
}


def format_day(value: date | datetime | None, style: str = "medium") -> str:
    """A calendar day in one of DAY_STYLES ("" for None). A datetime is taken as it is: turn
    a stored moment into its zone's day first (calendar.local_date) or use format_moment."""
    if value is None:
        return ""
    return format_date(value, DAY_STYLES[style], locale=get_locale())


def format_clock(value: time | datetime | None) -> str:
    """A time of day to the minute, the reader's way: 10.14 in Indonesian, 10:14 AM in English."""
    if value is None:
        return ""
    return format_time(value, "short", locale=get_locale())


def format_moment(value: datetime | None, zone: TimeZone | str | None = None, *,
                  with_day: bool = True) -> str:
    """A stored (UTC) moment in `zone` (WIB when there is none), to the minute, with the zone's
    name: "6 Des 2026 10.14 WITA" (with_day=False: "10.14 WITA")."""
    if value is None:
        return ""
    zone = TimeZone(zone or calendar.DEFAULT_ZONE)
    local = value.astimezone(calendar.zone_info(zone))
    clock = format_clock(local)
    return f"{format_day(local)} {clock} {zone.value}" if with_day else f"{clock} {zone.value}"

"""The holiday calendar: the days off that every working-day rule skips.

National holidays come from the `holidays` package (it computes the Islamic, Chinese and Balinese
dates of each year, which no table kept by hand stays right about); they are not stored. HR adds
what a library cannot know: the cuti bersama fixed each year by joint ministerial decree, the
kabupaten's own local days, and a national day the library lacks or names differently (a stored
row wins over the library's entry for its date).

`between(start, end)` is what the rules pass to kinerja.core.calendar as `holidays=`. A request
reads each year once (kept with the database session); the library's part is kept per process,
as it never changes.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import holidays as holiday_library
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.core.labels import LabelledEnum
from kinerja.core.types import UTCDateTime, enum_column, utcnow
from kinerja.extensions import db

if TYPE_CHECKING:  # the kernel names the account table by name; it imports no area
    from kinerja.organisation.models import User

COUNTRY = "ID"
LIBRARY_LANGUAGES = {"id": "id", "en": "en_US"}
_CACHE = "kinerja_holiday_years"


class HolidayKind(LabelledEnum):
    NATIONAL = "nasional", _l("Libur nasional")
    CUTI_BERSAMA = "cuti_bersama", _l("Cuti bersama")
    LOCAL = "lokal", _l("Libur daerah")


class Holiday(db.Model):
    """A day off HR added: cuti bersama, a local day, or a national day the library lacks."""
    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[HolidayKind] = mapped_column(enum_column(HolidayKind))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship("User")


@dataclass(frozen=True)
class Entry:
    """One day off as the calendar page lists it."""
    day: date
    name: str
    kind: HolidayKind
    from_library: bool          # computed from the holidays package, not stored
    stored: Holiday | None = None


@functools.lru_cache(maxsize=64)
def national(year: int, language: str = "id") -> dict[date, str]:
    """The library's national holidays of Indonesia in `year`, by date (Sundays included: an
    Easter Sunday is listed though it changes no working day)."""
    found = holiday_library.country_holidays(COUNTRY, years=year,
                                             language=LIBRARY_LANGUAGES.get(language, "id"))
    return dict(sorted(found.items()))


def _stored(year: int) -> list[Holiday]:
    return list(db.session.scalars(db.select(Holiday).where(
        Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31)).order_by(Holiday.day)))


def days_of(year: int) -> frozenset[date]:
    """Every day off of `year`: the library's national holidays and HR's days."""
    # Kept with the database session, which lives as long as the request (or the job).
    cache = db.session.info.setdefault(_CACHE, {})
    if year not in cache:
        cache[year] = frozenset(national(year)) | frozenset(h.day for h in _stored(year))
    return cache[year]


def between(start: date, end: date) -> frozenset[date]:
    """The days off from start to end inclusive (what calendar's `holidays=` takes). A range of
    a few years reads each year once per request."""
    if end < start:
        return frozenset()
    found: frozenset[date] = frozenset()
    for year in range(start.year, end.year + 1):
        found |= {day for day in days_of(year) if start <= day <= end}
    return frozenset(found)


def around(day: date, years_after: int = 1) -> frozenset[date]:
    """The days off of `day`'s year and the next (a deadline counted from late December runs
    into January): for rules that count forward from a day."""
    return between(date(day.year - 1, 12, 1), date(day.year + years_after, 12, 31))


def forget() -> None:
    """Drop this request's cached years (after HR changed the calendar)."""
    db.session.info.pop(_CACHE, None)


def year_entries(year: int, language: str = "id") -> list[Entry]:
    """The year's days off in date order: each library holiday (unless a stored row replaces
    it) and each stored day."""
    stored = {h.day: h for h in _stored(year)}
    entries = [Entry(day, name, HolidayKind.NATIONAL, True)
               for day, name in national(year, language).items() if day not in stored]
    entries += [Entry(h.day, h.name, h.kind, False, h) for h in stored.values()]
    return sorted(entries, key=lambda e: e.day)


def holiday_name(day: date, language: str = "id") -> str | None:
    """What the day off is called, or None on a day that is not one."""
    stored = db.session.scalar(db.select(Holiday.name).where(Holiday.day == day))
    return stored or national(day.year, language).get(day)

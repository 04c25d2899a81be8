"""HR keeps the holiday calendar: adds the year's cuti bersama and local days (and a national day
the library lacks), removes a wrong one. Every change is audited; the rules read the calendar
through kinerja.core.holidays."""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from kinerja.core import audit, holidays
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.holidays import Entry, Holiday, HolidayKind
from kinerja.core.text import clean_line
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.models import User

MAX_NAME = 120
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass
class YearPage:
    year: int
    entries: list[Entry]
    can_manage: bool

    @property
    def working_day_count(self) -> int:
        """Weekdays off this year (what the rules lose), weekends not counted twice."""
        return sum(1 for e in self.entries if e.day.weekday() < 5)


def _check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise RuleViolation(_l("Tahun di luar jangkauan (%(low)s-%(high)s).", low=FIRST_YEAR,
                               high=LAST_YEAR), field="year")
    return year


def year_page(actor: User, year: int, language: str = "id") -> YearPage:
    if not access.manages_holidays(actor):
        raise NotAllowed()
    year = _check_year(year)
    return YearPage(year, holidays.year_entries(year, language), True)


def add(actor: User, day: date | None, name: str | None, kind: str | None) -> Holiday:
    """Add a day off. One entry per date: a national day of the library may be added again
    (its stored name then replaces the library's)."""
    if not access.manages_holidays(actor):
        raise NotAllowed()
    if day is None:
        raise RuleViolation(_l("Isi tanggal."), field="day")
    _check_year(day.year)
    name = clean_line(name, "name", MAX_NAME)
    try:
        kind = HolidayKind(kind)
    except ValueError:
        raise RuleViolation(_l("Pilih jenis hari libur."), field="kind") from None
    if db.session.scalar(db.select(Holiday.id).where(Holiday.day == day)) is not None:
        raise RuleViolation(_l("Tanggal itu sudah ada di daftar hari libur."), field="day")
    holiday = Holiday(day=day, name=name, kind=kind, created_by_id=actor.id)
    db.session.add(holiday)
    db.session.flush()
    audit.record("holiday.added", actor=actor, subject=holiday, summary=f"{day.isoformat()} {name}",
                 day=day.isoformat(), kind=kind.value)
    db.session.commit()
    holidays.forget()
    return holiday


def remove(actor: User, holiday: Holiday) -> None:
    """Remove a day HR added (the library's national days are not stored, so not removable)."""
    if not access.manages_holidays(actor):
        raise NotAllowed()
    audit.record("holiday.removed", actor=actor, subject=holiday,
                 summary=f"{holiday.day.isoformat()} {holiday.name}", day=holiday.day.isoformat(),
                 kind=holiday.kind.value)
    db.session.delete(holiday)
    db.session.commit()
    holidays.forget()

"""The shared calendar: a unit's today, working days and holidays (plain values, no app)."""
from datetime import UTC, date, datetime

import pytest

from kinerja.core import calendar
from kinerja.core.calendar import TimeZone

MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)


def test_today_is_the_local_day_of_the_zone():
    moment = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
    assert calendar.today_in(TimeZone.WITA, now=moment) == MONDAY  # already 01:30 in Makassar
    assert calendar.today_in(TimeZone.WIB, now=moment) == MONDAY   # 00:30 in Jakarta
    assert calendar.today_in(None, now=datetime(2026, 3, 1, 16, 30, tzinfo=UTC)) == date(2026, 3, 1)
    assert calendar.today_in("WIT", now=datetime(2026, 3, 1, 15, 30, tzinfo=UTC)) == MONDAY


def test_the_week_runs_monday_to_sunday_and_the_previous_working_day_skips_the_weekend():
    assert calendar.week_start(date(2026, 3, 8)) == MONDAY  # a Sunday
    assert calendar.previous_working_day(MONDAY) == date(2026, 2, 27)  # the Friday before
    assert calendar.previous_working_day(date(2026, 3, 4)) == TUESDAY


def test_adding_working_days_skips_the_weekend():
    thursday = date(2026, 11, 26)
    assert calendar.add_working_days(thursday, 5) == date(2026, 12, 3)  # Fri, Mon, Tue, Wed, Thu
    assert calendar.add_working_days(date(2026, 11, 28), 5) == date(2026, 12, 4)  # from a Saturday
    assert calendar.add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday -> Monday


def test_holidays_are_not_working_days():
    christmas = date(2026, 12, 25)  # a Friday
    assert not calendar.is_working_day(christmas, {christmas})
    assert calendar.add_working_days(date(2026, 12, 24), 1, {christmas}) == date(2026, 12, 28)
    assert calendar.previous_working_day(date(2026, 12, 28), {christmas}) == date(2026, 12, 24)
    assert calendar.count_working_days(date(2026, 12, 21), date(2026, 12, 27), {christmas}) == 4
    # A holiday on a weekend takes nothing away.
    assert calendar.count_working_days(date(2026, 12, 21), date(2026, 12, 27), {date(2026, 12, 26)}) == 5


@pytest.mark.parametrize(("start", "end", "days"), [
    (date(2026, 3, 2), date(2026, 3, 8), 5),     # Monday to Sunday
    (date(2026, 3, 7), date(2026, 3, 8), 0),     # a weekend
    (date(2026, 3, 6), date(2026, 3, 9), 2),     # Friday to Monday
    (date(2026, 3, 9), date(2026, 3, 8), 0),     # end before start
    (date(2026, 1, 1), date(2026, 12, 31), 261),
])
def test_working_days_are_monday_to_friday(start, end, days):
    assert calendar.count_working_days(start, end) == days
    assert len(list(calendar.working_days(start, end))) == days

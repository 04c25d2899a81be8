"""Award regularity counts working days on the holiday calendar: a cuti bersama in the award's
week is neither owed nor counted (the scene is test_awards.py's first week of March 2026)."""
from datetime import date

import pytest

from kinerja.recognition import awards
from tests.builders import make_holiday
from tests.recognition.test_awards import NOW, WEEK, scene  # noqa: F401 - the fixture and its clock

pytestmark = pytest.mark.usefixtures("frozen_clock")


def test_a_day_off_in_the_awards_span_is_not_a_working_day(scene):  # noqa: F811
    make_holiday(WEEK[1], "Cuti bersama (contoh)")
    ani = awards.ranking(scene.hr, scene.award, date(2026, 3, 10)).rows[0]
    assert NOW.month == 3
    assert (ani["facts"]["active_days"], ani["facts"]["working_days"]) == (1, 4)
    assert ani["criteria"]["regularity"]["value"] == "25.00"   # 1 of 4, was 2 of 5

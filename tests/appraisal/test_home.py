"""The start page's agenda: my own day as a count, my team's reporting only when I have a team
(0 not reported is the good case), and my progress with achieved / target and percent."""
import re
from datetime import date

import pytest
import time_machine

from kinerja.appraisal import home
from kinerja.performance.models import SkpStatus
from tests.builders import make_activity, make_period, make_rhk, make_skp

MONDAY = "2026-04-13 09:00 +08:00"
SUNDAY = "2026-04-12 09:00 +08:00"


@pytest.fixture
def plans(org):
    """An open 2026 with approved SKPs for Ani and Rudi (Budi's team)."""
    period = make_period(2026)
    rhks = {}
    for user in (org.employee, org.teammate):
        skp = make_skp(user.employee, period, status=SkpStatus.APPROVED)
        rhks[user.username] = make_rhk(skp, "Terverifikasinya berkas", target="10")
    return rhks


def card(page: str, css: str) -> str | None:
    """The text of the first stat card with class `css`, squeezed."""
    found = re.search(rf'<a class="stat[^"]*\b{css}\b[^"]*"[^>]*>(.*?)</a>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


@time_machine.travel(MONDAY, tick=False)
def test_someone_without_a_team_sees_no_team_card_and_no_alarm(login_as, plans):
    page = login_as("employee").get("/").text
    assert card(page, "stat-team-reports") is None
    assert "belum melapor" not in page
    assert card(page, "stat-mine") == "0 kegiatan saya hari ini: belum ada, catat sekarang"
    assert 'class="stat stat-mine"' in page  # a count, not red


@time_machine.travel(MONDAY, tick=False)
def test_a_supervisor_sees_who_has_not_reported_and_zero_is_good(login_as, org, plans):
    make_activity(org.employee.employee, plans["pegawai"], date(2026, 4, 13))
    client = login_as("supervisor")
    page = client.get("/").text
    assert card(page, "stat-warn") == "1 dari 2 bawahan belum melapor hari ini"
    make_activity(org.teammate.employee, plans["rekan"], date(2026, 4, 13))
    page = client.get("/").text
    assert card(page, "stat-good") == "0 bawahan belum melapor hari ini"
    assert card(page, "stat-warn") is None


@time_machine.travel(SUNDAY, tick=False)
def test_on_a_day_off_nobody_is_counted_as_not_reported(org, plans):
    agenda = home.agenda(org.supervisor)
    assert agenda.team_size == 2 and agenda.team_not_reported is None
    assert not agenda.shows_team_reports


@time_machine.travel(MONDAY, tick=False)
def test_my_progress_bars_say_what_is_achieved_of_the_target(login_as, org, plans):
    make_activity(org.employee.employee, plans["pegawai"], date(2026, 4, 1), quantity="2.5")
    make_activity(org.employee.employee, plans["pegawai"], date(2026, 4, 2), quantity="1000")
    page = login_as("employee").get("/").text
    assert "<strong>1.002,5</strong> / 10 dokumen · 10.025% dari target" in page

"""Service alerts: too many complaints at a counter or unit within the window, and an IKM of
mutu C or D over the last 30 days from the rollups, for the head of the unit and HR."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from kinerja.core.calendar import TimeZone
from kinerja.feedback import alerts, ikm
from kinerja.feedback.alerts import COMPLAINTS, IKM, Alert, Sums
from tests.builders import make_complaint, make_counter, make_rollup, make_unit
from tests.queries import counted_statements

# Thursday 26 November 2026, 10:00 WITA.
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")
TODAY = date(2026, 11, 26)


def sums(surveys: int, answer: int) -> Sums:
    return Sums(surveys, {e: answer * surveys for e in ikm.ELEMENTS},
                {e: surveys for e in ikm.ELEMENTS})


# ---------------------------------------------------------------- the rules, on plain numbers


def test_a_counter_alerts_only_above_the_threshold():
    assert alerts.complaint_alerts({(1, 10): 5}, threshold=5) == []
    assert alerts.complaint_alerts({(1, 10): 6}, threshold=5) == [Alert(COMPLAINTS, 1, 10, 6)]


def test_a_unit_alerts_when_its_counters_together_exceed_the_threshold():
    found = alerts.complaint_alerts({(1, 10): 3, (1, 11): 3, (2, 20): 2}, threshold=5)
    assert found == [Alert(COMPLAINTS, 1, None, 6)]


def test_a_unit_with_one_complaining_counter_is_not_said_twice():
    found = alerts.complaint_alerts({(1, 10): 9}, threshold=5)
    assert found == [Alert(COMPLAINTS, 1, 10, 9)]
    both = alerts.complaint_alerts({(1, 10): 9, (1, 11): 1}, threshold=5)
    assert sorted((a.counter_id or 0, a.count) for a in both) == [(0, 10), (10, 9)]


@pytest.mark.parametrize("answers, mutu", [((1,), "D"), ((2,), "D"), ((3,), "C"), ((3, 4), None),
                                           ((4,), None)])
def test_mutu_c_or_d_alerts_and_a_or_b_does_not(answers, mutu):
    counter_sums = Sums()
    for answer in answers:
        counter_sums.add(sums(10, answer))
    found = alerts.ikm_alerts({(1, 10): counter_sums})
    assert [a.mutu for a in found] == ([mutu] if mutu else [])


def test_all_threes_is_mutu_c_because_the_weight_is_rounded():
    # 3 x 0.111 x 9 x 25 = 74.93: below 76.61, so "Kurang Baik" even though every answer is "baik".
    (alert,) = alerts.ikm_alerts({(1, 10): sums(12, 3)})
    assert (alert.kind, alert.mutu, alert.converted, alert.count) == (IKM, "C", Decimal("74.93"), 12)


def test_fewer_than_ten_complete_surveys_never_alert():
    assert alerts.ikm_alerts({(1, 10): sums(9, 1)}) == []
    assert [a.mutu for a in alerts.ikm_alerts({(1, 10): sums(10, 1)})] == ["D"]


def test_a_unit_alerts_on_its_counters_together():
    # Neither counter has ten surveys alone; together the unit has, at mutu D.
    found = alerts.ikm_alerts({(1, 10): sums(6, 2), (1, 11): sums(6, 2)})
    assert [(a.counter_id, a.count, a.mutu) for a in found] == [(None, 12, "D")]


# ---------------------------------------------------------------- from the database


@pytest.fixture
def counters(org):
    return (make_counter(org.section, name="Loket KTP-el"),
            make_counter(org.section, name="Loket Akta"),
            make_counter(org.other_dinas, name="Loket Puskesmas"))


def test_complaints_in_the_window_alert_and_older_ones_do_not(app, org, counters):
    ktp, _, _ = counters
    for hours in range(6):
        make_complaint(ktp, received_at=NOW - timedelta(days=1, hours=hours))
    for _ in range(3):
        make_complaint(ktp, received_at=NOW - timedelta(days=8))
    found = alerts.alerts_for(org.head)
    assert [(a.kind, a.counter_name, a.count) for a in found] == [(COMPLAINTS, "Loket KTP-el", 6)]
    app.config["ALERT_COMPLAINTS_THRESHOLD"] = 6
    assert alerts.alerts_for(org.head) == []


def test_ikm_over_the_last_30_days_from_the_rollups(org, counters):
    ktp, akta, _ = counters
    make_rollup(ktp, TODAY - timedelta(days=3), surveys=12, answer=2)        # D, in the window
    make_rollup(akta, TODAY - timedelta(days=30), surveys=40, answer=1)      # 31 days: outside
    make_rollup(akta, TODAY - timedelta(days=29), surveys=12, answer=4)      # A, inside
    found = alerts.alerts_for(org.hr)
    # The unit's two counters together average 3 on every element: mutu C for the unit.
    assert [(a.kind, a.counter_name, a.mutu, a.converted) for a in found] == [
        (IKM, "Loket KTP-el", "D", Decimal("49.95")), (IKM, "", "C", Decimal("74.93"))]


def test_heads_see_their_units_alerts_and_hr_sees_every_unit(org, counters):
    ktp, _, puskesmas = counters
    make_rollup(ktp, TODAY, surveys=10, answer=1)
    make_rollup(puskesmas, TODAY, surveys=10, answer=1)
    assert {a.counter_name for a in alerts.alerts_for(org.supervisor)} == {"Loket KTP-el"}
    assert {a.counter_name for a in alerts.alerts_for(org.head)} == {"Loket KTP-el"}
    assert {a.counter_name for a in alerts.alerts_for(org.hr)} == {"Loket KTP-el",
                                                                 "Loket Puskesmas"}
    assert alerts.dashboard_alerts(org.employee) is None
    assert alerts.dashboard_alerts(org.admin) is None


def test_the_window_is_the_units_own_days(org):
    # At 00:30 WIT on Friday it is still Thursday in WITA: Friday's rollup counts in Papua only.
    papua = make_unit("Distrik Abepura", time_zone=TimeZone.WIT)
    east, west = make_counter(papua, name="Loket Timur"), make_counter(org.section, name="Loket Barat")
    friday = TODAY + timedelta(days=1)
    make_rollup(east, friday, surveys=10, answer=1)
    make_rollup(west, friday, surveys=10, answer=1)
    with time_machine.travel(datetime(2026, 11, 26, 15, 30, tzinfo=UTC), tick=False):
        assert {a.counter_name for a in alerts.alerts_for(org.hr)} == {"Loket Timur"}


def test_alerts_read_two_grouped_queries_whatever_the_number_of_counters(app, org):
    for n in range(12):
        counter = make_counter(org.section, name=f"Loket {n}")
        make_rollup(counter, TODAY, surveys=10, answer=1 + n % 4)
        for _ in range(n % 7):
            make_complaint(counter)
    assert org.hr.is_hr and org.hr.employee  # loaded before counting
    with counted_statements() as statements:
        found = alerts.alerts_for(org.hr)
    assert len(found) > 3
    # The complaints and the rollups, grouped; the year's IKM weight; then the names of units
    # and of counters.
    assert len(statements) == 5


def test_the_dashboard_shows_each_alert_with_a_reason_and_a_link(login_as, org, counters):
    ktp, akta, _ = counters
    make_rollup(ktp, TODAY, surveys=15, answer=2)
    make_rollup(akta, TODAY, surveys=5, answer=2)
    for _ in range(7):
        make_complaint(ktp)
    page = login_as("supervisor").get("/").text
    assert "Peringatan layanan" in page
    assert "7 pengaduan dalam 7 hari terakhir (batas 5)." in page
    assert f'href="/pengaduan?unit={org.section.id}&amp;loket={ktp.id}"' in page
    assert "IKM 30 hari terakhir 49,95, mutu D, dari 15 survei lengkap." in page
    assert f'href="/ikm?unit={org.section.id}&amp;counter={ktp.id}"' in page
    assert "IKM 30 hari terakhir 49,95, mutu D, dari 20 survei lengkap." in page  # the unit
    assert f'href="/ikm?unit={org.section.id}"' in page
    assert "Peringatan layanan" in login_as("hr").get("/").text
    assert "Peringatan layanan" not in login_as("employee").get("/").text


def test_a_quiet_dashboard_says_so(login_as, counters):
    assert "Tidak ada peringatan" in login_as("head").get("/").text



def test_an_ikm_alert_uses_the_weight_hr_chose_for_the_year():
    """A counter whose IKM sits between the two conventions' C/B boundary alerts under 0.111
    and not under 1/9 (the weights differ by one grade there)."""
    from fractions import Fraction

    from kinerja.feedback.alerts import Sums, ikm_alerts
    sums = Sums()
    # Eight elements at 3.06 and one at 3.1 (NRR): IKM x 25 is 76.53 (C) with 0.111, 76.61 (B)
    # with 1/9.
    boundary = {f"U{n}": 306 for n in range(1, 9)} | {"U9": 310}
    sums.add(Sums(sums=boundary, counts={f"U{n}": 100 for n in range(1, 10)}, surveys=100))
    assert [alert.mutu for alert in ikm_alerts({(1, 1): sums}, min_surveys=1,
                                               weight=Fraction(111, 1000))] == ["C"]
    assert ikm_alerts({(1, 1): sums}, min_surveys=1, weight=Fraction(1, 9)) == []

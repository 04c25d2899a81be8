"""Progress against the year: the pace arithmetic (pure), the SVG charts, the progress pages and
the unit heatmap with its laggards, computed in a fixed number of queries."""
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
import time_machine
from sqlalchemy import event

from kinerja.extensions import db
from kinerja.performance import heatmap as heatmaps
from kinerja.performance.models import ActivityStatus, Period, PeriodStatus
from kinerja.performance.pace import (
    MonthlySeries,
    PaceStatus,
    Term,
    elapsed_fraction,
    pace,
    term_of,
)
from kinerja.performance.progress import progress_report
from tests.builders import (
    make_activity,
    make_employee,
    make_indicator,
    make_period,
    make_realisation,
    make_rhk,
    make_skp,
    make_team,
    make_unit,
)
from web import charts

SVG = "{http://www.w3.org/2000/svg}"

# ---------------------------------------------------------------- the arithmetic, with plain numbers


@pytest.mark.parametrize(("year", "today", "share"), [
    (2026, date(2026, 1, 1), Fraction(1, 365)),    # the first day counts once it is under way
    (2026, date(2026, 7, 2), Fraction(183, 365)),
    (2024, date(2024, 7, 1), Fraction(1, 2)),      # leap year: day 183 of 366
    (2024, date(2024, 12, 31), Fraction(1)),
    (2026, date(2025, 12, 31), Fraction(0)),       # before the year starts
    (2026, date(2027, 3, 1), Fraction(1)),         # after it ended
])
def test_the_elapsed_share_of_the_year_is_counted_in_days(year, today, share):
    assert elapsed_fraction(year, today) == share


YEAR_2026 = (date(2026, 1, 1), date(2026, 12, 31))


def test_a_plan_agreed_in_december_spreads_its_targets_over_december_only():
    term = term_of(*YEAR_2026, agreed_on=date(2026, 12, 1))
    assert term == Term(date(2026, 12, 1), date(2026, 12, 31))
    assert term.share_by(date(2026, 11, 30)) == 0
    assert term.share_by(date(2026, 12, 6)) == Fraction(6, 31)
    assert term.share_by(date(2026, 12, 31)) == 1
    # 2.400 a year: on 6 December 464,52 are due, not the 2.235,62 of a plan running since January.
    assert pace(Decimal("500"), Decimal("2400"), term.share_by(date(2026, 12, 6))).status \
        is PaceStatus.ON_TRACK
    assert pace(Decimal("500"), Decimal("2400"), elapsed_fraction(2026, date(2026, 12, 6))).status \
        is PaceStatus.BEHIND


@pytest.mark.parametrize(("agreed_on", "starts"), [
    (None, date(2026, 1, 1)),              # not agreed yet: held to the whole year
    (date(2025, 12, 20), date(2026, 1, 1)),  # agreed before the year: from its first day
    (date(2026, 3, 15), date(2026, 3, 15)),
    (date(2027, 1, 5), date(2026, 12, 31)),  # agreed after the year: its last day at most
])
def test_the_term_starts_on_the_later_of_the_period_start_and_the_agreement(agreed_on, starts):
    assert term_of(*YEAR_2026, agreed_on=agreed_on).starts == starts


def test_a_whole_year_term_agrees_with_the_elapsed_share_of_the_year():
    term = term_of(*YEAR_2026, agreed_on=None)
    for day in (date(2026, 1, 1), date(2026, 7, 2), date(2026, 12, 31), date(2027, 2, 1)):
        assert term.share_by(day) == elapsed_fraction(2026, day)


def test_end_of_month_shares_reach_the_whole_target_in_december():
    term = term_of(*YEAR_2026, agreed_on=date(2026, 10, 1))
    today = date(2026, 12, 6)
    shares = [term.month_end_share(2026, month, today) for month in range(1, 13)]
    assert shares[:9] == [0] * 9
    assert shares[9:] == [Fraction(31, 92), Fraction(61, 92), Fraction(1)]
    assert term.month_end_share(2026, 12, date(2026, 11, 30)) is None  # not begun
    assert (term.first_month(2026), term.first_month(2027), term.first_month(2025)) == (10, 1, 13)


def test_on_the_first_of_january_one_day_of_work_is_on_track():
    result = pace(Decimal("1"), Decimal("365"), elapsed_fraction(2026, date(2026, 1, 1)))
    assert result.expected == Decimal("1.00")
    assert result.percent_of_pace == Decimal("100.0")
    assert result.status is PaceStatus.ON_TRACK
    assert pace(0, 365, elapsed_fraction(2026, date(2026, 1, 1))).status is PaceStatus.BEHIND


@pytest.mark.parametrize(("realised", "percent_of_target", "percent_of_pace", "status"), [
    ("6", "50.0", "100.0", PaceStatus.ON_TRACK),
    ("4.8", "40.0", "80.0", PaceStatus.SLIGHTLY_BEHIND),   # exactly 80% of the pace
    ("4.79", "39.9", "79.8", PaceStatus.BEHIND),
    ("0", "0.0", "0.0", PaceStatus.BEHIND),
])
def test_mid_year_in_a_leap_year(realised, percent_of_target, percent_of_pace, status):
    result = pace(Decimal(realised), Decimal("12"), elapsed_fraction(2024, date(2024, 7, 1)))
    assert result.expected == Decimal("6.00")
    assert result.percent_of_target == Decimal(percent_of_target)
    assert result.percent_of_pace == Decimal(percent_of_pace)
    assert result.status is status


def test_over_achievement_is_shown_above_100_percent():
    result = pace(Decimal("18"), Decimal("12"), Fraction(1))
    assert (result.percent_of_target, result.percent_of_pace) == (Decimal("150.0"), Decimal("150.0"))
    assert result.status is PaceStatus.ON_TRACK


def test_quality_time_and_cost_are_held_to_the_whole_target_from_the_start():
    result = pace(Decimal("90"), Decimal("95"), Fraction(1, 365), cumulative=False)
    assert result.expected == Decimal("95.00")
    assert result.percent_of_target == result.percent_of_pace == Decimal("94.7")
    assert result.status is PaceStatus.SLIGHTLY_BEHIND
    nothing = pace(None, Decimal("95"), Fraction(1, 2), cumulative=False)
    assert nothing.status is PaceStatus.NO_DATA and nothing.percent_of_target is None


def test_before_the_year_starts_nothing_is_due():
    result = pace(Decimal("0"), Decimal("12"), Fraction(0))
    assert result.percent_of_pace is None and result.status is PaceStatus.ON_TRACK


@pytest.mark.parametrize("target", [0, "0", Decimal("-1")])
def test_a_target_of_zero_is_refused(target):
    with pytest.raises(ValueError):
        pace(Decimal("1"), target, Fraction(1, 2))


def test_a_series_adds_sums_and_adjustments_month_by_month():
    series = MonthlySeries(quantity=True, sums={1: Decimal("2"), 2: Decimal("3"), 3: Decimal("1")},
                           values={2: Decimal("5"), 3: None})
    assert [series.effective(m) for m in (1, 2, 3, 4)] == [2, 5, 1, 0]
    assert series.cumulative(3) == Decimal("8")
    quality = MonthlySeries(quantity=False, values={2: Decimal("80"), 5: Decimal("90")})
    assert (quality.cumulative(1), quality.cumulative(4), quality.cumulative(12)) == (None, 80, 90)


def test_heat_percentages_use_month_twelfths_and_today_for_the_running_month():
    series = MonthlySeries(quantity=True, sums={1: Decimal("1"), 2: Decimal("1"), 3: Decimal("1")})
    values = heatmaps.heat_percentages([(series, Decimal("12"))], 2026, date(2026, 4, 15))
    # April 15 is day 105: 3 / (12 x 105/365) = 86.9%
    assert values[:4] == [Decimal("100.0"), Decimal("100.0"), Decimal("100.0"), Decimal("86.9")]
    assert values[4:] == [None] * 8
    assert heatmaps.heat_class(values[0]) == "heat-good"
    assert heatmaps.heat_class(values[3]) == "heat-warn"
    assert heatmaps.heat_class(Decimal("79.9")) == "heat-bad"
    assert heatmaps.heat_class(None) == "heat-none"


# ---------------------------------------------------------------- the SVG


def _parse(svg: str):
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-label")
    assert root.find(f"{SVG}title") is not None
    for element in root.iter():
        assert "style" not in element.attrib, element.tag
        assert not any(name.startswith("on") for name in element.attrib), element.tag
        assert element.tag != f"{SVG}script"
    return root


def test_the_progress_bar_is_well_formed_and_carries_its_numbers():
    svg = charts.progress_bar(6, 12, Decimal("5.5"), status="on_track",
                                      title="Akta <kelahiran>: realisasi 6 dari 12 & laju 5,5")
    root = _parse(svg)
    assert root.find(f"{SVG}title").text == "Akta <kelahiran>: realisasi 6 dari 12 & laju 5,5"
    assert [t.text for t in root.iter(f"{SVG}text")] == ["0", "12"]
    fill = next(r for r in root.iter(f"{SVG}rect") if "bar-fill" in r.get("class"))
    assert "bar-on_track" in fill.get("class")
    assert float(fill.get("width")) == pytest.approx(392 / 2)  # half the track
    assert root.find(f"{SVG}line[@class='bar-pace']") is not None


def test_over_achievement_stretches_the_scale_and_keeps_the_target_tick():
    root = _parse(charts.progress_bar(18, 12, 12, status="on_track", title="x"))
    target = root.find(f"{SVG}line[@class='bar-target']")
    assert float(target.get("x1")) == pytest.approx(4 + 392 * 12 / 18, abs=0.1)


def test_an_empty_bar_has_no_fill():
    root = _parse(charts.progress_bar(None, 95, 95, status="no_data", title="x"))
    assert not [r for r in root.iter(f"{SVG}rect") if "bar-fill" in r.get("class")]


def test_the_monthly_chart_has_twelve_labels_bars_for_months_reached_and_a_pace_line():
    labels = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    values = [Decimal("8.3"), Decimal("20"), Decimal("125.5")] + [None] * 9
    expected = [Decimal("8.3"), Decimal("16.7"), Decimal("25")] + [None] * 9
    root = _parse(charts.monthly_chart(
        values, expected, labels=labels, title="Realisasi 2026",
        statuses=["on_track", "on_track", "on_track"] + ["no_data"] * 9))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert all(label in texts for label in labels)
    assert {"8.3", "20", "125.5"} <= set(texts)
    assert "150%" in texts  # the axis grows past 100% for over-achievement
    assert len([r for r in root.iter(f"{SVG}rect") if "chart-bar" in r.get("class")]) == 3
    assert len(root.find(f"{SVG}polyline").get("points").split()) == 3


def test_the_monthly_chart_refuses_mismatched_series():
    with pytest.raises(ValueError):
        charts.monthly_chart([1], [1, 2], labels=["Jan"], title="x")


# ---------------------------------------------------------------- the progress pages


@pytest.fixture
def june():
    with time_machine.travel(datetime(2026, 7, 1, 3, 0, tzinfo=UTC), tick=False):
        yield  # 1 July 2026 in WITA: day 182 of 365


@pytest.fixture
def ani_plan(org, june):
    period = make_period(2026)
    skp = make_skp(org.employee.employee, period)
    rhk = make_rhk(skp, "Terlaksananya pelayanan akta", target="10")
    for month in range(1, 7):
        make_activity(org.employee.employee, rhk, date(2026, month, 10), quantity="1")
    make_activity(org.employee.employee, rhk, date(2026, 6, 11), quantity="5",
                  status=ActivityStatus.RETURNED)
    quality = make_indicator(rhk, target="95")
    make_realisation(quality, 5, value="97")
    return {"period": period, "skp": skp, "rhk": rhk}


def test_my_progress_shows_bars_numbers_and_status(login_as, ani_plan):
    page = login_as("employee").get("/kinerja")
    assert page.status_code == 200
    text = page.text
    assert "Kemajuan kinerja 2026" in text
    # 6 of 10; expected 10 x 182/365 = 4,99: on track; the quality value 97 of 95.
    assert "Realisasi 6 dari target 10 dokumen (60% dari target)" in text
    assert "Seharusnya 4,99 pada hari ini: 120,3% dari laju" in text
    assert "Realisasi 97 dari target 95 persen" in text
    assert text.count('class="progress-bar"') == 2
    assert 'class="monthly-chart"' in text
    assert "Sesuai target" in text
    assert f"/skp/{ani_plan['skp'].id}/realisasi?bulan=7" in text
    for svg in text.split("<svg")[1:]:
        ET.fromstring("<svg" + svg.split("</svg>")[0] + "</svg>")  # noqa: S314


def test_a_qualitative_indicator_is_shown_by_its_described_target_without_a_number(login_as, ani_plan):
    described = make_indicator(ani_plan["rhk"], target="0", text="Kualitas layanan konsultasi")
    described.qualitative, described.target_text = True, "Warga memahami persyaratan akta"
    db.session.commit()
    page = login_as("employee").get("/kinerja")
    assert page.status_code == 200
    assert "Kualitas layanan konsultasi: kualitatif, dinilai dari uraian realisasi" in page.text
    assert "Warga memahami persyaratan akta" in page.text


def approve_on(skp, when: datetime) -> None:
    from kinerja.performance.models import SkpStatus, SkpVersion  # noqa: PLC0415
    skp.status = SkpStatus.APPROVED
    db.session.add(SkpVersion(skp_id=skp.id, number=1, approved_at=when, content={}))
    db.session.commit()


def test_a_plan_approved_in_december_is_not_behind_at_once(login_as, org):
    """The issue's case: 2.235,62 expected on 6 December of a plan agreed on 1 December."""
    period = make_period(2026)
    skp = make_skp(org.employee.employee, period)
    rhk = make_rhk(skp, "Terlayaninya perekaman KTP-el", target="2400")
    make_activity(org.employee.employee, rhk, date(2026, 12, 2), quantity="400")
    approve_on(skp, datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    with time_machine.travel(datetime(2026, 12, 6, 3, 0, tzinfo=UTC), tick=False):
        text = login_as("employee").get("/kinerja").text
        report = progress_report(org.employee, org.employee.employee, period)
    # 2.400 x 6/31 = 464,52 due; 400 done is 86,1% of it: a little behind, not "Tertinggal".
    assert "Seharusnya 464,52 pada hari ini: 86,1% dari laju" in text
    assert "2.235,62" not in text
    assert "SKP ini disetujui pada 1 Desember 2026" in text
    assert report.indicators[0].pace.status is PaceStatus.SLIGHTLY_BEHIND
    by_month = {p.month: p for p in report.monthly}
    # The chart's line is the share due at each month's end: nothing before December, all of it then.
    assert [by_month[m].expected_percent for m in (1, 11, 12)] == [0, 0, Decimal("100.0")]
    assert by_month[11].status is PaceStatus.ON_TRACK
    assert by_month[12].status is PaceStatus.SLIGHTLY_BEHIND  # against today's 6/31, as the bar


def test_the_chart_line_ends_at_100_percent_in_december_of_a_whole_year(org):
    period = make_period(2026)
    skp = make_skp(org.employee.employee, period)
    rhk = make_rhk(skp, "Terlaksananya pelayanan akta", target="12")
    make_activity(org.employee.employee, rhk, date(2026, 1, 10), quantity="1")
    approve_on(skp, datetime(2025, 12, 20, 1, 0, tzinfo=UTC))
    with time_machine.travel(datetime(2026, 12, 6, 3, 0, tzinfo=UTC), tick=False):
        report = progress_report(org.employee, org.employee.employee, period)
    expected = [p.expected_percent for p in report.monthly]
    assert expected[0] == Decimal("8.5")       # 31 of 365 days by the end of January
    assert expected[11] == Decimal("100.0")    # the legend says "at the end of that month"
    assert not report.term_started_late


def test_without_a_period_or_an_skp_the_page_says_so(login_as, org, june):
    client = login_as("employee")
    assert "Belum ada periode kinerja yang berjalan" in client.get("/kinerja").text
    make_period(2026)
    assert "Belum ada SKP untuk periode 2026" in client.get("/kinerja").text


@pytest.mark.parametrize(("role", "status"), [
    ("supervisor", 200), ("head", 200), ("hr", 200), ("employee", 200),
    ("teammate", 403), ("outsider", 403), ("admin", 403)])
def test_who_may_open_an_employees_progress(login_as, org, ani_plan, role, status):
    response = login_as(role).get(f"/pegawai/{org.employee.employee.id}/kinerja")
    assert response.status_code == status
    if status == 200:
        assert "Realisasi 6 dari target 10 dokumen" in response.text


def test_a_head_of_unit_finds_the_heatmap_from_their_progress_page(login_as, org, ani_plan):
    page = login_as("supervisor").get("/kinerja")
    assert f"/unit/{org.section.id}/peta-kinerja" in page.text


# ---------------------------------------------------------------- the heatmap


@pytest.fixture
def april():
    with time_machine.travel(datetime(2026, 4, 15, 3, 0, tzinfo=UTC), tick=False):
        yield  # day 105 of 365 in WITA


def test_heatmap_numbers_for_a_small_team(org, april):
    period = make_period(2026)
    ani, rudi = org.employee.employee, org.teammate.employee
    ani_rhk = make_rhk(make_skp(ani, period), target="12")
    for month in (1, 2, 3):
        make_activity(ani, ani_rhk, date(2026, month, 5), quantity="1")
    rudi_skp = make_skp(rudi, period)
    first, second = make_rhk(rudi_skp, "Layanan A", target="12"), make_rhk(rudi_skp, "B", target="6")
    make_activity(rudi, first, date(2026, 1, 5), quantity="3")
    make_realisation(second.indicators[0], 1, value="0", narrative="Belum ada permohonan")
    make_activity(rudi, second, date(2026, 1, 6), quantity="4")  # overridden by the 0 above
    make_indicator(first, target="90")  # quality: not part of the heatmap

    heatmap = heatmaps.unit_heatmap(org.section)
    rows = {row.employee.name: row for row in heatmap.rows}
    assert set(rows) == {"Ani Lestari", "Rudi Hartono", "Budi Santoso"}
    assert [v for v, _ in rows["Ani Lestari"].cells[:5]] == [
        Decimal("100.0"), Decimal("100.0"), Decimal("100.0"), Decimal("86.9"), None]
    # Rudi in January: (3/1 + 0/0.5) / 2 = 150%; February (3/2 + 0/1) / 2 = 75%.
    assert [v for v, _ in rows["Rudi Hartono"].cells[:2]] == [Decimal("150.0"), Decimal("75.0")]
    assert [c for _, c in rows["Rudi Hartono"].cells[:2]] == ["heat-good", "heat-bad"]
    assert rows["Budi Santoso"].has_skp is False
    assert rows["Budi Santoso"].cells[0] == (None, "heat-none")
    # Laggards: below 80% of today's pace. Rudi: (3/3.45 + 0/1.73) / 2 = 43.5%.
    assert [(r.employee.name, r.current) for r in heatmap.laggards] == [
        ("Rudi Hartono", Decimal("43.5"))]


def test_the_heatmap_page_has_numbers_in_the_cells_and_links_to_progress(login_as, org, april):
    period = make_period(2026)
    rhk = make_rhk(make_skp(org.employee.employee, period), target="12")
    make_activity(org.employee.employee, rhk, date(2026, 1, 5), quantity="1")
    page = login_as("head").get(f"/unit/{org.section.id}/peta-kinerja")
    assert page.status_code == 200
    assert '<td class="num heat-good">100%</td>' in page.text
    assert f'href="/pegawai/{org.employee.employee.id}/kinerja"' in page.text
    assert "Perlu perhatian" in page.text and "belum ada SKP" in page.text
    assert login_as("hr").get(f"/unit/{org.section.id}/peta-kinerja?tahun=2026").status_code == 200
    assert login_as("hr").get(f"/unit/{org.section.id}/peta-kinerja?tahun=2019").status_code == 404


@pytest.mark.parametrize(("role", "status"), [
    ("supervisor", 200), ("head", 200), ("hr", 200),
    ("employee", 403), ("teammate", 403), ("outsider", 403), ("admin", 403)])
def test_who_may_open_the_heatmap(login_as, org, role, status):
    make_period(2026)
    assert login_as(role).get(f"/unit/{org.section.id}/peta-kinerja").status_code == status


def test_a_section_head_cannot_see_the_dinas_above(login_as, org):
    assert login_as("supervisor").get(f"/unit/{org.dinas.id}/peta-kinerja").status_code == 403
    assert login_as("head").get(f"/unit/{org.dinas.id}/peta-kinerja").status_code == 200


def test_a_closed_year_is_shown_whole(org):
    with time_machine.travel(datetime(2027, 2, 1, 3, 0, tzinfo=UTC), tick=False):
        period = make_period(2026, status=PeriodStatus.CLOSED)
        rhk = make_rhk(make_skp(org.employee.employee, period), target="12")
        make_activity(org.employee.employee, rhk, date(2026, 6, 5), quantity="6")
        heatmap = heatmaps.unit_heatmap(org.section, 2026)
        ani = next(r for r in heatmap.rows if r.employee.id == org.employee.employee.id)
        assert ani.cells[11] == (Decimal("50.0"), "heat-bad") and ani.current == Decimal("50.0")


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def _count(self, *args):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


def _heatmap_queries(app, org, client, unit, size):
    boss = make_employee(f"Kepala {unit.name}", unit=unit)
    unit.head = boss
    db.session.commit()
    make_team(boss, unit, db.session.scalar(db.select(Period)), size)
    with QueryCounter(db.engine) as service:
        heatmap = heatmaps.unit_heatmap(unit)
    assert len(heatmap.rows) == size + 1
    with QueryCounter(db.engine) as page:
        response = client.get(f"/unit/{unit.id}/peta-kinerja")
    assert response.status_code == 200
    assert response.text.count('<th scope="row">') == size + 1
    return service.count, page.count


def test_the_heatmap_costs_the_same_queries_for_5_or_30_people(app, org, login_as, april):
    make_period(2026)
    hr = login_as("hr")
    small = _heatmap_queries(app, org, hr, make_unit("Kelurahan Kecil", parent=org.dinas), 5)
    large = _heatmap_queries(app, org, hr, make_unit("Kelurahan Besar", parent=org.dinas), 30)
    assert small == large
    assert small[0] <= 10  # periods, units, staff, indicators, SKPs, sums, realisations...

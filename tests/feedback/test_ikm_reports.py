"""IKM reports read the rollups and agree with the IKM arithmetic over the same ratings; the
pages, exports and live screen show them to HR and heads of unit only."""
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.extensions import db
from kinerja.feedback import ikm, ikm_live, ikm_report, ikm_scope, ratings
from kinerja.feedback.demographics import DEMOGRAPHIC_COLUMNS
from kinerja.feedback.models import DailyRollup, Rating
from portal import ikm_query
from tests.builders import (
    full_survey,
    make_counter,
    make_kiosk,
    make_ratings,
    make_service,
    make_unit,
)
from web import charts

# Thursday 26 November 2026, 10:00 WITA (the builders' units are in WITA).
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")
# The hand-worked example of tests/test_ikm.py: IKM 3.219, converted 80.48, mutu B.
HAND_WORKED = [
    {"U1": 3, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 2, "U9": 3},
    {"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 3, "U9": 3},
    {"U1": 3, "U2": 4, "U3": 2, "U4": 4, "U5": 4, "U6": 3, "U7": 3, "U8": 2, "U9": 4},
]
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def kiosk(counter):
    return make_kiosk(counter)[0]


def morning(day: date) -> datetime:
    """09:00 WITA on that day."""
    return datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)


def hand_worked_ratings(kiosk, day: date = date(2026, 11, 25)):
    """The three hand-worked surveys, two one-tap ratings (faces 2 and 1), and a partial one."""
    answers = [{"score": 4, "elements": HAND_WORKED[0], "respondent": {"sex": "P", "age_group": "30-39"}},
               {"score": 3, "elements": HAND_WORKED[1], "respondent": {"sex": "L", "education": "SMA"}},
               {"score": 4, "elements": HAND_WORKED[2], "respondent": {"sex": "P"}},
               {"score": 2},
               {"score": 1, "respondent": {"occupation": "SWASTA"}}]
    return make_ratings(kiosk, morning(day), answers)


# ---------------------------------------------------------------- arithmetic


def test_report_equals_the_ikm_arithmetic_over_the_same_ratings(org, kiosk, counter):
    hand_worked_ratings(kiosk)
    # A fourth survey, all ones, that HR excludes: it must not count anywhere.
    make_ratings(kiosk, morning(date(2026, 11, 24)), [{"score": 1, "elements": full_survey(1)}])
    excluded = db.session.scalar(sa.select(Rating).where(Rating.local_day == date(2026, 11, 24)))
    ratings.exclude(org.hr, excluded, "uji coba petugas")
    # A partial survey: its answers count towards NRR, it is not a respondent of the full survey.
    make_ratings(kiosk, morning(date(2026, 11, 23)), [{"score": 3, "elements": {"U1": 1, "U9": 4}}])

    result = ikm_report.report(ikm_scope.Scope(counter=counter), *YEAR)
    stored = [r.elements() for r in db.session.scalars(sa.select(Rating).where(
        Rating.excluded.is_(False)))]
    expected = ikm.compute_from_answers([answer for answer in stored if answer])
    assert result.survey.nrr == expected.nrr
    assert (result.survey.ikm, result.survey.converted, result.survey.mutu) == (
        expected.ikm, expected.converted, expected.mutu)
    assert result.totals.full_surveys == 3
    assert result.totals.ratings == 6  # every kept rating, one tap or more


def test_hand_worked_example_through_the_rollups(kiosk, counter):
    hand_worked_ratings(kiosk)
    result = ikm_report.report(ikm_scope.Scope(counter=counter), *YEAR)
    assert result.survey.ikm.quantize(Decimal("0.0001")) == Decimal("3.2190")
    assert result.survey.converted == Decimal("80.48")
    assert (result.survey.mutu, result.survey.performance) == ("B", "Baik")
    assert result.survey.weakest == ["U3", "U8"]
    weakest = [row.element for row in result.nrr_rows if row.weakest]
    assert weakest == ["U3", "U8"]
    u1 = result.nrr_rows[0]
    assert (u1.answers, u1.total) == (3, 10)
    assert u1.weighted == Decimal(10) / 3 * Decimal("0.111")


def test_one_tap_index_is_reported_apart_from_the_survey(kiosk, counter):
    hand_worked_ratings(kiosk)
    totals = ikm_report.report(ikm_scope.Scope(counter=counter), *YEAR).totals
    assert totals.score_counts == {1: 1, 2: 1, 3: 1, 4: 2}
    assert totals.one_tap_index == Decimal(4 + 3 + 4 + 2 + 1) / 5
    assert totals.full_surveys == 3 and totals.ratings == 5


def test_one_tap_ratings_alone_give_no_ikm(kiosk, counter):
    make_ratings(kiosk, morning(date(2026, 11, 25)), [{"score": 4}, {"score": 3}])
    result = ikm_report.report(ikm_scope.Scope(counter=counter), *YEAR)
    assert result.survey.ikm is None and result.survey.mutu is None
    assert result.totals.one_tap_index == Decimal("3.5")


# ---------------------------------------------------------------- scopes and periods


def test_scopes_unit_with_or_without_subunits_service_and_counter(org, kiosk, counter):
    ktp = make_service("KTP-EL", "KTP-el")
    counter.services = [ktp]
    other = make_counter(org.dinas, code="DUK-02", name="Loket 2 Akta")
    hand_worked_ratings(kiosk)  # naming no service
    make_ratings(kiosk, morning(date(2026, 11, 24)),
                 [{"score": 4, "service": "KTP-EL"}, {"score": 3, "service": "KTP-EL"}])
    make_ratings(make_kiosk(other)[0], morning(date(2026, 11, 25)), [{"score": 2}])

    def ratings_in(**scope):
        return ikm_report.report(ikm_scope.Scope(**scope), *YEAR).totals.ratings

    assert ratings_in(unit=org.dinas) == 8          # the dinas and its section
    assert ratings_in(unit=org.dinas, subunits=False) == 1
    assert ratings_in(unit=org.section) == 7
    assert ratings_in(service=ktp) == 2             # only the ratings that name the service
    assert ratings_in(counter=other) == 1
    assert ratings_in(unit=org.other_dinas) == 0
    assert ratings_in() == 8


def test_the_period_is_a_date_range_of_local_days(kiosk, counter):
    hand_worked_ratings(kiosk, date(2026, 10, 31))
    make_ratings(kiosk, morning(date(2026, 11, 2)), [{"score": 4}])
    scope = ikm_scope.Scope(counter=counter)
    assert ikm_report.report(scope, date(2026, 11, 1), date(2026, 11, 30)).totals.ratings == 1
    assert ikm_report.report(scope, date(2026, 10, 1), date(2026, 10, 31)).totals.ratings == 5


def test_presets_and_period_labels(app):
    presets = {p.key: (p.start, p.end) for p in ikm_report.presets(date(2026, 11, 26))}
    assert presets["month"] == (date(2026, 11, 1), date(2026, 11, 26))
    assert presets["last-month"] == (date(2026, 10, 1), date(2026, 10, 31))
    assert presets["quarter"] == (date(2026, 10, 1), date(2026, 11, 26))
    assert presets["last-quarter"] == (date(2026, 7, 1), date(2026, 9, 30))
    assert presets["last-year"] == (date(2025, 1, 1), date(2025, 12, 31))
    assert ikm_report.period_label(date(2026, 7, 1), date(2026, 9, 30)) == "Triwulan III 2026"
    assert ikm_report.period_label(*YEAR) == "Tahun 2026"
    assert ikm_report.period_label(date(2026, 11, 1), date(2026, 11, 30)) == "November 2026"


@pytest.mark.parametrize(("start", "end", "ok"), [
    (date(2024, 1, 1), date(2026, 12, 31), True),
    (date(2024, 1, 1), date(2027, 1, 1), False),
    (date(2026, 5, 2), date(2026, 5, 1), False),
    (date(2026, 5, 1), date(2026, 5, 1), True),
])
def test_a_range_is_at_most_three_years(start, end, ok):
    if ok:
        ikm_scope.check_range(start, end)
    else:
        with pytest.raises(RuleViolation):
            ikm_scope.check_range(start, end)


def test_sample_adequacy_from_the_service_population(kiosk, counter):
    hand_worked_ratings(kiosk)
    result = ikm_report.report(ikm_scope.Scope(counter=counter), *YEAR, population=100)
    assert (result.sample_needed, result.sample_met) == (80, False)
    small = ikm_report.report(ikm_scope.Scope(counter=counter), *YEAR, population=3)
    assert (small.sample_needed, small.sample_met) == (3, True)


# ---------------------------------------------------------------- demographics


def _answers() -> dict[str, tuple[int, int]]:
    """The day's rollup of the respondents' answers: column stem -> (ratings, full surveys)."""
    rollup = db.session.scalars(sa.select(DailyRollup)).one()
    return {column.removesuffix("_ratings"): (getattr(rollup, column),
                                              getattr(rollup, column.replace("_ratings", "_full")))
            for column in DEMOGRAPHIC_COLUMNS if column.endswith("_ratings")}


def test_demographics_come_from_their_rollup_and_follow_exclude_and_include(org, kiosk, counter):
    hand_worked_ratings(kiosk)
    sex = {row.value: row for row in ikm_report.report(
        ikm_scope.Scope(counter=counter), *YEAR).demographics["sex"]}
    assert (sex["P"].ratings, sex["P"].full_surveys) == (2, 2)
    assert (sex["L"].ratings, sex[None].ratings) == (1, 2)  # two did not say

    woman = db.session.scalar(sa.select(Rating).where(Rating.sex == "P", Rating.score == 4,
                                                      Rating.age_group.is_not(None)))
    ratings.exclude(org.hr, woman, "uji coba")
    answers = _answers()
    assert answers["sex_p"][0] == 1 and answers["age_group_30_39"][0] == 0
    ratings.include(org.hr, woman)
    answers = _answers()
    assert answers["sex_p"] == (2, 2) and answers["age_group_30_39"] == (1, 1)
    assert answers["occupation_swasta"] == (1, 0)  # a one-tap rating: not a full survey


# ---------------------------------------------------------------- trend and comparison


def test_trend_has_a_point_per_month_and_gaps_where_there_is_none(kiosk, counter):
    hand_worked_ratings(kiosk, date(2026, 3, 10))
    hand_worked_ratings(kiosk, date(2026, 11, 25))
    result = ikm_report.report(ikm_scope.Scope(counter=counter), *YEAR)
    assert [m.month for m in result.months] == [date(2026, n, 1) for n in range(1, 13)]
    assert result.months[2].figures.survey.converted == Decimal("80.48")
    assert result.months[3].figures.survey.ikm is None
    svg = charts.ikm_trend(**result.trend)
    assert svg.startswith("<svg") and "<title>" in svg and "style=" not in svg
    assert svg.count("<polyline") == 4  # two lines, each broken by the empty months


def test_counters_are_compared_by_converted_ikm(org, kiosk, counter):
    better = make_counter(org.section, code="DUK-02", name="Loket 2")
    none = make_counter(org.section, code="DUK-03", name="Loket 3")
    hand_worked_ratings(kiosk)
    make_ratings(make_kiosk(better)[0], morning(date(2026, 11, 25)),
                 [{"score": 4, "elements": full_survey(4)}])
    make_ratings(make_kiosk(none)[0], morning(date(2026, 11, 25)), [{"score": 4}])
    rows = ikm_report.report(ikm_scope.Scope(unit=org.section), *YEAR).comparison
    assert [row.code for row in rows] == ["DUK-02", "DUK-01", "DUK-03"]
    assert [row.figures.survey.mutu for row in rows] == ["A", "B", None]
    assert {row.kind for row in rows} == {ikm_report.COUNTER}


def test_a_unit_with_sub_units_compares_them_and_its_own_counters(org, kiosk, counter):
    """The dinas: its section (every counter below it summed) and the dinas's own counter."""
    lower = make_unit("Seksi Dokumen", parent=org.section)
    deep = make_counter(lower, code="DUK-09", name="Loket Dokumen")
    front = make_counter(org.dinas, code="DIN-01", name="Loket Depan")
    hand_worked_ratings(kiosk)
    make_ratings(make_kiosk(deep)[0], morning(date(2026, 11, 24)),
                 [{"score": 2, "elements": full_survey(2)}])
    make_ratings(make_kiosk(front)[0], morning(date(2026, 11, 23)),
                 [{"score": 4, "elements": full_survey(4)}])
    result = ikm_report.report(ikm_scope.Scope(unit=org.dinas), *YEAR)
    assert result.compares_units
    own, section = result.comparison
    assert (own.kind, own.id, own.figures.ratings) == (ikm_report.OWN_COUNTERS, org.dinas.id, 1)
    assert own.link_args() == {"unit": org.dinas.id, "subunits": "0"}
    # The section's line: its counter's five ratings and the sub-section's one.
    assert (section.kind, section.id, section.figures.ratings) == (ikm_report.UNIT, org.section.id, 6)
    assert section.figures.full_surveys == 4
    assert section.link_args() == {"unit": org.section.id}
    assert sum(row.figures.ratings for row in result.comparison) == result.totals.ratings
    # Without its sub-units, the dinas compares its own counters.
    alone = ikm_report.report(ikm_scope.Scope(unit=org.dinas, subunits=False), *YEAR)
    assert [(row.kind, row.code) for row in alone.comparison] == [(ikm_report.COUNTER, "DIN-01")]


def test_the_whole_region_compares_the_units_below_its_single_root(org, kiosk):
    """One root over everything (the regional secretariat): its children are the lines."""
    root = make_unit("Pemerintah Kabupaten")
    for unit in (org.dinas, org.other_dinas):
        unit.parent = root
    db.session.commit()
    hand_worked_ratings(kiosk)
    make_ratings(make_kiosk(make_counter(org.other_dinas, code="KES-01"))[0],
                 morning(date(2026, 11, 24)), [{"score": 3}])
    rows = ikm_report.report(ikm_scope.Scope(), *YEAR).comparison
    assert [(row.id, row.figures.ratings) for row in rows] == \
        [(org.dinas.id, 5), (org.other_dinas.id, 1)]


def test_the_report_page_links_each_unit_to_its_own_report(login_as, org, kiosk):
    hand_worked_ratings(kiosk)
    page = login_as("hr").get(f"/ikm?unit={org.dinas.id}").text
    assert "Perbandingan unit" in page and "Perbandingan loket" not in page
    assert f"unit={org.section.id}" in page
    narrower = login_as("hr").get(f"/ikm?unit={org.section.id}").text
    assert "Perbandingan loket" in narrower and f"counter={kiosk.counter_id}" in narrower


# ---------------------------------------------------------------- reading rollups, not ratings


def _count_statements(work) -> int:
    statements = []

    def count(*args):
        statements.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_a_year_report_takes_the_same_queries_however_many_ratings(org, kiosk, counter):
    second = make_counter(org.section, code="DUK-02", name="Loket 2")
    make_ratings(kiosk, morning(date(2026, 1, 5)), [{"score": 4, "elements": full_survey(3)}])
    scope = ikm_scope.Scope(unit=org.dinas)
    db.session.refresh(org.dinas)  # loaded before counting, as a view has it
    few = _count_statements(lambda: charts.ikm_trend(**ikm_report.report(scope, *YEAR).trend))
    second_kiosk = make_kiosk(second)[0]
    for month in range(2, 12):
        make_ratings(kiosk, morning(date(2026, month, 3)),
                     [{"score": 3, "elements": full_survey(3)}] * 6)
        make_ratings(second_kiosk, morning(date(2026, month, 4)),
                     [{"score": 2, "respondent": {"sex": "L"}}] * 4)
    db.session.refresh(org.dinas)
    many = _count_statements(lambda: charts.ikm_trend(**ikm_report.report(scope, *YEAR).trend))
    assert ikm_report.report(scope, *YEAR).totals.ratings == 101
    # The year's weight convention, the grouped SUMs by month and by line, the lines' names.
    assert many == few <= 5, (few, many)


# ---------------------------------------------------------------- pages and exports


def test_hr_reads_the_report_page(login_as, kiosk, counter):
    hand_worked_ratings(kiosk)
    page = login_as("hr").get(f"/ikm?counter={counter.id}&from=2026-01-01&to=2026-12-31")
    assert page.status_code == 200
    text = page.text
    assert "80,48" in text and "Mutu B" in text and "Baik" in text
    assert "3,2190" in text
    assert text.count("Terendah") == 2  # U3 and U8, by word, not only by colour
    assert "Indeks satu sentuhan" in text and "style=" not in text


def test_a_head_sees_their_units_only(login_as, org, kiosk):
    head, supervisor = login_as("head"), login_as("supervisor")
    assert head.get(f"/ikm?unit={org.section.id}").status_code == 200
    assert head.get(f"/ikm?unit={org.other_dinas.id}").status_code == 403
    assert supervisor.get(f"/ikm?unit={org.dinas.id}").status_code == 403  # above their section
    elsewhere = make_counter(org.other_dinas)
    assert head.get(f"/ikm?counter={elsewhere.id}").status_code == 403
    # A counter is narrower than the unit box: the section's counter, whatever unit is chosen.
    own = head.get(f"/ikm?unit={org.dinas.id}&subunits=0&counter={kiosk.counter_id}")
    assert own.status_code == 200 and "Loket 1 KTP-el" in own.text
    assert head.get("/ikm.pdf?unit=" + str(org.other_dinas.id)).status_code == 403


def test_a_head_starts_at_their_own_unit(org, kiosk):
    query = ikm_query.query_from_args(org.head, {})
    assert query.scope.unit.id == org.dinas.id
    assert (query.start, query.end) == (date(2026, 1, 1), date(2026, 11, 26))
    with pytest.raises(NotAllowed):
        ikm_query.query_from_args(org.head, {"unit": str(org.other_dinas.id)})


def test_the_nav_link_shows_for_those_who_may_see_reports(login_as):
    assert 'href="/ikm"' in login_as("head").get("/").text
    assert 'href="/ikm"' not in login_as("employee").get("/").text


def test_bad_filters_are_shown_next_to_the_field(login_as, kiosk):
    page = login_as("hr").get("/ikm?from=2026-05-02&to=2026-05-01&population=banyak")
    assert page.status_code == 400
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in page.text
    assert "bilangan bulat positif" in page.text
    assert login_as("hr").get("/ikm?from=2020-01-01&to=2026-01-01").status_code == 400
    assert login_as("hr").get("/ikm.xlsx?from=nanti").status_code == 400


def test_excel_export_has_the_figures_as_numbers(login_as, kiosk, counter):
    hand_worked_ratings(kiosk)
    response = login_as("hr").get(f"/ikm.xlsx?counter={counter.id}&population=100")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[:4] == ["Ringkasan", "NRR per unsur", "Demografi", "Per loket"]
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True) if row[0]}
    assert summary["Nilai konversi IKM (25–100)"] == 80.48
    assert summary["Responden survei lengkap (9 unsur)"] == 3
    assert summary["Sampel minimum (Krejcie dan Morgan)"] == 80
    nrr = list(book["NRR per unsur"].iter_rows(values_only=True))
    assert nrr[1][0] == "U1" and nrr[1][4] == pytest.approx(3.3333)
    assert nrr[3][6] == "Ya"  # U3, the weakest
    demography = list(book["Demografi"].iter_rows(values_only=True))
    assert ("Jenis kelamin", "Perempuan", 2, 2) in demography


def test_pdf_export_is_an_official_report(login_as, org, kiosk, counter):
    import pypdfium2

    org.dinas.name = "Dinas Kependudukan dan Pencatatan Sipil"
    root = org.dinas
    hand_worked_ratings(kiosk)
    from tests.builders import make_unit
    kabupaten = make_unit("Sekretariat Daerah Kabupaten Bulungan")
    root.parent = kabupaten
    db.session.commit()
    response = login_as("head").get(f"/ikm.pdf?unit={org.dinas.id}&from=2026-01-01&to=2026-12-31")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(response.data)
    text = document[0].get_textpage().get_text_range()
    assert "PEMERINTAH KABUPATEN BULUNGAN" in text
    assert "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT" in text
    assert "80,48" in text and "Tahun 2026" in text
    last = document[len(document) - 1].get_textpage().get_text_range()
    assert "Hj. Siti Rahmawati" in last  # the head signs


def test_the_pdf_report_carries_the_kabupatens_identity(login_as, org, kiosk):
    from kinerja.organisation import identity
    from tests.appraisal.test_documents import image_count, pdf_text
    from tests.organisation.test_identity import picture

    hand_worked_ratings(kiosk)
    identity.update(org.admin, government_name="Pemerintah Kabupaten Bulungan",
                    short_name="Kabupaten Bulungan", place="Tanjung Selor", accent=None,
                    logo=picture())
    response = login_as("head").get(f"/ikm.pdf?unit={org.dinas.id}&from=2026-01-01&to=2026-12-31")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert text.startswith("PEMERINTAH KABUPATEN BULUNGAN")
    assert "Tanjung Selor, " in text  # the place of signing
    assert image_count(response.data) == 1  # the logo, in place of the drawn shield


def test_live_screen_counts_today_and_refreshes_itself(login_as, org, kiosk):
    make_ratings(kiosk, NOW - timedelta(hours=1), [{"score": 4}, {"score": 4}, {"score": 1}])
    make_ratings(kiosk, NOW - timedelta(days=1), [{"score": 2}])  # yesterday: not counted
    client = login_as("head")
    page = client.get(f"/ikm/langsung?unit={org.dinas.id}")
    assert page.status_code == 200
    assert 'hx-trigger="every 10s"' in page.text
    fragment = client.get(f"/ikm/langsung?unit={org.dinas.id}", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="ikm-live"' in fragment.text
    live = ikm_live.live(org.dinas, org.dinas)
    assert live.totals.score_counts == {1: 1, 2: 0, 3: 0, 4: 2}
    assert live.totals.one_tap_index == Decimal(9) / 3
    assert login_as("head").get(f"/ikm/langsung?unit={org.other_dinas.id}").status_code == 403
    assert login_as("hr").get("/ikm/langsung?unit=999999").status_code == 404

"""The survey as the regulation's questionnaire: a rating names the service received, and each
service's IKM counts only the ratings that name it; older ratings show as "layanan tidak
disebut"; the kiosk asks the questionnaire's questions with their own answers; the element
weight is HR's choice per year and every report says which."""
from datetime import UTC, date, datetime
from fractions import Fraction

import pytest
import sqlalchemy as sa

from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.extensions import db
from kinerja.feedback import (
    ikm_report,
    ikm_scope,
    ikm_weights,
    questionnaire,
    ratings,
    rollup_rebuild,
)
from kinerja.feedback.models import Rating, ServiceDailyRollup, ServiceMonthlyRollup
from kinerja.publication import publication
from tests.builders import (
    full_survey,
    make_counter,
    make_kiosk,
    make_ratings,
    make_service,
    rating_item,
)

# Thursday 26 November 2026, 10:00 WITA (the builders' units are in WITA).
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))
ELEMENTS = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")

pytestmark = pytest.mark.usefixtures("frozen_clock")


def morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)


@pytest.fixture
def akta(org):
    """Loket 3 offers two services (births and deaths), Loket 1 one (KTP-el), both in the
    section; each has a tablet."""
    lahir, mati, ktp = (make_service("AKTA-LAHIR", "Akta Kelahiran"),
                        make_service("AKTA-MATI", "Akta Kematian"), make_service("KTP-EL", "KTP-el"))
    two = make_counter(org.section, code="DUK-03", name="Loket 3 Akta", services=[lahir, mati])
    one = make_counter(org.section, code="DUK-01", name="Loket 1 KTP-el", services=[ktp])
    return {"lahir": lahir, "mati": mati, "ktp": ktp, "two": two, "one": one,
            "two_kiosk": make_kiosk(two)[0], "one_kiosk": make_kiosk(one)[0]}


def rated(akta):
    """Surveys naming each service, old ones naming none, one-tap ratings, and a survey naming
    a service the counter does not offer (stored as naming none)."""
    make_ratings(akta["two_kiosk"], morning(date(2026, 3, 2)), [
        {"score": 4, "elements": full_survey(4, U3=2), "service": "AKTA-LAHIR"},
        {"score": 3, "elements": full_survey(3, U4=4), "service": "AKTA-LAHIR"},
        {"score": 2, "elements": full_survey(2, U9=1), "service": "AKTA-MATI"},
        {"score": 1, "service": "AKTA-MATI"},
        {"score": 3, "elements": full_survey(3)},                     # an old tap: no service
        {"score": 4, "elements": full_survey(4), "service": "KTP-EL"},  # not offered here
    ])
    make_ratings(akta["two_kiosk"], morning(date(2026, 9, 14)), [
        {"score": 4, "elements": full_survey(4, U8=3), "service": "AKTA-MATI"},
        {"score": 2, "elements": {"U1": 2, "U2": 3}, "service": "AKTA-LAHIR"},
    ])
    make_ratings(akta["one_kiosk"], morning(date(2026, 6, 1)), [
        {"score": 3, "elements": full_survey(3, U1=4), "service": "KTP-EL"},
        {"score": 4, "elements": full_survey(4)},
    ])


def by_hand(rows) -> tuple[int, Fraction | None]:
    """Respondents (complete surveys) and the converted IKM x 100 of raw rows, computed here in
    plain arithmetic: NRR = sum / answers per element, IKM = sum of NRR x 0.111, x 25, rounded
    half up to two decimals."""
    respondents = sum(1 for r in rows if all(getattr(r, e.lower()) is not None for e in ELEMENTS))
    total = Fraction(0)
    for element in ELEMENTS:
        answers = [getattr(r, element.lower()) for r in rows
                   if getattr(r, element.lower()) is not None]
        if not answers:
            return respondents, None
        total += Fraction(sum(answers), len(answers)) * Fraction(111, 1000)
    cents = total * 25 * 100
    return respondents, Fraction(int(cents + Fraction(1, 2)), 100)


def stored_ratings():
    return db.session.scalars(sa.select(Rating).where(Rating.excluded.is_(False))).all()


# ---------------------------------------------------------------- a rating names its service


def test_a_rating_stores_the_service_its_counter_offers(akta):
    rated(akta)
    named = {(r.score, r.service.code if r.service else None)
             for r in stored_ratings() if r.counter_id == akta["two"].id}
    assert named == {(4, "AKTA-LAHIR"), (3, "AKTA-LAHIR"), (2, "AKTA-MATI"), (1, "AKTA-MATI"),
                     (3, None), (4, None), (4, "AKTA-MATI"), (2, "AKTA-LAHIR")}


def test_queued_taps_of_older_kiosks_without_a_service_are_stored_with_none(client, akta):
    _, token = make_kiosk(akta["two"], "Tablet lama")
    old = rating_item(NOW, 3)
    new = rating_item(NOW.replace(minute=5), 4, service="AKTA-MATI")
    response = client.post("/kiosk/api/ratings", json={"ratings": [old, new]},
                           headers={"Authorization": f"Bearer {token}"})
    assert [r["status"] for r in response.json["results"]] == ["accepted", "accepted"]
    services = {str(r.client_id): r.service_id for r in stored_ratings()}
    assert services == {old["client_id"]: None, new["client_id"]: akta["mati"].id}


@pytest.mark.parametrize("service", [7, "", "X" * 31, ["AKTA-MATI"]])
def test_a_service_that_is_no_code_is_rejected_with_a_reason(client, akta, service):
    _, token = make_kiosk(akta["two"], "Tablet lain")
    response = client.post("/kiosk/api/ratings",
                           json={"ratings": [rating_item(NOW, 3, service=service)]},
                           headers={"Authorization": f"Bearer {token}"})
    result, = response.json["results"]
    assert (response.status_code, result["status"]) == (200, "rejected")
    assert "service" in result["reason"]


# ---------------------------------------------------------------- per-service figures


def test_each_service_counts_only_the_ratings_naming_it(akta, org):
    rated(akta)
    report = ikm_report.report(ikm_scope.Scope(unit=org.section), *YEAR, with_services=True)
    shown = {line.code: line.figures for line in report.services.lines}
    rows = stored_ratings()
    for key in ("lahir", "mati", "ktp"):
        service = akta[key]
        own = [r for r in rows if r.service_id == service.id]
        respondents, converted = by_hand(own)
        figures = shown[service.code]
        assert figures.ratings == len(own)
        assert figures.full_surveys == figures.survey.respondents == respondents
        assert figures.survey.converted == converted
        # The report narrowed to the service says the same.
        alone = ikm_report.report(ikm_scope.Scope(service=service), *YEAR)
        assert (alone.totals.ratings, alone.survey.converted) == (len(own), converted)
    unnamed = [r for r in rows if r.service_id is None]
    assert (shown[None].ratings, shown[None].full_surveys) == (len(unnamed), by_hand(unnamed)[0])
    assert sum(line.figures.full_surveys for line in report.services.services) \
        <= report.totals.full_surveys
    assert sum(line.figures.ratings for line in report.services.lines) == report.totals.ratings


def test_the_services_of_one_counter_differ(akta):
    """The issue's symptom: both services of Loket 3 showed the counter's figures."""
    rated(akta)
    report = ikm_report.report(ikm_scope.Scope(counter=akta["two"]), *YEAR, with_services=True)
    lahir, mati = (next(line for line in report.services.lines if line.code == code)
                   for code in ("AKTA-LAHIR", "AKTA-MATI"))
    assert (lahir.figures.ratings, mati.figures.ratings) == (3, 3)
    assert lahir.figures.survey.converted != mati.figures.survey.converted
    assert lahir.figures.full_surveys + mati.figures.full_surveys < report.totals.full_surveys


def test_the_per_service_rollups_equal_a_rebuild_from_the_ratings(akta, org):
    rated(akta)
    ratings.exclude(org.hr, next(r for r in stored_ratings() if r.score == 1), "uji coba")

    def everything():
        return {table.__tablename__: sorted(tuple(row) for row in db.session.execute(
            sa.select(table.__table__)).all()) for table in (ServiceDailyRollup,
                                                             ServiceMonthlyRollup)}
    kept = everything()
    assert kept["rating_service_rollups"] and kept["rating_service_monthly_rollups"]
    rollup_rebuild.rebuild_rating_rollups()
    db.session.commit()
    assert everything() == kept


# ---------------------------------------------------------------- the public page


def test_old_ratings_show_as_layanan_tidak_disebut_on_the_public_page(client, akta, org):
    rated(akta)
    publication.clear_cache()
    published = publication.publish(org.hr, org.section, date(2026, 1, 1), date(2026, 9, 30),
                                     "Januari–September 2026", today=date(2026, 11, 26))
    services = {row.name: row.figures for row in publication.figures(published).services}
    rows = stored_ratings()
    unnamed = [r for r in rows if r.service_id is None]
    assert services["Layanan tidak disebut"].ratings == len(unnamed) == 3
    for key in ("lahir", "mati", "ktp"):
        own = [r for r in rows if r.service_id == akta[key].id]
        assert services[akta[key].name].survey.respondents == by_hand(own)[0]
        assert services[akta[key].name].survey.converted == by_hand(own)[1]
    page = client.get(f"/publik/ikm/{published.id}").text
    assert "<em>Layanan tidak disebut</em>" in page
    assert "Akta Kelahiran" in page and "Akta Kematian" in page
    assert "0,111 (lembar kerja PermenPANRB 14/2017)" in page
    assert "Persyaratan" in page and "Penanganan Pengaduan, Saran dan Masukan" in page


# ---------------------------------------------------------------- the weight convention


def boundary_surveys(kiosk):
    """Ten complete surveys whose NRR add up to 27.6: 76.59 (C) with 0.111, 76.67 (B) with 1/9
    (one respondent answers 4 on six elements, everything else is 3)."""
    first = full_survey(3, U1=4, U2=4, U3=4, U4=4, U5=4, U6=4)
    make_ratings(kiosk, morning(date(2026, 2, 3)),
                 [{"score": 3, "elements": first}] + [{"score": 3, "elements": full_survey(3)}] * 9)


def test_the_weight_convention_decides_a_grade_at_the_boundary(akta, org):
    boundary_surveys(akta["one_kiosk"])
    scope = ikm_scope.Scope(counter=akta["one"])
    worksheet = ikm_report.report(scope, *YEAR)
    assert (worksheet.weight, str(worksheet.survey.converted), worksheet.survey.mutu) == (
        "0.111", "76.59", "C")
    ikm_weights.choose(org.hr, 2026, "1/9", date(2026, 11, 26))
    exact = ikm_report.report(scope, *YEAR)
    assert (exact.weight, str(exact.survey.converted), exact.survey.mutu) == ("1/9", "76.67", "B")
    # Another year keeps its own convention.
    assert ikm_report.report(scope, date(2025, 1, 1), date(2025, 12, 31)).weight == "0.111"


def test_only_hr_chooses_the_weight_and_only_a_known_one(org):
    with pytest.raises(NotAllowed):
        ikm_weights.choose(org.head, 2026, "1/9", date(2026, 11, 26))
    with pytest.raises(RuleViolation):
        ikm_weights.choose(org.hr, 2026, "0.1", date(2026, 11, 26))
    with pytest.raises(RuleViolation):
        ikm_weights.choose(org.hr, 2030, "1/9", date(2026, 11, 26))


def test_hr_sets_the_weight_on_its_page_and_every_report_shows_it(login_as, akta):
    boundary_surveys(akta["one_kiosk"])
    hr = login_as("hr")
    assert "belum dipilih" in hr.get("/ikm/bobot").text
    response = hr.post("/ikm/bobot", data={"year": "2026", "weight": "1/9"})
    assert response.status_code == 302
    assert ikm_weights.convention_for(2026) == "1/9"
    assert hr.post("/ikm/bobot", data={"year": "2026", "weight": "2/9"}).status_code == 400
    assert login_as("head").get("/ikm/bobot").status_code == 403

    query = f"counter={akta['one'].id}&from=2026-01-01&to=2026-12-31"
    page = hr.get(f"/ikm?{query}").text
    assert "1/9 (tepat, tanpa pembulatan)" in page and "jumlah NRR × 1/9" in page
    assert "76,67" in page
    pdf = hr.get(f"/ikm.pdf?{query}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    from io import BytesIO

    from openpyxl import load_workbook
    workbook = load_workbook(BytesIO(hr.get(f"/ikm.xlsx?{query}").data))
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Bobot tiap unsur"] == "1/9 (tepat, tanpa pembulatan)"
    assert summary["Mutu pelayanan"] == "B"
    assert "Per layanan" in workbook.sheetnames
    names = [row[1] for row in workbook["NRR per unsur"].iter_rows(min_row=2, values_only=True)]
    assert names[3] == "Biaya/Tarif" and names[7] == "Penanganan Pengaduan, Saran dan Masukan"


# ---------------------------------------------------------------- the questionnaire


def test_the_questionnaire_asks_each_element_with_its_own_answers():
    codes = [q.code for q in questionnaire.QUESTIONS]
    # The questionnaire asks about Sarana (U9) before Pengaduan (U8).
    assert codes == ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8"]
    answers = {q.code: [str(a) for a in q.answers] for q in questionnaire.QUESTIONS}
    assert answers["U4"] == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]
    assert answers["U8"][-1] == "Dikelola dengan baik"
    assert all(len(a) == 4 for a in answers.values())


def test_the_kiosk_shows_the_questions_and_lists_the_counters_services(client, akta):
    shell = client.get("/kiosk/").text
    assert "kewajaran biaya/tarif" in shell and ">Gratis<" in shell
    assert ">Dikelola dengan baik<" in shell
    assert shell.index('id="screen-element-U9"') < shell.index('id="screen-element-U8"')
    _, token = make_kiosk(akta["two"], "Tablet baru")
    config = client.get("/kiosk/api/config", headers={"Authorization": f"Bearer {token}"}).json
    assert config["services"] == [{"code": "AKTA-LAHIR", "name": "Akta Kelahiran"},
                                  {"code": "AKTA-MATI", "name": "Akta Kematian"}]
    assert [e["code"] for e in config["elements"]][-2:] == ["U9", "U8"]
    assert config["elements"][3]["answers"][-1] == "Gratis"



def test_a_citizens_phone_sends_the_service_too(client, akta):
    from kinerja.feedback import phone
    link = f"/kiosk/ponsel/{phone.sign_counter(akta['two'].id)}"
    page = client.get(link)
    assert "Layanan apa yang Anda terima hari ini?" in page.text
    item = rating_item(NOW, 4, service="AKTA-LAHIR", elements={"U4": 4})
    response = client.post(f"/kiosk/api/ponsel/{phone.sign_counter(akta['two'].id)}/ratings",
                           json={"ratings": [item]})
    assert response.json["results"][0]["status"] == "accepted"
    rating, = stored_ratings()
    assert (rating.service_id, rating.elements()) == (akta["lahir"].id, {"U4": 4})

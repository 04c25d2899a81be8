"""TPP inputs: the month's sheet per unit against figures worked out by hand, the formula HR
sets per year, renormalisation when a component does not apply, who may see it, and the Excel,
PDF and API that carry the same figures."""
import io
from datetime import date
from fractions import Fraction

import pytest

from kinerja.appraisal.models import EvaluationStatus
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.integration import tpp
from kinerja.integration.models import TppFormula
from kinerja.integration.tpp_formula import Inputs, compute, explain
from kinerja.performance.models import ActivityStatus, SkpStatus
from tests.builders import (
    make_activity,
    make_api_token,
    make_counter,
    make_employee,
    make_evaluation,
    make_period,
    make_rating,
    make_realisation,
    make_rhk,
    make_roster,
    make_skp,
    make_unit,
)

NOW = "2026-05-10 03:00:00+00:00"
pytestmark = pytest.mark.usefixtures("frozen_clock")
WEIGHTS = {"predikat": 40, "realisation": 30, "regularity": 10, "hours": 10, "ikm": 10}
PERCENTS = {"sangat_baik": 100, "baik": 100, "butuh_perbaikan": 75, "kurang": 50,
            "sangat_kurang": 25}
# April 2026: 22 weekdays, Good Friday (3 April) off.
WORKING_DAYS = 21
EXPECTED_HOURS = Fraction(15, 2) * WORKING_DAYS  # 157,5
ELEMENTS_ALL_4 = {f"U{n}": 4 for n in range(1, 10)}


@pytest.fixture
def unit(org):
    """Bidang TPP with Sie Loket under it: Ani (an evaluated planner), Budi (a lower-is-better
    indicator, an older predikat, counter duty) and Citra (in the section below, nothing yet);
    and one who left (not listed)."""
    period = make_period(2026)
    bidang = make_unit("Bidang TPP", code="TPP")
    loket = make_unit("Sie Loket", parent=bidang, code="TPP-L")
    ani = make_employee("Ani TPP", unit=bidang)
    budi = make_employee("Budi TPP", unit=bidang)
    make_employee("Citra TPP", unit=loket)
    make_employee("Dodi Pensiun", unit=bidang, active=False)

    # Ani: 30 dokumen a year, 8 done in April (due by April's end: 30 x 4/12 = 10).
    ani_skp = make_skp(ani, period, status=SkpStatus.APPROVED)
    rhk = make_rhk(ani_skp, target="30")
    for n, day in enumerate([6, 7, 8, 9, 13, 14, 15, 16]):
        make_activity(ani, rhk, date(2026, 4, day),
                      status=ActivityStatus.VERIFIED if n < 6 else ActivityStatus.REPORTED)
    make_evaluation(ani_skp, point=4, result="sesuai", behaviour="sesuai")  # Baik

    # Budi: at most 6 days a case; 4 by April's end against the 2 due is half as good.
    budi_skp = make_skp(budi, period, status=SkpStatus.APPROVED)
    budi_rhk = make_rhk(budi_skp, target="6", unit_of_measure="hari")
    budi_rhk.indicators[0].lower_is_better = True
    db.session.commit()
    make_realisation(budi_rhk.indicators[0], 4, "4")
    for day in (6, 7):
        make_activity(budi, budi_rhk, date(2026, 4, day), quantity=None, minutes=90,
                      status=ActivityStatus.VERIFIED)
    make_evaluation(budi_skp, point=2, result="di_bawah", behaviour="sesuai")  # Butuh Perbaikan
    make_evaluation(budi_skp, point=4)  # April's is still a draft
    counter = make_counter(bidang, code="TPP-01")
    make_roster(counter, budi, date(2026, 4, 6), date(2026, 4, 7))
    for _ in range(3):
        make_rating(counter, date(2026, 4, 6), elements=ELEMENTS_ALL_4, staff=budi)
    return {"bidang": bidang, "ani": ani, "budi": budi}


# Worked out by hand, component by component (score x weight) / the weights that apply.
ANI = (40 * Fraction(1) + 30 * Fraction(8, 10) + 10 * Fraction(8, 21)
       + 10 * (Fraction(6 * 60, 60) / EXPECTED_HOURS)) / 90          # no counter duty: 90
BUDI_IKM = Fraction(999, 10)  # four on every element, 0,111 per element: 3,996 x 25
BUDI = (40 * Fraction(3, 4) + 30 * Fraction(1, 2) + 10 * Fraction(2, 21)
        + 10 * (Fraction(3) / EXPECTED_HOURS) + 10 * BUDI_IKM / 100) / 100
CITRA = Fraction(0)  # nothing applies but regularity and hours, both 0


def test_the_sheet_matches_the_figures_worked_out_by_hand(org, unit):
    sheet = tpp.sheet(org.hr, unit["bidang"], 2026, 4, date(2026, 5, 10))
    assert sheet.working_days == WORKING_DAYS
    rows = {row.employee.name: row for row in sheet.rows}
    assert list(rows) == ["Ani TPP", "Budi TPP", "Citra TPP"]  # the section below, not who left
    assert ANI == Fraction(716, 945)
    assert rows["Ani TPP"].result.share == ANI
    assert rows["Ani TPP"].inputs.realisation == Fraction(4, 5)
    assert (rows["Ani TPP"].inputs.active_days, rows["Ani TPP"].inputs.verified_minutes) == (8, 360)
    assert rows["Ani TPP"].result.left_out == ("ikm",)
    assert rows["Budi TPP"].inputs.realisation == Fraction(1, 2)  # lower is better: 2 / 4
    assert rows["Budi TPP"].inputs.predikat == "butuh_perbaikan"
    assert "penilaian bulan 2" in rows["Budi TPP"].predikat_source
    assert rows["Budi TPP"].inputs.ikm == BUDI_IKM
    assert rows["Budi TPP"].result.share == BUDI
    assert rows["Citra TPP"].result.share == CITRA
    assert rows["Citra TPP"].result.left_out == ("predikat", "realisation", "ikm")
    assert rows["Ani TPP"].explanation.endswith("bagian kinerja = 75,77%")
    assert "Predikat Baik 100% = 100% × bobot 40" in rows["Ani TPP"].explanation


def test_the_kabupaten_sheet_lists_everyone_active_but_the_ppk(org, unit):
    make_employee("Bupati", nip=None, is_ppk=True)
    names = [row.employee.name for row in tpp.sheet(org.hr, None, 2026, 4).rows]
    assert "Ani TPP" in names and "Ani Lestari" in names
    assert "Bupati" not in names and "Dodi Pensiun" not in names


def test_a_component_that_does_not_apply_is_left_out_and_the_weights_renormalised():
    everything = Inputs(predikat="baik", predikat_label="Baik", realisation=Fraction(1, 2),
                        active_days=10, working_days=20, verified_minutes=0, ikm=Fraction(80))
    share = compute(everything, WEIGHTS, PERCENTS, Fraction(15, 2))
    assert share.share == (40 + 15 + 5 + 0 + 8) / Fraction(100)
    no_counter = compute(Inputs(predikat="baik", realisation=Fraction(1, 2), active_days=10,
                                working_days=20), WEIGHTS, PERCENTS, Fraction(15, 2))
    assert no_counter.share == Fraction(40 + 15 + 5 + 0, 90)
    assert no_counter.left_out == ("ikm",)
    assert "tidak berlaku: IKM" in explain(no_counter)
    capped = compute(Inputs(realisation=Fraction(3, 2), working_days=1, verified_minutes=9999),
                     WEIGHTS, PERCENTS, Fraction(15, 2))
    assert capped.share == Fraction(30 + 0 + 10, 50)  # realisation and hours capped at 1
    assert compute(Inputs(), WEIGHTS, PERCENTS, Fraction(15, 2)).share is None


def test_hr_sets_the_years_formula_and_the_sheet_follows_it(org, unit, login_as):
    hr = login_as("hr")
    assert hr.get("/tpp/formula").status_code == 200
    form = {"year": "2026", "weight_predikat": "50", "weight_realisation": "50",
            "weight_regularity": "0", "weight_hours": "0", "weight_ikm": "0",
            "hours_per_day": "7,5", **{f"percent_{k}": str(v) for k, v in PERCENTS.items()}}
    response = hr.post("/tpp/formula", data={**form, "percent_butuh_perbaikan": "60"})
    assert response.status_code == 302
    row = db.session.scalar(db.select(TppFormula).where(TppFormula.year == 2026))
    assert (row.weight_predikat, row.predikat_percents["butuh_perbaikan"]) == (50, 60)
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "tpp.formula"))
    rows = {r.employee.name: r for r in tpp.sheet(org.hr, unit["bidang"], 2026, 4).rows}
    assert rows["Budi TPP"].result.share == (50 * Fraction(60, 100) + 50 * Fraction(1, 2)) / 100
    bad = hr.post("/tpp/formula", data={**form, "weight_predikat": "0", "weight_realisation": "0"})
    assert bad.status_code == 400 and "Sedikitnya satu bobot" in bad.text


def test_only_hr_opens_the_tpp_pages(org, unit, login_as):
    for path in ("/tpp?unit=TPP&bulan=2026-04", "/tpp.xlsx?unit=TPP&bulan=2026-04",
                 "/tpp/formula"):
        assert login_as("employee").get(path).status_code == 403
        assert login_as("admin").get(path).status_code == 403
    hr = login_as("hr")
    page = hr.get("/tpp?unit=TPP&bulan=2026-04")
    assert page.status_code == 200 and "75,77%" in page.text and "Ani TPP" in page.text
    assert hr.get("/tpp?bulan=2026-13").status_code == 400
    assert hr.get("/tpp?unit=NOPE&bulan=2026-04").status_code == 400


def test_the_excel_and_pdf_carry_the_figures(org, unit, login_as):
    from openpyxl import load_workbook
    hr = login_as("hr")
    book = load_workbook(io.BytesIO(hr.get("/tpp.xlsx?unit=TPP&bulan=2026-04").data))
    rows = {r[1]: r for r in book.active.iter_rows(min_row=3, values_only=True) if r[1]}
    assert rows["Ani TPP"][3] == "Baik" and rows["Ani TPP"][4] == 0.8
    assert rows["Ani TPP"][9] == pytest.approx(float(ANI), abs=1e-4)
    assert rows["Budi TPP"][8] == pytest.approx(99.9)
    import pypdfium2
    pdf = hr.get("/tpp.pdf?unit=TPP&bulan=2026-04")
    assert pdf.mimetype == "application/pdf"
    document = pypdfium2.PdfDocument(pdf.data)
    text = "".join("".join(document[n].get_textpage().get_text_range()
                           for n in range(len(document))).split())  # lines wrap in cells
    document.close()
    assert "AniTPP" in text and "75,77%" in text and "99,9" in text


def test_the_api_answers_hr_tokens_with_the_scope_only(client, org, unit):
    def get(token, query="?unit=TPP&month=2026-04"):
        return client.get(f"/api/v1/tpp{query}", headers={"Authorization": f"Bearer {token}"})

    without_scope = make_api_token(org.hr, scopes=("ikm:read",))[1]
    assert get(without_scope).status_code == 403
    not_hr = make_api_token(org.admin, scopes=("kinerja:read",))[1]
    assert get(not_hr).status_code == 403
    token = make_api_token(org.hr, scopes=("kinerja:read",))[1]
    body = get(token).json
    assert (body["month"], body["working_days"], body["total"]) == ("2026-04", 21, 3)
    ani = next(item for item in body["items"] if item["name"] == "Ani TPP")
    assert ani["share_exact"] == "716/945" and ani["predikat"] == "baik"
    assert [c["key"] for c in ani["components"]] == ["predikat", "realisation", "regularity", "hours"]
    assert get(token, "?unit=TPP&month=2026-4").status_code == 400
    assert get(token, "?unit=TPP").status_code == 400


def test_a_draft_is_no_predikat(org, unit):
    rows = {r.employee.name: r for r in tpp.sheet(org.hr, unit["bidang"], 2026, 1).rows}
    assert rows["Budi TPP"].inputs.predikat is None  # February's is later than January
    assert EvaluationStatus.DRAFT  # (April's draft is never read: see the first test)

"""Printed appraisal documents: the SKP and evaluation PDFs in the PermenPANRB 6/2022 layout,
the realisation of an evaluation's months, each employee's predikat for a period, the Excel
recap per unit, and who may have which."""
import io
from datetime import UTC, date, datetime

import pytest

from kinerja.appraisal import appraisal_documents as documents
from kinerja.appraisal.distribution import At
from kinerja.appraisal.models import Evaluation, EvaluationKind, EvaluationStatus, UnitPredikat
from kinerja.appraisal.predikat import Behaviour, OrganisationPredikat, Predikat, Rating
from kinerja.core.calendar import Cadence
from kinerja.core.errors import NotAllowed
from kinerja.extensions import db
from kinerja.organisation import identity
from kinerja.performance.models import Period, RhkKind, SkpStatus
from tests.builders import (
    make_activity,
    make_employee,
    make_evaluation,
    make_indicator,
    make_realisation,
    make_rhk,
    make_skp,
    make_unit,
)
from tests.organisation.test_identity import picture
from tests.queries import counted_statements

# 15 June 2026, late morning in Makassar (the test units are WITA).
NOW = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def plan(org, period):
    """Budi's approved SKP, and Ani's derived from it: one main RHK (a quantity indicator, target
    12 dokumen, and a quality one) and one additional RHK; activities in Feb, Mar and Apr."""
    budi, ani = org.supervisor.employee, org.employee.employee
    boss_skp = make_skp(budi, period, status=SkpStatus.APPROVED)
    boss_rhk = make_rhk(boss_skp, "Meningkatnya kualitas layanan administrasi kependudukan")
    skp = make_skp(ani, period, status=SkpStatus.APPROVED)
    skp.approver, skp.decided_at = budi, datetime(2026, 1, 10, 2, 0, tzinfo=UTC)
    main = make_rhk(skp, "Terlayaninya penerbitan dokumen kependudukan", parent=boss_rhk)
    quality = make_indicator(main, text="Persentase dokumen tanpa kesalahan", target="95")
    extra = make_rhk(skp, "Tersusunnya laporan inovasi layanan", kind=RhkKind.ADDITIONAL,
                     target="2", unit_of_measure="laporan")
    for day, quantity in ((date(2026, 2, 3), "2"), (date(2026, 3, 4), "1"), (date(2026, 3, 5), "2"),
                          (date(2026, 4, 6), "1")):
        make_activity(ani, main, day, quantity=quantity)
    make_realisation(quality, 3, "90")
    db.session.commit()
    return skp, main, quality, extra


def pdf_text(data: bytes) -> str:
    import pypdfium2

    assert data.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(data)
    return "\n".join(document[n].get_textpage().get_text_range() for n in range(len(document)))


def flat(text: str) -> str:
    """PDF text with its line breaks undone, to find words a table cell wrapped."""
    return " ".join(text.split())


# ---------------------------------------------------------------- the point of an evaluation


@pytest.mark.parametrize(("cadence", "kind", "point", "months", "title"), [
    (Cadence.MONTHLY, EvaluationKind.PERIODIC, 3, [3], "Bulan Maret"),
    (Cadence.MONTHLY, EvaluationKind.PERIODIC, 12, [12], "Bulan Desember"),
    (Cadence.QUARTERLY, EvaluationKind.PERIODIC, 2, [4, 5, 6], "Triwulan II"),
    (Cadence.QUARTERLY, EvaluationKind.PERIODIC, 4, [10, 11, 12], "Triwulan IV"),
    (Cadence.MONTHLY, EvaluationKind.ANNUAL, 0, list(range(1, 13)), "Tahunan"),
])
def test_an_evaluation_covers_its_month_quarter_or_year(app, cadence, kind, point, months, title):
    evaluation = Evaluation(kind=kind, point=point, period=Period(year=2024, cadence=cadence))
    with app.test_request_context():
        assert list(documents.point_months(evaluation)) == months
        assert documents.point_title(evaluation) == title
    starts, ends = documents.point_dates(evaluation)
    assert starts == date(2024, months[0], 1)
    assert ends.month == months[-1] and (ends.day == 29 if months[-1] == 2 else ends.day >= 30)


def test_february_ends_on_its_last_day(app):
    evaluation = Evaluation(kind=EvaluationKind.PERIODIC, point=2,
                            period=Period(year=2024, cadence=Cadence.MONTHLY))
    assert documents.point_dates(evaluation) == (date(2024, 2, 1), date(2024, 2, 29))


# ---------------------------------------------------------------- the documents' content


def test_the_skp_document_lays_out_the_plan_with_its_cascade(app, org, plan):
    skp, main, quality, extra = plan
    with app.test_request_context():
        doc = documents.skp_document(skp)
    assert doc.employee.name == "Ani Lestari" and doc.employee.nip == org.employee.employee.nip
    assert doc.employee.unit == "Bidang Pelayanan, Dinas Kependudukan dan Pencatatan Sipil"
    assert doc.appraiser.name == "Budi Santoso" and doc.appraiser.position == "Kepala Bidang"
    assert (doc.starts, doc.ends) == (date(2026, 1, 1), date(2026, 12, 31))
    assert doc.signed_on == date(2026, 1, 10)  # the approval, in the unit's zone
    assert not doc.draft
    assert [row.text for row in doc.main] == [main.text]
    assert doc.main[0].parent_text == "Meningkatnya kualitas layanan administrasi kependudukan"
    assert [line.text for line in doc.main[0].indicators] == [main.indicators[0].text, quality.text]
    assert [row.text for row in doc.additional] == [extra.text]
    assert [row.name for row in doc.behaviours][:2] == ["Berorientasi Pelayanan", "Akuntabel"]
    assert len(doc.behaviours) == 7


def test_until_an_identity_is_saved_the_government_line_comes_from_the_top_unit(app, org, plan):
    org.dinas.parent = make_unit("Sekretariat Daerah Kabupaten Bulungan")
    db.session.commit()
    with app.test_request_context():
        doc = documents.skp_document(plan[0])
    assert doc.government == "PEMERINTAH KABUPATEN BULUNGAN"
    assert doc.place == ""   # the place of signing comes from the saved identity only
    assert doc.logo is None
    # The kabupaten's own root unit is not repeated in the unit kerja.
    assert doc.employee.unit == "Bidang Pelayanan, Dinas Kependudukan dan Pencatatan Sipil"


def test_the_documents_name_the_government_and_place_the_admin_saved(app, org, plan):
    identity.update(org.admin, government_name="Pemerintah Kabupaten Bulungan",
                    short_name="Kabupaten Bulungan", place="Tanjung Selor", accent=None,
                    logo=picture())
    evaluation = make_evaluation(plan[0], point=3, result="sesuai", behaviour="sesuai")
    with app.test_request_context():
        for doc in (documents.skp_document(plan[0]), documents.evaluation_document(evaluation)):
            assert (doc.government, doc.place) == ("PEMERINTAH KABUPATEN BULUNGAN", "Tanjung Selor")
            assert doc.logo == identity.logo_png()


def _lines(doc):
    return {line.text: line for row in doc.main + doc.additional for line in row.indicators}


def test_a_monthly_evaluation_shows_the_realisation_of_its_month(app, org, plan):
    skp, main, quality, _ = plan
    evaluation = make_evaluation(skp, point=3, result="sesuai", behaviour="di_atas")
    with app.test_request_context():
        doc = documents.evaluation_document(evaluation)
    lines = _lines(doc)
    quantity = lines[main.indicators[0].text]
    assert quantity.realised == 3 and quantity.cumulative == 5  # March; February + March
    assert lines[quality.text].realised == 90
    assert lines["Jumlah tersusunnya laporan inovasi layanan"].realised == 0
    assert (doc.starts, doc.ends) == (date(2026, 3, 1), date(2026, 3, 31))
    assert doc.main[0].rating is Rating.AS_EXPECTED
    assert doc.result_rating == "Sesuai Ekspektasi" and doc.behaviour_rating == "Di Atas Ekspektasi"
    assert doc.predikat == "Baik" and not doc.draft
    assert doc.appraiser.name == "Budi Santoso"
    assert doc.appraiser_supervisor.name == "Hj. Siti Rahmawati"


def test_a_quarterly_and_an_annual_evaluation_add_up_their_months(app, org, plan):
    skp, main, _, _ = plan
    skp.period.cadence = Cadence.QUARTERLY
    db.session.commit()
    first_quarter = make_evaluation(skp, point=1)
    second_quarter = make_evaluation(skp, point=2)
    annual = make_evaluation(skp, annual=True)
    text = main.indicators[0].text
    with app.test_request_context():
        assert _lines(documents.evaluation_document(first_quarter))[text].realised == 5
        assert _lines(documents.evaluation_document(second_quarter))[text].realised == 1
        assert _lines(documents.evaluation_document(annual))[text].realised == 6
        assert documents.evaluation_document(annual).title == "Tahunan"


def test_the_ratings_per_rhk_and_per_value_carry_their_notes(app, org, plan):
    skp, main, _, extra = plan
    evaluation = make_evaluation(skp, point=3, result="di_bawah", behaviour="sesuai",
                                 behaviours={Behaviour.LOYAL: Rating.ABOVE})
    evaluation.result_ratings[0].note = "Target dokumen belum tercapai"
    evaluation.behaviour_ratings[0].note = "Ramah kepada warga"
    db.session.commit()
    with app.test_request_context():
        doc = documents.evaluation_document(evaluation)
    rows = {row.text: row for row in doc.main + doc.additional}
    assert rows[main.text].rating is Rating.BELOW
    assert "Target dokumen belum tercapai" in (rows[main.text].note, rows[extra.text].note)
    behaviours = {row.name: row for row in doc.behaviours}
    assert behaviours["Loyal"].rating_label == "Di Atas Ekspektasi"
    assert behaviours["Berorientasi Pelayanan"].note == "Ramah kepada warga"
    assert doc.predikat == "Butuh Perbaikan"


def test_the_organisation_predikat_is_the_nearest_recorded_one(app, org, plan):
    skp = plan[0]
    db.session.add(UnitPredikat(unit=org.dinas, period=skp.period,
                                predikat=OrganisationPredikat.GOOD))
    db.session.commit()
    evaluation = make_evaluation(skp, point=3, result="sesuai", behaviour="sesuai")
    with app.test_request_context():
        assert documents.evaluation_document(evaluation).organisation_predikat == "Baik"


# ---------------------------------------------------------------- the PDFs


def image_count(data: bytes) -> int:
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    document = pypdfium2.PdfDocument(data)
    return sum(len(list(document[n].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])))
               for n in range(len(document)))


def bulungan(org, **changes):
    identity.update(org.admin, **{"government_name": "Pemerintah Kabupaten Bulungan",
                                  "short_name": "Kabupaten Bulungan", "place": "Tanjung Selor",
                                  "accent": None} | changes)


def test_the_skp_pdf_is_the_official_form(login_as, org, plan):
    skp = plan[0]
    bulungan(org)
    response = login_as("employee").get(f"/skp/{skp.id}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "inline" in response.headers["Content-Disposition"]
    text = flat(pdf_text(response.data))
    assert "SASARAN KINERJA PEGAWAI" in text
    assert "PEGAWAI YANG DINILAI" in text and "PEJABAT PENILAI KINERJA" in text
    assert "1 JANUARI S.D. 31 DESEMBER TAHUN 2026" in text
    for words in ("Ani Lestari", org.employee.employee.nip, "Budi Santoso",
                  org.supervisor.employee.nip, "Terlayaninya penerbitan dokumen kependudukan",
                  "Meningkatnya kualitas layanan administrasi kependudukan",
                  "Tersusunnya laporan inovasi layanan", "12 dokumen", "Kolaboratif",
                  "EKSPEKTASI KHUSUS PIMPINAN", "Tanjung Selor, 10 Januari 2026"):
        assert words in text, words
    assert "DRAF" not in text


def test_the_skp_pdf_letterhead_carries_the_kabupatens_name_logo_and_place(login_as, org, plan):
    skp = plan[0]
    before = login_as("employee").get(f"/skp/{skp.id}/pdf").data
    assert image_count(before) == 0  # a drawn shield until a logo is uploaded
    bulungan(org, government_name="Pemerintah Kabupaten Tana Tidung", place="Tideng Pale",
             logo=picture())
    response = login_as("employee").get(f"/skp/{skp.id}/pdf")
    text = flat(pdf_text(response.data))
    assert text.startswith("PEMERINTAH KABUPATEN TANA TIDUNG")  # the kop, above the form
    assert "Tideng Pale, 10 Januari 2026" in text
    assert image_count(response.data) == 1


def test_an_skp_not_yet_approved_is_marked_draft(login_as, org, plan):
    skp = plan[0]
    skp.status = SkpStatus.SUBMITTED
    db.session.commit()
    text = pdf_text(login_as("supervisor").get(f"/skp/{skp.id}/pdf").data)
    assert "DRAF" in text


def test_the_evaluation_pdf_shows_the_ratings_and_the_predikat(app, login_as, org, plan):
    skp = plan[0]
    evaluation = make_evaluation(skp, point=3, result="di_bawah", behaviour="sesuai")
    bulungan(org, place="Tanjung Redeb")
    response = login_as("hr").get(f"/penilaian/{evaluation.id}/pdf")
    assert response.status_code == 200
    text = flat(pdf_text(response.data))
    for words in ("EVALUASI KINERJA PEGAWAI", "PERIODE: BULAN MARET",
                  "1 MARET S.D. 31 MARET TAHUN 2026", "ATASAN PEJABAT PENILAI KINERJA",
                  "Ani Lestari", org.employee.employee.nip, "Budi Santoso",
                  "Hj. Siti Rahmawati", org.head.employee.nip,
                  "Terlayaninya penerbitan dokumen kependudukan", "3 dokumen",
                  "Di Bawah Ekspektasi", "RATING HASIL KERJA", "RATING PERILAKU KERJA",
                  "PREDIKAT KINERJA PEGAWAI", "BUTUH PERBAIKAN", "Tanjung Redeb,"):
        assert words in text, words
    assert "DRAF" not in text


def test_a_draft_evaluation_pdf_says_draft(login_as, org, plan):
    evaluation = make_evaluation(plan[0], point=5)
    assert evaluation.status is EvaluationStatus.DRAFT
    response = login_as("supervisor").get(f"/penilaian/{evaluation.id}/pdf")
    assert response.status_code == 200
    assert "draf" in response.headers["Content-Disposition"]
    text = flat(pdf_text(response.data))
    assert "DRAF — penilaian belum ditetapkan" in text
    assert "BELUM DITETAPKAN" in text  # no predikat yet


def test_the_documents_follow_the_performance_they_print(login_as, org, plan):
    skp = plan[0]
    evaluation = make_evaluation(skp, point=3, result="sesuai", behaviour="sesuai")
    for role in ("outsider", "teammate", "admin"):
        client = login_as(role)
        assert client.get(f"/skp/{skp.id}/pdf").status_code == 403, role
        assert client.get(f"/penilaian/{evaluation.id}/pdf").status_code == 403, role
    for role in ("employee", "supervisor", "head", "hr"):
        assert login_as(role).get(f"/penilaian/{evaluation.id}/pdf").status_code == 200, role
    hr = login_as("hr")
    assert hr.get("/skp/999999/pdf").status_code == 404
    assert hr.get("/penilaian/999999/pdf").status_code == 404


def test_the_skp_page_offers_the_pdf(login_as, plan):
    page = login_as("employee").get(f"/skp/{plan[0].id}")
    assert f'href="/skp/{plan[0].id}/pdf"' in page.text
    assert "Unduh PDF" in page.text


# ---------------------------------------------------------------- predikat for a period


def test_the_annual_predikat_wins_once_set_else_the_latest_set_periodic(org, plan):
    skp = plan[0]
    make_evaluation(skp, point=2, result="di_atas", behaviour="di_atas")        # SB
    make_evaluation(skp, point=4, result="di_bawah", behaviour="sesuai")        # BP, latest set
    make_evaluation(skp, point=5)                                               # draft: ignored
    make_evaluation(skp, annual=True, result="sesuai", behaviour="sesuai",
                    status=EvaluationStatus.DRAFT)                              # not set yet
    ani = org.employee.employee.id
    found = documents.period_predikats(skp.period)
    assert found[ani].predikat is Predikat.NEEDS_IMPROVEMENT and found[ani].point == 4
    annual = db.session.scalar(db.select(Evaluation).filter_by(kind=EvaluationKind.ANNUAL))
    annual.status = EvaluationStatus.ACKNOWLEDGED
    db.session.commit()
    found = documents.period_predikats(skp.period)
    assert found[ani].predikat is Predikat.GOOD and found[ani].annual


JUNE = At("periodik", 6)  # the point _rated rates, unless annual


def _rated(employee, period, result, behaviour, *, annual=False):
    skp = make_skp(employee, period, rhks=1)
    return make_evaluation(skp, annual=annual, point=6, result=result, behaviour=behaviour)


def test_the_recap_counts_each_predikat_per_unit(org, period):
    _rated(org.employee.employee, period, "di_atas", "di_atas")           # SB
    _rated(org.teammate.employee, period, "di_bawah", "sesuai")           # BP
    _rated(org.supervisor.employee, period, "sesuai", "sesuai", annual=True)  # B
    _rated(org.outsider.employee, period, "di_bawah", "di_bawah")         # SK, other dinas
    make_unit("Kantor yang sudah ditutup", active=False)
    recap = documents.predikat_recap(org.hr, period, JUNE)
    lines = {line.name: line for line in recap.units}
    section = lines["Bidang Pelayanan"]
    # June's results only: Budi's annual result is not June's (one curve per point).
    assert section.employees == 3 and section.evaluated == 2
    assert section.counts[Predikat.VERY_GOOD] == 1 and section.counts[Predikat.GOOD] == 0
    assert float(section.share(Predikat.NEEDS_IMPROVEMENT)) == pytest.approx(1 / 2)
    assert lines["Dinas Kependudukan dan Pencatatan Sipil"].evaluated == 0  # only its head
    assert lines["Dinas Kesehatan"].counts[Predikat.VERY_POOR] == 1
    assert "Kantor yang sudah ditutup" not in lines
    assert recap.total.evaluated == 3 and recap.total.employees == 7
    annual = {line.name: line for line in documents.predikat_recap(org.hr, period).units}
    assert annual["Bidang Pelayanan"].evaluated == 1
    assert annual["Bidang Pelayanan"].counts[Predikat.GOOD] == 1
    assert list(lines).index("Bidang Pelayanan") == \
        list(lines).index("Dinas Kependudukan dan Pencatatan Sipil") + 1  # tree order
    assert len(recap.employees) == 7


def test_a_head_of_unit_gets_the_counts_of_their_units_only(org, period):
    _rated(org.employee.employee, period, "sesuai", "sesuai")
    _rated(org.outsider.employee, period, "di_bawah", "di_bawah")
    recap = documents.predikat_recap(org.head, period)
    assert {line.name for line in recap.units} == {
        "Dinas Kependudukan dan Pencatatan Sipil", "Bidang Pelayanan"}
    assert recap.employees is None
    assert {line.name for line in documents.predikat_recap(org.supervisor, period).units} \
        == {"Bidang Pelayanan"}
    with pytest.raises(NotAllowed):
        documents.predikat_recap(org.employee, period)


def test_the_recap_workbook_for_hr(login_as, org, period):
    from openpyxl import load_workbook

    _rated(org.employee.employee, period, "di_atas", "di_atas")
    _rated(org.teammate.employee, period, "sesuai", "sesuai")
    response = login_as("hr").get(f"/penilaian/rekap-predikat.xlsx?period_id={period.id}&titik=6")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "rekap-predikat-2026-6.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Rekap per unit", "Pegawai"]
    rows = list(book["Rekap per unit"].iter_rows(values_only=True))
    header = rows[2]
    assert header[:10] == ("Kode", "Unit", "Capaian organisasi", "Jumlah pegawai", "Dinilai",
                           "SB", "B", "BP", "K/M", "SK")
    section = next(row for row in rows if row[1] == "Bidang Pelayanan")
    assert section[3:10] == (3, 2, 1, 1, 0, 0, 0)
    assert section[10] == pytest.approx(0.5) and section[11] == pytest.approx(0.5)
    assert next(row for row in rows if row[1] == "Jumlah")[4] == 2
    people = {row[1]: row for row in book["Pegawai"].iter_rows(min_row=2, values_only=True)}
    assert people["Ani Lestari"][0] == org.employee.employee.nip
    assert people["Ani Lestari"][4:7] == ("Sangat Baik", "SB", "Evaluasi bulan Juni")
    assert people["Dewi Kartika"][4] == "Belum dinilai"


def test_the_recap_workbook_for_a_head_has_no_names(login_as, org, period):
    from openpyxl import load_workbook

    _rated(org.employee.employee, period, "di_atas", "di_atas")
    response = login_as("head").get("/penilaian/rekap-predikat.xlsx")  # the open period
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Rekap per unit"]
    units = [row[1] for row in book.active.iter_rows(min_row=4, values_only=True)
             if row[0] and row[3] is not None]
    assert units == ["Dinas Kependudukan dan Pencatatan Sipil", "Bidang Pelayanan"]


def test_the_recap_refuses_others_and_bad_periods(login_as, org, period):
    for role in ("employee", "teammate", "outsider", "admin"):
        assert login_as(role).get("/penilaian/rekap-predikat.xlsx").status_code == 403, role
    hr = login_as("hr")
    bad = hr.get("/penilaian/rekap-predikat.xlsx?period_id=dua")
    assert bad.status_code == 400 and "Periode tidak valid" in bad.text
    assert hr.get("/penilaian/rekap-predikat.xlsx?period_id=99999").status_code == 404


def test_the_recap_has_no_period_to_show(login_as, org):
    assert login_as("hr").get("/penilaian/rekap-predikat.xlsx").status_code == 404


def test_the_recap_makes_the_same_number_of_queries_for_3_or_30_employees(login_as, org, period):
    client = login_as("hr")
    units = [make_unit(f"Kecamatan {n}", parent=org.dinas) for n in range(3)]

    def add(how_many: int):
        for n in range(how_many):
            employee = make_employee(unit=units[n % 3], position=f"Jabatan {n % 4}")
            _rated(employee, period, ("di_atas", "sesuai", "di_bawah")[n % 3], "sesuai",
                   annual=n % 2 == 0)

    add(3)
    with counted_statements() as few:
        assert client.get(f"/penilaian/rekap-predikat.xlsx?period_id={period.id}").status_code == 200
    add(27)
    with counted_statements() as many:
        response = client.get(f"/penilaian/rekap-predikat.xlsx?period_id={period.id}")
    assert response.status_code == 200
    assert len(many) == len(few) <= 12, len(few)


def test_the_documents_print_in_english_too(login_as, org, plan):
    evaluation = make_evaluation(plan[0], point=3, result="sesuai", behaviour="sesuai")
    client = login_as("employee")
    client.post("/bahasa", data={"lang": "en"})
    response = client.get(f"/penilaian/{evaluation.id}/pdf")
    assert response.status_code == 200
    text = flat(pdf_text(response.data))
    assert "MARCH" in text and "Ani Lestari" in text
    assert login_as("hr").get(f"/skp/{plan[0].id}/pdf").status_code == 200

"""Rank and angka kredit where appraisals are read: the identity block of every printed form
carries Pangkat/Gol. ruang for the employee and the appraiser (PermenPANRB 6/2022's annex), and a
fungsional's set evaluation shows its angka kredit (PermenPANRB 1/2023) on the page, in the PDF
and in the predikat recap."""
import io
import zipfile
from datetime import UTC, datetime

import pytest

from kinerja.appraisal import credits
from kinerja.core.calendar import Cadence
from kinerja.extensions import db
from kinerja.organisation.asn import AsnStatus, Jenjang, PositionKind, Rank
from kinerja.performance.models import SkpStatus
from tests.appraisal.test_documents import flat, pdf_text
from tests.builders import make_evaluation, make_period, make_skp

NOW = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def ranked(org):
    """Ani is a Pranata Komputer Ahli Muda, Penata (III/c); her supervisor Budi a Pembina (IV/a)
    administrator; the head of the dinas has no rank recorded yet."""
    ani, budi = org.employee.employee, org.supervisor.employee
    ani.asn_status, ani.rank, ani.position_kind, ani.jenjang = (
        AsnStatus.PNS, Rank.III_C, PositionKind.FUNGSIONAL, Jenjang.AHLI_MUDA)
    budi.asn_status, budi.rank, budi.position_kind = (
        AsnStatus.PNS, Rank.IV_A, PositionKind.ADMINISTRATOR)
    db.session.commit()
    return ani, budi


def _identity(text: str) -> str:
    """The PDF's words in capitals (the form's labels are), with a line broken after a slash
    ("PANGKAT/ GOL. RUANG" in the narrow label column) joined again."""
    return flat(text).upper().replace("/ ", "/")


def test_the_skp_pdf_names_the_rank_of_the_employee_and_the_appraiser(login_as, org, period,
                                                                        ranked):
    skp = make_skp(ranked[0], period, status=SkpStatus.APPROVED)
    text = _identity(pdf_text(login_as("employee").get(f"/skp/{skp.id}/pdf").data))
    assert text.count("PANGKAT/GOL. RUANG") == 2  # the employee's block and the appraiser's
    assert "PENATA (III/C)" in text and "PEMBINA (IV/A)" in text


def test_the_evaluation_pdf_names_three_ranks_and_the_angka_kredit(login_as, org, period, ranked):
    skp = make_skp(ranked[0], period, status=SkpStatus.APPROVED, rhks=1)
    evaluation = make_evaluation(skp, point=3, result="di_atas", behaviour="di_atas")
    text = _identity(pdf_text(login_as("hr").get(f"/penilaian/{evaluation.id}/pdf").data))
    # Employee, appraiser and the appraiser's supervisor (no rank recorded: a dash).
    assert text.count("PANGKAT/GOL. RUANG") == 3
    assert "PENATA (III/C)" in text and "PEMBINA (IV/A)" in text
    # Sangat Baik for one month of Ahli Muda: 150% x 25 x 1/12 = 3.125.
    assert "ANGKA KREDIT (AHLI MUDA)" in text
    assert "3,125 (150% × 25 × 1/12)" in text


def test_no_angka_kredit_for_anyone_but_a_fungsional_or_before_the_result_is_set(
        login_as, org, period, ranked):
    budi_skp = make_skp(ranked[1], period, status=SkpStatus.APPROVED, rhks=1)
    budi_march = make_evaluation(budi_skp, point=3, result="sesuai", behaviour="sesuai")
    text = _identity(pdf_text(login_as("hr").get(f"/penilaian/{budi_march.id}/pdf").data))
    assert "ANGKA KREDIT" not in text
    ani_draft = make_evaluation(make_skp(ranked[0], period, status=SkpStatus.APPROVED, rhks=1),
                                point=4)
    assert credits.of_evaluation(ani_draft) is None
    assert "Angka kredit" not in login_as("hr").get(f"/penilaian/{ani_draft.id}").text


def test_the_evaluation_page_shows_the_angka_kredit_with_its_working(login_as, org, period,
                                                                      ranked):
    skp = make_skp(ranked[0], period, status=SkpStatus.APPROVED, rhks=1)
    evaluation = make_evaluation(skp, point=3, result="sesuai", behaviour="sesuai")
    for role in ("employee", "supervisor", "hr"):
        page = login_as(role).get(f"/penilaian/{evaluation.id}")
        assert page.status_code == 200
        # Baik for one month of Ahli Muda: 100% x 25 x 1/12 = 2.0833 -> 2,083.
        assert "Angka kredit (Ahli Muda)" in page.text, role
        assert "2,083" in page.text and "100% × 25 × 1/12" in page.text, role
    assert login_as("outsider").get(f"/penilaian/{evaluation.id}").status_code == 403


def test_a_quarter_and_the_year_earn_their_share(app, org, ranked):
    quarterly = make_period(2027, cadence=Cadence.QUARTERLY)
    skp = make_skp(ranked[0], quarterly, status=SkpStatus.APPROVED, rhks=1)
    quarter = make_evaluation(skp, point=2, result="sesuai", behaviour="sesuai")
    year = make_evaluation(skp, annual=True, result="di_bawah", behaviour="sesuai")
    with app.test_request_context():
        # Baik, Ahli Muda, a quarter: 100% x 25 x 3/12 = 6.25.
        assert str(credits.of_evaluation(quarter).value) == "6.250"
        assert credits.of_evaluation(quarter).working == "100% × 25 × 3/12"
        # Butuh Perbaikan for the year: 75% x 25 = 18.75.
        assert str(credits.of_evaluation(year).value) == "18.750"
        assert credits.of_evaluation(year).working == "75% × 25"


def test_the_recap_workbook_carries_each_fungsionals_angka_kredit(login_as, org, period, ranked):
    from openpyxl import load_workbook

    ani, budi = ranked
    make_evaluation(make_skp(ani, period, rhks=1), point=6, result="di_atas", behaviour="sesuai")
    make_evaluation(make_skp(budi, period, rhks=1), point=6, result="di_atas", behaviour="sesuai")
    response = login_as("hr").get(f"/penilaian/rekap-predikat.xlsx?period_id={period.id}&titik=6")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["Pegawai"]
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    column = header.index("Angka kredit")
    people = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    # Baik in June, Ahli Muda: 100% x 25 x 1/12 = 2.083.
    assert people["Ani Lestari"][column] == pytest.approx(2.083)
    assert people["Budi Santoso"][column] is None          # an administrator
    assert people["Rudi Hartono"][column] is None          # not evaluated


def test_bulk_printed_evaluations_carry_the_rank(login_as, org, period, ranked):
    skp = make_skp(ranked[0], period, status=SkpStatus.APPROVED, rhks=1)
    make_evaluation(skp, point=5, result="sesuai", behaviour="sesuai")
    hr = login_as("hr")
    started = hr.post("/cetak-massal", data={
        "unit": org.section.id, "period": period.id, "document": "evaluasi", "point": "5",
        "subunits": "y"})
    assert started.status_code == 302, started.text
    job = started.headers["Location"].rsplit("/", 1)[-1]
    archive = zipfile.ZipFile(io.BytesIO(hr.get(f"/tugas/{job}/unduh").data))
    [name] = [n for n in archive.namelist() if n.endswith(".pdf")]
    text = _identity(pdf_text(archive.read(name)))
    assert "PANGKAT/GOL. RUANG" in text and "PENATA (III/C)" in text
    assert "ANGKA KREDIT (AHLI MUDA)" in text

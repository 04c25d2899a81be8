"""Bulk print (every SKP or evaluation of a unit as one ZIP of PDFs) and the predikat recap as
background jobs. Small units: each PDF is a WeasyPrint run."""
import io
import re
import zipfile
from datetime import UTC, datetime

import pytest

from kinerja.appraisal import bulk_print
from kinerja.appraisal.bulk_print import Request
from kinerja.appraisal.predikat import Rating
from kinerja.core.errors import NotAllowed
from kinerja.performance.models import SkpStatus
from tests.appraisal.test_documents import pdf_text
from tests.builders import make_evaluation, make_skp

NOW = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen_clock")


def _job_id(response) -> int:
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def _zip(client, job_id: int) -> zipfile.ZipFile:
    download = client.get(f"/tugas/{job_id}/unduh")
    assert download.status_code == 200, download.text
    assert download.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(download.data))


def test_hr_gets_one_skp_pdf_per_employee_of_the_unit(login_as, org, period):
    budi, ani, rudi = org.supervisor.employee, org.employee.employee, org.teammate.employee
    make_skp(budi, period, status=SkpStatus.APPROVED)
    make_skp(ani, period, status=SkpStatus.APPROVED)
    make_skp(rudi, period)  # a draft: printed, and named so
    hr = login_as("hr")
    form = hr.get(f"/cetak-massal?unit={org.section.id}&periode={period.id}")
    assert form.status_code == 200
    assert re.search(rf'<option selected value="{org.section.id}">', form.text)
    job = _job_id(hr.post("/cetak-massal", data={
        "unit": org.section.id, "period": period.id, "document": "skp", "point": "tahunan",
        "subunits": "y"}))
    page = hr.get(f"/tugas/{job}")
    assert "3 PDF dalam satu ZIP." in page.text
    archive = _zip(hr, job)
    names = sorted(archive.namelist())
    assert names == sorted([f"skp-2026-{budi.nip}-budi-santoso.pdf",
                            f"skp-2026-{ani.nip}-ani-lestari.pdf",
                            f"skp-2026-{rudi.nip}-rudi-hartono-draf.pdf"])
    text = pdf_text(archive.read(f"skp-2026-{ani.nip}-ani-lestari.pdf"))
    assert "Ani Lestari" in text and "SASARAN KINERJA PEGAWAI" in text.upper()
    assert hr.get(f"/tugas/{job}/unduh").headers["Content-Disposition"].endswith(
        f"skp-{org.section.code.lower()}-2026.zip")


def test_evaluations_at_a_point_with_a_list_of_who_has_none(login_as, org, period):
    ani_skp = make_skp(org.employee.employee, period, status=SkpStatus.APPROVED)
    make_evaluation(ani_skp, point=5, result=Rating.AS_EXPECTED, behaviour=Rating.AS_EXPECTED)
    make_skp(org.teammate.employee, period, status=SkpStatus.APPROVED)  # no May evaluation
    head = login_as("head")  # the dinas head: the section is below the dinas
    job = _job_id(head.post("/cetak-massal", data={
        "unit": org.dinas.id, "period": period.id, "document": "evaluasi", "point": "5",
        "subunits": "y"}))
    archive = _zip(head, job)
    pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
    # Two units: a folder per unit.
    assert pdfs == [f"{org.section.code.lower()}/evaluasi-2026-5-{org.employee.employee.nip}-ani-lestari.pdf"]
    missing = archive.read(bulk_print.MISSING_LIST).decode()
    assert "Rudi Hartono" in missing and "Hj. Siti Rahmawati" in missing
    assert "Ani Lestari" not in missing
    assert "belum punya dokumen ini" in head.get(f"/tugas/{job}").text


def test_a_unit_with_nothing_to_print_fails_in_words(login_as, org, period):
    hr = login_as("hr")
    job = _job_id(hr.post("/cetak-massal", data={
        "unit": org.other_dinas.id, "period": period.id, "document": "skp", "point": "tahunan"}))
    page = hr.get(f"/tugas/{job}")
    assert "Gagal." in page.text and "Belum ada SKP untuk Dinas Kesehatan" in page.text


def test_a_point_the_period_has_not_is_refused_on_the_form(login_as, org, period):
    response = login_as("hr").post("/cetak-massal", data={
        "unit": org.section.id, "period": period.id, "document": "evaluasi", "point": "13"})
    assert response.status_code == 400


def test_heads_print_only_their_units_and_staff_not_at_all(login_as, org, period):
    with pytest.raises(NotAllowed):
        bulk_print.start(org.supervisor, Request(org.dinas, period, bulk_print.SKP), "id")
    assert [u.id for u in bulk_print.printable_units(org.supervisor)] == [org.section.id]
    budi = login_as("supervisor")
    refused = budi.post("/cetak-massal", data={"unit": org.dinas.id, "period": period.id,
                                               "document": "skp", "point": "tahunan"})
    assert refused.status_code == 400  # not one of the units offered
    assert login_as("employee").get("/cetak-massal").status_code == 403
    assert login_as("admin").get("/cetak-massal").status_code == 403


def test_another_person_cannot_download_the_zip(login_as, org, period):
    make_skp(org.employee.employee, period, status=SkpStatus.APPROVED)
    job = _job_id(login_as("hr").post("/cetak-massal", data={
        "unit": org.section.id, "period": period.id, "document": "skp", "point": "tahunan"}))
    for role in ("employee", "supervisor", "head", "admin"):
        assert login_as(role).get(f"/tugas/{job}/unduh").status_code == 403, role


def test_the_recap_is_made_in_the_background_from_the_appraisal_page(login_as, org, period):
    from openpyxl import load_workbook
    hr = login_as("hr")
    home = hr.get(f"/penilaian?period_id={period.id}").text
    assert "/penilaian/rekap-predikat" in home and "/cetak-massal?periode=" in home
    job = _job_id(hr.post("/penilaian/rekap-predikat", data={"period_id": period.id,
                                                             "titik": "tahunan"}))
    download = hr.get(f"/tugas/{job}/unduh")
    assert download.status_code == 200
    # One evaluation point per recap (here the annual), never a mix.
    assert download.headers["Content-Disposition"].endswith("rekap-predikat-2026-tahunan.xlsx")
    workbook = load_workbook(io.BytesIO(download.data))
    assert workbook.sheetnames[0] == "Rekap per unit"
    assert login_as("employee").post("/penilaian/rekap-predikat",
                                     data={"period_id": period.id}).status_code == 403

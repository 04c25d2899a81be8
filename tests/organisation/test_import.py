"""Importing employees from CSV and XLSX: preview every row, then create or update by NIP."""
import io

import pytest
from openpyxl import Workbook

from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.organisation.employee_import import apply_import, plan_import, read_rows
from kinerja.organisation.models import Employee
from tests.builders import make_employee, make_unit, valid_nip

BOSS, STAFF, OTHER = valid_nip(901), valid_nip(902), valid_nip(903)


def csv_file(*lines: str) -> bytes:
    return ("\n".join(["nip,nama,jabatan,kode_unit,nip_atasan,email", *lines]) + "\n").encode()


def xlsx_file(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def good_csv() -> bytes:
    return csv_file(
        f"{BOSS},Drs. Bambang Wijaya,Kepala Dinas,DISDIK,,bambang@example.go.id",
        f"{STAFF},Sri Wahyuni,Analis,DISDIK,{BOSS},",
        f"{OTHER},Ahmad Fauzi,Pengadministrasi,DISDIK,{STAFF},",
    )


def test_good_csv_creates_employees_with_their_supervisors(app):
    make_unit("Dinas Pendidikan", code="DISDIK")
    plan = apply_import(None, read_rows(good_csv(), 1000))
    assert plan.summary == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    staff = db.session.scalar(db.select(Employee).filter_by(nip=STAFF))
    assert staff.supervisor.nip == BOSS
    assert staff.unit.code == "DISDIK"
    assert staff.position_name == "Analis"


def test_reimporting_the_same_file_changes_nothing(app):
    make_unit("Dinas Pendidikan", code="DISDIK")
    apply_import(None, read_rows(good_csv(), 1000))
    plan = apply_import(None, read_rows(good_csv(), 1000))
    assert plan.summary["unchanged"] == 3
    assert db.session.scalar(db.select(db.func.count(Employee.id))) == 3


def test_reimport_updates_by_nip(app):
    make_unit("Dinas Pendidikan", code="DISDIK")
    apply_import(None, read_rows(good_csv(), 1000))
    changed = csv_file(f"{STAFF},Sri Wahyuni S.Kom,Pranata Komputer,DISDIK,{BOSS},")
    plan = apply_import(None, read_rows(changed, 1000))
    assert plan.summary["update"] == 1
    staff = db.session.scalar(db.select(Employee).filter_by(nip=STAFF))
    assert (staff.name, staff.position_name) == ("Sri Wahyuni S.Kom", "Pranata Komputer")


def test_bad_rows_are_listed_with_row_number_and_reason(app):
    make_unit("Dinas Pendidikan", code="DISDIK")
    rows = read_rows(csv_file(
        f"{BOSS},Drs. Bambang Wijaya,Kepala Dinas,DISDIK,,",
        "198502302010011003,Tanggal Salah,,DISDIK,,",
        f"{STAFF},,,DISDIK,,",
        f"{OTHER},Unit Asing,,NOPE,,",
        f"{valid_nip(904)},Atasan Hilang,,DISDIK,{valid_nip(905)},",
        f"{BOSS},Duplikat,,DISDIK,,",
        f"{valid_nip(906)},Email Salah,,DISDIK,,bukan-email",
    ), 1000)
    plan = plan_import(rows)
    reasons = {row.row_number: " ".join(str(e) for e in row.errors) for row in plan.bad_rows}
    assert set(reasons) == {3, 4, 5, 6, 7, 8}
    assert "Tanggal lahir" in reasons[3]
    assert "Nama wajib" in reasons[4]
    assert "NOPE" in reasons[5]
    assert "atasan" in reasons[6]
    assert "baris 2" in reasons[7]
    assert "email" in reasons[8]
    assert db.session.scalar(db.select(db.func.count(Employee.id))) == 0  # a plan writes nothing


def test_a_supervisor_cycle_is_refused(app):
    rows = read_rows(csv_file(f"{BOSS},A,,,{STAFF},", f"{STAFF},B,,,{BOSS},"), 1000)
    bad = plan_import(rows).bad_rows
    assert len(bad) == 2
    assert "melingkar" in " ".join(str(error) for error in bad[0].errors)


def test_a_cycle_through_the_database_is_refused(app):
    boss = make_employee(nip=BOSS)
    make_employee(nip=STAFF, supervisor=boss)
    rows = read_rows(csv_file(f"{BOSS},A,,,{STAFF},"), 1000)
    assert "melingkar" in " ".join(str(e) for e in plan_import(rows).bad_rows[0].errors)


def test_xlsx_is_read_by_content_and_semicolon_csv_too(app):
    data = xlsx_file([["NIP", "Nama", "Jabatan"], [BOSS, "Drs. Bambang Wijaya", "Kepala"]])
    assert read_rows(data, 10) == [(2, {"nip": BOSS, "name": "Drs. Bambang Wijaya",
                                        "position": "Kepala"})]
    semicolon = f"nip;nama\n{STAFF};Sri Wahyuni\n".encode()
    assert read_rows(semicolon, 10)[0][1]["name"] == "Sri Wahyuni"


def test_a_workbook_that_would_inflate_past_the_limit_is_refused_unread(app):
    import zipfile

    from kinerja.organisation.employee_import import ImportFileError
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * (300 * 1024 * 1024))
    with pytest.raises(ImportFileError, match="rusak"):
        read_rows(buffer.getvalue(), 10)


def _upload(client, data: bytes, filename="pegawai.csv"):
    return client.post("/pegawai/impor", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def _job_id(response) -> int:
    """The job an upload or a save started: the redirect goes to its page, /tugas/<id>."""
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_portal_preview_then_commit_run_as_jobs(login_as, org):
    make_unit("Dinas Pendidikan", code="DISDIK")
    hr = login_as("hr")
    check = _job_id(_upload(hr, good_csv()))
    preview = hr.get(f"/tugas/{check}")
    assert preview.status_code == 200
    assert "Sri Wahyuni" in preview.text
    assert f"/pegawai/impor/{check}/simpan" in preview.text
    assert db.session.scalar(db.select(Employee).filter_by(nip=STAFF)) is None
    save = _job_id(hr.post(f"/pegawai/impor/{check}/simpan"))
    done = hr.get(f"/tugas/{save}")
    assert done.status_code == 200
    assert "Impor selesai" in done.text
    assert db.session.scalar(db.select(Employee).filter_by(nip=STAFF)) is not None
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="employees.imported"))
    # The file is gone once saved: saving again is refused in words.
    again = hr.post(f"/pegawai/impor/{check}/simpan", follow_redirects=True)
    assert "Unggah lagi" in again.text


def test_portal_preview_lists_bad_rows(login_as, org):
    response = _upload(login_as("hr"), csv_file("12345,Terlalu Pendek,,,,"))
    assert "18 digit" in login_as("hr").get(f"/tugas/{_job_id(response)}").text


def test_portal_refuses_a_file_past_the_size_limit(app, login_as, org):
    app.config["IMPORT_MAX_BYTES"] = 100
    response = _upload(login_as("hr"), good_csv() * 3)
    assert response.status_code == 413
    assert "melebihi" in response.text


def test_a_file_that_is_not_a_table_fails_its_check_in_words(login_as, org):
    hr = login_as("hr")
    job = _job_id(_upload(hr, b"\x89PNG\r\n\x1a\n\x00\x00binary", "foto.csv"))
    page = hr.get(f"/tugas/{job}")
    assert page.status_code == 200
    assert "Gagal." in page.text and "bukan CSV" in page.text
    assert "Traceback" not in page.text


def test_commit_without_a_preview_goes_back_to_upload(login_as, org):
    response = login_as("hr").post("/pegawai/impor/999/simpan")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/pegawai/impor")


def test_someone_elses_import_cannot_be_saved(login_as, org):
    check = _job_id(_upload(login_as("hr"), good_csv()))
    admin = login_as("admin")
    assert admin.get(f"/tugas/{check}").status_code == 403
    response = admin.post(f"/pegawai/impor/{check}/simpan", follow_redirects=True)
    assert "Tidak ada berkas yang menunggu disimpan" in response.text


def test_only_hr_and_admin_may_import(login_as, org):
    assert _upload(login_as("employee"), good_csv()).status_code == 403
    assert login_as("head").get("/pegawai/impor").status_code == 403

"""The employee import's master data columns: status, pangkat/golongan, TMT, jenis jabatan and
jenjang, read as personnel exports write them, refused with a reason that says what to write,
and shown in the preview."""
import io
from datetime import date, datetime

from openpyxl import Workbook

from kinerja.extensions import db
from kinerja.organisation.asn import AsnStatus, Jenjang, PositionKind, Rank
from kinerja.organisation.employee_import import apply_import, plan_import, read_rows, template_csv
from kinerja.organisation.models import Employee
from tests.builders import make_employee, make_unit, valid_nip

HEADER = "nip,nama,status,pangkat,tmt_pangkat,jenis_jabatan,jenjang"
GURU, PERAWAT, STAFF, PPPK = valid_nip(801), valid_nip(802), valid_nip(803), valid_nip(804)


def rows(*lines: str, header: str = HEADER):
    return read_rows(("\n".join([header, *lines]) + "\n").encode(), 100)


def employee(nip: str) -> Employee:
    return db.session.scalar(db.select(Employee).filter_by(nip=nip))


def reasons(plan) -> dict[int, str]:
    return {row.row_number: " ".join(str(e) for e in row.errors) for row in plan.bad_rows}


def test_good_values_are_saved_as_the_official_terms(app):
    plan = apply_import(None, rows(
        f"{GURU},Yulianti,PNS,III/c,2022-10-01,Fungsional,Ahli Muda",
        f"{PERAWAT},Agus,pns,Pengatur Tk. I,01-04-2023,fungsional,terampil",
        f"{STAFF},Rudi,PNS,Penata Muda,,Pelaksana,",
        f"{PPPK},Sari,PPPK,IX,01/10/2024,JF,ahli pertama",
    ))
    assert plan.summary == {"create": 4, "update": 0, "unchanged": 0, "error": 0}
    guru = employee(GURU)
    assert (guru.asn_status, guru.rank, guru.rank_tmt, guru.position_kind, guru.jenjang) == (
        AsnStatus.PNS, Rank.III_C, date(2022, 10, 1), PositionKind.FUNGSIONAL, Jenjang.AHLI_MUDA)
    perawat = employee(PERAWAT)
    assert (perawat.rank, perawat.rank_tmt, perawat.jenjang) == (
        Rank.II_D, date(2023, 4, 1), Jenjang.TERAMPIL)
    staff = employee(STAFF)
    assert (staff.rank, staff.rank_tmt, staff.position_kind, staff.jenjang) == (
        Rank.III_A, None, PositionKind.PELAKSANA, None)
    pppk = employee(PPPK)
    assert (pppk.asn_status, pppk.rank, pppk.rank_tmt, pppk.position_kind) == (
        AsnStatus.PPPK, Rank.PPPK_IX, date(2024, 10, 1), PositionKind.FUNGSIONAL)


def test_a_rank_implies_the_status_and_a_jenjang_implies_fungsional(app):
    apply_import(None, rows(f"{PPPK},Sari,IX,Ahli Pertama",
                            header="nip,nama,golongan,jenjang"))
    pppk = employee(PPPK)
    assert (pppk.asn_status, pppk.rank, pppk.position_kind, pppk.jenjang) == (
        AsnStatus.PPPK, Rank.PPPK_IX, PositionKind.FUNGSIONAL, Jenjang.AHLI_PERTAMA)


def test_reimporting_changes_nothing_and_a_new_rank_is_an_update(app):
    line = f"{GURU},Yulianti,PNS,III/c,2022-10-01,Fungsional,Ahli Muda"
    apply_import(None, rows(line))
    assert plan_import(rows(line)).summary["unchanged"] == 1
    promoted = plan_import(rows(f"{GURU},Yulianti,PNS,III/d,2026-10-01,Fungsional,Ahli Muda"))
    assert promoted.summary["update"] == 1
    apply_import(None, rows(f"{GURU},Yulianti,PNS,III/d,2026-10-01,Fungsional,Ahli Muda"))
    assert (employee(GURU).rank, employee(GURU).rank_tmt) == (Rank.III_D, date(2026, 10, 1))


def test_a_file_without_the_columns_leaves_the_master_data_alone(app):
    make_employee("Yulianti", nip=GURU, rank=Rank.III_C, jenjang=Jenjang.AHLI_MUDA,
                  position_kind=PositionKind.FUNGSIONAL)
    db.session.commit()
    plan = apply_import(None, rows(f"{GURU},Yulianti", header="nip,nama"))
    assert plan.summary["unchanged"] == 1
    assert (employee(GURU).rank, employee(GURU).jenjang) == (Rank.III_C, Jenjang.AHLI_MUDA)


def test_an_empty_cell_clears_the_value(app):
    make_employee("Rudi", nip=STAFF, rank=Rank.III_A, position_kind=PositionKind.PELAKSANA)
    db.session.commit()
    apply_import(None, rows(f"{STAFF},Rudi,,,,Pelaksana,"))
    assert (employee(STAFF).rank, employee(STAFF).position_kind) == (None, PositionKind.PELAKSANA)


def test_wrong_values_are_refused_with_what_to_write(app):
    with app.test_request_context():
        plan = plan_import(rows(
            f"{valid_nip(811)},A,Honorer,,,,",
            f"{valid_nip(812)},B,PNS,III/f,,,",
            f"{valid_nip(813)},C,PNS,III/b,kemarin,,",
            f"{valid_nip(814)},D,PNS,III/b,,Eselon III,",
            f"{valid_nip(815)},E,PNS,III/b,,Fungsional,Madya",
            f"{valid_nip(816)},F,PPPK,III/b,,,",
            f"{valid_nip(817)},G,PNS,IX,,,",
            f"{valid_nip(818)},H,PNS,III/b,,Pengawas,Ahli Muda",
            f"{valid_nip(819)},I,PNS,,2021-04-01,,",
        ))
        found = reasons(plan)
    assert found == {
        2: "Status Honorer tidak dikenal: isi PNS atau PPPK.",
        3: "Pangkat/golongan III/f tidak dikenal: isi golongan ruang PNS (I/a sampai IV/e, "
           "mis. III/b) atau golongan PPPK (I sampai XVII).",
        4: "TMT pangkat kemarin bukan tanggal: tulis 2021-04-01 atau 01-04-2021.",
        5: "Jenis jabatan Eselon III tidak dikenal: isi JPT Utama, JPT Madya, JPT Pratama, "
           "Administrator, Pengawas, Pelaksana atau Fungsional.",
        6: "Jenjang Madya tidak dikenal: isi Pemula, Terampil, Mahir, Penyelia, Ahli Pertama, "
           "Ahli Muda, Ahli Madya atau Ahli Utama.",
        7: "Pangkat III/b adalah pangkat PNS; PPPK memakai golongan I sampai XVII.",
        8: "Golongan IX adalah golongan PPPK; PNS memakai pangkat I/a sampai IV/e.",
        9: "Jenjang hanya untuk jabatan fungsional (jenis jabatan di sini Pengawas).",
        10: "TMT pangkat diisi tanpa pangkat/golongan.",
    }


def test_a_workbooks_date_cell_is_a_tmt(app):
    workbook = Workbook()
    workbook.active.append(["nip", "nama", "pangkat", "tmt_pangkat"])
    workbook.active.append([GURU, "Yulianti", "III/c", datetime(2022, 10, 1)])
    out = io.BytesIO()
    workbook.save(out)
    apply_import(None, read_rows(out.getvalue(), 100))
    assert employee(GURU).rank_tmt == date(2022, 10, 1)


def test_the_template_carries_the_columns_and_a_good_example(app):
    template = template_csv()
    assert template.splitlines()[0].endswith("status,pangkat,tmt_pangkat,jenis_jabatan,jenjang")
    make_unit("Badan Kepegawaian", code="BKPSDM")
    data = template.replace("197901012005011001", "").encode()  # no such supervisor here
    with app.test_request_context():
        plan = plan_import(read_rows(data, 10))
    assert plan.bad_rows == []
    assert plan.rows[0].master_data == (
        "PNS · Penata Muda Tingkat I (III/b), TMT 2019-04-01 · Fungsional Ahli Pertama")


def _job_id(response) -> int:
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_the_preview_shows_each_rows_master_data(login_as, org):
    hr = login_as("hr")
    data = ("\n".join([HEADER, f"{GURU},Yulianti,PNS,III/c,2022-10-01,Fungsional,Ahli Muda",
                       f"{STAFF},Rudi,PNS,III/f,,,"]) + "\n").encode()
    check = _job_id(hr.post("/pegawai/impor", data={"file": (io.BytesIO(data), "pegawai.csv")},
                            content_type="multipart/form-data"))
    page = hr.get(f"/tugas/{check}").text
    assert "PNS · Penata (III/c), TMT 2022-10-01 · Fungsional Ahli Muda" in page
    assert "Pangkat/golongan III/f tidak dikenal" in page

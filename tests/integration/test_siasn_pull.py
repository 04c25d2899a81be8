"""Master data pulled from SIASN (the local contract server): SIASN's words read as ours, the
differences shown per field, accepted or rejected by HR row by row, a unit pulled in the
background, units mapped to SIASN unor once."""
from datetime import date

import pytest

from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.integration import siasn_pull
from kinerja.integration.models import ChangeDecision, SiasnChange, SiasnPull
from kinerja.organisation.asn import AsnStatus, Jenjang, PositionKind, Rank
from tests.builders import make_employee
from tests.integration.siasn_server import SiasnServer

UNOR = "A5EB03E2-DISDUK-BIDANG-PELAYANAN"


@pytest.fixture
def bkn(app):
    server = SiasnServer().start()
    app.config.update(server.settings())
    yield server
    server.stop()


def data_utama(employee, **changes) -> dict:
    """SIASN's data utama for an employee, as BKN writes it."""
    return {"id": f"ORANG-{employee.nip}", "nipBaru": employee.nip, "nama": employee.name,
            "gelarDepan": "", "gelarBelakang": "", "statusPegawai": "PNS",
            "jenisPegawaiNama": "PNS DAERAH KAB/KOTA", "golRuangAkhir": "III/b",
            "tmtGolAkhir": "01-04-2022", "jabatanNama": "Pengadministrasi Kependudukan",
            "jenisJabatan": "Fungsional Umum", "eselon": "", "unorId": UNOR,
            "unorNama": "Bidang Pelayanan", **changes}


def test_siasns_words_read_as_ours():
    values, notes = siasn_pull.proposed_values(
        {"nama": "Ani  Lestari", "gelarDepan": "Dr.", "gelarBelakang": "S.Kom., M.T.",
         "statusPegawai": "PNS", "golRuangAkhir": "III/c", "tmtGolAkhir": "01-10-2023",
         "jabatanNama": "Guru Ahli Muda", "jenisJabatan": "Fungsional Tertentu",
         "unorId": "X1", "unorNama": "SMPN 1"}, {})
    assert values["name"] == "Dr. Ani Lestari, S.Kom., M.T."
    assert (values["asn_status"], values["rank"], values["rank_tmt"]) == (
        AsnStatus.PNS, Rank.III_C, date(2023, 10, 1))
    assert (values["position_kind"], values["jenjang"]) == (PositionKind.FUNGSIONAL, Jenjang.AHLI_MUDA)
    assert values["unit"] is None and notes == ["unor SMPN 1 (X1) belum dipetakan ke unit kerja"]


@pytest.mark.parametrize(("kind", "eselon", "expected"), [
    ("Struktural", "II.b", PositionKind.JPT_PRATAMA), ("Struktural", "III.a", PositionKind.ADMINISTRATOR),
    ("Struktural", "IV.a", PositionKind.PENGAWAS), ("Fungsional Umum", "", PositionKind.PELAKSANA),
    ("Fungsional Tertentu", "", PositionKind.FUNGSIONAL), ("", "", None)])
def test_jenis_jabatan_follows_siasns_kind_and_eselon(kind, eselon, expected):
    assert siasn_pull.position_kind_of({"jenisJabatan": kind, "eselon": eselon}) is expected


def test_a_pppk_is_read_as_such():
    assert siasn_pull.status_of({"statusPegawai": "", "jenisPegawaiNama": "PPPK"}) is AsnStatus.PPPK


def test_a_units_master_data_is_pulled_and_accepted_row_by_row(app, org, bkn, login_as):
    org.section.siasn_unor_id = UNOR
    newcomer = make_employee("Rina Wati", unit=org.dinas, supervisor=org.supervisor.employee)
    db.session.commit()
    employee, teammate = org.employee.employee, org.teammate.employee
    bkn.people[employee.nip] = data_utama(employee, gelarBelakang="S.E.")
    bkn.people[teammate.nip] = data_utama(teammate, golRuangAkhir="III/a",
                                          tmtGolAkhir="01-04-2021", jabatanNama="Analis Data",
                                          jenisJabatan="Fungsional Tertentu")
    bkn.people[newcomer.nip] = data_utama(newcomer)  # SIASN puts her in Bidang Pelayanan
    supervisor = org.supervisor.employee
    bkn.people[supervisor.nip] = data_utama(supervisor, jenisJabatan="Struktural", eselon="IV.a",
                                            jabatanNama="Kepala Bidang Pelayanan")
    hr = login_as("hr")
    response = hr.post("/kelola/siasn/tarik", data={"unit_id": str(org.dinas.id)})
    assert response.status_code == 302 and "/tugas/" in response.headers["Location"]
    job_page = hr.get(response.headers["Location"]).text
    assert "perubahan menunggu keputusan" in job_page
    pulled = db.session.scalars(db.select(SiasnPull)).one()
    assert f"/kelola/siasn/tarikan/{pulled.id}" in job_page
    rows = {(change.employee_id, change.field): change for change in pulled.changes}
    assert rows[(employee.id, "name")].proposed == f"{employee.name}, S.E."
    assert rows[(employee.id, "rank")].proposed_text == "Penata Muda Tingkat I (III/b)"
    assert rows[(teammate.id, "position_kind")].proposed == "fungsional"
    assert rows[(newcomer.id, "unit")].current_text == org.dinas.name
    assert rows[(newcomer.id, "unit")].proposed_text == org.section.name
    assert rows[(supervisor.id, "position_kind")].proposed == "pengawas"
    assert (employee.id, "unit") not in rows  # already in Bidang Pelayanan
    page = hr.get(f"/kelola/siasn/tarikan/{pulled.id}").text
    assert "Penata Muda Tingkat I (III/b)" in page and newcomer.name in page
    # HR accepts the rank, rejects the name, then accepts the rest at once.
    hr.post(f"/kelola/siasn/perubahan/{rows[(employee.id, 'rank')].id}/terima")
    hr.post(f"/kelola/siasn/perubahan/{rows[(employee.id, 'name')].id}/tolak")
    db.session.expire_all()
    assert employee.rank is Rank.III_B and employee.name != f"{employee.name}, S.E."
    hr.post(f"/kelola/siasn/tarikan/{pulled.id}/terima-semua")
    db.session.expire_all()
    assert newcomer.unit_id == org.section.id
    assert (teammate.rank, teammate.rank_tmt) == (Rank.III_A, date(2021, 4, 1))
    assert teammate.position_name == "Analis Data" and teammate.position_kind is PositionKind.FUNGSIONAL
    assert rows[(employee.id, "name")].decision is ChangeDecision.REJECTED
    decisions = {change.decision for change in pulled.changes}
    assert decisions == {ChangeDecision.ACCEPTED, ChangeDecision.REJECTED}
    accepted = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "siasn.accepted")).all()
    assert len(accepted) == len(pulled.changes) - 1


def test_one_nip_is_pulled_at_once_and_an_unknown_one_is_a_note(app, org, bkn, login_as):
    employee = org.employee.employee
    bkn.people[employee.nip] = data_utama(employee, golRuangAkhir="III/c")
    hr = login_as("hr")
    response = hr.post("/kelola/siasn/tarik", data={"nip": employee.nip[:8] + " " + employee.nip[8:]})
    assert "/kelola/siasn/tarikan/" in response.headers["Location"]
    page = hr.get(response.headers["Location"]).text
    assert "Penata (III/c)" in page
    missing = hr.post("/kelola/siasn/tarik", data={"nip": org.teammate.employee.nip})
    assert "tidak ditemukan di SIASN" in hr.get(missing.headers["Location"]).text
    unknown = hr.post("/kelola/siasn/tarik", data={"nip": "199901012020011009"}, follow_redirects=True)
    assert "Tidak ada pegawai dengan NIP 199901012020011009" in unknown.text


def test_a_change_whose_data_moved_on_since_the_pull_is_not_applied(app, org, bkn, login_as):
    employee = org.employee.employee
    bkn.people[employee.nip] = data_utama(employee, golRuangAkhir="III/c")
    hr = login_as("hr")
    hr.post("/kelola/siasn/tarik", data={"nip": employee.nip})
    change = db.session.scalars(db.select(SiasnChange).filter_by(field="rank")).one()
    employee.rank = Rank.III_D  # HR edited the employee meanwhile
    db.session.commit()
    response = hr.post(f"/kelola/siasn/perubahan/{change.id}/terima", follow_redirects=True)
    assert "sudah berubah sejak ditarik" in response.text
    db.session.expire_all()
    assert employee.rank is Rank.III_D and change.decision is ChangeDecision.PENDING


def test_units_are_mapped_to_siasn_unor_once(app, org, login_as):
    hr = login_as("hr")
    assert hr.post(f"/kelola/siasn/unor/{org.section.id}", data={"unor_id": UNOR}).status_code == 302
    db.session.expire_all()
    assert org.section.siasn_unor_id == UNOR
    again = hr.post(f"/kelola/siasn/unor/{org.dinas.id}", data={"unor_id": UNOR}, follow_redirects=True)
    assert f"Unor itu sudah dipetakan ke {org.section.name}" in again.text
    assert login_as("employee").get("/kelola/siasn/unor").status_code == 403


def test_pulling_needs_siasn_configured(app, org, login_as):
    response = login_as("hr").post("/kelola/siasn/tarik", data={"nip": org.employee.employee.nip},
                                   follow_redirects=True)
    assert "SIASN belum dikonfigurasi" in response.text


def test_the_command_line_pulls_and_says_what_waits(app, org, bkn):
    employee = org.employee.employee
    bkn.people[employee.nip] = data_utama(employee, golRuangAkhir="III/c")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["siasn", "pull", "--nip", employee.nip])
    assert result.exit_code == 0, result.output
    assert "1 compared" in result.output and "rank: " in result.output
    assert "Penata (III/c)" in result.output
    status = runner.invoke(args=["siasn", "status"])
    assert "SIASN: configured" in status.output and "last reached BKN: 20" in status.output
    assert runner.invoke(args=["siasn", "pull"]).exit_code != 0
    dry = runner.invoke(args=["siasn", "push", "--dry-run"])
    assert dry.exit_code == 0 and "nothing to send" in dry.output

"""HR keeps an employee's status, pangkat/golongan with its TMT, jenis jabatan and jenjang on the
employee's record; the record shows them; nobody else may change them."""
from datetime import date

from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.organisation.asn import AsnStatus, Jenjang, PositionKind, Rank
from tests.organisation.test_organisation import employee_form


def ani_form(org, **changes) -> dict:
    ani = org.employee.employee
    return employee_form(nip=ani.nip, name=ani.name, unit_id=str(org.section.id),
                         supervisor_nip=org.supervisor.employee.nip, **changes)


def test_hr_records_the_master_data_and_the_record_shows_it(login_as, org):
    ani = org.employee.employee
    hr = login_as("hr")
    form = hr.get(f"/pegawai/{ani.id}/ubah")
    assert form.status_code == 200
    assert "Pangkat/golongan ruang" in form.text and "Penata Muda Tingkat I (III/b)" in form.text
    response = hr.post(f"/pegawai/{ani.id}/ubah", data=ani_form(
        org, asn_status="pns", rank="III/c", rank_tmt="2022-10-01", position_kind="fungsional",
        jenjang="ahli_muda"))
    assert response.status_code == 302, response.text
    db.session.refresh(ani)
    assert (ani.asn_status, ani.rank, ani.rank_tmt, ani.position_kind, ani.jenjang) == (
        AsnStatus.PNS, Rank.III_C, date(2022, 10, 1), PositionKind.FUNGSIONAL, Jenjang.AHLI_MUDA)
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="employee.updated"))
    assert event.details["changes"]["rank"] == [None, "III/c"]
    page = hr.get(f"/pegawai/{ani.id}").text
    assert "Penata (III/c)" in page and "TMT 1 Oktober 2022" in page
    assert "Fungsional Ahli Muda" in page
    # The employee reads their own record too.
    assert "Penata (III/c)" in login_as("employee").get(f"/pegawai/{ani.id}").text


def test_the_rank_says_the_status_and_the_jenjang_says_fungsional(login_as, org):
    ani = org.employee.employee
    response = login_as("hr").post(f"/pegawai/{ani.id}/ubah", data=ani_form(
        org, rank="IX", jenjang="ahli_pertama"))
    assert response.status_code == 302, response.text
    db.session.refresh(ani)
    assert (ani.asn_status, ani.position_kind) == (AsnStatus.PPPK, PositionKind.FUNGSIONAL)


def test_combinations_that_do_not_exist_are_refused_on_their_field(login_as, org):
    ani = org.employee.employee
    hr = login_as("hr")
    response = hr.post(f"/pegawai/{ani.id}/ubah", data=ani_form(
        org, asn_status="pppk", rank="III/c"))
    assert response.status_code == 400
    assert "Pangkat III/c adalah pangkat PNS; PPPK memakai golongan I sampai XVII." in response.text
    response = hr.post(f"/pegawai/{ani.id}/ubah", data=ani_form(
        org, position_kind="pengawas", jenjang="ahli_muda"))
    assert response.status_code == 400
    assert "Jenjang hanya untuk jabatan fungsional" in response.text
    response = hr.post(f"/pegawai/{ani.id}/ubah", data=ani_form(org, rank="III/x"))
    assert response.status_code == 400  # not one of the choices
    db.session.refresh(ani)
    assert ani.rank is None


def test_a_form_without_the_fields_keeps_them_and_blank_choices_clear_them(login_as, org):
    ani = org.employee.employee
    ani.rank, ani.position_kind = Rank.III_C, PositionKind.PELAKSANA
    db.session.commit()
    hr = login_as("hr")
    assert hr.post(f"/pegawai/{ani.id}/ubah", data=ani_form(org)).status_code == 302
    db.session.refresh(ani)
    assert (ani.rank, ani.position_kind) == (Rank.III_C, PositionKind.PELAKSANA)
    assert hr.post(f"/pegawai/{ani.id}/ubah", data=ani_form(
        org, asn_status="", rank="", rank_tmt="", position_kind="", jenjang="")).status_code == 302
    db.session.refresh(ani)
    assert (ani.rank, ani.position_kind) == (None, None)


def test_only_hr_and_admins_change_the_master_data(login_as, org):
    ani = org.employee.employee
    for role in ("employee", "supervisor", "head"):
        client = login_as(role)
        assert client.get(f"/pegawai/{ani.id}/ubah").status_code == 403, role
        response = client.post(f"/pegawai/{ani.id}/ubah", data=ani_form(org, rank="IV/e"))
        assert response.status_code == 403, role
    db.session.refresh(ani)
    assert ani.rank is None

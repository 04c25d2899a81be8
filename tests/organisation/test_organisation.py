"""HR keeps the organisation: employees, units and counters, with the rules enforced."""
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.organisation.models import Employee, Unit
from tests.builders import make_employee, valid_nip


def employee_form(**changes) -> dict:
    form = {"nip": valid_nip(), "name": "Rina Marlina, S.Sos.", "position": "Analis Kebijakan",
            "unit_id": "", "supervisor_nip": "", "email": "", "phone": "", "active": "y"}
    form.update(changes)
    return form


def test_hr_creates_an_employee(login_as, org):
    data = employee_form(unit_id=str(org.section.id), supervisor_nip=org.supervisor.employee.nip)
    response = login_as("hr").post("/pegawai/baru", data=data)
    assert response.status_code == 302
    rina = db.session.scalar(db.select(Employee).filter_by(nip=data["nip"]))
    assert rina.supervisor == org.supervisor.employee
    assert rina.position_name == "Analis Kebijakan"
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="employee.created"))


def test_an_invalid_nip_is_explained_next_to_the_field(login_as, org):
    response = login_as("hr").post("/pegawai/baru", data=employee_form(nip="198502302010011003"))
    assert response.status_code == 400
    assert "Tanggal lahir dalam NIP" in response.text
    assert "Rina Marlina" in response.text  # what was typed is kept


def test_a_duplicate_nip_is_refused(login_as, org):
    nip = org.employee.employee.nip
    response = login_as("hr").post("/pegawai/baru", data=employee_form(nip=nip))
    assert response.status_code == 400
    assert "sudah terdaftar" in response.text


def test_a_supervisor_cycle_is_refused(login_as, org):
    head = org.head.employee
    data = employee_form(nip=head.nip, name=head.name, supervisor_nip=org.employee.employee.nip)
    response = login_as("hr").post(f"/pegawai/{head.id}/ubah", data=data)
    assert response.status_code == 400
    assert "melingkar" in response.text
    db.session.refresh(head)
    assert head.supervisor is None


def test_search_as_you_type_returns_only_the_results_fragment(login_as, org):
    hr = login_as("hr")
    page = hr.get("/pegawai?q=ani")
    assert "<html" in page.text and "Ani Lestari" in page.text
    fragment = hr.get("/pegawai?q=ani", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text
    assert "Ani Lestari" in fragment.text
    assert "Rudi Hartono" not in fragment.text


def test_search_by_nip_fragment(login_as, org):
    nip = org.teammate.employee.nip
    response = login_as("hr").get(f"/pegawai?q={nip[:12]}")
    assert "Rudi Hartono" in response.text


def test_employee_list_is_paginated(app, login_as, org):
    app.config["EMPLOYEES_PER_PAGE"] = 5
    for n in range(8):
        make_employee(f"Zainal {n:02d}")
    hr = login_as("hr")
    first, third = hr.get("/pegawai"), hr.get("/pegawai?page=3")
    assert "page=2" in first.text
    assert first.status_code == third.status_code == 200
    assert "Zainal 07" in third.text or "Zainal 07" in hr.get("/pegawai?page=2").text


def test_a_silly_page_number_is_not_an_error(login_as, org):
    hr = login_as("hr")
    assert hr.get("/pegawai?page=-4").status_code == 200
    assert hr.get("/pegawai?page=99999").status_code in (200, 404)


def test_employee_detail_shows_the_supervisor_chain(login_as, org):
    response = login_as("employee").get(f"/pegawai/{org.employee.employee.id}")
    assert "Budi Santoso" in response.text
    assert "Hj. Siti Rahmawati" in response.text


def test_hr_creates_a_unit_under_a_parent_with_a_head(login_as, org):
    response = login_as("hr").post("/unit/baru", data={
        "code": "kec-tanjung", "name": "Kecamatan Tanjung Selor", "kind": "kecamatan",
        "time_zone": "WITA", "parent_id": "", "head_nip": org.teammate.employee.nip,
        "address": "Jl. Sengkawit", "active": "y"})
    assert response.status_code == 302
    unit = db.session.scalar(db.select(Unit).filter_by(code="KEC-TANJUNG"))
    assert unit.head == org.teammate.employee
    assert unit.time_zone.iana == "Asia/Makassar"


def test_a_unit_cannot_move_under_its_own_child(login_as, org):
    dinas = org.dinas
    response = login_as("hr").post(f"/unit/{dinas.id}/ubah", data={
        "code": dinas.code, "name": dinas.name, "kind": dinas.kind.value, "time_zone": "WITA",
        "parent_id": str(org.section.id), "head_nip": "", "address": "", "active": "y"})
    assert response.status_code == 400
    assert "di bawahnya" in response.text


def test_unit_tree_shows_nested_units(login_as, org):
    response = login_as("hr").get("/unit")
    assert response.text.index("Dinas Kependudukan") < response.text.index("Bidang Pelayanan")


def test_hr_creates_a_counter_with_services(login_as, org):
    hr = login_as("hr")
    assert hr.post("/layanan", data={"code": "KTP", "name": "Perekaman KTP-el"}).status_code == 302
    from kinerja.organisation.models import Service, ServiceCounter
    service = db.session.scalar(db.select(Service).filter_by(code="KTP"))
    response = hr.post("/loket/baru", data={"code": "DUK-01", "name": "Loket 1",
                                             "unit_id": str(org.dinas.id), "location": "Lantai 1",
                                             "service_ids": [str(service.id)], "active": "y"})
    assert response.status_code == 302
    counter = db.session.scalar(db.select(ServiceCounter).filter_by(code="DUK-01"))
    assert counter.services == [service]
    assert counter.unit == org.dinas


def test_a_counter_needs_a_unit(login_as, org):
    response = login_as("hr").post("/loket/baru", data={"code": "X-1", "name": "Loket X"})
    assert response.status_code == 400
    assert "Pilih unit" in response.text

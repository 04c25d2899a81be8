"""The SKP cycle: HR opens a year, the employee drafts RHK and indicators, the supervisor
approves or returns, a change after approval makes a new version."""
from decimal import Decimal

import pytest

from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.performance import skp_workflow
from kinerja.performance.models import Period, PeriodStatus, Skp, SkpStatus, UnitGoal
from tests.builders import make_rhk, make_skp

HTMX = {"HX-Request": "true"}


@pytest.fixture
def boss_skp(org, period):
    """Budi (the supervisor) has an approved SKP with one RHK the employee can derive from."""
    skp = make_skp(org.supervisor.employee, period, status=SkpStatus.APPROVED)
    make_rhk(skp, "Terlaksananya pelayanan KTP-el")
    return skp


def start(client) -> Skp:
    client.post("/skp/mulai")
    return db.session.scalar(db.select(Skp).order_by(Skp.id.desc()))


def add_rhk(client, skp, text="Terverifikasinya berkas KTP-el", parent="", **headers):
    return client.post(f"/skp/{skp.id}/rhk", data={"text": text, "kind": "utama",
                                                    "parent": parent}, headers=headers)


def add_indicator(client, rhk_id, target="240", **headers):
    return client.post(f"/rhk/{rhk_id}/indikator", headers=headers, data={
        "aspect": "kuantitas", "text": "Jumlah berkas terverifikasi", "target": target,
        "unit_of_measure": "berkas"})


# ---------------------------------------------------------------- periods

def test_hr_creates_and_opens_a_period(login_as, org):
    hr = login_as("hr")
    assert hr.post("/periode", data={"year": "2027", "cadence": "triwulanan"}).status_code == 302
    period = db.session.scalar(db.select(Period).filter_by(year=2027))
    assert period.status is PeriodStatus.PREPARING
    hr.post(f"/periode/{period.id}/buka")
    db.session.refresh(period)
    assert period.is_open
    assert hr.post("/periode", data={"year": "2027", "cadence": "bulanan"}).status_code == 400


def test_without_an_open_period_the_employee_is_told_so(login_as, org):
    page = login_as("employee").get("/skp")
    assert "Belum ada periode kinerja yang berjalan" in page.text


# ---------------------------------------------------------------- drafting

def test_employee_drafts_an_skp_in_place(login_as, org, period, boss_skp):
    client = login_as("employee")
    skp = start(client)
    parent = f"rhk:{boss_skp.rhks[0].id}"
    response = add_rhk(client, skp, parent=parent, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text  # only the plan block comes back
    assert "Terverifikasinya berkas KTP-el" in response.text
    rhk = skp_workflow.skp_of(org.employee.employee, period).rhks[0]
    assert rhk.parent == boss_skp.rhks[0]
    assert add_indicator(client, rhk.id, target="1.250,5", **HTMX).status_code == 200
    db.session.refresh(rhk)
    assert rhk.indicators[0].target == Decimal("1250.50")


def test_a_draft_can_start_before_the_supervisor_has_an_skp(login_as, org, period):
    client = login_as("employee")
    skp = start(client)
    assert add_rhk(client, skp).status_code == 302
    assert "Atasan belum menyusun RHK" in client.get(f"/skp/{skp.id}").text


def test_bad_indicator_input_is_shown_next_to_the_field(login_as, org, period):
    client = login_as("employee")
    skp = start(client)
    add_rhk(client, skp)
    rhk_id = skp_workflow.skp_of(org.employee.employee, period).rhks[0].id
    response = add_indicator(client, rhk_id, target="banyak", **HTMX)
    assert response.status_code == 400
    assert "Isi dengan angka" in response.text
    assert "Jumlah berkas terverifikasi" in response.text  # what was typed is kept
    assert add_indicator(client, rhk_id, target="-3").status_code == 400


def test_an_rhk_can_only_derive_from_the_supervisors_rhk(login_as, org, period):
    stranger = make_skp(org.outsider.employee, period)
    foreign = make_rhk(stranger, "RHK orang lain")
    client = login_as("employee")
    skp = start(client)
    response = add_rhk(client, skp, parent=f"rhk:{foreign.id}")
    assert response.status_code == 400
    assert "Pilih RHK atasan" in response.text


def test_edit_and_remove_in_place(login_as, org, period):
    client = login_as("employee")
    skp = start(client)
    add_rhk(client, skp)
    rhk = skp_workflow.skp_of(org.employee.employee, period).rhks[0]
    form = client.get(f"/skp/{skp.id}?ubah_rhk={rhk.id}", headers=HTMX)
    assert "Simpan RHK" in form.text
    client.post(f"/rhk/{rhk.id}/ubah", data={"text": "Teks baru", "kind": "tambahan", "parent": ""})
    db.session.refresh(rhk)
    assert (rhk.text, rhk.kind.value) == ("Teks baru", "tambahan")
    client.post(f"/rhk/{rhk.id}/hapus")
    db.session.expire_all()
    assert skp_workflow.skp_of(org.employee.employee, period).rhks == []


def test_nobody_else_edits_my_skp(login_as, org, period):
    skp = make_skp(org.employee.employee, period, rhks=1)
    for role in ("supervisor", "head", "hr"):
        response = add_rhk(login_as(role), skp)
        assert response.status_code == 403, role
    with pytest.raises(NotAllowed):
        skp_workflow.save_rhk(org.teammate, skp, None, text="x", kind="utama", parent=None)


# ---------------------------------------------------------------- agreement

def test_submission_lists_what_is_missing(login_as, org, period, boss_skp):
    client = login_as("employee")
    skp = start(client)
    add_rhk(client, skp)  # not linked, no indicator
    response = client.post(f"/skp/{skp.id}/ajukan")
    assert response.status_code == 400
    assert "belum punya indikator" in response.text
    assert "Sebelum diajukan" in client.get(f"/skp/{skp.id}").text


def test_the_full_cycle_return_revise_approve(login_as, org, period, boss_skp):
    employee, supervisor = login_as("employee"), login_as("supervisor")
    skp = start(employee)
    add_rhk(employee, skp, parent=f"rhk:{boss_skp.rhks[0].id}")
    db.session.expire_all()
    add_indicator(employee, skp_workflow.skp_of(org.employee.employee, period).rhks[0].id)
    assert employee.post(f"/skp/{skp.id}/ajukan").status_code == 302
    assert "Ani Lestari" in supervisor.get("/skp").text  # waiting for the supervisor

    assert supervisor.post(f"/skp/{skp.id}/kembalikan", data={"comment": ""}).status_code == 400
    supervisor.post(f"/skp/{skp.id}/kembalikan", data={"comment": "Target terlalu rendah"})
    db.session.refresh(skp)
    assert skp.status is SkpStatus.RETURNED
    assert "Target terlalu rendah" in employee.get(f"/skp/{skp.id}").text

    db.session.expire_all()
    indicator = skp.rhks[0].indicators[0]
    employee.post(f"/indikator/{indicator.id}/ubah", data={
        "aspect": "kuantitas", "text": indicator.text, "target": "300", "unit_of_measure": "berkas"})
    employee.post(f"/skp/{skp.id}/ajukan")
    assert supervisor.post(f"/skp/{skp.id}/setujui").status_code == 302
    db.session.refresh(skp)
    assert skp.status is SkpStatus.APPROVED
    assert skp.versions[0].content["rhks"][0]["indicators"][0]["target"] == "300.00"
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"skp.submitted", "skp.returned", "skp.approved"} <= actions


def test_only_the_direct_supervisor_decides(login_as, org, period):
    skp = make_skp(org.employee.employee, period, status=SkpStatus.SUBMITTED, rhks=1)
    assert login_as("head").post(f"/skp/{skp.id}/setujui").status_code == 403
    assert login_as("hr").post(f"/skp/{skp.id}/setujui").status_code == 403
    assert login_as("employee").post(f"/skp/{skp.id}/setujui").status_code == 403


def test_the_top_of_the_chart_is_approved_by_the_ppk_never_by_hr(app, login_as, org, period):
    """PP 30/2019: the PPK (the Bupati) approves the plan of the top of the chart; an HR clerk
    may not decide in the PPK's place."""
    from datetime import date

    from kinerja.organisation.models import Employee, PpkTerm
    from tests.builders import make_user
    from tests.conftest import AuthActions
    ppk = Employee(name="H. Syarwani", is_ppk=True)
    db.session.add_all([ppk, PpkTerm(employee=ppk, title="Bupati Bulungan", starts_on=date(2025, 1, 1))])
    db.session.commit()
    make_user(ppk, username="bupati")
    skp = make_skp(org.head.employee, period, status=SkpStatus.SUBMITTED, rhks=1)
    assert login_as("hr").post(f"/skp/{skp.id}/setujui").status_code == 403
    bupati = app.test_client()
    AuthActions(bupati).login("bupati")
    assert bupati.post(f"/skp/{skp.id}/setujui").status_code == 302
    db.session.refresh(skp)
    assert skp.status is SkpStatus.APPROVED and skp.approver_id == ppk.id


def test_a_change_after_approval_makes_a_new_version(login_as, org, period):
    skp = make_skp(org.employee.employee, period, rhks=1)
    skp.status = SkpStatus.SUBMITTED
    db.session.commit()
    skp_workflow.approve(org.supervisor, skp)
    client = login_as("employee")
    rhk = skp.rhks[0]
    client.post(f"/rhk/{rhk.id}/ubah", data={"text": "RHK yang direvisi", "kind": "utama",
                                              "parent": ""})
    db.session.refresh(skp)
    assert (skp.status, skp.version) == (SkpStatus.DRAFT, 2)
    old = client.get(f"/skp/{skp.id}/versi/1")
    assert old.status_code == 200 and "RHK 1" in old.text and "direvisi" not in old.text
    assert "Versi 1" in client.get(f"/skp/{skp.id}").text


def test_a_closed_period_is_read_only(login_as, org, period):
    skp = make_skp(org.employee.employee, period, rhks=1)
    period.status = PeriodStatus.CLOSED
    db.session.commit()
    client = login_as("employee")
    assert "Tambah RHK" not in client.get(f"/skp/{skp.id}").text
    response = add_rhk(client, skp)
    assert response.status_code == 400
    assert "hanya bisa dibaca" in response.text
    with pytest.raises(RuleViolation):
        skp_workflow.submit(org.employee, skp)


# ---------------------------------------------------------------- goals and cascade

def test_head_records_unit_goals_and_derives_from_them(login_as, org, period):
    head = login_as("head")
    head.post(f"/unit/{org.dinas.id}/sasaran", data={"text": "Meningkatnya cakupan KTP-el"})
    goal = db.session.scalar(db.select(UnitGoal))
    skp = start(head)
    add_rhk(head, skp, "Tercapainya perekaman KTP-el 95%", parent=f"goal:{goal.id}")
    db.session.expire_all()
    assert skp_workflow.skp_of(org.head.employee, period).rhks[0].unit_goal == goal
    assert login_as("employee").get(f"/unit/{org.dinas.id}/sasaran").status_code == 403


def test_cascade_shows_the_tree_and_who_has_no_approved_skp(login_as, org, period):
    goal = UnitGoal(period=period, unit=org.dinas, text="Meningkatnya cakupan KTP-el")
    db.session.add(goal)
    head_skp = make_skp(org.head.employee, period, status=SkpStatus.APPROVED)
    head_rhk = make_rhk(head_skp, "RHK kepala dinas")
    head_rhk.unit_goal = goal
    boss_skp = make_skp(org.supervisor.employee, period, status=SkpStatus.APPROVED)
    make_rhk(boss_skp, "RHK kepala bidang", parent=head_rhk)
    db.session.commit()
    page = login_as("head").get(f"/unit/{org.dinas.id}/kaskade")
    text = page.text
    assert text.index("Meningkatnya cakupan") < text.index("RHK kepala dinas") \
        < text.index("RHK kepala bidang")
    missing = text.split("Belum punya SKP disetujui")[1]
    assert "Ani Lestari" in missing and "Rudi Hartono" in missing
    assert "Budi Santoso" not in missing


def test_an_indicator_with_realisation_is_kept(login_as, org, period):
    from kinerja.performance.models import Realisation
    skp = make_skp(org.employee.employee, period, rhks=1)
    indicator = skp.rhks[0].indicators[0]
    db.session.add(Realisation(indicator=indicator, month=3, value=Decimal(2)))
    db.session.commit()
    client = login_as("employee")
    assert client.post(f"/indikator/{indicator.id}/hapus").status_code == 400
    response = client.post(f"/rhk/{skp.rhks[0].id}/hapus")
    assert response.status_code == 400
    assert "sudah punya realisasi" in response.text

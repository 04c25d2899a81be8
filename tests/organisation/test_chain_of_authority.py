"""The chain of authority (PP 30/2019): the PPK appraises the Sekda and decides the objections
no ASN is above; HR only records the PPK's signed decisions; a Plt/Plh appraises for their
period; HR is warned where an appraiser is not above the appraised."""
import io
from datetime import date

import pytest
import time_machine

from kinerja.appraisal import appraisal_documents, appraisals
from kinerja.appraisal.models import EvaluationStatus, PpkRecord, PpkStep
from kinerja.appraisal.predikat import Behaviour
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.extensions import db
from kinerja.organisation import access, chain_admin
from kinerja.organisation.asn import PositionKind
from kinerja.organisation.models import ActingOfficial, Employee, UnitKind
from kinerja.performance.models import SkpStatus
from tests.builders import (
    PDF_BYTES,
    make_employee,
    make_evaluation,
    make_period,
    make_skp,
    make_unit,
    make_user,
)

MID_APRIL = "2026-04-15 09:00 +08:00"


@pytest.fixture
def top(org):
    """The top of the chart over `org`: the Sekda heads the Sekretariat Daerah (no supervisor),
    the head of the Dinas answers to the Sekda, and the Bupati is the PPK (with a login)."""
    setda = make_unit("Sekretariat Daerah Kabupaten Bulungan", kind=UnitKind.SEKRETARIAT)
    sekda = make_employee("Drs. Sekda Bulungan", unit=setda, position="Sekretaris Daerah",
                          position_kind=PositionKind.JPT_MADYA)
    setda.head = sekda
    org.dinas.parent = setda
    org.head.employee.supervisor = sekda
    db.session.commit()
    term = chain_admin.set_ppk(org.admin, "H. Syarwani, S.Pd., M.Si.", "Bupati Bulungan",
                               date(2025, 2, 20), None)
    ppk = make_user(term.employee, username="bupati")
    return type("Top", (), {"sekda": make_user(sekda, username="sekda"), "ppk": ppk,
                            "setda": setda})


def rate_fully(actor, evaluation, value="sesuai"):
    skp = evaluation.skp
    appraisals.save_ratings(actor, evaluation, appraisals.RatingInput(
        results={rhk.id: (value, "Catatan") for rhk in skp.rhks},
        behaviours={b.value: (value, None) for b in Behaviour}, result=value, behaviour=value))


def open_march(actor, employee):
    skp = make_skp(employee, make_period(2026), status=SkpStatus.APPROVED, rhks=1)
    return appraisals.open_evaluation(actor, skp, appraisals.point_of(skp.period, "periodik", 3))


def scan(data=PDF_BYTES, name="keputusan-bupati.pdf"):
    return (io.BytesIO(data), name)


# ------------------------------------------------------------------------------ the PPK


def test_the_ppk_is_a_person_without_a_nip_and_not_an_asn(org, top):
    ppk = top.ppk.employee
    assert ppk.is_ppk and ppk.nip is None and ppk.position_name == "Bupati Bulungan"
    assert ppk not in chain_admin_people()


def chain_admin_people():
    from kinerja.organisation import org as org_service
    return list(org_service.search_employees().items)


def test_only_the_ppk_may_lack_a_nip(org):
    db.session.add(Employee(name="Tanpa NIP", nip=None))
    with pytest.raises(Exception):  # noqa: B017 - the check constraint, named per database
        db.session.commit()
    db.session.rollback()


@time_machine.travel(MID_APRIL, tick=False)
def test_hr_can_no_longer_rate_the_sekda(org, top):
    sekda = top.sekda.employee
    assert not access.can_appraise(org.hr, sekda)
    assert not access.can_approve_skp_of(org.hr, sekda)
    evaluation = open_march(top.ppk, sekda)
    rate_fully(org.hr, evaluation)  # transcribing the PPK's form is allowed ...
    with pytest.raises(RuleViolation, match="pindaian"):  # ... setting it without the scan is not
        appraisals.finalise(org.hr, evaluation)
    assert evaluation.status is EvaluationStatus.DRAFT


@time_machine.travel(MID_APRIL, tick=False)
def test_the_ppk_appraises_the_sekda(org, top):
    sekda = top.sekda.employee
    assert access.appraiser_of(sekda) == top.ppk.employee
    assert access.can_approve_skp_of(top.ppk, sekda)
    evaluation = open_march(top.ppk, sekda)
    assert evaluation.appraiser == top.ppk.employee
    rate_fully(top.ppk, evaluation)
    appraisals.finalise(top.ppk, evaluation)
    assert evaluation.appraiser == top.ppk.employee
    assert sekda in [row.employee for row in appraisals.team_overview(top.ppk, evaluation.period)]
    doc = appraisal_documents.evaluation_document(evaluation)
    assert doc.appraiser.name == "H. Syarwani, S.Pd., M.Si."
    assert doc.appraiser.position == "Bupati Bulungan" and doc.appraiser.nip == ""
    # No ASN is above the PPK: the PPK reconsiders an objection to their own rating.
    assert doc.appraiser_supervisor.name == "H. Syarwani, S.Pd., M.Si."


def test_an_objection_of_a_head_of_opd_goes_to_the_ppk(org, top):
    head = org.head.employee
    skp = make_skp(head, make_period(2026), status=SkpStatus.APPROVED, rhks=1)
    evaluation = make_evaluation(skp, point=3, result="di_bawah", behaviour="sesuai",
                                 appraiser=top.sekda.employee)
    with time_machine.travel("2026-04-06 09:00 +08:00"):
        appraisals.evaluation_page(org.head, evaluation)  # received
        appraisals.lodge_objection(org.head, evaluation, "Target tidak realistis.")
        assert evaluation.objection.decider == top.ppk.employee
        assert not access.can_decide_objection(org.hr, evaluation)
        assert access.can_view_evaluation(top.ppk, evaluation)
        assert appraisals.objections_to_decide(top.ppk) == [evaluation]
        with pytest.raises(NotAllowed):
            appraisals.decide_objection(org.head, evaluation, change=False, result=None,
                                        behaviour=None, decision="Sendiri")
        appraisals.decide_objection(top.ppk, evaluation, change=True, result="sesuai",
                                    behaviour="sesuai", decision="Dikabulkan.")
    assert evaluation.status is EvaluationStatus.DECIDED
    doc = appraisal_documents.evaluation_document(evaluation)
    assert doc.appraiser_supervisor.name == "H. Syarwani, S.Pd., M.Si."
    assert doc.appraiser_supervisor.position == "Bupati Bulungan"


def test_hr_records_the_ppks_objection_decision_only_with_the_scan(org, top):
    head = org.head.employee
    skp = make_skp(head, make_period(2026), status=SkpStatus.APPROVED, rhks=1)
    evaluation = make_evaluation(skp, point=3, result="di_bawah", behaviour="sesuai",
                                 appraiser=top.sekda.employee)
    with time_machine.travel("2026-04-06 09:00 +08:00"):
        appraisals.evaluation_page(org.head, evaluation)
        appraisals.lodge_objection(org.head, evaluation, "Target tidak realistis.")
        assert access.records_decision_for_ppk(org.hr, evaluation)
        with pytest.raises(RuleViolation, match="pindaian"):
            appraisals.decide_objection(org.hr, evaluation, change=False, result=None,
                                        behaviour=None, decision="Dikuatkan.")
        with pytest.raises(RuleViolation, match="Jenis berkas"):
            appraisals.decide_objection(org.hr, evaluation, change=False, result=None,
                                        behaviour=None, decision="Dikuatkan.",
                                        scan=scan(b"<html>bukan scan</html>", "scan.pdf"))
        db.session.rollback()
        appraisals.decide_objection(org.hr, evaluation, change=False, result=None,
                                    behaviour=None, decision="Dikuatkan.", scan=scan())
    kept = db.session.scalar(db.select(PpkRecord))
    assert kept.step is PpkStep.OBJECTION and kept.ppk == top.ppk.employee
    assert kept.scan.media_type == "application/pdf" and kept.recorded_by_id == org.hr.id
    doc = appraisal_documents.evaluation_document(evaluation)
    assert doc.recorded_for_ppk == [
        "Ditetapkan oleh PPK; dicatat oleh Yusuf Hidayat berdasarkan dokumen bertanda tangan."]


@time_machine.travel(MID_APRIL, tick=False)
def test_hr_sets_the_sekdas_evaluation_in_the_ppks_name_with_the_scan(org, top):
    evaluation = open_march(org.hr, top.sekda.employee)
    rate_fully(org.hr, evaluation)
    appraisals.finalise(org.hr, evaluation, scan=scan())
    assert evaluation.status is EvaluationStatus.FINAL
    assert evaluation.appraiser == top.ppk.employee  # never the HR clerk
    doc = appraisal_documents.evaluation_document(evaluation)
    assert doc.appraiser.name == "H. Syarwani, S.Pd., M.Si."
    assert "dicatat oleh Yusuf Hidayat" in doc.recorded_for_ppk[0]


def test_a_new_ppk_term_closes_the_open_one(org, top):
    chain_admin.set_ppk(org.admin, "Pj. Bupati", "Penjabat Bupati Bulungan", date(2026, 6, 1),
                        None)
    page = chain_admin.ppk_page(org.admin)
    assert [t.ends_on for t in page.terms] == [None, date(2026, 5, 31)]
    with pytest.raises(NotAllowed):
        chain_admin.set_ppk(org.hr, "Siapa", "Bupati", date(2026, 6, 1), None)


# ------------------------------------------------------------------------------ Plt/Plh


@pytest.fixture
def plt(org):
    """Rudi acts (Plt) as head of Bidang Pelayanan, in place of Budi, for April 2026."""
    return chain_admin.add_acting(org.hr, employee_id=org.teammate.employee.id, kind="plt",
                                  unit_id=org.section.id, replaces_id=None,
                                  starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 30))


def test_a_plt_appraises_within_the_dates_only(org, plt):
    ani = org.employee.employee
    with time_machine.travel("2026-04-15 09:00 +08:00"):
        assert access.can_appraise(org.teammate, ani)
        assert not access.can_appraise(org.teammate, org.teammate.employee)  # not themselves
    with time_machine.travel("2026-05-04 09:00 +08:00"):
        assert not access.can_appraise(org.teammate, ani)
    with time_machine.travel("2026-03-31 09:00 +08:00"):
        assert not access.can_appraise(org.teammate, ani)


@time_machine.travel(MID_APRIL, tick=False)
def test_the_plt_is_printed_as_plt_and_the_objection_goes_to_the_posts_superior(org, plt):
    evaluation = open_march(org.teammate, org.employee.employee)
    rate_fully(org.teammate, evaluation)
    appraisals.finalise(org.teammate, evaluation)
    doc = appraisal_documents.evaluation_document(evaluation)
    assert doc.appraiser.name == "Rudi Hartono"
    assert doc.appraiser.position == "Plt. Kepala Bidang"
    # Budi's post appraised: his superior (the head of the Dinas) hears the objection, not Budi.
    assert access.objection_decider_of(evaluation) == org.head.employee


def test_acting_needs_someone_to_stand_in_for_and_dates_in_order(org):
    with pytest.raises(RuleViolation, match="unit yang dipimpin"):
        chain_admin.add_acting(org.hr, employee_id=org.teammate.employee.id, kind="plh",
                               unit_id=None, replaces_id=None, starts_on=date(2026, 4, 1),
                               ends_on=date(2026, 4, 2))
    with pytest.raises(RuleViolation, match="sebelum tanggal mulai"):
        chain_admin.add_acting(org.hr, employee_id=org.teammate.employee.id, kind="plh",
                               unit_id=None, replaces_id=org.supervisor.employee.id,
                               starts_on=date(2026, 4, 2), ends_on=date(2026, 4, 1))
    with pytest.raises(NotAllowed):
        chain_admin.add_acting(org.employee, employee_id=org.teammate.employee.id, kind="plh",
                               unit_id=org.section.id, replaces_id=None,
                               starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 2))
    assert db.session.scalar(db.select(db.func.count(ActingOfficial.id))) == 0


# ------------------------------------------------------------------------ hierarchy check


def test_hr_is_warned_where_the_appraiser_is_not_higher(org, top):
    ani, budi = org.employee.employee, org.supervisor.employee
    budi.position_kind, ani.position_kind = PositionKind.PENGAWAS, PositionKind.ADMINISTRATOR
    # The head of the Dinas put under someone in the Dinas's own section.
    org.outsider.employee.supervisor = None
    db.session.commit()
    reasons = {(w.employee.name, w.reason) for w in chain_admin.chart_warnings(org.hr)}
    assert any(name == "Ani Lestari" and "tidak lebih tinggi" in reason for name, reason in reasons)
    assert any(name == "Dewi Kartika" and "PPK" in reason for name, reason in reasons)
    assert not any(name == "Drs. Sekda Bulungan" for name, _ in reasons)  # heads the top unit
    # A loop (bad data from an import): written past the ORM, which refuses to order it.
    db.session.execute(db.update(Employee).where(Employee.id == org.head.employee.id)
                       .values(supervisor_id=budi.id))
    db.session.commit()
    db.session.expire_all()
    reasons = {(w.employee.name, w.reason) for w in chain_admin.chart_warnings(org.hr)}
    assert any(name == "Hj. Siti Rahmawati" and "berputar" in reason for name, reason in reasons)
    with pytest.raises(NotAllowed):
        chain_admin.chart_warnings(org.employee)


# ------------------------------------------------------------------------------ the pages


def test_hr_records_a_plt_on_the_chain_page(org, login_as):
    client = login_as("hr")
    page = client.get("/kelola/rantai-penilai")
    assert page.status_code == 200 and "Peringatan struktur" in page.text
    response = client.post("/kelola/rantai-penilai/plt", data={
        "employee": org.teammate.employee.id, "kind": "plh", "unit": "",
        "replaces": org.supervisor.employee.id, "starts_on": "2026-04-01",
        "ends_on": "2026-04-10"})
    assert response.status_code == 302
    assert "Plh. Kepala Bidang" in client.get("/kelola/rantai-penilai").text
    bad = client.post("/kelola/rantai-penilai/plt", data={
        "employee": org.teammate.employee.id, "kind": "plh", "unit": "", "replaces": "",
        "starts_on": "2026-04-01", "ends_on": "2026-04-10"})
    assert bad.status_code == 400


def test_the_admin_sets_the_ppk(org, login_as):
    client = login_as("admin")
    response = client.post("/kelola/ppk", data={"name": "H. Syarwani", "title": "Bupati Bulungan",
                                               "starts_on": "2025-02-20", "ends_on": ""})
    assert response.status_code == 302
    assert "H. Syarwani" in client.get("/kelola/ppk").text
    assert client.post("/kelola/ppk", data={"name": "", "title": "", "starts_on": ""}
                       ).status_code == 400

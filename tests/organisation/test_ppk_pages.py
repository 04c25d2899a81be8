"""The PPK's own pages: the Bupati keeps no SKP and reports no daily work, so nothing offers
them to draft one; what the PPK sees is whom they appraise (the Sekda) and what waits for
them. And the audit trail reads the chain of authority's events in words."""
from datetime import date

import pytest

from kinerja.core import audit_events
from kinerja.core.errors import NotAllowed
from kinerja.extensions import db
from kinerja.organisation import access, chain_admin
from kinerja.organisation.models import UnitKind
from kinerja.performance import skp_workflow
from kinerja.performance.models import Skp, SkpStatus
from tests.builders import PASSWORD, make_employee, make_skp, make_unit, make_user

NOW = "2026-04-15 09:00 +08:00"
pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def ppk(org, period):
    """The Bupati as PPK with a login, over a Sekda at the top of the chart."""
    setda = make_unit("Sekretariat Daerah Kabupaten Bulungan", kind=UnitKind.SEKRETARIAT)
    sekda = make_employee("Drs. Sekda Bulungan", unit=setda, position="Sekretaris Daerah")
    setda.head = sekda
    org.head.employee.supervisor = sekda
    db.session.commit()
    term = chain_admin.set_ppk(org.admin, "H. Syarwani, S.Pd., M.Si.", "Bupati Bulungan",
                               date(2025, 2, 20), None)
    return make_user(term.employee, username="bupati")


@pytest.fixture
def ppk_client(app, ppk):
    client = app.test_client()
    assert client.post("/masuk", data={"identifier": "bupati",
                                       "password": PASSWORD}).status_code == 302
    return client


def test_the_ppk_keeps_no_plan_of_their_own(org, ppk, period):
    assert not access.keeps_own_plan(ppk)
    assert access.keeps_own_plan(org.employee) and access.keeps_own_plan(org.hr)
    with pytest.raises(NotAllowed):
        skp_workflow.start_skp(ppk, period)
    assert db.session.scalar(db.select(db.func.count(Skp.id))) == 0


def test_the_ppks_appraisal_page_offers_no_skp_and_no_own_evaluation(ppk_client):
    page = ppk_client.get("/penilaian")
    assert page.status_code == 200
    assert "Susun SKP" not in page.text
    assert "Evaluasi saya" not in page.text
    assert "Pegawai yang Anda nilai sebagai PPK" in page.text
    assert "Drs. Sekda Bulungan" in page.text  # the Sekda, appraised by the PPK


def test_the_ppks_start_page_shows_whom_they_appraise_not_an_skp_to_draft(ppk_client):
    page = ppk_client.get("/")
    assert page.status_code == 200
    assert "belum disusun" not in page.text and "Susun SKP" not in page.text
    assert "kegiatan saya" not in page.text
    assert "pegawai yang Anda nilai sebagai PPK" in page.text
    assert "bukan ASN, tanpa NIP" in page.text and "None" not in page.text
    # No daily reports, no own progress in the menu; Penilaian and SKP (to approve) stay.
    assert 'href="/harian"' not in page.text and 'href="/kinerja"' not in page.text
    assert 'href="/penilaian"' in page.text


def test_the_ppks_skp_page_lists_the_sekdas_plan_to_approve_and_offers_none_to_start(
        org, ppk, ppk_client, period):
    sekda = org.head.employee.supervisor
    make_skp(sekda, period, status=SkpStatus.SUBMITTED, rhks=1)
    assert [s.employee for s in skp_workflow.waiting_for(ppk.employee, period)] == [sekda]
    page = ppk_client.get("/skp")
    assert page.status_code == 200
    assert "Mulai menyusun SKP" not in page.text
    assert "tidak menyusun SKP" in page.text
    assert "Menunggu persetujuan Anda" in page.text and "Drs. Sekda Bulungan" in page.text
    assert ppk_client.post("/skp/mulai", data={}).status_code in (302, 403)
    assert db.session.scalar(db.select(db.func.count(Skp.id)).where(
        Skp.employee_id == ppk.employee_id)) == 0


def test_the_ppks_profile_shows_no_asn_data(org, ppk, login_as):
    page = login_as("hr").get(f"/pegawai/{ppk.employee_id}")
    assert page.status_code == 200
    assert "bukan ASN, tanpa NIP" in page.text
    assert "Pangkat/golongan" not in page.text and "None" not in page.text


def test_someone_elses_skp_page_still_offers_to_start(login_as, period):
    page = login_as("employee").get("/skp")
    assert "Mulai menyusun SKP" in page.text


def test_the_audit_trail_reads_the_chain_of_authority_in_words(org):
    record = chain_admin.add_acting(org.hr, employee_id=org.teammate.employee.id, kind="plt",
                                    unit_id=org.section.id, replaces_id=None,
                                    starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 30))
    chain_admin.remove_acting(org.hr, record)
    for code in ("ppk.set", "ppk.decision_recorded", "acting.added", "acting.removed"):
        assert not audit_events.describe(code).startswith("Kejadian lain"), code
        assert audit_events.group_of(code).key == "organisation"
    assert audit_events.describe("acting.added") == "Plt/Plh dicatat"
    assert audit_events.subject_name("ActingOfficial") == "Plt/Plh"
    assert audit_events.detail_pairs({"starts_on": "2026-04-01", "step": "keberatan"}) == [
        ("Mulai", "1 Apr 2026"), ("Tahap", "keberatan")]

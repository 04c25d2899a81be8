"""Results on their way to SIASN, against the local contract server: each final evaluation sent
exactly once (also when BKN loses answers and restarts), a decided objection sent as an update
of the same record, a refusal shown to HR in BKN's words and sent again after the fix, tokens
renewed mid-run, and no secret in the logs, the audit trail or the pages."""
import logging
from datetime import timedelta

import pytest

from kinerja.appraisal.models import EvaluationStatus
from kinerja.appraisal.predikat import Predikat, Rating
from kinerja.core import jobs
from kinerja.core.models import AuditEvent
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.integration import siasn_outbox
from kinerja.integration.models import OutboxStatus, SiasnCall, SiasnOutbox
from kinerja.organisation.asn import Jenjang, PositionKind, Rank
from kinerja.organisation.models import Employee
from tests.builders import PDF_BYTES, make_employee, make_evaluation, make_period, make_skp
from tests.integration.siasn_server import CONSUMER, SSO_USER, SiasnServer


@pytest.fixture
def bkn(app):
    server = SiasnServer().start()
    app.config.update(server.settings())
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def ranked_appraiser(org):
    """SIASN asks for the appraiser's golongan."""
    org.supervisor.employee.rank = Rank.IV_A
    db.session.commit()


@pytest.fixture
def small_pdfs(monkeypatch):
    """The evaluation PDF is drawn by the portal's presenter (tested with the documents); here
    a small PDF stands in, so that fifty sends take a second, not a minute."""
    monkeypatch.setitem(jobs.PRESENTERS, "appraisal.evaluation_pdf", lambda record: PDF_BYTES)


def known_to_bkn(bkn, employee):
    bkn.people[employee.nip] = {"id": f"ORANG-{employee.nip}", "nipBaru": employee.nip,
                                "nama": employee.name}


def the_period():
    from kinerja.performance.models import Period
    return db.session.scalar(db.select(Period).filter_by(year=2026)) or make_period()


def set_evaluation(org, employee=None, *, point=3, result="sesuai", behaviour="sesuai"):
    employee = employee or org.employee.employee
    skp = make_skp(employee, the_period())
    return make_evaluation(skp, point=point, result=result, behaviour=behaviour,
                           appraiser=org.supervisor.employee)


def push(rounds=1, now=None):
    """The worker's rounds; each later round as if the retry pauses had passed."""
    reports = []
    for number in range(rounds):
        bkn_client = siasn_outbox.client()
        with bkn_client:
            siasn_outbox.enqueue_final()
            moment = (now or utcnow()) + timedelta(hours=7 * number)
            reports.append(siasn_outbox.send_due(bkn_client, now=moment))
    return reports


def test_a_set_result_is_sent_once_with_its_document_in_siasns_words(app, org, bkn):
    known_to_bkn(bkn, org.employee.employee)
    evaluation = set_evaluation(org, result="di_atas", behaviour="sesuai")
    (report,) = push()
    assert report.sent == 1
    (entry,) = db.session.scalars(db.select(SiasnOutbox)).all()
    assert entry.status is OutboxStatus.SENT and entry.version == 1
    (record,) = bkn.periodic.values()
    assert entry.bkn_id == record["id"]
    assert record["pnsDinilaiId"] == f"ORANG-{org.employee.employee.nip}"
    assert (record["bulanMulaiPenilaian"], record["bulanSelesaiPenilaian"], record["tahun"]) == (3, 3, 2026)
    assert record["hasilKinerjaNilai"] == 1 and record["perilakuKerjaNilai"] == 2  # di atas, sesuai
    assert evaluation.predikat is Predikat.GOOD and record["kuadranKinerjaNilai"] == 2  # Baik
    assert record["periodikId"] == 1 and record["statusPenilai"] == "ASN"
    assert record["penilaiNama"] == org.supervisor.employee.name
    assert record["penilaiGolongan"] == "41"  # IV/a in golonganPns
    assert "koefisienId" not in record  # not a fungsional
    (document,) = bkn.documents.values()
    assert record["path"] == [{key: document[key] for key in record["path"][0]}]
    assert "bulanMulaiPenilaian" in record and not bkn.annual
    assert document["slug"] == "890" and document["size"] > 1000  # the real evaluation PDF
    # Another round finds nothing new to send.
    (again,) = push()
    assert again.sent == 0 and len(bkn.periodic) == 1


def test_the_years_result_goes_to_skp22_with_the_skp_and_the_evaluation(app, org, bkn, small_pdfs,
                                                                       monkeypatch):
    monkeypatch.setitem(jobs.PRESENTERS, "appraisal.skp_pdf", lambda record: PDF_BYTES)
    employee = org.employee.employee
    known_to_bkn(bkn, employee)
    make_evaluation(make_skp(employee, the_period()), annual=True, result="di_atas",
                    behaviour="di_atas", appraiser=org.supervisor.employee)
    (report,) = push()
    assert report.sent == 1 and not bkn.periodic
    (record,) = bkn.annual.values()
    assert (record["tahun"], record["kuadranKinerjaNilai"]) == (2026, 1)  # Sangat Baik
    assert "bulanMulaiPenilaian" not in record and "periodikId" not in record
    assert [document["slug"] for document in record["path"]] == ["873", "873"]
    # Sent again after a lost answer, it updates the year's record: BKN's records are read first.
    entry = db.session.scalars(db.select(SiasnOutbox)).one()
    entry.status, entry.bkn_id, entry.document = OutboxStatus.WAITING, None, None
    db.session.commit()
    push()
    assert list(bkn.annual) == [record["id"]]


def test_fifty_results_reach_bkn_exactly_once_through_lost_answers_and_a_restart(
        app, org, bkn, small_pdfs):
    period = the_period()
    evaluations = []
    for n in range(50):
        employee = make_employee(f"Pegawai {n:02d}", unit=org.section, supervisor=org.supervisor.employee)
        known_to_bkn(bkn, employee)
        evaluations.append(make_evaluation(make_skp(employee, period), point=3, result="sesuai",
                                           behaviour="sesuai", appraiser=org.supervisor.employee))
    bkn.plan.drop_every = 5  # one answer in five lost on the way back (saves are stored first)
    bkn_client = siasn_outbox.client()
    siasn_outbox.enqueue_final()
    siasn_outbox.send_due(bkn_client, limit=20)
    bkn.expire_tokens()      # the tokens run out mid-run
    bkn.stop()               # BKN goes down...
    down = siasn_outbox.send_due(bkn_client, limit=5)
    assert down.waiting == 5 and down.sent == 0
    bkn.start()              # ...and comes back on the same address
    for hours in range(1, 12):
        siasn_outbox.send_due(bkn_client, now=utcnow() + timedelta(hours=7 * hours))
        if not siasn_outbox.pending():
            break
    bkn_client.close()
    entries = db.session.scalars(db.select(SiasnOutbox)).all()
    assert [entry.status for entry in entries] == [OutboxStatus.SENT] * 50
    assert len(bkn.periodic) == 50  # exactly once: no record twice
    assert sorted(record["pnsDinilaiId"] for record in bkn.periodic.values()) == sorted(
        f"ORANG-{evaluation.employee.nip}" for evaluation in evaluations)
    assert {entry.bkn_id for entry in entries} == set(bkn.periodic)
    assert bkn.calls("/oauth2/token") >= 2  # fetched again after they expired


def test_a_decided_objection_updates_the_same_record(app, org, bkn, small_pdfs):
    known_to_bkn(bkn, org.employee.employee)
    evaluation = set_evaluation(org, result="di_bawah", behaviour="sesuai")
    push()
    (first,) = bkn.periodic.values()
    assert first["kuadranKinerjaNilai"] == 3  # Butuh Perbaikan
    # The objection is decided in the employee's favour: the result changes.
    evaluation.status = EvaluationStatus.DECIDED
    evaluation.result_rating, evaluation.predikat = Rating.AS_EXPECTED, Predikat.GOOD
    db.session.commit()
    push()
    versions = db.session.scalars(db.select(SiasnOutbox).order_by(SiasnOutbox.version)).all()
    assert [(entry.version, entry.status) for entry in versions] == [
        (1, OutboxStatus.SENT), (2, OutboxStatus.SENT)]
    assert versions[1].bkn_id == versions[0].bkn_id == first["id"]
    (record,) = bkn.periodic.values()  # updated, not a second record
    assert record["kuadranKinerjaNilai"] == 2


def test_a_record_bkn_already_holds_for_those_months_is_updated_not_doubled(app, org, bkn, small_pdfs):
    employee = org.employee.employee
    known_to_bkn(bkn, employee)
    bkn.periodic["rw-manual"] = {"id": "rw-manual", "pnsDinilaiId": f"ORANG-{employee.nip}",
                                 "tahun": 2026, "bulanMulaiPenilaian": 3,
                                 "bulanSelesaiPenilaian": 3, "periodikId": 1}
    set_evaluation(org)
    push()
    assert list(bkn.periodic) == ["rw-manual"]
    assert db.session.scalars(db.select(SiasnOutbox)).one().bkn_id == "rw-manual"


def test_a_refusal_is_shown_to_hr_in_bkns_words_and_sent_again_after_the_fix(
        app, org, bkn, login_as, small_pdfs):
    employee = org.employee.employee
    known_to_bkn(bkn, employee)
    bkn.plan.refuse_nips[f"ORANG-{employee.nip}"] = "Pegawai belum diverifikasi instansi"
    set_evaluation(org)
    (report,) = push()
    assert report.refused == 1 and not bkn.periodic
    hr = login_as("hr")
    page = hr.get("/kelola/siasn?status=ditolak")
    assert "Pegawai belum diverifikasi instansi" in page.text and employee.name in page.text
    entry = db.session.scalars(db.select(SiasnOutbox)).one()
    del bkn.plan.refuse_nips[f"ORANG-{employee.nip}"]  # fixed at the instansi
    response = hr.post(f"/kelola/siasn/{entry.id}/kirim-ulang")
    assert response.status_code == 302
    (report,) = push()
    assert report.sent == 1 and len(bkn.periodic) == 1
    db.session.refresh(entry)
    assert entry.status is OutboxStatus.SENT and entry.resent_by_id == org.hr.id
    assert f"ID BKN: {entry.bkn_id}" in hr.get("/kelola/siasn").text


def test_only_a_refused_entry_can_be_sent_again(app, org, bkn, login_as, small_pdfs):
    known_to_bkn(bkn, org.employee.employee)
    set_evaluation(org)
    push()
    entry = db.session.scalars(db.select(SiasnOutbox)).one()
    response = login_as("hr").post(f"/kelola/siasn/{entry.id}/kirim-ulang", follow_redirects=True)
    assert "Hanya kiriman yang ditolak" in response.text
    assert login_as("hr").post("/kelola/siasn/99999/kirim-ulang").status_code == 404
    assert login_as("hr").get("/kelola/siasn?status=entah").status_code == 400


def test_an_unknown_nip_is_refused_here_with_words(app, org, bkn, small_pdfs):
    set_evaluation(org)  # nobody told the server this NIP
    (report,) = push()
    assert report.refused == 1
    entry = db.session.scalars(db.select(SiasnOutbox)).one()
    assert entry.last_error == f"NIP {org.employee.employee.nip} tidak ditemukan di SIASN."


def test_drafts_are_not_sent(app, org, bkn):
    make_evaluation(make_skp(org.employee.employee, the_period()), point=3)
    assert siasn_outbox.enqueue_final() == 0


def test_nothing_happens_without_siasn_settings(app, org):
    set_evaluation(org)
    assert siasn_outbox.client() is None and siasn_outbox.push_due() is None
    assert not db.session.scalars(db.select(SiasnOutbox)).all()


def test_the_page_says_whether_siasn_is_configured_and_when_it_last_reached_bkn(
        app, org, bkn, login_as, small_pdfs):
    hr = login_as("hr")
    assert "belum pernah" in hr.get("/kelola/siasn").text
    known_to_bkn(bkn, org.employee.employee)
    set_evaluation(org)
    push()
    page = hr.get("/kelola/siasn").text
    assert "lengkap" in page and "belum pernah" not in page
    assert page.count("Panggilan terakhir ke BKN") == 1  # the calls, once, in the page
    assert "<details>" not in page.split("</title>")[0]
    app.config["SIASN_PASSWORD"] = ""
    assert "belum lengkap: SIASN_PASSWORD" in hr.get("/kelola/siasn").text
    assert login_as("employee").get("/kelola/siasn").status_code == 403


def test_hr_starts_a_push_in_the_background(app, org, bkn, login_as, small_pdfs):
    known_to_bkn(bkn, org.employee.employee)
    set_evaluation(org)
    response = login_as("hr").post("/kelola/siasn/kirim")
    assert response.status_code == 302 and "/tugas/" in response.headers["Location"]
    assert "Terkirim 1, ditolak 0, menunggu 0." in login_as("hr").get(response.headers["Location"]).text


def test_no_secret_reaches_the_logs_the_audit_trail_or_the_pages(app, org, bkn, login_as, caplog,
                                                                small_pdfs):
    known_to_bkn(bkn, org.employee.employee)
    set_evaluation(org)
    with caplog.at_level(logging.DEBUG):
        push()
        bkn.expire_tokens()
        known_to_bkn(bkn, org.teammate.employee)
        set_evaluation(org, org.teammate.employee, point=4)
        push()
    page = login_as("hr").get("/kelola/siasn").text + login_as("admin").get("/audit").text
    kept = [repr((call.endpoint, call.subject, call.message))
            for call in db.session.scalars(db.select(SiasnCall))]
    audit = [repr((event.summary, event.details))
             for event in db.session.scalars(db.select(AuditEvent))]
    everything = "\n".join([caplog.text, page, *kept, *audit,
                            *(repr(record.__dict__) for record in caplog.records)])
    assert db.session.scalars(db.select(SiasnCall)).first() is not None
    for secret in (CONSUMER[1], SSO_USER["password"], "gw-", "sso-"):
        assert secret not in everything


def test_the_ppk_appraises_as_non_asn_and_a_fungsional_carries_a_koefisien(app, org, bkn, small_pdfs):
    ppk = Employee(name="Syarwani", is_ppk=True)
    db.session.add(ppk)
    employee = org.head.employee  # the head of the dinas, appraised by the PPK
    employee.position_kind, employee.jenjang = PositionKind.FUNGSIONAL, Jenjang.AHLI_MUDA
    db.session.commit()
    known_to_bkn(bkn, employee)
    make_evaluation(make_skp(employee, the_period()), point=3, result="sesuai", behaviour="sesuai",
                    appraiser=ppk)
    (report,) = push()
    assert report.sent == 1
    (record,) = bkn.periodic.values()
    assert (record["statusPenilai"], record["penilaiNipNrp"]) == ("NON ASN", "")
    assert "penilaiGolongan" not in record
    assert record["koefisienId"] == "K02"  # Ahli Muda


def test_a_missing_appraiser_rank_is_refused_here_and_sent_once_hr_fills_it(
        app, org, bkn, login_as, small_pdfs):
    org.supervisor.employee.rank = None
    db.session.commit()
    known_to_bkn(bkn, org.employee.employee)
    set_evaluation(org)
    (report,) = push()
    assert report.refused == 1 and bkn.calls("kinerjaperiodik/save") == 0
    hr = login_as("hr")
    reason = f"Pangkat/golongan pejabat penilai {org.supervisor.employee.name} belum diisi."
    assert reason in hr.get("/kelola/siasn").text
    org.supervisor.employee.rank = Rank.III_D  # HR completes the master data
    db.session.commit()
    entry = db.session.scalars(db.select(SiasnOutbox)).one()
    hr.post(f"/kelola/siasn/{entry.id}/kirim-ulang")
    (report,) = push()
    assert report.sent == 1
    (record,) = bkn.periodic.values()
    assert record["penilaiGolongan"] is not None

"""In Chromium, from the demo data in mid-December, the chain of authority (PP 30/2019): the
Bupati logs in as PPK, appraises the Sekretaris Daerah and decides the objection of a head of
OPD the Sekda appraised; a Plt appraises the team of the official they stand in for."""

import pytest

from kinerja.appraisal import appraisal_documents, appraisals
from kinerja.appraisal.models import Evaluation, EvaluationStatus, Objection, PpkRecord
from kinerja.appraisal.predikat import Behaviour
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.models import ActingOfficial, Employee, User
from kinerja.performance.models import Skp
from tests.browser.steps import Confirmations, expect, log_in_demo

pytestmark = pytest.mark.browser


def demo_user(username: str) -> User:
    return db.session.scalar(db.select(User).where(User.username == username))


def rate_everything(page, value: str) -> None:
    for radio in page.locator(f"form.rating-form input[type=radio][value={value}]").all():
        radio.check()


def sekda_rates_the_head_in_december(kepala: Employee) -> Evaluation:
    """What the Sekda did before the test: rated the head of Disdukcapil's December (the demo
    has the months before) below expectations and set it."""
    sekda_user = kepala.supervisor.user
    skp = db.session.scalar(db.select(Skp).where(Skp.employee_id == kepala.id))
    assert db.session.scalar(db.select(Evaluation).where(Evaluation.skp_id == skp.id,
                                                         Evaluation.point == 12)) is None
    evaluation = appraisals.open_evaluation(sekda_user, skp,
                                            appraisals.point_of(skp.period, "periodik", 12))
    appraisals.save_ratings(sekda_user, evaluation, appraisals.RatingInput(
        results={rhk.id: ("di_bawah", "Target layanan KTP tertinggal") for rhk in skp.rhks},
        behaviours={b.value: ("sesuai", None) for b in Behaviour},
        result="di_bawah", behaviour="sesuai"))
    appraisals.finalise(sekda_user, evaluation)
    return evaluation


def test_the_ppk_appraises_the_sekda_and_decides_a_heads_objection(browser, live_server,
                                                                    demo_year):
    bupati = demo_user("bupati")
    kepala = demo_user("kepala").employee
    sekda = kepala.supervisor
    assert sekda.supervisor is None  # the top of the chart: the PPK appraises the Sekda
    rated = sekda_rates_the_head_in_december(kepala)

    # The head of Disdukcapil objects to the Sekda's rating, on a phone.
    head = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in_demo(head, live_server, "kepala")
    head.goto(f"{live_server}/penilaian/{rated.id}")
    head.get_by_text("Ajukan keberatan", exact=True).click()
    head.get_by_label("Alasan keberatan").fill("Blangko KTP-el dari pusat tidak datang selama "
                                               "November; surat Dirjen terlampir.")
    head.get_by_role("button", name="Kirim keberatan").click()
    head.get_by_text("Keberatan diajukan kepada atasan pejabat penilai.").wait_for()
    db.session.expire_all()
    assert db.session.get(Evaluation, rated.id).objection.decider_id == bupati.employee_id

    ppk = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    confirmations = Confirmations(ppk)
    log_in_demo(ppk, live_server, "bupati")
    # The PPK keeps no SKP and reports no daily work: the start page offers neither.
    expect(ppk.get_by_text("Pejabat Pembina Kepegawaian (PPK): bukan ASN, tanpa NIP")).to_be_visible()
    expect(ppk.get_by_text("keberatan menunggu keputusan Anda")).to_be_visible()
    assert ppk.get_by_text("belum disusun").count() == 0
    assert ppk.get_by_text("None", exact=True).count() == 0
    assert ppk.get_by_role("link", name="Harian", exact=True).count() == 0

    # Appraising the Sekda for December.
    ppk.get_by_role("link", name="pegawai yang Anda nilai sebagai PPK").click()
    ppk.get_by_role("heading", name="Pegawai yang Anda nilai sebagai PPK").wait_for()
    assert ppk.get_by_text("Susun SKP").count() == 0
    assert ppk.get_by_role("heading", name="Evaluasi saya 2026").count() == 0
    row = ppk.get_by_role("row", name=sekda.name)
    row.get_by_role("button", name="Mulai").first.click()  # December, before the year
    ppk.get_by_role("heading", name="Evaluasi Desember 2026").wait_for()
    assert confirmations.asked[-1].startswith("Mulai evaluasi Desember 2026 untuk ")
    rate_everything(ppk, "sesuai")
    ppk.locator("input[name=behaviour][value=di_atas]").check()
    ppk.get_by_role("button", name="Tetapkan evaluasi").click()
    ppk.get_by_text("Evaluasi ditetapkan: predikat Baik.").wait_for()
    december = db.session.scalar(db.select(Evaluation).where(
        Evaluation.employee_id == sekda.id, Evaluation.point == 12))
    assert december.status is EvaluationStatus.FINAL
    assert december.appraiser_id == bupati.employee_id
    doc = appraisal_documents.evaluation_document(december)
    assert doc.appraiser.position == "Bupati Bulungan" and doc.appraiser.nip == ""

    # Deciding the head of OPD's objection: no ASN is above the Sekda, so the PPK decides.
    ppk.get_by_role("link", name="Penilaian kinerja").click()
    ppk.get_by_role("heading", name="Keberatan menunggu keputusan Anda").wait_for()
    ppk.get_by_role("link", name=kepala.name).first.click()
    ppk.get_by_text("Blangko KTP-el dari pusat").wait_for()
    # The PPK decides in person: no signed scan is asked for (that is HR's transcription).
    assert ppk.locator("form.decision-form input[type=file]").count() == 0
    ppk.get_by_label("Ubah penilaian").check()
    ppk.get_by_label("Rating hasil kerja baru").select_option(label="Sesuai Ekspektasi")
    ppk.get_by_label("Pertimbangan keputusan").fill("Blangko dari pusat di luar kendali dinas.")
    ppk.get_by_role("button", name="Putuskan (final)").click()
    ppk.get_by_text("Keberatan diputuskan; hasil ini final.").wait_for()
    assert confirmations.asked[-1] == (f"Putuskan keberatan {kepala.name}? "
                                       "Keputusan ini final dan tidak bisa diubah.")

    db.session.expire_all()
    objection = db.session.scalar(db.select(Objection).where(
        Objection.evaluation_id == rated.id))
    assert objection.decided_by_id == bupati.id and objection.status.value == "diubah"
    assert objection.evaluation.predikat.value == "baik"
    assert db.session.scalar(db.select(db.func.count(PpkRecord.id))) == 0  # nothing transcribed
    head.reload()
    head.get_by_text("Blangko dari pusat di luar kendali dinas.").wait_for()


def test_a_plt_appraises_the_team_of_the_official_they_stand_in_for(browser, live_server,
                                                                     demo_year):
    plt_user, atasan = demo_user("plt"), demo_user("atasan").employee
    record = db.session.scalar(db.select(ActingOfficial).where(
        ActingOfficial.employee_id == plt_user.employee_id))
    assert record.replaces_id == atasan.id  # Plt for atasan this December
    fajar = db.session.scalar(db.select(Employee).where(Employee.supervisor_id == atasan.id,
                                                         Employee.name.like("Fajar Hakim%")))

    plt = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    confirmations = Confirmations(plt)
    log_in_demo(plt, live_server, "plt")
    plt.get_by_role("link", name="Penilaian").click()
    row = plt.get_by_role("row", name="Fajar Hakim")  # atasan's team member, not plt's own
    row.get_by_role("cell").nth(10).get_by_role("button", name="Mulai").click()  # November
    plt.get_by_role("heading", name="Evaluasi November 2026").wait_for()
    assert confirmations.asked == [f"Mulai evaluasi November 2026 untuk {fajar.name}? "
                                   "Draf evaluasi dibuat dan tidak bisa dihapus."]
    rate_everything(plt, "sesuai")
    plt.get_by_role("button", name="Tetapkan evaluasi").click()
    plt.get_by_text("Evaluasi ditetapkan: predikat Baik.").wait_for()

    evaluation = db.session.scalar(db.select(Evaluation).where(
        Evaluation.employee_id == fajar.id, Evaluation.point == 11))
    assert evaluation.status is EvaluationStatus.FINAL
    assert evaluation.appraiser_id == plt_user.employee_id
    doc = appraisal_documents.evaluation_document(evaluation)
    assert doc.appraiser.name == plt_user.employee.name
    assert doc.appraiser.position.startswith("Plt. ")
    # The post appraised is atasan's: an objection goes to atasan's own superior.
    assert access.objection_decider_of(evaluation) == atasan.supervisor

    # The PDF the employee receives is the one the Plt signed.
    pdf = plt.request.get(f"{live_server}/penilaian/{evaluation.id}/pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

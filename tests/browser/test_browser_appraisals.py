"""In Chromium, from the demo data in mid-December: atasan evaluates a team member for
November and for the year, staf objects to November's result, kabid (atasan's supervisor)
decides the objection."""

import pytest

from kinerja.appraisal.models import Evaluation, EvaluationStatus, Objection
from kinerja.extensions import db
from kinerja.organisation.models import User
from tests.browser.steps import Confirmations, expect, log_in_demo

pytestmark = pytest.mark.browser


def rate_everything(page, value: str) -> None:
    for radio in page.locator(f"form.rating-form input[type=radio][value={value}]").all():
        radio.check()


def test_supervisor_evaluates_a_month_and_the_year(browser, live_server, demo_year):
    atasan = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    confirmations = Confirmations(atasan)
    log_in_demo(atasan, live_server, "atasan")
    atasan.get_by_role("link", name="Penilaian").click()
    row = atasan.get_by_role("row", name="Fajar Hakim")
    november = row.get_by_role("cell").nth(10).get_by_role("button", name="Mulai")
    # November, the year and December are due: in view at 1280 without scrolling.
    assert november.is_visible() and atasan.get_by_role("columnheader", name="Tahunan").is_visible()
    evaluations = db.session.scalar(db.select(db.func.count(Evaluation.id)))
    confirmations.accept = False
    november.click()  # dismissed: nothing is started
    atasan.wait_for_timeout(300)
    assert confirmations.asked == ["Mulai evaluasi November 2026 untuk Fajar Hakim, S.E.? "
                                   "Draf evaluasi dibuat dan tidak bisa dihapus."]
    assert atasan.url.endswith("/penilaian")
    assert db.session.scalar(db.select(db.func.count(Evaluation.id))) == evaluations
    confirmations.accept = True
    november.click()
    atasan.get_by_role("heading", name="Evaluasi November 2026").wait_for()
    assert atasan.get_by_text("kegiatan harian pada periode ini").first.is_visible()

    atasan.get_by_role("button", name="Tetapkan evaluasi").click()
    atasan.get_by_text("Belum bisa ditetapkan").wait_for()  # nothing rated yet: told, not lost
    rate_everything(atasan, "sesuai")
    atasan.locator("input[name=behaviour][value=di_atas]").check()
    atasan.get_by_role("button", name="Tetapkan evaluasi").click()
    atasan.get_by_text("Evaluasi ditetapkan: predikat Baik.").wait_for()

    atasan.get_by_role("link", name="Penilaian kinerja").click()
    row = atasan.get_by_role("row", name="Fajar Hakim")
    row.get_by_role("cell").last.get_by_role("button", name="Mulai").click()  # the year
    atasan.get_by_role("heading", name="Riwayat evaluasi periodik").wait_for()
    assert atasan.get_by_role("link", name="November 2026").is_visible()
    rate_everything(atasan, "di_atas")
    atasan.get_by_role("button", name="Tetapkan evaluasi").click()
    atasan.get_by_text("Evaluasi ditetapkan: predikat Sangat Baik.").wait_for()

    annual = db.session.scalar(db.select(Evaluation).where(Evaluation.point == 0))
    assert annual.status is EvaluationStatus.FINAL and annual.predikat.value == "sangat_baik"


def test_an_employee_objects_and_the_supervisors_supervisor_decides(browser, live_server,
                                                                    demo_year):
    staf = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in_demo(staf, live_server, "staf")
    staf.goto(f"{live_server}/penilaian")
    staf.get_by_text("Menunggu tanggapan").click()
    staf.get_by_text("Ajukan keberatan", exact=True).click()
    staf.get_by_label("Alasan keberatan").fill("Target Oktober tertunda karena server SIAK mati "
                                                "seminggu; berita acaranya terlampir.")
    staf.get_by_role("button", name="Kirim keberatan").click()
    staf.get_by_text("Keberatan diajukan kepada atasan pejabat penilai.").wait_for()

    kabid = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in_demo(kabid, live_server, "kabid")
    kabid.goto(f"{live_server}/penilaian")
    kabid.get_by_role("heading", name="Keberatan menunggu keputusan Anda").wait_for()
    kabid.get_by_role("link", name="Joko Pasaribu").first.click()
    kabid.get_by_text("server SIAK mati seminggu").wait_for()
    kabid.get_by_label("Ubah penilaian").check()
    kabid.get_by_label("Rating hasil kerja baru").select_option(label="Di Atas Ekspektasi")
    kabid.get_by_label("Pertimbangan keputusan").fill("Gangguan di luar kendali pegawai.")
    confirmations = Confirmations(kabid)
    confirmations.accept = False
    kabid.get_by_role("button", name="Putuskan (final)").click()  # dismissed: not decided
    kabid.wait_for_timeout(300)
    assert confirmations.asked == ["Putuskan keberatan Joko Pasaribu, S.T.? "
                                   "Keputusan ini final dan tidak bisa diubah."]
    assert db.session.scalar(db.select(db.func.count(Objection.id))
                             .where(Objection.decision.is_not(None),
                                    Objection.reasons.like("%SIAK mati%"))) == 0
    confirmations.accept = True
    kabid.get_by_role("button", name="Putuskan (final)").click()
    kabid.get_by_text("Keberatan diputuskan; hasil ini final.").wait_for()

    staf.reload()
    staf.get_by_text("Gangguan di luar kendali pegawai.").wait_for()
    objection = db.session.scalar(db.select(Objection).where(Objection.decision.is_not(None),
                                                             Objection.reasons.like("%SIAK mati%")))
    kabid_user = db.session.scalar(db.select(User).where(User.username == "kabid"))
    assert objection.decided_by_id == kabid_user.id
    assert objection.status.value == "diubah"


def test_hr_compares_units_reads_training_needs_and_downloads_the_documents(browser, live_server,
                                                                            demo_year):
    hr = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True).new_page()
    log_in_demo(hr, live_server, "hr")
    hr.get_by_role("link", name="Kinerja unit").click()
    hr.get_by_role("link", name="Dinas Kependudukan dan Pencatatan Sipil").click()
    hr.get_by_text("Kurva distribusi predikat").wait_for()  # Dukcapil's capaian for November

    hr.goto(f"{live_server}/pelatihan/kebutuhan")
    hr.get_by_role("heading", name="Kebutuhan pelatihan 2026").wait_for()
    with hr.expect_download() as needs:
        hr.get_by_role("button", name="Unduh Excel").click()
    assert needs.value.suggested_filename.endswith(".xlsx")

    hr.get_by_role("link", name="Penilaian").first.click()
    hr.get_by_role("button", name="Siapkan rekap predikat per unit (Excel)").click()
    with hr.expect_download() as recap:  # made in the background; its page links the file
        hr.get_by_role("button", name="Unduh rekap-predikat-2026-tahunan.xlsx").click()
    assert recap.value.suggested_filename == "rekap-predikat-2026-tahunan.xlsx"  # one point

    objected = db.session.scalar(db.select(Objection.evaluation_id))
    pdf = hr.request.get(f"{live_server}/penilaian/{objected}/pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_the_list_before_setting_follows_the_ratings_and_setting_asks_first(browser, live_server,
                                                                          demo_year):
    atasan = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    confirmations = Confirmations(atasan)
    log_in_demo(atasan, live_server, "atasan")
    atasan.goto(f"{live_server}/penilaian")
    atasan.get_by_role("row", name="Rahmawati Permata").get_by_role("button", name="Mulai").first.click()
    atasan.get_by_role("heading", name="Evaluasi November 2026").wait_for()
    missing = atasan.locator("#missing")
    expect(missing).to_contain_text("2 RHK belum dinilai")
    expect(missing).to_contain_text("7 perilaku BerAKHLAK belum dinilai")

    for radio in atasan.locator("form.rating-form .appraise-item:not(.behaviour-item) "
                                "input[type=radio][value=sesuai]").all():
        radio.check()
    expect(missing).not_to_contain_text("RHK belum dinilai")  # updated as the ratings are filled
    expect(missing).to_contain_text("7 perilaku BerAKHLAK belum dinilai")
    rate_everything(atasan, "sesuai")
    expect(missing).to_contain_text("Semua sudah dinilai")

    confirmations.accept = False
    atasan.get_by_role("button", name="Tetapkan evaluasi").click()  # dismissed: still a draft
    atasan.wait_for_timeout(300)
    assert confirmations.asked[-1].startswith("Tetapkan evaluasi November 2026 untuk Rahmawati")
    draft = db.session.scalar(db.select(Evaluation).where(Evaluation.point == 11)
                              .order_by(Evaluation.id.desc()))
    db.session.refresh(draft)
    assert draft.status is EvaluationStatus.DRAFT and draft.result_rating is None
    confirmations.accept = True
    atasan.get_by_role("button", name="Tetapkan evaluasi").click()
    atasan.get_by_text("Evaluasi ditetapkan: predikat Baik.").wait_for()

"""In Chromium, from the demo data in mid-December: HR defines an award over the Dinas Dukcapil,
reads the ranking, takes a candidate out with a reason, decides, completes the citations and
publishes; the public page and the Dukcapil kiosks' idle screen then show the winners."""

import pytest

from kinerja.extensions import db
from kinerja.organisation.models import ServiceCounter
from kinerja.recognition.models import Award, AwardStatus
from tests.browser.steps import log_in_demo
from tests.builders import make_kiosk

pytestmark = pytest.mark.browser
NAME = "Pelayan Warga Terbaik Desember 2026"


def test_hr_runs_an_award_that_the_public_and_the_kiosks_see(browser, live_server, demo_year,
                                                             client):
    hr = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in_demo(hr, live_server, "hr")
    hr.get_by_text("Kelola").click()
    hr.get_by_role("link", name="Penghargaan", exact=True).click()
    hr.get_by_role("button", name="Penghargaan baru").click()
    hr.get_by_label("Nama penghargaan").fill(NAME)
    hr.get_by_label("Unit kerja (untuk cakupan satu unit)").select_option(
        label="Dinas Kependudukan dan Pencatatan Sipil (DUKCAPIL)")
    hr.get_by_label("Jumlah pemenang").fill("2")
    hr.get_by_label("Bobot nominasi kepala unit").fill("11")  # 101: refused, said why
    hr.get_by_role("button", name="Simpan penghargaan").click()
    hr.get_by_text("Jumlah bobot harus 100 (sekarang 101).").wait_for()
    hr.get_by_label("Bobot nominasi kepala unit").fill("10")
    hr.get_by_role("button", name="Simpan penghargaan").click()
    hr.get_by_role("heading", name=NAME).wait_for()
    assert hr.get_by_text("Bila total sama: predikat lebih tinggi").is_visible()

    rows = hr.locator("table.award-ranking tbody tr")
    assert rows.count() > 10
    first = rows.first.locator("td").nth(1).inner_text().splitlines()[0].strip()
    rows.first.get_by_text("Keluarkan", exact=True).click()
    rows.first.get_by_label(f"Alasan mengeluarkan {first}").fill(
        "Sedang menjalani pemeriksaan disiplin; menunggu keputusan Inspektorat.")
    rows.first.get_by_role("button", name="Keluarkan dari peringkat").click()
    hr.get_by_text("Kandidat dikeluarkan dari peringkat.").wait_for()
    assert hr.get_by_text("menunggu keputusan Inspektorat").first.is_visible()
    winners = [hr.locator("table.award-ranking tbody tr").nth(n).locator("td").nth(1)
               .inner_text().splitlines()[0].strip() for n in range(2)]
    assert first not in winners

    hr.get_by_role("button", name="Putuskan pemenang").click()
    hr.get_by_text("Penghargaan diputuskan; peringkat dibekukan.").wait_for()
    for n in range(2):
        box = hr.locator("article.award-winner").nth(n)
        box.get_by_label("Kutipan penghargaan").fill(f"Kutipan untuk pemenang {n + 1}: "
                                                     "pelayanan ramah dan tuntas.")
        box.get_by_role("button", name="Simpan kutipan").click()
        hr.get_by_text("Kutipan tersimpan.").wait_for()
    hr.get_by_role("button", name="Publikasikan").click()
    hr.get_by_text("Penghargaan dipublikasikan di halaman publik dan layar kiosk.").wait_for()
    assert hr.get_by_text("Dipublikasikan", exact=True).first.is_visible()  # in the history

    citizen = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    citizen.goto(f"{live_server}/publik/")
    citizen.get_by_role("link", name="Lihat penghargaan yang sudah diumumkan").click()
    citizen.get_by_role("heading", name=NAME).wait_for()
    ours = citizen.locator("article", has_text=NAME)
    for name in winners:
        assert ours.get_by_text(name, exact=True).is_visible()
    assert first not in ours.inner_text()

    award = db.session.scalar(db.select(Award).where(Award.name == NAME))
    assert award.status is AwardStatus.PUBLISHED
    counter = db.session.scalar(db.select(ServiceCounter).where(ServiceCounter.code == "DUKCAPIL-01"))
    _, token = make_kiosk(counter, "Tablet uji")
    config = client.get("/kiosk/api/config", headers={"Authorization": f"Bearer {token}"}).json
    newest = config["recognition"][:2]
    assert [(p["name"], p["award"]) for p in newest] == [(winners[0], NAME), (winners[1], NAME)]

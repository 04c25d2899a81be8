"""In a real headless Chromium: the head of a unit follows a complaint up to its answer, HR
toggles a roster cell with htmx, and the complaint list fits a phone."""

import pytest

from kinerja.feedback import ikm
from tests.browser.steps import log_in_and_land as log_in
from tests.browser.steps import watch_errors
from tests.builders import make_complaint, make_counter, make_rating

pytestmark = pytest.mark.browser


@pytest.fixture
def complaint(org):
    counter = make_counter(org.section, name="Loket 1 KTP-el")
    from datetime import date
    rating = make_rating(counter, date.today(), 2, elements={e: 2 for e in ikm.ELEMENTS},
                         staff=org.employee.employee)
    return make_complaint(counter, "Antrean perekaman KTP-el lebih dari tiga jam.",
                          contact="0812-3456-7890", consent=True, rating=rating)


def test_the_head_of_unit_answers_a_complaint(page, live_server, org, complaint):
    log_in(page, live_server, "kepala")
    page.get_by_role("link", name="Pengaduan", exact=True).click()
    page.wait_for_url(f"{live_server}/pengaduan")
    page.get_by_role("link", name=f"#{complaint.id}").click()
    page.wait_for_url(f"{live_server}/pengaduan/{complaint.id}")
    assert "0812-3456-7890" in page.content()  # the citizen agreed to be contacted
    page.get_by_role("button", name="Proses pengaduan ini").click()
    page.get_by_text("Pengaduan diproses.").wait_for()
    page.get_by_label("Jawaban untuk warga").fill(
        "Mohon maaf. Mulai Senin loket perekaman dibuka pukul 07.30 dengan dua petugas.")
    page.get_by_role("button", name="Simpan jawaban").click()
    page.get_by_text("Jawaban tersimpan.").wait_for()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "Dijawab" in heading
    assert "Mulai Senin loket perekaman dibuka pukul 07.30" in page.content()
    page.get_by_role("button", name="Tutup pengaduan").click()
    page.get_by_text("Pengaduan ditutup.").wait_for()
    assert "Ditutup" in page.get_by_role("heading", level=1).inner_text()


def test_hr_puts_someone_on_duty_with_one_tap(page, live_server, org, complaint):
    log_in(page, live_server, "sdm")
    page.goto(f"{live_server}/loket/{complaint.counter_id}/jadwal?minggu=2026-11-26")
    page.evaluate("window.notReloaded = true")
    cell = page.get_by_role("button", name="Ani Lestari, Kamis, 26 November: bertugas")
    assert cell.get_attribute("aria-pressed") == "false"
    cell.click()
    pressed = page.locator('button[aria-label="Ani Lestari, Kamis, 26 November: bertugas"]'
                           '[aria-pressed="true"]')
    pressed.wait_for()
    assert page.locator("#staffed-2026-11-26").inner_text() == "1"
    assert page.evaluate("window.notReloaded") is True  # swapped in place, not a new page


def test_the_complaint_list_fits_a_phone(browser, live_server, org, complaint):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    errors = watch_errors(page)
    log_in(page, live_server, "kepala")
    for path in ("/pengaduan", f"/pengaduan/{complaint.id}",
                 f"/loket/{complaint.counter_id}/jadwal"):
        page.goto(f"{live_server}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone"
    context.close()
    assert errors == []

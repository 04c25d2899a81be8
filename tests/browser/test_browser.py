"""In a real headless Chromium (Debian's package): logging in and searching as you type."""

import pytest

from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


def test_employee_logs_in_with_nip_and_sees_the_dashboard(page, live_server, org):
    log_in(page, live_server, org.employee.employee.nip)
    page.wait_for_url(f"{live_server}/")
    assert "Ani Lestari" in page.content()


def test_wrong_password_shows_a_message_on_the_form(page, live_server, org):
    page.goto(f"{live_server}/masuk")
    page.get_by_label("NIP atau nama pengguna").fill("pegawai")
    page.get_by_label("Kata sandi").fill("bukan-sandinya-123")
    page.get_by_role("button", name="Masuk").click()
    assert page.get_by_role("alert").inner_text().count("salah") == 1


def test_hr_searches_employees_as_they_type(page, live_server, org):
    log_in(page, live_server, "sdm")
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/pegawai")
    rows = page.locator("#results tbody tr")
    assert rows.count() >= 7
    page.get_by_role("searchbox").press_sequentially("rudi", delay=30)
    page.wait_for_url("**/pegawai?q=rudi**")
    assert rows.count() == 1
    assert "Rudi Hartono" in rows.first.inner_text()


def test_phone_sized_navigation_reaches_the_employee_list(browser, live_server, org):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server, "sdm")
    page.wait_for_url(f"{live_server}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    context.close()

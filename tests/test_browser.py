"""In a real headless Chromium (Debian's package): logging in and searching as you type."""

import pytest

from kinerja.demo import DEMO_PASSWORD
from tests.builders import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A 4xx answer is logged as "Failed to load resource"; that is expected, a CSP refusal is not.
    page.on("console", lambda message: message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and errors.append(message.text))
    yield page
    context.close()
    assert errors == [], "the page logged errors (a CSP violation shows up here too)"


def log_in(page, live_server, identifier, password=PASSWORD):
    page.goto(f"{live_server}/masuk")
    page.get_by_label("NIP atau nama pengguna").fill(identifier)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def log_in_demo(page, live_server, username):
    """Log in as one of the demo's accounts (the `demo_year` fixture) and land on the start page."""
    log_in(page, live_server, username, DEMO_PASSWORD)
    page.wait_for_url(f"{live_server}/")


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

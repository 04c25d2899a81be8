"""Steps the browser tests share: logging in, watching a page for script errors, waiting."""
import time

from kinerja.demo import DEMO_PASSWORD
from tests.builders import PASSWORD


def watch_errors(page, errors: list | None = None) -> list:
    """The page's script errors and console errors, collected as they happen. A 4xx answer (or an
    offline request) logs "Failed to load resource": expected; a CSP refusal is not."""
    errors = [] if errors is None else errors
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and errors.append(message.text))
    return errors


def log_in(page, live_server, identifier, password=PASSWORD):
    page.goto(f"{live_server}/masuk")
    page.get_by_label("NIP atau nama pengguna").fill(identifier)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def log_in_and_land(page, live_server, identifier, password=PASSWORD):
    """Log in and wait for the start page."""
    log_in(page, live_server, identifier, password)
    page.wait_for_url(f"{live_server}/")


def log_in_demo(page, live_server, username):
    """Log in as one of the demo's accounts (the `demo_year` fixture) and land on the start page."""
    log_in_and_land(page, live_server, username, DEMO_PASSWORD)


def expect(locator):
    from playwright.sync_api import expect as playwright_expect  # noqa: PLC0415
    return playwright_expect(locator)


def eventually(page, check, timeout=10.0):
    """Wait (letting the browser run) until check() gives something truthy, and return it."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        page.wait_for_timeout(100)


class Confirmations:
    """Answers a page's confirm() questions (static/js/app.js asks them before irreversible
    acts): accepted unless `accept` is set to False; every question asked is kept in order."""

    def __init__(self, page):
        self.asked: list[str] = []
        self.accept = True
        page.on("dialog", self._answer)

    def _answer(self, dialog):
        self.asked.append(dialog.message)
        if self.accept:
            dialog.accept()
        else:
            dialog.dismiss()

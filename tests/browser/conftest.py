"""Fixtures of the browser tests: Debian's Chromium, the app served over HTTP, the demo year,
and pages that fail their test on any script error or CSP refusal."""
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.browser.steps import watch_errors


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright; one browser for the whole run."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make chromium`.")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable,
                                             args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture
def demo_year(app):
    """The demo kabupaten as seeded on 15 December 2026, with the clock held there (ticking), so
    the year's periodic and annual evaluations are all open."""
    from datetime import date  # noqa: PLC0415

    import time_machine  # noqa: PLC0415

    from kinerja import demo  # noqa: PLC0415
    with time_machine.travel("2026-12-15 09:00 +08:00", tick=True):
        demo.seed(date(2026, 12, 15))
        yield


@pytest.fixture
def live_server(app):
    """The test app served over HTTP in a thread, for the browser to talk to."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def page(browser):
    """A desktop page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = watch_errors(page)
    yield page
    context.close()
    assert errors == [], "the page logged errors (a CSP violation shows up here too)"


@pytest.fixture
def new_page(browser):
    """Pages in contexts of their own (one per person), failing on any script or CSP error."""
    contexts, errors = [], []

    def _open(width=1280, height=800):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        watch_errors(page, errors)
        return page

    yield _open
    for context in contexts:
        context.close()
    assert errors == [], "a page logged errors (a CSP violation shows up here too)"

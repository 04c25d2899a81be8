"""The kabupaten's identity in a real headless Chromium: the kiosk's idle screen keeps its logo
and accent offline (the service worker caches them with the shell) and shows a new logo once
the tablet's worker finds the change; the portal header wears the accent without any inline
style (the strict CSP would refuse one and log it)."""
import pytest

from kinerja.feedback import kiosks
from kinerja.organisation import identity
from tests.browser.steps import eventually, expect, log_in, watch_errors
from tests.builders import make_counter
from tests.organisation.test_identity import BULUNGAN, picture

pytestmark = pytest.mark.browser

IDLE = "Bagaimana pelayanan kami hari ini?"
LOGO_SHOWN = "() => { const img = document.querySelector('.government img');" \
             " return !!img && img.complete && img.naturalWidth > 0 && img.getAttribute('src'); }"
BRAND = "() => getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()"


@pytest.fixture
def tablet(browser):
    context = browser.new_context(viewport={"width": 800, "height": 1280}, locale="id-ID")
    page = context.new_page()
    errors = watch_errors(page)
    yield context, page
    context.close()
    assert errors == [], "the page logged errors (a CSP violation shows up here too)"


def test_the_kiosk_shows_the_kabupaten_offline_and_a_new_logo_after_an_update(
        tablet, live_server, org):
    context, page = tablet
    identity.update(org.admin, **BULUNGAN | {"accent": "#1a5c3b"}, logo=picture(size=(120, 120)))
    first = identity.current().version
    kiosk, code = kiosks.register(org.hr, make_counter(org.dinas, code="DUK-01"), "Tablet uji")
    page.goto(f"{live_server}/kiosk/")
    page.get_by_label("Kode pemasangan").fill(code)
    page.get_by_role("button", name="Pasangkan").click()
    expect(page.get_by_role("heading", name=IDLE)).to_be_visible()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    expect(page.locator(".government")).to_have_text("Pemerintah Kabupaten Bulungan")
    assert page.evaluate(BRAND) == "#1a5c3b"

    context.set_offline(True)
    page.reload()  # no network: page, logo and accent all come from the worker's cache
    expect(page.get_by_role("heading", name=IDLE)).to_be_visible()
    expect(page.locator(".government")).to_have_text("Pemerintah Kabupaten Bulungan")
    assert eventually(page, lambda: shown(page)) == f"/publik/identitas/logo.png?v={first}"
    assert page.evaluate(BRAND) == "#1a5c3b"

    context.set_offline(False)
    identity.update(org.admin, **BULUNGAN | {"accent": "#1a5c3b"}, logo=picture(size=(90, 90)))
    # What the tablet does by itself every hour: ask for a new worker. The new shell takes over
    # and the idle screen reloads into it.
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    assert eventually(page, lambda: shown(page) == f"/publik/identitas/logo.png?v={first + 1}",
                      timeout=15)


def shown(page):
    """The idle screen's logo once it has loaded, or None (also while the page reloads)."""
    try:
        return page.evaluate(LOGO_SHOWN)
    except Exception:  # noqa: BLE001 - "execution context was destroyed" by the reload
        return None


def test_the_portal_header_wears_the_accent_from_its_stylesheet(page, live_server, org):
    identity.update(org.admin, **BULUNGAN | {"accent": "#1a5c3b"}, logo=picture())
    log_in(page, live_server, org.employee.username)
    header = page.locator("header.site-header")
    expect(header.locator(".brand-region")).to_have_text("Kabupaten Bulungan")
    assert header.evaluate("(el) => getComputedStyle(el).backgroundColor") == "rgb(26, 92, 59)"
    assert page.locator(".brand-logo").evaluate("(img) => img.naturalWidth") > 0

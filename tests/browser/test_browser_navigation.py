"""In Chromium: every role's portal pages load without a script error or CSP refusal, the
header folds into a menu button on a phone, its dropdowns stay readable when open, and the
SKP editor's row buttons are thumb-sized on a phone."""
import re
from urllib.parse import urlsplit

import pytest

from kinerja.demo import DEMO_LOGINS
from kinerja.performance.models import SkpStatus
from tests.browser.steps import expect, log_in, log_in_and_land, log_in_demo
from tests.builders import make_indicator, make_period, make_rhk, make_skp

pytestmark = pytest.mark.browser

# Chromium reports a CSP refusal on the console too; this catches any the console misses.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""
# Links a walk does not follow: files, evidence, signing out, the other faces.
SKIPPED = re.compile(r"(\.[a-z]+|/pdf|/unduh)$|^/(keluar|bukti|kiosk|api|static|publik)\b")
CHILD_PAGES_PER_PAGE = 3
# Pages that are the same for every role: opened for the first role only.
SAME_FOR_EVERYONE = re.compile(r"^/(panduan|akun/(sandi|sesi|2fa))\b")


def _walk(page, base: str, username: str, shared: set) -> tuple[list[str], dict[str, list[str]]]:
    """Open every page in the header, then the first few distinct in-app pages linked from
    each one's content; return the paths opened and, per page, its errors and refusals."""
    errors: dict[str, list[str]] = {}

    def note(text):
        errors.setdefault(urlsplit(page.url).path, []).append(text)

    page.on("pageerror", lambda error: note(str(error)))
    page.on("console", lambda message: message.type == "error"
            and not message.text.startswith("Failed to load resource") and note(message.text))
    log_in_demo(page, base, username)

    def links(selector: str) -> list[str]:
        found = page.eval_on_selector_all(
            selector, "links => links.filter(a => !a.hasAttribute('download'))"
                      ".map(a => a.getAttribute('href'))")
        return [href.split("#")[0] for href in found
                if href and href.startswith("/") and not SKIPPED.search(href.split("?")[0])]

    shapes, opened, children = set(), [], {}

    def visit(path: str) -> bool:
        # One page per shape (/skp/12 and /skp/31 are the same page for this purpose).
        shape = re.sub(r"\d+", "N", path.split("?")[0])
        seen = shared if SAME_FOR_EVERYONE.match(shape) else shapes
        if shape in seen:
            return False
        seen.add(shape)
        response = page.goto(base + path)
        page.wait_for_load_state("networkidle")  # htmx's load-triggered fragments too
        if response.status >= 400:  # a link shown to this role must open for it
            errors.setdefault(path, []).append(f"answered {response.status}")
        violations = page.evaluate("window.__cspViolations || []")
        if violations:
            errors.setdefault(path, []).extend(violations)
        opened.append(path)
        children[path] = links("main a[href]")
        return True

    header = links(".site-header nav a[href]")
    for path in header:
        visit(path)
    for path in list(children):
        visited = 0
        for child in children[path]:
            if visited == CHILD_PAGES_PER_PAGE:
                break
            visited += visit(child)
    return opened, errors


def test_every_roles_pages_load_without_script_errors_or_csp_refusals(browser, live_server,
                                                                      demo_year):
    report, shared = {}, set()
    for username in DEMO_LOGINS:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        opened, errors = _walk(context.new_page(), live_server, username, shared)
        context.close()
        assert len(opened) >= 8, f"{username} reached only {opened}"
        if errors:
            report[username] = errors
    assert report == {}, f"pages refused or logged errors (CSP refusals included): {report}"


def test_htmx_adds_no_stylesheet_and_ours_hides_its_indicators(page, live_server, org):
    log_in_and_land(page, live_server, "sdm")
    page.goto(f"{live_server}/pegawai")  # an htmx page (search as you type)
    assert page.evaluate("htmx.config.includeIndicatorCSS") is False
    assert page.evaluate("document.adoptedStyleSheets.length") == 0
    shown = """() => {
      const wrap = document.createElement("div");
      wrap.innerHTML = '<span class="htmx-indicator">…</span>';
      document.body.append(wrap);
      const idle = getComputedStyle(wrap.firstChild).visibility;
      wrap.classList.add("htmx-request");  // the opacity fades in; visibility turns at once
      const busy = getComputedStyle(wrap.firstChild).visibility;
      wrap.remove();
      return [idle, busy];
    }"""
    assert page.evaluate(shown) == ["hidden", "visible"]


# ---------------------------------------------------------------- the header on a phone


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    yield context.new_page()
    context.close()


def test_on_a_phone_the_links_fold_behind_one_menu_button(phone, live_server, org):
    log_in_and_land(phone, live_server, "sdm")
    header = phone.locator(".site-header")
    menu = phone.get_by_role("button", name="Menu")
    home = header.get_by_role("link", name="Beranda")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(home).to_be_hidden()
    assert header.bounding_box()["height"] <= 80  # one row, not 200+ px of wrapped links

    menu.tap()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(home).to_be_visible()
    panel = phone.locator("#site-menu").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 390  # on the screen
    header.get_by_text("Kelola").tap()
    header.get_by_role("link", name="Pegawai").tap()
    phone.wait_for_url(f"{live_server}/pegawai")
    expect(phone.get_by_role("heading", name="Pegawai", level=1)).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(home).to_be_hidden()


def test_the_phone_menu_works_from_the_keyboard(phone, live_server, org):
    log_in_and_land(phone, live_server, "pegawai")
    menu = phone.get_by_role("button", name="Menu")
    menu.focus()
    phone.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Beranda"
    phone.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(phone.locator(".site-header").get_by_role("link", name="Beranda")).to_be_hidden()
    assert phone.evaluate("document.activeElement.classList.contains('nav-toggle')")


def test_the_menu_button_shows_unread_notifications(phone, live_server, org):
    from kinerja.extensions import db  # noqa: PLC0415
    from kinerja.notifications import notifications  # noqa: PLC0415
    notifications.notify(org.employee.employee, "self_assessment_submitted", key="n1",
                         link="/skp", employee_name="Rudi Hartono")
    db.session.commit()
    log_in_and_land(phone, live_server, "pegawai")
    expect(phone.locator(".nav-toggle .badge")).to_have_text("1 notifikasi belum dibaca")


def test_on_a_desktop_the_links_stay_in_one_row(page, live_server, org):
    log_in_and_land(page, live_server, "sdm")
    expect(page.locator(".nav-toggle")).to_be_hidden()
    header = page.locator(".site-header")
    expect(header.get_by_role("link", name="Beranda")).to_be_visible()
    expect(header.get_by_role("link", name="Notifikasi")).to_be_visible()
    assert header.bounding_box()["height"] <= 110


# ---------------------------------------------------------------- dropdowns readable when open


def _rgb(colour: str) -> tuple[float, float, float, float]:
    parts = [float(x) for x in re.findall(r"[\d.]+", colour)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def contrast(text: str, background: str, behind: str) -> float:
    """WCAG contrast of text on a (possibly see-through) background laid over `behind`."""
    r, g, b, a = _rgb(background)
    base = _rgb(behind)
    paint = [a * c + (1 - a) * d for c, d in zip((r, g, b), base[:3], strict=True)]

    def luminance(rgb):
        linear = [(c / 255 / 12.92) if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
                  for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(_rgb(text)[:3]), luminance(paint)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


# The colours a dropdown settles on (Pico fades them in: the fade is run to its end first).
COLOURS = """element => {
  element.getAnimations().forEach(animation => animation.finish());
  const style = getComputedStyle(element);
  return [style.color, style.backgroundColor,
          getComputedStyle(document.querySelector('.site-header')).backgroundColor];
}"""


def test_the_open_kelola_menu_and_its_items_are_readable(page, live_server, org):
    log_in_and_land(page, live_server, "admin")
    kelola = page.locator(".site-header summary", has_text="Kelola")
    kelola.click()
    expect(page.locator(".site-header").get_by_role("link", name="Pegawai")).to_be_visible()
    assert contrast(*kelola.evaluate(COLOURS)) >= 4.5
    page.keyboard.press("Tab")  # focus moves on: the summary keeps its colours
    assert contrast(*kelola.evaluate(COLOURS)) >= 4.5

    page.mouse.click(10, 700)  # a click elsewhere closes it
    expect(page.locator(".site-header").get_by_role("link", name="Pegawai")).to_be_hidden()
    own = page.locator(".site-header summary", has_text="Agus Prasetyo")
    own.click()
    assert contrast(*own.evaluate(COLOURS)) >= 4.5
    sign_out = page.get_by_role("button", name="Keluar")
    expect(sign_out).to_be_visible()
    text, _, _ = sign_out.evaluate(COLOURS)
    assert contrast(text, "rgb(255, 255, 255)", "rgb(255, 255, 255)") >= 4.5  # on the white list


# ---------------------------------------------------------------- the SKP editor on a phone


def test_indicator_row_buttons_are_thumb_sized_and_level_on_a_phone(phone, live_server, org):
    skp = make_skp(org.employee.employee, make_period(2026), status=SkpStatus.DRAFT)
    rhk = make_rhk(skp, "Terverifikasinya berkas KTP-el", target="2400", unit_of_measure="berkas")
    make_indicator(rhk)
    log_in(phone, live_server, "pegawai")
    phone.wait_for_url(f"{live_server}/")
    phone.goto(f"{live_server}/skp/{skp.id}")
    rows = phone.locator("table.indicators tbody tr")
    expect(rows).to_have_count(2)
    for row in rows.all():
        edit = row.get_by_role("link", name="Ubah").bounding_box()
        remove = row.get_by_role("button", name="Hapus").bounding_box()
        assert edit["height"] >= 44 and remove["height"] >= 44
        assert abs(edit["y"] - remove["y"]) < 1 and abs(edit["height"] - remove["height"]) < 1
        assert edit["width"] >= 44 and remove["width"] >= 44

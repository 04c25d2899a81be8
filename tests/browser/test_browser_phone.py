"""The phone channel in a real headless Chromium (Debian's package) at a phone's size: the
flow from a counter's QR link, sent at once with retries, then one rating per hour."""

import pytest

from kinerja.extensions import db
from kinerja.feedback import phone
from kinerja.feedback.models import Kiosk, Rating
from tests.browser.steps import eventually, expect, watch_errors
from tests.builders import make_counter

pytestmark = pytest.mark.browser

IDLE = "Bagaimana pelayanan kami hari ini?"
RATED = "Terima kasih, Anda sudah memberi penilaian untuk loket ini. Silakan lagi setelah 1 jam."
READ_QUEUE = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("kinerja-ponsel", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("ratings", {keyPath: "id"});
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction("ratings").objectStore("ratings").getAll();
    request.onsuccess = () => { open.result.close(); resolve(request.result); };
    request.onerror = () => reject(request.error);
  };
})"""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID",
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    errors = watch_errors(page)
    yield page
    context.close()
    assert errors == [], "the page logged errors (a CSP violation shows up here too)"


@pytest.fixture
def link(live_server, org):
    counter = make_counter(org.dinas, code="DUK-01", name="Loket 1 KTP-el")
    return f"{live_server}/kiosk/ponsel/{phone.sign_counter(counter.id)}"




def stored() -> list[tuple]:
    db.session.rollback()
    rows = [(str(r.client_id), r.score, r.elements(), db.session.get(Kiosk, r.kiosk_id).kind)
            for r in db.session.scalars(db.select(Rating).order_by(Rating.taken_at))]
    db.session.rollback()
    return rows


def test_a_citizen_rates_from_the_phone_once_an_hour(page, link):
    attempts = []

    def flaky(route):  # the first send meets a bad mobile connection
        attempts.append(route.request.post_data_json)
        if len(attempts) == 1:
            route.fulfill(status=503, body="{}", content_type="application/json")
        else:
            route.continue_()

    page.route("**/kiosk/api/ponsel/*/ratings", flaky)
    page.goto(link)
    expect(page.get_by_role("heading", name=IDLE)).to_be_visible()
    expect(page.locator("#counter-name")).to_have_text("Loket 1 KTP-el")
    expect(page.get_by_role("heading", name="Pasang tablet ke loket")).to_be_hidden()
    expect(page.locator("#status")).to_be_empty()  # nothing to report before a rating

    page.get_by_role("button", name="Baik", exact=True).tap()
    expect(page.get_by_role("heading", name="kesesuaian persyaratan")).to_be_visible()
    page.get_by_role("button", name="Sangat sesuai").tap()
    expect(page.get_by_role("heading", name="kemudahan prosedur")).to_be_visible()
    queued = page.evaluate(READ_QUEUE)
    assert [(r["rating"]["elements"], r["ready"]) for r in queued] == [({"U1": 4}, False)]
    expect(page.locator("#status")).to_be_empty()  # still being answered: not waiting yet
    page.get_by_role("button", name="Selesai").tap()

    thanks = page.get_by_role("heading", name="Terima kasih!")
    expect(thanks).to_be_visible()
    expect(page.get_by_role("button", name="Kembali ke awal")).to_be_hidden()
    rows = eventually(page, stored, timeout=15)
    assert rows == [(queued[0]["id"], 3, {"U1": 4}, "phone")]
    assert len(attempts) == 2 and attempts[0] == attempts[1] == {"ratings": [queued[0]["rating"]]}
    expect(page.get_by_role("status")).to_have_text("Terkirim")
    assert page.evaluate(READ_QUEUE) == []
    # The tablets' service worker is theirs alone.
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0

    thanks.tap()  # the page stays thankful: no way back to the faces
    expect(thanks).to_be_visible()

    page.reload()  # within the hour: thanked, not asked again
    expect(page.get_by_text(RATED)).to_be_visible()
    expect(page.get_by_role("heading", name=IDLE)).to_be_hidden()
    assert len(stored()) == 1


def test_a_citizen_names_who_served_them_and_the_page_holds_no_nip(page, link, org):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kinerja.organisation.models import ServiceCounter
    from tests.builders import make_employee, make_roster
    petugas = make_employee("Sri Wahyuni", unit=org.dinas)
    counter = db.session.scalar(db.select(ServiceCounter).filter_by(code="DUK-01"))
    make_roster(counter, petugas, datetime.now(ZoneInfo(org.dinas.time_zone.iana)).date())

    page.goto(link)
    assert petugas.nip not in page.content()
    page.get_by_role("button", name="Baik", exact=True).tap()
    for _ in range(9):
        page.get_by_role("button", name="Lewati").tap()
    for answer in ("30–39 tahun", "Perempuan", "D4 / S1", "Wirausaha"):
        page.get_by_role("button", name=answer).tap()
    page.get_by_role("button", name="Sri Wahyuni").tap()
    page.get_by_role("button", name="Kirim").tap()
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()

    def served_by():
        db.session.rollback()
        return db.session.scalar(db.select(Rating.staff_id))
    assert eventually(page, served_by, timeout=15) == petugas.id
    assert petugas.nip not in page.content()

"""The kiosk in a real headless Chromium (Debian's package): pairing, the rating flow, the
offline queue behind a service worker, and a revoked device that keeps what it holds."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kinerja.core.calendar import TimeZone
from kinerja.extensions import db
from kinerja.feedback import kiosks
from kinerja.feedback.models import Complaint, Rating, RosterEntry
from tests.browser.steps import eventually, expect, watch_errors
from tests.builders import make_counter, make_employee

pytestmark = pytest.mark.browser

IDLE = "Bagaimana pelayanan kami hari ini?"
# The browser's own IndexedDB, read as the page keeps it (the same schema as kiosk.js).
READ_QUEUE = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("kinerja-kiosk", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("ratings", {keyPath: "id"});
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction("ratings").objectStore("ratings").getAll();
    request.onsuccess = () => { open.result.close(); resolve(request.result); };
    request.onerror = () => reject(request.error);
  };
})"""


@pytest.fixture
def live_server(live_server, app):
    # No cooldown between taps, so one test can rate several times in a row.
    app.config["KIOSK_COOLDOWN_SECONDS"] = 0
    return live_server


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors = watch_errors(page)
    yield page
    assert errors == [], "the page logged errors (a CSP violation shows up here too)"


@pytest.fixture
def counter(org):
    return make_counter(org.dinas, code="DUK-01", name="Loket 1 KTP-el")




def stored() -> list[dict]:
    """The ratings in the database, read in a transaction of their own (the server's threads
    write meanwhile; an open read would hold SQLite's lock and see an old snapshot)."""
    db.session.rollback()
    rows = [{"client_id": str(r.client_id), "score": r.score, "elements": r.elements(),
             "kiosk_id": r.kiosk_id, "staff_id": r.staff_id, "sex": r.sex,
             "age_group": r.age_group, "education": r.education, "occupation": r.occupation}
            for r in db.session.scalars(db.select(Rating).order_by(Rating.taken_at))]
    db.session.rollback()
    return rows


def pair(page, live_server, counter, org):
    kiosk, code = kiosks.register(org.hr, counter, "Tablet uji")
    page.goto(f"{live_server}/kiosk/")
    page.get_by_label("Kode pemasangan").fill(code)
    page.get_by_role("button", name="Pasangkan").click()
    expect(page.get_by_role("heading", name=IDLE)).to_be_visible()
    expect(page.locator("#counter-name")).to_have_text("Loket 1 KTP-el")
    return kiosk


def rate(page, face: str):
    """A citizen who taps a face and finishes at once, then the next one comes."""
    page.get_by_role("button", name=face, exact=True).click()
    page.get_by_role("button", name="Selesai").click()
    page.get_by_role("button", name="Kembali ke awal").click()
    expect(page.get_by_role("heading", name=IDLE)).to_be_visible()


def test_a_wrong_code_is_refused_with_a_message(page, live_server):
    page.goto(f"{live_server}/kiosk/")
    for digit in "12345678":
        page.get_by_role("button", name=digit, exact=True).click()
    expect(page.get_by_label("Kode pemasangan")).to_have_value("12345678")
    page.get_by_role("button", name="Pasangkan").click()
    expect(page.get_by_role("alert").filter(has_text="kedaluwarsa")).to_be_visible()
    expect(page.get_by_role("heading", name=IDLE)).to_be_hidden()


def test_a_tap_and_two_elements_arrive_once(page, live_server, counter, org):
    pair(page, live_server, counter, org)
    page.get_by_role("button", name="Baik", exact=True).click()
    # Stored in the browser at once, before any optional question is answered.
    queued = page.evaluate(READ_QUEUE)
    assert [(r["rating"]["score"], r["ready"]) for r in queued] == [(3, False)]
    assert queued[0]["rating"]["taken_at"][-6] in "+-"  # device time with its offset

    expect(page.get_by_role("heading", name="kesesuaian persyaratan")).to_be_visible()
    page.get_by_role("button", name="Sangat sesuai").click()
    expect(page.get_by_role("heading", name="kemudahan prosedur")).to_be_visible()
    page.get_by_role("button", name="Kurang mudah").click()
    expect(page.get_by_role("heading", name="kecepatan waktu")).to_be_visible()
    assert page.evaluate(READ_QUEUE)[0]["rating"]["elements"] == {"U1": 4, "U2": 2}
    assert stored() == []  # not sent while the citizen is still answering

    thanks = page.get_by_role("heading", name="Terima kasih!")
    for _ in range(20):
        if thanks.is_visible():
            break
        page.get_by_role("button", name="Lewati").click()
    expect(thanks).to_be_visible()

    rows = eventually(page, stored)
    assert [(r["client_id"], r["score"], r["elements"]) for r in rows] == [
        (queued[0]["id"], 3, {"U1": 4, "U2": 2})]
    expect(page.get_by_role("status")).to_have_text("Semua penilaian terkirim")
    assert page.evaluate(READ_QUEUE) == []
    page.wait_for_timeout(500)
    assert len(stored()) == 1


def test_the_whole_survey_with_staff_and_a_complaint(page, live_server, counter, org):
    petugas = make_employee("Sri Wahyuni", unit=org.dinas)
    today = datetime.now(ZoneInfo(TimeZone(org.dinas.time_zone).iana)).date()
    db.session.add(RosterEntry(counter_id=counter.id, employee_id=petugas.id, day=today))
    db.session.commit()
    pair(page, live_server, counter, org)

    page.get_by_role("button", name="Tidak baik").click()
    for _ in range(9):
        page.get_by_role("button", name="Lewati").click()
    page.get_by_role("button", name="30–39 tahun").click()
    page.get_by_role("button", name="Perempuan").click()
    page.get_by_role("button", name="D4 / S1").click()
    page.get_by_role("button", name="Wirausaha").click()
    page.get_by_role("button", name="Sri Wahyuni").click()
    page.get_by_label("Keluhan atau saran Anda").fill("Antrian terlalu lama")
    expect(page.get_by_label("Nomor telepon atau e-mail")).to_be_hidden()
    page.get_by_label("Saya bersedia dihubungi").check()
    page.get_by_label("Nomor telepon atau e-mail").fill("0812 3456 7890")
    page.get_by_role("button", name="Kirim").click()
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()

    rows = eventually(page, stored)
    assert len(rows) == 1
    assert (rows[0]["score"], rows[0]["elements"], rows[0]["staff_id"]) == (1, {}, petugas.id)
    assert (rows[0]["age_group"], rows[0]["sex"], rows[0]["education"],
            rows[0]["occupation"]) == ("30-39", "P", "D4-S1", "WIRAUSAHA")
    complaint = db.session.scalar(db.select(Complaint))
    assert (complaint.text, complaint.contact, complaint.contact_consent) == (
        "Antrian terlalu lama", "0812 3456 7890", True)
    db.session.rollback()

    # The next citizen finds an empty form.
    page.get_by_role("button", name="Kembali ke awal").click()
    page.get_by_role("button", name="Baik", exact=True).click()
    for _ in range(14):
        page.get_by_role("button", name="Lewati").click()
    expect(page.get_by_label("Keluhan atau saran Anda")).to_have_value("")
    expect(page.get_by_label("Saya bersedia dihubungi")).not_to_be_checked()


def test_offline_ratings_survive_a_reload_and_arrive_exactly_once(page, context, live_server,
                                                                  counter, org):
    pair(page, live_server, counter, org)
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    for face in ("Sangat baik", "Baik", "Tidak baik"):
        rate(page, face)
    expect(page.get_by_role("status")).to_have_text("Luring · 3 tersimpan di perangkat")

    page.reload()  # no network: the shell comes from the service worker's cache
    expect(page.get_by_role("heading", name=IDLE)).to_be_visible()
    expect(page.locator("#counter-name")).to_have_text("Loket 1 KTP-el")  # the cached config
    for face in ("Kurang baik", "Sangat baik"):
        rate(page, face)
    queued = page.evaluate(READ_QUEUE)
    assert len(queued) == 5 and all(r["ready"] for r in queued)
    assert stored() == []

    context.set_offline(False)
    rows = eventually(page, lambda: len(stored()) >= 5 and stored())
    assert sorted(r["client_id"] for r in rows) == sorted(r["id"] for r in queued)
    assert [r["score"] for r in rows] == [4, 3, 1, 2, 4]
    expect(page.get_by_role("status")).to_have_text("Semua penilaian terkirim")
    assert page.evaluate(READ_QUEUE) == []
    assert len(stored()) == 5


def test_a_revoked_tablet_keeps_its_queue_until_paired_again(page, live_server, counter, org):
    first = pair(page, live_server, counter, org)
    rate(page, "Baik")
    eventually(page, stored)
    kiosks.revoke(org.admin, first)

    rate(page, "Sangat baik")
    banner = page.get_by_role("alert").filter(has_text="Perangkat perlu dipasang ulang")
    expect(banner).to_be_visible()
    assert len(page.evaluate(READ_QUEUE)) == 1
    page.reload()  # it stays stopped and keeps the rating across a reload
    expect(banner).to_be_visible()
    assert len(page.evaluate(READ_QUEUE)) == 1
    assert len(stored()) == 1

    page.get_by_role("button", name="Pasang ulang").click()
    second, code = kiosks.register(org.hr, counter, "Tablet uji (baru)")
    page.get_by_label("Kode pemasangan").fill(code)
    page.get_by_role("button", name="Pasangkan").click()
    expect(page.get_by_role("heading", name=IDLE)).to_be_visible()
    expect(banner).to_be_hidden()
    rows = eventually(page, lambda: len(stored()) == 2 and stored())
    assert [(r["score"], r["kiosk_id"]) for r in rows] == [(3, first.id), (4, second.id)]
    # The server commits before it answers; the tablet clears its queue right after.
    assert eventually(page, lambda: page.evaluate(READ_QUEUE) == [])


def test_inactivity_and_the_cooldown(app, page, live_server, counter, org):
    app.config.update(KIOSK_IDLE_SECONDS=1, KIOSK_THANKS_SECONDS=1, KIOSK_COOLDOWN_SECONDS=2)
    pair(page, live_server, counter, org)
    faces = page.locator("#screen-idle .face")

    page.get_by_role("button", name="Baik", exact=True).click()
    page.get_by_role("button", name="Sangat sesuai").click()  # U1, then the citizen walks away
    expect(page.get_by_role("heading", name=IDLE)).to_be_visible(timeout=3000)
    # Timed out is finished: the rating goes as far as it got.
    assert eventually(page, stored)[0]["elements"] == {"U1": 4}
    expect(page.get_by_text("Mohon tunggu")).to_be_visible()
    expect(faces.first).to_be_disabled()
    expect(faces.first).to_be_enabled(timeout=3000)
    expect(page.get_by_text("Mohon tunggu")).to_be_hidden()

    page.get_by_role("button", name="Kurang baik").click()
    page.get_by_role("button", name="Selesai").click()
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    expect(page.get_by_role("heading", name=IDLE)).to_be_visible(timeout=3000)
    assert len(eventually(page, lambda: len(stored()) == 2 and stored())) == 2


def test_server_errors_are_retried_and_rejections_logged(browser, live_server, counter, org):
    # Without the service worker, so that Playwright sees (and fakes) the API's answers.
    context = browser.new_context(viewport={"width": 800, "height": 1280}, service_workers="block")
    page = context.new_page()

    # A published award of the counter's unit: its winner shows on the idle screen.
    from kinerja.recognition.models import AwardStatus
    from tests.builders import make_period
    from tests.recognition.builders import make_award, make_winner
    award = make_award(make_period(2026), unit=counter.unit, status=AwardStatus.PUBLISHED)
    make_winner(award, org.teammate.employee)
    pair(page, live_server, counter, org)
    expect(page.get_by_role("complementary")).to_contain_text("Rudi HartonoASN Teladan")
    attempts = []

    def flaky(route):
        attempts.append(route.request.post_data_json)
        if len(attempts) <= 2:
            route.fulfill(status=503 if len(attempts) == 1 else 429, body="{}",
                          content_type="application/json")
        elif len(attempts) == 3:
            route.continue_()
        else:
            items = route.request.post_data_json["ratings"]
            route.fulfill(json={"results": [{"client_id": item["client_id"], "status": "rejected",
                                             "reason": "cooldown"} for item in items]})

    page.route("**/kiosk/api/ratings", flaky)
    rate(page, "Baik")
    rows = eventually(page, stored, timeout=12)
    assert len(rows) == 1 and len(attempts) == 3
    body = attempts[0]
    assert (body["queued"], body["version"]) == (1, "kiosk-1.0.0")
    assert [item["client_id"] for item in body["ratings"]] == [rows[0]["client_id"]]

    rate(page, "Sangat baik")
    rejected = eventually(page, lambda: page.evaluate(
        "JSON.parse(localStorage.getItem('kinerja.rejected') || '[]')"))
    assert [(entry["reason"], entry["rating"]["score"]) for entry in rejected] == [("cooldown", 4)]
    assert eventually(page, lambda: page.evaluate(READ_QUEUE) == [])
    assert len(stored()) == 1
    context.close()


def test_back_online_the_queue_goes_at_once(page, context, live_server, counter, org):
    # Offline long enough for the resend to back off to several seconds, then the network
    # comes back: the waiting tap goes within ~2 s, not after the backoff runs out.
    pair(page, live_server, counter, org)
    context.set_offline(True)
    rate(page, "Baik")
    page.wait_for_timeout(6000)  # retries at about 1, 2 and 4 s: the next would wait 4-8 s
    expect(page.get_by_role("status")).to_have_text("Luring · 1 tersimpan di perangkat")

    context.set_offline(False)
    expect(page.get_by_role("status")).to_have_text("Semua penilaian terkirim", timeout=2500)
    assert len(stored()) == 1


def test_a_send_hanging_when_the_network_returns_is_retried_at_once(browser, live_server,
                                                                    counter, org):
    # A tablet whose Wi-Fi drops mid-request: the request hangs (no answer, no error) until
    # its 20 s timeout. When the network comes back, the tablet does not wait for it.
    context = browser.new_context(viewport={"width": 800, "height": 1280}, service_workers="block")
    page = context.new_page()
    pair(page, live_server, counter, org)
    hanging = []

    def first_hangs(route):
        if not hanging:
            hanging.append(route)  # never answered
        else:
            route.continue_()

    page.route("**/kiosk/api/ratings", first_hangs)
    rate(page, "Baik")
    eventually(page, lambda: hanging)
    assert hanging and stored() == []
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("status")).to_have_text("Semua penilaian terkirim", timeout=2500)
    assert len(stored()) == 1
    context.close()


def test_waking_up_resends_after_network_failures_but_not_server_errors(browser, live_server,
                                                                        counter, org):
    context = browser.new_context(viewport={"width": 800, "height": 1280}, service_workers="block")
    page = context.new_page()
    pair(page, live_server, counter, org)
    failing = {"how": "network", "attempts": 0}

    def answer(route):
        failing["attempts"] += 1
        if failing["how"] == "network":
            route.abort("internetdisconnected")
        elif failing["how"] == "server":
            route.fulfill(status=503, body="{}", content_type="application/json")
        else:
            route.continue_()

    page.route("**/kiosk/api/ratings", answer)
    rate(page, "Baik")
    eventually(page, lambda: failing["attempts"] >= 3, timeout=8)  # backed off to 4-8 s now
    failing["how"] = "through"
    page.evaluate("window.dispatchEvent(new Event('focus'))")  # the tablet is woken up
    assert eventually(page, lambda: len(stored()) == 1, timeout=2.5)

    failing.update(how="server", attempts=0)
    rate(page, "Sangat baik")
    eventually(page, lambda: failing["attempts"] >= 3, timeout=8)
    failing["how"] = "through"
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    page.wait_for_timeout(1500)
    assert len(stored()) == 1  # a struggling server is not hammered: the backoff holds
    assert eventually(page, lambda: len(stored()) == 2, timeout=10)
    context.close()

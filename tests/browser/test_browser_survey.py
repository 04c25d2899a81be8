"""The questionnaire at a counter offering two services, in a real headless Chromium: the
citizen picks the service received from big buttons, answers elements in the questionnaire's
own words, and the rating is stored with the service; at a one-service counter nothing is
asked and the service is named all the same."""
import pytest

from kinerja.extensions import db
from kinerja.feedback import kiosks
from kinerja.feedback.models import Rating
from tests.browser.steps import eventually, expect, watch_errors
from tests.builders import make_counter, make_service

pytestmark = pytest.mark.browser

IDLE = "Bagaimana pelayanan kami hari ini?"
SERVICE = "Layanan apa yang Anda terima hari ini?"


@pytest.fixture
def live_server(live_server, app):
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


def stored() -> list[tuple]:
    db.session.rollback()
    rows = [(r.score, r.elements(), r.service.code if r.service else None)
            for r in db.session.scalars(db.select(Rating).order_by(Rating.taken_at))]
    db.session.rollback()
    return rows


def pair(page, live_server, counter, org):
    _, code = kiosks.register(org.hr, counter, "Tablet uji")
    page.goto(f"{live_server}/kiosk/")
    page.get_by_label("Kode pemasangan").fill(code)
    page.get_by_role("button", name="Pasangkan").click()
    expect(page.get_by_role("heading", name=IDLE)).to_be_visible()


def test_a_citizen_picks_the_service_and_answers_in_the_questionnaires_words(page, live_server,
                                                                              org):
    counter = make_counter(org.dinas, code="DUK-03", name="Loket 3 Akta", services=[
        make_service("AKTA-LAHIR", "Akta Kelahiran"), make_service("AKTA-MATI", "Akta Kematian")])
    pair(page, live_server, counter, org)

    page.get_by_role("button", name="Sangat baik", exact=True).click()
    expect(page.get_by_role("heading", name=SERVICE)).to_be_visible()
    expect(page.get_by_role("button", name="Akta Kelahiran")).to_be_visible()
    page.get_by_role("button", name="Akta Kematian").click()

    # Persyaratan, asked as the questionnaire asks it, with its own four answers.
    question = page.get_by_role("heading", name="kesesuaian persyaratan pelayanan")
    expect(question).to_be_visible()
    answers = page.locator("#screen-element-U1 .answers button")
    expect(answers).to_have_text(["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"])
    expect(page.locator("#screen-element-U1 .kicker")).to_have_text("Unsur 1 dari 9 · Persyaratan")
    page.get_by_role("button", name="Sesuai", exact=True).click()

    for _ in range(2):  # Prosedur, Waktu: skipped
        page.get_by_role("button", name="Lewati").click()
    expect(page.get_by_role("heading", name="kewajaran biaya/tarif")).to_be_visible()
    expect(page.locator("#screen-element-U4 .answers button")).to_have_text(
        ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"])
    page.get_by_role("button", name="Gratis").click()
    expect(page.get_by_role("heading", name="kesesuaian produk pelayanan")).to_be_visible()
    page.get_by_role("button", name="Selesai").click()
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()

    assert eventually(page, stored) == [(4, {"U1": 3, "U4": 4}, "AKTA-MATI")]


def test_a_one_service_counter_names_it_without_asking(page, live_server, org):
    counter = make_counter(org.dinas, code="DUK-01", name="Loket 1 KTP-el",
                           services=[make_service("KTP-EL", "KTP-el")])
    pair(page, live_server, counter, org)
    page.get_by_role("button", name="Baik", exact=True).click()
    expect(page.get_by_role("heading", name="kesesuaian persyaratan pelayanan")).to_be_visible()
    expect(page.get_by_role("heading", name=SERVICE)).to_be_hidden()
    page.get_by_role("button", name="Selesai").click()
    assert eventually(page, stored) == [(3, {}, "KTP-EL")]

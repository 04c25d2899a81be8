"""The phone channel: a counter's QR poster opens the rating flow on a citizen's own phone,
stored like a tablet's ratings, one per browser per counter per hour."""
import html
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import segno

from kinerja import create_app
from kinerja.extensions import db
from kinerja.feedback import kiosks, phone
from kinerja.feedback.models import Complaint, DailyRollup, Kiosk, KioskKind, Rating
from tests.builders import make_counter, make_employee, make_kiosk, make_roster, rating_item
from tests.conftest import base_config

# Thursday 26 November 2026, 10:00 WITA: inside service hours.
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")
REFUSED = "Tautan tidak dikenal"


@pytest.fixture
def counter(org):
    """The counter in the dinas itself (the tablet's configuration names the dinas)."""
    return make_counter(org.dinas, code="DUK-01", name="Loket 1 KTP-el")


@pytest.fixture
def signed(counter):
    return phone.sign_counter(counter.id)


def send(client, signed, item, **headers):
    return client.post(f"/kiosk/api/ponsel/{signed}/ratings", json={"ratings": [item]},
                       headers=headers)


def statuses(response) -> list:
    return [(r["status"], r.get("reason")) for r in response.json["results"]]


def at(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


def embedded(response) -> dict:
    """The settings the phone page hands kiosk.js (JSON in a single-quoted data attribute)."""
    block = re.search(r"<div id=\"kiosk-phone\" hidden data-settings='([^']*)'>", response.text)
    return json.loads(html.unescape(block.group(1)))


def ratings_stored() -> int:
    return db.session.scalar(db.select(db.func.count(Rating.id)))


# ---------------------------------------------------------------- staff, named without their NIP


@pytest.fixture
def rostered(org, counter):
    """Someone at the counter yesterday, so the flow offers them as "who served you"."""
    person = make_employee("Rina Kartika", unit=org.dinas)
    make_roster(counter, person, NOW.date() - timedelta(days=1))
    return person


def test_the_public_page_names_staff_but_never_shows_a_nip(client, signed, rostered):
    response = client.get(f"/kiosk/ponsel/{signed}")
    staff = embedded(response)["config"]["staff"]
    assert [person["name"] for person in staff] == ["Rina Kartika"]
    assert "nip" not in staff[0]
    assert rostered.nip not in response.text


def test_a_phone_rating_names_staff_by_the_pages_reference(client, signed, rostered):
    ref = embedded(client.get(f"/kiosk/ponsel/{signed}"))["config"]["staff"][0]["ref"]
    assert statuses(send(client, signed, rating_item(at(1), staff_ref=ref))) == [("accepted", None)]
    assert db.session.scalar(db.select(Rating.staff_id)) == rostered.id
    refused = send(client, signed, rating_item(at(1), staff_ref="0" * 16))
    assert statuses(refused) == [("rejected", "staff_ref is not staff here")]
    assert ratings_stored() == 1


def test_a_phone_item_that_is_no_object_is_rejected_not_a_500(client, signed):
    assert send(client, signed, None).status_code < 500


# ---------------------------------------------------------------- the link


def test_the_link_is_stable_and_opens_the_counters_flow(client, counter, signed):
    assert phone.sign_counter(counter.id) == signed
    response = client.get(f"/kiosk/ponsel/{signed}")
    assert response.status_code == 200
    settings = embedded(response)
    assert settings["submit_url"] == f"/kiosk/api/ponsel/{signed}/ratings"
    assert settings["rated"] is False
    assert settings["config"]["counter"]["code"] == "DUK-01"
    assert settings["config"]["cooldown_seconds"] == 0
    assert len(settings["config"]["elements"]) == 9
    # Data, not script: the strict CSP stays as it is and the page has no inline script.
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert re.findall(r"<script[^>]*>", response.text) == [
        '<script src="/static/js/kiosk.js" defer>']


def test_the_embedded_settings_survive_quotes_and_markup(client, org):
    counter = make_counter(org.dinas, name="Loket 'Cepat' \"A\" <b>&</b>")
    page = client.get(f"/kiosk/ponsel/{phone.sign_counter(counter.id)}")
    assert embedded(page)["config"]["counter"]["name"] == counter.name
    assert "<b>" not in page.text


@pytest.mark.parametrize("tamper", [
    lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),  # the signature changed
    lambda s: "Mg" + s[s.index("."):],                   # another counter id, same signature
    lambda s: "nonsense",
])
def test_a_tampered_link_is_a_friendly_404(client, signed, tamper):
    page = client.get(f"/kiosk/ponsel/{tamper(signed)}")
    assert page.status_code == 404
    assert REFUSED in page.text and "<form" not in page.text
    api = send(client, tamper(signed), rating_item(at(1)))
    assert api.status_code == 404
    assert api.mimetype == "application/problem+json"
    assert ratings_stored() == 0


def test_a_link_signed_with_another_key_or_for_a_closed_counter_is_refused(app, client, counter,
                                                                            signed):
    counter.active = False
    db.session.commit()
    assert client.get(f"/kiosk/ponsel/{signed}").status_code == 404
    counter.active = True
    db.session.commit()
    app.config["SECRET_KEY"] = "another key entirely"  # a rotated key retires every poster
    assert client.get(f"/kiosk/ponsel/{signed}").status_code == 404


# ---------------------------------------------------------------- storing, once


def test_a_phone_rating_is_stored_once_with_replays(client, counter, signed):
    item = rating_item(at(1), 3, respondent={"sex": "P"})
    assert statuses(send(client, signed, item)) == [("accepted", None)]
    # Lost answers make the phone send again, with or without the cookie it was given.
    assert statuses(send(client, signed, item)) == [("duplicate", None)]
    assert statuses(send(client.application.test_client(), signed, item)) == [("duplicate", None)]
    assert ratings_stored() == 1
    rating = db.session.scalar(db.select(Rating))
    assert (rating.score, rating.sex, rating.counter_id) == (3, "P", counter.id)
    assert db.session.get(DailyRollup, (counter.id, rating.local_day)).ratings == 1
    channel = db.session.get(Kiosk, rating.kiosk_id)
    assert (channel.kind, channel.token_hash, channel.last_seen_at) == (KioskKind.PHONE, None, NOW)


def test_the_counter_has_one_phone_kiosk_that_never_pairs(client, counter, signed):
    for n in range(3):
        send(client.application.test_client(), signed, rating_item(at(n)))
    channels = db.session.scalars(db.select(Kiosk).where(Kiosk.kind == KioskKind.PHONE)).all()
    assert len(channels) == 1 and not channels[0].is_active
    assert kiosks.authenticate(db.session.connection(), None) is None
    assert client.post("/kiosk/api/pair", json={"code": "00000000"}).status_code == 400


def test_a_phone_comment_becomes_a_complaint(client, counter, signed):
    send(client, signed, rating_item(at(1), 1, comment="Antrian lama", contact="0812 1111 2222"))
    complaint = db.session.scalar(db.select(Complaint))
    assert (complaint.text, complaint.unit_id, complaint.contact_consent) == (
        "Antrian lama", counter.unit_id, True)


def test_only_one_item_per_request(client, signed):
    response = client.post(f"/kiosk/api/ponsel/{signed}/ratings",
                           json={"ratings": [rating_item(at(1)), rating_item(at(2))]})
    assert response.status_code == 400
    assert ratings_stored() == 0


# ---------------------------------------------------------------- one per browser per hour


def test_one_rating_per_browser_per_counter_per_hour(app, client, counter, signed, frozen_clock):
    first = send(client, signed, rating_item(at(0)))
    assert statuses(first) == [("accepted", None)]
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith(f"{phone.cookie_name(counter.id)}=")
    assert all(part in cookie for part in ("HttpOnly", "SameSite=Lax", "Max-Age=3600",
                                           "Path=/kiosk/"))
    assert "session" not in cookie

    frozen_clock.shift(timedelta(minutes=10))
    again = send(client, signed, rating_item(NOW + timedelta(minutes=10)))
    assert statuses(again) == [("rejected", "already_rated")]
    assert "Set-Cookie" not in again.headers  # the hour is not restarted by trying
    assert embedded(client.get(f"/kiosk/ponsel/{signed}"))["rated"] is True

    other_browser = app.test_client()
    assert embedded(other_browser.get(f"/kiosk/ponsel/{signed}"))["rated"] is False
    assert statuses(send(other_browser, signed, rating_item(NOW + timedelta(minutes=10)))) == [
        ("accepted", None)]
    other_counter = make_counter(counter.unit, code="DUK-02")
    assert statuses(send(client, phone.sign_counter(other_counter.id),
                         rating_item(NOW + timedelta(minutes=10)))) == [("accepted", None)]

    stale = client.get_cookie(phone.cookie_name(counter.id), path="/kiosk/").value
    frozen_clock.shift(timedelta(minutes=51))  # 61 minutes after the first rating
    # The server's own check, even for a browser that still sends the old cookie.
    later = app.test_client()
    later.set_cookie(phone.cookie_name(counter.id), stale, path="/kiosk/")
    assert statuses(send(later, signed, rating_item(NOW + timedelta(minutes=61)))) == [
        ("accepted", None)]
    assert ratings_stored() == 4


def test_a_forged_or_borrowed_cookie_does_not_count(app, counter, signed):
    other = make_counter(counter.unit, code="DUK-02")
    for value in ("forged", phone.rated_cookie(other.id)):
        browser = app.test_client()
        browser.set_cookie(phone.cookie_name(counter.id), value, path="/kiosk/")
        assert statuses(send(browser, signed, rating_item(at(1)))) == [("accepted", None)]
    assert not phone.has_rated(counter.id, phone.rated_cookie(other.id))


# ---------------------------------------------------------------- many phones, one counter


def browser(app, signed, address: str = "127.0.0.1"):
    """A citizen's phone browser that opened the counter's page (and got its device id)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    client.get(f"/kiosk/ponsel/{signed}")
    return client


def test_phones_within_seconds_are_all_accepted_without_cooldown_or_burst(app, counter, signed):
    # Ten citizens in one minute: more than a tablet's burst limit, each a second apart, each on
    # their own mobile network.
    results = [send(browser(app, signed, f"10.0.0.{n}"), signed,
                    rating_item(NOW - timedelta(seconds=n), n % 4 + 1)) for n in range(10)]
    assert [statuses(r) for r in results] == [[("accepted", None)]] * 10
    assert db.session.scalar(db.select(db.func.count(Rating.id)).where(Rating.flag.is_not(None))) == 0


def test_the_page_gives_the_browser_a_signed_device_id_once(app, signed):
    client = app.test_client()
    cookie = client.get(f"/kiosk/ponsel/{signed}").headers["Set-Cookie"]
    assert cookie.startswith(f"{phone.DEVICE_COOKIE}=")
    assert all(part in cookie for part in ("HttpOnly", "SameSite=Lax", "Path=/kiosk/"))
    device = client.get_cookie(phone.DEVICE_COOKIE, path="/kiosk/").value
    assert phone.device_of(device) is not None
    assert "Set-Cookie" not in client.get(f"/kiosk/ponsel/{signed}").headers
    assert phone.device_of("forged." + device.rpartition(".")[2]) is None


def test_deleting_the_rated_cookie_does_not_rate_again(app, counter, signed):
    """The once-an-hour rule was only the cookie: the server now remembers the device."""
    client = browser(app, signed)
    assert statuses(send(client, signed, rating_item(at(2)))) == [("accepted", None)]
    client.delete_cookie(phone.cookie_name(counter.id), path="/kiosk/")
    assert statuses(send(client, signed, rating_item(at(1)))) == [("rejected", "already_rated")]
    assert embedded(client.get(f"/kiosk/ponsel/{signed}"))["rated"] is True
    assert ratings_stored() == 1


def test_a_rating_without_the_pages_device_id_is_stored_and_flagged(app, signed):
    """A script posting straight to the endpoint never opened the page."""
    for cookie in (None, "forged-device.signature"):
        client = app.test_client()
        if cookie:
            client.set_cookie(phone.DEVICE_COOKIE, cookie, path="/kiosk/")
        result = send(client, signed, rating_item(at(1))).json["results"][0]
        assert (result["status"], result["flag"]) == ("accepted", "unknown_device")


def test_many_ratings_from_one_address_at_one_counter_are_flagged(app, counter, signed):
    """Fresh device ids are a page load away: past five an hour from one address at one counter,
    ratings are flagged for review (not refused: citizens share an office's network)."""
    flags = [send(browser(app, signed, "203.0.113.9"), signed, rating_item(at(n / 10)))
             .json["results"][0].get("flag") for n in range(7)]
    assert flags == [None] * 5 + ["shared_address"] * 2
    assert "flag" not in send(browser(app, signed, "198.51.100.7"), signed,
                              rating_item(at(0.8))).json["results"][0]
    other = phone.sign_counter(make_counter(counter.unit, code="DUK-02").id)
    assert "flag" not in send(browser(app, other, "203.0.113.9"), other,
                              rating_item(at(0.9))).json["results"][0]


def test_a_tablet_at_the_same_counter_keeps_its_cooldown(client, counter, signed):
    send(client, signed, rating_item(at(1)))  # the phone channel does not count for the tablet
    _, token = make_kiosk(counter)
    response = client.post("/kiosk/api/ratings", headers={"Authorization": f"Bearer {token}"},
                           json={"ratings": [rating_item(at(1)), rating_item(at(1) + timedelta(seconds=1))]})
    assert [r.get("reason") for r in response.json["results"]] == [None, "cooldown"]


def test_out_of_hours_is_still_flagged(client, signed):
    night = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # 23:00 WITA
    assert send(client, signed, rating_item(night)).json["results"][0]["flag"] == "out_of_hours"


def test_the_phone_endpoint_is_rate_limited_per_address(app, signed):
    app.config["KIOSK_PHONE_LIMIT_PER_IP"] = "2 per hour"
    codes = [send(app.test_client(), signed, rating_item(at(n))).status_code for n in range(3)]
    assert codes == [200, 200, 429]


# ---------------------------------------------------------------- cross-site posting


@pytest.mark.parametrize(("headers", "status"), [
    ({"Origin": "http://localhost"}, 200),
    ({"Referer": "http://localhost/kiosk/ponsel/x"}, 200),
    ({}, 200),  # no page named: not a browser page; the limits apply
    ({"Origin": "https://evil.example"}, 403),
    ({"Origin": "null"}, 403),
    ({"Referer": "https://evil.example/rate-them-all"}, 403),
    ({"Origin": "https://evil.example", "Referer": "http://localhost/kiosk/"}, 403),
])
def test_cross_site_posts_are_refused(client, signed, headers, status):
    assert send(client, signed, rating_item(at(1)), **headers).status_code == status


def test_only_json_is_accepted(client, signed):
    # A foreign page's form can post text/plain without a preflight; JSON needs CORS we never grant.
    body = json.dumps({"ratings": [rating_item(at(1))]})
    response = client.post(f"/kiosk/api/ponsel/{signed}/ratings", data=body,
                           content_type="text/plain")
    assert response.status_code == 415
    assert ratings_stored() == 0


def test_the_public_address_is_allowed_too(app, client, signed):
    app.config["KIOSK_PHONE_BASE_URL"] = "https://skm.contoh.go.id"
    assert send(client, signed, rating_item(at(1)), Origin="https://skm.contoh.go.id").status_code == 200


def test_the_endpoint_needs_no_csrf_token(database_uri, tmp_path, counter):
    strict = create_app({**base_config(tmp_path, database_uri), "WTF_CSRF_ENABLED": True})
    with strict.test_request_context():
        signed = phone.sign_counter(counter.id)
    assert send(strict.test_client(), signed, rating_item(at(1))).status_code == 200


# ---------------------------------------------------------------- the portal


def test_the_kiosk_list_shows_the_phone_channel(client, login_as, counter, signed):
    make_kiosk(counter, "Tablet loket 1")
    send(client, signed, rating_item(at(1)))
    page = login_as("hr").get("/perangkat-kiosk")
    assert page.status_code == 200
    row = re.search(r"<tr>\s*<td><strong>Ponsel \(QR\)</strong>.*?</tr>", page.text, re.S).group(0)
    assert "Loket 1 KTP-el" in row and "WITA" in row  # its last contact, in the unit's zone
    assert "/kode" not in row and "/cabut" not in row  # nothing to pair or revoke
    assert f"/loket/{counter.id}/poster.pdf" in row
    assert page.text.count("Kode pasang baru") == 1  # the tablet's


def test_the_phone_kiosk_cannot_be_paired_or_revoked(login_as, counter, signed, client):
    send(client, signed, rating_item(at(1)))
    channel = db.session.scalar(db.select(Kiosk).where(Kiosk.kind == KioskKind.PHONE))
    hr = login_as("hr")
    assert hr.post(f"/perangkat-kiosk/{channel.id}/kode").status_code == 404
    assert hr.post(f"/perangkat-kiosk/{channel.id}/cabut").status_code == 404
    db.session.refresh(channel)
    assert channel.revoked_at is None and channel.pairing_code_hash is None


def test_the_counter_list_links_the_poster(login_as, counter):
    page = login_as("admin").get("/loket")
    assert f'href="/loket/{counter.id}/poster.pdf"' in page.text


def printed_qr(pdf: bytes, modules: int) -> list[list[bool]]:
    """The QR code as printed: the PDF's page rendered, its pure-black pixels (nothing else on
    the poster is that dark) read at the centre of each module of a grid `modules` wide."""
    import pypdfium2
    from PIL import ImageChops

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=2).to_pil().convert("RGB")
    finally:
        document.close()
    red, green, blue = (band.point(lambda v: 255 if v < 40 else 0) for band in image.split())
    black = ImageChops.darker(ImageChops.darker(red, green), blue)
    left, top, right, _ = black.getbbox()
    size = (right - left) / modules
    return [[black.getpixel((int(left + (c + .5) * size), int(top + (r + .5) * size))) > 0
             for c in range(modules)] for r in range(modules)]


def pdf_text(pdf: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].get_textpage().get_text_range()
    finally:
        document.close()


def test_the_poster_is_a_pdf_of_the_phone_links_qr_code(app, login_as, counter, signed,
                                                        monkeypatch):
    made = []
    real_make = segno.make
    monkeypatch.setattr(segno, "make", lambda content, **kw: made.append(content) or real_make(content, **kw))
    response = login_as("head").get(f"/loket/{counter.id}/poster.pdf")  # heads the counter's dinas
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert 'filename="poster-qr-duk-01.pdf"' in response.headers["Content-Disposition"]
    url = f"http://localhost/kiosk/ponsel/{signed}"
    assert made == [url]

    text = " ".join(pdf_text(response.data).split())  # where lines wrap depends on the fonts
    for words in ("Loket 1 KTP-el", "Pindai untuk menilai pelayanan kami", url, "Sangat baik"):
        assert words in text

    # The printed code is that URL's, every module in place (the quiet zone is white).
    expected = [[bool(v) for v in row] for row in real_make(url, error="m", micro=False).matrix]
    assert printed_qr(response.data, len(expected)) == expected


def test_the_poster_prints_the_public_address_when_configured(app, login_as, counter, signed,
                                                              monkeypatch):
    app.config["KIOSK_PHONE_BASE_URL"] = "https://skm.contoh.go.id/"
    made = []
    real_make = segno.make
    monkeypatch.setattr(segno, "make", lambda content, **kw: made.append(content) or real_make(content, **kw))
    assert login_as("hr").get(f"/loket/{counter.id}/poster.pdf").status_code == 200
    assert made == [f"https://skm.contoh.go.id/kiosk/ponsel/{signed}"]


def test_staff_outside_the_counters_chain_get_no_poster(login_as, counter):
    # Budi heads a section inside the counter's dinas, not the dinas itself.
    assert login_as("supervisor").get(f"/loket/{counter.id}/poster.pdf").status_code == 403
    assert login_as("employee").get(f"/loket/{counter.id}/poster.pdf").status_code == 403
    assert login_as("outsider").get(f"/loket/{counter.id}/poster.pdf").status_code == 403

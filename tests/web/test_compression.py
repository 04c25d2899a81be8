"""Responses are compressed for browsers that ask (Flask-Compress, through web.compression): the
kiosk, the public pages and Flask's static files, with validators that still answer 304; small
JSON such as a kiosk's submit answer goes out as it is; portal pages never."""
import gzip
from datetime import UTC, datetime, timedelta

from kinerja.feedback import kiosks
from tests.builders import make_counter, rating_item

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def test_the_kiosk_script_is_compressed_and_revalidates_to_a_304(client):
    answer = client.get("/static/js/kiosk.js", headers=BROWSER)
    assert answer.status_code == 200
    assert answer.headers["Content-Encoding"] in {"zstd", "br", "deflate"}
    assert "Accept-Encoding" in answer.headers["Vary"]
    # The service worker revalidates with the ETag it got: the compressed one must match.
    again = client.get("/static/js/kiosk.js",
                       headers={**BROWSER, "If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304


def test_the_kiosk_page_is_gzipped_for_a_client_that_only_accepts_gzip(client):
    answer = client.get("/kiosk/", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["Content-Encoding"] == "gzip"
    assert b"screen-idle" in gzip.decompress(answer.get_data())


def test_nothing_is_compressed_for_a_client_that_does_not_ask(client):
    answer = client.get("/static/js/kiosk.js")
    assert "Content-Encoding" not in answer.headers


def test_a_one_rating_submit_answer_is_not_compressed(client, org):
    counter = make_counter(org.dinas, code="DUK-01", name="Loket 1 KTP-el")
    _, token = kiosks.create_with_token(counter, "Tablet uji")
    item = rating_item(datetime.now(UTC) - timedelta(minutes=1))
    answer = client.post("/kiosk/api/ratings", json={"ratings": [item]},
                         headers={**BROWSER, "Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert answer.get_json()["results"][0]["status"] == "accepted"
    assert "Content-Encoding" not in answer.headers  # under COMPRESS_MIN_SIZE (500 bytes)


def test_public_pages_are_compressed(client):
    answer = client.get("/publik/", headers=BROWSER)
    assert answer.status_code == 200
    assert answer.headers["Content-Encoding"] in {"zstd", "br", "deflate", "gzip"}


def test_portal_pages_are_never_compressed(client):
    """They carry the CSRF token beside text the user typed: compressed, that is what a
    BREACH attack reads the token from."""
    answer = client.get("/masuk?next=/cari", headers=BROWSER)
    assert answer.status_code == 200
    assert b"csrf_token" in answer.get_data()
    assert "Content-Encoding" not in answer.headers


def test_the_kiosk_shell_revalidates_to_a_304_compressed_or_not(client):
    for headers in ({}, BROWSER):
        answer = client.get("/kiosk/", headers=headers)
        assert answer.headers["Cache-Control"] == "no-cache"
        again = client.get("/kiosk/", headers={**headers, "If-None-Match": answer.headers["ETag"]})
        assert again.status_code == 304


def test_a_large_kiosk_api_answer_is_not_compressed_either(client, org):
    """The JSON APIs go out as they are: small answers, and the busiest request there is."""
    counter = make_counter(org.dinas, code="DUK-01", name="Loket 1 KTP-el")
    _, token = kiosks.create_with_token(counter, "Tablet uji")
    items = [rating_item(datetime.now(UTC) - timedelta(minutes=30 - n)) for n in range(20)]
    answer = client.post("/kiosk/api/ratings", json={"ratings": items},
                         headers={**BROWSER, "Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and len(answer.get_data()) > 500
    assert "Content-Encoding" not in answer.headers

"""Compression (Flask-Compress) for what is public and sent to many: the static files, the
kiosk's pages and the public pages. The kiosk's first load on a cheap tablet goes from ~84 kB
to ~32 kB on the wire (bench/kiosk_load.py).

Portal pages are left uncompressed on purpose: they carry the session's CSRF token next to
text a user typed (a search, a form sent back with errors), which is what a BREACH attack
needs to read the token byte by byte from compressed sizes over HTTPS. The JSON APIs are left
as they are too: their answers are small (a kiosk's submit answer is ~100 bytes) and the
submit is the busiest request there is.
"""
from flask import Flask, request

from kinerja.extensions import compress

COMPRESSED_BLUEPRINTS = {"public"}
COMPRESSED_ENDPOINTS = {"static", "kiosk.app", "kiosk.service_worker", "kiosk.manifest",
                        "kiosk.phone_page"}


def install(app: Flask) -> None:
    @app.after_request
    def compress_public_responses(response):
        if request.endpoint in COMPRESSED_ENDPOINTS or request.blueprint in COMPRESSED_BLUEPRINTS:
            return compress.after_request(response)
        return response

"""Compression (Flask-Compress) for what is public and sent to many: the static files, the
kiosk and the public pages. The kiosk's first load on a cheap tablet goes from ~84 kB to ~35 kB
on the wire (bench/kiosk_load.py).

Portal pages are left uncompressed on purpose: they carry the session's CSRF token next to
text a user typed (a search, a form sent back with errors), which is what a BREACH attack
needs to read the token byte by byte from compressed sizes over HTTPS. Small answers (under
COMPRESS_MIN_SIZE, 500 bytes: a kiosk's one-rating submit) go out as they are.
"""
from flask import Flask, request

from kinerja.extensions import compress

COMPRESSED_BLUEPRINTS = {"kiosk", "public"}


def install(app: Flask) -> None:
    @app.after_request
    def compress_public_responses(response):
        if request.endpoint == "static" or request.blueprint in COMPRESSED_BLUEPRINTS:
            return compress.after_request(response)
        return response

"""Security headers on every response: a strict CSP (no inline script), framing, sniffing."""
from urllib.parse import unquote_to_bytes

from flask import Flask, abort, request
from flask_babel import gettext as _

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def _form_is_valid_utf8() -> bool:
    """Werkzeug turns invalid UTF-8 in a url-encoded form into literal "%FF" text (or, for raw
    bytes, drops the whole form): refuse such a body instead of letting it reach a field."""
    try:
        unquote_to_bytes(request.get_data(cache=True).replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def install(app: Flask) -> None:
    @app.before_request
    def refuse_malformed_forms():
        if request.mimetype == "application/x-www-form-urlencoded" and not _form_is_valid_utf8():
            abort(400, description=_("Data formulir bukan teks UTF-8 yang sah."))

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint and not request.endpoint.endswith("static"):
            # Pages carry personal data: never keep them in shared caches.
            headers.setdefault("Cache-Control", "no-store")
        return response

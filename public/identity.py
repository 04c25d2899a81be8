"""The kabupaten's identity on every face: its logo and accent stylesheet (public URLs, as public
pages and the kiosk show them) and `kabupaten()` for every template (header, public pages,
kiosk). Admins change it in the portal (portal/identity.py)."""
import hashlib

from flask import abort, current_app, request

from kinerja.organisation import identity
from public import bp
from web import theme

YEAR = 365 * 24 * 3600


def _cached(response, version_asked: str | None):
    """A year (immutable) under the current version's URL, which changes with every change;
    revalidated every time under any other (an old page, a bare URL)."""
    if version_asked == str(identity.current().version):
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    return response.make_conditional(request)


@bp.get("/identitas/logo.png")
def identity_logo():
    png = identity.logo_png()
    if png is None:
        abort(404)
    response = current_app.response_class(png, mimetype="image/png")
    response.headers["Content-Security-Policy"] = "sandbox"
    return _cached(response, request.args.get("v"))


@bp.get("/identitas/aksen.css")
def identity_stylesheet():
    css = theme.accent_stylesheet(identity.current().accent)
    response = current_app.response_class(css, mimetype="text/css")
    return _cached(response, request.args.get("v"))


@bp.app_context_processor
def identity_context():
    # A function: a page that shows no identity (an error page, a PDF) reads nothing.
    return {"kabupaten": identity.current}

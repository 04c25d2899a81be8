"""The kiosk's JSON API: pairing, configuration and the ratings submit endpoint.

Authenticated by the device token (Authorization: Bearer ...), not by a session, so these
endpoints are exempt from CSRF: a browser cannot be tricked into sending that header.
"""
from flask import abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from limits import parse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import TooManyRequests

from kinerja.extensions import csrf, db, limiter
from kinerja.feedback import kiosks, ratings
from kinerja.feedback.models import Kiosk
from kinerja.recognition import awards
from kiosk import bp
from web import errors, observability
from web.errors import render_error


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _count_against(limit: str, *key: str) -> None:
    """One hit of this request on `limit` for `key`, in the limiter's store (Redis in
    production, with its key prefix), and a 429 once the limit is used up. Flask-Limiter's
    decorators would do the same at several times the CPU: this is the busiest endpoint."""
    if not limiter.enabled:
        return
    item = parse(limit)
    if not limiter.limiter.hit(item, current_app.config["RATELIMIT_KEY_PREFIX"], "kiosk", *key):
        raise TooManyRequests(retry_after=item.get_expiry())


def _authenticated_kiosk(connection, latest: int = 0) -> kiosks.Sender:
    """The kiosk of the request's device token (with its `latest` ratings), counted against its
    own limit; a request without a valid token counts against its address's limit (someone
    trying tokens) and is a 401. A tablet's requests never count against its office's address."""
    sender = kiosks.authenticate(connection, _bearer_token(), latest=latest)
    if sender is None:
        _count_against(current_app.config["KIOSK_LIMIT_PER_IP"], "address", get_remote_address())
        response = render_error(401, _("Token perangkat tidak ada, salah, atau sudah dicabut."))
        response.headers["WWW-Authenticate"] = 'Bearer realm="kiosk"'
        abort(response)
    _count_against(current_app.config["KIOSK_LIMIT_PER_TOKEN"], "device", str(sender.id))
    return sender


@limiter.request_filter
def _counted_per_device() -> bool:
    """The device endpoints count against the device's own limit (_authenticated_kiosk): spare
    them Flask-Limiter's per-request resolution of route limits they do not have."""
    return request.endpoint in ("kiosk.api_config", "kiosk.api_ratings")


def json_body() -> dict:
    """The request's JSON object, after the size check (413) and the shape check (400)."""
    limit = current_app.config["KIOSK_MAX_BODY_BYTES"]
    if (request.content_length or 0) > limit:
        abort(413)
    data = request.get_data(cache=True)
    if len(data) > limit:
        abort(413)
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser's stack ("[[[[..."): not a batch
        body = None
    if not isinstance(body, dict):
        abort(400, description=_("Badan permintaan harus objek JSON."))
    return body


@bp.post("/api/pair")
@csrf.exempt
@limiter.limit(lambda: current_app.config["KIOSK_PAIR_LIMIT_PER_IP"])
def api_pair():
    body = json_body()
    paired = kiosks.pair(str(body.get("code", ""))[:20])
    if paired is None:
        return render_error(400, _("Kode pemasangan salah atau kedaluwarsa. Minta kode baru "
                                   "kepada admin."))
    kiosk, token = paired
    return jsonify({"token": token, "kiosk": _describe(kiosk)})


def _describe(kiosk) -> dict:
    counter = kiosk.counter
    return {"id": kiosk.id, "name": kiosk.name,
            "counter": {"code": counter.code, "name": counter.name},
            "unit": {"code": counter.unit.code, "name": counter.unit.name,
                     "time_zone": counter.unit.time_zone.iana}}


@bp.get("/api/config")
def api_config():
    kiosk = db.session.get(Kiosk, _authenticated_kiosk(db.session.connection()).id)
    return jsonify(ratings.kiosk_config(kiosk, awards.kiosk_recognition(kiosk.counter.unit)))


@bp.post("/api/ratings")
@csrf.exempt
def api_ratings():
    with kiosks.device_connection() as connection:
        kiosk = _authenticated_kiosk(connection, latest=ratings.latest_depth())
        body = json_body()
        items = body.get("ratings")
        if not isinstance(items, list) or not items:
            abort(400, description=_('"ratings" harus daftar yang tidak kosong.'))
        if len(items) > current_app.config["KIOSK_MAX_BATCH"]:
            abort(413)
        queued = body.get("queued")
        version = body.get("version")
        results = ratings.accept_batch(
            connection, kiosk, items, version=version if isinstance(version, str) else None,
            # A count the tablet reports; anything outside a plain 32-bit count is ignored.
            queued=queued if isinstance(queued, int) and not isinstance(queued, bool)
            and 0 <= queued < 2**31 else None)
    observability.count_kiosk_results("tablet", results)
    return jsonify({"results": results})


@bp.errorhandler(OperationalError)
@bp.errorhandler(PoolTimeout)
def database_unavailable(error):
    """The app's 503 for an absent database, telling the tablet that the rating stays queued on
    it: it sends it again with the same client_id (one committed before the failure is then
    answered `duplicate`)."""
    return errors.database_unavailable(error, _("Layanan sedang tidak tersedia sebentar. "
                                                "Penilaian tetap tersimpan di perangkat dan "
                                                "dikirim ulang otomatis."))

"""One error renderer: a friendly page for people, problem-details JSON under API paths."""
from flask import Flask, current_app, jsonify, make_response, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from kinerja.extensions import db

JSON_PREFIXES = ("/api/", "/kiosk/api/")

TITLES = {
    400: _l("Permintaan tidak dapat diproses"),
    401: _l("Perlu masuk"),
    403: _l("Akses ditolak"),
    404: _l("Halaman tidak ditemukan"),
    405: _l("Metode tidak diizinkan"),
    413: _l("Berkas terlalu besar"),
    422: _l("Data tidak valid"),
    429: _l("Terlalu banyak permintaan"),
    500: _l("Terjadi kesalahan pada server"),
    503: _l("Layanan sedang tidak tersedia"),
}

EXPLANATIONS = {
    400: _l("Data yang dikirim tidak lengkap atau tidak sesuai. Periksa isian Anda lalu coba lagi."),
    401: _l("Silakan masuk terlebih dahulu."),
    403: _l("Anda tidak memiliki hak untuk membuka halaman ini."),
    404: _l("Alamat yang Anda buka tidak ada atau sudah dipindahkan."),
    405: _l("Halaman ini tidak menerima cara pengiriman tersebut."),
    413: _l("Berkas yang dikirim melebihi batas ukuran. Perkecil berkas lalu coba lagi."),
    422: _l("Data yang dikirim tidak valid."),
    429: _l("Anda mengirim terlalu banyak permintaan dalam waktu singkat. "
            "Tunggu sebentar lalu coba lagi."),
    500: _l("Maaf, terjadi kesalahan. Tim teknis sudah dicatat; silakan coba lagi nanti."),
    503: _l("Basis data sedang tidak dapat dihubungi. Tidak ada yang tersimpan dari permintaan "
            "ini; coba lagi sebentar lagi."),
}


def wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES) or (
        request.accept_mimetypes.best == "application/json"
    )


def render_error(status: int, detail: str | None = None):
    title = TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])
    explanation = detail or EXPLANATIONS.get(status, "")
    if wants_json():
        body = {"type": "about:blank", "title": str(title), "status": status,
                "detail": str(explanation)}
        response = jsonify(body)
        response.status_code = status
        response.mimetype = "application/problem+json"
        return response
    return render_template("errors/error.html", status=status, title=title,
                           explanation=explanation), status


def install(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return render_error(400, str(_l("Formulir kedaluwarsa atau tidak sah. "
                                        "Muat ulang halaman lalu kirim lagi.")))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        detail = None
        if status == 429:
            detail = str(_l("Terlalu banyak percobaan. Coba lagi setelah %(limit)s.",
                            limit=_retry_hint(error)))
        elif status in (400, 403, 422) and error.description and not _is_default(error):
            detail = error.description
        response = make_response(render_error(status, detail))
        if status == 429 and _window_seconds(error):
            # The limit's whole window: an upper bound, known without asking the limiter's store.
            response.headers["Retry-After"] = str(_window_seconds(error))
        if status == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def out_of_range(error):
        # A number or a date from a URL or a form beyond what date arithmetic or the database's
        # columns hold (an id of 10^30, OFFSET past bigint): the request's fault, not ours.
        db.session.rollback()
        return render_error(400, str(_l("Angka atau tanggal di luar jangkauan yang dapat diproses.")))

    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(PoolTimeout, database_unavailable)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(500)


def database_unavailable(error, detail: str | None = None):
    """The database is away (restarting, unreachable, the pool exhausted): a quick 503 with a
    log line, not a 500 with a traceback per request. The request's transaction went with its
    connection, so nothing of it was stored."""
    current_app.logger.warning("database unavailable on %s %s: %s", request.method, request.path,
                               str(getattr(error, "orig", None) or error).splitlines()[0])
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass
    if wants_json():
        response = make_response(render_error(503, detail))
    else:
        # Rendered without the context processors (they load the user from the database) and
        # without the layout (its navigation reads the database too).
        page = current_app.jinja_env.get_template("errors/unavailable.html").render(
            status=503, title=TITLES[503], explanation=detail or EXPLANATIONS[503],
            retry_url=request.full_path if request.method == "GET" else url_for("portal.dashboard"))
        response = make_response(page, 503)
    response.headers["Retry-After"] = "5"
    return response


def _is_default(error: HTTPException) -> bool:
    return error.description == type(error).description


def _window_seconds(error) -> int | None:
    """The window of the limit a 429 was for, in seconds: Flask-Limiter's RateLimitExceeded
    names its limit, a TooManyRequests raised by the app (kiosk/api.py) carries retry_after."""
    limit = getattr(error, "limit", None)
    if limit is not None and getattr(limit, "limit", None) is not None:
        return limit.limit.get_expiry()
    retry_after = getattr(error, "retry_after", None)
    return retry_after if isinstance(retry_after, int) else None


def _retry_hint(error) -> str:
    seconds = _window_seconds(error)
    if seconds is not None:
        if seconds <= 60:
            return str(_l("1 menit"))
        return str(_l("%(n)s menit", n=seconds // 60))
    return str(_l("beberapa saat"))

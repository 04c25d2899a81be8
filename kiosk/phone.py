"""The phone channel: a counter's QR poster opens the kiosk's rating flow on a citizen's own
phone (kiosk.js in phone mode), which posts each rating to the counter's JSON endpoint.

No login and no device token: the link itself (signed with SECRET_KEY) names the counter; the
page gives the browser a signed device identifier, and a signed cookie per counter with the
server's own record lets each browser rate that counter once an hour (kinerja.feedback.phone).
"""
import time
from urllib.parse import urlsplit

from flask import abort, current_app, jsonify, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from kinerja.extensions import csrf, limiter
from kinerja.feedback import phone, questionnaire, ratings
from kinerja.recognition import awards
from kiosk import bp
from kiosk.api import json_body
from kiosk.screens import FACES, RESPONDENT_LABELS, RESPONDENT_QUESTIONS
from web import observability


def _counter_or_404(signed: str):
    counter = phone.counter_for(signed)
    if counter is None:
        abort(404)
    return counter


@bp.get("/ponsel/<signed>")
def phone_page(signed: str):
    counter = phone.counter_for(signed)
    if counter is None:  # a citizen holding a phone, not an API client: a page of their own
        return render_template("kiosk/phone_missing.html"), 404
    config = current_app.config
    device_cookie = request.cookies.get(phone.DEVICE_COOKIE)
    device = phone.device_of(device_cookie)
    rated = (phone.has_rated(counter.id, request.cookies.get(phone.cookie_name(counter.id)))
             or phone.device_has_rated(counter.id, device))
    settings = {
        "submit_url": url_for("kiosk.phone_ratings", signed=signed),
        "rated": rated,
        "now": int(time.time() * 1000),
        "config": phone.page_config(counter, awards.kiosk_recognition(counter.unit)),
        "texts": {"rated": _("Terima kasih, Anda sudah memberi penilaian untuk loket ini. "
                             "Silakan lagi setelah 1 jam."),
                  # A phone's top bar is narrow: short status words, so the counter's name shows.
                  "saved": _("Terkirim"), "pending": _("Mengirim…"),
                  "offline": _("Luring · tersimpan"), "offlineEmpty": _("Luring")},
    }
    respondent = [(field, RESPONDENT_QUESTIONS[field],
                   [(code, RESPONDENT_LABELS.get(code, code)) for code in codes])
                  for field, codes in ratings.RESPONDENT_CHOICES.items()]
    response = make_response(render_template(
        "kiosk/phone.html", phone=settings, faces=FACES, respondent=respondent,
        questionnaire=questionnaire.QUESTIONS,
        idle_seconds=config.get("KIOSK_IDLE_SECONDS", 30),
        thanks_seconds=config.get("KIOSK_THANKS_SECONDS", 8),
        max_comment=ratings.MAX_COMMENT, max_contact=ratings.MAX_CONTACT))
    if device is None:
        _set_kiosk_cookie(response, phone.DEVICE_COOKIE, phone.new_device_cookie(),
                          max_age=phone.DEVICE_COOKIE_DAYS * 86400)
    return response


def _set_kiosk_cookie(response, name: str, value: str, max_age: int) -> None:
    # The phone channel's own cookies, not the portal's session: HttpOnly (no script reads them),
    # Lax (not sent on cross-site posts), sent only to /kiosk/ (this page and its endpoint).
    response.set_cookie(name, value, max_age=max_age, path=url_for("kiosk.app"), httponly=True,
                        samesite="Lax",
                        secure=request.is_secure or current_app.config["SESSION_COOKIE_SECURE"])


def _refuse_cross_site_posts() -> None:
    """The endpoint is CSRF-exempt JSON (a phone page holds no session nor form token), but the
    browser's cookie decides whether it may rate again, and a foreign page could otherwise make
    its visitors' browsers post ratings from many addresses (stuffing a counter's IKM past the
    per-address limit). Two browser rules close that: a cross-site request can only send
    application/json after a CORS preflight, which this app never grants; and browsers name the
    page a request comes from in Origin (Referer where an old one does not), which must be this
    app. Requests naming no page at all are not from a browser page and go on to the limits."""
    if request.mimetype != "application/json":
        abort(415)
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if source is None:
        return
    allowed = {request.host}
    base = current_app.config.get("KIOSK_PHONE_BASE_URL")
    if base:
        allowed.add(urlsplit(base).netloc)
    if urlsplit(source).netloc not in allowed:  # "null" and foreign hosts alike
        abort(403)


@bp.post("/api/ponsel/<signed>/ratings")
@csrf.exempt
@limiter.limit(lambda: current_app.config["KIOSK_PHONE_LIMIT_PER_IP"])
def phone_ratings(signed: str):
    _refuse_cross_site_posts()
    counter = _counter_or_404(signed)
    items = json_body().get("ratings")
    if not isinstance(items, list) or len(items) != 1:
        abort(400, description=_('"ratings" harus daftar berisi tepat satu penilaian.'))
    name = phone.cookie_name(counter.id)
    submission = phone.submit(counter, items[0], request.cookies.get(name),
                              device=phone.device_of(request.cookies.get(phone.DEVICE_COOKIE)),
                              address=get_remote_address())
    observability.count_kiosk_results("phone", submission.results)
    response = jsonify({"results": submission.results})
    if submission.set_cookie:
        _set_kiosk_cookie(response, name, phone.rated_cookie(counter.id),
                          max_age=phone.RATE_AGAIN_AFTER_SECONDS)
    return response

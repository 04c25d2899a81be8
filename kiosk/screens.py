"""The kiosk's pages: the offline-first shell a counter tablet runs, its service worker and its
web app manifest. Public (no login): the tablet proves who it is with its device token, which
only the JSON API reads. The shell holds no personal data, so a service worker may cache it."""
import hashlib
import json
from pathlib import Path

from flask import current_app, jsonify, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kinerja.feedback import questionnaire, ratings
from kinerja.organisation import identity
from kiosk import bp

# What the service worker pre-caches besides the shell page: a reload without network must
# still show the rating screen, so everything that page loads is here.
SHELL_ASSETS = ("css/kiosk.css", "js/kiosk.js", "img/kiosk/face-1.svg", "img/kiosk/face-2.svg",
                "img/kiosk/face-3.svg", "img/kiosk/face-4.svg")
SHELL_TEMPLATES = ("kiosk/layout.html", "kiosk/app.html")
SERVICE_WORKER = "kiosk-sw.js"

FACES = ((1, _l("Tidak baik")), (2, _l("Kurang baik")), (3, _l("Baik")), (4, _l("Sangat baik")))

# The respondent codes are the API's (ratings.RESPONDENT_CHOICES); these are what people read.
RESPONDENT_QUESTIONS = {
    "age_group": _l("Berapa usia Anda?"),
    "sex": _l("Apa jenis kelamin Anda?"),
    "education": _l("Apa pendidikan terakhir Anda?"),
    "occupation": _l("Apa pekerjaan utama Anda?"),
}
RESPONDENT_LABELS = {
    "<20": _l("Di bawah 20 tahun"), "20-29": _l("20–29 tahun"), "30-39": _l("30–39 tahun"),
    "40-49": _l("40–49 tahun"), "50-59": _l("50–59 tahun"), "60+": _l("60 tahun ke atas"),
    "L": _l("Laki-laki"), "P": _l("Perempuan"),
    "SD": _l("SD atau di bawahnya"), "SMP": _l("SMP / sederajat"), "SMA": _l("SMA / SMK / sederajat"),
    "D1-D3": _l("Diploma (D1–D3)"), "D4-S1": _l("D4 / S1"), "S2-S3": _l("S2 / S3"),
    "PNS": _l("PNS / ASN"), "TNI-POLRI": _l("TNI / Polri"), "SWASTA": _l("Pegawai swasta"),
    "WIRAUSAHA": _l("Wirausaha"), "PELAJAR": _l("Pelajar / Mahasiswa"), "LAINNYA": _l("Lainnya"),
}


@bp.get("/")
def app():
    config = current_app.config
    respondent = [(field, RESPONDENT_QUESTIONS[field],
                   [(code, RESPONDENT_LABELS.get(code, code)) for code in codes])
                  for field, codes in ratings.RESPONDENT_CHOICES.items()]
    response = make_response(render_template(
        "kiosk/app.html", faces=FACES, respondent=respondent,
        questionnaire=questionnaire.QUESTIONS,
        idle_seconds=config.get("KIOSK_IDLE_SECONDS", 30),
        thanks_seconds=config.get("KIOSK_THANKS_SECONDS", 8),
        max_comment=ratings.MAX_COMMENT, max_contact=ratings.MAX_CONTACT))
    # The shell holds nothing personal: revalidated (a 304 when unchanged) rather than fetched
    # again, e.g. by the service worker right after the first load. A compressed copy's ETag
    # carries its encoding and is answered by web.compression's hook instead.
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


def _identity_urls() -> list[str]:
    """The kabupaten's logo and accent stylesheet, when set: the idle screen shows them, so the
    shell offline needs them too. Their URLs carry the identity's version."""
    kab = identity.current()
    urls = []
    if kab.has_logo:
        urls.append(url_for("public.identity_logo", v=kab.version))
    if kab.accent:
        urls.append(url_for("public.identity_stylesheet", v=kab.version))
    return urls


def _shell_urls() -> list[str]:
    return [url_for("kiosk.app"), url_for("kiosk.manifest"),
            *(url_for("static", filename=name) for name in SHELL_ASSETS), *_identity_urls()]


def _shell_version(worker_source: bytes) -> str:
    """A digest of every file the shell is made of: any change to them changes the service
    worker's bytes, so tablets install the new shell and drop the old cache by themselves. The
    kabupaten's identity is in the page too: its version counts as one of those files."""
    digest = hashlib.sha256(worker_source)
    digest.update(f"identity:{identity.current().version}".encode())
    static, templates = Path(current_app.static_folder), Path(current_app.template_folder)
    for path in [*(static / name for name in SHELL_ASSETS),
                 *(templates / name for name in SHELL_TEMPLATES)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@bp.get("/sw.js")
def service_worker():
    source = (Path(current_app.static_folder) / SERVICE_WORKER).read_bytes()
    body = (source.decode()
            .replace('"__SHELL_VERSION__"', json.dumps(_shell_version(source)))
            .replace('["__SHELL_URLS__"]', json.dumps(_shell_urls())))
    response = current_app.response_class(body, mimetype="text/javascript")
    # Served from /kiosk/, so its scope is /kiosk/ without a Service-Worker-Allowed header.
    # no-cache: the browser revalidates it on every update check, so a new shell is found.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    shell = url_for("kiosk.app")
    response = jsonify({
        "name": _("Kinerja — Survei Kepuasan Masyarakat"),
        "short_name": _("Kinerja Kiosk"),
        "lang": "id",
        "start_url": shell,
        "scope": shell,
        "display": "fullscreen",
        "background_color": "#f3f6fa",
        "theme_color": "#0f3d5e",
        "icons": [{"src": url_for("static", filename="img/kiosk/face-4.svg"),
                   "sizes": "any", "type": "image/svg+xml"}],
    })
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response

"""The phone channel of a counter: the signed link its QR poster prints, the counter's one
"phone" kiosk that stores what citizens send from their own phones, and the once-an-hour
rule per browser, plus what the poster shows.

A browser may rate a counter once an hour. It is known by two signed cookies: the page gives it
a device identifier, and a rating gives it a dated "rated" mark per counter. A cookie can be
deleted, so the server also remembers (in the rate limiter's store) which devices and which
network addresses rated each counter within the hour: a device rates once; a rating from a
device the page never gave an identifier, or from an address that already sent
PHONE_FLAG_PER_COUNTER_ADDRESS ratings to the counter, is stored and flagged for HR's review
(many honest citizens share an office or mobile network's address, so it is not refused).
"""
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

import segno
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, Signer, TimestampSigner, URLSafeSerializer
from limits import parse as parse_limit

from kinerja.core import audit
from kinerja.extensions import db, limiter
from kinerja.feedback import kiosks, ratings
from kinerja.feedback.models import Kiosk, KioskKind, RatingFlag
from kinerja.organisation import access
from kinerja.organisation.models import Employee, ServiceCounter, User

LINK_SALT = "kiosk-phone"
COOKIE_SALT = "kiosk-phone-rated"
COOKIE_PREFIX = "kinerja_ponsel_"
DEVICE_SALT = "kiosk-phone-device"
DEVICE_COOKIE = "kinerja_ponsel_perangkat"
DEVICE_COOKIE_DAYS = 365
# One rating per browser per counter within this many seconds (the cookie's lifetime too).
RATE_AGAIN_AFTER_SECONDS = 3600
PHONE_KIOSK_NAME = "Ponsel (QR)"


# ---------------------------------------------------------------- the signed link


def _link_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def sign_counter(counter_id: int) -> str:
    """The counter's part of its phone link: stable (no timestamp, so a printed poster keeps
    working) and not guessable without SECRET_KEY (rotating the key retires every poster)."""
    return _link_serializer().dumps(counter_id)


def counter_for(signed: str) -> ServiceCounter | None:
    """The active counter a phone link names, or None for a bad, tampered or retired link."""
    try:
        counter_id = _link_serializer().loads(signed)
    except BadSignature:
        return None
    if isinstance(counter_id, bool) or not isinstance(counter_id, int):
        return None
    counter = db.session.get(ServiceCounter, counter_id)
    return counter if counter is not None and counter.active else None


# ---------------------------------------------------------------- the counter's phone kiosk


def phone_kiosk(counter: ServiceCounter) -> Kiosk:
    """The counter's phone kiosk, created the first time the channel is used. It has no device
    token, so it can never be paired nor authenticate as a tablet."""
    kiosk = db.session.scalar(
        db.select(Kiosk).where(Kiosk.counter_id == counter.id, Kiosk.kind == KioskKind.PHONE)
        .order_by(Kiosk.id).limit(1))
    if kiosk is None:
        kiosk = Kiosk(counter=counter, name=PHONE_KIOSK_NAME, kind=KioskKind.PHONE)
        db.session.add(kiosk)
        db.session.flush()
        audit.record("kiosk.phone_channel_opened", subject=kiosk, summary=counter.code)
        db.session.commit()
    return kiosk


# ---------------------------------------------------------------- one rating per browser per hour


def cookie_name(counter_id: int) -> str:
    return f"{COOKIE_PREFIX}{counter_id}"


def _cookie_signer() -> TimestampSigner:
    return TimestampSigner(current_app.config["SECRET_KEY"], salt=COOKIE_SALT)


def rated_cookie(counter_id: int) -> str:
    """The value the browser keeps after rating the counter: the counter id, signed and dated."""
    return _cookie_signer().sign(str(counter_id)).decode()


def has_rated(counter_id: int, cookie: str | None) -> bool:
    """Did this browser rate the counter within the hour (by the cookie it sent)?"""
    if not cookie:
        return False
    try:
        value = _cookie_signer().unsign(cookie, max_age=RATE_AGAIN_AFTER_SECONDS)
    except (SignatureExpired, BadSignature):
        return False
    return value.decode() == str(counter_id)


def new_device_cookie() -> str:
    """A browser's device identifier, signed so that only the page can have handed it out."""
    return Signer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT).sign(
        secrets.token_urlsafe(16)).decode()


def device_of(cookie: str | None) -> str | None:
    """The device identifier a cookie carries, or None for a missing or forged one."""
    if not cookie:
        return None
    try:
        return Signer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT).unsign(cookie).decode()
    except BadSignature:
        return None


def _window(limit: str, *key: str) -> tuple:
    return parse_limit(limit), current_app.config["RATELIMIT_KEY_PREFIX"], "phone", *key


def _device_window(counter_id: int, device: str) -> tuple:
    return _window(f"1 per {RATE_AGAIN_AFTER_SECONDS} seconds", "device", str(counter_id), device)


def _address_window(counter_id: int, address: str) -> tuple:
    limit = current_app.config["KIOSK_PHONE_FLAG_PER_COUNTER_ADDRESS"]
    return _window(limit, "address", str(counter_id), address)


def device_has_rated(counter_id: int, device: str | None) -> bool:
    """Did this device rate the counter within the hour (by the server's record)?"""
    return bool(device) and limiter.enabled and not limiter.limiter.test(
        *_device_window(counter_id, device))


def _sender_flag(counter_id: int, device: str | None, address: str | None) -> RatingFlag | None:
    if device is None:
        return RatingFlag.UNKNOWN_DEVICE
    if address and limiter.enabled and not limiter.limiter.test(*_address_window(counter_id,
                                                                                  address)):
        return RatingFlag.SHARED_ADDRESS
    return None


def _remember(counter_id: int, device: str | None, address: str | None) -> None:
    if not limiter.enabled:
        return
    if device:
        limiter.limiter.hit(*_device_window(counter_id, device))
    if address:
        limiter.limiter.hit(*_address_window(counter_id, address))


@dataclass(frozen=True)
class Submission:
    results: list[dict]
    set_cookie: bool  # the browser has now rated the counter: (re)start its hour


def staff_ref(counter_id: int, nip: str) -> str:
    """How the public phone page names a member of staff: a keyed reference, never the NIP
    (which spells out a birth date, an appointment month and a sex)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"phone-staff:{counter_id}:{nip}".encode(), hashlib.sha256).hexdigest()[:16]


def _with_staff_nip(counter: ServiceCounter, item):
    """The item with its staff reference turned back into the NIP the rating rules check;
    None for a reference to nobody at the counter's unit."""
    if not isinstance(item, dict) or "staff_ref" not in item:
        return item
    item = dict(item)
    ref = item.pop("staff_ref")
    nips = db.session.scalars(db.select(Employee.nip).where(Employee.unit_id == counter.unit_id,
                                                            Employee.active.is_(True)))
    nip = next((nip for nip in nips if staff_ref(counter.id, nip) == ref), None)
    if nip is None:
        return None
    item["staff_nip"] = nip
    return item


def submit(counter: ServiceCounter, item, cookie: str | None, *, device: str | None = None,
           address: str | None = None) -> Submission:
    """One rating from a citizen's phone, stored exactly as a tablet's are (dedupe, rollups,
    complaints), through the counter's phone kiosk. cookie: the browser's "rated" mark for the
    counter; device: its identifier (device_of); address: where the request came from."""
    if isinstance(item, dict) and "staff_ref" in item:
        translated = _with_staff_nip(counter, item)
        if translated is None:
            return Submission([{"client_id": item.get("client_id"), "status": "rejected",
                                "reason": "staff_ref is not staff here"}], set_cookie=False)
        item = translated
    rated = has_rated(counter.id, cookie) or device_has_rated(counter.id, device)
    sender = kiosks.Sender.of(phone_kiosk(counter))  # (created and committed on first use)
    results = ratings.accept_batch(db.session.connection(), sender, [item], already_rated=rated,
                                   flag=_sender_flag(counter.id, device, address))
    db.session.commit()
    if any(r["status"] == "accepted" for r in results):
        _remember(counter.id, device, address)
    stored = any(r["status"] in ("accepted", "duplicate") for r in results)
    return Submission(results, set_cookie=stored and not rated)


def page_config(counter: ServiceCounter, recognition: list[dict]) -> dict:
    """What the phone page embeds: the configuration a tablet fetches, without the per-device
    cooldown (every phone is its own device), and staff named by reference, not NIP: the page
    is public."""
    config = ratings.kiosk_config(phone_kiosk(counter), recognition)
    staff = [{"ref": staff_ref(counter.id, person["nip"]), "name": person["name"]}
             for person in config["staff"]]
    return {**config, "staff": staff, "cooldown_seconds": 0}


# ---------------------------------------------------------------- the QR poster


def can_print_poster(user: User, counter: ServiceCounter) -> bool:
    """HR and admins (who keep counters and kiosks) and the head of the counter's unit."""
    return access.manages_organisation(user) or access.heads(user.employee, counter.unit)


FACE_LABELS = ((1, _l("Tidak baik")), (2, _l("Kurang baik")), (3, _l("Baik")), (4, _l("Sangat baik")))


@dataclass(frozen=True)
class Poster:
    counter: ServiceCounter
    url: str
    qr_svg: str                     # inline <svg>: the PDF fetches nothing
    faces: list[tuple[str, str]]    # (inline <svg>, label)


def qr_code(url: str) -> segno.QRCode:
    # Level M at least (segno raises it when the code's size allows): a scuffed or partly
    # covered print still reads, and the short URL keeps the modules big enough at A4.
    return segno.make(url, error="m", micro=False)


def poster(counter: ServiceCounter, url: str) -> Poster:
    """What the A4 poster shows: the QR code of the counter's phone link, and the four faces."""
    faces_dir = Path(current_app.static_folder) / "img" / "kiosk"
    faces = [((faces_dir / f"face-{score}.svg").read_text(), str(label))
             for score, label in FACE_LABELS]
    svg = qr_code(url).svg_inline(scale=1, border=4, dark="#000", light=None, omitsize=True)
    return Poster(counter=counter, url=url, qr_svg=svg, faces=faces)


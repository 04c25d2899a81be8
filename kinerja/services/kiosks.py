"""Kiosk provisioning: register for a counter, pair with a short one-time code (or get a token
from the CLI), authenticate by device token, heartbeat, revoke. Only hashes are stored."""
import hashlib
import hmac
import secrets
from datetime import timedelta
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l

from kinerja.extensions import db
from kinerja.models import Kiosk, ServiceCounter, User
from kinerja.models.types import utcnow
from kinerja.services import audit
from kinerja.services.errors import RuleViolation

PAIRING_DIGITS = 8


def token_key(token: str) -> str:
    """What rate limits are keyed by: never the token itself (Redis keys are readable)."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def _hash(secret: str) -> str:
    # Keyed with SECRET_KEY: a leaked table of hashes alone does not let anyone test tokens.
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def new_pairing_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PAIRING_DIGITS))


def register(actor: User | None, counter: ServiceCounter, name: str) -> tuple[Kiosk, str]:
    """A kiosk for the counter, with a pairing code valid for a few minutes (shown once)."""
    name = " ".join((name or "").split())[:100] or f"Kiosk {counter.code}"
    kiosk = Kiosk(counter=counter, name=name, created_by=actor)
    db.session.add(kiosk)
    code = _issue_pairing_code(kiosk)
    db.session.flush()
    audit.record("kiosk.registered", actor=actor, subject=kiosk, summary=f"{counter.code} {name}")
    db.session.commit()
    return kiosk, code


def _issue_pairing_code(kiosk: Kiosk) -> str:
    code = new_pairing_code()
    kiosk.pairing_code_hash = _hash(code)
    kiosk.pairing_expires_at = utcnow() + timedelta(
        minutes=current_app.config["KIOSK_PAIRING_MINUTES"])
    return code


def renew_pairing_code(actor: User, kiosk: Kiosk) -> str:
    if kiosk.revoked_at is not None:
        raise RuleViolation(_l("Kiosk ini sudah dicabut."))
    code = _issue_pairing_code(kiosk)
    audit.record("kiosk.pairing_code_issued", actor=actor, subject=kiosk)
    db.session.commit()
    return code


def pair(code: str) -> tuple[Kiosk, str] | None:
    """Exchange a valid pairing code for a device token (shown to the tablet once)."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != PAIRING_DIGITS:
        return None
    kiosk = db.session.scalar(db.select(Kiosk).where(Kiosk.pairing_code_hash == _hash(code)))
    if kiosk is None or kiosk.revoked_at is not None or kiosk.pairing_expires_at < utcnow():
        return None
    token = _install_token(kiosk)
    audit.record("kiosk.paired", subject=kiosk, summary=kiosk.name)
    db.session.commit()
    return kiosk, token


def _install_token(kiosk: Kiosk) -> str:
    token = secrets.token_urlsafe(32)
    kiosk.token_hash = _hash(token)
    kiosk.pairing_code_hash = kiosk.pairing_expires_at = None
    kiosk.paired_at = utcnow()
    return token


def create_with_token(counter: ServiceCounter, name: str) -> tuple[Kiosk, str]:
    """For provisioning many tablets by script (the CLI): a kiosk with a token at once."""
    kiosk, _ = register(None, counter, name)
    token = _install_token(kiosk)
    audit.record("kiosk.token_issued", subject=kiosk, summary="cli")
    db.session.commit()
    return kiosk, token


@cache
def _kiosk_by_token_hash():
    # Built once: every kiosk submit authenticates, and building the query cost more than running it.
    return (db.select(Kiosk).where(Kiosk.token_hash == db.bindparam("token_hash"))
            .options(db.joinedload(Kiosk.counter).joinedload(ServiceCounter.unit)))


def authenticate(token: str | None) -> Kiosk | None:
    if not token or len(token) > 200:
        return None
    kiosk = db.session.scalar(_kiosk_by_token_hash(), {"token_hash": _hash(token)})
    if kiosk is None or kiosk.revoked_at is not None:
        return None
    return kiosk


def heartbeat(kiosk: Kiosk, *, version: str | None, queued: int | None) -> None:
    kiosk.last_seen_at = utcnow()
    if version:
        kiosk.app_version = version[:40]
    if queued is not None and 0 <= queued < 10_000_000:
        kiosk.queued = queued


def revoke(actor: User, kiosk: Kiosk) -> None:
    if kiosk.revoked_at is None:
        kiosk.revoked_at = utcnow()
        audit.record("kiosk.revoked", actor=actor, subject=kiosk, summary=kiosk.name)
        db.session.commit()


def kiosks_of(counter_ids: list[int] | None = None) -> list[Kiosk]:
    query = db.select(Kiosk).options(db.joinedload(Kiosk.counter).joinedload(ServiceCounter.unit))
    if counter_ids is not None:
        query = query.where(Kiosk.counter_id.in_(counter_ids))
    return db.session.scalars(query.order_by(Kiosk.revoked_at.is_not(None), Kiosk.name)).all()

"""API tokens for the JSON API: issued by an admin (portal or CLI) for a user, limited to
scopes and a lifetime, shown once, stored only as an HMAC keyed with SECRET_KEY, revocable;
every call made with one is recorded in the audit trail under the token's id."""
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from kinerja.core import audit
from kinerja.core.errors import RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.integration.models import ApiToken
from kinerja.organisation.models import Employee, User

SCOPES = {
    "ikm:read": _l("Membaca IKM (survei kepuasan masyarakat) dan jumlah pengaduan semua unit"),
    "kinerja:read": _l("Membaca ringkasan SKP dan capaian pegawai (hanya token milik HR)"),
}
PREFIX = "knj_"
MAX_DAYS = 3 * 365
DEFAULT_DAYS = 365
MAX_TOKEN_LENGTH = 200
# last_used_at is written at most this often per token, so a busy client costs no extra UPDATE.
TOUCH_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    # Keyed with SECRET_KEY: a leaked table of hashes alone does not let anyone test tokens.
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def find_owner(identifier: str) -> User | None:
    """A user by NIP (spaces allowed) or by username."""
    text = (identifier or "").strip()
    digits = text.replace(" ", "")
    if digits.isdigit():
        return db.session.scalar(db.select(User).join(Employee).where(Employee.nip == digits))
    return db.session.scalar(db.select(User).where(User.username == text)) if text else None


def create(actor: User | None, owner_identifier: str, name: str, scopes: Iterable[str],
           days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token for the user named by NIP or username; returns it and the token text,
    which is never stored and cannot be shown again."""
    owner = find_owner(owner_identifier)
    if owner is None:
        raise RuleViolation(_l("Tidak ada akun dengan NIP atau nama pengguna itu."), "owner")
    if not owner.is_active:
        raise RuleViolation(_l("Akun pemilik token nonaktif."), "owner")
    name = " ".join((name or "").split())[:100]
    if not name:
        raise RuleViolation(_l("Beri nama token, misalnya aplikasi yang memakainya."), "name")
    chosen = sorted(set(scopes))
    unknown = [scope for scope in chosen if scope not in SCOPES]
    if unknown or not chosen:
        raise RuleViolation(_l("Pilih setidaknya satu cakupan yang dikenal."), "scopes")
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise RuleViolation(_l("Masa berlaku 1 sampai %(max)s hari.", max=MAX_DAYS), "days")
    text = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(name=name, user=owner, token_hash=_hash(text), prefix=text[:12],
                     scopes=" ".join(chosen), created_at=now, created_by=actor,
                     expires_at=now + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.created", actor=actor, subject=token,
                 summary=f"{name} ({token.prefix}…) untuk {owner.employee.nip}",
                 scopes=token.scopes, days=days)
    db.session.commit()
    return token, text


def authenticate(text: str | None) -> ApiToken | None:
    """The live token this text stands for: None when unknown, expired, revoked or when its
    owner's account is disabled."""
    if not text or len(text) > MAX_TOKEN_LENGTH:
        return None
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == _hash(text)))
    if token is None or not token.is_active(utcnow()) or not token.user.is_active:
        return None
    return token


def has_scope(token: ApiToken, scope: str) -> bool:
    return scope in token.scope_list


def record_call(token: ApiToken, *, method: str, path: str, status: int,
                ip_address: str | None = None) -> None:
    """One audit event per API call, with the token's id; one INSERT (and at most one UPDATE
    a minute for last_used_at), committed at once."""
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
    audit.record("api.call", actor=token.user, subject=token, summary=f"{method} {path}"[:500],
                 ip_address=ip_address, status=status)
    db.session.commit()


def revoke(actor: User | None, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("api_token.revoked", actor=actor, subject=token,
                     summary=f"{token.name} ({token.prefix}…)")
        db.session.commit()


def all_tokens() -> list[ApiToken]:
    """Every token, live ones first, newest first, with owners loaded (one query)."""
    return list(db.session.scalars(
        db.select(ApiToken).options(db.joinedload(ApiToken.user).joinedload(User.employee))
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())))

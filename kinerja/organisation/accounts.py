"""Accounts: authentication, lockout, passwords and role grants."""
import enum
import re
import secrets
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse as parse_limit
from werkzeug.security import check_password_hash, generate_password_hash

from kinerja.core import audit
from kinerja.core.errors import RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db, limiter
from kinerja.organisation import sessions
from kinerja.organisation.models import Employee, User
from kinerja.organisation.nip import normalise_nip

# Compared against when the account does not exist, so that both paths take the same time.
_DUMMY_HASH = generate_password_hash("kinerja-dummy-password", method="scrypt")


COMMON_IN_INDONESIA = frozenset({
    "bismillah", "indonesia", "sayang", "sayangku", "rahasia", "katasandi", "merdeka", "jakarta",
    "cintaku", "kinerja", "pegawai", "password", "admin", "bandung", "surabaya", "garuda",
    "alhamdulillah", "masuk", "selamat", "semangat", "anakku", "ibuku", "bapak", "keluarga",
})


class LoginResult(enum.Enum):
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"  # unknown, wrong or locked: one answer for all three
    DISABLED = "disabled"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_user(identifier: str) -> User | None:
    """A user by NIP (18 digits, spaces allowed) or by username (case-insensitive)."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    nip = normalise_nip(identifier)
    if nip.isdigit() and len(nip) == 18:
        return db.session.scalar(db.select(User).join(User.employee).where(Employee.nip == nip))
    return db.session.scalar(db.select(User).where(User.username == identifier.lower()))


def login_key(identifier: str | None) -> str:
    """What login throttling counts attempts by: the NIP with its spaces and dots removed, or
    the username in lower case, so writing the same account differently counts as the same."""
    identifier = (identifier or "").strip()
    nip = normalise_nip(identifier)
    return nip if nip.isdigit() and len(nip) == 18 else identifier.lower()[:80]


def _lockout_window():
    minutes = current_app.config["LOCKOUT_MINUTES"]
    return parse_limit(f"{current_app.config['LOCKOUT_THRESHOLD']} per {minutes} minutes")


def _lockout_key(user: User, ip_address: str | None) -> tuple[str, ...]:
    return (current_app.config["RATELIMIT_KEY_PREFIX"], "lockout", str(user.id), ip_address or "-")


def authenticate(identifier: str, password: str, ip_address: str | None = None):
    """Check a login attempt; returns (LoginResult, user or None) and records it.

    Wrong passwords lock the account *from that address* for LOCKOUT_MINUTES after
    LOCKOUT_THRESHOLD of them (counted in the rate limiter's store): someone guessing from
    elsewhere cannot lock its owner out. Unknown, wrong and locked all get the same answer."""
    user = find_user(identifier)
    now = utcnow()
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        audit.record("login.failed", summary=f"unknown account {identifier[:60]!r}",
                     ip_address=ip_address)
        db.session.commit()
        return LoginResult.BAD_CREDENTIALS, None
    window, key = _lockout_window(), _lockout_key(user, ip_address)
    locked_here = limiter.enabled and not limiter.limiter.test(window, *key)
    if locked_here or (user.locked_until and user.locked_until > now):  # (or an older lock)
        check_password_hash(_DUMMY_HASH, password or "")  # answers as slowly as a wrong one
        audit.record("login.locked", actor=user, subject=user, ip_address=ip_address)
        db.session.commit()
        return LoginResult.BAD_CREDENTIALS, None
    if not check_password_hash(user.password_hash, password or ""):
        user.failed_logins += 1
        audit.record("login.failed", actor=user, subject=user, ip_address=ip_address,
                     failed_logins=user.failed_logins)
        if limiter.enabled and (not limiter.limiter.hit(window, *key)
                                or not limiter.limiter.test(window, *key)):
            audit.record("account.locked", subject=user, ip_address=ip_address,
                         summary="too many wrong passwords from one address")
        db.session.commit()
        return LoginResult.BAD_CREDENTIALS, None
    if not user.is_active:
        audit.record("login.disabled", actor=user, subject=user, ip_address=ip_address)
        db.session.commit()
        return LoginResult.DISABLED, user
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if limiter.enabled:
        limiter.limiter.clear(window, *key)
    audit.record("login.succeeded", actor=user, subject=user, ip_address=ip_address)
    db.session.commit()
    return LoginResult.OK, user


def load_session_user(session_id: str) -> User | None:
    """The Flask-Login user loader: the cookie names a login session the server still holds."""
    return sessions.resume(session_id)


def password_problems(password: str, user: User | None = None) -> list:
    """Reasons a new password is not acceptable; empty when it is."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_l("Kata sandi minimal %(n)s karakter.", n=minimum))
    if password.isdigit() or password.isalpha():
        problems.append(_l("Kata sandi harus memuat huruf dan angka atau simbol."))
    lowered = password.lower()
    if is_common_password(lowered):
        problems.append(_l("Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain."))
    if user is not None:
        names = [part for part in re.split(r"[^a-z]+", user.employee.name.lower()) if len(part) >= 4]
        if (user.employee.nip in password or (user.username and user.username in lowered)
                or any(name in lowered for name in names)):
            problems.append(_l("Kata sandi tidak boleh memuat NIP, nama atau nama pengguna."))
    return problems


@cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn's list of the 30,000 most used passwords, plus words Indonesians use most.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # noqa: PLC0415 - only password changes
    return frozenset(FREQUENCY_LISTS["passwords"]) | COMMON_IN_INDONESIA


def is_common_password(lowered: str) -> bool:
    """A well-known password, also with digits or symbols added at its end ("Password123")."""
    stem = lowered.rstrip("0123456789!@#$%^&*.,-_ ")
    return lowered in _common_passwords() or (len(stem) >= 4 and stem in _common_passwords())


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None


def change_password(user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current or ""):
        raise RuleViolation(_l("Kata sandi lama salah."), field="current_password")
    if new == current:
        raise RuleViolation(_l("Kata sandi baru harus berbeda dari yang lama."), field="new_password")
    problems = password_problems(new, user)
    if problems:
        raise RuleViolation(problems[0], field="new_password")
    _set_password(user, new)
    user.must_change_password = False
    # Whoever knew the old password is logged out everywhere else; this device stays in.
    sessions.end_all(user, "password", keep=sessions.current(user))
    audit.record("account.password_changed", actor=user, subject=user)
    db.session.commit()


def generate_temporary_password() -> str:
    # Readable for dictation over the phone: no 0/O or 1/l confusion.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    groups = ["".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


def reset_password(actor: User, employee: Employee) -> tuple[User, str]:
    """Give the employee a temporary password (creating the account if needed), shown once."""
    temporary = generate_temporary_password()
    user = employee.user
    if user is None:
        user = User(employee=employee, password_hash="")  # nosec B106 # no hash: no password matches
        db.session.add(user)
        action = "account.created"
    else:
        action = "account.password_reset"
    _set_password(user, temporary)
    user.must_change_password = True
    db.session.flush()
    sessions.end_all(user, "password")  # whoever was logged in with the old one is out
    audit.record(action, actor=actor, subject=user, summary=employee.nip)
    db.session.commit()
    return user, temporary


def _admin_count() -> int:
    return db.session.scalar(
        db.select(db.func.count(User.id)).where(User.is_admin.is_(True), User.enabled.is_(True))
    )


def set_roles(actor: User, user: User, *, hr: bool, admin: bool) -> None:
    if user.is_admin and not admin and _admin_count() <= 1:
        raise RuleViolation(_l("Tidak bisa mencabut peran admin terakhir."))
    before = user.roles
    user.is_hr, user.is_admin = hr, admin
    if before != user.roles:
        audit.record("account.roles_changed", actor=actor, subject=user,
                     summary=user.employee.nip, before=before, after=user.roles)
    db.session.commit()


def set_enabled(actor: User, user: User, enabled: bool) -> None:
    if not enabled and user.id == actor.id:
        raise RuleViolation(_l("Anda tidak bisa menonaktifkan akun Anda sendiri."))
    if not enabled and user.is_admin and _admin_count() <= 1:
        raise RuleViolation(_l("Tidak bisa menonaktifkan admin terakhir."))
    user.enabled = enabled
    if not enabled:
        sessions.end_all(user, "disabled")
    audit.record("account.enabled" if enabled else "account.disabled", actor=actor, subject=user,
                 summary=user.employee.nip)
    db.session.commit()


def unlock(actor: User, user: User) -> None:
    user.locked_until = None
    user.failed_logins = 0
    audit.record("account.unlocked", actor=actor, subject=user, summary=user.employee.nip)
    db.session.commit()


def set_username(actor: User, user: User, username: str | None) -> None:
    username = (username or "").strip().lower() or None
    if username and (username.isdigit() or not username.replace(".", "").replace("_", "").isalnum()):
        raise RuleViolation(_l("Nama pengguna hanya huruf, angka, titik dan garis bawah, "
                               "dan tidak boleh hanya angka."), field="username")
    if username and db.session.scalar(
        db.select(User.id).where(User.username == username, User.id != user.id)
    ):
        raise RuleViolation(_l("Nama pengguna sudah dipakai."), field="username")
    if username != user.username:
        audit.record("account.username_changed", actor=actor, subject=user,
                     before=user.username, after=username)
        user.username = username
    db.session.commit()


def create_user(employee: Employee, password: str, *, username: str | None = None,
                hr: bool = False, admin: bool = False, actor: User | None = None) -> User:
    """Make an account with a chosen password (the CLI's way in on a fresh installation)."""
    if employee.user is not None:
        raise RuleViolation(_l("Pegawai ini sudah punya akun."))
    user = User(employee=employee, password_hash=hash_password(password),
                username=(username or "").lower() or None, is_hr=hr, is_admin=admin)
    db.session.add(user)
    db.session.flush()
    audit.record("account.created", actor=actor, subject=user, summary=employee.nip,
                 roles=user.roles)
    db.session.commit()
    return user


def accounts_page(text: str = "", status: str = "", page: int = 1, per_page: int = 50):
    """Accounts with their employee, filtered by name/NIP/username and by status."""
    query = db.select(User).join(User.employee).order_by(Employee.name)
    text = (text or "").strip().lower()
    if text:
        pattern = f"%{text}%"
        query = query.where(db.or_(db.func.lower(Employee.name).like(pattern),
                                   Employee.nip.like(f"{text}%"), User.username.like(pattern)))
    if status == "locked":
        query = query.where(User.locked_until > utcnow())
    elif status == "disabled":
        query = query.where(User.enabled.is_(False))
    elif status == "roles":
        query = query.where(db.or_(User.is_hr.is_(True), User.is_admin.is_(True)))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)

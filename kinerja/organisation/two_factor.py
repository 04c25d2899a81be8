"""Two-factor login: after the password, a code from an authenticator app (TOTP, RFC 6238) or
one of ten single-use recovery codes.

HR and admin accounts can change the most (every employee, every account), so they must use it
when TWO_FACTOR_REQUIRED is on (production's default); anyone else may turn it on. A person
enrols by scanning a QR code and typing the code their app then shows; an admin who lost their
phone and their recovery codes asks another admin for a reset.
"""
import enum
import hashlib
import secrets

import pyotp
import segno
from flask_babel import lazy_gettext as _l
from pyotp.exceptions import OTPVerificationError

from kinerja.core import audit
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.organisation import access, sessions
from kinerja.organisation.models import RecoveryCode, User

ISSUER = "Kinerja"  # the name the authenticator app shows above the code
# The step before and after the current one also count: a phone clock half a minute off, or a
# code typed as it changed, still works.
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 10
# Readable when copied from paper: no 0/o, 1/l/i.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BASE32 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


class CodeKind(enum.Enum):
    """What a verified code was (both are true: `if two_factor.verify(...)`)."""
    TOTP = "totp"
    RECOVERY_CODE = "recovery_code"


def required_for(user: User, config) -> bool:
    """Must this account use two-factor login? HR and admins, when the configuration says so."""
    return bool(config.get("TWO_FACTOR_REQUIRED")) and bool(user.is_hr or user.is_admin)


def is_enrolled(user: User) -> bool:
    return user.totp_enabled_at is not None and user.totp_secret is not None


def must_enrol(user: User, config) -> bool:
    """Logged in with the password only, but required to enrol before anything else."""
    return required_for(user, config) and not is_enrolled(user)


def _normalise(code: str | None) -> str:
    # People type codes with spaces ("123 456") or copy recovery codes with their dash.
    return "".join((code or "").split()).replace("-", "").lower()


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code this is (within VALID_WINDOW of now), or None."""
    if not (len(code) == 6 and code.isdigit()):
        return None
    try:
        return pyotp.TOTP(secret).verify_and_get_timecode(code, for_time=utcnow(),
                                                          valid_window=VALID_WINDOW)
    except OTPVerificationError:
        return None


def account_label(user: User) -> str:
    """How the account is named in the authenticator app, under the issuer."""
    return user.username or user.employee.nip


def begin_enrolment(user: User) -> str:
    """A new secret for the authenticator app; nothing is stored until it is confirmed."""
    if is_enrolled(user):
        raise RuleViolation(_l("Verifikasi dua langkah sudah aktif untuk akun ini."))
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address the QR code carries."""
    return pyotp.TOTP(secret).provisioning_uri(name=account_label(user), issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG: drawn on the server, nothing fetched elsewhere.
    A white background, so that it scans on a dark screen too; sized by the page's CSS."""
    return segno.make(uri, error="m", micro=False).svg_inline(scale=4, border=4, light="#fff",
                                                              omitsize=True)


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes (the caller commits); the codes, to show once."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
             for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    half = RECOVERY_CODE_LENGTH // 2
    return [f"{code[:half]}-{code[half:]}" for code in codes]


def confirm_enrolment(user: User, secret: str, code: str) -> list[str]:
    """Turn two-factor login on once the app shows the right code for `secret`; returns the
    recovery codes, which are shown this once and never again."""
    if is_enrolled(user):
        raise RuleViolation(_l("Verifikasi dua langkah sudah aktif untuk akun ini."))
    if len(secret or "") != 32 or not set(secret) <= BASE32:
        raise RuleViolation(_l("Pendaftaran kedaluwarsa. Muat ulang halaman lalu pindai kode QR "
                               "yang baru."))
    step = _matching_step(secret, _normalise(code))
    if step is None:
        raise RuleViolation(_l("Kode salah. Masukkan 6 angka yang sedang tampil di aplikasi "
                               "autentikator."), field="code")
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = secret, utcnow(), step
    codes = _new_recovery_codes(user)
    audit.record("two_factor.enrolled", actor=user, subject=user)
    db.session.commit()
    return codes


def _accept_totp(user: User, code: str) -> bool:
    step = _matching_step(user.totp_secret, code)
    if step is None:
        return False
    # A code is good once, and an earlier one is not good after it: the step must be later than
    # the last one accepted. One conditional UPDATE, so two requests racing with the same code
    # cannot both win.
    result = db.session.execute(
        db.update(User).where(User.id == user.id, db.or_(User.totp_last_step.is_(None),
                                                         User.totp_last_step < step))
        .values(totp_last_step=step))
    return result.rowcount == 1


def _use_recovery_code(user: User, code: str) -> bool:
    # Marked used in the same conditional UPDATE that finds it: a code cannot be used twice,
    # not even by two requests at once.
    result = db.session.execute(
        db.update(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                      RecoveryCode.code_hash == _hash(code),
                                      RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()))
    return result.rowcount == 1


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(db.select(db.func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def verify(user: User, code: str, ip_address: str | None = None) -> CodeKind | None:
    """Check the second step of a login: a current TOTP code not used before, or an unused
    recovery code (which is then used up). Wrong codes and used recovery codes are audited."""
    if not is_enrolled(user):
        return None
    code = _normalise(code)
    kind = None
    if _accept_totp(user, code):
        kind = CodeKind.TOTP
    elif len(code) == RECOVERY_CODE_LENGTH and _use_recovery_code(user, code):
        kind = CodeKind.RECOVERY_CODE
        audit.record("two_factor.recovery_code_used", actor=user, subject=user,
                     ip_address=ip_address, left=recovery_codes_left(user))
    else:
        audit.record("two_factor.code_failed", actor=user, subject=user, ip_address=ip_address)
    db.session.commit()
    return kind


def regenerate_recovery_codes(user: User, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), for a current code from the app: a
    session left open is not enough to take away or learn the person's way back in."""
    if not is_enrolled(user):
        raise RuleViolation(_l("Verifikasi dua langkah belum aktif untuk akun ini."))
    if not _accept_totp(user, _normalise(code)):
        audit.record("two_factor.code_failed", actor=user, subject=user)
        db.session.commit()
        raise RuleViolation(_l("Kode salah. Masukkan 6 angka yang sedang tampil di aplikasi "
                               "autentikator."), field="code")
    codes = _new_recovery_codes(user)
    audit.record("two_factor.recovery_codes_renewed", actor=user, subject=user)
    db.session.commit()
    return codes


def reset(actor: User, user: User) -> None:
    """Another admin turns an account's two-factor login off (a lost phone): the secret and the
    recovery codes go, and the account is logged out everywhere. Where it is required, the
    person enrols again at their next login. Nobody resets their own: that would let whoever
    holds an admin's password alone remove the second factor."""
    if not access.manages_accounts(actor):
        raise NotAllowed
    if actor.id == user.id:
        raise RuleViolation(_l("Anda tidak bisa mereset verifikasi dua langkah akun Anda sendiri. "
                               "Minta admin lain."))
    if not is_enrolled(user):
        raise RuleViolation(_l("Verifikasi dua langkah belum aktif untuk akun ini."))
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = None, None, None
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    ended = sessions.end_all(user, "two_factor_reset")
    audit.record("two_factor.reset", actor=actor, subject=user, summary=user.employee.nip,
                 sessions_ended=ended)
    db.session.commit()

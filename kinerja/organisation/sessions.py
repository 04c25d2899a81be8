"""Login sessions kept on the server: started at login, ended by logout, a password change or
reset, deactivation, the person ("log out my other devices") or an admin.

The cookie carries "<user id>:<token>"; the server keeps the token's hash, when the session
expires (PERMANENT_SESSION_LIFETIME after login) and when it was last seen, so a person and
their admin can see where an account is logged in.
"""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app

from kinerja.core import audit
from kinerja.core.errors import NotAllowed
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.models import Employee, LoginSession, User

SEEN_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often, not per request


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User, ip_address: str | None, user_agent: str | None) -> LoginSession:
    """A new session for a successful login; `user.session_key` is set for Flask-Login."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    record = LoginSession(user=user, token_hash=_hash(token), created_at=now, last_seen_at=now,
                          expires_at=now + current_app.permanent_session_lifetime,
                          ip_address=ip_address, user_agent=(user_agent or "")[:200] or None)
    db.session.add(record)
    db.session.commit()
    user.session_key = f"{user.id}:{token}"
    return record


def resume(session_key: str) -> User | None:
    """The user of a live session named by a cookie, or None (ended, expired, unknown,
    or the account can no longer log in)."""
    user_id, _, token = (session_key or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    # The reader's unit (their time zone: every page's "today") and position (the header and
    # the start page) come with the session, not in two more round trips per page.
    reader = db.joinedload(LoginSession.user).joinedload(User.employee)
    record = db.session.scalar(
        db.select(LoginSession)
        .options(reader.joinedload(Employee.unit), reader.joinedload(Employee.position))
        .where(LoginSession.token_hash == _hash(token), LoginSession.user_id == int(user_id)))
    now = utcnow()
    if record is None or record.ended_at is not None or record.expires_at <= now:
        return None
    user = record.user
    if not user.is_active:
        return None
    if now - record.last_seen_at >= SEEN_EVERY:
        db.session.execute(db.update(LoginSession).where(LoginSession.id == record.id)
                           .values(last_seen_at=now))
        db.session.commit()
    user.session_key = session_key
    return user


def current(user: User) -> LoginSession | None:
    """The session this request runs in."""
    _, _, token = (user.session_key or "").partition(":")
    return db.session.scalar(db.select(LoginSession).where(LoginSession.token_hash == _hash(token)))


def active_of(user: User) -> list[LoginSession]:
    """The account's live sessions, the most recently seen first."""
    return db.session.scalars(db.select(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None),
        LoginSession.expires_at > utcnow()).order_by(LoginSession.last_seen_at.desc())).all()


def end(record: LoginSession, reason: str) -> None:
    """End one session (the caller commits)."""
    if record.ended_at is None:
        record.ended_at, record.ended_reason = utcnow(), reason


def end_all(user: User, reason: str, *, keep: LoginSession | None = None) -> int:
    """End every live session of the account but `keep` (the caller commits); how many."""
    ended = 0
    for record in active_of(user):
        if keep is None or record.id != keep.id:
            end(record, reason)
            ended += 1
    return ended


def log_out(user: User) -> None:
    """The session this request runs in ends (the logout button)."""
    record = current(user)
    if record is not None:
        end(record, "logout")
        db.session.commit()


def end_session(actor: User, record: LoginSession) -> None:
    """The person ends one of their sessions (a lost phone), or an admin ends it."""
    if record.user_id != actor.id and not access.manages_accounts(actor):
        raise NotAllowed
    end(record, "revoked" if record.user_id == actor.id else "by_admin")
    audit.record("session.ended", actor=actor, subject=record.user, session_id=record.id)
    db.session.commit()


def end_other_sessions(actor: User) -> int:
    """ "Log out my other devices": every session but this one."""
    ended = end_all(actor, "revoked", keep=current(actor))
    audit.record("session.others_ended", actor=actor, subject=actor, count=ended)
    db.session.commit()
    return ended


def end_sessions_of(actor: User, user: User) -> int:
    """An admin logs an account out everywhere."""
    if not access.manages_accounts(actor):
        raise NotAllowed
    ended = end_all(user, "by_admin")
    audit.record("session.all_ended", actor=actor, subject=user, count=ended)
    db.session.commit()
    return ended

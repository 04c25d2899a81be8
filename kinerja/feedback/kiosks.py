"""Kiosk provisioning: register for a counter, pair with a short one-time code (or get a token
from the CLI), authenticate by device token, heartbeat, revoke. Only hashes are stored."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Connection

from kinerja.core import audit, calendar
from kinerja.core.errors import RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback.models import ELEMENT_COLUMNS, Kiosk, Rating
from kinerja.organisation.models import ServiceCounter, Unit, User

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


@dataclass(frozen=True)
class Sender:
    """The kiosk a submit comes from, as the submit needs it: where it stands, what it last
    told us and, when read with them, its latest ratings (newest first, as rows of
    latest_ratings_query) for the pattern checks. Read with one narrow query per submit; a
    loaded Kiosk entity (its counter, unit and the columns nobody reads here) cost about as
    much as the rest of the submit."""
    id: int
    counter_id: int
    unit_id: int
    zone: ZoneInfo
    kind: str
    last_seen_at: datetime | None
    app_version: str | None
    queued: int | None
    latest: tuple | None = None  # None: not read with the sender (latest_ratings reads them)

    @classmethod
    def of(cls, kiosk: Kiosk) -> Sender:
        return cls(kiosk.id, kiosk.counter_id, kiosk.counter.unit_id,
                   calendar.zone_info(kiosk.counter.unit.time_zone), kiosk.kind,
                   kiosk.last_seen_at, kiosk.app_version, kiosk.queued)


def latest_ratings_query(kiosk_id):
    """The kiosk's `depth` latest ratings, newest first (taken_at, score, client_id and the
    element answers): what a new rating's cooldown, burst and streak are checked against.
    kiosk_id: a bound parameter or a scalar subquery."""
    table = Rating.__table__
    return (db.select(table.c.taken_at, table.c.score, table.c.client_id,
                      *(table.c[c] for c in ELEMENT_COLUMNS))
            .where(table.c.kiosk_id == kiosk_id)
            .order_by(table.c.taken_at.desc()).limit(db.bindparam("depth")))


@cache
def _latest_ratings_by_kiosk_id():
    return latest_ratings_query(db.bindparam("kiosk_id"))


def latest_ratings(connection, kiosk_id: int, depth: int) -> tuple:
    return tuple(connection.execute(_latest_ratings_by_kiosk_id(),
                                    {"kiosk_id": kiosk_id, "depth": depth}))


def ratings_around(connection, kiosk_id: int, start: datetime, end: datetime, *,
                   before: int, limit: int = 1000) -> tuple:
    """The kiosk's ratings taken from `start` to `end` (at most `limit`) and the `before` ones
    taken just before `start`, newest first, as rows of latest_ratings_query."""
    query = latest_ratings_query(kiosk_id)
    taken_at = Rating.__table__.c.taken_at
    within = connection.execute(query.where(taken_at >= start, taken_at <= end),
                                {"depth": limit}).all()
    earlier = connection.execute(query.where(taken_at < start), {"depth": before}).all()
    return tuple(within + earlier)


_SENDER_COLUMNS = 8  # a row of _sender_by_token_hash: the kiosk's columns, then a rating's


@cache
def _sender_by_token_hash():
    # Built once: every kiosk submit authenticates, and building the query cost more than running
    # it. The kiosk's latest ratings come in the same statement, one row each (the kiosk's
    # columns repeated; one row of NULLs when there are none or depth is 0): one round trip and
    # one statement's CPU fewer on the busiest request than reading them after.
    kiosks, counters, units = Kiosk.__table__, ServiceCounter.__table__, Unit.__table__
    latest = latest_ratings_query(
        db.select(kiosks.c.id).where(kiosks.c.token_hash == db.bindparam("token_hash"))
        .scalar_subquery()).subquery()
    return (db.select(kiosks.c.id, kiosks.c.counter_id, counters.c.unit_id, units.c.time_zone,
                      kiosks.c.kind, kiosks.c.last_seen_at, kiosks.c.app_version,
                      kiosks.c.queued, *latest.c)
            .join(counters, counters.c.id == kiosks.c.counter_id)
            .join(units, units.c.id == counters.c.unit_id)
            .outerjoin(latest, db.true())
            .where(kiosks.c.token_hash == db.bindparam("token_hash"),
                   kiosks.c.revoked_at.is_(None))
            .order_by(latest.c.taken_at.desc()))


@contextmanager
def device_connection() -> Iterator[Connection]:
    """A connection for a tablet's submit, in autocommit rather than in the ORM session: each
    read is its own snapshot (as PostgreSQL's READ COMMITTED gives a transaction's reads
    anyway) and a one-tap rating is one INSERT that commits by itself, without BEGIN and COMMIT
    round trips or the session's bookkeeping: the busiest request there is. What must be
    stored together gets a transaction (ratings.accept_batch)."""
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


def authenticate(connection, token: str | None, *, latest: int = 0) -> Sender | None:
    """The kiosk holding this device token, unless it is unknown or revoked; with its `latest`
    ratings (Sender.latest) when asked for them."""
    if not token or len(token) > 200:
        return None
    rows = connection.execute(_sender_by_token_hash(),
                              {"token_hash": _hash(token), "depth": latest}).all()
    if not rows:
        return None
    kiosk_id, counter_id, unit_id, time_zone, *rest = rows[0][:_SENDER_COLUMNS]
    ratings = tuple(row[_SENDER_COLUMNS:] for row in rows if row[_SENDER_COLUMNS] is not None)
    return Sender(kiosk_id, counter_id, unit_id, calendar.zone_info(time_zone), *rest,
                  latest=ratings if latest else None)


def record_contact(connection, sender: Sender, now: datetime, *, version: str | None,
                   queued: int | None) -> None:
    """What the kiosk list shows of a tablet: last contact (to the minute: most submits then
    write nothing here), the app's version and how many ratings wait on the device."""
    changes = {}
    if sender.last_seen_at is None or now - sender.last_seen_at > timedelta(minutes=1):
        changes["last_seen_at"] = now
    if version and sender.app_version != version[:40]:
        changes["app_version"] = version[:40]
    if queued is not None and sender.queued != queued:
        changes["queued"] = queued
    if changes:
        connection.execute(
            db.update(Kiosk.__table__).where(Kiosk.__table__.c.id == sender.id).values(**changes))


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

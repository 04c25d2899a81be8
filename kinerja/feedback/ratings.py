"""Accepting ratings from kiosks: strict validation per item, exactly-once storage per
(kiosk, client_id), suspicious-pattern flags and complaints. The rollups follow the ratings by
themselves: the database's triggers keep them (migration 0012).

Each rating is one INSERT (its rollups included). On a connection in autocommit (the device
endpoints) it commits by itself: what the kiosk is told is `accepted` or `duplicate` is committed
before the answer leaves, and a batch cut short by a failure leaves what it stored so far, which
the tablet's retry is told is `duplicate`. A batch carrying a complaint runs in one transaction,
so that a rating and its complaint are stored together or not at all. On a connection in a
transaction (a session's), the caller commits. One bad item is `rejected` with a reason and never
sinks the batch.
"""
import sys
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite

from kinerja.core import calendar
from kinerja.core.errors import RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback import ikm, kiosks, questionnaire
from kinerja.feedback.demographics import (  # noqa: F401 - the kiosk's vocabulary, re-exported
    AGE_GROUPS,
    DEMOGRAPHIC_COLUMNS,
    EDUCATION,
    OCCUPATIONS,
    RESPONDENT_CHOICES,
    SEXES,
    demographic_column,
)
from kinerja.feedback.kiosks import Sender
from kinerja.feedback.models import (
    ELEMENT_COLUMNS,
    Complaint,
    Kiosk,
    KioskKind,
    Rating,
    RatingFlag,
    RosterEntry,
)
from kinerja.organisation.models import Employee, Service, ServiceCounter, counter_services

ITEM_KEYS = {"client_id", "taken_at", "score", "elements", "respondent", "staff_nip", "comment",
             "contact", "service"}
MAX_COMMENT, MAX_CONTACT = 2000, 200
MAX_SERVICE_CODE = 30  # Service.code
MAX_RECENT = 50  # at most this many of the kiosk's latest ratings are read for the pattern checks


class Rejected(ValueError):
    """An item that cannot be stored; the message is the reason the kiosk is told."""


@dataclass
class RatingInput:
    client_id: uuid.UUID
    taken_at: datetime
    score: int
    elements: dict[str, int] = field(default_factory=dict)
    respondent: dict[str, str] = field(default_factory=dict)
    staff_nip: str | None = None
    comment: str | None = None
    contact: str | None = None
    service: str | None = None  # the code of the service received, as the kiosk lists it

    @property
    def answer(self) -> tuple:
        return (self.score, tuple(sorted(self.elements.items())))


def _score(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        raise Rejected(f"{name} must be an integer 1-4")
    return value


def parse_item(raw, now: datetime, max_age: timedelta, max_skew: timedelta) -> RatingInput:
    """One item of the batch, checked strictly; raises Rejected with the reason."""
    if not isinstance(raw, dict):
        raise Rejected("item must be an object")
    unknown = set(raw) - ITEM_KEYS
    if unknown:
        raise Rejected(f"unknown field(s): {', '.join(sorted(unknown))}")
    try:
        client_id = uuid.UUID(str(raw.get("client_id")))
    except ValueError:
        raise Rejected("client_id must be a UUID") from None
    taken_raw = raw.get("taken_at")
    try:
        taken_at = datetime.fromisoformat(taken_raw) if isinstance(taken_raw, str) else None
    except ValueError:
        taken_at = None
    if taken_at is None or taken_at.tzinfo is None:
        raise Rejected("taken_at must be ISO 8601 with an offset")
    taken_at = taken_at.astimezone(UTC)
    if taken_at > now + max_skew:
        raise Rejected("taken_at is in the future")
    if taken_at < now - max_age:
        raise Rejected("taken_at is too old")
    item = RatingInput(client_id, taken_at, _score(raw.get("score"), "score"))

    elements = raw.get("elements") or {}
    if not isinstance(elements, dict):
        raise Rejected("elements must be an object")
    for key, value in elements.items():
        if key not in ikm.ELEMENTS:
            raise Rejected(f"unknown element {key!r}")
        item.elements[key] = _score(value, key)

    respondent = raw.get("respondent") or {}
    if not isinstance(respondent, dict):
        raise Rejected("respondent must be an object")
    for key, value in respondent.items():
        if key not in RESPONDENT_CHOICES:
            raise Rejected(f"unknown respondent field {key!r}")
        if value is None:
            continue
        if value not in RESPONDENT_CHOICES[key]:
            raise Rejected(f"{key} must be one of {', '.join(RESPONDENT_CHOICES[key])}")
        item.respondent[key] = value

    staff = raw.get("staff_nip")
    if staff is not None:
        if not isinstance(staff, str) or not staff.isdigit() or len(staff) != 18:
            raise Rejected("staff_nip must be 18 digits")
        item.staff_nip = staff
    # Optional: a tap queued by an older kiosk, or a citizen who skipped the question, names
    # none and is stored with none.
    service = raw.get("service")
    if service is not None:
        if not isinstance(service, str) or not 0 < len(service) <= MAX_SERVICE_CODE:
            raise Rejected(f"service must be a service code of at most {MAX_SERVICE_CODE} "
                           "characters")
        item.service = service
    for key, limit in (("comment", MAX_COMMENT), ("contact", MAX_CONTACT)):
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise Rejected(f"{key} must be text")
        value = value.strip()
        if len(value) > limit:
            raise Rejected(f"{key} is longer than {limit} characters")
        setattr(item, key, value or None)
    return item


@dataclass(frozen=True)
class PatternRules:
    cooldown: timedelta
    burst_window: timedelta
    burst_limit: int
    streak_length: int
    late_after: timedelta
    open_hour: int
    close_hour: int

    @property
    def reach(self) -> timedelta:
        """How far from a rating's taken_at the cooldown and burst checks look."""
        return max(self.cooldown, self.burst_window)


def suspicion(item: RatingInput, nearby: list[tuple[datetime, tuple]], arrived: datetime,
              local: datetime, rules: PatternRules) -> RatingFlag | None:
    """Why a rating looks suspicious, or None. `nearby` holds the kiosk's ratings around the
    item's own taken_at as (taken_at, answer), newest first: a rating backdated into a quiet hour
    is compared with that hour, not with the kiosk's latest ratings."""
    in_window = [t for t, _ in nearby if abs(item.taken_at - t) <= rules.burst_window]
    if len(in_window) + 1 > rules.burst_limit:
        return RatingFlag.BURST
    before = [answer for t, answer in nearby if t <= item.taken_at][: rules.streak_length - 1]
    if len(before) == rules.streak_length - 1 and all(a == item.answer for a in before):
        return RatingFlag.IDENTICAL_STREAK
    if local.weekday() == 6 or not rules.open_hour <= local.hour < rules.close_hour:
        return RatingFlag.OUT_OF_HOURS
    if arrived - item.taken_at > rules.late_after:
        return RatingFlag.LATE
    return None


def too_soon(item: RatingInput, recent: list[tuple[datetime, tuple]], cooldown: timedelta) -> bool:
    return any(abs(item.taken_at - t) < cooldown for t, _ in recent)


def _rules() -> PatternRules:
    config = current_app.config
    return PatternRules(
        cooldown=timedelta(seconds=config["KIOSK_COOLDOWN_SECONDS"]),
        burst_window=timedelta(seconds=60), burst_limit=config["KIOSK_BURST_PER_MINUTE"],
        streak_length=config["KIOSK_STREAK_LENGTH"],
        late_after=timedelta(minutes=config["KIOSK_LATE_MINUTES"]),
        open_hour=config["KIOSK_SERVICE_HOURS"][0], close_hour=config["KIOSK_SERVICE_HOURS"][1])


# The writes of a submit are Core statements on the tables, built once, with the values given at
# execution: an ORM-entity INSERT goes through the ORM's bulk machinery and rebuilds its cache key
# from every bound value on each call, which cost ~1 ms of CPU per statement (~0.25 ms this way).
@lru_cache
def _rating_insert(dialect: str):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: exactly once per (kiosk, client_id). The
    database's triggers add the rating to its counter's daily and monthly rollups in the same
    statement (migration 0012), and to its service's when it names one (0023).

    The service is named by its code and found in the same statement, among the services the
    counter offers: no read more per tap. A code the counter does not (or no longer) offer
    stores the rating with no service: a tap queued before the counter's services changed is
    the citizen's rating all the same, and is never lost for it."""
    table = Rating.__table__
    offered = (db.select(counter_services.c.service_id)
               .join(Service, Service.id == counter_services.c.service_id)
               .where(counter_services.c.counter_id == bindparam("service_counter"),
                      Service.code == bindparam("service_code"))
               .scalar_subquery())
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return (insert.values(service_id=offered)
            .on_conflict_do_nothing(index_elements=["kiosk_id", "client_id"])
            .returning(table.c.id))


@lru_cache
def _complaint_insert():
    return db.insert(Complaint.__table__)


def latest_depth() -> int:
    """How many of a kiosk's latest ratings the pattern checks need (kiosks.authenticate's
    `latest`)."""
    rules = _rules()
    return min(max(rules.burst_limit, rules.streak_length), MAX_RECENT)


def _as_recent(rows) -> list[tuple[datetime, tuple, uuid.UUID]]:
    """Rows of kiosks.latest_ratings_query as (taken_at, answer, client_id)."""
    recent = []
    for taken_at, score, client_id, *answers in rows:
        elements = tuple((c.upper(), v) for c, v in zip(ELEMENT_COLUMNS, answers, strict=True)
                         if v is not None)
        recent.append((taken_at, (score, elements), client_id))
    return recent


def _recent(connection, kiosk: Sender) -> list[tuple[datetime, tuple, uuid.UUID]]:
    """The kiosk's latest ratings as (taken_at, answer, client_id), newest first: as read with the
    sender, or read now."""
    rows = kiosk.latest
    if rows is None:
        rows = kiosks.latest_ratings(connection, kiosk.id, latest_depth())
    return _as_recent(rows)


def _beyond_latest(items: list[RatingInput], latest: list[tuple], rules: PatternRules) -> list:
    """The items whose neighbours may not all be among the kiosk's latest ratings: those taken
    (or backdated) before them. A tap sent as it happens is newer than all of them: none."""
    if len(latest) < latest_depth():
        return []  # the latest ratings are all the kiosk has
    oldest = min(t for t, _, _ in latest)
    needed = rules.streak_length - 1
    return [item for item in items
            if item.taken_at - rules.reach < oldest
            or sum(1 for t, _, _ in latest if t <= item.taken_at) < needed]


def _around(connection, kiosk: Sender, items: list[RatingInput], rules: PatternRules) -> list:
    """The kiosk's stored ratings around these items' taken_at (within the cooldown and burst
    reach, and the streak's predecessors), as (taken_at, answer, client_id). Items close in
    time share one read."""
    found = []
    times = sorted(item.taken_at for item in items)
    start = end = None
    for taken_at in [*times, None]:
        if taken_at is not None and end is not None and taken_at - rules.reach <= end:
            end = taken_at + rules.reach
            continue
        if start is not None:
            found += _as_recent(kiosks.ratings_around(connection, kiosk.id, start, end,
                                                      before=rules.streak_length - 1))
        if taken_at is not None:
            start, end = taken_at - rules.reach, taken_at + rules.reach
    return found


def _stored(connection, kiosk: Sender, client_id: uuid.UUID) -> bool:
    """Is this rating stored already (past the recent ones that `seen` holds)?"""
    return connection.scalar(db.select(Rating.id).where(
        Rating.kiosk_id == kiosk.id, Rating.client_id == client_id)) is not None


def _staff_on_duty(connection, kiosk: Sender, nips: set[str]) -> dict[str, int]:
    """NIP -> employee id for staff of the counter's unit (the roster narrows the kiosk's list;
    a rating may name anyone working in the unit, e.g. a stand-in)."""
    if not nips:
        return {}
    rows = connection.execute(db.select(Employee.nip, Employee.id).where(
        Employee.nip.in_(nips), Employee.unit_id == kiosk.unit_id,
        Employee.active.is_(True))).all()
    return dict(rows)


def accept_batch(connection, kiosk: Sender, raw_items: list, *, version: str | None = None,
                 queued: int | None = None, already_rated: bool = False,
                 flag: RatingFlag | None = None) -> list[dict]:
    """Store what can be stored; answer per item accepted / duplicate / rejected + reason.
    connection: in autocommit, or in the caller's transaction (db.session.connection()).
    kiosk: the sender, as kiosks.authenticate gives it (with latest=latest_depth(): its latest
      ratings come with it), or kiosks.Sender.of(kiosk) for an entity.
    already_rated: the sender may store nothing new now (a phone that rated the counter within
    the hour); its replays are still answered `duplicate`.
    flag: what the caller found suspicious about the sender (the phone channel's device and
    address checks), for the ratings the pattern checks find nothing against."""
    now = utcnow()
    config = current_app.config
    rules = _rules()
    if kiosk.kind == KioskKind.PHONE:
        # A counter's phone kiosk receives from every citizen's own phone: a cooldown or a
        # burst between their ratings says nothing about one device being abused. The phone
        # channel is limited instead per browser (already_rated) and per address (the view).
        rules = replace(rules, cooldown=timedelta(0), burst_limit=sys.maxsize)
    zone = kiosk.zone
    max_age = timedelta(days=config["KIOSK_MAX_AGE_DAYS"])
    max_skew = timedelta(minutes=5)
    recent = _recent(connection, kiosk)
    parsed, results = [], []
    for raw in raw_items:
        try:
            parsed.append(parse_item(raw, now, max_age, max_skew))
            results.append(None)
        except Rejected as problem:
            parsed.append(None)
            client_id = raw.get("client_id") if isinstance(raw, dict) else None
            results.append({"client_id": client_id if isinstance(client_id, str) else None,
                            "status": "rejected", "reason": str(problem)})
    staff = _staff_on_duty(connection, kiosk, {i.staff_nip for i in parsed if i and i.staff_nip})
    # Ratings backdated past the latest ones are checked against their own hour (the rare path:
    # a queue sent after a long outage, or a stolen token stuffing the past).
    if backdated := _beyond_latest([item for item in parsed if item], recent, rules):
        known = {client_id for _, _, client_id in recent}
        recent += [row for row in _around(connection, kiosk, backdated, rules)
                   if row[2] not in known]
    seen = {client_id for _, _, client_id in recent}
    window = [(t, answer) for t, answer, _ in recent]

    own_transaction = _autocommits(connection) and any(item and item.comment for item in parsed)
    if own_transaction:
        # A complaint is stored with its rating or not at all: this batch in one transaction.
        connection.commit()  # (nothing to commit: ends the reads' autobegun block)
        connection.execution_options(isolation_level=connection.default_isolation_level)
    # First, while no rollup row is locked: a stored rating locks its counter's rollup rows,
    # which every kiosk at the counter writes, until its statement or transaction ends.
    kiosks.record_contact(connection, kiosk, now, version=version, queued=queued)
    insert = _rating_insert(connection.dialect.name)
    # Oldest first, so cooldown and streaks read in the order the taps happened (and the
    # rollup rows are locked in the same order by every batch: migration 0012).
    order = sorted((n for n, item in enumerate(parsed) if item), key=lambda n: parsed[n].taken_at)
    for n in order:
        item = parsed[n]
        answer = {"client_id": str(item.client_id)}
        if item.client_id in seen or (already_rated and _stored(connection, kiosk, item.client_id)):
            results[n] = {**answer, "status": "duplicate"}
            continue
        if already_rated:
            results[n] = {**answer, "status": "rejected", "reason": "already_rated"}
            continue
        if item.staff_nip and item.staff_nip not in staff:
            results[n] = {**answer, "status": "rejected", "reason": "staff_nip is not staff here"}
            continue
        if too_soon(item, window, rules.cooldown):
            results[n] = {**answer, "status": "rejected", "reason": "cooldown"}
            continue
        local = item.taken_at.astimezone(zone)
        found = suspicion(item, sorted(window, reverse=True), now, local, rules) or flag
        # Every column every time: one statement shape, compiled once and cached.
        row = {"kiosk_id": kiosk.id, "counter_id": kiosk.counter_id, "client_id": item.client_id,
               "taken_at": item.taken_at, "received_at": now, "local_day": local.date(),
               "score": item.score, "staff_id": staff.get(item.staff_nip), "flag": found,
               "service_counter": kiosk.counter_id, "service_code": item.service,
               "excluded": False, **dict.fromkeys(RESPONDENT_CHOICES), **item.respondent,
               **dict.fromkeys(ELEMENT_COLUMNS), **{e.lower(): v for e, v in item.elements.items()}}
        rating_id = connection.execute(insert, row).scalar()
        if rating_id is None:  # stored by a concurrent request for the same client_id
            results[n] = {**answer, "status": "duplicate"}
            continue
        if item.comment:
            connection.execute(_complaint_insert(), {
                "rating_id": rating_id, "counter_id": kiosk.counter_id, "unit_id": kiosk.unit_id,
                "text": item.comment, "contact": item.contact,
                "contact_consent": bool(item.contact), "received_at": now})
        seen.add(item.client_id)
        window.append((item.taken_at, item.answer))
        results[n] = {**answer, "status": "accepted", **({"flag": found} if found else {})}
    if own_transaction:
        connection.commit()
    return results


def _autocommits(connection) -> bool:
    """Does each statement on this connection commit by itself?"""
    return connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT"


def flagged_page(counter_id: int | None = None, page: int = 1, per_page: int = 50):
    """Ratings flagged as suspicious, newest first, for HR to review."""
    query = (db.select(Rating).where(Rating.flag.is_not(None))
             .options(db.joinedload(Rating.counter).joinedload(ServiceCounter.unit),
                      db.joinedload(Rating.kiosk))
             .order_by(Rating.taken_at.desc(), Rating.id.desc()))
    if counter_id:
        query = query.where(Rating.counter_id == counter_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def exclude(actor, rating: Rating, reason: str) -> None:
    """HR takes a (flagged) rating out of IKM; it stays stored, with who and why."""
    from kinerja.core import audit  # noqa: PLC0415
    reason = " ".join((reason or "").split())
    if not reason:
        raise RuleViolation(_l("Tuliskan alasan mengeluarkan penilaian ini dari IKM."),
                            field="reason")
    if rating.excluded:
        return
    # The database's trigger takes it out of the rollups (migration 0012).
    rating.excluded, rating.excluded_reason, rating.excluded_by_id = True, reason[:300], actor.id
    audit.record("rating.excluded", actor=actor, subject=rating, summary=reason[:200])
    db.session.commit()


def include(actor, rating: Rating) -> None:
    from kinerja.core import audit  # noqa: PLC0415
    if not rating.excluded:
        return
    rating.excluded, rating.excluded_reason, rating.excluded_by_id = False, None, None
    audit.record("rating.included", actor=actor, subject=rating)
    db.session.commit()


def staff_for_kiosk(kiosk: Kiosk, day) -> list[Employee]:
    """Who the kiosk offers as "served by": the day's roster; when nobody is rostered that day,
    the unit's active staff who were rostered at this counter in the 30 days before (the
    counter's usual front line), else nobody."""
    rostered = db.session.scalars(
        db.select(Employee).join(RosterEntry, RosterEntry.employee_id == Employee.id)
        .where(RosterEntry.counter_id == kiosk.counter_id, RosterEntry.day == day)
        .order_by(Employee.name)).all()
    if rostered:
        return rostered
    lately = (db.select(RosterEntry.employee_id)
              .where(RosterEntry.counter_id == kiosk.counter_id,
                     RosterEntry.day >= day - timedelta(days=30), RosterEntry.day < day))
    return db.session.scalars(
        db.select(Employee).where(Employee.id.in_(lately),
                                  Employee.unit_id == kiosk.counter.unit_id,
                                  Employee.active.is_(True))
        .order_by(Employee.name)).all()


def kiosk_config(kiosk: Kiosk, recognition: list[dict]) -> dict:
    """What a tablet needs to run: where it is, who is on duty today, the flow's settings, and
    the published awards its idle screen shows (`recognition`, from the recognition area)."""
    config = current_app.config
    zone = calendar.zone_info(kiosk.counter.unit.time_zone)
    today = utcnow().astimezone(zone).date()
    return {
        "kiosk": {"id": kiosk.id, "name": kiosk.name},
        "counter": {"code": kiosk.counter.code, "name": kiosk.counter.name,
                    "services": [s.name for s in kiosk.counter.services]},
        # The services the citizen picks from (asked only when there are two or more).
        "services": [{"code": s.code, "name": s.name} for s in kiosk.counter.services],
        "unit": {"code": kiosk.counter.unit.code, "name": kiosk.counter.unit.name,
                 "time_zone": zone.key},
        "staff": [{"nip": e.nip, "name": e.name} for e in staff_for_kiosk(kiosk, today)],
        # The questionnaire's questions and answers, in the order it asks them.
        "elements": questionnaire.for_kiosk(),
        "respondent": {key: list(values) for key, values in RESPONDENT_CHOICES.items()},
        "cooldown_seconds": config["KIOSK_COOLDOWN_SECONDS"],
        "recognition": recognition,
    }


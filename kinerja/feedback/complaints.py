"""Complaints (pengaduan) as tickets for the counter's unit: the list with filters, counts and
overdue marks, one complaint with its rating and history, and the follow-up steps.

The steps: diterima -> diproses -> dijawab -> ditutup. An answer may be reopened (back to
diproses) to correct it; a closed complaint is final. A complaint is overdue when it is still
open after COMPLAINT_OVERDUE_DAYS working days counted from the day it arrived in the unit's
time zone: Monday to Friday minus the holiday calendar's days (national holidays, cuti bersama,
local days; kinerja.core.holidays).

Complaints, and the contact details some citizens leave with them, are for the head of the
unit (or a head above it) and HR only (access.can_handle_complaints_of). A contact is shown
only when the citizen consented to be contacted.
"""
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, false, func, or_, true, update

from kinerja.core import audit, calendar, holidays
from kinerja.core.calendar import NO_HOLIDAYS, TimeZone
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback import ikm
from kinerja.feedback.models import Complaint, ComplaintChannel, ComplaintStatus, Rating
from kinerja.organisation import access, org
from kinerja.organisation.models import ServiceCounter, Unit, User

PER_PAGE = 25
MAX_REPLY = 5000
OPEN = tuple(status for status in ComplaintStatus if status.is_open)
HOLIDAY_REACH = timedelta(days=183)

# action -> (the statuses it may start from, the status it leads to)
STEPS = {
    "proses": ((ComplaintStatus.RECEIVED, ComplaintStatus.ANSWERED), ComplaintStatus.IN_PROGRESS),
    "jawab": ((ComplaintStatus.IN_PROGRESS,), ComplaintStatus.ANSWERED),
    "tutup": ((ComplaintStatus.ANSWERED,), ComplaintStatus.CLOSED),
}
FACES = {1: _l("Tidak baik"), 2: _l("Kurang baik"), 3: _l("Baik"), 4: _l("Sangat baik")}


# ---------------------------------------------------------------- overdue (pure)


def overdue_cutoff(today: date, working_days: int, days_off: Collection[date] = NO_HOLIDAYS) -> date:
    """The latest day of arrival whose complaints are overdue today: the due date only grows with
    the day of arrival, so everything that arrived on this day or earlier is past its due date."""
    day = today - timedelta(days=1)
    while calendar.add_working_days(day, working_days, days_off) >= today:
        day -= timedelta(days=1)
    return day


def is_overdue(status: ComplaintStatus, received_at: datetime, zone: ZoneInfo, now: datetime,
               working_days: int, days_off: Collection[date] = NO_HOLIDAYS) -> bool:
    if status not in OPEN:
        return False
    received = received_at.astimezone(zone).date()
    return calendar.add_working_days(received, working_days, days_off) < now.astimezone(zone).date()


def days_off_near(day: date) -> frozenset[date]:
    """The holiday calendar's days within half a year of `day`: wide enough for any answer
    period counted forward from an arrival or back from today."""
    return holidays.between(day - HOLIDAY_REACH, day + HOLIDAY_REACH)


def overdue_clause(now: datetime, working_days: int):
    """SQL for "open and overdue", per time zone: arrived before the start of the day after the
    cutoff, in that zone. Needs Unit joined on the complaint's unit."""
    by_zone = []
    for zone in TimeZone:
        tz = calendar.zone_info(zone)
        today = now.astimezone(tz).date()
        cutoff = overdue_cutoff(today, working_days, days_off_near(today))
        boundary = datetime.combine(cutoff + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
        by_zone.append(and_(Unit.time_zone == zone, Complaint.received_at < boundary))
    return and_(Complaint.status.in_(OPEN), or_(*by_zone))


def received_between(start: date, end: date):
    """Arrived on a day in [start, end] in its unit's time zone (needs Unit joined)."""
    by_zone = []
    for zone in TimeZone:
        tz = calendar.zone_info(zone)
        first = datetime.combine(start, time(), tzinfo=tz).astimezone(UTC)
        after = datetime.combine(end, time(), tzinfo=tz).astimezone(UTC) + timedelta(days=1)
        by_zone.append(and_(Unit.time_zone == zone, Complaint.received_at >= first,
                            Complaint.received_at < after))
    return or_(*by_zone)


def overdue_working_days() -> int:
    """Working days a unit has to answer a complaint before it counts as overdue."""
    return current_app.config["COMPLAINT_OVERDUE_DAYS"]


# ---------------------------------------------------------------- the list


@dataclass
class Filters:
    status: ComplaintStatus | None = None
    unit_id: int | None = None
    counter_id: int | None = None
    overdue: bool = False
    channel: ComplaintChannel | None = None

    @classmethod
    def parse(cls, status: str | None, unit_id: int | None, counter_id: int | None,
              overdue: str | None, channel: str | None = None) -> "Filters":
        known = {s.value: s for s in ComplaintStatus}
        channels = {c.value: c for c in ComplaintChannel}
        return cls(status=known.get((status or "").strip()), unit_id=unit_id or None,
                   counter_id=counter_id or None, overdue=(overdue or "") in ("1", "ya", "on"),
                   channel=channels.get((channel or "").strip()))

    def as_args(self, **changes) -> dict:
        """The filters as query-string arguments (for links that keep them)."""
        args = {"status": self.status.value if self.status else None, "unit": self.unit_id,
                "loket": self.counter_id, "terlambat": 1 if self.overdue else None,
                "kanal": self.channel.value if self.channel else None}
        args.update(changes)
        return {key: value for key, value in args.items() if value is not None}


@dataclass
class Row:
    complaint: Complaint
    overdue: bool
    due: date
    zone: TimeZone


@dataclass
class ComplaintList:
    filters: Filters
    page: object  # a Flask-SQLAlchemy Pagination of complaints
    rows: list[Row]
    counts: dict[ComplaintStatus, int]
    overdue_count: int
    units: list[tuple[int, str]]
    counters: list[ServiceCounter]
    working_days: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _in_scope(scope: set[int] | None):
    if scope is None:
        return true()
    return Complaint.unit_id.in_(scope) if scope else false()


def complaint_list(user: User, filters: Filters, page: int = 1, per_page: int | None = None,
                   now: datetime | None = None) -> ComplaintList:
    """A page of the complaints the user handles, newest first, with counts per status (of the
    unit and counter filters) and the overdue count. A handful of queries, whatever the size."""
    if not access.handles_complaints(user):
        raise NotAllowed
    now = now or utcnow()
    days = overdue_working_days()
    scope = access.overseen_unit_ids(user)
    where = [_in_scope(scope)]
    if filters.unit_id:
        where.append(Complaint.unit_id == filters.unit_id)
    if filters.counter_id:
        where.append(Complaint.counter_id == filters.counter_id)
    if filters.channel:
        where.append(Complaint.channel == filters.channel)
    counts = {status: 0 for status in ComplaintStatus}
    counts.update(dict(db.session.execute(
        db.select(Complaint.status, func.count(Complaint.id)).where(*where)
        .group_by(Complaint.status)).all()))
    overdue = overdue_clause(now, days)
    overdue_count = db.session.scalar(
        db.select(func.count(Complaint.id)).join(Unit, Complaint.unit_id == Unit.id)
        .where(*where, overdue))
    query = (db.select(Complaint).join(Unit, Complaint.unit_id == Unit.id).where(*where)
             .options(db.joinedload(Complaint.counter), db.joinedload(Complaint.unit))
             .order_by(Complaint.received_at.desc(), Complaint.id.desc()))
    if filters.status:
        query = query.where(Complaint.status == filters.status)
    if filters.overdue:
        query = query.where(overdue)
    result = db.paginate(query, page=max(page, 1),
                         per_page=per_page or current_app.config.get("COMPLAINTS_PER_PAGE", PER_PAGE),
                         error_out=False)
    rows = []
    for complaint in result.items:
        zone = complaint.unit.time_zone
        received = complaint.received_at.astimezone(calendar.zone_info(zone)).date()
        days_off = days_off_near(received)
        rows.append(Row(complaint, is_overdue(complaint.status, complaint.received_at,
                                              calendar.zone_info(zone), now, days, days_off),
                        calendar.add_working_days(received, days, days_off), zone))
    units = [(unit_id, label) for unit_id, label in org.unit_choices()
             if scope is None or unit_id in scope]
    # Every counter in scope, not only the chosen unit's: the filter form stays as it is while
    # htmx swaps the results under it.
    counter_query = (db.select(ServiceCounter).join(ServiceCounter.unit)
                     .options(db.contains_eager(ServiceCounter.unit))
                     .order_by(Unit.name, ServiceCounter.code))
    if scope is not None:
        counter_query = counter_query.where(ServiceCounter.unit_id.in_(scope) if scope else false())
    return ComplaintList(filters, result, rows, counts, overdue_count or 0, units,
                         list(db.session.scalars(counter_query)), days)


# ---------------------------------------------------------------- one complaint


@dataclass
class HistoryEntry:
    at: datetime
    action: str
    actor: str | None
    note: str = ""


@dataclass
class ComplaintView:
    complaint: Complaint
    zone: TimeZone
    overdue: bool
    due: date
    rating: Rating | None
    elements: list[tuple[str, str, int | None]]
    contact: str | None
    history: list[HistoryEntry] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


def available_actions(complaint: Complaint) -> list[str]:
    return [action for action, (sources, _) in STEPS.items() if complaint.status in sources]


def _history(complaint: Complaint) -> list[HistoryEntry]:
    """The complaint's arrival and every step taken on it, from the audit trail."""
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.subject_type == "Complaint",
                                    AuditEvent.subject_id == complaint.id,
                                    AuditEvent.action.startswith("complaint."))
        .options(db.joinedload(AuditEvent.actor)).order_by(AuditEvent.occurred_at, AuditEvent.id))
    history = [HistoryEntry(complaint.received_at, "complaint.received", None)]
    for event in events:
        history.append(HistoryEntry(event.occurred_at, event.action,
                                    event.actor.display_name if event.actor else None,
                                    event.summary))
    return history


def complaint_view(user: User, complaint: Complaint, now: datetime | None = None) -> ComplaintView:
    """Everything the detail page shows; the contact only with the citizen's consent."""
    if not access.can_handle_complaints_of(user, complaint.unit):
        raise NotAllowed
    now = now or utcnow()
    days = overdue_working_days()
    zone = complaint.unit.time_zone
    tz = calendar.zone_info(zone)
    rating = db.session.get(Rating, complaint.rating_id) if complaint.rating_id else None
    elements = []
    if rating is not None:
        answers = rating.elements()
        elements = [(code, name, answers.get(code)) for code, name in ikm.ELEMENT_NAMES.items()
                    if code in answers]
    contact = complaint.contact if complaint.contact_consent and complaint.contact else None
    received = complaint.received_at.astimezone(tz).date()
    days_off = days_off_near(received)
    return ComplaintView(
        complaint=complaint, zone=zone,
        overdue=is_overdue(complaint.status, complaint.received_at, tz, now, days, days_off),
        due=calendar.add_working_days(received, days, days_off),
        rating=rating, elements=elements, contact=contact, history=_history(complaint),
        actions=available_actions(complaint))


# ---------------------------------------------------------------- the steps


def _refusal(action: str, status: ComplaintStatus):
    if status == ComplaintStatus.CLOSED:
        return _l("Pengaduan ini sudah ditutup dan tidak dapat diubah lagi.")
    if action == "proses":
        return _l("Pengaduan ini sudah sedang diproses.")
    if action == "jawab" and status == ComplaintStatus.RECEIVED:
        return _l("Ambil pengaduan ini untuk diproses sebelum menjawabnya.")
    if action == "jawab":
        return _l("Pengaduan ini sudah dijawab. Buka kembali untuk memperbaiki jawaban.")
    return _l("Hanya pengaduan yang sudah dijawab yang dapat ditutup.")


def act(actor: User, complaint: Complaint, action: str, reply: str | None = None) -> Complaint:
    """Take one step on a complaint; the state machine decides what is possible from where.

    The change is a conditional UPDATE on the status read, so two people acting at once cannot
    both succeed: the second is told the complaint has just changed.
    """
    if not access.can_handle_complaints_of(actor, complaint.unit):
        raise NotAllowed
    if action not in STEPS:
        raise RuleViolation(_l("Tindakan tidak dikenal."))
    sources, target = STEPS[action]
    current = complaint.status
    if current not in sources:
        raise RuleViolation(_refusal(action, current))
    now = utcnow()
    values: dict = {"status": target}
    if action == "jawab":
        reply = (reply or "").strip()
        if not reply:
            raise RuleViolation(_l("Tulis jawaban untuk warga sebelum menyimpan."), field="reply")
        if len(reply) > MAX_REPLY:
            raise RuleViolation(_l("Jawaban paling banyak %(n)s karakter.", n=MAX_REPLY),
                                field="reply")
        values.update(reply=reply, answered_at=now, handled_by_id=actor.employee_id)
    elif action == "proses":
        values.update(handled_by_id=actor.employee_id, answered_at=None)
    else:
        values.update(closed_at=now)
    changed = db.session.execute(
        update(Complaint).where(Complaint.id == complaint.id, Complaint.status == current)
        .values(**values).execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        db.session.rollback()
        raise RuleViolation(_l("Pengaduan ini baru saja diubah orang lain. Muat ulang halaman."))
    name = ("complaint.reopened" if action == "proses" and current == ComplaintStatus.ANSWERED
            else {"proses": "complaint.in_progress", "jawab": "complaint.answered",
                  "tutup": "complaint.closed"}[action])
    audit.record(name, actor=actor, subject=complaint, summary=f"{current.value} -> {target.value}",
                 status_from=current.value, status_to=target.value)
    db.session.commit()
    db.session.refresh(complaint)
    return complaint


# ---------------------------------------------------------------- complaints HR enters by hand

LAPOR_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9-]{4,19}")
MAX_TEXT = 5000
MAX_CONTACT = 200
RECORDED_CHANNELS = (ComplaintChannel.PHONE, ComplaintChannel.LAPOR, ComplaintChannel.WALK_IN)


def lapor_number(raw: str | None) -> str | None:
    """SP4N-LAPOR!'s tracking number as stored: upper case, without spaces or a leading '#';
    None when empty. A RuleViolation when it cannot be one (5 to 20 letters, digits or dashes)."""
    value = "".join((raw or "").split()).lstrip("#").upper()
    if not value:
        return None
    if not LAPOR_NUMBER.fullmatch(value):
        raise RuleViolation(_l("Nomor pelacakan SP4N-LAPOR! terdiri dari 5 sampai 20 huruf, "
                               "angka atau tanda hubung."), "lapor_number")
    return value


def counter_choices() -> list[ServiceCounter]:
    """The active counters a recorded complaint may name, by unit and code. One query."""
    return list(db.session.scalars(
        db.select(ServiceCounter).join(ServiceCounter.unit)
        .options(db.contains_eager(ServiceCounter.unit))
        .where(ServiceCounter.active.is_(True)).order_by(Unit.name, ServiceCounter.code)))


@dataclass
class RecordInput:
    counter_id: int | None
    channel: str | None
    text: str | None
    lapor_number: str | None = None
    contact: str | None = None
    contact_consent: bool = False
    received_on: date | None = None


def record(actor: User, data: RecordInput, now: datetime | None = None) -> Complaint:
    """A complaint that came by telephone, through SP4N-LAPOR! or at the desk, entered by HR
    for the counter it concerns. A LAPOR! complaint needs its tracking number (the answer goes
    back there) and no number is recorded twice."""
    if not access.records_complaints(actor):
        raise NotAllowed
    now = now or utcnow()
    counter = db.session.get(ServiceCounter, data.counter_id) if data.counter_id else None
    if counter is None:
        raise RuleViolation(_l("Pilih loket yang diadukan."), "counter_id")
    channels = {c.value: c for c in RECORDED_CHANNELS}
    channel = channels.get(data.channel or "")
    if channel is None:
        raise RuleViolation(_l("Pilih kanal: telepon, SP4N-LAPOR! atau datang langsung."),
                            "channel")
    number = lapor_number(data.lapor_number)
    if channel == ComplaintChannel.LAPOR and number is None:
        raise RuleViolation(_l("Pengaduan dari SP4N-LAPOR! memerlukan nomor pelacakannya."),
                            "lapor_number")
    if number is not None and db.session.scalar(
            db.select(Complaint.id).where(Complaint.lapor_number == number)) is not None:
        raise RuleViolation(_l("Nomor SP4N-LAPOR! %(number)s sudah tercatat pada pengaduan lain.",
                               number=number), "lapor_number")
    text = (data.text or "").strip()
    if not text:
        raise RuleViolation(_l("Tuliskan isi pengaduan."), "text")
    if len(text) > MAX_TEXT:
        raise RuleViolation(_l("Isi pengaduan paling banyak %(n)s karakter.", n=MAX_TEXT), "text")
    contact = (data.contact or "").strip() or None
    if contact and len(contact) > MAX_CONTACT:
        raise RuleViolation(_l("Kontak paling banyak %(n)s karakter.", n=MAX_CONTACT), "contact")
    received_at = now
    if data.received_on is not None:
        zone = calendar.zone_info(counter.unit.time_zone)
        if data.received_on > now.astimezone(zone).date():
            raise RuleViolation(_l("Tanggal diterima tidak boleh di masa depan."), "received_on")
        if data.received_on < now.astimezone(zone).date():  # a past day: its noon, in the unit's zone
            received_at = datetime.combine(data.received_on, time(12), tzinfo=zone).astimezone(UTC)
    complaint = Complaint(counter_id=counter.id, unit_id=counter.unit_id, text=text,
                          contact=contact, contact_consent=bool(contact and data.contact_consent),
                          channel=channel, lapor_number=number, received_at=received_at)
    db.session.add(complaint)
    db.session.flush()
    audit.record("complaint.recorded", actor=actor, subject=complaint,
                 summary=f"{channel.value} {counter.code}", channel=channel.value,
                 lapor_number=number, counter=counter.code)
    db.session.commit()
    return complaint

"""The audit trail as the people who keep the system read it: who did what, to what and when,
in words; narrowed by the person acting, their unit, the kind of event and the days; a page at
a time, or every matching event as a sheet."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_

from kinerja.core import audit_events, calendar, dates
from kinerja.core.calendar import TimeZone
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.core.tables import Sheet
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.models import Employee, Unit, User
from kinerja.organisation.tree import UnitTree

PER_PAGE = 50
EXPORT_LIMIT = 20_000  # a year of a kabupaten's busiest events; narrow the filter for more
MAX_PERSON = 80


@dataclass(frozen=True)
class TrailFilter:
    """What the reader asked for; every part is optional."""
    person: str = ""            # part of the acting person's name, their NIP or user name
    unit_id: int | None = None  # the acting person's unit, with the units below it
    event: str = ""             # an action code, or a whole group ("kelompok:access")
    first: date | None = None   # days in the reader's zone, both included
    last: date | None = None
    zone: TimeZone | str | None = None

    def args(self) -> dict:
        """The filter as the page's query string (for paging and the export link)."""
        return {key: value for key, value in {
            "pelaku": self.person, "unit": self.unit_id, "kejadian": self.event,
            "dari": self.first.isoformat() if self.first else None,
            "sampai": self.last.isoformat() if self.last else None}.items() if value}


@dataclass(frozen=True)
class TrailEntry:
    """One event in words."""
    event: AuditEvent
    description: str
    subject: str
    details: list[tuple[str, str]]

    @property
    def about(self) -> str:
        """What the event was about: "Pegawai: 1985...", or the summary alone when it names
        the subject already ("Tindak lanjut IKM ... diajukan")."""
        summary = self.event.summary or ""
        if not self.subject or summary.lower().startswith(self.subject.lower()):
            return summary
        return f"{self.subject}: {summary}" if summary else self.subject

    @property
    def actor_name(self) -> str:
        return self.event.actor.employee.name if self.event.actor else ""

    @property
    def actor_unit(self) -> str:
        employee = self.event.actor.employee if self.event.actor else None
        return employee.unit.name if employee is not None and employee.unit else ""


def check(filters: TrailFilter) -> None:
    if filters.first and filters.last and filters.first > filters.last:
        raise RuleViolation(_l("Tanggal awal sesudah tanggal akhir."), field="dari")
    if len(filters.person) > MAX_PERSON:
        raise RuleViolation(_l("Nama atau NIP terlalu panjang."), field="pelaku")
    if filters.event and _event_condition(filters.event) is None:
        raise RuleViolation(_l("Jenis kejadian tidak dikenal."), field="kejadian")


def _event_condition(event: str):
    if event.startswith(audit_events.GROUP_PREFIX):
        group = audit_events.group_by_key(event.removeprefix(audit_events.GROUP_PREFIX))
        if group is None:
            return None
        return or_(*(AuditEvent.action.startswith(prefix + ".") for prefix in group.prefixes))
    return AuditEvent.action == event if event in audit_events.EVENT_TYPES else None


def _start_of(day: date, zone) -> datetime:
    return datetime.combine(day, time(), tzinfo=calendar.zone_info(zone))


def _query(filters: TrailFilter):
    query = db.select(AuditEvent)
    if filters.person or filters.unit_id:
        query = query.join(User, AuditEvent.actor_id == User.id).join(
            Employee, User.employee_id == Employee.id)
    if filters.person:
        wanted = filters.person.strip()
        digits = wanted.replace(" ", "")
        query = query.where(or_(Employee.name.icontains(wanted, autoescape=True),
                                User.username == wanted,
                                *([Employee.nip.startswith(digits, autoescape=True)]
                                  if digits.isdigit() else [])))
    if filters.unit_id:
        query = query.where(Employee.unit_id.in_(UnitTree.load().below(filters.unit_id)))
    if filters.event:
        query = query.where(_event_condition(filters.event))
    if filters.first:
        query = query.where(AuditEvent.occurred_at >= _start_of(filters.first, filters.zone))
    if filters.last:
        query = query.where(AuditEvent.occurred_at
                            < _start_of(filters.last + timedelta(days=1), filters.zone))
    return query.options(
        db.joinedload(AuditEvent.actor).joinedload(User.employee).joinedload(Employee.unit),
    ).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def _entries(events: list[AuditEvent]) -> list[TrailEntry]:
    """The events in words; the employees their details name by id are read in one query."""
    ids = {event.details.get("employee_id") for event in events if event.details}
    ids = {found for found in ids if isinstance(found, int)}
    names = {"employee_id": dict(db.session.execute(
        db.select(Employee.id, Employee.name).where(Employee.id.in_(ids))).all()) if ids else {}}
    return [TrailEntry(event, audit_events.describe(event.action),
                       audit_events.subject_name(event.subject_type),
                       audit_events.detail_pairs(event.details, names)) for event in events]


def _require_reader(viewer: User) -> None:
    if not access.reads_audit_trail(viewer):
        raise NotAllowed


@dataclass
class TrailPage:
    entries: list[TrailEntry]
    pagination: object  # Flask-SQLAlchemy's page: numbers and links for the pager


def page_of(viewer: User, filters: TrailFilter, page: int = 1) -> TrailPage:
    """One page of the events matching `filters`, newest first."""
    _require_reader(viewer)
    check(filters)
    pagination = db.paginate(_query(filters), page=max(page, 1), per_page=PER_PAGE,
                             error_out=False)
    return TrailPage(_entries(pagination.items), pagination)


def unit_choices() -> list[tuple[int, str]]:
    return [(unit.id, unit.name) for unit in db.session.scalars(db.select(Unit).order_by(Unit.name))]


def export_sheet(viewer: User, filters: TrailFilter) -> Sheet:
    """Every event matching `filters` (up to EXPORT_LIMIT), newest first, as one sheet: the time
    in the reader's zone, who, their unit, what in words and its code, about what, the details."""
    _require_reader(viewer)
    check(filters)
    zone = TimeZone(filters.zone or calendar.DEFAULT_ZONE)
    events = db.session.scalars(_query(filters).limit(EXPORT_LIMIT + 1)).unique().all()
    rows = []
    for entry in _entries(events[:EXPORT_LIMIT]):
        event = entry.event
        employee = event.actor.employee if event.actor else None
        local = event.occurred_at.astimezone(calendar.zone_info(zone)).replace(tzinfo=None)
        rows.append([local, entry.actor_name, employee.nip if employee else "", entry.actor_unit,
                     entry.description, event.action,
                     entry.about,
                     "; ".join(f"{label}: {value}" for label, value in entry.details),
                     event.ip_address or ""])
    notes = [str(_l("Dicetak %(when)s. Filter: %(filter)s.", when=dates.format_moment(
        datetime.now(calendar.zone_info(zone)), zone), filter=describe_filter(filters)))]
    if len(events) > EXPORT_LIMIT:
        notes.append(str(_l("Hanya %(n)s kejadian terbaru; persempit filter untuk yang lain.",
                            n=EXPORT_LIMIT)))
    return Sheet(
        name=str(_l("Jejak audit")),
        title=str(_l("Jejak audit")),
        header=[str(_l("Waktu (%(zone)s)", zone=zone.value)), str(_l("Pelaku")), str(_l("NIP")),
                str(_l("Unit pelaku")), str(_l("Kejadian")), str(_l("Kode kejadian")),
                str(_l("Objek")), str(_l("Rincian")), str(_l("Alamat IP"))],
        rows=rows, notes=notes, date_format="d mmm yyyy hh:mm", column_formats={3: "@"},
        widths={"A": 18, "B": 28, "C": 21, "D": 30, "E": 40, "F": 26, "G": 40, "H": 60, "I": 16},
        freeze="A3")


def describe_filter(filters: TrailFilter) -> str:
    """The filter in words, for the export's note ("semua kejadian" when there is none)."""
    parts = []
    if filters.person:
        parts.append(str(_l("pelaku %(who)s", who=filters.person)))
    if filters.unit_id:
        unit = db.session.get(Unit, filters.unit_id)
        parts.append(str(_l("unit %(unit)s", unit=unit.name if unit else filters.unit_id)))
    if filters.event.startswith(audit_events.GROUP_PREFIX):
        group = audit_events.group_by_key(filters.event.removeprefix(audit_events.GROUP_PREFIX))
        parts.append(str(group.label) if group else filters.event)
    elif filters.event:
        parts.append(audit_events.describe(filters.event))
    if filters.first:
        parts.append(str(_l("dari %(day)s", day=dates.format_day(filters.first))))
    if filters.last:
        parts.append(str(_l("sampai %(day)s", day=dates.format_day(filters.last))))
    return ", ".join(parts) if parts else str(_l("semua kejadian"))

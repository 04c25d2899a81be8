"""Counter rosters (who staffs a loket on which day) and each employee's citizen-satisfaction
figure drawn from them: the ratings that name the employee and the complaints at the counters
they staffed, for appraisals and awards.

The roster is kept by the head of the counter's unit (or a head above it) and HR, one week at
a time; only active employees of the counter's unit can be put on it.
"""
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_

from kinerja.core import audit, calendar
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.extensions import db
from kinerja.feedback import ikm, ikm_weights
from kinerja.feedback.models import ELEMENT_COLUMNS, Complaint, Rating, RosterEntry
from kinerja.organisation import access
from kinerja.organisation.models import Employee, ServiceCounter, Unit, User

# Whoever staffed the counter within this many days before the week is listed first.
RECENT_DAYS = 30
MAX_SATISFACTION_DAYS = 366


# ---------------------------------------------------------------- the week grid


@dataclass
class RosterRow:
    employee: Employee
    days: set[date]
    recent: bool         # staffed this counter lately: listed first
    eligible: bool       # active and in the counter's unit: may be added


@dataclass
class RosterWeek:
    counter: ServiceCounter
    monday: date
    today: date
    rows: list[RosterRow]
    last_week_entries: int
    other_counters: list[ServiceCounter] = field(default_factory=list)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=n) for n in range(7)]

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)

    def staffed(self, day: date) -> int:
        return sum(1 for row in self.rows if day in row.days)


def roster_week(user: User, counter: ServiceCounter, any_day: date | None = None) -> RosterWeek:
    """The week (Monday to Sunday) containing `any_day` (this week by default): one row per
    active employee of the counter's unit, plus anyone rostered that week who has since left
    it, those who staffed the counter lately first."""
    if not access.can_manage_roster(user, counter):
        raise NotAllowed
    today = calendar.today_in(counter.unit.time_zone)
    monday = calendar.week_start(any_day or today)
    sunday = monday + timedelta(days=6)
    entries = db.session.execute(
        db.select(RosterEntry.employee_id, RosterEntry.day)
        .where(RosterEntry.counter_id == counter.id,
               RosterEntry.day >= monday - timedelta(days=RECENT_DAYS), RosterEntry.day <= sunday)
    ).all()
    this_week: dict[int, set[date]] = {}
    recent: set[int] = set()
    last_week = 0
    for employee_id, day in entries:
        if day >= monday:
            this_week.setdefault(employee_id, set()).add(day)
        else:
            recent.add(employee_id)
            if day >= monday - timedelta(days=7):
                last_week += 1
    people = db.session.scalars(
        db.select(Employee).options(db.joinedload(Employee.position))
        .where(or_(and_(Employee.unit_id == counter.unit_id, Employee.active.is_(True)),
                   Employee.id.in_(list(this_week) or [-1])))
    ).unique().all()
    rows = [RosterRow(person, this_week.get(person.id, set()),
                      person.id in recent or person.id in this_week,
                      person.active and person.unit_id == counter.unit_id)
            for person in people]
    rows.sort(key=lambda row: (not row.recent, row.employee.name.lower(), row.employee.id))
    others = db.session.scalars(
        db.select(ServiceCounter).where(ServiceCounter.unit_id == counter.unit_id,
                                        ServiceCounter.id != counter.id,
                                        ServiceCounter.active.is_(True))
        .order_by(ServiceCounter.code)).all()
    return RosterWeek(counter, monday, today, rows, last_week, list(others))


@dataclass
class Cell:
    employee: Employee
    day: date
    on_duty: bool
    eligible: bool       # may be put on duty (active, in the counter's unit)
    day_count: int       # how many staff the counter has that day now


def set_on_duty(actor: User, counter: ServiceCounter, employee_id: int | None, day: date | None,
                on_duty: bool) -> Cell:
    """Put an employee on the counter's roster for a day, or take them off. Idempotent: asking
    for the state a cell already has changes nothing and records nothing."""
    if not access.can_manage_roster(actor, counter):
        raise NotAllowed
    employee = db.session.get(Employee, employee_id) if employee_id else None
    if employee is None:
        raise RuleViolation(_l("Pilih pegawai."), field="pegawai")
    if day is None:
        raise RuleViolation(_l("Tanggal tidak valid."), field="hari")
    entry = db.session.scalar(db.select(RosterEntry).where(
        RosterEntry.counter_id == counter.id, RosterEntry.employee_id == employee.id,
        RosterEntry.day == day))
    if on_duty and entry is None:
        if not employee.active or employee.unit_id != counter.unit_id:
            raise RuleViolation(_l("Hanya pegawai aktif di unit loket ini yang dapat dijadwalkan."),
                                field="pegawai")
        db.session.add(RosterEntry(counter_id=counter.id, employee_id=employee.id, day=day))
        audit.record("roster.added", actor=actor, subject=counter,
                     summary=f"{counter.code} {day.isoformat()} {employee.nip}",
                     employee_id=employee.id, day=day.isoformat())
    elif not on_duty and entry is not None:
        db.session.delete(entry)
        audit.record("roster.removed", actor=actor, subject=counter,
                     summary=f"{counter.code} {day.isoformat()} {employee.nip}",
                     employee_id=employee.id, day=day.isoformat())
    db.session.commit()
    day_count = db.session.scalar(db.select(func.count(RosterEntry.id)).where(
        RosterEntry.counter_id == counter.id, RosterEntry.day == day))
    return Cell(employee, day, on_duty, employee.active and employee.unit_id == counter.unit_id,
                day_count or 0)


def copy_previous_week(actor: User, counter: ServiceCounter, monday: date | None) -> int:
    """Copy last week's roster into the week starting `monday` (this week by default), day by
    day; entries already there stay, and whoever has left the unit is not copied."""
    if not access.can_manage_roster(actor, counter):
        raise NotAllowed
    monday = calendar.week_start(monday or calendar.today_in(counter.unit.time_zone))
    previous = db.session.execute(
        db.select(RosterEntry.employee_id, RosterEntry.day)
        .join(Employee, RosterEntry.employee_id == Employee.id)
        .where(RosterEntry.counter_id == counter.id,
               RosterEntry.day >= monday - timedelta(days=7), RosterEntry.day < monday,
               Employee.active.is_(True), Employee.unit_id == counter.unit_id)).all()
    if not previous:
        raise RuleViolation(_l("Minggu sebelumnya belum ada jadwal untuk disalin."))
    existing = set(db.session.execute(
        db.select(RosterEntry.employee_id, RosterEntry.day)
        .where(RosterEntry.counter_id == counter.id, RosterEntry.day >= monday,
               RosterEntry.day < monday + timedelta(days=7))).all())
    added = 0
    for employee_id, day in previous:
        target = (employee_id, day + timedelta(days=7))
        if target not in existing:
            db.session.add(RosterEntry(counter_id=counter.id, employee_id=employee_id,
                                       day=target[1]))
            added += 1
    audit.record("roster.copied", actor=actor, subject=counter,
                 summary=f"{counter.code} {monday.isoformat()} +{added}",
                 week=monday.isoformat(), added=added)
    db.session.commit()
    return added


# ---------------------------------------------------------------- an employee's satisfaction


@dataclass
class StaffSatisfaction:
    employee_id: int
    date_from: date
    date_to: date
    ratings: int                       # one-tap answers that name the employee
    score_counts: dict[int, int]
    one_tap: Decimal | None            # average face, 1-4
    full_surveys: int                  # of those, answers with all nine SKM elements
    ikm: ikm.Ikm | None                # from the element answers, when there are full surveys
    days_on_duty: int                  # roster days in the period, at any counter
    complaints_on_duty: int            # complaints at those counters on those days
    complaints_naming: int             # complaints whose rating names the employee


def staff_satisfaction(employee: Employee, date_from: date, date_to: date) -> StaffSatisfaction:
    """An employee's citizen-satisfaction figure for a period (inclusive local days).

    From the ratings that name the employee (index ix_ratings_staff_day, so bounded per
    person; HR-excluded ratings left out): the one-tap index with its respondents and, when
    there are complete surveys, the IKM. The complaints are those that arrived at a counter
    on a day the employee was rostered there (in the counter's unit's time zone), and those
    whose rating names them.
    """
    mine = (Rating.staff_id == employee.id, Rating.local_day >= date_from,
            Rating.local_day <= date_to, Rating.excluded.is_(False))
    every_element = and_(*(getattr(Rating, column).is_not(None) for column in ELEMENT_COLUMNS))
    columns = [func.count(Rating.id),
               *(func.sum(case((Rating.score == score, 1), else_=0)) for score in (1, 2, 3, 4)),
               func.sum(case((every_element, 1), else_=0))]
    for column in ELEMENT_COLUMNS:
        columns += [func.sum(getattr(Rating, column)), func.count(getattr(Rating, column))]
    total, s1, s2, s3, s4, full, *elements = db.session.execute(db.select(*columns).where(*mine)).one()
    scores = {1: int(s1 or 0), 2: int(s2 or 0), 3: int(s3 or 0), 4: int(s4 or 0)}
    full = int(full or 0)
    figure = None
    if full:
        sums = {e: int(elements[2 * n] or 0) for n, e in enumerate(ikm.ELEMENTS)}
        counts = {e: int(elements[2 * n + 1] or 0) for n, e in enumerate(ikm.ELEMENTS)}
        weight = ikm_weights.weight_of(ikm_weights.convention_for_range(date_from, date_to))
        figure = ikm.compute(sums, counts, full, weight)

    naming = db.session.scalar(
        db.select(func.count(Complaint.id)).join(Rating, Complaint.rating_id == Rating.id)
        .where(*mine)) or 0
    duty = db.session.execute(
        db.select(RosterEntry.counter_id, RosterEntry.day, Unit.time_zone)
        .join(ServiceCounter, RosterEntry.counter_id == ServiceCounter.id)
        .join(Unit, ServiceCounter.unit_id == Unit.id)
        .where(RosterEntry.employee_id == employee.id, RosterEntry.day >= date_from,
               RosterEntry.day <= date_to)).all()
    on_duty = 0
    if duty:
        shifts = {(counter_id, day) for counter_id, day, _ in duty}
        zones = {counter_id: calendar.zone_info(zone) for counter_id, _, zone in duty}
        # Every zone's local day lies within a day either side of the UTC dates.
        start = datetime.combine(date_from - timedelta(days=1), time(), tzinfo=UTC)
        end = datetime.combine(date_to + timedelta(days=2), time(), tzinfo=UTC)
        arrivals = db.session.execute(
            db.select(Complaint.counter_id, Complaint.received_at)
            .where(Complaint.counter_id.in_(list(zones)), Complaint.received_at >= start,
                   Complaint.received_at < end)).all()
        on_duty = sum(1 for counter_id, received in arrivals
                      if (counter_id, received.astimezone(zones[counter_id]).date()) in shifts)
    return StaffSatisfaction(
        employee_id=employee.id, date_from=date_from, date_to=date_to, ratings=int(total or 0),
        score_counts=scores, one_tap=ikm.one_tap_index(scores), full_surveys=full, ikm=figure,
        days_on_duty=len({day for _, day, _ in duty}), complaints_on_duty=on_duty,
        complaints_naming=naming)


@dataclass
class SatisfactionPage:
    employee: Employee
    figure: StaffSatisfaction | None
    date_from: date
    date_to: date
    today: date
    error: str | None = None
    error_field: str | None = None

    @property
    def presets(self) -> list[tuple[str, date, date]]:
        today = self.today
        return [("30", today - timedelta(days=29), today),
                ("year", date(today.year, 1, 1), today),
                ("last_year", date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))]


def satisfaction_page(user: User, employee: Employee, date_from: date | None,
                      date_to: date | None, malformed: str | None = None) -> SatisfactionPage:
    """The figure for a period (this year so far by default). A period that cannot be used
    comes back with `error` (and the field it belongs to) and no figure; `malformed` names a
    field whose text was not a date."""
    if not access.can_view_performance(user, employee):
        raise NotAllowed
    today = calendar.today_in(employee.time_zone)
    date_from = date_from or date(today.year, 1, 1)
    date_to = date_to or today

    def refused(message, name):
        return SatisfactionPage(employee, None, date_from, date_to, today, message, name)

    if malformed:
        return refused(_l("Tulis tanggal sebagai TTTT-BB-HH."), malformed)
    if date_from > date_to:
        return refused(_l("Tanggal awal harus sebelum tanggal akhir."), "dari")
    if (date_to - date_from).days >= MAX_SATISFACTION_DAYS:
        return refused(_l("Periode paling panjang satu tahun."), "sampai")
    return SatisfactionPage(employee, staff_satisfaction(employee, date_from, date_to),
                            date_from, date_to, today)

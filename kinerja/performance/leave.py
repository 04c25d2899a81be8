"""Leave outside the state's payroll (CLTN, tugas belajar): HR records it with dates; the person
is not appraised for the evaluation points it covers, not reminded or listed as "belum
melapor" on its days, and not counted in the distribution curve for those points.

A point (a month, a quarter) counts as missed only when leave covers every day of it: a person
back on the 10th worked in that month and is appraised for it. The annual evaluation weighs
each plan by the months it covers less the months missed (appraisal/annual.py).
"""
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists

from kinerja.core import audit
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.text import clean_line
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User
from kinerja.performance.models import Leave, LeaveKind

Span = tuple[date, date]
MAX_YEARS = 6  # tugas belajar for a doctorate runs some years; more is a typo


# ------------------------------------------------------------------------- pure rules


def covers(spans: Iterable[Span], first: date, last: date) -> bool:
    """Do the spans together cover every day from `first` to `last`?"""
    day = first
    for start, end in sorted(spans):
        if start > day:
            break
        if end >= day:
            day = end + timedelta(days=1)
        if day > last:
            return True
    return day > last


def month_span(year: int, month: int) -> Span:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), following - timedelta(days=1)


def missed_months(spans: Iterable[Span], year: int) -> set[int]:
    """The months of `year` leave covers entirely."""
    spans = list(spans)
    return {m for m in range(1, 13) if covers(spans, *month_span(year, m))}


# ------------------------------------------------------------------------------- reads


def on_leave(day: date):
    """SQL: the employee (Employee.id in the outer query) is on leave on `day`."""
    return exists().where(Leave.employee_id == Employee.id, Leave.starts_on <= day,
                          Leave.ends_on >= day)


def on_leave_ids(employee_ids: Iterable[int], first: date, last: date | None = None) -> set[int]:
    """Of these employees, those on leave on every day from `first` to `last` (one day when
    `last` is None), in one query."""
    last = last or first
    spans = spans_of(employee_ids, first, last)
    return {e for e, found in spans.items() if covers(found, first, last)}


def spans_of(employee_ids: Iterable[int], first: date, last: date) -> dict[int, list[Span]]:
    """employee id -> their leave spans touching first..last, in one query."""
    ids = list(employee_ids)
    found: dict[int, list[Span]] = defaultdict(list)
    if not ids:
        return found
    for employee_id, start, end in db.session.execute(
            db.select(Leave.employee_id, Leave.starts_on, Leave.ends_on)
            .where(Leave.employee_id.in_(ids), Leave.starts_on <= last, Leave.ends_on >= first)):
        found[employee_id].append((start, end))
    return found


def leave_covering(employee_id_column, first: date, last: date):
    """SQL: a single leave of the employee in `employee_id_column` covers first..last (what the
    reminders filter on; several touching leaves are rare enough to be read in Python)."""
    return exists().where(and_(Leave.employee_id == employee_id_column, Leave.starts_on <= first,
                               Leave.ends_on >= last))


def leaves_of(employee: Employee) -> list[Leave]:
    return db.session.scalars(db.select(Leave).where(Leave.employee_id == employee.id)
                              .order_by(Leave.starts_on.desc())).all()


# ------------------------------------------------------------------------------ changes


def record(actor: User, employee: Employee, *, kind: str | None, starts_on: date | None,
           ends_on: date | None, note: str | None = None) -> Leave:
    if not access.manages_organisation(actor):
        raise NotAllowed
    try:
        kind = LeaveKind(kind)
    except ValueError:
        raise RuleViolation(_l("Pilih jenis cuti."), field="kind") from None
    if starts_on is None:
        raise RuleViolation(_l("Isi tanggal mulai."), field="starts_on")
    if ends_on is None:
        raise RuleViolation(_l("Isi tanggal selesai."), field="ends_on")
    if ends_on < starts_on:
        raise RuleViolation(_l("Tanggal selesai tidak boleh sebelum tanggal mulai."),
                            field="ends_on")
    if (ends_on - starts_on).days > 366 * MAX_YEARS:
        raise RuleViolation(_l("Paling lama %(n)s tahun.", n=MAX_YEARS), field="ends_on")
    if db.session.scalar(db.select(Leave.id).where(
            Leave.employee_id == employee.id, Leave.starts_on <= ends_on,
            Leave.ends_on >= starts_on).limit(1)):
        raise RuleViolation(_l("Sudah ada cuti yang beririsan dengan tanggal ini."),
                            field="starts_on")
    note = clean_line(note, "note", 500) if note and note.strip() else None
    leave = Leave(employee=employee, kind=kind, starts_on=starts_on, ends_on=ends_on, note=note,
                  recorded_by_id=actor.id)
    db.session.add(leave)
    db.session.flush()
    audit.record("leave.recorded", actor=actor, subject=leave, summary=employee.name,
                 kind=kind.value, starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat())
    db.session.commit()
    return leave


def remove(actor: User, leave: Leave) -> None:
    if not access.manages_organisation(actor):
        raise NotAllowed
    audit.record("leave.removed", actor=actor, subject=leave, summary=leave.employee.name,
                 starts_on=leave.starts_on.isoformat(), ends_on=leave.ends_on.isoformat())
    db.session.delete(leave)
    db.session.commit()

"""Keeping the chain of authority: the admin records who the PPK is (a person without a NIP,
with a title and a term of office), HR records Plt/Plh, and HR is warned where the chart puts
an appraiser at or below the person they appraise. The rules of who appraises whom are in
organisation/authority.py."""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from kinerja.core import audit
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.text import clean_line
from kinerja.extensions import db
from kinerja.organisation import access, authority
from kinerja.organisation.asn import Jenjang, PositionKind
from kinerja.organisation.models import (
    ActingKind,
    ActingOfficial,
    Employee,
    Position,
    PpkTerm,
    Unit,
    User,
)
from kinerja.organisation.tree import MAX_DEPTH, unit_and_ancestors

MAX_NAME = 200

# ------------------------------------------------------------------------------------ the PPK


@dataclass
class PpkPage:
    current: PpkTerm | None
    terms: list[PpkTerm]
    today: date


def ppk_page(actor: User) -> PpkPage:
    if not access.manages_ppk(actor):
        raise NotAllowed
    today = authority.today_for(actor.employee)
    terms = db.session.scalars(db.select(PpkTerm).options(db.joinedload(PpkTerm.employee))
                               .order_by(PpkTerm.starts_on.desc(), PpkTerm.id.desc())).all()
    return PpkPage(authority.ppk_term_on(today), list(terms), today)


def _position(name: str) -> Position:
    found = db.session.scalar(db.select(Position).where(Position.name == name))
    if found is None:
        found = Position(name=name)
        db.session.add(found)
    return found


def set_ppk(actor: User, name: str | None, title: str | None, starts_on: date | None,
            ends_on: date | None) -> PpkTerm:
    """Record a term of the PPK: a new person (no NIP, no unit, no supervisor) or the same
    person again when the name matches a PPK already recorded (re-elected). The term before it
    that is still open ends the day before this one starts."""
    if not access.manages_ppk(actor):
        raise NotAllowed
    name = clean_line(name, "name", MAX_NAME)
    title = clean_line(title, "title", MAX_NAME)
    if starts_on is None:
        raise RuleViolation(_l("Isi awal masa jabatan."), field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise RuleViolation(_l("Akhir masa jabatan tidak boleh sebelum awalnya."), field="ends_on")
    person = db.session.scalar(db.select(Employee).where(Employee.is_ppk.is_(True),
                                                         Employee.name == name))
    if person is None:
        person = Employee(name=name, nip=None, is_ppk=True)
        db.session.add(person)
    person.position = _position(title)
    for earlier in db.session.scalars(db.select(PpkTerm).where(
            PpkTerm.starts_on < starts_on, PpkTerm.ends_on.is_(None))):
        earlier.ends_on = date.fromordinal(starts_on.toordinal() - 1)
    term = PpkTerm(employee=person, title=title, starts_on=starts_on, ends_on=ends_on,
                   set_by_id=actor.id)
    db.session.add(term)
    db.session.flush()
    audit.record("ppk.set", actor=actor, subject=term, summary=f"{name}, {title}",
                 starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat() if ends_on else None)
    db.session.commit()
    return term


# ------------------------------------------------------------------------------------ Plt/Plh


def acting_officials(actor: User) -> list[ActingOfficial]:
    if not access.manages_acting_officials(actor):
        raise NotAllowed
    return list(db.session.scalars(
        db.select(ActingOfficial)
        .options(db.joinedload(ActingOfficial.employee), db.joinedload(ActingOfficial.replaces),
                 db.joinedload(ActingOfficial.unit))
        .order_by(ActingOfficial.ends_on.desc(), ActingOfficial.id.desc())))


def add_acting(actor: User, *, employee_id: int | None, kind: str | None, unit_id: int | None,
               replaces_id: int | None, starts_on: date | None, ends_on: date | None,
               note: str | None = None) -> ActingOfficial:
    """HR records that an employee acts (Plt/Plh) as head of a unit or in place of someone."""
    if not access.manages_acting_officials(actor):
        raise NotAllowed
    employee = db.session.get(Employee, employee_id) if employee_id else None
    if employee is None or employee.is_ppk or not employee.active:
        raise RuleViolation(_l("Pilih pegawai yang menjadi Plt/Plh."), field="employee")
    try:
        acting_kind = ActingKind(kind)
    except ValueError:
        raise RuleViolation(_l("Pilih Plt atau Plh."), field="kind") from None
    unit = db.session.get(Unit, unit_id) if unit_id else None
    replaces = db.session.get(Employee, replaces_id) if replaces_id else None
    if unit is None and replaces is None:
        raise RuleViolation(_l("Pilih unit yang dipimpin atau pejabat yang digantikan."),
                            field="unit")
    if replaces is not None and replaces.id == employee.id:
        raise RuleViolation(_l("Pegawai tidak bisa menggantikan dirinya sendiri."), field="replaces")
    if starts_on is None or ends_on is None:
        raise RuleViolation(_l("Isi tanggal mulai dan selesai."), field="starts_on")
    if ends_on < starts_on:
        raise RuleViolation(_l("Tanggal selesai tidak boleh sebelum tanggal mulai."),
                            field="ends_on")
    record = ActingOfficial(employee=employee, kind=acting_kind, unit=unit, replaces=replaces,
                            starts_on=starts_on, ends_on=ends_on,
                            note=" ".join((note or "").split())[:500] or None, created_by_id=actor.id)
    db.session.add(record)
    db.session.flush()
    audit.record("acting.added", actor=actor, subject=record,
                 summary=f"{employee.name}: {authority.acting_title(record)}",
                 starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat())
    db.session.commit()
    return record


def remove_acting(actor: User, record: ActingOfficial) -> None:
    if not access.manages_acting_officials(actor):
        raise NotAllowed
    audit.record("acting.removed", actor=actor, subject=record,
                 summary=f"{record.employee.name}: {authority.acting_title(record)}")
    db.session.delete(record)
    db.session.commit()


# ------------------------------------------------------------------------ the hierarchy check


# How high a post stands, by jenis jabatan and, for a fungsional, jenjang (the equivalences of
# the penyetaraan jabatan: administrator ~ ahli madya, pengawas ~ ahli muda).
KIND_LEVEL = {PositionKind.JPT_UTAMA: 9, PositionKind.JPT_MADYA: 8, PositionKind.JPT_PRATAMA: 7,
              PositionKind.ADMINISTRATOR: 6, PositionKind.PENGAWAS: 5, PositionKind.PELAKSANA: 3}
JENJANG_LEVEL = {Jenjang.AHLI_UTAMA: 7, Jenjang.AHLI_MADYA: 6, Jenjang.AHLI_MUDA: 5,
                 Jenjang.AHLI_PERTAMA: 4, Jenjang.PENYELIA: 4, Jenjang.MAHIR: 3,
                 Jenjang.TERAMPIL: 3, Jenjang.PEMULA: 3}


def level_of(employee: Employee) -> int | None:
    """The post's level, or None when HR has not recorded the jenis jabatan (or jenjang)."""
    if employee.position_kind is PositionKind.FUNGSIONAL:
        return JENJANG_LEVEL.get(employee.jenjang)
    return KIND_LEVEL.get(employee.position_kind)


@dataclass(frozen=True)
class ChartWarning:
    employee: Employee
    appraiser: Employee | None
    reason: str


def chart_warnings(actor: User) -> list[ChartWarning]:
    """Where the chart breaks "the appraiser holds a higher post than the appraised":
    a supervisor whose jenis jabatan is not above the employee's (when both are recorded);
    an employee heading a unit at or above their supervisor's; a supervisor chain that loops
    or runs through an inactive supervisor; and someone without a supervisor who heads no top
    unit (the PPK would appraise them: usually a supervisor not yet filled in)."""
    if not access.manages_acting_officials(actor):
        raise NotAllowed
    people = db.session.scalars(
        db.select(Employee).where(Employee.active.is_(True), Employee.is_ppk.is_(False))
        .options(db.joinedload(Employee.supervisor), db.joinedload(Employee.unit),
                 db.joinedload(Employee.position))
        .order_by(Employee.name)).all()
    units = {u.id: u for u in db.session.scalars(db.select(Unit))}
    top_heads = {u.head_id for u in units.values() if u.parent_id is None and u.head_id}
    warnings = []
    for person in people:
        boss = person.supervisor
        if boss is None:
            if person.id not in top_heads:
                warnings.append(ChartWarning(person, None, str(_l(
                    "Tanpa atasan langsung dan tidak memimpin unit teratas: akan dinilai "
                    "langsung oleh PPK. Isi atasannya bila ini keliru."))))
            continue
        if not boss.active:
            warnings.append(ChartWarning(person, boss, str(_l("Atasan langsung sudah tidak aktif."))))
        if _loops(person):
            warnings.append(ChartWarning(person, boss, str(_l(
                "Rantai atasan berputar kembali ke pegawai ini."))))
            continue
        if boss.unit is not None and any(u.head_id == person.id
                                         for u in unit_and_ancestors(boss.unit)):
            warnings.append(ChartWarning(person, boss, str(_l(
                "Pegawai memimpin unit atasannya (atau unit di atasnya): penilai lebih rendah "
                "dari yang dinilai."))))
            continue
        # Equal kinds are told apart by the chart: the Sekda and a head of OPD are both JPT
        # Pratama (eselon II.a and II.b, which is not recorded), and the Sekda heads the unit
        # above the dinas.
        mine, theirs = level_of(person), level_of(boss)
        if mine is not None and theirs is not None and (
                theirs < mine or (theirs == mine and not access.heads(boss, person.unit))):
            warnings.append(ChartWarning(person, boss, str(_l(
                "Jenis jabatan atasan (%(boss)s) tidak lebih tinggi dari pegawai (%(own)s).",
                boss=_kind_label(boss), own=_kind_label(person)))))
    return warnings


def _kind_label(employee: Employee) -> str:
    label = str(employee.position_kind.label) if employee.position_kind else ""
    if employee.jenjang is not None:
        label = f"{label} {employee.jenjang.label}".strip()
    return label


def _loops(person: Employee) -> bool:
    current, depth = person.supervisor, 0
    while current is not None and depth < MAX_DEPTH:
        if current.id == person.id:
            return True
        current, depth = current.supervisor, depth + 1
    return False


def acting_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The people (active ASN) and the units the Plt/Plh form offers."""
    people = db.session.execute(
        db.select(Employee.id, Employee.name, Position.name)
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(Employee.active.is_(True), Employee.is_ppk.is_(False))
        .order_by(Employee.name)).all()
    units = db.session.execute(db.select(Unit.id, Unit.name).where(Unit.active.is_(True))
                               .order_by(Unit.name)).all()
    return ([(i, f"{name} — {position}" if position else name) for i, name, position in people],
            [(i, name) for i, name in units])

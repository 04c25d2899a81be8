"""Disciplinary sanctions (hukuman disiplin, PP 94/2021) as HR records them from the decree:
the employee, the level (ringan, sedang, berat), the day it was imposed, the span it affects and
a note. They keep the employee out of award rankings over that span
(kinerja.recognition.eligibility). A wrong entry is revoked with a reason, not deleted; both
steps are audited. Only HR reads or writes them."""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from kinerja.appraisal.models import DisciplinarySanction, SanctionLevel
from kinerja.core import audit
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User

MAX_NOTE = 2000
MAX_REASON = 300
MAX_SPAN_DAYS = 5 * 366  # the longest punishments run a year or so; five years is a typo


@dataclass
class SanctionInput:
    nip: str | None
    level: str | None
    imposed_on: date | None
    effective_from: date | None
    effective_to: date | None
    note: str | None


def _require(actor: User) -> None:
    if not access.manages_sanctions(actor):
        raise NotAllowed


def sanction_list(actor: User) -> list[DisciplinarySanction]:
    _require(actor)
    return list(db.session.scalars(
        db.select(DisciplinarySanction)
        .options(db.joinedload(DisciplinarySanction.employee).joinedload(Employee.unit),
                 db.joinedload(DisciplinarySanction.recorded_by))
        .order_by(DisciplinarySanction.effective_to.desc(), DisciplinarySanction.id.desc())))


def record(actor: User, data: SanctionInput) -> DisciplinarySanction:
    _require(actor)
    digits = "".join((data.nip or "").split())
    employee = db.session.scalar(db.select(Employee).where(Employee.nip == digits)) if digits else None
    if employee is None:
        raise RuleViolation(_l("Pegawai dengan NIP itu tidak ditemukan."), "nip")
    levels = {level.value: level for level in SanctionLevel}
    if data.level not in levels:
        raise RuleViolation(_l("Pilih tingkat hukuman disiplin."), "level")
    if data.imposed_on is None:
        raise RuleViolation(_l("Isi tanggal hukuman ditetapkan."), "imposed_on")
    if data.effective_from is None or data.effective_to is None:
        raise RuleViolation(_l("Isi masa berlaku hukuman (dari dan sampai)."), "effective_from")
    if data.effective_from > data.effective_to:
        raise RuleViolation(_l("Masa berlaku: tanggal mulai harus sebelum tanggal selesai."),
                            "effective_to")
    if (data.effective_to - data.effective_from).days > MAX_SPAN_DAYS:
        raise RuleViolation(_l("Masa berlaku lebih dari lima tahun: periksa tanggalnya."),
                            "effective_to")
    if data.effective_from < data.imposed_on:
        raise RuleViolation(_l("Masa berlaku tidak dapat mulai sebelum hukuman ditetapkan."),
                            "effective_from")
    note = (data.note or "").strip()
    if len(note) > MAX_NOTE:
        raise RuleViolation(_l("Catatan paling panjang %(n)s karakter.", n=MAX_NOTE), "note")
    sanction = DisciplinarySanction(
        employee=employee, level=levels[data.level], imposed_on=data.imposed_on,
        effective_from=data.effective_from, effective_to=data.effective_to, note=note or None,
        recorded_by_id=actor.id, recorded_at=utcnow())
    db.session.add(sanction)
    db.session.flush()
    audit.record("sanction.recorded", actor=actor, subject=sanction, summary=employee.name,
                 employee_id=employee.id, level=sanction.level.value,
                 imposed_on=data.imposed_on.isoformat(),
                 effective_from=data.effective_from.isoformat(),
                 effective_to=data.effective_to.isoformat(), note=sanction.note)
    db.session.commit()
    return sanction


def revoke(actor: User, sanction: DisciplinarySanction, reason: str | None) -> DisciplinarySanction:
    """An entry made in error (or a punishment annulled on appeal) stops counting."""
    _require(actor)
    if sanction.is_revoked:
        raise RuleViolation(_l("Catatan hukuman ini sudah dibatalkan."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("Tuliskan alasan pembatalan."), "reason")
    if len(reason) > MAX_REASON:
        raise RuleViolation(_l("Alasan paling panjang %(n)s karakter.", n=MAX_REASON), "reason")
    sanction.revoked_at, sanction.revoked_by_id, sanction.revoke_reason = utcnow(), actor.id, reason
    audit.record("sanction.revoked", actor=actor, subject=sanction, summary=sanction.employee.name,
                 employee_id=sanction.employee_id, reason=reason)
    db.session.commit()
    return sanction


def sanctions_in(employee_ids: list[int], start: date, end: date
                 ) -> dict[int, list[DisciplinarySanction]]:
    """Per employee, the standing (not revoked) sanctions whose span meets [start, end]. One
    query; for the award ranking, which HR alone reads."""
    if not employee_ids:
        return {}
    found: dict[int, list[DisciplinarySanction]] = {}
    for sanction in db.session.scalars(
            db.select(DisciplinarySanction)
            .where(DisciplinarySanction.employee_id.in_(employee_ids),
                   DisciplinarySanction.revoked_at.is_(None),
                   DisciplinarySanction.effective_from <= end,
                   DisciplinarySanction.effective_to >= start)
            .order_by(DisciplinarySanction.effective_from)):
        found.setdefault(sanction.employee_id, []).append(sanction)
    return found

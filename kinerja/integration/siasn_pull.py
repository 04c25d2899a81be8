"""Master data from SIASN: an employee's (or a unit's employees') name, status, pangkat/golongan
with its TMT, jabatan, jenis jabatan and jenjang, and unit, read from BKN's data utama by NIP and
compared with ours. What differs waits as one row per field for HR to accept or reject, as the
employee import's preview does; nothing changes until HR accepts it.

SIASN's data utama fields read here (the public SDKs name them; see README "SIASN"): nama,
gelarDepan, gelarBelakang, statusPegawai / jenisPegawaiNama, golRuangAkhir, tmtGolAkhir
(dd-mm-yyyy), jabatanNama, jenisJabatan, eselon, unorId.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from kinerja.core import audit, jobs
from kinerja.core.errors import RuleViolation
from kinerja.core.jobs import Job, Progress, Result
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.integration import siasn
from kinerja.integration.models import (
    ChangeDecision,
    SiasnChange,
    SiasnPerson,
    SiasnPull,
    SiasnReference,
)
from kinerja.organisation import access, org, tree
from kinerja.organisation.asn import AsnStatus, Jenjang, PositionKind, Rank, parse_jenjang, parse_rank
from kinerja.organisation.models import Employee, Position, Unit, User
from kinerja.organisation.nip import normalise_nip

FIELDS = {
    "name": _l("Nama"),
    "asn_status": _l("Status kepegawaian"),
    "rank": _l("Pangkat/golongan"),
    "rank_tmt": _l("TMT pangkat/golongan"),
    "position": _l("Jabatan"),
    "position_kind": _l("Jenis jabatan"),
    "jenjang": _l("Jenjang"),
    "unit": _l("Unit kerja"),
}
# Eselon of a jabatan struktural -> jenis jabatan (UU 20/2023 maps eselon II to JPT pratama,
# III to administrator, IV to pengawas; eselon I is JPT madya in a province or ministry).
ESELON_KINDS = {"I": PositionKind.JPT_MADYA, "II": PositionKind.JPT_PRATAMA,
                "III": PositionKind.ADMINISTRATOR, "IV": PositionKind.PENGAWAS}


# ---------------------------------------------------------------- SIASN's words -> ours


def full_name(data: dict) -> str | None:
    name = " ".join(str(data.get("nama") or "").split())
    if not name:
        return None
    front, back = (str(data.get(key) or "").strip() for key in ("gelarDepan", "gelarBelakang"))
    return f"{front + ' ' if front else ''}{name}{', ' + back if back else ''}"


def status_of(data: dict) -> AsnStatus | None:
    text = f"{data.get('statusPegawai') or ''} {data.get('jenisPegawaiNama') or ''}".upper()
    if "PPPK" in text:
        return AsnStatus.PPPK
    if "PNS" in text:
        return AsnStatus.PNS
    return None


def siasn_date(text) -> date | None:
    """SIASN writes dates as dd-mm-yyyy (sometimes yyyy-mm-dd)."""
    for layout in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(str(text or "").strip(), layout).date()
        except ValueError:
            continue
    return None


def position_kind_of(data: dict) -> PositionKind | None:
    kind = str(data.get("jenisJabatan") or "").lower()
    if "fungsional tertentu" in kind or kind == "fungsional":
        return PositionKind.FUNGSIONAL
    if "fungsional umum" in kind or "pelaksana" in kind:
        return PositionKind.PELAKSANA
    if "struktural" in kind:
        level = re.match(r"\s*(IV|III|II|I)\b", str(data.get("eselon") or "").upper())
        return ESELON_KINDS.get(level.group(1)) if level else None
    return None


def jenjang_of(data: dict, kind: PositionKind | None) -> Jenjang | None:
    """A fungsional's jenjang, from the end of the jabatan's name ("Guru Ahli Muda")."""
    if kind is not PositionKind.FUNGSIONAL:
        return None
    title = str(data.get("jabatanNama") or "")
    for jenjang in sorted(Jenjang, key=lambda j: -len(str(j.label))):
        if title.lower().endswith(str(jenjang.label).lower()):
            return jenjang
    return parse_jenjang(title)


def proposed_values(data: dict, units_by_unor: dict[str, Unit]) -> tuple[dict[str, object], list[str]]:
    """SIASN's data utama as our fields (None where SIASN says nothing we can read), and notes
    in words for what could not be placed."""
    notes = []
    rank = parse_rank(str(data.get("golRuangAkhir") or "")) if data.get("golRuangAkhir") else None
    if data.get("golRuangAkhir") and rank is None:
        notes.append(str(_l("golongan %(text)s tidak dikenal", text=data["golRuangAkhir"])))
    kind = position_kind_of(data)
    unit = None
    unor = str(data.get("unorId") or "")
    if unor:
        unit = units_by_unor.get(unor)
        if unit is None:
            notes.append(str(_l("unor %(name)s (%(id)s) belum dipetakan ke unit kerja",
                                name=data.get("unorNama") or "", id=unor)))
    return {
        "name": full_name(data),
        "asn_status": status_of(data) or (rank.status if rank else None),
        "rank": rank,
        "rank_tmt": siasn_date(data.get("tmtGolAkhir")),
        "position": " ".join(str(data.get("jabatanNama") or "").split()) or None,
        "position_kind": kind,
        "jenjang": jenjang_of(data, kind),
        "unit": unit,
    }, notes


def current_values(employee: Employee) -> dict[str, object]:
    return {"name": employee.name, "asn_status": employee.asn_status, "rank": employee.rank,
            "rank_tmt": employee.rank_tmt, "position": employee.position_name or None,
            "position_kind": employee.position_kind, "jenjang": employee.jenjang,
            "unit": employee.unit}


def stored(value) -> str | None:
    """A value as a change row keeps it."""
    if value is None:
        return None
    if isinstance(value, Unit):
        return str(value.id)
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Unit):
        return value.name
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(getattr(value, "label", value))


# ---------------------------------------------------------------- pulling


def pull(actor: User | None, bkn: siasn.Client, employees: list[Employee], scope: str) -> SiasnPull:
    """Compare each employee with SIASN; the pull holds a change row per field that differs."""
    units_by_unor = {unit.siasn_unor_id: unit for unit in db.session.scalars(
        db.select(Unit).where(Unit.siasn_unor_id.is_not(None)))}
    result = SiasnPull(scope=scope[:120], started_by_id=actor.id if actor else None, notes=[])
    db.session.add(result)
    db.session.commit()  # before the calls: a write must not wait on the network
    notes, changes = [], []
    for employee in employees:
        try:
            data = bkn.data_utama(employee.nip) or {}
        except siasn.SiasnNotFound:
            notes.append(str(_l("%(name)s (%(nip)s): tidak ditemukan di SIASN",
                                name=employee.name, nip=employee.nip)))
            continue
        result.checked += 1
        if data.get("id") and db.session.get(SiasnPerson, employee.id) is None:
            db.session.add(SiasnPerson(employee_id=employee.id, siasn_id=str(data["id"])))
        proposed, found_notes = proposed_values(data, units_by_unor)
        notes += [f"{employee.name} ({employee.nip}): {note}" for note in found_notes]
        current = current_values(employee)
        for field in FIELDS:
            if proposed[field] is None or stored(proposed[field]) == stored(current[field]):
                continue
            changes.append(SiasnChange(pull_id=result.id, employee_id=employee.id, field=field,
                                       current=stored(current[field]), proposed=stored(proposed[field]),
                                       current_text=shown(current[field])[:300],
                                       proposed_text=shown(proposed[field])[:300]))
            db.session.add(changes[-1])
        db.session.commit()
    result.notes = notes
    audit.record("siasn.pulled", actor=actor, subject=result, summary=result.scope,
                 checked=result.checked, changes=len(changes))
    db.session.commit()
    return result


def pull_nip(actor: User | None, nip: str) -> SiasnPull:
    """Pull one employee by NIP (typed by HR)."""
    nip = normalise_nip(nip)
    if not nip:
        raise RuleViolation(_l("Isi NIP atau pilih unit."))
    employee = db.session.scalar(db.select(Employee).where(Employee.nip == nip))
    if employee is None:
        raise RuleViolation(_l("Tidak ada pegawai dengan NIP %(nip)s di Kinerja.", nip=nip))
    with _client() as bkn:
        return pull(actor, bkn, [employee], f"NIP {nip}")


def pull_unit(actor: User | None, unit: Unit) -> SiasnPull:
    with _client() as bkn:
        return pull(actor, bkn, employees_of(unit), str(_l("unit %(name)s", name=unit.name)))


def _client() -> siasn.Client:
    from kinerja.integration.siasn_outbox import client  # noqa: PLC0415 (one client recipe)
    made = client()
    if made is None:
        raise RuleViolation(_l("SIASN belum dikonfigurasi."))
    return made


def employees_of(unit: Unit) -> list[Employee]:
    """The active employees of a unit and the units below it."""
    unit_ids = tree.subtree_ids(unit)
    return list(db.session.scalars(db.select(Employee).where(
        Employee.unit_id.in_(unit_ids), Employee.active, Employee.nip.is_not(None))
        .order_by(Employee.name)))


# ---------------------------------------------------------------- deciding


class Stale(RuleViolation):
    """Our value changed after the pull: the row no longer says what it would change."""


def accept(actor: User, change: SiasnChange) -> None:
    _decidable(change)
    employee = change.employee
    if stored(current_values(employee)[change.field]) != change.current:
        raise Stale(_l("Data %(name)s sudah berubah sejak ditarik dari SIASN: tarik ulang.",
                       name=employee.name))
    _apply(employee, change.field, change.proposed)
    change.decision, change.decided_by_id, change.decided_at = ChangeDecision.ACCEPTED, actor.id, utcnow()
    audit.record("siasn.accepted", actor=actor, subject=employee,
                 summary=f"{FIELDS[change.field]}: {change.current_text} → {change.proposed_text}",
                 field=change.field)
    db.session.commit()


def reject(actor: User, change: SiasnChange) -> None:
    _decidable(change)
    change.decision, change.decided_by_id, change.decided_at = ChangeDecision.REJECTED, actor.id, utcnow()
    audit.record("siasn.rejected", actor=actor, subject=change.employee,
                 summary=f"{FIELDS[change.field]}: {change.proposed_text}", field=change.field)
    db.session.commit()


def _decidable(change: SiasnChange) -> None:
    if change.decision is not ChangeDecision.PENDING:
        raise RuleViolation(_l("Perubahan ini sudah diputuskan."))


def _apply(employee: Employee, field: str, value: str) -> None:
    if field == "name":
        employee.name = value
    elif field == "asn_status":
        employee.asn_status = AsnStatus(value)
    elif field == "rank":
        employee.rank = Rank(value)
    elif field == "rank_tmt":
        employee.rank_tmt = date.fromisoformat(value)
    elif field == "position":
        employee.position = db.session.scalar(db.select(Position).filter_by(name=value)) \
            or Position(name=value)
    elif field == "position_kind":
        employee.position_kind = PositionKind(value)
    elif field == "jenjang":
        employee.jenjang = Jenjang(value)
    elif field == "unit":
        employee.unit = db.session.get(Unit, int(value))
    else:
        raise RuleViolation(_l("Kolom tidak dikenal."))


def accept_all(actor: User, pull_record: SiasnPull) -> tuple[int, int]:
    """Accept every pending row of a pull; (accepted, skipped because our data changed)."""
    accepted = stale = 0
    for change in pending_changes(pull_record):
        try:
            accept(actor, change)
        except Stale:
            db.session.rollback()
            stale += 1
        else:
            accepted += 1
    return accepted, stale


def pending_changes(pull_record: SiasnPull) -> list[SiasnChange]:
    return [change for change in pull_record.changes if change.decision is ChangeDecision.PENDING]


def recent_pulls(limit: int = 20) -> list[SiasnPull]:
    return list(db.session.scalars(db.select(SiasnPull).order_by(SiasnPull.id.desc()).limit(limit)))


def units_for_mapping() -> list[tuple[Unit, str]]:
    """Every unit with its indented label, in the tree's order."""
    units = {unit.id: unit for unit in db.session.scalars(db.select(Unit))}
    return [(units[unit_id], label) for unit_id, label in org.unit_choices()]


def known_unor() -> list[dict]:
    """SIASN's unor list as last read (reference "unor"), for choosing a unit's unor."""
    kept = db.session.get(SiasnReference, "unor")
    return list(kept.items) if kept is not None else []


def map_unit(actor: User, unit: Unit, unor_id: str) -> None:
    """HR names the SIASN unor of a unit, once (blank clears it)."""
    unor_id = unor_id.strip()
    if unor_id:
        taken = db.session.scalar(db.select(Unit).where(Unit.siasn_unor_id == unor_id, Unit.id != unit.id))
        if taken is not None:
            raise RuleViolation(_l("Unor itu sudah dipetakan ke %(unit)s.", unit=taken.name))
    unit.siasn_unor_id = unor_id or None
    audit.record("siasn.unor_mapped", actor=actor, subject=unit, summary=unor_id or "—")
    db.session.commit()


def _pull_job(job: Job, progress: Progress) -> Result:
    unit = db.session.get(Unit, job.params["unit_id"])
    if unit is None:
        raise RuleViolation(_l("Unit itu tidak ada lagi."))
    actor = db.session.get(User, job.user_id) if job.user_id else None
    found = pull_unit(actor, unit)
    return Result(message=str(_l("%(checked)s pegawai dibandingkan, %(n)s perubahan menunggu keputusan.",
                                 checked=found.checked, n=len(found.changes))),
                  outcome={"siasn_pull_id": found.id})


PULL_JOB = "siasn_pull"
jobs.define(PULL_JOB, _l("Tarik data pegawai dari SIASN"), _pull_job,
            lambda user, job: access.manages_siasn(user) and job.user_id == user.id)

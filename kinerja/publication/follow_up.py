"""The rencana tindak lanjut (RTL) of a published IKM (PermenPANRB 14/2017): per SKM element to
improve, the programme, its time frame and who is responsible; published with the results once
HR approves it, then followed by each row's realisation.

The steps: the unit's head (or HR) writes rows and a note as a draft and submits it; HR approves
(a draft HR wrote itself too) or returns it with a reason. An approved plan keeps its programme;
from then on only each row's status and realisation change. Every step is audited.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from kinerja.core import audit
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback import ikm
from kinerja.organisation import access
from kinerja.organisation.models import User
from kinerja.publication.models import (
    ActionStatus,
    FollowUpAction,
    FollowUpPlan,
    IkmPublication,
    PublicationStatus,
    StatementStatus,
)

MAX_NOTE = 2000
MAX_PROGRAMME = 1000
MAX_RESPONSIBLE = 200
MAX_REALISATION = 2000
MAX_REASON = 300
MAX_ROWS = 30


@dataclass
class ActionInput:
    element: str | None
    programme: str | None
    starts_on: date | None
    due_on: date | None
    responsible: str | None


def element_choices() -> list[tuple[str, str]]:
    """The nine elements, by code and name (the code alone is ambiguous: the questionnaire and
    the regulation's list order U8 and U9 differently)."""
    return [(code, f"{code} {name}") for code, name in ikm.ELEMENT_NAMES.items()]


def element_names() -> dict[str, str]:
    return dict(ikm.ELEMENT_NAMES)


# ---------------------------------------------------------------- reading


def follow_up_publications(actor: User) -> list[IkmPublication]:
    """The published IKM of the units the actor heads (and those below them)."""
    unit_ids = access.headed_unit_ids(actor.employee)
    if not unit_ids:
        return []
    return list(db.session.scalars(
        db.select(IkmPublication).options(db.joinedload(IkmPublication.unit),
                                          db.joinedload(IkmPublication.plan))
        .where(IkmPublication.unit_id.in_(unit_ids),
               IkmPublication.status == PublicationStatus.PUBLISHED)
        .order_by(IkmPublication.end.desc(), IkmPublication.id.desc())))


def pending_plans() -> list[FollowUpPlan]:
    """Plans submitted to HR, oldest first, with their rows."""
    return list(db.session.scalars(
        db.select(FollowUpPlan)
        .options(db.joinedload(FollowUpPlan.publication).joinedload(IkmPublication.unit),
                 db.selectinload(FollowUpPlan.actions))
        .where(FollowUpPlan.status == StatementStatus.SUBMITTED)
        .order_by(FollowUpPlan.updated_at)).unique())


def approved_plan(publication: IkmPublication) -> FollowUpPlan | None:
    """What the public sees: the plan once approved, otherwise nothing."""
    plan = publication.plan
    return plan if plan is not None and plan.is_approved else None


def approved_plans_of_unit(unit, start: date, end: date) -> list[FollowUpPlan]:
    """Approved plans of the unit's publications whose period overlaps [start, end] (the IKM
    report's PDF prints them), newest period first; none for a report of no single unit."""
    if unit is None:
        return []
    unit_id = unit.id
    return list(db.session.scalars(
        db.select(FollowUpPlan).join(IkmPublication, FollowUpPlan.publication_id == IkmPublication.id)
        .options(db.contains_eager(FollowUpPlan.publication), db.selectinload(FollowUpPlan.actions))
        .where(IkmPublication.unit_id == unit_id,
               IkmPublication.status == PublicationStatus.PUBLISHED,
               IkmPublication.start <= end, IkmPublication.end >= start,
               FollowUpPlan.status == StatementStatus.APPROVED)
        .order_by(IkmPublication.end.desc())))


# ---------------------------------------------------------------- writing the plan


def _require_writer(actor: User, publication: IkmPublication) -> None:
    if not access.can_write_follow_up(actor, publication.unit):
        raise NotAllowed
    if not publication.is_published:
        raise RuleViolation(_l("Publikasi ini sudah ditarik."))


def _editable_plan(actor: User, publication: IkmPublication) -> FollowUpPlan:
    """The publication's plan, made when missing; refused once approved. Editing a submitted
    plan takes it back to draft, so HR never approves something that changed under them."""
    _require_writer(actor, publication)
    plan = publication.plan
    if plan is None:
        plan = FollowUpPlan(publication=publication, author_id=actor.employee_id,
                            status=StatementStatus.DRAFT)
        db.session.add(plan)
    elif plan.is_approved:
        raise RuleViolation(_l("Rencana tindak lanjut sudah disetujui; yang masih dapat diubah "
                               "hanya status dan realisasi tiap baris."))
    plan.status = StatementStatus.DRAFT if plan.status == StatementStatus.SUBMITTED else plan.status
    plan.author_id = actor.employee_id
    plan.updated_at = utcnow()
    return plan


def _text(value: str | None, limit: int, field: str, missing) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleViolation(missing, field)
    if len(value) > limit:
        raise RuleViolation(_l("Paling panjang %(n)s karakter.", n=limit), field)
    return value


def check_action(data: ActionInput, publication: IkmPublication) -> ActionInput:
    """The row's fields, cleaned; a RuleViolation names the field that is wrong."""
    if data.element not in ikm.ELEMENT_NAMES:
        raise RuleViolation(_l("Pilih unsur pelayanan yang diperbaiki."), "element")
    programme = _text(data.programme, MAX_PROGRAMME, "programme",
                      _l("Tuliskan program atau kegiatan perbaikannya."))
    if data.due_on is None:
        raise RuleViolation(_l("Isi tanggal target selesai."), "due_on")
    if data.starts_on is not None and data.starts_on > data.due_on:
        raise RuleViolation(_l("Tanggal mulai harus sebelum tanggal target."), "starts_on")
    if data.due_on <= publication.end:
        raise RuleViolation(_l("Target selesai harus sesudah periode survei berakhir (%(day)s).",
                               day=publication.end.isoformat()), "due_on")
    responsible = _text(data.responsible, MAX_RESPONSIBLE, "responsible",
                        _l("Tuliskan penanggung jawabnya (unit atau jabatan)."))
    return ActionInput(data.element, programme, data.starts_on, data.due_on, responsible)


def _row_summary(action: FollowUpAction) -> dict:
    return {"element": action.element, "programme": action.programme,
            "starts_on": action.starts_on.isoformat() if action.starts_on else None,
            "due_on": action.due_on.isoformat(), "responsible": action.responsible}


def add_action(actor: User, publication: IkmPublication, data: ActionInput) -> FollowUpAction:
    plan = _editable_plan(actor, publication)
    if len(plan.actions) >= MAX_ROWS:
        raise RuleViolation(_l("Paling banyak %(n)s baris.", n=MAX_ROWS))
    clean = check_action(data, publication)
    action = FollowUpAction(element=clean.element, programme=clean.programme,
                            starts_on=clean.starts_on, due_on=clean.due_on,
                            responsible=clean.responsible, status=ActionStatus.PLANNED)
    plan.actions.append(action)
    db.session.flush()
    audit.record("ikm.follow_up_row_added", actor=actor, subject=plan,
                 summary=f"RTL {publication.unit.name} {publication.label}: {clean.element}",
                 **_row_summary(action))
    db.session.commit()
    return action


def _own_action(publication: IkmPublication, action: FollowUpAction) -> None:
    if publication.plan is None or action.plan_id != publication.plan.id:
        raise RuleViolation(_l("Baris ini bukan bagian dari rencana tindak lanjut tersebut."))


def edit_action(actor: User, publication: IkmPublication, action: FollowUpAction,
                data: ActionInput) -> FollowUpAction:
    _own_action(publication, action)
    plan = _editable_plan(actor, publication)
    clean = check_action(data, publication)
    action.element, action.programme = clean.element, clean.programme
    action.starts_on, action.due_on, action.responsible = clean.starts_on, clean.due_on, clean.responsible
    audit.record("ikm.follow_up_row_changed", actor=actor, subject=plan,
                 summary=f"RTL {publication.unit.name} {publication.label}: {clean.element}",
                 **_row_summary(action))
    db.session.commit()
    return action


def remove_action(actor: User, publication: IkmPublication, action: FollowUpAction) -> None:
    _own_action(publication, action)
    plan = _editable_plan(actor, publication)
    audit.record("ikm.follow_up_row_removed", actor=actor, subject=plan,
                 summary=f"RTL {publication.unit.name} {publication.label}: {action.element}",
                 **_row_summary(action))
    plan.actions.remove(action)
    db.session.commit()


def save_note(actor: User, publication: IkmPublication, note: str | None) -> FollowUpPlan:
    plan = _editable_plan(actor, publication)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise RuleViolation(_l("Catatan paling panjang %(n)s karakter.", n=MAX_NOTE), "note")
    plan.note = note or None
    db.session.commit()
    return plan


def submit(actor: User, publication: IkmPublication) -> FollowUpPlan:
    plan = _editable_plan(actor, publication)
    if not plan.actions:
        raise RuleViolation(_l("Tambahkan paling sedikit satu baris rencana sebelum diajukan."))
    plan.status = StatementStatus.SUBMITTED
    plan.reject_reason = None
    audit.record("ikm.follow_up_submit", actor=actor, subject=plan, rows=len(plan.actions),
                 summary=f"Tindak lanjut IKM {publication.unit.name} {publication.label} diajukan")
    db.session.commit()
    return plan


def decide(actor: User, plan: FollowUpPlan, approve: bool, reason: str | None = None) -> FollowUpPlan:
    """HR approves (from draft or submitted: HR may write and approve a plan itself) or returns
    a submitted plan with a reason."""
    if not access.manages_publication(actor):
        raise NotAllowed
    allowed = (StatementStatus.DRAFT, StatementStatus.SUBMITTED) if approve else (StatementStatus.SUBMITTED,)
    if plan.status not in allowed:
        raise RuleViolation(_l("Rencana ini tidak dapat diputuskan pada statusnya sekarang (%(status)s).",
                               status=plan.status.label))
    if not plan.publication.is_published:
        raise RuleViolation(_l("Publikasi ini sudah ditarik."))
    reason = (reason or "").strip()
    if approve and not plan.actions:
        raise RuleViolation(_l("Rencana tanpa baris tidak dapat disetujui."))
    if not approve and not reason:
        raise RuleViolation(_l("Tuliskan alasan penolakan."), "reason")
    if len(reason) > MAX_REASON:
        raise RuleViolation(_l("Alasan paling panjang %(n)s karakter.", n=MAX_REASON), "reason")
    plan.status = StatementStatus.APPROVED if approve else StatementStatus.REJECTED
    plan.reject_reason = None if approve else reason
    plan.decided_by_id = actor.id
    plan.decided_at = utcnow()
    publication = plan.publication
    audit.record("ikm.follow_up_approve" if approve else "ikm.follow_up_reject", actor=actor,
                 subject=plan, reason=reason or None,
                 rows=[_row_summary(a) for a in plan.actions] if approve else None,
                 summary=f"Tindak lanjut IKM {publication.unit.name} {publication.label} "
                         + ("disetujui" if approve else "ditolak"))
    db.session.commit()
    return plan


# ---------------------------------------------------------------- realisation


def record_progress(actor: User, action: FollowUpAction, status: str | None,
                    realisation: str | None) -> FollowUpAction:
    """After approval: how far a row got. A row marked done says what was done."""
    plan = action.plan
    publication = plan.publication
    _require_writer(actor, publication)
    if not plan.is_approved:
        raise RuleViolation(_l("Realisasi dicatat setelah rencana disetujui SDM."))
    known = {s.value: s for s in ActionStatus}
    if status not in known:
        raise RuleViolation(_l("Pilih status pelaksanaan."), "status")
    realisation = (realisation or "").strip()
    if len(realisation) > MAX_REALISATION:
        raise RuleViolation(_l("Realisasi paling panjang %(n)s karakter.", n=MAX_REALISATION),
                            "realisation")
    if known[status] == ActionStatus.DONE and not realisation:
        raise RuleViolation(_l("Tuliskan realisasinya: apa yang sudah dikerjakan."), "realisation")
    before = action.status
    action.status, action.realisation = known[status], realisation or None
    audit.record("ikm.follow_up_progress", actor=actor, subject=plan,
                 summary=f"RTL {publication.unit.name} {publication.label}: {action.element} "
                         f"{before.value} -> {action.status.value}",
                 element=action.element, status_from=before.value, status_to=action.status.value,
                 realisation=action.realisation)
    db.session.commit()
    return action

"""The SKP workflow: draft RHK and indicators, submit, approve or return, revise as a new version.

Every change checks the period is open and the plan is the actor's own and editable; views
pass the acting user in and show the RuleViolation messages next to the fields.
"""
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from kinerja.core import audit, calendar, numbers
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.text import clean_line
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.notifications import notifications
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User
from kinerja.performance.models import (
    Activity,
    Aspect,
    Feedback,
    Indicator,
    Period,
    Realisation,
    Rhk,
    RhkKind,
    Skp,
    SkpStatus,
    SkpVersion,
    UnitGoal,
)
from kinerja.performance.pace import Term, term_of
from kinerja.performance.periods import require_open

MAX_TARGET = Decimal("999999999999.99")


def skp_of(employee: Employee, period: Period) -> Skp | None:
    return db.session.scalar(db.select(Skp).filter_by(employee_id=employee.id, period_id=period.id))


def agreed_on(skp: Skp) -> date | None:
    """The day (in the employee's zone) the plan was first agreed: its first approved version;
    None while it never was, and for an approved plan without versions (older data)."""
    if skp.versions:
        first = min(version.approved_at for version in skp.versions)
        return calendar.local_date(first, skp.employee.time_zone)
    return None


def term_of_skp(skp: Skp) -> Term:
    """The days the plan's targets are spread over (see pace.Term)."""
    return term_of(skp.period.starts, skp.period.ends, agreed_on(skp))


def start_skp(actor: User, period: Period) -> Skp:
    """The actor's SKP for the period, started as a draft when there is none yet. A draft may
    start before the supervisor's SKP exists; the links to their RHK are made later."""
    existing = skp_of(actor.employee, period)
    if existing is not None:
        return existing
    require_open(period)
    skp = Skp(employee=actor.employee, period=period)
    db.session.add(skp)
    db.session.flush()
    audit.record("skp.started", actor=actor, subject=skp, summary=f"{period.year}")
    db.session.commit()
    return skp


# ---------------------------------------------------------------- what an RHK can derive from


def supervisor_skp(skp: Skp) -> Skp | None:
    boss = skp.employee.supervisor
    return skp_of(boss, skp.period) if boss is not None else None


def parent_options(skp: Skp) -> dict[str, list]:
    """The supervisor's RHK and, for a head of unit, the goals of the units they lead."""
    boss_skp = supervisor_skp(skp)
    headed = access.headed_unit_ids(skp.employee)
    goals = []
    if headed:
        goals = db.session.scalars(
            db.select(UnitGoal).where(UnitGoal.period_id == skp.period_id,
                                      UnitGoal.unit_id.in_(headed))
            .order_by(UnitGoal.unit_id, UnitGoal.position)).all()
    return {"rhks": list(boss_skp.rhks) if boss_skp else [], "goals": goals}


def _resolve_parent(skp: Skp, parent: str | None) -> tuple[Rhk | None, UnitGoal | None]:
    """`parent` is "rhk:<id>", "goal:<id>" or empty; it must be one of parent_options."""
    if not parent:
        return None, None
    kind, _, raw_id = parent.partition(":")
    options = parent_options(skp)
    if kind == "rhk" and raw_id.isdigit():
        for rhk in options["rhks"]:
            if rhk.id == int(raw_id):
                return rhk, None
    if kind == "goal" and raw_id.isdigit():
        for goal in options["goals"]:
            if goal.id == int(raw_id):
                return None, goal
    raise RuleViolation(_l("Pilih RHK atasan atau sasaran unit dari daftar."), field="parent")


# ---------------------------------------------------------------- editing


def can_edit(user: User, skp: Skp) -> bool:
    return (access.owns(user, skp) and skp.period.is_open
            and skp.status is not SkpStatus.SUBMITTED)


def _require_editable(actor: User, skp: Skp) -> None:
    if not access.owns(actor, skp):
        raise NotAllowed
    require_open(skp.period)
    if skp.status is SkpStatus.SUBMITTED:
        raise RuleViolation(_l("SKP sedang menunggu persetujuan atasan. Tarik kembali dulu "
                               "untuk mengubahnya."))
    if skp.status is SkpStatus.APPROVED:
        # A change after approval starts the next version; the approved one stays in history.
        skp.status, skp.version = SkpStatus.DRAFT, skp.version + 1
        audit.record("skp.revision_started", actor=actor, subject=skp, version=skp.version)


def parse_amount(raw, field: str, *, allow_zero: bool = False) -> Decimal:
    """A non-negative number typed the reader's way ("2.400", "1.250,5" in Indonesian) or the
    plain way ("1250.5"); a Decimal as it is."""
    try:
        value = raw if isinstance(raw, Decimal) else numbers.parse_number(raw)
    except (ValueError, InvalidOperation):
        raise RuleViolation(_l("Isi dengan angka, misalnya 12 atau 12,5."), field=field) from None
    if not value.is_finite() or value < 0 or value > MAX_TARGET or (value == 0 and not allow_zero):
        raise RuleViolation(_l("Angka harus lebih dari 0.") if not allow_zero
                            else _l("Angka tidak boleh negatif."), field=field)
    return value.quantize(Decimal("0.01"))


def save_rhk(actor: User, skp: Skp, rhk: Rhk | None, *, text: str, kind: str,
             parent: str | None) -> Rhk:
    _require_editable(actor, skp)
    text = clean_line(text, "text")
    try:
        kind = RhkKind(kind)
    except ValueError:
        raise RuleViolation(_l("Pilih jenis RHK."), field="kind") from None
    parent_rhk, goal = _resolve_parent(skp, parent)
    if rhk is None:
        rhk = Rhk(skp=skp, position=len(skp.rhks))
        db.session.add(rhk)
    elif rhk.skp_id != skp.id:
        raise NotAllowed
    rhk.text, rhk.kind, rhk.parent, rhk.unit_goal = text, kind, parent_rhk, goal
    db.session.flush()
    audit.record("rhk.saved", actor=actor, subject=rhk, summary=text[:200])
    db.session.commit()
    return rhk


def remove_rhk(actor: User, rhk: Rhk) -> None:
    _require_editable(actor, rhk.skp)
    if db.session.scalar(db.select(Activity.id).where(Activity.rhk_id == rhk.id).limit(1)):
        raise RuleViolation(_l("RHK ini sudah dipakai di laporan harian; ubah teksnya saja."))
    if db.session.scalar(db.select(Rhk.id).where(Rhk.parent_rhk_id == rhk.id).limit(1)):
        raise RuleViolation(_l("RHK ini menjadi acuan RHK bawahan; minta mereka memindahkannya "
                               "dulu."))
    if db.session.scalar(db.select(Feedback.id).where(Feedback.rhk_id == rhk.id).limit(1)):
        raise RuleViolation(_l("RHK ini sudah mendapat umpan balik atasan; ubah teksnya saja."))
    for indicator in rhk.indicators:
        _refuse_if_realised(indicator)
    audit.record("rhk.removed", actor=actor, subject=rhk, summary=rhk.text[:200])
    db.session.delete(rhk)
    db.session.commit()


def save_indicator(actor: User, rhk: Rhk, indicator: Indicator | None, *, aspect: str, text: str,
                   target, unit_of_measure: str) -> Indicator:
    _require_editable(actor, rhk.skp)
    try:
        aspect = Aspect(aspect)
    except ValueError:
        raise RuleViolation(_l("Pilih aspek indikator."), field="aspect") from None
    text = clean_line(text, "text")
    target = parse_amount(target, "target")
    unit_of_measure = clean_line(unit_of_measure, "unit_of_measure", 40)
    if indicator is None:
        indicator = Indicator(rhk=rhk, position=len(rhk.indicators))
        db.session.add(indicator)
    elif indicator.rhk_id != rhk.id:
        raise NotAllowed
    indicator.aspect, indicator.text = aspect, text
    indicator.target, indicator.unit_of_measure = target, unit_of_measure
    db.session.flush()
    audit.record("indicator.saved", actor=actor, subject=indicator, summary=text[:200],
                 target=str(target))
    db.session.commit()
    return indicator


def _refuse_if_realised(indicator: Indicator) -> None:
    # Reported realisation is part of the year's record: it is corrected, never dropped.
    if db.session.scalar(db.select(Realisation.id).where(Realisation.indicator_id == indicator.id)
                         .limit(1)):
        raise RuleViolation(_l("Indikator \"%(text)s\" sudah punya realisasi; ubah saja, "
                               "jangan dihapus.", text=indicator.text[:80]))


def remove_indicator(actor: User, indicator: Indicator) -> None:
    _require_editable(actor, indicator.rhk.skp)
    _refuse_if_realised(indicator)
    if db.session.scalar(db.select(Activity.id).where(Activity.indicator_id == indicator.id)
                         .limit(1)):
        raise RuleViolation(_l("Indikator ini sudah dipakai di laporan harian."))
    audit.record("indicator.removed", actor=actor, subject=indicator, summary=indicator.text[:200])
    db.session.delete(indicator)
    db.session.commit()


# ---------------------------------------------------------------- agreement


def submission_problems(skp: Skp) -> list:
    """Why the SKP cannot go to the supervisor yet; empty when it can."""
    problems = []
    if not skp.rhks:
        problems.append(_l("Tambahkan minimal satu RHK."))
    if skp.rhks and not any(r.kind is RhkKind.MAIN for r in skp.rhks):
        problems.append(_l("Minimal satu RHK harus RHK utama."))
    options = parent_options(skp)
    must_link = bool(options["rhks"] or options["goals"])
    for number, rhk in enumerate(skp.rhks, start=1):
        if not rhk.indicators:
            problems.append(_l("RHK %(n)s belum punya indikator.", n=number))
        if must_link and rhk.kind is RhkKind.MAIN and rhk.parent is None and rhk.unit_goal is None:
            problems.append(_l("RHK %(n)s belum dikaitkan dengan RHK atasan atau sasaran unit.",
                               n=number))
    return problems


def submit(actor: User, skp: Skp) -> None:
    _require_editable(actor, skp)
    problems = submission_problems(skp)
    if problems:
        raise RuleViolation(problems[0])
    skp.status, skp.submitted_at = SkpStatus.SUBMITTED, utcnow()
    skp.approver = access.approver_of(skp.employee)
    audit.record("skp.submitted", actor=actor, subject=skp, version=skp.version)
    db.session.commit()


def withdraw(actor: User, skp: Skp) -> None:
    if not access.owns(actor, skp):
        raise NotAllowed
    require_open(skp.period)
    if skp.status is not SkpStatus.SUBMITTED:
        raise RuleViolation(_l("SKP ini tidak sedang diajukan."))
    skp.status = SkpStatus.DRAFT
    audit.record("skp.withdrawn", actor=actor, subject=skp, version=skp.version)
    db.session.commit()


def _require_decider(actor: User, skp: Skp) -> None:
    if not access.can_approve_skp_of(actor, skp.employee):
        raise NotAllowed
    require_open(skp.period)
    if skp.status is not SkpStatus.SUBMITTED:
        raise RuleViolation(_l("SKP ini tidak sedang menunggu persetujuan."))


def approve(actor: User, skp: Skp) -> SkpVersion:
    _require_decider(actor, skp)
    skp.status, skp.decided_at, skp.return_comment = SkpStatus.APPROVED, utcnow(), None
    version = SkpVersion(skp_id=skp.id, number=skp.version, approved_by=actor.employee,
                         content=snapshot(skp))
    db.session.add(version)
    audit.record("skp.approved", actor=actor, subject=skp, version=skp.version)
    db.session.commit()
    return version


def return_(actor: User, skp: Skp, comment: str) -> None:
    _require_decider(actor, skp)
    comment = " ".join((comment or "").split())
    if not comment:
        raise RuleViolation(_l("Tuliskan apa yang perlu diperbaiki."), field="comment")
    skp.status, skp.decided_at, skp.return_comment = SkpStatus.RETURNED, utcnow(), comment[:2000]
    audit.record("skp.returned", actor=actor, subject=skp, version=skp.version,
                 comment=comment[:500])
    notifications.notify(skp.employee, "skp_returned",
                         key=f"skp_returned:{skp.id}:{skp.decided_at:%Y%m%dT%H%M%S}",
                         link=notifications.link_to("portal.skp_detail", skp_id=skp.id))
    db.session.commit()


def snapshot(skp: Skp) -> dict:
    """The plan as plain data, kept with each approved version."""
    return {"rhks": [{
        "id": rhk.id, "kind": rhk.kind.value, "text": rhk.text,
        "parent": rhk.parent.text if rhk.parent else None,
        "unit_goal": rhk.unit_goal.text if rhk.unit_goal else None,
        "indicators": [{"aspect": i.aspect.value, "text": i.text, "target": str(i.target),
                        "unit_of_measure": i.unit_of_measure} for i in rhk.indicators],
    } for rhk in skp.rhks]}


# ---------------------------------------------------------------- lists


def waiting_for(approver: Employee, period: Period) -> list[Skp]:
    """SKPs the approver has to decide on."""
    return db.session.scalars(
        db.select(Skp).join(Skp.employee)
        .where(Skp.period_id == period.id, Skp.status == SkpStatus.SUBMITTED,
               Employee.supervisor_id == approver.id)
        .order_by(Skp.submitted_at)).all()


def team_skps(supervisor: Employee, period: Period) -> list[tuple[Employee, Skp | None]]:
    """Each direct report with their SKP for the period (or None)."""
    reports = db.session.scalars(db.select(Employee).where(Employee.supervisor_id == supervisor.id,
                                                           Employee.active.is_(True))
                                 .order_by(Employee.name)).all()
    skps = {s.employee_id: s for s in db.session.scalars(
        db.select(Skp).where(Skp.period_id == period.id,
                             Skp.employee_id.in_([e.id for e in reports])))}
    return [(employee, skps.get(employee.id)) for employee in reports]


def can_withdraw(user: User, skp: Skp) -> bool:
    """A submitted SKP goes back to draft only by its owner's hand."""
    return skp.status is SkpStatus.SUBMITTED and access.owns(user, skp)


def can_decide(user: User, skp: Skp) -> bool:
    return (skp.status is SkpStatus.SUBMITTED and skp.period.is_open
            and access.can_approve_skp_of(user, skp.employee))


def skps_of(employee: Employee) -> list[Skp]:
    return db.session.scalars(db.select(Skp).where(Skp.employee_id == employee.id)
                              .join(Skp.period).order_by(Period.year.desc())).all()

"""The SKP workflow: draft RHK and indicators, submit, approve or return, revise as a new version.

Every change checks the period is open and the plan is the actor's own and editable; views
pass the acting user in and show the RuleViolation messages next to the fields.
"""
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from kinerja.core import audit, calendar, numbers
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.text import clean_line, clean_long_text
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.notifications import notifications
from kinerja.organisation import access, authority
from kinerja.organisation.models import Employee, User
from kinerja.performance import evidence, skps
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
    Transfer,
    UnitGoal,
)
from kinerja.performance.pace import Term, term_of
from kinerja.performance.periods import require_open
from kinerja.performance.perspectives import is_jpt, parse_perspective

MAX_TARGET = Decimal("999999999999.99")
MAX_TARGET_TEXT = 1000
# A time or cost target is met at or below it: where a new indicator's direction comes from.
LOWER_IS_BETTER_BY_DEFAULT = frozenset({Aspect.TIME, Aspect.COST})


def current_month(employee: Employee, period: Period) -> int:
    """The month of `period` that is the employee's "now" (see skps.month_in)."""
    return skps.month_in(period, calendar.today_in(employee.time_zone))


def skp_of(employee: Employee, period: Period, day: date | None = None) -> Skp | None:
    """The employee's plan in `period` covering `day` (today by default): a transfer may have
    given them several in the year."""
    month = skps.month_in(period, day) if day else current_month(employee, period)
    return skps.skp_covering_month(employee, period, month)


def agreed_on(skp: Skp) -> date | None:
    """The day (in the employee's zone) the plan was first agreed: its first approved version;
    None while it never was, and for an approved plan without versions (older data)."""
    if skp.versions:
        first = min(version.approved_at for version in skp.versions)
        return calendar.local_date(first, skp.employee.time_zone)
    return None


def term_of_skp(skp: Skp) -> Term:
    """The days the plan's targets are spread over (see pace.Term): its own months."""
    return term_of(skp.starts, skp.ends, agreed_on(skp))


def _free_months(employee: Employee, period: Period, month: int) -> tuple[int, int]:
    """The months around `month` no plan of the employee covers: from the end of the plan
    before (or January) to the start of the plan after (or December)."""
    others = skps.skps_in(employee, period)
    first = max((s.last_month + 1 for s in others if s.last_month < month), default=1)
    last = min((s.first_month - 1 for s in others if s.first_month > month), default=12)
    return first, last


def start_skp(actor: User, period: Period) -> Skp:
    """The actor's SKP for the period's current month, started as a draft when there is none
    yet (covering the months no other plan of theirs covers). A draft may start before the
    supervisor's SKP exists; the links to their RHK are made later."""
    if not access.keeps_own_plan(actor):
        raise NotAllowed
    existing = skp_of(actor.employee, period)
    if existing is not None:
        return existing
    require_open(period)
    first, last = _free_months(actor.employee, period, current_month(actor.employee, period))
    skp = Skp(employee=actor.employee, period=period, first_month=first, last_month=last)
    db.session.add(skp)
    db.session.flush()
    audit.record("skp.started", actor=actor, subject=skp, summary=f"{period.year}")
    db.session.commit()
    return skp


# ---------------------------------------------------------------- what an RHK can derive from


def supervisor_skp(skp: Skp) -> Skp | None:
    """The supervisor's plan for the plan's months (now, when they are running)."""
    boss = skp.employee.supervisor
    if boss is None:
        return None
    month = min(max(current_month(boss, skp.period), skp.first_month), skp.last_month)
    return skps.skp_covering_month(boss, skp.period, month)


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


# The SKP's other parts (its Lampiran, skp_annex.py) change under the same rule as the plan.
require_editable = _require_editable


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
             parent: str | None, perspective: str | None = None) -> Rhk:
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
    # Only a JPT's plan is grouped by perspective; elsewhere a stray value is not kept.
    rhk.perspective = parse_perspective(perspective) if is_jpt(skp.employee) else None
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
                   target, unit_of_measure: str, qualitative: bool = False,
                   target_text: str | None = None,
                   lower_is_better: bool | None = None) -> Indicator:
    """A quantitative indicator has an aspect, a number and its unit; a kualitatif one (the
    annex's qualitative approach) has a described target instead, and is a quality aspect:
    its realisation is a narrative with evidence, never a sum of activities.

    `lower_is_better` None lets the aspect decide for a new indicator, or one whose aspect
    changes (waktu and biaya: lower is better); otherwise the indicator keeps its direction."""
    _require_editable(actor, rhk.skp)
    text = clean_line(text, "text")
    if qualitative:
        aspect, target, unit_of_measure = Aspect.QUALITY, Decimal(0), ""
        target_text = clean_long_text(target_text, "target_text", MAX_TARGET_TEXT, required=True)
    else:
        try:
            aspect = Aspect(aspect)
        except ValueError:
            raise RuleViolation(_l("Pilih aspek indikator."), field="aspect") from None
        target = parse_amount(target, "target")
        unit_of_measure = clean_line(unit_of_measure, "unit_of_measure", 40)
        target_text = None
    if indicator is None:
        indicator = Indicator(rhk=rhk, position=len(rhk.indicators))
        db.session.add(indicator)
    elif indicator.rhk_id != rhk.id:
        raise NotAllowed
    if lower_is_better is None and (indicator.id is None or indicator.aspect is not aspect):
        lower_is_better = aspect in LOWER_IS_BETTER_BY_DEFAULT
    if qualitative:
        lower_is_better = False
    if lower_is_better is not None:
        indicator.lower_is_better = lower_is_better
    indicator.aspect, indicator.text = aspect, text
    indicator.target, indicator.unit_of_measure = target, unit_of_measure
    indicator.qualitative, indicator.target_text = bool(qualitative), target_text
    db.session.flush()
    audit.record("indicator.saved", actor=actor, subject=indicator, summary=text[:200],
                 target=str(target), lower_is_better=indicator.lower_is_better)
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
    jpt = is_jpt(skp.employee)
    for number, rhk in enumerate(skp.rhks, start=1):
        if not rhk.indicators:
            problems.append(_l("RHK %(n)s belum punya indikator.", n=number))
        if must_link and rhk.kind is RhkKind.MAIN and rhk.parent is None and rhk.unit_goal is None:
            problems.append(_l("RHK %(n)s belum dikaitkan dengan RHK atasan atau sasaran unit.",
                               n=number))
        if jpt and rhk.kind is RhkKind.MAIN and rhk.perspective is None:
            problems.append(_l("RHK %(n)s belum diberi perspektif.", n=number))
    return problems


def submit(actor: User, skp: Skp) -> None:
    _require_editable(actor, skp)
    problems = submission_problems(skp)
    if problems:
        raise RuleViolation(problems[0])
    skp.status, skp.submitted_at = SkpStatus.SUBMITTED, utcnow()
    skp.approver = access.approver_of(skp.employee, skp)
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
    if not access.can_approve_skp_of(actor, skp.employee, skp):
        raise NotAllowed
    require_open(skp.period)
    if skp.status is not SkpStatus.SUBMITTED:
        raise RuleViolation(_l("SKP ini tidak sedang menunggu persetujuan."))


def approve(actor: User, skp: Skp) -> SkpVersion:
    _require_decider(actor, skp)
    skp.status, skp.decided_at, skp.return_comment = SkpStatus.APPROVED, utcnow(), None
    skp.approver = actor.employee  # who agreed it: the approver, or their Plt/Plh
    version = SkpVersion(skp_id=skp.id, number=skp.version, approved_by=actor.employee,
                         content=snapshot(skp))
    db.session.add(version)
    audit.record("skp.approved", actor=actor, subject=skp, version=skp.version)
    db.session.commit()
    return version


def record_ppk_approval(actor: User, skp: Skp, scan) -> SkpVersion:
    """HR transcribes the approval the PPK signed on paper (`scan`: (stream, filename)). The
    scan is required and goes through the evidence checks; the version is the PPK's, and the
    SKP document says who recorded it (HR never approves in the PPK's place)."""
    if not access.records_for_ppk(actor, skp.employee, skp):
        raise NotAllowed
    require_open(skp.period)
    if skp.status is not SkpStatus.SUBMITTED:
        raise RuleViolation(_l("SKP ini tidak sedang menunggu persetujuan."))
    if scan is None or scan[0] is None:
        raise RuleViolation(_l("Lampirkan pindaian persetujuan yang ditandatangani PPK; tanpa "
                               "dokumen itu HR tidak dapat mencatat persetujuan PPK."), field="scan")
    stream, filename = scan
    kept = evidence.store(actor, skp.employee, evidence.read_upload(stream),
                          filename or "persetujuan-ppk.pdf")
    ppk = access.approver_of(skp.employee, skp)
    skp.status, skp.decided_at, skp.return_comment = SkpStatus.APPROVED, utcnow(), None
    skp.approver = ppk
    version = SkpVersion(skp_id=skp.id, number=skp.version, approved_by=ppk, recorded_by=actor,
                         scan=kept, content=snapshot(skp))
    db.session.add(version)
    db.session.flush()
    audit.record("ppk.decision_recorded", actor=actor, subject=skp,
                 summary=f"{ppk.name}: {skp.employee.name}", step="skp", scan_id=kept.id)
    db.session.commit()
    return version


def ppk_approval_note(skp: Skp) -> str | None:
    """The line the SKP document prints when HR recorded the PPK's approval of this version."""
    version = next((v for v in skp.versions if v.number == skp.version), None)
    if version is None or version.recorded_by is None:
        return None
    return str(_l("Disetujui oleh PPK; dicatat oleh %(hr)s berdasarkan dokumen bertanda tangan.",
                  hr=version.recorded_by.display_name))


def can_record_ppk_approval(user: User, skp: Skp) -> bool:
    return (skp.status is SkpStatus.SUBMITTED and skp.period.is_open
            and access.records_for_ppk(user, skp.employee, skp))


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
        "perspective": rhk.perspective.value if rhk.perspective else None,
        "indicators": [{"aspect": i.aspect.value, "text": i.text, "target": str(i.target),
                        "unit_of_measure": i.unit_of_measure, "qualitative": i.qualitative,
                        "target_text": i.target_text} for i in rhk.indicators],
    } for rhk in skp.rhks]}


# ---------------------------------------------------------------- lists


def waiting_for(approver: Employee, period: Period) -> list[Skp]:
    """SKPs the approver has to decide on: of their direct reports, of the Sekda when they are
    the PPK, of the team of the official a Plt/Plh of theirs stands in for; a plan a transfer
    closed goes to the supervisor of its months instead (authority.plan_appraiser)."""
    closed = db.select(Transfer.closed_skp_id).where(Transfer.closed_skp_id.is_not(None))
    closed_from_them = closed.where(Transfer.from_supervisor_id == approver.id)
    return db.session.scalars(
        db.select(Skp).join(Skp.employee)
        .where(Skp.period_id == period.id, Skp.status == SkpStatus.SUBMITTED,
               db.or_(db.and_(authority.appraised_by_clause(approver), Skp.id.not_in(closed)),
                      Skp.id.in_(closed_from_them)))
        .order_by(Skp.submitted_at)).all()


def team_skps(supervisor: Employee, period: Period) -> list[tuple[Employee, Skp | None]]:
    """Each person the supervisor appraises (direct reports; the Sekda for the PPK; a Plt/Plh's
    borrowed team) with their SKP for the period (or None)."""
    reports = db.session.scalars(db.select(Employee).where(
        authority.appraised_by_clause(supervisor), Employee.active.is_(True))
        .order_by(Employee.name)).all()
    found = skps.skps_covering([e.id for e in reports], period,
                               current_month(supervisor, period),
                               db.selectinload(Skp.rhks))  # the list counts each plan's RHK
    return [(employee, found.get(employee.id)) for employee in reports]


def can_withdraw(user: User, skp: Skp) -> bool:
    """A submitted SKP goes back to draft only by its owner's hand."""
    return skp.status is SkpStatus.SUBMITTED and access.owns(user, skp)


def can_decide(user: User, skp: Skp) -> bool:
    return (skp.status is SkpStatus.SUBMITTED and skp.period.is_open
            and access.can_approve_skp_of(user, skp.employee, skp))


def skps_of(employee: Employee) -> list[Skp]:
    return db.session.scalars(db.select(Skp).where(Skp.employee_id == employee.id)
                              .join(Skp.period)
                              .order_by(Period.year.desc(), Skp.first_month)).all()

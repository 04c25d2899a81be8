"""The chain of authority (PP 30/2019): who appraises whom, who hears an objection, who stands
in for whom (Plt/Plh), and who the PPK is on a day.

- The pejabat penilai is the direct supervisor; whoever has no ASN above them (the Sekda at the
  top of the chart) is appraised by the Pejabat Pembina Kepegawaian (PPK, the Bupati/Wali Kota).
- The atasan pejabat penilai, who decides objections, is the superior of the *post* that
  appraised: the appraiser's own pejabat penilai, so the PPK for what the Sekda appraised. When
  the PPK appraised there is no higher authority in the region: the PPK reconsiders
  (DOMAIN.md: "the PPK decides objections where there is no higher ASN").
- A Plt/Plh stands in for the official they replace from the first to the last day of their
  record, both included, in the appraised employee's own time zone; the post stays the
  official's, so an objection to a Plt's rating goes to the official's superior.
- HR administers and never decides: it records the PPK's decision only with the signed scan
  (appraisal/ppk_records.py).
"""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from kinerja.core import calendar
from kinerja.core.memo import per_transaction
from kinerja.extensions import db
from kinerja.organisation.models import ActingOfficial, Employee, PpkTerm, Unit


def today_for(employee: Employee) -> date:
    return calendar.today_in(employee.time_zone)


# ---------------------------------------------------------------------------------- the PPK


# The chain is asked the same questions many times a page (the agenda's counts, each plan's
# access check, the team list): each answer is kept for the request (core/memo.py), and
# forgotten as soon as anything is written.
@per_transaction()
def ppk_term_on(day: date) -> PpkTerm | None:
    """The PPK's term of office covering `day` (the latest begun, if terms overlap)."""
    return db.session.scalar(
        db.select(PpkTerm).where(PpkTerm.starts_on <= day,
                                 db.or_(PpkTerm.ends_on.is_(None), PpkTerm.ends_on >= day))
        .order_by(PpkTerm.starts_on.desc(), PpkTerm.id.desc()).limit(1))


def ppk_on(day: date) -> Employee | None:
    term = ppk_term_on(day)
    return term.employee if term is not None else None


# ------------------------------------------------------------------------- who appraises whom


def official_appraiser(employee: Employee, day: date | None = None) -> Employee | None:
    """The pejabat penilai by the chart: the direct supervisor; the PPK for whoever has none
    (the top of the chart). The PPK is appraised by nobody here."""
    if employee.is_ppk:
        return None
    if employee.supervisor is not None:
        return employee.supervisor
    return ppk_on(day or today_for(employee))


def plan_appraiser(skp, day: date | None = None) -> Employee | None:
    """The pejabat penilai of one plan (an SKP: its agreement and its evaluations): the
    supervisor it was made with. A plan a transfer (mutasi) closed keeps the supervisor of its
    months, recorded on the transfer (the PPK of its last day when nobody was above the person
    then), so the old supervisor rates those months and the new one does not; a running plan
    follows the chart (a supervisor changed in the employee's data takes it over)."""
    closed_by = getattr(skp, "closed_by", None)
    if closed_by is None:
        return official_appraiser(skp.employee, day)
    if closed_by.from_supervisor is not None:
        return closed_by.from_supervisor
    return ppk_on(closed_by.effective_on - timedelta(days=1))


@per_transaction(key=lambda actor, official, day: (actor.id, official.id, day)
                 if actor.id is not None and official.id is not None else None)
def acting_for(actor: Employee, official: Employee, day: date) -> ActingOfficial | None:
    """The Plt/Plh record by which `actor` stands in for `official` on `day`: named in place
    of them, or as head of a unit they head."""
    headed = db.select(Unit.id).where(Unit.head_id == official.id)
    return db.session.scalar(
        db.select(ActingOfficial).where(
            ActingOfficial.employee_id == actor.id, ActingOfficial.starts_on <= day,
            ActingOfficial.ends_on >= day,
            db.or_(ActingOfficial.replaces_id == official.id, ActingOfficial.unit_id.in_(headed)))
        .order_by(ActingOfficial.starts_on.desc()).limit(1))


def stands_for(actor: Employee, official: Employee | None, day: date) -> bool:
    """Is `actor` the official, or standing in for them on `day`?"""
    if official is None:
        return False
    return actor.id == official.id or acting_for(actor, official, day) is not None


def post_holder(employee: Employee, appraiser: Employee | None, day: date) -> Employee | None:
    """Whose post appraised: the official when `appraiser` stood in for them that day,
    otherwise the appraiser themselves."""
    official = official_appraiser(employee, day)
    if appraiser is None or official is None or appraiser.id == official.id:
        return appraiser or official
    return official if acting_for(appraiser, official, day) is not None else appraiser


def decider_of(employee: Employee, appraiser: Employee | None, day: date) -> Employee | None:
    """The atasan pejabat penilai: the superior of the post that appraised (the PPK above the
    top of the chart); the PPK themselves when the PPK appraised."""
    holder = post_holder(employee, appraiser, day)
    if holder is None:
        return None
    if holder.is_ppk:
        return holder
    return official_appraiser(holder, day)


# ------------------------------------------------------------------------------ on documents


def acting_title(record: ActingOfficial) -> str:
    """"Plt. Kepala Dinas Pendidikan": the kind and the post stood in for."""
    if record.replaces is not None and record.replaces.position_name:
        post = record.replaces.position_name
    elif record.unit is not None and record.unit.head is not None and record.unit.head.position_name:
        post = record.unit.head.position_name
    elif record.unit is not None:
        post = str(_l("Kepala %(unit)s", unit=record.unit.name))
    else:
        post = record.replaces.name if record.replaces is not None else ""
    return f"{record.kind.label} {post}".strip()


def capacity(signer: Employee | None, employee: Employee, day: date) -> ActingOfficial | None:
    """The Plt/Plh record `signer` signed under for `employee` on `day` (None: in their own
    name)."""
    if signer is None:
        return None
    official = official_appraiser(employee, day)
    if official is None or official.id == signer.id:
        return None
    return acting_for(signer, official, day)


def stood_in_for(actor: Employee, day: date) -> list[ActingOfficial]:
    """The Plt/Plh records of `actor` running on `day`."""
    return list(_stood_in_for(actor, day))  # each caller its own list


@per_transaction(key=lambda actor, day: (actor.id, day) if actor.id is not None else None)
def _stood_in_for(actor: Employee, day: date) -> tuple[ActingOfficial, ...]:
    return tuple(db.session.scalars(db.select(ActingOfficial).where(
        ActingOfficial.employee_id == actor.id, ActingOfficial.starts_on <= day,
        ActingOfficial.ends_on >= day)))


def appraised_by_clause(actor: Employee, day: date | None = None):
    """A WHERE clause on Employee for the people `actor` appraises on `day`: their direct
    reports, the top of the chart when they are the PPK, and the reports of the officials a
    Plt/Plh of theirs stands in for."""
    day = day or today_for(actor)
    clauses = [Employee.supervisor_id == actor.id]
    ppk = ppk_on(day)
    if ppk is not None and ppk.id == actor.id:
        clauses.append(db.and_(Employee.supervisor_id.is_(None), Employee.is_ppk.is_(False)))
    officials = set()
    for record in stood_in_for(actor, day):
        if record.replaces_id is not None:
            officials.add(record.replaces_id)
        if record.unit is not None and record.unit.head_id is not None:
            officials.add(record.unit.head_id)
    if officials:
        clauses.append(Employee.supervisor_id.in_(officials))
    return db.and_(db.or_(*clauses), Employee.id != actor.id)

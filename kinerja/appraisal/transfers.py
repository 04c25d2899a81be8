"""Transfers (mutasi): HR moves an employee to another unit, supervisor or position from an
effective day; the plan running then is closed and a draft opened for the rest of the year.
In the appraisal area because the split must respect the evaluations already made.

Where the plans meet: at a month's boundary. The plan running on the effective day is closed
at the end of the month BEFORE that day, and the new plan covers the effective day's month to
the end of the year. Realisation, feedback and the periodic evaluations are monthly (or
quarterly), and the regulation (PermenPANRB 6/2022) has one pejabat penilai per evaluation
point; giving the month of the move to the new supervisor means each month has exactly one
plan and one appraiser, the one the person worked for when that month's evaluation is due.
A move on the 1st is the common case; a move on the 20th still counts that month to the new
unit. A plan whose first month is the effective month has no months left to close: HR
changes the supervisor in the employee's data instead (nothing needs splitting).

The change of unit, supervisor and position applies at once (there is no scheduler); a move
recorded late, after the effective day, still splits the plans at that day's month.
"""
from datetime import date

from flask_babel import lazy_gettext as _l

from kinerja.appraisal.models import Evaluation, EvaluationKind
from kinerja.core import audit
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.text import clean_line
from kinerja.extensions import db
from kinerja.organisation import access, org
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance import skps
from kinerja.performance.models import Period, Skp, SkpStatus, Transfer
from kinerja.performance.periods import require_open


def _period_of(day: date) -> Period:
    period = db.session.scalar(db.select(Period).where(Period.year == day.year))
    if period is None:
        raise RuleViolation(_l("Belum ada periode kinerja tahun %(year)s.", year=day.year),
                            field="effective_on")
    return period


def _checked_supervisor(employee: Employee, supervisor_nip: str | None) -> Employee:
    nip = "".join((supervisor_nip or "").split())
    supervisor = org.employee_by_nip(nip) if nip else None
    if supervisor is None or not supervisor.active:
        raise RuleViolation(_l("Isi NIP atasan langsung yang baru (pegawai aktif)."),
                            field="supervisor_nip")
    if supervisor.id == employee.id or access.supervises(employee, supervisor):
        raise RuleViolation(_l("Atasan baru tidak boleh pegawai itu sendiri atau bawahannya."),
                            field="supervisor_nip")
    return supervisor


def _open_evaluations_from(skp: Skp, month: int) -> bool:
    """Has the plan an evaluation of a point that starts in `month` or later (those months
    will no longer be its own), or its annual one?"""
    rows = db.session.execute(db.select(Evaluation.kind, Evaluation.point)
                              .where(Evaluation.skp_id == skp.id)).all()
    quarterly = skp.period.cadence.value == "triwulanan"
    for kind, point in rows:
        if EvaluationKind(kind) is EvaluationKind.ANNUAL:
            return True
        first = 3 * point - 2 if quarterly else point
        if first >= month:
            return True
    return False


def _next_plan_start(employee: Employee, period: Period, month: int) -> int:
    """The first month of the employee's next plan after `month` (13 when there is none)."""
    later = db.session.scalar(db.select(db.func.min(Skp.first_month)).where(
        Skp.employee_id == employee.id, Skp.period_id == period.id, Skp.first_month > month))
    return later or 13


def record_transfer(actor: User, employee: Employee, *, effective_on: date | None,
                    unit_id: int | None, supervisor_nip: str | None,
                    position: str | None = None, note: str | None = None) -> Transfer:
    """Move the employee and split their plan at the effective day's month (see above)."""
    if not access.manages_organisation(actor):
        raise NotAllowed
    if effective_on is None:
        raise RuleViolation(_l("Isi tanggal berlaku mutasi."), field="effective_on")
    period = _period_of(effective_on)
    require_open(period)
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None:
        raise RuleViolation(_l("Pilih unit kerja yang baru."), field="unit_id")
    supervisor = _checked_supervisor(employee, supervisor_nip)
    if position and len(position) > 200:
        raise RuleViolation(_l("Paling banyak %(n)s karakter.", n=200), field="position")
    position = org.position_named(position)  # empty: the position stays
    note = clean_line(note, "note", 500) if note and note.strip() else None
    month = effective_on.month

    current = skps.skp_covering_month(employee, period, month)
    last_month = _next_plan_start(employee, period, month) - 1
    if current is not None:
        if current.first_month >= month:
            raise RuleViolation(_l(
                "SKP yang berjalan baru mulai bulan ini, jadi tidak ada bulan yang ditutup: "
                "ubah atasan di data pegawai saja."), field="effective_on")
        if _open_evaluations_from(current, month):
            raise RuleViolation(_l(
                "SKP lama sudah punya evaluasi untuk bulan sesudah tanggal berlaku; hapus atau "
                "selesaikan dulu bersama penilai."), field="effective_on")
        last_month = current.last_month
        current.last_month = month - 1

    transfer = Transfer(
        employee=employee, effective_on=effective_on, from_unit_id=employee.unit_id,
        to_unit_id=unit.id, from_supervisor_id=employee.supervisor_id,
        to_supervisor_id=supervisor.id, from_position_id=employee.position_id,
        to_position_id=employee.position_id, note=note,
        recorded_by_id=actor.id, closed_skp=current)
    opened = Skp(employee=employee, period=period, first_month=month, last_month=last_month,
                 status=SkpStatus.DRAFT, approver=supervisor)
    db.session.add_all([transfer, opened])
    transfer.opened_skp = opened
    employee.unit_id, employee.supervisor_id = unit.id, supervisor.id
    db.session.flush()
    if position is not None:
        employee.position_id = transfer.to_position_id = position.id
    audit.record("employee.transferred", actor=actor, subject=transfer, summary=employee.name,
                 effective_on=effective_on.isoformat(), unit=unit.name,
                 supervisor=supervisor.name, closed_skp=current.id if current else None,
                 opened_skp=opened.id)
    db.session.commit()
    return transfer


def transfers_of(employee: Employee) -> list[Transfer]:
    return db.session.scalars(db.select(Transfer).where(Transfer.employee_id == employee.id)
                              .order_by(Transfer.effective_on.desc(), Transfer.id.desc())).all()

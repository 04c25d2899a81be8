"""The demo's transfer and leave: one employee moved on 1 July to another unit (two SKPs in
the year, evaluated in both), and one on tugas belajar from April to June."""
import random
from datetime import date

from kinerja.appraisal import transfers
from kinerja.extensions import db
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance import skp_workflow, skps
from kinerja.performance.models import (
    Indicator,
    Leave,
    LeaveKind,
    Period,
    PeriodStatus,
    Rhk,
    Skp,
    SkpStatus,
    SkpVersion,
)

LOGINS = {"admin", "hr", "kepala", "atasan", "pegawai", "staf", "kabid"}


def _others(period: Period) -> list[Skp]:
    """Approved whole-year plans of people without a demo login, in a stable order."""
    with_login = db.select(User.employee_id).where(User.username.in_(LOGINS))
    return db.session.scalars(
        db.select(Skp).join(Employee, Skp.employee_id == Employee.id)
        .where(Skp.period_id == period.id, Skp.status == SkpStatus.APPROVED,
               Skp.first_month == 1, Skp.last_month == 12, Employee.supervisor_id.is_not(None),
               Employee.id.not_in(with_login))
        .order_by(Employee.name)).all()


def seed(rng: random.Random, today: date, hr: User) -> dict:
    period = db.session.scalar(db.select(Period).where(Period.status == PeriodStatus.OPEN))
    if period is None or (period.year, today.month) < (today.year, 8):
        return {"transfers": 0, "leaves": 0}
    plans = _others(period)
    if len(plans) < 2:
        return {"transfers": 0, "leaves": 0}
    moving = plans[0]
    employee = moving.employee
    target = db.session.scalar(db.select(Unit).where(Unit.head_id.is_not(None),
                                                     Unit.id != employee.unit_id)
                               .order_by(Unit.code).limit(1))
    transfers.record_transfer(hr, employee, effective_on=date(period.year, 7, 1),
                              unit_id=target.id, supervisor_nip=target.head.nip,
                              note="SK Bupati Nomor 821/145/BKPSDM/2026")
    opened = skps.skp_covering_month(employee, period, 7)
    for position, old in enumerate(moving.rhks):
        indicators = [Indicator(aspect=i.aspect, text=i.text, target=i.target / 2,
                                unit_of_measure=i.unit_of_measure) for i in old.indicators]
        db.session.add(Rhk(skp=opened, kind=old.kind, text=old.text, position=position,
                           indicators=indicators))
    db.session.flush()
    opened.status = SkpStatus.APPROVED
    db.session.add(SkpVersion(skp_id=opened.id, number=1, approved_by=target.head,
                              content=skp_workflow.snapshot(opened)))
    studying = plans[1].employee
    db.session.add(Leave(employee=studying, kind=LeaveKind.STUDY,
                         starts_on=date(period.year, 4, 1), ends_on=date(period.year, 6, 30),
                         note="Tugas belajar S2 Administrasi Publik", recorded_by_id=hr.id))
    db.session.commit()
    return {"transfers": 1, "leaves": 1}

"""The demo's capaian kinerja organisasi: every OPD with a head has one for each month evaluated
so far, set by its head in the first days of the following month, so the unit pages have a
curve per month and the heads' own hasil kerja ratings follow their unit's capaian."""
from datetime import UTC, datetime

from kinerja.appraisal.distribution import OPD_KINDS
from kinerja.appraisal.models import EvaluationKind, UnitPredikat
from kinerja.appraisal.predikat import OrganisationPredikat
from kinerja.extensions import db
from kinerja.organisation.models import Unit, User
from kinerja.performance.models import Period

# Most months an OPD's capaian is its usual one; some months differ (Dukcapil's February: the
# KTP-el blanks ran out, the story of the demo's decided objection).
USUAL = {
    "DUKCAPIL": OrganisationPredikat.GOOD,
    "DPMPTSP": OrganisationPredikat.EXCEPTIONAL,
    "DINKES": OrganisationPredikat.GOOD,
    "DINSOS": OrganisationPredikat.NEEDS_IMPROVEMENT,
}
MONTHS_APART = {
    ("DUKCAPIL", 2): OrganisationPredikat.NEEDS_IMPROVEMENT,
    ("DPMPTSP", 5): OrganisationPredikat.GOOD,
    ("DINSOS", 9): OrganisationPredikat.GOOD,
}
NOTE = "Capaian indikator kinerja utama (IKU) bulan ini."


def seed_capaian(period: Period, last_month: int) -> dict[tuple[int, int], OrganisationPredikat]:
    """Set, as each OPD's head, its capaian for months 1..last_month (skipping those already
    set); returns (unit id, month) -> capaian for every OPD, the heads' ratings follow it. The
    caller commits."""
    units = db.session.scalars(db.select(Unit).where(
        Unit.active.is_(True), Unit.head_id.is_not(None), Unit.kind.in_(OPD_KINDS))).all()
    users = dict(db.session.execute(db.select(User.employee_id, User.id).where(
        User.employee_id.in_([u.head_id for u in units]))).all())
    existing = {(row.unit_id, row.point) for row in db.session.scalars(
        db.select(UnitPredikat).where(UnitPredikat.period_id == period.id,
                                      UnitPredikat.kind == EvaluationKind.PERIODIC))}
    found: dict[tuple[int, int], OrganisationPredikat] = {}
    for unit in units:
        for month in range(1, last_month + 1):
            value = MONTHS_APART.get((unit.code, month),
                                     USUAL.get(unit.code, OrganisationPredikat.GOOD))
            found[unit.id, month] = value
            if (unit.id, month) in existing:
                continue
            set_at = datetime(period.year + month // 12, month % 12 + 1, 5, 1, 30, tzinfo=UTC)
            db.session.add(UnitPredikat(
                unit_id=unit.id, period_id=period.id, kind=EvaluationKind.PERIODIC, point=month,
                predikat=value, leader_id=unit.head_id, set_by_id=users.get(unit.head_id),
                note=NOTE, set_at=set_at))
    db.session.flush()
    return found

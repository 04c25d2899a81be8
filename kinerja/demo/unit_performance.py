"""The demo's organisational predikat: a few OPDs get one for the period, so the unit
performance pages have curves to show (Dukcapil, where the demo's appraisals are, among them)."""
from kinerja.appraisal.models import UnitPredikat
from kinerja.appraisal.predikat import OrganisationPredikat
from kinerja.extensions import db
from kinerja.organisation.models import Unit
from kinerja.performance.models import Period

PREDIKATS = {
    "DUKCAPIL": OrganisationPredikat.GOOD,
    "DPMPTSP": OrganisationPredikat.EXCEPTIONAL,
    "DINKES": OrganisationPredikat.GOOD,
    "DINSOS": OrganisationPredikat.NEEDS_IMPROVEMENT,
}


def seed_unit_predikats(period: Period) -> list[UnitPredikat]:
    """Record the predikat above for the units that exist and have none for the period yet
    (the caller commits)."""
    units = {unit.code: unit for unit in db.session.scalars(
        db.select(Unit).where(Unit.code.in_(PREDIKATS)))}
    existing = set(db.session.scalars(db.select(UnitPredikat.unit_id).where(
        UnitPredikat.period_id == period.id)))
    rows = [UnitPredikat(unit_id=unit.id, period_id=period.id, predikat=PREDIKATS[code])
            for code, unit in units.items() if unit.id not in existing]
    db.session.add_all(rows)
    db.session.flush()
    return rows

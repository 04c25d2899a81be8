"""What an IKM report covers: its Scope (a unit, a counter, a service), the counters in it, the
date range allowed, and what a reader may choose from.

A reader is HR (every unit, or the whole kabupaten at once) or the head of a unit (the units
they lead and those below); kinerja.organisation.access decides which.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from kinerja.core import calendar
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.extensions import db
from kinerja.organisation import access, org
from kinerja.organisation.models import Service, ServiceCounter, Unit, User, counter_services
from kinerja.organisation.tree import UnitTree

MAX_YEARS = 3


@dataclass(frozen=True)
class Scope:
    """Which counters a report covers; every filter given narrows it (none: every counter)."""
    unit: Unit | None = None
    counter: ServiceCounter | None = None
    service: Service | None = None
    subunits: bool = True

    @property
    def home_unit(self) -> Unit | None:
        """The unit the report is about: for the letterhead, the signature and the clock."""
        return self.counter.unit if self.counter is not None else self.unit

    @property
    def label(self) -> str:
        parts = []
        if self.counter is not None:
            parts.append(f"{self.counter.name} ({self.counter.unit.name})")
        elif self.unit is not None:
            parts.append(self.unit.name if not self.subunits or not self.unit.children else str(
                _l("%(unit)s dan unit di bawahnya", unit=self.unit.name)))
        if self.service is not None:
            parts.append(str(_l("layanan %(service)s", service=self.service.name)))
        return " · ".join(parts) or str(_l("Semua unit pelayanan"))

    def as_dict(self) -> dict:
        return {"unit": self.unit.code if self.unit else None,
                "counter": self.counter.code if self.counter else None,
                "service": self.service.code if self.service else None,
                "subunits": self.subunits}


def _unit_ids(unit: Unit, with_subunits: bool, units: UnitTree | None = None) -> set[int]:
    if not with_subunits:
        return {unit.id}
    return (units or UnitTree.load()).below(unit.id)


def counters_of(scope: Scope, units: UnitTree | None = None):
    """The scope's counters as a subquery of ids, or None for every counter."""
    if scope.counter is None and scope.unit is None and scope.service is None:
        return None
    query = db.select(ServiceCounter.id)
    if scope.counter is not None:
        query = query.where(ServiceCounter.id == scope.counter.id)
    if scope.unit is not None:
        query = query.where(ServiceCounter.unit_id.in_(
            _unit_ids(scope.unit, scope.subunits, units)))
    if scope.service is not None:
        query = query.where(ServiceCounter.id.in_(db.select(counter_services.c.counter_id).where(
            counter_services.c.service_id == scope.service.id)))
    return query


def check_range(start: date, end: date, field_name: str = "to") -> None:
    if start > end:
        raise RuleViolation(_l("Tanggal akhir tidak boleh sebelum tanggal awal."), field_name)
    if end.year - start.year > MAX_YEARS or (
            end.year - start.year == MAX_YEARS and (end.month, end.day) >= (start.month, start.day)):
        raise RuleViolation(_l("Rentang laporan paling lama %(years)s tahun.", years=MAX_YEARS),
                            field_name)


def scope_from_codes(unit: str | None = None, counter: str | None = None,
                     service: str | None = None, subunits: bool = True) -> Scope:
    """For the API: codes as the organisation names them; an unknown code is a RuleViolation."""
    found = {}
    for name, model, code, message in (
            ("unit", Unit, unit, _l("Kode unit tidak dikenal: %(code)s")),
            ("counter", ServiceCounter, counter, _l("Kode loket tidak dikenal: %(code)s")),
            ("service", Service, service, _l("Kode layanan tidak dikenal: %(code)s"))):
        if code:
            found[name] = db.session.scalar(db.select(model).where(
                func.upper(model.code) == code.strip().upper()))
            if found[name] is None:
                raise RuleViolation(str(message) % {"code": code[:40]}, name)
    return Scope(subunits=subunits, **found)


# ---------------------------------------------------------------- a reader's scope


def default_unit(user: User) -> Unit | None:
    """Where a reader's report starts: HR the whole kabupaten, a head the top unit they lead."""
    if access.sees_every_unit_ikm(user):
        return None
    headed = org.units_headed_by(user.employee)
    return headed[0].unit if headed else None


def reader_scope(user: User, unit_id: int | None = None, counter_id: int | None = None,
                 service_id: int | None = None, subunits: bool = True) -> tuple[Scope, list[str]]:
    """The scope a reader asked for by ids, and the names of the filters whose id names
    nothing ("unit", "counter", "service"; each left out). A counter is narrower than any unit,
    so the unit does not narrow it further; no unit and no counter is the reader's default unit.
    A scope beyond the reader's reach is NotAllowed."""
    found, unknown = {}, []
    for name, model, wanted in (("unit", Unit, unit_id), ("counter", ServiceCounter, counter_id),
                                ("service", Service, service_id)):
        found[name] = db.session.get(model, wanted) if wanted is not None else None
        if wanted is not None and found[name] is None:
            unknown.append(name)
    unit, counter = found["unit"], found["counter"]
    if counter is not None:
        unit = None
    elif unit is None:
        unit = default_unit(user)
    scope = Scope(unit, counter, found["service"], subunits=subunits)
    if not access.can_view_ikm(user, scope.home_unit):
        raise NotAllowed
    return scope, unknown


def reporting_day(user: User, scope: Scope) -> date:
    """Today where the report is about: in its unit's time zone, else in the reader's."""
    return calendar.today_in((scope.home_unit or user.employee).time_zone)


@dataclass
class Choices:
    units: list[tuple[int, str]]
    counters: list[ServiceCounter]
    services: list[Service]


def filter_choices(user: User) -> Choices:
    """The units, counters and services a reader may filter by."""
    units = org.unit_choices()
    counters = db.select(ServiceCounter).options(db.joinedload(ServiceCounter.unit)) \
        .order_by(ServiceCounter.code)
    if not access.sees_every_unit_ikm(user):
        allowed = access.headed_unit_ids(user.employee)
        units = [(unit_id, label) for unit_id, label in units if unit_id in allowed]
        counters = counters.where(ServiceCounter.unit_id.in_(allowed))
    return Choices(units, list(db.session.scalars(counters)), org.all_services())

"""Small builders for test data: valid by default, every field overridable."""
import itertools
from datetime import date, timedelta

from kinerja.extensions import db
from kinerja.models import (
    Employee,
    Position,
    Service,
    ServiceCounter,
    TimeZone,
    Unit,
    UnitKind,
    User,
)
from kinerja.services.accounts import hash_password

PASSWORD = "sandi-rahasia-2026"
_sequence = itertools.count(1)


def valid_nip(n: int | None = None, *, sex: str = "1") -> str:
    """An 18-digit NIP with a real birth date, a real appointment month and a sex digit."""
    n = next(_sequence) if n is None else n
    birth = date(1975, 1, 1) + timedelta(days=n % 7000)
    appointed = f"{2000 + n % 20}{1 + n % 12:02d}"
    return f"{birth:%Y%m%d}{appointed}{sex}{1 + n % 999:03d}"


def make_unit(name: str | None = None, *, parent: Unit | None = None, head: Employee | None = None,
              kind: UnitKind = UnitKind.DINAS, time_zone: TimeZone = TimeZone.WITA, **fields) -> Unit:
    n = next(_sequence)
    unit = Unit(code=fields.pop("code", f"U{n:04d}"), name=name or f"Unit {n}", kind=kind,
                time_zone=time_zone, parent=parent, **fields)
    db.session.add(unit)
    db.session.flush()
    if head is not None:
        unit.head = head
    db.session.commit()
    return unit


def make_employee(name: str | None = None, *, unit: Unit | None = None,
                  supervisor: Employee | None = None, position: str | None = None,
                  **fields) -> Employee:
    n = next(_sequence)
    employee = Employee(nip=fields.pop("nip", None) or valid_nip(n), name=name or f"Pegawai {n}",
                        unit=unit, supervisor=supervisor, **fields)
    db.session.add(employee)
    if position:
        with db.session.no_autoflush:
            employee.position = db.session.scalar(db.select(Position).filter_by(name=position)) \
                or Position(name=position)
    db.session.commit()
    return employee


def make_user(employee: Employee | None = None, *, username: str | None = None,
              password: str = PASSWORD, hr: bool = False, admin: bool = False, **fields) -> User:
    employee = employee or make_employee()
    user = User(employee=employee, username=username, password_hash=hash_password(password),
                is_hr=hr, is_admin=admin, **fields)
    db.session.add(user)
    db.session.commit()
    return user


def make_counter(unit: Unit, *, code: str | None = None, name: str = "Loket 1",
                 services: list[Service] = ()) -> ServiceCounter:
    counter = ServiceCounter(code=code or f"L{next(_sequence):04d}", name=name, unit=unit,
                             services=list(services))
    db.session.add(counter)
    db.session.commit()
    return counter


# ---------------------------------------------------------------- SKP

def make_period(year: int = 2026, *, status=None, cadence=None):
    from kinerja.models import Cadence, Period, PeriodStatus
    period = Period(year=year, status=status or PeriodStatus.OPEN,
                    cadence=cadence or Cadence.MONTHLY)
    db.session.add(period)
    db.session.commit()
    return period


def make_skp(employee: Employee, period, *, status=None, rhks: int = 0):
    """An SKP with `rhks` RHK, each with one quantity indicator (target 12 dokumen)."""
    from kinerja.models import Skp, SkpStatus
    skp = Skp(employee=employee, period=period, status=status or SkpStatus.DRAFT)
    db.session.add(skp)
    db.session.commit()
    for n in range(rhks):
        make_rhk(skp, f"RHK {n + 1} {employee.name}")
    return skp


def make_rhk(skp, text: str = "Terlaksananya pelayanan", *, parent=None, kind=None,
             target: str = "12", unit_of_measure: str = "dokumen"):
    from decimal import Decimal

    from kinerja.models import Aspect, Indicator, Rhk, RhkKind
    rhk = Rhk(skp=skp, text=text, parent=parent, kind=kind or RhkKind.MAIN,
              position=len(skp.rhks))
    rhk.indicators.append(Indicator(aspect=Aspect.QUANTITY, text=f"Jumlah {text.lower()}",
                                    target=Decimal(target), unit_of_measure=unit_of_measure))
    db.session.add(rhk)
    db.session.commit()
    return rhk


def make_activity(employee: Employee, rhk, day, *, quantity: str | None = "1", minutes: int = 60,
                  description: str = "Memverifikasi berkas permohonan", status=None):
    from decimal import Decimal

    from kinerja.models import Activity, ActivityStatus
    activity = Activity(employee=employee, period_id=rhk.skp.period_id, day=day, minutes=minutes,
                        description=description, rhk=rhk,
                        indicator=rhk.indicators[0] if rhk.indicators else None,
                        quantity=Decimal(quantity) if quantity is not None else None,
                        status=status or ActivityStatus.REPORTED)
    db.session.add(activity)
    db.session.commit()
    return activity

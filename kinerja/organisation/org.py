"""Keeping the organisation: units, employees, positions, services and counters."""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, or_

from kinerja.core import audit
from kinerja.core.errors import RuleViolation
from kinerja.core.text import single_stop
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.asn import MasterData
from kinerja.organisation.models import Employee, Position, Service, ServiceCounter, Unit, User
from kinerja.organisation.nip import InvalidNip, parse_nip

# ---------------------------------------------------------------- units


@dataclass
class UnitNode:
    unit: Unit
    employee_count: int
    children: list["UnitNode"] = field(default_factory=list)

    @property
    def total_employees(self) -> int:
        return self.employee_count + sum(child.total_employees for child in self.children)


def unit_tree(include_inactive: bool = False) -> list[UnitNode]:
    """All units as a forest, each with its active employee count, in two queries."""
    query = db.select(Unit).options(db.joinedload(Unit.head)).order_by(Unit.name)
    if not include_inactive:
        query = query.where(Unit.active.is_(True))
    units = db.session.scalars(query).unique().all()
    counts = dict(db.session.execute(
        db.select(Employee.unit_id, func.count(Employee.id))
        .where(Employee.active.is_(True)).group_by(Employee.unit_id)
    ).all())
    nodes = {unit.id: UnitNode(unit, counts.get(unit.id, 0)) for unit in units}
    roots = []
    for unit in units:
        node = nodes[unit.id]
        parent = nodes.get(unit.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def unit_choices() -> list[tuple[int, str]]:
    """(id, label) pairs for select boxes, indented by depth."""
    choices: list[tuple[int, str]] = []

    def walk(nodes, depth):
        for node in nodes:
            choices.append((node.unit.id, "\u2003" * depth + node.unit.name))
            walk(node.children, depth + 1)

    walk(unit_tree(), 0)
    return choices


def _check_unit_parent(unit: Unit | None, parent: Unit | None) -> None:
    seen = 0
    while parent is not None and seen < 100:
        if unit is not None and parent.id == unit.id:
            raise RuleViolation(_l("Unit induk tidak boleh unit ini sendiri atau unit di bawahnya."),
                                field="parent_id")
        parent, seen = parent.parent, seen + 1


def save_unit(actor: User, unit: Unit | None, *, code: str, name: str, kind, time_zone,
              parent_id: int | None, head_nip: str | None, address: str | None,
              active: bool = True) -> Unit:
    code = code.strip().upper()
    clash = db.session.scalar(db.select(Unit.id).where(Unit.code == code))
    if clash and (unit is None or clash != unit.id):
        raise RuleViolation(_l("Kode unit sudah dipakai."), field="code")
    parent = db.session.get(Unit, parent_id) if parent_id else None
    _check_unit_parent(unit, parent)
    head = None
    if head_nip:
        head = employee_by_nip(head_nip.replace(" ", ""))
        if head is None:
            raise RuleViolation(_l("Tidak ada pegawai dengan NIP ini."), field="head_nip")
    creating = unit is None
    if creating:
        unit = Unit()
        db.session.add(unit)
    unit.code, unit.name, unit.kind, unit.time_zone = code, name.strip(), kind, time_zone
    unit.parent, unit.head, unit.address, unit.active = parent, head, address or None, active
    db.session.flush()
    audit.record("unit.created" if creating else "unit.updated", actor=actor, subject=unit,
                 summary=f"{unit.code} {unit.name}")
    db.session.commit()
    return unit


# ---------------------------------------------------------------- employees

MASTER_DATA_FIELDS = ("asn_status", "rank", "rank_tmt", "position_kind", "jenjang")


def search_employees(text: str = "", unit_id: int | None = None, page: int = 1,
                     per_page: int = 25, include_inactive: bool = False):
    """A page of employees matching a name or NIP fragment, with unit and position loaded."""
    query = db.select(Employee).options(
        db.joinedload(Employee.unit), db.joinedload(Employee.position),
        db.joinedload(Employee.supervisor),
    ).where(Employee.is_ppk.is_(False))  # the PPK is no ASN: kept on Admin → PPK
    text = (text or "").strip()
    if text:
        digits = text.replace(" ", "")
        pattern = f"%{text.lower()}%"
        conditions = [func.lower(Employee.name).like(pattern)]
        if digits.isdigit():
            conditions.append(Employee.nip.like(f"{digits}%"))
        query = query.where(or_(*conditions))
    if unit_id:
        query = query.where(Employee.unit_id == unit_id)
    if not include_inactive:
        query = query.where(Employee.active.is_(True))
    query = query.order_by(Employee.name, Employee.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def position_named(name: str | None) -> Position | None:
    name = " ".join((name or "").split())
    if not name:
        return None
    position = db.session.scalar(db.select(Position).where(Position.name == name))
    if position is None:
        position = Position(name=name)
        db.session.add(position)
    return position


def position_names() -> list[str]:
    return list(db.session.scalars(db.select(Position.name).order_by(Position.name)))


def check_supervisor(employee: Employee | None, supervisor: Employee | None) -> None:
    """A supervisor must exist and must not be the employee or anyone below them."""
    current, depth = supervisor, 0
    while current is not None and depth < 100:
        if employee is not None and current.id == employee.id:
            raise RuleViolation(
                _l("Atasan tidak boleh pegawai ini sendiri atau bawahannya (rantai melingkar)."),
                field="supervisor_nip",
            )
        current, depth = current.supervisor, depth + 1


def employee_by_nip(nip: str) -> Employee | None:
    return db.session.scalar(db.select(Employee).where(Employee.nip == nip))


def save_employee(actor: User, employee: Employee | None, *, nip: str, name: str,
                  position: str | None, unit_id: int | None, supervisor_nip: str | None,
                  email: str | None = None, phone: str | None = None,
                  active: bool = True, master_data: MasterData | None = None) -> Employee:
    """Create or change an employee. `master_data` None leaves status, rank and jenis jabatan
    as they are (callers that do not edit them); a MasterData replaces them."""
    if master_data is not None:
        master_data = master_data.completed()
        for name, reason in master_data.problems():
            raise RuleViolation(reason, field=name)
    try:
        nip = parse_nip(nip).value
    except InvalidNip as problem:
        raise RuleViolation(problem.args[0], field="nip") from None
    clash = employee_by_nip(nip)
    if clash is not None and (employee is None or clash.id != employee.id):
        raise RuleViolation(single_stop(str(_l("NIP sudah terdaftar untuk %(name)s.", name=clash.name))),
                            field="nip")
    supervisor = None
    if supervisor_nip:
        supervisor = employee_by_nip(supervisor_nip.replace(" ", ""))
        if supervisor is None:
            raise RuleViolation(_l("Tidak ada pegawai dengan NIP atasan ini."),
                                field="supervisor_nip")
        check_supervisor(employee, supervisor)
    unit = db.session.get(Unit, unit_id) if unit_id else None
    creating = employee is None
    if creating:
        employee = Employee()
        db.session.add(employee)
    before = _employee_snapshot(employee) if not creating else None
    employee.nip, employee.name = nip, " ".join(name.split())
    employee.position = position_named(position)
    employee.unit, employee.supervisor = unit, supervisor
    employee.email, employee.phone, employee.active = email or None, phone or None, active
    if master_data is not None:
        for name in MASTER_DATA_FIELDS:
            setattr(employee, name, getattr(master_data, name))
    db.session.flush()
    after = _employee_snapshot(employee)
    if creating:
        audit.record("employee.created", actor=actor, subject=employee, summary=nip)
    elif before != after:
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        audit.record("employee.updated", actor=actor, subject=employee, summary=nip,
                     changes=changed)
    db.session.commit()
    return employee


def _employee_snapshot(employee: Employee) -> dict:
    return {
        "nip": employee.nip, "name": employee.name, "position": employee.position_name,
        "unit": employee.unit.code if employee.unit else None,
        "supervisor": employee.supervisor.nip if employee.supervisor else None,
        "email": employee.email, "phone": employee.phone, "active": employee.active,
        **{name: (str(value) if (value := getattr(employee, name)) is not None else None)
           for name in MASTER_DATA_FIELDS},
    }


def supervisor_chain(employee: Employee) -> list[Employee]:
    """The supervisor, theirs, and so on up (at most 50): one query, not one per level."""
    if employee.supervisor_id is None:
        return []
    up = (db.select(Employee.id, Employee.supervisor_id, literal(1).label("depth"))
          .where(Employee.id == employee.supervisor_id).cte("up", recursive=True))
    up = up.union_all(db.select(Employee.id, Employee.supervisor_id, up.c.depth + 1)
                      .join(up, Employee.id == up.c.supervisor_id).where(up.c.depth < 50))
    return list(db.session.scalars(
        db.select(Employee).join(up, Employee.id == up.c.id)
        .options(db.joinedload(Employee.position)).order_by(up.c.depth)))


def organisation_counts() -> dict[str, int]:
    def count(model, *where):
        return db.session.scalar(db.select(func.count()).select_from(model).where(*where))

    return {
        "units": count(Unit, Unit.active.is_(True)),
        "employees": count(Employee, Employee.active.is_(True)),
        "counters": count(ServiceCounter, ServiceCounter.active.is_(True)),
        "accounts": count(User, User.enabled.is_(True)),
        "unplaced": count(Employee, Employee.active.is_(True), Employee.unit_id.is_(None)),
    }


# ---------------------------------------------------------------- counters and services


def all_services() -> list[Service]:
    return list(db.session.scalars(db.select(Service).order_by(Service.name)))


def counters_page(unit_id: int | None = None, page: int = 1, per_page: int = 50):
    query = (db.select(ServiceCounter)
             .options(db.joinedload(ServiceCounter.unit), db.selectinload(ServiceCounter.services))
             .join(ServiceCounter.unit).order_by(Unit.name, ServiceCounter.code))
    if unit_id:
        query = query.where(ServiceCounter.unit_id == unit_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def save_counter(actor: User, counter: ServiceCounter | None, *, code: str, name: str,
                 unit_id: int, location: str | None, service_ids: list[int],
                 active: bool = True) -> ServiceCounter:
    code = code.strip().upper()
    clash = db.session.scalar(db.select(ServiceCounter.id).where(ServiceCounter.code == code))
    if clash and (counter is None or clash != counter.id):
        raise RuleViolation(_l("Kode loket sudah dipakai."), field="code")
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise RuleViolation(_l("Pilih unit yang ada."), field="unit_id")
    creating = counter is None
    if creating:
        counter = ServiceCounter()
        db.session.add(counter)
    counter.code, counter.name, counter.unit = code, name.strip(), unit
    counter.location, counter.active = location or None, active
    counter.services = list(db.session.scalars(
        db.select(Service).where(Service.id.in_(service_ids or [-1]))
    ))
    db.session.flush()
    audit.record("counter.created" if creating else "counter.updated", actor=actor,
                 subject=counter, summary=f"{counter.code} {counter.name}")
    db.session.commit()
    return counter


def save_service(actor: User, *, code: str, name: str) -> Service:
    code = code.strip().upper()
    if db.session.scalar(db.select(Service.id).where(
        or_(Service.code == code, Service.name == name.strip())
    )):
        raise RuleViolation(_l("Layanan dengan kode atau nama ini sudah ada."), field="code")
    service = Service(code=code, name=name.strip())
    db.session.add(service)
    db.session.flush()
    audit.record("service.created", actor=actor, subject=service, summary=name)
    db.session.commit()
    return service


def direct_reports(employee: Employee) -> list[Employee]:
    if not access.has_direct_reports(employee):
        return []  # most people; the navigation asked already
    return list(db.session.scalars(
        db.select(Employee).options(db.joinedload(Employee.position))
        .where(Employee.supervisor_id == employee.id, Employee.active.is_(True))
        .order_by(Employee.name)
    ))


def units_headed_by(employee: Employee) -> list[UnitNode]:
    """The units this employee leads, each with its sub-tree and staff counts."""
    if not access.is_head_of_unit(employee):
        return []  # most people: no need for the whole tree (the navigation asked already)
    found = []

    def walk(nodes):
        for node in nodes:
            if node.unit.head_id == employee.id:
                found.append(node)
            else:
                walk(node.children)

    walk(unit_tree())
    return found

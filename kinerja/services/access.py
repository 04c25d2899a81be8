"""The access policy: one place that answers "may this user see or do this to that object".

Supervisor and head-of-unit rights come from the organisation chart (Employee.supervisor,
Unit.head), never from a flag; HR and admin are roles granted on the account.
"""
from kinerja.extensions import db
from kinerja.models import Employee, Unit, User

# The longest supervisor chain or unit path we follow; real ones are under ten levels.
MAX_DEPTH = 50


def manages_organisation(user: User) -> bool:
    """HR and admin keep units, employees and counters."""
    return bool(user.is_hr or user.is_admin)


def manages_accounts(user: User) -> bool:
    return bool(user.is_admin)


def reads_audit_trail(user: User) -> bool:
    return bool(user.is_admin)


def supervises(boss: Employee, employee: Employee) -> bool:
    """Is `boss` the direct supervisor of `employee`, or further up the chain?"""
    current, depth = employee.supervisor, 0
    while current is not None and depth < MAX_DEPTH:
        if current.id == boss.id:
            return True
        current, depth = current.supervisor, depth + 1
    return False


def unit_and_ancestors(unit: Unit | None) -> list[Unit]:
    chain, depth = [], 0
    while unit is not None and depth < MAX_DEPTH:
        chain.append(unit)
        unit, depth = unit.parent, depth + 1
    return chain


def heads(head: Employee, unit: Unit | None) -> bool:
    """Does `head` lead this unit, or a unit above it?"""
    return any(u.head_id == head.id for u in unit_and_ancestors(unit))


def headed_unit_ids(employee: Employee) -> set[int]:
    """Every unit the employee leads, with all units below them."""
    rows = db.session.execute(db.select(Unit.id, Unit.parent_id, Unit.head_id)).all()
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id, _ in rows:
        children.setdefault(parent_id, []).append(unit_id)
    found: set[int] = set()
    stack = [unit_id for unit_id, _, head_id in rows if head_id == employee.id]
    while stack:
        unit_id = stack.pop()
        if unit_id not in found:
            found.add(unit_id)
            stack.extend(children.get(unit_id, []))
    return found


def is_head_of_unit(employee: Employee) -> bool:
    return db.session.scalar(db.select(Unit.id).where(Unit.head_id == employee.id).limit(1)) is not None


def can_view_employee(user: User, employee: Employee) -> bool:
    me = user.employee
    return (
        manages_organisation(user)
        or employee.id == me.id
        or supervises(me, employee)
        or heads(me, employee.unit)
    )


def can_edit_employee(user: User, employee: Employee) -> bool:
    return manages_organisation(user)


def can_view_unit(user: User, unit: Unit) -> bool:
    me = user.employee
    return manages_organisation(user) or heads(me, unit) or me.unit_id == unit.id


def can_edit_unit(user: User, unit: Unit | None = None) -> bool:
    return manages_organisation(user)


# ---------------------------------------------------------------- performance (SKP and activities)


def sees_all_performance(user: User) -> bool:
    """HR sees every employee's performance data; admins keep the system, not the people."""
    return bool(user.is_hr)


def can_view_performance(user: User, employee: Employee) -> bool:
    """Own data; a supervisor down the chain; a head of unit for the unit; HR for everyone."""
    me = user.employee
    return (
        sees_all_performance(user)
        or employee.id == me.id
        or supervises(me, employee)
        or heads(me, employee.unit)
    )


def approver_of(employee: Employee) -> Employee | None:
    """Who agrees an employee's SKP: the direct supervisor (None at the top of the chart)."""
    return employee.supervisor


def can_approve_skp_of(user: User, employee: Employee) -> bool:
    """The direct supervisor; for someone with no supervisor (the top of the chart), HR."""
    approver = approver_of(employee)
    if approver is None:
        return sees_all_performance(user) and user.employee.id != employee.id
    return approver.id == user.employee.id


def can_review_activities_of(user: User, employee: Employee) -> bool:
    """Verifying daily reports is the direct supervisor's job."""
    return employee.supervisor_id is not None and employee.supervisor_id == user.employee.id

"""The cascade of a unit for a year: unit goals -> heads' RHK -> each level's RHK, and who
has no approved SKP yet. Built from a handful of queries, whatever the size of the unit."""
from dataclasses import dataclass, field

from kinerja.core import calendar
from kinerja.extensions import db
from kinerja.organisation import tree
from kinerja.organisation.models import Employee, Unit
from kinerja.performance import skps as plans
from kinerja.performance.models import Period, Rhk, Skp, SkpStatus, UnitGoal


@dataclass
class RhkNode:
    rhk: Rhk
    employee: Employee
    skp: Skp
    children: list["RhkNode"] = field(default_factory=list)


@dataclass
class GoalNode:
    goal: UnitGoal
    children: list[RhkNode] = field(default_factory=list)


@dataclass
class Cascade:
    goals: list[GoalNode]
    unlinked: list[RhkNode]          # RHK not derived from anything in this unit (yet)
    without_approved_skp: list[tuple[Employee, Skp | None]]
    employee_count: int


def has_approved_version(skp: Skp | None) -> bool:
    # Under revision (a draft of version 2+) still means an approved plan exists.
    return skp is not None and (skp.status is SkpStatus.APPROVED or skp.version > 1)


def build(unit: Unit, period: Period) -> Cascade:
    unit_ids = tree.subtree_ids(unit)
    employees = db.session.scalars(
        db.select(Employee).where(Employee.unit_id.in_(unit_ids), Employee.active.is_(True))
        .options(db.selectinload(Employee.position)).order_by(Employee.name)).all()
    by_id = {e.id: e for e in employees}
    # The plans running now (a transfer may have closed someone's earlier plan of the year).
    month = plans.month_in(period, calendar.today_in(unit.time_zone))
    skps = db.session.scalars(
        db.select(Skp).where(plans.covering(period, month), Skp.employee_id.in_(list(by_id)))
        .options(db.selectinload(Skp.rhks).selectinload(Rhk.indicators))).all()
    skp_of = {s.employee_id: s for s in skps}
    goals = db.session.scalars(
        db.select(UnitGoal).where(UnitGoal.period_id == period.id, UnitGoal.unit_id.in_(unit_ids))
        .order_by(UnitGoal.unit_id, UnitGoal.position, UnitGoal.id)).all()

    nodes = {rhk.id: RhkNode(rhk, by_id[skp.employee_id], skp) for skp in skps for rhk in skp.rhks}
    goal_nodes = {goal.id: GoalNode(goal) for goal in goals}
    unlinked = []
    for node in nodes.values():
        rhk = node.rhk
        if rhk.parent_rhk_id in nodes:
            nodes[rhk.parent_rhk_id].children.append(node)
        elif rhk.unit_goal_id in goal_nodes:
            goal_nodes[rhk.unit_goal_id].children.append(node)
        else:
            unlinked.append(node)
    missing = [(e, skp_of.get(e.id)) for e in employees if not has_approved_version(skp_of.get(e.id))]
    return Cascade(list(goal_nodes.values()), unlinked, missing, len(employees))

"""Keeps activity_rollups (per indicator per month: quantity and count of the activities that
count) current. Every change to an activity passes its before and after through `apply`, in the
same transaction; bulk loads call `rebuild`."""
from decimal import Decimal

from sqlalchemy.dialects import postgresql, sqlite

from kinerja.extensions import db
from kinerja.performance.models import Activity, ActivityRollup, ActivityStatus, Period

Counted = tuple[int, int, int, int, Decimal]  # indicator, month, employee, period, quantity


def counted(activity: Activity) -> Counted | None:
    """What the activity adds to the rollup, or None (no indicator, or returned)."""
    if activity.indicator_id is None or activity.status is ActivityStatus.RETURNED:
        return None
    return (activity.indicator_id, activity.day.month, activity.employee_id, activity.period_id,
            activity.quantity or Decimal(0))


def _bump(entry: Counted, sign: int) -> None:
    indicator_id, month, employee_id, period_id, quantity = entry
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(ActivityRollup)
    statement = insert.values(indicator_id=indicator_id, month=month, employee_id=employee_id,
                              period_id=period_id, quantity=quantity * sign, activities=sign)
    statement = statement.on_conflict_do_update(
        index_elements=["indicator_id", "month"],
        set_={"quantity": ActivityRollup.quantity + statement.excluded.quantity,
              "activities": ActivityRollup.activities + statement.excluded.activities})
    db.session.execute(statement)


def apply(before: Counted | None, after: Counted | None) -> None:
    if before == after:
        return
    if before is not None:
        _bump(before, -1)
    if after is not None:
        _bump(after, +1)


def rebuild(period_id: int) -> None:
    """Recount a period's rollups from its activities (after a bulk load)."""
    db.session.execute(db.delete(ActivityRollup).where(ActivityRollup.period_id == period_id))
    month = db.extract("month", Activity.day)
    db.session.execute(db.insert(ActivityRollup).from_select(
        ["indicator_id", "month", "employee_id", "period_id", "quantity", "activities"],
        db.select(Activity.indicator_id, month, db.func.min(Activity.employee_id),
                  Activity.period_id, db.func.coalesce(db.func.sum(Activity.quantity), 0),
                  db.func.count(Activity.id))
        .where(Activity.period_id == period_id, Activity.indicator_id.is_not(None),
               Activity.status != ActivityStatus.RETURNED)
        .group_by(Activity.indicator_id, month, Activity.period_id)))


def rebuild_all_periods() -> None:
    for period_id in db.session.scalars(db.select(Period.id)):
        rebuild(period_id)

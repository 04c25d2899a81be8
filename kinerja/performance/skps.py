"""Which SKP covers a day or a month: an employee may have several plans in one year (a transfer
closes one and opens the next), each covering its months, so every "the SKP of E in year Y"
asks here for the plan of a day or a month.

The month is the unit: realisation, feedback and evaluation points are monthly (or quarterly),
so a transfer moves plans at a month's boundary (see transfers.py).
"""
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import and_

from kinerja.core.memo import per_transaction
from kinerja.extensions import db
from kinerja.organisation.models import Employee
from kinerja.performance.models import Period, Skp


def month_in(period: Period, day: date) -> int:
    """The month of `period` that stands for `day`: its own month within the year, December for
    a later day (a past year is read as it ended), January for an earlier one."""
    if day.year > period.year:
        return 12
    if day.year < period.year:
        return 1
    return day.month


def covering(period: Period, month: int):
    """The SQL condition "this SKP of the period covers `month`", to join or filter on."""
    return and_(Skp.period_id == period.id, Skp.first_month <= month, Skp.last_month >= month)


def _employee_id(employee: Employee | int) -> int | None:
    return employee if isinstance(employee, int) else employee.id


# The dashboard's agenda and its progress card, a plan page and its access checks each ask for
# the same plan: kept for the request (core/memo.py), forgotten on any write.
@per_transaction(key=lambda employee, period, month: (_employee_id(employee), period.id, month)
                 if _employee_id(employee) is not None and period.id is not None else None)
def skp_covering_month(employee: Employee | int, period: Period, month: int) -> Skp | None:
    employee_id = _employee_id(employee)
    return db.session.scalar(db.select(Skp).where(Skp.employee_id == employee_id,
                                                  covering(period, month)).limit(1))


def skp_covering(employee: Employee, day: date, period: Period | None = None) -> Skp | None:
    """The employee's plan on `day` (in `period` when given, else the period of the day's year).
    A day after the year of `period` reads its last plan, a day before it its first."""
    if period is None:
        period = db.session.scalar(db.select(Period).where(Period.year == day.year))
        if period is None:
            return None
    return skp_covering_month(employee, period, month_in(period, day))


def skps_in(employee: Employee, period: Period) -> list[Skp]:
    """Every plan of the employee in the year, in the order of their months."""
    return db.session.scalars(db.select(Skp).where(Skp.employee_id == employee.id,
                                                   Skp.period_id == period.id)
                              .order_by(Skp.first_month)).all()


def skps_covering(employee_ids: Iterable[int], period: Period, month: int,
                  *options) -> dict[int, Skp]:
    """employee id -> their plan covering `month`, for many employees in one query."""
    ids = list(employee_ids)
    if not ids:
        return {}
    return {skp.employee_id: skp for skp in db.session.scalars(
        db.select(Skp).where(Skp.employee_id.in_(ids), covering(period, month))
        .options(*options))}


def skps_by_employee(employee_ids: Iterable[int], period: Period,
                     *options) -> dict[int, list[Skp]]:
    """employee id -> all their plans of the year in month order, in one query."""
    ids = list(employee_ids)
    found: dict[int, list[Skp]] = defaultdict(list)
    if not ids:
        return found
    for skp in db.session.scalars(db.select(Skp).where(Skp.employee_id.in_(ids),
                                                       Skp.period_id == period.id)
                                  .options(*options).order_by(Skp.first_month)):
        found[skp.employee_id].append(skp)
    return found


def months_of(skps: Iterable[Skp]) -> dict[int, Skp]:
    """month -> the plan that covers it, among `skps` (one employee's year)."""
    return {month: skp for skp in skps for month in skp.months}

"""Recount every rollup from the raw rows: after a bulk load, a restore, or to check that the
incremental rollups (the daily and monthly rating rollups kept by ratings._bump_rollup, the
activity rollups kept by activity_rollup.apply) are right."""
from sqlalchemy import Date, and_, case, cast, func, literal

from kinerja.extensions import db
from kinerja.models import (
    DailyRollup,
    MonthlyDemographicRollup,
    MonthlyRollup,
    Period,
    Rating,
)
from kinerja.models.demographics import DIMENSIONS, DemographicRollup
from kinerja.models.feedback import ELEMENT_COLUMNS
from kinerja.services import activity_rollup
from kinerja.services.ratings import ROLLUP_COLUMNS


def _count_if(condition):
    return func.sum(case((condition, 1), else_=0))


def rebuild_rating_rollups() -> None:
    counted = Rating.excluded.is_(False)
    full = and_(*(getattr(Rating, c).is_not(None) for c in ELEMENT_COLUMNS))
    db.session.execute(db.delete(DailyRollup))
    db.session.execute(db.delete(DemographicRollup))
    element_columns = []
    for column in ELEMENT_COLUMNS:
        element_columns += [func.coalesce(func.sum(getattr(Rating, column)), 0),
                            func.count(getattr(Rating, column))]
    db.session.execute(db.insert(DailyRollup).from_select(
        ["counter_id", "day", "ratings", "score_1", "score_2", "score_3", "score_4",
         "full_surveys", *[f"{c}_{part}" for c in ELEMENT_COLUMNS for part in ("sum", "n")]],
        db.select(Rating.counter_id, Rating.local_day, func.count(Rating.id),
                  *[_count_if(Rating.score == s) for s in (1, 2, 3, 4)], _count_if(full),
                  *element_columns)
        .where(counted).group_by(Rating.counter_id, Rating.local_day)))
    for dimension in DIMENSIONS:
        column = getattr(Rating, dimension)
        db.session.execute(db.insert(DemographicRollup).from_select(
            ["counter_id", "day", "dimension", "value", "ratings", "full_surveys"],
            db.select(Rating.counter_id, Rating.local_day, literal(dimension), column,
                      func.count(Rating.id), _count_if(full))
            .where(counted, column.is_not(None))
            .group_by(Rating.counter_id, Rating.local_day, column)))
    rebuild_monthly_rollups()


def month_of(column):
    """The first day of a date column's month, in the connected database's SQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc("month", column), Date)
    return func.date(column, "start of month")


def rebuild_monthly_rollups() -> None:
    """The monthly rollups from the daily ones (a year of a counter: ~260 rows into 12)."""
    db.session.execute(db.delete(MonthlyRollup))
    db.session.execute(db.delete(MonthlyDemographicRollup))
    month = month_of(DailyRollup.day)
    db.session.execute(db.insert(MonthlyRollup).from_select(
        ["counter_id", "month", *ROLLUP_COLUMNS],
        db.select(DailyRollup.counter_id, month,
                  *[func.sum(getattr(DailyRollup, c)) for c in ROLLUP_COLUMNS])
        .group_by(DailyRollup.counter_id, month)))
    month = month_of(DemographicRollup.day)
    db.session.execute(db.insert(MonthlyDemographicRollup).from_select(
        ["counter_id", "month", "dimension", "value", "ratings", "full_surveys"],
        db.select(DemographicRollup.counter_id, month, DemographicRollup.dimension,
                  DemographicRollup.value, func.sum(DemographicRollup.ratings),
                  func.sum(DemographicRollup.full_surveys))
        .group_by(DemographicRollup.counter_id, month, DemographicRollup.dimension,
                  DemographicRollup.value)))


def rebuild_all() -> None:
    rebuild_rating_rollups()
    for period_id in db.session.scalars(db.select(Period.id)):
        activity_rollup.rebuild(period_id)
    db.session.commit()

"""Recount the rating rollups from the raw rows: after a bulk load, a restore, or to check that
the incremental rollups (the daily and monthly rows kept by the database's triggers on ratings,
migration 0012) are right. The activity rollups have their own (performance.activity_rollup)."""
from sqlalchemy import Date, and_, case, cast, func

from kinerja.extensions import db
from kinerja.feedback.demographics import RESPONDENT_CHOICES, demographic_column
from kinerja.feedback.models import (
    ELEMENT_COLUMNS,
    ROLLUP_COLUMNS,
    DailyRollup,
    MonthlyRollup,
    Rating,
    ServiceDailyRollup,
    ServiceMonthlyRollup,
)


def _count_if(condition):
    return func.sum(case((condition, 1), else_=0))


def rebuild_rating_rollups() -> None:
    counted = Rating.excluded.is_(False)
    full = and_(*(getattr(Rating, c).is_not(None) for c in ELEMENT_COLUMNS))
    db.session.execute(db.delete(DailyRollup))
    sums = {"ratings": func.count(Rating.id), "full_surveys": _count_if(full)}
    for score in (1, 2, 3, 4):
        sums[f"score_{score}"] = _count_if(Rating.score == score)
    for column in ELEMENT_COLUMNS:
        sums[f"{column}_sum"] = func.coalesce(func.sum(getattr(Rating, column)), 0)
        sums[f"{column}_n"] = func.count(getattr(Rating, column))
    for dimension, values in RESPONDENT_CHOICES.items():
        for value in values:
            gave = getattr(Rating, dimension) == value
            sums[demographic_column(dimension, value, "ratings")] = _count_if(gave)
            sums[demographic_column(dimension, value, "full")] = _count_if(and_(gave, full))
    db.session.execute(db.insert(DailyRollup).from_select(
        ["counter_id", "day", *ROLLUP_COLUMNS],
        db.select(Rating.counter_id, Rating.local_day, *(sums[c] for c in ROLLUP_COLUMNS))
        .where(counted).group_by(Rating.counter_id, Rating.local_day)))
    # The same per service received, for the ratings that name one (migration 0023).
    db.session.execute(db.delete(ServiceDailyRollup))
    db.session.execute(db.insert(ServiceDailyRollup).from_select(
        ["counter_id", "service_id", "day", *ROLLUP_COLUMNS],
        db.select(Rating.counter_id, Rating.service_id, Rating.local_day,
                  *(sums[c] for c in ROLLUP_COLUMNS))
        .where(counted, Rating.service_id.is_not(None))
        .group_by(Rating.counter_id, Rating.service_id, Rating.local_day)))
    rebuild_monthly_rollups()


def month_of(column):
    """The first day of a date column's month, in the connected database's SQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc("month", column), Date)
    return func.date(column, "start of month")


def rebuild_monthly_rollups() -> None:
    """The monthly rollups from the daily ones (a year of a counter: ~260 rows into 12), the
    counters' and the services'."""
    db.session.execute(db.delete(MonthlyRollup))
    month = month_of(DailyRollup.day)
    db.session.execute(db.insert(MonthlyRollup).from_select(
        ["counter_id", "month", *ROLLUP_COLUMNS],
        db.select(DailyRollup.counter_id, month,
                  *[func.sum(getattr(DailyRollup, c)) for c in ROLLUP_COLUMNS])
        .group_by(DailyRollup.counter_id, month)))
    db.session.execute(db.delete(ServiceMonthlyRollup))
    month = month_of(ServiceDailyRollup.day)
    db.session.execute(db.insert(ServiceMonthlyRollup).from_select(
        ["counter_id", "service_id", "month", *ROLLUP_COLUMNS],
        db.select(ServiceDailyRollup.counter_id, ServiceDailyRollup.service_id, month,
                  *[func.sum(getattr(ServiceDailyRollup, c)) for c in ROLLUP_COLUMNS])
        .group_by(ServiceDailyRollup.counter_id, ServiceDailyRollup.service_id, month)))

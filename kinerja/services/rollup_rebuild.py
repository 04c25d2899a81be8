"""Recount every rollup from the raw rows: after a bulk load, a restore, or to check that the
incremental rollups (kept by ratings._bump_rollup and activity_rollup.apply) are right."""
from sqlalchemy import and_, case, func, literal

from kinerja.extensions import db
from kinerja.models import DailyRollup, Period, Rating
from kinerja.models.demographics import DIMENSIONS, DemographicRollup
from kinerja.models.feedback import ELEMENT_COLUMNS
from kinerja.services import activity_rollup


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


def rebuild_all() -> None:
    rebuild_rating_rollups()
    for period_id in db.session.scalars(db.select(Period.id)):
        activity_rollup.rebuild(period_id)
    db.session.commit()

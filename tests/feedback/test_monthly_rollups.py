"""Monthly rollups (issue 9): kept with the daily ones on every accepted rating, exclusion and
inclusion -- by the database's triggers, whoever writes the rating (migration 0012) -- equal to a
rebuild from the raw ratings, backfilled by migration 0010 (and the respondents' answers moved
into their columns by 0011); reports read
them for whole months and the daily rows for the partial months at either end, with the same
figures as the daily rows alone."""
import random
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from kinerja.extensions import db
from kinerja.feedback import ikm_figures, ikm_report, ikm_scope, ratings, rollup_rebuild
from kinerja.feedback.demographics import DEMOGRAPHIC_COLUMNS
from kinerja.feedback.models import DailyRollup, MonthlyRollup, Rating
from tests.builders import full_survey, make_counter, make_kiosk, make_rating, make_ratings

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")
DAYS = [date(2026, 1, 5), date(2026, 1, 31), date(2026, 2, 2), date(2026, 2, 27),
        date(2026, 3, 2), date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 20),
        date(2026, 5, 4), date(2026, 6, 30)]
RESPONDENTS = [{"sex": "P", "age_group": "30-39"}, {"sex": "L", "education": "SMA"},
               {"occupation": "SWASTA"}, {}]


def morning(day: date) -> datetime:
    """09:00 WITA (the builders' units are in WITA)."""
    return datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)


@pytest.fixture
def counters(org):
    return [make_counter(org.section, code="DUK-01", name="Loket 1"),
            make_counter(org.dinas, code="DIN-01", name="Loket Dinas")]


@pytest.fixture
def rated(counters):
    """Ratings accepted the way kiosks send them, at two counters on days across six months:
    full surveys, one-tap ratings and partial ones, with and without respondent answers."""
    chance = random.Random(9)
    for n, counter in enumerate(counters):
        kiosk = make_kiosk(counter, f"Tablet {n}")[0]
        for day in DAYS[n:]:
            answers = []
            for k in range(3):
                elements = ({} if k == 1 else full_survey(chance.randint(2, 4),
                                                          U4=chance.randint(1, 4)))
                if k == 2:
                    elements = {"U1": chance.randint(1, 4), "U7": 3}
                answers.append({"score": chance.randint(1, 4), "elements": elements,
                                "respondent": RESPONDENTS[(k + n) % len(RESPONDENTS)]})
            make_ratings(kiosk, morning(day), answers)
    return counters


def _rows(model):
    columns = [c.name for c in model.__table__.columns]
    return sorted(tuple(row) for row in db.session.execute(
        sa.select(*(model.__table__.c[c] for c in columns))).all())


def _all_rollups():
    """Every rollup row, leaving out rows an exclusion brought down to zero (a rebuild does
    not write those; they count nothing)."""
    found = {}
    for model in (DailyRollup, MonthlyRollup):
        ratings_at = [c.name for c in model.__table__.columns].index("ratings")
        found[model.__tablename__] = [row for row in _rows(model) if row[ratings_at]]
    return found


def test_accepting_a_rating_bumps_its_day_and_its_month(counters):
    kiosk = make_kiosk(counters[0])[0]
    make_ratings(kiosk, morning(date(2026, 3, 31)),
                 [{"score": 4, "elements": full_survey(3), "respondent": {"sex": "P"}},
                  {"score": 2, "respondent": {"sex": "P", "occupation": "PNS"}}])
    monthly = db.session.scalars(sa.select(MonthlyRollup)).one()
    assert (monthly.counter_id, monthly.month) == (counters[0].id, date(2026, 3, 1))
    assert (monthly.ratings, monthly.score_4, monthly.score_2, monthly.full_surveys) == (2, 1, 1, 1)
    assert (monthly.u5_sum, monthly.u5_n) == (3, 1)
    answers = {c: getattr(monthly, c) for c in DEMOGRAPHIC_COLUMNS if getattr(monthly, c)}
    assert answers == {"sex_p_ratings": 2, "sex_p_full": 1, "occupation_pns_ratings": 1}


def test_monthly_rows_equal_a_rebuild_after_accepts_exclusions_and_inclusions(rated, org):
    hr = org.hr
    stored = db.session.scalars(sa.select(Rating).order_by(Rating.id)).all()
    for rating in stored[::4]:
        ratings.exclude(hr, rating, "Uji coba")
    for rating in stored[::8]:
        ratings.include(hr, rating)
    incremental = _all_rollups()
    assert incremental["rating_monthly_rollups"]
    assert any(getattr(row, column) for row in db.session.scalars(sa.select(MonthlyRollup))
               for column in DEMOGRAPHIC_COLUMNS)
    # Excluded ratings are out of the month as out of the day.
    excluded = sum(1 for r in stored if r.excluded)
    assert excluded and sum(r[2] for r in incremental["rating_monthly_rollups"]) == \
        len(stored) - excluded

    rollup_rebuild.rebuild_rating_rollups()
    db.session.commit()
    assert _all_rollups() == incremental


def test_rebuild_of_the_monthly_rollups_from_the_daily_ones_keeps_them(rated):
    before = _all_rollups()
    rollup_rebuild.rebuild_monthly_rollups()
    db.session.commit()
    assert _all_rollups() == before


def _daily_only(monkeypatch, scope, start, end):
    with monkeypatch.context() as patch:
        patch.setattr(ikm_figures, "_whole_months", lambda start, end: None)
        return ikm_report.report(scope, start, end)


def _same(mixed, daily):
    assert mixed.totals == daily.totals
    assert [(m.month, m.figures) for m in mixed.months] == \
        [(m.month, m.figures) for m in daily.months]
    assert [(c.id, c.figures) for c in mixed.comparison] == \
        [(c.id, c.figures) for c in daily.comparison]
    assert mixed.demographics == daily.demographics
    assert mixed.survey == daily.survey


@pytest.mark.parametrize(("start", "end"), [
    (date(2026, 1, 20), date(2026, 4, 5)),    # partial months at both ends
    (date(2026, 1, 31), date(2026, 6, 29)),   # one day of January; June without its last day
    (date(2026, 1, 1), date(2026, 12, 31)),   # whole months only
    (date(2026, 2, 1), date(2026, 3, 31)),    # whole months, none at the ends
    (date(2026, 2, 3), date(2026, 2, 27)),    # inside one month: daily rows only
    (date(2026, 1, 31), date(2026, 2, 2)),    # across a month end without a whole month
    (date(2025, 12, 15), date(2026, 3, 1)),   # starts in another year, ends on a 1st
])
def test_a_range_reads_the_same_figures_as_the_daily_rows_alone(rated, org, monkeypatch,
                                                                start, end):
    for scope in (ikm_scope.Scope(), ikm_scope.Scope(unit=org.dinas),
                  ikm_scope.Scope(counter=rated[0])):
        mixed = ikm_report.report(scope, start, end)
        _same(mixed, _daily_only(monkeypatch, scope, start, end))
        assert ikm_report.totals(scope, start, end) == mixed.totals
    year = ikm_report.report(ikm_scope.Scope(), date(2026, 1, 1), date(2026, 12, 31))
    assert year.totals.ratings == 3 * (len(DAYS) + len(DAYS) - 1)


def test_whole_months_come_from_the_monthly_rows(rated):
    """Take February's daily rows away: a report over whole months still counts February (from
    its monthly row), one over a partial February does not."""
    february = (DailyRollup.day >= date(2026, 2, 1)) & (DailyRollup.day < date(2026, 3, 1))
    in_february = db.session.scalar(sa.select(sa.func.sum(DailyRollup.ratings)).where(february))
    db.session.execute(sa.delete(DailyRollup).where(february))
    db.session.commit()
    whole = ikm_report.report(ikm_scope.Scope(), date(2026, 2, 1), date(2026, 2, 28))
    assert whole.totals.ratings == in_february > 0
    partial = ikm_report.report(ikm_scope.Scope(), date(2026, 2, 1), date(2026, 2, 27))
    assert partial.totals.ratings == 0


def test_migrations_0010_and_0011_backfill_the_monthly_rows_and_move_the_answers(rated):
    """Down to before the monthly rollups (0011's downgrade puts the answers back into their
    old tables), then up again: 0010 sums the months from the days, 0011 moves the answers
    into their columns, and every rollup row is as the kiosks' ratings left it."""
    expected = _all_rollups()
    db.session.commit()
    db.session.close()
    db.engine.dispose()
    downgrade(revision="0009")
    try:
        upgrade(revision="0010")
    finally:
        upgrade()
    assert _all_rollups() == expected


def test_reports_of_a_year_take_a_fixed_number_of_queries(rated, org):
    statements = []

    def count(*args):
        statements.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        ikm_report.report(ikm_scope.Scope(unit=org.dinas), date(2026, 1, 1),
                           date(2026, 12, 31))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) <= 6  # with the year's element weight (ikm_weights)
    assert all("ratings " not in s.split("FROM", 1)[-1][:40] for s in statements)


def test_a_day_past_the_end_of_a_month_of_the_last_year_does_not_break_the_split():
    assert ikm_figures._whole_months(date(9999, 12, 1), date(9999, 12, 31)) == \
        (date(9999, 12, 1), None)
    assert ikm_figures._whole_months(date(1, 1, 1), date(1, 1, 30)) is None
    assert ikm_figures._whole_months(date(2024, 2, 1), date(2024, 2, 29)) == \
        (date(2024, 2, 1), date(2024, 3, 1))
    assert ikm_figures._whole_months(date(2026, 1, 2), date(2026, 3, 30)) == \
        (date(2026, 2, 1), date(2026, 3, 1))


def _rollups(counter, day: date) -> list[tuple]:
    rows = (db.session.get(DailyRollup, (counter.id, day)),
            db.session.get(MonthlyRollup, (counter.id, day.replace(day=1))))
    for row in rows:
        db.session.refresh(row)
    return [(r.ratings, r.score_3, r.full_surveys, r.u1_sum, r.u1_n) for r in rows]


def test_the_database_rolls_up_a_rating_whoever_stores_it(counters, org):
    """Not only the kiosk API: a rating stored any other way (a script, an import) is counted
    by the database's triggers in the same statement, and leaves and re-enters with `excluded`."""
    counter = counters[0]
    day = date(2026, 3, 17)
    rating = make_rating(counter, day, 3, elements=full_survey(2))
    make_rating(counter, day, 4, excluded=True)  # not counted in IKM: not in the rollups
    assert _rollups(counter, day) == [(1, 1, 1, 2, 1)] * 2
    rating.excluded = True
    db.session.commit()
    assert _rollups(counter, day) == [(0, 0, 0, 0, 0)] * 2
    rating.excluded = False
    db.session.commit()
    assert _rollups(counter, day) == [(1, 1, 1, 2, 1)] * 2

"""Which element weight each year's IKM is computed with: HR chooses 0.111 (the regulation's
worksheet) or 1/9 (the regulation's text) per year; every IKM of that year uses it and every
report says which. A year HR has not chosen for uses 0.111."""
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from kinerja.core import audit
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback import ikm
from kinerja.feedback.models import IkmWeightConvention
from kinerja.organisation import access
from kinerja.organisation.models import User

LABELS = {"0.111": _l("0,111 (lembar kerja PermenPANRB 14/2017)"),
          "1/9": _l("1/9 (tepat, tanpa pembulatan)")}
# How a report writes the weight beside its figures ("NRR × 0,111").
SYMBOLS = {"0.111": _l("0,111"), "1/9": "1/9"}
FIRST_YEAR = 2017  # the regulation's year: nothing earlier is an IKM of it


CACHE_KEY = "ikm_weight_conventions"


def _chosen() -> dict[int, str]:
    """Every year's chosen convention (a row a year), read once per transaction: a page that
    computes several IKM (a unit's periods, a report and its services) reads them once."""
    chosen = db.session.info.get(CACHE_KEY)
    if chosen is None:
        chosen = dict(db.session.execute(
            db.select(IkmWeightConvention.year, IkmWeightConvention.weight)).all())
        db.session.info[CACHE_KEY] = chosen
    return chosen


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    # A new transaction may see another process's choice: read it again then.
    session.info.pop(CACHE_KEY, None)


def convention_for(year: int) -> str:
    """The weight's key (an ikm.WEIGHTS key) for IKM of `year`."""
    return _chosen().get(year, ikm.DEFAULT_WEIGHT)


def convention_for_range(start: date, end: date) -> str:
    """The convention of a report over [start, end]: the year it ends in (a range crossing a
    new year is reported under the newer year's convention, and says so)."""
    return convention_for(end.year)


def weight_of(convention: str) -> Fraction:
    return ikm.WEIGHTS[convention]


@dataclass(frozen=True)
class YearConvention:
    year: int
    convention: str
    chosen: bool  # False: nobody chose, the default applies
    chosen_by: User | None
    chosen_at: datetime | None

    @property
    def label(self) -> str:
        return str(LABELS[self.convention])


def conventions(today: date) -> list[YearConvention]:
    """Every year HR may set, newest first: next year, this year and back to the first year
    with a choice (at least three years)."""
    rows = {row.year: row for row in db.session.scalars(
        db.select(IkmWeightConvention).options(db.joinedload(IkmWeightConvention.chosen_by)))}
    oldest = min([today.year - 2, *rows])
    result = []
    for year in range(today.year + 1, max(oldest, FIRST_YEAR) - 1, -1):
        row = rows.get(year)
        result.append(YearConvention(year, row.weight if row else ikm.DEFAULT_WEIGHT,
                                     row is not None, row.chosen_by if row else None,
                                     row.chosen_at if row else None))
    return result


def choose(actor: User, year: int | None, convention: str | None,
           today: date) -> IkmWeightConvention:
    """HR sets the weight of a year's IKM (audited). Every report of that year then uses it,
    published ones included: a change is a decision to be recorded, not a silent one."""
    if not access.manages_ikm_weights(actor):
        raise NotAllowed
    if year is None or not FIRST_YEAR <= year <= today.year + 1:
        raise RuleViolation(_l("Tahun harus antara %(first)s dan %(last)s.",
                               first=FIRST_YEAR, last=today.year + 1), "year")
    if convention not in ikm.WEIGHTS:
        raise RuleViolation(_l("Pilih bobot 0,111 atau 1/9."), "weight")
    row = db.session.get(IkmWeightConvention, year)
    before = row.weight if row is not None else None
    if row is None:
        row = IkmWeightConvention(year=year, weight=convention)
        db.session.add(row)
    row.weight, row.chosen_by_id, row.chosen_at = convention, actor.id, utcnow()
    db.session.flush()
    audit.record("ikm.weight", actor=actor, subject=row,
                 summary=f"Bobot unsur IKM tahun {year}: {convention}", year=year,
                 weight=convention, before=before)
    db.session.commit()
    return row

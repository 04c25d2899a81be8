"""One result per person and evaluation point when a transfer split the person's year into
several plans: what the distribution curve, the predikat recap and the award rankings count.

Each plan is evaluated for its own months, so a transferred person has two final ("annual")
evaluations, and a quarter cut by the move has one in each plan. Counted as they are, the
person would weigh twice in a curve, or count with the closed plan's result alone. Here the
plans' evaluations of a point are combined as the year is (annual.py: each rating weighed by
the months of the point the plan covers, less the months missed on CLTN or tugas belajar),
and the point has no result until every plan that weighs in it has its evaluation set.

Read in bulk, whatever the headcount: the plans of the people whose year is split (few), their
set evaluations and their leave, three queries.
"""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kinerja.appraisal import annual
from kinerja.appraisal.models import Evaluation, EvaluationKind, EvaluationStatus
from kinerja.appraisal.predikat import Predikat, Rating, predikat
from kinerja.extensions import db
from kinerja.performance import leave
from kinerja.performance.models import Period, Skp


@dataclass(frozen=True)
class _Set:
    """A set evaluation as the combination reads it."""
    id: int
    result: Rating | None
    behaviour: Rating | None
    predikat: Predikat | None


@dataclass(frozen=True)
class Held:
    """A person's result at one point: combined when several plans weigh in it."""
    predikat: Predikat
    evaluation_id: int     # the evaluation of the latest plan that weighs in the point
    combined: annual.Combined


def point_months(period: Period, kind: EvaluationKind | str, point: int) -> range:
    """The months of the year an evaluation point looks at."""
    if EvaluationKind(kind) is EvaluationKind.ANNUAL:
        return range(1, 13)
    if period.cadence.value == "triwulanan":
        return range(3 * point - 2, 3 * point + 1)
    return range(point, point + 1)


@dataclass
class SplitYears:
    """The plans, set evaluations and missed months of the people loaded (see split_years)."""
    period: Period
    plans: dict[int, list[Skp]] = field(default_factory=dict)
    evaluations: dict[tuple[int, EvaluationKind, int], _Set] = field(default_factory=dict)
    missed: dict[int, set[int]] = field(default_factory=dict)

    @property
    def ids(self) -> set[int]:
        """The people whose year has several plans (the ones a count must combine)."""
        return {employee_id for employee_id, found in self.plans.items() if len(found) > 1}

    def held(self, employee_id: int, kind: EvaluationKind | str, point: int, *,
             replacing: Evaluation | None = None) -> Held | None:
        """The person's result at the point; None while a plan that weighs in it has no set
        evaluation there. `replacing`: an evaluation about to be set, counted with its saved
        ratings (what the appraiser is about to set)."""
        kind = EvaluationKind(kind)
        months = set(point_months(self.period, kind, point))
        missed = self.missed.get(employee_id, set())
        parts, latest, single = [], None, None
        for skp in self.plans.get(employee_id, []):
            weight = len([m for m in skp.months if m in months and m not in missed])
            if weight == 0:
                continue
            found = self.evaluations.get((skp.id, kind, point))
            if replacing is not None and replacing.skp_id == skp.id \
                    and EvaluationKind(replacing.kind) is kind and replacing.point == point:
                found = _Set(replacing.id, replacing.result_rating, replacing.behaviour_rating,
                             _predikat_of(replacing.result_rating, replacing.behaviour_rating))
            if found is None or found.result is None or found.behaviour is None:
                return None
            parts.append(annual.Part(weight, found.result, found.behaviour))
            latest, single = found, found
        if not parts:
            return None
        if len(parts) == 1 and single.predikat is not None:
            # One plan weighs: its own result as set (an objection's decision included).
            return Held(single.predikat, single.id,
                        annual.Combined(single.result, single.behaviour, single.predikat))
        combined = annual.combine(parts)
        return Held(combined.predikat, latest.id, combined)


def _predikat_of(result: Rating | None, behaviour: Rating | None) -> Predikat | None:
    return predikat(result, behaviour) if result and behaviour else None


def split_years(period: Period, employee_ids: Iterable[int] | None = None) -> SplitYears:
    """The people of the period whose year has a plan that does not cover the whole year (a
    transfer closed or opened it), with all their plans; and, with `employee_ids`, those
    people whatever their plans."""
    partial = db.select(Skp.employee_id).where(
        Skp.period_id == period.id, db.or_(Skp.first_month != 1, Skp.last_month != 12))
    who = Skp.employee_id.in_(partial)
    if employee_ids is not None:
        who = db.or_(who, Skp.employee_id.in_(list(employee_ids)))
    loaded = SplitYears(period)
    plans: dict[int, list[Skp]] = defaultdict(list)
    for skp in db.session.scalars(db.select(Skp).where(Skp.period_id == period.id, who)
                                  .order_by(Skp.employee_id, Skp.first_month)):
        plans[skp.employee_id].append(skp)
    loaded.plans = dict(plans)
    if not plans:
        return loaded
    skp_ids = [s.id for found in plans.values() for s in found]
    for row in db.session.execute(
            db.select(Evaluation.id, Evaluation.skp_id, Evaluation.kind, Evaluation.point,
                      Evaluation.result_rating, Evaluation.behaviour_rating, Evaluation.predikat)
            .where(Evaluation.skp_id.in_(skp_ids), Evaluation.status != EvaluationStatus.DRAFT)):
        loaded.evaluations[(row.skp_id, EvaluationKind(row.kind), row.point)] = _Set(
            row.id, row.result_rating, row.behaviour_rating, row.predikat)
    spans = leave.spans_of(list(plans), period.starts, period.ends)
    loaded.missed = {e: leave.missed_months(found, period.year) for e, found in spans.items()}
    return loaded


def merged(period: Period, rows: Iterable[tuple], *, replacing: Evaluation | None = None,
           adding: Predikat | None = None) -> list[tuple]:
    """Rows (employee id, kind, point, predikat, evaluation id) of set evaluations, with those
    of people whose year is split replaced by one combined row per point (none while a part is
    missing). `replacing`/`adding`: an evaluation about to be set, as distribution counts it."""
    rows = list(rows)
    split = split_years(period)
    if not split.ids:
        return rows
    kept = [row for row in rows if row[0] not in split.ids]
    points = defaultdict(set)
    for employee_id, kind, point, *_ in rows:
        if employee_id in split.ids:
            points[employee_id].add((EvaluationKind(kind), point))
    if replacing is not None and adding is not None and replacing.employee_id in split.ids:
        points[replacing.employee_id].add((EvaluationKind(replacing.kind), replacing.point))
    else:
        replacing = None
    for employee_id, found in points.items():
        for kind, point in found:
            held = split.held(employee_id, kind, point, replacing=replacing)
            if held is not None:
                kept.append((employee_id, kind, point, held.predikat, held.evaluation_id))
    return kept

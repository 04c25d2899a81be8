"""The distribution curve against the database: the organisation's capaian (organisational
predikat) its leader sets per unit and evaluation point, the limits table HR keeps (the
regulation's table by default), each employee's predikat at a point, and the status of a unit
against its curve, also as it would be once the evaluation about to be set is set.

One curve per evaluation point (PermenPANRB 6/2022): a month's (or quarter's) results are held
against the capaian of that month, the annual results against the annual capaian, never mixed.

Whose results count for a unit: the organisational predikat is recorded for OPD-level units
(dinas, badan, sekretariat, kecamatan...), and the curve applies to the employees of the unit
AND of every unit below it, except the sub-trees of units that have an organisational predikat
of their own for the period (they answer to their own curve, so nobody counts twice). Only
active employees count, as on the unit pages, and only those whose predikat is set.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from kinerja.appraisal import split_years
from kinerja.appraisal.models import (
    DistributionLimit,
    Evaluation,
    EvaluationKind,
    EvaluationStatus,
    UnitPredikat,
)
from kinerja.appraisal.predikat import (
    DEFAULT_LIMITS,
    Breach,
    Limit,
    OrganisationPredikat,
    Predikat,
    check_distribution,
)
from kinerja.core import audit
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.extensions import db
from kinerja.notifications.notifications import point_label
from kinerja.organisation import access
from kinerja.organisation.models import Employee, Unit, UnitKind, User
from kinerja.organisation.tree import UnitTree
from kinerja.performance.formatting import short_month_names
from kinerja.performance.models import Cadence, Period

# Units whose organisational predikat HR normally records (listed first on HR's page).
OPD_KINDS = frozenset({UnitKind.SEKRETARIAT, UnitKind.DINAS, UnitKind.BADAN, UnitKind.KECAMATAN})
MAX_COUNT = 100_000


# ---------------------------------------------------------------- evaluation points


@dataclass(frozen=True)
class At:
    """One evaluation point of a year: the annual (kind ANNUAL, point 0) or a month or quarter
    (kind PERIODIC, point its number). A curve and a capaian belong to one point."""
    kind: EvaluationKind = EvaluationKind.ANNUAL
    point: int = 0

    def __post_init__(self):
        object.__setattr__(self, "kind", EvaluationKind(self.kind))
        object.__setattr__(self, "point", 0 if self.kind is EvaluationKind.ANNUAL
                           else int(self.point))

    @classmethod
    def of(cls, evaluation: Evaluation) -> "At":
        return cls(EvaluationKind(evaluation.kind), evaluation.point)

    @property
    def is_annual(self) -> bool:
        return self.kind is EvaluationKind.ANNUAL

    @property
    def key(self) -> str:
        """How the point is written in a URL: "tahunan" or the month/quarter number."""
        return "tahunan" if self.is_annual else str(self.point)

    def label(self, period: Period) -> str:
        """"Maret 2026", "Triwulan I 2026", "Tahunan 2026" in the reader's language."""
        return point_label(period.cadence.value, self.point, period.year)

    def short_label(self, period: Period) -> str:
        """"Mar", "TW I", "Tahunan": a column heading under the year."""
        if self.is_annual:
            return str(_l("Tahunan"))
        if period.cadence is Cadence.QUARTERLY:
            return str(_l("TW %(quarter)s", quarter=("I", "II", "III", "IV")[self.point - 1]))
        return short_month_names()[self.point - 1]


ANNUAL = At()


def points_in(period: Period) -> list[At]:
    """The periodic points of the period's cadence, then the annual one."""
    count = 4 if period.cadence is Cadence.QUARTERLY else 12
    return [*(At(EvaluationKind.PERIODIC, n) for n in range(1, count + 1)), ANNUAL]


def parse_at(raw: str | None, period: Period, default: At = ANNUAL) -> At:
    """A point from a URL or a form ("tahunan", or a month/quarter of the period's cadence)."""
    raw = (raw or "").strip()
    if not raw:
        return default
    found = next((at for at in points_in(period) if at.key == raw), None)
    if found is None:
        raise RuleViolation(_l("Pilih titik evaluasi dari daftar."), field="titik")
    return found


# ---------------------------------------------------------------- predikat of employees


@dataclass(frozen=True)
class Held:
    """An employee's predikat for a period and the evaluation it comes from."""
    predikat: Predikat
    evaluation_id: int


def _rank(kind: EvaluationKind, point: int) -> tuple[int, int]:
    # The annual evaluation wins; otherwise the latest periodic one.
    return (1 if kind is EvaluationKind.ANNUAL else 0, point)


def employee_predikats(employee_ids, period: Period, *, at: At | None = None,
                       adding: Predikat | None = None,
                       replacing: Evaluation | None = None) -> dict[int, Held]:
    """employee id -> the predikat of the employee for the period: with `at`, the set
    evaluation of that point only (what a curve counts); without, the annual evaluation's when
    it is set, otherwise the latest set periodic one's (a person's standing, not a curve). One
    query for any number of employees (`employee_ids`: a list or a subquery of ids), and those
    of split_years for the few whose year a transfer split (they count once, combined). With
    `replacing`, that evaluation counts as set with predikat `adding` (what the appraiser is
    about to set)."""
    query = (db.select(Evaluation.employee_id, Evaluation.kind, Evaluation.point,
                       Evaluation.predikat, Evaluation.id)
             .where(Evaluation.period_id == period.id, Evaluation.employee_id.in_(employee_ids),
                    Evaluation.status != EvaluationStatus.DRAFT,
                    Evaluation.predikat.is_not(None)))
    if at is not None:
        query = query.where(Evaluation.kind == at.kind, Evaluation.point == at.point)
    rows = db.session.execute(query).all()
    candidates = [(e, EvaluationKind(k), p, Predikat(v), i) for e, k, p, v, i in rows
                  if replacing is None or i != replacing.id]
    counted = (replacing is not None and adding is not None and replacing.period_id == period.id
               and (at is None or At.of(replacing) == at))
    if counted:
        candidates.append((replacing.employee_id, EvaluationKind(replacing.kind), replacing.point,
                           Predikat(adding), replacing.id))
    # A person whose year a transfer split counts once per point, with the plans' results
    # combined by months (split_years.py).
    candidates = split_years.merged(period, candidates, replacing=replacing if counted else None,
                                    adding=adding)
    best: dict[int, tuple[tuple[int, int], Held]] = {}
    for employee_id, kind, point, value, evaluation_id in candidates:
        rank = _rank(kind, point)
        if employee_id not in best or rank > best[employee_id][0]:
            best[employee_id] = (rank, Held(value, evaluation_id))
    return {employee_id: held for employee_id, (_, held) in best.items()}


# ---------------------------------------------------------------- limits


def _limit_of(row: DistributionLimit) -> Limit:
    return Limit(OrganisationPredikat(row.organisation),
                 frozenset(Predikat(p) for p in row.predikats.split(",") if p),
                 row.min_percent, row.max_percent, row.min_count)


def limit_rows() -> list[DistributionLimit]:
    return db.session.scalars(db.select(DistributionLimit)
                              .order_by(DistributionLimit.organisation, DistributionLimit.id)).all()


def all_limits() -> dict[OrganisationPredikat, tuple[list[Limit], bool]]:
    """Per organisation predikat: the limits that apply and whether they are HR's own (False:
    the regulation's table, because HR keeps no row for it)."""
    own: dict[OrganisationPredikat, list[Limit]] = defaultdict(list)
    for row in limit_rows():
        own[OrganisationPredikat(row.organisation)].append(_limit_of(row))
    return {org: (own[org], True) if own.get(org) else
            ([limit for limit in DEFAULT_LIMITS if limit.organisation is org], False)
            for org in OrganisationPredikat}


def limits_for(organisation: OrganisationPredikat) -> tuple[list[Limit], bool]:
    return all_limits()[OrganisationPredikat(organisation)]


# ---------------------------------------------------------------- status of a unit


@dataclass
class DistributionStatus:
    unit: Unit
    period: Period
    organisation: OrganisationPredikat
    counts: dict[Predikat, int]
    limits: list[Limit]
    breaches: list[Breach]
    custom_limits: bool                 # HR's own table rather than the regulation's
    people: int                         # employees whose results count, rated or not
    hypothetical: bool = False          # includes a predikat not set yet
    unit_ids: set[int] = field(default_factory=set)
    at: At = ANNUAL                     # the one evaluation point counted

    @property
    def point_label(self) -> str:
        return self.at.label(self.period)

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def within(self) -> bool:
        return not self.breaches

    def share(self, value: Predikat) -> float | None:
        return self.counts[value] * 100 / self.rated if self.rated else None

    @property
    def organisation_label(self) -> str:
        return str(self.organisation.label)

    @property
    def limit_lines(self) -> list[str]:
        """The limits that apply, one line each, in the reader's language."""
        return [limit.description for limit in self.limits]

    @property
    def messages(self) -> list[str]:
        """One line per broken limit, in the reader's language."""
        return [str(_l("%(limit)s; sekarang %(count)s dari %(total)s orang (%(share)s%%).",
                       limit=b.limit.description, count=b.count, total=b.total,
                       share=format_decimal(round(float(b.share) * 100, 1), format="#,##0.#")))
                for b in self.breaches]


def _status(unit: Unit, period: Period, at: At, organisation: OrganisationPredikat,
            tree: UnitTree, recorded_unit_ids: set[int], *, adding: Predikat | None,
            replacing: Evaluation | None, limits=None) -> DistributionStatus:
    unit_ids = tree.below(unit.id, stop=recorded_unit_ids)
    staff = db.select(Employee.id).where(Employee.unit_id.in_(unit_ids), Employee.active.is_(True))
    people = db.session.scalar(db.select(db.func.count()).select_from(staff.subquery())) or 0
    in_scope = replacing is not None and At.of(replacing) == at and db.session.scalar(
        db.select(Employee.unit_id).where(Employee.id == replacing.employee_id,
                                          Employee.active.is_(True))) in unit_ids
    held = employee_predikats(staff.scalar_subquery(), period, at=at, adding=adding,
                              replacing=replacing if in_scope else None)
    counts = dict.fromkeys(Predikat, 0)
    counts.update(Counter(h.predikat for h in held.values()))
    hypothetical = adding is not None and (replacing is None or in_scope)
    if adding is not None and replacing is None:
        counts[Predikat(adding)] += 1
    applying, custom = limits if limits is not None else limits_for(organisation)
    return DistributionStatus(
        unit=unit, period=period, organisation=organisation, counts=counts, limits=applying,
        breaches=check_distribution(organisation, counts, applying), custom_limits=custom,
        people=people, hypothetical=hypothetical, unit_ids=unit_ids, at=at)


def recorded_predikats(period: Period, at: At = ANNUAL) -> dict[int, OrganisationPredikat]:
    """Each unit's capaian (organisational predikat) set for the point, by unit id."""
    return {unit_id: OrganisationPredikat(value) for unit_id, value in db.session.execute(
        db.select(UnitPredikat.unit_id, UnitPredikat.predikat)
        .where(UnitPredikat.period_id == period.id, UnitPredikat.kind == at.kind,
               UnitPredikat.point == at.point))}


def distribution_status(unit: Unit, period: Period, *, at: At | None = None,
                        adding: Predikat | None = None,
                        replacing: Evaluation | int | None = None) -> DistributionStatus | None:
    """The unit's predikat counts at one evaluation point against the limits of its capaian for
    that point; None when no capaian is set for it. The point is `at`, else the point of
    `replacing`, else the annual.

    `adding`: a predikat about to be set, counted as well. With `replacing` (the evaluation, or
    its id, that is about to be set with `adding`), that evaluation counts with `adding` instead
    of what it holds now, so a re-set is not counted twice; without it, `adding` is one more
    person."""
    if isinstance(replacing, int):
        replacing = db.session.get(Evaluation, replacing)
    at = at or (At.of(replacing) if replacing is not None else ANNUAL)
    recorded = recorded_predikats(period, at)
    if unit.id not in recorded:
        return None
    return _status(unit, period, at, recorded[unit.id], UnitTree.load(), set(recorded),
                   adding=Predikat(adding) if adding else None, replacing=replacing)


def distribution_for_point(unit: Unit | int, year: int, kind: EvaluationKind | str,
                           point: int) -> DistributionStatus | None:
    """The pola distribusi of one evaluation point (the documents' plain entry): the unit's
    curve at that point of that year, counting only evaluations of that kind and point; None
    when the unit has no capaian for it or the year is unknown."""
    period = db.session.scalar(db.select(Period).where(Period.year == year))
    unit = db.session.get(Unit, unit) if isinstance(unit, int) else unit
    if period is None or unit is None:
        return None
    return distribution_status(unit, period, at=At(kind, point))


def distribution_for_evaluation(evaluation: Evaluation) -> DistributionStatus | None:
    """The curve the evaluation's result counts in (its governing unit, its point), as it
    stands: for the evaluation document."""
    at = At.of(evaluation)
    unit = nearest_recorded_unit(evaluation.employee.unit_id, evaluation.period, at)
    return distribution_status(unit, evaluation.period, at=at) if unit is not None else None


def nearest_recorded_unit(unit_id: int | None, period: Period, at: At = ANNUAL) -> Unit | None:
    """The unit itself or the nearest unit above it with a capaian set for the point."""
    recorded = recorded_predikats(period, at)
    if unit_id is None or not recorded:
        return None
    found = next((u for u in UnitTree.load().up(unit_id) if u in recorded), None)
    return db.session.get(Unit, found) if found is not None else None


def governing_unit(employee: Employee, period: Period, at: At = ANNUAL) -> Unit | None:
    """Whose curve the employee's result at the point counts in: the nearest unit up from the
    employee's own (itself included) with a capaian set for that point."""
    return nearest_recorded_unit(employee.unit_id, period, at)


def distribution_warnings_for(employee: Employee, period: Period, *,
                              adding: Predikat | None = None,
                              replacing: Evaluation | int | None = None,
                              at: At | None = None) -> DistributionStatus | None:
    """The status of the unit whose curve the employee's result counts in (see governing_unit),
    for the evaluation page before finalising: pass the evaluation as `replacing` and the
    predikat it is about to get as `adding`; only the results of the same point count. None: no
    capaian applies. The warnings are `status.messages` (empty when the unit stays within its
    curve)."""
    if isinstance(replacing, int):
        replacing = db.session.get(Evaluation, replacing)
    at = at or (At.of(replacing) if replacing is not None else ANNUAL)
    unit = governing_unit(employee, period, at)
    if unit is None:
        return None
    return distribution_status(unit, period, at=at, adding=adding, replacing=replacing)


# ---------------------------------------------------------------- HR: the limits table


@dataclass(frozen=True)
class LimitInput:
    predikats: list[str]
    min_percent: int | None = None
    max_percent: int | None = None
    min_count: int | None = None


def _check(given: LimitInput) -> tuple[str, int | None, int | None, int | None]:
    try:
        values = {Predikat(p) for p in given.predikats}
    except ValueError:
        raise RuleViolation(_l("Pilih predikat pegawai dari daftar."), field="predikats") from None
    if not values:
        raise RuleViolation(_l("Pilih paling sedikit satu predikat pegawai."), field="predikats")
    for name, value in (("min_percent", given.min_percent), ("max_percent", given.max_percent)):
        if value is not None and not 0 <= value <= 100:
            raise RuleViolation(_l("Persentase harus antara 0 dan 100."), field=name)
    if given.min_count is not None and not 0 <= given.min_count <= MAX_COUNT:
        raise RuleViolation(_l("Jumlah orang paling sedikit harus antara 0 dan %(max)s.",
                               max=MAX_COUNT), field="min_count")
    if (given.min_percent is not None and given.max_percent is not None
            and given.min_percent > given.max_percent):
        raise RuleViolation(_l("Batas paling sedikit tidak boleh lebih besar dari batas paling "
                               "banyak."), field="min_percent")
    if given.min_percent is None and given.max_percent is None and given.min_count is None:
        raise RuleViolation(_l("Isi paling sedikit satu batas: persentase paling sedikit, "
                               "paling banyak, atau jumlah orang."), field="min_percent")
    stored = ",".join(p.value for p in Predikat if p in values)
    return stored, given.min_percent, given.max_percent, given.min_count


def _require_hr(actor: User) -> None:
    if not access.manages_appraisal_settings(actor):
        raise NotAllowed


def _copy_defaults(organisation: OrganisationPredikat) -> None:
    for limit in DEFAULT_LIMITS:
        if limit.organisation is organisation:
            db.session.add(DistributionLimit(
                organisation=organisation,
                predikats=",".join(p.value for p in Predikat if p in limit.predikats),
                min_percent=limit.min_percent, max_percent=limit.max_percent,
                min_count=limit.min_count))


def _has_rows(organisation: OrganisationPredikat) -> bool:
    return db.session.scalar(db.select(DistributionLimit.id).where(
        DistributionLimit.organisation == organisation).limit(1)) is not None


def customise(actor: User, organisation: OrganisationPredikat) -> None:
    """Copy the regulation's lines for this organisation predikat into the table to edit them."""
    _require_hr(actor)
    organisation = OrganisationPredikat(organisation)
    if _has_rows(organisation):
        return
    _copy_defaults(organisation)
    audit.record("distribution_limits.customised", actor=actor, summary=organisation.value,
                 organisation=organisation.value)
    db.session.commit()


def add_limit(actor: User, organisation: OrganisationPredikat,
              given: LimitInput) -> DistributionLimit:
    """A new line for the organisation predikat. If the regulation's table still applies to it,
    its lines are copied first: adding a line never silently drops the others."""
    _require_hr(actor)
    organisation = OrganisationPredikat(organisation)
    predikats, low, high, count = _check(given)
    if not _has_rows(organisation):
        _copy_defaults(organisation)
    row = DistributionLimit(organisation=organisation, predikats=predikats, min_percent=low,
                            max_percent=high, min_count=count)
    db.session.add(row)
    db.session.flush()
    audit.record("distribution_limit.added", actor=actor, subject=row,
                 summary=_limit_of(row).description, organisation=organisation.value)
    db.session.commit()
    return row


def update_limit(actor: User, row: DistributionLimit, given: LimitInput) -> DistributionLimit:
    _require_hr(actor)
    before = _limit_of(row).description
    row.predikats, row.min_percent, row.max_percent, row.min_count = _check(given)
    audit.record("distribution_limit.changed", actor=actor, subject=row,
                 summary=f"{before} -> {_limit_of(row).description}",
                 organisation=row.organisation.value)
    db.session.commit()
    return row


def remove_limit(actor: User, row: DistributionLimit) -> None:
    """Remove one line. When the last line of an organisation predikat goes, the regulation's
    table applies to it again."""
    _require_hr(actor)
    audit.record("distribution_limit.removed", actor=actor, subject=row,
                 summary=_limit_of(row).description, organisation=row.organisation.value)
    db.session.delete(row)
    db.session.commit()


def reset_limits(actor: User, organisation: OrganisationPredikat | None = None) -> int:
    """Back to the regulation's table, for one organisation predikat or all of them."""
    _require_hr(actor)
    query = db.delete(DistributionLimit)
    if organisation is not None:
        query = query.where(DistributionLimit.organisation == OrganisationPredikat(organisation))
    removed = db.session.execute(query).rowcount or 0
    audit.record("distribution_limits.reset", actor=actor,
                 summary=organisation.value if organisation else "*", removed=removed,
                 organisation=organisation.value if organisation else None)
    db.session.commit()
    return removed


def limit_sections() -> list[tuple[OrganisationPredikat, list[DistributionLimit] | list[Limit], bool]]:
    """For the limits page: per organisation predikat, HR's rows (editable) or the regulation's
    lines (read-only), and whether they are HR's."""
    own: dict[OrganisationPredikat, list[DistributionLimit]] = defaultdict(list)
    for row in limit_rows():
        own[OrganisationPredikat(row.organisation)].append(row)
    return [(org, own[org], True) if own.get(org) else
            (org, [limit for limit in DEFAULT_LIMITS if limit.organisation is org], False)
            for org in OrganisationPredikat]


def predikats_of(row: DistributionLimit) -> list[str]:
    return [p for p in row.predikats.split(",") if p]

"""Capaian kinerja organisasi: the organisation's own predikat at each evaluation point of a year
(each month or quarter of the year's cadence, and the year), set and signed by the unit's
leader (PermenPANRB 6/2022); HR and the heads above see it. It sets the limits of the unit's
curve at that point (distribution.py) and the leader's own hasil kerja rating follows it.

The plain entries for other areas and documents: capaian_for(unit, year, kind, point) and
capaian_of_evaluation(evaluation).
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from kinerja.appraisal.distribution import ANNUAL, OPD_KINDS, At, points_in
from kinerja.appraisal.models import Evaluation, EvaluationKind, UnitPredikat
from kinerja.appraisal.predikat import OrganisationPredikat, Rating, head_result_rating
from kinerja.core import audit, calendar, text
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.letterhead import letterhead
from kinerja.organisation.models import Employee, Unit, User
from kinerja.organisation.tree import UnitTree
from kinerja.performance.models import Period, PeriodStatus

MAX_NOTE = 1000


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Capaian:
    """One capaian as plain values: whose, at which point, what, who set it and when."""
    unit: Unit
    period: Period
    at: At
    predikat: OrganisationPredikat
    set_at: datetime
    leader: Employee | None        # None: a yearly figure HR typed before leaders set it
    note: str | None

    @property
    def kind(self) -> EvaluationKind:
        return self.at.kind

    @property
    def point(self) -> int:
        return self.at.point

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def point_label(self) -> str:
        return self.at.label(self.period)

    @property
    def set_on(self) -> date:
        return calendar.local_date(self.set_at, self.unit.time_zone)

    @property
    def signed(self) -> bool:
        return self.leader is not None

    @property
    def leader_name(self) -> str:
        return self.leader.name if self.leader else ""

    @property
    def leader_nip(self) -> str:
        return (self.leader.nip or "") if self.leader else ""

    @property
    def leader_position(self) -> str:
        return (self.leader.position_name or "") if self.leader else ""

    @classmethod
    def of(cls, row: UnitPredikat) -> "Capaian":
        return cls(row.unit, row.period, At(row.kind, row.point),
                   OrganisationPredikat(row.predikat), row.set_at, row.leader, row.note)


def _rows(period: Period, unit_ids, at: At | None = None) -> list[UnitPredikat]:
    query = (db.select(UnitPredikat)
             .where(UnitPredikat.period_id == period.id, UnitPredikat.unit_id.in_(unit_ids))
             .options(db.joinedload(UnitPredikat.unit), db.joinedload(UnitPredikat.leader)))
    if at is not None:
        query = query.where(UnitPredikat.kind == at.kind, UnitPredikat.point == at.point)
    return db.session.scalars(query).all()


def capaian_at(unit: Unit, period: Period, at: At, *, inherited: bool = True) -> Capaian | None:
    """The unit's capaian at the point or, when `inherited` and it has none, that of the nearest
    unit above it with one (the unit whose curve governs its people at that point)."""
    chain = UnitTree.load().up(unit.id) if inherited else [unit.id]
    found = {row.unit_id: row for row in _rows(period, chain, at)}
    return next((Capaian.of(found[u]) for u in chain if u in found), None)


def capaian_for(unit: Unit | int, year: int, kind: EvaluationKind | str, point: int, *,
                inherited: bool = True) -> Capaian | None:
    """The organisation's capaian for (unit, year, kind, point); see capaian_at. None when
    nothing is set (or the unit or year is unknown)."""
    period = db.session.scalar(db.select(Period).where(Period.year == year))
    unit = db.session.get(Unit, unit) if isinstance(unit, int) else unit
    if period is None or unit is None:
        return None
    return capaian_at(unit, period, At(kind, point), inherited=inherited)


def capaian_of_evaluation(evaluation: Evaluation) -> Capaian | None:
    """The capaian that applies to an evaluation: of the employee's unit (or the nearest above)
    at the evaluation's point."""
    if evaluation.employee.unit is None:
        return None
    return capaian_at(evaluation.employee.unit, evaluation.period, At.of(evaluation))


def latest_point(found) -> At:
    """The point a page opens on: the annual once its capaian is set, else the latest month or
    quarter among `found` (points with a capaian), else the annual."""
    found = list(found)
    if not found or ANNUAL in found:
        return ANNUAL
    return max(found, key=lambda at: at.point)


def default_point(period: Period) -> At:
    """latest_point over every unit's capaian of the period. One query."""
    return latest_point(At(kind, point) for kind, point in db.session.execute(
        db.select(UnitPredikat.kind, UnitPredikat.point)
        .where(UnitPredikat.period_id == period.id).distinct()))


def chain_capaian(unit: Unit, period: Period, tree: UnitTree) -> list[Capaian]:
    """Every capaian of the year of the unit and the units above it. One query."""
    return [Capaian.of(row) for row in _rows(period, tree.up(unit.id))]


# ---------------------------------------------------------------- setting


REMOVE = "hapus"


def parse_predikat(raw: str | None) -> OrganisationPredikat | None:
    """A capaian from the form; "hapus" withdraws it (None). Nothing chosen is an error, never
    a silent removal."""
    raw = (raw or "").strip()
    if raw == REMOVE:
        return None
    try:
        return OrganisationPredikat(raw)
    except ValueError:
        raise RuleViolation(_l("Pilih predikat organisasi dari daftar."), field="predikat") from None


def set_capaian(actor: User, unit: Unit, period: Period, at: At,
                value: OrganisationPredikat | None, note: str | None = None) -> Capaian | None:
    """The leader sets (or with None, withdraws) the unit's capaian at the point; who and when
    are kept, and the change is audited."""
    if not access.can_set_unit_capaian(actor, unit):
        raise NotAllowed
    if period.status is PeriodStatus.CLOSED:
        raise RuleViolation(_l("Periode %(year)s sudah ditutup.", year=period.year))
    note = text.clean_long_text(note, "note", MAX_NOTE) or None
    row = db.session.scalar(db.select(UnitPredikat).where(
        UnitPredikat.unit_id == unit.id, UnitPredikat.period_id == period.id,
        UnitPredikat.kind == at.kind, UnitPredikat.point == at.point))
    before = row.predikat.value if row is not None else None
    if value is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        row = UnitPredikat(unit_id=unit.id, period_id=period.id, kind=at.kind, point=at.point,
                           predikat=value, leader_id=actor.employee.id, set_by_id=actor.id,
                           note=note)
        db.session.add(row)
    else:
        row.predikat, row.note = value, note
        row.leader_id, row.set_by_id = actor.employee.id, actor.id
    after = value.value if value is not None else None
    if before != after or value is not None:
        audit.record("unit_predikat.set", actor=actor, subject=unit,
                     summary=f"{unit.name} {at.label(period)}: {before or '-'} -> {after or '-'}",
                     period=period.year, kind=at.kind.value, point=at.point, before=before,
                     after=after)
    db.session.commit()
    if row is not None and value is not None:
        db.session.refresh(row)
        return Capaian.of(row)
    return None


# ---------------------------------------------------------------- the page


@dataclass
class UnitCapaianRow:
    unit: Unit
    depth: int
    by_point: dict[At, Capaian]
    editable: bool                 # the reader leads this unit: they set its capaian

    def get(self, at: At) -> Capaian | None:
        return self.by_point.get(at)

    def next_point(self, points: list[At]) -> At | None:
        """The first point without a capaian (where the leader most likely goes next)."""
        return next((at for at in points if at not in self.by_point), None)


@dataclass
class CapaianGrid:
    period: Period
    points: list[At]
    rows: list[UnitCapaianRow]

    def label(self, at: At) -> str:
        return at.label(self.period)


def capaian_grid(user: User, period: Period, every_unit: bool = False) -> CapaianGrid:
    """Units in the tree's order with their capaian at every point of the year: for HR the
    OPD-level units (or every unit), read-only; for a head the units they lead (editable) and
    those below them that have one. Two queries."""
    if not access.sees_unit_capaian(user):
        raise NotAllowed
    units = db.session.scalars(db.select(Unit).where(Unit.active.is_(True))
                               .order_by(Unit.name)).all()
    overseen = access.overseen_unit_ids(user)
    rows_by_unit: dict[int, dict[At, Capaian]] = defaultdict(dict)
    for row in db.session.scalars(db.select(UnitPredikat).where(UnitPredikat.period_id == period.id)
                                  .options(db.joinedload(UnitPredikat.leader))):
        rows_by_unit[row.unit_id][At(row.kind, row.point)] = Capaian.of(row)
    by_parent: dict[int | None, list[Unit]] = defaultdict(list)
    ids = {u.id for u in units}
    for unit in units:
        by_parent[unit.parent_id if unit.parent_id in ids else None].append(unit)
    me = user.employee.id if user.employee is not None else None
    result: list[UnitCapaianRow] = []

    def shown(unit: Unit) -> bool:
        if overseen is not None and unit.id not in overseen:
            return False
        leads = unit.head_id is not None and unit.head_id == me
        opd = unit.kind in OPD_KINDS or unit.parent_id is None
        return every_unit or leads or unit.id in rows_by_unit or (overseen is None and opd)

    def walk(parent_id, depth):
        for unit in by_parent.get(parent_id, []):
            if shown(unit):
                result.append(UnitCapaianRow(unit, depth, rows_by_unit.get(unit.id, {}),
                                             access.can_set_unit_capaian(user, unit)))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return CapaianGrid(period, points_in(period), result)


# ---------------------------------------------------------------- the printed capaian


@dataclass(frozen=True)
class CapaianDocument:
    """"Capaian Kinerja Organisasi" as plain values for the PDF."""
    government: str
    place: str
    logo: bytes | None
    unit_name: str
    year: int
    point_label: str
    predikat: str
    note: str
    signed_on: date
    leader_title: str
    leader_name: str
    leader_nip: str
    signed: bool


def capaian_document(viewer: User, unit: Unit, period: Period, at: At) -> CapaianDocument:
    """The unit's own capaian at the point as the leader signed it; RuleViolation when none is
    set for that point."""
    if not access.can_view_unit_capaian(viewer, unit):
        raise NotAllowed
    found = capaian_at(unit, period, at, inherited=False)
    if found is None:
        raise RuleViolation(_l("Capaian kinerja organisasi %(unit)s untuk %(point)s belum "
                               "ditetapkan.", unit=unit.name, point=at.label(period)))
    head = letterhead(unit)
    title = (found.leader_position or str(_l("Kepala %(unit)s", unit=unit.name))
             if found.signed else "")
    return CapaianDocument(
        government=head.government, place=head.place, logo=head.logo, unit_name=unit.name,
        year=period.year, point_label=found.point_label, predikat=str(found.predikat.label),
        note=found.note or "", signed_on=found.set_on, leader_title=title,
        leader_name=found.leader_name, leader_nip=found.leader_nip, signed=found.signed)


# ---------------------------------------------------------------- a leader's own rating


@dataclass(frozen=True)
class HeadGuidance:
    """For the evaluation of a unit's leader: the unit's capaian at the evaluation's point and
    the hasil kerja rating it gives. `capaian` None: the leader has not set it yet."""
    unit: Unit
    at_label: str
    capaian: Capaian | None

    @property
    def suggested(self) -> Rating | None:
        return head_result_rating(self.capaian.predikat) if self.capaian else None

    def differs(self, chosen: Rating | str | None) -> bool:
        return (self.suggested is not None and chosen not in (None, "")
                and Rating(chosen) is not self.suggested)


def led_unit(employee: Employee) -> Unit | None:
    """The unit the employee leads (the highest in the tree when they lead several)."""
    led = db.session.scalars(db.select(Unit).where(Unit.head_id == employee.id,
                                                   Unit.active.is_(True))).all()
    if not led:
        return None
    tree = UnitTree.load()
    return min(led, key=lambda u: (len(tree.up(u.id)), u.id))


def head_guidance(evaluation: Evaluation) -> HeadGuidance | None:
    """None when the appraised leads no unit (the rule does not apply)."""
    unit = led_unit(evaluation.employee)
    if unit is None:
        return None
    at = At.of(evaluation)
    return HeadGuidance(unit, at.label(evaluation.period),
                        capaian_at(unit, evaluation.period, at, inherited=False))


def head_reason_missing(guidance: HeadGuidance | None, chosen: Rating | str | None,
                        note: str | None) -> bool:
    """A leader's hasil kerja rating other than what the capaian gives needs the reason in the
    note on hasil kerja (the regulation's guidance makes the capaian the rule)."""
    return guidance is not None and guidance.differs(chosen) and not (note or "").strip()


__all__ = ["ANNUAL", "At", "Capaian", "capaian_at", "capaian_for", "capaian_of_evaluation"]

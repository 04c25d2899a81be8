"""The printed appraisal documents in the layout of the PermenPANRB 6/2022 forms: the SKP and an
evaluation (rendered to PDF by the view from templates/portal/documents/), and the recap of
predikat per unit for a period (as sheets, which the view writes as an Excel workbook).

The realisation figures come from kinerja.performance.realisation (a bounded number of queries per
document); the recap reads every set evaluation of the period in one query and decides each
employee's predikat in Python, so its number of queries does not depend on the headcount.
"""
import calendar
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from babel.dates import get_month_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from kinerja.appraisal.models import Evaluation, EvaluationKind, EvaluationStatus, UnitPredikat
from kinerja.appraisal.predikat import Behaviour, OrganisationPredikat, Predikat, Rating
from kinerja.core.calendar import Cadence, today_in
from kinerja.core.errors import NotAllowed
from kinerja.core.tables import Row, Sheet
from kinerja.extensions import db
from kinerja.organisation import access, tree
from kinerja.organisation.letterhead import letterhead
from kinerja.organisation.models import Employee, Position, Unit, User
from kinerja.performance import realisation
from kinerja.performance.models import Period, Rhk, RhkKind, Skp, SkpStatus
from kinerja.performance.pace import percent_of_target

ROMAN = ("I", "II", "III", "IV")
ZERO = Decimal(0)
GOVERNMENT_UNIT = re.compile(r"\b(Kabupaten|Kota|Provinsi)\s", re.IGNORECASE)


# ---------------------------------------------------------------- the point of an evaluation


def point_months(evaluation: Evaluation) -> range:
    """The months an evaluation covers: its month, its quarter's three, or the whole year."""
    if evaluation.kind is EvaluationKind.ANNUAL or not evaluation.point:
        return range(1, 13)
    if evaluation.period.cadence is Cadence.QUARTERLY:
        quarter = min(max(evaluation.point, 1), 4)
        return range(3 * quarter - 2, 3 * quarter + 1)
    month = min(max(evaluation.point, 1), 12)
    return range(month, month + 1)


def point_dates(evaluation: Evaluation) -> tuple[date, date]:
    months, year = point_months(evaluation), evaluation.period.year
    return (date(year, months[0], 1),
            date(year, months[-1], calendar.monthrange(year, months[-1])[1]))


def point_title(evaluation: Evaluation) -> str:
    """The period line under the title: "Bulan Maret", "Triwulan I", "Tahunan"."""
    if evaluation.kind is EvaluationKind.ANNUAL or not evaluation.point:
        return str(_l("Tahunan"))
    months = point_months(evaluation)
    if len(months) == 3:
        return str(_l("Triwulan %(n)s", n=ROMAN[(months[0] - 1) // 3]))
    name = get_month_names("wide", locale=get_locale())[months[0]]
    return str(_l("Bulan %(month)s", month=name))


# ---------------------------------------------------------------- the pieces of a document


def unit_kerja(unit: Unit | None) -> str:
    """The unit and the one above it ("Bidang Pelayanan, Dinas ..."); the government's own
    root unit (Sekretariat Daerah Kabupaten ...) is left out below it, as the heading names it."""
    chain = tree.unit_and_ancestors(unit)
    if len(chain) > 1 and GOVERNMENT_UNIT.search(chain[-1].name):
        chain = chain[:-1]
    return ", ".join(u.name for u in chain[:2])


@dataclass(frozen=True)
class Person:
    """One identity block of the form (nama, NIP, jabatan, unit kerja); empty when nobody."""
    name: str = ""
    nip: str = ""
    position: str = ""
    unit: str = ""

    @classmethod
    def of(cls, employee: Employee | None) -> "Person":
        if employee is None:
            return cls()
        return cls(employee.name, employee.nip, employee.position_name,
                   unit_kerja(employee.unit))

    @property
    def known(self) -> bool:
        return bool(self.name)


@dataclass
class IndicatorLine:
    aspect: str
    text: str
    target: Decimal
    unit_of_measure: str
    realised: Decimal | None = None     # in the evaluated months (quantity: their sum)
    cumulative: Decimal | None = None   # from January to the end of the evaluated months
    percent_of_target: Decimal | None = None
    quantity: bool = True


@dataclass
class PlanRow:
    rhk_id: int
    number: int
    text: str
    parent_text: str        # the supervisor's RHK it derives from (or the unit goal)
    parent_is_goal: bool
    indicators: list[IndicatorLine]
    rating: Rating | None = None
    note: str = ""

    @property
    def rating_label(self) -> str:
        return str(self.rating.label) if self.rating else ""


@dataclass
class BehaviourRow:
    number: int
    name: str
    meaning: str
    rating: Rating | None = None
    note: str = ""

    @property
    def rating_label(self) -> str:
        return str(self.rating.label) if self.rating else ""


@dataclass
class Document:
    """What both forms share: the heading, the identities, the plan, behaviour, signatures."""
    government: str
    place: str              # where it is signed: the kabupaten's identity (letterhead.py)
    signed_on: date
    starts: date
    ends: date
    employee: Person
    appraiser: Person
    main: list[PlanRow]
    additional: list[PlanRow]
    behaviours: list[BehaviourRow]
    year: int
    logo: bytes | None = None   # the kabupaten's logo (PNG) for the kop


@dataclass
class SkpDocument(Document):
    skp: Skp | None = None
    draft: bool = False   # not yet approved


@dataclass
class EvaluationDocument(Document):
    evaluation: Evaluation | None = None
    title: str = ""
    appraiser_supervisor: Person = field(default_factory=Person)
    organisation_predikat: str = ""
    result_rating: str = ""
    result_note: str = ""
    behaviour_rating: str = ""
    behaviour_note: str = ""
    predikat: str = ""
    draft: bool = False


def _local_date(moment: datetime | None, employee: Employee) -> date:
    return today_in(employee.time_zone, now=moment)


def _kop(unit: Unit | None) -> dict:
    """The government's name, the place of signing and the logo: the same on every document."""
    head = letterhead(unit)
    return {"government": head.government, "place": head.place, "logo": head.logo}


def _rhks(skp: Skp) -> list[Rhk]:
    return db.session.scalars(
        db.select(Rhk).where(Rhk.skp_id == skp.id)
        .options(db.selectinload(Rhk.indicators), db.joinedload(Rhk.parent),
                 db.joinedload(Rhk.unit_goal))
        .order_by(Rhk.position, Rhk.id)).all()


def _plan(rhks: list[Rhk], lines: dict[int, IndicatorLine] | None = None
          ) -> tuple[list[PlanRow], list[PlanRow]]:
    main, additional = [], []
    for rhk in rhks:
        rows = main if rhk.kind is RhkKind.MAIN else additional
        parent_text, is_goal = "", False
        if rhk.parent is not None:
            parent_text = rhk.parent.text
        elif rhk.unit_goal is not None:
            parent_text, is_goal = rhk.unit_goal.text, True
        indicators = [(lines or {}).get(i.id) or IndicatorLine(
            i.aspect.value, i.text, i.target, i.unit_of_measure) for i in rhk.indicators]
        rows.append(PlanRow(rhk.id, len(rows) + 1, rhk.text, parent_text, is_goal, indicators))
    return main, additional


def _behaviours(ratings: dict[Behaviour, tuple[Rating, str]] | None = None) -> list[BehaviourRow]:
    rows = []
    for number, value in enumerate(Behaviour, start=1):
        rating, note = (ratings or {}).get(value, (None, ""))
        rows.append(BehaviourRow(number, str(value.label), str(value.meaning),
                                 rating, note or ""))
    return rows


def skp_document(skp: Skp) -> SkpDocument:
    """The SKP form: the plan with its cascade, the seven core values, signed by the employee
    and the pejabat penilai (who approved it, or the direct supervisor until then)."""
    employee = skp.employee
    main, additional = _plan(_rhks(skp))
    approver = skp.approver or access.approver_of(employee)
    approved = skp.status is SkpStatus.APPROVED
    return SkpDocument(
        **_kop(employee.unit),
        signed_on=_local_date(skp.decided_at if approved else None, employee),
        starts=skp.period.starts, ends=skp.period.ends,
        employee=Person.of(employee), appraiser=Person.of(approver),
        main=main, additional=additional, behaviours=_behaviours(), year=skp.period.year,
        skp=skp, draft=not approved)


def _realisation_lines(rhks: list[Rhk], months: range) -> dict[int, IndicatorLine]:
    """Per indicator: the realisation in `months` and the running total to their end. Quantity
    realisation is the sum of the months; other aspects show the latest value entered so far."""
    indicators = [i for rhk in rhks for i in rhk.indicators]
    series, _ = realisation.read_series(realisation.aspects_of(indicators))
    lines = {}
    for indicator in indicators:
        months_of = series[indicator.id]
        cumulative = months_of.cumulative(months[-1])
        if months_of.quantity:
            earlier = months_of.cumulative(months[0] - 1) if months[0] > 1 else ZERO
            realised = (cumulative or ZERO) - (earlier or ZERO)
        else:
            realised = cumulative
        lines[indicator.id] = IndicatorLine(
            indicator.aspect.value, indicator.text, indicator.target, indicator.unit_of_measure,
            realised=realised, cumulative=cumulative,
            percent_of_target=percent_of_target(cumulative, indicator.target),
            quantity=months_of.quantity)
    return lines


def _organisation_predikat(employee: Employee, period: Period) -> OrganisationPredikat | None:
    """The predikat HR recorded for the employee's unit, or for the nearest unit above it."""
    chain = tree.unit_and_ancestors(employee.unit)
    if not chain:
        return None
    found = {row.unit_id: row.predikat for row in db.session.scalars(
        db.select(UnitPredikat).where(UnitPredikat.period_id == period.id,
                                      UnitPredikat.unit_id.in_([u.id for u in chain])))}
    return next((found[u.id] for u in chain if u.id in found), None)


def evaluation_document(evaluation: Evaluation) -> EvaluationDocument:
    """The evaluation form: the plan with the realisation of the evaluated months and the
    appraiser's rating per RHK, the core values with their ratings, the two overall ratings
    and the predikat; signed by the employee and the appraiser, with the appraiser's supervisor
    (atasan pejabat penilai kinerja) named."""
    employee, skp = evaluation.employee, evaluation.skp
    months = point_months(evaluation)
    starts, ends = point_dates(evaluation)
    rhks = _rhks(skp)
    main, additional = _plan(rhks, _realisation_lines(rhks, months))
    rated = {r.rhk_id: r for r in evaluation.result_ratings}
    for row in main + additional:
        if row.rhk_id in rated:
            row.rating, row.note = rated[row.rhk_id].rating, rated[row.rhk_id].note or ""
    behaviours = _behaviours({b.behaviour: (b.rating, b.note) for b in evaluation.behaviour_ratings})
    organisation = _organisation_predikat(employee, evaluation.period)
    return EvaluationDocument(
        **_kop(employee.unit),
        signed_on=_local_date(evaluation.finalised_at, employee), starts=starts, ends=ends,
        employee=Person.of(employee),
        appraiser=Person.of(evaluation.appraiser or access.appraiser_of(employee)),
        main=main, additional=additional, behaviours=behaviours, year=evaluation.period.year,
        evaluation=evaluation, title=point_title(evaluation),
        appraiser_supervisor=Person.of(access.objection_decider_of(evaluation)),
        organisation_predikat=str(organisation.label) if organisation else "",
        result_rating=str(evaluation.result_rating.label) if evaluation.result_rating else "",
        result_note=evaluation.result_note or "",
        behaviour_rating=(str(evaluation.behaviour_rating.label)
                          if evaluation.behaviour_rating else ""),
        behaviour_note=evaluation.behaviour_note or "",
        predikat=str(evaluation.predikat.label) if evaluation.predikat else "",
        draft=evaluation.status is EvaluationStatus.DRAFT)


# ---------------------------------------------------------------- predikat of a period


@dataclass(frozen=True)
class EmployeePredikat:
    predikat: Predikat
    annual: bool
    point: int


def period_predikats(period: Period, unit_ids: set[int] | None = None
                     ) -> dict[int, EmployeePredikat]:
    """Each employee's predikat for the period: the annual evaluation's once it is set,
    otherwise the latest set periodic one's. One query."""
    query = (db.select(Evaluation.employee_id, Evaluation.kind, Evaluation.point,
                       Evaluation.predikat)
             .where(Evaluation.period_id == period.id,
                    Evaluation.status != EvaluationStatus.DRAFT,
                    Evaluation.predikat.is_not(None)))
    if unit_ids is not None:
        query = query.join(Employee, Employee.id == Evaluation.employee_id).where(
            Employee.unit_id.in_(unit_ids))
    best: dict[int, tuple[tuple[int, int], EmployeePredikat]] = {}
    for employee_id, kind, point, value in db.session.execute(query):
        annual = kind is EvaluationKind.ANNUAL
        rank = (1 if annual else 0, point or 0)
        if employee_id not in best or rank > best[employee_id][0]:
            best[employee_id] = (rank, EmployeePredikat(value, annual, point or 0))
    return {employee_id: found for employee_id, (_, found) in best.items()}


# ---------------------------------------------------------------- the recap per unit


@dataclass
class UnitLine:
    code: str
    name: str
    level: int
    active: bool = True
    employees: int = 0
    counts: Counter = field(default_factory=Counter)
    organisation_predikat: OrganisationPredikat | None = None

    @property
    def evaluated(self) -> int:
        return sum(self.counts.values())

    def share(self, value: Predikat) -> Decimal | None:
        if not self.evaluated:
            return None
        return Decimal(self.counts[value]) / Decimal(self.evaluated)


@dataclass
class EmployeeLine:
    nip: str
    name: str
    position: str
    unit: str
    found: EmployeePredikat | None


@dataclass
class Recap:
    period: Period
    units: list[UnitLine]
    employees: list[EmployeeLine] | None   # None: the reader may not see individuals

    @property
    def total(self) -> UnitLine:
        total = UnitLine("", str(_l("Jumlah")), 0)
        for line in self.units:
            total.employees += line.employees
            total.counts.update(line.counts)
        return total


def _units_in_tree_order(unit_ids: set[int] | None) -> list[tuple[Unit, int]]:
    units = db.session.scalars(db.select(Unit).order_by(Unit.name)).all()
    children: dict[int | None, list[Unit]] = defaultdict(list)
    known = {u.id for u in units}
    for unit in units:
        children[unit.parent_id if unit.parent_id in known else None].append(unit)
    ordered, stack = [], [(u, 0) for u in reversed(children[None])]
    while stack:
        unit, level = stack.pop()
        if unit_ids is None or unit.id in unit_ids:
            ordered.append((unit, level))
        stack.extend((child, level + 1) for child in reversed(children[unit.id]))
    return ordered


def predikat_recap(user: User, period: Period) -> Recap:
    """Counts of each predikat per unit for the period (active employees, by the unit they are
    in now). HR sees every unit and the list of employees; a head of unit sees the units they
    lead (and those below), without the list."""
    if not access.sees_predikat_recap(user):
        raise NotAllowed
    unit_ids = access.overseen_unit_ids(user)
    everything = unit_ids is None
    lines = {unit.id: UnitLine(unit.code, unit.name, level, unit.active)
             for unit, level in _units_in_tree_order(unit_ids)}
    # HR's recap covers every unit: no list of ids to send the database.
    in_scope = (Employee.unit_id.in_(unit_ids) if unit_ids is not None
                else Employee.unit_id.is_not(None))
    people = db.session.execute(
        db.select(Employee.id, Employee.nip, Employee.name, Employee.unit_id, Position.name)
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(Employee.active.is_(True), in_scope)
        .order_by(Employee.name)).all()
    people = [p for p in people if p[3] in lines]
    predikats = db.select(UnitPredikat.unit_id, UnitPredikat.predikat).where(
        UnitPredikat.period_id == period.id)
    for unit_id, value in db.session.execute(predikats):
        if unit_id in lines:
            lines[unit_id].organisation_predikat = value
    found = period_predikats(period, unit_ids)
    for employee_id, _nip, _name, unit_id, _position in people:
        lines[unit_id].employees += 1
        if employee_id in found:
            lines[unit_id].counts[found[employee_id].predikat] += 1
    employees = None
    if everything:
        order = {unit_id: n for n, unit_id in enumerate(lines)}
        employees = [EmployeeLine(nip, name, position or "", lines[unit_id].name,
                                  found.get(employee_id))
                     for employee_id, nip, name, unit_id, position
                     in sorted(people, key=lambda p: (order[p[3]], p[2]))]
    # A unit closed down with nobody left in it has nothing to report.
    return Recap(period, [line for line in lines.values() if line.active or line.employees],
                 employees)


def _basis(found: EmployeePredikat, period: Period) -> str:
    if found.annual:
        return str(_l("Evaluasi tahunan"))
    if period.cadence is Cadence.QUARTERLY:
        return str(_l("Evaluasi triwulan %(n)s", n=ROMAN[min(max(found.point, 1), 4) - 1]))
    name = get_month_names("wide", locale=get_locale())[min(max(found.point, 1), 12)]
    return str(_l("Evaluasi bulan %(month)s", month=name))


def _employee_row(line: EmployeeLine, period: Period) -> list:
    found = line.found
    return [line.nip, line.name, line.position, line.unit,
            str(found.predikat.label) if found else str(_l("Belum dinilai")),
            found.predikat.short if found else "",
            _basis(found, period) if found else ""]


def recap_sheets(recap: Recap) -> list[Sheet]:
    """The recap as sheets: "Rekap per unit" (counts and shares; shares as numbers formatted
    as percentages) and, for HR, "Pegawai" (each employee with their predikat)."""
    shorts = [p.short for p in Predikat]

    def line_row(line: UnitLine, code: str, organisation: str, total: bool = False) -> Row:
        return Row([code, line.name, organisation, line.employees, line.evaluated,
                    *(line.counts[p] for p in Predikat),
                    *(float(s) if (s := line.share(p)) is not None else None for p in Predikat)],
                   total=total, level=line.level)

    units = Sheet(
        "Rekap per unit",
        title=str(_l("Rekapitulasi predikat kinerja pegawai per unit, periode %(year)s",
                     year=recap.period.year)),
        blank_after_title=True,
        header=[str(_l("Kode")), str(_l("Unit")), str(_l("Predikat organisasi")),
                str(_l("Jumlah pegawai")), str(_l("Dinilai")), *shorts,
                *(f"% {short}" for short in shorts)],
        rows=[line_row(line, line.code, str(line.organisation_predikat.label)
                       if line.organisation_predikat else "") for line in recap.units]
        + [line_row(recap.total, "", "", total=True)],
        notes=[str(_l("SB Sangat Baik · B Baik · BP Butuh Perbaikan · K/M Kurang/Misconduct · "
                      "SK Sangat Kurang. Predikat pegawai: evaluasi tahunan bila sudah "
                      "ditetapkan, selain itu evaluasi periodik terakhir yang ditetapkan."))],
        column_formats=dict.fromkeys(range(11, 16), "0.0%"),
        widths={"A": 14, "B": 48, "C": 20}, freeze="C4")
    if recap.employees is None:
        return [units]
    people = Sheet(
        "Pegawai",
        header=[str(_l("NIP")), str(_l("Nama")), str(_l("Jabatan")), str(_l("Unit")),
                str(_l("Predikat")), str(_l("Singkatan")), str(_l("Dasar"))],
        rows=[_employee_row(line, recap.period) for line in recap.employees],
        column_formats={1: "@"},  # an 18-digit NIP stays text
        widths=dict(zip("ABCDEFG", (22, 32, 32, 40, 20, 10, 24), strict=True)), freeze="A2")
    return [units, people]

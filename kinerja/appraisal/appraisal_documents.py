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
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from babel.dates import get_month_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from kinerja.appraisal import (
    behaviour_guides,
    credits,
    document_annex,
    ppk_records,
    skp_annex,
    split_years,
)
from kinerja.appraisal.distribution import ANNUAL, At
from kinerja.appraisal.models import Evaluation, EvaluationKind, EvaluationStatus, UnitPredikat
from kinerja.appraisal.predikat import Behaviour, OrganisationPredikat, Predikat, Rating
from kinerja.core.calendar import Cadence, today_in
from kinerja.core.errors import NotAllowed
from kinerja.core.tables import Row, Sheet
from kinerja.extensions import db
from kinerja.organisation import access, authority, tree
from kinerja.organisation.asn import PositionKind
from kinerja.organisation.letterhead import letterhead
from kinerja.organisation.models import Employee, Position, Unit, User
from kinerja.performance import perspectives, realisation, skp_workflow
from kinerja.performance.models import Period, Perspective, Rhk, RhkKind, Skp, SkpStatus
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
    """One identity block of the form (nama, NIP, pangkat/gol. ruang, jabatan, unit kerja); empty
    when nobody."""
    name: str = ""
    nip: str = ""
    position: str = ""
    unit: str = ""
    rank: str = ""   # "Penata (III/c)", "Golongan IX"; blank until HR records it

    @classmethod
    def of(cls, employee: Employee | None) -> "Person":
        if employee is None:
            return cls()
        return cls(employee.name, employee.nip or "", employee.position_name,
                   unit_kerja(employee.unit),
                   str(employee.rank.label) if employee.rank is not None else "")

    @property
    def known(self) -> bool:
        return bool(self.name)


def signer(person: Employee | None, employee: Employee, day: date) -> Person:
    """The pejabat penilai as they signed for `employee` on `day`: in their own name, or as
    "Plt./Plh. <the post>" when standing in (organisation/authority.py). The PPK signs with
    the title the admin recorded (their position) and no NIP."""
    found = Person.of(person)
    acting = authority.capacity(person, employee, day)
    return replace(found, position=authority.acting_title(acting)) if acting else found


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
    qualitative: bool = False           # kualitatif: target_text and narratives, no numbers
    target_text: str = ""
    narratives: list[str] = field(default_factory=list)   # the evaluated months' narratives


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
    perspective: str = ""   # a JPT's RHK: "Perspektif Penerima Layanan"...
    feedback: list[document_annex.Note] = field(default_factory=list)  # umpan balik berkelanjutan

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
    guides: list[str] = field(default_factory=list)     # the three panduan perilaku
    expectation: str = ""                               # ekspektasi khusus pimpinan
    feedback: list[str] = field(default_factory=list)   # umpan balik berkelanjutan

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
    # The annex's parts (document_annex.py): a JPT's plan grouped by perspective, the Lampiran.
    jpt: bool = False
    attachment: document_annex.Attachment = field(default_factory=document_annex.Attachment)

    @property
    def approach(self) -> str:
        """The approach the form's title names: kuantitatif, kualitatif, or both when the plan
        mixes numeric and described indicators."""
        described = {line.qualitative for row in self.main + self.additional
                     for line in row.indicators}
        if described == {True}:
            return str(_l("Pendekatan hasil kerja kualitatif"))
        if True in described:
            return str(_l("Pendekatan hasil kerja kuantitatif dan kualitatif"))
        return str(_l("Pendekatan hasil kerja kuantitatif"))

    @property
    def perspectives(self) -> list[tuple[str, list[PlanRow]]]:
        """A JPT's main RHK per perspective, in the annex's order (those without one last)."""
        order = [str(p.label) for p in Perspective] + [""]
        return [(name, rows) for name in order
                if (rows := [r for r in self.main if r.perspective == name])]


@dataclass
class SkpDocument(Document):
    skp: Skp | None = None
    draft: bool = False   # not yet approved
    recorded_for_ppk: list[str] = field(default_factory=list)


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
    credit: credits.Credit | None = None   # angka kredit: a fungsional's set evaluation only
    organisation: document_annex.OrganisationAnnex | None = None   # capaian, pola distribusi
    dialogues: list[document_annex.Note] = field(default_factory=list)
    peer_comments: list[str] = field(default_factory=list)
    # "Ditetapkan oleh PPK; dicatat oleh ...": a decision HR recorded from the PPK's signed scan.
    recorded_for_ppk: list[str] = field(default_factory=list)


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
            i.aspect.value, i.text, i.target, i.unit_of_measure, qualitative=i.qualitative,
            target_text=i.target_text or "") for i in rhk.indicators]
        rows.append(PlanRow(rhk.id, len(rows) + 1, rhk.text, parent_text, is_goal, indicators,
                            perspective=str(rhk.perspective.label) if rhk.perspective else ""))
    return main, additional


def _behaviours(ratings: dict[Behaviour, tuple[Rating, str]] | None = None, *,
                expectations: dict[Behaviour, str] | None = None,
                feedback: dict[Behaviour, list[str]] | None = None) -> list[BehaviourRow]:
    rows = []
    for number, value in enumerate(Behaviour, start=1):
        rating, note = (ratings or {}).get(value, (None, ""))
        rows.append(BehaviourRow(number, str(value.label), str(value.meaning),
                                 rating, note or "", guides=behaviour_guides.guides_of(value),
                                 expectation=(expectations or {}).get(value, ""),
                                 feedback=(feedback or {}).get(value, [])))
    return rows


def _annex_of_plan(skp: Skp, rhks: list[Rhk]) -> dict:
    """The annex's parts of either document that come with the plan itself."""
    return {"jpt": perspectives.is_jpt(skp.employee) or any(r.perspective for r in rhks),
            "attachment": document_annex.Attachment.of(skp)}


def skp_document(skp: Skp) -> SkpDocument:
    """The SKP form: the plan with its cascade, the seven core values, signed by the employee
    and the pejabat penilai (who approved it, or the direct supervisor until then)."""
    employee = skp.employee
    rhks = _rhks(skp)
    main, additional = _plan(rhks)
    approver = skp.approver or access.approver_of(employee, skp)
    approved = skp.status is SkpStatus.APPROVED
    signed_on = _local_date(skp.decided_at if approved else None, employee)
    return SkpDocument(
        **_kop(employee.unit),
        signed_on=signed_on,
        starts=skp.period.starts, ends=skp.period.ends,
        employee=Person.of(employee), appraiser=signer(approver, employee, signed_on),
        main=main, additional=additional, year=skp.period.year,
        behaviours=_behaviours(expectations=skp_annex.expectations_of(skp)),
        **_annex_of_plan(skp, rhks), skp=skp, draft=not approved,
        recorded_for_ppk=[note for note in (skp_workflow.ppk_approval_note(skp),) if note])


def _realisation_lines(rhks: list[Rhk], months: range) -> dict[int, IndicatorLine]:
    """Per indicator: the realisation in `months` and the running total to their end. Quantity
    realisation is the sum of the months; other aspects show the latest value entered so far."""
    indicators = [i for rhk in rhks for i in rhk.indicators]
    series, _ = realisation.read_series(realisation.aspects_of(indicators))
    narratives = document_annex.narratives([i.id for i in indicators if i.qualitative], months)
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
            percent_of_target=percent_of_target(cumulative, indicator.target,
                                                indicator.lower_is_better),
            quantity=months_of.quantity, qualitative=indicator.qualitative,
            target_text=indicator.target_text or "", narratives=narratives.get(indicator.id, []))
    return lines


def _organisation_predikat(employee: Employee, period: Period) -> OrganisationPredikat | None:
    """The predikat HR recorded for the employee's unit, or for the nearest unit above it."""
    chain = tree.unit_and_ancestors(employee.unit)
    if not chain:
        return None
    found = {row.unit_id: row.predikat for row in db.session.scalars(
        db.select(UnitPredikat).where(UnitPredikat.period_id == period.id,
                                      UnitPredikat.kind == EvaluationKind.ANNUAL,
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
    feedback = document_annex.rhk_feedback([r.id for r in rhks], months)
    for row in main + additional:
        row.feedback = feedback.get(row.rhk_id, [])
        if row.rhk_id in rated:
            row.rating, row.note = rated[row.rhk_id].rating, rated[row.rhk_id].note or ""
    per_value, peer_comments = document_annex.behaviour_feedback(evaluation)
    behaviours = _behaviours({b.behaviour: (b.rating, b.note) for b in evaluation.behaviour_ratings},
                             expectations=skp_annex.expectations_of(skp), feedback=per_value)
    organisation = _organisation_predikat(employee, evaluation.period)
    return EvaluationDocument(
        **_kop(employee.unit),
        signed_on=_local_date(evaluation.finalised_at, employee), starts=starts, ends=ends,
        employee=Person.of(employee),
        appraiser=signer(evaluation.appraiser or access.appraiser_of(employee, skp), employee,
                         _local_date(evaluation.finalised_at, employee)),
        recorded_for_ppk=[ppk_records.note(r) for r in ppk_records.records_of(evaluation).values()],
        main=main, additional=additional, behaviours=behaviours, year=evaluation.period.year,
        evaluation=evaluation, title=point_title(evaluation), **_annex_of_plan(skp, rhks),
        organisation=document_annex.organisation_annex(evaluation),
        dialogues=document_annex.dialogues(skp, starts, ends), peer_comments=peer_comments,
        appraiser_supervisor=Person.of(access.objection_decider_of(evaluation)),
        organisation_predikat=str(organisation.label) if organisation else "",
        result_rating=str(evaluation.result_rating.label) if evaluation.result_rating else "",
        result_note=evaluation.result_note or "",
        behaviour_rating=(str(evaluation.behaviour_rating.label)
                          if evaluation.behaviour_rating else ""),
        behaviour_note=evaluation.behaviour_note or "",
        predikat=str(evaluation.predikat.label) if evaluation.predikat else "",
        draft=evaluation.status is EvaluationStatus.DRAFT,
        credit=credits.of_evaluation(evaluation))


# ---------------------------------------------------------------- predikat of a period


@dataclass(frozen=True)
class EmployeePredikat:
    predikat: Predikat
    annual: bool
    point: int


def period_predikats(period: Period, unit_ids: set[int] | None = None, at: At | None = None
                     ) -> dict[int, EmployeePredikat]:
    """Each employee's predikat for the period: with `at`, that point's evaluation only (a
    recap of one point, as the curve counts); without, the annual evaluation's once it is set,
    otherwise the latest set periodic one's. One query, and split_years' few for the people
    whose year a transfer split: they count once, with their plans' results combined."""
    query = (db.select(Evaluation.employee_id, Evaluation.kind, Evaluation.point,
                       Evaluation.predikat, Evaluation.id)
             .where(Evaluation.period_id == period.id,
                    Evaluation.status != EvaluationStatus.DRAFT,
                    Evaluation.predikat.is_not(None)))
    if at is not None:
        query = query.where(Evaluation.kind == at.kind, Evaluation.point == at.point)
    if unit_ids is not None:
        query = query.join(Employee, Employee.id == Evaluation.employee_id).where(
            Employee.unit_id.in_(unit_ids))
    best: dict[int, tuple[tuple[int, int], EmployeePredikat]] = {}
    for employee_id, kind, point, value, _id in split_years.merged(period,
                                                                   db.session.execute(query)):
        annual = EvaluationKind(kind) is EvaluationKind.ANNUAL
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
    credit: Decimal | None = None   # angka kredit of that predikat: fungsional only


@dataclass
class Recap:
    period: Period
    units: list[UnitLine]
    employees: list[EmployeeLine] | None   # None: the reader may not see individuals
    at: At = ANNUAL                        # the one evaluation point counted

    @property
    def point_label(self) -> str:
        return self.at.label(self.period)

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


def predikat_recap(user: User, period: Period, at: At = ANNUAL) -> Recap:
    """Counts of each predikat per unit at one evaluation point of the period (the annual by
    default; active employees, by the unit they are in now), beside each unit's capaian at that
    point: one curve per point, never a mix. HR sees every unit and the list of employees; a
    head of unit sees the units they lead (and those below), without the list."""
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
        UnitPredikat.period_id == period.id, UnitPredikat.kind == at.kind,
        UnitPredikat.point == at.point)
    for unit_id, value in db.session.execute(predikats):
        if unit_id in lines:
            lines[unit_id].organisation_predikat = value
    found = period_predikats(period, unit_ids, at)
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
        _add_credits(employees, period)
    # A unit closed down with nobody left in it has nothing to report.
    return Recap(period, [line for line in lines.values() if line.active or line.employees],
                 employees, at)


def _basis(found: EmployeePredikat, period: Period) -> str:
    if found.annual:
        return str(_l("Evaluasi tahunan"))
    if period.cadence is Cadence.QUARTERLY:
        return str(_l("Evaluasi triwulan %(n)s", n=ROMAN[min(max(found.point, 1), 4) - 1]))
    name = get_month_names("wide", locale=get_locale())[min(max(found.point, 1), 12)]
    return str(_l("Evaluasi bulan %(month)s", month=name))


def _add_credits(employees: list[EmployeeLine], period: Period) -> None:
    """Each fungsional's angka kredit for the predikat found (one query: the fungsional only)."""
    jenjang_of = dict(db.session.execute(
        db.select(Employee.nip, Employee.jenjang)
        .where(Employee.position_kind == PositionKind.FUNGSIONAL, Employee.jenjang.is_not(None))
    ).all())
    for line in employees:
        if line.found is not None and line.nip in jenjang_of:
            line.credit = credits.credit_of(
                PositionKind.FUNGSIONAL, jenjang_of[line.nip], line.found.predikat,
                credits.months_of(line.found.annual, period.cadence)).value


def _employee_row(line: EmployeeLine, period: Period) -> list:
    found = line.found
    return [line.nip, line.name, line.position, line.unit,
            str(found.predikat.label) if found else str(_l("Belum dinilai")),
            found.predikat.short if found else "",
            _basis(found, period) if found else "",
            float(line.credit) if line.credit is not None else None]


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
        title=str(_l("Rekapitulasi predikat kinerja pegawai per unit, %(point)s",
                     point=recap.point_label)),
        blank_after_title=True,
        header=[str(_l("Kode")), str(_l("Unit")), str(_l("Capaian organisasi")),
                str(_l("Jumlah pegawai")), str(_l("Dinilai")), *shorts,
                *(f"% {short}" for short in shorts)],
        rows=[line_row(line, line.code, str(line.organisation_predikat.label)
                       if line.organisation_predikat else "") for line in recap.units]
        + [line_row(recap.total, "", "", total=True)],
        notes=[str(_l("SB Sangat Baik · B Baik · BP Butuh Perbaikan · K/M Kurang/Misconduct · "
                      "SK Sangat Kurang. Hanya evaluasi %(point)s yang ditetapkan yang "
                      "dihitung, dengan capaian kinerja organisasi untuk titik yang sama.",
                      point=recap.point_label))],
        column_formats=dict.fromkeys(range(11, 16), "0.0%"),
        widths={"A": 14, "B": 48, "C": 20}, freeze="C4")
    if recap.employees is None:
        return [units]
    people = Sheet(
        "Pegawai",
        header=[str(_l("NIP")), str(_l("Nama")), str(_l("Jabatan")), str(_l("Unit")),
                str(_l("Predikat")), str(_l("Singkatan")), str(_l("Dasar")),
                str(_l("Angka kredit"))],
        rows=[_employee_row(line, recap.period) for line in recap.employees],
        column_formats={1: "@", 8: "0.000"},  # an 18-digit NIP stays text
        widths=dict(zip("ABCDEFGH", (22, 32, 32, 40, 20, 10, 24, 14), strict=True)),
        freeze="A2")
    return [units, people]

"""Awards (penghargaan): HR defines an award with weighted criteria, heads of unit nominate,
the candidates are ranked transparently (kinerja.recognition.award_ranking does the arithmetic),
HR adds or removes candidates only with a written reason, decides, publishes or withdraws.
Every step is an audit event on the award, shown on its page.

The ranking reads a bounded number of queries whatever the number of candidates (about ten):
one for the candidates, one each for changes and nominations, predikat, indicator targets,
activity sums, entered realisation, ratings naming the candidates, and days with activities,
two for eligibility (ineligible predikats, disciplinary sanctions), one for the leave (CLTN,
tugas belajar) whose days and months are not expected of the person, and one for the plans a
transfer split (their predikat is combined: appraisal/split_years.py).
"""
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_

from kinerja.appraisal import discipline
from kinerja.appraisal.appraisal_documents import period_predikats
from kinerja.appraisal.models import Evaluation, EvaluationStatus
from kinerja.appraisal.predikat import Predikat
from kinerja.core import audit, calendar, holidays, images
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.core.text import single_stop
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback.models import Rating
from kinerja.organisation import access, tree
from kinerja.organisation.letterhead import letterhead
from kinerja.organisation.models import Employee, Unit, UnitKind, User
from kinerja.performance import evidence, leave, pace, realisation
from kinerja.performance.models import (
    Activity,
    Aspect,
    Indicator,
    Period,
    Rhk,
    Skp,
)
from kinerja.recognition import award_ranking
from kinerja.recognition.models import (
    Award,
    AwardScope,
    AwardStatus,
    AwardWinner,
    CandidateChange,
    CandidateChangeKind,
    Nomination,
    RankingSnapshot,
)

MAX_NAME = 200
MAX_DESCRIPTION = 2000
MAX_CITATION = 1000
MAX_REASON = 1000
MIN_REASON = 10  # "ok" is not a reason
MAX_WINNERS = 20
MAX_RESPONDENTS = 100_000
KIOSK_WINNERS = 6
KIOSK_MONTHS = 12
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}

CRITERION_LABELS = {
    "predikat": _l("Predikat kinerja"),
    "realisation": _l("Realisasi target"),
    "satisfaction": _l("Kepuasan warga"),
    "regularity": _l("Keteraturan laporan harian"),
    "nomination": _l("Nominasi kepala unit"),
}
TIE_RULE_TEXT = _l("Bila total sama: predikat lebih tinggi, lalu kepuasan warga lebih tinggi, "
                   "lalu realisasi lebih tinggi, lalu nama urut abjad A–Z.")


# ---------------------------------------------------------------- definition


@dataclass
class AwardInput:
    name: str
    description: str | None
    year: int
    date_from: date
    date_to: date
    scope: AwardScope
    unit_id: int | None
    unit_kind: UnitKind | None
    winners_count: int
    min_respondents: int
    weights: dict[str, int]


def _require_hr(actor: User) -> None:
    if not access.manages_awards(actor):
        raise NotAllowed


def _check_input(data: AwardInput) -> tuple[Period, Unit | None]:
    name = (data.name or "").strip()
    if not name:
        raise RuleViolation(_l("Nama penghargaan wajib diisi."), "name")
    if len(name) > MAX_NAME:
        raise RuleViolation(_l("Nama penghargaan paling panjang %(n)s karakter.", n=MAX_NAME), "name")
    if data.description and len(data.description) > MAX_DESCRIPTION:
        raise RuleViolation(_l("Keterangan paling panjang %(n)s karakter.", n=MAX_DESCRIPTION),
                            "description")
    period = db.session.scalar(db.select(Period).where(Period.year == data.year))
    if period is None:
        raise RuleViolation(_l("Tidak ada periode kinerja tahun %(year)s.", year=data.year), "year")
    if data.date_from > data.date_to:
        raise RuleViolation(_l("Tanggal mulai harus sebelum tanggal selesai."), "date_to")
    if data.date_from.year != data.year or data.date_to.year != data.year:
        raise RuleViolation(_l("Rentang penilaian harus di dalam tahun %(year)s.", year=data.year),
                            "date_from")
    unit = None
    if data.scope is AwardScope.UNIT:
        unit = db.session.get(Unit, data.unit_id) if data.unit_id else None
        if unit is None:
            raise RuleViolation(_l("Pilih unit kerja untuk penghargaan satu unit."), "unit_id")
    if data.scope is AwardScope.KIND and data.unit_kind is None:
        raise RuleViolation(_l("Pilih jenis unit kerja."), "unit_kind")
    if not 1 <= data.winners_count <= MAX_WINNERS:
        raise RuleViolation(_l("Jumlah pemenang 1 sampai %(n)s.", n=MAX_WINNERS), "winners_count")
    if not 0 <= data.min_respondents <= MAX_RESPONDENTS:
        raise RuleViolation(_l("Minimum responden tidak masuk akal."), "min_respondents")
    try:
        award_ranking.check_weights(data.weights)
    except award_ranking.WeightsInvalid as problem:
        if problem.reason == "sum":
            raise RuleViolation(_l("Jumlah bobot harus 100 (sekarang %(total)s).",
                                   total=problem.total), "weights") from None
        raise RuleViolation(_l("Setiap bobot bilangan bulat 0 sampai 100."), "weights") from None
    return period, unit


def _apply(award: Award, data: AwardInput, period: Period, unit: Unit | None) -> None:
    award.name = data.name.strip()
    award.description = (data.description or "").strip() or None
    award.period = period
    award.date_from, award.date_to = data.date_from, data.date_to
    award.scope = data.scope
    award.unit = unit if data.scope is AwardScope.UNIT else None
    award.unit_kind = data.unit_kind if data.scope is AwardScope.KIND else None
    award.winners_count = data.winners_count
    award.min_respondents = data.min_respondents
    for name, value in data.weights.items():
        setattr(award, f"weight_{name}", value)


def _settings(award: Award) -> dict:
    return {"name": award.name, "year": award.period.year if award.period else None,
            "from": award.date_from.isoformat(), "to": award.date_to.isoformat(),
            "scope": award.scope.value, "unit": award.unit.code if award.unit else None,
            "unit_kind": award.unit_kind.value if award.unit_kind else None,
            "winners": award.winners_count, "min_respondents": award.min_respondents,
            "weights": award.weights}


def define(actor: User, data: AwardInput) -> Award:
    _require_hr(actor)
    period, unit = _check_input(data)
    award = Award(status=AwardStatus.DRAFT, created_by=actor)
    _apply(award, data, period, unit)
    db.session.add(award)
    db.session.flush()
    audit.record("award.defined", actor=actor, subject=award, summary=award.name,
                 **_settings(award))
    db.session.commit()
    return award


def edit(actor: User, award: Award, data: AwardInput) -> Award:
    _require_hr(actor)
    if not award.is_draft:
        raise RuleViolation(_l("Penghargaan yang sudah diputuskan tidak dapat diubah."))
    period, unit = _check_input(data)
    _apply(award, data, period, unit)
    audit.record("award.updated", actor=actor, subject=award, summary=award.name,
                 **_settings(award))
    db.session.commit()
    return award


def blank_input(today: date) -> AwardInput:
    return AwardInput(name="", description=None, year=today.year, date_from=date(today.year, 1, 1),
                      date_to=date(today.year, 12, 31), scope=AwardScope.UNIT, unit_id=None,
                      unit_kind=None, winners_count=3, min_respondents=30,
                      weights={"predikat": 30, "realisation": 25, "satisfaction": 20,
                               "regularity": 15, "nomination": 10})


def input_of(award: Award) -> AwardInput:
    return AwardInput(award.name, award.description, award.period.year, award.date_from,
                      award.date_to, award.scope, award.unit_id, award.unit_kind,
                      award.winners_count, award.min_respondents, dict(award.weights))


# ---------------------------------------------------------------- scope and candidates


def scope_unit_ids(award: Award) -> set[int] | None:
    """The units the award takes in (None: every unit)."""
    if award.scope is AwardScope.ALL:
        return None
    if award.scope is AwardScope.KIND:
        return set(db.session.scalars(db.select(Unit.id).where(Unit.kind == award.unit_kind)))
    return tree.subtree_ids(award.unit) if award.unit else set()


def scope_label(award: Award) -> str:
    if award.scope is AwardScope.ALL:
        return str(_l("Semua unit kerja"))
    if award.scope is AwardScope.KIND:
        return str(_l("Semua %(kind)s", kind=UnitKind(award.unit_kind).label))
    return award.unit.name if award.unit else ""


def _changes(award: Award) -> list[CandidateChange]:
    return list(db.session.scalars(
        db.select(CandidateChange).where(CandidateChange.award_id == award.id)
        .options(db.joinedload(CandidateChange.employee), db.joinedload(CandidateChange.changed_by))
        .order_by(CandidateChange.changed_at, CandidateChange.id)))


def _standing(changes: list[CandidateChange]) -> tuple[dict[int, CandidateChange],
                                                       dict[int, CandidateChange]]:
    """(added, removed): the latest change per employee decides."""
    latest: dict[int, CandidateChange] = {}
    for change in changes:
        latest[change.employee_id] = change
    added = {e: c for e, c in latest.items() if c.kind is CandidateChangeKind.ADDED}
    removed = {e: c for e, c in latest.items() if c.kind is CandidateChangeKind.REMOVED}
    return added, removed


def _candidates(award: Award, scope: set[int] | None, added: set[int], removed: set[int]
                ) -> list[Employee]:
    """Active employees in scope with an SKP for the award's period, plus HR's additions, minus
    HR's removals. One query."""
    has_skp = Employee.id.in_(db.select(Skp.employee_id).where(Skp.period_id == award.period_id))
    in_scope = has_skp if scope is None else and_(has_skp, Employee.unit_id.in_(scope))
    chosen = or_(in_scope, Employee.id.in_(added)) if added else in_scope
    query = (db.select(Employee).where(Employee.active.is_(True), chosen)
             .options(db.joinedload(Employee.unit), db.joinedload(Employee.position))
             .order_by(Employee.name, Employee.id))
    if removed:
        query = query.where(Employee.id.not_in(removed))
    return list(db.session.scalars(query).unique())


def in_scope(award: Award, employee: Employee, scope: set[int] | None = None) -> bool:
    scope = scope_unit_ids(award) if scope is None else scope
    return scope is None or employee.unit_id in scope


# ---------------------------------------------------------------- the facts per candidate


def assessed_until(award: Award, today: date) -> date:
    """The last day counted: the award's end, or today if that comes first."""
    return min(award.date_to, today)


def _realisation_ratios(award: Award, employee_ids: list[int], until: date,
                        away: dict[int, list] | None = None) -> dict[int, list[Fraction]]:
    """Per employee: per quantity indicator of their SKP, realised to the month of `until`
    (activity sums, or the value they entered) against the yearly target, the indicator's
    direction respected (pace.achievement). Months spent on CLTN or tugas belajar expect
    nothing: a higher-is-better target is cut to the plan's other months, and an indicator of
    a plan spent wholly on leave is left out (`away`: their leave spans, see _leave_spans).
    Three queries."""
    if not employee_ids or until < date(award.period.year, 1, 1):
        return {}
    month = until.month if until.year == award.period.year else 12
    targets = db.session.execute(
        db.select(Skp.employee_id, Indicator.id, Indicator.target, Indicator.lower_is_better,
                  Skp.first_month, Skp.last_month)
        .join(Rhk, Rhk.skp_id == Skp.id).join(Indicator, Indicator.rhk_id == Rhk.id)
        .where(Skp.period_id == award.period_id, Skp.employee_id.in_(employee_ids),
               Indicator.aspect == Aspect.QUANTITY, Indicator.target > 0)).all()
    series, _ = realisation.read_series({row.id: Aspect.QUANTITY for row in targets})
    missed = {e: leave.missed_months(spans, award.period.year)
              for e, spans in (away or {}).items()}
    ratios: dict[int, list[Fraction]] = defaultdict(list)
    for employee_id, indicator_id, target, lower, first, last in targets:
        months = range(first, last + 1)
        worked = len([m for m in months if m not in missed.get(employee_id, ())])
        if worked == 0:
            continue
        if not lower and worked < len(months):
            target = Decimal(target) * worked / len(months)
        done = series[indicator_id].cumulative(month) or Decimal(0)
        ratios[employee_id].append(pace.achievement(done, target, lower))
    return ratios


def _ratings(award: Award, employee_ids: list[int], until: date) -> dict[int, tuple[int, int]]:
    """Per employee: (respondents, sum of one-tap faces) of the ratings naming them, HR's
    exclusions left out. One GROUP BY."""
    if not employee_ids:
        return {}
    rows = db.session.execute(
        db.select(Rating.staff_id, func.count(Rating.id), func.sum(Rating.score))
        .where(Rating.staff_id.in_(employee_ids), Rating.excluded.is_(False),
               Rating.local_day >= award.date_from, Rating.local_day <= until)
        .group_by(Rating.staff_id)).all()
    return {staff_id: (int(n), int(total or 0)) for staff_id, n, total in rows}


def _leave_spans(award: Award, employee_ids: list[int], until: date) -> dict[int, list]:
    """Per employee: their spans of CLTN or tugas belajar touching the award's span or its
    performance year (leave.py). One query."""
    return leave.spans_of(employee_ids, min(award.date_from, award.period.starts),
                          max(until, award.period.ends))


def _days_on_leave(award: Award, away: dict[int, list], until: date) -> dict[int, int]:
    """Per employee: the working days of the award's span so far spent on leave, which their
    regularity does not count."""
    days_off = holidays.between(award.date_from, until)
    counted: dict[int, int] = defaultdict(int)
    for employee_id, spans in away.items():
        for start, end in spans:
            counted[employee_id] += calendar.count_working_days(
                max(start, award.date_from), min(end, until), days_off)
    return counted


def _active_days(award: Award, employee_ids: list[int], until: date) -> dict[int, int]:
    """Per employee: working days (Mon-Fri minus the holiday calendar) with at least one daily
    activity. One query of distinct (employee, day) pairs; the working day is told in Python
    (portable across databases)."""
    if not employee_ids:
        return {}
    days_off = holidays.between(award.date_from, until)
    counts: dict[int, int] = defaultdict(int)
    for employee_id, day in db.session.execute(
            db.select(Activity.employee_id, Activity.day)
            .where(Activity.employee_id.in_(employee_ids), Activity.day >= award.date_from,
                   Activity.day <= until)
            .group_by(Activity.employee_id, Activity.day)):
        if calendar.is_working_day(day, days_off):
            counts[employee_id] += 1
    return counts


@dataclass
class Ranking:
    award: Award
    rows: list[dict]                       # one shape for live and snapshot rows (see _row)
    removed: list[CandidateChange]
    added: dict[int, CandidateChange]
    changes: list[CandidateChange]
    nominations: list[Nomination]
    until: date
    working_days: int
    live: bool = True
    taken_at: datetime | None = None
    weights: dict[str, int] = field(default_factory=dict)
    min_respondents: int = 0
    # Candidates left out as not eligible, with why (see _eligible): for HR's page only.
    excluded: list[dict] = field(default_factory=list)

    @property
    def excluded_rows(self) -> list[dict]:
        """The excluded rows with their sanction spans as dates (stored as ISO text)."""
        def dated(reason: dict) -> dict:
            if reason["kind"] != "sanction":
                return reason
            return {**reason, "from": date.fromisoformat(reason["from"]),
                    "to": date.fromisoformat(reason["to"])}
        return [{**row, "reasons": [dated(r) for r in row["reasons"]]} for row in self.excluded]


def _row(ranked: award_ranking.RankedRow, employee: Employee, facts: award_ranking.CandidateFacts,
         added: bool, tie: str | None) -> dict:
    """A ranking row as plain JSON-able values: the snapshot stores exactly this."""
    index = award_ranking.satisfaction_index(facts.respondents, facts.score_sum)
    ratios = facts.realisation_ratios
    return {
        "rank": ranked.rank, "employee_id": employee.id, "name": employee.name,
        "position": employee.position_name, "unit": employee.unit.name if employee.unit else "",
        "added": added, "tie": tie,
        "total": str(award_ranking.two_decimals(ranked.total)),
        "facts": {
            "predikat": facts.predikat.short if facts.predikat else None,
            "indicators": len(ratios),
            "respondents": facts.respondents,
            "index": str(award_ranking.two_decimals(index)) if index is not None else None,
            "active_days": facts.active_days, "working_days": facts.working_days,
            "nominated": facts.nominated,
        },
        "criteria": {name: {"value": str(award_ranking.two_decimals(c.value)),
                            "contribution": str(award_ranking.two_decimals(c.contribution)),
                            "short": c.short}
                     for name, c in ranked.criteria.items()},
    }


def ranking(reader: User, award: Award, today: date | None = None) -> Ranking:
    """The live ranking while the award is a draft; afterwards the snapshot taken at the decision
    (with the same changes and nominations for the record)."""
    _require_hr(reader)
    return _ranking(award, today)


def _ranking(award: Award, today: date | None = None) -> Ranking:
    today = today or calendar.today_in(award.unit.time_zone if award.unit else None)
    changes = _changes(award)
    added, removed = _standing(changes)
    nominations = list(db.session.scalars(
        db.select(Nomination).where(Nomination.award_id == award.id)
        .options(db.joinedload(Nomination.employee), db.joinedload(Nomination.nominator))
        .order_by(Nomination.created_at, Nomination.id)))
    until = assessed_until(award, today)
    days = calendar.count_working_days(award.date_from, until,
                                       holidays.between(award.date_from, until))
    if not award.is_draft and award.snapshot is not None:
        snapshot = award.snapshot
        return Ranking(award, snapshot.rows, list(removed.values()), added, changes, nominations,
                       date.fromisoformat(snapshot.settings.get("until", until.isoformat())),
                       snapshot.settings.get("working_days", days), live=False,
                       taken_at=snapshot.taken_at, weights=snapshot.settings["weights"],
                       min_respondents=snapshot.settings["min_respondents"],
                       excluded=snapshot.settings.get("excluded", []))
    scope = scope_unit_ids(award)
    employees, excluded = _eligible(award, _candidates(award, scope, set(added), set(removed)))
    ids = [e.id for e in employees]
    units = scope | {e.unit_id for e in employees if e.unit_id} if scope is not None else None
    predikats = period_predikats(award.period, units)
    away = _leave_spans(award, ids, until)
    ratios = _realisation_ratios(award, ids, until, away)
    ratings = _ratings(award, ids, until)
    active = _active_days(award, ids, until)
    on_leave = _days_on_leave(award, away, until)
    nominated = {n.employee_id for n in nominations}
    facts = []
    for employee in employees:
        found = predikats.get(employee.id)
        respondents, score_sum = ratings.get(employee.id, (0, 0))
        facts.append(award_ranking.CandidateFacts(
            employee_id=employee.id, name=employee.name,
            predikat=found.predikat if found else None,
            realisation_ratios=tuple(ratios.get(employee.id, ())),
            respondents=respondents, score_sum=score_sum,
            active_days=active.get(employee.id, 0),
            working_days=max(days - on_leave.get(employee.id, 0), 0),
            nominated=employee.id in nominated))
    ranked = award_ranking.rank(facts, award.weights, award.min_respondents)
    by_id = {e.id: e for e in employees}
    rows = [_row(row, by_id[row.employee_id], row.facts, row.employee_id in added,
                 award_ranking.tie_broken_by(ranked, n))
            for n, row in enumerate(ranked)]
    return Ranking(award, rows, list(removed.values()), added, changes, nominations, until, days,
                   weights=dict(award.weights), min_respondents=award.min_respondents,
                   excluded=excluded)


def _low_predikats(award: Award, employee_ids: list[int]) -> dict[int, set[Predikat]]:
    """Per employee, the ineligible predikats (K/M, SK) of any evaluation set in the award's
    performance period, periodic or annual: one query. Any of them excludes, even when a later
    evaluation is better (misconduct in March is not undone by a good June)."""
    if not employee_ids:
        return {}
    found: dict[int, set[Predikat]] = defaultdict(set)
    for employee_id, predikat in db.session.execute(
            db.select(Evaluation.employee_id, Evaluation.predikat)
            .where(Evaluation.period_id == award.period_id,
                   Evaluation.employee_id.in_(employee_ids),
                   Evaluation.status != EvaluationStatus.DRAFT,
                   Evaluation.predikat.in_(award_ranking.INELIGIBLE_PREDIKAT))):
        found[employee_id].add(predikat)
    return found


def _eligible(award: Award, employees: list[Employee]) -> tuple[list[Employee], list[dict]]:
    """(the candidates who may be ranked, the rows of those who may not, each with its reasons).
    Two queries."""
    ids = [e.id for e in employees]
    low = _low_predikats(award, ids)
    sanctions = discipline.sanctions_in(ids, award.date_from, award.date_to)
    eligible, excluded = [], []
    for employee in employees:
        reasons = award_ranking.exclusion_reasons(
            low.get(employee.id, ()),
            [(s.level.value, s.effective_from, s.effective_to) for s in sanctions.get(employee.id, [])])
        if reasons:
            excluded.append({"employee_id": employee.id, "name": employee.name,
                             "position": employee.position_name,
                             "unit": employee.unit.name if employee.unit else "",
                             "reasons": reasons})
        else:
            eligible.append(employee)
    return eligible, excluded


# ---------------------------------------------------------------- candidate changes


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise RuleViolation(_l("Tuliskan alasannya (paling sedikit %(n)s karakter).", n=MIN_REASON),
                            "reason")
    if len(reason) > MAX_REASON:
        raise RuleViolation(_l("Alasan paling panjang %(n)s karakter.", n=MAX_REASON), "reason")
    return reason


def _require_draft(award: Award) -> None:
    if not award.is_draft:
        raise RuleViolation(_l("Penghargaan ini sudah diputuskan; kandidat dan nominasi tidak "
                               "dapat diubah lagi."))


def find_employee(identifier: str) -> Employee | None:
    """An employee by NIP (spaces allowed)."""
    digits = "".join((identifier or "").split())
    if not digits:
        return None
    return db.session.scalar(db.select(Employee).where(Employee.nip == digits))


def add_candidate(actor: User, award: Award, employee: Employee | None, reason: str | None) -> None:
    _require_hr(actor)
    _require_draft(award)
    if employee is None or not employee.active:
        raise RuleViolation(_l("Pegawai dengan NIP itu tidak ditemukan atau tidak aktif."), "nip")
    reason = _reason(reason)
    current = {e.id for e in _candidates(award, scope_unit_ids(award), *map(set, _standing(
        _changes(award))))}
    if employee.id in current:
        raise RuleViolation(_l("%(name)s sudah menjadi kandidat.", name=employee.name), "nip")
    db.session.add(CandidateChange(award_id=award.id, employee=employee,
                                   kind=CandidateChangeKind.ADDED, reason=reason, changed_by=actor))
    audit.record("award.candidate_added", actor=actor, subject=award, summary=employee.name,
                 employee_id=employee.id, reason=reason)
    db.session.commit()


def remove_candidate(actor: User, award: Award, employee: Employee | None,
                     reason: str | None) -> None:
    _require_hr(actor)
    _require_draft(award)
    if employee is None:
        raise RuleViolation(_l("Kandidat tidak ditemukan."), "employee_id")
    reason = _reason(reason)
    current = {e.id for e in _candidates(award, scope_unit_ids(award), *map(set, _standing(
        _changes(award))))}
    if employee.id not in current:
        raise RuleViolation(_l("%(name)s bukan kandidat.", name=employee.name), "employee_id")
    db.session.add(CandidateChange(award_id=award.id, employee=employee,
                                   kind=CandidateChangeKind.REMOVED, reason=reason,
                                   changed_by=actor))
    audit.record("award.candidate_removed", actor=actor, subject=award, summary=employee.name,
                 employee_id=employee.id, reason=reason)
    db.session.commit()


# ---------------------------------------------------------------- nominations (heads of unit)


def nominates_for(user: User, award: Award) -> bool:
    """Does the award take in a unit this user leads? (The page; each nominee is checked too.)"""
    headed = access.headed_unit_ids(user.employee)
    if not headed:
        return False
    scope = scope_unit_ids(award)
    return scope is None or bool(headed & scope)


def nominees_for(user: User, award: Award) -> list[Employee]:
    """The candidates this head may nominate: those in units they lead (not themselves)."""
    headed = access.headed_unit_ids(user.employee)
    changes = _changes(award)
    return [e for e in _candidates(award, scope_unit_ids(award), *map(set, _standing(changes)))
            if e.unit_id in headed and e.id != user.employee.id]


def nominate(actor: User, award: Award, employee: Employee | None, citation: str | None) -> Nomination:
    if not nominates_for(actor, award):
        raise NotAllowed
    _require_draft(award)
    if employee is None or employee.id not in {e.id for e in nominees_for(actor, award)}:
        raise RuleViolation(_l("Pilih kandidat dari unit yang Anda pimpin."), "employee_id")
    if not access.can_nominate(actor, employee):
        raise NotAllowed
    citation = (citation or "").strip()
    if len(citation) < MIN_REASON:
        raise RuleViolation(_l("Tuliskan alasan nominasi (paling sedikit %(n)s karakter).",
                               n=MIN_REASON), "citation")
    if len(citation) > MAX_CITATION:
        raise RuleViolation(_l("Alasan nominasi paling panjang %(n)s karakter.", n=MAX_CITATION),
                            "citation")
    nomination = db.session.scalar(db.select(Nomination).where(
        Nomination.award_id == award.id, Nomination.employee_id == employee.id,
        Nomination.nominator_id == actor.employee.id))
    if nomination is None:
        nomination = Nomination(award_id=award.id, employee=employee, nominator=actor.employee,
                                citation=citation)
        db.session.add(nomination)
    else:
        nomination.citation = citation
    audit.record("award.nominated", actor=actor, subject=award, summary=employee.name,
                 employee_id=employee.id, citation=citation)
    db.session.commit()
    return nomination


def my_nominations(user: User, award: Award) -> list[Nomination]:
    return list(db.session.scalars(
        db.select(Nomination).where(Nomination.award_id == award.id,
                                    Nomination.nominator_id == user.employee.id)
        .options(db.joinedload(Nomination.employee)).order_by(Nomination.created_at)))


# ---------------------------------------------------------------- decide, publish, withdraw


def decide(actor: User, award: Award, today: date | None = None) -> list[AwardWinner]:
    """Freeze the ranking (a snapshot) and name the top N winners; each winner's citation
    starts as the first nomination's citation (HR may edit it before publishing)."""
    _require_hr(actor)
    _require_draft(award)
    result = _ranking(award, today)
    if not result.rows:
        raise RuleViolation(_l("Belum ada kandidat; penghargaan belum dapat diputuskan."))
    snapshot = RankingSnapshot(award_id=award.id, taken_by_id=actor.id, rows=result.rows,
                               settings={**_settings(award), "until": result.until.isoformat(),
                                         "working_days": result.working_days,
                                         "excluded": result.excluded})
    db.session.add(snapshot)
    citations: dict[int, str] = {}
    for nomination in result.nominations:
        citations.setdefault(nomination.employee_id, nomination.citation)
    employees = {e.id: e for e in db.session.scalars(db.select(Employee).where(
        Employee.id.in_([row["employee_id"] for row in result.rows[:award.winners_count]])))}
    winners = []
    for row in result.rows[:award.winners_count]:
        employee = employees[row["employee_id"]]
        winner = AwardWinner(employee=employee, rank=row["rank"], name=employee.name,
                             position_name=employee.position_name,
                             unit_name=employee.unit.name if employee.unit else "",
                             citation=citations.get(employee.id, ""))
        award.winners.append(winner)
        winners.append(winner)
    award.status = AwardStatus.DECIDED
    award.decided_at = utcnow()
    db.session.flush()
    audit.record("award.ranked", actor=actor, subject=award,
                 summary=f"{len(result.rows)} kandidat", snapshot_id=snapshot.id,
                 candidates=len(result.rows),
                 excluded=[{"employee_id": row["employee_id"], "name": row["name"],
                            "reasons": [r["kind"] for r in row["reasons"]]}
                           for row in result.excluded] or None,
                 top=[{"rank": r["rank"], "name": r["name"], "total": r["total"]}
                      for r in result.rows[:10]])
    audit.record("award.decided", actor=actor, subject=award,
                 summary=", ".join(w.name for w in winners),
                 winners=[{"rank": w.rank, "employee_id": w.employee_id, "name": w.name}
                          for w in winners])
    db.session.commit()
    return winners


def reopen(actor: User, award: Award, reason: str | None) -> None:
    """Back to draft before publishing (the snapshot and winners are dropped; the audit trail
    keeps them)."""
    _require_hr(actor)
    if award.status is not AwardStatus.DECIDED:
        raise RuleViolation(_l("Hanya penghargaan yang sudah diputuskan dan belum "
                               "dipublikasikan yang dapat dibuka kembali."))
    reason = _reason(reason)
    for winner in list(award.winners):
        _delete_photo(winner)
    award.winners.clear()
    if award.snapshot is not None:
        db.session.delete(award.snapshot)
    award.status = AwardStatus.DRAFT
    award.decided_at = None
    audit.record("award.reopened", actor=actor, subject=award, summary=reason, reason=reason)
    db.session.commit()


def _require_winner_editable(winner: AwardWinner) -> None:
    if winner.award.status not in (AwardStatus.DECIDED, AwardStatus.PUBLISHED):
        raise RuleViolation(_l("Pemenang penghargaan ini tidak dapat diubah lagi."))


def set_citation(actor: User, winner: AwardWinner, citation: str | None) -> None:
    _require_hr(actor)
    if winner.award.status is not AwardStatus.DECIDED:
        raise RuleViolation(_l("Kutipan hanya dapat diubah sebelum penghargaan dipublikasikan."))
    citation = (citation or "").strip()
    if not citation:
        raise RuleViolation(_l("Kutipan penghargaan wajib diisi."), "citation")
    if len(citation) > MAX_CITATION:
        raise RuleViolation(_l("Kutipan paling panjang %(n)s karakter.", n=MAX_CITATION), "citation")
    winner.citation = citation
    audit.record("award.citation_changed", actor=actor, subject=winner.award, summary=winner.name,
                 employee_id=winner.employee_id, citation=citation)
    db.session.commit()


def photo_dir() -> Path:
    path = Path(current_app.instance_path) / "award_photos"
    path.mkdir(parents=True, exist_ok=True)
    return path


def photo_path(winner: AwardWinner) -> Path | None:
    return photo_dir() / winner.photo_name if winner.photo_name else None


def _delete_photo(winner: AwardWinner) -> None:
    if winner.photo_name:
        (photo_dir() / winner.photo_name).unlink(missing_ok=True)
    winner.photo_name = winner.photo_type = None
    winner.photo_consent = False


def set_photo(actor: User, winner: AwardWinner, data: bytes, consent: bool) -> None:
    """Keep a winner's photo: only with their consent, only a JPEG, PNG or WebP (told by bytes)."""
    _require_hr(actor)
    _require_winner_editable(winner)
    if not consent:
        raise RuleViolation(_l("Foto hanya boleh diunggah bila pemenang menyetujui "
                               "fotonya diumumkan."), "consent")
    media_type = evidence.sniff_media_type(data)
    if media_type not in PHOTO_TYPES:
        raise RuleViolation(_l("Foto harus berupa JPG, PNG atau WEBP."), "photo")
    try:  # published on the public page: no GPS position, camera or other metadata goes with it
        data = images.without_metadata(data, media_type)
    except images.NotAPicture:
        raise RuleViolation(_l("Foto harus berupa JPG, PNG atau WEBP."), "photo") from None
    old = winner.photo_name
    name = secrets.token_hex(16)
    (photo_dir() / name).write_bytes(data)
    winner.photo_name, winner.photo_type, winner.photo_consent = name, media_type, True
    audit.record("award.photo_set", actor=actor, subject=winner.award, summary=winner.name,
                 employee_id=winner.employee_id, media_type=media_type, size=len(data))
    db.session.commit()
    if old:
        (photo_dir() / old).unlink(missing_ok=True)


def remove_photo(actor: User, winner: AwardWinner) -> None:
    """Consent withdrawn (or a wrong photo): the file is deleted, not just hidden."""
    _require_hr(actor)
    if not winner.photo_name and not winner.photo_consent:
        raise RuleViolation(_l("Pemenang ini tidak mempunyai foto."), "photo")
    _delete_photo(winner)
    audit.record("award.photo_removed", actor=actor, subject=winner.award, summary=winner.name,
                 employee_id=winner.employee_id)
    db.session.commit()


def publish(actor: User, award: Award) -> None:
    _require_hr(actor)
    if award.status is not AwardStatus.DECIDED:
        raise RuleViolation(_l("Hanya penghargaan yang sudah diputuskan yang dapat dipublikasikan."))
    missing = [w.name for w in award.winners if not w.citation.strip()]
    if missing:
        raise RuleViolation(single_stop(str(_l("Isi kutipan penghargaan untuk: %(names)s.",
                                               names=", ".join(missing)))), "citation")
    award.status = AwardStatus.PUBLISHED
    award.published_at = utcnow()
    audit.record("award.published", actor=actor, subject=award, summary=award.name,
                 winners=[w.name for w in award.winners])
    db.session.commit()


def withdraw(actor: User, award: Award, reason: str | None) -> None:
    """Take a published award back (off the public page and the kiosks), with the reason."""
    _require_hr(actor)
    if award.status is not AwardStatus.PUBLISHED:
        raise RuleViolation(_l("Hanya penghargaan yang sudah dipublikasikan yang dapat ditarik."))
    reason = _reason(reason)
    award.status = AwardStatus.WITHDRAWN
    award.withdrawn_at = utcnow()
    award.withdrawal_reason = reason
    audit.record("award.withdrawn", actor=actor, subject=award, summary=reason, reason=reason)
    db.session.commit()


# ---------------------------------------------------------------- reading


def history(award: Award) -> list[AuditEvent]:
    """The award's audit events, oldest first (definition to withdrawal)."""
    return list(db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.subject_type == "Award",
                                    AuditEvent.subject_id == award.id)
        .options(db.joinedload(AuditEvent.actor)).order_by(AuditEvent.occurred_at, AuditEvent.id)))


def award_list(reader: User) -> list[Award]:
    """HR: every award, newest first. A head of unit: the drafts open to their nominations."""
    query = (db.select(Award).options(db.joinedload(Award.unit), db.joinedload(Award.period))
             .order_by(Award.created_at.desc(), Award.id.desc()))
    if access.manages_awards(reader):
        return list(db.session.scalars(query))
    if not access.uses_awards(reader):
        raise NotAllowed
    drafts = db.session.scalars(query.where(Award.status == AwardStatus.DRAFT))
    return [award for award in drafts if nominates_for(reader, award)]


def unit_choices() -> list[tuple[int, str]]:
    return [(u.id, f"{u.name} ({u.code})") for u in db.session.scalars(
        db.select(Unit).where(Unit.active.is_(True)).order_by(Unit.name))]


def _published_query():
    return (db.select(Award).where(Award.status == AwardStatus.PUBLISHED)
            .options(db.selectinload(Award.winners), db.joinedload(Award.unit),
                     db.joinedload(Award.period)))


def published_awards(year: int | None = None, unit_id: int | None = None) -> list[Award]:
    """Published awards (not withdrawn), newest first; `unit_id` keeps the awards whose scope
    takes in that unit. Three queries whatever the number of awards (plus one with a unit)."""
    query = _published_query().order_by(Award.published_at.desc(), Award.id.desc())
    if year is not None:
        query = query.join(Period, Award.period_id == Period.id).where(Period.year == year)
    found = list(db.session.scalars(query).unique())
    if unit_id is not None:
        unit = db.session.get(Unit, unit_id)
        if unit is None:
            return []
        found = [a for a in found if _takes_in(a, unit)]
    return found


def published_years() -> list[int]:
    return list(db.session.scalars(
        db.select(Period.year).join(Award, Award.period_id == Period.id)
        .where(Award.status == AwardStatus.PUBLISHED).distinct().order_by(Period.year.desc())))


def published_units() -> list[Unit]:
    """The units a visitor may filter by (an award of a kind or of everyone takes them in too)."""
    return list(db.session.scalars(db.select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)))


def _takes_in(award: Award, unit: Unit) -> bool:
    """Does the award's scope include this unit? (Its unit or one above it, its kind, or all.)"""
    if award.scope is AwardScope.ALL:
        return True
    if award.scope is AwardScope.KIND:
        return unit.kind == award.unit_kind
    return any(u.id == award.unit_id for u in tree.unit_and_ancestors(unit))


def kiosk_recognition(unit: Unit, now: datetime | None = None) -> list[dict]:
    """For a kiosk's idle screen: winners of awards published in the last twelve months whose
    scope takes in the kiosk's unit, newest first, at most six: name, position, award."""
    now = now or utcnow()
    since = now - timedelta(days=365 * KIOSK_MONTHS // 12)
    awards = db.session.scalars(_published_query().where(Award.published_at >= since)
                                .order_by(Award.published_at.desc(), Award.id.desc())).unique()
    people = []
    for award in awards:
        if not _takes_in(award, unit):
            continue
        for winner in award.winners:
            people.append({"name": winner.name, "position": winner.position_name,
                           "award": award.name})
            if len(people) >= KIOSK_WINNERS:
                return people
    return people


def certificate_context(winner: AwardWinner) -> dict:
    """What the certificate prints: the award, the winner, the kop and who signs."""
    award = winner.award
    if award.status not in (AwardStatus.DECIDED, AwardStatus.PUBLISHED):
        raise RuleViolation(_l("Sertifikat hanya untuk penghargaan yang diputuskan atau "
                               "dipublikasikan."))
    head = letterhead(award.unit)
    return {"award": award, "winner": winner, "letterhead": head, "scope": scope_label(award),
            "signed_on": (award.published_at or award.decided_at or utcnow()).date()}

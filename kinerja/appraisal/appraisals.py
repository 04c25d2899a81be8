"""Evaluations of an SKP: the points of a year, the employee's self-assessment, the appraiser's
ratings of each RHK and each BerAKHLAK value, finalising (predikat from the matrix), the
employee's acknowledgement or objection, and the decision of the appraiser's supervisor.

Statuses: draf -> ditetapkan -> diterima | keberatan -> diputuskan. A set evaluation is never
edited; an objection's decision replaces the ratings and keeps the originals on the objection.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from kinerja.appraisal import (
    annual,
    objection_window,
    organisation_performance,
    ppk_records,
    split_years,
)
from kinerja.appraisal.models import (
    BehaviourRating,
    Evaluation,
    EvaluationKind,
    EvaluationStatus,
    Objection,
    ObjectionStatus,
    PpkStep,
    ResultRating,
)
from kinerja.appraisal.predikat import Behaviour, Predikat, Rating, predikat, suggested_overall
from kinerja.core import audit, calendar, dates
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.notifications import notifications
from kinerja.organisation import access, authority
from kinerja.organisation.models import Employee, User
from kinerja.performance import leave, skp_workflow, skps
from kinerja.performance.formatting import short_month_names
from kinerja.performance.models import (
    Activity,
    ActivityStatus,
    Period,
    Rhk,
    Skp,
    SkpStatus,
    Transfer,
)
from kinerja.performance.pace import percent_of_target
from kinerja.performance.realisation import aspects_of, read_series

MAX_TEXT = 4000
ACTIVITIES_SHOWN = 5

# ------------------------------------------------------------------------------- points


@dataclass(frozen=True)
class Point:
    """Where in the year an evaluation looks: a month, a quarter, or the whole year."""
    kind: EvaluationKind
    number: int          # month or quarter; 0 for the year
    first_month: int
    last_month: int
    year: int

    @property
    def is_annual(self) -> bool:
        return self.kind is EvaluationKind.ANNUAL

    @property
    def starts(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def ends(self) -> date:
        following = date(self.year + (self.last_month == 12), self.last_month % 12 + 1, 1)
        return following - timedelta(days=1)

    @property
    def opens_on(self) -> date:
        """Evaluation may start in the point's last month, so a month-end review is possible."""
        return date(self.year, self.last_month, 1)

    @property
    def months(self) -> range:
        return range(self.first_month, self.last_month + 1)

    @property
    def short_label(self) -> str:
        """"Mar", "TW I", "Tahunan": a column heading of the team's matrix (the year is above)."""
        if self.is_annual:
            return str(_l("Tahunan"))
        if self.first_month != self.last_month:
            return str(_l("TW %(quarter)s", quarter=("I", "II", "III", "IV")[self.number - 1]))
        return short_month_names()[self.number - 1]

    @property
    def label(self) -> str:
        """"Maret 2026", "Triwulan I 2026", "Tahunan 2026" in the reader's language; "Akhir
        SKP Jan–Jun 2026" for the final evaluation of a plan a transfer cut to some months."""
        if self.is_annual and (self.first_month, self.last_month) != (1, 12):
            names = short_month_names()
            return str(_l("Akhir SKP %(months)s %(year)s", year=self.year,
                          months=f"{names[self.first_month - 1]}–{names[self.last_month - 1]}"))
        quarterly = not self.is_annual and self.first_month != self.last_month
        return notifications.point_label("triwulanan" if quarterly else "bulanan", self.number,
                                         self.year)


def points_of(period: Period) -> list[Point]:
    """The periodic points of the period's cadence, then the annual one."""
    if period.cadence.value == "triwulanan":
        points = [Point(EvaluationKind.PERIODIC, q, 3 * q - 2, 3 * q, period.year)
                  for q in range(1, 5)]
    else:
        points = [Point(EvaluationKind.PERIODIC, m, m, m, period.year) for m in range(1, 13)]
    return [*points, Point(EvaluationKind.ANNUAL, 0, 1, 12, period.year)]


def point_of(period: Period, kind: EvaluationKind | str, number: int) -> Point | None:
    kind = EvaluationKind(kind)
    return next((p for p in points_of(period) if p.kind is kind and p.number == number), None)


def point_in(skp: Skp, point: Point) -> Point | None:
    """The part of `point` the plan covers (a plan closed or opened by a transfer covers only
    its months: its "annual" point is its final evaluation over them); None when none."""
    first, last = max(point.first_month, skp.first_month), min(point.last_month, skp.last_month)
    if first > last:
        return None
    if (first, last) == (point.first_month, point.last_month):
        return point
    return Point(point.kind, point.number, first, last, point.year)


def missed_months(skp: Skp) -> set[int]:
    """The plan's months its owner spent entirely on CLTN or tugas belajar."""
    spans = leave.spans_of([skp.employee_id], skp.starts, skp.ends).get(skp.employee_id, [])
    return leave.missed_months(spans, skp.period.year) & set(skp.months)


def is_missed(point: Point, missed: set[int]) -> bool:
    """A point whose every month was spent on leave is not evaluated."""
    return all(m in missed for m in point.months)


def points_of_skp(skp: Skp, missed: set[int] | None = None) -> list[Point]:
    """The points the plan is evaluated at: those of its months, less those missed on leave."""
    missed = missed_months(skp) if missed is None else missed
    clipped = (point_in(skp, p) for p in points_of(skp.period))
    return [p for p in clipped if p is not None and not is_missed(p, missed)]


def point_of_evaluation(evaluation: Evaluation) -> Point:
    found = point_of(evaluation.period, evaluation.kind, evaluation.point)
    if found is None:  # the cadence changed after the evaluation: keep its own months
        return Point(evaluation.kind, evaluation.point, evaluation.point, evaluation.point,
                     evaluation.period.year)
    return point_in(evaluation.skp, found) or found


# ------------------------------------------------------------------------------ starting


def is_evaluable(skp: Skp) -> bool:
    """An SKP is evaluated against the plan its supervisor agreed (now or in an earlier version)."""
    return skp.status is SkpStatus.APPROVED or bool(skp.versions)


def before_the_plan(skp: Skp, point: Point) -> bool:
    """A point that ended before the plan applied (it was agreed later): nothing to evaluate."""
    return point.ends < skp_workflow.term_of_skp(skp).starts


def evaluation_of(skp: Skp, point: Point) -> Evaluation | None:
    return db.session.scalar(db.select(Evaluation).where(
        Evaluation.skp_id == skp.id, Evaluation.kind == point.kind,
        Evaluation.point == point.number))


def open_evaluation(actor: User, skp: Skp, point: Point) -> Evaluation:
    """The evaluation of `skp` at `point`, started (as a draft) by the employee, to write their
    self-assessment, or by the appraiser, to rate."""
    existing = evaluation_of(skp, point)
    if existing is not None:
        return existing
    employee = skp.employee
    if not (actor.employee.id == employee.id or _may_rate(actor, employee, skp)):
        raise NotAllowed()
    if not is_evaluable(skp):
        raise RuleViolation(_l("SKP belum disetujui atasan, jadi belum bisa dievaluasi."))
    period_point, point = point, point_in(skp, point)
    if point is None:
        raise RuleViolation(_l("%(point)s di luar bulan SKP ini; nilai pada SKP yang "
                               "berlaku saat itu.", point=period_point.label))
    if is_missed(point, missed_months(skp)):
        raise RuleViolation(_l("%(name)s sedang cuti di luar tanggungan negara atau tugas "
                               "belajar selama %(point)s; titik ini tidak dievaluasi.",
                               name=employee.name, point=point.label))
    if before_the_plan(skp, point):
        raise RuleViolation(_l("SKP ini berlaku mulai %(day)s; %(point)s tidak dievaluasi.",
                               day=skp_workflow.term_of_skp(skp).starts.strftime("%d-%m-%Y"),
                               point=point.label))
    if calendar.today_in(employee.time_zone) < point.opens_on:
        raise RuleViolation(_l("Evaluasi %(point)s baru bisa dimulai pada %(day)s.",
                               point=point.label, day=dates.format_day(point.opens_on, "long")))
    evaluation = Evaluation(skp=skp, employee=employee, period=skp.period, kind=point.kind,
                            point=point.number, appraiser=access.appraiser_of(employee, skp))
    db.session.add(evaluation)
    db.session.flush()
    audit.record("evaluation.started", actor=actor, subject=evaluation,
                 summary=f"{employee.name}: {point.label}")
    db.session.commit()
    return evaluation


# ------------------------------------------------------------------------- self-assessment


def _clean(text: str | None, field: str, *, required: bool = False) -> str | None:
    text = (text or "").strip()
    if required and not text:
        raise RuleViolation(_l("Isian ini wajib diisi."), field=field)
    if len(text) > MAX_TEXT:
        raise RuleViolation(_l("Paling banyak %(n)s karakter.", n=MAX_TEXT), field=field)
    return text or None


def can_self_assess(user: User, evaluation: Evaluation) -> bool:
    return (access.owns(user, evaluation)
            and evaluation.status is EvaluationStatus.DRAFT
            and evaluation.self_submitted_at is None)


def save_self_assessment(actor: User, evaluation: Evaluation, text: str | None, *,
                         submit: bool) -> None:
    if not access.owns(actor, evaluation):
        raise NotAllowed()
    if not can_self_assess(actor, evaluation):
        raise RuleViolation(_l("Penilaian mandiri sudah dikirim atau evaluasi sudah ditetapkan."))
    evaluation.self_assessment = _clean(text, "self_assessment", required=submit)
    if submit:
        evaluation.self_submitted_at = utcnow()
        notifications.notify(evaluation.appraiser, "self_assessment_submitted",
                             key=f"self-assessment-{evaluation.id}",
                             link=f"/penilaian/{evaluation.id}",
                             employee_name=evaluation.employee.name)
        audit.record("evaluation.self_assessment_submitted", actor=actor, subject=evaluation)
    db.session.commit()


# ------------------------------------------------------------------------------ rating


def can_rate(user: User, evaluation: Evaluation) -> bool:
    return (evaluation.status is EvaluationStatus.DRAFT
            and _may_rate(user, evaluation.employee, evaluation.skp))


def _rating(raw, field: str) -> Rating | None:
    if raw in (None, ""):
        return None
    try:
        return Rating(raw)
    except ValueError:
        raise RuleViolation(_l("Pilih salah satu rating."), field=field) from None


@dataclass
class RatingInput:
    """What the appraiser submits: per RHK id and per behaviour a (rating, note), and the
    overall ratings with their notes. Empty ratings are allowed while the evaluation is a draft."""
    results: dict[int, tuple[str | None, str | None]] = field(default_factory=dict)
    behaviours: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    result: str | None = None
    behaviour: str | None = None
    result_note: str | None = None
    behaviour_note: str | None = None


def save_ratings(actor: User, evaluation: Evaluation, given: RatingInput) -> None:
    if not _may_rate(actor, evaluation.employee, evaluation.skp):
        raise NotAllowed()
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise RuleViolation(_l("Evaluasi sudah ditetapkan dan tidak bisa diubah."))
    rhk_ids = {rhk.id for rhk in evaluation.skp.rhks}
    unknown = set(given.results) - rhk_ids
    if unknown:
        raise RuleViolation(_l("RHK tidak termasuk dalam SKP ini."))
    current = {r.rhk_id: r for r in evaluation.result_ratings}
    for rhk_id, (raw, note) in given.results.items():
        rating = _rating(raw, f"rhk-{rhk_id}")
        note = _clean(note, f"rhk-{rhk_id}-note")
        _put(evaluation.result_ratings, current.get(rhk_id), rating, note,
             lambda r, n, rhk_id=rhk_id: ResultRating(rhk_id=rhk_id, rating=r, note=n))
    current_b = {r.behaviour: r for r in evaluation.behaviour_ratings}
    for raw_behaviour, (raw, note) in given.behaviours.items():
        try:
            behaviour = Behaviour(raw_behaviour)
        except ValueError:
            raise RuleViolation(_l("Perilaku tidak dikenal.")) from None
        rating = _rating(raw, f"b-{behaviour.value}")
        note = _clean(note, f"b-{behaviour.value}-note")
        _put(evaluation.behaviour_ratings, current_b.get(behaviour), rating, note,
             lambda r, n, b=behaviour: BehaviourRating(behaviour=b, rating=r, note=n))
    evaluation.result_rating = _rating(given.result, "result")
    evaluation.behaviour_rating = _rating(given.behaviour, "behaviour")
    evaluation.result_note = _clean(given.result_note, "result_note")
    evaluation.behaviour_note = _clean(given.behaviour_note, "behaviour_note")
    evaluation.predikat = None  # set only when finalised
    db.session.commit()


def _put(collection, existing, rating, note, make) -> None:
    if rating is None:
        if existing is not None:
            collection.remove(existing)
    elif existing is None:
        collection.append(make(rating, note))
    else:
        existing.rating, existing.note = rating, note


@dataclass(frozen=True)
class Missing:
    """One thing still to rate before an evaluation may be set, and where it is on the page."""
    text: str
    anchor: str

    def __str__(self) -> str:
        return self.text


def missing_ratings(rhk_ids: list[int], rated_rhks: set[int], rated_behaviours: set[Behaviour],
                    result: Rating | None, behaviour: Rating | None) -> list[Missing]:
    """The rule for setting an evaluation: every RHK of the plan and each of the seven BerAKHLAK
    values rated, and both overall ratings (hasil kerja, perilaku kerja) chosen, since the
    predikat follows from those two. Pure: the page's live list and finalise() share it."""
    missing = []
    unrated = [rhk_id for rhk_id in rhk_ids if rhk_id not in rated_rhks]
    if unrated:
        missing.append(Missing(str(_l("%(n)s RHK belum dinilai", n=len(unrated))),
                               f"rhk-{unrated[0]}"))
    behaviours = [b for b in Behaviour if b not in rated_behaviours]
    if behaviours:
        missing.append(Missing(str(_l("%(n)s perilaku BerAKHLAK belum dinilai", n=len(behaviours))),
                               f"b-{behaviours[0].value}"))
    if result is None:
        missing.append(Missing(str(_l("rating hasil kerja belum dipilih")), "rating-akhir"))
    if behaviour is None:
        missing.append(Missing(str(_l("rating perilaku kerja belum dipilih")), "rating-akhir"))
    return missing


def _valid(raw) -> Rating | None:
    try:
        return Rating(raw) if raw else None
    except ValueError:
        return None


def missing_for_final(evaluation: Evaluation, given: RatingInput | None = None) -> list[Missing]:
    """What the appraiser still has to rate before the evaluation can be set: in the saved
    ratings, or in `given` (the form as it is being filled, not saved)."""
    rhk_ids = [rhk.id for rhk in evaluation.skp.rhks]
    if given is None:
        return missing_ratings(rhk_ids, {r.rhk_id for r in evaluation.result_ratings},
                               {r.behaviour for r in evaluation.behaviour_ratings},
                               evaluation.result_rating, evaluation.behaviour_rating) \
            + _head_reason(evaluation, evaluation.result_rating, evaluation.result_note)
    behaviours = {b for b in Behaviour if _valid(given.behaviours.get(b.value, (None,))[0])}
    return missing_ratings(rhk_ids,
                           {rhk_id for rhk_id, (raw, _) in given.results.items() if _valid(raw)},
                           behaviours, _valid(given.result), _valid(given.behaviour)) \
        + _head_reason(evaluation, _valid(given.result), given.result_note)


def _head_reason(evaluation: Evaluation, result: Rating | None, note: str | None) -> list[Missing]:
    """A unit leader's hasil kerja rating follows the unit's capaian at the same point; another
    rating is allowed only with its reason written in the note on hasil kerja."""
    guidance = organisation_performance.head_guidance(evaluation)
    if not organisation_performance.head_reason_missing(guidance, result, note):
        return []
    return [Missing(str(_l("alasan rating hasil kerja yang berbeda dari capaian kinerja "
                           "organisasi (%(capaian)s: %(rating)s) belum ditulis di catatan hasil "
                           "kerja", capaian=guidance.capaian.predikat.label,
                           rating=guidance.suggested.label)), "rating-akhir")]


def missing_in_form(actor: User, evaluation: Evaluation, given: RatingInput) -> list[Missing]:
    """The live list beside the rating form: what the form, as filled so far, still lacks."""
    if not _may_rate(actor, evaluation.employee, evaluation.skp):
        raise NotAllowed()
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise RuleViolation(_l("Evaluasi sudah ditetapkan."))
    return missing_for_final(evaluation, given)


def proposed_predikat(evaluation: Evaluation) -> Predikat | None:
    """The predikat the saved overall ratings would give (what finalising would set)."""
    if evaluation.result_rating is None or evaluation.behaviour_rating is None:
        return None
    return predikat(evaluation.result_rating, evaluation.behaviour_rating)


def _may_rate(user: User, employee: Employee, skp: Skp) -> bool:
    """The appraiser of the plan (or their Plt/Plh): after a transfer, the supervisor of the
    closed plan's months rates them; or HR transcribing the PPK's ratings, which only the
    PPK's signed scan lets it set (finalise)."""
    return (access.can_appraise(user, employee, skp)
            or access.records_for_ppk(user, employee, skp))


def finalise(actor: User, evaluation: Evaluation, scan=None) -> Predikat:
    """Set the evaluation: every item and both overall ratings rated; the predikat follows
    from the matrix. The objection window starts when the employee receives the result
    (objection_window.receive), not now."""
    if not _may_rate(actor, evaluation.employee, evaluation.skp):
        raise NotAllowed()
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise RuleViolation(_l("Evaluasi sudah ditetapkan."))
    missing = missing_for_final(evaluation)
    if missing:
        raise RuleViolation(_l("Belum bisa ditetapkan: %(what)s.",
                               what="; ".join(str(m) for m in missing)))
    # HR sets the PPK's ratings only from the PPK's signed scan, in the PPK's name.
    for_ppk = not access.can_appraise(actor, evaluation.employee, evaluation.skp)
    kept_scan = ppk_records.keep_scan(actor, evaluation, scan) if for_ppk else None
    evaluation.predikat = predikat(evaluation.result_rating, evaluation.behaviour_rating)
    evaluation.status = EvaluationStatus.FINAL
    evaluation.finalised_at = utcnow()
    evaluation.appraiser = (access.appraiser_of(evaluation.employee, evaluation.skp) if for_ppk
                           else actor.employee)
    if for_ppk:
        ppk_records.record(actor, evaluation, PpkStep.APPRAISAL, evaluation.appraiser, kept_scan)
    evaluation.received_at = evaluation.objection_due = None
    point = point_of_evaluation(evaluation)
    notifications.notify(evaluation.employee, "evaluation_set", key=f"evaluation-set-{evaluation.id}",
                         link=f"/penilaian/{evaluation.id}", cadence=evaluation.period.cadence.value,
                         point=evaluation.point, year=evaluation.period.year)
    audit.record("evaluation.finalised", actor=actor, subject=evaluation,
                 summary=f"{evaluation.employee.name}: {point.label}",
                 result=evaluation.result_rating.value, behaviour=evaluation.behaviour_rating.value,
                 predikat=evaluation.predikat.value)
    db.session.commit()
    return evaluation.predikat


# ------------------------------------------------------------- acknowledgement, objection


def objection_open(evaluation: Evaluation, today: date | None = None) -> bool:
    """Until the deadline counted from receipt (objection_window), that day included."""
    today = today or calendar.today_in(evaluation.employee.time_zone)
    return (evaluation.status is EvaluationStatus.FINAL and evaluation.objection_due is not None
            and today <= evaluation.objection_due)


def can_respond_as_employee(user: User, evaluation: Evaluation) -> bool:
    return access.owns(user, evaluation) and evaluation.status is EvaluationStatus.FINAL


def acknowledge(actor: User, evaluation: Evaluation) -> None:
    if not access.owns(actor, evaluation):
        raise NotAllowed()
    if evaluation.status is not EvaluationStatus.FINAL:
        raise RuleViolation(_l("Evaluasi ini tidak menunggu tanggapan Anda."))
    objection_window.receive(actor, evaluation)  # a result answered has been received
    evaluation.status, evaluation.acknowledged_at = EvaluationStatus.ACKNOWLEDGED, utcnow()
    audit.record("evaluation.acknowledged", actor=actor, subject=evaluation)
    db.session.commit()


def lodge_objection(actor: User, evaluation: Evaluation, reasons: str | None) -> Objection:
    if not access.owns(actor, evaluation):
        raise NotAllowed()
    if evaluation.status is not EvaluationStatus.FINAL:
        raise RuleViolation(_l("Evaluasi ini tidak bisa diajukan keberatan."))
    objection_window.receive(actor, evaluation)  # a result answered has been received
    if not objection_open(evaluation):
        raise RuleViolation(_l("Batas waktu keberatan (%(day)s) sudah lewat.",
                               day=dates.format_day(evaluation.objection_due, "long")))
    reasons = _clean(reasons, "reasons", required=True)
    decider = access.objection_decider_of(evaluation)
    objection = Objection(evaluation=evaluation, reasons=reasons, decider=decider,
                          original_result=evaluation.result_rating,
                          original_behaviour=evaluation.behaviour_rating,
                          original_predikat=evaluation.predikat)
    db.session.add(objection)
    evaluation.status = EvaluationStatus.OBJECTED
    db.session.flush()
    notifications.notify(decider, "objection_lodged", key=f"objection-{objection.id}",
                         link=f"/penilaian/{evaluation.id}", employee_name=evaluation.employee.name)
    notifications.notify(evaluation.appraiser, "objection_lodged",
                         key=f"objection-{objection.id}", link=f"/penilaian/{evaluation.id}",
                         employee_name=evaluation.employee.name)
    audit.record("objection.lodged", actor=actor, subject=objection,
                 summary=evaluation.employee.name, evaluation_id=evaluation.id)
    db.session.commit()
    return objection


def can_answer_objection(user: User, evaluation: Evaluation) -> bool:
    """The appraiser writes their side while the objection waits."""
    return (evaluation.status is EvaluationStatus.OBJECTED and evaluation.appraiser_id is not None
            and evaluation.appraiser_id == user.employee.id)


def answer_objection(actor: User, evaluation: Evaluation, text: str | None) -> None:
    if evaluation.appraiser_id != actor.employee.id:
        raise NotAllowed()
    if evaluation.status is not EvaluationStatus.OBJECTED:
        raise RuleViolation(_l("Tidak ada keberatan yang menunggu tanggapan."))
    evaluation.objection.appraiser_response = _clean(text, "response", required=True)
    audit.record("objection.answered", actor=actor, subject=evaluation.objection)
    db.session.commit()


def can_decide(user: User, evaluation: Evaluation) -> bool:
    """The decider (or their Plt/Plh); HR recording the PPK's signed decision."""
    return (evaluation.status is EvaluationStatus.OBJECTED
            and (access.can_decide_objection(user, evaluation)
                 or access.records_decision_for_ppk(user, evaluation)))


def decide_objection(actor: User, evaluation: Evaluation, *, change: bool, result: str | None,
                     behaviour: str | None, decision: str | None, scan=None) -> None:
    """Uphold the result, or change the overall ratings (the predikat follows); final. HR
    records the PPK's decision only with the PPK's signed scan."""
    for_ppk = not access.can_decide_objection(actor, evaluation)
    if for_ppk and not access.records_decision_for_ppk(actor, evaluation):
        raise NotAllowed()
    if evaluation.status is not EvaluationStatus.OBJECTED:
        raise RuleViolation(_l("Tidak ada keberatan yang menunggu keputusan."))
    objection = evaluation.objection
    decision = _clean(decision, "decision", required=True)
    kept_scan = ppk_records.keep_scan(actor, evaluation, scan) if for_ppk else None
    if change:
        new_result = _rating(result, "result") or evaluation.result_rating
        new_behaviour = _rating(behaviour, "behaviour") or evaluation.behaviour_rating
        if (new_result, new_behaviour) == (evaluation.result_rating, evaluation.behaviour_rating):
            raise RuleViolation(_l("Untuk mengubah penilaian, pilih rating yang berbeda; "
                                   "jika tidak, kuatkan penilaian."), field="result")
        evaluation.result_rating, evaluation.behaviour_rating = new_result, new_behaviour
        evaluation.predikat = predikat(new_result, new_behaviour)
        objection.status = ObjectionStatus.CHANGED
    else:
        objection.status = ObjectionStatus.UPHELD
    if for_ppk:
        ppk = access.objection_decider_of(evaluation)
        ppk_records.record(actor, evaluation, PpkStep.OBJECTION, ppk, kept_scan)
    objection.decision, objection.decided_at, objection.decided_by = decision, utcnow(), actor
    evaluation.status = EvaluationStatus.DECIDED
    notifications.notify(evaluation.employee, "objection_decided",
                         key=f"objection-decided-{objection.id}", link=f"/penilaian/{evaluation.id}")
    audit.record("objection.decided", actor=actor, subject=objection,
                 summary=evaluation.employee.name, outcome=objection.status.value,
                 predikat=evaluation.predikat.value,
                 original_predikat=objection.original_predikat.value)
    db.session.commit()


# ------------------------------------------------------------------- the evaluation page


@dataclass
class IndicatorLine:
    indicator: object
    target: Decimal
    in_point: Decimal | None      # realised within the point's months
    cumulative: Decimal | None    # to the end of the point
    percent: Decimal | None       # cumulative / yearly target
    evidence: list


@dataclass
class RhkLine:
    rhk: Rhk
    indicators: list[IndicatorLine]
    activities: list[Activity]
    activity_count: int
    rating: ResultRating | None


@dataclass
class BehaviourLine:
    behaviour: Behaviour
    rating: BehaviourRating | None


@dataclass
class EvaluationPage:
    evaluation: Evaluation
    point: Point
    rhks: list[RhkLine]
    behaviours: list[BehaviourLine]
    history: list[tuple[Evaluation, Point]]  # for the annual one: the periodic evaluations
    suggested_result: Rating | None
    suggested_behaviour: Rating | None
    missing: list[Missing]
    can_rate: bool
    can_self_assess: bool
    can_acknowledge: bool
    can_object: bool
    can_answer: bool
    can_decide: bool
    decider: Employee | None
    objection_rule: str = ""   # "14 hari kalender": how the window is counted (objection_window)
    # The appraised leads a unit: its capaian at this point and the rating it gives.
    head: organisation_performance.HeadGuidance | None = None
    # HR transcribing a decision of the PPK (the form then asks for the signed scan).
    for_ppk: bool = False
    ppk_records: dict = field(default_factory=dict)   # PpkStep -> PpkRecord


def _rhk_lines(evaluation: Evaluation, point: Point) -> list[RhkLine]:
    rhks = db.session.scalars(db.select(Rhk).where(Rhk.skp_id == evaluation.skp_id)
                              .options(db.selectinload(Rhk.indicators))
                              .order_by(Rhk.position, Rhk.id)).all()
    indicators = [i for rhk in rhks for i in rhk.indicators]
    series, entries = read_series(aspects_of(indicators), with_entries=True)
    activities = defaultdict(list)
    counts = dict(db.session.execute(
        db.select(Activity.rhk_id, db.func.count(Activity.id))
        .where(Activity.employee_id == evaluation.employee_id, Activity.day >= point.starts,
               Activity.day <= point.ends, Activity.status != ActivityStatus.RETURNED)
        .group_by(Activity.rhk_id)).all())
    # The latest few per RHK: one query for all RHK, newest first, cut in Python.
    recent = db.session.scalars(
        db.select(Activity)
        .where(Activity.employee_id == evaluation.employee_id, Activity.day >= point.starts,
               Activity.day <= point.ends, Activity.status != ActivityStatus.RETURNED)
        .options(db.selectinload(Activity.evidence))
        .order_by(Activity.day.desc(), Activity.id.desc()).limit(ACTIVITIES_SHOWN * 20)).all()
    for activity in recent:
        if len(activities[activity.rhk_id]) < ACTIVITIES_SHOWN:
            activities[activity.rhk_id].append(activity)
    ratings = {r.rhk_id: r for r in evaluation.result_ratings}
    lines = []
    for rhk in rhks:
        indicator_lines = []
        for indicator in rhk.indicators:
            s = series[indicator.id]
            if s.quantity:
                in_point = sum((s.effective(m) or Decimal(0) for m in point.months), Decimal(0))
            else:
                in_point = next((s.values[m] for m in reversed(point.months)
                                 if s.values.get(m) is not None), None)
            cumulative = s.cumulative(point.last_month)
            share = percent_of_target(cumulative, indicator.target,
                                      indicator.lower_is_better)
            files = [f for m in point.months
                     for f in (entries[(indicator.id, m)].evidence
                               if (indicator.id, m) in entries else [])]
            indicator_lines.append(IndicatorLine(indicator, indicator.target, in_point,
                                                 cumulative, share, files))
        lines.append(RhkLine(rhk, indicator_lines, activities[rhk.id], counts.get(rhk.id, 0),
                             ratings.get(rhk.id)))
    return lines


def history_of(evaluation: Evaluation) -> list[tuple[Evaluation, Point]]:
    """The periodic evaluations of the same SKP, in order: what led to the annual one."""
    found = db.session.scalars(db.select(Evaluation).where(
        Evaluation.skp_id == evaluation.skp_id, Evaluation.kind == EvaluationKind.PERIODIC)
        .order_by(Evaluation.point)).all()
    return [(e, point_of_evaluation(e)) for e in found]


def evaluation_page(viewer: User, evaluation: Evaluation) -> EvaluationPage:
    if not access.can_view_evaluation(viewer, evaluation):
        raise NotAllowed()
    # The employee opening the set result is its receipt: the objection window starts now.
    objection_window.receive(viewer, evaluation)
    point = point_of_evaluation(evaluation)
    ratings = {r.behaviour: r for r in evaluation.behaviour_ratings}
    head = organisation_performance.head_guidance(evaluation)
    return EvaluationPage(
        evaluation=evaluation, point=point, rhks=_rhk_lines(evaluation, point),
        behaviours=[BehaviourLine(b, ratings.get(b)) for b in Behaviour],
        history=history_of(evaluation) if evaluation.is_annual else [],
        # A leader's suggestion is the capaian's rating, not the mean of their own RHK.
        suggested_result=(head.suggested if head is not None and head.suggested is not None
                          else suggested_overall(r.rating for r in evaluation.result_ratings)),
        suggested_behaviour=suggested_overall(r.rating for r in evaluation.behaviour_ratings),
        missing=missing_for_final(evaluation),
        can_rate=can_rate(viewer, evaluation),
        can_self_assess=can_self_assess(viewer, evaluation),
        can_acknowledge=can_respond_as_employee(viewer, evaluation),
        can_object=can_respond_as_employee(viewer, evaluation) and objection_open(evaluation),
        can_answer=can_answer_objection(viewer, evaluation),
        can_decide=can_decide(viewer, evaluation),
        decider=access.objection_decider_of(evaluation),
        objection_rule=objection_window.current_rule().in_words, head=head,
        for_ppk=((evaluation.status is EvaluationStatus.DRAFT
                  and not access.can_appraise(viewer, evaluation.employee, evaluation.skp)
                  and access.records_for_ppk(viewer, evaluation.employee, evaluation.skp))
                 or (evaluation.status is EvaluationStatus.OBJECTED
                     and not access.can_decide_objection(viewer, evaluation)
                     and access.records_decision_for_ppk(viewer, evaluation))),
        ppk_records=ppk_records.records_of(evaluation))


# ------------------------------------------------------------------------ overviews


@dataclass
class PointCell:
    point: Point
    evaluation: Evaluation | None
    opened: bool               # the point's evaluation may start (its last month has come)
    in_term: bool = True       # the point is not over before the plan applied
    in_skp: bool = True        # the point's months are (partly) this plan's
    on_leave: bool = False     # every month of it spent on CLTN or tugas belajar

    @property
    def can_start(self) -> bool:
        return (self.evaluation is None and self.opened and self.in_term and self.in_skp
                and not self.on_leave)


@dataclass
class SkpRow:
    """One plan of one employee (an employee moved mid-year has a row per plan) with every
    point of the year; the points outside the plan's months are marked, not offered."""
    employee: Employee
    skp: Skp | None
    cells: list[PointCell]
    plans_in_year: int = 1     # how many plans the employee has this year
    appraiser: Employee | None = None  # who rates this plan (own rows: shown beside it)

    @property
    def months_label(self) -> str:
        """"Jan–Jun": the plan's months, shown when a transfer split the year."""
        if self.skp is None:
            return ""
        names = short_month_names()
        return f"{names[self.skp.first_month - 1]}–{names[self.skp.last_month - 1]}"


def _rows(employees: list[Employee], period: Period, today: date) -> list[SkpRow]:
    points = points_of(period)
    ids = [e.id for e in employees]
    plans = skps.skps_by_employee(ids, period, db.selectinload(Skp.versions),
                                  db.selectinload(Skp.closed_by))
    found = {(e.skp_id, e.kind, e.point): e for e in db.session.scalars(
        db.select(Evaluation).where(Evaluation.skp_id.in_(
            [s.id for found in plans.values() for s in found])))} if plans else {}
    away = leave.spans_of(ids, period.starts, period.ends)
    rows = []
    for employee in employees:
        missed = leave.missed_months(away.get(employee.id, []), period.year)
        for skp in plans.get(employee.id) or [None]:
            applies = (skp_workflow.term_of_skp(skp).starts
                       if skp is not None and is_evaluable(skp) else None)
            cells = []
            for p in points:
                own = point_in(skp, p) if skp is not None else p
                shown = own or p
                cells.append(PointCell(
                    shown, found.get((skp.id, p.kind, p.number)) if skp and own else None,
                    today >= shown.opens_on, applies is not None and shown.ends >= applies,
                    in_skp=own is not None, on_leave=is_missed(shown, missed)))
            rows.append(SkpRow(employee, skp, cells, len(plans.get(employee.id) or [None])))
    return rows


def team_overview(viewer: User, period: Period) -> list[SkpRow]:
    """The viewer's direct reports (whom they appraise) with every point of the year, a row
    per plan of theirs."""
    # Besides direct reports: the top of the chart for the PPK, the reports of whoever a
    # Plt/Plh stands in for today (organisation/authority.py).
    team = db.session.scalars(db.select(Employee).where(
        authority.appraised_by_clause(viewer.employee), Employee.active.is_(True))
        .order_by(Employee.name)).all()
    # A transfer leaves the plan it closed with the supervisor of its months: the people moved
    # away from the viewer this year come back for that plan only, and the new supervisor
    # rates only the plan opened with them (authority.plan_appraiser).
    charted = {e.id for e in team}
    moved_away = db.session.scalars(
        db.select(Employee).join(Transfer, Transfer.employee_id == Employee.id)
        .join(Skp, Skp.id == Transfer.closed_skp_id)
        .where(Transfer.from_supervisor_id == viewer.employee.id, Skp.period_id == period.id,
               Employee.id.not_in(charted)).distinct()).all()
    everyone = sorted([*team, *moved_away], key=lambda e: (e.name, e.id))
    rows = _rows(everyone, period, calendar.today_in(viewer.employee.time_zone))
    return [r for r in rows if _appraises(viewer, r, charted)]


def _appraises(viewer: User, row: SkpRow, charted: set[int]) -> bool:
    if row.skp is None or row.skp.closed_by is None:
        return row.employee.id in charted
    return access.can_appraise(viewer, row.employee, row.skp)


def own_overviews(viewer: User, period: Period) -> list[SkpRow]:
    """The viewer's own plans of the year, each with its points and who rates it."""
    rows = _rows([viewer.employee], period, calendar.today_in(viewer.employee.time_zone))
    for row in rows:
        if row.skp is not None:
            row.appraiser = access.appraiser_of(row.employee, row.skp)
    return rows


def own_overview(viewer: User, period: Period) -> SkpRow:
    """The viewer's plan running now (the last one of a past year)."""
    rows = own_overviews(viewer, period)
    month = skps.month_in(period, calendar.today_in(viewer.employee.time_zone))
    return next((r for r in rows if r.skp is not None and month in r.skp.months), rows[-1])


# --------------------------------------------------------------- the year of several plans


def year_result(employee: Employee, period: Period) -> annual.Combined | None:
    """The year's combined result of an employee with one or more plans (see annual.py): None
    until every plan that weighs anything has a set final evaluation. The same rule as the
    curve and the recap count (split_years.py)."""
    held = split_years.split_years(period, [employee.id]).held(employee.id,
                                                              EvaluationKind.ANNUAL, 0)
    return held.combined if held is not None else None


def objections_to_decide(viewer: User) -> list[Evaluation]:
    """Objections waiting for this user's decision (HR: those with no supervisor to decide)."""
    query = (db.select(Evaluation).join(Objection)
             .where(Objection.status == ObjectionStatus.PENDING)
             .options(db.joinedload(Evaluation.employee), db.joinedload(Evaluation.objection)))
    waiting = db.session.scalars(query).all()
    return [e for e in waiting if can_decide(viewer, e)]


def waiting_for_answer(employee: Employee) -> int:
    """The employee's set evaluations still waiting for their acknowledgement or objection."""
    return db.session.scalar(db.select(db.func.count(Evaluation.id)).where(
        Evaluation.employee_id == employee.id, Evaluation.status == EvaluationStatus.FINAL))

"""The demo's evaluations: every approved SKP of the year evaluated month by month up to two
months ago (acknowledged, one objection decided), last month evaluated for everyone except
atasan's team, whom atasan evaluates in the demo; `staf` has last month's result waiting for
acknowledgement or an objection."""
import random
from datetime import UTC, date, datetime, time, timedelta

from kinerja.appraisal import appraisals as appraisals_rules
from kinerja.appraisal import objection_window
from kinerja.appraisal.models import (
    BehaviourRating,
    Evaluation,
    EvaluationKind,
    EvaluationStatus,
    Objection,
    ObjectionStatus,
    ResultRating,
)
from kinerja.appraisal.predikat import (
    Behaviour,
    OrganisationPredikat,
    Rating,
    head_result_rating,
    predikat,
)
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.models import Employee, Unit
from kinerja.performance.models import Period, PeriodStatus, Skp

NOTES = {
    Rating.ABOVE: "Melampaui target dengan kualitas yang konsisten.",
    Rating.AS_EXPECTED: "Sesuai target yang disepakati.",
    Rating.BELOW: "Belum mencapai target; perlu pendampingan.",
}


def _rating(rng: random.Random, strength: float) -> Rating:
    roll = strength + rng.uniform(-0.3, 0.3)
    return Rating.ABOVE if roll > 0.75 else Rating.BELOW if roll < 0.25 else Rating.AS_EXPECTED


def evaluate(rng, skp: Skp, month: int, strength: float, status: EvaluationStatus,
             finalised: date, capaian: OrganisationPredikat | None = None) -> Evaluation:
    evaluation = Evaluation(skp=skp, employee=skp.employee, period=skp.period,
                            kind=EvaluationKind.PERIODIC, point=month, status=status,
                            # a plan a transfer closed: its old supervisor (authority.py)
                            appraiser=access.appraiser_of(skp.employee, skp))
    for rhk in skp.rhks:
        rating = _rating(rng, strength)
        evaluation.result_ratings.append(ResultRating(rhk=rhk, rating=rating, note=NOTES[rating]))
    for behaviour in Behaviour:
        evaluation.behaviour_ratings.append(BehaviourRating(behaviour=behaviour,
                                                            rating=_rating(rng, strength + 0.1)))
    evaluation.result_rating = _rating(rng, strength)
    if capaian is not None:
        # A head of an OPD: the hasil kerja rating follows the unit's capaian that month.
        evaluation.result_rating = head_result_rating(capaian)
        evaluation.result_note = f"Mengikuti capaian kinerja organisasi: {capaian.label}."
    evaluation.behaviour_rating = _rating(rng, strength + 0.1)
    evaluation.predikat = predikat(evaluation.result_rating, evaluation.behaviour_rating)
    evaluation.self_assessment = "Target bulan ini saya kerjakan sesuai rencana; kendala utama " \
        "adalah jaringan SIAK yang sering terputus."
    evaluation.self_submitted_at = utcnow()
    evaluation.finalised_at = utcnow()
    # Delivered when set: received that day, the window counted by the rule in force.
    evaluation.received_at = datetime.combine(finalised, time(2, 0), tzinfo=UTC)
    evaluation.objection_due = objection_window.deadline(finalised, objection_window.current_rule())
    if status is EvaluationStatus.ACKNOWLEDGED:
        evaluation.acknowledged_at = utcnow()
    db.session.add(evaluation)
    return evaluation


def seed(rng: random.Random, today: date, *, atasan: Employee, staf: Employee) -> dict:
    period = db.session.scalar(db.select(Period).where(Period.status == PeriodStatus.OPEN))
    if period is None or today.month < 2:
        return {"evaluations": 0}
    skps = db.session.scalars(db.select(Skp).where(Skp.period_id == period.id)).all()
    last = today.month - 1
    # The organisations' capaian per month, set by their heads, before the heads are rated.
    from kinerja.demo import unit_performance  # noqa: PLC0415
    capaian = unit_performance.seed_capaian(period, last)
    led = dict(db.session.execute(db.select(Unit.head_id, Unit.id).where(
        Unit.id.in_({unit_id for unit_id, _ in capaian}))).all())
    count = 0
    for skp in skps:
        # A few people are weaker all year; most do what is expected.
        strength = rng.choice([0.1, 0.35, 0.5, 0.5, 0.5, 0.5, 0.65, 0.85])
        in_team = skp.employee.supervisor_id == atasan.id
        missed = appraisals_rules.missed_months(skp)  # a transfer's plans, tugas belajar
        for month in range(1, last + 1):
            if month not in skp.months or month in missed:
                continue
            if month == last and in_team and skp.employee_id != staf.id:
                continue  # atasan's job in the demo
            status = (EvaluationStatus.FINAL if month == last and skp.employee_id == staf.id
                      else EvaluationStatus.ACKNOWLEDGED)
            evaluate(rng, skp, month, strength, status, today - timedelta(days=30 * (last - month)),
                      capaian.get((led.get(skp.employee_id), month)))
            count += 1
    db.session.flush()
    _one_decided_objection(atasan, staf.id)
    db.session.commit()
    return {"evaluations": count}


def _one_decided_objection(atasan: Employee, staf_id: int) -> None:
    """An objection from earlier in the year, decided in the employee's favour: its history
    shows on the evaluation page."""
    evaluation = db.session.scalar(
        db.select(Evaluation).join(Employee, Evaluation.employee_id == Employee.id)
        .where(Employee.supervisor_id == atasan.id, Employee.id != staf_id, Evaluation.point == 2)
        .order_by(Evaluation.id).limit(1))
    if evaluation is None:
        return
    original = predikat(Rating.BELOW, Rating.AS_EXPECTED)
    evaluation.result_rating, evaluation.behaviour_rating = Rating.AS_EXPECTED, Rating.AS_EXPECTED
    evaluation.predikat = predikat(Rating.AS_EXPECTED, Rating.AS_EXPECTED)
    evaluation.status = EvaluationStatus.DECIDED
    db.session.add(Objection(
        evaluation=evaluation, decider=atasan.supervisor, status=ObjectionStatus.CHANGED,
        reasons="Target Februari terlambat karena blanko KTP-el habis dari pusat; "
                "berkas yang masuk semuanya sudah saya verifikasi.",
        appraiser_response="Benar, stok blanko kosong dua minggu.",
        decision="Keterlambatan di luar kendali pegawai; hasil kerja sesuai ekspektasi.",
        decided_at=utcnow(), original_result=Rating.BELOW,
        original_behaviour=Rating.AS_EXPECTED, original_predikat=original))

"""The demo's chain of authority: the Bupati as PPK (login `bupati`), who has appraised the
Sekretaris Daerah month by month and decided an objection of the head of Disdukcapil
(`kepala`, appraised by the Sekda), and a Plt standing in for `atasan` this month (login `plt`),
who appraises atasan's team."""
import random
from datetime import date, timedelta

from kinerja.appraisal.models import (
    Evaluation,
    EvaluationStatus,
    Objection,
    ObjectionStatus,
)
from kinerja.appraisal.predikat import Rating, predikat
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.organisation import chain_admin
from kinerja.organisation.models import ActingKind, ActingOfficial, Employee, Unit, User
from kinerja.performance.models import Period, PeriodStatus

PPK_NAME = "H. Syarwani, S.Pd., M.Si."
PPK_TITLE = "Bupati Bulungan"


def seed(rng: random.Random, today: date, *, admin: User, hr: User, setda: Unit,
         kepala: Employee, atasan: Employee, password_hash: str) -> dict:
    from kinerja.demo import appraisals, performance  # noqa: PLC0415
    term = chain_admin.set_ppk(admin, PPK_NAME, PPK_TITLE, date(today.year - 1, 2, 20), None)
    ppk = term.employee
    bupati = User(employee=ppk, username="bupati", password_hash=password_hash)
    db.session.add(bupati)
    logins = [("PPK (Bupati)", "bupati", f"{PPK_NAME}, {PPK_TITLE}")]
    period = db.session.scalar(db.select(Period).where(Period.status == PeriodStatus.OPEN))
    sekda = setda.head
    if period is not None and sekda is not None:
        skp, _ = performance.approved_skp(rng, sekda, period, [], False,
                                          performance.agreed_at(today))
        skp.approver = ppk
        db.session.flush()
        for month in range(1, today.month):
            evaluation = appraisals.evaluate(  # the demo's own helper, as for everyone else
                rng, skp, month, 0.6, EvaluationStatus.ACKNOWLEDGED,
                today - timedelta(days=30 * (today.month - 1 - month)))
            evaluation.appraiser = ppk
        _objection_decided_by_the_ppk(kepala, ppk, bupati)
    # A Plt for atasan this month: the Kepala Seksi beside atasan, under the same Kepala Bidang.
    plt = db.session.scalar(
        db.select(Employee).where(Employee.supervisor_id == atasan.supervisor_id,
                                  Employee.id != atasan.id, Employee.unit_id == atasan.unit_id)
        .order_by(Employee.id).limit(1))
    if plt is not None:
        db.session.add(ActingOfficial(
            employee=plt, kind=ActingKind.PLT, replaces=atasan, starts_on=today.replace(day=1),
            ends_on=today + timedelta(days=30), note="Surat Perintah Kepala Dinas (demo)",
            created_by_id=hr.id))
        plt.user.username = "plt"
        logins.append(("Plt atasan", "plt", f"{plt.name} (NIP {plt.nip})"))
    db.session.commit()
    return {"logins": logins}


def _objection_decided_by_the_ppk(kepala: Employee, ppk: Employee, bupati: User) -> None:
    """An objection of the head of Disdukcapil to the Sekda's February rating, decided by the
    PPK (the Sekda's superior)."""
    evaluation = db.session.scalar(db.select(Evaluation).where(
        Evaluation.employee_id == kepala.id, Evaluation.point == 2))
    if evaluation is None:
        return
    evaluation.result_rating, evaluation.behaviour_rating = Rating.AS_EXPECTED, Rating.AS_EXPECTED
    evaluation.predikat = predikat(Rating.AS_EXPECTED, Rating.AS_EXPECTED)
    evaluation.status = EvaluationStatus.DECIDED
    db.session.add(Objection(
        evaluation=evaluation, decider=ppk, status=ObjectionStatus.CHANGED, decided_by=bupati,
        reasons="Capaian Februari tertahan karena server SIAK pusat padam sepekan; seluruh "
                "layanan lain tercapai.",
        appraiser_response="Gangguan server memang di luar kendali dinas.",
        decision="Gangguan di luar kendali; hasil kerja sesuai ekspektasi.",
        decided_at=utcnow(), original_result=Rating.BELOW,
        original_behaviour=Rating.AS_EXPECTED,
        original_predikat=predikat(Rating.BELOW, Rating.AS_EXPECTED)))

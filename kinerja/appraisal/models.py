"""Appraisals: periodic and annual evaluations of an SKP with their result and BerAKHLAK
ratings, objections, peer feedback, the organisation's predikat and distribution limits,
development plans with a training catalogue."""
import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.appraisal.predikat import Behaviour, OrganisationPredikat, Predikat, Rating

# The vocabulary lives with the pure rules, which import nothing from the app.
from kinerja.core.labels import LabelledEnum
from kinerja.core.types import UTCDateTime, enum_column, utcnow
from kinerja.extensions import db
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance.models import Evidence, Period, Rhk, Skp

__all__ = ["Behaviour", "OrganisationPredikat", "Predikat", "Rating"]


class EvaluationKind(enum.StrEnum):
    PERIODIC = "periodik"
    ANNUAL = "tahunan"


class EvaluationStatus(LabelledEnum):
    DRAFT = "draf", _l("Draf penilaian")  # the appraiser is still rating
    # set; the employee acknowledges or objects
    FINAL = "ditetapkan", _l("Ditetapkan, menunggu tanggapan pegawai")
    ACKNOWLEDGED = "diterima", _l("Diterima pegawai")  # the employee accepted it: final
    OBJECTED = "keberatan", _l("Keberatan diajukan")  # waits for the appraiser's supervisor
    DECIDED = "diputuskan", _l("Keberatan diputuskan")  # the objection was decided: final


class Evaluation(db.Model):
    """One evaluation of one SKP at one point: a month or quarter (periodic, `point` its
    number) or the year (annual, `point` 0)."""
    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("skp_id", "kind", "point"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skps.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    kind: Mapped[EvaluationKind] = mapped_column(enum_column(EvaluationKind))
    point: Mapped[int] = mapped_column(default=0)
    status: Mapped[EvaluationStatus] = mapped_column(enum_column(EvaluationStatus),
                                                     default=EvaluationStatus.DRAFT, index=True)
    # Who appraises, fixed when the evaluation is set (the chart may change later).
    appraiser_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))

    self_assessment: Mapped[str | None] = mapped_column(Text)
    self_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    result_rating: Mapped[Rating | None] = mapped_column(enum_column(Rating, "result_rating"))
    behaviour_rating: Mapped[Rating | None] = mapped_column(enum_column(Rating, "behaviour_rating"))
    result_note: Mapped[str | None] = mapped_column(Text)
    behaviour_note: Mapped[str | None] = mapped_column(Text)
    predikat: Mapped[Predikat | None] = mapped_column(enum_column(Predikat), index=True)

    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the set result reached the employee: the first time they opened it (the page the
    # notification links to). The objection window counts from this day (PP 30/2019 art. 59).
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    objection_due: Mapped[date | None] = mapped_column(Date)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    skp: Mapped[Skp] = relationship()
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    appraiser: Mapped[Employee | None] = relationship(foreign_keys=[appraiser_id])
    period: Mapped[Period] = relationship()
    result_ratings: Mapped[list["ResultRating"]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan")
    behaviour_ratings: Mapped[list["BehaviourRating"]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan")
    objection: Mapped["Objection | None"] = relationship(back_populates="evaluation",
                                                        uselist=False)

    @property
    def is_annual(self) -> bool:
        return self.kind is EvaluationKind.ANNUAL

    @property
    def is_final(self) -> bool:
        return self.status in (EvaluationStatus.ACKNOWLEDGED, EvaluationStatus.DECIDED)

    @property
    def is_set(self) -> bool:
        """Finalised by the appraiser (whatever the employee did next)."""
        return self.status is not EvaluationStatus.DRAFT


class ResultRating(db.Model):
    """The appraiser's rating of one RHK's result in an evaluation."""
    __tablename__ = "result_ratings"
    __table_args__ = (UniqueConstraint("evaluation_id", "rhk_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), index=True)
    rhk_id: Mapped[int] = mapped_column(ForeignKey("rhks.id"), index=True)
    rating: Mapped[Rating] = mapped_column(enum_column(Rating))
    note: Mapped[str | None] = mapped_column(Text)

    evaluation: Mapped[Evaluation] = relationship(back_populates="result_ratings")
    rhk: Mapped[Rhk] = relationship()


class BehaviourRating(db.Model):
    """The appraiser's rating of one BerAKHLAK value in an evaluation."""
    __tablename__ = "behaviour_ratings"
    __table_args__ = (UniqueConstraint("evaluation_id", "behaviour"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), index=True)
    behaviour: Mapped[Behaviour] = mapped_column(enum_column(Behaviour))
    rating: Mapped[Rating] = mapped_column(enum_column(Rating))
    note: Mapped[str | None] = mapped_column(Text)

    evaluation: Mapped[Evaluation] = relationship(back_populates="behaviour_ratings")


class ObjectionStatus(LabelledEnum):
    PENDING = "menunggu", _l("Menunggu keputusan")
    UPHELD = "dikuatkan", _l("Penilaian dikuatkan")  # the result stands
    CHANGED = "diubah", _l("Penilaian diubah")  # the decider set another result


class Objection(db.Model):
    """Keberatan: the employee's objection to an evaluation, heard and decided by the
    appraiser's supervisor (atasan pejabat penilai); the decision is final."""
    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), unique=True)
    reasons: Mapped[str] = mapped_column(Text)
    lodged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decider_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), index=True)
    appraiser_response: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ObjectionStatus] = mapped_column(enum_column(ObjectionStatus),
                                                    default=ObjectionStatus.PENDING, index=True)
    decision: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # What the appraiser had set, kept when the decider changes it.
    original_result: Mapped[Rating | None] = mapped_column(enum_column(Rating, "original_result"))
    original_behaviour: Mapped[Rating | None] = mapped_column(enum_column(Rating, "original_behaviour"))
    original_predikat: Mapped[Predikat | None] = mapped_column(enum_column(Predikat))

    evaluation: Mapped[Evaluation] = relationship(back_populates="objection")
    decider: Mapped[Employee | None] = relationship(foreign_keys=[decider_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class PeerFeedbackRequest(db.Model):
    """A colleague asked for behaviour feedback on an evaluated employee. The appraiser sees
    the answer without the colleague's name."""
    __tablename__ = "peer_feedback_requests"
    __table_args__ = (UniqueConstraint("evaluation_id", "colleague_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), index=True)
    colleague_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column(Date)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # {behaviour value: rating value}; None until answered.
    ratings: Mapped[dict | None] = mapped_column(JSON)
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    evaluation: Mapped[Evaluation] = relationship()
    colleague: Mapped[Employee] = relationship()
    requested_by: Mapped[User] = relationship()


class UnitPredikat(db.Model):
    """Capaian kinerja organisasi: the organisation's own predikat at one evaluation point of a
    year (a month or quarter, `point` its number, or the year, point 0), set by the unit's
    leader; it sets the limits on its employees' predikat at that point (the distribution
    curve) and the leader's own hasil kerja rating follows it. Rows from before the leader set
    it (HR's one yearly figure) are the annual point with no leader."""
    __tablename__ = "unit_predikats"
    __table_args__ = (UniqueConstraint("unit_id", "period_id", "kind", "point"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    kind: Mapped[EvaluationKind] = mapped_column(enum_column(EvaluationKind),
                                                 default=EvaluationKind.ANNUAL)
    point: Mapped[int] = mapped_column(default=0)
    predikat: Mapped[OrganisationPredikat] = mapped_column(enum_column(OrganisationPredikat))
    # The head of the unit who set it, fixed here (the chart may change later); who signs.
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    note: Mapped[str | None] = mapped_column(Text)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship()
    period: Mapped[Period] = relationship()
    leader: Mapped[Employee | None] = relationship()


class DistributionLimit(db.Model):
    """One line of the distribution table: for organisations of `organisation` predikat, the
    employees with any of `predikats` (comma-separated values) must be at least / at most
    these shares, or at least `min_count` people. HR may change the table."""
    __tablename__ = "distribution_limits"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation: Mapped[OrganisationPredikat] = mapped_column(enum_column(OrganisationPredikat),
                                                               index=True)
    predikats: Mapped[str] = mapped_column(String(100))
    min_percent: Mapped[int | None]
    max_percent: Mapped[int | None]
    min_count: Mapped[int | None]


class TrainingCourse(db.Model):
    """The training catalogue HR keeps; `behaviours` lists the BerAKHLAK values (values of
    Behaviour) the course strengthens, `for_results` marks courses for weak work results."""
    __tablename__ = "training_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    provider: Mapped[str | None] = mapped_column(String(200))
    hours: Mapped[int] = mapped_column(default=8)
    behaviours: Mapped[list] = mapped_column(JSON, default=list)
    for_results: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


class DevelopmentPlan(db.Model):
    """A development plan for an employee whose evaluation ended Butuh Perbaikan or lower."""
    __tablename__ = "development_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    goals: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    evaluation: Mapped[Evaluation] = relationship()
    employee: Mapped[Employee] = relationship()
    trainings: Mapped[list["TrainingRecord"]] = relationship(back_populates="plan",
                                                             order_by="TrainingRecord.id")


class TrainingStatus(LabelledEnum):
    PLANNED = "direncanakan", _l("Direncanakan")
    DONE = "selesai", _l("Selesai")
    CANCELLED = "dibatalkan", _l("Dibatalkan")


class TrainingRecord(db.Model):
    """A training an employee is to take or took: planned, done (hours, certificate)."""
    __tablename__ = "training_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_courses.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("development_plans.id"), index=True)
    status: Mapped[TrainingStatus] = mapped_column(enum_column(TrainingStatus),
                                                   default=TrainingStatus.PLANNED)
    planned_for: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    hours: Mapped[int | None]
    certificate_number: Mapped[str | None] = mapped_column(String(100))
    certificate_evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    employee: Mapped[Employee] = relationship()
    course: Mapped[TrainingCourse] = relationship()
    plan: Mapped[DevelopmentPlan | None] = relationship(back_populates="trainings")


class SanctionLevel(LabelledEnum):
    """The three levels of disciplinary punishment of PP 94/2021 (art. 8)."""
    LIGHT = "ringan", _l("Ringan")
    MODERATE = "sedang", _l("Sedang")
    SEVERE = "berat", _l("Berat")


class DisciplinarySanction(db.Model):
    """A disciplinary punishment (hukuman disiplin) imposed on an employee, as HR records it from
    the decree: its level, the day it was imposed and the span it affects. An employee under a
    sanction in an award's span is not ranked for it. A wrong entry is revoked with a reason,
    never deleted (both are audited)."""
    __tablename__ = "disciplinary_sanctions"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    level: Mapped[SanctionLevel] = mapped_column(enum_column(SanctionLevel))
    imposed_on: Mapped[date] = mapped_column(Date)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoke_reason: Mapped[str | None] = mapped_column(String(300))

    employee: Mapped[Employee] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ObjectionCounting(LabelledEnum):
    CALENDAR = "kalender", _l("Hari kalender")
    WORKING = "kerja", _l("Hari kerja")


class ObjectionRule(db.Model):
    """How the objection window is counted, as HR or an admin set it (one row, id 1; none
    saved means 14 calendar days)."""
    __tablename__ = "objection_rule"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    days: Mapped[int] = mapped_column(default=14)
    counting: Mapped[ObjectionCounting] = mapped_column(enum_column(ObjectionCounting),
                                                       default=ObjectionCounting.CALENDAR)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    updated_by: Mapped[User | None] = relationship()


class BehaviourExpectation(db.Model):
    """Ekspektasi khusus pimpinan: what the pejabat penilai expects of the employee on one
    BerAKHLAK value, written on the SKP (appraisal/skp_annex.py)."""
    __tablename__ = "behaviour_expectations"
    __table_args__ = (UniqueConstraint("skp_id", "behaviour"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skps.id"), index=True)
    behaviour: Mapped[Behaviour] = mapped_column(enum_column(Behaviour))
    text: Mapped[str] = mapped_column(Text)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    skp: Mapped[Skp] = relationship()
    set_by: Mapped[Employee | None] = relationship()


class PpkStep(enum.StrEnum):
    APPRAISAL = "penilaian"   # the PPK's ratings, set
    OBJECTION = "keberatan"   # the PPK's decision on an objection


class PpkRecord(db.Model):
    """A decision of the PPK that HR recorded on their behalf, with the signed scan it was
    recorded from (an evidence file, through the evidence checks): HR never decides in the
    PPK's place, it transcribes what the PPK signed, and the document says so."""
    __tablename__ = "ppk_records"
    __table_args__ = (UniqueConstraint("evaluation_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), index=True)
    step: Mapped[PpkStep] = mapped_column(enum_column(PpkStep))
    ppk_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    scan_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    evaluation: Mapped[Evaluation] = relationship()
    ppk: Mapped[Employee] = relationship()
    scan: Mapped[Evidence] = relationship()
    recorded_by: Mapped[User] = relationship()

"""SKP: performance periods, unit goals, the plan (RHK + indicators), daily activities with
evidence, monthly realisation, feedback and performance dialogues."""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, Numeric, String, Text, Time, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.core.calendar import Cadence
from kinerja.core.labels import LabelledEnum
from kinerja.core.types import UTCDateTime, enum_column, utcnow
from kinerja.extensions import db
from kinerja.organisation.models import Employee, Position, Unit, User

Amount = Numeric(14, 2)


class PeriodStatus(LabelledEnum):
    PREPARING = "persiapan", _l("Persiapan")
    OPEN = "berjalan", _l("Berjalan")
    CLOSED = "ditutup", _l("Ditutup")


class Period(db.Model):
    """A performance year; a closed period is read-only."""
    __tablename__ = "periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    cadence: Mapped[Cadence] = mapped_column(enum_column(Cadence), default=Cadence.MONTHLY)
    status: Mapped[PeriodStatus] = mapped_column(enum_column(PeriodStatus),
                                                 default=PeriodStatus.PREPARING)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_open(self) -> bool:
        return self.status is PeriodStatus.OPEN

    @property
    def starts(self) -> date:
        return date(self.year, 1, 1)

    @property
    def ends(self) -> date:
        return date(self.year, 12, 31)


class UnitGoal(db.Model):
    """A goal of a unit for a year (sasaran unit), from which its head derives their RHK."""
    __tablename__ = "unit_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)

    period: Mapped[Period] = relationship()
    unit: Mapped[Unit] = relationship()


class SkpStatus(LabelledEnum):
    DRAFT = "draf", _l("Draf")
    SUBMITTED = "diajukan", _l("Diajukan")
    APPROVED = "disetujui", _l("Disetujui")
    RETURNED = "dikembalikan", _l("Dikembalikan")


class Skp(db.Model):
    """One employee's plan for one period. Its RHK keep their identity across revisions, so
    activities and subordinates' cascades stay linked; each approval is kept as a version."""
    __tablename__ = "skps"
    # Several plans a year when a transfer closes one and opens the next (transfers.py).
    __table_args__ = (UniqueConstraint("employee_id", "period_id", "first_month",
                                       name="uq_skps_employee_period_first_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    status: Mapped[SkpStatus] = mapped_column(enum_column(SkpStatus), default=SkpStatus.DRAFT)
    # Number of the version being worked on: 1 until the first approval, then +1 per revision.
    version: Mapped[int] = mapped_column(default=1)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    return_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The months of the year the plan covers (1..12 inclusive): the whole year unless a
    # transfer closed it (last_month) or opened it (first_month) mid-year.
    first_month: Mapped[int] = mapped_column(default=1, server_default="1")
    last_month: Mapped[int] = mapped_column(default=12, server_default="12")
    # Lampiran SKP (the annex of PermenPANRB 6/2022): what the leader provides, how the employee
    # reports and what follows; drafted with the plan and agreed with it (appraisal/skp_annex.py).
    resource_support: Mapped[str | None] = mapped_column(Text)     # dukungan sumber daya
    accountability: Mapped[str | None] = mapped_column(Text)       # skema pertanggungjawaban
    consequences: Mapped[str | None] = mapped_column(Text)         # konsekuensi

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    approver: Mapped[Employee | None] = relationship(foreign_keys=[approver_id])
    period: Mapped[Period] = relationship()

    @property
    def months(self) -> range:
        return range(self.first_month, self.last_month + 1)

    @property
    def starts(self) -> date:
        return date(self.period.year, self.first_month, 1)

    @property
    def ends(self) -> date:
        following = date(self.period.year + (self.last_month == 12), self.last_month % 12 + 1, 1)
        return following - timedelta(days=1)

    @property
    def covers_whole_year(self) -> bool:
        return self.first_month == 1 and self.last_month == 12
    rhks: Mapped[list["Rhk"]] = relationship(back_populates="skp", order_by="Rhk.position, Rhk.id",
                                             cascade="all, delete-orphan")
    versions: Mapped[list["SkpVersion"]] = relationship(order_by="SkpVersion.number.desc()",
                                                        cascade="all, delete-orphan")
    # The transfer that closed the plan, if one did: its months stay with the supervisor
    # recorded there, who appraises them (organisation/authority.py plan_appraiser).
    closed_by: Mapped["Transfer | None"] = relationship(
        primaryjoin="foreign(Transfer.closed_skp_id) == Skp.id", viewonly=True, uselist=False)


class SkpVersion(db.Model):
    """What was approved, frozen: the history stays visible after later revisions."""
    __tablename__ = "skp_versions"
    __table_args__ = (UniqueConstraint("skp_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skps.id"), index=True)
    number: Mapped[int]
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    content: Mapped[dict] = mapped_column(JSON)
    # Approved by the PPK on paper and transcribed by HR: who recorded it, and the signed scan.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))

    approved_by: Mapped[Employee | None] = relationship()
    recorded_by: Mapped["User | None"] = relationship()
    scan: Mapped["Evidence | None"] = relationship()


class RhkKind(LabelledEnum):
    MAIN = "utama", _l("Utama")
    ADDITIONAL = "tambahan", _l("Tambahan")


class Perspective(LabelledEnum):
    """The four perspectives the annex's SKP of a JPT groups its RHK by (balanced scorecard)."""
    SERVICE_RECIPIENTS = "penerima_layanan", _l("Perspektif Penerima Layanan")
    BUSINESS_PROCESS = "proses_bisnis", _l("Perspektif Proses Bisnis")
    INTERNAL = "penguatan_internal", _l("Perspektif Penguatan Internal")
    BUDGET = "anggaran", _l("Perspektif Anggaran")


class Rhk(db.Model):
    """Rencana hasil kerja: a planned work result, derived from one of the supervisor's RHK
    (or, for a head of unit, from a unit goal)."""
    __tablename__ = "rhks"

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skps.id"), index=True)
    kind: Mapped[RhkKind] = mapped_column(enum_column(RhkKind), default=RhkKind.MAIN)
    text: Mapped[str] = mapped_column(String(500))
    parent_rhk_id: Mapped[int | None] = mapped_column(ForeignKey("rhks.id"), index=True)
    unit_goal_id: Mapped[int | None] = mapped_column(ForeignKey("unit_goals.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # Only on a JPT's plan (performance/perspectives.py); None elsewhere.
    perspective: Mapped[Perspective | None] = mapped_column(enum_column(Perspective))

    skp: Mapped[Skp] = relationship(back_populates="rhks")
    parent: Mapped["Rhk | None"] = relationship(remote_side=[id])
    unit_goal: Mapped[UnitGoal | None] = relationship()
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="rhk", order_by="Indicator.position, Indicator.id",
        cascade="all, delete-orphan")


class Aspect(LabelledEnum):
    QUANTITY = "kuantitas", _l("Kuantitas")
    QUALITY = "kualitas", _l("Kualitas")
    TIME = "waktu", _l("Waktu")
    COST = "biaya", _l("Biaya")


class Indicator(db.Model):
    """A measurable indicator of an RHK on one aspect, with its yearly target."""
    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    rhk_id: Mapped[int] = mapped_column(ForeignKey("rhks.id"), index=True)
    aspect: Mapped[Aspect] = mapped_column(enum_column(Aspect), default=Aspect.QUANTITY)
    text: Mapped[str] = mapped_column(String(500))
    target: Mapped[Decimal] = mapped_column(Amount)
    unit_of_measure: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    # Kualitatif: no number to reach (target 0, no unit); the target is described in
    # target_text and the realisation is the narrative with its evidence.
    qualitative: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    target_text: Mapped[str | None] = mapped_column(Text)
    # A time or cost target is met at or below it (3 days: done in 2 is ahead); new waktu and
    # biaya indicators start so, and the SKP builder may change it (performance.pace).
    lower_is_better: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    rhk: Mapped[Rhk] = relationship(back_populates="indicators")


class ActivityStatus(LabelledEnum):
    REPORTED = "dilaporkan", _l("Dilaporkan")
    VERIFIED = "diverifikasi", _l("Diverifikasi")
    RETURNED = "dikembalikan", _l("Dikembalikan")


class Activity(db.Model):
    """A daily activity report (laporan harian): the raw material of realisation."""
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    day: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    minutes: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    rhk_id: Mapped[int] = mapped_column(ForeignKey("rhks.id"), index=True)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id"), index=True)
    quantity: Mapped[Decimal | None] = mapped_column(Amount)
    status: Mapped[ActivityStatus] = mapped_column(enum_column(ActivityStatus),
                                                   default=ActivityStatus.REPORTED)
    supervisor_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    reviewed_by: Mapped[Employee | None] = relationship(foreign_keys=[reviewed_by_id])
    rhk: Mapped[Rhk] = relationship()
    indicator: Mapped[Indicator | None] = relationship()
    evidence: Mapped[list["Evidence"]] = relationship(back_populates="activity",
                                                      order_by="Evidence.id")

    __table_args__ = (db.Index("ix_activities_employee_day", "employee_id", "day"),)


class Evidence(db.Model):
    """A supporting file (bukti dukung), stored under instance/ with a random name."""
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"), index=True)
    realisation_id: Mapped[int | None] = mapped_column(ForeignKey("realisations.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[Employee] = relationship()
    activity: Mapped[Activity | None] = relationship(back_populates="evidence")
    realisation: Mapped["Realisation | None"] = relationship(back_populates="evidence")
    uploaded_by: Mapped[User | None] = relationship()


class Realisation(db.Model):
    """An indicator's realisation for one month. `value` None means "the sum of the month's
    activities"; a number is the employee's adjustment, explained by the narrative."""
    __tablename__ = "realisations"
    __table_args__ = (UniqueConstraint("indicator_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    month: Mapped[int]
    value: Mapped[Decimal | None] = mapped_column(Amount)
    narrative: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    indicator: Mapped[Indicator] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(back_populates="realisation",
                                                    order_by="Evidence.id")


class Feedback(db.Model):
    """Umpan balik: the supervisor's feedback on one RHK for one month."""
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    rhk_id: Mapped[int] = mapped_column(ForeignKey("rhks.id"), index=True)
    month: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    rhk: Mapped[Rhk] = relationship()
    author: Mapped[Employee] = relationship()


class Dialogue(db.Model):
    """Dialog kinerja: a recorded performance conversation between supervisor and employee."""
    __tablename__ = "dialogues"

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skps.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    author_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    notes: Mapped[str] = mapped_column(Text)
    follow_up: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    skp: Mapped[Skp] = relationship()
    author: Mapped[Employee] = relationship()


class ActivityRollup(db.Model):
    """Per indicator per month: the quantity and number of the activities that count (reported
    or verified, not returned), kept current as activities change, so realisation, progress
    and heatmaps never sum raw activities."""
    __tablename__ = "activity_rollups"

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"),
                                              primary_key=True)
    month: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    activities: Mapped[int] = mapped_column(default=0)


class Transfer(db.Model):
    """Mutasi: HR moved an employee to another unit, supervisor or position from a day of the
    year. The plan running then was closed at the end of the month before, and a draft for the
    rest of the year opened with the new supervisor as approver (appraisal/transfers.py)."""
    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    effective_on: Mapped[date] = mapped_column(Date)
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    from_supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    to_supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    from_position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id"))
    to_position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id"))
    closed_skp_id: Mapped[int | None] = mapped_column(ForeignKey("skps.id"))
    opened_skp_id: Mapped[int | None] = mapped_column(ForeignKey("skps.id"))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    from_unit: Mapped[Unit | None] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Unit | None] = relationship(foreign_keys=[to_unit_id])
    from_supervisor: Mapped[Employee | None] = relationship(foreign_keys=[from_supervisor_id])
    to_supervisor: Mapped[Employee | None] = relationship(foreign_keys=[to_supervisor_id])
    from_position: Mapped[Position | None] = relationship(foreign_keys=[from_position_id])
    to_position: Mapped[Position | None] = relationship(foreign_keys=[to_position_id])
    closed_skp: Mapped[Skp | None] = relationship(foreign_keys=[closed_skp_id])
    opened_skp: Mapped[Skp | None] = relationship(foreign_keys=[opened_skp_id])


class LeaveKind(LabelledEnum):
    """Absences outside the state's payroll, during which the person is not appraised."""
    CLTN = "cltn", _l("Cuti di luar tanggungan negara (CLTN)")
    STUDY = "tugas_belajar", _l("Tugas belajar")


class Leave(db.Model):
    """A stretch of CLTN or tugas belajar recorded by HR: the evaluation points it covers are
    not offered, and nobody is reminded or counted as not reporting during it (leave.py)."""
    __tablename__ = "leaves"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    kind: Mapped[LeaveKind] = mapped_column(enum_column(LeaveKind))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    employee: Mapped[Employee] = relationship()

"""Citizen feedback: kiosks at counters, ratings (one tap + optional SKM elements), complaints,
counter rosters, and the daily rollups that IKM reports read instead of raw ratings."""
import enum
import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.core.labels import LabelledEnum
from kinerja.core.types import UTCDateTime, enum_column, utcnow
from kinerja.extensions import db
from kinerja.feedback.demographics import DEMOGRAPHIC_COLUMNS
from kinerja.organisation.models import Employee, Service, ServiceCounter, Unit, User

ELEMENT_COLUMNS = tuple(f"u{n}" for n in range(1, 10))


class KioskKind(enum.StrEnum):
    TABLET = "tablet"  # a paired device at the counter
    PHONE = "phone"    # the counter's QR poster channel, shared by citizens' own phones


class Kiosk(db.Model):
    """A tablet at a counter. It holds a long random device token; we keep only its hash.
    Each counter also gets one "phone" kiosk (no token, never paired) that stores the ratings
    citizens send from their own phones through the counter's QR poster."""
    __tablename__ = "kiosks"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("service_counters.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10), default=KioskKind.TABLET.value,
                                      server_default=KioskKind.TABLET.value)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    pairing_code_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    pairing_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    app_version: Mapped[str | None] = mapped_column(String(40))
    queued: Mapped[int | None]
    last_rating_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    counter: Mapped[ServiceCounter] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.token_hash is not None and self.revoked_at is None


class RatingFlag(LabelledEnum):
    """Why an accepted rating looks suspicious: it still counts until HR excludes it."""
    BURST = "burst", _l("banyak dalam satu menit")
    IDENTICAL_STREAK = "identical_streak", _l("jawaban sama berturut-turut")
    LATE = "late", _l("tiba lama setelah diberikan")
    OUT_OF_HOURS = "out_of_hours", _l("di luar jam layanan")
    # The phone channel's: no browser of the phone page, or many ratings from one address.
    UNKNOWN_DEVICE = "unknown_device", _l("ponsel tanpa tanda perangkat")
    SHARED_ADDRESS = "shared_address", _l("banyak dari satu alamat jaringan")


class Rating(db.Model):
    """One citizen's answer: the one-tap face (1-4), optionally the nine SKM elements
    (u1..u9, 1-4 each), demographics, who served them. Stored once per (kiosk, client_id)."""
    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"),
                                    primary_key=True)
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosks.id"))
    counter_id: Mapped[int] = mapped_column(ForeignKey("service_counters.id"))
    client_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    local_day: Mapped[date] = mapped_column(Date)  # the day in the counter's zone: the rollup key
    score: Mapped[int] = mapped_column(SmallInteger)
    u1: Mapped[int | None] = mapped_column(SmallInteger)
    u2: Mapped[int | None] = mapped_column(SmallInteger)
    u3: Mapped[int | None] = mapped_column(SmallInteger)
    u4: Mapped[int | None] = mapped_column(SmallInteger)
    u5: Mapped[int | None] = mapped_column(SmallInteger)
    u6: Mapped[int | None] = mapped_column(SmallInteger)
    u7: Mapped[int | None] = mapped_column(SmallInteger)
    u8: Mapped[int | None] = mapped_column(SmallInteger)
    u9: Mapped[int | None] = mapped_column(SmallInteger)
    age_group: Mapped[str | None] = mapped_column(String(10))
    sex: Mapped[str | None] = mapped_column(String(1))
    education: Mapped[str | None] = mapped_column(String(10))
    occupation: Mapped[str | None] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    # The service the citizen received (one of the counter's, asked after the tap; a counter
    # with one service names it without asking). None: not said, as every rating before the
    # question was asked. Set when the rating is stored and never changed after: the rollup
    # triggers count it per service only on insert (migration 0023).
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    # Suspicious patterns are flagged for HR, who may exclude a rating from IKM (never delete).
    flag: Mapped[str | None] = mapped_column(String(40))  # a RatingFlag value
    excluded: Mapped[bool] = mapped_column(default=False)
    excluded_reason: Mapped[str | None] = mapped_column(String(300))
    excluded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    kiosk: Mapped[Kiosk | None] = relationship()
    counter: Mapped[ServiceCounter] = relationship()
    staff: Mapped[Employee | None] = relationship()
    service: Mapped[Service | None] = relationship()

    @property
    def flag_reason(self) -> RatingFlag | None:
        return RatingFlag(self.flag) if self.flag else None

    __table_args__ = (
        UniqueConstraint("kiosk_id", "client_id"),
        db.Index("ix_ratings_counter_day", "counter_id", "local_day"),
        db.Index("ix_ratings_staff_day", "staff_id", "local_day"),
        # The kiosk's recent ratings, read on every submit to spot bursts and streaks.
        db.Index("ix_ratings_kiosk_taken", "kiosk_id", "taken_at"),
    )

    def elements(self) -> dict[str, int]:
        return {col.upper(): getattr(self, col) for col in ELEMENT_COLUMNS
                if getattr(self, col) is not None}


class RollupSums:
    """The sums a rollup keeps: counts per face, complete surveys, and per element the sum and
    the number of answers (shared by the daily and the monthly rollups)."""
    ratings: Mapped[int] = mapped_column(default=0)
    score_1: Mapped[int] = mapped_column(default=0)
    score_2: Mapped[int] = mapped_column(default=0)
    score_3: Mapped[int] = mapped_column(default=0)
    score_4: Mapped[int] = mapped_column(default=0)
    full_surveys: Mapped[int] = mapped_column(default=0)  # ratings with all nine elements
    u1_sum: Mapped[int] = mapped_column(default=0)
    u1_n: Mapped[int] = mapped_column(default=0)
    u2_sum: Mapped[int] = mapped_column(default=0)
    u2_n: Mapped[int] = mapped_column(default=0)
    u3_sum: Mapped[int] = mapped_column(default=0)
    u3_n: Mapped[int] = mapped_column(default=0)
    u4_sum: Mapped[int] = mapped_column(default=0)
    u4_n: Mapped[int] = mapped_column(default=0)
    u5_sum: Mapped[int] = mapped_column(default=0)
    u5_n: Mapped[int] = mapped_column(default=0)
    u6_sum: Mapped[int] = mapped_column(default=0)
    u6_n: Mapped[int] = mapped_column(default=0)
    u7_sum: Mapped[int] = mapped_column(default=0)
    u7_n: Mapped[int] = mapped_column(default=0)
    u8_sum: Mapped[int] = mapped_column(default=0)
    u8_n: Mapped[int] = mapped_column(default=0)
    u9_sum: Mapped[int] = mapped_column(default=0)
    u9_n: Mapped[int] = mapped_column(default=0)


# ... and per respondent answer, how many ratings gave it and how many of those were full
# surveys (44 columns, named by demographics.demographic_column; written out they would be 44
# identical lines).
# Their default is the database's alone (no Python-side default): a rating without answers
# inserts its rollup row without these columns. With a Python default every INSERT carried all
# 66 columns, a statement too long for psycopg's parse cache (~0.6 ms of CPU per upsert).
for _column in DEMOGRAPHIC_COLUMNS:
    setattr(RollupSums, _column, mapped_column(Integer, nullable=False, server_default="0"))


# Every summed column of a rollup row, in one order (rollup_rebuild writes them all).
ROLLUP_COLUMNS = ("ratings", "score_1", "score_2", "score_3", "score_4", "full_surveys",
                  *(f"{c}_{part}" for c in ELEMENT_COLUMNS for part in ("sum", "n")),
                  *DEMOGRAPHIC_COLUMNS)


class DailyRollup(RollupSums, db.Model):
    """Per counter per local day: counts per face and per-element sums and answer counts,
    kept current as ratings arrive (and as HR excludes some), so reports never scan ratings."""
    __tablename__ = "rating_rollups"

    counter_id: Mapped[int] = mapped_column(ForeignKey("service_counters.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)

    counter: Mapped[ServiceCounter] = relationship()


class MonthlyRollup(RollupSums, db.Model):
    """The same sums as DailyRollup per counter per calendar month (`month` = its first day),
    kept in the same transaction as the daily rows: a report reads these for the whole months
    of its range and the daily rows only for the partial months at either end."""
    __tablename__ = "rating_monthly_rollups"

    counter_id: Mapped[int] = mapped_column(ForeignKey("service_counters.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)


class ServiceDailyRollup(RollupSums, db.Model):
    """The same sums per counter, per service received and per local day, for the ratings that
    name their service (kept by the database's triggers, migration 0023): per-service IKM
    counts only the citizens who received that service. A rating naming no service is in the
    counter's rollups only."""
    __tablename__ = "rating_service_rollups"

    counter_id: Mapped[int] = mapped_column(ForeignKey("service_counters.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class ServiceMonthlyRollup(RollupSums, db.Model):
    """ServiceDailyRollup per calendar month (`month` = its first day), as MonthlyRollup is
    to DailyRollup."""
    __tablename__ = "rating_service_monthly_rollups"

    counter_id: Mapped[int] = mapped_column(ForeignKey("service_counters.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)


class IkmWeightConvention(db.Model):
    """The weight of each element's NRR that HR chose for a year: the regulation's worksheet
    writes 0.111, some regions compute with 1/9 exactly, and the two can differ by a grade.
    A year without a row uses 0.111 (kinerja.feedback.ikm_weights)."""
    __tablename__ = "ikm_weight_conventions"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    weight: Mapped[str] = mapped_column(String(10))  # an ikm.WEIGHTS key: "0.111" or "1/9"
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    chosen_by: Mapped[User | None] = relationship()


class ComplaintStatus(LabelledEnum):
    RECEIVED = "diterima", _l("Diterima")
    IN_PROGRESS = "diproses", _l("Diproses")
    ANSWERED = "dijawab", _l("Dijawab")
    CLOSED = "ditutup", _l("Ditutup")

    @property
    def is_open(self) -> bool:
        """Still waiting for the unit's answer (what the overdue rule counts)."""
        return self in (ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS)


class ComplaintChannel(LabelledEnum):
    """How a complaint reached the unit. Kiosk covers the counter's tablet and the phone page
    (the citizen's own phone through the counter's QR code): both arrive with a rating. The
    others HR records by hand: a telephone call, SP4N-LAPOR! (the national complaint channel,
    with its tracking number) and a citizen at the desk."""
    KIOSK = "kios", _l("Kios / ponsel")
    PHONE = "telepon", _l("Telepon")
    LAPOR = "lapor", _l("SP4N-LAPOR!")
    WALK_IN = "langsung", _l("Datang langsung")


class Complaint(db.Model):
    """A complaint or suggestion from a citizen: a ticket for the counter's unit."""
    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id"), unique=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("service_counters.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(200))
    contact_consent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ComplaintStatus] = mapped_column(enum_column(ComplaintStatus),
                                                   default=ComplaintStatus.RECEIVED)
    reply: Mapped[str | None] = mapped_column(Text)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    channel: Mapped[ComplaintChannel] = mapped_column(
        enum_column(ComplaintChannel), default=ComplaintChannel.KIOSK,
        server_default=ComplaintChannel.KIOSK.value)
    # SP4N-LAPOR!'s tracking number, so the answer can be posted back there; one complaint each.
    lapor_number: Mapped[str | None] = mapped_column(String(20), unique=True)

    counter: Mapped[ServiceCounter] = relationship()
    unit: Mapped[Unit] = relationship()
    handled_by: Mapped[Employee | None] = relationship()


class RosterEntry(db.Model):
    """Who staffed which counter on which day: the link from ratings to people."""
    __tablename__ = "counter_roster"
    __table_args__ = (UniqueConstraint("counter_id", "employee_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("service_counters.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    day: Mapped[date] = mapped_column(Date)

    counter: Mapped[ServiceCounter] = relationship()
    employee: Mapped[Employee] = relationship()


class InvestigationStatus(LabelledEnum):
    OPEN = "dibuka", _l("Sedang diperiksa")
    CLOSED = "ditutup", _l("Ditutup")


class InvestigationKind(LabelledEnum):
    """The alert an investigation was opened from (kinerja.feedback.alerts)."""
    COMPLAINTS = "complaints", _l("Banyak pengaduan")
    IKM = "ikm", _l("IKM mutu C/D")


investigation_complaints = db.Table(
    "investigation_complaints",
    db.Column("investigation_id", ForeignKey("investigations.id"), primary_key=True),
    db.Column("complaint_id", ForeignKey("complaints.id"), primary_key=True),
)
investigation_counters = db.Table(
    "investigation_counters",
    db.Column("investigation_id", ForeignKey("investigations.id"), primary_key=True),
    db.Column("counter_id", ForeignKey("service_counters.id"), primary_key=True),
)


class Investigation(db.Model):
    """The examination an alert asks for (many complaints at one office, mutu C or D): what the
    alert said when it was opened, the findings, the actions taken and the closing decision,
    linked to the complaints and counters it concerns. Every step is an audit event."""
    __tablename__ = "investigations"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("service_counters.id"))  # None: the unit
    kind: Mapped[InvestigationKind] = mapped_column(enum_column(InvestigationKind))
    alert_count: Mapped[int] = mapped_column(default=0)
    alert_mutu: Mapped[str | None] = mapped_column(String(1))
    alert_ikm: Mapped[str | None] = mapped_column(String(10))  # the converted IKM as shown
    title: Mapped[str] = mapped_column(String(200))
    findings: Mapped[str | None] = mapped_column(Text)
    actions: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(Text)
    status: Mapped[InvestigationStatus] = mapped_column(
        enum_column(InvestigationStatus), default=InvestigationStatus.OPEN, index=True)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    unit: Mapped[Unit] = relationship()
    counter: Mapped[ServiceCounter | None] = relationship()
    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    complaints: Mapped[list[Complaint]] = relationship(
        secondary=investigation_complaints, order_by=Complaint.received_at)
    counters: Mapped[list[ServiceCounter]] = relationship(
        secondary=investigation_counters, order_by=ServiceCounter.code)

    @property
    def is_open(self) -> bool:
        return self.status == InvestigationStatus.OPEN

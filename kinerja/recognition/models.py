"""Recognition: awards HR defines with weighted criteria, heads' nominations, HR's candidate
changes (each with a written reason), the ranking snapshot kept at the decision, and winners."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.core.labels import LabelledEnum
from kinerja.core.types import UTCDateTime, enum_column, utcnow
from kinerja.extensions import db
from kinerja.organisation.models import Employee, Unit, UnitKind, User
from kinerja.performance.models import Period


class AwardStatus(LabelledEnum):
    DRAFT = "draf", _l("Draf")  # criteria may change; the ranking is live
    DECIDED = "diputuskan", _l("Diputuskan")  # ranking frozen, winners chosen; citations may still change
    PUBLISHED = "dipublikasikan", _l("Dipublikasikan")  # on the public page and the kiosks
    WITHDRAWN = "ditarik", _l("Ditarik")  # taken back, with a reason


class AwardScope(LabelledEnum):
    UNIT = "unit", _l("Satu unit kerja (dengan unit di bawahnya)")  # one unit and the units below it
    KIND = "jenis", _l("Semua unit kerja satu jenis")  # every unit of one kind (all puskesmas...)
    ALL = "semua", _l("Semua unit kerja")  # the whole kabupaten


class CandidateChangeKind(LabelledEnum):
    ADDED = "tambah", _l("Ditambahkan")
    REMOVED = "hapus", _l("Dikeluarkan")


class Award(db.Model):
    """One award (e.g. "ASN Teladan Pelayanan Publik 2026") over part of one performance year."""
    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    scope: Mapped[AwardScope] = mapped_column(enum_column(AwardScope), default=AwardScope.UNIT)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    unit_kind: Mapped[UnitKind | None] = mapped_column(enum_column(UnitKind))
    winners_count: Mapped[int] = mapped_column(default=1)
    min_respondents: Mapped[int] = mapped_column(default=30)
    # Integer weights summing to 100 (kinerja.recognition.award_ranking.check_weights).
    weight_predikat: Mapped[int] = mapped_column(default=30)
    weight_realisation: Mapped[int] = mapped_column(default=25)
    weight_satisfaction: Mapped[int] = mapped_column(default=20)
    weight_regularity: Mapped[int] = mapped_column(default=15)
    weight_nomination: Mapped[int] = mapped_column(default=10)
    status: Mapped[AwardStatus] = mapped_column(enum_column(AwardStatus),
                                                default=AwardStatus.DRAFT, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)

    period: Mapped[Period] = relationship()
    unit: Mapped[Unit | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    winners: Mapped[list["AwardWinner"]] = relationship(
        back_populates="award", order_by="AwardWinner.rank", cascade="all, delete-orphan")
    snapshot: Mapped["RankingSnapshot | None"] = relationship(back_populates="award",
                                                              uselist=False)

    @property
    def weights(self) -> dict[str, int]:
        return {"predikat": self.weight_predikat, "realisation": self.weight_realisation,
                "satisfaction": self.weight_satisfaction, "regularity": self.weight_regularity,
                "nomination": self.weight_nomination}

    @property
    def is_published(self) -> bool:
        return self.status is AwardStatus.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.status is AwardStatus.DRAFT


class Nomination(db.Model):
    """A head of unit's nomination of a candidate, with the citation (why)."""
    __tablename__ = "award_nominations"
    __table_args__ = (UniqueConstraint("award_id", "employee_id", "nominator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    nominator_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    citation: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    award: Mapped[Award] = relationship()
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    nominator: Mapped[Employee] = relationship(foreign_keys=[nominator_id])


class CandidateChange(db.Model):
    """HR adding or removing a candidate by hand, always with a written reason. The latest
    change per employee decides; the earlier ones stay as history."""
    __tablename__ = "award_candidate_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    kind: Mapped[CandidateChangeKind] = mapped_column(enum_column(CandidateChangeKind))
    reason: Mapped[str] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    employee: Mapped[Employee] = relationship()
    changed_by: Mapped[User | None] = relationship()


class RankingSnapshot(db.Model):
    """The ranking as it stood when HR decided: every row with its values, contributions and
    total, the weights and the minimum respondents, so the decision can be explained later."""
    __tablename__ = "award_ranking_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id"), unique=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    settings: Mapped[dict] = mapped_column(JSON)
    rows: Mapped[list] = mapped_column(JSON)

    award: Mapped[Award] = relationship(back_populates="snapshot")


class AwardWinner(db.Model):
    """A winner. Name, position and unit are copied at the decision: what was announced stays
    as announced when the person later moves. The photo is kept only with their consent."""
    __tablename__ = "award_winners"
    __table_args__ = (UniqueConstraint("award_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    rank: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    position_name: Mapped[str] = mapped_column(String(200), default="")
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    citation: Mapped[str] = mapped_column(Text, default="")
    photo_consent: Mapped[bool] = mapped_column(default=False)
    photo_name: Mapped[str | None] = mapped_column(String(64))
    photo_type: Mapped[str | None] = mapped_column(String(20))

    award: Mapped[Award] = relationship(back_populates="winners")
    employee: Mapped[Employee] = relationship()

    @property
    def shows_photo(self) -> bool:
        return bool(self.photo_consent and self.photo_name)

"""Public transparency: which unit's IKM HR has published for which period, and the head of
unit's follow-up statement on its weakest element (shown only once HR approves it)."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.core.labels import LabelledEnum
from kinerja.core.types import UTCDateTime, enum_column, utcnow
from kinerja.extensions import db
from kinerja.organisation.models import Employee, Unit, User


class PublicationStatus(LabelledEnum):
    PUBLISHED = "terbit", _l("Terbit")
    WITHDRAWN = "ditarik", _l("Ditarik")


class IkmPublication(db.Model):
    """One unit's SKM result for one period (a quarter, semester or year), published by HR.
    The figures are not stored: the public page computes them from the daily rollups over
    [start, end], so a withdrawal is a status change and the row stays for the audit trail."""
    __tablename__ = "ikm_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(60))  # "Triwulan III 2026"
    status: Mapped[PublicationStatus] = mapped_column(
        enum_column(PublicationStatus), default=PublicationStatus.PUBLISHED, index=True)
    published_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdraw_reason: Mapped[str | None] = mapped_column(String(300))

    unit: Mapped[Unit] = relationship()
    published_by: Mapped[User] = relationship(foreign_keys=[published_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
    statement: Mapped["FollowUpStatement | None"] = relationship(back_populates="publication",
                                                                 uselist=False)

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED


class StatementStatus(LabelledEnum):
    DRAFT = "draf", _l("Draf")
    SUBMITTED = "diajukan", _l("Menunggu persetujuan SDM")
    APPROVED = "disetujui", _l("Disetujui, tampil di publik")
    REJECTED = "ditolak", _l("Ditolak")


class FollowUpStatement(db.Model):
    """What the unit does about its weakest element, written by its head for one publication;
    public only when HR has approved it. A rejected statement is edited and submitted again."""
    __tablename__ = "ikm_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("ikm_publications.id"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[StatementStatus] = mapped_column(enum_column(StatementStatus),
                                                    default=StatementStatus.DRAFT, index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reject_reason: Mapped[str | None] = mapped_column(String(300))

    publication: Mapped[IkmPublication] = relationship(back_populates="statement")
    author: Mapped[Employee] = relationship()
    decided_by: Mapped[User | None] = relationship()

"""Public transparency: which unit's IKM HR has published for which period, and its rencana
tindak lanjut (RTL, the follow-up plan PermenPANRB 14/2017 asks for: per element to improve,
the programme, its time frame and who is responsible, then its realisation), shown only once
HR approves it."""
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
    plan: Mapped["FollowUpPlan | None"] = relationship(back_populates="publication",
                                                       uselist=False)

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED


class StatementStatus(LabelledEnum):
    DRAFT = "draf", _l("Draf")
    SUBMITTED = "diajukan", _l("Menunggu persetujuan SDM")
    APPROVED = "disetujui", _l("Disetujui, tampil di publik")
    REJECTED = "ditolak", _l("Ditolak")


class FollowUpPlan(db.Model):
    """The rencana tindak lanjut of one publication: its rows (FollowUpAction) and an optional
    note. Written by the unit's head (or HR) as a draft, submitted, approved by HR; public only
    once approved. After approval the programme stays as approved and only each row's status and
    realisation move on. Before migration 0024 a follow-up was one free-text statement: those
    statements became the note of their plan (they name no programme, time frame or person, so
    they could not become rows)."""
    __tablename__ = "ikm_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("ikm_publications.id"), unique=True)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[StatementStatus] = mapped_column(enum_column(StatementStatus),
                                                    default=StatementStatus.DRAFT, index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reject_reason: Mapped[str | None] = mapped_column(String(300))

    publication: Mapped[IkmPublication] = relationship(back_populates="plan")
    author: Mapped[Employee] = relationship()
    decided_by: Mapped[User | None] = relationship()
    actions: Mapped[list["FollowUpAction"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan",
        order_by="(FollowUpAction.element, FollowUpAction.due_on, FollowUpAction.id)")

    @property
    def is_approved(self) -> bool:
        return self.status == StatementStatus.APPROVED


class ActionStatus(LabelledEnum):
    PLANNED = "direncanakan", _l("Direncanakan")
    IN_PROGRESS = "berjalan", _l("Sedang berjalan")
    DONE = "selesai", _l("Selesai")


class FollowUpAction(db.Model):
    """One row of an RTL: for one SKM element, the programme, when (from `starts_on`, optional,
    to `due_on`), who is responsible (a unit or a position: citizens read it, so not a person's
    name by default), and how far it got."""
    __tablename__ = "ikm_follow_up_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("ikm_follow_ups.id"), index=True)
    element: Mapped[str] = mapped_column(String(3))  # "U1" ... "U9" (kinerja.feedback.ikm)
    programme: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    responsible: Mapped[str] = mapped_column(String(200))
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus),
                                                 default=ActionStatus.PLANNED)
    realisation: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    plan: Mapped[FollowUpPlan] = relationship(back_populates="actions")

"""The links to other systems: API tokens (long random bearer tokens for the JSON API, each
owned by a user and limited to scopes and a lifetime; only an HMAC is stored, the token is shown
once) and SIASN (its calls, people and reference lists, the outbox of results to send)."""
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.appraisal.models import Evaluation
from kinerja.core.labels import LabelledEnum
from kinerja.core.types import UTCDateTime, enum_column, utcnow
from kinerja.extensions import db
from kinerja.organisation.models import Employee, User


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token's first characters, not secret: tells tokens apart in lists and logs.
    prefix: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[str] = mapped_column(String(200))  # space-separated, e.g. "ikm:read"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def is_active(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class SiasnCall(db.Model):
    """One call to BKN's SIASN service, kept as the audit of the link: when, what operation,
    whose data, the answer's status and BKN's message. Never a token, a password or a payload."""
    __tablename__ = "siasn_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    method: Mapped[str] = mapped_column(String(8))
    endpoint: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[int | None] = mapped_column()
    ok: Mapped[bool] = mapped_column(default=False)
    duration_ms: Mapped[float] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(300), default="")


class SiasnPerson(db.Model):
    """Our employee's id in SIASN (`pnsDinilaiId`, the data utama's `id`), found by NIP once."""
    __tablename__ = "siasn_people"

    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"),
                                             primary_key=True)
    siasn_id: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SiasnReference(db.Model):
    """A SIASN reference list (kuadranNilai, perilakuDanKinerja, periodik, koefisien,
    golonganPns...) as BKN gave it on a date: payloads name BKN's ids, found here by name."""
    __tablename__ = "siasn_references"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    items: Mapped[list] = mapped_column(JSON)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OutboxStatus(LabelledEnum):
    WAITING = "menunggu", _l("Menunggu dikirim")
    SENDING = "mengirim", _l("Sedang dikirim")
    SENT = "terkirim", _l("Terkirim")
    REFUSED = "ditolak", _l("Ditolak BKN")


class SiasnOutbox(db.Model):
    """One version of one evaluation's result on its way to SIASN. The idempotency record: an
    evaluation gets a new entry only when its result changes (a decided objection); the entry
    is sent once, and a later version updates BKN's record (its id) instead of adding one."""
    __tablename__ = "siasn_outbox"
    __table_args__ = (UniqueConstraint("evaluation_id", "result_digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"),
                                               index=True)
    version: Mapped[int] = mapped_column(default=1)
    # What the version holds (predikat, ratings, appraiser): a change makes a new version.
    result_digest: Mapped[str] = mapped_column(String(64))
    status: Mapped[OutboxStatus] = mapped_column(enum_column(OutboxStatus),
                                                 default=OutboxStatus.WAITING, index=True)
    payload: Mapped[dict | None] = mapped_column(JSON)
    document: Mapped[list | None] = mapped_column(JSON)   # BKN's answers to the PDFs' uploads
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A send whose answer was lost (or a worker that died mid-send): BKN may hold it already,
    # so the next send looks in BKN's records first.
    uncertain: Mapped[bool] = mapped_column(default=False)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    bkn_id: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    evaluation: Mapped[Evaluation] = relationship()


class SiasnPull(db.Model):
    """One pull of master data from SIASN (one NIP or a unit's employees): what it found to
    change waits in its SiasnChange rows for HR to accept or reject one by one."""
    __tablename__ = "siasn_pulls"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(120))         # "NIP 1985..." or "unit DISDUK"
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    checked: Mapped[int] = mapped_column(default=0)         # employees compared
    notes: Mapped[list] = mapped_column(JSON, default=list)  # NIPs not found, unmapped unor...

    started_by: Mapped[User | None] = relationship()
    changes: Mapped[list["SiasnChange"]] = relationship(
        back_populates="pull", order_by="SiasnChange.id", cascade="all, delete-orphan")


class ChangeDecision(LabelledEnum):
    PENDING = "menunggu", _l("Menunggu keputusan")
    ACCEPTED = "diterima", _l("Diterima")
    REJECTED = "ditolak", _l("Ditolak")


class SiasnChange(db.Model):
    """One field of one employee that SIASN holds differently: our value when pulled, SIASN's,
    and HR's decision. `current`/`proposed` are stored values (an enum's value, a date in ISO
    form, a unit id, a position's name); `*_text` are the words shown."""
    __tablename__ = "siasn_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    pull_id: Mapped[int] = mapped_column(ForeignKey("siasn_pulls.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(30))
    current: Mapped[str | None] = mapped_column(String(300))
    proposed: Mapped[str | None] = mapped_column(String(300))
    current_text: Mapped[str] = mapped_column(String(300), default="")
    proposed_text: Mapped[str] = mapped_column(String(300), default="")
    decision: Mapped[ChangeDecision] = mapped_column(enum_column(ChangeDecision),
                                                     default=ChangeDecision.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    pull: Mapped[SiasnPull] = relationship(back_populates="changes")
    employee: Mapped[Employee] = relationship()


class TppFormula(db.Model):
    """HR's formula of the TPP performance share for one year (regional regulations differ):
    the weight of each component, the predikat's percentages and the hours expected per working
    day. A year without one uses tpp_formula's defaults."""
    __tablename__ = "tpp_formulas"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    weight_predikat: Mapped[int]
    weight_realisation: Mapped[int]
    weight_regularity: Mapped[int]
    weight_hours: Mapped[int]
    weight_ikm: Mapped[int]
    predikat_percents: Mapped[dict] = mapped_column(JSON)  # Predikat value -> whole percent
    hours_per_day: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    set_by: Mapped[User | None] = relationship()

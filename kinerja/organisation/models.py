"""The organisation: units, positions, employees, their accounts, services and service counters."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, LargeBinary, String, Table, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.core.calendar import DEFAULT_ZONE, TimeZone
from kinerja.core.labels import LabelledEnum
from kinerja.core.types import UTCDateTime, enum_column, utcnow
from kinerja.extensions import db
from kinerja.organisation.asn import AsnStatus, Jenjang, PositionKind, Rank


class UnitKind(LabelledEnum):
    SEKRETARIAT = "sekretariat", _l("Sekretariat")
    DINAS = "dinas", _l("Dinas")
    BADAN = "badan", _l("Badan")
    KECAMATAN = "kecamatan", _l("Kecamatan")
    KELURAHAN = "kelurahan", _l("Kelurahan")
    PUSKESMAS = "puskesmas", _l("Puskesmas")
    UPT = "upt", _l("UPT")
    BAGIAN = "bagian", _l("Bagian")


class Unit(db.Model):
    """A unit kerja (OPD, kecamatan, kelurahan, puskesmas...); units form a tree."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    time_zone: Mapped[TimeZone] = mapped_column(enum_column(TimeZone), default=TimeZone.WIB)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    head_id: Mapped[int | None] = mapped_column(
        ForeignKey("employees.id", use_alter=True, name="fk_units_head_id_employees")
    )
    address: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)
    # The unit's unor id in SIASN, mapped once by HR (Kelola → SIASN): a pulled employee's unor
    # names the unit they belong in.
    siasn_unor_id: Mapped[str | None] = mapped_column(String(64), unique=True)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.name")
    head: Mapped["Employee | None"] = relationship(foreign_keys=[head_id], post_update=True)
    counters: Mapped[list["ServiceCounter"]] = relationship(
        back_populates="unit", order_by="ServiceCounter.code"
    )

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class Position(db.Model):
    """A jabatan, named as the personnel records name it."""

    __tablename__ = "positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Employee(db.Model):
    """A pegawai (ASN), identified by NIP; or the PPK (is_ppk), who is no ASN and has none."""

    __tablename__ = "employees"
    __table_args__ = (CheckConstraint("nip IS NOT NULL OR is_ppk", name="ck_employees_nip_unless_ppk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The PPK (Bupati/Wali Kota) is a row here rather than a model of its own: a login (User)
    # is always an employee's, and every page reads user.employee, so a PPK who logs in needs
    # this row. Only the PPK may lack a NIP (the check above); the PPK has no unit and no
    # supervisor, so the unit-scoped lists, the recap and the curve never count them, and
    # the few all-employee lists leave them out by is_ppk (org.employees_page and the API).
    nip: Mapped[str | None] = mapped_column(String(18), unique=True)
    is_ppk: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    name: Mapped[str] = mapped_column(String(200), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id"))
    # Nullable: a newly appointed employee may exist before being placed in a unit.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(default=True)
    # Master data from the personnel records (organisation/asn.py); all optional, as employees
    # recorded before it was kept have none. The rank shows on every appraisal form; the jenjang
    # of a fungsional decides the angka kredit.
    asn_status: Mapped[AsnStatus | None] = mapped_column(enum_column(AsnStatus))
    rank: Mapped[Rank | None] = mapped_column(enum_column(Rank))
    rank_tmt: Mapped[date | None] = mapped_column(Date)  # TMT: from when the rank holds
    position_kind: Mapped[PositionKind | None] = mapped_column(enum_column(PositionKind))
    jenjang: Mapped[Jenjang | None] = mapped_column(enum_column(Jenjang))

    position: Mapped[Position | None] = relationship()
    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    supervisor: Mapped["Employee | None"] = relationship(
        remote_side=[id], back_populates="direct_reports"
    )
    direct_reports: Mapped[list["Employee"]] = relationship(
        back_populates="supervisor", order_by="Employee.name"
    )
    user: Mapped["User | None"] = relationship(back_populates="employee")

    @property
    def time_zone(self) -> TimeZone:
        """The zone the employee's day runs in: their unit's (WIB without a unit)."""
        return self.unit.time_zone if self.unit is not None else DEFAULT_ZONE

    @property
    def position_name(self) -> str:
        return self.position.name if self.position else ""

    def __repr__(self) -> str:
        return f"<Employee {self.nip}>"


class User(UserMixin, db.Model):
    """A login. Every user is an employee; HR and admin are roles granted on top."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), unique=True)
    username: Mapped[str | None] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_hr: Mapped[bool] = mapped_column(default=False)
    is_admin: Mapped[bool] = mapped_column(default=False)
    enabled: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Two-factor login (organisation/two_factor.py). The TOTP secret is the base32 key the
    # authenticator app holds. It is stored as it is, not encrypted: the server must read it to
    # check a code, so the key to decrypt it would live on the same server (from SECRET_KEY,
    # whose rotation would then silently break every enrolment). That would help only against a
    # copy of the database without the server's configuration; backups are guarded as the
    # database is, and the password is still needed besides.
    totp_secret: Mapped[str | None] = mapped_column(String(32))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The time step (30 s) of the last code accepted: a code, or an earlier one, is good once.
    totp_last_step: Mapped[int | None] = mapped_column()

    employee: Mapped[Employee] = relationship(back_populates="user", lazy="joined")

    # Set for the request by the login or the session loader: "<user id>:<login session token>".
    session_key = None  # (a plain attribute: not a column)

    def get_id(self) -> str:
        """What Flask-Login keeps in the cookie: the user and the login session (a record the
        server can end), never the user alone."""
        if self.session_key is None:
            raise RuntimeError("log in through organisation.sessions.start")
        return self.session_key

    @property
    def is_active(self) -> bool:
        return self.enabled and self.employee.active

    @property
    def display_name(self) -> str:
        return self.employee.name

    @property
    def roles(self) -> list[str]:
        return [role for role, granted in (("hr", self.is_hr), ("admin", self.is_admin)) if granted]


counter_services = Table(
    "counter_services",
    db.metadata,
    Column("counter_id", ForeignKey("service_counters.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
)


class Service(db.Model):
    """A public service offered at counters (KTP-el, akta kelahiran, izin usaha...)."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class ServiceCounter(db.Model):
    """A loket: the place in a unit where citizens are served."""

    __tablename__ = "service_counters"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    location: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)

    unit: Mapped[Unit] = relationship(back_populates="counters")
    services: Mapped[list[Service]] = relationship(
        secondary=counter_services, order_by=Service.name
    )


class LoginSession(db.Model):
    """One login on one device, kept on the server so that it can be ended: by logging out,
    a password change or reset, deactivation, the person ("log out my other devices") or an
    admin. The cookie carries its token; only the token's hash is stored."""
    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_reason: Mapped[str | None] = mapped_column(String(20))

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A single-use code that completes a two-factor login without the phone; ten are shown
    once at enrolment. Only the SHA-256 of a code is kept: each is 10 random characters (about
    50 bits), so unlike a password it cannot be found from its hash by trying likely values, and
    a slow hash would add nothing."""
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class GovernmentIdentity(db.Model):
    """The kabupaten's (or kota's) own identity: the name on every letterhead and page header,
    its logo, where documents are signed and the accent colour. One row (id 1), kept by admins
    through organisation/identity.py, which every page and document reads it from.

    The logo is a re-encoded PNG of a few kilobytes, kept in the row rather than in the instance
    folder: every app server and every backup then has it with the rest of the data."""
    __tablename__ = "government_identity"
    __table_args__ = (CheckConstraint("id = 1", name="ck_government_identity_one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    government_name: Mapped[str] = mapped_column(String(200))   # Pemerintah Kabupaten Bulungan
    short_name: Mapped[str] = mapped_column(String(60))         # Kab. Bulungan
    place: Mapped[str] = mapped_column(String(100))             # Tanjung Selor
    accent: Mapped[str | None] = mapped_column(String(7))       # #0b5394; None: Kinerja's own
    # Deferred: the pages read the names on every request, the logo only its own URL and PDFs.
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    # Grows with every change; names the logo's and the stylesheet's URLs so caches keep them
    # for a year and drop them the moment the identity changes.
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    updated_by: Mapped["User | None"] = relationship()


class PpkTerm(db.Model):
    """Who is the Pejabat Pembina Kepegawaian (the Bupati/Wali Kota) and for how long: the PPK
    appraises the top of the chart and hears the objections no ASN is above. Kept as terms so
    that a decision made under a former PPK still names them (organisation/authority.py)."""
    __tablename__ = "ppk_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))        # Bupati Bulungan
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)      # None: still in office
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    employee: Mapped[Employee] = relationship()


class ActingKind(LabelledEnum):
    PLT = "plt", _l("Plt.")   # pelaksana tugas: the post is vacant or its holder cannot serve
    PLH = "plh", _l("Plh.")   # pelaksana harian: the holder is away for a while


class ActingOfficial(db.Model):
    """A Plt/Plh recorded by HR: `employee` acts from `starts_on` to `ends_on` (both included)
    in place of `replaces` or as head of `unit` (in place of its head as the chart names it),
    and during that time appraises and approves for them."""
    __tablename__ = "acting_officials"
    __table_args__ = (
        CheckConstraint("unit_id IS NOT NULL OR replaces_id IS NOT NULL",
                        name="ck_acting_officials_in_place_of_someone"),
        CheckConstraint("ends_on >= starts_on", name="ck_acting_officials_dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    kind: Mapped[ActingKind] = mapped_column(enum_column(ActingKind))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    replaces: Mapped[Employee | None] = relationship(foreign_keys=[replaces_id])
    unit: Mapped[Unit | None] = relationship()

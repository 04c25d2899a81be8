"""WTForms for the portal. Field rules only; domain rules live in kinerja.services."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from kinerja.core.calendar import Cadence, TimeZone
from kinerja.organisation.asn import AsnStatus, Jenjang, MasterData, PositionKind, Rank
from kinerja.organisation.models import UnitKind
from kinerja.performance.models import Aspect, Perspective, RhkKind
from web.forms import Form, NumberField, options


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class LoginForm(Form):
    identifier = StringField(_l("NIP atau nama pengguna"),
                             validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(), Length(max=200)])


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Kata sandi saat ini"),
                                     validators=[DataRequired(), Length(max=200)])
    new_password = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(_l("Ulangi kata sandi baru"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("Kedua isian kata sandi baru berbeda."))
    ])


class TwoFactorCodeForm(Form):
    """A code from the authenticator app (6 digits) or, at login, a recovery code."""
    code = StringField(_l("Kode verifikasi"), validators=[DataRequired(), Length(max=24)])


NIP_FIELD_RULE = Regexp(r"^[\d .-]{18,24}$", message=_l("NIP terdiri dari 18 digit angka."))


def optional_enum(cls):
    """A select's coerce for an optional enum: blank is None."""
    return lambda value: cls(value) if value not in (None, "", "None") else None


def _blank_first(cls):
    return options([("", _l("— belum diisi —")), *((m.value, m.label) for m in cls)])


class EmployeeForm(Form):
    nip = StringField(_l("NIP"), validators=[DataRequired(), NIP_FIELD_RULE])
    name = StringField(_l("Nama lengkap (dengan gelar)"),
                       validators=[DataRequired(), Length(max=200)])
    position = StringField(_l("Jabatan"), validators=[Optional(), Length(max=200)])
    unit_id = SelectField(_l("Unit kerja"), coerce=optional_int, validate_choice=True)
    supervisor_nip = StringField(_l("NIP atasan langsung"),
                                 validators=[Optional(), NIP_FIELD_RULE])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Telepon"), validators=[Optional(), Length(max=30),
                        Regexp(r"^[+\d ()-]*$", message=_l("Nomor telepon hanya angka."))])
    active = BooleanField(_l("Aktif"), default=True)
    # Master data (organisation/asn.py): blank is allowed, as for the employees recorded before.
    asn_status = SelectField(_l("Status kepegawaian"), coerce=optional_enum(AsnStatus),
                             choices=_blank_first(AsnStatus))
    rank = SelectField(_l("Pangkat/golongan ruang"), coerce=optional_enum(Rank), choices=[
        SelectChoice("", _l("— belum diisi —")),
        *(SelectChoice(r.value, r.label, optgroup=r.status.label) for r in Rank)])
    rank_tmt = DateField(_l("TMT pangkat/golongan"), validators=[Optional()])
    position_kind = SelectField(_l("Jenis jabatan"), coerce=optional_enum(PositionKind),
                                choices=_blank_first(PositionKind))
    jenjang = SelectField(_l("Jenjang jabatan fungsional"), coerce=optional_enum(Jenjang),
                          choices=_blank_first(Jenjang))

    def master_data(self) -> MasterData:
        return MasterData(self.asn_status.data, self.rank.data, self.rank_tmt.data,
                          self.position_kind.data, self.jenjang.data)


class UnitForm(Form):
    code = StringField(_l("Kode unit"), validators=[
        DataRequired(), Length(max=30),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Kode hanya huruf, angka, titik dan tanda hubung.")),
    ])
    name = StringField(_l("Nama unit"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Jenis unit"), choices=options((k.value, k.value.title()) for k in UnitKind))
    time_zone = SelectField(_l("Zona waktu"), choices=options([
        (TimeZone.WIB.value, "WIB (Asia/Jakarta)"),
        (TimeZone.WITA.value, "WITA (Asia/Makassar)"),
        (TimeZone.WIT.value, "WIT (Asia/Jayapura)"),
    ]))
    parent_id = SelectField(_l("Unit induk"), coerce=optional_int, validate_choice=True)
    head_nip = StringField(_l("NIP kepala unit"), validators=[Optional(), NIP_FIELD_RULE])
    address = StringField(_l("Alamat"), validators=[Optional(), Length(max=300)])
    active = BooleanField(_l("Aktif"), default=True)


class CounterForm(Form):
    code = StringField(_l("Kode loket"), validators=[
        DataRequired(), Length(max=30),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Kode hanya huruf, angka, titik dan tanda hubung.")),
    ])
    name = StringField(_l("Nama loket"), validators=[DataRequired(), Length(max=200)])
    unit_id = SelectField(_l("Unit"), coerce=optional_int, validate_choice=True,
                          validators=[DataRequired(message=_l("Pilih unit."))])
    location = StringField(_l("Lokasi"), validators=[Optional(), Length(max=200)])
    service_ids = SelectMultipleField(_l("Layanan"), coerce=int, option_widget=CheckboxInput(),
                                      widget=ListWidget(prefix_label=False))
    active = BooleanField(_l("Aktif"), default=True)


class ServiceForm(Form):
    code = StringField(_l("Kode layanan"), validators=[
        DataRequired(), Length(max=30),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Kode hanya huruf, angka, titik dan tanda hubung.")),
    ])
    name = StringField(_l("Nama layanan"), validators=[DataRequired(), Length(max=200)])


class ImportForm(Form):
    file = FileField(_l("Berkas CSV atau XLSX"), validators=[FileRequired(_l("Pilih berkas."))])


class AccountForm(Form):
    username = StringField(_l("Nama pengguna (opsional)"), validators=[Optional(), Length(max=60)])
    is_hr = BooleanField(_l("Peran HR (kepegawaian)"))
    is_admin = BooleanField(_l("Peran admin sistem"))


class ConfirmForm(Form):
    """An empty form: a POST button that carries only the CSRF token."""


class PpkScanForm(Form):
    """HR transcribing a decision the PPK signed on paper: the signed scan is required."""
    scan = FileField(_l("Pindaian persetujuan yang ditandatangani PPK (PDF atau gambar)"))


# ---------------------------------------------------------------- SKP

class PeriodForm(Form):
    year = IntegerField(_l("Tahun"), validators=[DataRequired(), NumberRange(2000, 2100)])
    cadence = SelectField(_l("Siklus penilaian periodik"), choices=options([
        (Cadence.MONTHLY.value, _l("Bulanan")), (Cadence.QUARTERLY.value, _l("Triwulanan"))]))


class UnitGoalForm(Form):
    text = StringField(_l("Sasaran unit"), validators=[DataRequired(), Length(max=500)])


class RhkForm(Form):
    text = TextAreaField(_l("Rencana hasil kerja (RHK)"), validators=[DataRequired(), Length(max=500)])
    kind = SelectField(_l("Jenis"), choices=options([(RhkKind.MAIN.value, _l("Utama")),
                                                     (RhkKind.ADDITIONAL.value, _l("Tambahan"))]))
    # Choices ("rhk:<id>" / "goal:<id>") are checked by the service against the real options.
    parent = StringField(_l("Mengintervensi"), validators=[Optional(), Length(max=30)])
    # Asked on a JPT's plan only (performance/perspectives.py); the service ignores it elsewhere.
    perspective = SelectField(_l("Perspektif"), choices=options(
        [("", _l("— pilih perspektif —")), *((p.value, p.label) for p in Perspective)]),
        validators=[Optional()])


DIRECTION_HIGHER, DIRECTION_LOWER = "naik", "turun"


class IndicatorForm(Form):
    aspect = SelectField(_l("Aspek"), choices=options([
        (Aspect.QUANTITY.value, _l("Kuantitas")), (Aspect.QUALITY.value, _l("Kualitas")),
        (Aspect.TIME.value, _l("Waktu")), (Aspect.COST.value, _l("Biaya"))]))
    text = StringField(_l("Indikator"), validators=[DataRequired(), Length(max=500)])
    # Not required here: a kualitatif indicator has neither; the service asks for them otherwise.
    target = NumberField(_l("Target"), validators=[Optional(), Length(max=20)])
    unit_of_measure = StringField(_l("Satuan"), validators=[Optional(), Length(max=40)])
    qualitative = BooleanField(_l("Indikator kualitatif (tanpa angka)"))
    target_text = TextAreaField(_l("Target kualitatif (uraian)"),
                                validators=[Optional(), Length(max=1000)])
    # "" lets the aspect decide for a new indicator (waktu and biaya: lower is better).
    direction = SelectField(_l("Arah capaian"), choices=options([
        ("", _l("Menurut aspek")), (DIRECTION_HIGHER, _l("Makin besar makin baik")),
        (DIRECTION_LOWER, _l("Makin kecil makin baik (waktu, biaya)"))]),
        validators=[Optional()])


def lower_is_better(direction: str | None) -> bool | None:
    """The indicator form's direction as the SKP service takes it (None: from the aspect)."""
    return {DIRECTION_HIGHER: False, DIRECTION_LOWER: True}.get(direction or "")


class ReturnForm(Form):
    comment = TextAreaField(_l("Catatan perbaikan untuk pegawai"),
                            validators=[DataRequired(), Length(max=2000)])


class KioskForm(Form):
    name = StringField(_l("Nama perangkat"), validators=[DataRequired(), Length(max=100)],
                       default="Tablet loket")

"""NIP (Nomor Induk Pegawai) parsing: 18 digits = birth date, CPNS appointment, sex, sequence."""
import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

NIP_LENGTH = 18
MIN_AGE_AT_APPOINTMENT = 18


class InvalidNip(ValueError):
    pass


@dataclass(frozen=True)
class Nip:
    value: str
    birth_date: date
    appointed_year: int
    appointed_month: int
    sex: str  # "L" laki-laki (digit 1) or "P" perempuan (digit 2)
    sequence: int


def normalise_nip(raw: str) -> str:
    """NIPs are often written in groups ("19850312 201001 1 003"); keep only the digits' text."""
    return re.sub(r"[\s.\-]", "", raw or "")


def parse_nip(raw: str, today: date | None = None) -> Nip:
    value = normalise_nip(raw)
    if not value.isdigit() or not value.isascii():
        raise InvalidNip(_l("NIP hanya boleh berisi angka."))
    if len(value) != NIP_LENGTH:
        raise InvalidNip(_l("NIP harus 18 digit (sekarang %(n)s digit).", n=len(value)))
    try:
        birth_date = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise InvalidNip(_l("Tanggal lahir dalam NIP (digit 1-8) bukan tanggal yang sah.")) from None
    year, month = int(value[8:12]), int(value[12:14])
    if not 1 <= month <= 12:
        raise InvalidNip(_l("Bulan pengangkatan dalam NIP (digit 13-14) harus 01 sampai 12."))
    today = today or date.today()
    if birth_date > today:
        raise InvalidNip(_l("Tanggal lahir dalam NIP ada di masa depan."))
    if (year, month) > (today.year, today.month):
        raise InvalidNip(_l("Tanggal pengangkatan dalam NIP ada di masa depan."))
    if year - birth_date.year < MIN_AGE_AT_APPOINTMENT:
        raise InvalidNip(_l("Pengangkatan dalam NIP terjadi sebelum usia 18 tahun."))
    sex_digit = value[14]
    if sex_digit not in "12":
        raise InvalidNip(_l("Digit ke-15 NIP (jenis kelamin) harus 1 atau 2."))
    sequence = int(value[15:18])
    if sequence == 0:
        raise InvalidNip(_l("Nomor urut dalam NIP (digit 16-18) tidak boleh 000."))
    return Nip(value, birth_date, year, month, "L" if sex_digit == "1" else "P", sequence)


def is_valid_nip(raw: str) -> bool:
    try:
        parse_nip(raw)
    except InvalidNip:
        return False
    return True

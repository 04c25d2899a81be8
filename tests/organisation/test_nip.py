"""NIP: 18 digits carrying a birth date, an appointment month, a sex digit and a sequence."""
from datetime import date

import pytest

from kinerja.organisation.nip import InvalidNip, normalise_nip, parse_nip

TODAY = date(2026, 11, 27)


def test_a_valid_nip_is_read_into_its_parts():
    nip = parse_nip("198503122010011003", TODAY)
    assert nip.birth_date == date(1985, 3, 12)
    assert (nip.appointed_year, nip.appointed_month) == (2010, 1)
    assert nip.sex == "L"
    assert nip.sequence == 3


def test_grouped_nip_is_accepted():
    assert parse_nip("19850312 201001 2 003", TODAY).sex == "P"
    assert normalise_nip("19850312.201001-1-003") == "198503122010011003"


@pytest.mark.parametrize(("raw", "reason"), [
    ("19850312201001100", "18 digit"),            # 17 digits
    ("1985031220100110031", "18 digit"),          # 19 digits
    ("19850312201001100A", "hanya boleh berisi angka"),
    ("198502302010011003", "Tanggal lahir"),      # 30 February
    ("198513122010011003", "Tanggal lahir"),      # month 13
    ("198503122010131003", "Bulan pengangkatan"),  # appointed in month 13
    ("198503122010001003", "Bulan pengangkatan"),  # month 00
    ("198503122010013003", "jenis kelamin"),      # sex digit 3
    ("198503122010010003", "jenis kelamin"),      # sex digit 0
    ("198503122010011000", "000"),
    ("203001012050011001", "masa depan"),          # born in the future
    ("198503122027011003", "masa depan"),          # appointed after today
    ("200503122010011003", "usia 18"),            # appointed at five
    ("١٩٨٥٠٣١٢٢٠١٠٠١١٠٠٣", "hanya boleh berisi angka"),  # Arabic-Indic digits
])
def test_invalid_nips_are_refused_with_the_reason(raw, reason):
    with pytest.raises(InvalidNip) as problem:
        parse_nip(raw, TODAY)
    assert reason in str(problem.value.args[0])


def test_leap_day_birth_is_a_real_date():
    assert parse_nip("198402292010011003", TODAY).birth_date == date(1984, 2, 29)

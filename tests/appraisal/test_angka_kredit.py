"""Angka kredit (PermenPANRB 1/2023, art. 37): the predikat's percentage of the jenjang's yearly
coefficient, pro rata for the months an evaluation covers; worked out by hand below."""
from decimal import Decimal

import pytest

from kinerja.appraisal.angka_kredit import angka_kredit, credit_for
from kinerja.appraisal.predikat import Predikat
from kinerja.organisation.asn import Jenjang, PositionKind

SB, B, BP, K, SK = (Predikat.VERY_GOOD, Predikat.GOOD, Predikat.NEEDS_IMPROVEMENT,
                    Predikat.POOR, Predikat.VERY_POOR)


@pytest.mark.parametrize(("jenjang", "predikat", "worked", "expected"), [
    # Keterampilan
    (Jenjang.PEMULA, SB, "3.75 x 150%", "5.625"),
    (Jenjang.PEMULA, B, "3.75 x 100%", "3.75"),
    (Jenjang.PEMULA, BP, "3.75 x 75% = 2.8125", "2.813"),   # half up at the third decimal
    (Jenjang.PEMULA, K, "3.75 x 50%", "1.875"),
    (Jenjang.PEMULA, SK, "3.75 x 25% = 0.9375", "0.938"),
    (Jenjang.TERAMPIL, SB, "5 x 150%", "7.5"),
    (Jenjang.TERAMPIL, B, "5 x 100%", "5"),
    (Jenjang.TERAMPIL, BP, "5 x 75%", "3.75"),
    (Jenjang.TERAMPIL, K, "5 x 50%", "2.5"),
    (Jenjang.TERAMPIL, SK, "5 x 25%", "1.25"),
    (Jenjang.MAHIR, SB, "12.5 x 150%", "18.75"),
    (Jenjang.MAHIR, B, "12.5 x 100%", "12.5"),
    (Jenjang.MAHIR, BP, "12.5 x 75%", "9.375"),
    (Jenjang.MAHIR, K, "12.5 x 50%", "6.25"),
    (Jenjang.MAHIR, SK, "12.5 x 25%", "3.125"),
    (Jenjang.PENYELIA, SB, "25 x 150%", "37.5"),
    (Jenjang.PENYELIA, B, "25 x 100%", "25"),
    (Jenjang.PENYELIA, BP, "25 x 75%", "18.75"),
    (Jenjang.PENYELIA, K, "25 x 50%", "12.5"),
    (Jenjang.PENYELIA, SK, "25 x 25%", "6.25"),
    # Keahlian
    (Jenjang.AHLI_PERTAMA, SB, "12.5 x 150%", "18.75"),
    (Jenjang.AHLI_PERTAMA, B, "12.5 x 100%", "12.5"),
    (Jenjang.AHLI_PERTAMA, BP, "12.5 x 75%", "9.375"),
    (Jenjang.AHLI_PERTAMA, K, "12.5 x 50%", "6.25"),
    (Jenjang.AHLI_PERTAMA, SK, "12.5 x 25%", "3.125"),
    (Jenjang.AHLI_MUDA, SB, "25 x 150%", "37.5"),
    (Jenjang.AHLI_MUDA, B, "25 x 100%", "25"),
    (Jenjang.AHLI_MUDA, BP, "25 x 75%", "18.75"),
    (Jenjang.AHLI_MUDA, K, "25 x 50%", "12.5"),
    (Jenjang.AHLI_MUDA, SK, "25 x 25%", "6.25"),
    (Jenjang.AHLI_MADYA, SB, "37.5 x 150%", "56.25"),
    (Jenjang.AHLI_MADYA, B, "37.5 x 100%", "37.5"),
    (Jenjang.AHLI_MADYA, BP, "37.5 x 75% = 28.125", "28.125"),
    (Jenjang.AHLI_MADYA, K, "37.5 x 50%", "18.75"),
    (Jenjang.AHLI_MADYA, SK, "37.5 x 25%", "9.375"),
    (Jenjang.AHLI_UTAMA, SB, "50 x 150%", "75"),
    (Jenjang.AHLI_UTAMA, B, "50 x 100%", "50"),
    (Jenjang.AHLI_UTAMA, BP, "50 x 75%", "37.5"),
    (Jenjang.AHLI_UTAMA, K, "50 x 50%", "25"),
    (Jenjang.AHLI_UTAMA, SK, "50 x 25%", "12.5"),
])
def test_a_year_earns_the_predikats_share_of_the_yearly_coefficient(jenjang, predikat, worked,
                                                                     expected):
    assert angka_kredit(predikat, jenjang) == Decimal(expected), worked


def test_every_jenjang_and_predikat_is_covered():
    for jenjang in Jenjang:
        for predikat in Predikat:
            assert angka_kredit(predikat, jenjang) is not None


@pytest.mark.parametrize(("jenjang", "predikat", "months", "worked", "expected"), [
    # A month: a twelfth of the year's credit.
    (Jenjang.AHLI_MUDA, B, 1, "25 x 100% x 1/12 = 2.08333", "2.083"),
    (Jenjang.AHLI_MUDA, SB, 1, "25 x 150% x 1/12 = 3.125", "3.125"),
    (Jenjang.TERAMPIL, B, 1, "5 x 100% x 1/12 = 0.41667", "0.417"),
    (Jenjang.PEMULA, SK, 1, "3.75 x 25% x 1/12 = 0.078125", "0.078"),
    (Jenjang.AHLI_UTAMA, BP, 1, "50 x 75% x 1/12 = 3.125", "3.125"),
    # A quarter: a quarter of it.
    (Jenjang.AHLI_PERTAMA, B, 3, "12.5 x 100% x 3/12 = 3.125", "3.125"),
    (Jenjang.PENYELIA, K, 3, "25 x 50% x 3/12 = 3.125", "3.125"),
    (Jenjang.AHLI_MADYA, SB, 3, "37.5 x 150% x 3/12 = 14.0625", "14.063"),
    # Part of a year (an SKP from July): six months.
    (Jenjang.MAHIR, B, 6, "12.5 x 100% x 6/12", "6.25"),
])
def test_a_periodic_point_earns_its_months_share(jenjang, predikat, months, worked, expected):
    assert angka_kredit(predikat, jenjang, months) == Decimal(expected), worked


def test_twelve_monthly_credits_make_about_the_years():
    monthly = angka_kredit(B, Jenjang.AHLI_MUDA, 1)
    assert monthly * 12 == Decimal("24.996")  # three decimals each: within 0.01 of 25
    assert angka_kredit(B, Jenjang.AHLI_MUDA, 12) == Decimal(25)


def test_nothing_without_a_predikat_or_a_jenjang():
    assert angka_kredit(None, Jenjang.AHLI_MUDA) is None
    assert angka_kredit(B, None) is None


@pytest.mark.parametrize("months", [0, 13, -1])
def test_months_outside_a_year_are_refused(months):
    with pytest.raises(ValueError, match="months"):
        angka_kredit(B, Jenjang.AHLI_MUDA, months)


@pytest.mark.parametrize("kind", [k for k in PositionKind if k is not PositionKind.FUNGSIONAL]
                         + [None])
def test_only_a_fungsional_earns_angka_kredit(kind):
    assert credit_for(kind, Jenjang.AHLI_MUDA, B, 12) is None
    assert credit_for(PositionKind.FUNGSIONAL, Jenjang.AHLI_MUDA, B, 12) == Decimal(25)
    assert credit_for(PositionKind.FUNGSIONAL, None, B, 12) is None

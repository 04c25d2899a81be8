"""The predikat matrix and the distribution curve, on plain values (PermenPANRB 6/2022)."""
import pytest

from kinerja.appraisal.predikat import (
    DEFAULT_LIMITS,
    Limit,
    OrganisationPredikat,
    Predikat,
    Rating,
    check_distribution,
    needs_development,
    predikat,
    suggested_overall,
)

ABOVE, AS_EXPECTED, BELOW = Rating.ABOVE, Rating.AS_EXPECTED, Rating.BELOW
SB, B, BP, K, SK = (Predikat.VERY_GOOD, Predikat.GOOD, Predikat.NEEDS_IMPROVEMENT,
                    Predikat.POOR, Predikat.VERY_POOR)


@pytest.mark.parametrize("result, behaviour, expected", [
    (ABOVE, ABOVE, SB), (ABOVE, AS_EXPECTED, B), (ABOVE, BELOW, K),
    (AS_EXPECTED, ABOVE, B), (AS_EXPECTED, AS_EXPECTED, B), (AS_EXPECTED, BELOW, K),
    (BELOW, ABOVE, BP), (BELOW, AS_EXPECTED, BP), (BELOW, BELOW, SK),
])
def test_every_cell_of_the_matrix(result, behaviour, expected):
    assert predikat(result, behaviour) is expected


def test_the_matrix_takes_stored_string_values():
    assert predikat("di_atas", "di_atas") is SB


@pytest.mark.parametrize("value, needed", [(SB, False), (B, False), (BP, True), (K, True),
                                           (SK, True), (None, False)])
def test_low_predikat_leads_to_development(value, needed):
    assert needs_development(value) is needed


@pytest.mark.parametrize("ratings, expected", [
    ([], None),
    ([ABOVE, ABOVE, AS_EXPECTED], ABOVE),
    ([BELOW, BELOW, ABOVE], BELOW),
    ([ABOVE, BELOW], AS_EXPECTED),             # a tie between the ends
    ([ABOVE, AS_EXPECTED], AS_EXPECTED),       # a tie with Sesuai
    (["di_bawah"], BELOW),
])
def test_suggested_overall_rating(ratings, expected):
    assert suggested_overall(ratings) == expected


def counts(**by_short):
    names = {"SB": SB, "B": B, "BP": BP, "K": K, "SK": SK}
    return {names[k]: v for k, v in by_short.items()}


def breached(organisation, given):
    return [(sorted(p.value for p in b.limit.predikats), b.count)
            for b in check_distribution(organisation, given)]


def test_an_exceptional_organisation_may_give_very_good_to_at_most_seventy_percent():
    assert breached(OrganisationPredikat.EXCEPTIONAL, counts(SB=7, B=3)) == []
    assert breached(OrganisationPredikat.EXCEPTIONAL, counts(SB=8, B=2)) == [(["sangat_baik"], 8)]


def test_a_good_organisation_needs_someone_below_good():
    assert breached(OrganisationPredikat.GOOD, counts(B=7, SB=3)) == [
        (["butuh_perbaikan", "kurang"], 0)]
    assert breached(OrganisationPredikat.GOOD, counts(B=7, SB=2, BP=1)) == []
    assert breached(OrganisationPredikat.GOOD, counts(B=8, BP=2)) == [(["baik"], 8)]


def test_a_needs_improvement_organisation():
    assert breached(OrganisationPredikat.NEEDS_IMPROVEMENT, counts(BP=6, SB=1, B=3)) == []
    assert breached(OrganisationPredikat.NEEDS_IMPROVEMENT, counts(BP=5, SB=2, B=3)) == [
        (["butuh_perbaikan"], 5), (["sangat_baik"], 2)]


def test_a_poor_organisation():
    assert breached(OrganisationPredikat.POOR, counts(K=6, BP=1, SB=1, B=2)) == []
    assert breached(OrganisationPredikat.POOR, counts(K=6, B=4)) == [(["butuh_perbaikan"], 0)]


def test_a_very_poor_organisation_gives_nobody_very_good():
    assert breached(OrganisationPredikat.VERY_POOR, counts(SK=6, K=1, B=3)) == []
    assert breached(OrganisationPredikat.VERY_POOR, counts(SK=6, BP=1, B=2, SB=1)) == [
        (["sangat_baik"], 1)]


def test_limits_are_exact_at_the_boundary():
    # 7 of 10 is exactly 70%: allowed; 70.1% would not be.
    assert breached(OrganisationPredikat.EXCEPTIONAL, counts(SB=7, B=3)) == []
    assert breached(OrganisationPredikat.EXCEPTIONAL, counts(SB=701, B=299)) == [
        (["sangat_baik"], 701)]


def test_nobody_rated_breaks_nothing():
    assert check_distribution(OrganisationPredikat.GOOD, {}) == []


def test_a_custom_table_replaces_the_default():
    strict = [Limit(OrganisationPredikat.GOOD, frozenset({SB}), max_percent=10)]
    found = check_distribution(OrganisationPredikat.GOOD, counts(SB=2, B=8), strict)
    assert [(b.count, b.total) for b in found] == [(2, 10)]


def test_the_default_table_covers_every_organisation_predikat():
    assert {limit.organisation for limit in DEFAULT_LIMITS} == set(OrganisationPredikat)

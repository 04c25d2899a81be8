"""The ranking arithmetic of awards, with plain values (kinerja.recognition.award_ranking)."""
from fractions import Fraction

import pytest

from kinerja.appraisal.predikat import Predikat
from kinerja.recognition import award_ranking
from kinerja.recognition.award_ranking import CandidateFacts, WeightsInvalid, check_weights, rank

WEIGHTS = {"predikat": 30, "realisation": 25, "satisfaction": 20, "regularity": 15,
           "nomination": 10}
EVEN = {name: 20 for name in award_ranking.CRITERIA}


def test_a_hand_computed_ranking():
    ani = CandidateFacts(1, "Ani", Predikat.GOOD,
                         realisation_ratios=(Fraction(1, 2), Fraction(3, 2)),  # 50%, 150% -> 100%
                         respondents=10, score_sum=35, active_days=18, working_days=20,
                         nominated=True)
    budi = CandidateFacts(2, "Budi", Predikat.VERY_GOOD, realisation_ratios=(Fraction(1, 3),),
                          respondents=4, score_sum=16, active_days=20, working_days=20)
    rows = rank([budi, ani], WEIGHTS, min_respondents=5)

    first, second = rows
    assert (first.rank, first.name, second.rank, second.name) == (1, "Ani", 2, "Budi")
    c = first.criteria
    # B = 75; (50 + 100) / 2 = 75; 3.5 x 25 = 87.5; 18 / 20 = 90; nominated 100.
    assert [c[n].value for n in award_ranking.CRITERIA] == [75, 75, Fraction(175, 2), 90, 100]
    # weight x value / 100: 22.5 + 18.75 + 17.5 + 13.5 + 10 = 82.25
    assert [c[n].contribution for n in award_ranking.CRITERIA] == [
        Fraction(45, 2), Fraction(75, 4), Fraction(35, 2), Fraction(27, 2), 10]
    assert first.total == Fraction(329, 4)
    assert str(award_ranking.two_decimals(first.total)) == "82.25"
    # SB 100 x 30% = 30; 33.33...% x 25% = 8.33...; too few respondents: 0; 100 x 15% = 15.
    b = second.criteria
    assert b["satisfaction"].short and b["satisfaction"].value == 0
    assert b["realisation"].contribution == Fraction(25, 3)
    assert second.total == Fraction(160, 3)
    assert str(award_ranking.two_decimals(second.total)) == "53.33"


def test_the_total_is_exact_and_rounded_half_up_only_for_display():
    assert str(award_ranking.two_decimals(Fraction(1, 200))) == "0.01"
    assert str(award_ranking.two_decimals(Fraction(2, 3))) == "0.67"
    facts = CandidateFacts(1, "A", realisation_ratios=(Fraction(1, 3),) * 3)
    row, = rank([facts], {**EVEN, "realisation": 20}, 0)
    assert row.total == Fraction(20, 3)  # 33 1/3 x 20 / 100, not 6.67 carried further


def test_predikat_values():
    values = {p: award_ranking.predikat_value(p) for p in Predikat}
    assert values == {Predikat.VERY_GOOD: 100, Predikat.GOOD: 75, Predikat.NEEDS_IMPROVEMENT: 50,
                      Predikat.POOR: 25, Predikat.VERY_POOR: 0}
    assert award_ranking.predikat_value(None) == 0


def test_ties_are_broken_by_the_stated_rule():
    # Every total is 20 (one criterion at 100 with weight 20).
    by_predikat = CandidateFacts(1, "Zaki", Predikat.VERY_GOOD)
    by_satisfaction = CandidateFacts(2, "Yuni", respondents=3, score_sum=12)
    by_realisation = CandidateFacts(3, "Agus", realisation_ratios=(Fraction(1),))
    same_a = CandidateFacts(4, "Bambang", active_days=5, working_days=5)
    same_b = CandidateFacts(5, "bagus", active_days=5, working_days=5)
    rows = rank([same_b, by_realisation, same_a, by_satisfaction, by_predikat], EVEN, 3)
    assert {row.total for row in rows} == {20}
    assert [row.name for row in rows] == ["Zaki", "Yuni", "Agus", "bagus", "Bambang"]
    assert [row.rank for row in rows] == [1, 2, 3, 4, 5]
    assert [award_ranking.tie_broken_by(rows, n) for n in range(5)] == [
        None, "predikat", "satisfaction", "realisation", "name"]


def test_a_higher_total_wins_over_any_tie_rule():
    strong = CandidateFacts(1, "Zulfa", active_days=5, working_days=5, nominated=True)
    sb = CandidateFacts(2, "Ahmad", Predikat.VERY_GOOD)
    rows = rank([sb, strong], EVEN, 0)
    assert [r.name for r in rows] == ["Zulfa", "Ahmad"]
    assert award_ranking.tie_broken_by(rows, 1) is None


@pytest.mark.parametrize(("respondents", "counted"), [(5, True), (4, False), (0, False)])
def test_satisfaction_counts_only_from_the_minimum_of_respondents(respondents, counted):
    value, short = award_ranking.satisfaction_value(respondents, 3 * respondents, 5)
    assert short is not counted
    assert value == (75 if counted else 0)


def test_no_respondents_is_short_even_without_a_minimum():
    assert award_ranking.satisfaction_value(0, 0, 0) == (0, True)
    assert award_ranking.satisfaction_value(1, 4, 0) == (100, False)


def test_realisation_caps_each_indicator_and_regularity_at_100():
    assert award_ranking.realisation_value((Fraction(2), Fraction(0))) == 50
    assert award_ranking.realisation_value(()) == 0
    assert award_ranking.regularity_value(7, 5) == 100
    assert award_ranking.regularity_value(3, 0) == 0


@pytest.mark.parametrize(("weights", "reason"), [
    ({**WEIGHTS, "nomination": 9}, "sum"),
    ({**WEIGHTS, "nomination": 11}, "sum"),
    ({**WEIGHTS, "predikat": -10, "nomination": 50}, "range"),
    ({**WEIGHTS, "predikat": 30.0}, "range"),
    ({**WEIGHTS, "predikat": True}, "range"),
    ({**WEIGHTS, "predikat": 130, "realisation": -5, "satisfaction": -5, "regularity": -10,
      "nomination": -10}, "range"),
    ({k: v for k, v in WEIGHTS.items() if k != "nomination"}, "criteria"),
    ({**WEIGHTS, "masa_kerja": 0}, "criteria"),
])
def test_weights_must_be_whole_numbers_summing_to_100(weights, reason):
    with pytest.raises(WeightsInvalid) as problem:
        check_weights(weights)
    assert problem.value.reason == reason
    with pytest.raises(WeightsInvalid):
        rank([], weights, 0)


def test_valid_weights_include_zero():
    check_weights({"predikat": 100, "realisation": 0, "satisfaction": 0, "regularity": 0,
                   "nomination": 0})
    assert problem_total({**WEIGHTS, "nomination": 9}) == 99


def problem_total(weights):
    try:
        check_weights(weights)
    except WeightsInvalid as problem:
        return problem.total
    return None

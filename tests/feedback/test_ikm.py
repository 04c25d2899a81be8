"""IKM arithmetic against hand-worked examples and the regulation's interval boundaries."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja.feedback import ikm


def all_elements(value: int) -> dict[str, int]:
    return {element: value for element in ikm.ELEMENTS}


def test_worked_example_by_hand():
    # Three respondents. U1: 3,4,3 -> NRR 10/3; U2..U9 as below.
    answers = [
        {"U1": 3, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 2, "U9": 3},
        {"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 3, "U9": 3},
        {"U1": 3, "U2": 4, "U3": 2, "U4": 4, "U5": 4, "U6": 3, "U7": 3, "U8": 2, "U9": 4},
    ]
    result = ikm.compute_from_answers(answers)
    assert result.respondents == 3
    assert result.nrr["U1"] == Decimal(10) / 3
    assert result.nrr["U3"] == Decimal(7) / 3
    # Sum of NRR = (10+10+7+12+10+10+11+7+10)/3 = 87/3 = 29; IKM = 29 x 0.111 = 3.219
    assert result.ikm.quantize(Decimal("0.0001")) == Decimal("3.2190")
    assert result.converted == Decimal("80.48")   # 3.219 x 25 = 80.475 -> 80.48
    assert (result.mutu, result.performance) == ("B", "Baik")
    assert result.weakest == ["U3", "U8"]


def test_all_fours_is_mutu_a_at_the_regulations_99_9():
    result = ikm.compute_from_answers([all_elements(4)])
    assert result.ikm == Decimal("3.996")
    assert result.converted == Decimal("99.90")
    assert result.mutu == "A"


def test_all_ones_is_mutu_d():
    result = ikm.compute_from_answers([all_elements(1)])
    assert result.converted == Decimal("24.98")  # 0.999 x 25, the regulation's own floor
    assert result.mutu == "D"


@pytest.mark.parametrize(("converted", "mutu"), [
    ("64.99", "D"), ("65.00", "C"), ("76.60", "C"), ("76.61", "B"), ("88.30", "B"),
    ("88.31", "A"), ("100.00", "A"), ("25.00", "D"),
])
def test_interval_boundaries(converted, mutu):
    assert ikm.mutu_of(Decimal(converted))[0] == mutu


def test_index_boundaries_map_to_the_same_mutu():
    # The table's IKM bounds: 2.5996 -> 64.99 (D); 3.064 -> 76.60 (C); 3.532 -> 88.30 (B).
    for index, mutu in ((Decimal("2.5996"), "D"), (Decimal("2.60"), "C"), (Decimal("3.064"), "C"),
                        (Decimal("3.0644"), "B"), (Decimal("3.532"), "B"), (Decimal("3.5324"), "A")):
        converted = (index * 25).quantize(Decimal("0.01"))
        assert ikm.mutu_of(converted)[0] == mutu, index


def test_a_partial_survey_has_nrr_but_no_index():
    result = ikm.compute_from_answers([{"U1": 4, "U2": 3}])
    assert result.nrr["U1"] == 4 and result.nrr["U9"] is None
    assert result.ikm is None and result.mutu is None


def test_sums_and_counts_give_the_same_result_as_answers():
    answers = [all_elements(3), all_elements(4), {**all_elements(2), "U4": 4}]
    sums = {e: sum(a[e] for a in answers) for e in ikm.ELEMENTS}
    counts = {e: 3 for e in ikm.ELEMENTS}
    assert ikm.compute(sums, counts, 3) == ikm.compute_from_answers(answers)


def test_answers_outside_1_to_4_are_refused():
    with pytest.raises(ValueError):
        ikm.compute_from_answers([{"U1": 5}])


def test_one_tap_index_is_the_average_face():
    assert ikm.one_tap_index({4: 3, 3: 1}) == Decimal("3.75")
    assert ikm.one_tap_index({}) is None


@pytest.mark.parametrize(("population", "needed"), [
    (100, 80), (500, 217), (1000, 278), (5000, 357), (10000, 370), (40000, 380), (5, 5),
    (101, 86), (0, 0), (2_000_000, 384),
])
def test_krejcie_morgan_sample(population, needed):
    assert ikm.sample_needed(population) == needed


# ---------------------------------------------------------------- the integer sort key


element_answers = st.fixed_dictionaries({
    e: st.tuples(st.integers(0, 10**6), st.integers(0, 10**5)) for e in ikm.ELEMENTS})


@settings(max_examples=300, deadline=None)
@given(element_answers)
def test_the_integer_converted_value_is_the_exact_formula(answers):
    # Only answers that can occur: each answer is 1-4, so count <= sum <= 4 x count.
    counts = {e: n for e, (_, n) in answers.items()}
    sums = {e: min(max(total, n), 4 * n) for e, (total, n) in answers.items()}
    exact = ikm.compute(sums, counts, respondents=1).converted
    cents = ikm.converted_cents(sums, counts)
    assert cents == (None if exact is None else int(exact * 100))


def test_the_weighted_nrr_uses_the_regulations_weight():
    assert ikm.weighted(Decimal("3.5")) == Decimal("0.3885")
    assert ikm.weighted(None) is None

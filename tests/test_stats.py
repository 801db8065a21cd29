"""Cohen's kappa, plain and weighted: hand-computed values, a published example, statsmodels, properties."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaimpact.cycle.moderation.stats import (
    WEIGHTS,
    Z95,
    Kappa,
    Weights,
    agreement_weights,
    cohens_kappa,
    kappa_from_pairs,
    table_from_pairs,
)

# Rows: the first marker's grade; columns: the second's. The council's six pairs of the moderation
# test data: (outstanding, good), (good, good), (good, requires improvement), (requires
# improvement, good), (requires improvement, requires improvement), (inadequate, inadequate).
SIX_PAIRS = [(0, 1), (1, 1), (1, 2), (2, 1), (2, 2), (3, 3)]


def test_the_wikipedia_example() -> None:
    # Wikipedia, "Cohen's kappa": 50 grant proposals read by two readers. Yes/Yes 20, Yes/No 5,
    # No/Yes 10, No/No 15: p_o = 35/50 = 0.7, p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.4.
    result = cohens_kappa([[20, 5], [10, 15]])
    assert (result.kappa, result.observed, result.expected, result.n) == (0.4, 0.7, 0.5, 50)
    # Fleiss, Cohen & Everitt by hand: the cell scores 0.34, -0.66, -0.54 and 0.46 give
    # 0.2116 - (0.4 - 0.5 * 0.6)^2 = 0.2016, over 50 * 0.5^2: variance 252/15625.
    assert result.standard_error == pytest.approx(6 * math.sqrt(7) / 125, rel=1e-15)
    assert result.ci == pytest.approx(
        (0.4 - Z95 * 6 * math.sqrt(7) / 125, 0.4 + Z95 * 6 * math.sqrt(7) / 125)
    )
    assert result.undefined is None
    assert result.defined


def test_z95_is_the_two_sided_95_percent_point() -> None:
    assert pytest.approx(1.959963984540054, rel=1e-15) == Z95


@pytest.mark.parametrize(
    ("weights", "observed", "expected", "kappa"),
    [
        # Exact agreement 3 of 6; chance (1*0 + 2*3 + 2*2 + 1*1)/36 = 11/36; (1/2 - 11/36)/(25/36).
        ("none", Fraction(1, 2), Fraction(11, 36), Fraction(7, 25)),
        # Near misses earn 2/3: (3 + 3 * 2/3)/6 = 5/6; chance 74/108 = 37/54; kappa 8/17.
        ("linear", Fraction(5, 6), Fraction(37, 54), Fraction(8, 17)),
        # Near misses earn 8/9: (3 + 3 * 8/9)/6 = 17/18; chance 270/324 = 5/6; kappa 2/3.
        ("quadratic", Fraction(17, 18), Fraction(5, 6), Fraction(2, 3)),
    ],
)
def test_hand_computed_weighted_kappa(
    weights: Weights, observed: Fraction, expected: Fraction, kappa: Fraction
) -> None:
    result = kappa_from_pairs(SIX_PAIRS, 4, weights)
    assert (result.observed, result.expected, result.kappa) == (
        float(observed),
        float(expected),
        float(kappa),
    )
    assert (result.n, result.categories, result.weights) == (6, 4, weights)


# Reference values from statsmodels 0.15.0, in a throwaway virtual environment:
#   from statsmodels.stats.inter_rater import cohens_kappa
#   r = cohens_kappa(np.array(STATSMODELS_TABLE), wt=WT)   # WT "linear" or "quadratic";
#   r = cohens_kappa(np.array(STATSMODELS_TABLE))          # no weights
#   r.kappa, r.std_kappa
# statsmodels' wt="linear" / "quadratic" disagreement weights |i-j|/3 and (i-j)^2/9 are one minus
# our agreement weights, and its std_kappa is the Fleiss, Cohen & Everitt (1969) standard error.
STATSMODELS_TABLE = [[10, 4, 1, 0], [3, 15, 5, 1], [1, 4, 12, 3], [0, 1, 2, 8]]


@pytest.mark.parametrize(
    ("weights", "kappa", "standard_error"),
    [
        ("none", 0.5114461194863206, 0.07959480791576042),
        ("linear", 0.6228167967298401, 0.06942809639975057),
        ("quadratic", 0.7316062176165803, 0.06449594488899624),
    ],
)
def test_agrees_with_statsmodels(weights: Weights, kappa: float, standard_error: float) -> None:
    result = cohens_kappa(STATSMODELS_TABLE, weights)
    assert result.kappa == pytest.approx(kappa, rel=1e-12)
    assert result.standard_error == pytest.approx(standard_error, rel=1e-12)


def test_the_wikipedia_example_agrees_with_statsmodels() -> None:
    # statsmodels 0.15.0: cohens_kappa(np.array([[20, 5], [10, 15]])).std_kappa
    assert cohens_kappa([[20, 5], [10, 15]]).standard_error == pytest.approx(0.12699606293110033, rel=1e-12)


@pytest.mark.parametrize(
    ("weights", "row"),
    [
        ("none", [1, 0, 0, 0]),
        ("linear", [1, Fraction(2, 3), Fraction(1, 3), 0]),
        ("quadratic", [1, Fraction(8, 9), Fraction(5, 9), 0]),
    ],
)
def test_agreement_weights(weights: Weights, row: list[Fraction]) -> None:
    matrix = agreement_weights(4, weights)
    assert matrix[0] == row
    assert matrix[3] == row[::-1]
    assert all(matrix[i][j] == matrix[j][i] for i in range(4) for j in range(4))


def test_one_category_has_weight_one() -> None:
    assert agreement_weights(1, "linear") == [[1]]


def test_pairs_make_the_same_table() -> None:
    assert table_from_pairs(SIX_PAIRS, 4) == [[0, 1, 0, 0], [0, 1, 1, 0], [0, 1, 1, 0], [0, 0, 0, 1]]
    assert kappa_from_pairs(SIX_PAIRS, 4, "linear") == cohens_kappa(table_from_pairs(SIX_PAIRS, 4), "linear")


@pytest.mark.parametrize(
    ("table", "n", "observed", "reason"),
    [
        ([[0, 0], [0, 0]], 0, None, "there are no pairs of marks to compare"),
        ([[0, 1], [0, 0]], 1, 0.0, "there is only one pair of marks; kappa needs at least two"),
        (
            [[0, 0], [0, 5]],
            5,
            1.0,
            "both markers gave every case the same single grade, so chance alone would give full "
            "agreement and kappa cannot be worked out",
        ),
        (
            [[7]],
            7,
            1.0,
            "both markers gave every case the same single grade, so chance alone would give full "
            "agreement and kappa cannot be worked out",
        ),
    ],
)
def test_undefined_says_why(table: list[list[int]], n: int, observed: float | None, reason: str) -> None:
    for weights in WEIGHTS:
        result = cohens_kappa(table, weights)
        assert (result.n, result.observed, result.undefined) == (n, observed, reason)
        assert (result.kappa, result.standard_error, result.ci, result.defined) == (None, None, None, False)


def test_one_grade_each_but_different_grades_is_defined() -> None:
    # Chance agreement is 0, not 1: kappa is 0 - 0 over 1.
    result = cohens_kappa([[0, 3], [0, 0]])
    assert (result.kappa, result.expected) == (0.0, 0.0)


def test_the_interval_is_clipped_to_one() -> None:
    # Four cafcass pairs: linear kappa 4/5 with an interval that would pass 1.
    result = kappa_from_pairs([(1, 2), (2, 2), (0, 0), (3, 3)], 4, "linear")
    assert result.kappa == 0.8
    assert result.standard_error is not None
    assert result.kappa + Z95 * result.standard_error > 1
    assert result.ci is not None
    assert result.ci[1] == 1.0


def test_to_dict() -> None:
    assert cohens_kappa([[20, 5], [10, 15]]).to_dict() == {
        "weights": "none",
        "categories": 2,
        "n": 50,
        "observed": 0.7,
        "expected": 0.5,
        "kappa": 0.4,
        "standard_error": pytest.approx(0.12699606293110033),
        "ci": [pytest.approx(0.15109229047666117), pytest.approx(0.6489077095233389)],
        "undefined": None,
    }


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cohens_kappa([[1, 2]]), "square"),
        (lambda: cohens_kappa([]), "square"),
        (lambda: cohens_kappa([[1, -1], [0, 0]]), "counts"),
        (lambda: cohens_kappa([[True, 0], [0, 1]]), "counts"),
        (lambda: cohens_kappa([[1.5, 0], [0, 1]]), "counts"),  # type: ignore[list-item]
        (lambda: cohens_kappa([[1, 0], [0, 1]], "cubic"), "unknown weights 'cubic'"),  # type: ignore[arg-type]
        (lambda: kappa_from_pairs([(0, 4)], 4), r"pair \(0, 4\) is outside categories 0 to 3"),
        (lambda: kappa_from_pairs([(-1, 0)], 4), "outside"),
    ],
)
def test_bad_input_is_refused(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# -- properties ------------------------------------------------------------------------------------


@st.composite
def marked(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]], Weights]:
    """A number of categories, pairs of marks on them, and a weighting."""
    k = draw(st.integers(min_value=1, max_value=6))
    grade = st.integers(min_value=0, max_value=k - 1)
    pairs = draw(st.lists(st.tuples(grade, grade), max_size=60))
    return k, pairs, draw(st.sampled_from(WEIGHTS))


def _kappa(k: int, pairs: list[tuple[int, int]], weights: Weights) -> Kappa:
    return kappa_from_pairs(pairs, k, weights)


@given(marked())
def test_kappa_is_within_minus_one_and_one(case: tuple[int, list[tuple[int, int]], Weights]) -> None:
    result = _kappa(*case)
    if result.kappa is not None:
        assert -1 <= result.kappa <= 1


@given(marked())
def test_symmetric_in_the_two_markers(case: tuple[int, list[tuple[int, int]], Weights]) -> None:
    k, pairs, weights = case
    assert _kappa(k, [(b, a) for a, b in pairs], weights) == _kappa(k, pairs, weights)


@given(marked(), st.randoms(use_true_random=False))
def test_independent_of_the_order_of_pairs(
    case: tuple[int, list[tuple[int, int]], Weights], rnd: random.Random
) -> None:
    k, pairs, weights = case
    shuffled = list(pairs)
    rnd.shuffle(shuffled)
    assert _kappa(k, shuffled, weights) == _kappa(k, pairs, weights)


@given(marked())
def test_the_interval_holds_kappa(case: tuple[int, list[tuple[int, int]], Weights]) -> None:
    result = _kappa(*case)
    if result.defined:
        assert result.ci is not None
        assert result.kappa is not None
        assert result.standard_error is not None
        assert -1 <= result.ci[0] <= result.kappa <= result.ci[1] <= 1
        assert result.standard_error >= 0
    else:
        assert result.undefined
        assert result.ci is None


@given(
    st.integers(min_value=2, max_value=6).flatmap(
        lambda k: st.tuples(
            st.just(k),
            st.lists(st.integers(min_value=0, max_value=k - 1), min_size=2, max_size=40).filter(
                lambda marks: len(set(marks)) >= 2
            ),
            st.sampled_from(WEIGHTS),
        )
    )
)
def test_perfect_agreement_is_one(case: tuple[int, list[int], Weights]) -> None:
    k, marks, weights = case
    result = _kappa(k, [(m, m) for m in marks], weights)
    assert (result.kappa, result.standard_error, result.ci, result.observed) == (1.0, 0.0, (1.0, 1.0), 1.0)


@given(
    st.integers(min_value=1, max_value=6), st.integers(min_value=1, max_value=30), st.sampled_from(WEIGHTS)
)
def test_one_grade_for_every_case_is_undefined(k: int, n: int, weights: Weights) -> None:
    result = _kappa(k, [(k - 1, k - 1)] * n, weights)
    assert result.kappa is None
    assert result.undefined is not None

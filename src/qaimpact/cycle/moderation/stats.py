"""Agreement between two markers on an ordered scale: Cohen's kappa, plain or weighted.

Kappa is the agreement two markers reach beyond what chance alone would give them: 1 when they
always agree, 0 when they agree no more than chance, negative when they agree less. On an ordered
scale (grades) a near miss is not a full disagreement, so weighted kappa (Cohen, 1968) gives
partial credit through agreement weights: linear, ``1 - |i-j|/(k-1)``, or quadratic,
``1 - (i-j)^2/(k-1)^2``, over ``k`` categories ranked ``0..k-1``.

The standard error is the large-sample (non-null) one of Fleiss, Cohen & Everitt (1969), *Large
sample standard errors of kappa and weighted kappa*, Psychological Bulletin 72(5), 323-327; with
no weights it reduces to their formula for kappa. Everything is computed exactly in fractions from
the integer counts, so a kappa of exactly 1, or an expected agreement of exactly 1, is recognised
without rounding error, and the result does not depend on the order the pairs come in.

Pure and standard library only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist
from typing import Any, Literal, TypeGuard, get_args

Weights = Literal["none", "linear", "quadratic"]
#: The weightings :func:`cohens_kappa` knows, in the order help texts list them.
WEIGHTS: tuple[Weights, ...] = get_args(Weights)
#: The two-sided 95% point of the standard normal distribution (1.959964...).
Z95 = NormalDist().inv_cdf(0.975)


def is_weights(value: str) -> TypeGuard[Weights]:
    """Whether ``value`` names a weighting :func:`cohens_kappa` knows."""
    return value in WEIGHTS


@dataclass(frozen=True, slots=True)
class Kappa:
    """Cohen's kappa for one table of paired marks, or why it cannot be computed.

    ``observed`` and ``expected`` are the (weighted) agreement observed and expected by chance,
    as proportions; they are ``None`` only when there are no pairs. When kappa is undefined,
    ``kappa``, ``standard_error`` and ``ci`` are ``None`` and ``undefined`` says why in plain
    English. ``ci`` is the 95% confidence interval, clipped to [-1, 1].
    """

    weights: Weights
    categories: int
    n: int
    observed: float | None
    expected: float | None
    kappa: float | None = None
    standard_error: float | None = None
    ci: tuple[float, float] | None = None
    undefined: str | None = None

    @property
    def defined(self) -> bool:
        """Whether kappa could be computed."""
        return self.kappa is not None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "weights": self.weights,
            "categories": self.categories,
            "n": self.n,
            "observed": self.observed,
            "expected": self.expected,
            "kappa": self.kappa,
            "standard_error": self.standard_error,
            "ci": list(self.ci) if self.ci is not None else None,
            "undefined": self.undefined,
        }


def agreement_weights(categories: int, weights: Weights) -> list[list[Fraction]]:
    """The ``k x k`` agreement weights: 1 on the diagonal, less the further apart two marks are."""
    if not is_weights(weights):
        raise ValueError(f"unknown weights {weights!r}: use one of {', '.join(WEIGHTS)}")
    if categories < 1:
        raise ValueError("kappa needs at least one category")
    span = max(categories - 1, 1)

    def weight(i: int, j: int) -> Fraction:
        if weights == "none":
            return Fraction(i == j)
        if weights == "linear":
            return 1 - Fraction(abs(i - j), span)
        return 1 - Fraction((i - j) ** 2, span**2)

    return [[weight(i, j) for j in range(categories)] for i in range(categories)]


def table_from_pairs(pairs: Iterable[tuple[int, int]], categories: int) -> list[list[int]]:
    """Count pairs of marks ``(first, second)``, each a rank from 0 to ``categories - 1``.

    Rows are the first marker's marks and columns the second's.
    """
    table = [[0] * categories for _ in range(categories)]
    for first, second in pairs:
        if not (0 <= first < categories and 0 <= second < categories):
            raise ValueError(f"pair ({first}, {second}) is outside categories 0 to {categories - 1}")
        table[first][second] += 1
    return table


def _check_table(table: Sequence[Sequence[int]]) -> None:
    k = len(table)
    if k < 1 or any(len(row) != k for row in table):
        raise ValueError("a kappa table must be square, with at least one category")
    if any(isinstance(c, bool) or not isinstance(c, int) or c < 0 for row in table for c in row):
        raise ValueError("a kappa table holds counts: whole numbers, none negative")


def cohens_kappa(table: Sequence[Sequence[int]], weights: Weights = "none") -> Kappa:
    """Cohen's kappa (weighted unless ``weights`` is ``"none"``) from a ``k x k`` table of counts.

    ``table[i][j]`` counts the cases the first marker put in category ``i`` and the second in
    ``j``; categories are in scale order, best first or worst first alike.
    """
    _check_table(table)
    k = len(table)
    w = agreement_weights(k, weights)
    n = sum(sum(row) for row in table)
    if n == 0:
        return Kappa(weights, k, 0, None, None, undefined="there are no pairs of marks to compare")
    p = [[Fraction(c, n) for c in row] for row in table]
    rows = [sum(row, Fraction(0)) for row in p]
    cols = [sum((p[i][j] for i in range(k)), Fraction(0)) for j in range(k)]
    cells = [(i, j) for i in range(k) for j in range(k)]
    observed = sum((w[i][j] * p[i][j] for i, j in cells), Fraction(0))
    expected = sum((w[i][j] * rows[i] * cols[j] for i, j in cells), Fraction(0))
    undefined = None
    if n < 2:
        undefined = "there is only one pair of marks; kappa needs at least two"
    elif expected == 1:
        undefined = (
            "both markers gave every case the same single grade, so chance alone would give full "
            "agreement and kappa cannot be worked out"
        )
    if undefined is not None:
        return Kappa(weights, k, n, float(observed), float(expected), undefined=undefined)
    kappa = (observed - expected) / (1 - expected)
    # Fleiss, Cohen & Everitt (1969): the weight of each cell against the mean
    # weights of its row and column under the other marker's distribution.
    row_mean = [sum((cols[j] * w[i][j] for j in range(k)), Fraction(0)) for i in range(k)]
    col_mean = [sum((rows[i] * w[i][j] for i in range(k)), Fraction(0)) for j in range(k)]
    spread = (
        sum(
            (p[i][j] * (w[i][j] - (row_mean[i] + col_mean[j]) * (1 - kappa)) ** 2 for i, j in cells),
            Fraction(0),
        )
        - (kappa - expected * (1 - kappa)) ** 2
    )
    # The spread is a variance (of the cell scores above), so it is never negative.
    standard_error = math.sqrt(spread / (n * (1 - expected) ** 2))
    value = float(kappa)
    ci = (max(-1.0, value - Z95 * standard_error), min(1.0, value + Z95 * standard_error))
    return Kappa(weights, k, n, float(observed), float(expected), value, standard_error, ci)


def kappa_from_pairs(pairs: Iterable[tuple[int, int]], categories: int, weights: Weights = "none") -> Kappa:
    """Cohen's kappa from pairs of marks ``(first, second)``, each a rank below ``categories``."""
    return cohens_kappa(table_from_pairs(pairs, categories), weights)

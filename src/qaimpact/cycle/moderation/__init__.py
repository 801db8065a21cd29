"""Moderation: how far a second marker agrees with the auditor's grade, and which way they differ.

A grade has a *second mark* in two ways:

- **moderation**: the audit's ``moderation:`` block. The first mark is the auditor's own grade:
  the one they recorded, or, where they recorded none, the grade their ratings give (a recorded
  grade more generous than the ratings is exactly what moderation is there to catch); the
  second is the moderator's ``moderated_grade``.
- **double-marking**: two audits of the same case (by the framework's ``case_id``) by different
  reviewers, reviewed at most ``window`` days apart, where neither is a re-audit of the other
  (through ``reaudit_of``, followed back along a chain of re-audits). The earlier audit is the
  first mark. A re-audit measures change in the case, not agreement between markers.

Agreement is the share of pairs with the same grade, and Cohen's kappa (:mod:`.stats`),
weighted because grades are ordered. Each framework's kappa is on its own grade scale; pairs of
different frameworks are pooled only on a comparison scale they share (``comparison:`` in their
standards files), level by level, never by grade labels, which mean different things in
different frameworks. A pair is *moderated down* when the second mark is worse than the first:
the sign of generous grading.

- :mod:`.pairs`: finding the pairs of first and second marks;
- :mod:`.stats`: Cohen's kappa, weighted, with its standard error and confidence interval;
- :mod:`.report`: agreement, kappa, directions and reviewers, per framework and pooled; the
  report and its CSV rows;
- :mod:`.summary`: the quarterly summary's section;
- :mod:`.once`: each double-marked case counted once in the figures of grades.

May import: :mod:`qaimpact.privacy` and below.
"""

from __future__ import annotations

from qaimpact.cycle.moderation.once import (
    COUNTED_ONCE,
    CountedOnce,
    SecondAudit,
    count_once,
    counted_once_basis,
)
from qaimpact.cycle.moderation.pairs import (
    DEFAULT_WINDOW,
    DIRECTION_LABELS,
    DIRECTIONS,
    DOUBLE_MARKING,
    DOWN,
    GRADE_BASIS,
    KIND_LABELS,
    KINDS,
    MODERATION,
    SAME,
    UP,
    Pair,
    auditor_grade,
    double_marked,
    find_pairs,
)
from qaimpact.cycle.moderation.report import (
    COLUMNS,
    DEFAULT_WEIGHTS,
    SMALL_N,
    STRENGTH,
    WEIGHT_LABELS,
    Pool,
    kappa_figure,
    moderation_view,
    own_scale,
    pair_item,
    pools,
    rows,
    strength,
    tally,
)
from qaimpact.cycle.moderation.summary import (
    summary_section,
)

__all__ = [
    "COLUMNS",
    "COUNTED_ONCE",
    "DEFAULT_WEIGHTS",
    "DEFAULT_WINDOW",
    "DIRECTIONS",
    "DIRECTION_LABELS",
    "DOUBLE_MARKING",
    "DOWN",
    "GRADE_BASIS",
    "KINDS",
    "KIND_LABELS",
    "MODERATION",
    "SAME",
    "SMALL_N",
    "STRENGTH",
    "UP",
    "WEIGHT_LABELS",
    "CountedOnce",
    "Pair",
    "Pool",
    "SecondAudit",
    "auditor_grade",
    "count_once",
    "counted_once_basis",
    "double_marked",
    "find_pairs",
    "kappa_figure",
    "moderation_view",
    "own_scale",
    "pair_item",
    "pools",
    "rows",
    "strength",
    "summary_section",
    "tally",
]

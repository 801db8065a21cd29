"""A grade written as another word is not offered the opposite grade.

An auditor who rated a standard or recorded a grade ``adequate`` (an old Ofsted grade) or ``not
inadequate`` was told "Did you mean 'inadequate'?": the opposite of what they meant, said as the
way to put it right. The letters are close, but the word is not a slip of typing: it is the choice
with a negating prefix or word taken away or added. The "Did you mean" of a rating (QA204) or
another choice (QA205) now offers no choice for such a value (``base/diagnose.offered``): the hint
lists the scale's choices, as for any value that resembles none. Every slip of typing keeps its
"Did you mean" (test_escalation_misspelt.py, test_newcomer.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from conftest import DATA, TODAY, Run

REWORDED = DATA / "hint-reworded"
GRADES = "outstanding, good, requires_improvement, inadequate."
LIVED = "'practice_standards.lived_experience' (Child's lived experience and views)."
NOT_RATING = "is not a rating on this framework's scale for"

FINDINGS = [
    (
        "ccc-rated-adequate.yaml",
        f"31:13: error QA204 'adequate' {NOT_RATING} {LIVED}",
        f"Use one of: {GRADES}",
    ),
    (
        "ccc-rated-not-good.yaml",
        f"31:13: error QA204 'not good' {NOT_RATING} {LIVED}",
        f"Use one of: {GRADES}",
    ),
    (
        "ccc-recorded-adequate.yaml",
        "63:20: error QA205 'Adequate' is not an allowed value for 'overall_judgement'.",
        f"Use one of: {GRADES}",
    ),
    (
        "ccc-recorded-not-inadequate.yaml",
        "63:20: error QA205 'not inadequate' is not an allowed value for 'overall_judgement'.",
        f"Use one of: {GRADES}",
    ),
    (
        "ccc-recorded-requires-no-improvement.yaml",
        "63:20: error QA205 'requires no improvement' is not an allowed value for 'overall_judgement'.",
        f"Use one of: {GRADES}",
    ),
    (
        "ccc-moderated-adequte.yaml",
        "68:20: error QA205 'adequte' is not an allowed value for 'moderation.moderated_grade'.",
        f"Use one of: {GRADES}",
    ),
    (
        "cafcass-rated-unmet.yaml",
        f"36:13: error QA204 'unmet' {NOT_RATING} 'compliance.case_planning' (Case planning).",
        "Use one of: good, met, requires_improvement.",
    ),
]


@pytest.mark.parametrize(("name", "message", "hint"), FINDINGS, ids=[f[0] for f in FINDINGS])
def test_validate_offers_no_opposite(name: str, message: str, hint: str, cli: Callable[..., Run]) -> None:
    path = REWORDED / name
    run = cli("validate", path, "--today", TODAY.isoformat(), expect=1)
    assert run.stdout.splitlines() == [
        f"{path}:{message}",
        f"    hint: {hint}",
        "Checked 1 file: 1 error and 0 warnings in 1 file.",
    ]


@pytest.mark.parametrize(("name", "message", "hint"), FINDINGS, ids=[f[0] for f in FINDINGS])
def test_validate_json_offers_no_opposite(
    name: str, message: str, hint: str, cli: Callable[..., Run]
) -> None:
    run = cli("validate", REWORDED / name, "--today", TODAY.isoformat(), "-f", "json", expect=1)
    [finding] = json.loads(run.stdout)
    assert (finding["line"], finding["column"], finding["hint"]) == (*map(int, message.split(":")[:2]), hint)


SCALE = ["outstanding", "good", "requires_improvement", "inadequate"]


@pytest.mark.parametrize(
    ("value", "choices", "rating", "meant"),
    [
        # Another word: a negating prefix or word taken away or added (regression: each was offered).
        ("adequate", SCALE, True, None),
        ("Adequate", SCALE, False, None),
        ("adequte", SCALE, True, None),
        ("not inadequate", SCALE, True, None),
        ("not-inadequate", SCALE, False, None),
        ("not inadequte", SCALE, True, None),
        ("not good", SCALE, True, None),
        ("requires no improvement", SCALE, False, None),
        ("unmet", ["good", "met", "requires_improvement"], True, None),
        ("unmet", ["met", "not_met"], True, None),
        # The same in reverse: the choice holds the negation the value lacks.
        ("good", ["not_good", "bad"], False, None),
        ("met", ["not_met", "partly"], True, None),
        ("compliant", ["non_compliant", "partly"], False, None),
        # Slips of typing keep their "Did you mean".
        ("inadequte", SCALE, True, "inadequate"),
        ("Inadequat", SCALE, False, "inadequate"),
        ("nadequate", SCALE, True, "inadequate"),
        ("in adequate", SCALE, True, "inadequate"),
        ("unadequate", SCALE, True, "inadequate"),
        ("goood", SCALE, True, "good"),
        ("Goood", SCALE, True, "good"),
        ("outstandng", SCALE, True, "outstanding"),
        ("requires improvment", SCALE, False, "requires_improvement"),
        ("requires_improvment", SCALE, True, "requires_improvement"),
        ("mett", ["good", "met", "requires_improvement"], False, "met"),
        ("not_mett", ["met", "not_met"], False, "not_met"),
        # Other words added or left out that do not negate keep it too.
        ("inadequately", SCALE, True, "inadequate"),
        ("public law", ["public", "private"], False, "public"),
        # A rating is compared in small letters, another choice as written (as before).
        ("INADEQUTE", SCALE, False, None),
        ("excellent", SCALE, True, None),
        (3, SCALE, True, None),
    ],
)
def test_offered(value: object, choices: list[str], rating: bool, meant: str | None) -> None:
    from qaimpact.base.diagnose import offered

    assert offered(value, choices, rating=rating) == meant


@given(
    choice=st.sampled_from([*SCALE, "met", "not_met", "compliant"]),
    negation=st.sampled_from(["not ", "not_", "no ", "un", "in", "non-", "dis"]),
)
def test_a_negated_choice_is_never_offered_the_choice(choice: str, negation: str) -> None:
    from qaimpact.base.diagnose import offered

    written = negation + choice
    assume(written.replace("-", "_").replace(" ", "_") not in ("not_met", "inadequate"))
    assert offered(written, [choice], rating=True) is None
    assert offered(written, [choice]) is None

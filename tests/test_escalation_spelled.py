"""A grade written as reports write it, or a yes written as a word, still makes its escalation certain.

An auditor who typed ``overall_judgement: Inadequate`` (the label every report shows) or rated a
standard ``Inadequate`` got "Not graded: the audit has errors." and no word of an escalation: the
file says the child's case is inadequate, in the auditor's own words, and the case waited on the
spelling. A rating, recorded grade or moderated grade that names one of the scale's as Word or a
first-timer writes it (its label, capitals, spaces, quotation marks) is now read as the one it
names for the escalations already certain (``audits/ahead.read_as_meant``); its finding still says
how to write it. A rating read as not applicable stays open; a misspelling is read only where its
finding offers one choice alone and that escalates (test_escalation_misspelt.py).

The same audits with ``immediate_safeguarding_actions: required: yes`` (which the audit model
reads as true) and one unrelated error said nothing either: the rules compared the word "yes" with
true. A condition now reads an answer as the audit model does (``models.audit.field_holds``).
And a standard rated inadequate with no evidence yet said nothing: the finding about the evidence is
placed at the rating, and was taken to be about it; so was the finding that immediate safeguarding
actions are required but not described, placed at ``required: true``. A key the rules read typed
with a slip at the top of the audit (``overal_judgement: inadequate``, ``moderaton:``,
``immediate_safeguarding_action:``) hid what it holds: it is read as the key QA203's "Did you
mean" names, where one key alone is taken for it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import DATA, Run
from said_ahead import assert_escalations_lists, assert_grade_says

SPELLED = DATA / "ahead-spelled"
CASE = "Case escalation to Case responsible worker, Team manager and Head of Service: "
RATED = CASE + "the ratings give Inadequate."
RECORDED = CASE + "the auditor recorded Inadequate; the ratings give Requires improvement to be good."
MODERATED = CASE + "the moderator graded it Inadequate; the ratings give Requires improvement to be good."
SUPERVISOR = (
    "Practice review to Practice supervisor: "
    "the auditor recorded Requires improvement; the ratings give Good."
)
SAFEGUARDING = (
    "Immediate safeguarding escalation to Service manager: immediate safeguarding actions are required."
)
# Immediate safeguarding actions make the grade Requires improvement (the threshold rule).
SUPERVISED = "Practice review to Practice supervisor: the ratings give Requires improvement."

CASES = [
    ("recorded-as-label.yaml", [RECORDED]),
    ("rated-as-label.yaml", [RATED]),
    ("rated-in-curly-quotes.yaml", [RATED]),
    ("rated-with-a-space.yaml", [RATED]),
    ("moderated-in-capitals.yaml", [MODERATED]),
    ("cafcass-recorded-as-label.yaml", [SUPERVISOR]),
    # Regression: "yes" is true to the audit model, but the rules read the file's own words.
    ("safeguarding-Yes.yaml", [SAFEGUARDING, SUPERVISED]),
    ("safeguarding-yes.yaml", [SAFEGUARDING, SUPERVISED]),
    ("safeguarding-YES-space.yaml", [SAFEGUARDING, SUPERVISED]),
    # Regression: the missing evidence's finding is placed at the rating, and was taken to be
    # about it, so the inadequate rating was left open.
    ("rated-inadequate-no-evidence.yaml", [RATED]),
    # Regression: the finding that the actions are not described is placed at 'required: true'.
    ("safeguarding-not-described.yaml", [SAFEGUARDING, SUPERVISED]),
    # Regression: a key the rules read, typed with a slip at the top of the audit.
    ("recorded-key-misspelt.yaml", [RECORDED]),
    ("moderation-key-misspelt.yaml", [MODERATED]),
    ("safeguarding-key-misspelt.yaml", [SAFEGUARDING, SUPERVISED]),
    # A misspelling whose finding offers one rating alone is read as it where that escalates
    # (test_escalation_misspelt.py), and the line says so.
    (
        "rated-misspelt.yaml",
        [
            RATED[:-1] + "; the rating 'inadequte' at 'practice_standards.lived_experience' "
            "was taken as 'inadequate'."
        ],
    ),
    # Guards: nothing is said where the file does not name the grade for sure.
    ("rated-not-applicable.yaml", []),
    ("safeguarding-no.yaml", []),
    # Two keys typed with a slip for the recorded grade: which is meant is not known.
    ("recorded-key-misspelt-twice.yaml", []),
]


@pytest.mark.parametrize(("name", "said"), CASES, ids=[c[0] for c in CASES])
def test_grade_says_the_escalation_is_certain(
    name: str, said: list[str], cli: Callable[..., Run], tmp_path: Path
) -> None:
    assert_grade_says(cli, SPELLED / name, said, tmp_path)


def test_the_escalations_report_lists_them(cli: Callable[..., Run]) -> None:
    assert_escalations_lists(cli, SPELLED, CASES)


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("Inadequate", "inadequate"),
        ("INADEQUATE", "inadequate"),
        ("inadequate ", "inadequate"),
        ("\u00a0inadequate", "inadequate"),
        ("“inadequate”", "inadequate"),
        ("'Inadequate'", "inadequate"),
        ("inade\u200bquate", "inadequate"),
        ("Requires improvement to be good", "requires_improvement"),
        ("requires-improvement", "requires_improvement"),
        ("RI", "requires_improvement"),
        ("inadequate", "inadequate"),
        ("inadequte", None),
        ("", None),
        ("“”", None),
        ("not good", None),
        (3, None),
    ],
)
def test_meant_choice(value: object, meant: str | None) -> None:
    from qaimpact.base.diagnose import meant_choice

    labels = {
        "outstanding": "Outstanding",
        "good": "Good",
        "requires_improvement": "Requires improvement to be good",
        "inadequate": "Inadequate",
    }
    assert meant_choice(value, list(labels), labels) == meant


LABELS = {"outstanding": "Outstanding", "good": "Good", "met": "Met", "inadequate": "Inadequate"}


@given(st.text(max_size=16))
def test_a_hint_that_names_a_choice_names_the_one_read(text: str) -> None:
    # The finding's "Did you mean 'X'?" (forgiven) and the escalation's reading must name one
    # choice: an auditor told to write 'good' was not read as meaning something else.
    from qaimpact.base.diagnose import forgiven, meant_choice

    hint = forgiven(text, list(LABELS), LABELS)
    meant = meant_choice(text, list(LABELS), LABELS)
    if hint is not None and hint.startswith("Did you mean '"):
        assert hint.startswith(f"Did you mean '{meant}'?")


@given(st.sampled_from(sorted(LABELS)), st.sampled_from(["", " ", "\u00a0"]), st.booleans())
def test_every_choice_written_as_its_label_is_read_as_itself(choice: str, pad: str, upper: bool) -> None:
    from qaimpact.base.diagnose import meant_choice

    label = LABELS[choice].upper() if upper else LABELS[choice]
    assert meant_choice(pad + label + pad, list(LABELS), LABELS) == choice


def test_the_audit_read_is_not_changed() -> None:
    from qaimpact.audits.ahead import read_as_meant
    from qaimpact.base.loader import load_file
    from qaimpact.frameworks.registry import Registry, bundled_dir

    doc = load_file(SPELLED / "rated-as-label.yaml")
    framework = Registry([bundled_dir()]).get("ccc-practice-standards")
    read, where = read_as_meant(framework, doc.data)
    assert where == {("practice_standards", "lived_experience", "rating")}
    assert read["practice_standards"]["lived_experience"]["rating"] == "inadequate"
    assert doc.data["practice_standards"]["lived_experience"]["rating"] == "Inadequate"


@pytest.mark.parametrize(
    ("value", "equals", "holds"),
    [
        ("yes", True, True),
        (" Yes ", True, True),
        ("YES", True, True),
        ("no", True, False),
        ("No", False, True),
        ("yes", False, False),
        (True, True, True),
        (False, True, False),
        # Only the words the audit model reads as answers: "y", "on" and "1" are not.
        ("y", True, False),
        ("on", True, False),
        ("1", True, False),
        # A text condition compares text as written.
        ("yes", "yes", True),
        ("Yes", "yes", False),
    ],
)
def test_a_condition_reads_an_answer_as_the_audit_model_does(
    value: object, equals: object, holds: bool
) -> None:
    from qaimpact.models.audit import field_holds

    assert field_holds(value, equals) is holds


@pytest.mark.parametrize(
    ("entry", "holds"),
    [({"seen": "no"}, True), ({"seen": " No"}, True), ({"seen": False}, True), ({"seen": "yes"}, False)],
)
def test_a_standards_constraint_reads_an_answer_as_the_audit_model_does(
    entry: dict[str, object], holds: bool
) -> None:
    from qaimpact.models.audit import constraint_holds

    assert constraint_holds({"seen": False}, entry) is holds

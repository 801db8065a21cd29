"""A rating the auditor wrote counts for the escalation said ahead of an audit's errors.

Planning rated inadequate under the key ``Planing:`` (one letter short): ``grade`` said only "Not
graded: the audit has errors.", the escalations report "whether it needs escalating is not
known", and the child's case waited on a typing slip, though the auditor had recorded a rating
that calls for a case escalation. What the auditor wrote is now read (``audits/ahead.py``,
:func:`~qaimpact.audits.ahead.written_ratings`): a rating under a key that is no standard's, read
as for a correct key (``Inadequate`` is inadequate, a misspelling names nothing there), is the rating of
a standard missing
from the block: the one the key names or resembles, else whichever of them, an escalation being
said only where it holds for each (a standard written with nothing under it, its lines not
indented under it, is missing too). Nothing is invented: ``inadequte`` under such a key and
``adequate`` name no rating, and a second entry for a standard the block holds is not counted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, Run
from said_ahead import (
    TODAY,
    assert_escalations_lists,
    assert_grade_says,
    decided_ahead,
    escalated_all_the_same,
)

WRITTEN = DATA / "ahead-written"
RATED = (
    "Case escalation to Case responsible worker, Team manager and Head of Service: "
    "the ratings give Inadequate."
)
ESCALATED = [
    "key-as-label.yaml",
    "key-capitalised.yaml",
    "key-misspelt-rating-label.yaml",
    "key-misspelt.yaml",
    "key-unlike-any.yaml",
    "rating-in-place-of-block.yaml",
    "rating-label.yaml",
    "rating-not-indented.yaml",
]
NOT_SURE = [
    "not-sure-key-misspelt-adequate.yaml",
    "not-sure-key-misspelt-rating-slip.yaml",
    "not-sure-key-misspelt-good.yaml",
    "not-sure-key-misspelt-twice.yaml",
]
# A rating misspelt under its own key: its finding offers one rating alone, read as it to escalate
# (test_escalation_misspelt.py); one under a key that is no standard's is not read.
MISSPELT = RATED[:-1] + "; the rating 'inadequte' at 'practice_standards.planning' was taken as 'inadequate'."
# Regression: every file of ESCALATED said nothing on the old code.
CASES = (
    [(name, [RATED]) for name in ESCALATED]
    + [("rating-misspelt.yaml", [MISSPELT])]
    + [(name, []) for name in NOT_SURE]
)


@pytest.mark.parametrize(("name", "said"), CASES)
def test_grade_says_the_escalation_the_written_rating_makes_certain(
    name: str, said: list[str], cli: Callable[..., Run], tmp_path: Path
) -> None:
    assert_grade_says(cli, WRITTEN / name, said, tmp_path, unsaid=["Case escalation"])


def test_the_escalations_report_lists_them(cli: Callable[..., Run]) -> None:
    assert_escalations_lists(cli, WRITTEN, CASES)
    markdown = cli("escalations", "--audits", WRITTEN, "--today", TODAY, expect=1)
    assert (
        "No valid audit was read. 13 invalid audit files were left out: 9 must be escalated all the "
        "same (below), and whether the others need escalating is not known until they are fixed."
    ) in markdown.stdout
    assert f"- `{WRITTEN / 'key-misspelt.yaml'}`: {RATED}\n" in markdown.stdout


def test_grade_json_says_it(cli: Callable[..., Run]) -> None:
    # Regression: grade --format json gave "escalation": [] and nothing else for an audit with
    # errors that must be escalated all the same; the panel said it, the JSON did not.
    names = ["key-misspelt.yaml", "not-sure-key-misspelt-good.yaml"]
    run = cli("grade", *(WRITTEN / name for name in names), "--today", TODAY, "-f", "json", expect=1)
    shown = json.loads(run.stdout)
    assert [(a["grade"], a["escalation"], a["escalation_ahead"]) for a in shown] == [
        (None, [], [RATED]),
        (None, [], []),
    ]
    valid = cli("grade", DATA / "valid", "-f", "json", expect=None)
    graded = [a for a in json.loads(valid.stdout) if a["grade"] is not None]
    assert graded
    assert all(a["escalation_ahead"] == [] for a in graded)


def test_a_report_of_one_audit_says_it_after_its_errors(cli: Callable[..., Run]) -> None:
    path = WRITTEN / "key-misspelt.yaml"
    run = cli("report", path, "--today", TODAY, expect=1)
    assert run.stderr == (
        f"error: {path} has errors, so no feedback can be written:\n"
        f"{path}:23:3: error QA203 Unknown key 'Planing' in 'practice_standards', which is missing "
        "'planning' (Planning).\n"
        "    hint: Did you mean 'planning'? Write 'planning:' in place of 'Planing:'.\n"
        + escalated_all_the_same([RATED])
    )


@pytest.mark.parametrize(("name", "said"), CASES)
def test_the_decision_ahead_reads_what_was_written(name: str, said: list[str]) -> None:
    assert decided_ahead(WRITTEN / name) == said


# -- whichever standard the key is meant for: a framework whose rules name standards ----------------

TANGLED = {
    "case": {"case_reference": "TR-1", "looked_after": False},
    "urgent_actions": {"required": False},
    "more": {"recording": {"rating": "good"}},
}
SERIOUS = "Serious concern to Head of Service: the ratings give Inadequate."


@pytest.mark.parametrize(
    ("core", "more", "said"),
    [
        # Safety inadequate makes the audit inadequate; the key resembles only Safety.
        (
            {"voice": {"rating": "good"}, "planning": {"rating": "good"}, "Safty": {"rating": "inadequate"}},
            None,
            [SERIOUS],
        ),
        # Safety and Voice missing, the key like neither: rated inadequate, Voice would leave the
        # audit good, so nothing is certain.
        ({"planning": {"rating": "good"}, "Notes": {"rating": "inadequate"}}, None, []),
        # The same key like neither, with only Safety missing: it can only be Safety's.
        (
            {"voice": {"rating": "good"}, "planning": {"rating": "good"}, "Notes": {"rating": "inadequate"}},
            None,
            [SERIOUS],
        ),
        # The key names Voice by its id in capitals: Voice inadequate alone is not an escalation.
        (
            {"safety": {"rating": "good"}, "planning": {"rating": "good"}, "VOICE": {"rating": "inadequate"}},
            None,
            [],
        ),
        # Recording, of the other group, written in this block: Recording's rating, not Safety's.
        (
            {
                "voice": {"rating": "good"},
                "planning": {"rating": "good"},
                "recording": {"rating": "inadequate"},
            },
            {},
            [],
        ),
        # Two keys taken for Safety, one inadequate, one good: which is meant is not known.
        (
            {
                "voice": {"rating": "good"},
                "planning": {"rating": "good"},
                "Safty": {"rating": "inadequate"},
                "Saftey": {"rating": "good"},
            },
            None,
            [],
        ),
        # Both inadequate: Safety is inadequate either way.
        (
            {
                "voice": {"rating": "good"},
                "planning": {"rating": "good"},
                "Safty": "inadequate",
                "Saftey": {"rating": "Inadequate"},
            },
            None,
            [SERIOUS],
        ),
    ],
    ids=[
        "resembles-one",
        "like-none-two-missing",
        "like-none-one-missing",
        "names-another",
        "other-group",
        "twice-differ",
        "twice-agree",
    ],
)
def test_an_escalation_is_said_only_where_it_holds_whichever_standard_is_meant(
    core: dict[str, Any], more: dict[str, Any] | None, said: list[str]
) -> None:
    from qaimpact.audits.ahead import escalations_ahead
    from qaimpact.frameworks.registry import Registry, bundled_dir

    framework = Registry([bundled_dir(), DATA / "certain"]).get("tangled-rules")
    assert framework is not None
    data = {**TANGLED, "core": core, **({"more": more} if more is not None else {})}
    # The errors the checker gives: each standard missing and each key no standard's.
    wrong = {("core", s) for s in ("safety", "voice", "planning") if s not in core}
    wrong |= {("core", k) for k in core if k not in ("safety", "voice", "planning")}
    wrong |= {("more", "recording")} if more == {} else set()
    found = escalations_ahead(framework, data, wrong, general=False)
    assert [t.describe() for t in found] == said

"""Questionable input accepted before is a located finding now (issue 12, section 6).

The findings themselves, at their exact positions, are in data files (tests/data/invalid/QA316-*,
QA411-*, QA410-*, QA208-practitioner-only-spaces, QA206-seen-*), checked by test_diagnostics.py;
here the command line shows them, escaped, with the exit code a user would expect: an error for a
name or id holding an invisible character, a warning for free text or an early review date.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import DATA, TODAY, Run

INVALID = DATA / "invalid"

CASES = [
    (
        "QA316-escape-in-practitioner.yaml",
        1,
        "9:15: error QA316 'practitioner' holds the invisible character \\x1b (character 6), which no name "
        "contains.",
    ),
    (
        "QA316-zero-width-space-in-practitioner.yaml",
        1,
        "9:15: error QA316 'practitioner' holds the invisible character \\u200b (character 13), which no "
        "name contains.",
    ),
    (
        "QA316-bidi-override-in-reviewer.yaml",
        1,
        "10:11: error QA316 'reviewer' holds the invisible character \\u202e (character 8), which no name "
        "contains.",
    ),
    (
        "QA411-escape-in-evidence.yaml",
        0,
        "26:15: warning QA411 'impact.enabled_to_choose.evidence' holds the invisible character \\x1b "
        "(character 31).",
    ),
    ("QA410-review-date-1066.yaml", 0, "11:14: warning QA410 The review date 1066-10-14 is before 2000."),
    ("QA208-practitioner-only-spaces.yaml", 1, "9:15: error QA208 'practitioner' holds only spaces."),
    (
        "QA206-seen-on.yaml",
        1,
        "16:11: error QA206 'impact.child_seen.seen' should be true or false, not 'on'.",
    ),
]


@pytest.mark.parametrize(("name", "code", "line"), CASES, ids=[c[0] for c in CASES])
def test_questionable_input_on_the_command_line(
    name: str, code: int, line: str, cli: Callable[..., Run]
) -> None:
    path = INVALID / name
    run = cli("validate", "--today", TODAY, path, expect=code)
    assert run.stdout.splitlines()[0] == f"{path}:{line}"
    assert "\x1b" not in run.stdout
    assert "\u202e" not in run.stdout


def test_warnings_fail_under_strict(cli: Callable[..., Run]) -> None:
    cli("validate", "--strict", "--today", TODAY, INVALID / "QA411-escape-in-evidence.yaml", expect=1)


def test_booleans_hint(cli: Callable[..., Run]) -> None:
    run = cli("validate", "--today", TODAY, INVALID / "QA206-seen-y.yaml", expect=1)
    assert run.stdout.splitlines()[1] == (
        "    hint: Write true or false (or yes or no): on, off, y, n, 1 and 0 are not read as answers."
    )

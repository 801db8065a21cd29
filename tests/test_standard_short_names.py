"""A standard is named in messages by its ``short`` name where its standards file gives one, else
by its title: a Cafcass title of three sentences made one finding several lines long. Standards
are data: the same audit, checked against the same framework with and without ``short``, is
named each way.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import DATA, TODAY

HERE = DATA / "short-names"
NOT_RECORDED = HERE / "visits-not-recorded.yaml"
WEAK = HERE / "visits-weak.yaml"
TITLE = (
    "The child is visited, seen alone where their age allows, and their wishes and feelings are "
    "recorded in their own words"
)


@pytest.mark.parametrize(("folder", "name"), [("named", "Child visited"), ("titled", TITLE)])
def test_findings_name_a_standard_by_its_short_name(cli: Any, folder: str, name: str) -> None:
    run = cli("validate", NOT_RECORDED, "--standards", HERE / folder, "--today", TODAY.isoformat(), expect=1)
    assert run.stdout.splitlines()[:4] == [
        f"{NOT_RECORDED}:13:20: error QA301 '{name}' is rated adequate: A child who was not visited, "
        "with no reason recorded, can only be rated weak.",
        "    hint: Record the reason the child was not visited, or rate this standard weak.",
        f"{NOT_RECORDED}:13:20: warning QA403 '{name}' is rated adequate but has no evidence.",
        "    hint: Add 'evidence:' under 'safety.visits' saying what on the file led to this rating.",
    ]


@pytest.mark.parametrize(("folder", "name"), [("named", "Child visited"), ("titled", TITLE)])
def test_the_reasons_for_a_grade_name_a_standard_by_its_short_name(cli: Any, folder: str, name: str) -> None:
    run = cli("grade", WEAK, "--standards", HERE / folder, "--today", TODAY.isoformat(), "--format", "json")
    (graded,) = json.loads(run.stdout)
    assert graded["rationale"] == [
        "Poor: Two or more standards are rated weak.",
        f"'{name}' is rated weak and 'The plan is clear' is rated weak.",
    ]
    # The JSON keeps the whole title: a report has room for it.
    assert graded["to_next_grade"]["changes"][0]["title"] == TITLE


@pytest.mark.parametrize(("folder", "name"), [("named", "Child visited"), ("titled", TITLE)])
def test_the_way_to_the_next_grade_names_a_standard_by_its_short_name(
    cli: Any, folder: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    run = cli("grade", WEAK, "--standards", HERE / folder, "--today", TODAY.isoformat())
    lines = [line.strip("│ ") for line in run.stdout.splitlines()]
    assert (
        f"- raise visits ('{name}') from weak to adequate (first: Record the reason the child was not "
        "visited, or rate this standard weak.)"
    ) in lines


@pytest.mark.parametrize(
    ("rating", "finding"),
    [
        (
            "good",
            "15:13: error QA301 'Child seen and wishes and feelings' is rated good: A child who was not "
            "seen, with no defensible decision recorded, can only be rated requires improvement.",
        ),
        (
            "met",
            "15:13: error QA301 'Child seen and wishes and feelings' is rated met: A child who was not "
            "seen, with no defensible decision recorded, can only be rated requires improvement.",
        ),
    ],
)
def test_a_cafcass_finding_is_one_line(cli: Any, rating: str, finding: str) -> None:
    audit = DATA / "invalid" / f"QA301-not-seen-rated-{rating}.yaml"
    run = cli("validate", audit, "--today", TODAY.isoformat(), expect=1)
    assert run.stdout.splitlines()[0] == f"{audit}:{finding}"


def test_a_short_name_longer_than_40_characters_is_refused(cli: Any, tmp_path: Any) -> None:
    text = (HERE / "named" / "mini-named.yaml").read_text(encoding="utf-8")
    path = tmp_path / "mini-named.yaml"
    path.write_text(text.replace("short: Child visited", "short: " + "x" * 41), encoding="utf-8")
    run = cli("standards", "check", path, expect=3)
    assert run.stdout.splitlines()[0] == (
        f"{path}:29:16: error QA209 'short' of standard 2 ('visits') of group 1 ('safety'): String should "
        "have at most 40 characters."
    )

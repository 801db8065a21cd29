"""Findings name places in words, not as YAML paths, in audits and standards files alike.

An item of a list inside another item reads as people say it, by the list key's name for one
(``point 2 of learning action 1``, ``condition 2 of 'when' of threshold rule 1``), the same at
every depth, with a fallback by number for a list whose items have no name; the items of a
standards file's own lists are named as its writer finds them (``standard 2 ('visits') of group 1
('safety')``, ``threshold rule 3``), its location kept as ``file:line:col``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.base.diagnose import list_item, named
from qaimpact.base.loader import load_file
from qaimpact.frameworks.check import check_file, places
from qaimpact.frameworks.registry import Registry
from qaimpact.models.audit import describe_path

INVALID = DATA / "invalid"
STANDARDS_INVALID = DATA / "standards" / "invalid"
MINI = DATA / "standards" / "valid" / "mini.yaml"

# -- the words, from the functions ----------------------------------------------------------------

#: Data paths of a Cafcass audit, and how a message names each.
AUDIT_PLACES: list[tuple[tuple[Any, ...], str]] = [
    (("learning_actions", 0, "points", 1), "point 2 of learning action 1"),
    (("learning_actions", 2, "points", 0), "point 1 of learning action 3"),
    (("learning_actions", 0, "area"), "'area' of learning action 1"),
    (("learning_actions", 1), "learning action 2"),
    (("remedial_actions", 0, "owner"), "'owner' of remedial action 1"),
    # A list of an item whose items have no name: by number, as before.
    (("remedial_actions", 0, "notes", 2), "item 3 of 'notes' of remedial action 1"),
    # A list inside a block, not an item: by the list's name for one, of the block.
    (("domains", "heard", "indicators", 1), "indicator 2 of 'domains.heard'"),
    # A list of the audit's own with no words: by number.
    (("added_value", 1), "'added_value' item 2"),
]


@pytest.mark.parametrize(("path", "words"), AUDIT_PLACES, ids=[w for _, w in AUDIT_PLACES])
def test_an_audit_names_an_item_of_a_list_in_words(
    registry: Registry, path: tuple[Any, ...], words: str
) -> None:
    framework = registry.get("cafcass-qiam-2017")
    assert framework is not None
    assert named(path, lambda p: describe_path(framework, p), about=False) == words


def _top(path: Sequence[Any]) -> str | None:
    """Words for the items of one top-level list only, as an audit's ``describe`` gives them."""
    return f"action {path[1] + 1}" if len(path) == 2 and path[0] == "actions" else None


#: Items at every depth, named the same way at each; and the fallback for a list without a name.
DEPTHS: list[tuple[tuple[Any, ...], str]] = [
    (("actions", 0, "points", 1), "point 2 of action 1"),
    (("actions", 0, "points", 1, "standards", 0), "standard 1 of point 2 of action 1"),
    (
        ("actions", 0, "points", 1, "standards", 0, "ratings", 2),
        "rating 3 of standard 1 of point 2 of action 1",
    ),
    (("actions", 0, "points", 1, "standards", 0, "label"), "'label' of standard 1 of point 2 of action 1"),
    # A list under a key of the item: the key between them is quoted.
    (("actions", 3, "when", "all_of", 0), "condition 1 of 'when' of action 4"),
    (("actions", 3, "when", "all_of", 0, "any_of", 1), "condition 2 of condition 1 of 'when' of action 4"),
    # No name for an item of 'notes': by number, at any depth.
    (("actions", 0, "notes", 1), "item 2 of 'notes' of action 1"),
    (("actions", 0, "points", 1, "notes", 0), "item 1 of 'notes' of point 2 of action 1"),
    # A list of lists: its items have no name.
    (("actions", 0, "points", 1, 0), "item 1 of point 2 of action 1"),
]


@pytest.mark.parametrize(("path", "words"), DEPTHS, ids=[w for _, w in DEPTHS])
def test_a_nested_item_reads_the_same_at_every_depth(path: tuple[Any, ...], words: str) -> None:
    assert named(path, _top, about=False) == words


@pytest.mark.parametrize(
    ("item", "ident", "words"),
    [
        (("actions", 0, "points", 1), "recording", "point 2 ('recording') of action 1"),
        (("case_fields", "law", "choices", 0), "public", "choice 1 ('public') of 'case_fields.law'"),
        (("added_value", 0), "safeguard", "'added_value' item 1 ('safeguard')"),
    ],
)
def test_an_item_is_named_with_its_id(item: tuple[Any, ...], ident: str, words: str) -> None:
    assert list_item(item, _top, ident) == words


#: Paths into tests/data/standards/valid/mini.yaml, and how a message names each.
STANDARDS_PLACES: list[tuple[tuple[Any, ...], str]] = [
    (("groups", 0), "group 1 ('safety')"),
    (("groups", 0, "standards", 1), "standard 2 ('visits') of group 1 ('safety')"),
    (
        ("groups", 0, "standards", 1, "constraints", 0, "ratings", 0),
        "rating 1 of constraint 1 of standard 2 ('visits') of group 1 ('safety')",
    ),
    (
        ("groups", 0, "standards", 1, "constraints", 0, "when", "reason"),
        "'when.reason' of constraint 1 of standard 2 ('visits') of group 1 ('safety')",
    ),
    (("groups", 1, "standards", 0, "title"), "'title' of standard 1 ('plan') of group 2 ('quality')"),
    (("grades", "scale", 2, "label"), "'label' of grade 3 ('poor')"),
    (("ratings", 0), "rating 1 ('strong')"),
    (("thresholds", 2, "grade"), "'grade' of threshold rule 3"),
    (("thresholds", 0, "when"), "'when' of threshold rule 1"),
    (
        ("thresholds", 1, "when", "all_of", 1, "rated_at_most"),
        "'rated_at_most' of condition 2 of 'when' of threshold rule 2",
    ),
    # A condition's `standards:` lists groups and standards alike: its items are named by number.
    (("thresholds", 0, "when", "standards", 0), "item 1 of 'when.standards' of threshold rule 1"),
    (
        ("thresholds", 1, "when", "all_of", 0, "standards", 1),
        "item 2 of 'standards' of condition 1 of 'when' of threshold rule 2",
    ),
    # Places that are not items keep their keys.
    (("case_fields", "looked_after", "type"), "'case_fields.looked_after.type'"),
    (("grades", "good_or_better"), "'grades.good_or_better'"),
    # An item the file does not hold (a finding about a missing one) has no id to show.
    (("groups", 4), "group 5"),
]


@pytest.mark.parametrize(("path", "words"), STANDARDS_PLACES, ids=[w for _, w in STANDARDS_PLACES])
def test_a_standards_file_names_its_places_in_words(path: tuple[Any, ...], words: str) -> None:
    doc = load_file(MINI, kind="standards")
    assert named(path, places(doc.data), about=False) == words


# -- the findings, from the checks and the CLI -----------------------------------------------------

#: Audits whose findings name an item of a list inside another item: file, and its one finding.
AUDITS = [
    (
        "QA205-learning-point-unknown.yaml",
        "64:29: error QA205 'case_plannning' is not an allowed value for point 2 of learning action 2.",
    ),
    (
        "QA205-learning-point-as-block.yaml",
        "61:29: error QA205 a block of 'key: value' lines is not an allowed value for point 2 of "
        "learning action 1.",
    ),
    ("QA208-empty-learning-point.yaml", "61:29: error QA208 Point 2 of learning action 1 is empty."),
    (
        "QA210-placeholder-in-a-learning-point.yaml",
        "61:29: error QA210 Point 2 of learning action 1 still holds the placeholder TODO.",
    ),
    (
        "QA205-indicator-of-other-domain.yaml",
        "53:46: error QA205 'risk_analysis' is not an allowed value for indicator 2 of 'domains.heard'.",
    ),
]


@pytest.mark.parametrize(("name", "line"), AUDITS, ids=[a[0] for a in AUDITS])
def test_an_audit_finding_names_a_nested_item_in_words(registry: Registry, name: str, line: str) -> None:
    found = check_audit(INVALID / name, registry, CheckOptions(today=TODAY), name).diagnostics
    assert [
        f"{d.location.line}:{d.location.column}: {d.severity.value} {d.code} {d.message}" for d in found
    ] == [line]


@pytest.mark.parametrize(("name", "line"), AUDITS, ids=[a[0] for a in AUDITS])
def test_validate_names_a_nested_item_in_words(cli: Callable[..., Any], name: str, line: str) -> None:
    path = INVALID / name
    out = cli("validate", "--today", TODAY.isoformat(), str(path), expect=1)
    assert out.stdout.splitlines()[0] == f"{path}:{line}"


#: Standards files whose findings name a place inside a list: file, and its findings.
STANDARDS = [
    (
        "QA502-learning-point-unknown-standard.yaml",
        [
            "68:29: error QA502 Standard 2 of point 2 ('recording') of learning area 2 ('quality_learning') "
            "names the standard 'recrods', which this file does not define."
        ],
    ),
    (
        "QA501-duplicate-choice-id-of-a-standard-field.yaml",
        [
            "32:92: error QA501 'fields.seen_by' of standard 2 ('visits') of group 1 ('safety') lists the "
            "choice 'social_worker' twice (first at line 32)."
        ],
    ),
    (
        "QA502-rated-in-unknown-rating.yaml",
        [
            "51:49: error QA502 Rating 2 of condition 2 of 'when' of threshold rule 2 names the rating "
            "'poor', which this file does not define."
        ],
    ),
    (
        "QA502-constraint-unknown-rating.yaml",
        [
            "34:23: error QA502 Rating 1 of constraint 1 of standard 2 ('visits') of group 1 ('safety') "
            "names the rating 'poor', which this file does not define."
        ],
    ),
    (
        "QA502-threshold-unknown-group.yaml",
        [
            "45:24: error QA502 Item 1 of 'when.standards' of threshold rule 1 names the group or standard "
            "'safty', which this file does not define."
        ],
    ),
    (
        "QA502-threshold-unknown-grade.yaml",
        [
            "52:12: error QA502 'grade' of threshold rule 3 names the grade 'average', which this file "
            "does not define."
        ],
    ),
    (
        "QA502-escalation-unknown-grade.yaml",
        [
            "59:14: error QA502 Grade 1 of escalation rule 1 ('urgent') names the grade 'inadequate', "
            "which this file does not define."
        ],
    ),
    (
        "QA502-field-condition-unknown-choice.yaml",
        [
            "53:57: error QA502 'equals' of condition 1 of 'when' of threshold rule 1 names the choice "
            "'in_ned', which this file does not define.",
            "54:44: error QA502 'not.equals' of condition 2 of 'when' of threshold rule 1 names the "
            "choice 'dip_sampel', which this file does not define.",
        ],
    ),
    (
        "QA203-unknown-key-typo.yaml",
        [
            # Misspelt, with the key meant missing: one finding, at the key written.
            "27:9: error QA203 Unknown key 'titel' in standard 1 ('risk') of group 1 ('safety'), which "
            "is missing 'title'.",
        ],
    ),
    (
        "QA203-choice-unknown-key.yaml",
        [
            "13:9: error QA202 Choice 1 ('public') of 'case_fields.law' is missing 'label'.",
            "13:22: error QA203 Unknown key 'lable' in choice 1 ('public') of 'case_fields.law'.",
        ],
    ),
    (
        "QA209-condition-without-rated-or-count.yaml",
        [
            "50:11: error QA209 Condition 1 of 'when' of threshold rule 2: a rating condition needs "
            "exactly one of rated, rated_at_least, rated_at_most, rated_in."
        ],
    ),
    (
        "QA209-escalation-negative-days.yaml",
        [
            "60:30: error QA209 'acknowledge_within_days' of escalation rule 1 ('urgent'): Input should "
            "be greater than or equal to 0."
        ],
    ),
    (
        "QA208-choice-empty-label.yaml",
        ["13:30: error QA208 'label' of choice 2 ('private') of 'case_fields.law' is empty."],
    ),
]


@pytest.mark.parametrize(("name", "lines"), STANDARDS, ids=[s[0] for s in STANDARDS])
def test_a_standards_finding_names_its_place_in_words(name: str, lines: list[str]) -> None:
    framework, found = check_file(STANDARDS_INVALID / name)
    assert framework is None
    assert [
        f"{d.location.line}:{d.location.column}: {d.severity.value} {d.code} {d.message}" for d in found
    ] == lines


@pytest.mark.parametrize(("name", "lines"), STANDARDS, ids=[s[0] for s in STANDARDS])
def test_standards_check_names_places_in_words(cli: Callable[..., Any], name: str, lines: list[str]) -> None:
    path = STANDARDS_INVALID / name
    out = cli("standards", "check", str(path), expect=3)
    assert [line for line in out.stdout.splitlines() if line.startswith(f"{path}:")] == [
        f"{path}:{line}" for line in lines
    ]


def test_no_finding_of_a_standards_file_names_a_yaml_path() -> None:
    """No message of the standards data files writes a list's index as YAML does (``[0]``)."""
    for folder in ("invalid", "warnings"):
        for path in sorted((DATA / "standards" / folder).glob("*.yaml")):
            for d in check_file(path)[1]:
                assert not re.search(r"\w\[\d+\]", d.message), (path.name, d.message)

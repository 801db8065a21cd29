"""The rules of a record of another kind, on every kind of field a record can declare.

tests/data/record-rules/visit.yaml is a valid record of a test framework
(tests/data/record-rules/standards/records.yaml) whose kind declares date ranges and a ratings field
with labels and without, a due date and text. Each case changes some of its lines and lists every
finding the record must then get, exactly (today is 2026-11-22). The bundled frameworks declare no
date range in a record, and label every field, so tests/test_records.py cannot reach these rules.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, TODAY, changed, findings_with_hints
from qaimpact.audits.checker import CheckOptions, check_text
from qaimpact.frameworks.registry import Registry, bundled_dir

FOLDER = DATA / "record-rules"
VISIT = FOLDER / "visit.yaml"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry([bundled_dir(), FOLDER / "standards"])


CASES: list[Any] = [
    pytest.param({}, [], id="as-written"),
    pytest.param(
        {"covers: {from: 2026-09-01, to: 2026-10-01}": "covers: {from: 2026-10-01, to: 2026-09-01}"},
        [
            (
                "9:32 error QA309",
                "'covers' (Period the visit covers) ends on 2026-09-01 before it starts on 2026-10-01.",
                "Swap the dates or correct the one that is wrong.",
            )
        ],
        id="reversed-range",
    ),
    pytest.param(
        {"window: {from: 2026-09-15, to: 2026-09-30}": "window: {from: 2026-09-30, to: 2026-09-15}"},
        [
            (
                "10:32 error QA309",
                "'window' ends on 2026-09-15 before it starts on 2026-09-30.",
                "Swap the dates or correct the one that is wrong.",
            )
        ],
        id="reversed-range-without-label",
    ),
    pytest.param(
        {"window: {from: 2026-09-15, to: 2026-09-30}": "window: {from: 2026-09-30, to: 2026-09-30}"},
        [],
        id="range-of-one-day",
    ),
    pytest.param(
        {"seen:\n  plan: {rating: strong, evidence: The plan was on the fridge.}": "seen: {}"},
        [
            (
                "11:7 error QA208",
                "'seen' rates no standard.",
                "Add at least one standard with its rating, e.g. `plan: {rating: strong, evidence: ...}`.",
            )
        ],
        id="rates-nothing-without-label",
    ),
    pytest.param(
        {
            "covers: {from: 2026-09-01, to: 2026-10-01}": "covers: {from: 2026-09-01, to: 2062-10-01}",
            "window: {from: 2026-09-15, to: 2026-09-30}": "window: {from: 2062-09-15, to: 2062-09-30}",
        },
        [
            (
                "9:32 warning QA414",
                "The end date 2062-10-01 of 'covers.to' (Period the visit covers) is more than 5 years "
                "after 'visited_on' (2026-10-05).",
                "Check the year of the end date.",
            ),
            (
                "10:16 warning QA414",
                "The start date 2062-09-15 of 'window.from' is more than 5 years after 'visited_on' "
                "(2026-10-05).",
                "Check the year of the start date.",
            ),
            (
                "10:32 warning QA414",
                "The end date 2062-09-30 of 'window.to' is more than 5 years after 'visited_on' "
                "(2026-10-05).",
                "Check the year of the end date.",
            ),
        ],
        id="range-years",
    ),
    pytest.param(
        {
            "visited_on: 2026-10-05": "visited_on: 2026-11-22",
            "noted_on: 2026-10-06": "noted_on: 2026-11-22",
            "review_by: 2026-12-01": "review_by: 2031-11-23",
        },
        [
            (
                "8:12 warning QA414",
                "The due date 2031-11-23 in 'review_by' (Review by) is more than 5 years after "
                "'visited_on' (2026-11-22).",
                "Check the year of the due date.",
            )
        ],
        id="due-years-from-today",
    ),
    pytest.param(
        {
            "visited_on: 2026-10-05": "visited_on: 2026-11-22",
            "noted_on: 2026-10-06": "noted_on: 2026-11-22",
            "review_by: 2026-12-01": "review_by: 2031-11-22",
        },
        [],
        id="due-within-years-from-today",
    ),
    pytest.param(
        {
            "visited_on: 2026-10-05": "visited_on: 2000-01-01",
            "noted_on: 2026-10-06": "noted_on: 2000-01-02",
            "review_by: 2026-12-01": "review_by: 2005-01-02",
            "covers: {from: 2026-09-01, to: 2026-10-01}": "covers: {from: 1999-12-01, to: 2000-01-01}",
            "window: {from: 2026-09-15, to: 2026-09-30}": "window: {from: 1999-12-15, to: 1999-12-30}",
        },
        [
            (
                "8:12 warning QA414",
                "The due date 2005-01-02 in 'review_by' (Review by) is more than 5 years after "
                "'visited_on' (2000-01-01).",
                "Check the year of the due date.",
            ),
            (
                "9:16 warning QA414",
                "The start date 1999-12-01 of 'covers.from' (Period the visit covers) is before 2000.",
                "Check the year of the start date.",
            ),
            (
                "10:16 warning QA414",
                "The start date 1999-12-15 of 'window.from' is before 2000.",
                "Check the year of the start date.",
            ),
            (
                "10:32 warning QA414",
                "The end date 1999-12-30 of 'window.to' is before 2000.",
                "Check the year of the end date.",
            ),
        ],
        id="dated-first-day",
    ),
    pytest.param(
        {
            "notes: Saw the children's rooms.": 'notes: "See C:\\new\\x41b\\\\c\\/d.docx"',
            "follow_up: Book the review meeting.": 'follow_up: "Book the \\e review."',
        },
        [
            (
                "14:8 warning QA415",
                "In double quotes YAML read the path C:\\new\\x41b\\\\c\\/d.docx in 'notes' as special "
                "characters: \\n as a line break and \\x41 as the character it codes, so the text holds "
                "them in place of the backslashes.",
                "Put the text in single quotes, in which a backslash is just a backslash, or write the "
                "path with forward slashes (C:/new/x41b/c/d.docx), which Windows reads as well.",
            ),
            (
                "15:12 warning QA411",
                "'follow_up' holds the invisible character \\x1b (character 10).",
                "Delete it: it was probably pasted in by accident, and reports show it as an escape.",
            ),
        ],
        id="path-in-text",
    ),
    pytest.param(
        {
            "notes: Saw the children's rooms.": "notes: |\n  Saw the rooms.\n  Saw the garden.",
            "follow_up: Book the review meeting.": 'follow_up: "Book the \\e review."',
        },
        [
            (
                "17:12 warning QA411",
                "'follow_up' holds the invisible character \\x1b (character 10).",
                "Delete it: it was probably pasted in by accident, and reports show it as an escape.",
            )
        ],
        id="lines-then-escape",
    ),
    pytest.param(
        {"notes: Saw the children's rooms.": 'notes: "Saw the\\u200b rooms."'},
        [],
        id="zero-width-space-in-text",
    ),
    pytest.param(
        {"record_id: VIS-2026-001": 'record_id: "VIS\\u200b-2026-001"'},
        [
            (
                "5:12 error QA316",
                "'record_id' holds the invisible character \\u200b (character 4), which no name contains.",
                "Type it again without the invisible character (it was probably pasted in): names and ids "
                "are matched across records, and it would make this one differ.",
            )
        ],
        id="zero-width-space-in-id",
    ),
    pytest.param(
        {"visitor: Ada Quill": 'visitor: "C:\\new Ada"'},
        [
            (
                "6:10 error QA316",
                "'visitor' holds the invisible character \\n (character 3), which no name contains.",
                "Type it again without the invisible character (it was probably pasted in): names and ids "
                "are matched across records, and it would make this one differ.",
            )
        ],
        id="path-in-name",
    ),
    pytest.param(
        {"noted_on: 2026-10-06": "noted_on: 1999-05-01"},
        [
            (
                "13:11 error QA312",
                "'noted_on' is 1999-05-01, before 'visited_on' (date visited, 2026-10-05).",
                "Correct 'noted_on': it cannot come before 'visited_on'.",
            )
        ],
        id="before-the-record-and-before-2000",
    ),
    pytest.param(
        {
            "visited_on: 2026-10-05": "visited_on: 1999-06-01",
            "noted_on: 2026-10-06": "noted_on: 1999-06-01",
            "review_by: 2026-12-01": "review_by: 1999-06-02",
            "covers: {from: 2026-09-01, to: 2026-10-01}": "covers: {from: 1999-05-01, to: 1999-06-01}",
            "window: {from: 2026-09-15, to: 2026-09-30}": "window: {from: 1999-05-15, to: 1999-05-30}",
        },
        [
            (
                "7:13 warning QA414",
                "The date 1999-06-01 in 'visited_on' (Date visited) is before 2000.",
                "Check the year of the date.",
            ),
            (
                "8:12 warning QA414",
                "The due date 1999-06-02 in 'review_by' (Review by) is before 2000.",
                "Check the year of the due date.",
            ),
            (
                "9:16 warning QA414",
                "The start date 1999-05-01 of 'covers.from' (Period the visit covers) is before 2000.",
                "Check the year of the start date.",
            ),
            (
                "9:32 warning QA414",
                "The end date 1999-06-01 of 'covers.to' (Period the visit covers) is before 2000.",
                "Check the year of the end date.",
            ),
            (
                "10:16 warning QA414",
                "The start date 1999-05-15 of 'window.from' is before 2000.",
                "Check the year of the start date.",
            ),
            (
                "10:32 warning QA414",
                "The end date 1999-05-30 of 'window.to' is before 2000.",
                "Check the year of the end date.",
            ),
            (
                "13:11 warning QA414",
                "The date 1999-06-01 in 'noted_on' is before 2000.",
                "Check the year of the date.",
            ),
        ],
        id="same-day-as-a-record-before-2000",
    ),
    pytest.param(
        {
            "review_by: 2026-12-01": "review_by: 1999-01-01",
            "covers: {from: 2026-09-01, to: 2026-10-01}": "covers: {from: 2026-09-01, to: 2062-10-01}",
        },
        [
            (
                "8:12 error QA312",
                "'review_by' is 1999-01-01, before 'visited_on' (date visited, 2026-10-05).",
                "Correct 'review_by': it cannot come before 'visited_on'.",
            ),
            (
                "9:32 warning QA414",
                "The end date 2062-10-01 of 'covers.to' (Period the visit covers) is more than 5 years "
                "after 'visited_on' (2026-10-05).",
                "Check the year of the end date.",
            ),
        ],
        id="due-before-the-record-then-a-range-years-ahead",
    ),
    pytest.param(
        {
            "visited_on: 2026-10-05": "visited_on: 2020-01-06",
            "noted_on: 2026-10-06": "noted_on: 2026-11-22",
            "review_by: 2026-12-01": "review_by: 2020-02-01",
            "covers: {from: 2026-09-01, to: 2026-10-01}": "covers: {from: 2019-12-01, to: 2020-01-01}",
            "window: {from: 2026-09-15, to: 2026-09-30}": "window: {from: 2019-12-15, to: 2019-12-30}",
        },
        [
            (
                "13:11 warning QA414",
                "The date 2026-11-22 in 'noted_on' is more than 5 years after 'visited_on' (2020-01-06).",
                "Check the year of the date.",
            )
        ],
        id="noted-today-years-after-the-record",
    ),
    pytest.param(
        {
            "noted_on: 2026-10-06\n": "",
            "window: {from: 2026-09-15, to: 2026-09-30}": (
                "noted_on: 2062-01-04\nwindow: {from: 2026-09-15, to: 2062-09-30}"
            ),
        },
        [
            (
                "10:11 error QA312",
                "'noted_on' is 2062-01-04, after today (2026-11-22).",
                "Record 'noted_on' once it has happened, with the date it happened.",
            ),
            (
                "11:32 warning QA414",
                "The end date 2062-09-30 of 'window.to' is more than 5 years after 'visited_on' "
                "(2026-10-05).",
                "Check the year of the end date.",
            ),
        ],
        id="after-today-then-a-range-years-ahead",
    ),
]


@pytest.mark.parametrize(("replacements", "expected"), CASES)
def test_record_rules(
    registry: Registry, replacements: dict[str, str], expected: list[tuple[str, str, str]]
) -> None:
    text = changed(VISIT.read_text(encoding="utf-8"), replacements)
    check = check_text(text, "visit.yaml", registry, CheckOptions(today=TODAY))
    assert findings_with_hints(check) == expected


def test_validate_shows_a_record_finding_with_its_hint(cli: Callable[..., Any], tmp_path: Path) -> None:
    """The same rules through the command line: a record whose period ends before it starts."""
    record = tmp_path / "visit.yaml"
    record.write_text(
        changed(VISIT.read_text(encoding="utf-8"), {"to: 2026-10-01}": "to: 2026-08-01}"}), encoding="utf-8"
    )
    run = cli("validate", "--standards", FOLDER / "standards", "--today", TODAY.isoformat(), record, expect=1)
    assert run.stdout == (
        f"{record}:9:32: error QA309 'covers' (Period the visit covers) ends on 2026-08-01 before it "
        "starts on 2026-09-01.\n"
        "    hint: Swap the dates or correct the one that is wrong.\n"
        "Checked 1 file: 1 error and 0 warnings in 1 file.\n"
    )

"""A tracker with nothing from its header row down says so, rather than "none of the 31 columns".

An empty CSV file, or one cut short while it was copied to a shared drive, holds no audits; the
finding at the mapping's header row said the sheet had "none of the 31 columns the mapping names
in row 3", which sends a QA manager to check the mapping when the file is what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run

MAPPING = EXAMPLES / "import" / "tracker.mapping.yaml"
EMPTY = Path(__file__).resolve().parent / "data" / "import" / "empty"
FILE_HINT = (
    "Check that it is the tracker you meant: an empty file, or one cut short while it was copied, "
    "holds no audits. Check 'header_row:' (the row of the sheet that holds its headers)."
)


@pytest.mark.parametrize(
    ("name", "shown", "hint"),
    [
        ("empty.csv", "empty.csv", FILE_HINT),
        ("title-only.csv", "title-only.csv", FILE_HINT),
        # A sheet of a workbook: the file is whole; the mapping's header row is what to check.
        (
            "empty-sheet.xlsx",
            "empty-sheet.xlsx!Audits",
            "Check 'header_row:' (the row of the sheet that holds its headers).",
        ),
    ],
)
def test_a_tracker_with_nothing_from_its_header_row_down_says_so(
    cli: Callable[..., Run], name: str, shown: str, hint: str
) -> None:
    tracker = EMPTY / name
    run = cli("import", tracker, "--mapping", MAPPING, "--dry-run", expect=1)
    where = str(tracker.parent / shown)
    assert run.stderr.splitlines()[:2] == [
        f"{MAPPING}:6:13: error QA608 {where} holds nothing in row 3 (where the mapping reads its "
        "headers) or below it.",
        f"    hint: {hint}",
    ]

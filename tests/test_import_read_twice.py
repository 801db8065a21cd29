"""QA615: two keys of a mapping that read the same column are a warning at the second key.

A header copied under the wrong key fills that key with another's values: with ``reviewer:``
reading the practitioner's column, every audit would say the practitioner audited her own work.
The files under ``tests/data/import/read-twice/`` are the example tracker's mapping with
``reviewer`` given the practitioner's header, and given its column letter.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, TODAY, Run

DATA = Path(__file__).resolve().parent / "data" / "import" / "read-twice"
TRACKERS = {".xlsx": "{t}!Audits", ".csv": "{t}"}


@pytest.mark.parametrize("suffix", TRACKERS)
@pytest.mark.parametrize("mapping", ["tracker", "by-letter"])
def test_a_column_read_by_two_keys_is_a_warning_at_the_second(
    cli: Callable[..., Run], tmp_path: Path, suffix: str, mapping: str
) -> None:
    tracker = EXAMPLES / "import" / f"tracker{suffix}"
    given = DATA / f"{mapping}.mapping.yaml"
    run = cli(
        "import", tracker, "--mapping", given, "--audits", tmp_path / "audits", "--dry-run",
        "--keep-going", "--today", TODAY, expect=1,
    )  # fmt: skip
    sheet = TRACKERS[suffix].format(t=tracker)
    found = run.stderr.splitlines()
    at = found.index(
        f"{given}:30:13: warning QA615 'reviewer' and 'practitioner' are both read from column E "
        f"('Practitioner (FCA)') of {sheet}."
    )
    assert found[at + 1] == (
        "    hint: Check the column given for 'reviewer' under 'columns:': each key usually has a "
        "column of its own. If this column really holds both, leave the mapping as it is."
    )
    assert sum("QA615" in f for f in found) == 1
    # A warning: the rows are read as they would be without it (the example's 5 rows with errors).
    assert run.stdout.strip().endswith(
        "18 audits would be written, 0 unchanged, 2 skipped by the mapping, 5 with errors."
    )


def test_the_warning_is_said_once_for_a_workbook_of_several_sheets(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    # Regression (a review): a workbook of a sheet a year gave the same warning once a sheet.
    import openpyxl

    book = openpyxl.load_workbook(EXAMPLES / "import" / "tracker.xlsx")
    book.copy_worksheet(book["Audits"]).title = "Audits 2023"
    tracker = tmp_path / "tracker.xlsx"
    book.save(tracker)
    given = DATA / "all-sheets.mapping.yaml"
    run = cli(
        "import", tracker, "--mapping", given, "--audits", tmp_path / "audits", "--dry-run",
        "--keep-going", "--today", TODAY, expect=1,
    )  # fmt: skip
    assert [line for line in run.stderr.splitlines() if "QA615" in line] == [
        f"{given}:30:13: warning QA615 'reviewer' and 'practitioner' are both read from column E "
        f"('Practitioner (FCA)') of {tracker}!Audits."
    ]

"""A tracker saved from Excel as "Unicode Text (*.txt)" is imported as its CSV is.

Excel's "Unicode Text" writes UTF-16 (little-endian, with its byte order mark) and a tab between
cells. qaimpact refused it as "not text", though it is the one text format every version of
Excel writes with every letter kept. ``tests/data/import/utf16/tracker.txt`` is the example
tracker saved that way; the same rows, read from either file, give the same findings and audits.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run

IMPORT = EXAMPLES / "import"
MAPPING = IMPORT / "tracker.mapping.yaml"
UTF16 = Path(__file__).resolve().parent / "data" / "import" / "utf16" / "tracker.txt"


@pytest.mark.parametrize("order", ["little-endian", "big-endian"])
def test_a_unicode_text_tracker_imports_as_its_csv_does(
    cli: Callable[..., Run], tmp_path: Path, order: str
) -> None:
    tracker = UTF16
    if order == "big-endian":
        tracker = tmp_path / "tracker-be.txt"
        tracker.write_bytes(b"\xfe\xff" + UTF16.read_bytes().decode("utf-16").encode("utf-16-be"))
    as_text = cli("import", tracker, "--mapping", MAPPING, "--dry-run", expect=1)
    as_csv = cli("import", IMPORT / "tracker.csv", "--mapping", MAPPING, "--dry-run", expect=1)
    assert as_text.stdout.replace(str(tracker), "X") == as_csv.stdout.replace(
        str(IMPORT / "tracker.csv"), "X"
    )
    assert "18 audits ready" in as_text.stdout


def test_a_unicode_text_tracker_cut_short_is_refused_with_what_to_do(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    cut = tmp_path / "cut.txt"
    cut.write_bytes(UTF16.read_bytes()[:1001])  # an odd number of bytes: half a character
    run = cli("import", cut, "--mapping", MAPPING, "--dry-run", expect=1)
    assert (
        f"{cut}:1:1: error QA601 '{cut}' starts as UTF-16 text (Excel's 'Unicode Text'), but is cut "
        "short or damaged further on."
    ) in run.stderr
    assert (
        "hint: Save the sheet from Excel again, as 'CSV UTF-8 (Comma delimited)' or as an Excel "
        "Workbook (.xlsx), and import that file."
    ) in run.stderr


def test_a_byte_order_mark_of_utf16_before_utf8_text_is_read_as_before(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    # Review: the mark alone made the whole file UTF-16 (one line of CJK characters), where it
    # had been read as its text; UTF-16 is taken only where its zero bytes are there too.
    tracker = tmp_path / "marked.csv"
    tracker.write_bytes(b"\xff\xfe" + (IMPORT / "tracker.csv").read_bytes())
    run = cli("import", tracker, "--mapping", MAPPING, "--dry-run", expect=1)
    assert "18 audits ready" in run.stdout


def test_utf32_is_not_read_as_utf16(cli: Callable[..., Run], tmp_path: Path) -> None:
    # Review: UTF-32's mark starts with UTF-16's; Excel writes no UTF-32, so it is refused as
    # before, not read as UTF-16 into headers of zero characters.
    tracker = tmp_path / "tracker32.txt"
    tracker.write_bytes(UTF16.read_bytes().decode("utf-16").encode("utf-32"))
    run = cli("import", tracker, "--mapping", MAPPING, "--dry-run", expect=1)
    assert f"error QA601 '{tracker}' is not text: it holds bytes that no CSV file holds." in run.stderr
    assert "QA604" not in run.stderr


def test_a_unicode_text_tracker_named_xlsx_is_told_to_be_renamed(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    tracker = tmp_path / "tracker.xlsx"
    tracker.write_bytes(UTF16.read_bytes())
    run = cli("import", tracker, "--mapping", MAPPING, "--dry-run", expect=1)
    assert (
        f"error QA601 '{tracker}' is a text file (a CSV file, it seems) named .xlsx, not an Excel workbook."
    ) in run.stderr

"""A published workbook says what its marks in place of hidden figures mean.

A regression: ``summary --publish -f xlsx`` and ``quarterly --publish -f xlsx`` showed hidden
figures as ``<5``, ``*``, ``–`` and "not shown" with no word of what they mean, where the published
pages explain them in a note. The workbook now has a "Key" sheet, first after the Contents (which
lists it first), explaining in a board reader's words each mark found in its cells and no other.
The marks stay text cells and every figure shown stays a number. A workbook that hides nothing
(any unpublished one: the cycle's commands cannot publish) has no Key.

The published pages' note says what each mark means in the Key's words, every mark: it had its own
wording, and the Key's entry for '–' began "Not shown:", the words of the mark for a percentage.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.reports.tables import ABOUT

openpyxl = pytest.importorskip("openpyxl")

#: Three audits of one quarter (2026-Q4): every mark, in the summary and the quarterly report.
THREE = DATA / "characteristics"
#: One audit: its count is under 5, so no part of it is shown, nor any share; nothing is hidden
#: to protect another count (no "*").
ONE = DATA / "characteristics" / "ccc-inadequate.yaml"

#: What the Key says of each mark, exactly.
MEANING = {
    "<5": "A count from 1 to 4. Counts under 5 are not given exactly, so that no child, family or "
    "worker can be recognised from them.",
    "*": "A count of 5 or more, hidden so that a count under 5 cannot be worked out from the figures "
    "around it.",
    "–": "A count that is part of a count under 5. Its own number, which may be 0, is not given.",
    "not shown": "A percentage not given, as it would be of fewer than 5 audits or built on a count "
    "that is hidden.",
}
EVERY = ["<5", "*", "–", "not shown"]
NO_SECONDARY = ["<5", "–", "not shown"]


def key_rows(marks: list[str]) -> list[list[Any]]:
    return [["Shown as", "What it means"], *([m, MEANING[m]] for m in marks)]


def caption(said: str, verb: str = "mean") -> str:
    return f"What {said} {verb}: figures hidden in this published version"


def rows(sheet: Any) -> list[list[Any]]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def workbook(cli: Callable[..., Any], tmp_path: Path, *args: Any) -> Any:
    path = tmp_path / "book.xlsx"
    cli(*args, "--today", TODAY.isoformat(), "-f", "xlsx", "-o", path)
    return openpyxl.load_workbook(path)


@pytest.mark.parametrize(
    ("args", "marks", "said"),
    [
        pytest.param(
            ["summary", "--audits", THREE, "--publish"], EVERY, '<5, *, – and "not shown"', id="summary"
        ),
        pytest.param(
            ["quarterly", "--audits", THREE, "--quarter", "2026-Q4", "--publish"],
            EVERY,
            '<5, *, – and "not shown"',
            id="quarterly",
        ),
        pytest.param(
            ["summary", "--audits", ONE, "--publish"], NO_SECONDARY, '<5, – and "not shown"', id="one-audit"
        ),
    ],
)
def test_a_published_workbook_explains_the_marks_it_shows(
    cli: Callable[..., Any], tmp_path: Path, args: list[Any], marks: list[str], said: str
) -> None:
    book = workbook(cli, tmp_path, *args)
    assert book.sheetnames[:2] == ["Contents", "Key"]
    # After the rows that say what the report is and the dates it covers.
    contents = [row for row in rows(book["Contents"])[1:] if row[0] not in ABOUT]
    assert contents[0] == ["Key", caption(said)]
    assert [row[0] for row in contents] == book.sheetnames[1:]
    assert rows(book["Key"]) == key_rows(marks)
    tables = [ws for ws in book.worksheets if ws.title not in ("Contents", "Key")]
    cells = [c for ws in tables for row in ws.iter_rows(min_row=2) for c in row]
    # Each mark the Key explains is in the tables, and each mark in the tables is explained.
    assert sorted({c.value for c in cells if c.value in MEANING}) == sorted(marks)
    # A mark is text; a figure shown is a number, never a number written as text.
    assert all(c.data_type == "s" for c in cells if c.value in MEANING)
    assert not [c.coordinate for c in cells if isinstance(c.value, str) and c.value.strip().isdigit()]
    assert any(isinstance(c.value, int) and not isinstance(c.value, bool) for c in cells)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["summary", "--audits", THREE], id="summary"),
        pytest.param(["quarterly", "--audits", THREE, "--quarter", "2026-Q4"], id="quarterly"),
        pytest.param(["actions", "--audits", EXAMPLES / "service"], id="actions"),
        pytest.param(["moderation", "--audits", EXAMPLES / "service"], id="moderation"),
    ],
)
def test_a_workbook_that_hides_nothing_has_no_key(
    cli: Callable[..., Any], tmp_path: Path, args: list[Any]
) -> None:
    book = workbook(cli, tmp_path, *args)
    assert "Key" not in book.sheetnames
    assert "Key" not in [row[0] for row in rows(book["Contents"])]


@pytest.mark.parametrize(
    ("args", "marks", "said"),
    [
        pytest.param(["--audits", THREE], EVERY, '<5, *, – and "not shown"', id="three-audits"),
        pytest.param(["--audits", ONE], NO_SECONDARY, '<5, – and "not shown"', id="one-audit"),
    ],
)
def test_summary_sheets_put_the_key_after_the_contents(
    cli: Callable[..., Any], args: list[Any], marks: list[str], said: str
) -> None:
    """The function the workbook is written from, on the published JSON view."""
    from qaimpact.reports import tables

    run = cli("summary", *args, "--publish", "-f", "json", "--today", TODAY.isoformat())
    view = json.loads(run.stdout)
    contents, key, *rest = tables.summary_sheets(view)
    assert (key.title, key.caption, key.columns, key.rows) == (
        "Key",
        caption(said),
        *key_rows(marks)[:1],
        key_rows(marks)[1:],
    )
    assert key.sources == [[None, None]] * len(marks)
    listed = [row for row in contents.rows if row[0] not in ABOUT]
    assert listed[0] == ["Key", caption(said)]
    assert [row[0] for row in listed] == [s.title for s in (key, *rest)]
    # The same view, as if unpublished: its texts are the audits' own, and explain nothing.
    assert "Key" not in [s.title for s in tables.summary_sheets({**view, "publish": False})]


@pytest.mark.parametrize(
    ("marks", "said"),
    [
        (["<5"], caption("<5", "means")),
        (["not shown"], caption('"not shown"', "means")),
        (["<5", "–"], caption("<5 and –")),
        (EVERY, caption('<5, *, – and "not shown"')),
    ],
)
def test_the_key_s_caption_names_the_marks_it_explains(marks: list[str], said: str) -> None:
    from qaimpact.reports.tables import key_caption

    assert key_caption(marks) == said


#: The published page's note, before what each mark means.
PUBLISHED = (
    "Published version: names are replaced by pseudonyms and no individual audit, file or folder is "
    "named. Figures that could let someone be recognised are hidden, and shown as follows:"
)
#: Each mark as a page in each format writes it (escaped: Markdown's '<' and '*' start HTML and
#: emphasis).
WRITTEN = {
    "md": {"<5": "\\<5", "*": "\\*", "–": "–", "not shown": "not shown"},
    "html": {"<5": "&lt;5", "*": "*", "–": "–", "not shown": "not shown"},
}
#: The note in each format of a page: every mark, each with its meaning in the Key's words.
NOTE = {
    "md": "".join([f"- {PUBLISHED}\n", *(f"  - {WRITTEN['md'][m]}: {MEANING[m]}\n" for m in EVERY)]),
    "html": "".join(
        [
            f'<div class="note">\n<p>{PUBLISHED}</p>\n<dl class="facts">\n',
            *(f"  <dt>{WRITTEN['html'][m]}</dt><dd>{MEANING[m]}</dd>\n" for m in EVERY),
            "</dl>\n</div>\n",
        ]
    ),
}


@pytest.mark.parametrize("fmt", NOTE)
@pytest.mark.parametrize(
    ("args", "marks"),
    [
        pytest.param(["summary", "--audits", THREE], EVERY, id="summary"),
        pytest.param(["quarterly", "--audits", THREE, "--quarter", "2026-Q4"], EVERY, id="quarterly"),
        pytest.param(["summary", "--audits", ONE], NO_SECONDARY, id="one-audit"),
    ],
)
def test_a_published_page_says_what_each_mark_means_in_the_words_of_the_key(
    cli: Callable[..., Any], tmp_path: Path, args: list[Any], marks: list[str], fmt: str
) -> None:
    """The page's note explains every mark, whichever its figures show (it is read apart from
    the workbook), each in the words of the workbook's Key, which explains only its own."""
    page = cli(*args, "--publish", "--today", TODAY.isoformat(), "-f", fmt).stdout
    assert page.count(NOTE[fmt]) == 1
    assert rows(workbook(cli, tmp_path, *args, "--publish")["Key"]) == key_rows(marks)
    # Unpublished, nothing is hidden and there is no note.
    assert "Published version" not in cli(*args, "--today", TODAY.isoformat(), "-f", fmt).stdout


def test_a_template_of_one_s_own_gives_the_marks_in_the_same_words(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    """``disclosure_marks``, the bundled note's source, is there for a template of one's own too."""
    (tmp_path / "summary.md.j2").write_text(
        "{% for mark, meaning in disclosure_marks.items() %}{{ mark | md }}: {{ meaning }}\n{% endfor %}",
        encoding="utf-8",
    )
    out = cli("summary", "--audits", ONE, "--publish", "--today", TODAY.isoformat(), "--templates", tmp_path)
    # Then the note every redacted Markdown report ends with.
    marks, _, redaction = out.stdout.partition("\n\n> ")
    assert marks + "\n" == "".join(f"{WRITTEN['md'][m]}: {MEANING[m]}\n" for m in EVERY)
    assert redaction.startswith("Names and case numbers are replaced by pseudonyms")

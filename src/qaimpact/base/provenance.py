"""Recognising a file qaimpact wrote, so that ``--output`` replaces an earlier report and nothing else.

Running a report again each month writes over last month's file, as people expect. Any other file
is someone's work (their notes, a caseload list, a board paper) and is replaced only with
``--force``. A file name proves nothing (``notes.md`` and ``cases.csv`` are common names for a
person's own files), so an earlier report is recognised by what it holds, by the marks each of
qaimpact's outputs carries:

- Markdown reports end with the line ``Made by qaimpact VERSION on DATE.``;
- HTML reports carry ``<meta name="generator" content="qaimpact VERSION">``;
- JSON reports begin with ``schema_version`` and ``kind``; JSON Schemas have a ``urn:qaimpact:``
  ``$id``; SARIF names qaimpact as its tool; ``validate --format json`` is a list of findings;
- ``validate``'s text and GitHub annotations end with its ``Checked N files: ...`` line, and its
  JUnit report names the ``qaimpact validate`` test suite;
- a CSV file cannot carry a mark that Excel would not show as data, so an earlier CSV report is
  one whose header row is the header row of the report being written (the same columns, in the
  same order): a CSV file of the same report;
- workbooks record qaimpact as their author (:data:`WORKBOOK_CREATOR`).

An empty file holds nothing to lose, and counts as replaceable. Only the first and last few
kilobytes of a file are read: every mark is at one end, and a huge file costs no more to judge.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

#: The author a workbook qaimpact writes records (:mod:`qaimpact.reports.xlsx`).
WORKBOOK_CREATOR = "qaimpact"

_HEAD = 16_384
_TAIL = 4_096

#: The last line of every Markdown report (the templates' footer).
_MARKDOWN_FOOTER = re.compile(r"Made by qaimpact \S+ on \d{4}-\d{2}-\d{2}\.")
#: ``validate``'s summary line, the last line of its text and GitHub formats.
_VALIDATE_SUMMARY = re.compile(
    r"Checked [\d,]+ files?: (no problems found|[\d,]+ errors? and [\d,]+ warnings? in [\d,]+ files?)\."
)
_JSON_REPORT = re.compile(r'\{\s*"schema_version":\s*"[0-9.]+",\s*"kind":\s*"')
_JSON_SCHEMA = re.compile(r'\{\s*"\$schema":\s*"[^"]*",\s*"\$id":\s*"urn:qaimpact:')
_VALIDATE_JSON = re.compile(r'\[\s*(\]|\{\s*"file":[^{}]*?"code":\s*"QA\d+")')
_SARIF = re.compile(r'"\$schema":\s*"https://json\.schemastore\.org/sarif[^"]*".*?"name":\s*"qaimpact"', re.S)


def earlier_report(path: Path, *, csv_header: str | None = None) -> bool:
    """Whether ``path`` holds nothing, or a report qaimpact wrote, which ``--output`` may replace.

    ``csv_header``: the header row of the CSV report about to be written; a CSV file with that
    same header row is an earlier copy of that report. Raises ``OSError`` when the file cannot
    be read, so that the caller can say so rather than call it someone's work.
    """
    if earlier_workbook(path):
        return True
    with open(path, "rb") as handle:
        head = handle.read(_HEAD)
        whole = len(head) < _HEAD
        tail, complete = head, whole  # complete: tail holds the whole file
        if not whole:  # a long file: read its last few kilobytes as well
            size = handle.seek(0, 2)
            offset = max(_HEAD, size - _TAIL)
            handle.seek(offset)
            complete = offset == _HEAD
            tail = (head if complete else b"") + handle.read()
    first = head.decode("utf-8", "replace").removeprefix("\ufeff")
    end = tail.decode("utf-8", "replace")
    if not first.strip():  # empty only if read to its end: text may follow a blank start
        return complete and not end.removeprefix("\ufeff").strip()
    lines = end.rstrip().splitlines()
    # --redact and --publish add their note as a quotation below a Markdown report's footer.
    while lines and (not lines[-1].strip() or lines[-1].startswith(">")):
        lines.pop()
    last = lines[-1].strip() if lines else ""
    start = first.lstrip()
    return bool(
        _MARKDOWN_FOOTER.fullmatch(last)
        or (_VALIDATE_SUMMARY.fullmatch(last) and _one_run(end if complete else f"{first}\n{end}"))
        or '<meta name="generator" content="qaimpact' in first
        or '<testsuite name="qaimpact validate"' in first
        or _JSON_REPORT.match(start)
        or _JSON_SCHEMA.match(start)
        or _VALIDATE_JSON.match(start)
        or (start.startswith("{") and _SARIF.search(first))
        or (csv_header is not None and _same_header(first, csv_header))
    )


def _one_run(text: str) -> bool:
    """Whether a validate report holds one run's findings: a log of several runs (``validate >>
    ci.log``) is a person's record, kept."""
    return sum(1 for line in text.splitlines() if _VALIDATE_SUMMARY.fullmatch(line.strip())) == 1


def earlier_workbook(path: Path) -> bool:
    """Whether ``path`` is a workbook qaimpact wrote (an earlier ``--format xlsx`` report). Any
    other workbook is someone's work. Read with the standard library: a workbook is a zip of XML
    parts, and its author is in ``docProps/core.xml``."""
    try:
        with zipfile.ZipFile(path) as book:
            core = book.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return f"<dc:creator>{WORKBOOK_CREATOR}</dc:creator>" in core


def _same_header(text: str, header: str) -> bool:
    """Whether the first row of ``text`` has the cells of ``header`` (Excel may have saved the file
    again with other quoting or line endings; the cells are what count)."""
    first = text.splitlines()[0] if text else ""
    try:
        mine = next(csv.reader([header.removeprefix("\ufeff")]), [])
        theirs = next(csv.reader([first]), [])
    except csv.Error:
        return False
    return len(mine) > 1 and theirs == mine

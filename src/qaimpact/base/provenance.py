"""Recognising a file qaimpact wrote, so that ``--output`` replaces an earlier report and nothing else.

Running a report again each month writes over last month's file, as people expect. Any other file
is someone's work (their notes, a caseload list, a board paper) and is replaced only with
``--force``. A file name proves nothing (``notes.md`` and ``cases.csv`` are common names for a
person's own files), so an earlier report is recognised by what it holds, by the marks each of
qaimpact's outputs carries:

- a Markdown or HTML page (its footer ``Made by qaimpact VERSION on DATE.``, its tag
  ``<meta name="generator" content="qaimpact VERSION">``) written with ``--output`` ends with a
  seal (:func:`seal`), the SHA-256 of the page: it is replaced only while it still matches, so a
  page a person has written on since is kept; a page without a seal cannot be told unchanged;
- JSON reports begin with ``schema_version`` and ``kind``; JSON Schemas have a ``urn:qaimpact:``
  ``$id``; SARIF names qaimpact as its tool; ``validate --format json`` is a list of findings;
- ``validate``'s text and GitHub annotations end with its ``Checked N files: ...`` line (once: a
  log of several runs is a person's), and its JUnit report names the ``qaimpact validate`` suite;
- a CSV file cannot carry a mark that Excel would not show as data, so an earlier CSV report is
  one whose header row is the header row of the report being written (the same columns, in the
  same order): a CSV file of the same report;
- workbooks record qaimpact as their author and last editor (:data:`WORKBOOK_CREATOR`), and were
  last saved when they were made: Excel records whoever saves one after.

Marks show what a file is, not that nobody has changed it since: a person can add a column of
notes to a CSV report and keep its header row. So every ``--output`` file qaimpact writes is also
noted in a record kept in the user's cache folder (:mod:`qaimpact.base.written`: fingerprints of
the path and of what was written, never the path itself). A file the marks call an earlier report
(every kind but a sealed page, whose seal decides) that the record holds, and that no longer
matches what was written to it, has been changed since: :attr:`Verdict.CHANGED`, kept. A file the
record does not hold (written on another machine, by an older version, or checked out of git) is
judged by its marks alone, as before; so is every file when the record is missing or unreadable.

An empty file holds nothing to lose, and counts as replaceable. Only the first and last few
kilobytes of a file are read, every mark being at one end, except that a sealed page is hashed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import zipfile
from enum import Enum
from pathlib import Path
from typing import BinaryIO

#: The author a workbook qaimpact writes records (:mod:`qaimpact.reports.xlsx`).
WORKBOOK_CREATOR = "qaimpact"

_HEAD = 16_384
_TAIL = 4_096

#: A page's seal (:func:`seal`): an HTML comment, so that no reader sees it.
SEAL_START = "<!-- qaimpact-sha256:"
SEAL_END = " -->"
_SEAL = re.compile(rb"<!-- qaimpact-sha256:([0-9a-f]{64}) -->\r?\n?\Z")
_SEAL_ANYWHERE = re.compile(rb"<!-- qaimpact-sha256:[0-9a-f]{64} -->")

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


class Verdict(Enum):
    """What a file already at an ``--output`` path is, for deciding whether to replace it."""

    #: Empty, or a report qaimpact wrote and nobody has changed since: replaced.
    EARLIER = "earlier"
    #: A report qaimpact wrote, changed since (notes added to a page, a workbook saved again).
    CHANGED = "changed"
    #: A CSV or JSON report that is not what qaimpact last wrote to this path on this computer (the
    #: record of :mod:`qaimpact.base.written`): a person may have changed it, or it is another
    #: run's copy (a ``git pull``, a colleague's); which cannot be told, so it is kept.
    NOT_AS_WRITTEN = "not as written"
    #: A qaimpact page that carries no seal (redirected with ``>``, or from an older version):
    #: whether it was changed since cannot be told.
    UNSEALED = "unsealed"
    #: Anything else: someone's own file.
    OTHER = "other"


def seal(text: str) -> str:
    """``text`` with a seal after it if it is a Markdown or HTML report: an HTML comment holding
    the SHA-256 of the text before it, so that a later ``--output`` can tell the page unchanged
    (replaced) from one a person has since written on (kept). Hidden on GitHub and in browsers."""
    if not _is_page(text):
        return text
    # Line endings do not count: git may check a page out with CRLF on Windows, unchanged.
    digest = hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()
    return f"{text}{SEAL_START}{digest}{SEAL_END}\n"


def _is_page(text: str) -> bool:
    if '<meta name="generator" content="qaimpact' in text[:_HEAD]:
        return True
    return bool(_MARKDOWN_FOOTER.fullmatch(_last_line(text[-_TAIL:].splitlines())))


def _last_line(lines: list[str]) -> str:
    """The last line of a page before the notes ``--redact`` and ``--publish`` quote below it."""
    lines = list(lines)
    while lines and (not lines[-1].strip() or lines[-1].startswith(">")):
        lines.pop()
    return lines[-1].strip() if lines else ""


def earlier_report(path: Path, *, csv_header: str | None = None) -> bool:
    """Whether ``path`` holds nothing, or a report qaimpact wrote and nobody changed since, which
    ``--output`` may replace (:func:`judge`)."""
    return judge(path, csv_header=csv_header) is Verdict.EARLIER


def judge(path: Path, *, csv_header: str | None = None) -> Verdict:
    """What the file at ``path`` is (:class:`Verdict`).

    ``csv_header``: the header row of the CSV report about to be written; a CSV file with that
    same header row is an earlier copy of that report. A report by its marks that the record of
    what qaimpact wrote shows changed since is :attr:`Verdict.CHANGED` (see above). Raises
    ``OSError`` when the file cannot be read, so that the caller can say so rather than call it
    someone's work.
    """
    book = _workbook(path)
    if book is not None:
        return _unless_changed(path, book)
    with open(path, "rb") as handle:
        head = handle.read(_HEAD)
        whole = len(head) < _HEAD
        tail, complete = head, whole  # complete: tail holds the whole file
        size = len(head)
        if not whole:  # a long file: read its last few kilobytes as well
            size = handle.seek(0, 2)
            offset = max(_HEAD, size - _TAIL)
            handle.seek(offset)
            complete = offset == _HEAD
            tail = (head if complete else b"") + handle.read()
        sealed = _SEAL.search(tail)
        if sealed is None and _SEAL_ANYWHERE.search(tail):
            return Verdict.CHANGED  # written on below its seal
        if sealed is not None:
            # The page must hash to its seal: any change by a person, anywhere in it, shows.
            return (
                Verdict.EARLIER
                if _digest(handle, size - len(sealed.group(0))) == sealed.group(1).decode()
                else Verdict.CHANGED
            )
    first = head.decode("utf-8", "replace").removeprefix("\ufeff")
    end = tail.decode("utf-8", "replace")
    if not first.strip():  # empty only if read to its end: text may follow a blank start
        return Verdict.EARLIER if complete and not end.removeprefix("\ufeff").strip() else Verdict.OTHER
    last = _last_line(end.rstrip().splitlines())
    if _MARKDOWN_FOOTER.fullmatch(last) or '<meta name="generator" content="qaimpact' in first:
        return Verdict.UNSEALED
    start = first.lstrip()
    known = bool(
        (_VALIDATE_SUMMARY.fullmatch(last) and _one_run(end if complete else f"{first}\n{end}"))
        or '<testsuite name="qaimpact validate"' in first
        or _JSON_REPORT.match(start)
        or _JSON_SCHEMA.match(start)
        or _VALIDATE_JSON.match(start)
        or (start.startswith("{") and _SARIF.search(first))
        or (csv_header is not None and _same_header(first, csv_header))
    )
    return _unless_changed(path, Verdict.EARLIER) if known else Verdict.OTHER


def _unless_changed(path: Path, verdict: Verdict) -> Verdict:
    """An earlier report by its marks, unless the record of what qaimpact wrote
    (:mod:`qaimpact.base.written`) shows that it has been changed since it was written."""
    if verdict is not Verdict.EARLIER:
        return verdict
    from qaimpact.base.written import changed_since

    return Verdict.NOT_AS_WRITTEN if changed_since(path) else Verdict.EARLIER


def _digest(handle: BinaryIO, length: int) -> str:
    """The SHA-256 of the first ``length`` bytes of ``handle`` with CRLF read as LF (as
    :func:`seal` hashes), read a megabyte at a time."""
    handle.seek(0)
    digest = hashlib.sha256()
    pending = b""  # a CR at the end of one chunk, whose LF may start the next
    while length > 0:
        chunk = handle.read(min(length, 1 << 20))
        if not chunk:
            break
        length -= len(chunk)
        data = pending + chunk
        pending = b"\r" if data.endswith(b"\r") else b""
        digest.update((data[:-1] if pending else data).replace(b"\r\n", b"\n"))
    digest.update(pending)
    return digest.hexdigest()


def _one_run(text: str) -> bool:
    """Whether a validate report holds one run's findings: a log of several runs (``validate >>
    ci.log``) is a person's record, kept."""
    return sum(1 for line in text.splitlines() if _VALIDATE_SUMMARY.fullmatch(line.strip())) == 1


def _workbook(path: Path) -> Verdict | None:
    """What a workbook is: qaimpact's, untouched (its author and last editor are qaimpact, and it
    was last saved when it was made), qaimpact's saved since by someone (Excel records who, and
    when), or anyone else's; ``None`` if ``path`` is not a workbook. Read with the standard
    library: a workbook is a zip of XML parts, its properties in ``docProps/core.xml``."""
    try:
        with zipfile.ZipFile(path) as book:
            core = book.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    if f"<dc:creator>{WORKBOOK_CREATOR}</dc:creator>" not in core:
        return Verdict.OTHER
    editor = re.search(r"<cp:lastModifiedBy>(.*?)</cp:lastModifiedBy>", core)
    if editor is None:
        return Verdict.UNSEALED  # from a version that did not record its last editor
    times = [re.search(rf"<dcterms:{t}[^>]*>([^<]+)</dcterms:{t}>", core) for t in ("created", "modified")]
    try:
        created, modified = (_utc(m.group(1)) for m in times if m)
    except ValueError:  # a date missing or unreadable: not as qaimpact writes it
        return Verdict.CHANGED
    # Saving a big workbook takes a few seconds after it is made; a person's edit comes later.
    untouched = editor.group(1) == WORKBOOK_CREATOR and abs((modified - created).total_seconds()) <= 120
    return Verdict.EARLIER if untouched else Verdict.CHANGED


def _utc(text: str) -> dt.datetime:
    """A W3C date-time (``2026-11-30T08:18:41Z``, or with an offset, or none) as UTC."""
    moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


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

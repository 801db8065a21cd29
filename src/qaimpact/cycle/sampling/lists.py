"""The case list and the auditors list: CSV files exported from a case management system.

:func:`read_cases` and :func:`read_auditors` read them forgivingly (any column order, extra
columns ignored, Excel's byte order mark and separators recognised) and refuse them plainly:
every problem at ``file:line`` with what to write instead, at most :data:`MAX_LISTED` at a time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from qaimpact.base.dates import date_hint
from qaimpact.base.diagnose import suggest
from qaimpact.base.errors import UsageError
from qaimpact.base.escaping import clip
from qaimpact.base.fileio import FileTooLarge, NotRegularFile, read_regular

# Case identifiers match as every command matches them: ignoring case, spaces and dashes.
from qaimpact.models.audit import ident_key, person_key

#: A case list is a few thousand rows; anything far larger is not one.
MAX_CSV_BYTES = 5 * 1024 * 1024

#: Problems listed in one error; a file wrong on every line needs one fix, not ten thousand lines.
MAX_LISTED = 20

#: The words of a status, whatever stands between them.
_WORDS = re.compile(r"[^\W_]+")
_SAVE_AS = "in Excel use File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'"


#: The stratum of a case whose --stratify cell is empty.
NOT_RECORDED = "(not recorded)"


def _clean(value: str) -> str:
    return " ".join(value.split())


@dataclass(frozen=True, slots=True)
class Case:
    """A case that can be sampled: one row of the cases CSV (``line`` is where it starts)."""

    line: int
    case_id: str
    team: str
    practitioner: str
    framework: str | None = None
    #: The case's value of the column ``sample --stratify`` names (:data:`NOT_RECORDED` if empty).
    stratum: str | None = None
    #: The case's ``status`` cell, spaces tidied (``None`` without the column or with it empty).
    status: str | None = None
    #: The case's ``closed_on`` cell, the day it was closed (``None`` without one).
    closed_on: dt.date | None = None

    @property
    def key(self) -> str:
        """The identifier as audits are matched on it."""
        return ident_key(self.case_id)

    def closed(self, today: dt.date) -> bool:
        """Whether the case was closed by ``today``: its status begins with the word "closed" or
        the words "case closed" ("Closed", "Closed - NFA", "Case closed - NFA"), or it has a
        ``closed_on`` date on or before ``today``.

        A ``closed_on`` after ``today`` is a closure to come: the case is still open, so that a
        plan made with an earlier ``--today`` comes out as it did then.
        """
        # Words apart whatever stands between them: "CLOSED.", "Closed:NFA", "Closed–NFA" (Word's
        # en dash); "Case closed" is how some systems write the same status.
        words = _WORDS.findall((self.status or "").casefold())
        if words[:1] == ["closed"] or words[:2] == ["case", "closed"]:
            return True
        return self.closed_on is not None and self.closed_on <= today


@dataclass(frozen=True, slots=True)
class Auditor:
    """Someone who can audit: one row of the auditors CSV. ``capacity`` ``None`` means no limit."""

    line: int
    name: str
    team: str
    capacity: int | None = None
    #: The framework ids they audit against; empty means any.
    frameworks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Row:
    """A row of a CSV file: the line it starts on and the cells of the columns asked for."""

    line: int
    cells: dict[str, str]


def _column_name(cell: str) -> str:
    # "Case ID", "case-id" and " case_id " all name the case_id column.
    return re.sub(r"[\s\-]+", "_", cell.strip()).casefold()


def and_names(items: Sequence[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (or ``or``)."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def refusal(path: Path, problems: list[str]) -> UsageError:
    """One error listing a file's problems (the first :data:`MAX_LISTED`, then how many more)."""
    listed = problems[:MAX_LISTED]
    more = len(problems) - len(listed)
    heading = f"{path} has {len(problems)} problem{'s' if len(problems) != 1 else ''}"
    lines = [f"  {p}" for p in listed]
    if more:
        lines.append(f"  ... and {more} more.")
    fix = "fix it" if len(problems) == 1 else "fix them"
    return UsageError(f"{heading}; {fix} and run again:", details=lines)


#: Separators a spreadsheet may have used instead of commas, as a header row of one cell shows.
_OTHER_SEPARATORS = ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars"))


def check_list_path(path: Path, noun: str) -> None:
    """Refuse a path for the ``noun`` list (``case``) that is no file: one that does not exist,
    or a folder. Asked before the audits are read, as well as by :func:`read_table`: a mistyped
    list's name is said at once, not after every audit of the folder has been read."""
    if not path.exists():
        raise UsageError(f"'{path}' does not exist: check the path of the {noun} list.")
    if path.is_dir():
        raise UsageError(f"'{path}' is a folder: give the {noun} list's CSV file.")


def read_table(path: Path, required: Sequence[str], optional: Sequence[str], noun: str) -> list[Row]:
    """The rows of a CSV file with a header, as cells of the columns asked for (stripped).

    Raises :class:`UsageError` for a file that cannot be read as CSV, and for header problems.
    Blank rows (a spreadsheet's trailing ``,,,``) are left out.
    """
    check_list_path(path, noun)
    try:
        raw = read_regular(path, MAX_CSV_BYTES)[0]
    except FileTooLarge as exc:
        size = f"is {exc.size / 1024 / 1024:.1f} MB" if exc.size is not None else "grew while it was read"
        raise UsageError(
            f"{path} {size}, more than the {MAX_CSV_BYTES // 1024 // 1024} MB "
            f"a {noun} list may be: remove the columns qaimpact does not use, or split the list."
        ) from None
    except NotRegularFile as exc:
        raise UsageError(f"'{path}' was not read: {exc.strerror}. Give the {noun} list's CSV file.") from None
    except OSError as exc:
        raise UsageError(f"'{path}' could not be read: {exc.strerror or exc}.") from None
    if raw.startswith(b"PK\x03\x04"):
        raise UsageError(f"{path} is a spreadsheet workbook, not a CSV file: {_SAVE_AS}.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UsageError(
            f"{path}:{line}: the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}): {_SAVE_AS}."
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise UsageError(f"{path}:{line}: the file holds binary data, so it is not a CSV file: {_SAVE_AS}.")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if any(c.strip() for c in cells):
                records.append((start, cells))
    except csv.Error as exc:
        raise UsageError(
            f"{path}:{reader.line_num}: this is not a well-formed CSV line ({exc}): a cell with a "
            f'comma, a quote or a line break must be in double quotes, with each quote inside doubled (""). '
            f"To be safe, {_SAVE_AS}."
        ) from None
    if not records:
        raise UsageError(
            f"{path} is empty: it needs a header row naming the columns {and_names(required)}, "
            f"then one row per {noun}."
        )
    header_line, header = records[0]
    columns: dict[str, list[int]] = {}
    for index, cell in enumerate(header):
        columns.setdefault(_column_name(cell), []).append(index)
    problems: list[str] = []
    missing = [c for c in required if c not in columns]
    if missing:
        found = ", ".join(c.strip() for c in header if c.strip())
        separator = next(
            (name for mark, name in _OTHER_SEPARATORS if len(header) == 1 and mark in header[0]), None
        )
        hint = (
            f" It looks separated by {separator}, not commas: save it again as 'CSV UTF-8 (Comma delimited)'."
            if separator
            else ""
        )
        problems.append(
            f"{path}:{header_line}: the header row has no {and_names(missing, 'or')} column: name the "
            f"columns {and_names(required)} in the first row (it names: {found}).{hint}"
        )
    for name in (*required, *optional):
        places = columns.get(name, [])
        if len(places) > 1:
            problems.append(
                f"{path}:{header_line}: the header row names the {name} column {len(places)} times "
                f"(columns {and_names([str(i + 1) for i in places])}): keep one and rename or delete "
                "the others."
            )
    if problems:
        raise refusal(path, problems)
    wanted = {name: columns[name][0] for name in (*required, *optional) if name in columns}
    return [
        Row(line, {name: cells[i].strip() if i < len(cells) else "" for name, i in wanted.items()})
        for line, cells in records[1:]
    ]


#: The optional columns of a case list that say a case is closed.
CLOSURE_COLUMNS = ("status", "closed_on")


#: A time of day after a date, as a spreadsheet exported from a case management system writes a
#: date cell ("2026-10-03 00:00:00", "03/10/2026 00:00", "2026-10-03T00:00"): the day is the date.
_TIME_OF_DAY = re.compile(r"(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


def _date(text: str) -> dt.date | None:
    """A date as a case list writes it: 2026-10-03, or 03/10/2026 (day first, as in the UK),
    with or without a time of day after it."""
    day = _TIME_OF_DAY.sub("", text.strip())
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(day, pattern).date()
        except ValueError:
            continue
    return None


_CASE_FIXES = {
    "case_id": "write the case's identifier, as the audits record it (its case reference or ECMS number)",
    "team": "write the team that holds the case",
    "practitioner": "write the name of the practitioner who holds the case",
}


def read_cases(path: Path, frameworks: Collection[str], stratify: str | None = None) -> list[Case]:
    """The cases of a cases CSV: columns ``case_id``, ``team``, ``practitioner``, optionally
    ``framework`` (one of ``frameworks``), ``status`` and ``closed_on`` (which say whether the
    case is closed: :meth:`Case.closed`), and the column ``stratify`` names when given (each
    case's stratum: its value, spaces tidied, or :data:`NOT_RECORDED` where empty); any other
    column is ignored.

    Every problem found is reported at once, each at ``file:line`` with its column, in one
    :class:`UsageError`.
    """
    column = _column_name(stratify) if stratify is not None else None
    required = ("case_id", "team", "practitioner", *([column] if column else []))
    rows = read_table(path, required, ("framework", *CLOSURE_COLUMNS), "case")
    if not rows:
        raise UsageError(f"{path} lists no cases: add one row per case under the header row.")
    known = sorted(frameworks)
    problems: list[str] = []
    cases: list[Case] = []
    first_line: dict[str, int] = {}
    for row in rows:
        cells = row.cells
        empty = [name for name in _CASE_FIXES if not cells[name]]
        problems += [f"{path}:{row.line}: the {name} cell is empty: {_CASE_FIXES[name]}." for name in empty]
        key = ident_key(cells["case_id"])
        if key and key in first_line:
            problems.append(
                f"{path}:{row.line}: the case_id '{cells['case_id']}' is already on line {first_line[key]} "
                "(case ids match ignoring case and spaces): delete one of the two rows."
            )
        elif key:
            first_line[key] = row.line
        framework = cells.get("framework", "").casefold() or None
        if framework is not None and framework not in frameworks:
            guess = suggest(framework, known)
            problems.append(
                f"{path}:{row.line}: the framework '{cells['framework']}' is not a known framework id"
                + (f"; did you mean '{guess}'?" if guess else ".")
                + f" Write one of {and_names(known, 'or')}, or leave the cell empty."
            )
        closed_text = cells.get("closed_on", "")
        closed_on = _date(closed_text) if closed_text else None
        if closed_text and closed_on is None:
            # The hint reads the date where it can ("3 Oct 2026" is 2026-10-03), as for an audit's.
            problems.append(
                f"{path}:{row.line}: the closed_on cell '{clip(closed_text)}' is not a date. "
                f"{date_hint(closed_text)} Leave the cell empty for a case still open."
            )
        if not empty:
            cases.append(
                Case(
                    row.line,
                    cells["case_id"],
                    _clean(cells["team"]),
                    _clean(cells["practitioner"]),
                    framework,
                    (_clean(cells[column]) or NOT_RECORDED) if column else None,
                    _clean(cells.get("status", "")) or None,
                    closed_on,
                )
            )
    if problems:
        raise refusal(path, problems)
    return cases


def read_auditors(path: Path, frameworks: Collection[str] = ()) -> list[Auditor]:
    """The auditors of an auditors CSV: columns ``name``, ``team``, optionally ``capacity`` (the most
    audits they can take this round; empty for no limit) and ``frameworks`` (the framework ids they
    audit against, separated by spaces or semicolons; empty for any). Problems as for
    :func:`read_cases`; framework ids are checked against ``frameworks`` when it is given."""
    rows = read_table(path, ("name", "team"), ("capacity", "frameworks"), "auditor")
    if not rows:
        raise UsageError(f"{path} lists no auditors: add one row per auditor under the header row.")
    problems: list[str] = []
    auditors: list[Auditor] = []
    first_line: dict[str, int] = {}
    for row in rows:
        cells = row.cells
        name, team, capacity_text = _clean(cells["name"]), _clean(cells["team"]), cells.get("capacity", "")
        ok = True
        if not name:
            problems.append(f"{path}:{row.line}: the name cell is empty: write the auditor's name.")
            ok = False
        if not team:
            problems.append(
                f"{path}:{row.line}: the team cell is empty: write the auditor's own team "
                "(they are never proposed for its cases)."
            )
            ok = False
        capacity = None
        if capacity_text:
            if not capacity_text.isdecimal():
                problems.append(
                    f"{path}:{row.line}: the capacity '{capacity_text}' is not a whole number of audits: "
                    "write the most audits this auditor can take this round (0, 1, 2 ...), or leave it "
                    "empty for no limit."
                )
                ok = False
            else:
                capacity = int(capacity_text)
        if name and person_key(name) in first_line:
            problems.append(
                f"{path}:{row.line}: the auditor '{name}' is already on line {first_line[person_key(name)]} "
                "(names match ignoring case and spaces): keep one row, with their whole capacity."
            )
            ok = False
        elif name:
            first_line[person_key(name)] = row.line
        chosen = tuple(f.casefold() for f in cells.get("frameworks", "").replace(";", " ").split())
        for ident in chosen:
            if frameworks and ident not in frameworks:
                known = sorted(frameworks)
                guess = suggest(ident, known)
                problems.append(
                    f"{path}:{row.line}: the framework '{ident}' is not a known framework id"
                    + (f"; did you mean '{guess}'?" if guess else ".")
                    + f" Write one or more of {and_names(known, 'and')}, or leave the cell empty for any."
                )
                ok = False
        if ok:
            auditors.append(Auditor(row.line, name, team, capacity, chosen))
    if problems:
        raise refusal(path, problems)
    return auditors

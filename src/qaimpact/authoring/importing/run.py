"""Plan an import (every row read, converted, checked and located) and carry it out.

:func:`plan_import` reads every row before anything is written: each becomes an audit, checked by
the same checker as ``validate``, and each finding is moved from the audit's key to the cell it
came from (``tracker.xlsx!Audits!F17``). :func:`apply_plan` then writes all the audits, or none
while any row has errors (the valid ones only with ``keep_going``); an existing audit file is
never overwritten, except by ``--update`` where the sheet changed, keeping the file's comments.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from qaimpact.audits.batch import BatchOptions, map_items
from qaimpact.audits.checker import CheckOptions, check_document, check_text, expand_paths, skipped_name
from qaimpact.authoring.fmt import format_text
from qaimpact.authoring.importing.convert import Problem, cell_text, convert, garbled, ungarbled
from qaimpact.authoring.importing.emit import comment_lines, order, render
from qaimpact.authoring.importing.imported import dotted, fingerprint, read_record, record_comments, shown
from qaimpact.authoring.importing.mapping import ColumnLetter, CompiledMapping, Path_, Target, word_key
from qaimpact.authoring.importing.sheets import (
    EXCEL_ERRORS,
    Table,
    Workbook,
    cell_at,
    header_key,
    number_runs,
    row_cells,
)
from qaimpact.base.codes import diagnostic
from qaimpact.base.diagnose import format_path, suggest
from qaimpact.base.errors import QaImpactError
from qaimpact.base.escaping import clip
from qaimpact.base.fileio import Planned, read_regular, read_snapshot, write_files
from qaimpact.base.loader import Document, LoadError, load_bytes
from qaimpact.frameworks.registry import Registry
from qaimpact.models.audit import audit_model, ident_key
from qaimpact.models.findings import Diagnostic, Severity
from qaimpact.models.location import CellLocation, Location, column_letter, column_number


class Status(StrEnum):
    """What happens to one row's audit."""

    NEW = "new"  # written as a new file
    UNCHANGED = "unchanged"  # its file exists and says the same
    DIFFERS = "differs"  # its file exists and says something else: left as it is
    UPDATE = "update"  # its file exists, and --update rewrites what changed
    INVALID = "invalid"  # the row has errors: not written


@dataclass(slots=True)
class RowOutcome:
    """One row of the sheet and what becomes of it."""

    table: Table
    row: int
    audit_id: str | None = None
    file: Path | None = None
    text: str = ""
    status: Status = Status.INVALID
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: The text of the existing file when the plan was made (an update writes over exactly that).
    existing: str | None = None
    #: Where the row's audit id is: findings about the whole row are shown there.
    id_column: int | None = None

    @property
    def errors(self) -> int:
        """How many errors the row has."""
        return sum(1 for d in self.diagnostics if d.is_error)

    @property
    def where(self) -> str:
        """The row as messages name it: ``tracker.xlsx!Audits row 17``."""
        return f"{self.table.name} row {self.row}"


@dataclass(slots=True)
class ImportPlan:
    """Every row read, with what it becomes; and the findings about the sheets themselves."""

    source: str
    folder: Path
    rows: list[RowOutcome] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: int = 0
    #: What the reader should know that is not wrong: the sheets, rows and columns the workbook
    #: hides, read like the others (:func:`hidden_notes`).
    notes: list[str] = field(default_factory=list)

    @property
    def sheet_errors(self) -> int:
        """Errors in the sheets themselves (not in one row)."""
        return sum(1 for d in self.diagnostics if d.is_error)

    @property
    def invalid(self) -> list[RowOutcome]:
        """The rows with errors."""
        return [r for r in self.rows if r.errors]

    def findings(self) -> list[Diagnostic]:
        """Every finding, sheet by sheet and cell by cell."""
        found = list(self.diagnostics)
        for row in self.rows:
            found += row.diagnostics
        return sorted(found, key=_order)

    def count(self, status: Status) -> int:
        """How many rows have this status (and no errors)."""
        return sum(1 for r in self.rows if r.status is status and not r.errors)


def _order(diag: Diagnostic) -> tuple[str, str, int, int, str]:
    loc = diag.location
    sheet = loc.sheet or "" if isinstance(loc, CellLocation) else ""
    return (loc.path, sheet, loc.line, loc.column, diag.code)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(audit_id: str) -> str:
    """The file an audit id is written to: characters a file name cannot hold become ``-``."""
    stem = _UNSAFE.sub("-", audit_id.strip()).strip("-.")
    return f"{stem or 'audit'}.yaml"


# -- Reading rows ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Columns:
    targets: list[tuple[Target, int]]
    skip_when: list[tuple[int, frozenset[str]]]
    used: set[int]


def _resolve_columns(
    table: Table, mapping: CompiledMapping
) -> tuple[_Columns | None, list[Diagnostic], list[Diagnostic]]:
    """The columns the mapping names, the problems finding them, and the sheet's own findings as
    this mapping sees them (the table is left as read: it may be planned again)."""
    by_header: dict[str, list[int]] = {}
    for col, name in enumerate(table.headers, 1):
        if name is not None:
            by_header.setdefault(header_key(name), []).append(col)
    found: list[Diagnostic] = []
    headers = [h for h in table.headers if h]

    def find(spec: str | ColumnLetter, where: list[Any]) -> int | None:
        if isinstance(spec, ColumnLetter):
            return column_number(spec.column)
        cols = by_header.get(header_key(spec))
        if cols:
            return cols[0]
        guess = suggest(spec, headers)
        found.append(
            diagnostic(
                "QA608",
                mapping.locate(where),
                f"{table.name} has no column headed '{spec}' in row {table.header_row}.",
                (f"Did you mean '{guess}'? " if guess else "")
                + "Write the header as the sheet has it, or name the column by its letter ({column: F}).",
            )
        )
        return None

    targets: list[tuple[Target, int]] = []
    for target in mapping.targets:
        number = find(target.column, ["columns", target.text])
        if number is not None:
            targets.append((target, number))
    skips: list[tuple[int, frozenset[str]]] = []
    for header, words in mapping.skip_when.items():
        number = find(header, ["skip_when", header])
        if number is not None:
            skips.append((number, words))
    # A duplicate header is an error only where the mapping names it.
    named = {header_key(t.column) for t in mapping.targets if isinstance(t.column, str)}
    named |= {header_key(h) for h in mapping.skip_when}
    diagnostics = []
    for diag in table.diagnostics:
        if diag.code == "QA604":
            header = table.headers[diag.location.column - 1] or ""
            if header_key(header) not in named:
                diag = dataclasses.replace(
                    diag,
                    severity=Severity.WARNING,
                    message=diag.message + " The mapping uses neither, so both are kept in comments.",
                )
        diagnostics.append(diag)
    if len(found) > 1 and not targets and not skips:
        # None of the mapping's columns: not a sheet of audits (a list, a summary) or the wrong
        # header row, said once rather than once for each column.
        found = [_no_mapped_column(table, mapping, len(found))]
    if found:
        return None, found, diagnostics
    diagnostics += _read_twice(table, mapping, targets)
    return _Columns(targets, skips, {c for _, c in targets}), [], diagnostics


def _read_twice(
    table: Table, mapping: CompiledMapping, targets: list[tuple[Target, int]]
) -> list[Diagnostic]:
    """QA615 for each key the mapping reads from a column an earlier key already reads from:
    most often a header copied under the wrong key, which would fill it with the other's values."""
    first: dict[int, Target] = {}
    found = []
    for target, col in targets:
        earlier = first.setdefault(col, target)
        if earlier is target:
            continue
        header = table.headers[col - 1] if col <= len(table.headers) else None
        column = f"column {column_letter(col)}" + (f" ('{clip(header)}')" if header else "")
        found.append(
            diagnostic(
                "QA615",
                mapping.locate(["columns", target.text]),
                f"'{target.text}' and '{earlier.text}' are both read from {column} of {table.name}.",
                f"Check the column given for '{target.text}' under 'columns:': each key usually has "
                "a column of its own. If this column really holds both, leave the mapping as it is.",
            )
        )
    return found


def _no_mapped_column(table: Table, mapping: CompiledMapping, missing: int) -> Diagnostic:
    """QA608 for a sheet that has none of the columns the mapping names."""
    every = mapping.spec.sheets == "all"
    hint = "Check 'header_row:' (the row of the sheet that holds its headers)"
    if every and table.sheet is not None:
        hint = (
            f"If the sheet holds no audits (a list or a summary), add it under 'skip_sheets:' "
            f"(skip_sheets: [{json.dumps(table.sheet)}]); otherwise c" + hint[1:]
        )
    written = mapping.document.data if isinstance(mapping.document.data, dict) else {}
    where = ["sheets"] if every else ["header_row"] if "header_row" in written else []
    if not any(table.headers) and not table.rows:
        # Nothing at all from the header row down: an empty file, or one cut short, is more
        # likely than a wrong header row, and "none of the 31 columns" would not say so.
        return diagnostic(
            "QA608",
            mapping.locate(where),
            f"{table.name} holds nothing in row {table.header_row} (where the mapping reads its "
            "headers) or below it.",
            (
                "Check that it is the tracker you meant: an empty file, or one cut short while it "
                f"was copied, holds no audits. {hint}."
                if table.sheet is None
                else hint + "."
            ),
        )
    return diagnostic(
        "QA608",
        mapping.locate(where),
        f"{table.name} has none of the {missing} columns the mapping names in row {table.header_row}.",
        hint + ".",
    )


def _put(data: dict[Any, Any], path: Path_, value: Any) -> None:
    node = data
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def _has(data: dict[Any, Any], path: Path_) -> bool:
    node: Any = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _lists(node: Any, path: Path_, cells: dict[Path_, int], out: dict[Path_, int] | None) -> Any:
    """Turn the ``{index: entry}`` dictionaries of list entries into lists, entries in order; and
    into ``out`` (unless ``None``: only findings need it), the column of each entry's cells."""
    if isinstance(node, dict):
        if node and all(isinstance(k, int) for k in node):
            items = []
            for new, old in enumerate(sorted(node)):
                items.append(_lists(node[old], (*path, new), cells, out))
                if out is None:
                    continue
                for cell_path, col in cells.items():
                    if cell_path[: len(path) + 1] == (*path, old):
                        out[(*path, new, *cell_path[len(path) + 1 :])] = col
            return items
        return {k: _lists(v, (*path, k), cells, out) for k, v in node.items()}
    return node


def _locate_rows(
    checked: list[Diagnostic], text: str, name: str, cells: dict[Path_, int]
) -> dict[tuple[int, int], int]:
    """Where each key's value and key are in the audit's text, and the column it came from."""
    try:
        doc = load_bytes(text.encode("utf-8"), name)
    except LoadError:  # pragma: no cover - the text was written by render()
        return {}
    index: dict[tuple[int, int], int] = {}
    for path, col in cells.items():
        for key in (False, True):
            loc = doc.locate(list(path), key=key)
            index.setdefault((loc.line, loc.column), col)
    # A list entry is found where its first key is.
    return index


@dataclass(frozen=True, slots=True)
class _Sheet:
    """What the rows of one sheet are read with: the same for every row."""

    table: Table
    columns: _Columns
    mapping: CompiledMapping
    folder: Path
    update: bool


#: The sheets of the import under way, set before rows are read: forked workers inherit them, so
#: only a row's place (sheet, index) is sent to a worker, never the workbook.
_SHEETS: list[_Sheet] = []
#: The audit files already under the folder imported into that hold an audit id under another file
#: name than the import gives it (:func:`filed_elsewhere`), set before the workers are forked.
_FILED: dict[str, Path] = {}


def _top_line(key: str) -> re.Pattern[str]:
    """``key: value`` at the top of a YAML file, as written (quoted or not, a comment after it), on a
    line ending as Windows or Unix ends it, the first after a byte-order mark: ``value`` is ``id``."""
    return re.compile(rf"""^\ufeff?{key}:[ \t]*(["']?)(?P<id>[^"'#\r\n]*?)\1[ \t]*(?:#[^\r\n]*)?\r?$""", re.M)


_AUDIT_ID_LINE = _top_line("audit_id")
_STANDARDS_LINE = _top_line("standards")


def filed_elsewhere(folder: Path, max_size: int, framework: str) -> dict[str, Path]:
    """Each audit id (:func:`~qaimpact.models.audit.ident_key`) held by exactly one audit file under
    ``folder``, where that file is not the one the import writes it to (``audits/2025/X.yaml`` or
    ``X.yml`` for the ``X.yaml`` the import names): the file a row of that id is compared with and
    updated, so that an audit filed away by hand is never imported again beside itself (QA704).

    Only the ``audit_id:`` and ``standards:`` lines at the top of each file are read, as a search of
    its text: a file too large, not text, with no such line or of another ``framework`` is left to
    ``validate``."""
    if not folder.is_dir():
        return {}
    held: dict[str, list[tuple[str, Path]]] = {}
    for path in expand_paths([folder]):
        try:
            raw = read_regular(path, max_size)[0]
        except (OSError, QaImpactError):
            continue
        text = raw.decode("utf-8", "replace")
        found = _AUDIT_ID_LINE.search(text)
        named = _STANDARDS_LINE.search(text)
        if named is None or named.group("id").strip() != framework:
            continue
        if found is not None and found.group("id").strip():
            audit_id = found.group("id").strip()
            held.setdefault(ident_key(audit_id), []).append((audit_id, path))
    # An id two files hold already (QA704) is left as it is: which one a row is, only a person knows.
    return {
        key: paths[0][1]
        for key, paths in held.items()
        if len(paths) == 1 and paths[0][1] != folder / file_name(paths[0][0])
    }


def plan_import(
    workbook: Workbook,
    mapping: CompiledMapping,
    folder: Path,
    registry: Registry,
    options: CheckOptions,
    *,
    update: bool = False,
    jobs: int = 0,
) -> ImportPlan:
    """Read every row of the workbook's sheets into an audit, check it, and decide what to write.

    Rows are converted and checked in forked workers, as ``validate`` checks files (``jobs``: 0
    means one per core, 1 one process); the plan is the same whatever the number.
    """
    plan = ImportPlan(workbook.path, folder, diagnostics=list(workbook.diagnostics))
    check_options = CheckOptions(options.today, options.max_file_size, keep_data=True)
    skip_rows = set(mapping.spec.skip_rows)
    sheets: list[_Sheet] = []
    places: list[tuple[int, int]] = []
    read_twice: set[object] = set()
    for table in workbook.tables.values():
        columns, problems, sheet_findings = _resolve_columns(table, mapping)
        for found in sheet_findings + problems:
            # A mapping key read from another's column is said once, at the key, not once a sheet.
            if found.code == "QA615":
                if found.location in read_twice:
                    continue
                read_twice.add(found.location)
            plan.diagnostics.append(found)
        if columns is None:
            continue
        sheets.append(_Sheet(table, columns, mapping, folder, update))
        hidden = set(table.hidden_rows)
        read_hidden: list[int] = []
        before = len(places)
        for index, (values, number) in enumerate(zip(table.rows, table.row_numbers, strict=True)):
            if number in skip_rows or any(
                word_key(cell_text(cell_at(values, table.far(number), col)) or "") in words
                for col, words in columns.skip_when
            ):
                plan.skipped += 1
                continue
            if number in hidden:
                read_hidden.append(number)
            places.append((len(sheets) - 1, index))
        if len(places) > before:  # a sheet whose every row is skipped has nothing imported to say
            plan.notes += hidden_notes(table, read_hidden, one_sheet=len(workbook.tables) == 1)
    audit_model(mapping.framework)  # built once, before any worker is forked
    _SHEETS[:] = sheets
    _FILED.clear()
    _FILED.update(filed_elsewhere(folder, options.max_file_size, mapping.framework.id))
    try:
        for place, read in zip(
            places, map_items(places, registry, BatchOptions(check_options, jobs), _read_row), strict=True
        ):
            plan.rows.append(RowOutcome(sheets[place[0]].table, *read))
    finally:
        _SHEETS.clear()
        _FILED.clear()
    _duplicates(plan)
    return plan


def hidden_notes(table: Table, rows: Sequence[int], *, one_sheet: bool = True) -> list[str]:
    """What a sheet hides that is imported all the same, in plain English: the sheet itself,
    ``rows`` (the hidden rows read, not skipped by the mapping) and the hidden columns that hold
    something (a column the mapping does not name is kept in each audit as a comment).

    A QA manager hides a withdrawn or duplicate audit's row rather than delete it: the import
    still reads it, as dropping rows without a word would be worse, and says so. ``one_sheet``:
    whether the import reads this sheet alone, so that ``skip_rows:`` leaves out these rows only.
    """
    where = f"the sheet '{table.sheet}' of {table.path}" if table.sheet is not None else table.path
    notes = []
    if table.hidden:
        notes.append(
            f"{where} is hidden in the workbook, and its rows were read like the others: if they should "
            "not be imported, delete the sheet, or leave it out of 'sheets:' in the mapping (with "
            "'sheets: all', list it under 'skip_sheets:')."
        )
    if rows:
        one = len(rows) == 1
        they, them = ("it", "it") if one else ("they", "them")
        notes.append(
            f"{'row' if one else 'rows'} {number_runs(rows)} of {where} {'is' if one else 'are'} hidden in "
            f"the workbook (hidden, or filtered out), and {'was' if one else 'were'} read like the others: "
            f"if {they} should not be imported, delete {them} from the sheet"
            + (f", or list {them} under 'skip_rows:' in the mapping." if one_sheet else ".")
        )
    if table.hidden_columns:
        one = len(table.hidden_columns) == 1
        notes.append(
            f"{table.columns_named(table.hidden_columns)} of {where} {'is' if one else 'are'} hidden "
            f"in the workbook, and {'was' if one else 'were'} read like the others (a column the mapping "
            "does not name is kept in each audit as a comment): if "
            + ("it" if one else "they")
            + f" should not be imported, delete {'it' if one else 'them'} from the sheet."
        )
    return notes


def _read_row(registry: Registry, options: CheckOptions, place: tuple[int, int]) -> tuple[Any, ...]:
    """One row read and checked (in a worker): the fields of its :class:`RowOutcome` after the
    table, plain data that pickles (the table, which may hold a workbook, stays behind)."""
    sheet = _SHEETS[place[0]]
    table, mapping = sheet.table, sheet.mapping
    outcome = _row(
        table,
        table.row_numbers[place[1]],
        table.rows[place[1]],
        sheet.columns,
        mapping,
        audit_model(mapping.framework),
        registry,
        options,
        sheet.folder,
        sheet.update,
    )
    return tuple(getattr(outcome, name) for name in _OUTCOME_FIELDS)


#: The fields of a :class:`RowOutcome` a worker sends back, in order (all but the table).
_OUTCOME_FIELDS = tuple(f.name for f in dataclasses.fields(RowOutcome))[1:]


def _row(
    table: Table,
    number: int,
    values: tuple[Any, ...],
    columns: _Columns,
    mapping: CompiledMapping,
    model: Any,
    registry: Registry,
    options: CheckOptions,
    folder: Path,
    update: bool,
) -> RowOutcome:
    outcome = RowOutcome(table, number)
    far = table.far(number)
    data: dict[Any, Any] = {}
    cells: dict[Path_, int] = {}
    own: list[Diagnostic] = []
    reported: set[int] = set()
    mixups: list[tuple[Target, int, str, str]] = []
    for target, col in columns.targets:
        raw = cell_at(values, far, col)
        if target.path == ("audit_id",):
            outcome.id_column = col
        problem: Problem | None = None
        if (number, col) in table.formulas:
            problem = Problem(
                "QA603",
                f"The formula in this cell has no saved value, so '{target.text}' cannot be read.",
                "Open the workbook in Excel or LibreOffice and save it again, so that every formula's "
                "value is stored; then import again.",
            )
        elif isinstance(raw, str) and raw.strip() in EXCEL_ERRORS:
            problem = Problem(
                "QA603",
                f"The formula in this cell gives the error {raw.strip()}, so '{target.text}' cannot be read.",
                "Correct the formula (or type the value in), save the workbook, and import again.",
            )
        if problem is not None:
            own.append(diagnostic(problem.code, table.cell(number, col), problem.message, problem.hint))
            reported.add(col)
            if target.required:
                _put(data, target.path, None)
                cells[target.path] = col
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        value, problem = convert(target, raw, mapping, table.epoch)
        # The cell's own text, before cell_text drops the controls and the spaces around it: what
        # Windows-1252 shows of a byte it leaves undefined is a control, and 'à' garbled at the end
        # of a cell ends in a no-break space.
        fixed = ungarbled(raw) if isinstance(raw, str) else None
        if fixed is not None:
            # Said once for the row, below; the cell's other findings would only follow from it.
            mixups.append((target, col, raw, fixed))
            reported.add(col)
        elif problem is not None:
            own.append(diagnostic(problem.code, table.cell(number, col), problem.message, problem.hint))
            reported.add(col)
        _put(data, target.path, value)
        cells[target.path] = col
    if mixups:
        target, col, raw, fixed = mixups[0]
        problem = garbled(target.text, raw, fixed, [column_letter(c) for _, c, _, _ in mixups[1:]])
        own.append(diagnostic(problem.code, table.cell(number, col), problem.message, problem.hint))
    for target, col in columns.targets:
        # A key every audit needs, from an empty cell: written as empty, so that the checker
        # reports it at its cell, as validate would.
        if (
            target.required
            and target.path not in cells
            and all(_has(data, b) for b in target.optional_blocks)
        ):
            _put(data, target.path, None)
            cells[target.path] = col
    entered = data
    data = _lists(data, (), cells, None)
    data = order({"standards": mapping.framework.id, **data}, model)
    audit_id = data.get("audit_id")
    if isinstance(audit_id, str) and audit_id.strip():
        outcome.audit_id = audit_id
        outcome.file = _FILED.get(ident_key(audit_id), folder / file_name(audit_id))
        skipped = skipped_name(outcome.file.name)
        if skipped is not None:
            own.append(
                diagnostic(
                    "QA612",
                    table.cell(number, outcome.id_column or 1),
                    f"The audit id '{clip(audit_id)}' would be written to {outcome.file.name}, and "
                    f"{skipped}, not audits: validate and every report skip them, so this audit "
                    "would never be counted or escalated.",
                    f"Take the ending .{outcome.file.name.split('.')[-2]} off the audit id, then "
                    "import again.",
                )
            )
    name = str(outcome.file) if outcome.file is not None else f"{table.name} row {number}"
    checked = check_document(Document(name, data), registry, options)
    comments = _comments(table, number, values, columns)
    if checked.data is not None:
        # What the import writes, so that --update can tell a value changed in the sheet from one
        # changed by hand since.
        units = _units(columns)
        comments += record_comments(units, [fingerprint(_get(checked.data, u)) for u in units])
    text, settled = render(data, mapping.framework, comments)
    found = list(own)
    # The size is a property of the file written: an audit validate would refuse as too large is
    # refused here too, valid or not.
    if checked.diagnostics or len(text.encode("utf-8")) > options.max_file_size:
        # Where each key came from, worked out only for the rows that have findings.
        placed: dict[Path_, int] = {}
        _lists(entered, (), cells, placed)
        for path, col in cells.items():
            if not any(isinstance(p, int) for p in path):
                placed[path] = col
        located = check_text(text, name, registry, options)
        index = _locate_rows(located.diagnostics, text, name, placed)
        fallback = outcome.id_column or (columns.targets[0][1] if columns.targets else 1)
        for diag in located.diagnostics:
            at = index.get((diag.location.line, diag.location.column))
            if at is not None and at in reported:
                continue  # already reported as the sheet's own problem at this cell
            if at is None:
                diag = dataclasses.replace(
                    diag,
                    location=table.cell(number, fallback),
                    message=diag.message + f" (in the audit from row {number})",
                )
            else:
                diag = dataclasses.replace(diag, location=table.cell(number, at))
            found.append(diag)
    outcome.diagnostics = sorted(found, key=_order)
    if outcome.errors or outcome.file is None:
        return outcome
    if not settled:
        # A text whose style fmt's writer chooses only in context: let fmt write the whole audit.
        # Should fmt refuse (it never changes what an audit says), the text as read is kept.
        try:
            formatted = format_text(text, name, registry, options)
        except QaImpactError:
            formatted = None
        if formatted is not None and formatted.problems is None:
            text = formatted.new_text
    outcome.text = text
    _compare(outcome, data, checked.data, columns, registry, options, update)
    return outcome


def _comments(table: Table, number: int, values: tuple[Any, ...], columns: _Columns) -> list[str]:
    lines = [f"Imported by `qaimpact import` from {table.name}, row {number}."]
    unused: list[str] = []
    for col, value in row_cells(values, table.far(number)):
        if col in columns.used:
            continue
        text = cell_text(value)
        if text is None:
            continue
        header = table.headers[col - 1] if col <= len(table.headers) else None
        label = f"{header} ({column_letter(col)}{number})" if header else f"{column_letter(col)}{number}"
        first, *rest = list(comment_lines(f"{label}: {text}", 92))
        unused += [f"  {first}", *(f"  {line}" for line in rest)]
    if unused:
        lines.append("Cells the mapping does not use:")
        lines += unused
    return lines


def _units(columns: _Columns) -> list[Path_]:
    """The parts of an audit the mapping fills: each key, or the whole list for list entries."""
    found: list[Path_] = []
    for target, _ in columns.targets:
        path = target.path
        cut = next((i for i, p in enumerate(path) if isinstance(p, int)), None)
        unit = path if cut is None else path[:cut]
        if unit not in found:
            found.append(unit)
    return found


def _get(data: Any, path: Path_) -> Any:
    node = data
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node


def _compare(
    outcome: RowOutcome,
    data: dict[str, Any],
    dumped: dict[str, Any] | None,
    columns: _Columns,
    registry: Registry,
    options: CheckOptions,
    update: bool,
) -> None:
    path = outcome.file
    assert path is not None
    if not path.exists():
        outcome.status = Status.NEW
        return
    try:
        existing = read_snapshot(path)[0].decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _differs(
            outcome,
            f"{path} exists but cannot be read ({exc}), so it was left as it is.",
            f"Move it away or put it right (a folder, or a file that is not UTF-8 text, cannot hold the "
            f"audit), then import again; the row is then written to {path.name}.",
        )
        return
    outcome.existing = existing
    if existing == outcome.text:
        outcome.status = Status.UNCHANGED
        return
    old = check_text(existing.removeprefix("\ufeff"), str(path), registry, options)
    units = _units(columns)
    if (
        old.data is not None
        and dumped is not None
        and all(_get(old.data, u) == _get(dumped, u) for u in units)
    ):
        outcome.status = Status.UNCHANGED
        return
    if old.data is None:
        # Nothing in it can be compared, or rewritten: the file is put right first, by hand, as a
        # person may have written in it since it was imported.
        first = next((d for d in old.diagnostics if d.is_error), None)
        said = f": {first.location}: {first.code} {first.message}" if first is not None else ""
        _differs(
            outcome,
            f"{path} exists but has errors, so it was left as it is{said}",
            f"Fix it (`qaimpact validate {path}` shows every problem), then import again"
            + (" with --update" if update else "")
            + "; or move the file away, and importing again writes the row afresh.",
        )
        return
    if dumped is None:
        _differs(outcome, f"{path} exists and differs from {outcome.where}, so it was left as it is.")
        return
    here = _Here(existing, str(path), old.data, dumped)
    differing = [u for u in units if _get(old.data, u) != _get(dumped, u)]
    if not update:
        _differs(
            outcome,
            f"{path} exists and differs from {outcome.where}, so it was left as it is: "
            + "; ".join(here.both(u) for u in differing)
            + ".",
        )
        return
    recorded = read_record(existing, units)
    rewrite: list[Path_] = []
    kept: list[str] = []
    for unit in differing:
        mark = recorded[units.index(unit)] if recorded is not None else None
        if mark is not None and fingerprint(_get(old.data, unit)) == mark:
            rewrite.append(unit)  # the audit holds what the import wrote: the sheet changed
        elif mark is not None and fingerprint(_get(dumped, unit)) == mark:
            kept.append(f"{here.both(unit)}, changed by hand since the import (the sheet has not changed)")
        elif mark is not None:
            kept.append(f"{here.both(unit)}, changed both by hand and in the sheet since the import")
        else:
            kept.append(f"{here.both(unit)}, and the audit does not record what the import wrote")
    if kept:
        _differs(
            outcome,
            f"--update kept {'this value' if len(kept) == 1 else 'these values'} of {path}, which "
            f"{'differs' if len(kept) == 1 else 'differ'} from {outcome.where}: " + "; ".join(kept) + ".",
            hint="Decide which is right: correct the sheet, or write the sheet's value into the audit "
            "by hand; the next import then finds them the same. --update never overwrites a value "
            "changed by hand.",
        )
    if not rewrite:
        return
    prints = [
        fingerprint(_get(dumped, u))
        if u in rewrite or u not in differing
        else (recorded[i] if recorded is not None else None)
        for i, u in enumerate(units)
    ]
    from qaimpact.authoring.importing.update import update_text

    try:
        outcome.text = update_text(existing, data, rewrite, str(path), registry, options, (units, prints))
    except QaImpactError as exc:
        _differs(outcome, f"{path} could not be updated: {exc}")
        return
    outcome.status = Status.UPDATE


@dataclass(slots=True)
class _Here:
    """Where a key of an existing audit is, and its value there and in the sheet, in words."""

    text: str
    path: str
    audit: dict[str, Any]
    sheet: dict[str, Any]
    doc: Document | None = None

    def both(self, unit: Path_) -> str:
        if self.doc is None:
            try:
                self.doc = load_bytes(self.text.removeprefix("\ufeff").encode("utf-8"), self.path)
            except LoadError:
                return (
                    f"'{dotted(unit)}' is {shown(_get(self.audit, unit))} in the audit and "
                    f"{shown(_get(self.sheet, unit))} in the sheet"
                )
        return (
            f"'{dotted(unit)}' at {self.doc.locate(list(unit))} is {shown(_get(self.audit, unit))} in the "
            f"audit and {shown(_get(self.sheet, unit))} in the sheet"
        )


def _differs(outcome: RowOutcome, message: str, hint: str | None = None) -> None:
    outcome.status = Status.DIFFERS
    outcome.diagnostics.append(
        diagnostic(
            "QA610",
            outcome.table.cell(outcome.row, outcome.id_column or 1),
            message,
            hint
            or "Run the import again with --update to rewrite what changed in the sheet (the file's "
            "comments are kept, and so is a value changed by hand), or leave the file as it is.",
        )
    )


def _duplicates(plan: ImportPlan) -> None:
    by_file: dict[str, list[RowOutcome]] = {}
    for row in plan.rows:
        if row.file is not None:
            by_file.setdefault(row.file.name.casefold(), []).append(row)
    for rows in by_file.values():
        if len(rows) < 2:
            continue
        for row in rows:
            others = [r for r in rows if r is not row]
            where = ", ".join(
                f"row {r.row}"
                + (f" of {r.table.sheet}" if r.table is not row.table and r.table.sheet else "")
                for r in others
            )
            same = all(r.audit_id == row.audit_id for r in others)
            row.diagnostics.append(
                diagnostic(
                    "QA605",
                    row.table.cell(row.row, row.id_column or 1),
                    f"The audit id '{row.audit_id}' is also in {where}"
                    + ("" if same else f" (as '{others[0].audit_id}', which is written to the same file)")
                    + ", so neither row is imported.",
                    "Give each audit its own id, then import again.",
                )
            )
            row.diagnostics.sort(key=_order)
            row.status = Status.INVALID


# -- Writing -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Written:
    """What an import wrote."""

    new: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    #: What to tell the user about the writes (leftovers of an interrupted run removed, links).
    notes: list[str] = field(default_factory=list)


def writable(plan: ImportPlan, *, keep_going: bool) -> list[RowOutcome]:
    """The rows an import writes: all or none, unless ``keep_going`` (then the valid ones)."""
    if not keep_going and (plan.invalid or plan.sheet_errors):
        return []
    return [r for r in plan.rows if not r.errors and r.status in (Status.NEW, Status.UPDATE)]


def apply_plan(plan: ImportPlan, *, keep_going: bool, force: bool = False) -> Written:
    """Write the plan's audits together, all or none (:func:`~qaimpact.base.fileio.write_files`).

    An audit that appeared, or changed, since the plan was made stops the import with nothing
    written; so does a read-only audit to update (:class:`~qaimpact.base.fileio.ReadOnlyFile`),
    unless ``force``.
    """
    rows = writable(plan, keep_going=keep_going)
    done = Written()
    batch: list[Planned] = []
    for row in rows:
        path = row.file
        assert path is not None
        if row.status is Status.NEW:
            if path.exists():
                raise QaImpactError(
                    f"{path} appeared while the import ran, so nothing was written; run the import again."
                )
            batch.append(Planned(path, row.text, new=True))
            done.new.append(path)
        else:
            try:
                current, snapshot = read_snapshot(path)
            except FileNotFoundError:
                current, snapshot = b"", None
            if snapshot is None or current.decode("utf-8", errors="replace") != row.existing:
                raise QaImpactError(
                    f"{path} changed while the import ran, so nothing was written; run the import again."
                )
            batch.append(Planned(path, row.text, expected=snapshot))
            done.updated.append(path)
    if batch:
        plan.folder.mkdir(parents=True, exist_ok=True)
        for written in write_files(batch, force=force):
            done.notes += written.notes
    return done


def iter_findings(plan: ImportPlan) -> Iterator[Diagnostic]:
    """Every finding of the plan, in sheet and cell order."""
    yield from plan.findings()


def describe(path: Path_) -> str:
    """A key of an audit as messages name it."""
    return format_path(path)


def location_of(row: RowOutcome) -> Location:
    """Where a row is, for a message about the whole row."""
    return row.table.cell(row.row, row.id_column or 1)

"""Export audits to a spreadsheet, one row per audit and one column per key: import's inverse.

Each column is headed by the key as ``validate`` names it (``impact.child_seen.rating``,
``learning_actions[0].area``), so the mapping that imports the sheet again maps each header to
itself, and importing the export gives the same audits.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from qaimpact.authoring.importing.mapping import Path_, _strip, parse_path
from qaimpact.base.codes import diagnostic
from qaimpact.base.diagnose import format_path
from qaimpact.base.escaping import csv_cell, workbook_text
from qaimpact.base.fileio import write_file
from qaimpact.base.loader import DEFAULT_MAX_FILE_SIZE, locate_in_file
from qaimpact.models.audit import audit_model
from qaimpact.models.findings import Diagnostic
from qaimpact.models.location import Location
from qaimpact.models.standard import Framework

#: The most characters an Excel cell holds. openpyxl cuts longer text short without a word, so
#: a workbook holding it would import again as other audits.
CELL_LIMIT = 32_767


def _leaves(annotation: Any, value: Any, path: Path_, out: dict[Path_, Any]) -> None:
    current, _ = _strip(annotation)
    if value is None:
        return
    if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(value, dict):
        for name, info in current.model_fields.items():
            key = info.alias or name
            _leaves(info.annotation, value.get(key), (*path, key), out)
        return
    if typing.get_origin(current) is list and isinstance(value, list):
        item, _ = _strip(typing.get_args(current)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            for index, entry in enumerate(value):
                _leaves(item, entry, (*path, index), out)
            return
        if value:
            out[path] = "; ".join(map(str, value))
        return
    out[path] = value


def export_rows(framework: Framework, audits: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of the export: every key any audit fills, in the audit file's order."""
    model = audit_model(framework)
    flat = []
    for data in audits:
        leaves: dict[Path_, Any] = {}
        _leaves(model, data, (), leaves)
        flat.append(leaves)
    seen: dict[Path_, None] = {}
    # Keys in the order of the audit model: walk one made-up audit holding every key seen.
    for leaves in flat:
        for path in leaves:
            seen.setdefault(path, None)
    # Every row is of this framework: the mapping names it once, in `standards:`.
    columns = sorted((p for p in seen if p != ("standards",)), key=lambda p: _rank(model, p))
    header = [format_path(p) for p in columns]
    rows = [[_cell(leaves.get(p)) for p in columns] for leaves in flat]
    return header, rows


def _rank(model: Any, path: Path_) -> tuple[int, ...]:
    ranks: list[int] = []
    annotation: Any = model
    for part in path:
        current, _ = _strip(annotation)
        if isinstance(part, int):
            ranks.append(part)
            annotation = typing.get_args(current)[0]
            continue
        fields = list(current.model_fields.items())
        index = next(i for i, (name, info) in enumerate(fields) if part in (name, info.alias))
        ranks.append(index)
        annotation = fields[index][1].annotation
    return tuple(ranks)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def excel_length(text: str) -> int:
    """How many characters Excel counts in ``text``: it holds text as UTF-16, where a character
    beyond the first 65,536 (an emoji) is two."""
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def too_long_for_a_cell(
    files: list[str], header: list[str], rows: list[list[Any]], *, max_size: int = DEFAULT_MAX_FILE_SIZE
) -> list[Diagnostic]:
    """A finding (``QA611``) at each text of the export longer than an Excel cell holds, in the
    audit file it comes from (``files[i]`` is row ``i``'s file, read again only to say where, with
    the ``max_size`` it was read with), in file order."""
    found = []
    for file, row in zip(files, rows, strict=True):
        for name, value in zip(header, row, strict=True):
            if (
                isinstance(value, str)
                and len(value) * 2 > CELL_LIMIT
                and (n := excel_length(value)) > CELL_LIMIT
            ):
                found.append(
                    diagnostic(
                        "QA611",
                        _where(file, name, max_size),
                        f"'{name}' holds {n:,} characters, and an Excel cell holds at most "
                        f"{CELL_LIMIT:,}: a workbook would hold it cut short, so none was written.",
                        "Export to a CSV file instead (-o FILE.csv), which holds the text whole, "
                        "or shorten the text in the audit.",
                    )
                )
    return found


def _where(file: str, name: str, max_size: int) -> Location:
    # Every header of the export is a key as format_path writes it, which parse_path reads.
    return locate_in_file(file, parse_path(name) or (), max_size=max_size)


def beyond_ascii(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str | None:
    """The first character of the sheet beyond ASCII (an accent, a curly quotation mark), as a
    note can name it (``'ë'``, ``a no-break space``), or None: Excel opens a CSV file without a
    byte-order mark as Windows-1252, and every such character comes out garbled ("Zoë" as
    "ZoÃ«")."""
    for cell in itertools.chain(header, *rows):
        if isinstance(cell, str) and not cell.isascii():
            found = next(c for c in cell if not c.isascii())
            if found == "\u00a0":
                return "a no-break space"
            return f"'{found}'" if found.isprintable() and not found.isspace() else f"U+{ord(found):04X}"
    return None


def write_sheet(
    path: Path, sheet: str, header: list[str], rows: list[list[Any]], *, bom: bool = False
) -> None:
    """Write the export as ``.xlsx`` (dates as date cells) or ``.csv`` (dates as YYYY-MM-DD; with
    ``bom``, after the byte-order mark Excel needs to read its accents and curly quotes as UTF-8,
    which ``qaimpact import`` reads past).

    Text is never a formula, whatever it starts with (``=HYPERLINK(...)``, ``+``, ``-``, ``@``): in
    a workbook it is a text cell holding exactly the text; in CSV it gets a ``'`` before it, as the
    reports write it (:func:`~qaimpact.base.escaping.csv_cell`), which ``qaimpact import`` takes
    away again (:func:`~qaimpact.base.escaping.csv_text`).
    """
    if path.suffix.lower() == ".csv":
        out = io.StringIO()
        if bom:
            out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(
            [[csv_cell(v.isoformat() if isinstance(v, dt.date) else v) for v in row] for row in rows]
        )
        write_file(path, out.getvalue(), force=True)
        return
    from qaimpact.authoring.importing.sheets import _openpyxl

    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for column, name in enumerate(header, start=1):
        workbook_text(ws.cell(row=1, column=column), name)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str):
                workbook_text(ws.cell(row=number, column=column), value)
                continue
            cell = ws.cell(row=number, column=column, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    write_file(path, buffer.getvalue(), force=True)


def export_mapping(framework: Framework, header: list[str], sheet: str | None) -> str:
    """The mapping that imports the export again: each key from the column headed with its name."""
    lines = [
        f"# The mapping that imports the export of {framework.id} again (`qaimpact export --mapping`).",
        f"standards: {framework.id}",
    ]
    if sheet is not None:
        lines.append(f"sheets: [{json.dumps(sheet)}]")
    lines.append("columns:")
    lines += [f"  {name}: {json.dumps(name)}" for name in header]
    return "\n".join(lines) + "\n"

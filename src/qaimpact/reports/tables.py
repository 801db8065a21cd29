"""Reports as tables for a workbook: each table of a report as a sheet of typed cells.

A sheet holds numbers as numbers, shares as fractions (shown as percentages), dates as dates and
everything else as text, so that a QA manager can sort, filter and chart it in Excel. The values
come from the same view the Markdown and HTML are rendered from; nothing is counted again here.
Writing the workbook itself is :mod:`qaimpact.reports.xlsx`'s job (openpyxl is optional).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qaimpact.audits.records import NONE_LABEL

#: Excel's longest sheet name.
MAX_TITLE = 31
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Share:
    """A share as a fraction (0.25), shown as a percentage."""

    fraction: float


@dataclass(slots=True)
class Sheet:
    """One table: its sheet name, what it is (its caption), its column headings and its rows."""

    title: str
    caption: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def value(cell: Any) -> Any:
    """A view's value as a typed cell: a count's number, a share's fraction, a date, or text.

    A figure hidden for publication (``<5``, ``*``, ``suppressed``) stays the text reports show.
    """
    if isinstance(cell, dict):
        if "pct" in cell:
            return Share(cell["pct"] / 100) if cell["pct"] is not None else cell.get("text", "")
        if "n" in cell:
            return cell["n"] if cell["n"] is not None else cell.get("text", "")
        if "text" in cell:
            return cell["text"]
        if "label" in cell:
            return cell["label"]
    if isinstance(cell, str):
        if cell == NONE_LABEL:
            return None
        if _ISO_DATE.fullmatch(cell):
            try:
                return dt.date.fromisoformat(cell)
            except ValueError:
                return cell
    if isinstance(cell, list):
        return "; ".join(str(value(c)) for c in cell)
    return cell


def heading(key: str) -> str:
    """A column heading from a key: ``review_date`` is "Review date"."""
    return key.replace("_", " ").capitalize()


def _unique(title: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", title)[:MAX_TITLE].strip()
    candidate, n = title, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate = title[: MAX_TITLE - len(suffix)].rstrip() + suffix
        n += 1
    taken.add(candidate.casefold())
    return candidate


def rows_sheet(title: str, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> Sheet:
    """A list of rows (a cycle report's CSV rows) as one sheet, its columns in ``columns`` order."""
    keys = list(dict.fromkeys([*columns, *(k for row in rows for k in row)]))
    return Sheet(
        title,
        title,
        [heading(k) for k in keys],
        [[value(row.get(k)) for k in keys] for row in rows],
    )


def summary_sheets(view: dict[str, Any]) -> list[Sheet]:
    """The quarterly summary's tables: for each framework its grades, its figures by quarter (and by
    the ``--by`` grouping and each case characteristic) and its learning themes."""
    sheets: list[Sheet] = []
    taken: set[str] = set()
    contents = Sheet("Contents", "The tables in this workbook", ["Sheet", "Table"])
    for number, section in enumerate(view["frameworks"], start=1):
        fw = section["framework"]["title"]
        # Sheet names are short (31 characters at most): F1, F2... and the table; the contents
        # sheet says which framework each is.
        tables_of: list[tuple[str, str, list[str], list[list[Any]]]] = []
        add = tables_of.append
        add(
            (
                "Grades",
                "Grade distribution",
                ["Grade", "Audits", "Share"],
                [[d["label"], value(d["count"]), value(d["share"])] for d in section["distribution"]],
            )
        )
        grades = [d["label"] for d in section["distribution"]]
        better = f"{section['good_or_better_label'].capitalize()} or better"
        tables: list[tuple[str, list[dict[str, Any]]]] = [("Quarter", section["trend"])]
        if section.get("groups") is not None and view.get("by") != "quarter":
            tables.append((heading(view["by"]), section["groups"]))
        tables += [(c["label"], c["rows"]) for c in section.get("characteristics", [])]
        for name, members in tables:
            add(
                (
                    f"By {name.lower()}",
                    f"By {name.lower()}",
                    [name, "Audits", *grades, better],
                    [
                        [
                            value(row.get("label", row["key"])),
                            value(row["n"]),
                            *(value(d["count"]) for d in row["distribution"]),
                            value(row["good_or_better"]),
                        ]
                        for row in members
                    ],
                )
            )
        add(
            (
                "Themes",
                f"Learning themes ({section.get('themes_kind', 'learning')})",
                ["Theme", "Audits", "Share"],
                [[t["label"], value(t["count"]), value(t["share"])] for t in section["themes"]],
            )
        )
        for name, caption, columns, cells in tables_of:
            sheet = Sheet(_unique(f"F{number} {name}", taken), f"{caption}, {fw}", columns, cells)
            sheets.append(sheet)
            contents.rows.append([sheet.title, sheet.caption])
    return [contents, *sheets]

"""Write the invented audit tracker in examples/import/: ``tracker.xlsx`` and ``tracker.csv``.

A fictional Cafcass service area kept a year of case-file audits (framework
``cafcass-qiam-2017``) in an Excel tracker, one row per audit, before it moved to qaimpact. The
tracker is as messy as real ones are, so that ``qaimpact import`` shows what it does with each
kind of mess (docs/import.md walks through it):

- a title row and a row of group headers merged across columns above the real header (row 3);
- a row of guidance under the header, and a draft audit, that the mapping skips;
- ratings written as words, letters and codes (``Good``, ``G``, ``2``), codes stored now as
  numbers and now as text, and yes/no as ``Y``/``N``;
- review dates as date cells, as Excel day numbers, and as text in two forms;
- formulas with their saved values (an audit reference, a year), and one whose value was never
  saved;
- two columns both headed ``Notes``;
- recorded grades: two rows the sheet got wrong (a grade more generous than the ratings give);
- rows that cannot be imported: a rating typed ``Gd``, a date that does not exist, the unsaved
  formula and one audit reference used twice.

Every person, case number and case detail is invented. ``tracker.csv`` holds what Excel's "CSV
UTF-8" would save from the same sheet (the values shown, formulas as their saved values).

Run it from the repository, with ``qaimpact[xlsx]`` installed::

    python examples/import/make_tracker.py [OUTPUT_FOLDER]   # default: examples/import

The same code always writes the same bytes; ``tests/test_import.py`` checks the committed files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import re
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from qaimpact.audits.checker import CheckOptions, check_text
from qaimpact.frameworks.registry import Registry, bundled_dir

SEED = 20240401
TODAY = dt.date(2026, 11, 22)
DEFAULT_OUTPUT = Path(__file__).resolve().parent
SHEET = "Audits"
TITLE = "South Downs Cafcass: case file audit tracker 2024-25 (invented example data)"
#: Excel counts days from this date.
EPOCH = dt.date(1899, 12, 30)
#: Zip entries carry this time, so the workbook's bytes never depend on the day it was written.
STAMP = (2025, 4, 1, 0, 0, 0)

HEADERS = [
    (
        "Case",
        [
            "Audit ref",
            "ECMS no.",
            "Law type",
            "Area of work",
            "Practitioner (FCA)",
            "Team",
            "Auditor",
            "Date of audit",
        ],
    ),
    (
        "Impact on the child",
        [
            "Child seen",
            "Seen?",
            "Seen alone?",
            "Child seen: evidence",
            "Child's experience",
            "Child's experience: evidence",
            "Enabled to choose",
            "Enabled to choose: evidence",
            "Impact analysis",
            "Impact analysis: evidence",
        ],
    ),
    (
        "Compliance",
        [
            "Case recording",
            "Case recording: evidence",
            "Case planning",
            "Case planning: evidence",
            "Tools uploaded",
            "Tools uploaded: evidence",
            "Report quality",
            "Report quality: evidence",
        ],
    ),
    (
        "Outcome",
        [
            "Safeguarding actions needed?",
            "Safeguarding actions",
            "Overall grade",
            "Rationale",
            "Status",
            "Notes",
            "Notes",
            "Year",
        ],
    ),
]
COLUMNS = [name for _, names in HEADERS for name in names]
GUIDANCE = {
    "Audit ref": "e.g. QA-2024-0001",
    "ECMS no.": "ECMS-00nnnnn",
    "Date of audit": "DD/MM/YYYY",
    "Child seen": "Good / Met / RI",
    "Overall grade": "Outstanding / Good / Met / RI",
    "Status": "Draft / Final",
}

PRACTITIONERS = {
    "South Downs Private Law": ["Imogen Ashworth", "Kwame Boateng", "Ffion Rees"],
    "South Downs Public Law": ["Tomasz Nowicki", "Grace Adebayo"],
}
AUDITORS = ["Harriet Lomax", "Devendra Pillai", "Morag Fenwick"]
AREAS = {
    "private": ["Section 7 report", "Work to first hearing"],
    "public": ["Care proceedings"],
    "adoption": ["Adoption"],
}
LAW_WORDS = {
    "private": ["Private", "Private law"],
    "public": ["Public", "Public law"],
    "adoption": ["Adoption"],
}
STANDARDS = [
    ("impact", "child_seen"),
    ("impact", "child_experience"),
    ("impact", "enabled_to_choose"),
    ("impact", "impact_analysis"),
    ("compliance", "case_recording"),
    ("compliance", "case_planning"),
    ("compliance", "tools_uploaded"),
    ("compliance", "report_quality"),
]
#: How the sheet writes each rating: words, letters and codes, as different auditors did.
RATING_WORDS = {
    "good": ["Good", "G", "good", 2, "2"],
    "met": ["Met", "M", 1, "1"],
    "requires_improvement": ["RI", "Requires improvement", 0, "0"],
}
GRADE_WORDS = {
    "outstanding": ["Outstanding", "O"],
    "good": ["Good"],
    "met": ["Met"],
    "requires_improvement": ["RI", "Requires improvement"],
}
EVIDENCE = {
    "child_seen": {
        "good": "Seen alone at school and at home; wishes and feelings quoted in the analysis.",
        "met": "Seen alone once; the tools used are not recorded.",
        "requires_improvement": "Seen only with a parent present and no reason recorded.",
    },
    "default": {
        "good": "Clear, child-focused and evidenced on file.",
        "met": "Done, but the record does not say how it informed the recommendation.",
        "requires_improvement": "Missing from the file, and no reason recorded.",
    },
}


@dataclass
class Row:
    values: dict[str, Any]
    #: Formula cells: column -> (formula, saved value or None).
    formulas: dict[str, tuple[str, Any]]


def audit_text(fields: dict[str, Any]) -> str:
    """A minimal audit for the engine to grade (the tracker's recorded grades come from it)."""
    lines = [
        "standards: cafcass-qiam-2017",
        "audit_id: X",
        "case: {ecms_number: X, law_type: private}",
        "practitioner: X",
        "reviewer: X",
        "review_date: 2025-01-01",
    ]
    for group in ("impact", "compliance"):
        lines.append(f"{group}:")
        for g, std in STANDARDS:
            if g == group:
                lines.append(f"  {std}: {{rating: {fields[std]}, evidence: x}}")
    return "\n".join(lines) + "\n"


def build(rng: random.Random, registry: Registry) -> list[Row]:
    rows: list[Row] = []
    day = dt.date(2024, 4, 8)
    number = 101
    teams = [(t, p) for t, names in PRACTITIONERS.items() for p in names]
    for index in range(24):
        team, practitioner = teams[index % len(teams)]
        law = "public" if "Public" in team else rng.choice(["private", "private", "adoption"])
        ratings = {
            std: rng.choice(["good", "good", "good", "met", "met", "requires_improvement"])
            for _, std in STANDARDS
        }
        if index % 6 == 0:
            ratings = {std: "good" for _, std in STANDARDS}
        checked = check_text(audit_text(ratings), "x.yaml", registry, CheckOptions(today=TODAY))
        assert checked.result is not None, [d.message for d in checked.diagnostics]
        grade = checked.result.grade
        audit_id = f"QA-2024-{number:04d}"
        number += rng.randint(1, 4)
        day += dt.timedelta(days=rng.randint(7, 16))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        values: dict[str, Any] = {
            "Audit ref": audit_id,
            "ECMS no.": f"ECMS-00{rng.randint(30000, 69999)}",
            "Law type": rng.choice(LAW_WORDS[law]),
            "Area of work": rng.choice(AREAS[law]),
            "Practitioner (FCA)": practitioner,
            "Team": team,
            "Auditor": AUDITORS[index % len(AUDITORS)],
            "Seen?": "Y",
            "Seen alone?": "N" if ratings["child_seen"] == "requires_improvement" else "Y",
            "Safeguarding actions needed?": "N",
            "Status": "Final",
            "Year": None,
        }
        # Review dates as the sheet's different hands wrote them.
        form = index % 4
        values["Date of audit"] = (
            day
            if form == 0
            else (day - EPOCH).days
            if form == 1
            else day.strftime("%d/%m/%Y")
            if form == 2
            else day.isoformat()
        )
        for _, std in STANDARDS:
            rating = ratings[std]
            header = COLUMNS[COLUMNS.index(_title(std))]
            values[header] = rng.choice(RATING_WORDS[rating])
            texts = EVIDENCE.get(std, EVIDENCE["default"])
            values[f"{header}: evidence"] = texts[rating] if rating != "good" or rng.random() < 0.5 else None
        values["Overall grade"] = rng.choice(GRADE_WORDS[grade])
        values["Rationale"] = f"Ratings give {grade.replace('_', ' ')}."
        if rng.random() < 0.3:
            values["Notes"] = rng.choice(["Discussed in supervision.", "Feedback given to the FCA by phone."])
        rows.append(Row(values, {"Year": (f"YEAR({_cell('Date of audit', len(rows))})", day.year)}))
    # Rows the sheet got wrong: a recorded grade one step more generous than the ratings give.
    generous = 0
    for row in rows:
        grade = _grade_of(row.values["Overall grade"])
        if grade in ("met", "requires_improvement") and generous < 2:
            row.values["Overall grade"] = "Good" if grade == "met" else "Met"
            row.values["Rationale"] = f"{row.values['Overall grade']} overall: the recommendation was safe."
            generous += 1
    assert generous == 2
    # An audit reference typed as a formula, with its saved value.
    first = rows[2].values["Audit ref"]
    rows[2].formulas["Audit ref"] = (f'CONCATENATE("QA-2024-","{first[-4:]}")', first)
    # A second manager's note, under a second "Notes" column.
    rows[3].values["Notes#2"] = "Manager: good example for the team meeting."
    # Rows that cannot be imported as they are.
    rows[5].values["Child's experience"] = "Gd"  # a typing slip
    rows[9].values["Date of audit"] = "31/02/2025"  # a day that does not exist
    rows[13].formulas["Date of audit"] = ("DATE(2025,2,3)", None)  # never calculated
    rows[17].values["Audit ref"] = rows[16].values["Audit ref"]  # copied from the row above
    rows[20].values["Status"] = "Draft"  # skipped by the mapping
    return rows


def _title(std: str) -> str:
    return {
        "child_seen": "Child seen",
        "child_experience": "Child's experience",
        "enabled_to_choose": "Enabled to choose",
        "impact_analysis": "Impact analysis",
        "case_recording": "Case recording",
        "case_planning": "Case planning",
        "tools_uploaded": "Tools uploaded",
        "report_quality": "Report quality",
    }[std]


def _grade_of(word: str) -> str:
    return next(g for g, words in GRADE_WORDS.items() if word in words)


def _cell(header: str, index: int) -> str:
    return f"{get_column_letter(COLUMNS.index(header) + 1)}{index + 5}"


def column_of(header: str, second: bool = False) -> int:
    found = [i for i, name in enumerate(COLUMNS, 1) if name == header]
    return found[1] if second else found[0]


def grid(rows: Sequence[Row]) -> tuple[list[list[Any]], dict[tuple[int, int], tuple[str, Any]]]:
    """The sheet's cells, row by row from row 1, and its formulas by (row, column)."""
    width = len(COLUMNS)
    title = [TITLE] + [None] * (width - 1)
    groups: list[Any] = []
    for name, names in HEADERS:
        groups += [name] + [None] * (len(names) - 1)
    guidance = [GUIDANCE.get(name) for name in COLUMNS]
    cells = [title, groups, list(COLUMNS), guidance]
    formulas: dict[tuple[int, int], tuple[str, Any]] = {}
    for index, row in enumerate(rows):
        line = [row.values.get(name) for name in COLUMNS]
        line[column_of("Notes", second=True) - 1] = row.values.get("Notes#2")
        line[column_of("Notes") - 1] = row.values.get("Notes")
        for header, (formula, saved) in row.formulas.items():
            col = column_of(header)
            formulas[(index + 5, col)] = (formula, saved)
            line[col - 1] = saved
        cells.append(line)
    return cells, formulas


def merges() -> list[str]:
    spans = [f"A1:{get_column_letter(len(COLUMNS))}1"]
    start = 1
    for _, names in HEADERS:
        end = start + len(names) - 1
        spans.append(f"{get_column_letter(start)}2:{get_column_letter(end)}2")
        start = end + 1
    return spans


def workbook_bytes(rows: Sequence[Row]) -> bytes:
    cells, formulas = grid(rows)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = SHEET
    for r, line in enumerate(cells, 1):
        for c, value in enumerate(line, 1):
            if (r, c) in formulas:
                ws.cell(r, c, "=" + formulas[(r, c)][0])
            elif value is not None:
                cell = ws.cell(r, c, value)
                if isinstance(value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
    for span in merges():
        ws.merge_cells(span)
    fixed = dt.datetime(2025, 4, 1)
    book.properties.created = book.properties.modified = fixed
    buffer = io.BytesIO()
    book.save(buffer)
    return _with_saved_values(buffer.getvalue(), formulas)


def _with_saved_values(raw: bytes, formulas: dict[tuple[int, int], tuple[str, Any]]) -> bytes:
    """The workbook with each formula's saved value, as Excel stores it (openpyxl writes none)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                for (r, c), (_, saved) in formulas.items():
                    if saved is None:
                        continue
                    ref = f"{get_column_letter(c)}{r}"
                    kind = ' t="str"' if isinstance(saved, str) else ""
                    found = re.search(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>', text)
                    assert found is not None, ref
                    cell = f'<c r="{ref}"{found.group(1)}{kind}><f>{found.group(2)}</f><v>{saved}</v>'
                    text, count = text[: found.start()] + cell + text[found.end() :], 1
                    assert count == 1, ref
                data = text.encode("utf-8")
            if info.filename == "docProps/core.xml":
                stamp = rb'<dcterms:\1 xsi:type="dcterms:W3CDTF">2025-04-01T00:00:00Z<'
                data = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*<", stamp, data)
            entry = zipfile.ZipInfo(info.filename, date_time=STAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return out.getvalue()


def csv_text(rows: Sequence[Row]) -> str:
    """What Excel's "CSV UTF-8" saves: the values as shown (dates as DD/MM/YYYY), saved formula values."""
    cells, _ = grid(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in cells:
        writer.writerow([_shown(v) for v in line])
    return "\ufeff" + out.getvalue()


def _shown(value: Any) -> Any:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT, help="output folder")
    args = parser.parse_args(argv)
    rows = build(random.Random(SEED), Registry([bundled_dir()]))
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "tracker.xlsx").write_bytes(workbook_bytes(rows))
    (args.output / "tracker.csv").write_bytes(csv_text(rows).encode("utf-8"))
    names = f"{args.output / 'tracker.xlsx'} and {args.output / 'tracker.csv'}"
    print(f"Wrote {len(rows)} audit rows to {names}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

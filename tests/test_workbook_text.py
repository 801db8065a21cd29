"""Every workbook qaimpact writes holds text exactly as typed, as a text cell: a team named
"=Fenland", a grade labelled "-Good" or evidence starting "@" is shown as it is, in every sheet and
heading, never run as a formula and with no ``'`` put before it (a CSV cell keeps its ``'``, as a
spreadsheet runs a CSV cell that starts like a formula). ``import`` reads such a workbook back as
the same text, and a ``'`` a person typed at the start of a text is part of the text.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT, TODAY, Run
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.frameworks.registry import Registry

openpyxl = pytest.importorskip("openpyxl")

SERVICE = EXAMPLES / "service"
DAY = TODAY.isoformat()
#: What a spreadsheet reads as the start of a formula.
STARTS = ["=", "+", "-", "@"]
#: The names the examples give, and what they are named here (after a starting character).
CAFCASS_TEAM = "South West Private Law"
CCC_TEAM = "Fenland Child in Need 1"

#: Each command that writes a workbook: its arguments (``{a}`` is the audits folder, ``{t}`` the
#: folder they are in), its exit code, and which of the texts starting like a formula its workbook
#: shows: ``Fenland`` (a Cafcass team), ``North`` (a CCC team), ``Good`` (the grade and rating
#: label, in the cells and in headings) and ``Good or better`` (a heading made from that label,
#: as the standards file writes it).
COMMANDS: dict[str, tuple[list[str], int, set[str]]] = {
    "summary": (
        ["summary", "--audits", "{a}", "--by", "team"],
        0,
        {"Fenland", "North", "Good", "Good or better"},
    ),
    "quarterly": (
        ["quarterly", "--audits", "{a}", "--quarter", "2026-Q3"],
        0,
        {"Fenland", "North", "Good", "Good or better"},
    ),
    "actions": (["actions", "--audits", "{a}"], 0, {"North"}),
    # Exit 1: an escalation in the examples is not yet raised.
    "escalations": (["escalations", "--audits", "{a}"], 1, {"Fenland", "North"}),
    "impact": (["impact", "--audits", "{a}"], 0, {"Good"}),
    "moderation": (["moderation", "--audits", "{a}"], 0, {"Good", "Good or better"}),
    "programme": (
        [
            "programme",
            "{a}/plans/2026-07.csv",
            "{a}/plans/2026-08.csv",
            "{a}/plans/2026-09.csv",
            "--audits",
            "{a}",
        ],
        0,
        {"Fenland", "North"},
    ),
    "sample": (
        [
            "sample",
            "--cases",
            "{a}/cases.csv",
            "--auditors",
            "{a}/auditors.csv",
            "--audits",
            "{a}",
            "--seed",
            "7",
        ],
        0,
        {"Fenland", "North"},
    ),
    "export": (["export", "{a}/cafcass", "--mapping", "{t}/export.mapping.yaml"], 0, {"Fenland"}),
}


def _service(folder: Path, start: str) -> tuple[Path, Path]:
    """The example service with both teams' names and the label "Good" starting with ``start``:
    its audits (and their plans, cases and auditors) and its standards."""
    audits = folder / "audits"
    shutil.copytree(SERVICE, audits)
    names = {CAFCASS_TEAM: f"{start}Fenland", CCC_TEAM: f"{start}North"}
    for path in audits.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        # Quoted: a plain YAML scalar cannot start with "@".
        text = re.sub(
            f"^( *)team: ({CAFCASS_TEAM}|{CCC_TEAM})$",
            lambda m: f'{m[1]}team: "{names[m[2]]}"',
            text,
            flags=re.M,
        )
        path.write_text(text, encoding="utf-8")
    for path in audits.rglob("*.csv"):
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace(CAFCASS_TEAM, names[CAFCASS_TEAM]).replace(CCC_TEAM, names[CCC_TEAM]),
            encoding="utf-8",
        )
    standards = folder / "standards"
    shutil.copytree(ROOT / "standards", standards)
    for path in standards.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub("^( *)label: Good$", rf'\1label: "{start}Good"', text, flags=re.M), encoding="utf-8"
        )
    return audits, standards


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[Path, Path]]:
    """The service of :func:`_service` for each start, made once for the module: the commands
    only read it (each test checks that its command left it as it was)."""
    made: dict[str, tuple[Path, Path]] = {}

    def service(start: str) -> tuple[Path, Path]:
        if start not in made:
            made[start] = _service(tmp_path_factory.mktemp("service"), start)
        return made[start]

    return service


def _cells(book: Path) -> list[Any]:
    workbook = openpyxl.load_workbook(book)
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("start", STARTS)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_workbook_shows_text_that_starts_like_a_formula_as_typed(
    cli: Callable[..., Run],
    services: Callable[[str], tuple[Path, Path]],
    tmp_path: Path,
    command: str,
    start: str,
) -> None:
    audits, standards = services(start)
    before = _files(audits.parent)
    args, code, shown = COMMANDS[command]
    # -o FILE.xlsx writes a workbook (export has no --format).
    book = tmp_path / f"{command}.xlsx"
    arguments = [a.format(a=audits, t=tmp_path) for a in args]
    if command != "export":  # whose --standards names the framework to export
        arguments += ["--standards", str(standards)]
    cli(*arguments, "-o", book, "--today", DAY, expect=code)
    cells = _cells(book)
    # Every heading and every cell of every sheet: text as typed, stored as text.
    typed = {(c.value, c.data_type) for c in cells if isinstance(c.value, str) and c.value.startswith(start)}
    assert typed == {(start + text, "s") for text in shown}
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [c.value for c in cells if isinstance(c.value, str) and c.value.startswith("'")] == []
    # The service is shared by the module's tests: no command may change what it reads.
    assert _files(audits.parent) == before


@pytest.mark.parametrize("start", STARTS)
def test_a_heading_that_starts_like_a_formula_is_text(tmp_path: Path, start: str) -> None:
    from qaimpact.reports import tables, xlsx

    heading = f"{start}Outstanding"
    sheet = tables.Sheet("Grades", "Grades", ["Team", heading], [[f"{start}Fenland", 3]])
    book = tmp_path / "book.xlsx"
    book.write_bytes(xlsx.workbook([sheet]))
    ws = openpyxl.load_workbook(book)["Grades"]
    assert [[(c.value, c.data_type) for c in row] for row in ws.iter_rows()] == [
        [("Team", "s"), (heading, "s")],
        [(f"{start}Fenland", "s"), (3, "n")],
    ]


@pytest.mark.parametrize("text", ["#N/A", "#DIV/0!", "#REF!"])
def test_text_that_reads_as_an_excel_error_is_text(tmp_path: Path, text: str) -> None:
    """openpyxl stores Excel's error words as errors: a label or team so named is text."""
    from qaimpact.reports import tables, xlsx

    sheet = tables.Sheet("Grades", "Grades", [text], [[text]])
    book = tmp_path / "book.xlsx"
    book.write_bytes(xlsx.workbook([sheet]))
    ws = openpyxl.load_workbook(book)["Grades"]
    assert [(c.value, c.data_type) for c in ws["A"]] == [(text, "s"), (text, "s")]


# -- export and import: the same text back -------------------------------------------------------

AUDIT = SERVICE / "cafcass" / "QA-2025-0139.yaml"
EVIDENCE = "Seen alone at school; her own words recorded."


def _audit(folder: Path, team: str, evidence: str) -> Path:
    folder.mkdir()
    path = folder / AUDIT.name
    text = AUDIT.read_text(encoding="utf-8").replace(f"team: {CAFCASS_TEAM}", f'team: "{team}"')
    text = text.replace(
        "    evidence: Clear child impact analysis; recommendation follows from the risk analysis.",
        f'    evidence: "{evidence}"',
    )
    path.write_text(text, encoding="utf-8")
    return path


def _data(registry: Registry, path: Path) -> dict[str, Any]:
    data = check_audit(path, registry, CheckOptions(today=TODAY, keep_data=True)).data
    assert data is not None
    return data


@pytest.mark.parametrize("typed", ["", "'", "''"], ids=["plain", "apostrophe", "two-apostrophes"])
@pytest.mark.parametrize("start", STARTS)
def test_export_then_import_gives_back_the_text_as_typed(
    cli: Callable[..., Run], tmp_path: Path, registry: Registry, start: str, typed: str
) -> None:
    """The team as a person may name it; evidence as typed, with any ``'`` before it kept."""
    team, evidence = f"{start}Fenland", f"{typed}{start}{EVIDENCE}"
    original = _audit(tmp_path / "audits", team, evidence)
    book, mapping = tmp_path / "out.xlsx", tmp_path / "out.mapping.yaml"
    cli("export", original.parent, "-o", book, "--mapping", mapping, "--today", DAY)
    ws = openpyxl.load_workbook(book).active
    header = [c.value for c in ws[1]]
    row = {name: ws.cell(row=2, column=n) for n, name in enumerate(header, start=1)}
    assert (row["team"].value, row["team"].data_type) == (team, "s")
    cell = row["impact.impact_analysis.evidence"]
    assert (cell.value, cell.data_type) == (evidence, "s")
    back = tmp_path / "imported"
    cli("import", book, "--mapping", mapping, "--audits", back, "--today", DAY)
    [imported] = back.glob("*.yaml")
    data = _data(registry, imported)
    assert (data["team"], data["impact"]["impact_analysis"]["evidence"]) == (team, evidence)
    assert data == _data(registry, original)


@pytest.mark.parametrize("start", STARTS)
def test_a_csv_export_keeps_its_apostrophe(cli: Callable[..., Run], tmp_path: Path, start: str) -> None:
    """A spreadsheet runs a CSV cell that starts like a formula: there the ``'`` stays."""
    original = _audit(tmp_path / "audits", f"{start}Fenland", f"'{start}{EVIDENCE}")
    sheet = tmp_path / "out.csv"
    cli("export", original.parent, "-o", sheet, "--mapping", tmp_path / "m.yaml", "--today", DAY)
    [row] = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    assert (row["team"], row["impact.impact_analysis.evidence"]) == (
        f"'{start}Fenland",
        f"''{start}{EVIDENCE}",
    )

"""CSV for Excel (issue 17, section 5): a byte-order mark on request, empty cells for values not
recorded, and the grade columns in scale order."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from qaimpact.reports import render
from qaimpact.reports.summary import group_columns

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "service"
BOM = "\ufeff"

COMMANDS = [
    pytest.param(["summary"], 0, id="summary"),
    pytest.param(["summary", "--by", "team"], 0, id="summary-by-team"),
    pytest.param(["escalations", "--fail-on", "never"], 0, id="escalations"),
    pytest.param(["actions"], 0, id="actions"),
    pytest.param(["impact"], 0, id="impact"),
    pytest.param(["moderation"], 0, id="moderation"),
    pytest.param(
        ["sample", "--cases", EXAMPLES / "cases.csv", "--auditors", EXAMPLES / "auditors.csv", "--seed", "1"],
        0,
        id="sample",
    ),
    pytest.param(["programme", *sorted((EXAMPLES / "plans").glob("*.csv"))], 0, id="programme"),
]


@pytest.mark.parametrize(("command", "exit_code"), COMMANDS)
def test_a_byte_order_mark_on_request(
    command: list[Any], exit_code: int, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    written = {}
    for flag in ("--bom", "--no-bom"):
        out = tmp_path / f"report{flag}.csv"
        args = [*command, "--audits", EXAMPLES, "--today", "2026-11-22", "-f", "csv", "-o", out]
        cli(*args, flag, expect=exit_code)
        written[flag] = out.read_bytes()
    assert written["--no-bom"].count(b"\n") > 1
    assert not written["--no-bom"].startswith(BOM.encode())
    assert written["--bom"] == BOM.encode() + written["--no-bom"]


@pytest.mark.parametrize(("command", "exit_code"), COMMANDS)
@pytest.mark.parametrize("fmt", ["md", "json"])
def test_a_byte_order_mark_is_only_for_csv(
    command: list[Any], exit_code: int, fmt: str, cli: Callable[..., Run]
) -> None:
    """Given with another format, --bom would do nothing: it is refused, not ignored."""
    run = cli(*command, "--audits", EXAMPLES, "--today", "2026-11-22", "-f", fmt, "--bom", expect=2)
    assert " ".join(run.stderr.split()) == (
        "error: --bom adds the byte-order mark Excel needs to read a CSV file's accents and "
        f"symbols; --format {fmt} has no use for one: leave --bom out, or add --format csv."
    )


@pytest.mark.parametrize(
    ("rows", "columns", "expected"),
    [
        pytest.param(
            [{"team": "(not recorded)", "law_type": "private"}],
            None,
            "team,law_type\n,private\n",
            id="not-recorded-is-empty",
        ),
        pytest.param([{"team": "=1+1"}], None, "team\n'=1+1\n", id="still-safe"),
        pytest.param([], ["a", "b"], "a,b\n", id="header-only"),
    ],
)
def test_csv_cells(rows: list[dict[str, Any]], columns: list[str] | None, expected: str) -> None:
    assert render.render_csv(rows, columns) == expected
    assert render.render_csv(rows, columns, bom=True) == BOM + expected


def test_no_summary_cell_says_not_recorded(cli: Callable[..., Run]) -> None:
    for by in ([], ["--by", "team"], ["--by", "law_type"]):
        text = cli("summary", "--audits", EXAMPLES, "--today", "2026-11-22", "-f", "csv", *by).stdout
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert "(not recorded)" not in cells
        assert "" in cells  # the examples have audits with no law type


def _view(*scales: list[str]) -> dict[str, Any]:
    sections = [{"distribution": [{"grade": g} for g in scale]} for scale in scales]
    return {"frameworks": sections, "by": "team"}


CCC = ["outstanding", "good", "requires_improvement", "inadequate"]
CAFCASS = ["outstanding", "good", "met", "requires_improvement"]
MERGED = ["outstanding", "good", "met", "requires_improvement", "inadequate"]


@pytest.mark.parametrize(
    ("scales", "grades"),
    [
        pytest.param([CCC, CAFCASS], MERGED, id="council-first"),
        pytest.param([CAFCASS, CCC], MERGED, id="cafcass-first"),
        pytest.param([CCC], CCC, id="one-framework"),
    ],
)
def test_grade_columns_in_scale_order(scales: list[list[str]], grades: list[str]) -> None:
    assert group_columns(_view(*scales)) == ["framework", "team", "audits", *grades, "pct_good_or_better"]


def test_grouped_csv_header_through_the_cli(cli: Callable[..., Run]) -> None:
    text = cli("summary", "--audits", EXAMPLES, "--today", "2026-11-22", "-f", "csv", "--by", "team").stdout
    assert text.splitlines()[0] == "framework,team,audits," + ",".join(MERGED) + ",pct_good_or_better"

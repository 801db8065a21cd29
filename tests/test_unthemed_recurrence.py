"""A theme table's row of items without a theme (a framework that lists none, or items given
none) is no theme that could recur: its Recurring cell is empty in every report that shows it,
as the escalations and actions pages leave it, never "No" in the summary or a workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES

SERVICE = EXAMPLES / "service"
TODAY = ("--today", "2026-11-22")


@pytest.mark.parametrize(
    "row",
    [
        "| Quality and Impact Assurance Model | (the framework lists no themes) | 5 | 3 | 2 |  |",
        "| Children's Services Practice Standards | (no theme) | 1 | 1 | 1 |  |",
        "| Children's Services Practice Standards | Risk and safety planning | 1 | 0 | 0 | No |",
    ],
    ids=["framework-without-themes", "escalation-without-theme", "themed-row-still-says-no"],
)
def test_summary_leaves_recurring_empty_for_unthemed_escalations(cli: Any, tmp_path: Path, row: str) -> None:
    out = tmp_path / "summary.md"
    cli("summary", "--audits", SERVICE, *TODAY, "-o", out)
    assert row in out.read_text(encoding="utf-8").splitlines()


def test_summary_page_leaves_recurring_empty_for_unthemed_escalations(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "summary.html"
    cli("summary", "--audits", SERVICE, *TODAY, "-o", out)
    page = out.read_text(encoding="utf-8")
    assert (
        '<th scope="row">(the framework lists no themes)</th><td class="num">5</td>'
        '<td class="num">3</td><td class="num">2</td><td></td></tr>'
    ) in page


def test_escalations_workbook_leaves_recurring_empty_as_its_page_does(cli: Any, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "escalations.xlsx"
    cli("escalations", "--audits", SERVICE, *TODAY, "-o", out, expect=1)
    rows = list(openpyxl.load_workbook(out)["Themes"].iter_rows(values_only=True))
    assert rows[:4] == [
        ("Framework", "Theme", "Escalations", "Audits", "Recurring", "Open", "Overdue"),
        ("Quality and Impact Assurance Model", "(the framework lists no themes)", 5, 5, None, 3, 2),
        ("Children's Services Practice Standards", "Risk and safety planning", 1, 1, "No", 0, 0),
        ("Children's Services Practice Standards", "(no theme)", 1, 1, None, 1, 1),
    ]
    page = cli("escalations", "--audits", SERVICE, *TODAY, "-f", "md", expect=1).stdout
    assert (
        "| Quality and Impact Assurance Model | (the framework lists no themes) | 5 | 5 |  | 3 | 2 |" in page
    )

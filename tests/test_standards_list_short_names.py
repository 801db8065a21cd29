"""``standards list`` shows each framework's short names, the ones ``--standards`` takes.

A user told "Give a framework by its id or its short name" found no short name in ``standards
list``: only the id, version, title, count and file. The table now has a "short name" column: the
framework's short title and the prefix of its audit ids, each only where ``--standards`` reads it
as that framework alone (``Registry.named``); a name two frameworks share, which would be refused
as ambiguous, is left out, and a framework with none shows "-".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, Run
from qaimpact.frameworks.registry import Registry, bundled_dir

CLASH = DATA / "short-names" / "clash"
HEADER = ["id", "short name", "version", "title", "standards", "file"]


def _rows(out: str) -> dict[str, list[str]]:
    """The table's cells by column, a row's wrapped lines joined, keyed by framework id."""
    rows: list[list[list[str]]] = []
    body = False
    for line in out.splitlines():
        if line.startswith("┡"):
            body = True
            continue
        if not body or not line.startswith("│"):
            continue
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if cells[0]:
            rows.append([[cell] if cell else [] for cell in cells])
        else:
            for column, cell in zip(rows[-1], cells, strict=True):
                column.extend([cell] if cell else [])
    return {row[0][0]: row[1] for row in rows}


def _header(out: str) -> list[str]:
    lines = [line for line in out.splitlines() if line.startswith("┃")]
    columns = [[cell.strip() for cell in line.strip("┃").split("┃")] for line in lines]
    return [" ".join(part for part in parts if part) for parts in zip(*columns, strict=True)]


@pytest.mark.parametrize(
    ("args", "shorts"),
    [
        ([], {"cafcass-qiam-2017": ["Cafcass", "QA"], "ccc-practice-standards": ["CCC", "CFA"]}),
        # CCC is also ccc-2027's short title: `--standards CCC` is refused, so neither shows it.
        (
            ["--standards", str(CLASH)],
            {"cafcass-qiam-2017": ["Cafcass", "QA"], "ccc-2027": ["NEW"], "ccc-practice-standards": ["CFA"]},
        ),
    ],
)
@pytest.mark.parametrize("columns", ["80", "160"])
def test_standards_list_shows_the_short_names(
    cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    shorts: dict[str, list[str]],
    columns: str,
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    out = cli("standards", "list", *args).stdout
    assert _header(out) == HEADER
    assert _rows(out) == shorts
    assert max(map(len, out.splitlines())) <= int(columns)


@pytest.mark.parametrize(
    ("dirs", "ident", "shorts"),
    [
        ([bundled_dir()], "ccc-practice-standards", ["CCC", "CFA"]),
        ([bundled_dir()], "cafcass-qiam-2017", ["Cafcass", "QA"]),
        ([CLASH, bundled_dir()], "ccc-practice-standards", ["CFA"]),
        ([CLASH, bundled_dir()], "ccc-2027", ["NEW"]),
        ([bundled_dir()], "no-such-framework", []),
    ],
)
def test_registry_short_names(dirs: list[Path], ident: str, shorts: list[str]) -> None:
    registry = Registry(dirs)
    assert registry.short_names(ident) == shorts
    # Each one shown is one --standards takes for that framework.
    assert all(registry.named(name) == [ident] for name in shorts)


def test_each_short_name_shown_is_taken_by_standards(cli: Callable[..., Run]) -> None:
    # Through the command line: the name in the column names the framework in `standards show`.
    out = cli("standards", "list").stdout
    for ident, shorts in _rows(out).items():
        for short in shorts:
            shown = cli("standards", "show", short).stdout
            assert f"({ident}, version " in shown.splitlines()[0]

"""The reference pages in docs/ are generated from the code; they must match it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from qaimpact import docgen
from qaimpact.base import codes
from qaimpact.cli import exitcodes


@pytest.mark.parametrize("page", sorted(docgen.PAGES))
def test_generated_page_is_up_to_date(page, registry):
    build = docgen.PAGES[page]
    expected = build(registry) if page in ("audit-format.md", "readings.md") else build()
    actual = (ROOT / "docs" / page).read_text(encoding="utf-8")
    assert actual == expected, f"docs/{page} is stale: run `python -m qaimpact.docgen docs`"


@pytest.mark.parametrize("code", sorted(codes.CODES))
def test_every_code_is_documented_with_its_title(code):
    page = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    entry = codes.CODES[code]
    assert f"### {code}\n\n`{entry.name}`" in page


def test_help_states_every_exit_code(cli):
    out = " ".join(cli("--help").stdout.split())
    for code, short, _ in exitcodes.TABLE:
        assert f"{code} {short}" in out


@pytest.mark.parametrize("args", [["--help"], ["-h"]])
def test_docgen_help_writes_nothing(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    # Regression: `python -m qaimpact.docgen --help` wrote every page into a folder named --help.
    monkeypatch.chdir(tmp_path)
    assert docgen.main(args) == 0
    assert list(tmp_path.iterdir()) == []
    assert capsys.readouterr().out.startswith("usage: python -m qaimpact.docgen [FOLDER]")


@pytest.mark.parametrize("args", [["--out", "x"], ["-x"], ["a", "b"]])
def test_docgen_refuses_what_it_does_not_take(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    assert docgen.main(args) == 2
    assert list(tmp_path.iterdir()) == []
    assert capsys.readouterr().err.startswith(f"error: unexpected {' '.join(args)!r}\n")

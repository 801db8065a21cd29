"""The reference pages in docs/ are generated from the code; they must match it."""

from __future__ import annotations

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

"""A quoted text left open: the finding is at the quote to close, not past the file's last line.

libyaml stops where the file ends ("found unexpected end of stream, while scanning a quoted scalar"),
and the finding was put there: `65:1` in a file of 64 lines, with the quote to fix named only as
"(line 63)" in the message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, TODAY, Run

AUDIT = DATA / "reserved-starts" / "CFA-2025-0275.yaml"
TEXT = AUDIT.read_text(encoding="utf-8")
LINE = "    evidence: The child's views recorded at each visit and reflected in the plan."
RATIONALE = TEXT[TEXT.index("rationale: >-") :]


@pytest.mark.parametrize(
    ("typed", "quote", "column"),
    [
        ("    evidence: \"The child's views recorded at each visit", '"', 15),
        ("rationale: 'All practice standards good or better\n", "'", 12),
        ('    evidence: Seen at home, "as agreed', None, None),
    ],
    ids=["double", "single", "inside-plain-text"],
)
def test_a_quote_left_open_is_found_where_it_opens(
    cli: Callable[..., Run], tmp_path: Path, typed: str, quote: str | None, column: int | None
) -> None:
    # A single quote is closed by the next apostrophe: it is left open on the last value.
    old = RATIONALE if typed.startswith("rationale") else LINE
    assert old in TEXT
    path = tmp_path / AUDIT.name
    path.write_text(TEXT.replace(old, typed), encoding="utf-8")
    line = TEXT[: TEXT.index(old)].count("\n") + 1
    run = cli("validate", "--today", TODAY, str(path), expect=None)
    if quote is None:
        # A quote inside plain text is text: the file is read (and is valid).
        assert run.exit_code == 0, run.stdout
        return
    assert run.exit_code == 1
    assert run.stdout.splitlines()[:2] == [
        f"{path}:{line}:{column}: error QA101 YAML syntax error: the quoted text that starts here "
        f"with {quote} is never closed: the file ends before its closing {quote}.",
        f"    hint: Add the closing {quote} where the text ends.",
    ]

"""A local tag on plain text (``reviewer: !Daniel Okafor``) is most likely text typed with a "!":
QA106's hint said only "Remove the tag", which would lose the first word. It now gives the text in
quotes first; a tag on quoted text or on a block keeps the hint to remove it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, TODAY, Run

AUDIT = DATA / "reserved-starts" / "CFA-2025-0275.yaml"
TEXT = AUDIT.read_text(encoding="utf-8")
REVIEWER = "reviewer: Rosalind Greer"
REMOVE = "Remove the tag: audit values are plain text, numbers, true/false, lists and blocks."


@pytest.mark.parametrize(
    ("typed", "tag", "hint"),
    [
        (
            "reviewer: !Daniel Okafor",
            "!Daniel",
            'If it is text, put the whole text in quotes: "!Daniel Okafor". If it is a tag, remove it.',
        ),
        (
            "reviewer: !Daniel  # the team's reviewer",
            "!Daniel",
            'If it is text, put the whole text in quotes: "!Daniel". If it is a tag, remove it.',
        ),
        ('reviewer: !name "Daniel Okafor"', "!name", REMOVE),
        ("reviewer: !!binary RGFuaWVs", "!!binary", REMOVE),
    ],
    ids=["plain-text", "before-a-comment", "on-quoted-text", "a-core-tag"],
)
def test_a_tag_on_plain_text_is_shown_as_text_in_quotes(
    cli: Callable[..., Run], tmp_path: Path, typed: str, tag: str, hint: str
) -> None:
    assert REVIEWER in TEXT
    path = tmp_path / AUDIT.name
    path.write_text(TEXT.replace(REVIEWER, typed), encoding="utf-8")
    line = TEXT[: TEXT.index(REVIEWER)].count("\n") + 1
    run = cli("validate", "--today", TODAY, str(path), expect=1)
    assert run.stdout.splitlines()[:2] == [
        f"{path}:{line}:11: error QA106 The YAML tag '{tag}' is not allowed in audit files.",
        f"    hint: {hint}",
    ]

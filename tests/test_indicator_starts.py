"""Values that start with one of YAML's indicators of structure, the tag ``!`` on quoted text, and
an anchor or the tag ``!`` on a key.

An auditor types ``[see note``, ``- first point`` on the key's line, ``,and then`` or ``> 5 visits``
as text; YAML reads each as the start of a list, a block or a block of text and refuses the rest.
libyaml said so in its own words ("block sequence entries are not allowed in this context", "did
not find expected comment or line break"), and for an unclosed ``[`` at the next key or the end of
the file. Each is now a finding at the character, in the words of the other reserved starts
(tests/test_reserved_starts.py), with the whole text in quotes as the fix.

``! "12"`` was read as the number 12 (libyaml and ruamel.yaml both guess the type of a quoted text
after the tag ``!``, where YAML says it is text): the tag ``!`` is refused wherever it is, as on
plain text. ``&a reviewer: Daniel`` was read as the key ``reviewer`` with nothing said: a key that
starts with an anchor or the tag ``!`` is refused as a value that does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import TODAY, Run, refused
from qaimpact.base import loader
from typed_audit import assert_fmt_refuses, assert_loader_finds, assert_validate_says, typed

EVIDENCE = "    evidence: Recording timely and reflective."
REVIEWER = "reviewer: Rosalind Greer"
RATING = "    rating: good"
QUOTE = "If it is text, put the whole text in quotes: "
MUST = "so text that starts with it must be in quotes."
LIST = "a list in brackets (such as [a, b])"
UNCLOSED = (
    f"'[see note' starts with '[', which YAML reads as the start of {LIST}, and no ']' ends it. | "
    f"If it is text, put the whole text in quotes: \"[see note\". If it is a list, end it with ']'."
)
BLOCK = "a block in braces (such as {from: 2025-04-01, to: 2025-09-30})"
TEXT_BELOW = "a character YAML reserves to start a block of text on the lines below it"
BLOCK_BELOW = "If it is a block of text, start the text on the line below."
ITEMS = "If it is a list, put each item on a line of its own below the key, after '- '."
REMOVE = "Remove the tag: audit values are plain text, numbers, true/false, lists and blocks."
NOT_ALLOWED = "error QA106 The YAML tag '!' is not allowed in audit files."
ANCHOR = "which YAML reserves for an anchor (a name for a value to repeat)"
TAG = "which YAML reserves for a tag (the type of a value)"

#: (line of the audit to replace, the line typed instead, the finding as validate prints it, its hint).
CASES = {
    "bracket-never-closed": (
        EVIDENCE,
        "    evidence: [see note",
        f"67:15: error QA101 YAML syntax error: '[see note' starts with '[', which YAML reads as the start "
        f"of {LIST}, and no ']' ends it.",
        f"{QUOTE}\"[see note\". If it is a list, end it with ']'.",
    ),
    "brace-never-closed": (
        EVIDENCE,
        "    evidence: {see note  # from the visit",
        f"67:15: error QA101 YAML syntax error: '{{see note' starts with '{{', which YAML reads as the start "
        f"of {BLOCK}, and no '}}' ends it.",
        f"{QUOTE}\"{{see note\". If it is a block, end it with '}}'.",
    ),
    "bracket-then-text": (
        EVIDENCE,
        "    evidence: [see note] and the plan",
        "67:15: error QA101 YAML syntax error: '[see note] and the plan' starts with '[', a character YAML "
        f"reserves for {LIST}, {MUST}",
        f'{QUOTE}"[see note] and the plan".',
    ),
    "brace-then-text": (
        EVIDENCE,
        "    evidence: {Mum} said the visits help",
        "67:15: error QA101 YAML syntax error: '{Mum} said the visits help' starts with '{', a character "
        f"YAML reserves for {BLOCK}, {MUST}",
        f'{QUOTE}"{{Mum}} said the visits help".',
    ),
    "list-item-on-the-key-line": (
        EVIDENCE,
        "    evidence: - first point",
        "67:15: error QA101 YAML syntax error: '- first point' starts with '-', a character YAML reserves "
        f"for an item of a list when a space follows it, {MUST}",
        f'{QUOTE}"- first point". {ITEMS}',
    ),
    "list-on-the-key-line": (
        EVIDENCE,
        "    evidence: - first point\n      - second point",
        "67:15: error QA101 YAML syntax error: '- first point - second point' starts with '-', a character "
        f"YAML reserves for an item of a list when a space follows it, {MUST}",
        f'{QUOTE}"- first point - second point" (on one line, in place of lines 67 to 68). {ITEMS}',
    ),
    "question-mark-and-a-space": (
        EVIDENCE,
        "    evidence: ? why was the plan late",
        "67:15: error QA101 YAML syntax error: '? why was the plan late' starts with '?', a character YAML "
        f"reserves for a key when a space follows it, {MUST}",
        f'{QUOTE}"? why was the plan late".',
    ),
    "comma": (
        EVIDENCE,
        "    evidence: ,and then the school called",
        "67:15: error QA101 YAML syntax error: ',and then the school called' starts with ',', a character "
        f"YAML reserves to separate the items of a list in brackets, {MUST}",
        f'{QUOTE}",and then the school called".',
    ),
    "closing-bracket": (
        REVIEWER,
        "reviewer: ]Daniel Okafor",
        "19:11: error QA101 YAML syntax error: ']Daniel Okafor' starts with ']', a character YAML reserves "
        f"to end a list in brackets, {MUST}",
        f'{QUOTE}"]Daniel Okafor".',
    ),
    "closing-brace": (
        REVIEWER,
        "reviewer: }Daniel Okafor",
        "19:11: error QA101 YAML syntax error: '}Daniel Okafor' starts with '}', a character YAML reserves "
        f"to end a block in braces, {MUST}",
        f'{QUOTE}"}}Daniel Okafor".',
    ),
    "folded-with-text-on-its-line": (
        EVIDENCE,
        "    evidence: > 5 visits missed",
        f"67:15: error QA101 YAML syntax error: '> 5 visits missed' starts with '>', {TEXT_BELOW}, {MUST}",
        f'{QUOTE}"> 5 visits missed". {BLOCK_BELOW}',
    ),
    "folded-with-a-rating-on-its-line": (
        RATING,
        "    rating: > good",
        f"25:13: error QA101 YAML syntax error: '> good' starts with '>', {TEXT_BELOW}, {MUST}",
        f'{QUOTE}"> good". {BLOCK_BELOW}',
    ),
    "literal-with-text-on-its-line": (
        EVIDENCE,
        "    evidence: |see note   # from the visit",
        f"67:15: error QA101 YAML syntax error: '|see note' starts with '|', {TEXT_BELOW}, {MUST}",
        f'{QUOTE}"|see note". {BLOCK_BELOW}',
    ),
    "folded-header-then-text": (
        EVIDENCE,
        "    evidence: >- Recording timely\n      and reflective.",
        "67:15: error QA101 YAML syntax error: '>- Recording timely and reflective.' starts with '>', "
        f"{TEXT_BELOW}, {MUST}",
        f'{QUOTE}">- Recording timely and reflective." (on one line, in place of lines 67 to 68). '
        f"{BLOCK_BELOW}",
    ),
    "tag-on-quoted-number": (EVIDENCE, '    evidence: ! "12"', f"67:15: {NOT_ALLOWED}", REMOVE),
    "tag-on-quoted-text": (EVIDENCE, "    evidence: ! '12 visits'", f"67:15: {NOT_ALLOWED}", REMOVE),
    "tag-on-quoted-rating": (RATING, '    rating: ! "good"', f"25:13: {NOT_ALLOWED}", REMOVE),
    "tag-after-an-anchor": (EVIDENCE, '    evidence: &e ! "12"', f"67:18: {NOT_ALLOWED}", REMOVE),
    "tag-on-a-block-of-text": (EVIDENCE, "    evidence: ! >-\n      12", f"67:15: {NOT_ALLOWED}", REMOVE),
    "tag-on-a-list": (EVIDENCE, "    evidence: ! [12]", f"67:15: {NOT_ALLOWED}", REMOVE),
    "tag-on-a-block": (
        "  case_reference: LCS-874016",
        "  case_reference: !\n    number: LCS-874016",
        f"8:19: {NOT_ALLOWED}",
        REMOVE,
    ),
    "anchor-on-a-key": (
        REVIEWER,
        "&a reviewer: Daniel Okafor",
        f"19:1: error QA111 '&a reviewer' starts with '&', {ANCHOR}, so this key is read as 'reviewer', "
        "not as the text written.",
        f'{QUOTE}"&a reviewer".',
    ),
    "anchor-on-a-nested-key": (
        RATING,
        "    &r rating: good",
        f"25:5: error QA111 '&r rating' starts with '&', {ANCHOR}, so this key is read as 'rating', not as "
        "the text written.",
        f'{QUOTE}"&r rating".',
    ),
    "tag-on-a-key": (
        REVIEWER,
        "! reviewer: Daniel Okafor",
        f"19:1: error QA106 '! reviewer' starts with '!', {TAG}, so this key is read as 'reviewer', not as "
        "the text written.",
        f'{QUOTE}"! reviewer".',
    ),
    "tag-on-a-quoted-key": (REVIEWER, "! 'reviewer': Daniel Okafor", f"19:1: {NOT_ALLOWED}", REMOVE),
}


@pytest.mark.parametrize(("line", "instead", "expected", "hint"), CASES.values(), ids=CASES)
def test_validate_says_what_the_start_of_the_value_is_to_yaml(
    cli: Callable[..., Run], tmp_path: Path, line: str, instead: str, expected: str, hint: str
) -> None:
    assert_validate_says(cli, tmp_path, typed(line, instead), expected, hint)


@pytest.mark.parametrize(("line", "instead", "expected", "hint"), CASES.values(), ids=CASES)
def test_the_loader_refuses_the_value_at_its_start(line: str, instead: str, expected: str, hint: str) -> None:
    assert_loader_finds(typed(line, instead), expected, hint)


@pytest.mark.parametrize(("line", "instead", "expected", "hint"), CASES.values(), ids=CASES)
def test_fmt_refuses_what_validate_refuses(
    cli: Callable[..., Run], tmp_path: Path, line: str, instead: str, expected: str, hint: str
) -> None:
    assert_fmt_refuses(cli, tmp_path, typed(line, instead), expected)


#: The cases typed as a text of evidence, whose hint's text in quotes is the fix.
TEXTS = {
    name: case
    for name, case in CASES.items()
    if case[0] == EVIDENCE and case[3].startswith(QUOTE) and "\n" not in case[1]
}


@pytest.mark.parametrize(("line", "instead", "expected", "hint"), TEXTS.values(), ids=TEXTS)
def test_the_text_in_quotes_as_the_hint_writes_it_reads_as_typed(
    cli: Callable[..., Run], tmp_path: Path, line: str, instead: str, expected: str, hint: str
) -> None:
    """The hint's fix validates, reads as the text typed, and fmt keeps it so."""
    quoted = hint[len(QUOTE) :].partition(". ")[0].removesuffix(".")
    path = tmp_path / "audit.yaml"
    path.write_text(typed(line, f"    evidence: {quoted}"), encoding="utf-8")
    for _ in range(2):
        cli("validate", "--today", TODAY, path)
        data = loader.load_file(path).data
        assert data["practice_standards"]["case_recording"]["evidence"] == quoted[1:-1]
        cli("fmt", "--today", TODAY, path)


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("a: [see note]\nb: {c: d}\n", {"a": ["see note"], "b": {"c": "d"}}),
        ("a: [x,\n  y]\nb: {c: d,\n  e: f}\n", {"a": ["x", "y"], "b": {"c": "d", "e": "f"}}),
        (
            "a: >\n  5 visits\nb: |-\n  see note\nc: > # why\n  t\n",
            {"a": "5 visits\n", "b": "see note", "c": "t\n"},
        ),
        ("a: >2\n   indented\nb: |+\n  kept\n\n", {"a": " indented\n", "b": "kept\n\n"}),
        ("a:\n- first point\n- second\nb:\n  - x\n", {"a": ["first point", "second"], "b": ["x"]}),
        ("? a\n: b\nc:\n  - - d\n", {"a": "b", "c": [["d"]]}),
        (
            "a: -5\nb: ?why\nc: -see\nd: x, y\ne: see [note]\nf: 5 > 4 | 3\ng: a - b\n",
            {
                "a": -5,
                "b": "?why",
                "c": "-see",
                "d": "x, y",
                "e": "see [note]",
                "f": "5 > 4 | 3",
                "g": "a - b",
            },
        ),
        (
            "a: '[see note'\nb: \"- first\"\nc: '> 5 visits'\nd: ',and'\n",
            {"a": "[see note", "b": "- first", "c": "> 5 visits", "d": ",and"},
        ),
        ('a: !!str 12\nb: "12"\n', {"a": "12", "b": "12"}),
        ("&a 'r': D\nx: &b [1]\ny: *b\n", {"r": "D", "x": [1], "y": [1]}),
        ("&m\nr: D\n", {"r": "D"}),
    ],
    ids=[
        "lists-and-blocks-in-brackets",
        "over-lines",
        "blocks-of-text",
        "block-headers",
        "lists-below-the-key",
        "key-marks-and-nested-lists",
        "indicators-inside-text",
        "in-quotes",
        "explicit-tag",
        "anchors-meant",
        "anchor-on-the-file",
    ],
)
def test_yaml_that_is_meant_reads_as_before(text: str, data: dict[str, Any]) -> None:
    """Only a value that YAML refuses, or reads through the tag '!', or a plain key with an anchor,
    is a finding: lists in brackets, blocks of text, lists below a key, anchors on quoted keys and
    on lists, and these characters inside text read as they did."""
    assert loader.load_bytes(text.encode(), "f.yaml").data == data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "l:\n  - [see note] and more\n",
            "2:5 QA101 YAML syntax error: '[see note] and more' starts with '[', a character YAML reserves "
            f'for {LIST}, {MUST} | {QUOTE}"[see note] and more".',
        ),
        (
            "l:\n  - > 5 visits\n",
            f"2:5 QA101 YAML syntax error: '> 5 visits' starts with '>', {TEXT_BELOW}, {MUST} | "
            f'{QUOTE}"> 5 visits". {BLOCK_BELOW}',
        ),
        (
            "l:\n  - b: - first point\n",
            "2:8 QA101 YAML syntax error: '- first point' starts with '-', a character YAML reserves for an "
            f'item of a list when a space follows it, {MUST} | {QUOTE}"- first point". {ITEMS}',
        ),
        (
            "a: x\nb: &x [see note\nc: d\n",
            f"2:7 QA101 YAML syntax error: {UNCLOSED}",
        ),
        (
            "a: x\nb: [see note",
            f"2:4 QA101 YAML syntax error: {UNCLOSED}",
        ),
        (
            "a: x\nb:\n  &c d: e\n",
            f"3:3 QA111 '&c d' starts with '&', {ANCHOR}, so this key is read as 'd', not as the text "
            f'written. | {QUOTE}"&c d".',
        ),
        (
            "? &a r\n: D\n",
            f"1:3 QA111 '&a r' starts with '&', {ANCHOR}, so this key is read as 'r', not as the text "
            f'written. | {QUOTE}"&a r".',
        ),
        # A block over lines with its '}' left out (tests/test_multiline_text.py has more).
        (
            "b: {from: 2025-04-01,\n    to: 2025-09-30\nc: d\n",
            "1:4 QA101 YAML syntax error: '{from: 2025-04-01, to: 2025-09-30' starts with '{', which YAML "
            f"reads as the start of {BLOCK}, and no '}}' ends it. | {QUOTE}\"{{from: 2025-04-01, to: "
            "2025-09-30\" (on one line, in place of lines 1 to 2). If it is a block, end it with '}' after "
            "its last value (line 2).",
        ),
        (
            "a: {b: [c, d}\n",
            "1:13 QA101 YAML syntax error: did not find expected ',' or ']', while parsing a flow sequence. "
            "| Check the indentation and quoting on this line and the line before it.",
        ),
    ],
    ids=[
        "in-a-list",
        "block-header-in-a-list",
        "list-item-after-a-key-in-a-list",
        "after-an-anchor",
        "at-the-end-of-the-file",
        "anchor-on-a-nested-key",
        "anchor-on-an-explicit-key",
        "meant-as-a-block-over-lines",
        "inside-another",
    ],
)
def test_where_else_the_start_of_a_value_is_found(text: str, expected: str) -> None:
    assert refused(text) == expected


@pytest.mark.parametrize("kind", ["standards", "mapping", "narrative"])
def test_every_kind_of_file_gets_the_hint_to_quote_the_text(tmp_path: Path, kind: loader.FileKind) -> None:
    """The hint to put the text in quotes, and the second way to read it, is right for any file."""
    path = tmp_path / "file.yaml"
    path.write_text("title: > 5 visits\n", encoding="utf-8")
    with pytest.raises(loader.LoadError) as caught:
        loader.load_file(path, "file.yaml", kind=kind)
    assert caught.value.diagnostic.hint == f'{QUOTE}"> 5 visits". {BLOCK_BELOW}'

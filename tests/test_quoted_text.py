"""Values that start with text in quotes and go on after the closing quote.

An auditor who quotes a word at the start of a value (``evidence: "Fine" was the word Mum used``,
``evidence: 'Safe' is how she described home``) wrote one text; YAML ends the text at the closing
quote and cannot read the rest. libyaml said so in its own words ("did not find expected key",
"did not find expected '-' indicator") at the word after the quotes. It is now a finding at the
opening quote, where the text to rewrite starts, in the words of the reserved starts
(tests/test_reserved_starts.py), with the whole text in quotes as the fix.
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
TEAM = "  team: South Cambs Children in Care"
QUOTE = "If it is text, put the whole text in quotes: "
ERROR = "error QA101 YAML syntax error: the text in quotes"
DOUBLE = "ends at its closing '\"', so YAML reads the rest,"
SINGLE = 'ends at its closing "\'", so YAML reads the rest,'
ELSE = "as something else, not as more of the text."

#: (line of the audit to replace, the line typed instead, the finding as validate prints it, its hint).
CASES = {
    "double-quotes": (
        EVIDENCE,
        '    evidence: "Fine" was the word Mum used',
        f"67:15: {ERROR} \"Fine\" {DOUBLE} 'was the word Mum used', {ELSE}",
        f"{QUOTE}'\"Fine\" was the word Mum used'.",
    ),
    "single-quotes": (
        EVIDENCE,
        "    evidence: 'Safe' is how she described home",
        f"67:15: {ERROR} 'Safe' {SINGLE} 'is how she described home', {ELSE}",
        f"{QUOTE}\"'Safe' is how she described home\".",
    ),
    "single-quote-inside-doubled": (
        EVIDENCE,
        '    evidence: "Fine" isn\'t what she meant',
        f"67:15: {ERROR} \"Fine\" {DOUBLE} 'isn't what she meant', {ELSE}",
        f"{QUOTE}'\"Fine\" isn''t what she meant'.",
    ),
    "doubled-quote-in-single-quotes": (
        EVIDENCE,
        "    evidence: 'It''s fine' she said",
        f"67:15: {ERROR} 'It''s fine' {SINGLE} 'she said', {ELSE}",
        f"{QUOTE}\"'It''s fine' she said\".",
    ),
    "a-comma-after-the-quotes": (
        EVIDENCE,
        '    evidence: "Fine", she said',
        f"67:15: {ERROR} \"Fine\" {DOUBLE} ', she said', {ELSE}",
        f"{QUOTE}'\"Fine\", she said'.",
    ),
    "a-comment-after-the-text": (
        EVIDENCE,
        '    evidence: "Fine" was the word Mum used  # from the visit',
        f"67:15: {ERROR} \"Fine\" {DOUBLE} 'was the word Mum used', {ELSE}",
        f"{QUOTE}'\"Fine\" was the word Mum used'.",
    ),
    "a-dash-after-the-quotes": (
        EVIDENCE,
        '    evidence: "Fine" - she said it twice',
        f"67:15: {ERROR} \"Fine\" {DOUBLE} '- she said it twice', {ELSE}",
        f"{QUOTE}'\"Fine\" - she said it twice'.",
    ),
    "an-ampersand-after-the-quotes": (
        EVIDENCE,
        '    evidence: "Fine" & settled',
        f"67:15: {ERROR} \"Fine\" {DOUBLE} '& settled', {ELSE}",
        f"{QUOTE}'\"Fine\" & settled'.",
    ),
    "a-top-level-key": (
        REVIEWER,
        'reviewer: "Rosalind" Greer',
        f"19:11: {ERROR} \"Rosalind\" {DOUBLE} 'Greer', {ELSE}",
        f"{QUOTE}'\"Rosalind\" Greer'.",
    ),
    "a-key-in-a-nested-block": (
        TEAM,
        "  team: 'South' Cambs Children in Care",
        f"9:9: {ERROR} 'South' {SINGLE} 'Cambs Children in Care', {ELSE}",
        f"{QUOTE}\"'South' Cambs Children in Care\".",
    ),
    "a-list-item": (
        EVIDENCE,
        '    evidence:\n      - "Fine" was the word Mum used\n      - Seen alone.',
        f"68:9: {ERROR} \"Fine\" {DOUBLE} 'was the word Mum used', {ELSE}",
        f"{QUOTE}'\"Fine\" was the word Mum used'.",
    ),
    "a-single-quoted-list-item": (
        EVIDENCE,
        "    evidence:\n      - Seen alone.\n      - 'Safe' is how she described home",
        f"69:9: {ERROR} 'Safe' {SINGLE} 'is how she described home', {ELSE}",
        f"{QUOTE}\"'Safe' is how she described home\".",
    ),
    "the-text-on-the-line-below-its-key": (
        EVIDENCE,
        '    evidence:\n      "Fine" was the word Mum used',
        f"68:7: {ERROR} \"Fine\" {DOUBLE} 'was the word Mum used', {ELSE}",
        f"{QUOTE}'\"Fine\" was the word Mum used'.",
    ),
}


@pytest.mark.parametrize(("line", "instead", "expected", "hint"), CASES.values(), ids=CASES)
def test_validate_says_the_text_in_quotes_ends_at_its_closing_quote(
    cli: Callable[..., Run], tmp_path: Path, line: str, instead: str, expected: str, hint: str
) -> None:
    assert_validate_says(cli, tmp_path, typed(line, instead), expected, hint)


@pytest.mark.parametrize(("line", "instead", "expected", "hint"), CASES.values(), ids=CASES)
def test_the_loader_refuses_the_value_at_its_opening_quote(
    line: str, instead: str, expected: str, hint: str
) -> None:
    assert_loader_finds(typed(line, instead), expected, hint)


@pytest.mark.parametrize(("line", "instead", "expected", "hint"), CASES.values(), ids=CASES)
def test_fmt_refuses_what_validate_refuses(
    cli: Callable[..., Run], tmp_path: Path, line: str, instead: str, expected: str, hint: str
) -> None:
    assert_fmt_refuses(cli, tmp_path, typed(line, instead), expected)


#: The cases typed as the text of a key on one line, whose hint's text in quotes is the fix.
TEXTS = {name: case for name, case in CASES.items() if "\n" not in case[1]}


@pytest.mark.parametrize(("line", "instead", "expected", "hint"), TEXTS.values(), ids=TEXTS)
def test_the_text_in_quotes_as_the_hint_writes_it_reads_as_typed(
    cli: Callable[..., Run], tmp_path: Path, line: str, instead: str, expected: str, hint: str
) -> None:
    """The hint's fix validates, reads as the text typed (comment left out), and fmt keeps it so."""
    quoted = hint[len(QUOTE) :].removesuffix(".")
    key = instead.partition(":")[0]
    typed_text = quoted[1:-1].replace(quoted[0] * 2, quoted[0]) if quoted[0] == "'" else quoted[1:-1]
    path = tmp_path / "audit.yaml"
    path.write_text(typed(line, f"{key}: {quoted}"), encoding="utf-8")
    keys = {
        "reviewer": ("reviewer",),
        "  team": ("case", "team"),
        "    evidence": ("practice_standards", "case_recording", "evidence"),
    }[key]
    for _ in range(2):
        cli("validate", "--today", TODAY, path)
        value: Any = loader.load_file(path).data
        for part in keys:
            value = value[part]
        assert value == typed_text
        assert value == instead.partition(": ")[2].partition("  #")[0]
        cli("fmt", "--today", TODAY, path)


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ('evidence: "Fine"  # from the visit\n', {"evidence": "Fine"}),
        ("evidence: 'Safe' # from the visit\n", {"evidence": "Safe"}),
        ('evidence: "a"   \nb: c\n', {"evidence": "a", "b": "c"}),
        ('evidence: ["a", "b"]\nc: [\'d\', "e f"]\n', {"evidence": ["a", "b"], "c": ["d", "e f"]}),
        ('evidence: {"a": "b"}\n', {"evidence": {"a": "b"}}),
        ('evidence: "Fine was\n  the word"\n', {"evidence": "Fine was the word"}),
        ("evidence: 'It''s\n  fine'\n", {"evidence": "It's fine"}),
        ('evidence: Mum said "Fine" twice\n', {"evidence": 'Mum said "Fine" twice'}),
        ("l:\n  - \"Fine\"\n  - 'Safe'\n", {"l": ["Fine", "Safe"]}),
        ('"a key": "Fine"\n', {"a key": "Fine"}),
    ],
    ids=[
        "comment-after-double",
        "comment-after-single",
        "trailing-spaces",
        "flow-lists",
        "flow-block",
        "double-over-lines",
        "single-over-lines",
        "quotes-inside-plain-text",
        "quoted-list-items",
        "quoted-key",
    ],
)
def test_quoted_text_that_is_meant_reads_as_before(text: str, data: dict[str, Any]) -> None:
    assert loader.load_bytes(text.encode(), "f.yaml").data == data


KEY_WORDS = (
    "QA101 YAML syntax error: did not find expected key, while parsing a block mapping. | Check the "
    "indentation of this line against the lines above it."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Not text: a key written in quotes then more, with no key before it on its line.
        ('"Fine" key: v\n', f"1:8 {KEY_WORDS}"),
        # Inside a list in brackets: the finding for a '[' that nothing closes.
        (
            'evidence: ["Fine" was, b]\n',
            "1:11 QA101 YAML syntax error: '[\"Fine\" was, b]' starts with '[', which YAML reads as the "
            "start of a list in brackets (such as [a, b]), and no ']' ends it. | If it is text, put the "
            "whole text in quotes: '[\"Fine\" was, b]'. If it is a list, end it with ']'.",
        ),
        # A key after the quotes: its own finding says to quote ': '.
        (
            'evidence: "Fine": more\n',
            "1:17 QA101 YAML syntax error: mapping values are not allowed in this context. | Check the "
            "indentation, and put text that contains ': ' in quotes.",
        ),
    ],
    ids=["quoted-key-then-more", "in-brackets", "key-after-the-quotes"],
)
def test_what_else_keeps_the_parsers_words(text: str, expected: str) -> None:
    assert refused(text) == expected


def test_a_long_value_is_clipped_in_the_message_and_whole_in_the_hint() -> None:
    """The message names the value by its start; the hint's text in quotes is the fix to copy, so it
    is never cut short (tests/test_multiline_text.py has a text too long to write out)."""
    rest = "word " * 40
    with pytest.raises(loader.LoadError) as caught:
        loader.load_bytes(f'evidence: "Fine" {rest}\n'.encode(), "f.yaml")
    found = caught.value.diagnostic
    written = f'"Fine" {rest}'.rstrip()
    assert (found.location.column, found.message, found.hint) == (
        11,
        f"YAML syntax error: the text in quotes \"Fine\" {DOUBLE} '{rest[:80]}... (119 more characters)', "
        f"{ELSE}",
        f"{QUOTE}'{written}'.",
    )


@pytest.mark.parametrize(
    "line",
    [
        "a: " + " " * 200_000 + '"x" y',
        "a: " + '"x" ' * 100_000 + "y",
        "- " * 100_000 + '"x" y',
        '"' + "x" * 200_000 + '" y',
    ],
    ids=["spaces-before", "many-quotes", "many-dashes", "long-quotes"],
)
def test_a_hostile_line_is_left_to_the_parser(line: str) -> None:
    """The look for text in quotes is bounded: a line too long for a value is left to libyaml's
    words, never scanned (benchmarks/bench_hostile.py times such files; tests assert no time)."""
    with pytest.raises(loader.LoadError) as caught:
        loader.load_bytes(f"{line}\n".encode(), "f.yaml")
    found = caught.value.diagnostic
    assert found.code in ("QA101", "QA111")
    assert "the text in quotes" not in found.message


COLON = (
    "QA101 YAML syntax error: the text of '{key}' holds ': ' (a colon then a space), which YAML reads "
    "as the start of another key. | If it is text, put the whole text in quotes: {fix}"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("evidence: Seen at: school\n", "1:11 " + COLON.format(key="evidence", fix='"Seen at: school".')),
        (
            "practice:\n  plan:\n    evidence: Plan: none on file # see notes\n",
            "3:15 " + COLON.format(key="evidence", fix='"Plan: none on file".'),
        ),
        (
            "actions:\n  - note: Agreed: review in May\n",
            "2:11 " + COLON.format(key="note", fix='"Agreed: review in May".'),
        ),
        # Wrapped as Word pastes a paragraph: the colon on the second line, the fix on one.
        (
            "evidence: The child said\n  at school: she was fine\nother: 1\n",
            "1:11 "
            + COLON.format(
                key="evidence",
                fix='"The child said at school: she was fine" (on one line, in place of lines 1 to 2).',
            ),
        ),
        (
            'title: Mum\'s view: "fine"\n',
            "1:8 " + COLON.format(key="title", fix="'Mum''s view: \"fine\"'."),
        ),
    ],
    ids=["one-line", "nested-with-comment", "list-item", "over-lines", "quotes-inside"],
)
def test_a_colon_in_text_is_said_at_the_text_with_the_text_in_quotes(text: str, expected: str) -> None:
    # libyaml's words, "mapping values are not allowed in this context" at the second colon, say
    # nothing an auditor can act on (found in a new-user review).
    assert refused(text) == expected


PARSERS_COLON = (
    "QA101 YAML syntax error: mapping values are not allowed in this context. | Check the indentation, "
    "and put text that contains ': ' in quotes."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A key indented deeper than the one above is read as going on with its text: quoting the
        # two as one text would lose the key (found in a review).
        (
            "practice:\n  plan:\n    rating: good\n      evidence: Lived experience, identity analysed.\n",
            f"4:15 {PARSERS_COLON}",
        ),
        ("practice:\n  plan:\n    evidence: text\n     rating: good\n", f"4:12 {PARSERS_COLON}"),
        # A text block's line with a non-breaking space after a colon is text: the mistake below.
        (
            "evidence: |\n  Time:\u00a010am visit.\ncomment: Seen at: school\n",
            "3:10 " + COLON.format(key="comment", fix='"Seen at: school".'),
        ),
    ],
    ids=["key-indented-deeper", "key-indented-one-more", "nbsp-in-a-text-block"],
)
def test_what_only_looks_like_a_colon_in_text_is_not_said_so(text: str, expected: str) -> None:
    assert refused(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'a: &x\n  b: *x\nc: "\u00a0x"\n',
            "1:4 QA107 A YAML alias refers to the block that contains it, which never ends. | Remove the "
            "alias (*name) or point it at another block.",
        ),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x]\n"
            "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            'd: "\u00a0"\n',
            "1:4 QA107 YAML aliases in this file expand to more than 10,000 values. | Write the values "
            "out instead of repeating aliases (*name) of aliases.",
        ),
    ],
    ids=["alias-inside-itself", "aliases-that-expand"],
)
def test_a_non_breaking_space_does_not_open_the_way_to_aliases(text: str, expected: str) -> None:
    # Regression: the look for keys read with non-breaking spaces walked the node tree before the
    # builder refuses aliases, so a file with both never ended, or grew without bound.
    assert refused(text) == expected


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("evidence: Seen\u00a0at school\n", {"evidence": "Seen\u00a0at school"}),
        (
            "evidence: |\n  First.\n  \u00a0Indented in Word.\n",
            {"evidence": "First.\n\u00a0Indented in Word.\n"},
        ),
        ('"\u00a0key": 1\n', {"\u00a0key": 1}),
        ("note: 'a:\u00a0b'\n", {"note": "a:\u00a0b"}),
    ],
    ids=["inside-a-value", "inside-a-block-text", "key-in-quotes", "after-a-colon-in-quotes"],
)
def test_a_non_breaking_space_that_indents_no_key_reads_as_text(text: str, data: dict[str, Any]) -> None:
    # Only a key YAML read with the spaces before it is refused (tests/data/invalid/QA101-nbsp-*).
    assert loader.load_bytes(text.encode(), "f.yaml").data == data

"""Text over lines (pasted from Word) that YAML reads as something other than one text.

An auditor pastes a paragraph that starts with '[' or '{', or with a word in quotes, and Word
breaks it over lines: ``evidence: [see note`` then ``dated 3 March and the plan``, ``evidence:
"Mum said`` then ``it was fine" and the school agreed``. The single-line mistakes got findings in
plain words (tests/test_indicator_starts.py, tests/test_quoted_text.py); over lines, libyaml's
words were left ("did not find expected key, while parsing a block mapping", "did not find
expected ',' or ']', while parsing a flow sequence"), at the word after the quotes or the next
key. Each is now the finding of its single-line mistake, at the opening character, and the hint
writes the whole text in quotes, every line of it, as YAML reads it back: on one line to copy in
place of its lines, or, for a text too long to write out or with an empty line in it, where each
quotation mark goes.

Each case is the lines typed in place of one evidence line of an audit, in
tests/data/multiline/<case>.txt.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, TODAY, Run, refused
from qaimpact.base import loader
from typed_audit import BLOCK, EVIDENCE, LIST, QUOTE, SYNTAX, CaseFolder, assert_validate_says, typed

MUST = "so text that starts with it must be in quotes."
DOUBLE = "ends at its closing '\"', so YAML reads the rest,"
SINGLE = 'ends at its closing "\'", so YAML reads the rest,'
ELSE = "as something else, not as more of the text."
LINES = "(on one line, in place of lines 67 to 68)."

#: The case (its file in tests/data/multiline), the finding as validate prints it, its hint, and the
#: text the audit holds once the hint is followed.
CASES: dict[str, tuple[str, str, str]] = {
    "bracket-never-closed": (
        f"67:15: {SYNTAX} '[see note dated 3 March and the plan' starts with '[', which YAML reads as the "
        f"start of {LIST}, and no ']' ends it.",
        f"{QUOTE}\"[see note dated 3 March and the plan\" {LINES[:-1]}. If it is a list, end it with ']' "
        "after its last item (line 68).",
        "[see note dated 3 March and the plan",
    ),
    "brace-never-closed": (
        f"67:15: {SYNTAX} '{{see note dated 3 March and the plan' starts with '{{', which YAML reads as the "
        f"start of {BLOCK}, and no '}}' ends it.",
        f"{QUOTE}\"{{see note dated 3 March and the plan\" {LINES[:-1]}. If it is a block, end it with '}}' "
        "after its last value (line 68).",
        "{see note dated 3 March and the plan",
    ),
    "bracket-comma-at-the-end-of-a-line": (
        f"67:15: {SYNTAX} '[Seen alone, then at school on 3 March' starts with '[', which YAML reads as the "
        f"start of {LIST}, and no ']' ends it.",
        f"{QUOTE}\"[Seen alone, then at school on 3 March\" {LINES[:-1]}. If it is a list, end it with ']' "
        "after its last item (line 68).",
        "[Seen alone, then at school on 3 March",
    ),
    "bracket-alone-on-its-line": (
        f"67:15: {SYNTAX} '[ Seen alone, then at school' starts with '[', which YAML reads as the start of "
        f"{LIST}, and no ']' ends it.",
        f"{QUOTE}\"[ Seen alone, then at school\" {LINES[:-1]}. If it is a list, end it with ']' after its "
        "last item (line 68).",
        "[ Seen alone, then at school",
    ),
    "bracket-closed-on-a-later-line": (
        f"67:15: {SYNTAX} '[see note dated 3 March] and the plan' starts with '[', a character YAML reserves "
        f"for {LIST}, {MUST}",
        f'{QUOTE}"[see note dated 3 March] and the plan" {LINES}',
        "[see note dated 3 March] and the plan",
    ),
    "brace-closed-on-a-later-line": (
        f"67:15: {SYNTAX} '{{see note dated 3 March}} and the plan' starts with '{{', a character YAML "
        f"reserves for {BLOCK}, {MUST}",
        f'{QUOTE}"{{see note dated 3 March}} and the plan" {LINES}',
        "{see note dated 3 March} and the plan",
    ),
    "bracket-then-text-on-the-line-below": (
        f"67:15: {SYNTAX} '[see note] and the plan' starts with '[', a character YAML reserves for {LIST}, "
        f"{MUST}",
        f'{QUOTE}"[see note] and the plan" {LINES}',
        "[see note] and the plan",
    ),
    "bracket-then-text-over-lines": (
        f"67:15: {SYNTAX} '[see note] and the plan' starts with '[', a character YAML reserves for {LIST}, "
        f"{MUST}",
        f'{QUOTE}"[see note] and the plan" {LINES}',
        "[see note] and the plan",
    ),
    "bracket-on-the-line-below-its-key": (
        f"68:7: {SYNTAX} '[see note dated 3 March and the plan' starts with '[', which YAML reads as the "
        f"start of {LIST}, and no ']' ends it.",
        f'{QUOTE}"[see note dated 3 March and the plan" (on one line, in place of lines 68 to 69). If it is '
        "a list, end it with ']' after its last item (line 69).",
        "[see note dated 3 March and the plan",
    ),
    "quotes-on-the-line-below-its-key": (
        f"68:7: {SYNTAX} the text in quotes \"Fine\" {DOUBLE} 'was the word Mum used', {ELSE}",
        f"{QUOTE}'\"Fine\" was the word Mum used' (on one line, in place of lines 68 to 69).",
        '"Fine" was the word Mum used',
    ),
    "quotes-then-text-below-on-the-line-below-its-key": (
        f"68:7: {SYNTAX} the text in quotes \"Fine\" {DOUBLE} 'was the word Mum used', {ELSE}",
        f"{QUOTE}'\"Fine\" was the word Mum used' (on one line, in place of lines 68 to 69).",
        '"Fine" was the word Mum used',
    ),
    "comma-then-text-over-lines": (
        f"67:15: {SYNTAX} ',and then the school called' starts with ',', a character YAML reserves to "
        f"separate the items of a list in brackets, {MUST}",
        f'{QUOTE}",and then the school called" {LINES}',
        ",and then the school called",
    ),
    "at-sign-over-lines": (
        f"67:15: {SYNTAX} '@Mum said it was fine' starts with '@', a character YAML reserves, {MUST}",
        f'{QUOTE}"@Mum said it was fine" {LINES}',
        "@Mum said it was fine",
    ),
    "block-header-then-text-over-lines": (
        f"67:15: {SYNTAX} '> 5 visits missed in the summer' starts with '>', a character YAML reserves to "
        f"start a block of text on the lines below it, {MUST}",
        f'{QUOTE}"> 5 visits missed in the summer" {LINES[:-1]}. If it is a block of text, start the text on '
        "the line below.",
        "> 5 visits missed in the summer",
    ),
    "double-quotes-over-lines": (
        f"67:15: {SYNTAX} the text in quotes \"Mum said it was fine\" {DOUBLE} 'and the school agreed', "
        f"{ELSE}",
        f"{QUOTE}'\"Mum said it was fine\" and the school agreed' {LINES}",
        '"Mum said it was fine" and the school agreed',
    ),
    "single-quotes-over-lines": (
        f"67:15: {SYNTAX} the text in quotes 'Mum said it was fine' {SINGLE} 'and the school agreed', {ELSE}",
        f"{QUOTE}\"'Mum said it was fine' and the school agreed\" {LINES}",
        "'Mum said it was fine' and the school agreed",
    ),
    "apostrophe-ends-single-quotes": (
        f"67:15: {SYNTAX} the text in quotes 'Mum said it' {SINGLE} 's fine at home', {ELSE}",
        f"{QUOTE}\"'Mum said it's fine at home\" {LINES}",
        "'Mum said it's fine at home",
    ),
    "quotes-then-text-on-the-line-below": (
        f"67:15: {SYNTAX} the text in quotes \"Fine\" {DOUBLE} 'was the word Mum used', {ELSE}",
        f"{QUOTE}'\"Fine\" was the word Mum used' {LINES}",
        '"Fine" was the word Mum used',
    ),
    "quotes-then-text-over-lines": (
        f"67:15: {SYNTAX} the text in quotes \"Fine\" {DOUBLE} 'was the word Mum used', {ELSE}",
        f"{QUOTE}'\"Fine\" was the word Mum used' {LINES}",
        '"Fine" was the word Mum used',
    ),
    "quotes-over-three-lines": (
        f"67:15: {SYNTAX} the text in quotes \"Mum said it was fine\" {DOUBLE} 'and the school agreed', "
        f"{ELSE}",
        f"{QUOTE}'\"Mum said it was fine\" and the school agreed' (on one line, in place of lines 67 to 69).",
        '"Mum said it was fine" and the school agreed',
    ),
    "quotes-inside-quotes": (
        f'67:15: {SYNTAX} the text in quotes "Mum said " {DOUBLE} \'fine" at the visit"\', {ELSE}',
        f'{QUOTE}\'"Mum said "fine" at the visit"\' {LINES}',
        '"Mum said "fine" at the visit"',
    ),
    "quotes-over-lines-in-a-list": (
        f"69:9: {SYNTAX} the text in quotes \"Mum said it was fine\" {DOUBLE} 'and the school agreed', "
        f"{ELSE}",
        f"{QUOTE}'\"Mum said it was fine\" and the school agreed' (on one line, in place of lines 69 to 70).",
        '"Mum said it was fine" and the school agreed',
    ),
    "tag-over-lines": (
        "67:15: error QA106 The YAML tag '!Seen' is not allowed in audit files.",
        f'{QUOTE}"!Seen alone at school" {LINES[:-1]}. If it is a tag, remove it.',
        "!Seen alone at school",
    ),
    "empty-line-inside": (
        f"67:15: {SYNTAX} '[see note and the plan' starts with '[', which YAML reads as the start of {LIST}, "
        "and no ']' ends it.",
        'If it is text, put the whole text in quotes where it is, keeping its empty lines: type " before '
        "'[see note' on line 67 and \" after 'and the plan' at the end of line 69. If it is a list, end it "
        "with ']' after its last item (line 69).",
        "[see note\nand the plan",
    ),
    "longer-than-a-hint-shows": (
        f"67:15: {SYNTAX} '[see note visit 1 was on time and the child was seen alone and spoke about "
        f"schoo... (609 more characters)' starts with '[', which YAML reads as the start of {LIST}, and no "
        "']' ends it.",
        "If it is text, put the whole text in quotes where it is, as it is too long to write out here (689 "
        "characters): type \" before '[see note' on line 67 and \" after 'up to date' at the end of line 77. "
        "If it is a list, end it with ']' after its last item (line 77).",
        "[see note "
        + " ".join(
            f"visit {n} was on time and the child was seen alone and spoke about school;"
            for n in range(1, 10)
        )
        + " the plan is up to date",
    ),
}


FOLDER = CaseFolder(DATA / "multiline", CASES)
audit = FOLDER.audit
# The checks every case gets, each under this file's name for it.
(
    test_every_case_file_is_a_case,
    test_validate_says_what_the_text_over_lines_is_to_yaml,
    test_the_loader_refuses_the_text_at_its_opening_character,
    test_fmt_refuses_what_validate_refuses,
) = FOLDER.tests()


#: The hint's text in quotes on one line, and the lines it takes the place of.
_ONE_LINE = re.compile(
    r"quotes: (?P<quoted>.*) \(on one line, in place of lines (?P<first>\d+) to (?P<last>\d+)\)\."
)
#: Where the hint puts each quotation mark of a text put in quotes where it is.
_WHERE_IT_IS = re.compile(
    r"type (?P<mark>[\"']) before .* on line (?P<first>\d+) .* at the end of line (?P<last>\d+)\."
)


def hint_given(text: str) -> str:
    """The hint of the finding the loader gives for ``text``."""
    with pytest.raises(loader.LoadError) as caught:
        loader.load_bytes(text.encode(), "audit.yaml")
    return caught.value.diagnostic.hint


def followed(text: str, expected: str, hint: str) -> str:
    """The audit once the auditor has done as the hint says, at the place the finding gives."""
    lines = text.split("\n")
    first_column = int(expected.split(":")[1])
    one_line = _ONE_LINE.search(hint)
    if one_line is not None:
        first, last = int(one_line["first"]), int(one_line["last"])
        start = lines[first - 1][: first_column - 1]
        return "\n".join([*lines[: first - 1], start + one_line["quoted"], *lines[last:]])
    where = _WHERE_IT_IS.search(hint)
    assert where is not None, hint
    first, last, mark = int(where["first"]), int(where["last"]), where["mark"]
    line = lines[first - 1]
    lines[first - 1] = line[: first_column - 1] + mark + line[first_column - 1 :]
    lines[last - 1] = lines[last - 1].rstrip() + mark
    return "\n".join(lines)


@pytest.mark.parametrize(("expected", "hint", "read_as"), CASES.values(), ids=CASES)
def test_the_text_as_the_hint_writes_it_reads_back_as_typed(
    request: pytest.FixtureRequest, expected: str, hint: str, read_as: str
) -> None:
    """Done as the hint says, the file holds the text typed: its lines joined by a space, as YAML
    reads text over lines (an empty line is a line break)."""
    text = audit(request.node.callspec.id)
    fixed = followed(text, expected, hint_given(text))
    evidence = loader.load_bytes(fixed.encode(), "a.yaml").data["practice_standards"]["case_recording"][
        "evidence"
    ]
    assert read_as in (evidence if isinstance(evidence, list) else [evidence])


#: The cases typed as the audit's text of evidence (an audit's evidence is not a list).
TEXTS = {name: case for name, case in CASES.items() if "in-a-list" not in name}


@pytest.mark.parametrize(("expected", "hint", "read_as"), TEXTS.values(), ids=TEXTS)
def test_the_audit_as_the_hint_writes_it_validates_and_fmt_keeps_it(
    cli: Callable[..., Run],
    tmp_path: Path,
    request: pytest.FixtureRequest,
    expected: str,
    hint: str,
    read_as: str,
) -> None:
    path = tmp_path / "audit.yaml"
    text = audit(request.node.callspec.id)
    path.write_text(followed(text, expected, hint_given(text)), encoding="utf-8")
    for _ in range(2):
        cli("validate", "--today", TODAY, path)
        assert loader.load_file(path).data["practice_standards"]["case_recording"]["evidence"] == read_as
        cli("fmt", "--today", TODAY, path)


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("a: [x,\n  y]\nb: {c: d,\n  e: f}\n", {"a": ["x", "y"], "b": {"c": "d", "e": "f"}}),
        ("a: [\n  x,\n  y\n]\nb: c\n", {"a": ["x", "y"], "b": "c"}),
        ('a: "Mum said\n  it was fine"\nb: c\n', {"a": "Mum said it was fine", "b": "c"}),
        ("a: 'It''s\n  fine'\nb: c\n", {"a": "It's fine", "b": "c"}),
        ('a: "Fine"  # from the visit\n  # and more\nb: c\n', {"a": "Fine", "b": "c"}),
        ("a: [see note]  # x\nb: c\n", {"a": ["see note"], "b": "c"}),
        (
            'a: |\n  [see note\n  and more\nb: >-\n  "Fine" was\n  the word\n',
            {"a": "[see note\nand more\n", "b": '"Fine" was the word'},
        ),
        ('a:\n  - first\n  - "second\n    point"\n', {"a": ["first", "second point"]}),
        ("a: see [note\n  and] more\n", {"a": "see [note and] more"}),
    ],
    ids=[
        "lists-and-blocks-over-lines",
        "list-with-its-brackets-alone",
        "double-quotes-over-lines",
        "single-quotes-over-lines",
        "comment-lines-after-quotes",
        "comment-after-a-list",
        "blocks-of-text",
        "list-item-in-quotes-over-lines",
        "brackets-inside-text",
    ],
)
def test_yaml_over_lines_that_is_meant_reads_as_before(text: str, data: dict[str, Any]) -> None:
    assert loader.load_bytes(text.encode(), "f.yaml").data == data


KEY = "QA101 YAML syntax error: did not find expected key, while parsing a block mapping"
INDENTATION = "Check the indentation of this line against the lines above it."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A key indented too far after the value: not more of the text.
        ('a: "Fine"\n  b: c\n', f"2:3 {KEY} (line 1). | {INDENTATION}"),
        ("a: [x]\n  b: c\n", f"2:3 {KEY} (line 1). | {INDENTATION}"),
        # An error inside a list over lines that ']' closes: the parser's words, where it stops.
        (
            'a: [x,\n  "y" z,\n  w]\n',
            "2:7 QA101 YAML syntax error: did not find expected ',' or ']', while parsing a flow sequence "
            "(line 1). | Check the indentation and quoting on this line and the line before it.",
        ),
    ],
    ids=["key-after-quotes", "key-after-a-list", "error-inside-a-closed-list"],
)
def test_what_else_keeps_the_parsers_words(text: str, expected: str) -> None:
    assert refused(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'a: "x\n' + "  y\n" * 20_000 + '  " more\n',
        "a: [x,\n" + "  y,\n" * 5_000 + "  z] more\n",
        'a: "x"\n' + (" " * 100 + "\n") * 1_000 + "  y\n",
        "a: [x]\n" + (" " * 100 + "\n") * 1_000 + "  y\n",
    ],
    ids=[
        "quotes-over-many-lines",
        "brackets-over-many-lines",
        "quotes-then-empty-lines",
        "list-then-empty-lines",
    ],
)
def test_a_hostile_file_is_left_to_the_parser(text: str) -> None:
    """The look back for the quote or bracket that opens a text is bounded: one further back than a
    text's length is left to libyaml's words (tests assert no time)."""
    with pytest.raises(loader.LoadError) as caught:
        loader.load_bytes(text.encode(), "f.yaml")
    found = caught.value.diagnostic
    assert found.code == "QA101"
    assert "the text in quotes" not in found.message
    assert "starts with '['" not in found.message


def test_the_hint_for_a_long_text_over_many_lines_is_short() -> None:
    """A text of many lines gets a hint that says where its quotes go, not the whole of it."""
    text = "a: [see note\n" + "  and more\n" * 50_000 + "b: c\n"
    with pytest.raises(loader.LoadError) as caught:
        loader.load_bytes(text.encode(), "f.yaml")
    assert caught.value.diagnostic.hint == (
        "If it is text, put the whole text in quotes where it is, as it is too long to write out here "
        "(450,009 characters): type \" before '[see note' on line 1 and \" after 'and more' at the end of "
        "line 50001. If it is a list, end it with ']' after its last item (line 50001)."
    )


SENTENCE = "Mum said the visits help and the school agreed at the review. "
TOO_LONG = "as it is too long to write out here"

#: A text on one line, longer than the 80 characters a message quotes: (line of the audit to
#: replace, the line typed instead, the finding as validate prints it, its hint).
LONG = {
    "written-out-in-full": (
        EVIDENCE,
        f"    evidence: [see note] {SENTENCE * 8}".rstrip(),
        f"67:15: {SYNTAX} '[see note] {(SENTENCE * 2)[:69]}... (426 more characters)' starts with '[', a "
        f"character YAML reserves for {LIST}, {MUST}",
        f'{QUOTE}"[see note] {(SENTENCE * 8).rstrip()}".',
    ),
    "too-long-to-write-out": (
        EVIDENCE,
        f"    evidence: [see note] {SENTENCE * 10}".rstrip(),
        f"67:15: {SYNTAX} '[see note] {(SENTENCE * 2)[:69]}... (550 more characters)' starts with '[', a "
        f"character YAML reserves for {LIST}, {MUST}",
        f'If it is text, put the whole text in quotes where it is, {TOO_LONG} (630 characters): type " '
        "before '[see note] Mum' and \" after 'at the review.', on line 67.",
    ),
    "too-long-with-quotes-in-it": (
        EVIDENCE,
        f'    evidence: "Fine" isn\'t it. {SENTENCE * 10}'.rstrip(),
        f"67:15: {SYNTAX} the text in quotes \"Fine\" {DOUBLE} 'isn't it. {(SENTENCE * 2)[:70]}... (549 more "
        f"characters)', {ELSE}",
        f"If it is text, put the whole text in quotes where it is, {TOO_LONG} (636 characters): type ' "
        "before '\"Fine\" isn't it.' and ' after 'at the review.', on line 67, and type each ' inside it "
        "twice.",
    ),
    "typed-as-a-comment-with-quotes-in-it": (
        "reviewer: Rosalind Greer",
        'reviewer: #Rosalind "Ros" Greer',
        "19:10: error QA208 'reviewer' is empty.",
        "The text after '#' is a comment, which YAML ignores: if '#Rosalind \"Ros\" Greer' is the value, put "
        "it in quotes: '#Rosalind \"Ros\" Greer'.",
    ),
    "typed-as-a-long-comment": (
        "reviewer: Rosalind Greer",
        f"reviewer: #Rosalind Greer {SENTENCE * 10}".rstrip(),
        "19:10: error QA208 'reviewer' is empty.",
        f"The text after '#' is a comment, which YAML ignores. If it is text, put the whole text in quotes "
        f"where it is, {TOO_LONG} (635 characters): type \" before '#Rosalind Greer Mum' and \" after "
        "'at the review.', on line 19.",
    ),
}


@pytest.mark.parametrize(("line", "instead", "expected", "hint"), LONG.values(), ids=LONG)
def test_a_long_text_gets_the_whole_of_it_in_quotes_or_where_its_quotes_go(
    cli: Callable[..., Run], tmp_path: Path, line: str, instead: str, expected: str, hint: str
) -> None:
    """A hint's text in quotes is the fix to copy: never cut short at 80 characters (which read back
    as text ending in '... (426 more characters)'); past a long paragraph, it says where the quotes go."""
    assert_validate_says(cli, tmp_path, typed(line, instead), expected, hint)
    path = tmp_path / "audit.yaml"
    path.write_text(followed_on_one_line(typed(line, instead), expected, hint), encoding="utf-8")
    cli("validate", "--today", TODAY, path)
    written = instead.partition(": ")[2]
    assert written in leaves(loader.load_file(path).data)


def followed_on_one_line(text: str, expected: str, hint: str) -> str:
    """The audit once the hint is followed on the finding's line (the whole text in quotes, or a
    quotation mark at each end of it, doubling the mark inside it)."""
    lines = text.split("\n")
    number = int(expected.split(":")[0])
    key, _, written = lines[number - 1].partition(": ")
    if " where it is, " in hint:
        mark = hint.partition(": type ")[2][0]
        quoted = mark + written.replace(mark, mark * 2) + mark
    else:
        quoted = hint.rpartition("in quotes: ")[2].removesuffix(".")
    lines[number - 1] = f"{key}: {quoted}"
    return "\n".join(lines)


def leaves(data: object) -> list[object]:
    """Every value of ``data`` that is not a list or a mapping."""
    if isinstance(data, dict):
        return [leaf for value in data.values() for leaf in leaves(value)]
    if isinstance(data, list):
        return [leaf for value in data for leaf in leaves(value)]
    return [data]

"""Text pasted into an audit that YAML reads otherwise, and libyaml's words said nothing of why.

Three ways of typing a text were left with the parser's words ("could not find expected ':',
while scanning a simple key", "did not find expected hexdecimal number, while parsing a quoted
scalar") or with a hint that quoted the wrong text:

- a comment right after a '[' or '{' that opens a text over lines (``evidence: [ # see notes`` then
  the text below): the hint put only ``"["`` in quotes, as if the comment ended the text, and a
  ']' under the key that closes it was said not to be there;
- lines of a value's text pasted flush left (``evidence: The child said`` then ``she felt safe at
  home.`` at the left edge, or the text of ``evidence: >`` or ``|``): YAML reads such a line as a
  key, and libyaml stopped a line or more further on;
- a Windows path in double quotes (``"C:\\Users\\jo\\notes.docx"``), in which a backslash starts an
  escape.

Each is now a finding in plain words at the place to edit, with a hint that says how to write it,
writing the corrected text out where it is short; done as the hint says, the audit validates and
holds the text typed. Each case is the lines typed in place of one evidence line of an audit, in
tests/data/pasted/<case>.txt.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, TODAY, Run
from qaimpact.base import loader
from typed_audit import BLOCK, LIST, QUOTE, SYNTAX, CaseFolder

NOTES = "[ # see notes Seen alone, then at school"
SAFE = "The child said she felt safe at home."
FLUSH = "starts at the left edge, so YAML reads it as a new key, which has no ':', not as more of the text of"
MORE = "If it is more of the text of 'evidence', indent"
FURTHER = "by 6 spaces, further than 'evidence:' on line 67"
ONE_LINE = "or write the text on one line, in place of lines 67 to"
BACKSLASH = (
    "holds a backslash: in double quotes, YAML reads '\\' as the start of a special character (such as "
    "\\n, a line break), and"
)
SINGLE = "Put the text in single quotes, in which a backslash is just a backslash:"
FORWARD = "Or write the path with forward slashes, which Windows reads as well"

#: The case (its file in tests/data/pasted), the finding as validate prints it, its hint, and the
#: text the audit holds once each fix the hint gives is made (in the order it gives them).
CASES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "comment-after-a-bracket-never-closed": (
        f"67:15: {SYNTAX} '{NOTES}' starts with '[', which YAML reads as the start of {LIST}, and no ']' "
        "ends it.",
        f"{QUOTE}\"{NOTES}\" (on one line, in place of lines 67 to 68). If it is a list, end it with ']' "
        "after its last item (line 68).",
        (NOTES,),
    ),
    "comment-after-a-brace-never-closed": (
        f"67:15: {SYNTAX} '{{ # see notes Seen alone, then at school' starts with '{{', which YAML reads as "
        f"the start of {BLOCK}, and no '}}' ends it.",
        f'{QUOTE}"{{ # see notes Seen alone, then at school" (on one line, in place of lines 67 to 68). If '
        "it is a block, end it with '}' after its last value (line 68).",
        ("{ # see notes Seen alone, then at school",),
    ),
    "comment-after-a-bracket-closed-below-its-text": (
        f"67:15: {SYNTAX} '[ # see notes Seen alone, \"then\" at school ]' starts with '[', a character "
        f"YAML reserves for {LIST}, so text that starts with it must be in quotes.",
        f"{QUOTE}'[ # see notes Seen alone, \"then\" at school ]' (on one line, in place of lines 67 to 69).",
        ('[ # see notes Seen alone, "then" at school ]',),
    ),
    "comment-after-a-bracket-then-text-after-it": (
        f"67:15: {SYNTAX} '[ # see notes Seen alone then at school ] and the plan' starts with '[', a "
        f"character YAML reserves for {LIST}, so text that starts with it must be in quotes.",
        f'{QUOTE}"[ # see notes Seen alone then at school ] and the plan" (on one line, in place of lines '
        "67 to 69).",
        ("[ # see notes Seen alone then at school ] and the plan",),
    ),
    "text-flush-left": (
        f"68:1: {SYNTAX} 'she felt safe at home.' (line 68) {FLUSH} 'evidence' on line 67.",
        f"{MORE} line 68 {FURTHER}, {ONE_LINE} 68: evidence: {SAFE}",
        (SAFE, SAFE),
    ),
    "text-flush-left-after-a-line-indented": (
        f"69:1: {SYNTAX} 'was fine.' (line 69) {FLUSH} 'evidence' on line 67.",
        f"{MORE} line 69 {FURTHER}, {ONE_LINE} 69: evidence: The child said that school was fine.",
        ("The child said that school was fine.", "The child said that school was fine."),
    ),
    "text-indented-as-its-key": (
        f"68:3: {SYNTAX} 'she felt safe at home.' (line 68) is indented no further than 'evidence', so YAML "
        "reads it as a new key, which has no ':', not as more of the text of 'evidence' on line 67.",
        f"{MORE} line 68 {FURTHER}, {ONE_LINE} 68: evidence: {SAFE}",
        (SAFE, SAFE),
    ),
    "text-flush-left-on-the-line-below-its-key": (
        f"68:1: {SYNTAX} '{SAFE}' (line 68) {FLUSH} 'evidence' on line 67.",
        f"{MORE} line 68 {FURTHER}, {ONE_LINE} 68: evidence: {SAFE}",
        (SAFE, SAFE),
    ),
    "folded-text-flush-left": (
        f"68:1: {SYNTAX} 'The child said' (line 68) {FLUSH} 'evidence' on line 67.",
        f"{MORE} each of lines 68 to 69 {FURTHER}.",
        (f"{SAFE}\n",),
    ),
    "folded-text-with-a-colon-then-a-line-flush-left": (
        f"69:1: {SYNTAX} 'late notes were a backlog.' (line 69) {FLUSH} 'evidence' on line 67.",
        f"{MORE} line 69 {FURTHER}.",
        ("Judged good overall: the plan is clear and the late notes were a backlog.",),
    ),
    "literal-text-flush-left": (
        f"68:1: {SYNTAX} 'The child said' (line 68) {FLUSH} 'evidence' on line 67.",
        f"{MORE} each of lines 68 to 70 {FURTHER}.",
        ("The child said\n\nshe felt safe at home.\n",),
    ),
    "windows-path-in-double-quotes": (
        f"67:15: {SYNTAX} the text in double quotes 'C:\\Users\\jo\\Desktop\\notes.docx' {BACKSLASH} '\\U' "
        "is not one.",
        f"{SINGLE} line 67 then reads evidence: 'C:\\Users\\jo\\Desktop\\notes.docx'. {FORWARD}: "
        '"C:/Users/jo/Desktop/notes.docx".',
        ("C:\\Users\\jo\\Desktop\\notes.docx", "C:/Users/jo/Desktop/notes.docx"),
    ),
    "windows-path-in-a-text-with-an-apostrophe": (
        f"67:15: {SYNTAX} the text in double quotes 'See C:\\Users\\jo\\notes.docx for Jo's visit' "
        f"{BACKSLASH} '\\U' is not one.",
        f"{SINGLE} line 67 then reads evidence: 'See C:\\Users\\jo\\notes.docx for Jo''s visit'  # from Jo. "
        f'{FORWARD}: "See C:/Users/jo/notes.docx for Jo\'s visit".',
        ("See C:\\Users\\jo\\notes.docx for Jo's visit", "See C:/Users/jo/notes.docx for Jo's visit"),
    ),
    "shared-folder-in-double-quotes": (
        f"67:15: {SYNTAX} the text in double quotes 'See \\\\server\\share\\notes.docx' {BACKSLASH} '\\s' "
        "is not one.",
        f"{SINGLE} line 67 then reads evidence: 'See \\\\server\\share\\notes.docx'. {FORWARD}: "
        '"See //server/share/notes.docx".',
        ("See \\\\server\\share\\notes.docx", "See //server/share/notes.docx"),
    ),
    "backslash-in-double-quotes": (
        f"67:15: {SYNTAX} the text in double quotes 'He said \\o/ at school' {BACKSLASH} '\\o' is not one.",
        f"{SINGLE} line 67 then reads evidence: 'He said \\o/ at school'.",
        ("He said \\o/ at school",),
    ),
    "windows-path-over-lines": (
        f"67:15: {SYNTAX} the text in double quotes 'C:\\Users\\jo \\notes.docx' {BACKSLASH} '\\U' is not "
        "one.",
        f'{SINGLE} type \' in place of the " that opens it on line 67 and of the " that closes it on line '
        f"68. {FORWARD}.",
        ("C:\\Users\\jo \\notes.docx",),
    ),
}


FOLDER = CaseFolder(DATA / "pasted", CASES)
audit = FOLDER.audit
# The checks every case gets, each under this file's name for it.
(
    test_every_case_file_is_a_case,
    test_validate_says_what_the_pasted_text_is_to_yaml,
    test_the_loader_refuses_the_text_where_it_is_to_be_mended,
    test_fmt_refuses_what_validate_refuses,
) = FOLDER.tests()


def fixes(text: str, expected: str, hint: str) -> list[str]:
    """The audit once the auditor has done as the hint says, for each fix it gives, in its order."""
    lines = text.split("\n")
    number, column = (int(part) for part in expected.split(":")[:2])
    done: list[str] = []

    def replaced(first: int, last: int, *new: str) -> str:
        return "\n".join([*lines[: first - 1], *new, *lines[last:]])

    def indent(line: str) -> str:
        return line[: len(line) - len(line.lstrip(" "))]

    if (
        quoted := re.search(r"quotes: (.*) \(on one line, in place of lines (\d+) to (\d+)\)\.", hint)
    ) is not None:
        first, last = int(quoted[2]), int(quoted[3])
        done.append(replaced(first, last, lines[first - 1][: column - 1] + quoted[1]))
    if (
        spaces := re.search(r"indent (?:line (\d+)|each of lines (\d+) to (\d+)) by (\d+) spaces", hint)
    ) is not None:
        first = int(spaces[1] or spaces[2])
        last = int(spaces[1] or spaces[3])
        indented = [
            " " * int(spaces[4]) + line.lstrip(" ") if line.strip() else line
            for line in lines[first - 1 : last]
        ]
        done.append(replaced(first, last, *indented))
    if (one_line := re.search(r"on one line, in place of lines (\d+) to (\d+): (.*)$", hint)) is not None:
        first, last = int(one_line[1]), int(one_line[2])
        done.append(replaced(first, last, indent(lines[first - 1]) + one_line[3]))
    if (reads := re.search(r"line (\d+) then reads (.*?)\.(?: Or |$)", hint)) is not None:
        first = int(reads[1])
        done.append(replaced(first, first, indent(lines[first - 1]) + reads[2]))
    if (
        marks := re.search(r"opens it on line (\d+) and of the \" that closes it on line (\d+)", hint)
    ) is not None:
        first, last = int(marks[1]), int(marks[2])
        opened = lines[first - 1][: column - 1] + "'" + lines[first - 1][column:]
        closing = lines[last - 1].rindex('"')
        done.append(
            replaced(
                first,
                last,
                opened,
                *lines[first : last - 1],
                lines[last - 1][:closing] + "'" + lines[last - 1][closing + 1 :],
            )
        )
    if (forward := re.search(r"forward slashes, which Windows reads as well: (\".*\")\.$", hint)) is not None:
        line = lines[number - 1]
        end = line.index('"', column) + 1
        done.append(replaced(number, number, line[: column - 1] + forward[1] + line[end:]))
    return done


@pytest.mark.parametrize(("expected", "hint", "read_as"), CASES.values(), ids=CASES)
def test_the_audit_as_the_hint_writes_it_validates_and_holds_the_text_typed(
    cli: Callable[..., Run],
    tmp_path: Path,
    request: pytest.FixtureRequest,
    expected: str,
    hint: str,
    read_as: tuple[str, ...],
) -> None:
    """Each fix the hint gives, made as it says, gives an audit that validates, holds the text typed
    (as YAML reads text over lines: joined by a space, an empty line a line break) and that fmt keeps."""
    text = audit(request.node.callspec.id)
    with pytest.raises(loader.LoadError) as caught:
        loader.load_bytes(text.encode(), "audit.yaml")
    fixed = fixes(text, expected, caught.value.diagnostic.hint)
    assert len(fixed) == len(read_as)
    path = tmp_path / "audit.yaml"
    for text, held in zip(fixed, read_as, strict=True):
        path.write_text(text, encoding="utf-8")
        for _ in range(2):
            cli("validate", "--today", TODAY, path)
            assert loader.load_file(path).data["practice_standards"]["case_recording"]["evidence"] == held
            cli("fmt", "--today", TODAY, path)


NEW_KEY = "starts at the left edge, so YAML reads it as a new key, which has no ':', not as more of the text"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A key with no ':' at the left edge after a text of one line: either may be meant.
        (
            "a:\n  b: Recording timely.\nfeedback\n",
            f"3:1 'feedback' (line 3) {NEW_KEY} of 'b' on line 2. | If it is more of the text of 'b', indent "
            "line 3 by 4 spaces, further than 'b:' on line 2, or write the text on one line, in place of "
            "lines 2 to 3: b: Recording timely. feedback. If it is a key, type ':' after it.",
        ),
        # An item of a list with its text over lines, the second flush left.
        (
            "a:\n  - Seen alone\nat school\n",
            f"3:1 'at school' (line 3) {NEW_KEY} of the list item on line 2. | If it is more of the text of "
            "the list item, indent line 3 by 4 spaces, further than the '-' on line 2, or write the text on "
            "one line, in place of lines 2 to 3: - Seen alone at school.",
        ),
        # A top-level key's text: at the left edge as its key is.
        (
            "rationale: All standards good\nor better.\nb: c\n",
            f"2:1 'or better.' (line 2) {NEW_KEY} of 'rationale' on line 1. | If it is more of the text of "
            "'rationale', indent line 2 by 2 spaces, further than 'rationale:' on line 1, or write the text "
            "on one line, in place of lines 1 to 2: rationale: All standards good or better.",
        ),
        # Joined, the text holds ' #': on one line it is in quotes, and indented it would end there.
        (
            "a: Mum said\nvisit #2 was late\n",
            f"2:1 'visit #2 was late' (line 2) {NEW_KEY} of 'a' on line 1. | If it is more of the text of "
            "'a', write the text on one line, in place of lines 1 to 2: a: \"Mum said visit #2 was late\".",
        ),
    ],
    ids=["a-key-without-its-colon", "list-item", "top-level-key", "text-with-a-comment"],
)
def test_text_flush_left_elsewhere(text: str, expected: str) -> None:
    with pytest.raises(loader.LoadError) as caught:
        loader.load_bytes(text.encode(), "f.yaml")
    found = caught.value.diagnostic
    message = found.message.removeprefix("YAML syntax error: ")
    assert f"{found.location.line}:{found.location.column} {message} | {found.hint}" == expected


@pytest.mark.parametrize(
    "text",
    [
        # Text in quotes, then a line at the left edge: the quotes end the text, as the parser says.
        'a:\n  b: "The child said"\nshe felt safe\n',
        # A comment ends a text: the line below cannot go on with it, indented or not.
        "a:\n  b: The child said # x\nshe felt safe\n",
    ],
    ids=["after-quotes", "after-a-comment"],
)
def test_what_else_keeps_the_parsers_words(text: str) -> None:
    with pytest.raises(loader.LoadError) as caught:
        loader.load_bytes(text.encode(), "f.yaml")
    assert caught.value.diagnostic.message == (
        "YAML syntax error: could not find expected ':', while scanning a simple key (line 3)."
    )


@pytest.mark.parametrize(
    "text",
    [
        "a: x\n" + "b c\n" * 20_000,
        "a:\n  b: x\n" + "    y\n" * 20_000 + "z\n",
        'a: "' + "x" * 500_000 + '\\q"\n',
        "a: [ # x\n" + "  y\n" * 50_000,
        "a: >\n" + "  b: c\n" * 20_000 + "zz\n",
    ],
    ids=[
        "many-lines-flush-left",
        "far-below-its-key",
        "long-text-in-double-quotes",
        "comment-then-many-lines",
        "block-text-of-lines-with-colons",
    ],
)
def test_a_hostile_file_is_refused_at_once(text: str) -> None:
    """The look back for a key and on for the lines flush left are bounded: past them, the parser's
    words are left (a line of a block text that looks like a key, `b: c`, whose block starts further
    back, is not taken for a key); a long text in double quotes is looked through once."""
    began = time.perf_counter()
    with pytest.raises(loader.LoadError) as caught:
        loader.load_bytes(text.encode(), "f.yaml")
    assert caught.value.diagnostic.code == "QA101"
    assert "the text of 'b'" not in caught.value.diagnostic.message
    assert time.perf_counter() - began < 5

"""Values an auditor types that start with a character YAML reserves: ``&``, ``!``, ``*``, ``@``,
a backtick or ``%``.

YAML either refuses such a value (its parser stops at the character) or reads it as something
other than the text typed: ``&Daniel Okafor`` is the anchor ``Daniel`` on the text ``Okafor``, and
``! Daniel`` is the tag ``!`` on ``Daniel``. Each one gets a finding at the character, in the same
words, with the whole text in quotes as the fix; the fix then reads as typed, and ``fmt`` refuses
what ``validate`` refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import TODAY, Run
from qaimpact.base import loader
from typed_audit import assert_fmt_refuses, assert_loader_finds, assert_validate_says, typed

ANCHOR = "which YAML reserves for an anchor (a name for a value to repeat)"
TAG = "which YAML reserves for a tag (the type of a value)"
ALIAS = "a character YAML reserves for an alias (a repeat of a value named earlier with '&')"
MUST = "so text that starts with it must be in quotes."
#: How the hint of every case starts: the text in quotes follows.
MUST_QUOTE = "If it is text, put the whole text in quotes: "

#: (line of the audit to replace, the line typed instead, the finding as validate prints it,
#: the hint, the value as the quoted fix reads it, and where in the data that value is).
CASES = {
    "reviewer-anchor": (
        "reviewer: Rosalind Greer",
        "reviewer: &Daniel Okafor",
        f"19:11: error QA111 '&Daniel Okafor' starts with '&', {ANCHOR}, so this value is read as "
        "'Okafor', not as the text written.",
        '"&Daniel Okafor"',
    ),
    "practitioner-anchor": (
        "practitioner: Hannah Price",
        "practitioner: &Hannah Price   # the social worker",
        f"17:15: error QA111 '&Hannah Price' starts with '&', {ANCHOR}, so this value is read as "
        "'Price', not as the text written.",
        '"&Hannah Price"',
    ),
    "evidence-anchor": (
        "    evidence: Recording timely and reflective.",
        "    evidence: &Mum said the visits help",
        f"67:15: error QA111 '&Mum said the visits help' starts with '&', {ANCHOR}, so this value is read "
        "as 'said the visits help', not as the text written.",
        '"&Mum said the visits help"',
    ),
    "evidence-anchor-on-the-next-line": (
        "    evidence: Recording timely and reflective.",
        "    evidence:\n      &Mum said the visits help,\n      and the school agreed",
        f"68:7: error QA111 '&Mum said the visits help, and the school agreed' starts with '&', {ANCHOR}, "
        "so this value is read as 'said the visits help, and the school agreed', not as the text written.",
        '"&Mum said the visits help, and the school agreed" (on one line, in place of lines 68 to 69)',
    ),
    "rating-anchor": (
        "    rating: good",
        "    rating: &good",
        f"25:13: error QA111 '&good' starts with '&', {ANCHOR}, so this value is read as empty, not as "
        "the text written.",
        '"&good"',
    ),
    "reviewer-anchor-after-a-tag": (
        "reviewer: Rosalind Greer",
        "reviewer: !!str &Daniel Okafor",
        f"19:17: error QA111 '&Daniel Okafor' starts with '&', {ANCHOR}, so this value is read as "
        "'Okafor', not as the text written.",
        '"&Daniel Okafor"',
    ),
    "reviewer-tag": (
        "reviewer: Rosalind Greer",
        "reviewer: ! Daniel",
        f"19:11: error QA106 '! Daniel' starts with '!', {TAG}, so this value is read as 'Daniel', not as "
        "the text written.",
        '"! Daniel"',
    ),
    "evidence-tag": (
        "    evidence: Recording timely and reflective.",
        "    evidence: ! 12 visits missed",
        f"67:15: error QA106 '! 12 visits missed' starts with '!', {TAG}, so this value is read as "
        "'12 visits missed', not as the text written.",
        '"! 12 visits missed"',
    ),
    "rating-tag": (
        "    rating: good",
        "    rating: ! good",
        f"25:13: error QA106 '! good' starts with '!', {TAG}, so this value is read as 'good', not as the "
        "text written.",
        '"! good"',
    ),
    "reviewer-alias": (
        "reviewer: Rosalind Greer",
        "reviewer: *Daniel",
        f"19:11: error QA101 YAML syntax error: '*Daniel' starts with '*', {ALIAS}, {MUST}",
        '"*Daniel"',
    ),
    "practitioner-anchor-without-a-name": (
        "practitioner: Hannah Price",
        "practitioner: & Hannah Price",
        f"17:15: error QA101 YAML syntax error: '& Hannah Price' starts with '&', a character {ANCHOR[6:]}, "
        f"{MUST}",
        '"& Hannah Price"',
    ),
    "evidence-at": (
        "    evidence: Recording timely and reflective.",
        "    evidence: @Mum said  # from the home visit",
        "67:15: error QA101 YAML syntax error: '@Mum said' starts with '@', a character YAML reserves, "
        f"{MUST}",
        '"@Mum said"',
    ),
    "evidence-backtick": (
        "    evidence: Recording timely and reflective.",
        "    evidence: `quoted` in the plan",
        "67:15: error QA101 YAML syntax error: '`quoted` in the plan' starts with '`', a character YAML "
        f"reserves, {MUST}",
        '"`quoted` in the plan"',
    ),
    "evidence-percent": (
        "    evidence: Recording timely and reflective.",
        "    evidence: %50 of visits",
        "67:15: error QA101 YAML syntax error: '%50 of visits' starts with '%', a character YAML reserves "
        f"for a directive (an instruction at the start of a file), {MUST}",
        '"%50 of visits"',
    ),
    "evidence-at-with-quotation-marks": (
        "    evidence: Recording timely and reflective.",
        '    evidence: @Mum said "no" to it',
        "67:15: error QA101 YAML syntax error: '@Mum said \"no\" to it' starts with '@', a character YAML "
        f"reserves, {MUST}",
        "'@Mum said \"no\" to it'",
    ),
    "rating-at": (
        "    rating: good",
        "    rating: @good",
        f"25:13: error QA101 YAML syntax error: '@good' starts with '@', a character YAML reserves, {MUST}",
        '"@good"',
    ),
    "rating-alias": (
        "    rating: good",
        "    rating: *good",
        f"25:13: error QA101 YAML syntax error: '*good' starts with '*', {ALIAS}, {MUST}",
        '"*good"',
    ),
    "in-a-flow-mapping": (
        "period_reviewed: {from: 2025-04-01, to: 2025-09-30}",
        "period_reviewed: {from: `2025-04-01`, to: 2025-09-30}",
        "21:25: error QA101 YAML syntax error: '`2025-04-01`' starts with '`', a character YAML reserves, "
        f"{MUST}",
        '"`2025-04-01`"',
    ),
}


@pytest.mark.parametrize(("line", "instead", "expected", "quoted"), CASES.values(), ids=CASES)
def test_validate_says_the_text_starts_with_a_reserved_character(
    cli: Callable[..., Run], tmp_path: Path, line: str, instead: str, expected: str, quoted: str
) -> None:
    assert_validate_says(cli, tmp_path, typed(line, instead), expected, f"{MUST_QUOTE}{quoted}.")


@pytest.mark.parametrize(("line", "instead", "expected", "quoted"), CASES.values(), ids=CASES)
def test_the_loader_refuses_the_value_at_the_character(
    line: str, instead: str, expected: str, quoted: str
) -> None:
    assert_loader_finds(typed(line, instead), expected, f"{MUST_QUOTE}{quoted}.")


@pytest.mark.parametrize(("line", "instead", "expected", "quoted"), CASES.values(), ids=CASES)
def test_fmt_refuses_what_validate_refuses(
    cli: Callable[..., Run], tmp_path: Path, line: str, instead: str, expected: str, quoted: str
) -> None:
    assert_fmt_refuses(cli, tmp_path, typed(line, instead), expected)


#: The cases typed into a text (a rating or a date in quotes is still not a rating or a date).
TEXTS = {name: case for name, case in CASES.items() if not case[0].startswith(("    rating", "period"))}


@pytest.mark.parametrize(("line", "instead", "expected", "quoted"), TEXTS.values(), ids=TEXTS)
def test_the_text_in_quotes_as_the_hint_writes_it_reads_as_typed(
    cli: Callable[..., Run], tmp_path: Path, line: str, instead: str, expected: str, quoted: str
) -> None:
    """The hint's fix validates, reads as the text typed, and fmt keeps it so."""
    path = tmp_path / "audit.yaml"
    quoted = quoted.partition(" (on one line")[0]
    if "\n" in instead:
        fixed = typed(line, f"{instead.split(chr(10), 1)[0]} {quoted}")
    else:
        key, _, rest = instead.partition(": ")
        comment = rest.partition("   #")[2]
        fixed = typed(line, f"{key}: {quoted}" + (f"   #{comment}" if comment else ""))
    path.write_text(fixed, encoding="utf-8")
    written = quoted[1:-1]
    cli("validate", "--today", TODAY, path)
    assert written in leaves(loader.load_file(path).data)
    cli("fmt", "--today", TODAY, path)
    cli("validate", "--today", TODAY, path)
    assert written in leaves(loader.load_file(path).data)


def leaves(data: object) -> list[object]:
    """Every value of ``data`` that is not a list or a mapping."""
    if isinstance(data, dict):
        return [leaf for value in data.values() for leaf in leaves(value)]
    if isinstance(data, list):
        return [leaf for value in data for leaf in leaves(value)]
    return [data]


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("a: &x [b, c]\nd: *x\n", {"a": ["b", "c"], "d": ["b", "c"]}),
        ("a: &x\n  b: c\nd: *x\n", {"a": {"b": "c"}, "d": {"b": "c"}}),
        ("a: &x 'quoted text'\nd: *x\n", {"a": "quoted text", "d": "quoted text"}),
        ("a: &x >-\n  folded\n  text\nd: *x\n", {"a": "folded text", "d": "folded text"}),
        ("a: !!str 12\nb: !!int '7'\n", {"a": "12", "b": 7}),
        (
            "a: Mum & Dad\nb: Well done ! Really\nc: [x & y, z !]\n",
            {"a": "Mum & Dad", "b": "Well done ! Really", "c": ["x & y", "z !"]},
        ),
        (
            "a: '&Daniel Okafor'\nb: \"! Daniel\"\nc: '@Mum'\n",
            {"a": "&Daniel Okafor", "b": "! Daniel", "c": "@Mum"},
        ),
    ],
    ids=["list", "block", "quoted-text", "folded-text", "explicit-tags", "inside-text", "in-quotes"],
)
def test_anchors_aliases_and_tags_that_are_meant_still_read(text: str, data: dict[str, object]) -> None:
    """Only a plain value that starts with an anchor or the tag '!' is refused: an anchor on a
    list, a block or a quoted or block text can still be repeated by an alias (the bundled
    ccc-practice-standards file repeats blocks and texts so)."""
    assert loader.load_bytes(text.encode(), "f.yaml").data == data


@pytest.mark.parametrize("kind", ["audit", "standards", "mapping", "narrative"])
@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            "title: &Lead",
            "1:8 QA111 '&Lead' starts with '&', which YAML reserves for an anchor (a name for a value to "
            "repeat), so this value is read as empty, not as the text written. | If it is text, put the "
            'whole text in quotes: "&Lead".',
        ),
        (
            "title: @Lead",
            "1:8 QA101 YAML syntax error: '@Lead' starts with '@', a character YAML reserves, so text that "
            'starts with it must be in quotes. | If it is text, put the whole text in quotes: "@Lead".',
        ),
    ],
    ids=["anchor", "at"],
)
def test_every_kind_of_file_gets_the_hint_to_quote_the_text(
    tmp_path: Path, kind: loader.FileKind, written: str, expected: str
) -> None:
    """Findings of the loader are reworded for standards files, mappings and narratives; the hint
    to put the text in quotes is right for all of them, and is kept."""
    path = tmp_path / "file.yaml"
    path.write_text(f"{written}\n", encoding="utf-8")
    with pytest.raises(loader.LoadError) as caught:
        loader.load_file(path, "file.yaml", kind=kind)
    found = caught.value.diagnostic
    assert (
        f"{found.location.line}:{found.location.column} {found.code} {found.message} | {found.hint}"
        == expected
    )

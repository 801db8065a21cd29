"""One reading of YAML: ``validate`` and ``fmt``/``migrate`` agree on every file (issue 12, section 3).

``validate`` reads with libyaml through ``base/loader.py``; ``fmt`` and ``migrate`` rewrite with
ruamel.yaml's round trip, which keeps comments. Both resolve plain scalars with the same table
(``loader.CORE_SCHEMA``), and where ruamel.yaml's scanner is stricter than libyaml's (a tab
between words, a byte-order mark inside the file) the loader refuses the file too, with a finding.
The differential fuzz test mutates example audits and checks that the two readers agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile
from conftest import DATA, EXAMPLES, TODAY, Run
from qaimpact.authoring import fmt
from qaimpact.authoring.roundtrip import disagreement, round_trip_yaml
from qaimpact.base.loader import LoadError, load_bytes
from qaimpact.base.yaml12 import plain_value

VERSIONS = DATA / "standards" / "versions"
CCC = EXAMPLES / "ccc-cfa-2026-0311.yaml"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- Impossible dates are text to both readers ---------------------------------------------------


def test_fmt_formats_an_audit_with_an_impossible_date_in_text(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    text = hostile.replace_line(hostile.BASE, "rationale:", "rationale: 2026-02-30")
    path = write(tmp_path, "a.yaml", text.replace("reviewer: Daniel Okafor", "reviewer:   Daniel Okafor"))
    assert cli("validate", "--today", TODAY, path).stdout == "Checked 1 file: no problems found.\n"
    out = cli("fmt", "--today", TODAY, path).stdout
    assert f"note: {path} reformatted" in out
    assert "rationale: 2026-02-30\n" in path.read_text(encoding="utf-8")


def test_migrate_migrates_an_audit_with_an_impossible_date_in_text(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    text = CCC.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("rationale:"))
    path = write(tmp_path, "audit.yaml", text.replace(line, "rationale: 2026-02-30"))
    cli("migrate", path, "--to", "ccc-practice-standards-2026", "--standards", VERSIONS, "--today", TODAY)
    assert "rationale: 2026-02-30\n" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "value", ["2026-02-30", "2026-10-14T10:00:00Z", "0b101", "1_000", "-0x1", "=", "012"]
)
def test_both_readers_read_a_value_alike(value: str) -> None:
    text = f"key: {value}\n"
    assert plain_value(round_trip_yaml(text).load(text)) == load_bytes(text.encode(), "x").data


def test_fmt_writes_text_that_looks_like_a_date_without_quotes(tmp_path: Path) -> None:
    import io

    text = "a: 2026-02-30\nb: 012\n"
    yaml = round_trip_yaml(text)
    out = io.StringIO()
    yaml.dump(yaml.load(text), out)
    assert out.getvalue() == text


# -- Tabs and byte-order marks: refused where the round trip cannot read them -------------------


TAB_IN_TEXT = "    evidence: Lived experience,\tidentity and sibling relationships analysed."


def test_a_tab_between_words_of_unquoted_text_is_a_finding(cli: Callable[..., Run], tmp_path: Path) -> None:
    text = hostile.replace_line(hostile.BASE, "    evidence: Lived experience", TAB_IN_TEXT)
    path = write(tmp_path, "tab.yaml", text)
    line = hostile.line_of(text, TAB_IN_TEXT)
    expected = [
        f"{path}:{line}:32: error QA101 YAML syntax error: a tab is used as a space outside quotes.",
        "    hint: Replace the tab with a space; a tab may only appear inside quoted text.",
    ]
    assert cli("validate", "--today", TODAY, path, expect=1).stdout.splitlines()[:2] == expected
    run = cli("fmt", "--today", TODAY, path, expect=1)
    assert "has errors, so it was not formatted" in run.stderr
    assert expected[0] in run.stderr


@pytest.mark.parametrize(
    "line",
    [
        '    evidence: "Lived experience,\tidentity."',
        "    evidence: 'Lived experience,\tidentity.'",
        "    evidence: |\n      Lived experience,\tidentity.",
        "    evidence: Lived experience.   # a comment\twith a tab",
    ],
    ids=["double-quoted", "single-quoted", "block", "comment"],
)
def test_a_tab_that_both_readers_accept(line: str, cli: Callable[..., Run], tmp_path: Path) -> None:
    text = hostile.replace_line(hostile.BASE, "    evidence: Lived experience", line)
    path = write(tmp_path, "tab.yaml", text)
    assert cli("validate", "--today", TODAY, path).stdout == "Checked 1 file: no problems found.\n"
    cli("fmt", "--check", "--today", TODAY, path, expect=None)
    cli("fmt", "--today", TODAY, path)


@pytest.mark.parametrize(
    ("old", "new"),
    [("\nreviewer:", "\n\ufeffreviewer:"), ("\n    rating: good  ", "\n\ufeff    rating: good  ")],
    ids=["libyaml-refuses", "only-the-round-trip-refuses"],
)
def test_a_byte_order_mark_inside_the_file_is_a_finding(
    old: str, new: str, cli: Callable[..., Run], tmp_path: Path
) -> None:
    text = hostile.BASE.replace(old, new, 1)
    path = write(tmp_path, "bom.yaml", text)
    line = hostile.line_of(text, new.strip("\n")[:8])
    assert cli("validate", "--today", TODAY, path, expect=1).stdout.splitlines()[:2] == [
        f"{path}:{line}:1: error QA101 YAML syntax error: an invisible byte-order mark (U+FEFF) is in the "
        "middle of the file.",
        "    hint: Delete the invisible character at the start of this line "
        "(some editors show it as <feff>).",
    ]


@pytest.mark.parametrize(
    ("char", "code"), [("\x85", "0085"), ("\u2028", "2028"), ("\u2029", "2029")], ids=["NEL", "LS", "PS"]
)
def test_a_raw_line_separator_is_a_finding(
    char: str, code: str, cli: Callable[..., Run], tmp_path: Path
) -> None:
    # libyaml (YAML 1.1) reads NEL, LS and PS as line breaks; ruamel.yaml (YAML 1.2) as characters.
    text = hostile.BASE.replace("Lived experience, identity", f"Lived experience,{char}identity")
    path = write(tmp_path, "separator.yaml", text)
    line = hostile.line_of(text, "    evidence: Lived experience")
    assert cli("validate", "--today", TODAY, path, expect=1).stdout.splitlines()[:2] == [
        f"{path}:{line}:32: error QA101 YAML syntax error: an invisible line separator (U+{code}) is in "
        "the file.",
        "    hint: Replace it with an ordinary line break, or with a space.",
    ]


def test_an_anchor_name_the_readers_end_differently_is_a_finding(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    text = hostile.replace_line(hostile.BASE, "reviewer:", "reviewer: &lead:x Daniel Okafor")
    path = write(tmp_path, "anchor.yaml", text)
    line = hostile.line_of(text, "reviewer:")
    # libyaml ends the name at ':' and reads the rest as text with an anchor, which is refused
    # before the round trip's reading is asked (an anchor on plain text is never meant).
    assert cli("validate", "--today", TODAY, path, expect=1).stdout.splitlines()[0] == (
        f"{path}:{line}:11: error QA111 '&lead:x Daniel Okafor' starts with '&', which YAML reserves for an "
        "anchor (a name for a value to repeat), so this value is read as ':x Daniel Okafor', not as the "
        "text written."
    )


def test_explicit_tags_read_alike() -> None:
    text = "a: !!str 1\nb: !!int '7'\n"
    assert (
        plain_value(round_trip_yaml(text).load(text))
        == load_bytes(text.encode(), "x").data
        == {"a": "1", "b": 7}
    )


# -- Should the readers ever disagree, nothing is rewritten (QA114) -----------------------------------


def test_a_disagreement_is_a_located_finding() -> None:
    text = hostile.BASE
    doc = load_bytes(text.encode(), "a.yaml")
    other = round_trip_yaml(text).load(text)
    assert disagreement(doc.data, other, doc) is None
    other["case"]["law_type"] = "public"
    found = disagreement(doc.data, other, doc)
    assert found is not None
    assert (str(found.location), found.code, found.message, found.hint) == (
        f"a.yaml:{hostile.line_of(text, '  law_type:')}:13",
        "QA114",
        "'case.law_type' would read differently once the file is rewritten with its comments kept, so "
        "it was left as it is.",
        "Put the value in quotes, and please report the file to qaimpact's developers.",
    )


def test_fmt_rewrites_nothing_where_the_readers_disagree(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    untidy = hostile.BASE.replace("reviewer: Daniel Okafor", "reviewer:    Daniel Okafor")
    path = write(tmp_path, "a.yaml", untidy)

    def differs(loaded: Any, round_trip: Any, doc: Any) -> Any:
        round_trip["case"]["law_type"] = "public"
        return disagreement(loaded, round_trip, doc)

    monkeypatch.setattr(fmt, "disagreement", differs)
    run = cli("fmt", "--today", TODAY, path, expect=1)
    assert (
        f"{path}:{hostile.line_of(untidy, '  law_type:')}:13: error QA114 'case.law_type' would read"
        in run.stderr
    )
    assert path.read_text(encoding="utf-8") == untidy


# -- A folder is checked in full before any file is rewritten --------------------------------------


def test_fmt_checks_every_file_before_rewriting_any(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    untidy = hostile.BASE.replace("reviewer: Daniel Okafor", "reviewer:    Daniel Okafor")
    first, last = write(tmp_path, "a.yaml", untidy), write(tmp_path, "z.yaml", untidy)
    real = fmt.format_text

    def failing(text: str, name: str, *args: Any, **kwargs: Any) -> Any:
        if name.endswith("z.yaml"):
            raise RuntimeError("formatting failed")
        return real(text, name, *args, **kwargs)

    monkeypatch.setattr(fmt, "format_text", failing)
    run = cli("fmt", "--today", TODAY, tmp_path, expect=4)
    assert "internal error" in run.stderr
    assert first.read_text(encoding="utf-8") == untidy
    assert last.read_text(encoding="utf-8") == untidy


# -- Differential fuzzing: mutated examples through both readers -----------------------------------

SOURCES = [p.read_text(encoding="utf-8") for p in sorted((DATA / "valid").glob("*.yaml"))] + [
    p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.yaml"))
]
#: Characters and tokens that readers of YAML have been seen to read differently.
PIECES = [
    *"\t :-#\"'[]{},&*!|>%@`?\n0.~\\",
    "\u2028",
    "\x85",
    "\ufeff",
    "é",
    "\r",
    "\r\n",
    "- ",
    "\t\t",
    "2026-02-30",
    "2026-10-14T10:00:00Z",
    "0b101",
    "1_000",
    "0x_1",
    "-0x1",
    "=",
    "<<",
    "012",
    "0o17",
    "1e3",
    "yes",
    "on",
    "~",
    ".nan",
    "+.inf",
    "!!str 1",
    '"\\e"',
    "&x a",
    "*x",
    "'it''s'",
    "| ",
    "> ",
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """An example audit with one to three pieces inserted, lines deleted, repeated or re-indented."""
    text = draw(st.sampled_from(SOURCES))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["insert", "delete", "repeat", "indent", "replace"]))
        lines = text.splitlines(keepends=True)
        index = draw(st.integers(0, len(lines) - 1))
        if kind == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(PIECES)) + text[at:]
        elif kind == "delete":
            at = draw(st.integers(0, len(text) - 1))
            text = text[:at] + text[at + 1 :]
        elif kind == "repeat":
            text = "".join([*lines[: index + 1], lines[index], *lines[index + 1 :]])
        elif kind == "indent":
            lines[index] = draw(st.sampled_from([" ", "  ", "\t"])) + lines[index]
            text = "".join(lines)
        elif ": " in lines[index]:
            head = lines[index].split(": ", 1)[0]
            lines[index] = f"{head}: {draw(st.sampled_from(PIECES))}\n"
            text = "".join(lines)
    return text


def same(a: Any, b: Any) -> bool:
    """Equal data, where NaN equals NaN."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def readers_agree(text: str) -> None:
    """What the loader accepts, the round trip reads as the same data."""
    try:
        loaded = load_bytes(text.encode("utf-8"), "fuzz.yaml").data
    except LoadError:
        return  # validate refuses it, so fmt and migrate (which check first) refuse it too
    round_trip = plain_value(round_trip_yaml(text).load(text))
    assert same(loaded, round_trip), text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_both_readers_agree_on_mutated_examples(text: str) -> None:
    readers_agree(text)


# The minimised disagreements the fuzzing found are kept in tests/data/fuzz/readers/ and replayed by
# test_fuzz.py with the same property (fuzzing.check_readers).

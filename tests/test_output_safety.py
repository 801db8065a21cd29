"""Hostile text never drives a terminal, a CI log, an XML reader or a spreadsheet (issue 12, section 2).

Values from audits and standards files reach every output. Human output shows control characters,
line breaks and direction overrides as visible escapes (``base/escaping.visible``); JUnit XML holds
only what XML 1.0 allows; CSV cells never start a formula, on any line; JSON stays exact.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hostile
from conftest import DATA, EXAMPLES, HEADLINE, TODAY, Run
from qaimpact.base import escaping
from qaimpact.reports.render import md, render_csv

#: The issue's example: workflow commands hidden in a rating.
WORKFLOW = "bad\n::error file=README.md::fake\n::add-mask::Amira"
#: Text that clears the screen, then turns red.
ESCAPE = "\x1b[2J\x1b[31mSafe"
#: A right-to-left override: "Jo [RLO]thgirB" shows as "Jo Bright".
BIDI = "Jo \u202ethgirB"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def rating_audit(folder: Path, rating: str) -> Path:
    """The valid Cafcass audit with the first standard's rating replaced (written as YAML escapes)."""
    quoted = json.dumps(rating)  # a JSON string is a YAML double-quoted string
    text = hostile.replace_line(hostile.BASE, "    rating: good               #", f"    rating: {quoted}")
    return write(folder, "hostile.yaml", text)


# -- escaping.visible and friends --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text", "plain text"),
        ("tab\there", "tab\\there"),
        ("two\nlines\r\n", "two\\nlines\\r\\n"),
        (ESCAPE, "\\x1b[2J\\x1b[31mSafe"),
        ("nul\x00del\x7fcsi\x9b", "nul\\x00del\\x7fcsi\\x9b"),
        (BIDI, "Jo \\u202ethgirB"),
        ("isolate\u2066x\u2069", "isolate\\u2066x\\u2069"),
        ("line\u2028separator", "line\\u2028separator"),
        ("Zoë, Łukasz, محمد, 李", "Zoë, Łukasz, محمد, 李"),
    ],
)
def test_visible(text: str, shown: str) -> None:
    assert escaping.visible(text) == shown


def test_terminal_safe_keeps_the_documents_own_lines() -> None:
    assert escaping.terminal_safe("# Title\n\n| a\t| b \x1b[31m|\n") == "# Title\n\n| a\t| b \\x1b[31m|\n"


def test_json_stays_exact() -> None:
    data = {"value": f"{WORKFLOW}{ESCAPE}{BIDI}\u2028\x9b\x7f"}
    text = escaping.to_json(data)
    assert json.loads(text) == data
    assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u202e]", text)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("all ascii \x7f", '"all ascii \\u007f"'),
        ("all ascii", '"all ascii"'),
        ("not ascii \x7f \u00e9", '"not ascii \\u007f \u00e9"'),
    ],
)
def test_delete_is_escaped_in_ascii_json_too(value: str, written: str) -> None:
    # Regression guard: JSON that is all ASCII skips the search for characters to escape, but
    # DEL is ASCII.
    assert escaping.to_json(value) == written


#: What reports put in their JSON: plain data, dates (written by ``default=str``) and any key
#: json.dumps accepts.
_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.dates()
    | st.datetimes()
)
#: Keys drawn from a few, too, so that one key comes again at several levels and places.
_KEYS = st.sampled_from(["a", "b"]) | st.text() | st.integers() | st.floats() | st.booleans() | st.none()
_JSON_LIKE = st.recursive(
    _LEAVES,
    lambda children: st.lists(children) | st.tuples(children, children) | st.dictionaries(_KEYS, children),
    max_leaves=30,
)


@given(data=_JSON_LIKE, indent=st.sampled_from([0, 2, 4]))
def test_indented_json_is_what_json_dumps_writes(data: object, indent: int) -> None:
    # to_json writes indented JSON with its own one-pass writer: it must be byte for byte the
    # standard library's, escapes and all.
    expected = json.dumps(data, ensure_ascii=False, indent=indent, default=str)
    expected = re.sub("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", _escaped, expected)
    assert escaping.to_json(data, indent=indent, default=str) == expected


@pytest.mark.parametrize(
    "data",
    [
        # A key written first in one mapping and after a comma in another, at one level and at
        # several: the writer keeps each key's text by level and by place.
        {"a": {"a": 1, "b": {"b": 2, "a": 3}}, "b": [{"a": 1}, {"b": 2, "a": 3}, {}]},
        [{"x": None}, {"y": True, "x": False}, {1: "one", "1": "text"}, {None: [], "x": {"x": "x"}}],
    ],
)
def test_a_key_is_written_alike_wherever_it_comes(data: object) -> None:
    assert escaping.to_json(data, indent=2) == json.dumps(data, ensure_ascii=False, indent=2)


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"when": dt.date(2026, 11, 29)}, "Object of type date is not JSON serializable"),
        ({(1, 2): "a tuple key"}, "keys must be str, int, float, bool or None, not tuple"),
    ],
)
def test_indented_json_refuses_what_json_dumps_refuses(data: object, error: str) -> None:
    with pytest.raises(TypeError, match=re.escape(error)):
        escaping.to_json(data, indent=2)


def test_indented_json_of_a_cycle_is_refused_as_json_dumps_refuses_it() -> None:
    cycle: list[object] = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="Circular reference detected"):
        escaping.to_json(cycle, indent=2)
    assert escaping.to_json({"inf": math.inf}, indent=2) == '{\n  "inf": Infinity\n}'


@pytest.mark.parametrize(
    ("text", "xml"),
    [
        ("ok\ttab\nline", "ok\ttab\nline"),
        ("esc\x1b nul\x00 ff\x0c", "esc\\x1b nul\\x00 ff\\x0c"),
        ("\ufffe", "\\ufffe"),
    ],
)
def test_xml_text(text: str, xml: str) -> None:
    assert escaping.xml_text(text) == xml


# -- validate: text, github, junit, json, sarif --------------------------------------------------


def test_text_output_shows_line_breaks_escaped(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = rating_audit(tmp_path, WORKFLOW)
    run = cli("validate", path, expect=1)
    assert run.stdout.splitlines() == [
        f"{path}:15:13: error QA204 'bad\\n::error file=README.md::fake\\n::add-mask::Amira' is not a rating "
        "on this framework's scale for 'impact.child_seen' (Child seen and wishes and feelings).",
        "    hint: Use one of: good, met, requires_improvement.",
        "Checked 1 file: 1 error and 0 warnings in 1 file.",
    ]


def test_github_output_holds_only_our_workflow_commands(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = rating_audit(tmp_path, WORKFLOW)
    run = cli("validate", "--format", "github", path, expect=1)
    commands = [line for line in run.stdout.splitlines() if line.startswith("::")]
    assert len(commands) == 1
    assert commands[0].startswith(
        f"::error file={path},line=15,col=13,title=QA204 invalid-rating::'bad\\n::error"
    )
    assert "%0Ahint: Use one of" in commands[0]


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_escape_sequences_are_shown_not_run(fmt: str, cli: Callable[..., Run], tmp_path: Path) -> None:
    path = rating_audit(tmp_path, ESCAPE + BIDI)
    out = cli("validate", "--format", fmt, path, expect=1).stdout
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert "'\\x1b[2J\\x1b[31mSafeJo \\u202ethgirB' is not a rating" in out


def test_junit_is_valid_xml_with_control_characters(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = rating_audit(tmp_path, ESCAPE + "\x00\x0c")
    out = cli("validate", "--format", "junit", path, expect=1).stdout
    root = ET.fromstring(out)  # raises on a character XML 1.0 forbids
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert "'\\x1b[2J\\x1b[31mSafe\\x00\\x0c' is not a rating" in failure.get("message", "")
    assert "'\\x1b[2J\\x1b[31mSafe\\x00\\x0c' is not a rating" in (failure.text or "")


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_machine_formats_keep_the_exact_value(fmt: str, cli: Callable[..., Run], tmp_path: Path) -> None:
    path = rating_audit(tmp_path, WORKFLOW + ESCAPE + BIDI)
    out = cli("validate", "--format", fmt, path, expect=1).stdout
    assert "\x1b" not in out
    assert "\u202e" not in out
    data = json.loads(out)
    message = data[0]["message"] if fmt == "json" else data["runs"][0]["results"][0]["message"]["text"]
    assert message.startswith(f"'{WORKFLOW}{ESCAPE}{BIDI}' is not a rating")


def test_a_file_name_with_a_line_break_cannot_fake_a_finding(cli: Callable[..., Run], tmp_path: Path) -> None:
    future = hostile.BASE.replace("review_date: 2026-10-14", "review_date: 2062-10-14")
    path = write(tmp_path, "a.yaml\n::error file=x::fake.yaml", future)
    shown = {
        "text": "a.yaml\\n::error file=x::fake.yaml",
        "github": "a.yaml\\n%3A%3Aerror file=x%3A%3Afake.yaml",
    }
    for fmt, name in shown.items():
        out = cli("validate", "--format", fmt, "--today", TODAY, path).stdout
        assert not any(line.startswith("::error") for line in out.splitlines())
        assert name in out


# -- the rich console: grade, standards show ------------------------------------------------------


@pytest.fixture
def hostile_framework(tmp_path: Path) -> Path:
    """The mini framework with control characters and markup in its titles."""
    text = (DATA / "standards" / "valid" / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Risk is assessed", 'title: "Risk \\e[2J is [bold red]assessed[/] \\u202e"')
    text = text.replace("title: Mini practice standards", 'title: "Mini\\nFAKE LINE"')
    folder = tmp_path / "standards"
    folder.mkdir()
    write(folder, "mini.yaml", text)
    return folder


def test_standards_show_escapes_titles(cli: Callable[..., Run], hostile_framework: Path) -> None:
    out = cli("standards", "show", "mini-practice", "--standards", hostile_framework).stdout
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert "Mini\\nFAKE LINE (mini-practice, version 1)" in out
    assert "Risk \\x1b[2J is [bold red]assessed[/] \\u202e" in out


def test_standards_list_does_not_read_titles_as_markup(
    cli: Callable[..., Run], hostile_framework: Path
) -> None:
    out = cli("standards", "list", "--standards", hostile_framework).stdout
    assert "Mini\\nFAKE LINE" in out


def test_grade_escapes_titles_in_the_rationale(cli: Callable[..., Run], hostile_framework: Path) -> None:
    audit = (DATA / "standards" / "audits" / "mini-poor.yaml").read_text(encoding="utf-8")
    path = write(hostile_framework.parent, "audit.yaml", audit)
    out = cli("grade", "--standards", hostile_framework, "--today", TODAY, path, expect=None).stdout
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert "Risk \\x1b[2J is [bold red]assessed[/] \\u202e" in out


# -- Markdown ---------------------------------------------------------------------------------------


def test_markdown_filter_escapes_control_characters() -> None:
    assert md(f"{ESCAPE} {BIDI}") == "\\\\x1b\\[2J\\\\x1b\\[31mSafe Jo \\\\u202ethgirB"


def test_a_report_printed_to_a_terminal_is_terminal_safe(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from qaimpact.cli import output

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr("sys.stdout", screen)
    output.emit("| a | b\x1b[31m |\n| \u202ec |\n", None, [], force=False)
    assert screen.getvalue() == "| a | b\\x1b[31m |\n| \\u202ec |\n"


def test_a_report_piped_to_a_file_is_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    from qaimpact.cli import output

    piped = io.StringIO()
    monkeypatch.setattr("sys.stdout", piped)
    output.emit('{"a": "\\u001b"}\n', None, [], force=False)
    assert piped.getvalue() == '{"a": "\\u001b"}\n'


# -- CSV: formulas after a line break ------------------------------------------------------------


@pytest.mark.parametrize("brk", ["\r", "\n", "\r\n"])
@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_csv_cell_neutralises_a_formula_after_any_line_break(brk: str, start: str) -> None:
    cell = escaping.csv_cell(f"Rewrite the plan.{brk}{start}cmd|' /C calc'!A0")
    assert cell == f"Rewrite the plan.\n'{start}cmd|' /C calc'!A0"


def naive_lines(text: str) -> list[str]:
    """How a reader that ignores quoting splits a CSV file: at every line break."""
    return re.split(r"\r\n|\r|\n", text)


def test_render_csv_quotes_cells_with_line_breaks() -> None:
    text = render_csv([{"action": "Rewrite the plan.\r=cmd|' /C calc'!A0", "n": 1}])
    assert text == "action,n\n\"Rewrite the plan.\n'=cmd|' /C calc'!A0\",1\n"
    assert not any(line.startswith("=") for line in naive_lines(text))
    assert list(csv.reader(io.StringIO(text))) == [
        ["action", "n"],
        ["Rewrite the plan.\n'=cmd|' /C calc'!A0", "1"],
    ]


def test_actions_csv_with_a_formula_after_a_carriage_return(cli: Callable[..., Run], tmp_path: Path) -> None:
    source = DATA / "cycle" / "actions"
    for path in source.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    audit = tmp_path / "CFA-2026-0401.yaml"
    text = audit.read_text(encoding="utf-8")
    first = re.search(r"(?m)^  - action: (.*)$", text)
    assert first is not None
    audit.write_text(
        text.replace(first.group(0), "  - action: \"Rewrite the plan.\\r=cmd|' /C calc'!A0\"", 1),
        encoding="utf-8",
    )
    # The folder holds one invalid audit (CFA-2026-0499), left out of the report: exit 1.
    out = cli("actions", "--audits", tmp_path, "--today", "2026-11-22", "-f", "csv", expect=1).stdout
    assert not any(line.startswith("=") for line in naive_lines(out))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert "Rewrite the plan.\n'=cmd|' /C calc'!A0" in [r["action"] for r in rows]


#: A file name cannot hold "/", so the command line of the formula uses a backslash.
FORMULA_NAME = "a\r=cmd|' \\C calc'!A0.yaml"
CSV_COMMANDS = [
    ("actions", DATA / "cycle" / "actions"),
    ("escalations", DATA / "cycle" / "escalations"),
    ("impact", DATA / "cycle" / "impact" / "movement"),
    ("moderation", DATA / "cycle" / "moderation"),
    ("summary", EXAMPLES),
]


@pytest.mark.parametrize(("command", "source"), CSV_COMMANDS, ids=[c for c, _ in CSV_COMMANDS])
def test_no_csv_starts_a_row_with_a_formula(
    command: str, source: Path, cli: Callable[..., Run], tmp_path: Path
) -> None:
    """Every file name is a cell in each CSV: one with a carriage return and a formula after it
    must not start a row in a spreadsheet."""
    files = sorted(source.glob("*.yaml")) if source != EXAMPLES else HEADLINE
    for index, path in enumerate(files):
        shutil.copy(path, tmp_path / (FORMULA_NAME.replace("a", f"a{index}", 1)))
    out = cli(command, "--audits", tmp_path, "--today", "2026-11-22", "-f", "csv", expect=None).stdout
    lines = naive_lines(out)
    assert len(lines) > 2
    assert not any(line.startswith("=") for line in lines)
    rows = list(csv.reader(io.StringIO(out)))
    assert all(len(row) == len(rows[0]) for row in rows)
    assert any("\n'=cmd|' \\C calc'!A0.yaml" in cell for row in rows for cell in row)

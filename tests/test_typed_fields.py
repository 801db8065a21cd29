"""Dates and text as auditors type them, in every date and text field of each bundled framework.

The fields come from the standards data (``case_fields`` and ``extra_fields`` of type text, date
or date_range) and from the keys every audit of the framework has (the reviewer, the evidence of
a standard, the review date, a remedial action's due date). Into one to three of them, a valid
audit gets a value written the way it is typed or pasted: a date in ISO form, British form,
impossible, with a time of day, far in the future or the past; text pasted from Word (curly
quotes, non-breaking spaces, control characters), very long lines, YAML's special characters
(``: ``, ``#``, a leading ``-``, ``*``, ``&``, ``!``, ``%``, ``@``, backticks), emoji and
right-to-left text, left bare or put in quotes or a block without escaping anything.

What the project promises of any such file (docs/exit-codes.md, docs/fuzzing.md):

- ``validate`` never fails with a traceback: it exits 0, 1 or 2;
- every finding is at a ``file:line:col`` inside the file;
- ``fmt`` never makes a valid file invalid or changes what it says (its grade included), a
  second ``fmt`` changes nothing, and ``fmt --check`` agrees with ``validate``;
- grading is deterministic.

Each defect found is kept as a data file under tests/data/ (see ``FOUND``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import DATA, EXAMPLES, TODAY, Run
from qaimpact.audits.checker import AuditCheck, CheckOptions, check_text
from qaimpact.authoring.fmt import format_text
from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.reports import grades

_REGISTRY = Registry([bundled_dir()])

#: The defects the property found, each kept as a data file. An audit that validate now refuses
#: (under invalid/, whose findings test_diagnostics.py checks word for word):
FOUND_INVALID = [
    # Text typed after an '&' at the start of a value was an anchor's name: the value was empty.
    DATA / "invalid" / "QA111-anchor-with-no-value.yaml",
    # A block text whose first line holds only spaces, and a line below it indented further:
    # validate passed it, and fmt failed ("ruamel.yaml could not read the file").
    DATA / "invalid" / "QA101-block-text-starting-with-spaces.yaml",
    # A value typed after '#' is a comment: the finding said "Fill it in" to a filled-in field.
    DATA / "invalid" / "QA208-value-typed-as-a-comment.yaml",
]
#: Valid audits fmt mishandled:
FOUND_FMT = [
    # A folded text ending in a space, moved by fmt above a blank line, lost the blank line the
    # second time: fmt --check failed a file fmt had just formatted.
    DATA / "fmt" / "folded-text-ending-in-a-space.yaml",
    # ...and a comment line below such a text was joined to it: fmt refused the file as a bug.
    DATA / "fmt" / "folded-text-ending-in-a-space-before-a-comment.yaml",
]


@dataclass(frozen=True)
class Field:
    """A field an auditor types into: ``key``, on the line of the base audit that starts with
    ``line``; or, where the base leaves the field out, a new line after the one that is ``after``
    (at the end of the file when that is empty)."""

    key: str
    kind: str  # text, date or date_range
    line: str | None = None
    after: str = ""
    indent: str = ""


@dataclass(frozen=True)
class Base:
    framework: str
    text: str
    fields: tuple[Field, ...]


def _base(framework: str, path: Path, built_in: list[Field]) -> Base:
    """A valid audit and every field to type into: the keys every audit has, and each text or
    date field of the framework's ``case_fields`` and ``extra_fields``."""
    found = _REGISTRY.get(framework)
    assert found is not None, framework
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    fields = list(built_in)
    for section, specs in (("case", found.spec.case_fields), ("", found.spec.extra_fields)):
        for name, spec in specs.items():
            if spec.type not in ("text", "date", "date_range"):
                continue
            indent = "  " if section else ""
            start = f"{indent}{name}:"
            if any(line.startswith(start) for line in lines):
                fields.append(Field(name, spec.type, line=start))
            else:
                fields.append(Field(name, spec.type, after=f"{section}:" if section else "", indent=indent))
    return Base(framework, text, tuple(fields))


BASES = [
    _base(
        "cafcass-qiam-2017",
        DATA / "valid" / "cafcass-outstanding.yaml",
        [
            Field("practitioner", "text", "practitioner:"),
            Field("reviewer", "text", "reviewer:"),
            Field("review_date", "date", "review_date:"),
            Field("evidence", "text", "    evidence: Lived experience"),
            Field("comment", "text", "    comment: Report filed on time."),
            Field("comment", "text", after="  - area: child_engagement", indent="    "),
            Field("added_value_comment", "text", "added_value_comment:"),
            Field("rationale", "text", "rationale:"),
        ],
    ),
    _base(
        "ccc-practice-standards",
        EXAMPLES / "ccc-cfa-2026-0311.yaml",
        [
            Field("practitioner", "text", "practitioner:"),
            Field("reviewer", "text", "reviewer:"),
            Field("review_date", "date", "review_date:"),
            Field("evidence", "text", "    evidence: Assessment up to date"),
            Field("action", "text", "  - action: Rewrite"),
            Field("owner", "text", "    owner: Priya"),
            Field("due", "date", "    due: 2026-11-17"),
            Field("child", "text", "  child:"),
            Field("rationale", "text", "rationale:"),
        ],
    ),
]

# -- What auditors type -----------------------------------------------------------------------------

#: Dates as they are typed: valid, British, impossible, with a time of day, far away, quoted.
DATES = [
    "2026-10-14",
    "2024-02-29",
    "14/10/2026",
    "14/10/26",
    "14.10.2026",
    "14 October 2026",
    "Oct 14, 2026",
    "2026/10/14",
    "2026-1-4",
    "20261014",
    "2026-02-30",
    "2026-02-29",
    "2026-13-01",
    "0000-00-00",
    "2026-10-14T10:00:00",
    "2026-10-14 10:00",
    "2026-10-14T10:00:00Z",
    "2026-10-14 10:00:00+01:00",
    "2026-10-14T25:00:00",
    "9999-12-31",
    "10000-01-01",
    "0001-01-01",
    "1900-01-01",
    "2126-10-14",
    "2026-10",
    "2026",
    "2026-W42",
    "2026-10-14.",
    "“2026-10-14”",
    "2026\u201110\u201114",  # non-breaking hyphens, as Word writes them
    "\uff12\uff10\uff12\uff16-10-14",  # full-width digits
    "TBC",
    "",
]

#: Pieces of pasted text: Word's punctuation and spaces, control characters, YAML's indicators,
#: emoji and right-to-left text.
PIECES = [
    *"“”‘’\u00a0\u2013\u2014…\u200b\u200f\u202e\ufeff\x01\x0b\x1b\x7f",
    ": ",
    " #",
    "#",
    "- ",
    "-",
    "* ",
    "*",
    "&",
    "& ",
    "!",
    "! ",
    "%",
    "@",
    "`",
    "|",
    ">",
    "?",
    "{",
    "}",
    "[",
    "]",
    ",",
    "'",
    '"',
    "\\",
    "\t",
    "\n",
    "\n\n",
    "😀",
    "👩🏽\u200d⚕️",
    "שלום",
    "مرحبا بالعالم",
    "yes",
    "null",
    "~",
    "12",
    "0x1F",
    ".inf",
    "2026-10-14",
    "TODO",
    "Mum said ",
    "the child's views",
    " ",
    "x" * 2000,
]

_WORDS = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ.,;()'", min_size=1, max_size=12
)


@st.composite
def typed_text(draw: st.DrawFn) -> str:
    """Text as it is typed or pasted: words and pieces run together."""
    parts = draw(st.lists(st.one_of(st.sampled_from(PIECES), _WORDS), min_size=1, max_size=6))
    return "".join(parts)


@st.composite
def typed_date(draw: st.DrawFn) -> str:
    """A date as it is typed: a known hard case, or any day written as ISO or British, perhaps
    with a time of day."""
    if draw(st.booleans()):
        return draw(st.sampled_from(DATES))
    day = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
    written = day.isoformat() if draw(st.booleans()) else day.strftime("%d/%m/%Y")
    if draw(st.booleans()):
        written += draw(st.sampled_from(["T09:30:00", " 09:30", "T00:00:00Z", " 23:59:59+01:00"]))
    return written


def written(value: str, how: str, indent: str) -> str:
    """The value after ``key: `` as an auditor writes it: bare, in quotes (nothing escaped), or as
    a block of lines under the key."""
    if how == "double":
        return f'"{value}"'
    if how == "single":
        return f"'{value}'"
    if how in ("|", ">-"):
        return how + "".join(f"\n{indent}  {line}" for line in value.split("\n"))
    return value


def typed(lines: list[str], field: Field, value: str) -> None:
    """Type ``value`` into ``field`` of the audit's ``lines``."""
    if field.line is not None:
        at = next(i for i, line in enumerate(lines) if line.startswith(field.line))
        lines[at] = lines[at][: lines[at].index(f"{field.key}:")] + f"{field.key}: {value}"
        return
    at = next((i + 1 for i, line in enumerate(lines) if field.after and line == field.after), len(lines))
    lines.insert(at, f"{field.indent}{field.key}: {value}")


@st.composite
def typed_audits(draw: st.DrawFn) -> tuple[str, str]:
    """A valid audit of a bundled framework with one to three of its date and text fields typed
    into: its framework's id and its text."""
    base = draw(st.sampled_from(BASES))
    lines = base.text.splitlines()
    for field in draw(st.lists(st.sampled_from(base.fields), min_size=1, max_size=3, unique=True)):
        # A block's lines go deeper than the key (for a key in a list item, deeper than the key).
        line = next((ln for ln in lines if field.line and ln.startswith(field.line)), field.indent + "x")
        indent = " " * (len(line) - len(line.lstrip(" -")))
        if field.kind == "date_range":
            value = "{" + ", ".join(f"{end}: {draw(typed_date())}" for end in ("from", "to")) + "}"
        elif field.kind == "date":
            value = written(
                draw(typed_date()), draw(st.sampled_from(["bare", "bare", "double", "single"])), ""
            )
        else:
            how = draw(st.sampled_from(["bare", "bare", "double", "single", "|", ">-"]))
            value = written(draw(typed_text()), how, indent)
        typed(lines, field, value)
    return base.framework, "\n".join(lines) + "\n"


# -- The properties ---------------------------------------------------------------------------------


def _options() -> CheckOptions:
    return CheckOptions(today=TODAY, with_lift=True, keep_data=True)


def checked(text: str) -> AuditCheck:
    """The audit checked, every finding inside the file."""
    result = check_text(text, "typed.yaml", _REGISTRY, _options())
    lines = text.split("\n")
    for diag in result.diagnostics:
        line, column = diag.location.line, diag.location.column
        assert 1 <= line <= len(lines), diag
        assert 1 <= column <= len(lines[line - 1]) + 1, (diag, lines[line - 1])
    return result


def grading(out: str) -> list[dict[str, object]]:
    """What ``grade --format json`` printed, each finding by its code alone: ``fmt`` puts keys in
    the framework's order, so a warning's line may move."""
    audits: list[dict[str, object]] = json.loads(out)
    for audit in audits:
        audit["diagnostics"] = sorted(d["code"] for d in audit["diagnostics"])  # type: ignore[attr-defined]
    return audits


def graded(check: AuditCheck) -> object:
    """What ``grade --format json`` says of the audit, as data."""
    return json.loads(grades.render_json([check]))


def assert_keeps_its_promises(text: str) -> None:
    first, second = checked(text), checked(text)
    # Grading is deterministic: the same findings, grade, rationale and lift every time.
    assert first.diagnostics == second.diagnostics
    assert first.result == second.result
    assert graded(first) == graded(second)
    formatted = format_text(text, "typed.yaml", _REGISTRY, _options())
    if not first.valid:
        assert formatted.problems is not None  # fmt leaves an invalid file alone, as validate fails it
        assert [d.code for d in formatted.problems.diagnostics] == [d.code for d in first.diagnostics]
        return
    # fmt keeps a valid audit valid and saying the same, graded the same; again, it changes nothing.
    assert formatted.problems is None, [d.message for d in formatted.problems.diagnostics]
    after = checked(formatted.new_text)
    assert after.valid, [d.message for d in after.diagnostics]
    assert after.data == first.data
    assert after.result == first.result
    again = format_text(formatted.new_text, "typed.yaml", _REGISTRY, _options())
    assert again.problems is None
    assert not again.changed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed_audits())
def test_typed_dates_and_text_keep_the_promises(audit: tuple[str, str]) -> None:
    _, text = audit
    assert_keeps_its_promises(text)


@pytest.mark.parametrize("path", FOUND_INVALID + FOUND_FMT, ids=lambda p: p.name)
def test_found_by_the_property(path: Path) -> None:
    assert_keeps_its_promises(path.read_text(encoding="utf-8"))


#: How fmt writes the text of each of FOUND_FMT: the same text, in quotes (a text that ends in a
#: space needs them), the comment below it kept, at the end of its line.
FORMATTED = [
    "    comment: 'Use the tools with the children. '\n",
    'added_value_comment: "Court alerted to unsafe handovers; the children\'s views were heard. " '
    "# checked with the team manager\n",
]


@pytest.mark.parametrize(
    ("path", "line"), list(zip(FOUND_FMT, FORMATTED, strict=True)), ids=[p.name for p in FOUND_FMT]
)
def test_fmt_formats_once_and_for_all(path: Path, line: str, cli: Callable[..., Run], tmp_path: Path) -> None:
    copy = tmp_path / "audit.yaml"
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    before = grading(cli("grade", "--today", TODAY, "-f", "json", copy).stdout)
    assert cli("fmt", "--today", TODAY, copy).stdout.endswith("1 file reformatted, 0 unchanged.\n")
    assert line in copy.read_text(encoding="utf-8").splitlines(keepends=True)
    assert (
        cli("fmt", "--check", "--today", TODAY, copy).stdout == "0 files would be reformatted, 1 unchanged.\n"
    )
    assert cli("validate", "--today", TODAY, copy).stdout == "Checked 1 file: no problems found.\n"
    assert grading(cli("grade", "--today", TODAY, "-f", "json", copy).stdout) == before


#: Exit codes ``validate`` may give an audit (docs/exit-codes.md): valid, problems, usage error.
VALIDATE_EXITS = {0, 1, 2}


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(audit=typed_audits(), valid=st.booleans())
def test_through_the_cli(
    audit: tuple[str, str], valid: bool, cli: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory
) -> None:
    _, text = audit
    # As many valid audits as invalid ones, so that fmt's side of the promise is tried too.
    assume(checked(text).valid == valid)
    path = tmp_path_factory.mktemp("typed") / "typed.yaml"
    path.write_text(text, encoding="utf-8")
    validated = cli("validate", "--today", TODAY, path, expect=None)
    assert validated.exit_code in VALIDATE_EXITS, validated.stdout + validated.stderr
    assert "Traceback" not in validated.stdout + validated.stderr
    check = cli("fmt", "--check", "--today", TODAY, path, expect=None)
    if validated.exit_code == 1:
        # An invalid file is not formatted: fmt --check fails it too, and fmt leaves it as it is.
        assert check.exit_code == 1
        cli("fmt", "--today", TODAY, path, expect=1)
        assert path.read_text(encoding="utf-8") == text
        return
    assert validated.exit_code == 0
    assert check.exit_code in (0, 1)
    before = grading(cli("grade", "--today", TODAY, "-f", "json", path).stdout)
    cli("fmt", "--today", TODAY, path)
    cli("validate", "--today", TODAY, path)
    cli("fmt", "--check", "--today", TODAY, path)
    assert grading(cli("grade", "--today", TODAY, "-f", "json", path).stdout) == before

"""Every diagnostic code, at its exact line, column, severity, message and hint.

Data files carry their expectations in a header: each ``# expect: LINE:COL SEVERITY CODE MESSAGE
| hint: HINT`` line is one finding the file must produce, and the set must match exactly, so a
missing or an extra finding fails. The hint is what tells an auditor how to fix the file, so it
is pinned word for word as the message is, on the same line so that the header keeps the audit's
lines where they were. Valid files carry ``# grade: GRADE_ID``. Files that cannot carry a header
(empty, unreadable, too large, generated) have explicit cases below.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.base import loader
from qaimpact.base.codes import CODES
from qaimpact.base.diagnose import date_hint, forgiven
from qaimpact.frameworks.check import check_file
from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.models.findings import Diagnostic

INVALID = DATA / "invalid"
VALID = DATA / "valid"
STANDARDS = DATA / "standards"
STANDARDS_INVALID = STANDARDS / "invalid"
STANDARDS_VALID = STANDARDS / "valid"
#: Standards files that load, with warnings.
STANDARDS_WARNINGS = STANDARDS / "warnings"
STANDARDS_AUDITS = STANDARDS / "audits"
MINI = STANDARDS_VALID / "mini.yaml"
#: Tables of values written as first-timers write them, and the hint each gets.
HINT_TABLES = DATA / "hints"

EXPECT = "# expect: "
#: Between a finding and its hint on an ``# expect:`` line of ``tests/data/invalid``.
HINT = " | hint: "
GRADE = "# grade: "

#: Data files whose expectation shows a bug in src/: the expectation is the correct output.
#: Data files that show a known bug, by name, with the bug: they run as strict xfails.
AUDIT_BUGS: dict[str, str] = {}
STANDARDS_BUGS: dict[str, str] = {}

#: Codes covered by explicit tests in this module rather than (only) by data files.
# QA211 needs a broken standards file beside the audit: tests/test_exit_codes.py.
# QA601-QA610 are about spreadsheets: tests/test_import.py imports a sheet for each.
# QA113 (more findings than are shown) needs over 100 findings, and test_hostile.py generates
# them; QA114 (the readers disagree) cannot arise from a file by design, and
# test_one_reading.py forces it.
#: QA611 (text too long for a workbook): tests/test_import_export_safety.py.
#: QA612 (an audit id that names a file the reports skip): tests/test_import.py.
#: QA613 (a header far to the right of the others): tests/test_import_hostile.py.
#: QA614 (text garbled by a character-set mix-up): tests/test_import_garbled.py.
#: QA615 (two mapping keys reading one column): tests/test_import_read_twice.py.
IMPORT_CODES = {f"QA6{n:02d}" for n in range(1, 16)}
EXPLICIT_CODES = {
    *("QA103", "QA106", "QA108", "QA110", "QA111", "QA113", "QA114", "QA211", "QA503", "QA504", "QA505"),
    "QA115",  # a name not read: tests/test_unread_names.py
    *("QA701", "QA702", "QA703"),  # across files: tests/test_feedback.py, tests/test_follow_through.py
    "QA704",  # two files with one id: tests/test_duplicate_ids.py
    *("QA705", "QA706", "QA707", "QA708"),  # re-audit links: tests/test_validate_reaudit_links.py
    *("QA801", "QA802", "QA803"),  # the quarterly report's narrative: tests/test_quarterly.py
    *IMPORT_CODES,
}


def header(path: Path, prefix: str) -> list[str]:
    """The values of the leading comment lines that start with ``prefix``."""
    values = []
    for line in path.read_bytes().decode("utf-8", errors="replace").splitlines():
        if not line.startswith("#"):
            break
        if line.startswith(prefix):
            values.append(line[len(prefix) :].rstrip())
    return values


def found_with_hints(diagnostics: Iterable[Diagnostic]) -> list[str]:
    return sorted(
        f"{d.location.line}:{d.location.column} {d.severity.value} {d.code} {d.message}{HINT}{d.hint}"
        for d in diagnostics
    )


def found(diagnostics: Iterable[Diagnostic]) -> list[str]:
    return sorted(
        f"{d.location.line}:{d.location.column} {d.severity.value} {d.code} {d.message}" for d in diagnostics
    )


def data_files(folder: Path, bugs: dict[str, str]) -> list[object]:
    return [
        pytest.param(
            path,
            id=path.name,
            marks=[pytest.mark.xfail(reason=bugs[path.name], strict=True)] if path.name in bugs else [],
        )
        for path in sorted(folder.glob("*.yaml"))
    ]


def options(**kwargs: object) -> CheckOptions:
    return CheckOptions(today=TODAY, **kwargs)  # type: ignore[arg-type]


# -- Audit data files --------------------------------------------------------------------------


@pytest.mark.parametrize("path", data_files(INVALID, AUDIT_BUGS))
def test_invalid_audit(path: Path, registry: Registry) -> None:
    expected = sorted(header(path, EXPECT))
    assert expected, f"{path.name} has no '{EXPECT}' lines"
    assert all(HINT in line for line in expected), f"{path.name}: an expectation without '{HINT.strip()}'"
    result = check_audit(path, registry, options(), str(path.relative_to(INVALID)))
    assert found_with_hints(result.diagnostics) == expected
    assert all(d.location.path == path.name for d in result.diagnostics)


@pytest.mark.parametrize("path", sorted(INVALID.glob("*.yaml")), ids=lambda p: p.name)
def test_invalid_file_name_names_its_code(path: Path) -> None:
    code = path.name.split("-", 1)[0]
    assert code in CODES
    assert code in {line.split()[2] for line in header(path, EXPECT)}


HINTS = [
    (
        "QA201-unknown-id.yaml",
        "Did you mean 'cafcass-qiam-2017'? Use one of the known ids, or add your own framework with "
        "--standards DIR.",
    ),
    (
        "QA201-missing.yaml",
        "Add 'standards:' with one of: cafcass-qiam-2017, ccc-practice-standards.",
    ),
    (
        "QA203-typo-evidence.yaml",
        "Did you mean 'evidence'? The keys allowed here are: rating, defensible_decision, evidence.",
    ),
    (
        "QA204-ccc-met.yaml",
        "Use one of: outstanding, good, requires_improvement, inadequate.",
    ),
    (
        "QA205-learning-area.yaml",
        "Did you mean 'compliance_with_policy'? Use one of: safeguarding, child_engagement, "
        "compliance_with_policy, service_user_feedback.",
    ),
    (
        "QA304-point-in-wrong-area.yaml",
        "It belongs to 'compliance_with_policy' (Compliance with policy): move it to a learning action "
        "with that area.",
    ),
    (
        "QA402-grade-differs.yaml",
        "Rule: Good: Impact domains are good (learning identified in compliance domains). Check the "
        "ratings, or change overall_grade to 'good'; `qaimpact grade FILE` explains the grade.",
    ),
    # As the file writes it: quoting 45123 would change the case number.
    ("QA206-leading-zero.yaml", "Put the value in quotes so that it is read as text: '0045123'."),
    ("QA101-tab-indent.yaml", "Tabs cannot be used for indentation in YAML: use spaces."),
    # Text pasted from Word, and a first-timer's way of writing a value (issue 17, section 4).
    (
        "QA204-curly-quotes.yaml",
        "Did you mean 'good'? The value is in quotation marks (“”), which Word and email add: write good "
        "with no quotation marks. Use one of: good, met, requires_improvement.",
    ),
    (
        "QA204-trailing-space.yaml",
        "Did you mean 'good'? Delete the space after it. Use one of: good, met, requires_improvement.",
    ),
    (
        "QA204-label.yaml",
        "Did you mean 'good'? Reports show it as 'Good', but the file uses its id: good. Use one of: good, "
        "met, requires_improvement.",
    ),
    (
        "QA204-ccc-label.yaml",
        "Did you mean 'requires_improvement'? Reports show it as 'Requires improvement to be good', but the "
        "file uses its id: requires_improvement. Use one of: outstanding, good, requires_improvement, "
        "inadequate.",
    ),
    (
        "QA101-nbsp-indent.yaml",
        "Delete the indentation and type it again with ordinary spaces (non-breaking spaces come in with "
        "text copied from Word or an email).",
    ),
    # Found by tests/test_typed_fields.py: the text after the '&' was lost without a finding.
    ("QA111-anchor-with-no-value.yaml", 'If it is text, put the whole text in quotes: "&Mum".'),
    (
        "QA208-value-typed-as-a-comment.yaml",
        "The text after '#' is a comment, which YAML ignores: if '#0045123' is the value, put it in quotes: "
        '"#0045123".',
    ),
    (
        "QA101-block-text-starting-with-spaces.yaml",
        "Delete the spaces on this line (leave it empty), or start the text on the line after it.",
    ),
    ("QA207-day-month-year.yaml", "Write the date as YYYY-MM-DD: 2026-10-14 (14 October 2026)."),
    ("QA207-quoted-date.yaml", "Write the date as 2026-10-14, with no quotation marks or spaces around it."),
    ("QA207-february-30.yaml", "February 2026 has 28 days, so there is no 30 February 2026: check the day."),
    (
        "QA201-other-framework.yaml",
        "If it is a ccc-practice-standards audit, write 'standards: ccc-practice-standards'. If it is a "
        "cafcass-qiam-2017 audit, start again from `qaimpact new --standards cafcass-qiam-2017`, which "
        "writes the keys that framework uses.",
    ),
]


@pytest.mark.parametrize(("name", "hint"), HINTS, ids=[name for name, _ in HINTS])
def test_hint(name: str, hint: str, registry: Registry) -> None:
    result = check_audit(INVALID / name, registry, options(), name)
    assert [d.hint for d in result.diagnostics] == [hint]


@pytest.mark.parametrize(
    ("name", "code", "hint"),
    [
        (
            "QA101-nbsp-before-key.yaml",
            "QA101",
            "Delete the indentation and type it again with ordinary spaces (non-breaking spaces come in "
            "with text copied from Word or an email).",
        ),
        (
            "QA203-nbsp-in-quoted-key.yaml",
            "QA203",
            "Did you mean 'reviewer'? Delete a non-breaking space (pasted from Word) before it.",
        ),
    ],
)
def test_non_breaking_space_before_a_key(registry: Registry, name: str, code: str, hint: str) -> None:
    result = check_audit(INVALID / name, registry, options(), name)
    # One mistake, said once: not also 'reviewer' missing (QA202).
    assert [(d.code, d.hint) for d in result.diagnostics] == [(code, hint)]


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("14/10/2026", "Write the date as YYYY-MM-DD: 2026-10-14 (14 October 2026)."),
        ("3.4.2026", "Write the date as YYYY-MM-DD: 2026-04-03 (3 April 2026)."),
        ("03-04-2026", "Write the date as YYYY-MM-DD: 2026-04-03 (3 April 2026)."),
        (" 2026-10-14", "Write the date as 2026-10-14, with no quotation marks or spaces around it."),
        (
            "31/02/2026",
            "February 2026 has 28 days, so there is no 31 February 2026: check the day, and write the date "
            "as YYYY-MM-DD.",
        ),
        (
            "next week",
            "Write the date in figures as YYYY-MM-DD, year then month then day: "
            "14 October 2026 is written 2026-10-14.",
        ),
        # Regression (a review): Word's en dash, and a time of day, got the general hint only.
        ("2026\u201309\u201329", "Write the date as YYYY-MM-DD: 2026-09-29 (29 September 2026)."),
        ("29\u201109\u20112026", "Write the date as YYYY-MM-DD: 2026-09-29 (29 September 2026)."),
        ("2026-09-29T10:00", "Write the date alone, with no time of day: 2026-09-29."),
        ("2026-09-29 10:00:00", "Write the date alone, with no time of day: 2026-09-29."),
        ("2026-09-29T10:00:00+01:00", "Write the date alone, with no time of day: 2026-09-29."),
        ("2026-02-30T10:00", "February 2026 has 28 days, so there is no 30 February 2026: check the day."),
        (
            20261014,
            "Write the date in figures as YYYY-MM-DD, year then month then day: "
            "14 October 2026 is written 2026-10-14.",
        ),
    ],
)
def test_date_hint(written: object, hint: str) -> None:
    assert date_hint(written) == hint


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("good", None),
        ("gooood", None),
        # The label quoted is the standards data's, not what was written (a new user's review).
        ("GOOD", "Did you mean 'good'? Reports show it as 'Good', but the file uses its id: good."),
        (
            "requires improvement",
            "Did you mean 'requires_improvement'? The file uses its id, written exactly: "
            "requires_improvement.",
        ),
        (" good", "Did you mean 'good'? Delete the space before it."),
        ("good\u00a0", "Did you mean 'good'? Delete a non-breaking space (pasted from Word) after it."),
        (
            "‘met’",
            "Did you mean 'met'? The value is in quotation marks (‘’), which Word and email add: write met "
            "with no quotation marks.",
        ),
        ("“other”", None),
        (3, None),
        # Regression: a zero-width space pasted after a rating looked like the rating refused.
        (
            "good\u200b",
            "Did you mean 'good'? The value holds the invisible character \\u200b (probably pasted "
            "in): delete it, or type the value again.",
        ),
        (
            "\ufeffRequires improvement",
            "Did you mean 'requires_improvement'? The value holds the invisible character \\ufeff "
            "(probably pasted in): delete it, or type the value again.",
        ),
        ("oth\u00ader", None),
    ],
)
def test_forgiven(written: object, hint: str | None) -> None:
    assert forgiven(written, ["good", "met", "requires_improvement"], {"good": "Good"}) == hint


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        (
            "RI",
            "Did you mean 'requires_improvement'? Reports show it as 'Requires improvement to be good', "
            "but the file uses its id: requires_improvement.",
        ),
        (
            "r.i.",
            "Did you mean 'requires_improvement'? Reports show it as 'Requires improvement to be good', "
            "but the file uses its id: requires_improvement.",
        ),
        (
            "RITBG",
            "Did you mean 'requires_improvement'? Reports show it as 'Requires improvement to be good', "
            "but the file uses its id: requires_improvement.",
        ),
        (
            "N/A",
            "Did you mean 'not_applicable'? Reports show it as 'Not applicable', but the file uses its id: "
            "not_applicable.",
        ),
        (
            "PLR",
            "Did you mean 'review'? Reports show it as 'Performance and learning review (PLR)', but the "
            "file uses its id: review.",
        ),
        (
            "PALR",
            "Did you mean 'review'? Reports show it as 'Performance and learning review (PLR)', but the "
            "file uses its id: review.",
        ),
        ("CP", None),  # "Child protection conference chair" or "Child protection plan": ambiguous
        (
            "CPCC",
            "Did you mean 'chair'? Reports show it as 'Child protection conference chair', but the "
            "file uses its id: chair.",
        ),
        ("G", None),  # one letter is no abbreviation
        ("RI2", None),
        ("R I", None),
    ],
)
def test_forgiven_abbreviation(written: str, hint: str | None) -> None:
    labels = {
        "good": "Good",
        "requires_improvement": "Requires improvement to be good",
        "not_applicable": "Not applicable",
        "review": "Performance and learning review (PLR)",
        "chair": "Child protection conference chair",
        "plan": "Child protection plan",
    }
    assert forgiven(written, list(labels), labels) == hint


def _table(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load((HINT_TABLES / name).read_text(encoding="utf-8"))
    return cases


DATES = [pytest.param(c["written"], c["hint"], id=c["written"]) for c in _table("dates.yaml")]
CHOICES = [pytest.param(c, id=c["id"]) for c in _table("choices.yaml")]


@pytest.mark.parametrize(("written", "hint"), DATES)
def test_date_hints(written: str, hint: str) -> None:
    assert date_hint(written) == hint


@pytest.mark.parametrize(("written", "hint"), DATES)
def test_date_hints_through_the_cli(cli: Callable[..., Any], tmp_path: Path, written: str, hint: str) -> None:
    text = (EXAMPLES / "ccc-cfa-2026-0311.yaml").read_text(encoding="utf-8")
    path = tmp_path / "audit.yaml"
    path.write_text(
        text.replace("review_date: 2026-11-03", f"review_date: {json.dumps(written)}", 1), "utf-8"
    )
    result = cli("validate", "--today", TODAY.isoformat(), str(path), expect=1)
    assert result.stdout == (
        f"{path}:13:14: error QA207 'review_date' is not a valid date: {written!r}.\n"
        f"    hint: {hint}\n"
        "Checked 1 file: 1 error and 0 warnings in 1 file.\n"
    )


def _changed(case: dict[str, Any], folder: Path) -> Path:
    text = (EXAMPLES / case["file"]).read_text(encoding="utf-8")
    for old, new in case["replace"].items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path = folder / case["file"]
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", CHOICES)
def test_choice_hints(case: dict[str, Any], registry: Registry, tmp_path: Path) -> None:
    path = _changed(case, tmp_path)
    result = check_audit(path, registry, options(), path.name)
    assert [(found([d])[0], d.hint) for d in result.diagnostics] == [(case["finding"], case["hint"])]


@pytest.mark.parametrize("case", CHOICES)
def test_choice_hints_through_the_cli(case: dict[str, Any], cli: Callable[..., Any], tmp_path: Path) -> None:
    path = _changed(case, tmp_path)
    result = cli("validate", "--today", TODAY.isoformat(), str(path), expect=1)
    where, finding = case["finding"].split(" ", 1)
    assert result.stdout == (
        f"{path}:{where}: {finding}\n    hint: {case['hint']}\n"
        "Checked 1 file: 1 error and 0 warnings in 1 file.\n"
    )


#: Findings about an item of a list, which name it in words, never as ``remedial_actions[1]``.
LIST_ITEMS = [
    "QA203-remedial-action-unknown-key.yaml",
    "QA205-added-value.yaml",
    "QA205-learning-area.yaml",
    "QA205-remedial-status.yaml",
    "QA206-remedial-action-text.yaml",
    "QA207-remedial-due.yaml",
]


@pytest.mark.parametrize("name", LIST_ITEMS)
def test_list_items_in_words_through_the_cli(cli: Callable[..., Any], name: str) -> None:
    path = INVALID / name
    result = cli("validate", "--today", TODAY.isoformat(), str(path), expect=1)
    shown = result.stdout.splitlines()[:-1]
    assert shown == [
        line
        for where, finding in (e.split(" ", 1) for e in header(path, EXPECT))
        for line in (f"{path}:{where}: {finding.split(HINT)[0]}", f"    hint: {finding.split(HINT)[1]}")
    ]
    assert not re.search(r"\[\d+\]", result.stdout)


def test_forgiving_hints_through_the_cli(cli: Callable[..., Any]) -> None:
    path = INVALID / "QA204-trailing-space.yaml"
    result = cli("validate", "--today", TODAY.isoformat(), str(path), expect=1)
    assert (
        "    hint: Did you mean 'good'? Delete the space after it. Use one of: good, met, "
        "requires_improvement.\n" in result.stdout
    )


@pytest.mark.parametrize("path", sorted(VALID.glob("*.yaml")), ids=lambda p: p.name)
def test_valid_audit(path: Path, registry: Registry) -> None:
    (grade,) = header(path, GRADE)
    result = check_audit(path, registry, options(), path.name)
    assert found(result.diagnostics) == []
    assert result.result is not None
    assert result.result.grade == grade


def test_enough_valid_audits() -> None:
    files = sorted(VALID.glob("*.yaml"))
    assert len(files) >= 6
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert any("standards: cafcass-qiam-2017" in t for t in texts)
    assert any("standards: ccc-practice-standards" in t for t in texts)


# -- Files that cannot carry a header ---------------------------------------------------------


def _empty(tmp: Path) -> Path:
    path = tmp / "empty.yaml"
    path.write_bytes(b"")
    return path


def _directory(tmp: Path) -> Path:
    path = tmp / "folder.yaml"
    path.mkdir()
    return path


def _broken_link(tmp: Path) -> Path:
    path = tmp / "link.yaml"
    path.symlink_to(tmp / "missing.yaml")
    return path


def _large(tmp: Path) -> Path:
    path = tmp / "large.yaml"
    path.write_bytes(b"audit_id: A\n" * 125)  # 1,500 bytes
    return path


def _nested(depth: int) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / f"nested-{depth}.yaml"
        path.write_text("standards: cafcass-qiam-2017\nnotes: " + "[" * depth + "]" * depth + "\n")
        return path

    return make


def _indented(depth: int) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / f"indented-{depth}.yaml"
        lines = "".join(" " * level + f"k{level}:\n" for level in range(depth))
        path.write_text("standards: cafcass-qiam-2017\nnotes:\n" + lines)
        return path

    return make


def _deep_after_shallow(tmp: Path) -> Path:
    path = tmp / "deep-after-shallow.yaml"
    shallow = "notes: [" + ", ".join(["[x]"] * 5_000) + "]\n"
    path.write_text("standards: cafcass-qiam-2017\n" + shallow + "deep: " + "[" * 3000 + "]" * 3000 + "\n")
    return path


DEEP = "The file nests lists or mappings more than 64 levels deep."
GENERATED = [
    ("empty-file", _empty, {}, ["1:1 error QA103 The file is empty: it holds no YAML data."]),
    (
        "directory",
        _directory,
        {},
        ["1:1 error QA110 The file could not be read: it is a folder, not an ordinary file."],
    ),
    (
        "broken-symlink",
        _broken_link,
        {},
        ["1:1 error QA110 The file could not be read: No such file or directory."],
    ),
    (
        "over-size-limit",
        _large,
        {"max_file_size": 1000},
        ["1:1 error QA108 The file is 1,500 bytes, over the limit of 1,000 bytes."],
    ),
    # Small files are walked by the node builder, ...
    ("nested-100-levels", _nested(100), {}, [f"2:72 error QA111 {DEEP}"]),
    # ... files that could nest deeply are checked from the event stream before composing, past
    # libyaml 0.2.6's own limit of 1,000 levels (regression: that limit used to give QA101) ...
    ("nested-1001-levels", _nested(1001), {}, [f"2:72 error QA111 {DEEP}"]),
    ("nested-20000-levels", _nested(20_000), {}, [f"2:72 error QA111 {DEEP}"]),
    # ... block nesting by indentation alone ...
    ("indented-1200-levels", _indented(1200), {}, [f"68:66 error QA111 {DEEP}"]),
    # ... and deep nesting after a long shallow start, where libyaml reads ahead.
    ("deep-after-shallow", _deep_after_shallow, {}, [f"3:71 error QA111 {DEEP}"]),
]


@pytest.mark.parametrize(
    ("make", "opts", "expected"),
    [pytest.param(make, opts, expected, id=name) for name, make, opts, expected in GENERATED],
)
def test_generated_file(
    make: Callable[[Path], Path],
    opts: dict[str, object],
    expected: list[str],
    registry: Registry,
    tmp_path: Path,
) -> None:
    path = make(tmp_path)
    result = check_audit(path, registry, options(**opts), path.name)
    assert found(result.diagnostics) == sorted(expected)


def test_depth_limit_does_not_depend_on_file_size(registry: Registry, tmp_path: Path) -> None:
    body = "standards: cafcass-qiam-2017\nnotes: " + "[" * 64 + "]" * 64 + "\n"
    small = tmp_path / "small.yaml"
    small.write_text(body)
    large = tmp_path / "large.yaml"
    large.write_text(body + "padding: [" + ", ".join(["[x]"] * 10_000) + "]\n")
    small_codes = {d.code for d in check_audit(small, registry, options(), "small.yaml").diagnostics}
    large_codes = {d.code for d in check_audit(large, registry, options(), "large.yaml").diagnostics}
    assert ("QA111" in small_codes) == ("QA111" in large_codes)


@pytest.mark.parametrize("limit", [100, 1000])
def test_depth_finding_does_not_depend_on_the_parser_limit(
    limit: int, registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parser with a nesting limit of its own stops while reading ahead, before it has passed
    our limit to us (libyaml 0.2.6 stops at 1,000 levels); the file still gets our QA111, at the
    same place as with a parser that has no limit."""
    real = loader._Composer

    class LimitedComposer(real):  # type: ignore[misc,valid-type]
        def __init__(self, stream: bytes) -> None:
            super().__init__(stream)
            text = stream.decode("utf-8")
            self._limit_at = None
            if text.count("[") > limit:
                index = [i for i, c in enumerate(text) if c == "["][limit]
                line, column = text.count("\n", 0, index), index - text.rfind("\n", 0, index) - 1
                self._limit_at = yaml.Mark("", index, line, column, None, None)
            self._levels = 0

        def get_event(self) -> yaml.Event:
            event = super().get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                self._levels += 1
                if self._limit_at is not None and self._levels > 30:
                    raise yaml.scanner.ScannerError(
                        "while increasing flow level", None, "exceeded maximum nesting depth", self._limit_at
                    )
            return event

    monkeypatch.setattr(loader, "_Composer", LimitedComposer)
    path = _nested(5000)(tmp_path)
    result = check_audit(path, registry, options(), path.name)
    assert found(result.diagnostics) == [f"2:72 error QA111 {DEEP}"]


@pytest.mark.parametrize(
    ("tag", "target"),
    [
        ("!!python/object/apply:builtins.open [{target}, w]", "opened.txt"),
        ("!!python/object/apply:os.mkdir [{target}]", "made"),
        ("!!python/object/new:pathlib.Path.touch [{target}]", "touched.txt"),
    ],
    ids=["open", "mkdir", "touch"],
)
def test_python_tags_are_never_constructed(tag: str, target: str, registry: Registry, tmp_path: Path) -> None:
    created = tmp_path / target
    example = (DATA / "valid" / "cafcass-outstanding.yaml").read_text(encoding="utf-8")
    text = example.replace("reviewer: Daniel Okafor", "reviewer: " + tag.format(target=f"'{created}'"))
    assert text != example
    path = tmp_path / "tagged.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("reviewer:"))
    shown = tag.split(" ")[0]
    result = check_audit(path, registry, options(), path.name)
    assert found(result.diagnostics) == [
        f"{line}:11 error QA106 The YAML tag '{shown}' is not allowed in audit files."
    ]
    assert not created.exists()


# -- Standards files ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", data_files(STANDARDS_INVALID, STANDARDS_BUGS))
def test_invalid_standards_file(path: Path) -> None:
    expected = sorted(header(path, EXPECT))
    assert expected, f"{path.name} has no '{EXPECT}' lines"
    assert all(HINT in line for line in expected), f"{path.name}: an expectation without '{HINT.strip()}'"
    framework, diagnostics = check_file(path)
    assert found_with_hints(diagnostics) == expected
    assert framework is None


@pytest.mark.parametrize("path", data_files(STANDARDS_WARNINGS, STANDARDS_BUGS))
def test_standards_file_with_warnings(path: Path) -> None:
    expected = sorted(header(path, EXPECT))
    assert expected, f"{path.name} has no '{EXPECT}' lines"
    assert all(line.split()[1] == "warning" for line in expected)
    assert all(HINT in line for line in expected), f"{path.name}: an expectation without '{HINT.strip()}'"
    framework, diagnostics = check_file(path)
    assert found_with_hints(diagnostics) == expected
    assert framework is not None


def test_mini_framework_is_valid() -> None:
    framework, diagnostics = check_file(MINI)
    assert diagnostics == []
    assert framework is not None
    assert framework.id == "mini-practice"
    assert [g.id for g in framework.spec.groups] == ["safety", "quality"]
    assert list(framework.rating_rank) == ["strong", "adequate", "weak"]
    assert list(framework.grade_rank) == ["good", "fair", "poor"]


@pytest.fixture(scope="module")
def mini_registry() -> Registry:
    return Registry([STANDARDS_VALID, bundled_dir()])


@pytest.mark.parametrize("path", sorted(STANDARDS_AUDITS.glob("*.yaml")), ids=lambda p: p.name)
def test_audit_of_mini_framework(path: Path, mini_registry: Registry) -> None:
    (grade,) = header(path, GRADE)
    result = check_audit(path, mini_registry, options(), path.name)
    assert found(result.diagnostics) == []
    assert result.framework is not None
    assert result.framework.id == "mini-practice"
    assert result.result is not None
    assert result.result.grade == grade


def test_mini_framework_constraint(mini_registry: Registry, tmp_path: Path) -> None:
    text = (STANDARDS_AUDITS / "mini-good.yaml").read_text(encoding="utf-8")
    bad = text.replace(
        "visits: {rating: adequate, visited: true,", "visits: {rating: adequate, visited: false,"
    )
    assert bad != text
    path = tmp_path / "mini-not-visited.yaml"
    path.write_text(bad, encoding="utf-8")
    result = check_audit(path, mini_registry, options(), path.name)
    assert found(result.diagnostics) == [
        "13:20 error QA301 'The child is visited' is rated adequate: A child who was not visited, "
        "with no reason recorded, can only be rated weak."
    ]


def test_duplicate_framework_id(tmp_path: Path) -> None:
    folder = tmp_path / "standards"
    folder.mkdir()
    shutil.copy(MINI, folder / "a-first.yaml")
    shutil.copy(MINI, folder / "b-second.yaml")
    registry = Registry([folder])
    assert registry.ids() == ["mini-practice"]
    assert [(str(d.location), d.severity.value, d.code, d.message) for d in registry.shadowed] == [
        (
            f"{folder / 'b-second.yaml'}:4:5",
            "warning",
            "QA504",
            f"The framework id 'mini-practice' is also declared in {folder / 'a-first.yaml'}, which wins.",
        )
    ]
    framework = registry.get("mini-practice")
    assert framework is not None
    assert framework.source == str(folder / "a-first.yaml")


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        # Leaving out the rule that acts on immediate safeguarding actions: a warning.
        (
            lambda text: (
                text[: text.index("  - id: immediate_safeguarding")]
                + text[text.index("  - id: practice_supervisor") :]
            ),
            [
                "493:1 warning QA505 Audits record immediate safeguarding actions "
                "('immediate_safeguarding_actions.required'), but no escalation rule acts on them, so an "
                "audit that needs them is never escalated."
            ],
        ),
        # A rule that acts on them, however deeply its condition nests it: no finding.
        (
            lambda text: text.replace(
                "    when:\n      field: immediate_safeguarding_actions.required\n",
                "    when:\n      any_of:\n        - not: {field: case.law_type, equals: adoption}\n"
                "        - field: immediate_safeguarding_actions.required\n",
            ).replace("      equals: true\n      label:", "          equals: true\n          label:"),
            [],
        ),
    ],
    ids=["no-rule", "nested-rule"],
)
def test_safeguarding_flag_must_be_escalated(edit: Callable[[str], str], expected: list[str]) -> None:
    from qaimpact.base.loader import load_bytes
    from qaimpact.frameworks.check import check_document

    text = (bundled_dir() / "cafcass-qiam-2017.yaml").read_text(encoding="utf-8")
    edited = edit(text)
    assert edited != text
    framework, diagnostics = check_document(load_bytes(edited.encode(), "cafcass.yaml"))
    assert found(diagnostics) == expected
    assert framework is not None  # a warning: the framework still loads


def test_rules_with_a_gap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "standards"
    folder.mkdir()
    text = MINI.read_text(encoding="utf-8")
    last_rule = "    otherwise: true\n"
    assert last_rule in text
    narrowed = "    when: {standards: all, rated: weak, count: all}\n"
    (folder / "mini.yaml").write_text(text.replace(last_rule, narrowed), encoding="utf-8")
    # standards check finds the gap, and the framework is refused (QA211 on its audits).
    framework, diagnostics = check_file(folder / "mini.yaml")
    assert framework is None
    assert [d.code for d in diagnostics] == ["QA503", "QA508"]
    # Where the rules are too many to decide (nothing is then reported), validate still says
    # QA503 on each audit no rule grades.
    from qaimpact.grading import coverage

    monkeypatch.setattr(coverage, "MAX_KINDS", 0)
    registry = Registry([folder, bundled_dir()])
    # One standard weak: neither 'poor' (two weak), 'good' (none weak) nor 'fair' (all weak) holds.
    fair = STANDARDS_AUDITS / "mini-fair.yaml"
    result = check_audit(fair, registry, options(), fair.name)
    assert found(result.diagnostics) == [
        "17:16 error QA503 No threshold rule of 'mini-practice' holds for these ratings, so no grade "
        "can be computed."
    ]
    assert result.result is None
    # Audits the remaining rules do cover are still graded.
    good = STANDARDS_AUDITS / "mini-good.yaml"
    graded = check_audit(good, registry, options(), good.name)
    assert graded.diagnostics == []
    assert graded.result is not None
    assert graded.result.grade == "good"


# -- Coverage of the catalogue ------------------------------------------------------------------


def test_every_code_has_a_case() -> None:
    covered = set(EXPLICIT_CODES)
    for folder in (INVALID, STANDARDS_INVALID, STANDARDS_WARNINGS):
        for path in folder.glob("*.yaml"):
            covered.update(line.split()[2] for line in header(path, EXPECT))
    assert sorted(set(CODES) - covered) == []


def test_range_errors_state_the_range() -> None:
    from qaimpact.base.loader import load_bytes
    from qaimpact.frameworks.check import check_document
    from qaimpact.frameworks.registry import bundled_dir

    text = (bundled_dir() / "cafcass-qiam-2017.yaml").read_text(encoding="utf-8")
    _, found = check_document(
        load_bytes(text.replace("  max_points: 3", "  max_points: 0").encode(), "s.yaml")
    )
    assert [(d.code, d.hint) for d in found] == [("QA209", "Use a number at least 1.")]


@pytest.mark.parametrize(
    ("path", "written"),
    [
        (["score"], "12.50"),
        (["flags", 1], "True"),
        (["flags", 0], "~"),
        (["name"], "Jo 'Jay' Bloggs"),
        (["flags"], None),  # a list, not a single value
        (["flags", 2], None),  # past the end of the list
        (["missing"], None),
        (["score", "deeper"], None),
    ],
)
def test_a_value_is_given_as_the_file_writes_it(path: list[Any], written: str | None) -> None:
    doc = loader.load_bytes(b"score: 12.50\nflags: [~, True]\nname: \"Jo 'Jay' Bloggs\"\n", "f.yaml")
    assert doc.written(path) == written


#: The block-indentation bound as first written, one ``(?m)^`` search: the loader now matches the
#: first line and searches after each line break instead (the same lines, at a tenth of the cost).
_MULTILINE_BLOCK_PREFIX = re.compile(rb"(?m)^[ \t?:-]{64,}")


@pytest.mark.parametrize(
    "raw",
    [
        b"a: 1\n" * 40,
        b" " * 64 + b"a: 1\n" + b"b: 2\n" * 30,  # the first line
        b" " * 63 + b"a: 1\n" + b"b: 2\n" * 30,  # one space short
        b"a: 1\n" * 30 + b"- " * 32 + b"x\n",  # indicators after a line break
        b"a: 1\r\n" * 30 + b" \t?:-" * 13 + b"x\r\n",  # Windows line breaks
        b"a: 1\r" * 30 + b" " * 70 + b"x\r",  # old Mac line breaks are not lines to either
        b"a: '" + b" " * 100 + b"'\n" + b"b: 2\n" * 30,  # spaces inside a line, not at its start
        b"a: 1\n" * 30 + b"\n" + b" " * 64,  # the last line, with no line break after it
        b"a: [1]\n" * 130,  # many brackets
    ],
)
def test_the_depth_bound_reads_the_lines_it_always_read(raw: bytes) -> None:
    brackets = raw.count(b"[") + raw.count(b"{") >= 128
    expected = len(raw) >= 128 and (brackets or _MULTILINE_BLOCK_PREFIX.search(raw) is not None)
    assert loader._could_nest_deeply(raw) is expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "notes:\n  a: 1\n  b: 2\n  a: 3\n  a: 4\n",
            "5:3 error QA105 The key 'a' appears twice in this block (first at line 3).",
        ),
        (
            "notes:\n- x: 1\n  '1': 2\n  1: 3\n",
            "5:3 error QA105 The key '1' appears twice in this block (first at line 4).",
        ),
        (
            "notes:\n  x: 1\n  <<: {y: 2}\n",
            "4:3 error QA111 Merge keys ('<<') are not supported in audit files.",
        ),
        (
            "notes:\n  '<<': 1\n  <<: 2\n",
            "4:3 error QA111 Merge keys ('<<') are not supported in audit files.",
        ),
        ("notes:\n  !!merge m: 1\n", "3:3 error QA111 Merge keys ('<<') are not supported in audit files."),
        ("notes:\n  [a]: 1\n", "3:3 error QA111 A key must be plain text, not a list or a block."),
        (
            "notes:\n  !!binary aGk=: 1\n",
            "3:3 error QA106 The YAML tag '!!binary' is not allowed in audit files.",
        ),
        ("notes:\n  - !!set {a}\n", "3:5 error QA106 The YAML tag '!!set' is not allowed in audit files."),
    ],
)
@pytest.mark.parametrize("anchored", [False, True], ids=["no-anchor", "anchor"])
def test_a_file_with_anchors_is_refused_as_one_without(body: str, expected: str, anchored: bool) -> None:
    """Files without an anchor (and so without aliases) are built on a shorter path: it refuses
    what the path for files with aliases refuses, at the same place, with the same words."""
    text = "standards: cafcass-qiam-2017\n" + body + ("other: &x 1\n" if anchored else "")
    with pytest.raises(loader.LoadError) as caught:
        loader.load_bytes(text.encode(), "f.yaml")
    assert found([caught.value.diagnostic]) == [expected]


def test_plain_text_is_read_alike_with_and_without_anchors() -> None:
    text = "a: x\nb: [y, 'z', 1, ~, true, 2026-01-02]\nc: {d: e, '1': f, 2: g}\n"
    plain = loader.load_bytes(text.encode(), "f.yaml").data
    assert plain == {
        "a": "x",
        "b": ["y", "z", 1, None, True, "2026-01-02"],
        "c": {"d": "e", "1": "f", "2": "g"},
    }
    anchored = text + "h: &x [i]\nj: *x\n"
    assert loader.load_bytes(anchored.encode(), "f.yaml").data == {**plain, "h": ["i"], "j": ["i"]}

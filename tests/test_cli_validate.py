"""The command line: validate, grade, explain and standards, their output and exit codes."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, HEADLINE, TODAY
from qaimpact.frameworks.registry import bundled_dir

INVALID = DATA / "invalid"
STANDARDS = DATA / "standards"
MINI_AUDIT = STANDARDS / "audits" / "mini-good.yaml"
BROKEN_MINI = STANDARDS / "invalid" / "QA502-threshold-unknown-grade.yaml"

DIAGNOSTIC_LINE = re.compile(
    r"^(?P<file>\S.*):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning) QA\d{3} \S.*$"
)
HINT_LINE = re.compile(r"^    hint: \S.*$")
JSON_KEYS = {"file", "line", "column", "severity", "code", "name", "message", "hint"}
#: A few invalid files: errors and warnings, audit and YAML problems, both frameworks.
SOME_INVALID = [
    "QA101-colon-in-text.yaml",
    "QA204-ccc-met.yaml",
    "QA301-not-seen-rated-good.yaml",
    "QA404-future-review-date.yaml",
]


def run(cli: Callable[..., Any], *args: object, expect: int) -> Any:
    out = cli(*map(str, args), expect=expect)
    assert "Traceback" not in out.stdout
    assert "Traceback" not in out.stderr
    return out


def expectations(path: Path) -> list[tuple[str, str]]:
    """The ``# expect:`` lines of a data file: ``LINE:COL SEVERITY CODE MESSAGE`` and the hint."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# expect: "):
            finding, hint = line[len("# expect: ") :].split(" | hint: ")
            lines.append((finding, hint))
    return lines


@pytest.fixture
def invalid_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "audits"
    folder.mkdir()
    for name in SOME_INVALID:
        shutil.copy(INVALID / name, folder / name)
    return folder


# -- validate ----------------------------------------------------------------------------------


def test_validate_examples(cli: Callable[..., Any]) -> None:
    out = run(cli, "validate", "--today", TODAY.isoformat(), *HEADLINE, expect=0)
    assert out.stdout == "Checked 2 files: no problems found.\n"


def test_validate_folder_of_invalid_files(cli: Callable[..., Any], invalid_folder: Path) -> None:
    out = run(cli, "validate", "--today", TODAY.isoformat(), invalid_folder, expect=1)
    lines = out.stdout.splitlines()
    assert lines[-1] == "Checked 4 files: 3 errors and 1 warning in 4 files."
    body = lines[:-1]
    for i, line in enumerate(body):
        if DIAGNOSTIC_LINE.match(line):
            assert HINT_LINE.match(body[i + 1]), f"no hint after {line!r}"
        else:
            assert HINT_LINE.match(line), line
    expected = []
    for name in SOME_INVALID:
        for item, hint in expectations(INVALID / name):
            position, severity, code, message = item.split(" ", 3)
            expected += [
                f"{invalid_folder / name}:{position}: {severity} {code} {message}",
                f"    hint: {hint}",
            ]
    assert body == expected


def test_validate_json(cli: Callable[..., Any], invalid_folder: Path) -> None:
    out = run(cli, "validate", "--format", "json", "--today", TODAY.isoformat(), invalid_folder, expect=1)
    items = json.loads(out.stdout)
    assert len(items) == 4
    for item in items:
        assert set(item) == JSON_KEYS
    found = sorted(
        (
            f"{Path(i['file']).name} {i['line']}:{i['column']} {i['severity']} {i['code']} {i['message']}",
            i["hint"],
        )
        for i in items
    )
    expected = sorted(
        (f"{name} {item}", hint) for name in SOME_INVALID for item, hint in expectations(INVALID / name)
    )
    assert found == expected
    assert {i["name"] for i in items} == {
        "yaml-syntax",
        "invalid-rating",
        "rating-not-allowed",
        "future-review-date",
    }


def test_validate_json_of_valid_files_is_an_empty_list(cli: Callable[..., Any]) -> None:
    out = run(cli, "validate", "--format", "json", "--today", TODAY.isoformat(), *HEADLINE, expect=0)
    assert json.loads(out.stdout) == []


@pytest.mark.parametrize(("strict", "code"), [((), 0), (("--strict",), 1)], ids=["default", "strict"])
def test_strict_fails_on_warnings(cli: Callable[..., Any], strict: tuple[str, ...], code: int) -> None:
    path = INVALID / "QA404-future-review-date.yaml"
    out = run(cli, "validate", *strict, "--today", TODAY.isoformat(), path, expect=code)
    assert f"{path}:11:14: warning QA404 The review date 2062-10-14 is in the future" in out.stdout
    assert out.stdout.splitlines()[-1] == "Checked 1 file: 0 errors and 1 warning in 1 file."


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif", "github"])
@pytest.mark.parametrize(("audits", "code"), [("valid", 0), ("invalid", 1)])
def test_output_file_is_noted_once_written(
    cli: Callable[..., Any], invalid_folder: Path, tmp_path: Path, fmt: str, audits: str, code: int
) -> None:
    # validate -o FILE says it wrote the file, as every other command does, in the same words;
    # standard output and the exit code are as without the note.
    paths = [invalid_folder] if audits == "invalid" else HEADLINE
    target = tmp_path / f"report.{fmt}"
    args = ("validate", "--today", TODAY.isoformat(), "--format", fmt, *paths)
    run(cli, *args, "-o", target, expect=code)
    written = run(cli, *args, "-o", target, expect=code)  # again: the earlier report is replaced
    assert target.is_file()
    note = f"note: wrote {target}\n"
    assert written.stderr.count(note) == 1
    plain = run(cli, *args, expect=code)
    assert written.stderr.replace(note, "") == plain.stderr
    assert "wrote" not in written.stdout
    if fmt == "text":  # the findings still stream to the terminal, and the file holds the same
        assert written.stdout == plain.stdout == target.read_text(encoding="utf-8")


def test_output_file_refused_is_not_noted(cli: Callable[..., Any], tmp_path: Path) -> None:
    target = tmp_path / "notes.json"
    target.write_text("my notes\n", encoding="utf-8")
    out = run(
        cli, "validate", "--today", TODAY.isoformat(), "--format", "json", *HEADLINE, "-o", target, expect=2
    )
    assert out.stderr.startswith(f"error: --output '{target}' already exists and is not an earlier")
    assert "wrote" not in out.stderr
    assert target.read_text(encoding="utf-8") == "my notes\n"


VALIDATE_WRITES = (
    "which qaimpact validate cannot write: it writes text, JSON, JUnit XML, SARIF or GitHub "
    "annotations (--format)."
)
TO_EXCEL = (
    " For a spreadsheet, write JSON (-o NAME.json) and open it in Excel with Data > Get Data > From File > "
    "From JSON."
)
TO_READ = " To read the findings, write them to a text file (-o NAME.txt)."


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "findings.pdf",
            f"names a PDF document, {VALIDATE_WRITES} For a PDF, write the findings to a text file "
            "(-o NAME.txt), open it in a text editor and print it to PDF.",
        ),
        (
            "FINDINGS.PDF",
            f"names a PDF document, {VALIDATE_WRITES} For a PDF, write the findings to a text file "
            "(-o NAME.txt), open it in a text editor and print it to PDF.",
        ),
        (
            "findings.docx",
            f"names a Word document, {VALIDATE_WRITES} For a Word document, write the findings to a text "
            "file (-o NAME.txt) and open it in Word.",
        ),
        (
            "findings.odt",
            f"names a word-processor document, {VALIDATE_WRITES} For a Word document, write the findings "
            "to a text file (-o NAME.txt) and open it in Word.",
        ),
        ("findings.xls", f"names an Excel 97-2003 workbook, {VALIDATE_WRITES}{TO_EXCEL}"),
        ("findings.xlsx", f"names an Excel workbook, {VALIDATE_WRITES}{TO_EXCEL}"),
        ("findings.csv", f"names a CSV file, {VALIDATE_WRITES}{TO_EXCEL}"),
        ("findings.md", f"names a Markdown file, {VALIDATE_WRITES}{TO_READ}"),
        ("findings.html", f"names a web page, {VALIDATE_WRITES}{TO_READ}"),
    ],
)
@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_validate_output_named_for_a_kind_it_cannot_write_is_refused(
    cli: Callable[..., Any], tmp_path: Path, name: str, message: str, fmt: str, existing: bool
) -> None:
    # Text or JSON saved as findings.pdf is a file that a PDF reader cannot open; the report
    # commands refuse such names, and validate wrote into them. Neither created nor replaced,
    # even with --force.
    target = tmp_path / name
    if existing:
        target.write_bytes(b"%PDF-1.7 the board's paper\n")
    args = ("validate", "--today", TODAY.isoformat(), "--format", fmt, "-o", target, "--force", *HEADLINE)
    out = run(cli, *args, expect=2)
    assert out.stderr == f"error: -o {target} {message}\n"
    assert out.stdout == ""
    if existing:
        assert target.read_bytes() == b"%PDF-1.7 the board's paper\n"
    else:
        assert not target.exists()


@pytest.mark.parametrize("paths", [["nowhere.yaml"], ["-"]], ids=["missing", "stdin"])
def test_validate_output_name_is_refused_before_any_audit_is_read(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, paths: list[str]
) -> None:
    # A usage error found in the command line comes before the audits are looked for or read:
    # not a missing audit's error, nor a wait for standard input.
    monkeypatch.chdir(tmp_path)
    from qaimpact.cli import validate

    def not_read() -> bytes:
        raise AssertionError("standard input was read")

    monkeypatch.setattr(validate, "read_stdin", not_read)
    out = run(cli, "validate", "-o", "board.pdf", *paths, expect=2)
    assert out.stderr.startswith("error: -o board.pdf names a PDF document, which qaimpact validate cannot")
    assert not (tmp_path / "board.pdf").exists()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("report.txt", "text"),
        ("report", "text"),
        ("out.json", "json"),
        ("junit.xml", "junit"),
        ("results.sarif", "sarif"),
        ("annotations.txt", "github"),
    ],
)
def test_validate_output_names_of_its_formats_are_written(
    cli: Callable[..., Any], tmp_path: Path, name: str, fmt: str
) -> None:
    target = tmp_path / name
    args = ("validate", "--today", TODAY.isoformat(), "--format", fmt, "-o", target, *HEADLINE)
    out = run(cli, *args, expect=0)
    assert out.stderr == f"note: wrote {target}\n"
    assert target.is_file()


def test_note_written(capsys: pytest.CaptureFixture[str]) -> None:
    from qaimpact.cli.output import note_written

    note_written(Path("reports") / "audits.sarif")
    assert capsys.readouterr().err == f"note: wrote {Path('reports') / 'audits.sarif'}\n"


def test_validate_missing_path(cli: Callable[..., Any], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    out = run(cli, "validate", missing, expect=2)
    assert f"'{missing}' does not exist" in out.stderr
    assert out.stdout == ""


def _broken_copy(folder: Path, framework_id: str) -> Path:
    text = BROKEN_MINI.read_text(encoding="utf-8")
    path = folder / "broken.yaml"
    path.write_text(text.replace("id: mini-practice", f"id: {framework_id}"), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("framework_id", "audits"),
    [("mini-practice", MINI_AUDIT), ("cafcass-qiam-2017", EXAMPLES)],
    ids=["own-framework", "overrides-bundled"],
)
def test_broken_standards_folder(
    cli: Callable[..., Any], tmp_path: Path, framework_id: str, audits: Path
) -> None:
    folder = tmp_path / "standards"
    folder.mkdir()
    broken = _broken_copy(folder, framework_id)
    out = run(cli, "validate", "--standards", folder, "--today", TODAY.isoformat(), audits, expect=3)
    # Reported once, at its file:line:col; tests/test_exit_codes.py checks the whole message.
    assert (
        out.stderr.count(f"{broken}:52:12: error QA502 'grade' of threshold rule 3 names the grade 'average'")
        == 1
    )
    assert f"error QA211 The framework '{framework_id}' cannot be used: {broken} has errors" in out.stdout


def test_own_standards_folder(cli: Callable[..., Any]) -> None:
    out = run(
        cli,
        "validate",
        "--standards",
        STANDARDS / "valid",
        "--today",
        TODAY.isoformat(),
        STANDARDS / "audits",
        expect=0,
    )
    assert out.stdout == "Checked 3 files: no problems found.\n"


# -- grade -------------------------------------------------------------------------------------


def test_grade_of_invalid_file(cli: Callable[..., Any]) -> None:
    path = INVALID / "QA204-ccc-met.yaml"
    out = run(cli, "grade", "--today", TODAY.isoformat(), path, expect=1)
    assert "Not graded: the audit has errors." in out.stdout
    assert (
        f"{path}:22:13: error QA204 'met' is not a rating on this framework's scale for "
        "'practice_standards.assessment' (Assessment)." in out.stdout
    )


@pytest.mark.parametrize(
    ("path", "code", "grade"),
    [
        (DATA / "valid" / "ccc-inadequate.yaml", 0, "inadequate"),
        (INVALID / "QA404-future-review-date.yaml", 0, "good"),
        (INVALID / "QA309-period-reversed.yaml", 1, None),
    ],
    ids=["valid", "warning", "invalid"],
)
def test_grade_json(cli: Callable[..., Any], path: Path, code: int, grade: str | None) -> None:
    out = run(cli, "grade", "--format", "json", "--today", TODAY.isoformat(), path, expect=code)
    (item,) = json.loads(out.stdout)
    assert {"file", "grade", "recorded_grade", "rationale", "to_next_grade", "diagnostics"} <= set(item)
    assert item["file"] == str(path)
    assert item["grade"] == grade
    assert isinstance(item["rationale"], list)
    assert [(d["line"], d["column"], d["code"]) for d in item["diagnostics"]] == [
        (int(e.split(":")[0]), int(e.split(":")[1].split()[0]), e.split()[2]) for e, _ in expectations(path)
    ]
    for diag in item["diagnostics"]:
        assert set(diag) == JSON_KEYS
    if grade is None:
        assert item["rationale"] == []
        assert item["to_next_grade"] is None
    else:
        assert item["rationale"]
        assert item["recorded_grade"] == grade


# -- explain -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["QA204", "invalid-rating", "qa204", "204", " 204 "])
def test_explain(cli: Callable[..., Any], code: str) -> None:
    out = run(cli, "explain", code, expect=0)
    assert "A rating that is not on the framework's scale" in out.stdout
    assert "QA204" in out.stdout


@pytest.mark.parametrize("code", ["QA999", "999"])
def test_explain_unknown_code(cli: Callable[..., Any], code: str) -> None:
    out = run(cli, "explain", code, expect=2)
    assert out.stderr == (
        f"error: Unknown code '{code}'. Give a code as validate's messages show it, such as QA204, "
        "or its name, such as invalid-rating.\n"
    )


# -- standards ---------------------------------------------------------------------------------


def test_standards_list(cli: Callable[..., Any]) -> None:
    out = run(cli, "standards", "list", expect=0)
    assert "cafcass-qiam-2017" in out.stdout
    assert "ccc-practice-standards" in out.stdout


def test_standards_list_duplicate_id(cli: Callable[..., Any], tmp_path: Path) -> None:
    folder = tmp_path / "standards"
    folder.mkdir()
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(STANDARDS / "valid" / "mini.yaml", folder / name)
    out = run(cli, "standards", "list", "--standards", folder, expect=0)
    assert "mini-practice" in out.stdout
    assert "QA504" in out.stdout + out.stderr


def test_standards_show(cli: Callable[..., Any]) -> None:
    out = run(cli, "standards", "show", "cafcass-qiam-2017", expect=0)
    assert "Child seen" in out.stdout


def test_standards_show_unknown(cli: Callable[..., Any]) -> None:
    out = run(cli, "standards", "show", "cafcass-2017", expect=2)
    assert "Did you mean 'cafcass-qiam-2017'?" in out.stderr


def test_standards_check_bundled(cli: Callable[..., Any]) -> None:
    out = run(cli, "standards", "check", expect=0)
    assert "cafcass-qiam-2017" in out.stdout
    assert "ccc-practice-standards" in out.stdout


def test_standards_check_valid_file(cli: Callable[..., Any]) -> None:
    out = run(cli, "standards", "check", STANDARDS / "valid" / "mini.yaml", expect=0)
    assert "ok (mini-practice 1)" in out.stdout


@pytest.mark.parametrize(
    ("name", "line", "why", "hint"),
    [
        # Regression: past 20,000 kinds of audit the check said "ok", as if it had found no gap.
        (
            "QA510-too-many-kinds-to-check.yaml",
            34,
            "they tell apart 65,536 kinds of audit, more than the 20,000 the check grades.",
            "Rules that name groups, or all standards, rather than single standards tell fewer kinds apart.",
        ),
        # Regression: every way of filling in the fields the rules read was tried first, so
        # rules reading twenty yes/no fields kept every command busy for hours.
        (
            "QA510-too-many-fields-to-check.yaml",
            39,
            "the fields they read can be filled in 32,768 ways, more than the 20,000 the check tries.",
            "Rules that read fewer fields of the audit leave fewer ways to try.",
        ),
    ],
)
def test_standards_check_says_when_the_rules_are_too_many_to_check(
    cli: Callable[..., Any], name: str, line: int, why: str, hint: str
) -> None:
    path = STANDARDS / "warnings" / name
    out = run(cli, "standards", "check", path, expect=0)
    assert out.stdout == (
        f"{path}:{line}:1: warning QA510 The threshold rules were not checked for audits no rule "
        f"grades (QA503) or rules that never decide a grade (QA508): {why}\n"
        f"    hint: Check the rules by grading sample audits (qaimpact grade). {hint}\n"
    )


def test_standards_check_says_when_the_rules_are_too_long_to_check(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regression: each kind was graded by every condition of the rules, however many: rules
    # naming 10,000 values of one field kept every command that loads the framework busy for
    # hours. The bound is lowered here so that a small framework meets it.
    from qaimpact.grading import coverage

    monkeypatch.setattr(coverage, "MAX_CONDITIONS", 10)
    path = STANDARDS / "valid" / "mini.yaml"
    out = run(cli, "standards", "check", path, expect=0)
    assert out.stdout == (
        f"{path}:42:1: warning QA510 The threshold rules were not checked for audits no rule "
        "grades (QA503) or rules that never decide a grade (QA508): they tell apart 15 kinds of "
        "audit, and the rules hold 4 conditions: grading every kind would evaluate 60 conditions, "
        "more than the 10 the check evaluates.\n"
        "    hint: Check the rules by grading sample audits (qaimpact grade). Shorter rules, naming "
        "fewer values, take less to check.\n"
    )


def test_standards_check_knows_facts_an_agreement_refuses(cli: Callable[..., Any]) -> None:
    # Regression: an audit no rule grades, whose facts contradict an agreement (QA319), was
    # reported as a gap (QA503) and the framework refused.
    path = STANDARDS / "coverage" / "agreed-facts-leave-no-gap.yaml"
    out = run(cli, "standards", "check", path, expect=0)
    assert out.stdout == f"{path}: ok (mini-looked-after 1)\n"


def test_standards_check_broken_file(cli: Callable[..., Any]) -> None:
    out = run(cli, "standards", "check", BROKEN_MINI, expect=3)
    assert (
        f"{BROKEN_MINI}:52:12: error QA502 'grade' of threshold rule 3 names the grade 'average', which "
        "this file does not define." in out.stdout
    )


def test_standards_check_of_a_folder_checks_each_file_in_it(cli: Callable[..., Any], tmp_path: Path) -> None:
    # Regression (a review): a folder was refused as "not an ordinary file", with a hint about audits.
    shutil.copy(STANDARDS / "valid" / "mini.yaml", tmp_path / "mini.yaml")
    _broken_copy(tmp_path, "mini-practice")
    out = run(cli, "standards", "check", tmp_path, expect=3)
    assert "QA110" not in out.stdout
    assert f"{tmp_path / 'mini.yaml'}: ok (mini-practice 1)" in out.stdout
    assert "QA502" in out.stdout


def test_standards_check_of_an_empty_folder_says_so(cli: Callable[..., Any], tmp_path: Path) -> None:
    out = run(cli, "standards", "check", tmp_path, expect=2)
    assert out.stderr == (
        f"error: '{tmp_path}' holds no standards file (*.yaml or *.yml): name one, or a folder of them.\n"
    )


def test_standards_check_broken_folder(cli: Callable[..., Any], tmp_path: Path) -> None:
    folder = tmp_path / "standards"
    folder.mkdir()
    _broken_copy(folder, "mini-practice")
    out = run(cli, "standards", "check", "--standards", folder, expect=3)
    assert "QA502" in out.stdout


@pytest.mark.parametrize(
    "twice",
    [
        ["{d}", "{d}"],
        ["{d}", "{d}/ccc-cfa-2026-0311.yaml"],
        ["{d}/../audits", "{d}"],
    ],
    ids=["folder-twice", "folder-and-file", "another-spelling"],
)
def test_a_file_reached_twice_is_read_once(cli, twice):
    """Found by a new-user check: `--audits X --audits X` counted every audit twice."""
    folder = DATA / "output-provenance" / "audits"
    paths = [p.format(d=folder) for p in twice]
    assert cli("validate", *paths).stdout.splitlines()[-1] == "Checked 2 files: no problems found."
    args = [a for p in paths for a in ("--audits", p)]
    out = cli("summary", *args, "--today", "2026-11-22", "-f", "json").stdout
    assert json.loads(out)["audits"] == 2


def _ccc_with_good_before_outstanding(folder: Path) -> Path:
    text = (bundled_dir() / "ccc-practice-standards.yaml").read_text(encoding="utf-8")
    outstanding = text.index("  - grade: outstanding\n")
    good = text.index("  - grade: good\n")
    end = text.index("\n# -- The quality assurance cycle")
    swapped = text[:outstanding] + text[good:end] + "\n" + text[outstanding:good].rstrip("\n") + text[end:]
    assert swapped.index("  - grade: good\n") < swapped.index("  - grade: outstanding\n")
    path = folder / "ccc-practice-standards.yaml"
    path.write_text(swapped, encoding="utf-8")
    return path


def test_a_framework_whose_good_rule_shadows_outstanding_is_refused(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    # Regression (a review): with the good rule before the outstanding one, check said ok and an
    # all-outstanding audit was graded good; now check refuses it, and so do validate and grade.
    standards = tmp_path / "standards"
    standards.mkdir()
    path = _ccc_with_good_before_outstanding(standards)
    checked = run(cli, "standards", "check", path, expect=3)
    assert (
        "error QA508 Threshold rule 4 (Outstanding) can never decide a grade: whenever it holds, rule 3 "
        "(Good) holds first, so no audit can be graded Outstanding." in checked.stdout
    )
    audit = EXAMPLES / "service" / "ccc" / "CFA-2025-0298.yaml"
    graded = run(cli, "grade", audit, "--standards", standards, "--today", TODAY.isoformat(), expect=3)
    assert "QA211" in graded.stdout
    assert "Good" not in graded.stdout


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("1042", "1042"),
        ("0142", "0142"),
        ("1.50", "1.50"),
        ("12e3", "12e3"),
        ("1e400", "1e400"),
        ("0x1F", "0x1F"),
        ("+7", "+7"),
        ("True", "True"),
    ],
)
def test_a_number_where_text_belongs_is_quoted_as_written(
    cli: Callable[..., Any], tmp_path: Path, written: str, shown: str
) -> None:
    """The value read (142, 1.5, inf) was quoted: following the hint changed the reviewer's id."""
    text = (INVALID / "QA206-number-for-text.yaml").read_text(encoding="utf-8")
    audit = tmp_path / "audit.yaml"
    audit.write_text(text.replace("reviewer: 1042\n", f"reviewer: {written}\n"), encoding="utf-8")
    out = run(cli, "validate", audit, "--today", TODAY, expect=1)
    assert out.stdout.splitlines()[:2] == [
        f"{audit}:10:11: error QA206 'reviewer' should be text, not '{shown}'.",
        f"    hint: Put the value in quotes so that it is read as text: '{shown}'.",
    ]


@pytest.mark.parametrize(
    ("written", "shown"),
    [("20261014", "20261014"), ("14.10", "14.10"), ("1e400", "1e400"), ("2026.10", "2026.10")],
)
def test_a_number_where_a_date_belongs_is_quoted_as_written(
    cli: Callable[..., Any], tmp_path: Path, written: str, shown: str
) -> None:
    """14.10 was said as 14.1 and 1e400 as inf: not what the auditor wrote."""
    text = (INVALID / "QA207-bare-number.yaml").read_text(encoding="utf-8")
    audit = tmp_path / "audit.yaml"
    audit.write_text(text.replace("review_date: 20261014\n", f"review_date: {written}\n"), encoding="utf-8")
    out = run(cli, "validate", audit, "--today", TODAY, expect=1)
    assert out.stdout.splitlines()[:2] == [
        f"{audit}:11:14: error QA207 'review_date' is not a valid date: {shown}.",
        "    hint: Write the date in figures as YYYY-MM-DD, year then month then day: "
        "14 October 2026 is written 2026-10-14.",
    ]


@pytest.mark.parametrize(
    "source",
    [EXAMPLES / "service" / "cases.csv", EXAMPLES / "service" / "plans" / "2026-07.csv"],
    ids=["cases", "plan"],
)
def test_a_csv_file_given_to_validate_is_said_to_be_one(
    cli: Callable[..., Any], tmp_path: Path, source: Path
) -> None:
    """A CSV file of many rows was said to hold "a single line of text", with a hint to start
    from an example."""
    target = tmp_path / source.name
    shutil.copy(source, target)
    out = run(cli, "validate", target, expect=1)
    assert out.stdout.splitlines() == [
        f"{target}:1:1: error QA104 An audit must be a block of 'key: value' lines, but this file holds "
        "lines of text, none of them a 'key: value' line.",
        "    hint: A CSV file is not an audit: give the audits' .yaml files. To bring in a spreadsheet of "
        "past audits, `qaimpact import FILE --mapping MAPPING` turns its rows into audits (see "
        "docs/import.md).",
        "Checked 1 file: 1 error and 0 warnings in 1 file.",
    ]


@pytest.mark.parametrize("written", ["next week", "end of the month"])
def test_a_due_date_in_words_gets_the_form_not_a_date_to_copy(
    cli: Callable[..., Any], tmp_path: Path, written: str
) -> None:
    """Regression (a QA manager): 'for example 2026-10-14' beside a remedial action's due date
    read as a date to copy; the hint says the form, with its example said as one."""
    text = (DATA / "valid" / "ccc-inadequate.yaml").read_text(encoding="utf-8")
    audit = tmp_path / "audit.yaml"
    audit.write_text(text.replace("    due: 2026-11-17\n", f"    due: {written}\n"), encoding="utf-8")
    out = run(cli, "validate", audit, "--today", TODAY, expect=1)
    assert out.stdout.splitlines()[:2] == [
        f"{audit}:51:10: error QA207 'due' of remedial action 1 is not a valid date: '{written}'.",
        "    hint: Write the date in figures as YYYY-MM-DD, year then month then day: 14 October 2026 is "
        "written 2026-10-14.",
    ]


@pytest.mark.parametrize(
    ("files", "errors", "said"),
    [
        (1, 0, "Checked 1 file: no problems found."),
        (3000, 0, "Checked 3,000 files: no problems found."),
        (1, 1, "Checked 1 file: 1 error and 0 warnings in 1 file."),
        # Regression: "Checked 3000 files: 3,000 errors and 0 warnings in 3000 files."
        (3000, 1, "Checked 3,000 files: 3,000 errors and 0 warnings in 3,000 files."),
    ],
)
def test_the_summary_line_marks_thousands_in_every_count(files: int, errors: int, said: str) -> None:
    from qaimpact.audits.checker import AuditCheck
    from qaimpact.base.codes import diagnostic
    from qaimpact.models.location import Location
    from qaimpact.reports.validation import summary_line

    checks = [
        AuditCheck(f"{n}.yaml", [diagnostic("QA202", Location(f"{n}.yaml", 1, 1), "missing")] * errors)
        for n in range(files)
    ]
    assert summary_line(checks) == said


@pytest.mark.parametrize(
    ("fmt", "name", "message"),
    [
        (
            "junit",
            "out.sarif",
            "names a SARIF file, but --format junit writes JUnit XML: use --format sarif, or name the file "
            "out.xml.",
        ),
        (
            "json",
            "out.xml",
            "names an XML file, but --format json writes JSON: use --format junit, or name the file "
            "out.json.",
        ),
        (
            "text",
            "out.json",
            "names a JSON file, but --format text writes text: use --format json, or name the file out.txt.",
        ),
        (
            "github",
            "out.sarif",
            "names a SARIF file, but --format github writes GitHub annotations: use --format sarif, or "
            "name the file out.txt.",
        ),
    ],
)
def test_validate_output_named_for_another_of_its_formats_is_refused(
    cli: Callable[..., Any], tmp_path: Path, fmt: str, name: str, message: str
) -> None:
    # Found in a new-user review: JUnit XML was written into out.sarif without a word, as the
    # reports refuse `-o r.md -f html`.
    target = tmp_path / name
    args = ("validate", "--today", TODAY.isoformat(), "--format", fmt, "-o", target, *HEADLINE)
    out = run(cli, *args, expect=2)
    assert out.stderr == f"error: -o {target} {message}\n"
    assert not target.exists()


@pytest.mark.parametrize(
    ("name", "first"),
    [("out.sarif", '{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json"'), ("out.xml", "<?xml")],
)
def test_validate_output_name_gives_the_format_where_none_is_asked_for(
    cli: Callable[..., Any], tmp_path: Path, name: str, first: str
) -> None:
    target = tmp_path / name
    run(cli, "validate", "--today", TODAY.isoformat(), "-o", target, *HEADLINE, expect=0)
    assert target.read_text(encoding="utf-8").startswith(first)


@pytest.mark.parametrize("given", [("-f", "sarif"), ()], ids=["format-given", "named-only"])
def test_sarif_may_be_saved_as_json(cli: Callable[..., Any], tmp_path: Path, given: tuple[str, ...]) -> None:
    target = tmp_path / "results.sarif.json"
    run(cli, "validate", "--today", TODAY.isoformat(), *given, "-o", target, *HEADLINE, expect=0)
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_json_is_not_saved_under_a_sarif_name(cli: Callable[..., Any], tmp_path: Path) -> None:
    target = tmp_path / "results.sarif.json"
    out = run(cli, "validate", "--today", TODAY.isoformat(), "-f", "json", "-o", target, *HEADLINE, expect=2)
    assert out.stderr == (
        f"error: -o {target} names a SARIF file, but --format json writes JSON: use --format sarif, or "
        "name the file results.json.\n"
    )

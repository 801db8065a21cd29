"""Exit codes that mean what docs/exit-codes.md says (issue 10, part 4).

- A report that left an audit out is still written, then says on standard error which files it
  left out and why, and exits 1.
- A broken standards file fails only the audits of its own framework (QA211): it is reported
  once, at its file:line:col, audits of other frameworks are checked and reported on, and the
  command exits 3, which comes before 1.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, HEADLINE, TODAY, copy_audit
from qaimpact.cli import exitcodes

CAFCASS = EXAMPLES / "cafcass-qa-2026-0142.yaml"
CCC = EXAMPLES / "ccc-cfa-2026-0311.yaml"
MINI_AUDITS = DATA / "standards" / "audits"
BROKEN_MINI = DATA / "standards" / "invalid" / "QA502-threshold-unknown-grade.yaml"
CASES = EXAMPLES / "service" / "cases.csv"

#: Every command that reports on a folder of audits, with what it needs besides --audits.
REPORTS = {
    "summary": ("summary",),
    "summary --publish": ("summary", "--publish"),
    "learning log": ("report", "--fca", "Amira Hassan"),
    "escalations": ("escalations",),
    "impact": ("impact",),
    "actions": ("actions",),
    "moderation": ("moderation",),
    "sample": ("sample", "--cases", CASES, "--seed", "7", "-f", "md"),
    "programme": ("programme", EXAMPLES / "service" / "plans" / "2026-09.csv"),
}
#: Whether the report withholds file names (a published summary names no file).
WITHHOLDS = {"summary --publish"}

LEFT_OUT = (
    "error: 1 audit file was left out of this report because it has errors; fix it and run the report "
    "again (`qaimpact validate` shows every problem):\n"
)


def _run(cli: Any, *args: Any, expect: int) -> Any:
    out = cli(*args, "--today", TODAY.isoformat(), expect=expect)
    assert "Traceback" not in out.stdout + out.stderr
    return out


@pytest.fixture
def with_invalid(tmp_path: Path) -> Path:
    """The two headline audits and an invalid copy of one, whose file name is a person's name."""
    folder = tmp_path / "audits"
    folder.mkdir()
    for path in HEADLINE:
        shutil.copy(path, folder / path.name)
    text = CCC.read_text(encoding="utf-8").replace("rating: good", "rating: great", 1)
    (folder / "Zed Zebedee.yaml").write_text(text.replace("CFA-2026-0311", "CFA-2026-0999"), encoding="utf-8")
    return folder


# -- a report that left an audit out ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_a_report_that_left_an_audit_out_is_written_then_exits_1(
    cli: Any, with_invalid: Path, name: str
) -> None:
    run = _run(cli, *REPORTS[name], "--audits", with_invalid, expect=exitcodes.INVALID)
    assert run.stdout.strip()  # the report is written all the same
    if name in WITHHOLDS:
        where = "invalid file 1 (name withheld), line 18, column 13"
        why = "A rating that is not on the framework's scale."
    else:
        where = f"{with_invalid / 'Zed Zebedee.yaml'}:18:13"
        why = (
            "'great' is not a rating on this framework's scale for 'practice_standards.risk_management' "
            "(Risk management)."
        )
    assert run.stderr.endswith(LEFT_OUT + f"  - {where}: QA204 {why}\n")


@pytest.mark.parametrize("name", sorted(set(REPORTS) - {"summary --publish", "sample"}))
def test_redact_withholds_the_names_of_files_left_out(cli: Any, with_invalid: Path, name: str) -> None:
    run = _run(cli, *REPORTS[name], "--audits", with_invalid, "--redact", expect=exitcodes.INVALID)
    assert "Zebedee" not in run.stdout + run.stderr
    assert run.stderr.endswith(
        LEFT_OUT + "  - invalid file 1 (name withheld), line 18, column 13: QA204 A rating that is "
        "not on the framework's scale.\n"
    )


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_a_report_written_to_a_file_still_exits_1(
    cli: Any, with_invalid: Path, tmp_path: Path, name: str
) -> None:
    target = tmp_path / "report.out"
    run = _run(cli, *REPORTS[name], "--audits", with_invalid, "-o", target, expect=exitcodes.INVALID)
    assert target.read_text(encoding="utf-8").strip()
    assert LEFT_OUT in run.stderr


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_a_report_that_left_nothing_out_exits_0(cli: Any, headline: Path, name: str) -> None:
    run = _run(cli, *REPORTS[name], "--audits", headline, expect=exitcodes.OK)
    assert "left out" not in run.stderr


def test_escalations_never_gate_still_exits_1_for_an_audit_left_out(cli: Any, with_invalid: Path) -> None:
    # Whether the audit left out needs escalating cannot be known.
    run = _run(cli, "escalations", "--audits", with_invalid, "--fail-on", "never", expect=exitcodes.INVALID)
    assert run.stderr.startswith(LEFT_OUT)


def test_non_audits_are_skipped_with_a_note_and_exit_0(cli: Any, headline: Path, tmp_path: Path) -> None:
    folder = tmp_path / "audits"
    shutil.copytree(headline, folder)
    (folder / "ci.yml").write_text("jobs:\n  test: {}\n", encoding="utf-8")
    run = _run(cli, "summary", "--audits", folder, expect=exitcodes.OK)
    assert run.stderr == "note: 1 YAML file that is not an audit was skipped.\n"


def test_feedback_on_an_invalid_audit_exits_1(cli: Any, with_invalid: Path) -> None:
    run = _run(cli, "report", with_invalid / "Zed Zebedee.yaml", expect=exitcodes.INVALID)
    assert run.stdout == ""
    assert run.stderr.startswith(
        f"error: {with_invalid / 'Zed Zebedee.yaml'} has errors, so no feedback can be written:\n"
    )


# -- a broken standards file fails only its own audits -----------------------------------------------


def _broken_standards(folder: Path, framework_id: str = "mini-practice") -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "broken.yaml"
    text = BROKEN_MINI.read_text(encoding="utf-8").replace("id: mini-practice", f"id: {framework_id}")
    path.write_text(text, encoding="utf-8")
    return path


def _standards_problem(path: Path, framework_id: str = "mini-practice") -> str:
    """What a command says, once, about the broken standards file."""
    return (
        f"error: the standards file {path} has errors, so the framework '{framework_id}' cannot be used "
        "until it is fixed (no audit that names it is checked); everything else was done as usual. Its "
        "problems:\n"
        f"{path}:52:12: error QA502 'grade' of threshold rule 3 names the grade 'average', which this "
        "file does not define.\n"
        "    hint: Known grades: good, fair, poor.\n"
    )


def _qa211(audit: Path, broken: Path, framework_id: str = "mini-practice") -> str:
    line = next(
        n for n, text in enumerate(audit.read_text().splitlines(), 1) if text.startswith("standards:")
    )
    return (
        f"{audit}:{line}:12: error QA211 The framework '{framework_id}' cannot be used: {broken} has errors, "
        "so this audit cannot be checked against it.\n"
        f"    hint: Fix {broken} first (`qaimpact standards check {broken}` lists every problem), then "
        "check this audit again.\n"
    )


def test_validate_checks_the_audits_of_healthy_frameworks(cli: Any, tmp_path: Path) -> None:
    broken = _broken_standards(tmp_path / "standards")
    mini = sorted(MINI_AUDITS.glob("*.yaml"))
    run = _run(
        cli, "validate", "--standards", broken.parent, *HEADLINE, MINI_AUDITS, expect=exitcodes.STANDARDS
    )
    # Each audit of the broken framework fails; the two others are checked and clean.
    assert run.stdout == "".join(_qa211(path, broken) for path in mini) + (
        "Checked 5 files: 3 errors and 0 warnings in 3 files.\n"
    )
    # The standards file's own problem is reported once, not once per audit.
    assert run.stderr == _standards_problem(broken)


def test_a_broken_file_that_overrides_a_bundled_framework_fails_only_its_audits(
    cli: Any, tmp_path: Path
) -> None:
    broken = _broken_standards(tmp_path / "standards", "cafcass-qiam-2017")
    run = _run(cli, "validate", "--standards", broken.parent, *HEADLINE, expect=exitcodes.STANDARDS)
    assert run.stdout == _qa211(CAFCASS, broken, "cafcass-qiam-2017") + (
        "Checked 2 files: 1 error and 0 warnings in 1 file.\n"
    )
    assert run.stderr == _standards_problem(broken, "cafcass-qiam-2017")


def test_a_broken_file_no_audit_uses_still_exits_3(cli: Any, tmp_path: Path) -> None:
    broken = _broken_standards(tmp_path / "standards")
    run = _run(cli, "validate", "--standards", broken.parent, *HEADLINE, expect=exitcodes.STANDARDS)
    assert run.stdout == "Checked 2 files: no problems found.\n"
    assert run.stderr == _standards_problem(broken)


def test_a_broken_standards_file_comes_before_invalid_audits(
    cli: Any, tmp_path: Path, with_invalid: Path
) -> None:
    broken = _broken_standards(tmp_path / "standards")
    run = _run(cli, "validate", "--standards", broken.parent, with_invalid, expect=exitcodes.STANDARDS)
    assert "error QA204 'great' is not a rating" in run.stdout
    assert run.stderr == _standards_problem(broken)


def test_forked_workers_fail_only_the_broken_frameworks_audits(cli: Any, tmp_path: Path) -> None:
    broken = _broken_standards(tmp_path / "standards")
    folder = tmp_path / "audits"
    folder.mkdir()
    # More than two chunks of files, so that validate checks them in forked workers.
    for n in range(70):
        copy_audit(MINI_AUDITS / "mini-good.yaml", folder / f"mini-{n:03}.yaml", n)
        copy_audit(CAFCASS, folder / f"cafcass-{n:03}.yaml", n)
    run = _run(
        cli, "validate", "--standards", broken.parent, "--jobs", "2", folder, expect=exitcodes.STANDARDS
    )
    assert run.stdout.count(" error QA211 ") == 70
    assert run.stdout.endswith("Checked 140 files: 70 errors and 0 warnings in 70 files.\n")
    assert run.stderr == _standards_problem(broken)


def test_grade_grades_the_audits_of_healthy_frameworks(cli: Any, tmp_path: Path) -> None:
    broken = _broken_standards(tmp_path / "standards")
    run = _run(
        cli, "grade", "--standards", broken.parent, *HEADLINE, MINI_AUDITS / "mini-good.yaml",
        expect=exitcodes.STANDARDS,
    )  # fmt: skip
    assert run.stdout.count("Grade: ") == 2
    assert "Not graded: the audit has errors." in run.stdout
    assert run.stderr == _standards_problem(broken)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_reports_leave_out_only_the_broken_frameworks_audits(cli: Any, tmp_path: Path, name: str) -> None:
    broken = _broken_standards(tmp_path / "standards")
    folder = tmp_path / "audits"
    folder.mkdir()
    for path in [*HEADLINE, MINI_AUDITS / "mini-good.yaml"]:
        shutil.copy(path, folder / path.name)
    run = _run(
        cli, *REPORTS[name], "--standards", broken.parent, "--audits", folder, expect=exitcodes.STANDARDS
    )
    assert run.stdout.strip()
    where = (
        "invalid file 1 (name withheld), line 3, column 12"
        if name in WITHHOLDS
        else f"{folder / 'mini-good.yaml'}:3:12"
    )
    why = (
        "The audit's framework cannot be used: its standards file has errors."
        if name in WITHHOLDS
        else f"The framework 'mini-practice' cannot be used: {broken} has errors, so this audit cannot be "
        "checked against it."
    )
    assert run.stderr.endswith(_standards_problem(broken) + LEFT_OUT + f"  - {where}: QA211 {why}\n")


def test_feedback_on_an_audit_of_a_broken_framework_exits_3(cli: Any, tmp_path: Path) -> None:
    broken = _broken_standards(tmp_path / "standards")
    audit = MINI_AUDITS / "mini-good.yaml"
    run = _run(cli, "report", audit, "--standards", broken.parent, expect=exitcodes.STANDARDS)
    assert run.stderr == (
        f"error: {audit} has errors, so no feedback can be written:\n"
        + _qa211(audit, broken)
        + _standards_problem(broken)
    )


def test_feedback_on_a_healthy_audit_beside_a_broken_framework_is_written(cli: Any, tmp_path: Path) -> None:
    broken = _broken_standards(tmp_path / "standards")
    run = _run(cli, "report", CAFCASS, "--standards", broken.parent, expect=exitcodes.STANDARDS)
    assert run.stdout.startswith("# Audit feedback: QA-2026-0142\n")
    assert run.stderr == _standards_problem(broken)


def test_standards_check_still_fails_on_the_broken_file(cli: Any, tmp_path: Path) -> None:
    broken = _broken_standards(tmp_path / "standards")
    run = cli("standards", "check", broken, expect=exitcodes.STANDARDS)
    assert f"{broken}:52:12: error QA502 'grade' of threshold rule 3 names the grade 'average'" in run.stdout


# -- the precedence, as documented -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ((), 0),
        ((0,), 0),
        ((1,), 1),
        ((0, 1), 1),
        ((1, 3), 3),
        ((3, 0), 3),
        ((3, 1, 0), 3),
        ((1, 3, 2), 2),
        ((0, 2), 2),
    ],
)
def test_the_first_code_that_applies(codes: tuple[int, ...], expected: int) -> None:
    assert exitcodes.first_of(*codes) == expected


def test_the_precedence_is_in_the_docs() -> None:
    page = (EXAMPLES.parent / "docs" / "exit-codes.md").read_text(encoding="utf-8")
    assert exitcodes.PRECEDENCE_TEXT in page
    assert [code for code, _, _ in exitcodes.TABLE if code in exitcodes.PRECEDENCE] == [0, 1, 2, 3]


#: Commands that need one healthy framework, or format audits: each does its work and exits 3.
_SET_UP = {
    "new": ("new", "--standards", "cafcass-qiam-2017", "--standards-dir", "{dir}"),
    "schema": ("schema", "cafcass-qiam-2017", "--standards-dir", "{dir}"),
    "standards show": ("standards", "show", "ccc-practice-standards", "--standards", "{dir}"),
    "standards diff": (
        "standards",
        "diff",
        "ccc-practice-standards",
        "cafcass-qiam-2017",
        "--standards",
        "{dir}",
    ),
    "fmt --check": ("fmt", "--check", CAFCASS, "--standards-dir", "{dir}"),
    # As validate names the folders to search (a review found fmt alone took --standards-dir).
    "fmt --check --standards": ("fmt", "--check", CAFCASS, "--standards", "{dir}"),
}


@pytest.mark.parametrize("name", sorted(_SET_UP))
def test_other_commands_do_their_work_beside_a_broken_framework(cli: Any, tmp_path: Path, name: str) -> None:
    broken = _broken_standards(tmp_path / "standards")
    args = [str(broken.parent) if a == "{dir}" else a for a in _SET_UP[name]]
    run = cli(*args, expect=exitcodes.STANDARDS)
    assert run.stdout.strip()
    assert run.stderr.endswith(_standards_problem(broken))


def test_asking_for_the_broken_framework_by_id_stops_with_3(cli: Any, tmp_path: Path) -> None:
    broken = _broken_standards(tmp_path / "standards")
    run = cli(
        "new", "--standards", "mini-practice", "--standards-dir", broken.parent, expect=exitcodes.STANDARDS
    )
    assert run.stdout == ""
    assert run.stderr.startswith(
        f"error: The standards file for 'mini-practice' ({broken}) has errors; fix them first (qaimpact "
        f"standards check {broken}).\n{broken}:52:12: error QA502"
    )

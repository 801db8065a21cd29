"""``-`` reads one audit from standard input for ``validate``, ``grade`` and ``fmt`` (issue 17,
section 5): for editors that send the buffer, and pipelines."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.cli import app

CAFCASS = EXAMPLES / "cafcass-qa-2026-0142.yaml"
SPACE = DATA / "invalid" / "QA204-trailing-space.yaml"
FINDING = (
    "15:13: error QA204 'good ' is not a rating on this framework's scale for 'impact.child_seen' (Child "
    "seen and wishes and feelings).\n"
    "    hint: Did you mean 'good'? Delete the space after it. Use one of: good, met, requires_improvement.\n"
)


def run(*args: object, stdin: bytes) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_validate_reads_standard_input() -> None:
    code, out, _ = run("validate", "--today", TODAY, "-", stdin=SPACE.read_bytes())
    assert code == 1
    assert out == "<stdin>:" + FINDING + "Checked 1 file: 1 error and 0 warnings in 1 file.\n"


def test_stdin_name_names_the_audit_in_findings() -> None:
    code, out, _ = run(
        "validate",
        "--today",
        TODAY,
        "--stdin-name",
        "audits/a.yaml",
        "-f",
        "json",
        "-",
        stdin=SPACE.read_bytes(),
    )
    assert code == 1
    assert [(f["file"], f["line"], f["code"]) for f in json.loads(out)] == [("audits/a.yaml", 15, "QA204")]


@pytest.mark.parametrize(
    ("data", "code", "finding"),
    [
        (
            b"\xff\xfe",
            "QA102",
            "The file is not UTF-8 text: it is saved as UTF-16 (which Windows Notepad calls 'Unicode').",
        ),
        (b"", "QA103", None),
        (b"standards: [\n", "QA101", None),
    ],
)
def test_validate_reports_unreadable_input_as_a_file(data: bytes, code: str, finding: str | None) -> None:
    status, out, _ = run("validate", "--today", TODAY, "-f", "json", "-", stdin=data)
    assert status == 1
    found = json.loads(out)
    assert [f["code"] for f in found] == [code]
    if finding:
        assert found[0]["message"] == finding


def test_dash_goes_alone() -> None:
    code, _, err = run("validate", "-", CAFCASS, stdin=b"")
    assert code == 2
    assert err == "error: '-' reads one audit from standard input: give it alone, without other paths.\n"


def test_grade_reads_standard_input() -> None:
    code, out, _ = run("grade", "--today", TODAY, "-f", "json", "-", stdin=CAFCASS.read_bytes())
    assert code == 0
    (graded,) = json.loads(out)
    assert (graded["file"], graded["grade"]) == ("<stdin>", "good")


def test_fmt_writes_the_formatted_audit_to_standard_output() -> None:
    untidy = CAFCASS.read_text(encoding="utf-8").replace("reviewer: ", "reviewer:    ")
    code, out, err = run("fmt", "-", stdin=untidy.encode("utf-8"))
    assert (code, err) == (0, "")
    assert out == CAFCASS.read_text(encoding="utf-8")
    code, out, err = run("fmt", "--check", "-", stdin=untidy.encode("utf-8"))
    assert (code, out, err) == (1, "", "note: <stdin> would be reformatted\n")
    code, out, err = run("fmt", "--check", "-", stdin=CAFCASS.read_bytes())
    assert (code, out, err) == (0, "", "")


def test_fmt_keeps_windows_line_endings_and_writes_nothing_for_an_invalid_audit() -> None:
    crlf = CAFCASS.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8")
    # The runner's .stdout turns \r\n into \n: the bytes are what was written.
    result = CliRunner().invoke(app, ["fmt", "-"], input=crlf)
    assert (result.exit_code, result.stdout_bytes) == (0, crlf)
    code, out, err = run("fmt", "-", stdin=SPACE.read_bytes())
    assert (code, out) == (1, "")
    assert err == "error: <stdin> has errors, so it was not formatted:\n<stdin>:" + FINDING

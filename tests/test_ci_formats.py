"""The CI output formats of ``validate``, checked against their published schemas and consumers."""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import xmlschema
from jsonschema import Draft202012Validator, FormatChecker

from conftest import DATA, EXAMPLES, copy_audit
from qaimpact.audits.checker import AuditCheck
from qaimpact.base.codes import CODES, diagnostic
from qaimpact.base.errors import StandardsError
from qaimpact.models.location import Location
from qaimpact.reports import validation
from qaimpact.reports.schemas import load as load_schema
from qaimpact.reports.validation import RunInfo, github_lines, render_junit
from schemas import sarif_multitool, schema_path

INVALID = DATA / "invalid"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """A folder with valid audits, invalid ones and a warnings-only one."""
    folder = tmp_path_factory.mktemp("mixed")
    for src in [*EXAMPLES.glob("*.yaml"), *sorted(INVALID.glob("QA2*.yaml"))[:6]]:
        shutil.copy(src, folder / src.name)
    # Its own id: the example of QA-2026-0142 is in the folder too (QA704).
    copy_audit(INVALID / "QA404-future-review-date.yaml", folder / "warn-only.yaml", 143)
    return folder


def _run(cli, *args, expect=None):
    return cli("validate", "--today", "2026-11-22", *args, expect=expect)


def test_junit_is_valid_against_the_common_and_jenkins_schemas(cli, mixed):
    out = _run(cli, mixed, "--format", "junit", expect=1).stdout
    for name in ("junit-common.xsd", "junit-jenkins.xsd"):
        xmlschema.XMLSchema(schema_path(name)).validate(out)
    root = ET.fromstring(out)
    cases = root.findall("./testsuite/testcase")
    files = sorted(str(p) for p in mixed.glob("*.yaml"))
    assert sorted(c.get("name") for c in cases) == files
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    assert failed == {f for f in files if "QA2" in f}
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == (str(len(files)), str(len(failed)))


def test_junit_failure_carries_every_diagnostic(cli, mixed):
    out = _run(cli, mixed, "--format", "junit", expect=1).stdout
    data = json.loads(_run(cli, mixed, "--format", "json", expect=1).stdout)
    root = ET.fromstring(out)
    for case in root.iter("testcase"):
        failure = case.find("failure")
        expected = [d for d in data if d["file"] == case.get("name") and d["severity"] == "error"]
        if failure is None:
            assert not expected
            continue
        assert failure.get("type") == expected[0]["code"]
        for d in expected:
            assert f"{d['file']}:{d['line']}:{d['column']}: error {d['code']} {d['message']}" in failure.text


def test_junit_strict_makes_warnings_failures(mixed):
    check = AuditCheck(
        "w.yaml", [diagnostic("QA404", Location("w.yaml", 9, 14), "The review date is in the future.")]
    )
    lenient = ET.fromstring(render_junit([check], RunInfo()))
    strict = ET.fromstring(render_junit([check], RunInfo(fail_on_warnings=True)))
    assert lenient.find("./testsuite/testcase/failure") is None
    assert "QA404" in (lenient.findtext("./testsuite/system-out") or "")
    assert strict.find("./testsuite/testcase/failure") is not None


def _sarif_errors(log: object) -> list[str]:
    """The SARIF 2.1.0 schema's complaints, with its formats (``uri``) checked too."""
    schema = json.loads(schema_path("sarif-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    checker = validator.FORMAT_CHECKER
    # Without a URI checker installed, jsonschema passes every 'uri' silently: the test would
    # prove nothing (rfc3986-validator, a test dependency, provides it).
    assert "uri" in checker.checkers
    return [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator(schema, format_checker=checker).iter_errors(log)
    ]


def test_sarif_is_valid_against_sarif_2_1_0_with_formats_checked(cli, mixed):
    log = json.loads(_run(cli, mixed, "--format", "sarif", expect=1).stdout)
    assert _sarif_errors(log) == []
    assert log["version"] == "2.1.0"


def test_the_format_check_catches_a_relative_help_uri():
    log = {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "q", "rules": [{"id": "QA1", "helpUri": "docs/d.md#qa1"}]}}}],
    }
    assert _sarif_errors(log) == [
        "['runs', 0, 'tool', 'driver', 'rules', 0, 'helpUri']: 'docs/d.md#qa1' is not a 'uri'"
    ]


def _multitool_errors(tmp_path: Path, sarif: Path) -> list[str]:
    report = tmp_path / "multitool.sarif"
    done = subprocess.run(
        [str(sarif_multitool()), "validate", str(sarif), "--output", str(report), "--log", "ForceOverwrite"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(report.read_text(encoding="utf-8-sig"))["runs"][0]["results"]
    return [f"{r['ruleId']}: {r['message']}" for r in results if r.get("level", "warning") == "error"]


def test_sarif_passes_the_sarif_multitool(cli, mixed, tmp_path):
    sarif = tmp_path / "report.sarif"
    _run(cli, mixed, "--format", "sarif", "-o", sarif, expect=1)
    assert _multitool_errors(tmp_path, sarif) == []


def test_sarif_rules_carry_their_help_inline_and_no_relative_address(cli, mixed):
    log = json.loads(_run(cli, mixed, "--format", "sarif", expect=1).stdout)
    driver = log["runs"][0]["tool"]["driver"]
    # pyproject.toml declares no [project.urls]: no address is invented.
    assert "informationUri" not in driver
    for rule in driver["rules"]:
        assert "helpUri" not in rule
        assert rule["help"]["text"]
        assert rule["help"]["markdown"]


def test_information_uri_comes_from_the_project_urls(cli, mixed, monkeypatch):
    monkeypatch.setattr(validation, "project_url", lambda: "https://qa.example.org/qaimpact")
    log = json.loads(_run(cli, mixed, "--format", "sarif", expect=1).stdout)
    assert log["runs"][0]["tool"]["driver"]["informationUri"] == "https://qa.example.org/qaimpact"


@pytest.mark.parametrize(
    ("entries", "url"),
    [
        ([], None),
        (["Homepage, https://qa.example.org"], "https://qa.example.org"),
        (
            ["Source, https://git.example.org/qaimpact", "Documentation, https://docs.example.org"],
            "https://docs.example.org",
        ),
        (["Changelog, https://qa.example.org/changes"], None),
        (["homepage ,  https://qa.example.org/home "], "https://qa.example.org/home"),
    ],
    ids=["none", "homepage", "documentation-before-source", "other-label-only", "spaces-and-case"],
)
def test_project_url_reads_the_project_urls_of_the_installed_metadata(monkeypatch, entries, url):
    # The reader itself (the SARIF test above replaces it): which [project.urls] entry is the
    # project's address, and none is invented where none is declared.
    class Metadata:
        def get_all(self, name):
            assert name == "Project-URL"
            return entries or None

    monkeypatch.setattr(validation.metadata, "metadata", lambda name: Metadata())
    assert validation.project_url() == url


def test_sarif_paths_are_relative_to_the_repository_root(cli, tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    audits = tmp_path / "audits" / "2026"
    audits.mkdir(parents=True)
    shutil.copy(INVALID / "QA404-future-review-date.yaml", audits / "a.yaml")
    monkeypatch.chdir(audits)
    log = json.loads(_run(cli, "a.yaml", "--format", "sarif").stdout)
    run = log["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "audits/2026/a.yaml", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.as_uri() + "/"}}


def test_sarif_fingerprints_survive_lines_added_above_and_runs_have_an_automation_id(
    cli, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    audit = tmp_path / "a.yaml"
    shutil.copy(INVALID / "QA204-trailing-space.yaml", audit)
    first = json.loads(_run(cli, "a.yaml", "--format", "sarif", expect=1).stdout)["runs"][0]
    audit.write_text("# a comment added above\n" + audit.read_text(encoding="utf-8"), encoding="utf-8")
    second = json.loads(_run(cli, "a.yaml", "--format", "sarif", expect=1).stdout)["runs"][0]
    (before,), (after,) = first["results"], second["results"]
    assert (
        before["locations"][0]["physicalLocation"]["region"]["startLine"] + 1
        == (after["locations"][0]["physicalLocation"]["region"]["startLine"])
    )
    assert before["partialFingerprints"] == after["partialFingerprints"]
    assert re.fullmatch(r"[0-9a-f]{32}", before["partialFingerprints"]["qaimpact/v1"])
    assert re.fullmatch(r"qaimpact/validate/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", first["automationDetails"]["id"])


@pytest.mark.parametrize("fmt", ["junit", "sarif", "json"])
def test_no_audits_still_writes_an_empty_valid_report(cli, tmp_path, fmt):
    empty = tmp_path / "audits"
    empty.mkdir()
    report = tmp_path / f"report.{fmt}"
    out = _run(cli, empty, "--format", fmt, "-o", report, expect=2)
    kind = {"junit": "JUnit", "sarif": "SARIF", "json": "JSON"}[fmt]
    assert out.stderr == (
        f"note: wrote {report}\n"
        f"error: No audit files (*.yaml, *.yml) found in '{empty}'. "
        f"An empty {kind} report was written.\n"
    )
    text = report.read_text(encoding="utf-8")
    if fmt == "sarif":
        log = json.loads(text)
        assert _sarif_errors(log) == []
        assert log["runs"][0]["results"] == []
        assert _multitool_errors(tmp_path, report) == []
    elif fmt == "json":
        # Found in a new-user review: JSON wrote nothing, so a CI step reading it failed on no file.
        findings = json.loads(text)
        Draft202012Validator(load_schema("validate"), format_checker=FormatChecker()).validate(findings)
        assert findings == []
    else:
        for name in ("junit-common.xsd", "junit-jenkins.xsd"):
            xmlschema.XMLSchema(schema_path(name)).validate(text)
        assert ET.fromstring(text).find("testsuite").get("tests") == "0"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_no_audits_in_other_formats_writes_nothing(cli, tmp_path, fmt):
    out = _run(cli, tmp_path, "--format", fmt, expect=2)
    assert out.stdout == ""
    assert out.stderr == f"error: No audit files (*.yaml, *.yml) found in '{tmp_path}'.\n"


def test_sarif_has_one_rule_per_code_and_located_results(cli, mixed):
    log = json.loads(_run(cli, mixed, "--format", "sarif", expect=1).stdout)
    data = json.loads(_run(cli, mixed, "--format", "json", expect=1).stdout)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(CODES)
    for rule in rules:
        code = CODES[rule["id"]]
        assert rule["shortDescription"]["text"] == code.title + "."
        assert rule["fullDescription"]["text"] == code.explanation
        assert rule["defaultConfiguration"]["level"] == code.severity.value
        assert rule["help"]["text"].startswith(code.explanation)
    assert len(run["results"]) == len(data)
    for result, diag in zip(run["results"], data, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == diag["code"]
        loc = result["locations"][0]["physicalLocation"]
        # GitHub code scanning needs repository-relative URIs with forward slashes.
        assert loc["artifactLocation"]["uri"] == Path(diag["file"]).as_posix().lstrip("/") or loc[
            "artifactLocation"
        ]["uri"].startswith("file:///")
        assert loc["region"] == {"startLine": diag["line"], "startColumn": diag["column"]}
        assert result["level"] == diag["severity"]


def test_sarif_relative_paths_with_spaces_are_uri_encoded(cli, tmp_path, monkeypatch):
    folder = tmp_path / "team a"
    folder.mkdir()
    shutil.copy(INVALID / "QA404-future-review-date.yaml", folder / "audit 1.yaml")
    monkeypatch.chdir(tmp_path)
    log = json.loads(_run(cli, "team a", "--format", "sarif").stdout)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "team%20a/audit%201.yaml"


GITHUB = re.compile(r"^::(error|warning) file=[^,]+,line=\d+,col=\d+,title=QA\d{3} [a-z-]+::.+$")


def test_github_annotations_match_the_workflow_command_syntax(cli, mixed):
    lines = _run(cli, mixed, "--format", "github", expect=1).stdout.splitlines()
    commands, summary = lines[:-1], lines[-1]
    assert commands
    assert all(GITHUB.match(line) for line in commands), [x for x in commands if not GITHUB.match(x)]
    assert summary.startswith("Checked 9 files:")


def test_github_escapes_newlines_percent_and_property_separators():
    # The line break before "hint:" is ours (%0A); one inside a message or hint quotes a file, so it
    # is shown as a visible \n and can never start a workflow command of its own (issue 12).
    diag = diagnostic("QA203", Location("a,b:c.yaml", 3, 5), "Unknown key '100%'.", "Did you mean\nthis?")
    (line,) = github_lines(AuditCheck("a,b:c.yaml", [diag]))
    assert line == (
        "::error file=a%2Cb%3Ac.yaml,line=3,col=5,title=QA203 unknown-key::"
        "Unknown key '100%25'.%0Ahint: Did you mean\\nthis?"
    )


def test_output_file_gets_the_report_while_text_goes_to_the_terminal(cli, mixed, tmp_path):
    report = tmp_path / "report.sarif"
    out = _run(cli, mixed, "--format", "sarif", "-o", report, expect=1)
    assert json.loads(report.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert re.search(r"^\S+:\d+:\d+: error QA2\d\d ", out.stdout, re.M)
    assert "Checked 9 files:" in out.stdout


def test_output_refuses_to_overwrite_an_audit_being_checked(cli, tmp_path):
    audit = tmp_path / "a.yaml"
    shutil.copy(EXAMPLES / "ccc-cfa-2026-0311.yaml", audit)
    before = audit.read_bytes()
    out = _run(cli, tmp_path, "--format", "json", "-o", audit, expect=2)
    assert "is one of the files being read" in out.stderr
    assert audit.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "code"),
    [((), 0), (("--strict",), 1), (("--max-warnings", "0"), 1), (("--max-warnings", "1"), 0)],
    ids=["warnings-pass", "strict", "max-warnings-0", "max-warnings-1"],
)
def test_warning_policies(cli, args, code):
    out = _run(cli, INVALID / "QA404-future-review-date.yaml", *args, expect=code)
    if "--max-warnings" in args and code == 1:
        assert "1 warning, more than --max-warnings 0." in out.stderr


def test_results_are_in_the_same_order_whatever_the_jobs(cli, tmp_path):
    sources = sorted(INVALID.glob("*.yaml")) + sorted(EXAMPLES.glob("*.yaml"))
    for i in range(3):
        for src in sources:
            shutil.copy(src, tmp_path / f"{i}-{src.name}")
    single = _run(cli, tmp_path, "--jobs", "1", "--format", "json", expect=1).stdout
    multi = _run(cli, tmp_path, "--jobs", "2", "--format", "json", expect=1).stdout
    assert single == multi
    assert len(json.loads(single)) > 100


def test_ctrl_c_exits_130_without_a_traceback(cli, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    # A folder's files are checked keeping their data (to follow links between them), files one
    # by one without: either way, Ctrl-C while checking.
    monkeypatch.setattr("qaimpact.audits.batch.check_many", interrupted)
    monkeypatch.setattr("qaimpact.audits.batch.check_many_kept", interrupted)
    out = _run(cli, EXAMPLES, expect=130)
    assert "interrupted" in out.stderr
    assert "Traceback" not in out.stdout + out.stderr


def test_standards_error_keeps_its_diagnostics_across_processes():
    diag = diagnostic("QA502", Location("s.yaml", 4, 2), "Unknown group.", "Fix it.")
    copy = pickle.loads(pickle.dumps(StandardsError("broken", [diag])))
    assert (str(copy), copy.diagnostics) == ("broken", [diag])


def test_no_progress_bar_outside_a_terminal(cli, tmp_path):
    for i in range(250):
        copy_audit(EXAMPLES / "ccc-cfa-2026-0311.yaml", tmp_path / f"{i:03}.yaml", i)
    out = _run(cli, tmp_path)
    assert out.stderr == ""
    assert out.stdout == "Checked 250 files: no problems found.\n"


def test_output_to_the_null_device_is_allowed_and_left_a_device(cli, tmp_path):
    before = os.stat(os.devnull)
    _run(cli, EXAMPLES / "ccc-cfa-2026-0311.yaml", "--format", "json", "-o", os.devnull)
    after = os.stat(os.devnull)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)

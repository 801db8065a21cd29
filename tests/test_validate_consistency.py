"""``validate FOLDER`` and ``validate`` of the same files named one by one agree.

Each file gets the same findings either way, at the same line and column, with the same message
and hint. Only the findings across files (QA701-QA708: a record's link to an audit, two files
holding one id, a re-audit's link to its audit) need a folder: files named one by one (a shell's
``audits/*.yaml``, a pre-commit hook's changed files) are not all the audits, so a link could lead
to a file not named. That
difference is intended, documented (docs/ci.md, docs/records.md, ``validate --help``) and stated
here per folder.

The data: the folders validate is run on in the tests, and tests/data/case-links/, an audit and
two pieces of feedback of the framework tests/data/standards/links/mini-linked.yaml, one naming
the audited case and one a case no audit is of. The same framework without its ``case_id``
(tests/data/standards/invalid/QA209-case-audited-without-case-id.yaml) asks for audited cases it
cannot match: it once made every piece of feedback QA701 in a folder, and none named one by one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, ROOT, TODAY

#: The findings that need every file of a folder read.
ACROSS_FILES = {"QA701", "QA702", "QA703", "QA704", "QA705", "QA706", "QA707", "QA708"}
CASE_LINKS = DATA / "case-links"
LINKED = DATA / "standards" / "links" / "mini-linked.yaml"
WITHOUT_CASE_ID = DATA / "standards" / "invalid" / "QA209-case-audited-without-case-id.yaml"

#: Each folder, the options it is validated with, and the codes only the folder reports.
FOLDERS = [
    pytest.param(EXAMPLES, (), set(), id="examples"),
    pytest.param(EXAMPLES / "service", (), set(), id="examples-service"),
    pytest.param(EXAMPLES / "service" / "records", (), {"QA701", "QA702"}, id="examples-service-records"),
    pytest.param(DATA / "records", (), set(), id="records"),
    pytest.param(DATA / "feedback", (), {"QA701"}, id="feedback"),
    pytest.param(DATA / "follow_through", (), {"QA702"}, id="follow_through"),
    pytest.param(DATA / "links-with-errors", (), {"QA701", "QA702"}, id="links-with-errors"),
    # ccc-cycle-keys.yaml re-audits an audit that is not in the folder.
    pytest.param(DATA / "valid", (), {"QA704", "QA705"}, id="valid"),
    pytest.param(CASE_LINKS, ("--standards", LINKED), {"QA701"}, id="case-links"),
    pytest.param(CASE_LINKS, ("--standards", WITHOUT_CASE_ID), set(), id="case-links-without-case-id"),
]


def findings(out: str) -> list[tuple[Any, ...]]:
    """validate's JSON findings, as (code, file, line, column, message, hint), in order."""
    return [(d["code"], d["file"], d["line"], d["column"], d["message"], d["hint"]) for d in json.loads(out)]


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize(("folder", "options", "across"), FOLDERS)
def test_a_folder_and_its_files_named_one_by_one_get_the_same_findings(
    cli: Any, monkeypatch: pytest.MonkeyPatch, folder: Path, options: tuple[Any, ...], across: set[str]
) -> None:
    # Paths as a shell gives them, relative to the repository: findings name files as given.
    monkeypatch.chdir(ROOT)
    args = ("-f", "json", "--today", TODAY.isoformat(), *(str(o) for o in options))
    whole = cli("validate", relative(folder), *args, expect=None)
    # Every YAML file under the folder, as `validate folder/**/*.yaml` or a pre-commit hook names
    # them: import mappings and narratives included, which validate passes over with a note.
    named = cli("validate", *(relative(p) for p in sorted(folder.rglob("*.yaml"))), *args, expect=None)

    by_folder, one_by_one = findings(whole.stdout), findings(named.stdout)
    assert {f[0] for f in by_folder if f[0] in ACROSS_FILES} == across
    assert [f for f in by_folder if f[0] not in ACROSS_FILES] == one_by_one
    assert not any(f[0] in ACROSS_FILES for f in one_by_one)
    if across:
        # The folder's links that cannot be followed are errors: it fails whatever its files hold.
        assert whole.exit_code == 1
        assert named.exit_code == (
            1 if any(d["severity"] == "error" for d in json.loads(named.stdout)) else 0
        )
    else:
        assert whole.exit_code == named.exit_code


MINI_LINKED_BROKEN = (
    f"{relative(WITHOUT_CASE_ID)}:60:19: error QA209 'records.feedback.case_audited' is true, but this "
    "file has no 'case_id' (the case field that identifies a case), so no audit could ever be matched to "
    "the case a 'feedback' record names."
)


@pytest.mark.parametrize("named", [False, True], ids=["folder", "files"])
def test_a_framework_that_cannot_match_cases_is_refused_either_way(
    cli: Any, monkeypatch: pytest.MonkeyPatch, named: bool
) -> None:
    monkeypatch.chdir(ROOT)
    paths = [relative(p) for p in sorted(CASE_LINKS.glob("*.yaml"))] if named else [relative(CASE_LINKS)]
    run = cli(
        "validate", *paths, "--standards", relative(WITHOUT_CASE_ID), "--today", TODAY.isoformat(), expect=3
    )
    # Never QA701 on every record of the case: the framework is at fault, and says how to fix it.
    assert "QA701" not in run.stdout
    assert [line.split(" ", 3)[:3] for line in run.stdout.splitlines() if ": error " in line] == [
        [f"{relative(CASE_LINKS / name)}:{line}:12:", "error", "QA211"]
        for name, line in (("feedback-ref-1.yaml", 3), ("feedback-ref-9.yaml", 3), ("mini-001.yaml", 3))
    ]
    assert MINI_LINKED_BROKEN in run.stderr.splitlines()
    assert (
        "    hint: Add 'case_id: FIELD' at the top level, where FIELD is the case field that holds the "
        "case's identifier (one of: reference), or remove 'case_audited: true'."
    ) in run.stderr.splitlines()


def test_with_its_case_id_the_framework_follows_each_link(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    run = cli(
        "validate",
        relative(CASE_LINKS),
        "--standards",
        relative(LINKED),
        "--today",
        TODAY.isoformat(),
        expect=1,
    )
    assert run.stdout.splitlines() == [
        f"{relative(CASE_LINKS / 'feedback-ref-9.yaml')}:6:12: error QA701 'reference' names the case REF-9, "
        "but no audit read is of that case (mini-linked).",
        "    hint: Check 'reference' for a typing mistake, and that the audit of the case is among the files "
        "read; leave 'reference' out if this feedback is not about an audited case.",
        "Checked 3 files: 1 error and 0 warnings in 1 file.",
    ]


NOTES = {
    "import/tracker.mapping.yaml": "names ending .mapping.yaml are import mappings",
    "narratives/2026-Q3.narrative.yaml": "names ending .narrative.yaml are the quarterly report's narratives",
}


#: The commands a pre-commit hook runs on the files changed, and what each says of one audit.
COMMANDS = {
    "validate": (("validate",), "Checked 1 file: no problems found."),
    "fmt": (("fmt", "--check"), "0 files would be reformatted, 1 unchanged."),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", sorted(NOTES))
def test_a_mapping_or_narrative_named_is_passed_over_as_a_folder_passes_over_it(
    cli: Any, monkeypatch: pytest.MonkeyPatch, name: str, command: str
) -> None:
    monkeypatch.chdir(ROOT)
    args, said = COMMANDS[command]
    path = relative(EXAMPLES / name)
    audit = relative(EXAMPLES / "ccc-cfa-2026-0311.yaml")
    run = cli(*args, path, audit, "--today", TODAY.isoformat())
    assert run.stdout.splitlines() == [said]
    assert run.stderr.splitlines() == [f"note: skipped {path}: not an audit ({NOTES[name]})"]
    # Alone, it is no audit at all, and is not called a folder (it said "No audit files found in"
    # the file's name).
    alone = cli(*args, path, "--today", TODAY.isoformat(), expect=2)
    verb = {"validate": "check", "fmt": "format"}[command]
    assert alone.stderr.splitlines()[-1] == (
        f"error: None of the files given is an audit, so there is nothing to {verb}."
    )

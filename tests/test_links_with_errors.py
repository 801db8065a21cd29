"""A record with errors of its own still has its links to audits followed (QA701, QA702), so that
one run of ``validate`` shows every finding and an officer fixes them in one round (found in a
new-user review: a record with one error hid its broken links until that error was fixed).

Only the links' values are taken from such a record, where they are text; a malformed item of a
list of links keeps its place, so the findings after it keep their numbers.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, TODAY, Run, copy_audit
from qaimpact.models.kinds import link_fields
from qaimpact.models.standard import RecordKind

FOLDER = DATA / "links-with-errors"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "records"
    shutil.copytree(FOLDER, target)
    return target


def test_validate_shows_a_record_s_own_errors_and_its_broken_links_in_one_run(
    cli: Callable[..., Run], folder: Path
) -> None:
    run = cli("validate", folder, "--today", TODAY.isoformat(), expect=1)
    feedback, plr = folder / "feedback-bad-date.yaml", folder / "plr-unknown-where.yaml"
    found = [line for line in run.stdout.splitlines() if not line.startswith("    hint:")]
    assert found == [
        f"{feedback}:5:14: error QA207 'received_on' is not a valid date: '2026-10-32'.",
        f"{plr}:7:1: error QA203 Unknown key 'where' at the top level.",
        f"{plr}:10:5: error QA206 'learning' item 2 should be a block of 'key: value' lines, "
        "not 'not a link'.",
        f"{feedback}:6:17: error QA701 'case_reference' names the case LCS-999002, but no audit read is of "
        "that case (ccc-practice-standards).",
        f"{plr}:9:13: error QA702 'learning' item 1 names the audit QA-2026-0999, but no audit of "
        "cafcass-qiam-2017 read has that audit_id.",
        f"{plr}:11:13: error QA702 'learning' item 3 names the audit QA-2026-0998, but no audit of "
        "cafcass-qiam-2017 read has that audit_id.",
        "Checked 2 files: 6 errors and 0 warnings in 2 files.",
    ]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_forked_workers_follow_the_same_links(cli: Callable[..., Run], folder: Path, jobs: str) -> None:
    # Enough files to be read in forked workers (two tasks of 64 files or more), which send each
    # record's links back to the parent: the findings are the same as in one process.
    for number in range(130):
        copy_audit(DATA / "valid" / "ccc-child-in-care.yaml", folder / f"audit-{number:03d}.yaml", number)
    run = cli("validate", folder, "--today", TODAY.isoformat(), "--jobs", jobs, expect=1)
    codes = [line.split()[2] for line in run.stdout.splitlines() if " error QA" in line]
    assert sorted(codes) == ["QA203", "QA206", "QA207", "QA701", "QA702", "QA702"]


def test_the_hint_counts_only_invalid_files_that_could_be_the_audit(
    cli: Callable[..., Run], folder: Path
) -> None:
    # The record's own errors do not make it "an invalid file left out" that could be the audit.
    run = cli("validate", folder, "--today", TODAY.isoformat(), expect=1)
    assert "invalid file" not in run.stdout


def test_reports_leave_the_invalid_record_out_without_its_links(
    cli: Callable[..., Run], folder: Path
) -> None:
    # Reports count valid records only: the invalid ones are listed as left out, with their errors.
    run = cli("summary", "--audits", folder, "--today", TODAY.isoformat(), expect=1)
    assert "QA701" not in run.stderr
    assert "QA207" in run.stderr


_KIND = RecordKind.model_validate(
    {
        "label": "Visit",
        "date": "seen_on",
        "case_link": "case",
        "fields": {
            "seen_on": {"type": "date", "required": True},
            "case": {"type": "text"},
            "links": {"type": "learning_links"},
        },
    }
)


@pytest.mark.parametrize(
    ("data", "kept"),
    [
        (
            {"case": "LCS-1", "links": [{"audit": "A-1", "point": "p"}]},
            {"case": "LCS-1", "links": [{"audit": "A-1", "point": "p"}]},
        ),
        ({"case": 12345, "seen_on": "x"}, {}),
        ({"case": None}, {}),
        ({"links": "A-1"}, {}),
        (
            {"links": [None, "A-1", {"audit": 7}, {"point": "p"}, {"audit": "A-2", "point": 3}]},
            {"links": [None, None, None, None, {"audit": "A-2"}]},
        ),
    ],
)
def test_only_the_links_text_is_taken_from_a_record_with_errors(data: dict, kept: dict) -> None:
    assert link_fields(_KIND, data) == kept

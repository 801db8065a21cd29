"""Two files holding one audit (or one record) are one audit counted twice: QA704.

A new-user review found that a copy left behind when an audit was moved into a year folder, or
written again by a second import, was counted twice by every report, with nothing said and exit 0.
``validate`` of a folder now reports every file after the first that holds an id; the reports
count one file of each id (for an audit, the one with the most severe grade it holds, so that no
escalation is missed) and leave the others out, saying so, with exit 1.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run
from qaimpact.models.audit import ident_key

SERVICE = EXAMPLES / "service"
TODAY = "2026-11-22"
AUDIT = "CFA-2026-0214"


def _service(tmp_path: Path) -> Path:
    folder = tmp_path / "service"
    shutil.copytree(SERVICE, folder)
    return folder


def _copy(folder: Path, change: Callable[[str], str] = lambda text: text) -> Path:
    """A copy of the audit in a year folder, as a team files its audits."""
    original = folder / "ccc" / f"{AUDIT}.yaml"
    copy = folder / "ccc" / "2026" / f"{AUDIT}.yaml"
    copy.parent.mkdir()
    copy.write_text(change(original.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


@pytest.mark.parametrize(
    ("change", "written"),
    [
        pytest.param(lambda text: text, AUDIT, id="the-same-file"),
        pytest.param(
            lambda text: text.replace(f"audit_id: {AUDIT}", "audit_id: 'cfa-2026-0214 '"),
            "cfa-2026-0214 ",
            id="the-id-in-lower-case",
        ),
    ],
)
def test_validate_reports_the_copy(
    change: Callable[[str], str], written: str, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    folder = _service(tmp_path)
    copy = _copy(folder, change)
    original = folder / "ccc" / f"{AUDIT}.yaml"
    run = cli("validate", "--today", TODAY, "-q", folder, expect=1)
    # The copy in ccc/2026/ sorts before ccc/CFA-...: the later file in path order is reported.
    assert (
        f"{original}:3:11: error QA704 The audit_id {AUDIT} is also the audit_id of {copy}: two files "
        "hold one audit.\n"
        "    hint: If one file is a copy of the other, delete the copy; if they are two audits, give this "
        "one its own audit_id.\n"
    ) in run.stdout
    assert written in copy.read_text(encoding="utf-8")


def test_validate_of_files_named_one_by_one_does_not_look_across_them(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    # As for the links between files (QA701): files named one by one are not all the audits.
    folder = _service(tmp_path)
    copy = _copy(folder)
    cli("validate", "--today", TODAY, "-q", folder / "ccc" / f"{AUDIT}.yaml", copy)


def _summary(cli: Callable[..., Run], folder: Path, expect: int) -> tuple[dict[str, object], Run]:
    run = cli("summary", "--audits", folder, "--today", TODAY, "-f", "json", expect=expect)
    return json.loads(run.stdout), run


def test_the_summary_counts_one_file_of_each_audit_and_says_which_it_left_out(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    before, _ = _summary(cli, SERVICE, 0)
    folder = _service(tmp_path)
    copy = _copy(folder)
    after, run = _summary(cli, folder, 1)
    assert after["audits"] == before["audits"]
    assert after["invalid_count"] == 1
    original = folder / "ccc" / f"{AUDIT}.yaml"
    # Both files grade alike: the first read (in path order, the copy in ccc/2026/) is counted.
    assert run.stderr == (
        "error: 1 audit file was left out of this report because it has errors; fix it and run the "
        "report again (`qaimpact validate` shows every problem):\n"
        f"  - {original}:3:11: QA704 The audit_id {AUDIT} is also the audit_id of {copy}: two files "
        "hold one audit. Only that file is counted.\n"
    )


def test_of_two_different_copies_the_most_severe_is_counted(tmp_path: Path, cli: Callable[..., Run]) -> None:
    folder = _service(tmp_path)
    original = folder / "ccc" / f"{AUDIT}.yaml"
    # The original sorts after the copy, so it would be counted if the first read were.
    original.write_text(
        original.read_text(encoding="utf-8").replace(
            "overall_judgement: good", "overall_judgement: inadequate"
        ),
        encoding="utf-8",
    )
    copy = _copy(
        folder, lambda text: text.replace("overall_judgement: inadequate", "overall_judgement: good")
    )
    run = cli("escalations", "--audits", folder, "--today", TODAY, "-f", "json", expect=1)
    escalated = {row["audit_id"]: row["file"] for row in json.loads(run.stdout)["escalations"]}
    assert escalated[AUDIT] == str(original)
    assert f"  - {copy}:3:11: QA704 The audit_id {AUDIT} is also the audit_id of {original}: " in run.stderr


def test_a_record_in_two_files(tmp_path: Path, cli: Callable[..., Run]) -> None:
    folder = _service(tmp_path)
    original = folder / "records" / "ccc" / "FB-L-2025-001.yaml"
    copy = folder / "records" / "ccc" / "FB-L-2025-001 (copy).yaml"
    shutil.copyfile(original, copy)
    run = cli("validate", "--today", TODAY, "-q", folder, expect=1)
    assert (
        f"{original}:4:12: error QA704 The record_id FB-L-2025-001 is also the record_id of {copy}: two "
        "files hold one record.\n"
        "    hint: If one file is a copy of the other, delete the copy; if they are two records, give this "
        "one its own record_id.\n"
    ) in run.stdout
    before, _ = _summary(cli, SERVICE, 0)
    after, run = _summary(cli, folder, 1)
    assert after["records"] == before["records"]
    assert (
        f"  - {original}:4:12: QA704 The record_id FB-L-2025-001 is also the record_id of {copy}: "
        in run.stderr
    )


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("LCS-857050", "LCS 857050", True),
        ("LCS-857050", "LCS857050", True),
        ("LCS-857050", "lcs\u2013857050", True),  # Word's en dash
        ("CFA-2026-0222", " cfa-2026-0222 ", True),
        ("LCS-857050", "LCS-857051", False),
        ("LCS-857050", "LCS/857050", False),
    ],
)
def test_how_ids_and_case_numbers_compare(first: str, second: str, same: bool) -> None:
    assert (ident_key(first) == ident_key(second)) is same

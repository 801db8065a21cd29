"""``validate`` of a folder follows the links between its files, as the reports do (QA701-QA703).

The data: the follow-through records of tests/data/follow_through/ beside Tunde Adeyemi's audits
(examples/service/cafcass), one of whose links names an unknown audit (QA702) and one learning its
audit does not record (QA703); and the feedback of tests/data/feedback/ beside the audit of
tests/data/valid/ccc-child-in-care.yaml, a complaint naming a case no audit is of (QA701).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.audits.dataset import cross_file_findings
from qaimpact.frameworks.registry import Registry

TUNDE = sorted(
    p
    for p in (EXAMPLES / "service" / "cafcass").glob("*.yaml")
    if "practitioner: Tunde Adeyemi" in p.read_text(encoding="utf-8")
)
QA701 = (
    "QA701 'case_reference' names the case LCS-999001, but no audit read is of that case "
    "(ccc-practice-standards)."
)
QA702 = (
    "QA702 'learning' item 1 names the audit QA-2026-0408, but no audit of cafcass-qiam-2017 read has "
    "that audit_id."
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "audits"
    root.mkdir()
    paths = (
        *TUNDE,
        *sorted((DATA / "follow_through").glob("*.yaml")),
        *sorted((DATA / "feedback").glob("*")),
    )
    for path in (*paths, DATA / "valid" / "ccc-child-in-care.yaml"):
        shutil.copy(path, root / path.name)
    return root


def test_the_cross_file_findings_of_checked_files(folder: Path, registry: Registry) -> None:
    checks = [
        check_audit(p, registry, CheckOptions(today=TODAY, keep_data=True)) for p in sorted(folder.iterdir())
    ]
    found = cross_file_findings(checks)
    assert {
        Path(p).name: [f"{d.location.line}:{d.location.column} {d.code}" for d in ds]
        for p, ds in found.items()
    } == {
        "feedback-ccc-complaint.yaml": ["6:17 QA701"],
        "plr-broken-links.yaml": ["8:13 QA702", "9:34 QA703"],
    }


def test_validate_of_a_folder_reports_them_located_and_exits_1(cli: Any, folder: Path) -> None:
    run = cli("validate", folder, "--today", TODAY.isoformat(), expect=1)
    lines = run.stdout.splitlines()
    assert f"{folder / 'feedback-ccc-complaint.yaml'}:6:17: error {QA701}" in lines
    assert f"{folder / 'plr-broken-links.yaml'}:8:13: error {QA702}" in lines
    assert any(line.startswith(f"{folder / 'plr-broken-links.yaml'}:9:34: error QA703 ") for line in lines)
    # The summary counts them with the files' own findings.
    assert lines[-1] == "Checked 10 files: 3 errors and 0 warnings in 2 files."


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github"])
def test_every_format_carries_them(cli: Any, folder: Path, fmt: str) -> None:
    out = cli("validate", folder, "--today", TODAY.isoformat(), "-f", fmt, expect=1).stdout
    for code in ("QA701", "QA702", "QA703"):
        assert code in out, (fmt, code)
    if fmt == "json":
        codes = sorted(d["code"] for d in json.loads(out))
        assert codes == ["QA701", "QA702", "QA703"]


def test_files_named_one_by_one_are_not_followed(cli: Any, folder: Path) -> None:
    # A pre-commit hook names the files changed, not every audit: a link may point elsewhere.
    run = cli("validate", folder / "feedback-ccc-complaint.yaml", "--today", TODAY.isoformat())
    assert "QA701" not in run.stdout


def test_a_folder_whose_links_hold_is_clean(cli: Any, folder: Path) -> None:
    (folder / "feedback-ccc-complaint.yaml").unlink()
    (folder / "plr-broken-links.yaml").unlink()
    run = cli("validate", folder, "--today", TODAY.isoformat(), "--quiet")
    assert run.stdout == ""


def test_links_are_followed_when_the_files_are_checked_in_worker_processes(
    cli: Any, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qaimpact.audits import batch

    # Enough files for the work to be shared among forked workers, which send each check back.
    monkeypatch.setattr(batch, "_CHUNK", 2)
    run = cli("validate", folder, "--today", TODAY.isoformat(), "--jobs", "2", expect=1)
    assert run.stdout.splitlines()[-1] == "Checked 10 files: 3 errors and 0 warnings in 2 files."


@pytest.mark.parametrize("framework", ["cafcass", "ccc"])
def test_the_part_of_an_audit_validate_keeps_is_all_that_links_read(framework):
    """validate's workers send an audit's link_view, not the audit: every example audit must
    give the same case and the same learning items through it (the ratings, for the council)."""
    from qaimpact.audits.links import audited_cases, link_view
    from qaimpact.audits.records import AuditRecord, learning_items

    registry = Registry.default()
    checks = [
        check_audit(path, registry, CheckOptions(TODAY, keep_data=True))
        for path in sorted((EXAMPLES / "service" / framework).glob("*.yaml"))
    ]
    records = [
        AuditRecord(c.path, c.framework, c.data, c.result) for c in checks if c.valid and c.kind is None
    ]
    views = [AuditRecord(r.path, r.framework, link_view(r.framework, r.data), r.result) for r in records]
    assert len(records) >= 40
    assert audited_cases(views) == audited_cases(records)
    assert [learning_items(v) for v in views] == [learning_items(r) for r in records]
    assert [v.audit_id for v in views] == [r.audit_id for r in records]
    assert sum(1 for r in records if learning_items(r)) >= 10

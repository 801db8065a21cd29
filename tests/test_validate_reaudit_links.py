"""``validate`` of a folder follows re-audit links as the impact report does (QA705-QA708).

The data: tests/data/cycle/impact/problems/, one folder per way a ``reaudit_of`` link cannot
hold, which the impact report's tests read too (tests/test_impact.py). validate says each at the
same place and in the same words, so that CI stops a broken link before a report leaves the
re-audit out of its case.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.audits.dataset import cross_file_findings
from qaimpact.audits.reaudits import follow
from qaimpact.cycle.impact import impact_view
from qaimpact.frameworks.registry import Registry

PROBLEMS = DATA / "cycle" / "impact" / "problems"

CASES = [
    (
        "unknown",
        "CFA-2026-0502.yaml:4:13: error QA705 'reaudit_of' names CFA-2026-0510, but no audit read has "
        "that audit_id.",
        "Did you mean CFA-2026-0501, the earlier audit of this case? Give the audit_id of the earlier "
        "audit of this case; its file must be among the files given.",
    ),
    (
        "before",
        "CFA-2026-0602.yaml:13:14: error QA706 This re-audit is dated 2026-05-04, before the audit it "
        "re-audits (CFA-2026-0601, dated 2026-06-01, in {dir}/CFA-2026-0601.yaml).",
        "Check both review dates, and that 'reaudit_of' names the earlier audit of this case.",
    ),
    (
        "other-case",
        "CFA-2026-0702.yaml:7:19: error QA707 This re-audit is of case LCS-300070, but the audit it "
        "re-audits (CFA-2026-0701, in {dir}/CFA-2026-0701.yaml) is of case LCS-300007.",
        "Correct the case identifier, or make 'reaudit_of' name an earlier audit of this case.",
    ),
    (
        "loop",
        "CFA-2026-0901.yaml:4:13: error QA708 The re-audit links go round in a loop: CFA-2026-0901 "
        "re-audits CFA-2026-0902, which re-audits CFA-2026-0901 ({dir}/CFA-2026-0901.yaml and "
        "{dir}/CFA-2026-0902.yaml). None of these audits is the first audit of the case.",
        "The first audit of a case has no 'reaudit_of': remove it from that audit, or correct the "
        "audit_id it names.",
    ),
    (
        "duplicate",
        "CFA-2026-0802.yaml:4:13: error QA705 'reaudit_of' names CFA-2026-0801, which is the audit_id "
        "of 2 audits ({dir}/CFA-2026-0801.yaml and {dir}/CFA-2026-0801-copy.yaml), so which one this "
        "re-audits is ambiguous.",
        "Give each audit its own audit_id, then make 'reaudit_of' name the one this audit re-audits.",
    ),
]


@pytest.mark.parametrize(("folder", "line", "hint"), CASES, ids=[c[0] for c in CASES])
def test_validate_of_a_folder_says_each_broken_link_where_it_is(
    cli: Any, folder: str, line: str, hint: str
) -> None:
    where = PROBLEMS / folder
    run = cli("validate", where, "--today", TODAY.isoformat(), expect=1)
    lines = run.stdout.splitlines()
    shown = f"{where}/{line.format(dir=where)}"
    assert shown in lines
    assert lines[lines.index(shown) + 1] == f"    hint: {hint}"


@pytest.mark.parametrize(("folder", "line", "hint"), CASES[:4], ids=[c[0] for c in CASES[:4]])
def test_validate_and_the_impact_report_say_it_in_the_same_words(
    registry: Registry, folder: str, line: str, hint: str
) -> None:
    # The impact report reads the folder as one (a copy is left out there, so 'duplicate' is not
    # one of its problems); the words of each link that cannot hold are the same.
    where = PROBLEMS / folder
    checks = [
        check_audit(p, registry, CheckOptions(today=TODAY, keep_data=True)) for p in sorted(where.glob("*"))
    ]
    [found] = [d for ds in cross_file_findings(checks).values() for d in ds if d.code != "QA704"]
    from qaimpact.audits.dataset import load_dataset

    dataset = load_dataset([where], registry, CheckOptions(today=TODAY))
    [problem] = impact_view(dataset, TODAY)["problems"]
    assert (str(found.location), found.message) == (problem["where"], problem["message"])
    assert f"{found.location}: error {found.code} {found.message}" == f"{where}/{line.format(dir=where)}"
    # Only the hint's words for where the audits were read differ.
    assert found.hint == problem["hint"].replace("among the audits read (--audits)", "among the files given")


def test_links_are_followed_in_worker_processes(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qaimpact.audits import batch

    for folder in ("unknown", "before", "other-case", "loop"):
        shutil.copytree(PROBLEMS / folder, tmp_path / folder)
    # Enough files for the work to be shared among forked workers, which send each check back.
    monkeypatch.setattr(batch, "_CHUNK", 2)
    run = cli("validate", tmp_path, "--today", TODAY.isoformat(), "--jobs", "2", expect=1)
    codes = sorted(line.split(" error ")[1][:5] for line in run.stdout.splitlines() if " error QA70" in line)
    assert codes == ["QA705", "QA706", "QA707", "QA708"]
    assert run.stdout.splitlines()[-1] == "Checked 9 files: 4 errors and 0 warnings in 4 files."


def test_files_named_one_by_one_are_not_followed(cli: Any) -> None:
    # A pre-commit hook names the files changed, not every audit: the audit a link names may be
    # in a file not given.
    run = cli("validate", PROBLEMS / "unknown" / "CFA-2026-0502.yaml", "--today", TODAY.isoformat())
    assert "QA705" not in run.stdout


def test_an_earlier_audit_with_errors_is_said_in_the_hint(cli: Any, tmp_path: Path) -> None:
    shutil.copy(PROBLEMS / "unknown" / "CFA-2026-0502.yaml", tmp_path)
    (tmp_path / "broken.yaml").write_text("standards: ccc-practice-standards\naudit_id: CFA-2026-0510\n")
    run = cli("validate", tmp_path, "--today", TODAY.isoformat(), expect=1)
    lines = run.stdout.splitlines()
    [at] = [i for i, line in enumerate(lines) if " error QA705 " in line]
    assert lines[at + 1] == (
        "    hint: Give the audit_id of the earlier audit of this case; its file must be among the files "
        "given. 1 invalid audit file was left out: if it is one of them, fix it ('qaimpact validate' "
        "shows how)."
    )


@pytest.mark.parametrize("framework", ["cafcass", "ccc"])
def test_the_part_of_an_audit_validate_keeps_follows_every_link_as_the_audit_does(framework: str) -> None:
    """validate's workers send an audit's link_view, not the audit: the example service's
    re-audits make the same chains, and the same findings, through it."""
    from qaimpact.audits.links import link_view
    from qaimpact.audits.records import AuditRecord

    registry = Registry.default()
    checks = [
        check_audit(path, registry, CheckOptions(TODAY, keep_data=True))
        for path in sorted((EXAMPLES / "service" / framework).glob("*.yaml"))
    ]
    records = [
        AuditRecord(c.path, c.framework, c.data, c.result) for c in checks if c.valid and c.kind is None
    ]
    views = [AuditRecord(r.path, r.framework, link_view(r.framework, r.data), r.result) for r in records]
    whole, viewed = follow(records), follow(views)
    assert [[r.path for r in c] for c in viewed.chains] == [[r.path for r in c] for c in whole.chains]
    assert (viewed.findings, viewed.left_out, viewed.declared) == (
        whole.findings,
        whole.left_out,
        whole.declared,
    )
    assert len(whole.chains) >= 3


def test_the_example_service_has_no_broken_link(cli: Any) -> None:
    run = cli("validate", EXAMPLES / "service", "--today", TODAY.isoformat())
    assert " error QA70" not in run.stdout

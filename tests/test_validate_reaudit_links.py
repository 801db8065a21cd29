"""``validate`` of a folder follows re-audit links as the impact report does (QA705-QA708).

The data: tests/data/cycle/impact/problems/, one folder per way a ``reaudit_of`` link cannot
hold, which the impact report's tests read too (tests/test_impact.py). validate says each at the
same place and in the same words, so that CI stops a broken link before a report leaves the
re-audit out of its case.
"""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

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


#: The files in each problem folder, and the files with errors among them (the duplicate folder's
#: copy is one too: QA704).
_COUNTS = {"unknown": (2, 1), "before": (2, 1), "other-case": (2, 1), "loop": (3, 1), "duplicate": (3, 2)}


@pytest.mark.parametrize(("folder", "line", "hint"), CASES, ids=[c[0] for c in CASES])
def test_validate_of_a_folder_says_each_broken_link_where_it_is(
    cli: Any, folder: str, line: str, hint: str
) -> None:
    where = PROBLEMS / folder
    run = cli("validate", where, "--today", TODAY.isoformat(), expect=1)
    files, errors = _COUNTS[folder]
    copy = (
        f"{where}/CFA-2026-0801.yaml:3:11: error QA704 The audit_id CFA-2026-0801 is also the audit_id "
        f"of {where}/CFA-2026-0801-copy.yaml: two files hold one audit.\n"
        "    hint: If one file is a copy of the other, delete the copy; if they are two audits, give "
        "this one its own audit_id.\n"
        if folder == "duplicate"
        else ""
    )
    assert run.stdout == (
        f"{copy}{where}/{line.format(dir=where)}\n    hint: {hint}\n"
        f"Checked {files} files: {errors} error{'s' if errors > 1 else ''} and 0 warnings in {errors} "
        f"file{'s' if errors > 1 else ''}.\n"
    )


HINTS = DATA / "reaudit-hints"


@pytest.mark.parametrize(
    ("folder", "offered"),
    [
        (
            "another-case",
            "CFA-2026-0701 is written alike, but is an audit of case LCS-300007, and this audit is of "
            "case LCS-300070: if it is the audit re-audited, correct the case identifier as well.",
        ),
        (
            "other-cases",
            "CFA-2026-0721 (case LCS-300021) and CFA-2026-0701 (case LCS-300007) are written alike, but "
            "are audits of other cases, and this audit is of case LCS-300070: if one of them is the "
            "audit re-audited, correct the case identifier as well.",
        ),
    ],
)
def test_an_id_written_alike_of_another_case_is_not_offered_as_the_audit_meant(
    cli: Any, folder: str, offered: str
) -> None:
    # A re-audit of a child's case linked to another child's audit on a guess would put two
    # children's work in one case; the hint says whose the id is, and leaves the choice to the
    # auditor (the id or the case identifier may be the slip).
    where = HINTS / folder
    files = len(list(where.glob("*.yaml")))
    run = cli("validate", where, "--today", TODAY.isoformat(), expect=1)
    assert run.stdout == (
        f"{where}/CFA-2026-0702.yaml:4:13: error QA705 'reaudit_of' names CFA-2026-0711, but no audit "
        "read has that audit_id.\n"
        f"    hint: {offered} Give the audit_id of the earlier audit of this case; its file must be among "
        "the files given.\n"
        f"Checked {files} files: 1 error and 0 warnings in 1 file.\n"
    )
    impact = cli("impact", "--audits", where, "--today", TODAY.isoformat(), "-f", "json", expect=1)
    [problem] = json.loads(impact.stdout)["problems"]
    assert problem["hint"] == (
        f"{offered} Give the audit_id of the earlier audit of this case; its file must be among the "
        "audits read (--audits)."
    )


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


@pytest.mark.parametrize(
    "folder",
    [
        EXAMPLES / "service" / "cafcass",
        EXAMPLES / "service" / "ccc",
        *(PROBLEMS / name for name in ("unknown", "before", "other-case", "loop", "duplicate")),
    ],
    ids=lambda p: p.name,
)
def test_the_part_of_an_audit_validate_keeps_follows_every_link_as_the_audit_does(folder: Path) -> None:
    """validate's workers send an audit's link_view, not the audit: the example service's
    re-audits, and each way a link cannot hold, make the same chains and the same findings
    through it."""
    from qaimpact.audits.links import link_view
    from qaimpact.audits.records import AuditRecord

    registry = Registry.default()
    checks = [
        check_audit(path, registry, CheckOptions(TODAY, keep_data=True))
        for path in sorted(folder.glob("*.yaml"))
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
    # Something to compare: the service's chains, or a problem folder's findings.
    if folder.parent.name == "service":
        assert len(whole.chains) >= 3
    else:
        assert whole.findings


def test_the_example_service_has_no_broken_link(cli: Any) -> None:
    run = cli("validate", EXAMPLES / "service", "--today", TODAY.isoformat())
    assert " error QA70" not in run.stdout


# -- the hint's near misses, found without comparing every id -------------------------------------

_IDS = st.from_regex(r"\A(QA|CFA)-20[0-9]{2}-[0-9]{4}\Z")


@st.composite
def _slip(draw: st.DrawFn) -> tuple[list[str], str, str]:
    ids = draw(st.lists(_IDS, min_size=1, max_size=30, unique=True))
    meant = draw(st.sampled_from(ids))
    at = draw(st.integers(0, len(meant) - 1))
    how = draw(st.sampled_from(["change", "leave out", "add", "swap"]))
    char = draw(st.sampled_from("0123456789-QACF"))
    if how == "change":
        written = meant[:at] + char + meant[at + 1 :]
    elif how == "leave out":
        written = meant[:at] + meant[at + 1 :]
    elif how == "add":
        written = meant[:at] + char + meant[at:]
    else:
        written = meant[:at] + meant[at + 1 : at + 2] + meant[at] + meant[at + 2 :]
    return ids, meant, written


@given(_slip())
@settings(max_examples=200, deadline=None)
def test_an_id_one_slip_away_is_offered_as_difflib_offers_it(case: tuple[list[str], str, str]) -> None:
    import difflib

    from qaimpact.audits.reaudits import _Suggestions

    ids, meant, written = case
    assume(written not in ids)
    records = [_record(i) for i in ids]
    reaudit = _record("ZZ-2099-9999")
    hint = _Suggestions([*records, reaudit]).of(reaudit, written)
    expected = difflib.get_close_matches(written, ids, n=3, cutoff=0.85)
    if meant in expected:
        assert meant in hint
    # Nothing difflib would not offer is offered, best first as it orders them.
    offered = [i for i in sorted(ids, key=hint.find) if i in hint]
    assert all(i in expected for i in offered)


@given(_slip(), st.lists(st.sampled_from(["LCS-1", "LCS-2", "LCS-3"]), min_size=30, max_size=30))
@settings(max_examples=200, deadline=None)
def test_no_audit_of_another_case_is_offered_as_the_audit_meant(
    case: tuple[list[str], str, str], cases: list[str]
) -> None:
    from qaimpact.audits.reaudits import _Suggestions

    ids, _, written = case
    assume(written not in ids)
    case_of = dict(zip(ids, cases, strict=False))
    records = [_record(i, case) for i, case in case_of.items()]
    reaudit = _record("ZZ-2099-9999", "LCS-1")
    hint = _Suggestions([*records, reaudit]).of(reaudit, written)
    guessed, mark, _ = hint.partition("? ")
    offered = [i for i in case_of if mark and guessed.startswith("Did you mean") and i in guessed]
    assert all(case_of[i] == "LCS-1" for i in offered)
    # An id written alike of another case is still said, with its case.
    for i in case_of:
        if i in hint and i not in offered:
            assert f"case {case_of[i]}" in hint


def _record(audit_id: str, case: str | None = None) -> Any:
    import dataclasses

    base = _example()
    held = {} if case is None else {base.framework.spec.case_id: case}
    return dataclasses.replace(base, data={**base.data, "audit_id": audit_id, "case": held})


@functools.cache
def _example() -> Any:
    from qaimpact.audits.records import AuditRecord

    example = min((EXAMPLES / "service" / "ccc").glob("*.yaml"))
    check = check_audit(example, Registry.default(), CheckOptions(TODAY, keep_data=True))
    assert check.data is not None
    assert check.result is not None
    assert check.framework is not None
    return AuditRecord(str(example), check.framework, check.data, check.result)

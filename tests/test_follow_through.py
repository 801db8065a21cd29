"""Learning follow-through (issue 13, sections 1, 2 and 5): links to audits' learning, checked
across files, and the learning log a supervisor takes into supervision or the PLR.

tests/data/follow_through/ holds follow-through records for Tunde Adeyemi, whose Cafcass audits are
in examples/service/cafcass: one discussed after QA-2025-0139 whose learning recurred in the
re-audit QA-2026-0022 and that is overdue, one with its evidence of change seen, and one whose
links cannot be followed (an unknown audit, QA702; learning the audit does not record, QA703).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.audits.checker import CheckOptions, check_text
from qaimpact.audits.dataset import load_dataset
from qaimpact.frameworks.registry import Registry
from qaimpact.reports.learning_log import learning_log

FOLLOW = DATA / "follow_through"
TUNDE = sorted(
    p
    for p in (EXAMPLES / "service" / "cafcass").glob("*.yaml")
    if "practitioner: Tunde Adeyemi" in p.read_text()
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for path in (*TUNDE, *sorted(FOLLOW.glob("*.yaml"))):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_the_links_that_cannot_be_followed_are_located(folder: Path, registry: Registry) -> None:
    dataset = load_dataset([folder], registry, CheckOptions(today=TODAY))
    assert [(k.kind, k.record_id) for k in dataset.kinds] == [
        ("follow_through", "PLR-2025-031"),
        ("follow_through", "PLR-2026-012"),
        ("follow_through", "PLR-2026-013"),
    ]
    path = folder / "plr-broken-links.yaml"
    assert [(str(d.location), d.code, d.message, d.hint) for d in dataset.links] == [
        (
            f"{path}:8:13",
            "QA702",
            "'learning' item 1 names the audit QA-2026-0408, but no audit of cafcass-qiam-2017 read has "
            "that audit_id.",
            "Did you mean QA-2026-0048? Give the audit_id of an audit of cafcass-qiam-2017 whose learning "
            "was discussed; its file must be among the files read (--audits).",
        ),
        (
            f"{path}:9:34",
            "QA703",
            "'learning' item 2 names the learning 'quality_of_recommendations', which the audit "
            f"QA-2026-0048 does not record ({folder / 'QA-2026-0048.yaml'}).",
            "Name learning the audit records (it records: case_recording), or correct the audit_id.",
        ),
    ]


def test_a_point_of_another_framework_is_refused_in_the_file(registry: Registry) -> None:
    text = (FOLLOW / "plr-tunde-2026-06.yaml").read_text(encoding="utf-8")
    check = check_text(
        text.replace("point: case_recording}", "point: visits_and_direct_work}"),
        "plr.yaml",
        registry,
        CheckOptions(today=TODAY),
    )
    assert [(d.code, d.message) for d in check.diagnostics] == [
        ("QA205", "'visits_and_direct_work' is not an allowed value for 'point' of 'learning' item 1.")
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "learning:\n  - {audit: QA-2026-0048, point: case_recording}\n",
            "learning: []\n",
            [("QA208", "'learning' (Learning discussed) is empty.")],
        ),
        (
            "due_on: 2026-08-31",
            "due_on: 2026-05-31",
            [("QA312", "'due_on' is 2026-05-31, before 'discussed_on' (date discussed, 2026-06-02).")],
        ),
    ],
    ids=["nothing-linked", "due-before-discussed"],
)
def test_follow_through_rules(
    registry: Registry, old: str, new: str, expected: list[tuple[str, str]]
) -> None:
    text = (FOLLOW / "plr-tunde-2026-06.yaml").read_text(encoding="utf-8")
    assert old in text
    check = check_text(text.replace(old, new), "plr.yaml", registry, CheckOptions(today=TODAY))
    assert [(d.code, d.message) for d in check.diagnostics] == expected


def test_the_learning_log_carries_what_the_supervisor_needs(folder: Path, registry: Registry) -> None:
    (folder / "plr-broken-links.yaml").unlink()
    dataset = load_dataset([folder], registry, CheckOptions(today=TODAY))
    view = learning_log(dataset.records, "Tunde Adeyemi", dataset.kinds, today=TODAY)
    [section] = view["frameworks"]
    first, second = section["follow_through"]
    assert (first["record_id"], first["discussed"], first["due"], first["overdue"]) == (
        "PLR-2025-031",
        "2025-10-20",
        "2025-12-31",
        True,
    )
    assert first["days_overdue"] == 326
    assert first["links"] == [
        {
            "audit_id": "QA-2025-0139",
            "point": "ineffective_child_engagement",
            "labels": [section["learning"][0]["label"]],
            "recurred_in": ["QA-2026-0022"],
        }
    ]
    assert first["recurred"] is True
    assert (second["overdue"], second["recurred"]) == (False, False)
    assert [f["label"] for f in second["fields"]] == [
        "Where it was discussed",
        "Action agreed",
        "Evidence of change",
        "Evidence seen on",
    ]
    assert section["learning"][0]["audit_id"] == "QA-2025-0139"
    assert all(s["rating"] == "Good" for s in section["strengths"])


@pytest.mark.parametrize("spelled", [None, "qa-2025-0139", "QA 2025 0139", "QA\u20132025\u20130139"])
def test_grades_of_different_cases_are_not_one_trajectory(
    folder: Path, registry: Registry, spelled: str | None
) -> None:
    if spelled is not None:
        # Regression: a re-audit link spelled otherwise than the audit id began a chain of its own.
        path = folder / "QA-2026-0022.yaml"
        text = path.read_text(encoding="utf-8")
        assert "reaudit_of: QA-2025-0139\n" in text
        path.write_text(
            text.replace("reaudit_of: QA-2025-0139\n", f"reaudit_of: {spelled}\n"), encoding="utf-8"
        )
    dataset = load_dataset([folder], registry, CheckOptions(today=TODAY))
    [section] = learning_log(dataset.records, "Tunde Adeyemi", dataset.kinds, today=TODAY)["frameworks"]
    # QA-2026-0065 is another case: it joins no chain.
    assert [c["audits"] for c in section["cases"]] == [["QA-2025-0139", "QA-2026-0022", "QA-2026-0048"]]
    assert [a["chain"] for a in section["audits"]] == [
        "QA-2025-0139",
        "QA-2025-0139",
        "QA-2025-0139",
        "QA-2026-0065",
    ]


def test_the_chart_joins_only_the_re_audits_of_one_case() -> None:
    from qaimpact.reports.charts import grade_timeline

    points = [("2026-01-01", 0, "Good"), ("2026-02-01", 1, "Met"), ("2026-03-01", 2, "Poor")]
    separate = grade_timeline("t", "T", ["Good", "Met", "Poor"], points, chains=["a", "b", "c"])
    assert "<polyline" not in separate
    joined = grade_timeline("t", "T", ["Good", "Met", "Poor"], points, chains=["a", "b", "a"])
    assert str(joined).count("<polyline") == 1


def test_cli_learning_log(cli: Callable[..., Any], folder: Path) -> None:
    run = cli("report", "--fca", "Tunde Adeyemi", "--audits", folder, "--today", TODAY.isoformat(), expect=1)
    out = run.stdout
    assert "### Follow-through (supervision and PLR)" in out
    assert "| 2025-10-20 | PLR-2025-031 |" in out
    assert "**Yes: 326 days**" in out
    assert "**Yes:** QA-2026-0022" in out
    assert "QA702" in run.stderr
    assert "QA703" in run.stderr


def test_cli_learning_log_redacted(cli: Callable[..., Any], folder: Path) -> None:
    run = cli(
        "report",
        "--fca",
        "Tunde Adeyemi",
        "--audits",
        folder,
        "--today",
        TODAY.isoformat(),
        "--redact",
        expect=1,
    )
    assert "Hannah Rowe" not in run.stdout
    assert "Tunde Adeyemi" in run.stdout


def test_an_audit_of_another_framework_is_named_as_such_not_guessed(cli: Any, tmp_path: Path) -> None:
    # Regression: the hint offered the very id written ("names the audit CFA-2025-0275 ... Did you
    # mean CFA-2025-0275?"), as it guessed among every framework's audits.
    for path in (*TUNDE, EXAMPLES / "service" / "ccc" / "CFA-2025-0275.yaml"):
        shutil.copy(path, tmp_path / path.name)
    plr = tmp_path / "plr-names-a-ccc-audit.yaml"
    shutil.copy(DATA / "follow-through-other-framework" / plr.name, plr)
    run = cli("validate", tmp_path, "--today", TODAY.isoformat(), expect=1)
    assert run.stdout.splitlines()[:2] == [
        f"{plr}:10:13: error QA702 'learning' item 1 names the audit CFA-2025-0275, but no audit of "
        "cafcass-qiam-2017 read has that audit_id.",
        "    hint: CFA-2025-0275 is an audit of ccc-practice-standards, not of cafcass-qiam-2017: record "
        "this learning in a record of its framework, or give the audit_id of an audit of "
        "cafcass-qiam-2017 whose learning was discussed; its file must be among the files read "
        "(--audits).",
    ]
    assert run.stdout.splitlines()[-1] == f"Checked {len(TUNDE) + 2} files: 1 error and 0 warnings in 1 file."

"""QA309 on every period a framework declares, wherever it declares it.

A regression: a period (``type: date_range``) among a standard's own fields, or under
``characteristics:``, could end before it started without a word, where one at the top level
(``period_reviewed``), under ``case:`` or in a record was QA309. tests/data/ranges holds a
framework with a period in each of those places, a valid audit and a valid record of it; each
case reverses one period (or makes it one day long) and lists the findings exactly: at the
period's ``to`` date, with the field's label (today is 2026-11-22).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.frameworks.registry import Registry

RANGES = DATA / "ranges"
STANDARDS = RANGES / "standards"
AUDIT = RANGES / "audits" / "ranges.yaml"
RECORD = RANGES / "audits" / "observation.yaml"
FIX = "Swap the dates or correct the one that is wrong."

PLACEMENT = "placement: {from: 2026-03-01, to: 2026-09-30}"
EPISODE = "care_episode: {from: 2025-06-01, to: 2026-02-28}"
PERIOD = "period_reviewed: {from: 2026-04-01, to: 2026-09-30}"
COVERS = "covers: {from: 2026-04-01, to: 2026-12-31}"
VISITED = "visited: {from: 2026-04-01, to: 2026-09-30}"
COVERED = "covered: {from: 2026-10-05, to: 2026-10-06}"


def reversed_range(where: str, name: str, start: str, end: str) -> tuple[str, str]:
    return (f"{where} error QA309 {name} ends on {end} before it starts on {start}.", FIX)


#: (the file, its changes, every finding then) for each place a period can be.
CASES: list[Any] = [
    pytest.param(AUDIT, {}, [], id="audit-as-written"),
    pytest.param(RECORD, {}, [], id="record-as-written"),
    pytest.param(
        AUDIT,
        {COVERS: "covers: {from: 2026-12-31, to: 2026-04-01}"},
        [
            reversed_range(
                "18:36", "'practice.plan.covers' (Period the plan covers)", "2026-12-31", "2026-04-01"
            )
        ],
        id="standard-field-reversed",
    ),
    pytest.param(
        AUDIT,
        {VISITED: "visited: {from: 2026-04-02, to: 2026-04-01}"},
        [
            reversed_range(
                "22:37", "'practice.visits.visited' (Period of the visits)", "2026-04-02", "2026-04-01"
            )
        ],
        id="standard-field-ends-the-day-before",
    ),
    pytest.param(
        AUDIT, {VISITED: "visited: {from: 2026-04-01, to: 2026-04-01}"}, [], id="standard-field-one-day"
    ),
    pytest.param(AUDIT, {COVERS: "covers: null"}, [], id="standard-field-absent"),
    pytest.param(
        AUDIT,
        {EPISODE: "care_episode: {from: 2026-02-28, to: 2025-06-01}"},
        [reversed_range("9:40", "'characteristics.care_episode' (Care episode)", "2026-02-28", "2025-06-01")],
        id="characteristic-reversed",
    ),
    pytest.param(
        AUDIT, {EPISODE: "care_episode: {from: 2026-02-28, to: 2026-02-28}"}, [], id="characteristic-one-day"
    ),
    pytest.param(
        AUDIT,
        {PLACEMENT: "placement: {from: 2026-09-30, to: 2026-03-01}"},
        [reversed_range("7:37", "'case.placement' (Placement)", "2026-09-30", "2026-03-01")],
        id="case-field-reversed",
    ),
    pytest.param(
        AUDIT,
        {PERIOD: "period_reviewed: {from: 2026-09-30, to: 2026-09-29}"},
        [reversed_range("13:41", "'period_reviewed' (Period reviewed)", "2026-09-30", "2026-09-29")],
        id="top-level-reversed",
    ),
    pytest.param(
        RECORD,
        {COVERED: "covered: {from: 2026-10-07, to: 2026-10-06}"},
        [reversed_range("6:33", "'covered' (Period the observation covered)", "2026-10-07", "2026-10-06")],
        id="record-field-reversed",
    ),
    pytest.param(
        AUDIT,
        {
            EPISODE: "care_episode: {from: 2026-02-28, to: 2025-06-01}",
            COVERS: "covers: {from: 2026-12-31, to: 2026-04-01}",
            VISITED: "visited: {from: 2026-09-30, to: 2026-04-01}",
        },
        [
            reversed_range(
                "9:40", "'characteristics.care_episode' (Care episode)", "2026-02-28", "2025-06-01"
            ),
            reversed_range(
                "18:36", "'practice.plan.covers' (Period the plan covers)", "2026-12-31", "2026-04-01"
            ),
            reversed_range(
                "22:37", "'practice.visits.visited' (Period of the visits)", "2026-09-30", "2026-04-01"
            ),
        ],
        id="three-reversed",
    ),
]


def changed(tmp_path: Path, source: Path, changes: dict[str, str]) -> Path:
    text = source.read_text(encoding="utf-8")
    for old, new in changes.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("source", "changes", "expected"), CASES)
def test_every_period_is_checked(
    tmp_path: Path, source: Path, changes: dict[str, str], expected: list[tuple[str, str]]
) -> None:
    path = changed(tmp_path, source, changes)
    result = check_audit(path, Registry([STANDARDS]), CheckOptions(today=TODAY), source.name)
    found = [
        (f"{d.location.line}:{d.location.column} {d.severity.value} {d.code} {d.message}", d.hint)
        for d in result.diagnostics
    ]
    assert found == expected


@pytest.mark.parametrize(("source", "changes", "expected"), CASES)
def test_validate_reports_every_reversed_period(
    cli: Callable[..., Any],
    tmp_path: Path,
    source: Path,
    changes: dict[str, str],
    expected: list[tuple[str, str]],
) -> None:
    path = changed(tmp_path, source, changes)
    run = cli(
        "validate", path, "--standards", STANDARDS, "--today", TODAY.isoformat(), expect=1 if expected else 0
    )
    lines = [
        f"{path}:{where.replace(' error', ': error', 1)}\n    hint: {hint}\n" for where, hint in expected
    ]
    assert "".join(lines) == run.stdout[: run.stdout.index("Checked 1 file")]


def test_the_form_names_a_standard_s_reversed_period_by_its_labels(tmp_path: Path) -> None:
    """The form shows the standard's period by the standard's title and the period's label."""
    pytest.importorskip("starlette")
    from qaimpact.web.form import form_for
    from qaimpact.web.pages import field_labels, plain_message

    registry = Registry([STANDARDS])
    path = changed(tmp_path, AUDIT, {COVERS: "covers: {from: 2026-12-31, to: 2026-04-01}"})
    (found,) = check_audit(path, registry, CheckOptions(today=TODAY)).diagnostics
    labels = field_labels(form_for(registry.get("rules-ranges")))
    assert plain_message(found.message, labels) == (
        '"The plan is clear: Period the plan covers" ends on 2026-04-01 before it starts on 2026-12-31.'
    )

"""Under ``--redact`` a text a rule compares a field with is kept: the escalation it calls for is not lost.

Regression: reports work out each audit's escalations from the audit as redacted. A rule of a
service's framework comparing a text field with a text (``when: {field: case.team, equals: Court
Team}``) no longer held where a name had a word of that text: with the practitioner Ann Court,
"Court Team" became "Person A Team", and the escalation it calls for was missing from the
escalations report, the summary and the quarterly report under ``--redact`` and ``--publish``
(which exited 0). Now the texts the framework's rules compare fields with are kept where those
fields are, as the framework's ids are; a name field is replaced whatever a rule says of it.

Data: ``tests/data/redact/rule-text`` holds one audit of the test's framework ``ccc-court`` (the
council's framework with the rule above), of a case with the Court Team, by Ann Court.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.privacy.redaction import Redactor

FOLDER = DATA / "redact" / "rule-text"
RULE = """escalations:
  - id: court_case
    title: Court escalation
    route: [Head of Service]
    when: {field: case.team, equals: Court Team, label: the case is with the Court Team}
    within_days: 0
    acknowledge_within_days: 2
    outcome_within_days: 10
    summary: Every audit of a case with the Court Team goes to the Head of Service.
  - id: managed_by_gareth_lloyd
    title: Second look
    route: [Head of Service]
    when: {field: team_manager, equals: Gareth Lloyd}
    within_days: 5
    acknowledge_within_days: 5
    outcome_within_days: 20
    summary: A rule that names a person, as no framework should.
"""


@pytest.fixture
def standards(tmp_path: Path) -> Path:
    """The council's framework as ``ccc-court``, with the rules above first."""
    source = (bundled_dir() / "ccc-practice-standards.yaml").read_text(encoding="utf-8")
    assert source.count("\nescalations:\n") == 1
    source = source.replace("id: ccc-practice-standards", "id: ccc-court", 1)
    folder = tmp_path / "standards"
    folder.mkdir()
    source = source.replace("\nescalations:\n", "\n" + RULE, 1)
    (folder / "ccc-court.yaml").write_text(source, encoding="utf-8")
    return folder


def _escalated(out: str) -> list[tuple[str, list[str]]]:
    return [(e["audit_id"], [r["id"] for r in e["rules"]]) for e in json.loads(out)["escalations"]]


@pytest.mark.parametrize(
    ("redact", "rules"),
    [
        pytest.param((), ["court_case", "managed_by_gareth_lloyd"], id="own"),
        # The rule on the reviewer's name no longer holds: a name is never kept.
        pytest.param(("--redact",), ["court_case"], id="redacted"),
    ],
)
def test_an_escalation_a_rule_on_text_calls_for_is_kept_under_redact(
    cli: Callable[..., Any], standards: Path, redact: tuple[str, ...], rules: list[str]
) -> None:
    args = ("--audits", FOLDER, "--standards", standards, "--today", TODAY.isoformat(), "-f", "json")
    run = cli("escalations", *args, *redact, expect=1)
    assert _escalated(run.stdout) == [("CFA-2026-0961", rules)]
    summary = json.loads(cli("summary", *args, *redact).stdout)
    assert summary["cycle"]["escalations"]["needed"]["n"] == 1


def test_an_escalation_a_rule_on_text_calls_for_is_counted_in_the_published_summary(
    cli: Callable[..., Any], standards: Path
) -> None:
    args = ("--audits", FOLDER, "--standards", standards, "--today", TODAY.isoformat(), "-f", "json")
    summary = json.loads(cli("summary", *args, "--publish").stdout)
    # One audit: a count from 1 to 4, hidden, where it was 0 and shown.
    assert summary["cycle"]["escalations"]["needed"] == {"n": None, "text": "<5"}


def test_a_name_field_is_replaced_whatever_a_rule_compares_it_with(standards: Path) -> None:
    dataset = load_dataset([FOLDER], Registry([standards]), CheckOptions(today=TODAY))
    (audit,) = dataset.records
    redacted = Redactor(dataset.records).record(audit).data
    assert (redacted["case"]["team"], redacted["practitioner"], redacted["team_manager"]) == (
        "Court Team",
        "Person A",
        "Person C",
    )

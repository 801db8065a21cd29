"""Facts of an audit that must agree (``agreements:`` in a standards file, QA319).

The council's framework says a legal status of ``child_in_care`` means ``case.child_in_care:
true``, and ``care_leaver`` means ``false``: ``case.child_in_care`` decides whether practice
standard 8 applies, so an audit that says both "in care" and "not in care" was graded on one of
them, possibly the wrong one (found in a new-user review: it passed without a word). The
findings themselves are pinned by the ``# expect:`` lines of ``tests/data/invalid/QA319-*.yaml``,
which ``test_cli_validate`` checks through the CLI too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, TODAY, Run
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.models.audit import field_holds, is_applicable

IN_CARE = DATA / "valid" / "ccc-child-in-care.yaml"
STATUSES = ["child_in_need", "child_protection", "child_in_care", "care_leaver", None]


def _audit(folder: Path, status: str | None, in_care: bool) -> Path:
    text = IN_CARE.read_text(encoding="utf-8")
    text = text.replace("  child_in_care: true\n", f"  child_in_care: {'true' if in_care else 'false'}\n")
    if status is not None:
        text = text.replace(
            "\npractitioner:", f"\ncharacteristics:\n  legal_status: {status}\npractitioner:", 1
        )
    path = folder / f"{status}-{in_care}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("in_care", [True, False])
@pytest.mark.parametrize("status", STATUSES)
def test_only_a_contradiction_is_a_finding(
    tmp_path: Path, registry: Registry, status: str | None, in_care: bool
) -> None:
    # Every legal status, and none, beside both answers: exactly the two contradictions are found.
    check = check_audit(_audit(tmp_path, status, in_care), registry, CheckOptions(today=TODAY))
    contradicts = (status == "child_in_care" and not in_care) or (status == "care_leaver" and in_care)
    assert [d.code for d in check.diagnostics if d.code == "QA319"] == (["QA319"] if contradicts else [])


def test_the_finding_says_which_facts_disagree_and_why(cli: Callable[..., Run], tmp_path: Path) -> None:
    audit = _audit(tmp_path, "child_in_care", False)
    run = cli("validate", audit, "--today", TODAY.isoformat(), expect=1)
    assert (
        f"{audit}:10:18: error QA319 'case.child_in_care' (Child in care) is false, but "
        "'characteristics.legal_status' (Legal status) is child_in_care, which means it should be true.\n"
        "    hint: A legal status of child in care means the child is in care, and practice standard 8 "
        "(Children in care) applies. Correct whichever is wrong: set 'case.child_in_care' to true, or "
        "correct 'characteristics.legal_status'.\n"
    ) in run.stdout


def test_the_rule_is_data_a_service_can_change(cli: Callable[..., Run], tmp_path: Path) -> None:
    # Standards as data: a copy of the framework without `agreements:` finds no contradiction.
    standards = tmp_path / "standards"
    standards.mkdir()
    text = (bundled_dir() / "ccc-practice-standards.yaml").read_text(encoding="utf-8")
    cut, n = re.subn(r"\nagreements:\n(?:  .*\n|    .*\n)+", "\n", text)
    assert n == 1
    (standards / "ccc-practice-standards.yaml").write_text(cut, encoding="utf-8")
    audit = _audit(tmp_path, "child_in_care", False)
    args = ("validate", audit, "--today", TODAY.isoformat(), "--standards", standards)
    assert cli(*args).stdout.endswith("Checked 1 file: 0 errors and 1 warning in 1 file.\n")
    assert "QA319" in cli("validate", audit, "--today", TODAY.isoformat(), expect=1).stdout


def test_standards_show_lists_the_agreements(cli: Callable[..., Run]) -> None:
    out = cli("standards", "show", "ccc-practice-standards").stdout
    assert "Facts an audit must record in agreement (QA319)" in out
    flat = " ".join(out.split())
    assert "characteristics.legal_status: child_in_care │ case.child_in_care: true" in flat
    assert "characteristics.legal_status: care_leaver │ case.child_in_care: false" in flat


AGREEMENTS = DATA / "agreements"


@pytest.mark.parametrize(
    ("next_visit", "found"),
    [
        ("2026-10-01", ""),
        (
            "2026-10-02",
            "next-visit.yaml:9:13: error QA319 'next_visit' (Next visit) is 2026-10-02, but "
            "'case.looked_after' (Looked after) is true, which means it should be 2026-10-01.\n"
            "    hint: A looked-after child in this test is next visited on 1 October 2026. Correct "
            "whichever is wrong: set 'next_visit' to 2026-10-01, or correct 'case.looked_after'.\n",
        ),
    ],
)
def test_an_agreement_on_a_date_compares_the_date(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, next_visit: str, found: str
) -> None:
    # Regression: the standards file reads 2026-10-01 as text and the audit as a date, so the
    # agreed date was a contradiction: "next_visit is 2026-10-01, ..., which means next_visit is
    # 2026-10-01".
    text = (AGREEMENTS / "next-visit-agreed.yaml").read_text(encoding="utf-8")
    (tmp_path / "next-visit.yaml").write_text(text.replace("2026-10-01", next_visit), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ("validate", "next-visit.yaml", "--today", TODAY.isoformat(), "--standards")
    run = cli(*args, AGREEMENTS / "standards", expect=1 if found else 0)
    lines = run.stdout.splitlines(keepends=True)
    shown = [line for line in lines if line.startswith(("next-", "    hint"))]
    assert shown == found.splitlines(keepends=True)


# -- Every `equals:` compares as the agreements do ------------------------------------------------


@pytest.mark.parametrize(
    ("value", "equals", "holds"),
    [
        (dt.date(2026, 10, 1), "2026-10-01", True),  # the standards file's date is text
        (dt.date(2026, 10, 1), "2026-10-02", False),
        (dt.date(2026, 10, 1), dt.date(2026, 10, 1), True),
        ("2026-10-01", "2026-10-01", True),
        (True, True, True),
        (False, True, False),
        ("child_in_care", "child_in_care", True),
        (None, "child_in_care", False),
    ],
)
def test_a_value_holds_as_the_standards_file_names_it(value: object, equals: object, holds: bool) -> None:
    assert field_holds(value, equals) is holds
    assert is_applicable("next_visit", equals, {"next_visit": value}) is holds


@pytest.mark.parametrize(("next_visit", "grade"), [("2026-10-01", "poor"), ("2026-10-02", "good")])
def test_a_threshold_rule_on_a_date_compares_the_date(tmp_path: Path, next_visit: str, grade: str) -> None:
    # Regression: a threshold condition (and applies_when) compared the standards file's text
    # '2026-10-01' with the audit's date, so a rule on a date never held.
    text = (AGREEMENTS / "standards" / "mini-dated.yaml").read_text(encoding="utf-8")
    rule = (
        "thresholds:\n  - grade: poor\n    summary: Visited on the day the service stopped visits\n"
        "    when: {field: next_visit, equals: 2026-10-01}\n"
    )
    assert text.count("thresholds:\n") == 1
    (tmp_path / "mini-dated.yaml").write_text(text.replace("thresholds:\n", rule), encoding="utf-8")
    audit = tmp_path / "audit.yaml"
    audit.write_text(
        # Not looked after: the framework's agreement on the date does not apply.
        (AGREEMENTS / "next-visit-agreed.yaml")
        .read_text(encoding="utf-8")
        .replace("2026-10-01", next_visit)
        .replace("looked_after: true", "looked_after: false"),
        encoding="utf-8",
    )
    check = check_audit(audit, Registry([tmp_path]), CheckOptions(today=TODAY))
    assert check.result is not None
    assert check.result.grade == grade


# -- How the finding names the fields ----------------------------------------------------------


def test_a_field_without_a_label_is_named_by_its_key(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    standards = tmp_path / "standards"
    standards.mkdir()
    text = (AGREEMENTS / "standards" / "mini-dated.yaml").read_text(encoding="utf-8")
    cut = text.replace(", label: Next visit}", "}").replace(", label: Looked after}", "}")
    assert cut.count("label:") == text.count("label:") - 2
    (standards / "mini-dated.yaml").write_text(cut, encoding="utf-8")
    text = (AGREEMENTS / "next-visit-agreed.yaml").read_text(encoding="utf-8")
    (tmp_path / "next-visit.yaml").write_text(text.replace("2026-10-01", "2026-10-02"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = cli("validate", "next-visit.yaml", "--today", TODAY.isoformat(), "--standards", standards, expect=1)
    assert (
        "next-visit.yaml:9:13: error QA319 'next_visit' is 2026-10-02, but 'case.looked_after' is true, "
        "which means it should be 2026-10-01.\n"
    ) in run.stdout


def test_the_audit_form_shows_the_labels_alone(registry: Registry, tmp_path: Path) -> None:
    # The form's auditor never sees the YAML: each quoted key with its label becomes the label.
    from qaimpact.web.pages import plain_message

    check = check_audit(_audit(tmp_path, "care_leaver", True), registry, CheckOptions(today=TODAY))
    (found,) = [d for d in check.diagnostics if d.code == "QA319"]
    labels = {"case.child_in_care": "Child in care", "characteristics.legal_status": "Legal status"}
    assert plain_message(found.message, labels) == (
        '"Child in care" is true, but "Legal status" is care_leaver, which means it should be false.'
    )
    assert plain_message(found.hint, labels).endswith(
        'Correct whichever is wrong: set "Child in care" to false, or correct "Legal status".'
    )

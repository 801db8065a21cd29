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


#: What the two agreements of the test below say when broken: the first's finding and its hint.
NEXT_VISIT_BROKEN = [
    "both.yaml:9:13: error QA319 'next_visit' (Next visit) is 2026-10-02, but 'case.looked_after' "
    "(Looked after) is true, which means it should be 2026-10-01.",
    "    hint: A looked-after child in this test is next visited on 1 October 2026. Correct whichever "
    "is wrong: set 'next_visit' to 2026-10-01, or correct 'case.looked_after'.",
]
CARER_NOT_SEEN = [
    "both.yaml:10:13: error QA319 'carer_seen' is false, but 'case.looked_after' (Looked after) is "
    "true, which means it should be true.",
    "    hint: Correct whichever is wrong: set 'carer_seen' to true, or correct 'case.looked_after'.",
]


@pytest.mark.parametrize(
    ("next_visit", "carer_seen", "found"),
    [
        ("2026-10-02", "false", NEXT_VISIT_BROKEN + CARER_NOT_SEEN),
        ("2026-10-01", "false", CARER_NOT_SEEN),
        ("2026-10-02", "true", NEXT_VISIT_BROKEN),
        ("2026-10-01", "true", []),
    ],
)
def test_every_agreement_broken_is_a_finding_and_one_without_why_gives_the_fix_alone(
    cli: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    next_visit: str,
    carer_seen: str,
    found: list[str],
) -> None:
    # Two agreements on one fact: each broken one is said, whichever the other does (one kept or
    # broken must not end the search), and one without `why:` says only how to put it right.
    framework = (AGREEMENTS / "standards" / "mini-dated.yaml").read_text(encoding="utf-8")
    framework = framework.replace(
        "  next_visit: {type: date, label: Next visit}\n",
        "  next_visit: {type: date, label: Next visit}\n  carer_seen: {type: boolean}\n",
    )
    framework += (
        "  - when: {field: case.looked_after, equals: true}\n    then: {field: carer_seen, equals: true}\n"
    )
    (tmp_path / "standards").mkdir()
    (tmp_path / "standards" / "mini-dated.yaml").write_text(framework, encoding="utf-8")
    text = (AGREEMENTS / "next-visit-agreed.yaml").read_text(encoding="utf-8")
    text = text.replace("next_visit: 2026-10-01\n", f"next_visit: {next_visit}\ncarer_seen: {carer_seen}\n")
    (tmp_path / "both.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ("validate", "both.yaml", "--today", TODAY.isoformat(), "--standards", "standards")
    run = cli(*args, expect=1 if found else 0)
    assert [line for line in run.stdout.splitlines() if line.startswith(("both", "    hint"))] == found


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


# -- Every `equals:` is checked as the agreements' are ----------------------------------------------

INVALID_STANDARDS = DATA / "standards" / "invalid"
MINI_GOOD = DATA / "standards" / "audits" / "mini-good.yaml"

#: A standards file of tests/data/standards/invalid/ whose `applies_when` or threshold condition
#: compares a field with a value no audit holds, and what `standards check` says of it (the
#: messages alone are pinned by its `# expect:` lines, for test_diagnostics).
EQUALS_REFUSED = [
    (
        "QA502-applies-when-not-yes-or-no.yaml",
        "42:58: error QA502 'case.looked_after' is yes or no, so the value in 'applies_when' must be true "
        "or false, not 'yes'.\n"
        "    hint: Write equals: true or equals: false.\n",
    ),
    (
        "QA502-applies-when-unknown-choice.yaml",
        "44:69: error QA502 'applies_when.equals' of standard 1 ('plan') of group 2 ('quality') names the "
        "choice 'lookd_after', which this file does not define.\n"
        "    hint: Did you mean 'looked_after'? Known choices: in_need, looked_after.\n",
    ),
    (
        "QA502-applies-when-value-no-audit-holds.yaml",
        "54:51: error QA502 'next_visit' is a date, so the value in 'applies_when' must be a date written "
        "YYYY-MM-DD, not '01/04/2026'.\n"
        "    hint: Write the date as YYYY-MM-DD: equals: 2026-04-01.\n"
        "57:47: error QA502 'visits' is a whole number, so the value in 'applies_when' must be a whole "
        "number, not '3'.\n"
        "    hint: Write a whole number after equals:, without quotation marks: equals: 3.\n"
        "60:58: error QA502 'case.looked_after' is yes or no, so the value in 'applies_when' must be true "
        "or false, not null.\n"
        "    hint: Write equals: true or equals: false.\n"
        "63:48: error QA502 'manager' is text, so the value in 'applies_when' must be text, not '5'.\n"
        '    hint: Write the text after equals:, in quotation marks: equals: "TEXT".\n'
        "66:69: error QA502 'characteristics.legal_status' is a choice, so the value in 'applies_when' "
        "must be one of its choices, not a list.\n"
        "    hint: Write one of: in_need, looked_after.\n"
        "69:56: error QA502 'period_reviewed' is a period (from and to), which 'applies_when' cannot "
        "compare.\n"
        "    hint: Name a field of another type in 'applies_when', or leave 'applies_when' out.\n",
    ),
    (
        "QA502-field-condition-not-yes-or-no.yaml",
        "49:50: error QA502 'case.looked_after' is yes or no, so the condition's value must be true or "
        "false, not 'no'.\n"
        "    hint: Write equals: true or equals: false.\n",
    ),
    (
        "QA502-field-condition-unknown-choice.yaml",
        "53:57: error QA502 'equals' of condition 1 of 'when' of threshold rule 1 names the choice "
        "'in_ned', which this file does not define.\n"
        "    hint: Did you mean 'in_need'? Known choices: in_need, looked_after.\n"
        "54:44: error QA502 'not.equals' of condition 2 of 'when' of threshold rule 1 names the choice "
        "'dip_sampel', which this file does not define.\n"
        "    hint: Did you mean 'dip_sample'? Known choices: case_file, dip_sample.\n",
    ),
    (
        "QA502-field-condition-value-no-audit-holds.yaml",
        "62:39: error QA502 'next_visit' is a date, so the condition's value must be a date written "
        "YYYY-MM-DD, not '01/04/2026'.\n"
        "    hint: Write the date as YYYY-MM-DD: equals: 2026-04-01.\n"
        "63:35: error QA502 'visits' is a whole number, so the condition's value must be a whole number, "
        "not '3'.\n"
        "    hint: Write a whole number after equals:, without quotation marks: equals: 3.\n"
        "64:46: error QA502 'case.looked_after' is yes or no, so the condition's value must be true or "
        "false, not null.\n"
        "    hint: Write equals: true or equals: false.\n"
        "65:36: error QA502 'manager' is text, so the condition's value must be text, not '5'.\n"
        '    hint: Write the text after equals:, in quotation marks: equals: "TEXT".\n'
        "66:57: error QA502 'characteristics.legal_status' is a choice, so the condition's value must be "
        "one of its choices, not a list.\n"
        "    hint: Write one of: in_need, looked_after.\n"
        "67:44: error QA502 'period_reviewed' is a period (from and to), which a condition cannot compare.\n"
        "    hint: Name a field of another type in the condition, or leave the condition out.\n"
        "68:55: error QA502 'immediate_actions.required' is yes or no, so the condition's value must be "
        "true or false, not 'yes'.\n"
        "    hint: Write equals: true or equals: false.\n"
        # An escalation's `when` is a condition as in threshold rules.
        "79:55: error QA502 'immediate_actions.required' is yes or no, so the condition's value must be "
        "true or false, not '1'.\n"
        "    hint: Write equals: true or equals: false.\n",
    ),
]


def _located(path: Path, found: str) -> str:
    """The findings as the CLI prints them: each ``LINE:COL`` after the file's name."""
    return "".join(line if line.startswith("    ") else f"{path}:{line}" for line in found.splitlines(True))


@pytest.mark.parametrize(("name", "found"), EQUALS_REFUSED, ids=[n for n, _ in EQUALS_REFUSED])
def test_standards_check_refuses_an_equals_no_audit_holds(
    cli: Callable[..., Run], name: str, found: str
) -> None:
    # Regression: `applies_when` and threshold (and escalation) conditions were checked for the
    # field alone, so `equals: "yes"` on a yes/no field, or a choice the field does not offer,
    # made a standard never apply or a rule never hold, and changed grades without a word.
    path = INVALID_STANDARDS / name
    run = cli("standards", "check", path, expect=3)
    assert run.stdout.startswith(_located(path, found))
    assert run.stdout.count(" error QA") == found.count(" error QA")


@pytest.mark.parametrize(
    ("name", "found"),
    [case for case in EQUALS_REFUSED if case[0].endswith("not-yes-or-no.yaml")],
    ids=["applies_when", "threshold"],
)
def test_validate_reports_the_framework_and_leaves_its_audits_out(
    cli: Callable[..., Run], tmp_path: Path, name: str, found: str
) -> None:
    # As for an agreement: the framework is broken (exit 3), said once on standard error, and its
    # audits are not graded on a rule that could never hold (QA211) rather than graded wrongly.
    standards = tmp_path / "standards"
    standards.mkdir()
    path = standards / name
    path.write_text((INVALID_STANDARDS / name).read_text(encoding="utf-8"), encoding="utf-8")
    args = ("validate", MINI_GOOD, "--today", TODAY.isoformat(), "--standards", standards)
    run = cli(*args, expect=3)
    assert run.stderr.endswith("problems:\n" + _located(path, found))
    assert f"error QA211 The framework 'mini-practice' cannot be used: {path} has errors" in run.stdout

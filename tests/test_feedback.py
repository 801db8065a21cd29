"""Feedback, a kind of record declared as data (issue 13, section 1), and its link to audits.

tests/data/feedback/ holds two pieces of feedback of the council's framework: a child's, about a
case audited in tests/data/valid/ccc-child-in-care.yaml (its reference written in lower case), and
a complaint naming a case no audit is of, which the commands that read folders report (QA701).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions, check_text
from qaimpact.audits.dataset import load_dataset
from qaimpact.frameworks.check import check_file
from qaimpact.frameworks.registry import Registry
from qaimpact.reports.summary import summary

FEEDBACK = DATA / "feedback"
CHILD = FEEDBACK / "feedback-ccc-child.yaml"
AUDIT = DATA / "valid" / "ccc-child-in-care.yaml"
LINK_HINT = (
    "Check 'case_reference' for a typing mistake, and that the audit of the case is among the files "
    "read; leave 'case_reference' out if this feedback is not about an audited case."
)


def findings(check: Any) -> list[tuple[str, str, str]]:
    return [
        (f"{d.location.line}:{d.location.column} {d.severity.value} {d.code}", d.message, d.hint)
        for d in check.diagnostics
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("source: child", "source: child", []),
        (
            "source: child",
            "source: young_person",
            [
                (
                    "4:9 error QA205",
                    "'young_person' is not an allowed value for 'source' (Source).",
                    "Use one of: child, parent_or_carer, professional, partner_agency, iro, cp_chair, "
                    "advocacy, social_worker_reflection, compliment, complaint.",
                )
            ],
        ),
        (
            "received_on: 2026-10-12",
            "received_on: 2026-11-23",
            [
                (
                    "5:14 error QA312",
                    "'received_on' is 2026-11-23, after today (2026-11-22).",
                    "Record the feedback once it has happened, with the date it happened.",
                )
            ],
        ),
        (
            "said: >-\n  My social worker listens to me and told me what would happen at the meeting.\n",
            "",
            [
                (
                    "1:1 error QA202",
                    "The feedback is missing 'said' (What was said).",
                    "Add 'said:' at the top level.",
                )
            ],
        ),
        (
            "rating: very_good",
            "rating: 5",
            [
                (
                    "12:9 error QA205",
                    "'5' is not an allowed value for 'rating' (Rating).",
                    "Use one of: very_good, good, neither, poor, very_poor.",
                )
            ],
        ),
    ],
    ids=["as-written", "unknown-source", "received-tomorrow", "nothing-said", "rating-not-on-the-scale"],
)
def test_feedback_rules(registry: Registry, old: str, new: str, expected: list[tuple[str, str, str]]) -> None:
    text = CHILD.read_text(encoding="utf-8")
    assert old in text
    check = check_text(text.replace(old, new), "fb.yaml", registry, CheckOptions(today=TODAY))
    assert findings(check) == expected


def test_a_response_before_the_feedback_is_refused(registry: Registry) -> None:
    text = (FEEDBACK / "feedback-ccc-complaint.yaml").read_text(encoding="utf-8")
    check = check_text(
        text.replace("responded_on: 2026-10-27", "responded_on: 2026-10-19"),
        "fb.yaml",
        registry,
        CheckOptions(today=TODAY),
    )
    assert findings(check) == [
        (
            "11:15 error QA312",
            "'responded_on' is 2026-10-19, before 'received_on' (date received, 2026-10-20).",
            "Correct 'responded_on': it cannot come before 'received_on'.",
        )
    ]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for path in (AUDIT, *sorted(FEEDBACK.glob("*.yaml"))):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_feedback_naming_a_case_no_audit_is_of_is_located(folder: Path, registry: Registry) -> None:
    dataset = load_dataset([folder], registry, CheckOptions(today=TODAY))
    assert [(k.kind, k.record_id) for k in dataset.kinds] == [
        ("feedback", "FB-2026-011"),
        ("feedback", "FB-2026-014"),
    ]
    assert [(str(d.location), d.code, d.message, d.hint) for d in dataset.links] == [
        (
            f"{folder / 'feedback-ccc-complaint.yaml'}:6:17",
            "QA701",
            "'case_reference' names the case LCS-999001, but no audit read is of that case "
            "(ccc-practice-standards).",
            LINK_HINT,
        )
    ]


@pytest.mark.parametrize(
    ("broken", "said"),
    [
        (1, " 1 invalid file was left out: if it is the audit, fix it (`qaimpact validate` shows how)."),
        (
            2,
            " 2 invalid files were left out: if the audit is one of them, fix it (`qaimpact validate` "
            "shows how).",
        ),
    ],
)
def test_the_hint_counts_the_invalid_files_left_out(
    folder: Path, registry: Registry, broken: int, said: str
) -> None:
    for n in range(broken):
        (folder / f"broken-{n}.yaml").write_text(
            f"standards: ccc-practice-standards\naudit_id: X{n}\n", encoding="utf-8"
        )
    dataset = load_dataset([folder], registry, CheckOptions(today=TODAY))
    assert [d.hint for d in dataset.links] == [LINK_HINT + said]


def test_an_audit_outside_the_period_still_links(folder: Path, registry: Registry) -> None:
    import datetime as dt

    # The audit (2026-11-03) is after the period; the feedback about its case is in it.
    dataset = load_dataset([folder], registry, CheckOptions(today=TODAY), date_to=dt.date(2026, 10, 31))
    assert (len(dataset.records), len(dataset.kinds)) == (0, 2)
    assert [d.location.path.endswith("complaint.yaml") for d in dataset.links] == [True]


def test_the_summary_reports_the_link_and_every_record(cli: Callable[..., Any], folder: Path) -> None:
    run = cli("summary", "--audits", folder, "--today", TODAY.isoformat(), expect=1)
    assert (
        "## Feedback (Children's Services Practice Standards)\n\nRecords in the period: **2**." in run.stdout
    )
    assert "| Complaint | 1 |" in run.stdout
    assert run.stderr == (
        "error: 1 link from a record to the audits cannot be followed; the records are still reported:\n"
        f"  - {folder / 'feedback-ccc-complaint.yaml'}:6:17: QA701 'case_reference' names the case "
        f"LCS-999001, but no audit read is of that case (ccc-practice-standards). {LINK_HINT}\n"
    )


def test_under_redact_the_link_names_no_file_or_case(cli: Callable[..., Any], folder: Path) -> None:
    run = cli("summary", "--audits", folder, "--today", TODAY.isoformat(), "--redact", expect=1)
    assert "LCS-999001" not in run.stderr + run.stdout
    assert "complaint.yaml" not in run.stderr
    assert run.stderr.endswith(
        "  - record 1 (name withheld), line 6, column 17: QA701 A record names a case that "
        "no audit read is of.\n"
    )


def test_case_audited_needs_a_case_link(tmp_path: Path) -> None:
    base = (DATA / "rules" / "standards" / "dated.yaml").read_text(encoding="utf-8")
    path = tmp_path / "kinds.yaml"
    path.write_text(
        base + "records:\n  visit:\n    label: Visit\n    date: seen_on\n    case_audited: true\n"
        "    fields:\n      seen_on: {type: date, required: true}\n",
        encoding="utf-8",
    )
    _, found = check_file(path)
    assert [(d.code, d.message) for d in found] == [
        (
            "QA209",
            "'records.visit': 'case_audited: true' needs a 'case_link' naming the field that holds the case.",
        )
    ]


def test_summary_view_counts_feedback_by_source(folder: Path, registry: Registry) -> None:
    view = summary(load_dataset([folder], registry, CheckOptions(today=TODAY)))
    # The framework's other kinds, without records here, have their sections too, saying 0.
    assert [(s["kind"], s["total"]["n"]) for s in view["records"]] == [
        ("feedback", 2),
        ("follow_through", 0),
        ("observation", 0),
    ]
    section = view["records"][0]
    source = section["choices"][0]
    assert source["label"] == "Source"
    assert [(r["key"], r["count"]["n"]) for r in source["rows"] if r["count"]["n"]] == [
        ("child", 1),
        ("complaint", 1),
    ]
    assert source["total"]["n"] == 2

"""Escalations: rules from the standards data, states, ages against an injected today, the CI gate."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.audits.records import AuditRecord
from qaimpact.cycle import escalations
from qaimpact.frameworks.registry import Registry
from qaimpact.grading.escalation_triggers import triggers

FOLDER = DATA / "cycle" / "escalations"


@pytest.fixture(scope="module")
def records() -> dict[str, AuditRecord]:
    dataset = load_dataset([FOLDER], Registry.default([]), CheckOptions(today=TODAY))
    assert not dataset.invalid
    return {r.audit_id: r for r in dataset.records}


def _view(day: dt.date = TODAY, states: list[str] | None = None) -> dict[str, Any]:
    dataset = load_dataset([FOLDER], Registry.default([]), CheckOptions(today=day))
    return escalations.escalations_view(dataset, day, states=states)


# -- which rules hold --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("audit_id", "expected"),
    [
        (
            "QA-2026-0089",
            [
                "Immediate safeguarding escalation to Service manager: immediate safeguarding actions "
                "are required.",
                "Practice review to Practice supervisor: graded requires improvement.",
            ],
        ),
        ("QA-2026-0046", ["Practice review to Practice supervisor: graded requires improvement."]),
        ("CFA-2026-0222", ["Case escalation to Head of Service: graded inadequate."]),
        # Graded good, but the moderator's inadequate calls for the council's case escalation.
        ("CFA-2025-0276", ["Case escalation to Head of Service: moderated to inadequate."]),
        ("CFA-2025-0275", []),
    ],
)
def test_rules_come_from_the_standards_data(
    records: dict[str, AuditRecord], audit_id: str, expected: list[str]
) -> None:
    record = records[audit_id]
    found = triggers(record.framework, record.data, record.result.grade)
    assert [t.describe() for t in found] == expected


def test_editing_the_rules_changes_the_result(tmp_path: Path, records: dict[str, AuditRecord]) -> None:
    # Standards as data: a council that also escalates "requires improvement" says so in YAML.
    source = (Path(__file__).parent.parent / "standards" / "ccc-practice-standards.yaml").read_text()
    edited = source.replace("    grades: [inadequate]\n", "    grades: [inadequate, requires_improvement]\n")
    assert edited != source
    (tmp_path / "ccc.yaml").write_text(edited)
    registry = Registry.default([tmp_path])
    framework = registry.get("ccc-practice-standards")
    assert framework is not None
    record = records["CFA-2026-0222"]
    data = {**record.data}
    assert [t.rule.id for t in triggers(framework, data, "requires_improvement")] == ["case_escalation"]
    assert triggers(record.framework, data, "requires_improvement") == []


# -- states and ages -----------------------------------------------------------------------------------


def test_states_ages_and_order() -> None:
    view = _view()
    rows = [
        (
            e["audit_id"],
            e["state"],
            e["due"],
            e["age_days"],
            e["waiting_days"],
            e["overdue_days"],
            e["raised_late_days"],
        )
        for e in view["escalations"]
    ]
    assert rows == [
        # Moderated to inadequate on 2025-10-20: due that day, 398 days ago.
        ("CFA-2025-0276", "not_raised", "2025-10-20", 417, 398, 398, 0),
        ("QA-2026-0089", "not_raised", "2026-09-10", 73, 73, 73, 0),
        # Raised on 2026-05-15 (due 2026-05-18), waiting for acknowledgement since.
        ("QA-2026-0046", "raised", "2026-05-18", 193, 191, 0, 0),
        # Due on the day of the audit, raised two days later.
        ("CFA-2026-0222", "acknowledged", "2026-09-29", 54, None, 0, 2),
    ]


def test_notes_say_what_is_amiss() -> None:
    item = next(e for e in _view()["escalations"] if e["audit_id"] == "CFA-2026-0222")
    assert item["notes"] == [
        "Raised to Team manager; the rules say Head of Service.",
        "Raised 2 days after it was due (2026-09-29).",
    ]
    assert item["days_to_raise"] == 2
    assert item["days_to_acknowledge"] == 2


def test_totals() -> None:
    totals = _view()["totals"]
    assert totals["needed"]["n"] == 4
    assert [(s["state"], s["count"]["n"], s["share"]["text"]) for s in totals["states"]] == [
        ("not_raised", 2, "50% (2 of 4)"),
        ("raised", 1, "25% (1 of 4)"),
        ("acknowledged", 1, "25% (1 of 4)"),
    ]
    assert (totals["overdue"]["n"], totals["raised_late"]["n"]) == (2, 1)
    # Days to raise: 2 (QA-2026-0046) and 2 (CFA-2026-0222); to acknowledge: 2.
    assert (totals["median_days_to_raise"], totals["median_days_to_acknowledge"]) == (2, 2)


def test_an_escalation_no_rule_calls_for_is_listed() -> None:
    assert [u["audit_id"] for u in _view()["unprompted"]] == ["CFA-2025-0275"]


def test_ages_move_with_today_not_the_clock() -> None:
    later = _view(TODAY + dt.timedelta(days=10))
    assert [e["waiting_days"] for e in later["escalations"]] == [408, 83, 201, None]


def test_not_yet_due_is_not_overdue(tmp_path: Path) -> None:
    # The practice review is due five days after the audit of 2026-05-13.
    text = (FOLDER / "QA-2026-0046.yaml").read_text()
    (tmp_path / "a.yaml").write_text(text[: text.index("escalation:")])
    day = dt.date(2026, 5, 16)
    dataset = load_dataset([tmp_path], Registry.default([]), CheckOptions(today=day))
    [item] = escalations.escalations_view(dataset, day)["escalations"]
    assert (item["state"], item["due"], item["waiting_days"], item["overdue_days"]) == (
        "not_raised",
        "2026-05-18",
        3,
        0,
    )


def test_filter_by_state_keeps_the_totals() -> None:
    view = _view(states=["raised"])
    assert [e["audit_id"] for e in view["escalations"]] == ["QA-2026-0046"]
    assert view["totals"]["needed"]["n"] == 4


@given(st.integers(min_value=0, max_value=2000))
def test_ages_are_consistent_for_any_today(offset: int) -> None:
    day = dt.date(2026, 10, 4) + dt.timedelta(days=offset)
    for item in _view(day)["escalations"]:
        if item["state"] == "not_raised":
            assert item["waiting_days"] >= item["overdue_days"] >= 0
            assert item["overdue_days"] == max(0, (day - dt.date.fromisoformat(item["due"])).days)
        assert item["age_days"] == (day - dt.date.fromisoformat(item["review_date"])).days


def test_summary_section_for_publication_names_nobody(records: dict[str, AuditRecord]) -> None:
    section = escalations.summary_section(list(records.values()), today=TODAY, publish=True)
    assert section["open"] == []
    # Counts from 1 to 4 are hidden in published figures.
    assert section["needed"] == {"n": None, "text": "<5"}
    assert section["not_raised"] == {"n": None, "text": "<5"}
    internal = escalations.summary_section(list(records.values()), today=TODAY, publish=False)
    assert [o["audit_id"] for o in internal["open"]] == ["CFA-2025-0276", "QA-2026-0089", "QA-2026-0046"]


# -- the command ---------------------------------------------------------------------------------------


def test_cli_exits_1_while_any_is_not_raised(cli: Any) -> None:
    run = cli("escalations", "--audits", FOLDER, "--today", "2026-11-22", expect=1)
    assert (
        "- As of 2026-11-22: 4 audits of 5 need escalating; **2 not raised** (2 overdue); "
        "1 raised, awaiting acknowledgement; 1 acknowledged.\n"
    ) in run.stdout
    assert run.stderr.endswith(
        "2 escalation(s) not raised: exiting with 1 until each is raised and recorded under "
        "'escalation:' in its audit (--fail-on never only reports).\n"
    )
    assert (
        "| Not raised, **overdue 73 days** | QA-2026-0089 | 2026-09-10 | Nadia Rahman | North East Public "
        "Law | Requires improvement | Service manager; Practice supervisor | 2026-09-10 | no | no | 73 |"
    ) in run.stdout


@pytest.mark.parametrize(
    ("fail_on", "today", "code"),
    [
        ("not-raised", "2026-11-22", 1),
        ("overdue", "2026-11-22", 1),
        ("never", "2026-11-22", 0),
    ],
)
def test_fail_on(cli: Any, fail_on: str, today: str, code: int) -> None:
    cli("escalations", "--audits", FOLDER, "--today", today, "--fail-on", fail_on, expect=code)


def test_cli_exits_0_when_every_escalation_is_raised(cli: Any, tmp_path: Path) -> None:
    for name in ("QA-2026-0046.yaml", "CFA-2026-0222.yaml", "CFA-2025-0275.yaml"):
        shutil.copy(FOLDER / name, tmp_path / name)
    run = cli("escalations", "--audits", tmp_path, "--today", "2026-11-22", "-f", "json", expect=0)
    assert json.loads(run.stdout)["totals"]["not_raised"]["n"] == 0


def test_overdue_gate_passes_while_not_yet_due(cli: Any, tmp_path: Path) -> None:
    text = (FOLDER / "QA-2026-0046.yaml").read_text()
    (tmp_path / "a.yaml").write_text(text[: text.index("escalation:")])
    cli("escalations", "--audits", tmp_path, "--today", "2026-05-16", "--fail-on", "overdue", expect=0)
    cli("escalations", "--audits", tmp_path, "--today", "2026-05-16", expect=1)
    cli("escalations", "--audits", tmp_path, "--today", "2026-05-19", "--fail-on", "overdue", expect=1)


def test_csv(cli: Any) -> None:
    run = cli("escalations", "--audits", FOLDER, "--today", "2026-11-22", "-f", "csv", expect=1)
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert list(rows[0]) == escalations.COLUMNS
    assert [(r["audit_id"], r["state"], r["overdue_days"]) for r in rows] == [
        ("CFA-2025-0276", "not_raised", "398"),
        ("QA-2026-0089", "not_raised", "73"),
        ("QA-2026-0046", "raised", "0"),
        ("CFA-2026-0222", "acknowledged", "0"),
    ]


def test_csv_has_a_header_when_nothing_needs_escalating(cli: Any, tmp_path: Path) -> None:
    text = (FOLDER / "CFA-2025-0275.yaml").read_text()
    (tmp_path / "a.yaml").write_text(text[: text.index("escalation:")])
    run = cli("escalations", "--audits", tmp_path, "--today", "2026-11-22", "-f", "csv", expect=0)
    assert run.stdout == ",".join(escalations.COLUMNS) + "\n"
    md = cli("escalations", "--audits", tmp_path, "--today", "2026-11-22", expect=0).stdout
    assert "No audit needs escalating under the frameworks' rules.\n" in md


def test_html_escapes_and_redacts(cli: Any, tmp_path: Path) -> None:
    text = (FOLDER / "CFA-2026-0222.yaml").read_text()
    hostile = text.replace("note: Discussed at the team meeting.", 'note: "<script>alert(1)</script>"')
    (tmp_path / "a.yaml").write_text(hostile)
    run = cli("escalations", "--audits", tmp_path, "--today", "2026-11-22", "-f", "html", "--redact")
    assert "<script>alert(1)</script>" not in run.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in run.stdout
    assert "Connor Fitzgerald" not in run.stdout
    assert "Person A" in run.stdout


def test_state_option_rejects_an_unknown_state(cli: Any) -> None:
    run = cli("escalations", "--audits", FOLDER, "--state", "lost", expect=2)
    assert "'lost' is not one of" in run.stderr


def test_output_file(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "escalations.html"
    run = cli(
        "escalations", "--audits", FOLDER, "--today", "2026-11-22", "-f", "html", "-o", target, expect=1
    )
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert f"wrote {target}" in run.stderr


@pytest.mark.parametrize(
    ("name", "heading", "line"),
    [
        (
            "CFA-2025-0276.yaml",
            "## ⚠ Action required now",
            "Escalation: **not raised yet**: raise it and record `escalation:` (`raised_to`, `raised_on`) "
            "in the audit.",
        ),
        (
            "QA-2026-0046.yaml",
            "## Escalation",
            "Escalation: raised to Practice supervisor on 2026-05-15, awaiting acknowledgement.",
        ),
        (
            "CFA-2026-0222.yaml",
            "## Escalation",
            "Escalation: raised to Team manager on 2026-10-01, acknowledged on 2026-10-03. Discussed at "
            "the team meeting.",
        ),
    ],
)
def test_feedback_on_one_audit_shows_the_escalation_state(
    cli: Any, name: str, heading: str, line: str
) -> None:
    lines = cli("report", FOLDER / name, "--today", "2026-11-22").stdout.splitlines()
    assert heading in lines
    assert line in lines


def test_feedback_shows_the_moderation(cli: Any) -> None:
    out = cli("report", FOLDER / "CFA-2025-0276.yaml", "--today", "2026-11-22").stdout
    # The moderator's grade is the one that counts: it heads the section, beside the other two.
    assert (
        "## Grade: Inadequate\n\n"
        "Grades are the moderated grade where an audit was moderated, otherwise the grade the ratings "
        "give.\n\n"
        "- Computed from the ratings: **Good**\n"
        "- Recorded by the reviewer: **Good**\n"
        "- Moderated: **Inadequate** by Dawn Okafor on 2025-10-20, lower than the computed grade. The "
        "risk to the child was not addressed; the grade is too generous.\n\n"
        "Why the ratings give Good:\n"
    ) in out


def test_invalid_files_are_flagged_without_their_names(cli: Any, tmp_path: Path) -> None:
    # Whether an invalid audit needs escalating is not known: the report says so, and names no
    # file, as the escalations view cannot tell whether it was asked to redact.
    shutil.copytree(FOLDER, tmp_path / "audits")
    bad = tmp_path / "audits" / "Zed Zebedee LCS-999999.yaml"
    bad.write_text("standards: ccc-practice-standards\naudit_id: CFA-2026-0999\n")
    args = ("escalations", "--audits", tmp_path / "audits", "--today", "2026-11-22", "--redact")
    md = cli(*args, expect=1).stdout
    assert "**1 audit file is invalid, so whether it needs escalating is not known.**" in md
    html = cli(*args, "-f", "html", expect=1).stdout
    assert "whether it needs escalating is not known" in html
    assert "Zebedee" not in md + html


def test_an_empty_folder_says_no_audit_was_read(cli: Any, tmp_path: Path) -> None:
    md = cli("escalations", "--audits", tmp_path, "--today", "2026-11-22").stdout
    assert "no valid audit read" in md
    assert "0 audits of 0" not in md
    assert "No valid audit was read, so there is nothing to escalate" in md
    assert "No audit needs escalating" not in md
    html = cli("escalations", "--audits", tmp_path, "--today", "2026-11-22", "-f", "html").stdout
    assert "No valid audit was read, so there is nothing to escalate" in html


@pytest.mark.parametrize(
    ("states", "hidden"),
    [
        ((1, 0, 5), {"not_raised", "acknowledged"}),  # 6 - 5 - 0 would give the 1
        ((1, 1, 5), {"not_raised", "raised", "acknowledged"}),  # two of 1 to 4 adding to 2 are 1 and 1
        ((2, 3, 5), {"not_raised", "raised"}),  # 2 + 3 could be 1 + 4: nothing more to hide
        ((0, 0, 6), set()),
    ],
)
def test_published_states_cannot_be_worked_out_from_the_total(
    states: tuple[int, int, int], hidden: set[str]
) -> None:
    kinds = ("not_raised", "raised", "acknowledged")
    items = [
        {
            "state": s,
            "overdue_days": None,
            "raised_late_days": None,
            "days_to_raise": None,
            "days_to_acknowledge": None,
        }
        for s, n in zip(kinds, states, strict=True)
        for _ in range(n)
    ]
    totals = escalations._totals(items, publish=True)
    assert {s["state"] for s in totals["states"] if s["count"]["n"] is None} == hidden
    assert totals["not_raised"] == totals["states"][0]["count"]
    assert all(s["share"]["text"] == "suppressed" for s in totals["states"] if s["count"]["n"] is None)


def test_state_option_lists_one_state(cli: Any) -> None:
    run = cli(
        "escalations",
        "--audits",
        FOLDER,
        "--today",
        "2026-11-22",
        "--state",
        "not-raised",
        "-f",
        "json",
        expect=1,
    )
    assert [e["audit_id"] for e in json.loads(run.stdout)["escalations"]] == ["CFA-2025-0276", "QA-2026-0089"]


def test_an_invalid_audit_fails_the_gate(cli: Any, tmp_path: Path) -> None:
    # Whether an audit that cannot be read needs escalating is unknown: the gate must not pass.
    text = (FOLDER / "QA-2026-0046.yaml").read_text()
    (tmp_path / "a.yaml").write_text(text)
    (tmp_path / "broken.yaml").write_text(text.replace("review_date: 2026-05-13", "review_date: 2026-13-40"))
    run = cli("escalations", "--audits", tmp_path, "--today", "2026-11-22", expect=1)
    assert run.stderr.startswith(
        "error: 1 audit file was left out of this report because it has errors; fix it and run the "
        "report again (`qaimpact validate` shows every problem):\n"
        f"  - {tmp_path / 'broken.yaml'}:"
    )
    # --fail-on never only stops the escalation states from failing: an audit left out still does.
    cli("escalations", "--audits", tmp_path, "--today", "2026-11-22", "--fail-on", "never", expect=1)

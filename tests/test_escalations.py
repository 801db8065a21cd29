"""Escalations: which audits need one (the most severe evidence decides), how far each has gone,
ages against an injected today, every output format and the CI gate.

Two folders of audits: ``cycle/escalations`` keeps the earlier shape of the record (``raised_to``,
``raised_on``, ``acknowledged_on``, ``note``), which must still read and mean one recipient;
``cycle/escalation-lifecycle`` holds one escalation at each step, in the shape with every
recipient, the acknowledgement, the outcome for the child and the closure.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.audits.dataset import load_dataset
from qaimpact.audits.records import AuditRecord
from qaimpact.base.errors import UsageError
from qaimpact.cycle import escalations
from qaimpact.frameworks.registry import Registry
from qaimpact.grading.escalation_lifecycle import Told, lifecycle, on_route, recipients, state
from qaimpact.grading.escalation_triggers import Signals, triggers
from qaimpact.models.standard import Framework
from qaimpact.privacy.disclosure import Figures
from qaimpact.reports import feedback, grades, summary
from qaimpact.reports.views import escalation_reasons

FOLDER = DATA / "cycle" / "escalations"
LIFECYCLE = DATA / "cycle" / "escalation-lifecycle"
COUNCIL_ROUTE = "Case escalation to Case responsible worker, Team manager and Head of Service"


def _dataset(folder: Path, day: dt.date = TODAY) -> Any:
    dataset = load_dataset([folder], Registry.default([]), CheckOptions(today=day))
    assert not dataset.invalid
    return dataset


@pytest.fixture(scope="module")
def records() -> dict[str, AuditRecord]:
    return {r.audit_id: r for r in _dataset(FOLDER).records}


@pytest.fixture(scope="module")
def lifecycle_records() -> dict[str, AuditRecord]:
    return {r.audit_id: r for r in _dataset(LIFECYCLE).records}


def _view(folder: Path = FOLDER, day: dt.date = TODAY, states: list[str] | None = None) -> dict[str, Any]:
    return escalations.escalations_view(_dataset(folder, day), day, states=states)


def _items(folder: Path = FOLDER) -> dict[str, dict[str, Any]]:
    return {e["audit_id"]: e for e in _view(folder)["escalations"]}


# -- which audits need escalating: the most severe evidence decides ------------------------------


@pytest.mark.parametrize(
    ("audit_id", "expected"),
    [
        (
            "QA-2026-0089",
            [
                "Immediate safeguarding escalation to Service manager: immediate safeguarding actions "
                "are required.",
                "Practice review to Practice supervisor: the ratings give Requires improvement.",
            ],
        ),
        ("QA-2026-0046", ["Practice review to Practice supervisor: the ratings give Requires improvement."]),
        ("CFA-2026-0222", [f"{COUNCIL_ROUTE}: the ratings give Inadequate."]),
        # Graded good, but the moderator's inadequate calls for the council's case escalation.
        ("CFA-2025-0276", [f"{COUNCIL_ROUTE}: the moderator graded it Inadequate; the ratings give Good."]),
        ("CFA-2025-0275", []),
    ],
)
def test_rules_come_from_the_standards_data(
    records: dict[str, AuditRecord], audit_id: str, expected: list[str]
) -> None:
    record = records[audit_id]
    found = triggers(record.framework, record.data, record.result.grade)
    assert [t.describe() for t in found] == expected


def _data(
    fw: Framework, *, recorded: str | None = None, moderated: str | None = None, immediate: bool = False
) -> dict[str, Any]:
    """Just enough of an audit for the escalation rules: its grades and the safeguarding flag."""
    data: dict[str, Any] = {"review_date": dt.date(2026, 10, 1), fw.spec.grades.key: recorded}
    if moderated is not None:
        data["moderation"] = {"moderated_grade": moderated, "moderated_on": dt.date(2026, 10, 9)}
    if fw.spec.immediate_actions is not None:
        data[fw.spec.immediate_actions.key] = {"required": immediate}
    return data


RI_COUNCIL = "Requires improvement to be good"
SIGNALS = [
    # The defect this fixes: the auditor recorded inadequate, the ratings give less.
    (
        "ccc",
        "requires_improvement",
        "inadequate",
        None,
        False,
        [f"{COUNCIL_ROUTE}: the auditor recorded Inadequate; the ratings give {RI_COUNCIL}."],
    ),
    # Computed alone, with no recorded grade, and with a recorded grade more generous.
    ("ccc", "inadequate", None, None, False, [f"{COUNCIL_ROUTE}: the ratings give Inadequate."]),
    ("ccc", "inadequate", "good", None, False, [f"{COUNCIL_ROUTE}: the ratings give Inadequate."]),
    # The moderator's grade alone; then recorded and moderated together.
    (
        "ccc",
        "good",
        "good",
        "inadequate",
        False,
        [f"{COUNCIL_ROUTE}: the moderator graded it Inadequate; the ratings give Good."],
    ),
    (
        "ccc",
        "requires_improvement",
        "inadequate",
        "inadequate",
        False,
        [
            f"{COUNCIL_ROUTE}: the auditor recorded Inadequate and the moderator agreed; the ratings "
            f"give {RI_COUNCIL}."
        ],
    ),
    # A moderator who grades it up does not take away the auditor's inadequate.
    (
        "ccc",
        "requires_improvement",
        "inadequate",
        "good",
        False,
        [f"{COUNCIL_ROUTE}: the auditor recorded Inadequate; the ratings give {RI_COUNCIL}."],
    ),
    ("ccc", "requires_improvement", "requires_improvement", "good", False, []),
    # Cafcass: a recorded grade that meets a rule escalates too.
    (
        "cafcass",
        "met",
        "requires_improvement",
        None,
        False,
        [
            "Practice review to Practice supervisor: the auditor recorded Requires improvement; the "
            "ratings give Met."
        ],
    ),
    (
        "cafcass",
        "good",
        None,
        "requires_improvement",
        False,
        [
            "Practice review to Practice supervisor: the moderator graded it Requires improvement; the "
            "ratings give Good."
        ],
    ),
    # Immediate safeguarding actions escalate whatever the grades.
    (
        "cafcass",
        "good",
        "good",
        None,
        True,
        [
            "Immediate safeguarding escalation to Service manager: immediate safeguarding actions are "
            "required."
        ],
    ),
    ("cafcass", "met", "good", "met", False, []),
]


@pytest.mark.parametrize(
    ("which", "computed", "recorded", "moderated", "immediate", "expected"),
    SIGNALS,
    ids=[f"{s[0]}-{s[1]}-{s[2]}-{s[3]}-{'flag' if s[4] else 'noflag'}" for s in SIGNALS],
)
def test_the_most_severe_evidence_decides(
    request: pytest.FixtureRequest,
    which: str,
    computed: str,
    recorded: str | None,
    moderated: str | None,
    immediate: bool,
    expected: list[str],
) -> None:
    fw: Framework = request.getfixturevalue(which)
    data = _data(fw, recorded=recorded, moderated=moderated, immediate=immediate)
    assert [t.describe() for t in triggers(fw, data, computed)] == expected


def _holds(fw: Framework, computed: str, recorded: str | None, moderated: str | None, flag: bool) -> set[str]:
    """The rules that must hold, worked out independently: the worst grade on the scale meets a
    rule's grades, and the bundled frameworks' only ``when`` is the safeguarding flag."""
    held = [g for g in (computed, recorded, moderated) if g is not None]
    worst = max(held, key=list(fw.grade_rank).index)
    return {
        r.id
        for r in fw.spec.escalations
        if (r.grades is None or worst in r.grades) and (r.when is None or flag)
    }


@given(data=st.data(), which=st.sampled_from(["cafcass", "ccc"]))
def test_escalation_fires_iff_the_most_severe_signal_meets_a_rule(
    cafcass: Framework, ccc: Framework, data: st.DataObject, which: str
) -> None:
    fw = cafcass if which == "cafcass" else ccc
    scale = list(fw.grade_rank)
    computed = data.draw(st.sampled_from(scale))
    recorded = data.draw(st.none() | st.sampled_from(scale))
    moderated = data.draw(st.none() | st.sampled_from(scale))
    flag = data.draw(st.booleans()) and fw.spec.immediate_actions is not None
    found = triggers(fw, _data(fw, recorded=recorded, moderated=moderated, immediate=flag), computed)
    assert {t.rule.id for t in found} == _holds(fw, computed, recorded, moderated, flag)
    # Only the moderator's grade calls for it exactly when no other signal reaches that grade.
    signals = Signals(computed, recorded, moderated)
    for t in found:
        alone = signals.sources(fw) == ("moderated",) and t.rule.grades is not None
        assert t.from_moderation == alone


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
    data = {**record.data, "overall_judgement": "requires_improvement"}
    assert [t.rule.id for t in triggers(framework, data, "requires_improvement")] == ["case_escalation"]
    assert triggers(record.framework, data, "requires_improvement") == []


# -- the earlier shape of the record ---------------------------------------------------------------


def test_the_earlier_shape_reads_as_one_recipient(records: dict[str, AuditRecord]) -> None:
    entry = records["CFA-2026-0222"].data["escalation"]
    assert recipients(entry) == [
        Told("Team manager", None, dt.date(2026, 10, 1), ("escalation", "raised_to"))
    ]
    assert [(a, state(r.data)) for a, r in sorted(records.items())] == [
        ("CFA-2025-0275", "raised"),
        ("CFA-2025-0276", "not_raised"),
        ("CFA-2026-0222", "acknowledged"),
        ("QA-2026-0046", "raised"),
        ("QA-2026-0089", "not_raised"),
    ]


def test_one_role_of_the_earlier_shape_can_name_several(cafcass: Framework) -> None:
    # The examples used to write both of a Cafcass audit's routes in one `raised_to`.
    data = _data(cafcass, recorded="requires_improvement", immediate=True)
    data["escalation"] = {
        "raised_to": "Service manager and practice supervisor",
        "raised_on": dt.date(2026, 10, 1),
    }
    life = lifecycle(triggers(cafcass, data, "requires_improvement"), data, TODAY)
    assert life.route == ("Service manager", "Practice supervisor")
    assert (life.off_route, life.not_told) == ((), ())
    assert on_route("Head of Service (North)", "Head of Service")
    assert not on_route("Service manager", "Head of Service")


@pytest.mark.parametrize(
    "entry",
    [{"raised_to": "Team manager"}, {"raised_on": dt.date(2026, 10, 1)}, {}],
    ids=["role-only", "date-only", "empty"],
)
def test_an_earlier_shape_record_without_its_role_or_its_date_tells_no_one(entry: dict[str, Any]) -> None:
    # Only a role with the day it was told is someone told.
    assert recipients(entry) == []


def test_raised_late_counts_the_day_raised_where_no_one_on_the_route_was_told(ccc: Framework) -> None:
    # Raised to a role off the route only, nine days after the audit: no role on the route was
    # told, so the day raised alone says how late it was (the route is due the audit's day).
    data = _data(ccc, recorded="inadequate")
    data["escalation"] = {"raised_to": "Director of Children's Services", "raised_on": dt.date(2026, 10, 10)}
    found = triggers(ccc, data, "good")
    life = lifecycle(found, data, TODAY)
    assert life.triggers == tuple(found)
    assert [t.role for t in life.off_route] == ["Director of Children's Services"]
    assert (life.due, life.raised_late_days) == (dt.date(2026, 10, 1), 9)
    assert "raised_late" in life.flags


@pytest.mark.parametrize("path", sorted(FOLDER.glob("*.yaml")), ids=lambda p: p.name)
def test_earlier_shape_files_stay_valid(path: Path, registry: Registry) -> None:
    check = check_audit(path, registry, CheckOptions(today=TODAY), path.name)
    assert check.errors == 0
    expected = {
        "CFA-2026-0222.yaml": ["QA407", "QA409"],
        "QA-2026-0046.yaml": ["QA408", "QA409"],
    }.get(path.name, [])
    assert [d.code for d in check.diagnostics] == expected


# -- states, steps and ages -------------------------------------------------------------------------


def test_states_ages_and_order() -> None:
    keys = ("audit_id", "state", "due", "age_days", "waiting_days", "overdue_days", "raised_late_days")
    keys += ("acknowledgement_overdue_days", "outcome_overdue_days")
    rows = [tuple(e[k] for k in keys) for e in _view()["escalations"]]
    assert rows == [
        # Moderated to inadequate on 2025-10-20: due that day, 398 days ago.
        ("CFA-2025-0276", "not_raised", "2025-10-20", 417, 398, 398, 0, 0, 0),
        ("QA-2026-0089", "not_raised", "2026-09-10", 73, 73, 73, 0, 0, 0),
        # Raised on 2026-05-15 (due 2026-05-18); acknowledgement was due in 5 days, the outcome
        # for the child in 20.
        ("QA-2026-0046", "raised", "2026-05-18", 193, 191, 0, 0, 186, 171),
        # Due on the day of the audit, raised two days later, acknowledged; no outcome in 10 days.
        ("CFA-2026-0222", "acknowledged", "2026-09-29", 54, 50, 0, 2, 0, 42),
    ]


LIFECYCLE_ROWS = [
    # (audit, state, due to raise, to acknowledge, the outcome, waiting, flags)
    ("CFA-2026-0501", "not_raised", "2026-11-02", None, None, 20, ["raise_overdue"]),
    (
        "QA-2026-0502",
        "raised",
        "2026-10-25",
        "2026-10-26",
        "2026-11-10",
        32,
        ["acknowledgement_overdue", "outcome_overdue"],
    ),
    ("QA-2026-0501", "acknowledged", "2026-10-04", "2026-10-06", "2026-10-21", 51, ["outcome_overdue"]),
    (
        "CFA-2026-0503",
        "outcome_recorded",
        "2026-10-12",
        "2026-10-14",
        "2026-10-22",
        23,
        ["off_route", "not_told", "acknowledged_late", "outcome_late"],
    ),
    ("CFA-2026-0502", "closed", "2026-10-05", "2026-10-07", "2026-10-15", None, []),
]


def test_every_step_of_the_lifecycle() -> None:
    keys = ("audit_id", "state", "due", "acknowledge_due", "outcome_due", "waiting_days", "flags")
    rows = [tuple(e[k] for k in keys) for e in _view(LIFECYCLE)["escalations"]]
    assert rows == LIFECYCLE_ROWS


NOTES = {
    "CFA-2026-0501": [],
    "QA-2026-0502": [
        "Not acknowledged: due by 2026-10-26, 27 days overdue.",
        "No outcome for the child recorded: due by 2026-11-10, 12 days overdue.",
    ],
    "QA-2026-0501": ["No outcome for the child recorded: due by 2026-10-21, 32 days overdue."],
    "CFA-2026-0503": [
        "Raised to Service manager (Priya Raman), who is not on the route (Case responsible worker, "
        "Team manager and Head of Service).",
        "Case responsible worker and Head of Service are on the route but not recorded as told.",
        "Acknowledged 6 days after it was due (2026-10-14).",
        "The case was confirmed safe 8 days after the outcome was due (2026-10-22).",
    ],
    "CFA-2026-0502": [],
}


@pytest.mark.parametrize("audit_id", sorted(NOTES))
def test_notes_say_what_is_amiss(audit_id: str) -> None:
    assert _items(LIFECYCLE)[audit_id]["notes"] == NOTES[audit_id]


def test_notes_on_the_earlier_shape() -> None:
    item = _items()["CFA-2026-0222"]
    assert item["notes"] == [
        "Case responsible worker and Head of Service are on the route but not recorded as told.",
        "Raised 2 days after it was due (2026-09-29).",
        "No outcome for the child recorded: due by 2026-10-11, 42 days overdue.",
    ]
    assert (item["days_to_raise"], item["days_to_acknowledge"]) == (2, 2)


def test_the_view_shows_who_was_told_and_what_was_done() -> None:
    items = _items(LIFECYCLE)
    assert items["CFA-2026-0503"]["recipients"] == [
        {"role": "Team manager", "name": "Sandra Whitlock", "told_on": "2026-10-12", "on_route": True},
        {"role": "Service manager", "name": "Priya Raman", "told_on": "2026-10-13", "on_route": False},
    ]
    assert items["CFA-2026-0503"]["not_told"] == ["Case responsible worker", "Head of Service"]
    closed = items["CFA-2026-0502"]
    assert (closed["acknowledged_on"], closed["acknowledged_by"]) == ("2026-10-06", "Gillian Marsh")
    assert closed["outcome"] == {
        "action_taken": "Strategy discussion held; a safety plan agreed with the family.",
        "safe_on": "2026-10-09",
    }
    assert (closed["closed_on"], closed["closed_by"]) == ("2026-10-16", "Gillian Marsh")
    assert (closed["days_to_outcome"], closed["days_to_close"]) == (4, 11)
    assert items["CFA-2026-0501"]["grade"] == {
        "id": "requires_improvement",
        "label": "Requires improvement to be good (recorded Inadequate)",
        "computed": "requires_improvement",
        "recorded": "inadequate",
        "moderated": None,
        "most_severe": "inadequate",
        "most_severe_label": "Inadequate",
        "evidence": "the auditor recorded Inadequate; the ratings give Requires improvement to be good",
    }


def test_totals() -> None:
    totals = _view(LIFECYCLE)["totals"]
    assert totals["needed"]["n"] == 5
    assert [(s["state"], s["label"], s["count"]["n"]) for s in totals["states"]] == [
        ("not_raised", "not raised", 1),
        ("raised", "raised, awaiting acknowledgement", 1),
        ("acknowledged", "acknowledged, awaiting the outcome", 1),
        ("outcome_recorded", "outcome recorded, awaiting closure", 1),
        ("closed", "closed", 1),
    ]
    counts = {k: totals[k]["n"] for k in ("open_count", "overdue", "raise_overdue")}
    counts |= {k: totals[k]["n"] for k in ("acknowledgement_overdue", "outcome_overdue", "off_route")}
    counts |= {k: totals[k]["n"] for k in ("raised_late", "acknowledged_late", "outcome_late")}
    assert counts == {
        "open_count": 4,
        "overdue": 3,
        "raise_overdue": 1,
        "acknowledgement_overdue": 1,
        "outcome_overdue": 2,
        "off_route": 1,
        "raised_late": 0,
        "acknowledged_late": 1,
        "outcome_late": 1,
    }
    # To raise: 0 (CFA-2026-0502, CFA-2026-0503), 2 (QA-2026-0501), 1 (QA-2026-0502, from the
    # moderation); to acknowledge: 1 and 8; to safe: 4 and 18; to close: 11.
    medians = [totals[f"median_days_to_{k}"] for k in ("raise", "acknowledge", "outcome", "close")]
    assert medians == [0.5, 1, 11, 11]


def test_an_escalation_no_rule_calls_for_is_listed() -> None:
    assert [(u["audit_id"], u["raised_to"]) for u in _view()["unprompted"]] == [
        ("CFA-2025-0275", "Head of Service")
    ]


def test_ages_move_with_today_not_the_clock() -> None:
    later = _view(day=TODAY + dt.timedelta(days=10))
    assert [e["waiting_days"] for e in later["escalations"]] == [408, 83, 201, 60]


def test_not_yet_due_is_not_overdue(tmp_path: Path) -> None:
    # The practice review is due five days after the audit of 2026-05-13.
    text = (FOLDER / "QA-2026-0046.yaml").read_text()
    (tmp_path / "a.yaml").write_text(text[: text.index("escalation:")])
    day = dt.date(2026, 5, 16)
    [item] = _view(tmp_path, day)["escalations"]
    assert (item["state"], item["due"], item["waiting_days"], item["overdue_days"]) == (
        "not_raised",
        "2026-05-18",
        3,
        0,
    )


def test_a_route_role_is_not_missed_before_the_day_it_is_due(cafcass: Framework) -> None:
    # Told the service manager today; the practice supervisor has five days.
    data = _data(cafcass, recorded="requires_improvement", immediate=True)
    data["escalation"] = {
        "raised_on": dt.date(2026, 10, 1),
        "recipients": [{"role": "Service manager", "name": None, "told_on": dt.date(2026, 10, 1)}],
    }
    found = triggers(cafcass, data, "requires_improvement")
    assert lifecycle(found, data, dt.date(2026, 10, 1)).not_told == ()
    assert lifecycle(found, data, dt.date(2026, 10, 2)).not_told == ("Practice supervisor",)


def test_filter_by_state_keeps_the_totals() -> None:
    view = _view(states=["raised"])
    assert [e["audit_id"] for e in view["escalations"]] == ["QA-2026-0046"]
    assert view["totals"]["needed"]["n"] == 4


@given(st.integers(min_value=0, max_value=2000))
def test_ages_are_consistent_for_any_today(offset: int) -> None:
    day = dt.date(2026, 11, 2) + dt.timedelta(days=offset)
    for item in _view(LIFECYCLE, day)["escalations"]:
        if item["state"] == "not_raised":
            assert item["waiting_days"] >= item["overdue_days"] >= 0
            assert item["overdue_days"] == max(0, (day - dt.date.fromisoformat(item["due"])).days)
        if item["outcome_due"] and item["state"] in ("raised", "acknowledged"):
            due = dt.date.fromisoformat(item["outcome_due"])
            assert item["outcome_overdue_days"] == max(0, (day - due).days)
        else:
            assert item["outcome_overdue_days"] == 0
        assert item["overdue"] == any(
            item[k] for k in ("overdue_days", "acknowledgement_overdue_days", "outcome_overdue_days")
        )
        assert item["age_days"] == (day - dt.date.fromisoformat(item["review_date"])).days


def test_summary_section_for_publication_names_nobody(records: dict[str, AuditRecord]) -> None:
    section = escalations.summary_section(list(records.values()), today=TODAY, publish=True)
    assert section["open"] == []
    # Counts from 1 to 4 are hidden in published figures.
    assert section["needed"] == {"n": None, "text": "<5"}
    # Not raised is a part of the needed escalations: under 5 needed, no part is shown (issue 16).
    assert section["not_raised"] == {"n": None, "text": "–"}
    internal = escalations.summary_section(list(records.values()), today=TODAY, publish=False)
    assert [o["audit_id"] for o in internal["open"]] == [
        "CFA-2025-0276",
        "QA-2026-0089",
        "QA-2026-0046",
        "CFA-2026-0222",
    ]


# -- one function decides, everywhere -----------------------------------------------------------------


@pytest.mark.parametrize(
    "folder", [FOLDER, LIFECYCLE, EXAMPLES / "service"], ids=["earlier", "lifecycle", "service"]
)
def test_every_report_agrees_on_which_audits_need_escalating(folder: Path, registry: Registry) -> None:
    dataset = _dataset(folder)
    listed = {e["audit_id"] for e in escalations.escalations_view(dataset, TODAY)["escalations"]}
    view = summary.quarterly_summary(dataset, today=TODAY)
    in_summary = {e["audit_id"] for s in view["frameworks"] for e in s["escalations"]}
    rows = {r["audit_id"] for r in summary.audit_rows(dataset) if r["escalation"]}
    in_feedback = {
        r.audit_id for r in dataset.records if feedback.audit_feedback(r, today=TODAY)["escalation"]
    }
    graded = set()
    for record in dataset.records:
        check = check_audit(Path(record.path), registry, CheckOptions(today=TODAY, keep_data=True))
        if grades.grade_dict(check)["escalation"]:
            graded.add(record.audit_id)
    assert listed == in_summary == rows == in_feedback == graded
    assert view["cycle"]["escalations"]["needed"]["n"] == len(listed)
    assert listed == {r.audit_id for r in dataset.records if escalation_reasons(r)}


# -- the command -----------------------------------------------------------------------------------------


def test_cli_exits_1_while_any_is_not_raised(cli: Any) -> None:
    run = cli("escalations", "--audits", FOLDER, "--today", "2026-11-22", expect=1)
    assert (
        "- As of 2026-11-22: 4 audits of 5 need escalating; **2 not raised**; 1 raised, awaiting "
        "acknowledgement; 1 acknowledged, awaiting the outcome; 0 outcome recorded, awaiting closure; "
        "0 closed.\n"
    ) in run.stdout
    assert (
        "- **4 escalations overdue**: 2 not raised by their due date, 1 not acknowledged in time, 2 "
        "without an outcome for the child in time (one late at more than one step is counted at each).\n"
    ) in run.stdout
    assert run.stderr.endswith(
        "2 escalations not raised: exiting with 1 until each is raised and recorded under "
        "'escalation:' in its audit (--fail-on never only reports).\n"
    )
    assert (
        "| Not raised, **overdue 73 days** | QA-2026-0089 | 2026-09-10 | Nadia Rahman | North East Public "
        "Law | Requires improvement | Service manager; Practice supervisor | 2026-09-10 | No | No | No | No "
        "| 73 |"
    ) in run.stdout


def test_markdown_lists_every_step(cli: Any) -> None:
    out = cli("escalations", "--audits", LIFECYCLE, "--today", "2026-11-22", expect=1).stdout
    assert (
        "| Outcome recorded, awaiting closure | CFA-2026-0503 | 2026-10-12 | Tomasz Nowak | Fenland Child in "
        "Need 1 | Requires improvement to be good (recorded Inadequate) | Case responsible worker; Team "
        "manager; Head of Service | 2026-10-12 | 2026-10-12 to Team manager; Service manager | 2026-10-20 "
        "by Priya Raman | 2026-10-30 | No | 23 |"
    ) in out
    assert (
        "| Raised, awaiting acknowledgement, **acknowledgement overdue 27 days**, **outcome overdue 12 "
        "days** | QA-2026-0502 |"
    ) in out
    assert (
        "- CFA-2026-0502 (`tests/data/cycle/escalation-lifecycle/CFA-2026-0502.yaml`): Case escalation to "
        "Case responsible worker, Team manager and Head of Service, because the auditor recorded "
        "Inadequate; the ratings give Requires improvement to be good. Told: Case responsible worker "
        "(Tomasz Nowak) on 2026-10-05; Team manager (Sandra Whitlock) on 2026-10-05; Head of Service "
        "(Gillian Marsh) on 2026-10-05. Outcome for the child (confirmed safe on 2026-10-09): Strategy "
        "discussion held; a safety plan agreed with the family.\n"
    ).replace("tests/data", str(DATA)) in out
    assert (
        "- Children's Services Practice Standards: **Case escalation** to Case responsible worker, Team "
        "manager and Head of Service when graded Inadequate, on the day of the audit; acknowledged within "
        "2 days of raising it; the outcome for the child recorded within 10 days."
    ) in out


GATES: dict[str, set[str]] = {
    # Which --fail-on values each audit of the lifecycle folder trips, on 2026-11-22.
    "CFA-2026-0501": {"not-raised", "open", "overdue", "raise-overdue"},
    "QA-2026-0502": {"raised", "open", "overdue", "acknowledgement-overdue", "outcome-overdue"},
    "QA-2026-0501": {"acknowledged", "open", "overdue", "outcome-overdue"},
    "CFA-2026-0503": {"outcome-recorded", "open", "off-route"},
    "CFA-2026-0502": set(),
}
FAIL_ON = [
    "not-raised",
    "raised",
    "acknowledged",
    "outcome-recorded",
    "open",
    "overdue",
    "raise-overdue",
    "acknowledgement-overdue",
    "outcome-overdue",
    "off-route",
    "never",
]


@pytest.mark.parametrize("fail_on", FAIL_ON)
@pytest.mark.parametrize("audit_id", sorted(GATES))
def test_fail_on_each_state_and_flag(cli: Any, tmp_path: Path, audit_id: str, fail_on: str) -> None:
    shutil.copy(LIFECYCLE / f"{audit_id}.yaml", tmp_path)
    code = 1 if fail_on in GATES[audit_id] else 0
    cli("escalations", "--audits", tmp_path, "--today", "2026-11-22", "--fail-on", fail_on, expect=code)


@pytest.mark.parametrize(
    ("fail_on", "today", "code"),
    [
        ("not-raised", "2026-11-22", 1),
        ("overdue", "2026-11-22", 1),
        ("never", "2026-11-22", 0),
    ],
)
def test_fail_on_keeps_its_earlier_values(cli: Any, fail_on: str, today: str, code: int) -> None:
    cli("escalations", "--audits", FOLDER, "--today", today, "--fail-on", fail_on, expect=code)


def test_fail_on_is_repeatable_and_says_why(cli: Any) -> None:
    args = ("escalations", "--audits", LIFECYCLE, "--today", "2026-11-22", "-f", "json")
    run = cli(*args, "--fail-on", "acknowledgement overdue", "--fail-on", "Off_Route", expect=1)
    assert run.stderr == (
        "error: 1 escalation not acknowledged in time: exiting with 1 until each is acknowledged and "
        "recorded (--fail-on never only reports).\n"
        "error: 1 escalation not raised along the framework's route: exiting with 1 until every role "
        "on the route is told and recorded under 'recipients:' (--fail-on never only reports).\n"
    )


@pytest.mark.parametrize("spelling", ["not raised", "Not Raised", "not_raised", " not-raised "])
def test_values_may_be_written_with_spaces(cli: Any, tmp_path: Path, spelling: str) -> None:
    shutil.copy(LIFECYCLE / "CFA-2026-0502.yaml", tmp_path)
    shutil.copy(LIFECYCLE / "CFA-2026-0501.yaml", tmp_path)
    run = cli(
        "escalations",
        "--audits",
        tmp_path,
        "--today",
        "2026-11-22",
        "--state",
        spelling,
        "--fail-on",
        spelling,
        "-f",
        "json",
        expect=1,
    )
    assert [e["audit_id"] for e in json.loads(run.stdout)["escalations"]] == ["CFA-2026-0501"]


def test_state_open_lists_all_but_the_closed(cli: Any) -> None:
    args = ("escalations", "--audits", LIFECYCLE, "--today", "2026-11-22", "-f", "json", "--fail-on", "never")
    view = json.loads(cli(*args, "--state", "open").stdout)
    assert [e["audit_id"] for e in view["escalations"]] == [
        "CFA-2026-0501",
        "QA-2026-0502",
        "QA-2026-0501",
        "CFA-2026-0503",
    ]
    view = json.loads(cli(*args, "--state", "outcome recorded", "--state", "closed").stdout)
    assert [e["audit_id"] for e in view["escalations"]] == ["CFA-2026-0503", "CFA-2026-0502"]


LIFECYCLE_ARGS = ("escalations", "--audits", LIFECYCLE, "--today", "2026-11-22", "--fail-on", "never")


@pytest.mark.parametrize(
    ("states", "listed", "message"),
    [
        # Overdue is late at any step, as the report's overdue line counts them (3 here).
        (["overdue"], ["CFA-2026-0501", "QA-2026-0502", "QA-2026-0501"], "- Listing only: overdue.\n"),
        (["Overdue"], ["CFA-2026-0501", "QA-2026-0502", "QA-2026-0501"], "- Listing only: overdue.\n"),
        # Repeated, the escalations in any of them.
        (
            ["closed", "overdue"],
            ["CFA-2026-0501", "QA-2026-0502", "QA-2026-0501", "CFA-2026-0502"],
            "- Listing only: closed, overdue.\n",
        ),
        (
            ["not raised", "overdue"],
            ["CFA-2026-0501", "QA-2026-0502", "QA-2026-0501"],
            "- Listing only: not raised, overdue.\n",
        ),
        (["outcome_recorded"], ["CFA-2026-0503"], "- Listing only: outcome recorded.\n"),
    ],
)
def test_state_overdue_lists_the_escalations_late_at_any_step(
    cli: Any, states: list[str], listed: list[str], message: str
) -> None:
    args = [a for s in states for a in ("--state", s)]
    view = json.loads(cli(*LIFECYCLE_ARGS, *args, "-f", "json").stdout)
    assert [e["audit_id"] for e in view["escalations"]] == listed
    assert view["totals"]["needed"]["n"] == 5
    assert view["totals"]["overdue"]["n"] == 3
    assert message in cli(*LIFECYCLE_ARGS, *args).stdout


def test_state_overdue_when_none_is_overdue(cli: Any, tmp_path: Path) -> None:
    shutil.copy(LIFECYCLE / "CFA-2026-0502.yaml", tmp_path)  # closed
    args = ("escalations", "--audits", tmp_path, "--today", "2026-11-22", "--state", "overdue")
    assert "No escalation is overdue.\n" in cli(*args).stdout
    assert "<p>No escalation is overdue.</p>" in cli(*args, "-f", "html").stdout
    both = cli(*args, "--state", "raised").stdout
    assert "No escalation is in those states or overdue.\n" in both


def test_state_overdue_in_the_function() -> None:
    view = escalations.escalations_view(_dataset(LIFECYCLE), TODAY, states=None, overdue=True)
    assert [e["audit_id"] for e in view["escalations"]] == ["CFA-2026-0501", "QA-2026-0502", "QA-2026-0501"]
    assert view["filter"] == ["overdue"]
    view = escalations.escalations_view(_dataset(LIFECYCLE), TODAY, states=["closed"], overdue=True)
    assert view["filter"] == ["closed", "overdue"]


@pytest.mark.parametrize(
    ("team", "teams", "chosen", "listed"),
    [
        (
            "fenland",
            ["Fenland Child in Need 1"],
            "the team Fenland Child in Need 1",
            ["CFA-2026-0501", "CFA-2026-0503", "CFA-2026-0502"],
        ),
        (
            "  EAST midlands  private LAW ",
            ["East Midlands Private Law"],
            "the team East Midlands Private Law",
            ["QA-2026-0502", "QA-2026-0501"],
        ),
        (  # part of both names: "the teams A and B", not "the team A, B"
            "land",
            ["East Midlands Private Law", "Fenland Child in Need 1"],
            "the teams East Midlands Private Law and Fenland Child in Need 1",
            None,
        ),
    ],
)
def test_team_chooses_the_audits_and_the_totals(
    cli: Any, team: str, teams: list[str], chosen: str, listed: list[str] | None
) -> None:
    view = json.loads(cli(*LIFECYCLE_ARGS, "--team", team, "-f", "json").stdout)
    everyone = ["CFA-2026-0501", "QA-2026-0502", "QA-2026-0501", "CFA-2026-0503", "CFA-2026-0502"]
    assert [e["audit_id"] for e in view["escalations"]] == (listed or everyone)
    # The list, and the names joined by commas as before it (schema_version 1.3).
    assert (view["teams"], view["team"]) == (teams, ", ".join(teams))
    assert (view["audits"], view["totals"]["needed"]["n"]) == (len(listed or everyone),) * 2
    # The council's framework lists themes; where its audits are chosen, the table counts them all.
    themed = any(e["framework"] == "ccc-practice-standards" for e in view["escalations"])
    assert sum(t["count"] for t in view["themes"]) == (view["totals"]["needed"]["n"] if themed else 0)
    md = cli(*LIFECYCLE_ARGS, "--team", team).stdout
    assert f"- Chosen: the audits of {chosen}; the figures above are for these.\n" in md
    html = cli(*LIFECYCLE_ARGS, "--team", team, "-f", "html").stdout
    assert f'<p class="note">Chosen: the audits of {chosen}; the figures above are for these.</p>' in html


def test_team_with_state_and_the_gate(cli: Any) -> None:
    args = ("escalations", "--audits", LIFECYCLE, "--today", "2026-11-22", "--team", "east midlands")
    # The team's escalations are all raised: the default gate (not raised) passes for it, and says
    # what it leaves out.
    run = cli(*args, "-f", "json")
    assert json.loads(run.stdout)["totals"]["not_raised"]["n"] == 0
    assert run.stderr == (
        "note: 1 escalation of other teams not raised, not counted by --fail-on here (--team): run "
        "without --team to check every team.\n"
    )
    run = cli(*args, "--state", "overdue", "--fail-on", "overdue", "-f", "csv", expect=1)
    assert [r["audit_id"] for r in csv.DictReader(io.StringIO(run.stdout))] == [
        "QA-2026-0502",
        "QA-2026-0501",
    ]
    assert run.stderr == (
        "error: 2 escalations overdue: exiting with 1 until each overdue step is taken and recorded under "
        "'escalation:' in its audit (--fail-on never only reports).\n"
        "note: 1 escalation of other teams overdue, not counted by --fail-on here (--team): run without "
        "--team to check every team.\n"
    )
    assert cli("escalations", "--audits", LIFECYCLE, "--today", "2026-11-22", expect=1).stderr.startswith(
        "error: 1 escalation not raised"
    )


@pytest.mark.parametrize(
    ("team", "message"),
    [
        (
            "Fenland CIN 1",
            "No audit of a team whose name holds 'Fenland CIN 1' was found among the 5 valid audits "
            "read. Did you mean 'Fenland Child in Need 1'? Check the spelling, or point --audits at "
            "the folder that holds the audits.",
        ),
        (
            "Hillside",
            "No audit of a team whose name holds 'Hillside' was found among the 5 valid audits read. "
            "Check the spelling, or point --audits at the folder that holds the audits.",
        ),
        ("  ", "--team needs a name, written as in the audits."),
    ],
)
def test_a_team_that_matches_nothing_is_a_usage_error(cli: Any, team: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        escalations.escalations_view(_dataset(LIFECYCLE), TODAY, team=team)
    assert str(caught.value) == message
    run = cli(*LIFECYCLE_ARGS, "--team", team, expect=2)
    assert message in " ".join(run.stderr.split())
    assert run.stdout == ""


def test_team_is_chosen_by_the_real_name_under_redact(cli: Any) -> None:
    run = cli(*LIFECYCLE_ARGS, "--team", "fenland", "--redact", "-f", "json")
    view = json.loads(run.stdout)
    assert [e["audit_id"] for e in view["escalations"]] == ["CFA-2026-0501", "CFA-2026-0503", "CFA-2026-0502"]
    assert "Sandra Whitlock" not in run.stdout
    assert view["escalations"][0]["practitioner"].startswith("Person ")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "--state",
            "lost",
            "error: --state 'lost' is not one of the values qaimpact escalations takes. Did you mean "
            "'closed'? It takes not-raised, raised, acknowledged, outcome-recorded, closed, open or "
            "overdue (spaces may replace hyphens).\n",
        ),
        (
            "--fail-on",
            "late",
            "error: --fail-on 'late' is not one of the values qaimpact escalations takes. It takes "
            "not-raised, raised, acknowledged, outcome-recorded, open, overdue, raise-overdue, "
            "acknowledgement-overdue, outcome-overdue, off-route or never (spaces may replace "
            "hyphens).\n",
        ),
        (
            "--state",
            "raisd",
            "error: --state 'raisd' is not one of the values qaimpact escalations takes. Did you mean "
            "'raised'? It takes not-raised, raised, acknowledged, outcome-recorded, closed, open or "
            "overdue (spaces may replace hyphens).\n",
        ),
    ],
)
def test_an_unknown_value_is_refused(cli: Any, option: str, value: str, message: str) -> None:
    # Regression: refused in typer's words after a usage line ("Invalid value for --state: ..."),
    # which change with its release; now as every other usage error, the same on each.
    run = cli("escalations", "--audits", FOLDER, option, value, expect=2)
    assert run.stderr == message


def test_never_cannot_be_combined(cli: Any) -> None:
    run = cli("escalations", "--audits", FOLDER, "--fail-on", "never", "--fail-on", "overdue", expect=2)
    assert "--fail-on never only reports: give it alone, not with other values." in run.stderr


def test_help_documents_each_state_and_gate(cli: Any) -> None:
    out = " ".join(cli("escalations", "--help").stdout.split())
    for words in (
        "outcome-recorded (awaiting closure)",
        "acknowledged (awaiting the outcome for the child)",
        "acknowledgement-overdue",
        "off-route (told someone off the framework's route, or a role on it never told)",
        'Spaces may replace hyphens: --state "not raised"',
        "or overdue (late at any step: not raised, acknowledged or given an outcome by its due date)",
        "Only the escalations of audits of a team whose name holds T (case and extra spaces ignored), as "
        "actions --team: the totals and --fail-on cover these.",
    ):
        assert words.replace(" ", "") in out.replace("│", "").replace(" ", ""), words


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
    run = cli("escalations", "--audits", LIFECYCLE, "--today", "2026-11-22", "-f", "csv", expect=1)
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert list(rows[0]) == escalations.COLUMNS
    assert [(r["audit_id"], r["state"], r["flags"]) for r in rows] == [
        ("CFA-2026-0501", "not_raised", "raise_overdue"),
        ("QA-2026-0502", "raised", "acknowledgement_overdue; outcome_overdue"),
        ("QA-2026-0501", "acknowledged", "outcome_overdue"),
        ("CFA-2026-0503", "outcome_recorded", "off_route; not_told; acknowledged_late; outcome_late"),
        ("CFA-2026-0502", "closed", ""),
    ]
    closed = rows[-1]
    assert closed["recipients"] == (
        "Case responsible worker (Tomasz Nowak) 2026-10-05; Team manager (Sandra Whitlock) 2026-10-05; "
        "Head of Service (Gillian Marsh) 2026-10-05"
    )
    assert (closed["recorded_grade"], closed["evidence"]) == (
        "inadequate",
        "the auditor recorded Inadequate; the ratings give Requires improvement to be good",
    )
    assert (closed["safe_on"], closed["closed_on"], closed["closed_by"]) == (
        "2026-10-09",
        "2026-10-16",
        "Gillian Marsh",
    )
    assert rows[3]["not_told"] == "Case responsible worker; Head of Service"


def test_csv_has_a_header_when_nothing_needs_escalating(cli: Any, tmp_path: Path) -> None:
    text = (FOLDER / "CFA-2025-0275.yaml").read_text()
    (tmp_path / "a.yaml").write_text(text[: text.index("escalation:")])
    run = cli("escalations", "--audits", tmp_path, "--today", "2026-11-22", "-f", "csv", expect=0)
    assert run.stdout == ",".join(escalations.COLUMNS) + "\n"
    md = cli("escalations", "--audits", tmp_path, "--today", "2026-11-22", expect=0).stdout
    assert "No audit needs escalating under the frameworks' rules.\n" in md


def test_json_has_every_step(cli: Any) -> None:
    run = cli("escalations", "--audits", LIFECYCLE, "--today", "2026-11-22", "-f", "json", expect=1)
    items = {e["audit_id"]: e for e in json.loads(run.stdout)["escalations"]}
    assert items == _items(LIFECYCLE)
    assert items["QA-2026-0502"]["rules"] == [
        {
            "id": "practice_supervisor",
            "title": "Practice review",
            "route": ["Practice supervisor"],
            "raise_to": "Practice supervisor",
            "within_days": 5,
            "acknowledge_within_days": 5,
            "outcome_within_days": 20,
            "reasons": ["the moderator graded it Requires improvement; the ratings give Met"],
        }
    ]


def test_html_lists_every_step_escaped_and_redacted(cli: Any, tmp_path: Path) -> None:
    shutil.copytree(LIFECYCLE, tmp_path / "audits")
    path = tmp_path / "audits" / "CFA-2026-0503.yaml"
    text = path.read_text()
    hostile = text.replace(
        "note: Sent to the service manager in the Head of Service's absence.",
        'note: "<script>alert(1)</script>"',
    )
    assert hostile != text
    path.write_text(hostile)
    run = cli(
        "escalations",
        "--audits",
        tmp_path / "audits",
        "--today",
        "2026-11-22",
        "-f",
        "html",
        "--redact",
        expect=1,
    )
    assert "<script>alert(1)</script>" not in run.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in run.stdout
    for name in ("Gillian Marsh", "Priya Raman", "Sandra Whitlock", "Samuel Adjei", "Tomasz Nowak"):
        assert name not in run.stdout
    assert "Person A" in run.stdout
    assert '<h2 id="overdue">Escalations overdue</h2>' in run.stdout
    assert '<th scope="row">Outcome recorded, awaiting closure</th>' in run.stdout


def test_state_option_rejects_an_unknown_state(cli: Any) -> None:
    run = cli("escalations", "--audits", FOLDER, "--state", "lost", expect=2)
    assert "--state 'lost' is not one of the values qaimpact escalations takes." in run.stderr


def test_output_file(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "escalations.html"
    run = cli(
        "escalations", "--audits", FOLDER, "--today", "2026-11-22", "-f", "html", "-o", target, expect=1
    )
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert f"wrote {target}" in run.stderr


# -- feedback on one audit -----------------------------------------------------------------------------

FEEDBACK = [
    (
        FOLDER / "CFA-2025-0276.yaml",
        "## ⚠ Action required now",
        f"- **{COUNCIL_ROUTE}: the moderator graded it Inadequate; the ratings give Good.**",
        "Escalation: **not raised yet**: the Case responsible worker, Team manager and Head of "
        "Service must be told by 2025-10-20 (**398 days overdue**: tell them today).",
    ),
    (
        FOLDER / "QA-2026-0046.yaml",
        "## ⚠ Action required now",
        "- **Practice review to Practice supervisor: the ratings give Requires improvement.**",
        "Escalation: raised on 2026-05-15: **awaiting acknowledgement** (due by 2026-05-20).",
    ),
    (
        FOLDER / "CFA-2026-0222.yaml",
        "## ⚠ Action required now",
        "- **Case responsible worker and Head of Service are on the route but not recorded as told.**",
        "Escalation: raised on 2026-10-01, acknowledged on 2026-10-03: **awaiting the outcome for the "
        "child** (due by 2026-10-11).",
    ),
    # The defect this fixes: the auditor's inadequate, on ratings that give less.
    (
        LIFECYCLE / "CFA-2026-0501.yaml",
        "## ⚠ Action required now",
        f"- **{COUNCIL_ROUTE}: the auditor recorded Inadequate; the ratings give Requires improvement to "
        "be good.**",
        "Escalation: **not raised yet**: the Case responsible worker, Team manager and Head of "
        "Service must be told by 2026-11-02 (**20 days overdue**: tell them today).",
    ),
    (
        LIFECYCLE / "QA-2026-0501.yaml",
        "## ⚠ Action required now",
        "- **Practice review to Practice supervisor: the auditor recorded Requires improvement; the "
        "ratings give Met.**",
        "Escalation: raised on 2026-10-01, acknowledged on 2026-10-02 by Samuel Adjei: **awaiting the "
        "outcome for the child** (due by 2026-10-21).",
    ),
    (
        LIFECYCLE / "CFA-2026-0503.yaml",
        "## Escalation",
        "Told: Team manager (Sandra Whitlock) on 2026-10-12; Service manager (Priya Raman) on 2026-10-13.",
        "Escalation: raised on 2026-10-12, acknowledged on 2026-10-20 by Priya Raman, the case confirmed "
        "safe on 2026-10-30: awaiting closure.",
    ),
    (
        LIFECYCLE / "CFA-2026-0502.yaml",
        "## Escalation",
        "Outcome for the child: Strategy discussion held; a safety plan agreed with the family.",
        "Escalation: raised on 2026-10-05, acknowledged on 2026-10-06 by Gillian Marsh, the case confirmed "
        "safe on 2026-10-09, closed on 2026-10-16 by Gillian Marsh: closed.",
    ),
]


@pytest.mark.parametrize(
    ("path", "heading", "reason", "line"), FEEDBACK, ids=[f"{p.parent.name}-{p.stem}" for p, *_ in FEEDBACK]
)
def test_feedback_on_one_audit_shows_the_escalation(
    cli: Any, path: Path, heading: str, reason: str, line: str
) -> None:
    lines = cli("report", path, "--today", "2026-11-22").stdout.splitlines()
    assert heading in lines
    assert reason in lines
    assert line in lines


def test_feedback_in_html_alerts_until_the_child_is_safe(cli: Any) -> None:
    html = cli("report", LIFECYCLE / "CFA-2026-0501.yaml", "--today", "2026-11-22", "-f", "html").stdout
    assert '<section class="alert" role="alert" aria-labelledby="escalation">' in html
    assert '<h2 id="escalation">Action required now</h2>' in html
    assert (
        "<li>Case escalation to Case responsible worker, Team manager and Head of Service: the auditor "
        "recorded Inadequate; the ratings give Requires improvement to be good.</li>"
    ) in html
    overdue = '<span class="nowrap">2026-11-02</span> (<strong>20 days overdue</strong>: tell them today)'
    assert overdue in html
    closed = cli("report", LIFECYCLE / "CFA-2026-0502.yaml", "--today", "2026-11-22", "-f", "html").stdout
    assert '<section class="alert" aria-labelledby="escalation">' in closed
    assert '<h2 id="escalation">Escalation</h2>' in closed


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


def test_grade_shows_the_escalation(cli: Any) -> None:
    path = LIFECYCLE / "CFA-2026-0501.yaml"
    [item] = json.loads(cli("grade", path, "--today", "2026-11-22", "-f", "json").stdout)
    assert item["escalation"] == [
        f"{COUNCIL_ROUTE}: the auditor recorded Inadequate; the ratings give Requires improvement to be good."
    ]
    text = " ".join(cli("grade", path, "--today", "2026-11-22").stdout.replace("│", "").split())
    assert "Action required now: escalate. - Case escalation to Case responsible worker" in text
    [calm] = json.loads(
        cli("grade", FOLDER / "CFA-2025-0275.yaml", "--today", "2026-11-22", "-f", "json").stdout
    )
    assert calm["escalation"] == []


def test_summary_counts_the_recorded_grade(cli: Any) -> None:
    view = json.loads(cli("summary", "--audits", LIFECYCLE, "--today", "2026-11-22", "-f", "json").stdout)
    listed = {e["audit_id"]: e["state"] for s in view["frameworks"] for e in s["escalations"]}
    assert listed == {
        "CFA-2026-0501": "not raised",
        "CFA-2026-0502": "closed",
        "CFA-2026-0503": "outcome recorded, awaiting closure",
        "QA-2026-0501": "acknowledged, awaiting the outcome",
        "QA-2026-0502": "raised, awaiting acknowledgement",
    }
    cycle = view["cycle"]["escalations"]
    assert [o["audit_id"] for o in cycle["open"]] == [
        "CFA-2026-0501",
        "QA-2026-0502",
        "QA-2026-0501",
        "CFA-2026-0503",
    ]
    md = cli("summary", "--audits", LIFECYCLE, "--today", "2026-11-22").stdout
    assert (
        "| QA-2026-0502 | 2026-10-01 | East Midlands Private Law | Raised, awaiting acknowledgement, "
        "**acknowledgement overdue 27 days**, **outcome overdue 12 days** | Practice supervisor | 32 |"
    ) in md


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


def test_a_folder_of_no_audit_says_no_audit_was_read(cli: Any) -> None:
    # Its one YAML file is not an audit (a folder with no YAML file at all is refused).
    folder = DATA / "no-audits" / "not-audits"
    md = cli("escalations", "--audits", folder, "--today", "2026-11-22").stdout
    assert "no valid audit read" in md
    assert "0 audits of 0" not in md
    assert "No valid audit was read, so there is nothing to escalate" in md
    assert "No audit needs escalating" not in md
    html = cli("escalations", "--audits", folder, "--today", "2026-11-22", "-f", "html").stdout
    assert "No valid audit was read, so there is nothing to escalate" in html


@pytest.mark.parametrize(
    ("fmt", "said", "rules"),
    [
        (
            "md",
            "No valid audit was read. 2 invalid audit files were left out: whether they need escalating "
            "is not known until they are fixed.\n",
            "No valid audit was read, so no framework's rules apply.\n",
        ),
        (
            "html",
            "<p>No valid audit was read. 2 invalid audit files were left out: whether they need "
            "escalating is not known until they are fixed.</p>\n",
            "<li>No valid audit was read, so no framework's rules apply.</li>\n",
        ),
    ],
)
def test_a_folder_of_invalid_audits_is_not_said_to_be_empty(
    cli: Any, tmp_path: Path, fmt: str, said: str, rules: str
) -> None:
    # Regression (a review): with every audit invalid, the report said "check that --audits names
    # the folder that holds the audits" and "No framework in use has rules for escalating".
    for n in (1, 2):
        (tmp_path / f"a{n}.yaml").write_text(
            f"standards: ccc-practice-standards\naudit_id: CFA-2026-099{n}\n"
        )
    out = cli("escalations", "--audits", tmp_path, "--today", "2026-11-22", "-f", fmt, expect=1).stdout
    assert said in out
    assert rules in out
    assert "names the folder" not in out
    assert "No framework in use" not in out


KINDS = ("not_raised", "raised", "acknowledged", "outcome_recorded", "closed")


def _item(state: str) -> Mapping[str, Any]:
    return {
        "state": state,
        "flags": [],
        "overdue": False,
        **dict.fromkeys(("days_to_raise", "days_to_acknowledge", "days_to_outcome", "days_to_close")),
    }


@pytest.mark.parametrize(
    ("states", "hidden"),
    [
        # 6 - 5 - 0 would give the 1: the total is hidden (5 or more, so 1 to 4 not raised).
        ((1, 0, 0, 0, 5), {"not_raised", "needed"}),
        # Two of 1 to 4 adding to 2 are 1 and 1: the total is hidden.
        ((1, 1, 0, 0, 5), {"not_raised", "raised", "needed"}),
        ((2, 3, 0, 0, 5), {"not_raised", "raised"}),  # 2 + 3 could be 1 + 4: nothing more to hide
        ((0, 0, 0, 0, 6), set()),
    ],
)
def test_published_states_cannot_be_worked_out_from_the_total(
    states: tuple[int, ...], hidden: set[str]
) -> None:
    items = [dict(_item(s)) for s, n in zip(KINDS, states, strict=True) for _ in range(n)]
    ledger = Figures(publish=True)
    totals = escalations._totals(items, ledger)
    ledger.protect()
    shown_hidden = {s["state"] for s in totals["states"] if s["count"]["n"] is None}
    assert shown_hidden | ({"needed"} if totals["needed"]["n"] is None else set()) == hidden
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


@pytest.mark.parametrize(
    ("period", "line"),
    [
        (
            (),
            "- **3 escalations overdue**: 1 not raised by its due date, 1 not acknowledged in time, "
            "2 without an outcome for the child in time (one late at more than one step is counted at each).",
        ),
        (
            ("--quarter", "2026-Q1"),
            "- **1 escalation overdue**: 0 not raised by their due date, 0 not acknowledged in time, "
            "1 without an outcome for the child in time.",
        ),
    ],
)
def test_the_overdue_steps_say_when_they_add_up_to_more_than_the_escalations(
    cli: Any, period: tuple[str, ...], line: str
) -> None:
    """A board reader adds the parts up: where one escalation is late at two steps, the line says
    why they come to more than the escalations overdue."""
    service = EXAMPLES / "service"
    run = cli("escalations", "--audits", service, "--today", "2026-11-22", "--fail-on", "never", *period)
    assert line + "\n" in run.stdout


TEAMS = DATA / "team-choice"  # Fenland Child in Need 1 (closed) and Fenland Child in Need 12 (not raised)
OTHERS_NOTE = (
    "note: 1 escalation of other teams not raised, not counted by --fail-on here (--team): run without "
    "--team to check every team."
)


@pytest.mark.parametrize(
    ("team", "chosen", "code", "note"),
    [
        # The name itself wins: team 1 is not team 12 as well (found in review).
        ("fenland child in need 1", "team Fenland Child in Need 1", 0, True),
        ("Need 12", "team Fenland Child in Need 12", 1, False),
        # Words shared by both names choose both; part of a word still finds a team.
        ("Fenland", "teams Fenland Child in Need 1 and Fenland Child in Need 12", 1, False),
        ("fen", "teams Fenland Child in Need 1 and Fenland Child in Need 12", 1, False),
    ],
)
def test_team_chooses_the_closest_names_and_says_what_fail_on_leaves_out(
    cli: Any, team: str, chosen: str, code: int, note: bool
) -> None:
    run = cli(
        "escalations", "--audits", TEAMS, "--today", TODAY.isoformat(), "--team", team,
        "--fail-on", "not-raised", expect=code,
    )  # fmt: skip
    assert f"- Chosen: the audits of the {chosen}; the figures above are for these.\n" in run.stdout
    assert (OTHERS_NOTE in run.stderr.splitlines()) is note
    assert ("error: 1 escalation not raised" in run.stderr) is (code == 1)


def test_team_with_fail_on_never_says_nothing_of_other_teams(cli: Any) -> None:
    args = ("escalations", "--audits", TEAMS, "--today", TODAY.isoformat(), "--team", "need 1")
    assert cli(*args).stderr == OTHERS_NOTE + "\n"  # the default gate: not raised
    assert cli(*args, "--fail-on", "never").stderr == ""


SERVICE = EXAMPLES / "service"


@pytest.mark.parametrize(
    ("quarter", "carried", "line"),
    [
        (
            "2026-Q3",
            ["QA-2026-0014", "QA-2026-0046"],
            "- Carried in: **2 escalations of audits before the period still open when it began** (2 still "
            "open today), listed below as audited before the period; the figures here are the period's own.",
        ),
        (
            "2026-Q1",
            [],
            "- Carried in: none. No escalation of an audit before the period was still open when it began.",
        ),
    ],
)
def test_a_period_lists_the_escalations_of_earlier_audits_still_open(
    cli: Any, quarter: str, carried: list[str], line: str
) -> None:
    """Found by a new-user check: `escalations --quarter 2026-Q3` left out QA-2026-0014, an escalation
    of February still without an outcome for the child, 286 days overdue."""
    args = ("escalations", "--audits", SERVICE, "--today", TODAY.isoformat(), "--quarter", quarter)
    md = cli(*args, "--fail-on", "never").stdout
    assert line + "\n" in md
    view = json.loads(cli(*args, "--fail-on", "never", "-f", "json").stdout)
    assert [e["audit_id"] for e in view["escalations"] if e["carried_in"]] == carried
    assert view["carried_in"]["escalations"] == len(carried)
    rows = list(csv.DictReader(io.StringIO(cli(*args, "--fail-on", "never", "-f", "csv").stdout)))
    assert [r["audit_id"] for r in rows if r["carried_in"] == "true"] == carried


def test_fail_on_counts_an_earlier_escalation_still_waiting(cli: Any) -> None:
    """A quarter with no audit of its own still fails the gate while an earlier child's outcome is
    overdue (it exited 0 before)."""
    args = ("escalations", "--audits", SERVICE, "--today", TODAY.isoformat(), "--quarter", "2026-Q4")
    run = cli(*args, "--fail-on", "outcome-overdue", expect=1)
    assert run.stderr == (
        "error: 2 escalations without an outcome in time: exiting with 1 until each has its outcome "
        "recorded (--fail-on never only reports).\n"
    )
    # The default gate: CFA-2026-0222 (29 September) is carried in, never raised.
    assert cli(*args, expect=1).stderr.startswith("error: 1 escalation not raised: exiting with 1")


def test_without_a_first_day_nothing_is_carried_in(cli: Any) -> None:
    args = ("escalations", "--audits", SERVICE, "--today", TODAY.isoformat(), "--to", "2026-06-30")
    view = json.loads(cli(*args, "--fail-on", "never", "-f", "json").stdout)
    assert view["carried_in"] is None
    assert not any(e["carried_in"] for e in view["escalations"])


def test_a_team_whose_escalations_are_all_carried_in(cli: Any) -> None:
    """Found in review: a team with no audit in the quarter but escalations carried into it was
    listed, and then the note on other teams failed with "No audit of a team ... was found"."""
    run = cli(
        "escalations", "--audits", SERVICE, "--today", "2026-11-30", "--quarter", "2026-Q4",
        "--team", "Public Law", "--fail-on", "not-raised", "-f", "json",
    )  # fmt: skip
    view = json.loads(run.stdout)
    assert [(e["audit_id"], e["carried_in"]) for e in view["escalations"]] == [
        ("QA-2026-0089", True),
        ("QA-2026-0014", True),
    ]
    # CFA-2026-0222, of another team, carried in and never raised: said, not hidden.
    assert run.stderr == OTHERS_NOTE + "\n"


@pytest.mark.parametrize(
    ("recorded", "moderated", "expected"),
    [
        ("inadequate", None, [("case_escalation", "the auditor recorded Inadequate", False)]),
        (None, "inadequate", [("case_escalation", "the moderator graded it Inadequate", True)]),
        (
            "inadequate",
            "inadequate",
            [
                (
                    "case_escalation",
                    "the auditor recorded Inadequate and the moderator graded it Inadequate",
                    False,
                )
            ],
        ),
        # The more severe of the two decides, on the scale (not in the order of the grades' ids,
        # where requires_improvement comes after inadequate), whichever of them holds it.
        (
            "inadequate",
            "requires_improvement",
            [("case_escalation", "the auditor recorded Inadequate", False)],
        ),
        (
            "requires_improvement",
            "inadequate",
            [("case_escalation", "the moderator graded it Inadequate", True)],
        ),
        # The ratings may give a more severe grade than Requires improvement: nothing is sure.
        ("requires_improvement", None, []),
        ("not-a-grade", None, []),
        (None, None, []),
    ],
)
def test_the_escalations_sure_whatever_the_ratings_give(recorded, moderated, expected):
    from qaimpact.frameworks.registry import bundled_dir
    from qaimpact.grading.escalation_triggers import whatever_the_ratings_give

    framework = Registry([bundled_dir()]).get("ccc-practice-standards")
    assert framework is not None
    found = whatever_the_ratings_give(framework, recorded, moderated)
    assert [(t.rule.id, *t.reasons, t.from_moderation) for t in found] == expected


TOLD_LATE = DATA / "cycle" / "escalation-told-late"


@pytest.mark.parametrize(
    ("audit_id", "raised_late_days", "notes"),
    [
        (
            "CFA-2026-0311",
            17,
            [
                "Head of Service told 17 days after it was due (2026-11-03).",
                "No outcome for the child recorded: due by 2026-11-13, 9 days overdue.",
            ],
        ),
        (
            "CFA-2026-0312",
            16,
            [
                "Team manager told 7 days after it was due (2026-11-03).",
                "Head of Service told 16 days after it was due (2026-11-03).",
                "Acknowledged 6 days after it was due (2026-11-05).",
                "No outcome for the child recorded: due by 2026-11-13, 9 days overdue.",
            ],
        ),
    ],
)
def test_a_role_on_the_route_told_after_the_due_date_is_raised_late(
    cli: Any, audit_id: str, raised_late_days: int, notes: list[str]
) -> None:
    """Every role on the route is due to be told by the due date: raising it on time to one of
    them does not hide the Head of Service told weeks later (a raised_on before anyone was told is
    QA312: tests/data/invalid)."""
    run = cli("escalations", "--audits", str(TOLD_LATE), "--today", TODAY.isoformat(), "-f", "json")
    item = {e["audit_id"]: e for e in json.loads(run.stdout)["escalations"]}[audit_id]
    assert item["raised_late_days"] == raised_late_days
    assert "raised_late" in item["flags"]
    assert item["notes"] == notes
    page = cli("escalations", "--audits", str(TOLD_LATE), "--today", TODAY.isoformat()).stdout
    assert "Done late: 2 raised, 1 acknowledged and 0 confirmed safe after the step was due." in page


RAISED_BEFORE_ANYONE_TOLD = DATA / "invalid" / "QA312-escalation-raised-before-anyone-told.yaml"


def test_raised_on_before_anyone_was_told_is_an_error(cli: Any) -> None:
    """raised_on is the day the first person was told: one before everyone on the route was told
    (16 days before, on a same-day rule) would date the escalation from a day nobody knew of it."""
    where = f"{RAISED_BEFORE_ANYONE_TOLD}:68:14"
    run = cli("validate", str(RAISED_BEFORE_ANYONE_TOLD), "--today", TODAY.isoformat(), expect=1)
    assert (
        f"{where}: error QA312 'raised_on' is 2026-11-03, before anyone was told (the first on 2026-11-19).\n"
        "    hint: 'raised_on' is the day the first person was told: correct it to 2026-11-19, or add "
        "whoever was told on 2026-11-03 under 'recipients:'.\n"
    ) in run.stdout


@pytest.mark.parametrize(
    ("output_format", "cells"),
    [
        ("md", "by Priya Raman | 2026-10-30 | No | 23 |"),
        (
            "html",
            '<td data-label="Raised">No</td>\n      <td data-label="Acknowledged">No</td>\n      '
            '<td data-label="Safe">No</td>\n      <td data-label="Closed">No</td>',
        ),
    ],
)
def test_a_step_not_taken_is_no(cli: Any, output_format: str, cells: str) -> None:
    """A regression: the escalations report wrote "no" where every other page writes "No"."""
    out = cli(
        "escalations", "--audits", LIFECYCLE, "--today", "2026-11-22", "-f", output_format, expect=1
    ).stdout
    assert cells in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["escalations", "--audits", SERVICE],
            "| Closed | QA-2026-0006 | 2026-01-06 | Nadia Rahman | North East Public Law | Requires "
            "improvement (moderated; the ratings give Met) | Practice supervisor |",
        ),
        (
            ["escalations", "--audits", SERVICE],
            "because the moderator graded it Requires improvement; the ratings give Met.",
        ),
    ],
    ids=["table", "why"],
)
def test_a_grade_is_written_as_the_standards_file_writes_it(
    cli: Any, args: list[object], expected: str
) -> None:
    """Regression (a QA manager): the table said 'the ratings give met' where the reasons said
    'the ratings give Met'; every page now writes the grade's label as the framework does."""
    out = cli(*args, "--today", TODAY.isoformat(), expect=1).stdout  # some are overdue
    assert expected in out

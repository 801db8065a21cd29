"""The remedial action tracker: states and days against an injected today, order, filters, output."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, ROOT, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import Dataset, load_dataset
from qaimpact.audits.records import AuditRecord
from qaimpact.base.errors import UsageError
from qaimpact.cycle import actions
from qaimpact.frameworks.registry import Registry

FOLDER = DATA / "cycle" / "actions"
CAFCASS = FOLDER / "QA-2026-0142.yaml"
#: Every real name in the test audits: none may survive --redact.
NAMES = (
    "Priya",
    "Natarajan",
    "Gareth",
    "Lloyd",
    "Connor",
    "Fitzgerald",
    "Imran",
    "Qureshi",
    "Amara",
    "Okonkwo",
)


def _dataset(day: dt.date = TODAY, folder: Path = FOLDER) -> Dataset:
    return load_dataset([folder], Registry.default([]), CheckOptions(today=day))


def _view(day: dt.date = TODAY, **options: Any) -> dict[str, Any]:
    return actions.actions_view(_dataset(day), day, **options)


def _ids(view: dict[str, Any]) -> list[tuple[str, int]]:
    return [(a["audit_id"], a["number"]) for a in view["actions"]]


@pytest.fixture(scope="module")
def base() -> AuditRecord:
    """A valid council audit to give hand-made actions to."""
    [record] = [r for r in _dataset().records if r.audit_id == "CFA-2026-0401"]
    return record


def _with(record: AuditRecord, *items: dict[str, Any], audit_id: str | None = None) -> AuditRecord:
    data = {**record.data, "remedial_actions": list(items)}
    if audit_id is not None:
        data["audit_id"] = audit_id
    return dataclasses.replace(record, data=data)


def _action(status: str = "open", due: dt.date | None = None, **rest: Any) -> dict[str, Any]:
    return {"action": "Update the plan.", "owner": "Priya Natarajan", "status": status, "due": due, **rest}


# -- every action, its state and its days --------------------------------------------------------------


def test_rows_in_the_tracker_order() -> None:
    rows = [
        (
            a["state"],
            a["audit_id"],
            a["number"],
            a["owner"],
            a["due"],
            a["closed_on"],
            a["overdue_days"],
            a["closed_on_time"],
            a["closed_late_days"],
            a["age_days"],
        )
        for a in _view()["actions"]
    ]
    assert rows == [
        # Overdue, most overdue first: due 2026-09-15 and 2026-11-01.
        ("overdue", "CFA-2026-0401", 1, "Priya Natarajan", "2026-09-15", None, 68, None, 0, 82),
        # Its audit writes "connor  FITZGERALD": one owner, spelled as read first.
        ("overdue", "CFA-2026-0455", 3, "Connor Fitzgerald", "2026-11-01", None, 21, None, 0, 33),
        # Open by due date: due today is not overdue; no due date comes last.
        ("open", "CFA-2026-0455", 4, "Imran Qureshi", "2026-11-22", None, 0, None, 0, 33),
        ("open", "CFA-2026-0455", 1, "Connor Fitzgerald", "2026-11-30", None, 0, None, 0, 33),
        ("open", "CFA-2026-0401", 3, "Priya Natarajan", None, None, 0, None, 0, 82),
        # Done, most recently closed first: without a due date, 8 days late, on time.
        ("done", "CFA-2026-0470", 1, "Amara Okonkwo", None, "2026-11-05", 0, None, 0, None),
        ("done", "CFA-2026-0455", 2, "Imran Qureshi", "2026-10-27", "2026-11-04", 0, False, 8, None),
        ("done", "CFA-2026-0401", 2, "Gareth Lloyd", "2026-09-10", "2026-09-08", 0, True, 0, None),
    ]


def test_an_action_carries_its_audit_and_who_was_told() -> None:
    first = _view()["actions"][0]
    assert {k: first[k] for k in ("file", "review_date", "framework", "team", "practitioner", "action")} == {
        "file": str(FOLDER / "CFA-2026-0401.yaml"),
        "review_date": "2026-09-01",
        "framework": "ccc-practice-standards",
        "team": "Fenland Child in Need 2",
        "practitioner": "Priya Natarajan",
        "action": "Rewrite the child in need plan as SMART, with owners and dates.",
    }
    # The council's standards file: notify: [practitioner, team_manager].
    assert first["notified"] == [
        {"key": "practitioner", "label": "Practitioner", "name": "Priya Natarajan"},
        {"key": "team_manager", "label": "Team manager", "name": "Gareth Lloyd"},
    ]


def test_who_is_told_is_the_standards_data(tmp_path: Path) -> None:
    source = (ROOT / "standards" / "ccc-practice-standards.yaml").read_text()
    edited = source.replace("notify: [practitioner, team_manager]", "notify: [team_manager, case.team]")
    assert edited != source
    (tmp_path / "ccc.yaml").write_text(edited)
    dataset = load_dataset([FOLDER], Registry.default([tmp_path]), CheckOptions(today=TODAY))
    first = actions.actions_view(dataset, TODAY)["actions"][0]
    assert [(n["label"], n["name"]) for n in first["notified"]] == [
        ("Team manager", "Gareth Lloyd"),
        ("Team", "Fenland Child in Need 2"),
    ]


def test_a_missing_name_is_none(base: AuditRecord) -> None:
    data = {k: v for k, v in base.data.items() if k != "team_manager"}
    record = dataclasses.replace(base, data=data)
    assert actions.notified(record)[1] == {"key": "team_manager", "label": "Team manager", "name": None}


def test_totals() -> None:
    totals = _view()["totals"]
    assert {k: v["n"] for k, v in totals.items() if k != "overdue_share"} == {
        "actions": 8,
        "open": 5,
        "overdue": 2,
        "open_without_due": 1,
        "done": 3,
        "done_on_time": 1,
        "done_late": 1,
        "done_without_due": 1,
    }
    assert totals["overdue_share"]["text"] == "40% (2 of 5)"


def test_the_view_says_what_was_read_and_left_out() -> None:
    view = _view()
    assert (view["kind"], view["audits"], view["read"], view["declared"]) == ("actions", 4, 8, True)
    # CFA-2026-0499 marks an action done without evidence (QA310): left out, and counted.
    assert (view["invalid_count"], view["invalid"]) == (1, [str(FOLDER / "CFA-2026-0499.yaml")])
    assert [(f["id"], f["declares_actions"], f["notify"]) for f in view["frameworks"]] == [
        ("cafcass-qiam-2017", False, []),
        ("ccc-practice-standards", True, ["Practitioner", "Team manager"]),
    ]


@pytest.mark.parametrize(
    ("due", "status", "closed_on", "state", "overdue_days", "on_time", "late_days"),
    [
        (TODAY, "open", None, "open", 0, None, 0),
        (TODAY - dt.timedelta(days=1), "open", None, "overdue", 1, None, 0),
        (None, "open", None, "open", 0, None, 0),
        (TODAY - dt.timedelta(days=30), "done", TODAY - dt.timedelta(days=30), "done", 0, True, 0),
        (TODAY - dt.timedelta(days=30), "done", TODAY - dt.timedelta(days=29), "done", 0, False, 1),
        (None, "done", TODAY, "done", 0, None, 0),
    ],
)
def test_state_on_the_day(
    base: AuditRecord,
    due: dt.date | None,
    status: str,
    closed_on: dt.date | None,
    state: str,
    overdue_days: int,
    on_time: bool | None,
    late_days: int,
) -> None:
    item = actions.action_item(base, 1, _action(status, due, closed_on=closed_on), TODAY)
    assert (item["state"], item["overdue_days"], item["closed_on_time"], item["closed_late_days"]) == (
        state,
        overdue_days,
        on_time,
        late_days,
    )


def test_days_move_with_today_not_the_clock() -> None:
    later = _view(dt.date(2026, 12, 1))
    assert [(a["audit_id"], a["number"], a["overdue_days"]) for a in later["actions"][:4]] == [
        ("CFA-2026-0401", 1, 77),
        ("CFA-2026-0455", 3, 30),
        ("CFA-2026-0455", 4, 9),
        ("CFA-2026-0455", 1, 1),
    ]
    assert later["totals"]["overdue"]["n"] == 4


# -- filters -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"owner": " priya   NATARAJAN"}, [("CFA-2026-0401", 1), ("CFA-2026-0401", 3)]),
        # "connor  FITZGERALD" in the audit is the same person.
        ({"owner": "Connor Fitzgerald"}, [("CFA-2026-0455", 3), ("CFA-2026-0455", 1)]),
        (
            {"team": "fenland child in need 2"},
            [("CFA-2026-0401", 1), ("CFA-2026-0401", 3), ("CFA-2026-0470", 1), ("CFA-2026-0401", 2)],
        ),
        ({"overdue": True}, [("CFA-2026-0401", 1), ("CFA-2026-0455", 3)]),
        ({"owner": "Imran Qureshi", "overdue": True}, []),
        ({"team": "Huntingdonshire Family Safeguarding 3", "overdue": True}, [("CFA-2026-0455", 3)]),
        ({"owner": "Priya Natarajan", "team": "Huntingdonshire Family Safeguarding 3"}, []),
        # A team matches on any part of its name, in any case.
        (
            {"team": "FENLAND"},
            [("CFA-2026-0401", 1), ("CFA-2026-0401", 3), ("CFA-2026-0470", 1), ("CFA-2026-0401", 2)],
        ),
        ({"team": "safeguarding  3", "overdue": True}, [("CFA-2026-0455", 3)]),
    ],
)
def test_filters(options: dict[str, Any], expected: list[tuple[str, int]]) -> None:
    assert _ids(_view(**options)) == expected


def test_no_open_actions_have_no_overdue_share() -> None:
    share = _view(owner="Gareth Lloyd")["totals"]["overdue_share"]
    assert (share["pct"], share["text"]) == (None, "no open actions")


def test_a_part_of_a_team_name_shows_every_team_it_matches(tmp_path: Path, cli: Any) -> None:
    for path in sorted(FOLDER.glob("*.yaml")):
        text = path.read_text().replace(
            "Huntingdonshire Family Safeguarding 3", "Fenland Family Safeguarding 3"
        )
        (tmp_path / path.name).write_text(text)
    run = cli(
        "actions", "--audits", tmp_path, "--today", "2026-11-22", "-f", "json", "--team", "fenland", expect=1
    )
    view = json.loads(run.stdout)
    assert view["filter"]["team"] == "Fenland Child in Need 2, Fenland Family Safeguarding 3"
    assert view["filter"]["teams"] == ["Fenland Child in Need 2", "Fenland Family Safeguarding 3"]
    assert len(view["actions"]) == view["read"]


def test_owner_and_team_choose_the_totals_and_overdue_only_the_list() -> None:
    view = _view(owner="imran qureshi", overdue=True)
    assert view["actions"] == []
    totals = view["totals"]
    assert (totals["actions"]["n"], totals["open"]["n"], totals["done_late"]["n"]) == (2, 1, 1)
    assert view["filter"] == {"owner": "Imran Qureshi", "team": None, "teams": None, "overdue": True}


def test_the_filter_shows_the_name_as_the_audits_write_it() -> None:
    view = _view(owner="CONNOR   fitzgerald", team="huntingdonshire family safeguarding 3")
    assert view["filter"]["owner"] == "Connor Fitzgerald"
    assert view["filter"]["team"] == "Huntingdonshire Family Safeguarding 3"
    assert view["filter"]["teams"] == ["Huntingdonshire Family Safeguarding 3"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"owner": "Conor Fitzgerald"},
            "No remedial action owned by 'Conor Fitzgerald' was found among the 8 actions read from 4 valid "
            "audits. Did you mean 'Connor Fitzgerald'? Check the spelling, or point --audits at the folder "
            "that holds the audits.",
        ),
        (
            {"owner": "Gareth"},
            "No remedial action owned by 'Gareth' was found among the 8 actions read from 4 valid audits. "
            "Did you mean 'Gareth Lloyd'? Check the spelling, or point --audits at the folder that holds "
            "the audits.",
        ),
        (
            {"owner": "Zoe Quinn"},
            "No remedial action owned by 'Zoe Quinn' was found among the 8 actions read from 4 valid "
            "audits. Check the spelling, or point --audits at the folder that holds the audits.",
        ),
        (
            {"team": "Fenland  CIN 2"},
            "No remedial action from an audit of the team 'Fenland CIN 2' was found among the 8 actions "
            "read from 4 valid audits. Did you mean 'Fenland Child in Need 2'? Check the spelling, or "
            "point --audits at the folder that holds the audits.",
        ),
        ({"owner": "   "}, "--owner needs a name, written as in the audits."),
        ({"team": ""}, "--team needs a name, written as in the audits."),
    ],
)
def test_a_filter_that_matches_nothing_is_a_usage_error(options: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        _view(**options)
    assert str(caught.value) == message


def test_no_framework_with_remedial_actions() -> None:
    dataset = _dataset(folder=CAFCASS)
    view = actions.actions_view(dataset, TODAY)
    assert (view["declared"], view["read"], view["actions"]) == (False, 0, [])
    with pytest.raises(UsageError) as caught:
        actions.actions_view(dataset, TODAY, owner="Amira Hassan")
    assert str(caught.value) == (
        "No remedial action owned by 'Amira Hassan' was found among the 0 actions read from 1 valid audit. "
        "None of the frameworks of these audits declares remedial actions. Check the spelling, or point "
        "--audits at the folder that holds the audits."
    )


def test_redaction_chooses_by_the_real_name_and_shows_the_pseudonym() -> None:
    view = _view(owner="Priya Natarajan", redact=True)
    assert _ids(view) == [("CFA-2026-0401", 1), ("CFA-2026-0401", 3)]
    text = json.dumps(view)
    assert not [name for name in NAMES if name in text]
    assert view["filter"]["owner"] == view["actions"][0]["owner"] == view["actions"][0]["practitioner"]
    assert view["filter"]["owner"].startswith("Person ")


# -- properties ----------------------------------------------------------------------------------------

DAYS = st.dates(min_value=dt.date(2026, 9, 1), max_value=dt.date(2027, 3, 1))


@st.composite
def _actions(draw: st.DrawFn) -> dict[str, Any]:
    status = draw(st.sampled_from(["open", "done"]))
    return _action(
        status,
        draw(st.none() | DAYS),
        owner=draw(st.sampled_from(["Priya Natarajan", "Gareth Lloyd", "priya  natarajan"])),
        # The review date is 2026-09-01; closures come on or after it.
        closed_on=draw(DAYS) if status == "done" else None,
        evidence="On file." if status == "done" else None,
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_actions(), max_size=6), min_size=1, max_size=4), DAYS)
def test_figures_are_consistent_for_any_actions(
    base: AuditRecord, per_audit: list[list[dict[str, Any]]], today: dt.date
) -> None:
    records = [_with(base, *items, audit_id=f"CFA-2026-{k:04d}") for k, items in enumerate(per_audit)]
    dataset = Dataset(["audits"], records)
    view = actions.actions_view(dataset, today)
    listed, totals = view["actions"], view["totals"]
    every = [a for items in per_audit for a in items]
    assert len(listed) == totals["actions"]["n"] == len(every)
    late = [a for a in every if a["status"] == "open" and a["due"] is not None and a["due"] < today]
    assert totals["overdue"]["n"] == len(late)
    assert totals["open"]["n"] + totals["done"]["n"] == len(every)
    done_parts = ("done_on_time", "done_late", "done_without_due")
    assert sum(totals[k]["n"] for k in done_parts) == totals["done"]["n"]
    # Overdue, then open, then done; the most overdue first.
    ranks = [actions.STATES.index(a["state"]) for a in listed]
    assert ranks == sorted(ranks)
    overdue_days = [a["overdue_days"] for a in listed if a["state"] == "overdue"]
    assert overdue_days == sorted(overdue_days, reverse=True)
    assert all(d > 0 for d in overdue_days)
    only = actions.actions_view(dataset, today, overdue=True)
    assert all(a in listed for a in only["actions"])
    assert [a for a in listed if a["state"] == "overdue"] == only["actions"]
    assert only["totals"] == totals
    if any(" ".join(a["owner"].split()).casefold() == "priya natarajan" for a in every):
        mine = actions.actions_view(dataset, today, owner="PRIYA NATARAJAN")
        assert mine["actions"]
        assert all(a in listed for a in mine["actions"])
    else:
        with pytest.raises(UsageError):
            actions.actions_view(dataset, today, owner="PRIYA NATARAJAN")
    section = actions.summary_section(records, today=today, publish=False)
    assert section["overdue"]["n"] == len(late)
    assert (
        section["most_overdue"]
        == [
            {k: a[k] for k in ("audit_id", "file", "owner", "action", "due", "overdue_days", "carried_in")}
            for a in listed
            if a["state"] == "overdue"
        ][:10]
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(_actions(), max_size=30), DAYS)
def test_a_published_summary_cannot_be_worked_back(
    base: AuditRecord, items: list[dict[str, Any]], today: dt.date
) -> None:
    section = actions.summary_section([_with(base, *items)], today=today, publish=True)
    assert section["most_overdue"] == []
    for total, parts in (
        ("actions", ("open", "done")),
        ("done", ("done_on_time", "done_late", "done_without_due")),
    ):
        if section[total]["n"] is not None:
            # Never exactly one hidden part under a known total.
            assert sum(1 for p in parts if section[p]["n"] is None) != 1
    shown = [v["n"] for k, v in section.items() if isinstance(v, dict) and "n" in v]
    assert not [n for n in shown if n is not None and 1 <= n <= 4]


# -- the summary section -------------------------------------------------------------------------------


def test_summary_section_for_the_qa_team() -> None:
    section = actions.summary_section(_dataset().records, today=TODAY, publish=False)
    assert [(o["audit_id"], o["owner"], o["overdue_days"]) for o in section["most_overdue"]] == [
        ("CFA-2026-0401", "Priya Natarajan", 68),
        ("CFA-2026-0455", "Connor Fitzgerald", 21),
    ]
    assert (section["declared"], section["open"]["text"], section["overdue_share"]["text"]) == (
        True,
        "5",
        "40% (2 of 5)",
    )


def test_summary_section_for_publication_names_nobody() -> None:
    section = actions.summary_section(_dataset().records, today=TODAY, publish=True)
    # 8 actions shown; done (3) is hidden, so open (5) would give it away: it is hidden too.
    assert {k: v["text"] for k, v in section.items() if isinstance(v, dict) and "n" in v} == {
        "actions": "8",
        "open": "*",
        "overdue": "<5",
        "open_without_due": "<5",
        "done": "<5",
        # The parts of a count under 5 are not shown at all, whatever they are (issue 16).
        "done_on_time": "–",
        "done_late": "–",
        "done_without_due": "–",
    }
    assert section["overdue_share"]["text"] == "suppressed"
    text = json.dumps(section)
    assert not [word for word in (*NAMES, "CFA-", ".yaml") if word in text]


@pytest.mark.parametrize(
    ("done", "late", "expected"),
    [
        # 6 done, 1 late (hidden): with 6 done shown, the 5 on time would give it away, and so
        # would "*" for them (5 or more of 6 leaves exactly 1 late, issue 16): the 6 done are
        # hidden instead (with the 6 open, so that 12 less the open does not give them back).
        (6, 1, {"done": "*", "done_on_time": "5", "done_late": "<5", "open": "*"}),
        # 10 done, 5 late: nothing to hide.
        (10, 5, {"done": "10", "done_on_time": "5", "done_late": "5"}),
    ],
)
def test_secondary_suppression(base: AuditRecord, done: int, late: int, expected: dict[str, str]) -> None:
    due = dt.date(2026, 9, 10)
    items = [
        _action("done", due, closed_on=due + dt.timedelta(days=k < late), evidence="On file.")
        for k in range(done)
    ]
    items += [_action("open", None)] * 6
    section = actions.summary_section([_with(base, *items)], today=TODAY, publish=True)
    assert {k: section[k]["text"] for k in expected} == expected


def test_of_which_overdue_does_not_give_away_the_one_that_is_not(base: AuditRecord) -> None:
    """Issue 16: "12 open, of which 11 overdue" told a reader that 1 open action is not overdue."""
    late, later = dt.date(2026, 9, 10), TODAY + dt.timedelta(days=30)
    items = [_action("open", late)] * 11 + [_action("open", later)] + [_action("done", late)] * 6
    internal = actions.summary_section([_with(base, *items)], today=TODAY, publish=False)
    assert (internal["open"]["n"], internal["overdue"]["n"]) == (12, 11)
    section = actions.summary_section([_with(base, *items)], today=TODAY, publish=True)
    assert section["open"]["n"] is None or section["overdue"]["n"] is None
    assert section["overdue_share"]["text"] == "suppressed"


# -- the command ---------------------------------------------------------------------------------------


def _cli(cli: Any, *args: Any, expect: int = 1) -> Any:
    # The folder holds one invalid audit (CFA-2026-0499): every report of it leaves that out, exit 1.
    return cli("actions", "--audits", FOLDER, "--today", "2026-11-22", *args, expect=expect)


def test_markdown(cli: Any) -> None:
    run = _cli(cli)
    assert run.stdout.startswith(
        "# Remedial actions\n\n- As of 2026-11-22: **5 open** (**2 overdue**); 3 done (1 on "
    )
    for line in (
        "- Overdue: 40% (2 of 5) of the open actions.\n",
        "- **1 open action without a due date**: agree one with the owner and add `due:` to the action in "
        "its audit.\n",
        "- Frameworks without remedial actions (their audits contribute none): Quality and Impact Assurance "
        "Model.\n",
        "| **Overdue 68 days** | CFA-2026-0401, action 1 | 2026-09-01 | Rewrite the child in need plan as "
        "SMART, with owners and dates. | Priya Natarajan | 2026-09-15 | 82 | Fenland Child in Need 2 | Priya "
        "Natarajan | Practitioner: Priya Natarajan; Team manager: Gareth Lloyd |\n",
        "| Open, **no due date** | CFA-2026-0401, action 3 | 2026-09-01 | Bring the chronology up to date. | "
        "Priya Natarajan | none | 82 |",
        "| **8 days late** | CFA-2026-0455, action 2 | 2026-10-20 |",
        "- `" + str(FOLDER / "CFA-2026-0499.yaml") + "`\n",
    ):
        assert line in run.stdout
    assert run.stderr == (
        "error: 1 audit file was left out of this report because it has errors; fix it and run the "
        "report again (`qaimpact validate` shows every problem):\n"
        f"  - {FOLDER / 'CFA-2026-0499.yaml'}:51:13: QA310 Remedial action 1 is marked done without "
        "evidence.\n"
    )


def test_markdown_when_no_framework_declares_actions(cli: Any) -> None:
    run = cli("actions", "--audits", CAFCASS, "--today", "2026-11-22")
    assert (
        "No framework of these audits has remedial actions in its standards, so there are none to track. "
        "Frameworks read: Quality and Impact Assurance Model.\n"
    ) in run.stdout
    assert "|" not in run.stdout


def test_markdown_when_nothing_is_overdue(cli: Any) -> None:
    run = _cli(cli, "--owner", "Gareth Lloyd", "--overdue")
    assert (
        "- Chosen: the actions owned by Gareth Lloyd, 1 of the 8 read; the figures above are for these.\n"
        in (run.stdout)
    )
    assert "No open action is past its due date.\n" in run.stdout


TEAM_CHOICE = DATA / "team-choice"  # Fenland Child in Need 1 and Fenland Child in Need 12
TEAMS_IN = "teams Fenland Child in Need 1 and South Cambs Children in Care"  # --team in, of examples/service


@pytest.mark.parametrize(
    ("folder", "args", "said"),
    [
        (
            TEAM_CHOICE,
            ("--team", "need 12"),
            ["Chosen: the actions from the team Fenland Child in Need 12, 5 of the 10 read"],
        ),
        (
            TEAM_CHOICE,
            ("--team", "fenland"),
            [
                "Chosen: the actions from the teams Fenland Child in Need 1 and Fenland Child in Need 12, "
                "10 of the 10 read"
            ],
        ),
        (
            ROOT / "examples" / "service",
            ("--team", "e"),
            [
                "Chosen: the actions from the teams Fenland Child in Need 1, Huntingdonshire Family "
                "Safeguarding 3 and South Cambs Children in Care, 41 of the 41 read"
            ],
        ),
        (
            ROOT / "examples" / "service",
            ("--team", "in", "--owner", "imran qureshi"),
            [
                f"Chosen: the actions owned by Imran Qureshi from the {TEAMS_IN}, 0 of the 41 read",
                f"No action of the {TEAMS_IN} is owned by Imran Qureshi.",
            ],
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_teams_chosen_read_as_a_sentence(
    cli: Any, folder: Path, args: tuple[str, ...], said: list[str], fmt: str
) -> None:
    # "the team A" for one, "the teams A and B" or "the teams A, B and C" for several, never
    # "the team A, B".
    page = cli("actions", "--audits", folder, "--today", "2026-11-22", *args, "-f", fmt).stdout
    for text in said:
        assert text in page
    assert "the team Fenland Child in Need 1," not in page


def test_the_teams_chosen_are_escaped_in_markdown_and_html() -> None:
    from qaimpact.reports.render import render

    view = actions.actions_view(_dataset(folder=TEAM_CHOICE), TODAY, team="fenland")
    view["filter"]["teams"] = ["A&B <Team>", "C*D [1]"]
    assert "from the teams A&amp;B &lt;Team&gt; and C*D [1], 10 of the 10 read" in render(view, "html")
    assert "from the teams A&B \\<Team\\> and C\\*D \\[1\\], 10 of the 10 read" in render(view, "md")


def test_html(cli: Any) -> None:
    run = _cli(cli, "-f", "html")
    assert run.stdout.startswith("<!DOCTYPE html>")
    assert '<h2 id="overdue">2 actions overdue</h2>' in run.stdout
    assert "<caption>Open actions (5), overdue first</caption>" in run.stdout
    assert "<caption>Done (3), most recently closed first</caption>" in run.stdout
    assert '<td data-label="Status"><span class="flag">Overdue 68 days</span></td>' in run.stdout
    assert (
        '<td data-label="Communicated to">Practitioner: Priya Natarajan<br>Team manager: Gareth Lloyd</td>'
        in run.stdout
    )


def test_json(cli: Any) -> None:
    view = json.loads(_cli(cli, "-f", "json", "--team", "FENLAND child in need 2").stdout)
    assert view["kind"] == "actions"
    assert view["filter"] == {
        "owner": None,
        "team": "Fenland Child in Need 2",
        "teams": ["Fenland Child in Need 2"],
        "overdue": False,
    }
    assert [(a["audit_id"], a["number"]) for a in view["actions"]] == [
        ("CFA-2026-0401", 1),
        ("CFA-2026-0401", 3),
        ("CFA-2026-0470", 1),
        ("CFA-2026-0401", 2),
    ]


def test_csv(cli: Any) -> None:
    run = _cli(cli, "-f", "csv", "--overdue")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert list(rows[0]) == actions.COLUMNS
    assert rows[1] == {
        "state": "overdue",
        "audit_id": "CFA-2026-0455",
        "file": str(FOLDER / "CFA-2026-0455.yaml"),
        "review_date": "2026-10-20",
        "framework": "ccc-practice-standards",
        "team": "Huntingdonshire Family Safeguarding 3",
        "practitioner": "Connor Fitzgerald",
        "number": "3",
        "action": "Ask the police for the partner's full record.",
        # Written "connor  FITZGERALD" in this action, "Connor Fitzgerald" (read first) in another.
        "owner": "Connor Fitzgerald",
        "notified": "Practitioner: Connor Fitzgerald; Team manager: Imran Qureshi",
        "due": "2026-11-01",
        "status": "open",
        "closed_on": "",
        "evidence": "",
        "overdue_days": "21",
        "closed_on_time": "",
        "closed_late_days": "0",
        "age_days": "33",
        "theme": "",
        "carried_in": "false",
    }
    assert len(rows) == 2


@pytest.mark.parametrize(
    "args",
    [
        ("--audits", CAFCASS),
        ("--audits", FOLDER, "--owner", "Amara Okonkwo", "--overdue"),
    ],
)
def test_csv_has_a_header_when_empty(cli: Any, args: tuple[Any, ...]) -> None:
    run = cli("actions", *args, "--today", "2026-11-22", "-f", "csv", expect=None)
    assert run.stdout == ",".join(actions.COLUMNS) + "\n"


def test_unknown_owner_exits_2(cli: Any) -> None:
    run = _cli(cli, "--owner", "Conor Fitzgerald", expect=2)
    assert (
        "No remedial action owned by 'Conor Fitzgerald' was found among the 8 actions read from 4 valid "
        "audits. Did you mean 'Connor Fitzgerald'?"
    ) in " ".join(run.stderr.split())
    assert run.stdout == ""


def test_overdue_actions_do_not_fail_the_command(cli: Any, tmp_path: Path) -> None:
    shutil.copytree(FOLDER, tmp_path / "audits")
    (tmp_path / "audits" / "CFA-2026-0499.yaml").unlink()  # the invalid one, which would exit 1
    run = cli("actions", "--audits", tmp_path / "audits", "--today", "2026-11-22", "--overdue")
    assert "**2 overdue**" in run.stdout
    assert run.stderr == ""


def test_today_from_and_to(cli: Any) -> None:
    run = _cli(cli, "--from", "2026-10-01", "--to", "2026-10-31", "--today", "2026-12-01", "-f", "json")
    view = json.loads(run.stdout)
    assert view["period"] == {"from": "2026-10-01", "to": "2026-10-31", "quarter": None}
    assert (view["audits"], view["outside_period"]) == (2, 2)
    # CFA-2026-0401 (2026-09-01) is before the period: its two actions still open on 2026-10-01
    # are carried in; the one it closed on 2026-09-08 is not.
    assert [
        (a["audit_id"], a["number"], a["state"], a["overdue_days"], a["carried_in"]) for a in view["actions"]
    ] == [
        ("CFA-2026-0401", 1, "overdue", 77, True),
        ("CFA-2026-0455", 3, "overdue", 30, False),
        ("CFA-2026-0455", 4, "overdue", 9, False),
        ("CFA-2026-0455", 1, "overdue", 1, False),
        ("CFA-2026-0401", 3, "open", 0, True),
        ("CFA-2026-0455", 2, "done", 0, False),
    ]
    md = _cli(cli, "--from", "2026-10-01", "--to", "2026-10-31").stdout
    assert ": 2 valid audits reviewed from 2026-10-01 to 2026-10-31 (2 outside the period);" in md
    bad = _cli(cli, "--today", "22/11/2026", expect=2)
    assert bad.stderr == (
        "error: --today '22/11/2026' is not a date. Write the date as YYYY-MM-DD: 2026-11-22 "
        "(22 November 2026).\n"
    )


def test_standards_option(cli: Any, tmp_path: Path) -> None:
    source = (ROOT / "standards" / "ccc-practice-standards.yaml").read_text()
    (tmp_path / "ccc.yaml").write_text(
        source.replace("notify: [practitioner, team_manager]", "notify: [team_manager]")
    )
    run = _cli(cli, "--standards", tmp_path, "-f", "csv")
    told = {row["audit_id"]: row["notified"] for row in csv.DictReader(io.StringIO(run.stdout))}
    assert told == {
        "CFA-2026-0401": "Team manager: Gareth Lloyd",
        "CFA-2026-0455": "Team manager: Imran Qureshi",
        "CFA-2026-0470": "Team manager: Gareth Lloyd",
    }


def test_templates_option(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "actions.md.j2").write_text("{{ view.totals.overdue.text }} overdue of {{ view.read }}\n")
    assert _cli(cli, "--templates", tmp_path).stdout == "2 overdue of 8\n"


def test_output_and_force(cli: Any, tmp_path: Path) -> None:
    # An extension that names no format, so that -f chooses (-o actions.html writes HTML).
    target = tmp_path / "actions.out"
    run = _cli(cli, "-f", "html", "-o", target)
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert f"wrote {target}" in run.stderr
    # An earlier report is replaced without --force.
    _cli(cli, "-f", "md", "-o", target)
    assert target.read_text().startswith("# Remedial actions")


@pytest.mark.parametrize("name", ["notes.bak", "board-paper", "plan.txt"])
def test_output_over_a_file_that_is_not_a_report_needs_force(cli: Any, tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    target.write_text("my work\n")
    again = _cli(cli, "-f", "html", "-o", target, expect=2)
    assert " ".join(again.stderr.split()) == (
        f"error: --output '{target}' already exists and is not an earlier qaimpact report, so it was not "
        "replaced; choose another name, or add --force to replace it."
    )
    assert target.read_text() == "my work\n"
    _cli(cli, "-f", "md", "-o", target, "--force")
    assert target.read_text().startswith("# Remedial actions")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_output_never_replaces_an_input(cli: Any, tmp_path: Path, fmt: str) -> None:
    for path in FOLDER.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    audit = tmp_path / "CFA-2026-0401.yaml"
    before = audit.read_bytes()
    run = cli(
        "actions", "--audits", tmp_path, "--today", "2026-11-22", "-f", fmt, "-o", audit, "--force", expect=2
    )
    assert "error: --output" in run.stderr
    assert audit.read_bytes() == before


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
def test_redact_replaces_owners_and_everyone_told(cli: Any, fmt: str) -> None:
    run = _cli(cli, "-f", fmt, "--redact", "--owner", "Connor Fitzgerald")
    assert not [name for name in NAMES if name.casefold() in run.stdout.casefold()]
    assert "Person " in run.stdout
    assert "LCS-" not in run.stdout


def test_hostile_text_stays_text(cli: Any, tmp_path: Path) -> None:
    text = (FOLDER / "CFA-2026-0455.yaml").read_text()
    hostile = text.replace(
        "Ask the police for the partner's full record.", '"<script>alert(1)</script> | **bold** {{ 7*7 }}"'
    )
    assert hostile != text
    (tmp_path / "a.yaml").write_text(hostile)
    html = cli("actions", "--audits", tmp_path, "--today", "2026-11-22", "-f", "html").stdout
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | **bold** {{ 7*7 }}" in html
    md = cli("actions", "--audits", tmp_path, "--today", "2026-11-22").stdout
    assert r"\<script\>alert(1)\</script\> \| \*\*bold\*\* {{ 7\*7 }}" in md
    csv_text = cli("actions", "--audits", tmp_path, "--today", "2026-11-22", "-f", "csv").stdout
    assert "<script>alert(1)</script>" in csv_text


def test_an_invalid_file_is_counted_not_listed(cli: Any, tmp_path: Path) -> None:
    shutil.copy(FOLDER / "CFA-2026-0499.yaml", tmp_path / "a.yaml")
    run = cli("actions", "--audits", tmp_path, "--today", "2026-11-22", "-f", "json", expect=1)
    view = json.loads(run.stdout)
    assert (view["audits"], view["invalid_count"], view["actions"]) == (0, 1, [])
    md = cli("actions", "--audits", tmp_path, "--today", "2026-11-22", expect=1).stdout
    assert "No valid audit was read, so there are no actions to track.\n" in md
    assert "## Files left out\n" in md


def test_redact_withholds_the_names_of_invalid_files(cli: Any, tmp_path: Path) -> None:
    # An invalid file names no one the redaction knows of: its file name must not pass through.
    shutil.copytree(FOLDER, tmp_path / "audits")
    bad = tmp_path / "audits" / "Zed Zebedee LCS-999999.yaml"
    bad.write_text("standards: ccc-practice-standards\naudit_id: CFA-2026-0999\n")
    for fmt in ("md", "html", "json"):
        run = cli(
            "actions",
            "--audits",
            tmp_path / "audits",
            "--today",
            "2026-11-22",
            "-f",
            fmt,
            "--redact",
            expect=1,
        )
        assert "Zebedee" not in run.stdout + run.stderr
        assert "LCS-999999" not in run.stdout + run.stderr
        assert "invalid file 1 (name withheld)" in run.stdout
        assert "  - invalid file 2 (name withheld), line 1, column 1: QA202 " in run.stderr
    plain = cli("actions", "--audits", tmp_path / "audits", "--today", "2026-11-22", expect=1).stdout
    assert "Zed Zebedee LCS-999999.yaml" in plain


# -- carried in: a period lists the actions agreed before it and still open when it began -------------

START = dt.date(2026, 10, 1)


def _carried_view(*records: AuditRecord, day: dt.date = TODAY, **options: Any) -> dict[str, Any]:
    """The tracker for the period from START, of audits all reviewed before it."""
    dataset = Dataset(["audits"], outside=list(records), outside_period=len(records), date_from=START)
    return actions.actions_view(dataset, day, **options)


@pytest.mark.parametrize(
    ("status", "closed_on", "carried"),
    [
        ("open", None, True),
        ("done", dt.date(2026, 9, 30), False),  # closed the day before the period: not carried in
        ("done", START, True),  # closed on its first day: open when it began
        ("done", dt.date(2026, 11, 4), True),
    ],
)
def test_an_action_is_carried_in_while_open_when_the_period_began(
    base: AuditRecord, status: str, closed_on: dt.date | None, carried: bool
) -> None:
    record = _with(base, _action(status, dt.date(2026, 9, 15), closed_on=closed_on, evidence="On file."))
    view = _carried_view(record)
    assert [(a["audit_id"], a["carried_in"]) for a in view["actions"]] == (
        [("CFA-2026-0401", True)] if carried else []
    )
    assert [(a["audit_id"], a["number"]) for a in actions.carried_in([record], START, TODAY)] == (
        [("CFA-2026-0401", 1)] if carried else []
    )
    assert view["agreed_in_period"] == {"n": 0, "text": "0"}
    assert view["carried_in"]["actions"]["n"] == int(carried)
    assert view["totals"]["actions"]["n"] == int(carried)


def test_the_carried_in_counts(base: AuditRecord) -> None:
    one = _with(
        base,
        _action("open", dt.date(2026, 9, 15)),
        _action("open", None),
        _action("done", dt.date(2026, 10, 5), closed_on=dt.date(2026, 10, 9), evidence="On file."),
        _action("done", dt.date(2026, 9, 5), closed_on=dt.date(2026, 9, 9), evidence="On file."),
    )
    two = _with(base, _action("open", dt.date(2026, 12, 1)), audit_id="CFA-2026-0402")
    three = _with(base, audit_id="CFA-2026-0403")  # no action: not an audit actions were carried from
    view = _carried_view(one, two, three)
    assert {k: v if isinstance(v, int) else v["n"] for k, v in view["carried_in"].items()} == {
        "actions": 4,
        "audits": 2,
        "open": 3,
        "overdue": 1,
        "done": 1,
    }
    assert [f["id"] for f in view["frameworks"]] == ["ccc-practice-standards"]
    assert (view["declared"], view["audits"], view["read"]) == (True, 0, 4)


def test_nothing_is_carried_in_without_a_first_day() -> None:
    dataset = dataclasses.replace(_dataset(), date_to=dt.date(2026, 10, 31))
    view = actions.actions_view(dataset, TODAY)
    assert (view["carried_in"], view["agreed_in_period"]) == (None, None)
    assert not [a for a in view["actions"] if a["carried_in"]]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"owner": "priya natarajan"}, [("CFA-2026-0401", 1), ("CFA-2026-0401", 3)]),
        ({"team": "fenland"}, [("CFA-2026-0401", 1), ("CFA-2026-0401", 3)]),
        ({"overdue": True}, [("CFA-2026-0401", 1), ("CFA-2026-0455", 3)]),
    ],
)
def test_the_filters_choose_among_the_actions_carried_in(
    options: dict[str, Any], expected: list[tuple[str, int]]
) -> None:
    dataset = load_dataset(
        [FOLDER],
        Registry.default([]),
        CheckOptions(today=TODAY),
        date_from=START,
        date_to=dt.date(2026, 10, 31),
    )
    view = actions.actions_view(dataset, TODAY, **options)
    assert _ids(view) == expected


def test_redaction_knows_the_names_of_the_earlier_audits(cli: Any) -> None:
    # Priya Natarajan and Gareth Lloyd are named only in CFA-2026-0401, before the period.
    for fmt in ("md", "html", "json", "csv"):
        run = _cli(cli, "--from", "2026-10-01", "--redact", "-f", fmt)
        assert "Person " in run.stdout
        assert not [name for name in NAMES if name.casefold() in run.stdout.casefold()]


def test_carried_in_through_the_cli(cli: Any) -> None:
    period = ("--from", "2026-10-01", "--to", "2026-10-31")
    md = _cli(cli, *period).stdout
    assert (
        "- Carried in: **2 actions agreed before the period and still open when it began**, from 1 earlier "
        'audit: 2 open today (1 overdue), 0 done since. They are listed, marked "before the period", with '
        "the 4 agreed in it, and counted in the figures above: an action agreed before the period and still "
        "open is counted as open.\n"
    ) in md
    assert "- As of 2026-11-22: **5 open** (**2 overdue**); 1 done (0 on time, 1 late).\n" in md
    assert "| Status | Audit | Reviewed | Agreed | Action |" in md
    assert (
        "| **Overdue 68 days** | CFA-2026-0401, action 1 | 2026-09-01 | **before the period** | Rewrite "
        in md
    )
    assert "| **Overdue 21 days** | CFA-2026-0455, action 3 | 2026-10-20 | in the period | Ask " in md
    html = _cli(cli, *period, "-f", "html").stdout
    assert (
        "<p>Carried in: <strong>2 actions agreed before the period and still open when it began</strong>, "
        "from 1 earlier audit: 2 open today (1 overdue), 0 done since."
    ) in html
    assert '<th scope="col">Reviewed</th><th scope="col">Agreed</th>' in html
    assert (
        '<td data-label="Reviewed"><span class="nowrap">2026-09-01</span></td>'
        '<td data-label="Agreed"><strong>before the period</strong></td>'
    ) in html
    rows = list(csv.DictReader(io.StringIO(_cli(cli, *period, "-f", "csv").stdout)))
    assert [(r["audit_id"], r["number"], r["carried_in"]) for r in rows] == [
        ("CFA-2026-0401", "1", "true"),
        ("CFA-2026-0455", "3", "false"),
        ("CFA-2026-0455", "4", "false"),
        ("CFA-2026-0455", "1", "false"),
        ("CFA-2026-0401", "3", "true"),  # open without a due date: last of the open ones
        ("CFA-2026-0455", "2", "false"),
    ]
    view = json.loads(_cli(cli, *period, "-f", "json").stdout)
    assert view["agreed_in_period"] == {"n": 4, "text": "4"}
    assert view["carried_in"]["actions"] == {"n": 2, "text": "2"}
    # Without a first day nothing is carried in, and the page does not say "Carried in".
    only_to = _cli(cli, "--to", "2026-10-31").stdout
    assert "Carried in" not in only_to
    assert "| Status | Audit | Reviewed | Action |" in only_to


def test_a_quarter_with_nothing_carried_in_says_so(cli: Any) -> None:
    run = cli(
        "actions", "--audits", FOLDER / "CFA-2026-0401.yaml", "--quarter", "2026-Q3", "--today", "2026-11-22"
    )
    assert (
        "- Carried in: none. No action agreed before the quarter was still open when it began.\n"
        in run.stdout
    )
    assert "| in the quarter |" in run.stdout


def test_the_help_says_the_actions_carried_in_are_listed(cli: Any) -> None:
    text = " ".join(cli("actions", "--help").stdout.split())
    assert (
        "Only the actions of audits reviewed in this quarter, and those carried in: agreed before it" in text
    )
    assert "and still open when it began." in text
    assert "Only audits reviewed in this quarter" not in text


SERVICE = ROOT / "examples" / "service"


def _quarter_end(quarter: str) -> str:
    year, q = quarter.split("-Q")
    return {"1": "03-31", "2": "06-30", "3": "09-30", "4": "12-31"}[q].join([f"{year}-", ""])


@pytest.mark.parametrize("quarter", ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
@pytest.mark.parametrize("as_of", ["today", "end"])
def test_the_counts_agree_with_the_quarterly_report(cli: Any, quarter: str, as_of: str) -> None:
    """Over examples/service, read as of 2026-11-22 and as of the quarter's last day."""
    day = "2026-11-22" if as_of == "today" else _quarter_end(quarter)
    args = ("--audits", SERVICE, "--quarter", quarter, "--today", day, "-f", "json")
    # Read as of a quarter's end, the later audits are dated in the future: invalid in both (exit 1).
    tracker = json.loads(cli("actions", *args, expect=None).stdout)
    report = json.loads(cli("quarterly", *args, expect=None).stdout)["actions_at_end"]
    carried = tracker["carried_in"]
    assert carried["actions"]["n"] == report["carried_in"]["n"]
    assert tracker["agreed_in_period"]["n"] == report["agreed"]["n"]
    assert len(tracker["actions"]) == report["carried_in"]["n"] + report["agreed"]["n"]
    if report["as_of"] == day:
        # The tracker gives each action's state today; the report, at the quarter's end (or today).
        assert tracker["totals"]["open"]["n"] == report["open"]["n"]
        assert tracker["totals"]["overdue"]["n"] == report["overdue"]["n"]
        assert carried["open"]["n"] == report["open_carried"]["n"]
        assert tracker["totals"]["done"]["n"] == report["closed"]["n"]


# -- one owner, one spelling ----------------------------------------------------------------------------

#: Two audits of one owner: the first read types "dana o’brien " (Word's apostrophe, a space after),
#: the second "Dana O'Brien" for both its actions, and the done one's evidence names her "dana o’brien".
OWNERS = DATA / "cycle" / "owners"


def _owners(cli: Any, *args: Any) -> Any:
    return cli("actions", "--audits", OWNERS, "--today", "2026-11-22", *args)


#: The tracker of :data:`OWNERS` as ``actions`` writes it, the folder written ``<audits>``.
OWNERS_MD = DATA / "cycle" / "owners-actions.md"
#: The line the tracker adds when ``--owner`` chooses the actions.
CHOSEN = "- Chosen: the actions owned by Dana O'Brien, 3 of the 3 read; the figures above are for these.\n"


@pytest.mark.parametrize("owner", [None, "Dana O'Brien", "dana o’brien", "  DANA   O'BRIEN "])
def test_one_owner_typed_two_ways_is_one_owner_spelled_as_most_actions_spell_it(
    cli: Any, owner: str | None
) -> None:
    """Regression: the tracker listed "dana o’brien" and "Dana O'Brien" as two owners, while
    ``--owner`` found the actions of both."""
    expected = OWNERS_MD.read_text(encoding="utf-8").replace("<audits>", str(OWNERS))
    if owner is not None:
        read = f"- Audits read from `{OWNERS}`: 2 valid audits.\n"
        expected = expected.replace(read, read + CHOSEN, 1)
    chosen = () if owner is None else ("--owner", owner)
    assert _owners(cli, *chosen).stdout == expected


def test_one_owner_typed_two_ways_is_one_owner_in_json(cli: Any) -> None:
    view = json.loads(_owners(cli, "-f", "json", "--owner", "dana o’brien").stdout)
    assert view["filter"] == {"owner": "Dana O'Brien", "team": None, "teams": None, "overdue": False}
    assert [(a["audit_id"], a["number"], a["owner"]) for a in view["actions"]] == [
        ("CFA-2026-0601", 1, "Dana O'Brien"),
        ("CFA-2026-0602", 1, "Dana O'Brien"),
        ("CFA-2026-0602", 2, "Dana O'Brien"),
    ]
    assert view["read"] == 3
    assert view["totals"]["actions"]["n"] == 3


def test_between_equals_the_owner_first_read_is_kept(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes((OWNERS / "CFA-2026-0601.yaml").read_bytes())
    second = (OWNERS / "CFA-2026-0602.yaml").read_text(encoding="utf-8")
    (tmp_path / "b.yaml").write_text(second.replace("owner: Dana O'Brien", "owner: Ann Example", 1), "utf-8")
    view = actions.actions_view(_dataset(folder=tmp_path), TODAY)
    assert sorted(a["owner"] for a in view["actions"]) == ["Ann Example", "dana o’brien", "dana o’brien"]


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
def test_redaction_hides_every_spelling_of_an_owner(cli: Any, fmt: str) -> None:
    run = _owners(cli, "-f", fmt, "--redact", "--owner", "Dana O'Brien")
    assert "brien" not in run.stdout.casefold()
    assert [a["owner"] for a in json.loads(_owners(cli, "-f", "json", "--redact").stdout)["actions"]] == [
        "Person D"
    ] * 3

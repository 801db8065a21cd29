"""The audit programme: plans against the audits done, timeliness, and the audit of the audits."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import Dataset, load_dataset
from qaimpact.base.errors import UsageError
from qaimpact.cycle import programme
from qaimpact.frameworks.registry import Registry

FOLDER = DATA / "cycle" / "programme"
AUDITS = DATA / "cycle" / "sampling" / "audits"
AUGUST = FOLDER / "plan-2026-08.csv"
DECEMBER = FOLDER / "plan-2026-12.csv"
BAD = FOLDER / "bad-plan.csv"
TODAY = dt.date(2026, 12, 15)
FRAMEWORKS = ["cafcass-qiam-2017", "ccc-practice-standards"]
BASE = ("programme", AUGUST, DECEMBER, "--audits", AUDITS, "--today", TODAY.isoformat())


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    loaded = load_dataset([AUDITS], Registry.default([]), CheckOptions(today=TODAY))
    assert not loaded.invalid
    return loaded


def _view(dataset: Dataset, *plans: Path, today: dt.date = TODAY, redact: bool = False) -> dict[str, Any]:
    planned = programme.read_plans(list(plans), FRAMEWORKS)
    return programme.programme_view(planned, dataset, today, plans=[str(p) for p in plans], redact=redact)


def test_each_planned_audit_is_done_late_missing_or_due(dataset: Dataset) -> None:
    view = _view(dataset, AUGUST, DECEMBER)
    found = [
        (
            i["state"],
            i["case_id"],
            i["audit_id"],
            i["days_to_audit"],
            i["days_late"],
            i["days_overdue"],
            i["note"],
        )
        for i in view["planned"]
    ]
    assert found == [
        # Audited in 2025, before the case was chosen: that audit is not the planned one.
        ("missing", "ECMS-3001", None, None, 0, 106, "no audit of the case dated from 2026-07-22 was found"),
        ("missing", "LCS-1001", None, None, 0, 106, "no audit of the case dated from 2026-07-22 was found"),
        ("due", "LCS-1003", None, None, 0, 0, ""),
        # Audited on 1 September for the August round: a day late.
        ("late", "LCS-2002", "CFA-2026-0901", 41, 1, 0, ""),
        (
            "done",
            "ECMS-3002",
            "QA-2026-1201",
            9,
            0,
            0,
            "audited by Fiona Drummond, not Sanjay Mehta as planned",
        ),
    ]


def test_totals_and_groups(dataset: Dataset) -> None:
    view = _view(dataset, AUGUST, DECEMBER)

    def figures(group: dict[str, Any]) -> tuple[Any, ...]:
        keys = ("planned", "on_time", "late", "missing", "due")
        return (
            *(group[k]["n"] for k in keys),
            group["completed_share"]["text"],
            group["median_days_to_audit"],
        )

    assert figures(view["totals"]) == (5, 1, 1, 2, 1, "50% (2 of 4)", 25)
    assert [(g["name"], *figures(g)) for g in view["by_month"]] == [
        ("2026-08", 3, 0, 1, 2, 0, "33% (1 of 3)", 41),
        ("2026-12", 2, 1, 0, 0, 1, "100% (1 of 1)", 9),
    ]
    assert [(g["name"], *figures(g)) for g in view["by_auditor"]] == [
        ("(no auditor proposed)", 1, 0, 0, 0, 1, "no audits", None),
        ("Fiona Drummond", 1, 0, 0, 1, 0, "0% (0 of 1)", None),
        ("Rosalind Greer", 1, 0, 1, 0, 0, "100% (1 of 1)", 41),
        ("Sanjay Mehta", 1, 1, 0, 0, 0, "100% (1 of 1)", 9),
        ("Tobias Wren", 1, 0, 0, 1, 0, "0% (0 of 1)", None),
    ]
    assert [g["name"] for g in view["by_team"]] == [
        "East Midlands Private Law",
        "North Cambs Safeguarding",
        "South Cambs Children in Care",
    ]


def test_a_round_not_yet_ended_has_nothing_missing(dataset: Dataset) -> None:
    view = _view(dataset, AUGUST, today=dt.date(2026, 8, 20))
    assert [(i["case_id"], i["state"]) for i in view["planned"]] == [
        ("ECMS-3001", "due"),
        ("LCS-1001", "due"),
        ("LCS-2002", "due"),
    ]


def test_an_audit_counts_for_one_planned_audit_only(dataset: Dataset, tmp_path: Path) -> None:
    # The same case chosen in August and again in September: its one audit (1 September) is the
    # August round's (late), and September's is missing.
    plan = tmp_path / "plans.csv"
    plan.write_text(
        "case_id,team,round,selected_on\n"
        "LCS-2002,South Cambs Children in Care,2026-08,2026-07-22\n"
        "LCS-2002,South Cambs Children in Care,2026-09,2026-08-22\n",
        encoding="utf-8",
    )
    view = _view(dataset, plan)
    assert [(i["round"], i["state"], i["audit_id"]) for i in view["planned"]] == [
        ("2026-09", "missing", None),
        ("2026-08", "late", "CFA-2026-0901"),
    ]


def test_an_audit_written_for_the_plan_is_matched_by_its_id(dataset: Dataset, tmp_path: Path) -> None:
    # The plan's audit_file names the audit written for it, even where its case was mistyped.
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "case_id,team,round,selected_on,audit_file\n"
        "LCS-2O02,South Cambs Children in Care,2026-09,2026-08-22,scaffolds/CFA-2026-0901.yaml\n",
        encoding="utf-8",
    )
    assert [(i["state"], i["audit_id"]) for i in _view(dataset, plan)["planned"]] == [
        ("done", "CFA-2026-0901")
    ]


def test_a_planned_audit_whose_file_is_not_yet_valid_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "audits"
    shutil.copytree(AUDITS, folder)
    draft = folder / "SAMPLE-2026-12-001.yaml"
    draft.write_text("standards: ccc-practice-standards\naudit_id: SAMPLE-2026-12-001\n", encoding="utf-8")
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "case_id,team,round,selected_on,audit_file\n"
        f"LCS-1004,North Cambs Safeguarding,2026-11,2026-10-22,{draft}\n",
        encoding="utf-8",
    )
    loaded = load_dataset([folder], Registry.default([]), CheckOptions(today=TODAY))
    [item] = _view(loaded, plan)["planned"]
    assert (item["state"], item["note"]) == (
        "missing",
        f"its audit {draft} is not yet a valid audit: `qaimpact validate {draft}` lists what to complete",
    )


def test_every_problem_of_a_bad_plan_is_located() -> None:
    with pytest.raises(UsageError) as caught:
        programme.read_plans([BAD], FRAMEWORKS)
    assert str(caught.value).splitlines() == [
        f"{BAD} has 8 problems; fix them and run again:",
        f"  {BAD}:2: the round '2026-8' is not a month: write it as YYYY-MM: 2026-08.",
        f"  {BAD}:2: the framework 'ccc-practise-standards' is not a known framework id; did you mean "
        "'ccc-practice-standards'? Write one of cafcass-qiam-2017 or ccc-practice-standards, or leave the "
        "cell empty.",
        f"  {BAD}:3: the case_id cell is empty: write the case's identifier, as the audits record it.",
        f"  {BAD}:3: the selected_on '22/07/2026' is not a date. Write the date as YYYY-MM-DD: 2026-07-22 "
        "(22 July 2026).",
        f"  {BAD}:4: the case was selected on 2026-09-03, after its round 2026-08 ended: check both "
        "(`qaimpact sample` plans the month after the day it is run).",
        f"  {BAD}:5: the case 'LCS-2002' is already planned for 2026-08 on line 4: delete one of the "
        "two rows.",
        f"  {BAD}:6: the case 'lcs-2002' is already planned for 2026-08 on line 4: delete one of the "
        "two rows.",
        # A slip of the year: any audit of the case since would have completed the round.
        f"  {BAD}:7: the case was selected on 2024-07-22, more than a year before its round 2026-08: "
        "check the year of both (`qaimpact sample` plans the month after the day it is run).",
    ]


@pytest.mark.parametrize(
    ("content", "lines"),
    [
        (
            b"case_id,team,practitioner\nLCS-1,North,Amira Haddad\n",
            [
                "{path} has 1 problem; fix it and run again:",
                "  {path}:1: the header row has no round or selected_on column: name the columns case_id, "
                "team, round and selected_on in the first row (it names: case_id, team, practitioner).",
            ],
        ),
        (
            b"case_id,team,round,selected_on\n",
            [
                "{path} has 1 problem; fix it and run again:",
                "  {path} plans no audits: it needs one row per case, as `qaimpact sample` writes (a plan "
                "with no cases chosen has nothing to compare).",
            ],
        ),
        (
            b"",
            [
                "{path} is empty: it needs a header row naming the columns case_id, team, round and "
                "selected_on, then one row per planned audit."
            ],
        ),
        (None, ["'{path}' does not exist: check the path of the planned audit list."]),
    ],
    ids=["old-columns", "header-only", "empty", "missing"],
)
def test_plans_that_cannot_be_read(tmp_path: Path, content: bytes | None, lines: list[str]) -> None:
    path = tmp_path / "plan.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UsageError) as caught:
        programme.read_plans([path], FRAMEWORKS)
    assert str(caught.value).splitlines() == [line.format(path=path) for line in lines]


def test_a_case_planned_for_one_round_in_two_plans(tmp_path: Path) -> None:
    again = tmp_path / "again.csv"
    again.write_text("case_id,team,round,selected_on\nLCS-1001,North,2026-08,2026-07-23\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        programme.read_plans([AUGUST, again], FRAMEWORKS)
    assert str(caught.value).splitlines() == [
        "The plans have 1 problem; fix it and run again:",
        f"  {again}:2: the case 'LCS-1001' is already planned for 2026-08 in {AUGUST}:3: give each round's "
        "plan once.",
    ]


def test_the_audit_of_the_audits(dataset: Dataset, tmp_path: Path) -> None:
    view = _view(dataset, AUGUST)
    assert view["months"][0] == "2025-06"
    assert view["months"][-1] == "2026-12"
    reviewers = {r["name"]: r for r in view["reviewers"]}
    assert list(reviewers) == ["Fiona Drummond", "Rosalind Greer"]
    fiona = reviewers["Fiona Drummond"]
    assert (fiona["audits"]["n"], fiona["rationale"]["text"]) == (2, "100% (2 of 2)")
    assert [m for m in fiona["monthly"] if m["audits"]] == [
        {"month": "2025-11", "audits": 1},
        {"month": "2026-12", "audits": 1},
    ]
    assert "2026-08" in fiona["months_without"]


def test_an_audit_without_rationale_or_evidence_is_listed_to_complete(tmp_path: Path) -> None:
    folder = tmp_path / "audits"
    folder.mkdir()
    text = (AUDITS / "CFA-2026-0901.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("rationale:"))
    (folder / "CFA-2026-0901.yaml").write_text("".join(lines[:start]), encoding="utf-8")
    loaded = load_dataset([folder], Registry.default([]), CheckOptions(today=TODAY))
    assert not loaded.invalid
    [reviewer] = _view(loaded, AUGUST)["reviewers"]
    assert reviewer["rationale"]["text"] == "0% (0 of 1)"
    assert [a["missing"][0] for a in reviewer["to_check"]] == ["a rationale for the grade"]


def test_a_standard_that_does_not_apply_needs_no_evidence(tmp_path: Path) -> None:
    """As the checks ask for it: 'Children in care' rated good with no evidence is an error
    (QA317) where the child is in care; where they are not, its rating is left out of the grade
    (QA303 says so) and needs no evidence, and the audit of the audits asks for none either."""
    folder = tmp_path / "audits"
    folder.mkdir()
    text = (AUDITS / "CFA-2025-0601.yaml").read_text(encoding="utf-8")
    written = (
        "    evidence: Placement stable and meets the child's needs; Personal Education Plan up to date.\n"
    )
    assert written in text
    assert "  child_in_care: true\n" in text
    text = text.replace(written, "")
    audit = folder / "CFA-2025-0601.yaml"
    audit.write_text(text, encoding="utf-8")
    in_care = load_dataset([folder], Registry.default([]), CheckOptions(today=TODAY))
    assert [d.code for c in in_care.invalid for d in c.diagnostics] == ["QA317"]
    audit.write_text(text.replace("  child_in_care: true\n", "  child_in_care: false\n"), encoding="utf-8")
    loaded = load_dataset([folder], Registry.default([]), CheckOptions(today=TODAY))
    [record] = loaded.records
    assert [d.code for d in record.warnings] == ["QA303"]
    [reviewer] = _view(loaded, AUGUST)["reviewers"]
    assert reviewer["evidence"]["text"] == "100% (1 of 1)"
    assert reviewer["to_check"] == []


# -- the command ----------------------------------------------------------------------------------------


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_cli_markdown(cli: Any) -> None:
    out = cli(*BASE).stdout
    assert out.startswith("# The audit programme\n\n")
    assert (
        "- As of 2026-12-15: **5 planned audits**: 1 done on time, 1 done late, **2 missing**, 1 still due.\n"
        in out
    )
    assert (
        "| **Missing** | 2026-08 | North Cambs Safeguarding | LCS-1001 | Tobias Wren |  |  | – | "
        "106 overdue | no audit of the case dated from 2026-07-22 was found |\n" in out
    )
    assert "| Fiona Drummond | 2 |" in out


def test_cli_csv_html_and_json(cli: Any) -> None:
    rows = _csv(cli(*BASE, "-f", "csv").stdout)
    assert list(rows[0]) == programme.COLUMNS
    assert [(r["state"], r["case_id"]) for r in rows] == [
        ("missing", "ECMS-3001"),
        ("missing", "LCS-1001"),
        ("due", "LCS-1003"),
        ("late", "LCS-2002"),
        ("done", "ECMS-3002"),
    ]
    html = cli(*BASE, "-f", "html").stdout
    assert "<caption>Planned audits by auditor</caption>" in html
    view = json.loads(cli(*BASE, "-f", "json").stdout)
    assert (view["kind"], view["totals"]["missing"]["n"]) == ("programme", 2)


def test_cli_redact_replaces_the_names_and_cases_of_plans_and_audits(cli: Any) -> None:
    for fmt in ("md", "csv", "json", "html"):
        out = cli(*BASE, "--redact", "-f", fmt).stdout
        # Tobias Wren and LCS-1001 are known only to the plan: never audited.
        for name in (
            "Tobias Wren",
            "Sanjay Mehta",
            "Fiona Drummond",
            "Rosalind Greer",
            "Fatima Noor",
            "LCS-1001",
            "ECMS-3002",
            "Amira",
        ):
            assert name not in out, (fmt, name)
        assert "Person " in out
        assert "Case " in out


def test_cli_refuses_publish(cli: Any) -> None:
    run = cli(*BASE, "--publish", expect=2)
    assert run.stderr == (
        "error: programme cannot be published: it lists each planned audit with its auditor and case, which "
        "no published report may. Use --redact for a copy with names and case ids replaced, or `qaimpact "
        "summary --publish` for figures to share.\n"
    )
    assert run.stdout == ""


def test_cli_a_bad_plan_is_refused_without_a_traceback(cli: Any) -> None:
    run = cli("programme", BAD, "--audits", AUDITS, expect=2)
    assert run.stderr.startswith(f"error: {BAD} has 8 problems; fix them and run again:\n  {BAD}:2: ")
    assert "Traceback" not in run.stderr


def test_a_plan_written_by_sample_is_read_back(cli: Any, tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    cli(
        "sample", "--cases", DATA / "cycle" / "sampling" / "cases.csv", "--audits", AUDITS,
        "--today", "2026-11-22", "--seed", "4", "-o", plan,
    )  # fmt: skip
    view = json.loads(
        cli("programme", plan, "--audits", AUDITS, "--today", "2027-01-05", "-f", "json").stdout
    )
    assert view["totals"]["planned"]["n"] == len(_csv(plan.read_text(encoding="utf-8")))
    assert {i["round"] for i in view["planned"]} == {"2026-12"}
    # None of the five cases chosen has been audited since: all are missing once December ends.
    assert [(i["case_id"], i["state"], i["days_overdue"]) for i in view["planned"]] == [
        ("ECMS-3001", "missing", 5),
        ("ECMS-3003", "missing", 5),
        ("LCS-1004", "missing", 5),
        ("LCS-1005", "missing", 5),
        ("LCS-2001", "missing", 5),
    ]


@pytest.mark.parametrize(
    "written", ["LCS-2002", "LCS 2002", "LCS2002", "lcs-2002", "LCS\u20132002", " LCS - 2002 "]
)
def test_a_case_matches_however_the_plan_spells_its_number(
    written: str, dataset: Dataset, tmp_path: Path
) -> None:
    # A plan typed by hand wrote the case "LCS 857050" where its audit says "LCS-857050": the
    # audit, done, was shown as missing and overdue (found by a new-user review).
    plan = tmp_path / AUGUST.name
    text = AUGUST.read_text(encoding="utf-8")
    assert text.count(",LCS-2002,") == 1
    plan.write_text(text.replace(",LCS-2002,", f",{written},"), encoding="utf-8")
    [item] = [i for i in _view(dataset, plan)["planned"] if i["audit_id"] == "CFA-2026-0901"]
    assert (item["state"], item["case_id"]) == ("late", written.strip())


@pytest.mark.parametrize(
    "again",
    [AUGUST, FOLDER / "." / AUGUST.name, FOLDER.parent / FOLDER.name / ".." / FOLDER.name / AUGUST.name],
    ids=["same-path", "dot", "dot-dot"],
)
def test_a_plan_named_twice_is_read_once(cli: Any, again: Path) -> None:
    # Regression: `programme plans/*.csv plans/2026-08.csv` planned every audit of that plan twice
    # and counted each one missing once more, with no word of it.
    once = cli(*BASE, "-f", "json").stdout
    twice = cli("programme", AUGUST, again, *BASE[1:], "-f", "json").stdout
    assert json.loads(twice) == json.loads(once)
    assert [p.plan for p in programme.read_plans([AUGUST, again], FRAMEWORKS)] == [
        p.plan for p in programme.read_plans([AUGUST], FRAMEWORKS)
    ]


def test_a_team_spelled_otherwise_in_a_plan_counts_with_its_audits(dataset: Dataset, tmp_path: Path) -> None:
    # Regression: a plan writing "FENLAND  child in need 1" split the team in two in the quarterly
    # report's completion table, and programme named the team as the plan spelled it.
    text = AUGUST.read_text(encoding="utf-8")
    [team, *_] = sorted({row["team"] for row in csv.DictReader(io.StringIO(text))})
    respelled = tmp_path / AUGUST.name
    other = team.upper().replace(" ", "  ", 1)
    respelled.write_text(text.replace(f"\n{team},", f"\n{other},", 1), encoding="utf-8")
    assert respelled.read_text(encoding="utf-8") != text
    before, after = _view(dataset, AUGUST), _view(dataset, respelled)
    assert after["by_team"] == before["by_team"]
    assert [i["team"] for i in after["planned"]] == [i["team"] for i in before["planned"]]

"""Impact: re-audits paired with their audits, grade, standard, learning and action movement."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import Dataset, load_dataset
from qaimpact.audits.reaudits import follow
from qaimpact.audits.records import AuditRecord
from qaimpact.base.errors import UsageError
from qaimpact.cycle import impact
from qaimpact.frameworks.registry import Registry

FOLDER = DATA / "cycle" / "impact"
MOVEMENT = FOLDER / "movement"
MIGRATION = FOLDER / "migration"
PROBLEMS = FOLDER / "problems"
STANDARDS = FOLDER / "standards"

#: How reports name the grade scale the bundled frameworks share.
SHARED = "one scale for the frameworks (Outstanding, Good, Requires improvement, Inadequate)"


def _dataset(folder: Path, standards: Path | None = None, day: dt.date = TODAY) -> Dataset:
    dataset = load_dataset(
        [folder], Registry.default([standards] if standards else []), CheckOptions(today=day)
    )
    assert not dataset.invalid
    return dataset


def _view(folder: Path = MOVEMENT, standards: Path | None = None, **kwargs: Any) -> dict[str, Any]:
    day = kwargs.pop("today", TODAY)
    return impact.impact_view(_dataset(folder, standards, day), day, **kwargs)


def _cases(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["case"]: c for c in view["cases"]}


@pytest.fixture(scope="module")
def movement_view() -> dict[str, Any]:
    return _view()


@pytest.fixture(scope="module")
def migration_view() -> dict[str, Any]:
    return _view(MIGRATION, STANDARDS)


# -- pairing and grade movement --------------------------------------------------------------------


def test_chains_follow_reaudits_of_reaudits(movement_view: dict[str, Any]) -> None:
    chains = [[a["audit_id"] for a in c["audits"]] for c in movement_view["cases"]]
    assert chains == [
        ["QA-2026-0301", "QA-2026-0377"],
        # CFA-2026-0230 re-audits CFA-2026-0155, which re-audits CFA-2026-0101; the case reference
        # is written in lower case in the last one and is still the same case.
        ["CFA-2026-0101", "CFA-2026-0155", "CFA-2026-0230"],
        ["CFA-2026-0102", "CFA-2026-0190"],
        ["CFA-2026-0103", "CFA-2026-0240"],
    ]
    # CFA-2026-0120 was audited once: it is no re-audited case.
    assert (movement_view["audits"], movement_view["reaudits"], movement_view["declared"]) == (10, 5, 5)
    assert movement_view["problems"] == []


@pytest.mark.parametrize(
    ("case", "first", "latest", "steps", "direction", "text", "at_each_step"),
    [
        ("ECMS-0000101", "Met", "Good", 1, "improved", "improved by 1 step", ["improved by 1 step"]),
        (
            "LCS-100001",
            "Requires improvement to be good",
            "Good",
            1,
            "improved",
            "improved by 1 step",
            ["declined by 1 step", "improved by 2 steps"],
        ),
        (
            "LCS-100002",
            "Requires improvement to be good",
            "Requires improvement to be good",
            0,
            "same",
            "stayed the same",
            ["stayed the same"],
        ),
        (
            "LCS-100003",
            "Good",
            "Requires improvement to be good",
            -1,
            "declined",
            "declined by 1 step",
            ["declined by 1 step"],
        ),
    ],
)
def test_grade_movement_first_to_latest_and_at_each_step(
    movement_view: dict[str, Any],
    case: str,
    first: str,
    latest: str,
    steps: int,
    direction: str,
    text: str,
    at_each_step: list[str],
) -> None:
    found = _cases(movement_view)[case]
    move = found["movement"]
    assert (move["from_grade"]["label"], move["to_grade"]["label"]) == (first, latest)
    assert (move["steps"], move["direction"], move["text"]) == (steps, direction, text)
    assert [s["text"] for s in found["steps"]] == at_each_step


def test_movement_is_on_the_frameworks_own_scale(movement_view: dict[str, Any]) -> None:
    move = _cases(movement_view)["LCS-100001"]["movement"]
    assert move["on"] == "the Children's Services Practice Standards grades"
    assert (move["days"], move["comparable"], move["reason"]) == (189, True, None)


# -- standards -------------------------------------------------------------------------------------


def test_per_standard_movement(movement_view: dict[str, Any]) -> None:
    standards = _cases(movement_view)["LCS-100002"]["standards"]
    assert (standards["from"], standards["to"]) == ("CFA-2026-0102", "CFA-2026-0190")
    rows = [
        (r["id"], r["from"]["label"], r["to"]["label"], r["direction"], r["note"]) for r in standards["rows"]
    ]
    ri = "Requires improvement to be good"
    assert rows == [
        ("risk_management", "Good", "Good", "same", None),
        ("assessment", ri, "Good", "improved", None),
        ("planning", ri, ri, "same", None),
        ("visits_and_direct_work", "Good", "Good", "same", None),
        ("lived_experience", "Good", "Good", "same", None),
        ("identity_and_relationships", "Good", "Good", "same", None),
        ("multi_agency_working", "Good", "Good", "same", None),
        # Not applicable at the audit, left out of the re-audit: shown, not compared.
        (
            "children_in_care",
            "Not applicable",
            "Not rated",
            None,
            "not applicable in CFA-2026-0102; not rated in CFA-2026-0190",
        ),
        ("management_oversight", "Good", "Good", "same", None),
        ("case_recording", "Good", ri, "declined", None),
    ]
    assert (standards["improved"], standards["same"], standards["declined"], standards["not_compared"]) == (
        1,
        7,
        1,
        1,
    )


@pytest.mark.parametrize(
    ("case", "note"),
    [
        # The child came into care between the audits.
        ("LCS-100001", "not applicable in CFA-2026-0101"),
        ("LCS-100003", "not applicable in either audit"),
    ],
)
def test_not_applicable_is_shown_not_compared(movement_view: dict[str, Any], case: str, note: str) -> None:
    [row] = [r for r in _cases(movement_view)[case]["standards"]["rows"] if r["id"] == "children_in_care"]
    assert (row["steps"], row["direction"], row["note"]) == (None, None, note)


def test_standards_compare_the_first_and_the_latest_audit(movement_view: dict[str, Any]) -> None:
    standards = _cases(movement_view)["LCS-100001"]["standards"]
    assert (standards["from"], standards["to"]) == ("CFA-2026-0101", "CFA-2026-0230")
    moved = {r["id"]: r["steps"] for r in standards["rows"] if r["steps"]}
    # risk_management was inadequate at the middle audit, but is good at both ends.
    assert moved == {"planning": 1, "management_oversight": 1}


# -- learning --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "resolved", "persisting", "new"),
    [
        ("ECMS-0000101", ["Ineffective child engagement"], ["Case planning"], ["Case recording"]),
        # Raised at the audit or the first re-audit, none at the second.
        ("LCS-100001", ["Planning", "Management oversight and supervision", "Risk management"], [], []),
        ("LCS-100002", ["Assessment"], ["Planning"], ["Case recording"]),
        ("LCS-100003", [], [], ["Risk management"]),
    ],
)
def test_learning_resolved_persisting_and_new(
    movement_view: dict[str, Any], case: str, resolved: list[str], persisting: list[str], new: list[str]
) -> None:
    learning = _cases(movement_view)[case]["learning"]
    assert [i["label"] for i in learning["resolved"]] == resolved
    assert [i["label"] for i in learning["persisting"]] == persisting
    assert [i["label"] for i in learning["new"]] == new


def test_learning_says_where_each_point_was_raised(movement_view: dict[str, Any]) -> None:
    learning = _cases(movement_view)["LCS-100001"]["learning"]
    assert [(i["key"], i["audits"]) for i in learning["resolved"]] == [
        ("practice_standards.planning", ["CFA-2026-0101"]),
        ("practice_standards.management_oversight", ["CFA-2026-0101", "CFA-2026-0155"]),
        ("practice_standards.risk_management", ["CFA-2026-0155"]),
    ]
    assert learning["kind"] == "standards rated below good"
    assert _cases(movement_view)["ECMS-0000101"]["learning"]["kind"] == "learning points"


# -- remedial actions ------------------------------------------------------------------------------


def test_actions_agreed_at_the_earlier_audits(movement_view: dict[str, Any]) -> None:
    actions = _cases(movement_view)["LCS-100001"]["actions"]
    assert [
        (a["audit_id"], a["state"], a["due"], a["closed_on"], a["overdue_days"], a["closed_late_days"])
        for a in actions["items"]
    ] == [
        ("CFA-2026-0101", "done", "2026-03-16", "2026-03-20", 0, 4),
        # Due 2026-04-01 and still open on 2026-11-22.
        ("CFA-2026-0101", "overdue", "2026-04-01", None, 235, 0),
        ("CFA-2026-0155", "done", "2026-06-02", "2026-06-02", 0, 0),
    ]
    assert (actions["done"], actions["open"], actions["overdue"]) == (2, 1, 1)


def test_overdue_counts_from_the_given_today_not_the_clock() -> None:
    before_due = impact.impact_view(_dataset(MOVEMENT), dt.date(2026, 3, 25))
    actions = _cases(before_due)["LCS-100001"]["actions"]
    assert [a["state"] for a in actions["items"]] == ["done", "open", "done"]
    assert (actions["open"], actions["overdue"]) == (1, 0)


# -- the headline ----------------------------------------------------------------------------------


def test_headline_per_framework_and_overall(movement_view: dict[str, Any]) -> None:
    headline = movement_view["headline"]
    assert [
        (g["key"], g["cases"]["n"], g["improved"]["text"], g["same"]["text"], g["declined"]["text"], g["on"])
        for g in headline["groups"]
    ] == [
        (
            "cafcass-qiam-2017",
            1,
            "100% (1 of 1)",
            "0% (0 of 1)",
            "0% (0 of 1)",
            "the Quality and Impact Assurance Model grades",
        ),
        (
            "ccc-practice-standards",
            3,
            "33% (1 of 3)",
            "33% (1 of 3)",
            "33% (1 of 3)",
            "the Children's Services Practice Standards grades",
        ),
    ]
    overall = headline["overall"]
    assert (overall["on"], overall["compared"]["n"]) == (SHARED, 4)
    assert [overall[d]["text"] for d in impact.DIRECTIONS] == ["50% (2 of 4)", "25% (1 of 4)", "25% (1 of 4)"]
    assert headline["overall_reason"] is None


# -- re-audits under another framework -------------------------------------------------------------


def test_cross_framework_grades_compare_on_the_shared_scale(migration_view: dict[str, Any]) -> None:
    case = _cases(migration_view)["LCS-200001"]
    move = case["movement"]
    # Requires improvement to be good (ccc) to Secure practice (level good): one step up on the
    # shared scale, although no grade id or label of the two frameworks is the same.
    assert (move["from_grade"]["level"], move["to_grade"]["level"]) == ("requires_improvement", "good")
    assert (move["on"], move["steps"], move["direction"]) == (SHARED, 1, "improved")
    note = (
        "Not compared: CP-2027-0012 is the first audit of this case under Council Practice Standards "
        "(2027) (council-practice-2027), and ratings and learning points compare only within one framework."
    )
    assert (case["standards"]["note"], case["standards"]["rows"]) == (note, [])
    assert case["learning"]["note"] == note


def test_cross_framework_chain_compares_standards_within_the_newer_framework(
    migration_view: dict[str, Any],
) -> None:
    case = _cases(migration_view)["LCS-200003"]
    assert [s["on"] for s in case["steps"]] == [
        "one scale for the frameworks (Outstanding, Good, Requires improvement, Inadequate)",
        "the Council Practice Standards (2027) grades",
    ]
    assert (case["movement"]["steps"], case["movement"]["text"]) == (2, "improved by 2 steps")
    standards = case["standards"]
    assert (standards["from"], standards["to"], standards["improved"], standards["same"]) == (
        "CP-2027-0020",
        "CP-2027-0031",
        2,
        1,
    )
    assert [i["label"] for i in case["learning"]["resolved"]] == ["Planning", "Management oversight"]


def test_grades_without_a_shared_scale_are_not_compared(migration_view: dict[str, Any]) -> None:
    move = _cases(migration_view)["LCS-200002"]["movement"]
    assert (move["comparable"], move["steps"], move["direction"], move["text"]) == (
        False,
        None,
        None,
        "cannot be compared",
    )
    assert move["reason"] == (
        "Local RAG dip sample (local-rag-dip-sample) declares no comparison scale, so its grades cannot be "
        "compared with those of Children's Services Practice Standards (ccc-practice-standards); "
        "'comparison:' in its standards file would place them on one."
    )


def test_migration_headline(migration_view: dict[str, Any]) -> None:
    headline = migration_view["headline"]
    assert [
        (g["key"], g["cases"]["n"], g["compared"]["n"], g["improved"]["text"], g["not_comparable"]["n"])
        for g in headline["groups"]
    ] == [
        ("ccc-practice-standards to council-practice-2027", 2, 2, "100% (2 of 2)", 0),
        ("ccc-practice-standards to local-rag-dip-sample", 1, 0, "no audits", 1),
        ("local-rag-dip-sample", 1, 1, "100% (1 of 1)", 0),
    ]
    assert headline["overall"] is None
    assert headline["overall_reason"] == (
        "No overall figure: Local RAG dip sample (local-rag-dip-sample) declares no comparison scale "
        "('comparison:' in its standards file), so its cases cannot be put on one scale with the others."
    )


def _edited_standards(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "standards"
    shutil.copytree(STANDARDS, folder)
    text = (folder / name).read_text()
    assert old in text
    (folder / name).write_text(text.replace(old, new))
    return folder


def test_grades_on_different_scales_are_not_compared(tmp_path: Path) -> None:
    standards = _edited_standards(
        tmp_path,
        "local-rag.yaml",
        "case_id: case_reference\n",
        "case_id: case_reference\ncomparison:\n  scale: rag\n  levels: [green, amber, red]\n",
    )
    view = _view(MIGRATION, standards)
    assert _cases(view)["LCS-200002"]["movement"]["reason"] == (
        "Children's Services Practice Standards (ccc-practice-standards) grades compare on the 'ofsted' "
        "scale and Local RAG dip sample (local-rag-dip-sample) on the 'rag' scale, so their grades cannot "
        "be compared."
    )
    assert view["headline"]["overall_reason"] == (
        "No overall figure: the frameworks compare on different scales ('ofsted', 'rag'), so their cases "
        "cannot be added up."
    )


def test_cross_framework_comparison_uses_levels_not_labels(tmp_path: Path) -> None:
    # Place "Secure practice" at requires improvement on the shared scale: the same re-audit now
    # shows no change, although nothing else about it changed.
    standards = _edited_standards(
        tmp_path, "council-2027.yaml", "    secure: good\n", "    secure: requires_improvement\n"
    )
    move = _cases(_view(MIGRATION, standards))["LCS-200001"]["movement"]
    assert (move["to_grade"]["label"], move["steps"], move["direction"]) == ("Secure practice", 0, "same")


# -- problems with the links -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "file", "line", "column", "message", "hint"),
    [
        (
            "unknown",
            "CFA-2026-0502.yaml",
            4,
            13,
            "'reaudit_of' names CFA-2026-0510, but no audit read has that audit_id.",
            "Did you mean CFA-2026-0501, the earlier audit of this case? Give the audit_id of the earlier "
            "audit of this case; its file must be among the audits read (--audits).",
        ),
        (
            "before",
            "CFA-2026-0602.yaml",
            13,
            14,
            "This re-audit is dated 2026-05-04, before the audit it re-audits (CFA-2026-0601, dated "
            "2026-06-01, in {dir}/CFA-2026-0601.yaml).",
            "Check both review dates, and that 'reaudit_of' names the earlier audit of this case.",
        ),
        (
            "other-case",
            "CFA-2026-0702.yaml",
            7,
            19,
            "This re-audit is of case LCS-300070, but the audit it re-audits (CFA-2026-0701, in "
            "{dir}/CFA-2026-0701.yaml) is of case LCS-300007.",
            "Correct the case identifier, or make 'reaudit_of' name an earlier audit of this case.",
        ),
        (
            "loop",
            "CFA-2026-0901.yaml",
            4,
            13,
            "The re-audit links go round in a loop: CFA-2026-0901 re-audits CFA-2026-0902, which re-audits "
            "CFA-2026-0901 ({dir}/CFA-2026-0901.yaml and {dir}/CFA-2026-0902.yaml). None of these audits "
            "is the first audit of the case.",
            "The first audit of a case has no 'reaudit_of': remove it from that audit, or correct the "
            "audit_id it names.",
        ),
    ],
)
def test_each_problem_with_its_message_and_location(
    folder: str, file: str, line: int, column: int, message: str, hint: str
) -> None:
    where = PROBLEMS / folder
    view = _view(where)
    [problem] = view["problems"]
    assert (problem["file"], problem["line"], problem["column"]) == (str(where / file), line, column)
    assert problem["where"] == f"{where / file}:{line}:{column}"
    assert problem["message"] == message.format(dir=where)
    assert problem["hint"] == hint
    # A link that cannot be followed pairs nothing: no figure is built on a guess.
    assert view["cases"] == []


def test_an_id_held_by_two_audits_is_ambiguous() -> None:
    # Read as one folder, the copy is left out (QA704, below); the view still refuses to guess
    # for audits given to it with one id, as audits of two frameworks may share one.
    where = PROBLEMS / "duplicate"
    files = sorted(where.glob("*.yaml"))
    dataset = _dataset(files[0])
    for path in files[1:]:
        dataset.records += _dataset(path).records
    [problem] = impact.impact_view(dataset, TODAY)["problems"]
    assert problem["where"] == f"{where / 'CFA-2026-0802.yaml'}:4:13"
    assert problem["message"] == (
        f"'reaudit_of' names CFA-2026-0801, which is the audit_id of 2 audits ({where}/CFA-2026-0801.yaml "
        f"and {where}/CFA-2026-0801-copy.yaml), so which one this re-audits is ambiguous."
    )


def test_a_copy_read_in_one_folder_is_left_out(cli: Any) -> None:
    where = PROBLEMS / "duplicate"
    run = cli("impact", "--audits", where, "--today", "2026-11-22", "-f", "json", expect=1)
    assert json.loads(run.stdout)["problems"] == []
    assert run.stderr == (
        "error: 1 audit file was left out of this report because it has errors; fix it and run the "
        "report again (`qaimpact validate` shows every problem):\n"
        f"  - {where}/CFA-2026-0801.yaml:3:11: QA704 The audit_id CFA-2026-0801 is also the audit_id of "
        f"{where}/CFA-2026-0801-copy.yaml: two files hold one audit. Only that file is counted.\n"
    )


def test_audits_beyond_a_broken_link_are_left_out() -> None:
    # CFA-2026-0903 re-audits an audit in the loop, so it has no original either.
    view = _view(PROBLEMS / "loop")
    assert (view["declared"], view["left_out"], view["reaudits"]) == (3, 3, 0)


def test_unknown_id_of_another_case_names_only_near_misses_with_their_case(tmp_path: Path) -> None:
    # With no earlier audit of the same case, only an id that differs by a slip is said, and as it
    # is an audit of another case, not as the audit meant (tests/test_validate_reaudit_links.py).
    shutil.copy(PROBLEMS / "unknown" / "CFA-2026-0501.yaml", tmp_path)
    shutil.copy(MOVEMENT / "QA-2026-0301.yaml", tmp_path)
    text = (PROBLEMS / "unknown" / "CFA-2026-0502.yaml").read_text()
    (tmp_path / "a.yaml").write_text(text.replace("LCS-300001", "LCS-399999"))
    [problem] = _view(tmp_path)["problems"]
    assert problem["hint"] == (
        "CFA-2026-0501 is written alike, but is an audit of case LCS-300001, and this audit is of case "
        "LCS-399999: if it is the audit re-audited, correct the case identifier as well. Give the "
        "audit_id of the earlier audit of this case; its file must be among the audits read (--audits)."
    )


def test_unknown_id_hint_mentions_invalid_files(tmp_path: Path) -> None:
    shutil.copy(PROBLEMS / "unknown" / "CFA-2026-0502.yaml", tmp_path)
    (tmp_path / "broken.yaml").write_text("standards: ccc-practice-standards\naudit_id: CFA-2026-0501\n")
    dataset = load_dataset([tmp_path], Registry.default([]), CheckOptions(today=TODAY))
    [problem] = impact.impact_view(dataset, TODAY)["problems"]
    assert problem["hint"] == (
        "Give the audit_id of the earlier audit of this case; its file must be among the audits read "
        "(--audits). 1 invalid audit file was left out: if it is one of them, fix it ('qaimpact validate' "
        "shows how)."
    )


# -- the period ------------------------------------------------------------------------------------


def test_to_shows_each_case_as_it_stood_then() -> None:
    view = _view(date_to=dt.date(2026, 6, 30))
    [case] = view["cases"]
    assert [a["audit_id"] for a in case["audits"]] == ["CFA-2026-0101", "CFA-2026-0155"]
    assert case["movement"]["text"] == "declined by 1 step"
    assert view["outside_period"] == 3
    assert view["period"] == {"from": None, "to": "2026-06-30", "quarter": None}


def test_from_keeps_cases_re_audited_in_the_period_with_their_earlier_audits() -> None:
    view = _view(date_from=dt.date(2026, 9, 1))
    assert [(c["case"], c["original"]["review_date"]) for c in view["cases"]] == [
        ("LCS-100001", "2026-03-02"),
        ("LCS-100003", "2026-04-06"),
    ]


def test_from_after_to_is_refused() -> None:
    with pytest.raises(
        UsageError,
        match=r"^--from 2026-09-01 is after --to 2026-06-30, so no day is in the period: swap the two dates, "
        r"or correct the one that is wrong\.$",
    ):
        _view(date_from=dt.date(2026, 9, 1), date_to=dt.date(2026, 6, 30))


# -- the quarterly summary's section ---------------------------------------------------------------


def test_summary_section(movement_view: dict[str, Any]) -> None:
    records = _dataset(MOVEMENT).records
    section = impact.summary_section(records, today=TODAY, publish=False)
    assert (section["cases"]["n"], section["reaudits"]["n"]) == (4, 5)
    assert section["overall"]["improved"]["text"] == "50% (2 of 4)"
    # Learning: resolved 1 + 3 + 1 + 0, persisting 1 + 0 + 1 + 0, new 1 + 0 + 1 + 1.
    assert {k: v["n"] for k, v in section["learning"].items() if k != "resolved_share"} == {
        "resolved": 5,
        "persisting": 2,
        "new": 3,
    }
    assert section["learning"]["resolved_share"]["text"] == "71% (5 of 7)"
    assert {k: v["n"] for k, v in section["actions"].items() if k != "done_share"} == {
        "done": 2,
        "open": 1,
        "overdue": 1,
    }
    assert section["problems"]["n"] == 0


def test_summary_section_for_publication_names_nobody() -> None:
    records = _dataset(MOVEMENT).records
    section = impact.summary_section(records, today=TODAY, publish=True)
    assert section["cases"] == {"n": None, "text": "<5"}
    assert section["overall"]["improved"]["text"] == "suppressed"
    # 5 resolved of 7 shown would leave exactly 2 persisting (issue 16): the 5 are hidden (*).
    assert section["learning"]["resolved"] == {"n": None, "text": "*"}
    assert section["learning"]["persisting"] == {"n": None, "text": "<5"}
    assert section["learning"]["resolved_share"]["of"] == {"n": 7, "text": "7"}
    text = json.dumps(section)
    for private in ("CFA-", "QA-2026", "LCS-", "ECMS-", "Amira", "Haddad", "Helen Marsh", ".yaml"):
        assert private not in text


# -- properties ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base() -> AuditRecord:
    return next(r for r in _dataset(MOVEMENT).records if r.audit_id == "CFA-2026-0120")


def _synthetic(base: AuditRecord, cases: list[list[tuple[str, int]]]) -> list[AuditRecord]:
    """Audits of made-up cases: each case a list of (grade, index of the audit it re-audits)."""
    records = []
    for c, audits in enumerate(cases):
        for i, (grade, parent) in enumerate(audits):
            data = {
                **base.data,
                "audit_id": f"S-{c}-{i}",
                "case": {**base.data["case"], "case_reference": f"CASE-{c}"},
                "review_date": dt.date(2026, 1, 1) + dt.timedelta(days=30 * i),
                "reaudit_of": None if i == 0 else f"S-{c}-{parent % i}",
            }
            result = dataclasses.replace(base.result, grade=grade)
            records.append(
                dataclasses.replace(base, path=f"synthetic/S-{c}-{i}.yaml", data=data, result=result)
            )
    return records


GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
CASES = st.lists(
    st.lists(st.tuples(st.sampled_from(GRADES), st.integers(0, 5)), min_size=2, max_size=4),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(CASES)
def test_improved_same_and_declined_add_up_to_n(
    base: AuditRecord, cases: list[list[tuple[str, int]]]
) -> None:
    headline = impact.headline(follow(_synthetic(base, cases)).chains)
    [group] = headline["groups"]
    n = group["compared"]["n"]
    assert n == len(cases)
    assert sum(group[d]["count"]["n"] for d in impact.DIRECTIONS) == n
    assert sum(headline["overall"][d]["count"]["n"] for d in impact.DIRECTIONS) == n


@settings(max_examples=60, deadline=None)
@given(CASES)
def test_direction_agrees_with_grade_ranks(base: AuditRecord, cases: list[list[tuple[str, int]]]) -> None:
    rank = base.framework.grade_rank
    for chain in follow(_synthetic(base, cases)).chains:
        # Every audit of a case is in its chain, whichever earlier audit each re-audits.
        assert len(chain) == len(cases[int(chain[0].audit_id.split("-")[1])])
        move = impact.movement(chain[0], chain[-1])
        steps = rank[chain[0].result.grade] - rank[chain[-1].result.grade]
        assert move["steps"] == steps
        assert move["direction"] == ("improved" if steps > 0 else "declined" if steps < 0 else "same")


@settings(max_examples=40, deadline=None)
@given(CASES, st.randoms(use_true_random=False))
def test_result_is_independent_of_file_order(
    base: AuditRecord, cases: list[list[tuple[str, int]]], rnd: random.Random
) -> None:
    records = _synthetic(base, cases)
    shuffled = list(records)
    rnd.shuffle(shuffled)
    views = [impact.impact_view(Dataset(["synthetic"], records=r), TODAY) for r in (records, shuffled)]
    assert views[0] == views[1]


# -- the command -----------------------------------------------------------------------------------


def test_cli_markdown(cli: Any) -> None:
    run = cli("impact", "--audits", MOVEMENT, "--today", "2026-11-22")
    out = run.stdout
    assert out.startswith(
        "# Impact of re-audits\n\n- As of 2026-11-22: 4 re-audited cases (5 re-audits) among 10 audits"
    )
    assert (
        "| Children's Services Practice Standards | 3 | 33% (1 of 3) | 33% (1 of 3) | 33% (1 of 3) | "
        "the Children's Services Practice Standards grades |\n"
        "| **All frameworks** | 4 | 50% (2 of 4) | 25% (1 of 4) | 25% (1 of 4) | "
        "one scale for the frameworks (Outstanding, Good, Requires improvement, Inadequate) |\n"
    ) in out
    assert "### Case LCS-100001: Improved by 1 step (Requires improvement to be good → Good)\n" in out
    assert (
        "| CFA-2026-0155 | 2026-06-01 | Children's Services Practice Standards | Amira Haddad | "
        "Helen Marsh | Inadequate | "
        "Declined by 1 step |\n"
    ) in out
    assert "| Planning | Requires improvement to be good | Good | **Improved** (1 step) |\n" in out
    assert (
        "| CFA-2026-0101 | Record reflective supervision every four weeks. | Gareth Lloyd | 2026-04-01 | "
        "Open, **overdue 235 days** |\n"
    ) in out
    assert "- Persisting: raised again at the latest (1): Planning (Practice Standards).\n" in out
    assert run.stderr == ""


def test_cli_html(cli: Any) -> None:
    out = cli("impact", "--audits", MOVEMENT, "--today", "2026-11-22", "-f", "html").stdout
    assert out.startswith("<!DOCTYPE html>")
    assert '<caption>Audits of case <span class="nowrap">LCS-100001</span>, in date order</caption>' in out
    assert '<th scope="row">Planning</th><td>Requires improvement to be good</td><td>Good</td>' in out
    # Movement is spelt out in words, never shown by colour alone.
    assert '<span class="flag">Improved</span> (1 step)' in out


def test_cli_json(cli: Any) -> None:
    view = json.loads(cli("impact", "--audits", MOVEMENT, "--today", "2026-11-22", "-f", "json").stdout)
    assert view["kind"] == "impact"
    assert list(view) == [
        "schema_version",
        "kind",
        "today",
        "sources",
        "period",
        "audits",
        "invalid_count",
        "invalid_audits",
        "invalid",
        "declared",
        "reaudits",
        "left_out",
        "outside_period",
        "how_to_record",
        "grade_basis",
        "headline",
        "cases",
        "problems",
    ]


def test_cli_csv_one_row_per_pair(cli: Any) -> None:
    out = cli("impact", "--audits", MOVEMENT, "--today", "2026-11-22", "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == impact.COLUMNS
    assert [
        (
            r["original_audit_id"],
            r["reaudit_audit_id"],
            r["reaudit_number"],
            r["steps"],
            r["direction"],
            r["standards_improved"],
            r["learning_resolved"],
            r["actions_open"],
        )
        for r in rows
    ] == [
        ("QA-2026-0301", "QA-2026-0377", "1", "1", "improved", "1", "1", "0"),
        # Each re-audit against the original, as the case stood at that re-audit.
        ("CFA-2026-0101", "CFA-2026-0155", "1", "1", "declined", "1", "1", "1"),
        ("CFA-2026-0101", "CFA-2026-0230", "2", "1", "improved", "2", "3", "1"),
        ("CFA-2026-0102", "CFA-2026-0190", "1", "0", "same", "1", "1", "0"),
        ("CFA-2026-0103", "CFA-2026-0240", "1", "1", "declined", "0", "0", "0"),
    ]


def test_cli_csv_of_a_case_that_cannot_be_compared(cli: Any) -> None:
    out = cli(
        "impact", "--audits", MIGRATION, "--standards", STANDARDS, "--today", "2026-11-22", "-f", "csv"
    ).stdout
    [row] = [r for r in csv.DictReader(io.StringIO(out)) if r["reaudit_audit_id"] == "RAG-2026-0007"]
    assert (row["compared_on"], row["steps"], row["direction"]) == ("", "", "")
    assert row["not_comparable_reason"].startswith("Local RAG dip sample (local-rag-dip-sample) declares no")


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
def test_cli_exits_1_on_problems_in_every_format(cli: Any, fmt: str) -> None:
    run = cli("impact", "--audits", PROBLEMS, "--today", "2026-11-22", "-f", fmt, expect=1)
    # The fifth problem folder holds one audit in two files: the copy is left out (QA704).
    assert run.stderr.startswith(
        "error: 4 re-audit links cannot be followed; the report lists where and how to fix each.\n"
        "error: 1 audit file was left out of this report because it has errors;"
    )
    if fmt == "md":
        where = PROBLEMS / "unknown" / "CFA-2026-0502.yaml"
        assert (
            f"- `{where}:4:13`: 'reaudit\\_of' names CFA-2026-0510, but no audit read has that audit\\_id.\n"
        ) in run.stdout
        assert "## Problems with re-audit links (4)\n" in run.stdout


def test_cli_with_no_reaudits_says_how_to_record_one(cli: Any, tmp_path: Path) -> None:
    shutil.copy(MOVEMENT / "QA-2026-0301.yaml", tmp_path)
    shutil.copy(MOVEMENT / "CFA-2026-0103.yaml", tmp_path)
    out = cli("impact", "--audits", tmp_path, "--today", "2026-11-22").stdout
    assert (
        "None of the 2 audits read is a re-audit, so there is no impact to show yet. To record a re-audit, "
        "write in the new audit the id of the earlier audit of the same case, as `reaudit_of:` followed "
        "by that id.\n"
    ) in out
    html = cli("impact", "--audits", tmp_path, "--today", "2026-11-22", "-f", "html").stdout
    assert "as <code>reaudit_of:</code> followed by that id." in html
    assert cli("impact", "--audits", tmp_path, "-f", "csv").stdout == ",".join(impact.COLUMNS) + "\n"


def test_cli_period_options(cli: Any) -> None:
    out = cli("impact", "--audits", MOVEMENT, "--today", "2026-11-22", "--to", "2026-06-30").stdout
    assert (
        "- Period: cases re-audited up to 2026-06-30, each as it stood on 2026-06-30; 3 cases re-audited "
        "outside the period not shown.\n"
    ) in out
    run = cli("impact", "--audits", MOVEMENT, "--from", "2026-13-01", expect=2)
    assert (
        "--from '2026-13-01' is not a date. Write the date in figures as YYYY-MM-DD, "
        "year then month then day: "
        "14 October 2026 is written 2026-10-14."
    ) in run.stderr


def test_cli_redacts_names_and_case_identifiers_after_pairing(cli: Any) -> None:
    out = cli("impact", "--audits", MOVEMENT, "--today", "2026-11-22", "-f", "json", "--redact").stdout
    for private in (
        "Amira Haddad",
        "Gareth Lloyd",
        "Helen Marsh",
        "LCS-100001",
        "lcs-100001",
        "ECMS-0000101",
    ):
        assert private not in out
    view = json.loads(out)
    # LCS-100001 and lcs-100001 become two pseudonyms, but the chain was built before redaction.
    chain = next(c for c in view["cases"] if c["original"]["audit_id"] == "CFA-2026-0101")
    assert len(chain["audits"]) == 3
    assert chain["case"].startswith("Case ")
    assert {a["practitioner"] for a in chain["audits"]} == {chain["audits"][0]["practitioner"]}


def test_cli_html_escapes_audit_text(cli: Any, tmp_path: Path) -> None:
    for name in ("CFA-2026-0101.yaml", "CFA-2026-0155.yaml"):
        shutil.copy(MOVEMENT / name, tmp_path)
    path = tmp_path / "CFA-2026-0101.yaml"
    path.write_text(
        path.read_text().replace("Rewrite the plan with owners and dates.", '"<script>x</script>"')
    )
    out = cli("impact", "--audits", tmp_path, "--today", "2026-11-22", "-f", "html").stdout
    assert "<script>x</script>" not in out
    assert "&lt;script&gt;x&lt;/script&gt;" in out


def test_cli_output_file(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "impact.html"
    run = cli("impact", "--audits", MOVEMENT, "--today", "2026-11-22", "-f", "html", "-o", target)
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert f"wrote {target}" in run.stderr


def test_invalid_files_are_listed_and_withheld_under_redact(cli: Any, tmp_path: Path) -> None:
    shutil.copytree(MOVEMENT, tmp_path / "audits")
    bad = tmp_path / "audits" / "Zed Zebedee LCS-999999.yaml"
    bad.write_text("standards: ccc-practice-standards\naudit_id: CFA-2026-0999\n")
    args = ("impact", "--audits", tmp_path / "audits", "--today", "2026-11-22")
    md = cli(*args, expect=None).stdout
    assert "## Files left out" in md
    assert "Zed Zebedee LCS-999999.yaml" in md
    assert "Files left out</h2>" in cli(*args, "-f", "html", expect=None).stdout
    for fmt in ("md", "html", "json"):
        out = cli(*args, "-f", fmt, "--redact", expect=None).stdout
        assert "Zebedee" not in out
        assert "LCS-999999" not in out
        assert "invalid file 1 (name withheld)" in out


def test_a_moderated_grade_is_the_grade_impact_compares(cli: Any, tmp_path: Path) -> None:
    # CFA-2026-0102 and its re-audit CFA-2026-0190 are both requires improvement: the same. A
    # moderator who re-grades the first audit good settles its grade, so the case declined.
    movement = DATA / "cycle" / "impact" / "movement"
    for name in ("CFA-2026-0102.yaml", "CFA-2026-0190.yaml"):
        shutil.copy(movement / name, tmp_path / name)
    args = ("impact", "--audits", tmp_path, "--today", "2026-11-22", "-f", "json")
    [case] = json.loads(cli(*args).stdout)["cases"]
    assert case["movement"]["direction"] == "same"
    with (tmp_path / "CFA-2026-0102.yaml").open("a") as audit:
        audit.write(
            "moderation:\n  moderator: Dawn Okafor\n  moderated_grade: good\n  moderated_on: 2026-03-20\n"
        )
    [case] = json.loads(cli(*args).stdout)["cases"]
    assert (case["movement"]["direction"], case["movement"]["steps"]) == ("declined", -1)
    assert [(a["grade"]["id"], a["moderated"]) for a in case["audits"]] == [
        ("good", True),
        ("requires_improvement", False),
    ]
    md = cli(*args[:-2]).stdout
    assert "| Good (moderated) |" in md


SPELLING = FOLDER / "spelling"


@pytest.mark.parametrize(
    "written", ["cfa-2026-0501", "CFA 2026 0501", "CFA2026\u20130501", " Cfa-2026-0501 "]
)
def test_reaudit_of_matches_ids_as_qa704_compares_them(written: str, cli: Any, tmp_path: Path) -> None:
    shutil.copy(SPELLING / "CFA-2026-0501.yaml", tmp_path)
    text = (SPELLING / "CFA-2026-0502.yaml").read_text(encoding="utf-8")
    assert "\nreaudit_of: cfa-2026-0501\n" in text
    (tmp_path / "CFA-2026-0502.yaml").write_text(
        text.replace("\nreaudit_of: cfa-2026-0501\n", f"\nreaudit_of: '{written}'\n"), encoding="utf-8"
    )
    view = _view(tmp_path)
    assert (view["problems"], view["declared"], view["left_out"], view["reaudits"]) == ([], 1, 0, 1)
    run = cli("impact", "--audits", tmp_path, "--today", "2026-11-22", "-f", "json")
    assert json.loads(run.stdout)["problems"] == []

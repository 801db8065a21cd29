"""``sample --stratify COLUMN``: each team's quota shared across the values of a column of the case
list (issue 13, section 4), so that a sample reflects the caseload."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, TODAY
from qaimpact.base.errors import UsageError
from qaimpact.cycle import sampling
from qaimpact.cycle.common import Window
from qaimpact.cycle.sampling import Case
from qaimpact.cycle.sampling.lists import NOT_RECORDED
from qaimpact.cycle.sampling.plan import allocate
from qaimpact.models.audit import person_key

FOLDER = DATA / "cycle" / "sampling"
CASES = FOLDER / "cases-stratified.csv"
FRAMEWORKS = ["cafcass-qiam-2017", "ccc-practice-standards"]
BASE = (
    "sample",
    "--cases",
    CASES,
    "--audits",
    FOLDER / "audits",
    "--today",
    TODAY.isoformat(),
    "--seed",
    "4",
)


@pytest.mark.parametrize(
    ("sizes", "n", "expected"),
    [
        # In proportion: 10 of 20 white, 6 asian, 4 black; 5 cases.
        ({"white": 10, "asian": 6, "black": 4}, 5, {"white": 2, "asian": 2, "black": 1}),
        # At least one of each, though one is 1 in 100.
        ({"white": 99, "other": 1}, 2, {"white": 1, "other": 1}),
        ({"white": 99, "other": 1}, 10, {"white": 9, "other": 1}),
        # Fewer cases than strata: the largest strata, ties by name.
        (
            {"white": 10, "asian": 3, "black": 3, "mixed": 1},
            2,
            {"white": 1, "asian": 1, "black": 0, "mixed": 0},
        ),
        # Never more than a stratum holds; never more than there are.
        ({"a": 1, "b": 1}, 5, {"a": 1, "b": 1}),
        ({"a": 3, "b": 0}, 2, {"a": 2, "b": 0}),
        ({}, 3, {}),
    ],
)
def test_allocate(sizes: dict[str, int], n: int, expected: dict[str, int]) -> None:
    assert allocate(sizes, n) == expected


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 30), max_size=8), st.integers(0, 40))
def test_allocation_properties(sizes: dict[str, int], n: int) -> None:
    given_ = allocate(sizes, n)
    total = sum(sizes.values())
    assert sum(given_.values()) == min(n, total)
    assert all(0 <= given_[s] <= sizes[s] for s in sizes)
    non_empty = [s for s in sizes if sizes[s]]
    if n >= len(non_empty):
        assert all(given_[s] >= 1 for s in non_empty)
    # Proportional: no stratum is more than one case above its share, beyond the one each.
    for s in non_empty:
        assert given_[s] <= max(1, n * sizes[s] / total + 1)


TEAMS = ["Alpha", "Beta", "gamma"]
PEOPLE = ["Ann", "Bo", "Cy", "Di"]
VALUES = ["white", "asian", "black", "mixed", NOT_RECORDED]


@st.composite
def caseloads(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(min_value=0, max_value=30))
    cases = [
        Case(
            i + 2,
            f"C-{i}",
            draw(st.sampled_from(TEAMS)),
            draw(st.sampled_from(PEOPLE)),
            stratum=draw(st.sampled_from(VALUES)),
        )
        for i in range(count)
    ]
    return {
        "cases": cases,
        "per_team": draw(st.integers(min_value=1, max_value=8)),
        "seed": draw(st.integers(min_value=0, max_value=10**6)),
    }


def _plan(s: dict[str, Any], cases: list[Case] | None = None) -> sampling.Plan:
    return sampling.make_plan(
        s["cases"] if cases is None else cases,
        {},
        auditors=None,
        today=TODAY,
        per_team=s["per_team"],
        window=Window.parse("12m"),
        seed=s["seed"],
        stratify="ethnicity",
    )


@settings(max_examples=200, deadline=None)
@given(caseloads())
def test_stratified_plan_properties(s: dict[str, Any]) -> None:
    plan = _plan(s)
    chosen = [p.case for p in plan.picks]
    assert len(set(chosen)) == len(chosen)
    for team in {person_key(c.team) for c in s["cases"]}:
        members = [c for c in s["cases"] if person_key(c.team) == team]
        mine = [c for c in chosen if person_key(c.team) == team]
        # The sample size is respected: min(quota, eligible) from each team.
        assert len(mine) == min(s["per_team"], len(members))
        # Every stratum of the team is represented when the quota allows one of each.
        strata = {c.stratum for c in members}
        if s["per_team"] >= len(strata):
            assert {c.stratum for c in mine} == strata
        # The figures of the plan say the same.
        [quota] = [t for t in plan.teams if person_key(t.team) == team]
        held, took = Counter(c.stratum for c in members), Counter(c.stratum for c in mine)
        assert quota.strata == tuple((v, held[v], took[v]) for v in sorted(held))


@settings(max_examples=100, deadline=None)
@given(caseloads(), st.randoms(use_true_random=False))
def test_stratified_plan_is_the_same_for_the_same_seed_whatever_the_row_order(
    s: dict[str, Any], rnd: Any
) -> None:
    plan = _plan(s)
    cases = list(s["cases"])
    rnd.shuffle(cases)
    assert _plan(s, cases) == plan


def test_the_column_is_read_with_empty_cells_not_recorded() -> None:
    cases = sampling.read_cases(CASES, FRAMEWORKS, "ethnicity")
    assert [(c.case_id, c.stratum) for c in cases][:6] == [
        ("LCS-1001", "white"),
        ("LCS-1002", "white"),
        ("LCS-1003", "asian"),
        ("LCS-1004", "white"),
        ("LCS-1005", NOT_RECORDED),
        ("LCS-1006", "black"),
    ]
    # Without --stratify the column is ignored, as any other.
    assert {c.stratum for c in sampling.read_cases(CASES, FRAMEWORKS)} == {None}


def test_a_case_list_without_the_column_is_refused_at_its_header() -> None:
    path = FOLDER / "cases.csv"
    with pytest.raises(UsageError) as caught:
        sampling.read_cases(path, FRAMEWORKS, "legal status")
    assert str(caught.value).splitlines() == [
        f"{path} has 1 problem; fix it and run again:",
        f"  {path}:1: the header row has no legal_status column: name the columns case_id, team, "
        "practitioner and legal_status in the first row (it names: case_id, team, practitioner, framework, "
        "opened).",
    ]


def test_cli_stratified_plan(cli: Any) -> None:
    out = cli(*BASE, "--stratify", "ethnicity", "--per-team", "3", "-f", "md").stdout
    assert (
        "- Stratified by ethnicity: each team's quota is shared across the values of its eligible cases in "
        "proportion to their number, at least one case of each value where the quota allows.\n" in out
    )
    section = out[out.index("## By ethnicity") :]
    assert section.startswith(
        "## By ethnicity\n\n"
        "| Team | ethnicity | Eligible | Chosen |\n"
        "| --- | --- | ---: | ---: |\n"
        "| East Midlands Private Law | asian | 1 | 1 |\n"
        "| East Midlands Private Law | white | 2 | 2 |\n"
        "| North Cambs Safeguarding | (not recorded) | 1 | 1 |\n"
        "| North Cambs Safeguarding | asian | 1 | 1 |\n"
        "| North Cambs Safeguarding | black | 1 | 0 |\n"
        "| North Cambs Safeguarding | white | 2 | 1 |\n"
    )
    html = cli(*BASE, "--stratify", "ethnicity", "-f", "html").stdout
    assert "<caption>Stratified by ethnicity:" in html


def test_cli_stratify_names_a_missing_column(cli: Any) -> None:
    cases = FOLDER / "cases.csv"
    run = cli("sample", "--cases", cases, "--audits", FOLDER / "audits", "--stratify", "ethnicity", expect=2)
    assert "the header row has no ethnicity column" in run.stderr
    assert "Traceback" not in run.stderr


def test_cli_stratify_needs_a_name(cli: Any) -> None:
    run = cli(*BASE, "--stratify", " ", expect=2)
    assert (
        run.stderr == "error: --stratify needs the name of a column of the cases list, such as ethnicity.\n"
    )


def test_the_same_seed_gives_the_same_stratified_plan(cli: Any) -> None:
    first = cli(*BASE, "--stratify", "ethnicity").stdout
    assert cli(*BASE, "--stratify", "ethnicity").stdout == first

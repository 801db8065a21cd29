"""A published summary leaks no count from 1 to 4 (issue 16, part 1), checked exactly.

Every count a published summary hides whose true value is from 1 to 4 is bounded, by integer
linear programming, using everything the summary shows (``disclosure_check.py``): it must be
possible for it to be at least two values. The short run here takes random summaries of
``examples/service`` and of generated audits, with every ``--by``; the long run is
``python benchmarks/bench_disclosure.py --summaries 400`` (docs/reports.md, "Publishing").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DISCLOSURE_SETTINGS, EXAMPLES, ROOT, TODAY, ledger_key
from disclosure_check import pinned_in_ledger, pinned_in_view
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import Dataset, load_dataset
from qaimpact.audits.quarters import Quarters
from qaimpact.audits.records import FACETS, AuditRecord, facet
from qaimpact.frameworks.registry import Registry
from qaimpact.privacy import disclosure
from qaimpact.privacy.disclosure import Figures
from qaimpact.reports.quarterly import quarterly_view
from qaimpact.reports.summary import quarterly_summary
from test_published_figures import _reaudited, _records
from test_reports import _variant, audit_specs

SERVICE = EXAMPLES / "service"
#: The eight audits of the issue whose published summary forced Good = 4 and two quarters to 1.
ISSUE_EXAMPLE = (
    "QA-2025-0141",
    "QA-2025-0144",
    "QA-2025-0160",
    "QA-2026-0009",
    "QA-2026-0014",
    "QA-2026-0022",
    "QA-2026-0040",
    "QA-2026-0081",
)
GROUPINGS = [None, *FACETS]


@pytest.fixture(scope="module")
def service(registry: Registry) -> list[AuditRecord]:
    options = CheckOptions(today=TODAY, keep_data=True)
    return load_dataset([SERVICE], registry, options).records


def _good_line(registry: Registry) -> Any:
    def line(framework_id: str) -> int:
        fw = registry.get(framework_id)
        assert fw is not None
        return fw.grade_rank[fw.spec.grades.good_or_better]

    return line


def check(
    registry: Registry, records: list[AuditRecord], by: str | None, quarters: Quarters | None = None
) -> tuple[int, list[Any]]:
    """Every way to pin a hidden count of the published summary of ``records`` (its quarters those
    of ``quarters``): by what the summary shows, and by the ledger's own account of every
    section; and how many it hides."""
    dataset = Dataset(["mem"], records=records)
    figures = Figures(publish=True)
    view = quarterly_summary(dataset, today=TODAY, by=by, figures=figures, quarters=quarters)
    truth = quarterly_summary(dataset, today=TODAY, by=by, publish=False, quarters=quarters)
    published = json.loads(json.dumps(view))
    hidden, pinned = pinned_in_view(published, truth, _good_line(registry))
    return hidden, pinned + [("ledger", *p) for p in pinned_in_ledger(figures)]


@pytest.mark.parametrize("by", GROUPINGS)
def test_the_issue_example_pins_no_count(
    registry: Registry, service: list[AuditRecord], by: str | None
) -> None:
    records = [r for r in service if r.audit_id in ISSUE_EXAMPLE]
    assert len(records) == len(ISSUE_EXAMPLE)
    hidden, pinned = check(registry, records, by)
    assert hidden > 0  # the example has small counts to protect
    assert pinned == []


@pytest.mark.parametrize("by", [None, "team", "month"])
def test_a_ledger_seen_before_is_protected_as_the_method_protects_it(
    monkeypatch: pytest.MonkeyPatch, service: list[AuditRecord], by: str | None
) -> None:
    """conftest decides each distinct ledger once and replays the decision for an identical one:
    the replay must publish exactly what the method itself publishes."""
    dataset = Dataset(["mem"], records=[r for r in service if r.audit_id in ISSUE_EXAMPLE])
    replayed = [quarterly_summary(dataset, today=TODAY, by=by, figures=Figures(publish=True)) for _ in "ab"]
    monkeypatch.setattr(Figures, "_decide", Figures._decide.real)  # type: ignore[attr-defined]
    decided = quarterly_summary(dataset, today=TODAY, by=by, figures=Figures(publish=True))
    assert replayed[0] == replayed[1] == decided
    assert "<5" in json.dumps(decided)  # something was hidden: the comparison means something


def test_the_memo_knows_every_setting_of_the_method() -> None:
    """Each whole-number setting of the disclosure module (but the search's "infinity") is one
    conftest's memo keys a decision on: a setting added later must be added there too."""
    settings_ = {
        name
        for name, value in vars(disclosure).items()
        if isinstance(value, int) and not isinstance(value, bool) and name != "_INF"
    }
    assert settings_ == set(DISCLOSURE_SETTINGS)


@pytest.mark.parametrize(
    ("name", "value"), [("THRESHOLD", 3), ("SEARCH_LIMIT", 0), ("SHOW_AGAIN_CHECKS", 0), ("_TRIES", 0)]
)
def test_a_ledger_under_another_setting_is_another_key(
    monkeypatch: pytest.MonkeyPatch, name: str, value: int
) -> None:
    figures = Figures(publish=True)
    figures.total([figures.count(3), figures.count(9)])
    before = ledger_key(figures)
    monkeypatch.setattr(disclosure, name, value)
    assert ledger_key(figures) != before


# _TRIES changes no decision of a summary small enough to decide here (it does for the whole of
# examples/service): the key test above covers it.
#: Twelve audits whose published summary shows again a count hidden to protect another: where
#: no count is shown again (``SHOW_AGAIN_CHECKS`` 0), it publishes less. (The issue's example
#: no longer does: a number it showed in two places was hidden in one and shown again, and is
#: now never hidden where a headline shows it.)
SHOW_AGAIN_EXAMPLE = (
    "CFA-2026-0015",
    "CFA-2026-0044",
    "CFA-2026-0082",
    "CFA-2026-0120",
    "QA-2025-0141",
    "QA-2026-0022",
    "QA-2026-0036",
    "QA-2026-0038",
    "QA-2026-0051",
    "QA-2026-0054",
    "QA-2026-0056",
    "QA-2026-0065",
)


@pytest.mark.parametrize(
    ("name", "value", "example"),
    [
        ("THRESHOLD", 3, ISSUE_EXAMPLE),
        ("SEARCH_LIMIT", 0, ISSUE_EXAMPLE),
        ("SHOW_AGAIN_CHECKS", 0, SHOW_AGAIN_EXAMPLE),
    ],
)
def test_a_ledger_decided_under_another_setting_is_decided_again(
    monkeypatch: pytest.MonkeyPatch,
    service: list[AuditRecord],
    name: str,
    value: int,
    example: tuple[str, ...],
) -> None:
    """A test that changes a setting of the method gets the method's decision under it, not one
    conftest's memo made under the default for the same ledger."""
    dataset = Dataset(["mem"], records=[r for r in service if r.audit_id in example])
    default = quarterly_summary(dataset, today=TODAY, figures=Figures(publish=True))
    monkeypatch.setattr(disclosure, name, value)
    replayed = quarterly_summary(dataset, today=TODAY, figures=Figures(publish=True))
    monkeypatch.setattr(Figures, "_decide", Figures._decide.real)  # type: ignore[attr-defined]
    decided = quarterly_summary(dataset, today=TODAY, figures=Figures(publish=True))
    assert decided != default  # the setting matters to this ledger: the comparison means something
    assert replayed == decided


def test_five_rows_of_one_do_not_add_up_to_five(registry: Registry, service: list[AuditRecord]) -> None:
    """Five audits by five practitioners: five rows of "<5" that sum to 5 would each be 1."""
    records, seen = [], set()
    for r in service:
        key = facet(r, "practitioner")
        if r.framework.id == "ccc-practice-standards" and key not in seen:
            seen.add(key)
            records.append(r)
        if len(records) == 5:
            break
    assert len(records) == 5
    hidden, pinned = check(registry, records, "practitioner")
    assert hidden >= 5
    assert pinned == []


# Smaller summaries than below: the ledger's search grows fast with the months of a sample, and
# what is new here (quarters of another year) shows in a dozen audits as well as in thirty.
@settings(max_examples=3, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(2, 12),
    by=st.sampled_from([None, "quarter", "month"]),
    start=st.integers(2, 12),
)
def test_summaries_by_financial_quarter_pin_no_count(
    registry: Registry, service: list[AuditRecord], seed: int, size: int, by: str | None, start: int
) -> None:
    """With the year starting in another month (``--year-start``), a published summary's quarters
    are the financial year's, and its months add up to them: nothing is pinned either."""
    records = random.Random(seed).sample(service, min(size, len(service)))
    assert check(registry, records, by, Quarters(start))[1] == []


@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(2, 30), by=st.sampled_from(GROUPINGS))
def test_random_summaries_of_the_examples_pin_no_count(
    registry: Registry, service: list[AuditRecord], seed: int, size: int, by: str | None
) -> None:
    records = random.Random(seed).sample(service, min(size, len(service)))
    assert check(registry, records, by)[1] == []


MEDIANS = (
    "median_days_to_raise",
    "median_days_to_acknowledge",
    "median_days_to_outcome",
    "median_days_to_close",
)


# The ledger's search grows fast with the size of a sample: a few, up to 30 audits, as above.
@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(2, 30))
def test_no_median_of_the_escalations_beside_a_hidden_state(
    service: list[AuditRecord], seed: int, size: int
) -> None:
    """A median of the escalations' days is of those that reached a step: shown, it says that
    5 or more did, which pins the states' hidden counts (7 needed, all five states "<5", and a
    median of the days to acknowledge: 5 or more acknowledged, so 1 not raised and 1 raised)."""
    records = random.Random(seed).sample(service, min(size, len(service)))
    view = quarterly_summary(Dataset(["mem"], records=records), today=TODAY, by=None, publish=True)
    totals = view["cycle"]["escalations"]
    if any(state["count"]["n"] is None for state in totals["states"]):
        assert [totals[key] for key in MEDIANS] == [None] * len(MEDIANS)


def test_the_published_summary_of_the_examples_gives_no_median_of_the_escalations(cli: Any) -> None:
    shown = cli("summary", "--audits", SERVICE, "--publish", "--today", TODAY.isoformat()).stdout
    own = cli("summary", "--audits", SERVICE, "--today", TODAY.isoformat()).stdout
    # The QA team's own summary gives them; the published one, whose five states are all "<5", not.
    assert "Median days to raise: 0.5; to acknowledge: 1" in " ".join(own.split())
    assert "Median days" not in shown


@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=audit_specs, by=st.sampled_from(GROUPINGS))
def test_random_summaries_of_generated_audits_pin_no_count(
    registry: Registry, specs: list[Any], by: str | None
) -> None:
    records = [_variant(registry, *spec) for spec in specs]
    assert check(registry, records, by)[1] == []


@pytest.fixture
def values_tried(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many values each search for a witness tries, one entry per search: a search that
    tries more than its limit allows (a step for each value) fails the test at once."""
    tried: list[int] = []
    solve, nearest = disclosure._solve, disclosure._nearest

    def counted_solve(*args: Any) -> Any:
        tried.append(0)
        return solve(*args)

    def counted_nearest(*args: Any) -> Any:
        for value in nearest(*args):
            tried[-1] += 1
            if tried[-1] > 3 * disclosure.SEARCH_LIMIT:
                raise AssertionError("a search for a witness went on past its limit")
            yield value

    monkeypatch.setattr(disclosure, "_solve", counted_solve)
    monkeypatch.setattr(disclosure, "_nearest", counted_nearest)
    return tried


def _search_problem() -> tuple[list[int], list[Any], list[int]]:
    data = json.loads((ROOT / "tests" / "data" / "disclosure" / "search-near-no-most.json").read_text())
    constraints = [
        (
            tuple((atom, sign) for atom, sign in terms),
            -disclosure._INF if low is None else low,
            disclosure._INF if high is None else high,
        )
        for terms, low, high in data["constraints"]
    ]
    return data["truth"], constraints, data["target"]


def _meets(values: list[int], constraints: list[Any]) -> bool:
    return all(low <= sum(sign * values[a] for a, sign in terms) <= high for terms, low, high in constraints)


def test_a_search_beside_a_bound_worked_out_from_no_most_finds_its_witness(values_tried: list[int]) -> None:
    """Regression: a published summary's search that did not end. Its linear relaxation put
    counts at a bound worked out from "no most" (near a billion), and the search tried every
    value down from there. It starts from the true counts instead, and finds another value."""
    truth, constraints, target = _search_problem()
    found = disclosure._solve(truth, constraints, target)
    assert found is not None
    assert _meets(found, constraints)
    assert sum(found[a] for a in target) >= 2  # the count is 1: the problem asks for 2 or more
    assert len(values_tried) == 1


def test_a_search_ends_within_its_limit_wherever_it_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every value a search tries is a step, one it refuses at once too: trying every value down
    from a billion, it gives up at its limit (and a count without a witness is hidden, never
    shown), or finds a witness that meets every constraint."""
    truth, constraints, target = _search_problem()
    tried = [0]

    def from_the_top(truth: int, low: int, high: int) -> Any:
        for value in range(min(high, disclosure._INF - 1), low - 1, -1):
            tried[0] += 1
            if tried[0] > 3 * disclosure.SEARCH_LIMIT:
                raise AssertionError("a search for a witness went on past its limit")
            yield value

    monkeypatch.setattr(disclosure, "_nearest", from_the_top)
    found = disclosure._solve(truth, constraints, target)
    assert found is None or (_meets(found, constraints) and sum(found[a] for a in target) >= 2)


#: Twenty generated audits (``test_reports._variant``'s specs) whose published summary by
#: reviewer did not finish: one search for a witness ran on (the data file above is its problem).
SLOW_SEARCH_SPECS = [
    (True, [0, 0, 0, 3, 0, 3, 3, 2, 2, 2], dt.date(2026, 9, 5), "South"),
    (False, [3, 3, 1, 2, 0, 0, 2, 2, 0, 1], dt.date(2025, 11, 25), "East"),
    (False, [2, 2, 1, 0, 1, 0, 1, 0, 1, 1], dt.date(2025, 11, 24), "North"),
    (False, [0, 0, 3, 2, 3, 3, 1, 3, 0, 0], dt.date(2026, 5, 24), "East"),
    (False, [1, 0, 1, 1, 0, 1, 1, 2, 3, 0], dt.date(2026, 4, 9), "South"),
    (False, [3, 0, 1, 3, 3, 2, 1, 0, 0, 0], dt.date(2026, 4, 28), "South"),
    (True, [2, 0, 3, 3, 0, 1, 2, 1, 3, 1], dt.date(2026, 9, 16), "East"),
    (False, [2, 1, 2, 0, 2, 3, 2, 0, 2, 2], dt.date(2025, 12, 8), "North"),
    (False, [2, 3, 2, 3, 0, 2, 3, 1, 2, 0], dt.date(2025, 12, 20), "North"),
    (False, [1, 2, 3, 0, 2, 2, 3, 2, 2, 0], dt.date(2026, 4, 21), "East"),
    (True, [1, 2, 2, 0, 0, 2, 1, 3, 2, 1], dt.date(2025, 12, 2), "East"),
    (False, [1, 2, 1, 1, 2, 2, 3, 1, 0, 3], dt.date(2026, 6, 11), "East"),
    (False, [1, 1, 1, 0, 2, 2, 3, 0, 3, 2], dt.date(2025, 11, 27), "South"),
    (True, [2, 1, 3, 3, 0, 3, 2, 3, 1, 2], dt.date(2026, 8, 29), "North"),
    (True, [0, 2, 2, 1, 2, 1, 2, 1, 0, 3], dt.date(2026, 8, 17), "East"),
    (False, [1, 1, 3, 2, 2, 2, 1, 3, 0, 1], dt.date(2026, 8, 5), "East"),
    (True, [2, 3, 0, 2, 3, 2, 3, 0, 0, 3], dt.date(2025, 11, 27), "South"),
    (True, [1, 1, 2, 0, 0, 0, 2, 3, 0, 3], dt.date(2025, 11, 22), "East"),
    (True, [0, 0, 3, 3, 0, 2, 1, 1, 1, 2], dt.date(2025, 11, 30), "North"),
    (True, [3, 2, 2, 2, 1, 3, 3, 3, 1, 3], dt.date(2025, 12, 4), "South"),
]


def test_the_summary_whose_search_did_not_end_hides_what_it_must(
    registry: Registry, values_tried: list[int]
) -> None:
    """Regression: the published summary by reviewer of :data:`SLOW_SEARCH_SPECS` is decided, and
    no hidden count can be worked out from what it shows or from the ledger's account."""
    records = [_variant(registry, *spec) for spec in SLOW_SEARCH_SPECS]
    hidden, pinned = check(registry, records, "reviewer")
    assert pinned == []
    assert hidden == 8  # counts from 1 to 4, each shown <5 or hidden


# Up to 30 cases, as above: the ledger's search grows fast with the size of a summary.
@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moves=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=16),
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(0, 6),
)
def test_random_re_audits_pin_no_count(
    registry: Registry, service: list[AuditRecord], moves: list[Any], seed: int, size: int
) -> None:
    """The re-audits' improved, same and declined are shown where the ledger finds them safe:
    neither what the summary shows of them (with its other tables) nor the ledger's account of
    every section pins a count from 1 to 4. Generated council cases, with some of the examples
    (whose re-audits are of both frameworks, so an overall row adds them up)."""
    records = _records(registry, _reaudited(moves)) + random.Random(seed).sample(service, size)
    assert check(registry, records, None)[1] == []


@pytest.mark.long
@pytest.mark.parametrize("by", GROUPINGS)
def test_long_run_pins_no_count(registry: Registry, service: list[AuditRecord], by: str | None) -> None:
    """The long variant (``pytest -m long``): 40 summaries of the examples for each grouping."""
    rng = random.Random(f"long {by}")
    for _ in range(40):
        records = rng.sample(service, rng.randint(2, 30))
        assert check(registry, records, by)[1] == []


@pytest.mark.parametrize("start", [1, 4])
def test_the_quarterly_report_pins_no_count(registry: Registry, start: int) -> None:
    """The quarterly report (``qaimpact quarterly --publish``) adds its tables to the summary's
    ledger: the actions open at the quarter's end (agreed before it or in it), the escalations
    carried into it and completion against the programme. Nothing it shows pins a count, by the
    summary's own tables or by the ledger's account of every section."""
    import datetime as dt

    from qaimpact.cycle.programme import read_plans

    quarters = Quarters(start)
    key = quarters.key(dt.date(2026, 8, 1))
    last = quarters.dates(key)[1]
    options = CheckOptions(today=TODAY, keep_data=True)
    data = ROOT / "tests" / "data" / "quarterly"
    dataset = load_dataset([data / "audits"], registry, options, date_to=last)
    planned = read_plans([data / "plan-2026-08.csv"])
    figures = Figures(publish=True)
    common: dict[str, Any] = {"quarters": quarters, "quarter": key, "today": TODAY, "planned": planned}
    view = json.loads(json.dumps(quarterly_view(dataset, figures=figures, **common)))
    truth = quarterly_view(dataset, **common)
    hidden, pinned = pinned_in_view(view, truth, _good_line(registry))
    assert hidden > 0
    assert pinned == []
    assert pinned_in_ledger(figures) == []


# -- what a published summary holds, in every format --------------------------------------------


def _small_summary(service: list[AuditRecord]) -> Dataset:
    """Three council audits: the summary of the issue whose JSON said ``"n": 3``."""
    return Dataset(["mem"], records=[r for r in service if r.framework.id == "ccc-practice-standards"][:3])


def test_published_json_holds_no_raw_count_behind_a_hidden_one(service: list[AuditRecord]) -> None:
    view = quarterly_summary(_small_summary(service), today=TODAY, publish=True)
    assert view["audits"] is None
    assert view["audits_total"] == {"n": None, "text": "<5"}
    (section,) = view["frameworks"]
    assert section["n"] is None
    # The only framework's audits are all the audits (<5): the same count again, shown as it is.
    assert section["total"] == {"n": None, "text": "<5"}
    assert section["good_or_better"] == {
        "pct": None,
        "count": {"n": None, "text": "<5"},
        "of": {"n": None, "text": "<5"},
        "text": "suppressed",
    }
    # Zeros against a hidden total are not shown: "0% (0 of 3)" told a reader the total.
    for d in section["distribution"]:
        assert d["count"]["text"] == "–"
        assert d["share"]["text"] == "suppressed"


def _counts(value: Any) -> Any:
    """Every count (a dict with ``n`` and ``text``) in a view, at any depth."""
    if isinstance(value, dict):
        if "n" in value and "text" in value and not isinstance(value["n"], dict):  # a kappa holds a count
            yield value
        for item in value.values():
            yield from _counts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _counts(item)


@pytest.mark.parametrize("by", [None, "team", "month"])
def test_every_count_in_published_json_is_its_published_value(
    service: list[AuditRecord], by: str | None
) -> None:
    """No raw number sits behind a hidden count, in any section (issue 16: ``audits``,
    ``frameworks[].n``, ``good_or_better.count``, the re-audit ``cases``, ``resolved_share.of``)."""
    records = [r for r in service if r.audit_id in ISSUE_EXAMPLE]
    view = json.loads(
        json.dumps(quarterly_summary(Dataset(["mem"], records=records), today=TODAY, by=by, publish=True))
    )
    counts = list(_counts(view))
    assert len(counts) > 50
    for c in counts:
        if c["n"] is None:
            assert c["text"] in ("<5", "*", "–"), c
        else:
            assert c["text"] == str(c["n"]), c
            assert not 1 <= c["n"] <= 4, c
    assert view["audits"] == view["audits_total"]["n"]


def test_no_share_on_a_small_base(service: list[AuditRecord]) -> None:
    view = quarterly_summary(_small_summary(service), today=TODAY, publish=True)
    text = json.dumps(view)
    for small_base in (" of 1)", " of 2)", " of 3)", " of 4)", "(0 of"):
        assert small_base not in text


def test_a_safe_headline_is_never_hidden(service: list[AuditRecord]) -> None:
    view = quarterly_summary(Dataset(["mem"], records=service), today=TODAY, by="team", publish=True)
    truth = quarterly_summary(Dataset(["mem"], records=service), today=TODAY, by="team")
    for section, true in zip(view["frameworks"], truth["frameworks"], strict=True):
        assert section["good_or_better"]["text"] == true["good_or_better"]["text"]
        assert section["good_or_better"]["pct"] is not None


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
def test_every_format_of_a_published_summary_shows_only_published_counts(cli: Any, fmt: str) -> None:
    out = cli(
        "summary", "--audits", str(SERVICE), "--today", TODAY.isoformat(), "--publish", "--format", fmt
    ).stdout
    assert "QA-20" not in out  # no audit is listed
    if fmt == "json":
        data = json.loads(out)
        assert data["audits"] == data["audits_total"]["n"]
        for section in data["frameworks"]:
            assert section["n"] == section["total"]["n"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows  # a header at least


def test_the_readme_extract_is_the_published_summary(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """README shows the published summary of examples/service with its headline figure."""
    monkeypatch.chdir(ROOT)
    out = cli("summary", "--audits", "examples/service", "--today", TODAY.isoformat(), "--publish").stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = "the others (`<5` is 1 to 4, `*` a count hidden to protect one). An extract:\n\n```text\n"
    extract = readme.split(marker, 1)[1].split("```", 1)[0]
    blocks = extract.strip().split("\n\n")
    assert blocks[0] == (
        "46 audits; **67% (31 of 46)** graded Good or better. Not counted again: an undisclosed number of "
        "second audits (–) of double-marked cases."
    )
    for block in blocks:
        assert block in out


#: The commands that list individual audits, and so refuse --publish (docs/reports.md table).
REFUSING = [
    ("report", "--fca", "Tunde Adeyemi"),
    ("escalations",),
    ("actions",),
    ("impact",),
    ("moderation",),
]


@pytest.mark.parametrize("command", REFUSING, ids=lambda c: c[0])
def test_publish_is_refused_with_a_clear_message(cli: Any, command: tuple[str, ...]) -> None:
    run = cli(*command, "--audits", str(SERVICE), "--today", TODAY.isoformat(), "--publish", expect=2)
    assert run.stderr.strip() == (
        f"error: --publish is for the summary and the quarterly report only: `qaimpact {command[0]}` "
        "lists individual audits, which a published report never does. Use `qaimpact summary "
        "--publish` or `qaimpact quarterly --publish` for figures that leave the QA team, or --redact "
        "to replace names in this report."
    )


def test_the_flags_table_matches_the_cli() -> None:
    """docs/reports.md's table says which commands refuse --publish: the ones tested above."""
    text = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    table = text.split("## Flags by report", 1)[1].split("\n\n", 2)[1]
    # The --publish column: `sample` says "not offered" (it takes neither flag, tests/test_privacy_flags.py).
    refused = {
        line.split("`")[1].split()[0]
        for line in table.splitlines()
        if line.startswith("| `") and line.split("|")[4].strip().startswith("refused")
    }
    # programme refuses it with its own words (tests/test_programme.py).
    assert refused == {c[0] for c in REFUSING} | {"programme"}
    assert "| `summary` | md, html, json, csv, xlsx | supported | supported" in table


def test_the_flags_table_lists_each_command_s_formats() -> None:
    """docs/reports.md's table gives each command's formats as its --format offers them."""
    import inspect
    import typing

    import typer.main

    from qaimpact.cli.app import app

    text = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    table = text.split("## Flags by report", 1)[1].split("\n\n", 2)[1]
    documented = {
        line.split("`")[1]: sorted(f.strip() for f in line.split("|")[2].split(","))
        for line in table.splitlines()[2:]
        if line.startswith("| `")
    }
    group = typer.main.get_command(app)
    offered = {}
    for name in documented:
        # The option's type, read from the command's function (the objects Typer builds from it
        # differ between the releases allowed).
        function = inspect.unwrap(group.commands[name].callback)  # type: ignore[attr-defined]
        hints = typing.get_type_hints(function, include_extras=True)
        formats = typing.get_args(hints["output_format"])[0]
        offered[name] = sorted(f.value for f in formats)
    assert documented == offered


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_what_was_left_out_is_said_but_not_counted_when_published(cli: Any, tmp_path: Any, fmt: str) -> None:
    """Regression: three council audits reviewed 2025-10-01, -07 and -13, from 2025-10-05: the
    published summary said "<5" valid and "1 outside the period", which beside a report of the
    whole year gives the hidden count. It says that audits were left out, not how many."""
    import shutil

    folder = tmp_path / "audits"
    folder.mkdir()
    for name in ("CFA-2025-0275.yaml", "CFA-2025-0280.yaml", "CFA-2025-0284.yaml"):
        shutil.copy(SERVICE / "ccc" / name, folder / name)
    (folder / "broken.yaml").write_text("standards: ccc-practice-standards\naudit_id: [\n", encoding="utf-8")
    args = ("summary", "--audits", folder, "--today", TODAY.isoformat(), "--from", "2025-10-05", "-f", fmt)
    own = cli(*args, expect=1).stdout
    published = cli(*args, "--publish", expect=1).stdout
    if fmt == "json":
        own_view, view = json.loads(own), json.loads(published)
        assert (own_view["outside_period"], own_view["invalid_count"]) == (1, 1)
        assert (view["outside_period"], view["invalid_count"], view["skipped_count"]) == (None, None, None)
        assert view["left_out"] == {
            "invalid": True,
            "invalid_audits": True,
            "invalid_records": False,
            "skipped": False,
            "outside_period": True,
        }
        return
    assert "1 outside the period" in own
    assert "1 outside the period" not in published
    assert "audits outside the period left out" in published
    assert "invalid files left out (the QA team's own report lists them)" in published


# -- a table of one row: the same counts again -----------------------------------------------------

#: Audits of one quarter (2026-Q3), as ``audit_specs`` draws them: the table by quarter has one
#: row, which holds the framework's audits and grades again.
one_quarter_specs = st.lists(
    st.tuples(
        st.booleans(),
        st.lists(st.integers(0, 3), min_size=10, max_size=10),
        st.dates(min_value=dt.date(2026, 7, 1), max_value=dt.date(2026, 9, 30)),
        st.sampled_from(["North", "South", "East"]),
    ),
    min_size=1,
    max_size=14,
)


def _texts(cells: list[dict[str, Any]]) -> list[str]:
    return [c["count"]["text"] for c in cells]


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=one_quarter_specs, by=st.sampled_from([None, "quarter", "audit_type", "team"]))
def test_a_single_quarter_is_shown_as_its_framework_is_and_pins_no_count(
    registry: Registry, specs: list[Any], by: str | None
) -> None:
    """Regression: the only row of a table (one quarter's audits, by quarter or by any grouping
    with one group) breaks nothing down, yet its counts from 1 to 4 were withheld (–) where the
    framework's same counts were shown <5, and a count it shows as the headline does was hidden
    (*) to protect another, for nothing. It is shown as the framework's counts are, and still no
    hidden count can be worked out from what is shown (rows, columns, totals, shares)."""
    records = [_variant(registry, *spec) for spec in specs]
    assert check(registry, records, by)[1] == []
    view = quarterly_summary(Dataset(["mem"], records=records), today=TODAY, by=by, publish=True)
    for section in view["frameworks"]:
        tables = [section["trend"], *([section["groups"]] if section["groups"] else [])]
        for rows in tables:
            if len(rows) == 1:
                (row,) = rows
                assert row["n"]["text"] == section["total"]["text"]
                assert _texts(row["distribution"]) == _texts(section["distribution"])


#: The published quarterly report of 2026-Q3, its framework's grades and its only quarter's.
ONE_QUARTER = [
    pytest.param(
        EXAMPLES / "service" / "cafcass",
        [
            # 11: the quarter's double-marked case counts once.
            "11 audits; the share graded Good or better is not shown. Not counted again: fewer than"
            " 5 second audits (\\<5) of double-marked cases.",
            "| Outstanding | \\<5 | not shown |",
            "| Good | \\* | not shown |",
            # Regression: "| 2026-Q3 | 12 | – | 7 | – | – | not shown |", the same counts withheld.
            "| 2026-Q3 | 11 | \\<5 | \\* | \\<5 | \\<5 | not shown |",
            "| Case file audit | 11 | \\<5 | \\* | \\<5 | \\<5 | not shown |",
        ],
        id="one-framework",
    ),
    pytest.param(
        EXAMPLES / "service",
        [
            "12 audits; **58% (7 of 12)** graded Good or better. Not counted again: an undisclosed"
            " number of second audits (–) of double-marked cases.",
            # Regression: "| 2026-Q3 | \\* | – | \\* | – | – | not shown |" beside "11 audits".
            "| 2026-Q3 | 11 | – | \\* | – | – | not shown |",
            "| 2026-Q3 | 12 | – | – | – | – | 58% (7 of 12) |",
        ],
        id="two-frameworks",
    ),
]


@pytest.mark.parametrize(("audits", "lines"), ONE_QUARTER)
def test_the_published_quarterly_report_shows_its_only_quarter_as_its_framework(
    cli: Any, audits: Any, lines: list[str]
) -> None:
    run = cli(
        "quarterly", "--quarter", "2026-Q3", "--audits", audits, "--publish", "--today", TODAY.isoformat()
    )
    shown = run.stdout.splitlines()
    assert [line for line in lines if line not in shown] == []


@pytest.mark.parametrize(
    "audits", [EXAMPLES / "service" / "cafcass", EXAMPLES / "service"], ids=["one", "two"]
)
def test_the_published_quarterly_report_of_one_quarter_pins_no_count(registry: Registry, audits: Any) -> None:
    """What the quarterly report of 2026-Q3 shows now that its only quarter is shown as its
    frameworks are, with the programme's plans: nothing pins a hidden count."""
    from qaimpact.cycle.programme import read_plans

    quarters = Quarters()
    last = quarters.dates("2026-Q3")[1]
    dataset = load_dataset([audits], registry, CheckOptions(today=TODAY, keep_data=True), date_to=last)
    planned = read_plans(sorted((SERVICE / "plans").glob("*.csv")))
    figures = Figures(publish=True)
    common: dict[str, Any] = {"quarters": quarters, "quarter": "2026-Q3", "today": TODAY, "planned": planned}
    view = json.loads(json.dumps(quarterly_view(dataset, figures=figures, **common)))
    hidden, pinned = pinned_in_view(view, quarterly_view(dataset, **common), _good_line(registry))
    assert hidden > 0
    assert pinned == []
    assert pinned_in_ledger(figures) == []


def test_a_single_quarter_of_fewer_than_5_audits_is_shown_less_than_5(service: list[AuditRecord]) -> None:
    """Three audits of one quarter: the framework's count is <5, and so is the quarter's (it was
    withheld, –); the grades of either are not shown."""
    records = [
        r
        for r in service
        if r.framework.id == "cafcass-qiam-2017"
        and dt.date(2026, 7, 1) <= r.review_date <= dt.date(2026, 9, 30)
    ]
    view = quarterly_summary(
        Dataset(["mem"], records=records[:3]), today=TODAY, by="audit_type", publish=True
    )
    (section,) = view["frameworks"]
    for rows in (section["trend"], section["groups"]):
        assert [(r["n"]["text"], _texts(r["distribution"])) for r in rows] == [("<5", ["–", "–", "–", "–"])]
    assert section["total"]["text"] == "<5"
    assert _texts(section["distribution"]) == ["–", "–", "–", "–"]

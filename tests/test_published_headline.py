"""A published report keeps its headline (issue 17, section 2; task 17j).

The report's count of audits, and each framework's count of audits where it has 5 or more, are
headlines: ``--publish`` protects the counts from 1 to 4 by hiding other counts, never a headline,
unless every other count they add up with is withheld and a small count could still be worked out
(then the page says so). ``quarterly --publish`` shows the same headlines as ``summary --publish``
for the same quarter; a hidden count in the framework's line is said in words.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from conftest import ROOT, TODAY
from disclosure_check import pinned_in_ledger
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.audits.quarters import Quarters
from qaimpact.frameworks.registry import Registry
from qaimpact.privacy.disclosure import Figures, Shown
from qaimpact.reports import quarterly
from qaimpact.reports.render import render

SERVICE = ROOT / "examples" / "service"
QUARTERS = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]


def _published(cli: Any, command: str, quarter: str) -> dict[str, Any]:
    args = (command, "--publish", "--quarter", quarter, "--audits", SERVICE, "--today", TODAY.isoformat())
    return json.loads(cli(*args, "--format", "json").stdout)


@pytest.mark.parametrize("quarter", QUARTERS)
def test_the_quarterly_headline_is_the_summarys(cli: Any, quarter: str) -> None:
    summary = _published(cli, "summary", quarter)
    report = _published(cli, "quarterly", quarter)
    assert report["audits_total"] == summary["audits_total"]
    # A headline shown, not only the same: every 2026 quarter of the example is safe to show.
    assert report["audits_total"]["n"] == summary["audits"]
    assert summary["audits_total"]["n"] is not None
    assert [s["total"] for s in report["frameworks"]] == [s["total"] for s in summary["frameworks"]]
    assert [s["good_or_better"] for s in report["frameworks"]] == [
        s["good_or_better"] for s in summary["frameworks"]
    ]
    assert report["hidden_headlines"] == summary["hidden_headlines"] == []


def test_a_framework_of_5_or_more_audits_keeps_its_count(cli: Any) -> None:
    report = _published(cli, "quarterly", "2026-Q3")
    assert [(s["framework"]["id"], s["total"]["text"]) for s in report["frameworks"]] == [
        # The second audit of a double-marked case is counted once (test_counted_once.py).
        ("cafcass-qiam-2017", "11"),
        ("ccc-practice-standards", "12"),
    ]


def test_the_framework_lines_of_the_published_quarterly_report(cli: Any) -> None:
    args = ("--publish", "--quarter", "2026-Q3", "--audits", SERVICE, "--today", TODAY.isoformat())
    out = cli("quarterly", *args, "--format", "md").stdout
    lines = [line for line in out.splitlines() if "graded Good or better" in line]
    # How many second audits each counts once adds up to 1 of the quarter's: hidden, with its parts.
    not_again = " Not counted again: an undisclosed number of second audits (–) of double-marked cases."
    assert lines == [
        "11 audits; the share graded Good or better is not shown." + not_again,
        "12 audits; **58% (7 of 12)** graded Good or better." + not_again,
    ]
    # Published: no folder named (test_published_paths.py); 23 cases, each double-marked one once.
    assert "- Audits: **23** valid, counting a double-marked case once; " in out


@pytest.mark.parametrize(
    ("fmt", "lines"),
    [
        (
            "md",
            [
                "How many audits needed escalating under the frameworks' rules is not shown (–), nor how "
                "many are in each state. The escalations report lists them with due dates.",
                "- The grade the reviewer recorded differs from the grade the ratings give in **an "
                "undisclosed number of audits (–)**.",
                "Learning from the earlier audits: an undisclosed number of points (–) resolved, – "
                "persisting, \\<5 new. Remedial actions from the earlier audits: 0 done, 0 open (0 overdue).",
            ],
        ),
        (
            "html",
            [
                "<p>How many audits needed escalating under the frameworks' rules is not shown (–), nor "
                "how many are in each state. The escalations report lists them with due dates.</p>",
                "  <li>The grade the reviewer recorded differs from the grade the ratings give in "
                "<strong>an undisclosed number of audits (–)</strong>.</li>",
                "<p>Learning from the earlier audits: an undisclosed number of points (–) resolved, – "
                "persisting, &lt;5 new. Remedial actions from the earlier audits: 0 done, 0 open (0 "
                "overdue).</p>",
            ],
        ),
    ],
)
def test_a_count_not_shown_at_all_reads_as_a_sentence_in_the_published_quarterly_report(
    cli: Any, fmt: str, lines: list[str]
) -> None:
    # "Number of audits not shown (–) needed escalating" read as a heading cut short, and told a
    # board that some audits needed escalating where – may stand for none.
    args = ("--publish", "--quarter", "2026-Q3", "--audits", SERVICE, "--today", TODAY.isoformat())
    out = cli("quarterly", *args, "--format", fmt).stdout.splitlines()
    for line in lines:
        assert line in out
    awkward = ("not shown (–) needed", "number of audits not shown")
    assert not [line for line in out if any(words in line for words in awkward)]


@pytest.fixture(scope="module")
def q3_view(registry: Registry) -> dict[str, Any]:
    options = CheckOptions(today=TODAY, keep_data=True)
    dataset = load_dataset([SERVICE], registry, options, date_to=dt.date(2026, 9, 30))
    return quarterly.quarterly_view(
        dataset, quarters=Quarters(), quarter="2026-Q3", today=TODAY, publish=True
    )


HIDDEN_SHARE = {"pct": None, "text": Shown("suppressed")}


@pytest.mark.parametrize(
    ("shown", "md_line", "html_line"),
    [
        (
            "<5",
            "Fewer than 5 audits (\\<5); the share graded Good or better is not shown.",
            "<p>Fewer than 5 audits (&lt;5); the share graded Good or better is not shown.</p>",
        ),
        (
            "*",
            "5 or more audits (\\*); the share graded Good or better is not shown.",
            "<p>5 or more audits (*); the share graded Good or better is not shown.</p>",
        ),
        (
            "–",
            "An undisclosed number of audits (–); the share graded Good or better is not shown.",
            "<p>An undisclosed number of audits (–); the share graded Good or better is not shown.</p>",
        ),
        (
            "1",
            "1 audit; the share graded Good or better is not shown.",
            "<p>1 audit; the share graded Good or better is not shown.</p>",
        ),
    ],
)
def test_a_hidden_framework_count_is_said_in_words(
    q3_view: dict[str, Any], shown: str, md_line: str, html_line: str
) -> None:
    view = {**q3_view, "frameworks": [dict(s) for s in q3_view["frameworks"]]}
    view["frameworks"][0]["total"] = {"n": None, "text": Shown(shown)}
    view["frameworks"][0]["good_or_better"] = HIDDEN_SHARE
    # No second audit counted once, so that the line is the headline alone.
    view["frameworks"][0]["counted_once_count"] = {"n": 0, "text": Shown(0)}
    assert md_line in render(view, "md").splitlines()
    assert html_line in render(view, "html").splitlines()


def test_a_headline_hidden_after_all_is_explained(q3_view: dict[str, Any]) -> None:
    view = {**q3_view, "hidden_headlines": ["audits", "ccc-practice-standards"]}
    md = render(view, "md")
    assert (
        "- The number of audits is not shown in full: with it, a number from 1 to 4 could be worked "
        "out from the other figures." in md.splitlines()
    )
    assert (
        "12 audits; **58% (7 of 12)** graded Good or better. This headline is not shown in full: with "
        "all of it, a number from 1 to 4 could be worked out from the other figures. Not counted again: "
        "an undisclosed number of second audits (–) of double-marked cases." in md.splitlines()
    )
    assert "This headline is not shown in full" not in render(q3_view, "md")


# -- the ledger ----------------------------------------------------------------------------------


def test_other_counts_go_before_a_headline() -> None:
    """Rows of 5, 5 and 1 of a headline's 11: with a row shown, the others hidden as * and <5 pin
    the last row to 1. Other rows are withheld instead (–), and the headline stays."""
    figures = Figures(publish=True)
    rows = [figures.count(n, at_least=1) for n in (5, 5, 1)]
    total = figures.total(rows, keep=True)
    figures.protect()
    assert total["text"] == "11"
    assert [r["text"] for r in rows] == ["–", "5", "–"]
    assert figures.hidden_headlines() == []
    assert pinned_in_ledger(figures) == []


def test_a_headline_goes_only_where_headlines_alone_pin_a_count() -> None:
    """Two headlines, 5 and the 6 it is part of, give the other part away (1) whatever else is
    hidden: one headline goes (the one of fewest atoms), and the ledger says which."""
    figures = Figures(publish=True)
    five = figures.count(5, keep=True)
    one = figures.count(1)
    six = figures.total([five, one], keep=True)
    figures.protect()
    assert (five["text"], one["text"], six["text"]) == ("*", "–", "6")
    assert [id(c) for c in figures.hidden_headlines()] == [id(five)]
    assert pinned_in_ledger(figures) == []

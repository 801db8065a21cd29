"""The summary of a period counts the remedial actions and escalations carried into it as the
tracker (`actions`) and the escalations report count them, so the three reports never give a board
different figures for one quarter (a regression: `summary --quarter 2026-Q3` said "8 open, of
which 7 overdue" where `actions --quarter 2026-Q3` said "12 open (11 overdue)").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, TODAY
from disclosure_check import pinned_in_ledger
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.audits.quarters import Quarters
from qaimpact.frameworks.registry import Registry
from qaimpact.privacy.disclosure import Figures
from qaimpact.reports.summary import quarterly_summary

SERVICE = EXAMPLES / "service"
#: 2026-Q4 holds no audit: all it shows is carried in.
QUARTERS = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]


def _json(cli: Callable[..., Any], *args: str) -> dict[str, Any]:
    # `escalations` exits 1 while one is not raised: the figures are what is compared here.
    out = cli(
        *args, "--audits", SERVICE, "--today", TODAY.isoformat(), "--format", "json", expect=None
    ).stdout
    view: dict[str, Any] = json.loads(out)
    return view


@pytest.mark.parametrize("quarter", QUARTERS)
def test_the_summary_s_actions_add_up_to_the_tracker_s(cli: Callable[..., Any], quarter: str) -> None:
    summary = _json(cli, "summary", "--quarter", quarter)["cycle"]["actions"]
    tracker = _json(cli, "actions", "--quarter", quarter)
    own, carried = summary, summary["carried_in"]
    for key in ("actions", "open", "overdue", "done"):
        assert own[key]["n"] + carried[key]["n"] == tracker["totals"][key]["n"], key
    assert own["actions"]["n"] == tracker["agreed_in_period"]["n"]
    assert {k: carried[k]["n"] for k in ("actions", "open", "overdue", "done")} == {
        k: tracker["carried_in"][k]["n"] for k in ("actions", "open", "overdue", "done")
    }


@pytest.mark.parametrize("quarter", QUARTERS)
def test_the_summary_s_escalations_carried_in_are_the_report_s(cli: Callable[..., Any], quarter: str) -> None:
    summary = _json(cli, "summary", "--quarter", quarter)["cycle"]["escalations"]
    report = _json(cli, "escalations", "--quarter", quarter)
    assert summary["needed"]["n"] == report["totals"]["needed"]["n"]
    assert (summary["carried_in"]["count"]["n"], summary["carried_in"]["open"]["n"]) == (
        report["carried_in"]["escalations"],
        report["carried_in"]["open"],
    )
    # Each one still open is listed, marked as carried in, as the report lists it.
    listed = {(o["audit_id"], o["carried_in"]) for o in summary["open"]}
    expected = {(e["audit_id"], e["carried_in"]) for e in report["escalations"] if e["state"] != "closed"}
    assert listed == expected


def test_without_a_first_day_nothing_is_carried_in(cli: Callable[..., Any]) -> None:
    cycle = _json(cli, "summary")["cycle"]
    assert cycle["actions"]["carried_in"] is None
    assert cycle["escalations"]["carried_in"] is None
    assert not any(o["carried_in"] for o in cycle["escalations"]["open"])


def test_the_summary_of_a_quarter_says_what_was_carried_in(cli: Callable[..., Any]) -> None:
    out = cli("summary", "--audits", SERVICE, "--quarter", "2026-Q3", "--today", TODAY.isoformat()).stdout
    assert (
        "12 actions agreed at the period's audits: 8 open, of which **7 overdue**; 4 done (2 on time, "
        "2 late). Carried in: 5 actions agreed at earlier audits and still open when the period began: "
        "4 open today, of which **4 overdue**; 1 done since. The remedial actions report lists both, the "
        "overdue first.\n"
    ) in out
    assert (
        "Carried in: 2 escalations of earlier audits still open when the period began, 2 of them still "
        "open today; they are not counted above, and are listed below as before the period.\n"
    ) in out
    assert "| QA-2026-0014 | 2026-02-04 (before the period) | North East Public Law |" in out
    assert "The 10 most overdue, those carried in included:" in out
    assert "| CFA-2025-0294 (before the period) |" in out


#: The header of a quarter with records of the council's framework but no audit.
HEADER = {
    "md": "- Standards: Children's Services Practice Standards (version 2019-01): records only, no audit "
    "against it in the period\n",
    "html": '<p>Standards: Children&#39;s Services Practice Standards (version <span class="nowrap">'
    "2019-01</span>): records only, no audit against it in the period.</p>\n",
}


@pytest.mark.parametrize(
    ("fmt", "strong", "listed"),
    [
        ("md", "**{}**", "| CFA-2025-0294 (before the period) | Aisha Bello |"),
        (
            "html",
            '<span class="flag">{}</span>',
            '<code><span class="nowrap">CFA-2025-0294</span></code> (before the period)</th><td>Aisha Bello',
        ),
    ],
)
def test_a_quarter_without_audits_still_shows_the_actions_it_carries_in(
    cli: Callable[..., Any], fmt: str, strong: str, listed: str
) -> None:
    # Regression: with no audit in the quarter the summary said "No framework in use records
    # remedial actions." and hid 11 overdue actions agreed before it.
    out = cli(
        "summary", "--audits", SERVICE, "--quarter", "2026-Q4", "--today", TODAY.isoformat(), "-f", fmt
    ).stdout  # fmt: skip
    assert "No framework in use records remedial actions." not in out
    assert (
        f"0 actions agreed at the period's audits: 0 open, of which {strong.format('0 overdue')}; 0 done "
        "(0 on time, 0 late). Carried in: 12 actions agreed at earlier audits and still open when the "
        f"period began: 12 open today, of which {strong.format('11 overdue')}; 0 done since."
    ) in out
    assert listed in out
    # Records of the council's framework are summarised below: the header names it (regression).
    assert HEADER[fmt] in out


def test_a_quarter_with_nothing_carried_in_says_so(cli: Callable[..., Any]) -> None:
    out = cli("summary", "--audits", SERVICE, "--from", "2025-01-01", "--today", TODAY.isoformat()).stdout
    assert "Carried in: no action agreed at an earlier audit was still open when the period began." in out
    assert "Carried in: no escalation of an earlier audit was still open when the period began." in out


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_redaction_replaces_the_names_only_earlier_audits_hold(cli: Callable[..., Any], fmt: str) -> None:
    # The owners of actions carried in from audits before the quarter, named in no audit of it,
    # are shown with the quarter's and replaced like them.
    args = ("summary", "--audits", SERVICE, "--quarter", "2026-Q3", "--today", TODAY.isoformat(), "-f", fmt)
    plain = cli(*args).stdout
    redacted = cli(*args, "--redact").stdout
    for name in ("Aisha Bello", "Emily Hargreaves", "Mei Ling Chen"):
        assert name in plain
        assert name not in redacted


@pytest.mark.parametrize("quarter", ["2026-Q2", "2026-Q3"])
def test_a_published_summary_of_a_quarter_pins_no_count(registry: Registry, quarter: str) -> None:
    first, last = Quarters().dates(quarter)
    dataset = load_dataset([SERVICE], registry, CheckOptions(today=TODAY), date_from=first, date_to=last)
    figures = Figures(publish=True)
    view = quarterly_summary(dataset, today=TODAY, figures=figures)
    assert view["cycle"]["actions"]["carried_in"] is not None
    assert pinned_in_ledger(figures) == []


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_published_summary_says_hidden_counts_in_words(cli: Callable[..., Any], fmt: str) -> None:
    # "– audits needed escalating: – not raised; – raised, ..." read as a row of dashes.
    out = cli(
        "summary",
        "--audits",
        SERVICE,
        "--quarter",
        "2026-Q3",
        "--today",
        TODAY.isoformat(),
        "--publish",
        "-f",
        fmt,
    ).stdout
    assert (
        "How many audits needed escalating under the frameworks' rules is not shown (–), nor how many "
        "are in each state. The escalations report lists them with due dates."
    ) in out
    assert "Carried in: fewer than 5 escalations (\\<5) of earlier audits" in out.replace("&lt;", "\\<")
    assert "– audits" not in out


@pytest.mark.parametrize("quarter", ["2026-Q2", "2026-Q3"])
def test_the_ledger_knows_the_re_audits_open_actions_are_some_of_the_summary_s(
    registry: Registry, quarter: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Remedial actions from the earlier audits: 5 open" beside "Carried in: 6 actions ... <5
    # done since" would tell a reader how many were done, unless the ledger knows that an earlier
    # audit's open action is one the summary counts (found in review).
    linked: list[tuple[int, int]] = []
    real = Figures.within

    def spy(self: Figures, part: dict[str, Any], whole: dict[str, Any], **kwargs: Any) -> None:
        linked.append((id(part), id(whole)))
        real(self, part, whole, **kwargs)

    monkeypatch.setattr(Figures, "within", spy)
    first, last = Quarters().dates(quarter)
    dataset = load_dataset([SERVICE], registry, CheckOptions(today=TODAY), date_from=first, date_to=last)
    figures = Figures(publish=True)
    view = quarterly_summary(dataset, today=TODAY, figures=figures)
    actions = view["cycle"]["actions"]
    wholes = {id(actions[k]) for k in ("open", "overdue")}
    wholes |= {id(actions["carried_in"][k]) for k in ("open", "overdue")}
    assert wholes <= {whole for _, whole in linked}
    assert pinned_in_ledger(figures) == []


@pytest.mark.parametrize(
    ("fmt", "line"),
    [
        ("md", "- Standards: none, as no valid audit was read\n"),
        ("html", "<p>Standards: none, as no valid audit was read.</p>\n"),
    ],
)
def test_a_summary_without_a_period_or_an_audit_names_no_period(
    cli: Callable[..., Any], fmt: str, line: str
) -> None:
    # Regression: a folder without a valid audit, and no period chosen, gave "Period: no audits"
    # and then "Standards: none, as no audit was reviewed in the period". (Its one YAML file is
    # not an audit: a folder with no YAML file at all is refused.)
    folder = DATA / "no-audits" / "not-audits"
    out = cli("summary", "--audits", folder, "--today", TODAY.isoformat(), "-f", fmt).stdout
    assert line in out
    assert "in the period" not in out

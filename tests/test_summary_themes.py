"""The summary shows the recurring and unresolved themes of remedial actions and escalations
(issue 13, section 4), with the same protection as every other table when published."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conftest import EXAMPLES, TODAY
from disclosure_check import pinned_in_ledger
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import Dataset, load_dataset
from qaimpact.frameworks.registry import Registry
from qaimpact.privacy.disclosure import Figures
from qaimpact.reports.summary import quarterly_summary

SERVICE = EXAMPLES / "service"


def _view(registry: Registry, publish: bool) -> tuple[dict[str, Any], Figures]:
    figures = Figures(publish)
    dataset = load_dataset([SERVICE], registry, CheckOptions(today=TODAY))
    return quarterly_summary(dataset, today=TODAY, figures=figures), figures


def test_the_themes_add_up_to_the_actions_and_say_which_recur(registry: Registry) -> None:
    view, _ = _view(registry, publish=False)
    actions = view["cycle"]["actions"]
    themes = actions["themes"]
    assert [t["theme"] for t in themes][:3] == [
        "Risk and safety planning",
        "Assessment and analysis",
        "Planning and drift",
    ]
    # Every framework with actions lists themes in the examples: the themes are all the actions.
    assert sum(t["count"]["n"] for t in themes) == actions["actions"]["n"]
    assert sum(t["unresolved"]["n"] for t in themes) == actions["open"]["n"]
    assert sum(t["overdue"]["n"] for t in themes) == actions["overdue"]["n"]
    planning = next(t for t in themes if t["theme"] == "Planning and drift")
    assert (planning["count"]["n"], planning["audits"], planning["recurring"]) == (7, 7, True)


def test_the_published_themes_pin_no_count_and_hide_how_many_audits(registry: Registry) -> None:
    # The council's audits of one team's quarter or two: small enough for the exact check to be
    # quick, with themes of every kind (tests/test_disclosure.py covers the whole examples).
    dataset = load_dataset([SERVICE / "ccc"], registry, CheckOptions(today=TODAY))
    records = [r for r in dataset.records if r.review_date.isoformat() >= "2026-04-01"][:16]
    figures = Figures(publish=True)
    view = quarterly_summary(Dataset(["mem"], records=records), today=TODAY, figures=figures)
    assert view["cycle"]["actions"]["themes"]
    assert pinned_in_ledger(figures) == []
    for section in (view["cycle"]["actions"], view["cycle"]["escalations"]):
        for theme in section["themes"]:
            assert theme["audits"] is None
            if theme["count"]["n"] is None:
                assert theme["recurring"] is None


def test_the_cli_summary_shows_the_themes(cli: Callable[..., Any]) -> None:
    out = cli("summary", "--audits", SERVICE, "--today", TODAY.isoformat()).stdout
    assert (
        "Themes of the remedial actions, framework by framework (a theme in more than one audit recurs):"
        in out
    )
    assert (
        "| Children's Services Practice Standards | Planning and drift | 7 | 2 | 2 | Yes (7 audits) |" in out
    )


def test_the_escalation_themes_count_every_framework_s_escalations(registry: Registry) -> None:
    # The Cafcass framework lists no themes: its escalations are one row of their own, not left
    # out, so the table adds up to the escalations the section counts (a regression: 2 of 7).
    view, _ = _view(registry, publish=False)
    escalations = view["cycle"]["escalations"]
    rows = [(t["framework"], t["theme"], t["count"]["n"]) for t in escalations["themes"]]
    assert rows == [
        ("cafcass-qiam-2017", "(the framework lists no themes)", 5),
        ("ccc-practice-standards", "Risk and safety planning", 1),
        ("ccc-practice-standards", "(no theme)", 1),
    ]
    assert sum(t["count"]["n"] for t in escalations["themes"]) == escalations["needed"]["n"] == 7
    assert sum(t["overdue"]["n"] for t in escalations["themes"]) == escalations["overdue"]["n"]
    not_closed = sum(s["count"]["n"] for s in escalations["states"] if s["state"] != "closed")
    assert sum(t["unresolved"]["n"] for t in escalations["themes"]) == not_closed


def test_the_cli_summary_shows_every_framework_s_escalation_themes(cli: Callable[..., Any]) -> None:
    out = cli("summary", "--audits", SERVICE, "--today", TODAY.isoformat()).stdout
    assert "Themes of the escalations, framework by framework (a theme in more than one audit recurs):" in out
    assert "| Quality and Impact Assurance Model | (the framework lists no themes) | 5 | 3 | 2 |  |" in out


def test_the_tracker_s_themes_go_framework_by_framework_and_add_up(cli: Callable[..., Any]) -> None:
    out = cli("actions", "--audits", SERVICE, "--today", TODAY.isoformat()).stdout.splitlines()
    assert "| Framework | Theme | Actions | Audits | Recurring | Open | Overdue |" in out
    assert "| Children's Services Practice Standards | Planning and drift | 7 | 7 | **Yes** | 2 | 2 |" in out
    assert "| **All frameworks** | | **41** | | | 12 | 11 |" in out

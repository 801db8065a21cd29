"""Figures in Markdown reports are escaped by construction (issue 17).

A published count can be shown as ``*`` (hidden to protect another), ``<5`` or ``–``; in Markdown
``*`` opens emphasis and ``<`` starts HTML. Every count and share is a
:class:`~qaimpact.privacy.disclosure.Shown` text, and the Markdown environment escapes that type
wherever a template writes it, so no template needs to remember the ``md`` filter on a figure.

The views are those the CLI renders: every Markdown report that shows figures, captured on its
way to :func:`qaimpact.reports.render.render`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.privacy import disclosure
from qaimpact.privacy.disclosure import Shown
from qaimpact.reports import render

SERVICE = EXAMPLES / "service"
QUARTERLY = DATA / "quarterly"
PROGRAMME = DATA / "cycle" / "programme"
DAY = ("--today", TODAY.isoformat())

#: The quarterly report of 2026-Q3 over tests/data/quarterly, with its plan.
QUARTER = (
    "quarterly",
    "--audits",
    str(QUARTERLY / "audits"),
    "--quarter",
    "2026-Q3",
    "--plans",
    str(QUARTERLY / "plan-2026-08.csv"),
)
#: Each Markdown report that shows counts, and the arguments that make it.
REPORTS: dict[str, tuple[str, ...]] = {
    "summary": ("summary", "--audits", str(SERVICE), *DAY),
    "summary-by-team-published": ("summary", "--audits", str(SERVICE), "--by", "team", "--publish", *DAY),
    "quarterly": (*QUARTER, "--narrative", str(QUARTERLY / "narratives" / "escaping.yaml"), *DAY),
    "quarterly-published": (*QUARTER, "--publish", *DAY),
    "escalations": ("escalations", "--audits", str(SERVICE), *DAY),
    "actions": ("actions", "--audits", str(SERVICE), *DAY),
    "impact": ("impact", "--audits", str(SERVICE), *DAY),
    "moderation": ("moderation", "--audits", str(SERVICE), *DAY),
    "programme": (
        "programme",
        str(PROGRAMME / "plan-2026-08.csv"),
        "--audits",
        str(DATA / "cycle" / "sampling" / "audits"),
        "--today",
        "2026-12-15",
    ),
    "sample": (
        "sample",
        "--cases",
        str(SERVICE / "cases.csv"),
        "--auditors",
        str(SERVICE / "auditors.csv"),
        "--audits",
        str(SERVICE),
        "--seed",
        "7",
        *DAY,
    ),
}


def _figures(view: Any) -> Iterator[dict[str, Any]]:
    """Every figure of a view: a dict with a ``text`` and a count (``n``) or a share (``pct``)."""
    if isinstance(view, dict):
        if "text" in view and ("n" in view or "pct" in view):
            yield view
        for value in view.values():
            yield from _figures(value)
    elif isinstance(view, list | tuple):
        for value in view:
            yield from _figures(value)


@pytest.fixture(scope="module")
def views() -> dict[str, dict[str, Any]]:
    """The view of each report, as the CLI hands it to the renderer."""
    from typer.testing import CliRunner

    from qaimpact.cli import app

    captured: dict[str, dict[str, Any]] = {}
    real = render.render
    with pytest.MonkeyPatch.context() as patch:
        for name, args in REPORTS.items():

            def keep(view: dict[str, Any], *rest: Any, _name: str = name, **options: Any) -> str:
                captured[_name] = copy.deepcopy(view)
                return real(view, *rest, **options)

            patch.setattr(render, "render", keep)
            result = CliRunner().invoke(app, [*args, "--format", "md"])
            assert result.exit_code in (0, 1), f"{name}: {result.stderr}"
    assert sorted(captured) == sorted(REPORTS)
    return captured


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_figure_of_a_view_is_shown_text(views: dict[str, dict[str, Any]], name: str) -> None:
    figures = list(_figures(views[name]))
    assert figures, f"{name} shows no figure: the case tests nothing"
    plain = [f["text"] for f in figures if not isinstance(f["text"], Shown)]
    assert plain == []


def _with_texts(view: dict[str, Any], text: str) -> dict[str, Any]:
    """The view with every figure shown as ``text`` (its number, which templates test, kept)."""
    changed = copy.deepcopy(view)
    for figure in _figures(changed):
        figure["text"] = Shown(text)
    return changed


def _raw(markdown: str, char: str) -> int:
    """How many times ``char`` is in ``markdown`` not escaped by a backslash."""
    return len(re.findall(rf"(?<!\\){re.escape(char)}", markdown))


@pytest.mark.parametrize("symbol", ["*", "<5"])
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_no_figure_writes_markdown_syntax(views: dict[str, dict[str, Any]], name: str, symbol: str) -> None:
    """Every figure shown as ``*`` (or ``<5``) adds no unescaped ``*`` (``<``) to the page: it has
    as many as the same page with every figure shown as ``7``, which are the template's own."""
    neutral = render.render(_with_texts(views[name], "7"), "md", today=TODAY)
    other = render.render(_with_texts(views[name], "8"), "md", today=TODAY)
    marked = render.render(_with_texts(views[name], symbol), "md", today=TODAY)
    written = neutral.count("7") - other.count("7")  # the figures the page shows
    assert written > 0, f"{name} shows no figure: the case tests nothing"
    assert _raw(marked, symbol[0]) == _raw(neutral, symbol[0])
    assert marked.count("\\" + symbol) - neutral.count("\\" + symbol) == written


def test_a_figure_already_escaped_is_not_escaped_twice(views: dict[str, dict[str, Any]]) -> None:
    marked = render.render(_with_texts(views["summary"], "*"), "md", today=TODAY)
    assert "\\\\*" not in marked
    assert "\\*" in marked


def test_html_escapes_a_figure_once(views: dict[str, dict[str, Any]]) -> None:
    page = render.render(_with_texts(views["quarterly-published"], "<5"), "html", today=TODAY)
    assert "&lt;5" in page
    assert "\\&lt;5" not in page
    assert "&amp;lt;5" not in page


@pytest.fixture
def all_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every count of a published report shown ``*``, as if each were hidden to protect another."""
    monkeypatch.setattr(disclosure, "_shown", lambda fig: {"n": None, "text": Shown(disclosure.SECONDARY)})


def test_a_published_quarterly_report_escapes_every_hidden_count(cli: Any, all_hidden: None) -> None:
    out = cli(*REPORTS["quarterly-published"], "--format", "md").stdout
    lines = out.splitlines()
    (first,) = [line for line in lines if line.startswith("As of 2026-09-30, for the rounds")]
    assert first == (
        "As of 2026-09-30, for the rounds 2026-08: 5 or more audits (\\*) planned, \\* completed "
        "(\\* on time, \\* late), \\* missing, \\* still due; the share of those whose month has ended "
        "completed is not shown."
    )
    rows = [line for line in lines if line.startswith("| South Cambs Children in Care |")]
    programme = [row for row in rows if row.count("|") == 9]
    assert [cell.strip() for cell in programme[0].strip("|").split("|")][1:] == [
        "\\*",
        "\\*",
        "\\*",
        "\\*",
        "\\*",
        "\\*",
        "not shown",
    ]
    assert _raw(out.replace("**", ""), "*") == 0


def test_a_published_summary_escapes_the_count_in_a_heading(cli: Any, all_hidden: None) -> None:
    out = cli(*REPORTS["summary-by-team-published"], "--format", "md").stdout
    assert "### Audits needing escalation (\\*)" in out.splitlines()
    assert _raw(out.replace("**", ""), "*") == 0

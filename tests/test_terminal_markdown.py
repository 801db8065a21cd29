"""Markdown reports on a terminal are shown rendered (issue 17, section 3).

On a terminal, a report asked for without ``--format`` is rendered by rich (headings, tables,
bold) instead of printed as Markdown source with ``\\*``, ``\\<5`` and ``| --- |``. ``--format md``,
``-o FILE`` and pipes keep the Markdown. The CLI decides what a terminal is as it does for colour
(:func:`qaimpact.cli.output.on_terminal`, which the tests answer for the runner's output);
``FORCE_COLOR`` gives colour but does not make a redirected report rendered text.
``sample`` is left out: its plan is CSV unless Markdown is asked for.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, TODAY
from qaimpact.cli import app

SERVICE = str(EXAMPLES / "service")
COMMANDS = {
    "summary": ["summary", "--audits", SERVICE, "--publish"],
    "learning-log": ["report", "--fca", "Tunde Adeyemi", "--audits", SERVICE],
    "feedback": ["report", f"{SERVICE}/ccc/CFA-2026-0222.yaml"],
    "escalations": ["escalations", "--audits", SERVICE],
    "actions": ["actions", "--audits", SERVICE],
    "impact": ["impact", "--audits", SERVICE],
    "moderation": ["moderation", "--audits", SERVICE],
}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(autouse=True)
def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The runner's output is a terminal where a test says so (``TERMINAL`` set)."""
    import os

    from qaimpact.cli import output

    monkeypatch.setattr(output, "on_terminal", lambda stream: os.environ.get("TERMINAL") == "1")


def run(args: list[str], *, terminal: bool, force_color: bool | None = None) -> str:
    colour = terminal if force_color is None else force_color
    env = {"TERMINAL": "1" if terminal else None, "FORCE_COLOR": "1" if colour else None}
    result = CliRunner().invoke(app, [*args, "--today", TODAY.isoformat()], env=env)
    # The escalation gate exits 1 on the examples by design: one escalation is not raised.
    assert result.exit_code in (0, 1), result.stderr
    return _ANSI.sub("", result.stdout)


def is_markdown_source(text: str) -> bool:
    return text.startswith("# ") and bool(re.search(r"^\|? ?-{3}", text, re.M) or "\n- " in text)


@pytest.mark.parametrize("name", COMMANDS)
def test_on_a_terminal_a_report_is_rendered(name):
    shown = run(COMMANDS[name], terminal=True)
    assert not is_markdown_source(shown)
    assert not re.search(r"\\[*<_`|#]", shown), "a Markdown escape is shown"
    assert not re.search(r"^#+ ", shown, re.M), "a Markdown heading is shown as source"
    assert "**" not in shown


@pytest.mark.parametrize("name", COMMANDS)
def test_format_md_and_pipes_keep_the_markdown(name):
    piped = run(COMMANDS[name], terminal=False)
    asked = run([*COMMANDS[name], "--format", "md"], terminal=True)
    assert is_markdown_source(piped)
    assert asked == piped


def test_a_published_summary_on_a_terminal_shows_suppressed_counts_plainly():
    shown = run(COMMANDS["summary"], terminal=True)
    assert "<5" in shown
    assert "\\<5" not in shown
    assert "Quality assurance summary" in shown


def test_an_output_file_keeps_the_markdown_on_a_terminal(tmp_path: Path):
    report = tmp_path / "summary.md"
    run([*COMMANDS["summary"], "-o", str(report)], terminal=True)
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Quality assurance summary\n")
    assert "\\<5" in text


@pytest.mark.parametrize("name", COMMANDS)
def test_force_color_keeps_the_markdown_when_redirected(name):
    """FORCE_COLOR (set in many CI systems) asks for colour: `qaimpact summary > report.md` under
    it still writes the Markdown report, not the terminal's rendering of it."""
    redirected = run(COMMANDS[name], terminal=False, force_color=True)
    assert is_markdown_source(redirected)
    assert redirected == run(COMMANDS[name], terminal=False)

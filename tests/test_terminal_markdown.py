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


def run(
    args: list[str], *, terminal: bool, force_color: bool | None = None, columns: int | None = None
) -> str:
    colour = terminal if force_color is None else force_color
    env = {
        "TERMINAL": "1" if terminal else None,
        "FORCE_COLOR": "1" if colour else None,
        # The terminal's width, as rich reads it (80 when it is not given).
        "COLUMNS": None if columns is None else str(columns),
    }
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


QUARTERLY = ["quarterly", "--audits", SERVICE, "--quarter", "2026-Q3"]
ESCALATED = "What happened for each escalated child"


def table_under(markdown: str, heading: str) -> list[list[str]]:
    """The rows of the first table under ``heading`` in a Markdown report, its header first."""
    section = markdown.partition(f"\n{heading}\n")[2].partition("\n#")[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    rows = [[cell.strip().replace("**", "") for cell in line.strip("|").split("|")] for line in lines]
    return [row for row in rows if not all(set(cell) <= {"-", ":"} for cell in row)]


def shown_under(shown: str, heading: str) -> str:
    """What a terminal shows from ``heading`` to the next heading of the quarterly report."""
    return shown.partition(heading)[2].partition("Remedial actions at the quarter's end")[0]


@pytest.mark.parametrize(("columns", "laid_out"), [(60, "records"), (80, "records"), (200, "table")])
def test_the_escalated_children_keep_every_id_and_date_whole(columns, laid_out):
    """A new user's review: at 80 columns the quarterly report's table of escalated children
    showed "CFA-2…", "QA-20…", "2026-…" and "Hunti…". A table whose ids, dates and words do not
    fit the terminal is shown as a block of lines for each row instead; one that fits is a table
    whose text wraps between words."""
    from qaimpact.reports.render import WHOLE_VALUE

    rows = table_under(run([*QUARTERLY, "--format", "md"], terminal=False), f"## {ESCALATED}")
    header, body = rows[0], rows[1:]
    values = [value for row in body for cell in row for value in WHOLE_VALUE.findall(cell)]
    assert len(body) == 4
    assert len(values) == 4 + 10  # an id for each child, and their dates
    shown = run(QUARTERLY, terminal=True, columns=columns)
    part = shown_under(shown, ESCALATED)
    for value in set(values):
        whole = re.findall(rf"(?<![\w-]){re.escape(value)}(?![\w-])", part)
        assert len(whole) >= values.count(value), value
    for word in {word for row in body for cell in row for word in cell.split()}:
        assert re.search(rf"(?<!\S){re.escape(word)}(?!\S)", part), word
    assert "…" not in shown
    assert max(len(line) for line in shown.splitlines()) <= columns
    if laid_out == "table":
        assert re.search(r"^ Audit +Team +Audited +Date +State +Raised +Acknowledged +Action", part, re.M)
    else:
        ids = [row[0] for row in body]
        assert re.findall(r"^Audit +(\S+) *$", part, re.M) == ids
        assert re.findall(r"^Confirmed safe +(\S+) *$", part, re.M) == [row[8] for row in body]
        assert header[8] == "Confirmed safe"


@pytest.mark.parametrize("name", COMMANDS)
def test_no_report_on_a_terminal_cuts_a_value_short(name):
    """rich cuts a cell too narrow for a word with "…": the tables on a terminal never do."""
    shown = run(COMMANDS[name], terminal=True, columns=80)
    assert "…" not in shown
    assert max(len(line) for line in shown.splitlines()) <= 80

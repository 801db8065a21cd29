"""Every report a practitioner, a QA team or a board reads, rendered from examples/service.

The page tests (tests/test_browser.py, tests/test_report_words.py) look at all of them: the
quarterly summary (as it is, by team and published), the quarterly QA report (of a calendar and of
a financial quarter), feedback on each audit, each practitioner's learning log and the cycle
reports, as Markdown and as HTML, each made through the CLI.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from conftest import EXAMPLES, TODAY
from qaimpact.cli import app

SERVICE = EXAMPLES / "service"
AUDITS = sorted(SERVICE.glob("*/*.yaml"))


def practitioners() -> list[str]:
    """Each practitioner of the example audits, once."""
    import yaml

    names = {yaml.safe_load(path.read_text(encoding="utf-8"))["practitioner"] for path in AUDITS}
    return sorted(names)


def commands() -> dict[str, list[str]]:
    """Each report's name and the qaimpact arguments that make it (less --format and -o)."""
    service = str(SERVICE)
    made: dict[str, list[str]] = {
        "summary": ["summary", "--audits", service],
        "summary-by-team": ["summary", "--audits", service, "--by", "team"],
        "summary-by-audit-type": ["summary", "--audits", service, "--by", "audit_type"],
        "summary-published": ["summary", "--audits", service, "--publish"],
        # Its trend chart names each quarter as the tables do, "2025-26 Q3 (Oct-Dec 2025)".
        "summary-financial-year": ["summary", "--audits", service, "--year-start", "april"],
        "quarterly": [
            "quarterly",
            "--audits",
            service,
            "--quarter",
            "2026-Q3",
            "--plans",
            f"{service}/plans/2026-07.csv",
            "--plans",
            f"{service}/plans/2026-08.csv",
            "--plans",
            f"{service}/plans/2026-09.csv",
            "--narrative",
            str(EXAMPLES / "narratives" / "2026-Q3.narrative.yaml"),
        ],
        "quarterly-financial-year": [
            "quarterly",
            "--audits",
            service,
            "--year-start",
            "april",
            "--quarter",
            "2026-27-Q2",
        ],
        "escalations": ["escalations", "--audits", service],
        "actions": ["actions", "--audits", service],
        "impact": ["impact", "--audits", service],
        "moderation": ["moderation", "--audits", service],
        "sample": [
            "sample",
            "--cases",
            f"{service}/cases.csv",
            "--auditors",
            f"{service}/auditors.csv",
            "--audits",
            service,
            "--seed",
            "7",
        ],
    }
    for name in practitioners():
        made[f"learning-log-{name.replace(' ', '-')}"] = ["report", "--fca", name, "--audits", service]
    for path in AUDITS:
        made[f"feedback-{path.stem}"] = ["report", str(path)]
    return made


def render_all(folder: Path, fmt: str) -> list[Path]:
    """Write every report in ``fmt`` (md or html) to ``folder``; the files written."""
    runner = CliRunner()
    written = []
    for name, args in commands().items():
        page = folder / f"{name}.{fmt}"
        result = runner.invoke(app, [*args, "--format", fmt, "-o", str(page), "--today", TODAY.isoformat()])
        # The escalation gate exits 1 on the examples by design: one escalation is not raised.
        assert result.exit_code in (0, 1), f"{name}: {result.stderr}"
        assert page.is_file(), f"{name}: {result.stderr}"
        written.append(page)
    return written

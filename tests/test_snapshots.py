"""Snapshot tests: the Markdown reports made from the examples, compared byte for byte.

A deliberate change to a report is reviewed by regenerating the snapshots and reading the diff:
``QAIMPACT_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_snapshots.py``.
"""

from __future__ import annotations

import os

import pytest

from conftest import DATA, EXAMPLES, ROOT, TODAY

SNAPSHOTS = DATA / "snapshots"
SERVICE = "examples/service"

CASES = {
    "feedback-cafcass.md": ("report", "examples/cafcass-qa-2026-0142.yaml"),
    "feedback-ccc.md": ("report", "examples/ccc-cfa-2026-0311.yaml"),
    "feedback-escalated.md": ("report", f"{SERVICE}/ccc/CFA-2026-0222.yaml"),
    "feedback-moderated.md": ("report", f"{SERVICE}/cafcass/QA-2025-0160.yaml"),
    "learning-log-cafcass.md": ("report", "--fca", "Tunde Adeyemi", "--audits", SERVICE),
    "learning-log-ccc.md": ("report", "--practitioner", "Emily Hargreaves", "--audits", SERVICE),
    "summary.md": ("summary", "--audits", SERVICE),
    "summary-by-team-published.md": ("summary", "--audits", SERVICE, "--by", "team", "--publish"),
    "summary-redacted.md": ("summary", "--audits", SERVICE, "--by", "reviewer", "--redact"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_markdown_snapshot(cli, monkeypatch, name):
    monkeypatch.chdir(ROOT)  # paths in the reports are as a user in the repository types them
    assert (EXAMPLES / "service").is_dir()
    out = cli(*CASES[name], "--today", TODAY.isoformat()).stdout
    path = SNAPSHOTS / name
    if os.environ.get("QAIMPACT_UPDATE_SNAPSHOTS"):
        path.write_text(out, encoding="utf-8")
        pytest.skip(f"{name} rewritten: review the diff before committing it")
    assert out == path.read_text(encoding="utf-8"), f"{name} changed: review it, then update the snapshot"

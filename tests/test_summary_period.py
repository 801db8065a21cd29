"""The summary states the period it covers, in Markdown, HTML and JSON alike, records or audits.

A folder holding only records (tests/data/records: practice observations dated 2026-09-14 to
2026-10-05, no audit) once gave "Period: no audits", and ``--from`` alone with nothing dated
after it "2026-01-01 to None". The period is the dates given, else the audits' review dates,
else, with no audit in the period, the records' dates.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, TODAY

RECORDS = DATA / "records"

#: A folder of no audit (its YAML files are not audits): a folder with no YAML file at all is
#: refused (exit 2), not reported on.
NO_AUDITS = DATA / "no-audits" / "not-audits"
#: The folder (None: one of no audit, NO_AUDITS), the options, and the period stated: its dates as JSON gives
#: them (from, to, quarter) and as the Markdown and HTML say it.
CASES = [
    pytest.param(RECORDS, (), ("2026-09-14", "2026-10-05", None), "2026-09-14 to 2026-10-05", id="records"),
    pytest.param(
        RECORDS,
        ("--from", "2026-10-01"),
        ("2026-10-01", "2026-10-05", None),
        "2026-10-01 to 2026-10-05",
        id="records-from",
    ),
    pytest.param(
        RECORDS,
        ("--to", "2026-09-30"),
        ("2026-09-14", "2026-09-30", None),
        "2026-09-14 to 2026-09-30",
        id="records-to",
    ),
    pytest.param(
        RECORDS,
        ("--quarter", "2026-Q3"),
        ("2026-07-01", "2026-09-30", "2026-Q3"),
        "2026-Q3, 2026-07-01 to 2026-09-30",
        id="records-quarter",
    ),
    pytest.param(
        None, ("--from", "2026-01-01"), ("2026-01-01", None, None), "from 2026-01-01", id="empty-from"
    ),
    pytest.param(None, ("--to", "2026-01-01"), (None, "2026-01-01", None), "up to 2026-01-01", id="empty-to"),
    pytest.param(None, (), (None, None, None), "no audits", id="empty"),
]


def _summary(cli: Any, folder: Path, options: tuple[str, ...], fmt: str) -> str:
    out: str = cli("summary", "--audits", folder, "--today", TODAY.isoformat(), *options, "-f", fmt).stdout
    return out


@pytest.mark.parametrize(("folder", "options", "dates", "stated"), CASES)
def test_the_period_is_stated_alike_in_every_format(
    cli: Any,
    tmp_path: Path,
    folder: Path | None,
    options: tuple[str, ...],
    dates: tuple[str | None, ...],
    stated: str,
) -> None:
    where = folder or NO_AUDITS
    view = json.loads(_summary(cli, where, options, "json"))
    assert (view["period"]["from"], view["period"]["to"], view["period"]["quarter"]) == dates
    markdown = _summary(cli, where, options, "md").splitlines()
    assert markdown[2] == f"- Period: {stated}"
    page = _summary(cli, where, options, "html")
    # Dates and ids are kept whole on a line (each in a span): the text is the Markdown's.
    lines = [re.sub(r'<span class="nowrap">([^<]*)</span>', r"\1", line) for line in page.splitlines()]
    assert f"<p>Period: {stated}.</p>" in lines
    title = "" if stated == "no audits" else f", {dates[2] or stated}"
    assert f"<title>Quality assurance summary{title}</title>" in lines
    assert "None" not in markdown[2]

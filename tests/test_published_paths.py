"""A published report names no local path of the audits (``--publish``).

A published report goes to a board or the public. The folder given to ``--audits`` was shown at
its top ("Audits: **96** valid from `audits/smith-family`"), redacted only where it held a name
the audits record: a folder named after a child or a family in other words (``smith-family``)
went out as written. Published, no folder or file of the audits is named in any format; the
count of audits says what a reader needs. The QA team's own report still names the folders read.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, TODAY

SERVICE = ROOT / "examples" / "service"
#: A folder whose name names a family, in words no audit records as a name.
FAMILY = "smith-family"

#: Every command with ``--publish``, in every format it writes.
CASES = [
    *(("summary", fmt) for fmt in ("md", "html", "json", "csv", "xlsx")),
    *(("quarterly", fmt) for fmt in ("md", "html", "json", "xlsx")),
]


@pytest.fixture(scope="module")
def family(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("published") / FAMILY
    shutil.copytree(SERVICE, folder)
    return folder


def _written(cli: Any, family: Path, out: Path, command: str, fmt: str, *flags: str) -> str:
    """The report as written to ``out``: a workbook's every part as text."""
    period = ("--quarter", "2026-Q3") if command == "quarterly" else ()
    cli(
        command, *period, "--audits", family, "--today", TODAY.isoformat(), "--format", fmt, "-o", out, *flags
    )
    if fmt != "xlsx":
        return out.read_text(encoding="utf-8")
    with zipfile.ZipFile(out) as book:
        return "\n".join(book.read(name).decode("utf-8") for name in book.namelist())


@pytest.mark.parametrize(("command", "fmt"), CASES)
def test_a_published_report_names_no_folder_of_the_audits(
    cli: Any, family: Path, tmp_path: Path, command: str, fmt: str
) -> None:
    text = _written(cli, family, tmp_path / f"report.{fmt}", command, fmt, "--publish")
    assert FAMILY not in text
    assert str(family.parent) not in text
    if fmt == "json":
        view = json.loads(text)
        assert (view["publish"], view["sources"]) == (True, [])
        assert view["audits_total"]["text"].isdigit()  # how many audits were read, shown
    if fmt == "md":
        line = next(x for x in text.splitlines() if x.startswith("- Audits:"))
        count = json.loads(_written(cli, family, tmp_path / "r.json", command, "json", "--publish"))
        assert line.startswith(f"- Audits: **{count['audits_total']['text']}** valid")


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
@pytest.mark.parametrize("command", ["summary", "quarterly"])
def test_the_qa_team_s_own_report_still_names_the_folders_read(
    cli: Any, family: Path, tmp_path: Path, command: str, fmt: str
) -> None:
    text = _written(cli, family, tmp_path / f"report.{fmt}", command, fmt)
    assert FAMILY in text
    if fmt == "json":
        assert json.loads(text)["sources"] == [str(family)]

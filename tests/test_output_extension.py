"""``-o FILE`` without ``--format`` writes the format FILE's extension names; a file named for
another format than ``--format`` asks for, or for one the command cannot write, is refused
before anything is read or written.

Before, ``qaimpact summary -o summary.xlsx`` wrote Markdown into ``summary.xlsx`` (which Excel
cannot open) and said "wrote summary.xlsx".
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, TODAY

SERVICE = EXAMPLES / "service"
PLAN = SERVICE / "plans" / "2026-07.csv"
COMMON = ("--audits", SERVICE, "--today", TODAY.isoformat())


def _is_workbook(path: Path) -> bool:
    return zipfile.is_zipfile(path) and "xl/workbook.xml" in zipfile.ZipFile(path).namelist()


def _is_json(path: Path) -> bool:
    return isinstance(json.loads(path.read_text(encoding="utf-8")), dict)


def _is_html(path: Path) -> bool:
    return path.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")


def _is_markdown(path: Path) -> bool:
    return path.read_text(encoding="utf-8").startswith("# ")


def _is_csv(path: Path) -> bool:
    first = path.read_text(encoding="utf-8-sig").splitlines()[0]
    return "," in first and not first.startswith(("#", "{", "<"))


@pytest.mark.parametrize(
    ("args", "name", "written"),
    [
        (("summary",), "summary.xlsx", _is_workbook),
        (("summary",), "summary.JSON", _is_json),
        (("summary",), "summary.htm", _is_html),
        (("summary",), "summary.csv", _is_csv),
        (("summary",), "summary.txt", _is_markdown),  # no format named: the default
        (("summary",), "summary", _is_markdown),
        (("summary", "-f", "json"), "summary.txt", _is_json),
        (("quarterly", "--quarter", "2026-Q3"), "q3.html", _is_html),
        (("actions",), "actions.xlsx", _is_workbook),
        (("escalations",), "escalations.json", _is_json),
        (("moderation",), "moderation.md", _is_markdown),
        (("impact",), "impact.html", _is_html),
        (("programme", PLAN), "programme.csv", _is_csv),
        (("report", "--fca", "Yusuf Demir"), "log.html", _is_html),
    ],
)
def test_the_extension_names_the_format(
    cli: Callable[..., Any], tmp_path: Path, args: tuple[Any, ...], name: str, written: Callable[[Path], bool]
) -> None:
    out = tmp_path / name
    run = cli(*args, *COMMON, "-o", out, expect=None)
    assert run.exit_code in (0, 1), run.stderr  # 1: escalations not raised, as the report says
    assert written(out)


@pytest.mark.parametrize(
    ("args", "name", "message"),
    [
        (
            ("summary", "-f", "md"),
            "summary.xlsx",
            "error: -o {out} names an Excel workbook, but --format md writes Markdown: use --format "
            "xlsx, or name the file summary.md.",
        ),
        (
            ("actions", "--format", "json"),
            "actions.html",
            "error: -o {out} names a web page, but --format json writes JSON: use --format html, "
            "or name the file actions.json.",
        ),
        (
            ("report", "--fca", "Yusuf Demir"),
            "log.xlsx",
            "error: -o {out} names an Excel workbook, which qaimpact report cannot write: it writes "
            ".md, .html or .json files (--format).",
        ),
        (
            ("quarterly", "--quarter", "2026-Q3"),
            "q3.csv",
            "error: -o {out} names a CSV file, which qaimpact quarterly cannot write: it writes .md, "
            ".html, .json or .xlsx files (--format).",
        ),
    ],
)
def test_a_file_named_for_another_format_is_refused(
    cli: Callable[..., Any], tmp_path: Path, args: tuple[Any, ...], name: str, message: str
) -> None:
    out = tmp_path / name
    run = cli(*args, *COMMON, "-o", out, expect=2)
    assert " ".join(run.stderr.split()) == message.format(out=out)
    assert not out.exists()


def test_a_persons_file_named_for_another_format_is_kept(cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "tracker.xlsx"
    out.write_bytes(b"their workbook")
    run = cli("actions", "-f", "md", *COMMON, "-o", out, "--force", expect=2)
    assert run.stderr.startswith(f"error: -o {out} names an Excel workbook, but --format md writes")
    assert out.read_bytes() == b"their workbook"

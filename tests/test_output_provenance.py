"""``--output`` replaces an earlier report qaimpact wrote, recognised by what the file holds, and
never a person's own file of the same kind (notes.md, a caseload list cases.csv) without --force.

The people's files are in tests/data/output-provenance/theirs; the earlier reports are written by
the commands themselves, so that a change to what a report looks like is caught here.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.base.provenance import earlier_report

HERE = DATA / "output-provenance"
AUDITS = str(HERE / "audits")
THEIRS = sorted((HERE / "theirs").iterdir())


def _refused(target: Path) -> str:
    return (
        f"error: --output '{target}' already exists and is not an earlier qaimpact report, so it was not "
        "replaced; choose another name, or add --force to replace it."
    )


#: Each report command, with the options that make it write the given format.
WRITERS: dict[str, list[str]] = {
    "summary-md": ["summary", "--audits", AUDITS, "-f", "md"],
    "summary-csv": ["summary", "--audits", AUDITS, "-f", "csv"],
    "summary-csv-bom": ["summary", "--audits", AUDITS, "-f", "csv", "--bom"],
    "actions-html": ["actions", "--audits", AUDITS, "-f", "html"],
    "actions-json": ["actions", "--audits", AUDITS, "-f", "json"],
    "actions-csv": ["actions", "--audits", AUDITS, "-f", "csv"],
    "escalations-md": ["escalations", "--audits", AUDITS, "-f", "md"],
    "validate-text": ["validate", AUDITS, "--format", "text"],
    "validate-json": ["validate", AUDITS, "--format", "json"],
    "validate-sarif": ["validate", AUDITS, "--format", "sarif"],
    "validate-junit": ["validate", AUDITS, "--format", "junit"],
    "validate-github": ["validate", AUDITS, "--format", "github"],
    "schema": ["schema", "ccc-practice-standards"],
    "report-schema": ["schema", "--report", "summary"],
}


def _write(cli: Any, writer: str, target: Path, *extra: str, expect: int | None = 0) -> Any:
    args = WRITERS[writer]
    dated = [] if args[0] in {"validate", "schema"} else ["--today", TODAY.isoformat()]
    return cli(*args, *dated, "-o", target, *extra, expect=expect)


@pytest.mark.parametrize(
    ("earlier", "again"),
    [
        ("summary-md", "summary-md"),
        ("summary-md", "actions-html"),  # any earlier report may give way to another
        ("actions-html", "summary-md"),
        ("actions-json", "summary-md"),
        ("actions-csv", "actions-csv"),
        ("summary-csv", "summary-csv-bom"),  # the byte-order mark is not part of the header
        ("summary-csv-bom", "summary-csv"),
        ("escalations-md", "escalations-md"),
        ("validate-text", "validate-text"),
        ("validate-json", "validate-json"),
        ("validate-sarif", "validate-sarif"),
        ("validate-junit", "validate-junit"),
        ("validate-github", "validate-github"),
        ("schema", "schema"),
        ("report-schema", "schema"),
    ],
)
def test_an_earlier_report_is_replaced_without_force(
    cli: Any, tmp_path: Path, earlier: str, again: str
) -> None:
    target = tmp_path / "report.out"
    _write(cli, earlier, target)
    first = target.stat().st_ino
    _write(cli, again, target)
    assert target.stat().st_ino != first  # a new file was put in its place


@pytest.mark.parametrize("theirs", THEIRS, ids=[p.name for p in THEIRS])
@pytest.mark.parametrize("writer", ["summary-md", "actions-csv", "actions-json", "validate-text"])
def test_a_persons_own_file_is_kept_without_force(
    cli: Any, tmp_path: Path, theirs: Path, writer: str
) -> None:
    target = tmp_path / theirs.name
    shutil.copy(theirs, target)
    run = _write(cli, writer, target, expect=2)
    assert " ".join(run.stderr.split()) == _refused(target)
    assert target.read_bytes() == theirs.read_bytes()
    _write(cli, writer, target, "--force")
    assert target.read_bytes() != theirs.read_bytes()


def test_a_csv_report_with_other_columns_is_not_an_earlier_copy(cli: Any, tmp_path: Path) -> None:
    """A CSV file carries no mark: only the same header row shows it is the same report."""
    target = tmp_path / "report.csv"
    _write(cli, "actions-csv", target)
    before = target.read_bytes()
    run = _write(cli, "summary-csv", target, expect=2)
    assert " ".join(run.stderr.split()) == _refused(target)
    assert target.read_bytes() == before


def test_a_csv_report_saved_again_by_excel_is_still_recognised(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "actions.csv"
    _write(cli, "actions-csv", target)
    header, _, rest = target.read_text(encoding="utf-8").partition("\n")
    quoted = ",".join(f'"{cell}"' for cell in header.split(","))
    target.write_bytes(("\ufeff" + quoted + "\r\n" + rest.replace("\n", "\r\n")).encode("utf-8"))
    _write(cli, "actions-csv", target)
    assert target.read_text(encoding="utf-8").startswith(header + "\n")


def test_sample_keeps_a_caseload_list_and_writes_no_audit(cli: Any, tmp_path: Path) -> None:
    """The new-user check's case: -o named the caseload list of another team, which is not an input.
    It is refused before any blank audit is written."""
    cycle = DATA / "cycle" / "sampling"
    target = tmp_path / "cases.csv"
    shutil.copy(HERE / "theirs" / "cases.csv", target)
    scaffold = tmp_path / "audits"
    run = cli(
        "sample", "--cases", cycle / "cases.csv", "--audits", cycle / "audits", "--today", TODAY.isoformat(),
        "--seed", "4", "-o", target, "--scaffold", scaffold, expect=2,
    )  # fmt: skip
    assert " ".join(run.stderr.split()).endswith(_refused(target))
    assert target.read_bytes() == (HERE / "theirs" / "cases.csv").read_bytes()
    assert not scaffold.exists()


@pytest.mark.parametrize("size", [100, 16_383, 16_384, 16_385, 20_480, 100_000])
def test_the_footer_of_a_long_markdown_report_is_found(tmp_path: Path, size: int) -> None:
    """Only each end of a file is read: the footer is found whatever the length."""
    footer = "\n---\nMade by qaimpact 0.1.0 on 2026-11-22.\n"
    body = ("| row | 1 |\n" * size)[: size - len(footer)]
    path = tmp_path / "long.md"
    path.write_text(body + footer)
    assert path.stat().st_size == size
    assert earlier_report(path)
    path.write_text(body + footer + "And my own line after it.\n")
    assert not earlier_report(path)


@pytest.mark.parametrize("text", ["", "\n\n  \n", "\ufeff"])
def test_an_empty_file_holds_nothing_to_lose(tmp_path: Path, text: str) -> None:
    path = tmp_path / "empty.md"
    path.write_text(text, encoding="utf-8")
    assert earlier_report(path)


def test_a_file_that_cannot_be_read_is_not_recognised(tmp_path: Path) -> None:
    assert not earlier_report(tmp_path / "missing.md")
    assert not earlier_report(tmp_path)  # a folder

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
from qaimpact.base.provenance import Verdict, earlier_report, judge, seal

HERE = DATA / "output-provenance"
AUDITS = str(HERE / "audits")
THEIRS = sorted((HERE / "theirs").iterdir())


def _refused(target: Path, *, csv: bool = False) -> str:
    columns = (
        " (a CSV file counts as one only with the same columns as this report: another version of "
        "qaimpact or other options may give other columns)"
        if csv
        else ""
    )
    return (
        f"error: --output '{target}' already exists and is not an earlier qaimpact report{columns}, so "
        "it was not replaced; choose another name, or add --force to replace it."
    )


#: Each report command, with the options that make it write the given format.
WRITERS: dict[str, list[str]] = {
    "summary-md": ["summary", "--audits", AUDITS, "-f", "md"],
    "summary-md-redacted": ["summary", "--audits", AUDITS, "-f", "md", "--redact"],
    "summary-md-published": ["summary", "--audits", AUDITS, "-f", "md", "--publish"],
    "actions-md-redacted": ["actions", "--audits", AUDITS, "-f", "md", "--redact"],
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
        ("summary-md-redacted", "summary-md-redacted"),  # the note below the footer (found in review)
        ("summary-md-published", "summary-md-published"),
        ("actions-md-redacted", "summary-md"),
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
    # Named for no format: a report is recognised by what it holds, never by its name (a name
    # for another format than the writer's is refused before that: tests/test_output_extension.py).
    target = tmp_path / f"{theirs.name}.out"
    shutil.copy(theirs, target)
    run = _write(cli, writer, target, expect=2)
    assert " ".join(run.stderr.split()) == _refused(target, csv=writer.endswith("csv"))
    assert target.read_bytes() == theirs.read_bytes()
    _write(cli, writer, target, "--force")
    assert target.read_bytes() != theirs.read_bytes()


def test_a_csv_report_with_other_columns_is_not_an_earlier_copy(cli: Any, tmp_path: Path) -> None:
    """A CSV file carries no mark: only the same header row shows it is the same report."""
    target = tmp_path / "report.csv"
    _write(cli, "actions-csv", target)
    before = target.read_bytes()
    run = _write(cli, "summary-csv", target, expect=2)
    assert " ".join(run.stderr.split()) == _refused(target, csv=True)
    assert target.read_bytes() == before


def test_a_csv_report_saved_again_by_excel_is_still_recognised(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "actions.csv"
    _write(cli, "actions-csv", target)
    header, _, rest = target.read_text(encoding="utf-8").partition("\n")
    quoted = ",".join(f'"{cell}"' for cell in header.split(","))
    target.write_bytes(("\ufeff" + quoted + "\r\n" + rest.replace("\n", "\r\n")).encode("utf-8"))
    _write(cli, "actions-csv", target)
    assert target.read_text(encoding="utf-8").startswith(header + "\n")


@pytest.mark.parametrize("scaffold", [False, True])
def test_sample_never_replaces_a_plan_unasked(cli: Any, tmp_path: Path, scaffold: bool) -> None:
    """A plan is the QA team's working list, edited by people with its columns unchanged (found in
    review: a note added to a plan was lost). The new-user check's caseload list is kept too, and
    no blank audit is written."""
    cycle = DATA / "cycle" / "sampling"
    target = tmp_path / "cases.csv"
    shutil.copy(HERE / "theirs" / "cases.csv", target)
    args = ["sample", "--cases", cycle / "cases.csv", "--audits", cycle / "audits"]
    args += ["--today", TODAY.isoformat(), "--seed", "4", "-o", target]
    folder = tmp_path / "audits"
    run = cli(*args, *(["--scaffold", folder] if scaffold else []), expect=2)
    assert " ".join(run.stderr.split()) == (
        f"error: --output '{target}' already exists: a plan is the QA team's working list, which people "
        "edit, so sample never replaces one without --force; choose another name (such as next "
        "month's), or add --force to replace it."
    )
    assert target.read_bytes() == (HERE / "theirs" / "cases.csv").read_bytes()
    assert not folder.exists()
    plan = tmp_path / "plan.csv"
    cli(*args[:-1], plan)
    edited = plan.read_text().splitlines()
    edited[1] = edited[1] + " "  # a person's change, the columns as they were
    plan.write_text("\n".join(edited) + "\n")
    cli(*args[:-1], plan, expect=2)
    assert plan.read_text() == "\n".join(edited) + "\n"
    cli(*args[:-1], plan, "--force")
    assert plan.read_text() != "\n".join(edited) + "\n"


def test_a_long_file_blank_at_first_is_not_empty(tmp_path: Path) -> None:
    """Found in review: 16,384 spaces and then a person's notes were taken for an empty file."""
    path = tmp_path / "blank.md"
    path.write_text(" " * 16_384 + "My own notes.\n")
    assert not earlier_report(path)
    path.write_text(" " * 30_000)
    assert not earlier_report(path)  # not read to its end: kept
    path.write_text(" " * 20_000)
    assert earlier_report(path)  # read to its end (the first 16 KB and the rest): empty


def test_a_log_of_several_validate_runs_is_kept(cli: Any, tmp_path: Path) -> None:
    """Found in review: `validate >> ci.log` builds a log, which `validate -o ci.log` replaced."""
    log = tmp_path / "ci.log"
    _write(cli, "validate-text", log)
    once = log.read_text()
    log.write_text(once + once)
    run = _write(cli, "validate-text", log, expect=2)
    assert " ".join(run.stderr.split()) == _refused(log)
    assert log.read_text() == once + once


def test_a_file_that_cannot_be_read_is_said_so(cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from qaimpact.base import provenance

    target = tmp_path / "report.md"
    target.write_text("whatever it holds\n")

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(provenance, "open", refused, raising=False)
    run = _write(cli, "summary-md", target, expect=2)
    assert " ".join(run.stderr.split()) == (
        f"error: --output '{target}' already exists and could not be read to see whether it is an "
        "earlier report (Permission denied), so it was not replaced; check its permissions, choose "
        "another name, or add --force to replace it."
    )
    assert target.read_text() == "whatever it holds\n"


@pytest.mark.parametrize("size", [100, 16_383, 16_384, 16_385, 20_480, 100_000])
def test_a_sealed_page_is_judged_by_its_seal_whatever_its_length(tmp_path: Path, size: int) -> None:
    """The seal covers the whole page: a change anywhere in it, even at its start, keeps it."""
    footer = "\n---\nMade by qaimpact 0.1.0 on 2026-11-22.\n"
    body = ("| row | 1 |\n" * size)[: size - len(footer)]
    page = seal(body + footer)
    assert page != body + footer
    path = tmp_path / "long.md"
    path.write_text(page)
    assert judge(path) is Verdict.EARLIER
    for changed in ("# Board comments\n" + page, page.replace("| row | 1 |", "| row | 2 |", 1)):
        path.write_text(changed)
        assert judge(path) is Verdict.CHANGED
    path.write_text(body + footer)  # a page without its seal: redirected, or from an older version
    assert judge(path) is Verdict.UNSEALED


def test_only_pages_are_sealed() -> None:
    for text in ('{"schema_version": "1.3", "kind": "actions"}\n', "state,audit_id\n", "my notes\n"):
        assert seal(text) == text


@pytest.mark.parametrize("text", ["", "\n\n  \n", "\ufeff"])
def test_an_empty_file_holds_nothing_to_lose(tmp_path: Path, text: str) -> None:
    path = tmp_path / "empty.md"
    path.write_text(text, encoding="utf-8")
    assert earlier_report(path)


@pytest.mark.parametrize(("name", "error"), [("missing.md", FileNotFoundError), (".", IsADirectoryError)])
def test_a_file_that_cannot_be_read_raises(tmp_path: Path, name: str, error: type[OSError]) -> None:
    with pytest.raises(error):
        earlier_report(tmp_path / name)


def _message(target: Path, why: str) -> str:
    return (
        f"error: --output '{target}' {why}, so it was not replaced; choose another name, or add "
        "--force to replace it."
    )


CHANGED = "is a report qaimpact wrote that has been changed since, and the changes would be lost"
UNSEALED = (
    "is a qaimpact report without the mark that shows it unchanged (it was written with > or by an "
    "older version), and someone may have written on it"
)


@pytest.mark.parametrize("writer", ["summary-md", "actions-html", "summary-md-redacted"])
@pytest.mark.parametrize("where", ["top", "end"])
def test_a_report_a_person_has_written_on_is_kept(cli: Any, tmp_path: Path, writer: str, where: str) -> None:
    """Found by a new-user check: board comments added at the top of last quarter's summary were lost
    when the summary was written again."""
    target = tmp_path / "report.out"
    _write(cli, writer, target)
    text = target.read_text(encoding="utf-8")
    notes = "# BOARD COMMENTS - do not lose\n\n"
    target.write_text(notes + text if where == "top" else text + notes, encoding="utf-8")
    run = _write(cli, writer, target, expect=2)
    assert " ".join(run.stderr.split()) == _message(target, CHANGED)
    assert notes in target.read_text(encoding="utf-8")


def test_a_redirected_report_is_kept(cli: Any, tmp_path: Path) -> None:
    """Written with `>`, a page carries no seal: whether a person changed it cannot be told."""
    target = tmp_path / "summary.md"
    target.write_text(cli(*WRITERS["summary-md"], "--today", TODAY.isoformat()).stdout, encoding="utf-8")
    run = _write(cli, "summary-md", target, expect=2)
    assert " ".join(run.stderr.split()) == _message(target, UNSEALED)


def test_a_workbook_saved_again_by_a_person_is_kept(cli: Any, tmp_path: Path) -> None:
    """Excel records who saved a workbook last; a workbook saved long after it was made (another
    program) is someone's work too."""
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt

    target = tmp_path / "actions.xlsx"
    args = ["actions", "--audits", AUDITS, "--today", TODAY.isoformat(), "-f", "xlsx", "-o", target]
    cli(*args)
    cli(*args)  # untouched: replaced
    for edit in ("lastModifiedBy", "created"):
        book = openpyxl.load_workbook(target)
        if edit == "lastModifiedBy":
            book.properties.lastModifiedBy = "Amira Khan"
        else:
            book.properties.created = book.properties.created - dt.timedelta(hours=1)
        book["Actions"]["A1"] = "my chart notes"
        book.save(target)
        before = target.read_bytes()
        run = cli(*args, expect=2)
        assert " ".join(run.stderr.split()) == _message(target, CHANGED)
        assert target.read_bytes() == before
        cli(*args, "--force")


def test_a_sealed_page_checked_out_with_crlf_is_still_unchanged(tmp_path: Path) -> None:
    """Found in review: git on Windows may check a page out with CRLF line endings."""
    page = seal(
        "# Escalations\n\n" + "| a | b |\n" * 200_000 + "---\nMade by qaimpact 0.1.0 on 2026-11-22.\n"
    )
    path = tmp_path / "escalations.md"
    path.write_bytes(page.replace("\n", "\r\n").encode("utf-8"))
    assert path.stat().st_size > 2 << 20  # the CRLF pairs cross the megabyte chunks
    assert judge(path) is Verdict.EARLIER
    path.write_bytes(page.replace("| a |", "| c |", 1).replace("\n", "\r\n").encode("utf-8"))
    assert judge(path) is Verdict.CHANGED


@pytest.mark.parametrize(
    ("created", "modified", "verdict"),
    [
        ("2026-11-30T08:18:41Z", "2026-11-30T08:18:42+00:00", Verdict.EARLIER),  # mixed forms
        ("2026-11-30T08:18:41", "2026-11-30T09:18:41+01:00", Verdict.EARLIER),  # an offset
        ("2026-11-30T08:18:41Z", "2026-11-30T09:30:00Z", Verdict.CHANGED),  # saved an hour later
        ("2026-11-30T08:18:41Z", "yesterday", Verdict.CHANGED),
    ],
)
def test_a_workbooks_dates_are_read_in_any_w3c_form(
    tmp_path: Path, created: str, modified: str, verdict: Verdict
) -> None:
    """Found in review: a `Z` date beside a `+00:00` one gave an internal error."""
    import zipfile

    path = tmp_path / "book.xlsx"
    core = (
        '<cp:coreProperties xmlns:cp="x" xmlns:dc="y" xmlns:dcterms="z">'
        "<dc:creator>qaimpact</dc:creator><cp:lastModifiedBy>qaimpact</cp:lastModifiedBy>"
        f"<dcterms:created>{created}</dcterms:created><dcterms:modified>{modified}</dcterms:modified>"
        "</cp:coreProperties>"
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("docProps/core.xml", core)
    assert judge(path) is verdict

"""A first-time auditor's first commands: what trips them up is said plainly, with the way out."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, TODAY

SERVICE = EXAMPLES / "service"


def test_standards_list_shows_whole_ids_on_a_narrow_terminal(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The id is what `new --standards` needs: cut to "ccc-practice-st…" it cannot be copied.
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("standards", "list").stdout
    assert max(map(len, out.splitlines())) <= 80
    assert "│ cafcass-qiam-2017      │" in out
    assert "│ ccc-practice-standards │" in out


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("Children's Services Practice Standards", "ccc-practice-standards"),
        ("quality and impact assurance model", "cafcass-qiam-2017"),
        ("  Quality and Impact  Assurance Model ", "cafcass-qiam-2017"),
    ],
)
def test_new_names_the_id_of_a_framework_given_by_its_title(cli: Any, written: str, meant: str) -> None:
    run = cli("new", "--standards", written, expect=2)
    assert run.stderr == (
        f"error: Unknown framework '{written}'. Did you mean '{meant}'? Give a framework by its id or "
        "its short name: cafcass-qiam-2017 (Cafcass) or ccc-practice-standards (CCC).\n"
    )


def test_an_audit_naming_its_framework_by_title_is_told_the_id(cli: Any, tmp_path: Path) -> None:
    audit = tmp_path / "audit.yaml"
    text = (EXAMPLES / "ccc-cfa-2026-0311.yaml").read_text(encoding="utf-8")
    audit.write_text(
        text.replace(
            "standards: ccc-practice-standards", "standards: Children's Services Practice Standards"
        ),
        encoding="utf-8",
    )
    run = cli("validate", audit, "--today", TODAY.isoformat(), expect=1)
    assert run.stdout.splitlines()[1] == (
        "    hint: Did you mean 'ccc-practice-standards'? Use one of the known ids, or add your own "
        "framework with --standards DIR."
    )


@pytest.mark.parametrize(
    ("rating", "hint"),
    [
        ("goood", "Did you mean 'good'? "),
        ("Goood", "Did you mean 'good'? "),
        ("outstandng", "Did you mean 'outstanding'? "),
        ("inadequte", "Did you mean 'inadequate'? "),
        ("excellent", ""),
    ],
)
def test_a_misspelt_rating_is_given_the_rating_it_is_closest_to(
    cli: Any, tmp_path: Path, rating: str, hint: str
) -> None:
    audit = tmp_path / "audit.yaml"
    text = (EXAMPLES / "ccc-cfa-2026-0311.yaml").read_text(encoding="utf-8")
    old = "  lived_experience:\n    rating: good\n"
    assert old in text
    audit.write_text(text.replace(old, f"  lived_experience:\n    rating: {rating}\n"), encoding="utf-8")
    run = cli("validate", audit, "--today", TODAY.isoformat(), expect=1)
    assert run.stdout.splitlines()[:2] == [
        f"{audit}:30:13: error QA204 '{rating}' is not a rating on this framework's scale for "
        "'practice_standards.lived_experience' (Child's lived experience and views).",
        f"    hint: {hint}Use one of: outstanding, good, requires_improvement, inadequate.",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["summary", "--today", "22/11/2026"],
            "--today '22/11/2026' is not a date. Write the date as YYYY-MM-DD: 2026-11-22 "
            "(22 November 2026).",
        ),
        (
            ["actions", "--from", "1.7.2026"],
            "--from '1.7.2026' is not a date. Write the date as YYYY-MM-DD: 2026-07-01 (1 July 2026).",
        ),
        (
            ["escalations", "--to", "30 Sept 2026"],
            "--to '30 Sept 2026' is not a date. Write the date as YYYY-MM-DD: 2026-09-30 "
            "(30 September 2026).",
        ),
        (
            ["report", "--fca", "Tunde Adeyemi", "--to", "2026-02-30"],
            "--to '2026-02-30' is not a date. February 2026 has 28 days, so there is no 30 February 2026: "
            "check the day.",
        ),
    ],
)
def test_a_date_option_written_the_british_way_is_given_back_as_yyyy_mm_dd(
    cli: Any, args: list[str], message: str
) -> None:
    run = cli(*args, "--audits", SERVICE, expect=2)
    assert run.stderr == f"error: {message}\n"


def test_a_learning_log_whose_audits_all_have_errors_names_them_and_their_escalation(
    cli: Any, tmp_path: Path
) -> None:
    # The practitioner's only audit has a date written 06/10/2025: the log cannot be written, and
    # "no audit of that name" alone would send the auditor looking for a typing mistake in the
    # name, while the audit calls for an escalation nobody is told of.
    folder = tmp_path / "audits"
    folder.mkdir()
    audit = folder / "QA-2025-0139.yaml"
    text = (SERVICE / "cafcass" / "QA-2025-0139.yaml").read_text(encoding="utf-8")
    assert "review_date: 2025-10-06\n" in text
    audit.write_text(text.replace("review_date: 2025-10-06\n", "review_date: 06/10/2025\n"), encoding="utf-8")
    run = cli("report", "--fca", "Tunde Adeyemi", "--audits", folder, "--today", TODAY.isoformat(), expect=2)
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        "error: 1 audit file was left out of this report because it has errors; fix it and run the "
        "report again (`qaimpact validate` shows every problem):",
        f"  - {audit}:13:14: QA207 'review_date' is not a valid date: '06/10/2025'.",
        "    It must be escalated all the same: Practice review to Practice supervisor: the ratings "
        "give Requires improvement.",
        "error: No audit of a practitioner named 'Tunde Adeyemi' was found among the 0 valid audits "
        "read. Check the name, or point --audits at the folder that holds their audits. 1 audit file "
        "was left out for errors (listed above): if their audits are among them, fix them and run the "
        "report again.",
    ]


def test_a_learning_log_of_a_period_with_only_invalid_audits_says_they_were_left_out(
    cli: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "audits"
    folder.mkdir()
    shutil.copy(EXAMPLES / "ccc-cfa-2026-0311.yaml", folder / "good.yaml")
    (folder / "empty.yaml").write_text("", encoding="utf-8")
    run = cli(
        "report", "--fca", "Priya Natarajan", "--audits", folder, "--quarter", "2026-Q1",
        "--today", TODAY.isoformat(), expect=2,
    )  # fmt: skip
    assert run.stderr.splitlines()[-1] == (
        "error: No valid audit was reviewed in 2026-Q1, 2026-01-01 to 2026-03-31, so there is no "
        "learning log of 'Priya Natarajan' for it. Ask for a period that holds their audits "
        "(--quarter, --from/--to), or point --audits at the folder that holds them. 1 audit file was "
        "left out for errors (listed above): if their audits are among them, fix them and run the "
        "report again."
    )


def test_a_learning_log_with_no_invalid_file_says_nothing_of_any(cli: Any) -> None:
    run = cli("report", "--fca", "Nobody Here", "--audits", SERVICE, "--today", TODAY.isoformat(), expect=2)
    assert run.stderr == (
        "error: No audit of a practitioner named 'Nobody Here' was found among the 96 valid audits "
        "read. Check the name, or point --audits at the folder that holds their audits.\n"
    )


@pytest.mark.parametrize(
    "command",
    [["validate"], ["grade"], ["fmt"], ["fmt", "--check"], ["migrate", "--to", "2017-07"]],
)
def test_a_folder_with_no_audit_is_named(cli: Any, tmp_path: Path, command: list[str]) -> None:
    empty = tmp_path / "audits"
    empty.mkdir()
    run = cli(*command, empty, expect=2)
    assert run.stderr == f"error: No audit files (*.yaml, *.yml) found in '{empty}'.\n"


def test_export_of_a_folder_with_no_audit_names_it(cli: Any, tmp_path: Path) -> None:
    empty = tmp_path / "audits"
    empty.mkdir()
    run = cli("export", empty, "-o", tmp_path / "out.csv", expect=2)
    assert run.stderr == f"error: No audit files (*.yaml, *.yml) found in '{empty}'.\n"


def test_several_folders_with_no_audit_are_named_up_to_three(cli: Any, tmp_path: Path) -> None:
    folders = [tmp_path / name for name in ("a", "b", "c", "d", "e")]
    for folder in folders:
        folder.mkdir()
    run = cli("validate", *folders, expect=2)
    a, b, c, _, _ = folders
    assert (
        run.stderr
        == f"error: No audit files (*.yaml, *.yml) found in '{a}', '{b}', '{c}' or 2 other paths.\n"
    )


def test_explain_without_a_code_names_the_argument_as_its_help_does(cli: Any) -> None:
    run = cli("explain", expect=2)
    assert run.stderr.startswith("error: qaimpact explain needs CODE: ")


AUDIT_TEXT = (EXAMPLES / "ccc-cfa-2026-0311.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("raw", "finding"),
    [
        *(
            (
                raw,
                [
                    "1:1: error QA102 The file is not UTF-8 text: it is saved as UTF-16 (which Windows "
                    "Notepad calls 'Unicode').",
                    "    hint: Save the file as UTF-8 (in Notepad: File, Save As, Encoding: UTF-8).",
                ],
            )
            # With its byte-order mark, and without (a review found those told they were no text, or
            # read as zero bytes YAML refuses): in Latin letters only, and with an accent.
            for raw in (
                AUDIT_TEXT.encode("utf-16"),
                AUDIT_TEXT.encode("utf-16-le"),
                AUDIT_TEXT.encode("utf-16-be"),
                AUDIT_TEXT.replace("Helen Marsh", "H\u00e9l\u00e8ne Marsh").encode("utf-16-le"),
            )
        ),
        (
            AUDIT_TEXT.replace("Risks identified", "\u201cRisks\u201d identified").encode("cp1252"),
            [
                "19:15: error QA102 The file is not UTF-8 text: byte 0x93 cannot be read.",
                "    hint: The byte is \u201c in the Windows encoding that Word and Notepad call 'ANSI', so "
                "the file was probably saved in it. Save the file as UTF-8 (in most editors: Save As, "
                "Encoding: UTF-8).",
            ],
        ),
        (
            AUDIT_TEXT.replace("Helen Marsh", "H\u00e9l\u00e8ne Marsh").encode("latin-1"),
            [
                "12:12: error QA102 The file is not UTF-8 text: byte 0xe9 cannot be read.",
                "    hint: The byte is \u00e9 in the Windows encoding that Word and Notepad call 'ANSI', so "
                "the file was probably saved in it. Save the file as UTF-8 (in most editors: Save As, "
                "Encoding: UTF-8).",
            ],
        ),
        (
            b"standards: ccc-practice-standards\naudit_id: \x81\n",
            [
                "2:11: error QA102 The file is not UTF-8 text: byte 0x81 cannot be read.",
                "    hint: Save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8).",
            ],
        ),
    ],
)
def test_a_file_saved_in_a_windows_encoding_is_told_which(
    cli: Any, tmp_path: Path, raw: bytes, finding: list[str]
) -> None:
    audit = tmp_path / "audit.yaml"
    audit.write_bytes(raw)
    run = cli("validate", audit, "--today", TODAY.isoformat(), expect=1)
    first, hint = finding
    assert run.stdout.splitlines()[:2] == [f"{audit}:{first}", hint]


def _zip(part: str) -> bytes:
    """A zip file holding ``part``, as Word (``word/...``) and Excel (``xl/...``) save theirs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(part, "<document/>" * 50)
    return buffer.getvalue()


#: How Word and Excel 97-2003 files start.
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_TEXT = "An audit is a text file, written in a text editor or with qaimpact's audit form. "
START = "To start an audit, run qaimpact new --standards ID -o FILE (qaimpact standards list shows the ids)."


@pytest.mark.parametrize(
    ("raw", "what", "hint"),
    [
        (_zip("word/document.xml"), "a Word document (.docx)", START),
        (
            _zip("xl/workbook.xml"),
            "an Excel workbook (.xlsx)",
            "To bring audits in from a spreadsheet, use qaimpact import (qaimpact import --help says how).",
        ),
        (_zip("notes.txt"), "a zip file", START),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "an image (PNG)", START),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "an image (JPEG)", START),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document", START),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64),
            "an older Word or Excel file (.doc or .xls)",
            START,
        ),
        (bytes(range(256)), "a program's own data (it holds zero bytes, which no text holds)", START),
    ],
    ids=["docx", "xlsx", "zip", "png", "jpeg", "pdf", "doc", "zero-bytes"],
)
def test_a_file_that_is_not_text_is_told_what_it_looks_like(
    cli: Any, tmp_path: Path, raw: bytes, what: str, hint: str
) -> None:
    # Regression: a Word document or an image saved as .yaml was told its first byte was a
    # character in Windows' 'ANSI' encoding, and to save the file as UTF-8.
    audit = tmp_path / "audit.yaml"
    audit.write_bytes(raw)
    run = cli("validate", audit, "--today", TODAY.isoformat(), expect=1)
    assert run.stdout.splitlines()[:2] == [
        f"{audit}:1:1: error QA102 The file is not text: it looks like {what}, not an audit written in YAML.",
        f"    hint: {NOT_TEXT}{hint}",
    ]


def test_grade_shows_the_errors_of_a_record_that_make_it_exit_1(cli: Any, tmp_path: Path) -> None:
    # grade of a folder grades its audits and passes over its records; a record with errors made
    # it exit 1 with nothing but the note every valid record gets.
    shutil.copy(EXAMPLES / "ccc-cfa-2026-0311.yaml", tmp_path / "audit.yaml")
    record = tmp_path / "observation.yaml"
    text = (SERVICE / "records" / "ccc" / "OBS-L-2026-002.yaml").read_text(encoding="utf-8")
    assert "observed_on: 2026-01-22\n" in text
    record.write_text(
        text.replace("observed_on: 2026-01-22\n", "observed_on: 22/01/2026\n"), encoding="utf-8"
    )
    run = cli("grade", tmp_path, "--today", TODAY.isoformat(), expect=1)
    assert "Grade: Requires improvement to be good" in run.stdout
    assert run.stderr.splitlines() == [
        f"error: {record} is a practice observation record, not an audit, so it has no grade; it has errors:",
        f"{record}:7:14: error QA207 'observed_on' is not a valid date: '22/01/2026'.",
        "    hint: Write the date as YYYY-MM-DD: 2026-01-22 (22 January 2026).",
    ]


def test_fmt_check_exit_1_is_in_the_exit_codes_page(cli: Any, tmp_path: Path) -> None:
    # A CI author reads docs/exit-codes.md to know why a job failed: fmt --check's 1 was not there.
    audit = tmp_path / "audit.yaml"
    audit.write_text(AUDIT_TEXT.replace("  assessment:\n", "  assessment:   \n"), encoding="utf-8")
    run = cli("fmt", "--check", audit, "--today", TODAY.isoformat(), expect=1)
    assert run.stdout == f"note: {audit} would be reformatted\n1 file would be reformatted, 0 unchanged.\n"
    from qaimpact.cli.exitcodes import TABLE

    # docs/exit-codes.md is generated from this table (test_docs checks it is up to date).
    (meaning,) = [full for code, _, full in TABLE if code == 1]
    assert meaning.endswith("; for `fmt --check`, a file would be reformatted. The output says where.")


@pytest.mark.parametrize(
    ("command", "name", "message"),
    [
        (
            "summary",
            "board.docx",
            "names a Word document, which qaimpact summary cannot write: it writes .md, .html, .json, .csv "
            "or .xlsx files (--format). For a Word document, write a web page (-o NAME.html) and open it "
            "in Word.",
        ),
        (
            "quarterly",
            "2026-Q3.pdf",
            "names a PDF document, which qaimpact quarterly cannot write: it writes .md, .html, .json or "
            ".xlsx files (--format). For a PDF, write a web page (-o NAME.html), open it in a browser and "
            "print it to PDF.",
        ),
        (
            "actions",
            "tracker.xls",
            "names an Excel 97-2003 workbook, which qaimpact actions cannot write: it writes .md, .html, "
            ".json, .csv or .xlsx files (--format).",
        ),
    ],
)
def test_a_report_named_as_a_word_or_pdf_document_is_refused_with_the_way_to_one(
    cli: Any, tmp_path: Path, command: str, name: str, message: str
) -> None:
    # Written as Markdown under that name, Word and a PDF reader could not open it.
    target = tmp_path / name
    extra = ["--quarter", "2026-Q3"] if command == "quarterly" else []
    run = cli(command, *extra, "--audits", SERVICE, "--today", TODAY.isoformat(), "-o", target, expect=2)
    assert run.stderr == f"error: -o {target} {message}\n"
    assert not target.exists()

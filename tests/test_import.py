"""`qaimpact import` and `export`: spreadsheets in, audits out, every finding at its cell.

The example tracker (examples/import/, written by make_tracker.py) holds every kind of mess the
issue lists; the tests read it through the CLI as a QA officer would, and through the functions.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES, TODAY, Run
from qaimpact.audits.checker import CheckOptions, check_audit, expand_paths
from qaimpact.authoring.fmt import format_text
from qaimpact.authoring.importing.convert import cell_text
from qaimpact.authoring.importing.emit import order, render
from qaimpact.authoring.importing.scaffold import _norm, match_headers
from qaimpact.authoring.importing.sheets import Table, excel_day, read_spreadsheet
from qaimpact.base.loader import load_bytes
from qaimpact.frameworks.registry import Registry
from qaimpact.models.audit import audit_model
from qaimpact.models.location import CellLocation, column_letter, column_number

IMPORT = EXAMPLES / "import"
TRACKERS = [IMPORT / "tracker.xlsx", IMPORT / "tracker.csv"]
MAPPING = IMPORT / "tracker.mapping.yaml"
DATA = Path(__file__).resolve().parent / "data" / "import"

#: What importing the example tracker finds, cell by cell (the CSV has no formulas: the cell
#: whose formula was never calculated is simply empty there).
EXAMPLE_FINDINGS = [
    "AG3: warning QA604 The header 'Notes' appears twice in {sheet}: in column AF and column AG. "
    "The mapping uses neither, so both are kept in comments.",
    "AC6: warning QA402 The recorded overall_grade is 'good' but the ratings give 'met' under the "
    "framework's threshold rules.",
    "AC7: warning QA402 The recorded overall_grade is 'met' but the ratings give "
    "'requires_improvement' under the framework's threshold rules.",
    "M10: error QA606 'Gd' for 'impact.child_experience.rating' is not a rating the mapping knows; "
    "the ratings are: good, met, requires_improvement, not_applicable.",
    "H14: error QA607 '31/02/2025' is not a date that the mapping's formats read (YYYY-MM-DD, and "
    "the mapping's 'dates:': DD/MM/YYYY).",
    "{formula}",
    "A21: error QA605 The audit id 'QA-2024-0139' is also in row 22, so neither row is imported.",
    "A22: error QA605 The audit id 'QA-2024-0139' is also in row 21, so neither row is imported.",
]
FORMULA = {
    ".xlsx": "H18: error QA603 The formula in this cell has no saved value, so 'review_date' cannot be read.",
    ".csv": "H18: error QA207 'review_date' is not a valid date: it is empty.",
}


def expected_findings(tracker: Path) -> list[str]:
    sheet = f"{tracker}!Audits" if tracker.suffix == ".xlsx" else str(tracker)
    return [
        f"{sheet}!" + line.format(sheet=sheet, formula=FORMULA[tracker.suffix]).replace(f"{sheet}!", "", 0)
        for line in EXAMPLE_FINDINGS
    ]


def finding_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith("    hint:")]


def audits_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.yaml"))


WRITTEN = [
    f"QA-2024-{n}.yaml"
    for n in (
        "0101", "0104", "0108", "0111", "0114", "0118", "0119", "0122", "0129", "0131",
        "0134", "0136", "0137", "0144", "0145", "0152", "0153", "0155",
    )
]  # fmt: skip


# -- The example, as a QA officer runs it ------------------------------------------------------------


@pytest.mark.parametrize("tracker", TRACKERS, ids=lambda p: p.suffix)
def test_example_tracker_becomes_a_valid_repository_in_two_commands(
    cli: Callable[..., Run], tmp_path: Path, tracker: Path
) -> None:
    audits = tmp_path / "audits"
    run = cli(
        "import",
        tracker,
        "--mapping",
        MAPPING,
        "--audits",
        audits,
        "--keep-going",
        "--today",
        TODAY,
        expect=1,
    )
    assert finding_lines(run.stderr) == expected_findings(tracker)
    assert run.stdout.strip() == (
        f"Read 25 rows from {tracker}: 18 audits written, 0 unchanged, 2 skipped by the mapping, 5 with "
        f"errors. The audits are in {audits}/: check them with `qaimpact validate {audits}`."
    )
    assert audits_in(audits) == WRITTEN
    check = cli("validate", audits, "--today", TODAY)
    assert "Checked 18 files: 0 errors and 2 warnings in 2 files." in check.stdout
    cli("fmt", "--check", audits, "--today", TODAY)


def test_the_grades_match_the_recorded_column_but_for_the_rows_the_sheet_got_wrong(
    cli: Callable[..., Run], tmp_path: Path, registry: Registry
) -> None:
    cli("import", TRACKERS[0], "--mapping", MAPPING, "--audits", tmp_path, "--keep-going", expect=1)
    differ = []
    for path in expand_paths([tmp_path]):
        check = check_audit(path, registry, CheckOptions(today=TODAY, keep_data=True))
        assert check.valid
        assert check.result is not None
        if check.result.differs:
            differ.append(path.name)
    # Rows 6 and 7 of the sheet: a grade one step more generous than the ratings give.
    assert differ == ["QA-2024-0104.yaml", "QA-2024-0108.yaml"]


def test_an_imported_audit_keeps_every_cell_the_mapping_does_not_use(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    cli("import", TRACKERS[0], "--mapping", MAPPING, "--audits", tmp_path, "--keep-going", expect=1)
    text = (tmp_path / "QA-2024-0111.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[:6] == [
        f"# Imported by `qaimpact import` from {TRACKERS[0]}!Audits, row 8.",
        "# Cells the mapping does not use:",
        "#   Status (AE8): Final",
        "#   Notes (AG8): Manager: good example for the team meeting.",
        "#   Year (AH8): 2024",
        # What the import wrote, for --update: a fingerprint of each value the mapping fills.
        "# Imported values (qaimpact import --update compares the sheet with these; keep them):",
    ]
    record = text.splitlines()[6:10]
    assert [bool(re.fullmatch(r"#   [0-9a-f.v]{1,84}", line)) for line in record] == [True, True, True, False]
    assert record[-1] == "standards: cafcass-qiam-2017"


@pytest.mark.parametrize(
    ("audit", "key", "value"),
    [
        # An Excel day number (45418) in a cell formatted as a number.
        ("QA-2024-0104.yaml", "review_date: ", "review_date: 2024-05-06"),
        # A date as DD/MM/YYYY text, read with the mapping's `dates:`.
        ("QA-2024-0108.yaml", "review_date: ", "review_date: 2024-05-21"),
        # A rating code stored as a number (2) and one stored as text ("2").
        ("QA-2024-0101.yaml", "    rating: ", "    rating: good"),
        # A formula's saved value (the audit reference typed as =CONCATENATE(...)).
        ("QA-2024-0108.yaml", "audit_id: ", "audit_id: QA-2024-0108"),
        # "Private law" through the mapping's `words:`; yes/no from Y and N.
        ("QA-2024-0104.yaml", "  law_type: ", "  law_type: private"),
        ("QA-2024-0101.yaml", "    seen_alone: ", "    seen_alone: true"),
    ],
)
def test_messy_cells_are_read_as_the_sheet_means_them(
    tmp_path: Path, cli: Callable[..., Run], audit: str, key: str, value: str
) -> None:
    cli("import", TRACKERS[0], "--mapping", MAPPING, "--audits", tmp_path, "--keep-going", expect=1)
    lines = (tmp_path / audit).read_text(encoding="utf-8").splitlines()
    assert next(line for line in lines if line.startswith(key)) == value


def test_nothing_is_written_while_any_row_has_errors(cli: Callable[..., Run], tmp_path: Path) -> None:
    audits = tmp_path / "audits"
    run = cli("import", TRACKERS[0], "--mapping", MAPPING, "--audits", audits, "--today", TODAY, expect=1)
    assert not audits.exists()
    assert run.stdout.strip() == (
        f"Read 25 rows from {TRACKERS[0]}: 18 audits ready, 0 unchanged, 2 skipped by the mapping, 5 with "
        "errors. Nothing was written: correct the cells listed above and import again, or add "
        "--keep-going to write the 18 valid audits."
    )


def test_a_dry_run_lists_every_finding_and_writes_nothing(cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli(
        "import", TRACKERS[0], "--mapping", MAPPING, "--audits", tmp_path / "a", "--dry-run", "--keep-going",
        expect=1,
    )  # fmt: skip
    assert finding_lines(run.stderr) == expected_findings(TRACKERS[0])
    assert not (tmp_path / "a").exists()
    assert run.stdout.startswith("Dry run, nothing was written. Read 25 rows")
    assert "18 audits would be written" in run.stdout


def test_an_import_lists_the_audits_folder_once_for_leftovers(
    cli: Callable[..., Run], tmp_path: Path, folder_listings: list[Path]
) -> None:
    """Listing the folder once per audit written made an import of 10,000 rows quadratic."""
    run = cli("import", TRACKERS[0], "--mapping", MAPPING, "--audits", tmp_path, "--keep-going", expect=1)
    assert "18 audits written" in run.stdout
    assert folder_listings == [tmp_path]


def test_running_the_same_import_twice_changes_nothing(cli: Callable[..., Run], tmp_path: Path) -> None:
    args = ("import", TRACKERS[0], "--mapping", MAPPING, "--audits", tmp_path, "--keep-going")
    cli(*args, expect=1)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    run = cli(*args, expect=1)
    assert "0 audits written, 18 unchanged" in run.stdout
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()} == before
    # The CSV says the same: its audits are unchanged too, though their comments name another file.
    assert "0 audits written, 18 unchanged" in cli(*args[:1], TRACKERS[1], *args[2:], expect=1).stdout


CHANGED = DATA / "update" / "tracker.csv"  # row 8's Team (F8) and Auditor (G8) changed since


def _imported(cli: Callable[..., Run], folder: Path, *hand: tuple[str, str]) -> Path:
    """Import the example tracker into ``folder``, then edit QA-2024-0111 by hand."""
    cli("import", TRACKERS[1], "--mapping", MAPPING, "--audits", folder, "--keep-going", expect=1)
    path = folder / "QA-2024-0111.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in hand:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


def test_an_existing_audit_is_left_alone_and_qa610_names_each_differing_value(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    path = _imported(
        cli,
        tmp_path,
        ("reviewer: Harriet Lomax", "reviewer: Harriet Lomax  # my own note"),
        ("practitioner: Tomasz Nowicki", "practitioner: Tom Nowicki"),
    )
    run = cli("import", CHANGED, "--mapping", MAPPING, "--audits", tmp_path, "--keep-going", expect=1)
    assert (
        f"{CHANGED}!A8: warning QA610 {path} exists and differs from {CHANGED} row 8, so it was left as it "
        f"is: 'practitioner' at {path}:16:15 is 'Tom Nowicki' in the audit and 'Tomasz Nowicki' in the "
        f"sheet; 'team' at {path}:17:7 is 'South Downs Public Law' in the audit and 'Weald Public Law' in "
        f"the sheet; 'reviewer' at {path}:18:11 is 'Harriet Lomax' in the audit and 'Ines Marchetti' in the "
        "sheet."
    ) in run.stderr
    assert "1 left as it is (--update rewrites)" in run.stdout


@pytest.mark.parametrize(
    ("hand", "expected", "kept"),
    [
        # A value changed by hand, and two changed in the sheet: the sheet's two are written, the
        # hand edit is kept (a regression: --update reverted it to the sheet's value).
        (
            [("practitioner: Tomasz Nowicki", "practitioner: Tom Nowicki")],
            ["practitioner: Tom Nowicki", "team: Weald Public Law", "reviewer: Ines Marchetti"],
            "'practitioner' at {path}:16:15 is 'Tom Nowicki' in the audit and 'Tomasz Nowicki' in the sheet, "
            "changed by hand since the import (the sheet has not changed)",
        ),
        # A value changed both by hand and in the sheet: a conflict, left as the audit has it.
        (
            [("team: South Downs Public Law", "team: Downs Public Law")],
            ["practitioner: Tomasz Nowicki", "team: Downs Public Law", "reviewer: Ines Marchetti"],
            "'team' at {path}:17:7 is 'Downs Public Law' in the audit and 'Weald Public Law' in the sheet, "
            "changed both by hand and in the sheet since the import",
        ),
    ],
)
def test_update_rewrites_what_changed_in_the_sheet_and_never_a_hand_edit(
    cli: Callable[..., Run], tmp_path: Path, hand: list[tuple[str, str]], expected: list[str], kept: str
) -> None:
    path = _imported(
        cli, tmp_path, ("reviewer: Harriet Lomax", "reviewer: Harriet Lomax  # my own note"), *hand
    )
    with path.open("a", encoding="utf-8") as file:
        file.write(
            "\nmoderation:\n  moderator: Ada Quist\n  moderated_grade: met\n  moderated_on: 2024-07-01\n"
        )
    run = cli(
        "import", CHANGED, "--mapping", MAPPING, "--audits", tmp_path, "--keep-going", "--update", expect=1
    )
    assert (
        f"{CHANGED}!A8: warning QA610 --update kept this value of {path}, which differs from {CHANGED} "
        f"row 8: {kept.format(path=path)}."
    ) in run.stderr
    assert "0 audits written, 1 updated, 17 unchanged" in run.stdout
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert [line for line in lines if line.startswith(("practitioner:", "team:", "reviewer:"))] == [
        *expected[:2],
        expected[2] + " # my own note",  # the comment is kept
    ]
    assert "  moderator: Ada Quist" in text  # a key the mapping does not fill is kept
    cli("fmt", "--check", path)
    # Run again: nothing more to write, and the hand edit is still kept.
    run = cli(
        "import", CHANGED, "--mapping", MAPPING, "--audits", tmp_path, "--keep-going", "--update", expect=1
    )
    assert "0 audits written, 0 updated, 17 unchanged, 1 left as it is (listed above)" in run.stdout
    assert path.read_text(encoding="utf-8") == text


def test_update_without_a_record_of_the_import_overwrites_nothing(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    """An audit imported by an older qaimpact (or whose record comment was removed): --update cannot
    tell who changed a value, so it lists each and keeps the audit as it is."""
    path = _imported(cli, tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    text = "".join(line for line in lines if not re.match(r"# Imported values|#   [0-9a-f.v-]+$", line))
    path.write_text(text, encoding="utf-8")
    run = cli(
        "import", CHANGED, "--mapping", MAPPING, "--audits", tmp_path, "--keep-going", "--update", expect=1
    )
    assert (
        f"{CHANGED}!A8: warning QA610 --update kept these values of {path}, which differ from {CHANGED} "
        f"row 8: 'team' at {path}:13:7 is 'South Downs Public Law' in the audit and 'Weald Public Law' in "
        "the sheet, and the audit does not record what the import wrote; 'reviewer' at "
        f"{path}:14:11 is 'Harriet Lomax' in the audit and 'Ines Marchetti' in the sheet, and the audit does "
        "not record what the import wrote."
    ) in run.stderr
    assert "0 updated, 17 unchanged, 1 left as it is (listed above)" in run.stdout
    assert path.read_text(encoding="utf-8") == text


def test_update_refuses_a_read_only_audit_unless_forced(cli: Callable[..., Run], tmp_path: Path) -> None:
    """A regression: --update rewrote read-only audits (it wrote with force)."""
    path = _imported(cli, tmp_path)
    args = ("import", CHANGED, "--mapping", MAPPING, "--audits", tmp_path, "--keep-going", "--update")
    before = path.read_text(encoding="utf-8")
    path.chmod(0o444)
    run = cli(*args, expect=2)
    assert run.stderr.splitlines()[-1] == (
        f"error: {path} is read-only, so it was not rewritten. Make it writable (chmod u+w '{path}') or add "
        "--force. Nothing was imported."
    )
    assert run.stdout == ""
    assert path.read_text(encoding="utf-8") == before
    run = cli(*args, "--force", expect=1)
    assert "0 audits written, 1 updated, 17 unchanged" in run.stdout
    assert "reviewer: Ines Marchetti" in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


@pytest.fixture(scope="module")
def big_tracker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example tracker's rows seven times over (each copy with its own audit ids): enough rows
    for the forked workers, with every kind of finding among them."""
    rows = list(csv.reader(io.StringIO(TRACKERS[1].read_text(encoding="utf-8-sig"), newline="")))
    data = [
        [cell.replace("QA-2024-", f"QA-{2024 + k}-") for cell in row] for k in range(7) for row in rows[4:]
    ]
    path = tmp_path_factory.mktemp("big") / "tracker.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([*rows[:4], *data])
    return path


def test_workers_import_what_one_process_imports(
    cli: Callable[..., Run], tmp_path: Path, big_tracker: Path, registry: Registry
) -> None:
    from qaimpact.audits import batch
    from qaimpact.authoring.importing.mapping import load_mapping
    from qaimpact.authoring.importing.run import plan_import

    compiled, _ = load_mapping(MAPPING, str(MAPPING), registry)
    assert compiled is not None
    workbook = read_spreadsheet(big_tracker, str(big_tracker), header_row=3)
    options = CheckOptions(today=TODAY)
    plans = [plan_import(workbook, compiled, tmp_path / "a", registry, options, jobs=jobs) for jobs in (1, 2)]
    assert len(plans[0].rows) > 2 * batch._CHUNK  # enough rows for two workers
    assert [(r.table, r.row, r.audit_id, r.file, r.text, r.status, r.diagnostics) for r in plans[1].rows] == [
        (r.table, r.row, r.audit_id, r.file, r.text, r.status, r.diagnostics) for r in plans[0].rows
    ]
    # Planned twice from one workbook, the sheet's own findings are the same both times.
    assert plans[1].findings() == plans[0].findings()
    assert len(plans[0].invalid) == 7 * 5
    # Through the command: the same findings, summary and files; then a second run changes nothing.
    args = ("import", big_tracker, "--mapping", MAPPING, "--keep-going")
    runs = [cli(*args, "--audits", tmp_path / f"j{jobs}", "-j", jobs, expect=1) for jobs in (1, 2)]
    assert runs[1].stderr == runs[0].stderr
    assert runs[1].stdout == runs[0].stdout.replace(str(tmp_path / "j1"), str(tmp_path / "j2"))
    assert "126 audits written" in runs[0].stdout
    one, two = ({p.name: p.read_bytes() for p in (tmp_path / f"j{j}").iterdir()} for j in (1, 2))
    assert two == one
    again = cli(
        "import", big_tracker, "--mapping", MAPPING, "--audits", tmp_path / "j2", "--keep-going", expect=1
    )
    assert "0 audits written, 126 unchanged" in again.stdout


# -- Bad input: located findings, never a traceback --------------------------------------------------

MINIMAL_HEADER = [
    "Audit", "ECMS", "Law", "FCA", "Auditor", "Date",
    "CS", "CE", "EC", "IA", "CR", "CP", "TU", "RQ",
]  # fmt: skip
MINIMAL_MAPPING = """\
standards: cafcass-qiam-2017
columns:
  audit_id: Audit
  case.ecms_number: ECMS
  case.law_type: Law
  practitioner: FCA
  reviewer: Auditor
  review_date: Date
  impact.child_seen.rating: CS
  impact.child_experience.rating: CE
  impact.enabled_to_choose.rating: EC
  impact.impact_analysis.rating: IA
  compliance.case_recording.rating: CR
  compliance.case_planning.rating: CP
  compliance.tools_uploaded.rating: TU
  compliance.report_quality.rating: RQ
"""


def minimal_row(n: int, rating: str = "good") -> list[str]:
    return [f"A-{n}", f"ECMS-{n}", "private", "Jo Bloggs", "Sam Reid", "2025-03-04", *[rating] * 8]


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "locked.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "{path}:1:1: error QA601 '{path}' is a workbook protected by a password to open (so its contents "
            "are encrypted), or an old .xls workbook.",
        ),
        (
            "broken.xlsx",
            b"PK\x03\x04 not really a zip file",
            "{path}:1:1: error QA601 '{path}' is damaged or incomplete: it is not a whole Excel workbook.",
        ),
        (
            "binary.csv",
            b"\x00\x01\x02 binary",
            "{path}:1:1: error QA601 '{path}' is not text: it holds bytes that no CSV file holds.",
        ),
    ],
)
def test_an_unreadable_spreadsheet_is_a_finding(
    cli: Callable[..., Run], tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    sheet = tmp_path / name
    sheet.write_bytes(content)
    (tmp_path / "m.yaml").write_text(MINIMAL_MAPPING)
    run = cli("import", sheet, "--mapping", tmp_path / "m.yaml", "--audits", tmp_path / "a", expect=1)
    assert finding_lines(run.stderr)[0] == expected.format(path=sheet)
    assert not (tmp_path / "a").exists()


def test_merged_header_cells_are_located(cli: Callable[..., Run], tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING.read_text(encoding="utf-8").replace("header_row: 3", "header_row: 2"))
    run = cli("import", TRACKERS[0], "--mapping", mapping, "--audits", tmp_path / "a", expect=1)
    lines = finding_lines(run.stderr)
    assert (
        f"{TRACKERS[0]}!Audits!A2: error QA602 Header cells A2:H2 are merged, so columns B, C, D, E, F, G, H "
        "have no header of its own."
    ) in lines
    # With the header row wrong, none of the mapping's columns is found: said once, at header_row.
    assert (
        f"{mapping}:6:13: error QA608 {TRACKERS[0]}!Audits has none of the 31 columns the mapping names in "
        "row 2."
    ) in lines


def test_a_duplicate_header_the_mapping_names_is_an_error(cli: Callable[..., Run], tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING.read_text(encoding="utf-8") + "  moderation.notes: Notes\n")
    run = cli("import", TRACKERS[0], "--mapping", mapping, "--audits", tmp_path / "a", "--dry-run", expect=1)
    assert finding_lines(run.stderr)[0] == (
        f"{TRACKERS[0]}!Audits!AG3: error QA604 The header 'Notes' appears twice in {TRACKERS[0]}!Audits: in "
        "column AF and column AG."
    )


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("  practitioner: FCA\n", "  practioner: FCA\n"),
            "m.yaml:6:3: error QA203 'practioner' is not a key of the audits; did you mean 'practitioner'?",
        ),
        (
            ("Auditor\n", "Auditors\n"),
            "m.yaml:7:13: error QA608 {sheet} has no column headed 'Auditors' in row 1.",
        ),
        (
            ("  reviewer: Auditor\n", ""),
            "m.yaml:2:1: error QA609 No column is given for reviewer: every audit of cafcass-qiam-2017 "
            "needs it.",
        ),
        (
            ("cafcass-qiam-2017", "cafcass-2017"),
            "m.yaml:1:12: error QA201 Unknown framework 'cafcass-2017' in 'standards:'; the known frameworks "
            "are: cafcass-qiam-2017, ccc-practice-standards.",
        ),
        (
            ("columns:\n", "dates: [DD/MMM]\ncolumns:\n"),
            "m.yaml:2:9: error QA209 'DD/MMM' is not a date format this import reads.",
        ),
        (
            ("columns:\n", "ratings: {great: [G]}\ncolumns:\n"),
            "m.yaml:2:11: error QA205 'great' under 'ratings:' is not one of cafcass-qiam-2017's ratings: "
            "good, met, requires_improvement, not_applicable.",
        ),
        (
            ("columns:\n", "header_rows: 2\ncolumns:\n"),
            "m.yaml:2:1: error QA203 Unknown key 'header_rows' at the top level.",
        ),
        (
            ("  impact.child_seen.rating: CS\n", "  impact.child_seen: CS\n"),
            "m.yaml:9:3: error QA203 'impact.child_seen' holds several values: map each of rating, seen, "
            "seen_alone, defensible_decision, evidence instead.",
        ),
    ],
    ids=["unknown-key", "unknown-column", "unmapped-key", "unknown-framework", "bad-date-format",
         "not-a-rating", "unknown-setting", "not-a-value"],
)  # fmt: skip
def test_a_bad_mapping_gets_located_findings(
    cli: Callable[..., Run], tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    sheet = write_csv(tmp_path / "s.csv", [MINIMAL_HEADER, minimal_row(1)])
    mapping = tmp_path / "m.yaml"
    assert edit[0] in MINIMAL_MAPPING
    mapping.write_text(MINIMAL_MAPPING.replace(*edit))
    run = cli("import", sheet, "--mapping", mapping, "--audits", tmp_path / "a", expect=1)
    assert f"{tmp_path}/" + expected.format(sheet=sheet) in finding_lines(run.stderr)
    assert not (tmp_path / "a").exists()


def test_a_valid_minimal_sheet_imports(cli: Callable[..., Run], tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "s.csv", [MINIMAL_HEADER, minimal_row(1), minimal_row(2, "met")])
    (tmp_path / "m.yaml").write_text(MINIMAL_MAPPING)
    run = cli("import", sheet, "--mapping", tmp_path / "m.yaml", "--audits", tmp_path / "a", "--today", TODAY)
    assert "2 audits written" in run.stdout
    assert audits_in(tmp_path / "a") == ["A-1.yaml", "A-2.yaml"]


def test_ten_thousand_rows_are_read(cli: Callable[..., Run], tmp_path: Path) -> None:
    rows = [MINIMAL_HEADER, *(minimal_row(n) for n in range(10_000))]
    rows[5000][0] = rows[4999][0]  # one duplicate id among them (rows 5000 and 5001), found all the same
    sheet = write_csv(tmp_path / "big.csv", rows)
    (tmp_path / "m.yaml").write_text(MINIMAL_MAPPING)
    run = cli("import", sheet, "--mapping", tmp_path / "m.yaml", "--dry-run", "--today", TODAY, expect=1)
    assert finding_lines(run.stderr) == [
        f"{sheet}!A5000: error QA605 The audit id 'A-4998' is also in row 5001, so neither row is imported.",
        f"{sheet}!A5001: error QA605 The audit id 'A-4998' is also in row 5000, so neither row is imported.",
    ]
    assert "Read 10000 rows" in run.stdout
    assert "9998 audits ready" in run.stdout


def test_without_openpyxl_a_workbook_gets_the_install_command(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    run = cli("import", TRACKERS[0], "--mapping", MAPPING, "--audits", tmp_path, expect=2)
    assert run.stderr.strip() == (
        "error: Reading Excel workbooks needs openpyxl, which is not installed. Install it with `pip install "
        "'qaimpact[xlsx]'` (or save the sheet as CSV), then run the import again."
    )


def test_start_up_and_validate_never_import_openpyxl() -> None:
    code = (
        "import sys; from qaimpact.cli import app; from qaimpact.cli import validate; "
        "import qaimpact.audits.checker; print('openpyxl' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- The scaffold, the export and the round trip -----------------------------------------------------


def test_scaffold_mapping_guesses_each_header_and_marks_every_guess(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    out = tmp_path / "export.mapping.yaml"
    run = cli(
        "import", TRACKERS[0], "--scaffold-mapping", "--standards", "cafcass-qiam-2017", "--mapping", out
    )
    assert run.stderr.strip().startswith(f"note: wrote {out}: check every line marked '# review:'")
    lines = out.read_text(encoding="utf-8").splitlines()
    columns = lines[lines.index("columns:") + 1 :]
    mapped = [line for line in columns if not line.startswith(("#", "  #"))]
    assert all("# review: " in line for line in mapped)
    assert "header_row: 3" in lines
    for line in (
        '  reviewer: "Auditor"  # review: same words',
        '  review_date: "Date of audit"  # review: same words',
        '  impact.child_seen.rating: "Child seen"  # review: same words',
        '  practitioner: "Practitioner (FCA)"  # review: 86% alike',
    ):
        assert line in lines
    cli(
        "import",
        TRACKERS[0],
        "--scaffold-mapping",
        "--standards",
        "cafcass-qiam-2017",
        "--mapping",
        out,
        expect=2,
    )


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("Audit No", "audit number"),
        ("Audit No.", "audit number"),
        ("Audit #", "audit number"),
        ("Audit Ref", "audit reference"),
        ("No", "no"),
        ("Seen? (Yes/No)", "seen yes no"),
        ("Seen alone? Yes or No", "seen alone yes or no"),
        # A question's answer, not a number (regression: "...required number").
        ("Immediate actions required? No", "immediate actions required no"),
        ("Child seen? no.", "child seen no"),
    ],
)
def test_headers_are_compared_as_the_words_they_abbreviate(header: str, words: str) -> None:
    assert _norm(header) == words


@pytest.mark.parametrize("framework", ["cafcass-qiam-2017", "ccc-practice-standards"])
@pytest.mark.parametrize(
    ("header", "path"),
    [
        ("Audit No", ("audit_id",)),
        ("Audit No.", ("audit_id",)),
        ("Audit #", ("audit_id",)),
        ("Audit Ref", ("audit_id",)),
        ("Audit Ref No", ("audit_id",)),
        ("Audit number", ("audit_id",)),
        ("Previous audit no", ("reaudit_of",)),
        ("Reaudit of audit no", ("reaudit_of",)),
        ("Re-audit of", ("reaudit_of",)),
        ("Audited by", ("reviewer",)),
        ("Auditor", ("reviewer",)),
    ],
)
def test_abbreviated_headers_are_matched_to_the_key_they_abbreviate(
    registry: Registry, framework: str, header: str, path: tuple[str, ...]
) -> None:
    # Regression: "Audit No" was guessed to be the reviewer, then the audit re-audited.
    table = Table("t.csv", None, 1, headers=[header])
    chosen = match_headers(table, registry.get(framework))
    assert {header: key for key, (header, _) in chosen.items()} == {header: path}


@pytest.mark.parametrize(
    ("framework", "header", "path"),
    [
        ("ccc-practice-standards", "Case No", ("case", "case_reference")),
        ("ccc-practice-standards", "LCS No", ("case", "case_reference")),
        ("ccc-practice-standards", "Case number", ("case", "case_reference")),
        ("cafcass-qiam-2017", "Case No", ("case", "ecms_number")),
        ("cafcass-qiam-2017", "ECMS No", ("case", "ecms_number")),
        ("cafcass-qiam-2017", "Case reference", ("case", "ecms_number")),
        ("cafcass-qiam-2017", "Seen alone? Yes or No", ("impact", "child_seen", "seen_alone")),
        ("cafcass-qiam-2017", "Seen alone? No", ("impact", "child_seen", "seen_alone")),
        (
            "cafcass-qiam-2017",
            "Immediate actions required? No",
            ("immediate_safeguarding_actions", "required"),
        ),
    ],
)
def test_a_case_number_and_an_answer_are_not_read_as_the_audit_number(
    registry: Registry, framework: str, header: str, path: tuple[str, ...]
) -> None:
    # Regression: with "No" read as "number", "Case No" and "LCS No" were guessed to be the
    # audit's id ("audit number"), and the "No" of "Yes or No" a number, so the column was lost.
    table = Table("t.csv", None, 1, headers=[header])
    chosen = match_headers(table, registry.get(framework))
    assert {header: key for key, (header, _) in chosen.items()} == {header: path}


@pytest.mark.parametrize("framework", ["ccc-practice-standards", "cafcass-qiam-2017"])
@pytest.mark.parametrize(
    "header",
    ["Child's NHS No", "NHS number", "NI No", "National Insurance number", "UPN", "Pupil number",
     "Phone No", "Mother's mobile number", "Postcode"],
)  # fmt: skip
def test_another_identifier_is_not_guessed_to_be_the_case_number(
    registry: Registry, framework: str, header: str
) -> None:
    # Regression: "Child's NHS No" was guessed to be the case number ("LCS No" letter by letter).
    table = Table("t.csv", None, 1, headers=[header])
    assert match_headers(table, registry.get(framework)) == {}


def test_the_scaffold_of_a_sheet_keyed_by_case_number(cli: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "m.yaml"
    cli(
        "import", DATA / "headers" / "council-case-number.csv", "--scaffold-mapping",
        "--standards", "ccc-practice-standards", "--mapping", out,
    )  # fmt: skip
    lines = out.read_text(encoding="utf-8").splitlines()
    assert '  case.case_reference: "LCS No"  # review: same words' in lines
    assert "  # audit_id: ???  # review: no header matched; every audit needs it" in lines


def test_the_scaffold_of_abbreviated_headers(cli: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "m.yaml"
    cli(
        "import", DATA / "headers" / "abbreviated.csv", "--scaffold-mapping",
        "--standards", "cafcass-qiam-2017", "--mapping", out,
    )  # fmt: skip
    lines = out.read_text(encoding="utf-8").splitlines()
    assert '  audit_id: "Audit No"  # review: same words' in lines
    assert '  reaudit_of: "Previous audit no"  # review: same words' in lines
    assert '  reviewer: "Audited by"  # review: same words' in lines


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("folder", ["cafcass", "ccc"])
def test_export_then_import_gives_identical_audits(
    cli: Callable[..., Run], tmp_path: Path, registry: Registry, folder: str, suffix: str
) -> None:
    source = EXAMPLES / "service" / folder
    sheet, mapping, audits = (
        tmp_path / f"export{suffix}",
        tmp_path / "export.mapping.yaml",
        tmp_path / "audits",
    )
    cli("export", source, "-o", sheet, "--mapping", mapping, "--today", TODAY)
    cli("import", sheet, "--mapping", mapping, "--audits", audits, "--today", TODAY)
    options = CheckOptions(today=TODAY, keep_data=True)
    originals = sorted(source.glob("*.yaml"))
    assert audits_in(audits) == [p.name for p in originals]
    for original in originals:
        before = check_audit(original, registry, options)
        after = check_audit(audits / original.name, registry, options)
        assert after.data == before.data, original.name
        assert after.result is not None
        assert before.result is not None
        assert after.result.grade == before.result.grade


def test_the_example_files_are_what_the_script_writes(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(IMPORT / "make_tracker.py"), str(tmp_path)], check=True, capture_output=True
    )
    assert (tmp_path / "tracker.csv").read_bytes() == (IMPORT / "tracker.csv").read_bytes()
    # openpyxl's releases lay a workbook's bytes out differently: compare what the sheets hold.
    made = read_spreadsheet(tmp_path / "tracker.xlsx", "t", header_row=3)
    kept = read_spreadsheet(IMPORT / "tracker.xlsx", "t", header_row=3)
    for name, table in kept.tables.items():
        other = made.tables[name]
        assert (table.headers, table.rows, table.row_numbers, table.formulas) == (
            other.headers, other.rows, other.row_numbers, other.formulas,
        )  # fmt: skip
        assert [d.to_dict() for d in table.diagnostics] == [d.to_dict() for d in other.diagnostics]


# -- Pieces ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        (CellLocation("tracker.xlsx", 17, 6, "Audits"), "tracker.xlsx!Audits!F17"),
        (CellLocation("tracker.csv", 2, 28), "tracker.csv!AB2"),
        (CellLocation("t.xlsx", 1, 703, "S"), "t.xlsx!S!AAA1"),
    ],
)
def test_a_cell_reads_as_spreadsheets_name_it(location: CellLocation, shown: str) -> None:
    assert str(location) == shown


@given(st.integers(min_value=1, max_value=16384))
def test_column_letters_and_numbers_round_trip(number: int) -> None:
    assert column_number(column_letter(number)) == number


@pytest.mark.parametrize(
    ("day", "date"),
    [
        (45944, "2025-10-14"),
        (45418.5, "2024-05-06"),
        (1, "1900-01-01"),
        (61, "1900-03-01"),
        (60, None),
        (0, None),
    ],
)
def test_excel_day_numbers(day: float, date: str | None) -> None:
    found = excel_day(day)
    assert (found.isoformat() if found else None) == date


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=300,
)


@given(evidence=_TEXT, name=_TEXT)
def test_imported_text_is_what_fmt_writes_and_reads_back_as_written(
    registry: Registry, evidence: str, name: str
) -> None:
    framework = registry.get("cafcass-qiam-2017")
    assert framework is not None
    # As a cell gives them: line breaks as the sheet meant them, no control characters.
    evidence, name = cell_text(evidence) or "x", cell_text(name) or "x"
    data: dict[str, Any] = {
        "standards": framework.id,
        "audit_id": "A-1",
        "case": {"ecms_number": "E-1", "law_type": "private"},
        "practitioner": name,
        "reviewer": "Sam Reid",
        "review_date": "2025-03-04",
        "impact": {s: {"rating": "good"} for s in ("child_seen", "child_experience", "enabled_to_choose")},
        "compliance": {s: {"rating": "good"} for s in ("case_recording", "case_planning", "tools_uploaded")},
    }
    data["impact"]["impact_analysis"] = {"rating": "met", "evidence": evidence}
    data["compliance"]["report_quality"] = {"rating": "good"}
    data = order(data, audit_model(framework))
    text, settled = render(data, framework, ["Imported for a test."])
    assert load_bytes(text.encode("utf-8"), "a.yaml").data == data
    if settled:
        result = format_text(text, "a.yaml", registry, CheckOptions(today=TODAY))
        if result.problems is None:
            assert result.new_text == text


@pytest.mark.parametrize(
    ("count", "said"), [(1, "1 valid audit"), (2, "2 valid audits"), (18, "18 valid audits")]
)
def test_the_summary_counts_valid_audits_in_good_english(count: int, said: str) -> None:
    # "add --keep-going to write the 1 valid audits" (found by a new-user review).
    from qaimpact.cli.importing import _audits

    assert _audits(count) == said


@pytest.mark.parametrize(
    ("ending", "skipped"),
    [
        ("narrative", "names ending .narrative.yaml are the quarterly report's narratives"),
        ("mapping", "names ending .mapping.yaml are import mappings"),
    ],
)
def test_an_audit_id_naming_a_file_the_reports_skip_is_not_imported(
    cli: Callable[..., Run], tmp_path: Path, ending: str, skipped: str
) -> None:
    # The file would be QA-2024-0101.narrative.yaml, which validate and every report skip: an
    # audit written so would never be counted or escalated.
    tracker = tmp_path / "tracker.csv"
    text = (IMPORT / "tracker.csv").read_text("utf-8-sig")
    tracker.write_text(text.replace("\nQA-2024-0101,", f"\nQA-2024-0101.{ending},", 1), "utf-8")
    audits = tmp_path / "audits"
    run = cli(
        "import",
        tracker,
        "--mapping",
        MAPPING,
        "--audits",
        audits,
        "--keep-going",
        "--today",
        TODAY,
        expect=1,
    )
    assert (
        f"{tracker}!A5: error QA612 The audit id 'QA-2024-0101.{ending}' would be written to "
        f"QA-2024-0101.{ending}.yaml, and {skipped}, not audits: validate and every report skip them, "
        "so this audit would never be counted or escalated."
    ) in finding_lines(run.stderr)
    assert f"    hint: Take the ending .{ending} off the audit id, then import again." in run.stderr
    assert not list(audits.glob("QA-2024-0101*"))
    assert "QA-2024-0104.yaml" in audits_in(audits)


@pytest.mark.parametrize(
    ("written", "reads"), [("“G”", ("G", "good")), ('"RI"', ("RI", "requires_improvement"))]
)
def test_a_known_word_in_quotation_marks_is_named_in_the_hint(
    cli: Callable[..., Run], tmp_path: Path, written: str, reads: tuple[str, str]
) -> None:
    # Regression (a review): QA606 for “G” suggested adding “G” to the mapping's ratings.
    cell = written.replace('"', '""').join('""')
    _assert_rating_hint(
        cli,
        tmp_path,
        cell,
        written,
        f"Take the quotation marks off the cell: {reads[0]} reads as {reads[1]}.",
    )


def _assert_rating_hint(cli: Callable[..., Run], tmp_path: Path, cell: str, written: str, hint: str) -> None:
    """A dry run of the example tracker with the cell M10 (``Gd``) written as ``cell`` says QA606
    for it, read as ``written``, with ``hint``."""
    sheet = tmp_path / "tracker.csv"
    text = (EXAMPLES / "import" / "tracker.csv").read_text(encoding="utf-8")
    assert text.count(",Gd,") == 1
    sheet.write_text(text.replace(",Gd,", f",{cell},"), encoding="utf-8")
    run = cli(
        "import", sheet, "--mapping", EXAMPLES / "import" / "tracker.mapping.yaml",
        "--audits", tmp_path / "out", "--dry-run", expect=1,
    )  # fmt: skip
    assert (
        f"{sheet}!M10: error QA606 '{written}' for 'impact.child_experience.rating' is not a rating the "
        "mapping knows; the ratings are: good, met, requires_improvement, not_applicable.\n"
        f"    hint: {hint}\n"
    ) in run.stderr


PLACEHOLDER = (
    "Add the word to the mapping under 'ratings:', under the rating it means (`ratings: {{RATING: "
    "[{w}]}}`, RATING one of the ratings above), or correct the cell."
)


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("Gd", "If 'Gd' means good, add it to the mapping under 'ratings:' (`ratings: {good: [Gd]}`); "
         "otherwise correct the cell."),
        # The initials of one rating's words (the mapping knows RI itself).
        ("R.I.", "If 'R.I.' means requires_improvement, add it to the mapping under 'ratings:' (`ratings: "
         "{requires_improvement: [R.I.]}`); otherwise correct the cell."),
        # Regression: nothing close, and the hint's example was the first rating on the scale, so a
        # mapping copied from it read 'RI' or 'Inad' as the best rating.
        ("Inad", PLACEHOLDER.format(w="Inad")),
        ("X", PLACEHOLDER.format(w="X")),
        # Two ratings in one cell: neither is guessed.
        ("good/met", PLACEHOLDER.format(w="good/met")),
    ],
)  # fmt: skip
def test_an_unknown_rating_is_mapped_only_to_the_one_it_most_probably_means(
    cli: Callable[..., Run], tmp_path: Path, written: str, hint: str
) -> None:
    _assert_rating_hint(cli, tmp_path, written, written, hint)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_leaves_records_out_and_says_so(cli: Callable[..., Run], tmp_path: Path, suffix: str) -> None:
    # Regression: a feedback record filed beside the audits was written as an audit row holding
    # only its practitioner, and the workbook would not import back (270 errors on the example
    # service).
    folder = tmp_path / "audits"
    shutil.copytree(EXAMPLES / "service" / "ccc", folder)
    shutil.copytree(EXAMPLES / "service" / "records" / "ccc", folder / "records")
    audits = len(list((EXAMPLES / "service" / "ccc").glob("*.yaml")))
    records = len(list((EXAMPLES / "service" / "records" / "ccc").glob("*.yaml")))
    sheet, mapping = tmp_path / f"export{suffix}", tmp_path / "export.mapping.yaml"
    run = cli("export", folder, "-o", sheet, "--mapping", mapping, "--today", TODAY)
    assert run.stdout == (
        f"Exported {audits} audits of ccc-practice-standards to {sheet}, and the mapping that imports "
        f"them to {mapping}.\n"
    )
    assert run.stderr == (
        f"note: {records} records of another kind than an audit (feedback, learning follow-through, practice "
        "observation) were not exported: export "
        "writes audits only, and the records stay as they are in their files.\n"
    )
    back = tmp_path / "back"
    cli("import", sheet, "--mapping", mapping, "--audits", back, "--today", TODAY)
    assert len(audits_in(back)) == audits


def test_export_of_records_alone_says_they_are_records(cli: Callable[..., Run], tmp_path: Path) -> None:
    # Regression (a review): "None of the audits is valid", where validate finds nothing wrong.
    run = cli("export", EXAMPLES / "service" / "records" / "ccc", "-o", tmp_path / "r.csv", expect=2)
    assert run.stderr == (
        "error: The files are records of another kind than an audit (feedback, learning follow-through, "
        "practice observation), and export writes audits only: give it the folders or files that hold "
        "the audits.\n"
    )
    assert not (tmp_path / "r.csv").exists()

"""A report over folders that hold no YAML file at all is refused, as ``validate`` refuses them.

A mistyped or wrong ``--audits`` used to give a report of "0 audits" and exit 0, which a board
could take for a service that did no audits. Every command that reads ``--audits`` to report on
them now says which folder holds no audit file and how to point at the right one, exits 2 and
writes nothing. Folders whose YAML files are all not audits, all invalid or all outside the
period are still reported on, as before: the report says what it left out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES

SERVICE = EXAMPLES / "service"
NO_AUDITS = DATA / "no-audits"
TODAY = "2026-11-22"

#: Every command that reads the audits of --audits to report on them, by the arguments it needs.
REPORTS: list[tuple[str, ...]] = [
    ("summary",),
    ("quarterly", "--quarter", "2026-Q3"),
    ("escalations",),
    ("actions",),
    ("impact",),
    ("moderation",),
    ("programme", str(SERVICE / "plans" / "2026-07.csv")),
    ("report", "--fca", "Priya Natarajan"),
]
IDS = [" ".join(args[:2]) if args[0] == "report" else args[0] for args in REPORTS]

CHECK_AUDITS = (
    "Check --audits: give the folder that holds the audit files (usually one named audits; the "
    "folders inside it are read too).\n"
)
NO_AUDITS_GIVEN = (
    "Without --audits, a report reads the folder named audits in the current folder, or the current "
    "folder when there is none: give --audits with the folder that holds the audit files.\n"
)


def _refusal(where: str, hint: str = CHECK_AUDITS) -> str:
    return f"error: No audit files (*.yaml, *.yml) found in {where}, so there is nothing to report on. {hint}"


@pytest.mark.parametrize("args", REPORTS, ids=IDS)
def test_a_report_of_an_empty_folder_is_refused_and_writes_nothing(
    cli: Any, tmp_path: Path, args: tuple[str, ...]
) -> None:
    empty = tmp_path / "audits"
    empty.mkdir()
    written = tmp_path / "report.md"
    run = cli(*args, "--audits", empty, "--today", TODAY, "-o", written, expect=2)
    assert run.stderr == _refusal(f"'{empty}'")
    assert run.stdout == ""
    assert not written.exists()


@pytest.mark.parametrize("args", REPORTS, ids=IDS)
def test_a_folder_of_other_files_is_refused_after_the_note_of_a_file_not_read(
    cli: Any, tmp_path: Path, args: tuple[str, ...]
) -> None:
    # Its notes.yaml.txt is not read for its name, as validate notes: it may be what was meant.
    folder = NO_AUDITS / "no-yaml"
    written = tmp_path / "report.json"
    run = cli(*args, "--audits", folder, "--today", TODAY, "-o", written, expect=2)
    assert run.stderr == (
        "note: 1 file named like YAML was not read: only names ending in .yaml or .yml (in small "
        "letters) are read, and it holds no audit. If it should be read, rename it (Windows Notepad "
        "may have added .txt):\n"
        f"  - {folder / 'notes.yaml.txt'}\n" + _refusal(f"'{folder}'")
    )
    assert not written.exists()


@pytest.mark.parametrize("args", REPORTS, ids=IDS)
@pytest.mark.parametrize("with_folder", [True, False], ids=["empty-audits-folder", "no-audits-folder"])
def test_without_audits_the_folder_read_by_default_is_named(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], with_folder: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    if with_folder:
        (tmp_path / "audits").mkdir()
    read = tmp_path / "audits" if with_folder else tmp_path
    run = cli(*args, "--today", TODAY, "-o", "report.html", expect=2)
    assert run.stderr == _refusal(f"'{read}'", NO_AUDITS_GIVEN)
    assert not (tmp_path / "report.html").exists()


@pytest.mark.parametrize("args", REPORTS, ids=IDS)
def test_each_empty_folder_given_is_named(cli: Any, tmp_path: Path, args: tuple[str, ...]) -> None:
    first, second = tmp_path / "2026-Q3", tmp_path / "2026-Q4"
    first.mkdir()
    second.mkdir()
    run = cli(*args, "--audits", first, "--audits", second, "--today", TODAY, expect=2)
    assert run.stderr == _refusal(f"'{first}' or '{second}'")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_workbook_or_csv_is_not_written_either(cli: Any, tmp_path: Path, fmt: str) -> None:
    written = tmp_path / f"summary.{fmt}"
    run = cli("summary", "--audits", NO_AUDITS / "no-yaml", "--today", TODAY, "-o", written, expect=2)
    assert run.stderr.endswith(_refusal(f"'{NO_AUDITS / 'no-yaml'}'"))
    assert not written.exists()


def test_an_earlier_report_is_left_as_it_was(cli: Any, tmp_path: Path) -> None:
    # A report replaces an earlier one without --force: this one is never replaced by "0 audits".
    earlier = tmp_path / "summary.md"
    cli("summary", "--audits", NO_AUDITS / "in-2026", "--today", TODAY, "-o", earlier)
    before = earlier.read_bytes()
    (tmp_path / "audits").mkdir()
    cli("summary", "--audits", tmp_path / "audits", "--today", TODAY, "-o", earlier, expect=2)
    assert earlier.read_bytes() == before


def test_the_first_sample_needs_no_audit(cli: Any, tmp_path: Path) -> None:
    # A service's first sample is chosen before any audit is written: it is no error, and the plan
    # says which folder it read.
    run = cli(
        "sample", "--cases", SERVICE / "cases.csv", "--audits", tmp_path, "--seed", "7",
        "--today", TODAY, "-f", "json",
    )  # fmt: skip
    view = json.loads(run.stdout)
    assert len(view["plan"]) == 12
    assert (view["sources"], view["audits"]) == ([str(tmp_path)], 0)


#: A report of a folder whose YAML files are none of them audits to report on, as before:
#: (folder, arguments after the command's, exit code, what standard error says after the note
#: of the report written). The period has no audit (the quarterly report's a quarter before it;
#: the programme, which takes no period, is left out).
SKIPPED = ("not-audits", (), 0, "note: 1 YAML file that is not an audit was skipped.\n")
INVALID = (
    "invalid",
    (),
    1,
    "error: 1 audit file was left out of this report because it has errors; fix it and run the "
    "report again (`qaimpact validate` shows every problem):\n"
    f"  - {NO_AUDITS / 'invalid' / 'QA-2026-0142.yaml'}:2:1: QA201 The audit does not say which "
    "framework it uses: 'standards:' is missing.\n",
)
OUTSIDE = ("in-2026", ("--to", "2026-01-31"), 0, "")
CASES = [(args, *case) for args in REPORTS[:-1] for case in (SKIPPED, INVALID)]
CASES += [(args, *OUTSIDE) for args in REPORTS[:-1] if args[0] not in ("quarterly", "programme")]
CASES += [(("quarterly", "--quarter", "2025-Q4"), "in-2026", (), 0, "")]


@pytest.mark.parametrize(
    ("args", "folder", "more", "code", "said"), CASES, ids=[f"{c[0][0]}-{c[1]}" for c in CASES]
)
def test_a_folder_of_no_audit_to_report_on_is_still_reported_on(
    cli: Any,
    tmp_path: Path,
    args: tuple[str, ...],
    folder: str,
    more: tuple[str, ...],
    code: int,
    said: str,
) -> None:
    written = tmp_path / "report.json"
    run = cli(*args, *more, "--audits", NO_AUDITS / folder, "--today", TODAY, "-o", written, expect=code)
    assert json.loads(written.read_text(encoding="utf-8"))
    assert run.stderr == f"note: wrote {written}\n{said}"


@pytest.mark.parametrize(
    ("folder", "more", "message"),
    [
        (
            "not-audits",
            (),
            "note: 1 YAML file that is not an audit was skipped.\n"
            "error: No audit of a practitioner named 'Priya Natarajan' was found among the 0 valid "
            "audits read. Check the name, or point --audits at the folder that holds their audits.\n",
        ),
        (
            "in-2026",
            ("--to", "2026-01-31"),
            "error: No valid audit was reviewed up to 2026-01-31, so there is no learning log of "
            "'Priya Natarajan' for it. Ask for a period that holds their audits (--quarter, "
            "--from/--to), or point --audits at the folder that holds them.\n",
        ),
    ],
    ids=["not-audits", "outside-the-period"],
)
def test_a_learning_log_with_no_audit_of_the_practitioner_says_so_as_before(
    cli: Any, tmp_path: Path, folder: str, more: tuple[str, ...], message: str
) -> None:
    written = tmp_path / "log.md"
    run = cli(
        "report", "--fca", "Priya Natarajan", *more, "--audits", NO_AUDITS / folder,
        "--today", TODAY, "-o", written, expect=2,
    )  # fmt: skip
    assert run.stderr == message
    assert not written.exists()

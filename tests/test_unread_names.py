"""Files named like YAML but not read are never passed over in silence.

A new-user review found that ``AUDIT.YAML`` (a suffix in capitals) and ``audit.yaml.txt`` (what
Windows Notepad saves) under an audits folder were skipped without a word: ``summary`` read 1 of
3 audits and exited 0. Only ``.yaml`` and ``.yml`` are read, as documented. Such a file that holds
an audit (or cannot be read to tell) is an error, QA115, so that validate and every report leave
it out as invalid and exit 1: with a note alone, an inadequate audit in it was never escalated.
The others are listed in a note on standard error.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run
from qaimpact.audits.checker import expand_paths, readable_name

SOURCE = EXAMPLES / "service" / "ccc" / "CFA-2026-0214.yaml"
TODAY = "2026-11-22"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    audits = tmp_path / "audits"
    (audits / "2026").mkdir(parents=True)
    shutil.copyfile(SOURCE, audits / "CFA-2026-0214.yaml")
    shutil.copyfile(SOURCE, audits / "2026" / "B.YAML")
    shutil.copyfile(SOURCE, audits / "c.yaml.txt")
    (audits / "editor.YML").write_text("theme: dark\nfont_size: 12\n", encoding="utf-8")
    (audits / "notes.txt").write_text("not YAML at all\n", encoding="utf-8")
    (audits / ".hidden.YAML").write_text("", encoding="utf-8")
    return audits


def _note(folder: Path) -> str:
    return (
        "note: 1 file named like YAML was not read: only names ending in .yaml or .yml (in small "
        "letters) are read, and it holds no audit. If it should be read, rename it (Windows Notepad "
        "may have added .txt):\n"
        f"  - {folder / 'editor.YML'}\n"
    )


def _qa115(path: Path, name: str, renamed: str) -> str:
    return (
        f"{path}:1:1: error QA115 The file is named '{name}', so it is not read: only names ending in "
        ".yaml or .yml, in small letters, are read, and this audit is never checked, counted or "
        f"escalated.\n    hint: Rename it '{renamed}' (Windows Notepad may have added .txt).\n"
    )


def test_expand_paths_lists_what_it_does_not_read(folder: Path) -> None:
    unread: list[Path] = []
    assert list(expand_paths([folder], unread=unread)) == [folder / "CFA-2026-0214.yaml"]
    assert unread == [folder / "2026" / "B.YAML", folder / "c.yaml.txt", folder / "editor.YML"]


def test_validate_fails_on_an_audit_it_cannot_read_and_names_the_rest(
    folder: Path, cli: Callable[..., Run]
) -> None:
    run = cli("validate", "--today", TODAY, folder, expect=1)
    assert run.stderr == _note(folder)
    assert run.stdout == (
        _qa115(folder / "2026" / "B.YAML", "B.YAML", "B.yaml")
        + _qa115(folder / "c.yaml.txt", "c.yaml.txt", "c.yaml")
        + "Checked 3 files: 2 errors and 0 warnings in 2 files.\n"
    )


def test_a_folder_holding_only_a_misnamed_audit_is_not_an_empty_folder(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    shutil.copyfile(SOURCE, tmp_path / "AUDIT.YAML")
    run = cli("validate", "--today", TODAY, tmp_path, expect=1)
    assert run.stdout == (
        _qa115(tmp_path / "AUDIT.YAML", "AUDIT.YAML", "AUDIT.yaml")
        + "Checked 1 file: 1 error and 0 warnings in 1 file.\n"
    )


def test_a_misnamed_file_that_cannot_be_read_is_taken_as_an_audit(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    # Whether it holds an audit cannot be told, so it is not passed over.
    (tmp_path / "audit.yaml.txt").write_text("standards: [unclosed\n", encoding="utf-8")
    run = cli("validate", "--today", TODAY, tmp_path, expect=1)
    assert run.stdout.startswith(_qa115(tmp_path / "audit.yaml.txt", "audit.yaml.txt", "audit.yaml"))


@pytest.mark.parametrize("command", ["summary", "escalations", "actions"])
def test_reports_leave_a_misnamed_audit_out_and_exit_1(
    command: str, folder: Path, cli: Callable[..., Run]
) -> None:
    run = cli(command, "--audits", folder, "--today", TODAY, "-f", "json", expect=1)
    assert run.stderr.startswith(_note(folder))
    assert (
        "error: 2 audit files were left out of this report because they have errors; fix them and run "
        "the report again (`qaimpact validate` shows every problem):\n"
        f"  - {folder / '2026' / 'B.YAML'}:1:1: QA115 The file is named 'B.YAML', so it is not read"
    ) in run.stderr


def test_a_redacted_report_gives_only_how_many(folder: Path, cli: Callable[..., Run]) -> None:
    # A file's name can be an audit id or a child's name.
    run = cli("summary", "--audits", folder, "--today", TODAY, "-f", "json", "--redact", expect=1)
    assert run.stderr.startswith(_note(folder).split("\n", 1)[0] + "\n")
    assert "B.YAML" not in run.stderr
    assert "c.yaml.txt" not in run.stderr


@pytest.mark.parametrize(
    ("name", "renamed"),
    [
        ("AUDIT.YAML", "AUDIT.yaml"),
        ("audit.yaml.txt", "audit.yaml"),
        ("QA-2026-0142.YML.TXT", "QA-2026-0142.yml"),
        ("x.Yaml", "x.yaml"),
    ],
)
def test_the_name_to_give_it(name: str, renamed: str) -> None:
    assert readable_name(name) == renamed

"""Files named like YAML but not read are named in a note, never passed over in silence.

A new-user review found that ``AUDIT.YAML`` (a suffix in capitals) and ``audit.yaml.txt`` (what
Windows Notepad saves) under an audits folder were skipped without a word: ``summary`` read 1 of
3 audits and exited 0. Only ``.yaml`` and ``.yml`` are read, as documented; the others are now
listed on standard error by ``validate`` and every report.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run
from qaimpact.audits.checker import expand_paths

SOURCE = EXAMPLES / "service" / "ccc" / "CFA-2026-0214.yaml"
TODAY = "2026-11-22"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    audits = tmp_path / "audits"
    (audits / "2026").mkdir(parents=True)
    shutil.copyfile(SOURCE, audits / "CFA-2026-0214.yaml")
    shutil.copyfile(SOURCE, audits / "2026" / "B.YAML")
    shutil.copyfile(SOURCE, audits / "c.yaml.txt")
    (audits / "notes.txt").write_text("not YAML at all\n", encoding="utf-8")
    (audits / ".hidden.YAML").write_text("", encoding="utf-8")
    return audits


def _note(folder: Path) -> str:
    return (
        "note: 2 files named like YAML were not read: only names ending in .yaml or .yml (in small "
        "letters) are read. If they are audits, rename them (Windows Notepad may have added .txt):\n"
        f"  - {folder / '2026' / 'B.YAML'}\n"
        f"  - {folder / 'c.yaml.txt'}\n"
    )


def test_expand_paths_lists_what_it_does_not_read(folder: Path) -> None:
    unread: list[Path] = []
    assert list(expand_paths([folder], unread=unread)) == [folder / "CFA-2026-0214.yaml"]
    assert unread == [folder / "2026" / "B.YAML", folder / "c.yaml.txt"]


def test_validate_names_them(folder: Path, cli: Callable[..., Run]) -> None:
    run = cli("validate", "--today", TODAY, folder)
    assert run.stderr == _note(folder)
    assert run.stdout == "Checked 1 file: no problems found.\n"


@pytest.mark.parametrize("command", ["summary", "escalations", "actions"])
def test_reports_name_them(command: str, folder: Path, cli: Callable[..., Run]) -> None:
    run = cli(command, "--audits", folder, "--today", TODAY, "-f", "json", expect=None)
    assert run.stderr.startswith(_note(folder))


def test_a_redacted_report_gives_only_how_many(folder: Path, cli: Callable[..., Run]) -> None:
    # A file's name can be an audit id or a child's name.
    run = cli("summary", "--audits", folder, "--today", TODAY, "-f", "json", "--redact")
    assert run.stderr == _note(folder).split("\n", 1)[0] + "\n"

"""conftest checks each distinct standards file once per test process and builds the command
line once (docs/design.md, "The test suite"): what a test is given must be what the real check
and the real build give, and a file or setting that differs must get a check of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DATA
from qaimpact.frameworks import registry
from qaimpact.frameworks.registry import bundled_dir

STANDARDS = DATA / "standards"
FILES = [
    bundled_dir() / "cafcass-qiam-2017.yaml",
    bundled_dir() / "ccc-practice-standards.yaml",
    STANDARDS / "valid" / "mini.yaml",
    STANDARDS / "warnings" / "QA510-too-many-kinds-to-check.yaml",
    next(iter(sorted((STANDARDS / "invalid").glob("*.yaml")))),
]


def _seen(result: tuple[object, list[object]]) -> tuple[object, ...]:
    framework, diagnostics = result
    if framework is None:
        return (None, diagnostics)
    return (framework.spec, framework.source, diagnostics)  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_standards_file_checked_again_is_what_the_check_gives(path: Path) -> None:
    # A first check may import a module, a global more: the one after it is checked again.
    registry.check_file(path)
    first, again = registry.check_file(path), registry.check_file(path)
    checked = registry.check_file.real(path)  # type: ignore[attr-defined]
    assert _seen(first) == _seen(again) == _seen(checked)
    # The second was replayed (the comparison is of a replay), as a list of its own.
    assert again[0] is first[0]
    assert again[1] is not first[1]


def test_a_standards_file_changed_in_place_is_checked_again(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    shutil.copy(STANDARDS / "valid" / "mini.yaml", path)
    framework, _ = registry.check_file(path)
    assert framework is not None
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), encoding="utf-8"
    )
    renamed, _ = registry.check_file(path)
    assert renamed is not None
    assert renamed.spec.title == f"Renamed {framework.spec.title}"


def test_a_setting_a_test_changes_gets_a_check_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    from qaimpact.grading import coverage

    path = STANDARDS / "valid" / "mini.yaml"
    assert [d.code for d in registry.check_file(path)[1]] == []
    monkeypatch.setattr(coverage, "MAX_CONDITIONS", 10)
    assert [d.code for d in registry.check_file(path)[1]] == ["QA510"]


def test_the_command_line_built_once_is_the_one_typer_builds() -> None:
    import typer.main
    import typer.testing

    from qaimpact.cli import app

    def shape(group: object) -> list[tuple[str, list[str]]]:
        commands = group.commands  # type: ignore[attr-defined]
        found = []
        for name, command in sorted(commands.items()):
            found.append((name, [p.name for p in command.params]))
            if hasattr(command, "commands"):
                found += [(f"{name} {n}", p) for n, p in shape(command)]
        return found

    shared = typer.testing._get_command(app)
    assert typer.testing._get_command(app) is shared
    assert shape(shared) == shape(typer.main.get_command(app))

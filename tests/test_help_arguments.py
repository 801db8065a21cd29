"""Every command's help names its arguments as their metavars say (``FILE...``, ``[ID]``), on
every typer release pyproject.toml allows: typer 0.29 added each argument's Python type to the
help (``FILE... <list[Path]>``, ``ID <str>``) and wrote ``{FILE...}...`` and ``[[ID]]`` in the
usage line, words that tell a QA manager nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer.main

from qaimpact.cli.app import app


def _commands() -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
        else:
            found.append(path)

    walk(typer.main.get_command(app), ())
    return found


@pytest.mark.parametrize(
    ("command", "usage", "argument"),
    [
        (
            ("grade",),
            "grade [OPTIONS] FILE...",
            "  FILE...  Audit files (or folders of them) to grade.  [required]",
        ),
        (
            ("schema",),
            "schema [OPTIONS] [ID]",
            "  [ID]  The framework's id or short name (see `qaimpact standards list`).",
        ),
        (
            ("explain",),
            "explain [OPTIONS] CODE",
            "  CODE  A diagnostic code (QA204) or name (invalid-rating).  [required]",
        ),
        (
            ("standards", "diff"),
            "standards diff [OPTIONS] A B",
            "  A  The older framework's id or short name.  [required]",
        ),
        (
            ("report",),
            "report [OPTIONS] [AUDIT]",
            "  [AUDIT]  One audit file: feedback for the practitioner.",
        ),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_the_help_names_an_argument_as_its_metavar(
    cli: Any, command: tuple[str, ...], usage: str, argument: str
) -> None:
    out = cli(*command, "--help").stdout
    assert out.splitlines()[0].endswith(f" {usage}")
    assert argument in out.splitlines()


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_no_help_shows_a_python_type(cli: Any, command: tuple[str, ...]) -> None:
    out = cli(*command, "--help").stdout
    assert not re.search(r"<(list\[|str>|path>|Path>|int>)", out), out
    assert "{" not in out.splitlines()[0]
    assert "[[" not in out.splitlines()[0]

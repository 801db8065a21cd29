"""The console script builds only the command it runs (``cli.app._only_the_command_named``).

typer builds every command's options before it runs one (40 ms a run for its 23 commands, a tenth of
a report's start; docs/performance.md). Giving the app only the command named first must change
nothing a user sees: each run here is compared, output and exit code, with the same run of the
app with every command, in a new process, as the console script runs.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from conftest import EXAMPLES

#: The module (``qaimpact.cli`` exports its ``app``, the typer app, under the same name).
cli_app = importlib.import_module("qaimpact.cli.app")

#: Runs ``run()`` as the console script does; with "whole" first, the app keeps every command.
PROBE = """
import contextlib, importlib, sys
app = importlib.import_module("qaimpact.cli.app")
if sys.argv.pop(1) == "whole":
    app._only_the_command_named = lambda args: contextlib.nullcontext()
sys.argv[0] = "qaimpact"
code = app.run()
print(f"exit {code}")
"""

AUDIT = str(EXAMPLES / "cafcass-qa-2026-0142.yaml")

CASES = [
    ["summary", "--help"],
    ["summary", "-h"],
    ["validate", AUDIT, "-f", "json"],
    ["grade", AUDIT],
    ["explain", "204"],
    ["standards", "list"],
    ["standards", "--help"],
    ["standards", "lst"],
    ["summary", "--bogus"],
    ["summary", "--team"],
    ["validate", "/no/such/folder"],
    ["sumary"],
    ["--version"],
    ["--help"],
    [],
    ["-h", "summary"],
    ["fmt", "--check", AUDIT],
]


def _run(mode: str, args: list[str]) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode, *args], capture_output=True, text=True, timeout=120, check=False
    )
    return done.stdout, done.stderr


@pytest.mark.parametrize("args", CASES, ids=lambda a: " ".join(a) or "(nothing)")
def test_a_command_built_alone_says_what_the_whole_app_says(args: list[str]) -> None:
    alone, whole = _run("alone", args), _run("whole", args)
    assert alone == whole
    assert "Traceback" not in alone[1]


@pytest.mark.parametrize(
    ("args", "built"),
    [
        (["summary", "--audits", "x"], (["summary"], [])),
        (["fmt", "a.yaml"], (["fmt"], [])),
        (["standards", "list"], ([], ["standards"])),
        (["sumary"], None),
        (["--help", "summary"], None),
        ([], None),
    ],
)
def test_only_the_command_named_first_is_built(
    args: list[str], built: tuple[list[str], list[str]] | None
) -> None:
    app = cli_app.app
    every = ([cli_app._name(c) for c in app.registered_commands], [g.name for g in app.registered_groups])
    with cli_app._only_the_command_named(args):
        inside = (
            [cli_app._name(c) for c in app.registered_commands],
            [g.name for g in app.registered_groups],
        )
    assert inside == (built or every)
    # Every command is back once it has run.
    assert (
        [cli_app._name(c) for c in app.registered_commands],
        [g.name for g in app.registered_groups],
    ) == every
    assert len(every[0]) > 15


def test_the_shell_s_completion_sees_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_QAIMPACT_COMPLETE", "complete_bash")
    with cli_app._only_the_command_named(["summary"]):
        assert len(cli_app.app.registered_commands) > 15

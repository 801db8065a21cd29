"""Command-line conventions CI systems and shells expect (issue 17, section 5): ``-h``, shell
completion, and colour under ``FORCE_COLOR`` and ``NO_COLOR``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from conftest import DATA, ROOT, TODAY

INVALID = DATA / "invalid" / "QA204-trailing-space.yaml"
RED_ERROR = "\x1b[1;31merror\x1b[0m"


@pytest.mark.parametrize(
    "args",
    [
        ["-h"],
        ["validate", "-h"],
        ["summary", "-h"],
        ["standards", "-h"],
        ["standards", "show", "-h"],
    ],
)
def test_dash_h_is_help(cli: Callable[..., Any], args: list[str]) -> None:
    short = cli(*args).stdout
    assert short == cli(*args[:-1], "--help").stdout
    assert short.startswith("Usage: qaimpact")
    assert "-h, --help" in short


def _complete(words: str, cword: int) -> list[str]:
    """What bash completion offers, asked of the installed console script as bash asks it."""
    env = {
        **os.environ,
        "_QAIMPACT_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
    }
    script = os.path.join(os.path.dirname(sys.executable), "qaimpact")
    done = subprocess.run([script], env=env, capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.mark.parametrize(
    ("words", "cword", "offered"),
    [
        ("qaimpact val", 1, ["validate"]),
        ("qaimpact es", 1, ["escalations"]),
        ("qaimpact validate --for", 2, ["--format", "--force"]),
        # --format's values, which qaimpact checks itself (tests/test_format_option.py).
        ("qaimpact validate --format j", 3, ["json", "junit"]),
        ("qaimpact summary -f ", 3, ["md", "html", "json", "csv", "xlsx"]),
        ("qaimpact standards sh", 2, ["show"]),
    ],
)
def test_shell_completion(words: str, cword: int, offered: list[str]) -> None:
    assert _complete(words, cword) == offered


def test_completion_can_be_shown_and_installed(cli: Callable[..., Any]) -> None:
    help_text = cli("--help").stdout
    assert "--install-completion" in help_text
    assert "--show-completion" in help_text


@pytest.mark.parametrize(
    ("env", "coloured", "escapes"),
    [
        ({}, False, False),
        ({"FORCE_COLOR": "1"}, True, True),
        ({"FORCE_COLOR": "true"}, True, True),
        # An empty FORCE_COLOR is as good as unset (https://force-color.org).
        ({"FORCE_COLOR": ""}, False, False),
        # NO_COLOR takes the colour away; the terminal's bold stays.
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, True),
    ],
)
def test_force_color_and_no_color(
    cli: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    coloured: bool,
    escapes: bool,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = cli("validate", "--today", TODAY.isoformat(), INVALID, expect=1).stdout
    assert (RED_ERROR in out) is coloured
    assert ("\x1b[" in out) is escapes
    if not escapes:
        assert out.startswith(f"{INVALID}:15:13: error QA204 'good ' is not a rating")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--version"], 0),
        (["summary", "--audits", "examples/service", "-f", "json"], 0),
        # 1: the escalation of the service's examples not raised yet.
        (["escalations", "--audits", "examples/service", "-f", "json"], 1),
        (["validate", "examples/service"], 0),
        (["validate", "does-not-exist.yaml"], 2),
    ],
)
def test_the_console_script_ends_with_the_commands_code_and_all_it_wrote(
    cli: Callable[..., Any], args: list[str], code: int
) -> None:
    # main() leaves without tearing the process down (docs/performance.md): what the command wrote
    # is still written whole, however large, and the exit code is the command's.
    args = [*args, "--today", TODAY.isoformat()] if args[0] != "--version" else args
    done = subprocess.run(
        [sys.executable, "-m", "qaimpact", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        # Buffered, as a pipe is unless PYTHONUNBUFFERED says otherwise: the end must still come out.
        env={
            **{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
            "NO_COLOR": "1",
            "COLUMNS": "100",
        },
        check=False,
    )
    same = cli(*args, expect=code)
    assert done.returncode == code
    assert done.stdout == same.stdout
    assert done.stderr == same.stderr


class _Failing:
    """A standard stream whose flush fails as ``error`` says."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def flush(self) -> None:
        raise self.error


@pytest.mark.parametrize(
    ("stdout", "code"),
    [
        (None, 1),  # closed before the process started: nothing to flush
        (_Failing(BrokenPipeError()), 1),  # the reader went away (`| head`): quietly, the command's code
        (_Failing(ValueError("I/O operation on closed file")), 1),
        # What was written never reached its file (a full disk): never the command's success.
        (_Failing(OSError(28, "No space left on device")), 2),
    ],
)
def test_the_output_is_flushed_before_the_process_ends(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stdout: Any, code: int
) -> None:
    from qaimpact.cli.app import flushed

    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "__stderr__", sys.stderr)
    assert flushed(1) == code
    said = capsys.readouterr().err
    if code == 2:
        assert said == (
            "error: the file system refused the output: No space left on device. Check the free "
            "space and where the output goes, and run the command again.\n"
        )
    else:
        assert said == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_report_that_cannot_be_written_does_not_end_as_written() -> None:
    # Buffered (a file, not a terminal), the JSON is written only as the process ends.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "qaimpact",
                "grade",
                "examples/cafcass-qa-2026-0142.yaml",
                "-f",
                "json",
                "--today",
                str(TODAY),
            ],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**env, "NO_COLOR": "1"},
            check=False,
        )
    assert done.returncode == 2
    assert "error: the file system refused the output: No space left on device." in done.stderr


def test_a_command_whose_standard_error_is_closed_ends_with_its_own_code() -> None:
    done = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -m qaimpact validate examples/service --today {TODAY} 2>&-'],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.endswith("Checked 130 files: 0 errors and 5 warnings in 4 files.\n")

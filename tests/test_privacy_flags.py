"""``--redact`` or ``--publish`` given to a command that takes neither is refused in plain words:
why the command has none, and which reports take them (docs/reports.md, "Flags by report"),
not click's "No such option: --redact (Possible options: --format)", whose suggestion had
nothing to do with names."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main

from conftest import EXAMPLES

SERVICE = EXAMPLES / "service"

TAIL = (
    "--redact replaces names and case ids with pseudonyms in a report: report, summary, quarterly, "
    "escalations, programme, impact, actions and moderation take it. --publish makes the version of "
    "the summary or the quarterly report to share outside the QA team."
)


def _commands() -> list[tuple[str, ...]]:
    """Every command of qaimpact (``("standards", "show")``) that takes neither flag."""
    from qaimpact.cli.app import app

    found: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
            return
        opts = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
        if not opts & {"--redact", "--publish"}:
            found.append(path)

    walk(typer.main.get_command(app), ())
    return found


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["sample", "--redact"],
            "error: --redact is not an option of qaimpact sample, which takes neither --redact nor "
            "--publish: the plan it writes is the QA team's working list of which case each auditor "
            "audits, never published, so keep it within the QA team. For the programme with a "
            "plan's names and case ids replaced, use `qaimpact programme PLAN.csv --redact`. " + TAIL,
        ),
        (
            ["sample", "--cases", SERVICE / "cases.csv", "--publish"],
            "error: --publish is not an option of qaimpact sample, which takes neither --redact nor "
            "--publish: the plan it writes is the QA team's working list of which case each auditor "
            "audits, never published, so keep it within the QA team. For the programme with a "
            "plan's names and case ids replaced, use `qaimpact programme PLAN.csv --redact`. " + TAIL,
        ),
        (
            ["validate", "--redact=yes", SERVICE],
            "error: --redact is not an option of qaimpact validate, which takes neither --redact nor "
            "--publish: it lists what is wrong in audit files, by file and line, for whoever puts them "
            "right, and is not a report to share. " + TAIL,
        ),
        (
            ["export", SERVICE, "--redact", "-o", "out.xlsx"],
            "error: --redact is not an option of qaimpact export, which takes neither --redact nor "
            "--publish: the spreadsheet it writes holds the audits themselves, for the QA team, and "
            "`qaimpact import` reads it back, real names included. " + TAIL,
        ),
        (
            ["standards", "show", "--no-redact", "ccc-practice-standards"],
            "error: --no-redact is not an option of qaimpact standards show, which takes neither "
            "--redact nor --publish: it reads the frameworks (standards files), which name no one. " + TAIL,
        ),
    ],
    ids=lambda v: " ".join(map(str, v)) if isinstance(v, list) else "",
)
def test_a_privacy_flag_a_command_does_not_take_is_explained(cli: Any, args: list[Any], message: str) -> None:
    run = cli(*args, expect=2)
    assert run.stderr.strip() == message
    assert run.stdout == ""


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
@pytest.mark.parametrize("flag", ["--redact", "--publish"])
def test_every_command_without_the_flags_says_so(cli: Any, command: tuple[str, ...], flag: str) -> None:
    run = cli(*command, flag, expect=2)
    name = " ".join(command)
    assert run.stderr.startswith(
        f"error: {flag} is not an option of qaimpact {name}, which takes neither --redact nor --publish: "
    )
    assert run.stderr.strip().endswith(TAIL)
    assert "No such option" not in run.stderr


def test_the_commands_without_the_flags_are_those_docs_list() -> None:
    # A new command falls to the "makes no report" reason until it is given its own.
    from qaimpact.cli import privacy_flags

    for command in _commands():
        name = " ".join(command)
        assert name in privacy_flags._WHY or name.startswith("standards "), name


def test_an_option_s_value_is_not_taken_for_a_flag(cli: Any) -> None:
    # Click gives the word after --seed to --seed, whatever it reads as.
    run = cli("sample", "--seed", "--redact", expect=2)
    assert "is not an option of" not in run.stderr


def test_a_command_that_takes_the_flag_is_unchanged(cli: Any) -> None:
    run = cli("report", "--publish", SERVICE, expect=2)
    assert run.stderr.startswith("error: --publish is for the summary and the quarterly report only")

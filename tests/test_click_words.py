"""The command line's own refusals, in plain words: what is wrong and how to write it, with an
example, exit 2, the same on every typer release allowed.

Regression: click's words reached the user after a usage line ("Missing argument 'FILE...'.",
"No such option: --formt (Possible options: --format)", "Option '--today' requires an
argument.", "No such command 'gradee'."): a parameter's name and no way out.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import EXAMPLES

AUDIT = str(EXAMPLES / "ccc-cfa-2026-0311.yaml")


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            ("grade",),
            "qaimpact grade needs FILE...: audit files (or folders of them) to grade. Add it, for "
            "example: qaimpact grade audits/",
        ),
        (
            ("explain",),
            "qaimpact explain needs CODE: a diagnostic code (QA204) or name (invalid-rating). Add it, "
            "for example: qaimpact explain QA317",
        ),
        (
            ("new",),
            "qaimpact new needs --standards ID: the framework's id or short name (see `qaimpact "
            "standards list`). Add it, for example: qaimpact new --standards Cafcass -o audit.yaml",
        ),
        (
            ("standards", "show"),
            "qaimpact standards show needs ID: the framework's id or short name (see `qaimpact "
            "standards list`). Add it, for example: qaimpact standards show Cafcass",
        ),
        (
            ("standards", "diff", "ccc"),
            "qaimpact standards diff needs B: the newer framework's id or short name. Add it, for "
            "example: qaimpact standards diff Cafcass CCC",
        ),
        (
            ("migrate", AUDIT),
            "qaimpact migrate needs --to ID: the framework to migrate the audits to, by its id or short "
            "name. Add it, for example: qaimpact migrate audits/ --to Cafcass",
        ),
        (
            ("sample",),
            "qaimpact sample needs --cases CASES.csv: the cases to choose from. Add it, for example: "
            "qaimpact sample --cases cases.csv --per-team 2",
        ),
    ],
    ids=lambda v: " ".join(v[:2]) if isinstance(v, tuple) else None,
)
def test_a_missing_argument_or_option_is_named_with_an_example(
    cli: Any, command: tuple[str, ...], message: str
) -> None:
    run = cli(*command, expect=2)
    assert run.stderr == f"error: {message}\n"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            ("validate", AUDIT, "--formt", "json"),
            "qaimpact validate has no option --formt. Did you mean --format or --force? `qaimpact validate "
            "-h` lists the options it takes.",
        ),
        (
            ("grade", AUDIT, "--colour"),
            "qaimpact grade has no option --colour. `qaimpact grade -h` lists the options it takes.",
        ),
        ("--nope", "qaimpact has no option --nope. `qaimpact -h` lists the options it takes."),
    ],
    ids=lambda v: " ".join(v[:1]) if isinstance(v, tuple) else None,
)
def test_an_option_a_command_does_not_have_is_named(cli: Any, command: Any, message: str) -> None:
    words = (command,) if isinstance(command, str) else command
    assert cli(*words, expect=2).stderr == f"error: {message}\n"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            ("grade", AUDIT, "--today"),
            "--today needs a value just after it (treat this date (YYYY-MM-DD) as today, for "
            "reproducible checks), and none was given. Write it as in --today DATE; `qaimpact grade -h` "
            "says what it takes.",
        ),
        (
            ("summary", "--audits"),
            "--audits needs a value just after it (folder of audits), and none was given. Write it as "
            "in --audits DIR; `qaimpact summary -h` says what it takes.",
        ),
        (
            ("grade", AUDIT, "--format"),
            "--format needs a value just after it (text or json), and none was given. Write it as in "
            "--format text; `qaimpact grade -h` says what it takes.",
        ),
        (
            ("validate", AUDIT, "--no-progress=yes"),
            "--no-progress is a switch: it takes no value. Write --no-progress alone, with nothing "
            "after '='.",
        ),
    ],
    ids=lambda v: " ".join(v[:1] + v[2:]) if isinstance(v, tuple) else None,
)
def test_an_option_written_without_its_value_says_how_to_write_it(
    cli: Any, command: tuple[str, ...], message: str
) -> None:
    assert cli(*command, expect=2).stderr == f"error: {message}\n"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            ("gradee",),
            "qaimpact has no command 'gradee'. Did you mean grade or migrate? `qaimpact -h` lists its "
            "commands.",
        ),
        (
            ("standards", "shw"),
            "qaimpact standards has no command 'shw'. Did you mean show? `qaimpact standards -h` lists "
            "its commands.",
        ),
        (("audit",), "qaimpact has no command 'audit'. `qaimpact -h` lists its commands."),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_a_command_that_does_not_exist_is_named(cli: Any, command: tuple[str, ...], message: str) -> None:
    assert cli(*command, expect=2).stderr == f"error: {message}\n"


@pytest.mark.parametrize("command", [(), ("standards",)], ids=["qaimpact", "standards"])
def test_a_group_given_nothing_still_shows_its_help(cli: Any, command: tuple[str, ...]) -> None:
    run = cli(*command, expect=None)
    assert run.exit_code in (0, 2)
    assert "Usage:" in run.stdout + run.stderr
    assert "error:" not in run.stderr


def _every_param() -> list[tuple[str, Any]]:
    import typer.main

    from qaimpact.cli import app

    found: list[tuple[str, Any]] = []

    def walk(command: Any, name: str) -> None:
        # A group by what it has: typer may bring its own click, whose classes are not click's.
        found.extend((f"{name} {p.name}", p) for p in command.params)
        for sub_name, sub in (getattr(command, "commands", None) or {}).items():
            walk(sub, f"{name} {sub_name}")

    walk(typer.main.get_command(app), "qaimpact")
    return found


@pytest.mark.parametrize(("name", "param"), _every_param(), ids=lambda v: v if isinstance(v, str) else "")
def test_what_a_parameter_holds_is_a_whole_clause(name: str, param: Any) -> None:
    # Regression: "--state needs a value just after it (list only escalations in this state
    # (repeatable), and none was given": the help's aside in brackets was cut in two.
    from qaimpact.cli.arguments import _what

    what = _what(param)
    assert what.count("(") == what.count(")"), f"{name}: {what}"
    assert not what.endswith((",", ":", ";", " e.g")), f"{name}: {what}"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("escalations", "--audits", str(EXAMPLES), "--state"),
            "error: --state needs a value just after it (list only escalations in this state), and none "
            "was given. Write it as in --state STATE; `qaimpact escalations -h` says what it takes.",
        ),
        (
            ("serve", "--port"),
            "error: --port needs a value just after it (the port to listen on), and none was given. "
            "Write it as in --port N; `qaimpact serve -h` says what it takes.",
        ),
    ],
)
def test_an_aside_in_the_help_is_left_out(args: tuple[str, ...], said: str, cli: Any) -> None:
    run = cli(*args, expect=2)
    assert said in (run.stdout + run.stderr).splitlines()


@pytest.mark.parametrize(
    ("shorts", "named"),
    [
        (["CCC", "Cafcass"], "CCC"),
        (["North Team", "Cafcass"], "'North Team'"),  # a space: quoted, so the command works
        (["CCC", "CCC"], "fw-0"),  # two share it: the command would refuse it, so the id
    ],
)
def test_the_example_names_a_framework_the_command_takes(
    shorts: list[str], named: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from qaimpact.cli import arguments, options

    frameworks = [SimpleNamespace(id=f"fw-{n}", short_title=short) for n, short in enumerate(shorts)]
    registry = SimpleNamespace(frameworks=lambda: frameworks)
    monkeypatch.setattr(options, "load_registry", lambda _: registry)
    example = arguments._example("qaimpact new")
    assert example is not None
    assert f"--standards {named} " in example

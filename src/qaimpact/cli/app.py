"""The ``qaimpact`` application: the typer apps and every command, in the order ``--help`` lists them.

Each command lives in the module of its group (:mod:`.validate`, :mod:`.grade`,
:mod:`.standards`, :mod:`.reports`, :mod:`.cycle`, :mod:`.sample`, :mod:`.authoring`,
:mod:`.importing`, :mod:`.serve`), wrapped in the one error handler (:mod:`.errors`), with shared
options from :mod:`.options`. Commands import their machinery lazily so that ``qaimpact --help``
and ``validate`` start fast. A new command is a function in one of those modules and one line
below.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, NoReturn

import typer

from qaimpact import __version__
from qaimpact.cli import (
    arguments,
    authoring,
    cycle,
    exitcodes,
    grade,
    importing,
    reports,
    sample,
    serve,
    standards,
    validate,
)

app = typer.Typer(
    name="qaimpact",
    help="Grade social-care case-file audits against their quality standards, and check them.",
    epilog=exitcodes.HELP,
    no_args_is_help=True,
    # `qaimpact --install-completion` (bash, zsh, fish, PowerShell) and `--show-completion`.
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    # -h as well as --help, as most command-line tools accept; subcommands inherit it.
    context_settings={"help_option_names": ["-h", "--help"]},
    # Refuses a command or an option it does not have in plain words.
    cls=arguments.Group,
)
standards_app = typer.Typer(
    help="List, show and check frameworks (standards files).",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=arguments.Group,
)
app.add_typer(standards_app, name="standards")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qaimpact {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Grade social-care case-file audits against their quality standards, and check them."""


def _command(group: typer.Typer, function: Any, name: str | None = None) -> None:
    """Register ``function`` as a command of ``group``, as every command is: of the one command
    class that names a word on no option, and how to write it (:mod:`.arguments`)."""
    group.command(name, cls=arguments.Command)(function)


# Every command, in the order `qaimpact --help` lists them (the order they are registered).
_command(app, grade.grade)
_command(app, validate.validate)
_command(app, reports.report)
_command(app, reports.summary)
_command(app, reports.quarterly)
_command(app, cycle.escalations)
_command(app, sample.sample)
_command(app, cycle.programme)
_command(app, cycle.impact)
_command(app, cycle.actions)
_command(app, cycle.moderation)
_command(app, authoring.new)
_command(app, authoring.fmt_command, "fmt")
_command(app, authoring.migrate)
_command(app, importing.import_command, "import")
_command(app, importing.export)
_command(app, authoring.schema)
_command(app, serve.serve)
_command(app, validate.explain)
_command(standards_app, standards.standards_list, "list")
_command(standards_app, standards.standards_show, "show")
_command(standards_app, standards.standards_diff, "diff")
_command(standards_app, standards.standards_check, "check")


@contextlib.contextmanager
def _only_the_command_named(args: Sequence[str]) -> Iterator[None]:
    """Give :data:`app` only the command (or group) named first in ``args``, while it runs.

    typer builds every command's options before it runs one: 40 ms of every run for the 23
    commands, a tenth of a report's start. Where the first word names no command (an option such
    as ``--version``, ``--help``, or a misspelling the app suggests a command for), or the shell
    asks for completions, the app keeps every command.
    """
    commands, groups = app.registered_commands, app.registered_groups
    name = args[0] if args else None
    chosen = [c for c in commands if _name(c) == name]
    named_groups = [g for g in groups if g.name == name]
    if not (chosen or named_groups) or _COMPLETION in os.environ:
        yield
        return
    app.registered_commands, app.registered_groups = chosen, named_groups
    try:
        yield
    finally:
        app.registered_commands, app.registered_groups = commands, groups


#: The variable typer's shell completion sets (``_{PROG_NAME}_COMPLETE``).
_COMPLETION = "_QAIMPACT_COMPLETE"


def _name(command: Any) -> str | None:
    """The name a command is run by: its own, else its function's, by typer's own rule."""
    if command.name:
        return str(command.name)
    callback = command.callback
    return typer.main.get_command_name(callback.__name__) if callback is not None else None


def run() -> int:
    """Run the command the process was started with, and return its exit code (see :func:`main`)."""
    try:
        with _only_the_command_named(sys.argv[1:]):
            app()
    except SystemExit as exc:
        # click ends every run with SystemExit: its code is an int, None (0) or a message (1).
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1  # as Python exits for sys.exit("a message")
    return exitcodes.OK


def main() -> NoReturn:
    """Entry point of the ``qaimpact`` console script: run the command, then leave at once.

    A report over 10,000 audits ends holding millions of objects; an ordinary exit frees them one
    by one and collects them once more, a fifth of a second on one core after the report is
    written (docs/performance.md). Everything a command writes is written and closed before
    :func:`run` returns, so this flushes the standard streams and ends the process without
    that teardown, as mypy does (``util.hard_exit``); the audits a command read are kept until
    then (:func:`~qaimpact.cli.outcome.keep_until_exit`), not freed as it returns. Tests call
    :data:`app` (or :func:`run`), which end as usual.
    """
    from qaimpact.cli.outcome import keep_until_exit

    keep_until_exit()
    code = run()
    os._exit(flushed(code))


def flushed(code: int) -> int:
    """Flush standard output and standard error before the process ends, and return ``code``, or
    :data:`~qaimpact.cli.exitcodes.USAGE` where what was written could not be (a full disk, a
    quota), said on standard error as any file the system refuses is: a report that never
    reached its file must not end as if it had."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # closed before the process started (`2>&-`)
            continue
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            # The reader went away (`| head`), or the stream was closed: as errors.handle_errors
            # does, stop quietly with the command's own code.
            continue
        except OSError as exc:
            err = sys.__stderr__
            # Standard error itself may be what fails: then the exit code alone says it.
            with contextlib.suppress(Exception):
                if err is not None:
                    print(
                        f"error: the file system refused the output: {exc.strerror or exc}. Check "
                        "the free space and where the output goes, and run the command again.",
                        file=err,
                        flush=True,
                    )
            return exitcodes.USAGE
    return code

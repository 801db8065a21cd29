"""The ``qaimpact`` application: the typer apps and every command, in the order ``--help`` lists them.

Each command lives in the module of its group (:mod:`.validate`, :mod:`.grade`,
:mod:`.standards`, :mod:`.reports`, :mod:`.cycle`, :mod:`.sample`, :mod:`.authoring`,
:mod:`.importing`, :mod:`.serve`), wrapped in the one error handler (:mod:`.errors`), with shared
options from :mod:`.options`. Commands import their machinery lazily so that ``qaimpact --help``
and ``validate`` start fast. A new command is a function in one of those modules and one line
below.
"""

from __future__ import annotations

from typing import Annotated

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
)
standards_app = typer.Typer(
    help="List, show and check frameworks (standards files).",
    no_args_is_help=True,
    rich_markup_mode=None,
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


# Every command, in the order `qaimpact --help` lists them (the order they are registered).
app.command(cls=arguments.Command)(grade.grade)
app.command(cls=arguments.Command)(validate.validate)
app.command(cls=arguments.Command)(reports.report)
app.command(cls=arguments.Command)(reports.summary)
app.command(cls=arguments.Command)(reports.quarterly)
app.command(cls=arguments.Command)(cycle.escalations)
app.command(cls=arguments.Command)(sample.sample)
app.command(cls=arguments.Command)(cycle.programme)
app.command(cls=arguments.Command)(cycle.impact)
app.command(cls=arguments.Command)(cycle.actions)
app.command(cls=arguments.Command)(cycle.moderation)
app.command(cls=arguments.Command)(authoring.new)
app.command("fmt", cls=arguments.Command)(authoring.fmt_command)
app.command(cls=arguments.Command)(authoring.migrate)
app.command("import", cls=arguments.Command)(importing.import_command)
app.command(cls=arguments.Command)(importing.export)
app.command(cls=arguments.Command)(authoring.schema)
app.command(cls=arguments.Command)(serve.serve)
app.command(cls=arguments.Command)(validate.explain)
standards_app.command("list", cls=arguments.Command)(standards.standards_list)
standards_app.command("show", cls=arguments.Command)(standards.standards_show)
standards_app.command("diff", cls=arguments.Command)(standards.standards_diff)
standards_app.command("check", cls=arguments.Command)(standards.standards_check)


def main() -> None:
    """Entry point of the ``qaimpact`` console script."""
    app()

"""The ``qaimpact`` command line: parse options, call the core, print, exit with a documented code.

The exit codes are in :mod:`qaimpact.exitcodes` (and ``docs/exit-codes.md``). Commands import
their machinery lazily so that ``qaimpact --help`` and ``validate`` start fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from qaimpact import __version__, exitcodes
from qaimpact.errors import QaImpactError, StandardsError, UsageError

app = typer.Typer(
    name="qaimpact",
    help="Grade social-care case-file audits against their quality standards, and check them.",
    epilog=exitcodes.HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
standards_app = typer.Typer(
    help="List, show and check frameworks (standards files).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(standards_app, name="standards")

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn every exception into a plain message and an exit code: never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from qaimpact import console

        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except StandardsError as exc:
            console.print_problem(console.stderr(), str(exc), exc.diagnostics)
            raise typer.Exit(exitcodes.STANDARDS) from None
        except QaImpactError as exc:
            console.print_problem(console.stderr(), str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            console.print_problem(console.stderr(), "interrupted.")
            raise typer.Exit(exitcodes.INTERRUPTED) from None
        except Exception as exc:
            if os.environ.get("QAIMPACT_DEBUG"):
                raise
            console.print_problem(
                console.stderr(),
                f"qaimpact hit an internal error ({exc.__class__.__name__}: {exc}). This is a bug "
                "in qaimpact, not in your files. Run again with QAIMPACT_DEBUG=1 to see the details, "
                "and report them.",
            )
            raise typer.Exit(exitcodes.INTERNAL) from None

    return wrapper  # type: ignore[return-value]


class TextOrJson(StrEnum):
    """Output formats of ``grade`` and ``validate``."""

    text = "text"
    json = "json"


StandardsDirs = Annotated[
    list[Path] | None,
    typer.Option(
        "--standards",
        help="A folder of standards files (or one file) to search before the bundled frameworks. "
        "Repeatable. Also read from QAIMPACT_STANDARDS_PATH.",
        metavar="DIR",
    ),
]
Today = Annotated[
    str | None,
    typer.Option(help="Treat this date (YYYY-MM-DD) as today, for reproducible checks.", metavar="DATE"),
]
MaxSize = Annotated[
    int,
    typer.Option("--max-file-size", help="Refuse files larger than this many bytes.", min=1),
]


def _today(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today '{value}' is not a date: write it as YYYY-MM-DD.") from None


def _registry(dirs: list[Path] | None) -> Any:
    from qaimpact.standards import Registry

    return Registry.default(dirs or [])


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


@app.command()
@handle_errors
def grade(
    files: Annotated[
        list[Path],
        typer.Argument(help="Audit files (or folders of them) to grade.", metavar="FILE..."),
    ],
    output_format: Annotated[
        TextOrJson, typer.Option("--format", "-f", help="text or json.")
    ] = TextOrJson.text,
    standards: StandardsDirs = None,
    today: Today = None,
    max_file_size: MaxSize = 1024 * 1024,
) -> None:
    """Grade audits: the grade, why, and what would lift it to the next grade."""
    from qaimpact import console
    from qaimpact.checker import CheckOptions, check_audit, expand_paths
    from qaimpact.reports import grades

    registry = _registry(standards)
    options = CheckOptions(today=_today(today), max_file_size=max_file_size, with_lift=True, keep_data=True)
    checks = [check_audit(p, registry, options) for p in expand_paths(files)]
    if not checks:
        raise UsageError("No audit files (*.yaml, *.yml) found in the paths given.")
    if output_format is TextOrJson.json:
        sys.stdout.write(grades.render_json(checks))
    else:
        console.print_grades(console.stdout(), checks)
    raise typer.Exit(exitcodes.OK if all(c.valid for c in checks) else exitcodes.INVALID)


@app.command()
@handle_errors
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Audit files or folders (searched recursively).", metavar="PATH..."),
    ],
    output_format: Annotated[
        TextOrJson, typer.Option("--format", "-f", help="text or json.")
    ] = TextOrJson.text,
    strict: Annotated[bool, typer.Option(help="Fail on warnings too.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing when every file is clean.")
    ] = False,
    standards: StandardsDirs = None,
    today: Today = None,
    max_file_size: MaxSize = 1024 * 1024,
) -> None:
    """Check audit files and report every problem at file:line:column."""
    from qaimpact import console
    from qaimpact.checker import CheckOptions, check_audit, expand_paths
    from qaimpact.reports.diagnostics import RENDERERS

    registry = _registry(standards)
    options = CheckOptions(today=_today(today), max_file_size=max_file_size)
    checks = [check_audit(p, registry, options) for p in expand_paths(paths)]
    if not checks:
        raise UsageError("No audit files (*.yaml, *.yml) found in the paths given.")
    if output_format is TextOrJson.text:
        console.print_diagnostics(console.stdout(), checks, quiet=quiet)
    else:
        sys.stdout.write(RENDERERS[output_format.value](checks))
    failed = any(c.errors for c in checks) or (strict and any(c.warnings for c in checks))
    raise typer.Exit(exitcodes.INVALID if failed else exitcodes.OK)


@standards_app.command("list")
@handle_errors
def standards_list(standards: StandardsDirs = None) -> None:
    """List the frameworks that audits can use."""
    from qaimpact import console

    registry = _registry(standards)
    frameworks = registry.frameworks()
    console.print_standards_list(console.stdout(), frameworks, registry.shadowed)
    broken = [p for p, fw, _ in registry.entries() if fw is None]
    if broken:
        console.print_problem(
            console.stderr(),
            "these standards files have errors and are not listed: "
            + ", ".join(map(str, broken))
            + " (see qaimpact standards check).",
        )
        raise typer.Exit(exitcodes.STANDARDS)


@standards_app.command("show")
@handle_errors
def standards_show(
    framework_id: Annotated[
        str, typer.Argument(help="The framework id (see `qaimpact standards list`).", metavar="ID")
    ],
    standards: StandardsDirs = None,
) -> None:
    """Show a framework: its grades, ratings, standards with descriptors, and threshold rules."""
    from qaimpact import console

    registry = _registry(standards)
    framework = registry.get(framework_id)
    if framework is None:
        guess = registry.closest(framework_id)
        raise UsageError(
            f"Unknown framework '{framework_id}'."
            + (f" Did you mean '{guess}'?" if guess else "")
            + f" Known frameworks: {', '.join(registry.ids())}."
        )
    console.show_framework(console.stdout(), framework)


@standards_app.command("check")
@handle_errors
def standards_check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Standards files to check (default: every framework on the search path).",
            metavar="[FILE...]",
        ),
    ] = None,
    standards: StandardsDirs = None,
) -> None:
    """Check standards files: their format, unique ids and every reference in their rules."""
    from qaimpact import console
    from qaimpact.standards import check_file

    if files:
        missing = [f for f in files if not f.exists()]
        if missing:
            raise UsageError(f"'{missing[0]}' does not exist.")
        entries = [(f, *check_file(f)) for f in files]
    else:
        entries = _registry(standards).entries()
    console.print_standards_check(console.stdout(), entries)
    if any(fw is None or any(d.is_error for d in diags) for _, fw, diags in entries):
        raise typer.Exit(exitcodes.STANDARDS)


@app.command()
@handle_errors
def explain(
    code: Annotated[str, typer.Argument(help="A diagnostic code (QA204) or name (invalid-rating).")],
) -> None:
    """Explain a diagnostic code: what it means and an example that triggers it."""
    from qaimpact import codes, console

    try:
        entry = codes.get(code)
    except KeyError:
        raise UsageError(f"Unknown code '{code}'. Codes are listed in docs/diagnostics.md.") from None
    console.print_code(console.stdout(), entry)


def main() -> None:
    """Entry point of the ``qaimpact`` console script."""
    app()

"""The ``qaimpact`` command line: parse options, call the core, print, exit with a documented code.

The exit codes are in :mod:`qaimpact.exitcodes` (and ``docs/exit-codes.md``). Commands import
their machinery lazily so that ``qaimpact --help`` and ``validate`` start fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import sys
from collections.abc import Callable, Iterator
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
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except StandardsError as exc:
            from qaimpact import console

            console.print_problem(console.stderr(), str(exc), exc.diagnostics)
            raise typer.Exit(exitcodes.STANDARDS) from None
        except QaImpactError as exc:
            from qaimpact import console

            console.print_problem(console.stderr(), str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            from qaimpact import console

            console.print_problem(console.stderr(), "interrupted.")
            raise typer.Exit(exitcodes.INTERRUPTED) from None
        except Exception as exc:
            if os.environ.get("QAIMPACT_DEBUG"):
                raise
            from qaimpact import console

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


class OutputFormat(StrEnum):
    """Output formats of ``validate``."""

    text = "text"
    json = "json"
    junit = "junit"
    sarif = "sarif"
    github = "github"


@app.command()
@handle_errors
def validate(
    paths: Annotated[
        list[Path], typer.Argument(help="Audit files or folders (searched recursively).", metavar="PATH...")
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="text, json, junit (JUnit XML), sarif (SARIF 2.1.0) or github."),
    ] = OutputFormat.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report to FILE; text still goes to the terminal.",
            metavar="FILE",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option(help="Fail on warnings too.")] = False,
    max_warnings: Annotated[
        int | None,
        typer.Option(help="Fail when there are more than N warnings in all.", metavar="N", min=0),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Processes to use; 0 means one per core.", min=0)
    ] = 0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing when every file is clean.")
    ] = False,
    progress: Annotated[
        bool, typer.Option(help="Show a progress bar on a terminal for long runs (never in CI).")
    ] = True,
    standards: StandardsDirs = None,
    today: Today = None,
    max_file_size: MaxSize = 1024 * 1024,
) -> None:
    """Check audit files and report every problem at file:line:column."""
    import time

    from qaimpact.batch import BatchOptions, check_many
    from qaimpact.checker import AuditCheck, CheckOptions, expand_paths
    from qaimpact.reports import diagnostics as render

    files = list(expand_paths(paths))
    if not files:
        raise UsageError("No audit files (*.yaml, *.yml) found in the paths given.")
    if output is not None:
        _check_output_path(output, files)
    registry = _registry(standards)
    options = BatchOptions(CheckOptions(today=_today(today), max_file_size=max_file_size), jobs=jobs)
    # Text goes to the terminal as results arrive; other formats are rendered at the end.
    stream_text = output_format is OutputFormat.text or output is not None
    sink = _TextSink(quiet=quiet) if stream_text else None
    started = time.perf_counter()
    checks: list[AuditCheck] = []
    with _progress(len(files), enabled=progress) as advance:
        for check in check_many(files, registry, options):
            checks.append(check)
            if sink is not None:
                sink.check(check)
            advance()
    info = render.RunInfo(fail_on_warnings=strict, elapsed=time.perf_counter() - started)
    if sink is not None:
        sink.summary(checks)
    report = (
        None
        if output_format is OutputFormat.text and output is None
        else render.RENDERERS[output_format.value](checks, info)
    )
    if output is not None and report is not None:
        from qaimpact.fileio import write_atomic

        write_atomic(output, report)
    elif report is not None:
        sys.stdout.write(report)
    warnings = sum(c.warnings for c in checks)
    failed = any(info.fails(c) for c in checks)
    if max_warnings is not None and warnings > max_warnings:
        from qaimpact import console

        console.print_problem(
            console.stderr(), f"{warnings} warnings, more than --max-warnings {max_warnings}."
        )
        failed = True
    raise typer.Exit(exitcodes.INVALID if failed else exitcodes.OK)


def _check_output_path(output: Path, files: list[Path]) -> None:
    if output.is_dir():
        raise UsageError(f"--output '{output}' is a folder; give a file name.")
    target = output.resolve()
    if any(f.resolve() == target for f in files):
        raise UsageError(f"--output '{output}' is one of the audits being checked; choose another file.")
    if not output.parent.resolve().is_dir():
        raise UsageError(f"--output '{output}': the folder '{output.parent}' does not exist.")


class _TextSink:
    """Prints findings as they arrive: coloured through rich on a terminal, plain otherwise."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.rich = sys.stdout.isatty()
        if self.rich:
            from qaimpact import console

            self._console = console.stdout()

    def check(self, check: Any) -> None:
        if not check.diagnostics:
            return
        if self.rich:
            from qaimpact import console

            console.print_check(self._console, check)
        else:
            from qaimpact.reports.diagnostics import text_lines

            sys.stdout.write("\n".join(text_lines(check)) + "\n")

    def summary(self, checks: list[Any]) -> None:
        from qaimpact.reports.diagnostics import summary_line

        if self.quiet and not any(c.diagnostics for c in checks):
            return
        if self.rich:
            from qaimpact import console

            console.print_summary(self._console, checks)
        else:
            sys.stdout.write(summary_line(checks) + "\n")


@contextlib.contextmanager
def _progress(total: int, *, enabled: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on standard error for long runs on a terminal; nothing in CI or a pipe."""
    if not enabled or total < 200 or os.environ.get("CI") or not sys.stderr.isatty():
        yield lambda: None
        return
    from qaimpact import console

    with console.progress(total) as advance:
        yield advance


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
        raise UsageError(_unknown_framework(registry, framework_id))
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
def schema(
    framework_id: Annotated[
        str, typer.Argument(help="The framework id (see `qaimpact standards list`).", metavar="ID")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the schema to FILE.", metavar="FILE")
    ] = None,
    standards: StandardsDirs = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of audit files of a framework, for editors and other tools."""
    import json

    from qaimpact.schema import audit_schema

    registry = _registry(standards)
    framework = registry.get(framework_id)
    if framework is None:
        raise UsageError(_unknown_framework(registry, framework_id))
    text = json.dumps(audit_schema(framework), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        from qaimpact.fileio import write_atomic

        write_atomic(output, text)


def _unknown_framework(registry: Any, framework_id: str) -> str:
    guess = registry.closest(framework_id)
    return (
        f"Unknown framework '{framework_id}'."
        + (f" Did you mean '{guess}'?" if guess else "")
        + f" Known frameworks: {', '.join(registry.ids())}."
    )


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

"""``qaimpact validate`` (every problem at file:line:col, in five formats) and ``qaimpact explain``."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from qaimpact.base.errors import UsageError
from qaimpact.cli.errors import handle_errors
from qaimpact.cli.options import (
    MaxSize,
    StandardsDirs,
    Today,
    load_registry,
    resolve_today,
)
from qaimpact.cli.output import check_output_path


class OutputFormat(StrEnum):
    """Output formats of ``validate``."""

    text = "text"
    json = "json"
    junit = "junit"
    sarif = "sarif"
    github = "github"


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
    force: Annotated[bool, typer.Option(help="Replace the --output file if it exists.")] = False,
    standards: StandardsDirs = None,
    today: Today = None,
    max_file_size: MaxSize = 1024 * 1024,
) -> None:
    """Check audit files and report every problem at file:line:column."""
    import time

    from qaimpact.audits.batch import BatchOptions, check_many
    from qaimpact.audits.checker import AuditCheck, CheckOptions, expand_paths
    from qaimpact.reports import validation as render

    files = list(expand_paths(paths))
    if not files:
        raise UsageError("No audit files (*.yaml, *.yml) found in the paths given.")
    if output is not None:
        check_output_path(output, files, force=force)
    registry = load_registry(standards)
    options = BatchOptions(CheckOptions(today=resolve_today(today), max_file_size=max_file_size), jobs=jobs)
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
        from qaimpact.cli.output import write_output

        write_output(output, report, force=force)
    elif report is not None:
        from qaimpact.cli.output import write_document

        write_document(report)
    warnings = sum(c.warnings for c in checks)
    failed = any(info.fails(c) for c in checks)
    if max_warnings is not None and warnings > max_warnings:
        from qaimpact.cli import console

        console.print_problem(
            console.stderr(), f"{warnings} warnings, more than --max-warnings {max_warnings}."
        )
        failed = True
    from qaimpact.cli.outcome import finish

    finish(registry, failed=failed)


class _TextSink:
    """Prints findings as they arrive: coloured through rich on a terminal, plain otherwise."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.rich = sys.stdout.isatty()
        if self.rich:
            from qaimpact.cli import console

            self._console = console.stdout()

    def check(self, check: Any) -> None:
        if not check.diagnostics:
            return
        if self.rich:
            from qaimpact.cli import console

            console.print_check(self._console, check)
        else:
            from qaimpact.reports.validation import text_lines

            sys.stdout.write("\n".join(text_lines(check)) + "\n")

    def summary(self, checks: list[Any]) -> None:
        from qaimpact.reports.validation import summary_line

        if self.quiet and not any(c.diagnostics for c in checks):
            return
        if self.rich:
            from qaimpact.cli import console

            console.print_summary(self._console, checks)
        else:
            sys.stdout.write(summary_line(checks) + "\n")


@contextlib.contextmanager
def _progress(total: int, *, enabled: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on standard error for long runs on a terminal; nothing in CI or a pipe."""
    if not enabled or total < 200 or os.environ.get("CI") or not sys.stderr.isatty():
        yield lambda: None
        return
    from qaimpact.cli import console

    with console.progress(total) as advance:
        yield advance


@handle_errors
def explain(
    code: Annotated[str, typer.Argument(help="A diagnostic code (QA204) or name (invalid-rating).")],
) -> None:
    """Explain a diagnostic code: what it means and an example that triggers it."""
    from qaimpact.base import codes
    from qaimpact.cli import console

    try:
        entry = codes.get(code)
    except KeyError:
        raise UsageError(f"Unknown code '{code}'. Codes are listed in docs/diagnostics.md.") from None
    console.print_code(console.stdout(), entry)

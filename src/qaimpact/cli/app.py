"""The ``qaimpact`` command line: parse options, call the core, print, exit with a documented code.

The exit codes are in :mod:`qaimpact.cli.exitcodes` (and ``docs/exit-codes.md``). Commands import
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

from qaimpact import __version__
from qaimpact.base.errors import QaImpactError, StandardsError, UsageError
from qaimpact.cli import exitcodes

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
            from qaimpact.cli import console

            console.print_problem(console.stderr(), str(exc), exc.diagnostics)
            raise typer.Exit(exitcodes.STANDARDS) from None
        except QaImpactError as exc:
            from qaimpact.cli import console

            console.print_problem(console.stderr(), str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            from qaimpact.cli import console

            console.print_problem(console.stderr(), "interrupted.")
            raise typer.Exit(exitcodes.INTERRUPTED) from None
        except BrokenPipeError:
            # The reader went away (`qaimpact summary | head`): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(exitcodes.OK) from None
        except OSError as exc:
            from qaimpact.cli import console

            where = f" '{exc.filename}'" if exc.filename else ""
            console.print_problem(
                console.stderr(),
                f"the file system refused{where}: {exc.strerror or exc}. Nothing else was changed; "
                "check the path, its permissions and the free space.",
            )
            raise typer.Exit(exitcodes.USAGE) from None
        except Exception as exc:
            if os.environ.get("QAIMPACT_DEBUG"):
                raise
            from qaimpact.cli import console

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
    return _date_option(value, "--today") or dt.date.today()


def _registry(dirs: list[Path] | None, *, check: bool = True) -> Any:
    from qaimpact.frameworks.registry import Registry

    registry = Registry.default(dirs or [])
    if check:
        registry.ensure_valid()
    return registry


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
    from qaimpact.audits.checker import CheckOptions, check_audit, expand_paths
    from qaimpact.cli import console
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
        _check_output_path(output, files, force=force)
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
        from qaimpact.base.fileio import write_atomic

        write_atomic(output, report)
    elif report is not None:
        sys.stdout.write(report)
    warnings = sum(c.warnings for c in checks)
    failed = any(info.fails(c) for c in checks)
    if max_warnings is not None and warnings > max_warnings:
        from qaimpact.cli import console

        console.print_problem(
            console.stderr(), f"{warnings} warnings, more than --max-warnings {max_warnings}."
        )
        failed = True
    raise typer.Exit(exitcodes.INVALID if failed else exitcodes.OK)


def _check_output_path(output: Path, inputs: list[Path], *, force: bool = False) -> None:
    """Refuse any --output that could destroy a user's file: an audit, any YAML file, a folder,
    or an existing file (unless --force)."""
    if output.is_dir():
        raise UsageError(f"--output '{output}' is a folder; give a file name.")
    if not output.parent.resolve().is_dir():
        raise UsageError(f"--output '{output}': the folder '{output.parent}' does not exist.")
    target = output.resolve()
    if any(f.resolve() == target for f in inputs):
        raise UsageError(f"--output '{output}' is one of the files being read; choose another file.")
    if output.suffix.lower() in (".yaml", ".yml"):
        raise UsageError(f"--output '{output}' would write a report over a YAML file; choose another name.")
    from qaimpact.base.fileio import is_special

    # Devices and pipes (/dev/null, /dev/stdout) are not files anyone could lose.
    if output.is_file() and not is_special(output) and not force:
        raise UsageError(
            f"--output '{output}' already exists; choose another name, or add --force to replace it."
        )


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


@standards_app.command("list")
@handle_errors
def standards_list(standards: StandardsDirs = None) -> None:
    """List the frameworks that audits can use."""
    from qaimpact.cli import console

    registry = _registry(standards, check=False)
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
    from qaimpact.cli import console

    registry = _registry(standards, check=False)
    framework = registry.get(framework_id)
    if framework is None:
        raise UsageError(_unknown_framework(registry, framework_id))
    console.show_framework(console.stdout(), framework)


@standards_app.command("diff")
@handle_errors
def standards_diff(
    old: Annotated[str, typer.Argument(help="The older framework id.", metavar="A")],
    new_id: Annotated[str, typer.Argument(help="The newer framework id.", metavar="B")],
    output_format: Annotated[
        TextOrJson, typer.Option("--format", "-f", help="text or json.")
    ] = TextOrJson.text,
    standards: StandardsDirs = None,
) -> None:
    """Show what changed from framework A to framework B (renames come from B's migrations)."""
    import json

    from qaimpact.frameworks.diff import diff_frameworks
    from qaimpact.reports.standards_diff import render_text

    registry = _registry(standards)
    frameworks = []
    for ident in (old, new_id):
        framework = registry.get(ident)
        if framework is None:
            raise UsageError(_unknown_framework(registry, ident))
        frameworks.append(framework)
    diff = diff_frameworks(*frameworks)
    if output_format is TextOrJson.json:
        sys.stdout.write(json.dumps(diff.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n")
    else:
        sys.stdout.write(render_text(diff))


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
    from qaimpact.cli import console
    from qaimpact.frameworks.check import check_file

    if files:
        missing = [f for f in files if not f.exists()]
        if missing:
            raise UsageError(f"'{missing[0]}' does not exist.")
        entries = [(f, *check_file(f)) for f in files]
    else:
        entries = _registry(standards, check=False).entries()
    console.print_standards_check(console.stdout(), entries)
    if any(fw is None or any(d.is_error for d in diags) for _, fw, diags in entries):
        raise typer.Exit(exitcodes.STANDARDS)


class ReportFormat(StrEnum):
    """Output formats of ``report``."""

    md = "md"
    html = "html"
    json = "json"


class SummaryFormat(StrEnum):
    """Output formats of ``summary``."""

    md = "md"
    html = "html"
    json = "json"
    csv = "csv"


class GroupBy(StrEnum):
    """Groupings of ``summary --by``."""

    team = "team"
    reviewer = "reviewer"
    practitioner = "practitioner"
    law_type = "law_type"
    audit_type = "audit_type"
    theme = "theme"
    month = "month"
    quarter = "quarter"


AuditsDirs = Annotated[
    list[Path] | None,
    typer.Option(
        "--audits",
        help="Folder of audits (repeatable). Default: audits/ if it exists, else here.",
        metavar="DIR",
    ),
]
DateFrom = Annotated[
    str | None, typer.Option("--from", help="Only audits reviewed on or after DATE.", metavar="DATE")
]
DateTo = Annotated[
    str | None, typer.Option("--to", help="Only audits reviewed on or before DATE.", metavar="DATE")
]
Output = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to FILE instead of the screen.", metavar="FILE"),
]
Force = Annotated[bool, typer.Option(help="Replace the --output file if it exists.")]
Redact = Annotated[
    bool, typer.Option(help="Replace people's names and case identifiers with stable pseudonyms.")
]
Templates = Annotated[
    Path | None,
    typer.Option(help="A folder of templates that override the bundled ones by name.", metavar="DIR"),
]


def _date_option(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} '{value}' is not a date: write it as YYYY-MM-DD.") from None


def _emit(text: str, output: Path | None, inputs: list[Path], force: bool) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    _check_output_path(output, inputs, force=force)
    from qaimpact.base.fileio import write_atomic
    from qaimpact.cli import console

    write_atomic(output, text)
    console.print_note(console.stderr(), f"wrote {output}")


def _note_left_out(dataset: Any) -> None:
    if not (dataset.invalid or dataset.skipped):
        return
    from qaimpact.cli import console

    err = console.stderr()
    if dataset.invalid:
        console.print_problem(
            err,
            f"{len(dataset.invalid)} invalid audit file(s) were left out of the figures; "
            "`qaimpact validate` shows every problem.",
        )
    if dataset.skipped:
        console.print_note(err, f"{len(dataset.skipped)} YAML file(s) that are not audits were skipped.")


@app.command()
@handle_errors
def report(
    audit: Annotated[
        Path | None, typer.Argument(help="One audit file: feedback for the practitioner.", metavar="[AUDIT]")
    ] = None,
    fca: Annotated[
        str | None,
        typer.Option(
            "--fca",
            "--practitioner",
            help="A practitioner's learning log across their audits.",
            metavar="NAME",
        ),
    ] = None,
    audits: AuditsDirs = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="md, html or json.")
    ] = ReportFormat.md,
    output: Output = None,
    force: Force = False,
    redact: Redact = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Feedback on one audit, or a practitioner's learning log (--fca NAME), as Markdown or HTML."""
    from qaimpact.audits.checker import CheckOptions, check_audit, expand_paths
    from qaimpact.audits.dataset import default_audits_folder, load_dataset
    from qaimpact.audits.records import AuditRecord
    from qaimpact.privacy.redaction import Redactor
    from qaimpact.reports import feedback, learning_log, render

    if (audit is None) == (fca is None):
        raise UsageError("Give either an audit file (feedback on one audit) or --fca NAME (a learning log).")
    day = _today(today)
    registry = _registry(standards)
    options = CheckOptions(today=day, with_lift=True, keep_data=True)
    if audit is not None:
        inputs = list(expand_paths([audit]))
        if len(inputs) != 1:
            raise UsageError(
                f"'{audit}' is not one audit file; for a folder use `qaimpact summary --audits`."
            )
        check = check_audit(inputs[0], registry, options)
        if not check.valid or check.data is None or check.result is None or check.framework is None:
            from qaimpact.cli import console

            err = console.stderr()
            console.print_problem(err, f"{audit} has errors, so no feedback can be written:")
            console.print_check(err, check)
            raise typer.Exit(exitcodes.INVALID)
        record = AuditRecord(check.path, check.framework, check.data, check.result, tuple(check.diagnostics))
        if redact:
            record = Redactor([record]).record(record)
        view = feedback.audit_feedback(record)
    else:
        assert fca is not None
        folders = audits or [default_audits_folder()]
        inputs = list(expand_paths(folders))
        dataset = load_dataset(
            folders,
            registry,
            options,
            date_from=_date_option(date_from, "--from"),
            date_to=_date_option(date_to, "--to"),
        )
        _note_left_out(dataset)
        # Choose the practitioner's audits first, so that redaction can never hide the subject.
        records = learning_log.select_practitioner(dataset.records, fca)
        if redact:
            records = Redactor(records, keep=[records[0].data["practitioner"]]).records(records)
        view = learning_log.learning_log(records, records[0].data["practitioner"])
    if output_format is ReportFormat.json:
        text = render.render_json(view)
    else:
        text = render.render(view, output_format.value, templates, today=day)
    _emit(text, output, inputs, force)


@app.command()
@handle_errors
def summary(
    audits: AuditsDirs = None,
    by: Annotated[GroupBy | None, typer.Option(help="Also group the figures by this.")] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    output_format: Annotated[
        SummaryFormat,
        typer.Option("--format", "-f", help="md, html, json or csv (csv: one row per group or audit)."),
    ] = SummaryFormat.md,
    output: Output = None,
    force: Force = False,
    redact: Redact = False,
    publish: Annotated[
        bool,
        typer.Option(
            help="For reports that leave the QA team: counts 1-4 hidden, names redacted, no file listed."
        ),
    ] = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """The quality assurance summary: grades, trends, themes, and the cycle: escalations, actions,
    re-audits and moderation."""
    from qaimpact.audits.checker import CheckOptions, expand_paths
    from qaimpact.audits.dataset import default_audits_folder, load_dataset
    from qaimpact.privacy.redaction import Redactor
    from qaimpact.reports import render
    from qaimpact.reports import summary as report

    day = _today(today)
    folders = audits or [default_audits_folder()]
    inputs = list(expand_paths(folders))
    dataset = load_dataset(
        folders,
        _registry(standards),
        CheckOptions(today=day),
        date_from=_date_option(date_from, "--from"),
        date_to=_date_option(date_to, "--to"),
    )
    _note_left_out(dataset)
    if redact or publish:  # a published report never names anyone
        dataset = Redactor(dataset.records).dataset(dataset)
    view = report.quarterly_summary(dataset, today=day, by=by.value if by else None, publish=publish)
    if output_format is SummaryFormat.json:
        text = render.render_json(view)
    elif output_format is SummaryFormat.csv:
        rows = report.group_rows(view) if by or publish else report.audit_rows(dataset)
        text = render.render_csv(rows)
    else:
        text = render.render(view, output_format.value, templates, today=day)
    _emit(text, output, inputs, force)


# -- The quality assurance cycle: escalations, actions, impact, moderation, sampling ---------------


class CycleFormat(StrEnum):
    """Output formats of the cycle's commands."""

    md = "md"
    html = "html"
    json = "json"
    csv = "csv"


def _cycle_dataset(
    audits: list[Path] | None,
    standards: list[Path] | None,
    day: dt.date,
    date_from: str | None = None,
    date_to: str | None = None,
) -> tuple[Any, list[Path]]:
    """Load the audits a cycle command reads (noting any left out), and the input files."""
    from qaimpact.audits.checker import CheckOptions, expand_paths
    from qaimpact.audits.dataset import default_audits_folder, load_dataset

    folders = audits or [default_audits_folder()]
    dataset = load_dataset(
        folders,
        _registry(standards),
        CheckOptions(today=day),
        date_from=_date_option(date_from, "--from"),
        date_to=_date_option(date_to, "--to"),
    )
    _note_left_out(dataset)
    return dataset, list(expand_paths(folders))


def _cycle_output(
    view: dict[str, Any],
    rows: list[dict[str, Any]],
    columns: list[str],
    output_format: CycleFormat,
    *,
    templates: Path | None,
    day: dt.date,
    output: Path | None,
    inputs: list[Path],
    force: bool,
) -> None:
    """Render a cycle view (``rows`` and ``columns`` are its CSV form) to the screen or --output."""
    from qaimpact.reports import render

    if output_format is CycleFormat.json:
        text = render.render_json(view)
    elif output_format is CycleFormat.csv:
        text = render.render_csv(rows, columns)
    else:
        text = render.render(view, output_format.value, templates, today=day)
    _emit(text, output, inputs, force)


class EscalationState(StrEnum):
    """States of an escalation, as ``--state`` spells them."""

    not_raised = "not-raised"
    raised = "raised"
    acknowledged = "acknowledged"


class FailOn(StrEnum):
    """When ``escalations`` exits non-zero."""

    not_raised = "not-raised"
    overdue = "overdue"
    never = "never"


@app.command()
@handle_errors
def escalations(
    audits: AuditsDirs = None,
    state: Annotated[
        list[EscalationState] | None,
        typer.Option(
            help="List only escalations in this state: not-raised, raised or acknowledged "
            "(repeatable); the totals cover all.",
            metavar="STATE",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            help="Exit 1 while any escalation is not raised (default), only when one is overdue, or never."
        ),
    ] = FailOn.not_raised,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    output_format: Annotated[
        CycleFormat, typer.Option("--format", "-f", help="md, html, json or csv.")
    ] = CycleFormat.md,
    output: Output = None,
    force: Force = False,
    redact: Redact = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Every audit that must be escalated under its framework's rules: raised or not, and how long.

    Exits 1 while any escalation is not raised (see --fail-on), so CI can gate on it, and while
    any audit file is invalid, since whether it needs escalating cannot be known.
    """
    from qaimpact.cycle import escalations as core
    from qaimpact.privacy.redaction import Redactor

    day = _today(today)
    dataset, inputs = _cycle_dataset(audits, standards, day, date_from, date_to)
    if redact:
        dataset = Redactor(dataset.records).dataset(dataset)
    states = [s.value.replace("-", "_") for s in state] if state else None
    view = core.escalations_view(dataset, day, states=states, redact=redact)
    _cycle_output(
        view,
        core.rows(view),
        core.COLUMNS,
        output_format,
        templates=templates,
        day=day,
        output=output,
        inputs=inputs,
        force=force,
    )
    totals = view["totals"]
    failing = {
        FailOn.not_raised: totals["not_raised"]["n"],
        FailOn.overdue: totals["overdue"]["n"],
        FailOn.never: 0,
    }[fail_on]
    unknown = fail_on is not FailOn.never and view["invalid_count"]
    if failing:
        from qaimpact.cli import console

        what = "not raised" if fail_on is FailOn.not_raised else "overdue"
        console.print_problem(
            console.stderr(),
            f"{failing} escalation(s) {what}: exiting with 1 until each is raised and recorded under "
            "'escalation:' in its audit (--fail-on never only reports).",
        )
    raise typer.Exit(exitcodes.INVALID if failing or unknown else exitcodes.OK)


@app.command()
@handle_errors
def sample(
    cases: Annotated[
        Path,
        typer.Option(
            "--cases",
            help="The cases to choose from: a CSV file with a header row naming case_id, team, practitioner "
            "and, optionally, framework (needed for --scaffold). Other columns are ignored.",
            metavar="CASES.csv",
        ),
    ],
    auditors: Annotated[
        Path | None,
        typer.Option(
            "--auditors",
            help="Who can audit: a CSV file with name, team and, optionally, capacity (the most audits "
            "this round; empty for no limit) and frameworks (the framework ids they audit; empty for "
            "any). Without it no auditor is proposed.",
            metavar="AUDITORS.csv",
        ),
    ] = None,
    audits: AuditsDirs = None,
    per_team: Annotated[
        int, typer.Option("--per-team", help="Cases to choose from each team.", metavar="N", min=1)
    ] = 2,
    exclude_audited_within: Annotated[
        str,
        typer.Option(
            "--exclude-audited-within",
            help="Leave out cases audited within this span before today: 12m, 90d, 6w, 1y.",
            metavar="SPAN",
        ),
    ] = "12m",
    seed: Annotated[
        int | None,
        typer.Option(
            help="Seed of the random draw: the same seed and files give the same plan.", metavar="S", min=0
        ),
    ] = None,
    output_format: Annotated[
        CycleFormat,
        typer.Option(
            "--format",
            "-f",
            help="csv (one row per chosen case; its last column, seed, repeats the seed so the file "
            "alone can reproduce the plan), md, html or json.",
        ),
    ] = CycleFormat.csv,
    output: Output = None,
    force: Annotated[
        bool,
        typer.Option(
            help="Replace the --output file, and audit files in the --scaffold folder, if they exist."
        ),
    ] = False,
    scaffold: Annotated[
        Path | None,
        typer.Option(
            "--scaffold",
            help="Also write a blank audit for each chosen case into DIR (created if missing), named by "
            "a new audit id such as SAMPLE-2026-12-001.yaml; existing files are never replaced "
            "unless --force.",
            metavar="DIR",
        ),
    ] = None,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Choose next month's cases to audit: a quota per team, spread across its practitioners.

    Cases audited within --exclude-audited-within (matched on case_id against the audits read) are
    left out, and each chosen case gets an auditor from another team, sharing the work out evenly.
    The draw is random: without --seed one is chosen and shown, and the same seed with the same
    files and --today gives the same plan. The CSV plan has the columns team, case_id, practitioner,
    framework, proposed_auditor, auditor_team, audit_file, note and seed.
    """
    import secrets

    from qaimpact.cli import console
    from qaimpact.cycle import sampling as core
    from qaimpact.cycle.common import Window

    day = _today(today)
    try:
        window = Window.parse(exclude_audited_within)
    except ValueError as exc:
        raise UsageError(f"--exclude-audited-within {exc}") from None
    registry = _registry(standards)
    case_list = core.read_cases(cases, registry.ids())
    auditor_list = core.read_auditors(auditors, registry.ids()) if auditors is not None else None
    dataset, inputs = _cycle_dataset(audits, standards, day)
    chosen_seed = seed if seed is not None else secrets.randbelow(1_000_000)
    plan = core.make_plan(
        case_list,
        core.last_audits(dataset.records, day),
        auditors=auditor_list,
        today=day,
        per_team=per_team,
        window=window,
        seed=chosen_seed,
    )
    view = core.sample_view(
        plan,
        dataset,
        cases_file=str(cases),
        auditors_file=str(auditors) if auditors is not None else None,
        scaffold_dir=scaffold,
        seed_given=seed is not None,
    )
    err = console.stderr()
    if seed is None:
        console.print_note(
            err, f"seed {chosen_seed} chosen at random: rerun with --seed {chosen_seed} to reproduce."
        )
    given = [cases, *([auditors] if auditors is not None else [])]
    if scaffold is not None:
        if output is not None:  # refuse a bad --output before any audit file is written
            _check_output_path(output, [*inputs, *given], force=force)
        written = core.write_audits(view, registry, force=force)
        console.print_note(
            err,
            f"wrote {len(written)} blank audit{'s' if len(written) != 1 else ''} to {scaffold}: replace each "
            f"TODO, then run `qaimpact validate {scaffold}`.",
        )
    _cycle_output(
        view,
        core.rows(view),
        core.COLUMNS,
        output_format,
        templates=templates,
        day=day,
        output=output,
        inputs=[*inputs, *given],
        force=force,
    )
    for short in view["shortfalls"]:
        console.print_note(
            err,
            f"{short['team']}: {short['eligible']} eligible case{'s' if short['eligible'] != 1 else ''} for "
            f"a quota of {short['quota']}, so {short['missing']} short.",
        )
    missing = view["totals"]["without_auditor"]["n"]
    if missing:
        console.print_note(
            err,
            f"{missing} case{'s' if missing != 1 else ''} without a proposed auditor (see the note column).",
        )
    for note in view["notes"]:
        console.print_note(err, note)


ReauditedFrom = Annotated[
    str | None,
    typer.Option("--from", help="Only cases re-audited on or after DATE.", metavar="DATE"),
]
ReauditedTo = Annotated[
    str | None,
    typer.Option("--to", help="Only re-audits up to DATE: each case as it stood then.", metavar="DATE"),
]


@app.command()
@handle_errors
def impact(
    audits: AuditsDirs = None,
    date_from: ReauditedFrom = None,
    date_to: ReauditedTo = None,
    output_format: Annotated[
        CycleFormat, typer.Option("--format", "-f", help="md, html, json or csv (csv: one row per re-audit).")
    ] = CycleFormat.md,
    output: Output = None,
    force: Force = False,
    redact: Redact = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Re-audits: how each case's grade, standards, learning and actions moved since its first audit.

    A re-audit names its audit with `reaudit_of: AUDIT_ID`. Exits 1 when a link cannot be followed
    (an unknown or shared audit_id, a date or case that does not match, a loop); the report says where.
    """
    from qaimpact.cli import console
    from qaimpact.cycle import impact as core

    day = _today(today)
    # Every audit is read: an original audit from before --from still anchors its re-audits.
    dataset, inputs = _cycle_dataset(audits, standards, day)
    view = core.impact_view(
        dataset,
        day,
        date_from=_date_option(date_from, "--from"),
        date_to=_date_option(date_to, "--to"),
        redact=redact,
    )
    _cycle_output(
        view,
        core.rows(view),
        core.COLUMNS,
        output_format,
        templates=templates,
        day=day,
        output=output,
        inputs=inputs,
        force=force,
    )
    problems = len(view["problems"])
    if problems:
        console.print_problem(
            console.stderr(),
            f"{problems} re-audit link{'s' if problems != 1 else ''} cannot be followed; the report lists "
            "where and how to fix each.",
        )
        raise typer.Exit(exitcodes.INVALID)


@app.command()
@handle_errors
def actions(
    audits: AuditsDirs = None,
    overdue: Annotated[
        bool,
        typer.Option("--overdue", help="List only open actions past their due date; the totals count all."),
    ] = False,
    owner: Annotated[
        str | None,
        typer.Option(help="Only the actions owned by NAME (case and extra spaces ignored).", metavar="NAME"),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option(
            help="Only the actions from audits of team T (case and extra spaces ignored).", metavar="T"
        ),
    ] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    output_format: Annotated[
        CycleFormat, typer.Option("--format", "-f", help="md, html, json or csv (csv: one row per action).")
    ] = CycleFormat.md,
    output: Output = None,
    force: Force = False,
    redact: Redact = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Every remedial action agreed at audit: its owner, due date and status, overdue ones first.

    The list is information: it exits 0 even when actions are overdue.
    """
    from qaimpact.cycle import actions as core

    day = _today(today)
    dataset, inputs = _cycle_dataset(audits, standards, day, date_from, date_to)
    view = core.actions_view(dataset, day, owner=owner, team=team, overdue=overdue, redact=redact)
    _cycle_output(
        view,
        core.rows(view),
        core.COLUMNS,
        output_format,
        templates=templates,
        day=day,
        output=output,
        inputs=inputs,
        force=force,
    )


class KappaWeights(StrEnum):
    """Weights of ``moderation``'s kappa."""

    linear = "linear"
    quadratic = "quadratic"
    none = "none"


@app.command()
@handle_errors
def moderation(
    audits: AuditsDirs = None,
    window: Annotated[
        int,
        typer.Option(
            help="Two reviewers' audits of one case at most DAYS apart are double-marking.",
            metavar="DAYS",
        ),
    ] = 30,
    weights: Annotated[
        KappaWeights,
        typer.Option(help="Kappa's credit for a near miss: linear, quadratic or none (plain kappa)."),
    ] = KappaWeights.linear,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    output_format: Annotated[
        CycleFormat, typer.Option("--format", "-f", help="md, html, json or csv (csv: one row per pair).")
    ] = CycleFormat.md,
    output: Output = None,
    force: Force = False,
    redact: Redact = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """How far moderators and second reviewers agree with the auditors' grades: agreement, weighted
    kappa, and how many grades were moderated down, per framework and per reviewer.

    Pairs come from `moderation:` blocks and from double-marking (two reviewers' audits of one case
    within --window days, neither a re-audit of the other).
    """
    from qaimpact.cycle import moderation as core

    day = _today(today)
    dataset, inputs = _cycle_dataset(audits, standards, day, date_from, date_to)
    view = core.moderation_view(dataset, window=window, weights=weights.value, redact=redact)
    _cycle_output(
        view,
        core.rows(view),
        core.COLUMNS,
        output_format,
        templates=templates,
        day=day,
        output=output,
        inputs=inputs,
        force=force,
    )


# -- (new cycle commands go above this line) --------------------------------------------------------


StandardsSearch = Annotated[
    list[Path] | None,
    typer.Option(
        "--standards-dir",
        help="A folder of standards files (or one file) to search before the bundled frameworks. Repeatable.",
        metavar="DIR",
    ),
]


@app.command()
@handle_errors
def new(
    framework_id: Annotated[
        str,
        typer.Option("--standards", help="The framework id (see `qaimpact standards list`).", metavar="ID"),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the audit to FILE (default: the screen).", metavar="FILE"),
    ] = None,
    practitioner: Annotated[
        str | None, typer.Option(help="The practitioner whose work is audited.", metavar="NAME")
    ] = None,
    reviewer: Annotated[str | None, typer.Option(help="The auditor.", metavar="NAME")] = None,
    case: Annotated[str | None, typer.Option("--case", help="The case reference.", metavar="REF")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite FILE if it exists.")] = False,
    standards_dir: StandardsSearch = None,
) -> None:
    """Write a blank audit: every standard in order, guidance as comments, TODO where you must write."""
    from qaimpact.authoring.scaffold import scaffold_audit

    if Path(framework_id).exists():
        raise UsageError(
            f"--standards takes a framework id here (see `qaimpact standards list`); for a folder of "
            f"frameworks such as '{framework_id}' use --standards-dir."
        )
    registry = _registry(standards_dir)
    framework = registry.get(framework_id)
    if framework is None:
        raise UsageError(_unknown_framework(registry, framework_id))
    schema_ref = None
    if output is not None:
        if output.exists() and not force:
            raise UsageError(
                f"'{output}' already exists; choose another name, or add --force to overwrite it."
            )
        if output.is_dir():
            raise UsageError(f"'{output}' is a folder; give a file name such as {output / 'audit.yaml'}.")
        if not output.parent.resolve().is_dir():
            raise UsageError(f"The folder '{output.parent}' does not exist.")
        schema_ref = _editor_schema(framework, output)
    text = scaffold_audit(
        framework, practitioner=practitioner, reviewer=reviewer, case_ref=case, schema_ref=schema_ref
    )
    if output is None:
        sys.stdout.write(text)
        return
    from qaimpact.base.fileio import write_atomic
    from qaimpact.cli import console

    write_atomic(output, text)
    console.print_note(
        console.stderr(), f"wrote {output}: replace each TODO, then run `qaimpact validate {output}`."
    )


def _editor_schema(framework: Any, output: Path) -> str:
    """Make sure the JSON Schema for editors exists, and return its path relative to the audit."""
    import json
    import os

    from qaimpact.base.fileio import write_atomic
    from qaimpact.frameworks.schema import audit_schema

    folder = output.resolve().parent
    root = next((p for p in (folder, *folder.parents) if (p / ".git").exists()), folder)
    schema = root / "schemas" / f"{framework.id}.schema.json"
    text = json.dumps(audit_schema(framework), indent=2, ensure_ascii=False) + "\n"
    # Keep our schema file in step with the framework; a file there that is not ours stays as it is.
    if schema.exists():
        current = schema.read_text(encoding="utf-8", errors="replace")
        if f'"$id": "urn:qaimpact:schema:audit:{framework.id}"' not in current:
            raise UsageError(
                f"'{schema}' exists but is not qaimpact's schema for {framework.id}; move it, or "
                "write the audit elsewhere."
            )
    if not schema.exists() or schema.read_text(encoding="utf-8") != text:
        schema.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(schema, text)
    return Path(os.path.relpath(schema, folder)).as_posix()


@app.command("fmt")
@handle_errors
def fmt_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Audit files or folders (searched recursively).", metavar="PATH...")
    ],
    check: Annotated[
        bool,
        typer.Option("--check", help="Change nothing; list the files that would change and exit 1 if any."),
    ] = False,
    standards_dir: StandardsSearch = None,
    today: Today = None,
) -> None:
    """Normalise audits (key order, indentation, quoting), keeping every comment."""
    from qaimpact.audits.checker import CheckOptions, expand_paths
    from qaimpact.authoring.fmt import format_file
    from qaimpact.cli import console

    files = list(expand_paths(paths))
    if not files:
        raise UsageError("No audit files (*.yaml, *.yml) found in the paths given.")
    registry = _registry(standards_dir)
    options = CheckOptions(today=_today(today))
    out, err = console.stdout(), console.stderr()
    changed = invalid = 0
    for path in files:
        result = format_file(path, registry, options, write=not check)
        if result.problems is not None:
            invalid += 1
            console.print_problem(err, f"{path} has errors, so it was not formatted:")
            console.print_check(err, result.problems)
        elif result.changed:
            changed += 1
            console.print_note(out, f"{path} {'would be reformatted' if check else 'reformatted'}")
    unchanged = len(files) - changed - invalid
    verb = "would be reformatted" if check else "reformatted"
    summary = f"{changed} file{'s' if changed != 1 else ''} {verb}, {unchanged} unchanged"
    if invalid:
        summary += f", {invalid} not formatted because of errors"
    console.print_summary_text(out, summary + ".")
    failed = invalid > 0 or (check and changed > 0)
    raise typer.Exit(exitcodes.INVALID if failed else exitcodes.OK)


@app.command()
@handle_errors
def migrate(
    paths: Annotated[
        list[Path], typer.Argument(help="Audit files or folders (searched recursively).", metavar="PATH...")
    ],
    to: Annotated[str, typer.Option("--to", help="The framework id to migrate the audits to.", metavar="ID")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    force: Annotated[
        bool, typer.Option(help="Migrate even where information would be lost (it is listed first).")
    ] = False,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Rewrite audits for a newer version of their framework, keeping every comment.

    A migration that would lose information (a retired standard that has a rating, a split that
    needs a judgement) is refused, with exactly what would be lost, unless --force.
    """
    from qaimpact.audits.checker import CheckOptions, check_text, expand_paths
    from qaimpact.authoring.migrate import apply_migration, plan_file
    from qaimpact.cli import console

    files = list(expand_paths(paths))
    if not files:
        raise UsageError("No audit files (*.yaml, *.yml) found in the paths given.")
    registry = _registry(standards)
    options = CheckOptions(today=_today(today))
    out, err = console.stdout(), console.stderr()
    plans = []
    for path in files:
        try:
            plans.append(plan_file(path, registry, to))
        except StandardsError:
            raise  # a broken migration declaration stops the whole run
        except QaImpactError as exc:
            if len(files) == 1:
                raise
            # One file that does not apply (another framework, not an audit) does not stop the rest.
            console.print_note(err, f"{path} skipped: {exc}")
    if not plans:
        raise UsageError(f"None of the files given can be migrated to {to}.")
    lossy = [p for p in plans if p.losses]
    for plan in plans:
        if not plan.changed:
            continue
        console.print_note(out, f"{plan.path}: {plan.source_id} -> {plan.target_id}")
        for change in plan.changes:
            out.print(f"    {change}", soft_wrap=True, highlight=False, markup=False)
        for loss in plan.losses:
            console.print_problem(err, str(loss))
    if lossy and not force:
        raise QaImpactError(
            f"{len(lossy)} of {len(plans)} audits would lose information (listed above); nothing was "
            "written. Record what is needed first, or run again with --force."
        )
    if dry_run:
        console.print_summary_text(
            out, f"Dry run: {sum(p.changed for p in plans)} of {len(plans)} audits would change."
        )
        return
    written = 0
    for plan in plans:
        if plan.changed:
            apply_migration(plan, force=force)
            written += 1
    still = [check_text(p.new_text, p.path, registry, options) for p in plans if p.changed]
    todo = sum(1 for c in still if any(d.code == "QA210" for d in c.diagnostics))
    summary = f"Migrated {written} of {len(plans)} audits to {to}."
    if todo:
        summary += (
            f" {todo} need a reviewer's judgement where they now say TODO (qaimpact validate lists them)."
        )
    console.print_summary_text(out, summary)


@app.command()
@handle_errors
def schema(
    framework_id: Annotated[
        str | None, typer.Argument(help="The framework id (see `qaimpact standards list`).", metavar="[ID]")
    ] = None,
    standards_id: Annotated[
        str | None, typer.Option("--standards", help="The framework id, as an option.", metavar="ID")
    ] = None,
    standards_format: Annotated[
        bool, typer.Option("--standards-format", help="The schema of standards files instead.")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the schema to FILE.", metavar="FILE")
    ] = None,
    force: Force = False,
    standards_dir: StandardsSearch = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a framework's audit files, for editors and other tools."""
    import json

    from qaimpact.frameworks.schema import audit_schema, standards_schema

    ident = framework_id or standards_id
    if standards_format:
        if ident:
            raise UsageError(
                "--standards-format describes every standards file: give no framework id with it."
            )
        data = standards_schema()
    else:
        if not ident:
            raise UsageError("Give a framework id (see `qaimpact standards list`), or --standards-format.")
        registry = _registry(standards_dir)
        framework = registry.get(ident)
        if framework is None:
            raise UsageError(_unknown_framework(registry, ident))
        data = audit_schema(framework)
    _emit(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output, [], force)


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
    from qaimpact.base import codes
    from qaimpact.cli import console

    try:
        entry = codes.get(code)
    except KeyError:
        raise UsageError(f"Unknown code '{code}'. Codes are listed in docs/diagnostics.md.") from None
    console.print_code(console.stdout(), entry)


def main() -> None:
    """Entry point of the ``qaimpact`` console script."""
    app()

"""``qaimpact validate`` (every problem at file:line:col, in five formats) and ``qaimpact explain``."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from qaimpact.base.errors import UsageError
from qaimpact.cli.errors import handle_errors
from qaimpact.cli.options import (
    Jobs,
    MaxSize,
    SkipNonAudits,
    StandardsDirs,
    StdinName,
    Today,
    audits_only,
    format_given,
    format_option,
    load_registry,
    no_audit_files,
    not_named_otherwise,
    read_stdin,
    reads_stdin,
    refuse_output_name,
    resolve_today,
    whole_number_option,
)
from qaimpact.cli.output import check_output_path


class OutputFormat(StrEnum):
    """Output formats of ``validate``."""

    text = "text"
    json = "json"
    junit = "junit"
    sarif = "sarif"
    github = "github"


#: How a refusal of ``-o`` names what validate writes, and how to get each kind of file it cannot
#: (:func:`~qaimpact.cli.options.refuse_output_name`): its findings are lines of text, or data.
_WRITES = "text, JSON, JUnit XML, SARIF or GitHub annotations"
_TEXT = "write the findings to a text file (-o NAME.txt)"
_WAY_TO = {
    "docx": f" For a Word document, {_TEXT} and open it in Word.",
    "pdf": f" For a PDF, {_TEXT}, open it in a text editor and print it to PDF.",
    **dict.fromkeys(("md", "html"), " To read the findings, write them to a text file (-o NAME.txt)."),
    # Excel reads validate's JSON, a list of findings, as a table of one row per finding.
    **dict.fromkeys(
        ("csv", "xlsx", "xls"),
        " For a spreadsheet, write JSON (-o NAME.json) and open it in Excel with Data > Get Data > "
        "From File > From JSON.",
    ),
}


#: The kinds of file validate's formats are saved as, by extension: with no --format, -o's name
#: says which to write (`-o results.sarif` is SARIF); with another --format, it is refused.
_NAMED = {
    ".json": (OutputFormat.json, "a JSON file"),
    ".sarif": (OutputFormat.sarif, "a SARIF file"),
    ".xml": (OutputFormat.junit, "an XML file"),
}
#: What each format writes, and the extension a file of it is named with.
_WRITTEN = {
    OutputFormat.text: ("text", ".txt"),
    OutputFormat.json: ("JSON", ".json"),
    OutputFormat.junit: ("JUnit XML", ".xml"),
    OutputFormat.sarif: ("SARIF", ".sarif"),
    OutputFormat.github: ("GitHub annotations", ".txt"),
}


def _format_for(ctx: typer.Context, chosen: OutputFormat, output: Path | None) -> OutputFormat:
    """The format to write: the one ``-o``'s name gives where ``--format`` is not given, else
    ``--format``'s; a name of another format's file is refused before anything is read, as the
    reports refuse one (JUnit XML saved as ``results.sarif`` is a file code scanning rejects)."""
    if output is None or str(output) == "-":
        return chosen
    # SARIF is JSON, and is often saved so: results.sarif.json is a SARIF file's name.
    ending = ".sarif.json" if output.name.lower().endswith(".sarif.json") else output.suffix
    named = _NAMED.get(".sarif" if ending == ".sarif.json" else ending.lower())
    if named is None:
        return chosen
    value, kind = named
    if not format_given(ctx):
        return value
    if value is not chosen and not (chosen is OutputFormat.sarif and value is OutputFormat.json):
        writes, suffix = _WRITTEN[chosen]
        raise UsageError(
            f"-o {output} names {kind}, but --format {chosen.value} writes {writes}: use --format "
            f"{value.value}, or name the file {output.name[: -len(ending)]}{suffix}."
        )
    return chosen


@handle_errors
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Audit files or folders (searched recursively).", metavar="PATH...")
    ],
    output_format: Annotated[
        OutputFormat,
        format_option(OutputFormat, "text, json, junit (JUnit XML), sarif (SARIF 2.1.0) or github."),
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
        whole_number_option(
            "--max-warnings",
            help="Fail when there are more than N warnings in all.",
            metavar="N",
            what="a whole number of warnings",
            example="10",
            min=0,
        ),
    ] = None,
    jobs: Jobs = 0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing when every file is clean.")
    ] = False,
    progress: Annotated[
        bool, typer.Option(help="Show a progress bar on a terminal for long runs (never in CI).")
    ] = True,
    force: Annotated[
        bool,
        typer.Option(
            help="Replace an existing --output file that is not an earlier report (those are replaced "
            "anyway), or a read-only one. Never a file being read."
        ),
    ] = False,
    standards: StandardsDirs = None,
    today: Today = None,
    max_file_size: MaxSize = 1024 * 1024,
    stdin_name: StdinName = "<stdin>",
    skip_non_audits: SkipNonAudits = False,
) -> None:
    """Check audit files and report every problem at file:line:column.

    Given a folder, it also follows the links between its files, as the reports do: a record
    naming a case no audit read is of (QA701), an audit id no audit has (QA702), learning its
    audit does not record (QA703), two files holding one id (QA704), or a re-audit whose
    `reaudit_of` cannot be followed to its audit (QA705-QA708). Files named one by one
    (a pre-commit hook's) get the same findings each, but no links are followed: they are not
    all the audits. `-` reads one audit from standard input (`--stdin-name` names it in
    findings).
    """
    import time

    from qaimpact.audits.batch import BatchOptions, check_many, check_many_kept
    from qaimpact.audits.checker import AuditCheck, CheckOptions, expand_paths, misnamed_audits
    from qaimpact.reports import validation as render

    # Before an audit is read: `-o results.pdf` would be text that a PDF reader cannot open.
    refuse_output_name(ctx, output, [f.value for f in OutputFormat], _WRITES, _WAY_TO)
    output_format = _format_for(ctx, output_format, output)
    piped = read_stdin() if reads_stdin(paths) else None
    unread: list[Path] = []
    files = (
        []
        if piped is not None
        else audits_only(
            not_named_otherwise(expand_paths(paths, unread=unread)), max_file_size, skip_non_audits
        )
    )
    # An audit saved as AUDIT.YAML or audit.yaml.txt is an error (QA115); other such files a note.
    misnamed, unread = misnamed_audits(unread, max_file_size)
    if unread:
        from qaimpact.cli.outcome import note_unread

        note_unread(unread)
    if output is not None:
        check_output_path(output, files, force=force)
    if not files and not misnamed and piped is None:
        _no_audits(paths, output_format, output, force=force, skipped=skip_non_audits and bool(paths))
    registry = load_registry(standards)
    # Links between files are followed only where a folder was given: files named one by one (a
    # pre-commit hook's changed files) are not all the audits, so a link could point elsewhere.
    folders = piped is None and any(p.is_dir() for p in paths)
    options = BatchOptions(
        CheckOptions(today=resolve_today(today), max_file_size=max_file_size, keep_data=folders), jobs=jobs
    )
    if piped is not None:
        from qaimpact.audits.checker import check_bytes

        results: Iterable[AuditCheck] = [check_bytes(piped, stdin_name, registry, options.check)]
    else:
        results = (check_many_kept if folders else check_many)(files, registry, options)

    # Text goes to the terminal as results arrive; other formats are rendered at the end.
    stream_text = output_format is OutputFormat.text or output is not None
    sink = _TextSink(quiet=quiet) if stream_text else None
    started = time.perf_counter()
    checks: list[AuditCheck] = []
    with _progress(len(files), enabled=progress) as advance:
        for check in results:
            checks.append(check)
            if sink is not None:
                sink.check(check)
            advance()
    for check in misnamed:
        checks.append(check)
        if sink is not None:
            sink.check(check)
    if folders:
        from qaimpact.audits.dataset import cross_file_findings

        links = cross_file_findings(checks)
        for check in checks:
            found = links.get(check.path)
            if found:
                check.diagnostics.extend(found)
                if sink is not None:  # the file's own findings were shown as it was read
                    sink.check(AuditCheck(check.path, found))
            # The data was kept only to follow links: let it go before rendering.
            check.data = check.links = None
    info = render.RunInfo(
        fail_on_warnings=strict, elapsed=time.perf_counter() - started, root=str(repository_root())
    )
    if sink is not None:
        sink.summary(checks)
    report = (
        None
        if output_format is OutputFormat.text and output is None
        else render.RENDERERS[output_format.value](checks, info)
    )
    if output is not None and report is not None:
        from qaimpact.cli.output import note_written, write_output

        write_output(output, report, force=force)
        note_written(output)
    elif report is not None:
        from qaimpact.cli.output import write_document

        write_document(report)
    warnings = sum(c.warnings for c in checks)
    failed = any(info.fails(c) for c in checks)
    if max_warnings is not None and warnings > max_warnings:
        from qaimpact.cli import console

        console.print_problem(
            console.stderr(),
            f"{warnings} warning{'' if warnings == 1 else 's'}, more than --max-warnings {max_warnings}.",
        )
        failed = True
    from qaimpact.cli.outcome import finish

    finish(registry, failed=failed)


def repository_root() -> Path:
    """The root of the git repository the current folder is in (SARIF locations are relative
    to it, as code-scanning dashboards expect), else the current folder."""
    here = Path.cwd()
    return next((p for p in (here, *here.parents) if (p / ".git").exists()), here)


def _no_audits(
    paths: list[Path], output_format: OutputFormat, output: Path | None, *, force: bool, skipped: bool
) -> None:
    """No audit files at all: a usage error (exit 2). JUnit, SARIF and JSON still get an empty,
    valid document, so that a CI step uploading or reading the report finds its file. Under
    --skip-non-audits, YAML files that are all not audits (a pre-commit hook given a CI
    configuration) are no error: exit 0."""
    message = no_audit_files(paths)
    if output_format not in _DOCUMENTS:
        if skipped:
            raise typer.Exit(0)
        raise UsageError(message)
    from qaimpact.reports import validation as render

    report = render.RENDERERS[output_format.value]([], render.RunInfo(root=str(repository_root())))
    if output is not None:
        from qaimpact.cli.output import note_written, write_output

        write_output(output, report, force=force)
        note_written(output)
    else:
        from qaimpact.cli.output import write_document

        write_document(report)
    if skipped:
        raise typer.Exit(0)
    raise UsageError(f"{message} An empty {_DOCUMENTS[output_format]} report was written.")


#: The formats written as one document, which a CI step reads or uploads, by their names: with no
#: audit at all, each is still written, empty. Text and GitHub's annotations are lines, of which none.
_DOCUMENTS = {OutputFormat.junit: "JUnit", OutputFormat.sarif: "SARIF", OutputFormat.json: "JSON"}


class _TextSink:
    """Prints findings as they arrive: coloured through rich on a terminal, plain otherwise."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        from qaimpact.cli.output import styled

        self.rich = styled(sys.stdout)
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
    code: Annotated[
        str, typer.Argument(help="A diagnostic code (QA204) or name (invalid-rating).", metavar="CODE")
    ],
) -> None:
    """Explain a diagnostic code: what it means and an example that triggers it."""
    from qaimpact.base import codes
    from qaimpact.cli import console

    try:
        entry = codes.get(code)
    except KeyError:
        # Not a path to the documentation: an installed qaimpact has none, and an auditor needs the
        # form of a code, which every message of validate shows.
        raise UsageError(
            f"Unknown code '{code}'. Give a code as validate's messages show it, such as QA204, "
            "or its name, such as invalid-rating."
        ) from None
    console.print_code(console.stdout(), entry)

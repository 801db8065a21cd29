"""``qaimpact grade``: the grade of each audit, why, and what would lift it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qaimpact.base.errors import UsageError
from qaimpact.cli.errors import handle_errors
from qaimpact.cli.options import (
    MaxSize,
    StandardsDirs,
    StdinName,
    TextOrJson,
    Today,
    format_option,
    load_registry,
    no_audit_files,
    read_stdin,
    reads_stdin,
    resolve_today,
)
from qaimpact.cli.output import write_document


@handle_errors
def grade(
    files: Annotated[
        list[Path],
        typer.Argument(help="Audit files (or folders of them) to grade.", metavar="FILE..."),
    ],
    output_format: Annotated[TextOrJson, format_option(TextOrJson, "text or json.")] = TextOrJson.text,
    standards: StandardsDirs = None,
    today: Today = None,
    max_file_size: MaxSize = 1024 * 1024,
    stdin_name: StdinName = "<stdin>",
) -> None:
    """Grade audits: the grade, why, and what would lift it to the next grade.

    `-` reads one audit from standard input.
    """
    from qaimpact.audits.checker import CheckOptions, check_audit, check_bytes, expand_paths, what_it_is
    from qaimpact.cli import console
    from qaimpact.cli.outcome import finish
    from qaimpact.reports import grades

    registry = load_registry(standards)
    options = CheckOptions(
        today=resolve_today(today),
        max_file_size=max_file_size,
        with_lift=True,
        keep_data=True,
        with_ahead=True,
    )
    if reads_stdin(files):
        checks = [check_bytes(read_stdin(), stdin_name, registry, options)]
    else:
        checks = [check_audit(p, registry, options) for p in expand_paths(files)]
    if not checks:
        raise UsageError(no_audit_files(files))
    # Records of other kinds (a practice observation, say), import mappings and narratives have no
    # grade: say so, grade the rest.
    others = [(check, found) for check in checks if (found := what_it_is(check)) is not None]
    fine: list[str] = []  # the notes of the records without errors
    for check, (what, use) in others:
        if check.kind is not None and not check.valid:
            # It is why grade exits 1: its errors are shown, not only a note like the valid ones'.
            err = console.stderr()
            console.print_problem(
                err, f"{check.path} is {what}, not an audit, so it has no grade; it has errors:"
            )
            console.print_check(err, check)
            continue
        note = f"{check.path} is {what}, not an audit, so it has no grade; {use}."
        if check.kind is not None:
            fine.append(note)
            continue
        console.print_note(console.stderr(), note)
    if fine:
        # A folder of a service's files holds dozens of records: a line each would bury the grades.
        console.print_note(console.stderr(), fine[0] if len(fine) == 1 else records_not_graded(len(fine)))
    records = [check for check, _ in others if check.kind is not None]
    checks = [c for c in checks if what_it_is(c) is None]
    if not checks:
        raise UsageError("None of the files given is an audit, so there is nothing to grade.")
    if output_format is TextOrJson.json:
        write_document(grades.render_json(checks))
    else:
        console.print_grades(console.stdout(), checks)
    finish(registry, failed=not all(c.valid for c in [*checks, *records]))


def records_not_graded(count: int) -> str:
    """The one note for the ``count`` records without errors ``grade`` was given (more than one):
    how many, and that ``validate`` checks them."""
    return (
        f"{count} record files were read and not graded: practice records are not audits, so "
        "they have no grade; `qaimpact validate` checks them."
    )

"""Moving audits in and out of spreadsheets: ``qaimpact import`` and ``qaimpact export``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from qaimpact.base.errors import UsageError
from qaimpact.cli.errors import handle_errors
from qaimpact.cli.options import (
    FILE_KINDS,
    Bom,
    Force,
    Jobs,
    MaxSize,
    StandardsSearch,
    Today,
    find_framework,
    load_registry,
    no_audit_files,
    resolve_today,
    standards_files,
    whole_number_option,
)

if TYPE_CHECKING:
    from qaimpact.audits.checker import AuditCheck


@handle_errors
def import_command(
    source: Annotated[
        Path,
        typer.Argument(help="The spreadsheet: an Excel workbook (.xlsx) or a CSV file.", metavar="SHEET"),
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="The mapping file (YAML) saying which column holds what. With --scaffold-mapping, "
            "where to write the first mapping.",
            metavar="FILE",
        ),
    ] = None,
    audits: Annotated[
        Path,
        typer.Option(
            "--audits", help="The folder to write the audits to (created if needed).", metavar="DIR"
        ),
    ] = Path("audits"),
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and list every finding; write nothing.")
    ] = False,
    keep_going: Annotated[
        bool,
        typer.Option("--keep-going", help="Write the valid rows' audits even when other rows have errors."),
    ] = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update", help="Rewrite existing audits where the sheet changed (their comments are kept)."
        ),
    ] = False,
    scaffold_mapping: Annotated[
        bool,
        typer.Option(
            "--scaffold-mapping",
            help="Write a first mapping for SHEET by matching its headers to the framework's standards "
            "(every guess is marked '# review:').",
        ),
    ] = False,
    framework_id: Annotated[
        str | None,
        typer.Option(
            "--standards",
            help="With --scaffold-mapping: the id or short name of the rows' framework.",
            metavar="ID",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            help="With --update, rewrite read-only audits too (refused without it, as fmt does); with "
            "--scaffold-mapping, replace an existing mapping file."
        ),
    ] = False,
    jobs: Jobs = 0,
    max_file_size: Annotated[
        int,
        whole_number_option(
            "--max-file-size",
            help="Refuse a row whose audit would be larger than this many bytes, as validate refuses "
            "such a file.",
            metavar="BYTES",
            what="a whole number of bytes",
            example="2097152 (2 MiB)",
            min=1,
        ),
    ] = 1024 * 1024,
    standards_dir: StandardsSearch = None,
    today: Today = None,
) -> None:
    """Import audits from a spreadsheet: each row becomes one audit file, checked as validate checks it.

    Nothing is written unless every row is valid (or --keep-going); an existing audit file is
    never overwritten (--update rewrites only what changed). Findings point at the cells:
    tracker.xlsx!Audits!F17.
    """
    from qaimpact.cli import console
    from qaimpact.cli.outcome import finish

    if not source.is_file():
        raise UsageError(f"'{source}' is not a file. Give the spreadsheet (.xlsx or .csv) to import.")
    refuse_swapped(source, mapping, scaffolding=scaffold_mapping)
    registry = load_registry(standards_dir)
    if scaffold_mapping:
        _scaffold(source, mapping, framework_id, force, registry)
        finish(registry)
    if framework_id is not None:
        raise UsageError(
            "--standards is for --scaffold-mapping; the mapping names the framework of the rows."
        )
    if mapping is None:
        raise UsageError(
            "Give the mapping with --mapping FILE. To write a first one: "
            f"qaimpact import {source} --scaffold-mapping --standards ID --mapping tracker.mapping.yaml"
        )
    if not mapping.exists():
        raise UsageError(f"The mapping '{mapping}' does not exist: check the path given to --mapping.")
    if mapping.is_dir():
        raise UsageError(f"The mapping '{mapping}' is a folder: give --mapping the mapping file itself.")
    # Anything else that is not an ordinary file (a named pipe, a link to a device) is refused
    # when it is read, with QA110 saying what it is.
    if audits.exists() and not audits.is_dir():
        raise UsageError(f"--audits '{audits}' is not a folder.")
    from qaimpact.audits.checker import CheckOptions
    from qaimpact.authoring.importing.mapping import load_mapping
    from qaimpact.authoring.importing.run import apply_plan, plan_import, writable
    from qaimpact.authoring.importing.sheets import read_spreadsheet
    from qaimpact.base.fileio import ReadOnlyFile
    from qaimpact.cli import exitcodes

    compiled, problems = load_mapping(mapping, str(mapping), registry)
    err, out = console.stderr(), console.stdout()
    if compiled is None:
        console.print_problem(err, f"the mapping {mapping} has errors, so nothing was imported:", problems)
        finish(registry, failed=True)
    spec = compiled.spec
    sheets = None if spec.sheets == "all" else spec.sheets
    workbook = read_spreadsheet(
        source,
        str(source),
        header_row=spec.header_row,
        sheets=sheets,
        first_only=spec.sheets is None,
        width=compiled.last_letter_column,
    )
    if workbook.is_csv or not workbook.readable:
        pass  # a file that could not be read has no sheets to look for: its QA601 says why
    elif spec.sheets is None:
        # A tracker often keeps a sheet a year: reading the first alone must not pass in silence.
        first, *others = workbook.sheet_names
        if others:
            console.print_note(
                err,
                f"only the first sheet of {source}, '{first}', was read; its other sheets "
                f"({', '.join(repr(n) for n in others)}) were not. To read them too, name them under "
                "'sheets:' in the mapping, or write 'sheets: all'.",
            )
    elif spec.sheets == "all":
        workbook.tables = {k: v for k, v in workbook.tables.items() if k not in spec.skip_sheets}
    else:
        missing = [s for s in spec.sheets or [] if s not in workbook.sheet_names]
        if missing:
            from qaimpact.base.codes import diagnostic

            workbook.diagnostics.append(
                diagnostic(
                    "QA608",
                    compiled.locate(["sheets"]),
                    f"{source} has no sheet named {', '.join(repr(m) for m in missing)}; its sheets are: "
                    f"{', '.join(repr(n) for n in workbook.sheet_names)}.",
                    "Write the sheet names as the workbook's tabs show them.",
                )
            )
    plan = plan_import(
        workbook,
        compiled,
        audits,
        registry,
        CheckOptions(today=resolve_today(today), max_file_size=max_file_size),
        update=update,
        jobs=jobs,
    )
    for note in plan.notes:
        console.print_note(err, note)
    for diag in plan.findings():
        err.print(console.diagnostic_text(diag), soft_wrap=True)
    to_write = writable(plan, keep_going=keep_going)
    if not dry_run:
        try:
            written = apply_plan(plan, keep_going=keep_going, force=force)
        except ReadOnlyFile as exc:
            # As fmt refuses it; and since an import writes all or nothing, nothing was written.
            console.print_problem(err, f"{exc.message} Nothing was imported.")
            raise typer.Exit(exitcodes.USAGE) from None
        for note in written.notes:
            console.print_note(err, note)
    console.print_summary_text(
        out, _summary(plan, to_write, audits, dry_run=dry_run, keep_going=keep_going, update=update)
    )
    finish(registry, failed=bool(plan.invalid or plan.sheet_errors))


def _summary(
    plan: Any, to_write: list[Any], audits: Path, *, dry_run: bool, keep_going: bool, update: bool
) -> str:
    """The closing summary: rows read, audits written, unchanged, skipped and with errors."""
    from qaimpact.authoring.importing.run import Status

    invalid = len(plan.invalid)
    blocked = bool(invalid or plan.sheet_errors) and not keep_going
    ready = [r for r in plan.rows if not r.errors and r.status in (Status.NEW, Status.UPDATE)]
    new = sum(1 for r in (ready if blocked else to_write) if r.status is Status.NEW)
    updated = sum(1 for r in (ready if blocked else to_write) if r.status is Status.UPDATE)
    verb = "ready" if blocked else "would be written" if dry_run else "written"
    parts = [f"{new} audit{'s' if new != 1 else ''} {verb}"]
    if updated or update:
        parts.append(f"{updated} {'to update' if blocked or dry_run else 'updated'}")
    parts.append(f"{plan.count(Status.UNCHANGED)} unchanged")
    differs = plan.count(Status.DIFFERS)
    if differs:
        why = "listed above" if update else "--update rewrites"
        parts.append(f"{differs} left as {'they are' if differs != 1 else 'it is'} ({why})")
    parts.append(f"{plan.skipped} skipped by the mapping")
    parts.append(f"{invalid} with errors")
    rows = len(plan.rows) + plan.skipped
    summary = f"Read {rows} row{'s' if rows != 1 else ''} from {plan.source}: " + ", ".join(parts) + "."
    if dry_run:
        summary = "Dry run, nothing was written. " + summary
    if blocked:
        summary += (
            (" Nothing would be written" if dry_run else " Nothing was written")
            + ": correct the cells listed above and import again"
            + (f", or add --keep-going to write the {_audits(len(ready))}." if ready else ".")
        )
    elif not dry_run and to_write:
        summary += f" The audits are in {audits}/: check them with `qaimpact validate {audits}`."
    return summary


#: Extensions of files that are never a mapping: spreadsheets, and documents a mapping is never
#: saved as (:data:`~qaimpact.cli.options.FILE_KINDS` names each).
_NOT_A_MAPPING = frozenset(
    (".xlsx", ".xlsm", ".xls", ".csv", ".tsv", ".ods", ".docx", ".doc", ".rtf", ".odt", ".pdf")
)


def refuse_swapped(source: Path, mapping: Path | None, *, scaffolding: bool = False) -> None:
    """Refuse a spreadsheet given as the mapping (it was read as YAML: "not UTF-8 text", or with
    --scaffold-mapping --force written over with YAML) and a YAML file given as the spreadsheet
    (its lines were read as rows), before anything is read or written."""
    if mapping is not None and mapping.suffix.lower() in _NOT_A_MAPPING:
        named = f"--mapping '{mapping}' names {FILE_KINDS[mapping.suffix.lower()]}, not a mapping"
        suggested = mapping_name(source)
        if scaffolding:
            raise UsageError(
                f"{named}: with --scaffold-mapping, name the YAML file to write, such as {suggested}."
            )
        raise UsageError(
            f"{named}: give --mapping the YAML file that says which column holds what, such as "
            f"{suggested}. To write a first one: qaimpact import {source} --scaffold-mapping "
            f"--standards ID --mapping {suggested}"
        )
    if source.suffix.lower() in (".yaml", ".yml"):
        raise UsageError(
            f"'{source}' is a YAML file, not a spreadsheet: give the workbook (.xlsx) or CSV file "
            f"to import first, then the mapping: qaimpact import SHEET --mapping {source}"
        )


def mapping_name(sheet: Path) -> str:
    """The name to suggest for the mapping of ``sheet``: ``tracker.mapping.yaml`` beside ``tracker.xlsx``."""
    return str(sheet.with_name(f"{sheet.stem}.mapping.yaml"))


def _scaffold(
    source: Path, output: Path | None, framework_id: str | None, force: bool, registry: Any
) -> None:
    from qaimpact.authoring.importing.scaffold import scaffold_mapping
    from qaimpact.authoring.importing.sheets import read_spreadsheet
    from qaimpact.cli import console

    if framework_id is None:
        raise UsageError("--scaffold-mapping needs the framework of the rows: add --standards ID.")
    framework = find_framework(registry, framework_id)
    # The header is the first row not merged with its neighbours (trackers put titles above it).
    for header_row in range(1, 11):
        workbook = read_spreadsheet(source, str(source), header_row=header_row, first_only=True)
        tables = list(workbook.tables.values())
        if not tables or not any(d.code == "QA602" and d.is_error for d in tables[0].diagnostics):
            break
    if not workbook.tables:
        console.print_problem(console.stderr(), f"{source} cannot be read:", workbook.diagnostics)
        raise typer.Exit(1)
    text = scaffold_mapping(workbook, framework)
    if output is None:
        typer.echo(text, nl=False)
        return
    from qaimpact.cli.output import refuse_an_input

    # Never over the sheet or a standards file being read, even with --force.
    refuse_an_input(
        output,
        [source, *standards_files(registry)],
        option="--mapping",
        fix=f"choose another file, such as {mapping_name(source)}",
    )
    if output.exists() and not force:
        raise UsageError(f"'{output}' already exists; choose another name, or add --force to replace it.")
    from qaimpact.base.fileio import write_atomic

    write_atomic(output, text)
    console.print_note(
        console.stderr(),
        f"wrote {output}: check every line marked '# review:', then run "
        f"`qaimpact import {source} --mapping {output} --dry-run`.",
    )


@handle_errors
def export(
    paths: Annotated[
        list[Path], typer.Argument(help="Audit files or folders (searched recursively).", metavar="PATH...")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The spreadsheet to write: .xlsx or .csv.", metavar="FILE")
    ],
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="Also write the mapping that imports FILE again.", metavar="FILE"),
    ] = None,
    framework_id: Annotated[
        str | None,
        typer.Option(
            "--standards",
            help="Export the audits of this framework, by its id or short name (needed when there are "
            "several).",
            metavar="ID",
        ),
    ] = None,
    force: Force = False,
    max_file_size: MaxSize = 1024 * 1024,
    standards_dir: StandardsSearch = None,
    today: Today = None,
    bom: Bom = False,
) -> None:
    """Export audits to a spreadsheet: one row per audit, one column per key (the inverse of import)."""
    from qaimpact.audits.checker import AuditCheck, CheckOptions, check_audit, expand_paths
    from qaimpact.authoring.importing import export as exporting
    from qaimpact.base.fileio import write_atomic
    from qaimpact.cli import console
    from qaimpact.cli.outcome import finish
    from qaimpact.cli.output import refuse_an_input, refuse_one_file

    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError(f"--output '{output}' must end in .xlsx or .csv.")
    if bom and suffix != ".csv":
        raise UsageError(
            "--bom adds the byte-order mark Excel needs to read a CSV file's accents and symbols; a "
            f"workbook ({output}) has no use for one: leave --bom out, or write a .csv file."
        )
    files = list(expand_paths(paths))
    if not files:
        raise UsageError(no_audit_files(paths, verb="export"))
    registry = load_registry(standards_dir)
    # --standards is read as `new` reads it (an id in any case, a short name), and refused before
    # the audits are read.
    wanted = find_framework(registry, framework_id).id if framework_id else None
    # Never over an audit or a standards file being read, nor both outputs in one file, even
    # with --force.
    inputs = [*files, *standards_files(registry)]
    refuse_an_input(output, inputs)
    if mapping is not None:
        fix = f"choose another file for the mapping, such as {mapping_name(output)}"
        refuse_an_input(mapping, inputs, option="--mapping", fix=fix)
        refuse_one_file(("--output", output), ("--mapping", mapping), fix=fix)
    for target in (output, mapping):
        if target is not None and target.exists() and not force:
            raise UsageError(f"'{target}' already exists; choose another name, or add --force to replace it.")
    options = CheckOptions(today=resolve_today(today), max_file_size=max_file_size, keep_data=True)
    checks = [check_audit(path, registry, options) for path in files]
    invalid = [c for c in checks if not c.valid]
    # A record of another kind (a practice observation, feedback: `kind:`) is no audit: a row of
    # the audit columns would lose all it holds, and would not import back.
    records = [c for c in checks if c.valid and c.kind is not None]
    checks = [c for c in checks if c.kind is None]
    frameworks = sorted({c.framework.id for c in checks if c.valid and c.framework is not None})
    chosen = wanted or (frameworks[0] if len(frameworks) == 1 else None)
    if chosen is None and records and not checks:
        raise UsageError(
            f"The files are records of another kind than an audit "
            f"({', '.join(sorted({_kind_label(c) for c in records}))}), and export writes audits only: "
            "give it the folders or files that hold the audits."
        )
    if chosen is None:
        raise UsageError(
            "The audits use several frameworks (" + ", ".join(frameworks) + "): export one at a time "
            "with --standards ID."
            if frameworks
            else "None of the audits is valid, so nothing was exported (`qaimpact validate` shows why)."
        )
    framework = registry.get(chosen)
    chosen_checks = [c for c in checks if c.valid and c.framework is not None and c.framework.id == chosen]
    sheet = chosen[:31]
    exported = [(c.path, c.data) for c in chosen_checks if c.data is not None]
    header, rows = exporting.export_rows(framework, [data for _, data in exported])
    # A workbook cell holds 32,767 characters; a CSV cell any number.
    sources = [path for path, _ in exported]
    too_long = (
        []
        if suffix == ".csv"
        else exporting.too_long_for_a_cell(sources, header, rows, max_size=max_file_size)
    )
    err = console.stderr()
    # Every finding in one run: the audits with errors, then any text too long for a workbook.
    for check in invalid:
        will = "and would not be exported" if too_long else "so it was not exported"
        console.print_problem(err, f"{check.path} has errors, {will}:")
        console.print_check(err, check)
    if too_long:
        for path in sorted({d.location.path for d in too_long}):
            console.print_problem(err, f"{path} holds text too long for a workbook, so nothing was exported:")
            console.print_check(err, AuditCheck(path, [d for d in too_long if d.location.path == path]))
        finish(registry, failed=True)
    exporting.write_sheet(output, sheet, header, rows, bom=bom)
    accent = exporting.beyond_ascii(header, rows) if suffix == ".csv" and not bom else None
    if accent is not None:
        console.print_note(
            err,
            f"{output} holds accented letters or symbols ({accent}, for one). `qaimpact import` "
            "reads them right, but Excel, opening the file with a double click, shows them garbled "
            "('Zoë' as 'ZoÃ«') and saves them so: for Excel, export again with --bom --force, or "
            "open the file in Excel with Data > From Text/CSV.",
        )
    if records:
        console.print_note(
            err,
            f"{len(records)} record{'s' if len(records) != 1 else ''} of another kind than an audit "
            f"({', '.join(sorted({_kind_label(c) for c in records}))}) "
            f"{'were' if len(records) != 1 else 'was'} not exported: export writes audits only, and the "
            "records stay as they are in their files.",
        )
    if mapping is not None:
        text = exporting.export_mapping(framework, header, sheet if suffix == ".xlsx" else None)
        write_atomic(mapping, text)
    console.print_summary_text(
        console.stdout(),
        f"Exported {len(rows)} audit{'s' if len(rows) != 1 else ''} of {chosen} to {output}"
        + (f", and the mapping that imports them to {mapping}" if mapping is not None else "")
        + "."
        + (f" {len(invalid)} with errors left out." if invalid else ""),
    )
    finish(registry, failed=bool(invalid))


def _kind_label(check: AuditCheck) -> str:
    """What a record is, as its framework names its kind (``practice observation``)."""
    kind = check.kind or ""
    declared = check.framework.spec.records.get(kind) if check.framework is not None else None
    return declared.label.lower() if declared is not None else kind


def _audits(count: int) -> str:
    """``1 valid audit``, ``18 valid audits``."""
    return f"{count} valid audit{'s' if count != 1 else ''}"

"""Writing audits: ``qaimpact new``, ``fmt``, ``migrate`` and ``schema``."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from qaimpact.base.errors import QaImpactError, StandardsError, UsageError
from qaimpact.cli.errors import handle_errors
from qaimpact.cli.options import (
    Force,
    SkipNonAudits,
    StandardsDirs,
    StandardsDirsOrDir,
    StandardsSearch,
    StdinName,
    Today,
    audits_only,
    find_framework,
    load_registry,
    no_audit_files,
    not_named_otherwise,
    read_stdin,
    reads_stdin,
    resolve_today,
    standards_files,
)
from qaimpact.cli.output import emit, write_document


@handle_errors
def new(
    framework_id: Annotated[
        str,
        typer.Option(
            "--standards",
            help="The framework's id or short name (see `qaimpact standards list`).",
            metavar="ID",
        ),
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
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="Write a record of another kind the framework declares (e.g. observation) instead "
            "of an audit.",
            metavar="KIND",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Overwrite FILE if it exists (never an audit or a record, even so).")
    ] = False,
    standards_dir: StandardsSearch = None,
) -> None:
    """Write a blank audit: every standard in order, guidance as comments, TODO where you must write."""
    from qaimpact.authoring.scaffold import scaffold_audit, scaffold_record
    from qaimpact.cli.outcome import finish

    registry = load_registry(standards_dir)
    # A folder named as a framework is (`cafcass`, beside the audits) is that framework: only a
    # path that names no framework is taken for --standards-dir mistyped.
    if framework_id.strip() and not registry.named(framework_id) and Path(framework_id).exists():
        raise UsageError(
            f"--standards takes a framework id here (see `qaimpact standards list`); for a folder of "
            f"frameworks such as '{framework_id}' use --standards-dir."
        )
    framework = find_framework(registry, framework_id)
    if kind is not None:
        _known_kind(framework, kind)
    if kind is not None and reviewer is not None:
        raise UsageError("--reviewer is for audits; a record names its own people (its scaffold says where).")
    schema_ref = None
    schema_written: Path | None = None
    if output is not None:
        from qaimpact.cli.output import refuse_an_input

        refuse_an_input(output, standards_files(registry))  # never over a framework, even with --force
        if output.is_dir():
            # Before any other check: a folder is neither replaced with --force nor renamed .yaml.
            raise UsageError(f"'{output}' is a folder; give a file name such as {output / 'audit.yaml'}.")
        from qaimpact.audits.checker import AUDIT_SUFFIXES, skipped_name
        from qaimpact.base.fileio import is_special

        what = "record" if kind is not None else "audit"
        a_what = f"{'a' if kind is not None else 'an'} {what}"
        skipped = skipped_name(output.name)
        why = None
        if skipped is not None:
            why = f"{skipped}, which validate and every report skip"
        elif not output.name.endswith(AUDIT_SUFFIXES) and not is_special(output):
            # `-o CFA-2026-0901.md` was written, then skipped by every folder the reports read.
            why = "validate and every report read only files whose names end .yaml or .yml"
        if why is not None:
            raise UsageError(
                f"'{output}' would not be read as {a_what}: {why}, so it would never be checked or "
                f"counted. Name the file after the {what}'s id, such as {output.name.split('.')[0]}.yaml."
            )
        if output.is_file() and output.stat().st_size > 0:
            from qaimpact.audits.checker import not_an_audit

            if not not_an_audit(output):  # an auditor's work, or YAML that may be: never replaced
                raise UsageError(
                    f"'{output}' already exists and holds an audit or a record (or YAML that cannot be "
                    "read as anything else): new never replaces one, even with --force. Choose another "
                    "name, or delete the file first if you mean to start it again."
                )
        if output.exists() and not force:
            raise UsageError(
                f"'{output}' already exists; choose another name, or add --force to overwrite it."
            )
        folder = output.parent
        if folder.exists() and not folder.resolve().is_dir():
            raise UsageError(f"'{folder}' is a file, not a folder; choose another place for the audit.")
        if not folder.exists():
            folder.mkdir(parents=True)
            from qaimpact.cli import console

            console.print_note(console.stderr(), f"created the folder {folder}")
        schema_ref, schema_written = _editor_schema(framework, output, kind)
    if kind is not None:
        text = scaffold_record(
            framework, kind, practitioner=practitioner, case_ref=case, schema_ref=schema_ref
        )
    else:
        text = scaffold_audit(
            framework,
            practitioner=practitioner,
            reviewer=reviewer,
            case_ref=case,
            schema_ref=schema_ref,
            audit_id=audit_id_of(output, framework, registry) if output is not None else None,
        )
    if output is None:
        write_document(text)
        finish(registry)
    from qaimpact.cli import console
    from qaimpact.cli.output import write_output

    write_output(output, text, force=force)
    # Every file written is named: a schemas/ folder appearing unannounced in a repository (or
    # an existing schema changing under a new version of the framework) is a surprise.
    also = ""
    if schema_written is not None:
        also = f" and its editor schema {_shown(schema_written, output)}"
    console.print_note(
        console.stderr(),
        f"wrote {output}{also}: replace each TODO, then run `qaimpact validate {output}`.",
    )
    finish(registry)


def _shown(path: Path, beside: Path) -> str:
    """``path`` as the user gave ``beside``: relative to the working folder when ``beside`` was
    given relative (and ``path`` is under it), else in full."""
    if not beside.is_absolute():
        try:
            return path.relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


#: A file name that is an audit id: letters, then groups of letters and digits joined by hyphens
#: or underscores, with a digit somewhere (CFA-2026-0400, QA_2026_0142), as services number audits.
_AUDIT_ID = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)+")


def _audits(n: int) -> str:
    """``1 audit``, ``2 audits``."""
    return f"{n} audit" if n == 1 else f"{n} audits"


def _records(n: int) -> str:
    """``1 record``, ``2 records``."""
    return f"{n} record" if n == 1 else f"{n} records"


def _files(n: int, plans: Iterable[Any]) -> str:
    """``3 audits`` when every plan is an audit's, else ``3 files`` (audits and records)."""
    return _audits(n) if all(p.kind is None for p in plans) else (f"{n} file" if n == 1 else f"{n} files")


def _migrated(done: list[Any], plans: list[Any]) -> str:
    """``2 of 2 audits``, or with records ``48 of 48 audits and 18 of 18 records``."""
    audits = sum(p.kind is None for p in plans)
    records = len(plans) - audits
    written = sum(p.kind is None for p in done)
    if not records:
        return f"{written} of {_audits(audits)}"
    return f"{written} of {_audits(audits)} and {len(done) - written} of {_records(records)}"


def audit_id_of(output: Path, framework: Any, registry: Any) -> str | None:
    """The audit id a new audit's file name gives (``audits/2026/CFA-2026-0400.yaml`` gives
    ``CFA-2026-0400``), or None when the name is not an id (``audit.yaml``, ``my audit.yaml``).

    A name shaped like an id but not like the framework's (``audit_ids``), such as a QA-... name
    for a council audit, gives None too, with a note on standard error: the file is still
    written, its audit_id left TODO, since the name may be right and the framework wrong, or the
    other way round, and only the auditor knows which."""
    stem = output.stem
    if not (_AUDIT_ID.fullmatch(stem) and any(c.isdigit() for c in stem)):
        return None
    shape = framework.spec.audit_ids
    if shape is None or shape.fits(stem):
        return stem
    from qaimpact.cli import console

    others = [
        fw
        for fw in registry.frameworks()
        if fw.id != framework.id and fw.spec.audit_ids is not None and fw.spec.audit_ids.fits(stem)
    ]
    note = (
        f"'{stem}' is not shaped like an audit id of {framework.spec.title} (those start "
        f"{shape.prefix}-), so audit_id is left as TODO: write the audit's id there."
    )
    if others:
        # new never replaces an audit, even with --force: the file written now is one.
        note += (
            f" If this is an audit of {others[0].spec.title}, delete {output} and write it again with "
            f"--standards {others[0].id}."
        )
    console.print_note(console.stderr(), note)
    return None


def _known_kind(framework: Any, kind: str) -> None:
    """Refuse a kind of record the framework does not declare, naming those it does."""
    kinds = list(framework.spec.records)
    if kind in kinds:
        return
    if not kinds:
        raise UsageError(f"{framework.id} declares no kinds of record besides audits; leave out --kind.")
    from qaimpact.base.diagnose import suggest

    guess = suggest(kind, kinds)
    raise UsageError(
        f"{framework.id} declares no kind of record '{kind}'"
        + (f"; did you mean '{guess}'?" if guess else ".")
        + f" Its kinds: {', '.join(kinds)}."
    )


def _editor_schema(framework: Any, output: Path, kind: str | None = None) -> tuple[str, Path | None]:
    """Make sure the JSON Schema for editors exists and is the framework's; return its path
    relative to the file, and the schema file if it was written now (None if it was already so)."""
    import json

    from qaimpact.cli.output import write_output
    from qaimpact.frameworks.schema import audit_schema, record_schema

    folder = output.resolve().parent
    root = next((p for p in (folder, *folder.parents) if (p / ".git").exists()), folder)
    if kind is None:
        schema = root / "schemas" / f"{framework.id}.schema.json"
        data, urn = audit_schema(framework), f"urn:qaimpact:schema:audit:{framework.id}"
    else:
        schema = root / "schemas" / f"{framework.id}.{kind}.schema.json"
        data, urn = record_schema(framework, kind), f"urn:qaimpact:schema:{kind}:{framework.id}"
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    # Keep our schema file in step with the framework; a file there that is not ours stays as it is.
    if schema.exists():
        current = schema.read_text(encoding="utf-8", errors="replace")
        if f'"$id": "{urn}"' not in current:
            raise UsageError(
                f"'{schema}' exists but is not qaimpact's schema for {framework.id}; move it, or "
                "write the audit elsewhere."
            )
    written = None
    if not schema.exists() or schema.read_text(encoding="utf-8") != text:
        schema.parent.mkdir(parents=True, exist_ok=True)
        write_output(schema, text, force=True)  # ours, checked above
        written = schema
    return Path(os.path.relpath(schema, folder)).as_posix(), written


@handle_errors
def fmt_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Audit files or folders (searched recursively).", metavar="PATH...")
    ],
    check: Annotated[
        bool,
        typer.Option("--check", help="Change nothing; list the files that would change and exit 1 if any."),
    ] = False,
    force: Annotated[
        bool, typer.Option(help="Rewrite read-only files too (refused without it, as editors do).")
    ] = False,
    standards_dir: StandardsDirsOrDir = None,
    today: Today = None,
    stdin_name: StdinName = "<stdin>",
    skip_non_audits: SkipNonAudits = False,
) -> None:
    """Normalise audits (key order, indentation, quoting), keeping every comment.

    Every file is checked before any is written; each is replaced atomically, keeping its
    permissions, owner and group, written through a symbolic link, and left alone if it changed
    since it was read or is read-only (unless --force). `-` formats one audit from standard input
    onto standard output, as editors' format-on-save expects.
    """
    from qaimpact.audits.checker import CheckOptions, expand_paths
    from qaimpact.authoring.fmt import plan_format, write_format
    from qaimpact.base.fileio import FileChanged, ReadOnlyFile, clean_leftovers, one_listing
    from qaimpact.cli import console

    if reads_stdin(paths):
        _fmt_stdin(stdin_name, check=check, standards_dir=standards_dir, today=today)

    options = CheckOptions(today=resolve_today(today))
    files = audits_only(
        not_named_otherwise(_distinct(expand_paths(paths))), options.max_file_size, skip_non_audits
    )
    if not files:
        if skip_non_audits:
            # A commit that touches YAML but no audit: nothing to do, and nothing wrong.
            raise typer.Exit(0)
        raise UsageError(no_audit_files(paths, verb="format"))
    registry = load_registry(standards_dir)
    out, err = console.stdout(), console.stderr()
    # One listing of each folder for leftovers, not one per file: fmt of a big folder stays linear.
    with one_listing():
        if not check:
            for path in files:
                for note in clean_leftovers(path):
                    console.print_note(err, note)
        changed = invalid = skipped = refused = 0
        # Every file is read and formatted before any is written: a failure part-way through a
        # folder leaves every file as it was.
        planned = [(path, plan_format(path, registry, options)) for path in files]
        for path, result in planned:
            if result.problems is not None:
                invalid += 1
                console.print_problem(err, f"{path} has errors, so it was not formatted:")
                console.print_check(err, result.problems)
                continue
            if not result.changed:
                continue
            if not check:
                try:
                    written = write_format(result, force=force)
                except (FileChanged, ReadOnlyFile) as exc:
                    skipped += 1
                    console.print_problem(err, exc.message)
                    continue
                except OSError as exc:
                    skipped += 1
                    refused += 1
                    console.print_problem(
                        err, f"{path} could not be written ({exc.strerror or exc}); it is as it was."
                    )
                    continue
                for note in written.notes if written else []:
                    console.print_note(err, note)
            changed += 1
            console.print_note(out, f"{path} {'would be reformatted' if check else 'reformatted'}")
    unchanged = len(files) - changed - invalid - skipped
    verb = "would be reformatted" if check else "reformatted"
    summary = f"{changed} file{'s' if changed != 1 else ''} {verb}, {unchanged} unchanged"
    if invalid:
        summary += f", {invalid} not formatted because of errors"
    if skipped:
        summary += f", {skipped} left as {'it was' if skipped == 1 else 'they were'} (see above)"
    console.print_summary_text(out, summary + ".")
    failed = invalid > 0 or skipped > 0 or (check and changed > 0)
    from qaimpact.cli.outcome import finish

    # The file system refusing a write is the same exit code as anywhere else (2).
    finish(registry, failed=failed, refused=refused > 0)


def _fmt_stdin(name: str, *, check: bool, standards_dir: list[Path] | None, today: Any) -> None:
    """``fmt -``: the formatted audit on standard output, or nothing there and its findings on
    standard error when it has errors (an editor then keeps its text as it is)."""
    from qaimpact.audits.checker import CheckOptions, check_bytes
    from qaimpact.authoring.fmt import format_text
    from qaimpact.cli import console
    from qaimpact.cli.outcome import finish

    data = read_stdin()
    registry = load_registry(standards_dir)
    options = CheckOptions(today=resolve_today(today))
    err = console.stderr()
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError:
        console.print_problem(err, f"{name} has errors, so it was not formatted:")
        console.print_check(err, check_bytes(data, name, registry, options))
        finish(registry, failed=True)
    crlf = "\r\n" in raw
    text = raw.removeprefix("\ufeff").replace("\r\n", "\n")
    result = format_text(text, name, registry, options)
    if result.problems is not None:
        console.print_problem(err, f"{name} has errors, so it was not formatted:")
        console.print_check(err, result.problems)
        finish(registry, failed=True)
    if check:
        if result.changed:
            console.print_note(err, f"{name} would be reformatted")
        finish(registry, failed=result.changed)
    # The text keeps its own conventions, as a file does: a byte-order mark and Windows line endings.
    out = result.new_text.replace("\n", "\r\n") if crlf else result.new_text
    write_document(("\ufeff" if raw.startswith("\ufeff") else "") + out)
    finish(registry)


def _distinct(paths: Iterable[Path]) -> list[Path]:
    """Paths naming different files: a link and its target, given both, are one file to rewrite."""
    seen: set[str] = set()
    out = []
    for path in paths:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            out.append(path)
    return out


@handle_errors
def migrate(
    paths: Annotated[
        list[Path], typer.Argument(help="Audit files or folders (searched recursively).", metavar="PATH...")
    ],
    to: Annotated[
        str,
        typer.Option(
            "--to", help="The framework to migrate the audits to, by its id or short name.", metavar="ID"
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            help="Migrate even where information would be lost (it is listed first), and rewrite "
            "read-only files."
        ),
    ] = False,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Rewrite audits for a newer version of their framework, keeping every comment.

    A migration that would lose information (a retired standard that has a rating, a split that
    needs a judgement) is refused, with exactly what would be lost, unless --force. Records beside
    the audits (observations, feedback, follow-through) are migrated as records; one the new
    framework cannot hold whole is left as it is, even with --force.
    """
    from qaimpact.audits.checker import CheckOptions, check_text, expand_paths
    from qaimpact.authoring.migrate import apply_migration, plan_file
    from qaimpact.base.fileio import FileChanged, ReadOnlyFile, clean_leftovers, one_listing
    from qaimpact.cli import console

    files = _distinct(expand_paths(paths))
    if not files:
        raise UsageError(no_audit_files(paths, verb="migrate"))
    registry = load_registry(standards)
    # --to is read as `new --standards` reads it (an id in any case, a short name), once for
    # every file rather than refused file by file.
    to = find_framework(registry, to).id
    options = CheckOptions(today=resolve_today(today))
    out, err = console.stdout(), console.stderr()
    # One listing of each folder for leftovers, not one per file.
    with one_listing():
        if not dry_run:
            for path in files:
                for note in clean_leftovers(path):
                    console.print_note(err, note)
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
                console.print_detail(out, change)
            for loss in plan.losses:
                console.print_problem(err, str(loss))
        blocked = [p for p in plans if p.refused]
        one = len(blocked) == 1
        kept = (
            f" --force does not migrate the {'record' if one else _records(len(blocked))} that would "
            f"lose something: {'it stays as it is' if one else 'they stay as they are'}."
            if blocked
            else ""
        )
        if lossy and not force:
            raise QaImpactError(
                f"{len(lossy)} of {_files(len(plans), plans)} would lose information (listed "
                "above); nothing was written. Record what is needed first, or run again with --force." + kept
            )
        from qaimpact.cli.outcome import finish

        if dry_run:
            console.print_summary_text(
                out, f"Dry run: {sum(p.changed for p in plans)} of {_files(len(plans), plans)} would change."
            )
            finish(registry)
        written = refused = 0
        done = []
        for plan in plans:
            if not plan.changed or plan.refused:
                continue
            try:
                result = apply_migration(plan, force=force)
            except (FileChanged, ReadOnlyFile) as exc:
                console.print_problem(err, exc.message)
                continue
            except OSError as exc:
                refused += 1
                console.print_problem(
                    err, f"{plan.path} could not be written ({exc.strerror or exc}); it is as it was."
                )
                continue
            for note in result.notes if result else []:
                console.print_note(err, note)
            written += 1
            done.append(plan)
    still = [check_text(p.new_text, p.path, registry, options) for p in done]
    todo = sum(1 for c in still if any(d.code == "QA210" for d in c.diagnostics))
    summary = f"Migrated {_migrated(done, plans)} to {to}."
    if blocked:
        summary += (
            f" {_records(len(blocked))} could not be migrated without loss (listed above) and "
            f"{'is' if len(blocked) == 1 else 'are'} as {'it was' if len(blocked) == 1 else 'they were'}."
        )
    if todo:
        summary += (
            f" {todo} need{'s' if todo == 1 else ''} a reviewer's judgement where "
            f"{'it now says' if todo == 1 else 'they now say'} TODO (qaimpact validate lists them)."
        )
    console.print_summary_text(out, summary)
    left = sum(p.changed for p in plans) - written
    finish(registry, failed=left > 0, refused=refused > 0)


@handle_errors
def schema(
    framework_id: Annotated[
        str | None,
        typer.Argument(
            help="The framework's id or short name (see `qaimpact standards list`).", metavar="[ID]"
        ),
    ] = None,
    standards_id: Annotated[
        str | None, typer.Option("--standards", help="The framework, as an option.", metavar="ID")
    ] = None,
    standards_format: Annotated[
        bool, typer.Option("--standards-format", help="The schema of standards files instead.")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the schema to FILE.", metavar="FILE")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="The schema of records of this kind (e.g. observation).", metavar="KIND"),
    ] = None,
    report: Annotated[
        str | None,
        typer.Option(
            "--report",
            help="The schema of a command's JSON output instead: audit, learning_log, summary, escalations, "
            "actions, impact, moderation, programme, quarterly, sample, standards_diff, validate or grade.",
            metavar="NAME",
        ),
    ] = None,
    force: Force = False,
    standards_dir: StandardsSearch = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a framework's audit files, for editors and other tools.

    With --report NAME, print the published schema of a command's JSON output instead
    (docs/reports.md, "JSON output").
    """
    from qaimpact.base.escaping import to_json
    from qaimpact.frameworks.schema import audit_schema, record_schema, standards_schema

    ident = framework_id or standards_id
    if report is not None:
        if ident or kind or standards_format:
            raise UsageError(
                "--report prints the schema of a command's JSON output: give no framework id, --kind "
                "or --standards-format with it."
            )
        from qaimpact.reports import schemas

        emit(schemas.text(report), output, [], force)
        return
    if standards_format:
        if ident or kind:
            raise UsageError(
                "--standards-format describes every standards file: give no framework id or --kind with it."
            )
        data = standards_schema()
    else:
        if not ident:
            raise UsageError("Give a framework id (see `qaimpact standards list`), or --standards-format.")
        registry = load_registry(standards_dir)
        framework = find_framework(registry, ident)
        if kind is not None:
            _known_kind(framework, kind)
            data = record_schema(framework, kind)
        else:
            data = audit_schema(framework)
    emit(to_json(data, indent=2) + "\n", output, [], force)
    if not standards_format:
        from qaimpact.cli.outcome import finish

        finish(registry)

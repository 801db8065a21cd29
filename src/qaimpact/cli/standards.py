"""``qaimpact standards list|show|diff|check``: the frameworks audits can use."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qaimpact.base.errors import UsageError
from qaimpact.cli import exitcodes
from qaimpact.cli.errors import handle_errors
from qaimpact.cli.options import (
    StandardsDirs,
    TextOrJson,
    find_framework,
    format_option,
    load_registry,
)


@handle_errors
def standards_list(standards: StandardsDirs = None) -> None:
    """List the frameworks that audits can use."""
    from qaimpact.cli import console

    registry = load_registry(standards)
    frameworks = registry.frameworks()
    shorts = {fw.id: registry.short_names(fw.id) for fw in frameworks}
    console.print_standards_list(console.stdout(), frameworks, registry.shadowed, shorts)
    broken = [p for p, fw, _ in registry.entries() if fw is None]
    if broken:
        console.print_problem(
            console.stderr(),
            "these standards files have errors and are not listed: "
            + ", ".join(map(str, broken))
            + " (see qaimpact standards check).",
        )
        raise typer.Exit(exitcodes.STANDARDS)


@handle_errors
def standards_show(
    framework_id: Annotated[
        str,
        typer.Argument(
            help="The framework's id or short name (see `qaimpact standards list`).", metavar="ID"
        ),
    ],
    standards: StandardsDirs = None,
) -> None:
    """Show a framework: its grades, ratings, standards with descriptors, threshold rules and readings."""
    from qaimpact.cli import console

    registry = load_registry(standards)
    framework = find_framework(registry, framework_id)
    console.show_framework(console.stdout(), framework)
    from qaimpact.cli.outcome import finish

    finish(registry)


@handle_errors
def standards_diff(
    old: Annotated[str, typer.Argument(help="The older framework's id or short name.", metavar="A")],
    new_id: Annotated[str, typer.Argument(help="The newer framework's id or short name.", metavar="B")],
    output_format: Annotated[TextOrJson, format_option(TextOrJson, "text or json.")] = TextOrJson.text,
    standards: StandardsDirs = None,
) -> None:
    """Show what changed from framework A to framework B (renames come from B's migrations)."""
    from qaimpact.base.escaping import to_json
    from qaimpact.cli.output import write_document
    from qaimpact.frameworks.diff import diff_frameworks
    from qaimpact.reports.standards_diff import render_text

    registry = load_registry(standards)
    frameworks = []
    for ident in (old, new_id):
        frameworks.append(find_framework(registry, ident))
    diff = diff_frameworks(*frameworks)
    if output_format is TextOrJson.json:
        from qaimpact.reports.schemas import SCHEMA_VERSION

        # As every report's JSON: what it is first, then the diff (standards_diff.schema.json).
        document = {"schema_version": SCHEMA_VERSION, "kind": "standards_diff", **diff.to_dict()}
        write_document(to_json(document, indent=2, default=str) + "\n")
    else:
        write_document(render_text(diff))
    from qaimpact.cli.outcome import finish

    finish(registry)


@handle_errors
def standards_check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Standards files, or folders of them, to check (default: every framework on the "
            "search path).",
            metavar="[FILE...]",
        ),
    ] = None,
    standards: StandardsDirs = None,
) -> None:
    """Check standards files: their format, unique ids and every reference in their rules."""
    from qaimpact.cli import console
    from qaimpact.frameworks.check import check_file
    from qaimpact.frameworks.registry import standards_files

    if files:
        missing = [f for f in files if not f.exists()]
        if missing:
            raise UsageError(f"'{missing[0]}' does not exist.")
        # A folder is checked as --standards reads it: each standards file in it.
        found = {given: list(standards_files(given)) for given in files}
        empty = [given for given, inside in found.items() if not inside]
        if empty:
            raise UsageError(
                f"'{empty[0]}' holds no standards file (*.yaml or *.yml): name one, or a folder of them."
            )
        entries = [(f, *check_file(f)) for inside in found.values() for f in inside]
    else:
        entries = load_registry(standards).entries()
    console.print_standards_check(console.stdout(), entries)
    if any(fw is None or any(d.is_error for d in diags) for _, fw, diags in entries):
        raise typer.Exit(exitcodes.STANDARDS)

"""Options several commands take, declared once (typer ``Annotated`` aliases), and their meaning.

A command declares ``standards: StandardsDirs = None`` and gets the same flag, help text and
metavar as every other command; :func:`load_registry`, :func:`resolve_today` and
:func:`parse_date` turn the values into what the core takes. Options of one command only are
declared beside it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from qaimpact.base.errors import UsageError


class TextOrJson(StrEnum):
    """Output formats of ``grade`` and ``validate``."""

    text = "text"
    json = "json"


class CycleFormat(StrEnum):
    """Output formats of the cycle's commands."""

    md = "md"
    html = "html"
    json = "json"
    csv = "csv"


StandardsDirs = Annotated[
    list[Path] | None,
    typer.Option(
        "--standards",
        help="A folder of standards files (or one file) to search before the bundled frameworks. "
        "Repeatable. Also read from QAIMPACT_STANDARDS_PATH.",
        metavar="DIR",
    ),
]

StandardsSearch = Annotated[
    list[Path] | None,
    typer.Option(
        "--standards-dir",
        help="A folder of standards files (or one file) to search before the bundled frameworks. Repeatable.",
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

Force = Annotated[
    bool,
    typer.Option(
        help="Replace an existing --output file that is not an earlier report (those are replaced anyway), "
        "or a read-only one. Never a file being read."
    ),
]

Bom = Annotated[
    bool,
    typer.Option(
        help="Start a CSV with a byte-order mark, so that Excel reads its accents and symbols as UTF-8 "
        "when the file is opened with a double click."
    ),
]

Redact = Annotated[
    bool, typer.Option(help="Replace people's names and case identifiers with stable pseudonyms.")
]

#: ``--publish`` where it is refused: only the quarterly summary makes a published version.
NoPublish = Annotated[
    bool,
    typer.Option("--publish", help="Not for this report: use `qaimpact summary --publish`.", hidden=True),
]


def refuse_publish(publish: bool, command: str) -> None:
    """Refuse ``--publish`` on a report that names audits (docs/reports.md, "Flags by report")."""
    if publish:
        from qaimpact.base.errors import UsageError

        raise UsageError(
            f"--publish is for the quarterly summary only: `qaimpact {command}` lists individual "
            "audits, which a published report never does. Use `qaimpact summary --publish` for "
            "figures that leave the QA team, or --redact to replace names in this report."
        )


def note_redaction(view: dict[str, Any], redact: bool) -> None:
    """Say in a redacted report what redaction does and what it cannot do (its ``redaction``)."""
    if redact:
        from qaimpact.privacy.redaction import NOTE

        view["redaction"] = NOTE


Templates = Annotated[
    Path | None,
    typer.Option(help="A folder of templates that override the bundled ones by name.", metavar="DIR"),
]


def resolve_today(value: str | None) -> dt.date:
    """The date ``--today`` gives, else today's."""
    return parse_date(value, "--today") or dt.date.today()


def parse_date(value: str | None, option: str) -> dt.date | None:
    """A date option's value (``YYYY-MM-DD``); a usage error naming ``option`` if it is not one."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} '{value}' is not a date: write it as YYYY-MM-DD.") from None


def load_registry(dirs: list[Path] | None) -> Any:
    """The frameworks on the search path (``--standards``, ``QAIMPACT_STANDARDS_PATH``, bundled).

    A broken standards file does not stop the command: only the framework it declares cannot be
    used (audits that name it get ``QA211``; asking for it by id is a standards error), and
    :func:`qaimpact.cli.outcome.finish` reports the file once and exits 3.
    """
    from qaimpact.frameworks.registry import Registry

    return Registry.default(dirs or [])


def unknown_framework(registry: Any, framework_id: str) -> str:
    """The message for an unknown framework id: the closest id and every known one."""
    guess = registry.closest(framework_id)
    return (
        f"Unknown framework '{framework_id}'."
        + (f" Did you mean '{guess}'?" if guess else "")
        + f" Known frameworks: {', '.join(registry.ids())}."
    )


#: The path that means standard input, as in most command-line tools.
STDIN = Path("-")

StdinName = Annotated[
    str,
    typer.Option(
        "--stdin-name",
        help="The file name findings give for an audit read from standard input ('-'), as an "
        "editor names the file it sends.",
        metavar="NAME",
    ),
]


def reads_stdin(paths: list[Path]) -> bool:
    """Whether the paths ask for standard input: ``-``, given alone (it is one audit)."""
    if STDIN not in paths:
        return False
    if len(paths) > 1:
        raise UsageError("'-' reads one audit from standard input: give it alone, without other paths.")
    return True


def read_stdin() -> bytes:
    """Everything on standard input, as bytes (the checker decodes it as it does a file)."""
    import sys

    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError(
            "'-' reads an audit from standard input, but nothing is piped in: for example "
            "`qaimpact validate - < audit.yaml`."
        )
    return sys.stdin.buffer.read()


SkipNonAudits = Annotated[
    bool,
    typer.Option(
        "--skip-non-audits",
        help="Pass over YAML files that are not audits (no 'standards:' and no 'audit_id:'), with a "
        "note, as reports do: for pre-commit hooks, which are given every YAML file.",
    ),
]


def audits_only(files: list[Path], max_size: int, skip: bool) -> list[Path]:
    """The files that are audits, noting each one passed over (only when ``skip``)."""
    if not skip:
        return files
    from qaimpact.audits.checker import not_an_audit

    kept = []
    for path in files:
        if not_an_audit(path, max_size):
            from qaimpact.cli import console

            console.print_note(
                console.stderr(), f"skipped {path}: not an audit (it has no 'standards:' and no 'audit_id:')"
            )
        else:
            kept.append(path)
    return kept

"""Where a command's output goes: the screen, or an ``--output`` file that is never a user's audit.

The console script prints through :mod:`qaimpact.cli.console` (rich) for people and writes
reports as plain text through :func:`write_document`; nothing else in qaimpact prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

from qaimpact.base.errors import UsageError


def write_document(text: str) -> None:
    """Write a document (a report, JSON, a scaffold) to standard output.

    On a terminal, control characters and direction overrides the document holds are shown as
    visible escapes (its own line breaks and tabs stay), so that a value in a report cannot drive
    the terminal; piped or redirected, the document is written exactly.
    """
    if sys.stdout.isatty():
        from qaimpact.base.escaping import terminal_safe

        text = terminal_safe(text)
    sys.stdout.write(text)


def emit(text: str, output: Path | None, inputs: list[Path], force: bool) -> None:
    """Write ``text`` to the screen, or to ``output`` once it is safe to (see :func:`check_output_path`)."""
    if output is None:
        write_document(text)
        return
    check_output_path(output, inputs, force=force)
    from qaimpact.cli import console

    write_output(output, text, force=force)
    console.print_note(console.stderr(), f"wrote {output}")


def write_output(output: Path, text: str, *, force: bool) -> None:
    """Write an ``--output`` file by the rules every written file follows
    (:func:`qaimpact.base.fileio.write_file`), and say anything the user should know."""
    from qaimpact.base.fileio import write_file
    from qaimpact.cli import console

    for note in write_file(output, text, force=force).notes:
        console.print_note(console.stderr(), note)


def check_output_path(output: Path, inputs: list[Path], *, force: bool = False) -> None:
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

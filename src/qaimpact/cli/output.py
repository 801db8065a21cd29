"""Where a command's output goes: the screen, or an ``--output`` file that is never a user's audit.

The console script prints through :mod:`qaimpact.cli.console` (rich) for people and writes
reports as plain text through :func:`write_document`; nothing else in qaimpact prints.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from qaimpact.base.errors import UsageError


def styled(stream: TextIO) -> bool:
    """Whether to write to ``stream`` as to a terminal, in colour: when it is one, or when
    ``FORCE_COLOR`` is set to anything but the empty string (https://force-color.org: CI logs
    show colour though they are not terminals). ``NO_COLOR`` then still takes the colour away
    (https://no-color.org), keeping the terminal's layout."""
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return stream.isatty()
    except ValueError:  # a closed stream
        return False


def on_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal a person reads. ``FORCE_COLOR`` does not make it one: it
    asks for colour, and a report redirected to a file under it must still be the report."""
    try:
        return stream.isatty()
    except ValueError:  # a closed stream
        return False


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


def emit(
    text: str,
    output: Path | None,
    inputs: list[Path],
    force: bool,
    *,
    markdown: bool = False,
    csv: bool = False,
) -> None:
    """Write ``text`` to the screen, or to ``output`` once it is safe to (see :func:`check_output_path`).

    ``csv``: ``text`` is a CSV report, whose header row recognises an earlier copy of it.

    ``markdown``: ``text`` is a Markdown report written because no ``--format`` was given. On a
    terminal it is then shown rendered (headings, tables, bold), as people read it, rather than
    as Markdown source full of ``\\*`` and ``|``; piped, redirected (``FORCE_COLOR`` or not) or
    with ``--format md`` the Markdown itself is written, for files and other tools.
    """
    if output is None:
        if markdown and on_terminal(sys.stdout):
            from qaimpact.cli import console

            console.print_markdown(console.stdout(), text)
            return
        write_document(text)
        return
    check_output_path(output, inputs, force=force, csv_header=text.partition("\n")[0] if csv else None)
    from qaimpact.base.provenance import seal

    # A page written to a file is sealed, so that the next run can tell it unchanged (replaced)
    # from one a person has written on since (kept).
    write_output(output, seal(text), force=force, csv=csv)
    note_written(output)


def write_output(output: Path, text: str, *, force: bool, csv: bool = False) -> None:
    """Write an ``--output`` file by the rules every written file follows
    (:func:`qaimpact.base.fileio.write_file`), note it in the record of what qaimpact wrote
    (:mod:`qaimpact.base.written`, so that a later run keeps it if a person changes it; ``csv``:
    a CSV report, noted by its cells), and say anything the user should know."""
    _write_and_record(output, text.encode("utf-8"), force=force, csv=csv)


def _write_and_record(output: Path, data: bytes, *, force: bool, csv: bool = False) -> None:
    from qaimpact.base.fileio import write_file
    from qaimpact.base.written import record
    from qaimpact.cli import console

    notes = write_file(output, data, force=force).notes
    record(output, data, csv_cells=csv)
    for note in notes:
        console.print_note(console.stderr(), note)


def note_written(output: Path) -> None:
    """Say on standard error that ``output`` was written (``note: wrote FILE``), as every command
    that writes an ``--output`` file says it, once the file is written."""
    from qaimpact.cli import console

    console.print_note(console.stderr(), f"wrote {output}")


def needs_output_file(output: Path | None) -> None:
    """Refuse ``--format xlsx`` without ``-o FILE``: a workbook is binary, never for a screen or pipe."""
    if output is None:
        raise UsageError(
            "--format xlsx writes an Excel workbook, which cannot be shown here: add -o FILE.xlsx "
            "to write it to a file."
        )


def emit_workbook(data: bytes, output: Path, inputs: list[Path], force: bool) -> None:
    """Write a workbook's bytes to ``output`` by the rules every written file follows."""
    check_output_path(output, inputs, force=force)
    _write_and_record(output, data, force=force)
    note_written(output)


def with_templates(inputs: list[Path], templates: Path | None) -> list[Path]:
    """``inputs`` and the files of a ``--templates`` folder: a report reads them, so ``-o`` must
    never write over one, not even with ``--force`` (``-o tp/summary.md.j2 --templates tp`` did).

    Only the folder's own files: the reports ask for templates by plain name, never from a
    subfolder, and a folder such as ``--templates .`` is not searched through.
    """
    if templates is None or not templates.is_dir():
        return inputs
    return [*inputs, *(path for path in templates.iterdir() if path.is_file())]


def _is_an_input(output: Path, inputs: list[Path]) -> bool:
    """Whether ``output`` is one of the files read, under any name (a symbolic or hard link).

    An output that does not exist yet cannot be one of them: that is every first run, and it costs
    one call, not one per audit read (resolving 10,000 paths took most of a second).
    """
    try:
        target = output.stat()
    except OSError:
        return False
    for path in inputs:
        try:
            if os.path.samestat(target, path.stat()):
                return True
        except OSError:
            continue
    return False


def refuse_an_input(
    output: Path, inputs: list[Path], *, option: str = "--output", fix: str = "choose another file"
) -> None:
    """Refuse to write ``output`` (given as ``option``) if it is one of the files being read, under
    any name: never, not even with --force. ``fix``: what to do instead."""
    if _is_an_input(output, inputs):
        raise UsageError(f"{option} '{output}' is one of the files being read; {fix}.")


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file: the same path once resolved (``./v.xlsx`` and ``v.xlsx``,
    a symbolic link and its target, even before the file exists), or one file under two names
    (a hard link)."""
    if os.path.realpath(first) == os.path.realpath(second):
        return True
    try:
        return os.path.samestat(first.stat(), second.stat())
    except OSError:
        return False


def refuse_one_file(first: tuple[str, Path], second: tuple[str, Path], *, fix: str) -> None:
    """Refuse two outputs, each given as (option, path), that are the same file: one would be
    written over the other. ``fix``: what to do instead."""
    (option, path), (other, other_path) = first, second
    if same_file(path, other_path):
        raise UsageError(
            f"{other} '{other_path}' is the same file as {option} '{path}', and one would be written "
            f"over the other; {fix}."
        )


def check_output_path(
    output: Path, inputs: list[Path], *, force: bool = False, csv_header: str | None = None
) -> None:
    """Refuse any --output that could destroy a user's file: one being read, any YAML file, a
    folder, or an existing file that is not an earlier report qaimpact wrote, recognised by what
    it holds (:mod:`qaimpact.base.provenance`), unless --force. An earlier report is replaced.

    ``csv_header``: the header row of the CSV report to be written, when it is one.
    """
    if output.is_dir():
        raise UsageError(f"--output '{output}' is a folder; give a file name.")
    if not output.parent.resolve().is_dir():
        raise UsageError(f"--output '{output}': the folder '{output.parent}' does not exist.")
    refuse_an_input(output, inputs)
    # A link is written through (base/fileio.write_file): the file it leads to is the one
    # replaced, so its name is checked as well as the link's.
    real = Path(os.path.realpath(output))
    linked = f" (a link to '{real}')" if real.name != output.name else ""
    if {output.suffix.lower(), real.suffix.lower()} & {".yaml", ".yml"}:
        # A YAML name that names no file yet is refused too: every folder read would take the
        # report for an audit.
        how = (
            "over a YAML file"
            if real.exists()
            else "as a YAML file, which validate and every report would then read as an audit"
        )
        raise UsageError(f"--output '{output}'{linked} would write a report {how}; choose another name.")
    from qaimpact.base.fileio import is_read_only, is_special

    if output.is_file() and not force and is_read_only(output.stat()):
        raise UsageError(
            f"--output '{output}' is read-only, so it was not replaced. Make it writable "
            f"(chmod u+w '{output}'), choose another name, or add --force."
        )

    # Devices and pipes (/dev/null, /dev/stdout) are not files anyone could lose. An earlier
    # report is replaced, as running a report again each month expects; any other file only with
    # --force. A name proves nothing (notes.md, cases.csv): what the file holds decides.
    from qaimpact.base.provenance import Verdict, judge

    if not output.is_file() or force or is_special(output):
        return
    try:
        verdict = judge(output, csv_header=csv_header)
    except OSError as exc:
        raise UsageError(
            f"--output '{output}'{linked} already exists and could not be read to see whether it is an "
            f"earlier report ({exc.strerror or exc}), so it was not replaced; check its permissions, "
            "choose another name, or add --force to replace it."
        ) from None
    if verdict is Verdict.EARLIER:
        return
    if verdict is Verdict.CHANGED:
        why = "is a report qaimpact wrote that has been changed since, and the changes would be lost"
    elif verdict is Verdict.NOT_AS_WRITTEN:
        why = (
            "is a qaimpact report, but not the one qaimpact last wrote there on this computer: someone "
            "may have changed it since (or it is a copy from elsewhere, such as git), and any changes "
            "would be lost"
        )
    elif verdict is Verdict.UNSEALED:
        why = (
            "is a qaimpact report without the mark that shows it unchanged (it was written with > or "
            "by an older version), and someone may have written on it"
        )
    else:
        columns = (
            " (a CSV file counts as one only with the same columns as this report: another version "
            "of qaimpact or other options may give other columns)"
            if csv_header is not None
            else ""
        )
        why = f"already exists and is not an earlier qaimpact report{columns}"
    raise UsageError(
        f"--output '{output}'{linked} {why}, so it was not replaced; choose another name, or add "
        "--force to replace it."
    )

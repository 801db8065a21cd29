"""Reading the audits a command works on, and ending it: what it left out, and its exit code.

Every command that checks audits or reports on them ends through :func:`finish`, so they all
treat a broken standards file and an invalid audit alike:

- a broken standards file never stops the run: each is reported once on standard error, at its
  own ``file:line:col``, and only the audits that name its framework fail (``QA211``);
- a report leaves out the audits that have errors and is still written; then standard error
  lists each file left out and why (names withheld under ``--redact`` and ``--publish``);
- the exit code is the first that applies of 2 (a file the system refused to write), 3 (a
  broken standards file), 1 (problems found) and 0 (:func:`qaimpact.cli.exitcodes.first_of`),
  as ``docs/exit-codes.md`` documents.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from qaimpact.base.errors import UsageError
from qaimpact.cli import exitcodes
from qaimpact.cli.options import load_registry, no_audits_to_report, parse_date

if TYPE_CHECKING:
    from rich.console import Console

    from qaimpact.audits.checker import AuditCheck
    from qaimpact.audits.dataset import Dataset
    from qaimpact.frameworks.registry import Registry


@dataclass(frozen=True, slots=True)
class Audits:
    """The audits a report reads: the frameworks, the loaded audits and the files read."""

    registry: Registry
    dataset: Dataset
    inputs: list[Path]


def read_audits(
    audits: list[Path] | None,
    standards: list[Path] | None,
    day: dt.date,
    date_from: str | None = None,
    date_to: str | None = None,
    *,
    with_lift: bool = False,
    required: bool = True,
    earlier: bool = True,
    imports: Sequence[str] = (),
) -> Audits:
    """Load the audits a report reads (``--audits``, default ``audits/`` or here), graded.

    A broken standards file does not stop it: the audits of its framework are left out like any
    other invalid audit, and :func:`finish` reports the file once. Folders that hold no YAML file
    at all are a usage error (:func:`require_audit_files`) unless ``required`` is false.
    ``earlier``: whether the report reads audits from before the period (carried-in actions and
    escalations, re-audits), so that one with errors from then is left out, not set aside.
    ``imports``: the modules the command reports with, beyond those every report uses
    (:data:`REPORTING`), imported while the workers read the audits.
    """
    from qaimpact.audits.checker import CheckOptions
    from qaimpact.audits.dataset import default_audits_folder, load_dataset
    from qaimpact.base.loader import paused_gc

    folders = audits or [default_audits_folder()]
    registry = load_registry(standards)
    # The collector is paused while the audits are read (load_dataset) and they live until the
    # command ends: moved out of its reach before it restarts, neither its first collection nor
    # the report's own work walks every one of them again (a fifth of summary's time over 10,000
    # audits). finish() hands them back.
    with paused_gc():
        dataset = load_dataset(
            folders,
            registry,
            CheckOptions(today=day, with_lift=with_lift, keep_data=True),
            date_from=parse_date(date_from, "--from"),
            date_to=parse_date(date_to, "--to"),
            earlier=earlier,
            meanwhile=functools.partial(_import_all, (*REPORTING, *imports)),
        )
        gc.freeze()
    if _kept is not None:
        _kept.append(dataset)
        # The process ends as the command does: the collector stays off for the rest of it. On,
        # each collection walked the report's new objects again (over 9,600 audits, 20 ms of
        # summary's 0.47 s after its last audit, and 0.7 s of an Excel summary's 5.5 s), and what
        # it freed (a workbook's cells once written) never raised the peak memory, measured.
        gc.disable()
    if required:
        require_audit_files(dataset, folders, given=bool(audits))
    return Audits(registry, dataset, dataset.files)


#: The audits read by the commands of a process that ends without freeing them, or ``None``
#: (:func:`keep_until_exit`).
_kept: list[Dataset] | None = None


def keep_until_exit() -> None:
    """Keep the audits every command reads until the process ends, instead of freeing them as the
    command returns.

    The console script calls it before every command, as it ends the process at once after one
    (:func:`qaimpact.cli.app.main`): freeing 10,000 audits object by object as the command's
    function returns would still take a tenth of a second on one core. Nor does the cyclic
    collector run once the audits are read (:func:`read_audits`). Tests, which go on after a
    command, never call it; the audit form, which runs until it is stopped, undoes it
    (:func:`free_as_commands_end`). Either way what a command read is freed as it returns, and
    the collector runs as ever.
    """
    global _kept
    if _kept is None:
        _kept = []


def free_as_commands_end() -> None:
    """Undo :func:`keep_until_exit` for a process that goes on for as long as it is used (the
    audit form): whatever it reads is freed once answered, and its collector keeps running."""
    global _kept
    _kept = None


#: What every report imports to write its output and its notes (jinja2 and rich): imported while
#: the workers read the audits, instead of on one core after the last one (docs/performance.md).
REPORTING = ("qaimpact.reports.render", "qaimpact.cli.console")


def _import_all(names: Sequence[str]) -> None:
    for name in names:
        importlib.import_module(name)


def require_audit_files(dataset: Dataset, folders: Sequence[Path], *, given: bool) -> None:
    """Refuse a report over folders that hold no YAML file at all, as ``validate`` refuses them
    (exit 2, no report written): a mistyped or wrong ``--audits`` (``given``) would otherwise give
    a report of no audits, exit 0, that a board could take for a service that did none.

    Folders whose files are all skipped as not audits, all invalid (an audit saved as
    ``AUDIT.YAML`` among them) or all outside the period are reported on as before: the report
    says what was left out and why. The files not read for their names are noted first, as
    ``validate`` notes them, since one may be the audits looked for.
    """
    if dataset.files or dataset.invalid or dataset.set_aside:
        return
    note_unread(dataset.unread)
    raise UsageError(no_audits_to_report(folders, given=given))


def report_broken_standards(registry: Registry) -> bool:
    """Say once on standard error which standards files are broken, and where; whether any is."""
    broken = registry.broken()
    if not broken:
        return False
    from qaimpact.cli import console

    err = console.stderr()
    for entry in broken:
        framework = f"the framework '{entry.declared_id}'" if entry.declared_id else "its framework"
        console.print_problem(
            err,
            f"the standards file {entry.path} has errors, so {framework} cannot be used until it is "
            "fixed (no audit that names it is checked); everything else was done as usual. Its problems:",
            entry.diagnostics,
        )
    return True


def note_unread(unread: Sequence[Path], *, redact: bool = False) -> None:
    """Say on standard error which files under the folders were not read although their names
    look like YAML (``AUDIT.YAML``, ``audit.yaml.txt``), and how to have them read. They hold no
    audit: one that does is an error (QA115, :func:`~qaimpact.audits.checker.misnamed_audits`)."""
    if not unread:
        return
    from qaimpact.cli import console

    err = console.stderr()
    count = len(unread)
    console.print_note(
        err,
        f"{count} file{'s' if count != 1 else ''} named like YAML {'were' if count != 1 else 'was'} not "
        "read: only names ending in .yaml or .yml (in small letters) are read, and "
        f"{'none of them holds an audit' if count != 1 else 'it holds no audit'}. If "
        f"{'they' if count != 1 else 'it'} should be read, rename {'them' if count != 1 else 'it'} "
        "(Windows Notepad may have added .txt):",
    )
    if redact:
        # A file's name can be an audit id or a child's name.
        return
    for path in unread:
        console.print_item(err, str(path))


def files_by_kind(invalid: Sequence[AuditCheck]) -> str:
    """The files, each by what it is: ``1 audit file``, ``1 record file``, ``2 audit files and
    1 record file``. A practice record (an observation, feedback, follow-through) is not an
    audit, and saying it is misleads."""
    records = sum(1 for check in invalid if check.kind is not None)
    audits = len(invalid) - records
    parts = [
        f"{n} {noun} file{'s' if n != 1 else ''}" for n, noun in ((audits, "audit"), (records, "record")) if n
    ]
    return " and ".join(parts)


def left_out_files(invalid: list[AuditCheck]) -> str:
    """What was left out, each file by what it is, with its verb: ``1 audit file was``,
    ``2 audit files and 1 record file were``."""
    return f"{files_by_kind(invalid)} {'was' if len(invalid) == 1 else 'were'}"


def report_left_out(dataset: Dataset, *, redact: bool) -> bool:
    """Say on standard error which audit files a report left out and why, then those with errors
    it set aside as dated outside the period; whether any file read has errors.

    Each file is named with its first error at ``file:line:col``. Under ``redact`` (and
    ``--publish``) file names are withheld and each error is given by its code's title, as the
    message of an invalid file can quote a name the redaction does not know.

    A file set aside does not change the report, but it has errors all the same: the command
    still exits 1, so that a CI job is not passed while an audit is invalid (and one that
    may need escalating is never passed over), and its own date is said, as a mistyped date
    may be what put it outside the period.
    """
    from qaimpact.cli import console

    err = console.stderr()
    if dataset.skipped:
        count = len(dataset.skipped)
        what = "file that is not an audit was" if count == 1 else "files that are not audits were"
        console.print_note(err, f"{count} YAML {what} skipped.")
    note_unread(dataset.unread, redact=redact)
    if not dataset.invalid and not dataset.set_aside:
        return False
    from qaimpact.cycle.common import left_out

    # One numbering for the names withheld: "invalid file 2" is one file wherever it is named.
    names = left_out([c.path for c in [*dataset.invalid, *dataset.set_aside]], redact=redact)
    count = len(dataset.invalid)
    if count:
        console.print_problem(
            err,
            f"{left_out_files(dataset.invalid)} left out of this report because "
            f"{'they have' if count != 1 else 'it has'} errors; fix {'them' if count != 1 else 'it'} and "
            "run the report again (`qaimpact validate` shows every problem):",
        )
        _list_invalid(err, dataset.invalid, names[:count], redact=redact, copy_of=dataset.copy_of)
    aside = len(dataset.set_aside)
    if aside:
        one = aside == 1
        console.print_problem(
            err,
            f"{files_by_kind(dataset.set_aside)} {'has' if one else 'have'} errors but "
            f"{'is' if one else 'are'} dated outside this report's period, so {'it' if one else 'they'} "
            f"would not be counted even if valid; fix {'it' if one else 'them'} all the same "
            "(`qaimpact validate` shows every problem):",
        )
        _list_invalid(
            err, dataset.set_aside, names[count:], redact=redact, period=dataset, copy_of=dataset.copy_of
        )
    return True


def _list_invalid(
    err: Console,
    invalid: Sequence[AuditCheck],
    names: Sequence[str],
    *,
    redact: bool,
    period: Dataset | None = None,
    copy_of: Mapping[str, str] | None = None,
) -> None:
    """Each file with errors, by its name (``names``), with its first error and any escalation
    it certainly needs; with ``period``, the date that put it outside it; with ``copy_of``, the
    valid file counted that holds its audit id."""
    from qaimpact.base.codes import CODES
    from qaimpact.cli import console

    for name, check in zip(names, invalid, strict=True):
        errors = [d for d in check.diagnostics if d.is_error] or check.diagnostics
        first = errors[0]
        if redact:
            where = f"{name}, line {first.location.line}, column {first.location.column}"
            why = CODES[first.code].title + "."
        else:
            where, why = str(first.location), first.message
        more = len(errors) - 1
        extra = f" (and {more} more error{'s' if more != 1 else ''})" if more else ""
        console.print_item(err, f"{where}: {first.code} {why}{extra}")
        if period is not None and check.dated is not None:
            side = "after" if period.date_to is not None and check.dated > period.date_to else "before"
            console.print_detail(err, f"It is dated {check.dated.isoformat()}, {side} the period.")
        counted = (copy_of or {}).get(check.path)
        if counted is not None:
            # The audit is counted from the other file: this one is left out all the same, as what it
            # says (a grade, an escalation) may differ. Under redact the other file is not named.
            other = "another file" if redact else counted
            console.print_detail(
                err,
                f"Its audit_id is also that of {other}, which is counted: if the two files hold one audit, "
                "keep the one that is right and delete the other; if this is another audit, give it its "
                "own audit_id.",
            )
        for line in check.ahead:
            # What it says is certain whatever its errors: a safety signal is never left out.
            console.print_detail(err, f"It must be escalated all the same: {line}")


def report_links(dataset: Dataset, *, redact: bool) -> bool:
    """Say on standard error which records link to an audit that is not there; whether any does.

    Under ``redact`` each is given by its code's title at a withheld file name, as its message
    quotes the case reference.
    """
    if not dataset.links:
        return False
    from qaimpact.base.codes import CODES
    from qaimpact.cli import console
    from qaimpact.privacy.redaction import withheld

    err = console.stderr()
    count = len(dataset.links)
    console.print_problem(
        err,
        f"{count} link{'s' if count != 1 else ''} from a record to the audits cannot be followed; "
        "the records are still reported:",
    )
    for number, found in enumerate(dataset.links, start=1):
        if redact:
            place = found.location
            where = f"{withheld('record', number)}, line {place.line}, column {place.column}"
            console.print_item(err, f"{where}: {found.code} {CODES[found.code].title}.")
        else:
            console.print_item(err, f"{found.location}: {found.code} {found.message} {found.hint}")
    return True


def finish(
    registry: Registry,
    dataset: Dataset | None = None,
    *,
    redact: bool = False,
    failed: bool = False,
    refused: bool = False,
) -> NoReturn:
    """End a command once its output is written: report what it left out, and exit.

    ``failed`` is a problem the command found itself (invalid audits for ``validate``, an
    escalation not raised, a re-audit link that cannot be followed), already explained.
    ``refused`` is a file the file system would not let the command write (exit code 2).
    """
    gc.unfreeze()
    broken = report_broken_standards(registry)
    left_out = report_left_out(dataset, redact=redact) if dataset is not None else False
    links = report_links(dataset, redact=redact) if dataset is not None else False
    codes = [
        exitcodes.USAGE if refused else exitcodes.OK,
        exitcodes.STANDARDS if broken else exitcodes.OK,
        exitcodes.INVALID if failed or left_out or links else exitcodes.OK,
    ]
    raise typer.Exit(exitcodes.first_of(*codes))

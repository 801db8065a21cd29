"""The exit codes of every command: one table, used by the CLI, its --help and the docs."""

from __future__ import annotations

OK = 0
INVALID = 1
USAGE = 2
STANDARDS = 3
INTERNAL = 4
INTERRUPTED = 130

#: (code, short form for --help, full sentence for docs/exit-codes.md)
TABLE = [
    (
        OK,
        "all valid",
        "Every file is valid. Warnings may have been printed (they fail only with `--strict`).",
    ),
    (
        INVALID,
        "problems found (invalid audits, audits left out of a report, escalations not raised)",
        "Problems found: at least one audit has errors (or warnings under `--strict`); a report "
        "left out an audit that has errors (the report is still written, and standard error lists "
        "each file left out and why), or read one dated outside its period, which it does not "
        "count either way (standard error lists it apart); for `escalations`, an escalation is "
        "not raised (see "
        "`--fail-on`); for `impact`, a re-audit link cannot be followed; for `fmt` and `migrate`, "
        "a file was left as it was (read-only, or changed since it was read); for `fmt --check`, a "
        "file would be reformatted. The output says where.",
    ),
    (
        USAGE,
        "usage error",
        "Usage error: an unknown option, a bad option value, a word that is no option's value (a "
        "name with a space typed without quotes, a folder given without --audits: the message "
        "gives the line to write), a path that does not exist, folders that hold no audit file "
        "(`*.yaml`, `*.yml`) at all (given to `validate`, `grade`, `fmt`, `migrate` or `export`, "
        "or read by a report from `--audits` or its default; `sample` plans without any), a file "
        "that is not an audit where one is needed (a record, an import mapping or a narrative "
        "given to `report` or `grade`), or the file system refused to read or write a file "
        "(permissions, a full disk); nothing else was changed.",
    ),
    (
        STANDARDS,
        "broken standards file",
        "A standards file on the search path is broken. Its problems are reported once, at their "
        "`file:line:col`; the audits that name its framework cannot be checked (`QA211`) and are "
        "left out of reports, and its framework cannot be asked for by id, while everything else "
        "(audits of other frameworks, reports, scaffolds, schemas) is done as usual. Every command "
        "that reads the standards search path then exits 3.",
    ),
    (
        INTERNAL,
        "internal error",
        "An internal error in qaimpact. This is a bug: run again with `QAIMPACT_DEBUG=1` and report "
        "it. Also when a process forked to read the files stopped before it sent what it read "
        "(killed, or out of memory): the message says so.",
    ),
    (INTERRUPTED, "interrupted", "Interrupted with Ctrl-C."),
]

#: The codes a command that finishes its work can end with, the one to use first.
PRECEDENCE = (USAGE, STANDARDS, INVALID, OK)

PRECEDENCE_TEXT = (
    "A usage error (2), an internal error (4) or Ctrl-C (130) stops a command where it is. "
    "Otherwise the command finishes its work (every audit it can check is checked, every report is "
    "written) and, when it found more than one kind of problem, exits with the first that applies "
    "in this order: 2 (the file system refused to write a file `fmt` or `migrate` meant to "
    "rewrite), 3 (a broken standards file), then 1 (problems found), then 0. A job that exits "
    "3 may also have found problems in the audits: the output lists them all the same."
)

HELP = (
    "Exit codes: "
    + "; ".join(f"{code} {short}" for code, short, _ in TABLE)
    + ". A broken standards file (3) comes before problems found (1)."
)


def first_of(*codes: int) -> int:
    """The exit code of a command that found several things: the first in :data:`PRECEDENCE`."""
    return next((code for code in PRECEDENCE if code in codes), OK)

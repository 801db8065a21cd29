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
        "problems found (invalid audits, escalations not raised)",
        "Problems found: at least one audit has errors (or warnings under `--strict`); for "
        "`escalations`, an escalation is not raised (see `--fail-on`); for `impact`, a re-audit "
        "link cannot be followed; for `fmt` and `migrate`, a file was left as it was (read-only, "
        "or changed since it was read). The output says where.",
    ),
    (
        USAGE,
        "usage error",
        "Usage error: an unknown option, a bad option value, a path that does not exist, or the "
        "file system refused to read or write a file (permissions, a full disk); nothing else "
        "was changed.",
    ),
    (
        STANDARDS,
        "broken standards file",
        "A standards file is broken, so the audits that use it cannot be checked.",
    ),
    (
        INTERNAL,
        "internal error",
        "An internal error in qaimpact. This is a bug: run again with `QAIMPACT_DEBUG=1` and report it.",
    ),
    (INTERRUPTED, "interrupted", "Interrupted with Ctrl-C."),
]

HELP = "Exit codes: " + "; ".join(f"{code} {short}" for code, short, _ in TABLE) + "."

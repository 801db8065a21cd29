"""What an import wrote, kept in the audit itself so that ``--update`` can tell who changed a value.

Each audit an import writes carries, in its comment at the top, a fingerprint of every value the
mapping filled, as the sheet gave it::

    # Imported values (qaimpact import --update compares the sheet with these; keep them):
    #   v1.3fa9c1.0b12aa9e01c7...

``v1`` is the form, the next six characters are a fingerprint of the mapping's keys (a mapping
that fills other keys makes the record not apply), then six characters per key, in the mapping's
order (``------`` for a key whose imported value is not known). A comment survives ``fmt``,
``migrate`` and hand edits, and travels with the file.

On ``--update``, a value that differs from the sheet is rewritten only when the audit still holds
what the import wrote (the sheet changed); one changed by hand since is kept, and one changed both
by hand and in the sheet, or with no record, is a conflict to resolve: never overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from qaimpact.authoring.importing.mapping import Path_

MARK = "Imported values (qaimpact import --update compares the sheet with these; keep them):"
_UNKNOWN = "------"
_WIDTH = 84
_BODY = re.compile(r"^v1\.([0-9a-f]{6})\.((?:[0-9a-f]{6}|-{6})*)$")


def dotted(path: Path_) -> str:
    """``case.team`` for the path ``("case", "team")``."""
    return ".".join(str(p) for p in path)


def fingerprint(value: Any) -> str:
    """Six hexadecimal characters that change whenever ``value`` does."""
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


def _signature(units: Sequence[Path_]) -> str:
    return hashlib.sha256("\n".join(dotted(u) for u in units).encode("utf-8")).hexdigest()[:6]


def record_comments(units: Sequence[Path_], prints: Sequence[str | None]) -> list[str]:
    """The comment lines (without ``# ``) that record ``prints``, one per unit."""
    body = f"v1.{_signature(units)}." + "".join(p or _UNKNOWN for p in prints)
    return [MARK, *(f"  {body[i : i + _WIDTH]}" for i in range(0, len(body), _WIDTH))]


def _block(lines: list[str]) -> tuple[int, int] | None:
    """The first and one-past-last line of the record in the leading comments, if there is one."""
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            return None
        if line == f"# {MARK}":
            end = index + 1
            while end < len(lines) and re.fullmatch(r"#   [0-9a-f.v-]+", lines[end]):
                end += 1
            return index, end
    return None


def read_record(text: str, units: Sequence[Path_]) -> list[str | None] | None:
    """The fingerprints the audit ``text`` records for ``units``; ``None`` without a record that
    applies (none, damaged, or made with a mapping that fills other keys)."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    found = _block(lines)
    if found is None:
        return None
    body = "".join(line[4:] for line in lines[found[0] + 1 : found[1]])
    match = _BODY.match(body)
    if match is None or match.group(1) != _signature(units) or len(match.group(2)) != 6 * len(units):
        return None
    prints = match.group(2)
    return [None if (p := prints[i : i + 6]) == _UNKNOWN else p for i in range(0, len(prints), 6)]


def with_record(text: str, units: Sequence[Path_], prints: Sequence[str | None]) -> str:
    """``text`` (``\\n`` newlines, no byte order mark) with its record replaced, or added at the
    end of its leading comments."""
    lines = text.split("\n")
    new = [f"# {c}" for c in record_comments(units, prints)]
    found = _block(lines)
    if found is not None:
        start, end = found
    else:
        start = end = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return "\n".join(lines[:start] + new + lines[end:])


def shown(value: Any) -> str:
    """A value as a message shows it: text in quotes, nothing as 'nothing'."""
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)

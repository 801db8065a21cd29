"""Write audit data as YAML: a new audit, or new values in an existing file with its comments kept.

Tools that collect an audit as data rather than text (the form of ``qaimpact serve``) write it
here. :func:`compose_text` puts the values into a document: a new one, or an existing file read
with ruamel.yaml's round trip, where every key the data does not name and every comment stays
as it was. :func:`canonical_text` then gives the text ``qaimpact fmt`` writes for it, so a file
written from data is already in the normal form, byte for byte.

Values are written so that they read back as they were given: text with line breaks as a
literal block (``|``), text that YAML would read as something else (``yes``, ``12``,
``a: b``, ``# note``) quoted, and dates as plain ``YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from qaimpact.audits.checker import CheckOptions
from qaimpact.authoring.fmt import FormatResult, format_text
from qaimpact.authoring.roundtrip import remove_at, remove_last, replace_value, round_trip_yaml
from qaimpact.base.errors import QaImpactError
from qaimpact.base.yaml12 import plain_value
from qaimpact.frameworks.registry import Registry

#: A data path: the keys (and list positions) from the top of the audit.
Path = tuple[str | int, ...]


def is_empty(value: Any) -> bool:
    """Nothing filled in: ``None``, blank text, an empty list, or a mapping of empty values."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not value
    if isinstance(value, Mapping):
        return all(is_empty(v) for v in value.values())
    return False


def _scalar(value: Any) -> Any:
    # Audits are read with the YAML 1.2 core schema, where a date is plain YYYY-MM-DD text that
    # the audit model reads as a date; a date object would be written with a !!timestamp tag.
    if isinstance(value, dt.date):
        return value.isoformat()
    # A literal block cannot hold control characters; ruamel writes those double-quoted.
    if isinstance(value, str) and "\n" in value and all(ch in "\n\t" or ch.isprintable() for ch in value):
        return LiteralScalarString(value)
    return value


def _new(value: Any, path: Path, keep: Callable[[Path], bool]) -> Any:
    """A value not in the file yet, as ruamel.yaml should write it (empty keys left out)."""
    if isinstance(value, Mapping):
        node = CommentedMap()
        _merge(node, value, path, keep)
        if set(value) == {"from", "to"}:
            node.fa.set_flow_style()  # a period reads best on one line: {from: ..., to: ...}
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_new(item, (*path, i), keep) for i, item in enumerate(value))
        if all(not isinstance(item, Mapping | list) for item in value):
            seq.fa.set_flow_style()  # ticked ids on one line: [safe_recommendations, risk_analysis]
        return seq
    return _scalar(value)


def _comparable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


def _merge(node: CommentedMap, data: Mapping[str, Any], path: Path, keep: Callable[[Path], bool]) -> None:
    for key, value in data.items():
        here = (*path, key)
        if key not in node:
            if not is_empty(value) or keep(here):
                # A new key goes at the end; fmt puts it in its canonical place.
                node[key] = _new(value, here, keep)
            continue
        current = node[key]
        if isinstance(value, Mapping) and isinstance(current, CommentedMap):
            _merge(current, value, here, keep)
        elif _mappings(value) and _mappings(current) and isinstance(current, CommentedSeq):
            _merge_items(current, value, here, keep)
        elif plain_value(current) != _comparable(value):
            replace_value(node, key, _new(value, here, keep))


def _mappings(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, Mapping) for item in value)


def _alike(entry: Any, item: Mapping[str, Any]) -> int:
    """How many of ``item``'s keys an entry of the file holds the same value for (-1: not an
    entry of keys)."""
    if not isinstance(entry, CommentedMap):
        return -1
    return sum(
        1 for k, v in item.items() if (plain_value(entry[k]) == _comparable(v) if k in entry else is_empty(v))
    )


def _rank(seq: CommentedSeq, gap: list[int], item: Mapping[str, Any], index: int) -> tuple[int, int]:
    """How well the ``index``-th entry of ``gap`` fits ``item``: most alike, then first."""
    return _alike(seq[gap[index]], item), -index


def _dropped(seq: CommentedSeq, items: list[Any]) -> list[int]:
    """The entries of the file that ``items`` leaves out from among the others, as the form leaves
    out an action cleared.

    Each item the file holds unchanged is matched to its entry, in order. Between two matched
    entries (and after the last), the items changed in the form take the entries most like them,
    in order, and the entries left over are the ones left out.
    """
    matched: list[int | None] = []
    start = 0
    for item in items:
        j = next((j for j in range(start, len(seq)) if _alike(seq[j], item) == len(item)), None)
        matched.append(j)
        if j is not None:
            start = j + 1
    dropped: list[int] = []
    previous = -1
    pending: list[Mapping[str, Any]] = []
    # The end of the list is the last anchor: the changed items after the last match take the
    # entries most like them among those after it.
    for item, j in [*zip(items, matched, strict=True), (None, len(seq))]:
        if item is not None and j is None:
            pending.append(item)
            continue
        assert j is not None
        gap = list(range(previous + 1, j))
        if len(pending) < len(gap):
            cursor = 0
            for n, changed in enumerate(pending):
                last = len(gap) - (len(pending) - n)  # an entry left for each changed item after
                best = max(range(cursor, last + 1), key=partial(_rank, seq, gap, changed))
                dropped += gap[cursor:best]
                cursor = best + 1
            dropped += gap[cursor:]
        previous, pending = j, []
    return dropped


def _merge_items(seq: CommentedSeq, items: list[Any], path: Path, keep: Callable[[Path], bool]) -> None:
    """A list of entries (remedial actions, learning actions), entry by entry, comments kept.

    An entry left out from among the others (the first of two actions cleared in the form) is
    removed where it is, so that each other entry keeps its own comments and the keys the form
    does not show; entries are otherwise matched by position.
    """
    for index in reversed(_dropped(seq, items)):
        remove_at(seq, index)
    for index, item in enumerate(items):
        if index < len(seq) and isinstance(seq[index], CommentedMap):
            _merge(seq[index], item, (*path, index), keep)
        elif index < len(seq):
            replace_value(seq, index, _new(item, (*path, index), keep))
        else:
            seq.append(_new(item, (*path, index), keep))
    while len(seq) > len(items):
        remove_last(seq)


def compose_text(
    data: Mapping[str, Any], base: str | None = None, *, keep_empty: Callable[[Path], bool] | None = None
) -> str:
    """The YAML text of audit ``data``, written into ``base`` (an existing file's text) if given.

    Keys of ``base`` that ``data`` does not name, and every comment, stay as they were; a value
    that did not change is not rewritten, so its comments and style stay too. A key that ``base``
    lacks is added only when ``data`` fills it in, or when ``keep_empty(path)`` says an empty
    value must still be written (a required key, so that the checker reports it where it is).
    The text is not yet in the normal form: :func:`canonical_text` gives that.
    """
    keep = keep_empty or (lambda _path: False)
    if base is None:
        yaml = round_trip_yaml("")
        document: Any = CommentedMap()
    else:
        yaml = round_trip_yaml(base)
        document = yaml.load(base)
        if not isinstance(document, CommentedMap):
            raise QaImpactError("The file is not a block of 'key: value' lines, so it cannot be edited here.")
    _merge(document, data, (), keep)
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def canonical_text(text: str, name: str, registry: Registry, options: CheckOptions) -> FormatResult:
    """``text`` in the normal form ``qaimpact fmt`` writes (``problems`` set where it is invalid)."""
    return format_text(text, name, registry, options)

"""``--update``: rewrite an existing audit where the sheet changed, keeping everything else.

Only the parts of the audit the mapping fills are compared, and only those that differ are
written; keys the mapping does not fill (a moderation added by hand, say) and every comment stay.
The file is then put in canonical form by ``fmt``'s own code.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml.comments import CommentedMap

from qaimpact.audits.checker import CheckOptions
from qaimpact.authoring.fmt import format_text
from qaimpact.authoring.importing.imported import with_record
from qaimpact.authoring.importing.mapping import Path_
from qaimpact.authoring.roundtrip import round_trip_yaml, take
from qaimpact.base.errors import QaImpactError
from qaimpact.base.loader import LoadError, load_bytes
from qaimpact.frameworks.registry import Registry


def _get(data: Any, path: Path_) -> Any:
    node = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def update_text(
    existing: str,
    new: dict[str, Any],
    units: list[Path_],
    name: str,
    registry: Registry,
    options: CheckOptions,
    record: tuple[list[Path_], list[str | None]] | None = None,
) -> str:
    """The existing audit's text with each of ``units`` set as in ``new``; comments kept.

    ``record`` is the record of imported values to write in the comment at the top (the
    mapping's keys and a fingerprint of each), as :mod:`.imported` reads it.
    """
    bom = existing.startswith("\ufeff")
    text = existing.removeprefix("\ufeff").replace("\r\n", "\n")
    try:
        old = load_bytes(text.encode("utf-8"), name).data
    except LoadError as exc:
        raise QaImpactError(exc.diagnostic.message) from None
    yaml = round_trip_yaml(text)
    document = yaml.load(text)
    for unit in units:
        wanted = _get(new, unit)
        if wanted == _get(old, unit):
            continue
        if wanted is None:
            _remove(document, unit)
        else:
            _set(document, unit, wanted)
    out = io.StringIO()
    yaml.dump(document, out)
    formatted = format_text(out.getvalue(), name, registry, options)
    if formatted.problems is not None:
        first = next((d for d in formatted.problems.diagnostics if d.is_error), None)
        raise QaImpactError(
            "with the sheet's values the audit would not be valid"
            + (f" ({first.code} {first.message})" if first else "")
            + ", so it was left as it is."
        )
    result = formatted.new_text
    if record is not None:
        result = with_record(result, *record)
    if "\r\n" in existing:
        result = result.replace("\n", "\r\n")
    return ("\ufeff" if bom else "") + result


def _set(document: CommentedMap, path: Path_, value: Any) -> None:
    node = document
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = CommentedMap()
            node[part] = child
        node = child
    node[path[-1]] = value


def _remove(document: CommentedMap, path: Path_) -> None:
    chain: list[tuple[Any, Any]] = []
    node: Any = document
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return
        chain.append((node, part))
        node = node[part]
    take(chain)
    # A block left empty goes too (an escalation whose every cell was emptied).
    while len(chain) > 1:
        chain.pop()
        holder, key = chain[-1]
        if isinstance(holder[key], dict) and not holder[key]:
            take(chain)
        else:
            break

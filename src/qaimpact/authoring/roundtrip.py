"""Round-trip YAML for rewriting audits: comments, key order and layout survive.

:func:`round_trip_yaml` reads and writes a file back in its own style (indentation, null
spelling, document start). ruamel.yaml hangs a comment on the node before it, so moving or
removing a key must carry the comment lines that belong to its neighbours: the helpers here do
that. :func:`what_is_lost` says in plain words what removing a value would lose. ``fmt`` and
``migrate`` both rewrite audits with these.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.tokens import CommentToken

from qaimpact.base.codes import diagnostic
from qaimpact.base.escaping import clip
from qaimpact.base.loader import Document
from qaimpact.base.yaml12 import CoreResolver, first_difference, plain_value
from qaimpact.models.findings import Diagnostic
from qaimpact.models.listing import and_list

# -- Reading and writing YAML ------------------------------------------------------------------

_NULL_WORD = re.compile(r":[ \t]+(null|Null|NULL|~)[ \t]*(?:#.*)?$", re.MULTILINE)


def round_trip_yaml(text: str) -> YAML:
    """A round-trip YAML instance that writes this file back in its own style."""
    words = _NULL_WORD.findall(text)
    # ruamel writes an empty value for null; the file's own spelling (default: null) is kept.
    null = max(set(words), key=words.count) if words else "null"

    class _Representer(RoundTripRepresenter):
        pass

    def represent_null(representer: RoundTripRepresenter, _data: None) -> Any:
        return representer.represent_scalar("tag:yaml.org,2002:null", null)

    _Representer.add_representer(type(None), represent_null)
    yaml = YAML(typ="rt")
    yaml.Resolver = CoreResolver
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    # Long lines stay long: a re-wrapped line would be a change the user did not ask for.
    yaml.width = 1_000_000
    mapping, sequence, offset = _indentation(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    first = next((line for line in text.splitlines() if line.strip() and not line.startswith("#")), "")
    yaml.explicit_start = first.startswith("---")
    return yaml


def _indentation(text: str) -> tuple[int, int, int]:
    """The file's mapping indent, block-sequence indent and dash offset (default 2, 4, 2)."""
    mapping: int | None = None
    sequence: int | None = None
    offset: int | None = None
    parent: int | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if parent is not None and indent > parent:
            if stripped.startswith("- "):
                if sequence is None:
                    offset = indent - parent
                    after = stripped[2:]
                    sequence = offset + 2 + (len(after) - len(after.lstrip(" ")))
            elif mapping is None:
                mapping = indent - parent
        key_only = re.match(r"^[^#'\"]*:\s*(#.*)?$", stripped) and not stripped.startswith("- ")
        parent = indent if key_only else None
        if mapping is not None and sequence is not None:
            break
    return mapping or 2, sequence or 4, offset if offset is not None else 2


# -- Comments: keep them where a reader expects them -------------------------------------------
#
# ruamel attaches a comment to the node before it: the comment lines after a value (including
# blank lines) hang on the last scalar of that value, and a comment on the key line of a block
# mapping on the key. So moving or removing a key must first hand the comment lines that follow
# it (which belong to whatever comes next) to the neighbour that stays.


def _token(text: str) -> CommentToken:
    return CommentToken(text, CommentMark(0), None)


def is_block(value: Any) -> bool:
    """True for a non-empty mapping or sequence written in block style."""
    return isinstance(value, CommentedMap | CommentedSeq) and len(value) > 0 and not value.fa.flow_style()


def _last_leaf(holder: Any, key: Any) -> tuple[Any, Any]:
    """The innermost last (holder, key) of the value at ``holder[key]``: where trailing lines hang."""
    value = holder[key]
    while is_block(value):
        holder, key = value, (list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1)
        value = holder[key]
    return holder, key


def _eol_slot(holder: Any, key: Any) -> tuple[list[Any], int]:
    entry = holder.ca.items.setdefault(key, [None, None, None, None])
    return entry, 0 if isinstance(holder, CommentedSeq) else 2


def _detach_trailing(holder: Any, key: Any) -> str:
    """Remove and return the whole lines of comment that follow ``holder[key]``."""
    leaf, leaf_key = _last_leaf(holder, key)
    entry, slot = _eol_slot(leaf, leaf_key)
    token = entry[slot]
    if not isinstance(token, CommentToken):
        return ""
    first, newline, rest = token.value.partition("\n")
    if not newline or not rest:
        return ""
    if first.strip():
        token.value = first + "\n"
    else:
        entry[slot] = None
    return rest


def append_trailing(holder: Any, key: Any, text: str) -> None:
    """Add whole lines of comment after the value at ``holder[key]``."""
    if not text:
        return
    leaf, leaf_key = _last_leaf(holder, key)
    entry, slot = _eol_slot(leaf, leaf_key)
    token = entry[slot]
    if isinstance(token, CommentToken):
        value = token.value if token.value.endswith("\n") else token.value + "\n"
        token.value = value + text
    else:
        entry[slot] = _token("\n" + text)


def replace_value(holder: Any, key: Any, value: Any) -> None:
    """Give ``holder[key]`` a new value; the comment lines that followed the old one follow the new.

    Those lines belong to whatever comes next (ruamel hangs them on the last scalar of the old
    value), so replacing a block value must not take them with it.
    """
    kept = _detach_trailing(holder, key)
    holder[key] = value
    append_trailing(holder, key, kept)


def remove_last(seq: CommentedSeq) -> None:
    """Remove the last item of a block sequence; the comment lines after it stay where they were."""
    kept = _detach_trailing(seq, len(seq) - 1)
    seq.ca.items.pop(len(seq) - 1, None)
    del seq[-1]
    if len(seq):
        append_trailing(seq, len(seq) - 1, kept)


def remove_at(seq: CommentedSeq, index: int) -> None:
    """Remove an item of a block sequence; the comment lines after it go after the item before
    it (ruamel keeps a comment line above an item with the item before), or are dropped with it
    when it is the first."""
    if index == len(seq) - 1:
        remove_last(seq)
        return
    kept = _detach_trailing(seq, index)
    del seq[index]  # ruamel moves the comments of the items after it up one
    if index > 0:
        append_trailing(seq, index - 1, kept)


def prepend_before(holder: CommentedMap, key: Any, text: str) -> None:
    """Put comment lines right above ``key`` (ruamel keeps them with the key before it)."""
    entry = holder.ca.items.setdefault(key, [None, None, None, None])
    entry[1] = [_token(text), *(entry[1] or [])]


Chain = list[tuple[Any, Any]]


def _relocate(chain: Chain, text: str) -> None:
    """Put comment lines where the last key of ``chain`` is (it is about to go)."""
    for holder, key in reversed(chain):
        if isinstance(holder, CommentedMap):
            keys = list(holder)
            position = keys.index(key)
            if position + 1 < len(keys):
                prepend_before(holder, keys[position + 1], text)
                return
            if position > 0:
                append_trailing(holder, keys[position - 1], text)
                return
        elif isinstance(key, int) and key > 0:
            append_trailing(holder, key - 1, text)
            return
    # Nothing is left around it: the lines go at the end of the file.
    top = chain[0][0]
    top.ca.end = [*(top.ca.end or []), _token(text)]


def take(chain: Chain) -> tuple[Any, CommentToken | None]:
    """Remove the last key of ``chain``; return its value and the comment on its key line.

    The comment lines around the key that are not part of it stay where they were.
    """
    value, key_comment, _ = move_out(chain, carry=False)
    return value, key_comment


def move_out(chain: Chain, *, carry: bool) -> tuple[Any, CommentToken | None, str]:
    """Remove the last key of ``chain`` to put it elsewhere.

    Returns its value, the comment on its key line and, when ``carry``, the comment lines just
    above it (with no blank line between): by convention they describe it, so they go with it.
    """
    holder, key = chain[-1]
    kept = _detach_trailing(holder, key)
    entry = holder.ca.items.pop(key, None)
    before = "".join(t.value for t in (entry[1] or []) if isinstance(t, CommentToken)) if entry else ""
    lead = ""
    if carry:
        lead, before = before, ""
        keys = list(holder) if isinstance(holder, CommentedMap) else []
        position = keys.index(key) if key in keys else 0
        if position > 0 and not lead.startswith("\n"):
            lead = _detach_lead(holder, keys[position - 1]) + lead
    if before + kept:
        _relocate(chain, before + kept)
    key_comment = entry[2] if entry and isinstance(entry[2], CommentToken) else None
    return holder.pop(key), key_comment, lead


def _detach_lead(holder: Any, key: Any) -> str:
    """Remove and return the comment lines at the end of what follows ``holder[key]``.

    Only whole comment lines after the last blank line: those sit right above the next key.
    """
    leaf, leaf_key = _last_leaf(holder, key)
    entry, slot = _eol_slot(leaf, leaf_key)
    token = entry[slot]
    if not isinstance(token, CommentToken):
        return ""
    first, newline, rest = token.value.partition("\n")
    lines = rest.splitlines(keepends=True)
    start = len(lines)
    while start > 0 and lines[start - 1].strip().startswith("#"):
        start -= 1
    if not newline or start == len(lines):
        return ""
    token.value = first + "\n" + "".join(lines[:start])
    if not token.value.strip():
        entry[slot] = None
    return "".join(lines[start:])


def detach_leading_comments(holder: Any, key: Any) -> str:
    """The comment lines sitting right above the key after ``holder[key]``, removed from there.

    ruamel.yaml stores the comment lines above a key with the key before it, so code that moves a
    key must carry them over itself (``fmt`` uses this when it reorders keys).
    """
    return _detach_lead(holder, key)


def prepend_comments(holder: CommentedMap, key: Any, text: str) -> None:
    """Put comment lines (as returned by :func:`detach_leading_comments`) right above ``key``."""
    if text:
        prepend_before(holder, key, text)


def rename_key(holder: CommentedMap, old: str, new: str) -> None:
    """Rename a key where it stands, with its comments."""
    position = list(holder).index(old)
    value = holder[old]
    entry = holder.ca.items.pop(old, None)
    del holder[old]
    holder.insert(position, new, value)
    if entry is not None:
        holder.ca.items[new] = entry


def insert_at(holder: CommentedMap, position: int, key: str, value: Any) -> None:
    """Insert a key; the comment lines that followed its predecessor now follow it."""
    keys = list(holder)
    moved = _detach_trailing(holder, keys[position - 1]) if 0 < position <= len(keys) else ""
    holder.insert(position, key, value)
    append_trailing(holder, key, moved)


def insert_ordered(holder: CommentedMap, key: str, value: Any, order: Sequence[str]) -> None:
    """Insert a key after the keys that come before it in ``order`` (others are skipped)."""
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(key, len(rank))
    keys = list(holder)
    position: int | None = None
    for index, existing in enumerate(keys):
        if existing in rank and rank[existing] < mine:
            position = index + 1
    if position is None:
        position = next((i for i, k in enumerate(keys) if k in rank and rank[k] > mine), len(keys))
    insert_at(holder, position, key, value)


def line_comment(holder: CommentedMap, key: Any) -> CommentToken | None:
    """The comment on the line of ``holder[key]``, if there is one."""
    slots = holder.ca.items.get(key)
    token = slots[2] if slots else None
    if isinstance(token, CommentToken) and token.value.partition("\n")[0].strip():
        return token
    return None


def first_line(token: CommentToken) -> CommentToken:
    """A copy of a comment token with only its first line (the comment on the key's own line)."""
    return CommentToken(token.value.partition("\n")[0] + "\n", token.start_mark, None)


def comment_texts(value: Any, extra: CommentToken | None = None) -> list[str]:
    """Every ``#`` comment inside a value (and on its key line), in order, once each."""
    found: list[str] = []

    def tokens(item: Any) -> Iterator[CommentToken]:
        if isinstance(item, CommentToken):
            yield item
        elif isinstance(item, list):
            for part in item:
                yield from tokens(part)

    def walk(node: Any) -> Iterator[CommentToken]:
        if isinstance(node, CommentedMap | CommentedSeq):
            yield from tokens(node.ca.comment or [])
            for slots in node.ca.items.values():
                yield from tokens(slots)
            yield from tokens(node.ca.end or [])
            children = node.values() if isinstance(node, CommentedMap) else node
            for child in children:
                yield from walk(child)

    for token in [*([extra] if extra else []), *walk(value)]:
        for line in token.value.splitlines():
            text = line.strip()
            if text.startswith("#") and text not in found:
                found.append(text)
    return found


# -- Values ------------------------------------------------------------------------------------


def disagreement(loaded: Any, round_trip: Any, doc: Document) -> Diagnostic | None:
    """A QA114 finding at the first value the round trip reads differently from the loader.

    ``loaded`` is the loader's data for ``doc``, ``round_trip`` what ruamel.yaml read from the same
    text. They agree by construction (one resolver, and the loader refuses what only one reader
    can read); this is the check that nothing is rewritten should they ever not.
    """
    path = first_difference(loaded, plain_value(round_trip))
    if path is None:
        return None
    shown = ".".join(str(p) for p in path) or "the file"
    return diagnostic(
        "QA114",
        doc.locate(path),
        f"'{clip(shown)}' would read differently once the file is rewritten with its comments kept, "
        "so it was left as it is.",
        "Put the value in quotes, and please report the file to qaimpact's developers.",
    )


def filled(value: Any) -> bool:
    """True when a value holds something a person wrote (not empty, not only blanks)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict | list):
        return any(filled(v) for v in (value.values() if isinstance(value, dict) else value))
    return True


def quoted(value: Any) -> str:
    """A value as a loss message shows it: text in quotes, anything else as JSON."""
    plain = plain_value(value)
    if isinstance(plain, str):
        return f"'{plain}'"
    return json.dumps(plain, ensure_ascii=False)


def what_is_lost(value: Any, key_comment: CommentToken | None, *, entry: bool) -> str:
    """'its rating (good), evidence ('...') and comment '# ...'': what removing a value loses."""
    parts: list[str] = []
    if entry and isinstance(value, dict):
        if "rating" in value:
            parts.append(f"rating ({plain_value(value['rating'])})")
        parts.extend(f"{k} ({quoted(v)})" for k, v in value.items() if k != "rating" and filled(v))
    else:
        parts.append(f"value {quoted(value)}")
    comments = comment_texts(value, key_comment)
    if comments:
        noun = "comment" if len(comments) == 1 else "comments"
        parts.append(f"{noun} " + ", ".join(f"'{c}'" for c in comments))
    return "its " + and_list(parts) if parts else "nothing"

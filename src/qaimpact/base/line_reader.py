"""The common shape of an audit file read line by line: the loader's first and cheapest reading.

Nearly every audit is written the same way: ``key: value`` lines, nested by spaces, lists of
``- `` items, text on one line or in a ``|`` or ``>`` block, and the odd ``{from: ..., to: ...}``.
libyaml parses such a file quickly, but hands it to Python as a hundred event objects that are
built, read once and dropped: two thirds of the cost of reading an audit (docs/performance.md).
:func:`read_lines` reads that common shape from the text's lines directly, at about half the cost,
and **declines** (returns :data:`DECLINED`) at the first line it does not read exactly as libyaml
does, so that the loader reads the file from libyaml's events or its node tree instead, which
say what is wrong, and where.

What it reads, and nothing else:

- one block mapping at the root, its keys at the first column, after comments, blank lines and
  at most one ``---``;
- keys that are names (letters, digits and ``_``, not starting with a digit), each once;
- block mappings and lists nested by spaces, a list also at its key's column;
- plain text on one line (resolved by :mod:`qaimpact.base.core_schema`, as every reader does), a
  comment after it; single-quoted text on one line, double-quoted text on one line without ``\\``;
- ``|``, ``|-``, ``>`` and ``>-`` blocks whose lines hold no trailing space, with no empty first
  line and, in a ``>`` block, no line indented further than the first;
- ``{key: value, ...}`` and ``[value, ...]`` on one line, of plain words, numbers and dates.

Anything else declines: tabs, carriage returns, a byte-order mark, characters YAML refuses,
anchors, aliases, tags, quoted or odd keys, text over several lines, a value starting with an
indicator YAML reserves, ``: `` inside plain text, indentation that matches no open block, more
than ``max_depth`` levels. tests/test_line_reader.py compares every file it reads with libyaml's
reading, over the bundled examples, the test data, generated and mutated files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from qaimpact.base.core_schema import (
    IMPLICIT,
    MAX_NUMBER_LENGTH,
    NUMBER_TAGS,
    WORD_STARTS,
    WORDS,
    scalar_value,
)

#: What :func:`read_lines` returns for a file it leaves to libyaml.
DECLINED: Any = object()

_NAME = r"[A-Za-z_][A-Za-z0-9_]{0,127}+"
#: Every line of a file: its indentation; the rest of it (empty for a blank line); a list item's
#: ``-`` and the spaces after it; the key after that ``-``; a mapping's key; and what follows the
#: key's ``: `` or the ``- ``. A line that is neither a key nor an item has the two keys and the
#: ``-`` empty, and its whole rest as the value.
_LINES = re.compile(rf"^( *+)((?:(- +)(?:({_NAME}):(?: +|$))?|({_NAME}):(?: +|$))?(.*))$", re.MULTILINE)
#: The characters that cannot start plain text in a block: YAML's indicators. Quotes, ``{`` and
#: ``[`` start a value read otherwise; ``|`` and ``>`` start a block, read on the key's line only.
_NOT_PLAIN = frozenset("-?:,[]{}#&*!|>'\"%@`")
#: A value of ``{key: value}`` or ``[value]`` written on one line: plain text that starts with
#: no indicator and holds none of ``,[]{}``, ``:`` or ``#``, which mean something in such a
#: collection.
#: Each is matched against a part with its spaces around it stripped, so that nothing but the
#: part's own characters can be tried twice: a lazy word followed by `` *`` backtracked over a run of
#: spaces inside it, which made a 64 KB file take 23 s.
_FLOW_WORD = r"[^\s,\[\]{}#:'\"&*!|>%@`?-][^,\[\]{}#:]*"
_FLOW_PAIR = re.compile(rf"({_NAME}): +({_FLOW_WORD})")
_FLOW_ITEM = re.compile(_FLOW_WORD)
#: Characters outside YAML's printable set, and the line breaks YAML 1.1 has beyond ``\n`` (NEL,
#: LS and PS): tabs and carriage returns are declined before.
_UNPRINTABLE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\n"
_BLOCK_HEADERS = frozenset(("|", "|-", ">", ">-"))


def read_lines(text: str, max_depth: int) -> Any:
    """The data of ``text`` (a YAML file's text, without a byte-order mark), or :data:`DECLINED`."""
    if "\t" in text or "\r" in text or "\ufeff" in text:
        return DECLINED
    if text.isascii():
        if text.encode("ascii").translate(None, _PRINTABLE_ASCII):
            return DECLINED
    elif _UNPRINTABLE.search(text) is not None:
        return DECLINED
    lines = _LINES.findall(text)
    count = len(lines)
    root: dict[str, Any] = {}
    # The open blocks, innermost last: (indentation, the collection, whether it is a list,
    # whether that list sits at its key's column, where a key at that column ends it).
    top: tuple[int, Any, bool, bool] = (0, root, False, False)
    stack: list[tuple[int, Any, bool, bool]] = []
    # A key with nothing after it on its line (its mapping, the key, its column): the next line
    # says whether its value is a block (indented further, or a list at the key's column) or null.
    pending: tuple[dict[str, Any], str, int] | None = None
    started = False
    index = 0
    while index < count:
        spaces, body, dash, item_key, key, rest = lines[index]
        index += 1
        if not body or body[0] == "#":
            continue
        indent = len(spaces)
        if not stack:
            if not started and not indent and body.rstrip(" ") == "---":
                started = True
                continue
            if indent or not key:
                return DECLINED
            stack.append(top)
        if pending is not None:
            holder, held, column = pending
            pending = None
            if dash and indent >= column:
                made: Any = []
                top = (indent, made, True, indent == column)
            elif key and indent > column:
                made = {}
                top = (indent, made, False, False)
            elif indent > column:
                return DECLINED  # text over several lines
            else:
                made = None
            if made is not None:
                holder[held] = made
                stack.append(top)
        # The block this line belongs to: the one open at its column.
        while True:
            level = top[0]
            if indent == level:
                if top[2]:
                    if dash:
                        break
                    if key and top[3]:
                        stack.pop()
                        top = stack[-1]
                        continue
                elif key:
                    break
                return DECLINED
            if indent > level or len(stack) == 1:
                return DECLINED
            stack.pop()
            top = stack[-1]
        container = top[1]
        if dash:
            if len(stack) > max_depth:
                return DECLINED  # a list item, a list or a mapping in it, one level too deep
            if not item_key:
                if not rest or rest[0] in "|>#":
                    return DECLINED
                value = _scalar(rest)
                if value is DECLINED:
                    return DECLINED
                container.append(value)
                continue
            mapping: dict[str, Any] = {}
            container.append(mapping)
            indent += len(dash)
            top = (indent, mapping, False, False)
            stack.append(top)
            container = mapping
            key = item_key
        if len(stack) > max_depth or key in container:
            return DECLINED
        if not rest or rest[0] == "#":
            container[key] = None
            pending = (container, key, indent)
            continue
        first = rest[0]
        if first == "|" or first == ">":
            value, index = _block(lines, index, indent, rest, text)
        elif first in _NOT_PLAIN:
            value = _scalar(rest)
        else:
            # Plain text, the most common value, read here rather than through _scalar.
            if " #" in rest:
                rest = rest[: rest.index(" #")]
            value = rest.rstrip(" ")
            if ": " in value or value[-1] == ":":
                return DECLINED
            # As _value reads it, written out: a call for each of an audit's values cost 3 µs of
            # the 64 µs a file takes here (read_lines of 960 bench audits, best of 5).
            if first in WORD_STARTS:
                value = WORDS.get(value, value)
            elif first in IMPLICIT and not _dated(value):
                value = _resolved(value, IMPLICIT[first])
        if value is DECLINED:
            return DECLINED
        container[key] = value
    return root if stack else DECLINED


def _dated(value: str) -> bool:
    """Whether plain text starting with a digit, a sign or a point cannot be a number by where
    a ``-`` is: fifth, and not straight after an ``e``, as a date's is (``2026-11-03``). A number
    has a ``-`` only first or straight after its exponent's ``e``, so the patterns need not be
    tried."""
    return value[4:5] == "-" and value[3] not in "eE"


def _resolved(value: str, candidates: list[tuple[str, re.Pattern[str]]]) -> Any:
    """Plain text's value by the core schema (``candidates``: its first character's tags)."""
    for tag, pattern in candidates:
        if pattern.match(value):
            if tag in NUMBER_TAGS and len(value) > MAX_NUMBER_LENGTH:
                return DECLINED  # the node tree's reading says QA112
            return scalar_value(tag, value)
    return value


def _plain(value: str) -> Any:
    """Plain text on one line (a comment after it removed), or :data:`DECLINED`."""
    if value[:1] in _NOT_PLAIN:
        return DECLINED
    if " #" in value:
        value = value[: value.index(" #")]
    value = value.rstrip(" ")
    if ": " in value or value[-1:] == ":":
        return DECLINED
    return _value(value)


def _value(text: str) -> Any:
    """The value of plain text known to be one (no indicator first, no comment, no ``: ``): a word
    of :data:`WORDS`, a number, or the text itself."""
    first = text[:1]
    if first in WORD_STARTS:
        return WORDS.get(text, text)
    candidates = IMPLICIT.get(first)
    return text if candidates is None or _dated(text) else _resolved(text, candidates)


def _scalar(value: str) -> Any:
    """A value on one line that is not a block: quoted, ``{...}``, ``[...]`` or plain."""
    first = value[0]
    if first == "'":
        end = value.find("'", 1)
        while end >= 0 and value[end + 1 : end + 2] == "'":
            end = value.find("'", end + 2)
        if end < 0 or not _ends_line(value, end + 1):
            return DECLINED
        return value[1:end].replace("''", "'")
    if first == '"':
        end = value.find('"', 1)
        if end < 0 or "\\" in value[:end] or not _ends_line(value, end + 1):
            return DECLINED
        return value[1:end]
    if first == "{" or first == "[":
        return _flow(value, first)
    return _plain(value)


def _ends_line(value: str, start: int) -> bool:
    """Whether nothing but spaces and a comment follows ``start``."""
    tail = value[start:].lstrip(" ")
    return not tail or tail[0] == "#"


def _flow(value: str, first: str) -> Any:
    """``{key: value, ...}`` or ``[value, ...]`` of plain words on one line, nothing after it."""
    end = value.find("}" if first == "{" else "]")
    if end < 0 or value[end + 1 :].strip(" "):
        return DECLINED
    inner = value[1:end]
    if not inner.strip(" "):
        return {} if first == "{" else []
    if first == "[":
        items = []
        for part in inner.split(","):
            word = part.strip(" ")
            # A word _FLOW_ITEM matches starts with no indicator and holds no comment or ': '.
            if _FLOW_ITEM.fullmatch(word) is None:
                return DECLINED
            item = _value(word)
            if item is DECLINED:
                return DECLINED
            items.append(item)
        return items
    pairs: dict[str, Any] = {}
    for part in inner.split(","):
        found = _FLOW_PAIR.fullmatch(part.strip(" "))
        if found is None or found.group(1) in pairs:
            return DECLINED
        item = _value(found.group(2))
        if item is DECLINED:
            return DECLINED
        pairs[found.group(1)] = item
    return pairs


def _block(lines: list[tuple[str, ...]], index: int, indent: int, header: str, text: str) -> tuple[Any, int]:
    """A ``|`` or ``>`` block's text, whose header ends the line before ``lines[index]``, inside
    a mapping at column ``indent``; and the index of the first line after it."""
    header = header.rstrip(" ")
    if header not in _BLOCK_HEADERS:
        return DECLINED, index
    block: list[str] = []
    column = -1  # the block's indentation, set by its first line
    further = False  # whether a line is indented further than the first
    count = len(lines)
    while index < count:
        spaces, body = lines[index][0], lines[index][1]
        if not body:
            if spaces or column < 0:
                return DECLINED, index  # a line of spaces alone, or an empty first line
            block.append("")
            index += 1
            continue
        at = len(spaces)
        if column < 0:
            if at <= indent:
                return DECLINED, index  # an empty block
            column = at
        elif at < column:
            if at > indent:
                return DECLINED, index
            break
        elif at > column:
            further = True
        if body[-1] == " ":
            return DECLINED, index
        block.append(spaces[column:] + body)
        index += 1
    if index == count and text[-1:] != "\n":
        return DECLINED, index  # the last line has no line break to keep
    while not block[-1]:
        block.pop()
    if header[0] == "|":
        value = "\n".join(block)
    elif further:
        return DECLINED, index  # folding keeps such a line's breaks: not read here
    else:
        value = _folded(block)
    return (value + "\n" if len(header) == 1 else value), index


def _folded(block: list[str]) -> str:
    """The lines of a ``>`` block folded, none indented further than the first: one line break
    becomes a space, and each empty line between two lines a line break."""
    if "" not in block:
        return " ".join(block)
    parts: list[str] = []
    blanks = 0
    for piece in block:
        if not piece:
            blanks += 1
            continue
        if parts:
            parts.append("\n" * blanks if blanks else " ")
        parts.append(piece)
        blanks = 0
    return "".join(parts)


def read_positions(text: str) -> list[tuple[str, ...]]:
    """The lines of ``text`` as :func:`line_position` reads them (one tuple a line, as
    :func:`read_lines` reads them), for a caller that asks for several positions in one file."""
    return _LINES.findall(text)


def line_position(
    lines: list[tuple[str, ...]], loc: Sequence[Any], *, key: bool = False
) -> tuple[int, int] | None:
    """Where libyaml's node tree places the value at ``loc`` (its key, with ``key``): the 1-based
    line and column, in a file :func:`read_lines` read (``lines``: :func:`read_positions` of its
    text). ``None`` where that takes more than the lines: a path through a list, a key that is
    not in the file, a value left empty; the caller composes the tree for those.

    Composing libyaml's tree costs a file more than reading it twice over, and what a finding
    asks of a file is nearly always a key of a mapping or its value (an escalation's date, the
    grade recorded): that is read here from the lines, where every key is a name at its block's
    column, and a value on its key's line starts at its first character (a quote, a ``|``, a
    ``[``), or on the next line, at its first key or ``-``. tests/test_line_reader.py holds it to
    the tree's position of every key and value of every file it reads.
    """
    if not loc or any(type(part) is not str for part in loc):
        return None
    count = len(lines)
    start, column = 0, 0  # the mapping searched: its first line, and its keys' column
    last = len(loc) - 1
    for depth, part in enumerate(loc):
        found = -1
        for index in range(start, count):
            spaces, body, dash, _, name, _ = lines[index]
            if not body or body[0] == "#":
                continue
            at = len(spaces)
            if at < column:
                break  # the mapping has ended
            if at > column or dash:
                continue  # a line of a value: nested deeper, or a list at its key's column
            if not name:
                if body.rstrip(" ") == "---":
                    continue  # the one document marker read_lines takes, before the first key
                return None
            if name == part:
                found = index
                break
        if found < 0:
            return None
        if depth == last and key:
            return found + 1, column + 1
        spaces, body, _, _, _, rest = lines[found]
        if rest and rest[0] != "#":
            # The value is on its key's line: a mapping on it cannot be walked into here.
            return (found + 1, len(spaces) + len(body) - len(rest) + 1) if depth == last else None
        below = _first_below(lines, found + 1, column)
        if below is None:
            return None  # an empty value: the tree places it after the key
        index, at, is_item = below
        if depth == last:
            return index + 1, at + 1
        if is_item:
            return None
        start, column = index, at
    return None


def _first_below(lines: list[tuple[str, ...]], start: int, column: int) -> tuple[int, int, bool] | None:
    """The first line of a key's value written below it (the key at ``column``): its index, its
    column and whether it is a list's ``-``; ``None`` where the value is empty."""
    for index in range(start, len(lines)):
        spaces, body, dash = lines[index][:3]
        if not body or body[0] == "#":
            continue
        at = len(spaces)
        if at > column or (dash and at == column):
            return index, at, bool(dash)
        return None
    return None

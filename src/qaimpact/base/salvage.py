"""Read what can safely be read of a file YAML cannot read, for a safety signal only.

A file with a YAML syntax error (QA101: a tab, a quotation mark never closed, a ``:`` in pasted
text) cannot be read, so it is not checked or graded. But an ``overall_judgement: inadequate``
elsewhere in it still calls for an escalation, and a safety signal is never hidden behind an
unrelated problem. :func:`read_around` reads the file again with the line YAML stopped at blanked
(then the next, a few times at most), and says what each blanked line could have held: its
**reach**, the lines that may belong to it (a text in quotes or a list it opens runs on to where
that closes; the lines indented under it may be its block); and the key it starts with, where one
is written. Whoever reads the result must take every value those could have held as unknown
(``audits/ahead.py`` does). Nothing is ever graded from it: the file stays invalid, with the one
finding the loader gave it.

Bounded: only files of at most :data:`MAX_SALVAGED_SIZE` bytes, at most :data:`MAX_TRIES` reads
and :data:`MAX_BLANKED` lines blanked, and each blanked line's reach is found by one pass over the
text, so hostile input costs a few milliseconds more at most. A line holding a tab is blanked at
once: it is what makes the loader read a file a second, slower way (ruamel.yaml's), which each
try would pay again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qaimpact.base.loader import Document, LoadError, load_bytes

#: An audit is a few kilobytes: a larger file is not read again (each read costs time).
MAX_SALVAGED_SIZE = 32 * 1024
#: At most this many reads, and this many lines blanked, else nothing is read.
MAX_TRIES = 4
MAX_BLANKED = 6

#: A key written at the start of a line (after its indentation and a list's ``-``): the text before
#: the first ``:`` followed by a space, a tab or the end of the line, with no character YAML
#: reserves in it (a key in quotes, ``? ``, a flow list are not taken as keys).
_KEY = re.compile(r"[ \t]*(-[ \t]+)?([^\s\"'\[\]{}#&*!|>%@`,?:-][^\"'\[\]{}#:]*?)[ \t]*:(?=[ \t]|$)")


@dataclass(frozen=True, slots=True)
class Blanked:
    """One line of the file left out of the reading, and what it could have held."""

    #: The line (1-based).
    line: int
    #: The last line that may belong to it (its reach): text in quotes or a list it opens, and the
    #: lines indented under it.
    last: int
    #: The key it starts with, as written (``None``: no key can be told, it may be anything).
    key: str | None
    #: Whether it is an entry of a list (``- ...``): which entry each later one is may change.
    item: bool
    #: Its indentation in spaces; ``None`` where a tab is in it (it may be any).
    indent: int | None
    #: Whether it holds a quotation mark: read without it, each later one may open where it
    #: closed, and close where it opened.
    quotes: bool = False
    #: The last line before it that holds anything as read (0: none): the line may have gone on
    #: from it, as a text of many lines does.
    previous: int = 0


@dataclass(frozen=True, slots=True)
class Salvage:
    """A file read with some lines blanked: the document as read, and the lines blanked."""

    doc: Document
    blanked: tuple[Blanked, ...]


def read_around(raw: bytes, name: str, line: int, *, max_size: int) -> Salvage | None:
    """``raw``, which YAML could not read (it stopped at ``line``), read again with that line
    blanked, and each line holding a tab or a byte-order mark (which only the slow second reading
    of the loader refuses), then each next line it stops at; ``None`` where it still cannot be
    read within :data:`MAX_TRIES` reads and :data:`MAX_BLANKED` lines, or is too large to try."""
    if len(raw) > min(max_size, MAX_SALVAGED_SIZE):
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    lines = text.split("\n")
    numbers = {line} | {n for n, written in enumerate(lines, 1) if "\t" in written or "\ufeff" in written}
    for _ in range(MAX_TRIES):
        if len(numbers) > MAX_BLANKED or not all(1 <= n <= len(lines) for n in numbers):
            return None
        kept = list(lines)
        for number in numbers:
            # The line's break stays, so that every other line keeps its number.
            kept[number - 1] = ""
        try:
            doc = load_bytes("\n".join(kept).encode("utf-8"), name, max_size=max_size)
        except LoadError as exc:
            stopped = exc.diagnostic.location.line
            if exc.diagnostic.code != "QA101" or stopped is None or stopped in numbers:
                return None
            numbers.add(stopped)
            continue
        blanked = (_blank(text, lines, number) for number in sorted(numbers))
        return Salvage(doc, tuple(replace(b, previous=_previous(kept, b.line)) for b in blanked))
    return None


def _blank(text: str, lines: list[str], number: int) -> Blanked:
    """What line ``number`` of ``text`` could have held (see :class:`Blanked`)."""
    written = lines[number - 1].rstrip("\r")
    matched = _KEY.match(written)
    item = written.lstrip(" \t").startswith("-")
    # A tab inside what looks like a key leaves it unknown: which of its parts is the key is not.
    key = matched.group(2) if matched is not None and "\t" not in matched.group(2) else None
    last = _runs_to(text, lines, number)
    spaces = len(written) - len(written.lstrip(" "))
    indent = None if written[spaces : spaces + 1] == "\t" else spaces
    # The lines indented under it may be its block (or a text of many lines): to the first line as
    # little indented as it, whose place no longer depends on it. A tab in a line's indentation
    # leaves its place unknown: it may be under it too.
    while last < len(lines):
        following = lines[last].rstrip("\r")
        content = following.lstrip(" ")
        under = len(following) - len(content)
        if (
            content == ""
            or content.startswith(("#", "\t"))
            or under > spaces
            or (under == spaces and content.startswith("-"))
        ):
            last += 1
            continue
        break
    return Blanked(number, last, key, item, indent, quotes=any(mark in written for mark in "\"'"))


def _previous(kept: list[str], number: int) -> int:
    """The last line before ``number`` of the text as read that holds more than a comment."""
    for index in range(number - 2, -1, -1):
        content = kept[index].strip()
        if content and not content.startswith("#"):
            return index + 1
    return 0


def _runs_to(text: str, lines: list[str], number: int) -> int:
    """The last line that text in quotes or a flow list opened on line ``number`` may run on to:
    where the text in quotes closes as YAML reads it, or the end of the file for a list not closed
    on the line (or a text never closed); ``number`` where nothing on the line runs on.

    Any quotation mark, ``[`` or ``{`` counts, even inside plain text where YAML would not take it
    for one: what was meant is not known, so the reach is taken as long as it could be.
    """
    start = sum(len(line) + 1 for line in lines[: number - 1])
    end_of_line = start + len(lines[number - 1])
    index = start
    depth = 0
    while True:
        found = _SPECIAL.search(text, index, end_of_line)
        if found is None:
            return number if depth == 0 else len(lines)
        char = found.group()
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth = max(depth - 1, 0)
        if char not in "\"'":
            index = found.end()
            continue
        closed = _QUOTED[char].match(text, found.start())
        if closed is None:
            return len(lines)
        if closed.end() > end_of_line:
            return text.count("\n", 0, closed.end() - 1) + 1
        index = closed.end()


#: What may open or close a text in quotes or a flow list.
_SPECIAL = re.compile(r"[\"'\[\]{}]")
#: Text in quotes as YAML reads it: ``\"`` inside double quotes, ``''`` inside single ones, are
#: quotation marks in the text (the unrolled patterns run in linear time).
_QUOTED = {
    '"': re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL),
    "'": re.compile(r"'[^']*(?:''[^']*)*'"),
}

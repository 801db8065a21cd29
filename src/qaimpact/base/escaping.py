"""Text made safe for the place it is shown: a terminal, a CI log, XML, a spreadsheet, JSON.

Audit values, standards titles and file names reach every output, and any of them can hold an
escape sequence, a line break or a character that reverses the direction of the text around it.
Each rule below lives here once, and every renderer calls it, so a new output gets it for free:

- :func:`visible` for human output (text, the rich console, Markdown, GitHub annotations): each
  control character, line break and direction override is shown as a visible escape (``\\x1b``,
  ``\\n``, ``\\u202e``), so it can neither drive a terminal nor start a fake line in a CI log;
- :func:`terminal_safe` for a whole document printed to a terminal: the same, keeping the
  document's own line breaks and tabs;
- :func:`clip` for a value quoted in a message: at most :data:`MAX_QUOTED` characters of it;
- :func:`xml_text` for XML 1.0, which cannot hold most control characters at all;
- :func:`csv_cell` for spreadsheets, which run a cell that starts like a formula, on any line
  (:func:`csv_text` reads such a cell back as the text it was);
- :func:`workbook_text` for a workbook's cell, which can be stored as text: exactly as typed,
  with no ``'``, as Excel never runs a text cell;
- :func:`to_json` for machine data: exact (escaping is JSON's own), with the few characters a
  terminal acts on that JSON may leave raw written as ``\\u`` escapes, which decode to the same text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

#: C0 controls (tab and line breaks included), DEL, C1 controls (a terminal may read U+009B as an
#: escape), the Unicode line and paragraph separators, and the bidirectional embeddings,
#: overrides and isolates that reorder what is displayed ("Trojan Source").
_UNSAFE = "\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE_RE = re.compile(f"[{_UNSAFE}]")
#: Characters no name, id or choice holds, and which show as nothing, or nothing much, where they
#: are pasted (QA316, and the hint for a choice): controls (line breaks and tabs too), DEL, C1
#: controls, line separators, the bidirectional embeddings, overrides and isolates, a zero-width
#: space, word joiner, byte-order mark or soft hyphen. Zero-width joiners are left alone: some
#: scripts write names with them.
INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u200b\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: What JSON leaves raw (it escapes C0 itself) but a terminal acts on.
_JSON_RE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: Characters XML 1.0 forbids: C0 but tab and line breaks, surrogates, U+FFFE and U+FFFF.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: The most characters of a value a message quotes; the rest is counted, not shown.
MAX_QUOTED = 80
#: The most characters of a message or hint: a backstop for text no call site clipped.
MAX_MESSAGE = 1_000


def escape_char(char: str) -> str:
    """One character as a visible escape: ``\\n``, ``\\x1b``, ``\\u202e``."""
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def unsafe_chars(text: str) -> list[str]:
    """The characters :func:`visible` would escape, in order of first appearance."""
    return list(dict.fromkeys(_UNSAFE_RE.findall(text)))


def visible(text: str) -> str:
    """Human text with every control character, line break and direction override escaped."""
    if _UNSAFE_RE.search(text) is None:
        return text
    return _UNSAFE_RE.sub(lambda m: escape_char(m.group()), text)


def terminal_safe(document: str) -> str:
    """A whole document (Markdown, CSV, HTML) made safe to print on a terminal.

    Its own line breaks and tabs stay; every other control character and direction override is
    escaped as :func:`visible` does.
    """
    if _UNSAFE_RE.search(document) is None:
        return document
    return _UNSAFE_RE.sub(lambda m: m.group() if m.group() in "\n\t" else escape_char(m.group()), document)


def clip(text: str, limit: int = MAX_QUOTED) -> str:
    """At most ``limit`` characters of ``text``, counting what is cut: ``abc... (1,234 more characters)``."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit:,} more characters)"


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: each character it forbids is shown as a visible escape."""
    if _NOT_XML_RE.search(text) is None:
        return text
    return _NOT_XML_RE.sub(lambda m: escape_char(m.group()), text)


def to_json(data: Any, **options: Any) -> str:
    """``json.dumps`` (``ensure_ascii=False``), with C1 controls, line separators and direction
    overrides written as ``\\u`` escapes: the data read back is exactly the same."""
    text = None
    if options.keys() <= {"indent", "default"} and type(options.get("indent")) is int:
        try:
            text = _indented(data, " " * options["indent"], options.get("default"))
        except RecursionError:  # a cycle: json.dumps says so as it always has
            text = None
    if text is None:
        text = json.dumps(data, ensure_ascii=False, **options)
    # Of the characters escaped, only DEL is ASCII, and Python knows a text is ASCII without
    # reading it: a report's megabytes of JSON are searched only where they hold other letters.
    if (text.isascii() and "\x7f" not in text) or _JSON_RE.search(text) is None:
        return text
    # These characters can only occur inside JSON strings, where a \u escape means the same.
    return _JSON_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _indented(data: Any, indent: str, default: Callable[[Any], Any] | None) -> str:
    """Exactly what ``json.dumps(data, ensure_ascii=False, indent=..., default=...)`` writes.

    The standard library writes indented JSON with its pure-Python encoder, one small generator
    per container; a report of 10,000 audits spent as long writing its JSON as building it. This
    writes the same text in one pass (``tests/test_output_safety.py`` holds the two equal).
    """
    parts: list[str] = []
    append = parts.append
    encode = json.encoder.encode_basestring  # what json.dumps uses when ensure_ascii is false

    def number(value: float) -> str:
        if value != value:
            return "NaN"
        if value == _INFINITY:
            return "Infinity"
        if value == -_INFINITY:
            return "-Infinity"
        return float.__repr__(value)

    def key_text(key: Any) -> str:
        if isinstance(key, str):
            return key
        if isinstance(key, float):
            return number(key)
        if key is True:
            return "true"
        if key is False:
            return "false"
        if key is None:
            return "null"
        if isinstance(key, int):
            return int.__repr__(key)
        raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")

    # The line break and indentation before an item, and before the closing bracket, at each level.
    inners: list[str] = []
    closes: list[str] = []
    #: At each level, each key as written with what comes before it and its ``": "``: as a
    #: mapping's first key (after its ``{``) and as any other (after a comma). Reports repeat a few
    #: hundred keys many times over, so each item is then one look-up and one concatenation.
    opening: list[dict[str, str]] = []
    following: list[dict[str, str]] = []

    def at(level: int) -> str:
        while len(inners) <= level + 1:
            closes.append("\n" + indent * len(closes))
            inners.append("\n" + indent * (len(inners) + 1))
            opening.append({})
            following.append({})
        return inners[level]

    def write_items(value: list[Any] | tuple[Any, ...], level: int) -> None:
        if not value:
            append("[]")
            return
        inner = at(level)
        separator = "[" + inner
        for item in value:
            cls = item.__class__
            if cls is str:  # most items: written here, with no call
                append(separator + encode(item))
            elif cls is dict:  # the rows of a report's tables
                append(separator)
                write_mapping(item, level + 1)
            else:
                append(separator)
                write(item, level + 1)
            separator = "," + inner
        append(closes[level] + "]")

    def write_mapping(value: dict[Any, Any], level: int) -> None:
        if not value:
            append("{}")
            return
        inner = at(level)
        # The first key after the brace, every other after a comma.
        names, before = opening[level], "{" + inner
        rest, comma = following[level], "," + inner
        for key, item in value.items():
            if key.__class__ is str:
                name = names.get(key)
                if name is None:
                    name = names[key] = before + encode(key) + ": "
            else:
                name = before + encode(key_text(key)) + ": "
            names = rest
            before = comma
            # The values a report's rows hold, by how often they come: each written here, or
            # its container by its own writer, with no call through write() and its tests.
            cls = item.__class__
            if cls is str:
                append(name + encode(item))
            elif cls is int:
                append(name + int.__repr__(item))
            elif item is None:
                append(name + "null")
            elif cls is dict:
                append(name)
                write_mapping(item, level + 1)
            elif cls is list:
                append(name)
                write_items(item, level + 1)
            elif item is True:
                append(name + "true")
            elif item is False:
                append(name + "false")
            else:
                append(name)
                write(item, level + 1)
        append(closes[level] + "}")

    def write(value: Any, level: int) -> None:
        # Exact classes first: nearly everything a report writes is a str, dict, list or int,
        # and one identity test each is far cheaper than the chain of isinstance below, which
        # subclasses (bool, an IntEnum, a str subclass) still go through as json.dumps takes them.
        cls = value.__class__
        if cls is str:
            append(encode(value))
        elif cls is dict:
            write_mapping(value, level)
        elif cls is list:
            write_items(value, level)
        elif cls is int:
            append(int.__repr__(value))
        elif isinstance(value, str):
            append(encode(value))
        elif value is None:
            append("null")
        elif value is True:
            append("true")
        elif value is False:
            append("false")
        elif isinstance(value, int):
            append(int.__repr__(value))
        elif isinstance(value, float):
            append(number(value))
        elif isinstance(value, list | tuple):
            write_items(value, level)
        elif isinstance(value, dict):
            write_mapping(value, level)
        elif default is None:
            raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")
        else:
            write(default(value), level)

    write(data, 0)
    return "".join(parts)


_INFINITY = float("inf")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def csv_cell(value: Any) -> str:
    """A value as a spreadsheet cell that can never run as a formula.

    Numbers and booleans are data. Text that starts like a formula (``=``, ``+``, ``-``, ``@``, a
    tab), on its first line or after any line break, gets a leading ``'``; so does a line that
    already starts with ``'`` before one of them (``'=``), so that :func:`csv_text` gives the text
    back exactly. Line breaks become ``\\n``, so the CSV writer quotes the cell and no spreadsheet
    starts a new row inside it.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)  # a number (-3 days) is data, not a formula
    lines = _LINE_BREAK.split(str(value))
    return "\n".join("'" + line if line.lstrip("'").startswith(_FORMULA_START) else line for line in lines)


#: The characters no workbook cell can hold: the control characters but tab, line feed and carriage
#: return (openpyxl's ``ILLEGAL_CHARACTERS_RE``).
_NOT_IN_A_CELL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _in_a_cell(found: re.Match[str]) -> str:
    """What :func:`workbook_text` writes for a character no cell can hold: a line break for
    Word's line and page breaks, nothing for any other."""
    return "\n" if found.group() in "\x0b\x0c" else ""


def workbook_text(cell: Any, text: str) -> None:
    """Put ``text`` in an openpyxl worksheet ``cell`` as a text cell, exactly as typed.

    openpyxl stores a string starting with ``=`` as a formula, and one of Excel's error words
    (``#N/A``) as an error. A text cell is neither: Excel shows it as typed and never runs it, so,
    unlike a CSV cell (:func:`csv_cell`), it needs no ``'`` before ``=``, ``+``, ``-`` or ``@``, and
    a ``'`` typed at its start is part of the text (``qaimpact import`` reads it back as it is).

    A cell cannot hold a control character other than a tab or a line break (the file's XML has no
    way to write one; openpyxl refuses it): Word's line break (``\v``, Shift+Enter) and page break
    (``\f``) are written as line breaks, and any other, which nobody types (``validate`` warns of
    one, QA411), is left out, as ``qaimpact import`` leaves it out of a cell.
    """
    if not text.isprintable():
        text = _NOT_IN_A_CELL.sub(_in_a_cell, text)
    cell.value = text
    # After the value: openpyxl chooses the type as the value is set.
    cell.data_type = "s"


#: A ``'`` that :func:`csv_cell` put at the start of a line: before ``=``, ``+``, ``-``, ``@`` or a
#: tab, perhaps after more ``'``.
_ESCAPED_LINE = re.compile("(^|[\r\n])'(?='*[=+\\-@\t])")


def csv_text(cell: str) -> str:
    """The text of a CSV cell that :func:`csv_cell` wrote: each line's added ``'`` taken away
    again (``'=SUM(A1)`` reads as ``=SUM(A1)``, ``''=x`` as ``'=x``). A cell no escaping touched
    is given back as it is."""
    if "'" not in cell:
        return cell
    return _ESCAPED_LINE.sub(r"\1", cell)


#: A date (2026-07-08), a month (2026-07), a quarter (2026-Q3, 2026-27-Q2) or an id
#: (QA-2026-0014, cafcass-qiam-2017): words joined by hyphens with a digit among them. A browser
#: may break a line after any hyphen, which splits "2026-07-" from "08"; these are kept on one
#: line. So is a financial quarter's label, ``2026-27 Q2 (Jul-Sep 2026)`` or ``2026-27 Q4
#: (Nov 2026-Jan 2027)`` (:meth:`qaimpact.audits.quarters.Quarters.label`), and a share with its
#: counts, ``100% (1 of 1)`` (:func:`qaimpact.privacy.disclosure.share`), each as one value.
#: HTML reports (:func:`qaimpact.reports.render.keep_together`) and the terminal's tables
#: (:mod:`qaimpact.cli.console`) keep them whole; here, as the terminal must not load Jinja.
WHOLE_VALUE = re.compile(
    r"\b\d{4}-\d{2} Q[1-4] \([A-Z][a-z]{2}(?: \d{4})?-[A-Z][a-z]{2} \d{4}\)"
    r"|(?<![\w.])\d+% \(\d+ of \d+\)"
    r"|(?<![\w-])(?=[\w-]*\d)[^\W_]+(?:-[^\W_]+)+(?![\w-])"
)

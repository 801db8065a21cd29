"""Turn one cell into the value an audit holds, as its mapped key takes it.

:func:`convert` returns the value and, when the cell cannot be read as the key needs, a
:class:`Problem` (the caller locates it at the cell). A cell that cannot be read keeps its own
text as the value, so that the audit still shows what the sheet said.

Values are the plain values the YAML loader builds from an audit file (dates as ``YYYY-MM-DD``
text), so the audit checked is exactly the audit written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qaimpact.authoring.importing.mapping import CompiledMapping, Target, word_key
from qaimpact.authoring.importing.sheets import excel_day
from qaimpact.base.diagnose import abbreviated, offered
from qaimpact.models.audit import NAME_QUOTES

_LIST_SPLIT = re.compile(r"\s*[;,\n]\s*")
_INTEGER = re.compile(r"^[+-]?\d+(?:\.0*)?$")
#: Line breaks as a sheet may hold them: Windows', old Macs', Unicode's, and Word's line and page
#: breaks (``\v``, ``\f``: Shift+Enter in a document pasted into a cell).
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DAY_NUMBER = re.compile(r"^\d{1,7}(?:\.\d+)?$")


def _shown(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # the five bytes Windows-1252 leaves undefined, as Windows shows them


#: How Excel shows each byte from 0x80 up when it reads a UTF-8 file as Windows-1252 (a CSV file
#: without a byte order mark, opened with a double click), and the byte back from each.
_AS_SHOWN = {byte: _shown(byte) for byte in range(0x80, 0x100)}
_BYTE_OF = {shown: byte for byte, shown in _AS_SHOWN.items()}
_FOLLOW = "".join(re.escape(_AS_SHOWN[b]) for b in range(0x80, 0xC0))
#: One UTF-8 character as Windows-1252 shows its bytes: a first byte (Â to ô) and the one to three
#: bytes that follow it (0x80 to 0xBF): "Ã«" for "ë", "â€™" for "’".
_GARBLED = re.compile(
    f"[\u00c2-\u00df][{_FOLLOW}]|[\u00e0-\u00ef][{_FOLLOW}]{{2}}|[\u00f0-\u00f4][{_FOLLOW}]{{3}}"
)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a cell cannot be used: a code of the catalogue, a message and a hint."""

    code: str
    message: str
    hint: str


def cell_text(value: Any) -> str | None:
    """A cell as text: numbers without a needless ``.0``, dates as ``YYYY-MM-DD``; ``None`` if empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value)
    if not text.isprintable():
        # Line breaks as the sheet meant them; other control characters are no part of what
        # anyone typed.
        text = _CONTROL.sub("", _BREAKS.sub("\n", text))
    return text.strip() or None


def _plausible(char: str) -> bool:
    """Whether a character is one that text typed in a UK service holds, so that two to four
    characters decoding to it were most probably it garbled: a European letter (Latin-1, Latin
    Extended-A, Romanian's Ș and Ț, Vietnamese's letters), punctuation such as ’ “ – …, a character
    Windows-1252 has (€, ™), or an emoji. A capital 'Ó' before '’' decodes to the Cyrillic 'Ӓ', and
    'É' before a no-break space to the phonetic 'ɠ': those are the sheet's own text, not garbled."""
    code = ord(char)
    return (
        0xA0 <= code <= 0x17F
        or 0x218 <= code <= 0x21B
        or 0x1E00 <= code <= 0x1EFF
        or 0x2010 <= code <= 0x206F
        or code >= 0x1F000
        # The rest of what Windows-1252 shows (€, ™, ƒ, ˆ, ˜, and its five undefined bytes as
        # Windows shows them): text garbled twice holds them.
        or char in _BYTE_OF
    )


def _put_back(found: re.Match[str]) -> str:
    try:
        char = bytes(_BYTE_OF[c] for c in found.group()).decode("utf-8")
    except UnicodeDecodeError:
        return found.group()
    return char if _plausible(char) else found.group()


def ungarbled(text: str) -> str | None:
    """``text`` with each character that a UTF-8 file read as Windows-1252 turned into two to four
    (``ZoÃ«`` for ``Zoë``) put back, or None when it holds none.

    Only sequences that are the bytes of one UTF-8 character, and of a character such text holds
    (:func:`_plausible`), are put back, so a sheet's own accented letters (``Zoë``, ``São``,
    ``Seán Ó’Brien``) are never taken for garbled. Text garbled twice (``ZoÃƒÂ«``, a file opened and
    saved so twice) is put back twice.
    """
    # Most cells are ASCII, which Python knows without reading them.
    if text.isascii() or not _GARBLED.search(text):
        return None
    fixed = text
    for _ in range(3):
        again = _GARBLED.sub(_put_back, fixed)
        if again == fixed:
            break
        fixed = again
    return fixed if fixed != text else None


def _named(text: str) -> str:
    """``text`` in quotes, or described where it cannot be read or typed: a no-break space, a
    character shown by its number."""
    if text == "\u00a0":
        return "a no-break space"
    if all(c.isprintable() and not c.isspace() for c in text):
        return f"'{text}'"
    return "'" + "".join(c if c.isprintable() and c != "\u00a0" else f"<U+{ord(c):04X}>" for c in text) + "'"


def garbled(label: str, text: str, fixed: str, others: Sequence[str]) -> Problem:
    """QA614 for a cell whose ``text`` reads as ``fixed`` once :func:`ungarbled` is undone;
    ``label`` the key it is for, ``others`` the columns of the row's other such cells."""
    first = next(m.group() for m in _GARBLED.finditer(text) if ungarbled(m.group()) is not None)
    meant_first = ungarbled(first) or first
    # Long text is quoted around the first garbled letter, so that the message shows it (spaces
    # other than the usual ones are kept: a no-break space may be part of it).
    flat = re.sub(r"[ \t\r\n]+", " ", text).strip()
    at = flat.find(first)
    start, end = max(0, at - 25), at + len(first) + 25
    if len(flat) > 60 and at >= 0:
        excerpt = ("..." if start else "") + flat[start:end] + ("..." if end < len(flat) else "")
        shown, meant = excerpt, ungarbled(excerpt) or excerpt
    else:
        shown, meant = _short(text), _short(fixed)
    # A byte Windows-1252 leaves undefined is shown by its number, not as nothing.
    shown = "".join(c if c.isprintable() or c.isspace() else f"<U+{ord(c):04X}>" for c in shown)
    also = ""
    if others:
        n = len(others)
        also = (
            f" The text of {n} other cell{'s' if n != 1 else ''} of this row (column"
            f"{'s' if n != 1 else ''} {', '.join(others)}) looks garbled the same way."
        )
    typeable = all(c.isprintable() and not c.isspace() for c in first + meant_first)
    correct = (
        f"Correct the cells (Find and Replace {_named(first)} with {_named(meant_first)})"
        if typeable
        else "Correct the cells"
    )
    return Problem(
        "QA614",
        f"'{shown}' for '{label}' looks garbled: it most probably said '{meant}' "
        f"before a program read the sheet in the wrong character set.{also}",
        "This happens when a CSV file saved in UTF-8 is opened in Excel with a double click and "
        f"saved again: Excel reads it as Windows-1252, so {_named(meant_first)} becomes "
        f"{_named(first)}. {correct}, or open the original CSV file with Data > From Text/CSV, File "
        "origin 'Unicode (UTF-8)', and save it as a workbook; then import again. CSV files written "
        "by `qaimpact export --bom` open correctly in Excel.",
    )


def convert(
    target: Target, value: Any, mapping: CompiledMapping, epoch: dt.date
) -> tuple[Any, Problem | None]:
    """The audit value of a non-empty cell for ``target``, and the problem if it cannot be read."""
    kind = target.kind
    if kind == "date":
        return _date(value, mapping, epoch)
    text = cell_text(value)
    assert text is not None
    if kind == "text":
        return text, None
    if kind == "integer":
        if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
            return int(value), None
        if _INTEGER.match(text):
            return int(float(text)), None
        return text, None  # the checker says it is not a whole number, as validate would
    if kind == "boolean":
        if isinstance(value, bool):
            return value, None
        key = word_key(text)
        if key in mapping.yes:
            return True, None
        if key in mapping.no:
            return False, None
        return text, Problem(
            "QA606",
            f"'{_short(text)}' for '{target.text}' is not a word for yes or no.",
            "Write yes or no in the cell, or add the word to the mapping under 'booleans: {yes: [...], "
            "no: [...]}'.",
        )
    if kind == "choice":
        ident = target.words.get(word_key(text))
        if ident is not None:
            return ident, None
        return text, _unknown(target, [text])
    items = [item for item in _LIST_SPLIT.split(text) if item]
    chosen: list[str] = []
    unknown: list[str] = []
    for item in items:
        ident = target.words.get(word_key(item))
        if ident is None:
            unknown.append(item)
            chosen.append(item)
        else:
            chosen.append(ident)
    return chosen, _unknown(target, unknown) if unknown else None


def _unknown(target: Target, words: list[str]) -> Problem:
    table = {"rating": "ratings", "grade": "grades"}.get(target.noun, "words")
    shown = " and ".join(f"'{_short(w)}'" for w in words[:3]) + (" and more" if len(words) > 3 else "")
    noun = target.noun if target.noun != "choice" else "value"
    plural = "s" if len(words) > 1 else ""
    meant = _meant(target, words[0])
    unquoted = words[0].strip().strip(NAME_QUOTES).strip()
    if len(words) == 1 and unquoted != words[0].strip() and word_key(unquoted) in target.words:
        # “G” pasted from Word or email: the word is known, its quotation marks are not.
        return Problem(
            "QA606",
            f"'{_short(words[0])}' for '{target.text}' is not a {noun} the mapping knows; the {noun}s "
            f"are: {', '.join(target.ids)}.",
            f"Take the quotation marks off the cell: {_short(unquoted)} reads as "
            f"{target.words[word_key(unquoted)]}.",
        )
    word = _short(words[0])
    if meant is not None:
        hint = (
            f"If '{word}' means {meant}, add it to the mapping under '{table}:' (`{table}: "
            f"{{{meant}: [{word}]}}`); otherwise correct the cell."
        )
    else:
        # No guess, not even as an example: a hint copied as it is would import every such cell as
        # that rating, and the first on the scale is the best ('RI' read as outstanding).
        hint = (
            f"Add the word{plural} to the mapping under '{table}:', under the {noun} "
            f"{'each' if plural else 'it'} means (`{table}: {{{noun.upper()}: [{word}]}}`, "
            f"{noun.upper()} one of the {noun}s above), or correct the cell."
        )
    return Problem(
        "QA606",
        f"{shown} for '{target.text}' {'are' if plural else 'is'} not a {noun} the mapping knows; "
        f"the {noun}s are: {', '.join(target.ids)}.",
        hint,
    )


def _meant(target: Target, written: str) -> str | None:
    """The id a word the mapping does not know most probably means, or None: the one id whose
    words it abbreviates (``R.I.``: requires improvement, :func:`~qaimpact.base.diagnose.abbreviated`),
    else the id of the known word "Did you mean" would offer for it
    (:func:`~qaimpact.base.diagnose.offered`: never one it negates, such as inadequate for
    ``adequate``, nor one of two it names)."""
    short = abbreviated(written, target.words.items())
    if short is not None:
        return short
    close = offered(word_key(written), list(target.words))
    return target.words[close] if close is not None else None


def _date(value: Any, mapping: CompiledMapping, epoch: dt.date) -> tuple[Any, Problem | None]:
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    if isinstance(value, int | float) and not isinstance(value, bool):
        day = excel_day(value, epoch)
        if day is not None:
            return day.isoformat(), None
    text = cell_text(value) or ""
    if _DAY_NUMBER.match(text):
        # A day number stored as text (a CSV file, or a cell formatted as text in Excel).
        day = excel_day(float(text), epoch)
        if day is not None:
            return day.isoformat(), None
    try:
        return dt.date.fromisoformat(text).isoformat(), None
    except ValueError:
        pass
    for pattern in mapping.date_formats:
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat(), None
        except ValueError:
            continue
    formats = ", ".join(mapping.spec.dates) or "none"
    return text, Problem(
        "QA607",
        f"'{_short(text)}' is not a date that the mapping's formats read (YYYY-MM-DD, and the "
        f"mapping's 'dates:': {formats}).",
        "Add the sheet's way of writing dates to 'dates:' in the mapping (such as DD/MM/YYYY), or "
        "correct the cell.",
    )


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."

"""Where something is: a place in a text file (path, line, column) or a cell of a spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a file. ``line`` and ``column`` are 1-based, as editors count them."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True, order=True)
class CellLocation(Location):
    """A cell of a spreadsheet: ``line`` is its row and ``column`` its column (both 1-based).

    It reads as spreadsheet users name cells: ``tracker.xlsx!Audits!F17``, or ``tracker.csv!F17``
    for a file that has no sheets (``sheet`` is ``None``). JSON and the other machine formats
    keep ``line`` and ``column``, so a finding in a sheet has the same shape as any other.
    """

    sheet: str | None = None

    @property
    def cell(self) -> str:
        """The cell's name, such as ``F17``."""
        return f"{column_letter(self.column)}{self.line}"

    def __str__(self) -> str:
        sheet = f"{self.sheet}!" if self.sheet is not None else ""
        return f"{self.path}!{sheet}{self.cell}"


def column_letter(number: int) -> str:
    """A 1-based column number as spreadsheets name it: 1 is ``A``, 27 is ``AA``."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters or "A"


def column_number(letters: str) -> int | None:
    """The 1-based number of a column named by letters (``AA`` is 27); ``None`` if it is not one."""
    text = letters.strip().upper()
    if not text or not text.isascii() or not text.isalpha() or len(text) > 3:
        return None
    number = 0
    for char in text:
        number = number * 26 + ord(char) - ord("A") + 1
    return number

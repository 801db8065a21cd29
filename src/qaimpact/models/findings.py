"""Diagnostics: plain data that renderers turn into text, JSON and the rest."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from qaimpact.models.location import Location


class Severity(StrEnum):
    """How serious a finding is. Errors make a file invalid; warnings do not (unless strict)."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a file, with a stable code and a plain-English message and hint."""

    location: Location
    severity: Severity
    code: str
    name: str
    message: str
    hint: str = ""
    #: The value the finding is about, as keys from the top (list positions as digits), where the
    #: check knows it exactly (the audit model's findings); ``None`` where only the position says.
    #: Not shown, and not compared: it tells which values an audit with errors still holds sure
    #: (``audits/ahead.py``), where a missing key's position is the block that should hold it.
    data_path: tuple[str, ...] | None = field(default=None, compare=False)

    @property
    def is_error(self) -> bool:
        """True for an error (as opposed to a warning)."""
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order diagnostics by file, then position, then code."""
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape of a diagnostic."""
        return {
            "file": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity.value,
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "hint": self.hint,
        }

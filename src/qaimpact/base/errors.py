"""The few exceptions the core raises. The CLI turns each into a message and an exit code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only in annotations: `qaimpact --help` need not import the models
    from qaimpact.models.findings import Diagnostic


class QaImpactError(Exception):
    """Base class for every error qaimpact expects and explains to the user.

    ``details`` are further lines (one problem each) shown under the message; each is shown as
    one line, whatever it quotes. ``str()`` of the error holds the message and the details.
    """

    exit_code = 1

    def __init__(self, message: str, *, details: Sequence[str] = ()) -> None:
        super().__init__("\n".join([message, *details]))
        self.message = message
        self.details = list(details)


class UsageError(QaImpactError):
    """The user asked for something that cannot be done (a missing path, a bad option value)."""

    exit_code = 2


class WorkerStopped(QaImpactError):
    """A process forked to read files ended without sending what it read (killed, or out of
    memory): the files cannot all be read, and waiting for them would be for ever."""

    exit_code = 4


class StandardsError(QaImpactError):
    """A standards file is broken: the audits that use it cannot be checked."""

    exit_code = 3

    def __init__(
        self, message: str, diagnostics: list[Diagnostic] | None = None, source: str | None = None
    ) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []
        #: The broken standards file, when it is one file.
        self.source = source

    def __reduce__(self) -> tuple[type[StandardsError], tuple[str, list[Diagnostic], str | None]]:
        # Keep the diagnostics when the error crosses from a worker process.
        return (type(self), (str(self), self.diagnostics, self.source))

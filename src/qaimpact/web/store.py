"""The audits folder ``qaimpact serve`` works in: nothing is read or written outside it.

Every path the browser names is checked before anything touches the disk: relative, no ``..``,
no hidden part, no NUL or backslash, a ``.yaml``/``.yml`` file, and no symbolic link anywhere
between the folder and the file, so neither a crafted address nor a link planted in the folder
reaches another file. Files are opened without following links, and written through the one
write every command uses (:func:`qaimpact.base.fileio.write_file`): atomic, permissions kept,
read-only files refused, and a file changed since the auditor opened it (by an editor, or another
browser tab) never overwritten; the last check is made just before the rename.

Nothing here knows about HTTP.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qaimpact.audits.checker import AUDIT_SUFFIXES
from qaimpact.base.errors import QaImpactError
from qaimpact.base.fileio import FileAppeared, FileChanged, ReadOnlyFile, Snapshot, write_file

#: An audit id names its file: letters, digits, and . _ - inside (never a path).
_AUDIT_ID = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$")
#: Larger files are not audits (the checker's own limit is the same order).
MAX_READ = 1_000_000


class Refused(QaImpactError):
    """A path or a write that serve will not perform; the message says why, in plain words."""


class Conflict(QaImpactError):
    """The file changed on disk since it was opened; ``current`` is what it holds now."""

    def __init__(self, message: str, current: bytes | None) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True, slots=True)
class Entry:
    """A YAML file in the folder: its path relative to the folder, and whether it is a link."""

    relative: str
    link: bool = False


def digest(data: bytes) -> str:
    """The fingerprint of a file's content that a form carries to detect a changed file."""
    return hashlib.sha256(data).hexdigest()


def file_name_for(audit_id: str) -> str | None:
    """The file name of a new audit (``ID.yaml``), or ``None`` where the id cannot name a file."""
    if not _AUDIT_ID.match(audit_id) or ".." in audit_id:
        return None
    return f"{audit_id}.yaml"


class AuditsFolder:
    """The folder of audits, with safe listing, reading and writing."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.realpath(root))

    def check_relative(self, relative: str) -> Path:
        """The file a relative path names, after every check; :class:`Refused` when it fails one."""
        if not relative or "\x00" in relative or "\\" in relative or relative.startswith("/"):
            raise Refused("That is not the name of an audit file in the audits folder.")
        parts = relative.split("/")
        if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
            raise Refused("That is not the name of an audit file in the audits folder.")
        if not parts[-1].endswith(AUDIT_SUFFIXES):
            raise Refused("Only audit files (.yaml or .yml) can be opened here.")
        path = self.root
        for part in parts:
            path = path / part
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:
                continue  # a new file, or a folder not made yet; nothing beyond it exists either
            if stat.S_ISLNK(mode):
                raise Refused(
                    f"'{relative}' goes through a link; serve never follows links, so that nothing "
                    "outside the audits folder is read or written."
                )
        if os.path.commonpath([self.root, os.path.realpath(path)]) != str(self.root):
            raise Refused("That file is outside the audits folder.")  # pragma: no cover - checks above
        return path

    def entries(self) -> Iterator[Entry]:
        """Every audit file in the folder and its subfolders (hidden ones skipped), in name order."""
        found: list[Entry] = []
        for folder, dirs, names in os.walk(self.root):
            # Links to folders are not followed (os.walk's default), and listed as what they are.
            keep = []
            for name in dirs:
                if name.startswith("."):
                    continue
                if os.path.islink(os.path.join(folder, name)):
                    continue
                keep.append(name)
            dirs[:] = keep
            for name in names:
                if name.startswith(".") or not name.endswith(AUDIT_SUFFIXES):
                    continue
                full = os.path.join(folder, name)
                relative = os.path.relpath(full, self.root).replace(os.sep, "/")
                found.append(Entry(relative, os.path.islink(full)))
        yield from sorted(found, key=lambda e: e.relative)

    def read(self, relative: str) -> bytes:
        """The bytes of an audit file in the folder (never through a link)."""
        return self._read(relative)[0]

    def _read(self, relative: str) -> tuple[bytes, Snapshot]:
        path = self.check_relative(relative)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            raise Refused(f"There is no audit file '{relative}' in the audits folder.") from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise Refused(f"'{relative}' is a link; serve never follows links.") from None
            raise Refused(f"'{relative}' could not be read: {exc.strerror or exc}.") from None
        with os.fdopen(fd, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise Refused(f"'{relative}' is not a file.")
            data = handle.read(MAX_READ + 1)
        if len(data) > MAX_READ:
            raise Refused(f"'{relative}' is over {MAX_READ:,} bytes: it is not an audit file.")
        return data, Snapshot.of(data, status)

    def create(self, file_name: str, text: str) -> str:
        """Write a new audit file at the top of the folder; refuse if the name is taken."""
        path = self.check_relative(file_name)
        taken = Refused(
            f"An audit file named {file_name} is already in the folder. Open it from the list to "
            "change it, or give this audit another id."
        )
        if os.path.lexists(path) or any(
            os.path.lexists(path.with_suffix(suffix)) for suffix in AUDIT_SUFFIXES
        ):
            raise taken
        try:
            # Created by another request since the look above: never written over.
            self._write(path, file_name, text, None, new=True)
        except FileAppeared:
            raise taken from None
        return file_name

    def replace(self, relative: str, text: str, expected: str) -> None:
        """Rewrite an audit file, unless it changed since it was read (its digest is not ``expected``)."""
        path = self.check_relative(relative)
        try:
            current, snapshot = self._read(relative)
        except Refused:
            current, snapshot = None, None
        if current is None or snapshot is None or digest(current) != expected:
            raise self._conflict(relative, current)
        try:
            # write_file looks again just before its rename, with the size and time as well.
            self._write(path, relative, text, snapshot)
        except FileChanged:
            try:
                now: bytes | None = self.read(relative)
            except Refused:
                now = None
            raise self._conflict(relative, now) from None

    @staticmethod
    def _conflict(relative: str, current: bytes | None) -> Conflict:
        return Conflict(
            f"{relative} changed on disk after you opened it"
            + (" (it is no longer there)" if current is None else "")
            + ", so your version was not saved over it.",
            current,
        )

    @staticmethod
    def _write(path: Path, relative: str, text: str, expected: Snapshot | None, *, new: bool = False) -> None:
        try:
            write_file(path, text, expected=expected, new=new)
        except ReadOnlyFile:
            raise Refused(
                f"{relative} is read-only, so your changes were not saved. Ask whoever looks after "
                "the audits folder to make it writable, then save again."
            ) from None
        except OSError as exc:
            raise Refused(
                f"{relative} could not be saved ({exc.strerror or exc}); the file is as it was."
            ) from None

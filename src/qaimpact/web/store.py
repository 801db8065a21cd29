"""The audits folder ``qaimpact serve`` works in: nothing is read or written outside it.

Every path the browser names is checked before anything touches the disk: relative, no ``..``,
no hidden part, no NUL or backslash, a ``.yaml``/``.yml`` file, and no symbolic link anywhere
between the folder and the file, so neither a crafted address nor a link planted in the folder
reaches another file. Files are opened without following links, and written through the one
write every command uses (:func:`qaimpact.base.fileio.write_file`): atomic, permissions kept,
read-only files refused, and a file changed since the auditor opened it (by an editor, or another
browser tab) never overwritten; the last check is made just before the rename.

Drafts (audits not finished, kept without being checked) live in a :class:`DraftsFolder` of
their own, beside the audits folder and never inside it, so that ``validate`` and the reports
never read them; it has every rule above, and a ``.gitignore`` so that they are not committed.
A draft of a new audit is the audit as the form would write it. A draft of changes to an audit
(:class:`EditOf`) is kept at ``edits/<the audit's path>``, one per audit, and holds at its top a
small block, ``qaimpact_draft: {edits: <the audit's path>, base: <its digest then>}``, which
says which audit it changes and what that file held when the changes were started
(:func:`with_edit`, :func:`split_draft`).

Nothing here knows about HTTP.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from qaimpact.audits.checker import AUDIT_SUFFIXES, skipped_name
from qaimpact.authoring.roundtrip import round_trip_yaml
from qaimpact.base.errors import QaImpactError
from qaimpact.base.fileio import FileAppeared, FileChanged, ReadOnlyFile, Snapshot, write_file

#: Larger files are not audits (the checker's own limit is the same order).
MAX_READ = 1_000_000
#: The drafts folder's name, beside the audits folder, unless ``serve --drafts DIR`` names another.
DRAFTS_FOLDER = ".qaimpact-drafts"
#: What the drafts folder's ``.gitignore`` holds: drafts describe real children, and are not audits.
GITIGNORE = "# Drafts of audits, kept by qaimpact serve: they name real people. Never commit them.\n*\n"
#: The key at the top of a draft of changes to an audit: which audit, and its digest then.
DRAFT_KEY = "qaimpact_draft"
#: The folder of the drafts folder that drafts of changes are kept in, each at its audit's path.
EDITS = "edits"


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


@dataclass(frozen=True, slots=True)
class EditOf:
    """What a draft of changes changes: the audit file (its path in the audits folder), and the
    digest of that file when the changes were started, to tell whether it changed since."""

    audit: str
    base: str


def edit_draft_name(audit: str) -> str:
    """Where the draft of changes to ``audit`` is kept in the drafts folder: one per audit."""
    return f"{EDITS}/{audit}"


def edit_in(data: Any) -> EditOf | None:
    """The edit a draft's data records (``None``: a draft of a new audit, or no usable record)."""
    block = data.get(DRAFT_KEY) if isinstance(data, Mapping) else None
    if not isinstance(block, Mapping):
        return None
    audit, base = block.get("edits"), block.get("base")
    if not isinstance(audit, str) or not isinstance(base, str):
        return None
    return EditOf(str(audit), str(base))


def with_edit(body: str, edit: EditOf) -> str:
    """A draft of changes: ``body`` (the audit as the form would write it) with the record of
    ``edit`` at its top, below any comment lines that open the file."""
    yaml = round_trip_yaml(body)
    document = yaml.load(body)
    if not isinstance(document, CommentedMap):  # pragma: no cover - the form writes a mapping
        document = CommentedMap()
    document.pop(DRAFT_KEY, None)
    document.insert(0, DRAFT_KEY, CommentedMap([("edits", edit.audit), ("base", edit.base)]))
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def split_draft(text: str) -> tuple[str, EditOf | None]:
    """A draft's text without the record of its edit, and that edit (``None`` for a new audit).

    A draft that holds no record is given back unchanged.
    """
    if DRAFT_KEY not in text:
        return text, None
    try:
        yaml = round_trip_yaml(text)
        document = yaml.load(text)
    except (YAMLError, ValueError):  # the loader read it, so this is unlikely: kept as it is
        return text, None
    if not isinstance(document, CommentedMap) or DRAFT_KEY not in document:
        return text, None
    edit = edit_in({DRAFT_KEY: document.pop(DRAFT_KEY)})
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue(), edit


def digest(data: bytes) -> str:
    """The fingerprint of a file's content that a form carries to detect a changed file."""
    return hashlib.sha256(data).hexdigest()


#: The longest audit id serve makes a file name of (with ``.yaml``, well under any system's limit).
MAX_ID_LENGTH = 100
_ID_CHARACTER = re.compile(r"[A-Za-z0-9._-]")
_EXAMPLE_ID = "for example QA-2026-0142"


def file_name_problem(audit_id: str) -> str | None:
    """Why an audit id cannot name its file, in the rule it breaks (``None``: it can): an
    auditor told only "letters, digits and . _ -" about an id of 120 letters, or one ending in
    ``-``, cannot see what to change. The characters and the length come first, so that no
    message repeats an id of any length."""
    wrong = next((c for c in audit_id if not _ID_CHARACTER.fullmatch(c)), None)
    if wrong is not None:
        return (
            f"The audit id names the file, so it may hold only letters, digits and . _ - ({_EXAMPLE_ID}); "
            f"it holds {_character(wrong)}."
        )
    if len(audit_id) > MAX_ID_LENGTH:
        return (
            f"The audit id names the file, so it may be at most {MAX_ID_LENGTH} characters long; "
            f"this one is {len(audit_id)}."
        )
    stem, dot, ending = audit_id.rpartition(".")
    if dot and stem and ending.casefold() in ("yaml", "yml"):
        # The id without the ending is suggested only where it would itself be taken.
        fits = file_name_problem(stem) is None
        saved = f" (the audit would be saved as {audit_id}.yaml; {stem} is saved as {stem}.yaml)"
        return (
            f"Leave out .{ending} from the audit id: the file is named from it, and .yaml is added"
            + (saved if fits else "")
            + "."
        )
    if not audit_id[0].isalnum() or not audit_id[-1].isalnum():
        return (
            f"The audit id names the file, so it must start and end with a letter or a digit ({_EXAMPLE_ID})."
        )
    if ".." in audit_id:
        return f"The audit id names the file, so it may not hold two dots together ({_EXAMPLE_ID})."
    if (skipped := skipped_name(f"{audit_id}.yaml")) is not None:
        return (
            f"An audit id cannot end in .{ending}: the audit would be saved as {audit_id}.yaml, and "
            f"{skipped}, not audits: validate and every report skip them, so this audit would never "
            f"be counted or escalated. Leave out the ending ({_EXAMPLE_ID})."
        )
    return None


def _character(c: str) -> str:
    """A character as a message names it: 'a space', '/', and with its code where it cannot be
    seen or may look like another ('K' (U+212A), the Kelvin sign)."""
    if c == " ":
        return "a space"
    if not c.isprintable() or c.isspace():
        return f"an invisible character (U+{ord(c):04X})"
    return f"'{c}'" if c.isascii() else f"'{c}' (U+{ord(c):04X})"


def drafts_folder_for(audits: Path) -> Path:
    """The drafts folder when none is given: ``.qaimpact-drafts`` beside (not inside) ``audits``."""
    return Path(os.path.realpath(audits)).parent / DRAFTS_FOLDER


def is_inside(folder: Path, outer: Path) -> bool:
    """Whether ``folder`` is ``outer`` or inside it (links resolved)."""
    inner, around = os.path.realpath(folder), os.path.realpath(outer)
    return os.path.commonpath([inner, around]) == around


class AuditsFolder:
    """The folder of audits, with safe listing, reading and writing."""

    #: How messages name the folder and a file in it.
    label = "audits folder"
    noun = "audit file"
    a_noun = "an audit file"

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.realpath(root))

    def check_relative(self, relative: str) -> Path:
        """The file a relative path names, after every check; :class:`Refused` when it fails one."""
        if not relative or "\x00" in relative or "\\" in relative or relative.startswith("/"):
            raise Refused(f"That is not the name of {self.a_noun} in the {self.label}.")
        parts = relative.split("/")
        if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
            raise Refused(f"That is not the name of {self.a_noun} in the {self.label}.")
        if not parts[-1].endswith(AUDIT_SUFFIXES):
            raise Refused("Only audit files (.yaml or .yml) can be opened here.")
        path = self.root
        for part in parts:
            path = path / part
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:
                continue  # a new file, or a folder not made yet; nothing beyond it exists either
            except OSError:
                # A name longer than the system allows, or a path through a file: no file is it.
                raise Refused(f"That is not the name of {self.a_noun} in the {self.label}.") from None
            if stat.S_ISLNK(mode):
                raise Refused(
                    f"'{relative}' goes through a link; serve never follows links, so that nothing "
                    f"outside the {self.label} is read or written."
                )
        if os.path.commonpath([self.root, os.path.realpath(path)]) != str(self.root):
            raise Refused(f"That file is outside the {self.label}.")  # pragma: no cover - checks above
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
            raise Refused(f"There is no {self.noun} '{relative}' in the {self.label}.") from None
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

    def taken(self, file_name: str) -> bool:
        """Whether a file of this name (with either suffix) is at the top of the folder."""
        return self.taking(file_name) is not None

    def taking(self, file_name: str) -> str | None:
        """The name of the file at the top of the folder that takes ``file_name``: itself, or the
        same name with the other suffix (``CFA-1.yml`` takes ``CFA-1.yaml``); ``None``: none does."""
        path = self.check_relative(file_name)
        for candidate in (path, *(path.with_suffix(suffix) for suffix in AUDIT_SUFFIXES)):
            if os.path.lexists(candidate):
                return candidate.name
        return None

    def taken_message(self, file_name: str) -> str:
        """Why a new file cannot be saved under ``file_name``: the folder already holds one."""
        return (
            f"An audit file named {file_name} is already in the folder. Open it from the list to "
            "change it, or give this audit another id."
        )

    def create(self, file_name: str, text: str) -> str:
        """Write a new audit file at the top of the folder; refuse if the name is taken."""
        path = self.check_relative(file_name)
        if self.taken(file_name):  # a draft's folder says what is taken its own way
            raise Refused(self.taken_message(self.taking(file_name) or file_name))
        try:
            # Created by another request since the look above: never written over.
            self._write(path, file_name, text, None, new=True)
        except FileAppeared:
            raise Refused(self.taken_message(file_name)) from None
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

    def _write(
        self, path: Path, relative: str, text: str, expected: Snapshot | None, *, new: bool = False
    ) -> None:
        try:
            write_file(path, text, expected=expected, new=new)
        except ReadOnlyFile:
            raise Refused(
                f"{relative} is read-only, so your changes were not saved. Ask whoever looks after "
                f"the {self.label} to make it writable, then save again."
            ) from None
        except OSError as exc:
            if isinstance(exc, FileNotFoundError) and not os.path.isdir(path.parent):
                folder = os.path.dirname(relative)
                raise Refused(
                    f"{relative} could not be saved: its folder, {folder}, is no longer in the "
                    f"{self.label}. Ask whoever looks after the {self.label} to put the folder back, "
                    "then save again."
                ) from None
            raise Refused(
                f"{relative} could not be saved ({exc.strerror or exc}); the file is as it was."
            ) from None


def _holds_anything(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is not None


class DraftsFolder(AuditsFolder):
    """The folder of drafts: audits kept unfinished, never read by ``validate`` or the reports.

    It is made on the first draft, readable by its owner only, with a ``.gitignore`` that keeps
    every file in it out of git. Its files are checked, read and written by every rule of
    :class:`AuditsFolder` (the folder's own name may be hidden; names inside it may not).
    """

    label = "drafts folder"
    noun = "draft"
    a_noun = "a draft"

    def taken_message(self, file_name: str) -> str:
        """Why a new draft cannot be saved under ``file_name``: the folder already holds one."""
        return (
            f"A draft named {file_name} is already in the drafts folder. Open it from the list of "
            "drafts to go on with it, or give this audit another id."
        )

    def taken(self, file_name: str) -> bool:
        """Whether a draft of this name is in the folder: a draft of a new audit with either
        suffix, as an audit's; a draft of changes (under ``edits/``) only at that very path, since
        it is named by its audit's own path, suffix and all (``a.yaml`` and ``a.yml`` are two
        audits, with a draft of changes each)."""
        if file_name.startswith(f"{EDITS}/"):
            return os.path.lexists(self.check_relative(file_name))
        return super().taken(file_name)

    def ensure(self) -> None:
        """Make the folder and its ``.gitignore`` if they are not there yet. A folder that was
        already there and holds anything gets no ``.gitignore``: one that keeps every file out of
        git is written only where it cannot hide someone's own files."""
        made = not os.path.lexists(self.root)
        try:
            os.makedirs(self.root, mode=0o700, exist_ok=True)
        except OSError as exc:
            raise Refused(
                f"The drafts folder {self.root} could not be made ({exc.strerror or exc}), so the "
                "draft was not saved."
            ) from None
        ignore = self.root / ".gitignore"
        if os.path.lexists(ignore) or (not made and _holds_anything(self.root)):
            return
        try:
            write_file(ignore, GITIGNORE, new=True)
        except FileAppeared:  # pragma: no cover - made by another request meanwhile
            pass
        except OSError as exc:
            raise Refused(
                f"The drafts folder's .gitignore could not be written ({exc.strerror or exc}), so the "
                "draft was not saved."
            ) from None

    def create(self, file_name: str, text: str) -> str:
        """Write a new draft (making the folder, and the folder it goes in, first); refuse if the
        name is taken."""
        self.ensure()
        folder = self.check_relative(file_name).parent
        missing = []
        while folder != self.root and not os.path.lexists(folder):
            missing.append(folder)
            folder = folder.parent
        for folder in reversed(missing):
            try:
                os.mkdir(folder, 0o700)  # each the owner's only, as the drafts folder is
            except FileExistsError:  # pragma: no cover - made by another request meanwhile
                pass
            except OSError as exc:
                raise Refused(
                    f"The folder of the draft {file_name} could not be made in the drafts folder "
                    f"({exc.strerror or exc}), so the draft was not saved."
                ) from None
        return super().create(file_name, text)

    def remove(self, relative: str, expected: str) -> None:
        """Delete a draft, unless it changed since it was read (its digest is not ``expected``)."""
        path = self.check_relative(relative)
        try:
            current: bytes | None = self.read(relative)
        except Refused:
            current = None
        if current is None or digest(current) != expected:
            raise self._conflict(relative, current)
        # Set aside first, then compared again: a change made after the first look is kept (put
        # back), never deleted with the rest.
        aside = path.with_name(f".{path.name}.deleting")
        try:
            os.rename(path, aside)
        except FileNotFoundError:  # pragma: no cover - deleted meanwhile: what was asked
            return
        except OSError as exc:
            raise Refused(
                f"The draft {relative} could not be deleted ({exc.strerror or exc}); it is still there."
            ) from None
        with open(aside, "rb") as handle:
            now = handle.read()
        if digest(now) != expected:
            os.rename(aside, path)
            raise self._conflict(relative, now)
        os.unlink(aside)
        # The folders a draft of changes was kept in go with it once empty (never the folder itself).
        folder = path.parent
        while folder != self.root:
            try:
                os.rmdir(folder)
            except OSError:  # not empty: other drafts are in it
                break
            folder = folder.parent

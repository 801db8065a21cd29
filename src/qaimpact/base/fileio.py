"""Write files so that a user's file is never lost, never half-written and never changed in kind.

:func:`write_file` is the one function every command that writes a file uses: ``fmt`` and
``migrate`` rewriting audits, and every ``--output``. Its rules:

- **Atomic.** The text goes to a temporary file in the same folder (mode 0600, named
  ``.NAME.qaimpact-PID-XXXXXXXX.tmp``), is flushed to disk, then renamed over the file: readers
  see the old file or the new one, never half of one, whatever stops the process, even ``kill -9``
  or a full disk (the temporary file is removed and the old file stays).
- **Leftovers.** A process killed between writing and renaming leaves its temporary file behind.
  :func:`clean_leftovers` removes those of a file (when the process that made them is gone and
  the file itself exists) and says so; they are never read as audits (their names start with a
  dot and end in ``.tmp``). Commands that write many files into one folder do it inside
  :func:`one_listing`, so that the folder is listed once, not once per file.
- **Read-only files** (no write permission for their owner, group or others, as applies to the
  process) are refused, as editors do, unless ``force``: renaming would bypass the permission.
- **Symbolic links** are written through: the file the link points to is replaced, and the link
  stays a link to it.
- **Hard links** cannot survive a rename: the other names keep the old text. The write goes ahead
  and says so.
- **Permissions, owner and group** are kept; where the process may not give the file back its
  owner or group, it says so.
- **Unchanged since read.** Given the :class:`Snapshot` taken when the file was read, the file is
  compared again (size, modification time and content hash) just before the rename; if it changed
  (an editor saved it meanwhile) nothing is written and :class:`FileChanged` is raised.
- **Devices and pipes** (``/dev/null``, ``/dev/stdout``) are written into, never replaced.

:func:`write_files` writes many files (an ``import``) by the same rules, all or none, flushing
their temporary files several at once and each folder once.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from qaimpact.base.errors import QaImpactError


class FileChanged(QaImpactError):
    """The file changed after it was read, so it was not rewritten."""


class ReadOnlyFile(QaImpactError):
    """The file is read-only, so it was not rewritten (``force`` rewrites it)."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A file as it was read: enough to tell, before replacing it, whether it changed since."""

    size: int
    mtime_ns: int
    digest: str

    @classmethod
    def of(cls, data: bytes, status: os.stat_result) -> Snapshot:
        """The snapshot of ``data`` just read from a file with this ``stat``."""
        return cls(status.st_size, status.st_mtime_ns, hashlib.sha256(data).hexdigest())


def read_snapshot(path: Path, limit: int | None = None) -> tuple[bytes, Snapshot]:
    """Read a file and take its :class:`Snapshot` (raises ``OSError`` as :func:`read_regular`
    does)."""
    data, status = read_regular(path, limit)
    return data, Snapshot.of(data, status)


class NotRegularFile(OSError):
    """The path names something other than an ordinary file: a folder, a named pipe, a device."""

    def __init__(self, path: Path, status: os.stat_result) -> None:
        kind = _kind_of(status.st_mode)
        if os.path.islink(path):
            kind = f"a link to {kind}"
        super().__init__(errno.EINVAL, f"it is {kind}, not an ordinary file", str(path))
        self.kind = kind


class FileTooLarge(OSError):
    """The file holds more than the limit a reader set. ``size``: its size, or ``None`` where it
    grew past the limit while it was read."""

    def __init__(self, path: Path, size: int | None, limit: int) -> None:
        what = f"it is {size:,} bytes" if size is not None else "it grew while it was read"
        super().__init__(errno.EFBIG, f"{what}, over the limit of {limit:,} bytes", str(path))
        self.size = size
        self.limit = limit


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"  # pragma: no cover - no other kind exists on the systems we run on


#: Opening a named pipe without this waits for a writer, possibly forever; it changes nothing for
#: an ordinary file. Not a controlling terminal, should a terminal take the file's place.
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
)


def read_regular(path: Path, limit: int | None = None) -> tuple[bytes, os.stat_result]:
    """The bytes of an ordinary file (links followed) and its ``stat``: the one way qaimpact reads
    a file a user names or a folder holds.

    Anything else is refused before it is read (:class:`NotRegularFile`): a named pipe would wait
    forever for a writer, a device such as ``/dev/zero`` never ends, and git can store a link to
    one under an audit's name. With a ``limit``, at most ``limit + 1`` bytes are read, so that a
    file growing after its size was looked at still cannot exceed it (:class:`FileTooLarge`).
    Raises ``OSError`` as the system does for a file that cannot be opened.
    """
    status = os.stat(path)
    if not stat.S_ISREG(status.st_mode):
        raise NotRegularFile(path, status)
    if limit is not None and status.st_size > limit:
        raise FileTooLarge(path, status.st_size, limit)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):  # replaced since it was looked at
            raise NotRegularFile(path, status)
        # Read what the size says, and one byte more to see whether it grew: reading `limit + 1`
        # at once would set aside a megabyte for every file of a few kilobytes (three times
        # the cost of reading it, over 10,000 audits; benchmarks/bench_validate.py).
        expected = status.st_size if limit is None else min(status.st_size, limit)
        data = _read_up_to(fd, expected + 1)
        if limit is None:
            if len(data) > expected:
                data += _read_up_to(fd, None)
        elif expected < len(data) <= limit:
            data += _read_up_to(fd, limit + 1 - len(data))
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:
        raise FileTooLarge(path, None, limit)
    return data, status


def _read_up_to(fd: int, size: int | None) -> bytes:
    """``size`` bytes from ``fd``, fewer at the end of the file (``None``: all that is left).

    Straight from the descriptor: a buffered file object for each of 10,000 audits of a few
    kilobytes cost a third as much again as the reading itself. A read may return less than asked
    (a network file system, a signal), so it reads until it has ``size`` bytes or the file ends.
    """
    parts: list[bytes] = []
    got = 0
    while size is None or got < size:
        part = os.read(fd, _CHUNK if size is None else size - got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


#: How much :func:`_read_up_to` asks for at a time when it reads to the end of a file.
_CHUNK = 1 << 16


@dataclass(slots=True)
class Written:
    """What :func:`write_file` did: the file it wrote (a link's target) and what to tell the user."""

    path: Path
    target: Path
    notes: list[str] = field(default_factory=list)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def is_special(path: Path) -> bool:
    """True for the null device and any existing target that is not a regular file."""
    if str(path) == os.devnull:
        return True
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def is_read_only(status: os.stat_result) -> bool:
    """Whether a file's permissions deny writing to this process (its owner, group or others bit).

    The bits are read directly rather than through ``os.access``, which says yes to root: editors
    treat a 0444 file as read-only whoever runs them, and so does qaimpact.
    """
    mode = status.st_mode
    if status.st_uid == os.geteuid():
        return not mode & stat.S_IWUSR
    if status.st_gid == os.getegid() or status.st_gid in os.getgroups():
        return not mode & stat.S_IWGRP
    if os.geteuid() == 0:
        return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    return not mode & stat.S_IWOTH


#: Temporary files of :func:`write_file`: ``.NAME.qaimpact-PID-RANDOM.tmp``, and ``.NAME.RANDOM.tmp``
#: as releases before 0.2 named them.
_LEFTOVER = re.compile(r"^\.(?P<name>.+?)\.(?:qaimpact-(?P<pid>\d+)-)?[a-z0-9_]{8}\.tmp$")


def leftover_of(path: Path) -> str | None:
    """The name of the file a leftover temporary file was written for, or ``None`` if it is not one."""
    found = _LEFTOVER.match(path.name)
    return found.group("name") if found else None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


#: Within :func:`one_listing`, each folder's leftovers by the name of the file each was written
#: for, found by one listing of the folder; ``None`` outside it.
_LISTINGS: ContextVar[dict[str, dict[str, list[str]]] | None] = ContextVar("_LISTINGS", default=None)


@contextlib.contextmanager
def one_listing() -> Iterator[None]:
    """Look for leftovers with one listing per folder while many files are written into it.

    ``fmt`` of a folder and ``import`` write thousands of files into one folder; listing it again
    for every file made those runs quadratic in the size of the folder. Inside this block a
    folder is listed once: a leftover that another process leaves there meanwhile is cleaned by
    the next run, as any leftover is.
    """
    token = _LISTINGS.set({})
    try:
        yield
    finally:
        _LISTINGS.reset(token)


def _list_leftovers(folder: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                match = _LEFTOVER.match(entry.name)
                if match is not None and entry.is_file(follow_symlinks=False):
                    found.setdefault(match.group("name"), []).append(entry.name)
    except OSError:
        return {}
    return found


def _leftovers_of(target: Path) -> list[str]:
    """The names of the leftover temporary files of ``target`` in its folder."""
    listings = _LISTINGS.get()
    if listings is None:
        return _list_leftovers(target.parent).get(target.name, [])
    folder = str(target.parent)
    if folder not in listings:
        listings[folder] = _list_leftovers(target.parent)
    return listings[folder].setdefault(target.name, [])


def clean_leftovers(path: Path) -> list[str]:
    """Remove the temporary files an interrupted write of ``path`` left next to it; say what was done.

    A leftover of a process that still runs is another write in progress, and stays. One whose
    file no longer exists may be the only copy of it, and stays too, with a note saying so.
    """
    target = Path(os.path.realpath(path))
    notes: list[str] = []
    names = _leftovers_of(target)
    for name in list(names):
        pid = _LEFTOVER.match(name).group("pid")  # type: ignore[union-attr]  # listed because it matched
        if pid is not None and int(pid) != os.getpid() and _running(int(pid)):
            continue
        leftover = target.parent / name
        if not target.exists():
            notes.append(
                f"{leftover} is a copy of {target} left by an interrupted write, and {target} no longer "
                f"exists: rename it to {target.name} to keep it."
            )
            continue
        with contextlib.suppress(FileNotFoundError):
            os.unlink(leftover)
            notes.append(f"removed {leftover}, left by an interrupted write of {target.name}.")
        names.remove(name)
    return notes


def write_file(
    path: Path,
    text: str | bytes,
    *,
    expected: Snapshot | None = None,
    force: bool = False,
    new: bool = False,
) -> Written:
    """Write ``text`` (or a binary file's bytes, such as a workbook's) to ``path`` by the rules in
    this module's documentation.

    ``expected`` is the :class:`Snapshot` of the file when it was read (``None`` for a file that
    is written whatever it holds, such as an ``--output``). ``new``: the file must not exist, and
    is never put in place over one that appeared since it was looked for (:class:`FileAppeared`).
    Raises :class:`ReadOnlyFile`, :class:`FileChanged`, and ``OSError`` when the file system
    refuses; the file is then as it was.
    """
    if is_special(path):
        # Renaming over a device or a pipe would replace it with a plain file: write into it.
        with open(path, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
        return Written(path, path)
    step = _prepare(path, force=force)
    tmp = _write_temporary(step, text.encode("utf-8") if isinstance(text, str) else text)
    try:
        if expected is not None:
            _unchanged(step.written.target, expected, path)
        if new:
            _link_new(tmp, step.written.target, path)
        else:
            os.replace(tmp, step.written.target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.filename == tmp:
            raise _naming(exc, path) from None
        raise
    _sync_folder(step.written.target.parent)
    return step.written


def _link_new(tmp: str, target: Path, path: Path) -> None:
    """Put ``tmp`` in place as ``target``, which must not exist, and remove ``tmp``.

    A rename replaces whatever is there, so a file created between looking and renaming (two
    auditors saving the same new audit at once) would be lost. A hard link is made only where
    nothing is, in one step. File systems without hard links get the look and the rename.
    """
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise FileAppeared(
            f"{path} appeared while qaimpact was writing it, so nothing was written over it."
        ) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if os.path.lexists(target):
            raise FileAppeared(
                f"{path} appeared while qaimpact was writing it, so nothing was written over it."
            ) from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


@dataclass(slots=True)
class _Step:
    """One file on its way to being written: what :func:`_prepare` found about it."""

    written: Written
    status: os.stat_result | None


def _prepare(path: Path, *, force: bool, clean: bool = True) -> _Step:
    """Resolve ``path``, refuse it if read-only (unless ``force``), note links, clean leftovers
    (unless not ``clean``: see :func:`write_files`)."""
    target = Path(os.path.realpath(path))
    written = Written(path, target)
    if target != Path(os.path.abspath(path)) and path.is_symlink():
        written.notes.append(f"{path} is a link: wrote the file it points to, {target}.")
    try:
        status: os.stat_result | None = target.stat()
    except FileNotFoundError:
        status = None
    if status is not None:
        if is_read_only(status) and not force:
            raise ReadOnlyFile(
                f"{path} is read-only, so it was not rewritten. Make it writable "
                f"(chmod u+w '{path}') or add --force."
            )
        if status.st_nlink > 1:
            others = status.st_nlink - 1
            names = (
                "another name (a hard link), which keeps"
                if others == 1
                else f"{others} other names (hard links), which keep"
            )
            written.notes.append(f"{path} had {names} the old text.")
    if clean:
        written.notes.extend(clean_leftovers(target))
    return _Step(written, status)


def _write_temporary(step: _Step, data: bytes, umask: int | None = None) -> str:
    """Write ``data`` to a temporary file next to the target, flushed to disk, with the target's
    permissions (or the usual ones for a new file); return its path. Removed again on failure."""
    target, status, path = step.written.target, step.status, step.written.path
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.qaimpact-{os.getpid()}-", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise _naming(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if status is None:
            # mkstemp creates 0600; a new file gets the usual permissions (umask).
            os.chmod(tmp, 0o666 & ~(_umask() if umask is None else umask))
        else:
            step.written.notes.extend(_keep_owner(tmp, status, path))
            os.chmod(tmp, stat.S_IMODE(status.st_mode))
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _naming(exc, path) from None
        raise
    return tmp


def _naming(exc: OSError, path: Path) -> OSError:
    """``exc`` naming ``path``, the file the user asked for, where it named the temporary file
    written beside it (``.summary.md.qaimpact-123-x1y2.tmp``) or no file at all (a full disk):
    the user never saw that name, and a message quoting it says nothing they can act on."""
    # OSError(errno, ...) is the subclass of that errno (FileNotFoundError for ENOENT).
    return OSError(exc.errno, exc.strerror or str(exc), str(path))


@dataclass(frozen=True, slots=True)
class Planned:
    """One file of a batch for :func:`write_files`.

    ``new``: the file must not exist (an import never overwrites an audit); if it appears before
    the batch is renamed into place, nothing is written. ``expected``: the :class:`Snapshot` of
    an existing file when it was read; if it changed since, nothing is written.
    """

    path: Path
    text: str
    new: bool = False
    expected: Snapshot | None = None


class FileAppeared(QaImpactError):
    """A file a batch was to create appeared meanwhile, so nothing was written."""


def write_files(batch: Sequence[Planned], *, force: bool = False) -> list[Written]:
    """Write many files into place together, all or none, each by :func:`write_file`'s rules.

    Every file is checked first (read-only ones refused unless ``force``, leftovers cleaned),
    then every text is written to its temporary file and flushed to disk (several at once), then each file is
    checked again (a ``new`` one must still be absent, an ``expected`` one unchanged) and only
    then are the temporary files renamed into place, and each folder is flushed once (not once
    per file, which made writing thousands of files into one folder twice as slow).

    Raises as :func:`write_file` does, and :class:`FileAppeared`; the files are then as they
    were: temporary files are removed and, should a rename fail part-way, the files renamed
    already are taken back (a new file removed, an existing one given its old text). A process
    killed before the renames leaves only temporary files, which the next run cleans
    (:func:`clean_leftovers`); the renames themselves are one short loop.
    """
    for planned in batch:
        if is_special(planned.path):
            raise QaImpactError(f"{planned.path} is not a regular file, so nothing was written.")
    with contextlib.ExitStack() as stack:
        if _LISTINGS.get() is None:
            stack.enter_context(one_listing())
        # A new file's leftovers (of a run killed before its renames) are cleaned once it exists:
        # before that, clean_leftovers keeps them as the only copy of a file that is missing.
        steps = [_prepare(planned.path, force=force, clean=not planned.new) for planned in batch]
        _write_batch(batch, steps)
        for planned, step in zip(batch, steps, strict=True):
            if planned.new:
                step.written.notes.extend(clean_leftovers(step.written.target))
    for folder in dict.fromkeys(step.written.target.parent for step in steps):
        _sync_folder(folder)
    return [step.written for step in steps]


def _write_batch(batch: Sequence[Planned], steps: Sequence[_Step]) -> None:
    """Write the temporary files, check every target again, rename them all; or undo it all."""
    temporaries: list[str] = []
    renamed: list[tuple[_Step, bytes | None]] = []
    try:
        temporaries += _write_temporaries(steps, [planned.text.encode("utf-8") for planned in batch])
        olds: list[bytes | None] = []
        for planned, step in zip(batch, steps, strict=True):
            target = step.written.target
            if planned.new and os.path.lexists(target):
                raise FileAppeared(
                    f"{planned.path} appeared while qaimpact was writing, so nothing was written; "
                    "run the command again."
                )
            if planned.expected is not None:
                _unchanged(target, planned.expected, planned.path)
            # Kept to take the file back should a later rename fail.
            olds.append(None if step.status is None else target.read_bytes())
        for tmp, planned, step, old in zip(temporaries, batch, steps, olds, strict=True):
            if planned.new:
                _link_new(tmp, step.written.target, planned.path)
            else:
                os.replace(tmp, step.written.target)
            renamed.append((step, old))
    except BaseException:
        done = {id(step) for step, _ in renamed}
        for tmp, step in zip(temporaries, steps, strict=False):
            if id(step) not in done:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        _take_back(renamed)
        raise


#: Temporary files written at once by :func:`write_files`. Waiting for the disk, not the
#: processor, is what writing costs; several flushes waited for together are committed together.
_WRITERS = 8


def _write_temporaries(steps: Sequence[_Step], data: Sequence[bytes]) -> list[str]:
    """:func:`_write_temporary` for each step, several at once; all written, or none left behind."""
    if len(steps) < 2:
        return [_write_temporary(step, text) for step, text in zip(steps, data, strict=True)]
    from concurrent.futures import ThreadPoolExecutor

    # Read once, here: reading the umask sets it for a moment, which threads must not race on.
    umask = _umask()
    pool = ThreadPoolExecutor(max_workers=_WRITERS, thread_name_prefix="qaimpact-write")
    futures = [
        pool.submit(_write_temporary, step, text, umask) for step, text in zip(steps, data, strict=True)
    ]
    try:
        written = [future.result() for future in futures]
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        for future in futures:
            if future.done() and not future.cancelled() and future.exception() is None:
                with contextlib.suppress(OSError):
                    os.unlink(future.result())
        raise
    pool.shutdown(wait=True)
    return written


def _take_back(renamed: Sequence[tuple[_Step, bytes | None]]) -> None:
    """Undo the renames of a batch that failed part-way: remove new files, restore old texts."""
    for step, old in reversed(renamed):
        target = step.written.target
        with contextlib.suppress(OSError):
            if old is None:
                target.unlink(missing_ok=True)
            else:
                tmp = _write_temporary(_prepare(target, force=True), old)
                os.replace(tmp, target)


def _keep_owner(tmp: str, status: os.stat_result, path: Path) -> list[str]:
    """Give the new file the old one's owner and group where the process may; say what it could not."""
    mine = os.stat(tmp)
    if (mine.st_uid, mine.st_gid) == (status.st_uid, status.st_gid):
        return []
    try:
        os.chown(tmp, status.st_uid, status.st_gid)
        return []
    except PermissionError:
        pass
    notes = []
    if mine.st_gid != status.st_gid:
        try:
            os.chown(tmp, -1, status.st_gid)  # a member of the group may keep it
        except PermissionError:
            notes.append(f"{path} could not keep its group (id {status.st_gid}); it now has yours.")
    if mine.st_uid != status.st_uid:
        notes.append(f"{path} could not keep its owner (id {status.st_uid}); you own it now.")
    return notes


def _unchanged(target: Path, expected: Snapshot, path: Path) -> None:
    """Raise :class:`FileChanged` if ``target`` is no longer what was read."""
    try:
        data, now = read_snapshot(target)
    except FileNotFoundError:
        raise FileChanged(f"{path} was removed after qaimpact read it, so it was not rewritten.") from None
    del data
    if now != expected:
        raise FileChanged(
            f"{path} changed after qaimpact read it (saved by another program?), so it was not "
            "rewritten; run the command again."
        )


def _sync_folder(folder: Path) -> None:
    """Flush the rename to disk too: without it a power cut could undo it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems cannot sync a folder
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` with :func:`write_file` (kept for callers that need no notes)."""
    write_file(path, text, force=True)

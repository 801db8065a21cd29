"""Write files so that a failure never leaves a partial or lost file behind."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


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


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename.

    The rename is atomic, so readers see the old file or the new one, never half of it; an
    existing file keeps its permission bits.
    """
    if is_special(path):
        # Renaming over a device or a pipe would replace it with a plain file: write into it.
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        return
    folder = path.parent if str(path.parent) else Path(".")
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600; a new file gets the usual permissions (umask), an old one keeps its own.
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise

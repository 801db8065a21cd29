"""A record of the ``--output`` files qaimpact wrote, so that one a person changed since is kept.

A page carries its own seal (:func:`qaimpact.base.provenance.seal`); a CSV file, a JSON report or
``validate``'s outputs cannot carry one that their readers would not see. So after writing an
``--output`` file, qaimpact notes its fingerprint here, and before replacing it later compares
(:func:`changed_since`): a file whose fingerprint no longer matches has been changed since it was
written, and is kept.

- **What is kept.** Only fingerprints: a keyed SHA-256 (HMAC) of the file's resolved absolute
  path (audits describe real children, and a file name may hold a name, so no path or name is
  stored; the key is random, made with the record and kept in it, so that the fingerprints of one
  computer's record cannot be looked up in a table made in advance or matched with another's;
  whoever can read the record can still test a guessed path such as ``.../Jane-Doe.csv``, as
  whoever can list the folder can see the file) and the SHA-256 of what was written.
  For a CSV report the fingerprint is of its cells, so that Excel saving it again with other
  quoting, line endings or a byte-order mark does not count as a change; any cell changed, added
  or removed does.
- **Where.** ``written.json`` in the user's cache folder: ``$QAIMPACT_CACHE_DIR`` if set to a
  full path (a relative one is ignored, as the XDG specification ignores a relative
  ``$XDG_CACHE_HOME``: it would be another folder wherever qaimpact runs), else
  ``%LOCALAPPDATA%\\qaimpact`` on Windows, else ``$XDG_CACHE_HOME/qaimpact``, else
  ``~/Library/Caches/qaimpact`` on macOS and ``~/.cache/qaimpact`` elsewhere.
- **Bounded.** The most recent :data:`LIMIT` files written are kept; older ones are forgotten.
- **Never in the way.** The record is a help, not a condition: a record that is missing, cannot be
  read or is corrupt counts as empty, and a cache folder that cannot be written is silently
  skipped (the report is still written; a later run then simply knows nothing of it). It is
  written atomically (a temporary file renamed over it), so it is never half-written; two runs
  finishing at the same moment may forget one of their files, which is then judged by its marks
  alone, as a file written on another machine is.

A file with no entry (written on another machine, by an older version, or checked out of git) is
judged by its marks alone (:func:`qaimpact.base.provenance.judge`).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import hmac
import io
import json
import os
import re
import secrets
import sys
import tempfile
from pathlib import Path

#: How many files the record remembers, the most recently written.
LIMIT = 2_000
#: The record's name in the cache folder.
RECORD = "written.json"
#: A record larger than this is not one qaimpact wrote (2,000 entries take about 300 KB).
_MAX_SIZE = 4 << 20
_FORMAT = 1
_ENTRY_KEY = re.compile(r"[0-9a-f]{64}")
_SALT = re.compile(r"[0-9a-f]{64}")
_ENTRY_VALUE = re.compile(r"(bytes|csv):[0-9a-f]{64}")


def cache_dir() -> Path | None:
    """The folder the record is kept in (see this module's documentation), or ``None`` when there
    is no home folder to keep it in."""
    override = os.environ.get("QAIMPACT_CACHE_DIR")
    # A relative folder would be another one in each folder qaimpact runs from, and each would
    # know only the reports written from there: ignored, as the XDG specification has it.
    if override and os.path.isabs(os.path.expanduser(override)):
        return Path(override).expanduser()
    if _windows():
        local = os.environ.get("LOCALAPPDATA")
        return Path(local) / "qaimpact" if local else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG specification: a relative value is ignored
        return Path(xdg) / "qaimpact"
    try:
        home = Path.home()
    except RuntimeError:  # no home folder
        return None
    # macOS keeps each program's caches in ~/Library/Caches.
    return home / "Library" / "Caches" / "qaimpact" if _macos() else home / ".cache" / "qaimpact"


def _windows() -> bool:
    return os.name == "nt"


def _macos() -> bool:
    return sys.platform == "darwin"


def _key(path: Path, salt: str) -> str:
    """The keyed SHA-256 (HMAC, keyed with the record's ``salt``) of ``path`` resolved (through
    links, as a write goes through them) and absolute."""
    return hmac.new(bytes.fromhex(salt), os.fsencode(os.path.realpath(path)), hashlib.sha256).hexdigest()


def fingerprint(data: bytes, *, csv_cells: bool = False) -> str:
    """What the record keeps of a file's content: ``bytes:`` and the SHA-256 of ``data``, or for a
    CSV report ``csv:`` and the SHA-256 of its cells (read as UTF-8, a byte-order mark aside)."""
    if not csv_cells:
        return "bytes:" + hashlib.sha256(data).hexdigest()
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:  # not CSV as Python reads it: its bytes decide
        return "csv:" + hashlib.sha256(b"bytes:" + data).hexdigest()
    return "csv:" + hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()


def _read() -> tuple[str | None, dict[str, str]]:
    """The record's key and its entries, oldest first; no key and no entries if it is missing,
    unreadable or not as written."""
    folder = cache_dir()
    if folder is None:
        return None, {}
    try:
        with open(folder / RECORD, "rb") as handle:
            raw = handle.read(_MAX_SIZE + 1)
        if len(raw) > _MAX_SIZE:
            return None, {}
        data = json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return None, {}
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return None, {}
    salt, files = data.get("salt"), data.get("files")
    if not isinstance(salt, str) or not _SALT.fullmatch(salt) or not isinstance(files, dict):
        return None, {}
    # An entry not as qaimpact writes them is no entry.
    return salt, {
        k: v
        for k, v in files.items()
        if isinstance(v, str) and _ENTRY_KEY.fullmatch(k) and _ENTRY_VALUE.fullmatch(v)
    }


def record(path: Path, data: bytes, *, csv_cells: bool = False) -> None:
    """Note that qaimpact has just written ``data`` to ``path`` (see :func:`fingerprint` for
    ``csv_cells``). Never raises: a cache folder that cannot be made or written is skipped, and
    the file stays judged by its marks alone. A device or pipe (``/dev/null``) is not noted."""
    folder = cache_dir()
    if folder is None or not os.path.isfile(path):
        return
    salt, files = _read()
    if salt is None:  # a new record: a new key, so no entry of an old one can be matched
        salt, files = secrets.token_hex(32), {}
    key = _key(path, salt)
    files.pop(key, None)
    files[key] = fingerprint(data, csv_cells=csv_cells)
    kept = dict(list(files.items())[-LIMIT:])
    text = json.dumps({"format": _FORMAT, "salt": salt, "files": kept}, indent=0)
    tmp = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=folder, prefix=f".{RECORD}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, folder / RECORD)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def changed_since(path: Path) -> bool:
    """Whether the record holds ``path`` and the file no longer matches what qaimpact wrote to it.
    ``False`` when the record knows nothing of it. Raises ``OSError`` when the file cannot be read."""
    salt, files = _read()
    noted = files.get(_key(path, salt)) if salt is not None else None
    if noted is None:
        return False
    if noted.startswith("csv:"):
        with open(path, "rb") as handle:
            return fingerprint(handle.read(), csv_cells=True) != noted
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return "bytes:" + digest.hexdigest() != noted

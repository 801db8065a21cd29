"""Find and load frameworks (standards files), and resolve framework ids.

Frameworks are searched in this order, the first file declaring an id winning: the folders or
files given with ``--standards``, then those in the ``QAIMPACT_STANDARDS_PATH`` environment
variable (separated like ``PATH``), then the frameworks bundled with qaimpact. A team can so add
a framework, or override a bundled one, without touching the code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from qaimpact.base.codes import diagnostic
from qaimpact.base.diagnose import suggest
from qaimpact.base.errors import StandardsError, UsageError
from qaimpact.base.loader import LoadError, load_file
from qaimpact.frameworks.check import check_file
from qaimpact.models.findings import Diagnostic
from qaimpact.models.standard import (
    Framework,
)

ENV_VAR = "QAIMPACT_STANDARDS_PATH"
_SUFFIXES = (".yaml", ".yml")


def bundled_dir() -> Path:
    """The folder of frameworks that ship with qaimpact."""
    return Path(str(files("qaimpact") / "standards"))


def search_path(extra: Sequence[Path] = (), environ: dict[str, str] | None = None) -> list[Path]:
    """The folders and files searched for frameworks, first match winning."""
    env = os.environ if environ is None else environ
    from_env = [Path(p) for p in env.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    return [*extra, *from_env, bundled_dir()]


def standards_files(entry: Path) -> Iterator[Path]:
    """The standards files a path names: the file itself, or the ``*.yaml``/``*.yml`` files of a
    folder (not its subfolders), in name order, as ``--standards DIR`` reads them. A named pipe or
    a link to a device named so is one too: reading it refuses it (QA110), where passing it over
    would leave its framework unknown without a word."""
    if entry.is_dir():
        yield from sorted(p for p in entry.iterdir() if p.suffix in _SUFFIXES and not p.is_dir())
    else:
        yield entry


@dataclass
class _Entry:
    path: Path
    framework: Framework | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    declared_id: str | None = None


@dataclass(frozen=True)
class BrokenFile:
    """A standards file that has errors: where, the framework id it declares, and its problems."""

    path: Path
    declared_id: str | None
    diagnostics: list[Diagnostic]


class Registry:
    """The frameworks on the search path, loaded on first use."""

    def __init__(self, path: Sequence[Path]) -> None:
        self.path = list(path)
        self._entries: list[_Entry] | None = None
        self._by_id: dict[str, _Entry] = {}
        self.shadowed: list[Diagnostic] = []

    @classmethod
    def default(cls, extra: Sequence[Path] = ()) -> Registry:
        """The registry for ``--standards`` folders, the environment and the bundled frameworks."""
        return cls(search_path(extra))

    def _load(self) -> list[_Entry]:
        if self._entries is not None:
            return self._entries
        entries: list[_Entry] = []
        for place in self.path:
            if not place.exists():
                raise UsageError(
                    f"The standards folder or file '{place}' does not exist. Check --standards "
                    f"and the {ENV_VAR} environment variable."
                )
            for file in standards_files(place):
                framework, diags = check_file(file)
                entry = _Entry(file, framework, diags, _declared_id(file, framework))
                entries.append(entry)
                ident = entry.declared_id
                if ident is None:
                    continue
                if ident in self._by_id:
                    first = self._by_id[ident].path
                    self.shadowed.append(
                        diagnostic(
                            "QA504",
                            _id_location(file),
                            f"The framework id '{ident}' is also declared in {first}, which wins.",
                            "Give this framework another id, or remove one of the two files.",
                        )
                    )
                    continue
                self._by_id[ident] = entry
        self._entries = entries
        return entries

    def entries(self) -> list[tuple[Path, Framework | None, list[Diagnostic]]]:
        """Every standards file found, with its framework (if valid) and its diagnostics."""
        return [(e.path, e.framework, e.diagnostics) for e in self._load()]

    def broken(self) -> list[BrokenFile]:
        """Every standards file on the search path that has errors, with the id it declares.

        Commands report each once, at its own ``file:line:col``; only the audits that name its
        framework fail (``QA211``).
        """
        return [
            BrokenFile(e.path, e.declared_id, list(e.diagnostics))
            for e in self._load()
            if e.framework is None
        ]

    def ids(self) -> list[str]:
        """The framework ids that can be used, sorted."""
        self._load()
        return sorted(self._by_id)

    def frameworks(self) -> list[Framework]:
        """Every valid framework that wins its id, sorted by id."""
        self._load()
        return [e.framework for _, e in sorted(self._by_id.items()) if e.framework is not None]

    def get(self, ident: str) -> Framework | None:
        """The framework with this id; ``None`` if there is none.

        Raises :class:`StandardsError` when the file declaring it is broken, since no audit that
        uses it can then be checked.
        """
        self._load()
        entry = self._by_id.get(ident)
        if entry is None:
            return None
        if entry.framework is None:
            raise StandardsError(
                f"The standards file for '{ident}' ({entry.path}) has errors; fix them first "
                f"(qaimpact standards check {entry.path}).",
                entry.diagnostics,
                str(entry.path),
            )
        return entry.framework

    def named(self, name: str) -> list[str]:
        """The ids of the frameworks ``name`` can mean, as people type a framework on a command
        line: its id in any case (``CCC-Practice-Standards``), its short title (``CCC``,
        ``cafcass``), the prefix of its audit ids (``CFA``), or the first words of its id
        (``ccc``, ``cafcass-qiam``). An id written exactly is that framework alone; one name that
        fits several frameworks gives them all, for the caller to refuse as ambiguous."""
        ids = self.ids()
        if name in ids:
            return [name]
        key = name.strip().casefold()
        if not key:
            return []
        same = [i for i in ids if i.casefold() == key]
        if same:
            return same
        # A short form is read from the frameworks' own data (short_title, audit_ids), never a
        # list in the code: a team's own framework is typed the same way.
        found = {
            fw.id
            for fw in self.frameworks()
            if fw.short_title.casefold() == key
            or (fw.spec.audit_ids is not None and fw.spec.audit_ids.prefix.casefold() == key)
        }
        found.update(i for i in ids if i.startswith((key + "-", key + "_")))
        return sorted(found)

    def short_names(self, ident: str) -> list[str]:
        """The short names of the framework ``ident`` that :meth:`named` reads as it alone, as
        ``standards list`` shows them: its short title (``CCC``) and the prefix of its audit ids
        (``CFA``). A name another framework shares is left out: given, it would be refused as
        ambiguous."""
        fw = self.get(ident)
        if fw is None:
            return []
        given = [fw.short_title, *([fw.spec.audit_ids.prefix] if fw.spec.audit_ids is not None else [])]
        names = list({name.casefold(): name for name in reversed(given)}.values())[::-1]
        return [name for name in names if self.named(name) == [ident]]

    def closest(self, ident: str) -> str | None:
        """The known id closest to a mistyped one, or the one id a shortened one is the start or
        a part of (``ccc`` for ``ccc-practice-standards``, ``qiam`` for ``cafcass-qiam-2017``),
        or the id of the framework whose title it is (as ``standards list`` and reports show it)."""
        ids = self.ids()
        key = ident.strip().casefold()
        # The title is what an auditor sees on every report, so it is what they write first.
        titled = [
            fw.id
            for fw in self.frameworks()
            if " ".join(fw.spec.title.casefold().split()) == " ".join(key.split())
        ]
        if len(titled) == 1:
            return titled[0]
        guess = suggest(ident, ids)
        if guess is not None:
            return guess
        shortened = [i for i in ids if key and (i.startswith(key) or key in re.split(r"[-_]", i))]
        return shortened[0] if len(shortened) == 1 else None


def _declared_id(path: Path, framework: Framework | None) -> str | None:
    if framework is not None:
        return framework.id
    # A broken file still claims its id, so that its audits report the broken file rather
    # than "unknown framework".
    try:
        data = load_file(path, kind="standards").data
    except LoadError:
        return path.stem
    ident = data.get("id") if isinstance(data, dict) else None
    return ident if isinstance(ident, str) else path.stem


def _id_location(path: Path) -> Any:
    try:
        return load_file(path, kind="standards").locate(["id"])
    except LoadError as exc:
        return exc.diagnostic.location

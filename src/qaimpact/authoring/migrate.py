"""Move audits from one framework to another (usually a newer version), as the frameworks declare.

A framework says under ``migrations:`` how audits of an older framework map onto it: renamed,
merged, split and retired standards, renamed ratings, grades and keys, and dropped keys. When
only the older framework declares a migration (from the newer one) and it only renames, it is
reversed, so a pure rename can be undone.

:func:`plan_migration` computes the rewritten file and says, in plain English, what changes and
what would be lost (with the line and column of the old key); :func:`apply_migration` writes
it, refusing to lose anything unless forced. Files are rewritten with ruamel.yaml's round trip
so that comments, key order and layout survive: audits are documents people annotate.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.tokens import CommentToken

from qaimpact.audits.checker import AuditCheck, CheckOptions, check_text
from qaimpact.base.codes import diagnostic
from qaimpact.base.diagnose import data_path, format_path
from qaimpact.base.errors import QaImpactError, StandardsError, UsageError
from qaimpact.base.fileio import write_atomic
from qaimpact.base.loader import Document, LoadError, load_bytes, load_file
from qaimpact.frameworks.registry import Registry, known_audit_path
from qaimpact.models.audit import PLACEHOLDER, audit_model, get_field
from qaimpact.models.findings import Diagnostic
from qaimpact.models.location import Location
from qaimpact.models.standard import NOT_APPLICABLE, Framework, Migration, StandardMapping

# -- Results -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Loss:
    """Something a migration would lose, at the position of the old key in the original file."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(slots=True)
class MigrationPlan:
    """The rewritten audit, what changes and what would be lost; nothing is written yet."""

    path: str
    source_id: str
    target_id: str
    old_text: str
    new_text: str
    changes: list[str] = field(default_factory=list)
    losses: list[Loss] = field(default_factory=list)
    #: The id of the framework whose ``migrations:`` entry was used.
    declared_in: str = ""
    #: True when the migration is the reverse of one the source framework declares.
    derived: bool = False

    @property
    def lossless(self) -> bool:
        """True when applying the plan loses nothing."""
        return not self.losses

    @property
    def changed(self) -> bool:
        """True when the new text differs from the old."""
        return self.new_text != self.old_text


@dataclass(frozen=True, slots=True)
class MigrationRoute:
    """The migration to use from one framework to another, and where it is declared."""

    migration: Migration
    #: The framework whose ``migrations:`` list holds the declaration.
    declared_in: Framework
    #: The position of the declaration in that list.
    index: int
    #: True when ``migration`` is the reverse of the declared one.
    derived: bool


# -- Finding and checking the migration --------------------------------------------------------


def reverse_migration(migration: Migration, new_from: str) -> Migration | None:
    """The reverse of a migration, or ``None`` when it cannot be reversed.

    Only renames reverse: standards renamed with ``to`` or a plain id, ``ratings`` and
    ``grades`` maps that never send two ids to one, and ``keys`` renames. A merge, split,
    retirement or dropped key loses the information needed to go back.
    """
    if migration.drop:
        return None
    standards: dict[str, str] = {}
    for old, mapping in migration.standards.items():
        new = mapping if isinstance(mapping, str) else mapping.to
        if new is None or new in standards:
            return None
        standards[new] = old
    maps: list[dict[str, str]] = []
    for forward in (migration.ratings, migration.grades, migration.keys):
        backward = {new: old for old, new in forward.items()}
        if len(backward) != len(forward):
            return None
        maps.append(backward)
    ratings, grades, keys = maps
    return Migration.model_validate(
        {"from": new_from, "standards": standards, "ratings": ratings, "grades": grades, "keys": keys}
    )


def find_migration(source: Framework, target: Framework) -> MigrationRoute:
    """The migration of audits from ``source`` to ``target``.

    The target's own declaration (``migrations: - from: SOURCE``) wins; otherwise the reverse of
    the source's declaration from the target, when it only renames. Raises
    :class:`~qaimpact.base.errors.UsageError` naming both ids when there is neither.
    """
    for index, migration in enumerate(target.spec.migrations):
        if migration.from_ == source.id:
            return MigrationRoute(migration, target, index, derived=False)
    for index, migration in enumerate(source.spec.migrations):
        if migration.from_ == target.id:
            reverse = reverse_migration(migration, source.id)
            if reverse is None:
                raise UsageError(
                    f"'{target.id}' declares no migration from '{source.id}', and the migration "
                    f"'{source.id}' declares from '{target.id}' cannot be reversed: it merges, "
                    "splits, retires or drops something, or maps two ids onto one. Add "
                    f"'migrations: - from: {source.id}' to {target.source}."
                )
            return MigrationRoute(reverse, source, index, derived=True)
    raise UsageError(
        f"There is no migration between '{source.id}' and '{target.id}': neither framework "
        f"declares one. Add 'migrations: - from: {source.id}' to {target.source}."
    )


def check_migration(declared_in: Framework, index: int, older: Framework) -> list[Diagnostic]:
    """Check the ids a declared migration takes from the older framework it starts from.

    ``qaimpact standards check`` checks the new ids of a migration against its own framework;
    the old ids can only be checked once the older framework is loaded, which is done here:
    every old standard, rating, grade and key must exist in ``older``, and no two old standards
    may become the same new one except by ``merge_into``. Diagnostics point into the standards
    file that declares the migration.
    """
    migration = declared_in.spec.migrations[index]
    doc = _standards_document(declared_in)
    base: list[Any] = ["migrations", index]
    problems: list[Diagnostic] = []

    def unknown(path: list[Any], what: str, value: str, known: Sequence[str]) -> None:
        problems.append(
            diagnostic(
                "QA502",
                doc.locate(path, key=True),
                f"'{format_path(path)}' names the {what} '{value}', which '{older.id}' does not define.",
                f"Known {what}s of '{older.id}': {', '.join(known)}.",
            )
        )

    for old in migration.standards:
        if old not in older.standards:
            unknown([*base, "standards", old], "standard", old, list(older.standards))
    ratings = [*older.rating_rank, NOT_APPLICABLE]
    for old in migration.ratings:
        if old not in ratings:
            unknown([*base, "ratings", old], "rating", old, ratings)
    for old in migration.grades:
        if old not in older.grade_rank:
            unknown([*base, "grades", old], "grade", old, list(older.grade_rank))
    for section, paths in (("keys", list(migration.keys)), ("drop", migration.drop)):
        for position, dotted in enumerate(paths):
            if not known_audit_path(older.spec, dotted):
                where: list[Any] = [*base, section, dotted if section == "keys" else position]
                problems.append(
                    diagnostic(
                        "QA502",
                        doc.locate(where, key=section == "keys"),
                        f"'{format_path(where)}' names the audit key '{dotted}', which audits of "
                        f"'{older.id}' do not have.",
                        "Name a key of the older framework's audits, e.g. case.NAME or an extra field.",
                    )
                )
    renamed: dict[str, list[str]] = {}
    for old in older.standards:
        action = _action(migration, declared_in, old)
        if action.kind == "rename":
            renamed.setdefault(action.targets[0], []).append(old)
    for new, olds in renamed.items():
        if len(olds) > 1:
            listed = next((o for o in olds if o in migration.standards), olds[0])
            problems.append(
                diagnostic(
                    "QA501",
                    doc.locate([*base, "standards", listed], key=True),
                    f"The standards {' and '.join(repr(o) for o in olds)} of '{older.id}' would both "
                    f"become '{new}'.",
                    "Use merge_into to combine them, or rename one of them.",
                )
            )
    return problems


def _standards_document(framework: Framework) -> Document:
    try:
        return load_file(Path(framework.source))
    except LoadError:
        # The framework was checked when it was loaded; without its file, point at the file.
        return Document(framework.source, None)


# -- Planning ----------------------------------------------------------------------------------


def plan_migration(text: str, path: str, source: Framework, target: Framework) -> MigrationPlan:
    """Compute the migration of one audit (its YAML ``text``, read from ``path``) to ``target``.

    Nothing is written: the plan holds the new text, the changes in plain English and every loss.
    Raises :class:`~qaimpact.base.errors.UsageError` when no migration is declared between the two
    frameworks or the audit does not use ``source``, :class:`~qaimpact.base.errors.StandardsError`
    when the declared migration names ids the source framework does not have, and
    :class:`~qaimpact.base.errors.QaImpactError` when the file cannot be read as an audit.
    """
    if source.id == target.id:
        raise UsageError(f"'{path}' already uses '{target.id}': there is nothing to migrate.")
    route = find_migration(source, target)
    older = target if route.derived else source
    problems = [d for d in check_migration(route.declared_in, route.index, older) if d.is_error]
    if problems:
        raise StandardsError(
            f"The migration from '{older.id}' in {route.declared_in.source} names ids that "
            f"'{older.id}' does not have; fix it first.",
            problems,
        )
    body = text.removeprefix("\ufeff")
    crlf = "\r\n" in body
    if crlf:
        body = body.replace("\r\n", "\n")
    try:
        # The hardened loader first: a hostile or broken file is refused before ruamel reads it.
        load_bytes(body.encode("utf-8"), path)
    except LoadError as exc:
        found = exc.diagnostic
        raise QaImpactError(f"{found.location}: {found.message} Fix the file before migrating it.") from None
    yaml = _yaml(body)
    try:
        doc = yaml.load(body)
    except YAMLError as exc:
        raise QaImpactError(f"{path}: the file could not be read as YAML: {exc}") from None
    if not isinstance(doc, CommentedMap):
        raise QaImpactError(f"{path}: an audit must be a block of 'key: value' lines.")
    if doc.get("standards") != source.id:
        raise UsageError(f"'{path}' uses '{doc.get('standards')}', not '{source.id}'.")
    migrator = _Migrator(doc, path, source, target, route.migration)
    migrator.run()
    out = io.StringIO()
    yaml.dump(doc, out)
    new_text = out.getvalue()
    if crlf:
        new_text = new_text.replace("\n", "\r\n")
    if text.startswith("\ufeff"):
        new_text = "\ufeff" + new_text
    return MigrationPlan(
        path=path,
        source_id=source.id,
        target_id=target.id,
        old_text=text,
        new_text=new_text,
        changes=migrator.changes,
        losses=sorted(migrator.losses, key=lambda loss: loss.location),
        declared_in=route.declared_in.id,
        derived=route.derived,
    )


def apply_migration(plan: MigrationPlan, *, force: bool) -> None:
    """Write the migrated audit over the original, atomically and keeping its permissions.

    Raises :class:`~qaimpact.base.errors.QaImpactError` listing every loss, one per line
    (``file:line:col: message``), when the plan loses something and ``force`` is false, and
    when the file changed since it was read (the plan would overwrite that change).
    """
    if plan.losses and not force:
        lines = "\n".join(str(loss) for loss in plan.losses)
        raise QaImpactError(
            f"Migrating {plan.path} from '{plan.source_id}' to '{plan.target_id}' would lose "
            f"information (force the migration to accept these losses):\n{lines}"
        )
    target = Path(plan.path)
    try:
        current = target.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QaImpactError(f"{plan.path} could not be read again before writing: {exc}") from None
    if _normal(current) != _normal(plan.old_text):
        raise QaImpactError(f"{plan.path} changed since it was read; migrate it again.")
    if plan.changed:
        write_atomic(target, plan.new_text)


def _normal(text: str) -> str:
    # A caller may have read the file with a BOM stripped or newlines translated: not a change.
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def plan_file(path: Path, registry: Registry, target: str) -> MigrationPlan:
    """Plan the migration of the audit file ``path`` to the framework ``target``.

    The source framework is the one the audit names in ``standards:``. The file is read as bytes,
    so its line endings and byte order mark are kept. Raises
    :class:`~qaimpact.base.errors.UsageError` for an unknown framework and
    :class:`~qaimpact.base.errors.QaImpactError` for a file that cannot be read as an audit.
    """
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise QaImpactError(f"{path}: the file could not be read: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise QaImpactError(f"{path}: the file is not UTF-8 text.") from None
    try:
        doc = load_bytes(text.encode("utf-8"), str(path))
    except LoadError as exc:
        found = exc.diagnostic
        raise QaImpactError(f"{found.location}: {found.message} Fix the file before migrating it.") from None
    ident = doc.data.get("standards") if isinstance(doc.data, dict) else None
    frameworks: list[Framework] = []
    for wanted in (ident, target):
        found_framework = registry.get(wanted) if isinstance(wanted, str) else None
        if found_framework is None:
            guess = registry.closest(wanted) if isinstance(wanted, str) else None
            hint = f" Did you mean '{guess}'?" if guess else ""
            raise UsageError(
                f"Unknown framework '{wanted}'{' in ' + str(path) if wanted is ident else ''}; the known "
                f"frameworks are: {', '.join(registry.ids())}.{hint}"
            )
        frameworks.append(found_framework)
    return plan_migration(text, str(path), frameworks[0], frameworks[1])


def validate_text(text: str, path: str, registry: Registry, options: CheckOptions) -> AuditCheck:
    """Check audit text (a migrated file not yet written) exactly as ``qaimpact validate`` would."""
    return check_text(text, path, registry, options)


# -- Reading and writing YAML ------------------------------------------------------------------

_NULL_WORD = re.compile(r":[ \t]+(null|Null|NULL|~)[ \t]*(?:#.*)?$", re.MULTILINE)


def _yaml(text: str) -> YAML:
    """A round-trip YAML instance that writes this file back in its own style."""
    words = _NULL_WORD.findall(text)
    # ruamel writes an empty value for null; the file's own spelling (default: null) is kept.
    null = max(set(words), key=words.count) if words else "null"

    class _Representer(RoundTripRepresenter):
        pass

    def represent_null(representer: RoundTripRepresenter, _data: None) -> Any:
        return representer.represent_scalar("tag:yaml.org,2002:null", null)

    _Representer.add_representer(type(None), represent_null)
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    # Long lines stay long: a re-wrapped line would be a change the user did not ask for.
    yaml.width = 1_000_000
    mapping, sequence, offset = _indentation(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    first = next((line for line in text.splitlines() if line.strip() and not line.startswith("#")), "")
    yaml.explicit_start = first.startswith("---")
    return yaml


def _indentation(text: str) -> tuple[int, int, int]:
    """The file's mapping indent, block-sequence indent and dash offset (default 2, 4, 2)."""
    mapping: int | None = None
    sequence: int | None = None
    offset: int | None = None
    parent: int | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if parent is not None and indent > parent:
            if stripped.startswith("- "):
                if sequence is None:
                    offset = indent - parent
                    after = stripped[2:]
                    sequence = offset + 2 + (len(after) - len(after.lstrip(" ")))
            elif mapping is None:
                mapping = indent - parent
        key_only = re.match(r"^[^#'\"]*:\s*(#.*)?$", stripped) and not stripped.startswith("- ")
        parent = indent if key_only else None
        if mapping is not None and sequence is not None:
            break
    return mapping or 2, sequence or 4, offset if offset is not None else 2


# -- Comments: keep them where a reader expects them -------------------------------------------
#
# ruamel attaches a comment to the node before it: the comment lines after a value (including
# blank lines) hang on the last scalar of that value, and a comment on the key line of a block
# mapping on the key. So moving or removing a key must first hand the comment lines that follow
# it (which belong to whatever comes next) to the neighbour that stays.


def _token(text: str) -> CommentToken:
    return CommentToken(text, CommentMark(0), None)


def _is_block(value: Any) -> bool:
    return isinstance(value, CommentedMap | CommentedSeq) and len(value) > 0 and not value.fa.flow_style()


def _last_leaf(holder: Any, key: Any) -> tuple[Any, Any]:
    """The innermost last (holder, key) of the value at ``holder[key]``: where trailing lines hang."""
    value = holder[key]
    while _is_block(value):
        holder, key = value, (list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1)
        value = holder[key]
    return holder, key


def _eol_slot(holder: Any, key: Any) -> tuple[list[Any], int]:
    entry = holder.ca.items.setdefault(key, [None, None, None, None])
    return entry, 0 if isinstance(holder, CommentedSeq) else 2


def _detach_trailing(holder: Any, key: Any) -> str:
    """Remove and return the whole lines of comment that follow ``holder[key]``."""
    leaf, leaf_key = _last_leaf(holder, key)
    entry, slot = _eol_slot(leaf, leaf_key)
    token = entry[slot]
    if not isinstance(token, CommentToken):
        return ""
    first, newline, rest = token.value.partition("\n")
    if not newline or not rest:
        return ""
    if first.strip():
        token.value = first + "\n"
    else:
        entry[slot] = None
    return rest


def _append_trailing(holder: Any, key: Any, text: str) -> None:
    """Add whole lines of comment after the value at ``holder[key]``."""
    if not text:
        return
    leaf, leaf_key = _last_leaf(holder, key)
    entry, slot = _eol_slot(leaf, leaf_key)
    token = entry[slot]
    if isinstance(token, CommentToken):
        value = token.value if token.value.endswith("\n") else token.value + "\n"
        token.value = value + text
    else:
        entry[slot] = _token("\n" + text)


def _prepend_before(holder: CommentedMap, key: Any, text: str) -> None:
    entry = holder.ca.items.setdefault(key, [None, None, None, None])
    entry[1] = [_token(text), *(entry[1] or [])]


Chain = list[tuple[Any, Any]]


def _relocate(chain: Chain, text: str) -> None:
    """Put comment lines where the last key of ``chain`` is (it is about to go)."""
    for holder, key in reversed(chain):
        if isinstance(holder, CommentedMap):
            keys = list(holder)
            position = keys.index(key)
            if position + 1 < len(keys):
                _prepend_before(holder, keys[position + 1], text)
                return
            if position > 0:
                _append_trailing(holder, keys[position - 1], text)
                return
        elif isinstance(key, int) and key > 0:
            _append_trailing(holder, key - 1, text)
            return
    # Nothing is left around it: the lines go at the end of the file.
    top = chain[0][0]
    top.ca.end = [*(top.ca.end or []), _token(text)]


def _take(chain: Chain) -> tuple[Any, CommentToken | None]:
    """Remove the last key of ``chain``; return its value and the comment on its key line.

    The comment lines around the key that are not part of it stay where they were.
    """
    value, key_comment, _ = _move_out(chain, carry=False)
    return value, key_comment


def _move_out(chain: Chain, *, carry: bool) -> tuple[Any, CommentToken | None, str]:
    """Remove the last key of ``chain`` to put it elsewhere.

    Returns its value, the comment on its key line and, when ``carry``, the comment lines just
    above it (with no blank line between): by convention they describe it, so they go with it.
    """
    holder, key = chain[-1]
    kept = _detach_trailing(holder, key)
    entry = holder.ca.items.pop(key, None)
    before = "".join(t.value for t in (entry[1] or []) if isinstance(t, CommentToken)) if entry else ""
    lead = ""
    if carry:
        lead, before = before, ""
        keys = list(holder) if isinstance(holder, CommentedMap) else []
        position = keys.index(key) if key in keys else 0
        if position > 0 and not lead.startswith("\n"):
            lead = _detach_lead(holder, keys[position - 1]) + lead
    if before + kept:
        _relocate(chain, before + kept)
    key_comment = entry[2] if entry and isinstance(entry[2], CommentToken) else None
    return holder.pop(key), key_comment, lead


def _detach_lead(holder: Any, key: Any) -> str:
    """Remove and return the comment lines at the end of what follows ``holder[key]``.

    Only whole comment lines after the last blank line: those sit right above the next key.
    """
    leaf, leaf_key = _last_leaf(holder, key)
    entry, slot = _eol_slot(leaf, leaf_key)
    token = entry[slot]
    if not isinstance(token, CommentToken):
        return ""
    first, newline, rest = token.value.partition("\n")
    lines = rest.splitlines(keepends=True)
    start = len(lines)
    while start > 0 and lines[start - 1].strip().startswith("#"):
        start -= 1
    if not newline or start == len(lines):
        return ""
    token.value = first + "\n" + "".join(lines[:start])
    if not token.value.strip():
        entry[slot] = None
    return "".join(lines[start:])


def detach_leading_comments(holder: Any, key: Any) -> str:
    """The comment lines sitting right above the key after ``holder[key]``, removed from there.

    ruamel.yaml stores the comment lines above a key with the key before it, so code that moves a
    key must carry them over itself (``fmt`` uses this when it reorders keys).
    """
    return _detach_lead(holder, key)


def prepend_comments(holder: CommentedMap, key: Any, text: str) -> None:
    """Put comment lines (as returned by :func:`detach_leading_comments`) right above ``key``."""
    if text:
        _prepend_before(holder, key, text)


def _rename(holder: CommentedMap, old: str, new: str) -> None:
    """Rename a key where it stands, with its comments."""
    position = list(holder).index(old)
    value = holder[old]
    entry = holder.ca.items.pop(old, None)
    del holder[old]
    holder.insert(position, new, value)
    if entry is not None:
        holder.ca.items[new] = entry


def _insert_at(holder: CommentedMap, position: int, key: str, value: Any) -> None:
    """Insert a key; the comment lines that followed its predecessor now follow it."""
    keys = list(holder)
    moved = _detach_trailing(holder, keys[position - 1]) if 0 < position <= len(keys) else ""
    holder.insert(position, key, value)
    _append_trailing(holder, key, moved)


def _insert_ordered(holder: CommentedMap, key: str, value: Any, order: Sequence[str]) -> None:
    """Insert a key after the keys that come before it in ``order`` (others are skipped)."""
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(key, len(rank))
    keys = list(holder)
    position: int | None = None
    for index, existing in enumerate(keys):
        if existing in rank and rank[existing] < mine:
            position = index + 1
    if position is None:
        position = next((i for i, k in enumerate(keys) if k in rank and rank[k] > mine), len(keys))
    _insert_at(holder, position, key, value)


def _line_comment(holder: CommentedMap, key: Any) -> CommentToken | None:
    """The comment on the line of ``holder[key]``, if there is one."""
    slots = holder.ca.items.get(key)
    token = slots[2] if slots else None
    if isinstance(token, CommentToken) and token.value.partition("\n")[0].strip():
        return token
    return None


def _first_line(token: CommentToken) -> CommentToken:
    """A copy of a comment token with only its first line (the comment on the key's own line)."""
    return CommentToken(token.value.partition("\n")[0] + "\n", token.start_mark, None)


def _comment_texts(value: Any, extra: CommentToken | None = None) -> list[str]:
    """Every ``#`` comment inside a value (and on its key line), in order, once each."""
    found: list[str] = []

    def tokens(item: Any) -> Iterator[CommentToken]:
        if isinstance(item, CommentToken):
            yield item
        elif isinstance(item, list):
            for part in item:
                yield from tokens(part)

    def walk(node: Any) -> Iterator[CommentToken]:
        if isinstance(node, CommentedMap | CommentedSeq):
            yield from tokens(node.ca.comment or [])
            for slots in node.ca.items.values():
                yield from tokens(slots)
            yield from tokens(node.ca.end or [])
            children = node.values() if isinstance(node, CommentedMap) else node
            for child in children:
                yield from walk(child)

    for token in [*([extra] if extra else []), *walk(value)]:
        for line in token.value.splitlines():
            text = line.strip()
            if text.startswith("#") and text not in found:
                found.append(text)
    return found


# -- Values ------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """ruamel's round-trip objects as the plain values the loader builds (dates stay text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict | list):
        return any(_filled(v) for v in (value.values() if isinstance(value, dict) else value))
    return True


def _show(value: Any) -> str:
    plain = _plain(value)
    if isinstance(plain, str):
        return f"'{plain}'"
    return json.dumps(plain, ensure_ascii=False)


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _what_is_lost(value: Any, key_comment: CommentToken | None, *, entry: bool) -> str:
    """'its rating (good), evidence ('...') and comment '# ...'': what removing a value loses."""
    parts: list[str] = []
    if entry and isinstance(value, dict):
        if "rating" in value:
            parts.append(f"rating ({_plain(value['rating'])})")
        parts.extend(f"{k} ({_show(v)})" for k, v in value.items() if k != "rating" and _filled(v))
    else:
        parts.append(f"value {_show(value)}")
    comments = _comment_texts(value, key_comment)
    if comments:
        noun = "comment" if len(comments) == 1 else "comments"
        parts.append(f"{noun} " + ", ".join(f"'{c}'" for c in comments))
    return "its " + _and(parts) if parts else "nothing"


# -- The migration itself ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Action:
    kind: Literal["rename", "merge", "split", "retire", "missing"]
    targets: tuple[str, ...] = ()
    combine: Literal["worst", "best"] = "worst"
    copy_rating: bool = False


def _action(migration: Migration, new: Framework, old: str) -> _Action:
    """What happens to the old standard ``old``; unnamed standards keep their id."""
    mapping: StandardMapping | str | None = migration.standards.get(old)
    if mapping is None:
        return _Action("rename", (old,)) if old in new.standards else _Action("missing")
    if isinstance(mapping, str):
        return _Action("rename", (mapping,))
    if mapping.to is not None:
        return _Action("rename", (mapping.to,))
    if mapping.merge_into is not None:
        return _Action("merge", (mapping.merge_into,), combine=mapping.combine)
    if mapping.split_into is not None:
        return _Action("split", tuple(mapping.split_into), copy_rating=mapping.copy_rating)
    return _Action("retire")


@dataclass(slots=True)
class _Group:
    """A group of standards in the audit being migrated."""

    old: str
    name: str
    entries: CommentedMap
    target: str | None = None


class _Migrator:
    """Rewrites one parsed audit in place and records the changes and losses."""

    def __init__(
        self, doc: CommentedMap, path: str, source: Framework, target: Framework, migration: Migration
    ) -> None:
        self.doc = doc
        self.path = path
        self.source = source
        self.target = target
        self.migration = migration
        self.changes: list[str] = []
        self.losses: list[Loss] = []
        self.containers: dict[str, _Group] = {}
        self.pending: list[_Group] = []
        self.actions = {old: _action(migration, target, old) for old in source.standards}
        # The old standards each new one comes from.
        self.sources: dict[str, list[str]] = {}
        for old, action in self.actions.items():
            for new in action.targets:
                self.sources.setdefault(new, []).append(old)
        # Two or more old standards renamed or merged into one, or any merge, make a merged one.
        self.merged = {
            new
            for new, olds in self.sources.items()
            if any(self.actions[o].kind == "merge" for o in olds)
            or sum(self.actions[o].kind == "rename" for o in olds) > 1
        }
        self.merged_done: set[str] = set()
        # The entries of each merged standard found in the audit, in file order.
        self.members: dict[str, list[tuple[_Group, str]]] = {}

    # -- helpers

    def where(self, holder: Any, key: Any) -> Location:
        """The position of ``key`` in the original file (ruamel counts from 0)."""
        data = getattr(holder.lc, "data", None)
        if data and key in data:
            line, column = data[key][0], data[key][1]
            return Location(self.path, line + 1, column + 1)
        if holder.lc.line is not None:
            return Location(self.path, holder.lc.line + 1, holder.lc.col + 1)
        return Location(self.path)

    def lose(self, location: Location, message: str) -> None:
        self.losses.append(Loss(location, message))

    def chain(self, parts: Sequence[str]) -> Chain | None:
        """The (holder, key) pairs down a dotted path, or ``None`` where it is not in the audit."""
        chain: Chain = []
        node: Any = self.doc
        for part in parts:
            if not isinstance(node, CommentedMap) or part not in node:
                return None
            chain.append((node, part))
            node = node[part]
        return chain

    def title(self, framework: Framework, ident: str) -> str:
        std = framework.standards.get(ident)
        return f" ({std.title.rstrip('.')})" if std is not None else ""

    # -- the steps, in order

    def run(self) -> None:
        old = self.doc["standards"]
        self.doc["standards"] = self.target.id
        self.changes.append(f"standards: {old} -> {self.target.id}")
        self.drop_keys()
        self.rename_keys()
        self.grade()
        self.moderated_grade()
        self.standards()
        self.new_standards()
        self.insert_groups()
        self.required_fields()
        self.unknown_keys()

    def drop_keys(self) -> None:
        for dotted in self.migration.drop:
            chain = self.chain(dotted.split("."))
            if chain is None:
                continue
            location = self.where(*chain[-1])
            value, key_comment = _take(chain)
            if _filled(value) or _comment_texts(value, key_comment):
                lost = _what_is_lost(value, key_comment, entry=False)
                self.lose(location, f"'{dotted}' is dropped in '{self.target.id}': {lost} would be lost.")
            self.changes.append(f"{dotted}: dropped")

    def rename_keys(self) -> None:
        for old, new in self.migration.keys.items():
            chain = self.chain(old.split("."))
            if chain is None or old == new:
                continue
            holder, key = chain[-1]
            *parents, name = new.split(".")
            destination = self.make_path(parents)
            location = self.where(holder, key)
            if name in destination:
                value, key_comment = _take(chain)
                lost = _what_is_lost(value, key_comment, entry=False)
                self.lose(
                    location, f"'{old}' becomes '{new}', which the audit already has: {lost} would be lost."
                )
                continue
            if destination is holder:
                _rename(holder, key, name)
            else:
                value, key_comment, lead = _move_out(chain, carry=True)
                if key_comment is not None:
                    destination.ca.items[name] = [None, None, key_comment, None]
                _insert_at(destination, len(destination), name, value)
                if lead:
                    _prepend_before(destination, name, lead)
            self.changes.append(f"{old} -> {new}")

    def make_path(self, parts: Sequence[str]) -> CommentedMap:
        node = self.doc
        for part in parts:
            child = node.get(part)
            if not isinstance(child, CommentedMap):
                child = CommentedMap()
                _insert_at(node, len(node), part, child)
            node = child
        return node

    def grade(self) -> None:
        old_key, new_key = self.source.spec.grades.key, self.target.spec.grades.key
        if old_key != new_key and old_key in self.doc and new_key not in self.doc:
            _rename(self.doc, old_key, new_key)
            self.changes.append(f"{old_key} -> {new_key}")
        if new_key in self.doc:
            location = self.where(self.doc, new_key if new_key == old_key else old_key)
            self.map_grade(self.doc, new_key, new_key, "recorded grade", location)

    def moderated_grade(self) -> None:
        # A moderator's grade is on the same scale as the recorded grade, so it maps the same way.
        entry = self.doc.get("moderation")
        if isinstance(entry, CommentedMap) and "moderated_grade" in entry:
            location = self.where(entry, "moderated_grade")
            self.map_grade(
                entry, "moderated_grade", "moderation.moderated_grade", "moderated grade", location
            )

    def map_grade(self, holder: CommentedMap, key: str, path: str, what: str, location: Location) -> None:
        """Map a grade through the migration's grade map; a grade it cannot map is a loss."""
        value = holder.get(key)
        if not isinstance(value, str):
            return
        new = self.migration.grades.get(value, value)
        if new in self.target.grade_rank:
            if new != value:
                holder[key] = new
                self.changes.append(f"{path}: {value} -> {new}")
        elif value in self.source.grade_rank:
            holder[key] = PLACEHOLDER
            self.lose(
                location,
                f"The {what} '{value}' is not a grade of '{self.target.id}' and the migration "
                f"does not map it: '{path}' needs a grade.",
            )

    def map_rating(self, entry: Any, new_path: str, location: Location) -> None:
        if not isinstance(entry, CommentedMap):
            return
        rating = entry.get("rating")
        if not isinstance(rating, str):
            return
        new = self.migration.ratings.get(rating, rating)
        if new == NOT_APPLICABLE or new in self.target.rating_rank:
            if new != rating:
                entry["rating"] = new
                self.changes.append(f"{new_path}.rating: {rating} -> {new}")
        elif rating in self.source.rating_rank:
            entry["rating"] = PLACEHOLDER
            self.lose(
                location,
                f"The rating '{rating}' is not on the scale of '{self.target.id}' and the migration "
                f"does not map it: '{new_path}' needs a rating.",
            )

    def mapped(self, rating: Any) -> Any:
        return self.migration.ratings.get(rating, rating) if isinstance(rating, str) else rating

    # -- standards

    def standards(self) -> None:
        groups = {g.id for g in self.source.spec.groups}
        found = [
            _Group(key, key, value)
            for key, value in self.doc.items()
            if key in groups and isinstance(value, CommentedMap)
        ]
        targets = {g.id for g in self.target.spec.groups}
        for group in found:
            # A group keeps its key when the target has a group of that id; otherwise it takes
            # the id of the target group its first standard goes to.
            wanted = (
                group.old
                if group.old in targets and group.old not in self.containers
                else next(
                    (
                        self.target.group_of[a.targets[0]]
                        for a in (self.actions[k] for k in group.entries if k in self.actions)
                        if a.targets
                    ),
                    None,
                )
            )
            if wanted is None or wanted in self.containers:
                continue
            if wanted != group.old and wanted in self.doc:
                continue
            if wanted != group.old:
                _rename(self.doc, group.old, wanted)
                self.changes.append(f"{group.old} -> {wanted}")
            group.name = group.target = wanted
            self.containers[wanted] = group
        for group in found:
            for key in group.entries:
                action = self.actions.get(key)
                if action and action.kind in ("rename", "merge") and action.targets[0] in self.merged:
                    self.members.setdefault(action.targets[0], []).append((group, key))
        for group in found:
            for key in list(group.entries):
                # An entry merged into an earlier one is gone by the time the loop reaches it.
                if key in self.actions and key in group.entries:
                    self.entry(group, key)
            if group.target is None and not group.entries:
                _take([(self.doc, group.name)])
                self.changes.append(f"{group.old}: removed (no standards left)")

    def insert_groups(self) -> None:
        """Groups the audit did not have go among the others, in the target's order."""
        order = [g.id for g in self.target.spec.groups]
        for group in self.pending:
            _insert_ordered(self.doc, group.name, group.entries, order)
            keys = list(self.doc)
            position = keys.index(group.name)
            # Set off like the group before it, when the file puts a blank line before groups.
            before = keys[position - 1] if position else None
            slots = self.doc.ca.items.get(before) if before in order else None
            if slots and slots[1] and any(t.value.startswith("\n") for t in slots[1]):
                _prepend_before(self.doc, group.name, "\n")
            self.changes.append(f"{group.name}: added")

    def container(self, ident: str) -> _Group:
        group = self.containers.get(ident)
        if group is None:
            existing = self.doc.get(ident)
            if isinstance(existing, CommentedMap):
                group = _Group(ident, ident, existing, ident)
            else:
                group = _Group(ident, ident, CommentedMap(), ident)
                self.pending.append(group)
            self.containers[ident] = group
        return group

    def put(self, group: _Group, key: str, new: str, value: Any, location: Location) -> bool:
        """Move the entry ``group[key]`` to ``new`` in its target group; ``False`` on a clash."""
        target_group = self.target.group_of[new]
        if group.target == target_group and key == new:
            return True
        destination = self.container(target_group)
        if destination.entries is group.entries and key == new:
            return True
        if new in destination.entries:
            taken, key_comment = _take([(self.doc, group.name), (group.entries, key)])
            lost = _what_is_lost(taken, key_comment, entry=True)
            self.lose(
                location,
                f"'{group.old}.{key}' becomes '{target_group}.{new}', which the audit already has: "
                f"{lost} would be lost.",
            )
            return False
        if destination.entries is group.entries:
            _rename(group.entries, key, new)
            return True
        value, key_comment, lead = _move_out([(self.doc, group.name), (group.entries, key)], carry=True)
        if key_comment is not None:
            destination.entries.ca.items[new] = [None, None, key_comment, None]
        order = [s.id for g in self.target.spec.groups if g.id == target_group for s in g.standards]
        _insert_ordered(destination.entries, new, value, order)
        if lead:
            _prepend_before(destination.entries, new, lead)
        return True

    def entry(self, group: _Group, key: str) -> None:
        action = self.actions[key]
        old_path = f"{group.old}.{key}"
        location = self.where(group.entries, key)
        value = group.entries[key]
        if action.kind in ("retire", "missing"):
            taken, key_comment = _take([(self.doc, group.name), (group.entries, key)])
            lost = _what_is_lost(taken, key_comment, entry=True)
            if action.kind == "retire":
                reason, why = f"is retired in '{self.target.id}'", "retired"
            else:
                reason = (
                    f"is not a standard of '{self.target.id}' and the migration does not say where it goes"
                )
                why = "not mapped"
            self.lose(location, f"'{old_path}'{self.title(self.source, key)} {reason}: {lost} would be lost.")
            self.changes.append(f"{old_path}: removed ({why})")
            return
        if action.kind == "split":
            self.split(group, key, action, location)
            return
        new = action.targets[0]
        new_path = f"{self.target.group_of[new]}.{new}"
        if new in self.merged:
            self.merge(new)
            return
        self.map_rating(value, new_path, location)
        moved = group.target != self.target.group_of[new]
        # A standard that keeps its id in a renamed group is covered by the group's own change.
        if self.put(group, key, new, value, location) and (moved or key != new):
            self.changes.append(f"{old_path} -> {new_path}")

    def merge(self, new: str) -> None:
        """Combine every entry that becomes ``new`` into one, the first time one of them comes up.

        The entry that keeps its id (if one does), else the first in the file, stays where it is
        and takes the combined rating and evidence; the others go and their comments join it.
        """
        if new in self.merged_done:
            return
        self.merged_done.add(new)
        members = self.members[new]
        group, key = next(((g, k) for g, k in members if k == new), members[0])
        location = self.where(group.entries, key)
        new_path = f"{self.target.group_of[new]}.{new}"
        entries = [g.entries[k] for g, k in members]
        combine = next(
            (self.actions[k].combine for _, k in members if self.actions[k].kind == "merge"), "worst"
        )
        rating = self.combined_rating(entries, combine, new_path, location)
        value = group.entries[key]
        if isinstance(value, CommentedMap):
            if "rating" in value:
                value["rating"] = rating
            else:
                value.insert(0, "rating", rating)
            texts = [e.get("evidence") for e in entries if isinstance(e, dict) and _filled(e.get("evidence"))]
            if len(texts) > 1:
                joined = " / ".join(" ".join(str(t).split()) for t in texts)
                if "evidence" in value:
                    value["evidence"] = joined
                else:
                    value.insert(1, "evidence", joined)
            self.merge_fields(value, [(g, k) for g, k in members if (g, k) != (group, key)], new_path)
        gone = [_take([(self.doc, g.name), (g.entries, k)]) for g, k in members if (g, k) != (group, key)]
        if self.put(group, key, new, value, location):
            holder = self.containers[self.target.group_of[new]].entries
            column = value.lc.col if isinstance(value, CommentedMap) and value.lc.col is not None else 4
            for taken, key_comment in gone:
                self.merge_comments(taken, key_comment, holder, column, new)
        olds = " + ".join(f"{g.old}.{k}" for g, k in members)
        self.changes.append(f"{olds} -> {new_path} ({combine} rating: {rating})")

    def merge_comments(
        self, taken: Any, key_comment: CommentToken | None, holder: CommentedMap, column: int, new: str
    ) -> None:
        """The comments of a merged entry that goes: on the same line of the entry that stays
        when that line has none, otherwise as whole lines after it."""
        merged = holder[new]
        placed: set[str] = set()
        if key_comment is not None and _line_comment(holder, new) is None:
            line = _first_line(key_comment)
            if line.value.strip():
                holder.ca.items.setdefault(new, [None, None, None, None])[2] = line
                placed.add(line.value.strip())
        if isinstance(taken, CommentedMap) and isinstance(merged, CommentedMap):
            for name in taken:
                token = _line_comment(taken, name)
                if token is None or _is_block(taken[name]):
                    continue
                if name in merged and not _is_block(merged[name]) and _line_comment(merged, name) is None:
                    line = _first_line(token)
                    merged.ca.items.setdefault(name, [None, None, None, None])[2] = line
                    placed.add(line.value.strip())
        left = [c for c in _comment_texts(taken, key_comment) if c not in placed]
        if left:
            _append_trailing(holder, new, "".join(f"{' ' * column}{c}\n" for c in left))

    def combined_rating(self, entries: list[Any], combine: str, new_path: str, location: Location) -> str:
        ratings = [self.mapped(e.get("rating")) if isinstance(e, dict) else None for e in entries]
        judged = [str(r) for r in ratings if r != NOT_APPLICABLE]
        if not judged:
            return NOT_APPLICABLE
        rank = self.target.rating_rank
        unknown = [r for r in judged if r not in rank]
        if not unknown:
            return (
                max(judged, key=rank.__getitem__) if combine == "worst" else min(judged, key=rank.__getitem__)
            )
        self.lose(
            location,
            f"The ratings {', '.join(repr(r) for r in unknown)} are not on the scale of "
            f"'{self.target.id}' and the migration does not map them: the merged '{new_path}' "
            "needs a rating.",
        )
        return PLACEHOLDER

    def merge_fields(self, value: CommentedMap, others: list[tuple[_Group, str]], new_path: str) -> None:
        """Other fields of merged entries: the staying entry's value wins; a different one is a loss."""
        for group, key in others:
            other = group.entries[key]
            if not isinstance(other, dict):
                continue
            for name, item in other.items():
                if name in ("rating", "evidence") or not _filled(item):
                    continue
                if not _filled(value.get(name)):
                    value[name] = item
                elif _plain(value[name]) != _plain(item):
                    self.lose(
                        self.where(other, name),
                        f"'{group.old}.{key}.{name}' is {_show(item)} but the merged '{new_path}' "
                        f"keeps {_show(value[name])}: {_show(item)} would be lost.",
                    )

    def split(self, group: _Group, key: str, action: _Action, location: Location) -> None:
        value = group.entries[key]
        rating = value.get("rating") if isinstance(value, dict) else None
        new_paths = [f"{self.target.group_of[n]}.{n}" for n in action.targets]
        first = action.targets[0]
        if action.copy_rating:
            self.map_rating(value, new_paths[0], location)
        elif isinstance(value, CommentedMap):
            value["rating"] = PLACEHOLDER
        copies: list[tuple[str, CommentedMap]] = []
        for new in action.targets[1:]:
            entry = CommentedMap()
            entry["rating"] = value.get("rating", PLACEHOLDER) if isinstance(value, dict) else PLACEHOLDER
            std = self.target.standards[new]
            if isinstance(value, dict):
                for name, item in value.items():
                    if name == "evidence" or name in std.fields:
                        entry[name] = str(item) if isinstance(item, str) else _plain(item)
            copies.append((new, entry))
        if not self.put(group, key, first, value, location):
            return
        previous = first
        for new, entry in copies:
            destination = self.container(self.target.group_of[new])
            if new in destination.entries:
                continue
            keys = list(destination.entries)
            if previous in keys and self.target.group_of[previous] == self.target.group_of[new]:
                _insert_at(destination.entries, keys.index(previous) + 1, new, entry)
            else:
                order = [s.id for s in self.target.standards.values()]
                _insert_ordered(destination.entries, new, entry, order)
            previous = new
        how = "rating copied" if action.copy_rating else f"rating {PLACEHOLDER}"
        self.changes.append(f"{group.old}.{key} -> {', '.join(new_paths)} (split, {how})")
        if not action.copy_rating:
            self.lose(
                location,
                f"'{group.old}.{key}'{self.title(self.source, key)} is split into "
                f"{_and([repr(p) for p in new_paths])} in '{self.target.id}': each needs a rating "
                f"of its own, so its rating ({_plain(rating)}) would be lost.",
            )

    def new_standards(self) -> None:
        """A standard of the target that nothing maps to gets the placeholder rating."""
        data = _plain(self.doc)
        for target_group in self.target.spec.groups:
            for std in target_group.standards:
                group = self.containers.get(target_group.id)
                if group is not None and std.id in group.entries:
                    continue
                if std.applies_when is not None and get_field(data, std.applies_when.field) != (
                    std.applies_when.equals
                ):
                    continue
                group = self.container(target_group.id)
                entry = CommentedMap()
                entry["rating"] = PLACEHOLDER
                order = [s.id for s in target_group.standards]
                _insert_ordered(group.entries, std.id, entry, order)
                path = f"{target_group.id}.{std.id}"
                known = getattr(self.doc.lc, "data", None) or {}
                location = self.where(self.doc, group.old if group.old in known else "standards")
                olds = [o for o in self.sources.get(std.id, []) if o in self.source.standards]
                if olds:
                    reason = f"the audit has no entry for {_and([repr(o) for o in olds])}"
                else:
                    reason = f"it is new in '{self.target.id}' and no old standard maps to it"
                self.lose(location, f"'{path}'{self.title(self.target, std.id)} needs a rating: {reason}.")
                self.changes.append(f"{path}: added with rating {PLACEHOLDER}")

    def required_fields(self) -> None:
        """A required key the audit lacks gets the placeholder, to be filled in."""
        case = self.doc.get("case")
        wanted: list[tuple[CommentedMap, str, str]] = []
        if isinstance(case, CommentedMap):
            wanted += [(case, "case", name) for name, f in self.target.spec.case_fields.items() if f.required]
        wanted += [(self.doc, "", name) for name, f in self.target.spec.extra_fields.items() if f.required]
        for holder, prefix, name in wanted:
            if _filled(holder.get(name)):
                continue
            path = f"{prefix}.{name}" if prefix else name
            location = self.where(self.doc, prefix) if prefix else self.where(self.doc, "standards")
            if name in holder:
                holder[name] = PLACEHOLDER
            else:
                _insert_at(holder, len(holder), name, PLACEHOLDER)
            self.lose(location, f"'{path}' is required in '{self.target.id}' audits: it needs a value.")
            self.changes.append(f"{path}: added with value {PLACEHOLDER}")

    def unknown_keys(self) -> None:
        """Remove keys the target's audits do not have and no mapping covered."""
        data = _plain(self.doc)
        try:
            audit_model(self.target).model_validate(data)
        except ValidationError as exc:
            errors = exc.errors()
        else:
            return
        for error in errors:
            if error["type"] != "extra_forbidden":
                continue
            path, exists = data_path(data, error["loc"])
            if not exists or not path:
                continue
            chain: Chain = []
            node: Any = self.doc
            for part in path:
                in_map = isinstance(node, CommentedMap) and part in node
                in_seq = isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node)
                if in_map or in_seq:
                    chain.append((node, part))
                else:
                    chain = []
                    break
                node = node[part]
            if not chain or not isinstance(chain[-1][0], CommentedMap):
                continue
            location = next(
                (self.where(h, k) for h, k in reversed(chain) if k in (getattr(h.lc, "data", None) or {})),
                Location(self.path),
            )
            dotted = format_path(path)
            value, key_comment = _take(chain)
            if _filled(value) or _comment_texts(value, key_comment):
                lost = _what_is_lost(value, key_comment, entry=False)
                self.lose(
                    location,
                    f"'{dotted}' is not a key of '{self.target.id}' audits and the migration does not "
                    f"map it: {lost} would be lost.",
                )
            self.changes.append(f"{dotted}: removed (not a key of '{self.target.id}' audits)")

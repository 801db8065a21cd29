"""A framework's migrations: which one leads from one framework to another, and is it sound.

A framework says under ``migrations:`` how audits of an older framework map onto it. Here:
:func:`find_migration` (the target's declaration, or the reverse of the source's when it only
renames), :func:`reverse_migration`, :func:`check_migration` (the ids a migration takes from the
older framework, which ``standards check`` cannot see), :func:`standard_action` (what becomes
of one old standard) and :func:`record_steps` (the record fields a migration drops and renames,
named ``records.KIND.FIELD``). Rewriting audit files with them is :mod:`qaimpact.authoring.migrate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from qaimpact.base.codes import diagnostic
from qaimpact.base.diagnose import named, sentence
from qaimpact.base.errors import UsageError
from qaimpact.base.loader import Document, LoadError, load_file
from qaimpact.frameworks.check import known_audit_path, known_record_path, places
from qaimpact.frameworks.registry import bundled_dir
from qaimpact.models.findings import Diagnostic
from qaimpact.models.standard import NOT_APPLICABLE, Framework, Migration, StandardMapping


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
                    "splits, retires or drops something, or maps two ids onto one. "
                    + declare_migration(target, source.id)
                )
            return MigrationRoute(reverse, source, index, derived=True)
    raise UsageError(
        f"There is no migration between '{source.id}' and '{target.id}': neither framework "
        "declares one. " + declare_migration(target, source.id)
    )


def declare_migration(target: Framework, source_id: str) -> str:
    """How to declare a migration into ``target``: in its standards file, or, for a framework
    that ships with qaimpact (a file inside the installed package, which an upgrade replaces),
    in a copy of it among the service's own standards."""
    declare = f"'migrations: - from: {source_id}'"
    place = Path(target.source).resolve()
    if not place.is_relative_to(bundled_dir().resolve()):
        return f"Add {declare} to {target.source}."
    return (
        f"'{target.id}' ships with qaimpact, so leave its file as it is (an upgrade replaces it): "
        f"copy {target.source} into a folder of your own standards, add {declare} to the copy, "
        "and pass that folder with --standards DIR."
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
    describe = places(doc.data)

    def unknown(path: list[Any], what: str, value: str, known: Sequence[str]) -> None:
        problems.append(
            diagnostic(
                "QA502",
                doc.locate(path, key=True),
                f"{sentence(named(path, describe))} names the {what} '{value}', which '{older.id}' "
                "does not define.",
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
            where: list[Any] = [*base, section, dotted if section == "keys" else position]
            if dotted.startswith("records."):
                if not known_record_path(older.spec, dotted):
                    problems.append(
                        diagnostic(
                            "QA502",
                            doc.locate(where, key=section == "keys"),
                            f"{sentence(named(where, describe))} names the record field '{dotted}', which "
                            f"records of '{older.id}' do not have.",
                            "Name a field of the older framework's records as records.KIND.FIELD, e.g. "
                            "records.feedback.channel.",
                        )
                    )
            elif not known_audit_path(older.spec, dotted):
                problems.append(
                    diagnostic(
                        "QA502",
                        doc.locate(where, key=section == "keys"),
                        f"{sentence(named(where, describe))} names the audit key '{dotted}', which audits of "
                        f"'{older.id}' do not have.",
                        "Name a key of the older framework's audits, e.g. case.NAME or an extra field.",
                    )
                )
    renamed: dict[str, list[str]] = {}
    for old in older.standards:
        action = standard_action(migration, declared_in, old)
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
        return load_file(Path(framework.source), kind="standards")
    except LoadError:
        # The framework was checked when it was loaded; without its file, point at the file.
        return Document(framework.source, None)


def record_steps(migration: Migration, kind: str) -> tuple[list[str], dict[str, str]]:
    """The fields a migration drops from records of ``kind``, and those it renames (old: new).

    Record fields are named ``records.KIND.FIELD`` in ``drop`` and ``keys``, beside the audits'
    dotted keys, which never start with ``records.`` once checked; a rename to another kind is
    refused by ``standards check``, so only renames within ``kind`` are returned.
    """
    prefix = f"records.{kind}."

    def field(dotted: str) -> str | None:
        name = dotted.removeprefix(prefix)
        return name if dotted.startswith(prefix) and name and "." not in name else None

    drops = [name for dotted in migration.drop if (name := field(dotted)) is not None]
    renames = {
        old: new
        for old_path, new_path in migration.keys.items()
        if (old := field(old_path)) is not None and (new := field(new_path)) is not None
    }
    return drops, renames


@dataclass(frozen=True, slots=True)
class Action:
    """What a migration does to one old standard, and to which new ones."""

    kind: Literal["rename", "merge", "split", "retire", "missing"]
    targets: tuple[str, ...] = ()
    combine: Literal["worst", "best"] = "worst"
    copy_rating: bool = False


def standard_action(migration: Migration, new: Framework, old: str) -> Action:
    """What happens to the old standard ``old``; unnamed standards keep their id."""
    mapping: StandardMapping | str | None = migration.standards.get(old)
    if mapping is None:
        return Action("rename", (old,)) if old in new.standards else Action("missing")
    if isinstance(mapping, str):
        return Action("rename", (mapping,))
    if mapping.to is not None:
        return Action("rename", (mapping.to,))
    if mapping.merge_into is not None:
        return Action("merge", (mapping.merge_into,), combine=mapping.combine)
    if mapping.split_into is not None:
        return Action("split", tuple(mapping.split_into), copy_rating=mapping.copy_rating)
    return Action("retire")

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

import io
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from qaimpact.audits.checker import AuditCheck, CheckOptions, check_text
from qaimpact.authoring.migrator import Loss, Migrator
from qaimpact.authoring.record_migrator import RecordMigrator
from qaimpact.authoring.roundtrip import disagreement, round_trip_yaml
from qaimpact.base.errors import QaImpactError, StandardsError, UsageError
from qaimpact.base.fileio import FileChanged, Snapshot, Written, read_snapshot, write_file
from qaimpact.base.loader import LoadError, load_bytes
from qaimpact.frameworks.migrations import check_migration, find_migration
from qaimpact.frameworks.registry import Registry
from qaimpact.models.standard import Framework


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
    #: The file as it was read, so that nothing is written over a change made since.
    snapshot: Snapshot | None = None
    #: The record's kind (``observation``, ...), or ``None`` for an audit.
    kind: str | None = None

    @property
    def refused(self) -> list[Loss]:
        """The losses ``--force`` does not accept (a record's): the file cannot be migrated."""
        return [loss for loss in self.losses if not loss.forceable]

    @property
    def lossless(self) -> bool:
        """True when applying the plan loses nothing."""
        return not self.losses

    @property
    def changed(self) -> bool:
        """True when the new text differs from the old."""
        return self.new_text != self.old_text


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
        loaded = load_bytes(body.encode("utf-8"), path)
    except LoadError as exc:
        found = exc.diagnostic
        raise QaImpactError(f"{found.location}: {found.message} Fix the file before migrating it.") from None
    yaml = round_trip_yaml(body)
    try:
        doc = yaml.load(body)
    except (YAMLError, ValueError) as exc:  # pragma: no cover - the loader refuses what ruamel cannot read
        raise QaImpactError(f"{path}: the file could not be read as YAML: {exc}") from None
    differs = disagreement(loaded.data, doc, loaded)
    if differs is not None:
        raise QaImpactError(f"{differs.location}: {differs.message} {differs.hint}")
    if not isinstance(doc, CommentedMap):
        raise QaImpactError(f"{path}: an audit or record must be a block of 'key: value' lines.")
    if doc.get("standards") != source.id:
        raise UsageError(f"'{path}' uses '{doc.get('standards')}', not '{source.id}'.")
    kind = doc.get("kind")
    # A record (``kind:``) is migrated as a record: never rewritten as an audit.
    make = Migrator if kind is None else RecordMigrator
    migrator = make(doc, path, source, target, route.migration)
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
        kind=None if kind is None else str(kind),
    )


def apply_migration(plan: MigrationPlan, *, force: bool) -> Written | None:
    """Write the migrated audit over the original, by the rules of
    :func:`~qaimpact.base.fileio.write_file` (atomic; permissions, owner and group kept; through a
    symbolic link).

    Raises :class:`~qaimpact.base.errors.QaImpactError` listing every loss, one per line
    (``file:line:col: message``), when the plan loses something and ``force`` is false;
    :class:`~qaimpact.base.fileio.FileChanged` when the file changed since it was read (the plan
    would overwrite that change); :class:`~qaimpact.base.fileio.ReadOnlyFile` for a read-only file
    without ``force``.
    """
    if plan.refused:
        raise QaImpactError(
            f"{plan.path} cannot be migrated from '{plan.source_id}' to '{plan.target_id}' without losing "
            "what the record holds (even with --force, a record is never cut down); it is as it was:",
            details=[str(loss) for loss in plan.refused],
        )
    if plan.losses and not force:
        raise QaImpactError(
            f"Migrating {plan.path} from '{plan.source_id}' to '{plan.target_id}' would lose "
            "information (force the migration to accept these losses):",
            details=[str(loss) for loss in plan.losses],
        )
    if not plan.changed:
        return None
    target = Path(plan.path)
    snapshot = plan.snapshot
    if snapshot is None:
        # A plan made from text in memory: compare the file with that text instead.
        try:
            current = read_snapshot(target)[0].decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QaImpactError(f"{plan.path} could not be read again before writing: {exc}") from None
        if _normal(current) != _normal(plan.old_text):
            raise FileChanged(f"{plan.path} changed since it was read; migrate it again.")
        snapshot = read_snapshot(target)[1]
    return write_file(target, plan.new_text, expected=snapshot, force=force)


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
        data, snapshot = read_snapshot(path)
        text = data.decode("utf-8")
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
    plan = plan_migration(text, str(path), frameworks[0], frameworks[1])
    plan.snapshot = snapshot
    return plan


def validate_text(text: str, path: str, registry: Registry, options: CheckOptions) -> AuditCheck:
    """Check audit text (a migrated file not yet written) exactly as ``qaimpact validate`` would."""
    return check_text(text, path, registry, options)

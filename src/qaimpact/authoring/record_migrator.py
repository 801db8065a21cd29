"""The rewrite of one parsed record (``kind:`` observation, feedback, ...) to another framework.

A record is migrated as a record, never as an audit: its ``standards:`` names the new framework,
the fields the migration drops or renames for its kind (``records.KIND.FIELD`` in ``drop`` and
``keys``) go as an audit's keys do, the standards a ``ratings`` field rates are renamed and
merged, and the points of its ``learning_links`` follow the same mapping the audits use; every
other field is kept as it is. Dropping a filled-in field is a loss ``--force`` accepts, as for an
audit: the framework says the field no longer exists. Whatever else the target cannot hold (a
kind or a field it does not declare, a retired standard, a split that needs a judgement, a
rating or choice off its scale, a rename onto a field the record already has) is a loss that
``--force`` does not accept: a record is never blanked or cut down by accident.
"""

from __future__ import annotations

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from qaimpact.authoring.migrator import Loss, Migrator, _Group, join_evidence
from qaimpact.authoring.roundtrip import (
    comment_texts,
    filled,
    line_comment,
    quoted,
    rename_key,
    take,
    what_is_lost,
)
from qaimpact.frameworks.migrations import record_steps
from qaimpact.models.listing import and_list
from qaimpact.models.location import Location
from qaimpact.models.standard import RecordKind

#: The keys every record has besides the fields its kind declares.
_OWN = ("kind", "standards", "record_id")


class RecordMigrator(Migrator):
    """Rewrites one parsed record in place; every loss it records is refused, even forced."""

    def lose(self, location: Location, message: str) -> None:
        self.losses.append(Loss(location, message, forceable=False))

    def run(self) -> None:
        kind = str(self.doc.get("kind"))
        old = self.doc["standards"]
        self.doc["standards"] = self.target.id
        self.changes.append(f"standards: {old} -> {self.target.id}")
        spec = self.target.spec.records.get(kind)
        if spec is None:
            kinds = [repr(k) for k in self.target.spec.records]
            declared = f"it declares only {and_list(kinds)}" if kinds else "it declares no records"
            self.lose(
                self.where(self.doc, "kind"),
                f"'{self.target.id}' has no records of kind '{kind}' ({declared}): "
                "the whole record would be lost. Declare the kind under 'records:' in the target "
                f"framework, or keep this record with '{self.source.id}'.",
            )
            return
        drops, renames = record_steps(self.migration, kind)
        self.drop_fields(kind, drops)
        # A field that cannot take its new name is already a loss: said once, at its line.
        stuck = self.rename_fields(kind, renames)
        for key in list(self.doc):
            if key in _OWN or key in stuck:
                continue
            field = spec.fields.get(key)
            if field is None:
                self.unknown(kind, key)
            elif field.type == "ratings":
                self.ratings(key)
            elif field.type == "learning_links":
                self.links(key)
            elif field.type == "choice":
                self.choice(kind, key, field.choice_ids)
        self.required(kind, spec)

    def drop_fields(self, kind: str, names: list[str]) -> None:
        """Remove the fields the migration drops; a filled-in one is lost unless forced, as for audits."""
        for name in names:
            if name in _OWN or name not in self.doc:
                continue
            location = self.where(self.doc, name)
            value, key_comment = take([(self.doc, name)])
            if filled(value) or comment_texts(value, key_comment):
                lost = what_is_lost(value, key_comment, entry=False)
                self.losses.append(
                    Loss(
                        location,
                        f"'records.{kind}.{name}' is dropped in '{self.target.id}': {lost} would be lost.",
                    )
                )
            self.changes.append(f"{name}: dropped")

    def rename_fields(self, kind: str, renames: dict[str, str]) -> set[str]:
        """Rename the fields the migration renames, in place, with their comments; the fields
        that could not be renamed, as the record already has their new name, are returned."""
        stuck: set[str] = set()
        for old, new in renames.items():
            if old in _OWN or new in _OWN or old == new or old not in self.doc:
                continue
            if new in self.doc:
                self.lose(
                    self.where(self.doc, old),
                    f"'{old}' becomes '{new}' in '{self.target.id}' {kind} records, which the record "
                    f"already has: {what_is_lost(self.doc[old], line_comment(self.doc, old), entry=False)} "
                    "would be lost. Keep one of the two and run again.",
                )
                stuck.add(old)
                continue
            rename_key(self.doc, old, new)
            self.changes.append(f"{old} -> {new}")
        return stuck

    def unknown(self, kind: str, key: str) -> None:
        value = self.doc[key]
        location = self.where(self.doc, key)
        key_comment = line_comment(self.doc, key)
        if filled(value) or comment_texts(value, key_comment):
            lost = what_is_lost(value, key_comment, entry=False)
            self.lose(
                location,
                f"'{key}' is not a field of '{self.target.id}' {kind} records: {lost} would be lost.",
            )
            return
        take([(self.doc, key)])
        self.changes.append(f"{key}: removed (empty, and not a field of '{self.target.id}' {kind} records)")

    def choice(self, kind: str, key: str, choices: list[str]) -> None:
        value = self.doc[key]
        if isinstance(value, str) and value not in choices:
            self.lose(
                self.where(self.doc, key),
                f"'{key}' is '{value}', which is not a choice of '{self.target.id}' {kind} records "
                f"({', '.join(choices)}): its value would be lost.",
            )

    def required(self, kind: str, spec: RecordKind) -> None:
        for name, field in spec.fields.items():
            if field.required and not filled(self.doc.get(name)):
                self.lose(
                    self.where(self.doc, "standards"),
                    f"'{name}' is required in '{self.target.id}' {kind} records and this record has "
                    "none: fill it in before migrating.",
                )

    # -- the standards a record rates, and the points its links name

    def ratings(self, key: str) -> None:
        holder = self.doc[key]
        if not isinstance(holder, CommentedMap):
            return
        group = _Group(key, key, holder, key)
        merged: dict[str, list[str]] = {}
        for old in list(holder):
            action = self.actions.get(old)
            if action is None:
                continue  # not a standard of the old framework: validate reports it
            path = f"{key}.{old}"
            location = self.where(holder, old)
            if action.kind in ("retire", "missing"):
                reason = (
                    f"is retired in '{self.target.id}'"
                    if action.kind == "retire"
                    else f"is not a standard of '{self.target.id}' and the migration does not say "
                    "where it goes"
                )
                lost = what_is_lost(holder[old], None, entry=True)
                self.lose(location, f"'{path}'{self.title(self.source, old)} {reason}: {lost} would be lost.")
                continue
            if action.kind == "split":
                paths = and_list([f"'{key}.{n}'" for n in action.targets])
                self.lose(
                    location,
                    f"'{path}'{self.title(self.source, old)} is split into {paths} in '{self.target.id}': "
                    "each needs a rating of its own, which only the observer can give: "
                    f"{what_is_lost(holder[old], None, entry=True)} would be lost.",
                )
                continue
            new = action.targets[0]
            self.map_rating(holder[old], f"{key}.{new}", location)
            merged.setdefault(new, []).append(old)
        for new, olds in merged.items():
            if len(olds) > 1:
                self.merge_ratings(group, new, olds)
            elif olds[0] != new:
                self.rename_rating(holder, key, olds[0], new)

    def rename_rating(self, holder: CommentedMap, key: str, old: str, new: str) -> None:
        if new in holder:
            self.lose(
                self.where(holder, old),
                f"'{key}.{old}' becomes '{key}.{new}', which the record already has: "
                f"{what_is_lost(holder[old], None, entry=True)} would be lost.",
            )
            return
        rename_key(holder, old, new)
        self.changes.append(f"{key}.{old} -> {key}.{new}")

    def merge_ratings(self, group: _Group, new: str, olds: list[str]) -> None:
        """Rate ``new`` by the migration's rule from every entry merged into it; join the evidence."""
        holder = group.entries
        stays = new if new in olds else olds[0]
        if new in holder and new not in olds:
            self.lose(
                self.where(holder, stays),
                f"{and_list([repr(f'{group.old}.{o}') for o in olds])} become '{group.old}.{new}', which the "
                "record already has: their ratings would be lost.",
            )
            return
        location = self.where(holder, stays)
        new_path = f"{group.old}.{new}"
        entries = [holder[o] for o in olds]
        combine = next((self.actions[o].combine for o in olds if self.actions[o].kind == "merge"), "worst")
        rating = self.combined_rating(entries, combine, new_path, location)
        value = holder[stays]
        if isinstance(value, CommentedMap):
            value["rating"] = rating
            join_evidence(value, entries)
            self.merge_fields(value, [(group, o) for o in olds if o != stays], new_path)
        column = value.lc.col if isinstance(value, CommentedMap) and value.lc.col is not None else 2
        gone = [take([(self.doc, group.name), (holder, o)]) for o in olds if o != stays]
        if stays != new:
            rename_key(holder, stays, new)
        for taken, key_comment in gone:
            self.merge_comments(taken, key_comment, holder, column, new)
        olds_text = " + ".join(f"{group.old}.{o}" for o in olds)
        self.changes.append(f"{olds_text} -> {new_path} ({combine} rating: {rating})")

    def links(self, key: str) -> None:
        items = self.doc[key]
        if not isinstance(items, CommentedSeq):
            return
        for index, item in enumerate(items):
            if not isinstance(item, CommentedMap):
                continue
            point = item.get("point")
            action = self.actions.get(point) if isinstance(point, str) else None
            if action is None:
                continue  # a learning point, not a standard: the mapping does not name it
            path = f"{key}[{index}].point"
            if action.kind in ("rename", "merge"):
                new = action.targets[0]
                if new != point:
                    item["point"] = new
                    self.changes.append(f"{path}: {point} -> {new}")
                continue
            if action.kind == "split":
                why = f"is split into {and_list([repr(t) for t in action.targets])}"
            elif action.kind == "retire":
                why = "is retired"
            else:
                why = "is not a standard and the migration does not say where it goes"
            self.lose(
                self.where(item, "point"),
                f"'{path}' is '{point}'{self.title(self.source, point)}, which {why} in '{self.target.id}': "
                f"the link to the learning of {quoted(item.get('audit'))} would be lost.",
            )

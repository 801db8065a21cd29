"""The rewrite of one parsed audit from one framework to another, recording changes and losses.

:class:`Migrator` walks the audit as ruamel.yaml parsed it (comments attached) and applies a
migration: dropped and renamed keys, mapped grades and ratings, renamed, merged, split and
retired standards, new standards and required fields. Each change is said in plain English and
each loss is located at the old key; :mod:`.migrate` plans and writes with it. The module runs
a little over 600 lines because it is one class: every step works on the same document and the
same record of changes and losses, and the steps read best in the order they run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.tokens import CommentToken

from qaimpact.authoring.roundtrip import (
    Chain,
    append_trailing,
    comment_texts,
    filled,
    first_line,
    insert_at,
    insert_ordered,
    is_block,
    line_comment,
    move_out,
    prepend_before,
    quoted,
    rename_key,
    take,
    what_is_lost,
)
from qaimpact.base.diagnose import data_path, format_path
from qaimpact.base.yaml12 import plain_value
from qaimpact.frameworks.migrations import Action, standard_action
from qaimpact.models.audit import PLACEHOLDER, audit_model, get_field
from qaimpact.models.listing import and_list
from qaimpact.models.location import Location
from qaimpact.models.standard import NOT_APPLICABLE, Framework, Migration


@dataclass(frozen=True, slots=True)
class Loss:
    """Something a migration would lose, at the position of the old key in the original file."""

    location: Location
    message: str
    #: False for a loss ``--force`` does not accept: a record is never blanked or cut down.
    forceable: bool = True

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(slots=True)
class _Group:
    """A group of standards in the audit being migrated."""

    old: str
    name: str
    entries: CommentedMap
    target: str | None = None


class Migrator:
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
        self.actions = {old: standard_action(migration, target, old) for old in source.standards}
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
            value, key_comment = take(chain)
            if filled(value) or comment_texts(value, key_comment):
                lost = what_is_lost(value, key_comment, entry=False)
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
                value, key_comment = take(chain)
                lost = what_is_lost(value, key_comment, entry=False)
                self.lose(
                    location, f"'{old}' becomes '{new}', which the audit already has: {lost} would be lost."
                )
                continue
            if destination is holder:
                rename_key(holder, key, name)
            else:
                value, key_comment, lead = move_out(chain, carry=True)
                if key_comment is not None:
                    destination.ca.items[name] = [None, None, key_comment, None]
                insert_at(destination, len(destination), name, value)
                if lead:
                    prepend_before(destination, name, lead)
            self.changes.append(f"{old} -> {new}")

    def make_path(self, parts: Sequence[str]) -> CommentedMap:
        node = self.doc
        for part in parts:
            child = node.get(part)
            if not isinstance(child, CommentedMap):
                child = CommentedMap()
                insert_at(node, len(node), part, child)
            node = child
        return node

    def grade(self) -> None:
        old_key, new_key = self.source.spec.grades.key, self.target.spec.grades.key
        if old_key != new_key and old_key in self.doc and new_key not in self.doc:
            rename_key(self.doc, old_key, new_key)
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
                rename_key(self.doc, group.old, wanted)
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
                take([(self.doc, group.name)])
                self.changes.append(f"{group.old}: removed (no standards left)")

    def insert_groups(self) -> None:
        """Groups the audit did not have go among the others, in the target's order."""
        order = [g.id for g in self.target.spec.groups]
        for group in self.pending:
            insert_ordered(self.doc, group.name, group.entries, order)
            keys = list(self.doc)
            position = keys.index(group.name)
            # Set off like the group before it, when the file puts a blank line before groups.
            before = keys[position - 1] if position else None
            slots = self.doc.ca.items.get(before) if before in order else None
            if slots and slots[1] and any(t.value.startswith("\n") for t in slots[1]):
                prepend_before(self.doc, group.name, "\n")
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
            taken, key_comment = take([(self.doc, group.name), (group.entries, key)])
            lost = what_is_lost(taken, key_comment, entry=True)
            self.lose(
                location,
                f"'{group.old}.{key}' becomes '{target_group}.{new}', which the audit already has: "
                f"{lost} would be lost.",
            )
            return False
        if destination.entries is group.entries:
            rename_key(group.entries, key, new)
            return True
        value, key_comment, lead = move_out([(self.doc, group.name), (group.entries, key)], carry=True)
        if key_comment is not None:
            destination.entries.ca.items[new] = [None, None, key_comment, None]
        order = [s.id for g in self.target.spec.groups if g.id == target_group for s in g.standards]
        insert_ordered(destination.entries, new, value, order)
        if lead:
            prepend_before(destination.entries, new, lead)
        return True

    def entry(self, group: _Group, key: str) -> None:
        action = self.actions[key]
        old_path = f"{group.old}.{key}"
        location = self.where(group.entries, key)
        value = group.entries[key]
        if action.kind in ("retire", "missing"):
            taken, key_comment = take([(self.doc, group.name), (group.entries, key)])
            lost = what_is_lost(taken, key_comment, entry=True)
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
            join_evidence(value, entries)
            self.merge_fields(value, [(g, k) for g, k in members if (g, k) != (group, key)], new_path)
        gone = [take([(self.doc, g.name), (g.entries, k)]) for g, k in members if (g, k) != (group, key)]
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
        if key_comment is not None and line_comment(holder, new) is None:
            line = first_line(key_comment)
            if line.value.strip():
                holder.ca.items.setdefault(new, [None, None, None, None])[2] = line
                placed.add(line.value.strip())
        if isinstance(taken, CommentedMap) and isinstance(merged, CommentedMap):
            for name in taken:
                token = line_comment(taken, name)
                if token is None or is_block(taken[name]):
                    continue
                if name in merged and not is_block(merged[name]) and line_comment(merged, name) is None:
                    line = first_line(token)
                    merged.ca.items.setdefault(name, [None, None, None, None])[2] = line
                    placed.add(line.value.strip())
        left = [c for c in comment_texts(taken, key_comment) if c not in placed]
        if left:
            append_trailing(holder, new, "".join(f"{' ' * column}{c}\n" for c in left))

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
                if name in ("rating", "evidence") or not filled(item):
                    continue
                if not filled(value.get(name)):
                    value[name] = item
                elif plain_value(value[name]) != plain_value(item):
                    self.lose(
                        self.where(other, name),
                        f"'{group.old}.{key}.{name}' is {quoted(item)} but the merged '{new_path}' "
                        f"keeps {quoted(value[name])}: {quoted(item)} would be lost.",
                    )

    def split(self, group: _Group, key: str, action: Action, location: Location) -> None:
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
                        entry[name] = str(item) if isinstance(item, str) else plain_value(item)
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
                insert_at(destination.entries, keys.index(previous) + 1, new, entry)
            else:
                order = [s.id for s in self.target.standards.values()]
                insert_ordered(destination.entries, new, entry, order)
            previous = new
        how = "rating copied" if action.copy_rating else f"rating {PLACEHOLDER}"
        self.changes.append(f"{group.old}.{key} -> {', '.join(new_paths)} (split, {how})")
        if not action.copy_rating:
            self.lose(
                location,
                f"'{group.old}.{key}'{self.title(self.source, key)} is split into "
                f"{and_list([repr(p) for p in new_paths])} in '{self.target.id}': each needs a rating "
                f"of its own, so its rating ({plain_value(rating)}) would be lost.",
            )

    def new_standards(self) -> None:
        """A standard of the target that nothing maps to gets the placeholder rating."""
        data = plain_value(self.doc)
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
                insert_ordered(group.entries, std.id, entry, order)
                path = f"{target_group.id}.{std.id}"
                known = getattr(self.doc.lc, "data", None) or {}
                location = self.where(self.doc, group.old if group.old in known else "standards")
                olds = [o for o in self.sources.get(std.id, []) if o in self.source.standards]
                if olds:
                    reason = f"the audit has no entry for {and_list([repr(o) for o in olds])}"
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
            if filled(holder.get(name)):
                continue
            path = f"{prefix}.{name}" if prefix else name
            location = self.where(self.doc, prefix) if prefix else self.where(self.doc, "standards")
            if name in holder:
                holder[name] = PLACEHOLDER
            else:
                insert_at(holder, len(holder), name, PLACEHOLDER)
            self.lose(location, f"'{path}' is required in '{self.target.id}' audits: it needs a value.")
            self.changes.append(f"{path}: added with value {PLACEHOLDER}")

    def unknown_keys(self) -> None:
        """Remove keys the target's audits do not have and no mapping covered."""
        data = plain_value(self.doc)
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
            value, key_comment = take(chain)
            if filled(value) or comment_texts(value, key_comment):
                lost = what_is_lost(value, key_comment, entry=False)
                self.lose(
                    location,
                    f"'{dotted}' is not a key of '{self.target.id}' audits and the migration does not "
                    f"map it: {lost} would be lost.",
                )
            self.changes.append(f"{dotted}: removed (not a key of '{self.target.id}' audits)")


def join_evidence(value: CommentedMap, entries: list[Any]) -> None:
    """Give a merged standard the evidence of every standard merged into it, each once, in order,
    joined with " / ": a merge keeps what each auditor wrote, not only the first."""
    texts = [e.get("evidence") for e in entries if isinstance(e, dict) and filled(e.get("evidence"))]
    if len(texts) > 1:
        joined = " / ".join(" ".join(str(t).split()) for t in texts)
        if "evidence" in value:
            value["evidence"] = joined
        else:
            value.insert(1, "evidence", joined)

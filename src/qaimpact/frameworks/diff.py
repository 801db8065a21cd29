"""What changed between two frameworks (usually two versions of one), as plain data.

Standards are matched by id, or through the migration one of the two frameworks declares from
the other: a rename pairs an old standard with its new one (and their texts are compared), a
merge or a split is reported as such rather than as standards removed and added. Values are
JSON values throughout, so :meth:`FrameworkDiff.to_dict` is ready for ``json.dumps`` and
:meth:`FrameworkDiff.from_dict` reads it back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

from qaimpact.models.standard import Framework, Level, Migration, StandardSpec, ThresholdRule


@dataclass(frozen=True, slots=True)
class Change:
    """One value that differs: what it is (a dotted name), its old and its new value."""

    what: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class Rename:
    """An id that became another."""

    old: str
    new: str


@dataclass(slots=True)
class IdChanges:
    """Ids added, removed and renamed in a list of things, and other changes to them."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[Rename] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (self.added or self.removed or self.renamed or self.changed)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IdChanges:
        """Read back :func:`dataclasses.asdict` output."""
        return cls(
            list(data["added"]),
            list(data["removed"]),
            [Rename(**r) for r in data["renamed"]],
            [Change(**c) for c in data["changed"]],
        )


@dataclass(frozen=True, slots=True)
class Merge:
    """Old standards combined into one (their ratings by ``combine``)."""

    old: list[str]
    new: str
    combine: str


@dataclass(frozen=True, slots=True)
class Split:
    """An old standard divided into several."""

    old: str
    new: list[str]
    copy_rating: bool


@dataclass(slots=True)
class StandardChanges:
    """How one standard present in both frameworks changed (``old_id`` differs when renamed)."""

    id: str
    old_id: str
    changes: list[Change] = field(default_factory=list)


@dataclass(slots=True)
class FrameworkDiff:
    """Everything that differs from framework ``a`` to framework ``b``."""

    a: str
    b: str
    #: Where renames, merges and splits come from: "b from a", "a from b" (reversed) or "".
    migration: str = ""
    metadata: list[Change] = field(default_factory=list)
    grades: IdChanges = field(default_factory=IdChanges)
    ratings: IdChanges = field(default_factory=IdChanges)
    groups: IdChanges = field(default_factory=IdChanges)
    standards: IdChanges = field(default_factory=IdChanges)
    merged: list[Merge] = field(default_factory=list)
    split: list[Split] = field(default_factory=list)
    changed_standards: list[StandardChanges] = field(default_factory=list)
    case_fields: IdChanges = field(default_factory=IdChanges)
    extra_fields: IdChanges = field(default_factory=IdChanges)
    domains: IdChanges = field(default_factory=IdChanges)
    indicators: IdChanges = field(default_factory=IdChanges)
    learning_areas: IdChanges = field(default_factory=IdChanges)
    learning_points: IdChanges = field(default_factory=IdChanges)
    added_value: IdChanges = field(default_factory=IdChanges)
    audit_types: IdChanges = field(default_factory=IdChanges)
    thresholds: list[Change] = field(default_factory=list)

    _ID_CHANGES: ClassVar[tuple[str, ...]] = (
        "grades",
        "ratings",
        "groups",
        "standards",
        "case_fields",
        "extra_fields",
        "domains",
        "indicators",
        "learning_areas",
        "learning_points",
        "added_value",
        "audit_types",
    )

    @property
    def empty(self) -> bool:
        """True when the two frameworks are the same in every compared respect."""
        return not (
            self.metadata or self.merged or self.split or self.changed_standards or self.thresholds
        ) and all(getattr(self, name).empty for name in self._ID_CHANGES)

    def to_dict(self) -> dict[str, Any]:
        """The diff as JSON-ready data (lists, dicts, strings, numbers, booleans and null)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FrameworkDiff:
        """Read back :meth:`to_dict` output (for example after a JSON round trip)."""
        return cls(
            a=data["a"],
            b=data["b"],
            migration=data["migration"],
            metadata=[Change(**c) for c in data["metadata"]],
            merged=[Merge(**m) for m in data["merged"]],
            split=[Split(**s) for s in data["split"]],
            changed_standards=[
                StandardChanges(s["id"], s["old_id"], [Change(**c) for c in s["changes"]])
                for s in data["changed_standards"]
            ],
            thresholds=[Change(**c) for c in data["thresholds"]],
            **{name: IdChanges.from_dict(data[name]) for name in cls._ID_CHANGES},
        )


# -- Comparing ---------------------------------------------------------------------------------


def _ids(a: list[str], b: list[str], renamed: list[Rename] | None = None) -> IdChanges:
    """Added and removed ids, in each framework's order; renamed ids count as neither."""
    renamed = renamed or []
    old = {r.old for r in renamed}
    new = {r.new for r in renamed}
    return IdChanges(
        added=[i for i in b if i not in a and i not in new],
        removed=[i for i in a if i not in b and i not in old],
        renamed=list(renamed),
    )


def _scale(a: list[Level], b: list[Level], mapping: dict[str, str], what: str) -> IdChanges:
    a_ids, b_ids = [x.id for x in a], [x.id for x in b]
    renamed = [
        Rename(old, new) for old, new in mapping.items() if old in a_ids and new in b_ids and old != new
    ]
    renamed = [r for r in renamed if r.old not in b_ids and r.new not in a_ids]
    result = _ids(a_ids, b_ids, renamed)
    pairs = {r.old: r.new for r in renamed}
    by_id = {x.id: x for x in b}
    for level in a:
        other = by_id.get(pairs.get(level.id, level.id))
        if other is None:
            continue
        for attribute in ("label", "descriptor"):
            old, new = getattr(level, attribute), getattr(other, attribute)
            if old != new:
                result.changed.append(Change(f"{other.id}.{attribute}", old, new))
    order_a = [pairs.get(i, i) for i in a_ids if pairs.get(i, i) in b_ids]
    order_b = [i for i in b_ids if i in order_a]
    if order_a != order_b:
        result.changed.append(Change(f"{what} order", order_a, order_b))
    return result


@dataclass(slots=True)
class _Correspondence:
    """Which standards of ``a`` became which of ``b``, from a declared migration."""

    source: str = ""
    renames: dict[str, str] = field(default_factory=dict)
    merges: list[Merge] = field(default_factory=list)
    splits: list[Split] = field(default_factory=list)
    ratings: dict[str, str] = field(default_factory=dict)
    grades: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)


def _forward(migration: Migration, source: str) -> _Correspondence:
    found = _Correspondence(
        source, ratings=dict(migration.ratings), grades=dict(migration.grades), keys=dict(migration.keys)
    )
    merges: dict[str, Merge] = {}
    for old, mapping in migration.standards.items():
        if isinstance(mapping, str):
            found.renames[old] = mapping
        elif mapping.to is not None:
            found.renames[old] = mapping.to
        elif mapping.merge_into is not None:
            merge = merges.setdefault(mapping.merge_into, Merge([], mapping.merge_into, mapping.combine))
            merge.old.append(old)
        elif mapping.split_into is not None:
            found.splits.append(Split(old, list(mapping.split_into), mapping.copy_rating))
    found.merges = list(merges.values())
    return found


def _backward(migration: Migration, source: str) -> _Correspondence:
    """A migration from ``b`` to ``a`` read the other way: its merges are splits, and so on."""
    there = _forward(migration, source)
    return _Correspondence(
        source,
        renames={new: old for old, new in there.renames.items()},
        merges=[Merge(list(s.new), s.old, "worst") for s in there.splits],
        splits=[Split(m.new, list(m.old), copy_rating=False) for m in there.merges],
        ratings={new: old for old, new in there.ratings.items()},
        grades={new: old for old, new in there.grades.items()},
        keys={new: old for old, new in there.keys.items()},
    )


def _correspondence(a: Framework, b: Framework) -> _Correspondence:
    for migration in b.spec.migrations:
        if migration.from_ == a.id:
            return _forward(migration, "b from a")
    for migration in a.spec.migrations:
        if migration.from_ == b.id:
            return _backward(migration, "a from b")
    return _Correspondence()


def _standard(old: StandardSpec, new: StandardSpec, old_group: str, new_group: str) -> list[Change]:
    changes: list[Change] = []
    before = old.model_dump(mode="json", exclude={"id"})
    after = new.model_dump(mode="json", exclude={"id"})
    for name in before:
        if name == "descriptors":
            for rating in [*before[name], *(r for r in after[name] if r not in before[name])]:
                old_text, new_text = before[name].get(rating), after[name].get(rating)
                if old_text != new_text:
                    changes.append(Change(f"descriptors.{rating}", old_text, new_text))
        elif before[name] != after[name]:
            changes.append(Change(name, before[name], after[name]))
    if old_group != new_group:
        changes.append(Change("group", old_group, new_group))
    return changes


def _translate(value: Any, link: _Correspondence, groups: dict[str, str]) -> Any:
    """A condition of ``a`` written with ``b``'s ids, so that a rename alone is not a change."""
    if isinstance(value, list):
        return [_translate(v, link, groups) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in ("rated", "rated_at_least", "rated_at_most") and isinstance(item, str):
            out[key] = link.ratings.get(item, item)
        elif key == "rated_in" and isinstance(item, list):
            out[key] = [link.ratings.get(r, r) for r in item]
        elif key == "standards" and isinstance(item, list):
            out[key] = [link.renames.get(i, groups.get(i, i)) for i in item]
        else:
            out[key] = _translate(item, link, groups)
    return out


def _rules(
    a: list[ThresholdRule], b: list[ThresholdRule], link: _Correspondence, groups: dict[str, str]
) -> list[Change]:
    changes: list[Change] = []
    # Grades are compared under their new ids: a renamed grade alone changes no rule.
    grade = {r.grade: link.grades.get(r.grade, r.grade) for r in a}
    order_a, order_b = [grade[r.grade] for r in a], [r.grade for r in b]
    if order_a != order_b:
        changes.append(Change("grade order", [r.grade for r in a], order_b))
    # Rules are paired by grade: the first rule for a grade in a with the first in b, and so on.
    seen: dict[str, int] = {}
    for rule in a:
        new_grade = grade[rule.grade]
        nth = seen[new_grade] = seen.get(new_grade, 0) + 1
        others = [r for r in b if r.grade == new_grade]
        if len(others) < nth:
            continue
        other = others[nth - 1]
        name = new_grade if nth == 1 else f"{new_grade}[{nth}]"
        if rule.summary != other.summary:
            changes.append(Change(f"{name}.summary", rule.summary, other.summary))
        old_when = rule.model_dump(mode="json", by_alias=True, exclude_none=True).get("when")
        new_when = other.model_dump(mode="json", by_alias=True, exclude_none=True).get("when")
        if _translate(old_when, link, groups) != new_when or rule.otherwise != other.otherwise:
            changes.append(Change(f"{name}.when", old_when, new_when))
    return changes


def _group_renames(a: Framework, b: Framework, standard_in_b: dict[str, str]) -> list[Rename]:
    """Groups that became another group with exactly the same standards."""
    b_groups = {g.id: {s.id for s in g.standards} for g in b.spec.groups}
    a_ids = {g.id for g in a.spec.groups}
    renames: list[Rename] = []
    for group in a.spec.groups:
        if group.id in b_groups:
            continue
        members = {standard_in_b.get(s.id, s.id) for s in group.standards}
        match = next((g for g, ids in b_groups.items() if ids == members and g not in a_ids), None)
        if match is not None:
            renames.append(Rename(group.id, match))
    return renames


def diff_frameworks(a: Framework, b: Framework) -> FrameworkDiff:
    """Everything that changed from framework ``a`` to framework ``b``.

    Renames, merges and splits are known from the migration ``b`` declares from ``a`` or, failing
    that, from the one ``a`` declares from ``b`` (read backwards); without either, a renamed
    standard shows as one removed and one added.
    """
    sa, sb = a.spec, b.spec
    link = _correspondence(a, b)
    diff = FrameworkDiff(a.id, b.id, link.source)
    for name in ("id", "version", "title"):
        if getattr(sa, name) != getattr(sb, name):
            diff.metadata.append(Change(name, getattr(sa, name), getattr(sb, name)))

    diff.grades = _scale(sa.grades.scale, sb.grades.scale, link.grades, "grade")
    for name in ("key", "good_or_better"):
        old, new = getattr(sa.grades, name), getattr(sb.grades, name)
        if name == "good_or_better":
            old = link.grades.get(old, old)
        if old != new:
            diff.grades.changed.append(Change(name, getattr(sa.grades, name), new))
    diff.ratings = _scale(sa.ratings, sb.ratings, link.ratings, "rating")

    renames = [
        Rename(old, new)
        for old, new in link.renames.items()
        if old in a.standards and new in b.standards and old != new
    ]
    diff.standards = _ids(list(a.standards), list(b.standards), renames)
    diff.merged = [m for m in link.merges if m.new in b.standards and set(m.old) <= set(a.standards)]
    diff.split = [s for s in link.splits if s.old in a.standards and set(s.new) <= set(b.standards)]
    explained_old = {o for m in diff.merged for o in m.old} | {s.old for s in diff.split}
    explained_new = {m.new for m in diff.merged} | {n for s in diff.split for n in s.new}
    # A merge into a standard that also existed before keeps that standard: compare it below.
    diff.standards.removed = [i for i in diff.standards.removed if i not in explained_old]
    diff.standards.added = [i for i in diff.standards.added if i not in explained_new]

    pairs = {r.old: r.new for r in renames}
    group_renames = _group_renames(a, b, pairs)
    diff.groups = _ids([g.id for g in sa.groups], [g.id for g in sb.groups], group_renames)
    renamed_group = {r.old: r.new for r in group_renames}
    b_groups = {g.id: g for g in sb.groups}
    for group in sa.groups:
        counterpart = b_groups.get(renamed_group.get(group.id, group.id))
        if counterpart is None:
            continue
        for attribute in ("title", "description"):
            old, new = getattr(group, attribute), getattr(counterpart, attribute)
            if old != new:
                diff.groups.changed.append(Change(f"{counterpart.id}.{attribute}", old, new))

    for old_id, spec in a.standards.items():
        new_id = pairs.get(old_id, old_id)
        other = b.standards.get(new_id)
        if other is None or (old_id in explained_old and new_id not in explained_new):
            continue
        old_group = a.group_of[old_id]
        changes = _standard(spec, other, renamed_group.get(old_group, old_group), b.group_of[new_id])
        if changes:
            diff.changed_standards.append(StandardChanges(new_id, old_id, changes))

    case_renames = [
        Rename(old[5:], new[5:])
        for old, new in link.keys.items()
        if old.startswith("case.")
        and new.startswith("case.")
        and old[5:] in sa.case_fields
        and new[5:] in sb.case_fields
    ]
    diff.case_fields = _ids(list(sa.case_fields), list(sb.case_fields), case_renames)
    extra_renames = [
        Rename(old, new)
        for old, new in link.keys.items()
        if old in sa.extra_fields and new in sb.extra_fields
    ]
    diff.extra_fields = _ids(list(sa.extra_fields), list(sb.extra_fields), extra_renames)
    diff.domains = _ids([d.id for d in sa.domains or []], [d.id for d in sb.domains or []])
    diff.indicators = _ids(
        [f"{d.id}.{i.id}" for d in sa.domains or [] for i in d.indicators],
        [f"{d.id}.{i.id}" for d in sb.domains or [] for i in d.indicators],
    )
    areas_a = sa.learning.areas if sa.learning else []
    areas_b = sb.learning.areas if sb.learning else []
    diff.learning_areas = _ids([x.id for x in areas_a], [x.id for x in areas_b])
    diff.learning_points = _ids(
        [f"{x.id}.{p.id}" for x in areas_a for p in x.points],
        [f"{x.id}.{p.id}" for x in areas_b for p in x.points],
    )
    diff.added_value = _ids(
        [c.id for c in (sa.added_value.categories if sa.added_value else [])],
        [c.id for c in (sb.added_value.categories if sb.added_value else [])],
    )
    diff.audit_types = _ids([t.id for t in sa.audit_types or []], [t.id for t in sb.audit_types or []])
    diff.thresholds = _rules(sa.thresholds, sb.thresholds, link, renamed_group)
    return diff

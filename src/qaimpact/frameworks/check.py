"""Check a standards file: its shape, unique ids, and every reference in its rules.

:func:`check_file` and :func:`check_document` return the framework (``None`` when the file has
errors) and every diagnostic, located in the standards file; ``qaimpact standards check`` prints
them and the registry keeps them. :func:`known_audit_path` says whether a dotted path names a key
of a framework's audits, :func:`known_record_path` a field of one of its records. A new
standards section gets its reference checks here.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from qaimpact.base.codes import cap_findings, diagnostic
from qaimpact.base.diagnose import (
    ITEM_NAMES,
    Describe,
    format_path,
    list_item,
    named,
    pydantic_findings,
    sentence,
    suggest,
)
from qaimpact.base.escaping import clip
from qaimpact.base.loader import Document, LoadError, load_file
from qaimpact.grading import coverage as analysis
from qaimpact.models.audit import (
    AuditKey,
    audit_keys,
    audit_model,
    person_key,
    reserved_keys,
    resolve_field,
    show_value,
    taken_name,
)
from qaimpact.models.findings import Diagnostic
from qaimpact.models.kinds import NAMING_KEYS, RECORD_KEYS, record_model
from qaimpact.models.listing import and_list
from qaimpact.models.location import Location
from qaimpact.models.standard import (
    NOT_APPLICABLE,
    AllOf,
    AnyOf,
    Applicability,
    Comparison,
    Condition,
    EscalationRule,
    FieldCondition,
    FieldSpec,
    Framework,
    Not,
    RatingCondition,
    StandardMapping,
    StandardsFile,
    StandardSpec,
    humanise,
)


def check_document(doc: Document) -> tuple[Framework | None, list[Diagnostic]]:
    """Validate a parsed standards file: its shape, then every id and reference in it.

    The findings are in file order, at most :data:`~qaimpact.base.codes.MAX_FINDINGS` of them and
    a closing QA113 that counts the rest.
    """
    framework, problems, uncounted = _check_document(doc)
    return framework, cap_findings(problems, uncounted_errors=uncounted)[0]


def _check_document(doc: Document) -> tuple[Framework | None, list[Diagnostic], int]:
    if not isinstance(doc.data, dict):
        return (
            None,
            [
                diagnostic(
                    "QA104",
                    doc.locate([]),
                    "A standards file must be a block of 'key: value' lines at the top level.",
                    "Start from one of the bundled files (qaimpact standards list shows where).",
                )
            ],
            0,
        )
    meant = _audit_or_record(doc.data)
    if meant is not None and "format" not in doc.data:
        # Thirty "missing key" and "unknown key" errors would say nothing an auditor can act on.
        return None, [_not_a_standards_file(doc, meant)], 0
    try:
        spec = StandardsFile.model_validate(doc.data)
    except ValidationError as exc:
        found, uncounted = pydantic_findings(
            exc, doc, StandardsFile, places(doc.data), subject="The standards file"
        )
        return None, found, uncounted
    framework = Framework(spec, doc.path)
    problems = list(_ReferenceChecker(framework, doc).run())
    if any(d.is_error for d in problems):
        return None, problems, 0
    problems += _thresholds(framework, doc)
    if any(d.is_error for d in problems):
        return None, problems, 0
    built = _model_problem(framework, doc)
    if built is not None:
        return None, [*problems, built], 0
    return framework, problems, 0


#: How messages name an item of a standards file's own lists, by the list's path (``{n}`` counts
#: from 1): ``threshold rule 3``, as QA508 says it, not ``thresholds[2]``. An item of a list
#: inside another item is named as :func:`~qaimpact.base.diagnose.list_item` names it
#: (``standard 2 ('plan') of group 1 ('safety')``).
ITEM_WORDS: dict[tuple[str, ...], str] = {
    ("groups",): "group {n}",
    ("ratings",): "rating {n}",
    ("grades", "scale"): "grade {n}",
    ("thresholds",): "threshold rule {n}",
    ("escalations",): "escalation rule {n}",
    ("domains",): "domain {n}",
    ("learning", "areas"): "learning area {n}",
    ("added_value", "categories"): "added-value category {n}",
    ("audit_types",): "audit type {n}",
    ("themes",): "theme {n}",
    ("migrations",): "migration {n}",
    ("agreements",): "agreement {n}",
}


#: The names for one item of a list inside a condition: its ``standards`` are groups or standards.
_CONDITION_NAMES = {key: name for key, name in ITEM_NAMES.items() if key != "standards"}


def places(data: Any) -> Describe:
    """Words for the items of a standards file's lists, for messages to those who write the file:
    ``standard 2 ('plan') of group 1 ('safety')`` for ``groups[0].standards[1]``, with the item's
    id where it has one, as that is how its writer finds it. Other places have no words (their
    keys are quoted)."""

    def describe(path: Sequence[Any]) -> str | None:
        if not path or not isinstance(path[-1], int):
            return None
        node = data
        for part in path:
            ok = (isinstance(node, dict) and part in node) or (
                isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
            )
            node = node[part] if ok else None
        ident = node.get("id") if isinstance(node, dict) else None
        ident = ident if isinstance(ident, str) and ident.strip() else None
        words = ITEM_WORDS.get(tuple(str(p) for p in path[:-1]))
        if words is None:
            # A condition's `standards:` lists groups and standards alike: its items have no name.
            of_condition = path[-2] == "standards" and (len(path) < 4 or path[-4] not in ("groups", "points"))
            return list_item(path, describe, ident, _CONDITION_NAMES if of_condition else ITEM_NAMES)
        return words.format(n=path[-1] + 1) + (f" ('{clip(ident)}')" if ident else "")

    return describe


def _many(count: int) -> str:
    """A count as a reader takes it in: a number of 800 digits is no use to anyone."""
    return f"{count:,}" if count < 10**12 else "more than a trillion"


def _too_many(result: analysis.Coverage) -> tuple[str, str]:
    """Why the threshold rules were not checked, and what would let them be, for QA510."""
    if result.kinds == 0:
        tried, each, limit = (
            f"the fields they read can be filled in {_many(result.fillings)} ways",
            "way",
            "tries",
        )
        hint = "Rules that read fewer fields of the audit leave fewer ways to try."
    else:
        tried, each, limit = f"they tell apart {_many(result.kinds)} kinds of audit", "kind", "grades"
        hint = (
            "Rules that name groups, or all standards, rather than single standards tell fewer kinds apart."
        )
    count = result.kinds or result.fillings
    if count <= analysis.MAX_KINDS:
        return (
            f"{tried}, and the rules hold {result.conditions:,} conditions: grading every {each} "
            f"would evaluate {count * result.conditions:,} conditions, more than the "
            f"{analysis.MAX_CONDITIONS:,} the check evaluates.",
            "Shorter rules, naming fewer values, take less to check.",
        )
    return f"{tried}, more than the {analysis.MAX_KINDS:,} the check {limit}.", hint


def _thresholds(framework: Framework, doc: Document) -> list[Diagnostic]:
    """A grade no threshold rule gives (QA509), a rule that can never decide a grade (QA508), and
    an audit that no rule grades (QA503), found by grading every kind of audit the rules can tell
    apart (:mod:`qaimpact.grading.coverage`): only what is certain is reported."""
    spec = framework.spec
    labels = framework.grade_labels
    found: list[Diagnostic] = []
    named = {rule.grade for rule in spec.thresholds}
    for i, grade in enumerate(spec.grades.scale):
        if grade.id not in named:
            found.append(
                diagnostic(
                    "QA509",
                    doc.locate(["grades", "scale", i, "id"]),
                    f"No threshold rule gives the grade '{grade.id}' ({grade.label}), so no audit "
                    "can be graded it.",
                    f"Add a threshold rule with 'grade: {grade.id}', or remove the grade from the scale.",
                )
            )
    result = analysis.coverage(framework)
    if not result.decided:
        why, hint = _too_many(result)
        found.append(
            diagnostic(
                "QA510",
                doc.locate(["thresholds"], key=True),
                "The threshold rules were not checked for audits no rule grades (QA503) or rules "
                f"that never decide a grade (QA508): {why}",
                f"Check the rules by grading sample audits (qaimpact grade). {hint}",
            )
        )
        return found
    rules = spec.thresholds

    def name(index: int) -> str:
        return f"rule {index + 1} ({labels[rules[index].grade]})"

    for index, rule in enumerate(rules):
        if rule.otherwise or not result.never_applies(index):
            continue
        earlier = sorted(result.winners[index])
        if not earlier:
            why = "its condition holds for no audit"
            fix = "Check its condition: no audit's ratings can meet it."
        elif rules[earlier[0]].otherwise:
            why = f"{name(earlier[0])}, with 'otherwise: true', decides every audit that reaches it"
            fix = f"Move it above {name(earlier[0])}, or remove it."
        else:
            words = and_list([name(e) for e in earlier])
            why = f"whenever it holds, {words} {'holds' if len(earlier) == 1 else 'hold'} first"
            fix = f"Move it above {words}, as the first rule that holds decides, or change the conditions."
        others = any(
            other.grade == rule.grade and not result.never_applies(k)
            for k, other in enumerate(rules)
            if k != index
        )
        then = "" if others else f", so no audit can be graded {labels[rule.grade]}"
        found.append(
            diagnostic(
                "QA508",
                doc.locate(["thresholds", index]),
                f"Threshold {name(index)} can never decide a grade: {why}{then}.",
                fix,
            )
        )
    for i, grade in enumerate(spec.grades.scale):
        # A grade only rules with 'otherwise: true' give, where none of them is ever reached:
        # no QA508 says so (such a rule is a safety net), so QA509 does.
        giving = [k for k, rule in enumerate(rules) if rule.grade == grade.id]
        if giving and all(rules[k].otherwise and result.never_applies(k) for k in giving):
            them = and_list([str(k + 1) for k in giving])
            which = f"rule {them}" if len(giving) == 1 else f"rules {them}"
            found.append(
                diagnostic(
                    "QA509",
                    doc.locate(["grades", "scale", i, "id"]),
                    f"No audit can be graded '{grade.id}' ({grade.label}): only threshold {which}, "
                    f"with 'otherwise: true', {'gives' if len(giving) == 1 else 'give'} it, and the "
                    "rules above grade every audit first.",
                    "Check the rules above: one may hold for more audits than meant. Or remove the "
                    "grade from the scale, with its rule.",
                )
            )
    if result.gap is not None:
        found.append(
            diagnostic(
                "QA503",
                doc.locate(["thresholds"], key=True),
                f"No threshold rule holds for {analysis.describe(framework, result.gap)}, so no grade can "
                "be computed for it.",
                "Add a threshold rule for it, or make the last rule apply to every audit "
                "('otherwise: true').",
            )
        )
    return found


def _model_problem(framework: Framework, doc: Document) -> Diagnostic | None:
    """A finding if the audit model cannot be built from a file that passed every check.

    The checks above are meant to refuse every file whose audits could not be read; this is the
    backstop that a framework passing ``standards check`` works: building its audit model must
    succeed without pydantic so much as warning.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            audit_model(framework)
            for kind in framework.spec.records:
                record_model(framework, kind)
    except Exception as exc:
        return diagnostic(
            "QA506",
            doc.locate([]),
            "Audits of this framework cannot be read, although the file passed every other check "
            f"({clip(str(exc))}).",
            "Rename the group, standard or field the message names, and please report the file: "
            "qaimpact should have said which name it cannot use.",
        )
    return None


def _audit_or_record(data: dict[Any, Any]) -> tuple[str, str] | None:
    """What the file names itself, and the key that says so: ``a practice record`` (it has a
    ``record_id:``) or ``an audit`` (``standards:`` or ``audit_id:``); None for neither, as a
    standards file has none of those keys (:data:`~qaimpact.models.kinds.NAMING_KEYS`)."""
    key = next((k for k in NAMING_KEYS if k in data), None)
    return None if key is None else (NAMING_KEYS[key], key)


def _not_a_standards_file(doc: Document, named: tuple[str, str]) -> Diagnostic:
    """QA202 for an audit or a record given as a standards file: it lacks ``format:``, and the
    hint says which command checks it."""
    meant, key = named
    return diagnostic(
        "QA202",
        doc.locate([key], key=True),
        f"The standards file is missing 'format': this file is {meant} (it has '{key}:'), "
        "not a standards file.",
        f"Check {meant} with `qaimpact validate {doc.path}`. `qaimpact standards check` checks the "
        "framework files (such as standards/*.yaml) that audits are recorded against.",
    )


def check_file(path: Path) -> tuple[Framework | None, list[Diagnostic]]:
    """Load and validate one standards file."""
    try:
        doc = load_file(path, kind="standards")
    except LoadError as exc:
        return None, [exc.diagnostic]
    return check_document(doc)


def known_audit_path(spec: StandardsFile, dotted: str) -> bool:
    """Whether audits of this framework can have the key at a dotted path (``case.team``).

    Migrations rename and drop keys by dotted path; this says whether such a path names a key
    of this framework's audits: a case field, an extra field (and the ends of a date range), a
    group, a standard's entry or one of its fields, or a key of an optional section.
    """
    parts = dotted.split(".")
    if not all(parts):
        return False
    head, rest = parts[0], parts[1:]
    groups = {g.id: g for g in spec.groups}
    if head == "case":
        return len(rest) == 1 and rest[0] in spec.case_fields
    if head == "characteristics":
        return not rest or (len(rest) == 1 and rest[0] in spec.characteristics)
    if head in groups:
        if not rest:
            return True
        std = next((s for s in groups[head].standards if s.id == rest[0]), None)
        if std is None or len(rest) > 2:
            return False
        return len(rest) == 1 or rest[1] in ("rating", "evidence", *std.fields)
    if head in spec.extra_fields:
        kind = spec.extra_fields[head].type
        return not rest or (kind == "date_range" and len(rest) == 1 and rest[0] in ("from", "to"))
    if spec.immediate_actions and head == spec.immediate_actions.key:
        return not rest or (len(rest) == 1 and rest[0] in ("required", "comment"))
    if head == "feedback" and spec.feedback:
        return not rest or (len(rest) == 1 and rest[0] in spec.feedback)
    if head == "domains" and spec.domains:
        domains = {d.id for d in spec.domains}
        return (
            not rest
            or (len(rest) == 1 and rest[0] in domains)
            or (len(rest) == 2 and rest[0] in domains and rest[1] in ("indicators", "comment"))
        )
    return not rest and head in reserved_keys(spec)


def known_record_path(spec: StandardsFile, dotted: str) -> bool:
    """Whether ``records.KIND.FIELD`` names a field of this framework's records of that kind.

    A migration renames and drops the fields of records (observations, feedback, ...) by such a
    path, as it does audit keys by theirs: records are flat, so the path names the kind and the
    field, and nothing deeper.
    """
    parts = dotted.split(".")
    if len(parts) != 3 or parts[0] != "records":
        return False
    kind = spec.records.get(parts[1])
    return kind is not None and parts[2] in kind.fields


class _ReferenceChecker:
    """Checks ids are unique and every reference in a standards file resolves."""

    def __init__(self, framework: Framework, doc: Document) -> None:
        self.fw = framework
        self.spec = framework.spec
        self.doc = doc
        self.places = places(doc.data)

    def _named(self, path: list[Any]) -> str:
        """A place in the file in words, begun with a capital (see :func:`places`)."""
        return sentence(named(path, self.places))

    def _dup(self, items: Iterable[tuple[str, list[Any]]], what: str) -> Iterator[Diagnostic]:
        seen: dict[str, list[Any]] = {}
        for ident, path in items:
            if ident in seen:
                first = self.doc.locate(seen[ident])
                yield diagnostic(
                    "QA501",
                    self.doc.locate(path),
                    f"The {what} id '{ident}' is used twice (first at line {first.line}).",
                    f"Give each {what} its own id.",
                )
            else:
                seen[ident] = path

    def _unknown(
        self, path: list[Any], what: str, value: str, known: Sequence[str], plural: str | None = None
    ) -> Diagnostic:
        guess = suggest(value, known)
        hint = f"Did you mean '{guess}'? " if guess else ""
        return diagnostic(
            "QA502",
            self.doc.locate(path),
            f"{self._named(path)} names the {what} '{value}', which this file does not define.",
            hint + f"Known {plural or what + 's'}: {', '.join(known)}.",
        )

    def run(self) -> Iterator[Diagnostic]:
        spec = self.spec
        yield from self._dup(((g.id, ["groups", i, "id"]) for i, g in enumerate(spec.groups)), "group")
        yield from self._dup(
            (
                (s.id, ["groups", i, "standards", j, "id"])
                for i, g in enumerate(spec.groups)
                for j, s in enumerate(g.standards)
            ),
            "standard",
        )
        yield from self._dup(
            ((g.id, ["grades", "scale", i, "id"]) for i, g in enumerate(spec.grades.scale)), "grade"
        )
        yield from self._dup(((r.id, ["ratings", i, "id"]) for i, r in enumerate(spec.ratings)), "rating")
        for i, rating in enumerate(spec.ratings):
            if rating.id == NOT_APPLICABLE:
                yield diagnostic(
                    "QA209",
                    self.doc.locate(["ratings", i, "id"]),
                    "'not_applicable' cannot be a rating: it is built in for standards with 'applies_when'.",
                    "Remove it from the ratings and give the standard an 'applies_when'.",
                )
        if spec.domains:
            yield from self._dup(((d.id, ["domains", i, "id"]) for i, d in enumerate(spec.domains)), "domain")
            for i, dom in enumerate(spec.domains):
                yield from self._dup(
                    ((ind.id, ["domains", i, "indicators", j, "id"]) for j, ind in enumerate(dom.indicators)),
                    "indicator",
                )
        if spec.learning:
            yield from self._dup(
                ((a.id, ["learning", "areas", i, "id"]) for i, a in enumerate(spec.learning.areas)),
                "learning area",
            )
            for i, area in enumerate(spec.learning.areas):
                base = ["learning", "areas", i, "points"]
                yield from self._dup(
                    ((p.id, [*base, j, "id"]) for j, p in enumerate(area.points)), "learning point"
                )
                for j, point in enumerate(area.points):
                    for k, ident in enumerate(point.standards):
                        if ident not in self.fw.standards:
                            yield self._unknown(
                                [*base, j, "standards", k],
                                "standard",
                                ident,
                                list(self.fw.standards),
                            )
        if spec.added_value:
            yield from self._dup(
                (
                    (c.id, ["added_value", "categories", i, "id"])
                    for i, c in enumerate(spec.added_value.categories)
                ),
                "added-value category",
            )
        if spec.audit_types:
            yield from self._dup(
                ((t.id, ["audit_types", i, "id"]) for i, t in enumerate(spec.audit_types)),
                "audit type",
            )
        if spec.themes:
            yield from self._dup(((t.id, ["themes", i, "id"]) for i, t in enumerate(spec.themes)), "theme")
        yield from self._choices()
        yield from self._short_names()
        yield from self._keys()
        yield from self._standards()
        yield from self._evidence()
        yield from self._migrations()
        grades = list(self.fw.grade_rank)
        if spec.grades.good_or_better not in self.fw.grade_rank:
            yield self._unknown(["grades", "good_or_better"], "grade", spec.grades.good_or_better, grades)
        for i, rule in enumerate(spec.thresholds):
            if rule.grade not in self.fw.grade_rank:
                yield self._unknown(["thresholds", i, "grade"], "grade", rule.grade, grades)
            if rule.when is not None:
                yield from self._condition(rule.when, ["thresholds", i, "when"])
        yield from self._cycle()
        yield from self._records()
        yield from self._agreements()

    def _agreements(self) -> Iterator[Diagnostic]:
        """Each agreement names two fields audits have, and a value each field can hold."""
        for i, rule in enumerate(self.spec.agreements):
            for part in ("when", "then"):
                fact = getattr(rule, part)
                path = ["agreements", i, part]
                field = resolve_field(self.spec, fact.field)
                if field is None:
                    yield diagnostic(
                        "QA502",
                        self.doc.locate([*path, "field"]),
                        f"The agreement names the field '{fact.field}', which audits of this framework "
                        "do not have.",
                        "Name a field declared in case_fields (as case.NAME), characteristics (as "
                        "characteristics.NAME) or extra_fields.",
                    )
                else:
                    yield from self._equals(path, fact.field, field, fact.equals, "agreement")

    def _equals(
        self, path: list[Any], dotted: str, field: FieldSpec, equals: Any, by: _ComparedBy
    ) -> Iterator[Diagnostic]:
        """An ``equals:`` (at ``path``) that names a choice the field does not offer, or a value no
        audit can hold: the agreement, condition or ``applies_when`` (``by``) would never hold, or
        always, and change findings and grades without a word."""
        if field.type == "choice" and isinstance(equals, str):
            if equals not in field.choice_ids:
                yield self._unknown([*path, "equals"], "choice", equals, field.choice_ids)
        elif (wrong := _wrong_value(field, equals, by)) is not None:
            must, fix = wrong
            yield diagnostic("QA502", self.doc.locate([*path, "equals"]), f"'{dotted}' {must}.", fix)

    def _fields(self) -> Iterator[tuple[list[Any], FieldSpec]]:
        """Every field the file declares, with its path: the audit's, the standards' and the
        record kinds'."""
        spec = self.spec
        for key, fields in (
            ("case_fields", spec.case_fields),
            ("extra_fields", spec.extra_fields),
            ("characteristics", spec.characteristics),
        ):
            for name, field in fields.items():
                yield [key, name], field
        for i, group in enumerate(spec.groups):
            for j, std in enumerate(group.standards):
                for name, field in std.fields.items():
                    yield ["groups", i, "standards", j, "fields", name], field
        for kind, declared in spec.records.items():
            for name, record_field in declared.fields.items():
                yield ["records", kind, "fields", name], record_field

    def _choices(self) -> Iterator[Diagnostic]:
        """The choices of a field are unique, by id (an audit's value names one of them) and by
        label (forms offer them, and reports count them, by their labels)."""
        for path, field in self._fields():
            seen: dict[str, list[Any]] = {}
            labels: dict[str, tuple[str, str, list[Any]]] = {}
            for k, choice in enumerate(field.choices or ()):
                ident, at = (
                    (choice, [*path, "choices", k])
                    if isinstance(choice, str)
                    else (choice.id, [*path, "choices", k, "id"])
                )
                if ident in seen:
                    yield diagnostic(
                        "QA501",
                        self.doc.locate(at),
                        f"{self._named(path)} lists the choice '{ident}' twice (first at line "
                        f"{self.doc.locate(seen[ident]).line}).",
                        "Give each choice its own id, or remove the second one: audits hold the id, "
                        "so two choices with one id cannot be told apart.",
                    )
                    continue
                seen[ident] = at
                label = " ".join((humanise(choice) if isinstance(choice, str) else choice.label).split())
                # "Other" and "other  " read the same to an auditor picking from a list.
                folded = label.casefold()
                if folded not in labels:
                    labels[folded] = (ident, label, at)
                    continue
                first, first_label, first_at = labels[folded]
                where = [*path, "choices", k] if isinstance(choice, str) else [*path, "choices", k, "label"]
                shown = (
                    f"are both shown as '{label}'"
                    if label == first_label
                    else f"are shown alike, as '{first_label}' and '{label}'"
                )
                yield diagnostic(
                    "QA507",
                    self.doc.locate(where),
                    f"{self._named(path)}: the choices '{first}' (line "
                    f"{self.doc.locate(first_at).line}) and '{ident}' {shown}.",
                    "Give one of them another label: forms offer the choices, and reports count "
                    "them, by their labels, so two with one label cannot be told apart.",
                )

    def _short_names(self) -> Iterator[Diagnostic]:
        """No two standards are named alike in messages where one of them has a ``short`` name:
        findings and the reasons for a grade name a standard by its short name (else its title),
        so two named alike could not be told apart. Titles alone are not compared: reports show
        them beside the standards' groups."""
        seen: dict[str, tuple[StandardSpec, list[Any]]] = {}
        for i, group in enumerate(self.spec.groups):
            for j, std in enumerate(group.standards):
                base: list[Any] = ["groups", i, "standards", j]
                # "Case planning" and "case  planning " read the same in a message.
                folded = " ".join(std.short_name.split()).casefold()
                # Where the name is written: its `short`, else its title.
                at = [*base, "short"] if std.short is not None else [*base, "title"]
                if folded not in seen:
                    seen[folded] = (std, at)
                    continue
                first, first_at = seen[folded]
                if first.short is None and std.short is None:
                    continue
                name, first_name, line = std.short_name, first.short_name, self.doc.locate(first_at).line
                if first.short is None:
                    said = (
                        f"The short name '{clip(name)}' of the standard '{std.id}' is the title of "
                        f"'{first.id}' (line {line}), which messages name it by."
                    )
                elif std.short is None:
                    said = (
                        f"The title '{clip(name)}' of the standard '{std.id}' is the short name of "
                        f"'{first.id}' (line {line}), and messages name both by it."
                    )
                elif name == first_name:
                    said = (
                        f"The standards '{first.id}' (line {line}) and '{std.id}' both have the short "
                        f"name '{clip(name)}'."
                    )
                else:
                    said = (
                        f"The standards '{first.id}' (line {line}) and '{std.id}' have short names alike: "
                        f"'{clip(first_name)}' and '{clip(name)}'."
                    )
                yield diagnostic(
                    "QA507",
                    self.doc.locate(at),
                    said,
                    "Give one of them another short name ('short:'): findings and the reasons for a "
                    "grade name a standard by its short name (else by its title), so two named alike "
                    "cannot be told apart.",
                )

    def _records(self) -> Iterator[Diagnostic]:
        """Kinds of record: the names of their fields, the date that dates them, their case link."""
        for kind, declared in self.spec.records.items():
            base: list[Any] = ["records", kind]
            for name in declared.fields:
                reason = f"every record has '{name}' built in" if name in RECORD_KEYS else taken_name(name)
                if reason is not None:
                    yield diagnostic(
                        "QA506",
                        self.doc.locate([*base, "fields", name], key=True),
                        f"The field '{name}' of the record kind '{kind}' cannot be used: {reason}.",
                        "Give the field another name.",
                    )
            dated = declared.fields.get(declared.date)
            if dated is None:
                yield self._unknown(
                    [*base, "date"], f"field of '{kind}'", declared.date, list(declared.fields)
                )
            elif dated.type != "date" or not dated.required:
                yield diagnostic(
                    "QA209",
                    self.doc.locate([*base, "date"]),
                    f"'{format_path([*base, 'date'])}' names '{declared.date}', which is not a "
                    "required date field, so it cannot date every record.",
                    f"Name a field with 'type: date' and 'required: true', or make '{declared.date}' one.",
                )
            for key, kind_of_field in (("due", "date"), ("closed_by", None)):
                named = getattr(declared, key)
                if named is None:
                    continue
                target = declared.fields.get(named)
                if target is None:
                    yield self._unknown([*base, key], f"field of '{kind}'", named, list(declared.fields))
                elif kind_of_field is not None and target.type != kind_of_field:
                    yield diagnostic(
                        "QA209",
                        self.doc.locate([*base, key]),
                        f"'{format_path([*base, key])}' names '{named}', which is not a date field.",
                        f"Name a field with 'type: date', or make '{named}' one.",
                    )
            if declared.case_link is not None:
                link = declared.fields.get(declared.case_link)
                if link is None:
                    yield self._unknown(
                        [*base, "case_link"], f"field of '{kind}'", declared.case_link, list(declared.fields)
                    )
                elif link.type != "text":
                    yield diagnostic(
                        "QA209",
                        self.doc.locate([*base, "case_link"]),
                        f"'{format_path([*base, 'case_link'])}' names '{declared.case_link}', which is "
                        "not a text field, so it cannot hold a case identifier.",
                        f"Name a field with 'type: text', or make '{declared.case_link}' one.",
                    )
            if declared.case_audited and self.spec.case_id is None:
                # Audits are matched to a case by the framework's case_id: without it, no record's
                # case could ever be found audited, and every one would be reported (QA701).
                texts = [name for name, spec in self.spec.case_fields.items() if spec.type == "text"]
                yield diagnostic(
                    "QA209",
                    self.doc.locate([*base, "case_audited"]),
                    f"'{format_path([*base, 'case_audited'])}' is true, but this file has no "
                    f"'case_id' (the case field that identifies a case), so no audit could ever be "
                    f"matched to the case a '{kind}' record names.",
                    "Add 'case_id: FIELD' at the top level, where FIELD is the case field that holds "
                    "the case's identifier"
                    + (f" (one of: {', '.join(texts)})" if texts else "")
                    + ", or remove 'case_audited: true'.",
                )

    def _cycle(self) -> Iterator[Diagnostic]:
        """The quality assurance cycle's data: escalations, the case id, remedial actions and
        the comparison scale."""
        spec = self.spec
        grades = list(self.fw.grade_rank)
        yield from self._dup(
            ((r.id, ["escalations", i, "id"]) for i, r in enumerate(spec.escalations)), "escalation"
        )
        for i, rule in enumerate(spec.escalations):
            for k, grade in enumerate(rule.grades or []):
                if grade not in self.fw.grade_rank:
                    yield self._unknown(["escalations", i, "grades", k], "grade", grade, grades)
            if rule.when is not None:
                yield from self._condition(rule.when, ["escalations", i, "when"])
            yield from self._route(rule, ["escalations", i])
        yield from self._safeguarding_escalated()
        if spec.case_id is not None and spec.case_id not in spec.case_fields:
            yield self._unknown(["case_id"], "case field", spec.case_id, list(spec.case_fields))
        for k, key in enumerate(self.fw.remedial_notify):
            if not known_audit_path(spec, key):
                yield diagnostic(
                    "QA502",
                    self.doc.locate(["remedial_actions", "notify", k]),
                    f"'remedial_actions.notify' names '{key}', which audits of this framework do not have.",
                    "Name an audit key that holds a person, such as practitioner or an extra field.",
                )
        if spec.comparison is not None:
            yield from self._comparison(spec.comparison)

    def _route(self, rule: EscalationRule, base: list[Any]) -> Iterator[Diagnostic]:
        seen: dict[str, int] = {}
        for k, role in enumerate(rule.route or []):
            key = person_key(role)
            if key in seen:
                yield diagnostic(
                    "QA209",
                    self.doc.locate([*base, "route", k]),
                    f"The role '{role}' is on the route of the escalation '{rule.id}' twice.",
                    "List each role once.",
                )
            seen.setdefault(key, k)
        ack, outcome = rule.acknowledge_within_days, rule.outcome_within_days
        if ack is not None and outcome is not None and outcome < ack:
            yield diagnostic(
                "QA209",
                self.doc.locate([*base, "outcome_within_days"]),
                f"The escalation '{rule.id}' wants the outcome for the child within {outcome} "
                f"day{'' if outcome == 1 else 's'} of raising it, "
                f"before the {ack} days it allows for acknowledging it.",
                "Give 'outcome_within_days' at least as many days as 'acknowledge_within_days'.",
            )

    def _safeguarding_escalated(self) -> Iterator[Diagnostic]:
        """Immediate safeguarding actions are a safety signal: some escalation rule must act on them."""
        actions = self.spec.immediate_actions
        if actions is None:
            return
        flag = f"{actions.key}.required"
        if any(rule.when is not None and flag in _fields_of(rule.when) for rule in self.spec.escalations):
            return
        yield diagnostic(
            "QA505",
            self.doc.locate(["immediate_actions"], key=True),
            f"Audits record immediate safeguarding actions ('{flag}'), but no escalation rule acts "
            "on them, so an audit that needs them is never escalated.",
            "Add an escalation rule with 'when: {field: " + flag + ", equals: true}' and its route.",
        )

    def _comparison(self, comparison: Comparison) -> Iterator[Diagnostic]:
        base: list[Any] = ["comparison"]
        yield from self._dup(((lv, [*base, "levels", i]) for i, lv in enumerate(comparison.levels)), "level")
        grades = list(self.fw.grade_rank)
        for grade, level in comparison.grades.items():
            if grade not in self.fw.grade_rank:
                yield self._unknown([*base, "grades", grade], "grade", grade, grades)
            if level not in comparison.levels:
                yield self._unknown([*base, "grades", grade], "level", level, comparison.levels)
        levels = self.fw.comparison_level
        for grade in grades:
            if grade not in comparison.grades and grade not in comparison.levels:
                yield diagnostic(
                    "QA502",
                    self.doc.locate([*base, "grades"] if comparison.grades else base, key=True),
                    f"The grade '{grade}' has no level on the comparison scale '{comparison.scale}'.",
                    f"Map it under 'comparison.grades' to one of: {', '.join(comparison.levels)}.",
                )
        rank = {lv: i for i, lv in enumerate(comparison.levels)}
        placed = [(g, levels[g]) for g in grades if levels.get(g) in rank]
        inverted = next(
            (
                (better, worse)
                for better, worse in itertools.pairwise(placed)
                if rank[better[1]] > rank[worse[1]]
            ),
            None,
        )
        if len(placed) == len(grades) and inverted is not None:
            (better, high), (worse, low) = inverted
            yield diagnostic(
                "QA209",
                self.doc.locate([*base, "grades"] if comparison.grades else base, key=True),
                f"The comparison scale '{comparison.scale}' puts the grade '{worse}' ({low}) above the "
                f"better grade '{better}' ({high}).",
                "Map the grades, best first, to levels that are the same or worse each time.",
            )

    def _keys(self) -> Iterator[Diagnostic]:
        """Names a standards file gives to audit keys: none may be taken by the audit models
        themselves, and the top-level ones (groups, extra fields, the grade and immediate-actions
        keys) may not meet each other or a built-in key. The built-in keys are those
        :func:`~qaimpact.models.audit.audit_keys` builds the audit model from, so they cannot drift."""
        yield from self._taken_names()
        seen: dict[str, AuditKey] = {}
        for key in audit_keys(self.spec):
            first = seen.setdefault(key.name, key)
            if first is key or first.kind == key.kind:
                continue  # two groups with one id are reported as a duplicate id
            if first.built_in or key.built_in:
                declared = key if first.built_in else first
                what, suffix, hint = _KEY_WORDS[declared.kind]
                yield diagnostic(
                    "QA501",
                    self._key_location(declared),
                    f"The {what} '{declared.name}'{suffix} is also a built-in audit key.",
                    hint,
                )
            else:
                what, suffix, hint = _KEY_WORDS[key.kind]
                other, other_suffix, _ = _KEY_WORDS[first.kind]
                line = self._key_location(first).line
                yield diagnostic(
                    "QA501",
                    self._key_location(key),
                    f"The {what} '{key.name}'{suffix} is also the {other}{other_suffix} at line {line}.",
                    hint,
                )

    def _key_location(self, key: AuditKey) -> Location:
        assert key.declared_at is not None
        return self.doc.locate(list(key.declared_at), key=key.kind == "extra")

    def _taken_names(self) -> Iterator[Diagnostic]:
        """Every name that becomes a field of an audit model, checked against the models."""
        spec = self.spec
        names: list[tuple[str, str, list[Any], bool]] = [
            (key.name, _KEY_WORDS[key.kind][0], list(key.declared_at), key.kind == "extra")
            for key in audit_keys(spec)
            if key.declared_at is not None
        ]
        names += [(name, "case field", ["case_fields", name], True) for name in spec.case_fields]
        names += [(name, "characteristic", ["characteristics", name], True) for name in spec.characteristics]
        for i, group in enumerate(spec.groups):
            for j, std in enumerate(group.standards):
                base: list[Any] = ["groups", i, "standards", j]
                names.append((std.id, "standard id", [*base, "id"], False))
                names += [
                    (name, f"field of '{std.id}'", [*base, "fields", name], True) for name in std.fields
                ]
        names += [(d.id, "domain id", ["domains", i, "id"], False) for i, d in enumerate(spec.domains or ())]
        names += [
            (name, "feedback key", ["feedback", i], False) for i, name in enumerate(spec.feedback or ())
        ]
        for name, what, path, is_key in names:
            reason = taken_name(name)
            if reason is not None:
                yield diagnostic(
                    "QA506",
                    self.doc.locate(path, key=is_key),
                    f"The {what} '{name}' cannot be used: {reason}.",
                    f"Give the {what} another name.",
                )

    def _standards(self) -> Iterator[Diagnostic]:
        ratings = list(self.fw.rating_rank)
        for i, group in enumerate(self.spec.groups):
            for j, std in enumerate(group.standards):
                base: list[Any] = ["groups", i, "standards", j]
                for rating in std.descriptors:
                    if rating not in self.fw.rating_rank:
                        yield self._unknown([*base, "descriptors", rating], "rating", rating, ratings)
                for name in std.fields:
                    if name in ("rating", "evidence"):
                        yield diagnostic(
                            "QA501",
                            self.doc.locate([*base, "fields", name], key=True),
                            f"The field '{name}' is built into every standard's entry.",
                            "Remove it from 'fields'.",
                        )
                known_fields = [*std.fields, "evidence"]
                for k, rule in enumerate(std.constraints):
                    for name in rule.when:
                        if name not in known_fields:
                            yield self._unknown(
                                [*base, "constraints", k, "when", name], "field", name, known_fields
                            )
                    for m, rating in enumerate(rule.ratings):
                        if rating not in self.fw.rating_rank:
                            yield self._unknown(
                                [*base, "constraints", k, "ratings", m], "rating", rating, ratings
                            )
                if std.applies_when is not None:
                    yield from self._applies_when(std.applies_when, [*base, "applies_when"])

    def _applies_when(self, rule: Applicability, path: list[Any]) -> Iterator[Diagnostic]:
        """A standard's ``applies_when`` names a field audits have, and a value it can hold."""
        field = resolve_field(self.spec, rule.field)
        if field is None:
            yield diagnostic(
                "QA502",
                self.doc.locate([*path, "field"]),
                f"'applies_when' names the field '{rule.field}', which audits of this framework do not have.",
                "Name a field declared in case_fields (as case.NAME) or extra_fields.",
            )
        else:
            yield from self._equals(path, rule.field, field, rule.equals, "applies_when")

    def _evidence(self) -> Iterator[Diagnostic]:
        if self.spec.evidence is None:
            return
        top = self.spec.ratings[0].id
        ratings = list(self.fw.rating_rank)
        for i, rating in enumerate(self.spec.evidence.required_for):
            path = ["evidence", "required_for", i]
            if rating == top:
                yield diagnostic(
                    "QA209",
                    self.doc.locate(path),
                    f"'evidence.required_for' lists '{top}', the top of the scale, which never needs "
                    "evidence.",
                    f"List only ratings below it: {', '.join(ratings[1:])}.",
                )
            elif rating not in self.fw.rating_rank:
                yield self._unknown(path, "rating", rating, ratings)
        yield from self._dup(
            ((r, ["evidence", "required_for", i]) for i, r in enumerate(self.spec.evidence.required_for)),
            "rating",
        )

    def _migrations(self) -> Iterator[Diagnostic]:
        # Only the new side of each migration can be checked here: the old ids belong to the
        # framework it starts from, checked when a migration is planned (qaimpact.authoring.migrate).
        first: dict[str, int] = {}
        standards = list(self.fw.standards)
        ratings = list(self.fw.rating_rank)
        for i, migration in enumerate(self.spec.migrations):
            base: list[Any] = ["migrations", i]
            if migration.from_ in first:
                earlier = self.doc.locate(["migrations", first[migration.from_], "from"])
                yield diagnostic(
                    "QA501",
                    self.doc.locate([*base, "from"]),
                    f"Two migrations start from '{migration.from_}' (the first at line {earlier.line}).",
                    "Keep one migration per older framework.",
                )
            first.setdefault(migration.from_, i)
            if migration.from_ == self.spec.id:
                yield diagnostic(
                    "QA209",
                    self.doc.locate([*base, "from"]),
                    f"A migration cannot start from this framework itself ('{self.spec.id}').",
                    "Name the id of the older framework in 'from'.",
                )
            renamed: dict[str, str] = {}
            for old, mapping in migration.standards.items():
                where: list[Any] = [*base, "standards", old]
                named = [(where, mapping)] if isinstance(mapping, str) else _mapping_ids(mapping, where)
                for path, ident in named:
                    if ident not in self.fw.standards:
                        yield self._unknown(path, "standard", ident, standards)
                new = mapping if isinstance(mapping, str) else mapping.to
                if new is not None:
                    if new in renamed:
                        yield diagnostic(
                            "QA501",
                            self.doc.locate(where, key=True),
                            f"'{old}' and '{renamed[new]}' are both renamed to '{new}'.",
                            "Use merge_into to combine two old standards into one.",
                        )
                    renamed.setdefault(new, old)
            for old, new in migration.ratings.items():
                if new not in self.fw.rating_rank and new != NOT_APPLICABLE:
                    yield self._unknown([*base, "ratings", old], "rating", new, ratings)
            for old, new in migration.grades.items():
                if new not in self.fw.grade_rank:
                    yield self._unknown([*base, "grades", old], "grade", new, list(self.fw.grade_rank))
            for old, new in migration.keys.items():
                if old.startswith("records.") or new.startswith("records."):
                    yield from self._record_key(migration.keys, old, [*base, "keys", old])
                elif not known_audit_path(self.spec, new):
                    yield diagnostic(
                        "QA502",
                        self.doc.locate([*base, "keys", old]),
                        f"{self._named([*base, 'keys', old])} renames to '{new}', which audits of this "
                        "framework do not have.",
                        "Name a key of this framework's audits, e.g. case.NAME or an extra field.",
                    )

    def _record_key(self, keys: dict[str, str], old: str, path: list[Any]) -> Iterator[Diagnostic]:
        """A rename of a record's field names a field of this framework's records of the same kind:
        a record never changes kind, nor becomes an audit."""
        new = keys[old]
        old_kind = old.split(".")[1] if old.startswith("records.") and old.count(".") == 2 else None
        new_kind = new.split(".")[1] if new.startswith("records.") and new.count(".") == 2 else None
        if old_kind is None or new_kind != old_kind:
            yield diagnostic(
                "QA502",
                self.doc.locate(path),
                f"{self._named(path)} renames '{old}' to '{new}': a record's field can only be renamed "
                "to another field of the same kind of record.",
                "Write both as records.KIND.FIELD, with the same KIND.",
            )
        elif not known_record_path(self.spec, new):
            kind = self.spec.records.get(old_kind)
            known = (
                f"Fields of its {old_kind} records: {', '.join(kind.fields)}."
                if kind is not None
                else f"It declares no records of kind '{old_kind}'."
            )
            yield diagnostic(
                "QA502",
                self.doc.locate(path),
                f"{self._named(path)} renames to '{new}', which records of this framework do not have.",
                known,
            )

    def _condition(self, cond: Condition, path: list[Any]) -> Iterator[Diagnostic]:
        if isinstance(cond, RatingCondition):
            known = [g.id for g in self.spec.groups] + list(self.fw.standards)
            if cond.standards != "all":
                for k, ident in enumerate(cond.standards):
                    if ident not in known:
                        yield self._unknown(
                            [*path, "standards", k], "group or standard", ident, known, "groups and standards"
                        )
            ratings = list(self.fw.rating_rank)
            for key in ("rated", "rated_at_least", "rated_at_most"):
                value = getattr(cond, key)
                if value is not None and value not in self.fw.rating_rank:
                    yield self._unknown([*path, key], "rating", value, ratings)
            for k, value in enumerate(cond.rated_in or []):
                if value not in self.fw.rating_rank:
                    yield self._unknown([*path, "rated_in", k], "rating", value, ratings)
        elif isinstance(cond, FieldCondition):
            field = resolve_field(self.spec, cond.field)
            if field is not None:
                yield from self._equals(path, cond.field, field, cond.equals, "condition")
            else:
                yield diagnostic(
                    "QA502",
                    self.doc.locate([*path, "field"]),
                    f"The condition names the field '{cond.field}', which audits of this "
                    "framework do not have.",
                    "Name a field declared in case_fields (as case.NAME) or extra_fields"
                    + (
                        f", or {self.spec.immediate_actions.key}.required."
                        if self.spec.immediate_actions
                        else "."
                    ),
                )
        elif isinstance(cond, AllOf):
            for k, sub in enumerate(cond.all_of):
                yield from self._condition(sub, [*path, "all_of", k])
        elif isinstance(cond, AnyOf):
            for k, sub in enumerate(cond.any_of):
                yield from self._condition(sub, [*path, "any_of", k])
        elif isinstance(cond, Not):
            yield from self._condition(cond.not_, [*path, "not"])


_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")


#: What compares an audit's field with a value a standards file names (``equals:``).
_ComparedBy = Literal["agreement", "condition", "applies_when"]

#: How messages name what compares a field with a value, by its kind: its value, and it with
#: "a" and with "the".
_COMPARED_BY: dict[_ComparedBy, tuple[str, str, str]] = {
    "agreement": ("the agreement's value", "an agreement", "the agreement"),
    "condition": ("the condition's value", "a condition", "the condition"),
    "applies_when": ("the value in 'applies_when'", "'applies_when'", "'applies_when'"),
}


def _wrong_value(field: FieldSpec, value: Any, by: _ComparedBy) -> tuple[str, str] | None:
    """What is wrong with the value an agreement, a condition or ``applies_when`` (``by``, a key
    of :data:`_COMPARED_BY`) compares a field with (that, and the fix), or ``None``: a value no
    audit can hold would make it never hold (or an agreement always be broken)."""
    shown = _spelled(value)
    its_value, a, the = _COMPARED_BY[by]
    if field.type == "boolean" and not isinstance(value, bool):
        return (
            f"is yes or no, so {its_value} must be true or false, not {shown}",
            "Write equals: true or equals: false.",
        )
    if field.type == "choice":  # a choice's id is checked against the choices
        return (
            f"is a choice, so {its_value} must be one of its choices, not {shown}",
            f"Write one of: {', '.join(field.choice_ids)}.",
        )
    if field.type == "text" and not isinstance(value, str):
        return (
            f"is text, so {its_value} must be text, not {shown}",
            'Write the text after equals:, in quotation marks: equals: "TEXT".',
        )
    if field.type == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        return (
            f"is a whole number, so {its_value} must be a whole number, not {shown}",
            "Write a whole number after equals:, without quotation marks: equals: 3.",
        )
    if field.type == "date" and not _is_date(value):
        return (
            f"is a date, so {its_value} must be a date written YYYY-MM-DD, not {shown}",
            "Write the date as YYYY-MM-DD: equals: 2026-04-01.",
        )
    if field.type == "date_range":
        return (
            f"is a period (from and to), which {a} cannot compare",
            f"Name a field of another type in {the}, or leave {the} out.",
        )
    return None


def _is_date(value: Any) -> bool:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return True
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _spelled(value: Any) -> str:
    """A value of a standards file as its reader wrote it: ``null``, ``a list``, ``'yes'``."""
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{show_value(value)}'"


def _fields_of(cond: Condition) -> set[str]:
    """Every field a condition reads, however deeply nested."""
    if isinstance(cond, FieldCondition):
        return {cond.field}
    if isinstance(cond, AllOf | AnyOf):
        parts = cond.all_of if isinstance(cond, AllOf) else cond.any_of
        return set().union(*(_fields_of(c) for c in parts))
    if isinstance(cond, Not):
        return _fields_of(cond.not_)
    return set()


#: How messages name each kind of top-level key a standards file declares, and how to fix a clash.
_KEY_WORDS = {
    "group": ("group id", "", "Give the group another id: each group is a top-level key of the audit."),
    "extra": (
        "extra field",
        "",
        "Give the field another name: each extra field is a top-level key of the audit.",
    ),
    "grade": (
        "grade key",
        " (grades.key)",
        "Name the key that holds the auditor's grade otherwise, such as overall_grade: it is a "
        "top-level key of the audit.",
    ),
    "immediate_actions": (
        "immediate actions key",
        " (immediate_actions.key)",
        "Name the immediate actions key otherwise: it is a top-level key of the audit.",
    ),
}


def _mapping_ids(mapping: StandardMapping, where: list[Any]) -> list[tuple[list[Any], str]]:
    """The new standard ids a mapping names, each with its path in the standards file."""
    if mapping.to is not None:
        return [([*where, "to"], mapping.to)]
    if mapping.merge_into is not None:
        return [([*where, "merge_into"], mapping.merge_into)]
    return [([*where, "split_into", k], ident) for k, ident in enumerate(mapping.split_into or [])]

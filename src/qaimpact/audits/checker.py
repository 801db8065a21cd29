"""Check one audit file end to end: read, pick its framework, validate, apply rules, grade.

This is the pipeline behind ``validate``, ``grade`` and the reports. It returns plain data
(:class:`AuditCheck`); it never prints and never exits.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from qaimpact.audits.ahead import triggers_ahead, triggers_unreadable, value_held
from qaimpact.audits.rules import check_escalation, check_record_rules, check_rules
from qaimpact.base.codes import cap_findings, diagnostic
from qaimpact.base.diagnose import (
    Choices,
    Describe,
    allowed_keys,
    named,
    pydantic_findings,
    sentence,
    suggest,
)
from qaimpact.base.errors import StandardsError, UsageError
from qaimpact.base.escaping import clip
from qaimpact.base.fileio import leftover_of, read_regular
from qaimpact.base.loader import DEFAULT_MAX_FILE_SIZE, Document, LoadError, load_bytes, load_file
from qaimpact.base.salvage import read_around
from qaimpact.frameworks.registry import Registry
from qaimpact.grading.engine import Facts, GradeResult, NoRuleMatched, applicable_ratings, engine_for
from qaimpact.models.audit import (
    PLACEHOLDER,
    audit_keys,
    audit_model,
    describe_path,
    path_names,
    rating_choices,
    value_type,
)
from qaimpact.models.dict_validation import validated_dict
from qaimpact.models.findings import Diagnostic
from qaimpact.models.kinds import (
    NAMING_KEYS,
    describe_record_path,
    kind_of,
    link_fields,
    record_model,
    record_path_names,
)
from qaimpact.models.location import Location
from qaimpact.models.standard import Framework

AUDIT_SUFFIXES = (".yaml", ".yml")
#: Files that are `qaimpact import` mappings, not audits: folders of audits may hold them.
MAPPING_SUFFIXES = (".mapping.yaml", ".mapping.yml")
#: Files that are the quarterly report's narratives (`qaimpact quarterly --narrative`), not audits.
NARRATIVE_SUFFIXES = (".narrative.yaml", ".narrative.yml")


@dataclass(slots=True)
class AuditCheck:
    """The outcome of checking one audit file."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    framework: Framework | None = None
    #: The kind of record the file names in ``kind:`` (``None``: an audit, which names none).
    kind: str | None = None
    data: dict[str, Any] | None = None
    #: A record with errors, checked with ``keep_data``: what following its links to audits reads
    #: of it (:func:`~qaimpact.models.kinds.link_fields`), so that they are followed all the same.
    links: dict[str, Any] | None = None
    result: GradeResult | None = None
    #: Errors and warnings found but not shown, past the cap (the closing QA113 counts them).
    omitted_errors: int = 0
    omitted_warnings: int = 0
    #: An audit with errors, read for a report: the escalations it certainly needs once they are
    #: put right, each in a line (:func:`~qaimpact.audits.ahead.escalations_ahead`).
    ahead: tuple[str, ...] = ()
    #: A file with errors, read for a report: the date that dates it (an audit's ``review_date``,
    #: a record's date field) where no error is about it, else ``None`` (it may be any date).
    #: A report for a period tells by it whether the file could be in the period at all.
    dated: dt.date | None = None
    #: An audit with errors, read for a report: its ``audit_id`` where no error is about it, so
    #: that a copy of an audit counted from another file can be told for one.
    held_id: str | None = None

    @property
    def errors(self) -> int:
        """How many errors were found, shown or not."""
        return sum(1 for d in self.diagnostics if d.is_error and d.code != "QA113") + self.omitted_errors

    @property
    def warnings(self) -> int:
        """How many warnings were found, shown or not."""
        shown = sum(1 for d in self.diagnostics if not d.is_error and d.code != "QA113")
        return shown + self.omitted_warnings

    @property
    def valid(self) -> bool:
        """No errors (warnings allowed)."""
        return self.errors == 0


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """How audits are checked."""

    today: dt.date = field(default_factory=dt.date.today)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    with_lift: bool = False
    keep_data: bool = False
    #: For an audit with errors, say which escalations are certain all the same
    #: (:attr:`AuditCheck.ahead`): reports and ``grade`` do, ``validate`` does not.
    with_ahead: bool = False


def check_audit(
    path: Path, registry: Registry, options: CheckOptions, display: str | None = None
) -> AuditCheck:
    """Check one audit file.

    An audit whose framework's standards file is broken gets ``QA211``; it never stops the check
    of audits of other frameworks.
    """
    name = display if display is not None else str(path)
    try:
        doc = load_file(path, name, max_size=options.max_file_size)
    except LoadError as exc:
        return unreadable_check(
            name, exc.diagnostic, lambda: read_regular(path, options.max_file_size)[0], registry, options
        )
    return check_document(doc, registry, options)


def check_text(text: str, name: str, registry: Registry, options: CheckOptions) -> AuditCheck:
    """Check audit text held in memory (a scaffold, a migrated file, a generated example)."""
    return check_bytes(text.encode("utf-8"), name, registry, options)


def check_bytes(data: bytes, name: str, registry: Registry, options: CheckOptions) -> AuditCheck:
    """Check an audit's bytes as read from somewhere other than a file (standard input), with
    every check a file gets: its size, its encoding, its YAML."""
    try:
        doc = load_bytes(data, name, max_size=options.max_file_size)
    except LoadError as exc:
        return unreadable_check(name, exc.diagnostic, lambda: data, registry, options)
    return check_document(doc, registry, options)


#: How each escalation certain in a file not read in full is said: plainly, before the escalation.
READ_IN_PART = "The file could not be read in full, but what could be read already needs escalating."


def unreadable_check(
    name: str, found: Diagnostic, raw: Callable[[], bytes], registry: Registry, options: CheckOptions
) -> AuditCheck:
    """The check of a file the loader refused with ``found``: that finding alone, and, where the
    escalations are asked for (``with_ahead``) and YAML could not read it (QA101), those that what
    can safely be read of it already makes certain (:func:`~qaimpact.base.salvage.read_around`,
    :func:`~qaimpact.audits.ahead.triggers_unreadable`), each said to come from a file not read in
    full (:data:`READ_IN_PART`). ``raw`` gives the file's bytes again, only when needed.

    Nothing else is taken from what is read: the file is not graded, and its finding is the
    loader's.
    """
    check = AuditCheck(name, [found])
    if not options.with_ahead or found.code != "QA101" or found.location.line is None:
        return check
    try:
        data = raw()
    except OSError:
        return check
    salvage = read_around(data, name, found.location.line, max_size=options.max_file_size)
    if salvage is None or _costly(salvage.doc.data, registry):
        return check
    read, uncounted = _check_document(
        salvage.doc, registry, CheckOptions(options.today, options.max_file_size)
    )
    if read.framework is None or read.kind is not None:
        return check
    sure = triggers_unreadable(read.framework, salvage, read.diagnostics, omitted_errors=uncounted)
    check.ahead = tuple(f"{READ_IN_PART} {t.describe()}" for t in sure)
    return check


def check_document(doc: Document, registry: Registry, options: CheckOptions) -> AuditCheck:
    """Check an already parsed audit.

    The findings are in file order, at most :data:`~qaimpact.base.codes.MAX_FINDINGS` of them
    and a closing QA113 that counts the rest.
    """
    report, uncounted = _check_document(doc, registry, options)
    framework = report.framework
    has_errors = bool(uncounted) or any(d.is_error for d in report.diagnostics)
    if options.with_ahead and framework is not None and report.kind is None and has_errors:
        # Every finding, before the cap: one not shown could be on a value the rules read.
        sure = triggers_ahead(framework, doc, report.diagnostics, omitted_errors=uncounted)
        report.ahead = tuple(t.describe() for t in sure)
    if options.with_ahead and framework is not None and has_errors:
        report.dated = _date_held(doc, framework, report.kind, report.diagnostics, uncounted)
        if report.kind is None:
            held = value_held(doc, ("audit_id",), report.diagnostics, omitted_errors=uncounted)
            report.held_id = held if isinstance(held, str) and held.strip() else None
    report.diagnostics, report.omitted_errors, report.omitted_warnings = cap_findings(
        report.diagnostics, uncounted_errors=uncounted
    )
    return report


#: What is read of a file YAML could not read is checked only where it is the size of an audit:
#: at most this many keys, and this many no audit holds (each costs a search for the key meant).
_MOST_KEYS_READ = 500
_MOST_STRAY_KEYS_READ = 10


def _costly(data: Any, registry: Registry) -> bool:
    """Whether what is read of a file YAML could not read is too large to check for a safety
    signal alone (or names no framework), so that a hostile file costs a few milliseconds more
    at most: more keys than :data:`_MOST_KEYS_READ`, or more keys no audit of its framework
    holds than :data:`_MOST_STRAY_KEYS_READ`."""
    ident = data.get("standards") if isinstance(data, dict) else None
    if not isinstance(ident, str) or ident not in registry.ids():
        return True
    try:
        model = audit_model(registry.get(ident))
    except StandardsError:
        return True
    keys = strays = 0
    stack: list[tuple[Any, list[Any]]] = [(data, [])]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            allowed = set(allowed_keys(model, path))
            for key, held in value.items():
                keys += 1
                strays += key not in allowed
                stack.append((held, [*path, key]))
        elif isinstance(value, list):
            stack.extend((held, [*path, index]) for index, held in enumerate(value))
        if keys > _MOST_KEYS_READ or strays > _MOST_STRAY_KEYS_READ:
            return True
    return False


#: A date as a valid file holds it (``2026-11-03``): anything else may be a date mistyped.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_held(
    doc: Document, framework: Framework, kind: str | None, diagnostics: Sequence[Diagnostic], omitted: int
) -> dt.date | None:
    """The date that dates a file with errors (``review_date``, or the field a record's kind
    names), where no error is about it and it is written as a valid file writes a date."""
    spec = framework.spec.records.get(kind) if kind is not None else None
    if kind is not None and spec is None:
        return None
    key = "review_date" if spec is None else spec.date
    value = value_held(doc, (key,), diagnostics, omitted_errors=omitted)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _check_document(doc: Document, registry: Registry, options: CheckOptions) -> tuple[AuditCheck, int]:
    """The findings, unsorted (the cap sorts them once), and how many errors were not located."""
    report = AuditCheck(doc.path)
    data = doc.data
    if not isinstance(data, dict):
        report.diagnostics.append(
            diagnostic(
                "QA104",
                doc.locate([]),
                f"An audit must be a block of 'key: value' lines, but this file holds {_kind(doc)}.",
                _not_a_block_hint(doc.path),
            )
        )
        return report, 0
    framework = _framework(doc, registry, report)
    if framework is None:
        return report, 0
    report.framework = framework
    if "kind" in data:
        checked, uncounted = _check_record(doc, framework, report, options)
        if options.keep_data and not checked.valid and checked.kind is not None:
            # A record's links to audits are followed even while it has other errors, so that
            # one round of fixes finds them all; only the links' own values are kept.
            checked.links = link_fields(framework.spec.records[checked.kind], doc.data)
        return checked, uncounted
    model = audit_model(framework)
    holes = _report_placeholders(
        doc,
        data,
        report,
        lambda path: describe_path(framework, list(path)),
        lambda path: _audit_form(framework, data, path),
    )
    try:
        values = validated_dict(model, data)
    except ValidationError as exc:
        other = _better_framework(framework, data, registry)
        if other is not None:
            report.diagnostics.append(_other_framework(doc, framework, other))
            return report, 0
        found, uncounted = pydantic_findings(
            exc,
            doc,
            model,
            lambda p: describe_path(framework, list(p)),
            labels=choice_labels(framework),
            choices_at=lambda p: choices_at(framework, data, p),
            names=lambda p: path_names(framework, p),
        )
        report.diagnostics.extend(_beside_placeholders(found, doc, holes))
        return report, uncounted
    if holes:
        return report, 0
    report.diagnostics.extend(check_rules(framework, values, doc, options.today))
    if report.valid:
        _grade(framework, values, doc, report, options)
    if report.result is not None:
        grade = report.result.grade
        report.diagnostics.extend(check_escalation(framework, values, doc, options.today, grade))
    if options.keep_data and report.valid:
        report.data = values
    return report, 0


def _check_record(
    doc: Document, framework: Framework, report: AuditCheck, options: CheckOptions
) -> tuple[AuditCheck, int]:
    """Check a record of another kind than the audit (``kind:``): its kind, shape and dates."""
    data = doc.data
    kind = kind_of(data)
    kinds = framework.spec.records
    if kind not in kinds or not isinstance(data.get("kind"), str):
        known = ", ".join(kinds)
        guess = suggest(str(kind), list(kinds)) if kinds else None
        hint = f"Did you mean '{guess}'? " if guess else ""
        report.diagnostics.append(
            diagnostic(
                "QA212",
                doc.locate(["kind"]),
                f"Unknown kind of record '{clip(str(kind))}' in 'kind:'; {framework.id} declares "
                + (f"these kinds: {known}." if kinds else "no kinds of record besides audits."),
                hint
                + (f"Use one of: {known}; or remove 'kind:' if the file is an audit." if kinds else "")
                + (
                    ""
                    if kinds
                    else "Remove 'kind:' if the file is an audit, or declare the kind "
                    f"under 'records:' in {framework.source}."
                ),
            )
        )
        return report, 0
    assert kind is not None
    report.kind = kind
    declared = kinds[kind]
    model = record_model(framework, kind)

    def describe(path: Any) -> str | None:
        return describe_record_path(framework, declared, list(path))

    holes = _report_placeholders(
        doc, data, report, describe, lambda path: _record_form(framework, kind, path)
    )
    try:
        values = validated_dict(model, data)
    except ValidationError as exc:
        subject = f"The {declared.label.lower()}"
        # The kind's own choices first: another field's choice may share an id.
        labels = {i: lab for f in declared.fields.values() for i, lab in f.choice_labels.items()}
        labels |= {i: lab for i, lab in choice_labels(framework).items() if i not in labels}
        found, uncounted = pydantic_findings(
            exc,
            doc,
            model,
            describe,
            subject=subject,
            labels=labels,
            names=lambda path: record_path_names(framework, declared, list(path)),
        )
        report.diagnostics.extend(_beside_placeholders(found, doc, holes))
        return report, uncounted
    if holes:
        return report, 0
    report.diagnostics.extend(check_record_rules(framework, kind, values, doc, options.today))
    if options.keep_data and report.valid:
        report.data = values
    return report, 0


def _report_placeholders(
    doc: Document,
    data: Any,
    report: AuditCheck,
    describe: Describe,
    form: Callable[[list[Any]], str | None],
) -> list[list[Any]]:
    """Report each value still holding the placeholder (QA210), and return where they are:
    ``describe`` gives words for a path (a standard's title, ``remedial action 1``), ``form``
    what to write there where its kind of value is known (``true or false``)."""
    # Nearly every audit holds none: its text says so at once, and a flat scan of the values far
    # faster than walking every path.
    holes = list(placeholders(data)) if doc.may_contain(PLACEHOLDER) and _holds_placeholder(data) else []
    for path in holes:
        # The words for the value, else for what holds it (the standard of a rating).
        about = describe(path) or (describe(path[:-1]) if path else None)
        report.diagnostics.append(
            diagnostic(
                "QA210",
                doc.locate(path),
                sentence(f"{named(path, describe, about=False)} still holds the placeholder {PLACEHOLDER}."),
                f"Replace {PLACEHOLDER} with the real value"
                + (f" ({about})" if about else "")
                + (f": {written}." if (written := form(path)) else "."),
            )
        )
    return holes


#: What to write for a date: the form, not an example, which could be taken for a date to copy.
_DATE_FORM = "a date written YYYY-MM-DD (year, month, day)"


def _value_form(model: type[BaseModel], path: Sequence[Any]) -> str | None:
    """What to write at ``path`` of data ``model`` reads, by the type the model gives the value
    there (:func:`~qaimpact.models.audit.value_type`): true or false, the ids of a choice, a
    whole number, the form of a date; None for text, a section or a path the model does not
    declare."""
    kind = value_type(model, path)
    if kind is bool:
        return "true or false"
    if kind is dt.date:
        return _DATE_FORM
    if kind is int:
        return "a whole number"
    if get_origin(kind) is Literal:
        ids = [str(i) for i in get_args(kind)]
        return "one of " + ", ".join(ids) if len(ids) > 1 else f"'{ids[0]}'" if ids else None
    return None


def _audit_form(framework: Framework, data: dict[str, Any], path: Sequence[Any]) -> str | None:
    """What to write at ``path`` of an audit: a rating's scale (with not_applicable only where
    the standard does not apply, which the model cannot know), else by the audit model."""
    ratings = rating_choices(framework, data, path)
    if ratings is not None:
        return "one of " + ", ".join(ratings)
    return _value_form(audit_model(framework), path)


def _record_form(framework: Framework, kind: str, path: Sequence[Any]) -> str | None:
    """What to write at ``path`` of a record of ``kind``: by the record's model, as
    :func:`_audit_form` for an audit."""
    return _value_form(record_model(framework, kind), path)


def _beside_placeholders(
    found: Iterable[Diagnostic], doc: Document, holes: list[list[Any]]
) -> Iterator[Diagnostic]:
    """The model's findings, less those at a placeholder: it is reported once, as a placeholder,
    not again as a wrong value (an unknown key there, QA203, is still said)."""
    spots = {doc.position(p) for p in holes}
    return (d for d in found if (d.location.line, d.location.column) not in spots or d.code == "QA203")


def _grade(
    framework: Framework,
    values: dict[str, Any],
    doc: Document,
    report: AuditCheck,
    options: CheckOptions,
) -> None:
    key = framework.spec.grades.key
    recorded = values.get(key)
    engine = engine_for(framework)
    try:
        result = engine.grade(
            Facts(applicable_ratings(framework, values), values),
            recorded,
            with_lift=options.with_lift,
        )
    except NoRuleMatched:
        report.diagnostics.append(
            diagnostic(
                "QA503",
                doc.locate([key] if recorded else []),
                f"No threshold rule of '{framework.id}' holds for these ratings, so no grade "
                "can be computed.",
                f"Add a threshold rule for this combination to {framework.source}, or a last rule "
                "with 'otherwise: true'.",
            )
        )
        return
    report.result = result
    if result.differs:
        assert recorded is not None
        report.diagnostics.append(
            diagnostic(
                "QA402",
                doc.locate([key]),
                f"The recorded {key} is '{recorded}' but the ratings give "
                f"'{result.grade}' under the framework's threshold rules.",
                f"Rule: {result.rationale[0]} Check the ratings, or change {key} to "
                f"'{result.grade}'; `qaimpact grade FILE` explains the grade.",
            )
        )


def choice_labels(framework: Framework) -> dict[str, str]:
    """The label of every id an audit or record may choose (ratings, grades, audit types, learning
    areas and points, added value, indicators, and the choices of fields, audits' and record
    kinds'), for hints on a value written as its label. Where two fields share a choice id, the
    first label given wins; the framework's own lists come first."""
    spec = framework.spec
    labels = {**framework.rating_labels, **framework.grade_labels}
    labels.update((t.id, t.label) for t in spec.audit_types or [])
    for area in spec.learning.areas if spec.learning else []:
        labels.setdefault(area.id, area.title)
        labels.update((p.id, p.label) for p in area.points)
    labels.update((c.id, c.label) for c in (spec.added_value.categories if spec.added_value else []))
    labels.update((i.id, i.label) for d in spec.domains or [] for i in d.indicators)
    fields = [
        *spec.case_fields.values(),
        *spec.extra_fields.values(),
        *spec.characteristics.values(),
        *(f for g in spec.groups for s in g.standards for f in s.fields.values()),
        *(f for kind in spec.records.values() for f in kind.fields.values()),
    ]
    for declared in fields:
        for ident, label in declared.choice_labels.items():
            labels.setdefault(ident, label)
    return labels


def choices_at(framework: Framework, data: dict[str, Any], path: Sequence[Any]) -> list[str] | Choices | None:
    """The values valid at ``path`` in this audit where the model allows more: a standard's
    ratings (:func:`rating_choices`) and a learning action's points (:func:`point_choices`);
    None elsewhere."""
    ratings = rating_choices(framework, data, path)
    return ratings if ratings is not None else point_choices(framework, data, path)


def point_choices(framework: Framework, data: dict[str, Any], path: Sequence[Any]) -> Choices | None:
    """The learning points a learning action's point at ``path``
    (``learning_actions[i].points[j]``) may be: those of the action's area, where the area is
    one of the framework's; None for any other path, or an action whose area is not known (then
    every point is listed)."""
    learning = framework.spec.learning
    if learning is None or len(path) != 4 or path[0] != "learning_actions" or path[2] != "points":
        return None
    actions = data.get("learning_actions")
    index = path[1]
    if not isinstance(actions, list) or not isinstance(index, int) or not 0 <= index < len(actions):
        return None
    action = actions[index]
    area_id = action.get("area") if isinstance(action, dict) else None
    area = next((a for a in learning.areas if a.id == area_id), None)
    if area is None:
        return None
    return Choices([p.id for p in area.points], f"the learning points of the area '{area.id}' ({area.title})")


def _shape(framework: Framework) -> tuple[set[str], set[str]]:
    """The keys an audit of this framework may hold (top-level keys and each group's standards,
    as ``group.standard``), and those of them it must hold (the standards of every group)."""
    spec = framework.spec
    standards = {f"{g.id}.{s.id}" for g in spec.groups for s in g.standards}
    required = {f"{g.id}.{s.id}" for g in spec.groups for s in g.standards if s.applies_when is None}
    return {k.name for k in audit_keys(spec)} | standards, required


def _misfit(framework: Framework, keys: set[str]) -> int:
    allowed, required = _shape(framework)
    return len(keys - allowed) + len(required - keys)


def _audit_keys(data: dict[str, Any], registry: Registry) -> set[str]:
    """The audit's keys as :func:`_misfit` compares them: its own, and each group's standards."""
    groups = {g.id for f in registry.frameworks() for g in f.spec.groups}
    keys = set(map(str, data))
    keys.update(
        f"{k}.{s}" for k, v in data.items() if k in groups and isinstance(v, dict) for s in map(str, v)
    )
    return keys


def _better_framework(framework: Framework, data: dict[str, Any], registry: Registry) -> Framework | None:
    """Another framework whose keys the audit matches far better than the one it names, if any:
    an audit started from the wrong example gets one finding saying so, not a "did you mean" for
    each of its keys."""
    keys = _audit_keys(data, registry)
    named = _misfit(framework, keys)
    # Far better: a named framework misfitting by a few keys is a few typing mistakes.
    if named < 4:
        return None
    scored = sorted((_misfit(f, keys), f.id, f) for f in registry.frameworks() if f.id != framework.id)
    if scored and scored[0][0] * 3 <= named:
        return scored[0][2]
    return None


def _fitting_framework(data: dict[str, Any], registry: Registry) -> Framework | None:
    """The framework whose keys the audit matches, for an audit naming none that is known: one
    that misfits by a few keys (typing mistakes), or far better than every other; else ``None``."""
    keys = _audit_keys(data, registry)
    scored = sorted((_misfit(f, keys), f.id, f) for f in registry.frameworks())
    if not scored:
        return None
    best = scored[0][0]
    others = [misfit for misfit, _, _ in scored[1:]]
    if (best < 4 and all(best < m for m in others)) or all(best * 3 <= m for m in others):
        return scored[0][2]
    return None


def _other_framework(doc: Document, named: Framework, other: Framework) -> Diagnostic:
    return diagnostic(
        "QA201",
        doc.locate(["standards"]),
        f"The audit names '{named.id}' in 'standards:', but this looks like a '{other.id}' audit: "
        f"its keys are those of {other.spec.title}.",
        f"If it is a {other.id} audit, write 'standards: {other.id}'. If it is a {named.id} audit, "
        f"start again from `qaimpact new --standards {named.id}`, which writes the keys that framework uses.",
    )


def placeholders(data: Any, path: tuple[Any, ...] = ()) -> Iterator[list[Any]]:
    """The paths of every value that is still the scaffold's placeholder."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from placeholders(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from placeholders(value, (*path, index))
    elif data == PLACEHOLDER:
        yield list(path)


def _holds_placeholder(data: Any) -> bool:
    """Whether any value is still the scaffold's placeholder (:func:`placeholders` says where)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif item == PLACEHOLDER:
            return True
    return False


def _framework(doc: Document, registry: Registry, report: AuditCheck) -> Framework | None:
    ident = doc.data.get("standards")
    known = registry.ids()
    if ident is None or not isinstance(ident, str) or not ident.strip():
        # 'Standards:' (Word capitalises the first letter of a line) is the key, mistyped.
        typed = next(
            (
                k
                for k in doc.data
                if isinstance(k, str) and k != "standards" and "_".join(k.split()).casefold() == "standards"
            ),
            None,
        )
        if "standards" not in doc.data and typed is not None:
            report.diagnostics.append(
                diagnostic(
                    "QA201",
                    doc.locate([typed], key=True),
                    f"The audit does not say which framework it uses: '{clip(typed)}:' is not "
                    "'standards:', as keys are written in small letters.",
                    f"Write '{clip(typed)}:' as 'standards:'.",
                )
            )
            return None
        report.diagnostics.append(
            diagnostic(
                "QA201",
                doc.locate(["standards"]) if "standards" in doc.data else doc.locate([], key=True),
                "The audit does not say which framework it uses: 'standards:' is "
                + ("missing." if "standards" not in doc.data else "empty or not a framework id."),
                f"Add 'standards:' with one of: {', '.join(known)}.",
            )
        )
        return None
    try:
        framework = registry.get(ident)
    except StandardsError as exc:
        # Only the audits of the broken framework fail; the command reports the standards
        # file's own problems once (Registry.broken), not once per audit.
        source = exc.source or "its standards file"
        report.diagnostics.append(
            diagnostic(
                "QA211",
                doc.locate(["standards"]),
                f"The framework '{ident}' cannot be used: {source} has errors, so this audit cannot "
                "be checked against it.",
                f"Fix {source} first (`qaimpact standards check {source}` lists every problem), then "
                "check this audit again.",
            )
        )
        return None
    if framework is None:
        # The audit's keys say which framework it was written for better than a name's spelling
        # ('Cafcass' on a council audit is a guess at the organisation, not the framework).
        fits = _fitting_framework(doc.data, registry)
        guess = registry.closest(ident)
        if fits is not None and fits.id != guess:
            hint = (
                f"This looks like a '{fits.id}' audit (its keys are those of {fits.spec.title}): if it "
                f"is, write 'standards: {fits.id}'. Otherwise use one of the known ids"
            )
        else:
            hint = (f"Did you mean '{guess}'? " if guess else "") + "Use one of the known ids"
        report.diagnostics.append(
            diagnostic(
                "QA201",
                doc.locate(["standards"]),
                f"Unknown framework '{clip(ident)}' in 'standards:'; the known frameworks are: "
                f"{', '.join(known)}.",
                hint + ", or add your own framework with --standards DIR.",
            )
        )
        return None
    return framework


def _kind(doc: Document) -> str:
    data = doc.data
    if isinstance(data, list):
        return "a list"
    if isinstance(data, str):
        # YAML reads lines of text with no 'key: value' in them (a CSV file's rows) as one
        # value: they were called "a single line of text".
        root = doc.root
        if root is not None and root.end_mark.line > root.start_mark.line:
            return "lines of text, none of them a 'key: value' line"
        return "a single line of text"
    return f"a single value ({data!r})"


def _not_a_block_hint(path: str) -> str:
    """How to start an audit, or, for a spreadsheet saved as CSV, how its rows become audits."""
    if path.lower().endswith((".csv", ".tsv")):
        return (
            "A CSV file is not an audit: give the audits' .yaml files. To bring in a spreadsheet "
            "of past audits, `qaimpact import FILE --mapping MAPPING` turns its rows into audits "
            "(see docs/import.md)."
        )
    # examples/ is in the source repository only: an installed qaimpact writes a blank audit.
    return (
        "Start from a blank audit, in which each line is 'key: value': qaimpact new --standards ID -o "
        "FILE writes one (qaimpact standards list shows the ids)."
    )


#: Keys that name an audit or a record (:data:`~qaimpact.models.kinds.NAMING_KEYS`), and keys
#: that every audit has: compared as typed ignoring case and spaces.
_NAMING_KEYS = frozenset(NAMING_KEYS)
_AUDIT_KEYS = frozenset(("review_date", "practitioner", "reviewer", "case"))


def looks_like_audit(data: Any) -> bool:
    """Whether parsed YAML is meant as an audit (or a record of another kind): a mapping with
    ``standards:``, ``audit_id:`` or ``record_id:``, or two of the keys every audit has
    (``review_date``, ``practitioner``, ``reviewer``, ``case``), whatever their case.

    A CI configuration or a docker-compose file is none of these. An audit whose first lines
    were lost, or pasted from Word with each line's first letter in capitals (``Standards:``),
    still is one: skipping it as "not an audit" would leave it out of every report, and an
    inadequate grade in it unescalated, with no more than a note.
    """
    if not isinstance(data, dict):
        return False
    # Nearly every audit names its framework as written: no need to tidy every key to see it.
    if "standards" in data or "audit_id" in data or "record_id" in data:
        return True
    keys = {"_".join(k.split()).casefold() for k in data if isinstance(k, str)}
    return not keys.isdisjoint(_NAMING_KEYS) or len(keys & _AUDIT_KEYS) >= 2


def what_it_is(check: AuditCheck) -> tuple[str, str] | None:
    """What a file given where an audit is needed is instead, and what uses it, as two phrases:
    ``("a feedback record", "`qaimpact validate FILE` checks it")``. ``None`` for an audit. The
    commands that need an audit (``grade``, ``report``) say so in these words.

    Import mappings and the quarterly report's narratives are known by their names (see
    :data:`MAPPING_SUFFIXES`), records by the kind they name.
    """
    name = check.path
    if name.endswith(MAPPING_SUFFIXES):
        return "an import mapping", f"`qaimpact import SHEET --mapping {name}` uses it"
    if name.endswith(NARRATIVE_SUFFIXES):
        return "a quarterly report's narrative", f"`qaimpact quarterly --narrative {name}` uses it"
    if check.kind is None:
        return None
    declared = check.framework.spec.records.get(check.kind) if check.framework is not None else None
    what = f"a {declared.label.lower()} record" if declared else f"a record of kind '{check.kind}'"
    return what, f"`qaimpact validate {name}` checks it"


def skipped_name(name: str) -> str | None:
    """Why ``validate`` and every report skip a file of this name, in words (``None``: they read
    it): a name ending ``.mapping.yaml`` or ``.narrative.yaml`` (or ``.yml``) is taken to be an
    import mapping or a quarterly report's narrative, never an audit, so an audit written under
    such a name would never be checked, counted or escalated."""
    if name.endswith(MAPPING_SUFFIXES):
        return "names ending .mapping.yaml are import mappings"
    if name.endswith(NARRATIVE_SUFFIXES):
        return "names ending .narrative.yaml are the quarterly report's narratives"
    return None


def not_an_audit(path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> bool:
    """Whether a YAML file is readable and plainly not an audit (see :func:`looks_like_audit`).
    A file that cannot be read is not judged here: checking it reports why."""
    try:
        return not looks_like_audit(load_file(path, str(path), max_size=max_size).data)
    except LoadError:
        return False


#: Names that are plainly meant as YAML but are not read: a suffix in capitals (``.YAML``), or
#: the ``.txt`` Windows Notepad adds (``audit.yaml.txt``).
_NEAR_MISSES = (*AUDIT_SUFFIXES, ".yaml.txt", ".yml.txt")


def misnamed_audits(
    unread: Iterable[Path], max_size: int = DEFAULT_MAX_FILE_SIZE
) -> tuple[list[AuditCheck], list[Path]]:
    """Of the files :func:`expand_paths` found named like YAML but did not read (``unread``),
    those meant as audits, each as an invalid check holding QA115, and the others.

    A file is meant as an audit when it holds one, or cannot be read to tell
    (:func:`not_an_audit`): left out with a note, an inadequate audit in it would never be
    escalated, and every report would exit 0.
    """
    meant: list[AuditCheck] = []
    others: list[Path] = []
    for path in unread:
        if not_an_audit(path, max_size):
            others.append(path)
            continue
        name = str(path)
        meant.append(
            AuditCheck(
                name,
                [
                    diagnostic(
                        "QA115",
                        Location(name),
                        f"The file is named '{path.name}', so it is not read: only names ending in .yaml "
                        "or .yml, in small letters, are read, and this audit is never checked, counted "
                        "or escalated.",
                        f"Rename it '{readable_name(path.name)}' (Windows Notepad may have added .txt).",
                    )
                ],
            )
        )
    return meant, others


def readable_name(name: str) -> str:
    """The name a file named plainly as YAML but not read should have: ``AUDIT.YAML`` and
    ``audit.yaml.txt`` become ``AUDIT.yaml`` and ``audit.yaml``."""
    if name.lower().endswith(".txt"):
        name = name[: -len(".txt")]
    stem, _, suffix = name.rpartition(".")
    return f"{stem}.{suffix.lower()}"


def expand_paths(paths: Iterable[Path], *, unread: list[Path] | None = None) -> Iterator[Path]:
    """Files named, and ``*.yaml``/``*.yml`` files under folders named, in a stable order.

    Hidden folders (such as ``.git``), import mappings (``*.mapping.yaml``) and the quarterly
    report's narratives (``*.narrative.yaml``) are skipped. A file reached twice (a folder given
    twice, or a folder and one inside it) is given once, so that no audit is counted twice.
    Files under the folders whose names are plainly meant as YAML but are not read
    (``AUDIT.YAML``, ``audit.yaml.txt``) are added to ``unread``, so that a command can say so.
    Raises :class:`UsageError` for a path that does not exist.
    """
    paths = list(paths)
    found = _expand(paths, unread if unread is not None else [])
    if len(paths) == 1:
        # One file, or one folder's walk, which never gives a file twice: nothing to compare.
        yield from found
        return
    seen: set[str] = set()
    for found_path in found:
        # abspath normalises without asking the file system: cheap for 10,000 files.
        key = os.path.abspath(found_path)
        if key not in seen:
            seen.add(key)
            yield found_path


def _expand(paths: Iterable[Path], unread: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            found: list[tuple[str, str, Path]] = []
            missed: list[str] = []
            # One walk, pruning hidden folders as it goes: far cheaper than testing each file.
            for folder, dirs, names in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                # Each file's path made from its folder's: parsing a name alone is a third of the
                # cost of parsing the whole path again, 10,000 times.
                here: Path | None = None
                for n in names:
                    if n.startswith("."):
                        continue
                    if n.endswith(AUDIT_SUFFIXES):
                        if not n.endswith(MAPPING_SUFFIXES + NARRATIVE_SUFFIXES):
                            here = here or Path(folder)
                            found.append((os.path.join(folder, n), n, here))
                    elif n.lower().endswith(_NEAR_MISSES):
                        missed.append(os.path.join(folder, n))
            unread.extend(Path(p) for p in sorted(missed))
            # In the order of the paths' text, which are all different: no two paths are compared.
            found.sort()
            yield from (folder_path / n for _, n, folder_path in found)
        elif path.exists():
            if leftover_of(path) is not None:
                raise UsageError(
                    f"'{path}' is a temporary file left by an interrupted write of "
                    f"{leftover_of(path)}, not an audit; `qaimpact fmt` and `migrate` remove it."
                )
            yield path
        else:
            raise UsageError(f"'{path}' does not exist. Give audit files or folders that contain them.")

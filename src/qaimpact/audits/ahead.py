"""The escalations an audit with errors certainly needs, before its problems are put right.

An audit with errors has no grade, and reports leave it out. But what it already says can make
an escalation certain: the auditor recorded Inadequate, or a standard is rated inadequate under
"any standard rated inadequate" while only the team is missing. A safety signal is never hidden
behind an unrelated problem, so the audit form, every report's list of the files it left out and
the escalations report say these (:func:`escalations_ahead`).

Only what cannot change as the problems are put right is said. Each error is placed on the values
of the audit it is about (the value on its line, and each value its message names); the values
the grade and the escalation rules read are the ratings, the standards' facts, the recorded and
moderated grades and every field a rule names (:func:`grading_paths`). Nothing here reads a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from yaml.nodes import MappingNode, Node, SequenceNode

from qaimpact.base.diagnose import meant_choice
from qaimpact.base.loader import Document
from qaimpact.grading.escalation_triggers import Trigger, certain_triggers, whatever_the_ratings_give
from qaimpact.models.findings import Diagnostic
from qaimpact.models.standard import Framework

#: Where a value is in an audit: its keys from the top, list positions as digits.
DataPath = tuple[str, ...]

#: A data path as a finding's message quotes it (``'case.team'``, ``'remedial_actions[0].owner'``).
_QUOTED = re.compile(r"'([A-Za-z0-9_][A-Za-z0-9_.\[\]-]*)'")


def paths_by_line(root: Node | None) -> dict[int, DataPath]:
    """The deepest data path that starts on each line of a parsed file."""
    found: dict[int, DataPath] = {}

    def walk(node: Node, path: DataPath) -> None:
        if isinstance(node, MappingNode):
            for key, value in node.value:
                here = (*path, str(key.value))
                found[key.start_mark.line + 1] = here
                walk(value, here)
        elif isinstance(node, SequenceNode):
            for index, value in enumerate(node.value):
                here = (*path, str(index))
                found[value.start_mark.line + 1] = here
                walk(value, here)

    if root is not None:
        walk(root, ())
    return found


def dotted(path: str) -> DataPath:
    """``'remedial_actions[0].owner'`` as a data path: ``("remedial_actions", "0", "owner")``."""
    return tuple(part for part in re.split(r"[.\[\]]+", path) if part)


def rating_paths(framework: Framework) -> dict[DataPath, str]:
    """Where each standard's rating is in an audit, and the standard's id."""
    return {
        (group.id, std.id, "rating"): std.id for group in framework.spec.groups for std in group.standards
    }


def grading_paths(framework: Framework) -> set[DataPath]:
    """The values the grade or an escalation rule may read: every standard's rating and facts, the
    recorded and the moderated grade, and each field a rule of the framework names."""
    paths = set(rating_paths(framework))
    for group in framework.spec.groups:
        for std in group.standards:
            paths |= {(group.id, std.id, name) for name in std.fields}
    paths.add((framework.spec.grades.key,))
    paths.add(("moderation", "moderated_grade"))
    paths |= {dotted(name) for name in framework.fields_read}
    return paths


def wrong_paths(
    diagnostics: Iterable[Diagnostic], lines: Mapping[int, DataPath]
) -> tuple[set[DataPath], bool]:
    """The values the errors are about (the one each finding names exactly, else the value on its
    line and each one its message quotes), and whether an error is about none in particular (the
    whole file)."""
    wrong: set[DataPath] = set()
    general = False
    for diag in diagnostics:
        if not diag.is_error:
            continue
        if diag.data_path is not None:
            # The check knows the value exactly: a missing or mistyped standard's key is about that
            # standard, not the whole block of standards its finding is placed at (which would
            # hide an escalation the other standards already make certain).
            wrong.add(diag.data_path)
            continue
        path = lines.get(diag.location.line) if diag.location.line else None
        if path is None:
            general = True
        else:
            wrong.add(path)
        wrong |= {dotted(quoted) for quoted in _QUOTED.findall(diag.message)}
    return wrong, general


def _overlaps(a: DataPath, b: DataPath) -> bool:
    # An error on a block is about every value in it; one on a value, about the blocks holding it.
    return a[: len(b)] == b or b[: len(a)] == a


def escalations_ahead(
    framework: Framework, data: Any, wrong: Iterable[DataPath], *, general: bool
) -> list[Trigger]:
    """The escalation rules an audit with errors certainly triggers once they are put right.

    ``data`` is the audit as read (not validated), ``wrong`` the values its errors are about and
    ``general`` whether an error is about none in particular (:func:`wrong_paths`). Where no error
    is on a value the rules read but ratings, the rules are applied whatever those ratings turn
    out to be (:func:`~qaimpact.grading.escalation_triggers.certain_triggers`); otherwise only
    the recorded and moderated grades without errors are sure, and only the rules that hold
    whatever the ratings give are said
    (:func:`~qaimpact.grading.escalation_triggers.whatever_the_ratings_give`).
    """
    if not isinstance(data, Mapping):
        return []
    data, named = read_as_meant(framework, data)
    # A grade written as its label is the auditor's judgement all the same: its error (the
    # spelling) is not about what the grade is.
    wrong = [w for w in wrong if w not in named]
    touched = {p for p in grading_paths(framework) if any(_overlaps(p, w) for w in wrong)}
    ratings = rating_paths(framework)
    if not general and touched <= ratings.keys():
        clean, unknown = _rated(framework, data, {ratings[p] for p in touched})
        try:
            sure = certain_triggers(framework, clean, unknown)
        except (AttributeError, KeyError, TypeError, ValueError):
            # A value of the wrong shape no error was placed on: nothing from the ratings is sure.
            sure = None
        if sure is not None:
            return sure
    return whatever_the_ratings_give(
        framework,
        _grade_held(data, (framework.spec.grades.key,), touched),
        _grade_held(data, ("moderation", "moderated_grade"), touched),
    )


def read_as_meant(framework: Framework, data: Mapping[str, Any]) -> tuple[Mapping[str, Any], set[DataPath]]:
    """The audit with each rating, recorded grade and moderated grade that names one of the
    framework's as Word or a first-timer writes it (``Inadequate``, ``"good "``, ``RI``:
    :func:`~qaimpact.base.diagnose.meant_choice`) read as the one it names, and where those are.

    The auditor's judgement is in the file, only not spelled as the file needs: an escalation it
    makes certain is said now, not once the spelling is put right (its finding says how). A rating
    read as not applicable stays open, as do misspellings ("inadequte"), which name nothing for
    sure. ``data`` is not changed: the blocks holding a value read otherwise are copied.
    """
    ratings = [r.id for r in framework.spec.ratings]
    grades = list(framework.grade_rank)
    found: dict[DataPath, str] = {}
    for path, _std in rating_paths(framework).items():
        meant = meant_choice(_at(data, path), ratings, framework.rating_labels)
        if meant is not None and meant != _at(data, path):
            found[path] = meant
    for path in ((framework.spec.grades.key,), ("moderation", "moderated_grade")):
        meant = meant_choice(_at(data, path), grades, framework.grade_labels)
        if meant is not None and meant != _at(data, path):
            found[path] = meant
    read: Mapping[str, Any] = data
    for path, meant in found.items():
        read = _with(read, path, meant)
    return read, set(found)


def _at(data: Any, path: DataPath) -> Any:
    """The value at ``path``, or None where a block on the way is missing or not a block."""
    for key in path:
        data = data.get(key) if isinstance(data, Mapping) else None
    return data


def _with(data: Mapping[str, Any], path: DataPath, value: Any) -> dict[str, Any]:
    """A copy of ``data`` with ``value`` at ``path`` (whose blocks exist: :func:`_at` found it)."""
    copy = dict(data)
    copy[path[0]] = value if len(path) == 1 else _with(data[path[0]], path[1:], value)
    return copy


def _rated(
    framework: Framework, data: Mapping[str, Any], unknown: set[str]
) -> tuple[dict[str, Any], set[str]]:
    """The audit with the entries of the standards whose ratings are open left out, and the open
    standards: those ``unknown`` and any whose entry (or group) is not a block of keys, which an
    audit with errors can hold."""
    clean = dict(data)
    unknown = set(unknown)
    for group in framework.spec.groups:
        entries = clean.get(group.id)
        if entries is None:
            continue
        ids = [std.id for std in group.standards]
        if not isinstance(entries, Mapping):
            unknown.update(ids)
            clean[group.id] = {}
            continue
        unknown.update(i for i in ids if i in entries and not isinstance(entries[i], Mapping))
        clean[group.id] = {k: v for k, v in entries.items() if k not in unknown}
    return clean, unknown


def _grade_held(data: Mapping[str, Any], path: Sequence[str], touched: set[DataPath]) -> str | None:
    """The grade at ``path`` where no error is about it (one off the scale is left out later)."""
    if tuple(path) in touched:
        return None
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value if isinstance(value, str) else None


def triggers_ahead(
    framework: Framework, doc: Document, diagnostics: Sequence[Diagnostic], *, omitted_errors: int = 0
) -> list[Trigger]:
    """The escalation rules an audit read as ``doc``, with these errors, certainly triggers once
    they are put right (:func:`escalations_ahead` of the values its errors are about).

    Errors past the cap of findings shown (``omitted_errors``) could be about any value, so only
    the recorded and moderated grades are then taken as sure.
    """
    wrong, general = wrong_paths(diagnostics, paths_by_line(doc.root))
    return escalations_ahead(framework, doc.data, wrong, general=general or omitted_errors > 0)

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

A rating the auditor wrote under a mistyped key in a block of standards (``Planing:``) counts
(:func:`written_ratings`): it is the rating of a standard missing from that block, the one the key
names or resembles (the key QA203's "Did you mean" gives), else any of them, and then an
escalation is said only where it holds whichever of them the key is meant for.

A rating, recorded or moderated grade misspelt (``inadequte``) is read as the one choice its
finding's "Did you mean" offers (:func:`misspellings`), only where that makes an escalation certain
that is not certain without it: escalating needlessly is the safe error, and the line says how the
value was taken. A misspelling close to two choices, or whose reading escalates nothing, stays open.
In the same way, a standard rated below the framework's 'good' line although the case details say
it does not apply (QA320) is read as applying (:func:`applicability_slips`): one of the two facts
is wrong, and the rating is the auditor's own judgement of the practice.

A file YAML cannot read at all is read again with the lines it stops at blanked
(:func:`~qaimpact.base.salvage.read_around`), and every value those lines could have held, or
moved, is unknown (:func:`unread_paths`, :func:`triggers_unreadable`).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qaimpact.base.diagnose import allowed_keys, key_named, meant_choice, misspelt_choice, suggest
from qaimpact.base.escaping import clip
from qaimpact.base.loader import Document
from qaimpact.base.salvage import Blanked, Salvage
from qaimpact.grading.escalation_triggers import Trigger, certain_in_every, whatever_the_ratings_give
from qaimpact.models.audit import audit_model, describe_path, path_names, rating_choices
from qaimpact.models.findings import Diagnostic
from qaimpact.models.listing import close_choices
from qaimpact.models.standard import NOT_APPLICABLE, Framework, Group

#: Where a value is in an audit: its keys from the top, list positions as digits.
DataPath = tuple[str, ...]

#: A data path as a finding's message quotes it (``'case.team'``, ``'remedial_actions[0].owner'``).
_QUOTED = re.compile(r"'([A-Za-z0-9_][A-Za-z0-9_.\[\]-]*)'")


def paths_by_line(root: Node | None) -> dict[int, DataPath]:
    """The data path of the value that starts last on each line of a parsed file, in the order
    its keys and items are written: the deepest, unless a value of a block in braces or a list in
    brackets on the same line comes after it."""
    last: dict[int, _Entry] = {}
    for entry in _entries(root):
        held = last.get(entry.line)
        if held is None or entry.order > held.order:
            last[entry.line] = entry
    return {line: entry.path for line, entry in last.items()}


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
    framework: Framework,
    data: Any,
    wrong: Iterable[DataPath],
    *,
    general: bool,
    unknown: Iterable[DataPath] = (),
) -> list[Trigger]:
    """The escalation rules an audit with errors certainly triggers once they are put right.

    ``data`` is the audit as read (not validated), ``wrong`` the values its errors are about and
    ``general`` whether an error is about none in particular (:func:`wrong_paths`). The rules are
    applied whatever the values the errors are about turn out to be (:func:`_whatever_they_are`):
    a rating may be any rating or none, a recorded or moderated grade any grade or none, a field
    a rule reads any value a rule compares it with or another, and a fact of a standard may
    change its rating; the ratings the auditor wrote under mistyped keys count as
    :func:`written_ratings` reads them. Where that cannot be worked out, only the recorded and
    moderated grades without errors are sure, and only the rules that hold whatever the ratings give are said
    (:func:`~qaimpact.grading.escalation_triggers.whatever_the_ratings_give`). ``unknown``: values
    of a file not read in full that may hold anything (:func:`unread_paths`), even where one is
    written as it is meant elsewhere.

    A rule made certain only by reading misspelt ratings or grades as the one choice each one's
    finding offers (:func:`misspellings`) is said too, saying how they were taken
    (:func:`_reading_slips`); never one where a line left unread may have held the value.
    """
    if not isinstance(data, Mapping):
        return []
    written = data
    data, named = read_as_meant(framework, data)
    # A grade written as its label is the auditor's judgement all the same: its error (the
    # spelling) is not about what the grade is.
    wrong = [w for w in wrong if w not in named]
    # What a line left unread held is not known, however a value read elsewhere is written.
    unread = list(unknown)
    wrong.extend(unread)
    said = _sure(framework, data, wrong, general=general)
    slips = [
        slip
        for slip in [*misspellings(framework, written, data), *applicability_slips(framework, data)]
        if not any(_overlaps(path, u) for path in (slip.path, *slip.settles) for u in unread)
    ]
    return _reading_slips(framework, data, wrong, said, slips, general=general) if slips else said


def _sure(
    framework: Framework, data: Mapping[str, Any], wrong: Iterable[DataPath], *, general: bool
) -> list[Trigger]:
    """:func:`escalations_ahead` of the audit ``data`` as it is read."""
    touched = {p for p in grading_paths(framework) if any(_overlaps(p, w) for w in wrong)}
    if not general:
        try:
            sure = _whatever_they_are(framework, data, touched)
        except (AttributeError, KeyError, TypeError, ValueError):
            # A value of the wrong shape no error was placed on: nothing from the ratings is sure.
            sure = None
        if sure is not None:
            return sure
    return _recorded_only(framework, data, touched)


#: A value no rule compares a field with: "something else" (no text typed in a form holds it).
_OTHER = "\x00any other value"

#: At most this many ways of putting the values in error right are tried, else nothing is sure.
_MOST_WAYS = 64


def _whatever_they_are(
    framework: Framework, data: Mapping[str, Any], touched: set[DataPath]
) -> list[Trigger] | None:
    """The rules that hold however the values ``touched`` (which the errors are about, among
    those the rules read) are put right, in file order; None if that cannot be said.

    A rating in error is open (:func:`~qaimpact.grading.escalation_triggers.certain_triggers`
    tries every rating), and so is the rating of a standard whose fact is in error: a rule of the
    standard may then allow other ratings. A field a rule reads, or a recorded or moderated grade,
    is tried with each value it could be put right to that a rule can tell apart. A rule is said
    when it holds every way; its reasons are those of the first way (the field holding a value
    no rule names, the grade not recorded), which name no value in error.
    """
    ratings = rating_paths(framework)
    facts = {
        (group.id, std.id, name): std.id
        for group in framework.spec.groups
        for std in group.standards
        for name in std.fields
    }
    grades: list[Any] = [None, *framework.grade_rank]
    compared = framework.values_compared
    open_ratings = {ratings[p] for p in touched if p in ratings}
    open_ratings |= {facts[p] for p in touched if p in facts}
    ways: list[tuple[DataPath, list[Any]]] = []
    for path in sorted(touched - ratings.keys()):
        if path in ((framework.spec.grades.key,), ("moderation", "moderated_grade")):
            ways.append((path, grades))
        elif ".".join(path) in framework.fields_read:
            named = compared.get(".".join(path))
            if named is None:
                # Read some other way than compared with a value: no list of values is sure.
                return None
            ways.append((path, [_OTHER, *named]))
            # Whether a standard applies may change with the field: its rating may then change too
            # (to be given, or to not_applicable).
            open_ratings |= {
                std.id
                for std in framework.standards.values()
                if std.applies_when is not None and std.applies_when.field == ".".join(path)
            }
        elif path not in facts:
            return None
    if math.prod(len(values) for _, values in ways) > _MOST_WAYS:
        return None
    found: dict[str, list[Trigger]] | None = None
    for chosen in itertools.product(*(values for _, values in ways)):
        read = dict(data)
        for (path, _), value in zip(ways, chosen, strict=True):
            _put(read, path, value)
        clean, unknown = _rated(framework, read, open_ratings)
        sure = certain_in_every(framework, written_ratings(framework, read, clean, unknown))
        if sure is None:
            return None
        held = {t.rule.id: t for t in sure}
        if found is None:
            found = {rule: [t] for rule, t in held.items()}
        else:
            found = {rule: [*ts, held[rule]] for rule, ts in found.items() if rule in held}
        if not found:
            return []
    if found is None:
        return []
    recorded = {t.rule.id: t for t in _recorded_only(framework, data, touched)}
    return [_said(ts, recorded.get(rule)) for rule, ts in found.items()]


def _recorded_only(framework: Framework, data: Mapping[str, Any], touched: set[DataPath]) -> list[Trigger]:
    """The rules the recorded and moderated grades without errors make certain whatever the
    ratings give (:func:`~qaimpact.grading.escalation_triggers.whatever_the_ratings_give`)."""
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
    sure: :func:`escalations_ahead` reads one as meant only where that escalates
    (:func:`misspellings`). A yes/no question a rule reads, answered in words (``Y``, ``Yes -
    strategy meeting today``), is read by its first word (:func:`_answer`). A key the rules read,
    typed with a slip at the top of the audit (``overal_judgement:``), is read as the key
    (:func:`_top_keys_meant`). ``data`` is not changed: the blocks holding a value read otherwise are copied.
    """
    ratings = [r.id for r in framework.spec.ratings]
    grades = list(framework.grade_rank)
    found: dict[DataPath, Any] = {}
    for key, written in _top_keys_meant(framework, data).items():
        # `overal_judgement: inadequate`: the auditor's grade, under a key typed with a slip.
        found[(key,)] = data[written]
    if found:
        data = {**data, **{path[0]: value for path, value in found.items()}}
    for path, _std in rating_paths(framework).items():
        meant = meant_choice(_at(data, path), ratings, framework.rating_labels)
        if meant is not None and meant != _at(data, path):
            found[path] = meant
    for path in ((framework.spec.grades.key,), ("moderation", "moderated_grade")):
        meant = meant_choice(_at(data, path), grades, framework.grade_labels)
        if meant is not None and meant != _at(data, path):
            found[path] = meant
    for name, values in framework.values_compared.items():
        # A yes/no question a rule reads, answered "Y" or "Yes - strategy meeting today" (QA206).
        answer = _answer(_at(data, dotted(name)))
        if answer is not None and all(isinstance(v, bool) for v in values):
            found[dotted(name)] = answer
    read: Mapping[str, Any] = data
    for path, meant in found.items():
        read = _with(read, path, meant)
    return read, set(found)


@dataclass(frozen=True, slots=True)
class Slip:
    """A rating, recorded or moderated grade misspelt, and the one choice its finding offers."""

    #: Where the value is in the audit.
    path: DataPath
    #: The value as written (``inadequte``).
    written: str
    #: The choice "Did you mean" offers for it, and no other is close to it (``inadequate``); for
    #: a standard's applicability, the value of the case detail that makes it apply.
    meant: Any
    #: The other values this reading puts right (the rating of a standard read as applying).
    settles: tuple[DataPath, ...] = ()
    #: How the escalation's line says the value was taken, where :func:`taken_as` cannot word it.
    said: str = ""


def misspellings(framework: Framework, written: Mapping[str, Any], data: Mapping[str, Any]) -> list[Slip]:
    """The ratings, recorded and moderated grades of ``data`` (the audit as :func:`read_as_meant`
    reads it) misspelt, each with the one choice its finding's "Did you mean" offers
    (:func:`~qaimpact.base.diagnose.misspelt_choice`, on the choices that finding lists: a rating
    may be not applicable where the audit ``written`` says the standard does not apply), in the
    framework's order. A misspelling close to two choices names neither; one close to not
    applicable alone is left open, as a rating read as not applicable is."""
    found: list[Slip] = []
    for path in rating_paths(framework):
        value = _at(data, path)
        choices = rating_choices(framework, written, path) or []
        meant = misspelt_choice(value, choices, framework.rating_labels, rating=True)
        if isinstance(value, str) and meant is not None and meant != NOT_APPLICABLE:
            found.append(Slip(path, value, meant))
    grades = list(framework.grade_rank)
    for path in ((framework.spec.grades.key,), ("moderation", "moderated_grade")):
        value = _at(data, path)
        meant = misspelt_choice(value, grades, framework.grade_labels)
        if isinstance(value, str) and meant is not None:
            found.append(Slip(path, value, meant))
    return found


def applicability_slips(framework: Framework, data: Mapping[str, Any]) -> list[Slip]:
    """Each standard of ``data`` rated below the framework's 'good' line although the case detail
    its applicability reads says it does not apply (QA320), as a :class:`Slip` of that detail to
    the value that makes it apply, in the framework's order.

    One of the two facts is wrong, and the auditor says which; until then the rating, the
    auditor's own judgement of the practice, is the most severe evidence the audit holds, so an
    escalation it makes certain is said (:func:`_reading_slips`), with how it was read."""
    found: list[Slip] = []
    for group in framework.spec.groups:
        for std in group.standards:
            cond = std.applies_when
            rating = _at(data, (group.id, std.id, "rating"))
            if (
                cond is None
                or not isinstance(rating, str)
                or framework.rating_rank.get(rating, -1) <= framework.development_rank
            ):
                continue
            field = dotted(cond.field)
            held = _at(data, field)
            if held == cond.equals:
                continue
            if held is None:
                detail = "is not given"
            elif isinstance(held, bool) and isinstance(cond.equals, bool):
                detail = "says it does not"
            else:
                detail = f"is {_as_written(held)}"
            found.append(
                Slip(
                    field,
                    clip(str(held)),
                    cond.equals,
                    settles=((group.id, std.id, "rating"),),
                    said=f"'{std.short_name}' is rated {framework.rating_labels.get(rating, rating)}, so it "
                    f"was taken as applying, although '{cond.field}' {detail}",
                )
            )
    return found


def _as_written(value: Any) -> str:
    """A value as an audit writes it, for a line that quotes it: ``true``, ``'maybe'``, a list."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "a block of keys"
    if isinstance(value, list):
        return "a list"
    return f"'{clip(str(value))}'"


def _reading_slips(
    framework: Framework,
    data: Mapping[str, Any],
    wrong: Sequence[DataPath],
    said: list[Trigger],
    slips: Sequence[Slip],
    *,
    general: bool,
) -> list[Trigger]:
    """The escalations ``said`` of the audit ``data``, and each rule made certain only by reading
    some of its ``slips`` as the choice meant, in the framework's order.

    The misspellings a rule needs are found by leaving out, one at a time, each it holds without;
    its line is the rule's as those alone, read, give it, with how each was taken. A rule said
    already keeps its line: reading a misspelling never takes an escalation away.
    """

    def sure(chosen: Sequence[Slip]) -> dict[str, Trigger]:
        read = data
        for slip in chosen:
            read = _with(read, slip.path, slip.meant)
        paths = {slip.path for slip in chosen} | {p for slip in chosen for p in slip.settles}
        return {
            t.rule.id: t
            for t in _sure(framework, read, [w for w in wrong if w not in paths], general=general)
        }

    found = {t.rule.id: t for t in said}
    for rule in sure(slips):
        if rule in found:
            continue
        needed = list(slips)
        for slip in slips:
            fewer = [s for s in needed if s != slip]
            if rule in sure(fewer):
                needed = fewer
        trigger = sure(needed)[rule]
        found[rule] = replace(trigger, reasons=(*trigger.reasons, *(taken_as(framework, s) for s in needed)))
    return [found[rule.id] for rule in framework.spec.escalations if rule.id in found]


def taken_as(framework: Framework, slip: Slip) -> str:
    """How a misspelling was read, as the escalation's line says it: ``the rating 'inadequte' at
    'practice_standards.lived_experience' was taken as 'inadequate'``."""
    if slip.said:
        return slip.said
    shown, meant = clip(slip.written), slip.meant
    if slip.path == (framework.spec.grades.key,):
        return f"the auditor's grade '{shown}' was taken as '{meant}'"
    if slip.path == ("moderation", "moderated_grade"):
        return f"the moderator's grade '{shown}' was taken as '{meant}'"
    # Named by its keys, as its finding names it: a standard's title can be a paragraph.
    return f"the rating '{shown}' at '{'.'.join(slip.path[:2])}' was taken as '{meant}'"


def _top_keys_meant(framework: Framework, data: Mapping[str, Any]) -> dict[str, str]:
    """Each key at the top of an audit that the grade or a rule reads (the recorded grade, the
    moderation, the immediate actions, each field a rule names) which the audit lacks, and the
    one key it holds in its place: a key no audit may hold that QA203's "Did you mean" takes for
    it (by its label, or as the closest key). Two such keys for one leave it unread: which of
    them is meant is not known."""
    allowed = allowed_keys(audit_model(framework), [])
    spec = framework.spec
    read = {spec.grades.key, "moderation", *(name.split(".")[0] for name in framework.fields_read)}
    if spec.immediate_actions is not None:
        read.add(spec.immediate_actions.key)
    found: dict[str, list[str]] = {}
    for key in data:
        if not isinstance(key, str) or key in allowed:
            continue
        meant = key_named(key, allowed, [], None) or suggest(key, allowed)
        if meant is not None and meant in read and meant not in data:
            found.setdefault(meant, []).append(key)
    return {meant: keys[0] for meant, keys in found.items() if len(keys) == 1}


#: The first word of a yes/no answer written as a person writes it, and the answer it gives.
_ANSWERS = {"y": True, "yes": True, "true": True, "n": False, "no": False, "false": False}


def _answer(value: Any) -> bool | None:
    """The answer a yes/no question's text gives by its first word (``Y``, ``Yes - today``,
    ``No, see below``), or None: only text is read (``1`` or ``on`` names no answer for sure)."""
    if not isinstance(value, str):
        return None
    first = re.match(r"\s*([^\W\d_]+)", value)
    return _ANSWERS.get(first.group(1).casefold()) if first else None


def _at(data: Any, path: DataPath) -> Any:
    """The value at ``path``, or None where a block on the way is missing or not a block."""
    for key in path:
        data = data.get(key) if isinstance(data, Mapping) else None
    return data


def _with(data: Mapping[str, Any], path: DataPath, value: Any) -> dict[str, Any]:
    """A copy of ``data`` with ``value`` at ``path``; a block on the way that is missing, or in error
    and not a block (``case:`` left empty, or written as text), is made one, as :func:`_put` does."""
    copy = dict(data)
    if len(path) == 1:
        copy[path[0]] = value
    else:
        inner = data.get(path[0])
        copy[path[0]] = _with(inner if isinstance(inner, Mapping) else {}, path[1:], value)
    return copy


def _said(ways: list[Trigger], recorded: Trigger | None) -> Trigger:
    """One rule's trigger, held every way the values in error are put right, with only the reasons
    that are sure: those every way gives; else the recorded grade's (where it alone makes the rule
    certain); else the first way's, which names no value in error."""
    first = ways[0]
    common = tuple(r for r in first.reasons if all(r in t.reasons for t in ways[1:]))
    if common == first.reasons or (common and recorded is None):
        return Trigger(first.rule, common, all(t.from_moderation for t in ways))
    return recorded if recorded is not None else first


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


def written_ratings(
    framework: Framework, data: Mapping[str, Any], clean: Mapping[str, Any], unknown: set[str]
) -> list[tuple[dict[str, Any], set[str]]]:
    """The ways audit ``data`` may be rated once its errors are put right, as the ratings its
    auditor wrote say: each the audit (``clean``, with the entries of the standards ``unknown``
    left out) and the standards still open in it.

    A standard whose entry is the rating alone in place of its block (``planning: inadequate``), or
    a rating named as :func:`~qaimpact.base.diagnose.meant_choice` reads it (its label, capitals,
    quotation marks; a misspelling names nothing), is rated so. A key in a block of standards
    that is no standard's, holding a rating so named, is taken for a standard missing from the
    block (or written with nothing under it, its lines not indented under it): the one it names by
    label or id written another way, a standard of another group it so names (in the wrong
    block), or the one QA203's "Did you mean" gives; a key resembling a standard the block holds
    already leaves its rating uncounted (which of the two is meant is not known). A key that
    resembles none is taken for each missing standard in turn: one way for each, so that an
    escalation is said only where it holds whichever is meant. Two keys taken for one standard
    give a way for each rating written. Past ``_MOST_WAYS`` ways (as for the
    values in error), those keys are not counted.
    """
    scale = list(framework.rating_rank)
    labels = framework.rating_labels
    clean = dict(clean)
    unknown = set(unknown)
    for std in sorted(unknown):
        group_id = framework.group_of[std]
        entries = data.get(group_id)
        entry = entries.get(std) if isinstance(entries, Mapping) else None
        held = entry.get("rating") if isinstance(entry, Mapping) else entry
        if isinstance(entry, Mapping) and held in scale:
            # Written as it should be, so the error on it is about something else: it stays open.
            continue
        rating = meant_choice(held, scale, labels)
        if rating is not None:
            block = clean.get(group_id)
            kept = dict(entry) if isinstance(entry, Mapping) else {}
            clean[group_id] = {
                **(block if isinstance(block, Mapping) else {}),
                std: {**kept, "rating": rating},
            }
            unknown.discard(std)
    strays: list[tuple[list[tuple[str, str]], str]] = []
    for group in framework.spec.groups:
        entries = data.get(group.id)
        if not isinstance(entries, Mapping):
            continue
        ids = {s.id for s in group.standards}
        for key, value in entries.items():
            held = value.get("rating") if isinstance(value, Mapping) else value
            rating = meant_choice(held, scale, labels)
            if not isinstance(key, str) or key in ids or rating is None:
                continue
            places = _meant_for(framework, data, group, key)
            if places:
                strays.append((places, rating))
    ways = 1
    for places, _ in strays:
        ways *= len(places)
    if ways > _MOST_WAYS:
        strays = []
    cases: list[tuple[dict[str, Any], set[str]]] = []
    for way in itertools.product(*(places for places, _ in strays)):
        given: dict[tuple[str, str], set[str]] = {}
        for place, (_, rating) in zip(way, strays, strict=True):
            given.setdefault(place, set()).add(rating)
        for chosen in itertools.product(*(sorted(r) for r in given.values())):
            rated = dict(clean)
            still = set(unknown)
            for (group_id, std), rating in zip(given, chosen, strict=True):
                block = rated.get(group_id)
                rated[group_id] = {**(block if isinstance(block, Mapping) else {}), std: {"rating": rating}}
                still.discard(std)
            cases.append((rated, still))
            if len(cases) > _MOST_WAYS:
                return [(clean, unknown)]
    return cases


def _meant_for(
    framework: Framework, data: Mapping[str, Any], group: Group, key: str
) -> list[tuple[str, str]]:
    """The standards a key in ``group``'s block that is no standard's may be meant for, each as its
    group and its id (see :func:`written_ratings`)."""

    def describe(path: Sequence[Any]) -> str | None:
        return describe_path(framework, list(path))

    def names(path: Sequence[Any]) -> list[str]:
        return path_names(framework, path)

    def absent(where: Group) -> list[str]:
        # A standard whose key is written with nothing under it is missing too: its lines were
        # not indented under it (``planning:`` then ``rating: inadequate`` beside it).
        block = data.get(where.id)
        held = block if isinstance(block, Mapping) else {}
        return [s.id for s in where.standards if held.get(s.id) in (None, {}, "")]

    missing = absent(group)
    found = key_named(key, missing, [group.id], describe, names)
    if found is not None:
        return [(group.id, found)]
    for other in framework.spec.groups:
        if other.id != group.id and key_named(
            key, [s.id for s in other.standards], [other.id], describe, names
        ):
            # A standard of another group, in the wrong block: its own, if its block lacks it.
            meant = key_named(key, absent(other), [other.id], describe, names)
            return [(other.id, meant)] if meant is not None else []
    close = suggest(key, [s.id for s in group.standards])
    if close is not None:
        return [(group.id, close)] if close in missing else []
    return [(group.id, std) for std in missing]


def _grade_held(data: Mapping[str, Any], path: Sequence[str], touched: set[DataPath]) -> str | None:
    """The grade at ``path`` where no error is about it (one off the scale is left out later)."""
    if tuple(path) in touched:
        return None
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value if isinstance(value, str) else None


def value_held(
    doc: Document, path: DataPath, diagnostics: Sequence[Diagnostic], *, omitted_errors: int = 0
) -> Any:
    """The value at ``path`` of a file read as ``doc``, with these errors, where none is about it;
    ``None`` where one is, or an error is about no value in particular, or errors went past the
    cap of findings shown (any of them could be about it)."""
    wrong, general = wrong_paths(diagnostics, paths_by_line(doc.root))
    if general or omitted_errors > 0 or any(_overlaps(path, w) for w in wrong):
        return None
    value: Any = doc.data
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


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


def _put(data: dict[str, Any], path: DataPath, value: Any) -> None:
    """Set ``value`` at ``path``, copying each block on the way (the audit as read is not changed);
    a block missing, or in error and not a block, is made one."""
    here = data
    for key in path[:-1]:
        block = here.get(key)
        here[key] = dict(block) if isinstance(block, Mapping) else {}
        here = here[key]
    here[path[-1]] = value


def triggers_unreadable(
    framework: Framework, salvage: Salvage, diagnostics: Sequence[Diagnostic], *, omitted_errors: int = 0
) -> list[Trigger]:
    """The escalation rules a file YAML could not read certainly triggers, from what could be read
    of it (:func:`~qaimpact.base.salvage.read_around`) with these errors: every value the lines
    left unread could have held is taken as unknown (:func:`unread_paths`). Empty where that
    leaves nothing sure, or the framework or the kind of file could be other than as read.
    """
    unknown = unread_paths(framework, salvage)
    if unknown is None:
        return []
    lines = paths_by_line(salvage.doc.root)
    wrong, general = wrong_paths(diagnostics, lines)
    return escalations_ahead(
        framework, salvage.doc.data, wrong, general=general or omitted_errors > 0, unknown=unknown
    )


#: Keys that say what a file is: a line left unread that may hold one leaves the file unknown.
_WHAT_IT_IS: tuple[DataPath, ...] = (("standards",), ("kind",))


def unread_paths(framework: Framework, salvage: Salvage) -> set[DataPath] | None:
    """The values of a file read with lines blanked (:class:`~qaimpact.base.salvage.Salvage`) that
    may be other than as read, or ``None`` where that is any value or what the file is.

    For each line blanked: every value that starts in its reach (the lines that may belong to it:
    read as they are, they may have moved to another block); a text or flow list that runs over
    it, or that it may go on (it is indented under the key of the one before it); and what it may
    hold itself: its key in each block it may be in (every block open on the line before it), and
    each key the rules read there that it resembles (``Overall judgement``, ``overal_judgement``).
    A line whose key cannot be told, or an entry of a list, may be any entry of those blocks.
    """
    entries = list(_entries(salvage.doc.root))
    starts: dict[int, list[DataPath]] = {}
    for entry in entries:
        starts.setdefault(entry.line, []).append(entry.path)
    read = grading_paths(framework) | set(_WHAT_IT_IS)
    unknown: set[DataPath] = set()
    chains: list[tuple[Blanked, list[DataPath]]] = []
    for blank in salvage.blanked:
        if blank.quotes and any(_quoted_over_lines(e.node, blank.line) for e in entries):
            # Read without the line's quotation mark, a later text in quotes over lines may be
            # the lines between two texts in quotes as the file has them: the keys it holds.
            return None
        reach = range(blank.line, blank.last + 1)
        for line in reach:
            unknown.update(starts.get(line, ()))
        for path, _line, column, node, _order in entries:
            if isinstance(node, MappingNode | SequenceNode) and not node.flow_style:
                continue
            first, last = node.start_mark.line + 1, node.end_mark.line + 1
            if first >= blank.line:
                continue
            goes_on = last >= blank.previous and (blank.indent is None or blank.indent > column)
            if last >= blank.line or (blank.previous and goes_on):
                unknown.add(path)
        chain = _open_blocks(blank, starts, chains)
        chains.append((blank, chain))
        if blank.key is None:
            unknown.update(chain)
            continue
        if blank.item:
            unknown.update(c for c in chain if c or len(chain) == 1)
        for block in chain:
            unknown.add((*block, blank.key))
            names = {
                path[len(block)] for path in read if len(path) > len(block) and path[: len(block)] == block
            }
            unknown.update((*block, name) for name in _resembled(blank.key, names))
    if () in unknown or any(_overlaps(u, w) for u in unknown for w in _WHAT_IT_IS):
        return None
    return unknown


class _Entry(NamedTuple):
    """A value of a parsed file, as :func:`_entries` walks to it."""

    #: Its data path.
    path: DataPath
    #: The line and column its key (or its list's ``-``) is at.
    line: int
    column: int
    #: Its node.
    node: Node
    #: Its place in its block or list, after that block's place in its own and so on up to the
    #: top: compared as tuples, the values come in the order they are written (each block
    #: before what it holds), whatever order :func:`_entries` meets them in.
    order: tuple[int, ...]


def _entries(root: Node | None) -> Iterator[_Entry]:
    """Each value of a parsed file (:class:`_Entry`), every block's values together before what
    each holds."""
    if root is None:
        return
    stack: list[tuple[Node, DataPath, tuple[int, ...]]] = [(root, (), ())]
    while stack:
        node, path, order = stack.pop()
        if isinstance(node, MappingNode):
            for index, (key, value) in enumerate(node.value):
                here = (*path, str(key.value))
                yield _Entry(here, key.start_mark.line + 1, key.start_mark.column, value, (*order, index))
                stack.append((value, here, (*order, index)))
        elif isinstance(node, SequenceNode):
            for index, value in enumerate(node.value):
                here = (*path, str(index))
                column = max(value.start_mark.column - 2, 0)
                yield _Entry(here, value.start_mark.line + 1, column, value, (*order, index))
                stack.append((value, here, (*order, index)))


def _quoted_over_lines(node: Node, line: int) -> bool:
    """Whether ``node`` is a text in quotes over lines that starts after ``line``."""
    return (
        isinstance(node, ScalarNode)
        and node.style in ('"', "'")
        and node.start_mark.line + 1 > line
        and node.end_mark.line > node.start_mark.line
    )


def _open_blocks(
    blank: Blanked, starts: Mapping[int, list[DataPath]], earlier: Sequence[tuple[Blanked, list[DataPath]]]
) -> list[DataPath]:
    """The blocks a line blanked may be in: the value that starts last before it and every block
    holding that, and those each line blanked before it may be in."""
    chain: set[DataPath] = {()}
    line = blank.line - 1
    while line > 0 and line not in starts:
        line -= 1
    if line > 0:
        deepest = max(starts[line], key=len)
        chain.update(deepest[:n] for n in range(len(deepest) + 1))
    for _other, blocks in earlier:
        # What is read after another line blanked may have moved: the blocks it may be in count.
        chain.update(blocks)
    return sorted(chain, key=len)


def _resembled(written: str, keys: Iterable[str]) -> list[str]:
    """The keys of ``keys`` a key written on a line may be (a slip, capitals, spaces for ``_``),
    each one QA203's "Did you mean" could take it for, not only the closest."""
    listed = list(keys)
    normal = "_".join(written.replace("-", " ").split()).casefold()
    close = close_choices(normal, listed)
    return close + [key for key in listed if key in (written, normal)]

"""The framework's own rules, checked on an audit whose shape is already valid.

Most rules are driven by the standards data (constraints on a standard's entry, applicability,
exclusive or comment-requiring added value, themes, the learning point limit); the rest are
generic to every framework that declares the section they concern. Each check yields located
diagnostics; nothing here prints or exits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from qaimpact.base.codes import diagnostic
from qaimpact.base.diagnose import Describe, forgiven, format_path, named, suggest
from qaimpact.base.escaping import INVISIBLE, clip, escape_char
from qaimpact.base.loader import Document
from qaimpact.grading.escalation_lifecycle import RAISED, lifecycle
from qaimpact.grading.escalation_triggers import triggers
from qaimpact.models.audit import (
    NAME_QUOTES,
    constraint_holds,
    describe_path,
    field_holds,
    get_field,
    ident_key,
    is_applicable,
    is_blank,
    person_key,
    resolve_field,
    show_value,
    stand_in,
    tidy_name,
    unrecorded,
)
from qaimpact.models.findings import Diagnostic
from qaimpact.models.kinds import describe_record_path, rated_standards
from qaimpact.models.listing import and_list
from qaimpact.models.standard import NOT_APPLICABLE, FieldSpec, Framework, RecordKind, StandardSpec

#: Review dates before this are almost always a typing mistake in the year (QA410), and so is any
#: other date an audit or a record holds (QA414): case-file audits of this kind are younger.
EARLIEST_REVIEW = dt.date(2000, 1, 1)
#: A due date, or any other date an audit holds, more than this many years after the review date
#: (a record's, after the date that dates it) is a typing mistake in the year (QA414). Actions agreed
#: at an audit are followed up at the case's next audit, within a year or two, and a child's plan
#: is reviewed every few months; five years is beyond any date a service sets, yet catches the
#: usual slips of the year: 2062 or 2036 for 2026, 3026 or 9999. A date within five years is left
#: alone: a due date two years on is unusual, not impossible.
YEARS_AFTER = 5
#: Characters free text may not hold (QA411): those no name or id holds (QA316,
#: ``base.escaping.INVISIBLE``) less the line breaks and tabs free text may hold, and less the
#: zero-width space, word joiner, byte-order mark and soft hyphen: in a sentence they change nothing
#: a reader sees, where in a name or id they make it another name.
_INVISIBLE_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


#: What the escapes of a text in double quotes a Windows path's backslashes can form read as
#: (``C:\\new`` holds ``\\n``, a line break).
_ESCAPE_NAMES = {
    "n": "a line break",
    "t": "a tab",
    "r": "a carriage return",
    "a": "a bell character",
    "b": "a backspace",
    "v": "a vertical tab",
    "f": "a form feed",
    "0": "a null character",
    "e": "an escape character",
    "N": "a line break",
    "_": "a non-breaking space",
    "L": "a line separator",
    "P": "a paragraph separator",
}
#: A drive (``C:``) and a backslash, as typed in double quotes, that starts an escape other than a
#: backslash, a slash, a quotation mark or a space typed so, then more of the path, up to the next
#: space or quotation mark: ``"C:\\new\\tom.docx"``, whose every backslash happened to start an
#: escape YAML knows, so the file loads holding a line break and a tab in place of the path. (A
#: backslash that starts no escape is a QA101 the loader explains.)
_ESCAPED_PATH = re.compile(r'(?<![A-Za-z])[A-Za-z]:\\[^\\/"\s][^\s"]+')
#: One escape of a path so typed.
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")


def _escaped_path(path: tuple[Any, ...], doc: Document, describe: Describe) -> Diagnostic | None:
    """QA415 for the text at ``path`` typed in double quotes whose Windows path YAML read as special
    characters, else None. Only in double quotes: elsewhere a backslash is just a backslash.
    ``describe`` words the path's list items (``remedial action 1``)."""
    typed = doc.double_quoted(list(path))
    found = _ESCAPED_PATH.search(typed) if typed is not None else None
    if found is None:
        return None
    shown = found.group()
    names = list(
        dict.fromkeys(
            f"\\{escape} as {_ESCAPE_NAMES[escape]}"
            if escape in _ESCAPE_NAMES
            else f"\\{escape} as the character it codes"
            for escape in _ESCAPE.findall(shown)
            if escape not in ("\\", "/", '"', " ")
        )
    )
    # A backslash typed twice is one backslash read, and one typed before a slash is the slash
    # read: each is one slash.
    forward = re.sub(r"\\[\\/]?", "/", shown)
    where = named(list(path), describe, about=False)
    return diagnostic(
        "QA415",
        doc.locate(list(path)),
        f"In double quotes YAML read the path {clip(shown)} in {where} as special "
        f"characters: {and_list(names)}, so the text holds them in place of the backslashes.",
        f"Put the text in single quotes, in which a backslash is just a backslash, or write the path "
        f"with forward slashes ({clip(forward)}), which Windows reads as well.",
    )


def _texts(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every text in the audit data, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


@functools.lru_cache(maxsize=16)
def _framework_names(framework: Framework) -> frozenset[tuple[Any, ...]]:
    """The paths of names and ids every audit of ``framework`` may hold (``_Rules._names`` adds
    each remedial action's owner): the same for all its audits, so worked out once."""
    spec = framework.spec
    paths: set[tuple[Any, ...]] = {
        ("practitioner",),
        ("reviewer",),
        ("audit_id",),
        ("reaudit_of",),
        ("moderation", "moderator"),
        ("escalation", "raised_to"),
    }
    paths.update(("case", name) for name, f in spec.case_fields.items() if f.personal)
    if spec.case_id:
        paths.add(("case", spec.case_id))
    paths.update((name,) for name, f in spec.extra_fields.items() if f.personal)
    paths.update(tuple(key.split(".")) for key in framework.remedial_notify)
    return frozenset(paths)


def _tidy(name: str) -> bool:
    """Whether :func:`tidy_name` leaves a non-empty ``name`` as it is, found cheaply.

    Every character that splits words (``str.split``) but the space is also not printable, so
    text that is printable, holds no two spaces together and neither starts nor ends with a
    space or a quotation mark is tidy; anything else is asked of :func:`tidy_name` itself.
    """
    if (
        name.isprintable()
        and "  " not in name
        and name[0] not in _UNTIDY_ENDS
        and name[-1] not in _UNTIDY_ENDS
    ):
        return True
    return tidy_name(name) == name


#: Characters a tidy name neither starts nor ends with.
_UNTIDY_ENDS = NAME_QUOTES + " "


@dataclasses.dataclass(frozen=True, slots=True)
class Dated:
    """How a message names a date: ``The {noun} 2062-05-01{of} is ...`` (``due date``, `` of
    remedial action 1``); the hint asks to check the year of the ``noun``."""

    noun: str
    of: str = ""


def implausible_year(
    doc: Document,
    path: list[Any],
    when: dt.date,
    said: Dated,
    *,
    latest: dt.date | None,
    beyond: str = "",
    codes: tuple[str, str] = ("QA414", "QA414"),
    late_hint: str | None = None,
) -> Iterator[Diagnostic]:
    """The one check of a date's year, for the review date (QA410, QA404) and every other date of
    an audit or a record (QA414): a warning where ``when`` is before :data:`EARLIEST_REVIEW` or
    after ``latest`` (``beyond`` says how, as in ``in the future (today is 2026-11-22)``)."""
    hint = f"Check the year of the {said.noun}."
    if when < EARLIEST_REVIEW:
        yield diagnostic(
            codes[0],
            doc.locate(path),
            f"The {said.noun} {when.isoformat()}{said.of} is before {EARLIEST_REVIEW.year}.",
            hint,
        )
    elif latest is not None and when > latest:
        yield diagnostic(
            codes[1],
            doc.locate(path),
            f"The {said.noun} {when.isoformat()}{said.of} is {beyond}.",
            late_hint or hint,
        )


def _years_after(day: dt.date, years: int) -> dt.date:
    """``day`` ``years`` years on (29 February on 28 February), or the last date there is."""
    try:
        return day.replace(year=day.year + years, day=28 if (day.month, day.day) == (2, 29) else day.day)
    except ValueError:
        return dt.date.max


def _dates_outside(
    data: dict[str, Any], low: dt.date, high: dt.date, skip: frozenset[str] = frozenset()
) -> list[tuple[tuple[Any, ...], dt.date]]:
    """Every date in audit or record data before ``low`` or after ``high``, with its path, in the
    data's order, but under the top-level keys in ``skip``. Only those get a path: a walk that
    made one for every value cost a third as much as the rest of an audit's check."""
    found: list[tuple[tuple[Any, ...], dt.date]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        for key, item in node.items() if isinstance(node, dict) else enumerate(node):
            if isinstance(item, (dict, list)):
                walk(item, (*path, key))
            elif isinstance(item, dt.date) and not low <= item <= high:
                found.append(((*path, key), item))

    for key, item in data.items():
        if key in skip:
            continue
        if isinstance(item, (dict, list)):
            walk(item, (key,))
        elif isinstance(item, dt.date) and not low <= item <= high:
            found.append(((key,), item))
    return found


#: The top-level keys of an audit whose dates QA414 leaves to other checks: the review date's own
#: (QA410, QA404), and those QA312 puts in order between the review date and today.
_DATED_ELSEWHERE = frozenset(("review_date", "escalation", "moderation"))


@functools.lru_cache(maxsize=16)
def _undated_keys(framework: Framework) -> frozenset[str]:
    """The top-level keys of an audit of ``framework`` that QA414 need not walk: those of
    :data:`_DATED_ELSEWHERE`, and each group of standards whose standards declare no date field
    (their ratings and texts are most of an audit, and hold no date)."""
    dated = ("date", "date_range")
    return _DATED_ELSEWHERE | {
        g.id
        for g in framework.spec.groups
        if not any(f.type in dated for s in g.standards for f in s.fields.values())
    }


@functools.lru_cache(maxsize=16)
def _date_range_paths(framework: Framework) -> tuple[tuple[str, ...], ...]:
    """Where an audit of ``framework`` may hold a period (``type: date_range``), in the order QA309
    looks: ``(field,)`` at the top level, ``(block, field)`` under ``case:`` and
    ``characteristics:``, ``(group, standard, field)`` among a standard's own fields. Worked out
    once per framework: most standards declare none, and looking through every one of them for
    each audit cost 43,000 of a check's 900,000 instructions (bench_check_cost.py --valgrind)."""
    spec = framework.spec
    paths: list[tuple[str, ...]] = []
    paths += [(name,) for name, f in spec.extra_fields.items() if f.type == "date_range"]
    for block, specs in (("case", spec.case_fields), ("characteristics", spec.characteristics)):
        paths += [(block, name) for name, f in specs.items() if f.type == "date_range"]
    for group in spec.groups:
        for std in group.standards:
            paths += [(group.id, std.id, name) for name, f in std.fields.items() if f.type == "date_range"]
    return tuple(paths)


#: What each key a done remedial action needs holds, as QA310 asks for it (the CLI and the form).
CLOSURE = {"closed_on": "the date it was completed", "evidence": "how completion was checked"}


def _yaml_key(key: str) -> str:
    return f"'{key}:'"


@dataclasses.dataclass(frozen=True, slots=True)
class Closure:
    """QA310 on one remedial action marked done: the keys it lacks (evidence that only stands in
    for it counts as lacking, unless nothing else does), and what the finding says."""

    missing: tuple[str, ...]
    message: str
    hint: str


def closure_finding(
    index: int,
    action: dict[str, Any],
    *,
    key: Callable[[str], str] = _yaml_key,
    word: Callable[[str], str] = str,
    reopen: str = "set 'status: open'",
) -> Closure | None:
    """What QA310 says of remedial action ``index`` (from 0), or ``None`` where it is not done or
    has its closure. The one wording of it: ``validate`` names each key as the file has it
    (``'closed_on:'``), the form as its box is labelled (``key`` in the hint, ``word`` in the
    message, ``reopen`` for going back to open), so both ask only for what the action lacks."""
    if action.get("status") != "done":
        return None
    missing = [k for k in CLOSURE if is_blank(action.get(k))]
    written = stand_in(action.get("evidence"))
    if written is not None and not missing:
        return Closure(
            (),
            f"Remedial action {index + 1} is marked done, but its evidence is only '{written}'.",
            f"Replace '{written}' with how completion was checked, or {reopen}.",
        )
    if written is not None:
        # The date is missing too: both are asked for, and the evidence is not called absent when
        # the auditor wrote something in it.
        return Closure(
            (*missing, "evidence"),
            f"Remedial action {index + 1} is marked done without "
            f"{' or '.join(word(k) for k in missing)}, and its evidence is only '{written}'.",
            f"Add {' and '.join(f'{key(k)} ({CLOSURE[k]})' for k in missing)} and replace "
            f"'{written}' with how completion was checked, or {reopen}.",
        )
    if not missing:
        return None
    # Name only what is missing: an auditor who has written the date was told to add it.
    return Closure(
        tuple(missing),
        f"Remedial action {index + 1} is marked done without {' or '.join(word(k) for k in missing)}.",
        f"Add {' and '.join(f'{key(k)} ({CLOSURE[k]})' for k in missing)}, or {reopen}.",
    )


def check_rules(
    framework: Framework, data: dict[str, Any], doc: Document, today: dt.date
) -> list[Diagnostic]:
    """Every rule-level finding for a shape-valid audit (``data`` is the validated, dumped audit)."""
    checker = _Rules(framework, data, doc, today)
    return sorted(checker.run(), key=Diagnostic.sort_key)


#: Spaces other than the ordinary one that text pasted from Word brings.
_ODD_SPACES = "\u00a0\u2007\u202f\u2009\u2002\u2003"


class _Rules:
    def __init__(self, framework: Framework, data: dict[str, Any], doc: Document, today: dt.date) -> None:
        self.fw = framework
        self.spec = framework.spec
        self.data = data
        self.doc = doc
        self.today = today
        self._name_paths: set[tuple[Any, ...]] | None = None

    def _describe(self, path: Any) -> str | None:
        return describe_path(self.fw, list(path))

    def _where(self, path: tuple[Any, ...]) -> str:
        # As every other finding names a place: 'owner' of remedial action 1, never
        # remedial_actions[0], which only someone who knows YAML's lists reads as the first.
        return named(list(path), self._describe, about=False)

    def run(self) -> Iterator[Diagnostic]:
        yield from self._standards()
        yield from self._learning()
        yield from self._added_value()
        yield from self._immediate_actions()
        yield from self._audit_type()
        yield from self._date_ranges()
        yield from self._remedial_actions()
        yield from self._themes()
        yield from self._domains()
        yield from self._review_date()
        yield from self._other_dates()
        yield from self._escalation_record()
        yield from self._later_dates()
        yield from self._reaudit()
        yield from self._moderation()
        yield from self._invisible_characters()
        yield from self._untidy_names()
        if self.spec.agreements:
            yield from self._agreements()

    # -- standards -------------------------------------------------------------------------------

    def _standards(self) -> Iterator[Diagnostic]:
        top = self.spec.ratings[0].id
        for group in self.spec.groups:
            entries = self.data.get(group.id) or {}
            for std in group.standards:
                path = [group.id, std.id]
                entry = entries.get(std.id)
                rating = entry.get("rating") if entry else None
                if std.applies_when is not None or rating == NOT_APPLICABLE:
                    # Nothing else can be said about applicability (the common case, checked here
                    # without making a generator for each standard).
                    yield from self._applicability(std, entry, path)
                if not entry:
                    continue
                if rating == NOT_APPLICABLE:
                    continue
                if std.constraints:
                    yield from self._constraints(std, entry, path)
                applies = std.applies_when is None or is_applicable(
                    std.applies_when.field, std.applies_when.equals, self.data
                )
                if not applies or rating == top:
                    continue
                # The framework's data decides whether the missing evidence is an error.
                code = "QA317" if rating in self.fw.evidence_required else "QA403"
                evidence = entry.get("evidence")
                if is_blank(evidence):
                    yield diagnostic(
                        code,
                        self.doc.locate([*path, "rating"]),
                        f"'{std.short_name}' is rated {self._rating(rating)} but has no evidence.",
                        f"Add 'evidence:' under '{group.id}.{std.id}' saying what on the file led "
                        "to this rating.",
                        # Placed at the rating, it is about the evidence: the rating stands, and
                        # the escalation it makes certain is said before the evidence is added.
                        data_path=(group.id, std.id, "evidence"),
                    )
                elif (written := stand_in(evidence)) is not None:
                    yield diagnostic(
                        code,
                        self.doc.locate([*path, "evidence"]),
                        f"'{std.short_name}' is rated {self._rating(rating)} but its evidence is only "
                        f"'{written}'.",
                        f"Replace '{written}' with what on the file led to this rating.",
                    )

    def _agreements(self) -> Iterator[Diagnostic]:
        for rule in self.spec.agreements:
            when, then = rule.when, rule.then
            if not field_holds(get_field(self.data, when.field), when.equals):
                continue
            value = get_field(self.data, then.field)
            if value is None or field_holds(value, then.equals):
                continue
            expected = show_value(then.equals)
            yield diagnostic(
                "QA319",
                self.doc.locate(then.field.split(".")),
                f"{self._named(then.field)} is {show_value(value)}, but {self._named(when.field)} is "
                f"{show_value(when.equals)}, which means it should be {expected}.",
                (f"{rule.why} " if rule.why else "")
                + f"Correct whichever is wrong: set '{then.field}' to {expected}, or correct '{when.field}'.",
            )

    def _named(self, dotted: str) -> str:
        # The key to find in the file, and the label a social worker reads on the form (which
        # shows the label alone: web.pages.plain_message).
        spec = self._field(dotted)
        return f"'{dotted}' ({spec.label})" if spec is not None and spec.label else f"'{dotted}'"

    def _field(self, dotted: str) -> FieldSpec | None:
        """The field a dotted path names: one :func:`resolve_field` knows (a case field, an extra
        field), or a field of a standard (``practice.plan.agreed_on``), which conditions never
        name but a date found anywhere in the audit (QA414) may be."""
        spec = resolve_field(self.spec, dotted)
        parts = dotted.split(".")
        if spec is None and len(parts) == 3 and self.fw.group_of.get(parts[1]) == parts[0]:
            spec = self.fw.standards[parts[1]].fields.get(parts[2])
        return spec

    def _applicability(
        self, std: StandardSpec, entry: dict[str, Any] | None, path: list[Any]
    ) -> Iterator[Diagnostic]:
        rating = entry.get("rating") if entry else None
        if std.applies_when is None:
            if rating == NOT_APPLICABLE:
                yield diagnostic(
                    "QA302",
                    self.doc.locate([*path, "rating"]),
                    f"'{std.short_name}' applies to every case, so it cannot be rated not_applicable.",
                    f"Rate it on the scale: {', '.join(self.fw.rating_rank)}.",
                )
            return
        cond = std.applies_when
        shown = show_value(cond.equals)
        if is_applicable(cond.field, cond.equals, self.data):
            if entry is None:
                yield diagnostic(
                    "QA311",
                    self.doc.locate(path, key=True),
                    f"'{std.short_name}' applies because {self._named(cond.field)} is {shown}, but it is not "
                    "rated.",
                    f"Add '{std.id}:' under '{path[0]}' with a rating on the scale: "
                    f"{', '.join(self.fw.rating_rank)}.",
                )
            elif rating == NOT_APPLICABLE:
                yield diagnostic(
                    "QA302",
                    self.doc.locate([*path, "rating"]),
                    f"'{std.short_name}' applies because {self._named(cond.field)} is {shown}, so it "
                    "cannot be rated not_applicable.",
                    f"Rate it on the scale ({', '.join(self.fw.rating_rank)}), or correct '{cond.field}'.",
                )
        elif (
            entry is not None
            and rating in self.fw.rating_rank
            and self.fw.rating_rank[rating] > self.fw.development_rank
        ):
            # A rating below good is evidence of poor practice: left out of the grade, an
            # inadequate "Children in care" under `child_in_care: false` would let the audit
            # pass as good and go unescalated. One of the two facts is wrong; the auditor says which.
            yield diagnostic(
                "QA320",
                self.doc.locate([*path, "rating"]),
                f"'{std.short_name}' is rated {self._rating(rating)}, but it only applies when "
                f"{self._named(cond.field)} is {shown}, so the rating would be left out of the grade.",
                f"If the standard applies, correct '{cond.field}'; if it does not, rate it not_applicable.",
            )
        elif entry is not None and rating != NOT_APPLICABLE:
            yield diagnostic(
                "QA303",
                self.doc.locate([*path, "rating"]),
                f"'{std.short_name}' only applies when {self._named(cond.field)} is {shown}; its rating is "
                "left out of the grade.",
                f"Rate it not_applicable, or correct '{cond.field}' if it does apply.",
            )

    def _constraints(self, std: StandardSpec, entry: dict[str, Any], path: list[Any]) -> Iterator[Diagnostic]:
        rating = entry.get("rating")
        for rule in std.constraints:
            if constraint_holds(rule.when, entry) and rating not in rule.ratings:
                # Say so where a field holds a stand-in: the auditor wrote something, and the
                # message speaks of nothing recorded.
                stood_in = [
                    f"'{text}' in {name} records nothing. "
                    for name, expected in rule.when.items()
                    if expected is None and (text := stand_in(entry.get(name))) is not None
                ]
                yield diagnostic(
                    "QA301",
                    self.doc.locate([*path, "rating"]),
                    f"'{std.short_name}' is rated {self._rating(rating)}: {rule.message}",
                    "".join(stood_in) + rule.hint,
                )

    # -- sections ---------------------------------------------------------------------------------

    def _learning(self) -> Iterator[Diagnostic]:
        learning = self.spec.learning
        actions = self.data.get("learning_actions") or []
        if learning is None or not actions:
            return
        titles = {a.id: a.title for a in learning.areas}
        seen: set[tuple[str, str]] = set()
        total = 0
        for i, action in enumerate(actions):
            area = action["area"]
            for j, point in enumerate(action.get("points") or []):
                total += 1
                path = ["learning_actions", i, "points", j]
                homes = self.fw.point_area.get(point, [])
                if area not in homes:
                    yield diagnostic(
                        "QA304",
                        self.doc.locate(path),
                        f"The learning point '{point}' is not in the area '{area}' ({titles[area]}).",
                        "It belongs to "
                        + " and ".join(f"'{h}' ({titles[h]})" for h in homes)
                        + ": move it to a learning action with that area.",
                    )
                if (area, point) in seen:
                    yield diagnostic(
                        "QA405",
                        self.doc.locate(path),
                        f"The learning point '{point}' is recorded twice in the area '{area}'.",
                        "Remove the repeat.",
                    )
                seen.add((area, point))
        if learning.max_points is not None and total > learning.max_points:
            yield diagnostic(
                "QA401",
                self.doc.locate(["learning_actions"], key=True),
                f"{total} learning points are recorded; the guidance asks for up to "
                f"{learning.max_points} critical points.",
                f"Keep the {learning.max_points} points that would most improve practice and "
                "outcomes for the child.",
            )

    def _added_value(self) -> Iterator[Diagnostic]:
        spec = self.spec.added_value
        chosen: list[str] = self.data.get("added_value") or []
        if spec is None or not chosen:
            return
        categories = {c.id: c for c in spec.categories}
        counted: set[str] = set()
        for i, ident in enumerate(chosen):
            if ident in counted:
                yield diagnostic(
                    "QA405",
                    self.doc.locate(["added_value", i]),
                    f"The added value '{ident}' is listed twice.",
                    "Remove the repeat.",
                )
            counted.add(ident)
        for i, ident in enumerate(chosen):
            category = categories[ident]
            if category.exclusive and len(counted) > 1:
                # In the order the audit lists them (a set's order changes from run to run).
                others = ", ".join(c for c in dict.fromkeys(chosen) if c != ident)
                yield diagnostic(
                    "QA305",
                    self.doc.locate(["added_value", i]),
                    f"'{ident}' ({category.label}) cannot be combined with other added value ({others}).",
                    f"Keep either '{ident}' or the other categories.",
                )
            if category.requires_comment and is_blank(self.data.get("added_value_comment")):
                yield diagnostic(
                    "QA306",
                    self.doc.locate(["added_value", i]),
                    f"The added value '{ident}' ({category.label}) needs a comment saying what it was.",
                    "Add 'added_value_comment:' describing the added value.",
                )

    def _immediate_actions(self) -> Iterator[Diagnostic]:
        spec = self.spec.immediate_actions
        entry = self.data.get(spec.key) if spec else None
        if spec is None or not entry:
            return
        comment = entry.get("comment")
        if entry.get("required") and unrecorded(comment):
            # 'TBC' describes no action, any more than a blank does.
            written = stand_in(comment)
            yield diagnostic(
                "QA307",
                self.doc.locate([spec.key, "required"]),
                "Immediate safeguarding actions are required but the actions are not described"
                + (f": '{written}' describes none." if written else "."),
                f"Add 'comment:' under '{spec.key}' listing the immediate actions required to "
                "ensure the child is safeguarded.",
                # Placed at the answer, it is about the comment: the actions are required, and the
                # escalation is said before they are described.
                data_path=(spec.key, "comment"),
            )
        elif entry.get("required") is False and not unrecorded(comment):
            yield diagnostic(
                "QA413",
                self.doc.locate([spec.key, "comment"]),
                "Immediate safeguarding actions are described, but not marked as required, so the "
                "audit is not escalated for them.",
                "If the child needs these actions to be safe now, set 'required: true'; if no "
                "action is needed, delete the comment.",
            )

    def _audit_type(self) -> Iterator[Diagnostic]:
        types = {t.id: t for t in self.spec.audit_types or []}
        kind = self.data.get("audit_type")
        if kind in types and types[kind].requires_theme and is_blank(self.data.get("theme")):
            yield diagnostic(
                "QA308",
                self.doc.locate(["audit_type"]),
                f"A {types[kind].label.lower()} needs a theme, but 'theme' is empty.",
                "Add 'theme:' naming what the audit explores, for example 'neglect'.",
            )

    def _date_ranges(self) -> Iterator[Diagnostic]:
        """QA309 on every period the framework declares (``type: date_range``): at the top level,
        under ``case:`` and ``characteristics:``, and among a standard's own fields."""
        data = self.data
        for where in _date_range_paths(self.fw):
            if len(where) == 1:
                value = data.get(where[0])
            elif len(where) == 2:
                value = (data.get(where[0]) or {}).get(where[1])
            else:
                entries = data.get(where[0]) or {}
                entry = entries.get(where[1]) if isinstance(entries, dict) else None
                value = entry.get(where[2]) if isinstance(entry, dict) else None
            if value and value["from"] > value["to"]:
                yield diagnostic(
                    "QA309",
                    self.doc.locate([*where, "to"]),
                    f"{self._named('.'.join(where))} ends on {value['to']} before it starts on "
                    f"{value['from']}.",
                    "Swap the dates or correct the one that is wrong.",
                )

    def _remedial_actions(self) -> Iterator[Diagnostic]:
        for i, action in enumerate(self.data.get("remedial_actions") or []):
            said = closure_finding(i, action)
            if said is not None:
                at = "status" if said.missing else "evidence"
                where = self.doc.locate(["remedial_actions", i, at])
                yield diagnostic("QA310", where, said.message, said.hint)

    def _themes(self) -> Iterator[Diagnostic]:
        places: list[tuple[list[Any], Any, str]] = [
            (["remedial_actions", i, "theme"], action.get("theme"), f"remedial action {i + 1}")
            for i, action in enumerate(self.data.get("remedial_actions") or [])
        ]
        escalation = self.data.get("escalation") or {}
        places.append((["escalation", "theme"], escalation.get("theme"), "the escalation"))
        labels = self.fw.theme_labels
        for path, value, what in places:
            if is_blank(value):
                continue
            if not labels:
                yield diagnostic(
                    "QA318",
                    self.doc.locate(path),
                    f"The theme '{clip(str(value))}' of {what} cannot be checked: this framework "
                    "lists no themes.",
                    "Leave 'theme' out, or list the themes under 'themes:' in a copy of the standards "
                    "file (passed with --standards DIR).",
                )
                continue
            if value in labels:
                continue
            ids = list(labels)
            guess = forgiven(value, ids, labels) or (
                f"Did you mean '{close}'?" if (close := suggest(str(value), ids)) else None
            )
            listed = ", ".join(f"{i} ({labels[i]})" for i in ids)
            yield diagnostic(
                "QA318",
                self.doc.locate(path),
                f"'{clip(str(value))}' is not one of this framework's themes, for {what}.",
                (f"{guess} " if guess else "") + f"Use one of: {listed}.",
            )

    def _domains(self) -> Iterator[Diagnostic]:
        domains = self.data.get("domains") or {}
        for dom_id, entry in domains.items():
            seen: set[str] = set()
            for i, indicator in enumerate((entry or {}).get("indicators") or []):
                if indicator in seen:
                    yield diagnostic(
                        "QA405",
                        self.doc.locate(["domains", dom_id, "indicators", i]),
                        f"The indicator '{indicator}' is ticked twice in '{dom_id}'.",
                        "Remove the repeat.",
                    )
                seen.add(indicator)

    def _review_date(self) -> Iterator[Diagnostic]:
        when = self.data.get("review_date")
        if isinstance(when, dt.date):
            yield from implausible_year(
                self.doc,
                ["review_date"],
                when,
                Dated("review date"),
                latest=self.today,
                beyond=f"in the future (today is {self.today.isoformat()})",
                codes=("QA410", "QA404"),
                late_hint="Check the year and month of the review date.",
            )

    def _other_dates(self) -> Iterator[Diagnostic]:
        """Every date of the audit but its review date and the dates QA312 puts in order between
        the review date and today (an escalation's, a moderation's, an action's closure): the due
        dates of the remedial actions, the periods and the date fields the framework declares."""
        review = self.data.get("review_date")
        if not isinstance(review, dt.date):
            return
        # A review date in a year no audit could mean is no measure of the others (QA410, QA404
        # name it): the year of each is still checked against 2000.
        plausible = EARLIEST_REVIEW <= review <= self.today
        latest = _years_after(review, YEARS_AFTER) if plausible else None
        beyond = f"more than {YEARS_AFTER} years after the review date ({review.isoformat()})"
        skip = _undated_keys(self.fw)
        for path, when in _dates_outside(self.data, EARLIEST_REVIEW, latest or dt.date.max, skip):
            top = path[0]
            if top == "remedial_actions" and len(path) == 3:
                if path[2] != "due":
                    continue
                said = Dated("due date", f" of remedial action {path[1] + 1}")
            else:
                said = self._dated(path)
            yield from implausible_year(self.doc, list(path), when, said, latest=latest, beyond=beyond)

    def _dated(self, path: tuple[Any, ...]) -> Dated:
        """How a message names the date at ``path``: the start or end of a period, or a date field."""
        if path[-1] in ("from", "to") and len(path) > 1:
            spec = self._field(".".join(str(p) for p in path[:-1]))
            if spec is not None and spec.type == "date_range":
                noun = "start date" if path[-1] == "from" else "end date"
                return Dated(noun, f" of {self._named(format_path(list(path[:-1])))}")
        return Dated("date", f" in {self._named(format_path(list(path)))}")

    def _escalation_record(self) -> Iterator[Diagnostic]:
        entry = self.data.get("escalation")
        if not entry:
            return
        base = ["escalation"]
        if not entry.get("recipients") and not entry.get("raised_to"):
            yield diagnostic(
                "QA315",
                self.doc.locate(base, key=True),
                "The escalation record does not say who was told.",
                "Add 'recipients:' under 'escalation', one entry for each person told: role, name "
                "and told_on.",
            )
        elif entry.get("recipients") and entry.get("raised_to"):
            yield diagnostic(
                "QA315",
                self.doc.locate([*base, "raised_to"], key=True),
                "The escalation record gives both 'raised_to' and 'recipients'.",
                "Add the 'raised_to' role to 'recipients:' with the date they were told, then remove "
                "'raised_to'.",
            )
        if not is_blank(entry.get("acknowledged_by")) and not entry.get("acknowledged_on"):
            yield diagnostic(
                "QA315",
                self.doc.locate([*base, "acknowledged_by"]),
                "The escalation says who acknowledged it but not when.",
                "Add 'acknowledged_on:' with the date it was acknowledged.",
            )
        if entry.get("outcome") and not entry.get("acknowledged_on"):
            yield diagnostic(
                "QA315",
                self.doc.locate([*base, "outcome"], key=True),
                "The escalation records an outcome but not when it was acknowledged.",
                "Add 'acknowledged_on:' and 'acknowledged_by:': when, and by whom, it was acknowledged.",
            )
        closed_by = not is_blank(entry.get("closed_by"))
        if entry.get("closed_on"):
            if not entry.get("outcome"):
                yield diagnostic(
                    "QA315",
                    self.doc.locate([*base, "closed_on"]),
                    "The escalation is closed but records no outcome for the child.",
                    "Add 'outcome:' with 'action_taken' (what was done) and 'safe_on' (the date the "
                    "case was confirmed safe), or remove 'closed_on' until they are known.",
                )
            if not closed_by:
                yield diagnostic(
                    "QA315",
                    self.doc.locate([*base, "closed_on"]),
                    "The escalation says when it was closed but not by whom.",
                    "Add 'closed_by:' naming who closed it.",
                )
        elif closed_by:
            yield diagnostic(
                "QA315",
                self.doc.locate([*base, "closed_by"]),
                "The escalation says who closed it but not when.",
                "Add 'closed_on:' with the date it was closed.",
            )

    def _later_dates(self) -> Iterator[Diagnostic]:
        review = self.data.get("review_date")
        if not isinstance(review, dt.date):
            return
        # (path, the date, what it must not precede: (date, words), the nearest first)
        checks: list[tuple[list[Any], Any, list[tuple[Any, str]]]] = []
        escalation = self.data.get("escalation") or {}
        raised = escalation.get("raised_on")
        if raised:
            checks.append((["escalation", "raised_on"], raised, [(review, "the review date")]))
            after_raised = [(raised, "the date it was raised")]
            for i, recipient in enumerate(escalation.get("recipients") or []):
                path = ["escalation", "recipients", i, "told_on"]
                checks.append((path, recipient["told_on"], after_raised))
            acknowledged = escalation.get("acknowledged_on")
            if acknowledged:
                checks.append((["escalation", "acknowledged_on"], acknowledged, after_raised))
            safe = (escalation.get("outcome") or {}).get("safe_on")
            if safe:
                checks.append((["escalation", "outcome", "safe_on"], safe, after_raised))
            if escalation.get("closed_on"):
                steps = [
                    (safe, "the date the case was confirmed safe"),
                    (acknowledged, "the date it was acknowledged"),
                    *after_raised,
                ]
                checks.append(
                    (["escalation", "closed_on"], escalation["closed_on"], [s for s in steps if s[0]])
                )
        moderated = (self.data.get("moderation") or {}).get("moderated_on")
        if moderated:
            checks.append((["moderation", "moderated_on"], moderated, [(review, "the review date")]))
        for i, action in enumerate(self.data.get("remedial_actions") or []):
            if action.get("closed_on"):
                checks.append(
                    (["remedial_actions", i, "closed_on"], action["closed_on"], [(review, "the review date")])
                )
        for path, when, earlier in checks:
            name = path[-1]
            wrong = next(((day, after) for day, after in earlier if when < day), None)
            if wrong is not None:
                earliest, after = wrong
                yield diagnostic(
                    "QA312",
                    self.doc.locate(path),
                    f"'{name}' is {when.isoformat()}, before {after} ({earliest.isoformat()}).",
                    f"Correct '{name}': it cannot come before {after}.",
                )
            elif when > self.today:
                yield diagnostic(
                    "QA312",
                    self.doc.locate(path),
                    f"'{name}' is {when.isoformat()}, after today ({self.today.isoformat()}).",
                    f"Record '{name}' once it has happened, with the date it happened.",
                )
        told = [
            r["told_on"] for r in escalation.get("recipients") or [] if isinstance(r.get("told_on"), dt.date)
        ]
        if isinstance(raised, dt.date) and told and raised < min(told):
            # 'raised_on' is the day the first person was told: one before anyone was told would
            # time the acknowledgement and the outcome from a day nobody knew of the escalation.
            first = min(told).isoformat()
            yield diagnostic(
                "QA312",
                self.doc.locate(["escalation", "raised_on"]),
                f"'raised_on' is {raised.isoformat()}, before anyone was told (the first on {first}).",
                f"'raised_on' is the day the first person was told: correct it to {first}, or add "
                f"whoever was told on {raised.isoformat()} under 'recipients:'.",
            )

    def _reaudit(self) -> Iterator[Diagnostic]:
        target = self.data.get("reaudit_of")
        if target is not None and ident_key(target) == ident_key(self.data.get("audit_id", "")):
            yield diagnostic(
                "QA313",
                self.doc.locate(["reaudit_of"]),
                f"'reaudit_of' names this audit's own id ({clip(str(target))}).",
                "Give the audit_id of the earlier audit of this case, or remove 'reaudit_of'.",
            )

    def _moderation(self) -> Iterator[Diagnostic]:
        moderation = self.data.get("moderation") or {}
        moderator, reviewer = moderation.get("moderator"), self.data.get("reviewer")
        if moderator and reviewer and person_key(moderator) == person_key(reviewer):
            yield diagnostic(
                "QA314",
                self.doc.locate(["moderation", "moderator"]),
                f"The moderator ({clip(str(moderator))}) is the auditor who reviewed this case.",
                "Moderation needs a second person: name the moderator who re-graded the audit.",
            )

    # -- invisible characters -------------------------------------------------------------------

    def _names(self) -> set[tuple[Any, ...]]:
        """The paths of values that name a person or identify something, matched across audits
        (worked out once per audit: two checks ask)."""
        if self._name_paths is None:
            self._name_paths = self._find_names()
        return self._name_paths

    def _find_names(self) -> set[tuple[Any, ...]]:
        paths = set(_framework_names(self.fw))
        paths.update(
            ("remedial_actions", i, "owner") for i in range(len(self.data.get("remedial_actions") or []))
        )
        return paths

    def _untidy_names(self) -> Iterator[Diagnostic]:
        """A name in quotation marks (pasted from Word) or with spaces around it or doubled: the
        reports read it as :func:`~qaimpact.models.audit.tidy_name` gives it, and say so."""
        untidy = []
        data = self.data
        for path in (*self._names(), ("team",), ("case", "team")):
            # The audit's data is a dict: a name at its top level is one look-up.
            name = data.get(path[0]) if len(path) == 1 else _get(data, path)
            if isinstance(name, str) and name and not _tidy(name) and path not in untidy:
                untidy.append(path)
        # In the order of the paths' text (sorting every path's text cost more than the checks).
        for path in sorted(untidy, key=str):
            name = _get(self.data, path)
            spaced = " ".join(name.split())
            bare = spaced.strip(NAME_QUOTES)
            if bare != spaced:
                marks = (
                    spaced[: len(spaced) - len(spaced.lstrip(NAME_QUOTES))]
                    + spaced[len(spaced.rstrip(NAME_QUOTES)) :]
                )
                why = f"is written in quotation marks ({marks}), which Word and email add"
            elif any(char in name for char in _ODD_SPACES):
                why = "holds a non-breaking space, which Word and email add"
            else:
                why = "has spaces before or after it, or two together"
            shown = clip(tidy_name(name))
            yield diagnostic(
                "QA412",
                self.doc.locate(list(path)),
                f"{self._where(path)} {why}; reports read it as '{shown}'.",
                f"Write it as {shown}: names are matched across audits, so write each the same way "
                "in all of them.",
            )

    def _invisible_characters(self) -> Iterator[Diagnostic]:
        names = self._names()
        if self.doc.may_hide:
            texts: Iterable[tuple[tuple[Any, ...], Any]] = _texts(self.data, ())
        else:
            # Only a block text can bring a line break or a tab into a name here.
            texts = ((path, _get(self.data, path)) for path in names)
        for path, text in texts:
            # isprintable() is false for every character searched for (and for line breaks and
            # tabs): a fast way past the text that holds none.
            if not isinstance(text, str) or text.isprintable():
                continue
            if path not in names and (escaped := _escaped_path(path, self.doc, self._describe)) is not None:
                # Said once, as the path it is: QA411 would name one of its characters alone.
                yield escaped
                continue
            hidden = INVISIBLE.search(text)
            if hidden is None:
                continue
            shown = escape_char(hidden.group())
            where = self._where(path)
            position = f"{shown} (character {hidden.start() + 1})"
            if path in names:
                yield diagnostic(
                    "QA316",
                    self.doc.locate(list(path)),
                    f"{where} holds the invisible character {position}, which no name contains.",
                    "Type it again without the invisible character (it was probably pasted in): names "
                    "and ids are matched across audits, and it would make this one differ.",
                )
            elif (odd := _INVISIBLE_IN_TEXT.search(text)) is not None:
                yield diagnostic(
                    "QA411",
                    self.doc.locate(list(path)),
                    f"{where} holds the invisible character {escape_char(odd.group())} "
                    f"(character {odd.start() + 1}).",
                    "Delete it: it was probably pasted in by accident, and reports show it as an escape.",
                )

    def _rating(self, rating: Any) -> str:
        return self.fw.rating_labels.get(str(rating), str(rating)).lower()


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def check_escalation(
    framework: Framework, data: dict[str, Any], doc: Document, today: dt.date, computed: str
) -> list[Diagnostic]:
    """Findings on a graded audit's escalation record against the route and times of the rules
    that hold for it (the grade its ratings give is ``computed``): a recipient off the route, a
    role on it never told, an acknowledgement or an outcome overdue on ``today``.

    Steps done late but done are left to ``qaimpact escalations``: a file cannot fix its past.
    """
    entry = data.get("escalation") or {}
    found = triggers(framework, data, computed) if entry else []
    if not found:
        return []
    life = lifecycle(found, data, today)
    titles = and_list(dict.fromkeys(t.rule.title for t in found))
    route = and_list(life.route)
    old_shape = not entry.get("recipients")
    out: list[Diagnostic] = []
    for told in life.off_route:
        where = [*told.path, "role"] if not old_shape else list(told.path)
        out.append(
            diagnostic(
                "QA406",
                doc.locate(where),
                f"The escalation was raised to '{told.role}', which is not on the route for this "
                f"audit: {route}.",
                f"{titles} goes to {route} under the framework's rules: record each person told "
                "under 'recipients:', with the role the route names.",
            )
        )
    if life.not_told:
        missing = and_list(life.not_told)
        verb = "is" if len(life.not_told) == 1 else "are"
        out.append(
            diagnostic(
                "QA407",
                doc.locate(["escalation", "raised_to" if old_shape else "recipients"], key=True),
                f"{missing} {verb} on the route for this escalation but not recorded as told "
                f"(due by {life.due.isoformat()}).",
                (
                    f"Record everyone told under 'recipients:' (role, name, told_on) in place of "
                    f"'raised_to', including {missing}."
                    if old_shape
                    else f"Tell {missing} and add {'each' if len(life.not_told) > 1 else 'them'} under "
                    "'recipients:' with role, name and told_on."
                ),
            )
        )
    raised = life.raised_on.isoformat() if life.raised_on else ""
    if life.acknowledgement_overdue_days and life.state == RAISED and life.acknowledge_due:
        out.append(
            diagnostic(
                "QA408",
                doc.locate(["escalation", "raised_on"]),
                f"The escalation raised on {raised} is not acknowledged: it was due to be by "
                f"{life.acknowledge_due.isoformat()}, {_days(life.acknowledgement_overdue_days)} ago.",
                "Chase the acknowledgement; once it comes, record 'acknowledged_on' and 'acknowledged_by'.",
            )
        )
    if life.outcome_overdue_days and life.outcome_due:
        out.append(
            diagnostic(
                "QA409",
                doc.locate(["escalation", "acknowledged_on" if life.acknowledged_on else "raised_on"]),
                f"The escalation raised on {raised} has no outcome for the child recorded: it was "
                f"due by {life.outcome_due.isoformat()}, {_days(life.outcome_overdue_days)} ago.",
                "Find out what was done and whether the child is safe, then record 'outcome:' with "
                "'action_taken' and 'safe_on' (the date the case was confirmed safe).",
            )
        )
    return sorted(out, key=Diagnostic.sort_key)


def check_record_rules(
    framework: Framework, kind: str, data: dict[str, Any], doc: Document, today: dt.date
) -> list[Diagnostic]:
    """The rules every record of another kind keeps, driven by its declaration in ``records:``.

    The record's ``date`` is not after ``today``, no other date of it is before that date, and
    none but its ``due`` date is after ``today`` (QA312); no date of it is in a year no record
    could mean (QA414); a required ``ratings`` field rates at least one standard (QA208); a period
    does not end before it starts (QA309); names and ids hold no invisible characters (QA316,
    QA411), and no text a Windows path YAML read as special characters (QA415).
    """
    declared = framework.spec.records[kind]
    found: list[Diagnostic] = []
    dated = data.get(declared.date)
    date_label = declared.fields[declared.date].label or declared.date
    if isinstance(dated, dt.date) and dated > today:
        found.append(
            diagnostic(
                "QA312",
                doc.locate([declared.date]),
                f"'{declared.date}' is {dated.isoformat()}, after today ({today.isoformat()}).",
                f"Record the {declared.label.lower()} once it has happened, with the date it happened.",
            )
        )
    for name, field in declared.fields.items():
        value = data.get(name)
        if field.type == "date" and name != declared.date and isinstance(value, dt.date):
            if isinstance(dated, dt.date) and value < dated:
                found.append(
                    diagnostic(
                        "QA312",
                        doc.locate([name]),
                        f"'{name}' is {value.isoformat()}, before '{declared.date}' "
                        f"({date_label.lower()}, {dated.isoformat()}).",
                        f"Correct '{name}': it cannot come before '{declared.date}'.",
                    )
                )
            elif name != declared.due and value > today:
                # Feedback given, a response sent, evidence seen: each records what happened, as an
                # escalation's or an action's dates do. Only the due date looks ahead.
                found.append(
                    diagnostic(
                        "QA312",
                        doc.locate([name]),
                        f"'{name}' is {value.isoformat()}, after today ({today.isoformat()}).",
                        f"Record '{name}' once it has happened, with the date it happened.",
                    )
                )
        elif field.type == "ratings" and field.required and not rated_standards(value):
            found.append(
                diagnostic(
                    "QA208",
                    doc.locate([name]),
                    f"'{name}'" + (f" ({field.label})" if field.label else "") + " rates no standard.",
                    # The example is of this framework: a standard id of another one would be refused.
                    f"Add at least one standard with its rating, e.g. `{next(iter(framework.standards))}: "
                    f"{{rating: {next(iter(framework.rating_rank))}, evidence: ...}}`.",
                )
            )
        elif field.type == "date_range" and value and value["from"] > value["to"]:
            found.append(
                diagnostic(
                    "QA309",
                    doc.locate([name, "to"]),
                    f"'{name}'" + (f" ({field.label})" if field.label else "") + f" ends on {value['to']} "
                    f"before it starts on {value['from']}.",
                    "Swap the dates or correct the one that is wrong.",
                )
            )
    found.extend(_record_years(declared, data, doc, today))
    names = {("record_id",)} | {(k,) for k, f in declared.fields.items() if f.personal}

    def describe(path: Any) -> str | None:
        return describe_record_path(framework, declared, list(path))

    for path, text in _texts(data, ()):
        if text.isprintable():
            continue
        if path not in names and (escaped := _escaped_path(path, doc, describe)) is not None:
            found.append(escaped)
            continue
        hidden = (INVISIBLE if path in names else _INVISIBLE_IN_TEXT).search(text)
        if hidden is None:
            continue
        where = named(list(path), describe, about=False)
        if path in names:
            found.append(
                diagnostic(
                    "QA316",
                    doc.locate(list(path)),
                    f"{where} holds the invisible character {escape_char(hidden.group())} "
                    f"(character {hidden.start() + 1}), which no name contains.",
                    "Type it again without the invisible character (it was probably pasted in): names "
                    "and ids are matched across records, and it would make this one differ.",
                )
            )
        else:
            found.append(
                diagnostic(
                    "QA411",
                    doc.locate(list(path)),
                    f"{where} holds the invisible character {escape_char(hidden.group())} "
                    f"(character {hidden.start() + 1}).",
                    "Delete it: it was probably pasted in by accident, and reports show it as an escape.",
                )
            )
    return found


def _record_years(
    declared: RecordKind, data: dict[str, Any], doc: Document, today: dt.date
) -> Iterator[Diagnostic]:
    """QA414 on a record's dates: the date that dates it before 2000 (QA312 says when it is after
    today), and any other date more than :data:`YEARS_AFTER` years after it (QA312 says when one
    is before it, or, but for the due date, after today)."""
    dated = data.get(declared.date)
    if not isinstance(dated, dt.date):
        return
    # A record's date in a year no record could mean is no measure of its other dates.
    latest = _years_after(dated, YEARS_AFTER) if EARLIEST_REVIEW <= dated <= today else None
    beyond = f"more than {YEARS_AFTER} years after '{declared.date}' ({dated.isoformat()})"
    for path, when in _dates_outside(data, EARLIEST_REVIEW, latest or dt.date.max):
        name = path[0]
        field = declared.fields.get(name)
        if field is None:
            continue
        named = f"'{format_path(list(path))}'" + (f" ({field.label})" if field.label else "")
        if field.type == "date_range" and len(path) == 2:
            said = Dated("start date" if path[1] == "from" else "end date", f" of {named}")
        else:
            said = Dated("due date" if name == declared.due else "date", f" in {named}")
        if name == declared.date:
            yield from implausible_year(doc, list(path), when, said, latest=None)
        elif field.type == "date" and when < dated:
            continue  # QA312: before the record's date
        elif field.type == "date" and name != declared.due and when > today:
            continue  # QA312: after today
        else:
            yield from implausible_year(doc, list(path), when, said, latest=latest, beyond=beyond)

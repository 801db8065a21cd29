"""Turn pydantic validation errors into located, plain-English diagnostics.

Pydantic reports a ``loc`` tuple and a machine message. Users need the line and column of the
offending key or value, a sentence without jargon, and a hint. This module does that mapping for
both audit files and standards files.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from qaimpact.base.codes import CODES, MAX_FINDINGS, diagnostic
from qaimpact.base.dates import QUOTES as _QUOTES
from qaimpact.base.dates import SPACES as _SPACES
from qaimpact.base.dates import date_hint as date_hint  # where the core has always found it
from qaimpact.base.escaping import INVISIBLE, clip, escape_char
from qaimpact.base.loader import Document, in_quotes, paused_gc, quote_fix
from qaimpact.models.audit import BLANK_PATTERN, plain_punctuation
from qaimpact.models.findings import Diagnostic, Severity
from qaimpact.models.listing import and_list, close_choices
from qaimpact.models.listing import suggest as suggest  # where the core has always found it
from qaimpact.models.location import Location
from qaimpact.models.standard import NOT_APPLICABLE

#: Turns a data path into words for messages, e.g. ``impact.child_seen`` -> a standard's short name.
Describe = Callable[[Sequence[Any]], str | None]

#: Every name a data path goes by, the one messages use first: a standard's short name and its
#: title (``Case planning``, ``Case planning records plans ...``), for a key written as either.
Names = Callable[[Sequence[Any]], Sequence[str]]


@dataclass(frozen=True, slots=True)
class Choices:
    """The values valid at a place, and the words naming them in a hint (``the learning points
    of the area 'safeguarding' (Safeguarding)``): for a list narrower than the model's, where a
    value the model allows elsewhere is not allowed here."""

    values: Sequence[str]
    among: str


#: The values valid at a data path where the model's own list says too much (``not_applicable``
#: is in every standard's list, but valid only for one that may not apply; a learning point must
#: be one of its area's), or None for the model's list.
ChoicesAt = Callable[[Sequence[Any]], Sequence[str] | Choices | None]

_TYPE_WORDS = {
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "list_type": "a list",
    "dict_type": "a block of 'key: value' lines",
    "model_type": "a block of 'key: value' lines",
    "model_attributes_type": "a block of 'key: value' lines",
}
_DATE_TYPES = {
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
    "date_future",
    "date_past",
}


def format_path(path: Sequence[Any]) -> str:
    """``("learning_actions", 0, "area")`` -> ``learning_actions[0].area``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + clip(str(part))
    return out or "(top level)"


#: What one item of a list is called, by the list's key, where a message names an item of a list
#: that is not the file's own (``point 2 of learning action 1``, ``choice 1 of 'case_fields.law'``,
#: ``condition 2 of 'when' of threshold rule 1``): audits' lists and standards files'. An item of
#: a list not here is named by its number (``item 1 of 'drop' of migration 1``).
ITEM_NAMES: dict[str, str] = {
    "points": "point",
    "indicators": "indicator",
    "standards": "standard",
    "choices": "choice",
    "constraints": "constraint",
    "ratings": "rating",
    "rated_in": "rating",
    "all_of": "condition",
    "any_of": "condition",
    "route": "role",
    "grades": "grade",
    "outcomes": "outcome",
    "considerations": "consideration",
    "split_into": "standard",
    "levels": "level",
}


def named(path: Sequence[Any], describe: Describe | None, *, about: bool = True) -> str:
    """A place in the data as a message names it: its key quoted, with ``describe``'s words for it
    (``'case.team' (Team)``), and an item of a list in ``describe``'s words (``remedial action 1``;
    ``'due' of remedial action 1``), else as :func:`list_item` names it (``point 2 of learning
    action 1``; ``'added_value' item 2``, as the links' findings say it): never
    ``remedial_actions[0]``, which only someone who knows YAML's lists reads as the first action.

    Without ``describe`` the key is quoted as :func:`format_path` writes it. ``about``: whether a
    key is followed by ``describe``'s words.
    """
    last = max((i for i, part in enumerate(path) if isinstance(part, int)), default=None)
    if describe is None or last is None:
        words = describe(path) if describe is not None and about else None
        return f"'{format_path(path)}'" + (f" ({words})" if words else "")
    item, rest = path[: last + 1], path[last + 1 :]
    words = describe(item) or list_item(item, describe)
    return f"'{format_path(rest)}' of {words}" if rest else words


def list_item(
    item: Sequence[Any],
    describe: Describe | None,
    ident: str | None = None,
    names: Mapping[str, str] = ITEM_NAMES,
) -> str:
    """An item of a list (``item``'s last part is its index) in words, as people say it: by the
    list key's name for one (:data:`ITEM_NAMES`) and its number, of what holds the list
    (``point 2 of learning action 1``, ``condition 2 of 'when' of threshold rule 1``, ``choice 1
    of 'case_fields.law'``), the same at every depth; else by its number (``item 1 of 'drop' of
    migration 1``, ``'added_value' item 2``). ``ident``: the item's id, shown after its
    number (``standard 2 ('plan')``); ``names``: the names for one item, by the list's key."""
    listed, number = item[:-1], item[-1] + 1
    shown = f"{number} ('{clip(ident)}')" if ident else str(number)
    owner = max((i for i, part in enumerate(listed) if isinstance(part, int)), default=-1)
    keys = listed[owner + 1 :]
    singular = names.get(str(keys[-1])) if keys else None
    holder = named(listed[: owner + 1], describe, about=False) if owner >= 0 else None
    if singular is None or (holder is None and len(keys) < 2):
        # A list whose items have no name, or one at the top level ('added_value' item 2).
        if holder is None:
            return f"{named(listed, describe, about=False)} item {shown}"
        return f"item {shown} of {named(listed, describe, about=False)}"
    within = [f"'{format_path(keys[:-1])}'"] if len(keys) > 1 else []
    return " of ".join([f"{singular} {shown}", *within, *([holder] if holder else [])])


def sentence(text: str) -> str:
    """``text`` begun with a capital, as a message begins (``Remedial action 1 is ...``)."""
    return text[:1].upper() + text[1:]


def data_path(data: Any, loc: Sequence[Any], *, key_error: bool = True) -> tuple[list[Any], bool]:
    """Map a pydantic ``loc`` onto the data, dropping union tags and other non-data parts.

    Returns the path that exists in the data (plus, for errors about a key, the final missing or
    unknown key) and whether the whole path exists. For other errors a last part that is not in
    the data is a union tag or a validator's name, not a key.
    """
    path: list[Any] = []
    node = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append(part)
            node = node[part]
        elif last and key_error and not isinstance(part, int):
            path.append(part)
            return path, False
        # Otherwise the part is a union tag or validator name: not in the data.
    return path, True


def _literal_choices(model: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    annotation: Any = model
    for part in loc:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    return [str(a) for a in typing.get_args(strip_optional(annotation))]


def allowed_keys(model: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    """The keys a mapping at ``loc`` (a data path) accepts, in the model's order."""
    annotation: Any = model
    for part in loc:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    annotation = strip_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [f.alias or name for name, f in annotation.model_fields.items()]
    return []


def strip_optional(annotation: Any) -> Any:
    """The type inside ``Annotated[...]`` and ``X | None`` (a model, a list, a literal...)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return strip_optional(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return strip_optional(args[0])
    return annotation


def _step(annotation: Any, part: Any) -> Any:
    annotation = strip_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
        return None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is list and args and isinstance(part, int):
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


#: Words that do not start an abbreviation of a label: "Requires improvement to be good" is RI.
_SMALL_WORDS = frozenset("a an and at be by for in of on or the to with".split())


def _fold(text: str) -> str:
    """A label or an id compared loosely: case, spaces, hyphens and underscores ignored."""
    return re.sub(r"[\s_\-]+", "_", text.strip().casefold())


def meant_choice(value: Any, choices: Sequence[str], labels: Mapping[str, str] | None = None) -> str | None:
    """The one of ``choices`` that ``value`` names as Word or a first-timer writes it, or None: the
    choice itself, or the choice with an invisible character, spaces or quotation marks around it,
    in capitals, as its label or as the label's initials (each case :func:`forgiven` gives a hint
    for). A misspelling names nothing: only a person can say which choice it was meant to be.
    """
    if not isinstance(value, str) or not choices:
        return None
    if value in choices:
        return value
    shown = INVISIBLE.sub("", value).strip(_SPACES)
    shown = shown.strip(_QUOTES).strip(_SPACES) or shown
    if not shown:
        return None
    return shown if shown in choices else _by_name(shown, choices, labels)


def misspelt_choice(
    value: Any, choices: Sequence[str], labels: Mapping[str, str] | None = None, *, rating: bool = False
) -> str | None:
    """The one of ``choices`` a misspelt value (``inadequte``, ``Outstandng``) is close to, or None.

    It is the choice the value's finding offers in "Did you mean" (QA204 for a standard's
    ``rating``, QA205 for another choice, each comparing the value as :func:`_spelt` gives it),
    where no other choice is close enough to be offered too: with two, which was meant is not
    known. A value :func:`meant_choice` reads (a choice written another way) is no misspelling,
    nor is not applicable written where the standard applies (QA204 then says why it cannot be,
    offering no rating). Only a person can say what a misspelling meant, so it is read only as a
    slip of typing (:func:`_typo`): ``adequate`` or ``not inadequate`` is another word, however
    close, and names no choice. It is read only to say an escalation (``audits/ahead.py``), never
    to grade.
    """
    if not isinstance(value, str) or meant_choice(value, choices, labels) is not None:
        return None
    if rating and NOT_APPLICABLE not in choices and forgiven(value, [NOT_APPLICABLE], labels):
        return None
    close = close_choices(_spelt(value, rating=rating), choices)
    return close[0] if len(close) == 1 and _typo(value, close[0]) else None


#: Longer text is no slip of typing a choice (and is not compared letter by letter).
_LONGEST_SLIP = 64
_SEPARATORS = re.compile(r"[\s_-]+")


def _typo(written: str, choice: str) -> bool:
    """Whether ``written`` is ``choice`` with a slip of typing: as many words, at most two letters
    (or one in five) left out, added, changed or swapped, and not ``choice`` with a prefix taken
    away or words added, which make another word (``adequate``, ``not inadequate``)."""
    typed = _SEPARATORS.sub(" ", written.casefold()).strip()
    meant = _SEPARATORS.sub(" ", choice.casefold()).strip()
    if len(typed) > _LONGEST_SLIP or len(typed.split()) != len(meant.split()):
        return False
    if (meant.endswith(typed) and len(meant) - len(typed) >= 2) or (
        meant in typed and len(typed) - len(meant) >= 2
    ):
        return False
    return _edits(typed, meant) <= max(2, len(meant) // 5)


def offered(value: Any, choices: Sequence[str], *, rating: bool = False) -> str | None:
    """The choice a finding's "Did you mean" offers for a mistyped value (QA204 for a standard's
    ``rating``, QA205 for another choice), or None: the closest of ``choices`` (:func:`suggest`,
    comparing the value as :func:`_spelt` gives it), unless the value is that choice reworded
    (:func:`_reworded`): ``adequate`` (an old Ofsted grade) or ``not inadequate`` is another word,
    whose meaning may be the opposite, so no choice is guessed and the hint lists them all."""
    if not isinstance(value, str):
        return None
    close = suggest(_spelt(value, rating=rating), choices)
    if close is None or _reworded(value, close) or _joined(value, close, choices, rating=rating):
        return None
    return close


def _joined(value: str, close: str, choices: Sequence[str], *, rating: bool) -> bool:
    """Whether ``value`` joins two or more values (:data:`_JOINS`) that do not all name ``close``
    (``Good / RI``, ``outstanding/inadequate``): the guess would be one of them, picked by its
    spelling, and the other may be the one meant."""
    parts = _part_choices(value, close, choices, rating=rating)
    return any(named != close for _, named in parts)


def _part_choices(
    value: str, whole: str | None, choices: Sequence[str], *, rating: bool
) -> list[tuple[str, str | None]]:
    """Each part of a value that joins values (:data:`_JOINS`), with the choice "Did you mean"
    reads it as (None for a part like none); [] where ``value`` joins no values: one part, or a
    slip of ``whole`` (the choice the whole value is closest to), itself written with a join word
    (``white_and_black_caribbean``)."""
    parts = [part.strip() for part in _JOINS.split(value) if len(part.strip()) > 1]
    if len(parts) < 2 or (whole is not None and len(_JOINS.split(whole.replace("_", " "))) > 1):
        return []
    return [(part, suggest(_spelt(part, rating=rating), choices)) for part in parts]


#: What joins two values written in one place: ``outstanding/inadequate``, ``good or met``. The
#: spaces around it stay in the parts, which are stripped: a pattern taking them too (``\s*``
#: first) tried every space of a long run to its end, and a value with 120,000 spaces in it kept
#: ``validate`` busy for minutes.
_JOINS = re.compile(r"[/\\|,;&+]|\bor\b|\band\b", re.IGNORECASE)


def several(value: Any, choices: Sequence[str], *, rating: bool = False) -> list[str]:
    """The choices a value joins two or more of (``outstanding/inadequate``, ``good or requires
    improvement``), each part read as "Did you mean" reads a value (:func:`suggest`), in the order
    written; [] where it names one choice or none. Its finding then guesses none (:func:`offered`):
    the closest would be one of them, picked by its spelling, and the other may be what was meant,
    the more severe grade as likely as the less."""
    if not isinstance(value, str) or not choices:
        return []
    whole = suggest(_spelt(value, rating=rating), choices)
    named: list[str] = []
    for part, close in _part_choices(value, whole, choices, rating=rating):
        if close is not None and close not in named and not _reworded(part, close):
            named.append(close)
    return named if len(named) > 1 else []


def several_hint(value: Any, choices: Sequence[str], what: str, *, rating: bool = False) -> str | None:
    """The start of the hint for a value that names more than one choice (:func:`several`):
    ``This names two ratings, 'outstanding' and 'inadequate': keep only the one meant.``"""
    named = several(value, choices, rating=rating)
    if not named:
        return None
    count = {2: "two", 3: "three"}.get(len(named), str(len(named)))
    quoted = and_list(f"'{n}'" for n in named)
    return f"This names {count} {what}s, {quoted}: keep only the one meant."


#: Words and prefixes that turn a word into its negation: "not good", "no improvement",
#: "inadequate" (a choice with one of them taken away or added means another thing, often the
#: opposite). Other words added or left out keep the hint: "public law" for public, "policy" for
#: compliance_with_policy, "inadequately" for inadequate.
_NEGATING_WORDS = frozenset({"not", "no", "non", "never", "without", "isn't", "isnt"})
_NEGATING_PREFIXES = ("non", "dis", "mis", "in", "im", "il", "ir", "un")


def _reworded(written: str, choice: str) -> bool:
    """Whether ``written`` is ``choice`` with a negating word or prefix (:data:`_NEGATING_WORDS`,
    :data:`_NEGATING_PREFIXES`) taken away or added, perhaps with a slip of typing as well, and no
    slip of typing of ``choice`` itself (:func:`_typo`): ``adequate``, ``adequte`` or ``not
    inadequate`` for inadequate, ``not good`` for good, ``good`` for not_good, ``unmet`` for met,
    ``requires no improvement`` for requires_improvement. Such a value is nearer to the choice
    reworded than to the choice: another word, not a slip of it. Longer text than a slip is kept
    as :func:`suggest` reads it (it is not compared letter by letter)."""
    typed = _SEPARATORS.sub(" ", written.casefold()).strip()
    meant = _SEPARATORS.sub(" ", choice.casefold()).strip()
    if len(typed) > _LONGEST_SLIP or len(meant) > _LONGEST_SLIP or _typo(written, choice):
        return False
    apart = _edits(typed, meant)
    pairs = [(typed, other) for other in _unnegated(meant)]
    pairs += [(other, meant) for other in _unnegated(typed)]
    # The lengths' difference is the fewest edits there can be: most pairs need no counting.
    return any(abs(len(a) - len(b)) < apart and _edits(a, b) < apart for a, b in pairs if a and b)


def _unnegated(text: str) -> list[str]:
    """``text`` (words separated by single spaces) with one negating word left out, or a negating
    prefix taken from one word that leaves at least three letters (``inadequate`` -> ``adequate``)."""
    words = text.split(" ")
    # A prefix written apart ("un-met", "in adequate" as a slip of the space bar) is a word here.
    out = [
        " ".join(words[:i] + words[i + 1 :])
        for i, w in enumerate(words)
        if w in _NEGATING_WORDS or w in _NEGATING_PREFIXES
    ]
    for i, word in enumerate(words):
        out += [
            " ".join([*words[:i], word[len(prefix) :], *words[i + 1 :]])
            for prefix in _NEGATING_PREFIXES
            if word.startswith(prefix) and len(word) - len(prefix) >= 3
        ]
    return out


def _edits(a: str, b: str) -> int:
    """The letters left out, added, changed or swapped (two side by side) that make ``a`` ``b``:
    the optimal string alignment distance."""
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[len(b)]


def _spelt(value: Any, *, rating: bool) -> str:
    """A mistyped value as its finding compares it with the choices for "Did you mean": a rating
    in small letters (QA204: ``Outstandng``), any other choice as written (QA205)."""
    return str(value).casefold() if rating else str(value)


def forgiven(value: Any, choices: Sequence[str], labels: Mapping[str, str] | None = None) -> str | None:
    """The hint for a value that is one of ``choices`` as Word or a first-timer writes it, or
    None: with spaces around it (``"good "``), in curly quotes (``“good”``), in capitals, as its
    label (``Good``, ``Requires improvement``) or as the label's initials (``RI``, ``N/A``).
    ``labels`` maps ids to their labels; the hint quotes the label, not what was written.
    """
    if not isinstance(value, str) or not choices:
        return None
    hidden = INVISIBLE.search(value)
    if hidden is not None:
        # Pasted in, it shows as nothing: the value looks right and the message seems to refuse it.
        shown = INVISIBLE.sub("", value).strip(_SPACES)
        if shown in choices or (shown := _by_name(shown, choices, labels) or "") in choices:
            return (
                f"Did you mean '{shown}'? The value holds the invisible character "
                f"{escape_char(hidden.group())} (probably pasted in): delete it, or type the value again."
            )
    trimmed = value.strip(_SPACES)
    if trimmed != value and trimmed in choices:
        where = (
            "after it"
            if value.startswith(trimmed)
            else "before it"
            if value.endswith(trimmed)
            else "around it"
        )
        kind = "a non-breaking space (pasted from Word)" if "\u00a0" in value else "the space"
        return f"Did you mean '{trimmed}'? Delete {kind} {where}."
    unquoted = trimmed.strip(_QUOTES).strip(_SPACES)
    if unquoted != trimmed and unquoted:
        chosen = unquoted if unquoted in choices else _by_name(unquoted, choices, labels)
        if chosen is not None:
            return (
                f"Did you mean '{chosen}'? The value is in quotation marks ({trimmed[0]}{trimmed[-1]}), "
                f"which Word and email add: write {chosen} with no quotation marks."
            )
        return None
    chosen = _by_name(trimmed, choices, labels)
    if chosen is not None and chosen != value:
        label = (labels or {}).get(chosen)
        if label:
            return (
                f"Did you mean '{chosen}'? Reports show it as '{clip(label)}', but the file uses its "
                f"id: {chosen}."
            )
        return f"Did you mean '{chosen}'? The file uses its id, written exactly: {chosen}."
    return None


def _by_name(text: str, choices: Sequence[str], labels: Mapping[str, str] | None) -> str | None:
    """The choice ``text`` names: by its id or its label written loosely, else by the label's
    initials when only one choice has them."""
    folded = _fold(text)
    for choice in choices:
        if _fold(choice) == folded:
            return choice
    for choice in choices:
        label = (labels or {}).get(choice)
        if label and _fold(label) == folded:
            return choice
    return abbreviated(text, [((labels or {}).get(c, ""), c) for c in choices])


def abbreviated(text: str, names: Iterable[tuple[str, str]]) -> str | None:
    """The one choice of ``names`` (pairs of a name, such as a label, and its choice) that ``text``
    abbreviates (``RI``, ``R.I.``, ``N/A``: :func:`_abbreviations`), or None where it abbreviates
    none, or the names of two choices."""
    short = _letters(text)
    if short is None:
        return None
    named = {choice for name, choice in names if short in _abbreviations(name)}
    return named.pop() if len(named) == 1 else None


def _letters(text: str) -> str | None:
    """The letters of an abbreviation (``N/A``, ``R.I.``, ``RI``), casefolded, or None."""
    if not re.fullmatch(r"[^\W\d_]+(?:[./][^\W\d_]+)*\.?", text):
        return None
    letters = re.sub(r"[./]", "", text).casefold()
    return letters if 2 <= len(letters) <= 8 else None


def _abbreviations(label: str) -> set[str]:
    """How a label is shortened, casefolded: the initials of its words (``NA`` for "Not
    applicable"), of its words less small ones, of its words up to the first small one (``RI``
    for "Requires improvement to be good"), and an abbreviation it gives in brackets ("(IRO)")."""
    found = {a.casefold() for a in re.findall(r"\(([^\W\d_]{2,})\)", label)}
    words = [w.casefold() for w in re.findall(r"[^\W\d_]+", re.sub(r"\([^)]*\)", " ", label))]
    if len(words) < 2:
        return found
    found.add("".join(w[0] for w in words))
    found.add("".join(w[0] for w in words if w not in _SMALL_WORDS))
    small = [i for i, w in enumerate(words) if i and w in _SMALL_WORDS]
    if small:
        found.add("".join(w[0] for w in words[: small[0]]))
    return {a for a in found if len(a) >= 2}


def _choices_text(choices: Sequence[str]) -> str:
    return ", ".join(choices)


def pydantic_diagnostics(
    exc: ValidationError,
    doc: Document,
    model: type[BaseModel],
    describe: Describe | None = None,
    subject: str = "The audit",
    limit: int = MAX_FINDINGS,
    labels: Mapping[str, str] | None = None,
    choices_at: ChoicesAt | None = None,
    names: Names | None = None,
) -> list[Diagnostic]:
    """One located diagnostic per pydantic error, deduplicated, in file order (see
    :func:`pydantic_findings`, which also counts the errors it did not locate)."""
    return pydantic_findings(exc, doc, model, describe, subject, limit, labels, choices_at, names)[0]


def pydantic_findings(
    exc: ValidationError,
    doc: Document,
    model: type[BaseModel],
    describe: Describe | None = None,
    subject: str = "The audit",
    limit: int = MAX_FINDINGS,
    labels: Mapping[str, str] | None = None,
    choices_at: ChoicesAt | None = None,
    names: Names | None = None,
) -> tuple[list[Diagnostic], int]:
    """Located diagnostics for pydantic's errors, deduplicated, in file order, and how many more
    errors there are.

    ``subject`` names the whole file in messages ("The audit", "The standards file"). Only the
    first ``limit`` findings by position get their message and hint written (suggesting the
    closest key is the costly part); those after them carry their code and position but no
    message, so that :func:`~qaimpact.base.codes.cap_findings` can count them, and must go
    through it before anything shows them. ``labels`` gives choices' labels and ``choices_at``
    the values valid at a place, for the hints; ``names`` every name of a place, for a key written
    as one of them (by default ``describe``'s words). Unknown keys of one block, and errors in the items of
    one list, come from pydantic in file order: past the first ``limit + 1`` of such a run, the
    rest (never shown) are counted, not located, so 50,000 unknown keys cost little more than 101.
    """
    with paused_gc():
        runs: dict[tuple[Any, ...], list[ErrorDetails]] = {}
        for error in exc.errors(include_url=False):
            runs.setdefault((error["type"], error["loc"][:-1]), []).append(error)
        planned: dict[tuple[Any, ...], tuple[tuple[int, int], str, list[Any], ErrorDetails]] = {}
        uncounted = 0
        for (kind, _parent), errors in runs.items():
            if len(errors) > limit + 1 and (
                kind == "extra_forbidden" or all(isinstance(e["loc"][-1], int) for e in errors)
            ):
                uncounted += len(errors) - limit - 1
                errors = errors[: limit + 1]
            for error in errors:
                path, exists = data_path(
                    doc.data, error["loc"], key_error=kind in ("missing", "extra_forbidden")
                )
                code = _code(error, path, exists)
                key = (tuple(map(str, path)), code)
                if key not in planned:
                    planned[key] = (_position(code, path, doc), code, path, error)
        meant = _keys_meant(planned, doc.data, model, describe, limit, names)
        order = sorted(planned.values(), key=lambda p: (p[0], p[1]))
        shown = [
            replace(
                _one(
                    error,
                    path,
                    doc,
                    model,
                    describe,
                    subject,
                    code,
                    Location(doc.path, *where),
                    labels,
                    choices_at,
                    meant.get(tuple(map(str, path))) if code == "QA203" else None,
                ),
                data_path=_about(path, code, meant),
            )
            for where, code, path, error in order[:limit]
        ]
        # Every pydantic finding is an error (codes QA202-QA209).
        rest = [
            Diagnostic(
                Location(doc.path, *where),
                Severity.ERROR,
                code,
                CODES[code].name,
                "",
                data_path=_about(path, code, meant),
            )
            for where, code, path, _error in order[limit:]
        ]
    return shown + rest, uncounted


def _about(path: Sequence[Any], code: str, meant: Mapping[tuple[str, ...], KeyMeant]) -> tuple[str, ...]:
    """The value a finding is about (:attr:`Diagnostic.data_path`): the value at ``path``, a missing
    key's own (not the block's, where the finding is placed), and for a key written as the label
    of another (QA203 of :func:`_keys_meant`), the key meant, whose value the file lacks."""
    place = tuple(map(str, path))
    if code == "QA203" and place in meant:
        return (*place[:-1], meant[place][0])
    return place


#: A key the file writes as the label of a key allowed there, or as its id written another way,
#: or misspelt: the id meant, the label written (None for the id written another way or
#: misspelt), and whether it is misspelt (the closest key, which the block lacks and needs).
KeyMeant = tuple[str, str | None, bool]
_Plan = tuple[tuple[int, int], str, list[Any], ErrorDetails]


def _keys_meant(
    planned: dict[tuple[Any, ...], _Plan],
    data: Any,
    model: type[BaseModel],
    describe: Describe | None,
    limit: int,
    names: Names | None = None,
) -> dict[tuple[str, ...], KeyMeant]:
    """The unknown keys (QA203) that name a key allowed in the same block and absent from it, by
    its label (``Risk management:`` for ``risk_management:``) or by its id written another way
    (``Case planning:``), each with the key meant; the first such key in the file names it. Then
    those misspelt (``Planing:``): an unknown key whose closest allowed key (its "Did you mean")
    is a required key the block lacks, and which no key names so.

    The key meant, if required, is not said again as missing (its QA202 is dropped from
    ``planned``): it is one mistake, reported once at the key written. A required key that no
    unknown key names or resembles is still reported missing. Past the first ``limit`` unknown
    keys (whose messages are never written), only those in a block missing a key are looked at:
    thousands of unknown keys cost little more than before.
    """
    meant: dict[tuple[str, ...], KeyMeant] = {}
    unknown = sorted((plan for (_, code), plan in planned.items() if code == "QA203"), key=lambda p: p[0])
    lacking = {key[:-1] for key, code in planned if code == "QA202"}
    taken: set[tuple[str, ...]] = set()
    # The keys a block allows, by its place in the model (list positions do not change them).
    allowed: dict[tuple[Any, ...], list[str]] = {}
    looked: list[tuple[str, tuple[str, ...], list[str]]] = []
    for number, (_where, _kind, path, _error) in enumerate(unknown):
        written = path[-1]
        parent = path[:-1]
        place = tuple(map(str, parent))
        if number >= limit and place not in lacking:
            continue
        block = _at(data, parent)
        if not isinstance(written, str) or not isinstance(block, dict):
            continue
        shape = tuple(0 if isinstance(part, int) else part for part in parent)
        if shape not in allowed:
            allowed[shape] = allowed_keys(model, parent)
        absent = [k for k in allowed[shape] if k not in block and (*place, k) not in taken]
        found = _key_named(written, absent, parent, describe, names)
        if found is None:
            if place in lacking:
                looked.append((written, place, allowed[shape]))
            continue
        taken.add((*place, found[0]))
        meant[(*place, written)] = (found[0], found[1], False)
        planned.pop(((*place, found[0]), "QA202"), None)
    for written, place, keys in looked:
        # The key its "Did you mean" gives, where that key is required and missing: one mistake.
        close = suggest(written, keys)
        if close is None or (*place, close) in taken or ((*place, close), "QA202") not in planned:
            continue
        taken.add((*place, close))
        meant[(*place, written)] = (close, None, True)
        planned.pop(((*place, close), "QA202"))
    return meant


def _at(data: Any, path: Sequence[Any]) -> Any:
    """The value at a data path that exists in ``data`` (:func:`data_path`'s)."""
    for part in path:
        data = data[part]
    return data


def _key_fold(text: str) -> str:
    """A key or a label compared loosely: as :func:`_fold`, with Word's apostrophes and dashes
    plain, invisible characters, spaces and quotation marks pasted around it dropped, and a closing
    full stop dropped (titles are shown without it)."""
    shown = INVISIBLE.sub("", plain_punctuation(text)).strip(_SPACES)
    return _fold(shown.strip(_QUOTES).strip(_SPACES).rstrip(".:"))


def _key_named(
    written: str,
    keys: Sequence[str],
    parent: Sequence[Any],
    describe: Describe | None,
    names: Names | None = None,
) -> tuple[str, str | None] | None:
    """The key of ``keys`` that ``written`` names by one of its names (``names``, by default
    ``describe``'s words for it), else by its id written another way (in capitals, with spaces or
    hyphens), or None; with the name written.

    The name messages use (the first) is tried for every key before any other: a standard's full
    title may be another standard's name in messages (one with no ``short`` name), and the key
    written is then that other standard, as every message has named it. A name other than the
    first that fits two keys names neither: the rules must not read a rating under a guess.
    """
    folded = _key_fold(written)
    every = {key: _names_of([*parent, key], describe, names) for key in keys}
    for key, labels in every.items():
        if labels and _key_fold(labels[0]) == folded:
            return key, labels[0]
    others = [
        (key, label) for key, labels in every.items() for label in labels[1:] if _key_fold(label) == folded
    ]
    if len({key for key, _ in others}) == 1:
        return others[0]
    if others:
        return None
    for key in keys:
        if _key_fold(key) == folded:
            return key, None
    return None


def _names_of(path: Sequence[Any], describe: Describe | None, names: Names | None) -> list[str]:
    """Every name of the place at ``path``: ``names``' if given, else ``describe``'s words."""
    if names is not None:
        return [name for name in names(path) if name]
    label = describe(path) if describe is not None else None
    return [label] if label else []


def key_named(
    written: str,
    keys: Sequence[str],
    parent: Sequence[Any],
    describe: Describe | None,
    names: Names | None = None,
) -> str | None:
    """The key of ``keys`` (keys of the block at ``parent``) that the unknown key ``written`` names
    by its label or by its id written another way (``Assessment:``, ``Risk management:``), as QA203
    says it (:func:`_key_named`), or None. ``names``: every name of a place (a standard's short name
    and its full title), where ``describe`` gives only the one messages use."""
    found = _key_named(written, keys, parent, describe, names)
    return found[0] if found is not None else None


def _blank(error: ErrorDetails) -> bool:
    """Whether the error is required text of only spaces (models.audit.Text's pattern)."""
    return (
        error["type"] == "string_pattern_mismatch"
        and (error.get("ctx") or {}).get("pattern") == BLANK_PATTERN
    )


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and len(value) == 0)


def _code(error: ErrorDetails, path: list[Any], exists: bool) -> str:
    """The code a pydantic error is reported under."""
    kind = error["type"]
    if kind == "missing" or not exists:
        return "QA202"
    if _blank(error):
        return "QA208"
    if kind == "extra_forbidden":
        return "QA203"
    if kind in ("string_too_short", "too_short") or (
        _is_empty(error.get("input")) and (kind in _TYPE_WORDS or kind in ("literal_error", "enum"))
    ):
        return "QA208"
    if kind in ("literal_error", "enum"):
        # A standard's rating is always inside its entry; a top-level field named `rating` (a
        # record's own choice, say) is an ordinary choice.
        return "QA204" if len(path) >= 2 and path[-1] == "rating" else "QA205"
    if kind in _DATE_TYPES:
        return "QA207"
    if kind in _TYPE_WORDS:
        return "QA206"
    return "QA209"


def _comment_for_value(doc: Document, location: Location) -> str | None:
    """The comment that stands where an empty value is (``key: #text``), or None."""
    if doc.text is None or location.line is None or location.column is None:
        return None
    lines = doc.text.split("\n")
    if not 1 <= location.line <= len(lines):
        return None
    rest = lines[location.line - 1][location.column - 1 :].strip()
    return rest if rest.startswith("#") and len(rest) > 1 else None


def _position(code: str, path: list[Any], doc: Document) -> tuple[int, int]:
    """Where a finding points: a missing key at the key that must hold it, an unknown key at
    itself, a wrong value at the value."""
    if code == "QA202":
        return doc.position(path[:-1], key=True)
    if code == "QA203":
        return doc.position(path, key=True)
    return doc.position(path)


def _one(
    error: ErrorDetails,
    path: list[Any],
    doc: Document,
    model: type[BaseModel],
    describe: Describe | None,
    subject: str,
    code: str,
    location: Location,
    labels: Mapping[str, str] | None = None,
    choices_at: ChoicesAt | None = None,
    meant: KeyMeant | None = None,
) -> Diagnostic:
    kind = error["type"]
    value = error.get("input")
    # The place as the message names it: an item of a list in words (see `named`).
    place = named(path, describe)

    if code == "QA202":
        parent = path[:-1]
        key = clip(str(path[-1])) if path else "?"
        about = describe(path) if describe else None
        parent_text = named(parent, describe) if parent else subject
        return diagnostic(
            "QA202",
            location,
            sentence(f"{parent_text} is missing '{key}'" + (f" ({about})." if about else ".")),
            f"Add '{key}:' "
            + (f"under {named(parent, describe, about=False)}." if parent else "at the top level."),
        )
    if code == "QA203" and meant is not None:
        return _key_as_label(path, meant, describe, location)
    if code == "QA203":
        key = clip(str(path[-1]))
        parent = path[:-1]
        keys = allowed_keys(model, parent)
        pasted = forgiven(str(path[-1]), keys)
        guess = suggest(str(path[-1]), keys)
        hint = f"Did you mean '{guess}'? " if guess else ""
        hint += f"The keys allowed here are: {_choices_text(keys)}." if keys else "Remove it."
        hint = pasted or hint
        inside = f"in {named(parent, describe, about=False)}" if parent else "at the top level"
        return diagnostic("QA203", location, f"Unknown key '{key}' {inside}.", hint)
    if code == "QA208":
        hint = "Fill it in" + (" with at least one item." if kind == "too_short" else ".")
        comment = _comment_for_value(doc, location) if value is None else None
        if comment is not None:
            # `reviewer: #Daniel`: what was typed is a comment to YAML, so the value is empty. The
            # text in quotes is the fix to copy: written out whole, or said where the quotes go.
            quoted = in_quotes(comment)
            ignored = "The text after '#' is a comment, which YAML ignores"
            hint = (
                f"{ignored}: if '{clip(comment)}' is the value, put it in quotes: {quoted}."
                if quoted is not None
                else f"{ignored}. {quote_fix(comment, location.line or 1)}"
            )
        return diagnostic(
            "QA208",
            location,
            sentence(f"{place} " + ("holds only spaces." if _blank(error) else "is empty.")),
            hint,
        )
    if code == "QA204":
        valid, _among = _valid_at(choices_at, path)
        owner = describe(path[:-1]) if describe else None
        # not_applicable is only for standards that say when they apply (see QA302): without
        # choices_at to say where, it is left out.
        choices = (
            list(valid)
            if valid is not None
            else [c for c in _literal_choices(model, path) or _expected(error) if c != "not_applicable"]
        )
        guessed = forgiven(value, choices, labels)
        if (
            valid is not None
            and guessed is None
            and "not_applicable" not in valid
            and forgiven(value, ["not_applicable"], labels)
        ):
            # "N/A" where the standard applies: say why not_applicable is not offered (QA302).
            guessed = "This standard applies to this case, so it cannot be rated not applicable."
        close = offered(value, choices, rating=True)
        if guessed is None:
            guessed = several_hint(value, choices, "rating", rating=True)
        if guessed is None and close is not None:
            # A misspelt rating ("goood", "Outstandng") gets the one it is closest to, as QA205 does.
            guessed = f"Did you mean '{close}'?"
        return diagnostic(
            "QA204",
            location,
            f"'{clip(str(value))}' is not a rating on this framework's scale for '{format_path(path[:-1])}'"
            + (f" ({owner})." if owner else "."),
            (guessed + " " if guessed else "") + f"Use one of: {_choices_text(choices)}.",
        )
    if code == "QA205":
        valid, among = _valid_at(choices_at, path)
        every = _literal_choices(model, path) or _expected(error)
        choices = list(valid) if valid is not None else every
        guessed = forgiven(value, choices, labels) or several_hint(value, choices, "value")
        guess = offered(value, choices)
        hint = guessed + " " if guessed else f"Did you mean '{guess}'? " if guess else ""
        listed = f"Use one of {among}: " if among else "Use one of: "
        if not hint and among:
            # Meant as a value allowed elsewhere but not here (a learning point of another area):
            # named, so that the auditor sees why it is refused.
            elsewhere = [c for c in every if c not in choices]
            other = forgiven(value, elsewhere, labels) or (
                f"Did you mean '{close}'?" if (close := offered(value, elsewhere)) else None
            )
            if other is not None:
                hint = f"{other} It is not one of {among}. "
                listed = "Use one of them: "
        return diagnostic(
            "QA205",
            location,
            f"{_describe_value(value)} is not an allowed value for {place}.",
            hint + listed + f"{_choices_text(choices)}.",
        )
    # A number is quoted as the file writes it: an id `0142` read as 142 must be quoted as '0142',
    # or the hint would have the auditor write another id (and `1e400` is not 'inf').
    written = _as_written(doc, path, value)
    if code == "QA207":
        shown = clip(written) if written is not None else _shown(value)
        return diagnostic(
            "QA207",
            location,
            sentence(f"{named(path, describe, about=False)} is not a valid date: {shown}."),
            date_hint(value),
        )
    if code == "QA206":
        expected = _TYPE_WORDS[kind]
        hint = f"Write {expected} here."
        if expected == "true or false":
            hint = "Write true or false (or yes or no): on, off, y, n, 1 and 0 are not read as answers."
        if expected == "text" and isinstance(value, int | float | bool):
            hint = f"Put the value in quotes so that it is read as text: '{clip(written or str(value))}'."
        described = f"'{clip(written)}'" if written is not None else _describe_value(value)
        return diagnostic(
            "QA206",
            location,
            sentence(f"{place} should be {expected}, not {described}."),
            hint,
        )
    if kind == "string_pattern_mismatch":
        return diagnostic(
            "QA209",
            location,
            f"{_describe_value(value)} is not a valid id for {named(path, describe, about=False)}.",
            _value_hint(kind, error),
        )
    message = _clean(error["msg"])
    return diagnostic("QA209", location, sentence(f"{place}: {message}."), _value_hint(kind, error))


def _key_as_label(
    path: list[Any], meant: KeyMeant, describe: Describe | None, location: Location
) -> Diagnostic:
    """QA203 for a key written as the label of the key meant, or as its id written another way:
    one finding, saying which key to write (the key meant is not also said to be missing)."""
    written, parent = clip(str(path[-1])), path[:-1]
    ident, label, misspelt = meant
    inside = f"in {named(parent, describe, about=False)}" if parent else "at the top level"
    fix = f"write '{ident}:' in place of '{written}:'."
    if misspelt:
        # The key meant is missing: said here, once, rather than as QA202 at the block as well.
        about = describe([*parent, ident]) if describe is not None else None
        return diagnostic(
            "QA203",
            location,
            f"Unknown key '{written}' {inside}, which is missing '{ident}'"
            + (f" ({about})." if about else "."),
            f"Did you mean '{ident}'? Write '{ident}:' in place of '{written}:'.",
        )
    shown = describe([*parent, ident]) if describe is not None else None
    if label is not None and shown is not None and _key_fold(label) != _key_fold(shown):
        # Written as the full title of a standard that messages name by its short name: the title,
        # long, is not quoted three times.
        return diagnostic(
            "QA203",
            location,
            f"The key '{written}' {inside} is the full title of '{ident}' ({clip(shown)}), not the key.",
            f"Did you mean '{ident}'? The file uses the standard's id, not its title: write '{ident}:' "
            "in place of the title.",
        )
    if label is not None:
        return diagnostic(
            "QA203",
            location,
            f"The key '{written}' {inside} is the label of '{ident}', not the key.",
            f"Did you mean '{ident}'? Reports show it as '{clip(label)}', but the file uses its id: {fix}",
        )
    raw = str(path[-1])
    # Spaces, quotation marks or an invisible character pasted in: forgiven's hint says which.
    pasted = (
        forgiven(raw, [ident]) if raw.strip(_SPACES).strip(_QUOTES) != raw or INVISIBLE.search(raw) else None
    )
    return diagnostic(
        "QA203",
        location,
        f"The key '{written}' {inside} is '{ident}' written another way.",
        pasted or f"Did you mean '{ident}'? Write the key exactly as '{ident}:', in place of '{written}:'.",
    )


def _valid_at(choices_at: ChoicesAt | None, path: Sequence[Any]) -> tuple[list[str] | None, str | None]:
    """The values ``choices_at`` gives for ``path`` (None: the model's), and the words naming
    them, if it gives any."""
    valid = choices_at(path) if choices_at else None
    if isinstance(valid, Choices):
        return list(valid.values), valid.among
    return (list(valid) if valid is not None else None), None


def _expected(error: ErrorDetails) -> list[str]:
    ctx = error.get("ctx") or {}
    text = str(ctx.get("expected", ""))
    return [p.strip(" '") for p in text.replace(" or ", ", ").split(",") if p.strip(" '")]


def _as_written(doc: Document, path: list[Any], value: Any) -> str | None:
    """A number or true/false as the file writes it (``0142``, ``007345``, ``1e400``, ``True``)
    where the data holds another spelling of it (142, 7345, inf, True); None for any other value,
    or where the file does not hold it as one value (a sheet being imported)."""
    if not isinstance(value, int | float):  # true and false too: bool is an int
        return None
    written = doc.written(path)
    return written.strip() if written else None


def _shown(value: Any) -> str:
    if value is None:
        return "it is empty"
    return repr(clip(value)) if isinstance(value, str) else clip(str(value))


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a block of 'key: value' lines"
    if isinstance(value, list):
        return "a list"
    return f"'{clip(str(value))}'"


def _clean(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    return message.rstrip(".")


def _value_hint(kind: str, error: ErrorDetails) -> str:
    if kind == "string_pattern_mismatch":
        return "Use lowercase letters, digits and underscores (hyphens in a framework id)."
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        ctx = error.get("ctx") or {}
        words = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"}
        limits = [f"{words[k]} {v}" for k, v in ctx.items() if k in words]
        return "Use a number " + (" and ".join(limits) if limits else "in the allowed range") + "."
    return "Correct the value as the message says; see docs/standards-format.md."

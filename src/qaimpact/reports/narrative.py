"""The narrative of the quarterly QA report: what the QA team writes beside the figures.

The council's framework says the quarterly QA report includes an "analysis of strengths" and
"information about practice workshops and events, research, learning from compliments and
complaints and policies and procedures updates". Those are not counted from audits: the QA team
writes them in a small YAML file (``qaimpact quarterly --narrative FILE``), one key per section,
each text or a list of items of text::

    strengths:
      - Children are seen alone at nearly every visit.
    analysis: >-
      Management oversight remains the standard most often rated below good.

:func:`read_narrative` reads it and returns its findings, each located (``file:line:col``) with a
code (``QA801``, ``QA802``; the loader's own for a file that is not YAML) and a hint. The text
reaches the templates as data only, escaped as every report's user text is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qaimpact.base.codes import diagnostic
from qaimpact.base.diagnose import suggest
from qaimpact.base.loader import LoadError, load_file
from qaimpact.models.findings import Diagnostic
from qaimpact.models.kinds import NAMING_KEYS
from qaimpact.models.location import Location

#: The sections, in the order the report shows them, with their headings.
SECTIONS = {
    "strengths": "Strengths",
    "workshops_and_events": "Practice workshops and events",
    "research": "Research",
    "policy_updates": "Policy and procedure updates",
    "compliments_and_complaints": "Learning from compliments and complaints",
    "analysis": "The QA team's analysis",
}


@dataclass(frozen=True, slots=True)
class Narrative:
    """A narrative read without problems: each section given, as a list of items of text."""

    path: str
    sections: dict[str, list[str]]

    def view(self) -> dict[str, Any]:
        """The narrative as a report's view holds it: the sections given, in the report's order."""
        return {
            "file": self.path,
            "sections": [
                {"id": key, "title": title, "items": self.sections[key]}
                for key, title in SECTIONS.items()
                if self.sections.get(key)
            ],
        }


def _names() -> str:
    return ", ".join(SECTIONS)


def _written(item: object) -> str:
    return str(item).lower() if isinstance(item, bool) else str(item)


def _kind(item: object, shown: str) -> str:
    """What a value that is not text is, in a reader's words (``shown``: as the file writes it)."""
    if isinstance(item, dict):
        return "a 'key: value' pair"
    if isinstance(item, list):
        return "a list"
    if isinstance(item, bool):
        return f"the true/false value {shown}"
    if isinstance(item, int | float):
        return f"the number {shown}"
    return f"the value {shown}"


def read_narrative(path: Path, *, publish: bool = False) -> tuple[Narrative | None, list[Diagnostic]]:
    """The narrative in ``path``, or ``None`` and every problem found, each at its place.

    ``publish``: the narrative is for a published report, which it is shown in as written, so an
    item that gives a count from 1 to 4 (:func:`small_numbers`) is a problem too (``QA803``).
    """
    try:
        doc = load_file(path, str(path), kind="narrative")
    except LoadError as exc:
        return None, [exc.diagnostic]
    data = doc.data
    if not isinstance(data, dict):
        return None, [
            diagnostic(
                "QA802",
                doc.locate([]),
                "The narrative is not a list of sections: it must be one key per section.",
                f"Start each section on its own line, as `strengths:`; the sections are {_names()}.",
            )
        ]
    named = next((k for k in NAMING_KEYS if k in data), None)
    if named is not None:
        # An audit or a record given for the narrative: one finding, not one for each of its keys.
        return None, [
            diagnostic(
                "QA801",
                doc.locate([named], key=True),
                f"This file is {NAMING_KEYS[named]} (it has '{named}:'), not the quarter's narrative.",
                "Give --narrative the QA team's narrative file: one key per section, as `strengths:`; "
                f"the sections are {_names()}.",
            )
        ]
    found: list[Diagnostic] = []
    sections: dict[str, list[str]] = {}
    for key, value in data.items():
        name = str(key)
        if name not in SECTIONS:
            guess = suggest(name, list(SECTIONS))
            found.append(
                diagnostic(
                    "QA801",
                    doc.locate([key], key=True),
                    f"'{name}' is not a section of the quarterly narrative.",
                    (f"Did you mean '{guess}'? " if guess else "") + f"The sections are {_names()}.",
                )
            )
            continue
        items = value if isinstance(value, list) else [value]
        texts = []
        for index, item in enumerate(items):
            if item is None:
                continue
            place = [key, index] if isinstance(value, list) else [key]
            if not isinstance(item, str):
                # Quoted as written: "12.50" is what the writer meant to show, not the 12.5 read.
                shown = doc.written(place) or _written(item)
                kind = _kind(item, shown)
                where = doc.locate(place)
                nested = isinstance(item, dict | list)
                found.append(
                    diagnostic(
                        "QA802",
                        where,
                        f"The section '{name}' holds {kind} where text was expected.",
                        "Write each item as a sentence on a line starting with '- ', and put it in "
                        "quotes if it holds ': ' or ' #'."
                        if nested
                        else "Write it as a sentence, or put it in quotes to show it as written: "
                        + (f"'- \"{shown}\"'." if isinstance(value, list) else f"'{name}: \"{shown}\"'."),
                    )
                )
                continue
            text = " ".join(str(item).split())
            numbers = small_numbers(text) if publish else []
            if numbers:
                where = doc.locate(place)
                found.append(_small_count(name, text, numbers, where))
            if text:
                texts.append(text)
        sections[name] = texts
    if found:
        return None, found
    return Narrative(str(path), sections), []


#: A number from 1 to 4 written as digits or as a word, standing alone: not inside a bigger
#: number, an id (``Q2``, ``LCS-3``, ``2026-27``), a decimal, a time or a ratio (``2:30``, ``1:1``).
_NUMBER = re.compile(r"(?<![\w.,/£$#:-])(?:[1-4]|one|two|three|four)(?![\w%])", re.IGNORECASE)
#: After a number: a decimal or thousands, a time or ratio, a date (``1/10/2026``), a compound
#: (``2-year-old``, ``one-to-one``): no count. A fraction (``2/40``) or a range (``2-4``) is one.
_NOT_A_COUNT_NEXT = re.compile(r"[.,]\d|:\d|/\d+/|-(?!\d)")
#: Words after which a number names something instead of counting it ("standard 3", "week 2");
#: a list of numbers after one is named too ("standards 2, 3 and 4").
_NAMING_WORDS = frozenset(
    "standard standards section sections phase phases step steps stage stages level levels tier "
    "tiers part parts page pages appendix version quarter quarters round rounds no number numbers "
    "week weeks day days month months year years article articles item items point points "
    "paragraph paragraphs chapter chapters question questions session sessions module modules "
    "wave line lines option options priority priorities objective objectives outcome outcomes "
    "recommendation recommendations action actions area areas domain domains theme themes "
    "key grade grades cohort group groups".split()
)
#: Joining words in a list of numbers ("2, 3 and 4").
_LIST_WORDS = frozenset(("and", "or", "&", "to"))
#: Words before which a number is a time or a rate, not a count of anyone ("within 2 weeks").
_UNIT_WORDS = frozenset(
    "day days week weeks weekly month months monthly year years yearly hour hours minute minutes "
    "working percent am pm times".split()
)
#: "one" counts someone before these ("one child", "only one was"), and is a pronoun or an
#: article otherwise ("one of the teams", "one thing we learned").
_COUNTED = frozenset(
    "child children young person people family families case cases parent parents carer carers "
    "complaint complaints compliment compliments sibling siblings boy boys girl girls baby "
    "babies infant infants teenager teenagers mother mothers father fathers referral referrals "
    "plan plans audit audits practitioner practitioners worker workers social household "
    "households more other further was were is are had has did needed waited remained".split()
)
_ONLY = frozenset(("only", "just", "exactly", "but"))


def _word(text: str) -> str:
    return text.strip(".,;:!?()[]\"'“”‘’").casefold()


#: Full-width forms (``３``, ``．``, ``％``, ``ｏｎｅ``) as the ASCII they stand for, and the
#: Arabic decimal and thousands separators, percent sign and comma as theirs: one character for
#: one, so that a place in the text read is the same place in the text as written.
_AS_ASCII = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {
    0x3000: " ",
    0x066B: ".",
    0x066C: ",",
    0x066A: "%",
    0x060C: ",",
}
#: Any decimal digit of any script (``\d`` of a text pattern: Unicode category Nd).
_DIGIT = re.compile(r"\d")
#: The whole of a match's span in the text as written (``match(text, start, end)``).
_SPAN = re.compile(r".+", re.DOTALL)


def _as_read(text: str) -> str:
    """``text`` as :func:`small_numbers` reads it: every decimal digit of any script as its ASCII
    digit ("３", "٣", "३" as "3"), and full-width letters and signs as ASCII, one character for
    one. A count written in another script's digits is the count written in ASCII digits, and is
    judged as that (after "standard", before "weeks", in "３．５" alike); the number words are
    English words, as before."""
    return _DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text.translate(_AS_ASCII))


def small_numbers(text: str) -> list[re.Match[str]]:
    """Each number from 1 to 4 in ``text`` that counts something: what a published narrative
    must not give (:func:`_small_count` says which are not counts). A number is found in the
    digits of any script ("３ complaints", "٣ complaints") as in ASCII digits; each match is of
    ``text`` as written, so that the finding quotes the number as the writer wrote it."""
    written, text = text, _as_read(text)
    found = []
    for match in _NUMBER.finditer(text):
        number = match.group().casefold()
        if _NOT_A_COUNT_NEXT.match(text, match.end()):
            continue
        before = [_word(w) for w in text[: match.start()].split()]
        after = [_word(w) for w in text[match.end() :].split()]
        while before and (before[-1] in _LIST_WORDS or _NUMBER.fullmatch(before[-1]) or not before[-1]):
            before.pop()
        if before and before[-1] in _NAMING_WORDS:
            continue
        if after and (after[0] in _UNIT_WORDS or after[:2] == ["per", "cent"]):
            continue
        # A numbered list: "1. Visits improved. 2. Plans improved."
        label_start = match.start() == 0 or text[: match.start()].rstrip().endswith((".", ":", ";"))
        if label_start and text[match.end() : match.end() + 2] in (". ", ") "):
            continue
        if number == "one" and not ((after and after[0] in _COUNTED) or (before and before[-1] in _ONLY)):
            continue
        as_written = _SPAN.match(written, match.start(), match.end())
        assert as_written is not None  # a match is never empty
        found.append(as_written)
    return found


def _small_count(name: str, text: str, numbers: list[re.Match[str]], where: Location) -> Diagnostic:
    """``QA803`` for an item of a published narrative that gives ``numbers``, each from 1 to 4.

    Numbers that name something ("standard 3", "standards 2, 3 and 4", "week 2"), times, rates,
    ratios ("1:1"), dates, ids, a numbered list's labels, and "one" as a pronoun or an article
    ("one of the teams", "one thing") are not counts (:func:`small_numbers`); fractions ("2/40")
    and ranges ("2-4") are.
    """
    given = [f"'{m.group()}'" for m in numbers]
    named = given[0] if len(given) == 1 else ", ".join(given[:-1]) + " and " + given[-1]
    return diagnostic(
        "QA803",
        where,
        f"The section '{name}' gives the number{'s' if len(given) > 1 else ''} {named} "
        f"('{_around(text, numbers[0].start(), numbers[-1].end())}'): a published report "
        "shows no count from 1 to 4.",
        "Write 'fewer than 5' or leave the number out, or publish without "
        "--narrative; the team's own report (without --publish) shows it as written.",
    )


def _around(text: str, start: int, end: int, reach: int = 30) -> str:
    """The words of ``text`` within ``reach`` characters of ``start``..``end``, with "…" where
    it is cut."""
    first = text.find(" ", start - reach) + 1 if start > reach else 0
    first = min(first, start)
    last = text.rfind(" ", end, end + reach) if end + reach < len(text) else len(text)
    last = len(text) if last == -1 else last
    return ("…" if first else "") + text[first:last] + ("…" if last < len(text) else "")

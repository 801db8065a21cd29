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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qaimpact.base.codes import diagnostic
from qaimpact.base.diagnose import suggest
from qaimpact.base.loader import LoadError, load_file
from qaimpact.models.findings import Diagnostic

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


def read_narrative(path: Path) -> tuple[Narrative | None, list[Diagnostic]]:
    """The narrative in ``path``, or ``None`` and every problem found, each at its place."""
    try:
        doc = load_file(path, str(path))
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
            if isinstance(item, (dict, list)):
                where = doc.locate([key, index] if isinstance(value, list) else [key])
                found.append(
                    diagnostic(
                        "QA802",
                        where,
                        f"The section '{name}' holds "
                        + ("a 'key: value' pair" if isinstance(item, dict) else "a list")
                        + " where text was expected.",
                        "Write each item as a sentence on a line starting with '- ', and put it in "
                        "quotes if it holds ': ' or ' #'.",
                    )
                )
                continue
            text = " ".join(str(item).split())
            if text:
                texts.append(text)
        sections[name] = texts
    if found:
        return None, found
    return Narrative(str(path), sections), []


#: A number from 1 to 4 standing alone (not part of a bigger number, a date, a decimal, an id
#: such as ``Q2`` or ``LCS-3``, or a percentage), or written as a word.
_SMALL_NUMBER = re.compile(
    r"(?<![\w.,/£$#-])[1-4](?![\w/%-]|[.,]\d)|\b(?:one|two|three|four)\b(?!-)", re.IGNORECASE
)
#: Around "one", words that make it a pronoun or an article ("no one", "one of the teams").
_NOT_A_COUNT_BEFORE = frozenset(("no", "each", "any", "every", "the", "this", "that", "which", "someone"))
_NOT_A_COUNT_AFTER = frozenset(("of", "another", "or", "and", "to", "in", "by", "at", "is", "was"))
#: Words after which a number names something instead of counting it ("standard 3").
_NAMING_WORDS = frozenset(
    (
        "standard",
        "standards",
        "section",
        "sections",
        "phase",
        "step",
        "stage",
        "level",
        "tier",
        "part",
        "page",
        "appendix",
        "version",
        "quarter",
        "round",
        "no",
        "number",
    )
)

#: Words before which a number is a time or a rate, not a count of anyone ("within 2 weeks").
_UNIT_WORDS = frozenset(
    (
        "day",
        "days",
        "week",
        "weeks",
        "weekly",
        "month",
        "months",
        "monthly",
        "year",
        "years",
        "hour",
        "hours",
        "minute",
        "minutes",
        "working",
        "percent",
        "per",
        "am",
        "pm",
    )
)


def small_counts(path: Path) -> list[Diagnostic]:
    """``QA803`` for each item of the narrative in ``path`` that gives a number from 1 to 4, which
    a published report must not show (the narrative is published as written).

    Call it on a narrative that :func:`read_narrative` read without problems.
    """
    try:
        doc = load_file(path, str(path))
    except LoadError as exc:
        return [exc.diagnostic]
    found: list[Diagnostic] = []
    data = doc.data if isinstance(doc.data, dict) else {}
    for key, value in data.items():
        if str(key) not in SECTIONS:
            continue
        listed = isinstance(value, list)
        for index, item in enumerate(value if listed else [value]):
            if item is None or isinstance(item, (dict, list)):
                continue
            text = " ".join(str(item).split())
            for match in _SMALL_NUMBER.finditer(text):
                before = text[: match.start()].split()
                after = text[match.end() :].split()
                if before and before[-1].strip("(").casefold().rstrip(".") in _NAMING_WORDS:
                    continue
                if after and after[0].strip(".,;:)").casefold() in _UNIT_WORDS:
                    continue
                if match.group().casefold() == "one" and (
                    (before and before[-1].casefold() in _NOT_A_COUNT_BEFORE)
                    or not after
                    or after[0].strip(".,;:)").casefold() in _NOT_A_COUNT_AFTER
                ):
                    continue
                quoted = _around(text, match.start(), match.end())
                found.append(
                    diagnostic(
                        "QA803",
                        doc.locate([key, index] if listed else [key]),
                        f"The section '{key}' gives the number '{match.group()}' ('{quoted}'): a "
                        "published report shows no count from 1 to 4.",
                        "Write 'fewer than 5' or leave the number out, or publish without "
                        "--narrative; the team's own report (without --publish) shows it as written.",
                    )
                )
                break
    return found


def _around(text: str, start: int, end: int, reach: int = 30) -> str:
    """The words of ``text`` within ``reach`` characters of ``start``..``end``, with "…" where
    it is cut."""
    first = text.find(" ", start - reach) + 1 if start > reach else 0
    first = min(first, start)
    last = text.rfind(" ", end, end + reach) if end + reach < len(text) else len(text)
    last = len(text) if last == -1 else last
    return ("…" if first else "") + text[first:last] + ("…" if last < len(text) else "")

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

from dataclasses import dataclass, replace
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


#: The loader's findings say what is right for an audit; for a narrative file, this instead.
_FOR_A_NARRATIVE = {
    "QA103": (
        "Write one key per section, such as `strengths:`, each followed by its items on lines "
        "starting with '- ' (examples/narratives/2026-Q3.narrative.yaml is one)."
    ),
    "QA106": "Remove the tag: a narrative holds only text, one section per key.",
    "QA109": "Keep one narrative per file: remove the extra '---' or split the file.",
    "QA111": "Write each section's name followed by ':', and its items as text.",
    "QA112": "If it is text, put it in quotes.",
}


def _for_a_narrative(found: Diagnostic) -> Diagnostic:
    hint = _FOR_A_NARRATIVE.get(found.code)
    if hint is None:
        return found
    message = found.message.replace(" in audit files.", " in a narrative file.")
    return replace(found, message=message, hint=hint)


def _written(item: object) -> str:
    return str(item).lower() if isinstance(item, bool) else str(item)


def _kind(item: object) -> str | None:
    """What a value that is not text is, in a reader's words; ``None`` for text."""
    if isinstance(item, dict):
        return "a 'key: value' pair"
    if isinstance(item, list):
        return "a list"
    if isinstance(item, bool):
        return f"the true/false value {_written(item)}"
    if isinstance(item, int | float):
        return f"the number {_written(item)}"
    return None


def read_narrative(path: Path) -> tuple[Narrative | None, list[Diagnostic]]:
    """The narrative in ``path``, or ``None`` and every problem found, each at its place."""
    try:
        doc = load_file(path, str(path))
    except LoadError as exc:
        return None, [_for_a_narrative(exc.diagnostic)]
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
            kind = _kind(item)
            if kind is not None:
                where = doc.locate([key, index] if isinstance(value, list) else [key])
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
                        + (
                            f"'- \"{_written(item)}\"'."
                            if isinstance(value, list)
                            else f"'{name}: \"{_written(item)}\"'."
                        ),
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

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

"""The audit form of a framework, built from its standards data alone, and the values it carries.

:func:`form_for` turns a :class:`~qaimpact.models.standard.Framework` into sections of inputs:
the audit's identity, the case and the people, every group of standards (each rating with its
descriptor, each standard's facts, the evidence), the remedial actions, feedback, outcome domains,
learning, immediate actions, added value, and the grade. Nothing is written per framework, so a
framework written in YAML gets its form with no code change.

Each input's ``name`` is the dotted path of its value in the audit (``impact.child_seen.rating``);
lists are indexed (``remedial_actions.0.owner``), and a learning area's points are
``learning_actions.AREA.points``. :func:`values_from_data` fills the form from audit data and
:func:`data_from_values` turns what the browser sent back into audit data.

Nothing here knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from qaimpact.models.audit import show_value
from qaimpact.models.standard import NOT_APPLICABLE, FieldSpec, Framework, StandardSpec

Kind = Literal["text", "textarea", "date", "integer", "select", "radios", "checkboxes"]
#: The values a browser sends: one text per name, or several for a group of checkboxes.
Values = dict[str, str | list[str]]

#: Remedial action rows shown beyond those filled in, and the most a form holds.
SPARE_ACTIONS = 1
MAX_ACTIONS = 50
_ACTION_KEYS = ("action", "owner", "due", "status", "closed_on", "evidence")
# Control characters other than tab and line breaks are never typed; they come with pasted text
# and YAML cannot hold most of them literally.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a select, a set of radios or checkboxes: its value, label and guidance."""

    value: str
    label: str
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class Input:
    """One input of the form."""

    name: str
    label: str
    kind: Kind
    required: bool = False
    choices: tuple[Choice, ...] = ()
    hint: str | None = None

    @property
    def id(self) -> str:
        """The HTML id: names hold only lowercase letters, digits, ``_`` and ``.``, so this is unique."""
        return "f-" + self.name.replace(".", "-")

    @property
    def path(self) -> tuple[str, ...]:
        """The keys of the value in the audit, from the top (list positions as digits)."""
        return tuple(self.name.split("."))


@dataclass(frozen=True, slots=True)
class StandardBlock:
    """One standard: what it asks, its rating (with each rating's descriptor), facts and evidence."""

    id: str
    group: str
    title: str
    number: int | None
    text: str | None
    considerations: tuple[str, ...]
    applies: str | None
    rating: Input
    facts: tuple[Input, ...]
    evidence: Input


@dataclass(frozen=True, slots=True)
class Block:
    """A titled set of inputs inside a section (an outcome domain, a learning area)."""

    id: str
    title: str
    description: str | None
    inputs: tuple[Input, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the form, with its heading: inputs, standards or blocks."""

    id: str
    title: str
    description: str | None = None
    inputs: tuple[Input, ...] = ()
    standards: tuple[StandardBlock, ...] = ()
    blocks: tuple[Block, ...] = ()
    #: Remedial actions: a table of rows, one per action.
    actions: bool = False


@dataclass(frozen=True, slots=True)
class Form:
    """The whole form of one framework."""

    framework: Framework
    sections: tuple[Section, ...]
    inputs: dict[str, Input] = field(default_factory=dict)

    def all_inputs(self, actions: int) -> Iterator[Input]:
        """Every input in page order, with ``actions`` rows of remedial actions."""
        for section in self.sections:
            yield from section.inputs
            for std in section.standards:
                yield std.rating
                yield from std.facts
                yield std.evidence
            for block in section.blocks:
                yield from block.inputs
            if section.actions:
                for row in range(actions):
                    yield from action_row(row)


_ACTION_LABELS = {
    "action": "Action",
    "owner": "Owner",
    "due": "Due by",
    "status": "Status",
    "closed_on": "Done on",
    "evidence": "Evidence it was done",
}
_STATUS = (Choice("open", "Open"), Choice("done", "Done"))


def action_row(row: int) -> tuple[Input, ...]:
    """The inputs of remedial action number ``row`` (from 0)."""
    kinds: dict[str, Kind] = {"due": "date", "closed_on": "date", "status": "select", "evidence": "text"}
    return tuple(
        Input(
            f"remedial_actions.{row}.{key}",
            _ACTION_LABELS[key],
            kinds.get(key, "text"),
            choices=_STATUS if key == "status" else (),
        )
        for key in _ACTION_KEYS
    )


def _field_input(name: str, spec: FieldSpec, fallback: str) -> list[Input]:
    label = spec.label or fallback.replace("_", " ").capitalize()
    hint = spec.description
    if spec.type == "boolean":
        return [
            Input(name, label, "radios", spec.required, (Choice("true", "Yes"), Choice("false", "No")), hint)
        ]
    if spec.type == "choice":
        choices = tuple(Choice(ident, label) for ident, label in spec.choice_labels.items())
        return [Input(name, label, "select", spec.required, choices, hint)]
    if spec.type == "date_range":
        return [
            Input(f"{name}.from", f"{label}: from", "date", spec.required, hint=hint),
            Input(f"{name}.to", f"{label}: to", "date", spec.required),
        ]
    kinds: dict[str, Kind] = {"date": "date", "integer": "integer", "text": "text"}
    return [Input(name, label, kinds[spec.type], spec.required, hint=hint)]


def _fields(prefix: str, specs: Mapping[str, FieldSpec]) -> list[Input]:
    found: list[Input] = []
    for key, spec in specs.items():
        found += _field_input(f"{prefix}{key}", spec, key)
    return found


def _standard(fw: Framework, group: str, std: StandardSpec) -> StandardBlock:
    ratings = [Choice(r.id, r.label, std.descriptors.get(r.id) or r.descriptor) for r in fw.spec.ratings]
    applies = None
    if std.applies_when is not None:
        ratings.append(Choice(NOT_APPLICABLE, "Not applicable"))
        applies = (
            f"Applies only when {std.applies_when.field} is {show_value(std.applies_when.equals)}; "
            "otherwise choose Not applicable."
        )
    name = f"{group}.{std.id}"
    return StandardBlock(
        id=std.id,
        group=group,
        title=std.title.rstrip("."),
        number=std.number,
        text=std.text,
        considerations=tuple(std.considerations),
        applies=applies,
        rating=Input(f"{name}.rating", "Rating", "radios", True, tuple(ratings)),
        facts=tuple(_fields(f"{name}.", std.fields)),
        evidence=Input(
            f"{name}.evidence", "Evidence", "textarea", hint="What on the file supports the rating."
        ),
    )


@lru_cache(maxsize=32)
def form_for(fw: Framework) -> Form:
    """The form of a framework (built once, then cached)."""
    spec = fw.spec
    sections: list[Section] = []
    about = [
        Input(
            "audit_id",
            "Audit id",
            "text",
            True,
            hint="A unique id such as QA-2026-0142; the file is named after it.",
        )
    ]
    if spec.audit_types:
        about.append(
            Input(
                "audit_type",
                "Kind of audit",
                "select",
                choices=tuple(Choice(t.id, t.label, t.description) for t in spec.audit_types),
            )
        )
        about.append(Input("theme", "Theme", "text", hint="The theme of a themed audit or dip sample."))
    sections.append(Section("about", "The audit", inputs=tuple(about)))
    sections.append(Section("case", "The case", inputs=tuple(_fields("case.", spec.case_fields))))
    dated = {k: f for k, f in spec.extra_fields.items() if f.type in ("date", "date_range")}
    undated = {k: f for k, f in spec.extra_fields.items() if k not in dated}
    people = [
        Input("practitioner", "Practitioner", "text", True, hint="The practitioner whose work is audited.")
    ]
    people += _fields("", undated)
    people.append(Input("reviewer", "Reviewer", "text", True, hint="You, the auditor."))
    people.append(Input("review_date", "Date of the audit", "date", True))
    people += _fields("", dated)
    sections.append(Section("people", "People and dates", inputs=tuple(people)))
    for group in spec.groups:
        sections.append(
            Section(
                group.id,
                group.title,
                group.description,
                standards=tuple(_standard(fw, group.id, s) for s in group.standards),
            )
        )
    if spec.remedial_actions:
        notify = fw.remedial_notify
        told = (
            f" Each action is sent to the {' and the '.join(k.replace('_', ' ') for k in notify)}."
            if notify
            else ""
        )
        sections.append(
            Section(
                "remedial_actions",
                "Remedial actions",
                "Actions agreed at the audit, each with an owner and a date." + told,
                actions=True,
            )
        )
    if spec.feedback:
        sections.append(
            Section(
                "feedback",
                "Feedback",
                "What the child, the family and the practitioner said about the service.",
                inputs=tuple(
                    Input(f"feedback.{k}", k.replace("_", " ").capitalize(), "textarea")
                    for k in spec.feedback
                ),
            )
        )
    if spec.domains:
        sections.append(
            Section(
                "domains",
                "Evidence of good practice",
                "Tick what the file shows in each outcome domain, and comment.",
                blocks=tuple(
                    Block(
                        dom.id,
                        dom.title,
                        dom.summary,
                        (
                            Input(
                                f"domains.{dom.id}.indicators",
                                "Shown on the file",
                                "checkboxes",
                                choices=tuple(Choice(i.id, i.label) for i in dom.indicators),
                            ),
                            Input(f"domains.{dom.id}.comment", "Comment", "textarea"),
                        ),
                    )
                    for dom in spec.domains
                ),
            )
        )
    if spec.learning:
        most = spec.learning.max_points
        sections.append(
            Section(
                "learning_actions",
                "Learning",
                "Tick the critical learning points for the practitioner"
                + (f": up to {most} in all." if most else "."),
                blocks=tuple(
                    Block(
                        area.id,
                        area.title,
                        None,
                        (
                            Input(
                                f"learning_actions.{area.id}.points",
                                "Learning points",
                                "checkboxes",
                                choices=tuple(Choice(p.id, p.label) for p in area.points),
                            ),
                            Input(
                                f"learning_actions.{area.id}.comment", "What to do differently", "textarea"
                            ),
                        ),
                    )
                    for area in spec.learning.areas
                ),
            )
        )
    if spec.immediate_actions:
        ia = spec.immediate_actions
        sections.append(
            Section(
                ia.key,
                ia.label,
                ia.description,
                inputs=(
                    Input(
                        f"{ia.key}.required",
                        ia.label,
                        "radios",
                        True,
                        (Choice("true", "Yes"), Choice("false", "No")),
                    ),
                    Input(f"{ia.key}.comment", "What must be done now", "textarea"),
                ),
            )
        )
    if spec.added_value:
        sections.append(
            Section(
                "added_value",
                "Added value",
                "What difference the service made in this case.",
                inputs=(
                    Input(
                        "added_value",
                        "Added value",
                        "checkboxes",
                        choices=tuple(Choice(c.id, c.label, c.example) for c in spec.added_value.categories),
                    ),
                    Input("added_value_comment", "Comment on the added value", "textarea"),
                ),
            )
        )
    sections.append(
        Section(
            "grade",
            "Your grade",
            "qaimpact works out the grade from the ratings and shows it as you fill in the form. "
            "Record your own grade if you reached one; where it differs you are told.",
            inputs=(
                Input(
                    spec.grades.key,
                    "Your overall grade",
                    "select",
                    choices=tuple(Choice(g.id, g.label, g.descriptor) for g in spec.grades.scale),
                ),
                Input("rationale", "Reasons for the grade", "textarea"),
            ),
        )
    )
    form = Form(fw, tuple(sections))
    form.inputs.update({i.name: i for i in form.all_inputs(0)})
    return form


# -- From audit data to the form, and back ---------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return show_value(value)


def _at(data: Any, path: Sequence[str]) -> Any:
    node = data
    for part in path:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, Mapping):
            node = node.get(part)
        else:
            return None
    return node


def values_from_data(form: Form, data: Mapping[str, Any]) -> Values:
    """The form's values for audit ``data`` (as read from a file: it need not be valid)."""
    values: Values = {}
    actions = data.get("remedial_actions")
    for inp in form.all_inputs(len(actions) if isinstance(actions, list) else 0):
        if inp.name.startswith("learning_actions."):
            continue
        value = _at(data, inp.path)
        if inp.kind == "checkboxes":
            values[inp.name] = [_text(v) for v in value] if isinstance(value, list) else []
        else:
            values[inp.name] = _text(value)
    learning = data.get("learning_actions")
    for action in learning if isinstance(learning, list) else []:
        if isinstance(action, Mapping) and isinstance(action.get("area"), str):
            name = f"learning_actions.{action['area']}"
            points = action.get("points")
            previous = values.get(f"{name}.points")
            ticked = list(previous) if isinstance(previous, list) else []
            ticked += [_text(p) for p in points] if isinstance(points, list) else []
            values[f"{name}.points"] = ticked
            comment = _text(action.get("comment"))
            earlier = values.get(f"{name}.comment")
            values[f"{name}.comment"] = "\n\n".join(c for c in (earlier, comment) if isinstance(c, str) and c)
    return values


def action_count(values: Values) -> int:
    """How many remedial action rows the values hold (the highest row number plus one)."""
    rows = [int(m.group(1)) for n in values if (m := re.match(r"^remedial_actions\.(\d+)\.", n))]
    return min(max(rows) + 1, MAX_ACTIONS) if rows else 0


def clean(text: str, *, multiline: bool) -> str:
    """What a person meant by text typed in a browser: no control characters, no stray spaces."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not multiline:
        return " ".join(text.split())
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n")).strip()


def _convert(inp: Input, raw: str | list[str]) -> Any:
    if inp.kind == "checkboxes":
        chosen = raw if isinstance(raw, list) else [raw]
        order = {c.value: i for i, c in enumerate(inp.choices)}
        # In the framework's order, once each; an unknown id is kept for the checker to report.
        return sorted(dict.fromkeys(c for c in chosen if c), key=lambda c: order.get(c, len(order)))
    text = clean(raw if isinstance(raw, str) else (raw[0] if raw else ""), multiline=inp.kind == "textarea")
    if not text:
        return None
    if inp.kind == "date" and _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text  # 2026-02-30: the checker says it is not a date, where it is
    if inp.kind == "integer" and _INTEGER.match(text):
        return int(text)
    if inp.kind == "radios" and [c.value for c in inp.choices] == ["true", "false"]:
        return {"true": True, "false": False}.get(text, text)
    return text


def _put(data: dict[str, Any], path: Sequence[str], value: Any) -> None:
    node = data
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def data_from_values(form: Form, values: Values, *, standards: str) -> dict[str, Any]:
    """Audit data from what the browser sent: every input's key, ``None`` where left empty.

    Remedial action rows left blank are dropped; learning areas become one learning action each
    where a point is ticked or a comment written.
    """
    data: dict[str, Any] = {"standards": standards}
    actions: list[dict[str, Any]] = []
    learning: list[dict[str, Any]] = []
    for section in form.sections:
        if section.actions:
            for row in range(action_count(values)):
                action = {
                    inp.name.rsplit(".", 1)[1]: _convert(inp, values.get(inp.name, ""))
                    for inp in action_row(row)
                }
                if any(v is not None for v in action.values()):
                    actions.append(action)
            data["remedial_actions"] = actions
            continue
        if section.id == "learning_actions" and form.framework.spec.learning:
            for block in section.blocks:
                points, comment = (_convert(i, values.get(i.name, "")) for i in block.inputs)
                if points or comment:
                    learning.append({"area": block.id, "points": points, "comment": comment})
            data["learning_actions"] = learning
            continue
        inputs = [*section.inputs, *(i for b in section.blocks for i in b.inputs)]
        for std in section.standards:
            inputs += [std.rating, *std.facts, std.evidence]
        for inp in inputs:
            _put(data, inp.path, _convert(inp, values.get(inp.name, "")))
    for key, value in list(data.items()):
        # A period left empty is no period, not one with two empty ends.
        if isinstance(value, dict) and set(value) == {"from", "to"} and value == {"from": None, "to": None}:
            data[key] = None
    case = data.get("case")
    if isinstance(case, dict):
        for key, value in list(case.items()):
            if isinstance(value, dict) and value == {"from": None, "to": None}:
                case[key] = None
    return data


def required_paths(form: Form) -> frozenset[tuple[str, ...]]:
    """The data paths a written audit holds even when empty, so the checker can point at them."""
    paths: set[tuple[str, ...]] = {("standards",), ("case",)}
    for inp in form.all_inputs(0):
        if inp.required:
            path = inp.path[:-1] if inp.path[-1] in ("from", "to") else inp.path
            for depth in range(1, len(path) + 1):
                paths.add(path[:depth])
    for section in form.sections:
        for std in section.standards:
            paths.add((std.group,))
            paths.add((std.group, std.id))
    return frozenset(paths)

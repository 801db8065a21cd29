"""Audit records: pydantic models built from a framework's standards data.

Nothing here is written per framework. The keys common to every audit are fixed; each group of
standards becomes a top-level key holding one entry per standard; the optional sections (outcome
domains, learning actions, added value, immediate actions, audit types, remedial actions,
feedback) appear when the standards file declares them. A new framework written in YAML so gets
validation, JSON Schema and reports for free.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model
from pydantic_core import PydanticCustomError

from qaimpact.models.standard import NOT_APPLICABLE, FieldSpec, Framework, StandardsFile, StandardSpec

COMMON_KEYS = ("standards", "audit_id", "case", "practitioner", "reviewer", "review_date")


def _date_only(value: Any) -> Any:
    # Pydantic would read a bare number as a Unix timestamp; an auditor never means that.
    if isinstance(value, str | dt.date):
        return value
    raise PydanticCustomError("date_type", "Input should be a valid date")


AuditDate = Annotated[dt.date, BeforeValidator(_date_only)]
Text = Annotated[str, Field(min_length=1)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DateRange(_Record):
    """A period: ``{from: YYYY-MM-DD, to: YYYY-MM-DD}``."""

    from_: AuditDate = Field(alias="from")
    to: AuditDate


class ImmediateActionsEntry(_Record):
    """Whether immediate actions are required to safeguard the child, and what they are."""

    required: bool
    comment: str | None = None


class RemedialAction(_Record):
    """An action agreed at audit, with its owner, due date and status."""

    action: Text
    owner: Text
    due: AuditDate | None = None
    status: Literal["open", "done"] = "open"
    closed_on: AuditDate | None = None
    evidence: str | None = None


class EscalationRecipient(_Record):
    """Someone told of the escalation: their role on the framework's route, their name, and when."""

    role: Text = Field(description="Their role, as the route names it, e.g. `Head of Service`.")
    name: str | None = Field(None, description="Their name.")
    told_on: AuditDate = Field(description="The date they were told, YYYY-MM-DD.")


class EscalationOutcome(_Record):
    """The outcome for the child: what was done, and the date the case was confirmed safe."""

    action_taken: Text = Field(description="What was done to keep the child safe.")
    safe_on: AuditDate = Field(description="The date the case was confirmed safe, YYYY-MM-DD.")


class EscalationRecord(_Record):
    """An escalation raised for the audit, step by step: who was told and when, its acknowledgement,
    the outcome for the child and its closure.

    ``recipients`` lists everyone told. The earlier shape, ``raised_to: ROLE`` with
    ``raised_on``, still reads: it means one recipient, told on ``raised_on``.
    """

    raised_to: Text | None = Field(
        None,
        description="The earlier shape: the one role it was raised to, told on `raised_on` "
        "(use `recipients` for new records).",
    )
    raised_on: AuditDate = Field(description="The date it was raised (the first person told).")
    recipients: list[EscalationRecipient] | None = Field(
        None, min_length=1, description="Everyone told: `role`, `name` and `told_on`."
    )
    acknowledged_on: AuditDate | None = Field(None, description="The date it was acknowledged.")
    acknowledged_by: str | None = Field(None, description="Who acknowledged it.")
    outcome: EscalationOutcome | None = Field(
        None, description="The outcome for the child: `action_taken` and `safe_on`."
    )
    closed_on: AuditDate | None = Field(None, description="The date it was closed.")
    closed_by: str | None = Field(None, description="Who closed it.")
    note: str | None = Field(None, description="Anything else worth knowing, such as when it was chased.")


def reserved_keys(spec: StandardsFile) -> set[str]:
    """Top-level audit keys that are not groups of standards."""
    keys = {*COMMON_KEYS, "rationale", spec.grades.key, "reaudit_of", "moderation"}
    if spec.escalations:
        keys.add("escalation")
    if spec.domains:
        keys.add("domains")
    if spec.learning:
        keys.add("learning_actions")
    if spec.added_value:
        keys.update(("added_value", "added_value_comment"))
    if spec.immediate_actions:
        keys.add(spec.immediate_actions.key)
    if spec.audit_types:
        keys.update(("audit_type", "theme"))
    if spec.remedial_actions:
        keys.add("remedial_actions")
    if spec.feedback:
        keys.add("feedback")
    return keys


_BOOLEAN = FieldSpec(type="boolean")


def resolve_field(spec: StandardsFile, dotted: str) -> FieldSpec | None:
    """The field a dotted path (``case.child_in_care``) names in this framework's audits."""
    parts = dotted.split(".")
    if len(parts) == 2 and parts[0] == "case":
        return spec.case_fields.get(parts[1])
    if len(parts) == 1 and parts[0] in spec.extra_fields:
        return spec.extra_fields[parts[0]]
    if spec.immediate_actions and parts == [spec.immediate_actions.key, "required"]:
        return _BOOLEAN
    if spec.audit_types and parts == ["audit_type"]:
        return FieldSpec(type="choice", choices=[t.id for t in spec.audit_types])
    return None


def get_field(data: dict[str, Any], dotted: str) -> Any:
    """The value at a dotted path in audit data, or ``None`` where it is absent."""
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


#: What `qaimpact new` (and a migration needing a judgement) writes where a person must fill in.
PLACEHOLDER = "TODO"


def is_blank(value: Any) -> bool:
    """Absent or empty: ``None`` or text with nothing but spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def person_key(name: str) -> str:
    """How names compare: ignoring case and extra spaces (``jo  BRIGHT`` is ``Jo Bright``)."""
    return " ".join(name.split()).casefold()


def show_value(value: Any) -> str:
    """A value as an audit file spells it (``true``, not ``True``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def constraint_holds(when: Mapping[str, Any], entry: Mapping[str, Any]) -> bool:
    """Whether a standard's entry has every fact a constraint names (``None``: absent or empty)."""
    return all(
        is_blank(entry.get(name)) if expected is None else entry.get(name) == expected
        for name, expected in when.items()
    )


def is_applicable(dotted: str, equals: Any, data: Mapping[str, Any]) -> bool:
    """Whether an ``applies_when`` condition holds for the audit data."""
    return bool(get_field(dict(data), dotted) == equals)


def _annotation(field: FieldSpec) -> Any:
    base: Any
    if field.type == "text":
        base = Text if field.required else str
    elif field.type == "boolean":
        base = bool
    elif field.type == "date":
        base = AuditDate
    elif field.type == "integer":
        base = int
    elif field.type == "date_range":
        base = DateRange
    else:
        base = Literal[tuple(field.choices or ())]
    return base


def _field(field: FieldSpec) -> tuple[Any, Any]:
    annotation = _annotation(field)
    info = Field(description=field.description or field.label)
    if field.required:
        return annotation, info
    return annotation | None, Field(None, description=field.description or field.label)


def _fields(specs: dict[str, FieldSpec]) -> dict[str, Any]:
    return {name: _field(spec) for name, spec in specs.items()}


def _model(name: str, fields: dict[str, Any], doc: str | None = None) -> type[BaseModel]:
    # One place calls pydantic's create_model, whose overloads mypy cannot match for
    # field definitions computed at run time.
    model: type[BaseModel] = create_model(name, __base__=_Record, __doc__=doc, **fields)
    return model


def _literal(*values: str) -> Any:
    return Literal[values]


def _camel(ident: str) -> str:
    return "".join(part.capitalize() for part in ident.replace("-", "_").split("_"))


def standard_help(framework: Framework, std: StandardSpec) -> str:
    """A standard's guidance in plain text: title, considerations and descriptors (editor hover)."""
    lines = [std.title.rstrip(".") + "."]
    if std.text:
        lines.append(std.text)
    if std.considerations:
        lines.append("Consider: " + "; ".join(c.rstrip(".") for c in std.considerations) + ".")
    for rating, text in std.descriptors.items():
        lines.append(f"{framework.rating_labels.get(rating, rating)}: {text}")
    if std.example_learning:
        lines.append(f"Example learning: {std.example_learning}")
    if std.applies_when:
        lines.append(
            f"Applies only when {std.applies_when.field} is {std.applies_when.equals}; "
            "otherwise rate it not_applicable."
        )
    return "\n".join(lines)


def _scale_help(framework: Framework) -> str:
    return "One of: " + ", ".join(f"{r.id} ({r.label})" for r in framework.spec.ratings) + "."


@lru_cache(maxsize=32)
def audit_model(framework: Framework) -> type[BaseModel]:
    """The pydantic model that validates audits of this framework (built once, then cached).

    Its fields are in the canonical order of an audit file, which ``fmt`` and ``new`` follow:
    identity, case and people, then the standards, then the sections, then the grade.
    """
    spec = framework.spec
    name = _camel(spec.id)
    rating_type: Any = Literal[(*framework.rating_rank, NOT_APPLICABLE)]
    dated = {k: f for k, f in spec.extra_fields.items() if f.type in ("date", "date_range")}
    undated = {k: f for k, f in spec.extra_fields.items() if k not in dated}
    fields: dict[str, Any] = {
        "standards": (_literal(spec.id), Field(description=f"The framework this audit uses: {spec.title}.")),
        "audit_id": (Text, Field(description="A unique id for this audit.")),
    }
    if spec.audit_types:
        kinds: Any = Literal[tuple(t.id for t in spec.audit_types)]
        fields["audit_type"] = (
            kinds | None,
            Field(None, description="; ".join(f"{t.id}: {t.label}" for t in spec.audit_types)),
        )
        fields["theme"] = (str | None, Field(None, description="The theme of a themed audit or dip sample."))
    fields["reaudit_of"] = (
        Text | None,
        Field(None, description="The audit_id of the earlier audit of this case that this one re-audits."),
    )
    fields["case"] = (
        _model(f"{name}Case", _fields(spec.case_fields)),
        Field(description="The case that was audited."),
    )
    fields["practitioner"] = (Text, Field(description="The practitioner whose work is audited."))
    fields.update(_fields(undated))
    fields["reviewer"] = (Text, Field(description="The auditor."))
    fields["review_date"] = (AuditDate, Field(description="The date of the audit, YYYY-MM-DD."))
    fields.update(_fields(dated))
    for group in spec.groups:
        entries: dict[str, Any] = {}
        for std in group.standards:
            help_text = standard_help(framework, std)
            entry = _model(
                f"{name}{_camel(std.id)}Entry",
                {
                    "rating": (rating_type, Field(description=_scale_help(framework) + "\n" + help_text)),
                    **_fields(std.fields),
                    "evidence": (
                        str | None,
                        Field(None, description="What on the file supports the rating."),
                    ),
                },
                help_text,
            )
            if std.applies_when is None:
                entries[std.id] = (entry, Field(description=help_text))
            else:
                entries[std.id] = (entry | None, Field(None, description=help_text))
        fields[group.id] = (
            _model(f"{name}{_camel(group.id)}", entries, group.title),
            Field(description=group.title),
        )
    if spec.remedial_actions:
        fields["remedial_actions"] = (
            list[RemedialAction],
            Field(default_factory=list, description="Actions agreed at audit, with owners and due dates."),
        )
    if spec.feedback:
        feedback = _model(f"{name}Feedback", dict.fromkeys(spec.feedback, (str | None, None)))
        fields["feedback"] = (feedback | None, Field(None, description="Feedback gathered for the audit."))
    if spec.domains:
        domain_fields: dict[str, Any] = {}
        for dom in spec.domains:
            indicator: Any = Literal[tuple(i.id for i in dom.indicators)]
            ticks = "; ".join(f"{i.id}: {i.label}" for i in dom.indicators)
            domain_entry = _model(
                f"{name}{_camel(dom.id)}Domain",
                {
                    "indicators": (list[indicator], Field(default_factory=list, description=ticks)),
                    "comment": (str | None, None),
                },
                dom.title,
            )
            domain_fields[dom.id] = (
                domain_entry | None,
                Field(None, description=f"{dom.title}" + (f": {dom.summary}" if dom.summary else "")),
            )
        fields["domains"] = (
            _model(f"{name}Domains", domain_fields) | None,
            Field(None, description="Evidence of good practice by outcome domain."),
        )
    if spec.learning:
        areas: Any = Literal[tuple(a.id for a in spec.learning.areas)]
        points: Any = Literal[tuple(framework.point_area)]
        action: Any = _model(
            f"{name}LearningAction",
            {
                "area": (
                    areas,
                    Field(description="; ".join(f"{a.id}: {a.title}" for a in spec.learning.areas)),
                ),
                "points": (list[points], Field(default_factory=list)),
                "comment": (str | None, None),
            },
        )
        fields["learning_actions"] = (
            list[action],
            Field(default_factory=list, description=f"Up to {spec.learning.max_points} critical points."),
        )
    if spec.immediate_actions:
        fields[spec.immediate_actions.key] = (
            ImmediateActionsEntry | None,
            Field(None, description=spec.immediate_actions.description or spec.immediate_actions.label),
        )
    if spec.added_value:
        category: Any = Literal[tuple(c.id for c in spec.added_value.categories)]
        fields["added_value"] = (
            list[category],
            Field(
                default_factory=list,
                description="; ".join(f"{c.id}: {c.label}" for c in spec.added_value.categories),
            ),
        )
        fields["added_value_comment"] = (str | None, None)
    grade_type: Any = Literal[tuple(framework.grade_rank)]
    fields[spec.grades.key] = (
        grade_type | None,
        Field(None, description="The auditor's overall grade: " + ", ".join(framework.grade_rank) + "."),
    )
    fields["rationale"] = (str | None, Field(None, description="The reasons for the grade."))
    if spec.escalations:
        fields["escalation"] = (
            EscalationRecord | None,
            Field(
                None,
                description="The escalation raised for this audit: "
                + "; ".join(f"{r.title} to {', '.join(r.roles)}" for r in spec.escalations)
                + ".",
            ),
        )
    moderation = _model(
        f"{name}Moderation",
        {
            "moderator": (Text, Field(description="Who moderated the grade (not the auditor).")),
            "moderated_grade": (grade_type, Field(description="The moderator's grade.")),
            "moderated_on": (AuditDate, Field(description="The date of the moderation, YYYY-MM-DD.")),
            "notes": (str | None, None),
        },
        "A second look at the grade by a moderator.",
    )
    fields["moderation"] = (
        moderation | None,
        Field(None, description="The moderation of this audit's grade by another reviewer."),
    )
    return _model(f"{name}Audit", fields, f"An audit recorded against {spec.title}.")


def describe_path(framework: Framework, path: list[Any] | tuple[Any, ...]) -> str | None:
    """Words for a data path in messages: the title of the standard, group or domain it names."""
    spec = framework.spec
    if len(path) >= 2 and path[0] in {g.id for g in spec.groups}:
        std = framework.standards.get(str(path[1]))
        if std is not None and len(path) == 2:
            return std.title.rstrip(".")
        return None
    if len(path) == 1:
        group = next((g for g in spec.groups if g.id == path[0]), None)
        if group is not None:
            return group.title
    if len(path) == 2 and path[0] == "case" and str(path[1]) in spec.case_fields:
        return spec.case_fields[str(path[1])].label
    if len(path) == 2 and path[0] == "domains" and spec.domains:
        dom = next((d for d in spec.domains if d.id == path[1]), None)
        return dom.title if dom else None
    return None

"""Audit records: pydantic models built from a framework's standards data.

Nothing here is written per framework. The keys common to every audit are fixed; each group of
standards becomes a top-level key holding one entry per standard; the optional sections (outcome
domains, learning actions, added value, immediate actions, audit types, remedial actions,
feedback) appear when the standards file declares them. A new framework written in YAML so gets
validation, JSON Schema and reports for free.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    create_model,
)
from pydantic_core import PydanticCustomError

from qaimpact.models.standard import NOT_APPLICABLE, FieldSpec, Framework, Group, StandardsFile, StandardSpec

#: The keys every audit must have, whatever its framework.
COMMON_KEYS = ("standards", "audit_id", "case", "practitioner", "reviewer", "review_date")


def _date_only(value: Any) -> Any:
    # Pydantic would read a bare number as a Unix timestamp; an auditor never means that.
    if isinstance(value, str | dt.date):
        return value
    raise PydanticCustomError("date_type", "Input should be a valid date")


AuditDate = Annotated[dt.date, BeforeValidator(_date_only)]
#: The pattern of required text: something besides spaces (diagnose.py reports it as blank).
BLANK_PATTERN = r"\S"
#: Required text: at least one character that is not a space (a practitioner "   " names
#: nobody). The pattern is checked by pydantic's core, and reported as "holds only spaces".
Text = Annotated[str, Field(min_length=1, pattern=BLANK_PATTERN)]


def answer_word(value: Any) -> bool | None:
    """The answer the words yes and no give (as auditors write them, any case, spaces around),
    or None for any other value."""
    if isinstance(value, str) and (word := value.strip().lower()) in ("yes", "no"):
        return word == "yes"
    return None


def _yes_or_no(value: Any) -> Any:
    # An answer is true or false, or the words yes and no (as auditors write them); pydantic's
    # lax reading would also take "on", "y", "1", 1 and 0.0, which nobody means as an answer.
    if isinstance(value, bool):
        return value
    if (answer := answer_word(value)) is not None:
        return answer
    raise PydanticCustomError("bool_type", "Input should be a valid boolean")


#: The answer to a yes/no question: true or false, or the words yes and no (so says the JSON Schema).
Boolean = Annotated[
    bool,
    BeforeValidator(_yes_or_no),
    WithJsonSchema(
        {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": r"^\s*([Yy][Ee][Ss]|[Nn][Oo])\s*$"}]}
    ),
]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DateRange(_Record):
    """A period: ``{from: YYYY-MM-DD, to: YYYY-MM-DD}``."""

    from_: AuditDate = Field(alias="from")
    to: AuditDate


class ImmediateActionsEntry(_Record):
    """Whether immediate actions are required to safeguard the child, and what they are."""

    required: Boolean
    comment: str | None = None


class RemedialAction(_Record):
    """An action agreed at audit, with its owner, due date and status."""

    action: Text
    owner: Text
    due: AuditDate | None = None
    status: Literal["open", "done"] = "open"
    closed_on: AuditDate | None = None
    evidence: str | None = None
    theme: str | None = Field(None, description="The action's theme: an id from the framework's `themes:`.")


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
    theme: str | None = Field(
        None, description="The escalation's theme: an id from the framework's `themes:`."
    )


@dataclass(frozen=True, slots=True)
class AuditKey:
    """A top-level key of a framework's audits, in the order audits are written.

    Built-in keys (``declared_at`` is ``None``) come from the audit format itself; the others are
    declared by the standards file at ``declared_at`` (a path into it): a group, an extra field,
    ``grades.key`` or ``immediate_actions.key``. :func:`audit_model` builds its fields from this
    list, so the names a standards file must not reuse are exactly the model's own.
    """

    name: str
    kind: str
    declared_at: tuple[Any, ...] | None = None

    @property
    def built_in(self) -> bool:
        """Whether the audit format defines the key (rather than the standards file)."""
        return self.declared_at is None


def audit_keys(spec: StandardsFile) -> list[AuditKey]:
    """Every top-level key of this framework's audits, in canonical order (see :class:`AuditKey`)."""
    dated = {k for k, f in spec.extra_fields.items() if f.type in ("date", "date_range")}
    keys = [AuditKey("standards", "standards"), AuditKey("audit_id", "audit_id")]
    if spec.audit_types:
        keys += [AuditKey("audit_type", "audit_type"), AuditKey("theme", "theme")]
    keys += [
        AuditKey("reaudit_of", "reaudit_of"),
        AuditKey("case", "case"),
    ]
    if spec.characteristics:
        keys.append(AuditKey("characteristics", "characteristics"))
    keys += [
        AuditKey("practitioner", "practitioner"),
    ]
    keys += [AuditKey(k, "extra", ("extra_fields", k)) for k in spec.extra_fields if k not in dated]
    keys += [AuditKey("reviewer", "reviewer"), AuditKey("review_date", "review_date")]
    keys += [AuditKey(k, "extra", ("extra_fields", k)) for k in spec.extra_fields if k in dated]
    keys += [AuditKey(g.id, "group", ("groups", i, "id")) for i, g in enumerate(spec.groups)]
    if spec.remedial_actions:
        keys.append(AuditKey("remedial_actions", "remedial_actions"))
    if spec.feedback:
        keys.append(AuditKey("feedback", "feedback"))
    if spec.domains:
        keys.append(AuditKey("domains", "domains"))
    if spec.learning:
        keys.append(AuditKey("learning_actions", "learning_actions"))
    if spec.immediate_actions:
        keys.append(AuditKey(spec.immediate_actions.key, "immediate_actions", ("immediate_actions", "key")))
    if spec.added_value:
        keys += [
            AuditKey("added_value", "added_value"),
            AuditKey("added_value_comment", "added_value_comment"),
        ]
    keys.append(AuditKey(spec.grades.key, "grade", ("grades", "key")))
    keys.append(AuditKey("rationale", "rationale"))
    if spec.escalations:
        keys.append(AuditKey("escalation", "escalation"))
    keys.append(AuditKey("moderation", "moderation"))
    return keys


def reserved_keys(spec: StandardsFile) -> set[str]:
    """Top-level audit keys that are neither groups of standards nor extra fields."""
    return {k.name for k in audit_keys(spec) if k.kind not in ("group", "extra")}


def taken_name(name: str) -> str | None:
    """Why ``name`` cannot name a field of an audit model, or ``None`` when it can.

    Asked of the models themselves: a name the base model already has (pydantic's ``model_dump``,
    ``copy``, ``schema``...) would be shadowed or refused, and pydantic keeps every name starting
    with ``model_`` for itself. The reason is written for a standards author: it names neither
    pydantic nor its methods (docs/diagnostics.md, QA506).
    """
    if name.startswith("model_"):
        return "qaimpact keeps every name starting with 'model_' for its own use in reading audits"
    if hasattr(_Record, name):
        return f"qaimpact keeps '{name}' for its own use in reading audits"
    return None


def value_type(model: type[BaseModel], path: Sequence[Any]) -> Any:
    """The type of the value at ``path`` of data that ``model`` reads (an audit model's, a
    record model's), as the model declares it: ``dt.date``, ``bool``, ``int``, ``str``, a
    ``Literal`` of the ids it takes, a model; whether it may be left out is not said (``X |
    None`` is ``X``). None for a path the model does not declare. The one source of what kind
    of value a key takes: the model that will read it."""
    current: Any = model
    for step in path:
        current = _bare(current)
        if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(step, str):
            current = next(
                (f.annotation for name, f in current.model_fields.items() if (f.alias or name) == step),
                None,
            )
        elif get_origin(current) is list and isinstance(step, int):
            current = get_args(current)[0]
        else:
            return None
        if current is None:
            return None
    return _bare(current)


def _bare(annotation: Any) -> Any:
    """``annotation`` without ``Annotated``'s validators and without ``| None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, UnionType):
            kept = [a for a in get_args(annotation) if a is not type(None)]
            if len(kept) != 1:
                return annotation
            annotation = kept[0]
        else:
            return annotation


_BOOLEAN = FieldSpec(type="boolean")


def resolve_field(spec: StandardsFile, dotted: str) -> FieldSpec | None:
    """The field a dotted path (``case.child_in_care``) names in this framework's audits."""
    parts = dotted.split(".")
    if len(parts) == 2 and parts[0] == "case":
        return spec.case_fields.get(parts[1])
    if len(parts) == 2 and parts[0] == "characteristics":
        return spec.characteristics.get(parts[1])
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


#: What auditors write where evidence is still to come or there is none: text that is no
#: evidence, compared ignoring case, spaces and a closing full stop. The scaffold's own
#: ``TODO`` is not here: it is reported once, as a placeholder (QA210).
STAND_INS = frozenset(
    {
        "tbc",
        "tba",
        "tbd",
        "to be confirmed",
        "to be added",
        "to be completed",
        "to be done",
        "to follow",
        "to do",
        "n/a",
        "na",
        "none",
        "nil",
        "-",
        "--",
        "?",
        "...",
        "\u2026",
    }
)


#: Seventeen characters other than spaces: more than any stand-in holds (``to be completed.``
#: has fourteen, and casefolding never makes text shorter).
_LONGER_THAN_A_STAND_IN = re.compile(r"(?:\s*\S){17}")


def stand_in(value: Any) -> str | None:
    """The text as written if it only stands in for evidence ('TBC', 'N/A', '-'), else ``None``."""
    # Real evidence is a sentence or more: it is ruled out by its length or its first words,
    # without splitting it.
    if not isinstance(value, str) or len(value) > 200 or _LONGER_THAN_A_STAND_IN.match(value) is not None:
        return None
    words = " ".join(value.split())
    key = words.casefold()
    return words if key in STAND_INS or key.rstrip(".") in STAND_INS else None


#: The dashes Word and email type for a hyphen: Unicode's hyphen and non-breaking hyphen, the
#: figure dash, the en and em dashes Word's AutoFormat makes of "-", and the minus sign.
WORD_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
#: The apostrophes Word and email type for ``'``: the curly ones (’ and the ‘ AutoFormat makes
#: after a space), the reversed one and the modifier letter apostrophe (ʼ).
WORD_APOSTROPHES = "\u2019\u2018\u201b\u02bc"
#: Word's dashes as a hyphen and its apostrophes as a straight one (:func:`plain_punctuation`).
_PLAIN = str.maketrans(dict.fromkeys(WORD_DASHES, "-") | dict.fromkeys(WORD_APOSTROPHES, "'"))


def plain_punctuation(text: str) -> str:
    """``text`` with the dashes and apostrophes Word types as a hyphen and a straight apostrophe,
    one character for one: "O’Brien" is "O'Brien", "LCS\u2013734838" is "LCS-734838"."""
    return text.translate(_PLAIN)


#: Dashes typed between the letters and figures of an identifier: a hyphen, or Word's en dash.
_ID_DASHES = dict.fromkeys(map(ord, "-" + WORD_DASHES), None)


def ident_key(value: object) -> str:
    """How case numbers and ids compare: ignoring case, spaces and dashes, so that ``LCS-857050``,
    ``lcs 857050``, ``LCS857050`` and ``LCS\u2013857050`` (Word's en dash) name one case."""
    return _ident_key(value if value.__class__ is str else str(value))


# Reports compare each audit's id and case number many times over (a summary of 10,000 audits
# asked for 57,000 keys of 20,000 texts): each text is worked out once. Bounded, as the audit
# form's server lives on.
@lru_cache(maxsize=1 << 16)
def _ident_key(text: str) -> str:
    return "".join(text.split()).translate(_ID_DASHES).casefold()


def person_key(name: str) -> str:
    """How names compare: ignoring case, extra spaces and how Word types a dash or an apostrophe
    (``jo  BRIGHT`` is ``Jo Bright``, ``Aoife O’Brien`` is ``Aoife O'Brien``)."""
    return _person_key(name if name.__class__ is str else str(name))


# A repository names a few hundred people and teams in tens of thousands of places, which
# reports group and sort by name again and again: each spelling is worked out once.
@lru_cache(maxsize=1 << 16)
def _person_key(name: str) -> str:
    return " ".join(plain_punctuation(name).split()).casefold()


#: Quotation marks around a whole name: pasted from Word, curly ones stay part of the text.
NAME_QUOTES = "\"'“”„‟‘’‚‛«»"


def tidy_name(value: str) -> str:
    """A name with its spaces tidied (non-breaking ones, doubled or at the ends) and the quotation
    marks around it taken off: how reports show a name, whatever the audit's typing."""
    return " ".join(" ".join(value.split()).strip(NAME_QUOTES).split())


def show_value(value: Any) -> str:
    """A value as an audit file spells it (``true``, not ``True``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def constraint_holds(when: Mapping[str, Any], entry: Mapping[str, Any]) -> bool:
    """Whether a standard's entry has every fact a constraint names (``None``: absent, empty, or
    text that only stands in for one, such as 'N/A' or 'TBC': :func:`stand_in`).

    A stand-in records nothing: "defensible decision: N/A" for a child not seen is no decision,
    and a rating it would allow must not pass where an empty field would not.
    """
    return all(
        unrecorded(entry.get(name)) if expected is None else field_holds(entry.get(name), expected)
        for name, expected in when.items()
    )


def unrecorded(value: Any) -> bool:
    """Absent, empty, or only standing in for a value ('N/A', 'TBC', '-': :func:`stand_in`)."""
    return is_blank(value) or stand_in(value) is not None


def field_holds(value: Any, equals: Any) -> bool:
    """Whether an audit's value is the value a standards file names (``equals:`` of a condition,
    ``applies_when`` or an agreement): a standards file reads ``2026-04-01`` as text, and an
    audit's date is a date. An answer is read as the audit model reads it: the words yes and no are
    true and false, so that an audit not yet validated (the escalations certain before its errors
    are put right) is read as it will be."""
    if isinstance(value, dt.date) and isinstance(equals, str):
        return value.isoformat() == equals
    if isinstance(equals, bool) and (answer := answer_word(value)) is not None:
        return answer is equals
    return bool(value == equals)


def is_applicable(dotted: str, equals: Any, data: Mapping[str, Any]) -> bool:
    """Whether an ``applies_when`` condition holds for the audit data."""
    # Audit data is a dict already: copying it for every standard was a fifth of the rules' cost.
    return field_holds(get_field(data if type(data) is dict else dict(data), dotted), equals)


def rating_choices(framework: Framework, data: Mapping[str, Any], path: Sequence[Any]) -> list[str] | None:
    """The ratings a standard's ``rating`` at ``path`` may take in this audit: the scale, and
    ``not_applicable`` for a standard that says when it applies and does not apply here (by the
    audit's own data, as QA302 judges); None for any other path."""
    if len(path) != 3 or path[-1] != "rating":
        return None
    std = framework.standards.get(str(path[1]))
    if std is None or framework.group_of.get(std.id) != path[0]:
        return None
    scale = list(framework.rating_rank)
    cond = std.applies_when
    if cond is not None and not is_applicable(cond.field, cond.equals, data):
        scale.append(NOT_APPLICABLE)
    return scale


def _annotation(field: FieldSpec) -> Any:
    base: Any
    if field.type == "text":
        base = Text if field.required else str
    elif field.type == "boolean":
        base = Boolean
    elif field.type == "date":
        base = AuditDate
    elif field.type == "integer":
        base = int
    elif field.type == "date_range":
        base = DateRange
    else:
        base = Literal[tuple(field.choice_ids)]
    return base


def _field(field: FieldSpec) -> tuple[Any, Any]:
    annotation = _annotation(field)
    info = Field(description=field.description or field.label)
    if field.required:
        return annotation, info
    return annotation | None, Field(None, description=field.description or field.label)


def _fields(specs: dict[str, FieldSpec]) -> dict[str, Any]:
    return {name: _field(spec) for name, spec in specs.items()}


#: What editors show for each model of an audit, by the model's name (pydantic's JSON Schema
#: titles a model with its class name, such as ``CccPracticeStandardsRiskManagementEntry``).
MODEL_TITLES: dict[str, str] = {
    "DateRange": "A period",
    "ImmediateActionsEntry": "Immediate actions",
    "RemedialAction": "Remedial action",
    "EscalationRecipient": "Someone told of the escalation",
    "EscalationOutcome": "The outcome for the child",
    "EscalationRecord": "Escalation",
}


def _model(
    name: str, fields: dict[str, Any], doc: str | None = None, title: str | None = None
) -> type[BaseModel]:
    # One place calls pydantic's create_model, whose overloads mypy cannot match for
    # field definitions computed at run time.
    model: type[BaseModel] = create_model(name, __base__=_Record, __doc__=doc, **fields)
    if title:
        MODEL_TITLES[name] = title
    return model


def _literal(*values: str) -> Any:
    return Literal[values]


def entry_model_name(framework: Framework, std: StandardSpec) -> str:
    """The name of the model (and of its JSON Schema definition) of one standard's entry."""
    return f"{_camel(framework.spec.id)}{_camel(std.id)}Entry"


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

    Its fields are the keys of :func:`audit_keys`, in the canonical order of an audit file, which
    ``fmt`` and ``new`` follow: identity, case and people, then the standards, then the sections,
    then the grade.
    """
    spec = framework.spec
    name = _camel(spec.id)
    fields = {key.name: _key_field(framework, key, name) for key in audit_keys(spec)}
    return _model(f"{name}Audit", fields, f"An audit recorded against {spec.title}.", title=spec.title)


def _key_field(framework: Framework, key: AuditKey, name: str) -> tuple[Any, Any]:
    """The field definition of one top-level audit key."""
    spec = framework.spec
    kind = key.kind
    if kind == "standards":
        return _literal(spec.id), Field(description=f"The framework this audit uses: {spec.title}.")
    if kind == "audit_id":
        return Text, Field(description="A unique id for this audit.")
    if kind == "audit_type":
        kinds: Any = Literal[tuple(t.id for t in spec.audit_types or ())]
        return kinds | None, Field(
            None, description="; ".join(f"{t.id}: {t.label}" for t in spec.audit_types or ())
        )
    if kind == "theme":
        return str | None, Field(None, description="The theme of a themed audit or dip sample.")
    if kind == "reaudit_of":
        return Text | None, Field(
            None, description="The audit_id of the earlier audit of this case that this one re-audits."
        )
    if kind == "case":
        return _model(f"{name}Case", _fields(spec.case_fields), title="The case"), Field(
            description="The case that was audited."
        )
    if kind == "characteristics":
        optional = {k: f.model_copy(update={"required": False}) for k, f in spec.characteristics.items()}
        characteristics = _model(
            f"{name}Characteristics", _fields(optional), title="The case's characteristics"
        )
        return characteristics | None, Field(
            None,
            description="The case's characteristics (optional), by which the summary breaks grades down.",
        )
    if kind == "practitioner":
        return Text, Field(description="The practitioner whose work is audited.")
    if kind == "extra":
        return _field(spec.extra_fields[key.name])
    if kind == "reviewer":
        return Text, Field(description="The auditor.")
    if kind == "review_date":
        return AuditDate, Field(description="The date of the audit, YYYY-MM-DD.")
    if kind == "group":
        return _group_field(framework, next(g for g in spec.groups if g.id == key.name), name)
    if kind == "remedial_actions":
        return list[RemedialAction], Field(
            default_factory=list, description="Actions agreed at audit, with owners and due dates."
        )
    if kind == "feedback":
        feedback = _model(
            f"{name}Feedback", dict.fromkeys(spec.feedback or (), (str | None, None)), title="Feedback"
        )
        return feedback | None, Field(None, description="Feedback gathered for the audit.")
    if kind == "domains":
        return _domains_field(framework, name)
    if kind == "learning_actions":
        return _learning_field(framework, name)
    if kind == "immediate_actions":
        assert spec.immediate_actions is not None
        return ImmediateActionsEntry | None, Field(
            None, description=spec.immediate_actions.description or spec.immediate_actions.label
        )
    if kind == "added_value":
        assert spec.added_value is not None
        category: Any = Literal[tuple(c.id for c in spec.added_value.categories)]
        return list[category], Field(
            default_factory=list,
            description="; ".join(f"{c.id}: {c.label}" for c in spec.added_value.categories),
        )
    if kind == "added_value_comment":
        return str | None, None
    if kind == "grade":
        return _grade_type(framework) | None, Field(
            None, description="The auditor's overall grade: " + ", ".join(framework.grade_rank) + "."
        )
    if kind == "rationale":
        return str | None, Field(None, description="The reasons for the grade.")
    if kind == "escalation":
        return EscalationRecord | None, Field(
            None,
            description="The escalation raised for this audit: "
            + "; ".join(f"{r.title} to {', '.join(r.roles)}" for r in spec.escalations)
            + ".",
        )
    assert kind == "moderation", kind
    moderation = _model(
        f"{name}Moderation",
        {
            "moderator": (Text, Field(description="Who moderated the grade (not the auditor).")),
            "moderated_grade": (_grade_type(framework), Field(description="The moderator's grade.")),
            "moderated_on": (AuditDate, Field(description="The date of the moderation, YYYY-MM-DD.")),
            "notes": (str | None, None),
        },
        "A second look at the grade by a moderator.",
        title="Moderation",
    )
    return moderation | None, Field(
        None, description="The moderation of this audit's grade by another reviewer."
    )


def _grade_type(framework: Framework) -> Any:
    return Literal[tuple(framework.grade_rank)]


def _group_field(framework: Framework, group: Group, name: str) -> tuple[Any, Any]:
    rating_type: Any = Literal[(*framework.rating_rank, NOT_APPLICABLE)]
    entries: dict[str, Any] = {}
    for std in group.standards:
        help_text = standard_help(framework, std)
        entry = _model(
            entry_model_name(framework, std),
            {
                "rating": (
                    rating_type,
                    Field(title="Rating", description=_scale_help(framework) + "\n" + help_text),
                ),
                **_fields(std.fields),
                "evidence": (
                    str | None,
                    Field(None, title="Evidence", description="What on the file supports the rating."),
                ),
            },
            help_text,
            title=std.title,
        )
        if std.applies_when is None:
            entries[std.id] = (entry, Field(title=std.title, description=help_text))
        else:
            entries[std.id] = (entry | None, Field(None, title=std.title, description=help_text))
    group_model = _model(f"{name}{_camel(group.id)}", entries, group.title, title=group.title)
    return group_model, Field(title=group.title, description=group.title)


def _domains_field(framework: Framework, name: str) -> tuple[Any, Any]:
    domain_fields: dict[str, Any] = {}
    for dom in framework.spec.domains or ():
        indicator: Any = Literal[tuple(i.id for i in dom.indicators)]
        ticks = "; ".join(f"{i.id}: {i.label}" for i in dom.indicators)
        domain_entry = _model(
            f"{name}{_camel(dom.id)}Domain",
            {
                "indicators": (list[indicator], Field(default_factory=list, description=ticks)),
                "comment": (str | None, None),
            },
            dom.title,
            title=dom.title,
        )
        domain_fields[dom.id] = (
            domain_entry | None,
            Field(None, description=f"{dom.title}" + (f": {dom.summary}" if dom.summary else "")),
        )
    return _model(f"{name}Domains", domain_fields, title="Outcome domains") | None, Field(
        None, description="Evidence of good practice by outcome domain."
    )


def _learning_field(framework: Framework, name: str) -> tuple[Any, Any]:
    learning = framework.spec.learning
    assert learning is not None
    areas: Any = Literal[tuple(a.id for a in learning.areas)]
    points: Any = Literal[tuple(framework.point_area)]
    action: Any = _model(
        f"{name}LearningAction",
        {
            "area": (areas, Field(description="; ".join(f"{a.id}: {a.title}" for a in learning.areas))),
            "points": (list[points], Field(default_factory=list)),
            "comment": (str | None, None),
        },
        title="Learning action",
    )
    return list[action], Field(
        default_factory=list, description=f"Up to {learning.max_points} critical points."
    )


#: How messages name an item of a list of an audit, by the list's key (``{n}`` counts from 1), as
#: the rules' own messages do ("Remedial action 1 is marked done ..."). An item of another list is
#: "'added_value' item 2" (:func:`qaimpact.base.diagnose.named`).
ITEM_WORDS: dict[tuple[str, ...], str] = {
    ("remedial_actions",): "remedial action {n}",
    ("learning_actions",): "learning action {n}",
    ("escalation", "recipients"): "person {n} told of the escalation",
}


def path_names(framework: Framework, path: Sequence[Any]) -> list[str]:
    """Every name of the place at a data path, as :func:`describe_path` words it first: a standard
    goes by its short name and by its title (without a closing full stop), and an auditor may write
    either as its key (``Case planning:``, or the title copied from the guidance)."""
    words = describe_path(framework, list(path))
    if words is None:
        return []
    std = framework.standards.get(str(path[1])) if len(path) == 2 else None
    if std is not None and path[0] in {g.id for g in framework.spec.groups}:
        return list(std.names)
    return [words]


def describe_path(framework: Framework, path: list[Any] | tuple[Any, ...]) -> str | None:
    """Words for a data path in messages: the short name of the standard it names, the title of the
    group or domain, or the item of a list (``remedial action 1`` for ``remedial_actions[0]``)."""
    if path and isinstance(path[-1], int):
        words = ITEM_WORDS.get(tuple(str(p) for p in path[:-1]))
        return words.format(n=path[-1] + 1) if words else None
    spec = framework.spec
    if len(path) >= 2 and path[0] in {g.id for g in spec.groups}:
        std = framework.standards.get(str(path[1]))
        if std is not None and len(path) == 2:
            return std.short_name
        return None
    if len(path) == 1:
        group = next((g for g in spec.groups if g.id == path[0]), None)
        if group is not None:
            return group.title
    if len(path) == 2 and path[0] == "case" and str(path[1]) in spec.case_fields:
        return spec.case_fields[str(path[1])].label
    if len(path) == 2 and path[0] == "characteristics" and str(path[1]) in spec.characteristics:
        return spec.characteristics[str(path[1])].label
    if len(path) == 2 and path[0] == "domains" and spec.domains:
        dom = next((d for d in spec.domains if d.id == path[1]), None)
        return dom.title if dom else None
    return None

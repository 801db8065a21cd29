"""The standards file format: a framework's standards, scales, sections and threshold rules.

Each class documents one block of a standards file; ``docs/standards-format.md`` is generated
from these docstrings and field descriptions, so the format and its documentation cannot drift.
Unknown keys are refused everywhere (``extra="forbid"``) so a typing mistake in a standards file
is reported rather than silently ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from qaimpact.models.listing import and_list

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        description="An identifier: lowercase letters, digits and underscores, starting with a letter.",
    ),
]
FrameworkId = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9-]*$",
        description="A framework id: lowercase letters, digits and hyphens.",
    ),
]
Text = Annotated[str, Field(min_length=1)]

FieldType = Literal["text", "boolean", "date", "choice", "date_range", "integer"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reading(_Strict):
    """Where a rule is the project's reading of its source, not the source's own words.

    Sources leave things unsaid: how the overall grade follows from the ratings, where an
    escalation goes and how soon, how one framework's grades sit on another's scale. A framework
    that fills such a gap says so in a ``reading:`` beside the rule: the passage the reading rests
    on, quoted word for word; why the rule reads it so; and how a service that reads it otherwise
    changes the rule. ``qaimpact standards show`` and ``docs/readings.md`` list every reading;
    the pages a practitioner or a board reads (the grade's rationale, the reports) show the rule
    alone. A ``reading:`` may be given on a threshold rule, an escalation rule, the
    ``comparison:`` scale, a grade or rating (its descriptor), ``learning:`` (the points' links to
    standards), ``evidence:`` (the ratings that need evidence) and a field.
    """

    rests_on: Text = Field(description="The passage of the source the reading rests on, word for word.")
    where: str | None = Field(None, description="Where the passage is in the source, e.g. `section 4.2`.")
    why: Text = Field(description="What the source leaves unsaid, and why the rule reads it so.")
    change: Text = Field(description="How a service that reads the source otherwise changes the rule.")


class CaseNumber(_Strict):
    """How a service writes a case number (``LCS-900901``, ``ECMS 0099002``): a prefix of letters
    and a run of digits. ``--redact`` replaces any case number of this shape in free text, known
    or not (a sibling's case mentioned in evidence), however it is spaced or hyphenated."""

    prefix: str = Field(
        pattern=r"^[A-Za-z]{1,10}$", description="The letters the number starts with, such as `LCS`."
    )
    min_digits: int = Field(
        3, ge=1, le=12, description="The fewest digits after the prefix that make a case number."
    )


class AuditIds(_Strict):
    """How a service numbers its audits (``CFA-2026-0400``): a prefix of letters, then groups of
    letters and digits joined by hyphens or underscores. ``qaimpact new -o FILE`` takes the audit
    id from a file name of this shape, and leaves it for the auditor to fill otherwise."""

    prefix: str = Field(
        pattern=r"^[A-Za-z]{1,10}$", description="The letters every audit id starts with, such as `CFA`."
    )

    def fits(self, text: str) -> bool:
        """Whether ``text`` is an audit id of this shape (the prefix in any case, then a digit)."""
        shape = rf"{re.escape(self.prefix)}(?:[-_][A-Za-z0-9]+)+"
        return re.fullmatch(shape, text, re.IGNORECASE) is not None and any(c.isdigit() for c in text)


def humanise(ident: str) -> str:
    """An id in words, for a choice given no label: ``parent_or_carer`` is "Parent or carer"."""
    return ident.replace("_", " ").capitalize()


def initials(title: str) -> str:
    """A title's initials, as services shorten a framework's title: "Quality and Impact Assurance
    Model" is QIAM (the words in capitals); a title of one such word is that word."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", title) if w[0].isupper()]
    return "".join(w[0] for w in words) if len(words) > 1 else (words[0] if words else title)


class ChoiceSpec(_Strict):
    """One allowed value of a ``type: choice`` field, written with the label people read.

    A choice is either a bare id (``plr``) or ``{id: plr, label: Performance and learning
    review (PLR)}``. Audits and records hold the id, whichever way it is written; reports, the web form
    and hints show the label. A bare id's label is the id in words (``parent_or_carer`` is
    "Parent or carer"), so give a label where the id is an abbreviation or unclear.
    """

    id: Id = Field(description="The value audits and records hold.")
    label: Text = Field(
        description="How reports and forms show it, e.g. `Independent reviewing officer (IRO)`."
    )


def _choice_form(value: Any) -> str:
    return "labelled" if isinstance(value, dict | ChoiceSpec) else "id"


Choice = Annotated[
    Annotated[Id, Tag("id")] | Annotated[ChoiceSpec, Tag("labelled")],
    Discriminator(_choice_form),
]


class FieldSpec(_Strict):
    """A field an audit may (or must) fill in: under ``case:``, at the top level, or in a standard.

    The ``choices`` of a ``type: choice`` field are bare ids (``[plr, supervision, other]``) or
    ``{id, label}`` mappings ([ChoiceSpec](#choicespec)), mixed as needed; audits hold the ids.
    A ``type: date_range`` field is a period, ``{from: DATE, to: DATE}``: wherever it is declared
    (under ``case:`` or ``characteristics:``, at the top level, among a standard's ``fields``, or
    in a kind of record), one that ends before it starts is an error (QA309, at its ``to`` date).
    """

    type: FieldType = Field(
        description="The kind of value: text, boolean, date, choice, date_range or integer."
    )
    required: bool = Field(False, description="Whether every audit must fill it in.")
    choices: list[Choice] | None = Field(
        None,
        description="The allowed values, for `type: choice`: each an id, or `{id: ID, label: LABEL}` "
        "to give reports and forms a label for it.",
    )
    label: str | None = Field(None, description="How reports and forms name the field.")
    description: str | None = Field(None, description="Guidance shown in the scaffold and the editor.")
    personal: bool = Field(
        False, description="It holds a person's name or a case identifier, which `--redact` replaces."
    )
    reading: Reading | None = Field(
        None,
        description="Where the field itself is a reading of the source (the source's form has no such box).",
    )
    identifier: CaseNumber | None = Field(
        None,
        description="For a case number: its shape, so that `--redact` finds any number of that shape in "
        "free text, not only the ones the audits hold.",
    )

    @property
    def choice_ids(self) -> list[str]:
        """The ids of the choices, in file order: the values audits may hold."""
        return [c if isinstance(c, str) else c.id for c in self.choices or ()]

    @property
    def choice_labels(self) -> dict[str, str]:
        """Each choice's label by its id: its own, or for a bare id the id in words."""
        labels: dict[str, str] = {}
        for c in self.choices or ():
            ident, label = (c, humanise(c)) if isinstance(c, str) else (c.id, c.label)
            labels.setdefault(ident, label)
        return labels

    def choice_label(self, value: str) -> str:
        """How a page shows one value of the field: a choice by its label in the standards data,
        anything else (a bare id, a value the field does not list) in words."""
        return self.choice_labels.get(value) or humanise(value)

    @model_validator(mode="after")
    def _choices_match_type(self) -> FieldSpec:
        if self.identifier is not None and not (self.personal and self.type == "text"):
            raise ValueError("'identifier' is only for a text field marked 'personal: true'")
        if self.type == "choice" and not self.choices:
            raise ValueError("a field of type 'choice' needs a list of 'choices'")
        if self.type != "choice" and self.choices is not None:
            raise ValueError("'choices' is only for fields of type 'choice'")
        return self


RecordFieldType = Literal[
    "text", "boolean", "date", "choice", "date_range", "integer", "ratings", "learning_links"
]


class RecordFieldSpec(FieldSpec):
    """A field of a record kind: any audit field type, or ``ratings``.

    ``type: ratings`` holds standards of the framework, each with a ``rating`` on the framework's
    rating scale and optional ``evidence`` (``{planning: {rating: good, evidence: ...}}``): the
    standards a practice observation saw. A required ``ratings`` field needs at least one standard.

    ``type: learning_links`` lists the audits whose learning the record follows up, each as
    ``{audit: AUDIT_ID, point: POINT}``: ``point`` is a learning point of the framework (or, in a
    framework without learning areas, a standard, as its learning is the standards rated below
    good). The commands that read folders check that the audit was read and records the point.
    """

    type: RecordFieldType = Field(  # type: ignore[assignment]
        description="The kind of value: text, boolean, date, choice, date_range, integer, ratings "
        "(standards of the framework, each with a `rating` on its scale and `evidence`) or "
        "learning_links (audits and their learning points: `{audit: AUDIT_ID, point: POINT}`)."
    )

    @model_validator(mode="after")
    def _choices_match_type(self) -> RecordFieldSpec:
        if self.type == "choice" and not self.choices:
            raise ValueError("a field of type 'choice' needs a list of 'choices'")
        if self.type != "choice" and self.choices is not None:
            raise ValueError("'choices' is only for fields of type 'choice'")
        return self


class RecordKind(_Strict):
    """A kind of record besides the case-file audit, kept as YAML (e.g. a practice observation).

    A record names its kind in ``kind:`` and its framework in ``standards:``, has a
    ``record_id``, and holds the fields declared here, at the top level. ``date`` names the date
    field that dates the record: it may not be after the day of the check, no other date of the
    record may be before it (feedback is given after an observation, an action is due after it
    is agreed), and none but the ``due`` date may be after the day of the check (what did not
    happen yet is not recorded). ``case_link`` names the field, if any, holding the case identifier that links
    the record to audits of the same case.
    """

    label: Text = Field(description="How reports and forms name the kind, e.g. `Practice observation`.")
    description: str | None = Field(
        None, description="What the record is for, shown in the scaffold and docs."
    )
    date: Id = Field(description="The required date field that dates the record.")
    case_link: Id | None = Field(
        None, description="The field holding the case identifier that links the record to audits."
    )
    due: Id | None = Field(
        None, description="A date field by which what the record agrees is due (it is overdue after it)."
    )
    closed_by: Id | None = Field(
        None,
        description="The field that, once filled in, shows what was agreed is done: a record past "
        "its `due` date with it empty is overdue.",
    )
    case_audited: bool = Field(
        False,
        description="Whether the case `case_link` names must be the case of an audit read: the "
        "commands that read folders report a record whose case no audit is of (QA701). Audits are "
        "matched to the case by the framework's `case_id`, which it needs.",
    )
    fields: dict[Id, RecordFieldSpec] = Field(min_length=1, description="The record's keys, in file order.")
    guidance: str | None = Field(
        None, description="What to record and what not to (for example: no names of children)."
    )

    @model_validator(mode="after")
    def _audited_needs_a_link(self) -> RecordKind:
        if self.case_audited and self.case_link is None:
            raise ValueError("'case_audited: true' needs a 'case_link' naming the field that holds the case")
        return self


class Level(_Strict):
    """One step of a scale (an overall grade or a per-standard rating)."""

    id: Id
    label: Text
    descriptor: str | None = Field(None, description="What the grade or rating means, from the source.")
    reading: Reading | None = Field(
        None, description="Where the grade or rating, or its descriptor, is a reading of the source."
    )


class Theme(_Strict):
    """A theme remedial actions and escalations are given (``theme: ID`` on each), so that the QA
    team can analyse which recur and which stay unresolved."""

    id: Id
    label: Text
    description: str | None = Field(None, description="What actions or escalations of the theme are about.")
    reading: Reading | None = Field(None, description="Where the theme is a reading of the source.")


class Grades(_Strict):
    """The overall grade scale, best first, and where audits record the auditor's grade."""

    key: Id = Field(description="The audit key holding the auditor's overall grade, e.g. `overall_grade`.")
    good_or_better: Id = Field(description="The grade that counts as 'good or better' in headline figures.")
    scale: list[Level] = Field(min_length=2, description="The grades, best first.")


class Constraint(_Strict):
    """A rule on one standard's entry: when the facts in ``when`` hold, only ``ratings`` are allowed.

    In ``when``, each key is a field of the standard and each value what it must equal; ``null``
    means the field is absent, empty, or text that only stands in for a value ('N/A', 'TBC', '-').
    """

    when: dict[Id, Any] = Field(min_length=1)
    ratings: list[Id] = Field(min_length=1, description="The only ratings allowed when `when` holds.")
    message: Text
    hint: Text
    descriptor: str | None = Field(None, description="The source's descriptor the rule quotes.")


class Applicability(_Strict):
    """When a standard applies. Where it does not, it is `not_applicable` and left out of the grade."""

    field: Text = Field(description="A dotted path into the audit, e.g. `case.child_in_care`.")
    equals: Any = Field(
        description="The value the field must have for the standard to apply: `true` or `false`, one "
        "of its choices, text, a whole number, or a date written YYYY-MM-DD (a period cannot be "
        "compared)."
    )


class Fact(_Strict):
    """A field of an audit holding a value: ``{field: case.child_in_care, equals: true}``."""

    field: Text = Field(description="A dotted path into the audit, e.g. `characteristics.legal_status`.")
    equals: Any = Field(
        description="The value the field holds: `true` or `false`, one of its choices, text, a whole "
        "number, or a date written YYYY-MM-DD (a period cannot be compared)."
    )


class Agreement(_Strict):
    """Two facts of an audit that must agree: where the audit records ``when``, it must record
    ``then`` too (a field ``then`` names that is left out is not a contradiction)."""

    when: Fact = Field(description="The fact that, where an audit records it, calls for the other.")
    then: Fact = Field(description="The fact an audit recording `when` must record where it gives the field.")
    why: Text | None = Field(
        None, description="Why the two must agree, in plain English: the finding's hint begins with it."
    )


class StandardSpec(_Strict):
    """One professional or practice standard, rated in every audit where it applies."""

    id: Id
    number: int | None = None
    title: Text
    short: Annotated[str, Field(min_length=1, max_length=40)] | None = Field(
        None,
        description="How messages name the standard where its title is long (`Case planning` for a "
        "title of three sentences): the findings of `validate` and the reasons for a grade quote it, "
        "so that a finding stays one line. 40 characters at most; by default the title. Report "
        "tables, the audit form and the guidance keep the title. A short name may not be another "
        "standard's short name, nor the title of a standard that has none (QA507); two titles "
        "alike with no short name are allowed. An audit that writes a standard's key as its short "
        "name or its title is told the id to write (QA203).",
    )
    text: str | None = Field(None, description="The full text of the standard.")
    considerations: list[Text] = Field(default_factory=list, description="Considerations for assessment.")
    descriptors: dict[Id, Text] = Field(
        default_factory=dict, description="What each rating looks like, keyed by rating id."
    )
    example_learning: str | None = None
    fields: dict[Id, FieldSpec] = Field(
        default_factory=dict, description="Extra keys of this standard's entry in an audit."
    )
    constraints: list[Constraint] = Field(default_factory=list)
    applies_when: Applicability | None = None

    @property
    def short_name(self) -> str:
        """The standard as messages name it: its ``short``, else its title (without a closing
        full stop, as a message quotes it)."""
        return (self.short or self.title).rstrip(".")

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the standard goes by: :attr:`short_name`, as messages name it, then its title
        (without a closing full stop) where it has a ``short``; an auditor may write either for it."""
        title = " ".join(self.title.split()).rstrip(".")
        return (self.short_name,) if title == self.short_name else (self.short_name, title)


class Group(_Strict):
    """A group of standards; each group is one top-level key of an audit (e.g. `impact`)."""

    id: Id
    title: Text
    description: str | None = None
    standards: list[StandardSpec] = Field(min_length=1)


class Indicator(_Strict):
    """A tick box of an outcome domain."""

    id: Id
    label: Text


class Domain(_Strict):
    """An outcome domain: where the auditor ticks the evidence of good practice and comments."""

    id: Id
    title: Text
    summary: str | None = None
    outcomes: list[Text] = Field(default_factory=list)
    indicators: list[Indicator] = Field(min_length=1)


class LearningPoint(_Strict):
    """A learning point, linked to the standards whose descriptors show what good looks like."""

    id: Id
    label: Text
    standards: list[Id] = Field(default_factory=list)


class LearningArea(_Strict):
    """An area for learning with its points."""

    id: Id
    title: Text
    points: list[LearningPoint] = Field(min_length=1)


class Learning(_Strict):
    """Learning actions: audits list `learning_actions`, each with an area and its points."""

    max_points: int | None = Field(3, ge=1, description="Warn when an audit records more points.")
    areas: list[LearningArea] = Field(min_length=1)
    reading: Reading | None = Field(
        None, description="Where the points' links to standards are a reading of the source."
    )


class Evidence(_Strict):
    """Which ratings are an error without their evidence.

    Every rating below the top of the scale should say, in the standard's ``evidence:``, what on
    the file led to it. Without it, a rating named in ``required_for`` is an error (QA317) where
    the framework says evidence is required; any other rating below the top is a warning (QA403).
    """

    required_for: list[Id] = Field(
        min_length=1,
        description="The ratings below the top of the scale that must come with `evidence:` (QA317).",
    )
    reading: Reading | None = Field(
        None, description="Where requiring evidence for these ratings is a reading of the source."
    )


class AddedValueCategory(_Strict):
    """A kind of added value or impact the service had in the case."""

    id: Id
    label: Text
    example: str | None = None
    requires_comment: bool = Field(False, description="Recording it needs `added_value_comment`.")
    exclusive: bool = Field(False, description="It cannot be combined with another category.")


class AddedValue(_Strict):
    """Added value: audits list `added_value` categories and may add `added_value_comment`."""

    categories: list[AddedValueCategory] = Field(min_length=1)


class ImmediateActions(_Strict):
    """A yes/no question with a comment: audits record `{required: true|false, comment: ...}`."""

    key: Id
    label: Text
    description: str | None = None


class AuditType(_Strict):
    """A kind of audit (case file audit, themed audit, dip sample)."""

    id: Id
    label: Text
    description: str | None = None
    requires_theme: bool = False


# -- Threshold rules ------------------------------------------------------------------------------


class RatingCondition(_Strict):
    """Holds when the right number of the named standards have the named rating.

    ``standards`` lists group or standard ids (or is ``all``); standards that do not apply to the
    audit are left out. Exactly one of ``rated`` (exactly that rating), ``rated_at_least``
    (that rating or better), ``rated_at_most`` (that rating or worse) and ``rated_in`` (any of
    those ratings); and exactly one of ``count`` (``any``, ``all`` or ``none``), ``at_least`` and
    ``at_most``.
    """

    standards: list[Id] | Literal["all"]
    rated: Id | None = None
    rated_at_least: Id | None = None
    rated_at_most: Id | None = None
    rated_in: list[Id] | None = None
    count: Literal["any", "all", "none"] | None = None
    at_least: int | None = Field(None, ge=0)
    at_most: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _exactly_one_of_each(self) -> RatingCondition:
        ratings = [self.rated, self.rated_at_least, self.rated_at_most, self.rated_in]
        if sum(r is not None for r in ratings) != 1:
            raise ValueError(
                "a rating condition needs exactly one of rated, rated_at_least, rated_at_most, rated_in"
            )
        counts = [self.count, self.at_least, self.at_most]
        if sum(c is not None for c in counts) != 1:
            raise ValueError("a rating condition needs exactly one of count, at_least, at_most")
        return self


class FieldCondition(_Strict):
    """Holds when the audit field at the dotted path equals the value."""

    field: Text
    equals: Any = Field(
        description="The value: `true` or `false`, one of the field's choices, text, a whole number, "
        "or a date written YYYY-MM-DD (a period cannot be compared)."
    )
    label: str | None = Field(None, description="How the rationale names the fact, in plain English.")


class AllOf(_Strict):
    """Holds when every condition holds."""

    all_of: list[Condition] = Field(min_length=1)


class AnyOf(_Strict):
    """Holds when at least one condition holds."""

    any_of: list[Condition] = Field(min_length=1)


class Not(_Strict):
    """Holds when the condition does not."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    not_: Condition = Field(alias="not")


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for key, tag in (
            ("standards", "rating"),
            ("field", "field"),
            ("all_of", "all_of"),
            ("any_of", "any_of"),
            ("not", "not"),
        ):
            if key in value:
                return tag
        return None
    tags: dict[type, str] = {
        RatingCondition: "rating",
        FieldCondition: "field",
        AllOf: "all_of",
        AnyOf: "any_of",
        Not: "not",
    }
    return tags.get(type(value))


Condition = Annotated[
    Annotated[RatingCondition, Tag("rating")]
    | Annotated[FieldCondition, Tag("field")]
    | Annotated[AllOf, Tag("all_of")]
    | Annotated[AnyOf, Tag("any_of")]
    | Annotated[Not, Tag("not")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition_kind",
        custom_error_message="a condition needs one of the keys: standards, field, all_of, any_of, not",
    ),
]


class ThresholdRule(_Strict):
    """A grade and the condition under which an audit gets it. The first rule that holds decides."""

    grade: Id
    summary: str | None = Field(None, description="The rule in plain English; quoted in the rationale.")
    when: Condition | None = None
    otherwise: bool = Field(False, description="`true` for a last rule that always holds.")
    reading: Reading | None = Field(
        None, description="Where the rule is a reading of the source, not its words (not shown in reports)."
    )

    @model_validator(mode="after")
    def _when_or_otherwise(self) -> ThresholdRule:
        if (self.when is None) == (not self.otherwise):
            raise ValueError("a threshold rule needs either 'when' or 'otherwise: true'")
        return self


class EscalationRule(_Strict):
    """An escalation: when an audit must be escalated, who is told, and how soon each step is due.

    The rule holds when the audit's grade is one of ``grades`` and ``when`` holds; give either or
    both. The grade is the most severe of the grade the ratings give, the grade the auditor
    recorded and the moderator's grade, so a safety signal is never missed; ``when`` is a
    condition as in threshold rules (ratings and fields, such as immediate safeguarding actions).
    ``route`` lists the roles told, each recorded in the audit's ``escalation:`` with the date
    they were told; ``raise_to: ROLE`` is the same as a route of one role. ``qaimpact
    escalations`` lists every audit for which a rule holds, with its state (not raised, raised,
    acknowledged, outcome recorded, closed), its age in days and what is overdue.
    """

    id: Id
    title: Text = Field(description="What the escalation is, e.g. `Case escalation`.")
    route: list[Text] | None = Field(
        None,
        min_length=1,
        description="The roles told, e.g. `[Case responsible worker, Team manager, Head of "
        "Service]`; give `route` or `raise_to`.",
    )
    raise_to: Text | None = Field(
        None, description="One role, e.g. `Head of Service`: the same as a route of that role alone."
    )
    grades: list[Id] | None = Field(None, min_length=1, description="The audit grades that call for it.")
    when: Condition | None = Field(None, description="A condition on the audit, as in threshold rules.")
    within_days: int = Field(
        0,
        ge=0,
        description="Days after the review date (or the moderation that called for it) by which "
        "every role on the route is told (0: the same day).",
    )
    acknowledge_within_days: int | None = Field(
        None,
        ge=0,
        description="Days after it is raised by which it must be acknowledged (leave out: no limit).",
    )
    outcome_within_days: int | None = Field(
        None,
        ge=0,
        description="Days after it is raised by which the outcome for the child (what was done, "
        "and the date the case was confirmed safe) must be recorded (leave out: no limit).",
    )
    summary: str | None = Field(None, description="The rule in plain English, with its source.")
    reading: Reading | None = Field(
        None, description="Where the route, time limit or condition is a reading of the source."
    )

    @model_validator(mode="after")
    def _grades_or_when(self) -> EscalationRule:
        if self.grades is None and self.when is None:
            raise ValueError("an escalation rule needs 'grades', 'when' or both")
        if self.route is None and self.raise_to is None:
            raise ValueError("an escalation rule needs 'route' (the roles told) or 'raise_to' (one role)")
        if self.route is not None and self.raise_to is not None:
            raise ValueError("an escalation rule gives 'route' or 'raise_to', not both")
        return self

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles on the route, in the order the standards file gives them."""
        return tuple(self.route) if self.route is not None else (str(self.raise_to),)


class RemedialActions(_Strict):
    """Remedial actions: audits list ``remedial_actions`` with an owner, a due date and a status.

    ``notify`` names the audit keys holding the people each action is communicated to (for the
    council: the case responsible worker, `practitioner`, and their `team_manager`).
    """

    notify: list[Text] = Field(
        default_factory=list, description="Audit keys naming who is told of each action."
    )


class Comparison(_Strict):
    """A grade scale shared with other frameworks, so that grades compare across frameworks.

    Frameworks that name the same ``scale`` with the same ``levels`` can be compared: moderation
    across frameworks, and re-audits recorded against a newer framework, use the levels, never
    the grade labels. ``grades`` maps each of this framework's grades to a level; a grade not
    named maps to the level with the same id.
    """

    scale: Id = Field(description="The name of the shared scale, e.g. `ofsted`.")
    levels: list[Id] = Field(min_length=2, description="The shared levels, best first.")
    grades: dict[Id, Id] = Field(default_factory=dict, description="This framework's grade: its level.")
    reading: Reading | None = Field(
        None, description="Where placing the grades on the shared scale is a reading of the source."
    )


class StandardMapping(_Strict):
    """Where an old standard goes in this framework: exactly one of the four keys.

    ``to``: renamed or moved (its rating is mapped through ``ratings``); ``merge_into``: several old
    standards become one, combined by ``combine`` (``worst`` or ``best`` rating); ``split_into``:
    one old standard becomes several, which needs a reviewer's judgement unless ``copy_rating``;
    ``retire``: the standard no longer exists, so a rating on it would be lost.
    """

    to: Id | None = None
    merge_into: Id | None = None
    combine: Literal["worst", "best"] = "worst"
    split_into: list[Id] | None = None
    copy_rating: bool = Field(False, description="A split gives each new standard the old rating.")
    retire: bool = False

    @model_validator(mode="after")
    def _exactly_one(self) -> StandardMapping:
        chosen = [self.to is not None, self.merge_into is not None, self.split_into is not None, self.retire]
        if sum(chosen) != 1:
            raise ValueError("a standard mapping needs exactly one of to, merge_into, split_into, retire")
        return self


class Migration(_Strict):
    """How audits of an older framework (``from``) map onto this one, declared as data.

    Standards not named in ``standards`` keep their id. ``ratings`` and ``grades`` map the old
    scales onto this framework's (ids not named stay the same); ``keys`` renames other audit keys
    by dotted path (``case.ecms_number: case.case_reference``), and ``drop`` lists old keys
    that no longer exist (dropping a filled-in key loses information, so it needs ``--force``).
    Both name a field of a record as ``records.KIND.FIELD`` (``records.feedback.channel``); a
    record's field is renamed within its kind.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    from_: FrameworkId = Field(alias="from", description="The id of the older framework.")
    standards: dict[Id, StandardMapping | Id] = Field(
        default_factory=dict, description="Old standard id: a new id (renamed), or a mapping."
    )
    ratings: dict[Id, Id] = Field(default_factory=dict)
    grades: dict[Id, Id] = Field(default_factory=dict)
    keys: dict[str, str] = Field(default_factory=dict)
    drop: list[str] = Field(default_factory=list)


class StandardsFile(_Strict):
    """A framework: its standards, scales, audit sections and threshold rules."""

    format: Literal[1] = Field(description="The version of this file format; always 1 for now.")
    id: FrameworkId
    version: Text
    title: Text
    short_title: Annotated[str, Field(min_length=1, max_length=12)] | None = Field(
        None,
        description="The framework's name where room is short, as the service shortens it (`Cafcass`, "
        "`CCC`): a workbook holding several frameworks starts each sheet's name with it (`CCC "
        "grades`). 12 characters at most; by default the initials of the title's capitalised words.",
    )
    publisher: str | None = None
    source: str | None = None
    description: str | None = None
    case_fields: dict[Id, FieldSpec] = Field(default_factory=dict, description="Keys under `case:`.")
    extra_fields: dict[Id, FieldSpec] = Field(
        default_factory=dict, description="Further top-level audit keys."
    )
    grades: Grades
    ratings: list[Level] = Field(min_length=2, description="The per-standard rating scale, best first.")
    groups: list[Group] = Field(min_length=1)
    domains: list[Domain] | None = None
    learning: Learning | None = None
    added_value: AddedValue | None = None
    immediate_actions: ImmediateActions | None = None
    audit_types: list[AuditType] | None = None
    remedial_actions: bool | RemedialActions = Field(
        False,
        description="Whether audits may carry `remedial_actions` (`true`, or who is told of each).",
    )
    feedback: list[Id] | None = Field(None, description="The keys allowed under `feedback:`.")
    evidence: Evidence | None = Field(
        None,
        description="Ratings that are an error without `evidence:`; without this block, a rating "
        "below the top without evidence is a warning.",
    )
    thresholds: list[ThresholdRule] = Field(min_length=1)
    case_id: Id | None = Field(
        None,
        description="The case field that identifies a case (re-audits, double-marking, "
        "sampling and the case links of records match cases by it).",
    )
    audit_ids: AuditIds | None = Field(
        None,
        description="How the service numbers audits of this framework, so that `qaimpact new` "
        "takes an id only from a file name of that shape.",
    )
    escalations: list[EscalationRule] = Field(
        default_factory=list, description="When audits must be escalated, and to whom."
    )
    comparison: Comparison | None = Field(
        None, description="How this framework's grades sit on a scale shared with other frameworks."
    )
    migrations: list[Migration] = Field(
        default_factory=list, description="How audits of older frameworks map onto this one."
    )
    themes: list[Theme] | None = Field(
        None,
        description="The themes remedial actions and escalations may be given (`theme:` on each), "
        "analysed for recurring and unresolved issues.",
    )
    characteristics: dict[Id, FieldSpec] = Field(
        default_factory=dict,
        description="Case characteristics audits may record under `characteristics:` (legal status, "
        "age band, ...); the summary breaks grades down by each one recorded.",
    )
    records: dict[Id, RecordKind] = Field(
        default_factory=dict,
        description="Kinds of record besides the audit (`kind: ID` in the file), each with its fields.",
    )
    agreements: list[Agreement] = Field(
        default_factory=list,
        description="Facts of an audit that must agree (a legal status of `child_in_care` and "
        "`case.child_in_care: true`): an audit that records one and contradicts the other is QA319.",
    )


NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class ReadingOf:
    """A reading of the source, with what it qualifies and the rule as the framework states it."""

    what: str
    rule: str
    reading: Reading


def _fields_named(value: Any) -> set[str]:
    """Every ``field: NAME`` anywhere in a dumped standards file."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "field" and isinstance(item, str):
                found.add(item)
            else:
                found |= _fields_named(item)
    elif isinstance(value, list | tuple):
        for item in value:
            found |= _fields_named(item)
    return found


def _compared(value: Any, found: dict[str, list[Any]]) -> None:
    """Each ``{field: NAME, equals: VALUE}`` anywhere in a dumped standards file, into ``found``."""
    if isinstance(value, dict):
        name = value.get("field")
        if isinstance(name, str) and "equals" in value:
            values = found.setdefault(name, [])
            if value["equals"] not in values:
                values.append(value["equals"])
        for key, item in value.items():
            if key != "field":
                _compared(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _compared(item, found)


class Framework:
    """A checked standards file with the look-ups the models, rules and engine need."""

    def __init__(self, spec: StandardsFile, source: str) -> None:
        self.spec = spec
        self.source = source
        #: The framework id audits name in `standards:` (an attribute, not a property: reports
        #: compare it for every audit they count, hundreds of thousands of times).
        self.id: str = spec.id

    @property
    def short_title(self) -> str:
        """The framework's name where room is short: its ``short_title``, else :func:`initials`
        of its title."""
        return self.spec.short_title or initials(self.spec.title)

    @cached_property
    def standards(self) -> dict[str, StandardSpec]:
        """Every standard by id, in file order."""
        return {s.id: s for g in self.spec.groups for s in g.standards}

    @cached_property
    def fields_read(self) -> frozenset[str]:
        """Every audit field the framework's rules read, dotted (``case.child_in_care``): each
        ``field:`` of its thresholds, escalations, ``applies_when`` and other conditions."""
        return frozenset(_fields_named(self.spec.model_dump()))

    @cached_property
    def values_compared(self) -> dict[str, tuple[Any, ...]]:
        """Each audit field the framework's rules read, dotted, with every value a rule compares it
        with (``equals:``), in file order: a rule's condition on the field can only tell those
        values apart, and any other value from them all."""
        found: dict[str, list[Any]] = {}
        _compared(self.spec.model_dump(), found)
        return {name: tuple(values) for name, values in found.items()}

    @cached_property
    def group_of(self) -> dict[str, str]:
        """The group id of each standard id."""
        return {s.id: g.id for g in self.spec.groups for s in g.standards}

    @cached_property
    def rating_rank(self) -> dict[str, int]:
        """0 for the best rating, 1 for the next, ..."""
        return {r.id: i for i, r in enumerate(self.spec.ratings)}

    @cached_property
    def grade_rank(self) -> dict[str, int]:
        """0 for the best grade, 1 for the next, ..."""
        return {g.id: i for i, g in enumerate(self.spec.grades.scale)}

    @cached_property
    def rating_labels(self) -> dict[str, str]:
        """Each rating's label, plus one for not_applicable."""
        labels = {r.id: r.label for r in self.spec.ratings}
        labels[NOT_APPLICABLE] = "Not applicable"
        return labels

    @cached_property
    def development_rank(self) -> int:
        """Ratings ranked below this are learning to develop: below the rating named like the
        'good or better' grade when the scale has one, else below the top rating."""
        return self.rating_rank.get(self.spec.grades.good_or_better, 0)

    def is_good_or_better(self, grade: str) -> bool:
        """Whether a grade is at or above the 'good or better' line."""
        return self.grade_rank[grade] <= self.grade_rank[self.spec.grades.good_or_better]

    @cached_property
    def evidence_required(self) -> frozenset[str]:
        """The ratings that are an error (QA317), not a warning (QA403), without evidence."""
        evidence = self.spec.evidence
        return frozenset(evidence.required_for) if evidence is not None else frozenset()

    @cached_property
    def theme_labels(self) -> dict[str, str]:
        """Each theme's label, by id, in file order (empty without ``themes:``)."""
        return {t.id: t.label for t in self.spec.themes or ()}

    @cached_property
    def grade_labels(self) -> dict[str, str]:
        """Each grade's label."""
        return {g.id: g.label for g in self.spec.grades.scale}

    @cached_property
    def point_area(self) -> dict[str, list[str]]:
        """The learning areas each learning point id appears in (a point may be in several)."""
        found: dict[str, list[str]] = {}
        if self.spec.learning:
            for area in self.spec.learning.areas:
                for point in area.points:
                    found.setdefault(point.id, []).append(area.id)
        return found

    @cached_property
    def comparison_level(self) -> dict[str, str]:
        """Each grade's level on the shared comparison scale (empty without one)."""
        comparison = self.spec.comparison
        if comparison is None:
            return {}
        return {g: comparison.grades.get(g, g) for g in self.grade_rank}

    def comparison_key(self) -> tuple[str, tuple[str, ...]] | None:
        """The shared scale's name and levels: frameworks with equal keys compare."""
        comparison = self.spec.comparison
        return (comparison.scale, tuple(comparison.levels)) if comparison else None

    @cached_property
    def remedial_notify(self) -> list[str]:
        """The audit keys naming who is told of each remedial action."""
        actions = self.spec.remedial_actions
        return list(actions.notify) if isinstance(actions, RemedialActions) else []

    def readings(self) -> list[ReadingOf]:
        """Every reading of the source in the framework, in file order, with what it qualifies.

        Readings given (by a YAML alias) to several grades or ratings at once are listed once,
        naming them all.
        """
        spec = self.spec
        found: list[ReadingOf] = []

        def add(what: str, rule: str, reading: Reading | None) -> None:
            if reading is not None:
                found.append(ReadingOf(what, " ".join(rule.split()), reading))

        def levels(kind: str, items: list[Level]) -> None:
            groups: dict[Reading, list[Level]] = {}
            for level in items:
                if level.reading is not None:
                    groups.setdefault(level.reading, []).append(level)
            for reading, members in groups.items():
                names = ", ".join(m.label for m in members)
                described = " ".join(f"{m.label}: {_sentence(m.descriptor)}" for m in members if m.descriptor)
                add(f"{kind} and their descriptors: {names}", described, reading)

        for where, fields in (("case", spec.case_fields), (None, spec.extra_fields)):
            for name, field in fields.items():
                key = f"{where}.{name}" if where else name
                add(f"Field `{key}`", field.description or field.label or key, field.reading)
        levels("Grades", spec.grades.scale)
        levels("Ratings", spec.ratings)
        if spec.learning is not None:
            links = dict.fromkeys(
                f"{p.label}: {', '.join(p.standards) or 'none'}."
                for area in spec.learning.areas
                for p in area.points
            )
            add("Learning points' links to standards", " ".join(links), spec.learning.reading)
        if spec.evidence is not None:
            needed = [self.rating_labels.get(r, r).lower() for r in spec.evidence.required_for]
            listed = ", ".join(needed[:-1]) + " or " + needed[-1] if len(needed) > 1 else needed[0]
            stated = f"A standard rated {listed} without its evidence is an error (QA317)."
            add("Evidence required", stated, spec.evidence.reading)
        groups: dict[Reading, list[Theme]] = {}
        for theme in spec.themes or ():
            if theme.reading is not None:
                groups.setdefault(theme.reading, []).append(theme)
        for reading, members in groups.items():
            add(
                "Themes of remedial actions and escalations",
                ", ".join(m.label for m in members) + ".",
                reading,
            )
        for number, rule in enumerate(spec.thresholds, 1):
            label = self.grade_labels.get(rule.grade, rule.grade)
            when = "no earlier rule holds" if rule.when is None else self.condition_text(rule.when)
            add(f"Threshold rule {number} ({label})", f"{label} when {when}.", rule.reading)
        for route in spec.escalations:
            what = f"Escalation rule `{route.id}` ({route.title} to {and_list(route.roles)})"
            add(what, route.summary or "", route.reading)
        if spec.comparison is not None:
            placed = [f"{self.grade_labels[g]} at {level}" for g, level in self.comparison_level.items()]
            mapping = "Grades sit on the shared levels: " + ", ".join(placed) + "."
            add(f"Comparison on the `{spec.comparison.scale}` scale", mapping, spec.comparison.reading)
        return found

    def condition_text(self, cond: Condition) -> str:
        """A condition in words, as the readings show a rule (``any standard rated inadequate``)."""
        if isinstance(cond, RatingCondition):
            ratings = self.rating_labels
            if cond.rated is not None:
                rated = ratings.get(cond.rated, cond.rated).lower()
            elif cond.rated_at_least is not None:
                rated = ratings.get(cond.rated_at_least, cond.rated_at_least).lower() + " or better"
            elif cond.rated_at_most is not None:
                rated = ratings.get(cond.rated_at_most, cond.rated_at_most).lower() + " or worse"
            else:
                rated = " or ".join(ratings.get(r, r).lower() for r in cond.rated_in or ())
            titles = {g.id: g.title.lower() for g in self.spec.groups}
            scope = (
                ""
                if cond.standards == "all"
                else " of " + " and ".join(titles.get(i, f"'{i}'") for i in cond.standards)
            )
            if cond.count == "all":
                return f"every standard{scope} is rated {rated}"
            if cond.count == "none":
                return f"no standard{scope} is rated {rated}"
            if cond.count == "any":
                return f"any standard{scope} is rated {rated}"
            bound, n = ("at least", cond.at_least) if cond.at_least is not None else ("at most", cond.at_most)
            noun, verb = ("standard", "is") if n == 1 else ("standards", "are")
            return f"{bound} {n} {noun}{scope} {verb} rated {rated}"
        if isinstance(cond, FieldCondition):
            return (cond.label or f"{cond.field} is {cond.equals}").rstrip(".").lower()
        if isinstance(cond, AllOf):
            return " and ".join(self.condition_text(c) for c in cond.all_of)
        if isinstance(cond, AnyOf):
            return ", or ".join(self.condition_text(c) for c in cond.any_of)
        return f"it is not the case that {self.condition_text(cond.not_)}"

    def expand(self, ids: list[str] | Literal["all"]) -> list[str]:
        """Turn a list of group and standard ids (or ``all``) into standard ids, in file order."""
        if ids == "all":
            return list(self.standards)
        wanted: set[str] = set()
        for ident in ids:
            group = next((g for g in self.spec.groups if g.id == ident), None)
            if group is not None:
                wanted.update(s.id for s in group.standards)
            else:
                wanted.add(ident)
        return [s for s in self.standards if s in wanted]


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."

"""Write a blank audit for a framework: every key in order, guidance as comments, placeholders.

Every value the auditor must write is the placeholder ``TODO``, which validation reports
(``QA210``) until it is replaced, so an unfinished audit can never pass. Each standard carries its
considerations and descriptors as comments beside it, and each choice its allowed values.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable

from qaimpact.models.audit import PLACEHOLDER
from qaimpact.models.standard import FieldSpec, Framework, StandardSpec

_WIDTH = 96
#: Comments wrap at this many characters at least, however long the label or id before them.
_MIN_WIDTH = 40


def _quote(value: str) -> str:
    # JSON strings are valid YAML double-quoted scalars: safe for any name a user passes.
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str, indent: str, first: str = "", rest: str = "  ") -> list[str]:
    words = " ".join(text.split())
    wrapped = textwrap.wrap(words, max(_MIN_WIDTH, _WIDTH - len(indent) - 2 - len(first))) or [""]
    return [f"{indent}# {first}{wrapped[0]}".rstrip()] + [f"{indent}# {rest}{line}" for line in wrapped[1:]]


def _field_line(name: str, spec: FieldSpec, indent: str, value: str | None = None) -> list[str]:
    if value is not None:
        shown = value
    elif spec.type == "date_range":
        shown = f"{{from: {PLACEHOLDER}, to: {PLACEHOLDER}}}"
    elif spec.required or spec.type == "boolean":
        shown = PLACEHOLDER
    else:
        shown = "null"
    note = _field_note(spec)
    return [f"{indent}{name}: {shown}" + (f"  # {note}" if note else "")]


def _field_note(spec: FieldSpec) -> str:
    if spec.type == "choice":
        return " | ".join(spec.choice_ids)
    hints = {
        "boolean": "true or false",
        "date": "YYYY-MM-DD",
        "date_range": "YYYY-MM-DD to YYYY-MM-DD",
        "integer": "a whole number",
    }
    parts = [hints.get(spec.type, "")]
    if spec.description:
        parts.append(spec.description)
    return "; ".join(p for p in parts if p)


def _standard(fw: Framework, std: StandardSpec) -> list[str]:
    lines = [""]
    lines += _comment(std.title.rstrip("."), "  ", f"{std.number}. " if std.number else "")
    if std.text:
        lines += _comment(std.text, "  ")
    if std.considerations:
        lines.append("  # Consider:")
        for item in std.considerations:
            lines += _comment(item, "  ", "- ", "    ")
    for rating, text in std.descriptors.items():
        lines += _comment(text, "  ", f"{fw.rating_labels.get(rating, rating)}: ")
    if std.example_learning:
        lines += _comment(std.example_learning, "  ", "Example learning: ")
    scale = " | ".join(fw.rating_rank)
    if std.applies_when is not None:
        scale += (
            f" (not_applicable unless {std.applies_when.field} is {str(std.applies_when.equals).lower()})"
        )
    lines.append(f"  {std.id}:")
    lines.append(f"    rating: {PLACEHOLDER}  # {scale}")
    for name, spec in std.fields.items():
        lines += _field_line(name, spec, "    ")
    lines.append(f"    evidence: {PLACEHOLDER}")
    return lines


def scaffold_audit(
    fw: Framework,
    *,
    practitioner: str | None = None,
    reviewer: str | None = None,
    case_ref: str | None = None,
    schema_ref: str | None = None,
    audit_id: str | None = None,
    team: str | None = None,
) -> str:
    """The text of a blank audit for ``fw``; names given are filled in, the rest are placeholders.

    ``case_ref`` goes in the framework's ``case_id`` field (else its first personal text case field),
    and ``team`` in a text field named ``team``, under ``case:`` or at the top level.
    """
    spec = fw.spec
    lines: list[str] = []
    if schema_ref:
        lines.append(f"# yaml-language-server: $schema={schema_ref}")
    lines += _comment(f"An audit recorded against {spec.title} ({spec.id}, version {spec.version}).", "")
    lines += _comment(
        f"Replace every {PLACEHOLDER}; `qaimpact validate FILE` lists those left. "
        f"Ratings: {', '.join(f'{r.id} ({r.label})' for r in spec.ratings)}.",
        "",
    )
    lines.append(f"standards: {spec.id}")
    lines.append(f"audit_id: {_quote(audit_id) if audit_id else PLACEHOLDER}")
    if spec.audit_types:
        lines.append(f"audit_type: {PLACEHOLDER}  # " + " | ".join(t.id for t in spec.audit_types))
        lines.append("theme: null  # the theme of a themed audit or dip sample")
    lines.append("case:")
    identifier = spec.case_id or next(
        (k for k, f in spec.case_fields.items() if f.personal and f.type == "text"), None
    )
    for name, field in spec.case_fields.items():
        given = _quote(case_ref) if case_ref and name == identifier else _team(name, field, team)
        lines += _field_line(name, field, "  ", given)
    if spec.characteristics:
        lines += _comment(
            "The case's characteristics (optional): the summary breaks grades down by each.", ""
        )
        lines.append("characteristics:")
        for name, field in spec.characteristics.items():
            # Optional, yes/no answers too: nothing the auditor must write, so no placeholder.
            lines += _field_line(name, field, "  ", "null")
    lines.append(f"practitioner: {_quote(practitioner) if practitioner else PLACEHOLDER}")
    dated = {k: f for k, f in spec.extra_fields.items() if f.type in ("date", "date_range")}
    for name, field in spec.extra_fields.items():
        if name not in dated:
            lines += _field_line(name, field, "", _team(name, field, team))
    lines.append(f"reviewer: {_quote(reviewer) if reviewer else PLACEHOLDER}")
    lines.append(f"review_date: {PLACEHOLDER}  # YYYY-MM-DD")
    for name, field in dated.items():
        lines += _field_line(name, field, "")
    for group in spec.groups:
        lines.append("")
        lines += _comment(group.title, "")
        lines.append(f"{group.id}:")
        for std in group.standards:
            lines += _standard(fw, std)
    lines += _sections(fw)
    lines.append("")
    grades = " | ".join(fw.grade_rank)
    lines.append(
        f"{spec.grades.key}: null  # {grades}: qaimpact computes the grade and warns if yours differs"
    )
    lines.append(f"rationale: {PLACEHOLDER}")
    return "\n".join(lines) + "\n"


def _team(name: str, field: FieldSpec, team: str | None) -> str | None:
    return _quote(team) if team and name == "team" and field.type == "text" else None


def _choices(ids: Iterable[str]) -> str:
    return " | ".join(ids)


def _sections(fw: Framework) -> list[str]:
    spec = fw.spec
    lines: list[str] = []
    if spec.remedial_actions:
        lines += ["", "# Remedial actions: - {action: ..., owner: ..., due: YYYY-MM-DD, status: open}"]
        lines.append("remedial_actions: []")
    if spec.feedback:
        lines += ["", "feedback:"] + [f"  {key}: null" for key in spec.feedback]
    if spec.domains:
        lines += ["", "# Evidence of good practice: tick the indicators by domain and comment.", "domains:"]
        for dom in spec.domains:
            lines.append(f"  {dom.id}:")
            lines += _comment(_choices(i.id for i in dom.indicators), "    ", "indicators: ", "  ")
            lines.append("    indicators: []")
            lines.append("    comment: null")
    if spec.learning:
        lines += [""]
        lines += _comment(
            f"Learning actions: up to {spec.learning.max_points} critical points, "
            "each as - {area: ..., points: [...], comment: ...}.",
            "",
        )
        for area in spec.learning.areas:
            lines += _comment(_choices(p.id for p in area.points), "", f"{area.id}: ", "  ")
        lines.append("learning_actions: []")
    if spec.immediate_actions:
        ia = spec.immediate_actions
        lines += [""]
        lines += _comment(f"{ia.label}" + (f": {ia.description}" if ia.description else ""), "")
        lines += [f"{ia.key}:", f"  required: {PLACEHOLDER}  # true or false", "  comment: null"]
    if spec.added_value:
        lines += [""]
        lines += _comment(_choices(c.id for c in spec.added_value.categories), "", "added value: ", "  ")
        lines += ["added_value: []", "added_value_comment: null"]
    return lines


def scaffold_record(
    fw: Framework,
    kind: str,
    *,
    practitioner: str | None = None,
    case_ref: str | None = None,
    schema_ref: str | None = None,
    record_id: str | None = None,
) -> str:
    """The text of a blank record of ``kind`` (declared in the framework's ``records:``).

    ``practitioner`` goes in a text field named ``practitioner``, ``case_ref`` in the kind's
    ``case_link`` field; every other value the author must write is the placeholder.
    """
    spec = fw.spec
    declared = spec.records[kind]
    lines: list[str] = []
    if schema_ref:
        lines.append(f"# yaml-language-server: $schema={schema_ref}")
    lines += _comment(f"A {declared.label.lower()} recorded against {spec.title} ({spec.id}).", "")
    if declared.description:
        lines += _comment(declared.description, "")
    if declared.guidance:
        lines += _comment(declared.guidance, "")
    lines += _comment(f"Replace every {PLACEHOLDER}; `qaimpact validate FILE` lists those left.", "")
    lines.append(f"kind: {kind}")
    lines.append(f"standards: {spec.id}")
    lines.append(f"record_id: {_quote(record_id) if record_id else PLACEHOLDER}")
    for name, field in declared.fields.items():
        given = None
        if practitioner and name == "practitioner" and field.type == "text":
            given = _quote(practitioner)
        elif case_ref and name == declared.case_link:
            given = _quote(case_ref)
        if field.type == "ratings":
            lines += _ratings_lines(fw, name, field)
            continue
        if field.type == "learning_links":
            lines += _links_lines(fw, name, field)
            continue
        lines += _field_line(name, field, "", given)
    return "\n".join(lines) + "\n"


def _links_lines(fw: Framework, name: str, field: FieldSpec) -> list[str]:
    from qaimpact.models.kinds import learning_point_ids

    what = "learning point" if fw.spec.learning else "standard rated below good"
    lines = [""]
    lines += _comment(
        f"{field.label or name}: one line per audit and {what} followed up, "
        "- {audit: AUDIT_ID, point: ...}, the point one of: " + " | ".join(learning_point_ids(fw)) + ".",
        "",
    )
    lines.append(f"{name}:")
    lines.append(f"  - {{audit: {PLACEHOLDER}, point: {PLACEHOLDER}}}")
    lines.append("")
    return lines


def _ratings_lines(fw: Framework, name: str, field: FieldSpec) -> list[str]:
    scale = " | ".join(fw.rating_rank)
    lines = [""]
    lines += _comment(
        f"{field.label or name}: replace {PLACEHOLDER} with the standards the observation showed, "
        "one per line (copy them from the list below, indented by two spaces), each with a "
        f"rating ({scale}) and what was seen. Leave out the standards it did not show.",
        "",
    )
    lines.append(f"{name}: {PLACEHOLDER}" if field.required else f"{name}: null")
    for std in fw.standards.values():
        lines.append(
            f"#   {std.id}: {{rating: {PLACEHOLDER}, evidence: {PLACEHOLDER}}}  # {std.title.rstrip('.')}"
        )
    lines.append("")
    return lines

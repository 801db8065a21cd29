"""Records of other kinds than the audit: pydantic models built from a framework's ``records:``.

A record names its kind in ``kind:`` (a file without ``kind:`` is an audit), its framework in
``standards:``, and has a ``record_id``; every other key is a field the standards file declares
for the kind, in the field-spec language of ``case_fields`` and ``extra_fields``, plus ``ratings``
(standards of the framework rated on its scale). Nothing here is written per kind: a service adds
or changes a kind in its standards file.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, Field

from qaimpact.models.audit import Text, _camel, _field, _model, _scale_help, standard_help
from qaimpact.models.standard import Framework, RecordFieldSpec, RecordKind

#: The keys every record has, whatever its kind: the declared fields follow them.
RECORD_KEYS = ("kind", "standards", "record_id")
#: The keys by which a file names itself an audit or a practice record, and what each says it
#: is, the most telling first: a record has ``record_id`` and ``standards``, an audit
#: ``standards`` and ``audit_id``, and a standards file none of them.
NAMING_KEYS: dict[str, str] = {
    "record_id": "a practice record",
    "standards": "an audit",
    "audit_id": "an audit",
}


def kind_of(data: Any) -> str | None:
    """The kind a file's data names (``None`` for an audit, which names none)."""
    if isinstance(data, dict) and "kind" in data:
        value = data["kind"]
        return value if isinstance(value, str) else str(value)
    return None


def record_kind(framework: Framework, kind: str) -> RecordKind:
    """The declaration of a kind the framework has (the caller has checked that it has it)."""
    return framework.spec.records[kind]


@lru_cache(maxsize=64)
def record_model(framework: Framework, kind: str) -> type[BaseModel]:
    """The pydantic model that validates records of ``kind`` under ``framework`` (cached)."""
    spec = framework.spec
    declared = record_kind(framework, kind)
    name = _camel(spec.id) + _camel(kind)
    fields: dict[str, Any] = {
        "kind": (Literal[(kind,)], Field(description=f"The kind of record: {declared.label}.")),
        "standards": (Literal[(spec.id,)], Field(description=f"The framework: {spec.title}.")),
        "record_id": (Text, Field(description=f"A unique id for this {declared.label.lower()}.")),
    }
    for key, field in declared.fields.items():
        fields[key] = _record_field(framework, field, f"{name}{_camel(key)}")
    return _model(f"{name}Record", fields, declared.description or declared.label, title=declared.label)


def link_fields(declared: RecordKind, data: dict[str, Any]) -> dict[str, Any]:
    """What following a record's links to audits reads of it, taken from a record that may not be
    valid: its case (``case_link``) and each learning link (``type: learning_links``), where they
    are text. Anything else is left out, as the record's own findings name it; an item of a list
    of links that is not a link is ``None``, so that the others keep their place (and number)."""
    kept: dict[str, Any] = {}
    link = declared.case_link
    if link is not None and isinstance(data.get(link), str):
        kept[link] = data[link]
    for name, field in declared.fields.items():
        items = data.get(name)
        if field.type != "learning_links" or not isinstance(items, list):
            continue
        kept[name] = [
            {key: item[key] for key in ("audit", "point") if isinstance(item.get(key), str)}
            if isinstance(item, dict) and isinstance(item.get("audit"), str)
            else None
            for item in items
        ]
    return kept


def learning_point_ids(framework: Framework) -> list[str]:
    """What a learning link's ``point`` may name: the learning points, else the standards."""
    return list(framework.point_area) if framework.spec.learning else list(framework.standards)


def _record_field(framework: Framework, field: RecordFieldSpec, name: str) -> tuple[Any, Any]:
    if field.type == "learning_links":
        point: Any = Literal[tuple(learning_point_ids(framework))]
        what = "learning point" if framework.spec.learning else "standard rated below good"
        link: Any = _model(
            f"{name}Link",
            {
                "audit": (
                    Text,
                    Field(description="The audit_id of the audit whose learning is followed up."),
                ),
                "point": (point | None, Field(None, description=f"The {what} followed up.")),
            },
            "An audit and the learning it found that the record follows up.",
            title="Learning followed up",
        )
        description = field.description or field.label
        if field.required:
            return list[link], Field(min_length=1, description=description)
        return list[link], Field(default_factory=list, description=description)
    if field.type != "ratings":
        return _field(field)
    entries: dict[str, Any] = {}
    rating: Any = Literal[tuple(framework.rating_rank)]
    for std in framework.standards.values():
        help_text = standard_help(framework, std)
        entry = _model(
            f"{name}{_camel(std.id)}",
            {
                "rating": (
                    rating,
                    Field(title="Rating", description=_scale_help(framework) + "\n" + help_text),
                ),
                "evidence": (
                    str | None,
                    Field(None, title="Evidence", description="What was seen that supports the rating."),
                ),
            },
            help_text,
            title=std.title,
        )
        entries[std.id] = (entry | None, Field(None, title=std.title, description=help_text))
    # Editors show each block's title on hover: the field's label, never the model's class name.
    model = _model(name, entries, field.description or field.label, title=field.label or "Ratings")
    description = field.description or field.label
    if field.required:
        return model, Field(description=description)
    return model | None, Field(None, description=description)


def rated_standards(value: Any) -> dict[str, dict[str, Any]]:
    """The standards a ``ratings`` value rates, each with its rating and evidence (none left out)."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, dict) and v.get("rating")}


def record_path_names(framework: Framework, declared: RecordKind, path: list[Any]) -> list[str]:
    """Every name of a place in a record: :func:`describe_record_path`'s words, and for a standard
    rated in it its title as well (an auditor may write either as its key)."""
    words = describe_record_path(framework, declared, path)
    if words is None:
        return []
    field = declared.fields.get(path[0])
    std = framework.standards.get(str(path[1])) if len(path) == 2 else None
    if field is not None and field.type == "ratings" and std is not None:
        return list(std.names)
    return [words]


def describe_record_path(framework: Framework, declared: RecordKind, path: list[Any]) -> str | None:
    """Words for a path in a record, for messages: the field's label, or the standard's short name."""
    if not path or not isinstance(path[0], str):
        return None
    field = declared.fields.get(path[0])
    if field is None:
        return None
    if len(path) == 1:
        return field.label
    if field.type == "ratings" and len(path) == 2:
        std = framework.standards.get(str(path[1]))
        return std.short_name if std is not None else None
    return None

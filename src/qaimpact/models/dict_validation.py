"""Validate an audit or a record straight into the plain data its model dumps.

Checking a file validates its data with the pydantic model its framework builds
(:func:`~qaimpact.models.audit.audit_model`, :func:`~qaimpact.models.kinds.record_model`) and
keeps what the model dumps: a dict of dicts and lists, every default filled in, every key in the
model's order. Over 10,000 audits, making a model instance for each nested section only to dump
it again was a tenth of the time each file took to check (docs/performance.md).

:func:`validated_dict` gives the same dict in one step: the model's own core schema, with each
model in it read as a typed dict of the same fields (keyed as the model dumps them, with the same
defaults, config and order), compiled once per model into a validator that returns dicts. Where
the data is not valid, the model itself validates it again, so every finding comes from the model,
in its own words.

Only the kinds of schema the audit and record models are built of are read so: models and their
fields, text, numbers, yes-or-no, dates, choices, lists, values that may be null or have a
default, a model used in several places, and a validator given the raw value before a field that
holds no model (a date is never a number). A model holding anything else (a union, a dataclass,
a validator after a field or around it, a serializer, a computed or excluded field, alias
choices, a key that would read two fields) is always validated by the model:
:func:`dict_validator` gives ``None`` for it. ``tests/test_dict_validation.py`` holds the two
readings equal, value for value and key for key.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import SchemaError, SchemaValidator

#: The schemas of plain values, read alike by a model and a typed dict: copied as they are.
_LEAVES = frozenset(("str", "int", "float", "bool", "date", "literal", "none"))
#: Each kind of schema that holds others, and the keys that hold them.
_HOLDERS = {"list": "items_schema", "nullable": "schema", "default": "schema"}
#: The keys of a model's schema a typed dict reads alike (its class is not made, its config is
#: kept); a model with an ``__init__``, a root or a ``model_post_init`` of its own is refused.
_MODEL_KEYS = frozenset(("type", "cls", "schema", "config", "ref", "metadata", "generic_origin"))
_MODEL_FLAGS = ("custom_init", "root_model", "post_init")
_FIELDS_KEYS = frozenset(("type", "fields", "model_name", "computed_fields", "ref", "metadata"))
_FIELD_KEYS = frozenset(("type", "schema", "validation_alias", "serialization_alias", "frozen", "metadata"))
#: What a model's config says of the keys its fields are read under.
_ALIAS_CONFIG = frozenset(("validate_by_alias", "validate_by_name", "populate_by_name"))
#: The settings of a model's config a typed dict reads alike; a model with any other is refused.
_CONFIG_KEYS = _ALIAS_CONFIG | {"title", "extra_fields_behavior"}


class _Unlike(Exception):
    """A part of a model's schema that a typed dict would not read as the model does."""


def validated_dict(model: type[BaseModel], data: Any) -> dict[str, Any]:
    """``model.model_validate(data).model_dump(by_alias=True)``, read in one step where it can be.

    Raises the model's own :class:`~pydantic.ValidationError` for data the model refuses.
    """
    validator = dict_validator(model)
    if validator is not None:
        try:
            read: dict[str, Any] = validator.validate_python(data)
            return read
        except ValidationError:
            pass  # the model reads it again, and says what is wrong in its own words
    return model.model_validate(data).model_dump(by_alias=True)


@lru_cache(maxsize=128)
def dict_validator(model: type[BaseModel]) -> SchemaValidator | None:
    """The validator that reads data as ``model`` does into the dict it dumps, or ``None`` where
    the model's schema holds something a typed dict would read otherwise (built once a model:
    the workers that check files in parallel inherit those built before they start)."""
    try:
        return SchemaValidator(_as_dicts(dict(model.__pydantic_core_schema__)))
    except (_Unlike, SchemaError, LookupError, TypeError, AttributeError):
        # Whatever of the schema this does not read as expected (a release of pydantic that
        # writes it otherwise), the model reads: slower, never otherwise.
        return None


def _as_dicts(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with every model in it a typed dict of its fields; raises :class:`_Unlike`
    for a kind of schema not read alike, or not known."""
    if "serialization" in schema:
        raise _Unlike  # a serializer of its own: the dump is not the data validated
    kind = schema["type"]
    if kind in _LEAVES:
        return schema
    if kind == "model":
        return _typed_dict(schema)
    held = _HOLDERS.get(kind)
    if held is not None:
        return {**schema, held: _as_dicts(schema[held])}
    if kind == "definitions":  # a model used in several places, read through references to it
        return {
            **schema,
            "schema": _as_dicts(schema["schema"]),
            "definitions": [_as_dicts(definition) for definition in schema["definitions"]],
        }
    if kind == "definition-ref":
        return schema
    if kind == "function-before" and schema["function"]["type"] == "no-info":
        # Given the raw value before a field is validated: the same for a model and a typed dict,
        # unless what it returns becomes a model.
        if _holds_model(schema["schema"]):
            raise _Unlike
        return {**schema, "schema": _as_dicts(schema["schema"])}
    raise _Unlike


def _holds_model(schema: dict[str, Any]) -> bool:
    """Whether ``schema`` reads a model anywhere in it (a reference may name one)."""
    kind = schema.get("type")
    if kind in ("model", "definitions", "definition-ref"):
        return True
    return any(
        isinstance(value, dict) and "type" in value and _holds_model(value) for value in schema.values()
    )


def _typed_dict(model: dict[str, Any]) -> dict[str, Any]:
    """A model's schema as a typed dict of its fields, each keyed as the model dumps it."""
    inner = model["schema"]
    if (
        not model.keys() <= _MODEL_KEYS | set(_MODEL_FLAGS)
        or any(model.get(flag) for flag in _MODEL_FLAGS)
        or inner["type"] != "model-fields"
        or not inner.keys() <= _FIELDS_KEYS
        or inner.get("computed_fields")
    ):
        raise _Unlike
    config = model.get("config", {})
    if not config.keys() <= _CONFIG_KEYS:
        raise _Unlike
    # Whether a field is read under its alias, under its name, or both (pydantic 2.11 and later
    # say validate_by_name, earlier releases populate_by_name).
    by_alias = config.get("validate_by_alias", True)
    by_name = config.get("validate_by_name", config.get("populate_by_name", False))
    fields: dict[str, Any] = {}
    read: set[str] = set()
    for name, field in inner["fields"].items():
        if field["type"] != "model-field" or not field.keys() <= _FIELD_KEYS:
            raise _Unlike  # excluded from the dump, or some other kind of field
        alias = field.get("validation_alias")
        if alias is not None and not isinstance(alias, str):
            raise _Unlike  # alias choices or a path
        # The keys the model reads the field under, first first; and the one it dumps it under.
        keys = [alias] if alias is not None and by_alias else []
        if alias is None or by_name:
            keys.append(name)
        dumped = field.get("serialization_alias", name)
        if not keys or dumped in fields or read & set(keys):
            raise _Unlike  # a field no key reads, or one key for two fields
        read.update(keys)
        value = _as_dicts(field["schema"])
        typed: dict[str, Any] = {
            "type": "typed-dict-field",
            "schema": value,
            # A field with a default is filled in where it is missing, as the model fills it.
            "required": value["type"] != "default",
        }
        if keys != [dumped]:
            typed["validation_alias"] = [[key] for key in keys]
        fields[dumped] = typed
    # The keys each field is read under are given above: the config's own say would add to them.
    kept = {key: value for key, value in config.items() if key not in _ALIAS_CONFIG}
    typed_dict: dict[str, Any] = {"type": "typed-dict", "fields": fields, "config": kept}
    if "extra_fields_behavior" in config:
        typed_dict["extra_behavior"] = config["extra_fields_behavior"]
    if "ref" in model:
        typed_dict["ref"] = model["ref"]
    return typed_dict

"""Validate an audit or a record straight into the plain data its model dumps.

Checking a file validates its data with the pydantic model its framework builds
(:func:`~qaimpact.models.audit.audit_model`, :func:`~qaimpact.models.kinds.record_model`) and
keeps what the model dumps: a dict of dicts and lists, every default filled in, every key in the
model's order. Over 10,000 audits, making a model instance for each nested section only to dump
it again was a tenth of the time each file took to check (docs/performance.md).

:func:`validated_dict` gives the same dict in one step: the model's own core schema, with each model
in it read as a typed dict of the same fields (keyed as the model dumps them, with the same
validators, defaults, config and order), compiled once per model into a validator that returns
dicts. Where the data is not valid, the model itself validates it again, so every finding comes
from the model, in its own words. A model this cannot read alike (a validator or serializer of
the model's own, a computed or excluded field, an alias that is not one plain key) is always
validated by the model: :func:`dict_validator` gives ``None`` for it.
``tests/test_dict_validation.py`` holds the two readings equal, value for value and key for key.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import SchemaValidator

#: The keys of a model's core schema (pydantic 2.7 and later) that say nothing of its validation
#: beyond its fields, its config and its class, which a typed dict reads alike.
_MODEL_KEYS = frozenset(
    (
        "type",
        "cls",
        "schema",
        "custom_init",
        "root_model",
        "post_init",
        "config",
        "ref",
        "metadata",
        "generic_origin",
    )
)
_FIELDS_KEYS = frozenset(("type", "fields", "model_name", "computed_fields", "strict", "ref", "metadata"))
_FIELD_KEYS = frozenset(("type", "schema", "validation_alias", "serialization_alias", "frozen", "metadata"))


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
        schema = _as_dicts(model.__pydantic_core_schema__)
    except _Unlike:
        return None
    return SchemaValidator(schema)


def _as_dicts(schema: Any) -> Any:
    """``schema`` with every model in it a typed dict of its fields; raises :class:`_Unlike`."""
    if isinstance(schema, list):
        return [_as_dicts(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kind = schema.get("type")
    if "serialization" in schema:
        raise _Unlike  # a serializer of its own: the dump is not the data validated
    if kind == "model":
        return _typed_dict(schema)
    if isinstance(kind, str) and kind.startswith("function-"):
        function = schema.get("function", {})
        inner = schema.get("schema", {})
        # A validator given the model (after it), or the validated fields (with info), would be
        # given a dict instead.
        if function.get("type") != "no-info" or _holds_model(inner):
            raise _Unlike
    return {key: value if key in ("cls", "function") else _as_dicts(value) for key, value in schema.items()}


def _holds_model(schema: Any) -> bool:
    """Whether a validator around ``schema`` would be given a model (a model, or a model or None)."""
    while isinstance(schema, dict) and schema.get("type") in ("nullable", "default"):
        schema = schema.get("schema")
    return isinstance(schema, dict) and schema.get("type") in ("model", "definition-ref")


def _typed_dict(model: dict[str, Any]) -> dict[str, Any]:
    """A model's schema as a typed dict of its fields, each keyed as the model dumps it."""
    inner = model["schema"]
    if (
        not model.keys() <= _MODEL_KEYS
        or model.get("custom_init")
        or model.get("root_model")
        or model.get("post_init")
        or inner.get("type") != "model-fields"
        or not inner.keys() <= _FIELDS_KEYS
        or inner.get("computed_fields")
    ):
        raise _Unlike
    config = model.get("config", {})
    # Whether a field may be written under its name as well as its alias (pydantic 2.11 and later
    # say validate_by_name, earlier releases populate_by_name).
    by_name = config.get("validate_by_name", config.get("populate_by_name", False))
    fields: dict[str, Any] = {}
    for name, field in inner["fields"].items():
        if field.get("type") != "model-field" or not field.keys() <= _FIELD_KEYS:
            raise _Unlike  # excluded from the dump, or some other kind of field
        alias = field.get("validation_alias", name)
        if not isinstance(alias, str) or field.get("serialization_alias", alias) != alias:
            raise _Unlike  # read or dumped under another key than the one alias
        value = _as_dicts(field["schema"])
        typed: dict[str, Any] = {
            "type": "typed-dict-field",
            "schema": value,
            # A field with a default is filled in where it is missing, as the model fills it.
            "required": value.get("type") != "default",
        }
        if alias != name:
            # The alias first, as the model looks for it first.
            typed["validation_alias"] = [[alias], [name]] if by_name else alias
        fields[alias] = typed
    typed_dict: dict[str, Any] = {"type": "typed-dict", "fields": fields, "config": config}
    if "extra_fields_behavior" in config:
        typed_dict["extra_behavior"] = config["extra_fields_behavior"]
    if "ref" in model:
        typed_dict["ref"] = model["ref"]
    return typed_dict

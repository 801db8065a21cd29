"""An audit validated straight into dicts (``models/dict_validation.py``) reads as its model reads it.

``validated_dict`` stands in for ``model.model_validate(data).model_dump(by_alias=True)`` wherever
a file is checked, so the one property that matters is that the two never differ: the same
values, of the same types, under the same keys in the same order, for every file the model
accepts, and no file accepted that the model refuses. These tests hold them equal on every
YAML file bundled or used as test data, on mutated audits, and on the shapes where a typed dict
could read otherwise (a key written by its Python name, both spellings, a key unknown); and they
check that a model the typed dict cannot mirror is left to the model.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    computed_field,
    field_serializer,
    model_validator,
)

from fuzzing import AUDITS, mutate
from qaimpact.base.loader import LoadError, load_bytes
from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.models.audit import audit_model
from qaimpact.models.dict_validation import dict_validator, validated_dict
from qaimpact.models.kinds import record_model

ROOT = Path(__file__).resolve().parent.parent
#: Every YAML file bundled or kept as test data.
YAML_FILES = sorted(p for folder in ("examples", "tests/data") for p in (ROOT / folder).rglob("*.yaml"))


def _model(registry: Registry, data: Any) -> type[BaseModel] | None:
    """The model a file is checked with: its framework's audit model, or its kind's record model."""
    if not isinstance(data, dict) or not isinstance(data.get("standards"), str):
        return None
    framework = registry.get(data["standards"])
    if framework is None:
        return None
    kind = data.get("kind")
    if kind is None:
        return audit_model(framework)
    if isinstance(kind, str) and kind in framework.spec.records:
        return record_model(framework, kind)
    return None


def _by_model(model: type[BaseModel], data: Any) -> tuple[str, Any]:
    try:
        dumped = model.model_validate(data).model_dump(by_alias=True)
    except ValidationError as exc:
        return "refused", exc.errors(include_url=False)
    # repr: the same values of the same types, the keys in the same order (== ignores both).
    return "read", repr(dumped)


def _by_dicts(model: type[BaseModel], data: Any) -> tuple[str, Any]:
    validator = dict_validator(model)
    assert validator is not None
    try:
        read = validator.validate_python(data)
    except ValidationError:
        return "refused", None
    return "read", repr(read)


def _assert_alike(model: type[BaseModel], data: Any) -> None:
    by_model, by_dicts = _by_model(model, data), _by_dicts(model, data)
    assert by_dicts[0] == by_model[0]
    if by_model[0] == "read":
        assert by_dicts == by_model
    # What the checker keeps, whichever way it was read; and the model's own findings.
    try:
        kept: tuple[str, Any] = "read", repr(validated_dict(model, data))
    except ValidationError as exc:
        kept = "refused", exc.errors(include_url=False)
    assert kept == by_model


def _read(path: Path) -> Any:
    try:
        return load_bytes(path.read_bytes(), str(path)).data
    except LoadError:
        return None


#: Those that are an audit or a record of a bundled framework, valid or not.
_BUNDLED = Registry([bundled_dir()])
FILES = [path for path in YAML_FILES if _model(_BUNDLED, _read(path)) is not None]


def test_the_test_data_holds_audits_and_records_of_every_kind(registry: Registry) -> None:
    models = {_model(registry, _read(path)) for path in FILES}
    wanted = {audit_model(f) for f in registry.frameworks()}
    wanted |= {record_model(f, kind) for f in registry.frameworks() for kind in f.spec.records}
    assert models == wanted
    assert len(FILES) > 500


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_bundled_and_test_file_is_read_as_its_model_reads_it(registry: Registry, path: Path) -> None:
    data = _read(path)
    model = _model(registry, data)
    assert model is not None
    _assert_alike(model, data)


@given(seed=st.integers(0, 2**32 - 1), edits=st.sampled_from([1, 2, 3, 6]))
@settings(max_examples=300)
def test_mutated_audits_are_read_as_their_model_reads_them(registry: Registry, seed: int, edits: int) -> None:
    rng = random.Random(seed)
    data = _read_text(mutate(rng, rng.choice(AUDITS), most=edits))
    model = _model(registry, data)
    if model is not None:
        _assert_alike(model, data)


def _read_text(text: str) -> Any:
    try:
        return load_bytes(text.encode("utf-8"), "mutated.yaml").data
    except LoadError:
        return None


def _period_audit(registry: Registry) -> dict[str, Any]:
    """A valid audit of the council's framework: its period is a model whose 'from' is an alias."""
    data = _read(ROOT / "tests" / "data" / "valid" / "ccc-child-in-care.yaml")
    assert isinstance(data, dict)
    assert data["standards"] == "ccc-practice-standards"
    data["period_reviewed"] = {"from": "2026-01-05", "to": "2026-03-31"}
    return data


@pytest.mark.parametrize(
    "period",
    [
        {"from": "2026-01-05", "to": "2026-03-31"},
        # By the field's Python name, which the model takes too (populate_by_name).
        {"from_": "2026-01-05", "to": "2026-03-31"},
        {"from": "2026-01-05", "from_": "2026-01-06", "to": "2026-03-31"},
        {"to": "2026-03-31"},
        {"from": "2026-01-05", "to": "2026-03-31", "until": "2026-04-01"},
        {"from": 20260105, "to": "2026-03-31"},
        None,
    ],
)
def test_a_period_is_read_as_the_model_reads_it(registry: Registry, period: Any) -> None:
    data = _period_audit(registry)
    data["period_reviewed"] = period
    model = audit_model(registry.get("ccc-practice-standards"))  # type: ignore[arg-type]
    by_model = _by_model(model, data)
    by_dicts = _by_dicts(model, data)
    # A key written by its Python name may be left to the model; never read otherwise.
    assert by_dicts[0] == "refused" or by_dicts == by_model
    assert ("read", repr(validated_dict(model, data))) == by_model if by_model[0] == "read" else True
    if by_model[0] == "refused":
        with pytest.raises(ValidationError) as raised:
            validated_dict(model, data)
        assert raised.value.errors(include_url=False) == by_model[1]


def test_a_missing_section_is_filled_in_as_the_model_fills_it(registry: Registry) -> None:
    data = _period_audit(registry)
    for key in ("remedial_actions", "period_reviewed", "escalation", "moderation", "characteristics"):
        data.pop(key, None)
    model = audit_model(registry.get("ccc-practice-standards"))  # type: ignore[arg-type]
    read = validated_dict(model, data)
    assert read["remedial_actions"] == []
    assert read["period_reviewed"] is None
    _assert_alike(model, data)


def test_every_bundled_model_is_read_into_dicts(registry: Registry) -> None:
    for framework in registry.frameworks():
        assert dict_validator(audit_model(framework)) is not None
        for kind in framework.spec.records:
            assert dict_validator(record_model(framework, kind)) is not None


class _Plain(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str
    since: str | None = Field(None, alias="from")


class _Checked(_Plain):
    @model_validator(mode="after")
    def _named(self) -> _Checked:
        return self


class _Serialised(_Plain):
    @field_serializer("name")
    def _upper(self, value: str) -> str:
        return value.upper()


class _Excluded(_Plain):
    secret: str | None = Field(None, exclude=True)


class _Computed(_Plain):
    @computed_field  # type: ignore[prop-decorator]
    @property
    def initial(self) -> str:
        return self.name[:1]


class _Choices(BaseModel):
    name: str = Field(validation_alias=AliasChoices("name", "full_name"))


class _Nested(BaseModel):
    inner: _Checked


@pytest.mark.parametrize("model", [_Checked, _Serialised, _Excluded, _Computed, _Choices, _Nested])
def test_a_model_a_typed_dict_would_read_otherwise_is_left_to_the_model(model: type[BaseModel]) -> None:
    assert dict_validator(model) is None
    data = {"inner": {"name": "Ada"}} if model is _Nested else {"name": "Ada"}
    assert validated_dict(model, data) == model.model_validate(data).model_dump(by_alias=True)


def test_a_plain_model_is_read_into_dicts() -> None:
    assert dict_validator(_Plain) is not None
    assert validated_dict(_Plain, {"name": "Ada", "from": "May"}) == {"name": "Ada", "from": "May"}
    assert validated_dict(_Plain, {"name": "Ada", "since": "May"}) == {"name": "Ada", "from": "May"}
    with pytest.raises(ValidationError) as raised:
        validated_dict(_Plain, {"name": "Ada", "age": 3})
    assert raised.value.title == "_Plain"

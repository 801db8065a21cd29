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

import dataclasses
import datetime as dt
import functools
import random
from pathlib import Path
from typing import Any

import pydantic
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
    field_validator,
    model_validator,
)
from typing_extensions import TypedDict

from fuzzing import AUDITS, mutate
from qaimpact.authoring.scaffold import scaffold_audit
from qaimpact.base.loader import LoadError, load_bytes
from qaimpact.frameworks.check import check_file
from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.models.audit import audit_model
from qaimpact.models.dict_validation import dict_validator, validated_dict
from qaimpact.models.kinds import record_model
from qaimpact.models.standard import Framework

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
    """Read by the dicts' own validator, not only through the fallback: _assert_alike holds the
    validator's reading to the model's, refusals included."""
    data = _period_audit(registry)
    data["period_reviewed"] = period
    _assert_alike(audit_model(registry.get("ccc-practice-standards")), data)  # type: ignore[arg-type]


def test_a_missing_section_is_filled_in_as_the_model_fills_it(registry: Registry) -> None:
    data = _period_audit(registry)
    for key in ("remedial_actions", "period_reviewed", "escalation", "moderation", "characteristics"):
        data.pop(key, None)
    model = audit_model(registry.get("ccc-practice-standards"))  # type: ignore[arg-type]
    read = validated_dict(model, data)
    assert read["remedial_actions"] == []
    assert read["period_reviewed"] is None
    _assert_alike(model, data)


def _test_frameworks() -> dict[str, Framework]:
    """Every valid framework a standards file kept as test data declares, by id (the first)."""
    found: dict[str, Framework] = {}
    for path in sorted((ROOT / "tests" / "data").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "format:" not in text or "thresholds:" not in text:
            continue
        framework, _ = check_file(path)
        if framework is not None:
            found.setdefault(framework.id, framework)
    return found


TEST_FRAMEWORKS = _test_frameworks()


def test_the_test_data_holds_frameworks_of_its_own() -> None:
    assert len(TEST_FRAMEWORKS.keys() - {"cafcass-qiam-2017", "ccc-practice-standards"}) >= 5


@pytest.mark.parametrize("ident", sorted(TEST_FRAMEWORKS))
def test_each_framework_of_the_test_data_is_read_into_dicts_alike(ident: str) -> None:
    """Standards files write their own fields, choices, dates and groups: each framework's models
    are read into dicts, and its scaffold and every audit naming it read as its model reads them."""
    framework = TEST_FRAMEWORKS[ident]
    model = audit_model(framework)
    assert dict_validator(model) is not None
    for kind in framework.spec.records:
        assert dict_validator(record_model(framework, kind)) is not None
    scaffold = _read_text(scaffold_audit(framework, practitioner="Ada Lovelace", reviewer="Mo Reviewer"))
    _assert_alike(model, scaffold)
    for data in _naming().get(ident, []):
        _assert_alike(model if "kind" not in data else _record_model(framework, data), data)


@functools.cache
def _naming() -> dict[str, list[dict[str, Any]]]:
    """The data of every YAML file bundled or kept as test data, by the framework it names."""
    found: dict[str, list[dict[str, Any]]] = {}
    for data in map(_read, YAML_FILES):
        if isinstance(data, dict) and isinstance(data.get("standards"), str):
            found.setdefault(data["standards"], []).append(data)
    return found


def _record_model(framework: Framework, data: dict[str, Any]) -> type[BaseModel]:
    kind = data["kind"]
    return record_model(framework, kind) if kind in framework.spec.records else audit_model(framework)


def test_every_bundled_model_is_read_into_dicts(registry: Registry) -> None:
    for framework in registry.frameworks():
        assert dict_validator(audit_model(framework)) is not None
        for kind in framework.spec.records:
            assert dict_validator(record_model(framework, kind)) is not None


class _Plain(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str
    since: str | None = Field(None, alias="from")


def test_a_plain_model_is_read_into_dicts() -> None:
    validator = dict_validator(_Plain)
    assert validator is not None
    # By the alias, and by the Python name (populate_by_name), as the model reads them.
    assert validator.validate_python({"name": "Ada", "from": "May"}) == {"name": "Ada", "from": "May"}
    assert validator.validate_python({"name": "Ada", "since": "May"}) == {"name": "Ada", "from": "May"}
    assert validator.validate_python({"name": "Ada"}) == {"name": "Ada", "from": None}
    with pytest.raises(ValidationError) as raised:
        validated_dict(_Plain, {"name": "Ada", "age": 3})
    # The model's own error, as every finding is worded from it.
    assert raised.value.title == "_Plain"


class _Visit(BaseModel):
    on: dt.date


class _Sorted(BaseModel):
    """A validator after a field, given the models it holds (a dict would have no .on)."""

    visits: list[_Visit]

    @field_validator("visits")
    @classmethod
    def _in_order(cls, visits: list[_Visit]) -> list[_Visit]:
        return sorted(visits, key=lambda visit: visit.on)


class _TypedPlain(TypedDict):
    name: str


class _Either(BaseModel):
    """A union: pydantic ranks a typed dict and a model differently when it picks a member."""

    x: _Plain | _TypedPlain


@dataclasses.dataclass
class _Pair:
    n: int


class _WithDataclass(BaseModel):
    pair: _Pair


class _AliasIsAName(BaseModel):
    a: int = Field(alias="b")
    b: str


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


LEFT_TO_THE_MODEL = [
    (_Sorted, {"visits": [{"on": "2026-02-01"}, {"on": "2026-01-01"}]}),
    (_Either, {"x": {"name": "Ada"}}),
    (_WithDataclass, {"pair": {"n": 1}}),
    (_AliasIsAName, {"b": "x"}),
    (_Checked, {"name": "Ada"}),
    (_Serialised, {"name": "Ada"}),
    (_Excluded, {"name": "Ada", "secret": "s"}),
    (_Computed, {"name": "Ada"}),
    (_Choices, {"full_name": "Ada"}),
]


@pytest.mark.parametrize(("model", "data"), LEFT_TO_THE_MODEL, ids=lambda v: getattr(v, "__name__", ""))
def test_a_model_a_typed_dict_would_read_otherwise_is_left_to_the_model(
    model: type[BaseModel], data: dict[str, Any]
) -> None:
    assert dict_validator(model) is None
    try:
        expected: tuple[str, Any] = "read", model.model_validate(data).model_dump(by_alias=True)
    except ValidationError as exc:
        expected = "refused", exc.errors(include_url=False)
    try:
        got: tuple[str, Any] = "read", validated_dict(model, data)
    except ValidationError as exc:
        got = "refused", exc.errors(include_url=False)
    assert got == expected


class _ReadUnderAlias(BaseModel):
    """Read under one key, dumped under its name (no serialization alias)."""

    since: int = Field(validation_alias="from")


class _DumpedUnderAlias(BaseModel):
    """Read under its name, dumped under another key."""

    since: int = Field(serialization_alias="from")


@pytest.mark.parametrize(
    ("model", "data", "read"),
    [
        (_ReadUnderAlias, {"from": 1}, {"since": 1}),
        (_ReadUnderAlias, {"since": 1}, None),
        (_DumpedUnderAlias, {"since": 1}, {"from": 1}),
        (_DumpedUnderAlias, {"from": 1}, None),
    ],
)
def test_a_field_is_read_and_dumped_under_the_keys_the_model_uses(
    model: type[BaseModel], data: dict[str, Any], read: dict[str, Any] | None
) -> None:
    validator = dict_validator(model)
    assert validator is not None
    _assert_alike(model, data)
    if read is None:
        with pytest.raises(ValidationError):
            validator.validate_python(data)
    else:
        assert validator.validate_python(data) == read


@pytest.mark.skipif(
    tuple(int(n) for n in pydantic.VERSION.split(".")[:2]) < (2, 11),
    reason="validate_by_alias: pydantic 2.11",
)
@pytest.mark.parametrize("data", [{"from": 1}, {"since": 1}])
def test_a_model_read_by_name_only_is_read_alike(data: dict[str, Any]) -> None:
    class ByName(BaseModel):
        model_config = ConfigDict(validate_by_alias=False, validate_by_name=True)

        since: int = Field(alias="from")

    assert dict_validator(ByName) is not None
    _assert_alike(ByName, data)


class _SchemaShapedExtra(BaseModel):
    """What a field adds to its JSON Schema, shaped like a core schema: kept in the field's
    metadata, a value, never walked as a schema."""

    visit: _Visit | None = Field(None, json_schema_extra={"type": "model", "schema": {"type": "str"}})
    name: str = Field("Ada", json_schema_extra={"type": "model"})


def test_what_looks_like_a_schema_in_a_field_s_metadata_is_a_value() -> None:
    assert dict_validator(_SchemaShapedExtra) is not None
    _assert_alike(_SchemaShapedExtra, {})
    _assert_alike(_SchemaShapedExtra, {"visit": {"on": "2026-01-05"}, "name": "Mo"})


class _Stripped(BaseModel):
    """A setting of the config a typed dict is not given: the model reads it."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: str


def test_a_model_with_other_settings_is_left_to_the_model() -> None:
    assert dict_validator(_Stripped) is None
    assert validated_dict(_Stripped, {"name": "  Ada "}) == {"name": "Ada"}

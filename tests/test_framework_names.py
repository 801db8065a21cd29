"""Frameworks that pass ``standards check`` work: no name a standards file gives can break the
audit models (issue 12, section 4).

Names become keys of the audit models, which pydantic builds: ``model_config`` and ``model_dump``
made every ``validate`` exit 4, and ``grades.key: case`` made every audit invalid. The names taken
are asked of the models themselves (``models.audit.taken_name`` and ``audit_keys``), and a
hypothesis test tries hostile names in every place a standards file gives one.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, TODAY, Run
from qaimpact.audits.checker import CheckOptions, check_text
from qaimpact.authoring.scaffold import scaffold_audit
from qaimpact.base.loader import LoadError, load_bytes
from qaimpact.frameworks.check import check_document
from qaimpact.frameworks.registry import Registry
from qaimpact.models.audit import audit_keys, taken_name

MINI = (DATA / "standards" / "valid" / "mini.yaml").read_text(encoding="utf-8")
AUDIT = (DATA / "standards" / "audits" / "mini-good.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def check(text: str) -> list[str]:
    _, found = check_document(load_bytes(text.encode("utf-8"), "mini.yaml"))
    return [f"{d.location.line}:{d.location.column} {d.severity.value} {d.code} {d.message}" for d in found]


# -- Names the audit models keep for themselves ------------------------------------------------------

MODEL_PREFIX = "qaimpact keeps every name starting with 'model_' for its own use in reading audits"

#: (what is renamed, the edit, the line to find, its column, what the message calls it)
PLACES = [
    ("case field", "  reference: {type: text", "  {name}: {{type: text", 3, "case field"),
    ("group", "  - id: safety", "  - id: {name}", 9, "group id"),
    ("standard", "      - id: risk", "      - id: {name}", 13, "standard id"),
    ("field of a standard", "          visited: {type", "          {name}: {{type", 11, "field of 'visits'"),
]


@pytest.mark.parametrize("name", ["model_config", "model_dump", "model_anything"])
@pytest.mark.parametrize(("place", "old", "new", "column", "what"), PLACES, ids=[p[0] for p in PLACES])
def test_model_names_are_refused(name: str, place: str, old: str, new: str, column: int, what: str) -> None:
    text = MINI.replace(old, new.format(name=name), 1)
    assert text != MINI
    line = line_of(text, new.format(name=name).strip())
    assert f"{line}:{column} error QA506 The {what} '{name}' cannot be used: {MODEL_PREFIX}." in check(text)


@pytest.mark.parametrize("name", ["copy", "dict", "json", "schema", "validate", "construct"])
def test_names_of_pydantic_methods_are_refused(name: str) -> None:
    text = MINI.replace("      - {id: plan, title", f"      - {{id: {name}, title", 1)
    line = line_of(text, f"id: {name},")
    assert check(text) == [
        f"{line}:14 error QA506 The standard id '{name}' cannot be used: qaimpact keeps '{name}' for "
        "its own use in reading audits."
    ]


def test_taken_names_come_from_the_models() -> None:
    from qaimpact.models.audit import _Record

    assert taken_name("model_dump") is not None
    assert taken_name("risk") is None
    public = [n for n in dir(_Record) if not n.startswith("_")]
    assert public
    assert all(taken_name(n) is not None for n in public)


def test_a_reserved_name_no_longer_breaks_validate(cli: Callable[..., Run], tmp_path: Path) -> None:
    folder = tmp_path / "standards"
    folder.mkdir()
    (folder / "mini.yaml").write_text(
        MINI.replace("  - id: safety", "  - id: model_dump", 1), encoding="utf-8"
    )
    audit = tmp_path / "audit.yaml"
    audit.write_text(AUDIT.replace("safety:", "model_dump:", 1), encoding="utf-8")
    run = cli("validate", "--standards", folder, "--today", TODAY, audit, expect=3)
    assert "internal error" not in run.stderr
    assert "QA506 The group id 'model_dump' cannot be used" in run.stderr


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("copy", "qaimpact keeps 'copy' for its own use in reading audits"),
        ("model_dump", "qaimpact keeps every name starting with 'model_' for its own use in reading audits"),
    ],
)
def test_a_reserved_name_is_explained_to_the_standards_author(
    cli: Callable[..., Run], tmp_path: Path, name: str, reason: str
) -> None:
    # The message and the catalogue said "pydantic", "methods" and "shadowed": words for the
    # developers of qaimpact, not for whoever writes a standards file.
    path = tmp_path / "mini.yaml"
    path.write_text(MINI.replace("  - id: safety", f"  - id: {name}", 1), encoding="utf-8")
    run = cli("standards", "check", path, expect=None)
    line = line_of(path.read_text(encoding="utf-8"), f"  - id: {name}")
    said = " ".join((run.stdout + run.stderr).split())
    assert f"{path}:{line}:9: error QA506 The group id '{name}' cannot be used: {reason}." in said
    assert "pydantic" not in said


def test_the_reserved_name_code_is_explained_without_developer_words(cli: Callable[..., Run]) -> None:
    out = " ".join(cli("explain", "QA506").stdout.split())
    assert out.startswith(
        "QA506 reserved-name (error): A name that audits cannot use Groups, standards, case fields, "
        "extra fields, fields of a standard, domains, feedback keys and the grade and "
        "immediate-actions keys all become keys of the audit. qaimpact keeps some names for its own "
        "use in reading audits: every name starting with `model_`, and a few words such as `copy`, "
        "`dict`, `json`, `schema` and `validate`. An audit cannot use one of them as a key, so the "
        "standards file is refused here, with the name to change, rather than every audit written to "
        "it failing `qaimpact validate`. Example:"
    )
    assert "pydantic" not in out


# -- Names that collide with the audit's own keys ------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["case", "practitioner", "standards", "rationale", "audit_id", "reviewer", "review_date", "moderation"],
)
def test_grade_key_cannot_be_a_built_in_key(key: str) -> None:
    text = MINI.replace("  key: overall_grade", f"  key: {key}", 1)
    line = line_of(text, f"  key: {key}")
    assert check(text) == [
        f"{line}:8 error QA501 The grade key '{key}' (grades.key) is also a built-in audit key."
    ]


def test_grade_key_cannot_be_a_group() -> None:
    text = MINI.replace("  key: overall_grade", "  key: quality", 1)
    assert check(text) == [
        f"{line_of(text, '  key: quality')}:8 error QA501 The grade key 'quality' (grades.key) is also the "
        f"group id at line {line_of(text, '  - id: quality')}."
    ]


def test_extra_field_cannot_be_a_built_in_key() -> None:
    text = MINI.replace("grades:\n", "extra_fields:\n  reviewer: {type: text}\ngrades:\n", 1)
    line = line_of(text, "  reviewer: {type")
    assert check(text) == [f"{line}:3 error QA501 The extra field 'reviewer' is also a built-in audit key."]


def test_every_built_in_key_is_refused_as_a_group_id() -> None:
    spec_keys = [k.name for k in audit_keys(_mini_spec()) if k.built_in]
    assert "case" in spec_keys
    assert "moderation" in spec_keys
    for key in spec_keys:
        text = MINI.replace("  - id: safety", f"  - id: {key}", 1)
        line = line_of(text, f"  - id: {key}")
        assert f"{line}:9 error QA501 The group id '{key}' is also a built-in audit key." in check(text), key


def _mini_spec():  # type: ignore[no-untyped-def]
    from qaimpact.models.standard import StandardsFile

    return StandardsFile.model_validate(load_bytes(MINI.encode(), "mini.yaml").data)


# -- Fuzzing standards files: whatever passes the check works ----------------------------------------------

HOSTILE_NAMES = [
    "model_config",
    "model_dump",
    "model_fields",
    "copy",
    "schema",
    "validate",
    "register",
    "case",
    "practitioner",
    "standards",
    "rationale",
    "moderation",
    "escalation",
    "overall_grade",
    "safety",
    "quality",
    "risk",
    "visits",
    "rating",
    "evidence",
    "from_",
    "to",
    "self",
    "class",
    "def",
    "none",
    "true",
    "a",
]
SLOTS = [
    "  reference: {type: text",
    "  looked_after: {type: boolean",
    "  key: overall_grade",
    "  - id: safety",
    "  - id: quality",
    "      - id: risk",
    "      - id: visits",
    "          visited: {type",
    "          reason: {type",
    "      - {id: plan, title",
    "      - {id: records, title",
]


def _rename(text: str, slot: str, name: str) -> str:
    head, _, rest = slot.partition(":")
    if head.strip() in ("- id", "- {id", "key"):
        old_value = rest.split(",")[0].strip()
        return text.replace(slot, slot.replace(old_value, name, 1), 1)
    return text.replace(slot, slot.replace(head.strip(), name, 1), 1)


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(SLOTS), st.sampled_from(HOSTILE_NAMES)), min_size=1, max_size=3))
def test_a_framework_that_passes_the_check_works(renames: list[tuple[str, str]]) -> None:
    text = MINI
    for slot, name in renames:
        text = _rename(text, slot, name)
    try:
        doc = load_bytes(text.encode("utf-8"), "mini.yaml")
    except LoadError:
        return  # two renames gave one block the same key twice: refused as a duplicate key
    framework, found = check_document(doc)
    if framework is None:
        assert any(d.is_error for d in found)
        return
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "mini.yaml").write_text(text, encoding="utf-8")
        registry = Registry([Path(folder)])
        fw = registry.get("mini-practice")
        assert fw is not None
        # A scaffold has placeholders, so it is invalid, but it must be checked, never crash.
        result = check_text(scaffold_audit(fw), "scaffold.yaml", registry, CheckOptions(today=TODAY))
    assert {d.code for d in result.diagnostics} <= {"QA210", "QA202", "QA206", "QA208"}, result.diagnostics


def test_new_with_long_names_and_labels(cli: Callable[..., Run], tmp_path: Path) -> None:
    """Found by the long fuzz run: a long rating label (or learning area id) left the scaffold's
    comments a negative width to wrap in, and `qaimpact new` exited 4."""
    folder = tmp_path / "standards"
    folder.mkdir()
    text = (DATA / "fuzz" / "standards" / "long-rating-label.yaml").read_text(encoding="utf-8")
    (folder / "mini.yaml").write_text(text, encoding="utf-8")
    out = cli("new", "--standards", "mini-practice", "--standards-dir", folder).stdout
    assert "  # " + "Strong" * 20 + ": Risks are identified and acted on." in out

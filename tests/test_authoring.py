"""Authoring: the scaffold (`new`), the JSON Schema for editors (`schema`) and `fmt`."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import stat

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, EXAMPLES, HEADLINE, TODAY
from qaimpact.audits.checker import CheckOptions, check_audit, check_text
from qaimpact.authoring.fmt import format_text
from qaimpact.authoring.scaffold import scaffold_audit
from qaimpact.base.loader import LoadError, load_file
from qaimpact.frameworks.registry import bundled_dir
from qaimpact.frameworks.schema import audit_schema, standards_schema

FRAMEWORKS = ["cafcass-qiam-2017", "ccc-practice-standards"]
OPTIONS = CheckOptions(today=TODAY, keep_data=True)

#: What a test writes in place of each placeholder, by key (the last key of its path).
FILL = {
    "audit_id": "QA-TEST-1",
    "audit_type": "case_file",
    "ecms_number": "ECMS-1",
    "law_type": "private",
    "case_reference": "LCS-1",
    "team": "North",
    "child_in_care": "false",
    "practitioner": "Test Practitioner",
    "reviewer": "Test Reviewer",
    "review_date": "2026-10-01",
    "from": "2026-04-01",
    "to": "2026-09-30",
    "seen": "true",
    "seen_alone": "true",
    "required": "false",
    "evidence": "Seen on the file.",
    "rationale": "Test rationale.",
}


def _fill(text: str) -> str:
    out = []
    for line in text.splitlines():
        match = re.match(r"^(\s*)([a-z_]+): (.*)TODO(.*)$", line)
        if "{from: TODO, to: TODO}" in line:
            line = line.replace("{from: TODO, to: TODO}", "{from: 2026-04-01, to: 2026-09-30}")
        elif match and "#" not in match.group(3):
            indent, key, before, after = match.groups()
            value = FILL.get(key, "good")
            if "not_applicable unless" in line:  # children in care, with child_in_care: false
                value = "not_applicable"
            line = f"{indent}{key}: {before}{value}{after}"
        out.append(line)
    return "\n".join(out) + "\n"


# -- new -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ident", FRAMEWORKS)
def test_unfilled_scaffold_fails_once_per_placeholder(registry, ident):
    text = scaffold_audit(registry.get(ident))
    check = check_text(text, "new.yaml", registry, OPTIONS)
    assert {d.code for d in check.diagnostics} == {"QA210"}
    assert len(check.diagnostics) == text.count("TODO") - text.count("Replace every TODO")


@pytest.mark.parametrize(
    "written",
    [r'audit_id: "\x54ODO"', r'audit_id: "T\u004FDO"', 'audit_id: "TO\\\n  DO"', "audit_id: &hole 'TODO'"],
    ids=["hex-escape", "unicode-escape", "escaped-line-break", "anchor"],
)
def test_a_placeholder_written_without_its_letters_is_still_found(registry, written):
    """The check looks for the placeholder only in files whose text holds it or an escape: a
    placeholder written with escapes (no 'TODO' in the file) is still found."""
    text = (DATA / "invalid" / "QA210-placeholder.yaml").read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("# expect")) + "\n"
    text = text.replace("audit_id: TODO", written).replace("rating: TODO", "rating: good")
    assert ("TODO" in text) == ("&hole" in written)
    check = check_text(text, "hole.yaml", registry, OPTIONS)
    assert [(d.location.line, d.location.column, d.code) for d in check.diagnostics] == [(3, 11, "QA210")]


@pytest.mark.parametrize("ident", FRAMEWORKS)
def test_filled_scaffold_validates(registry, ident):
    text = _fill(
        scaffold_audit(registry.get(ident), practitioner="Ann: O'Neil", reviewer="Bo", case_ref="#1")
    )
    check = check_text(text, "new.yaml", registry, OPTIONS)
    assert [d.message for d in check.diagnostics] == []
    assert check.data is not None
    assert check.data["practitioner"] == "Ann: O'Neil"


@pytest.mark.parametrize("ident", FRAMEWORKS)
def test_scaffold_carries_every_standard_with_its_guidance(registry, ident):
    framework = registry.get(ident)
    text = scaffold_audit(framework)
    for std in framework.standards.values():
        assert f"\n  {std.id}:\n    rating: TODO" in text
        for descriptor in std.descriptors.values():
            assert " ".join(descriptor.split())[:40] in " ".join(
                line.lstrip("# ") for line in text.splitlines()
            )


def test_new_writes_the_file_schema_and_modeline(cli, tmp_path):
    (tmp_path / ".git").mkdir()
    audits = tmp_path / "audits" / "2026"
    audits.mkdir(parents=True)
    target = audits / "a.yaml"
    out = cli("new", "--standards", "ccc-practice-standards", "-o", target, "--practitioner", "Sam Lee")
    schema_file = tmp_path / "schemas" / "ccc-practice-standards.schema.json"
    assert out.stderr == (
        f"note: wrote {target} and its editor schema {schema_file}: replace each TODO, then run "
        f"`qaimpact validate {target}`.\n"
    )
    first = target.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/ccc-practice-standards.schema.json"
    schema = json.loads(
        (tmp_path / "schemas" / "ccc-practice-standards.schema.json").read_text(encoding="utf-8")
    )
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize(
    ("kind", "schema_name"),
    [
        (None, "ccc-practice-standards.schema.json"),
        ("observation", "ccc-practice-standards.observation.schema.json"),
    ],
)
def test_new_names_every_file_it_writes(cli, tmp_path, monkeypatch, kind, schema_name):
    """A regression: new wrote schemas/<id>.schema.json beside the audit and named only the audit.
    A schema already as the framework's is not written again, and not named."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    what = ["--kind", kind] if kind else []
    first = cli("new", "--standards", "ccc-practice-standards", *what, "-o", "audits/a.yaml")
    assert first.stderr == (
        "note: created the folder audits\n"
        f"note: wrote audits/a.yaml and its editor schema schemas/{schema_name}: replace each TODO, then run "
        "`qaimpact validate audits/a.yaml`.\n"
    )
    second = cli("new", "--standards", "ccc-practice-standards", *what, "-o", "audits/b.yaml")
    assert (
        second.stderr
        == "note: wrote audits/b.yaml: replace each TODO, then run `qaimpact validate audits/b.yaml`.\n"
    )
    # A schema out of step with the framework (an older version's) is written again, and named.
    schema = tmp_path / "schemas" / schema_name
    schema.write_text(
        schema.read_text(encoding="utf-8").replace('"title"', '"old_title"', 1), encoding="utf-8"
    )
    third = cli("new", "--standards", "ccc-practice-standards", *what, "-o", "c.yaml")
    assert third.stderr == (
        f"note: wrote c.yaml and its editor schema schemas/{schema_name}: replace each TODO, then run "
        "`qaimpact validate c.yaml`.\n"
    )


CCC, CAFCASS = "ccc-practice-standards", "cafcass-qiam-2017"


@pytest.mark.parametrize(
    ("standards", "name", "audit_id"),
    [
        (CCC, "CFA-2026-0400.yaml", '"CFA-2026-0400"'),
        (CCC, "cfa-2026-0400.yaml", '"cfa-2026-0400"'),
        (CAFCASS, "QA_2026_0142.yml", '"QA_2026_0142"'),
        (CCC, "audit.yaml", "TODO"),
        (CCC, "my-audit.yaml", "TODO"),
        (CCC, "2026-0400.yaml", "TODO"),
        # Shaped like an id, but not like this framework's (audit_ids in its standards file).
        (CCC, "QA-2026-0142.yaml", "TODO"),
        (CAFCASS, "CFA-2026-0400.yaml", "TODO"),
        (CCC, "CFAX-2026-0400.yaml", "TODO"),
    ],
)
def test_new_creates_the_folder_and_takes_the_id_from_the_file_name(cli, tmp_path, standards, name, audit_id):
    target = tmp_path / "audits" / "2026" / name
    out = cli("new", "--standards", standards, "-o", target)
    assert f"note: created the folder {target.parent}" in out.stderr
    assert f"\naudit_id: {audit_id}\n" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("standards", "name", "note"),
    [
        (
            CCC,
            "QA-2026-0142.yaml",
            "note: 'QA-2026-0142' is not shaped like an audit id of Children's Services Practice "
            "Standards (those start CFA-), so audit_id is left as TODO: write the audit's id there. "
            "If this is an audit of Quality and Impact Assurance Model, delete {target} and write it "
            "again with --standards cafcass-qiam-2017.\n",
        ),
        (
            CCC,
            "LCS-2026-0142.yaml",
            "note: 'LCS-2026-0142' is not shaped like an audit id of Children's Services Practice "
            "Standards (those start CFA-), so audit_id is left as TODO: write the audit's id there.\n",
        ),
    ],
)
def test_new_says_why_it_leaves_an_id_that_does_not_fit(cli, tmp_path, standards, name, note):
    """The file is written (the auditor named it; only they know whether the name or the
    framework is wrong), its audit_id left TODO, and a note says why and what to do."""
    target = tmp_path / name
    out = cli("new", "--standards", standards, "-o", target)
    schema_file = tmp_path / "schemas" / f"{standards}.schema.json"
    wrote = (
        f"note: wrote {target} and its editor schema {schema_file}: replace each TODO, then run "
        f"`qaimpact validate {target}`.\n"
    )
    assert out.stderr == note.format(target=target) + wrote
    assert "\naudit_id: TODO\n" in target.read_text(encoding="utf-8")


def test_the_advice_for_an_id_of_another_framework_works(cli, tmp_path):
    # Regression: the note said to write it again with --force, which new refuses over an audit.
    target = tmp_path / "QA-2026-0142.yaml"
    cli("new", "--standards", CCC, "-o", target)
    target.unlink()
    cli("new", "--standards", "cafcass-qiam-2017", "-o", target)
    assert '\naudit_id: "QA-2026-0142"\n' in target.read_text(encoding="utf-8")


def test_new_refuses_a_file_where_the_folder_should_be(cli, tmp_path):
    (tmp_path / "audits").write_text("my notes\n", encoding="utf-8")
    out = cli("new", "--standards", "ccc-practice-standards", "-o", tmp_path / "audits" / "a.yaml", expect=2)
    assert "is a file, not a folder; choose another place for the audit." in out.stderr
    assert (tmp_path / "audits").read_text(encoding="utf-8") == "my notes\n"


@pytest.mark.parametrize(
    ("name", "skipped"),
    [
        (
            "CFA-2026-0901.narrative.yaml",
            "names ending .narrative.yaml are the quarterly report's narratives",
        ),
        ("CFA-2026-0901.mapping.yml", "names ending .mapping.yaml are import mappings"),
    ],
)
def test_new_refuses_a_file_name_validate_and_the_reports_skip(cli, tmp_path, name, skipped):
    target = tmp_path / name
    out = cli("new", "--standards", "ccc-practice-standards", "-o", target, expect=2)
    assert (
        f"'{target}' would not be read as an audit: {skipped}, which validate and every report skip, so "
        "it would never be checked or counted. Name the file after the audit's id, such as "
        "CFA-2026-0901.yaml."
    ) in " ".join(out.stderr.split())
    assert not target.exists()


@pytest.mark.parametrize("kind", [[], ["--kind", "observation"]], ids=["audit", "record"])
@pytest.mark.parametrize(
    "name", ["CFA-2026-0901.md", "CFA-2026-0901.YAML", "CFA-2026-0901.yaml.txt", "CFA-2026-0901"]
)
def test_new_refuses_a_name_that_is_not_yaml(cli, tmp_path, name, kind):
    """`new -o CFA-2026-0901.md` wrote the audit, which every folder validate and the reports read skipped."""
    target = tmp_path / name
    out = cli("new", "--standards", "ccc-practice-standards", "-o", target, *kind, expect=2)
    what = "record" if kind else "audit"
    assert out.stderr == (
        f"error: '{target}' would not be read as {'a record' if kind else 'an audit'}: validate and every "
        "report read only files whose names end .yaml or .yml, so it would never be checked or counted. "
        f"Name the file after the {what}'s id, such as CFA-2026-0901.yaml.\n"
    )
    assert not target.exists()


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_new_says_a_folder_is_a_folder(cli, tmp_path, force):
    """Without --force, a folder was said to exist and --force offered to overwrite it."""
    folder = tmp_path / "audits"
    folder.mkdir()
    out = cli("new", "--standards", "ccc-practice-standards", "-o", folder, *force, expect=2)
    assert out.stderr == f"error: '{folder}' is a folder; give a file name such as {folder / 'audit.yaml'}.\n"
    assert list(folder.iterdir()) == []


def test_new_never_overwrites_without_force(cli, tmp_path):
    target = tmp_path / "a.yaml"
    target.write_text("my work\n", encoding="utf-8")
    out = cli("new", "--standards", "cafcass-qiam-2017", "-o", target, expect=2)
    assert "already exists" in out.stderr
    assert target.read_text(encoding="utf-8") == "my work\n"
    cli("new", "--standards", "cafcass-qiam-2017", "-o", target, "--force")
    assert "standards: cafcass-qiam-2017" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("typed", "guess"),
    [
        # The start of an id (`ccc`, `cafcass`) is the framework itself: tests/test_framework_short_names.py.
        ("QIAM", " Did you mean 'cafcass-qiam-2017'?"),  # a part of one, in any case
        ("ccc-practise-standards", " Did you mean 'ccc-practice-standards'?"),  # a misspelling
        ("practice", " Did you mean 'ccc-practice-standards'?"),
        ("council", ""),  # nothing close: the list alone
    ],
)
def test_new_unknown_framework(cli, typed, guess):
    out = cli("new", "--standards", typed, expect=2)
    assert " ".join(out.stderr.split()) == (
        f"error: Unknown framework '{typed}'.{guess} Give a framework by its id or its short name: "
        "cafcass-qiam-2017 (Cafcass) or ccc-practice-standards (CCC)."
    )


# -- schema ----------------------------------------------------------------------------------------


def _validator(schema):
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.fixture(scope="module")
def validators():
    from qaimpact.frameworks.registry import Registry
    from qaimpact.frameworks.schema import record_schema

    registry = Registry([bundled_dir()])
    found = {ident: _validator(audit_schema(registry.get(ident))) for ident in FRAMEWORKS}
    # Records of other kinds (examples/service/records/) are checked against their kind's schema.
    for ident in FRAMEWORKS:
        framework = registry.get(ident)
        for kind in framework.spec.records:
            found[f"{ident}:{kind}"] = _validator(record_schema(framework, kind))
    return found


def test_schemas_are_valid_draft_2020_12(validators):
    for validator in validators.values():
        jsonschema.Draft202012Validator.check_schema(validator.schema)
    jsonschema.Draft202012Validator.check_schema(standards_schema())


# Import mappings (examples/import/*.mapping.yaml) and the quarterly report's narratives
# (examples/narratives/*.narrative.yaml) are not audits.
EXAMPLE_AUDITS = sorted(
    p for p in EXAMPLES.rglob("*.yaml") if not p.name.endswith((".mapping.yaml", ".narrative.yaml"))
)
VALID = EXAMPLE_AUDITS + sorted((DATA / "valid").glob("*.yaml"))


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_schema_accepts_every_valid_audit(validators, path):
    data = load_file(path).data
    key = f"{data['standards']}:{data['kind']}" if "kind" in data else data["standards"]
    errors = [e.message for e in validators[key].iter_errors(data)]
    assert errors == []


def _shape_only(path, registry) -> bool:
    codes = {d.code for d in check_audit(path, registry, OPTIONS).diagnostics if d.is_error}
    # A placeholder left in (QA210) is a text like any other to the schema where the field takes
    # text (an action's owner): the editor cannot tell it from a name.
    return bool(codes) and all(c.startswith("QA2") for c in codes) and not codes & {"QA201", "QA210"}


def _shape_invalid_files():
    from qaimpact.frameworks.registry import Registry

    registry = Registry([bundled_dir()])
    return [p for p in sorted((DATA / "invalid").glob("*.yaml")) if _shape_only(p, registry)]


@pytest.mark.parametrize("path", _shape_invalid_files(), ids=lambda p: p.name)
def test_schema_rejects_every_file_the_models_reject(validators, path):
    data = load_file(path).data
    assert list(validators[data["standards"]].iter_errors(data)), "the schema accepted an invalid audit"


def test_schema_describes_standards_for_hover(validators):
    props = validators["cafcass-qiam-2017"].schema["$defs"]
    child_seen = props["CafcassQiam2017ChildSeenEntry"]
    assert "Child not seen/engaged and no defensible decision recorded" in child_seen["description"]
    # The child is always to be seen: not_applicable, which validate refuses there (QA302), is
    # not offered.
    assert child_seen["properties"]["rating"]["enum"] == ["good", "met", "requires_improvement"]


@pytest.mark.parametrize("ident", FRAMEWORKS)
def test_the_schema_offers_not_applicable_only_where_a_standard_may_not_apply(validators, ident):
    """A review found that editors offered `not_applicable` for every standard, and validate
    then refused it (QA302) wherever the standard has no `applies_when`."""
    from qaimpact.frameworks.registry import Registry
    from qaimpact.models.audit import entry_model_name

    framework = Registry([bundled_dir()]).get(ident)
    defs = validators[ident].schema["$defs"]
    offered = {
        std.id
        for std in framework.standards.values()
        if "not_applicable" in defs[entry_model_name(framework, std)]["properties"]["rating"]["enum"]
    }
    assert offered == {s.id for s in framework.standards.values() if s.applies_when is not None}


@pytest.mark.parametrize(
    "name", ["QA302-not-applicable-cafcass.yaml", "QA302-not-applicable-ccc-planning.yaml"]
)
def test_the_schema_rejects_not_applicable_where_validate_does(validators, name):
    from qaimpact.frameworks.registry import Registry

    path = DATA / "invalid" / name
    data = load_file(path).data
    found = check_audit(path, Registry([bundled_dir()]), OPTIONS).diagnostics
    assert [d.code for d in found if d.is_error] == ["QA302"]
    assert list(validators[data["standards"]].iter_errors(data))


def _titles(node):
    if isinstance(node, dict):
        if isinstance(node.get("title"), str):
            yield node["title"]
        for value in node.values():
            yield from _titles(value)
    elif isinstance(node, list):
        for value in node:
            yield from _titles(value)


@pytest.mark.parametrize("ident", FRAMEWORKS)
def test_editor_hover_shows_the_standards_titles_not_model_names(validators, ident):
    """Issue 17: hover showed `CccPracticeStandardsRiskManagementEntry`."""
    from qaimpact.frameworks.registry import Registry

    schema = validators[ident].schema
    titles = set(_titles(schema))
    assert not titles & set(schema["$defs"]), "a title is a model's class name"
    assert not [t for t in titles if re.fullmatch(r"([A-Z][a-z0-9]+){3,}", t)]
    spec = Registry([bundled_dir()]).get(ident).spec
    for group in spec.groups:
        (group_ref,) = [k for k, v in schema["$defs"].items() if v.get("title") == group.title]
        standards = schema["$defs"][group_ref]["properties"]
        for std in group.standards:
            assert standards[std.id]["title"] == std.title
            assert std.title in titles


def test_editor_hover_on_a_standards_file_shows_words_not_model_names():
    """Left over from issue 17: the standards files' own schema titled its blocks with class
    names (`StandardSpec`, `AllOf`, `ChoiceSpec`), which is what a standards author hovered on."""
    from qaimpact.frameworks.schema import STANDARDS_TITLES

    schema = standards_schema()
    # A key's own title is its name in words ("All Of" for all_of), never a joined-up class name.
    assert not [t for t in _titles(schema) if re.fullmatch(r"([A-Z][a-z0-9]*){2,}", t)]
    # Every block has its title, and no title is kept for a block that is gone.
    assert {name: d["title"] for name, d in schema["$defs"].items()} == STANDARDS_TITLES
    assert schema["$defs"]["StandardSpec"]["title"] == "A standard (groups: standards)"


def test_editor_hover_on_a_record_shows_labels_and_titles_not_model_names(validators):
    """Found in a review of issue 17: a record's schema still titled its blocks with class names
    (`CccPracticeStandardsObservationObserved`, `...FollowThroughLearningLink`)."""
    from qaimpact.frameworks.registry import Registry

    registry = Registry([bundled_dir()])
    kinds = [key for key in validators if ":" in key]
    assert kinds, "no record schema was checked"
    for key in kinds:
        ident, kind = key.split(":")
        schema = validators[key].schema
        titles = set(_titles(schema))
        assert not titles & set(schema.get("$defs", {})), key
        assert not [t for t in titles if re.fullmatch(r"([A-Z][a-z0-9]+){3,}", t)], key
        declared = registry.get(ident).spec.records[kind]
        for name, field in declared.fields.items():
            if field.type == "ratings":
                ref = schema["properties"][name]
                ref = ref.get("$ref") or next(r["$ref"] for r in ref["anyOf"] if "$ref" in r)
                ratings = schema["$defs"][ref.rsplit("/", 1)[1]]
                assert ratings["title"] == field.label, key
                for std in registry.get(ident).standards.values():
                    assert ratings["properties"][std.id]["title"] == std.title, key


def test_hover_titles_for_ccc_risk_management(validators):
    defs = validators["ccc-practice-standards"].schema["$defs"]
    assert defs["CccPracticeStandardsRiskManagementEntry"]["title"] == "Risk management"
    assert defs["CccPracticeStandardsPracticeStandards"]["properties"]["risk_management"]["title"] == (
        "Risk management"
    )


@pytest.mark.parametrize("path", sorted(bundled_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_standards_schema_accepts_the_bundled_frameworks(path):
    assert list(_validator(standards_schema()).iter_errors(load_file(path).data)) == []


def test_schema_cli(cli, tmp_path):
    out = json.loads(cli("schema", "--standards", "cafcass-qiam-2017").stdout)
    assert out["$id"] == "urn:qaimpact:schema:audit:cafcass-qiam-2017"
    cli("schema", "--standards-format", "-o", tmp_path / "s.json")
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["title"] == "qaimpact standards file"
    assert "Give a framework id" in cli("schema", expect=2).stderr


# -- fmt -------------------------------------------------------------------------------------------


def _comments(text: str) -> list[str]:
    return sorted(m.group(0).strip() for m in re.finditer(r"#[^\n]*", text))


@pytest.mark.parametrize("path", EXAMPLE_AUDITS, ids=lambda p: p.name)
def test_examples_are_already_formatted(registry, path):
    result = format_text(path.read_text(encoding="utf-8"), str(path), registry, OPTIONS)
    assert result.problems is None
    assert not result.changed


def _shuffled(text: str, rng: random.Random) -> str:
    """The same audit with its top-level blocks in another order and comments added."""
    blocks = re.split(r"\n(?=[a-z_]+:)", text.rstrip("\n"))
    head, rest = blocks[0], blocks[1:]
    rng.shuffle(rest)
    rest = [b + f"  # note {i}" if "\n" not in b and ">-" not in b else b for i, b in enumerate(rest)]
    return "\n".join([head, *rest]) + "\n"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 10_000),
    which=st.sampled_from(HEADLINE + sorted(EXAMPLES.rglob("service/*/*.yaml"))[:20]),
)
def test_fmt_is_idempotent_and_keeps_every_comment(registry, seed, which):
    original = which.read_text(encoding="utf-8")
    messy = _shuffled(original, random.Random(seed))
    once = format_text(messy, "x.yaml", registry, OPTIONS)
    assert once.problems is None
    twice = format_text(once.new_text, "x.yaml", registry, OPTIONS)
    assert not twice.changed
    assert _comments(once.new_text) == _comments(messy)
    assert (
        check_text(once.new_text, "x.yaml", registry, OPTIONS).data
        == check_text(messy, "x.yaml", registry, OPTIONS).data
    )
    # Canonical order: the keys come back in the order of the original example.
    keys = re.findall(r"^([a-z_]+):", once.new_text, re.M)
    assert keys == re.findall(r"^([a-z_]+):", original, re.M)


def test_fmt_rewrites_in_place_and_keeps_the_mode(cli, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(_shuffled(HEADLINE[0].read_text(encoding="utf-8"), random.Random(1)), encoding="utf-8")
    path.chmod(0o640)
    out = cli("fmt", "--check", path, expect=1)
    assert f"{path} would be reformatted" in out.stdout
    cli("fmt", path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    cli("fmt", "--check", path)
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_fmt_leaves_an_invalid_file_alone(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    text = HEADLINE[1].read_text(encoding="utf-8").replace("rating: good", "rating: great", 1)
    path.write_text(text, encoding="utf-8")
    out = cli("fmt", path, expect=1)
    assert "has errors, so it was not formatted" in out.stderr
    assert path.read_text(encoding="utf-8") == text


def test_a_crash_mid_write_leaves_the_original(cli, tmp_path, monkeypatch):
    path = tmp_path / "a.yaml"
    messy = _shuffled(HEADLINE[0].read_text(encoding="utf-8"), random.Random(2))
    path.write_text(messy, encoding="utf-8")

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    out = cli("fmt", path, expect=2)
    assert f"{path} could not be written (disk full); it is as it was." in " ".join(out.stderr.split())
    assert path.read_text(encoding="utf-8") == messy
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_explain_prints_a_code(cli):
    out = cli("explain", "QA210").stdout
    assert out.startswith("QA210 placeholder (error): A placeholder that has not been filled in")


def test_loader_rejects_what_the_schema_cannot_see(tmp_path):
    # The schema checks shape only; YAML-level problems are the loader's (see test_diagnostics).
    path = tmp_path / "dup.yaml"
    shutil.copy(HEADLINE[0], path)
    path.write_text(path.read_text(encoding="utf-8") + "audit_id: again\n", encoding="utf-8")
    with pytest.raises(LoadError):
        load_file(path)


def test_fmt_moves_the_comment_above_a_key_with_it(registry):
    text = HEADLINE[1].read_text(encoding="utf-8")
    moved = text.replace("reviewer: Helen Marsh ", "XX", 1)
    reviewer_line = next(line for line in text.splitlines() if line.startswith("reviewer:"))
    messy = moved.replace(next(line for line in moved.splitlines() if line.startswith("XX")) + "\n", "")
    messy = messy.replace(
        "audit_id: CFA-2026-0311\n", f"# who audited\n{reviewer_line}\naudit_id: CFA-2026-0311\n", 1
    )
    result = format_text(messy, "x.yaml", registry, OPTIONS)
    lines = result.new_text.splitlines()
    at = lines.index(reviewer_line)
    assert lines[at - 1] == "# who audited"
    assert lines[at - 2].startswith("team_manager:")


def test_new_files_get_the_usual_permissions(cli, tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "a.yaml"
        cli("new", "--standards", "cafcass-qiam-2017", "-o", target)
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
    finally:
        os.umask(old)

"""Every JSON output is described by a published JSON Schema (docs/reports.md, "JSON output").

Each report's JSON (``--format json`` of ``report``, ``summary`` and the cycle commands) carries a
``schema_version`` and validates against the schema of its ``kind`` shipped in the package
(``qaimpact/reports/schemas/``); ``validate`` and ``grade`` keep their bare lists, each with a schema
of its own. The outputs checked here are every command over examples/service, with each option that
changes what a report holds, and over an empty folder.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from tests.conftest import DATA, EXAMPLES, HEADLINE

from qaimpact.reports import schemas

SERVICE = EXAMPLES / "service"
TODAY = "2026-11-22"
AUDITS = sorted(SERVICE.glob("*/*.yaml"))
FACETS = ["team", "reviewer", "practitioner", "law_type", "audit_type", "theme", "month", "quarter"]
SAMPLE = ["--cases", str(SERVICE / "cases.csv"), "--seed", "7"]


#: The kind of report each command writes (``report`` writes an audit's feedback or a learning log).
KIND_OF = {"summary": "summary", "escalations": "escalations", "actions": "actions", "impact": "impact"}
KIND_OF |= {
    "moderation": "moderation",
    "sample": "sample",
    "programme": "programme",
    "quarterly": "quarterly",
}
PLANS = [str(p) for p in sorted((SERVICE / "plans").glob("*.csv"))]
#: The quarterly report of 2026-Q3 with a plan and the example narrative (its published version
#: is checked over a small folder in tests/test_quarterly.py: over the service it takes a minute).
QUARTER = (
    "--quarter",
    "2026-Q3",
    "--plans",
    PLANS[1],
    "--narrative",
    str(EXAMPLES / "narratives" / "2026-Q3.narrative.yaml"),
)

#: (id, the command and its options) for every report output over examples/service.
CASES: list[tuple[str, tuple[str, ...]]] = [
    ("learning-log", ("report", "--fca", "Aisha Bello")),
    ("learning-log-redacted", ("report", "--fca", "Grace Obi", "--redact")),
    ("learning-log-with-records", ("report", "--fca", "Ravi Chaudhry")),
    ("learning-log-cafcass", ("report", "--fca", "Nadia Rahman")),
    (
        "learning-log-financial-quarter",
        ("report", "--fca", "Aisha Bello", "--year-start", "april", "--quarter", "2026-27-Q2"),
    ),
    ("summary", ("summary",)),
    ("summary-redacted", ("summary", "--redact")),
    ("summary-published", ("summary", "--publish")),
    ("summary-by-team-published", ("summary", "--by", "team", "--publish")),
    ("summary-from", ("summary", "--from", "2026-04-01")),
    ("summary-financial-quarter", ("summary", "--year-start", "april", "--quarter", "2026-27-Q2")),
    ("summary-financial-by-quarter", ("summary", "--year-start", "april", "--by", "quarter")),
    ("escalations", ("escalations", "--fail-on", "never")),
    ("escalations-redacted", ("escalations", "--fail-on", "never", "--redact")),
    ("escalations-quarter", ("escalations", "--fail-on", "never", "--quarter", "2026-Q3")),
    *[
        (f"escalations-{s}", ("escalations", "--fail-on", "never", "--state", s))
        for s in ["not-raised", "raised", "acknowledged", "outcome-recorded", "closed", "open"]
    ],
    (
        "escalations-overdue-team",
        ("escalations", "--fail-on", "never", "--state", "overdue", "--team", "law"),
    ),
    ("escalations-team-redacted", ("escalations", "--fail-on", "never", "--team", "fenland", "--redact")),
    ("actions", ("actions",)),
    ("actions-overdue", ("actions", "--overdue")),
    ("actions-owner", ("actions", "--owner", "Sandra Whitlock")),
    ("actions-team", ("actions", "--team", "fenland")),
    ("actions-redacted", ("actions", "--redact")),
    ("actions-financial-quarter", ("actions", "--year-start", "april", "--quarter", "2026-27-Q1")),
    ("actions-quarter-carried-in", ("actions", "--quarter", "2026-Q3")),
    ("actions-from-redacted", ("actions", "--from", "2026-07-01", "--redact")),
    ("impact", ("impact",)),
    ("impact-window", ("impact", "--from", "2026-03-01", "--to", "2026-09-30")),
    ("impact-redacted", ("impact", "--redact")),
    ("impact-quarter", ("impact", "--quarter", "2026-Q2")),
    ("moderation", ("moderation",)),
    ("moderation-quadratic", ("moderation", "--weights", "quadratic", "--window", "60")),
    ("moderation-plain-kappa", ("moderation", "--weights", "none")),
    ("moderation-redacted", ("moderation", "--redact")),
    ("moderation-financial-quarter", ("moderation", "--year-start", "april", "--quarter", "2026-27-Q2")),
    ("sample", ("sample", *SAMPLE, "--auditors", str(SERVICE / "auditors.csv"))),
    ("sample-no-auditors", ("sample", *SAMPLE, "--per-team", "5")),
    ("programme", ("programme", *PLANS)),
    ("programme-redacted", ("programme", *PLANS, "--redact")),
    ("programme-one-plan", ("programme", PLANS[0])),
    ("quarterly", ("quarterly", *QUARTER)),
    ("quarterly-redacted", ("quarterly", *QUARTER, "--redact")),
    ("quarterly-financial-no-plan", ("quarterly", "--year-start", "april", "--quarter", "2026-27-Q1")),
]

#: Feedback on one audit: a spread of examples/service (every framework, escalated, moderated,
#: re-audited), the headline examples, and some of them redacted.
FEEDBACK = [*AUDITS[::16], *HEADLINE]
FEEDBACK_REDACTED = AUDITS[3::48]


@functools.cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schemas.load(name), format_checker=FormatChecker())


def _errors(name: str, data: Any) -> list[str]:
    return [
        f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator(name).iter_errors(data)
    ]


def _report(cli: Any, *args: str | Path, expect: int = 0) -> dict[str, Any]:
    run = cli(*args, "--today", TODAY, "-f", "json", expect=expect)
    view: dict[str, Any] = json.loads(run.stdout)
    return view


def _kind(args: tuple[str | Path, ...]) -> str:
    if args[0] == "report":
        return "learning_log" if "--fca" in args else "audit"
    return KIND_OF[str(args[0])]


def _assert_valid(view: dict[str, Any], kind: str) -> None:
    assert view["schema_version"] == schemas.SCHEMA_VERSION
    assert view["kind"] == kind
    assert _errors(kind, view) == []


@pytest.mark.parametrize(("args"), [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_every_report_over_the_service_validates(cli: Any, args: tuple[str, ...]) -> None:
    view = _report(cli, *args, "--audits", SERVICE)
    _assert_valid(view, _kind(args))
    # The one key that comes and goes: what redaction does, only in a redacted report.
    assert ("redaction" in view) == bool({"--redact", "--publish"} & set(args))


@pytest.fixture(scope="module")
def service() -> Any:
    """examples/service read once, for the summary's many groupings."""
    import datetime as dt

    from qaimpact.cli.outcome import read_audits

    return read_audits([SERVICE], None, dt.date.fromisoformat(TODAY)).dataset


#: Published groupings: --publish solves the suppression of every table at once, which takes minutes
#: for the many small groups of --by reviewer or practitioner, so two groupings stand for all.
PUBLISHED = [(by, False) for by in FACETS] + [("team", True), ("law_type", True)]


@pytest.mark.parametrize(
    ("by", "publish"), PUBLISHED, ids=[f"{b}-{'published' if p else 'internal'}" for b, p in PUBLISHED]
)
def test_the_summary_by_each_facet_validates(service: Any, by: str, publish: bool) -> None:
    """Each --by (the CLI's own path is tested above for --by team): the view rendered as the CLI does."""
    import datetime as dt

    from qaimpact.privacy.redaction import Redactor
    from qaimpact.reports import render, summary

    dataset = Redactor(service.records, kinds=service.kinds).dataset(service) if publish else service
    view = summary.quarterly_summary(dataset, today=dt.date.fromisoformat(TODAY), by=by, publish=publish)
    _assert_valid(json.loads(render.render_json(view)), "summary")


def test_a_published_summary_that_hides_its_total_validates(service: Any) -> None:
    """Regression: three audits publish ``"audits": null`` (the total is "<5"), which the schema
    refused as not an integer."""
    import datetime as dt

    from qaimpact.audits.dataset import Dataset
    from qaimpact.reports import render, summary

    three = [r for r in service.records if r.framework.id == "ccc-practice-standards"][:3]
    view = summary.quarterly_summary(
        Dataset(["mem"], records=three), today=dt.date.fromisoformat(TODAY), publish=True
    )
    printed = json.loads(render.render_json(view))
    assert printed["audits"] is None
    _assert_valid(printed, "summary")


@pytest.mark.parametrize("path", FEEDBACK, ids=[p.name for p in FEEDBACK])
def test_feedback_on_an_audit_validates(cli: Any, path: Path) -> None:
    _assert_valid(_report(cli, "report", path), "audit")


@pytest.mark.parametrize("path", FEEDBACK_REDACTED, ids=[p.name for p in FEEDBACK_REDACTED])
def test_redacted_feedback_validates(cli: Any, path: Path) -> None:
    _assert_valid(_report(cli, "report", path, "--redact"), "audit")


EMPTY = [("summary",), ("escalations",), ("actions",), ("impact",), ("moderation",), ("sample", *SAMPLE)]
EMPTY += [("programme", *PLANS), ("quarterly", "--quarter", "2026-Q3")]
#: A folder whose one YAML file is not an audit: every report of it reads no audit. (A folder with
#: no YAML file at all is refused, but by sample: tests/test_no_audit_files.py.)
NO_AUDIT = DATA / "no-audits" / "not-audits"


@pytest.mark.parametrize("args", EMPTY, ids=[a[0] for a in EMPTY])
def test_every_report_that_reads_no_audit_validates(cli: Any, args: tuple[str, ...]) -> None:
    _assert_valid(_report(cli, *args, "--audits", NO_AUDIT), _kind(args))


def test_the_first_sample_over_an_empty_folder_validates(cli: Any, tmp_path: Path) -> None:
    _assert_valid(_report(cli, "sample", *SAMPLE, "--audits", tmp_path), "sample")


LISTS = [
    ("validate", (SERVICE,)),
    ("validate", (DATA / "invalid",)),
    ("grade", (SERVICE / "ccc",)),
    ("grade", (DATA / "invalid",)),
    ("grade", tuple(HEADLINE)),
]


@pytest.mark.parametrize(("command", "paths"), LISTS, ids=[f"{c}-{p[0].name}" for c, p in LISTS])
def test_validate_and_grade_keep_a_bare_list_that_validates(
    cli: Any, command: str, paths: tuple[Path, ...]
) -> None:
    run = cli(command, *paths, "-f", "json", expect=None)
    assert run.exit_code in (0, 1), run.stderr
    found = json.loads(run.stdout)
    assert isinstance(found, list)
    assert found, "the cases are chosen to give findings or grades"
    assert _errors(command, found) == []


@pytest.mark.parametrize("name", schemas.names())
def test_each_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    schema = schemas.load(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    major = schemas.SCHEMA_VERSION.split(".")[0]
    assert schema["$id"] == f"urn:qaimpact:report:{name}:{major}"
    assert schema["title"].startswith("qaimpact ")
    assert schema["description"]


KINDS = [n for n in schemas.names() if n not in ("validate", "grade")]


def test_every_report_kind_has_a_schema() -> None:
    assert sorted(["audit", "learning_log", "standards_diff", *KIND_OF.values()]) == KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_a_report_schema_requires_its_kind_and_version(kind: str) -> None:
    schema = schemas.load(kind)
    assert schema["properties"]["kind"] == {"const": kind}
    assert schema["required"][:2] == ["schema_version", "kind"]
    assert schema["additionalProperties"] is False
    version = _validator(kind).schema["properties"]["schema_version"]
    checker = Draft202012Validator(version)
    assert checker.is_valid(schemas.SCHEMA_VERSION)
    assert checker.is_valid(schemas.SCHEMA_VERSION.split(".")[0] + ".7")  # minor: fields added
    assert not checker.is_valid("2.0")  # major: a new schema file


def test_shared_definitions_are_the_same_in_every_file() -> None:
    """Each file stands alone (its own $defs), so the copies of a shared shape must not drift."""
    seen: dict[str, tuple[str, Any]] = {}
    for name in schemas.names():
        for key, definition in schemas.load(name).get("$defs", {}).items():
            first = seen.setdefault(key, (name, definition))
            assert definition == first[1], f"$defs/{key} differs between {first[0]} and {name}"
    assert {"count", "share", "grade", "framework", "diagnostic"} <= set(seen)


@pytest.fixture(scope="module")
def outputs() -> dict[str, Any]:
    """One JSON output of each schema's command, to break."""
    from typer.testing import CliRunner

    from qaimpact.cli.app import app

    report = ("--today", TODAY, "-f", "json")
    commands: dict[str, tuple[str | Path, ...]] = {
        "audit": ("report", SERVICE / "ccc" / "CFA-2025-0284.yaml", *report),  # has remedial actions
        "learning_log": ("report", "--fca", "Aisha Bello", "--audits", SERVICE, *report),
        **{kind: (command, "--audits", SERVICE, *report) for command, kind in KIND_OF.items()},
        "validate": ("validate", DATA / "invalid", "-f", "json"),
        "grade": ("grade", SERVICE / "ccc", "-f", "json"),
        # Two frameworks that differ in nearly everything: every list of the diff has an item.
        "standards_diff": ("standards", "diff", "ccc-practice-standards", "cafcass-qiam-2017", "-f", "json"),
    }
    commands["sample"] = (*commands["sample"], *SAMPLE)
    commands["escalations"] = (*commands["escalations"], "--fail-on", "never")
    commands["programme"] = ("programme", *PLANS, *commands["programme"][1:])
    commands["quarterly"] = (*commands["quarterly"], *QUARTER)
    runner = CliRunner()
    return {
        name: json.loads(runner.invoke(app, [str(a) for a in args]).stdout) for name, args in commands.items()
    }


def _objects(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every object in ``data``, depth first."""
    found = []
    if isinstance(data, dict):
        found.append(path)
        for key, value in data.items():
            found += _objects(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _objects(value, (*path, i))
    return found


def _first_items(data: Any) -> Any:
    """A copy with each list cut to its first item: still valid, as the schemas set no lengths, and
    small enough to validate once for each place a key is slipped into."""
    if isinstance(data, dict):
        return {key: _first_items(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_first_items(value) for value in data[:1]]
    return data


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


OPEN = "remedial_actions"  # copied from the audit: its keys are the framework's


@pytest.mark.parametrize("name", schemas.names())
def test_an_unexpected_key_in_any_object_fails(outputs: dict[str, Any], name: str) -> None:
    """The schemas are not vacuous: every object is closed except what is copied from audits.

    A key is slipped into one object of each place in the output (the first of each list, as
    each list's items share one shape) and taken out again.
    """
    data = _first_items(outputs[name])
    validator = _validator(name)
    assert validator.is_valid(data)
    places: dict[str, tuple[Any, ...]] = {}
    for path in _objects(data):
        places.setdefault(re.sub(r"/\d+", "/[]", "/" + "/".join(map(str, path))), path)
    assert places
    open_places = [place for place in places if re.search(rf"/{OPEN}/\[\]$", place)]
    assert open_places == (["/remedial_actions/[]"] if name == "audit" else [])
    for place, path in places.items():
        target = _at(data, path)
        target["unexpected"] = 1
        accepted = validator.is_valid(data)
        del target["unexpected"]
        if place in open_places:
            assert accepted, f"{place} holds what the audit records, so any key is allowed"
        else:
            assert not accepted, f"a key slipped into {place} was accepted"


@pytest.mark.parametrize(
    ("name", "path", "key", "value"),
    [
        ("summary", ("audits_total",), "n", "96"),  # a count's n is a number
        ("summary", (), "by", "colour"),  # not a grouping
        ("summary", ("frameworks", 0, "distribution", 0, "count"), "text", None),
        ("escalations", ("escalations", 0), "state", "pending"),  # not a state
        ("escalations", (), "today", "22/11/2026"),  # dates are YYYY-MM-DD
        ("actions", ("actions", 0), "due", "next week"),
        ("moderation", (), "weights", "heavy"),
        ("programme", ("planned", 0), "state", "overdue"),  # not a state
        ("programme", ("planned", 0), "round", "2026-07-01"),  # a round is a month
        ("programme", ("totals",), "completed_share", "73%"),
        ("audit", ("grade",), "rank", "1"),
        ("validate", (0,), "severity", "fatal"),
        ("grade", (0,), "grade_differs", "no"),
    ],
)
def test_a_wrong_value_fails(
    outputs: dict[str, Any], name: str, path: tuple[Any, ...], key: str, value: Any
) -> None:
    broken = copy.deepcopy(outputs[name])
    _at(broken, path)[key] = value
    assert _errors(name, broken)


#: Each schema with counts, and where its output over examples/service has one.
COUNTS = [
    ("summary", ("audits_total",)),
    ("summary", ("cycle", "impact", "overall", "improved", "count")),
    ("quarterly", ("audits_total",)),
    ("escalations", ("totals", "needed")),
    ("actions", ("totals", "actions")),
    ("impact", ("headline", "groups", 0, "compared")),
    ("moderation", ("totals", "audits")),
    ("programme", ("totals", "planned")),
    ("sample", ("totals", "cases")),
]


@pytest.mark.parametrize(("name", "path"), COUNTS, ids=[f"{n}-{p[-1]}" for n, p in COUNTS])
def test_a_count_without_its_text_fails(outputs: dict[str, Any], name: str, path: tuple[Any, ...]) -> None:
    """Every count says how it is shown ("12", "<5", "*", "–"): an empty text is refused."""
    broken = copy.deepcopy(outputs[name])
    found = _at(broken, path)
    assert set(found) == {"n", "text"}
    assert found["text"]
    found["text"] = ""
    # The message's wording is jsonschema's own, and differs between its versions.
    assert [e.split(":")[0] for e in _errors(name, broken)] == [f"/{'/'.join(map(str, path))}/text"]


@pytest.mark.parametrize("name", KINDS)
def test_a_report_without_its_version_fails(outputs: dict[str, Any], name: str) -> None:
    broken = copy.deepcopy(outputs[name])
    del broken["schema_version"]
    assert _errors(name, broken) == ["/: 'schema_version' is a required property"]


@pytest.mark.parametrize("name", schemas.names())
def test_schema_report_prints_the_published_file(cli: Any, name: str) -> None:
    printed = cli("schema", "--report", name).stdout
    assert printed == schemas.text(name)
    assert json.loads(printed) == schemas.load(name)


_KNOWN = (
    "actions, audit, escalations, grade, impact, learning_log, moderation, programme, quarterly, sample, "
    "standards_diff, summary, validate."
)


@pytest.mark.parametrize(
    ("name", "opening"),
    [
        ("summmary", "There is no report schema 'summmary'. Did you mean 'summary'? Use one of "),
        (
            "learning-log",
            "There is no report schema 'learning-log'. Did you mean 'learning_log'? Use one of ",
        ),
        ("Escalation", "There is no report schema 'Escalation'. Did you mean 'escalations'? Use one of "),
        ("board-paper", "There is no report schema 'board-paper': use one of "),
    ],
)
def test_schema_report_names_the_known_ones(cli: Any, name: str, opening: str) -> None:
    run = cli("schema", "--report", name, expect=2)
    assert run.stderr == f"error: {opening}{_KNOWN}\n"


def test_schema_report_takes_no_framework(cli: Any) -> None:
    run = cli("schema", "ccc-practice-standards", "--report", "audit", expect=2)
    assert run.stderr == (
        "error: --report prints the schema of a command's JSON output: give no framework id, --kind or "
        "--standards-format with it.\n"
    )


def test_schema_report_writes_a_file(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "summary.schema.json"
    cli("schema", "--report", "summary", "-o", target)
    assert target.read_text(encoding="utf-8") == schemas.text("summary")


VERSIONS = DATA / "standards" / "versions"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ccc-practice-standards", "cafcass-qiam-2017"),
        ("cafcass-qiam-2017", "cafcass-qiam-2017"),
        ("ccc-practice-standards", "ccc-practice-standards-2026"),
        ("ccc-practice-standards", "ccc-practice-standards-sp"),
        ("ccc-practice-standards", "ccc-practice-standards-nc"),
    ],
    ids=["other-framework", "itself", "merges-and-renames", "split", "retired"],
)
def test_a_standards_diff_validates(cli: Any, a: str, b: str) -> None:
    # Found in a review of issue 17: the diff's JSON had no version, no kind and no schema.
    run = cli("standards", "diff", a, b, "--standards", VERSIONS, "-f", "json")
    diff = json.loads(run.stdout)
    assert list(diff)[:2] == ["schema_version", "kind"]
    _assert_valid(diff, "standards_diff")


def test_a_standards_diff_reads_back_whatever_its_version() -> None:
    # The JSON is read back as a diff (FrameworkDiff.from_dict) with the two keys before it.
    from qaimpact.frameworks.diff import FrameworkDiff, diff_frameworks
    from qaimpact.frameworks.registry import Registry, bundled_dir

    registry = Registry([bundled_dir(), VERSIONS])
    diff = diff_frameworks(
        registry.get("ccc-practice-standards"), registry.get("ccc-practice-standards-2026")
    )
    document = {"schema_version": schemas.SCHEMA_VERSION, "kind": "standards_diff", **diff.to_dict()}
    assert FrameworkDiff.from_dict(json.loads(json.dumps(document, default=str))) == diff

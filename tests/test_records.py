"""Records of other kinds than the audit, declared as data (issue 13, section 1): the observation.

tests/data/records/observation-ccc.yaml is a valid practice observation of the council's
framework. Each case changes some of its lines and lists every finding the record must then get,
exactly (today is 2026-11-22). The kind, its fields and its checks come from the standards file's
``records:``; nothing in the code names the observation.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, ROOT, TODAY, changed, findings_with_hints
from qaimpact.audits.checker import CheckOptions, check_audit, check_text, what_it_is
from qaimpact.audits.dataset import load_dataset
from qaimpact.authoring.fmt import format_text
from qaimpact.authoring.scaffold import scaffold_record
from qaimpact.frameworks.check import check_file
from qaimpact.frameworks.registry import Registry
from qaimpact.models.standard import Framework
from qaimpact.privacy.redaction import Redactor
from qaimpact.reports.summary import summary

RECORDS = DATA / "records"
OBSERVATION = RECORDS / "observation-ccc.yaml"
CAFCASS_OBSERVATION = RECORDS / "observation-cafcass.yaml"
SHUFFLED = RECORDS / "observation-shuffled.yaml"


CASES: list[Any] = [
    pytest.param({}, [], id="as-written"),
    pytest.param(
        {"kind: observation": "kind: observaton"},
        [
            (
                "2:7 error QA212",
                "Unknown kind of record 'observaton' in 'kind:'; ccc-practice-standards declares these "
                "kinds: observation, feedback, follow_through.",
                "Did you mean 'observation'? Use one of: observation, feedback, follow_through; or remove "
                "'kind:' if the file is an audit.",
            )
        ],
        id="unknown-kind",
    ),
    pytest.param(
        {"kind: observation": "kind: 3"},
        [
            (
                "2:7 error QA212",
                "Unknown kind of record '3' in 'kind:'; ccc-practice-standards declares these kinds: "
                "observation, feedback, follow_through.",
                "Use one of: observation, feedback, follow_through; or remove 'kind:' if the file is an "
                "audit.",
            )
        ],
        id="kind-not-text",
    ),
    pytest.param(
        {"{rating: good,": "{rating: met,"},
        [
            (
                "12:36 error QA204",
                "'met' is not a rating on this framework's scale for 'observed.visits_and_direct_work' "
                "(Visits and direct work).",
                "Use one of: outstanding, good, requires_improvement, inadequate.",
            )
        ],
        id="rating-on-another-frameworks-scale",
    ),
    pytest.param(
        {"  visits_and_direct_work:": "  home_visits:"},
        [
            (
                "12:3 error QA203",
                "Unknown key 'home_visits' in 'observed'.",
                "The keys allowed here are: risk_management, assessment, planning, "
                "visits_and_direct_work, lived_experience, identity_and_relationships, "
                "multi_agency_working, children_in_care, management_oversight, case_recording.",
            )
        ],
        id="unknown-standard",
    ),
    pytest.param(
        {"setting: home_visit": "setting: home visit"},
        [
            (
                "9:10 error QA205",
                "'home visit' is not an allowed value for 'setting' (Setting).",
                "Did you mean 'home_visit'? Reports show it as 'Home visit', but the file uses its id: "
                "home_visit. Use one of: home_visit, child_protection_conference, "
                "core_group, child_in_care_review, family_meeting, court, school_or_nursery, office, "
                "virtual, other.",
            )
        ],
        id="unknown-setting",
    ),
    pytest.param(
        {"observer: Priya Nandakumar\n": ""},
        [
            (
                "2:1 error QA202",
                "The practice observation is missing 'observer' (Observer).",
                "Add 'observer:' at the top level.",
            )
        ],
        id="observer-missing",
    ),
    pytest.param(
        {"record_id: OBS-2026-001": "record_id: TODO"},
        [
            (
                "4:12 error QA210",
                "'record_id' still holds the placeholder TODO.",
                "Replace TODO with the real value.",
            )
        ],
        id="placeholder",
    ),
    pytest.param(
        {"observed_on: 2026-10-05": "observed_on: TODO"},
        [
            (
                "8:14 error QA210",
                "'observed_on' still holds the placeholder TODO.",
                "Replace TODO with the real value (Date observed): a date written YYYY-MM-DD "
                "(year, month, day).",
            )
        ],
        id="placeholder-date",
    ),
    pytest.param(
        {"setting: home_visit": "setting: TODO"},
        [
            (
                "9:10 error QA210",
                "'setting' still holds the placeholder TODO.",
                "Replace TODO with the real value (Setting): one of home_visit, "
                "child_protection_conference, core_group, child_in_care_review, family_meeting, court, "
                "school_or_nursery, office, virtual, other.",
            )
        ],
        id="placeholder-choice",
    ),
    pytest.param(
        {"{rating: good, evidence: Used": "{rating: TODO, evidence: Used"},
        [
            (
                "12:36 error QA210",
                "'observed.visits_and_direct_work.rating' still holds the placeholder TODO.",
                "Replace TODO with the real value (Visits and direct work): one of outstanding, good, "
                "requires_improvement, inadequate.",
            )
        ],
        id="placeholder-rating",
    ),
    pytest.param(
        {
            "observed_on: 2026-10-05": "observed_on: 2026-11-23",
            "feedback_given_on: 2026-10-07": "feedback_given_on: null",
        },
        [
            (
                "8:14 error QA312",
                "'observed_on' is 2026-11-23, after today (2026-11-22).",
                "Record the practice observation once it has happened, with the date it happened.",
            )
        ],
        id="observed-tomorrow",
    ),
    pytest.param(
        {
            "observed_on: 2026-10-05": "observed_on: 2026-11-22",
            "feedback_given_on: 2026-10-07": "feedback_given_on: 2026-11-22",
        },
        [],
        id="observed-today-feedback-same-day",
    ),
    pytest.param(
        {"feedback_given_on: 2026-10-07": "feedback_given_on: 2026-10-04"},
        [
            (
                "18:20 error QA312",
                "'feedback_given_on' is 2026-10-04, before 'observed_on' (date observed, 2026-10-05).",
                "Correct 'feedback_given_on': it cannot come before 'observed_on'.",
            )
        ],
        id="feedback-the-day-before",
    ),
    pytest.param(
        {"feedback_given_on: 2026-10-07": "feedback_given_on: 2026-02-30"},
        [
            (
                "18:20 error QA207",
                "'feedback_given_on' is not a valid date: '2026-02-30'.",
                "February 2026 has 28 days, so there is no 30 February 2026: check the day.",
            )
        ],
        id="feedback-not-a-date",
    ),
    pytest.param(
        {
            "observed:\n  visits_and_direct_work: {rating: good, evidence: Used a three-houses tool "
            "with the child.}\n  lived_experience:\n    rating: outstanding\n    evidence: Tom Ellery "
            "recorded the child's words as she said them.\n": "observed: {}\n"
        },
        [
            (
                "11:11 error QA208",
                "'observed' (Standards observed) rates no standard.",
                "Add at least one standard with its rating, e.g. `risk_management: {rating: outstanding, "
                "evidence: ...}`.",
            )
        ],
        id="no-standard-rated",
    ),
    pytest.param(
        # It split one practitioner into two in every report (found by a new-user review).
        {"practitioner: Tom Ellery": "practitioner: Tom\u200bEllery"},
        [
            (
                "6:15 error QA316",
                "'practitioner' holds the invisible character \\u200b (character 4), which no name contains.",
                "Type it again without the invisible character (it was probably pasted in): names and ids "
                "are matched across records, and it would make this one differ.",
            )
        ],
        id="zero-width-space-in-a-name",
    ),
    pytest.param(
        {"practitioner: Tom Ellery": 'practitioner: "Tom\\u202eEllery"'},
        [
            (
                "6:15 error QA316",
                "'practitioner' holds the invisible character \\u202e (character 4), which no name contains.",
                "Type it again without the invisible character (it was probably pasted in): names and ids "
                "are matched across records, and it would make this one differ.",
            )
        ],
        id="control-character-in-a-name",
    ),
    pytest.param(
        {"strengths: Tom Ellery built": 'strengths: "Bell\\u0007 Tom Ellery built', "quickly.": 'quickly."'},
        [
            (
                "16:12 warning QA411",
                "'strengths' holds the invisible character \\x07 (character 5).",
                "Delete it: it was probably pasted in by accident, and reports show it as an escape.",
            )
        ],
        id="control-character-in-text",
    ),
]


@pytest.mark.parametrize(("replacements", "expected"), CASES)
def test_observation_rules(
    registry: Registry, replacements: dict[str, str], expected: list[tuple[str, str, str]]
) -> None:
    text = changed(OBSERVATION.read_text(encoding="utf-8"), replacements)
    check = check_text(text, "obs.yaml", registry, CheckOptions(today=TODAY))
    assert findings_with_hints(check) == expected


def test_the_kind_is_named_by_the_check(registry: Registry) -> None:
    check = check_audit(OBSERVATION, registry, CheckOptions(today=TODAY, keep_data=True))
    assert (check.valid, check.kind, check.result) == (True, "observation", None)
    assert check.data is not None
    assert check.data["observed"]["lived_experience"] == {
        "rating": "outstanding",
        "evidence": "Tom Ellery recorded the child's words as she said them.",
    }


def test_a_framework_without_record_kinds(tmp_path: Path) -> None:
    from qaimpact.frameworks.registry import bundled_dir

    registry = Registry([bundled_dir(), DATA / "rules" / "standards"])
    text = "kind: observation\nstandards: rules-dated\nrecord_id: X-1\n"
    check = check_text(text, "obs.yaml", registry, CheckOptions(today=TODAY))
    assert findings_with_hints(check) == [
        (
            "1:7 error QA212",
            "Unknown kind of record 'observation' in 'kind:'; rules-dated declares no kinds of record "
            "besides audits.",
            "Remove 'kind:' if the file is an audit, or declare the kind under 'records:' in "
            f"{DATA / 'rules' / 'standards' / 'dated.yaml'}.",
        )
    ]


def test_the_cafcass_observation_uses_the_cafcass_scale(registry: Registry) -> None:
    check = check_audit(CAFCASS_OBSERVATION, registry, CheckOptions(today=TODAY))
    assert findings_with_hints(check) == []
    text = CAFCASS_OBSERVATION.read_text(encoding="utf-8").replace("{rating: met", "{rating: outstanding")
    check = check_text(text, "obs.yaml", registry, CheckOptions(today=TODAY))
    assert findings_with_hints(check) == [
        (
            "10:28 error QA204",
            "'outstanding' is not a rating on this framework's scale for 'observed.report_quality' "
            "(Report quality).",
            "Use one of: good, met, requires_improvement.",
        )
    ]


def test_the_example_of_a_rating_names_a_standard_of_the_framework(registry: Registry) -> None:
    """The hint of QA208 showed `planning`, a council standard, to a Cafcass observer too; copied,
    it would be refused as no Cafcass standard."""
    text = CAFCASS_OBSERVATION.read_text(encoding="utf-8")
    text = text.replace(
        "observed:\n  report_quality: {rating: met, evidence: Clear analysis presented to the court.}\n",
        "observed: {}\n",
    )
    check = check_text(text, "obs.yaml", registry, CheckOptions(today=TODAY))
    assert findings_with_hints(check) == [
        (
            "9:11 error QA208",
            "'observed' (Standards observed) rates no standard.",
            "Add at least one standard with its rating, e.g. `child_seen: {rating: good, evidence: ...}`.",
        )
    ]


# -- new, schema, fmt ----------------------------------------------------------------------------


@pytest.mark.parametrize("framework_id", ["ccc-practice-standards", "cafcass-qiam-2017"])
def test_the_scaffold_holds_only_placeholders(registry: Registry, framework_id: str) -> None:
    framework = registry.get(framework_id)
    assert framework is not None
    text = scaffold_record(framework, "observation", practitioner="Tom Ellery")
    check = check_text(text, "new.yaml", registry, CheckOptions(today=TODAY))
    assert {d.code for d in check.diagnostics} == {"QA210"}
    assert [d.message for d in check.diagnostics] == [
        "'record_id' still holds the placeholder TODO.",
        "'observer' still holds the placeholder TODO.",
        "'observed_on' still holds the placeholder TODO.",
        "'setting' still holds the placeholder TODO.",
        "'observed' still holds the placeholder TODO.",
    ]


def test_a_filled_in_scaffold_is_valid(ccc: Framework, registry: Registry) -> None:
    text = scaffold_record(ccc, "observation", practitioner="Tom Ellery", case_ref="LCS-1")
    filled = changed(
        text,
        {
            "record_id: TODO": "record_id: OBS-9",
            "observer: TODO": "observer: Priya Nandakumar",
            "observed_on: TODO": "observed_on: 2026-11-02",
            "setting: TODO": "setting: court",
            "observed: TODO\n#   risk_management: {rating: TODO, evidence: TODO}": (
                "observed:\n  risk_management: {rating: good, evidence: Seen.}"
            ),
        },
    )
    check = check_text(filled, "new.yaml", registry, CheckOptions(today=TODAY, keep_data=True))
    assert findings_with_hints(check) == []
    assert check.data is not None
    assert (check.data["practitioner"], check.data["case_reference"]) == ("Tom Ellery", "LCS-1")


def test_fmt_orders_an_observation_and_keeps_its_comments(registry: Registry) -> None:
    result = format_text(
        SHUFFLED.read_text(encoding="utf-8"), "obs.yaml", registry, CheckOptions(today=TODAY)
    )
    assert result.problems is None
    assert result.new_text == (
        "# Keys out of order: fmt puts them in the kind's order and keeps this comment.\n"
        "kind: observation\n"
        "standards: ccc-practice-standards\n"
        "record_id: OBS-2026-002\n"
        "observer: Priya Nandakumar\n"
        "practitioner: Tom Ellery   # the practitioner observed\n"
        "observed_on: 2026-10-01\n"
        "setting: office\n"
        "observed:\n"
        "  assessment: {rating: requires_improvement}\n"
        "  case_recording: {rating: good, evidence: Notes typed up the same day.}\n"
    )
    again = format_text(result.new_text, "obs.yaml", registry, CheckOptions(today=TODAY))
    assert not again.changed


def test_cli_new_schema_validate_fmt(cli: Callable[..., Any], tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    target = tmp_path / "obs.yaml"
    run = cli("new", "--standards", "ccc-practice-standards", "--kind", "observation", "-o", target)
    schema_file = tmp_path / "schemas" / "ccc-practice-standards.observation.schema.json"
    assert run.stderr == (
        f"note: wrote {target} and its editor schema {schema_file}: replace each TODO, then run "
        f"`qaimpact validate {target}`.\n"
    )
    assert target.read_text(encoding="utf-8").splitlines()[0] == (
        "# yaml-language-server: $schema=schemas/ccc-practice-standards.observation.schema.json"
    )
    schema = json.loads((tmp_path / "schemas" / "ccc-practice-standards.observation.schema.json").read_text())
    assert schema["$id"] == "urn:qaimpact:schema:observation:ccc-practice-standards"
    assert schema["required"] == [
        "kind",
        "standards",
        "record_id",
        "observer",
        "practitioner",
        "observed_on",
        "setting",
        "observed",
    ]
    run = cli("schema", "ccc-practice-standards", "--kind", "observation")
    assert json.loads(run.stdout) == schema
    run = cli("validate", target, "--today", TODAY.isoformat(), expect=1)
    assert run.stdout.count("QA210") == 6
    shutil.copy(SHUFFLED, tmp_path / "shuffled.yaml")
    run = cli("fmt", tmp_path / "shuffled.yaml", "--today", TODAY.isoformat())
    assert "1 file reformatted" in run.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["new", "--standards", "ccc-practice-standards", "--kind", "observaton"],
            "error: ccc-practice-standards declares no kind of record 'observaton'; did you mean "
            "'observation'? Its kinds: observation, feedback, follow_through.\n",
        ),
        (
            ["schema", "cafcass-qiam-2017", "--kind", "feedbak"],
            "error: cafcass-qiam-2017 declares no kind of record 'feedbak'; did you mean 'feedback'? Its "
            "kinds: observation, feedback, follow_through.\n",
        ),
        (
            ["new", "--standards", "ccc-practice-standards", "--kind", "observation", "--reviewer", "A"],
            "error: --reviewer is for audits; a record names its own people (its scaffold says where).\n",
        ),
        (
            ["schema", "--standards-format", "--kind", "observation"],
            "error: --standards-format describes every standards file: give no framework id or --kind "
            "with it.\n",
        ),
    ],
)
def test_cli_refuses_unknown_kinds(cli: Callable[..., Any], args: list[str], message: str) -> None:
    run = cli(*args, expect=2)
    assert run.stderr == message


FEEDBACK = ROOT / "examples" / "service" / "records" / "cafcass" / "FB-C-2025-001.yaml"
MAPPING = ROOT / "examples" / "import" / "tracker.mapping.yaml"
NARRATIVE = ROOT / "examples" / "narratives" / "2026-Q3.narrative.yaml"
NOT_AUDITS = [
    pytest.param(
        OBSERVATION,
        "a practice observation record",
        f"`qaimpact validate {OBSERVATION}` checks it",
        id="observation",
    ),
    pytest.param(FEEDBACK, "a feedback record", f"`qaimpact validate {FEEDBACK}` checks it", id="feedback"),
    pytest.param(
        MAPPING,
        "an import mapping",
        f"`qaimpact import SHEET --mapping {MAPPING}` uses it",
        id="import-mapping",
    ),
    pytest.param(
        NARRATIVE,
        "a quarterly report's narrative",
        f"`qaimpact quarterly --narrative {NARRATIVE}` uses it",
        id="narrative",
    ),
]


@pytest.mark.parametrize(("path", "what", "use"), NOT_AUDITS)
def test_grade_says_a_record_has_no_grade(cli: Callable[..., Any], path: Path, what: str, use: str) -> None:
    run = cli("grade", path, expect=2)
    assert run.stderr == (
        f"note: {path} is {what}, not an audit, so it has no grade; {use}.\n"
        "error: None of the files given is an audit, so there is nothing to grade.\n"
    )


@pytest.mark.parametrize(("path", "what", "use"), NOT_AUDITS)
def test_report_says_what_a_file_that_is_no_audit_is(
    cli: Callable[..., Any], path: Path, what: str, use: str
) -> None:
    run = cli("report", path, "--today", TODAY, expect=2)
    assert run.stdout == ""
    assert (
        run.stderr == f"error: {path} is {what}, not an audit, so no feedback can be written on it; {use}.\n"
    )


@pytest.mark.parametrize(("path", "what", "use"), NOT_AUDITS)
def test_what_a_file_that_is_no_audit_is(
    path: Path, what: str, use: str, registry: Registry, options: CheckOptions
) -> None:
    assert what_it_is(check_audit(path, registry, options)) == (what, use)
    assert what_it_is(check_audit(DATA / "valid" / "ccc-inadequate.yaml", registry, options)) is None


# -- the summary and redaction -------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    first, second = sorted((DATA / "valid").glob("ccc-*.yaml"))[:2]
    for path in (first, OBSERVATION, CAFCASS_OBSERVATION, SHUFFLED):
        shutil.copy(path, tmp_path / path.name)
    # The two are variants of one audit: as two audits of the folder, each has its own id (QA704).
    text = second.read_text(encoding="utf-8")
    assert text.count("audit_id: CFA-2026-0311\n") == 1
    (tmp_path / second.name).write_text(
        text.replace("audit_id: CFA-2026-0311\n", "audit_id: CFA-2026-0312\n")
    )
    return tmp_path


def test_the_summary_counts_observations(folder: Path, registry: Registry) -> None:
    dataset = load_dataset([folder], registry, CheckOptions(today=TODAY))
    assert [(k.kind, k.record_id) for k in dataset.kinds] == [
        ("observation", "OBS-C-2026-004"),
        ("observation", "OBS-2026-002"),
        ("observation", "OBS-2026-001"),
    ]
    view = summary(dataset)
    ccc = next(
        s
        for s in view["records"]
        if s["framework"]["id"] == "ccc-practice-standards" and s["kind"] == "observation"
    )
    assert ccc["total"] == {"n": 2, "text": "2"}
    assert [(r["key"], r["count"]["n"]) for r in ccc["choices"][0]["rows"] if r["count"]["n"]] == [
        ("home_visit", 1),
        ("office", 1),
    ]
    table = ccc["ratings"][0]
    assert [(r["standard"], [c["n"] for c in r["cells"]], r["total"]["n"]) for r in table["rows"]] == [
        ("assessment", [0, 0, 1, 0], 1),
        ("visits_and_direct_work", [0, 1, 0, 0], 1),
        ("lived_experience", [1, 0, 0, 0], 1),
        ("case_recording", [0, 1, 0, 0], 1),
    ]
    assert [c["n"] for c in table["column_totals"]] == [1, 2, 1, 0]
    assert table["total"]["n"] == 4
    assert ccc["dates"] == [
        {
            "field": "feedback_given_on",
            "label": "Feedback given",
            "recorded": {
                "pct": 50,
                "count": {"n": 1, "text": "1"},
                "of": {"n": 2, "text": "2"},
                "text": "50% (1 of 2)",
            },
            "median_days": 2,
        }
    ]


def test_the_published_summary_hides_small_counts(folder: Path, registry: Registry) -> None:
    view = summary(load_dataset([folder], registry, CheckOptions(today=TODAY)), publish=True)
    observed = [s for s in view["records"] if s["kind"] == "observation"]
    assert len(observed) == 2
    # The other kinds the frameworks declare have no record: a section says so, with no table.
    assert [
        (s["framework"]["id"], s["kind"], s["total"], s["choices"], s["ratings"], s["dates"])
        for s in view["records"]
        if s["kind"] != "observation"
    ] == [
        (framework, kind, {"n": 0, "text": "0"}, [], [], [])
        for framework in ("cafcass-qiam-2017", "ccc-practice-standards")
        for kind in ("feedback", "follow_through")
    ]
    for section in observed:
        table = section["ratings"][0]
        cells = [c["text"] for r in table["rows"] for c in r["cells"]]
        # The records are under 5: their ratings break a small count down, so none is shown.
        assert set(cells) <= {"<5", "*", "–"}
        assert section["total"]["text"] == "<5"
        assert all(d["median_days"] is None for d in section["dates"])


def test_the_cli_summary_shows_observations(cli: Callable[..., Any], folder: Path) -> None:
    run = cli("summary", "--audits", folder, "--today", TODAY.isoformat())
    assert "## Practice observation (Children's Services Practice Standards)" in run.stdout
    assert "| Visits and direct work | 0 | 1 | 0 | 0 | 1 |" in run.stdout
    assert "- Feedback given: recorded in 50% (1 of 2), a median of 2 days after." in run.stdout
    # Regression: a kind of record the framework declares, with none in the period, had no section.
    assert (
        "## Learning follow-through (Children's Services Practice Standards)\n\n"
        "Records in the period: **0**.\n"
    ) in run.stdout


def test_redaction_replaces_the_people_and_case_of_a_record(folder: Path, registry: Registry) -> None:
    dataset = load_dataset([folder], registry, CheckOptions(today=TODAY))
    hidden = Redactor(dataset.records, kinds=dataset.kinds).dataset(dataset)
    text = json.dumps([k.data for k in hidden.kinds], default=str)
    for name in ("Priya", "Nandakumar", "Tom Ellery", "Ellery", "LCS-40417", "Dana Whitlock", "ECMS-7781203"):
        assert name not in text
    record = next(k for k in hidden.kinds if k.record_id == "OBS-2026-001")
    assert record.data["strengths"].endswith("built rapport with the child quickly.")
    assert record.data["strengths"].startswith("Person ")
    assert record.data["case_reference"].startswith("Case ")


# -- the standards data --------------------------------------------------------------------------

KIND = """
records:
  visit:
    label: Visit
    date: {date}
    case_link: {link}
    fields:
      seen_on: {{type: date, required: true}}
      case_ref: {{type: text}}
      seen: {{type: boolean}}
      {extra}
"""


@pytest.mark.parametrize(
    ("date", "link", "extra", "expected"),
    [
        ("seen_on", "case_ref", "", []),
        (
            "seen_on",
            "case_ref",
            "kind: {type: text}",
            [
                (
                    "QA506",
                    "The field 'kind' of the record kind 'visit' cannot be used: every record has 'kind' "
                    "built in.",
                )
            ],
        ),
        (
            "seen_on",
            "case_ref",
            "model_dump: {type: text}",
            [
                (
                    "QA506",
                    "The field 'model_dump' of the record kind 'visit' cannot be used: qaimpact keeps every "
                    "name starting with 'model_' for its own use in reading audits.",
                )
            ],
        ),
        (
            "seen_at",
            "case_ref",
            "",
            [
                (
                    "QA502",
                    "'records.visit.date' names the field of 'visit' 'seen_at', which this file does not "
                    "define.",
                )
            ],
        ),
        (
            "seen",
            "case_ref",
            "",
            [
                (
                    "QA209",
                    "'records.visit.date' names 'seen', which is not a required date field, so it cannot "
                    "date every record.",
                )
            ],
        ),
        (
            "seen_on",
            "seen",
            "",
            [
                (
                    "QA209",
                    "'records.visit.case_link' names 'seen', which is not a text field, so it cannot hold "
                    "a case identifier.",
                )
            ],
        ),
    ],
)
def test_standards_check_of_record_kinds(
    tmp_path: Path, date: str, link: str, extra: str, expected: list[tuple[str, str]]
) -> None:
    base = (DATA / "rules" / "standards" / "dated.yaml").read_text(encoding="utf-8")
    path = tmp_path / "kinds.yaml"
    path.write_text(base + KIND.format(date=date, link=link, extra=extra), encoding="utf-8")
    _, found = check_file(path)
    assert [(d.code, d.message) for d in found] == expected


def test_ratings_are_only_for_records(tmp_path: Path) -> None:
    base = (DATA / "rules" / "standards" / "dated.yaml").read_text(encoding="utf-8")
    path = tmp_path / "kinds.yaml"
    path.write_text(
        base.replace("case_fields:\n", "case_fields:\n  seen: {type: ratings}\n", 1), encoding="utf-8"
    )
    _, found = check_file(path)
    assert [d.code for d in found] == ["QA205"]


def _documented_runs(page: Path) -> list[tuple[list[str], str]]:
    """Each ``sh`` block of the page's run with the ``text`` block after it: command and output."""
    import re
    import shlex

    text = page.read_text(encoding="utf-8")
    text = text[text.index("## A run from a fresh clone") :]
    pairs = re.findall(r"```sh\n(.*?)\n```\n\n```text\n(.*?)```", text, re.S)
    return [(shlex.split(command)[1:], output) for command, output in pairs]


def test_the_documented_run_prints_what_the_page_says(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from conftest import ROOT

    # A fresh clone: the records kept with the tests, and a repository root for the schema.
    shutil.copytree(RECORDS, tmp_path / "tests" / "data" / "records")
    shutil.copytree(DATA / "feedback", tmp_path / "tests" / "data" / "feedback")
    (tmp_path / "tests" / "data" / "valid").mkdir()
    shutil.copy(DATA / "valid" / "ccc-child-in-care.yaml", tmp_path / "tests" / "data" / "valid")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    runs = _documented_runs(ROOT / "docs" / "records.md")
    assert [args[0] for args, _ in runs] == [
        "new",
        "validate",
        "validate",
        "fmt",
        "summary",
        "summary",
        "validate",
    ]
    for args, output in runs:
        run = cli(*args, expect=None)
        assert output in run.stdout + run.stderr, args
    assert (tmp_path / "schemas" / "ccc-practice-standards.observation.schema.json").exists()


def test_a_table_whose_small_counts_pin_each_other_is_not_shown(registry: Registry) -> None:
    # Regression: the six pieces of Cafcass feedback in the examples are one of each source: six
    # rows "<5" adding up to a total of 6 give every row away (each must be 1).
    from conftest import EXAMPLES

    dataset = load_dataset([EXAMPLES / "service"], registry, CheckOptions(today=TODAY))
    view = summary(dataset, publish=True)
    feedback = next(
        s for s in view["records"] if s["kind"] == "feedback" and s["framework"]["id"] == "cafcass-qiam-2017"
    )
    assert all(table["total"] is feedback["total"] for table in feedback["choices"])
    source = next(table for table in feedback["choices"] if table["field"] == "source")
    texts = [row["count"]["text"] for row in source["rows"]]
    # Six rows "<5" beside a total of 6 would pin each to 1: the total or the rows are not shown.
    assert feedback["total"]["text"] in ("6", "*")
    assert not (feedback["total"]["text"] == "6" and texts == ["<5"] * 6)
    assert set(texts) <= {"<5", "*", "–"}
    assert [d["recorded"]["text"] for d in feedback["dates"]] == ["suppressed"]


@pytest.mark.parametrize(
    ("files", "fmt", "line"),
    [
        (
            [OBSERVATION],
            "md",
            "- Standards: Children's Services Practice Standards (version 2019-01): records only, no "
            "audit against it\n",
        ),
        (
            [OBSERVATION],
            "html",
            '<p>Standards: Children&#39;s Services Practice Standards (version <span class="nowrap">'
            "2019-01</span>): records only, no audit against it.</p>\n",
        ),
        (
            [DATA / "valid" / "ccc-child-in-care.yaml", OBSERVATION, CAFCASS_OBSERVATION],
            "md",
            "- Standards: Children's Services Practice Standards (version 2019-01); Quality and Impact "
            "Assurance Model (version 2017-07): records only, no audit against it in the period\n",
        ),
        (
            [DATA / "valid" / "ccc-child-in-care.yaml"],
            "md",
            "- Standards: Children's Services Practice Standards (version 2019-01)\n",
        ),
    ],
)
def test_the_header_names_every_framework_the_summary_shows(
    cli: Callable[..., Any], tmp_path: Path, files: list[Path], fmt: str, line: str
) -> None:
    # Regression: records without an audit of their framework gave "Standards: none, as no audit
    # was reviewed in the period", above the sections of that framework's records.
    for path in files:
        shutil.copy(path, tmp_path / path.name)
    out = cli("summary", "--audits", tmp_path, "--today", TODAY.isoformat(), "-f", fmt).stdout
    assert line in out
    assert "Standards: none" not in out

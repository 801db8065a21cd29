"""Redaction: every name and case identifier is replaced, and nothing that is not one.

The audits in tests/data/redact/audits/ hold every kind of name redaction knows about (see the
comment at the top of each), mentioned again in free text in full, by first or last name, in
capitals and in lower case. A name that survives redaction is a data breach, so the expected text
is asserted exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import Dataset, load_dataset
from qaimpact.base.codes import CODES
from qaimpact.frameworks.registry import Registry
from qaimpact.models.findings import Diagnostic, Severity
from qaimpact.models.location import Location
from qaimpact.privacy.redaction import Redactor

AUDITS = DATA / "redact" / "audits"

#: Every real name and identifier in the audits, and each part of a name used alone in free text.
REAL = (
    "Ann Marie Kowalczyk", "Ann", "Kowalczyk", "A Chaudhry", "Chaudhry", "Tomasz Brennan", "Tomasz",
    "Brennan", "Rhys Llewellyn", "Rhys", "Llewellyn", "Grace Oduya", "Grace", "Oduya", "Bronwen Hale",
    "Hale", "LCS-900901", "ECMS-0099002",
)  # fmt: skip

PEOPLE = {
    "Ann Marie Kowalczyk": "Person A",  # the first audit's practitioner
    "A Chaudhry": "Person B",  # its reviewer
    "Tomasz Brennan": "Person C",  # team_manager, a personal field of the framework
    "Rhys Llewellyn": "Person D",  # the owner of its second remedial action (the first is a repeat)
    "Grace Oduya": "Person E",  # its moderator
    "Bronwen Hale": "Person F",  # the second audit's reviewer
}
CASES = {"LCS-900901": "Case 001", "ECMS-0099002": "Case 002"}


@pytest.fixture(scope="module")
def dataset(registry: Registry) -> Dataset:
    return load_dataset([AUDITS], registry, CheckOptions(today=TODAY))


def strings(value: Any) -> Iterator[str]:
    """Every string in a value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name != "framework":
                yield from strings(getattr(value, f.name))


def test_the_data_is_what_the_tests_expect(dataset: Dataset) -> None:
    assert [r.audit_id for r in dataset.records] == ["CFA-2026-0901", "QA-2026-0902"]
    assert [Path(c.path).name for c in dataset.invalid] == ["kowalczyk-draft.yaml"]
    assert [Path(s.path).name for s in dataset.skipped] == ["kowalczyk-notes.yaml"]
    text = "\n".join(strings(dataset.records))
    for real in REAL:
        assert real.casefold() in text.casefold(), real


def test_pseudonyms_in_order_of_appearance(dataset: Dataset) -> None:
    redactor = Redactor(dataset.records)
    assert redactor.people == PEOPLE
    assert redactor.cases == CASES


def test_no_name_survives_anywhere(dataset: Dataset) -> None:
    redacted = Redactor(dataset.records).dataset(dataset)
    text = "\n".join(strings([redacted.records, redacted.invalid, redacted.skipped]))
    leaked = [r for r in REAL if re.search(rf"(?<!\w){re.escape(r)}(?!\w)", text, re.IGNORECASE)]
    assert leaked == []


def first(dataset: Dataset) -> dict[str, Any]:
    return Redactor(dataset.records).records(dataset.records)[0].data


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param(("practitioner",), "Person A", id="practitioner"),
        pytest.param(("reviewer",), "Person B", id="reviewer"),
        pytest.param(("team_manager",), "Person C", id="personal-field"),
        pytest.param(("remedial_actions", 0, "owner"), "Person A", id="owner-repeat"),
        pytest.param(("remedial_actions", 1, "owner"), "Person D", id="owner"),
        pytest.param(("moderation", "moderator"), "Person E", id="moderator"),
        pytest.param(("case", "case_reference"), "Case 001", id="case-reference"),
        pytest.param(("case", "team"), "Ely Child in Need 1", id="not-personal-case-field-kept"),
        pytest.param(
            ("practice_standards", "risk_management", "evidence"),
            "Person A identified the risks at the strategy meeting; Person A updated the safety plan.",
            id="three-letter-first-name-and-last-of-three-parts",
        ),
        pytest.param(
            ("practice_standards", "assessment", "evidence"),
            "A plan was agreed with a new school, and Person C checked it in supervision.",
            id="an-initial-is-not-a-name",
        ),
        pytest.param(
            ("practice_standards", "planning", "evidence"),
            "Person C noted that the plan for Case 001 has no owners or dates.",
            id="last-name-and-case-reference",
        ),
        pytest.param(
            ("practice_standards", "visits_and_direct_work", "evidence"),
            "Visits every 10 working days; Ms Person B saw the notes.",
            id="last-name-after-an-initial",
        ),
        pytest.param(
            ("practice_standards", "multi_agency_working", "evidence"),
            "Annual review with the school nurse booked by the team at Ely Child in Need 1.",
            id="words-that-start-with-a-name-kept",
        ),
        pytest.param(
            ("practice_standards", "management_oversight", "evidence"),
            "Supervision every four weeks, with Person D and Person E joining once.",
            id="first-names-of-owner-and-moderator",
        ),
        pytest.param(
            ("remedial_actions", 0, "action"),
            "Rewrite the plan as SMART with owners and dates, with Person A.",
            id="full-name-in-capitals",
        ),
        pytest.param(
            ("remedial_actions", 1, "action"),
            "Record a management direction on file (Person D to check).",
            id="last-name-in-brackets",
        ),
        pytest.param(("moderation", "notes"), "Person E agrees with Person B.", id="moderation-notes"),
        pytest.param(("review_date",), dt.date(2026, 10, 5), id="dates-kept"),
        pytest.param(("case", "child_in_care"), False, id="booleans-kept"),
    ],
)
def test_redacted_value(dataset: Dataset, path: tuple[Any, ...], expected: Any) -> None:
    value: Any = first(dataset)
    for key in path:
        value = value[key]
    assert value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Regression: the whole name was matched with single spaces only, so a name typed with two
        # spaces or wrapped onto a new line lost its first and last names but kept its middle one.
        pytest.param("Seen by Ann  Marie Kowalczyk.", "Seen by Person A.", id="two-spaces"),
        pytest.param("Seen by Ann\nMarie\tKowalczyk.", "Seen by Person A.", id="line-break-and-tab"),
        pytest.param("ANN MARIE KOWALCZYK, ann, kowalczyk", "Person A, Person A, Person A", id="any-case"),
        # A middle name alone is a name, as a first name is (it was kept: "Ling" of Mei Ling Chen).
        pytest.param("Marie", "Person A", id="a-middle-name-alone-is-replaced"),
        pytest.param("Annual, Hales, Graceful, A.", "Annual, Hales, Graceful, A.", id="longer-words-kept"),
        pytest.param("ref lcs-900901 and ECMS-0099002.", "ref Case 001 and Case 002.", id="case-ids"),
    ],
)
def test_free_text(dataset: Dataset, text: str, expected: str) -> None:
    assert Redactor(dataset.records).text(text) == expected


def test_same_person_same_pseudonym_across_audits_and_spacing(dataset: Dataset) -> None:
    second = Redactor(dataset.records).record(dataset.records[1]).data
    assert (second["practitioner"], second["reviewer"], second["case"]["ecms_number"]) == (
        "Person A",
        "Person F",
        "Case 002",
    )
    assert second["compliance"]["tools_uploaded"]["evidence"] == (
        "Tools saved to Case 002 by Person A; Person F checked them."
    )


def test_a_redacted_record_keeps_everything_else(dataset: Dataset) -> None:
    record = dataset.records[0]
    redacted = Redactor(dataset.records).record(record)
    assert redacted.framework is record.framework
    assert redacted.result is record.result
    assert redacted.path == record.path  # the file name names no one
    assert redacted.data.keys() == record.data.keys()
    assert record.data["practitioner"] == "Ann Marie Kowalczyk"  # the original is not changed


@pytest.mark.parametrize(
    ("keep", "practitioner", "evidence"),
    [
        pytest.param(
            ["Ann  Marie Kowalczyk"],
            "Ann Marie Kowalczyk",
            "Ann identified the risks at the strategy meeting; Kowalczyk updated the safety plan.",
            id="spacing",
        ),
        pytest.param(
            ["ann marie KOWALCZYK", " "],
            "ann marie KOWALCZYK",
            "Ann identified the risks at the strategy meeting; Kowalczyk updated the safety plan.",
            id="case",
        ),
    ],
)
def test_kept_name_is_not_pseudonymised(
    dataset: Dataset, keep: list[str], practitioner: str, evidence: str
) -> None:
    redactor = Redactor(dataset.records, keep=keep)
    assert redactor.people == {
        "A Chaudhry": "Person A",
        "Tomasz Brennan": "Person B",
        "Rhys Llewellyn": "Person C",
        "Grace Oduya": "Person D",
        "Bronwen Hale": "Person E",
    }
    data = redactor.record(dataset.records[0]).data
    assert data["practitioner"] == practitioner
    assert data["practice_standards"]["risk_management"]["evidence"] == evidence
    assert data["remedial_actions"][1]["owner"] == "Person C"


def test_kept_name_stays_whole_where_another_shares_a_part(dataset: Dataset) -> None:
    record = dataset.records[0]
    data = {**record.data, "practitioner": "Grace Kowalczyk"}
    redactor = Redactor([dataclasses.replace(record, data=data)], keep=["Ann Marie Kowalczyk"])
    assert redactor.text("Ann Marie Kowalczyk met Kowalczyk and Grace.") == (
        "Ann Marie Kowalczyk met Person A and Person A."
    )


@pytest.mark.parametrize("spelled", ["Jürgen Weiß", "JÜRGEN WEIß", "jürgen weiss", "Weiß", "WEISS", "Jürgen"])
def test_names_that_change_when_case_folded(dataset: Dataset, spelled: str) -> None:
    """Regression: names were searched for case-folded only, and "Weiß" folds to "weiss"."""
    record = dataset.records[0]
    data = {**record.data, "practitioner": "Jürgen Weiß"}
    redactor = Redactor([dataclasses.replace(record, data=data)])
    assert redactor.people["Jürgen Weiß"] == "Person A"
    assert redactor.text(f"Seen by {spelled}.") == "Seen by Person A."
    assert redactor.record(dataclasses.replace(record, data=data)).data["practitioner"] == "Person A"


def with_data(dataset: Dataset, **changes: Any) -> Redactor:
    """A redactor of the first audit with some top-level values changed."""
    record = dataset.records[0]
    return Redactor([dataclasses.replace(record, data={**record.data, **changes})])


def test_kept_name_that_changes_when_case_folded(dataset: Dataset) -> None:
    record = dataset.records[0]
    data = {**record.data, "practitioner": "Anna Weiß"}
    redactor = Redactor([dataclasses.replace(record, data=data)], keep=["Jürgen Weiß"])
    assert redactor.text("Jürgen Weiß met Anna Weiß; Weiß agreed.") == (
        "Jürgen Weiß met Person A; Person A agreed."
    )


def test_a_shared_first_name_is_the_first_person_s(dataset: Dataset) -> None:
    redactor = with_data(dataset, reviewer="Ann Jones")
    assert (redactor.people["Ann Marie Kowalczyk"], redactor.people["Ann Jones"]) == ("Person A", "Person B")
    assert redactor.text("Ann, Jones, Ann Jones.") == "Person A, Person B, Person B."


def test_a_whole_name_wins_over_another_s_first_name(dataset: Dataset) -> None:
    """A person recorded by one name is that person, not the first person with that first name."""
    redactor = with_data(dataset, reviewer="Ann")
    assert redactor.people["Ann"] == "Person B"
    assert redactor.text("Ann and Ann Marie Kowalczyk.") == "Person B and Person A."


def test_a_kept_word_wins_over_a_first_name(dataset: Dataset) -> None:
    redactor = Redactor(dataset.records, keep=["Grace"])
    assert redactor.text("Grace Oduya, Grace and Oduya.") == "Person E, Grace and Person E."


def test_case_identifier_with_spaces(dataset: Dataset) -> None:
    case = {**dataset.records[0].data["case"], "case_reference": "LCS  900 901"}
    redactor = with_data(dataset, case=case)
    assert redactor.cases == {"LCS  900 901": "Case 001"}
    assert redactor.text("See LCS 900\n901 and lcs 900 901.") == "See Case 001 and Case 001."


def test_nothing_to_redact(dataset: Dataset) -> None:
    redactor = Redactor([])
    assert (redactor.people, redactor.cases) == ({}, {})
    assert redactor.text("Ann Marie Kowalczyk") == "Ann Marie Kowalczyk"


def test_pseudonyms_go_on_past_z(dataset: Dataset) -> None:
    record = dataset.records[0]
    owners = [f"Worker{i:03d} Example" for i in range(700)]
    actions = [{**record.data["remedial_actions"][0], "owner": o} for o in owners]
    data = {**record.data, "remedial_actions": actions, "moderation": None}
    people = Redactor([dataclasses.replace(record, data=data)]).people
    aliases = list(people.values())
    assert len(aliases) == 703  # practitioner, reviewer, team manager, owners
    assert aliases[:3] == ["Person A", "Person B", "Person C"]
    assert aliases[24:29] == ["Person Y", "Person Z", "Person AA", "Person AB", "Person AC"]
    assert aliases[50:54] == ["Person AY", "Person AZ", "Person BA", "Person BB"]
    assert aliases[-3:] == ["Person ZY", "Person ZZ", "Person AAA"]


# -- findings, invalid and skipped files -----------------------------------------------------------

DIAG = Diagnostic(
    Location("audits/kowalczyk-2026.yaml", 3, 5),
    Severity.WARNING,
    "QA403",
    CODES["QA403"].name,
    "Brennan's note for LCS-900901 has no evidence.",
    "Ask Tomasz Brennan to add 'evidence:'.",
)


def test_finding_keeps_its_redacted_message(dataset: Dataset) -> None:
    redacted = Redactor(dataset.records).diagnostic(DIAG, keep_message=True)
    assert redacted == Diagnostic(
        Location("audits/Person A-2026.yaml", 3, 5),
        Severity.WARNING,
        "QA403",
        CODES["QA403"].name,
        "Person C's note for Case 001 has no evidence.",
        "Ask Person C to add 'evidence:'.",
    )


def test_finding_of_an_invalid_file_gives_only_its_title(dataset: Dataset) -> None:
    redacted = Redactor(dataset.records).diagnostic(DIAG, keep_message=False)
    assert redacted == Diagnostic(
        Location("audits/Person A-2026.yaml", 3, 5),
        Severity.WARNING,
        "QA403",
        CODES["QA403"].name,
        CODES["QA403"].title + ".",
        "",
    )


def test_record_warnings_are_redacted(dataset: Dataset) -> None:
    record = dataclasses.replace(dataset.records[0], path="audits/kowalczyk.yaml", warnings=(DIAG, DIAG))
    redacted = Redactor(dataset.records).record(record)
    assert redacted.path == "audits/Person A.yaml"
    expected = Redactor(dataset.records).diagnostic(DIAG, keep_message=True)
    assert redacted.warnings == (expected, expected)


def test_dataset_redacts_invalid_and_skipped_files(dataset: Dataset) -> None:
    redacted = Redactor(dataset.records).dataset(dataset)
    assert redacted.sources == dataset.sources
    assert [r.data["practitioner"] for r in redacted.records] == ["Person A", "Person A"]
    (invalid,) = redacted.invalid
    # An invalid file's name is withheld whole: it may name someone the redaction never met.
    assert invalid.path == "invalid file 1 (name withheld)"
    assert [(d.location.path, d.code, d.message, d.hint) for d in invalid.diagnostics] == [
        (invalid.path, "QA202", "A required key is missing.", "") for _ in range(3)
    ]
    (skipped,) = redacted.skipped
    assert skipped.path == "skipped file 1 (name withheld)"
    assert skipped.reason == dataset.skipped[0].reason
    assert skipped.reason.startswith("not an audit")


# -- the folders read (--audits) ------------------------------------------------------------------

#: The folder the audits were read from, named after their practitioner and case, and as every
#: redacted report must name it.
NAMED_FOLDER = "/audits/Ann Marie Kowalczyk/LCS-900901"
FOLDER_SHOWN = "/audits/Person A/Case 001"


def test_dataset_redacts_the_folders_read(dataset: Dataset) -> None:
    """Regression: the folders read were kept as given, beside the redacted paths of the audits
    in them, which gave the pseudonyms away."""
    named = dataclasses.replace(dataset, sources=[NAMED_FOLDER, str(AUDITS)])
    redacted = Redactor(dataset.records).dataset(named)
    assert redacted.sources == [FOLDER_SHOWN, str(AUDITS)]
    assert named.sources == [NAMED_FOLDER, str(AUDITS)]  # the original is not changed


def _views() -> list[Any]:
    from qaimpact.cycle import actions, escalations, impact, programme
    from qaimpact.cycle.moderation import moderation_view

    def planned(named: Dataset, today: dt.date, *, redact: bool) -> dict[str, Any]:
        plan = DATA / "redact" / "plan.csv"
        plans = programme.read_plans([plan], ["ccc-practice-standards"])
        return programme.programme_view(plans, named, today, plans=[str(plan)], redact=redact)

    return [
        pytest.param(escalations.escalations_view, id="escalations"),
        pytest.param(actions.actions_view, id="actions"),
        pytest.param(impact.impact_view, id="impact"),
        pytest.param(lambda named, today, *, redact: moderation_view(named, redact=redact), id="moderation"),
        pytest.param(planned, id="programme"),
    ]


@pytest.mark.parametrize("view", _views())
def test_each_redacted_view_names_the_folders_redacted(dataset: Dataset, view: Any) -> None:
    named = dataclasses.replace(dataset, sources=[NAMED_FOLDER])
    assert view(named, TODAY, redact=True)["sources"] == [FOLDER_SHOWN]
    assert view(named, TODAY, redact=False)["sources"] == [NAMED_FOLDER]


def test_the_quarterly_view_names_the_folders_redacted(dataset: Dataset) -> None:
    from qaimpact.audits.quarters import Quarters
    from qaimpact.reports.quarterly import quarterly_view

    named = dataclasses.replace(dataset, sources=[NAMED_FOLDER])
    for publish, folders in ((False, [FOLDER_SHOWN]), (True, [])):  # published: no folder named
        shown = quarterly_view(
            named, quarters=Quarters(), quarter="2026-Q4", today=TODAY, redact=True, publish=publish
        )
        assert shown["sources"] == folders


# -- the dashes and apostrophes Word types ---------------------------------------------------------


@pytest.mark.parametrize(
    ("recorded", "written", "expected"),
    [
        pytest.param("Aoife O'Brien", "Ms O\u2019Brien agreed.", "Ms Person A agreed.", id="curly-in-text"),
        pytest.param("Aoife O\u2019Brien", "Ms O'Brien agreed.", "Ms Person A agreed.", id="curly-in-field"),
        pytest.param("Aoife O'Brien", "AOIFE O\u2018BRIEN agreed.", "Person A agreed.", id="left-quote"),
        pytest.param("Aoife O\u02bcBrien", "Aoife O\u2019Brien agreed.", "Person A agreed.", id="modifier"),
        pytest.param("Niamh Byrne-Walsh", "Byrne\u2011Walsh agreed.", "Person A agreed.", id="nb-hyphen"),
        pytest.param("Niamh Byrne\u2013Walsh", "Niamh Byrne-Walsh agreed.", "Person A agreed.", id="en-dash"),
        pytest.param(
            "Niamh Byrne\u2010Walsh", "Ms Byrne\u2014Walsh agreed.", "Ms Person A agreed.", id="em-dash"
        ),
    ],
)
def test_a_name_typed_with_word_s_punctuation_is_one_name(
    dataset: Dataset, recorded: str, written: str, expected: str
) -> None:
    """Regression: "O’Brien" (Word's apostrophe) was not found where the audit recorded
    "O'Brien", nor "Byrne‑Walsh" (a non-breaking hyphen) where it recorded "Byrne-Walsh"."""
    redactor = with_data(dataset, practitioner=recorded)
    assert redactor.people[recorded] == "Person A"
    assert redactor.text(written) == expected


@pytest.mark.parametrize("dash", ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"])
@pytest.mark.parametrize("recorded", ["LCS-900901", "LCS\u2013900901", "LCS\u2011900901"])
def test_a_case_number_typed_with_word_s_dashes_is_one_case(
    dataset: Dataset, recorded: str, dash: str
) -> None:
    case = {**dataset.records[0].data["case"], "case_reference": recorded}
    redactor = with_data(dataset, case=case)
    assert redactor.cases == {recorded: "Case 001"}
    # Known to the audits, and of the service's shape but unknown (a sibling's case).
    assert redactor.text(f"See LCS{dash}900901 and LCS{dash}900902.") == "See Case 001 and Case 002."


def test_one_person_however_word_types_the_name_is_one_pseudonym(dataset: Dataset) -> None:
    record = dataset.records[0]
    records = [
        dataclasses.replace(record, data={**record.data, "practitioner": name, "reviewer": "Sam Lee"})
        for name in ("Aoife O'Brien", "Aoife O\u2019Brien", "AOIFE O\u02bcBRIEN")
    ]
    people = Redactor(records).people
    spellings = ("Aoife O'Brien", "Aoife O\u2019Brien", "AOIFE O\u02bcBRIEN")
    assert [people[n] for n in spellings] == ["Person A"] * 3
    assert [n for n, alias in people.items() if alias == "Person A"] == list(spellings)

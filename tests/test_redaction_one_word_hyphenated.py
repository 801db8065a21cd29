"""Under ``--redact`` each part of a name recorded as one hyphenated word is replaced alone.

Regression: a name field holding one word with a hyphen (``practitioner: Mei-Ling``, a surname
alone, ``team_manager: Okafor-Reid``) was replaced only whole: evidence reading "Mei identified
the risks", "Ling said" or "Ms Reid held no supervision" kept the name in every redacted report
(``report``, ``summary``, ``quarterly --narrative``, ``--publish``), and so did a file name
(``mei-ling-2026.yaml``). A name of two words ("Mei Ling") had each word replaced alone. Now the
parts of a hyphenated word are the words of the name, replaced by the same rules: each of two
letters or more, however it is cased; one that is also an everyday word ("Rose-May") only where
it is written with a capital; a particle of a surname in lower case ("al" of al-Hassan, and of
al Hassan) never alone.

Data: ``tests/data/redact/one-word-hyphenated`` holds an audit by Mei-Ling (team manager
Okafor-Reid) and one by Rose-May (team manager al-Hassan), each naming them by a part of the name
in evidence and in remedial actions.

The redaction note at the end of a redacted report says what is replaced: every given name and
surname alone and each part of a hyphenated name, where it said only "a first or last name".
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.audits.records import AuditRecord
from qaimpact.frameworks.registry import Registry
from qaimpact.privacy.redaction import Redactor

FOLDER = DATA / "redact" / "one-word-hyphenated"
MEI_LING = FOLDER / "CFA-2026-0971.yaml"
ROSE_MAY = FOLDER / "CFA-2026-0972.yaml"

#: Each case: the audit, a row of its feedback report (redacted alone: its practitioner is Person
#: A, its reviewer Person B, its team manager Person C) and a remedial action row of the summary of
#: both audits (Rose-May is Person D there, al-Hassan Person E).
CASES = [
    pytest.param(
        MEI_LING,
        "| Risk management | Good | Person A identified the risks at the strategy meeting. |",
        "| CFA-2026-0971 | Person A | Person A to rewrite the child in need plan as SMART with owners and "
        "dates. | 2026-11-17 | 5 |",
        id="first-part-alone",
    ),
    pytest.param(
        MEI_LING,
        "| Assessment | Good | Person A said the assessment was up to date; Person A and Person A checked "
        "it. |",
        "| CFA-2026-0971 | Person A | Person A and Person A to record the direct work with the child. "
        "| 2026-11-18 | 4 |",
        id="second-part-alone-in-any-case",
    ),
    pytest.param(
        MEI_LING,
        "| Planning | Requires improvement to be good | Person A wrote the plan; Person A signed it; it "
        "has no owners or dates. |",
        "| CFA-2026-0971 | Person A | Person A to invite the school nurse to the core group; Person A to "
        "chair it. | 2026-11-19 | 3 |",
        id="parts-written-with-a-space",
    ),
    pytest.param(
        MEI_LING,
        "| Management oversight and supervision | Requires improvement to be good | Ms Person C and Ms "
        "Person C held no recorded supervision for 11 weeks. |",
        "| CFA-2026-0971 | Person C | Ms Person C to hold supervision every four weeks; Person C to "
        "record it. | 2026-11-20 | 2 |",
        id="hyphenated-surname-alone",
    ),
    pytest.param(
        ROSE_MAY,
        "| Risk management | Good | Person A identified the risks; they may rise, as they rose last "
        "winter, and Person A agreed. |",
        "| CFA-2026-0972 | Person D | Person D to review the plan; it may need new dates. | 2026-11-17 | 5 |",
        id="everyday-words-with-a-capital-only",
    ),
    pytest.param(
        ROSE_MAY,
        "| Management oversight and supervision | Requires improvement to be good | Ms Person C and Ms "
        "Person C read the school, health et al. reports but held no supervision. |",
        "| CFA-2026-0972 | Person E | Ms Person E to hold supervision and read the school, health et "
        "al. reports. | 2026-11-18 | 4 |",
        id="surname-particle-never-alone",
    ),
]


@pytest.mark.parametrize(("audit", "row", "action"), CASES)
def test_each_part_is_replaced_in_the_feedback_report(
    cli: Callable[..., Any], audit: Path, row: str, action: str
) -> None:
    run = cli("report", audit, "--today", TODAY.isoformat(), "--format", "md", "--redact")
    assert row in run.stdout.splitlines()


@pytest.mark.parametrize(("audit", "row", "action"), CASES)
def test_each_part_is_replaced_in_the_summary(
    cli: Callable[..., Any], audit: Path, row: str, action: str
) -> None:
    run = cli("summary", "--audits", FOLDER, "--today", TODAY.isoformat(), "--format", "md", "--redact")
    assert action in run.stdout.splitlines()


#: What the last lines of a redacted report say redaction does.
NOTE = (
    "Names and case numbers are replaced by pseudonyms (Person A, Case 001), and an audit's or "
    "record's id that holds either by one of its own (Audit 001, Record 001). Redaction replaces "
    "the names the audits record in their name fields, wherever they appear: the whole name, "
    "and each first name, middle name and surname on its own, as well as each part of a "
    "hyphenated name (Mei and Ling of Mei-Ling, Smith and Jones of Smith-Jones). A name that "
    "is also an everyday word, such as Will or May, is replaced on its own only where it is "
    "written with a capital. Every case number of the service's shape is replaced too. "
    "Redaction cannot find a name it was never given, such as a relative named only in "
    "evidence. Read the report before it leaves the QA team."
)


@pytest.mark.parametrize(
    ("command", "fmt"),
    [
        pytest.param(("report", MEI_LING), "md", id="report-md"),
        pytest.param(("report", MEI_LING), "json", id="report-json"),
        pytest.param(("summary", "--audits", FOLDER), "md", id="summary-md"),
        pytest.param(("summary", "--audits", FOLDER), "json", id="summary-json"),
    ],
)
def test_the_redaction_note_says_every_name_and_each_part_is_replaced(
    cli: Callable[..., Any], command: tuple[Any, ...], fmt: str
) -> None:
    run = cli(*command, "--today", TODAY.isoformat(), "--format", fmt, "--redact")
    if fmt == "json":
        assert json.loads(run.stdout)["redaction"] == NOTE
    else:
        assert "> " + NOTE in run.stdout.splitlines()


@pytest.fixture(scope="module")
def record(registry: Registry) -> AuditRecord:
    return load_dataset([MEI_LING], registry, CheckOptions(today=TODAY)).records[0]


def _redactor(record: AuditRecord, name: str) -> Redactor:
    """A redactor that knows ``name`` as the practitioner (Person A), and only Helen Marsh
    (Person B) besides."""
    data = {**record.data, "practitioner": name, "team_manager": "Helen Marsh", "remedial_actions": []}
    return Redactor([dataclasses.replace(record, data=data)])


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "Mei-Ling",
            "Mei said; Ling agreed; MEI and ling; Mei Ling and mei-ling signed.",
            "Person A said; Person A agreed; Person A and Person A; Person A and Person A signed.",
            id="given-names",
        ),
        pytest.param(
            "Okafor-Reid",
            "Ms Okafor, Ms Reid, REID, Okafor Reid and okafor-reid agreed.",
            "Ms Person A, Ms Person A, Person A, Person A and Person A agreed.",
            id="surname",
        ),
        # Three parts: each run of them is one pseudonym too, as of a name of three words.
        pytest.param(
            "Marie-Claire-Odile",
            "Claire and Odile met; Claire-Odile and Marie-Claire wrote.",
            "Person A and Person A met; Person A and Person A wrote.",
            id="three-parts",
        ),
        # Everyday words: replaced alone only where written with a capital, as for "Rose May".
        pytest.param(
            "Rose-May",
            "Rose said the roses grew; it may rain; we rose early; May and Rose May agreed.",
            "Person A said the roses grew; it may rain; we rose early; Person A and Person A agreed.",
            id="everyday-words",
        ),
        # A particle of a surname in lower case is never a name alone: "et al." stays.
        pytest.param(
            "al-Hassan",
            "Ms Hassan, Ms al-Hassan and AL-HASSAN read the school, health et al. reports.",
            "Ms Person A, Ms Person A and Person A read the school, health et al. reports.",
            id="surname-particle",
        ),
        # The same name written with a space: "al" was replaced alone ("et Person A.").
        pytest.param(
            "al Hassan",
            "Ms Hassan and Ms al Hassan read the school, health et al. reports.",
            "Ms Person A and Ms Person A read the school, health et al. reports.",
            id="surname-particle-with-a-space",
        ),
        # A dash Word types for a hyphen ("Mei–Ling", an en dash) separates the parts as a hyphen does.
        pytest.param(
            "Mei\u2013Ling Chen",
            "Mei said; Ling agreed; Mei-Ling Chen signed.",
            "Person A said; Person A agreed; Person A signed.",
            id="word-dash",
        ),
    ],
)
def test_each_part_is_replaced_in_text(record: AuditRecord, name: str, text: str, expected: str) -> None:
    assert _redactor(record, name).text(text) == expected


@pytest.mark.parametrize(
    ("name", "path", "expected"),
    [
        pytest.param(
            "Mei-Ling", "audits/mei-ling-2026.yaml", "audits/Person A-Person A-2026.yaml", id="given-names"
        ),
        pytest.param(
            "Okafor-Reid",
            "audits/Reid/okafor-reid.yaml",
            "audits/Person A/Person A-Person A.yaml",
            id="surname",
        ),
    ],
)
def test_each_part_is_replaced_in_a_path(record: AuditRecord, name: str, path: str, expected: str) -> None:
    """In a path, hyphens join a file's words: each part is replaced alone there, as each word of a
    name of two words is."""
    assert _redactor(record, name).path(path) == expected


ROLES = DATA / "redact" / "roles" / "CFA-2026-0931.yaml"


@pytest.mark.parametrize(
    ("raised_to", "text", "expected"),
    [
        pytest.param(
            "Lead-for-schools",
            "Raised to the Lead-for-schools; for the schools, the lead said so.",
            "Raised to the Person D; for the schools, the lead said so.",
            id="role-for-something",
        ),
        pytest.param(
            "Head-of-Service",
            "Raised to the Head-of-Service; the Service and the head teacher were told.",
            "Raised to the Person D; the Service and the head teacher were told.",
            id="all-words-of-a-role",
        ),
    ],
)
def test_a_role_written_as_one_hyphenated_word_is_replaced_whole(
    registry: Registry, raised_to: str, text: str, expected: str
) -> None:
    """A guard, not a regression: a role written with hyphens in ``raised_to`` is a role, replaced
    whole as it was, its words ("for", "schools", "Service") never looked for alone as a name's
    parts are."""
    audit = load_dataset([ROLES], registry, CheckOptions(today=TODAY)).records[0]
    data = {**audit.data, "escalation": {**audit.data["escalation"], "raised_to": raised_to}}
    assert Redactor([dataclasses.replace(audit, data=data)]).text(text) == expected

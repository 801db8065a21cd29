"""Under ``--redact`` every given name of a person is replaced alone, and a hyphen may join a name's words.

Regression: only a person's first and last names were looked for alone, and a hyphen between
the words of a name was not read as the space between them: with ``practitioner: Mei Ling Chen``,
evidence reading "Mei-Ling and Ling said" came out as "Person A-Ling and Ling said" in every
redacted report (``report``, ``summary``, ``quarterly --narrative``, ``--publish``). Now each
given name (first and middle) is replaced alone by the rules the first name is, a name written
with hyphens between its words ("Mei-Ling", "Mei-Ling Chen") is the name written with spaces,
and a hyphenated surname ("Pryce-Jones") is replaced as before.

Data: ``tests/data/redact/given-names`` holds an audit by Mei Ling Chen (team manager Gwen
Pryce-Jones) and one by Anna Maria Louise Fenwick, each naming them so in evidence and in
remedial actions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.audits.records import AuditRecord
from qaimpact.frameworks.registry import Registry
from qaimpact.privacy.redaction import Redactor

FOLDER = DATA / "redact" / "given-names"
CHEN = FOLDER / "CFA-2026-0961.yaml"
FENWICK = FOLDER / "CFA-2026-0962.yaml"

#: Each case: the audit, the evidence row of its feedback report and the remedial action row of
#: the summary, both redacted.
CASES = [
    pytest.param(
        CHEN,
        "| Risk management | Good | Person A identified the risks at the strategy meeting. |",
        "| CFA-2026-0961 | Person A | Rewrite the child in need plan as SMART with owners and dates "
        "(Person A to lead). | 2026-11-17 | 5 |",
        id="middle-name-alone",
    ),
    pytest.param(
        CHEN,
        "| Assessment | Good | Person A and Person A said the assessment was up to date. |",
        "| CFA-2026-0961 | Person A | Person A and Person A to record the direct work with the child. "
        "| 2026-11-18 | 4 |",
        id="hyphenated-given-names",
    ),
    pytest.param(
        CHEN,
        "| Planning | Requires improvement to be good | Person A wrote the plan; it has no owners or "
        "dates. |",
        "| CFA-2026-0961 | Person A | Person A to invite the school nurse to the core group. "
        "| 2026-11-19 | 3 |",
        id="hyphenated-full-name",
    ),
    pytest.param(
        CHEN,
        "| Visits and direct work | Good | Person A visited every 10 working days; Person A saw the child "
        "alone. |",
        "| CFA-2026-0961 | Person A | Person A to ask the father's views; Person A to record them. "
        "| 2026-11-20 | 2 |",
        id="middle-name-in-another-case",
    ),
    pytest.param(
        FENWICK,
        "| Risk management | Good | Person D and Person D identified the risks; Person D wrote them up. |",
        "| CFA-2026-0962 | Person D | Rewrite the child in need plan as SMART with owners and dates "
        "(Person D to lead; Person D and Person D to help). | 2026-11-17 | 5 |",
        id="three-given-names",
    ),
]


@pytest.mark.parametrize(("audit", "row", "action"), CASES)
def test_every_given_name_is_replaced_in_the_feedback_report(
    cli: Callable[..., Any], audit: Any, row: str, action: str
) -> None:
    run = cli("report", audit, "--today", TODAY.isoformat(), "--format", "md", "--redact")
    # The report names one audit: its practitioner is the first person it meets.
    assert row.replace("Person D", "Person A") in run.stdout.splitlines()


@pytest.mark.parametrize(("audit", "row", "action"), CASES)
def test_every_given_name_is_replaced_in_the_summary(
    cli: Callable[..., Any], audit: Any, row: str, action: str
) -> None:
    run = cli("summary", "--audits", FOLDER, "--today", TODAY.isoformat(), "--format", "md", "--redact")
    assert action in run.stdout.splitlines()


def test_a_hyphenated_surname_is_still_replaced_whole_and_by_its_parts(cli: Callable[..., Any]) -> None:
    run = cli("report", CHEN, "--today", TODAY.isoformat(), "--format", "md", "--redact")
    assert (
        "| Management oversight and supervision | Requires improvement to be good | Ms Person C and Ms "
        "Person C held no recorded supervision for 11 weeks. |"
    ) in run.stdout.splitlines()
    assert "| Team manager | Person C |" in run.stdout.splitlines()


@pytest.fixture(scope="module")
def record(registry: Registry) -> AuditRecord:
    return load_dataset([CHEN], registry, CheckOptions(today=TODAY)).records[0]


def _redactor(record: AuditRecord, name: str) -> Redactor:
    return Redactor([dataclasses.replace(record, data={**record.data, "practitioner": name})])


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param("Mei Ling Chen", "Ling said so.", "Person A said so.", id="middle-name-alone"),
        pytest.param(
            "Mei Ling Chen",
            "Mei-Ling and Ling said",
            "Person A and Person A said",
            id="hyphenated-given-names",
        ),
        pytest.param(
            "Mei Ling Chen",
            "Mei-Ling Chen agreed; MEI-LING CHEN signed; mei-ling chen (typed); Ling Chen too.",
            "Person A agreed; Person A signed; Person A (typed); Person A too.",
            id="hyphenated-full-name",
        ),
        pytest.param(
            "Mei Ling Chen",
            "LING called; ling wrote; Ms Chen read it.",
            "Person A called; Person A wrote; Ms Person A read it.",
            id="middle-name-in-another-case",
        ),
        pytest.param(
            "Anna Maria Louise Fenwick",
            "Maria, Louise and LOUISE FENWICK met; Anna-Maria and Maria-Louise wrote.",
            "Person A, Person A and Person A met; Person A and Person A wrote.",
            id="three-given-names",
        ),
        # The name field writes the hyphen: the same name, its given names alone too.
        pytest.param(
            "Mei-Ling Chen",
            "Mei-Ling, Mei Ling Chen, Mei and Ling said.",
            "Person A, Person A, Person A and Person A said.",
            id="hyphenated-in-the-name-field",
        ),
        # A hyphenated surname: whole, by its parts, and with its hyphen read as a space.
        pytest.param(
            "Gwen Pryce-Jones",
            "Ms Pryce-Jones, Ms Jones, Pryce and Gwen Pryce Jones agreed.",
            "Ms Person A, Ms Person A, Person A and Person A agreed.",
            id="hyphenated-surname",
        ),
        # A middle name that is an everyday word is replaced alone only with a capital, as a first
        # name is; a particle of a surname in lower case ("van der") is never a name alone.
        pytest.param(
            "Lucy Rose Achebe",
            "Rose said the roses grew; we rose early.",
            "Person A said the roses grew; we rose early.",
            id="everyday-middle-name",
        ),
        pytest.param(
            "Jan van der Berg",
            "Jan van der Berg drove the van; Van der Berg and Berg agreed.",
            "Person A drove the van; Person A and Person A agreed.",
            id="surname-particles",
        ),
    ],
)
def test_every_given_name_is_replaced_in_text(
    record: AuditRecord, name: str, text: str, expected: str
) -> None:
    assert _redactor(record, name).text(text) == expected


def test_a_name_written_with_hyphens_is_one_person_with_the_name_written_with_spaces(
    record: AuditRecord,
) -> None:
    data = {**record.data, "practitioner": "Mei-Ling Chen", "reviewer": "Mei Ling Chen"}
    redactor = Redactor([dataclasses.replace(record, data=data)])
    assert redactor.people["Mei-Ling Chen"] == redactor.people["Mei Ling Chen"] == "Person A"


def test_a_path_keeps_its_hyphens_and_loses_every_given_name(record: AuditRecord) -> None:
    """In a path, hyphens join a file's words: each name is replaced alone there, as before."""
    redactor = _redactor(record, "Mei Ling Chen")
    assert (
        redactor.path("audits/ling/mei-ling-chen.yaml") == "audits/Person A/Person A-Person A-Person A.yaml"
    )

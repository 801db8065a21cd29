"""Redaction reaches the names the escalation lifecycle and the other kinds of record hold.

Everyone told of an escalation (``recipients[].name``), whoever acknowledged or closed it, and
each field of an observation, a piece of feedback or a follow-through marked ``personal: true``
(the case link as a case) get the same pseudonym wherever they appear.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import EXAMPLES, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import Dataset, load_dataset
from qaimpact.frameworks.registry import Registry
from qaimpact.models.findings import Diagnostic, Severity
from qaimpact.models.location import Location
from qaimpact.privacy.redaction import Redactor
from test_redact import strings

SERVICE = EXAMPLES / "service"
AUDIT = "CFA-2025-0316"
RECORD = "FB-L-2025-001"


@pytest.fixture(scope="module")
def service(registry: Registry) -> Dataset:
    return load_dataset([SERVICE], registry, CheckOptions(today=TODAY))


@pytest.fixture
def redactor(service: Dataset) -> Redactor:
    # Built for each test, so that what building it does is tested by every test that uses it.
    return Redactor(service.records, kinds=service.kinds)


def escalation_people(service: Dataset) -> Iterator[str]:
    for record in service.records:
        escalation = record.data.get("escalation") or {}
        for recipient in escalation.get("recipients") or []:
            yield recipient["name"]
        for key in ("acknowledged_by", "closed_by"):
            if escalation.get(key):
                yield escalation[key]


def record_people(service: Dataset) -> Iterator[tuple[str, str]]:
    """(value, "person" or "case") of every personal field of every record of another kind."""
    for record in service.kinds:
        declared = record.framework.spec.records[record.kind]
        for name, field in declared.fields.items():
            value = record.data.get(name)
            if field.personal and isinstance(value, str) and value.strip():
                yield value, "case" if name == declared.case_link else "person"


def test_the_examples_hold_what_these_tests_need(service: Dataset) -> None:
    audit = next(r for r in service.records if r.audit_id == AUDIT)
    escalation = audit.data["escalation"]
    assert [r["name"] for r in escalation["recipients"]] == [
        "Emily Hargreaves",
        "Sandra Whitlock",
        "Gillian Marsh",
    ]
    assert escalation["acknowledged_by"] == "Gillian Marsh"
    assert escalation["closed_by"]
    assert {r.kind for r in service.kinds} == {
        "observation",
        "feedback",
        "follow_through",
    }


def test_everyone_told_of_an_escalation_gets_a_pseudonym(service: Dataset, redactor: Redactor) -> None:
    names = set(escalation_people(service))
    assert names
    for name in names:
        assert re.fullmatch(r"Person [A-Z]+", redactor.people[name]), name


def test_no_name_from_an_escalation_is_left_in_the_redacted_audits(
    service: Dataset, redactor: Redactor
) -> None:
    names = set(escalation_people(service))
    for record in redactor.records(service.records):
        for text in strings(record.data):
            for name in names:
                assert name not in text, (record.audit_id, name)


def test_every_personal_field_of_a_record_gets_a_pseudonym(service: Dataset, redactor: Redactor) -> None:
    found = list(record_people(service))
    assert {what for _, what in found} == {"person", "case"}
    for value, what in found:
        alias = redactor.cases[value] if what == "case" else redactor.people[" ".join(value.split())]
        assert re.fullmatch(r"Case \d{3}" if what == "case" else r"Person [A-Z]+", alias), value


def test_no_personal_value_is_left_in_a_redacted_record(service: Dataset, redactor: Redactor) -> None:
    values = {value for value, _ in record_people(service)}
    for record in service.kinds:
        redacted = redactor.kind_record(record)
        assert redacted.kind == record.kind
        for text in strings(redacted.data):
            for value in values:
                assert value not in text, (record.record_id, value)


def test_a_record_is_redacted_field_by_field(service: Dataset, redactor: Redactor) -> None:
    record = next(r for r in service.kinds if r.record_id == RECORD)
    redacted = redactor.kind_record(record)
    people = redactor.people
    expected: dict[str, Any] = {
        **record.data,
        "case_reference": redactor.cases["LCS-926064"],
        "practitioner": people["Ravi Chaudhry"],
        "recorded_by": people["Femi Oladipo"],
    }
    assert redacted.data == expected
    assert redacted.path == record.path


def test_a_records_warnings_and_path_are_redacted_and_keep_their_message(
    service: Dataset, redactor: Redactor
) -> None:
    record = next(r for r in service.kinds if r.record_id == RECORD)
    where = Location(f"records/Ravi Chaudhry {RECORD}.yaml", 7, 15)
    warning = Diagnostic(
        where, Severity.WARNING, "QA411", "control-character-in-text", "Ravi Chaudhry: text.", "Hint."
    )
    named = dataclasses.replace(record, path=where.path, warnings=(warning,))
    redacted = redactor.kind_record(named)
    alias = redactor.people["Ravi Chaudhry"]
    assert redacted.path == f"records/{alias} {RECORD}.yaml"
    assert redacted.warnings == (
        dataclasses.replace(
            warning, location=dataclasses.replace(where, path=redacted.path), message=f"{alias}: text."
        ),
    )


@pytest.mark.parametrize(
    ("field", "place"),
    [
        (
            "recipients",
            lambda name: {"recipients": [{"role": "Head of Service", "name": name, "told_on": "2026-01-05"}]},
        ),
        ("acknowledged_by", lambda name: {"acknowledged_by": name}),
        ("closed_by", lambda name: {"closed_by": name}),
    ],
)
def test_a_name_found_only_in_one_escalation_field_gets_a_pseudonym(
    service: Dataset, field: str, place: Any
) -> None:
    """Each field on its own: a name that appears nowhere else in the audits must still be found."""
    audit = next(r for r in service.records if r.audit_id == AUDIT)
    escalation = {"raised_on": "2026-01-05", **place("Orla Quennell")}
    alone = dataclasses.replace(audit, data={**audit.data, "escalation": escalation})
    redactor = Redactor([alone])
    assert "Orla Quennell" in redactor.people, field
    assert all("Orla Quennell" not in text for text in strings(redactor.record(alone).data))


def test_a_record_names_its_people_and_its_case_apart(service: Dataset) -> None:
    record = next(r for r in service.kinds if r.record_id == RECORD)
    redactor = Redactor([], kinds=[record])
    assert set(redactor.people) == {"Ravi Chaudhry", "Femi Oladipo"}
    assert set(redactor.cases) == {"LCS-926064"}

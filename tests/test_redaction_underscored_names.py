"""Under ``--redact`` a name written with underscores in a name field ("gareth_lloyd") is replaced.

Regression: the text redaction searches reads an underscore as a space ("will_may.yaml"), but a
name was looked for as written, underscore and all, so a name field holding a user name, or the
id of a personal choice (``choices: [helen_marsh, ...]``), was never found, not even in its own
field: the feedback report under ``--redact`` kept "gareth_lloyd" as the team manager, and
"Gareth" in the evidence. Now a name's underscores separate its words, as in the text.

Data: ``tests/data/redact/underscores`` holds an audit whose team manager is ``gareth_lloyd``
(mentioned in evidence as "Gareth") and a feedback record recorded by ``rosa_greer`` (named in
what was said as "Rosa Greer"); neither is named in any other field.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.frameworks.registry import Registry
from qaimpact.privacy.redaction import Redactor

FOLDER = DATA / "redact" / "underscores"
AUDIT = FOLDER / "CFA-2026-0951.yaml"

#: How each format writes the team manager's field in the feedback report, redacted.
FIELD = {
    "md": "| Team manager | Person C |",
    "json": '"value": "Person C"',
    "html": "<dt>Team manager</dt><dd>Person C</dd>",
}


@pytest.mark.parametrize("fmt", ["md", "json", "html"])
def test_a_name_written_with_underscores_is_replaced_in_the_feedback_report(
    cli: Callable[..., Any], fmt: str
) -> None:
    run = cli("report", AUDIT, "--today", TODAY.isoformat(), "-f", fmt, "--redact")
    assert FIELD[fmt] in run.stdout
    # Neither the field's value nor the first name alone in the evidence is left.
    assert re.findall(r"(?i)gareth|lloyd", html.unescape(run.stdout)) == []


def test_a_name_written_with_underscores_is_one_person_with_the_name_written_with_spaces(
    registry: Registry,
) -> None:
    dataset = load_dataset([FOLDER], registry, CheckOptions(today=TODAY))
    (audit,) = dataset.records
    (feedback,) = dataset.kinds
    redactor = Redactor(dataset.records, kinds=dataset.kinds)
    # The practitioner, the reviewer, then the team manager; the feedback's recorder last.
    assert redactor.people == {
        "Priya Natarajan": "Person A",
        "Helen Marsh": "Person B",
        "gareth_lloyd": "Person C",
        "rosa_greer": "Person D",
    }
    redacted = redactor.record(audit).data
    assert redacted["team_manager"] == "Person C"
    assert redacted["practice_standards"]["management_oversight"]["evidence"] == (
        "Person C held no recorded supervision for 11 weeks."
    )
    record = redactor.kind_record(feedback).data
    assert (record["recorded_by"], record["said"]) == ("Person D", "Person D rang back the same day.")
    # Written with a space, or with capitals, the same person.
    assert redactor.text("Gareth Lloyd and GARETH_LLOYD agreed.") == "Person C and Person C agreed."

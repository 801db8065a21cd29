"""Under ``--redact`` an audit id that holds a name is replaced whole, as an id, in every report.

Regression: an id holding a name that is also an everyday word, in lower case
(``CFA-2026-may-0911`` of Will May's audit), was redacted as prose, word by word: "may" was left
in the id wherever the report wrote it as text (the audits listed, the impact report, the
learning log), and the file's name became ``CFA-2026-Person A-0911.yaml``. Now every id that
holds a known name or case number gets a pseudonym of its own (``Audit 001``), the same wherever
the report writes it: its field, its file's name, a re-audit's link, a message. An id that holds
neither is kept, as the QA team finds an audit by it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.audits.records import AuditRecord
from qaimpact.frameworks.registry import Registry
from qaimpact.privacy.redaction import NOTE, Redactor
from test_redaction_cli import _write

#: The people of tests/data/redact/names/: Will May is the practitioner of the council's audit
#: and its re-audit, and the reviewer of the Cafcass audit; Helen Marsh its practitioner.
PEOPLE = ["Will May", "Priya Natarajan", "Helen Marsh", "Tomasz Nowak", "Grace Obi", "Jürgen Strauß"]
#: The ids of the templates, and what each test writes in their place.
TEMPLATE_IDS = ("CFA-2026-0911", "CFA-2026-0912", "QA-2026-0913")

#: Ids of the bundled frameworks' shape (a prefix, then groups of letters and digits joined by
#: hyphens or underscores: ``audit_ids`` in the standards files) that hold "may".
SPELLINGS = [
    pytest.param(("CFA-2026-may-0911", "CFA-2026-may-0912", "QA-2026-may-0913"), id="hyphens"),
    pytest.param(("CFA_2026_may_0911", "CFA_2026_may_0912", "QA_2026_may_0913"), id="underscores"),
    pytest.param(("cfa-may-2026-0911", "cfa-may-2026-0912", "qa-may-2026-0913"), id="lower-case"),
    # The name run into the number: no hyphen between them.
    pytest.param(("CFA-2026-May0911", "CFA-2026-May0912", "QA-2026-May0913"), id="run-together"),
]


def _audits(folder: Path, ids: tuple[str, str, str]) -> Path:
    _write(folder, PEOPLE, ("900001", "0099999"))
    for path in folder.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for old, new in zip(TEMPLATE_IDS, ids, strict=True):
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return folder


#: Each report that names audits, as run (``{folder}`` is the audits' folder), and a line it
#: writes: the ids are numbered in the order the report's redaction meets the audits (the council's
#: audit of 5 October, the Cafcass audit of 6 October, the re-audit of 2 November).
REPORTS: list[tuple[tuple[str, ...], str]] = [
    (
        ("summary",),
        "| Audit 001 | 2026-10-05 | Ely Child in Need 1 | Person A "
        "| Requires improvement to be good (moderated) |",
    ),
    (
        ("quarterly", "--quarter", "2026-Q4"),
        "| Audit 002 | 2026-10-06 | South West Private Law | Person B | Requires improvement |",
    ),
    (
        ("escalations",),
        "- Audit 003 (`{folder}/ccc-reaudit.yaml`), graded Requires improvement to be good: "
        "raised to Person F.",
    ),
    (("actions",), "- Audit 001: `{folder}/ccc-original.yaml`"),
    (("impact",), "#### Standards, Audit 001 to Audit 003"),
    (
        ("moderation",),
        "| Moderation | Audit 003 (`{folder}/ccc-reaudit.yaml`), 2026-11-02 | Person B "
        "| Requires improvement to be good | Person E, 2026-11-10 | Requires improvement to be good "
        "| Same grade | G. Person E agrees with Ms Person B. |",
    ),
    # Helen Marsh's learning log: her audit's id holds her reviewer's name.
    (
        ("report", "--fca", "Helen Marsh"),
        "| 2026-10-06 | Audit 001 | Requires improvement | Ineffective child engagement |",
    ),
]


@pytest.mark.parametrize("ids", SPELLINGS)
@pytest.mark.parametrize(("command", "line"), REPORTS, ids=lambda v: v[0] if isinstance(v, tuple) else None)
def test_an_audit_id_holding_a_name_is_replaced_whole_in_every_report(
    cli: Callable[..., Any], tmp_path: Path, ids: tuple[str, str, str], command: tuple[str, ...], line: str
) -> None:
    folder = _audits(tmp_path, ids)
    run = cli(*command, "--audits", folder, "--today", TODAY.isoformat(), "--format", "md", "--redact")
    assert line.format(folder=folder) in run.stdout.splitlines()
    # Nothing of an id is left: not its name, not its number.
    out = run.stdout.replace(NOTE, "")
    assert re.findall(r"(?i)\bmay\b|091[123]", out) == []


@pytest.mark.parametrize("ids", SPELLINGS)
def test_an_audit_id_holding_a_name_is_replaced_whole_in_its_feedback(
    cli: Callable[..., Any], tmp_path: Path, ids: tuple[str, str, str]
) -> None:
    audit = _audits(tmp_path, ids) / "cafcass.yaml"
    run = cli("report", audit, "--today", TODAY.isoformat(), "--format", "md", "--redact")
    assert run.stdout.splitlines()[0] == "# Audit feedback: Audit 001"
    assert re.findall(r"(?i)\bmay\b|0913", run.stdout.replace(NOTE, "")) == []


@pytest.fixture(scope="module")
def record(registry: Registry) -> AuditRecord:
    records = load_dataset([DATA / "redact" / "audits"], registry, CheckOptions(today=TODAY)).records
    return records[0]


@pytest.mark.parametrize(
    ("written", "expected", "in_path"),
    [
        # The id as written anywhere: in prose, in another spelling, in a path, in a message.
        ("QA-2026-may-0902", "Audit 001", True),
        ("Re-audit of qa_2026_MAY_0902.", "Re-audit of Audit 001.", True),
        ("audits/QA-2026-may-0902.yaml", "audits/Audit 001.yaml", True),
        # The name alone in prose is the word it is; the other audit's id holds no name: kept.
        ("We may close CFA-2026-0901.", "We may close CFA-2026-0901.", False),
    ],
)
@pytest.mark.parametrize("ident", ["QA-2026-may-0902", "QA_2026_may_0902"])
def test_an_audit_id_is_replaced_as_an_id(
    record: AuditRecord, ident: str, written: str, expected: str, in_path: bool
) -> None:
    named = dataclasses.replace(record, data={**record.data, "audit_id": ident, "practitioner": "Will May"})
    other = dataclasses.replace(record, path="other.yaml")
    redactor = Redactor([named, other])
    assert redactor.text(written) == expected
    if in_path:
        assert redactor.path(written) == expected


@pytest.mark.parametrize(
    ("ident", "path"),
    [
        # A name run into the id's number or into another name, in any case: no hyphen or
        # underscore between them. Regression: these ids were kept, and so the name in them.
        ("QA-2026-Marsh0902", "audits/QA-2026-Marsh0902.yaml"),
        ("marsh2026", "audits/marsh2026.yaml"),
        ("HelenMarsh_2026", "audits/HelenMarsh_2026.yaml"),
        # An initial run into the surname ("HMarsh"). Regression: kept, as one word.
        ("QA-2026-HMarsh0902", "audits/QA-2026-HMarsh0902.yaml"),
        ("CFA-HMarsh-2026", "audits/CFA-HMarsh-2026.yaml"),
    ],
)
def test_an_audit_id_holding_a_name_run_into_the_rest_is_replaced_whole(
    record: AuditRecord, ident: str, path: str
) -> None:
    data = {**record.data, "audit_id": ident, "practitioner": "Helen Marsh"}
    named = dataclasses.replace(record, data=data)
    redactor = Redactor([named])
    assert redactor.ids == {ident: "Audit 001"}
    assert redactor.text(f"Re-audit of {ident}.") == "Re-audit of Audit 001."
    assert redactor.path(path) == "audits/Audit 001.yaml"


@pytest.mark.parametrize("ident", ["CFA-900901", "cfa_900901_2026", "900901"])
def test_an_audit_id_holding_its_case_number_s_digits_is_replaced_whole(
    record: AuditRecord, ident: str
) -> None:
    # The case is LCS-900901: its digits alone are the case number too. Regression: kept.
    named = dataclasses.replace(record, data={**record.data, "audit_id": ident})
    redactor = Redactor([named])
    assert redactor.ids == {ident: "Audit 001"}
    assert redactor.path(f"audits/{ident}.yaml") == "audits/Audit 001.yaml"


@pytest.mark.parametrize("ident", ["QA-2026-0902", "QA2026X0902", "CFA-2026-0902b", "CFA-2026-90090"])
def test_an_audit_id_of_letters_and_digits_alone_is_kept(record: AuditRecord, ident: str) -> None:
    data = {**record.data, "audit_id": ident, "practitioner": "Helen Marsh"}
    named = dataclasses.replace(record, data=data)
    assert Redactor([named]).ids == {}

"""Each audit's escalations are worked out once per record, and a copy works out its own.

A summary asks for every audit's escalation rules twice (its framework's section and the cycle's
escalations); over 10,000 audits the second asking was a tenth of the report's time, so
``AuditRecord.escalations`` keeps what :func:`triggers` found. A copy of the record made with
``dataclasses.replace`` (as redaction makes one) must not carry the original's: its data may
differ, and a redacted report must never show reasons worked out from the names it hides.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

import pytest

from conftest import EXAMPLES, TODAY
from qaimpact.audits import records as records_module
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.audits.records import AuditRecord
from qaimpact.frameworks.registry import Registry
from qaimpact.grading.escalation_triggers import triggers
from qaimpact.reports.summary import quarterly_summary


@pytest.fixture(scope="module")
def service() -> list[AuditRecord]:
    dataset = load_dataset([EXAMPLES / "service"], Registry.default(), CheckOptions(today=TODAY), jobs=1)
    return dataset.records


def test_the_same_rules_as_triggers(service: list[AuditRecord]) -> None:
    escalated = 0
    for record in service:
        found = record.escalations()
        assert found == tuple(triggers(record.framework, record.data, record.result.grade))
        assert record.escalations() is found
        escalated += bool(found)
    # The bundled service has audits that need escalating and audits that do not.
    assert 0 < escalated < len(service)


def test_a_copy_works_out_its_own(service: list[AuditRecord]) -> None:
    record = next(r for r in service if not r.escalations())
    worst = record.framework.spec.grades.scale[-1].id
    data = {**record.data, "moderation": {**(record.data.get("moderation") or {}), "moderated_grade": worst}}
    copy = dataclasses.replace(record, data=data)
    assert copy.escalations() == tuple(triggers(copy.framework, data, copy.result.grade))
    assert copy.escalations()
    assert not record.escalations()


def test_a_summary_works_each_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = load_dataset([EXAMPLES / "service"], Registry.default(), CheckOptions(today=TODAY), jobs=1)
    asked: Counter[int] = Counter()

    def counted(framework: Any, data: Any, computed: str) -> Any:
        asked[id(data)] += 1
        return triggers(framework, data, computed)

    monkeypatch.setattr(records_module, "triggers", counted)
    view = quarterly_summary(dataset, today=TODAY)
    assert view["cycle"]["escalations"]
    assert set(asked.values()) == {1}
    assert len(asked) == len(dataset.records)

"""Under ``--redact`` a record's id that holds a name or a case number is replaced whole, as an
audit's id is.

Regression: the ``record_id`` of a record of another kind (a practice observation, feedback, a
follow-through) was redacted as text, word by word. ``OBS-VikramJoshi-2026`` kept the observer's
name whole (no word of it stands alone), ``PLR-LCS-784037`` became ``PLR-Case 001``, which still
says the id is of a case, and ``obs_joshi_2026`` became ``obs_Person A_2026``. Now such an id gets a
pseudonym of its own (``Record 001``), the same wherever it is written: its field, its file's
name, a message, and in every format of the learning log. An id that names no one is kept.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import Dataset, load_dataset
from qaimpact.audits.records import AuditRecord, KindRecord
from qaimpact.frameworks.registry import Registry
from qaimpact.privacy.redaction import Redactor

SERVICE = EXAMPLES / "service"
#: Tomasz Nowak's observation (by Vikram Joshi, of the case LCS-784037) and his follow-through
#: (with Gareth Lloyd), of the council's example service.
OBSERVATION = "OBS-L-2026-003"
FOLLOW_THROUGH = "PLR-L-2025-001"


@pytest.fixture(scope="module")
def service(registry: Registry) -> Dataset:
    return load_dataset([SERVICE / "ccc", SERVICE / "records" / "ccc"], registry, CheckOptions(today=TODAY))


def _named(service: Dataset, ident: str, new: str) -> KindRecord:
    record = next(r for r in service.kinds if r.record_id == ident)
    return dataclasses.replace(record, data={**record.data, "record_id": new}, path=f"records/{new}.yaml")


@pytest.mark.parametrize(
    "ident",
    [
        # The observer's name, in any case, run together, between underscores or hyphens.
        "OBS-VikramJoshi-2026",
        "obs_joshi_2026",
        "OBS-2026-Joshi003",
        "obs-vikram-joshi",
        # The observer's initial run into the surname. Regression: kept, "VJoshi" being one word.
        "OBS-VJoshi-2026",
        "OBS-2026-VJoshi",
        # The case it is of, whole, run together or by its digits alone (5 or more).
        "OBS-LCS-784037",
        "OBS-lcs784037",
        "OBS-784037",
    ],
)
def test_a_record_id_holding_a_name_or_a_case_is_replaced_whole(service: Dataset, ident: str) -> None:
    record = _named(service, OBSERVATION, ident)
    redactor = Redactor([], kinds=[record])
    assert redactor.ids == {ident: "Record 001"}
    redacted = redactor.kind_record(record)
    assert (redacted.record_id, redacted.path) == ("Record 001", "records/Record 001.yaml")
    assert redactor.text(f"As seen in {ident}.") == "As seen in Record 001."
    assert redactor.path(f"records/{ident}.yaml") == "records/Record 001.yaml"


@pytest.mark.parametrize("ident", [OBSERVATION, "OBS-2026-003", "OBS2026X003", "FB-L-2025-001"])
def test_a_record_id_that_names_no_one_is_kept(service: Dataset, ident: str) -> None:
    record = _named(service, OBSERVATION, ident)
    redactor = Redactor([], kinds=[record])
    assert redactor.ids == {}
    assert redactor.kind_record(record).record_id == ident


def test_audits_and_records_are_numbered_apart(service: Dataset) -> None:
    # An audit's id and a record's, both holding the observer's name: each by its own kind.
    audit: AuditRecord = service.records[0]
    named = dataclasses.replace(
        audit, data={**audit.data, "audit_id": "CFA-Joshi-2026", "practitioner": "Vikram Joshi"}
    )
    records = [
        _named(service, OBSERVATION, "OBS-Joshi-2026"),
        _named(service, FOLLOW_THROUGH, "PLR-Joshi-2025"),
    ]
    redactor = Redactor([named], kinds=records)
    assert redactor.ids == {
        "CFA-Joshi-2026": "Audit 001",
        "OBS-Joshi-2026": "Record 001",
        "PLR-Joshi-2025": "Record 002",
    }


# -- through the CLI: the learning log shows each of the practitioner's records by its id ----------

#: ``(observation id, follow-through id)`` as each test writes them: the observer's name run
#: together, and the case's number; then in lower case between underscores.
SPELLINGS = [
    pytest.param(("OBS-VikramJoshi-2026", "PLR-LCS-784037"), id="run-together-and-case"),
    pytest.param(("obs_vikram_joshi_2026", "plr_gareth_lloyd_2025"), id="lower-case-underscores"),
    pytest.param(("OBS-2026-Joshi", "PLR-784037"), id="surname-and-digits"),
    pytest.param(("OBS-VJoshi-2026", "PLR-GLloyd-2025"), id="initial-run-into-surname"),
]


def _service(folder: Path, ids: tuple[str, str]) -> Path:
    """The council's example audits, Tomasz Nowak's observation and follow-through, with these ids."""
    shutil.copytree(SERVICE / "ccc", folder / "ccc")
    (folder / "records").mkdir()
    for old, new in zip((OBSERVATION, FOLLOW_THROUGH), ids, strict=True):
        text = (SERVICE / "records" / "ccc" / f"{old}.yaml").read_text(encoding="utf-8")
        assert f"record_id: {old}\n" in text
        (folder / "records" / f"{new}.yaml").write_text(
            text.replace(f"record_id: {old}\n", f"record_id: {new}\n"), encoding="utf-8"
        )
    return folder


def _log(cli: Callable[..., Any], folder: Path, fmt: str) -> str:
    run = cli(
        "report",
        "--fca",
        "Tomasz Nowak",
        "--audits",
        folder,
        "--today",
        TODAY.isoformat(),
        "-f",
        fmt,
        "--redact",
    )
    return str(run.stdout)


@pytest.mark.parametrize("ids", SPELLINGS)
def test_a_record_id_holding_a_name_or_a_case_is_replaced_whole_in_the_learning_log(
    cli: Callable[..., Any], tmp_path: Path, ids: tuple[str, str]
) -> None:
    folder = _service(tmp_path, ids)
    # The follow-through (2025-10-23) is met first: records are read kind by kind, then by date.
    md = _log(cli, folder, "md").splitlines()
    assert [line.split(" on ")[0] for line in md if line.startswith("Practice observation ")] == [
        "Practice observation Record 002"
    ]
    assert [line.split(" | ")[:2] for line in md if line.startswith("| 2025-10-23 |")] == [
        ["| 2025-10-23", "Record 001"]
    ]
    view = json.loads(_log(cli, folder, "json"))
    (framework,) = view["frameworks"]
    assert [o["record_id"] for o in framework["observations"]] == ["Record 002"]
    assert [f["record_id"] for f in framework["follow_through"]] == ["Record 001"]
    html = _log(cli, folder, "html")
    assert re.findall(r"<code>(Record[^<]*)</code>", html) == ["Record 002", "Record 001"]
    # Nothing of an id is left in any format: not the names in it, not the case's digits.
    for out in (*md, json.dumps(view, ensure_ascii=False), html):
        assert re.findall(r"(?i)joshi|lloyd|784037", out) == []

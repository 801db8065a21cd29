"""Under ``--redact`` and ``--publish`` pseudonyms follow what the report shows, never the audit
ids or file names it hides.

Regression: pseudonyms ("Person A", "Case 001", "Audit 001") were given in the order the audits
are read, by review date, then audit id, then path. Of two audits of one day, "Person A" was the
practitioner of the audit whose id sorts first: an id that holds a name (``QA-2026-HMarsh1014``),
replaced by "Audit 001" in the report, still ordered the letters by the people's names, and the
audits were listed in that order too. Now the audits of one day are met in the order of what the
redacted report shows of them, so that renaming their ids or files (each still replaced whole)
gives the same report, byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.frameworks.registry import Registry
from qaimpact.privacy.redaction import Redactor

TEMPLATES = DATA / "redact" / "same-day"

#: How each test names the two audits of 14 October 2026, Helen Marsh's and Zara Abbott's: their
#: audit ids and file names. Each id and file name holds a name, so the report shows none of
#: them ("Audit 001", "Person A-Person A.yaml"). FIRST's ids read Helen Marsh's audit first; those
#: of "ids", "swapped" and "ids-files" read Zara Abbott's first; "files" renames the files alone.
FIRST = ("QA-2026-HMarsh1014", "QA-2026-ZAbbott1014", "helen-marsh.yaml", "zara-abbott.yaml")
SHORT = ("QA-2026-Marsh1014", "QA-2026-Abbott1014")
RENAMED = [
    pytest.param((*SHORT, *FIRST[2:]), id="ids"),
    pytest.param((FIRST[1], FIRST[0], *FIRST[2:]), id="swapped"),
    pytest.param((*SHORT, "marsh-helen.yaml", "abbott-zara.yaml"), id="ids-files"),
    pytest.param((*FIRST[:2], "marsh-helen.yaml", "abbott-zara.yaml"), id="files"),
]

#: Every report that redacts the audits, as run in the audits' folder.
REPORTS = [
    pytest.param(("summary", "--redact"), id="summary"),
    pytest.param(("summary", "--redact", "--format", "json"), id="summary-json"),
    pytest.param(("summary", "--publish"), id="summary-published"),
    pytest.param(("quarterly", "--quarter", "2026-Q4", "--redact"), id="quarterly"),
    pytest.param(("escalations", "--redact"), id="escalations"),
    pytest.param(("actions", "--redact"), id="actions"),
    pytest.param(("impact", "--redact"), id="impact"),
    pytest.param(("moderation", "--redact"), id="moderation"),
]


def _audits(folder: Path, names: tuple[str, str, str, str]) -> Path:
    """The two audits of one day in ``folder``, by the ids and file names of ``names``."""
    marsh_id, abbott_id, marsh_file, abbott_file = names
    folder.mkdir()
    for template, ident, file in (("marsh", marsh_id, marsh_file), ("abbott", abbott_id, abbott_file)):
        text = (TEMPLATES / f"{template}.yaml.tmpl").read_text(encoding="utf-8")
        (folder / file).write_text(text.replace("{ID}", ident), encoding="utf-8")
    return folder


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("names", RENAMED)
def test_renaming_same_day_audits_gives_the_same_report(cli, monkeypatch, tmp_path, report, names):
    outputs = []
    for at, chosen in enumerate((FIRST, names)):
        monkeypatch.chdir(_audits(tmp_path / f"audits{at}", chosen))
        outputs.append(cli(*report, "--audits", ".", "--today", TODAY.isoformat(), expect=None).stdout)
    assert outputs[0].strip()
    assert outputs[1] == outputs[0]


def _people(folder: Path, registry: Registry) -> dict[str, str]:
    dataset = load_dataset([folder], registry, CheckOptions(today=TODAY))
    redactor = Redactor(dataset.records, kinds=dataset.kinds)
    return {**redactor.people, **redactor.cases}


@pytest.mark.parametrize("names", RENAMED)
def test_pseudonyms_do_not_follow_ids_or_files(registry, tmp_path, names):
    assert _people(_audits(tmp_path / "renamed", names), registry) == _people(
        _audits(tmp_path / "first", FIRST), registry
    )


def test_pseudonyms_follow_what_the_report_shows(registry, tmp_path):
    # Zara Abbott's audit shows "requires_improvement" where Helen Marsh's shows "met": the same
    # for any ids, and what decides whose letter comes first.
    assert _people(_audits(tmp_path / "first", FIRST), registry) == {
        "Helen Marsh": "Person A",
        "Bronwen Hale": "Person B",
        "Zara Abbott": "Person C",
        "Tomos Reece": "Person D",
        "ECMS-0099101": "Case 001",
        "ECMS-0099102": "Case 002",
    }


@pytest.mark.parametrize("names", RENAMED)
def test_redacted_audits_are_listed_in_the_same_order(registry, tmp_path, names):
    from qaimpact.privacy.redaction import in_shown_order

    def shown(folder: Path) -> list[tuple[str, str]]:
        dataset = load_dataset([folder], registry, CheckOptions(today=TODAY))
        redacted = in_shown_order(Redactor(dataset.records).dataset(dataset))
        return [(r.audit_id, r.data["practitioner"]) for r in redacted.records]

    first = shown(_audits(tmp_path / "first", FIRST))
    assert first == [("Audit 001", "Person A"), ("Audit 002", "Person C")]
    assert shown(_audits(tmp_path / "renamed", names)) == first

"""Under ``--redact`` and ``--publish`` pseudonyms follow what the report shows, never the audit
ids or file names it hides.

Regression: pseudonyms ("Person A", "Case 001", "Audit 001") were given in the order the audits
are read, by review date, then audit id, then path. Of two audits of one day, "Person A" was the
practitioner of the audit whose id sorts first: an id that holds a name (``QA-2026-HMarsh1014``),
replaced by "Audit 001" in the report, still ordered the letters by the people's names, and the
audits were listed in that order too. Now the audits of one day are met in the order of what the
redacted report shows of them, so that renaming their ids or files (each still replaced whole)
gives the same report, byte for byte.

The same for records of other kinds (tests/data/redact/same-day-records/), for audits alike but for
their names (tests/data/redact/alike/), and for a case number only their text holds; and, a
decision rather than a regression, pseudonyms hold within one report only.
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


# -- records of other kinds -------------------------------------------------------------------------
# Regression: records (practice observations, feedback, follow-through) were given their pseudonyms
# in the order of their record ids: of two observations of one day, "Person B" was the observer of
# the one whose id sorts first, and a learning log listed "Record 001" first by that id.

RECORDS = DATA / "redact" / "same-day-records"

#: How each test names Idris Vaughan's and Nerys Powell's observations of Helen Marsh on 15 October
#: 2026: their record ids and file names, each holding the observer's name, as FIRST above.
RECORD_FIRST = ("OBS-2026-IVaughan1015", "OBS-2026-NPowell1015", "vaughan.yaml", "powell.yaml")
RECORD_SHORT = ("OBS-2026-Vaughan1015", "OBS-2026-Powell1015")
RECORD_RENAMED = [
    pytest.param((*RECORD_SHORT, *RECORD_FIRST[2:]), id="ids"),
    pytest.param((RECORD_FIRST[1], RECORD_FIRST[0], *RECORD_FIRST[2:]), id="swapped"),
    pytest.param((*RECORD_SHORT, "powell-obs.yaml", "vaughan-obs.yaml"), id="ids-files"),
    pytest.param((*RECORD_FIRST[:2], "zz-vaughan.yaml", "aa-powell.yaml"), id="files"),
]

#: Every report that shows records of other kinds, as run in their folder: the learning log
#: lists them, the summary and quarterly report count them.
RECORD_REPORTS = [
    pytest.param(("report", "--fca", "Helen Marsh", "--redact"), id="learning-log"),
    pytest.param(("report", "--fca", "Helen Marsh", "--redact", "--format", "json"), id="learning-log-json"),
    pytest.param(("report", "--fca", "Helen Marsh", "--redact", "--format", "html"), id="learning-log-html"),
    pytest.param(("summary", "--redact"), id="summary"),
    pytest.param(("summary", "--redact", "--format", "json"), id="summary-json"),
    pytest.param(("summary", "--publish"), id="summary-published"),
    pytest.param(("quarterly", "--quarter", "2026-Q4", "--redact"), id="quarterly"),
]


def _records(folder: Path, names: tuple[str, str, str, str]) -> Path:
    """The audits of FIRST, and the two observations of one day by the ids and files of ``names``."""
    _audits(folder, FIRST)
    vaughan_id, powell_id, vaughan_file, powell_file = names
    for template, ident, file in (("vaughan", vaughan_id, vaughan_file), ("powell", powell_id, powell_file)):
        text = (RECORDS / f"{template}.yaml.tmpl").read_text(encoding="utf-8")
        (folder / file).write_text(text.replace("{ID}", ident), encoding="utf-8")
    return folder


@pytest.mark.parametrize("report", RECORD_REPORTS)
@pytest.mark.parametrize("names", RECORD_RENAMED)
def test_renaming_same_day_records_gives_the_same_report(cli, monkeypatch, tmp_path, report, names):
    outputs = []
    for at, chosen in enumerate((RECORD_FIRST, names)):
        monkeypatch.chdir(_records(tmp_path / f"records{at}", chosen))
        outputs.append(cli(*report, "--audits", ".", "--today", TODAY.isoformat(), expect=None).stdout)
    assert outputs[0].strip()
    assert outputs[1] == outputs[0]


@pytest.mark.parametrize("names", RECORD_RENAMED)
def test_record_pseudonyms_do_not_follow_ids_or_files(registry, tmp_path, names):
    assert _people(_records(tmp_path / "renamed", names), registry) == _people(
        _records(tmp_path / "first", RECORD_FIRST), registry
    )


def _shown_records(folder: Path, registry: Registry) -> list[tuple[str, str, str, str]]:
    """Each redacted observation as listed: its id, observer, case and rating of case recording."""
    from qaimpact.privacy.redaction import in_shown_order

    dataset = load_dataset([folder], registry, CheckOptions(today=TODAY))
    redacted = in_shown_order(Redactor(dataset.records, kinds=dataset.kinds).dataset(dataset))
    return [
        (
            k.record_id,
            k.data["observer"],
            k.data["ecms_number"],
            k.data["observed"]["case_recording"]["rating"],
        )
        for k in redacted.kinds
    ]


def test_record_pseudonyms_follow_what_the_report_shows(registry, tmp_path):
    # Idris Vaughan's observation rates case recording "good" where Nerys Powell's rates it "met":
    # the same for any ids, and what decides whose letter, case and record number come first.
    folder = _records(tmp_path / "first", RECORD_FIRST)
    assert _shown_records(folder, registry) == [
        ("Record 001", "Person E", "Case 003", "good"),
        ("Record 002", "Person F", "Case 004", "met"),
    ]


@pytest.mark.parametrize("names", RECORD_RENAMED)
def test_redacted_records_are_listed_in_the_same_order(registry, tmp_path, names):
    first = _shown_records(_records(tmp_path / "first", RECORD_FIRST), registry)
    assert _shown_records(_records(tmp_path / "renamed", names), registry) == first


def test_a_learning_log_lists_records_by_the_ids_it_shows(cli, monkeypatch, tmp_path):
    monkeypatch.chdir(_records(tmp_path / "records", RECORD_SHORT + RECORD_FIRST[2:]))
    run = cli("report", "--fca", "Helen Marsh", "--redact", "--audits", ".", "--today", TODAY.isoformat())
    lines = [line for line in run.stdout.splitlines() if line.startswith("Practice observation")]
    assert [line.split(" on ")[0] for line in lines] == [
        "Practice observation Record 001",
        "Practice observation Record 002",
    ]
    assert "Mr Person B saw Helen" in lines[0]
    assert "Ms Person C saw Helen" in lines[1]


# -- audits alike but for their names --------------------------------------------------------------
# Regression: audits of one day that show the same, names aside, kept the order they were read in
# (by audit id, then path): whose letter came first followed the hidden ids or files, and where one
# of their people is shown again (the reviewer of one is the practitioner of the other, or a later
# audit names them), the report told which was read first. Now they are met in the order whose
# pseudonyms read least; alike audits naming no one else any other audit names are interchangeable:
# either order writes the same report, byte for byte.

ALIKE = DATA / "redact" / "alike" / "audit.yaml.tmpl"

#: (file, audit id, case, practitioner, reviewer, date) of each audit of a folder. The ids and
#: file names hold the practitioner's name, so a report shows none of them.
Alike = tuple[str, str, str, str, str, str]
DAY, LATER = "2026-10-14", "2026-10-21"
ALIKE_FOLDERS = {
    # Rhys Morgan reviewed Gwen Talbot's audit and was audited himself on the same day.
    "reviewer-audited": [
        ("gwen-talbot.yaml", "QA-2026-GTalbot1014", "ECMS-0099301", "Gwen Talbot", "Rhys Morgan", DAY),
        ("rhys-morgan.yaml", "QA-2026-RMorgan1014", "ECMS-0099302", "Rhys Morgan", "Sian Lewis", DAY),
    ],
    # Sian Lewis is audited again a week later: that audit shows her letter.
    "audited-again": [
        ("gwen-talbot.yaml", "QA-2026-GTalbot1014", "ECMS-0099301", "Gwen Talbot", "Rhys Morgan", DAY),
        ("sian-lewis.yaml", "QA-2026-SLewis1014", "ECMS-0099302", "Sian Lewis", "Dylan Hughes", DAY),
        ("sian-lewis-2.yaml", "QA-2026-SLewis1021", "ECMS-0099303", "Sian Lewis", "Owen Price", LATER),
    ],
    # Nobody is named twice: the two alike audits are interchangeable.
    "apart": [
        ("gwen-talbot.yaml", "QA-2026-GTalbot1014", "ECMS-0099301", "Gwen Talbot", "Rhys Morgan", DAY),
        ("sian-lewis.yaml", "QA-2026-SLewis1014", "ECMS-0099302", "Sian Lewis", "Dylan Hughes", DAY),
    ],
}


def _swap_ids(audits: list[Alike]) -> list[Alike]:
    """The first two audits with each other's ids."""
    (f1, i1, *rest1), (f2, i2, *rest2), *others = audits
    return [(f1, i2, *rest1), (f2, i1, *rest2), *others]  # type: ignore[list-item]


def _turn_files(audits: list[Alike]) -> list[Alike]:
    """Each audit in a file named with its practitioner's surname first ("talbot-gwen.yaml"): the
    files are read in the other order, and each still names its own practitioner, as the report
    shows under --redact ("Person A-Person A.yaml")."""
    turned = []
    for file, *rest in audits:
        first, surname, *more = Path(file).stem.split("-")
        turned.append(("-".join([surname, first, *more]) + ".yaml", *rest))
    return turned  # type: ignore[return-value]


ALIKE_RENAMED = [pytest.param(_swap_ids, id="ids"), pytest.param(_turn_files, id="files")]

#: The reports that show the alike audits' people, as run in their folder.
ALIKE_REPORTS = [
    pytest.param(("summary", "--redact"), id="summary"),
    pytest.param(("summary", "--redact", "--format", "json"), id="summary-json"),
    pytest.param(("summary", "--publish", "--by", "practitioner"), id="summary-published"),
    pytest.param(("summary", "--redact", "--format", "csv"), id="summary-csv"),
    pytest.param(("quarterly", "--quarter", "2026-Q4", "--redact"), id="quarterly"),
]


def _alike(folder: Path, audits: list[Alike]) -> Path:
    folder.mkdir()
    template = ALIKE.read_text(encoding="utf-8")
    for file, ident, case, practitioner, reviewer, day in audits:
        text = template.replace("{ID}", ident).replace("{CASE}", case).replace("{DATE}", day)
        text = text.replace("{PRACTITIONER}", practitioner).replace("{REVIEWER}", reviewer)
        (folder / file).write_text(text.replace("{FIRST}", practitioner.split()[0]), encoding="utf-8")
    return folder


@pytest.mark.parametrize("report", ALIKE_REPORTS)
@pytest.mark.parametrize("rename", ALIKE_RENAMED)
@pytest.mark.parametrize("shape", list(ALIKE_FOLDERS))
def test_renaming_alike_audits_gives_the_same_report(cli, monkeypatch, tmp_path, shape, rename, report):
    outputs = []
    for at, audits in enumerate((ALIKE_FOLDERS[shape], rename(ALIKE_FOLDERS[shape]))):
        monkeypatch.chdir(_alike(tmp_path / f"audits{at}", audits))
        outputs.append(cli(*report, "--audits", ".", "--today", TODAY.isoformat(), expect=None).stdout)
    assert outputs[0].strip()
    assert outputs[1] == outputs[0]


def _listed(folder: Path, registry: Registry) -> list[tuple[str, str, str, str]]:
    from qaimpact.privacy.redaction import in_shown_order

    dataset = load_dataset([folder], registry, CheckOptions(today=TODAY))
    redacted = in_shown_order(Redactor(dataset.records).dataset(dataset))
    return [
        (r.audit_id, r.review_date.isoformat(), r.data["practitioner"], r.data["reviewer"])
        for r in redacted.records
    ]


#: What the redacted audits of each folder show, for any ids and files.
ALIKE_SHOWN = {
    # Met first, Gwen Talbot's audit reads "A, B" then "B, C"; Rhys Morgan's first, "A, B" then
    # "C, A": the least is Gwen Talbot's first.
    "reviewer-audited": [
        ("Audit 001", DAY, "Person A", "Person B"),
        ("Audit 002", DAY, "Person B", "Person C"),
    ],
    # Sian Lewis's audit first, so that her audit a week later reads "A" (not "C").
    "audited-again": [
        ("Audit 001", DAY, "Person A", "Person B"),
        ("Audit 002", DAY, "Person C", "Person D"),
        ("Audit 003", LATER, "Person A", "Person E"),
    ],
    "apart": [
        ("Audit 001", DAY, "Person A", "Person B"),
        ("Audit 002", DAY, "Person C", "Person D"),
    ],
}


@pytest.mark.parametrize("rename", [pytest.param(lambda a: a, id="first"), *ALIKE_RENAMED])
@pytest.mark.parametrize("shape", list(ALIKE_FOLDERS))
def test_alike_audits_are_met_in_the_order_that_reads_least(registry, tmp_path, shape, rename):
    assert _listed(_alike(tmp_path / "audits", rename(ALIKE_FOLDERS[shape])), registry) == ALIKE_SHOWN[shape]


# Regression: a case number of the standards' shape that no field holds (a sibling's, written in a
# comment) was numbered as the report happened to redact the audits: those of one day by their
# hidden ids, so that Zara Abbott's sibling case was "Case 003" where her audit's id sorts first.
# Now it is numbered as the audits are met.
SIBLINGS = {"Helen Marsh": "ECMS-0099555", "Zara Abbott": "ECMS-0099666"}


@pytest.mark.parametrize("names", [pytest.param(FIRST, id="first"), *RENAMED])
def test_a_case_number_only_text_holds_is_numbered_as_the_audits_are_met(registry, tmp_path, names):
    from qaimpact.privacy.redaction import in_shown_order

    folder = _audits(tmp_path / "audits", names)
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8")
        sibling = next(case for name, case in SIBLINGS.items() if f"practitioner: {name}" in text)
        path.write_text(text.replace("Report filed on time.", f"Filed; sibling {sibling}."), encoding="utf-8")
    dataset = load_dataset([folder], registry, CheckOptions(today=TODAY))
    redacted = in_shown_order(Redactor(dataset.records).dataset(dataset))
    assert [(r.audit_id, r.data["domains"]["better_represented"]["comment"]) for r in redacted.records] == [
        ("Audit 001", "Filed; sibling Case 003."),
        ("Audit 002", "Filed; sibling Case 004."),
    ]


# -- pseudonyms hold within one report -------------------------------------------------------------
# A decision, not a regression (docs/reports.md, "Privacy"): each report gives its pseudonyms from
# "Person A" in its own order, so one person may be "Person A" in one report and "Person B" in
# another of the same folder. Letters kept across reports would let a reader holding several (a
# learning log, which names its practitioner, beside a summary) join what each says of a person.


def test_one_person_may_have_a_pseudonym_of_each_report(cli, monkeypatch, registry, tmp_path):
    folder = _records(tmp_path / "records", RECORD_FIRST)
    monkeypatch.chdir(folder)
    log = cli("report", "--fca", "Helen Marsh", "--redact", "--audits", ".", "--today", TODAY.isoformat())
    # Bronwen Hale reviewed Helen Marsh's audit: the first person the learning log replaces, as
    # its practitioner is named; the second of the summary, after Helen Marsh.
    assert "Tools saved to Case 001 by Ms Marsh; Person A checked them." in log.stdout
    assert _people(folder, registry)["Bronwen Hale"] == "Person B"


def test_a_learning_log_is_the_same_whatever_else_the_folder_holds(cli, monkeypatch, tmp_path):
    # Its pseudonyms follow its own audits and records alone: nothing in it can be joined, by its
    # letters, to a report of the rest of the folder.
    outputs = []
    for at, others in enumerate((True, False)):
        folder = _records(tmp_path / f"records{at}", RECORD_FIRST)
        if not others:
            (folder / FIRST[3]).unlink()
        monkeypatch.chdir(folder)
        args = ("report", "--fca", "Helen Marsh", "--redact", "--format", "json", "--audits", ".")
        outputs.append(cli(*args, "--today", TODAY.isoformat()).stdout)
    assert "Record 001" in outputs[0]
    assert outputs[1] == outputs[0]

"""Under ``--redact`` a value that is one of the framework's ids is kept: only text and names change.

Regression: redaction read every string of an audit as text, ratings and grades included. A name
that is also an id, or holds one of its words, was found in them: the Cafcass practitioner Lena
Met made every ``met`` rating "Person A" in her feedback report; a moderator written in lower case
("alex requires") made the moderated grade ``requires_improvement`` into "Person E_improvement",
and the summary stopped with an internal error; a reviewer named Kit Engagement did the same to
the learning area ``child_engagement``. Now the places where the framework's ids are held
(ratings, grades, learning areas and points, indicators, added-value categories, audit types,
themes, the choices of choice fields, and a record's ratings, choices and learning points) keep
the id, and everything else is redacted as before.
"""

from __future__ import annotations

import dataclasses
import json
import re
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
from test_redaction_cli import _write

#: The people of tests/data/redact/names/ ({P1} to {P6}): in the council's audits the
#: practitioner, team manager, reviewer, an action owner, the moderator and whom the re-audit's
#: escalation was raised to; in the Cafcass audit {P1} is the reviewer, {P3} the practitioner and
#: {P6} the one told of its escalation.
PEOPLE = ["Will May", "Priya Natarajan", "Helen Marsh", "Tomasz Nowak", "Grace Obi", "Jürgen Strauß"]


def _folder(folder: Path, person: int, name: str) -> Path:
    """The audits of tests/data/redact/names/ with ``{P<person>}`` named ``name``."""
    people = list(PEOPLE)
    people[person - 1] = name
    _write(folder, people, ("900001", "0099999"))
    return folder


#: Each person whose name is (or holds a word of) an id the audits hold, as ``(P number, name)``:
#: invented names, some written in lower case as a colleague may type them.
SUMMARY_CASES = [
    # The moderated grade ``requires_improvement`` of both council audits.
    pytest.param(5, "Alex Requires", id="moderated-grade"),
    pytest.param(5, "alex requires", id="moderated-grade-lower-case"),
    # The Cafcass learning area ``child_engagement`` and point ``ineffective_child_engagement``.
    pytest.param(1, "Kit Engagement", id="learning-area"),
    # The Cafcass added-value category ``complete_proceedings``.
    pytest.param(4, "Ola Proceedings", id="added-value"),
    # The Cafcass law type ``private``, a choice field the summary breaks grades down by.
    pytest.param(2, "Kai Private", id="choice-field"),
]


def _summary(out: str) -> dict[str, Any]:
    """What the summary says of grades and learning, framework by framework."""
    view = json.loads(out)
    return {
        fw["framework"]["id"]: {
            "grades": [(a["date"], a["grade"]["id"], a["moderated"]) for a in fw["included"]],
            "moderated": [(m["date"], m["moderated"]["id"], m["direction"]) for m in fw["moderated"]],
            "themes": [(t["area"], t["label"], t["count"]["n"]) for t in fw["themes"]],
            "added_value": [(a["label"], a["count"]["n"]) for a in fw["added_value"] if a["count"]["n"]],
            "characteristics": [(c["field"], [r["key"] for r in c["rows"]]) for c in fw["characteristics"]],
        }
        for fw in view["frameworks"]
    }


#: The summary of every case: the same as without --redact.
SUMMARY = {
    "cafcass-qiam-2017": {
        "grades": [("2026-10-06", "requires_improvement", False)],
        "moderated": [],
        "themes": [("Child engagement and achieving best outcomes", "Ineffective child engagement", 1)],
        "added_value": [("Complete proceedings", 1)],
        "characteristics": [("case.law_type", ["private"])],
    },
    "ccc-practice-standards": {
        "grades": [
            ("2026-10-05", "requires_improvement", True),
            ("2026-11-02", "requires_improvement", True),
        ],
        "moderated": [
            ("2026-10-05", "requires_improvement", "same"),
            ("2026-11-02", "requires_improvement", "same"),
        ],
        "themes": [("Practice Standards", "Planning", 2)],
        "added_value": [],
        "characteristics": [("case.child_in_care", ["no"])],
    },
}


@pytest.mark.parametrize(("person", "name"), SUMMARY_CASES)
def test_a_name_that_is_an_id_changes_no_grade_in_the_redacted_summary(
    cli: Callable[..., Any], tmp_path: Path, person: int, name: str
) -> None:
    folder = _folder(tmp_path, person, name)
    run = cli("summary", "--audits", folder, "--today", TODAY.isoformat(), "--format", "json", "--redact")
    assert _summary(run.stdout) == SUMMARY
    # The name itself is still replaced.
    assert re.findall(r"(?i)" + re.escape(name), run.stdout) == []


#: Each person of the Cafcass audit whose name is (or holds a word of) an id it holds.
REPORT_CASES = [
    # Its ratings ``met``: the practitioner.
    pytest.param(3, "Lena Met", id="rating-met"),
    # Its ratings ``good``: the reviewer, written in lower case (a name alone in lower case is
    # looked for however the text writes it).
    pytest.param(1, "jo good", id="rating-good-lower-case"),
    # Its rating and recorded grade ``requires_improvement``: the one told of its escalation.
    pytest.param(6, "Alex Requires", id="rating-and-grade"),
    pytest.param(1, "Kit Engagement", id="learning-area-and-point"),
    pytest.param(3, "Ola Proceedings", id="added-value"),
    # The outcome indicator ``safe_recommendations``.
    pytest.param(6, "Sol Recommendations", id="indicator"),
]

#: The Cafcass audit's feedback report under --redact, whoever its people are: each standard's
#: rating, the grade, the learning and the added value, as the audit records them.
RATINGS = [
    ("Child seen and wishes and feelings used to inform recommendations", "Met"),
    ("Evidence of understanding the child's experiences", "Good"),
    ("Evidence of children being enabled to make choices where appropriate", "Requires improvement"),
    ("Good child impact analysis included in report", "Good"),
    ("Case recording includes details of seeing child", "Met"),
    (
        "Case planning records plans in child-centred way. Includes how, when and why to see the "
        "child. Tools and techniques to be used identified",
        "Good",
    ),
    ("Tools and direct work uploaded", "Good"),
    (
        "Report is succinct, legible and understandable to child (dependant on age and ability) and "
        "adds value to court's decision making",
        "Met",
    ),
]
REPORT_LINES = [
    "## Grade: Requires improvement",
    "Recorded by the reviewer: **Requires improvement**.",
    "- Safe recommendations",
    "### Child engagement and achieving best outcomes",
    "- **Ineffective child engagement**",
    "- Complete proceedings",
]


@pytest.mark.parametrize(("person", "name"), REPORT_CASES)
def test_a_name_that_is_an_id_changes_no_rating_in_the_redacted_feedback(
    cli: Callable[..., Any], tmp_path: Path, person: int, name: str
) -> None:
    audit = _folder(tmp_path, person, name) / "cafcass.yaml"
    run = cli("report", audit, "--today", TODAY.isoformat(), "--format", "md", "--redact")
    lines = run.stdout.splitlines()
    titles = {title for title, _ in RATINGS}
    rows = [tuple(c.strip() for c in line.split("|")[1:3]) for line in lines if line.startswith("| ")]
    assert [row for row in rows if row[0] in titles] == RATINGS
    assert [line for line in REPORT_LINES if line in lines] == REPORT_LINES
    assert re.findall(r"(?i)" + re.escape(name), run.stdout) == []


# -- the same through Redactor, place by place ----------------------------------------------------


@pytest.fixture(scope="module")
def audits(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> dict[str, AuditRecord]:
    folder = tmp_path_factory.mktemp("names")
    _write(folder, PEOPLE, ("900001", "0099999"))
    records = load_dataset([folder], registry, CheckOptions(today=TODAY)).records
    return {Path(r.path).stem: r for r in records}


def _at(data: Any, place: tuple[str | int, ...]) -> Any:
    for key in place:
        data = data[key]
    return data


def _put(data: Any, place: tuple[str | int, ...], value: Any) -> Any:
    """A copy of ``data`` with ``value`` at ``place`` (a mapping made where there is none)."""
    if not place:
        return value
    key, rest = place[0], place[1:]
    if isinstance(data, list):
        assert isinstance(key, int)
        return [_put(item, rest, value) if i == key else item for i, item in enumerate(data)]
    data = dict(data or {})
    data[key] = _put(data.get(key), rest, value)
    return data


#: ``(audit, place, the id there, a practitioner named after it)``.
AUDIT_PLACES = [
    ("ccc-original", ("practice_standards", "planning", "rating"), "requires_improvement", "Alex Requires"),
    ("ccc-original", ("practice_standards", "risk_management", "rating"), "good", "jo good"),
    ("ccc-original", ("overall_judgement",), "requires_improvement", "alex requires"),
    ("ccc-original", ("moderation", "moderated_grade"), "requires_improvement", "Alex Requires"),
    ("ccc-original", ("audit_type",), "case_file", "Jo Case"),
    ("ccc-original", ("remedial_actions", 0, "theme"), "planning", "Flo Planning"),
    ("ccc-original", ("remedial_actions", 0, "status"), "done", "Ty Done"),
    ("ccc-original", ("characteristics", "ethnicity"), "white", "amy white"),
    ("ccc-original", ("characteristics", "legal_status"), "child_in_need", "Ria Need"),
    ("ccc-original", ("standards",), "ccc-practice-standards", "Ed Ccc"),
    ("cafcass", ("impact", "child_seen", "rating"), "met", "Lena Met"),
    ("cafcass", ("overall_grade",), "requires_improvement", "Alex Requires"),
    ("cafcass", ("learning_actions", 0, "area"), "child_engagement", "Kit Engagement"),
    ("cafcass", ("learning_actions", 0, "points", 0), "ineffective_child_engagement", "Kit Engagement"),
    ("cafcass", ("added_value", 0), "complete_proceedings", "Ola Proceedings"),
    ("cafcass", ("domains", "safe", "indicators", 0), "safe_recommendations", "Sol Recommendations"),
    ("cafcass", ("case", "law_type"), "private", "Kai Private"),
    ("ccc-reaudit", ("escalation", "theme"), "planning", "Flo Planning"),
]


def _place_id(case: tuple[str, tuple[str | int, ...], str, str]) -> str:
    return f"{case[0]}:{'.'.join(map(str, case[1]))}={case[2]}"


@pytest.mark.parametrize(("audit", "place", "ident", "name"), AUDIT_PLACES, ids=map(_place_id, AUDIT_PLACES))
def test_redaction_keeps_the_id_an_audit_holds(
    audits: dict[str, AuditRecord], audit: str, place: tuple[str | int, ...], ident: str, name: str
) -> None:
    record = audits[audit]
    data = _put({**record.data, "practitioner": name}, place, ident)
    named = dataclasses.replace(record, data=data)
    redacted = Redactor([named]).record(named).data
    assert _at(redacted, place) == ident
    assert redacted["practitioner"] == "Person A"


def test_a_personal_field_is_redacted_though_it_holds_an_id(audits: dict[str, AuditRecord]) -> None:
    # Only the places of ids keep them: a name field holding a word that is an id is a name.
    record = audits["cafcass"]
    named = dataclasses.replace(record, data={**record.data, "practitioner": "Met", "reviewer": "met"})
    redacted = Redactor([named]).record(named).data
    assert (redacted["practitioner"], redacted["reviewer"]) == ("Person A", "Person A")
    assert redacted["impact"]["child_seen"]["rating"] == "met"


@pytest.fixture(scope="module")
def service(registry: Registry) -> Dataset:
    return load_dataset([EXAMPLES / "service" / "records" / "ccc"], registry, CheckOptions(today=TODAY))


#: ``(record, place, the id there, a practitioner named after it)``.
RECORD_PLACES = [
    ("OBS-L-2026-003", ("observed", "risk_management", "rating"), "good", "jo good"),
    ("OBS-L-2026-003", ("observed", "risk_management", "rating"), "requires_improvement", "Alex Requires"),
    ("OBS-L-2026-003", ("setting",), "home_visit", "Ty Home"),
    ("FB-L-2025-001", ("rating",), "poor", "Ada Poor"),
    ("FB-L-2025-001", ("source",), "professional", "Lu Professional"),
    ("FB-L-2025-001", ("kind",), "feedback", "Ira Feedback"),
    ("PLR-L-2025-001", ("learning", 0, "point"), "planning", "Flo Planning"),
    ("PLR-L-2025-001", ("setting",), "supervision", "Pia Supervision"),
]


@pytest.mark.parametrize(
    ("ident", "place", "value", "name"), RECORD_PLACES, ids=map(_place_id, RECORD_PLACES)
)
def test_redaction_keeps_the_id_a_record_holds(
    service: Dataset, ident: str, place: tuple[str | int, ...], value: str, name: str
) -> None:
    record: KindRecord = next(r for r in service.kinds if r.record_id == ident)
    data = _put({**record.data, "practitioner": name}, place, value)
    named = dataclasses.replace(record, data=data)
    redactor = Redactor([], kinds=[named])
    redacted = redactor.kind_record(named).data
    assert _at(redacted, place) == value
    assert redacted["practitioner"] == redactor.people[name]

"""Where the sources are silent: readings marked in the standards data (issue 10, part 6).

A rule that is the project's reading of its source carries a ``reading:`` (the passage it rests
on, word for word; why; how a service changes it). ``standards show`` and docs/readings.md list
them; the pages a practitioner or a board reads show the rule alone.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, ROOT, TODAY
from qaimpact.frameworks.check import check_file
from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.models.standard import Framework, ReadingOf

#: The source documents the bundled frameworks encode. They are not part of the repository; the
#: quotation test runs wherever they are (QAIMPACT_SOURCES names another folder).
SOURCES = Path(os.environ.get("QAIMPACT_SOURCES", "/work/shared/sources"))
SOURCE_FILES = {
    "cafcass-qiam-2017": "cafcass-quality-and-impact-assurance-model-2017.txt",
    "ccc-practice-standards": "ccc-quality-assurance-and-learning-framework.txt",
}
SERVICE = EXAMPLES / "service"


def _bundled() -> list[Framework]:
    return Registry([bundled_dir()]).frameworks()


def _all_readings() -> list[tuple[str, ReadingOf]]:
    return [(fw.id, found) for fw in _bundled() for found in fw.readings()]


def _words(text: str) -> str:
    # Word for word: line breaks, tabs between table cells and bold markup (**) aside.
    return " ".join(text.replace("**", "").split())


# -- the readings are in the data -------------------------------------------------------------------


def test_the_readings_of_the_bundled_frameworks() -> None:
    assert {fw.id: [r.what for r in fw.readings()] for fw in _bundled()} == {
        "cafcass-qiam-2017": [
            "Field `team`",
            "Learning points' links to standards",
            "Threshold rule 1 (Requires improvement)",
            "Escalation rule `immediate_safeguarding` (Immediate safeguarding escalation to Service manager)",
            "Escalation rule `practice_supervisor` (Practice review to Practice supervisor)",
            "Comparison on the `ofsted` scale",
        ],
        "ccc-practice-standards": [
            "Grades and their descriptors: Outstanding, Good, Requires improvement to be good, Inadequate",
            "Ratings and their descriptors: Outstanding, Good, Requires improvement to be good, Inadequate",
            "Evidence required",
            "Themes of remedial actions and escalations",
            "Threshold rule 1 (Inadequate)",
            "Threshold rule 2 (Requires improvement to be good)",
            "Threshold rule 3 (Outstanding)",
            "Threshold rule 4 (Good)",
            "Escalation rule `case_escalation` (Case escalation to Case responsible worker, Team manager "
            "and Head of Service)",
        ],
    }


@pytest.mark.parametrize(
    ("framework", "what", "rule"),
    [
        (
            "cafcass-qiam-2017",
            "Threshold rule 1 (Requires improvement)",
            "Requires improvement when any standard of impact outcomes and compliance outcomes is rated "
            "requires improvement, or immediate safeguarding actions are required.",
        ),
        (
            "cafcass-qiam-2017",
            "Comparison on the `ofsted` scale",
            "Grades sit on the shared levels: Outstanding at outstanding, Good at good, Met at "
            "requires_improvement, Requires improvement at inadequate.",
        ),
        (
            "ccc-practice-standards",
            "Evidence required",
            "A standard rated good, requires improvement to be good or inadequate without its evidence "
            "is an error (QA317).",
        ),
        (
            "ccc-practice-standards",
            "Threshold rule 4 (Good)",
            "Good when every standard is rated good or better.",
        ),
    ],
)
def test_a_reading_names_the_rule_it_qualifies(framework: str, what: str, rule: str) -> None:
    [found] = [r for fw in _bundled() if fw.id == framework for r in fw.readings() if r.what == what]
    assert found.rule == rule


def test_the_comparison_reading_names_the_recording_failure() -> None:
    [found] = [r for fid, r in _all_readings() if r.what == "Comparison on the `ofsted` scale"]
    assert "insufficient evidence on the file" in found.reading.rests_on
    assert "a recording failure rather than unsafe practice" in _words(found.reading.why)


@pytest.mark.skipif(not SOURCES.is_dir(), reason=f"the source documents are not in {SOURCES}")
@pytest.mark.parametrize(("framework", "found"), _all_readings(), ids=lambda v: getattr(v, "what", v))
def test_every_reading_quotes_its_source_word_for_word(framework: str, found: ReadingOf) -> None:
    source = _words((SOURCES / SOURCE_FILES[framework]).read_text(encoding="utf-8"))
    assert _words(found.reading.rests_on) in source


def test_files_without_readings_stay_valid() -> None:
    for path in [
        DATA / "standards" / "valid" / "mini.yaml",
        *sorted((DATA / "standards" / "versions").glob("*.yaml")),
    ]:
        framework, diagnostics = check_file(path)
        assert framework is not None, (path, diagnostics)
        assert framework.readings() == []


# -- the pages a practitioner or a board reads show the rule alone ---------------------------------

# ("rests on" alone is ordinary English: an example audit's comment uses it.)
_BOOKKEEPING = re.compile(
    r"project default|the source says|a reading of|rests_on|qaimpact's reading", re.IGNORECASE
)

_PAGES = {
    "grade": ("grade", *sorted(EXAMPLES.glob("*.yaml"))),
    "grade json": ("grade", "-f", "json", *sorted(EXAMPLES.glob("*.yaml"))),
    "feedback ccc": ("report", SERVICE / "ccc" / "CFA-2026-0222.yaml"),
    "feedback cafcass": ("report", SERVICE / "cafcass" / "QA-2026-0089.yaml", "-f", "html"),
    "learning log": ("report", "--fca", "Tunde Adeyemi", "--audits", SERVICE),
    "summary": ("summary", "--audits", SERVICE, "-f", "html"),
    "escalations": ("escalations", "--audits", SERVICE, "--fail-on", "never"),
    "impact": ("impact", "--audits", SERVICE),
}


@pytest.mark.parametrize("name", sorted(_PAGES))
def test_practitioner_pages_show_the_rule_not_the_reading(cli: Any, name: str) -> None:
    out = cli(*_PAGES[name], "--today", TODAY.isoformat()).stdout
    assert not _BOOKKEEPING.findall(out)
    text = _words(out)
    for _, found in _all_readings():
        assert _words(found.reading.why) not in text
        assert _words(found.reading.change) not in text


def test_the_rationale_states_the_council_rule(cli: Any) -> None:
    data = json.loads(cli("grade", "-f", "json", EXAMPLES / "ccc-cfa-2026-0311.yaml").stdout)
    assert data[0]["rationale"][0] == (
        "Requires improvement to be good: Any practice standard rated requires improvement to be good "
        "(and none inadequate)."
    )


# -- standards show and the docs show them -------------------------------------------------------------


def test_standards_show_lists_the_readings(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # one line per row, so that rows can be read whole
    out = cli("standards", "show", "ccc-practice-standards").stdout
    assert "Readings of the source: where the source is silent, the rule the framework reads into it" in out
    assert out.count("(a reading of the source: see below)") == 4
    [row] = [line for line in out.splitlines() if "Threshold rule 1 (Inadequate)" in line]
    cells = [c.strip() for c in row.strip("│ ").split("│")]
    assert cells[:2] == [
        "Threshold rule 1 (Inadequate)",
        "\"Any case audit identified as being 'inadequate' will form a case escalation, which will also be "
        'sent to the Head of Service." (section 4.2)',
    ]
    assert cells[2].startswith(
        "The framework gives no rule for the overall judgement. The worst rating decides"
    )
    assert cells[3].startswith("Rewrite this rule in a copy of this file, passed with --standards DIR")


def test_the_docs_list_every_reading() -> None:
    page = (ROOT / "docs" / "readings.md").read_text(encoding="utf-8")
    for _, found in _all_readings():
        assert f"\n### {found.what}\n" in page, found.what
        assert f'"{_words(found.reading.rests_on)}"' in page


def test_the_readme_grade_example_is_what_grade_prints(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split(
        "Grading prints, for each audit, the grade, why, and what would lift it:\n\n```text\n"
    )[1]
    shown = shown.split("```", 1)[0]
    monkeypatch.setenv("COLUMNS", "81")
    monkeypatch.chdir(ROOT)
    out = cli("grade", "examples/ccc-cfa-2026-0311.yaml").stdout
    # The words, in order: rich releases lay the panel out a space or a line differently.
    assert _panel_words(out) == _panel_words(shown)


def _panel_words(text: str) -> str:
    return _words(re.sub("[│╭╮╰╯─]", " ", text))

"""The settled grade: the one grade every report counts (issue 10, part 2).

An audit's settled grade is the moderator's grade where it was moderated, otherwise the grade the
threshold rules compute. Moderation alone compares the grade the auditor recorded.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import html
import io
import json
import re
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import Dataset, load_dataset
from qaimpact.audits.records import SETTLED_GRADE, AuditRecord
from qaimpact.cycle import escalations, impact, moderation
from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.privacy.disclosure import Figures
from qaimpact.reports import feedback, learning_log
from qaimpact.reports import summary as summary_report

SERVICE = EXAMPLES / "service"
MODERATED_DOWN = SERVICE / "cafcass" / "QA-2025-0160.yaml"  # outstanding, moderated to good
RECORDED_DIFFERS = SERVICE / "cafcass" / "QA-2026-0027.yaml"  # met, recorded good, moderated met


@functools.cache
def _service() -> Dataset:
    return load_dataset([SERVICE], Registry([bundled_dir()]), CheckOptions(today=TODAY))


def _record(path) -> AuditRecord:
    return next(r for r in _service().records if r.path == str(path))


def _moderated(record: AuditRecord, grade: str | None) -> AuditRecord:
    """The record with its moderation replaced by one to ``grade`` (none when ``None``)."""
    data = dict(record.data)
    data.pop("moderation", None)
    if grade is not None:
        data["moderation"] = {
            "moderator": "Dawn Okafor",
            "moderated_grade": grade,
            "moderated_on": record.review_date,
            "notes": "Second look.",
        }
    return dataclasses.replace(record, data=data)


# -- the definition ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moderated", "settled", "by_moderation"),
    [
        (None, "outstanding", False),  # not moderated: the computed grade
        ("good", "good", True),  # moderated down: the moderator's grade
        ("outstanding", "outstanding", True),  # moderated, unchanged: still the moderator's
        ("requires_improvement", "requires_improvement", True),
    ],
)
def test_the_settled_grade_is_the_moderators_else_the_computed(
    moderated: str | None, settled: str, by_moderation: bool
) -> None:
    record = _moderated(_record(MODERATED_DOWN), moderated)
    assert record.computed_grade == "outstanding"
    assert record.moderated_grade == moderated
    assert (record.settled_grade, record.settled_by_moderation) == (settled, by_moderation)


def test_the_recorded_grade_never_settles_the_grade() -> None:
    record = _moderated(_record(RECORDED_DIFFERS), None)
    assert (record.computed_grade, record.recorded_grade) == ("met", "good")
    assert record.settled_grade == "met"
    # ... but it is what moderation compares.
    assert record.auditor_grade == moderation.auditor_grade(record) == "good"


# -- regression: QA-2025-0160 was counted as outstanding though moderated to good -------------------


def test_the_summary_counts_a_moderated_audit_at_its_moderated_grade(cli: Any) -> None:
    out = cli("summary", "--audits", SERVICE, "--today", TODAY.isoformat(), "-f", "json").stdout
    view = json.loads(out)
    assert view["grade_basis"] == SETTLED_GRADE
    cafcass = next(s for s in view["frameworks"] if s["framework"]["id"] == "cafcass-qiam-2017")
    included = {a["audit_id"]: a for a in cafcass["included"]}
    assert included["QA-2025-0160"]["grade"]["id"] == "good"
    assert included["QA-2025-0160"]["moderated"] is True
    # 46 audits: QA-2025-0150 (good) and QA-2026-0070 (outstanding) are second audits of a
    # double-marked case, counted once with it (tests/test_counted_once.py).
    assert {d["grade"]: d["count"]["n"] for d in cafcass["distribution"]} == {
        "outstanding": 8,
        "good": 23,
        "met": 10,
        "requires_improvement": 5,
    }


def test_the_summary_csv_gives_the_settled_grade_and_says_which_it_is(cli: Any) -> None:
    out = cli("summary", "--audits", SERVICE, "--today", TODAY.isoformat(), "-f", "csv").stdout
    rows = {r["audit_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert {k: rows["QA-2025-0160"][k] for k in ("grade", "grade_source", "computed_grade")} == {
        "grade": "good",
        "grade_source": "moderated",
        "computed_grade": "outstanding",
    }
    assert {k: rows["QA-2026-0027"][k] for k in ("grade", "recorded_grade", "grade_differs")} == {
        "grade": "met",
        "recorded_grade": "good",
        "grade_differs": "true",
    }
    unmoderated = rows["QA-2025-0139"]
    assert (unmoderated["grade_source"], unmoderated["moderated_grade"]) == ("computed", "")


def test_the_summary_counts_recorded_differences_and_moderations(cli: Any) -> None:
    out = cli("summary", "--audits", SERVICE, "--today", TODAY.isoformat()).stdout
    assert (
        "### Recorded and moderated grades\n\n"
        "- The grade the reviewer recorded differs from the grade the ratings give in **1 audit**.\n"
        "- A moderator's grade counted in place of the grade the ratings give: **9 audits** (2 higher "
        "than that grade, 2 lower, 5 the same).\n"
    ) in out
    assert (
        "| QA-2025-0160 | 2025-11-19 | Margaret Oyelaran, 2025-12-03 | Outstanding | Outstanding | Good |"
        in out
    )


def test_published_moderation_counts_are_protected(cli: Any) -> None:
    out = cli("summary", "--audits", SERVICE, "--today", TODAY.isoformat(), "--publish").stdout
    # Cafcass: up 2 and down 2 are hidden; the ledger also hides the 9 moderated and the 5
    # unchanged, because with the other tables of the summary they would pin the small counts.
    # A hidden total is a Markdown star, so it is escaped inside the bold (regression: it was
    # printed as "*** audits**"), and so is every other hidden figure (a bare "* unchanged" and
    # "<5" could open emphasis and HTML).
    # In words, with the sign the page's note explains.
    assert (
        "- A moderator's grade counted in place of the grade the ratings give: **5 or more audits (\\*)** "
        "(\\<5 higher than that grade, \\<5 lower, \\* the same)."
    ) in out
    # Council: down 2 is hidden, and so are the 9 moderated and the 7 unchanged it would give.
    assert (
        "- A moderator's grade counted in place of the grade the ratings give: **5 or more audits (\\*)** "
        "(0 higher than that grade, \\<5 lower, \\* the same)."
    ) in out
    assert not re.search(r"(?<!\\)\*\*\*", out), "an unescaped star breaks the bold"


@pytest.mark.parametrize(
    ("total", "parts", "shown"),
    [
        (9, [2, 2, 5], ["9", "<5", "<5", "5"]),  # 4 = 1 + 3 = 2 + 2 = 3 + 1: nothing forced
        (9, [0, 2, 7], ["9", "0", "<5", "*"]),  # a lone hidden count
        # 2 hidden adding up to 2 must each be 1: the total is hidden (5 or more), and then the
        # 5 can stay, as 5 + two counts of 1 to 4 is any of 7 to 13.
        (7, [5, 1, 1], ["*", "5", "<5", "<5"]),
        (13, [5, 4, 4], ["13", "*", "<5", "<5"]),  # 2 hidden adding up to 8: each must be 4
        (12, [5, 4, 3], ["12", "5", "<5", "<5"]),  # 7 = 3 + 4 = 4 + 3: nothing forced
        (3, [1, 1, 1], ["<5", "–", "–", "–"]),  # the total is hidden itself: no breakdown
        (0, [0, 0, 0], ["0", "0", "0", "0"]),
    ],
)
def test_a_total_and_its_parts_give_nothing_away(total: int, parts: list[int], shown: list[str]) -> None:
    figures = Figures(publish=True)
    cells = [figures.count(n) for n in parts]
    total_cell = figures.total(cells)
    assert total_cell["n"] == total
    figures.protect()
    assert [c["text"] for c in (total_cell, *cells)] == shown


# -- feedback shows the three grades where they differ ------------------------------------------------


def test_feedback_shows_computed_recorded_and_moderated_grades(cli: Any) -> None:
    out = cli("report", RECORDED_DIFFERS, "--today", TODAY.isoformat()).stdout
    assert (
        "## Grade: Met\n\n"
        f"{SETTLED_GRADE}\n\n"
        "- Computed from the ratings: **Met**\n"
        "- Recorded by the reviewer: **Good** (differs from the computed grade)\n"
        "- Moderated: **Met** by Margaret Oyelaran on 2026-03-25, agreeing with the computed grade. The "
        "ratings give met and the evidence bears them out; good was a step too generous.\n\n"
        "Why the ratings give Met:\n\n"
        "- Met: Work that meets"
    ) in out


def test_feedback_where_the_grades_agree_shows_one(cli: Any) -> None:
    out = cli("report", EXAMPLES / "cafcass-qa-2026-0142.yaml", "--today", TODAY.isoformat()).stdout
    assert f"## Grade: Good\n\n{SETTLED_GRADE}\n\nRecorded by the reviewer: **Good**.\n\n- Good:" in out
    assert "Computed from the ratings" not in out


def test_feedback_html_shows_the_three_grades(cli: Any) -> None:
    out = cli("report", MODERATED_DOWN, "--today", TODAY.isoformat(), "-f", "html").stdout
    assert '<h2 id="grade">Grade: <span class="grade">Good</span></h2>' in out
    assert "<dt>Computed from the ratings</dt><dd><strong>Outstanding</strong></dd>" in out
    assert (
        '<dt>Moderated</dt><dd><strong>Good</strong> by Margaret Oyelaran on <span class="nowrap">2025-12-03'
        '</span>, <span class="flag">lower than the computed grade</span>'
    ) in out


def test_grade_shows_the_moderation_and_the_settled_grade(cli: Any) -> None:
    text = cli("grade", MODERATED_DOWN).stdout
    assert "Moderated to Good by Margaret Oyelaran on 2025-12-03: reports count the" in text
    data = json.loads(cli("grade", MODERATED_DOWN, "-f", "json").stdout)[0]
    assert {k: data[k] for k in ("grade", "recorded_grade", "moderated_grade", "settled_grade")} == {
        "grade": "outstanding",
        "recorded_grade": "outstanding",
        "moderated_grade": "good",
        "settled_grade": "good",
    }


# -- every report says which grade it counts, in one line ---------------------------------------------

_REPORTS = {
    "summary": ("summary", "--audits", SERVICE),
    "feedback": ("report", MODERATED_DOWN),
    "learning log": ("report", "--fca", "Chloe Fairbairn", "--audits", SERVICE),
    "escalations": ("escalations", "--audits", SERVICE, "--fail-on", "never"),
    "impact": ("impact", "--audits", SERVICE),
}


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
@pytest.mark.parametrize("name", sorted(_REPORTS))
def test_every_report_says_which_grade_it_counts(cli: Any, name: str, fmt: str) -> None:
    out = cli(*_REPORTS[name], "--today", TODAY.isoformat(), "-f", fmt).stdout
    if fmt == "json":
        assert json.loads(out)["grade_basis"] == SETTLED_GRADE
    else:
        assert html.unescape(out).count(SETTLED_GRADE) == 1


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_moderation_says_it_compares_the_recorded_grade(cli: Any, fmt: str) -> None:
    out = html.unescape(
        cli("moderation", "--audits", SERVICE, "--today", TODAY.isoformat(), "-f", fmt).stdout
    )
    assert moderation.GRADE_BASIS in out
    assert SETTLED_GRADE not in out
    summary = cli("summary", "--audits", SERVICE, "--today", TODAY.isoformat(), "-f", fmt).stdout
    assert moderation.GRADE_BASIS in html.unescape(summary)


# -- the property: for any moderation, every report counts the settled grade -------------------------


moderations = st.lists(
    st.one_of(st.none(), st.integers(0, 3)),
    min_size=len(_service().records),
    max_size=len(_service().records),
)


def _remoderate(choices: list[int | None]) -> list[AuditRecord]:
    out = []
    for record, choice in zip(_service().records, choices, strict=True):
        scale = [g.id for g in record.framework.spec.grades.scale]
        out.append(_moderated(record, None if choice is None else scale[choice % len(scale)]))
    return out


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(choices=moderations)
def test_every_report_counts_the_settled_grade(choices: list[int | None]) -> None:
    records = _remoderate(choices)
    dataset = dataclasses.replace(_service(), records=records)
    settled = Counter((r.framework.id, r.settled_grade) for r in records)
    by_id = {r.audit_id: r for r in records}

    view = summary_report.quarterly_summary(dataset, today=TODAY, by="team")
    # The summary's figures count a double-marked case once (tests/test_counted_once.py).
    figures = moderation.count_once(records).counted
    settled_once = Counter((r.framework.id, r.settled_grade) for r in figures)
    counted = Counter(
        {
            (s["framework"]["id"], d["grade"]): d["count"]["n"]
            for s in view["frameworks"]
            for d in s["distribution"]
        }
    )
    assert +counted == settled_once
    for section in view["frameworks"]:
        for table in (section["trend"], section["groups"]):
            for grade in (d["grade"] for d in section["distribution"]):
                column = sum(
                    d["count"]["n"] for row in table for d in row["distribution"] if d["grade"] == grade
                )
                assert column == settled_once[(section["framework"]["id"], grade)]
        for item in section["included"]:
            assert item["grade"]["id"] == by_id[item["audit_id"]].settled_grade
        for item in section["escalations"]:
            assert item["grade"]["id"] == by_id[item["audit_id"]].settled_grade
        moderated = sum(
            1 for r in figures if r.framework.id == section["framework"]["id"] and r.moderated_grade
        )
        assert section["moderated_count"]["n"] == moderated
        assert sum(c["n"] for c in section["moderated_directions"].values()) == moderated

    rows = summary_report.audit_rows(dataset)
    assert Counter((r["framework"], r["grade"]) for r in rows) == settled

    for item in feedback_views(records):
        assert item["grade"]["id"] == by_id[item["audit_id"]].settled_grade
        assert item["computed"]["id"] == by_id[item["audit_id"]].computed_grade

    logged: Counter[tuple[str, str]] = Counter()
    for name in learning_log.practitioner_names(records):
        for section in learning_log.learning_log(records, name)["frameworks"]:
            logged.update((section["framework"]["id"], a["grade"]["id"]) for a in section["audits"])
    assert logged == settled

    for case in impact.impact_view(dataset, TODAY)["cases"]:
        for audit in case["audits"]:
            assert audit["grade"]["id"] == by_id[audit["audit_id"]].settled_grade
    for item in escalations.escalations_view(dataset, TODAY)["escalations"]:
        assert item["grade"]["id"] == by_id[item["audit_id"]].settled_grade

    # Moderation is the one report that compares the auditor's own grade, as it says.
    for pair in moderation.moderation_view(dataset)["pairs"]:
        assert pair["grade"]["id"] == by_id[pair["audit_id"]].auditor_grade


def feedback_views(records: list[AuditRecord]) -> list[dict[str, Any]]:
    return [feedback.audit_feedback(r, today=TODAY) for r in records]


def test_the_readme_extract_is_the_summary(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = cli("summary", "--audits", "examples/service", "--today", TODAY.isoformat()).stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    extract = readme.split("An extract of the summary's Markdown:\n\n```text\n", 1)[1].split("```", 1)[0]
    for block in extract.strip().split("\n\n"):
        assert block in out

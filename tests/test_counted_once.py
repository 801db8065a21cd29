"""A double-marked case counts once in the figures of grades; escalations still count every audit.

Double-marking is a second reviewer's audit of a case, for moderation: a check of the first
reviewer's grade, not a second case. The test audits (tests/data/cycle/double-marked) are nine of
the council's, all of Priya Natarajan's practice, reviewed in March 2026:

- LCS-3001: Helen Marsh (good, CFA-2026-0601), then Rosalind Greer 14 days later (requires
  improvement, CFA-2026-0602): counted once, as the first audit (good);
- LCS-3002: Helen Marsh (good, CFA-2026-0603), then Rosalind Greer (good, CFA-2026-0604), whose
  audit a moderator settled at requires improvement: counted once, as the moderated audit;
- LCS-3003: Helen Marsh (good, CFA-2026-0605), then Rosalind Greer (inadequate, CFA-2026-0606):
  counted once, as the first (good), but the second audit's escalation is never left out;
- LCS-3004: an audit and its re-audit (``reaudit_of``) by another reviewer: both counted, as a
  re-audit measures change in the case;
- LCS-3005: one audit.

So the figures count 6 audits (4 good, 2 requires improvement) of the 9 read, and say that 3
second audits were counted once; before, they counted 9 (5 good, 3 requires improvement, 1
inadequate).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from conftest import DATA, TODAY, Run
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.audits.quarters import Quarters
from qaimpact.cycle import moderation
from qaimpact.frameworks.registry import Registry
from qaimpact.reports import summary as summary_report

FOLDER = DATA / "cycle" / "double-marked"
ARGS = ("--audits", str(FOLDER), "--today", TODAY.isoformat())

BASIS = (
    "A case audited by a second reviewer within 30 days, for moderation (double-marking), counts "
    "once in the figures: as the audit a moderator settled, if one was moderated, otherwise the "
    "first. Escalations count every audit. The moderation report compares "
    "the two grades."
)
HEADLINE_MD = (
    "6 audits; **67% (4 of 6)** graded Good or better. Not counted again: 3 second audits of "
    'double-marked cases (listed under "Double-marked cases, counted once").'
)
HEADER_MD = f"- Double-marking: 3 second audits of a case counted once, not in the number of audits. {BASIS}"
#: Each second audit, and the audit counted for its case.
COUNTED_AS = {
    "CFA-2026-0602": "CFA-2026-0601",
    "CFA-2026-0603": "CFA-2026-0604",
    "CFA-2026-0606": "CFA-2026-0605",
}
COUNTED = [
    "CFA-2026-0601",
    "CFA-2026-0604",
    "CFA-2026-0605",
    "CFA-2026-0607",
    "CFA-2026-0608",
    "CFA-2026-0609",
]


def _records(registry: Registry) -> list[Any]:
    dataset = load_dataset([FOLDER], registry, CheckOptions(today=TODAY))
    assert not dataset.invalid
    return dataset.records


def test_each_double_marked_case_is_counted_once_as_the_moderated_or_first_audit(registry: Registry) -> None:
    once = moderation.count_once(_records(registry))
    assert sorted(r.audit_id for r in once.counted) == COUNTED
    assert {s.audit.audit_id: s.counted.audit_id for s in once.seconds} == COUNTED_AS


def test_a_re_audit_and_one_reviewer_s_two_audits_are_each_counted(registry: Registry) -> None:
    records = _records(registry)
    # The re-audit of LCS-3004 is a new look at the case, not a second mark.
    assert all(moderation.count_once(records).is_counted(r) for r in records if r.case_ident == "LCS3004")
    # Only double-marking joins two audits of a case: with no window, nothing is counted once.
    none = moderation.count_once(records, window=-1)
    assert len(none.counted) == len(records)
    assert none.seconds == []


def test_the_summary_s_figures_count_each_case_once(registry: Registry) -> None:
    view = summary_report.quarterly_summary(
        load_dataset([FOLDER], registry, CheckOptions(today=TODAY)), today=TODAY
    )
    (section,) = view["frameworks"]
    assert (view["audits"], view["audits_total"]["n"], view["counted_once"]["n"]) == (6, 6, 3)
    assert view["counted_once_basis"] == BASIS
    assert (section["n"], section["total"]["n"], section["counted_once_count"]["n"]) == (6, 6, 3)
    assert {d["grade"]: d["count"]["n"] for d in section["distribution"]} == {
        "outstanding": 0,
        "good": 4,
        "requires_improvement": 2,
        "inadequate": 0,
    }
    assert [t["label"] for t in section["themes"]] == ["Planning"]
    assert section["themes"][0]["count"]["n"] == 1
    assert sorted(a["audit_id"] for a in section["included"]) == COUNTED
    assert {a["audit_id"]: a["counted_as"]["audit_id"] for a in section["counted_once"]} == COUNTED_AS


def test_the_summary_pairs_the_audits_once_and_its_moderation_section_reads_those_pairs(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _records(registry)
    once = moderation.count_once(records)
    # The pairs counted once are the double-marking pairs, and the moderation section finds the
    # same second marks from them as by pairing the audits again.
    assert once.marked == moderation.double_marked(records, moderation.DEFAULT_WINDOW)
    assert moderation.find_pairs(records, marked=once.marked) == moderation.find_pairs(records)
    expected = summary_report.quarterly_summary(
        load_dataset([FOLDER], registry, CheckOptions(today=TODAY)), today=TODAY
    )
    pairing = moderation.double_marked
    calls: list[int] = []

    def counted(records: Any, window: int) -> Any:
        calls.append(len(records))
        return pairing(records, window)

    monkeypatch.setattr("qaimpact.cycle.moderation.once.double_marked", counted)
    monkeypatch.setattr("qaimpact.cycle.moderation.pairs.double_marked", counted)
    view = summary_report.quarterly_summary(
        load_dataset([FOLDER], registry, CheckOptions(today=TODAY)), today=TODAY
    )
    # Pairing 10,000 audits by case is a tenth of a summary's report: once, for the figures and
    # the moderation section alike, with the same view as before.
    assert calls == [9]
    assert view == expected


def test_the_second_audit_s_escalation_is_never_left_out(cli: Callable[..., Run]) -> None:
    view = json.loads(cli("summary", *ARGS, "--format", "json").stdout)
    (section,) = view["frameworks"]
    assert [e["audit_id"] for e in section["escalations"]] == ["CFA-2026-0606"]
    assert section["escalation_count"]["n"] == 1
    assert view["cycle"]["escalations"]["needed"]["n"] == 1
    # Moderation compares the marks of every audit read (4 pairs), but counts the cases as the
    # figures do: of the 6 counted, the 3 double-marked ones were moderated.
    moderation = view["cycle"]["moderation"]
    assert moderation["pairs"]["n"] == 4
    assert moderation["audits"]["n"] == 6
    assert moderation["moderated"]["text"] == "50% (3 of 6)"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("md", [HEADER_MD, HEADLINE_MD]),
        (
            "html",
            [
                f"<p>Double-marking: 3 second audits of a case counted once, not in the number of audits. "
                f"{BASIS}</p>",
                '6 audits; <strong><span class="nowrap">67% (4 of 6)</span></strong> graded Good or better. '
                "Not counted again: 3 second audits of double-marked cases (listed under "
                "&ldquo;Double-marked cases, counted once&rdquo;).",
            ],
        ),
    ],
)
def test_the_summary_says_how_many_second_audits_it_counted_once(
    cli: Callable[..., Run], fmt: str, expected: list[str]
) -> None:
    out = cli("summary", *ARGS, "--format", fmt).stdout
    for line in expected:
        assert line in out


def test_the_summary_lists_each_second_audit_beside_the_audit_counted(cli: Callable[..., Run]) -> None:
    out = cli("summary", *ARGS, "--format", "md").stdout
    table = out.split("### Double-marked cases, counted once\n\n", 1)[1].split("\n\n### ", 1)[0]
    assert table.splitlines() == [
        "Each audit below is not counted again: another reviewer audited the same case within 30 days "
        "(double-marking, for moderation), and the figures above count the case once, as the audit "
        "counted (the one a moderator settled, or else the first: it may be the earlier or the later). "
        "Escalations count both.",
        "",
        # Regression: "| Second audit |", above CFA-2026-0603, the earlier of its case's audits.
        "| Not counted again | Date | Reviewer | Grade | Audit counted | Date | Reviewer | Grade |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        "| CFA-2026-0603 | 2026-03-03 | Helen Marsh | Good | CFA-2026-0604 | 2026-03-10 | Rosalind Greer | "
        "Requires improvement to be good |",
        "| CFA-2026-0606 | 2026-03-11 | Rosalind Greer | Inadequate | CFA-2026-0605 | 2026-03-04 | "
        "Helen Marsh | Good |",
        "| CFA-2026-0602 | 2026-03-16 | Rosalind Greer | Requires improvement to be good | CFA-2026-0601 | "
        "2026-03-02 | Helen Marsh | Good |",
    ]


def test_the_csv_names_the_audit_counted_for_each_second_audit(cli: Callable[..., Run]) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("summary", *ARGS, "--format", "csv").stdout)))
    assert len(rows) == 9
    assert {r["audit_id"]: r["counted_once_with"] for r in rows if r["counted_once_with"]} == COUNTED_AS


def test_a_published_summary_lists_no_second_audit(cli: Callable[..., Run]) -> None:
    view = json.loads(cli("summary", *ARGS, "--publish", "--format", "json").stdout)
    (section,) = view["frameworks"]
    assert section["counted_once"] == []
    assert view["counted_once"]["n"] is None


def test_the_quarterly_ratings_count_each_case_once(cli: Callable[..., Run]) -> None:
    view = json.loads(cli("quarterly", "--quarter", "2026-Q1", *ARGS, "--format", "json").stdout)
    assert view["counted_once"]["n"] == 3
    (table,) = view["ratings"]
    planning = next(s for s in table["standards"] if s["id"] == "practice_standards.planning")
    (row,) = planning["rows"]
    cells = {c["id"]: cell["n"] for c, cell in zip(table["columns"], row["cells"], strict=True)}
    assert (cells["good"], cells["requires_improvement"]) == (5, 1)


@pytest.mark.parametrize(
    ("fmt", "start", "end"),
    [
        ("md", "- Audits: **6** valid from `", "`, counting a double-marked case once"),
        (
            "html",
            "<p>Audits: <strong>6</strong> valid audits from <code>",
            "</code>, counting a double-marked case once.</p>",
        ),
    ],
)
def test_the_header_says_its_number_of_audits_counts_a_double_marked_case_once(
    cli: Callable[..., Run], fmt: str, start: str, end: str
) -> None:
    """Review: "Audits: 6 valid" counted cases, of nine audits read, and did not say so."""
    out = cli("summary", *ARGS, "--format", fmt).stdout
    (header,) = [line for line in out.splitlines() if line.startswith(start)]
    assert header.endswith(end)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_summary_with_no_double_marking_says_nothing_of_it(cli: Callable[..., Run], fmt: str) -> None:
    path = str(FOLDER / "CFA-2026-0609.yaml")
    out = cli("summary", "--audits", path, "--today", TODAY.isoformat(), "--format", fmt).stdout
    assert "Double-marking" not in out
    assert "Not counted again" not in out
    assert "double-marked case once" not in out


def _counted(registry: Registry, folder: str, *, quarters: bool) -> dict[str, str]:
    records = load_dataset([DATA / "cycle" / folder], registry, CheckOptions(today=TODAY)).records
    once = summary_report.cases_counted(records, Quarters()) if quarters else moderation.count_once(records)
    return {r.audit_id: r.audit_id for r in once.counted} | {
        s.audit.audit_id: s.counted.audit_id for s in once.seconds
    }


def test_a_case_is_its_first_audit_and_those_within_the_window_of_it_never_a_chain(
    registry: Registry,
) -> None:
    # Regression: monthly audits by two reviewers in turn, each within 30 days of the one before
    # (1 June to 17 September), were one case: "Audits: 1 valid" and 4 second audits.
    assert _counted(registry, "double-marked-chain", quarters=False) == {
        "CFA-2026-0001": "CFA-2026-0001",
        "CFA-2026-0002": "CFA-2026-0001",  # 27 days after it
        "CFA-2026-0003": "CFA-2026-0003",  # 54 days after 0001: a case of its own
        "CFA-2026-0004": "CFA-2026-0003",
        "CFA-2026-0005": "CFA-2026-0005",
    }


def test_two_audits_in_different_quarters_are_each_counted_in_the_summary(registry: Registry) -> None:
    # Regression: 29 September and 2 October were one case in the summary (2026-Q3: 1, no
    # 2026-Q4), but each quarter's report counted its own: the quarters added up to 2, not 1.
    assert _counted(registry, "double-marked-quarters", quarters=False) == {
        "CFA-2026-0001": "CFA-2026-0001",
        "CFA-2026-0002": "CFA-2026-0001",
    }
    assert _counted(registry, "double-marked-quarters", quarters=True) == {
        "CFA-2026-0001": "CFA-2026-0001",
        "CFA-2026-0002": "CFA-2026-0002",
    }


@pytest.mark.parametrize("quarter", ["2026-Q3", "2026-Q4"])
def test_each_quarter_s_report_counts_what_the_summary_s_quarter_counts(
    cli: Callable[..., Run], quarter: str
) -> None:
    folder = DATA / "cycle" / "double-marked-quarters"
    args = ("--audits", str(folder), "--today", TODAY.isoformat(), "--format", "json")
    summary = json.loads(cli("summary", *args).stdout)
    report = json.loads(cli("quarterly", *args, "--quarter", quarter).stdout)
    (section,) = summary["frameworks"]
    by_quarter = {row["key"]: row["n"]["n"] for row in section["trend"]}
    assert by_quarter == {"2026-Q3": 1, "2026-Q4": 1}
    assert report["audits_total"]["n"] == by_quarter[quarter] == 1

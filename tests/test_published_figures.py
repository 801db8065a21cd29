"""One figure, one way, wherever a report gives it (the reviewer's defects of examples/service).

- The summary's moderation sentence gave "exact agreement 57% (12 of 21)" while the pooled row of
  its table said "not shown" for the same 12 pairs: the pooled row's counts were sums the ledger
  never showed, so a published report hid them whatever their values. They are counts the report
  shows, and the ledger decides them with the sentence's (the same cells): shown in both here.
- The unpublished JSON gave ``{"n": 12, "text": ""}`` for those counts (and for the re-audits'
  improved, same and declined): every count carries its text.
- The workbook's Re-audits sheet left the "All frameworks" row's Cases blank where the page says
  "9 cases re-audited".
- The re-audits' improved, same and declined were sums the ledger never showed, so a published
  summary said "not shown" for them whatever their values (12 of 24 cases improved): they are
  counts the ledger decides, shown where nothing small can be worked out from them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLES, TODAY
from disclosure_check import pinned_in_ledger
from qaimpact.audits.checker import CheckOptions, check_document
from qaimpact.audits.dataset import Dataset, load_dataset
from qaimpact.audits.records import AuditRecord
from qaimpact.base.loader import load_bytes
from qaimpact.cycle import moderation
from qaimpact.frameworks.registry import Registry
from qaimpact.privacy.disclosure import Figures
from qaimpact.reports import tables
from qaimpact.reports.summary import quarterly_summary

openpyxl = pytest.importorskip("openpyxl")

SERVICE = EXAMPLES / "service"
SUMMARY = ("summary", "--audits", SERVICE, "--today", TODAY.isoformat())
POOLED_ROW = "All, on one scale (Outstanding, Good, Requires improvement, Inadequate)"
AGREEMENT = "57% (12 of 21)"
#: The Re-audits sheet's "All frameworks" row: Cases, Compared, Improved, Same, Declined, Not comparable.
REAUDITS_ALL = {
    False: ["All frameworks", 9, 9, pytest.approx(5 / 9), pytest.approx(2 / 9), pytest.approx(2 / 9), None],
    True: ["All frameworks", "*", "*", "not shown", "not shown", "not shown", None],
}


@pytest.fixture(scope="module")
def service(registry: Registry) -> list[AuditRecord]:
    return load_dataset([SERVICE], registry, CheckOptions(today=TODAY, keep_data=True)).records


def _counts(value: Any, where: str = "") -> Any:
    """Every count (a dict with ``n`` and ``text``) in a view, with where it is."""
    if isinstance(value, dict):
        if "n" in value and "text" in value and not isinstance(value["n"], dict):
            yield where, value
        for key, item in value.items():
            yield from _counts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _counts(item, f"{where}[{i}]")


# -- 1. the published agreement: the sentence and the pooled row ------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "json", "xlsx"])
def test_the_published_agreement_is_the_same_in_the_sentence_and_the_pooled_row(
    cli: Any, tmp_path: Path, fmt: str
) -> None:
    if fmt == "xlsx":
        out = tmp_path / "summary.xlsx"
        cli(*SUMMARY, "--publish", "-f", "xlsx", "-o", out)
        rows = [list(r) for r in openpyxl.load_workbook(out)["Moderation"].iter_rows(values_only=True)]
        agreement = rows[0].index("Agreement")
        by_label = {r[0]: r[agreement] for r in rows[1:]}
        assert by_label["All frameworks"] == by_label["Across frameworks, on one scale"] == 0.57
        return
    out = cli(*SUMMARY, "--publish", "-f", fmt).stdout
    if fmt == "json":
        section = json.loads(out)["cycle"]["moderation"]
        [pooled] = section["pooled"]
        assert section["agreement"]["text"] == pooled["agreement"]["text"] == AGREEMENT
        return
    if fmt == "md":
        assert f"21 pairs of grades, exact agreement {AGREEMENT}.\n" in out
        assert (
            f"| {POOLED_ROW} | 21 | {AGREEMENT} | 0.35 (95% CI 0.09 to 0.61) | not shown | not shown |\n"
            in out
        )
    else:
        assert f'21 pairs of grades, exact agreement <span class="nowrap">{AGREEMENT}</span>.</p>' in out
        assert (
            f'<tr><th scope="row">{POOLED_ROW}</th><td class="num">21</td><td class="num">'
            f'<span class="nowrap">{AGREEMENT}</span></td>'
        ) in out


def test_the_pooled_counts_are_the_total_line_s_and_pin_no_count(service: list[AuditRecord]) -> None:
    """On these scales each pair's direction is the same on its framework's grades and on the
    shared scale: the pooled counts are the total line's, shown or hidden alike, and the ledger
    that decides them all leaves every count from 1 to 4 with another possible value."""
    figures = Figures(publish=True)
    view = quarterly_summary(Dataset(["mem"], records=service), today=TODAY, figures=figures)
    section = view["cycle"]["moderation"]
    [pooled] = section["pooled"]
    texts = [d["count"]["text"] for d in section["direction"]]
    assert [d["count"]["text"] for d in pooled["direction"]] == texts == ["*", "12", "<5"]
    assert [d["share"]["text"] for d in pooled["direction"]] == ["suppressed", AGREEMENT, "suppressed"]
    assert pinned_in_ledger(figures) == []


# -- 2. every count of the unpublished JSON carries its text -----------------------------------------


def test_every_count_of_the_unpublished_summary_json_has_its_text(cli: Any) -> None:
    view = json.loads(cli(*SUMMARY, "-f", "json").stdout)
    counts = list(_counts(view))
    assert len(counts) > 500
    assert [(where, c) for where, c in counts if c["text"] != str(c["n"])] == []
    [pooled] = view["cycle"]["moderation"]["pooled"]
    assert pooled["agreement"]["count"] == {"n": 12, "text": "12"}


def test_the_moderation_and_re_audit_counts_have_their_text(service: list[AuditRecord]) -> None:
    section = moderation.summary_section(service, today=TODAY, publish=False)
    [pooled] = section["pooled"]
    assert [d["count"] for d in pooled["direction"]] == [
        {"n": 6, "text": "6"},
        {"n": 12, "text": "12"},
        {"n": 3, "text": "3"},
    ]
    impact = quarterly_summary(Dataset(["mem"], records=service), today=TODAY)["cycle"]["impact"]
    assert [impact["overall"][d]["count"] for d in ("improved", "same", "declined")] == [
        {"n": 5, "text": "5"},
        {"n": 2, "text": "2"},
        {"n": 2, "text": "2"},
    ]


@pytest.mark.parametrize("publish", [False, True])
def test_a_count_the_report_never_shows_still_reads_as_itself_unpublished(publish: bool) -> None:
    figures = Figures(publish)
    cell = figures.count(7, shown=False)
    figures.protect()
    # Published, a count the ledger never shows is withheld, as before.
    assert cell == ({"n": None, "text": "–"} if publish else {"n": 7, "text": "7"})


# -- 3. the workbook's re-audits: the All frameworks row's cases -------------------------------------


@pytest.mark.parametrize("publish", [False, True])
def test_the_re_audits_sheet_gives_all_the_cases_as_the_page_does(
    cli: Any, tmp_path: Path, service: list[AuditRecord], publish: bool
) -> None:
    flag = ("--publish",) if publish else ()
    out = tmp_path / "summary.xlsx"
    cli(*SUMMARY, *flag, "-f", "xlsx", "-o", out)
    rows = [list(r) for r in openpyxl.load_workbook(out)["Re-audits"].iter_rows(values_only=True)]
    assert rows[0] == ["Compared on", "Cases", "Compared", "Improved", "Same", "Declined", "Not comparable"]
    assert rows[-1] == REAUDITS_ALL[publish]
    page = cli(*SUMMARY, *flag).stdout
    assert ("9 cases re-audited" if not publish else "5 or more cases (\\*) re-audited") in page
    # The same from the functions: the sheet's cell is the view's count of cases re-audited.
    view = json.loads(
        json.dumps(quarterly_summary(Dataset(["mem"], records=service), today=TODAY, publish=publish))
    )
    sheet = next(s for s in tables.summary_sheets(view) if s.title == "Re-audits")
    assert sheet.sources[-1][1] == ("cycle", "impact", "cases")
    assert tables.value(tables.at(view, sheet.sources[-1][1])) == REAUDITS_ALL[publish][1]


# -- 4. a published kappa is given as its page writes it ------------------------------------------

#: The Moderation sheet's kappa columns of each row, published: as the page writes them.
PUBLISHED_KAPPAS = {
    "Quality and Impact Assurance Model": [0.35, 0.07, 0.64],
    "Children's Services Practice Standards": [0.32, -0.16, 0.8],
    "Across frameworks, on one scale": [0.35, 0.09, 0.61],
}


def _kappas(view: Any) -> list[float]:
    """Every kappa, standard error and confidence limit in a view."""
    found: list[float] = []
    if isinstance(view, dict):
        kappa = view.get("kappa")
        if isinstance(kappa, dict) and "standard_error" in kappa:
            figures = (kappa["kappa"], kappa["standard_error"], *(kappa["ci"] or []))
            found += [v for v in figures if v is not None]
        for item in view.values():
            found += _kappas(item)
    elif isinstance(view, list):
        for item in view:
            found += _kappas(item)
    return found


@pytest.mark.parametrize("publish", [False, True], ids=["own", "published"])
def test_a_published_kappa_has_the_two_decimals_its_page_shows(cli: Any, publish: bool) -> None:
    # With the number of pairs, a kappa and its standard error to sixteen digits narrow down the
    # table of marks, which a published report never shows; the QA team's own report keeps them.
    flag = ["--publish"] if publish else []
    figures = _kappas(json.loads(cli(*SUMMARY, *flag, "-f", "json").stdout))
    assert len(figures) >= 8
    assert all(round(v, 2) == v for v in figures) is publish


def test_the_published_workbook_gives_kappa_as_its_page_does(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "summary.xlsx"
    cli(*SUMMARY, "--publish", "-f", "xlsx", "-o", out)
    rows = [list(r) for r in openpyxl.load_workbook(out)["Moderation"].iter_rows(values_only=True)]
    first = rows[0].index("Kappa")
    kappas = {r[0]: r[first : first + 3] for r in rows[1:] if r[first] is not None}
    assert kappas == PUBLISHED_KAPPAS


# -- 5. the re-audits' improved, same and declined are decided by the ledger ------------------------

#: The council's grades, best first, and the standards an audit rates (each the same, so that the
#: grade the ratings give is that grade).
CCC_GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
CCC_STANDARDS = [
    "risk_management", "assessment", "planning", "visits_and_direct_work", "lived_experience",
    "identity_and_relationships", "multi_agency_working", "management_oversight", "case_recording",
]  # fmt: skip
#: How a case moved: (its first grade, its re-audit's), as indexes of CCC_GRADES.
MOVES = {"improved": (2, 1), "same": (1, 1), "declined": (1, 2)}


def _council_audit(number: int, grade: int, day: str, reaudit_of: str | None = None) -> str:
    data = yaml.safe_load((EXAMPLES / "ccc-cfa-2026-0311.yaml").read_text(encoding="utf-8"))
    for key in ("overall_judgement", "rationale", "remedial_actions"):
        data.pop(key, None)
    data["audit_id"] = f"CFA-2026-{number:04d}"
    data["case"]["case_reference"] = f"LCS-{900000 + number % 1000}"
    data["review_date"] = day
    data["period_reviewed"] = {"from": "2025-09-01", "to": "2026-02-28"}
    if reaudit_of is not None:
        data["reaudit_of"] = reaudit_of
    data["practice_standards"] = {
        ident: {"rating": CCC_GRADES[grade], "evidence": "Seen."} for ident in CCC_STANDARDS
    }
    return yaml.safe_dump(data, sort_keys=False)


def _reaudited(moves: list[tuple[int, int]]) -> dict[str, str]:
    """Council audits of one case each and their re-audits, by file name: (first, later) grades."""
    files = {}
    for i, (first, later) in enumerate(moves):
        original, again = 1000 + i, 5000 + i
        files[f"CFA-2026-{original}.yaml"] = _council_audit(original, first, "2026-03-02")
        files[f"CFA-2026-{again}.yaml"] = _council_audit(again, later, "2026-09-01", f"CFA-2026-{original}")
    return files


def _records(registry: Registry, files: dict[str, str]) -> list[AuditRecord]:
    records = []
    for name, text in files.items():
        checked = check_document(
            load_bytes(text.encode(), name), registry, CheckOptions(today=TODAY, keep_data=True)
        )
        assert checked.valid, checked.diagnostics
        assert checked.data is not None
        assert checked.result is not None
        assert checked.framework is not None
        records.append(AuditRecord(checked.path, checked.framework, checked.data, checked.result))
    return records


#: 24 council cases re-audited: 12 improved, 6 the same, 6 declined. Nothing is small: published,
#: every figure of the section is shown, as it is to the QA team.
TWENTY_FOUR = [MOVES["improved"]] * 12 + [MOVES["same"]] * 6 + [MOVES["declined"]] * 6
SHARES = {"improved": "50% (12 of 24)", "same": "25% (6 of 24)", "declined": "25% (6 of 24)"}


@pytest.mark.parametrize("fmt", ["md", "html", "json", "xlsx"])
def test_published_re_audit_counts_are_shown_where_nothing_is_small(
    cli: Any, tmp_path: Path, fmt: str
) -> None:
    folder = tmp_path / "audits"
    folder.mkdir()
    for name, text in _reaudited(TWENTY_FOUR).items():
        (folder / name).write_text(text, encoding="utf-8")
    args = ("summary", "--audits", folder, "--today", TODAY.isoformat(), "--publish")
    if fmt == "xlsx":
        out = tmp_path / "summary.xlsx"
        cli(*args, "-f", "xlsx", "-o", out)
        rows = [list(r) for r in openpyxl.load_workbook(out)["Re-audits"].iter_rows(values_only=True)]
        assert rows[1:] == [
            ["Children's Services Practice Standards", 24, 24, 0.5, 0.25, 0.25, 0],
            ["All frameworks", 24, 24, 0.5, 0.25, 0.25, None],
        ]
        return
    out = cli(*args, "-f", fmt).stdout
    if fmt == "json":
        impact = json.loads(out)["cycle"]["impact"]
        for row in (impact["groups"][0], impact["overall"]):
            assert {d: row[d]["text"] for d in SHARES} == SHARES
            assert [row[d]["count"] for d in SHARES] == [
                {"n": 12, "text": "12"},
                {"n": 6, "text": "6"},
                {"n": 6, "text": "6"},
            ]
        return
    cells = [SHARES[d] for d in SHARES]
    if fmt == "md":
        assert f"| Children's Services Practice Standards | 24 | {' | '.join(cells)} |\n" in out
    else:
        assert (
            '<tr><th scope="row">Children&#39;s Services Practice Standards</th><td class="num">24</td>'
            + "".join(f'<td class="num">{c}</td>' for c in cells)
        ) in out.replace('<span class="nowrap">', "").replace("</span>", "")


def test_the_re_audit_counts_of_the_example_are_decided_not_withheld(
    cli: Any, service: list[AuditRecord]
) -> None:
    """The example's counts are small: published, each is said to be under 5 (or hidden as 5 or
    more), as the ledger decides, not withheld whatever its value; nothing is pinned."""
    impact = json.loads(cli(*SUMMARY, "--publish", "-f", "json").stdout)["cycle"]["impact"]
    texts = [[row[d]["count"]["text"] for d in SHARES] for row in (*impact["groups"], impact["overall"])]
    # The council's 4 cases compared are "<5": their directions break a small count down (–).
    assert texts == [["<5", "<5", "<5"], ["–", "–", "–"], ["5", "<5", "<5"]]
    figures = Figures(publish=True)
    view = quarterly_summary(Dataset(["mem"], records=service), today=TODAY, figures=figures)
    rows = (view["cycle"]["impact"]["groups"][0], view["cycle"]["impact"]["overall"])
    assert all(row[d]["count"]["text"] != "–" for row in rows for d in SHARES)
    assert pinned_in_ledger(figures) == []

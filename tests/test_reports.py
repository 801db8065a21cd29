"""Reports: feedback on one audit, the learning log and the quarterly summary."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, TODAY
from qaimpact.audits.checker import CheckOptions, check_document
from qaimpact.audits.dataset import Dataset
from qaimpact.audits.records import AuditRecord
from qaimpact.base.loader import load_bytes
from qaimpact.reports import render
from qaimpact.reports import summary as analysis
from qaimpact.reports.render import md, md_code, render_csv

CAFCASS = EXAMPLES / "cafcass-qa-2026-0142.yaml"
CCC = EXAMPLES / "ccc-cfa-2026-0311.yaml"
HOSTILE = (
    "<script>alert('x')</script> {{ 7*7 }} {% if true %}yes{% endif %} | **bold** [link](javascript:alert(1))"
)


class Html(HTMLParser):
    """Collects tags, text and attributes of an HTML document."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def _write_hostile(folder: Path) -> Path:
    text = CCC.read_text(encoding="utf-8").replace(
        "evidence: Plan is not SMART; actions have no owners or dates.", f"evidence: {json.dumps(HOSTILE)}"
    )
    path = folder / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _report(cli, *args, expect=0):
    return cli(*args, "--today", TODAY.isoformat(), expect=expect)


# -- escaping ---------------------------------------------------------------------------------------


def test_html_shows_hostile_evidence_literally(cli, tmp_path):
    path = _write_hostile(tmp_path)
    out = _report(cli, "report", path, "--format", "html").stdout
    page = Html(out)
    assert "script" not in page.tags
    assert HOSTILE in page.all_text  # exactly as written, once parsed back
    # {{ 7*7 }} never evaluated; the page names the file, whose temporary folder may hold "49".
    assert "49" not in page.all_text.replace(str(tmp_path), "")
    assert not any(v and v.startswith("javascript:") for _, v in page.attrs)


def test_markdown_escapes_hostile_evidence(cli, tmp_path):
    out = _report(cli, "report", _write_hostile(tmp_path)).stdout
    row = next(line for line in out.splitlines() if line.startswith("| Planning |"))
    assert row == (
        r"| Planning | Requires improvement to be good | \<script\>alert('x')\</script\> {{ 7\*7 }} "
        r"{% if true %}yes{% endif %} \| \*\*bold\*\* \[link\](javascript:alert(1)) |"
    )
    assert row.count(" | ") == 2  # the pipe in the evidence does not open a column


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain text", "plain text"),
        ("a | b", r"a \| b"),
        ("two\nlines", "two lines"),
        ("*x* _y_ `z` [a](b) <i> # ~", r"\*x\* \_y\_ \`z\` \[a\](b) \<i\> \# \~"),
        ("back\\slash", "back\\\\slash"),
        (None, ""),
    ],
)
def test_md_filter(text, expected):
    assert md(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("a.yaml", "`a.yaml`"), ("a`b.yaml", "``a`b.yaml``"), ("`x`", "`` `x` ``")]
)
def test_md_code_filter(text, expected):
    assert md_code(text) == expected


# -- the three reports through the CLI -------------------------------------------------------------


def test_feedback_shows_grade_learning_and_what_good_looks_like(cli):
    out = _report(cli, "report", CAFCASS).stdout
    assert "## Grade: Good" in out
    assert "- **Case planning**" in out
    assert 'What good looks like in "Case planning records plans' in out
    assert "## Next time" in out
    assert "Action required now" not in out


def test_feedback_puts_immediate_safeguarding_actions_first(cli, tmp_path):
    text = (
        CAFCASS.read_text(encoding="utf-8")
        .replace(
            "immediate_safeguarding_actions:\n  required: false",
            "immediate_safeguarding_actions:\n  required: true\n"
            "  comment: Refer to the local authority today.",
        )
        .replace("overall_grade: good", "overall_grade: requires_improvement")
    )
    path = tmp_path / "urgent.yaml"
    path.write_text(text, encoding="utf-8")
    out = _report(cli, "report", path).stdout
    assert out.index("Action required now") < out.index("## Grade:")
    assert "Immediate safeguarding actions required: Refer to the local authority today." in out
    html = _report(cli, "report", path, "--format", "html").stdout
    assert '<section class="alert" role="alert"' in html


def test_report_of_an_invalid_audit_shows_its_problems(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        CCC.read_text(encoding="utf-8").replace("rating: good", "rating: great", 1), encoding="utf-8"
    )
    out = _report(cli, "report", path, expect=1)
    assert "has errors, so no feedback can be written" in out.stderr
    assert "QA204" in out.stderr
    assert out.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Give either an audit file"),
        (
            (str(CAFCASS), "--fca", "Amira Hassan"),
            f"error: Give an audit file or --fca, not both: `qaimpact report {CAFCASS}` writes the "
            'feedback on that one audit, and `qaimpact report --fca "Amira Hassan"` the learning log '
            "of Amira Hassan's audits.",
        ),
        (
            ("--fca", "Nobody Atall", "--audits", "{headline}"),
            "No audit of a practitioner named 'Nobody Atall'",
        ),
        (
            ("--fca", "Amira", "--audits", "{headline}", "--from", "2026-13-01"),
            "--from '2026-13-01' is not a date",
        ),
    ],
    ids=["nothing", "both", "unknown-name", "bad-date"],
)
def test_report_usage_errors(cli, args, message, headline):
    out = _report(cli, "report", *[a.format(headline=headline) for a in args], expect=2)
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_unknown_practitioner_suggests_the_closest_names(cli, headline):
    out = _report(cli, "report", "--fca", "Amira Hasan", "--audits", headline, expect=2)
    assert "Did you mean 'Amira Hassan'?" in " ".join(out.stderr.split())


@pytest.mark.parametrize("name", ["amira hassan", "  Amira   Hassan ", "AMIRA HASSAN"])
def test_learning_log_name_matching_ignores_case_and_spaces(cli, name, headline):
    out = _report(cli, "report", "--fca", name, "--audits", headline).stdout
    assert out.startswith("# Learning log: Amira Hassan\n")


def test_practitioner_alias_works_for_council_practitioners(cli, headline):
    out = _report(cli, "report", "--practitioner", "priya natarajan", "--audits", headline).stdout
    assert "# Learning log: Priya Natarajan" in out
    assert "standards rated below good" in out


def test_summary_lists_invalid_files_and_skips_non_audits(cli, tmp_path):
    shutil.copy(CAFCASS, tmp_path / "a.yaml")
    (tmp_path / "bad.yaml").write_text(
        CCC.read_text(encoding="utf-8").replace("rating: good", "rating: great", 1), encoding="utf-8"
    )
    (tmp_path / "ci.yml").write_text("jobs:\n  test: {}\n", encoding="utf-8")
    out = _report(cli, "summary", "--audits", tmp_path, expect=1)
    assert "error: 1 audit file was left out of this report because it has errors" in out.stderr
    assert "note: 1 YAML file that is not an audit was skipped." in out.stderr
    assert "## Invalid files left out of the figures (1)" in out.stdout
    assert "error QA204 'great' is not a rating" in out.stdout
    assert "ci.yml" in out.stdout
    assert "- Audits: **1** valid" in out.stdout


def test_summary_json_and_csv(cli, headline):
    data = json.loads(_report(cli, "summary", "--audits", headline, "--format", "json").stdout)
    assert data["audits"] == 2
    assert {f["framework"]["id"] for f in data["frameworks"]} == {
        "cafcass-qiam-2017",
        "ccc-practice-standards",
    }
    rows = list(
        csv.DictReader(io.StringIO(_report(cli, "summary", "--audits", headline, "--format", "csv").stdout))
    )
    assert [r["audit_id"] for r in rows] == ["QA-2026-0142", "CFA-2026-0311"]
    assert rows[0]["grade"] == "good"
    grouped = _report(cli, "summary", "--audits", headline, "--format", "csv", "--by", "team").stdout
    header = grouped.splitlines()[0].split(",")
    assert header[:3] == ["framework", "team", "audits"]
    assert {"outstanding", "good", "met", "requires_improvement", "inadequate"} <= set(header)


def test_csv_neutralises_formulas(cli, tmp_path):
    text = CAFCASS.read_text(encoding="utf-8").replace(
        "practitioner: Amira Hassan", "practitioner: '=HYPERLINK(\"x\")'"
    )
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    rows = list(
        csv.DictReader(io.StringIO(_report(cli, "summary", "--audits", tmp_path, "--format", "csv").stdout))
    )
    assert rows[0]["practitioner"] == '\'=HYPERLINK("x")'


@pytest.mark.parametrize("by", analysis.FACETS)
def test_summary_by_every_facet(cli, by, headline):
    out = _report(cli, "summary", "--audits", headline, "--by", by).stdout
    assert f"### By {by.replace('_', ' ')}" in out


def test_publish_suppresses_small_counts(cli, headline):
    out = _report(cli, "summary", "--audits", headline, "--publish").stdout
    # One audit of each framework: each framework's total is under 5, so its grades are not
    # shown at all ("–"), not even a zero (issue 16).
    assert r"| Good | – | not shown |" in out
    assert r"- Audits: **\<5** valid" in out
    assert "Listed in the QA team's own report only." in out
    assert "Amira Hassan" not in out


def test_templates_folder_overrides_a_template(cli, tmp_path):
    (tmp_path / "audit.md.j2").write_text(
        "Custom: {{ view.audit_id | md }} {{ view.grade.label }}\n", encoding="utf-8"
    )
    assert _report(cli, "report", CAFCASS, "--templates", tmp_path).stdout == "Custom: QA-2026-0142 Good\n"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ view.no_such_thing }}", "uses something the report does not provide"),
        ("{% if %}", "has an error at line 1"),
        ("{{ view.__class__.__mro__ }}", "tried something unsafe, which is not allowed"),
    ],
    ids=["undefined", "syntax", "sandbox"],
)
def test_broken_templates_are_usage_errors(cli, tmp_path, template, message):
    (tmp_path / "audit.md.j2").write_text(template, encoding="utf-8")
    out = _report(cli, "report", CAFCASS, "--templates", tmp_path, expect=2)
    assert message in out.stderr


def test_output_file_is_written_and_audits_are_never_overwritten(cli, tmp_path):
    target = tmp_path / "feedback.html"
    _report(cli, "report", CAFCASS, "--format", "html", "-o", target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    copy = tmp_path / "a.yaml"
    shutil.copy(CAFCASS, copy)
    out = _report(cli, "report", copy, "-o", copy, expect=2)
    assert "is one of the files being read" in out.stderr
    assert copy.read_bytes() == CAFCASS.read_bytes()


# -- redaction -------------------------------------------------------------------------------------


def _names(paths) -> set[str]:
    """Every person's name and case identifier in the audit files."""
    found: set[str] = set()
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "kind" in data:  # a record besides an audit: its people and its case
            people = (
                "observer",
                "practitioner",
                "supervisor",
                "recorded_by",
                "ecms_number",
                "case_reference",
            )
            found.update(str(data[k]) for k in people if data.get(k))
            continue
        found.update(str(data[k]) for k in ("practitioner", "reviewer", "team_manager") if data.get(k))
        found.update(str(data["case"][k]) for k in ("ecms_number", "case_reference") if data["case"].get(k))
        found.update(a["owner"] for a in data.get("remedial_actions") or [])
    return found


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
def test_redacted_summary_has_no_original_name(cli, fmt, headline):
    files = sorted(headline.glob("*.yaml"))
    out = _report(cli, "summary", "--audits", headline, "--redact", "--format", fmt).stdout
    names = _names(files)
    assert names
    parts = {p for n in names for p in n.split() if len(p) >= 3 and p[0].isupper()}
    leaked = [n for n in names | parts if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", out)]
    assert leaked == []
    assert "Person A" in out or (fmt == "csv" and "Person" in out)


def test_redacted_learning_log_keeps_only_its_subject(cli, headline):
    out = _report(cli, "report", "--fca", "Priya Natarajan", "--audits", headline, "--redact").stdout
    assert "# Learning log: Priya Natarajan" in out
    for other in ("Gareth Lloyd", "Helen Marsh", "LCS-884120"):
        assert other not in out


def test_redaction_is_stable_and_reaches_free_text(registry):
    from qaimpact.privacy.redaction import Redactor

    text = CCC.read_text(encoding="utf-8").replace(
        "Agreed the plan had drifted", "Gareth Lloyd and Priya agreed the plan had drifted"
    )
    record = _record(registry, text)
    redactor = Redactor([record])
    data = redactor.record(record).data
    # Pseudonyms follow the order people first appear: practitioner, reviewer, team manager.
    assert (data["practitioner"], data["reviewer"], data["team_manager"]) == (
        "Person A",
        "Person B",
        "Person C",
    )
    assert data["remedial_actions"][1]["owner"] == "Person C"
    assert data["feedback"]["practitioner_reflection"].startswith("Person C and Person A agreed")
    assert data["case"]["case_reference"] == "Case 001"


# -- the figures add up ----------------------------------------------------------------------------


def _record(registry, text: str) -> AuditRecord:
    check = check_document(
        load_bytes(text.encode(), "x.yaml"),
        registry,
        CheckOptions(today=TODAY, with_lift=True, keep_data=True),
    )
    assert check.valid, check.diagnostics
    assert check.data is not None
    assert check.result is not None
    assert check.framework is not None
    return AuditRecord(check.path, check.framework, check.data, check.result)


_CCC_IDS = [
    "risk_management", "assessment", "planning", "visits_and_direct_work", "lived_experience",
    "identity_and_relationships", "multi_agency_working", "management_oversight", "case_recording",
]  # fmt: skip
_CAFCASS_IDS = ["child_seen", "child_experience", "enabled_to_choose", "impact_analysis",
                "case_recording", "case_planning", "tools_uploaded", "report_quality"]  # fmt: skip

audit_specs = st.lists(
    st.tuples(
        st.booleans(),  # Cafcass or council
        st.lists(st.integers(0, 3), min_size=10, max_size=10),
        st.dates(min_value=TODAY.replace(year=2025), max_value=TODAY),
        st.sampled_from(["North", "South", "East"]),
    ),
    min_size=1,
    max_size=25,
)


def _variant(registry, cafcass: bool, ratings: list[int], day, team: str) -> AuditRecord:
    data = yaml.safe_load((CAFCASS if cafcass else CCC).read_text(encoding="utf-8"))
    data["review_date"] = day.isoformat()
    data.pop("overall_grade", None)
    data.pop("overall_judgement", None)
    if cafcass:
        scale = ["good", "met", "requires_improvement"]
        data["team"] = team
        for i, ident in enumerate(_CAFCASS_IDS):
            group = "impact" if i < 4 else "compliance"
            data[group][ident]["rating"] = scale[ratings[i] % 3]
            data[group][ident]["evidence"] = "Seen."
        data["impact"]["child_seen"]["seen"] = True
    else:
        scale = ["outstanding", "good", "requires_improvement", "inadequate"]
        data["case"]["team"] = team
        for i, ident in enumerate(_CCC_IDS):
            data["practice_standards"][ident]["rating"] = scale[ratings[i]]
            data["practice_standards"][ident]["evidence"] = "Seen."
    return _record(registry, yaml.safe_dump(data, sort_keys=False))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=audit_specs, by=st.sampled_from(analysis.FACETS), publish=st.just(False))
def test_summary_figures_add_up_to_the_valid_audits(registry, specs, by, publish):
    records = [_variant(registry, *spec) for spec in specs]
    view = analysis.summary(Dataset(["mem"], records=records), by=by, publish=publish)
    assert view["audits"] == len(records) == sum(s["n"] for s in view["frameworks"])
    for section in view["frameworks"]:
        n = section["n"]
        assert sum(d["count"]["n"] for d in section["distribution"]) == n
        assert sum(t["n"]["n"] for t in section["trend"]) == n
        assert sum(g["n"]["n"] for g in section["groups"]) == n
        for group in [*section["trend"], *section["groups"]]:
            assert sum(d["count"]["n"] for d in group["distribution"]) == group["n"]["n"]
        good = section["good_or_better"]
        assert good["of"]["n"] == n
        assert good["count"]["n"] == sum(
            d["count"]["n"] for d in section["distribution"] if d["grade"] in ("outstanding", "good")
        )
        assert len(section["included"]) == n


# -- privacy of published and redacted reports ------------------------------------------------------


def _hidden(count) -> bool:
    return count["n"] is None


def _assert_no_lone_hidden_count(section) -> None:
    """Where a total is shown, a row or column never has exactly one hidden count."""
    margin = [d["count"] for d in section["distribution"]]
    if not _hidden(section["total"]):
        assert sum(map(_hidden, margin)) != 1, margin
    for rows in [section["trend"], section["groups"] or []]:
        for row in rows:
            cells = [d["count"] for d in row["distribution"]]
            if not _hidden(row["n"]):
                assert sum(map(_hidden, cells)) != 1, (row["key"], cells)
        for j, total in enumerate(margin):
            column = [row["distribution"][j]["count"] for row in rows]
            if rows and not _hidden(total):
                assert sum(map(_hidden, column)) != 1, (j, column)
    shares = [section["good_or_better"], *(d["share"] for d in section["distribution"])]
    for share in shares:
        if share["pct"] is None:
            assert share["text"] in ("suppressed", "no audits")


# Regression (found by this test after the breakdown by case characteristic was added): a table
# by law type with one row showed the grades' totals again, which the trend hid; the search for
# what else to hide followed links only through hidden counts, so it never hid that row.
_ONE_LAW_TYPE = [
    (True, [0, 0, 0, 0, 0, 0, 2, 0, 0, 0], dt.date(2025, 11, 29), "North"),
    (True, [0, 0, 0, 0, 2, 0, 0, 0, 0, 0], dt.date(2026, 11, 14), "North"),
    (True, [0, 0, 1, 3, 0, 3, 3, 2, 3, 3], dt.date(2025, 12, 26), "North"),
    (False, [1, 1, 3, 3, 3, 0, 0, 2, 0, 0], dt.date(2025, 12, 28), "North"),
    (False, [3, 1, 3, 1, 2, 1, 1, 0, 3, 1], dt.date(2026, 3, 8), "East"),
    (True, [3, 3, 0, 2, 3, 1, 3, 1, 2, 2], dt.date(2025, 12, 16), "North"),
    (True, [0, 1, 0, 3, 3, 0, 2, 3, 3, 3], dt.date(2025, 11, 27), "North"),
    (False, [1, 0, 0, 2, 3, 3, 3, 2, 3, 3], dt.date(2025, 11, 30), "South"),
    (True, [1, 3, 2, 1, 0, 0, 2, 3, 1, 2], dt.date(2026, 5, 14), "South"),
    (True, [2, 3, 2, 3, 0, 1, 2, 3, 1, 3], dt.date(2026, 3, 28), "South"),
    (True, [3, 2, 3, 3, 2, 0, 1, 1, 3, 0], dt.date(2025, 12, 29), "South"),
    (True, [1, 3, 0, 1, 3, 1, 2, 2, 2, 0], dt.date(2025, 12, 7), "North"),
    (True, [1, 2, 2, 3, 1, 3, 2, 0, 1, 2], dt.date(2025, 12, 4), "East"),
]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=audit_specs, by=st.sampled_from(analysis.FACETS))
@example(specs=_ONE_LAW_TYPE, by="quarter")
def test_published_counts_cannot_be_worked_out(registry, specs, by):
    from disclosure_check import pinned_in_ledger
    from qaimpact.privacy.disclosure import Figures

    records = [_variant(registry, *spec) for spec in specs]
    figures = Figures(publish=True)
    view = analysis.summary(Dataset(["mem"], records=records), by=by, figures=figures)
    figures.protect()
    # Exactly (integer programming): no count from 1 to 4 is pinned. A lone hidden cell in a row
    # is fine where it may be 0 or where the "<5" of others keeps it open (issue 16).
    assert pinned_in_ledger(figures) == []
    for section in view["frameworks"]:
        assert section["escalations"] == section["differs"] == section["included"] == []


def test_published_summary_of_the_examples_is_protected(cli):
    data = json.loads(
        _report(
            cli, "summary", "--audits", EXAMPLES / "service", "--by", "team", "--publish", "--format", "json"
        ).stdout
    )
    for section in data["frameworks"]:
        _assert_no_lone_hidden_count(section)
    text = json.dumps(data)
    for name in _names(sorted((EXAMPLES / "service").rglob("*.yaml"))):
        assert name not in text


def test_redaction_covers_invalid_files(cli, tmp_path):
    shutil.copy(CCC, tmp_path / "good.yaml")
    bad = CCC.read_text(encoding="utf-8").replace("case_reference: LCS-884120", "case_reference: 884120")
    (tmp_path / "Priya Natarajan.yaml").write_text(bad, encoding="utf-8")
    for fmt in ("md", "json", "html"):
        out = _report(cli, "summary", "--audits", tmp_path, "--redact", "--format", fmt, expect=1).stdout
        for secret in ("Priya", "Natarajan", "884120", "Gareth Lloyd", "Helen Marsh"):
            assert secret not in out, (fmt, secret)


def test_redacted_log_keeps_a_subject_who_shares_a_first_name(cli, tmp_path):
    shutil.copy(CCC, tmp_path / "a.yaml")
    other = (
        CCC.read_text(encoding="utf-8")
        .replace("Priya Natarajan", "Priya Shah")
        .replace("CFA-2026-0311", "CFA-2")
    )
    (tmp_path / "b.yaml").write_text(other, encoding="utf-8")
    out = _report(cli, "report", "--fca", "Priya Natarajan", "--audits", tmp_path, "--redact").stdout
    assert out.startswith("# Learning log: Priya Natarajan\n")
    assert "Shah" not in out


def test_html_summary_lists_every_audit(cli):
    service = EXAMPLES / "service"
    page = Html(_report(cli, "summary", "--audits", service, "--format", "html").stdout)
    audits = [p for p in service.rglob("*.yaml") if "records" not in p.relative_to(service).parts]
    ids = {yaml.safe_load(p.read_text(encoding="utf-8"))["audit_id"] for p in audits}
    text = page.all_text
    assert len(ids) == 96
    assert [i for i in sorted(ids) if i not in text] == []


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_report_colours_meet_wcag_aa():
    from qaimpact.reports import charts

    css = (Path(analysis.__file__).parent / "templates" / "report.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6})", css))
    # Text: 4.5:1 (WCAG 1.4.3). Chart marks, which also carry text labels: 3:1 (WCAG 1.4.11).
    for fg, bg in [
        ("ink", None),
        ("muted", None),
        ("accent", None),
        ("bad", "bad-bg"),
        ("ink", "band"),
        ("ink", "warn-bg"),
    ]:
        assert _contrast(var[fg], var[bg] if bg else "#ffffff") >= 4.5, (fg, bg)
    for colour in charts.GRADE_COLOURS:
        assert _contrast(colour, "#ffffff") >= 3.0, colour
    assert _contrast(charts.INK, "#ffffff") >= 4.5


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (-3, "-3"),
        (2.5, "2.5"),
        (True, "true"),
        (None, ""),
        ("-3", "'-3"),
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+44 1223", "'+44 1223"),
        ("plain", "plain"),
    ],
)
def test_csv_cells_keep_numbers_and_neutralise_formula_text(value: object, cell: str) -> None:
    # A number is data; text that starts like a formula could run in a spreadsheet.
    assert render_csv([{"x": value, "y": "z"}]) == f"x,y\n{cell},z\n"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<td>2026-07-08</td>", '<td><span class="nowrap">2026-07-08</span></td>'),
        (
            "<p>QA-2026-0014, 2026-Q3</p>",
            '<p><span class="nowrap">QA-2026-0014</span>, <span class="nowrap">2026-Q3</span></p>',
        ),
        (
            "<code>a/CFA-2025-0294.yaml</code>",
            '<code>a/<span class="nowrap">CFA-2025-0294</span>.yaml</code>',
        ),
        # A financial quarter, and its label as one value (issue 17: it wrapped after "2026-27").
        (
            "<h1>Report, 2026-27 Q2 (Jul-Sep 2026): 2026-07-01 to 2026-09-30</h1>",
            '<h1>Report, <span class="nowrap">2026-27 Q2 (Jul-Sep 2026)</span>: '
            '<span class="nowrap">2026-07-01</span> to <span class="nowrap">2026-09-30</span></h1>',
        ),
        (
            "<td>2026-27 Q4 (Nov 2026-Jan 2027)</td><td>2026-27-Q2</td>",
            '<td><span class="nowrap">2026-27 Q4 (Nov 2026-Jan 2027)</span></td>'
            '<td><span class="nowrap">2026-27-Q2</span></td>',
        ),
        # A share with its counts (a new user's review: "100% (1 of" / "1)" in a narrow cell).
        (
            "<td>100% (1 of 1)</td><p>Done: 50% (6 of 12) of them.</p>",
            '<td><span class="nowrap">100% (1 of 1)</span></td>'
            '<p>Done: <span class="nowrap">50% (6 of 12)</span> of them.</p>',
        ),
        # Words joined by hyphens with no number among them may break, as any text does.
        ("<p>well-being, re-audit</p>", "<p>well-being, re-audit</p>"),
        # Never inside the page's title, a style sheet or a chart, where a tag would show or break.
        ("<title>As of 2026-11-22</title>", "<title>As of 2026-11-22</title>"),
        (
            '<svg viewBox="0 0 9 9"><text>2026-07-08</text></svg>',
            '<svg viewBox="0 0 9 9"><text>2026-07-08</text></svg>',
        ),
        ("<style>a-1 {}</style><p>a-1</p>", '<style>a-1 {}</style><p><span class="nowrap">a-1</span></p>'),
    ],
)
def test_dates_ids_and_shares_are_kept_on_one_line(html, expected):
    from qaimpact.reports.render import keep_together

    assert keep_together(html) == expected


def test_a_long_chart_label_is_wrapped_not_clipped_and_keeps_its_full_text():
    """Issue 17: "Missing evidence/incorrect information…" was cut to "issing evidence/incorrect
    inform…" by the edge of the chart."""
    from qaimpact.reports import charts

    label = "Missing evidence/incorrect information in the child's record and chronology"
    svg = str(charts.bar_chart("t", "Themes", [charts.Bar(label, 3, "3 (30%)")]))
    spans = re.findall(r"<tspan [^>]*>([^<]*)</tspan>", svg)
    assert " ".join(spans) == label.replace("'", "&#39;")
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    # Every line fits in the label column, which starts at 0.
    assert all(charts.text_width(line, 13) + 8 <= width for line in spans)


def test_a_label_too_long_for_three_lines_is_shortened_with_its_full_text_as_title():
    from qaimpact.reports import charts

    label = " ".join(["practice"] * 30)
    svg = str(charts.bar_chart("t", "Themes", [charts.Bar(label, 1, "1")]))
    assert f"<title>{label}</title>" in svg
    spans = re.findall(r"<tspan [^>]*>([^<]*)</tspan>", svg)
    assert len(spans) == 3
    assert spans[-1].endswith("…")


def test_the_timeline_leaves_room_for_the_last_date_and_staggers_crowded_dates():
    """Issue 17: the last date of a learning log was cut to "2026-07-0"."""
    from qaimpact.reports import charts

    points = [(f"2026-{m:02d}-08", 1, "Good") for m in range(1, 13)]
    svg = str(charts.grade_timeline("t", "Grades", ["Outstanding", "Good"], points))
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    dates = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle"[^>]*>([^<]*)</text>', svg)
    last_x = float(dates[-1][0])
    assert last_x + charts.text_width("2026-12-08", 11) / 2 <= width
    assert len({y for _, y, _ in dates}) > 1  # twelve dates do not fit side by side on one line


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_output_that_is_an_input_under_another_name_is_refused_even_with_force(cli, tmp_path, link):
    copy = tmp_path / "a.yaml"
    shutil.copy(CAFCASS, copy)
    target = tmp_path / "feedback.md"
    if link == "symlink":
        target.symlink_to(copy)
    else:
        os.link(copy, target)
    out = _report(cli, "report", copy, "-o", target, "--force", expect=2)
    assert out.stderr.strip() == (
        f"error: --output '{target}' is one of the files being read; choose another file."
    )
    assert copy.read_bytes() == CAFCASS.read_bytes()


@pytest.mark.parametrize(
    ("args", "template"),
    [
        (["report", CAFCASS], "audit.md.j2"),
        (["report", "--fca", "Tunde Adeyemi", "--audits", EXAMPLES / "service"], "learning_log.md.j2"),
        (["summary", "--audits", EXAMPLES / "service"], "summary.md.j2"),
        (["summary", "--audits", EXAMPLES / "service", "--format", "html"], "base.html.j2"),
        (["quarterly", "--quarter", "2026-Q3", "--audits", EXAMPLES / "service"], "quarterly.md.j2"),
        (["escalations", "--audits", EXAMPLES / "service"], "escalations.md.j2"),
        (["actions", "--audits", EXAMPLES / "service"], "actions.md.j2"),
        (["moderation", "--audits", EXAMPLES / "service", "--format", "html"], "moderation.html.j2"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_output_that_is_one_of_the_templates_is_refused_even_with_force(cli, tmp_path, args, template):
    """-o naming a template of --templates replaced the template the report had just read."""
    folder = tmp_path / "templates"
    folder.mkdir()
    bundled = Path(render.__file__).parent / "templates" / template
    shutil.copy(bundled, folder / template)
    target = folder / template
    out = _report(cli, *args, "--templates", folder, "-o", target, "--force", expect=2)
    assert out.stderr.strip() == (
        f"error: --output '{target}' is one of the files being read; choose another file."
    )
    assert target.read_bytes() == bundled.read_bytes()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("other.yaml", "would write a report over a YAML file; choose another name."),
        (
            "notes.txt.bak",
            "already exists and is not an earlier qaimpact report, so it was not replaced; choose another "
            "name, or add --force to replace it.",
        ),
        (
            "new.yaml",
            "would write a report as a YAML file, which validate and every report would then read as "
            "an audit; choose another name.",
        ),
    ],
    ids=["yaml", "not-a-report", "dangling-to-yaml"],
)
def test_an_output_link_is_judged_by_the_file_it_leads_to(cli, tmp_path, target, message):
    """write_file writes through a link, so a report named report.md that is a link to a YAML file
    (or to any file that is not a report) would replace that file."""
    audit = tmp_path / "a.yaml"
    shutil.copy(CAFCASS, audit)
    real = tmp_path / target
    if target != "new.yaml":
        real.write_text("keep: me\n", encoding="utf-8")
    link = tmp_path / "report.md"
    link.symlink_to(real.name)
    out = _report(cli, "report", audit, "-o", link, expect=2)
    assert out.stderr.strip() == f"error: --output '{link}' (a link to '{os.path.realpath(real)}') {message}"
    assert not real.exists() if target == "new.yaml" else real.read_text(encoding="utf-8") == "keep: me\n"


@pytest.mark.parametrize("name", ["new-notes.yml", "report.YAML"])
def test_an_output_named_as_yaml_that_does_not_exist_is_refused_in_words_that_fit(cli, tmp_path, name):
    """A regression: `-o new-notes.yml` naming no file was refused as writing "over a YAML file"."""
    target = tmp_path / name
    out = _report(cli, "summary", "--audits", EXAMPLES / "service", "-o", target, expect=2)
    assert out.stderr.strip() == (
        f"error: --output '{target}' would write a report as a YAML file, which validate and every "
        "report would then read as an audit; choose another name."
    )
    assert not target.exists()

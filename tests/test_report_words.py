"""No words meant for developers on a page a practitioner, a QA team or a board reads (issue 17).

Every report of examples/service (tests/service_reports.py), as Markdown and as HTML, is read as
its reader sees it (Markdown's escapes and HTML's tags taken away) and searched for the phrases
issue 17 found, command names and options, and the ids the standards data gives a label for.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from qaimpact.frameworks.registry import Registry

#: What a reader must never see, and why.
FORBIDDEN = {
    r"Project default": "a note from the standards file's authors",
    r"\bofsted\b": "the id of the shared grade scale (its levels are shown instead)",
    r"shared [`']?\w+[`']? scale": "the shared scale named by its id",
    r"\bn = \d+": "the number of pairs repeated inside a figure (said once, in its own column)",
    r"\bqaimpact [a-z]": "a command name",
    r"(?<![\w-])--[a-z]": "a command-line option",
    r"\btheme:\s+under\b": "a YAML key where the reader is not told what to type",
    r"\bkind: \w+": "a record's kind by its id",
    r"\(\s*reaudit_of\s*\)|\b(?:in|without)\s+reaudit_of\b": "the re-audit key named as a word",
    r"\bdocs/[\w-]+\.md\b": "a path in the source repository, which an installed qaimpact has not",
    r"(?<![\d.,])1 (?:days|weeks|months|years|audits|records|cases|pairs|actions)\b": "one of a plural",
    r"\w\(s\)": "a plural left to the reader to work out",
    r"\bsuppressed\b": "a hidden share named by the word its JSON uses (the page says it is not shown)",
}


def seen(page: Path) -> str:
    """The text of a report as its reader sees it."""
    text = page.read_text(encoding="utf-8")
    if page.suffix == ".html":
        text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    else:
        text = re.sub(r"\\(.)", r"\1", text).replace("`", "")  # Markdown's escapes and code marks
    return text


def ids_with_labels(registry: Registry) -> set[str]:
    """Ids the standards data gives a label for: audit types, and the frameworks themselves."""
    ids = {fw.id for fw in registry.frameworks()}
    for fw in registry.frameworks():
        ids |= {t.id for t in fw.spec.audit_types or ()}
    return {i for i in ids if not i.isalpha()}  # "themed" is also an English word


def problems(page: Path, registry: Registry) -> list[str]:
    text = seen(page)
    found = [
        f"{why}: {m.group(0)!r}" for pattern, why in FORBIDDEN.items() for m in re.finditer(pattern, text)
    ]
    # The weights of kappa are said once on a page, not on every row.
    if text.count("linear weights") > 1:
        found.append(f"'linear weights' said {text.count('linear weights')} times")
    # The plan of cases to audit shows the framework column of the service's own cases.csv.
    ids = ids_with_labels(registry) - (
        {fw.id for fw in registry.frameworks()} if page.stem == "sample" else set()
    )
    found += [
        f"the id {i!r} instead of its label"
        for i in sorted(ids)
        if re.search(rf"(?<![\w-]){i}(?![\w-])", text)
    ]
    return found


def test_no_report_shows_words_meant_for_developers(service_md, service_html, registry):
    found = {page.name: problems(page, registry) for page in [*service_md, *service_html]}
    assert {name: words for name, words in found.items() if words} == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pooled on the shared `ofsted` scale", 2),
        ("0.35 (95% CI 0.07 to 0.64; n = 11, linear weights)", 1),
        ("`qaimpact actions --overdue` lists them.", 2),
        ("| case\\_file | 48 |", 1),
        ("Project default: any standard rated inadequate", 1),
        ("Made by qaimpact 0.1.0 on 2026-11-22; a well-being check; Ofsted", 0),
        ("The theme each escalation was given (`theme:` under `escalation:`)", 1),
        ("record it as a `kind: follow_through` record.", 1),
        ("improvement is measured when a case is re-audited (`reaudit_of`).", 1),
        ("Codes are listed in docs/diagnostics.md.", 1),
        ("recorded in 100% (1 of 1), a median of 1 days after; 11 days; 1.5 days", 1),
        ("To record a re-audit, write `reaudit_of:` followed by that id; 1 day", 0),
        ("; 2 invalid file(s) left out", 1),
        ("Date responded: recorded in suppressed.", 1),
    ],
)
def test_the_scan_finds_each_kind_of_developer_word(tmp_path, registry, text, expected):
    page = tmp_path / "report.md"
    page.write_text(text, encoding="utf-8")
    assert len(problems(page, registry)) == expected, problems(page, registry)


def test_no_template_leaves_a_plural_to_the_reader():
    """The pages of examples/service have no invalid file or broken re-audit link, so the scan above
    never sees those sentences: the templates themselves are read for "file(s)"."""
    templates = Path(__file__).resolve().parent.parent / "src" / "qaimpact" / "reports" / "templates"
    found = {
        f"{t.name}:{n}": line.strip()
        for t in sorted(templates.glob("*.j2"))
        for n, line in enumerate(t.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\w\(s\)", re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", line))  # words, not code
    }
    assert found == {}


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"\b\d+\.0 days\b", "a whole number of days written as a decimal"),
        (r"\.;", "a sentence's stop and a semicolon"),
    ],
)
def test_no_page_writes_numbers_or_stops_awkwardly(service_md, service_html, pattern, why):
    """Found by a new-user check: "a median of 55.0 days"; "bring an example to supervision.; Evidence"."""
    found = {p.name: re.findall(pattern, seen(p)) for p in [*service_md, *service_html]}
    assert {name: hits for name, hits in found.items() if hits} == {}, why

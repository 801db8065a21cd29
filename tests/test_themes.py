"""Themes of remedial actions and escalations (issue 13, section 4): a vocabulary in the standards
data (`themes:`), checked on every audit (QA318), as the council framework asks that "themes of
remedial actions and escalations are analysed"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, TODAY
from qaimpact.audits.checker import CheckOptions, check_text
from qaimpact.frameworks.check import check_file
from qaimpact.frameworks.registry import Registry, bundled_dir

COUNCIL = EXAMPLES / "ccc-cfa-2026-0311.yaml"
CAFCASS = EXAMPLES / "cafcass-qa-2026-0142.yaml"
ESCALATED = EXAMPLES / "service" / "ccc" / "CFA-2025-0316.yaml"
ACTION = "    status: open               # open | done\n"
THEMES = (
    "risk_and_safety (Risk and safety planning), assessment (Assessment and analysis), planning (Planning "
    "and drift), visits_and_direct_work (Visits and direct work), child_voice (The child's voice and lived "
    "experience), family_and_identity (Family, identity and relationships), multi_agency (Multi-agency "
    "working), management_oversight (Management oversight and supervision), recording (Case recording and "
    "chronology), workload_and_capacity (Workload, staffing and capacity)"
)


def _with_theme(theme: str) -> str:
    text = COUNCIL.read_text(encoding="utf-8")
    return text.replace(ACTION, f"{ACTION}    theme: {theme}\n", 1)


def _findings(text: str, registry: Registry) -> list[tuple[str, str, str]]:
    check = check_text(text, "a.yaml", registry, CheckOptions(today=TODAY))
    return [(f"{d.location.line}:{d.location.column} {d.code}", d.message, d.hint) for d in check.diagnostics]


@pytest.mark.parametrize(
    ("theme", "expected"),
    [
        ("planning", []),
        ("management_oversight", []),
        (
            "plannning",
            [
                (
                    "52:12 QA318",
                    "'plannning' is not one of this framework's themes, for remedial action 1.",
                    f"Did you mean 'planning'? Use one of: {THEMES}.",
                )
            ],
        ),
        (
            "Planning and drift",
            [
                (
                    "52:12 QA318",
                    "'Planning and drift' is not one of this framework's themes, for remedial action 1.",
                    "Did you mean 'planning'? Reports show it as 'Planning and drift', but the file uses its "
                    f"id: planning. Use one of: {THEMES}.",
                )
            ],
        ),
        (
            "housing",
            [
                (
                    "52:12 QA318",
                    "'housing' is not one of this framework's themes, for remedial action 1.",
                    f"Use one of: {THEMES}.",
                )
            ],
        ),
    ],
    ids=["known", "another", "misspelt", "label", "unknown"],
)
def test_a_remedial_actions_theme(registry: Registry, theme: str, expected: list[Any]) -> None:
    assert _findings(_with_theme(theme), registry) == expected


def test_an_escalations_theme(registry: Registry) -> None:
    # The example's escalation has its theme (two spaces in: a key of `escalation:`); give another.
    plain = re.sub(r"\n  theme: [a-z_]+\n", "\n", ESCALATED.read_text(encoding="utf-8"))
    text = plain.replace("escalation:\n", "escalation:\n  theme: risk\n", 1)
    [found] = [f for f in _findings(text, registry) if f[0].endswith("QA318")]
    assert found[1] == "'risk' is not one of this framework's themes, for the escalation."
    assert found[2].startswith("Use one of: risk_and_safety (Risk and safety planning), ")
    good = plain.replace("escalation:\n", "escalation:\n  theme: risk_and_safety\n", 1)
    assert not [f for f in _findings(good, registry) if f[0].endswith("QA318")]


def test_a_framework_without_themes_takes_none(registry: Registry) -> None:
    text = CAFCASS.read_text(encoding="utf-8")
    assert "remedial_actions" not in text  # Cafcass audits have no remedial actions
    marker = "\nimmediate_safeguarding_actions:"
    assert marker in text
    assert not _findings(text, registry)


def test_a_theme_on_a_framework_without_themes(tmp_path: Path) -> None:
    # The council's framework without its themes: a theme cannot be checked, so it is refused.
    source = (bundled_dir() / "ccc-practice-standards.yaml").read_text(encoding="utf-8")
    start = source.index("\nthemes:\n")
    end = source.index("\nfeedback:", start)
    folder = tmp_path / "standards"
    folder.mkdir()
    (folder / "ccc.yaml").write_text(source[:start] + source[end:], encoding="utf-8")
    registry = Registry([folder])
    assert _findings(_with_theme("planning"), registry) == [
        (
            "52:12 QA318",
            "The theme 'planning' of remedial action 1 cannot be checked: this framework lists no themes.",
            "Leave 'theme' out, or list the themes under 'themes:' in a copy of the standards file (passed "
            "with --standards DIR).",
        )
    ]


def test_a_theme_listed_twice_is_refused_by_standards_check(tmp_path: Path) -> None:
    source = (bundled_dir() / "ccc-practice-standards.yaml").read_text(encoding="utf-8")
    path = tmp_path / "ccc.yaml"
    path.write_text(source.replace("  - id: recording\n", "  - id: planning\n", 1), encoding="utf-8")
    _, diagnostics = check_file(path)
    found = [(d.code, d.message) for d in diagnostics if d.code == "QA501"]
    assert found == [("QA501", "The theme id 'planning' is used twice (first at line 258).")]


def test_the_cli_locates_an_unknown_theme(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(_with_theme("plannning"), encoding="utf-8")
    run = cli("validate", path, "--today", TODAY.isoformat(), expect=1)
    assert run.stdout.startswith(
        f"{path}:52:12: error QA318 'plannning' is not one of this framework's themes, for remedial "
        "action 1.\n"
        "    hint: Did you mean 'planning'? Use one of: "
    )


def test_standards_show_and_the_readings_list_the_themes() -> None:
    from conftest import ROOT

    readings = (ROOT / "docs" / "readings.md").read_text(encoding="utf-8")
    assert "### Themes of remedial actions and escalations\n" in readings


SERVICE = EXAMPLES / "service"


def test_actions_by_theme_on_the_examples(cli: Any) -> None:
    import json

    view = json.loads(cli("actions", "--audits", SERVICE, "--today", "2026-11-22", "-f", "json").stdout)
    table = {
        t["theme"]: (t["count"], t["audits"], t["recurring"], t["unresolved"], t["overdue"])
        for t in view["themes"]
    }
    assert table["Management oversight and supervision"] == (14, 14, True, 4, 4)
    assert table["Risk and safety planning"] == (4, 2, True, 2, 2)
    # The themes come in the framework's order; every action of the examples has one.
    assert list(table)[:3] == ["Risk and safety planning", "Assessment and analysis", "Planning and drift"]
    assert "(no theme)" not in table
    assert sum(t[0] for t in table.values()) == view["totals"]["actions"]["n"]
    md = cli("actions", "--audits", SERVICE, "--today", "2026-11-22").stdout
    assert "| Risk and safety planning | 4 | 2 | **Yes** | 2 | 2 |\n" in md


@pytest.mark.parametrize(
    ("period", "rows", "total"),
    [
        (
            (),
            [
                # The Cafcass framework lists no themes: its escalations are one row, not left out.
                ("cafcass-qiam-2017", "(the framework lists no themes)", 5, 5, 3, 2),
                ("ccc-practice-standards", "Risk and safety planning", 1, 1, 0, 0),
                # The council's escalation not yet raised has no record, so no theme.
                ("ccc-practice-standards", "(no theme)", 1, 1, 1, 1),
            ],
            "| **All frameworks** | | **7** | | | 4 | 3 |\n",
        ),
        (
            ("--quarter", "2026-Q3"),
            [
                ("cafcass-qiam-2017", "(the framework lists no themes)", 1, 1, 1, 1),
                ("ccc-practice-standards", "(no theme)", 1, 1, 1, 1),
            ],
            "| **All frameworks** | | **2** | | | 2 | 2 |\n",
        ),
    ],
)
def test_escalations_by_theme_cover_every_framework(
    cli: Any, period: tuple[str, ...], rows: list[tuple[Any, ...]], total: str
) -> None:
    """Issue 17, section 2: the table covered the council's escalations only (2 of 7)."""
    import json

    args = ("escalations", "--audits", SERVICE, "--today", "2026-11-22", *period)
    view = json.loads(cli(*args, "-f", "json", expect=1).stdout)
    assert [
        (t["framework"], t["theme"], t["count"], t["audits"], t["unresolved"], t["overdue"])
        for t in view["themes"]
    ] == rows
    totals = view["totals"]
    assert sum(t["count"] for t in view["themes"]) == totals["needed"]["n"]
    assert sum(t["unresolved"] for t in view["themes"]) == totals["open_count"]["n"]
    assert sum(t["overdue"] for t in view["themes"]) == totals["overdue"]["n"]
    md = cli(*args, expect=1).stdout
    assert (
        "| Framework | Theme | Escalations | Audits | Recurring | Open | Overdue |\n"
        "| --- | --- | ---: | ---: | --- | ---: | ---: |\n"
        f"| Quality and Impact Assurance Model | (the framework lists no themes) | {rows[0][2]} | "
    ) in md
    assert total in md
    html = cli(*args, "-f", "html", expect=1).stdout
    assert "<caption>Themes: the theme each escalation was given" in html
    assert (
        '<tfoot><tr><th scope="row" colspan="2">All frameworks</th><td class="num">' + total.split("**")[3]
        in html
    )


def test_themes_by_framework_adds_up_to_the_items(registry: Registry) -> None:
    from qaimpact.cycle.common import NO_THEMES_LISTED, themes_by_framework

    ccc, cafcass = registry.get("ccc-practice-standards"), registry.get("cafcass-qiam-2017")
    assert ccc is not None
    assert cafcass is not None

    def item(fw: str, audit: str, label: str | None, state: str) -> dict[str, Any]:
        return {"framework": fw, "audit_id": audit, "theme_label": label, "state": state}

    items = [
        item(ccc.id, "A", "Planning and drift", "open"),
        item(ccc.id, "B", "Planning and drift", "closed"),
        item(cafcass.id, "C", None, "open"),
        item(cafcass.id, "C", None, "closed"),
    ]
    rows = themes_by_framework(
        items, [ccc, cafcass], unresolved=lambda i: i["state"] != "closed", overdue=lambda i: False
    )
    assert [
        (r["framework_title"], r["theme"], r["count"], r["audits"], r["recurring"], r["unresolved"])
        for r in rows
    ] == [
        (ccc.spec.title, "Planning and drift", 2, 2, True, 1),
        (cafcass.spec.title, NO_THEMES_LISTED, 2, 1, False, 1),
    ]
    # A framework without an item has no row.
    assert (
        themes_by_framework(items[:2], [ccc, cafcass], unresolved=bool, overdue=bool)[-1]["framework"]
        == ccc.id
    )


def test_no_themes_table_where_no_framework_lists_themes(cli: Any) -> None:
    import json

    view = json.loads(
        cli("actions", "--audits", SERVICE / "cafcass", "--today", "2026-11-22", "-f", "json").stdout
    )
    assert view["themes"] == []
    assert "## Themes" not in cli("actions", "--audits", SERVICE / "cafcass", "--today", "2026-11-22").stdout

"""Case characteristics (issue 13, sections 1 and 4): declared per framework, optional on an audit,
and the summary's breakdown of grades by each one, protected like every other table.

tests/data/characteristics/ holds three council audits (copies of audits in tests/data/valid) that
record characteristics: a child in care, a child protection case graded inadequate and a child in
need, two of them aged 10 to 15.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions, check_text
from qaimpact.audits.dataset import load_dataset
from qaimpact.authoring.scaffold import scaffold_audit
from qaimpact.frameworks.check import check_file
from qaimpact.frameworks.registry import Registry
from qaimpact.models.standard import Framework
from qaimpact.reports.summary import summary

FOLDER = DATA / "characteristics"
IN_CARE = FOLDER / "ccc-child-in-care.yaml"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  sex: female\n", "  sex: female\n", []),
        (
            "legal_status: child_in_care",
            "legal_status: looked_after",
            [
                (
                    "QA205",
                    "'looked_after' is not an allowed value for 'characteristics.legal_status' "
                    "(Legal status).",
                )
            ],
        ),
        (
            "  sex: female\n",
            "  gender: female\n",
            [("QA203", "Unknown key 'gender' in 'characteristics'.")],
        ),
        ('  disability: "no"\n', "  disability: no\n", []),
        ("characteristics:\n  legal_status: child_in_care\n", "characteristics:\n  legal_status: null\n", []),
    ],
    ids=["as-written", "unknown-legal-status", "unknown-characteristic", "no-unquoted", "left-blank"],
)
def test_characteristics_are_checked(
    registry: Registry, old: str, new: str, expected: list[tuple[str, str]]
) -> None:
    text = IN_CARE.read_text(encoding="utf-8")
    assert old in text
    check = check_text(text.replace(old, new), "a.yaml", registry, CheckOptions(today=TODAY))
    assert [(d.code, d.message) for d in check.diagnostics] == expected


def test_characteristics_are_optional(registry: Registry) -> None:
    text = IN_CARE.read_text(encoding="utf-8")
    start = text.index("characteristics:")
    end = text.index("practitioner:")
    check = check_text(text[:start] + text[end:], "a.yaml", registry, CheckOptions(today=TODAY))
    assert check.diagnostics == []


def test_the_scaffold_offers_every_characteristic(ccc: Framework) -> None:
    text = scaffold_audit(ccc)
    block = text[text.index("characteristics:") : text.index("practitioner:")]
    assert block.splitlines()[1:] == [
        "  legal_status: null  # child_in_need | child_protection | child_in_care | care_leaver",
        "  age_band: null  # under_1 | age_1_to_4 | age_5_to_9 | age_10_to_15 | age_16_plus",
        "  sex: null  # female | male | not_recorded",
        "  ethnicity: null  # asian | black | mixed | white | other | not_recorded",
        "  disability: null  # yes | no | not_known",
    ]


def _table(section: dict[str, Any], field: str) -> list[tuple[str, int | None, list[int | None]]]:
    table = next(t for t in section["characteristics"] if t["field"] == field)
    return [(r["key"], r["n"]["n"], [d["count"]["n"] for d in r["distribution"]]) for r in table["rows"]]


def test_the_summary_breaks_grades_down_by_each_characteristic(registry: Registry) -> None:
    view = summary(load_dataset([FOLDER], registry, CheckOptions(today=TODAY)))
    [section] = view["frameworks"]
    assert [t["field"] for t in section["characteristics"]] == [
        "characteristics.legal_status",
        "characteristics.age_band",
        "characteristics.sex",
        "characteristics.ethnicity",
        "characteristics.disability",
        "case.child_in_care",
    ]
    assert _table(section, "characteristics.legal_status") == [
        ("child_in_need", 1, [0, 0, 1, 0]),
        ("child_protection", 1, [0, 0, 0, 1]),
        ("child_in_care", 1, [0, 1, 0, 0]),
    ]
    assert _table(section, "characteristics.ethnicity") == [
        ("mixed", 1, [0, 0, 1, 0]),
        ("white", 1, [0, 1, 0, 0]),
        ("(not recorded)", 1, [0, 0, 0, 1]),
    ]


def test_the_published_breakdown_hides_small_counts(registry: Registry) -> None:
    view = summary(load_dataset([FOLDER], registry, CheckOptions(today=TODAY)), publish=True)
    [section] = view["frameworks"]
    # Three audits: the audits' total is "<5", so nothing that breaks it down is shown (zeros
    # included: "0 of 3" would tell the total). The only framework's figure is the same count
    # again, not a breakdown of it: "<5" too.
    assert view["audits_total"]["text"] == "<5"
    assert section["total"]["text"] == "<5"
    for table in section["characteristics"]:
        for row in table["rows"]:
            assert row["n"]["text"] == "–"
            assert {d["count"]["text"] for d in row["distribution"]} == {"–"}


def test_the_cli_summary_shows_the_breakdown(cli: Callable[..., Any]) -> None:
    out = cli("summary", "--audits", FOLDER, "--today", TODAY.isoformat()).stdout
    assert "### By legal status\n" in out
    assert "| Child protection | 1 | 0 | 0 | 0 | 1 | 0% (0 of 1) |" in out
    assert "### By child in care\n" in out
    assert "| No | 2 | 0 | 0 | 1 | 1 | 0% (0 of 2) |" in out


def test_not_recorded_and_left_out_are_one_row(cli: Callable[..., Any], tmp_path: Path) -> None:
    """A sex chosen as not_recorded and a sex left out are both not recorded: one row, one label
    (they were two rows, "not recorded" and "(not recorded)", of one table)."""
    for path in FOLDER.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("  sex: male\n", "").replace(
            "  ethnicity: white\n", "  ethnicity: not_recorded\n"
        )
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    args = ("summary", "--audits", tmp_path, "--today", TODAY.isoformat())
    [section] = json.loads(cli(*args, "--format", "json").stdout)["frameworks"]
    assert _table(section, "characteristics.sex") == [
        ("female", 2, [0, 1, 1, 0]),
        ("(not recorded)", 1, [0, 0, 0, 1]),
    ]
    assert _table(section, "characteristics.ethnicity") == [
        ("mixed", 1, [0, 0, 1, 0]),
        ("(not recorded)", 2, [0, 1, 0, 1]),
    ]
    out = cli(*args).stdout
    assert "| (not recorded) | 2 | 0 | 1 | 0 | 1 | 50% (1 of 2) |" in out
    assert "| not recorded |" not in out
    assert "| Not recorded |" not in out


def test_a_characteristic_pydantic_keeps_is_refused(tmp_path: Path) -> None:
    base = (DATA / "rules" / "standards" / "dated.yaml").read_text(encoding="utf-8")
    path = tmp_path / "chars.yaml"
    path.write_text(base + "characteristics:\n  model_fields: {type: text}\n", encoding="utf-8")
    _, found = check_file(path)
    assert [(d.code, d.message) for d in found] == [
        (
            "QA506",
            "The characteristic 'model_fields' cannot be used: qaimpact keeps every name starting with "
            "'model_' for its own use in reading audits.",
        )
    ]

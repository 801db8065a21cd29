"""Choices written as bare ids or with labels: the same audits valid, the labels where people read.

tests/data/choices/ holds one framework twice: ``bare/`` with every choice a bare id, ``labelled/``
with some choices given ``{id, label}``; ``files/`` holds an audit and four records valid under
both. The malformed choice entries are standards data files of tests/test_diagnostics.py
(tests/data/standards/invalid/QA*-choice-*.yaml).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.audits.checker import CheckOptions, check_audit, choice_labels
from qaimpact.frameworks.check import check_file
from qaimpact.frameworks.registry import Registry
from qaimpact.models.findings import Diagnostic
from qaimpact.models.standard import FieldSpec
from qaimpact.web.form import form_for

CHOICES = DATA / "choices"
FILES = CHOICES / "files"
FORMS = ["bare", "labelled"]


def _registry(form: str) -> Registry:
    return Registry([CHOICES / form])


def _found(diagnostics: list[Diagnostic]) -> list[tuple[int, int, str, str, str | None]]:
    return [(d.location.line, d.location.column, d.code, d.message, d.hint) for d in diagnostics]


@pytest.mark.parametrize("form", FORMS)
def test_both_forms_load_with_the_same_ids(form: str) -> None:
    framework, diagnostics = check_file(CHOICES / form / "mini-choices.yaml")
    assert diagnostics == []
    assert framework is not None
    assert framework.spec.case_fields["law"].choice_ids == ["public", "private"]
    seen_with = framework.spec.records["visit"].fields["seen_with"]
    assert seen_with.choice_ids == ["child", "parent_or_carer", "iro", "cp_chair"]


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (
            "bare",
            {"child": "Child", "parent_or_carer": "Parent or carer", "iro": "Iro", "cp_chair": "Cp chair"},
        ),
        (
            "labelled",
            {
                "child": "Child",
                "parent_or_carer": "Parent or carer",
                "iro": "Independent reviewing officer (IRO)",
                "cp_chair": "Child protection conference chair",
            },
        ),
    ],
)
def test_every_choice_has_a_label(form: str, expected: dict[str, str]) -> None:
    framework = _registry(form).get("mini-choices")
    assert framework is not None
    assert framework.spec.records["visit"].fields["seen_with"].choice_labels == expected


@pytest.mark.parametrize(
    "choices",
    [
        ["plr", "supervision"],
        [{"id": "plr", "label": "Performance and learning review (PLR)"}, "supervision"],
    ],
)
def test_a_field_keeps_its_choices_as_written(choices: list[Any]) -> None:
    spec = FieldSpec.model_validate({"type": "choice", "choices": choices})
    assert spec.choice_ids == ["plr", "supervision"]
    assert spec.model_dump(mode="json", exclude_defaults=True)["choices"] == choices


@pytest.mark.parametrize("path", sorted(FILES.glob("*.yaml")), ids=lambda p: p.name)
def test_audits_and_records_validate_the_same(path: Path) -> None:
    for form in FORMS:
        report = check_audit(path, _registry(form), CheckOptions(today=TODAY), path.name)
        assert report.diagnostics == [], form


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "visit-2.yaml",
            "seen_with: iro",
            "seen_with: Independent reviewing officer (IRO)",
            {
                "bare": None,
                "labelled": "Did you mean 'iro'? Reports show it as 'Independent reviewing officer (IRO)', "
                "but the file uses its id: iro. ",
            },
        ),
        (
            "visit-2.yaml",
            "seen_with: iro",
            "seen_with: Parent or carer",
            dict.fromkeys(
                FORMS,
                "Did you mean 'parent_or_carer'? Reports show it as 'Parent or carer', but the file "
                "uses its id: parent_or_carer. ",
            ),
        ),
        (
            "audit.yaml",
            "law: public",
            "law: Public law",
            {
                "bare": "Did you mean 'public'? ",  # as close as any misspelling
                "labelled": "Did you mean 'public'? Reports show it as 'Public law', but the file uses its "
                "id: public. ",
            },
        ),
    ],
)
def test_a_label_written_as_the_value_is_refused_with_a_hint(
    tmp_path: Path, name: str, old: str, new: str, expected: dict[str, str | None]
) -> None:
    path = tmp_path / name
    path.write_text((FILES / name).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    allowed = {"visit-2.yaml": "child, parent_or_carer, iro, cp_chair", "audit.yaml": "public, private"}[name]
    for form in FORMS:
        report = check_audit(path, _registry(form), CheckOptions(today=TODAY), name)
        [finding] = report.diagnostics
        assert finding.code == "QA205"
        assert finding.hint == (expected[form] or "") + f"Use one of: {allowed}."


def test_choice_labels_include_the_fields_choices() -> None:
    framework = _registry("labelled").get("mini-choices")
    assert framework is not None
    labels = choice_labels(framework)
    assert (labels["iro"], labels["public"], labels["strong"]) == (
        "Independent reviewing officer (IRO)",
        "Public law",
        "Strong",
    )


@pytest.mark.parametrize(
    ("form", "fmt", "rows"),
    [
        (
            "bare",
            "md",
            ["| Child | 1 |", "| Parent or carer | 0 |", "| Iro | 2 |", "| Cp chair | 1 |"],
        ),
        (
            "labelled",
            "md",
            [
                "| Child | 1 |",
                "| Parent or carer | 0 |",
                "| Independent reviewing officer (IRO) | 2 |",
                "| Child protection conference chair | 1 |",
            ],
        ),
        (
            "labelled",
            "html",
            [
                '<tr><th scope="row">Parent or carer</th><td class="num">0</td></tr>',
                '<tr><th scope="row">Independent reviewing officer (IRO)</th><td class="num">2</td></tr>',
                '<tr><th scope="row">Child protection conference chair</th><td class="num">1</td></tr>',
            ],
        ),
    ],
)
def test_the_summary_shows_the_labels(cli: Callable[..., Any], form: str, fmt: str, rows: list[str]) -> None:
    run = cli(
        "summary", "--standards", CHOICES / form, "--audits", FILES, "--today", TODAY.isoformat(), "-f", fmt
    )
    for row in rows:
        assert row in run.stdout


def test_the_summary_json_keeps_the_ids_beside_the_labels(cli: Callable[..., Any]) -> None:
    import json

    run = cli(
        "summary",
        "--standards",
        CHOICES / "labelled",
        "--audits",
        FILES,
        "--today",
        TODAY.isoformat(),
        "-f",
        "json",
    )
    [section] = json.loads(run.stdout)["records"]
    assert [(r["key"], r["label"], r["count"]["n"]) for r in section["choices"][0]["rows"]] == [
        ("child", "Child", 1),
        ("parent_or_carer", "Parent or carer", 0),
        ("iro", "Independent reviewing officer (IRO)", 2),
        ("cp_chair", "Child protection conference chair", 1),
    ]


@pytest.mark.parametrize(
    ("fmt", "row"),
    [
        ("md", "| Independent reviewing officer (IRO) | 1 |"),
        ("md", "| Child protection conference chair | 1 |"),
        ("md", "| Performance and learning review (PLR) | 5 |"),
        ("md", "| Mind of My Own (MOMO) app | 1 |"),
        ("html", '<tr><th scope="row">Performance and learning review (PLR)</th><td class="num">5</td></tr>'),
    ],
)
def test_the_bundled_frameworks_label_their_abbreviations(
    cli: Callable[..., Any], fmt: str, row: str
) -> None:
    run = cli("summary", "--audits", EXAMPLES / "service", "--today", "2026-11-22", "-f", fmt)
    assert row in run.stdout


def test_the_web_form_shows_labels_and_submits_ids() -> None:
    framework = _registry("labelled").get("mini-choices")
    assert framework is not None
    law = form_for(framework).inputs["case.law"]
    assert law.kind == "select"
    assert [(c.value, c.label) for c in law.choices] == [("public", "Public law"), ("private", "Private law")]

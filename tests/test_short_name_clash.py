"""A standard's short name: never shared by two standards, and read as its key like its title.

A standards file could give two standards one ``short`` name (or a short name another standard's
title, which messages name that one by): every finding and every reason for a grade then named
both alike, and the auditor could not tell which standard was meant. ``standards check`` (and
every command loading the file) now refuses it, QA507 at the second name, saying which standards
share it and how to fix it.

And since messages name a standard by its short name, an audit that wrote a standard's key as its
full title (``Child seen and wishes and feelings used to inform recommendations:``, copied from
the guidance) was no longer told which key it meant: "Unknown key" and "missing 'child_seen'",
two findings for one mistake. A key written as either name, the title or the short name, is now
read as the standard's (``base/diagnose.key_named``), one finding saying which id to write.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import DATA, TODAY, Run
from qaimpact.frameworks.check import check_file
from qaimpact.frameworks.registry import Registry, bundled_dir

INVALID = DATA / "standards" / "invalid"
NAMES = DATA / "short-name-keys"
HINT = (
    "Give one of them another short name ('short:'): findings and the reasons for a grade name a "
    "standard by its short name (else by its title), so two named alike cannot be told apart."
)

SHARED = [
    (
        "QA507-standard-short-name-twice.yaml",
        "41:71",
        "The standards 'plan' (line 40) and 'records' both have the short name 'Planning'.",
    ),
    (
        "QA507-standard-short-names-alike.yaml",
        "45:16",
        "The standards 'plan' (line 42) and 'records' have short names alike: 'Case planning' and "
        "'case  Planning'.",
    ),
    (
        "QA507-standard-short-name-is-another-title.yaml",
        "41:81",
        "The short name 'The plan is clear' of the standard 'records' is the title of 'plan' (line 40), "
        "which messages name it by.",
    ),
    (
        "QA507-standard-title-is-another-short-name.yaml",
        "41:30",
        "The title 'Records' of the standard 'records' is the short name of 'plan' (line 40), and "
        "messages name both by it.",
    ),
]


@pytest.mark.parametrize(("name", "where", "message"), SHARED, ids=[s[0] for s in SHARED])
def test_standards_check_refuses_a_shared_short_name(
    name: str, where: str, message: str, cli: Callable[..., Run]
) -> None:
    path = INVALID / name
    run = cli("standards", "check", path, expect=3)
    assert run.stdout.splitlines() == [f"{path}:{where}: error QA507 {message}", f"    hint: {HINT}"]


@pytest.mark.parametrize(("name", "where", "message"), SHARED, ids=[s[0] for s in SHARED])
def test_the_file_is_not_loaded(name: str, where: str, message: str) -> None:
    framework, found = check_file(INVALID / name)
    assert framework is None
    assert [(f"{d.location.line}:{d.location.column}", d.code, d.message, d.hint) for d in found] == [
        (where, "QA507", message, HINT)
    ]


def test_titles_alike_without_short_names_still_load(cli: Callable[..., Run]) -> None:
    # Not asked of titles: a file that loaded before still does.
    path = NAMES / "standards" / "titles-alike.yaml"
    run = cli("standards", "check", path)
    assert run.stdout == f"{path}: ok (titles-alike 1)\n"


def test_the_bundled_frameworks_give_each_standard_its_own_name() -> None:
    for framework in Registry([bundled_dir()]).frameworks():
        named = [" ".join(s.short_name.split()).casefold() for s in framework.standards.values()]
        assert len(named) == len(set(named)), framework.id


KEYS_AS_NAMES = {
    "cafcass-keys-are-titles.yaml": [
        "13:3: error QA203 The key 'Child seen and wishes and feelings used to inform recommendations' in "
        "'impact' is the full title of 'child_seen' (Child seen and wishes and feelings), not the key.",
        "    hint: Did you mean 'child_seen'? The file uses the standard's id, not its title: write "
        "'child_seen:' in place of the title.",
        "34:3: error QA203 The key 'Case planning records plans in child-centred way. Includes how, when and "
        "why to ... (58 more characters)' in 'compliance' is the full title of 'case_planning' (Case "
        "planning), not the key.",
        "    hint: Did you mean 'case_planning'? The file uses the standard's id, not its title: write "
        "'case_planning:' in place of the title.",
    ],
    # A record's ratings are keyed by standard too.
    "cafcass-observation-title.yaml": [
        "12:3: error QA203 The key 'Case planning records plans in child-centred way. Includes how, when and "
        "why to ... (58 more characters)' in 'observed' is the full title of 'case_planning' (Case "
        "planning), not the key.",
        "    hint: Did you mean 'case_planning'? The file uses the standard's id, not its title: write "
        "'case_planning:' in place of the title.",
    ],
    "cafcass-keys-are-short-names.yaml": [
        "13:3: error QA203 The key 'Child seen and wishes and feelings' in 'impact' is the label of "
        "'child_seen', not the key.",
        "    hint: Did you mean 'child_seen'? Reports show it as 'Child seen and wishes and feelings', but "
        "the file uses its id: write 'child_seen:' in place of 'Child seen and wishes and feelings:'.",
        "34:3: error QA203 The key 'Case planning' in 'compliance' is the label of 'case_planning', not "
        "the key.",
        "    hint: Did you mean 'case_planning'? Reports show it as 'Case planning', but the file uses its "
        "id: write 'case_planning:' in place of 'Case planning:'.",
    ],
}


@pytest.mark.parametrize("name", sorted(KEYS_AS_NAMES))
def test_validate_reads_a_key_written_as_either_name(name: str, cli: Callable[..., Run]) -> None:
    path = NAMES / name
    run = cli("validate", path, "--today", TODAY.isoformat(), expect=1)
    lines = [line if line.startswith("    hint:") else f"{path}:{line}" for line in KEYS_AS_NAMES[name]]
    errors = "1 error" if len(lines) == 2 else f"{len(lines) // 2} errors"
    assert run.stdout.splitlines() == [*lines, f"Checked 1 file: {errors} and 0 warnings in 1 file."]


CAFCASS = Registry([bundled_dir()]).get("cafcass-qiam-2017")
IMPACT = ["child_seen", "child_experience", "enabled_to_choose", "impact_analysis"]


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("Child seen and wishes and feelings used to inform recommendations", "child_seen"),
        ("child seen and wishes and feelings used to inform recommendations.", "child_seen"),
        ("Child seen and wishes and feelings", "child_seen"),
        ("Child seen", "child_seen"),
        ("Child impact analysis", "impact_analysis"),
        ("Child seen and wishes", None),
    ],
)
def test_key_named(written: str, meant: str | None) -> None:
    from qaimpact.base.diagnose import key_named
    from qaimpact.models.audit import describe_path, path_names

    assert CAFCASS is not None
    found = key_named(
        written,
        IMPACT,
        ["impact"],
        lambda p: describe_path(CAFCASS, list(p)),
        lambda p: path_names(CAFCASS, p),
    )
    assert found == meant


@pytest.mark.parametrize(
    ("path", "names"),
    [
        (
            ["impact", "child_seen"],
            [
                "Child seen and wishes and feelings",
                "Child seen and wishes and feelings used to inform recommendations",
            ],
        ),
        (["compliance", "tools_uploaded"], ["Tools and direct work uploaded"]),
        (["impact"], ["Impact outcomes"]),
        (["nowhere"], []),
    ],
)
def test_path_names(path: list[str], names: list[str]) -> None:
    from qaimpact.models.audit import path_names

    assert CAFCASS is not None
    assert path_names(CAFCASS, path) == names

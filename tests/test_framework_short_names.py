"""A framework named on the command line as people type it: its id in any case, or a short form
its own standards file gives (its ``short_title``, the prefix of its audit ids, the first words of
its id), wherever a command takes one. A name that fits none, or several, is refused in plain
words listing the frameworks, exit 2.

Regression: ``qaimpact new --standards CCC`` (or ``ccc``, ``cafcass``) was "Unknown framework".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.frameworks.registry import Registry

CLASH = DATA / "short-names" / "clash"
KNOWN = "cafcass-qiam-2017 (Cafcass) or ccc-practice-standards (CCC)"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("CCC", "ccc-practice-standards"),  # its short_title
        ("ccc", "ccc-practice-standards"),  # the same in any case, and the first word of its id
        ("Cafcass", "cafcass-qiam-2017"),
        ("cafcass", "cafcass-qiam-2017"),
        ("CAFCASS", "cafcass-qiam-2017"),
        ("cafcass-qiam", "cafcass-qiam-2017"),  # the first words of its id
        ("Cafcass-QIAM-2017", "cafcass-qiam-2017"),  # its id in another case
        ("CCC-Practice-Standards", "ccc-practice-standards"),
        ("cfa", "ccc-practice-standards"),  # the prefix of its audit ids (CFA-2026-0311)
        (" ccc ", "ccc-practice-standards"),
    ],
)
def test_new_takes_a_framework_by_a_short_name_or_in_any_case(cli: Any, typed: str, meant: str) -> None:
    assert f"\nstandards: {meant}\n" in cli("new", "--standards", typed).stdout


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (("standards", "show", "ccc"), "Children's Services Practice Standards (ccc-practice-standards, "),
        (("standards", "show", "Cafcass"), "Quality and Impact Assurance Model (cafcass-qiam-2017, version "),
        (
            ("standards", "diff", "CCC", "ccc-practice-standards"),
            "Changes from ccc-practice-standards to ccc-practice-standards: none.",
        ),
        (("schema", "CCC"), '  "$id": "urn:qaimpact:schema:audit:ccc-practice-standards",'),
        (("schema", "--standards", "cafcass"), '  "$id": "urn:qaimpact:schema:audit:cafcass-qiam-2017",'),
    ],
)
def test_every_command_taking_a_framework_reads_it_so(cli: Any, command: tuple[str, ...], line: str) -> None:
    out = cli(*command).stdout
    assert any(shown.startswith(line) for shown in out.splitlines()), out


def test_export_takes_its_framework_by_a_short_name(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "audits.csv"
    cli("export", EXAMPLES, "-o", target, "--standards", "CCC", "--today", TODAY.isoformat())
    text = target.read_text(encoding="utf-8")
    assert "CFA-2026-0311" in text
    assert "QA-2026-0142" not in text


def test_import_scaffold_takes_its_framework_by_a_short_name(cli: Any, tmp_path: Path) -> None:
    mapping = tmp_path / "tracker.mapping.yaml"
    sheet = EXAMPLES / "import" / "tracker.csv"
    cli("import", sheet, "--scaffold-mapping", "--standards", "CCC", "--mapping", mapping)
    assert "standards: ccc-practice-standards" in mapping.read_text(encoding="utf-8")


def test_migrate_takes_its_target_by_a_short_name(cli: Any, tmp_path: Path) -> None:
    audit = tmp_path / "audit.yaml"
    audit.write_bytes((EXAMPLES / "ccc-cfa-2026-0311.yaml").read_bytes())
    run = cli("migrate", audit, "--to", "CCC", "--dry-run", expect=2)
    # The short name is the framework the audit already uses: the refusal names it by its id.
    assert run.stderr == (
        f"error: '{audit}' already uses 'ccc-practice-standards': there is nothing to migrate.\n"
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "xyz",
            f"error: Unknown framework 'xyz'. Give a framework by its id or its short name: {KNOWN}.\n",
        ),
        (
            "qiam",  # a word of an id that is not its start: offered, not taken
            "error: Unknown framework 'qiam'. Did you mean 'cafcass-qiam-2017'? Give a framework by its "
            f"id or its short name: {KNOWN}.\n",
        ),
        ("", f"error: Unknown framework ''. Give a framework by its id or its short name: {KNOWN}.\n"),
    ],
)
def test_an_unknown_framework_is_refused_listing_the_frameworks(cli: Any, typed: str, message: str) -> None:
    assert cli("new", "--standards", typed, expect=2).stderr == message


@pytest.mark.parametrize(
    "command",
    [
        ("new", "--standards", "{typed}", "--standards-dir", str(CLASH)),
        ("standards", "show", "{typed}", "--standards", str(CLASH)),
        ("schema", "{typed}", "--standards-dir", str(CLASH)),
    ],
    ids=lambda c: c[0] if c[0] != "standards" else "standards show",
)
@pytest.mark.parametrize("typed", ["CCC", "ccc"])
def test_a_name_two_frameworks_share_is_refused_naming_both(
    cli: Any, command: tuple[str, ...], typed: str
) -> None:
    run = cli(*(word.format(typed=typed) for word in command), expect=2)
    assert run.stderr == (
        f"error: '{typed}' could mean 2 frameworks: ccc-2027 (CCC) or ccc-practice-standards (CCC). Give "
        "the one you mean by its whole id (`qaimpact standards list` lists them).\n"
    )


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("ccc-2027", "ccc-2027"),  # an id written whole is never ambiguous
        ("CCC-2027", "ccc-2027"),
        ("new", "ccc-2027"),  # its audit ids' prefix, read from its file
        ("ccc-practice", "ccc-practice-standards"),
    ],
)
def test_a_whole_id_or_a_form_only_one_framework_has_is_taken(cli: Any, typed: str, meant: str) -> None:
    out = cli("new", "--standards", typed, "--standards-dir", CLASH).stdout
    assert f"\nstandards: {meant}\n" in out


def test_a_folder_named_as_a_framework_is_the_framework(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder of a service's Cafcass audits beside the auditor: `--standards cafcass` is the
    # framework, not a folder given to the wrong option.
    (tmp_path / "cafcass").mkdir()
    monkeypatch.chdir(tmp_path)
    assert "\nstandards: cafcass-qiam-2017\n" in cli("new", "--standards", "cafcass").stdout


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("ccc-practice-standards", ["ccc-practice-standards"]),
        ("CCC", ["ccc-2027", "ccc-practice-standards"]),
        ("Cafcass", ["cafcass-qiam-2017"]),
        ("qa", ["cafcass-qiam-2017"]),
        ("qiam", []),
        ("  ", []),
    ],
)
def test_registry_named(name: str, found: list[str]) -> None:
    assert Registry.default([CLASH]).named(name) == found

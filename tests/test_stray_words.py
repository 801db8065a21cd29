"""Words on a command line that belong to no option: a name typed without quotes, a folder given
without --audits. Each is named, with the command line to write instead (exit 2), never click's
"Got unexpected extra argument(s)"."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import EXAMPLES

SERVICE = EXAMPLES / "service"
QUOTES = "a value with spaces must be in quotes, or only its first word is read."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("actions", "--owner", "Imran", "Qureshi", "--audits", str(SERVICE)),
            f"'Qureshi' follows --owner Imran but is the value of no option: {QUOTES} "
            'Write --owner "Imran Qureshi".',
        ),
        (
            ("actions", "--owner=Imran", "Qureshi"),
            f"'Qureshi' follows --owner Imran but is the value of no option: {QUOTES} "
            'Write --owner "Imran Qureshi".',
        ),
        (
            ("actions", "--team", "Fenland", "Child", "in", "Need", "1"),
            f"'Child in Need 1' follows --team Fenland but is the value of no option: {QUOTES} "
            'Write --team "Fenland Child in Need 1".',
        ),
        (
            # Read by click as the audit to give feedback on, with a learning log asked for too.
            ("report", "--fca", "Tunde", "Adeyemi", "--audits", str(SERVICE)),
            f"'Adeyemi' follows --fca Tunde but is the value of no option: {QUOTES} "
            'Write --fca "Tunde Adeyemi".',
        ),
        (
            ("report", "--practitioner", "Tunde", "Adeyemi"),
            f"'Adeyemi' follows --practitioner Tunde but is the value of no option: {QUOTES} "
            'Write --practitioner "Tunde Adeyemi".',
        ),
        (
            ("new", "--standards", "cafcass-qiam-2017", "--practitioner", "Amira", "Hassan"),
            f"'Hassan' follows --practitioner Amira but is the value of no option: {QUOTES} "
            'Write --practitioner "Amira Hassan".',
        ),
        (
            ("summary", "--quarter", "Q3", "2026", "--audits", str(SERVICE)),
            f"'2026' follows --quarter Q3 but is the value of no option: {QUOTES} "
            'Write --quarter "Q3 2026".',
        ),
        (
            ("summary", str(SERVICE)),
            f"'{SERVICE}' is given on its own, but qaimpact summary reads audits only from the folders "
            f"named with --audits. Write --audits {SERVICE}.",
        ),
        (
            ("escalations", str(SERVICE / "ccc"), str(SERVICE / "cafcass")),
            f"'{SERVICE / 'ccc'}' and '{SERVICE / 'cafcass'}' are given on their own, but qaimpact "
            "escalations reads audits only from the folders named with --audits. Write --audits "
            f"{SERVICE / 'ccc'} --audits {SERVICE / 'cafcass'}.",
        ),
        (
            ("actions", "--owner", "Imran Qureshi", str(SERVICE)),
            f"'{SERVICE}' is given on its own, but qaimpact actions reads audits only from the folders "
            f"named with --audits. Write --audits {SERVICE}.",
        ),
        (
            ("report", "--fca", "Tunde Adeyemi", str(SERVICE)),
            f"'{SERVICE}' is a folder, but a learning log reads audits only from the folders named "
            f"with --audits. Write --audits {SERVICE}.",
        ),
        (
            ("summary", "--by", "team", "monthly"),
            "'monthly' is the value of no option: qaimpact summary takes no word besides its options. "
            "Put each value just after its option (`qaimpact summary -h` lists them), and a value "
            "with spaces in quotes.",
        ),
        (
            ("explain", "QA204", "QA205"),
            "'QA205' is the value of no option: qaimpact explain takes only its CODE besides its "
            "options. Put each value just after its option (`qaimpact explain -h` lists them), and "
            "a value with spaces in quotes.",
        ),
    ],
    ids=[
        "owner",
        "owner-equals",
        "team-of-five-words",
        "fca-taken-for-the-audit",
        "practitioner",
        "new-practitioner",
        "quarter-q3-2026",
        "summary-folder",
        "escalations-two-folders",
        "actions-folder-after-a-quoted-name",
        "report-fca-folder",
        "summary-unknown-word",
        "explain-two-codes",
    ],
)
def test_a_word_on_no_option_is_named_with_the_way_to_write_it(
    cli: Any, args: tuple[str, ...], message: str
) -> None:
    run = cli(*args, expect=2)
    assert run.stderr == f"error: {message}\n"
    assert run.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ("actions", "--owner", "Imran Qureshi", "--audits", str(SERVICE), "--today", "2026-11-22"),
        ("report", "--fca", "Tunde", str(SERVICE / "cafcass" / "QA-2026-0022.yaml")),
        ("grade", "--today", "2026-11-22", str(EXAMPLES / "ccc-cfa-2026-0311.yaml")),
        ("report", "--fca", "Tunde", "missing.yaml"),
        ("report", "--fca", "Tunde", "notes.md"),
    ],
    ids=[
        "quoted-name",
        "existing-file-after-a-name",
        "files-of-a-command-that-takes-many",
        "missing-audit-after-a-name",
        "file-name-after-a-name",
    ],
)
def test_words_the_command_takes_are_read_as_before(cli: Any, args: tuple[str, ...]) -> None:
    run = cli(*args, expect=None)
    assert "value of no option" not in run.stderr
    assert "given on its own" not in run.stderr

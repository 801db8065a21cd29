"""An option typed with a slip, followed by its value, is said as the option mistyped.

``qaimpact sample --see 5`` (for ``--seed 5``), ``summary --quater Q3`` or ``new --standard CCC``
was refused with "'5' is the value of no option: qaimpact sample takes no word besides its
options": the value blamed, and never a word of the option mistyped, which is the mistake. The
check for stray words ran before click's own, and counted the value of an unknown option as a
word. An option the command does not have is now said first, as every other unknown option is
("qaimpact sample has no option --see. Did you mean --seed ...?"). A stray word after options the
command has is still said as before (test_stray_words.py), and so is a bad --seed value.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import EXAMPLES, Run

SERVICE = str(EXAMPLES / "service")
CASES = str(EXAMPLES / "service" / "cases.csv")


def _no_option(command: str, option: str, meant: str) -> str:
    return (
        f"error: qaimpact {command} has no option {option}. Did you mean {meant}? "
        f"`qaimpact {command} -h` lists the options it takes.\n"
    )


def _stray(command: str, word: str) -> str:
    return (
        f"error: '{word}' is the value of no option: qaimpact {command} takes no word besides its options. "
        f"Put each value just after its option (`qaimpact {command} -h` lists them), and a value with "
        "spaces in quotes.\n"
    )


CASES_SAID = [
    # Regression: each blamed the value ("'5' is the value of no option").
    (["sample", "--see", "5"], _no_option("sample", "--see", "--seed or --cases")),
    (["sample", "--sed", "abc"], _no_option("sample", "--sed", "--seed or --cases")),
    (
        ["sample", "--cases", CASES, "--seeds", "20261201"],
        _no_option("sample", "--seeds", "--seed or --cases"),
    ),
    (["sample", "-fjson", "--see", "3"], _no_option("sample", "--see", "--seed or --cases")),
    (["summary", "--quater", "Q3", "--audits", SERVICE], _no_option("summary", "--quater", "--quarter")),
    (
        ["new", "--standard", "CCC", "-o", "audit.yaml"],
        _no_option("new", "--standard", "--standards or --standards-dir"),
    ),
    (
        ["actions", "--ownr", "Imran", "--audits", SERVICE],
        _no_option("actions", "--ownr", "--owner or --force"),
    ),
    # Guards: a stray word after the command's own options, however written, is still said so.
    (["sample", "-fjson", "extra"], _stray("sample", "extra")),
    (["sample", "--format=json", "extra"], _stray("sample", "extra")),
    (["sample", "--seed", "3", "extra"], _stray("sample", "extra")),
    # And a bad value of --seed is said as every whole-number option says it.
    (
        ["sample", "--seed", "abc"],
        "error: --seed needs a whole number, 0 or more, such as 20261201; 'abc' is not a number.\n",
    ),
]


@pytest.mark.parametrize(
    ("args", "said"), CASES_SAID, ids=[" ".join(w for w in a[:4] if "/" not in w) for a, _ in CASES_SAID]
)
def test_the_mistyped_option_is_said(
    args: list[str], said: str, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.chdir(str(tmp_path))
    run = cli(*args, expect=2)
    assert run.stderr == said
    assert run.stdout == ""


@pytest.mark.parametrize(
    ("args", "unknown"),
    [
        (["--see", "5"], "--see"),
        (["--seed", "5", "--sed=6"], "--sed"),
        (["-fjson", "--see"], "--see"),
        (["-x"], "-x"),
        (["--seed", "-1"], None),
        (["-f", "json", "--seed=3", "extra"], None),
        (["--", "--see"], None),
        ([], None),
    ],
)
def test_unknown_option(args: list[str], unknown: str | None) -> None:
    from typer.main import get_command

    from qaimpact.cli.app import app
    from qaimpact.cli.arguments import _unknown_option

    group = get_command(app)
    sample = group.commands["sample"]  # type: ignore[attr-defined]
    assert _unknown_option(sample.params, args) == unknown

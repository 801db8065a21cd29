"""An option that takes a whole number (``--per-team``, ``--jobs``, ``--port`` ...) refuses a value
that is not one it takes in plain words: what the option needs, its bounds, an example, and what
is wrong with the value given (exit 2), the same on every typer release pyproject.toml allows,
where typer refused it in click's words on 0.26 ("'x' is not a valid integer") and pydantic's on
0.29 ("Input should be a valid integer, unable to parse string as an integer"), after a usage
line. Valid values, defaults and bounds are read as they were, and ``--help`` names each value.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import EXAMPLES, TODAY

SERVICE = EXAMPLES / "service"
CASES = SERVICE / "cases.csv"
SHEET = EXAMPLES / "import" / "tracker.csv"

#: Every option of qaimpact that takes a whole number: the command line before its value, the one
#: after it, what the message says the option needs (up to the "; "), and its bounds.
OPTIONS = {
    "sample --per-team": (
        ["sample", "--cases", CASES, "--per-team"],
        [],
        "--per-team needs a whole number of audits for each team, 1 or more, such as 2",
        (1, None),
    ),
    "sample --seed": (
        ["sample", "--cases", CASES, "--seed"],
        [],
        "--seed needs a whole number, 0 or more, such as 20261201",
        (0, None),
    ),
    "validate --jobs": (
        ["validate", "--jobs"],
        [SERVICE],
        "--jobs needs a whole number of processes, 0 or more (0 means one per core), such as 2",
        (0, None),
    ),
    "validate -j": (
        ["validate", "-j"],
        [SERVICE],
        "--jobs needs a whole number of processes, 0 or more (0 means one per core), such as 2",
        (0, None),
    ),
    "validate --max-warnings": (
        ["validate", "--max-warnings"],
        [SERVICE],
        "--max-warnings needs a whole number of warnings, 0 or more, such as 10",
        (0, None),
    ),
    "validate --max-file-size": (
        ["validate", "--max-file-size"],
        [SERVICE],
        "--max-file-size needs a whole number of bytes, 1 or more, such as 2097152 (2 MiB)",
        (1, None),
    ),
    "grade --max-file-size": (
        ["grade", "--max-file-size"],
        [SERVICE],
        "--max-file-size needs a whole number of bytes, 1 or more, such as 2097152 (2 MiB)",
        (1, None),
    ),
    "export --max-file-size": (
        ["export", "--max-file-size"],
        [SERVICE],
        "--max-file-size needs a whole number of bytes, 1 or more, such as 2097152 (2 MiB)",
        (1, None),
    ),
    "import --jobs": (
        ["import", SHEET, "-j"],
        [],
        "--jobs needs a whole number of processes, 0 or more (0 means one per core), such as 2",
        (0, None),
    ),
    "import --max-file-size": (
        ["import", SHEET, "--max-file-size"],
        [],
        "--max-file-size needs a whole number of bytes, 1 or more, such as 2097152 (2 MiB)",
        (1, None),
    ),
    "moderation --window": (
        ["moderation", "--audits", SERVICE, "--window"],
        [],
        "--window needs a whole number of days, 0 or more, such as 30",
        (0, None),
    ),
    "serve --port": (
        ["serve", "--port"],
        [],
        "--port needs a whole number, from 0 to 65535 (0 picks any free port), such as 8000",
        (0, 65535),
    ),
}

#: A value no whole-number option takes, and what the message says is wrong with it.
NEVER = [
    ("x", "'x' is not a number"),
    ("two", "'two' is not a number"),
    ("", "nothing was given"),
    (" ", "nothing was given"),
    ("1.5", "'1.5' is not a whole number"),
    ("2,5", "'2,5' is not a number"),
    ("-0.5", "'-0.5' is not a whole number"),
    (".5", "'.5' is not a whole number"),
    ("1,000", "write '1,000' without commas, as 1000"),
    ("1e3", "'1e3' is not a number"),
    ("-1", "'-1' is negative"),
    ("-3", "'-3' is negative"),
]


def _refusals() -> list[Any]:
    cases = []
    for name, (before, after, needs, (low, high)) in OPTIONS.items():
        values = list(NEVER)
        if low == 1:
            # Below 1 but not negative: the negative values above are refused as less than 1 too.
            values = [(v, p if not p.endswith("is negative") else f"'{v}' is less than 1") for v, p in values]
            values.append(("0", "'0' is less than 1"))
        if high is not None:
            values.append((str(high + 1), f"'{high + 1}' is more than {high}"))
        for value, problem in values:
            cases.append(
                pytest.param(
                    [*before, value, *after], f"error: {needs}; {problem}.\n", id=f"{name} {value!r}"
                )
            )
    return cases


@pytest.fixture
def no_frameworks(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every load of the frameworks, refused: a command that gets that far fails (exit 4)."""
    from qaimpact.frameworks.registry import Registry

    loads: list[object] = []

    def refused(*args: object, **kwargs: object) -> object:
        loads.append(args)
        raise AssertionError("the frameworks were loaded")

    monkeypatch.setattr(Registry, "default", classmethod(refused))
    return loads


@pytest.mark.parametrize(("args", "message"), _refusals())
def test_a_value_that_is_not_a_whole_number_the_option_takes_is_refused_in_plain_words(
    cli: Any, no_frameworks: list[object], args: list[Any], message: str
) -> None:
    run = cli(*args, expect=2)
    assert (run.stdout, run.stderr) == ("", message)
    assert no_frameworks == []


def test_the_examples_in_the_messages_are_taken(cli: Any) -> None:
    """Each example the messages give is a value the option takes (serve's is left to
    test_serve.py: it would listen)."""
    cli("validate", "--jobs", "2", "--max-warnings", "10", "--max-file-size", "2097152", SERVICE)
    cli("grade", "--max-file-size", "2097152", *sorted(EXAMPLES.glob("*.yaml")))
    cli(
        "sample",
        "--cases",
        CASES,
        "--audits",
        SERVICE,
        "--per-team",
        "2",
        "--seed",
        "20261201",
        "--today",
        TODAY.isoformat(),
    )
    cli("moderation", "--audits", SERVICE, "--window", "30", "--today", TODAY.isoformat())


@pytest.mark.parametrize(
    ("args", "per_team", "seed"),
    [
        # The bounds themselves are taken.
        (["--per-team", "1", "--seed", "0"], 1, 0),
        # Spaces around the number, a plus sign, digits grouped with '_', a decimal without a
        # fraction (as typer 0.29 reads it) are the number.
        (["--per-team", " 3 ", "--seed", "+7"], 3, 7),
        (["--per-team", "2.0", "--seed", "1_000"], 2, 1000),
        # Nothing given: the default, 2 a team, and a seed chosen at random.
        ([], 2, None),
    ],
)
def test_sample_reads_its_whole_numbers_as_before(
    cli: Any, args: list[str], per_team: int, seed: int | None
) -> None:
    run = cli(
        "sample", "--cases", CASES, "--audits", SERVICE, "--today", TODAY.isoformat(), "-f", "json", *args
    )
    view = json.loads(run.stdout)
    assert view["options"]["per_team"] == per_team
    assert {team["quota"] for team in view["teams"]} == {per_team}
    assert view["seed_given"] is (seed is not None)
    assert view["seed"] == seed if seed is not None else view["seed"] >= 0


def test_moderation_takes_a_window_of_0_days(cli: Any) -> None:
    out = cli("moderation", "--audits", SERVICE, "--window", "0", "--today", TODAY.isoformat(), "-f", "json")
    assert json.loads(out.stdout)["window_days"] == 0


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["validate"], "-j, --jobs N"),
        (["validate"], "--max-warnings N"),
        (["validate"], "--max-file-size BYTES"),
        (["grade"], "--max-file-size BYTES"),
        (["export"], "--max-file-size BYTES"),
        (["import"], "-j, --jobs N"),
        (["import"], "--max-file-size BYTES"),
        (["sample"], "--per-team N"),
        (["sample"], "--seed S"),
        (["moderation"], "--window DAYS"),
        (["serve"], "--port N"),
    ],
)
def test_help_names_each_value(cli: Any, args: list[str], line: str) -> None:
    assert f"  {line}  " in cli(*args, "--help").stdout


@pytest.mark.parametrize(
    ("args", "default"),
    [
        (["validate"], "[default: 0]"),
        (["validate"], "[default: 1048576]"),
        (["sample"], "[default: 2]"),
        (["serve"], "[default: 8000]"),
    ],
)
def test_help_shows_the_defaults(cli: Any, args: list[str], default: str) -> None:
    assert default in " ".join(cli(*args, "--help").stdout.split())


@pytest.mark.parametrize(
    ("text", "low", "high", "read"),
    [
        ("0", 0, None, (0, "")),
        ("12", 1, None, (12, "")),
        (" 12 ", 1, None, (12, "")),
        ("+5", 0, None, (5, "")),
        ("1_000", 0, None, (1000, "")),
        ("2.0", 1, None, (2, "")),
        ("2.", 1, None, (2, "")),
        ("-0", 0, None, (0, "")),
        ("65535", 0, 65535, (65535, "")),
        ("65536", 0, 65535, (0, "'65536' is more than 65535")),
        ("-1.0", 0, None, (0, "'-1.0' is negative")),
        ("0", 1, None, (0, "'0' is less than 1")),
        ("-2", 1, None, (0, "'-2' is less than 1")),
        ("2.50", 1, None, (0, "'2.50' is not a whole number")),
        ("\t", 0, None, (0, "nothing was given")),
        ("12,345,678", 1, None, (0, "write '12,345,678' without commas, as 12345678")),
        ("12,34", 1, None, (0, "'12,34' is not a number")),
        ("5 audits", 1, None, (0, "'5 audits' is not a number")),
        ("1__0", 0, None, (0, "'1__0' is not a number")),
        ("9" * 5000, 0, None, (0, f"'{'9' * 5000}' has too many digits")),
    ],
)
def test_whole_number(text: str, low: int, high: int | None, read: tuple[int, str]) -> None:
    from qaimpact.cli.options import whole_number

    assert whole_number(text, low, high) == read

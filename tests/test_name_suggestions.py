"""A name filter that matches nothing suggests the closest names the audits write.

``actions --team``/``--owner``, ``escalations --team`` and ``report --fca`` share one helper
(:func:`qaimpact.cycle.common.did_you_mean`). "Fenlnd" once got no suggestion: it is not close
to any whole team name, only to the word "Fenland" in them.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import Dataset, load_dataset
from qaimpact.base.errors import UsageError
from qaimpact.cycle import actions, escalations
from qaimpact.cycle.common import closest_names, did_you_mean
from qaimpact.frameworks.registry import Registry
from qaimpact.reports import learning_log

#: Two audits: Emily Hargreaves of Fenland Child in Need 1, Connor Fitzgerald of Fenland Child in
#: Need 12; actions owned by them, Sandra Whitlock and Imran Qureshi.
TEAMS = DATA / "team-choice"
FENLAND = ["Fenland Child in Need 12", "Fenland Child in Need 1", "Huntingdonshire Family Safeguarding 3"]
ELSEWHERE = "Check the spelling, or point --audits at the folder that holds the audits."
BOTH_TEAMS = "Did you mean 'Fenland Child in Need 1' or 'Fenland Child in Need 12'?"


@pytest.mark.parametrize(
    ("wanted", "values", "expected"),
    [
        # A word of the names is close: every such team, alphabetically among equals.
        ("Fenlnd", FENLAND, ["Fenland Child in Need 1", "Fenland Child in Need 12"]),
        ("fenlnd child", FENLAND, ["Fenland Child in Need 1", "Fenland Child in Need 12"]),
        ("Huntingdon FS 3", FENLAND, ["Huntingdonshire Family Safeguarding 3"]),
        ("Hasan", ["Kofi Asante", "Amira Hassan"], ["Amira Hassan"]),
        # The whole name is close.
        ("Conor Fitzgerald", ["Connor Fitzgerald", "Gareth Lloyd"], ["Connor Fitzgerald"]),
        # Names compare ignoring case and spaces, and each is given as first written, once.
        ("  CONNOR  fitzgerld ", ["Connor  Fitzgerald", "connor FITZGERALD"], ["Connor Fitzgerald"]),
        # Closest first.
        ("Need 21", ["Need 1", "Need 21x"], ["Need 21x", "Need 1"]),
        # At most three.
        ("Fenlnd", [f"Fenland {n}" for n in "DCBA"], ["Fenland A", "Fenland B", "Fenland C"]),
        # A word only somewhat like one typed is not suggested ("hillside", "children": 0.625).
        ("Hillside", ["South Cambs Children in Care", "Fenland Child in Need 1"], []),
        ("Zoe Quinn", ["Connor Fitzgerald", "Gareth Lloyd"], []),
        ("   ", FENLAND, []),
        ("Fenlnd", [], []),
    ],
)
def test_closest_names(wanted: str, values: list[str], expected: list[str]) -> None:
    assert closest_names(wanted, values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Zoe Quinn"], ""),
        (["Jo Smith"], "Did you mean 'Jo Smith'?"),
        (["Jo Smith", "Al Smith"], "Did you mean 'Al Smith' or 'Jo Smith'?"),
        (
            ["Jo Smith", "Al Smith", "Bo Smith", "Cy Smith"],
            "Did you mean 'Al Smith', 'Bo Smith' or 'Cy Smith'?",
        ),
    ],
)
def test_did_you_mean(values: list[str], expected: str) -> None:
    assert did_you_mean("Smth", values) == expected


def _dataset() -> Dataset:
    return load_dataset([TEAMS], Registry.default([]), CheckOptions(today=TODAY))


#: (what is asked, the message when it matches nothing), for the functions and the CLI alike.
CASES = [
    (
        ("actions", "--team", "Fenlnd"),
        "No remedial action from an audit of the team 'Fenlnd' was found among the 10 actions read from "
        f"2 valid audits. {BOTH_TEAMS} {ELSEWHERE}",
    ),
    (
        ("actions", "--owner", "Imran  Qureshy"),
        "No remedial action owned by 'Imran Qureshy' was found among the 10 actions read from 2 valid "
        f"audits. Did you mean 'Imran Qureshi'? {ELSEWHERE}",
    ),
    (
        ("actions", "--owner", "Zoe Quinn"),
        "No remedial action owned by 'Zoe Quinn' was found among the 10 actions read from 2 valid "
        f"audits. {ELSEWHERE}",
    ),
    (
        ("escalations", "--team", "fenlnd"),
        f"No audit of a team whose name holds 'fenlnd' was found among the 2 valid audits read. {BOTH_TEAMS} "
        f"{ELSEWHERE}",
    ),
    (
        ("report", "--fca", "Hargreves"),
        "No audit of a practitioner named 'Hargreves' was found among the 2 valid audits read. Did you mean "
        "'Emily Hargreaves'? Check the name, or point --audits at the folder that holds their audits.",
    ),
]


def _call(command: str, option: str, name: str) -> Any:
    dataset = _dataset()
    if command == "actions":
        return actions.actions_view(dataset, TODAY, **{option.removeprefix("--"): name})
    if command == "escalations":
        return escalations.escalations_view(dataset, TODAY, team=name)
    return learning_log.select_practitioner(dataset.records, name)


@pytest.mark.parametrize(("asked", "message"), CASES)
def test_the_functions_suggest_the_closest_names(asked: tuple[str, str, str], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        _call(*asked)
    assert str(caught.value) == message


@pytest.mark.parametrize("redact", [(), ("--redact",)])
@pytest.mark.parametrize(("asked", "message"), CASES)
def test_the_commands_suggest_the_closest_names(
    cli: Any, asked: tuple[str, str, str], message: str, redact: tuple[str, ...]
) -> None:
    # Under --redact the message is the same: it goes to the person who typed the name, as it
    # did before, and never into the report (nothing is written).
    command, option, name = asked
    run = cli(command, option, name, "--audits", TEAMS, "--today", TODAY.isoformat(), *redact, expect=2)
    assert " ".join(run.stderr.split()) == f"error: {message}"
    assert run.stdout == ""

"""The summary's counts of each re-audited case (:func:`learning_and_actions`) are the counts the
impact report's comparison of the case gives (:func:`compare`), without its rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import DATA, EXAMPLES
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.audits.reaudits import follow
from qaimpact.cycle.impact.compare import DONE, OPEN, OVERDUE, as_is, compare, learning_and_actions
from qaimpact.frameworks.registry import Registry


@pytest.mark.parametrize(
    "folder", [EXAMPLES / "service", DATA / "cycle" / "impact", DATA / "cycle" / "impact" / "movement"]
)
@pytest.mark.parametrize("today", [dt.date(2026, 1, 10), dt.date(2026, 11, 22), dt.date(2027, 6, 1)])
def test_the_counts_are_the_comparisons(folder: Path, today: dt.date) -> None:
    loaded = load_dataset([folder], Registry.default([]), CheckOptions(today=today))
    chains = follow([*loaded.records, *loaded.outside]).chains
    assert chains, "a folder with no re-audit tests nothing"
    for chain in chains:
        compared = compare(chain, today, as_is)
        learning, actions = learning_and_actions(chain, today)
        assert learning == {k: len(compared["learning"][k]) for k in ("resolved", "persisting", "new")}
        assert actions == {k: compared["actions"][k] for k in (DONE, OPEN, OVERDUE)}

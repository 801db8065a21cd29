"""Fuzzing stays (issue 12, section 7): a short run of every target on every test run, and every
kept crasher replayed.

The targets and their properties are in ``tests/fuzzing.py``. The long run is
``python benchmarks/fuzz.py --minutes 20``; what it finds, minimised, goes to
``tests/data/fuzz/TARGET/`` and is replayed here. docs/fuzzing.md records its figures.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzzing

#: Examples per target in the short run: a few seconds in all.
SHORT_RUN = {"loader": 200, "readers": 150, "checker": 100, "fmt": 40, "renderers": 40, "standards": 60}


@pytest.mark.parametrize("name", list(fuzzing.TARGETS))
def test_short_fuzz_run(name: str) -> None:
    target = fuzzing.TARGETS[name]

    @settings(max_examples=SHORT_RUN[name], suppress_health_check=list(HealthCheck), database=None)
    @given(st.randoms(use_true_random=False))
    def run(rng: random.Random) -> None:
        target.check(target.generate(rng))

    run()


def kept() -> list[object]:
    cases = []
    for name in fuzzing.TARGETS:
        for path in sorted((fuzzing.FUZZ / name).glob("*.yaml")):
            cases.append(pytest.param(name, path, id=f"{name}/{path.name}"))
    return cases


@pytest.mark.parametrize(("name", "path"), kept())
def test_kept_fuzz_cases(name: str, path: Path) -> None:
    """Every input the fuzzing found failing, kept minimised: each must now pass its property."""
    target = fuzzing.TARGETS[name]
    target.check(target.load(path))


def test_every_target_has_kept_cases_or_a_reason() -> None:
    folders = {p.name for p in fuzzing.FUZZ.iterdir() if p.is_dir()}
    assert folders <= set(fuzzing.TARGETS), folders - set(fuzzing.TARGETS)

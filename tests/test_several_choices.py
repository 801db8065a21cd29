"""A value that names two choices gets no "Did you mean" for one of them (QA204, QA205).

``outstanding/inadequate`` was offered 'outstanding', the closer by spelling and the less severe:
an auditor who followed the hint could have turned an inadequate rating into outstanding. Such a
value now says it names more than one choice and lists them all (tests/data/hints/choices.yaml
has the findings through ``validate``); a rating misspelt alone keeps its guess.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaimpact.base.diagnose import offered, several

CCC = ["outstanding", "good", "requires_improvement", "inadequate"]
JOINS = ["/", " / ", " or ", " and ", ", ", "; ", " & ", "|", "+"]


@given(st.permutations(CCC), st.sampled_from(JOINS), st.booleans())
def test_two_ratings_joined_name_both_and_offer_neither(order: list[str], join: str, capitals: bool) -> None:
    first, second = order[:2]
    written = f"{first}{join}{second}"
    written = written.upper() if capitals else written
    assert several(written, CCC, rating=True) == [first, second]
    assert offered(written, CCC, rating=True) is None


@pytest.mark.parametrize(
    ("written", "named", "guess"),
    [
        ("goood", [], "good"),
        ("good/Good", [], "good"),
        ("good ", [], "good"),
        ("requires impr/outstanding", ["requires_improvement", "outstanding"], None),
        # "adequate" is another word, not a slip of inadequate: one choice named, and no other.
        ("adequate/inadequate", [], "inadequate"),
        ("N/A", [], None),
        # Regression (a review): a part written as initials or cut short names no choice by its
        # spelling, and the other part was guessed ('Good / RI' offered 'good').
        ("Good / RI", [], None),
        ("outstanding or R.I.", [], None),
        ("Good/Inad", [], None),
    ],
)
def test_one_choice_or_none_keeps_the_guess(written: str, named: list[str], guess: str | None) -> None:
    assert several(written, CCC, rating=True) == named
    assert offered(written, CCC, rating=True) == guess


ETHNICITY = ["white_british", "white_and_black_caribbean", "black_caribbean", "asian_or_asian_british"]


@pytest.mark.parametrize(
    ("written", "guess"),
    [
        ("White and Black Carribean", "white_and_black_caribbean"),
        ("Asian or Asian Britsh", "asian_or_asian_british"),
    ],
)
def test_a_slip_of_a_choice_written_with_a_join_word_keeps_its_guess(written: str, guess: str) -> None:
    assert several(written, ETHNICITY) == []
    assert offered(written, ETHNICITY) == guess

"""Redaction reads text as fast as it can without reading it otherwise.

A redacted summary of 192 audits took 10.3 s of CPU (45 ms an audit): each name was its own
alternative with its own look behind, tried at every character of every text, and every text
was folded letter by letter. The names now share one look-behind per run of alternatives and the
letters they start with (``_either``), and ASCII text is folded at once (``_fold_map``). These
properties pin that what is found is exactly what the letter-by-letter fold and one alternative
per name found.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.audits.records import AuditRecord
from qaimpact.frameworks.registry import Registry
from qaimpact.privacy.redaction import Redactor, _edges, _either, _fold_map, _literal_prefix, fold


def _fold_map_letter_by_letter(text: str) -> tuple[str, list[int], list[int]]:
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = fold(text[i:j])
        pieces.append(piece)
        starts += [i] * len(piece)
        ends += [j] * len(piece)
        i = j
    return "".join(pieces), starts, ends


@given(st.text(max_size=40))
def test_folding_is_the_letter_by_letter_fold(text: str) -> None:
    assert _fold_map(text) == _fold_map_letter_by_letter(text)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_folding_ascii_is_the_letter_by_letter_fold(text: str) -> None:
    assert _fold_map(text) == _fold_map_letter_by_letter(text)


def _one_look_behind_each(alternatives: list[tuple[str, str]]) -> str:
    parts = []
    for key, pattern in alternatives:
        starts, after = _edges(key)
        parts.append((r"(?<!\w)" if starts else "") + "(?:" + pattern + ")" + after)
    return "|".join(parts)


_NAMES = st.sampled_from(
    [
        "ann",
        "anna",
        "annie",
        "an",
        "lee",
        "lee ann",
        "ann lee",
        "李",
        "李明",
        "o'neil",
        "o'ne",
        "ms lee",
        "mei-ling",
    ]
)
_TEXT = st.text(alphabet="anleio 李明'cs1-_.m\n", max_size=40)


def _pattern(key: str) -> tuple[str, str]:
    # As the redactor writes them: a name's words joined by any gap, a case number's runs by any
    # separator, a shape's prefix before its digits.
    if key == "shape:lcs":
        return key, r"lcs[\s\-_/.]*\d{1,}"
    if key.startswith("case:"):
        return key, r"[\s\-_/.]*".join(re.escape(r) for r in key.removeprefix("case:").split())
    return key, r"(?:-\s*|\s+)".join(re.escape(w) for w in key.split())


@given(
    st.lists(
        st.one_of(_NAMES, st.sampled_from(["case:lcs 1", "shape:lcs"])), min_size=1, max_size=8, unique=True
    ),
    _TEXT,
)
def test_names_sharing_their_start_find_what_each_alone_found(keys: list[str], text: str) -> None:
    # Longest first, as the redactor orders them.
    alternatives = sorted((_pattern(k) for k in keys), key=lambda kv: len(kv[0]), reverse=True)
    shared = re.compile(_either(alternatives))
    each = re.compile(_one_look_behind_each(alternatives))
    assert [(m.span(), m.group()) for m in shared.finditer(text)] == [
        (m.span(), m.group()) for m in each.finditer(text)
    ]


@pytest.mark.parametrize(
    ("pattern", "letters", "rest"),
    [
        ("ann", "ann", ""),
        (r"o\'neil", "o'neil", ""),
        (r"lee(?:-\s*|\s+)ann", "lee", r"(?:-\s*|\s+)ann"),
        (r"lcs[\s\-_/.]*\d{6,}", "lcs", r"[\s\-_/.]*\d{6,}"),
        # A quantified character stays with what it repeats; a class is no literal.
        ("ab*c", "a", "b*c"),
        (r"\d{5,}", "", r"\d{5,}"),
        # A bar outside brackets: each side would need its own start.
        ("ab|cd", "", "ab|cd"),
        ("a(?:b|c)", "a", "(?:b|c)"),
        ("a[|]b", "a", "[|]b"),
    ],
)
def test_the_literal_start_of_a_pattern(pattern: str, letters: str, rest: str) -> None:
    assert _literal_prefix(pattern) == (letters, rest)


def test_a_run_of_names_that_start_words_shares_one_look_behind_and_their_letters() -> None:
    assert _either([("anna", "anna"), ("ann", "ann"), ("李", "李"), ("bo", "bo")]) == (
        r"(?<!\w)(?:a(?:n(?:n(?:a(?!\w)|(?!\w)))))|(?:李)|(?<!\w)(?:bo(?!\w))"
    )


# -- the pattern for names written in lower case: compiled once, when a text first needs it ---------

#: The audits of tests/data/redact/audits name Grace Oduya (Person E): "Grace" alone is also a word
#: ("by grace"), looked for alone only where written with a capital.
_GRACE = [
    ("Grace said the case LCS-900901 went well.", "Person E said the case Case 001 went well."),
    ("by grace, and grace oduya too", "by grace, and Person E too"),
    ("GRACE and grace", "Person E and grace"),
    ("grace", "grace"),
]


@pytest.fixture(scope="module")
def redact_records(registry: Registry) -> list[AuditRecord]:
    return load_dataset([DATA / "redact" / "audits"], registry, CheckOptions(today=TODAY)).records


def test_the_lower_case_pattern_is_compiled_once_when_a_text_first_needs_it(
    redact_records: list[AuditRecord],
) -> None:
    # Compiling it was a third of the time a redacted report took to build its patterns, and most
    # reports never write a name such as Grace in lower case.
    redactor = Redactor(redact_records)
    assert redactor._any_case is None
    assert redactor.text(_GRACE[0][0]) == _GRACE[0][1]
    assert redactor._any_case is None
    assert redactor.text(_GRACE[1][0]) == _GRACE[1][1]
    compiled = redactor._any_case
    assert compiled is not None
    assert [redactor.text(text) for text, _ in _GRACE] == [shown for _, shown in _GRACE]
    assert redactor._any_case is compiled


@pytest.mark.parametrize(("text", "shown"), _GRACE)
def test_compiled_late_the_lower_case_pattern_finds_what_it_found_compiled_first(
    text: str, shown: str, redact_records: list[AuditRecord]
) -> None:
    first = Redactor(redact_records)
    first._any_case_pattern()
    late = Redactor(redact_records)
    assert first.text(text) == late.text(text) == shown
    assert first.path(text) == late.path(text)

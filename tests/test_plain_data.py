"""The loader's two readings agree: libyaml's events, which read nearly every file, and the node
tree, which reads every file the events leave to it and gives every position.

``base/loader.py`` builds a file's data straight from libyaml's events (``_plain_data``) and
composes the node tree only when something asks for a position. The events decline anything
unusual (an anchor, a tag, a key written twice, a second document...), so that every refusal
still comes from the tree's reading, with its words and position. These tests pin down which
files each reading takes, and that a file read either way gives the same data or the same
finding; ``tests/fuzzing.py``'s loader target checks the same over mutated audits.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from fuzzing import load_or_error, places, read_through_tree, same_data
from qaimpact.base import loader
from qaimpact.base.loader import Document, LoadError, load_bytes

DATA = Path(__file__).parent / "data" / "plain-data"
EXAMPLES = Path(__file__).parent.parent / "examples"

#: Each file of tests/data/plain-data: whether the events read it, and the code of the finding
#: (from the node tree's reading) where the file is refused.
CASES = {
    "text-with-bang-and-ampersand.yaml": (True, None),
    "scalars.yaml": (True, None),
    "flow-and-blocks.yaml": (True, None),
    "root-text.yaml": (True, None),
    "root-list.yaml": (True, None),
    "bom-and-crlf.yaml": (True, None),
    "anchor-and-alias.yaml": (False, None),
    "tag.yaml": (False, None),
    "tag-on-a-list.yaml": (False, None),
    "non-specific-tag.yaml": (False, "QA106"),
    "ampersand-first.yaml": (False, "QA111"),
    "duplicate-key.yaml": (False, "QA105"),
    "merge-key.yaml": (False, "QA111"),
    "list-as-key.yaml": (False, "QA111"),
    "two-documents.yaml": (False, "QA109"),
    "no-document.yaml": (False, "QA103"),
    "long-number.yaml": (False, "QA112"),
    "alias-without-anchor.yaml": (False, "QA101"),
    "syntax-error.yaml": (False, "QA101"),
    "deeper-than-allowed.yaml": (False, "QA111"),
}


def _events_take(raw: bytes) -> bool:
    text = raw.decode("utf-8-sig")
    return loader._plain_data(raw, properties="&" in text or "!" in text) is not loader._DECLINED


def test_every_case_file_is_listed() -> None:
    assert sorted(p.name for p in DATA.glob("*.yaml")) == sorted(CASES)


@pytest.mark.parametrize(("name", "taken", "code"), [(n, *c) for n, c in CASES.items()])
def test_which_reading_takes_a_file_and_both_agree(name: str, taken: bool, code: str | None) -> None:
    raw = (DATA / name).read_bytes()
    assert _events_take(raw) is taken
    got, tree = load_or_error(raw, name), read_through_tree(raw, name)
    if isinstance(got, LoadError):
        assert isinstance(tree, LoadError)
        assert got.diagnostic == tree.diagnostic
        assert got.diagnostic.code == code
    else:
        assert code is None
        assert isinstance(tree, Document)
        assert same_data(got.data, tree.data)


def test_the_values_read_from_events() -> None:
    """What the core schema makes of each value, and that keys stay the text written."""
    data = load_bytes((DATA / "scalars.yaml").read_bytes(), "scalars.yaml").data
    not_a_number = data.pop("not_a_number")  # NaN, equal to nothing, so compared apart
    assert isinstance(not_a_number, float)
    assert math.isnan(not_a_number)
    assert data == {
        "whole": 12,
        "negative": -3,
        "octal": 15,
        "hex": 31,
        "fraction": 12.5,
        "exponent": 1000.0,
        "infinite": -math.inf,
        "empty": None,
        "tilde": None,
        "null_word": None,
        "yes_word": "yes",
        "true_word": True,
        "quoted_number": "12",
        "single_quoted": "it's",
        "date": "2026-10-14",
        "1": "one",
        "null": "nothing",
        "true": "key",
        "": "empty key",
    }


AUDITS = sorted(EXAMPLES.glob("*.yaml")) + sorted(DATA.glob("*.yaml"))


@pytest.mark.parametrize("path", AUDITS, ids=lambda p: p.name)
def test_positions_found_later_are_the_tree_readings(path: Path) -> None:
    """A file the events read composes its tree when a position is first asked for, and every
    key and value is where the tree's reading puts it."""
    raw = path.read_bytes()
    got, tree = load_or_error(raw, path.name), read_through_tree(raw, path.name)
    if isinstance(got, LoadError):
        return
    assert isinstance(tree, Document)
    if _events_take(raw):
        assert got.tree is None
        assert got.raw is raw
    for place in places(got.data):
        assert got.locate(place) == tree.locate(place)
        assert got.locate(place, key=True) == tree.locate(place, key=True)
        assert got.written(place) == tree.written(place)
        assert got.double_quoted(place) == tree.double_quoted(place)
    assert got.tree is not None
    assert got.raw is None  # composed once, and the bytes let go


def test_a_file_far_larger_than_an_audit_is_read_through_its_tree() -> None:
    """Only hostile files are that large, and most get findings, for which the events' reading
    would be a second parse (50,000 unknown keys took 1.1 s of CPU where the tree alone took 0.9)."""
    line = b"key_%06d: a value of some length\n"
    at_most = loader._EVENTS_AT_MOST
    small = b"".join(line % n for n in range(at_most // len(line % 0)))
    large = small + line % 999_999
    assert len(small) <= at_most < len(large)
    assert load_bytes(small, "small.yaml").tree is None
    read = load_bytes(large, "large.yaml")
    assert read.tree is not None
    assert read.data == {
        f"key_{n:06d}": "a value of some length" for n in [*range(len(read.data) - 1), 999_999]
    }


def test_data_not_read_from_a_file_has_no_tree() -> None:
    doc = Document("made.yaml", {"a": 1})
    assert doc.root is None
    assert doc.locate(["a"]) == loader.Location("made.yaml")


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["yes", "0o17", "1_000", "~", "Null", "<<", "&x", "!x", "*x", "- x", "a: b", "#"]),
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.text(max_size=12), st.integers(), st.sampled_from(["<<", "&x", "!x", "? x", ""])),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=25,
)


@given(
    data=_DATA,
    flow=st.sampled_from([False, True, None]),
    width=st.sampled_from([20, 80]),
    unicode=st.booleans(),
)
def test_any_dumped_data_is_read_alike_both_ways(
    data: Any, flow: bool | None, width: int, unicode: bool
) -> None:
    raw = yaml.safe_dump(data, default_flow_style=flow, width=width, allow_unicode=unicode).encode("utf-8")
    got, tree = load_or_error(raw, "dumped.yaml"), read_through_tree(raw, "dumped.yaml")
    if isinstance(got, LoadError):
        assert isinstance(tree, LoadError)
        assert got.diagnostic == tree.diagnostic
    else:
        assert isinstance(tree, Document)
        assert same_data(got.data, tree.data)

"""The line reader (``base/line_reader.py``) reads a file exactly as libyaml does, or declines it.

The loader reads nearly every audit line by line, and leaves anything else to libyaml's events
and node tree, which say what is wrong and where. So the one property that matters is: whatever
the line reader takes, libyaml's node tree reads as the same data (same values, same types, keys
in the same order), and it never takes a file the tree refuses. These tests check it on the case
files of tests/data/line-reader, on every YAML file bundled or used as test data, on documents
generated in the shape it reads, and on mutated audits; and that it does take the common shape,
so that the loader's fast path is not lost silently.
"""

from __future__ import annotations

import codecs
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hostile
from fuzzing import AUDITS, load_or_error, mutate, read_through_tree, same_data
from qaimpact.base import line_reader, loader
from qaimpact.base.core_schema import CORE_SCHEMA, IMPLICIT, WORD_STARTS, WORDS
from qaimpact.base.line_reader import DECLINED, line_position, read_lines, read_positions
from qaimpact.base.loader import MAX_DEPTH, LoadError, load_bytes
from qaimpact.models.findings import Location

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "line-reader"

#: Each case file: whether the line reader takes it, and the code of the finding where the
#: loader refuses it (from libyaml's reading).
CASES = {
    "nested-blocks.yaml": (True, None),
    "block-at-end-without-line-break.yaml": (False, None),
    "block-line-of-spaces.yaml": (False, None),
    "carriage-returns.yaml": (False, None),
    "double-quoted-escape.yaml": (False, None),
    "folded-indented-further.yaml": (False, None),
    "plain-text-over-two-lines.yaml": (False, None),
    "quoted-key.yaml": (False, None),
    "root-list.yaml": (False, None),
    "nested-flow.yaml": (False, None),
    "anchor-and-alias.yaml": (False, "QA111"),
    "colon-in-plain-text.yaml": (False, "QA101"),
    "control-character.yaml": (False, "QA101"),
    "indentation-matching-no-block.yaml": (False, "QA101"),
    "key-after-an-indented-list.yaml": (False, "QA101"),
    "key-twice.yaml": (False, "QA105"),
    "long-number.yaml": (False, "QA112"),
    "two-documents.yaml": (False, "QA109"),
}


def _lines(raw: bytes) -> Any:
    return read_lines(raw.decode("utf-8-sig"), MAX_DEPTH)


def _agrees(raw: bytes) -> bool:
    """Whether the line reader declines ``raw`` or reads what libyaml's tree reads, and places
    every key and value it can place where the tree does (:func:`_placed_alike`)."""
    got = _lines(raw)
    if got is DECLINED:
        return True
    tree = read_through_tree(raw)
    return not isinstance(tree, LoadError) and same_data(got, tree.data) and _placed_alike(raw, got, tree)


def _key_paths(data: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every path of keys alone in ``data``, and one key that is not there under each mapping."""
    found: list[tuple[str, ...]] = [(*prefix, "no_such_key")]
    if isinstance(data, dict):
        for key, value in data.items():
            found.append((*prefix, key))
            found += _key_paths(value, (*prefix, key)) if isinstance(value, dict) else []
    return found


def _placed_alike(raw: bytes, data: Any, tree: Any) -> bool:
    """Whether each position :func:`line_position` gives (a key's, with ``key``, and its value's)
    is the one libyaml's tree gives: the loader asks the lines before it composes the tree."""
    if raw.startswith(codecs.BOM_UTF8):
        return True  # the loader composes the tree for these
    lines = read_positions(raw.decode("utf-8"))
    for path in _key_paths(data):
        for key in (False, True):
            found = line_position(lines, path, key=key)
            if found is not None and found != tree.position(list(path), key=key):
                return False
    return True


def test_every_case_file_is_listed() -> None:
    assert sorted(p.name for p in DATA.glob("*.yaml")) == sorted(CASES)


@pytest.mark.parametrize(("name", "taken", "code"), [(n, *c) for n, c in CASES.items()])
def test_which_files_the_line_reader_takes(name: str, taken: bool, code: str | None) -> None:
    raw = (DATA / name).read_bytes()
    assert (_lines(raw) is not DECLINED) is taken
    assert _agrees(raw)
    tree = read_through_tree(raw, name)
    got = load_or_error(raw, name)
    if isinstance(got, LoadError):
        assert isinstance(tree, LoadError)
        assert got.diagnostic == tree.diagnostic
        assert got.diagnostic.code == code
    else:
        assert code is None
        assert same_data(got.data, tree.data)


def test_what_the_line_reader_makes_of_each_shape() -> None:
    data = _lines((DATA / "nested-blocks.yaml").read_bytes())
    assert data["period_reviewed"] == {"from": "2025-04-01", "to": "2025-09-30"}
    assert data["themes"] == ["neglect", "domestic abuse"]
    assert data["case"] == {
        "case_reference": "LCS-1",
        "child_in_care": True,
        "count": 12,
        "ratio": 0.5,
        "nothing": None,
        "also_nothing": None,
    }
    risk = data["practice_standards"]["risk_management"]
    assert risk == {
        "rating": "good",
        "evidence": "Placement risk assessment updated after a missing episode; return interview "
        "completed within 72 hours.\nA second paragraph.",
    }
    assessment = data["practice_standards"]["assessment"]
    assert assessment["evidence"] == "First line.\n  Indented further, kept.\n\nAfter an empty line.\n"
    assert assessment["notes"] == "Kept without its last line break."
    assert data["remedial_actions"][0]["tags"] == ["first", "it's"]
    assert data["remedial_actions"][0]["owner"] == "Dana O'Brien"
    assert data["url"] == "http://example.org/a#b"
    assert data["hash_inside"] == "C#, not a comment"


YAML_FILES = sorted(
    p
    for folder in (ROOT / "examples", ROOT / "tests" / "data", ROOT / "standards")
    for p in folder.rglob("*.y*ml")
)


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_bundled_and_test_file_is_read_alike_or_declined(path: Path) -> None:
    raw = path.read_bytes()
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    assert _agrees(raw)


def test_the_bundled_audits_are_read_line_by_line() -> None:
    """The fast path is the common path: every audit of examples/service is taken."""
    service = sorted((ROOT / "examples" / "service").rglob("*.yaml"))
    audits = [p for p in service if b"standards:" in p.read_bytes()]
    assert len(audits) >= 90
    assert [p.name for p in audits if _lines(p.read_bytes()) is DECLINED] == []


# -- Generated documents ----------------------------------------------------------------------------

_KEYS = st.sampled_from(["a", "rating", "evidence", "team", "x_1", "null", "true", "Key", "_k", "a1"])
#: Plain text the line reader reads, and words YAML reads otherwise (numbers, null, true).
_PLAIN = st.one_of(
    st.sampled_from(
        [
            "good",
            "Visits in timescale; seen alone",
            "12",
            "-3",
            "0.5",
            "1e3",
            "0x1F",
            "0o17",
            ".inf",
            "~",
            "null",
            "Null",
            "true",
            "False",
            "yes",
            "2026-10-14",
            "C#",
            "http://x.org/a",
            "a:b",
            "it's",
            'say "hi"',
            "a [b] {c}",
            "x , y",
            "=",
            "<<",
            "50%",
            "TRUE",
            "NULL",
            "nulls",
            "trueness",
            "~x",
            "1234-5",
            "123e-4",
            "12e-3",
            "-12-3",
            "+1.5E-3",
        ]
    ),
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12
    ),
)
_WORDS = st.sampled_from(
    [
        "a",
        "b c",
        "2025-04-01",
        "12",
        "null",
        "true",
        "x.y",
        "a/b",
        "1.5",
        "the child's view; seen.",
        "é",
        "x -y",
        "a?",
        "50%",
        "~",
        "-1",
        "a  b",
        "'q'",
        "x!",
        "False",
        "nothing",
        "1234-5",
        "123e-4",
    ]
)


@st.composite
def _value(draw: st.DrawFn, depth: int = 0) -> Any:
    kinds = ["scalar", "scalar", "block", "flow", "map", "list"] if depth < 3 else ["scalar"]
    kind = draw(st.sampled_from(kinds))
    if kind == "map":
        keys = draw(st.lists(_KEYS, min_size=1, max_size=4, unique=True))
        return {k: draw(_value(depth + 1)) for k in keys}
    if kind == "list":
        return [draw(_value(depth + 1)) for _ in range(draw(st.integers(1, 3)))]
    if kind == "block":
        line = st.sampled_from(["text", "more text", "", "  indented", "# not a comment"])
        lines = draw(st.lists(line, min_size=1, max_size=4))
        return ("block", draw(st.sampled_from(["|", "|-", ">", ">-"])), lines)
    if kind == "flow":
        if draw(st.booleans()):
            return ("flow", "[" + ", ".join(draw(st.lists(_WORDS, max_size=3))) + "]")
        keys = draw(st.lists(_KEYS, max_size=3, unique=True))
        return ("flow", "{" + ", ".join(f"{k}: {draw(_WORDS)}" for k in keys) + "}")
    text = draw(_PLAIN)
    style = draw(st.sampled_from(["plain", "plain", "single", "double"]))
    return ("scalar", style, text)


def _scalar_text(value: tuple[Any, ...]) -> str:
    if value[0] == "flow":
        return value[1]
    _, style, text = value
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return '"' + text + '"'
    return text


def _emit(value: Any, indent: int, step: int, compact: bool, out: list[str], comment: bool) -> None:
    """Write a mapping's or a list's lines, as people write them (the shapes libyaml reads)."""
    pad = " " * indent
    items = value.items() if isinstance(value, dict) else [(None, v) for v in value]
    for key, item in items:
        head = f"{pad}{key}:" if key is not None else f"{pad}-"
        if isinstance(item, (dict, list)) and item:
            if key is None and isinstance(item, dict):
                # A list item that is a mapping starts on the item's line.
                lines: list[str] = []
                _emit(item, indent + 2, step, compact, lines, comment)
                out.append(f"{pad}- " + lines[0][indent + 2 :])
                out.extend(lines[1:])
                continue
            out.append(head + (" # a comment" if comment else ""))
            inner = indent if compact and isinstance(item, list) and key is not None else indent + step
            _emit(item, inner, step, compact, out, comment)
        elif isinstance(item, (dict, list)):
            out.append(f"{head} {{}}" if isinstance(item, dict) else f"{head} []")
        elif item[0] == "block":
            out.append(f"{head} {item[1]}")
            out.extend(f"{pad}{' ' * step}{line}" if line else "" for line in item[2])
        else:
            out.append(f"{head} {_scalar_text(item)}")


@given(
    data=st.dictionaries(_KEYS, _value(), min_size=1, max_size=5),
    step=st.sampled_from([2, 4]),
    compact=st.booleans(),
    comment=st.booleans(),
)
@settings(max_examples=300)
def test_generated_documents_are_read_as_libyaml_reads_them(
    data: dict[str, Any], step: int, compact: bool, comment: bool
) -> None:
    lines: list[str] = []
    _emit(data, 0, step, compact, lines, comment)
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    assert _agrees(raw), raw.decode()


@given(
    data=st.dictionaries(
        _KEYS, st.sampled_from(["good", "Seen alone; plan updated.", "12", "true", "x y"]), min_size=1
    )
)
def test_the_common_shape_is_always_taken(data: dict[str, str]) -> None:
    """Plain words under name keys, nested once and listed: never declined."""
    text = "".join(f"{k}: {v}\n" for k, v in data.items())
    text += "case:\n  team: North\n  items:\n  - a\n  - b: 1\n    c: two words\n"
    raw = text.encode("utf-8")
    assert _lines(raw) is not DECLINED
    assert _agrees(raw)


@given(seed=st.integers(0, 2**32 - 1), edits=st.sampled_from([1, 2, 3, 6]))
@settings(max_examples=400)
def test_mutated_audits_are_read_alike_or_declined(seed: int, edits: int) -> None:
    rng = random.Random(seed)
    text = mutate(rng, rng.choice(AUDITS), most=edits)
    assert _agrees(text.encode("utf-8")), text


def test_the_loader_reads_the_common_shape_without_libyaml() -> None:
    """A file the line reader takes is read from its lines: libyaml's tree is composed only when a
    finding asks for a position, and it puts every value where the lines were read from."""
    raw = (DATA / "nested-blocks.yaml").read_bytes()
    doc = load_bytes(raw, "nested-blocks.yaml")
    assert doc.tree is None
    tree = read_through_tree(raw, "nested-blocks.yaml")
    # A key or its value is placed from the lines, as the tree places it, with no tree composed.
    rating = ["practice_standards", "assessment", "rating"]
    assert doc.locate(rating) == tree.locate(rating) == Location("nested-blocks.yaml", 25, 15)
    assert doc.locate(rating, key=True) == tree.locate(rating, key=True)
    assert doc.tree is None
    assert loader.read_lines is read_lines


def test_a_position_the_lines_cannot_give_is_the_tree_s() -> None:
    """A path through a list, a key that is not there and an empty value: the tree is composed,
    and gives each."""
    raw = (DATA / "nested-blocks.yaml").read_bytes()
    tree = read_through_tree(raw, "nested-blocks.yaml")
    for path in (
        ["remedial_actions", 0, "owner"],
        ["practice_standards", "no_such_key"],
        ["case", "also_nothing"],
    ):
        doc = load_bytes(raw, "nested-blocks.yaml")
        assert doc.locate(path) == tree.locate(path)
        assert doc.tree is not None


@pytest.mark.parametrize("mapping", [False, True], ids=["list", "mapping"])
def test_a_run_of_spaces_inside_a_value_in_braces_or_brackets_is_read_once(mapping: bool) -> None:
    """Regression (a review): ``[a<120,000 spaces>b]`` took minutes, a pattern backtracking over
    the run for each of its characters; it is read as libyaml reads it, in one pass
    (``benchmarks/bench_hostile.py`` times it)."""
    raw = hostile.flow_spaces(mapping=mapping).encode("utf-8")
    read = _lines(raw)
    assert read is not DECLINED
    word = "a" + " " * 120_000 + "b"
    assert read["added_value"] == ({"k": word} if mapping else [word])
    assert _agrees(raw)


def test_a_list_item_one_level_too_deep_is_declined() -> None:
    """Regression (a review): ``- []`` in a list at the deepest level the reader takes made a
    collection one level past it; the loader never asked, as its own test of the indentation
    sends such a file to libyaml's tree first, which refuses it (QA111)."""
    deep = "".join(" " * i + f"k{i}:\n" for i in range(MAX_DEPTH)) + " " * MAX_DEPTH + "- []\n"
    assert read_lines(deep, MAX_DEPTH) is DECLINED
    shallower = "".join(" " * i + f"k{i}:\n" for i in range(MAX_DEPTH - 2)) + " " * (MAX_DEPTH - 2) + "- []\n"
    assert _agrees(shallower.encode("utf-8"))
    assert read_lines(shallower, MAX_DEPTH) is not DECLINED
    refused = load_or_error(deep.encode("utf-8"), "deep.yaml")
    assert isinstance(refused, LoadError)
    assert refused.diagnostic.code == "QA111"


# -- Plain words and numbers, read without the core schema's patterns ---------------------------


#: The core schema's words, written out here (YAML 1.2, 10.3.2), and words that are not them.
_CORE_WORDS = {
    **dict.fromkeys(["true", "True", "TRUE"], True),
    **dict.fromkeys(["false", "False", "FALSE"], False),
    **dict.fromkeys(["null", "Null", "NULL", "~"], None),
}
_NEAR_WORDS = ["tRUE", "nulls", "no", "yes", "No", "Yes", "on", "off", "n", "t", "~x", "Falsey", "NULl"]


@pytest.mark.parametrize("word", [*_CORE_WORDS, *_NEAR_WORDS])
def test_each_word_is_read_as_the_core_schema_reads_it(word: str) -> None:
    by_table = line_reader._resolved(word, IMPLICIT[word[0]]) if word[0] in IMPLICIT else word
    assert by_table is _CORE_WORDS.get(word, by_table)
    # What the line reader reads, inline and inside brackets, is the table's reading.
    assert line_reader._value(word) == by_table
    assert type(line_reader._value(word)) is type(by_table)
    assert read_lines(f"a: {word}\n", MAX_DEPTH) == {"a": by_table}


def test_the_words_are_every_word_of_the_core_schema() -> None:
    assert WORDS == _CORE_WORDS


def test_only_words_start_with_the_characters_of_words() -> None:
    """No number starts with a character of WORD_STARTS, so a look-up in WORDS reads the rest as text."""
    starts = {tag: set(first) for tag, _, first in CORE_SCHEMA}
    assert (starts["bool"] | starts["null"]) == WORD_STARTS
    assert not WORD_STARTS & (starts["int"] | starts["float"])
    assert {word[0] for word in WORDS} <= WORD_STARTS


_NUMBERS = st.one_of(
    *(st.from_regex(pattern, fullmatch=True) for tag, pattern, _ in CORE_SCHEMA if tag in ("int", "float"))
)


@given(number=_NUMBERS)
def test_no_number_is_taken_for_a_date(number: str) -> None:
    """The patterns are skipped for text with a '-' fifth and no 'e' before it: never a number."""
    assert not line_reader._dated(number)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2026-11-03", "2026-11-03"),
        ("1234-5", "1234-5"),
        ("123e-4", 0.0123),
        ("+12-3", "+12-3"),
        ("12", 12),
        ("true", True),
        ("NULL", None),
        ("nulls", "nulls"),
        ("Tuesday", "Tuesday"),
    ],
)
def test_a_plain_value_and_the_same_in_brackets_read_alike(text: str, value: Any) -> None:
    read = read_lines(f"a: {text}\nb: [{text}]\nc: {{d: {text}}}\n", MAX_DEPTH)
    assert read == {"a": value, "b": [value], "c": {"d": value}}
    assert type(read["a"]) is type(value)
    assert _agrees(f"a: {text}\nb: [{text}]\nc: {{d: {text}}}\n".encode())

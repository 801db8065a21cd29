"""The one reading of a plain scalar: the YAML 1.2 core schema, as every reader in qaimpact uses it.

A plain scalar (text written without quotes) is a number, ``true`` or ``false``, null, or text,
by the table :data:`CORE_SCHEMA`. The loader's readings (:mod:`qaimpact.base.loader`, and
:mod:`qaimpact.base.line_reader` for the common shape of an audit) and the round trip that
rewrites files (:mod:`qaimpact.base.yaml12`) all resolve with it, so no two of them read a value
differently.
"""

from __future__ import annotations

import math
import re
from typing import Any

TAG = "tag:yaml.org,2002:"
NUMBER_TAGS = frozenset((TAG + "int", TAG + "float"))
#: The longest number read as a number. Python refuses to convert integers of more than 4,300
#: digits to and from text, and no audit holds a number of more than a few digits.
MAX_NUMBER_LENGTH = 100

#: The YAML 1.2 core schema: how a plain scalar is read (its tag, a pattern, the characters it can
#: start with). It is the one reading of YAML in qaimpact: the loader resolves with it, and the
#: round trip that rewrites files (``authoring/roundtrip.py``) gives ruamel.yaml the same table,
#: so ``validate`` and ``fmt``/``migrate`` never read a value differently (no dates, no ``0b``,
#: ``1_000`` or ``=`` values, which ruamel.yaml's own resolver has and libyaml's core schema not).
CORE_SCHEMA: tuple[tuple[str, str, str], ...] = (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
)
#: :data:`CORE_SCHEMA` indexed by the first character, so that most scalars are resolved with no
#: regular expression at all.
IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _regexp, _first in CORE_SCHEMA:
    for _char in _first:
        IMPLICIT.setdefault(_char, []).append((TAG + _tag, re.compile(_regexp)))
IMPLICIT[""] = [(TAG + "null", re.compile(r"^$"))]
#: The plain scalars :data:`CORE_SCHEMA` reads as true, false or null, each with its value: whole
#: words (and ``~``), so that a plain scalar starting with one of :data:`WORD_STARTS` is read by a
#: look-up, where the table's pattern would be tried (the line reader's hot path: ratings such as
#: not_applicable, names, and these words). ``yes`` and ``no`` are text in the core schema.
#: ``tests/test_line_reader.py`` holds the two readings equal.
WORDS: dict[str, Any] = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("~", "null", "Null", "NULL"), None),
}
#: The characters the bool and null spellings start with: a plain scalar starting with one of
#: them is one of :data:`WORDS` or text, as no number starts with them.
WORD_STARTS = frozenset("tTfFnN~")


def scalar_value(tag: str, value: str) -> Any:
    """The plain value of a scalar with this resolved tag (raises ``ValueError`` if it is not one)."""
    if tag == TAG + "str":
        return value
    if tag == TAG + "null":
        if value in ("", "~", "null", "Null", "NULL"):
            return None
        raise ValueError(value)
    if tag == TAG + "bool":
        lowered = value.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise ValueError(value)
    if tag == TAG + "int":
        return _int(value)
    if tag == TAG + "float":
        return _float(value)
    return value


def _int(value: str) -> int:
    text = value.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    if digits.startswith("0o"):
        return sign * int(digits[2:], 8)
    return sign * int(digits, 10)


def _float(value: str) -> float:
    lowered = value.lower()
    if lowered.lstrip("+-") == ".inf":
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(value)

"""The second reader of YAML: ruamel.yaml's round trip, reading exactly as the loader does.

``validate`` reads with libyaml (:mod:`qaimpact.base.loader`); ``fmt`` and ``migrate`` rewrite files
with ruamel.yaml's round trip, which keeps comments. This module makes the second reader agree
with the first: :class:`CoreResolver` gives it the loader's scalar resolution
(:data:`~qaimpact.base.loader.CORE_SCHEMA`), :func:`plain_value` turns what it reads into the
loader's plain values, and :func:`read_plain` does both. The loader uses :func:`read_plain` to
refuse the few files the two would read differently; ``authoring/`` builds its round trip on
:class:`CoreResolver`. ruamel.yaml is imported here only, and only when a file needs it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import TaggedScalar
from ruamel.yaml.nodes import MappingNode, SequenceNode
from ruamel.yaml.resolver import BaseResolver

from qaimpact.base.core_schema import CORE_SCHEMA, scalar_value


class CoreResolver(BaseResolver):
    """ruamel.yaml reading plain scalars exactly as the loader does (:data:`CORE_SCHEMA`).

    ruamel.yaml's own resolver also reads dates (and fails on an impossible one such as
    ``2026-02-30``), ``0b101``, ``1_000``, ``-0x1`` and ``=``, which the loader reads as text: with
    this one, a file ``validate`` accepts reads the same when ``fmt`` or ``migrate`` rewrite it,
    and text that looks like a date is written back without quotes.
    """

    yaml_implicit_resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}  # noqa: RUF012

    def __init__(self, version: Any = None, loader: Any = None, loadumper: Any = None) -> None:
        super().__init__(loader if loader is not None else loadumper)

    @property
    def processing_version(self) -> Any:
        # YAML 1.2: "012" is twelve, not an octal ten.
        return (1, 2)


for _tag, _pattern, _first in CORE_SCHEMA:
    for _char in _first:
        CoreResolver.yaml_implicit_resolvers.setdefault(_char, []).append(
            ("tag:yaml.org,2002:" + _tag, re.compile(_pattern))
        )
CoreResolver.yaml_implicit_resolvers.setdefault("", []).append(("tag:yaml.org,2002:null", re.compile(r"^$")))


def read_plain(text: str) -> Any:
    """What the round trip reads from ``text``, built into plain values as the loader builds them.

    ruamel.yaml parses and composes the text (with :class:`CoreResolver`); the values are then
    built from its nodes with the loader's own rules (a key is its text, a scalar its value by the
    one table), so a difference can only come from how the two libraries read the text. Raises
    ruamel.yaml's errors for text it cannot read.
    """
    yaml = YAML(typ="rt")
    yaml.Resolver = CoreResolver
    return _built(yaml.compose(text))


def _built(node: Any) -> Any:
    if node is None:
        return None
    if isinstance(node, MappingNode):
        return {str(key.value): _built(value) for key, value in node.value}
    if isinstance(node, SequenceNode):
        return [_built(item) for item in node.value]
    value = node.value
    if node.style == ">":
        # The round-trip scanner marks where a folded text was folded with "\a" (the constructor
        # removes the marks); no real BEL can be there, as a block text has no escapes.
        value = value.replace("\a", "")
    try:
        return scalar_value(str(node.tag), value)
    except ValueError:
        return value


def plain_value(value: Any) -> Any:
    """ruamel's round-trip objects as the plain values the loader builds (dates stay text)."""
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_value(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, TaggedScalar):
        # An explicit tag (`!!str 1`); the loader allows only the plain ones, and reads the text.
        return str(value.value)
    return value


def first_difference(a: Any, b: Any, path: list[Any] | None = None) -> list[Any] | None:
    """The path of the first value where two plain values differ (NaN equals NaN), or ``None``."""
    path = path or []
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            if key not in a or key not in b:
                return [*path, key]
            found = first_difference(a[key], b[key], [*path, key])
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for index, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, [*path, index])
            if found is not None:
                return found
        return None if len(a) == len(b) else path
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return None  # NaN
    return None if type(a) is type(b) and a == b else path

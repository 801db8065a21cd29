"""Write an imported audit in canonical form: the text ``qaimpact fmt`` would leave unchanged.

Formatting every row through ``fmt`` (ruamel.yaml's round trip) costs some 30 ms an audit, far
more than checking it, so a row is written here directly in fmt's form: keys in the order of the
framework's audit model (the order ``fmt`` sorts them into), two-space indentation, and each text
in the style fmt's YAML writer chooses for it. Plain text is recognised here; any other text is
styled by fmt's own writer (remembered per text), and a row whose text that cannot settle is
passed through :func:`qaimpact.authoring.fmt.format_text` whole. Tests check that ``fmt`` leaves
every imported audit unchanged.

Layout follows the examples: a blank line between the blocks of an audit (identity, each group
of standards, each section, the grade); lists of ids and periods on one line; long text folded.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import textwrap
import typing
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

from qaimpact.authoring.importing.mapping import _strip
from qaimpact.models.standard import Framework

#: The widest a one-line value may make its line; longer text is folded (as in examples/).
WIDTH = 105
#: Folded text is wrapped to this column.
FOLD = 88
_SAFE_START = re.compile(r"^[^\W_]", re.UNICODE)
_RESOLVES = frozenset({"true", "false", "null"})
_ISO_DATE = re.compile(r"^(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$")


def order(data: Any, annotation: Any) -> Any:
    """``data`` with every mapping's keys in the model's order (unknown keys last), as fmt sorts them."""
    kind, inner = _shape(annotation)
    if kind == "model" and isinstance(data, dict):
        keys = [k for k in inner if k in data] + [k for k in data if k not in inner]
        return {k: order(data[k], inner.get(k)) for k in keys}
    if kind == "list" and isinstance(data, list):
        return [order(v, inner) for v in data]
    return data


#: :func:`_shape` by the identity of the annotation (with the annotation, to keep it alive):
#: hashing a typing annotation such as ``list[X] | None`` costs more than the rest of ``order``.
_SHAPES: dict[int, tuple[Any, tuple[str, Any]]] = {}


def _shape(annotation: Any) -> tuple[str, Any]:
    """A model's fields (by key) or a list's item type, worked out once per annotation."""
    known = _SHAPES.get(id(annotation))
    if known is not None and known[0] is annotation:
        return known[1]
    shape = _work_out_shape(annotation)
    _SHAPES[id(annotation)] = (annotation, shape)
    return shape


def _work_out_shape(annotation: Any) -> tuple[str, Any]:
    current, _ = _strip(annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return "model", {info.alias or name: info.annotation for name, info in current.model_fields.items()}
    if typing.get_origin(current) is list:
        return "list", typing.get_args(current)[0]
    return "value", None


def _blocks(framework: Framework) -> dict[str, str]:
    """Which block of an audit each top-level key starts or belongs to (blank lines between)."""
    spec = framework.spec
    block = {g.id: g.id for g in spec.groups}
    for key in ("remedial_actions", "feedback", "domains", "learning_actions", "escalation", "moderation"):
        block[key] = key
    if spec.immediate_actions:
        block[spec.immediate_actions.key] = "immediate"
    block["added_value"] = block["added_value_comment"] = "added_value"
    block[spec.grades.key] = block["rationale"] = "grade"
    return block


class Styler:
    """Spell scalars as fmt's YAML writer does; ``unsure`` once a text may not settle."""

    def __init__(self) -> None:
        self.unsure = False

    def scalar(self, value: Any) -> str:
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        text = str(value)
        if _plain(text) or _is_date(text):
            # A date is written bare, as audits write it: fmt's writer reads it back as a date
            # and keeps it bare, and qaimpact's loader reads it as the same text.
            return text
        styled = _fmt_style(text)
        if styled is None:
            self.unsure = True
            return _double_quoted(text)
        return styled

    def flow(self, value: Any) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {self.flow(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(v) for v in value) + "]"
        text = self.scalar(value)
        if any(c in text for c in ",[]{}") and not text.startswith(('"', "'")):
            self.unsure = True
            return _double_quoted(str(value))
        return text


def _double_quoted(text: str) -> str:
    """Text in YAML's double quotes, escaping what is not printable: every reader reads it back alike."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char.isprintable() and char not in "\x85\u2028\u2029\ufeff":
            out.append(char)
        else:
            code = ord(char)
            out.append(
                f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
            )
    return '"' + "".join(out) + '"'


def _is_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _plain(text: str) -> bool:
    """Text that fmt's writer certainly leaves plain and every YAML reader reads back as text."""
    return bool(
        text
        and _SAFE_START.match(text)
        and not text[0].isdigit()
        and text.isprintable()
        and text == text.strip()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and text.casefold() not in _RESOLVES
    )


@functools.lru_cache(maxsize=4096)
def _fmt_style(text: str) -> str | None:
    """The text as fmt's YAML writer spells it on one line; ``None`` if it takes several lines."""
    out = io.StringIO()
    _writer().dump({"k": text}, out)
    written = out.getvalue()
    assert written.startswith("k: ")
    body = written[3:].removesuffix("\n")
    if body.startswith(("|", ">")) or any(c in body for c in "\n\x85\u2028\u2029") or not body.isprintable():
        return None
    return body


@functools.lru_cache(maxsize=1)
def _writer() -> Any:
    from qaimpact.authoring.fmt import _yaml

    return _yaml()


def _foldable(text: str, width: int) -> list[str] | None:
    """``text`` folded at spaces within ``width``, as textwrap would; ``None`` if it cannot be.

    Each line takes as many words as fit in ``width``, and a word longer than that a line of its
    own: the longest run of at most ``width`` characters that ends before a space or at the end,
    else one word (single spaces only, so every line starts and ends with a word)."""
    if not text.isprintable() or text != text.strip() or "  " in text:
        return None
    lines = _fold_pattern(width).findall(text)
    return lines if len(lines) > 1 else None


@functools.lru_cache(maxsize=64)
def _fold_pattern(width: int) -> re.Pattern[str]:
    return re.compile(rf"(.{{1,{width}}}(?= |$)|[^ ]+) ?")


def render(data: dict[str, Any], framework: Framework, comments: Sequence[str] = ()) -> tuple[str, bool]:
    """The audit's text, with ``comments`` at the top; and whether it is surely in fmt's form."""
    styler = Styler()
    lines = [f"# {c}".rstrip() for c in comments]
    block = _blocks(framework)
    current: str | None = None
    for key, value in data.items():
        this = block.get(key, "head")
        if current is not None and this != current:
            lines.append("")
        current = this
        _value_lines(lines, styler, f"{key}:", value, 0)
    return "\n".join(lines) + "\n", not styler.unsure


def _value_lines(lines: list[str], styler: Styler, prefix: str, value: Any, indent: int) -> None:
    """Append the lines of ``prefix`` and its value (one list for the whole audit: appending to
    it costs less than joining a list per key)."""
    if isinstance(value, str):
        text = styler.scalar(value)
        if len(prefix) + 1 + len(text) > WIDTH:
            folded = _foldable(value, FOLD - indent - 2)
            if folded is not None:
                pad = " " * indent
                lines.append(f"{prefix} >-")
                lines += [f"{pad}  {line}" for line in folded]
                return
        lines.append(f"{prefix} {text}")
        return
    if isinstance(value, dict):
        if _is_period(value):
            lines.append(f"{prefix} {styler.flow(value)}")
        elif not value:
            lines.append(f"{prefix} {{}}")
        else:
            lines.append(prefix)
            _mapping_lines(lines, styler, value, indent + 2)
        return
    if isinstance(value, list):
        if not value:
            lines.append(f"{prefix} []")
        elif all(not isinstance(v, dict | list) for v in value):
            lines.append(f"{prefix} {styler.flow(value)}")
        else:
            lines.append(prefix)
            for item in value:
                if isinstance(item, dict) and item:
                    _mapping_lines(lines, styler, item, indent + 2, first="- ")
                else:
                    _value_lines(lines, styler, " " * (indent + 2) + "-", item, indent + 4)
        return
    lines.append(f"{prefix} {styler.scalar(value)}")


def _is_period(value: dict[str, Any]) -> bool:
    return set(value) == {"from", "to"} and all(not isinstance(v, dict | list) for v in value.values())


def _mapping_lines(
    lines: list[str], styler: Styler, mapping: dict[str, Any], indent: int, first: str = ""
) -> None:
    pad = " " * indent
    rest = pad + " " * len(first)
    for i, (key, value) in enumerate(mapping.items()):
        lead = pad + first if i == 0 else rest
        _value_lines(lines, styler, f"{lead}{key}:", value, indent + len(first))


def printable(text: str) -> str:
    """Text a YAML comment can hold: each character that is not printable (a control character
    from a spreadsheet's cell, say, which YAML refuses anywhere in a file) is a space."""
    return "".join(c if c.isprintable() else " " for c in text)


def comment_lines(text: str, width: int = 96) -> Iterable[str]:
    """A note as comment text: printable characters only, long lines wrapped."""
    for line in text.splitlines() or [""]:
        clean = printable(line).rstrip()
        yield from textwrap.wrap(clean, width=width, subsequent_indent="    ") or [""]

"""Hostile inputs, generated: the tests use them and ``benchmarks/bench_hostile.py`` times them.

Each builder returns the text of a file (and, for the lift search, the framework it needs). They
are generated rather than kept under tests/data/ because they are large (up to 680 KB) and their
shape, not their bytes, is the point.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
#: A valid Cafcass audit, graded outstanding: the base every hostile audit is made from.
BASE = (DATA / "valid" / "cafcass-outstanding.yaml").read_text(encoding="utf-8")


def replace_line(text: str, start: str, new: str) -> str:
    """``text`` with the one line starting with ``start`` replaced by ``new``."""
    lines = text.splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.startswith(start)]
    assert len(hits) == 1, f"{start!r} starts {len(hits)} lines"
    lines[hits[0]] = new + "\n"
    return "".join(lines)


def line_of(text: str, start: str) -> int:
    """The 1-based number of the line starting with ``start``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def alias_fan_out(size: int = 100_000, aliases: int = 5_000) -> str:
    """One long text anchored once and repeated by aliases: 122 KB that expands to 500 MB.

    The text is in quotes: an anchor on plain text is refused before any alias is followed."""
    items = ", ".join(["*s"] * aliases)
    return replace_line(BASE, "added_value:", f"added_value: [&s '{'x' * size}', {items}]")


def flow_spaces(spaces: int = 120_000, mapping: bool = False) -> str:
    """The valid audit with ``added_value`` written ``[a<spaces>b]`` (or ``{k: a<spaces>b}``): one
    value with a run of spaces inside it, on one line of a file near 120 KB, which the line
    reader takes, and which a pattern that backtracked over the run read in minutes."""
    word = "a" + " " * spaces + "b"
    return replace_line(
        BASE, "added_value:", f"added_value: {{k: {word}}}" if mapping else f"added_value: [{word}]"
    )


def many_unknown_keys(count: int = 50_000) -> str:
    """A valid audit followed by ``count`` keys it does not define (680 KB)."""
    return BASE + "".join(f"k{i}: {i}\n" for i in range(count))


def huge_number(key: str, digits: int = 3_600, prefix: str = "0x", digit: str = "f") -> str:
    """The value of the first line starting with ``key:`` replaced by a number of ``digits`` digits."""
    line = next(ln for ln in BASE.splitlines() if ln.lstrip().startswith(f"{key}:"))
    indent = line[: len(line) - len(line.lstrip())]
    return replace_line(BASE, line, f"{indent}{key}: {prefix}{digit * digits}")


def wide_framework(standards: int = 120, at_least: int = 4, distinct: bool = False) -> str:
    """A framework with one group of ``standards`` standards and the rule "good needs at least
    ``at_least`` rated good".

    With ``distinct``, a rule that never holds names each standard on its own, so that no two
    standards play the same part in the rules and no symmetry shortens the lift search.
    """
    listed = "".join(f"      - {{id: s{i}, title: Standard {i}}}\n" for i in range(standards))
    breaker = ""
    if distinct:
        singles = "".join(
            f"          - {{standards: [s{i}], rated: weak, count: any}}\n" for i in range(standards)
        )
        breaker = f"  - grade: poor\n    when:\n      any_of:\n{singles}"
    # Every grade of the scale needs a rule that gives it (QA509): poor only with the breaker.
    poor = "    - {id: poor, label: Poor}\n" if distinct else ""
    return f"""format: 1
id: wide
version: "1"
title: Wide framework
grades:
  key: overall_grade
  good_or_better: good
  scale:
    - {{id: good, label: Good}}
    - {{id: fair, label: Fair}}
{poor}ratings:
  - {{id: good, label: Good}}
  - {{id: requires_improvement, label: Requires improvement}}
  - {{id: weak, label: Weak}}
groups:
  - id: practice
    title: Practice
    standards:
{listed}thresholds:
{breaker}  - grade: good
    summary: At least {at_least} standards are rated good
    when: {{standards: all, rated: good, at_least: {at_least}}}
  - grade: fair
    summary: Anything else
    otherwise: true
"""


def wide_audit(standards: int = 120) -> str:
    """An audit of :func:`wide_framework` with every standard rated requires improvement."""
    entries = "".join(
        f"  s{i}: {{rating: requires_improvement, evidence: Seen on file.}}\n" for i in range(standards)
    )
    return (
        "standards: wide\naudit_id: W-1\ncase: {}\npractitioner: Jo Bright\nreviewer: Sam Lee\n"
        f"review_date: 2026-10-01\npractice:\n{entries}"
    )

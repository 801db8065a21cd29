"""Inline SVG charts for the HTML reports, drawn without any library or script.

Every chart is an accessible image (``role="img"`` with a title and a description), writes its
values as text next to the marks so colour is never the only cue, and escapes every label: the
labels can come from audit files.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Colours for grades from best to worst; each has at least 3:1 contrast on white (WCAG 1.4.11).
GRADE_COLOURS = ("#1a7f37", "#0969da", "#9a6700", "#cf222e", "#6e7781")
INK = "#1f2328"
GRID = "#d0d7de"


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its length, the text written beside it, and its colour index."""

    label: str
    value: float
    text: str
    colour: int = 0


def _open(ident: str, width: int, height: int, title: str, desc: str) -> tuple[str, str]:
    # Ids come from the caller, so the same report always gives the same page.
    n = escape(ident)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="chart{n}-t chart{n}-d">'
        f'<title id="chart{n}-t">{escape(title)}</title><desc id="chart{n}-d">{escape(desc)}</desc>'
    )
    return head, "</svg>"


#: Widths of characters in ems, a little above those of the common sans-serif fonts (DejaVu Sans,
#: Arial, Segoe UI), so that a label measured here is never wider on the page than the room made
#: for it. No font is measured: the reports carry no script and the browser's font is unknown.
_NARROW = frozenset("iljtfr.,:;'|!()[] ")
_WIDE = frozenset("mwMW@%")


def text_width(text: str, size: float) -> float:
    """The width ``text`` takes at font size ``size``, estimated generously (see ``_NARROW``)."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.4
        elif char in _WIDE:
            ems += 1.0
        elif char.isupper() or char.isdigit() or not char.isascii():
            ems += 0.74
        else:
            ems += 0.64
    return ems * size


def _label_lines(label: str, chars: int, lines: int) -> tuple[list[str], bool]:
    """``label`` wrapped at word boundaries into at most ``lines`` lines of about ``chars``
    characters, and whether any of it had to be left out (the last line then ends in "…")."""
    wrapped = textwrap.wrap(label, chars, break_long_words=True) or [""]
    if len(wrapped) <= lines:
        return wrapped, False
    kept = wrapped[:lines]
    kept[-1] = _clip(kept[-1] + " " + wrapped[lines], chars)
    if not kept[-1].endswith("…"):
        kept[-1] = kept[-1][: chars - 1] + "…"
    return kept, True


def _multiline_text(
    lines: Sequence[str], x: float, y: float, line_h: int, attrs: str, full: str | None
) -> str:
    """A ``<text>`` of one or more lines (``<tspan>``s), with ``full`` as its ``<title>`` when the
    label was shortened, so that the whole of it is still there for a pointer or a screen reader."""
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{y + i * line_h:.1f}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    title = f"<title>{escape(full)}</title>" if full is not None else ""
    return f"<text {attrs}>{title}{spans}</text>"


def bar_chart(
    ident: str, title: str, bars: Sequence[Bar], *, maximum: float | None = None, width: int = 640
) -> Markup:
    """Horizontal bars with their labels on the left and their values on the right.

    A long label is wrapped onto up to three lines (and only then shortened, its whole text kept
    as the label's ``<title>``); the label column and the drawing are as wide as the labels and
    values need, so no text is clipped by the edge of the chart.
    """
    size, line_h, label_chars, max_lines = 13, 16, 30, 3
    labels = [_label_lines(b.label, label_chars, max_lines) for b in bars]
    label_w = max((text_width(line, size) for lines, _ in labels for line in lines), default=0) + 16
    value_w = max((text_width(b.text, size) for b in bars), default=0) + 14
    plot = max(200.0, width - label_w - value_w)
    total_w = round(label_w + plot + value_w + 0.5)
    rows = [max(26, len(lines) * line_h + 10) for lines, _ in labels]
    height = sum(rows) + 12 if bars else 38
    top = maximum if maximum else max((b.value for b in bars), default=0) or 1
    desc = "; ".join(f"{b.label}: {b.text}" for b in bars) or "No data."
    head, tail = _open(ident, total_w, height, title, desc)
    parts = [head]
    y = 6.0
    for bar, (lines, shortened), row in zip(bars, labels, rows, strict=True):
        length = 0 if top <= 0 else max(0.0, bar.value) / top * plot
        colour = GRADE_COLOURS[bar.colour % len(GRADE_COLOURS)]
        middle = y + row / 2
        first = middle - (len(lines) - 1) * line_h / 2 + 5
        parts.append(
            _multiline_text(
                lines,
                label_w - 8,
                first,
                line_h,
                f'text-anchor="end" fill="{INK}" font-size="{size}"',
                bar.label if shortened else None,
            )
            + f'<rect x="{label_w:.1f}" y="{middle - 9:.1f}" width="{length:.1f}" height="18" '
            f'fill="{colour}"/>'
            f'<text x="{label_w + length + 6:.1f}" y="{middle + 5:.1f}" fill="{INK}" font-size="{size}">'
            f"{escape(bar.text)}</text>"
        )
        y += row
    parts.append(tail)
    return Markup("".join(parts))


def grade_timeline(
    ident: str,
    title: str,
    grades: Sequence[str],
    points: Sequence[tuple[str, int, str]],
    width: int = 640,
    chains: Sequence[str] | None = None,
) -> Markup:
    """Grades over time: one marker per audit (date, grade rank, grade label), best grade on top.

    A line joins only the audits of one chain (``chains``: each point's chain, such as the re-audits
    of one case): grades of different cases are never drawn as one trajectory. Without ``chains``
    no line is drawn.

    The grade labels' column is as wide as the longest label, the dates under the markers have
    room at both ends, and when the markers are closer together than a date is wide the dates
    are set on staggered lines so that none overlaps another.
    """
    grade_size, date_size, top_pad, row, date_line = 12, 11, 14, 34, 14
    date_w = max((text_width(day, date_size) for day, _, _ in points), default=0)
    left = max(max((text_width(g, grade_size) for g in grades), default=0) + 16, date_w / 2 + 8, 60)
    right = max(20, date_w / 2 + 8)
    plot = max(200.0, width - left - right)
    total_w = round(left + plot + right + 0.5)
    step = plot / (len(points) - 1) if len(points) > 1 else 0
    stagger = 1 if step == 0 or step >= date_w + 8 else math.ceil((date_w + 8) / step)
    base = top_pad + row * max(1, len(grades) - 1) + 26
    height = base + (stagger - 1) * date_line + 14
    desc = "; ".join(f"{d}: {label}" for d, _, label in points) or "No audits."
    head, tail = _open(ident, total_w, height, title, desc)
    parts = [head]
    for rank, label in enumerate(grades):
        y = top_pad + rank * row
        parts.append(
            f'<line x1="{left:.1f}" x2="{left + plot:.1f}" y1="{y}" y2="{y}" stroke="{GRID}"/>'
            f'<text x="{left - 8:.1f}" y="{y + 4}" text-anchor="end" fill="{INK}" font-size="{grade_size}">'
            f"{escape(label)}</text>"
        )
    coords = [
        (left + (i * step if len(points) > 1 else plot / 2), top_pad + rank * row)
        for i, (_, rank, _) in enumerate(points)
    ]
    for chain in dict.fromkeys(chains or ()):
        members = [c for c, key in zip(coords, chains or (), strict=True) if key == chain]
        if len(members) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in members)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{INK}" stroke-width="1.5"/>')
    for i, ((x, y), (day, rank, label)) in enumerate(zip(coords, points, strict=True)):
        colour = GRADE_COLOURS[rank % len(GRADE_COLOURS)]
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}" stroke="{INK}">'
            f"<title>{escape(day)}: {escape(label)}</title></circle>"
            f'<text x="{x:.1f}" y="{base + (i % stagger) * date_line}" text-anchor="middle" fill="{INK}" '
            f'font-size="{date_size}">{escape(day)}</text>'
        )
    parts.append(tail)
    return Markup("".join(parts))


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"

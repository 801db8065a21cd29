"""Inline SVG charts for the HTML reports, drawn without any library or script.

Every chart is an accessible image (``role="img"`` with a title and a description), writes its
values as text next to the marks so colour is never the only cue, and escapes every label: the
labels can come from audit files.
"""

from __future__ import annotations

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


def bar_chart(
    ident: str, title: str, bars: Sequence[Bar], *, maximum: float | None = None, width: int = 640
) -> Markup:
    """Horizontal bars with their labels on the left and their values on the right."""
    row, label_w, value_w = 26, 230, 120
    height = row * max(1, len(bars)) + 12
    top = maximum if maximum else max((b.value for b in bars), default=0) or 1
    plot = width - label_w - value_w
    desc = "; ".join(f"{b.label}: {b.text}" for b in bars) or "No data."
    head, tail = _open(ident, width, height, title, desc)
    parts = [head]
    for i, bar in enumerate(bars):
        y = 6 + i * row
        length = 0 if top <= 0 else max(0.0, bar.value) / top * plot
        colour = GRADE_COLOURS[bar.colour % len(GRADE_COLOURS)]
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" fill="{INK}" font-size="13">'
            f"{escape(_clip(bar.label, 34))}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" fill="{colour}"/>'
            f'<text x="{label_w + length + 6:.1f}" y="{y + 16}" fill="{INK}" font-size="13">'
            f"{escape(bar.text)}</text>"
        )
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
    """
    left, right, top_pad, row = 190, 20, 14, 34
    height = top_pad * 2 + row * max(1, len(grades) - 1) + 40
    plot = width - left - right
    desc = "; ".join(f"{d}: {label}" for d, _, label in points) or "No audits."
    head, tail = _open(ident, width, height, title, desc)
    parts = [head]
    for rank, label in enumerate(grades):
        y = top_pad + rank * row
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y}" y2="{y}" stroke="{GRID}"/>'
            f'<text x="{left - 8}" y="{y + 4}" text-anchor="end" fill="{INK}" font-size="12">'
            f"{escape(label)}</text>"
        )
    step = plot / max(1, len(points) - 1) if len(points) > 1 else 0
    coords = [
        (left + (i * step if len(points) > 1 else plot / 2), top_pad + rank * row)
        for i, (_, rank, _) in enumerate(points)
    ]
    for chain in dict.fromkeys(chains or ()):
        members = [c for c, key in zip(coords, chains or (), strict=True) if key == chain]
        if len(members) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in members)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{INK}" stroke-width="1.5"/>')
    base = top_pad + row * max(1, len(grades) - 1) + 26
    for (x, y), (day, rank, label) in zip(coords, points, strict=True):
        colour = GRADE_COLOURS[rank % len(GRADE_COLOURS)]
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}" stroke="{INK}">'
            f"<title>{escape(day)}: {escape(label)}</title></circle>"
            f'<text x="{x:.1f}" y="{base}" text-anchor="middle" fill="{INK}" font-size="11">'
            f"{escape(day)}</text>"
        )
    parts.append(tail)
    return Markup("".join(parts))


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"

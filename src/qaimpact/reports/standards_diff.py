"""Render a framework diff as plain text for people."""

from __future__ import annotations

from typing import Any

from qaimpact.base.escaping import visible
from qaimpact.frameworks.diff import Change, FrameworkDiff, IdChanges

_SECTIONS = (
    ("grades", "Overall grades"),
    ("ratings", "Rating scale"),
    ("groups", "Groups"),
    ("standards", "Standards"),
    ("case_fields", "Case fields"),
    ("extra_fields", "Other audit fields"),
    ("domains", "Outcome domains"),
    ("indicators", "Indicators"),
    ("learning_areas", "Learning areas"),
    ("learning_points", "Learning points"),
    ("added_value", "Added value categories"),
    ("audit_types", "Audit types"),
)


def _short(value: Any, size: int = 90) -> str:
    text = visible(" ".join(str(value).split())) if value is not None else "(none)"
    return text if len(text) <= size else text[: size - 1] + "…"


def _change(change: Change) -> str:
    return f"    ~ {change.what}: {_short(change.old)} -> {_short(change.new)}"


def _ids(title: str, ids: IdChanges) -> list[str]:
    if ids.empty:
        return []
    lines = [f"  {title}:"]
    lines += [f"    + {i}" for i in ids.added]
    lines += [f"    - {i}" for i in ids.removed]
    lines += [f"    > {r.old} renamed {r.new}" for r in ids.renamed]
    lines += [_change(c) for c in ids.changed]
    return lines


def render_text(diff: FrameworkDiff) -> str:
    """One section per kind of change; ``+`` added, ``-`` removed, ``>`` renamed, ``~`` changed."""
    head = f"Changes from {diff.a} to {diff.b}"
    if diff.migration:
        head += f" (renames, merges and splits from the migration: {diff.migration})"
    if diff.empty:
        return head + ": none.\n"
    lines = [head + ":"]
    if diff.metadata:
        lines += ["  Framework:"] + [_change(c) for c in diff.metadata]
    for name, title in _SECTIONS:
        lines += _ids(title, getattr(diff, name))
    if diff.merged:
        lines += ["  Merged standards:"]
        lines += [f"    {', '.join(m.old)} -> {m.new} (ratings combined: {m.combine})" for m in diff.merged]
    if diff.split:
        lines += ["  Split standards:"]
        lines += [
            f"    {s.old} -> {', '.join(s.new)}"
            + (" (rating copied)" if s.copy_rating else " (each needs a reviewer's rating)")
            for s in diff.split
        ]
    for std in diff.changed_standards:
        name = std.id if std.id == std.old_id else f"{std.old_id} -> {std.id}"
        lines += [f"  Standard {name}:"] + [_change(c) for c in std.changes]
    if diff.thresholds:
        lines += ["  Threshold rules:"] + [_change(c) for c in diff.thresholds]
    return "\n".join(lines) + "\n"

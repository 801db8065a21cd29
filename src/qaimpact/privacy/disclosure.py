"""Counts and shares as reports show them, with small-number suppression for publication.

Every figure a report prints is built here, so that a published report (``--publish``) hides the
same small counts everywhere: a count from 1 to 4 shows as ``<5`` and any share built on a hidden
count is suppressed with it.
"""

from __future__ import annotations

from typing import Any

SUPPRESSED = "<5"


def count(n: int, publish: bool = False) -> dict[str, Any]:
    """A count, and how to show it (1 to 4 are suppressed in published reports)."""
    hidden = publish and 1 <= n <= 4
    return {"n": None if hidden else n, "text": SUPPRESSED if hidden else str(n)}


def share(part: int, whole: int, publish: bool = False) -> dict[str, Any]:
    """A percentage, always shown with its counts (unless a count is suppressed)."""
    if whole == 0:
        return {"pct": None, "count": count(part, publish), "of": count(whole, publish), "text": "no audits"}
    part_count, of = count(part, publish), count(whole, publish)
    if part_count["n"] is None or of["n"] is None:
        return hidden_share(part_count, of)
    pct = round(100 * part / whole)
    return {"pct": pct, "count": part_count, "of": of, "text": f"{pct}% ({part} of {whole})"}


def hidden_share(part: dict[str, Any], of: dict[str, Any]) -> dict[str, Any]:
    """A suppressed share: no counts in the text, as they could be combined with other figures
    to recover the hidden one."""
    return {"pct": None, "count": part, "of": of, "text": "suppressed"}


SECONDARY = "*"


def protect_sum(parts: list[dict[str, Any]], total: dict[str, Any]) -> None:
    """Hide one more count where a total and all but one of its parts would give a hidden part away.

    ``parts`` are counts (from :func:`count`) that add up to ``total``. When the total is shown and
    exactly one part is hidden, the smallest shown non-zero part is hidden too (shown ``*``), or
    the total when there is none, so that no hidden count can be worked out by subtraction.
    """
    hidden = [p for p in parts if p["n"] is None]
    if total["n"] is None or len(hidden) != 1:
        return
    shown = sorted((p for p in parts if p["n"]), key=lambda p: p["n"])
    target = shown[0] if shown else total
    target.update({"n": None, "text": SECONDARY})


def protect_parts(total: dict[str, Any], parts: list[dict[str, Any]]) -> None:
    """Hide more counts where the shown ones would give a hidden part of ``total`` away.

    ``parts`` are counts (from :func:`count`) that add up to ``total``. A hidden part is worked
    out when the total less the shown parts leaves it one possible value: when it is the only
    one hidden, or when several hidden counts of 1 to 4 must each be 1 (or each 4) to add up.
    While one can be, the smallest shown non-zero part is hidden too (shown ``*``), or the total
    when there is none.
    """
    while total["n"] is not None:
        hidden = [p for p in parts if p["n"] is None]
        if not hidden:
            return
        rest = total["n"] - sum(p["n"] for p in parts if p["n"] is not None)
        # What a reader knows of each hidden count: 1 to 4 when shown <5, else at least 1.
        bounds = [(1, 4) if p["text"] == SUPPRESSED else (1, rest) for p in hidden]
        low, high = sum(b[0] for b in bounds), sum(b[1] for b in bounds)
        forced = any(max(lo, rest - (high - hi)) == min(hi, rest - (low - lo)) for lo, hi in bounds)
        if not forced:
            return
        shown = sorted((p for p in parts if p["n"]), key=lambda p: p["n"])
        target = shown[0] if shown else total
        target.update({"n": None, "text": SECONDARY})

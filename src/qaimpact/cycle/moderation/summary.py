"""Moderation's section of the quarterly summary, with disclosure control for ``--publish``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from qaimpact.audits.records import AuditRecord
from qaimpact.cycle.moderation.pairs import (
    DEFAULT_WINDOW,
    DIRECTION_LABELS,
    DIRECTIONS,
    GRADE_BASIS,
    SAME,
    Pair,
    find_pairs,
)
from qaimpact.cycle.moderation.report import (
    DEFAULT_WEIGHTS,
    WEIGHT_LABELS,
    Pool,
    kappa_figure,
    marked_pairs,
    moderated_count,
    own_scale,
    pair_counts,
    pools,
    tally,
)
from qaimpact.cycle.moderation.stats import (
    Kappa,
    cohens_kappa,
)
from qaimpact.models.standard import Framework
from qaimpact.privacy.disclosure import SUPPRESSED, count, hidden_share, share

#: The counts behind one line of the summary by name, each as a cell that may yet be suppressed.
Cells = dict[str, dict[str, Any]]


def _cells(
    counts: dict[str, int], records: Sequence[AuditRecord] | None = None, pairs: Sequence[Pair] = ()
) -> Cells:
    """Pairs by direction, and the ``records`` moderated (first marks in ``pairs``) or not."""
    cells = {name: count(n) for name, n in counts.items()}
    if records is not None:
        moderated = moderated_count(records, marked_pairs(pairs))
        cells |= {
            "audits": count(len(records)),
            "moderated": count(moderated),
            "not_moderated": count(len(records) - moderated),
        }
    return cells


def _suppress(cells: list[dict[str, Any]], sums: list[list[dict[str, Any]]]) -> None:
    """Hide counts from 1 to 4 (``<5``), then any count that the others would give away (``*``).

    Each of ``sums`` is a set of counts that add up (the last is the total of the others): where
    exactly one of a set is hidden it could be worked out, so the smallest other non-zero count
    of the set is hidden too, until no hidden count stands alone.
    """
    hidden = {id(c) for c in cells if 1 <= c["n"] <= 4}
    secondary: set[int] = set()
    changed = True
    while changed:
        changed = False
        for members in sums:
            if sum(id(c) in hidden for c in members) != 1:
                continue
            # A total is never hidden alone with all its parts 0, so there is always another.
            target = min((c for c in members if id(c) not in hidden and c["n"] > 0), key=lambda c: c["n"])
            hidden.add(id(target))
            secondary.add(id(target))
            changed = True
    for cell in cells:
        if id(cell) in hidden:
            cell.update(n=None, text="*" if id(cell) in secondary else SUPPRESSED)


def _shown_share(part: dict[str, Any], whole: dict[str, Any]) -> dict[str, Any]:
    if part["n"] is None or whole["n"] is None:
        return hidden_share(dict(part), dict(whole))
    return share(part["n"], whole["n"])


def _summary_line(cells: Cells, result: Kappa | None, publish: bool) -> dict[str, Any]:
    line: dict[str, Any] = {}
    if "audits" in cells:
        line["audits"] = dict(cells["audits"])
        line["moderated"] = _shown_share(cells["moderated"], cells["audits"])
    line["pairs"] = dict(cells["pairs"])
    line["agreement"] = _shown_share(cells[SAME], cells["pairs"])
    if result is not None:
        line["kappa"] = kappa_figure(result, publish=publish, shown=cells["pairs"])
    line["direction"] = [
        {
            "direction": d,
            "label": DIRECTION_LABELS[d],
            "count": dict(cells[d]),
            "share": _shown_share(cells[d], cells["pairs"]),
        }
        for d in DIRECTIONS
    ]
    return line


def _protect(total: Cells, frameworks: list[Cells], pooled: list[tuple[list[Cells], Cells]]) -> None:
    """Suppress the summary's counts for publication.

    Each line adds up (directions to pairs, moderated and not to audits); the frameworks' lines
    add up to the total line, and their pairs to each pooled line's (a pooled line's directions
    are on the shared scale, so they need not add up to the frameworks').
    """
    lines = [total, *frameworks, *(cells for _, cells in pooled)]
    sums = [[line[d] for d in DIRECTIONS] + [line["pairs"]] for line in lines]
    sums += [[line["moderated"], line["not_moderated"], line["audits"]] for line in (total, *frameworks)]
    sums += [[line[name] for line in frameworks] + [total[name]] for name in total]
    sums += [[m["pairs"] for m in members] + [cells["pairs"]] for members, cells in pooled]
    _suppress([cell for line in lines for cell in line.values()], sums)


def summary_section(records: Sequence[AuditRecord], *, today: dt.date, publish: bool) -> dict[str, Any]:
    """The moderation figures for the quarterly summary; with ``publish``, no names, ids or files.

    Double-marking uses the default window (:data:`DEFAULT_WINDOW` days) and kappa the default
    linear weights. Published figures hide counts from 1 to 4 and any count that could be worked
    out from the others (across frameworks too), and the kappa built on a hidden number of
    pairs. Moderation has no ages, so ``today`` is not used; every step of the cycle takes it.
    """
    del today
    pairs = find_pairs(records, DEFAULT_WINDOW)
    total = _cells(pair_counts(pairs), records, pairs)
    own: list[tuple[Framework, Cells, Kappa]] = []
    for fw in sorted({r.framework.id: r.framework for r in records}.values(), key=lambda f: f.id):
        mine = [p for p in pairs if p.framework.id == fw.id]
        table, result = own_scale(mine, fw, DEFAULT_WEIGHTS)
        own.append((fw, _cells(tally(table), [r for r in records if r.framework.id == fw.id], mine), result))
    shared: list[tuple[Pool, Cells, Kappa]] = []
    for pool in pools(pairs)[0]:
        table = pool.table()
        shared.append((pool, _cells(tally(table)), cohens_kappa(table, DEFAULT_WEIGHTS)))
    if publish:
        members = [([c for fw, c, _ in own if pool.includes(fw)], cells) for pool, cells, _ in shared]
        _protect(total, [cells for _, cells, _ in own], members)
    return {
        "grade_basis": GRADE_BASIS,
        "window_days": DEFAULT_WINDOW,
        "weights": DEFAULT_WEIGHTS,
        "weights_label": WEIGHT_LABELS[DEFAULT_WEIGHTS],
        **_summary_line(total, None, publish),
        "frameworks": [
            {"framework": {"id": fw.id, "title": fw.spec.title}, **_summary_line(cells, result, publish)}
            for fw, cells, result in own
        ],
        "pooled": [
            {**pool.info(), **_summary_line(cells, result, publish)} for pool, cells, result in shared
        ],
    }

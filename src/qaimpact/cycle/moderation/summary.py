"""Moderation's section of the quarterly summary, with disclosure control for ``--publish``."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Sequence
from typing import Any

from qaimpact.audits.records import AuditRecord
from qaimpact.cycle.moderation.pairs import (
    DEFAULT_WINDOW,
    DIRECTION_LABELS,
    DIRECTIONS,
    DOWN,
    GRADE_BASIS,
    SAME,
    UP,
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
    pools,
)
from qaimpact.cycle.moderation.stats import (
    Kappa,
    cohens_kappa,
)
from qaimpact.models.standard import Framework
from qaimpact.privacy.disclosure import Figures


def _possible(fw: Framework, pool: Pool | None) -> set[tuple[str, str | None]]:
    """The pairs (direction on the framework's own grades, direction on the pool's shared scale)
    a pair of marks can have: a reader who knows the scales knows no other can happen."""
    found: set[tuple[str, str | None]] = set()
    levels = {level: i for i, level in enumerate(pool.levels)} if pool is not None else {}
    for first in fw.grade_rank:
        for second in fw.grade_rank:
            own = _direction(fw.grade_rank[first], fw.grade_rank[second])
            shared = None
            if pool is not None:
                shared = _direction(levels[fw.comparison_level[first]], levels[fw.comparison_level[second]])
            found.add((own, shared))
    return found


def _direction(first: int, second: int) -> str:
    """As :attr:`Pair.direction`: ``down`` when the second mark is worse (a higher rank)."""
    return DOWN if second > first else UP if second < first else SAME


def _line(
    figures: Figures,
    audits: dict[str, Any] | None,
    moderated: dict[str, Any] | None,
    pairs: dict[str, Any],
    directions: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    line: dict[str, Any] = {}
    if audits is not None and moderated is not None:
        line["audits"] = audits
        line["moderated"] = figures.share(moderated, audits)
    line["pairs"] = pairs
    line["agreement"] = figures.share(directions[SAME], pairs)
    line["direction"] = [
        {
            "direction": d,
            "label": DIRECTION_LABELS[d],
            "count": directions[d],
            "share": figures.share(directions[d], pairs),
        }
        for d in DIRECTIONS
    ]
    return line


def _kappa(line: dict[str, Any], result: Kappa, publish: bool) -> None:
    line["kappa"] = kappa_figure(result, publish=publish, shown=line["pairs"])


def summary_section(
    records: Sequence[AuditRecord],
    *,
    today: dt.date,
    publish: bool,
    figures: Figures | None = None,
    counted: Sequence[AuditRecord] | None = None,
    double_marking: Sequence[Pair] | None = None,
) -> dict[str, Any]:
    """The moderation figures for the quarterly summary; with ``publish``, no names, ids or files.

    Double-marking uses the default window (:data:`DEFAULT_WINDOW` days) and kappa the default
    linear weights. Every count is a sum of cells of ``figures`` (the summary's ledger, or one of
    its own): each pair of marks in one cell of (framework, direction on its grades, direction on
    a pooled scale), each audit in one of (framework, moderated by a moderation block, by
    double-marking only, or not at all). The audits are ``counted`` (by default every one of
    ``records``): the summary counts a double-marked case once (:func:`.once.count_once`), and
    so does this section, as a case moderated by double-marking, while its pairs are of every
    audit (``double_marking``: their double-marking pairs, where the caller has them already,
    :attr:`.once.CountedOnce.marked`). The frameworks' lines add up to the total line, their
    audits are the frameworks' audits, and their moderated audits include those the summary
    counts as moderated, so a published summary protects them together. A kappa is published
    only beside a number of pairs that is shown, and only with :data:`SMALL_N` pairs or more.
    Moderation has no ages, so ``today`` is not used; every step of the cycle takes it.
    """
    del today
    ledger = figures if figures is not None else Figures(publish)
    pairs = find_pairs(records, DEFAULT_WINDOW, marked=double_marking)
    pooled = pools(pairs)[0]
    marked = marked_pairs(pairs)
    own: list[tuple[Framework, dict[str, Any], Kappa]] = []
    cells_by_fw: dict[str, dict[tuple[str, str | None], dict[str, Any]]] = {}
    for fw in sorted({r.framework.id: r.framework for r in records}.values(), key=lambda f: f.id):
        mine = [p for p in pairs if p.framework.id == fw.id]
        pool = next((p for p in pooled if p.includes(fw)), None)
        levels = {level: i for i, level in enumerate(pool.levels)} if pool is not None else {}
        seen: Counter[tuple[str, str | None]] = Counter()
        for p in mine:
            on_pool = None
            if pool is not None:
                on_pool = _direction(
                    levels[fw.comparison_level[p.first_grade]], levels[fw.comparison_level[p.second_grade]]
                )
            seen[(p.direction, on_pool)] += 1
        cells = {
            key: ledger.count(seen[key], shown=False, guard=False)
            for key in sorted(_possible(fw, pool) | set(seen), key=str)
        }
        cells_by_fw[fw.id] = cells
        directions = {d: ledger.total([c for (o, _), c in cells.items() if o == d]) for d in DIRECTIONS}
        fw_pairs = ledger.total(list(directions.values()))
        fw_records = [r for r in (records if counted is None else counted) if r.framework.id == fw.id]
        by_block = sum(1 for r in fw_records if r.data.get("moderation"))
        block = ledger.count(by_block, shown=False)
        double = ledger.count(moderated_count(fw_records, marked) - by_block, shown=False)
        not_moderated = ledger.count(len(fw_records) - moderated_count(fw_records, marked), shown=False)
        fw_moderated = ledger.total([block, double])
        fw_audits = ledger.total([fw_moderated, not_moderated])
        for name, mine_cell in ((("audits", fw.id), fw_audits), (("moderated", fw.id), block)):
            if name in ledger.names:
                ledger.same([mine_cell], [ledger.names[name]])
        _, result = own_scale(mine, fw, DEFAULT_WEIGHTS)
        line = _line(ledger, fw_audits, fw_moderated, fw_pairs, directions)
        own.append((fw, line, result))
    total = _line(
        ledger,
        ledger.total([line["audits"] for _, line, _ in own]),
        ledger.total([line["moderated"]["count"] for _, line, _ in own]),
        ledger.total([line["pairs"] for _, line, _ in own]),
        {
            d: ledger.total(
                [next(x["count"] for x in line["direction"] if x["direction"] == d) for _, line, _ in own]
            )
            for d in DIRECTIONS
        },
    )
    if ("audits",) in ledger.names:
        ledger.same([total["audits"]], [ledger.names[("audits",)]])
    shared: list[tuple[Pool, dict[str, Any], Kappa]] = []
    for pool in pooled:
        members = [line for fw, line, _ in own if pool.includes(fw)]
        member_cells = [c for fw, _, _ in own if pool.includes(fw) for c in cells_by_fw[fw.id].items()]
        # Shown: the pooled row shows each as a share. On these scales they are often the
        # frameworks' own directions again (the same cells), and so one number with the total
        # line's, which the ledger then shows or hides in both places at once.
        directions = {d: ledger.total([c for (_, o), c in member_cells if o == d]) for d in DIRECTIONS}
        pool_pairs = ledger.total(list(directions.values()))
        ledger.breakdown(pool_pairs, [line["pairs"] for line in members])
        shared.append(
            (
                pool,
                _line(ledger, None, None, pool_pairs, directions),
                cohens_kappa(pool.table(), DEFAULT_WEIGHTS),
            )
        )
    section = {
        "grade_basis": GRADE_BASIS,
        "window_days": DEFAULT_WINDOW,
        "weights": DEFAULT_WEIGHTS,
        "weights_label": WEIGHT_LABELS[DEFAULT_WEIGHTS],
        **total,
        "frameworks": [{"framework": {"id": fw.id, "title": fw.spec.title}, **line} for fw, line, _ in own],
        "pooled": [{**pool.info(), **line} for pool, line, _ in shared],
    }
    results = [result for _, _, result in own] + [result for _, _, result in shared]
    for line, result in zip(section["frameworks"] + section["pooled"], results, strict=True):
        ledger.then(functools.partial(_kappa, line, result, ledger.publish))
    if figures is None:
        ledger.protect()
    return section

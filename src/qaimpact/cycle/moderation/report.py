"""The moderation report: agreement, weighted kappa and its strength, directions, reviewers.

Per framework on its own grade scale, and pooled across frameworks only on a comparison scale
they share (:func:`pools`); :func:`moderation_view` is the report and :func:`rows` its CSV form.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from qaimpact.audits.dataset import Dataset
from qaimpact.audits.quarters import Quarters
from qaimpact.audits.records import AuditRecord
from qaimpact.base.errors import UsageError
from qaimpact.cycle.common import days, iso, left_out, period_view
from qaimpact.cycle.moderation.pairs import (
    DEFAULT_WINDOW,
    DIRECTION_LABELS,
    DIRECTIONS,
    DOWN,
    GRADE_BASIS,
    KIND_LABELS,
    KINDS,
    SAME,
    UP,
    Pair,
    auditor_grade,
    find_pairs,
)
from qaimpact.cycle.moderation.stats import (
    WEIGHTS,
    Kappa,
    Weights,
    cohens_kappa,
    is_weights,
    table_from_pairs,
)
from qaimpact.models.audit import person_key
from qaimpact.models.standard import Framework
from qaimpact.privacy.disclosure import Shown, count, share

WEIGHT_LABELS = {"none": "unweighted", "linear": "linear weights", "quadratic": "quadratic weights"}

DEFAULT_WEIGHTS: Weights = "linear"

#: Below this many pairs kappa is too unstable to read much into.
SMALL_N = 10

#: Landis & Koch (1977), The measurement of observer agreement for categorical data, Biometrics
#: 33(1), 159-174: the usual words for a kappa, as (lowest kappa, word), highest first.
STRENGTH = (
    (0.81, "almost perfect"),
    (0.61, "substantial"),
    (0.41, "moderate"),
    (0.21, "fair"),
    (0.0, "slight"),
)


COLUMNS = [
    "kind",
    "framework",
    "audit_id",
    "file",
    "review_date",
    "reviewer",
    "grade",
    "second_audit_id",
    "second_file",
    "second_date",
    "second_marker",
    "second_grade",
    "direction",
    "days_apart",
    "notes",
]


def _fixed(value: float) -> str:
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _two(value: float) -> float:
    """``value`` to two decimals, as :func:`_fixed` writes it (never ``-0.0``)."""
    return float(_fixed(value))


def strength(kappa: float) -> str:
    """Landis and Koch's word for a kappa: poor, slight, fair, moderate, substantial or almost perfect."""
    rounded = round(kappa, 2)  # the bands are for kappas to two decimals, as reports show them
    return next((word for lowest, word in STRENGTH if rounded >= lowest), "poor")


def kappa_figure(
    result: Kappa, *, publish: bool = False, shown: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A kappa as reports show it: the figures, a line of text, and a note when it needs one.

    ``shown`` is its number of pairs as the report shows it (default: ``count(result.n,
    publish)``); a kappa whose number of pairs is hidden is suppressed with it. A published kappa
    needs :data:`SMALL_N` pairs or more: below that it is unreliable, and a kappa with its
    confidence interval and the agreement of a handful of pairs narrows down how they were
    graded. Published figures leave out the observed and expected agreement, which would give
    the counts away.
    """
    n = dict(shown) if shown is not None else count(result.n, publish)
    figure: dict[str, Any] = {
        **result.to_dict(),
        "n": n,
        "weights_label": WEIGHT_LABELS[result.weights],
        "small": 0 < result.n < SMALL_N,
        "strength": None,
        "text": Shown(""),
        "note": None,
    }
    if publish:
        figure.update(observed=None, expected=None)
    if n["n"] is None or (publish and result.n < SMALL_N):
        figure.update(kappa=None, standard_error=None, ci=None, undefined=None, small=False)
        why = "its number of pairs is hidden" if n["n"] is None else f"fewer than {SMALL_N} pairs"
        figure.update(text=Shown("suppressed"), note=f"Not published: {why}.")
        return figure
    if result.kappa is None or result.ci is None:
        # The number of pairs is in its own column, beside the figure: not repeated inside it.
        figure["text"] = Shown("cannot be worked out")
        figure["note"] = f"Kappa cannot be worked out: {result.undefined}."
        return figure
    low, high = result.ci
    figure["strength"] = strength(result.kappa)
    if publish:
        # A published report gives the figures as its page writes them, to two decimals: with
        # the number of pairs, a kappa and its standard error to sixteen digits narrow down the
        # table of marks they come from, which publishing never shows.
        figure.update(
            kappa=_two(result.kappa),
            standard_error=None if result.standard_error is None else _two(result.standard_error),
            ci=[_two(low), _two(high)],
        )
    # The number of pairs and the weights are said once, beside the figure (a "Pairs" column,
    # the report's note on kappa), not repeated on every row.
    figure["text"] = Shown(f"{_fixed(result.kappa)} (95% CI {_fixed(low)} to {_fixed(high)})")
    if figure["small"]:
        figure["note"] = (
            f"Only {result.n} pair{'s' if result.n != 1 else ''}: with fewer than {SMALL_N}, kappa is "
            "unreliable; read it with its confidence interval."
        )
    return figure


def own_scale(pairs: Sequence[Pair], fw: Framework, weights: Weights) -> tuple[list[list[int]], Kappa]:
    """The table of first against second marks on a framework's own grades, and its kappa."""
    ranks = [(fw.grade_rank[p.first_grade], fw.grade_rank[p.second_grade]) for p in pairs]
    table = table_from_pairs(ranks, len(fw.grade_rank))
    return table, cohens_kappa(table, weights)


def _grade(fw: Framework, grade: str) -> dict[str, Any]:
    return {"id": grade, "label": fw.grade_labels[grade], "rank": fw.grade_rank[grade]}


def _level_label(level: str) -> str:
    return level.replace("_", " ").capitalize()


def tally(table: Sequence[Sequence[int]]) -> dict[str, int]:
    """Pairs in a table of first (rows) against second marks (columns), both best first, and how
    many the second marker put lower (``down``), the same or higher (``up``)."""
    cells = [(i, j, n) for i, row in enumerate(table) for j, n in enumerate(row)]
    return {
        "pairs": sum(n for _, _, n in cells),
        DOWN: sum(n for i, j, n in cells if j > i),
        SAME: sum(n for i, j, n in cells if j == i),
        UP: sum(n for i, j, n in cells if j < i),
    }


def pair_counts(pairs: Sequence[Pair]) -> dict[str, int]:
    """As :func:`tally`, from pairs of any frameworks, each on its own scale."""
    found = Counter(p.direction for p in pairs)
    return {"pairs": len(pairs), **{d: found[d] for d in DIRECTIONS}}


def _agreement(counts: dict[str, int]) -> dict[str, Any]:
    return share(counts[SAME], counts["pairs"])


def _directions(counts: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "direction": d,
            "label": DIRECTION_LABELS[d],
            "count": count(counts[d]),
            "share": share(counts[d], counts["pairs"]),
        }
        for d in DIRECTIONS
    ]


def _crosstab(labels: list[str], table: list[list[int]]) -> dict[str, Any]:
    """First marks down the side, second marks across, with totals."""
    return {
        "labels": labels,
        "rows": [
            {"label": label, "counts": row, "total": sum(row)}
            for label, row in zip(labels, table, strict=True)
        ],
        "totals": [sum(column) for column in zip(*table, strict=True)],
        "n": sum(map(sum, table)),
    }


def marked_pairs(pairs: Sequence[Pair]) -> dict[int, list[Pair]]:
    """The pairs each first-marked audit is in, keyed by the record's identity (``id``): two
    files can share an audit id, and redaction can make two paths alike."""
    found: dict[int, list[Pair]] = defaultdict(list)
    for pair in pairs:
        found[id(pair.first)].append(pair)
    return found


def moderated_count(records: Sequence[AuditRecord], marked: dict[int, list[Pair]]) -> int:
    """How many of ``records`` have a second mark (are keys of ``marked``)."""
    return sum(1 for r in records if id(r) in marked)


def _grades_row(
    fw: Framework, label: str, records: Sequence[AuditRecord], marked: dict[int, list[Pair]]
) -> dict[str, Any]:
    """One reviewer's grades (or the whole service's), and how their moderated audits fared."""
    grades = Counter(auditor_grade(r) for r in records)
    moderated = [r for r in records if id(r) in marked]
    down = [r for r in moderated if any(p.direction == DOWN for p in marked[id(r)])]
    return {
        "reviewer": label,
        "n": count(len(records)),
        "distribution": [
            {
                "grade": g.id,
                "label": g.label,
                "count": count(grades[g.id]),
                "share": share(grades[g.id], len(records)),
            }
            for g in fw.spec.grades.scale
        ],
        "good_or_better": share(
            sum(1 for r in records if fw.is_good_or_better(auditor_grade(r))), len(records)
        ),
        "moderated": count(len(moderated)),
        "moderated_down": count(len(down)),
    }


def _reviewers(
    fw: Framework, records: Sequence[AuditRecord], marked: dict[int, list[Pair]]
) -> list[dict[str, Any]]:
    by_person: dict[str, list[AuditRecord]] = defaultdict(list)
    names: dict[str, str] = {}
    for record in records:
        key = person_key(record.data["reviewer"])
        by_person[key].append(record)
        names.setdefault(key, " ".join(record.data["reviewer"].split()))
    return [
        _grades_row(fw, names[key], by_person[key], marked)
        for key in sorted(by_person, key=lambda k: (names[k].casefold(), k))
    ]


def _framework_info(fw: Framework) -> dict[str, Any]:
    return {"id": fw.id, "title": fw.spec.title, "short_title": fw.short_title, "version": fw.spec.version}


def _by_kind(pairs: Sequence[Pair]) -> list[dict[str, Any]]:
    kinds = Counter(p.kind for p in pairs)
    return [{"kind": k, "label": KIND_LABELS[k], "count": count(kinds[k])} for k in KINDS]


def _framework_section(
    fw: Framework, records: Sequence[AuditRecord], pairs: Sequence[Pair], weights: Weights
) -> dict[str, Any]:
    marked = marked_pairs(pairs)
    table, result = own_scale(pairs, fw, weights)
    counts = tally(table)
    key = fw.comparison_key()
    return {
        "framework": _framework_info(fw),
        "grades": [{"id": g.id, "label": g.label} for g in fw.spec.grades.scale],
        "good_or_better_label": fw.grade_labels[fw.spec.grades.good_or_better],
        "comparison": {"scale": key[0], "levels": list(key[1])} if key else None,
        "audits": count(len(records)),
        "moderated": share(moderated_count(records, marked), len(records)),
        "pairs": count(len(pairs)),
        "by_kind": _by_kind(pairs),
        "agreement": _agreement(counts),
        "kappa": kappa_figure(result),
        "direction": _directions(counts),
        "table": _crosstab([g.label for g in fw.spec.grades.scale], table),
        "service": _grades_row(fw, "All reviewers", records, marked),
        "reviewers": _reviewers(fw, records, marked),
    }


@dataclass(frozen=True, slots=True)
class Pool:
    """Pairs of several frameworks on the comparison scale they share, level by level."""

    scale: str
    levels: tuple[str, ...]
    frameworks: tuple[Framework, ...]
    pairs: tuple[Pair, ...]

    def table(self) -> list[list[int]]:
        """First against second marks, as levels of the shared scale (never by grade labels)."""
        position = {level: i for i, level in enumerate(self.levels)}
        ranks = [
            (
                position[p.framework.comparison_level[p.first_grade]],
                position[p.framework.comparison_level[p.second_grade]],
            )
            for p in self.pairs
        ]
        return table_from_pairs(ranks, len(self.levels))

    def includes(self, fw: Framework) -> bool:
        """Whether the framework is one of those pooled."""
        return any(member.id == fw.id for member in self.frameworks)

    def info(self) -> dict[str, Any]:
        """The scale, its levels and the frameworks pooled on it."""
        return {
            "scale": self.scale,
            "levels": [{"id": level, "label": _level_label(level)} for level in self.levels],
            "frameworks": [{"id": fw.id, "title": fw.spec.title} for fw in self.frameworks],
        }


def pools(pairs: Sequence[Pair]) -> tuple[list[Pool], list[dict[str, Any]]]:
    """The frameworks with second marks pooled by shared comparison scale, and those left out (why).

    Nothing is pooled when only one framework has second marks.
    """
    frameworks = {p.framework.id: p.framework for p in pairs}
    if len(frameworks) < 2:
        return [], []
    scales: dict[tuple[str, tuple[str, ...]], list[Framework]] = defaultdict(list)
    for ident in sorted(frameworks):
        key = frameworks[ident].comparison_key()
        if key is not None:
            scales[key].append(frameworks[ident])
    found = []
    for (scale, levels), members in sorted(scales.items()):
        if len(members) >= 2:
            ids = {fw.id for fw in members}
            found.append(
                Pool(scale, levels, tuple(members), tuple(p for p in pairs if p.framework.id in ids))
            )
    pooled = {fw.id for pool in found for fw in pool.frameworks}
    alone = []
    for ident in sorted(frameworks.keys() - pooled):
        key = frameworks[ident].comparison_key()
        reason = (
            "its standards file declares no comparison scale, so its grades cannot be set against "
            "another framework's"
            if key is None
            else f"no other framework with second marks uses its '{key[0]}' scale"
        )
        alone.append({"framework": {"id": ident, "title": frameworks[ident].spec.title}, "reason": reason})
    return found, alone


def _pooled_section(pool: Pool, weights: Weights) -> dict[str, Any]:
    table = pool.table()
    counts = tally(table)
    return {
        **pool.info(),
        "pairs": count(len(pool.pairs)),
        "agreement": _agreement(counts),
        "kappa": kappa_figure(cohens_kappa(table, weights)),
        "direction": _directions(counts),
        "table": _crosstab([_level_label(level) for level in pool.levels], table),
    }


def pair_item(pair: Pair) -> dict[str, Any]:
    """One pair of marks as reports list it."""
    fw, first, second = pair.framework, pair.first, pair.second
    return {
        "kind": pair.kind,
        "kind_label": KIND_LABELS[pair.kind],
        "framework": fw.id,
        "audit_id": first.audit_id,
        "file": first.path,
        "review_date": first.review_date.isoformat(),
        "reviewer": first.data["reviewer"],
        "grade": _grade(fw, pair.first_grade),
        "second_audit_id": second.audit_id if second is not None else None,
        "second_file": second.path if second is not None else None,
        "second_date": iso(pair.second_date),
        "second_marker": pair.second_marker,
        "second_grade": _grade(fw, pair.second_grade),
        "direction": pair.direction,
        "direction_label": DIRECTION_LABELS[pair.direction],
        "days_apart": days(first.review_date, pair.second_date),
        "notes": first.data["moderation"].get("notes") if second is None else None,
    }


def _check_options(window: int, weights: str) -> Weights:
    if window < 0:
        raise UsageError(f"--window {window} is negative: give a number of days, 0 or more.")
    if not is_weights(weights):
        raise UsageError(f"--weights '{weights}' is not a weighting: use one of {', '.join(WEIGHTS)}.")
    return weights


def moderation_view(
    dataset: Dataset,
    *,
    window: int = DEFAULT_WINDOW,
    weights: str = DEFAULT_WEIGHTS,
    redact: bool = False,
    quarters: Quarters | None = None,
    quarter: str | None = None,
) -> dict[str, Any]:
    """The moderation report: agreement, kappa and direction of second marks, per framework.

    ``redact`` replaces names and case identifiers in what is shown; the pairs are found first,
    on the real identifiers, so that redaction can never split or join a case. Its period is the
    one the dataset was read for (``None`` for a date not given), with ``quarter`` (of
    ``quarters``) beside them when the dataset was read for a quarter.
    """
    chosen = _check_options(window, weights)
    pairs = find_pairs(dataset.records, window)
    if redact:
        from qaimpact.privacy.redaction import Redactor

        hidden = Redactor(dataset.records, kinds=dataset.kinds).dataset(dataset)
        shown = {id(a): b for a, b in zip(dataset.records, hidden.records, strict=True)}
        pairs = [
            replace(p, first=shown[id(p.first)], second=shown[id(p.second)] if p.second else None)
            for p in pairs
        ]
        dataset = hidden
    records = dataset.records
    sections = [
        _framework_section(
            fw,
            [r for r in records if r.framework.id == fw.id],
            [p for p in pairs if p.framework.id == fw.id],
            chosen,
        )
        for fw in dataset.frameworks
    ]
    pooled, not_pooled = pools(pairs)
    counts = pair_counts(pairs)
    return {
        "kind": "moderation",
        "sources": dataset.sources,
        "grade_basis": GRADE_BASIS,
        # The period asked for, as the other reports state it: an end not asked for stays open
        # rather than becoming the last review date found, which would read as asked for.
        "period": period_view(dataset.date_from, dataset.date_to, quarters, quarter),
        "invalid_count": len(dataset.invalid),
        "invalid_audits": dataset.invalid_audits,
        # Files with errors dated outside the period: not in it, valid or not (said apart).
        "invalid_outside_period": len(dataset.set_aside),
        "invalid_audits_outside_period": dataset.set_aside_audits,
        "invalid": left_out([c.path for c in dataset.invalid], redact=redact),
        "window_days": window,
        "weights": chosen,
        "weights_label": WEIGHT_LABELS[chosen],
        "small_n": SMALL_N,
        "totals": {
            "audits": count(len(records)),
            "moderated": share(moderated_count(records, marked_pairs(pairs)), len(records)),
            "pairs": count(len(pairs)),
            "by_kind": _by_kind(pairs),
            "agreement": _agreement(counts),
            "direction": _directions(counts),
        },
        "frameworks": sections,
        "pooled": [_pooled_section(pool, chosen) for pool in pooled],
        "not_pooled": not_pooled,
        "pairs": [pair_item(p) for p in pairs],
    }


def rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The pairs as flat CSV rows (columns :data:`COLUMNS`)."""
    return [
        {
            "kind": p["kind"],
            "framework": p["framework"],
            "audit_id": p["audit_id"],
            "file": p["file"],
            "review_date": p["review_date"],
            "reviewer": p["reviewer"],
            "grade": p["grade"]["id"],
            "second_audit_id": p["second_audit_id"],
            "second_file": p["second_file"],
            "second_date": p["second_date"],
            "second_marker": p["second_marker"],
            "second_grade": p["second_grade"]["id"],
            "direction": p["direction"],
            "days_apart": p["days_apart"],
            "notes": p["notes"],
        }
        for p in view["pairs"]
    ]

"""Moderation: how far a second marker agrees with the auditor's grade, and which way they differ.

A grade has a *second mark* in two ways:

- **moderation**: the audit's ``moderation:`` block. The first mark is the auditor's own grade:
  the one they recorded, or, where they recorded none, the grade their ratings give (a recorded
  grade more generous than the ratings is exactly what moderation is there to catch); the
  second is the moderator's ``moderated_grade``.
- **double-marking**: two audits of the same case (by the framework's ``case_id``) by different
  reviewers, reviewed at most ``window`` days apart, where neither is a re-audit of the other
  (through ``reaudit_of``, followed back along a chain of re-audits). The earlier audit is the
  first mark. A re-audit measures change in the case, not agreement between markers.

Agreement is the share of pairs with the same grade, and Cohen's kappa (:mod:`qaimpact.cycle.stats`),
weighted because grades are ordered. Each framework's kappa is on its own grade scale; pairs of
different frameworks are pooled only on a comparison scale they share (``comparison:`` in their
standards files), level by level, never by grade labels, which mean different things in
different frameworks. A pair is *moderated down* when the second mark is worse than the first:
the sign of generous grading.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from qaimpact.audits.dataset import Dataset
from qaimpact.audits.records import AuditRecord
from qaimpact.base.errors import UsageError
from qaimpact.cycle.common import case_key, days, iso, left_out
from qaimpact.cycle.stats import WEIGHTS, Kappa, Weights, cohens_kappa, is_weights, table_from_pairs
from qaimpact.models.audit import person_key
from qaimpact.models.standard import Framework
from qaimpact.privacy.disclosure import SUPPRESSED, count, hidden_share, share

MODERATION, DOUBLE_MARKING = "moderation", "double_marking"
KINDS = (MODERATION, DOUBLE_MARKING)
KIND_LABELS = {MODERATION: "moderation", DOUBLE_MARKING: "double-marking"}
DOWN, SAME, UP = "down", "same", "up"
DIRECTIONS = (DOWN, SAME, UP)
DIRECTION_LABELS = {DOWN: "moderated down", SAME: "same grade", UP: "moderated up"}
WEIGHT_LABELS = {"none": "unweighted", "linear": "linear weights", "quadratic": "quadratic weights"}
#: Days apart within which two reviewers' audits of one case count as double-marking.
DEFAULT_WINDOW = 30
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


def auditor_grade(record: AuditRecord) -> str:
    """The grade the auditor gave: the one recorded in the audit, else the one its ratings give."""
    return record.result.recorded or record.result.grade


@dataclass(frozen=True, slots=True)
class Pair:
    """Two marks of one grade: an audit and its moderation, or two reviewers' audits of one case."""

    kind: str
    first: AuditRecord
    #: The second reviewer's audit, for double-marking; ``None`` for a moderation.
    second: AuditRecord | None = None

    @property
    def framework(self) -> Framework:
        """The framework both marks are on."""
        return self.first.framework

    @property
    def first_grade(self) -> str:
        """The auditor's own grade (see :func:`auditor_grade`)."""
        return auditor_grade(self.first)

    @property
    def second_grade(self) -> str:
        """The moderator's grade, or the second reviewer's own grade."""
        if self.second is not None:
            return auditor_grade(self.second)
        return str(self.first.data["moderation"]["moderated_grade"])

    @property
    def second_marker(self) -> str:
        """The moderator, or the second reviewer."""
        if self.second is not None:
            return str(self.second.data["reviewer"])
        return str(self.first.data["moderation"]["moderator"])

    @property
    def second_date(self) -> dt.date:
        """When the second mark was given."""
        if self.second is not None:
            return self.second.review_date
        moderated_on = self.first.data["moderation"]["moderated_on"]
        assert isinstance(moderated_on, dt.date)
        return moderated_on

    @property
    def direction(self) -> str:
        """``down`` when the second grade is worse than the first, ``up`` when better, else ``same``."""
        rank = self.framework.grade_rank
        first, second = rank[self.first_grade], rank[self.second_grade]
        return DOWN if second > first else UP if second < first else SAME


# -- finding the pairs ---------------------------------------------------------------------------


def _earlier_audits(records: Sequence[AuditRecord]) -> Callable[[AuditRecord], set[str]]:
    """For each audit, the ids of every audit it re-audits, directly or along a chain."""
    parent: dict[str, str] = {}
    for record in records:
        target = record.data.get("reaudit_of")
        if target:
            parent.setdefault(record.audit_id, str(target))

    def earlier(record: AuditRecord) -> set[str]:
        found: set[str] = set()
        ident = parent.get(record.audit_id)
        # A chain that loops back (two audits naming each other) ends where it repeats.
        while ident is not None and ident not in found:
            found.add(ident)
            ident = parent.get(ident)
        return found

    return earlier


def double_marked(records: Sequence[AuditRecord], window: int) -> list[Pair]:
    """Pairs of audits of one case by different reviewers at most ``window`` days apart.

    Neither audit may be a re-audit of the other. A case audited three times within the window
    by three reviewers gives three pairs.
    """
    earlier = _earlier_audits(records)
    cases: dict[str, list[AuditRecord]] = defaultdict(list)
    for record in records:
        key = case_key(record)
        if key is not None:
            cases[key].append(record)
    pairs = []
    for audits in cases.values():
        audits.sort(key=lambda r: (r.review_date, r.audit_id, r.path))
        for i, first in enumerate(audits):
            for second in audits[i + 1 :]:
                if days(first.review_date, second.review_date) > window:
                    break  # in date order: every later audit is further away still
                if person_key(first.data["reviewer"]) == person_key(second.data["reviewer"]):
                    continue
                if first.audit_id in earlier(second) or second.audit_id in earlier(first):
                    continue
                pairs.append(Pair(DOUBLE_MARKING, first, second))
    return pairs


def find_pairs(records: Sequence[AuditRecord], window: int = DEFAULT_WINDOW) -> list[Pair]:
    """Every second mark among the audits: moderations and double-marking, in date order."""
    pairs = [Pair(MODERATION, r) for r in records if r.data.get("moderation")]
    pairs += double_marked(records, window)
    return sorted(
        pairs,
        key=lambda p: (
            p.first.review_date,
            p.first.audit_id,
            p.first.path,
            KINDS.index(p.kind),
            p.second_date,
        ),
    )


# -- figures -------------------------------------------------------------------------------------


def _fixed(value: float) -> str:
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def strength(kappa: float) -> str:
    """Landis and Koch's word for a kappa: poor, slight, fair, moderate, substantial or almost perfect."""
    rounded = round(kappa, 2)  # the bands are for kappas to two decimals, as reports show them
    return next((word for lowest, word in STRENGTH if rounded >= lowest), "poor")


def kappa_figure(
    result: Kappa, *, publish: bool = False, shown: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A kappa as reports show it: the figures, a line of text, and a note when it needs one.

    ``shown`` is its number of pairs as the report shows it (default: ``count(result.n,
    publish)``); a kappa whose number of pairs is hidden is suppressed with it. Published
    figures leave out the observed and expected agreement, which would give the counts away.
    """
    n = dict(shown) if shown is not None else count(result.n, publish)
    figure: dict[str, Any] = {
        **result.to_dict(),
        "n": n,
        "weights_label": WEIGHT_LABELS[result.weights],
        "small": 0 < result.n < SMALL_N,
        "strength": None,
        "text": "",
        "note": None,
    }
    if publish:
        figure.update(observed=None, expected=None)
    if n["n"] is None:
        figure.update(kappa=None, standard_error=None, ci=None, undefined=None, small=False)
        figure.update(text="suppressed", note="Not published: its number of pairs is hidden.")
        return figure
    if result.kappa is None or result.ci is None:
        figure["text"] = f"cannot be worked out (n = {result.n})"
        figure["note"] = f"Kappa cannot be worked out: {result.undefined}."
        return figure
    low, high = result.ci
    figure["strength"] = strength(result.kappa)
    figure["text"] = (
        f"{_fixed(result.kappa)} (95% CI {_fixed(low)} to {_fixed(high)}; n = {result.n}, "
        f"{WEIGHT_LABELS[result.weights]})"
    )
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


def _pair_counts(pairs: Sequence[Pair]) -> dict[str, int]:
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


def _marked(pairs: Sequence[Pair]) -> dict[int, list[Pair]]:
    """The pairs each first-marked audit is in, keyed by the record's identity (``id``): two
    files can share an audit id, and redaction can make two paths alike."""
    found: dict[int, list[Pair]] = defaultdict(list)
    for pair in pairs:
        found[id(pair.first)].append(pair)
    return found


def _moderated(records: Sequence[AuditRecord], marked: dict[int, list[Pair]]) -> int:
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
    return {"id": fw.id, "title": fw.spec.title, "version": fw.spec.version}


def _by_kind(pairs: Sequence[Pair]) -> list[dict[str, Any]]:
    kinds = Counter(p.kind for p in pairs)
    return [{"kind": k, "label": KIND_LABELS[k], "count": count(kinds[k])} for k in KINDS]


def _framework_section(
    fw: Framework, records: Sequence[AuditRecord], pairs: Sequence[Pair], weights: Weights
) -> dict[str, Any]:
    marked = _marked(pairs)
    table, result = own_scale(pairs, fw, weights)
    counts = tally(table)
    key = fw.comparison_key()
    return {
        "framework": _framework_info(fw),
        "grades": [{"id": g.id, "label": g.label} for g in fw.spec.grades.scale],
        "good_or_better_label": fw.grade_labels[fw.spec.grades.good_or_better].lower(),
        "comparison": {"scale": key[0], "levels": list(key[1])} if key else None,
        "audits": count(len(records)),
        "moderated": share(_moderated(records, marked), len(records)),
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
) -> dict[str, Any]:
    """The moderation report: agreement, kappa and direction of second marks, per framework.

    ``redact`` replaces names and case identifiers in what is shown; the pairs are found first,
    on the real identifiers, so that redaction can never split or join a case.
    """
    chosen = _check_options(window, weights)
    pairs = find_pairs(dataset.records, window)
    if redact:
        from qaimpact.privacy.redaction import Redactor

        hidden = Redactor(dataset.records).dataset(dataset)
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
    counts = _pair_counts(pairs)
    first, last = dataset.period()
    return {
        "kind": "moderation",
        "sources": dataset.sources,
        "period": {"from": iso(first), "to": iso(last)},
        "invalid_count": len(dataset.invalid),
        "invalid": left_out([c.path for c in dataset.invalid], redact=redact),
        "window_days": window,
        "weights": chosen,
        "weights_label": WEIGHT_LABELS[chosen],
        "small_n": SMALL_N,
        "totals": {
            "audits": count(len(records)),
            "moderated": share(_moderated(records, _marked(pairs)), len(records)),
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


# -- the quarterly summary -----------------------------------------------------------------------


#: The counts behind one line of the summary by name, each as a cell that may yet be suppressed.
Cells = dict[str, dict[str, Any]]


def _cells(
    counts: dict[str, int], records: Sequence[AuditRecord] | None = None, pairs: Sequence[Pair] = ()
) -> Cells:
    """Pairs by direction, and the ``records`` moderated (first marks in ``pairs``) or not."""
    cells = {name: count(n) for name, n in counts.items()}
    if records is not None:
        moderated = _moderated(records, _marked(pairs))
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
    total = _cells(_pair_counts(pairs), records, pairs)
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

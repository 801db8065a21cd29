"""An exact check of a published summary: can a reader pin a hidden count from 1 to 4?

Two checks, both by integer linear programming (``scipy.optimize.milp``), independent of the
search :mod:`qaimpact.privacy.disclosure` uses to decide what to hide:

- :func:`pinned_in_view` reads only what a published summary (its JSON view) shows, builds the
  constraints a reader can write from it, and bounds every hidden count whose true value is from
  1 to 4. The constraints: each count shown is exact, ``<5`` is 1 to 4, ``*`` is 5 or more, ``–``
  is 0 or more (1 or more for a listed row); in each framework the grades of each quarter add up
  to the quarter's audits, the quarters to the grades, the grades to the framework's audits; the
  grades by ``--by`` add up the same ways (by quarter they are the quarters, by month they add up
  to them); good or better is the sum of the grades down to the line, in every row; a shown share
  bounds its counts (``round(100 * part / whole)``); themes, added value, escalations, differing
  and moderated audits are at most the framework's audits, and the moderated ones add up by
  direction; the frameworks add up to the audits; the re-audits' cases compared add up by
  direction, in each group and overall (:func:`_reaudits`). The cycle's other sections are left
  out of this reading (they only add constraints: this check is the weaker for it, never wrong).
- :func:`pinned_in_ledger` takes the ledger's own account of every count of the report,
  sections of the cycle included, and bounds every count it guards.

The benchmark ``benchmarks/bench_disclosure.py`` runs the first over many random summaries, on
this code or on an older one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from qaimpact.audits.quarters import Quarters, year_start_month

if TYPE_CHECKING:  # the benchmark runs this on older versions, which have no Figures
    from qaimpact.privacy.disclosure import Figures

#: Texts that hide a count, and what each tells a reader (the least and most it can be).
_HIDDEN = {"<5": (1, 4), "*": (5, None), "–": (0, None), "": (0, None)}


class Model:
    """Integer unknowns with bounds, and linear constraints on them."""

    def __init__(self) -> None:
        self.low: list[float] = []
        self.high: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self._matrix: Any = None
        #: Solutions found so far: one that gives a count another value settles it at once.
        self._solutions: list[Any] = []

    def var(self, low: float = 0, high: float | None = None) -> int:
        self.low.append(low)
        self.high.append(np.inf if high is None else high)
        return len(self.low) - 1

    def add(self, terms: dict[int, float], low: float, high: float) -> None:
        self.rows.append((terms, low, high))

    def equal(self, first: list[int], second: list[int]) -> None:
        terms: dict[int, float] = {}
        for v in first:
            terms[v] = terms.get(v, 0) + 1
        for v in second:
            terms[v] = terms.get(v, 0) - 1
        self.add(terms, 0, 0)

    def pinned(self, target: list[int], value: int) -> bool:
        """Whether the sum of ``target`` (truly ``value``) can be no other value."""
        for solution in self._solutions:
            if round(sum(solution[v] for v in target)) != value:
                return False
        n = len(self.low)
        if self._matrix is None or self._matrix.shape != (len(self.rows), n):
            self._matrix = np.zeros((len(self.rows), n))
            for i, (terms, _, _) in enumerate(self.rows):
                for v, c in terms.items():
                    self._matrix[i, v] = c
        constraints = (
            [LinearConstraint(self._matrix, [r[1] for r in self.rows], [r[2] for r in self.rows])]
            if self.rows
            else []
        )
        objective = np.zeros(n)
        for v in target:
            objective[v] += 1
        # A ceiling far above any count keeps the problem bounded (HiGHS may not say which of
        # "unbounded" and "infeasible" it is otherwise); reaching it means "no most".
        high = np.minimum(np.array(self.high), _CEILING)
        for sign in (1, -1):
            result = milp(
                sign * objective,
                integrality=np.ones(n),
                bounds=Bounds(self.low, high),
                constraints=constraints,
            )
            assert result.status == 0, result.message
            self._solutions.append(result.x)
            found = round(sign * result.fun)
            assert (found <= value) if sign == 1 else (found >= value), (target, value, found)
            if found != value:
                return False
        return True


#: A bound above every count of a test, standing for "no most".
_CEILING = 10**6


def pinned_in_ledger(figures: Figures) -> list[tuple[tuple[int, ...], int]]:
    """The counts the ledger guards that what it publishes pins to one value (atoms, value)."""
    model = Model()
    atoms = [model.var() for _ in range(figures.atoms())]
    for members, low, high in figures.published():
        if low > 0 or high is not None:
            model.add({atoms[a]: 1 for a in members}, low, np.inf if high is None else high)
    for first, second in figures.links():
        model.equal([atoms[a] for a in first], [atoms[a] for a in second])
    pinned = []
    for members, value in figures.guarded():
        if model.pinned([atoms[a] for a in members], value):
            pinned.append((members, value))
    return pinned


def pinned_in_view(
    published: dict[str, Any], truth: dict[str, Any], good_line: Callable[[str], int]
) -> tuple[int, list[tuple[str, int]]]:
    """How many counts from 1 to 4 ``published`` (a summary view) hides, and those a reader can
    pin to one value from what it shows, as (where, true value).

    ``truth`` is the same summary, not published; ``good_line(framework_id)`` is the rank of the
    framework's good-or-better grade (the grades down to it are good or better).
    """
    model = Model()
    targets: list[tuple[str, int, int]] = []
    # The months of a quarter add up to it, in the year the summary's quarters follow.
    quarters = Quarters(year_start_month(published.get("year_start", "january")))

    def cell(shown: dict[str, Any], true: dict[str, Any], where: str, at_least: int = 0) -> int:
        if shown.get("n") is not None:
            v = model.var(shown["n"], shown["n"])
        else:
            low, high = _HIDDEN[shown["text"]]
            v = model.var(max(low, at_least), high)
            if 1 <= true["n"] <= 4:
                targets.append((where, v, true["n"]))
        return v

    def share(shown: dict[str, Any], part: int, whole: int) -> None:
        if shown.get("pct") is not None:
            pct = shown["pct"]
            # round(100 * part / whole) == pct: 100 part within (pct +- 0.5) whole.
            model.add({part: 100, whole: -(pct - 0.5)}, 0, np.inf)
            model.add({part: 100, whole: -(pct + 0.5)}, -np.inf, 0)

    def table(
        rows: list[dict[str, Any]], true_rows: list[dict[str, Any]], where: str, line: int
    ) -> dict[str, list[int]]:
        cells: dict[str, list[int]] = {}
        for row, true_row in zip(rows, true_rows, strict=True):
            key = row["key"]
            n = cell(row["n"], true_row["n"], f"{where} {key} audits", at_least=1)
            cells[key] = []
            for d, true_d in zip(row["distribution"], true_row["distribution"], strict=True):
                v = cell(d["count"], true_d["count"], f"{where} {key} {d['grade']}")
                share(d["share"], v, n)
                cells[key].append(v)
            model.equal(cells[key], [n])
            good = model.var()
            model.equal([good], cells[key][: line + 1])
            _shown_share_counts(row["good_or_better"], good, n)
            share(row["good_or_better"], good, n)
        return cells

    def _shown_share_counts(shown: dict[str, Any], part: int, whole: int) -> None:
        for side, v in (("count", part), ("of", whole)):
            n = (shown.get(side) or {}).get("n")
            if n is not None:
                model.add({v: 1}, n, n)

    framework_totals = []
    for section, true_section in zip(published["frameworks"], truth["frameworks"], strict=True):
        fw = section["framework"]["id"]
        line = good_line(fw)
        total = cell(section["total"], true_section["total"], f"{fw} audits")
        if isinstance(section.get("n"), int):  # a raw count the JSON carried beside the table
            model.add({total: 1}, section["n"], section["n"])
        framework_totals.append(total)
        margin = []
        for d, true_d in zip(section["distribution"], true_section["distribution"], strict=True):
            v = cell(d["count"], true_d["count"], f"{fw} {d['grade']}")
            share(d["share"], v, total)
            margin.append(v)
        model.equal(margin, [total])
        good = model.var()
        model.equal([good], margin[: line + 1])
        _shown_share_counts(section["good_or_better"], good, total)
        share(section["good_or_better"], good, total)
        by_quarter = table(section["trend"], true_section["trend"], f"{fw} quarter", line)
        for j, m in enumerate(margin):
            model.equal([cells[j] for cells in by_quarter.values()], [m])
        if section.get("groups") is not None:
            by = published["by"]
            by_group = table(section["groups"], true_section["groups"], f"{fw} {by}", line)
            for j, m in enumerate(margin):
                model.equal([cells[j] for cells in by_group.values()], [m])
                if by == "quarter":
                    for key, cells in by_group.items():
                        model.equal([cells[j]], [by_quarter[key][j]])
                elif by == "month":
                    for q, q_cells in by_quarter.items():
                        months = [c[j] for k, c in by_group.items() if quarters.of_month(k) == q]
                        model.equal(months, [q_cells[j]])
        parts = [
            *(
                (f"{fw} theme", t["count"], tt["count"])
                for t, tt in zip(section["themes"], true_section["themes"], strict=True)
            ),
            *(
                (f"{fw} added value", a["count"], ta["count"])
                for a, ta in zip(section["added_value"], true_section["added_value"], strict=True)
            ),
            *(
                (f"{fw} {name}", section[name], true_section[name])
                for name in ("escalation_count", "differs_count")
            ),
        ]
        for where, shown, true in parts:
            v = cell(shown, true, where)
            model.add({v: 1, total: -1}, -np.inf, 0)
        directions = [
            cell(
                section["moderated_directions"][d],
                true_section["moderated_directions"][d],
                f"{fw} moderated {d}",
            )
            for d in sorted(section["moderated_directions"])
        ]
        moderated = cell(section["moderated_count"], true_section["moderated_count"], f"{fw} moderated")
        model.equal(directions, [moderated])
        model.add({moderated: 1, total: -1}, -np.inf, 0)
    audits = cell(published["audits_total"], truth["audits_total"], "audits")
    if isinstance(published.get("audits"), int):
        model.add({audits: 1}, published["audits"], published["audits"])
    model.equal(framework_totals, [audits])
    impact = (published.get("cycle") or {}).get("impact")
    if impact and impact.get("groups") is not None:
        _reaudits(model, cell, share, _shown_share_counts, impact, truth["cycle"]["impact"])
    pinned = []
    for where, v, value in targets:
        if model.pinned([v], value):
            pinned.append((where, value))
    return len(targets), pinned


#: The directions of a re-audited case, in the order the impact section gives them.
_DIRECTIONS = ("improved", "same", "declined")


def _reaudits(
    model: Model,
    cell: Callable[..., int],
    share: Callable[[dict[str, Any], int, int], None],
    shown_counts: Callable[[dict[str, Any], int, int], None],
    impact: dict[str, Any],
    truth: dict[str, Any],
) -> None:
    """The constraints a reader writes from the summary's re-audits (``cycle.impact``).

    In each group (a framework, or a pair) the cases compared add up by direction, and with those
    not comparable to its cases; the groups' cases add up to all the cases, and the re-audits are
    at least as many. A case compared on a scale has a direction overall too: a reader who does not
    know how the scales meet knows only that each group's directions split, some way, into the
    overall row's (weaker than the ledger's account, so never wrong).
    """
    overall = impact.get("overall")
    into: dict[str, list[int]] = {d: [] for d in _DIRECTIONS}
    cases = []
    for group, true in zip(impact["groups"], truth["groups"], strict=True):
        where = f"re-audits {group['key']}"
        n = cell(group["cases"], true["cases"], f"{where} cases", at_least=1)
        compared = cell(group["compared"], true["compared"], f"{where} compared")
        other = cell(group["not_comparable"], true["not_comparable"], f"{where} not comparable")
        model.equal([compared, other], [n])
        own = []
        for d in _DIRECTIONS:
            v = cell(group[d]["count"], true[d]["count"], f"{where} {d}")
            shown_counts(group[d], v, compared)
            share(group[d], v, compared)
            own.append(v)
        model.equal(own, [compared])
        cases.append(n)
        if overall is not None and group["on"] is not None:
            split = {(a, b): model.var() for a in _DIRECTIONS for b in _DIRECTIONS}
            for a, v in zip(_DIRECTIONS, own, strict=True):
                model.equal([split[(a, b)] for b in _DIRECTIONS], [v])
            for b in _DIRECTIONS:
                into[b] += [split[(a, b)] for a in _DIRECTIONS]
    total = cell(impact["cases"], truth["cases"], "re-audited cases")
    model.equal(cases, [total])
    reaudits = cell(impact["reaudits"], truth["reaudits"], "re-audits")
    model.add({reaudits: 1, total: -1}, 0, np.inf)
    if overall is not None:
        compared = cell(overall["compared"], truth["overall"]["compared"], "re-audits overall compared")
        directions = []
        for d in _DIRECTIONS:
            v = cell(overall[d]["count"], truth["overall"][d]["count"], f"re-audits overall {d}")
            shown_counts(overall[d], v, compared)
            share(overall[d], v, compared)
            model.equal(into[d], [v])
            directions.append(v)
        model.equal(directions, [compared])

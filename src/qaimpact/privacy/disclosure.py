"""Counts and shares as reports show them, and disclosure control for published reports.

Every count a report shows is made here, by a :class:`Figures` ledger that also records how the
counts add up: which counts are the parts of which total, which two sums are one number counted
twice (the grades of a framework by quarter and by team), which count is a part of which whole
(a learning theme of a framework's audits). In the QA team's own reports the ledger only builds
the figures. In a published report (``--publish``) :meth:`Figures.protect` then decides what to
show, by this method (docs/reports.md, "Publishing"):

1. **Primary suppression.** A count from 1 to 4 is shown ``<5``.
2. **No breakdown of a small count.** The parts of a count shown ``<5`` are not shown at all
   (``–``), whatever their values, zeros included; nor is a share of it. A share is shown only
   when its part and its whole are both shown and the whole is 5 or more. A "part" that is the
   count itself again (the only row of a table: one quarter's audits) breaks nothing down, and
   is shown as the count is.
3. **Secondary suppression, checked exactly.** Everything published is a set of linear
   constraints on the true counts: a shown count is exact, ``<5`` means 1 to 4, ``*`` means 5 or
   more, ``–`` means 0 or more (1 or more for a row that is listed), and the sums the ledger
   records hold. For every count from 1 to 4 (shown or not, and every difference the report
   invites, such as the open actions that are not overdue), the ledger looks for a *witness*:
   whole-number counts that satisfy every published constraint and give that count another
   value. Where it finds none, the count could be worked out, so one more count is hidden
   (``*``): the smallest of 5 or more that shares a sum with it, never a safe headline figure,
   until a witness exists. A number shown in several places (the same atoms, or sums a link
   says are equal) is hidden in all of them at once, and never where a headline shows it. A
   witness is checked against every constraint, so a count the ledger publishes can never be
   pinned to one value by the constraints it knows; a witness it fails to find only hides more.

Hiding only ever loosens the constraints, so a witness found stays a witness: each count is
settled once. The search for a witness is a depth-first search with bounds propagation that
tries the true counts first, so the witness it finds is usually a small change of the true table
(a cycle of four cells in a two-way table); it gives up after :data:`SEARCH_LIMIT` steps (each
value it tries is one, a value it refuses at once too), which hides more rather than less.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Counts below this are never shown in a published report.
THRESHOLD = 5
#: A count from 1 to 4.
SUPPRESSED = "<5"
#: A count of 5 or more, hidden so that a count under 5 cannot be worked out from the others.
SECONDARY = "*"
#: A count not shown at all: a part of a count under 5 (any value, 0 included).
WITHHELD = "–"
#: The text of a share that is not shown, in the data (JSON).
HIDDEN_SHARE = "suppressed"
#: How pages and workbooks, read by a board, say a share is not shown.
NOT_SHOWN = "not shown"
#: What each mark in place of a hidden figure means, for a board reader, in the order it is
#: explained: the one wording of the published pages' note (the templates' ``disclosure_marks``,
#: :func:`qaimpact.reports.render.environment`) and of a published workbook's Key sheet.
MEANINGS = {
    SUPPRESSED: "A count from 1 to 4. Counts under 5 are not given exactly, so that no child, "
    "family or worker can be recognised from them.",
    SECONDARY: "A count of 5 or more, hidden so that a count under 5 cannot be worked out from the "
    "figures around it.",
    WITHHELD: "A count that is part of a count under 5. Its own number, which may be 0, is not given.",
    NOT_SHOWN: "A percentage not given, as it would be of fewer than 5 audits or built on a count "
    "that is hidden.",
}

#: Steps of one search for a witness before it gives up (and hides more, to be safe).
SEARCH_LIMIT = 20_000
#: Checks (one count's search for a witness each) spent showing again counts hidden to protect
#: others, once every count is safe, by each group of counts that add up together: beyond them,
#: what is hidden in that group stays hidden.
SHOW_AGAIN_CHECKS = 2_000
#: How many single counts are tried, one at a time, before hiding the first and trying again.
_TRIES = 2


class Shown(str):
    """The text a figure is shown as: ``12``, ``<5``, ``*``, ``–``, ``65% (13 of 20)``.

    A ``str`` in every way, whose type says that it is a figure. ``*`` and ``<`` mean something
    in Markdown, so the Markdown renderer escapes every figure by its type, wherever a template
    shows one (:func:`qaimpact.reports.render.environment`), instead of at each place.
    """

    __slots__ = ()


_EXACT, _SMALL, _SECONDARY, _WITHHELD, _DERIVED = "exact", "small", "secondary", "withheld", "derived"
_INF = 10**9


def count(n: int, publish: bool = False) -> dict[str, Any]:
    """A count on its own, and how to show it (1 to 4 are ``<5`` when ``publish``).

    A count that adds up with others belongs in a :class:`Figures` ledger instead, so that its
    sums are protected too.
    """
    hidden = publish and 1 <= n <= THRESHOLD - 1
    return {"n": None if hidden else n, "text": Shown(SUPPRESSED if hidden else n)}


def share(part: int, whole: int, publish: bool = False) -> dict[str, Any]:
    """A percentage with its counts, ``65% (13 of 20)`` (for a report that is not published:
    a published share is made by :meth:`Figures.share`)."""
    result: dict[str, Any] = {"pct": None, "count": count(part, publish), "of": count(whole, publish)}
    _show_share(result)
    return result


def percent(part: int, whole: int) -> int:
    """``100 * part / whole`` to the nearest whole number, a half rounded up, as a reader and
    Excel's ROUND round it: 6 of 48 is 13% (Python's ``round`` gives 12, rounding a half to even).
    Whole numbers only, so no float is ever a hair under the half."""
    return (200 * part + whole) // (2 * whole)


def hidden_share(part: dict[str, Any], of: dict[str, Any]) -> dict[str, Any]:
    """A share that is not shown, with its counts as they are shown."""
    return {"pct": None, "count": part, "of": of, "text": Shown(HIDDEN_SHARE)}


def _show_share(result: dict[str, Any]) -> None:
    part, whole = result["count"], result["of"]
    if whole["n"] == 0:
        result.update(pct=None, text=Shown("no audits"))
    elif part["n"] is None or whole["n"] is None:
        result.update(pct=None, text=Shown(HIDDEN_SHARE))
    else:
        pct = percent(part["n"], whole["n"])
        result.update(pct=pct, text=Shown(f"{pct}% ({part['n']} of {whole['n']})"))


@dataclass(slots=True)
class _Figure:
    cell: dict[str, Any]
    atoms: tuple[int, ...]
    value: int
    state: str
    at_least: int = 0
    keep: bool = False
    #: Whether a value from 1 to 4 must not be pinned (not for a rest no one is invited to see).
    guard: bool = True
    #: The figures this one is a part of (a breakdown of each).
    totals: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _Share:
    cell: dict[str, Any]
    part: int
    whole: int


class Figures:
    """The counts of one report and how they add up; for publication, :meth:`protect` them.

    Each count is a sum of *atoms*: unknowns of the published tables, such as the audits of one
    quarter with one grade. :meth:`count` makes a new atom, :meth:`total` a count of the atoms of
    others (its parts), :meth:`same` says two sums are one number, and :meth:`within` that a count
    is part of a whole counted elsewhere. Counts are the dicts reports show (``n`` and ``text``);
    :meth:`protect` changes them in place, so a view may hold them anywhere, but never a copy.
    """

    def __init__(self, publish: bool = False) -> None:
        self.publish = publish
        self._values: list[int] = []
        self._figures: list[_Figure] = []
        self._index: dict[int, int] = {}
        self._links: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        self._shares: list[_Share] = []
        self._rests: set[tuple[int, ...]] = set()
        self._then: list[Callable[[], None]] = []
        #: The counts hidden to protect others, in the order they were hidden.
        self._order: list[int] = []
        #: The headline counts hidden after all, as the last resort of :meth:`_settle`.
        self._headlines_hidden: list[int] = []
        #: Which number each figure is (:meth:`_twins`), and the figures of each number, once
        #: :meth:`_decide` has begun.
        self._twin: list[int] = []
        self._numbers: dict[int, list[int]] = {}
        self._protected = False
        #: Counts by name, for the sections of one report to link theirs to another's.
        self.names: dict[tuple[str, ...], dict[str, Any]] = {}

    # -- building ----------------------------------------------------------------------------------

    def _atom(self, value: int) -> int:
        self._values.append(value)
        return len(self._values) - 1

    def _add(
        self,
        atoms: tuple[int, ...],
        *,
        shown: bool,
        at_least: int = 0,
        keep: bool = False,
        guard: bool = True,
    ) -> dict[str, Any]:
        value = sum(self._values[a] for a in atoms)
        # A count the report never shows may still reach it, as the part of a share the QA
        # team's own report shows ("60% (3 of 5)"): unpublished, every count reads as itself.
        cell: dict[str, Any] = {"n": value, "text": Shown(value)}
        self._index[id(cell)] = len(self._figures)
        state = _EXACT if shown else _DERIVED
        self._figures.append(_Figure(cell, atoms, value, state, at_least=at_least, keep=keep, guard=guard))
        return cell

    def _figure(self, cell: dict[str, Any]) -> _Figure:
        found = self._index.get(id(cell))
        if found is None:
            raise ValueError("a count that this ledger did not make (or a copy of one)")
        return self._figures[found]

    def count(
        self, n: int, *, shown: bool = True, at_least: int = 0, keep: bool = False, guard: bool = True
    ) -> dict[str, Any]:
        """A new count of ``n``, of things no other count of the ledger counts (yet).

        ``at_least`` is what a reader knows of it when it is not shown: a listed row has at
        least 1. ``keep`` marks a headline count, never hidden to protect another. A count that
        is not ``shown`` is one a reader can work out from others; it is protected unless it is
        not ``guard``-ed (the finest cells of a model, which no report invites anyone to see).
        """
        if n < 0:
            raise ValueError("a count cannot be negative")
        return self._add((self._atom(n),), shown=shown, at_least=at_least, keep=keep, guard=guard)

    def total(
        self,
        parts: Sequence[dict[str, Any]],
        *,
        at_least: int = 0,
        keep: bool = False,
        shown: bool = True,
        breakdown: bool = True,
    ) -> dict[str, Any]:
        """The sum of ``parts`` (counts of this ledger with no atom in common).

        With ``breakdown`` (the default) the parts break the total down, so they are not shown
        where the total is under 5; a total that only groups some counts (the grades good or
        better) is not a breakdown. ``shown=False`` makes a sum that the report never shows but
        a reader can work out, such as the actions open but not overdue: it is protected.
        """
        atoms: list[int] = []
        for part in parts:
            atoms += self._figure(part).atoms
        if len(set(atoms)) != len(atoms):
            raise ValueError("the parts of a total must not overlap")
        cell = self._add(tuple(atoms), shown=shown, at_least=at_least, keep=keep)
        if breakdown:
            self.breakdown(cell, parts)
        return cell

    def breakdown(self, total: dict[str, Any], parts: Iterable[dict[str, Any]]) -> None:
        """Say that ``parts`` break ``total`` down (by team, by theme): where the total is under
        5, they are not shown."""
        index = self._index[id(self._figure(total).cell)]
        for part in parts:
            self._figure(part).totals.append(index)

    def same(self, first: Iterable[dict[str, Any]], second: Iterable[dict[str, Any]]) -> None:
        """Say that the counts ``first`` add up to what the counts ``second`` add up to."""
        a = tuple(x for c in first for x in self._figure(c).atoms)
        b = tuple(x for c in second for x in self._figure(c).atoms)
        if sum(self._values[x] for x in a) != sum(self._values[x] for x in b):
            raise ValueError("two sums said to be one number differ")
        self._links.append((a, b))

    def within(self, part: dict[str, Any], whole: dict[str, Any], *, protect_rest: bool = True) -> None:
        """Say that ``part`` counts some of what ``whole`` counts (a theme among a framework's
        audits), and so breaks it down.

        The rest (``whole`` less ``part``) is a count too, protected like the others when
        ``protect_rest`` (when the report shows ``part`` as a share of ``whole``).
        """
        rest_value = self._figure(whole).value - self._figure(part).value
        rest = self.count(rest_value, shown=False, guard=protect_rest)
        self._links.append((self._figure(part).atoms + self._figure(rest).atoms, self._figure(whole).atoms))
        self.breakdown(whole, [part])

    def then(self, step: Callable[[], None]) -> None:
        """Run ``step`` once the counts are settled (after :meth:`protect`): for what is worked
        out from the counts as shown, such as a kappa shown only with its number of pairs."""
        self._then.append(step)

    def share(self, part: dict[str, Any], whole: dict[str, Any]) -> dict[str, Any]:
        """``part`` as a percentage of ``whole``, with both counts; shown only where both are.

        Where the atoms of ``part`` are among those of ``whole``, their difference is protected
        too: a share invites the reader to work it out.
        """
        p, w = self._figure(part), self._figure(whole)
        rest = tuple(sorted(set(w.atoms) - set(p.atoms)))
        if set(p.atoms) <= set(w.atoms) and rest and rest not in self._rests:
            self._rests.add(rest)
            self._add(rest, shown=False)
        result: dict[str, Any] = {"pct": None, "count": part, "of": whole}
        _show_share(result)
        self._shares.append(_Share(result, self._index[id(part)], self._index[id(whole)]))
        return result

    # -- what a reader knows --------------------------------------------------------------------

    def atoms(self) -> int:
        """How many unknowns (atoms) the counts of this ledger are sums of."""
        return len(self._values)

    def published(self) -> list[tuple[tuple[int, ...], int, int | None]]:
        """What the report as shown says of each count: its atoms and the least and most their
        sum can be (``None``: no most). For an independent check of :meth:`protect`."""
        out: list[tuple[tuple[int, ...], int, int | None]] = []
        for fig in self._figures:
            low, high = _range(fig)
            out.append((fig.atoms, low, None if high >= _INF else high))
        return out

    def links(self) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """Each pair of sums of atoms that are one number, as a reader knows."""
        return list(self._links)

    def guarded(self) -> list[tuple[tuple[int, ...], int]]:
        """Each count from 1 to 4 that must not be pinned to one value: its atoms and value."""
        return [(fig.atoms, fig.value) for fig in self._figures if fig.guard and 1 <= fig.value < THRESHOLD]

    # -- protecting --------------------------------------------------------------------------------

    def protect(self) -> None:
        """For publication: hide what the method in the module's docstring says, in place.

        A report that is not published is shown as it is. Call it once, after every count and
        every sum is recorded; it then runs the steps given to :meth:`then`.
        """
        if self._protected:
            return
        self._protected = True
        if self.publish:
            self._publish()
        for step in self._then:
            step()

    def _publish(self) -> None:
        self._decide()
        for fig in self._figures:
            fig.cell.update(_shown(fig))
        for item in self._shares:
            part, whole = self._figures[item.part], self._figures[item.whole]
            if part.state != _EXACT or whole.state != _EXACT or (0 < whole.value < THRESHOLD):
                item.cell.update(pct=None, text=Shown(HIDDEN_SHARE))
            else:
                _show_share(item.cell)

    def _decide(self) -> None:
        """Set the state of each count (shown, ``<5``, hidden, withheld). What it decides depends
        only on the values of the atoms, the figures (atoms, state, bounds, headline, guard,
        totals) and the links: the same ledger always gets the same states."""
        for fig in self._figures:
            if fig.state == _EXACT and 1 <= fig.value < THRESHOLD:
                fig.state = _SMALL
        self._twin = self._twins()
        self._numbers = {}
        for index, label in enumerate(self._twin):
            self._numbers.setdefault(label, []).append(index)
        self._no_small_breakdowns()
        search = _Search(self._values, self._links)
        targets = [i for i, fig in enumerate(self._figures) if fig.guard and 1 <= fig.value < THRESHOLD]
        for index in targets:
            self._settle(search, index)
        self._show_again(search, targets)

    def _show_again(self, search: _Search, targets: list[int]) -> None:
        """Show again each count hidden to protect another that no longer needs it (the last
        hidden first): a count hidden early can be made needless by those hidden after it.

        Counts that add up with none of each other's (the re-audits and the records of another
        kind) are shown again apart, each group with :data:`SHOW_AGAIN_CHECKS` checks of its own:
        a count shown again can only pin a count of its own group, and what one group spends must
        not decide what another shows. With one budget for the whole report, the re-audits'
        "improved" was shown where the summary held no practice records and hidden where it did.
        """
        group_of = self._groups()
        hidden = [i for i in reversed(self._order) if self._figures[i].state == _SECONDARY]
        spent: dict[int, int] = {}
        for index in hidden:
            # Showing a count again only makes the report more useful, never safer: where the
            # checks it takes run out (a large table of many small rows), the rest stay hidden.
            mine = group_of[index]
            checks = spent.get(mine, 0)
            if checks >= SHOW_AGAIN_CHECKS:
                continue
            # A number shown in several places is shown again in all of them, or in none.
            group = [i for i in self._same_number(index) if self._figures[i].state == _SECONDARY]
            if not group:
                continue
            for i in group:
                self._figures[i].state = _EXACT
            fig = self._figures[index]
            kept = list(search.witnesses)
            search.forget(fig.atoms, fig.value)
            bounds = self._bounds()
            safe = True
            for t in targets:
                if group_of[t] != mine:
                    continue
                checks += 1
                if not search.has_witness(bounds, self._figures[t].atoms, self._figures[t].value):
                    safe = False
                    break
            spent[mine] = checks
            if not safe:
                for i in group:
                    self._figures[i].state = _SECONDARY
                search.witnesses = kept

    def _groups(self) -> list[int]:
        """For each figure, the group of counts it adds up with: figures that share an atom, or
        whose sums a link says are equal, are in one group, whatever is shown. A witness of a
        count only ever involves the atoms of its group, so what is shown of one group never
        pins a count of another."""
        parent = list(range(len(self._values)))

        def find(atom: int) -> int:
            while parent[atom] != atom:
                parent[atom] = parent[parent[atom]]
                atom = parent[atom]
            return atom

        def join(atoms: Sequence[int]) -> None:
            for atom in atoms[1:]:
                a, b = find(atoms[0]), find(atom)
                if a != b:
                    parent[max(a, b)] = min(a, b)

        for fig in self._figures:
            join(fig.atoms)
        for first, second in self._links:
            join((*first, *second))
        # A sum of no atoms (the cases of a report with no re-audit) adds up with nothing.
        return [find(fig.atoms[0]) if fig.atoms else -1 - i for i, fig in enumerate(self._figures)]

    def _no_small_breakdowns(self) -> None:
        """Withhold the parts of a count shown ``<5`` (and of one withheld), but not a "part"
        that is the count itself, shown again: the only row of a table (one quarter's audits, its
        grades), which breaks nothing down and says no more than the count's own ``<5``."""
        parts: dict[int, list[int]] = {}
        for index, fig in enumerate(self._figures):
            for total in fig.totals:
                parts.setdefault(total, []).append(index)
        twins = self._twin
        queue = [i for i, f in enumerate(self._figures) if f.state in (_SMALL, _WITHHELD)]
        while queue:
            total = queue.pop()
            small = self._figures[total].state == _SMALL
            for part in parts.get(total, []):
                fig = self._figures[part]
                if small and twins[part] == twins[total]:
                    continue
                if fig.state in (_EXACT, _SMALL):
                    fig.state = _WITHHELD
                    queue.append(part)

    def _twins(self) -> list[int]:
        """For each figure, which number it is: figures of the same atoms, or of sums a link
        says are equal, are one number shown in several places (a quarter's grades in the only
        row of the table by quarter, and the framework's grades), and get the same label."""
        label: dict[frozenset[int], frozenset[int]] = {}

        def find(atoms: frozenset[int]) -> frozenset[int]:
            while label.get(atoms, atoms) != atoms:
                atoms = label[atoms]
            return atoms

        for first, second in self._links:
            a, b = find(frozenset(first)), find(frozenset(second))
            if a != b:
                label[max(a, b, key=sorted)] = min(a, b, key=sorted)
        roots: dict[frozenset[int], int] = {}
        return [roots.setdefault(find(frozenset(fig.atoms)), len(roots)) for fig in self._figures]

    def _bounds(self) -> list[tuple[tuple[int, ...], int, int]]:
        out = []
        for fig in self._figures:
            low, high = _range(fig)
            if low > 0 or high < _INF:
                out.append((fig.atoms, low, high))
        return out

    def _settle(self, search: _Search, index: int) -> None:
        """Hide counts until the count at ``index`` has a witness (another possible value)."""
        target = self._figures[index]
        while not search.has_witness(self._bounds(), target.atoms, target.value):
            candidates = self._candidates(search, target)
            for candidate in candidates[:_TRIES]:
                changed = self._hide(candidate)
                if search.has_witness(self._bounds(), target.atoms, target.value):
                    self._order.append(candidate)
                    return
                for i in changed:
                    self._figures[i].state = _EXACT
            if not candidates:
                # None in a sum with the target: any count of 5 or more it adds up with, nearest
                # first, before withholding whole tables.
                component = search.reach(set(target.atoms), self._bounds())
                candidates = sorted(
                    (
                        i
                        for i, fig in enumerate(self._figures)
                        if fig.state == _EXACT
                        and fig.value >= THRESHOLD
                        and not fig.keep
                        and component.intersection(fig.atoms)
                        and self._hideable(i)
                    ),
                    key=lambda i: (len(self._figures[i].atoms), self._figures[i].value, i),
                )
            if candidates:
                # No one count is enough: hide the first and look again.
                self._hide(candidates[0])
                self._order.append(candidates[0])
                continue
            # Nothing shown that could be hidden is left but headline counts: withhold every
            # other count the target adds up with, first those shown or ``<5``, then those hidden
            # as ``*`` too (their "5 or more" can pin the rest of a sum whose total is shown).
            component = search.reach(set(target.atoms), self._bounds())
            for i, fig in enumerate(self._figures):
                # Not a count a headline shows as well: withheld here, it is still shown there.
                if (
                    fig.state in (_EXACT, _SMALL)
                    and not fig.keep
                    and component.intersection(fig.atoms)
                    and self._hideable(i)
                ):
                    fig.state = _WITHHELD
            if not self._withhold_hidden(search, target, component):
                self._hide_headlines(search, target, component)
            return

    def _same_number(self, index: int) -> list[int]:
        """The figures that are the number of the figure at ``index`` (itself included)."""
        return self._numbers[self._twin[index]]

    def _hideable(self, index: int) -> bool:
        """Whether hiding the figure at ``index`` can hide its number: not where a headline
        shows the same number (the audits of a quarter that is the framework's only one)."""
        return not any(
            self._figures[i].keep and self._figures[i].state == _EXACT for i in self._same_number(index)
        )

    def _hide(self, index: int) -> list[int]:
        """Hide (``*``) the number of the figure at ``index`` wherever it is shown: hidden in one
        place and shown in another (a quarter's grades in the only row of the table by quarter
        and in the framework's grades), it would be hidden for nothing. The figures hidden."""
        changed = [i for i in self._same_number(index) if self._figures[i].state == _EXACT]
        for i in changed:
            self._figures[i].state = _SECONDARY
        return changed

    def _withhold_hidden(self, search: _Search, target: _Figure, component: set[int]) -> bool:
        """Withhold counts hidden as ``*``, one at a time, until the target has a witness: their
        "5 or more" can pin the rest of a sum whose total is a headline (rows of 5, 5 and 1 of a
        headline's 12 audits leave the last row 1). Those in a sum with the target go first, the
        smallest first. Whether the target has a witness at the end."""
        near = {
            a
            for members, _, _ in search.constraints(self._bounds())
            for a, _ in members
            if set(target.atoms).intersection(a for a, _ in members)
        }
        hidden = sorted(
            (
                i
                for i, fig in enumerate(self._figures)
                if fig.state == _SECONDARY and not fig.keep and component.intersection(fig.atoms)
            ),
            key=lambda i: (
                not near.issuperset(self._figures[i].atoms),
                len(self._figures[i].atoms),
                self._figures[i].value,
                i,
            ),
        )
        if search.has_witness(self._bounds(), target.atoms, target.value):
            return True
        for index in hidden:
            self._figures[index].state = _WITHHELD
            if search.has_witness(self._bounds(), target.atoms, target.value):
                return True
        return False

    def _hide_headlines(self, search: _Search, target: _Figure, component: set[int]) -> None:
        """The last resort: every other count the target adds up with is withheld and it can
        still be worked out, from the headline counts alone. A pinned count is never published,
        so one headline goes (the one of fewest atoms first: a framework's before the report's),
        or, where no one is enough, every headline it adds up with. Each is recorded, so that the
        report can say why it is not shown (:meth:`hidden_headlines`)."""
        headlines = sorted(
            (
                i
                for i, fig in enumerate(self._figures)
                if fig.state == _EXACT and fig.keep and component.intersection(fig.atoms)
            ),
            key=lambda i: (len(self._figures[i].atoms), self._figures[i].value, i),
        )
        for index in headlines:
            changed = self._hide_headline(index)
            if search.has_witness(self._bounds(), target.atoms, target.value):
                self._headlines_hidden.append(index)
                return
            for i in changed:
                self._figures[i].state = _EXACT
        for index in headlines:
            self._hide_headline(index)
            self._headlines_hidden.append(index)
        if not search.has_witness(self._bounds(), target.atoms, target.value):
            # Not even fractions of the headlines pin it now, unless the search gave up: hide
            # every count it adds up with, as before there were headlines.
            for fig in self._figures:
                if fig.state in (_EXACT, _SMALL, _SECONDARY) and component.intersection(fig.atoms):
                    fig.state = _WITHHELD

    def _hide_headline(self, index: int) -> list[int]:
        """Hide a headline, and its number wherever else it is shown; the figures hidden."""
        fig = self._figures[index]
        # "5 or more" is what a reader already knows of a headline that is safe to show; one
        # that is 0 (none good or better) says nothing more than withheld.
        state = _SECONDARY if fig.value >= THRESHOLD else _WITHHELD
        changed = [i for i in self._same_number(index) if self._figures[i].state == _EXACT]
        for i in changed:
            self._figures[i].state = state
        return changed

    def hidden_headlines(self) -> list[dict[str, Any]]:
        """The headline counts (``keep``) that a published report does not show after all: only
        where every other count they add up with is withheld and a count from 1 to 4 could still
        be worked out from them. Known once :meth:`protect` has run."""
        return [self._figures[i].cell for i in self._headlines_hidden]

    def _candidates(self, search: _Search, target: _Figure) -> list[int]:
        """Counts that could be hidden to protect ``target``: shown, 5 or more, not a headline.

        First those in the smallest sum that holds the target (its row of a table, say), the
        cells of that sum before the sum itself, smallest first; then those of the next sum.
        """
        shown = {
            frozenset(fig.atoms): i
            for i, fig in enumerate(self._figures)
            if fig.state == _EXACT and fig.value >= THRESHOLD and not fig.keep and self._hideable(i)
        }
        by_size = sorted(shown.items(), key=lambda kv: (len(kv[0]), self._figures[kv[1]].value, kv[1]))
        sums = [
            frozenset(a for a, _ in members)
            for members, _, _ in search.constraints(self._bounds())
            if set(target.atoms).intersection(a for a, _ in members)
        ]
        found: list[int] = []
        for atoms in sorted(set(sums), key=lambda a: (len(a), sorted(a))):
            found += [i for members, i in by_size if members <= atoms and i not in found]
        return found


def _range(fig: _Figure) -> tuple[int, int]:
    """What a reader knows of a figure from the way it is shown."""
    if fig.state == _EXACT:
        return fig.value, fig.value
    if fig.state == _SMALL:
        return 1, THRESHOLD - 1
    if fig.state == _SECONDARY:
        return THRESHOLD, _INF
    if fig.state == _WITHHELD:
        return fig.at_least, _INF
    return 0, _INF


def _shown(fig: _Figure) -> dict[str, Any]:
    if fig.state == _EXACT:
        return {"n": fig.value, "text": Shown(fig.value)}
    if fig.state == _SMALL:
        return {"n": None, "text": Shown(SUPPRESSED)}
    if fig.state == _SECONDARY:
        return {"n": None, "text": Shown(SECONDARY)}
    return {"n": None, "text": Shown(WITHHELD)}


#: A constraint: a sum of +1 or -1 times atoms, and the bounds it lies within.
_Constraint = tuple[tuple[tuple[int, int], ...], int, int]


class _Search:
    """Looks for a witness: whole-number atoms that meet every constraint and give a sum of
    atoms another value than its true one.

    Before it searches it makes the problem smaller without changing its answer: a sum said to
    equal a count that is shown becomes that number; an atom found in one constraint only, with
    no bound of its own (the rest of a whole, say), is dropped with the bound of the side it
    frees; only the constraints connected to the target remain. Each witness found is kept: a
    later count that it gives another value needs no search.
    """

    def __init__(self, values: Sequence[int], links: Sequence[tuple[tuple[int, ...], tuple[int, ...]]]):
        self.values = list(values)
        self.links = list(links)
        self.witnesses: list[dict[int, int]] = []
        #: Each problem solved and its answer: a sixth of the problems a report asks are asked
        #: again, word for word, as counts are decided one after another.
        self._solved: dict[tuple[Any, ...], list[int] | None] = {}

    def constraints(self, bounds: Sequence[tuple[tuple[int, ...], int, int]]) -> list[_Constraint]:
        """Every constraint, a link to a count shown replaced by its number."""
        exact = {frozenset(atoms): low for atoms, low, high in bounds if low == high}
        out: list[_Constraint] = [(tuple((a, 1) for a in atoms), low, high) for atoms, low, high in bounds]
        for first, second in self.links:
            if frozenset(second) in exact:
                value = exact[frozenset(second)]
                out.append((tuple((a, 1) for a in first), value, value))
            elif frozenset(first) in exact:
                value = exact[frozenset(first)]
                out.append((tuple((b, 1) for b in second), value, value))
            else:
                out.append((tuple([(a, 1) for a in first] + [(b, -1) for b in second]), 0, 0))
        return out

    def reach(self, start: set[int], bounds: Sequence[tuple[tuple[int, ...], int, int]]) -> set[int]:
        """The atoms linked to ``start`` by any bound or any link, a link to a count shown
        included: hiding or showing a count can change what a reader knows of all of them,
        even where a shown count cuts the link in :meth:`constraints`."""
        joined: list[_Constraint] = [(tuple((a, 1) for a in atoms), low, high) for atoms, low, high in bounds]
        joined += [(tuple((a, 1) for a in (*first, *second)), 0, 0) for first, second in self.links]
        return _component(start, joined)

    def has_witness(
        self, bounds: Sequence[tuple[tuple[int, ...], int, int]], target: tuple[int, ...], value: int
    ) -> bool:
        """Whether the sum of ``target`` can be other than ``value`` under ``bounds`` and the links."""
        for witness in self.witnesses:
            if all(a in witness for a in target) and sum(witness[a] for a in target) != value:
                return True
        terms = tuple((a, 1) for a in target)
        for low, high in ((0, value - 1), (value + 1, _INF)):
            if low > high:
                continue
            constraints = _reduce([*self.constraints(bounds), (terms, low, high)])
            atoms = sorted(_component(set(target), constraints))
            position = {a: i for i, a in enumerate(atoms)}
            mine = [
                (tuple((position[a], sign) for a, sign in members), c_low, c_high)
                for members, c_low, c_high in constraints
                if members and members[0][0] in position
            ]
            found = self._solve([self.values[a] for a in atoms], mine, [position[a] for a in target])
            if found is not None:
                self.witnesses.append(dict(zip(atoms, found, strict=True)))
                return True
        return False

    def _solve(self, truth: list[int], constraints: list[_Constraint], target: list[int]) -> list[int] | None:
        key = (tuple(truth), tuple(constraints), tuple(target))
        if key not in self._solved:
            self._solved[key] = _solve(truth, constraints, target)
        return self._solved[key]

    def forget(self, atoms: tuple[int, ...], value: int) -> None:
        """Drop the witnesses that a sum of ``atoms`` now shown as ``value`` may rule out."""

        def still(witness: dict[int, int]) -> bool:
            known = [a for a in atoms if a in witness]
            if not known:
                return True
            return len(known) == len(atoms) and sum(witness[a] for a in atoms) == value

        self.witnesses = [w for w in self.witnesses if still(w)]


def _component(start: set[int], constraints: Sequence[_Constraint]) -> set[int]:
    by_atom: dict[int, list[int]] = {}
    for index, (members, _, _) in enumerate(constraints):
        for atom, _ in members:
            by_atom.setdefault(atom, []).append(index)
    found, queue, seen = set(start), list(start), set()
    while queue:
        for index in by_atom.get(queue.pop(), []):
            if index in seen:
                continue
            seen.add(index)
            for atom, _ in constraints[index][0]:
                if atom not in found:
                    found.add(atom)
                    queue.append(atom)
    return found


def _reduce(constraints: list[_Constraint]) -> list[_Constraint]:
    """Drop atoms that only one constraint mentions: such an atom, from 0 up, can take up any
    slack on its side, so the constraint keeps only the bound it cannot take up. Repeat until
    none is left. A solution of what remains extends to the dropped atoms."""
    terms: list[dict[int, int]] = [dict(members) for members, _, _ in constraints]
    lows = [low for _, low, _ in constraints]
    highs = [high for _, _, high in constraints]
    uses: dict[int, set[int]] = {}
    for index, members in enumerate(terms):
        for atom in members:
            uses.setdefault(atom, set()).add(index)
    queue = [a for a, found in uses.items() if len(found) == 1]
    while queue:
        atom = queue.pop()
        if len(uses.get(atom, ())) != 1:
            continue
        (index,) = uses.pop(atom)
        members = terms[index]
        sign = members.pop(atom)
        # +x with x >= 0 free: the rest may be any amount lower; -x: any amount higher.
        if sign > 0:
            lows[index] = -_INF
        else:
            highs[index] = _INF
        if not members or (lows[index] <= -_INF and highs[index] >= _INF):
            for other in members:
                uses[other].discard(index)
                if len(uses[other]) == 1:
                    queue.append(other)
            members.clear()
    return [
        (tuple(members.items()), low, high)
        for members, low, high in zip(terms, lows, highs, strict=True)
        if members
    ]


def _solve(truth: list[int], constraints: list[_Constraint], target: Sequence[int]) -> list[int] | None:
    """Whole numbers from 0 that meet every constraint (a sum of +-1 times atoms within bounds),
    or ``None``.

    Bounds propagation first; then, where the atoms still free fall into groups that no
    constraint left open joins, each group on its own: the linear relaxation (where not even
    fractions meet the constraints, no whole numbers do), then a depth-first search with
    propagation at every step, atoms nearest the ``target`` first, each tried at its true value
    and then at the values nearest it. At most :data:`SEARCH_LIMIT` steps in all, a step for each
    value tried (then it says no, which only hides more).
    """
    n = len(truth)
    by_atom: list[list[int]] = [[] for _ in range(n)]
    for index, (terms, _, _) in enumerate(constraints):
        for atom, _ in terms:
            by_atom[atom].append(index)
    # Distance from the target in the graph of constraints: a conflict is found where it is.
    distance = [n] * n
    frontier = list(target)
    for atom in frontier:
        distance[atom] = 0
    while frontier:
        following = []
        for atom in frontier:
            for index in by_atom[atom]:
                for other, _ in constraints[index][0]:
                    if distance[other] > distance[atom] + 1:
                        distance[other] = distance[atom] + 1
                        following.append(other)
        frontier = following
    steps = [0]
    hint = list(truth)

    def propagate(low: list[int], high: list[int], queue: list[int]) -> bool:
        pending = set(queue)
        while queue:
            index = queue.pop()
            pending.discard(index)
            terms, c_low, c_high = constraints[index]
            s_min = s_max = 0
            for atom, sign in terms:
                if sign > 0:
                    s_min += low[atom]
                    s_max += high[atom]
                else:
                    s_min -= high[atom]
                    s_max -= low[atom]
            if s_min > c_high or s_max < c_low:
                return False
            # Comparisons rather than max() and min(): this loop is most of a publication's time.
            for atom, sign in terms:
                was_low, was_high = low[atom], high[atom]
                if sign > 0:
                    new_low = c_low - (s_max - was_high)
                    new_high = c_high - (s_min - was_low)
                else:
                    new_low = (s_min + was_high) - c_high
                    new_high = (s_max + was_low) - c_low
                if new_low < was_low:
                    new_low = was_low
                if new_high > was_high:
                    new_high = was_high
                if new_low > new_high:
                    return False
                if new_low != was_low or new_high != was_high:
                    low[atom], high[atom] = new_low, new_high
                    for other in by_atom[atom]:
                        if other not in pending:
                            pending.add(other)
                            queue.append(other)
        return True

    def groups(low: list[int], high: list[int], atoms: Iterable[int]) -> list[list[int]]:
        """The free ``atoms`` in groups joined by constraints not yet met whatever they are."""
        free = {a for a in atoms if low[a] != high[a]}
        out = []
        while free:
            start = free.pop()
            group, queue = [start], [start]
            while queue:
                atom = queue.pop()
                for index in by_atom[atom]:
                    terms, c_low, c_high = constraints[index]
                    s_min, s_max = _span(terms, low, high)
                    if c_low <= s_min and s_max <= c_high:
                        continue
                    for other, _ in terms:
                        if other in free:
                            free.discard(other)
                            group.append(other)
                            queue.append(other)
            out.append(group)
        return sorted(out, key=lambda g: min(distance[a] for a in g))

    def search(low: list[int], high: list[int], group: list[int]) -> bool:
        """Fix the atoms of ``group`` (in ``low`` and ``high``, in place) or say it cannot."""
        steps[0] += 1
        if steps[0] > SEARCH_LIMIT:
            return False
        atom = min((a for a in group if low[a] != high[a]), key=lambda a: (distance[a], high[a] - low[a], a))
        for value in _nearest(hint[atom], low[atom], high[atom]):
            new_low, new_high = list(low), list(high)
            new_low[atom] = new_high[atom] = value
            if not propagate(new_low, new_high, list(by_atom[atom])):
                # A value refused is a step too: below a bound worked out from "no most" (near
                # _INF) there are a billion values to refuse one by one, and the limit must end
                # that as it ends any other search (giving up hides more, never less).
                steps[0] += 1
            elif all(search(new_low, new_high, part) for part in groups(new_low, new_high, group)):
                low[:], high[:] = new_low, new_high
                return True
            if steps[0] > SEARCH_LIMIT:
                return False
        return False

    low, high = [0] * n, [_INF] * n
    if not propagate(low, high, list(range(len(constraints)))):
        return None
    parts = groups(low, high, range(n))
    # Where not even fractions meet the constraints, no whole numbers do: say so at once rather
    # than search every combination. Where they do, the search tries the nearest whole numbers
    # first: the constraints of a table are nearly those of a network, whose corners are whole.
    for part in parts:
        found = _relaxation(low, high, [constraints[i] for i in _touching(part, by_atom)])
        if found is None:
            return None
        for atom in part:
            # A value near _INF is a corner of a bound worked out from "no most", not a count:
            # the search starts from the true count there instead.
            value = found.get(atom, truth[atom])
            hint[atom] = round(value) if value < _INF // 2 else truth[atom]
    if all(search(low, high, part) for part in parts):
        return low
    return None


def _span(terms: Sequence[tuple[int, int]], low: Sequence[int], high: Sequence[int]) -> tuple[int, int]:
    """The least and the most a sum of +-1 times atoms can be, each atom within its bounds.

    ``_solve``'s ``propagate`` works the same out inline: it is the hottest loop of a publication.
    """
    s_min = s_max = 0
    for atom, sign in terms:
        if sign > 0:
            s_min += low[atom]
            s_max += high[atom]
        else:
            s_min -= high[atom]
            s_max -= low[atom]
    return s_min, s_max


def _touching(atoms: Iterable[int], by_atom: Sequence[Sequence[int]]) -> list[int]:
    return sorted({index for atom in atoms for index in by_atom[atom]})


_EPSILON = 1e-9


def _relaxation(
    low: list[int], high: list[int], constraints: Sequence[_Constraint]
) -> dict[int, float] | None:
    """Real numbers within ``low``..``high`` that meet every constraint (the linear relaxation),
    for the atoms still free; ``None`` when there are none.

    Phase one of the simplex method (Bland's rule). Floating point is fine here: this only
    spares a search and hints where to look; a wrong "none" hides a count more, never less.
    """
    free = sorted({a for terms, _, _ in constraints for a, _ in terms if low[a] != high[a]})
    column = {a: i for i, a in enumerate(free)}
    rows: list[dict[int, float]] = []
    rhs: list[float] = []
    width = len(free)

    def add(coefficients: dict[int, float], value: float, slack: int) -> None:
        # sum(coefficients) + slack * s = value, with a fresh slack s >= 0 when slack != 0.
        nonlocal width
        row = dict(coefficients)
        if slack:
            row[width] = float(slack)
            width += 1
        rows.append(row)
        rhs.append(value)

    for terms, c_low, c_high in constraints:
        s_min, s_max = _span(terms, low, high)
        if c_low <= s_min and s_max <= c_high:
            continue  # met whatever the atoms within their bounds
        fixed = sum(sign * low[a] for a, sign in terms if a not in column)
        coefficients: dict[int, float] = {}
        for a, sign in terms:
            if a in column:
                coefficients[column[a]] = coefficients.get(column[a], 0.0) + sign
                fixed += sign * low[a]  # x = low + y, y >= 0
        if not coefficients:
            continue
        top = c_high - fixed if c_high < _INF else None
        bottom = c_low - fixed if c_low > -_INF else None
        if top is not None and bottom is not None and top == bottom:
            add(coefficients, top, 0)
            continue
        if bottom is not None:
            add(coefficients, bottom, -1)
        if top is not None:
            add(coefficients, top, 1)
    for a in free:
        # A bound near _INF was worked out from "no most": as a row, it only drew the solution
        # to absurd corners (a billion audits), so it is left out, as "no most" is.
        if high[a] < _INF // 2:
            add({column[a]: 1.0}, high[a] - low[a], 1)
    if not rows:
        return {a: float(low[a]) for a in free}
    # Phase one: an artificial variable for each row, whose sum is minimised to 0 if it can be.
    # The tableau is kept sparse (a dict per row, the right-hand side under key ``size``): a
    # table's constraints each touch a few counts, and a dense tableau spent nearly all its time
    # subtracting zeros. The arithmetic is the dense method's, entry for entry, so the same
    # pivots are taken and the same answer found.
    m = len(rows)
    size = width + m
    table: list[dict[int, float]] = []
    for i, row in enumerate(rows):
        flip = -1.0 if rhs[i] < 0 else 1.0
        line = {j: flip * value for j, value in row.items()}
        line[width + i] = 1.0
        line[size] = flip * rhs[i]
        table.append(line)
    basis = [width + i for i in range(m)]
    # The rows with an entry in each column (a superset: an entry that becomes 0 stays listed),
    # so that a pivot visits only the rows it can change.
    rows_of: dict[int, set[int]] = {j: set() for j in range(size + 1)}
    for i, line in enumerate(table):
        for j in line:
            rows_of[j].add(i)
    cost: dict[int, float] = {}
    for line in table:
        for j, value in line.items():
            if j < width or j == size:
                cost[j] = cost.get(j, 0.0) - value
    # Bland's rule takes the lowest column whose reduced cost is negative. A pivot changes the
    # cost of its row's columns only, so the columns that may qualify wait in a heap, and one
    # that no longer does is dropped when it reaches the top: scanning every column at every
    # pivot took a fifth of the time. The columns chosen, and so every pivot, are the same.
    waiting = [j for j, v in cost.items() if j < size and v < -_EPSILON]
    heapq.heapify(waiting)
    queued = set(waiting)
    for _ in range(50 * (m + size)):
        while waiting and not cost[waiting[0]] < -_EPSILON:
            queued.discard(heapq.heappop(waiting))
        if not waiting:
            break
        entering = waiting[0]
        best: float | None = None
        leaving: int | None = None
        touched = sorted(rows_of[entering])
        for i in touched:
            line = table[i]
            coefficient = line.get(entering, 0.0)
            if coefficient > _EPSILON:
                ratio = line.get(size, 0.0) / coefficient
                if (
                    best is None
                    or leaving is None
                    or ratio < best - _EPSILON
                    or (abs(ratio - best) <= _EPSILON and basis[i] < basis[leaving])
                ):
                    best, leaving = ratio, i
        if leaving is None:
            break  # unbounded below cannot happen for a sum of artificials
        factor = table[leaving][entering]
        # An entry that is exactly 0 changes nothing it is subtracted from, but copied into the
        # other rows it filled the tableau with zeros (six in seven entries of a pivot row were):
        # leaving them out gives the same numbers in a fraction of the time.
        pivot = {j: v / factor for j, v in table[leaving].items() if v != 0.0}
        table[leaving] = pivot
        entries = list(pivot.items())
        for i in touched:
            line = table[i]
            scale = line.get(entering, 0.0)
            if i != leaving and abs(scale) > _EPSILON:
                value_of = line.get
                for j, p in entries:
                    entry = value_of(j)
                    if entry is None:
                        rows_of[j].add(i)
                        entry = 0.0
                    line[j] = entry - scale * p
        scale = cost.get(entering, 0.0)
        for j, p in entries:
            value = cost.get(j, 0.0) - scale * p
            cost[j] = value
            if value < -_EPSILON and j < size and j not in queued:
                queued.add(j)
                heapq.heappush(waiting, j)
        basis[leaving] = entering
    if -cost.get(size, 0.0) > 1e-7:
        return None
    solution = {a: float(low[a]) for a in free}
    for i, j in enumerate(basis):
        if j < len(free):
            solution[free[j]] += table[i].get(size, 0.0)
    return solution


def _nearest(truth: int, low: int, high: int, reach: int = 12) -> Iterator[int]:
    """Values from ``low`` to ``high``, nearest ``truth`` first (within ``reach`` above it when
    ``high`` is unbounded: a witness needs a value, not every value). A bound worked out from an
    unbounded one is itself near :data:`_INF`, and counts as unbounded."""
    start = min(max(truth, low), high)
    top = high if high < _INF // 2 else start + reach
    yield start
    for step in range(1, max(start - low, top - start) + 1):
        if start + step <= top:
            yield start + step
        if start - step >= low:
            yield start - step

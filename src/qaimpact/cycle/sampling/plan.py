"""The draw: which cases each team audits next, and who audits them.

:func:`last_audits` finds when each case was last audited; :func:`make_plan` leaves out cases
audited within the window, draws each team's quota one practitioner at a time from the team's own
stream of the seed, and proposes auditors from other teams, least loaded first within capacity.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qaimpact.audits.records import AuditRecord
from qaimpact.base.errors import UsageError
from qaimpact.cycle.common import Window, case_key
from qaimpact.cycle.sampling.lists import Auditor, Case
from qaimpact.models.audit import person_key


@dataclass(frozen=True, slots=True)
class LastAudit:
    """The latest audit of a case."""

    date: dt.date
    audit_id: str
    path: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"date": self.date.isoformat(), "audit_id": self.audit_id, "file": self.path}


def last_audits(records: Iterable[AuditRecord], today: dt.date) -> dict[str, LastAudit]:
    """The latest audit of each case up to ``today``, by :func:`ident_key` of its identifier.

    Audits dated after ``today`` are not counted, so that a plan made with an earlier ``--today``
    comes out as it did then. Audits whose framework declares no ``case_id`` cannot be matched.
    """
    found: dict[str, LastAudit] = {}
    for record in records:
        key = case_key(record)
        if key is None or record.review_date > today:
            continue
        # case_key is "framework:identifier"; framework ids have no colon. A case list names
        # cases, not frameworks, so cases match on the identifier alone.
        ident = key.partition(":")[2]
        audit = LastAudit(record.review_date, record.audit_id, record.path)
        current = found.get(ident)
        if current is None or (audit.date, audit.audit_id) > (current.date, current.audit_id):
            found[ident] = audit
    return found


@dataclass(frozen=True, slots=True)
class Pick:
    """A chosen case, with the auditor proposed for it or why there is none."""

    case: Case
    last: LastAudit | None
    auditor: Auditor | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class TeamQuota:
    """How one team's quota was met."""

    team: str
    cases: int
    skipped: int
    quota: int
    chosen: int
    #: (practitioner, eligible cases, chosen cases), by practitioner.
    practitioners: tuple[tuple[str, int, int], ...]
    #: (stratum, eligible cases, chosen cases), by stratum, when the draw is stratified.
    strata: tuple[tuple[str, int, int], ...] = ()
    #: Cases left out as closed (none when closed cases are included).
    closed: int = 0

    @property
    def eligible(self) -> int:
        """Cases neither left out as closed nor audited within the window."""
        return self.cases - self.closed - self.skipped

    @property
    def shortfall(self) -> int:
        """How many cases short of the quota the team is."""
        return self.quota - self.chosen


@dataclass(frozen=True, slots=True)
class Plan:
    """Next month's sample."""

    seed: int
    per_team: int
    window: Window
    today: dt.date
    picks: tuple[Pick, ...]
    teams: tuple[TeamQuota, ...]
    skipped: tuple[tuple[Case, LastAudit], ...]
    #: Each auditor with the number of cases proposed for them; ``None`` without an auditors list.
    load: tuple[tuple[Auditor, int], ...] | None
    #: The column of the case list the draw was stratified by, if it was.
    stratify: str | None = None
    #: The cases left out as closed, by team and case id (none when they are included).
    closed: tuple[Case, ...] = ()
    #: Whether closed cases could be chosen (``sample --include-closed``).
    include_closed: bool = False
    #: Whether the case list says which cases are closed (a ``status`` or ``closed_on`` filled in).
    closure_recorded: bool = False

    @property
    def window_start(self) -> dt.date:
        """The first day of the exclusion window."""
        return self.window.start(self.today)


def _draw(cases: Sequence[Case], quota: int, rng: random.Random) -> list[Case]:
    """Up to ``quota`` cases, one practitioner at a time in a shuffled order, each case at random."""
    left: dict[str, list[Case]] = {}
    for case in sorted(cases, key=lambda c: (c.key, c.line)):
        left.setdefault(person_key(case.practitioner), []).append(case)
    order = sorted(left)
    rng.shuffle(order)
    chosen: list[Case] = []
    while len(chosen) < quota and any(left.values()):
        for person in order:
            if left[person] and len(chosen) < quota:
                chosen.append(left[person].pop(rng.randrange(len(left[person]))))
    return chosen


def allocate(sizes: Mapping[str, int], n: int) -> dict[str, int]:
    """How many of ``n`` cases each stratum gets: in proportion to its size (the eligible cases
    in it), at least one for each non-empty stratum when ``n`` allows, never more than its size.

    When ``n`` is smaller than the number of non-empty strata, the largest strata get one each.
    The share left after the one each goes, a case at a time, to the stratum furthest below its
    proportional share; ties go to the stratum first by name, so that the result is
    deterministic.
    """
    strata = sorted(s for s, size in sizes.items() if size > 0)
    total = sum(sizes[s] for s in strata)
    n = min(n, total)
    given = dict.fromkeys(sizes, 0)
    if n < len(strata):
        for s in sorted(strata, key=lambda s: (-sizes[s], s))[:n]:
            given[s] = 1
        return given
    for s in strata:
        given[s] = 1
    for _ in range(n - len(strata)):
        open_ = [s for s in strata if given[s] < sizes[s]]
        # Compared as fractions over the total, in whole numbers: n * size / total - given.
        chosen = max(open_, key=lambda s: (n * sizes[s] - given[s] * total, -strata.index(s)))
        given[chosen] += 1
    return given


def _draw_stratified(cases: Sequence[Case], quota: int, rng: random.Random) -> list[Case]:
    """Up to ``quota`` cases, allocated across the cases' strata (:func:`allocate`), each
    stratum's drawn as :func:`_draw` draws a team's."""
    by: dict[str, list[Case]] = {}
    for case in cases:
        by.setdefault(case.stratum or "", []).append(case)
    shares = allocate({s: len(c) for s, c in by.items()}, quota)
    chosen: list[Case] = []
    for stratum in sorted(by):
        chosen += _draw(by[stratum], shares[stratum], rng)
    return chosen


def _strata(eligible: Sequence[Case], chosen: Sequence[Case]) -> tuple[tuple[str, int, int], ...]:
    """(stratum, eligible cases, chosen cases) for each stratum of a team, by name."""
    held = [c.stratum or "" for c in eligible]
    picked = [c.stratum or "" for c in chosen]
    return tuple((s, held.count(s), picked.count(s)) for s in sorted(set(held)))


def _allowed(auditor: Auditor, case: Case) -> bool:
    """Whether ``auditor`` may audit ``case``: never a case of their own team, nor their own case,
    and only against a framework they audit (when the auditors list says which)."""
    other_team = person_key(auditor.team) != person_key(case.team)
    knows = not auditor.frameworks or case.framework is None or case.framework in auditor.frameworks
    return other_team and knows and person_key(auditor.name) != person_key(case.practitioner)


class _Assignment:
    """Auditors for cases: least loaded first, within capacity, moving earlier proposals when that
    is the only way to cover a case (an augmenting path), so a case is left without an auditor only
    when no arrangement at all could give it one."""

    def __init__(self, cases: Sequence[Case], auditors: Sequence[Auditor], rng: random.Random) -> None:
        self.cases, self.auditors, self.rng = cases, auditors, rng
        self.options = [[i for i, a in enumerate(auditors) if _allowed(a, case)] for case in cases]
        self.load = [0] * len(auditors)
        self.held: list[int | None] = [None] * len(cases)
        for c in range(len(cases)):
            self._assign(c)

    def _room(self, a: int) -> bool:
        capacity = self.auditors[a].capacity
        return capacity is None or self.load[a] < capacity

    def _assign(self, c: int) -> None:
        free = [a for a in self.options[c] if self._room(a)]
        if free:
            least = min(self.load[a] for a in free)
            self._give(c, self.rng.choice([a for a in free if self.load[a] == least]), None)
        elif self.options[c]:
            self._augment(c)

    def _give(self, c: int, a: int, previous: int | None) -> None:
        self.held[c] = a
        self.load[a] += 1
        if previous is not None:
            self.load[previous] -= 1

    def _augment(self, start: int) -> None:
        # Breadth first from the case's full auditors, through the cases they hold, to an auditor
        # with room; then each case on the path moves one step along it.
        came: dict[int, tuple[int, int | None]] = dict.fromkeys(self.options[start], (start, None))
        queue = deque(self.options[start])
        while queue:
            a = queue.popleft()
            if self._room(a):
                step: int | None = a
                while step is not None:
                    case, previous = came[step]
                    self._give(case, step, previous)
                    step = previous
                return
            for c, holder in enumerate(self.held):
                if holder != a:
                    continue
                for other in self.options[c]:
                    if other not in came:
                        came[other] = (c, a)
                        queue.append(other)

    def reason(self, c: int) -> str | None:
        """Why case ``c`` has no auditor (``None`` when it has one)."""
        if self.held[c] is not None:
            return None
        case = self.cases[c]
        others = [a for a in self.auditors if person_key(a.team) != person_key(case.team)]
        if not others:
            return f"no auditor from outside the {case.team} team is listed: add one to the auditors list"
        others = [a for a in others if not a.frameworks or case.framework in (None, *a.frameworks)]
        if not others:
            return (
                f"no auditor from outside the {case.team} team audits against {case.framework}: add it "
                "to an auditor's frameworks, or add an auditor"
            )
        if not self.options[c]:
            return (
                f"the only auditor from outside the {case.team} team is the case's practitioner: "
                "add another auditor"
            )
        return (
            f"every auditor from outside the {case.team} team has reached their capacity: "
            "raise a capacity or add an auditor"
        )


def make_plan(
    cases: Sequence[Case],
    last: Mapping[str, LastAudit],
    *,
    auditors: Sequence[Auditor] | None,
    today: dt.date,
    per_team: int,
    window: Window,
    seed: int,
    stratify: str | None = None,
    include_closed: bool = False,
) -> Plan:
    """Choose up to ``per_team`` cases of each team and propose an auditor for each.

    Closed cases (:meth:`Case.closed` on ``today``) are left out, as a practice audit is of
    work in progress whose practitioner and manager can act on it; ``include_closed`` lets them
    be chosen (the view marks each).

    With ``stratify`` (the name of the cases' column their :attr:`~Case.stratum` comes from),
    each team's quota is shared across the strata of its eligible cases in proportion to their
    size, at least one case from each when the quota allows (:func:`allocate`).

    Cases whose latest audit (``last``, by :func:`ident_key`) is within ``window`` of ``today`` are
    skipped. Within a team, practitioners take turns in a seeded random order, each turn taking one
    of their cases at random, until the quota is met or the cases run out. Auditors come from
    another team than the case's and are never its practitioner; each case goes to the auditor
    with the fewest cases so far (ties drawn at random), within their capacity.
    """
    if per_team < 1:
        raise UsageError(f"--per-team {per_team}: the quota must be at least 1 case per team.")
    start = window.start(today)

    def recent(case: Case) -> bool:
        return case.key in last and last[case.key].date >= start

    teams: dict[str, list[Case]] = {}
    for case in cases:
        teams.setdefault(person_key(case.team), []).append(case)
    picks: list[Case] = []
    quotas: list[TeamQuota] = []
    skipped: list[tuple[Case, LastAudit]] = []
    closed: list[Case] = []
    recorded = any(c.status is not None or c.closed_on is not None for c in cases)
    for team_key in sorted(teams):
        members = teams[team_key]
        # A closed case is left out as closed, whenever it was last audited.
        shut = [] if include_closed else sorted((c for c in members if c.closed(today)), key=lambda c: c.key)
        closed += shut
        left_out = set(shut)
        open_cases = [c for c in members if c not in left_out]
        eligible = [c for c in open_cases if not recent(c)]
        # A stream of the seed for each team: one team's cases never change another's draw.
        rng = random.Random(f"{seed}:{team_key}")
        chosen = _draw_stratified(eligible, per_team, rng) if stratify else _draw(eligible, per_team, rng)
        chosen.sort(key=lambda c: (person_key(c.practitioner), c.key))
        picks += chosen
        skipped += [(c, last[c.key]) for c in sorted(open_cases, key=lambda c: c.key) if recent(c)]
        quotas.append(
            TeamQuota(
                team=min(members, key=lambda c: c.line).team,
                cases=len(members),
                skipped=len(open_cases) - len(eligible),
                quota=per_team,
                chosen=len(chosen),
                practitioners=_spread(eligible, chosen),
                strata=_strata(eligible, chosen) if stratify else (),
                closed=len(shut),
            )
        )
    if auditors is None:
        return Plan(
            seed,
            per_team,
            window,
            today,
            tuple(Pick(c, last.get(c.key)) for c in picks),
            tuple(quotas),
            tuple(skipped),
            None,
            stratify,
            tuple(closed),
            include_closed,
            recorded,
        )
    # By name, so that the order of the auditors' rows does not change the proposals.
    ordered = sorted(auditors, key=lambda a: (person_key(a.name), a.line))
    assignment = _Assignment(picks, ordered, random.Random(f"{seed}:auditors"))
    final = tuple(
        Pick(c, last.get(c.key), None if held is None else ordered[held], assignment.reason(i))
        for i, (c, held) in enumerate(zip(picks, assignment.held, strict=True))
    )
    load = tuple(zip(ordered, assignment.load, strict=True))
    return Plan(
        seed,
        per_team,
        window,
        today,
        final,
        tuple(quotas),
        tuple(skipped),
        load,
        stratify,
        tuple(closed),
        include_closed,
        recorded,
    )


def _spread(eligible: Sequence[Case], chosen: Sequence[Case]) -> tuple[tuple[str, int, int], ...]:
    """(practitioner, eligible cases, chosen cases) for each of a team's practitioners, by name."""
    names: dict[str, str] = {}
    for case in eligible:
        names.setdefault(person_key(case.practitioner), case.practitioner)
    picked = [person_key(c.practitioner) for c in chosen]
    held = [person_key(c.practitioner) for c in eligible]
    return tuple((names[k], held.count(k), picked.count(k)) for k in sorted(names))

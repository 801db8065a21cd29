"""Sampling: choose next month's cases to audit, and propose an auditor for each.

A QA manager's monthly round. From the service's list of cases (a CSV exported from the case
management system), take a quota of cases from each team, leaving out cases audited recently;
spread each team's cases across its practitioners, so that nobody's work is audited twice before
a colleague's once; and propose for each case an auditor from another team, sharing the work out
evenly within each auditor's capacity.

The draw is random but seeded: the same seed and the same inputs give the same plan, byte for
byte, however the rows of the CSV are ordered. Each team draws from its own stream of the seed,
so adding or fixing one team's cases never changes another team's choice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qaimpact.audits.dataset import Dataset
from qaimpact.audits.records import AuditRecord
from qaimpact.authoring.scaffold import scaffold_audit
from qaimpact.base.diagnose import suggest
from qaimpact.base.errors import UsageError
from qaimpact.base.fileio import write_atomic
from qaimpact.cycle.common import Window, case_key
from qaimpact.frameworks.registry import Registry
from qaimpact.models.audit import person_key
from qaimpact.privacy.disclosure import count

#: The plan as CSV: one row per chosen case. ``seed`` repeats the seed on every row, so that the
#: file alone is enough to reproduce the plan.
COLUMNS = [
    "team",
    "case_id",
    "practitioner",
    "framework",
    "proposed_auditor",
    "auditor_team",
    "audit_file",
    "note",
    "seed",
]
#: A case list is a few thousand rows; anything far larger is not one.
MAX_CSV_BYTES = 5 * 1024 * 1024
#: Problems listed in one error; a file wrong on every line needs one fix, not ten thousand lines.
MAX_LISTED = 20

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_SAVE_AS = "in Excel use File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'"


def ident_key(value: str) -> str:
    """A case identifier as cases and audits are matched: ignoring case and spaces, so that
    ``lcs 001``, ``LCS001`` and ``Lcs001`` are one case (as :func:`~qaimpact.cycle.common.case_key`)."""
    return "".join(value.split()).casefold()


def _clean(value: str) -> str:
    return " ".join(value.split())


# -- reading the CSV files -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    """A case that can be sampled: one row of the cases CSV (``line`` is where it starts)."""

    line: int
    case_id: str
    team: str
    practitioner: str
    framework: str | None = None

    @property
    def key(self) -> str:
        """The identifier as audits are matched on it."""
        return ident_key(self.case_id)


@dataclass(frozen=True, slots=True)
class Auditor:
    """Someone who can audit: one row of the auditors CSV. ``capacity`` ``None`` means no limit."""

    line: int
    name: str
    team: str
    capacity: int | None = None
    #: The framework ids they audit against; empty means any.
    frameworks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    cells: dict[str, str]


def _column_name(cell: str) -> str:
    # "Case ID", "case-id" and " case_id " all name the case_id column.
    return re.sub(r"[\s\-]+", "_", cell.strip()).casefold()


def _names(items: Sequence[str], last: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def _refuse(path: Path, problems: list[str]) -> UsageError:
    listed = problems[:MAX_LISTED]
    more = len(problems) - len(listed)
    heading = f"{path} has {len(problems)} problem{'s' if len(problems) != 1 else ''}"
    lines = [f"{heading}; fix {'it' if len(problems) == 1 else 'them'} and run again:"]
    lines += [f"  {p}" for p in listed]
    if more:
        lines.append(f"  ... and {more} more.")
    return UsageError("\n".join(lines))


#: Separators a spreadsheet may have used instead of commas, as a header row of one cell shows.
_OTHER_SEPARATORS = ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars"))


def _read_table(path: Path, required: Sequence[str], optional: Sequence[str], noun: str) -> list[_Row]:
    """The rows of a CSV file with a header, as cells of the columns asked for (stripped).

    Raises :class:`UsageError` for a file that cannot be read as CSV, and for header problems.
    Blank rows (a spreadsheet's trailing ``,,,``) are left out.
    """
    if not path.exists():
        raise UsageError(f"'{path}' does not exist: check the path of the {noun} list.")
    if path.is_dir():
        raise UsageError(f"'{path}' is a folder: give the {noun} list's CSV file.")
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise UsageError(
            f"{path} is {size / 1024 / 1024:.1f} MB, more than the {MAX_CSV_BYTES // 1024 // 1024} MB "
            f"a {noun} list may be: remove the columns qaimpact does not use, or split the list."
        )
    raw = path.read_bytes()
    if raw.startswith(b"PK\x03\x04"):
        raise UsageError(f"{path} is a spreadsheet workbook, not a CSV file: {_SAVE_AS}.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UsageError(
            f"{path}:{line}: the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}): {_SAVE_AS}."
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise UsageError(f"{path}:{line}: the file holds binary data, so it is not a CSV file: {_SAVE_AS}.")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if any(c.strip() for c in cells):
                records.append((start, cells))
    except csv.Error as exc:
        raise UsageError(
            f"{path}:{reader.line_num}: this is not a well-formed CSV line ({exc}): a cell with a "
            f'comma, a quote or a line break must be in double quotes, with each quote inside doubled (""). '
            f"To be safe, {_SAVE_AS}."
        ) from None
    if not records:
        raise UsageError(
            f"{path} is empty: it needs a header row naming the columns {_names(required)}, "
            f"then one row per {noun}."
        )
    header_line, header = records[0]
    columns: dict[str, list[int]] = {}
    for index, cell in enumerate(header):
        columns.setdefault(_column_name(cell), []).append(index)
    problems: list[str] = []
    missing = [c for c in required if c not in columns]
    if missing:
        found = ", ".join(c.strip() for c in header if c.strip())
        separator = next(
            (name for mark, name in _OTHER_SEPARATORS if len(header) == 1 and mark in header[0]), None
        )
        hint = (
            f" It looks separated by {separator}, not commas: save it again as 'CSV UTF-8 (Comma delimited)'."
            if separator
            else ""
        )
        problems.append(
            f"{path}:{header_line}: the header row has no {_names(missing, 'or')} column: name the "
            f"columns {_names(required)} in the first row (it names: {found}).{hint}"
        )
    for name in (*required, *optional):
        places = columns.get(name, [])
        if len(places) > 1:
            problems.append(
                f"{path}:{header_line}: the header row names the {name} column {len(places)} times "
                f"(columns {_names([str(i + 1) for i in places])}): keep one and rename or delete the others."
            )
    if problems:
        raise _refuse(path, problems)
    wanted = {name: columns[name][0] for name in (*required, *optional) if name in columns}
    return [
        _Row(line, {name: cells[i].strip() if i < len(cells) else "" for name, i in wanted.items()})
        for line, cells in records[1:]
    ]


_CASE_FIXES = {
    "case_id": "write the case's identifier, as the audits record it (its case reference or ECMS number)",
    "team": "write the team that holds the case",
    "practitioner": "write the name of the practitioner who holds the case",
}


def read_cases(path: Path, frameworks: Collection[str]) -> list[Case]:
    """The cases of a cases CSV: columns ``case_id``, ``team``, ``practitioner``, optionally
    ``framework`` (one of ``frameworks``); any other column is ignored.

    Every problem found is reported at once, each at ``file:line`` with its column, in one
    :class:`UsageError`.
    """
    rows = _read_table(path, ("case_id", "team", "practitioner"), ("framework",), "case")
    if not rows:
        raise UsageError(f"{path} lists no cases: add one row per case under the header row.")
    known = sorted(frameworks)
    problems: list[str] = []
    cases: list[Case] = []
    first_line: dict[str, int] = {}
    for row in rows:
        cells = row.cells
        empty = [name for name in _CASE_FIXES if not cells[name]]
        problems += [f"{path}:{row.line}: the {name} cell is empty: {_CASE_FIXES[name]}." for name in empty]
        key = ident_key(cells["case_id"])
        if key and key in first_line:
            problems.append(
                f"{path}:{row.line}: the case_id '{cells['case_id']}' is already on line {first_line[key]} "
                "(case ids match ignoring case and spaces): delete one of the two rows."
            )
        elif key:
            first_line[key] = row.line
        framework = cells.get("framework", "").casefold() or None
        if framework is not None and framework not in frameworks:
            guess = suggest(framework, known)
            problems.append(
                f"{path}:{row.line}: the framework '{cells['framework']}' is not a known framework id"
                + (f"; did you mean '{guess}'?" if guess else ".")
                + f" Write one of {_names(known, 'or')}, or leave the cell empty."
            )
        if not empty:
            cases.append(
                Case(
                    row.line,
                    cells["case_id"],
                    _clean(cells["team"]),
                    _clean(cells["practitioner"]),
                    framework,
                )
            )
    if problems:
        raise _refuse(path, problems)
    return cases


def read_auditors(path: Path, frameworks: Collection[str] = ()) -> list[Auditor]:
    """The auditors of an auditors CSV: columns ``name``, ``team``, optionally ``capacity`` (the most
    audits they can take this round; empty for no limit) and ``frameworks`` (the framework ids they
    audit against, separated by spaces or semicolons; empty for any). Problems as for
    :func:`read_cases`; framework ids are checked against ``frameworks`` when it is given."""
    rows = _read_table(path, ("name", "team"), ("capacity", "frameworks"), "auditor")
    if not rows:
        raise UsageError(f"{path} lists no auditors: add one row per auditor under the header row.")
    problems: list[str] = []
    auditors: list[Auditor] = []
    first_line: dict[str, int] = {}
    for row in rows:
        cells = row.cells
        name, team, capacity_text = _clean(cells["name"]), _clean(cells["team"]), cells.get("capacity", "")
        ok = True
        if not name:
            problems.append(f"{path}:{row.line}: the name cell is empty: write the auditor's name.")
            ok = False
        if not team:
            problems.append(
                f"{path}:{row.line}: the team cell is empty: write the auditor's own team "
                "(they are never proposed for its cases)."
            )
            ok = False
        capacity = None
        if capacity_text:
            if not capacity_text.isdecimal():
                problems.append(
                    f"{path}:{row.line}: the capacity '{capacity_text}' is not a whole number of audits: "
                    "write the most audits this auditor can take this round (0, 1, 2 ...), or leave it "
                    "empty for no limit."
                )
                ok = False
            else:
                capacity = int(capacity_text)
        if name and person_key(name) in first_line:
            problems.append(
                f"{path}:{row.line}: the auditor '{name}' is already on line {first_line[person_key(name)]} "
                "(names match ignoring case and spaces): keep one row, with their whole capacity."
            )
            ok = False
        elif name:
            first_line[person_key(name)] = row.line
        chosen = tuple(f.casefold() for f in cells.get("frameworks", "").replace(";", " ").split())
        for ident in chosen:
            if frameworks and ident not in frameworks:
                known = sorted(frameworks)
                guess = suggest(ident, known)
                problems.append(
                    f"{path}:{row.line}: the framework '{ident}' is not a known framework id"
                    + (f"; did you mean '{guess}'?" if guess else ".")
                    + f" Write one or more of {_names(known, 'and')}, or leave the cell empty for any."
                )
                ok = False
        if ok:
            auditors.append(Auditor(row.line, name, team, capacity, chosen))
    if problems:
        raise _refuse(path, problems)
    return auditors


# -- the audits already done --------------------------------------------------------------------


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


# -- the plan --------------------------------------------------------------------------------------


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

    @property
    def eligible(self) -> int:
        """Cases not audited within the window."""
        return self.cases - self.skipped

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
) -> Plan:
    """Choose up to ``per_team`` cases of each team and propose an auditor for each.

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
    for team_key in sorted(teams):
        members = teams[team_key]
        eligible = [c for c in members if not recent(c)]
        # A stream of the seed for each team: one team's cases never change another's draw.
        chosen = _draw(eligible, per_team, random.Random(f"{seed}:{team_key}"))
        chosen.sort(key=lambda c: (person_key(c.practitioner), c.key))
        picks += chosen
        skipped += [(c, last[c.key]) for c in sorted(members, key=lambda c: c.key) if recent(c)]
        quotas.append(
            TeamQuota(
                team=min(members, key=lambda c: c.line).team,
                cases=len(members),
                skipped=len(members) - len(eligible),
                quota=per_team,
                chosen=len(chosen),
                practitioners=_spread(eligible, chosen),
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
        )
    # By name, so that the order of the auditors' rows does not change the proposals.
    ordered = sorted(auditors, key=lambda a: (person_key(a.name), a.line))
    assignment = _Assignment(picks, ordered, random.Random(f"{seed}:auditors"))
    final = tuple(
        Pick(c, last.get(c.key), None if held is None else ordered[held], assignment.reason(i))
        for i, (c, held) in enumerate(zip(picks, assignment.held, strict=True))
    )
    load = tuple(zip(ordered, assignment.load, strict=True))
    return Plan(seed, per_team, window, today, final, tuple(quotas), tuple(skipped), load)


def _spread(eligible: Sequence[Case], chosen: Sequence[Case]) -> tuple[tuple[str, int, int], ...]:
    """(practitioner, eligible cases, chosen cases) for each of a team's practitioners, by name."""
    names: dict[str, str] = {}
    for case in eligible:
        names.setdefault(person_key(case.practitioner), case.practitioner)
    picked = [person_key(c.practitioner) for c in chosen]
    held = [person_key(c.practitioner) for c in eligible]
    return tuple((names[k], held.count(k), picked.count(k)) for k in sorted(names))


# -- the view --------------------------------------------------------------------------------------


def round_of(today: dt.date) -> dt.date:
    """The first day of the month after ``today``: the month the sample is for.

    There is no month after December 9999, so a ``today`` in it is a :class:`UsageError`.
    """
    if (today.year, today.month) == (dt.date.max.year, 12):
        raise UsageError(
            f"--today {today.isoformat()} is in the last month a date can have, so there is no next "
            "month to sample for: give today's date, or leave --today out."
        )
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def audit_ids(month: dt.date, n: int, used: Collection[str] = ()) -> list[str]:
    """``n`` new audit ids for the round, ``SAMPLE-2026-12-001`` on, skipping ids in ``used``."""
    taken = {u.casefold() for u in used}
    ids: list[str] = []
    number = 0
    while len(ids) < n:
        number += 1
        ident = f"SAMPLE-{month:%Y-%m}-{number:03d}"
        if ident.casefold() not in taken:
            ids.append(ident)
    return ids


def _window_text(window: Window) -> str:
    return f"{window.amount}{window.unit}"


def sample_view(
    plan: Plan,
    dataset: Dataset,
    *,
    cases_file: str,
    auditors_file: str | None = None,
    scaffold_dir: Path | None = None,
    seed_given: bool = True,
) -> dict[str, Any]:
    """The plan as a JSON-ready view (kind ``sample``): the chosen cases with their proposed
    auditors, each team's quota and shortfall, the cases skipped as recently audited, the
    auditors' load, the seed and the options.

    With ``scaffold_dir`` each chosen case gets a new audit id and the file its audit is to be
    written to (:func:`write_audits`).
    """
    month = round_of(plan.today)
    ids = (
        audit_ids(month, len(plan.picks), [r.audit_id for r in dataset.records])
        if scaffold_dir is not None
        else [None] * len(plan.picks)
    )
    items = []
    for pick, ident in zip(plan.picks, ids, strict=True):
        case = pick.case
        notes = [pick.reason] if pick.reason else []
        if pick.last is not None:
            notes.append(f"last audited {pick.last.date.isoformat()} ({pick.last.audit_id})")
        items.append(
            {
                "team": case.team,
                "case_id": case.case_id,
                "line": case.line,
                "practitioner": case.practitioner,
                "framework": case.framework,
                "last_audit": pick.last.to_dict() if pick.last else None,
                "proposed_auditor": pick.auditor.name if pick.auditor else None,
                "auditor_team": pick.auditor.team if pick.auditor else None,
                "no_auditor_reason": pick.reason,
                "audit_id": ident,
                "audit_file": str(scaffold_dir / f"{ident}.yaml") if scaffold_dir and ident else None,
                "note": "; ".join(notes),
            }
        )
    teams = [
        {
            "team": t.team,
            "cases": count(t.cases),
            "skipped": count(t.skipped),
            "eligible": count(t.eligible),
            "quota": t.quota,
            "chosen": count(t.chosen),
            "shortfall": count(t.shortfall),
            "practitioners": [{"name": n, "eligible": e, "chosen": c} for n, e, c in t.practitioners],
        }
        for t in plan.teams
    ]
    unmatched: dict[str, int] = {}
    for record in dataset.records:
        if record.framework.spec.case_id is None:
            unmatched[record.framework.id] = unmatched.get(record.framework.id, 0) + 1
    notes = []
    if plan.load is None:
        notes.append(
            "No auditor is proposed: add --auditors AUDITORS.csv (columns name, team and, optionally, "
            "capacity and frameworks) to have one proposed for each case."
        )
    for ident, n in sorted(unmatched.items()):
        notes.append(
            f"{n} audit{'s' if n != 1 else ''} of {ident} could not be matched to cases, as its standards "
            "file declares no case_id: recently audited cases of it may have been chosen."
        )
    return {
        "kind": "sample",
        "today": plan.today.isoformat(),
        "round": f"{month:%Y-%m}",
        "round_label": f"{_MONTHS[month.month - 1]} {month.year}",
        "seed": plan.seed,
        "seed_given": seed_given,
        "options": {
            "per_team": plan.per_team,
            "exclude_audited_within": _window_text(plan.window),
            "window": str(plan.window),
            "window_start": plan.window_start.isoformat(),
            "cases_file": cases_file,
            "auditors_file": auditors_file,
            "scaffold_dir": str(scaffold_dir) if scaffold_dir is not None else None,
        },
        "sources": dataset.sources,
        "audits": len(dataset.records),
        "invalid_count": len(dataset.invalid),
        "invalid": [c.path for c in dataset.invalid],
        "totals": {
            "cases": count(sum(t.cases for t in plan.teams)),
            "teams": count(len(plan.teams)),
            "skipped": count(len(plan.skipped)),
            "eligible": count(sum(t.eligible for t in plan.teams)),
            "chosen": count(len(plan.picks)),
            "short_teams": count(sum(1 for t in plan.teams if t.shortfall)),
            "shortfall": count(sum(t.shortfall for t in plan.teams)),
            "without_auditor": count(
                0 if plan.load is None else sum(1 for p in plan.picks if p.auditor is None)
            ),
        },
        "plan": items,
        "teams": teams,
        "shortfalls": [
            {
                "team": t.team,
                "quota": t.quota,
                "eligible": t.eligible,
                "chosen": t.chosen,
                "missing": t.shortfall,
            }
            for t in plan.teams
            if t.shortfall
        ],
        "skipped": [
            {
                "team": case.team,
                "case_id": case.case_id,
                "line": case.line,
                "practitioner": case.practitioner,
                "last_audit": audit.to_dict(),
            }
            for case, audit in plan.skipped
        ],
        "auditors": (
            None
            if plan.load is None
            else [
                {"name": a.name, "team": a.team, "capacity": a.capacity, "proposed": n}
                for a, n in sorted(plan.load, key=lambda item: person_key(item[0].name))
            ]
        ),
        "notes": notes,
    }


def rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan as flat CSV rows (columns :data:`COLUMNS`)."""
    return [{k: item[k] for k in COLUMNS if k != "seed"} | {"seed": view["seed"]} for item in view["plan"]]


# -- writing the audits ----------------------------------------------------------------------------


def write_audits(view: dict[str, Any], registry: Registry, *, force: bool = False) -> list[Path]:
    """Write a blank audit for each chosen case to its ``audit_file``, creating the folder.

    Names, the case, its team and the new audit id are filled in; everything else is ``TODO``
    (``qaimpact validate`` lists them). Nothing is written if a case has no framework, or (unless
    ``force``) if any of the files exists.
    """
    folder = view["options"]["scaffold_dir"]
    if folder is None:
        raise ValueError("the view was made without a scaffold folder")
    cases_file = view["options"]["cases_file"]
    missing = [item for item in view["plan"] if item["framework"] is None]
    if missing:
        raise _refuse(
            Path(cases_file),
            [
                f"{cases_file}:{item['line']}: case {item['case_id']} was chosen but has no framework, "
                "which --scaffold needs to write its audit: fill in its framework column and run again "
                f"with --seed {view['seed']} to choose the same cases."
                for item in missing
            ],
        )
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise UsageError(f"--scaffold '{target}' is a file: give a folder for the new audits.")
    paths = [Path(item["audit_file"]) for item in view["plan"]]
    folders = [p for p in paths if p.is_dir()]
    if folders:
        raise UsageError(f"'{folders[0]}' is a folder, so the audit cannot be written there; move it.")
    existing = [str(p) for p in paths if p.exists()]
    if existing and not force:
        named = existing[:MAX_LISTED] + (
            [f"{len(existing) - MAX_LISTED} more"] if len(existing) > MAX_LISTED else []
        )
        raise UsageError(
            f"{_names(named)} already exist{'s' if len(existing) == 1 else ''}, so no audit file was "
            f"written: choose another --scaffold folder, or add --force to replace "
            f"{'it' if len(existing) == 1 else 'them'}."
        )
    target.mkdir(parents=True, exist_ok=True)
    header = (
        f"# Sampled for {view['round_label']} by `qaimpact sample` on {view['today']} "
        f"(seed {view['seed']}).\n"
    )
    for item, path in zip(view["plan"], paths, strict=True):
        last = item["last_audit"]
        note = f"# The case was last audited on {last['date']} ({last['audit_id']}).\n" if last else ""
        framework = registry.get(item["framework"])
        if framework is None:  # read_cases checked the ids against this registry
            raise UsageError(f"Unknown framework '{item['framework']}'.")
        text = scaffold_audit(
            framework,
            practitioner=item["practitioner"],
            reviewer=item["proposed_auditor"],
            case_ref=item["case_id"],
            audit_id=item["audit_id"],
            team=item["team"],
        )
        write_atomic(path, header + note + text)
    return paths

"""Following ``reaudit_of`` links into chains, and locating every link that cannot be followed.

:func:`link` builds each case's chain (the original audit, then its re-audits by date) and a
:class:`~qaimpact.cycle.common.Problem` at ``file:line:col`` for each unknown or shared
audit_id, a re-audit dated before its audit or of another case, and a loop.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from qaimpact.audits.records import AuditRecord
from qaimpact.base.loader import locate_in_file
from qaimpact.cycle.common import Problem
from qaimpact.cycle.impact.compare import by_date, reaudit_target
from qaimpact.models.audit import ident_key

HOW_TO_RECORD = (
    "To record a re-audit, add 'reaudit_of: AUDIT_ID' to it, naming the audit_id of the earlier "
    "audit of the same case."
)


@dataclass(frozen=True, slots=True)
class Links:
    """The re-audit links among a set of audits: the chains they make and what stops them."""

    #: Each case's audits: the original, then its re-audits by date.
    chains: list[list[AuditRecord]]
    problems: list[Problem]
    #: Re-audits in no chain, because a link on the way to their original is a problem.
    left_out: int
    #: Audits that declare ``reaudit_of``.
    declared: int


def _and(items: Sequence[str], word: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def case_value(record: AuditRecord) -> str | None:
    """The audit's case identifier as written (``None`` without ``case_id``)."""
    field = record.framework.spec.case_id
    value = (record.data.get("case") or {}).get(field) if field else None
    return None if value is None or not str(value).strip() else str(value)


def _same_case(a: AuditRecord, b: AuditRecord) -> bool | None:
    """Whether two audits are of one case (``None``: one of them does not say)."""
    first, second = case_value(a), case_value(b)
    if first is None or second is None:
        return None
    # A re-audit under a newer framework keeps the case's identifier even where the field is
    # renamed, so identifiers compare by value (as case_key compares them).
    return ident_key(first) == ident_key(second)


def _suggest(record: AuditRecord, target: str, records: Sequence[AuditRecord]) -> str:
    """The audits 'reaudit_of' may have meant: the earlier audits of the same case, else close ids."""
    of_case = [
        r.audit_id
        for r in records
        if r.audit_id != record.audit_id and r.review_date <= record.review_date and _same_case(record, r)
    ]
    if of_case:
        what = "the earlier audit" if len(of_case) == 1 else "earlier audits"
        return f"Did you mean {_and(of_case, 'or')}, {what} of this case? "
    # Numbered ids look alike (CFA-2026-0207, QA-2026-0142), so only near misses are suggested.
    others = sorted({r.audit_id for r in records} - {record.audit_id})
    close = difflib.get_close_matches(target, others, n=3, cutoff=0.85)
    return f"Did you mean {_and(close, 'or')}? " if close else ""


def _link_problems(
    record: AuditRecord, target: str, found: list[AuditRecord], records: Sequence[AuditRecord], invalid: int
) -> list[Problem]:
    if not found:
        hint = _suggest(record, target, records)
        hint += (
            "Give the audit_id of the earlier audit of this case; its file must be among the audits "
            "read (--audits)."
        )
        if invalid:
            hint += (
                f" {invalid} invalid audit file{'s were' if invalid != 1 else ' was'} left out: if it "
                "is one of them, fix it ('qaimpact validate' shows how)."
            )
        return [
            Problem(
                locate_in_file(record.path, ["reaudit_of"]),
                f"'reaudit_of' names {target}, but no audit read has that audit_id.",
                hint,
            )
        ]
    if len(found) > 1:
        files = [r.path for r in found]
        return [
            Problem(
                locate_in_file(record.path, ["reaudit_of"]),
                f"'reaudit_of' names {target}, which is the audit_id of {len(found)} audits "
                f"({_and(files)}), so which one this re-audits is ambiguous.",
                "Give each audit its own audit_id, then make 'reaudit_of' name the one this audit re-audits.",
            )
        ]
    [earlier] = found
    problems = []
    if record.review_date < earlier.review_date:
        problems.append(
            Problem(
                locate_in_file(record.path, ["review_date"]),
                f"This re-audit is dated {record.review_date.isoformat()}, before the audit it re-audits "
                f"({earlier.audit_id}, dated {earlier.review_date.isoformat()}, in {earlier.path}).",
                "Check both review dates, and that 'reaudit_of' names the earlier audit of this case.",
            )
        )
    if _same_case(record, earlier) is False:
        field = record.framework.spec.case_id
        problems.append(
            Problem(
                locate_in_file(record.path, ["case", field]),
                f"This re-audit is of case {case_value(record)}, but the audit it re-audits "
                f"({earlier.audit_id}, in {earlier.path}) is of case {case_value(earlier)}.",
                "Correct the case identifier, or make 'reaudit_of' name an earlier audit of this case.",
            )
        )
    return problems


def _loop_problem(cycle: list[AuditRecord]) -> Problem:
    ids = [r.audit_id for r in cycle]
    return Problem(
        locate_in_file(cycle[0].path, ["reaudit_of"]),
        f"The re-audit links go round in a loop: {ids[0]} re-audits "
        + ", which re-audits ".join([*ids[1:], ids[0]])
        + f" ({_and([r.path for r in cycle])}). None of these audits is the first audit of the case.",
        "The first audit of a case has no 'reaudit_of': remove it from that audit, or correct the "
        "audit_id it names.",
    )


def link(records: Sequence[AuditRecord], *, invalid: int = 0) -> Links:
    """Pair every audit with its re-audits, following chains; find every link that cannot hold.

    ``invalid`` is how many audit files were left out as invalid (a hint for an unknown id).
    """
    ordered = sorted(records, key=by_date)
    # Ids compare as everywhere else (QA704): ignoring case, spaces and dashes.
    by_id: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(ordered):
        by_id[ident_key(record.audit_id)].append(i)
    parent: dict[int, int] = {}
    problems: list[Problem] = []
    declared = 0
    for i, record in enumerate(ordered):
        target = reaudit_target(record)
        if target is None:
            continue
        declared += 1
        found = [ordered[j] for j in by_id.get(ident_key(target), [])]
        found_problems = _link_problems(record, target, found, ordered, invalid)
        problems += found_problems
        if not found_problems:
            parent[i] = by_id[ident_key(target)][0]
    # Each audit has at most one original, so following the links from any audit either ends at
    # an original or comes back round: a loop. Every loop is reported once.
    seen_in_loop: set[int] = set()
    for start in sorted(parent):
        path: list[int] = []
        node: int | None = start
        while node is not None and node not in path and node not in seen_in_loop:
            path.append(node)
            node = parent.get(node)
        if node is not None and node in path:
            cycle = path[path.index(node) :]
            seen_in_loop.update(cycle)
            first = min(cycle, key=lambda j: by_date(ordered[j]))
            turn = cycle.index(first)
            problems.append(_loop_problem([ordered[j] for j in cycle[turn:] + cycle[:turn]]))
    children: dict[int, list[int]] = defaultdict(list)
    for child, original in parent.items():
        children[original].append(child)
    chains = []
    for i, record in enumerate(ordered):
        if reaudit_target(record) is not None or i not in children:
            continue
        members, todo = [], list(children[i])
        while todo:
            node = todo.pop()
            members.append(node)
            todo += children.get(node, [])
        chains.append([record, *sorted((ordered[j] for j in members), key=by_date)])
    in_chains = sum(len(c) - 1 for c in chains)
    problems.sort(key=lambda p: (p.location, p.message))
    return Links(chains, problems, declared - in_chains, declared)


def within(chain: list[AuditRecord], date_from: dt.date | None, date_to: dt.date | None) -> list[AuditRecord]:
    """A chain as it stood at ``date_to``, if it was re-audited in the period (else empty)."""
    kept = [r for r in chain if date_to is None or r.review_date <= date_to]
    if len(kept) < 2 or (date_from is not None and kept[-1].review_date < date_from):
        return []
    return kept

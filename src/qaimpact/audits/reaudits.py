"""Following ``reaudit_of`` links: each case's chain of audits, and every link that cannot hold.

A re-audit names the audit it follows up with ``reaudit_of: AUDIT_ID``. :func:`follow` pairs
every audit with its re-audits, following chains, and gives a coded finding at ``file:line:col``
for each link that cannot hold: an unknown or shared audit_id (QA705), a re-audit dated before
its audit (QA706) or of another case (QA707), and a loop (QA708). The impact report follows the
links to compare each case's audits; ``validate`` given a folder reports the same findings, in
the same words, so that CI stops a broken link before a report has to leave the case out.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from qaimpact.audits.records import AuditRecord
from qaimpact.base.codes import diagnostic
from qaimpact.base.loader import locate_in_file
from qaimpact.models.audit import ident_key
from qaimpact.models.findings import Diagnostic

#: Where the audits a link may name are read from, as a report says it, and as ``validate`` does.
READ_BY_REPORTS = "among the audits read (--audits)"
READ_BY_VALIDATE = "among the files given"


@dataclass(frozen=True, slots=True)
class Followed:
    """The re-audit links among a set of audits: the chains they make and what stops them."""

    #: Each case's audits: the original, then its re-audits by date.
    chains: list[list[AuditRecord]]
    #: QA705-QA708, in file order.
    findings: list[Diagnostic]
    #: Re-audits in no chain, because a link on the way to their original cannot hold.
    left_out: int
    #: Audits that declare ``reaudit_of``.
    declared: int


def by_date(record: AuditRecord) -> tuple[dt.date, str, str]:
    """The order of a case's audits: by date, then audit id, then file."""
    return (record.review_date, record.audit_id, record.path)


def reaudit_target(record: AuditRecord) -> str | None:
    """The audit_id a re-audit names in ``reaudit_of`` (``None`` for an original audit)."""
    value = record.data.get("reaudit_of")
    return None if value is None else str(value).strip()


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
        for r in sorted(records, key=by_date)
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
    record: AuditRecord,
    target: str,
    found: list[AuditRecord],
    records: Sequence[AuditRecord],
    invalid: int,
    read: str,
) -> list[Diagnostic]:
    if not found:
        hint = _suggest(record, target, records)
        hint += f"Give the audit_id of the earlier audit of this case; its file must be {read}."
        if invalid:
            hint += (
                f" {invalid} invalid audit file{'s were' if invalid != 1 else ' was'} left out: if it "
                "is one of them, fix it ('qaimpact validate' shows how)."
            )
        return [
            diagnostic(
                "QA705",
                locate_in_file(record.path, ["reaudit_of"]),
                f"'reaudit_of' names {target}, but no audit read has that audit_id.",
                hint,
            )
        ]
    if len(found) > 1:
        files = [r.path for r in found]
        return [
            diagnostic(
                "QA705",
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
            diagnostic(
                "QA706",
                locate_in_file(record.path, ["review_date"]),
                f"This re-audit is dated {record.review_date.isoformat()}, before the audit it re-audits "
                f"({earlier.audit_id}, dated {earlier.review_date.isoformat()}, in {earlier.path}).",
                "Check both review dates, and that 'reaudit_of' names the earlier audit of this case.",
            )
        )
    if _same_case(record, earlier) is False:
        field = record.framework.spec.case_id
        problems.append(
            diagnostic(
                "QA707",
                locate_in_file(record.path, ["case", field]),
                f"This re-audit is of case {case_value(record)}, but the audit it re-audits "
                f"({earlier.audit_id}, in {earlier.path}) is of case {case_value(earlier)}.",
                "Correct the case identifier, or make 'reaudit_of' name an earlier audit of this case.",
            )
        )
    return problems


def _loop_problem(cycle: list[AuditRecord]) -> Diagnostic:
    ids = [r.audit_id for r in cycle]
    return diagnostic(
        "QA708",
        locate_in_file(cycle[0].path, ["reaudit_of"]),
        f"The re-audit links go round in a loop: {ids[0]} re-audits "
        + ", which re-audits ".join([*ids[1:], ids[0]])
        + f" ({_and([r.path for r in cycle])}). None of these audits is the first audit of the case.",
        "The first audit of a case has no 'reaudit_of': remove it from that audit, or correct the "
        "audit_id it names.",
    )


def follow(records: Sequence[AuditRecord], *, invalid: int = 0, read: str = READ_BY_REPORTS) -> Followed:
    """Pair every audit with its re-audits, following chains; find every link that cannot hold.

    ``invalid`` is how many audit files were left out as invalid, and ``read`` where the audits
    were read from, in the words of the command (:data:`READ_BY_REPORTS`,
    :data:`READ_BY_VALIDATE`): the hint for an unknown id says both.
    """
    # Only the re-audits and the audits they name can be in a chain: those alone are sorted and
    # walked, so that a folder of 10,000 audits, most never re-audited, is checked in little time.
    targets = [target for record in records if (target := reaudit_target(record)) is not None]
    if not targets:
        return Followed([], [], 0, 0)
    # Ids compare as everywhere else (QA704): ignoring case, spaces and dashes.
    wanted = {ident_key(target) for target in targets}
    ordered = sorted(
        (r for r in records if reaudit_target(r) is not None or ident_key(r.audit_id) in wanted), key=by_date
    )
    by_id: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(ordered):
        by_id[ident_key(record.audit_id)].append(i)
    parent: dict[int, int] = {}
    problems: list[Diagnostic] = []
    declared = 0
    for i, record in enumerate(ordered):
        target = reaudit_target(record)
        if target is None:
            continue
        declared += 1
        found = [ordered[j] for j in by_id.get(ident_key(target), [])]
        found_problems = _link_problems(record, target, found, records, invalid, read)
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
    return Followed(chains, problems, declared - in_chains, declared)

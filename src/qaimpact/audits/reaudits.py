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
import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from qaimpact.audits.records import AuditRecord
from qaimpact.base.codes import diagnostic
from qaimpact.base.loader import locate_in_file
from qaimpact.models.audit import ident_key
from qaimpact.models.findings import Diagnostic
from qaimpact.models.listing import and_list, or_list

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


class _Suggestions:
    """What the hint of a link to an unknown audit offers, worked out once for every link of a run,
    so that a folder whose re-audits all name audits kept elsewhere (last year's folder) is
    checked in time proportional to its audits, not to their square.

    :meth:`of` gives the earlier audits of the link's case, else the ids one slip away from the id
    written (a letter or figure changed, left out or added, or two swapped) that
    :func:`difflib.get_close_matches` rates alike (cutoff 0.85), best first, as before; those are
    found through each id with one character left out (:attr:`_near`), not by comparing the id
    written with every id read. An id two slips away, which difflib could rate alike too, is no
    longer offered. An id one slip away that is an audit of another case is not offered as the
    audit meant: the hint names its case beside this one's, as either the id or the case
    identifier may be the slip, and linking a child's re-audit to another child's audit on a
    guess would be worse than no guess.
    """

    def __init__(self, records: Sequence[AuditRecord]) -> None:
        # Both indexes are built at the first unknown link: most runs have none, and every
        # report and validate of a folder follows the links.
        self._records = records
        self._by_case: dict[str, list[AuditRecord]] | None = None
        self._near: dict[str, set[str]] | None = None
        self._by_id: dict[str, AuditRecord] = {}

    def of(self, record: AuditRecord, target: str) -> str:
        """The start of the hint for ``record``'s link to ``target``, which no audit has."""
        value = case_value(record)
        of_case = [
            r.audit_id
            for r in (self._cases().get(ident_key(value), []) if value is not None else [])
            if r.audit_id != record.audit_id and r.review_date <= record.review_date
        ]
        if of_case:
            what = "the earlier audit" if len(of_case) == 1 else "earlier audits"
            return f"Did you mean {or_list(of_case)}, {what} of this case? "
        # Numbered ids look alike (CFA-2026-0207, QA-2026-0142), so only near misses are suggested.
        candidates = {i for v in _one_out(target) for i in self._near_misses().get(v, ())} - {record.audit_id}
        matcher = difflib.SequenceMatcher(b=target)
        scored = []
        for candidate in candidates:
            matcher.set_seq1(candidate)
            score = matcher.ratio()
            if score >= _CUTOFF:
                scored.append((score, candidate))
        close = [candidate for _, candidate in heapq.nlargest(3, scored)]
        meant = [i for i in close if _same_case(record, self._by_id[i]) is not False]
        if meant:
            return f"Did you mean {or_list(meant)}? "
        if not close:
            return ""
        # Every id written alike is of another case (``value`` is known, or none would be).
        if len(close) == 1:
            [other] = close
            alike = f"{other} is written alike, but is an audit of case {case_value(self._by_id[other])}"
            which = "it is"
        else:
            cases = [f"{i} (case {case_value(self._by_id[i])})" for i in close]
            alike = f"{and_list(cases)} are written alike, but are audits of other cases"
            which = "one of them is"
        return (
            f"{alike}, and this audit is of case {value}: if {which} the audit re-audited, correct the "
            "case identifier as well. "
        )

    def _cases(self) -> dict[str, list[AuditRecord]]:
        if self._by_case is None:
            self._by_case = defaultdict(list)
            for record in sorted(self._records, key=by_date):
                value = case_value(record)
                if value is not None:
                    self._by_case[ident_key(value)].append(record)
        return self._by_case

    def _near_misses(self) -> dict[str, set[str]]:
        if self._near is None:
            self._near = defaultdict(set)
            for record in self._records:
                # The first read of an id shared by two files (QA704) stands for it.
                self._by_id.setdefault(record.audit_id, record)
            for ident in self._by_id:
                for variant in _one_out(ident):
                    self._near[variant].add(ident)
        return self._near


#: How alike an id written and an id read must be to be offered (difflib's ratio).
_CUTOFF = 0.85


def _one_out(text: str) -> set[str]:
    """``text``, and ``text`` with each one of its characters left out."""
    return {text, *(text[:i] + text[i + 1 :] for i in range(len(text)))}


def _link_problems(
    record: AuditRecord,
    target: str,
    found: list[AuditRecord],
    suggestions: _Suggestions,
    invalid: int,
    read: str,
) -> list[Diagnostic]:
    if not found:
        hint = suggestions.of(record, target)
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
                f"({and_list(files)}), so which one this re-audits is ambiguous.",
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
        + f" ({and_list([r.path for r in cycle])}). None of these audits is the first audit of the case.",
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
    suggestions = _Suggestions(records)
    parent: dict[int, int] = {}
    problems: list[Diagnostic] = []
    declared = 0
    for i, record in enumerate(ordered):
        target = reaudit_target(record)
        if target is None:
            continue
        declared += 1
        found = [ordered[j] for j in by_id.get(ident_key(target), [])]
        found_problems = _link_problems(record, target, found, suggestions, invalid, read)
        problems += found_problems
        if not found_problems:
            parent[i] = by_id[ident_key(target)][0]
    # Each audit has at most one original, so following the links from any audit either ends at
    # an original or comes back round: a loop. Every loop is reported once.
    seen_in_loop: set[int] = set()
    for start in sorted(parent):
        path: list[int] = []
        on_path: set[int] = set()  # beside the list, so that a long chain is walked in linear time
        node: int | None = start
        while node is not None and node not in on_path and node not in seen_in_loop:
            path.append(node)
            on_path.add(node)
            node = parent.get(node)
        if node is not None and node in on_path:
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

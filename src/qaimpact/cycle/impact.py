"""Impact: what changed for a case between its audit and its re-audits.

A re-audit names the audit it follows up with ``reaudit_of: AUDIT_ID``. Following those links
back from every re-audit gives each case's chain: the original audit, then its re-audits by date
(a re-audit of a re-audit belongs to the same chain). For each chain this module shows how the
grade moved, first to latest and at each step; how each standard's rating moved; which learning
points were resolved, persist or are new; and whether the remedial actions agreed at the earlier
audits were done.

Grades compare on their framework's own scale, in steps (``grade_rank``). When a re-audit uses
another framework, as after a migration, the two grades compare on the scale both frameworks
share (``comparison:`` in their standards files) or not at all: never by the grades' names.

A link that cannot be followed (an unknown audit_id, a re-audit dated before its audit or of
another case, an audit_id that two files share, a loop) is a :class:`~qaimpact.cycle.common.Problem`
located in the file; the audits beyond it are left out of the figures rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from qaimpact.audits.dataset import Dataset
from qaimpact.audits.records import AuditRecord, facet, learning_items
from qaimpact.base.errors import UsageError
from qaimpact.cycle.common import Problem, days, grade_of_record, iso, left_out, locate
from qaimpact.models.standard import NOT_APPLICABLE, Framework
from qaimpact.privacy.disclosure import count, share
from qaimpact.privacy.redaction import Redactor

IMPROVED, SAME, DECLINED = "improved", "same", "declined"
DIRECTIONS = (IMPROVED, SAME, DECLINED)
#: Actions agreed at an earlier audit: done, still open, or open and past their due date.
DONE, OPEN, OVERDUE = "done", "open", "overdue"

COLUMNS = [
    "case",
    "original_audit_id",
    "original_file",
    "original_framework",
    "original_date",
    "original_grade",
    "reaudit_audit_id",
    "reaudit_file",
    "reaudit_framework",
    "reaudit_date",
    "reaudit_grade",
    "reaudit_number",
    "days_between",
    "compared_on",
    "steps",
    "direction",
    "not_comparable_reason",
    "standards_improved",
    "standards_same",
    "standards_declined",
    "standards_not_compared",
    "learning_resolved",
    "learning_persisting",
    "learning_new",
    "actions_done",
    "actions_open",
    "actions_overdue",
]

HOW_TO_RECORD = (
    "To record a re-audit, add 'reaudit_of: AUDIT_ID' to it, naming the audit_id of the earlier "
    "audit of the same case."
)

Show = Callable[[AuditRecord], AuditRecord]


def _as_is(record: AuditRecord) -> AuditRecord:
    return record


def _by_date(record: AuditRecord) -> tuple[dt.date, str, str]:
    return (record.review_date, record.audit_id, record.path)


def _target(record: AuditRecord) -> str | None:
    value = record.data.get("reaudit_of")
    return None if value is None else str(value).strip()


# -- scales: what two grades are compared on -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scale:
    """What grades are compared on: one framework's own grades, or a scale frameworks share."""

    name: str
    levels: tuple[str, ...]
    shared: bool

    def position(self, framework: Framework, grade: str) -> int:
        """Where a grade sits on the scale: 0 is best."""
        if self.shared:
            return self.levels.index(framework.comparison_level[grade])
        return framework.grade_rank[grade]


def _title(fw: Framework) -> str:
    return f"{fw.spec.title} ({fw.id})"


def own_scale(fw: Framework) -> Scale:
    """A framework's own grade scale."""
    return Scale(f"the {fw.spec.title} grades", tuple(fw.grade_rank), shared=False)


def shared_scale(fw: Framework) -> Scale | None:
    """The comparison scale a framework declares (``None`` without one)."""
    key = fw.comparison_key()
    return None if key is None else Scale(f"the shared '{key[0]}' scale", key[1], shared=True)


def scale_between(earlier: Framework, later: Framework) -> Scale | None:
    """The scale grades of the two frameworks compare on; ``None`` when they cannot be compared."""
    if earlier.id == later.id:
        return own_scale(later)
    key = earlier.comparison_key()
    if key is None or key != later.comparison_key():
        return None
    return shared_scale(later)


def why_not_comparable(earlier: Framework, later: Framework) -> str:
    """Why grades of two frameworks cannot be compared, in plain English, and what would fix it."""
    first, second = earlier.comparison_key(), later.comparison_key()
    missing = [fw for fw, key in ((earlier, first), (later, second)) if key is None]
    if len(missing) == 2:
        return (
            f"{_title(earlier)} and {_title(later)} declare no shared comparison scale, so their grades "
            "cannot be compared; 'comparison:' in both standards files would place them on one."
        )
    if missing:
        other = later if missing[0] is earlier else earlier
        return (
            f"{_title(missing[0])} declares no comparison scale, so its grades cannot be compared with "
            f"those of {_title(other)}; 'comparison:' in its standards file would place them on one."
        )
    assert first is not None
    assert second is not None
    if first[0] != second[0]:
        return (
            f"{_title(earlier)} grades compare on the '{first[0]}' scale and {_title(later)} on the "
            f"'{second[0]}' scale, so their grades cannot be compared."
        )
    return (
        f"{_title(earlier)} and {_title(later)} both name the '{first[0]}' scale but with different "
        f"levels ({', '.join(first[1])}; {', '.join(second[1])}), so their grades cannot be compared."
    )


def _direction(steps: int) -> str:
    return IMPROVED if steps > 0 else DECLINED if steps < 0 else SAME


def _steps_text(steps: int) -> str:
    if steps == 0:
        return "stayed the same"
    word = "step" if abs(steps) == 1 else "steps"
    return f"{_direction(steps)} by {abs(steps)} {word}"


def _grade(fw: Framework, grade: str) -> dict[str, Any]:
    return {
        "id": grade,
        "label": fw.grade_labels[grade],
        "rank": fw.grade_rank[grade],
        "level": fw.comparison_level.get(grade),
    }


def movement(earlier: AuditRecord, later: AuditRecord) -> dict[str, Any]:
    """How the grade moved from one audit to a later one, in steps on a scale both share.

    ``steps`` is positive when the grade improved. Audits of different frameworks compare on
    their shared comparison scale; without one, ``comparable`` is false and ``reason`` says why.
    """
    a, b = earlier.framework, later.framework
    base = {
        "from": earlier.audit_id,
        "to": later.audit_id,
        "from_grade": _grade(a, grade_of_record(earlier)),
        "to_grade": _grade(b, grade_of_record(later)),
        "days": days(earlier.review_date, later.review_date),
    }
    scale = scale_between(a, b)
    if scale is None:
        return {
            **base,
            "comparable": False,
            "on": None,
            "steps": None,
            "direction": None,
            "text": "cannot be compared",
            "reason": why_not_comparable(a, b),
        }
    steps = scale.position(a, grade_of_record(earlier)) - scale.position(b, grade_of_record(later))
    return {
        **base,
        "comparable": True,
        "on": scale.name,
        "steps": steps,
        "direction": _direction(steps),
        "text": _steps_text(steps),
        "reason": None,
    }


# -- standards, learning and actions ---------------------------------------------------------------


def _rating(record: AuditRecord, group: str, standard: str) -> str | None:
    entry = (record.data.get(group) or {}).get(standard) or {}
    rating = entry.get("rating")
    return None if rating is None else str(rating)


def _rating_info(fw: Framework, rating: str | None) -> dict[str, Any]:
    return {"id": rating, "label": "Not rated" if rating is None else fw.rating_labels.get(rating, rating)}


def standard_changes(earlier: AuditRecord, later: AuditRecord) -> list[dict[str, Any]]:
    """Each standard's rating in two audits of one framework, and how it moved.

    A standard rated in neither audit is left out; one not applicable or not rated in either
    is shown with ``direction`` ``None`` and a ``note`` saying which.
    """
    fw = later.framework
    if earlier.framework.id != fw.id:
        raise ValueError("ratings compare only between audits of one framework")
    out = []
    for group in fw.spec.groups:
        for std in group.standards:
            before, after = _rating(earlier, group.id, std.id), _rating(later, group.id, std.id)
            if before is None and after is None:
                continue
            steps = None
            if before in fw.rating_rank and after in fw.rating_rank:
                steps = fw.rating_rank[before] - fw.rating_rank[after]
            notes = []
            if before == after == NOT_APPLICABLE:
                notes.append("not applicable in either audit")
            else:
                for record, rating in ((earlier, before), (later, after)):
                    if rating == NOT_APPLICABLE:
                        notes.append(f"not applicable in {record.audit_id}")
                    elif rating is None:
                        notes.append(f"not rated in {record.audit_id}")
            out.append(
                {
                    "id": std.id,
                    "title": std.title.rstrip("."),
                    "group": group.title,
                    "from": _rating_info(fw, before),
                    "to": _rating_info(fw, after),
                    "steps": steps,
                    "direction": None if steps is None else _direction(steps),
                    "note": "; ".join(notes) or None,
                }
            )
    return out


def learning_changes(earlier: Sequence[AuditRecord], later: AuditRecord) -> dict[str, list[dict[str, Any]]]:
    """Learning points of the earlier audits against the latest: resolved, persisting and new.

    ``earlier`` are audits of the latest audit's framework (learning keys are the framework's).
    """
    raised: dict[str, dict[str, Any]] = {}
    for record in earlier:
        for key, group, label in learning_items(record):
            entry = raised.setdefault(key, {"key": key, "area": group, "label": label, "audits": []})
            entry["audits"].append(record.audit_id)
    now = {key: (group, label) for key, group, label in learning_items(later)}
    return {
        "resolved": [e for k, e in raised.items() if k not in now],
        "persisting": [
            {**e, "audits": [*e["audits"], later.audit_id]} for k, e in raised.items() if k in now
        ],
        "new": [
            {"key": k, "area": group, "label": label, "audits": [later.audit_id]}
            for k, (group, label) in now.items()
            if k not in raised
        ],
    }


def earlier_actions(earlier: Sequence[AuditRecord], today: dt.date, show: Show) -> list[dict[str, Any]]:
    """The remedial actions agreed at the earlier audits: done or still open, and how overdue."""
    out = []
    for record in earlier:
        for action in show(record).data.get("remedial_actions") or []:
            due, closed = action.get("due"), action.get("closed_on")
            done = action.get("status") == "done"
            current = DONE if done else OVERDUE if due is not None and due < today else OPEN
            out.append(
                {
                    "audit_id": record.audit_id,
                    "action": action["action"],
                    "owner": action["owner"],
                    "due": iso(due),
                    "status": "done" if done else "open",
                    "closed_on": iso(closed),
                    "evidence": action.get("evidence"),
                    "state": current,
                    "overdue_days": days(due, today) if current == OVERDUE else 0,
                    "closed_late_days": days(due, closed) if done and due and closed and closed > due else 0,
                }
            )
    return out


def compare(chain: Sequence[AuditRecord], today: dt.date, show: Show) -> dict[str, Any]:
    """The last audit of a chain against the ones before it: grade, standards, learning, actions.

    Ratings and learning points compare with the earlier audits of the latest audit's framework
    only; a framework's standards and learning points are its own.
    """
    first, latest = chain[0], chain[-1]
    same = [r for r in chain[:-1] if r.framework.id == latest.framework.id]
    if same:
        rows = standard_changes(same[0], latest)
        standards: dict[str, Any] = {"from": same[0].audit_id, "to": latest.audit_id, "note": None}
        learning: dict[str, Any] = {**learning_changes(same, latest), "note": None}
    else:
        rows = []
        note = (
            f"Not compared: {latest.audit_id} is the first audit of this case under "
            f"{_title(latest.framework)}, and ratings and learning points compare only within one framework."
        )
        standards = {"from": None, "to": latest.audit_id, "note": note}
        learning = {"resolved": [], "persisting": [], "new": [], "note": note}
    moved = Counter(r["direction"] for r in rows)
    standards |= {"rows": rows, **{d: moved[d] for d in DIRECTIONS}, "not_compared": moved[None]}
    learning["kind"] = "learning points" if latest.framework.spec.learning else "standards rated below good"
    actions = earlier_actions(chain[:-1], today, show)
    states = Counter(a["state"] for a in actions)
    return {
        "movement": movement(first, latest),
        "standards": standards,
        "learning": learning,
        "actions": {
            "items": actions,
            "done": states[DONE],
            "open": states[OPEN] + states[OVERDUE],
            "overdue": states[OVERDUE],
        },
    }


# -- linking re-audits to their audits -------------------------------------------------------------


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


def _case_value(record: AuditRecord) -> str | None:
    field = record.framework.spec.case_id
    value = (record.data.get("case") or {}).get(field) if field else None
    return None if value is None or not str(value).strip() else str(value)


def _same_case(a: AuditRecord, b: AuditRecord) -> bool | None:
    """Whether two audits are of one case (``None``: one of them does not say)."""
    first, second = _case_value(a), _case_value(b)
    if first is None or second is None:
        return None
    # A re-audit under a newer framework keeps the case's identifier even where the field is
    # renamed, so identifiers compare by value (ignoring case and spaces, as case_key does).
    return "".join(first.split()).casefold() == "".join(second.split()).casefold()


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
                locate(record, ["reaudit_of"]),
                f"'reaudit_of' names {target}, but no audit read has that audit_id.",
                hint,
            )
        ]
    if len(found) > 1:
        files = [r.path for r in found]
        return [
            Problem(
                locate(record, ["reaudit_of"]),
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
                locate(record, ["review_date"]),
                f"This re-audit is dated {record.review_date.isoformat()}, before the audit it re-audits "
                f"({earlier.audit_id}, dated {earlier.review_date.isoformat()}, in {earlier.path}).",
                "Check both review dates, and that 'reaudit_of' names the earlier audit of this case.",
            )
        )
    if _same_case(record, earlier) is False:
        field = record.framework.spec.case_id
        problems.append(
            Problem(
                locate(record, ["case", field]),
                f"This re-audit is of case {_case_value(record)}, but the audit it re-audits "
                f"({earlier.audit_id}, in {earlier.path}) is of case {_case_value(earlier)}.",
                "Correct the case identifier, or make 'reaudit_of' name an earlier audit of this case.",
            )
        )
    return problems


def _loop_problem(cycle: list[AuditRecord]) -> Problem:
    ids = [r.audit_id for r in cycle]
    return Problem(
        locate(cycle[0], ["reaudit_of"]),
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
    ordered = sorted(records, key=_by_date)
    by_id: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(ordered):
        by_id[record.audit_id].append(i)
    parent: dict[int, int] = {}
    problems: list[Problem] = []
    declared = 0
    for i, record in enumerate(ordered):
        target = _target(record)
        if target is None:
            continue
        declared += 1
        found = [ordered[j] for j in by_id.get(target, [])]
        found_problems = _link_problems(record, target, found, ordered, invalid)
        problems += found_problems
        if not found_problems:
            parent[i] = by_id[target][0]
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
            first = min(cycle, key=lambda j: _by_date(ordered[j]))
            turn = cycle.index(first)
            problems.append(_loop_problem([ordered[j] for j in cycle[turn:] + cycle[:turn]]))
    children: dict[int, list[int]] = defaultdict(list)
    for child, original in parent.items():
        children[original].append(child)
    chains = []
    for i, record in enumerate(ordered):
        if _target(record) is not None or i not in children:
            continue
        members, todo = [], list(children[i])
        while todo:
            node = todo.pop()
            members.append(node)
            todo += children.get(node, [])
        chains.append([record, *sorted((ordered[j] for j in members), key=_by_date)])
    in_chains = sum(len(c) - 1 for c in chains)
    problems.sort(key=lambda p: (p.location, p.message))
    return Links(chains, problems, declared - in_chains, declared)


def within(chain: list[AuditRecord], date_from: dt.date | None, date_to: dt.date | None) -> list[AuditRecord]:
    """A chain as it stood at ``date_to``, if it was re-audited in the period (else empty)."""
    kept = [r for r in chain if date_to is None or r.review_date <= date_to]
    if len(kept) < 2 or (date_from is not None and kept[-1].review_date < date_from):
        return []
    return kept


# -- the headline: how many re-audited cases improved ----------------------------------------------


def _key(chain: Sequence[AuditRecord]) -> tuple[str, str]:
    return (chain[0].framework.id, chain[-1].framework.id)


def _shares(directions: list[str], publish: bool) -> dict[str, Any]:
    n = len(directions)
    return {"compared": count(n, publish)} | {d: share(directions.count(d), n, publish) for d in DIRECTIONS}


def headline(chains: Sequence[Sequence[AuditRecord]], *, publish: bool = False) -> dict[str, Any]:
    """The share of re-audited cases that improved, stayed the same and declined, first to latest.

    One group per framework (or pair of frameworks, for cases re-audited under another), on its
    own scale; and overall, only when every compared case sits on one shared comparison scale.
    """
    grouped: dict[tuple[str, str], list[Sequence[AuditRecord]]] = defaultdict(list)
    for chain in chains:
        grouped[_key(chain)].append(chain)
    groups = []
    compared: list[Sequence[AuditRecord]] = []
    for key in sorted(grouped):
        members = grouped[key]
        first, latest = members[0][0].framework, members[0][-1].framework
        scale = scale_between(first, latest)
        moves = [movement(c[0], c[-1]) for c in members]
        if scale is not None:
            compared += members
        groups.append(
            {
                "key": key[0] if key[0] == key[1] else f"{key[0]} to {key[1]}",
                "title": first.spec.title
                if key[0] == key[1]
                else f"{first.spec.title} to {latest.spec.title}",
                "on": scale.name if scale else None,
                "cases": count(len(members), publish),
                **_shares([m["direction"] for m in moves if m["comparable"]], publish),
                "not_comparable": count(0 if scale else len(members), publish),
                "reason": None if scale else why_not_comparable(first, latest),
            }
        )
    overall, reason = _overall(compared, publish)
    return {"groups": groups, "overall": overall, "overall_reason": reason}


def _overall(chains: list[Sequence[AuditRecord]], publish: bool) -> tuple[dict[str, Any] | None, str | None]:
    if not chains:
        return None, None
    frameworks = {fw.id: fw for c in chains for fw in (c[0].framework, c[-1].framework)}
    keys = {fw.comparison_key() for fw in frameworks.values()}
    if None in keys:
        lacking = sorted(_title(fw) for fw in frameworks.values() if fw.comparison_key() is None)
        one = len(lacking) == 1
        return None, (
            f"No overall figure: {' and '.join(lacking)} declare{'s' if one else ''} no comparison scale "
            f"('comparison:' in {'its standards file' if one else 'their standards files'}), so "
            f"{'its' if one else 'their'} cases cannot be put on one scale with the others."
        )
    if len(keys) > 1:
        names = sorted(f"'{k[0]}'" for k in keys if k is not None)
        return None, (
            f"No overall figure: the frameworks compare on different scales ({', '.join(names)}), "
            "so their cases cannot be added up."
        )
    some = next(iter(frameworks.values()))
    scale = shared_scale(some)
    assert scale is not None
    directions = [
        _direction(
            scale.position(c[0].framework, grade_of_record(c[0]))
            - scale.position(c[-1].framework, grade_of_record(c[-1]))
        )
        for c in chains
    ]
    return {"on": scale.name, **_shares(directions, publish)}, None


# -- the view --------------------------------------------------------------------------------------


def _shower(records: Sequence[AuditRecord], redact: bool) -> tuple[Show, Callable[[str], str]]:
    """What to show of each audit, and of any text: the audit itself, or its redacted twin."""
    if not redact:
        return _as_is, str
    redactor = Redactor(records)
    twins = {r.path: redactor.record(r) for r in records}
    return (lambda r: twins[r.path]), redactor.text


def _audit(record: AuditRecord, show: Show) -> dict[str, Any]:
    shown = show(record)
    return {
        "audit_id": record.audit_id,
        "file": shown.path,
        "framework": record.framework.id,
        "framework_title": record.framework.spec.title,
        "review_date": record.review_date.isoformat(),
        "practitioner": shown.data["practitioner"],
        "reviewer": shown.data["reviewer"],
        "team": facet(shown, "team"),
        "grade": _grade(record.framework, grade_of_record(record)),
        "moderated": "moderation" in record.data and bool(record.data["moderation"]),
    }


def _counts(comparison: dict[str, Any]) -> dict[str, Any]:
    standards, learning, actions = comparison["standards"], comparison["learning"], comparison["actions"]
    return {
        "standards": {k: standards[k] for k in (*DIRECTIONS, "not_compared")},
        "learning": {k: len(learning[k]) for k in ("resolved", "persisting", "new")},
        "actions": {k: actions[k] for k in (DONE, OPEN, OVERDUE)},
    }


def case_view(chain: Sequence[AuditRecord], today: dt.date, show: Show = _as_is) -> dict[str, Any]:
    """One re-audited case: its audits, the grade at each step, and the latest against the earlier."""
    original = chain[0]
    latest = compare(chain, today, show)
    # Each re-audit against the original, as the chain stood at that re-audit (the CSV's rows).
    reaudits = []
    for k in range(1, len(chain)):
        part = latest if k == len(chain) - 1 else compare(chain[: k + 1], today, show)
        reaudits.append(
            {"audit": _audit(chain[k], show), "movement": movement(original, chain[k]), **_counts(part)}
        )
    return {
        "case": _case_value(show(original)),
        "frameworks": list(dict.fromkeys(r.framework.id for r in chain)),
        "original": _audit(original, show),
        "latest": _audit(chain[-1], show),
        "audits": [_audit(r, show) for r in chain],
        "steps": [movement(a, b) for a, b in itertools.pairwise(chain)],
        **latest,
        "reaudits": reaudits,
    }


def impact_view(
    dataset: Dataset,
    today: dt.date,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    redact: bool = False,
) -> dict[str, Any]:
    """The impact report: every re-audited case, how it moved, and the problems with the links.

    ``date_from``/``date_to`` choose the cases re-audited in the period, each as it stood at
    ``date_to``; the links are followed through every audit read, so an original audit from
    before the period still counts. ``redact`` pseudonymises names, case identifiers and paths
    (after the links are followed, so the pseudonyms cannot split one case in two).
    """
    if date_from and date_to and date_from > date_to:
        raise UsageError(f"--from {date_from} is after --to {date_to}.")
    links = link(dataset.records, invalid=len(dataset.invalid))
    chains = [c for c in (within(c, date_from, date_to) for c in links.chains) if c]
    show, text = _shower(dataset.records, redact)
    problems = []
    for problem in links.problems:
        entry = problem.to_dict()
        problems.append(entry | {k: text(entry[k]) for k in ("file", "where", "message", "hint")})
    return {
        "kind": "impact",
        "today": today.isoformat(),
        "sources": dataset.sources,
        "period": {"from": iso(date_from), "to": iso(date_to)},
        "audits": len(dataset.records),
        "invalid_count": len(dataset.invalid),
        "invalid": left_out([c.path for c in dataset.invalid], redact=redact),
        "declared": links.declared,
        "reaudits": sum(len(c) - 1 for c in chains),
        "left_out": links.left_out,
        "outside_period": len(links.chains) - len(chains),
        "how_to_record": HOW_TO_RECORD,
        "headline": headline(chains),
        "cases": [case_view(c, today, show) for c in chains],
        "problems": problems,
    }


def rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat CSV row per (original, re-audit) pair (columns :data:`COLUMNS`)."""
    out = []
    for case in view["cases"]:
        original = case["original"]
        for number, pair in enumerate(case["reaudits"], start=1):
            audit, move = pair["audit"], pair["movement"]
            out.append(
                {
                    "case": case["case"],
                    "original_audit_id": original["audit_id"],
                    "original_file": original["file"],
                    "original_framework": original["framework"],
                    "original_date": original["review_date"],
                    "original_grade": original["grade"]["id"],
                    "reaudit_audit_id": audit["audit_id"],
                    "reaudit_file": audit["file"],
                    "reaudit_framework": audit["framework"],
                    "reaudit_date": audit["review_date"],
                    "reaudit_grade": audit["grade"]["id"],
                    "reaudit_number": number,
                    "days_between": move["days"],
                    "compared_on": move["on"],
                    # Unsigned: the direction says which way, and spreadsheet-safe CSV would
                    # quote a leading minus sign as if it began a formula.
                    "steps": None if move["steps"] is None else abs(move["steps"]),
                    "direction": move["direction"],
                    "not_comparable_reason": move["reason"],
                    **{f"standards_{k}": v for k, v in pair["standards"].items()},
                    **{f"learning_{k}": v for k, v in pair["learning"].items()},
                    **{f"actions_{k}": v for k, v in pair["actions"].items()},
                }
            )
    return out


def summary_section(records: Sequence[AuditRecord], *, today: dt.date, publish: bool) -> dict[str, Any]:
    """The impact figures for the quarterly summary (no names, ids or files when ``publish``).

    Re-audited cases and how many improved, stayed the same or declined; learning points of the
    earlier audits resolved or persisting at the latest; earlier remedial actions done or open.
    """
    links = link(records)
    compared = [compare(c, today, _as_is) for c in links.chains]
    learning = {k: sum(len(c["learning"][k]) for c in compared) for k in ("resolved", "persisting", "new")}
    actions = {k: sum(c["actions"][k] for c in compared) for k in (DONE, OPEN, OVERDUE)}
    return {
        "cases": count(len(links.chains), publish),
        "reaudits": count(sum(len(c) - 1 for c in links.chains), publish),
        **headline(links.chains, publish=publish),
        "learning": {k: count(n, publish) for k, n in learning.items()}
        | {
            "resolved_share": share(
                learning["resolved"], learning["resolved"] + learning["persisting"], publish
            )
        },
        "actions": {k: count(n, publish) for k, n in actions.items()}
        | {"done_share": share(actions[DONE], actions[DONE] + actions[OPEN], publish)},
        "problems": count(len(links.problems), publish),
        "how_to_record": HOW_TO_RECORD,
    }

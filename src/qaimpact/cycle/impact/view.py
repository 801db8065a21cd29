"""The impact report: the headline share improved, each case's view, CSV rows, the summary's section."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from qaimpact.audits.dataset import Dataset, check_period_order
from qaimpact.audits.quarters import Quarters
from qaimpact.audits.reaudits import case_value, follow
from qaimpact.audits.records import SETTLED_GRADE, AuditRecord, facet
from qaimpact.cycle.common import Problem, left_out, period_view
from qaimpact.cycle.impact.chains import HOW_TO_RECORD, within
from qaimpact.cycle.impact.compare import (
    DIRECTIONS,
    DONE,
    OPEN,
    OVERDUE,
    Scale,
    Show,
    as_is,
    compare,
    direction_of,
    earlier_actions,
    grade_info,
    learning_and_actions,
    movement,
    scale_between,
    shared_scale,
    titled,
    why_not_comparable,
)
from qaimpact.models.standard import Framework
from qaimpact.privacy.disclosure import Figures
from qaimpact.privacy.redaction import Redactor

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


def _key(chain: Sequence[AuditRecord]) -> tuple[str, str]:
    return (chain[0].framework.id, chain[-1].framework.id)


def _possible(
    first: Framework, latest: Framework, overall: Scale | None
) -> set[tuple[str | None, str | None]]:
    """The pairs (direction on the case's own scale, direction on the overall scale) a case of
    the two frameworks can have: a reader who knows their scales knows no other can happen."""
    own = scale_between(first, latest)
    if own is None:
        return {(None, None)}
    pairs: set[tuple[str | None, str | None]] = set()
    for a in first.grade_rank:
        for b in latest.grade_rank:
            mine = direction_of(own.position(first, a) - own.position(latest, b))
            shared = None
            if overall is not None:
                shared = direction_of(overall.position(first, a) - overall.position(latest, b))
            pairs.add((mine, shared))
    return pairs


def headline(
    chains: Sequence[Sequence[AuditRecord]], *, publish: bool = False, figures: Figures | None = None
) -> dict[str, Any]:
    """The share of re-audited cases that improved, stayed the same and declined, first to latest.

    One group per framework (or pair of frameworks, for cases re-audited under another), on its
    own scale; and overall, only when every compared case sits on one shared comparison scale.
    Each case is counted in one cell of (group, direction on its own scale, direction overall):
    the groups' counts and the overall ones are sums of those cells in ``figures``, so that a
    published summary protects them together (without ``figures``, here).
    """
    ledger = figures if figures is not None else Figures(publish)
    grouped: dict[tuple[str, str], list[Sequence[AuditRecord]]] = defaultdict(list)
    for chain in chains:
        grouped[_key(chain)].append(chain)
    comparable = [
        c for key in sorted(grouped) for c in grouped[key] if scale_between(c[0].framework, c[-1].framework)
    ]
    overall_scale, reason = _overall_scale(comparable)
    overall_cells: dict[str, list[dict[str, Any]]] = {d: [] for d in DIRECTIONS}
    groups = []
    for key in sorted(grouped):
        members = grouped[key]
        first, latest = members[0][0].framework, members[0][-1].framework
        scale = scale_between(first, latest)
        overall = overall_scale if scale is not None else None
        seen: Counter[tuple[str | None, str | None]] = Counter()
        for chain in members:
            shared = None
            if overall is not None:
                shared = direction_of(
                    overall.position(first, chain[0].settled_grade)
                    - overall.position(latest, chain[-1].settled_grade)
                )
            seen[(movement(chain[0], chain[-1])["direction"], shared)] += 1
        pairs = sorted(_possible(first, latest, overall) | set(seen), key=str)
        cells = {pair: ledger.count(seen[pair], shown=False, guard=False) for pair in pairs}
        # Shown: the report shows each as a share of the cases compared, so the ledger decides
        # them as it decides every count it shows (shown=False withheld them whatever their value).
        own = {d: ledger.total([c for (m, _), c in cells.items() if m == d]) for d in DIRECTIONS}
        compared = ledger.total(list(own.values()))
        not_comparable = ledger.total([c for (m, _), c in cells.items() if m is None])
        for d in DIRECTIONS:
            overall_cells[d] += [c for (_, o), c in cells.items() if o == d]
        groups.append(
            {
                "key": key[0] if key[0] == key[1] else f"{key[0]} to {key[1]}",
                "title": first.spec.title
                if key[0] == key[1]
                else f"{first.spec.title} to {latest.spec.title}",
                "on": scale.name if scale else None,
                "cases": ledger.total([compared, not_comparable], at_least=1),
                "compared": compared,
                **{d: ledger.share(own[d], compared) for d in DIRECTIONS},
                "not_comparable": not_comparable,
                "reason": None if scale else why_not_comparable(first, latest),
            }
        )
    overall_view = None
    if overall_scale is not None:
        directions = {d: ledger.total(overall_cells[d]) for d in DIRECTIONS}
        compared_all = ledger.total(list(directions.values()))
        overall_view = {
            "on": overall_scale.name,
            "compared": compared_all,
            **{d: ledger.share(directions[d], compared_all) for d in DIRECTIONS},
        }
    if figures is None:
        ledger.protect()
    return {"groups": groups, "overall": overall_view, "overall_reason": reason}


def _overall_scale(chains: list[Sequence[AuditRecord]]) -> tuple[Scale | None, str | None]:
    """The one scale every compared case sits on, or why there is none (``None, None``: no case)."""
    if not chains:
        return None, None
    frameworks = {fw.id: fw for c in chains for fw in (c[0].framework, c[-1].framework)}
    keys = {fw.comparison_key() for fw in frameworks.values()}
    if None in keys:
        lacking = sorted(titled(fw) for fw in frameworks.values() if fw.comparison_key() is None)
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
    scale = shared_scale(next(iter(frameworks.values())))
    assert scale is not None
    return scale, None


def _shower(dataset: Dataset, redact: bool) -> tuple[Show, Callable[[str], str], list[str]]:
    """What to show of each audit, of any text and of the folders read: the audit itself, or its
    redacted twin."""
    records = dataset.records
    if not redact:
        return as_is, str, list(dataset.sources)
    redactor = Redactor(records)
    twins = {r.path: redactor.record(r) for r in records}
    # The text shown is of the link problems: a file, its place, and a message that quotes other
    # files' paths, each redacted as a path is (a name in lower case in a folder's name too).
    return (lambda r: twins[r.path]), redactor.path, redactor.folders(dataset.sources)


def _audit(record: AuditRecord, show: Show) -> dict[str, Any]:
    shown = show(record)
    return {
        "audit_id": shown.audit_id,
        "file": shown.path,
        "framework": record.framework.id,
        "framework_title": record.framework.spec.title,
        "review_date": record.review_date.isoformat(),
        "practitioner": shown.data["practitioner"],
        "reviewer": shown.data["reviewer"],
        "team": facet(shown, "team"),
        "grade": grade_info(record.framework, record.settled_grade),
        "moderated": record.settled_by_moderation,
    }


def _counts(comparison: dict[str, Any]) -> dict[str, Any]:
    standards, learning, actions = comparison["standards"], comparison["learning"], comparison["actions"]
    return {
        "standards": {k: standards[k] for k in (*DIRECTIONS, "not_compared")},
        "learning": {k: len(learning[k]) for k in ("resolved", "persisting", "new")},
        "actions": {k: actions[k] for k in (DONE, OPEN, OVERDUE)},
    }


def case_view(chain: Sequence[AuditRecord], today: dt.date, show: Show = as_is) -> dict[str, Any]:
    """One re-audited case: its audits, the grade at each step, and the latest against the earlier."""
    original = chain[0]
    latest = compare(chain, today, show)
    # Each re-audit against the original, as the chain stood at that re-audit (the CSV's rows).
    reaudits = []
    for k in range(1, len(chain)):
        part = latest if k == len(chain) - 1 else compare(chain[: k + 1], today, show)
        reaudits.append(
            {"audit": _audit(chain[k], show), "movement": movement(original, chain[k], show), **_counts(part)}
        )
    return {
        "case": case_value(show(original)),
        "frameworks": list(dict.fromkeys(r.framework.id for r in chain)),
        "original": _audit(original, show),
        "latest": _audit(chain[-1], show),
        "audits": [_audit(r, show) for r in chain],
        "steps": [movement(a, b, show) for a, b in itertools.pairwise(chain)],
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
    quarters: Quarters | None = None,
    quarter: str | None = None,
) -> dict[str, Any]:
    """The impact report: every re-audited case, how it moved, and the problems with the links.

    ``date_from``/``date_to`` choose the cases re-audited in the period, each as it stood at
    ``date_to``; the links are followed through every audit read, so an original audit from
    before the period still counts. ``redact`` pseudonymises names, case identifiers and paths
    (after the links are followed, so the pseudonyms cannot split one case in two). ``quarter``
    (of ``quarters``) names the period when ``date_from``/``date_to`` are a quarter's first and
    last day (``--quarter``): the cases re-audited in it, each as it stood at its end.
    """
    check_period_order(date_from, date_to)
    links = follow(dataset.records, invalid=len(dataset.invalid))
    chains = [c for c in (within(c, date_from, date_to) for c in links.chains) if c]
    show, text, sources = _shower(dataset, redact)
    problems = []
    for found in links.findings:
        entry = Problem(found.location, found.message, found.hint).to_dict()
        problems.append(entry | {k: text(entry[k]) for k in ("file", "where", "message", "hint")})
    return {
        "kind": "impact",
        "today": today.isoformat(),
        "sources": sources,
        "period": period_view(date_from, date_to, quarters, quarter),
        "audits": len(dataset.records),
        "invalid_count": len(dataset.invalid),
        "invalid_audits": dataset.invalid_audits,
        "invalid": left_out([c.path for c in dataset.invalid], redact=redact),
        "declared": links.declared,
        "reaudits": sum(len(c) - 1 for c in chains),
        "left_out": links.left_out,
        "outside_period": len(links.chains) - len(chains),
        "how_to_record": HOW_TO_RECORD,
        "grade_basis": SETTLED_GRADE,
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


def summary_section(
    records: Sequence[AuditRecord],
    *,
    today: dt.date,
    publish: bool,
    figures: Figures | None = None,
    outside: Sequence[AuditRecord] = (),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    cycle_actions: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The impact figures for the quarterly summary (no names, ids or files when ``publish``).

    Re-audited cases and how many improved, stayed the same or declined; learning points of the
    earlier audits resolved or persisting at the latest; earlier remedial actions done or open.
    With ``figures`` (the summary's ledger) the counts are protected with the rest of the
    summary; without, here.

    ``records`` are the audits of the period (``date_from`` to ``date_to``), ``outside`` the
    other audits read: as ``qaimpact impact`` does, the cases re-audited in the period are
    counted, each as it stood at its end, their earlier audits followed whenever they were.

    ``cycle_actions`` is the summary's remedial actions section (its counts in the same ledger):
    an earlier audit's action open today is one of that section's open actions (an audit in the
    period) or of those it counts as carried in (an audit before it), and the ledger is told so,
    as a reader knows it.
    """
    ledger = figures if figures is not None else Figures(publish)
    links = follow([*records, *outside])
    chains = [c for c in (within(c, date_from, date_to) for c in links.chains) if c]
    # The problems of links from the period's audits; the others belong to other periods.
    mine = {r.path for r in records}
    problems = [p for p in links.findings if p.location.path in mine]
    learning: Counter[str] = Counter()
    actions: Counter[str] = Counter()
    for chain in chains:
        points, earlier = learning_and_actions(chain, today)
        learning.update(points)
        actions.update(earlier)
    top = headline(chains, figures=ledger)
    cases = ledger.total([g["cases"] for g in top["groups"]])
    # Re-audits beyond the first of each case: "9 cases (10 re-audits)" says there is one.
    extra = ledger.count(sum(len(c) - 2 for c in chains), shown=False)
    reaudits = ledger.total([cases, extra], breakdown=False)
    resolved, persisting, new = (ledger.count(learning[k]) for k in ("resolved", "persisting", "new"))
    earlier = ledger.total([resolved, persisting])
    done = ledger.count(actions[DONE])
    # The open actions, by whether their audit is before the period or in it: each part is some
    # of the summary's own open actions or of those carried in.
    states = _action_states(chains, today, date_from)
    parts = {
        (before, state): ledger.count(states[(before, state)], shown=False)
        for before in (True, False)
        for state in (OVERDUE, OPEN)
    }
    overdue = ledger.total([parts[(True, OVERDUE)], parts[(False, OVERDUE)]], breakdown=False)
    not_overdue = ledger.total([parts[(True, OPEN)], parts[(False, OPEN)]], shown=False, breakdown=False)
    open_ = ledger.total([overdue, not_overdue])
    if cycle_actions is not None:
        _within_cycle_actions(ledger, parts, cycle_actions)
    section = {
        "cases": cases,
        "reaudits": reaudits,
        **top,
        "learning": {"resolved": resolved, "persisting": persisting, "new": new}
        | {"resolved_share": ledger.share(resolved, earlier)},
        "actions": {DONE: done, OPEN: open_, OVERDUE: overdue}
        | {"done_share": ledger.share(done, ledger.total([done, open_], breakdown=False))},
        "problems": ledger.count(len(problems)),
        "how_to_record": HOW_TO_RECORD,
        "grade_basis": SETTLED_GRADE,
    }
    if figures is None:
        ledger.protect()
    return section


def _action_states(
    chains: Sequence[Sequence[AuditRecord]], today: dt.date, date_from: dt.date | None
) -> Counter[tuple[bool, str]]:
    """The earlier audits' remedial actions by (audit before ``date_from``, state today)."""
    found: Counter[tuple[bool, str]] = Counter()
    for chain in chains:
        for record in chain[:-1]:
            before = date_from is not None and record.review_date < date_from
            for item in earlier_actions([record], today, as_is):
                found[(before, item["state"])] += 1
    return found


def _within_cycle_actions(
    ledger: Figures, parts: dict[tuple[bool, str], dict[str, Any]], cycle: dict[str, Any]
) -> None:
    """Tell ``ledger`` that the open (and overdue) actions of earlier audits are some of the
    summary's: those of audits in the period among its own, those before it among the carried in."""
    groups = [(False, cycle)]
    if cycle.get("carried_in") is not None:
        groups.append((True, cycle["carried_in"]))
    for before, whole in groups:
        opened = ledger.total([parts[(before, OVERDUE)], parts[(before, OPEN)]], shown=False, breakdown=False)
        for part, of in ((opened, whole["open"]), (parts[(before, OVERDUE)], whole["overdue"])):
            # Always so by how both are counted; a link that did not hold would be a defect, and
            # is left out rather than stop the report.
            if part["n"] <= of["n"]:
                ledger.within(part, of)

"""Escalations: every audit that must be escalated, how far its escalation has gone, and what is late.

Which audits need escalating is the frameworks' data, decided in one place
(:func:`qaimpact.grading.escalation_triggers.triggers`, on the most severe of the computed,
recorded and moderated grades and the audit's own facts); how far each escalation has gone is
the audit's ``escalation:`` record, read by :mod:`qaimpact.grading.escalation_lifecycle`: not
raised, raised (awaiting acknowledgement), acknowledged (awaiting the outcome for the child),
outcome recorded (awaiting closure) or closed. Ages are counted in days from a ``today`` the
caller passes in, so a report can be reproduced; the rules set when each step is due.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections.abc import Sequence
from typing import Any

from qaimpact.audits.checker import AuditCheck
from qaimpact.audits.dataset import Dataset
from qaimpact.audits.quarters import Quarters
from qaimpact.audits.records import SETTLED_GRADE, AuditRecord, facet
from qaimpact.cycle.common import (
    days,
    earlier_holding,
    iso,
    left_out,
    matching_names,
    names_as_written,
    period_view,
    summary_themes,
    theme_label,
    themed,
    themes_by_framework,
)
from qaimpact.grading.escalation_lifecycle import (
    ACKNOWLEDGED,
    ACKNOWLEDGED_LATE,
    ACKNOWLEDGEMENT_OVERDUE,
    CLOSED,
    NOT_RAISED,
    NOT_TOLD,
    OFF_ROUTE,
    OUTCOME_LATE,
    OUTCOME_OVERDUE,
    RAISE_OVERDUE,
    RAISED,
    RAISED_LATE,
    STATE_LABELS,
    STATES,
    Lifecycle,
    days_late,
    lifecycle,
    recipients,
)
from qaimpact.grading.escalation_triggers import Signals, Trigger
from qaimpact.models.listing import and_list
from qaimpact.privacy.disclosure import THRESHOLD, Figures, count
from qaimpact.privacy.redaction import Redactor

COLUMNS = [
    "state",
    "audit_id",
    "file",
    "framework",
    "review_date",
    "practitioner",
    "team",
    "grade",
    "recorded_grade",
    "moderated_grade",
    "evidence",
    "escalation",
    "raise_to",
    "due",
    "raised_to",
    "raised_on",
    "recipients",
    "not_told",
    "acknowledge_due",
    "acknowledged_on",
    "acknowledged_by",
    "outcome_due",
    "outcome",
    "safe_on",
    "closed_on",
    "closed_by",
    "age_days",
    "waiting_days",
    "overdue_days",
    "raised_late_days",
    "acknowledgement_overdue_days",
    "acknowledged_late_days",
    "outcome_overdue_days",
    "outcome_late_days",
    "flags",
    "reasons",
    "theme",
    "carried_in",
]


def _grade(record: AuditRecord) -> dict[str, Any]:
    """The settled grade, as every report shows it, with every grade that can call for escalation:
    the grade the ratings give, the auditor's and the moderator's, and the most severe of them."""
    fw, grade, computed = record.framework, record.settled_grade, record.computed_grade
    signals = Signals.of(fw, record.data, computed)
    label = fw.grade_labels[grade]
    others = []
    if grade != computed:
        others.append(f"moderated; the ratings give {fw.grade_labels[computed]}")
    if signals.recorded and signals.recorded not in (grade, computed):
        others.append(f"recorded {fw.grade_labels[signals.recorded]}")
    if others:
        label += " (" + "; ".join(others) + ")"
    worst = signals.most_severe(fw)
    return {
        "id": grade,
        "label": label,
        "computed": computed,
        "recorded": signals.recorded,
        "moderated": signals.moderated,
        "most_severe": worst,
        "most_severe_label": fw.grade_labels[worst],
        "evidence": signals.evidence(fw),
    }


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def notes(life: Lifecycle) -> list[str]:
    """What is amiss with an escalation, in plain English (the flags, in their order)."""
    out = [f"Raised to {t.who}, who is not on the route ({and_list(life.route)})." for t in life.off_route]
    if life.not_told:
        verb = "is" if len(life.not_told) == 1 else "are"
        out.append(f"{and_list(life.not_told)} {verb} on the route but not recorded as told.")
    raised_late = days_late(life.raised_on, life.due)
    if raised_late:
        out.append(f"Raised {_days(raised_late)} after it was due ({life.due.isoformat()}).")
    for role, late in life.told_late:
        out.append(f"{role} told {_days(late)} after it was due ({life.due.isoformat()}).")
    if life.acknowledgement_overdue_days and life.acknowledge_due:
        out.append(
            f"Not acknowledged: due by {life.acknowledge_due.isoformat()}, "
            f"{_days(life.acknowledgement_overdue_days)} overdue."
        )
    if life.acknowledged_late_days and life.acknowledge_due:
        out.append(
            f"Acknowledged {_days(life.acknowledged_late_days)} after it was due "
            f"({life.acknowledge_due.isoformat()})."
        )
    if life.outcome_overdue_days and life.outcome_due:
        out.append(
            f"No outcome for the child recorded: due by {life.outcome_due.isoformat()}, "
            f"{_days(life.outcome_overdue_days)} overdue."
        )
    if life.outcome_late_days and life.outcome_due:
        out.append(
            f"The case was confirmed safe {_days(life.outcome_late_days)} after the outcome was due "
            f"({life.outcome_due.isoformat()})."
        )
    return out


def escalation_item(record: AuditRecord, found: Sequence[Trigger], today: dt.date) -> dict[str, Any]:
    """One audit that needs escalating: the rules, how far it has gone, ages and anything amiss."""
    life = lifecycle(found, record.data, today)
    outcome = life.outcome
    return {
        "audit_id": record.audit_id,
        "file": record.path,
        "framework": record.framework.id,
        "review_date": record.review_date.isoformat(),
        "practitioner": record.data["practitioner"],
        "reviewer": record.data["reviewer"],
        "team": facet(record, "team"),
        "grade": _grade(record),
        "rules": [
            {
                "id": t.rule.id,
                "title": t.rule.title,
                "route": list(t.rule.roles),
                "raise_to": and_list(t.rule.roles),
                "within_days": t.rule.within_days,
                "acknowledge_within_days": t.rule.acknowledge_within_days,
                "outcome_within_days": t.rule.outcome_within_days,
                "reasons": list(t.reasons),
            }
            for t in found
        ],
        "raise_to": list(life.route),
        "due": life.due.isoformat(),
        "acknowledge_due": iso(life.acknowledge_due),
        "outcome_due": iso(life.outcome_due),
        "state": life.state,
        "state_label": STATE_LABELS[life.state],
        "raised_to": "; ".join(t.role for t in life.recipients) or None,
        "recipients": [
            {
                "role": t.role,
                "name": t.name,
                "told_on": t.told_on.isoformat(),
                "on_route": t not in life.off_route,
            }
            for t in life.recipients
        ],
        "not_told": list(life.not_told),
        "raised_on": iso(life.raised_on),
        "acknowledged_on": iso(life.acknowledged_on),
        "acknowledged_by": life.acknowledged_by,
        "outcome": {"action_taken": outcome["action_taken"], "safe_on": iso(outcome["safe_on"])}
        if outcome
        else None,
        "closed_on": iso(life.closed_on),
        "closed_by": life.closed_by,
        "note": life.note,
        "age_days": days(record.review_date, today),
        "waiting_days": life.waiting_days,
        "overdue_days": life.raise_overdue_days,
        "raised_late_days": life.raised_late_days,
        "acknowledgement_overdue_days": life.acknowledgement_overdue_days,
        "acknowledged_late_days": life.acknowledged_late_days,
        "outcome_overdue_days": life.outcome_overdue_days,
        "outcome_late_days": life.outcome_late_days,
        "overdue": life.overdue,
        "flags": list(life.flags),
        "days_to_raise": days(life.start, life.raised_on) if life.raised_on else None,
        "days_to_acknowledge": life.days_to(life.acknowledged_on),
        "days_to_outcome": life.days_to(life.safe_on),
        "days_to_close": life.days_to(life.closed_on),
        "notes": notes(life),
        "theme": (record.data.get("escalation") or {}).get("theme"),
        "theme_label": theme_label(record, (record.data.get("escalation") or {}).get("theme")),
    }


def _most_overdue(item: dict[str, Any]) -> int:
    return int(max(item["overdue_days"], item["acknowledgement_overdue_days"], item["outcome_overdue_days"]))


def _order(item: dict[str, Any]) -> tuple[Any, ...]:
    # Most urgent first: each state in the order an escalation goes through them, and within a
    # state the most overdue, then the longest waiting; closed ones last, the most recent first.
    rank = STATES.index(item["state"])
    if item["state"] == CLOSED:
        return (rank, 0, -dt.date.fromisoformat(item["review_date"]).toordinal(), item["audit_id"])
    return (rank, -_most_overdue(item), -(item["waiting_days"] or 0), item["audit_id"])


def collect(records: Sequence[AuditRecord], today: dt.date) -> list[dict[str, Any]]:
    """Every audit that needs escalating, most urgent first."""
    items = []
    for record in records:
        found = record.escalations()
        if found:
            items.append(escalation_item(record, found, today))
    return sorted(items, key=_order)


def unprompted(records: Sequence[AuditRecord]) -> list[dict[str, Any]]:
    """Audits with an escalation recorded although no rule calls for one (worth knowing, not wrong)."""
    return [
        {
            "audit_id": r.audit_id,
            "file": r.path,
            "review_date": r.review_date.isoformat(),
            "grade": _grade(r),
            "raised_to": "; ".join(t.who for t in recipients(r.data["escalation"])) or None,
        }
        for r in records
        if r.data.get("escalation") and not r.escalations()
    ]


#: The medians of the escalations' steps, in days, as the totals give them.
MEDIAN_KEYS = (
    "median_days_to_raise",
    "median_days_to_acknowledge",
    "median_days_to_outcome",
    "median_days_to_close",
)


def _median(values: list[int], publish: bool = False) -> float | int | None:
    """The median, or ``None`` when there is none, or, in a published report, when it would be
    the middle of fewer than 5 escalations (one case's own number of days)."""
    if not values or (publish and len(values) < THRESHOLD):
        return None
    middle = statistics.median(values)
    return int(middle) if float(middle).is_integer() else middle


def _flagged(items: list[dict[str, Any]], *flags: str) -> int:
    return sum(1 for i in items if any(f in i["flags"] for f in flags))


#: The states in which a step can be overdue (a step is due and not done).
_CAN_BE_OVERDUE = (NOT_RAISED, RAISED, ACKNOWLEDGED)


def _totals(items: list[dict[str, Any]], figures: Figures) -> dict[str, Any]:
    """The escalations by state, overdue, and (for the QA team) each flag, as counts of ``figures``.

    The counts of the states add up to the escalations needed, and the overdue ones are some of
    those in a state that can be overdue: a published report protects them as one table. The
    flags and the open count are for the QA team only; a published report leaves them out.
    """
    publish = figures.publish
    by_state = {}
    overdue_parts = []
    for s in STATES:
        mine = [i for i in items if i["state"] == s]
        if s in _CAN_BE_OVERDUE:
            late = figures.count(sum(1 for i in mine if i["overdue"]), shown=False, guard=False)
            on_time = figures.count(sum(1 for i in mine if not i["overdue"]), shown=False, guard=False)
            overdue_parts.append(late)
            by_state[s] = figures.total([late, on_time])
        else:
            by_state[s] = figures.count(len(mine))
    needed = figures.total(list(by_state.values()))
    overdue = figures.total(overdue_parts, breakdown=False)
    figures.breakdown(needed, [overdue])

    def median(key: str) -> float | int | None:
        return _median([i[key] for i in items if i[key] is not None], publish)

    totals: dict[str, Any] = {
        "needed": needed,
        "states": [
            {
                "state": s,
                "label": STATE_LABELS[s],
                "count": by_state[s],
                "share": figures.share(by_state[s], needed),
            }
            for s in STATES
        ],
        "not_raised": by_state[NOT_RAISED],
        "overdue": overdue,
        "median_days_to_raise": median("days_to_raise"),
        "median_days_to_acknowledge": median("days_to_acknowledge"),
        "median_days_to_outcome": median("days_to_outcome"),
        "median_days_to_close": median("days_to_close"),
    }
    if publish:

        def hide_medians() -> None:
            # A median covers the escalations that reached a step (raised, acknowledged, ...): a
            # sum of states. Shown beside a hidden state count, it says that sum is 5 or more,
            # which can pin what is hidden (7 needed and 5 or more acknowledged leave 2 for the
            # two states before, so 1 each). Beside the state counts all shown, it says nothing more.
            if any(cell["n"] is None for cell in by_state.values()):
                for key in MEDIAN_KEYS:
                    totals[key] = None

        figures.then(hide_medians)
    else:
        totals |= {
            "open_count": count(len(items) - sum(1 for i in items if i["state"] == CLOSED)),
            "raise_overdue": count(_flagged(items, RAISE_OVERDUE)),
            "acknowledgement_overdue": count(_flagged(items, ACKNOWLEDGEMENT_OVERDUE)),
            "outcome_overdue": count(_flagged(items, OUTCOME_OVERDUE)),
            "raised_late": count(_flagged(items, RAISED_LATE)),
            "acknowledged_late": count(_flagged(items, ACKNOWLEDGED_LATE)),
            "outcome_late": count(_flagged(items, OUTCOME_LATE)),
            "off_route": count(_flagged(items, OFF_ROUTE, NOT_TOLD)),
        }
    return totals


def rules_view(dataset: Dataset) -> list[dict[str, Any]]:
    """Every escalation rule of the frameworks in use, as the report lists them."""
    rules = []
    for fw in dataset.frameworks:
        for rule in fw.spec.escalations:
            rules.append(
                {
                    "framework": fw.spec.title,
                    "title": rule.title,
                    "route": list(rule.roles),
                    "raise_to": and_list(rule.roles),
                    "grades": [fw.grade_labels[g] for g in rule.grades or []],
                    "within_days": rule.within_days,
                    "acknowledge_within_days": rule.acknowledge_within_days,
                    "outcome_within_days": rule.outcome_within_days,
                    "summary": rule.summary or "",
                }
            )
    return rules


def _for_team(records: Sequence[AuditRecord], team: str) -> set[int]:
    """The positions of ``records`` of a team whose name holds ``team``, as ``actions --team``
    matches (:func:`~qaimpact.cycle.common.matching_names`); a UsageError suggesting the closest
    teams when none is."""
    teams = [facet(r, "team") for r in records]
    n = len(teams)

    def nothing(name: str, hint: str) -> str:
        return (
            f"No audit of a team whose name holds '{name}' was found among the {n} valid "
            f"audit{'' if n == 1 else 's'} read.{hint} Check the spelling, or point --audits at the "
            "folder that holds the audits."
        )

    return matching_names(teams, team, option="--team", part=True, nothing=nothing)


def escalations_view(
    dataset: Dataset,
    today: dt.date,
    *,
    states: Sequence[str] | None = None,
    overdue: bool = False,
    team: str | None = None,
    redact: bool = False,
    quarters: Quarters | None = None,
    quarter: str | None = None,
) -> dict[str, Any]:
    """The escalations report: every audit needing escalation, with its state, steps and age.

    ``states`` and ``overdue`` (late at any step, as the report's overdue line counts them) limit
    the list to the escalations in any of those states or overdue (not the totals, which cover
    every escalation chosen). ``team`` chooses the audits of the teams whose name holds it, as
    ``actions --team`` does (case and extra spaces ignored; a name that matches no team is a
    :class:`UsageError` naming the closest): the totals, the themes and the report's other
    figures cover those. ``redact`` pseudonymises names, case identifiers and paths, after the
    audits are chosen by their real team, and withholds the names of invalid files. The report
    states the period the dataset was read for (its ``date_from``/``date_to``) and ``quarter``,
    the quarter of ``quarters`` they are, when one was asked for.
    """
    start = dataset.date_from
    own = list(dataset.records)
    # The earlier audits whose escalation was still open when the period began: a child whose
    # case is unsafe is not dropped from the list, or from --fail-on, by a period.
    earlier = earlier_holding(dataset, lambda records, first: _carried(records, first, today))
    both = [*own, *earlier]
    found = _for_team(both, team) if team is not None else set(range(len(both)))
    if redact:
        # The earlier audits after the period's own, so that these keep their pseudonyms.
        redactor = Redactor(both, kinds=dataset.kinds)
        shown = redactor.dataset(dataset)
        shown_both = [*shown.records, *redactor.records(earlier)]
    else:
        shown, shown_both = dataset, both
    # Redaction keeps the audits in their order: the team's are at the same positions.
    records = [r for i, r in enumerate(shown_both[: len(own)]) if i in found]
    before = [r for i, r in enumerate(shown_both) if i >= len(own) and i in found]
    chosen = dataclasses.replace(shown, records=records)
    items = [{**i, "carried_in": False} for i in collect(records, today)]
    carried = _carried(before, start, today) if start is not None else []

    def asked_for(i: dict[str, Any]) -> bool:
        return (states is not None and i["state"] in states) or (overdue and bool(i["overdue"]))

    listed = [i for i in [*items, *carried] if (states is None and not overdue) or asked_for(i)]
    teams = [facet(r, "team") for r in shown_both]
    written = names_as_written(teams, found) if team is not None else None
    asked = [*(states or []), *(["overdue"] if overdue else [])]
    return {
        "kind": "escalations",
        "today": today.isoformat(),
        "grade_basis": SETTLED_GRADE,
        "sources": shown.sources,
        "period": period_view(dataset.date_from, dataset.date_to, quarters, quarter),
        "audits": len(records),
        "invalid_count": len(dataset.invalid),
        # Of those, the audits: a practice record left out is not an audit, and never escalated.
        "invalid_audits": dataset.invalid_audits,
        # Files with errors dated outside the period: not in it, valid or not (said apart).
        "invalid_outside_period": len(dataset.set_aside),
        "invalid_audits_outside_period": dataset.set_aside_audits,
        "invalid": left_out([c.path for c in dataset.invalid], redact=redact),
        # The invalid audits whose escalation is certain whatever their errors (AuditCheck.ahead).
        "invalid_escalations": [
            {"file": name, "escalations": list(check.ahead)}
            for name, check in zip(
                left_out([c.path for c in dataset.invalid], redact=redact), dataset.invalid, strict=True
            )
            if check.ahead
        ],
        "filter": asked if states is not None or overdue else None,
        # The teams as the audits write them (and as redacted), not as typed: as one text (as
        # before ``teams``), and as a list.
        "team": ", ".join(written) if written is not None else None,
        "teams": written,
        "totals": _own_totals(items),
        "carried_in": None
        if start is None
        else {
            "escalations": len(carried),
            "audits": len({(i["audit_id"], i["file"]) for i in carried}),
            "open": sum(1 for i in carried if i["state"] != CLOSED),
            "totals": _own_totals(carried),
        },
        "rules": rules_view(chosen),
        "escalations": listed,
        "unprompted": unprompted(records),
        # Where a framework lists themes: every framework's escalations, framework by framework,
        # so that the table adds up to the escalations counted (one that lists none in one row).
        "themes": themes_by_framework(
            items,
            chosen.frameworks,
            unresolved=lambda i: i["state"] != CLOSED,
            overdue=lambda i: bool(i["overdue"]),
        )
        if themed(chosen.frameworks)
        else [],
    }


def _recipients_text(item: dict[str, Any]) -> str:
    return "; ".join(
        r["role"] + (f" ({r['name']})" if r["name"] else "") + f" {r['told_on']}" for r in item["recipients"]
    )


def rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The escalations as flat CSV rows (columns :data:`COLUMNS`)."""
    out = []
    for i in view["escalations"]:
        outcome = i["outcome"] or {}
        out.append(
            {
                "state": i["state"],
                "audit_id": i["audit_id"],
                "file": i["file"],
                "framework": i["framework"],
                "review_date": i["review_date"],
                "practitioner": i["practitioner"],
                "team": i["team"],
                "grade": i["grade"]["id"],
                "recorded_grade": i["grade"]["recorded"],
                "moderated_grade": i["grade"]["moderated"],
                "evidence": i["grade"]["evidence"],
                "escalation": "; ".join(r["title"] for r in i["rules"]),
                "raise_to": "; ".join(i["raise_to"]),
                "due": i["due"],
                "raised_to": i["raised_to"],
                "raised_on": i["raised_on"],
                "recipients": _recipients_text(i),
                "not_told": "; ".join(i["not_told"]),
                "acknowledge_due": i["acknowledge_due"],
                "acknowledged_on": i["acknowledged_on"],
                "acknowledged_by": i["acknowledged_by"],
                "outcome_due": i["outcome_due"],
                "outcome": outcome.get("action_taken"),
                "safe_on": outcome.get("safe_on"),
                "closed_on": i["closed_on"],
                "closed_by": i["closed_by"],
                "age_days": i["age_days"],
                "waiting_days": i["waiting_days"],
                "overdue_days": i["overdue_days"],
                "raised_late_days": i["raised_late_days"],
                "acknowledgement_overdue_days": i["acknowledgement_overdue_days"],
                "acknowledged_late_days": i["acknowledged_late_days"],
                "outcome_overdue_days": i["outcome_overdue_days"],
                "outcome_late_days": i["outcome_late_days"],
                "flags": "; ".join(i["flags"]),
                "reasons": "; ".join(reason for r in i["rules"] for reason in r["reasons"]),
                "theme": i["theme"],
                "carried_in": i["carried_in"],
            }
        )
    return out


def _carried(records: Sequence[AuditRecord], start: dt.date, today: dt.date) -> list[dict[str, Any]]:
    """The escalations of ``records`` (audits before a period beginning on ``start``) still open
    when it began: not closed, or closed on or after its first day, as the quarterly report counts
    them; each marked ``carried_in``."""
    return [
        {**i, "carried_in": True}
        for i in collect(records, today)
        if i["state"] != CLOSED or (i["closed_on"] is not None and i["closed_on"] >= start.isoformat())
    ]


def other_teams_totals(dataset: Dataset, team: str, today: dt.date) -> dict[str, Any]:
    """The totals of the escalations in the audits of every team ``team`` does not choose (as
    :func:`escalations_view` chooses them), so that a ``--fail-on`` gate narrowed to one team can
    still say that another team has a case waiting: a safety signal is never silenced unseen.
    The escalations carried into the period (:func:`escalations_view`) count as the gate counts
    them."""
    own = list(dataset.records)
    earlier = earlier_holding(dataset, lambda records, first: _carried(records, first, today))
    found = _for_team([*own, *earlier], team)
    others = [
        {**i, "carried_in": False} for i in collect([r for i, r in enumerate(own) if i not in found], today)
    ]
    if dataset.date_from is not None:
        rest = [r for i, r in enumerate(earlier, start=len(own)) if i not in found]
        others += _carried(rest, dataset.date_from, today)
    return _own_totals(others)


def _own_totals(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The totals of the QA team's own report (nothing hidden)."""
    figures = Figures()
    totals = _totals(items, figures)
    figures.protect()
    return totals


def summary_section(
    records: Sequence[AuditRecord],
    *,
    today: dt.date,
    publish: bool,
    figures: Figures | None = None,
    carried: Sequence[dict[str, Any]] | None = None,
    invalid: Sequence[AuditCheck] = (),
) -> dict[str, Any]:
    """The escalation figures for the quarterly summary (no names or ids when ``publish``).

    The figures are those of the escalations ``records`` need, as the escalations report counts
    them. ``carried`` (for a period with a first day: :func:`carried_in`) are the escalations of
    earlier audits still open when it began: counted beside them under ``carried_in`` (by state
    today, and how many are still open) and, for the QA team, listed with the open ones, so that
    a child whose case was unsafe before the period is not left out of its summary. Without a
    period ``carried_in`` is ``None``.

    ``invalid`` are the audits left out because they have errors: those whose escalation is
    certain whatever their errors (:attr:`~qaimpact.audits.checker.AuditCheck.ahead`) are counted
    beside the escalations needed, never in them, as ``invalid_needed`` (a count of the ledger like
    the others, of no sum: they are not valid audits) and, for the QA team, listed as the
    escalations report lists them (``invalid_escalations``: each file, as ``invalid`` names it,
    and the escalations it needs). A child whose audit has an error is not left out of the
    summary's escalations.

    With ``figures`` (the summary's ledger) the counts are protected with the rest of the summary,
    and the escalations needed add up to the frameworks' audits needing escalation; without, here.
    """
    ledger = figures if figures is not None else Figures(publish)
    items = collect(records, today)
    carried_items = list(carried or [])
    section = _totals(items, ledger)
    frameworks = [ledger.names.get(("escalations", fw)) for fw in sorted({r.framework.id for r in records})]
    if frameworks and all(f is not None for f in frameworks):
        ledger.same([section["needed"]], [f for f in frameworks if f is not None])
    section["themes"] = summary_themes(
        items,
        records,
        ledger,
        unresolved=lambda i: i["state"] != CLOSED,
        overdue=lambda i: bool(i["overdue"]),
        totals={
            "count": section["needed"],
            "unresolved": ledger.total(
                [s["count"] for s in section["states"] if s["state"] != CLOSED], shown=False, breakdown=False
            ),
            "overdue": section["overdue"],
        },
        named="escalations",
    )
    section["carried_in"] = None if carried is None else _carried_counts(carried, ledger)
    section["open"] = (
        []
        if ledger.publish
        else [
            {k: i[k] for k in ("audit_id", "file", "review_date", "team", "state", "state_label")}
            | {
                "waiting_days": i["waiting_days"],
                "overdue_days": i["overdue_days"],
                "acknowledgement_overdue_days": i["acknowledgement_overdue_days"],
                "outcome_overdue_days": i["outcome_overdue_days"],
                "raise_to": "; ".join(i["raise_to"]),
                "carried_in": bool(i.get("carried_in")),
            }
            for i in [*items, *carried_items]
            if i["state"] != CLOSED
        ]
    )
    certain = [check for check in invalid if check.ahead]
    section["invalid_needed"] = ledger.count(len(certain))
    section["invalid_escalations"] = (
        [] if ledger.publish else [{"file": c.path, "escalations": list(c.ahead)} for c in certain]
    )
    if figures is None:
        ledger.protect()
    return section


def carried_in(records: Sequence[AuditRecord], start: dt.date, today: dt.date) -> list[dict[str, Any]]:
    """The escalations *carried in* to a period that begins on ``start``: those of the audits of
    ``records`` reviewed before it still open when it began (closed since included), most urgent
    first. The escalations report, the summary and the quarterly report all count them so."""
    return sorted(_carried([r for r in records if r.review_date < start], start, today), key=_order)


def _carried_counts(carried: Sequence[dict[str, Any]], ledger: Figures) -> dict[str, Any]:
    """The escalations carried in as counts of the summary's ``ledger``: how many, by state today,
    and how many are still open."""
    counts = {s: ledger.count(sum(1 for i in carried if i["state"] == s)) for s in STATES}
    still_open = ledger.total([n for s, n in counts.items() if s != CLOSED], breakdown=False)
    return {
        "count": ledger.total(list(counts.values())),
        "states": [{"state": s, "label": STATE_LABELS[s], "count": n} for s, n in counts.items()],
        "open": still_open,
    }

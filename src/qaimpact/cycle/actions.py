"""Remedial actions: every action agreed at audit, who owns it, and whether it was done in time.

A framework that declares ``remedial_actions:`` lets its audits list the actions agreed at audit,
each with an owner, a due date and a status; its ``notify`` names the audit keys holding the
people each action is communicated to. An open action is *overdue* once its due date has passed;
a done action was closed on time or so many days late. Days are counted from a ``today`` the
caller passes in, so a tracker can be reproduced.

A tracker read for a period (``--from``, ``--quarter``) lists the actions agreed in it and those
*carried in*: agreed at an earlier audit and still open when the period began (not closed before
its first day), as the quarterly report counts them (:func:`carried_in`), so that a long-overdue
action is never hidden by the period.

Validation already refuses an action marked done without ``closed_on`` and ``evidence``
(``QA310``): such an audit is an invalid file, left out with any actions it holds, and the view
counts it so that nobody mistakes a short list for a complete one.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any

from qaimpact.audits.dataset import Dataset
from qaimpact.audits.quarters import Quarters
from qaimpact.audits.records import AuditRecord, facet
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
from qaimpact.models.audit import get_field, is_blank, resolve_field
from qaimpact.models.standard import Framework
from qaimpact.privacy.disclosure import Figures, Shown, count
from qaimpact.privacy.redaction import Redactor

OVERDUE, OPEN, DONE = "overdue", "open", "done"
#: The order the tracker lists actions in: overdue, then open, then done.
STATES = (OVERDUE, OPEN, DONE)
#: How many of the most overdue actions the QA team's own summary names.
MOST_OVERDUE = 10
COLUMNS = [
    "state",
    "audit_id",
    "file",
    "review_date",
    "framework",
    "team",
    "practitioner",
    "number",
    "action",
    "owner",
    "notified",
    "due",
    "status",
    "closed_on",
    "evidence",
    "overdue_days",
    "closed_on_time",
    "closed_late_days",
    "age_days",
    "theme",
    "carried_in",
]


def declares_actions(framework: Framework) -> bool:
    """Whether audits of the framework may list remedial actions."""
    return bool(framework.spec.remedial_actions)


# Asked for each action of every audit: the labels are the standards data's, the same each time.
@functools.lru_cache(maxsize=64)
def _label(framework: Framework, key: str) -> str:
    spec = resolve_field(framework.spec, key)
    if spec is not None and spec.label:
        return spec.label
    return key.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def notified(record: AuditRecord) -> list[dict[str, Any]]:
    """Who the audit's actions are communicated to: each ``notify`` key's label and the name
    the audit gives (``None`` where it gives none)."""
    out = []
    for key in record.framework.remedial_notify:
        value = get_field(record.data, key)
        name = None if is_blank(value) else " ".join(str(value).split())
        out.append({"key": key, "label": _label(record.framework, key), "name": name})
    return out


def action_item(record: AuditRecord, number: int, action: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """One remedial action (the ``number``-th of its audit, from 1): its state and its days."""
    due: dt.date | None = action.get("due")
    closed: dt.date | None = action.get("closed_on")
    done = action.get("status") == "done"
    overdue = days(due, today) if not done and due is not None and due < today else 0
    on_time = None if not done or due is None or closed is None else closed <= due
    late = days(due, closed) if on_time is False and due is not None and closed is not None else 0
    current = DONE if done else OVERDUE if overdue else OPEN
    return {
        "state": current,
        "audit_id": record.audit_id,
        "file": record.path,
        "review_date": record.review_date.isoformat(),
        "framework": record.framework.id,
        "team": facet(record, "team"),
        "practitioner": record.data["practitioner"],
        "number": number,
        "action": action["action"],
        "owner": action["owner"],
        "notified": notified(record),
        "due": iso(due),
        "status": DONE if done else OPEN,
        "closed_on": iso(closed),
        "evidence": action.get("evidence"),
        "overdue_days": overdue,
        "closed_on_time": on_time,
        "closed_late_days": late,
        "age_days": None if done else days(record.review_date, today),
        "theme": action.get("theme"),
        "theme_label": theme_label(record, action.get("theme")),
        # Agreed before the period asked for and open when it began (set by the view).
        "carried_in": False,
    }


def _items(records: Sequence[AuditRecord], today: dt.date) -> list[dict[str, Any]]:
    """Every action, audit by audit in the order given (unsorted, so that twins line up)."""
    return [
        action_item(record, number, action, today)
        for record in records
        for number, action in enumerate(record.data.get("remedial_actions") or [], start=1)
    ]


def open_at(item: dict[str, Any], day: dt.date) -> bool:
    """Whether an action was still open when ``day`` began: not closed before it."""
    closed = item["closed_on"]
    return not (item["status"] == DONE and closed is not None and closed < day.isoformat())


def _carried(records: Sequence[AuditRecord], start: dt.date, today: dt.date) -> list[dict[str, Any]]:
    """The actions of the audits before ``start`` still open when it began, in audit order
    (unsorted, so that twins line up), each marked ``carried_in``."""
    earlier = [r for r in records if r.review_date < start]
    return [{**i, "carried_in": True} for i in _items(earlier, today) if open_at(i, start)]


def carried_in(records: Sequence[AuditRecord], start: dt.date, today: dt.date) -> list[dict[str, Any]]:
    """The actions *carried in* to a period that begins on ``start``: agreed at an audit of
    ``records`` reviewed before it and still open when it began (those closed since included),
    in the tracker's order. The tracker and the quarterly report both count them so."""
    return sorted(_carried(records, start, today), key=_order)


def _order(item: dict[str, Any]) -> tuple[Any, ...]:
    # Most overdue first; then open by due date (those without one last, oldest audit first);
    # then done, most recently closed first, as the latest closures are the ones to check.
    tie = (item["audit_id"], item["number"])
    if item["state"] == OVERDUE:
        return (0, -item["overdue_days"], *tie)
    if item["state"] == OPEN:
        return (1, item["due"] is None, item["due"] or item["review_date"], *tie)
    closed = dt.date.fromisoformat(item["closed_on"]) if item["closed_on"] else dt.date.min
    return (2, -closed.toordinal(), *tie)


def collect(records: Sequence[AuditRecord], today: dt.date) -> list[dict[str, Any]]:
    """Every remedial action in the audits, in the tracker's order (most urgent first)."""
    return sorted(_items(records, today), key=_order)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


#: For each filter: its option, and how the message says an action matches it.
_FILTERS = {
    "owner": ("--owner", "owned by"),
    "team": ("--team", "from an audit of the team"),
}


def _matching(
    items: Sequence[dict[str, Any]], field: str, wanted: str, *, audits: int, declared: bool
) -> set[int]:
    """The positions of the items whose ``field`` (``owner`` or ``team``) is ``wanted``; a
    UsageError suggesting the closest values when there are none."""
    option, matches = _FILTERS[field]

    def nothing(name: str, hint: str) -> str:
        if not declared:
            hint += " None of the frameworks of these audits declares remedial actions."
        return (
            f"No remedial action {matches} '{name}' was found among the "
            f"{_plural(len(items), 'action')} read from {_plural(audits, 'valid audit')}.{hint} Check the "
            "spelling, or point --audits at the folder that holds the audits."
        )

    # Teams are named loosely ("Hillside", "hillside team", "Hillside Family Support"): any team
    # whose name holds the words given, in any case.
    return matching_names(
        [item[field] for item in items],
        wanted,
        option=option,
        part=field == "team",
        nothing=nothing,
    )


def _as_written(items: Sequence[dict[str, Any]], found: set[int], field: str) -> list[str]:
    """The names matched, as the audits write them (:func:`names_as_written`)."""
    return names_as_written([item[field] for item in items], found)


def _joined(names: list[str] | None) -> str | None:
    return None if names is None else ", ".join(names)


def _totals(items: Sequence[dict[str, Any]], figures: Figures) -> dict[str, Any]:
    """The actions as counts of ``figures``: open (overdue, not yet due, without a due date) and
    done (on time, late, without a due date), each a sum of those parts, so that a published
    report protects every difference it invites ("12 open, of which 11 overdue")."""

    def number(test: Callable[[dict[str, Any]], bool], *, shown: bool = True) -> dict[str, Any]:
        return figures.count(sum(1 for i in items if test(i)), shown=shown)

    overdue = number(lambda i: i["state"] == OVERDUE)
    # Open, with a due date still to come: never shown, but "12 open, of which 11 overdue" says it.
    not_yet_due = number(lambda i: i["state"] == OPEN and i["due"] is not None, shown=False)
    open_without_due = number(lambda i: i["state"] == OPEN and i["due"] is None)
    done_on_time = number(lambda i: i["state"] == DONE and i["closed_on_time"] is True)
    done_late = number(lambda i: i["state"] == DONE and i["closed_on_time"] is False)
    done_without_due = number(lambda i: i["state"] == DONE and i["closed_on_time"] is None)
    open_ = figures.total([overdue, not_yet_due, open_without_due])
    done = figures.total([done_on_time, done_late, done_without_due])
    totals = {
        "actions": figures.total([open_, done]),
        "open": open_,
        "overdue": overdue,
        "open_without_due": open_without_due,
        "done": done,
        "done_on_time": done_on_time,
        "done_late": done_late,
        "done_without_due": done_without_due,
        "overdue_share": figures.share(overdue, open_),
    }

    def no_open() -> None:
        if open_["n"] == 0:
            totals["overdue_share"]["text"] = Shown("no open actions")

    figures.then(no_open)
    return totals


def _frameworks(records: Sequence[AuditRecord]) -> list[Framework]:
    """The frameworks of the audits, in id order."""
    found = {r.framework.id: r.framework for r in records}
    return [found[k] for k in sorted(found)]


def _frameworks_view(frameworks: Sequence[Framework]) -> list[dict[str, Any]]:
    return [
        {
            "id": fw.id,
            "title": fw.spec.title,
            "declares_actions": declares_actions(fw),
            "notify": [_label(fw, key) for key in fw.remedial_notify],
        }
        for fw in frameworks
    ]


def actions_view(
    dataset: Dataset,
    today: dt.date,
    *,
    owner: str | None = None,
    team: str | None = None,
    overdue: bool = False,
    redact: bool = False,
    quarters: Quarters | None = None,
    quarter: str | None = None,
) -> dict[str, Any]:
    """The remedial action tracker: every action across the audits, most urgent first.

    The actions are those of the dataset's audits and, where it was read from a first day
    (``date_from``), those *carried in* (:func:`carried_in`): agreed at an earlier audit (one of
    ``dataset.outside``) and still open when the period began. ``owner`` and ``team`` choose the
    actions (the totals cover those chosen); ``overdue`` lists only the overdue ones among them
    (the totals still cover all chosen). Names compare ignoring case and extra spaces, and a
    team matches on any part of its name; a name that matches nothing is a
    :class:`UsageError` that suggests the closest ones. ``redact`` pseudonymises names, case
    identifiers and paths, after the actions are chosen by their real owner and team. The
    report states the period the dataset was read for (its ``date_from``/``date_to``) and
    ``quarter``, the quarter of ``quarters`` they are, when one was asked for.
    """
    start = dataset.date_from
    own = list(dataset.records)
    earlier = earlier_holding(dataset, lambda records, first: _carried(records, first, today))
    frameworks = _frameworks([*own, *earlier])
    declared = any(declares_actions(fw) for fw in frameworks)

    def everything(records: Sequence[AuditRecord], before: Sequence[AuditRecord]) -> list[dict[str, Any]]:
        return _items(records, today) + (_carried(before, start, today) if start is not None else [])

    real = everything(own, earlier)
    matched = {
        field: _matching(real, field, wanted, audits=len(own) + len(earlier), declared=declared)
        for field, wanted in (("owner", owner), ("team", team))
        if wanted is not None
    }
    chosen = set(range(len(real))).intersection(*matched.values())
    shown, items = dataset, real
    if redact:
        # The earlier audits after the period's own, so that these keep their pseudonyms.
        redactor = Redactor([*own, *earlier], kinds=dataset.kinds)
        shown = redactor.dataset(dataset)
        # The same audits in the same order, so each action's twin is at the same position.
        items = everything(shown.records, redactor.records(earlier))
    selected = sorted((items[i] for i in chosen), key=_order)
    carried = [i for i in selected if i["carried_in"]]
    # Each filter as the audits write it (and as redacted), not as typed.
    chosen_as = {field: _as_written(items, found, field) for field, found in matched.items()}
    return {
        "kind": "actions",
        "today": today.isoformat(),
        "sources": shown.sources,
        "period": period_view(dataset.date_from, dataset.date_to, quarters, quarter),
        "audits": len(dataset.records),
        "outside_period": dataset.outside_period,
        "invalid_count": len(dataset.invalid),
        "invalid_audits": dataset.invalid_audits,
        # Files with errors dated outside the period: not in it, valid or not (said apart).
        "invalid_outside_period": len(dataset.set_aside),
        "invalid_audits_outside_period": dataset.set_aside_audits,
        "invalid": left_out([c.path for c in dataset.invalid], redact=redact),
        "frameworks": _frameworks_view(frameworks),
        "declared": declared,
        "read": len(real),
        "filter": {
            "owner": _joined(chosen_as.get("owner")),
            # The teams matched as one text (as before ``teams``), and as a list.
            "team": _joined(chosen_as.get("team")),
            "teams": chosen_as.get("team"),
            "overdue": overdue,
        },
        "totals": _own_totals(selected),
        "agreed_in_period": None if start is None else count(len(selected) - len(carried)),
        "carried_in": None if start is None else _carried_totals(carried),
        "actions": [i for i in selected if not overdue or i["state"] == OVERDUE],
        # Where a framework lists themes: every framework's actions, framework by framework, so
        # that the table adds up to the actions counted (one that lists none in one row).
        "themes": themes_by_framework(
            selected,
            frameworks,
            unresolved=lambda i: i["state"] != DONE,
            overdue=lambda i: i["state"] == OVERDUE,
        )
        if themed(frameworks)
        else [],
    }


def _carried_totals(carried: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The chosen actions carried in: how many, from how many earlier audits, and how they stand
    today (open, of which overdue, or done since the period began)."""
    return {
        "actions": count(len(carried)),
        "audits": len({(i["audit_id"], i["file"]) for i in carried}),
        "open": count(sum(1 for i in carried if i["state"] != DONE)),
        "overdue": count(sum(1 for i in carried if i["state"] == OVERDUE)),
        "done": count(sum(1 for i in carried if i["state"] == DONE)),
    }


def rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The listed actions as flat CSV rows (columns :data:`COLUMNS`)."""
    return [
        {
            **{k: item[k] for k in COLUMNS if k != "notified"},
            "notified": "; ".join(f"{n['label']}: {n['name'] or 'not recorded'}" for n in item["notified"]),
        }
        for item in view["actions"]
    ]


def _own_totals(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
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
    earlier: Sequence[AuditRecord] = (),
) -> dict[str, Any]:
    """The remedial action figures for the quarterly summary (no names, ids or files when
    ``publish``): open, overdue, done on time or late, without a due date, the overdue share of
    the open actions, and for the QA team the most overdue actions.

    The figures count the actions agreed at ``records``. ``carried`` (for a period with a first
    day: :func:`carried_in`) are the actions carried into it, counted beside them under
    ``carried_in`` (how many, open, of which overdue, done since), as the tracker counts them, so
    that the two sets add up to the tracker's figures; the most overdue include them. Without a
    period ``carried_in`` is ``None``. ``earlier`` are the audits read outside the period: where
    their frameworks record actions the section is shown, even for a period without an audit, so
    that the actions it carries in are never hidden by the period chosen.

    With ``figures`` (the summary's ledger) the counts are protected with the rest of the
    summary; without, here.
    """
    ledger = figures if figures is not None else Figures(publish)
    items = collect(records, today)
    section = _totals(items, ledger)
    section["declared"] = any(declares_actions(r.framework) for r in (*records, *earlier))
    section["themes"] = summary_themes(
        items,
        records,
        ledger,
        unresolved=lambda i: i["state"] != DONE,
        overdue=lambda i: i["state"] == OVERDUE,
        totals={"count": section["actions"], "unresolved": section["open"], "overdue": section["overdue"]},
    )
    section["carried_in"] = None if carried is None else _carried_counts(carried, ledger)
    urgent = sorted([*items, *(carried or [])], key=_order)
    section["most_overdue"] = (
        []
        if ledger.publish
        else [
            {k: i[k] for k in ("audit_id", "file", "owner", "action", "due", "overdue_days", "carried_in")}
            for i in urgent
            if i["state"] == OVERDUE
        ][:MOST_OVERDUE]
    )
    if figures is None:
        ledger.protect()
    return section


def _carried_counts(carried: Sequence[dict[str, Any]], ledger: Figures) -> dict[str, Any]:
    """The actions carried in, as counts of the summary's ``ledger``: how many, how many are open
    today (of which overdue) and how many were done since the period began. Their parts are atoms
    of their own, so that a published summary protects "17 actions, 5 carried in" as it protects
    the rest."""

    def number(state: str, *, shown: bool = True) -> dict[str, Any]:
        return ledger.count(sum(1 for i in carried if i["state"] == state), shown=shown)

    overdue = number(OVERDUE)
    open_ = ledger.total([overdue, number(OPEN, shown=False)])
    done = number(DONE)
    return {"actions": ledger.total([open_, done]), "open": open_, "overdue": overdue, "done": done}

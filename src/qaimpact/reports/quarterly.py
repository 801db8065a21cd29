"""The quarterly QA report (``qaimpact quarterly``), as the council's framework describes it.

The framework's "quarterly QA report pulls together an analysis of the learning from all relevant
QA activity". :func:`quarterly_view` gives, for one quarter (its dates stated): the summary's
figures (:func:`~qaimpact.reports.summary.summary_with_cycle`, grouped by audit type, so that
random case file audits stand apart from themed audits and dip samples), and

- the ratings of each standard by team (how many audits of each team gave each rating);
- completion against the audit programme, where plans are given (:mod:`qaimpact.cycle.programme`);
- what happened for each escalated child: the quarter's escalations and those raised earlier and
  still open when it began, each with its state and dates (a published report gives counts only);
- the remedial actions as they stood at the quarter's end: an action agreed before the quarter and
  still open at its end is counted as open, so a long-overdue action is never hidden by the
  quarter.

Every count is made in the summary's :class:`~qaimpact.privacy.disclosure.Figures` ledger with the
sums it belongs to, so that ``--publish`` protects the new tables with the rest. Beside the
figures, the QA team's own narrative (:mod:`qaimpact.reports.narrative`), redacted with the rest.

The audits given are every audit read up to the quarter's last day: the earlier ones hold the
actions and escalations carried into the quarter; only the quarter's own are counted as its audits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from qaimpact.audits.dataset import Dataset
from qaimpact.audits.quarters import Quarters
from qaimpact.audits.records import AuditRecord, facet
from qaimpact.cycle import actions, escalations, programme
from qaimpact.models.standard import NOT_APPLICABLE, Framework
from qaimpact.privacy.disclosure import Figures, Shown
from qaimpact.privacy.redaction import Redactor, in_shown_order
from qaimpact.reports.narrative import Narrative
from qaimpact.reports.summary import cases_counted, summary_with_cycle
from qaimpact.reports.views import framework_view

#: The column of a standard that an audit leaves without a rating.
NOT_RATED = "not_rated"
#: Where an escalation or action comes from: the quarter's own audits or earlier ones.
THIS_QUARTER, EARLIER = "this quarter", "before the quarter"

# An action's state at the quarter's end.
_CLOSED_END, _OVERDUE_END, _OPEN_END = "closed", "overdue", "open"


@dataclasses.dataclass(frozen=True, slots=True)
class Quarterly:
    """The quarterly report: its view, and the quarter's own audits as the report shows them
    (with names replaced where it redacts), for the workbook's sheet of audits one row each."""

    view: dict[str, Any]
    audits: Dataset


def quarterly_view(dataset: Dataset, **options: Any) -> dict[str, Any]:
    """The view of :func:`quarterly_report` (its arguments, the same)."""
    return quarterly_report(dataset, **options).view


def quarterly_report(
    dataset: Dataset,
    *,
    quarters: Quarters,
    quarter: str,
    today: dt.date,
    publish: bool = False,
    redact: bool = False,
    planned: Sequence[programme.PlannedAudit] | None = None,
    plans: Sequence[str] = (),
    figures: Figures | None = None,
    narrative: Narrative | None = None,
) -> Quarterly:
    """The quarterly report for ``quarter`` (a key of ``quarters``): its view (``kind:
    quarterly``) and the quarter's audits, redacted as the view is.

    ``dataset`` holds every audit read up to the quarter's last day. ``planned`` (read from
    ``plans``) gives the completion against the programme of the rounds in the quarter; ``None``
    says no plan was given. ``redact`` (and ``publish``, which always redacts) pseudonymises
    names after the plans are matched to the audits by their real case identifiers, and in the
    ``narrative`` (the QA team's sections, shown beside the figures) too. ``figures``,
    when given, is the ledger (its ``publish`` wins), for a check of what it hid.
    """
    figures = figures if figures is not None else Figures(publish)
    publish = figures.publish
    first, last = quarters.dates(quarter)
    # Figures "as of the quarter's end", unless the report is written before it ends.
    as_of = min(today, last)
    done = None
    if planned is not None:
        rounds = [p for p in planned if first <= p.round <= last]
        # No round of the plans falls in the quarter: nothing was planned for it.
        done = programme.programme_view(rounds, dataset, as_of, plans=plans) if rounds else {"planned": []}
    told = narrative.view() if narrative is not None else None
    if redact or publish:  # a published report never names anyone
        # The audits after the quarter too (read, not counted), as the summary does: a folder
        # read (``--audits``) or a note may name a child audited only later.
        redactor = Redactor([*dataset.records, *dataset.outside], kinds=dataset.kinds)
        dataset = in_shown_order(redactor.dataset(dataset))
        if told is not None:
            # The QA team's own words: every name the audits hold is replaced in them too.
            told = {
                "file": None if publish else redactor.path(told["file"]),
                "sections": [
                    {**section, "items": [redactor.text(item) for item in section["items"]]}
                    for section in told["sections"]
                ],
            }
    inside = [r for r in dataset.records if first <= r.review_date <= last]
    before = [r for r in dataset.records if r.review_date < first]
    kinds = [k for k in dataset.kinds if first <= k.date <= last]
    of_quarter = dataclasses.replace(
        dataset,
        records=inside,
        outside=[*before, *dataset.outside],
        kinds=kinds,
        outside_period=dataset.outside_period + len(before),
        kinds_outside_period=dataset.kinds_outside_period + len(dataset.kinds) - len(kinds),
        date_from=first,
        date_to=last,
    )
    view = summary_with_cycle(
        of_quarter, today=today, by="audit_type", figures=figures, quarters=quarters, quarter=quarter
    )
    view["kind"] = "quarterly"
    view["narrative"] = told
    view["as_of"] = as_of.isoformat()
    # Published, the ratings by team are withheld (docs/reports.md, "The quarterly QA report"):
    # with them, publishing a quarter of examples/service did not finish in ten minutes.
    # The audits the summary's figures count: a double-marked case once, as the summary does.
    counted = cases_counted(inside, quarters).counted
    view["ratings"] = (
        []
        if publish
        else [
            ratings_by_team(fw, [r for r in counted if r.framework.id == fw.id], figures)
            for fw in of_quarter.frameworks
        ]
    )
    view["programme"] = None if done is None else _programme(done, figures, plans=len(plans))
    view["escalated"] = _escalated(inside, before, first, today, figures, view["cycle"]["escalations"])
    view["actions_at_end"] = _actions_at_end(
        inside, before, first, as_of, today, figures, view["cycle"]["actions"]
    )
    figures.protect()
    return Quarterly(view, of_quarter)


# -- ratings of each standard, by team ---------------------------------------------------------


def rating_columns(fw: Framework) -> list[dict[str, str]]:
    """The columns of a framework's ratings table: its ratings, best first, then not applicable
    and not rated."""
    columns = [{"id": r.id, "label": r.label} for r in fw.spec.ratings]
    extra = [{"id": NOT_APPLICABLE, "label": "Not applicable"}, {"id": NOT_RATED, "label": "Not rated"}]
    return [*columns, *extra]


def ratings_by_team(fw: Framework, records: Sequence[AuditRecord], ledger: Figures) -> dict[str, Any]:
    """How many of each team's audits gave each rating to each standard of ``fw``.

    ``records`` are the audits the summary's figures count (a double-marked case once).
    Each row (a standard and a team) adds up to the team's audits, the same number for every
    standard, and the teams to the framework's audits; where the framework's learning themes are
    its standards rated below good, each standard's cells below good add up to its theme. The
    ledger is told all of it, so that a published report protects these cells with the rest.
    """
    columns = rating_columns(fw)
    ids = [c["id"] for c in columns]
    by_team: dict[str, list[AuditRecord]] = defaultdict(list)
    for r in records:
        by_team[facet(r, "team")].append(r)
    teams = sorted(by_team, key=lambda t: (t.casefold(), t))
    team_totals: dict[str, dict[str, Any]] = {}
    limit = fw.development_rank
    standards = []
    for group in fw.spec.groups:
        for std in group.standards:
            rows = []
            below: list[dict[str, Any]] = []
            for team in teams:
                counts: Counter[str] = Counter()
                for r in by_team[team]:
                    rating = ((r.data.get(group.id) or {}).get(std.id) or {}).get("rating")
                    counts[rating if rating in ids else NOT_RATED] += 1
                cells = [ledger.count(counts[i]) for i in ids]
                if team in team_totals:
                    ledger.same(cells, [team_totals[team]])
                else:
                    # Never shown: a reader can add a row up, so it is protected like a shown one.
                    team_totals[team] = ledger.total(cells, shown=False)
                below += [c for i, c in zip(ids, cells, strict=True) if fw.rating_rank.get(i, -1) > limit]
                rows.append({"team": team, "cells": cells})
            if not fw.spec.learning and rows:
                # The summary's themes are these standards rated below good, counted over the teams.
                theme = ledger.names.get(("theme", fw.id, f"{group.id}.{std.id}"))
                ledger.same(below, [theme if theme is not None else ledger.count(0)])
            standards.append(
                {
                    "id": f"{group.id}.{std.id}",
                    "group": group.title,
                    "title": std.title.rstrip("."),
                    "rows": rows,
                }
            )
    total = ledger.names.get(("audits", fw.id))
    if team_totals and total is not None:
        ledger.same(list(team_totals.values()), [total])
    return {"framework": framework_view(fw), "columns": columns, "teams": teams, "standards": standards}


# -- completion against the programme -----------------------------------------------------------


def _programme(done: dict[str, Any], ledger: Figures, *, plans: int) -> dict[str, Any]:
    """The programme's planned audits of the quarter's rounds as counts of the ledger: each team's
    done on time, done late, missing and still due, and the sums of them."""
    states = (programme.DONE, programme.LATE, programme.MISSING, programme.DUE)
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for item in done["planned"]:
        found[item["team"]][item["state"]] += 1
    teams = []
    for team in sorted(found, key=lambda t: (t.casefold(), t)):
        cells = {s: ledger.count(found[team][s]) for s in states}
        teams.append({"team": team, **_tally(cells, ledger)})
    overall = {s: ledger.total([t["cells"][s] for t in teams]) for s in states}
    return {
        "plans": plans,
        "rounds": sorted({item["round"] for item in done["planned"]}),
        "totals": _tally(overall, ledger),
        "by_team": teams,
    }


def _tally(cells: dict[str, dict[str, Any]], ledger: Figures) -> dict[str, Any]:
    completed = ledger.total([cells[programme.DONE], cells[programme.LATE]])
    # Only the audits whose month has ended can be missing: the share done is of those.
    ended = ledger.total([completed, cells[programme.MISSING]])
    return {
        "cells": cells,
        "planned": ledger.total([ended, cells[programme.DUE]]),
        "completed": completed,
        "on_time": cells[programme.DONE],
        "late": cells[programme.LATE],
        "missing": cells[programme.MISSING],
        "due": cells[programme.DUE],
        "completed_share": ledger.share(completed, ended),
    }


# -- what happened for each escalated child -------------------------------------------------------


def _escalated(
    inside: Sequence[AuditRecord],
    before: Sequence[AuditRecord],
    first: dt.date,
    today: dt.date,
    ledger: Figures,
    summary: dict[str, Any],
) -> dict[str, Any]:
    """Each escalated child of the quarter, and of earlier audits still open when it began: state,
    dates and outcome. The quarter's own are counted by state in the summary's escalations
    (``summary``), and so are the earlier ones, as carried in: their counts are the summary's."""
    mine = escalations.collect(inside, today)
    # Carried in as the escalations report (`escalations --quarter`) lists them.
    earlier = escalations.carried_in(before, first, today)
    carried = summary["carried_in"]
    children = [_child(i, THIS_QUARTER) for i in mine] + [_child(i, EARLIER) for i in earlier]
    return {
        "carried": carried["count"],
        "carried_states": carried["states"],
        # A published report lists no child: only the QA team's own report does.
        "children": [] if ledger.publish else children,
    }


def _child(item: dict[str, Any], when: str) -> dict[str, Any]:
    outcome = item["outcome"]
    return {
        "audit_id": item["audit_id"],
        "file": item["file"],
        "team": item["team"],
        "review_date": item["review_date"],
        "audited": when,
        "state": item["state"],
        "state_label": item["state_label"],
        "raised_on": item["raised_on"],
        "acknowledged_on": item["acknowledged_on"],
        "action_taken": outcome["action_taken"] if outcome else None,
        "safe_on": outcome["safe_on"] if outcome else None,
        "closed_on": item["closed_on"],
        "overdue": bool(item["overdue"]),
    }


# -- remedial actions at the quarter's end --------------------------------------------------------


def _end_state(item: dict[str, Any], as_of: dt.date) -> str:
    closed = item["closed_on"]
    if item["status"] == actions.DONE and closed is not None and closed <= as_of.isoformat():
        return _CLOSED_END
    due = item["due"]
    return _OVERDUE_END if due is not None and due < as_of.isoformat() else _OPEN_END


def _actions_at_end(
    inside: Sequence[AuditRecord],
    before: Sequence[AuditRecord],
    first: dt.date,
    as_of: dt.date,
    today: dt.date,
    ledger: Figures,
    today_totals: dict[str, Any],
) -> dict[str, Any]:
    """The remedial actions as they stood at the quarter's end (``as_of``): those agreed in it and
    those agreed earlier and still open when it began, open (and overdue) or closed in it.

    The actions agreed in the quarter are the summary's remedial actions (counted as they stand
    ``today``), and the ledger is told so, and how their states then and today compare: an
    action closed by the end is done today, and one open today was open at the end. A reader who
    knows that could otherwise pin a hidden count between the two tables.
    """
    mine = actions.collect(inside, today)
    # Carried in as the tracker (`actions --quarter`) lists them: one definition for both.
    earlier = actions.carried_in(before, first, today)
    new = Counter(_end_state(i, as_of) for i in mine)
    closed_new = ledger.count(new[_CLOSED_END], shown=False)
    overdue_new = ledger.count(new[_OVERDUE_END], shown=False)
    open_new = ledger.count(new[_OPEN_END], shown=False)
    old = Counter(_end_state(i, as_of) for i in earlier)
    closed_old = ledger.count(old[_CLOSED_END], shown=False)
    overdue_old = ledger.count(old[_OVERDUE_END], shown=False)
    open_old = ledger.count(old[_OPEN_END], shown=False)
    agreed = ledger.total([closed_new, overdue_new, open_new])
    # The actions agreed in the quarter are the summary's remedial actions, counted again.
    ledger.same([agreed], [today_totals["actions"]])
    new_open = ledger.total([overdue_new, open_new])
    # Closed by the end: done today. Open today: open at the end (not closed by then).
    ledger.within(closed_new, today_totals["done"])
    ledger.within(today_totals["open"], new_open)
    carried_open = ledger.total([overdue_old, open_old])
    # The summary counts the actions carried in as they stand today; the same actions, so the
    # same links between then and now.
    carried_today = today_totals["carried_in"]
    ledger.same([carried_today["actions"]], [closed_old, carried_open])
    ledger.within(closed_old, carried_today["done"])
    ledger.within(carried_today["open"], carried_open)
    still_open = ledger.total([carried_open, new_open])
    overdue = ledger.total([overdue_old, overdue_new], breakdown=False)
    ledger.breakdown(still_open, [overdue])
    closed = ledger.total([closed_old, closed_new])
    carried_in = ledger.total([closed_old, carried_open])
    section: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "carried_in": carried_in,
        "agreed": agreed,
        "closed": closed,
        "open": still_open,
        "open_carried": carried_open,
        "open_agreed": new_open,
        "overdue": overdue,
        "overdue_share": ledger.share(overdue, still_open),
        "longest_open": []
        if ledger.publish
        else [
            {k: i[k] for k in ("audit_id", "file", "review_date", "owner", "action", "due")}
            | {"audited": EARLIER}
            for i in sorted(earlier, key=lambda i: (i["review_date"], i["audit_id"], i["number"]))
            if _end_state(i, as_of) != _CLOSED_END
        ][: actions.MOST_OVERDUE],
    }

    def no_open() -> None:
        if still_open["n"] == 0:
            section["overdue_share"]["text"] = Shown("no open actions")

    ledger.then(no_open)
    return section

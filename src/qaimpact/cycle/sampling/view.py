"""The plan as a report (:func:`sample_view`), its CSV rows, and the blank audits it writes.

Audit ids for the round (``SAMPLE-2026-12-001``) come from :func:`round_of` and
:func:`audit_ids`; :func:`write_audits` writes each chosen case's audit with
:mod:`qaimpact.authoring.scaffold`, never replacing a file unless forced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from qaimpact.audits.dataset import Dataset
from qaimpact.authoring.importing.emit import comment_lines
from qaimpact.authoring.scaffold import scaffold_audit
from qaimpact.base.errors import UsageError
from qaimpact.base.fileio import write_atomic
from qaimpact.cycle.common import Window, framework_titles
from qaimpact.cycle.sampling.lists import MAX_LISTED, and_names, refusal
from qaimpact.cycle.sampling.plan import Plan
from qaimpact.frameworks.registry import Registry
from qaimpact.models.audit import person_key
from qaimpact.models.standard import Framework
from qaimpact.privacy.disclosure import count

#: The plan as CSV: one row per chosen case. ``round`` (the month the audits are due in) and
#: ``selected_on`` (the day the cases were chosen) let ``qaimpact programme`` compare the plan with
#: the audits done; ``seed`` repeats the seed on every row, so that the file alone is enough to
#: reproduce the plan.
COLUMNS = [
    "team",
    "case_id",
    "practitioner",
    "framework",
    "proposed_auditor",
    "auditor_team",
    "audit_file",
    "note",
    "round",
    "selected_on",
    "seed",
]

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


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


def _closed_text(status: str | None, closed_on: dt.date | None, today: dt.date) -> str:
    """How a chosen closed case is marked in the plan's note column."""
    if closed_on is not None and closed_on <= today:
        return f"case closed on {closed_on.isoformat()}"
    return f"case closed (status: {status})"


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
    frameworks: Iterable[Framework] = (),
) -> dict[str, Any]:
    """The plan as a JSON-ready view (kind ``sample``): the chosen cases with their proposed
    auditors (a closed one, chosen with ``include_closed``, marked in its note), each team's quota
    and shortfall, the cases left out as closed and as recently audited, the auditors' load, the
    seed and the options. ``frameworks`` (the registry's) give the titles of the frameworks the
    cases name; those of the audits read are known without.

    With ``scaffold_dir`` each chosen case gets a new audit id and the file its audit is to be
    written to (:func:`write_audits`).
    """
    month = round_of(plan.today)
    ids = (
        audit_ids(month, len(plan.picks), [r.audit_id for r in dataset.records])
        if scaffold_dir is not None
        else [None] * len(plan.picks)
    )
    titles = framework_titles(dataset, frameworks)
    items = []
    for pick, ident in zip(plan.picks, ids, strict=True):
        case = pick.case
        notes = [pick.reason] if pick.reason else []
        closed = case.closed(plan.today)
        if closed:  # chosen with --include-closed: the auditor should know before opening the file
            notes.append(_closed_text(case.status, case.closed_on, plan.today))
        if pick.last is not None:
            notes.append(f"last audited {pick.last.date.isoformat()} ({pick.last.audit_id})")
        items.append(
            {
                "team": case.team,
                "case_id": case.case_id,
                "line": case.line,
                "practitioner": case.practitioner,
                "framework": case.framework,
                # The framework as a person reads it (its id where no standards file names it).
                "framework_title": titles.get(case.framework, case.framework) if case.framework else None,
                "last_audit": pick.last.to_dict() if pick.last else None,
                "proposed_auditor": pick.auditor.name if pick.auditor else None,
                "auditor_team": pick.auditor.team if pick.auditor else None,
                "no_auditor_reason": pick.reason,
                "audit_id": ident,
                "audit_file": str(scaffold_dir / f"{ident}.yaml") if scaffold_dir and ident else None,
                "closed": closed,
                "status": case.status,
                "closed_on": case.closed_on.isoformat() if case.closed_on else None,
                "note": "; ".join(notes),
            }
        )
    teams = [
        {
            "team": t.team,
            "cases": count(t.cases),
            "skipped": count(t.skipped),
            "closed": count(t.closed),
            "eligible": count(t.eligible),
            "quota": t.quota,
            "chosen": count(t.chosen),
            "shortfall": count(t.shortfall),
            "practitioners": [{"name": n, "eligible": e, "chosen": c} for n, e, c in t.practitioners],
            "strata": [{"name": s, "eligible": e, "chosen": c} for s, e, c in t.strata],
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
    chosen_closed = sum(1 for item in items if item["closed"])
    if chosen_closed:
        notes.append(
            f"{chosen_closed} of the chosen cases {'is' if chosen_closed == 1 else 'are'} closed "
            "(--include-closed): each is marked in the note column."
        )
    for ident, n in sorted(unmatched.items()):
        notes.append(
            f"{n} audit{'s' if n != 1 else ''} of {titles.get(ident, ident)} could not be matched to cases, "
            f"as its standards file ({ident}) declares no case_id: recently audited cases of it may have "
            "been chosen."
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
            "stratify": plan.stratify,
            "include_closed": plan.include_closed,
            "closure_recorded": plan.closure_recorded,
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
        "invalid_audits": dataset.invalid_audits,
        "invalid": [c.path for c in dataset.invalid],
        "totals": {
            "cases": count(sum(t.cases for t in plan.teams)),
            "teams": count(len(plan.teams)),
            "skipped": count(len(plan.skipped)),
            "closed": count(len(plan.closed)),
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
        "closed": [
            {
                "team": case.team,
                "case_id": case.case_id,
                "line": case.line,
                "practitioner": case.practitioner,
                "status": case.status,
                "closed_on": case.closed_on.isoformat() if case.closed_on else None,
            }
            for case in plan.closed
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
    plan_wide = {"round": view["round"], "selected_on": view["today"], "seed": view["seed"]}
    return [{k: item[k] for k in COLUMNS if k not in plan_wide} | plan_wide for item in view["plan"]]


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
        raise refusal(
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
            f"{and_names(named)} already exist{'s' if len(existing) == 1 else ''}, so no audit file was "
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
        if item["closed"]:
            closed_on = dt.date.fromisoformat(item["closed_on"]) if item["closed_on"] else None
            words = _closed_text(item["status"], closed_on, dt.date.fromisoformat(view["today"]))
            # The status is the case list's cell as it was typed: printable characters only and
            # wrapped, so that no control character makes the blank audit unreadable YAML.
            note += "".join(
                f"# {line}\n" for line in comment_lines(f"The {words}: chosen with --include-closed.")
            )
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

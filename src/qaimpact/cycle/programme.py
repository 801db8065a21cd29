"""The audit programme: the audits planned against the audits done, and the audit of the audits.

``qaimpact sample`` writes each month's plan as CSV (one row per chosen case, with the ``round``
it is due in and the day it was ``selected_on``). :func:`read_plans` reads one or more plans
back, refusing a bad one plainly at ``file:line``; :func:`programme_view` compares them with the
audits that exist. Each planned audit is

- *done*: an audit of the case dated on or after the day it was chosen and by the end of its
  round's month;
- *late*: done, but after the end of the month;
- *missing*: not done, and its month has ended;
- *due*: not done, and its month has not yet ended.

An audit counts once: where a case is planned in two rounds, the earlier round takes the earlier
audit. A plan row whose ``audit_file`` names an audit id (``SAMPLE-2026-12-001.yaml``) is matched
to the audit with that id first, whatever its case.

The audit of the audits looks at every audit read, by its reviewer, as the council framework asks
of "all Operational Managers, Heads of Service, Assistant Directors and Service Directors": how
many they completed each month, and the share with a rationale for the grade, with evidence for
every rating below the top one, and with learning recorded where the grade is below good.

Timeliness is counted in days from the day a case was chosen to the day it was audited. Audits
record no date on which feedback was given to the practitioner, so the time from audit to
feedback is not measured (observations record theirs: ``feedback_given_on``).
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qaimpact.audits.dataset import Dataset
from qaimpact.audits.records import NONE_LABEL, AuditRecord, facet, learning_items
from qaimpact.base.diagnose import date_hint, suggest
from qaimpact.base.errors import UsageError
from qaimpact.cycle.common import case_key, days, framework_titles, left_out
from qaimpact.cycle.sampling.lists import MAX_LISTED, and_names, read_table, refusal
from qaimpact.models.audit import ident_key, is_applicable, is_blank, person_key, stand_in
from qaimpact.models.standard import NOT_APPLICABLE, Framework
from qaimpact.privacy.disclosure import count, share
from qaimpact.privacy.redaction import Redactor

DONE, LATE, MISSING, DUE = "done", "late", "missing", "due"
#: The order the programme lists planned audits in: the ones to chase first.
STATES = (MISSING, DUE, LATE, DONE)
#: How a state is named in a table's heading.
STATE_LABELS = {MISSING: "Missing", DUE: "Due", LATE: "Done late", DONE: "Done on time"}
NO_AUDITOR = "(no auditor proposed)"

COLUMNS = [
    "state",
    "round",
    "selected_on",
    "due_by",
    "team",
    "case_id",
    "practitioner",
    "framework",
    "auditor",
    "audit_id",
    "review_date",
    "audited_by",
    "days_to_audit",
    "days_late",
    "days_overdue",
    "audit_file",
    "plan",
    "line",
    "note",
]

_REQUIRED = ("case_id", "team", "round", "selected_on")
_OPTIONAL = ("practitioner", "framework", "proposed_auditor", "auditor_team", "audit_file")


@dataclass(frozen=True, slots=True)
class PlannedAudit:
    """One row of a plan: a case chosen for audit in a round (the first day of its month)."""

    plan: str
    line: int
    round: dt.date
    selected_on: dt.date
    case_id: str
    team: str
    practitioner: str | None = None
    framework: str | None = None
    auditor: str | None = None
    auditor_team: str | None = None
    #: The id of the audit written for it (the stem of ``audit_file``), if one was.
    audit_id: str | None = None
    audit_file: str | None = None

    @property
    def due_by(self) -> dt.date:
        """The last day of the round's month."""
        return (self.round + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _month(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(f"{text.strip()}-01")
    except ValueError:
        return None


def _month_hint(text: str) -> str:
    """How to write a month that did not read as one: ``2026-8`` and ``8/2026`` as ``2026-08``."""
    found = re.fullmatch(r"\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*|\s*(\d{1,2})\s*[-/.]\s*(\d{4})\s*", text)
    if found is not None:
        year, month = (found[1], found[2]) if found[1] else (found[4], found[3])
        if 1 <= int(month) <= 12:
            return f"write it as YYYY-MM: {year}-{int(month):02d}."
    return "write it as YYYY-MM, such as 2026-12."


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _read_plan(path: Path, frameworks: Collection[str]) -> tuple[list[PlannedAudit], list[str]]:
    try:
        rows = read_table(path, _REQUIRED, _OPTIONAL, "planned audit")
    except UsageError as exc:
        if not exc.details:  # not a file to read at all (missing, a folder, a workbook)
            raise
        # A header problem: written as the plan's own problems, so that every plan's are listed.
        return [], [d.strip() for d in exc.details]
    if not rows:
        return [], [
            f"{path} plans no audits: it needs one row per case, as `qaimpact sample` writes (a plan "
            "with no cases chosen has nothing to compare)."
        ]
    planned: list[PlannedAudit] = []
    problems: list[str] = []
    first: dict[tuple[str, str], int] = {}
    known = sorted(frameworks)
    for row in rows:
        cells, where = row.cells, f"{path}:{row.line}"
        ok = True
        for name in _REQUIRED:
            if not cells[name]:
                problems.append(
                    f"{where}: the {name} cell is empty: "
                    + {
                        "case_id": "write the case's identifier, as the audits record it.",
                        "team": "write the team that holds the case.",
                        "round": "write the month the audit is due in, as YYYY-MM (2026-12).",
                        "selected_on": "write the day the case was chosen, as YYYY-MM-DD.",
                    }[name]
                )
                ok = False
        month = _month(cells["round"]) if cells["round"] else None
        if cells["round"] and month is None:
            hint = _month_hint(cells["round"])
            problems.append(f"{where}: the round '{cells['round']}' is not a month: {hint}")
            ok = False
        chosen = _day(cells["selected_on"]) if cells["selected_on"] else None
        if cells["selected_on"] and chosen is None:
            hint = date_hint(cells["selected_on"])
            problems.append(f"{where}: the selected_on '{cells['selected_on']}' is not a date. {hint}")
            ok = False
        if month is not None and chosen is not None:
            end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            if chosen > end:
                problems.append(
                    f"{where}: the case was selected on {chosen.isoformat()}, after its round "
                    f"{month:%Y-%m} ended: check both (`qaimpact sample` plans the month after the day "
                    "it is run)."
                )
                ok = False
            elif chosen < _years_before(month, 1):
                # Any audit of the case since then would count as the round's: an audit of another
                # year would complete this quarter's programme.
                problems.append(
                    f"{where}: the case was selected on {chosen.isoformat()}, more than a year before "
                    f"its round {month:%Y-%m}: check the year of both (`qaimpact sample` plans the "
                    "month after the day it is run)."
                )
                ok = False
        framework = cells.get("framework", "").casefold() or None
        if framework is not None and frameworks and framework not in frameworks:
            guess = suggest(framework, known)
            problems.append(
                f"{where}: the framework '{cells['framework']}' is not a known framework id"
                + (f"; did you mean '{guess}'?" if guess else ".")
                + f" Write one of {and_names(known, 'or')}, or leave the cell empty."
            )
            ok = False
        key = (ident_key(cells["case_id"]), cells["round"].strip())
        if key[0] and key in first:
            problems.append(
                f"{where}: the case '{cells['case_id']}' is already planned for {cells['round']} on line "
                f"{first[key]}: delete one of the two rows."
            )
            ok = False
        elif key[0]:
            first[key] = row.line
        if not ok or month is None or chosen is None:
            continue
        audit_file = cells.get("audit_file") or None
        planned.append(
            PlannedAudit(
                plan=str(path),
                line=row.line,
                round=month,
                selected_on=chosen,
                case_id=cells["case_id"],
                team=" ".join(cells["team"].split()),
                practitioner=" ".join(cells.get("practitioner", "").split()) or None,
                framework=framework,
                auditor=" ".join(cells.get("proposed_auditor", "").split()) or None,
                auditor_team=" ".join(cells.get("auditor_team", "").split()) or None,
                audit_id=Path(audit_file).stem if audit_file else None,
                audit_file=audit_file,
            )
        )
    return planned, problems


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` years before (28 February for 29 February in a year without one)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def distinct_plans(paths: Sequence[Path]) -> list[Path]:
    """``paths`` with each file once, in the order given: a plan named twice (``plans/*.csv
    plans/2026-07.csv``, or ``./plans/x.csv`` beside ``plans/x.csv``) is one plan, not every
    audit it plans planned twice."""
    seen: set[Path] = set()
    kept: list[Path] = []
    for path in paths:
        # The file, however it is named: a path that cannot be resolved is kept as written, and
        # reading it says what is wrong with it.
        try:
            same = Path(path).resolve()
        except OSError:
            same = Path(path)
        if same not in seen:
            seen.add(same)
            kept.append(path)
    return kept


def read_plans(paths: Sequence[Path], frameworks: Collection[str] = ()) -> list[PlannedAudit]:
    """Every planned audit of the plans (CSV files as ``qaimpact sample`` writes them: columns
    ``case_id``, ``team``, ``round`` and ``selected_on``, and optionally ``practitioner``,
    ``framework``, ``proposed_auditor``, ``auditor_team`` and ``audit_file``; others ignored).

    Every problem of every plan is reported at once, each at ``file:line``, in one
    :class:`UsageError`; a case planned twice for one round, in one plan or two, is one of them.
    A plan named twice is read once (:func:`distinct_plans`).
    """
    if not paths:
        raise UsageError("Give at least one plan: a CSV file written by `qaimpact sample`.")
    planned: list[PlannedAudit] = []
    problems: list[str] = []
    paths = distinct_plans(paths)
    for path in paths:
        found, wrong = _read_plan(path, frameworks)
        planned += found
        problems += wrong
    first: dict[tuple[str, dt.date], PlannedAudit] = {}
    for item in planned:
        key = (ident_key(item.case_id), item.round)
        if key in first and first[key].plan != item.plan:
            other = first[key]
            problems.append(
                f"{item.plan}:{item.line}: the case '{item.case_id}' is already planned for "
                f"{item.round:%Y-%m} in {other.plan}:{other.line}: give each round's plan once."
            )
        first.setdefault(key, item)
    if problems:
        if len(paths) == 1:
            raise refusal(Path(paths[0]), problems)
        listed = problems[:MAX_LISTED]
        more = [f"  ... and {len(problems) - MAX_LISTED} more."] if len(problems) > MAX_LISTED else []
        raise UsageError(
            f"The plans have {len(problems)} problem{'s' if len(problems) != 1 else ''}; "
            f"{'fix it' if len(problems) == 1 else 'fix them'} and run again:",
            details=[f"  {p}" for p in listed] + more,
        )
    return planned


def _match(planned: Sequence[PlannedAudit], records: Sequence[AuditRecord]) -> list[AuditRecord | None]:
    """The audit that carries out each planned audit, or ``None``; each audit counts once."""
    by_id = {r.audit_id.casefold(): r for r in records}
    by_case: dict[str, list[AuditRecord]] = {}
    for record in records:
        key = case_key(record)
        if key is not None:
            # "framework:identifier": a plan names cases, so they match on the identifier.
            ident = key.partition(":")[2]
            by_case.setdefault(ident, []).append(record)
    for found in by_case.values():
        found.sort(key=lambda r: (r.review_date, r.audit_id))
    used: set[int] = set()
    matched: list[AuditRecord | None] = [None] * len(planned)
    order = sorted(
        range(len(planned)), key=lambda i: (planned[i].selected_on, planned[i].plan, planned[i].line)
    )
    # An audit written for the plan (its id in audit_file) is the plan's, whatever its date.
    for i in order:
        item = planned[i]
        written = by_id.get(item.audit_id.casefold()) if item.audit_id else None
        if written is not None and id(written) not in used:
            matched[i] = written
            used.add(id(written))
    for i in order:
        item = planned[i]
        if matched[i] is not None:
            continue
        for record in by_case.get(ident_key(item.case_id), []):
            if id(record) in used or record.review_date < item.selected_on:
                continue
            if item.framework is not None and record.framework.id != item.framework:
                continue
            matched[i] = record
            used.add(id(record))
            break
    return matched


def _item(
    item: PlannedAudit,
    record: AuditRecord | None,
    today: dt.date,
    invalid: set[str],
    titles: Mapping[str, str],
) -> dict[str, Any]:
    due = item.due_by
    framework = item.framework or (record.framework.id if record else None)
    notes: list[str] = []
    if record is None:
        state = MISSING if today > due else DUE
        if item.audit_file and _resolved(item.audit_file) in invalid:
            notes.append(
                f"its audit {item.audit_file} is not yet a valid audit: `qaimpact validate "
                f"{item.audit_file}` lists what to complete"
            )
        elif state == MISSING:
            notes.append(f"no audit of the case dated from {item.selected_on.isoformat()} was found")
    else:
        state = LATE if record.review_date > due else DONE
        reviewer = str(record.data.get("reviewer") or "")
        if item.auditor and reviewer and person_key(reviewer) != person_key(item.auditor):
            notes.append(f"audited by {reviewer}, not {item.auditor} as planned")
    return {
        "state": state,
        "state_label": STATE_LABELS[state],
        "round": f"{item.round:%Y-%m}",
        "selected_on": item.selected_on.isoformat(),
        "due_by": due.isoformat(),
        "team": item.team,
        "case_id": item.case_id,
        "practitioner": item.practitioner,
        "framework": framework,
        # The framework as a person reads it (its id where no standards file names it).
        "framework_title": titles.get(framework, framework) if framework else None,
        "auditor": item.auditor,
        "auditor_team": item.auditor_team,
        "audit_id": record.audit_id if record else None,
        "review_date": record.review_date.isoformat() if record else None,
        "audited_by": (str(record.data.get("reviewer") or "") or None) if record else None,
        "days_to_audit": days(item.selected_on, record.review_date) if record else None,
        "days_late": days(due, record.review_date) if state == LATE and record else 0,
        "days_overdue": days(due, today) if state == MISSING else 0,
        "audit_file": record.path if record else item.audit_file,
        "plan": item.plan,
        "line": item.line,
        "note": "; ".join(notes),
    }


def _resolved(path: str) -> str:
    return str(Path(path).resolve())


def _median(values: Iterable[int]) -> float | None:
    """The median, a whole number where it is one (``26``, not ``26.0``; ``33.5`` stays)."""
    found = list(values)
    if not found:
        return None
    middle = statistics.median(found)
    return int(middle) if middle == int(middle) else middle


def _tally(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Planned, done on time, done late, missing and due, with the share done and the days taken."""
    n = {state: sum(1 for i in items if i["state"] == state) for state in STATES}
    completed = n[DONE] + n[LATE]
    taken = [i["days_to_audit"] for i in items if i["days_to_audit"] is not None]
    # Only the audits whose month has ended can be missing: the share done is of those.
    ended = completed + n[MISSING]
    return {
        "planned": count(len(items)),
        "completed": count(completed),
        "on_time": count(n[DONE]),
        "late": count(n[LATE]),
        "missing": count(n[MISSING]),
        "due": count(n[DUE]),
        "completed_share": share(completed, ended),
        "on_time_share": share(n[DONE], ended),
        "median_days_to_audit": _median(taken),
        "longest_days_to_audit": max(taken) if taken else None,
    }


def _team_spellings(records: Sequence[AuditRecord], planned: Sequence[str]) -> dict[str, str]:
    """One spelling of each team the plans name, by :func:`person_key`: the audits' (which
    :func:`~qaimpact.audits.dataset.settle_names` has given one), else the one the plans use most
    (the first between equals). A plan written "FENLAND  child in need 1" counts with the audits of
    "Fenland Child in Need 1", on their row and under their name, in every report that counts it."""
    spelt: dict[str, str] = {}
    for record in records:
        team = facet(record, "team")
        if team != NONE_LABEL:
            spelt.setdefault(person_key(team), team)
    used: dict[str, Counter[str]] = defaultdict(Counter)
    for team in planned:
        used[person_key(team)][team] += 1
    for key, counts in used.items():
        spelt.setdefault(key, counts.most_common(1)[0][0])
    return spelt


def _groups(items: Sequence[dict[str, Any]], key: Callable[[dict[str, Any]], str]) -> list[dict[str, Any]]:
    found: dict[str, list[dict[str, Any]]] = {}
    names: dict[str, str] = {}
    for item in items:
        value = key(item)
        names.setdefault(person_key(value), value)
        found.setdefault(person_key(value), []).append(item)
    return [{"name": names[k], **_tally(found[k])} for k in sorted(found)]


def _below_top_without_evidence(record: AuditRecord) -> list[str]:
    """The standards rated below the top rating with no evidence written, as the checks find them
    (QA403, QA317): a standard that does not apply to the case (``applies_when``) is left out of
    the grade, and so needs no evidence, whatever it was rated."""
    data = record.data
    framework = record.framework
    rank = framework.rating_rank
    missing = []
    # Each standard with its group, in file order, as the framework keeps them (no walk of the
    # standards file's models for every audit).
    for std_id, group_id in framework.group_of.items():
        entry = (data.get(group_id) or {}).get(std_id)
        if not entry:
            continue
        rating = entry.get("rating")
        if rating is None or rating == NOT_APPLICABLE or not rank.get(rating, 0):
            continue
        applies = framework.standards[std_id].applies_when
        if applies is not None and not is_applicable(applies.field, applies.equals, data):
            continue
        evidence = entry.get("evidence")
        if is_blank(evidence) or stand_in(evidence) is not None:
            missing.append(f"{group_id}.{std_id}")
    return missing


def _learning_recorded(record: AuditRecord) -> bool:
    """Whether the audit records learning: its learning points where the framework has learning
    areas (Cafcass), else its remedial actions (the council's audits carry their learning there)."""
    if record.framework.spec.learning:
        return bool(learning_items(record))
    return bool(record.data.get("remedial_actions"))


def _months(first: dt.date, last: dt.date) -> list[str]:
    out = []
    month = first.replace(day=1)
    while month <= last:
        out.append(f"{month:%Y-%m}")
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def audit_of_audits(records: Sequence[AuditRecord], months: Sequence[str]) -> list[dict[str, Any]]:
    """For each reviewer (by name): audits completed in each of ``months``, the months without
    one, and the share with a rationale, with evidence for every rating below the top one, and
    with learning recorded where the grade is below good."""
    by: dict[str, list[AuditRecord]] = {}
    names: dict[str, str] = {}
    for record in records:
        name = " ".join(str(record.data.get("reviewer") or "").split()) or "(no reviewer recorded)"
        names.setdefault(person_key(name), name)
        by.setdefault(person_key(name), []).append(record)
    out = []
    for key in sorted(by):
        mine = sorted(by[key], key=lambda r: (r.review_date, r.audit_id))
        per_month = Counter(facet(r, "month") for r in mine)
        monthly = {m: per_month[m] for m in months}
        below_good = [r for r in mine if not r.framework.is_good_or_better(r.settled_grade)]
        # By position in ``mine``: audits are not hashable, and a reviewer may have thousands.
        gaps = {i: _below_top_without_evidence(r) for i, r in enumerate(mine)}
        no_rationale = {i for i, r in enumerate(mine) if is_blank(r.data.get("rationale"))}
        no_learning = {
            i
            for i, r in enumerate(mine)
            if not r.framework.is_good_or_better(r.settled_grade) and not _learning_recorded(r)
        }
        without_evidence = [i for i, gap in gaps.items() if gap]
        out.append(
            {
                "name": names[key],
                "audits": count(len(mine)),
                "monthly": [{"month": m, "audits": n} for m, n in monthly.items()],
                "months_without": [m for m, n in monthly.items() if n == 0],
                "rationale": share(len(mine) - len(no_rationale), len(mine)),
                "evidence": share(len(mine) - len(without_evidence), len(mine)),
                "learning": share(len(below_good) - len(no_learning), len(below_good)),
                "below_good": count(len(below_good)),
                "to_check": [
                    {
                        "audit_id": r.audit_id,
                        "file": r.path,
                        "missing": [
                            what
                            for what, gap in (
                                ("a rationale for the grade", i in no_rationale),
                                ("evidence for " + ", ".join(gaps[i]), bool(gaps[i])),
                                ("learning, though the grade is below good", i in no_learning),
                            )
                            if gap
                        ],
                    }
                    for i, r in enumerate(mine)
                    if i in no_rationale or gaps[i] or i in no_learning
                ],
            }
        )
    return out


def _people_and_cases(planned: Sequence[PlannedAudit]) -> tuple[list[str], list[str]]:
    people = [p for item in planned for p in (item.practitioner, item.auditor) if p]
    return people, [item.case_id for item in planned]


def _redact_item(item: dict[str, Any], redactor: Redactor) -> dict[str, Any]:
    personal = ("case_id", "practitioner", "auditor", "audited_by", "audit_id")
    # Paths, and a note that may quote one (an invalid audit's file), are redacted as paths are,
    # as the plans and folders read beside them: a name in lower case in a file's name too.
    paths = ("audit_file", "plan", "note")
    return {
        k: (redactor.text if k in personal else redactor.path)(v)
        if k in (*personal, *paths) and isinstance(v, str)
        else v
        for k, v in item.items()
    }


def programme_view(
    planned: Sequence[PlannedAudit],
    dataset: Dataset,
    today: dt.date,
    *,
    plans: Sequence[str],
    redact: bool = False,
    frameworks: Iterable[Framework] = (),
) -> dict[str, Any]:
    """The audit programme (kind ``programme``): each planned audit's state, the figures by
    auditor, team and month, and the audit of the audits by reviewer.

    ``frameworks`` (the registry's) give the titles of the frameworks the plans name; those of the
    audits read are known without.

    ``redact`` pseudonymises the names and case identifiers of the audits and of the plans (an
    auditor or case planned but never audited is known only to the plan), after the matching.
    """
    invalid = {_resolved(c.path) for c in dataset.invalid}
    # Audits dated after today are not counted, so that a programme as of an earlier --today
    # comes out as it did then.
    records = [r for r in dataset.records if r.review_date <= today]
    matched = _match(planned, records)
    titles = framework_titles(dataset, frameworks)
    items = [_item(p, r, today, invalid, titles) for p, r in zip(planned, matched, strict=True)]
    spelt = _team_spellings(dataset.records, [i["team"] for i in items])
    for item in items:
        item["team"] = spelt[person_key(item["team"])]
    order = {state: i for i, state in enumerate(STATES)}
    items.sort(key=lambda i: (order[i["state"]], i["round"], person_key(i["team"]), ident_key(i["case_id"])))
    first, last = dataset.period()
    rounds = [p.round for p in planned]
    start = min([d for d in (first, *rounds) if d is not None])
    end = max([d for d in (last, *(p.due_by for p in planned)) if d is not None and d <= today] or [start])
    months = _months(start, end)
    reviewers = audit_of_audits(records, months)
    sources = list(dataset.sources)
    plan_names = list(plans)
    if redact:
        people, cases = _people_and_cases(planned)
        redactor = Redactor(dataset.records, kinds=dataset.kinds, people=people, cases=cases)
        items = [_redact_item(i, redactor) for i in items]
        for reviewer in reviewers:
            reviewer["name"] = redactor.text(reviewer["name"])
            for audit in reviewer["to_check"]:
                audit["audit_id"] = redactor.text(audit["audit_id"])
                audit["file"] = redactor.path(audit["file"])
        sources = redactor.folders(sources)
        plan_names = [redactor.path(p) for p in plan_names]
    return {
        "kind": "programme",
        "today": today.isoformat(),
        "plans": plan_names,
        "sources": sources,
        "audits": len(records),
        "after_today": len(dataset.records) - len(records),
        "invalid_count": len(dataset.invalid),
        "invalid_audits": dataset.invalid_audits,
        "invalid": left_out([c.path for c in dataset.invalid], redact=redact),
        "redacted": redact,
        "totals": _tally(items),
        "by_auditor": _groups(items, lambda i: i["auditor"] or NO_AUDITOR),
        "by_team": _groups(items, lambda i: i["team"]),
        "by_month": _groups(items, lambda i: i["round"]),
        "planned": items,
        "months": months,
        "reviewers": reviewers,
    }


def rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The planned audits as flat CSV rows (columns :data:`COLUMNS`)."""
    return [{k: item[k] for k in COLUMNS} for item in view["planned"]]

"""A practitioner's learning log across their audits (``qaimpact report --fca NAME``).

Pure functions from graded records to a JSON-ready view; the ``learning_log`` templates render it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from qaimpact.audits.quarters import Quarters
from qaimpact.audits.records import SETTLED_GRADE, AuditRecord, KindRecord, learning_items
from qaimpact.base.errors import UsageError
from qaimpact.cycle.common import did_you_mean, period_phrase, period_view
from qaimpact.models.audit import ident_key, person_key
from qaimpact.models.kinds import rated_standards
from qaimpact.reports.views import framework_view, grade_view


def practitioner_names(records: Iterable[AuditRecord]) -> list[str]:
    """Every practitioner name, as first written, sorted."""
    seen: dict[str, str] = {}
    for record in records:
        seen.setdefault(
            person_key(record.data["practitioner"]), " ".join(record.data["practitioner"].split())
        )
    return sorted(seen.values())


def select_practitioner(
    records: Sequence[AuditRecord],
    name: str,
    period: Mapping[str, Any] | None = None,
    *,
    left_out: int = 0,
) -> list[AuditRecord]:
    """The audits of one practitioner; a clear error suggesting the closest names when none match.

    ``period`` (:func:`~qaimpact.cycle.common.period_view`) is the period the records were read
    for, which the error names: the practitioner may have audits outside it. ``left_out`` is the
    number of audit files left out for their errors, which may hold the practitioner's audits."""
    wanted = person_key(name)
    if not wanted:
        raise UsageError("--fca needs a practitioner's name.")
    chosen = [r for r in records if person_key(r.data["practitioner"]) == wanted]
    if chosen:
        return chosen
    suggestion = did_you_mean(name, practitioner_names(records))
    hint = f" {suggestion}" if suggestion else ""
    within = period_phrase(period or {})
    elsewhere = (
        "ask for a period that holds their audits (--quarter, --from/--to), or point --audits at the "
        "folder that holds them"
        if within
        else "point --audits at the folder that holds their audits"
    )
    invalid = (
        f" {left_out} audit file{'s were' if left_out != 1 else ' was'} left out for errors (listed "
        "above): if their audits are among them, fix them and run the report again."
        if left_out
        else ""
    )
    if within and not records:
        raise UsageError(
            f"No valid audit was reviewed {within}, so there is no learning log of "
            f"'{name.strip()}' for it. {elsewhere[0].upper()}{elsewhere[1:]}.{invalid}"
        )
    raise UsageError(
        f"No audit of a practitioner named '{name.strip()}' was found among the {len(records)} valid "
        f"audits {'reviewed ' + within if within else 'read'}.{hint} Check the name, or {elsewhere}."
        f"{invalid}"
    )


def practitioner_records(kinds: Iterable[KindRecord], name: str) -> list[KindRecord]:
    """The records of other kinds about one practitioner: those whose ``practitioner`` names them."""
    wanted = person_key(name)
    return [
        k
        for k in kinds
        if isinstance(k.data.get("practitioner"), str) and person_key(k.data["practitioner"]) == wanted
    ]


def learning_log(
    records: Sequence[AuditRecord],
    name: str,
    kinds: Sequence[KindRecord] = (),
    *,
    today: dt.date | None = None,
    period: Mapping[str, Any] | None = None,
    quarters: Quarters | None = None,
) -> dict[str, Any]:
    """The learning log of one practitioner across their audits, in date order.

    ``kinds`` are the records of other kinds read with the audits: the practitioner's
    observations (kinds with a ``ratings`` field) and learning follow-through (kinds with a
    ``learning_links`` field) join the log. ``today`` decides what is overdue.

    ``period`` (:func:`~qaimpact.cycle.common.period_view`) is the period the records were read
    for: the log states it, since the dates of the audits found are not the period asked for.
    Each audit's quarter follows ``quarters`` (the calendar year's by default).
    """
    period = period or period_view(None, None)
    mine = sorted(select_practitioner(records, name, period), key=lambda r: (r.review_date, r.audit_id))
    by_framework: dict[str, list[AuditRecord]] = defaultdict(list)
    for record in mine:
        by_framework[record.framework.id].append(record)
    others = practitioner_records(kinds, mine[0].data["practitioner"])
    day = today or dt.date.today()
    quarters = quarters or Quarters()
    sections = [
        _log_section(group, [k for k in others if k.framework.id == fw_id], day, quarters)
        for fw_id, group in sorted(by_framework.items())
    ]
    return {
        "kind": "learning_log",
        "practitioner": " ".join(mine[0].data["practitioner"].split()),
        "period": dict(period),
        "audits": len(mine),
        "first": mine[0].review_date.isoformat(),
        "latest": mine[-1].review_date.isoformat(),
        "grade_basis": SETTLED_GRADE,
        "frameworks": sections,
    }


def _chains(records: list[AuditRecord]) -> dict[str, str]:
    """Each audit's chain: the first audit of its case it re-audits (``reaudit_of``), followed
    back through the practitioner's audits; an audit no link joins is a chain of its own."""
    by_id = {ident_key(r.audit_id): r for r in records}
    chain: dict[str, str] = {}
    for record in records:
        current, seen = record, {ident_key(record.audit_id)}
        while (
            (target := current.data.get("reaudit_of"))
            and (key := ident_key(target)) in by_id
            and key not in seen
        ):
            seen.add(key)
            current = by_id[key]
        chain[record.audit_id] = current.audit_id
    return chain


def _notes(record: AuditRecord) -> list[dict[str, Any]]:
    """The written learning of an audit: each learning item with what the auditor wrote about it
    (a learning action's comment, or a standard's evidence)."""
    fw, data = record.framework, record.data
    found = []
    comments: dict[str, str | None] = {}
    for action in data.get("learning_actions") or []:
        for point in action.get("points") or []:
            comments.setdefault(f"{action['area']}.{point}", action.get("comment"))
    for key, area, label in learning_items(record):
        if fw.spec.learning:
            note = comments.get(key)
        else:
            group, std = key.split(".", 1)
            note = ((data.get(group) or {}).get(std) or {}).get("evidence")
        found.append(
            {
                "audit_id": record.audit_id,
                "date": record.review_date.isoformat(),
                "key": key,
                "point": key.rsplit(".", 1)[-1],
                "area": area,
                "label": label,
                "note": note,
            }
        )
    return found


def _strengths(record: AuditRecord) -> list[dict[str, Any]]:
    """The standards an audit rated at or above the 'good' line, with their evidence."""
    fw, data = record.framework, record.data
    found = []
    for group in fw.spec.groups:
        for std in group.standards:
            entry = (data.get(group.id) or {}).get(std.id) or {}
            rating = entry.get("rating")
            if rating in fw.rating_rank and fw.rating_rank[rating] <= fw.development_rank:
                found.append(
                    {
                        "audit_id": record.audit_id,
                        "date": record.review_date.isoformat(),
                        "standard": std.title.rstrip("."),
                        "rating": fw.rating_labels[rating],
                        "evidence": entry.get("evidence"),
                    }
                )
    return found


def _shown_fields(kind: KindRecord, types: tuple[str, ...]) -> list[dict[str, Any]]:
    """A record's fields of these types, by label, leaving out people and empty ones."""
    declared = kind.framework.spec.records[kind.kind]
    shown = []
    for name, field in declared.fields.items():
        value = kind.data.get(name)
        if field.type not in types or field.personal or value is None or name == declared.date:
            continue
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if field.type == "choice":
            text = field.choice_labels.get(text, text)
        shown.append({"field": name, "label": field.label or name, "value": text})
    return shown


def _observation(kind: KindRecord) -> dict[str, Any]:
    fw = kind.framework
    declared = fw.spec.records[kind.kind]
    rated = []
    for name, field in declared.fields.items():
        if field.type == "ratings":
            for std, entry in rated_standards(kind.data.get(name)).items():
                rated.append(
                    {
                        "standard": fw.standards[std].title.rstrip("."),
                        "rating": fw.rating_labels[str(entry["rating"])],
                        "strength": fw.rating_rank[str(entry["rating"])] <= fw.development_rank,
                        "evidence": entry.get("evidence"),
                    }
                )
    return {
        "record_id": kind.record_id,
        "kind": declared.label,
        "date": kind.date.isoformat(),
        "rated": rated,
        "fields": _shown_fields(kind, ("text", "choice")),
    }


def _follow_through(
    kind: KindRecord, records: list[AuditRecord], notes: dict[str, list[dict[str, Any]]], today: dt.date
) -> dict[str, Any]:
    """One follow-through record: what was discussed, agreed and seen since, and whether the
    learning it followed up recurred in an audit after the discussion."""
    fw = kind.framework
    declared = fw.spec.records[kind.kind]
    links = []
    for name, field in declared.fields.items():
        if field.type != "learning_links":
            continue
        for link in kind.data.get(name) or []:
            audit, point = str(link["audit"]), link.get("point")
            known = [n for n in notes.get(audit, []) if point is None or n["point"] == point]
            later = [
                r.audit_id
                for r in records
                if r.review_date > kind.date
                and any(
                    key.rsplit(".", 1)[-1] == n["point"] for n in known for key, _, _ in learning_items(r)
                )
            ]
            links.append(
                {
                    "audit_id": audit,
                    "point": point,
                    "labels": [n["label"] for n in known],
                    "recurred_in": sorted(set(later)),
                }
            )
    due = kind.data.get(declared.due) if declared.due else None
    closed = kind.data.get(declared.closed_by) if declared.closed_by else None
    overdue = isinstance(due, dt.date) and due < today and closed in (None, "")
    return {
        "record_id": kind.record_id,
        "kind": declared.label,
        "discussed": kind.date.isoformat(),
        "links": links,
        "fields": [f for f in _shown_fields(kind, ("text", "choice", "date")) if f["field"] != declared.due],
        "due": due.isoformat() if isinstance(due, dt.date) else None,
        "overdue": overdue,
        "days_overdue": (today - due).days if overdue and isinstance(due, dt.date) else None,
        "recurred": any(link["recurred_in"] for link in links),
    }


def _log_section(
    records: list[AuditRecord], kinds: list[KindRecord], today: dt.date, quarters: Quarters
) -> dict[str, Any]:
    fw = records[0].framework
    chain = _chains(records)
    audits = [
        {
            "audit_id": r.audit_id,
            "file": r.path,
            "date": r.review_date.isoformat(),
            # Written as the period line writes the quarter asked for (quarters.label), so that
            # a quarter reads one way on the page and in JSON.
            "quarter": quarters.label(quarters.key(r.review_date)),
            "grade": grade_view(fw, r.settled_grade),
            "computed": grade_view(fw, r.computed_grade),
            "recorded": grade_view(fw, r.recorded_grade),
            "moderated": grade_view(fw, r.moderated_grade),
            "learning": [label for _, _, label in learning_items(r)],
            "chain": chain[r.audit_id],
        }
        for r in records
    ]
    # Grades of different cases are never one trajectory: movement is measured along each chain
    # of re-audits of one case (``reaudit_of``), and only there.
    cases = []
    for root in dict.fromkeys(chain.values()):
        members = [r for r in records if chain[r.audit_id] == root]
        if len(members) < 2:
            continue
        first, latest = members[0].settled_grade, members[-1].settled_grade
        steps = fw.grade_rank[first] - fw.grade_rank[latest]
        cases.append(
            {
                "audits": [r.audit_id for r in members],
                "first": grade_view(fw, first),
                "latest": grade_view(fw, latest),
                "steps": steps,
                "direction": "improved" if steps > 0 else "declined" if steps < 0 else "no change",
            }
        )
    notes = {r.audit_id: _notes(r) for r in records}
    declared = fw.spec.records
    observations = [
        _observation(k) for k in kinds if any(f.type == "ratings" for f in declared[k.kind].fields.values())
    ]
    follow_through = [
        _follow_through(k, records, notes, today)
        for k in kinds
        if any(f.type == "learning_links" for f in declared[k.kind].fields.values())
    ]
    seen: dict[str, dict[str, Any]] = {}
    for record in records:
        for key, group, label in learning_items(record):
            entry = seen.setdefault(
                key, {"key": key, "area": group, "label": label, "audits": [], "dates": []}
            )
            entry["audits"].append(record.audit_id)
            entry["dates"].append(record.review_date.isoformat())
    latest_items = {key for key, _, _ in learning_items(records[-1])}
    themes = []
    for entry in seen.values():
        count = len(entry["audits"])
        themes.append(
            {
                **entry,
                "count": count,
                "recurring": count >= 2,
                "in_latest": entry["key"] in latest_items,
                "stopped": len(records) > 1 and entry["key"] not in latest_items,
            }
        )
    themes.sort(key=lambda t: (t["area"], -t["count"], t["label"]))
    added: Counter[str] = Counter()
    labels = {c.id: c.label for c in fw.spec.added_value.categories} if fw.spec.added_value else {}
    for record in records:
        added.update(record.data.get("added_value") or [])
    return {
        "framework": framework_view(fw),
        "grades": [{"id": g.id, "label": g.label} for g in fw.spec.grades.scale],
        "audits": audits,
        "cases": cases,
        "learning": [n for r in records for n in notes[r.audit_id]],
        "strengths": [s for r in records for s in _strengths(r)],
        "observations": observations,
        "follow_through": follow_through,
        "today": today.isoformat(),
        "themes": themes,
        "recurring": [t for t in themes if t["recurring"]],
        "stopped_recurring": [t for t in themes if t["stopped"]],
        "added_value": [{"label": labels[k], "count": added[k]} for k in labels if added[k]],
        "learning_kind": "learning points" if fw.spec.learning else "standards rated below good",
    }

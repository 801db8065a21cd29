"""A practitioner's learning log across their audits (``qaimpact report --fca NAME``).

Pure functions from graded records to a JSON-ready view; the ``learning_log`` templates render it.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from qaimpact.audits.records import SETTLED_GRADE, AuditRecord, learning_items, quarter_of
from qaimpact.base.errors import UsageError
from qaimpact.models.audit import person_key
from qaimpact.reports.views import framework_view, grade_view


def practitioner_names(records: Iterable[AuditRecord]) -> list[str]:
    """Every practitioner name, as first written, sorted."""
    seen: dict[str, str] = {}
    for record in records:
        seen.setdefault(
            person_key(record.data["practitioner"]), " ".join(record.data["practitioner"].split())
        )
    return sorted(seen.values())


def select_practitioner(records: Sequence[AuditRecord], name: str) -> list[AuditRecord]:
    """The audits of one practitioner; a clear error listing the closest names when none match."""
    wanted = person_key(name)
    if not wanted:
        raise UsageError("--fca needs a practitioner's name.")
    chosen = [r for r in records if person_key(r.data["practitioner"]) == wanted]
    if chosen:
        return chosen
    names = practitioner_names(records)
    close = difflib.get_close_matches(name.strip(), names, n=3, cutoff=0.6)
    if not close:
        close = [n for n in names if wanted.split()[0] in person_key(n)][:3]
    hint = f" The closest names found: {', '.join(close)}." if close else ""
    raise UsageError(
        f"No audit of a practitioner named '{name.strip()}' was found among the {len(records)} valid "
        f"audits read.{hint} Check the name, or point --audits at the folder that holds their audits."
    )


def learning_log(records: Sequence[AuditRecord], name: str) -> dict[str, Any]:
    """The learning log of one practitioner across their audits, in date order."""
    mine = sorted(select_practitioner(records, name), key=lambda r: (r.review_date, r.audit_id))
    by_framework: dict[str, list[AuditRecord]] = defaultdict(list)
    for record in mine:
        by_framework[record.framework.id].append(record)
    sections = [_log_section(group) for _, group in sorted(by_framework.items())]
    return {
        "kind": "learning_log",
        "practitioner": " ".join(mine[0].data["practitioner"].split()),
        "audits": len(mine),
        "first": mine[0].review_date.isoformat(),
        "latest": mine[-1].review_date.isoformat(),
        "grade_basis": SETTLED_GRADE,
        "frameworks": sections,
    }


def _log_section(records: list[AuditRecord]) -> dict[str, Any]:
    fw = records[0].framework
    audits = [
        {
            "audit_id": r.audit_id,
            "file": r.path,
            "date": r.review_date.isoformat(),
            "quarter": quarter_of(r.review_date),
            "grade": grade_view(fw, r.settled_grade),
            "computed": grade_view(fw, r.computed_grade),
            "recorded": grade_view(fw, r.recorded_grade),
            "moderated": grade_view(fw, r.moderated_grade),
            "learning": [label for _, _, label in learning_items(r)],
        }
        for r in records
    ]
    first, latest = records[0].settled_grade, records[-1].settled_grade
    steps = fw.grade_rank[first] - fw.grade_rank[latest]
    movement = {
        "first": grade_view(fw, first),
        "latest": grade_view(fw, latest),
        "steps": steps,
        "direction": "improved" if steps > 0 else "declined" if steps < 0 else "no change",
        "audits": len(records),
    }
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
        "movement": movement,
        "themes": themes,
        "recurring": [t for t in themes if t["recurring"]],
        "stopped_recurring": [t for t in themes if t["stopped"]],
        "added_value": [{"label": labels[k], "count": added[k]} for k in labels if added[k]],
        "learning_kind": "learning points" if fw.spec.learning else "standards rated below good",
    }

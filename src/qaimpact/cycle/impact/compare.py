"""How one case moved between its audits: grade, standards, learning and earlier actions.

Two grades compare on their framework's own scale, or on the ``comparison:`` scale two
frameworks share (:func:`scale_between`), never by name; :func:`compare` puts a chain's movement,
standard changes, learning changes and earlier actions together.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from qaimpact.audits.records import AuditRecord, learning_items
from qaimpact.cycle.common import days, iso
from qaimpact.models.standard import NOT_APPLICABLE, Framework

IMPROVED, SAME, DECLINED = "improved", "same", "declined"

DIRECTIONS = (IMPROVED, SAME, DECLINED)

#: Actions agreed at an earlier audit: done, still open, or open and past their due date.
DONE, OPEN, OVERDUE = "done", "open", "overdue"

Show = Callable[[AuditRecord], AuditRecord]


def as_is(record: AuditRecord) -> AuditRecord:
    """The record unchanged (what :data:`Show` is without ``--redact``)."""
    return record


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


def titled(fw: Framework) -> str:
    """``Title (id)``, as comparisons name a framework."""
    return f"{fw.spec.title} ({fw.id})"


def own_scale(fw: Framework) -> Scale:
    """A framework's own grade scale."""
    return Scale(f"the {fw.spec.title} grades", tuple(fw.grade_rank), shared=False)


def shared_scale(fw: Framework) -> Scale | None:
    """The comparison scale a framework declares (``None`` without one)."""
    key = fw.comparison_key()
    if key is None:
        return None
    # The scale's id (`ofsted`) is the standards file's; readers see the levels it orders.
    levels = ", ".join(level.replace("_", " ").capitalize() for level in key[1])
    return Scale(f"one scale for the frameworks ({levels})", key[1], shared=True)


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
            f"{titled(earlier)} and {titled(later)} declare no shared comparison scale, so their grades "
            "cannot be compared; 'comparison:' in both standards files would place them on one."
        )
    if missing:
        other = later if missing[0] is earlier else earlier
        return (
            f"{titled(missing[0])} declares no comparison scale, so its grades cannot be compared with "
            f"those of {titled(other)}; 'comparison:' in its standards file would place them on one."
        )
    assert first is not None
    assert second is not None
    if first[0] != second[0]:
        return (
            f"{titled(earlier)} grades compare on the '{first[0]}' scale and {titled(later)} on the "
            f"'{second[0]}' scale, so their grades cannot be compared."
        )
    return (
        f"{titled(earlier)} and {titled(later)} both name the '{first[0]}' scale but with different "
        f"levels ({', '.join(first[1])}; {', '.join(second[1])}), so their grades cannot be compared."
    )


def direction_of(steps: int) -> str:
    """improved, same or declined, from the steps a grade moved."""
    return IMPROVED if steps > 0 else DECLINED if steps < 0 else SAME


def _steps_text(steps: int) -> str:
    if steps == 0:
        return "stayed the same"
    word = "step" if abs(steps) == 1 else "steps"
    return f"{direction_of(steps)} by {abs(steps)} {word}"


def grade_info(fw: Framework, grade: str) -> dict[str, Any]:
    """A grade as the view shows it."""
    return {
        "id": grade,
        "label": fw.grade_labels[grade],
        "rank": fw.grade_rank[grade],
        "level": fw.comparison_level.get(grade),
    }


def movement(earlier: AuditRecord, later: AuditRecord, show: Show = as_is) -> dict[str, Any]:
    """How the grade moved from one audit to a later one, in steps on a scale both share.

    ``steps`` is positive when the grade improved. Audits of different frameworks compare on
    their shared comparison scale; without one, ``comparable`` is false and ``reason`` says why.
    Each audit is named by its id as ``show`` shows it (redacted, under ``--redact``).
    """
    a, b = earlier.framework, later.framework
    base = {
        "from": show(earlier).audit_id,
        "to": show(later).audit_id,
        "from_grade": grade_info(a, earlier.settled_grade),
        "to_grade": grade_info(b, later.settled_grade),
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
    steps = scale.position(a, earlier.settled_grade) - scale.position(b, later.settled_grade)
    return {
        **base,
        "comparable": True,
        "on": scale.name,
        "steps": steps,
        "direction": direction_of(steps),
        "text": _steps_text(steps),
        "reason": None,
    }


def _rating(record: AuditRecord, group: str, standard: str) -> str | None:
    entry = (record.data.get(group) or {}).get(standard) or {}
    rating = entry.get("rating")
    return None if rating is None else str(rating)


def _rating_info(fw: Framework, rating: str | None) -> dict[str, Any]:
    return {"id": rating, "label": "Not rated" if rating is None else fw.rating_labels.get(rating, rating)}


def standard_changes(earlier: AuditRecord, later: AuditRecord, show: Show = as_is) -> list[dict[str, Any]]:
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
                        notes.append(f"not applicable in {show(record).audit_id}")
                    elif rating is None:
                        notes.append(f"not rated in {show(record).audit_id}")
            out.append(
                {
                    "id": std.id,
                    "title": std.title.rstrip("."),
                    "group": group.title,
                    "from": _rating_info(fw, before),
                    "to": _rating_info(fw, after),
                    "steps": steps,
                    "direction": None if steps is None else direction_of(steps),
                    "note": "; ".join(notes) or None,
                }
            )
    return out


def learning_changes(
    earlier: Sequence[AuditRecord], later: AuditRecord, show: Show = as_is
) -> dict[str, list[dict[str, Any]]]:
    """Learning points of the earlier audits against the latest: resolved, persisting and new.

    ``earlier`` are audits of the latest audit's framework (learning keys are the framework's).
    """
    raised: dict[str, dict[str, Any]] = {}
    for record in earlier:
        for key, group, label in learning_items(record):
            entry = raised.setdefault(key, {"key": key, "area": group, "label": label, "audits": []})
            entry["audits"].append(show(record).audit_id)
    now = {key: (group, label) for key, group, label in learning_items(later)}
    return {
        "resolved": [e for k, e in raised.items() if k not in now],
        "persisting": [
            {**e, "audits": [*e["audits"], show(later).audit_id]} for k, e in raised.items() if k in now
        ],
        "new": [
            {"key": k, "area": group, "label": label, "audits": [show(later).audit_id]}
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
                    "audit_id": show(record).audit_id,
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
    same = _same_framework(chain)
    if same:
        rows = standard_changes(same[0], latest, show)
        standards: dict[str, Any] = {
            "from": show(same[0]).audit_id,
            "to": show(latest).audit_id,
            "note": None,
        }
        learning: dict[str, Any] = {**learning_changes(same, latest, show), "note": None}
    else:
        rows = []
        note = (
            f"Not compared: {show(latest).audit_id} is the first audit of this case under "
            f"{titled(latest.framework)}, and ratings and learning points compare only within one framework."
        )
        standards = {"from": None, "to": show(latest).audit_id, "note": note}
        learning = {"resolved": [], "persisting": [], "new": [], "note": note}
    moved = Counter(r["direction"] for r in rows)
    standards |= {"rows": rows, **{d: moved[d] for d in DIRECTIONS}, "not_compared": moved[None]}
    learning["kind"] = "learning points" if latest.framework.spec.learning else "standards rated below good"
    actions = earlier_actions(chain[:-1], today, show)
    return {
        "movement": movement(first, latest, show),
        "standards": standards,
        "learning": learning,
        "actions": {
            # A framework without remedial actions (Cafcass's) has none to report, not "none recorded".
            "declared": any(r.framework.spec.remedial_actions for r in chain[:-1]),
            "items": actions,
            **_action_counts(actions),
        },
    }


def learning_and_actions(
    chain: Sequence[AuditRecord], today: dt.date
) -> tuple[dict[str, int], dict[str, int]]:
    """How many of the earlier audits' learning points are resolved, persisting and new at the
    last audit of ``chain``, and how many of their remedial actions are done, open and overdue:
    the counts of :func:`compare`, without the rows of ratings and the texts a summary does not
    show (a summary of 10,000 audits compared every standard of every case to throw it away)."""
    same = _same_framework(chain)
    changes = learning_changes(same, chain[-1]) if same else {}
    learning = {k: len(changes.get(k, ())) for k in ("resolved", "persisting", "new")}
    return learning, _action_counts(earlier_actions(chain[:-1], today, as_is))


def _same_framework(chain: Sequence[AuditRecord]) -> list[AuditRecord]:
    """The earlier audits of ``chain`` of its last audit's framework: the ones it compares with."""
    latest = chain[-1]
    return [r for r in chain[:-1] if r.framework.id == latest.framework.id]


def _action_counts(actions: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Remedial actions (:func:`earlier_actions`) done, open (overdue or not) and overdue."""
    states = Counter(a["state"] for a in actions)
    return {DONE: states[DONE], OPEN: states[OPEN] + states[OVERDUE], OVERDUE: states[OVERDUE]}

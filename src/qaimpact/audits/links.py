"""Checks across records: links from records of other kinds to the audits they name.

One file cannot show that the case a piece of feedback names was never audited: that needs every
file of the folders read. :func:`record_links` finds such links among a loaded set of audits and
records, each a coded finding at ``file:line:col``; the commands that read folders report them,
and every other record is still reported.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from qaimpact.audits.records import AuditRecord, KindRecord, learning_items
from qaimpact.base.codes import diagnostic
from qaimpact.base.escaping import clip
from qaimpact.base.loader import locate_in_file
from qaimpact.models.audit import ident_key
from qaimpact.models.findings import Diagnostic
from qaimpact.models.listing import and_list
from qaimpact.models.standard import Framework


def audited_cases(records: Sequence[AuditRecord]) -> dict[str, set[str]]:
    """The cases audited, per framework id (:attr:`~qaimpact.audits.records.AuditRecord.case_ident`:
    ``lcs-001`` is ``LCS 001`` and ``LCS001``)."""
    found: dict[str, set[str]] = {}
    for record in records:
        case = record.case_ident
        if case is not None:
            found.setdefault(record.framework.id, set()).add(case)
    return found


def link_view(framework: Framework, data: dict[str, Any]) -> dict[str, Any]:
    """The part of a valid audit's data that following links needs: its id, date, re-audit link
    and case number, and what :func:`~qaimpact.audits.records.learning_items` reads (learning
    actions, or the ratings).

    ``validate`` sends this from its workers instead of the whole audit: the links are the only
    use it has for the data, and the whole audit costs ten times as much to send between processes.
    """
    # The date and reaudit_of too: validate follows re-audit links (audits/reaudits.py).
    view: dict[str, Any] = {"audit_id": data.get("audit_id"), "review_date": data.get("review_date")}
    if "reaudit_of" in data:
        view["reaudit_of"] = data["reaudit_of"]
    field = framework.spec.case_id
    case = data.get("case")
    if field and isinstance(case, dict) and field in case:
        view["case"] = {field: case[field]}
    if framework.spec.learning:
        if "learning_actions" in data:
            view["learning_actions"] = data["learning_actions"]
        return view
    for group in framework.spec.groups:
        rated = data.get(group.id)
        if isinstance(rated, dict):
            view[group.id] = {
                std.id: {"rating": entry.get("rating")}
                for std in group.standards
                if isinstance(entry := rated.get(std.id), dict)
            }
    return view


def record_links(
    records: Sequence[AuditRecord], kinds: Sequence[KindRecord], *, invalid: int = 0
) -> list[Diagnostic]:
    """Every link from a record to an audit that cannot be followed, in file order.

    ``invalid`` is how many files were left out as invalid: the hint says the audit may be one.
    """
    cases = audited_cases(records)
    found: list[Diagnostic] = []
    for record in kinds:
        declared = record.framework.spec.records[record.kind]
        link = declared.case_link
        value = record.data.get(link) if link else None
        if not declared.case_audited or link is None or value is None or not str(value).strip():
            continue
        if ident_key(value) in cases.get(record.framework.id, set()):
            continue
        hint = (
            f"Check '{link}' for a typing mistake, and that the audit of the case is among the files "
            f"read; leave '{link}' out if this {declared.label.lower()} is not about an audited case."
        )
        if invalid:
            hint += _invalid_hint(invalid)
        found.append(
            diagnostic(
                "QA701",
                locate_in_file(record.path, [link]),
                f"'{link}' names the case {clip(str(value))}, but no audit read is of that case "
                f"({record.framework.id}).",
                hint,
            )
        )
    found += learning_links(records, kinds, invalid=invalid)
    return sorted(found, key=Diagnostic.sort_key)


def _invalid_hint(invalid: int) -> str:
    """What a broken link's hint adds when files were left out as invalid: the audit may be one."""
    if invalid == 1:
        return " 1 invalid file was left out: if it is the audit, fix it (`qaimpact validate` shows how)."
    return (
        f" {invalid} invalid files were left out: if the audit is one of them, fix it (`qaimpact "
        "validate` shows how)."
    )


def learning_links(
    records: Sequence[AuditRecord], kinds: Sequence[KindRecord], *, invalid: int = 0
) -> list[Diagnostic]:
    """Learning links (``type: learning_links``) to an audit not read (QA702) or to a learning
    point the audit does not record (QA703)."""
    by_id: dict[str, list[AuditRecord]] = {}
    for audit in records:
        by_id.setdefault(audit.audit_id, []).append(audit)
    found: list[Diagnostic] = []
    # Each framework's audit ids, sorted once, when a link of it is broken: only an audit of the
    # record's framework can be the one it names, so no other is offered.
    ids: dict[str, list[str]] = {}
    for record in kinds:
        declared = record.framework.spec.records[record.kind]
        for name, field in declared.fields.items():
            if field.type != "learning_links":
                continue
            for index, link in enumerate(record.data.get(name) or []):
                if link is None:  # not a link, in a record with errors: its finding names it
                    continue
                target = str(link["audit"])
                audits = [a for a in by_id.get(target, []) if a.framework.id == record.framework.id]
                if not audits:
                    hint = (
                        f"Give the audit_id of an audit of {record.framework.id} whose learning was "
                        "discussed; its file must be among the files read (--audits)."
                    )
                    if record.framework.id not in ids:
                        ids[record.framework.id] = sorted(
                            {a.audit_id for a in records if a.framework.id == record.framework.id}
                        )
                    close = difflib.get_close_matches(target, ids[record.framework.id], n=1, cutoff=0.85)
                    elsewhere = sorted({a.framework.id for a in by_id.get(target, [])})
                    if elsewhere:
                        # The id is right, but it is another framework's audit: no guess fits.
                        hint = (
                            f"{clip(target)} is an audit of {and_list(elsewhere)}, not of "
                            f"{record.framework.id}: record this learning in a record of its "
                            "framework, or " + hint[0].lower() + hint[1:]
                        )
                    elif close:
                        hint = f"Did you mean {close[0]}? " + hint
                    if invalid:
                        hint += _invalid_hint(invalid)
                    found.append(
                        diagnostic(
                            "QA702",
                            locate_in_file(record.path, [name, index, "audit"]),
                            f"'{name}' item {index + 1} names the audit {clip(target)}, but no audit "
                            f"of {record.framework.id} read has that audit_id.",
                            hint,
                        )
                    )
                    continue
                point = link.get("point")
                if point is None:
                    continue
                recorded = {key.rsplit(".", 1)[-1]: label for key, _, label in learning_items(audits[0])}
                if str(point) not in recorded:
                    shown = ", ".join(recorded) if recorded else "none"
                    found.append(
                        diagnostic(
                            "QA703",
                            locate_in_file(record.path, [name, index, "point"]),
                            f"'{name}' item {index + 1} names the learning '{point}', which the audit "
                            f"{target} does not record ({audits[0].path}).",
                            f"Name learning the audit records (it records: {shown}), or correct the "
                            "audit_id.",
                        )
                    )
    return found


def same_ids(
    records: Sequence[AuditRecord], kinds: Sequence[KindRecord]
) -> list[list[AuditRecord] | list[KindRecord]]:
    """The audits (and the records of each kind) that share one id in one framework, each group
    in the order given: ids compared as :func:`~qaimpact.models.audit.ident_key` compares case
    numbers, ignoring case, spaces and dashes, since ``CFA-2026-0222`` and ``cfa-2026-0222 `` name
    one audit to a reader."""
    audits: dict[tuple[str, str], list[AuditRecord]] = {}
    for audit in records:
        audits.setdefault((audit.framework.id, ident_key(audit.audit_id)), []).append(audit)
    others: dict[tuple[str, str, str], list[KindRecord]] = {}
    for record in kinds:
        others.setdefault((record.framework.id, record.kind, ident_key(record.record_id)), []).append(record)
    groups: list[list[AuditRecord] | list[KindRecord]] = [g for g in audits.values() if len(g) > 1]
    groups += [g for g in others.values() if len(g) > 1]
    return groups


def duplicate(
    copy: AuditRecord | KindRecord, counted: AuditRecord | KindRecord, *, reports: bool
) -> Diagnostic:
    """QA704 at the id of ``copy``, a file holding the id that ``counted`` holds too."""
    key = "audit_id" if isinstance(copy, AuditRecord) else "record_id"
    written = copy.audit_id if isinstance(copy, AuditRecord) else copy.record_id
    message = f"The {key} {clip(written)} is also the {key} of {counted.path}: two files hold one "
    message += "audit." if isinstance(copy, AuditRecord) else "record."
    if reports:
        message += " Only that file is counted."
    return diagnostic(
        "QA704",
        locate_in_file(copy.path, [key]),
        message,
        f"If one file is a copy of the other, delete the copy; if they are two "
        f"{'audits' if key == 'audit_id' else 'records'}, give this one its own {key}.",
    )

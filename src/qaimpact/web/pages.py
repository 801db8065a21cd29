"""What each page of ``qaimpact serve`` shows, as plain data for its template.

- :func:`check_values`: the live check. The form's values become the YAML that saving would
  write (:func:`qaimpact.authoring.compose.compose_text`), the checker ``validate`` uses reads it
  (:func:`qaimpact.audits.checker.check_text`), and each finding is placed beside the input it is
  about;
- :func:`panel_view`: the grade, its rationale and what would lift it, from the engine, and the
  escalation the audit calls for (the one decision,
  :func:`qaimpact.grading.escalation_triggers.triggers`, through the feedback report's view);
- :func:`list_view`: every audit in the folder with its settled grade
  (:attr:`qaimpact.audits.records.AuditRecord.settled_grade`), validity and escalation state
  (:func:`qaimpact.grading.escalation_lifecycle.lifecycle`).

Nothing here knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from qaimpact.audits.ahead import DataPath, paths_by_line, triggers_ahead
from qaimpact.audits.checker import (
    AUDIT_SUFFIXES,
    AuditCheck,
    CheckOptions,
    check_document,
    check_text,
    choice_labels,
    skipped_name,
    unreadable_check,
)
from qaimpact.audits.records import SETTLED_GRADE, AuditRecord
from qaimpact.audits.rules import Closure, closure_finding
from qaimpact.authoring.compose import compose_text
from qaimpact.base.codes import cap_findings, diagnostic
from qaimpact.base.loader import LoadError, load_bytes
from qaimpact.frameworks.registry import Registry
from qaimpact.grading.escalation_lifecycle import STATE_LABELS, lifecycle
from qaimpact.grading.escalation_triggers import triggers
from qaimpact.models.audit import ident_key
from qaimpact.models.findings import Diagnostic, Severity
from qaimpact.models.location import Location
from qaimpact.models.standard import Framework
from qaimpact.reports.feedback import audit_feedback
from qaimpact.reports.views import escalation_lines_of, grade_view
from qaimpact.web.form import (
    Form,
    Values,
    action_count,
    action_row,
    data_from_values,
    form_for,
    required_paths,
)
from qaimpact.web.store import AuditsFolder, Refused


@dataclass(slots=True)
class Outcome:
    """The live check of a form: the text saving would write, the check, and findings by input."""

    text: str
    check: AuditCheck
    data: dict[str, Any]
    by_input: dict[str, list[Diagnostic]] = field(default_factory=dict)
    general: list[Diagnostic] = field(default_factory=list)
    #: Each finding, in file order, with the id of the input it is about (``None``: the whole audit).
    placed: list[tuple[Diagnostic, str | None]] = field(default_factory=list)


def _input_paths(form: Form, values: Values, data: Mapping[str, Any]) -> dict[DataPath, str]:
    """Where each input's value is in the written audit: data path -> input name."""
    found: dict[DataPath, str] = {}
    kept = 0
    for row in range(action_count(values)):
        inputs = action_row(row)
        if any(values.get(i.name) for i in inputs):
            for inp in inputs:
                found[("remedial_actions", str(kept), inp.path[-1])] = inp.name
            kept += 1
    actions = data.get("learning_actions") or []
    for index, action in enumerate(actions):
        found[("learning_actions", str(index), "points")] = f"learning_actions.{action['area']}.points"
        found[("learning_actions", str(index), "comment")] = f"learning_actions.{action['area']}.comment"
        found[("learning_actions", str(index))] = f"learning_actions.{action['area']}.points"
    for inp in form.all_inputs(0):
        if not inp.name.startswith(("learning_actions.", "remedial_actions.")):
            found[inp.path] = inp.name
    return found


def _input_for(path: DataPath, inputs: dict[DataPath, str], order: Sequence[DataPath]) -> str | None:
    for depth in range(len(path), 0, -1):
        if path[:depth] in inputs:
            return inputs[path[:depth]]
    # A finding on a key that holds inputs (a standard's entry) belongs to its first input.
    return next((inputs[p] for p in order if p[: len(path)] == path), None) if path else None


def check_values(
    form: Form,
    values: Values,
    registry: Registry,
    options: CheckOptions,
    *,
    name: str,
    base: str | None = None,
) -> Outcome:
    """Check what the form holds exactly as ``qaimpact validate`` would check the file it would write.

    ``base`` is the text of the file being edited (``None`` for a new audit); ``name`` is the file
    name the findings carry.
    """
    required = required_paths(form)
    data = data_from_values(form, values, standards=form.framework.id)
    text = compose_text(data, base, keep_empty=lambda path: tuple(map(str, path)) in required)
    opts = CheckOptions(options.today, options.max_file_size, with_lift=True, keep_data=True)
    check = check_text(text, name, registry, opts)
    outcome = Outcome(text, check, data)
    inputs = _input_paths(form, values, data)
    order = list(inputs)
    try:
        lines = paths_by_line(load_bytes(text.encode("utf-8"), name).root)
    except LoadError:  # pragma: no cover - the text was just written by ruamel
        lines = {}
    labels = field_labels(form)
    ahead = _closures_ahead(check, data, lines, name)
    if ahead:
        # In file order with the rest, under the same cap of findings shown.
        check.diagnostics, check.omitted_errors, check.omitted_warnings = cap_findings(
            [*check.diagnostics, *ahead]
        )
    for found in check.diagnostics:
        path = lines.get(found.location.line)
        target = _input_for(path, inputs, order) if path else None
        diag = for_the_form(found, form, labels, data, path, shown=target is not None)
        if target is None:
            outcome.general.append(diag)
        else:
            outcome.by_input.setdefault(target, []).append(diag)
        outcome.placed.append((diag, form.inputs[target].id if target in form.inputs else _row_id(target)))
    return outcome


def _closures_ahead(
    check: AuditCheck, data: Mapping[str, Any], lines: Mapping[int, DataPath], name: str
) -> list[Diagnostic]:
    """QA310 for each remedial action marked done without its closure, while the audit has
    errors that keep the checker's rules from running: the auditor who marked an action done
    learns what it lacks now, not only once the rest is put right. The finding is the rules' own
    (:func:`~qaimpact.audits.rules.closure_finding`, from the data as the form holds it)."""
    capped = check.omitted_errors or check.omitted_warnings
    if check.valid or capped or check.framework is None or any(d.code == "QA310" for d in check.diagnostics):
        return []
    actions = data.get("remedial_actions")
    found = []
    for row, action in enumerate(actions if isinstance(actions, list) else []):
        said = closure_finding(row, action) if isinstance(action, dict) else None
        if said is None:
            continue
        # Where the rules put it: at the status, or at the evidence that is only a stand-in.
        at = ("remedial_actions", str(row), "status" if said.missing else "evidence")
        line = next((n for n, path in lines.items() if path == at), 1)
        found.append(diagnostic("QA310", Location(name, line, 1), said.message, said.hint))
    return found


#: A data path as the checker quotes it (``'case.team'``, ``'remedial_actions[0].owner'``), with the
#: description it may add in brackets (``'case.team' (Team)``).
_QUOTED_PATH = re.compile(r"'(?P<path>[A-Za-z0-9_.\[\]-]+)'(?: \([^()]*\))?")
#: A key of a remedial action as the checker names it (base.diagnose.named): 'due' of remedial action 1.
_ACTION_KEY = re.compile(r"'(?P<key>\w+)' of remedial action (?P<n>[1-9]\d*)")


def field_labels(form: Form) -> dict[str, str]:
    """Each input's name -> the words the form shows for it ("The child is seen: Rating")."""
    labels: dict[str, str] = {}
    for section in form.sections:
        for inp in section.inputs:
            labels[inp.name] = inp.label
        for std in section.standards:
            labels[f"{std.group}.{std.id}"] = std.title
            for inp in (std.rating, *std.facts, std.evidence):
                labels[inp.name] = f"{std.title}: {inp.label}"
        for block in section.blocks:
            for inp in block.inputs:
                labels[inp.name] = f"{block.title}: {inp.label}"
    # A period is two inputs ("Period reviewed: from", ": to"), wherever it is (a standard's own
    # period too); a finding names it whole.
    for name, label in list(labels.items()):
        if name.endswith(".from") and label.endswith(": from"):
            labels[name.removesuffix(".from")] = label.removesuffix(": from")
    return labels


def plain_message(message: str, labels: Mapping[str, str]) -> str:
    """A checker message with each quoted data path the form has an input for put in its words.

    The auditor filling in the form never sees the YAML, so ``'case.team' (Team) is empty`` reads
    ``"Team" is empty``. Paths the form has no input for are left as the checker wrote them.
    """

    def words(found: re.Match[str]) -> str:
        label = label_of(re.sub(r"\[(\d+)\]", r".\1", found.group("path")), labels)
        return f'"{label}"' if label is not None else found.group(0)

    def action_words(found: re.Match[str]) -> str:
        # The checker names a key of an action in words: 'due' of remedial action 1.
        label = label_of(f"remedial_actions.{int(found.group('n')) - 1}.{found.group('key')}", labels)
        return f'"{label}"' if label is not None else found.group(0)

    return _QUOTED_PATH.sub(words, _ACTION_KEY.sub(action_words, message))


def label_of(name: str, labels: Mapping[str, str]) -> str | None:
    """The words the form shows for the input of this name (``None``: the form has no such input),
    a remedial action's box as "Remedial action 2: Owner"."""
    label = labels.get(name)
    if label is None:
        action = re.fullmatch(r"remedial_actions\.(\d+)\.(\w+)", name)
        if action is not None:
            row = int(action.group(1))
            label = next(
                (f"Remedial action {row + 1}: {i.label}" for i in action_row(row) if i.name == name), None
            )
    return label


#: Hints in the form's words for findings whose usual hint tells how to edit the YAML file.
FORM_HINTS = {
    "QA207": "Choose the date in the date box.",
    "QA317": 'Write in the standard\'s "Evidence" box what on the file led to this rating: this '
    "framework asks for evidence of it.",
    "QA413": 'If the child needs these actions to be safe now, answer "Yes" to immediate safeguarding '
    'actions; if no action is needed, clear "What must be done now".',
    "QA403": 'Write in the standard\'s "Evidence" box what on the file led to this rating.',
}


def for_the_form(
    diag: Diagnostic,
    form: Form,
    labels: Mapping[str, str],
    audit: Mapping[str, Any] | None = None,
    path: DataPath | None = None,
    shown: bool = True,
) -> Diagnostic:
    """A finding as the form shows it: fields by their labels, ratings and choices by their names,
    and hints that say which box to fill in, not which YAML key to add.

    ``audit`` is the data checked and ``path`` the place of the finding in it, where known: a
    remedial action marked done without its closure (QA310) is then put as ``validate`` puts it,
    asking only for what that action lacks, in the words of its boxes. ``shown``: whether the form
    has an input for that place; a finding about a part of the file it does not show (the
    escalation record) keeps the file's words and says where that part is kept."""
    ratings = form.framework.rating_labels
    # Only ids that are not ordinary words ("requires_improvement", not "good") are replaced.
    joined = "|".join(re.escape(r) for r in ratings if "_" in r)
    ids = re.compile(rf"\b({joined})\b") if joined else None
    named = _choice_words(form.framework)

    def words(text: str, *, hint: bool = False) -> str:
        # ``hint``: a hint quotes ids as what to choose; a message may quote what was written,
        # which is never relabelled ('case_file' as a theme stays 'case_file').
        text = plain_message(text, labels)
        if path and (own := label_of(".".join(path), labels)) is not None:
            # The checker may quote only the last key of the place: 'closed_on' of the action.
            text = text.replace(f"'{path[-1]}'", f'"{own}"')
        text = _QUOTED_ID.sub(lambda m: f"'{named[m[1]]}'" if _is_choice(m, named, hint) else m[0], text)
        text = _ID_LIST.sub(lambda m: _listed(m[0], named), text)
        return ids.sub(lambda m: ratings[m.group(1)], text) if ids is not None else text

    def choices(text: str) -> str:
        # A value the form offers in a list: the list's words, not the file's ids ("the file uses
        # its id: requires_improvement" read "... its id: Requires improvement to be good").
        text = _FILE_ID.sub(lambda m: f"Did you mean '{named.get(m[1], m[1])}'? Choose it in the list.", text)
        text = _MEANT.sub(lambda m: f"Did you mean '{named.get(m[1], m[1])}'?", text)
        return _ONE_OF.sub(
            lambda m: (
                f"Choose one of{_among(m['among'])}: "
                + ", ".join(named.get(c, c) for c in m["ids"].split(", "))
                + "."
            ),
            text,
        )

    def beside(text: str) -> str:
        # "'N/A' in defensible_decision records nothing" (QA301, at the standard's rating): the
        # key is the standard's own, a box beside the rating.
        def box(m: re.Match[str]) -> str:
            label = label_of(".".join([*path[:-1], m[1]]), labels) if path else None
            return f' in "{label}" records nothing' if label is not None else m[0]

        return _STAND_IN.sub(box, text)

    def boxes(text: str) -> str:
        # "Add 'owner:' under remedial action 2." -> 'Fill in "Remedial action 2: Owner".'
        def fill(m: re.Match[str]) -> str:
            label = label_of(_key_name(m), labels)
            return f'Fill in "{label}"' if label is not None else m[0]

        return _ADD_KEY.sub(fill, text)

    if diag.code == "QA310" and (said := _closure(audit, path)) is not None:
        return replace(diag, message=said.message, hint=said.hint)
    if not shown and path and (where := _not_shown(path)) is not None:
        return replace(
            diag,
            message=words(diag.message),
            hint=f"{diag.hint} ({where} is kept in the audit file; this form does not show it.)",
        )
    if not shown and diag.code == "QA203":
        # A key the form does not know (misspelt, or another framework's): the form keeps it as
        # it is when saving, so it can only be put right in the file.
        # Its words stay the file's: the key is to be found there, and the keys it may be.
        note = "(The key is in the audit file, and this form does not show it: correct or remove it there.)"
        return replace(diag, hint=f"{diag.hint} {note}" if diag.hint else note)
    if diag.code == "QA402" and (differs := _grade_differs(diag, labels, named)) is not None:
        return differs
    message = _missing_box(diag.message, labels) if diag.code == "QA202" else diag.message
    hint = FORM_HINTS.get(diag.code) or words(
        boxes(beside(choices(diag.hint) if diag.code in _CHOICES else diag.hint)), hint=True
    )
    return replace(diag, message=words(message), hint=hint)


#: Findings about a value that is none of a field's choices (QA204, QA205): the form offers them
#: in a list.
_CHOICES = frozenset({"QA204", "QA205"})
_FILE_ID = re.compile(
    r"Did you mean '([^']+)'\? (?:Reports show it as '[^']*', but the file uses its id: [^\s]+?"
    r"|The file uses its id, written exactly: [^\s]+?)\.(?=\s|$)"
)
_STAND_IN = re.compile(r" in (\w+) records nothing")
_MEANT = re.compile(r"Did you mean '(\w+)'\?(?! Choose it)")
_ONE_OF = re.compile(
    r"(?:Use|Choose) one of(?P<among> the [\w ]+ of the \w+ '\w+' \([^()]*\))?: (?P<ids>[\w, ]*)\."
)
#: A choice's id as a message quotes it, with the checker's words for it where it gives them.
_QUOTED_ID = re.compile(r"'(\w+)'(?: \(([^()]*)\))?")


def _is_choice(m: re.Match[str], named: Mapping[str, str], hint: bool) -> bool:
    """Whether a quoted word is the id of a choice: one with its label after it, or in a hint an
    id no one writes as a word (``no_impact``), so that 'good' said as a word stays as it is."""
    return m[1] in named and (m[2] == named[m[1]] or (hint and "_" in m[1]))


#: A list of words ("outstanding, good, requires_improvement"): choices' ids when every one is.
_ID_LIST = re.compile(r"(?<![\w'])\w+(?:, \w+)+(?![\w'])")


def _listed(found: str, named: Mapping[str, str]) -> str:
    """A list of choices' ids by their labels; any other list as it is."""
    items = found.split(", ")
    return ", ".join(named[i] for i in items) if all(i in named for i in items) else found


@lru_cache(maxsize=32)
def _choice_words(framework: Framework) -> Mapping[str, str]:
    """The label of every id a finding may name as a choice: the framework's
    (:func:`~qaimpact.audits.checker.choice_labels`), then its form's own lists (a remedial
    action's status: Open, Done). Once a framework, not once a finding of every live check."""
    named = choice_labels(framework)
    for inp in (*form_for(framework).inputs.values(), *action_row(0)):
        for choice in inp.choices:
            named.setdefault(choice.value, choice.label)
    return MappingProxyType(named)


def _among(among: str | None) -> str:
    """'the learning points of the area 'x' (Title)' as the form says it: 'the learning points of
    Title'."""
    if not among:
        return ""
    found = re.fullmatch(r" (the [\w ]+ of) the \w+ '\w+' \(([^()]*)\)", among)
    return f" {found[1]} {found[2]}" if found else among


#: A hint's "Add 'key:'", with where (the checker's words for the place: base.diagnose.named).
_ADD_KEY = re.compile(
    r"Add '(?P<key>\w+):'(?: under (?:'(?P<parent>[\w.\[\]]+)'|remedial action (?P<n>[1-9]\d*))| at the "
    r"top level)?"
)
#: QA202's message: "Remedial action 2 is missing 'owner'."; "The audit is missing 'theme' (Theme)."
_MISSING = re.compile(
    r"^(?:Remedial action (?P<n>[1-9]\d*)|'(?P<parent>[\w.\[\]]+)'(?: \([^()]*\))?|The [\w ]+) is missing "
    r"'(?P<key>\w+)'(?: \([^()]*\))?\.$"
)
#: The parts of an audit file the form has no input for, as a hint names them. (A key the
#: form does not know, misspelt say, is not one: its finding says what to do with it.)
_NOT_SHOWN = {
    "escalation": "The escalation record",
    "moderation": "The moderation",
    "reaudit_of": "The audit this one re-audits",
}


def _not_shown(path: DataPath) -> str | None:
    """The words for a part of the file at ``path`` that the form has no input for, or ``None``."""
    if path[0] == "remedial_actions" and path[-1] == "theme":
        return "A remedial action's theme"
    return _NOT_SHOWN.get(path[0])


def _key_name(m: re.Match[str]) -> str:
    """The input name of the key a hint or message names, from where it says the key is."""
    if m["n"]:
        return f"remedial_actions.{int(m['n']) - 1}.{m['key']}"
    if m["parent"]:
        return re.sub(r"\[(\d+)\]", r".\1", m["parent"]) + "." + m["key"]
    return m["key"]


def _missing_box(message: str, labels: Mapping[str, str]) -> str:
    """QA202 about a box the form shows, as the form says an empty box: '"Remedial action 2: Owner"
    is empty.' (the message unchanged where the form has no such box)."""
    found = _MISSING.match(message)
    label = label_of(_key_name(found), labels) if found else None
    return f'"{label}" is empty.' if label is not None else message


def _grade_differs(
    diag: Diagnostic, labels: Mapping[str, str], named: Mapping[str, str]
) -> Diagnostic | None:
    """QA402 as the form says it: the grade chosen by its box's words, and the choice to make
    there; the panel beside the form, not ``qaimpact grade``, explains the grade."""
    said = _RECORDED.match(diag.message)
    rule = _CHANGE.search(diag.hint)
    label = labels.get(said["key"]) if said else None
    if said is None or rule is None or label is None:
        return None
    computed = named.get(rule["grade"], rule["grade"])
    return replace(
        diag,
        message=f"\"{label}\" is '{named.get(said['recorded'], said['recorded'])}', but the ratings give "
        f"'{computed}' under the framework's threshold rules.",
        hint=diag.hint[: rule.start()] + f"Check the ratings, or choose '{computed}' as \"{label}\"; the "
        "panel beside the form explains the grade.",
    )


_RECORDED = re.compile(r"^The recorded (?P<key>\w+) is '(?P<recorded>[^']*)'")
_CHANGE = re.compile(
    r"Check the ratings, or change \w+ to '(?P<grade>[^']+)'; `qaimpact grade FILE` explains the grade\.$"
)


def _closure(audit: Mapping[str, Any] | None, path: DataPath | None) -> Closure | None:
    """QA310 of the remedial action at ``path`` in the form's words (``None``: no such action)."""
    if audit is None or path is None or len(path) < 2 or path[0] != "remedial_actions":
        return None
    actions = audit.get("remedial_actions") or []
    row = int(path[1]) if path[1].isdigit() else len(actions)
    if row >= len(actions) or not isinstance(actions[row], dict):
        return None
    boxes = {inp.path[-1]: f'"{inp.label}"' for inp in action_row(row)}
    return closure_finding(
        row, actions[row], key=boxes.__getitem__, word=boxes.__getitem__, reopen="set its status back to Open"
    )


def _row_id(name: str | None) -> str | None:
    return None if name is None else "f-" + name.replace(".", "-")


def finding_view(diag: Diagnostic) -> dict[str, Any]:
    """A finding as the pages show it: what is wrong and how to fix it, and where in the file."""
    return {
        "error": diag.is_error,
        "code": diag.code,
        "message": diag.message,
        "hint": diag.hint,
        "where": f"line {diag.location.line}, column {diag.location.column}",
    }


def escalation_ahead(outcome: Outcome, form: Form) -> list[str]:
    """The escalations an audit not yet valid will certainly need once its problems are put
    right, each as the panel of a graded audit says it (empty: none is certain yet): the one
    decision every report makes of a file it left out
    (:func:`~qaimpact.audits.ahead.escalations_ahead`), on the audit the form would write.
    """
    try:
        doc = load_bytes(outcome.text.encode("utf-8"), outcome.check.path)
    except LoadError:  # pragma: no cover - the text was just written by ruamel
        return []
    # Past the cap of findings, an error not shown could be on a value the rules read.
    check = outcome.check
    sure = triggers_ahead(form.framework, doc, check.diagnostics, omitted_errors=check.omitted_errors)
    return escalation_lines_of(form.framework, doc.data, sure) if isinstance(doc.data, dict) else []


def panel_view(outcome: Outcome, today: dt.date, form: Form | None = None) -> dict[str, Any]:
    """The panel beside the form: grade, rationale, lift, escalation, and every finding."""
    check = outcome.check
    findings = [{**finding_view(d), "target": target} for d, target in outcome.placed]
    panel: dict[str, Any] = {
        "valid": check.valid,
        "errors": check.errors,
        "warnings": check.warnings,
        "findings": findings,
        "graded": False,
        "ahead": [],
    }
    if check.valid and check.result is not None and check.framework is not None and check.data is not None:
        record = AuditRecord(check.path, check.framework, check.data, check.result, tuple(check.diagnostics))
        view = audit_feedback(record, today=today)
        panel.update(
            graded=True,
            grade=view["grade"],
            computed=view["computed"],
            recorded=view["recorded"],
            differs=view["differs"],
            rationale=view["rationale"],
            lift=view["lift"],
            escalation=view["escalation"],
            basis=SETTLED_GRADE,
        )
    elif form is not None and check.errors:
        # Not gradable yet, but a safety signal is never hidden behind an unrelated problem.
        panel["ahead"] = escalation_ahead(outcome, form)
    return panel


def add_finding(
    outcome: Outcome, form: Form, name: str, message: str, hint: str = "", code: str = ""
) -> None:
    """Add an error the checker of one file cannot find (an id another file holds, an id that
    cannot name a file) to a form's check, beside the input ``name`` and first in the panel: the
    audit is then not valid, and is not saved. ``code``: the code ``validate`` gives it, if any."""
    line = next((n for n, text in enumerate(outcome.text.splitlines(), 1) if text.startswith(f"{name}:")), 1)
    where = Location(outcome.check.path, line, 1)
    diag = (
        diagnostic(code, where, message, hint)
        if code
        else Diagnostic(where, Severity.ERROR, "", "", message, hint)
    )
    outcome.check.diagnostics.insert(0, diag)
    outcome.by_input.setdefault(name, []).insert(0, diag)
    outcome.placed.insert(0, (diag, form.inputs[name].id if name in form.inputs else None))


#: A file's size, time and inode: a file whose three are unchanged is not read again.
_Stamp = tuple[int, int, int]


class FolderIds:
    """The framework and audit id of each audit in the folder, as ``validate`` compares ids
    (QA704: in one framework, by :func:`~qaimpact.models.audit.ident_key`, ignoring case, spaces
    and dashes), so that serve never saves an audit under an id another audit holds.

    The live check asks on every change in the form: each look lists the folder and reads only
    the files that are new or changed since the last (by size, time and inode), so a folder of a
    thousand audits is listed, not read, as the auditor types (measured: 0.6 s the first time,
    then about 6 ms a look; the live check took 9 ms with the folder empty, 16 ms with 1,000).
    """

    def __init__(self, folder: AuditsFolder) -> None:
        self.folder = folder
        self._known: dict[str, tuple[_Stamp, tuple[str, str] | None]] = {}

    def holder(self, framework: str, audit_id: object, *, own: str | None = None) -> str | None:
        """The file of another audit of ``framework`` with the id ``audit_id`` (``None``: none).

        ``own`` is the file being edited: never its own holder, and where it holds this id
        already (two files held it before the edit), the edit does not make it worse, so it is
        not refused for it.
        """
        key = ident_key(audit_id) if isinstance(audit_id, str) else ""
        if not key:
            return None
        ids = self.now()
        if own is not None and ids.get(own) == (framework, key):
            return None
        holders = (rel for rel, found in sorted(ids.items()) if rel != own and found == (framework, key))
        return next(holders, None)

    def now(self) -> dict[str, tuple[str, str] | None]:
        """Each audit file's (framework, id key), the files read only where new or changed."""
        known: dict[str, tuple[_Stamp, tuple[str, str] | None]] = {}
        for relative, status in self._files():
            stamp = (status.st_size, status.st_mtime_ns, status.st_ino)
            seen = self._known.get(relative)
            known[relative] = seen if seen is not None and seen[0] == stamp else (stamp, self._read(relative))
        self._known = known
        return {relative: found for relative, (_, found) in known.items()}

    def _files(self) -> Iterator[tuple[str, os.stat_result]]:
        """Each audit file the folder lists (:meth:`AuditsFolder.entries`: hidden names skipped,
        links never followed nor read), less those validate does not read as audits, with its
        status: one look at each file, as the auditor types."""
        folders = [""]
        while folders:
            inside = folders.pop()
            try:
                with os.scandir(self.folder.root / inside) as found:
                    entries = list(found)
            except OSError:  # pragma: no cover - removed since it was listed
                continue
            for entry in entries:
                relative = f"{inside}/{entry.name}" if inside else entry.name
                if entry.name.startswith(".") or entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append(relative)
                elif entry.name.endswith(AUDIT_SUFFIXES) and skipped_name(entry.name) is None:
                    try:
                        yield relative, entry.stat(follow_symlinks=False)
                    except OSError:  # pragma: no cover - deleted since it was listed
                        continue

    def _read(self, relative: str) -> tuple[str, str] | None:
        try:
            data = load_bytes(self.folder.read(relative), relative).data
        except (Refused, LoadError):
            return None
        if not isinstance(data, Mapping) or "kind" in data:  # a record of a kind has a record_id
            return None
        framework, audit_id = data.get("standards"), data.get("audit_id")
        if not isinstance(framework, str) or audit_id is None or not ident_key(audit_id):
            return None
        return framework, ident_key(audit_id)


# -- The list ------------------------------------------------------------------------------------


def _first(check: AuditCheck) -> dict[str, Any] | None:
    errors = [d for d in check.diagnostics if d.is_error]
    return finding_view(errors[0]) if errors else None


def _text(data: Any, key: str) -> str:
    value = data.get(key) if isinstance(data, Mapping) else None
    return "" if value is None or isinstance(value, dict | list) else str(value)


def list_row(
    folder: AuditsFolder, relative: str, registry: Registry, options: CheckOptions
) -> dict[str, Any]:
    """One audit file as the list shows it."""
    row: dict[str, Any] = {
        "file": relative,
        "framework": "",
        "audit_id": "",
        "practitioner": "",
        "reviewer": "",
        "review_date": "",
        "grade": None,
        "valid": False,
        "problem": None,
        "escalation": None,
        "escalation_needed": False,
        "escalation_overdue": False,
        #: An audit with errors: why it needs escalating whatever they are (``_escalation_ahead``).
        "ahead": [],
        "warnings": 0,
        "editable": False,
    }
    try:
        raw = folder.read(relative)
        doc = load_bytes(raw, relative, max_size=options.max_file_size)
    except Refused as exc:
        row["problem"] = {"message": str(exc), "hint": "", "where": "", "error": True, "code": ""}
        return row
    except LoadError as exc:
        row["problem"] = finding_view(exc.diagnostic)
        # What YAML can read of it may already call for an escalation, as every report says.
        unread = unreadable_check(relative, exc.diagnostic, lambda: raw, registry, _with_ahead(options))
        _escalation_ahead(row, unread)
        return row
    data = doc.data
    row.update(
        framework=_text(data, "standards"),
        audit_id=_text(data, "audit_id"),
        practitioner=_text(data, "practitioner"),
        reviewer=_text(data, "reviewer"),
        review_date=_text(data, "review_date"),
    )
    check = check_document(doc, registry, _with_ahead(options))
    # The form edits audits only: a record of another kind (``kind:``) is listed, not opened.
    row["editable"] = check.framework is not None and isinstance(data, dict) and "kind" not in data
    row["warnings"] = check.warnings
    if not check.valid or check.result is None or check.framework is None or check.data is None:
        row["problem"] = _first(check)
        row["errors"] = check.errors
        _escalation_ahead(row, check)
        return row
    record = AuditRecord(relative, check.framework, check.data, check.result)
    row["valid"] = True
    row["grade"] = grade_view(record.framework, record.settled_grade)
    row["framework_title"] = record.framework.spec.title
    found = triggers(record.framework, record.data, record.computed_grade)
    if found:
        life = lifecycle(found, record.data, options.today)
        row["escalation_needed"] = True
        row["escalation"] = STATE_LABELS[life.state]
        row["escalation_overdue"] = life.overdue
    else:
        row["escalation"] = "not needed"
    return row


def _with_ahead(options: CheckOptions) -> CheckOptions:
    """How the list checks a file: keeping its data, and with the escalations an audit with
    errors certainly needs (:attr:`~qaimpact.audits.checker.AuditCheck.ahead`), as reports do."""
    return CheckOptions(options.today, options.max_file_size, keep_data=True, with_ahead=True)


def _escalation_ahead(row: dict[str, Any], check: AuditCheck) -> None:
    """Mark a row of an audit with errors as needing escalation where what can be read of it
    already calls for one whatever its errors (``check.ahead``): the list's "needs escalation"
    filter must never leave such a child out. Its state cannot be told until the file is valid."""
    if check.ahead:
        row["escalation_needed"] = True
        row["escalation"] = "whatever its errors"
        row["ahead"] = list(check.ahead)


@dataclass(frozen=True, slots=True)
class Filters:
    """What the list is narrowed to: words to find, a framework, a status."""

    words: str = ""
    framework: str = ""
    status: str = ""

    def keeps(self, row: Mapping[str, Any]) -> bool:
        """Whether a row passes every filter."""
        # A file whose framework cannot be read (YAML could not read it) but that needs
        # escalating whatever it holds is kept under any framework: it may be of this one.
        unknown_but_needed = not row["framework"] and row["escalation_needed"]
        if self.framework and row["framework"] != self.framework and not unknown_but_needed:
            return False
        if self.status == "valid" and not row["valid"]:
            return False
        if self.status == "invalid" and row["valid"]:
            return False
        if self.status == "escalation" and not row["escalation_needed"]:
            return False
        if self.words:
            haystack = " ".join(
                str(row[k]) for k in ("file", "audit_id", "practitioner", "reviewer", "framework")
            ).casefold()
            return all(word in haystack for word in self.words.casefold().split())
        return True


STATUSES = (
    ("", "Any"),
    ("valid", "Valid"),
    ("invalid", "With errors"),
    ("escalation", "Needing escalation"),
)


def list_view(
    folder: AuditsFolder, registry: Registry, options: CheckOptions, filters: Filters
) -> dict[str, Any]:
    """The list page: every audit file in the folder, filtered."""
    entries = list(folder.entries())
    # Named as an import mapping or a quarterly narrative: validate and every report skip such a
    # file, so the list does too, and says so, rather than show it as an audit with errors.
    skipped = [
        {"file": e.relative, "why": why}
        for e in entries
        if not e.link and (why := skipped_name(e.relative.rsplit("/", 1)[-1])) is not None
    ]
    passed = {s["file"] for s in skipped}
    rows = [
        list_row(folder, e.relative, registry, options)
        for e in entries
        if not e.link and e.relative not in passed
    ]
    links = [e.relative for e in entries if e.link]
    shown = [r for r in rows if filters.keeps(r)]
    return {
        "rows": shown,
        "total": len(rows),
        "links": links,
        "skipped": skipped,
        "filters": {"words": filters.words, "framework": filters.framework, "status": filters.status},
        "frameworks": usable_frameworks(registry),
        "statuses": [{"value": v, "label": label} for v, label in STATUSES],
        "basis": SETTLED_GRADE,
    }


def usable_frameworks(registry: Registry) -> list[dict[str, Any]]:
    """The frameworks a new audit can use (broken standards files left out): id, title and more."""
    return [
        {
            "id": fw.id,
            "title": fw.spec.title,
            "publisher": fw.spec.publisher,
            "version": fw.spec.version,
            "description": fw.spec.description,
        }
        for fw in registry.frameworks()
    ]

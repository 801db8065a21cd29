"""QA310 in the audit form asks for what a done remedial action lacks, as ``validate`` does.

A regression: the form's hint asked for both "Done on" and "Evidence it was done" whatever the
action lacked, where ``validate`` (since the last round) asks only for the missing one. Both now
put it in the one wording of :func:`qaimpact.audits.rules.closure_finding`: ``validate`` names
the keys of the file, the form the boxes the auditor fills in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("starlette")

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.web.form import form_for
from qaimpact.web.pages import check_values
from serve_support import CCC, HTTPX_WARNING, registry, signed_in

pytestmark = pytest.mark.filterwarnings(HTTPX_WARNING)

ACTION = "remedial_actions.0"
SECOND = "remedial_actions.1"
DONE = {f"{ACTION}.status": "done"}
CLOSED = {f"{ACTION}.closed_on": "2026-11-04"}
EVIDENCE = {f"{ACTION}.evidence": "Plan seen on file with owners and dates."}
SECOND_ACTION = {
    f"{SECOND}.action": "Record supervision on file.",
    f"{SECOND}.owner": "Wren Abernathy",
    f"{SECOND}.due": "2026-11-20",
    f"{SECOND}.status": "done",
    f"{SECOND}.closed_on": "2026-11-04",
}
REOPEN = "or set its status back to Open."

#: (answers changed from the council's audit, the input the finding is beside, its message, its hint)
CASES: list[Any] = [
    pytest.param(
        {**DONE, **CLOSED},
        "f-remedial_actions-0-status",
        'Remedial action 1 is marked done without "Evidence it was done".',
        f'Add "Evidence it was done" (how completion was checked), {REOPEN}',
        id="done-on-given-evidence-missing",
    ),
    pytest.param(
        {**DONE, **EVIDENCE},
        "f-remedial_actions-0-status",
        'Remedial action 1 is marked done without "Done on".',
        f'Add "Done on" (the date it was completed), {REOPEN}',
        id="evidence-given-done-on-missing",
    ),
    pytest.param(
        DONE,
        "f-remedial_actions-0-status",
        'Remedial action 1 is marked done without "Done on" or "Evidence it was done".',
        f'Add "Done on" (the date it was completed) and "Evidence it was done" (how completion was '
        f"checked), {REOPEN}",
        id="both-missing",
    ),
    pytest.param(
        {**DONE, **CLOSED, f"{ACTION}.evidence": "TBC"},
        "f-remedial_actions-0-evidence",
        "Remedial action 1 is marked done, but its evidence is only 'TBC'.",
        f"Replace 'TBC' with how completion was checked, {REOPEN}",
        id="evidence-only-a-stand-in",
    ),
    pytest.param(
        {**DONE, f"{ACTION}.evidence": "N/A"},
        "f-remedial_actions-0-status",
        "Remedial action 1 is marked done without \"Done on\", and its evidence is only 'N/A'.",
        f"Add \"Done on\" (the date it was completed) and replace 'N/A' with how completion was "
        f"checked, {REOPEN}",
        id="stand-in-and-done-on-missing",
    ),
    pytest.param(
        SECOND_ACTION,
        "f-remedial_actions-1-status",
        'Remedial action 2 is marked done without "Evidence it was done".',
        f'Add "Evidence it was done" (how completion was checked), {REOPEN}',
        id="second-action",
    ),
]


def _closure_findings(findings: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(f["message"], f["hint"]) for f in findings if f["code"] == "QA310"]


@pytest.mark.parametrize(("changes", "field", "message", "hint"), CASES)
def test_the_form_asks_only_for_what_a_done_action_lacks(
    tmp_path: Any, changes: dict[str, str], field: str, message: str, hint: str
) -> None:
    """Through the form's live check, as the auditor sees it beside the input."""
    session = signed_in(tmp_path)
    live = session.post("/new/ccc-practice-standards", {**CCC, **changes}, op="live").json()
    assert _closure_findings(live["fields"][field]) == [(message, hint)]


@pytest.mark.parametrize(("changes", "field", "message", "hint"), CASES)
def test_check_values_words_a_closure_for_the_form(
    changes: dict[str, str], field: str, message: str, hint: str
) -> None:
    """The function the form's pages call: every QA310 of the audit, in the form's words."""
    form = form_for(registry().get("ccc-practice-standards"))
    outcome = check_values(
        form, {**CCC, **changes}, registry(), CheckOptions(today=TODAY), name="CFA-2026-0777.yaml"
    )
    found = [(d.message, d.hint) for d in outcome.check.diagnostics if d.code == "QA310"]
    assert len(found) == 1
    placed = [(d.message, d.hint, target) for d, target in outcome.placed if d.code == "QA310"]
    assert placed == [(message, hint, field)]


@pytest.mark.parametrize(
    ("name", "line", "message", "hint"),
    [
        (
            "QA310-done-without-evidence.yaml",
            "52:13",
            "Remedial action 1 is marked done without evidence.",
            "Add 'evidence:' (how completion was checked), or set 'status: open'.",
        ),
        (
            "QA310-done-without-closure.yaml",
            "56:13",
            "Remedial action 2 is marked done without closed_on or evidence.",
            "Add 'closed_on:' (the date it was completed) and 'evidence:' (how completion was checked), "
            "or set 'status: open'.",
        ),
        (
            "QA310-stand-in-evidence.yaml",
            "54:15",
            "Remedial action 1 is marked done, but its evidence is only 'to follow'.",
            "Replace 'to follow' with how completion was checked, or set 'status: open'.",
        ),
    ],
    ids=["missing", "both-missing", "stand-in"],
)
def test_validate_keeps_its_own_words(
    cli: Callable[..., Any], name: str, line: str, message: str, hint: str
) -> None:
    """The same wording through ``validate``: the keys of the file, and 'status: open'."""
    path = DATA / "invalid" / name
    run = cli("validate", path, "--today", TODAY.isoformat(), expect=1)
    assert f"{path}:{line}: error QA310 {message}\n    hint: {hint}\n" in run.stdout

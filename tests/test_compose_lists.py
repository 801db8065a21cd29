"""How `serve` writes a list of entries back into an audit file (authoring/compose.py): an entry
cleared in the form is removed where it is, and every other entry keeps its own comments and the
keys the form does not show (``theme:`` here).

``tests/data/compose/two-actions.yaml`` holds three remedial actions, each with keys the form
shows (action, owner, due, status) and the first two a ``theme:`` it does not, with comments.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from qaimpact.authoring.compose import compose_text

BASE = (Path(__file__).resolve().parent / "data" / "compose" / "two-actions.yaml").read_text("utf-8")
SHOWN = ("action", "owner", "due", "status")
PLAN = {"action": "Update the safety plan with the school.", "owner": "Sam Patel"}
PLAN |= {"due": dt.date(2026, 11, 1), "status": "open"}
SUPERVISION = {"action": "Record reflective supervision on the case.", "owner": "Gareth Lloyd"}
SUPERVISION |= {"due": dt.date(2026, 11, 15), "status": "open"}
FAMILY = {"action": "Share the plan with the family.", "owner": "Sam Patel"}
FAMILY |= {"due": dt.date(2026, 11, 20), "status": "open"}


def written(actions: list[dict[str, Any]]) -> str:
    return compose_text({"remedial_actions": actions}, BASE)


def test_the_first_action_cleared_leaves_the_others_their_own_keys_and_comments() -> None:
    # Regression (a walkthrough): the remaining actions took the cleared one's theme and comment,
    # matched by position, and lost their own.
    assert written([SUPERVISION, FAMILY]) == (
        "remedial_actions:\n"
        "  - action: Record reflective supervision on the case.\n"
        "    owner: Gareth Lloyd  # Gareth is the TM\n"
        "    due: 2026-11-15\n"
        "    status: open\n"
        "    theme: supervision\n"
        "  - action: Share the plan with the family.\n"
        "    owner: Sam Patel\n"
        "    due: 2026-11-20\n"
        "    status: open\n"
    )


def test_the_middle_action_cleared_keeps_the_comment_above_the_next() -> None:
    assert written([PLAN, FAMILY]) == (
        "remedial_actions:\n"
        "  - action: Update the safety plan with the school.\n"
        "    owner: Sam Patel\n"
        "    due: 2026-11-01\n"
        "    status: open         # open | done\n"
        "    theme: planning\n"
        "  # The supervision action: agreed with the team manager.\n"
        "  - action: Share the plan with the family.\n"
        "    owner: Sam Patel\n"
        "    due: 2026-11-20\n"
        "    status: open\n"
    )


@pytest.mark.parametrize(
    ("actions", "themes"),
    [
        # Nothing removed: each keeps its own, edited or not.
        ([PLAN, SUPERVISION, FAMILY], ["planning", "supervision", None]),
        ([{**PLAN, "owner": "Jo Bright"}, SUPERVISION, FAMILY], ["planning", "supervision", None]),
        # The last removed, or the last two.
        ([PLAN, SUPERVISION], ["planning", "supervision"]),
        ([PLAN], ["planning"]),
        # The first removed and the second edited: the second keeps its own (an edited action
        # takes the entry most like it).
        ([{**SUPERVISION, "due": dt.date(2026, 12, 1)}, FAMILY], ["supervision", None]),
        # The second removed and the first edited.
        ([{**PLAN, "owner": "Jo Bright"}, FAMILY], ["planning", None]),
        # The second removed and the third edited, at the end of the list.
        ([PLAN, {**FAMILY, "owner": "Jo Bright"}], ["planning", None]),
        # The first removed and the last edited.
        ([SUPERVISION, {**FAMILY, "owner": "Jo Bright"}], ["supervision", None]),
    ],
)
def test_each_action_keeps_the_keys_of_the_entry_it_was(
    actions: list[dict[str, Any]], themes: list[str | None]
) -> None:
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(written(actions))
    assert [a.get("theme") for a in data["remedial_actions"]] == themes
    assert [{k: a[k] for k in SHOWN} for a in data["remedial_actions"]] == actions

"""Under ``--redact``, every path a cycle report quotes is redacted as a path: a first or last name
that is an everyday word ("Marsh", "Grace") is looked for alone only where written with a capital
in prose, but in a file or folder name, often all lower case, however it is cased.

Regression: ``impact`` redacted the problems' files and messages, and ``programme`` each planned
audit's ``audit_file``, ``plan`` and ``note``, as prose, so that a folder named ``marsh`` after
the reviewer Helen Marsh went out as written there while the folders read, redacted as paths,
showed its pseudonym beside it: the pair decoded the pseudonym.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from conftest import DATA

PROBLEMS = DATA / "cycle" / "impact" / "problems" / "unknown"
PROGRAMME = DATA / "cycle" / "programme"
SAMPLED = DATA / "cycle" / "sampling" / "audits"


def test_impact_redacts_the_paths_of_its_problems_as_paths(cli: Any, tmp_path: Path) -> None:
    # Helen Marsh reviewed these audits; their folder is named after her, in lower case.
    folder = tmp_path / "marsh"
    shutil.copytree(PROBLEMS, folder)
    run = cli("impact", "--audits", folder, "--today", "2026-11-22", "-f", "json", "--redact", expect=1)
    view = json.loads(run.stdout)
    [shown] = view["sources"]
    assert shown.startswith(f"{tmp_path}/Person ")
    [problem] = view["problems"]
    assert (problem["file"], problem["where"]) == (
        f"{shown}/CFA-2026-0502.yaml",
        f"{shown}/CFA-2026-0502.yaml:4:13",
    )
    assert "marsh" not in run.stdout.lower()


def test_programme_redacts_the_paths_of_its_planned_audits_as_paths(cli: Any, tmp_path: Path) -> None:
    # A case planned for Grace Ward, never audited: its plan is in a folder named after her.
    folder = tmp_path / "grace"
    folder.mkdir()
    plan = folder / "plan.csv"
    plan.write_text((PROGRAMME / "plan-2026-08.csv").read_text().replace("Amira Haddad", "Grace Ward"))
    args = ("programme", plan, "--audits", SAMPLED, "--today", "2026-12-15", "-f", "json", "--redact")
    run = cli(*args)
    view = json.loads(run.stdout)
    [shown] = view["plans"]
    assert shown.startswith(f"{tmp_path}/Person ")
    assert {item["plan"] for item in view["planned"]} == {shown}
    assert "grace" not in run.stdout.lower()

"""Which YAML files are meant as audits: those are checked and counted, the others passed over.

Regression (found by a review): an audit whose ``standards:`` and ``audit_id:`` were typed with a
capital letter (as Word writes the first letter of a line), or lost, was passed over as "not an
audit" by every report and by the pre-commit hook, with a note only: an inadequate audit in it
was never escalated and the reports exited 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, TODAY, Run
from qaimpact.audits.checker import looks_like_audit
from qaimpact.base.loader import load_file

AUDIT = Path(__file__).parent.parent / "examples" / "service" / "ccc" / "CFA-2026-0222.yaml"
NOT_AUDITS = sorted((DATA / "meant-as-audit").iterdir())
#: Ways an audit's naming keys are mistyped or lost, as (pattern, replacement) on its text.
DAMAGE = {
    "capital letters": [(r"(?m)^standards:", "Standards:"), (r"(?m)^audit_id:", "Audit_id:")],
    "capitals everywhere": [(r"(?m)^standards:", "STANDARDS:"), (r"(?m)^audit_id:", "AUDIT ID:")],
    "first lines lost": [(r"(?m)^standards:.*\n", ""), (r"(?m)^audit_id:.*\n", "")],
}


def _damaged(folder: Path, how: str) -> Path:
    text = AUDIT.read_text(encoding="utf-8")
    for pattern, replacement in DAMAGE[how]:
        text, n = re.subn(pattern, replacement, text)
        assert n == 1
    path = folder / "audit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_audit_is_still_an_audit(tmp_path: Path, how: str) -> None:
    assert looks_like_audit(load_file(_damaged(tmp_path, how)).data)


@pytest.mark.parametrize("path", NOT_AUDITS, ids=[p.name for p in NOT_AUDITS])
def test_other_yaml_is_not_an_audit(path: Path) -> None:
    assert not looks_like_audit(load_file(path).data)


@pytest.mark.parametrize("how", DAMAGE)
def test_the_reports_count_it_as_invalid_and_exit_1(
    cli: Callable[..., Run], tmp_path: Path, how: str
) -> None:
    # CFA-2026-0222 is inadequate, its escalation not raised: left out, the report must say so.
    _damaged(tmp_path, how)
    run = cli("escalations", "--audits", tmp_path, "--today", TODAY.isoformat(), expect=1)
    assert "1 audit file is invalid, so whether it needs escalating is not known." in run.stdout
    assert "not an audit" not in run.stderr


def test_the_pre_commit_hook_does_not_pass_it_over(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = _damaged(tmp_path, "capital letters")
    run = cli("validate", "--skip-non-audits", path, "--today", TODAY.isoformat(), expect=1)
    assert run.stdout.startswith(
        f"{path}:2:1: error QA201 The audit does not say which framework it uses: 'Standards:' is not "
        "'standards:', as keys are written in small letters.\n"
        "    hint: Write 'Standards:' as 'standards:'.\n"
    )


def test_the_pre_commit_hook_still_passes_over_other_yaml(cli: Callable[..., Run]) -> None:
    run = cli("validate", "--skip-non-audits", *NOT_AUDITS, "--today", TODAY.isoformat())
    for path in NOT_AUDITS:
        assert f"skipped {path}: not an audit" in run.stderr

"""Missing evidence is an error where the framework requires it, a warning elsewhere (issue 17).

The standards data decides: ``evidence: required_for:`` names the ratings that are an error
(QA317) without evidence; any other rating below the top is a warning (QA403).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, Run
from qaimpact.frameworks.registry import Registry

INVALID = DATA / "invalid"
CCC_BLOCK = "  required_for: [good, requires_improvement, inadequate]\n"
OVERSIGHT = (
    "'Management oversight and supervision' is rated requires improvement to be good but has no evidence."
)
CASE_PLANNING = "'Case planning' is rated met but has no evidence."


def findings(run: Run) -> list[tuple[str, str, str]]:
    return [(d["code"], d["severity"], d["message"]) for d in json.loads(run.stdout)]


@pytest.mark.parametrize(
    ("name", "code", "severity", "exit_code", "message"),
    [
        pytest.param("QA317-blank-evidence.yaml", "QA317", "error", 1, OVERSIGHT, id="ccc-requires-evidence"),
        pytest.param(
            "QA403-met-without-evidence.yaml", "QA403", "warning", 0, CASE_PLANNING, id="cafcass-warns"
        ),
    ],
)
def test_bundled_frameworks(
    name: str, code: str, severity: str, exit_code: int, message: str, cli: Callable[..., Run]
) -> None:
    run = cli("validate", "--today", "2026-11-22", "-f", "json", INVALID / name, expect=exit_code)
    assert findings(run) == [(code, severity, message)]


@pytest.mark.parametrize(
    ("required_for", "code", "severity", "exit_code"),
    [
        pytest.param("[good, requires_improvement, inadequate]", "QA317", "error", 1, id="as-bundled"),
        pytest.param("[requires_improvement]", "QA317", "error", 1, id="only-this-rating"),
        pytest.param("[inadequate]", "QA403", "warning", 0, id="another-rating"),
        pytest.param(None, "QA403", "warning", 0, id="no-evidence-block"),
    ],
)
def test_the_standards_data_decides(
    required_for: str | None,
    code: str,
    severity: str,
    exit_code: int,
    tmp_path: Path,
    registry: Registry,
    cli: Callable[..., Run],
) -> None:
    bundled = registry.get("ccc-practice-standards")
    assert bundled is not None
    text = Path(bundled.source).read_text(encoding="utf-8")
    assert CCC_BLOCK in text
    if required_for is None:
        text = text[: text.index("\nevidence:\n")] + "\n"  # the block ends the file
    else:
        text = text.replace(CCC_BLOCK, f"  required_for: {required_for}\n")
    own = tmp_path / "standards"
    own.mkdir()
    (own / "ccc-practice-standards.yaml").write_text(text, encoding="utf-8")
    audit = INVALID / "QA317-blank-evidence.yaml"
    run = cli("validate", "--today", "2026-11-22", "-f", "json", "--standards", own, audit, expect=exit_code)
    assert findings(run) == [(code, severity, OVERSIGHT)]

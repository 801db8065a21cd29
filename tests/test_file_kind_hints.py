"""A problem the YAML reader finds is worded for the file it is in.

The loader's hints were written for audits, and a standards file or an import mapping that was
empty or held two documents was told "Start from a blank audit: qaimpact new ..." or "Keep one
audit per file". Each kind of file now gets hints for itself (``base.loader._FOR_KIND``), in one
table with the quarter's narrative, which had its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run

EMPTY = ""
TWO = "a: 1\n---\nb: 2\n"
TAGGED = "id: !!python/name:os.system x\n"

QA103 = "error QA103 The file is empty: it holds no YAML data.\n    hint: "
QA109 = "error QA109 The file holds more than one YAML document (a second '---' starts another).\n    hint: "

CASES = [
    (
        "standards",
        EMPTY,
        "1:1: " + QA103 + "A standards file describes one framework: copy a bundled one to start from "
        "(`qaimpact standards list` shows where each is) and see docs/standards-format.md.",
    ),
    (
        "standards",
        TWO,
        "2:1: " + QA109 + "Keep one framework per file: remove the extra '---' or split the file.",
    ),
    (
        "standards",
        TAGGED,
        "1:5: error QA106 The YAML tag '!!python/name:os.system' is not allowed in a standards file.\n"
        "    hint: Remove the tag: a standards file holds plain text, numbers, true/false, lists and blocks.",
    ),
    (
        "mapping",
        EMPTY,
        "1:1: " + QA103 + "`qaimpact import SHEET --scaffold-mapping` writes a first mapping to fill in.",
    ),
    (
        "mapping",
        TWO,
        "2:1: " + QA109 + "Keep one mapping per file: remove the extra '---' or split the file.",
    ),
]


def _run(kind: str, path: Path, cli: Callable[..., Run]) -> Run:
    if kind == "standards":
        return cli("standards", "check", path, expect=None)
    return cli("import", EXAMPLES / "import" / "tracker.xlsx", "--mapping", path, "--dry-run", expect=None)


@pytest.mark.parametrize(
    ("kind", "text", "expected"), CASES, ids=["std-empty", "std-two", "std-tag", "map-empty", "map-two"]
)
def test_the_hint_is_for_the_kind_of_file(
    kind: str, text: str, expected: str, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    path = tmp_path / ("f.mapping.yaml" if kind == "mapping" else "f.yaml")
    path.write_text(text, encoding="utf-8")
    run = _run(kind, path, cli)
    assert run.exit_code != 0
    assert f"{path}:{expected}\n" in run.stdout + run.stderr


def test_an_audit_keeps_the_hints_for_an_audit(tmp_path: Path, cli: Callable[..., Run]) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(TWO, encoding="utf-8")
    run = cli("validate", path, expect=1)
    assert (
        f"{path}:2:1: {QA109}Keep one audit per file: remove the extra '---' or split the file.\n"
        in run.stdout
    )


AUDIT = EXAMPLES / "service" / "ccc" / "CFA-2026-0222.yaml"
RECORD = Path(__file__).parent / "data" / "records" / "observation-ccc.yaml"
NOT_STANDARDS = (
    "error QA202 The standards file is missing 'format': this file is {meant} (it has '{key}:'), not a "
    "standards file.\n    hint: Check {meant} with `qaimpact validate {path}`. `qaimpact standards check` "
    "checks the framework files (such as standards/*.yaml) that audits are recorded against.\n"
)


@pytest.mark.parametrize(
    ("path", "where", "meant", "key"),
    [(AUDIT, "2:1", "an audit", "standards"), (RECORD, "4:1", "a practice record", "record_id")],
    ids=["audit", "record"],
)
def test_an_audit_given_to_standards_check_is_said_to_be_one(
    path: Path, where: str, meant: str, key: str, cli: Callable[..., Run]
) -> None:
    """A regression: an audit given to `standards check` got 30 errors, each a standards file's
    key missing or an audit's key unknown, none saying that the file is an audit."""
    run = cli("standards", "check", path, expect=3)
    assert run.stdout == f"{path}:{where}: " + NOT_STANDARDS.format(meant=meant, key=key, path=path)


def test_an_audit_with_only_its_id_is_said_to_be_one(tmp_path: Path, cli: Callable[..., Run]) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("# standards: lost\naudit_id: QA-2026-0001\nreviewer: Ama Owusu\n", encoding="utf-8")
    run = cli("standards", "check", path, expect=3)
    assert run.stdout == f"{path}:2:1: " + NOT_STANDARDS.format(meant="an audit", key="audit_id", path=path)


def test_a_standards_file_is_still_checked_whole(tmp_path: Path, cli: Callable[..., Run]) -> None:
    """A standards file has none of an audit's naming keys: it gets its own findings, as before."""
    path = tmp_path / "s.yaml"
    path.write_text("id: ours\n", encoding="utf-8")
    run = cli("standards", "check", path, expect=3)
    assert f"{path}:1:1: error QA202 The standards file is missing 'format'.\n" in run.stdout

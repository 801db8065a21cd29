"""What a published summary says of the invalid files it left out: audits, practice records or
both, as the QA team's own report does, and never how many (a count from 1 to 4 is never shown,
and "it" would say there was one).

tests/data/left-out/ holds a valid audit with, beside it, an invalid audit (``audit/``), a
feedback record with an error (``record/``), or both (``both/``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import DATA, TODAY

LEFT_OUT = DATA / "left-out"
AUDITS = (
    "One or more invalid audit files were left out of the figures: whether they need escalating is not "
    "known until they are fixed."
)
RECORDS = (
    "One or more invalid record files were left out of the figures: practice records are not audits, so "
    "they are never escalated."
)
BOTH = (
    "One or more invalid audit files and record files were left out of the figures: whether the audits "
    "need escalating is not known until they are fixed; practice records are not audits, so they are "
    "never escalated."
)
#: What a published summary said whatever was left out, practice records alone included.
OLD = (
    "Invalid audit files were left out of the figures: whether they need escalating is not known until they "
    "are fixed."
)


@pytest.mark.parametrize("command", [("summary",), ("quarterly", "--quarter", "2026-Q4")])
@pytest.mark.parametrize("output_format", ["md", "html"])
@pytest.mark.parametrize(("folder", "sentence"), [("audit", AUDITS), ("record", RECORDS), ("both", BOTH)])
def test_a_published_summary_says_what_was_left_out(
    cli: Any, command: tuple[str, ...], output_format: str, folder: str, sentence: str
) -> None:
    # A feedback record left out was "Invalid audit files were left out ...": it is no audit.
    run = cli(
        *command,
        "--audits",
        LEFT_OUT / folder,
        "--today",
        TODAY.isoformat(),
        "--publish",
        "-f",
        output_format,
        expect=1,
    )
    lines = run.stdout.splitlines()
    assert (f"<p>{sentence}</p>" if output_format == "html" else sentence) in lines
    assert OLD not in lines
    assert f"<p>{OLD}</p>" not in lines


@pytest.mark.parametrize("output_format", ["md", "html"])
@pytest.mark.parametrize("folder", ["audit", "record", "both"])
def test_a_published_summary_says_not_how_many_were_left_out(
    cli: Any, output_format: str, folder: str
) -> None:
    # Each folder leaves out one or two files: a published report says neither "1" nor "it".
    run = cli(
        "summary",
        "--audits",
        LEFT_OUT / folder,
        "--today",
        TODAY.isoformat(),
        "--publish",
        "-f",
        output_format,
        expect=1,
    )
    said = next(line for line in run.stdout.splitlines() if "left out of the figures" in line)
    assert not any(word in said.split() for word in ["1", "2", "one", "two", "it", "it's", "its"])


@pytest.mark.parametrize(
    ("folder", "left_out"),
    [
        ("audit", {"invalid": True, "invalid_audits": True, "invalid_records": False}),
        ("record", {"invalid": True, "invalid_audits": False, "invalid_records": True}),
        ("both", {"invalid": True, "invalid_audits": True, "invalid_records": True}),
    ],
)
@pytest.mark.parametrize("publish", [True, False])
def test_the_json_says_what_kind_of_file_was_left_out(
    cli: Any, folder: str, left_out: dict[str, bool], publish: bool
) -> None:
    args = ["summary", "--audits", LEFT_OUT / folder, "--today", TODAY.isoformat(), "-f", "json"]
    out = json.loads(cli(*args, *(["--publish"] if publish else []), expect=1).stdout)
    assert out["left_out"] == {**left_out, "skipped": False, "outside_period": False}
    # Published, the counts stay out: the kind of file is all it says.
    counts = {"audit": (1, 1), "record": (1, 0), "both": (2, 1)}[folder]
    assert (out["invalid_count"], out["invalid_audits"]) == ((None, None) if publish else counts)


@pytest.mark.parametrize("command", ["summary", "escalations"])
@pytest.mark.parametrize(("folder", "audits"), [("audit", 1), ("record", 0), ("both", 1)])
def test_a_redacted_report_still_tells_a_record_from_an_audit(
    cli: Any, command: str, folder: str, audits: int
) -> None:
    # Under --redact an invalid record's kind was dropped with its name: it was counted an audit.
    args = [command, "--audits", LEFT_OUT / folder, "--today", TODAY.isoformat(), "--redact", "-f", "json"]
    assert json.loads(cli(*args, expect=1).stdout)["invalid_audits"] == audits


def test_a_redacted_summary_does_not_call_a_record_an_audit(cli: Any) -> None:
    run = cli("summary", "--audits", LEFT_OUT / "record", "--today", TODAY.isoformat(), "--redact", expect=1)
    assert "invalid audit file" not in run.stdout
    both = cli("summary", "--audits", LEFT_OUT / "both", "--today", TODAY.isoformat(), "--redact", expect=1)
    assert (
        "1 invalid audit file was left out of the figures: whether it needs escalating is not known until it "
        "is fixed."
    ) in both.stdout.splitlines()

"""What a report says of the files it left out: in the number they are, and as what they are.

tests/data/left-out/ holds a valid audit with, beside it, an invalid audit (``audit/``), a
feedback record with an error (``record/``), both (``both/``), or two of each (``two-each/``).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, TODAY

LEFT_OUT = DATA / "left-out"
FIX = "fix {} and run the report again (`qaimpact validate` shows every problem):"
AUDIT_ERROR = (
    "'poor' is not a rating on this framework's scale for 'practice_standards.planning' (Planning). "
    "(and 1 more error)"
)
RECORD_ERROR = "'superb' is not an allowed value for 'rating' (Rating)."


@pytest.mark.parametrize(
    ("command", "output_format", "line"),
    [
        (
            "escalations",
            "md",
            "- Audits read from `{src}`; 1 invalid audit file left out (validating it shows why).",
        ),
        (
            "escalations",
            "html",
            "<p>Audits read from <code>{src}</code>; 1 invalid audit file left out (validating it shows "
            "why).</p>",
        ),
        (
            "impact",
            "md",
            "- As of 2026-11-22: 0 re-audited cases (0 re-audits) among 1 audit read from `{src}`; 1 invalid "
            "audit file left out (validating it shows why).",
        ),
        (
            "impact",
            "html",
            "<p>Audits read from <code>{src}</code>; 1 invalid audit file left out (validating it shows "
            "why).</p>",
        ),
        (
            "moderation",
            "md",
            "- Period: all dates; 1 audit read from `{src}`; 1 invalid audit file left out "
            "(validating it shows why).",
        ),
        (
            "moderation",
            "html",
            "<p>Period: all dates; 1 audit read from <code>{src}</code>; 1 invalid audit file left out "
            "(validating it shows why).</p>",
        ),
        (
            "actions",
            "md",
            "- Audits read from `{src}`: 1 valid audit; **1 invalid audit file left out**, with any actions "
            "it holds (validating it shows why; an action marked done needs `closed_on` and `evidence`).",
        ),
        (
            "actions",
            "html",
            "<p>Audits read from <code>{src}</code>: 1 valid audit; <strong>1 invalid audit file left "
            "out</strong>, with any actions it holds (listed below).</p>",
        ),
        (
            "impact",
            "md",
            "This file is invalid, so it is not in the figures, and a re-audit that names it cannot "
            "be followed; validating it says what to fix.",
        ),
        (
            "moderation",
            "md",
            "This file is invalid, so its grade and any moderation of it are not counted; "
            "validating it says what to fix.",
        ),
        (
            "actions",
            "md",
            "This file is invalid, so its actions are not listed; validating it says what to fix.",
        ),
    ],
)
def test_one_file_left_out_is_it_not_them(cli: Any, command: str, output_format: str, line: str) -> None:
    # "1 invalid audit file left out (validating them shows why)": one file is "it".
    src = LEFT_OUT / "audit"
    run = cli(command, "--audits", src, "--today", TODAY.isoformat(), "-f", output_format, expect=1)
    assert line.format(src=src) in run.stdout.splitlines()


def test_two_files_left_out_are_them(cli: Any) -> None:
    src = LEFT_OUT / "both"
    run = cli("impact", "--audits", src, "--today", TODAY.isoformat(), expect=1)
    lines = run.stdout.splitlines()
    assert (
        f"- As of 2026-11-22: 0 re-audited cases (0 re-audits) among 1 audit read from `{src}`; 1 invalid "
        "audit file and 1 invalid record file left out (validating them shows why)."
    ) in lines
    # Only the audit file could be in the figures, or named by a re-audit.
    assert (
        "These files are invalid, so the audit file is not in the figures, and a re-audit that names it "
        "cannot be followed (a practice record is never re-audited); validating them says what to fix in "
        "each."
    ) in lines


@pytest.mark.parametrize(
    ("folder", "said", "lines"),
    [
        (
            "audit",
            "error: 1 audit file was left out of this report because it has errors; " + FIX.format("it"),
            ["  - {src}/CFA-2026-0312.yaml:24:13: QA204 " + AUDIT_ERROR],
        ),
        (
            "record",
            "error: 1 record file was left out of this report because it has errors; " + FIX.format("it"),
            ["  - {src}/FB-L-2025-001.yaml:11:9: QA205 " + RECORD_ERROR],
        ),
        (
            "both",
            "error: 1 audit file and 1 record file were left out of this report because they have errors; "
            + FIX.format("them"),
            [
                "  - {src}/CFA-2026-0312.yaml:24:13: QA204 " + AUDIT_ERROR,
                "  - {src}/FB-L-2025-001.yaml:11:9: QA205 " + RECORD_ERROR,
            ],
        ),
    ],
)
@pytest.mark.parametrize("command", ["summary", "escalations", "actions", "impact", "moderation"])
def test_a_record_left_out_is_called_a_record(
    cli: Any, command: str, folder: str, said: str, lines: list[str]
) -> None:
    # A practice record with errors was "1 audit file was left out": it is not an audit.
    src = LEFT_OUT / folder
    run = cli(command, "--audits", src, "--today", TODAY.isoformat(), expect=1)
    assert run.stderr.splitlines() == [said, *(line.format(src=src) for line in lines)]


@pytest.mark.parametrize(
    ("folder", "output_format", "said", "unsaid"),
    [
        (
            "record",
            "md",
            "1 record file is invalid: a practice record is not an audit, so it is never escalated. "
            "Validating it says what to fix.",
            "audit file is invalid",
        ),
        (
            "record",
            "html",
            "<p>1 record file is invalid: a practice record is not an audit, so it is never escalated. "
            "Validating it says what to fix.</p>",
            "audit file is invalid",
        ),
        (
            "both",
            "md",
            "**1 audit file is invalid, so whether it needs escalating is not known.** 1 record file is "
            "invalid too: a practice record is not an audit, so it is never escalated. Validating them "
            "says what to fix.",
            "2 audit files are invalid",
        ),
    ],
)
def test_the_escalations_report_says_a_record_is_never_escalated(
    cli: Any, folder: str, output_format: str, said: str, unsaid: str
) -> None:
    run = cli(
        "escalations",
        "--audits",
        LEFT_OUT / folder,
        "--today",
        TODAY.isoformat(),
        "-f",
        output_format,
        expect=1,
    )
    assert said in run.stdout.splitlines()
    assert unsaid not in run.stdout


@pytest.mark.parametrize("output_format", ["md", "html"])
def test_the_summary_does_not_call_a_record_an_audit(cli: Any, output_format: str) -> None:
    # "1 invalid audit file was left out of the figures: whether it needs escalating is not known".
    run = cli(
        "summary",
        "--audits",
        LEFT_OUT / "record",
        "--today",
        TODAY.isoformat(),
        "-f",
        output_format,
        expect=1,
    )
    assert "invalid audit file" not in run.stdout
    assert "needs escalating is not known" not in run.stdout
    both = cli(
        "summary", "--audits", LEFT_OUT / "both", "--today", TODAY.isoformat(), "-f", output_format, expect=1
    )
    sentence = (
        "1 invalid audit file was left out of the figures: whether it needs escalating is not known until it "
        "is fixed."
    )
    assert (f"<p>{sentence}</p>" if output_format == "html" else sentence) in both.stdout.splitlines()


def test_the_json_counts_the_audits_left_out(cli: Any) -> None:
    import json

    for folder, count, audits in [("audit", 1, 1), ("record", 1, 0), ("both", 2, 1)]:
        for command in ["summary", "escalations"]:
            args = ("--audits", LEFT_OUT / folder, "--today", TODAY.isoformat(), "-f", "json")
            out = json.loads(cli(command, *args, expect=1).stdout)
            assert (out["invalid_count"], out["invalid_audits"]) == (count, audits)


def test_grade_of_a_service_folder_says_its_records_in_one_line(cli: Any) -> None:
    # grade of examples/service printed a note for each of its 34 records.
    run = cli("grade", EXAMPLES / "service", "--today", TODAY.isoformat())
    assert run.stderr == (
        "note: 34 record files were read and not graded: practice records are not audits, so they have no "
        "grade; `qaimpact validate` checks them.\n"
    )


def test_grade_still_shows_each_record_with_errors(cli: Any, tmp_path: Path) -> None:
    # The records with errors are why grade exits 1: each is still shown at file:line:col.
    shutil.copytree(LEFT_OUT / "record", tmp_path / "folder")
    for name in ["FB-L-2025-007.yaml", "FB-L-2025-008.yaml"]:
        shutil.copy(EXAMPLES / "service" / "records" / "ccc" / name, tmp_path / "folder" / name)
    record = tmp_path / "folder" / "FB-L-2025-001.yaml"
    run = cli("grade", tmp_path / "folder", "--today", TODAY.isoformat(), expect=1)
    assert run.stderr.splitlines() == [
        f"error: {record} is a feedback record, not an audit, so it has no grade; it has errors:",
        f"{record}:11:9: error QA205 {RECORD_ERROR}",
        "    hint: Use one of: very_good, good, neither, poor, very_poor.",
        "note: 2 record files were read and not graded: practice records are not audits, so they have no "
        "grade; `qaimpact validate` checks them.",
    ]


SERVICE = EXAMPLES / "service"
# What each command needs besides --audits, and the line that says what it left out, with {src}
# and {files} ("1 invalid audit file and 1 invalid record file") in it.
TOP_LINES: list[Any] = [
    pytest.param(
        ["escalations"],
        "- Audits read from `{src}`; {files} left out (validating {them} shows why).",
        id="escalations",
    ),
    pytest.param(
        ["impact"],
        "- As of 2026-11-22: 0 re-audited cases (0 re-audits) among 1 audit read from `{src}`; {files} left "
        "out (validating {them} shows why).",
        id="impact",
    ),
    pytest.param(
        ["moderation"],
        "- Period: all dates; 1 audit read from `{src}`; {files} left out (validating {them} shows why).",
        id="moderation",
    ),
    pytest.param(
        ["summary"], "- Audits: **1** valid from `{src}`; {files} left out (listed below)", id="summary"
    ),
    pytest.param(
        ["actions"],
        "- Audits read from `{src}`: 1 valid audit; **{files} left out**{held} (validating {them} shows "
        "why{done}).",
        id="actions",
    ),
    pytest.param(
        ["programme", SERVICE / "plans" / "2026-07.csv"],
        "- Plans read: `{plan}`. Audits read from `{src}`: 1 valid audit; **{files} left out** "
        "({planned}`qaimpact validate` shows why).",
        id="programme",
    ),
    pytest.param(
        ["sample", "--cases", SERVICE / "cases.csv", "--seed", "1"],
        "- Cases from `{cases}`; no auditors list; audits read from `{src}` (1 valid audit; {files} left "
        "out{chosen}: validating {them} shows why).",
        id="sample",
    ),
]
DONE = "; an action marked done needs `closed_on` and `evidence`"
# Each folder: the files it leaves out, and the words that depend on what they are.
FOLDERS: list[Any] = [
    pytest.param(
        "record",
        {
            "files": "1 invalid record file",
            "them": "it",
            # A practice record holds no action, and is no planned audit nor a case audited.
            "held": "",
            "done": "",
            "planned": "",
            "chosen": "",
        },
        id="record",
    ),
    pytest.param(
        "both",
        {
            "files": "1 invalid audit file and 1 invalid record file",
            "them": "them",
            "held": ", with any actions the audit file holds",
            "done": DONE,
            "planned": "if the audit is a planned one, it counts as not done; ",
            "chosen": ", so cases audited in the audit file may have been chosen",
        },
        id="both",
    ),
    pytest.param(
        "two-each",
        {
            "files": "2 invalid audit files and 2 invalid record files",
            "them": "them",
            "held": ", with any actions the audit files hold",
            "done": DONE,
            "planned": "a planned audit among them counts as not done; ",
            "chosen": ", so cases audited in the audit files may have been chosen",
        },
        id="two-each",
    ),
    pytest.param(
        "audit",
        {
            "files": "1 invalid audit file",
            "them": "it",
            "held": ", with any actions it holds",
            "done": DONE,
            "planned": "if the audit is a planned one, it counts as not done; ",
            "chosen": ", so cases audited in it may have been chosen",
        },
        id="audit",
    ),
]


@pytest.mark.parametrize(("folder", "words"), FOLDERS)
@pytest.mark.parametrize(("args", "line"), TOP_LINES)
def test_each_report_says_what_kind_of_file_it_left_out(
    cli: Any, args: list[Any], line: str, folder: str, words: dict[str, str]
) -> None:
    # "2 invalid files left out, with any actions they hold", where one was a feedback record.
    src = LEFT_OUT / folder
    run = cli(*args, "--audits", src, "--today", TODAY.isoformat(), "-f", "md", expect=1)
    expected = line.format(
        src=src, plan=SERVICE / "plans" / "2026-07.csv", cases=SERVICE / "cases.csv", **words
    )
    assert expected in run.stdout.splitlines()


@pytest.mark.parametrize(
    ("folder", "output_format", "lines"),
    [
        (
            "record",
            "md",
            [
                "- Audits read from `{src}`: 1 valid audit; **1 invalid record file left out** (validating "
                "it shows why).",
                "This file is invalid; validating it says what to fix.",
            ],
        ),
        (
            "record",
            "html",
            [
                "<p>Audits read from <code>{src}</code>: 1 valid audit; <strong>1 invalid record file left "
                "out</strong> (listed below).</p>",
                "<p>This file is invalid; validating it says what to fix.</p>",
            ],
        ),
        (
            "two-each",
            "html",
            [
                "<p>Audits read from <code>{src}</code>: 1 valid audit; <strong>2 invalid audit files and 2 "
                "invalid record files left out</strong>, with any actions the audit files hold (listed "
                "below).</p>",
                "<p>These files are invalid, so the audit files&#39; actions are not listed; validating them "
                "says what to fix in each (an action marked done needs <code>closed_on</code> and "
                "<code>evidence</code>).</p>",
            ],
        ),
        (
            "both",
            "md",
            [
                "These files are invalid, so the audit file's actions are not listed; validating them says "
                "what to fix in each.",
            ],
        ),
    ],
)
def test_the_actions_report_says_only_an_audit_holds_actions(
    cli: Any, folder: str, output_format: str, lines: list[str]
) -> None:
    src = LEFT_OUT / folder
    run = cli("actions", "--audits", src, "--today", TODAY.isoformat(), "-f", output_format, expect=1)
    out = run.stdout.splitlines()
    for line in lines:
        assert line.format(src=src) in out


# What each report's "Files left out" says, by the kind of file left out: only an audit has a
# grade to moderate, is named by a re-audit or is a planned audit.
FILES_LEFT_OUT: list[Any] = [
    pytest.param(
        "moderation",
        "record",
        "This file is invalid: a practice record is not an audit, so it holds no grade or moderation to "
        "count; validating it says what to fix.",
        id="moderation-record",
    ),
    pytest.param(
        "moderation",
        "records",
        "These files are invalid: practice records are not audits, so they hold no grade or moderation to "
        "count; validating them says what to fix in each.",
        id="moderation-records",
    ),
    pytest.param(
        "moderation",
        "both",
        "These files are invalid, so the audit file's grade and any moderation of it are not counted (a "
        "practice record holds none); validating them says what to fix in each.",
        id="moderation-both",
    ),
    pytest.param(
        "moderation",
        "two-each",
        "These files are invalid, so the audit files' grades and any moderation of them are not counted "
        "(practice records hold none); validating them says what to fix in each.",
        id="moderation-two-each",
    ),
    pytest.param(
        "impact",
        "record",
        "This file is invalid: a practice record is not an audit, so it is never re-audited and the figures "
        "do not count it; validating it says what to fix.",
        id="impact-record",
    ),
    pytest.param(
        "impact",
        "records",
        "These files are invalid: practice records are not audits, so they are never re-audited and the "
        "figures do not count them; validating them says what to fix in each.",
        id="impact-records",
    ),
    pytest.param(
        "impact",
        "two-each",
        "These files are invalid, so the audit files are not in the figures, and a re-audit that names one "
        "of them cannot be followed (practice records are never re-audited); validating them says what to "
        "fix in each.",
        id="impact-two-each",
    ),
    pytest.param(
        "programme",
        "record",
        "This file is invalid: a practice record is not an audit, so it is never a planned audit; `qaimpact "
        "validate` says what to fix in it.",
        id="programme-record",
    ),
    pytest.param(
        "programme",
        "records",
        "These files are invalid: practice records are not audits, so they are never planned audits; "
        "`qaimpact validate` says what to fix in each.",
        id="programme-records",
    ),
    pytest.param(
        "programme",
        "both",
        "These files are invalid, so the audit file is not counted (a practice record is never a planned "
        "audit); `qaimpact validate` says what to fix in each.",
        id="programme-both",
    ),
    pytest.param(
        "programme",
        "two-each",
        "These files are invalid, so the audit files are not counted (practice records are never planned "
        "audits); `qaimpact validate` says what to fix in each.",
        id="programme-two-each",
    ),
    pytest.param(
        "programme",
        "audit",
        "This file is invalid, so it is not counted; `qaimpact validate` says what to fix in it.",
        id="programme-audit",
    ),
]


def _folder(name: str, tmp_path: Path) -> Path:
    """A folder of tests/data/left-out/, or ``records``: a valid audit and two records with errors."""
    if name != "records":
        return LEFT_OUT / name
    folder = tmp_path / "records"
    folder.mkdir()
    for file in ["CFA-2026-0311.yaml", "FB-L-2025-001.yaml", "FB-L-2025-002.yaml"]:
        shutil.copy(LEFT_OUT / "two-each" / file, folder / file)
    return folder


@pytest.mark.parametrize("output_format", ["md", "html"])
@pytest.mark.parametrize(("command", "folder", "sentence"), FILES_LEFT_OUT)
def test_files_left_out_says_what_each_kind_means_for_the_figures(
    cli: Any, command: str, folder: str, sentence: str, output_format: str, tmp_path: Path
) -> None:
    # "These files are invalid, so their grades and any moderation of them are not counted", where
    # one was a feedback record, which has no grade.
    args: list[Any] = [command]
    if command == "programme":
        args.append(SERVICE / "plans" / "2026-07.csv")
    src = _folder(folder, tmp_path)
    run = cli(*args, "--audits", src, "--today", TODAY.isoformat(), "-f", output_format, expect=1)
    if output_format == "html":
        sentence = "<p>" + sentence.replace("'", "&#39;") + "</p>"
        sentence = sentence.replace("`qaimpact validate`", "<code>qaimpact validate</code>")
    assert sentence in run.stdout.splitlines()

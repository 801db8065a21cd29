"""A report for a period and the files with errors dated outside it.

tests/data/left-out/dated/ holds, for the period 2026-11-01 to 2026-11-15: a valid audit in it
(CFA-2026-0311, 2026-11-03); audits with errors dated before it (CFA-2026-0298, 2026-10-06), in
it (CFA-2026-0312, 2026-11-03) and after it (CFA-2026-0330, 2026-11-20); one whose date cannot
be read ('3rd of November', CFA-2026-0314); and a feedback record with an error, dated before it
(FB-L-2025-001, 2025-12-02).

A file whose date cannot be read may be of the period: it is left out. One dated after the period
changes nothing in it, nor does a record dated before it: they are set aside, said apart. An audit
dated before the period can still carry an action or an escalation into it (summary, escalations,
actions), so there it is left out as any; a report that reads no earlier audit (moderation, the
learning log) sets it aside. Every file with errors still makes the report exit 1.

tests/data/left-out/copy/ holds a valid audit and, beside it, an audit with errors that holds the
same audit_id: it is left out (what it says may differ from the copy counted), and said to be one.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.frameworks.registry import Registry

DATED = DATA / "left-out" / "dated"
PERIOD = ("--from", "2026-11-01", "--to", "2026-11-15")
FIRST, LAST = dt.date(2026, 11, 1), dt.date(2026, 11, 15)
POOR = "QA204 'poor' is not a rating on this framework's scale for 'practice_standards.planning' (Planning)."
LEFT_OUT = {
    "CFA-2026-0298": f"  - {{src}}/CFA-2026-0298.yaml:24:13: {POOR} (and 1 more error)",
    "CFA-2026-0312": f"  - {{src}}/CFA-2026-0312.yaml:24:13: {POOR} (and 1 more error)",
    "CFA-2026-0314": "  - {src}/CFA-2026-0314.yaml:13:14: QA207 'review_date' is not a valid date: "
    "'3rd of November'. (and 2 more errors)",
}
ASIDE = {
    "CFA-2026-0298": [LEFT_OUT["CFA-2026-0298"], "    It is dated 2026-10-06, before the period."],
    "CFA-2026-0330": [
        f"  - {{src}}/CFA-2026-0330.yaml:24:13: {POOR} (and 1 more error)",
        "    It is dated 2026-11-20, after the period.",
    ],
    "FB-L-2025-001": [
        "  - {src}/FB-L-2025-001.yaml:11:9: QA205 'superb' is not an allowed value for 'rating' (Rating).",
        "    It is dated 2025-12-02, before the period.",
    ],
}
FIX = "(`qaimpact validate` shows every problem):"


def _names(checks: list[Any]) -> list[str]:
    return [Path(c.path).stem for c in checks]


@pytest.mark.parametrize(
    ("period", "earlier", "left_out", "set_aside"),
    [
        pytest.param(
            (FIRST, LAST),
            True,
            ["CFA-2026-0298", "CFA-2026-0312", "CFA-2026-0314"],
            ["CFA-2026-0330", "FB-L-2025-001"],
            id="reads-earlier-audits",
        ),
        pytest.param(
            (FIRST, LAST),
            False,
            ["CFA-2026-0312", "CFA-2026-0314"],
            ["CFA-2026-0298", "CFA-2026-0330", "FB-L-2025-001"],
            id="reads-no-earlier-audit",
        ),
        pytest.param(
            (None, LAST),
            False,
            ["CFA-2026-0298", "CFA-2026-0312", "CFA-2026-0314", "FB-L-2025-001"],
            ["CFA-2026-0330"],
            id="to-only",
        ),
        pytest.param(
            (None, None),
            True,
            ["CFA-2026-0298", "CFA-2026-0312", "CFA-2026-0314", "CFA-2026-0330", "FB-L-2025-001"],
            [],
            id="no-period",
        ),
    ],
)
def test_a_period_sets_aside_the_files_with_errors_it_does_not_depend_on(
    registry: Registry,
    period: tuple[dt.date | None, dt.date | None],
    earlier: bool,
    left_out: list[str],
    set_aside: list[str],
) -> None:
    dataset = load_dataset(
        [DATED],
        registry,
        CheckOptions(today=TODAY),
        date_from=period[0],
        date_to=period[1],
        earlier=earlier,
        jobs=1,
    )
    assert (_names(dataset.invalid), _names(dataset.set_aside)) == (left_out, set_aside)
    assert [Path(r.path).stem for r in dataset.records] == ["CFA-2026-0311"]


def test_the_date_of_a_file_with_errors_is_read_only_where_no_error_is_about_it(registry: Registry) -> None:
    dataset = load_dataset([DATED], registry, CheckOptions(today=TODAY), jobs=1)
    assert {Path(c.path).stem: c.dated for c in dataset.invalid} == {
        "CFA-2026-0298": dt.date(2026, 10, 6),
        "CFA-2026-0312": dt.date(2026, 11, 3),
        # '3rd of November' is not a date: the audit may be of any day, the period's among them.
        "CFA-2026-0314": None,
        "CFA-2026-0330": dt.date(2026, 11, 20),
        "FB-L-2025-001": dt.date(2025, 12, 2),
    }


def _said(files: str, verb: str, it: str) -> str:
    return (
        f"error: {files} {verb} left out of this report because {'it has' if it == 'it' else 'they have'} "
        f"errors; fix {it} and run the report again {FIX}"
    )


EARLIER_STDERR = [
    _said("3 audit files", "were", "them"),
    LEFT_OUT["CFA-2026-0298"],
    LEFT_OUT["CFA-2026-0312"],
    LEFT_OUT["CFA-2026-0314"],
    "error: 1 audit file and 1 record file have errors but are dated outside this report's period, so they "
    f"would not be counted even if valid; fix them all the same {FIX}",
    *ASIDE["CFA-2026-0330"],
    *ASIDE["FB-L-2025-001"],
]
NO_EARLIER_STDERR = [
    _said("2 audit files", "were", "them"),
    LEFT_OUT["CFA-2026-0312"],
    LEFT_OUT["CFA-2026-0314"],
    "error: 2 audit files and 1 record file have errors but are dated outside this report's period, so they "
    f"would not be counted even if valid; fix them all the same {FIX}",
    *ASIDE["CFA-2026-0298"],
    *ASIDE["CFA-2026-0330"],
    *ASIDE["FB-L-2025-001"],
]


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        pytest.param(["summary"], EARLIER_STDERR, id="summary"),
        pytest.param(["escalations"], EARLIER_STDERR, id="escalations"),
        pytest.param(["actions"], EARLIER_STDERR, id="actions"),
        pytest.param(["moderation"], NO_EARLIER_STDERR, id="moderation"),
    ],
)
def test_standard_error_says_apart_the_files_dated_outside_the_period(
    cli: Any, args: list[str], stderr: list[str]
) -> None:
    # Every file with errors was "left out of this report", whatever its date.
    run = cli(*args, "--audits", DATED, *PERIOD, "--today", TODAY.isoformat(), "-f", "md", expect=1)
    assert run.stderr.splitlines() == [line.format(src=DATED) for line in stderr]


def test_the_learning_log_sets_aside_the_audits_before_its_period(cli: Any) -> None:
    run = cli(
        "report",
        "--fca",
        "Priya Natarajan",
        "--audits",
        DATED,
        *PERIOD,
        "--today",
        TODAY.isoformat(),
        expect=1,
    )
    assert run.stderr.splitlines() == [line.format(src=DATED) for line in NO_EARLIER_STDERR]


ASIDE_WORDS = "{files} dated outside the period (not counted, valid or not; validating them shows why)"
EARLIER_ASIDE = ASIDE_WORDS.format(files="1 invalid audit file and 1 invalid record file")


@pytest.mark.parametrize(
    ("command", "output_format", "line"),
    [
        pytest.param(
            "summary",
            "md",
            "- Audits: **1** valid from `{src}`; 3 invalid audit files left out (listed below); "
            + EARLIER_ASIDE,
            id="summary-md",
        ),
        pytest.param(
            "summary",
            "html",
            "<p>Audits: <strong>1</strong> valid audit from <code>{src}</code>; 3 invalid audit files left "
            f"out (listed below); {EARLIER_ASIDE}.</p>",
            id="summary-html",
        ),
        pytest.param(
            "escalations",
            "md",
            "- Audits read from `{src}`; 3 invalid audit files left out (validating them shows why); "
            f"{EARLIER_ASIDE}.",
            id="escalations-md",
        ),
        pytest.param(
            "actions",
            "md",
            "- Audits read from `{src}`: 1 valid audit reviewed from 2026-11-01 to 2026-11-15; **3 invalid "
            "audit files left out**, with any actions they hold (validating them shows why; an action marked "
            f"done needs `closed_on` and `evidence`); {EARLIER_ASIDE}.",
            id="actions-md",
        ),
        pytest.param(
            "moderation",
            "md",
            "- Period: audits reviewed from 2026-11-01 to 2026-11-15; 1 audit read from `{src}`; 2 invalid "
            "audit files left out (validating them shows why); "
            + ASIDE_WORDS.format(files="2 invalid audit files and 1 invalid record file")
            + ".",
            id="moderation-md",
        ),
        pytest.param(
            "moderation",
            "html",
            '<p>Period: audits reviewed from <span class="nowrap">2026-11-01</span> to '
            '<span class="nowrap">2026-11-15</span>; 1 audit read from <code>{src}</code>; 2 invalid audit '
            "files left out (validating them shows why); "
            + ASIDE_WORDS.format(files="2 invalid audit files and 1 invalid record file")
            + ".</p>",
            id="moderation-html",
        ),
    ],
)
def test_the_page_counts_apart_the_files_dated_outside_the_period(
    cli: Any, command: str, output_format: str, line: str
) -> None:
    run = cli(
        command, "--audits", DATED, *PERIOD, "--today", TODAY.isoformat(), "-f", output_format, expect=1
    )
    assert line.format(src=DATED) in run.stdout.splitlines()


@pytest.mark.parametrize(
    ("command", "counts"),
    [
        ("summary", (3, 3, 2, 1)),
        ("escalations", (3, 3, 2, 1)),
        ("actions", (3, 3, 2, 1)),
        ("moderation", (2, 2, 3, 2)),
    ],
)
def test_the_json_counts_apart_the_files_dated_outside_the_period(
    cli: Any, command: str, counts: tuple[int, int, int, int]
) -> None:
    run = cli(command, "--audits", DATED, *PERIOD, "--today", TODAY.isoformat(), "-f", "json", expect=1)
    out = json.loads(run.stdout)
    keys = ("invalid_count", "invalid_audits", "invalid_outside_period", "invalid_audits_outside_period")
    assert tuple(out[k] for k in keys) == counts


def test_the_quarterly_report_sets_aside_an_audit_after_its_quarter(cli: Any) -> None:
    run = cli(
        "quarterly",
        "--quarter",
        "2026-Q3",
        "--audits",
        DATED,
        "--today",
        TODAY.isoformat(),
        "-f",
        "json",
        expect=1,
    )
    out = json.loads(run.stdout)
    # The quarter ends on 2026-09-30: the three audits dated after it are set aside. The report reads
    # every file before it (what is carried in): the record of 2025 stays left out, as does the
    # audit whose date cannot be read.
    keys = ("invalid_count", "invalid_audits", "invalid_outside_period", "invalid_audits_outside_period")
    assert tuple(out[k] for k in keys) == (2, 1, 3, 3)


@pytest.mark.parametrize("command", ["summary", "escalations", "actions", "moderation"])
def test_a_file_set_aside_still_makes_the_report_exit_1(cli: Any, command: str, tmp_path: Path) -> None:
    # The period's figures do not depend on it, but it has errors: CI must not pass it over.
    shutil.copy(DATED / "CFA-2026-0311.yaml", tmp_path / "CFA-2026-0311.yaml")
    shutil.copy(DATED / "CFA-2026-0330.yaml", tmp_path / "CFA-2026-0330.yaml")
    run = cli(command, "--audits", tmp_path, *PERIOD, "--today", TODAY.isoformat(), "-f", "md", expect=1)
    assert "left out" not in run.stdout
    assert run.stderr.splitlines()[0] == (
        "error: 1 audit file has errors but is dated outside this report's period, so it would not be "
        f"counted even if valid; fix it all the same {FIX}"
    )


def test_an_escalation_certain_of_an_audit_set_aside_is_still_said(cli: Any, tmp_path: Path) -> None:
    # Safety signals never miss: even --fail-on never exits 1, and the escalation is said.
    shutil.copy(DATED / "CFA-2026-0311.yaml", tmp_path / "CFA-2026-0311.yaml")
    shutil.copy(DATA / "ahead" / "recorded-inadequate.yaml", tmp_path / "recorded-inadequate.yaml")
    run = cli(
        "escalations",
        "--audits",
        tmp_path,
        "--from",
        "2026-10-01",
        "--to",
        "2026-10-31",
        "--fail-on",
        "never",
        "--today",
        TODAY.isoformat(),
        expect=1,
    )
    assert run.stderr.splitlines() == [
        "error: 1 audit file has errors but is dated outside this report's period, so it would not be "
        f"counted even if valid; fix it all the same {FIX}",
        f"  - {tmp_path}/recorded-inadequate.yaml:9:8: QA208 'case.team' (Team) is empty.",
        "    It is dated 2026-11-03, after the period.",
        "    It must be escalated all the same: Case escalation to Case responsible worker, Team manager and "
        "Head of Service: the auditor recorded Inadequate; the ratings give Requires improvement to be good.",
    ]


def test_a_copy_of_an_audit_dated_outside_the_period_is_set_aside(cli: Any, tmp_path: Path) -> None:
    # Two files hold CFA-2026-0311; the one not counted (QA704) is dated after the period.
    shutil.copy(DATED / "CFA-2026-0311.yaml", tmp_path / "CFA-2026-0311.yaml")
    text = (DATED / "CFA-2026-0311.yaml").read_text(encoding="utf-8")
    later = text.replace("review_date: 2026-11-03", "review_date: 2026-11-20")
    (tmp_path / "copy.yaml").write_text(later, encoding="utf-8")
    run = cli(
        "moderation", "--audits", tmp_path, *PERIOD, "--today", TODAY.isoformat(), "-f", "json", expect=1
    )
    out = json.loads(run.stdout)
    assert (out["invalid_count"], out["invalid_outside_period"]) == (0, 1)


def test_a_copy_of_a_record_left_out_is_called_a_record(cli: Any, tmp_path: Path) -> None:
    # Of two files holding one feedback record, the copy left out was "1 invalid audit file".
    shutil.copy(DATED / "CFA-2026-0311.yaml", tmp_path / "CFA-2026-0311.yaml")
    record = EXAMPLES / "service" / "records" / "ccc" / "FB-L-2025-007.yaml"
    shutil.copy(record, tmp_path / "FB-L-2025-007.yaml")
    shutil.copy(record, tmp_path / "FB-L-2025-007-copy.yaml")
    run = cli("summary", "--audits", tmp_path, "--today", TODAY.isoformat(), "-f", "json", expect=1)
    out = json.loads(run.stdout)
    assert (out["invalid_count"], out["invalid_audits"]) == (1, 0)
    assert run.stderr.splitlines()[0] == _said("1 record file", "was", "it")


COPY = DATA / "left-out" / "copy"


@pytest.mark.parametrize(
    ("redact", "lines"),
    [
        pytest.param(
            False,
            [
                "  - {src}/CFA-2026-0311-copy.yaml:24:13: " + POOR + " (and 1 more error)",
                "    Its audit_id is also that of {src}/CFA-2026-0311.yaml, which is counted: if the two "
                "files hold one audit, keep the one that is right and delete the other; if this is another "
                "audit, give it its own audit_id.",
            ],
            id="named",
        ),
        pytest.param(
            True,
            [
                "  - invalid file 1 (name withheld), line 24, column 13: QA204 A rating that "
                "is not on the framework's scale. (and 1 more error)",
                "    Its audit_id is also that of another file, which is counted: if the two files hold one "
                "audit, keep the one that is right and delete the other; if this is another audit, give it "
                "its own audit_id.",
            ],
            id="redacted",
        ),
    ],
)
def test_an_invalid_copy_of_an_audit_counted_says_so(cli: Any, redact: bool, lines: list[str]) -> None:
    # An audit with errors beside a valid file of the same audit_id (written in small letters) is
    # still left out, as it may say another grade, and the report exits 1; but it is said to be a
    # copy of an audit counted, not an audit missing from the figures.
    args = ["--redact"] if redact else []
    run = cli("summary", "--audits", COPY, *args, "--today", TODAY.isoformat(), "-f", "json", expect=1)
    assert run.stderr.splitlines() == [
        _said("1 audit file", "was", "it"),
        *(line.format(src=COPY) for line in lines),
    ]
    assert json.loads(run.stdout)["audits"] == 1

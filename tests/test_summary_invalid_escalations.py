"""The summary's escalations count the invalid audits that must be escalated all the same.

An audit with errors whose escalation is certain whatever its errors (``AuditCheck.ahead``) was
named by the escalations report and on standard error, but the quarterly summary (and so the
quarterly QA report) counted only valid audits: a board reading its escalations did not see that
children's cases must be escalated though their audits have errors. The summary's escalation
section now says how many, beside (never in) the escalations needed and, for the QA team, lists
each file with the escalations it needs; under ``--redact`` the files are withheld, under
``--publish`` only the count is given, through the ledger (``<5`` from 1 to 4).

Data: ``tests/data/ahead`` holds three invalid audits, two of them certain to need escalating;
``tests/data/ahead-more`` three more that are; ``tests/data/cycle/escalations`` five valid
audits, four needing escalation.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from conftest import DATA, TODAY, Run
from disclosure_check import pinned_in_ledger
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.frameworks.registry import Registry
from qaimpact.privacy.disclosure import Figures
from qaimpact.privacy.redaction import Redactor
from qaimpact.reports import schemas
from qaimpact.reports.summary import quarterly_summary

AHEAD = DATA / "ahead"
MORE = DATA / "ahead-more"
VALID = DATA / "cycle" / "escalations"
CASE = "Case escalation to Case responsible worker, Team manager and Head of Service: "
RATED = CASE + "the ratings give Inadequate."
RECORDED = CASE + "the auditor recorded Inadequate; the ratings give Requires improvement to be good."
WITHHELD = "invalid file {} (name withheld)"

#: The two invalid audits of tests/data/ahead that must be escalated, as the QA team's report lists them.
LISTED = [
    {"file": str(AHEAD / "rated-inadequate-rating-missing.yaml"), "escalations": [RATED]},
    {"file": str(AHEAD / "recorded-inadequate.yaml"), "escalations": [RECORDED]},
]
#: The same, redacted: not-sure.yaml is the first invalid file read.
LISTED_REDACTED = [
    {"file": WITHHELD.format(2), "escalations": [RATED]},
    {"file": WITHHELD.format(3), "escalations": [RECORDED]},
]

WHY = (
    "they have errors, so they are left out of the figures, but what each already says calls for an "
    "escalation whatever the errors turn out to be."
)
#: The QA team's own report of tests/data/ahead (with the valid audits), in Markdown.
MD_OWN = (
    "**2 invalid audits must be escalated all the same** (not counted above): " + WHY + " Whether the "
    "other invalid audit file needs escalating is not known until it is fixed. Escalate now, and put "
    "the errors right.\n\n"
    "- `{}`: " + RATED + "\n"
    "- `{}`: " + RECORDED + "\n\n"
)
PUBLISHED_TAIL = (
    " Whether any other invalid audit needs escalating is not known until it is fixed. The QA team's "
    "own report lists them."
)

MD = {
    "own": MD_OWN.format(AHEAD / "rated-inadequate-rating-missing.yaml", AHEAD / "recorded-inadequate.yaml"),
    "redacted": MD_OWN.format(WITHHELD.format(2), WITHHELD.format(3)),
    "published": "**Fewer than 5 invalid audits (\\<5) must be escalated all the same** (not counted above): "
    + WHY
    + PUBLISHED_TAIL
    + "\n\n",
}
HTML_OWN = (
    '<p><span class="flag">2 invalid audits must be escalated all the same</span> (not counted above): '
    + WHY
    + " Whether the other invalid audit file needs escalating is not known until it is fixed. Escalate "
    "now, and put the errors right.</p>\n<ul>\n"
    "  <li><code>{}</code>: " + RATED + "</li>\n"
    "  <li><code>{}</code>: " + RECORDED + "</li>\n</ul>\n"
)
HTML = {
    "own": HTML_OWN.format(
        AHEAD / "rated-inadequate-rating-missing.yaml", AHEAD / "recorded-inadequate.yaml"
    ),
    "redacted": HTML_OWN.format(WITHHELD.format(2), WITHHELD.format(3)),
    "published": '<p><span class="flag">Fewer than 5 invalid audits (&lt;5) must be escalated all the same'
    "</span> (not counted above): " + WHY + PUBLISHED_TAIL + "</p>\n<table>",
}
FLAGS = {"own": [], "redacted": ["--redact"], "published": ["--publish"]}


def _run(cli: Callable[..., Run], *args: Any, audits: tuple[Path, ...] = (AHEAD, VALID)) -> Run:
    folders = [x for folder in audits for x in ("--audits", folder)]
    # Invalid audits left out: exit 1, as every report that leaves one out.
    return cli(*args, *folders, "--today", TODAY.isoformat(), expect=1)


def _escalations(cli: Callable[..., Run], *args: Any, audits: tuple[Path, ...] = (AHEAD, VALID)) -> Any:
    return json.loads(_run(cli, *args, "-f", "json", audits=audits).stdout)["cycle"]["escalations"]


@pytest.mark.parametrize("who", sorted(MD))
@pytest.mark.parametrize("command", [["summary"], ["quarterly", "--quarter", "2026-Q4"]], ids=" ".join)
def test_the_markdown_says_how_many_beside_the_escalations_needed(
    cli: Callable[..., Run], command: list[str], who: str
) -> None:
    out = _run(cli, *command, *FLAGS[who]).stdout
    section = out[out.index("### Escalations\n") :]
    # The valid audits' escalations come first and are not changed by the invalid ones.
    needed = section.split("\n\n")[1]
    if command == ["summary"]:
        assert needed.startswith(
            "Fewer than 5 audits (\\<5) needed escalating"
            if who == "published"
            else "4 audits needed escalating"
        )
    assert needed.endswith("The escalations report lists them with due dates.")
    start = section.index("\n\n", section.index(needed)) + 2
    assert section[start : start + len(MD[who])] == MD[who]


@pytest.mark.parametrize("who", sorted(HTML))
def test_the_html_says_how_many_beside_the_escalations_needed(cli: Callable[..., Run], who: str) -> None:
    out = _run(cli, "summary", "-f", "html", *FLAGS[who]).stdout
    section = out[out.index("<h3>Escalations</h3>") :]
    assert section.split("</p>\n", 1)[1][: len(HTML[who])] == HTML[who], (
        "the invalid audits' paragraph follows the escalations needed"
    )


@pytest.mark.parametrize(
    ("flags", "audits", "needed", "listed"),
    [
        ([], (AHEAD, VALID), {"n": 2, "text": "2"}, LISTED),
        (["--redact"], (AHEAD, VALID), {"n": 2, "text": "2"}, LISTED_REDACTED),
        (["--publish"], (AHEAD, VALID), {"n": None, "text": "<5"}, []),
        (["--publish"], (AHEAD, MORE, VALID), {"n": 5, "text": "5"}, []),
        ([], (AHEAD,), {"n": 2, "text": "2"}, LISTED),
    ],
    ids=["own", "redacted", "published-small", "published-five", "no-valid-audit"],
)
def test_the_json_counts_them_and_lists_them_for_the_qa_team(
    cli: Callable[..., Run],
    flags: list[str],
    audits: tuple[Path, ...],
    needed: dict[str, Any],
    listed: list[dict[str, Any]],
) -> None:
    for command in (["summary"], ["quarterly", "--quarter", "2026-Q4"]):
        run = _run(cli, *command, *flags, "-f", "json", audits=audits)
        view = json.loads(run.stdout)
        shown = view["cycle"]["escalations"]
        assert (shown["invalid_needed"], shown["invalid_escalations"]) == (needed, listed), command
        validator = Draft202012Validator(schemas.load(view["kind"]), format_checker=FormatChecker())
        assert [e.message for e in validator.iter_errors(view)] == [], command
    # The fields came in 1.8; a later minor version keeps them.
    assert tuple(map(int, view["schema_version"].split("."))) >= (1, 8)


def test_they_are_not_counted_in_the_escalations_needed(cli: Callable[..., Run]) -> None:
    with_invalid = _escalations(cli, "summary")
    valid_only = json.loads(
        cli("summary", "--audits", VALID, "--today", TODAY.isoformat(), "-f", "json").stdout
    )["cycle"]["escalations"]
    assert with_invalid["needed"] == valid_only["needed"] == {"n": 4, "text": "4"}
    assert valid_only["invalid_needed"] == {"n": 0, "text": "0"}
    assert valid_only["invalid_escalations"] == []


def test_the_published_markdown_with_five_gives_the_count(cli: Callable[..., Run]) -> None:
    out = _run(cli, "summary", "--publish", audits=(AHEAD, MORE, VALID)).stdout
    assert (
        "\n\n**5 invalid audits must be escalated all the same** (not counted above): "
        + WHY
        + PUBLISHED_TAIL
        + "\n\n"
    ) in out
    assert "withheld" not in out
    assert ".yaml" not in out


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (
            [],
            "1 invalid audit file was left out of the figures: whether it needs escalating is not known "
            "until it is fixed.",
        ),
        (
            ["--publish"],
            # Published, not how many: "One or more", never "1" or "it".
            "One or more invalid audit files were left out of the figures: whether they need escalating "
            "is not known until they are fixed.",
        ),
    ],
    ids=["own", "published"],
)
def test_an_invalid_audit_not_certain_to_need_escalating_is_said_to_be_unknown(
    cli: Callable[..., Run], flags: list[str], expected: str
) -> None:
    out = _run(cli, "summary", *flags, audits=(AHEAD / "not-sure.yaml", VALID)).stdout
    section = out[out.index("### Escalations\n") :]
    assert section.split("\n\n")[2] == expected
    assert "must be escalated all the same" not in out


@pytest.mark.parametrize("who", ["own", "published"])
def test_the_workbook_counts_and_lists_them(cli: Callable[..., Run], tmp_path: Path, who: str) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "summary.xlsx"
    _run(cli, "summary", *FLAGS[who], "-o", book)
    sheets = openpyxl.load_workbook(io.BytesIO(book.read_bytes()))
    figures = [tuple(row) for row in sheets["Escalations"].iter_rows(values_only=True)]
    assert ("Escalations needed", "<5" if who == "published" else 4) in figures
    row = "Invalid audits to escalate all the same (not in those needed)"
    assert (row, "<5" if who == "published" else 2) in figures
    if who == "published":
        assert "Invalid audits to escalate" not in sheets.sheetnames
    else:
        assert [tuple(row) for row in sheets["Invalid audits to escalate"].iter_rows(values_only=True)] == [
            ("File", "Escalation"),
            (str(AHEAD / "rated-inadequate-rating-missing.yaml"), RATED),
            (str(AHEAD / "recorded-inadequate.yaml"), RECORDED),
        ]


#: What each invalid file (withheld, in the order read) certainly needs.
NEEDS = {2: RATED, 3: RECORDED, 4: RATED, 5: RECORDED, 6: RECORDED}


@pytest.mark.parametrize("publish", [False, True], ids=["own", "published"])
@pytest.mark.parametrize(
    ("audits", "certain"), [((AHEAD, MORE, VALID), 5), ((AHEAD, VALID), 2)], ids=["5", "2"]
)
def test_through_the_functions_redacted_or_published(
    registry: Registry, publish: bool, audits: tuple[Path, ...], certain: int
) -> None:
    dataset = load_dataset(list(audits), registry, CheckOptions(today=TODAY))
    # Redacted as the command redacts it: the files withheld, what each needs kept.
    shown = Redactor([*dataset.records, *dataset.outside], kinds=dataset.kinds).dataset(dataset)
    figures = Figures(publish=publish)
    section = quarterly_summary(shown, today=TODAY, figures=figures)["cycle"]["escalations"]
    small = publish and certain < 5
    assert section["invalid_needed"] == {
        "n": None if small else certain,
        "text": "<5" if small else str(certain),
    }
    assert section["needed"]["n"] == (None if publish else 4)
    assert section["invalid_escalations"] == (
        []
        if publish
        else [{"file": WITHHELD.format(n), "escalations": [NEEDS[n]]} for n in range(2, 2 + certain)]
    )
    # Published, no count from 1 to 4 can be worked out (the QA team's own report shows them all).
    assert not publish or pinned_in_ledger(figures) == []

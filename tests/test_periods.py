"""Every report can be asked for a quarter, and states the period it covers (issue 17, section 1).

``report --fca`` (the learning log), ``escalations``, ``actions``, ``moderation`` and ``impact``
take ``--quarter`` and ``--year-start`` as ``summary`` does (:func:`qaimpact.cli.options.resolve_period`),
and each states the period it was asked for, in Markdown, HTML and JSON: the quarter as the summary
shows it with its first and last day, or the ``--from``/``--to`` dates given.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from conftest import EXAMPLES, TODAY
from qaimpact.audits.quarters import Quarters
from qaimpact.audits.records import quarter_of
from qaimpact.base.errors import UsageError
from qaimpact.cycle.common import period_phrase, period_view

SERVICE = EXAMPLES / "service"
APRIL = Quarters(4)

#: Each command that reads a period, with what it needs to run over examples/service.
COMMANDS: dict[str, tuple[str, ...]] = {
    "learning-log": ("report", "--fca", "Aisha Bello"),
    "escalations": ("escalations", "--fail-on", "never"),
    "actions": ("actions",),
    "moderation": ("moderation",),
    "impact": ("impact",),
}
FINANCIAL_Q2 = ("--year-start", "april", "--quarter", "2026-27-Q2")
LABEL_Q2 = "2026-27 Q2 (Jul-Sep 2026)"


def _run(cli: Any, command: str, *args: str, fmt: str = "md", expect: int = 0) -> Any:
    return cli(
        *COMMANDS[command], "--audits", SERVICE, "--today", TODAY.isoformat(), *args, "-f", fmt, expect=expect
    )


def _json(cli: Any, command: str, *args: str) -> dict[str, Any]:
    view: dict[str, Any] = json.loads(_run(cli, command, *args, fmt="json").stdout)
    return view


# -- the period stated, in each format ------------------------------------------------------------

#: The line of each report's Markdown that states the financial quarter 2026-27 Q2.
QUARTER_LINES = {
    "learning-log": f"Period: audits reviewed in {LABEL_Q2}, 2026-07-01 to 2026-09-30.",
    "escalations": f"- Period: audits reviewed in {LABEL_Q2}, 2026-07-01 to 2026-09-30.",
    "actions": f"- Audits read from `{SERVICE}`: 24 valid audits reviewed in {LABEL_Q2}, 2026-07-01 to "
    "2026-09-30 (72 outside the period).",
    "moderation": f"- Period: audits reviewed in {LABEL_Q2}, 2026-07-01 to 2026-09-30; 24 audits read from "
    f"`{SERVICE}`.",
    "impact": f"- Period: cases re-audited in {LABEL_Q2}, 2026-07-01 to 2026-09-30, each as it stood on "
    "2026-09-30; 6 cases re-audited outside the period not shown.",
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_financial_quarter_is_stated_in_markdown(cli: Any, command: str) -> None:
    lines = _run(cli, command, *FINANCIAL_Q2).stdout.splitlines()
    assert QUARTER_LINES[command] in lines


@pytest.mark.parametrize("command", COMMANDS)
def test_a_financial_quarter_is_stated_in_json(cli: Any, command: str) -> None:
    view = _json(cli, command, *FINANCIAL_Q2)
    assert view["period"] == {"from": "2026-07-01", "to": "2026-09-30", "quarter": LABEL_Q2}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_quarter_is_stated_in_html(cli: Any, command: str) -> None:
    html = _run(cli, command, "--quarter", "2026-Q3", fmt="html").stdout
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())
    phrase = "re-audited" if command == "impact" else "reviewed"
    if command == "moderation":
        assert "<title>Moderation, 2026-Q3</title>" in html
        assert "Period: audits reviewed in 2026-Q3, 2026-07-01 to 2026-09-30; 24 audits read from" in text
    else:
        assert f"{phrase} in 2026-Q3, 2026-07-01 to 2026-09-30" in text


#: The dates given with --from/--to, as each report's Markdown states them.
DATES_LINES = {
    "learning-log": "Period: audits reviewed from 2026-04-01 to 2026-06-30.",
    "escalations": "- Period: audits reviewed from 2026-04-01 to 2026-06-30.",
    "actions": f"- Audits read from `{SERVICE}`: 24 valid audits reviewed from 2026-04-01 to 2026-06-30 "
    "(72 outside the period).",
    "moderation": "- Period: audits reviewed from 2026-04-01 to 2026-06-30; 24 audits read from "
    f"`{SERVICE}`.",
    "impact": "- Period: cases re-audited from 2026-04-01 to 2026-06-30, each as it stood on 2026-06-30; "
    "4 cases re-audited outside the period not shown.",
}


@pytest.mark.parametrize("command", COMMANDS)
def test_the_dates_given_are_stated(cli: Any, command: str) -> None:
    dates = ("--from", "2026-04-01", "--to", "2026-06-30")
    assert DATES_LINES[command] in _run(cli, command, *dates).stdout.splitlines()
    assert _json(cli, command, *dates)["period"] == {
        "from": "2026-04-01",
        "to": "2026-06-30",
        "quarter": None,
    }


@pytest.mark.parametrize("command", ["learning-log", "escalations", "actions", "impact"])
def test_no_period_asked_for_states_none(cli: Any, command: str) -> None:
    out = _run(cli, command).stdout
    assert "reviewed in" not in out
    assert "reviewed from" not in out
    assert "Period:" not in out
    assert _json(cli, command)["period"] == {"from": None, "to": None, "quarter": None}


def test_moderation_without_a_period_states_none(cli: Any) -> None:
    """As the other reports do: not the first and last review dates, which read as asked for."""
    assert _json(cli, "moderation")["period"] == {"from": None, "to": None, "quarter": None}
    assert f"- Period: all dates; 96 audits read from `{SERVICE}`." in _run(cli, "moderation").stdout


def test_moderation_from_a_date_leaves_the_end_open(cli: Any) -> None:
    """--from alone: the end is not the last audit found (2026-09-29), which reads as asked for."""
    assert _json(cli, "moderation", "--from", "2026-04-01")["period"] == {
        "from": "2026-04-01",
        "to": None,
        "quarter": None,
    }
    lines = _run(cli, "moderation", "--from", "2026-04-01").stdout.splitlines()
    assert f"- Period: audits reviewed from 2026-04-01; 48 audits read from `{SERVICE}`." in lines


# -- the audits a quarter reads -----------------------------------------------------------------------


def _dates(command: str, view: dict[str, Any]) -> list[str]:
    """The review dates of the audits each report lists (for impact, each case's latest)."""
    if command == "learning-log":
        return [a["date"] for section in view["frameworks"] for a in section["audits"]]
    if command == "escalations":
        # The escalations carried in (of earlier audits, open when the period began) apart, too.
        return [e["review_date"] for e in view["escalations"] if not e["carried_in"]]
    if command == "actions":
        # The actions carried in (agreed earlier, open when the period began) are checked apart.
        return [a["review_date"] for a in view["actions"] if not a["carried_in"]]
    if command == "moderation":
        return [p["review_date"] for p in view["pairs"]]
    # A case re-audited in the period, as it stood at its end: its latest re-audit is in it.
    return [case["audits"][-1]["review_date"] for case in view["cases"]]


#: What the financial quarter 2026-27 Q1 (April to June 2026) holds of examples/service, and what the
#: calendar quarter 2026-Q1 (January to March) holds: a financial Q1 is not January to March.
COUNTS = {
    "learning-log": (lambda v: v["audits"], 2, 1),
    "escalations": (lambda v: (v["audits"], v["totals"]["needed"]["n"]), (24, 1), (24, 2)),
    # Read: the quarter's own actions and those carried in (6 and 4; 7 and 4).
    "actions": (lambda v: (v["audits"], v["outside_period"], v["read"]), (24, 72, 10), (24, 72, 11)),
    "moderation": (lambda v: (v["totals"]["audits"]["n"], v["totals"]["pairs"]["n"]), (24, 5), (24, 7)),
    "impact": (lambda v: (len(v["cases"]), v["reaudits"], v["outside_period"]), (5, 6, 4), (2, 2, 7)),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_financial_quarter_reads_april_to_june(cli: Any, command: str) -> None:
    counted, financial, calendar = COUNTS[command]
    view = _json(cli, command, "--year-start", "april", "--quarter", "2026-27-Q1")
    assert counted(view) == financial
    assert counted(_json(cli, command, "--quarter", "2026-Q1")) == calendar
    dates = _dates(command, view)
    assert dates
    assert all("2026-04-01" <= d <= "2026-06-30" for d in dates)
    if command == "actions":
        assert all(a["review_date"] < "2026-04-01" for a in view["actions"] if a["carried_in"])
    if command == "escalations":
        assert all(e["review_date"] < "2026-04-01" for e in view["escalations"] if e["carried_in"])
    # The quarter reads exactly its dates: the same report, but for the quarter it names.
    # (--year-start only for the learning log, the one of these that shows each audit's quarter.)
    year = ("--year-start", "april") if command == "learning-log" else ()
    by_dates = _json(cli, command, *year, "--from", "2026-04-01", "--to", "2026-06-30")
    by_dates["period"]["quarter"] = "2026-27 Q1 (Apr-Jun 2026)"
    assert view == by_dates


def test_the_learning_log_names_each_audit_by_the_services_quarter(cli: Any) -> None:
    view = _json(cli, "learning-log", "--year-start", "april")
    quarters = [a["quarter"] for section in view["frameworks"] for a in section["audits"]]
    # Each audit's quarter is written as the period line writes the quarter asked for.
    assert quarters == [
        "2025-26 Q3 (Oct-Dec 2025)",
        "2025-26 Q3 (Oct-Dec 2025)",
        "2025-26 Q4 (Jan-Mar 2026)",
        "2026-27 Q1 (Apr-Jun 2026)",
        "2026-27 Q1 (Apr-Jun 2026)",
        "2026-27 Q2 (Jul-Sep 2026)",
    ]
    calendar = _json(cli, "learning-log")
    assert next(a["quarter"] for s in calendar["frameworks"] for a in s["audits"]) == "2025-Q4"


# -- refused ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("dates", [("--from", "2026-07-01"), ("--to", "2026-09-30")])
def test_a_quarter_with_dates_is_refused(cli: Any, command: str, dates: tuple[str, str]) -> None:
    run = _run(cli, command, "--quarter", "2026-Q3", *dates, expect=2)
    assert run.stdout == ""
    assert run.stderr == (
        "error: Give either --quarter or --from/--to, not both: --quarter already sets the first and last "
        "day.\n"
    )


@pytest.mark.parametrize("command", [*COMMANDS, "summary"])
def test_from_after_to_is_refused_with_how_to_put_it_right(cli: Any, command: str) -> None:
    args = (*COMMANDS.get(command, ("summary",)), "--audits", SERVICE, "--today", TODAY.isoformat())
    run = cli(*args, "--from", "2026-10-01", "--to", "2026-01-01", expect=2)
    assert run.stdout == ""
    assert run.stderr == (
        "error: --from 2026-10-01 is after --to 2026-01-01, so no day is in the period: swap the two "
        "dates, or correct the one that is wrong.\n"
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_a_quarter_not_started_is_refused(cli: Any, command: str) -> None:
    run = _run(cli, command, "--year-start", "april", "--quarter", "2026-27-Q4", expect=2)
    assert run.stdout == ""
    assert run.stderr == (
        "error: --quarter 2026-27-Q4 has not started yet: it starts on 2027-01-01, after today (2026-11-22). "
        "Give a quarter that has started, such as this one, 2026-27-Q3.\n"
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_a_quarter_written_for_another_year_is_refused(cli: Any, command: str) -> None:
    run = _run(cli, command, "--quarter", "2026-27-Q2", expect=2)
    assert run.stderr.startswith("error: --quarter '2026-27-Q2' names a financial year, but with a year ")


@pytest.mark.parametrize(
    ("options", "names", "verb"),
    [
        (("--quarter", "2026-Q3"), "--quarter", "chooses"),
        (("--from", "2026-07-01"), "--from", "chooses"),
        (("--to", "2026-09-30"), "--to", "chooses"),
        (("--year-start", "april"), "--year-start", "chooses"),
        (("--from", "2026-07-01", "--to", "2026-09-30"), "--from and --to", "choose"),
    ],
)
def test_a_period_for_one_audits_feedback_is_refused(
    cli: Any, options: tuple[str, ...], names: str, verb: str
) -> None:
    """Never ignored: the feedback would seem limited to a period it is not."""
    audit = sorted((SERVICE / "ccc").glob("*.yaml"))[0]
    run = cli("report", audit, *options, expect=2)
    assert run.stdout == ""
    assert run.stderr == (
        f"error: {names} {verb} the audits of a learning log, but '{audit}' is one audit, whose feedback "
        f"covers that audit only: leave {names} out, or give --fca NAME instead of the audit file for the "
        "practitioner's learning log of that period.\n"
    )


@pytest.mark.parametrize("command", ["escalations", "actions", "moderation", "impact"])
def test_a_year_start_without_a_quarter_is_refused_where_no_quarter_is_shown(cli: Any, command: str) -> None:
    run = _run(cli, command, "--year-start", "april", expect=2)
    assert run.stdout == ""
    assert run.stderr == (
        "error: --year-start only says how --quarter is read in this report, which shows no quarters: "
        "add --quarter (such as --quarter 2026-27-Q2 with --year-start april), or leave --year-start out.\n"
    )


def test_a_year_start_alone_names_the_learning_logs_quarters(cli: Any) -> None:
    """The learning log shows each audit's quarter, so --year-start alone is not refused there."""
    view = _json(cli, "learning-log", "--year-start", "april")
    assert view["period"] == {"from": None, "to": None, "quarter": None}


@pytest.mark.parametrize(
    ("args", "fmt", "line"),
    [
        (("--quarter", "2026-Q3"), "md", "1 audit on 2026-07-08.\n"),
        (("--quarter", "2026-Q3"), "html", '<p>1 audit on <span class="nowrap">2026-07-08</span>.</p>'),
        (("--from", "2026-05-01"), "md", "2 audits from 2026-05-21 to 2026-07-08.\n"),
    ],
)
def test_the_learning_log_says_on_for_audits_of_one_day(
    cli: Any, args: tuple[str, ...], fmt: str, line: str
) -> None:
    run = cli(
        "report",
        "--fca",
        "Tunde Adeyemi",
        "--audits",
        SERVICE,
        "--today",
        TODAY.isoformat(),
        *args,
        "-f",
        fmt,
    )
    assert line in run.stdout


def test_a_practitioner_without_audits_in_the_quarter_is_told_so(cli: Any) -> None:
    run = _run(cli, "learning-log", "--quarter", "2026-Q3", "--fca", "Aisha Belo", expect=2)
    assert run.stderr.startswith(
        "error: No audit of a practitioner named 'Aisha Belo' was found among the 24 valid audits reviewed "
        "in 2026-Q3, 2026-07-01 to 2026-09-30."
    )


def test_a_quarter_without_audits_is_told_so(cli: Any) -> None:
    run = _run(cli, "learning-log", "--quarter", "2025-Q3", expect=2)
    assert run.stderr == (
        "error: No valid audit was reviewed in 2025-Q3, 2025-07-01 to 2025-09-30, so there is no learning "
        "log of 'Aisha Bello' for it. Ask for a period that holds their audits (--quarter, --from/--to), or "
        "point --audits at the folder that holds them.\n"
    )


# -- the functions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "quarters", "quarter", "view", "phrase"),
    [
        (None, None, None, None, {"from": None, "to": None, "quarter": None}, ""),
        (
            "2026-04-01",
            None,
            None,
            None,
            {"from": "2026-04-01", "to": None, "quarter": None},
            "from 2026-04-01",
        ),
        (
            None,
            "2026-06-30",
            None,
            None,
            {"from": None, "to": "2026-06-30", "quarter": None},
            "up to 2026-06-30",
        ),
        (
            "2026-04-01",
            "2026-06-30",
            None,
            None,
            {"from": "2026-04-01", "to": "2026-06-30", "quarter": None},
            "from 2026-04-01 to 2026-06-30",
        ),
        (
            "2026-07-01",
            "2026-09-30",
            None,
            "2026-Q3",
            {"from": "2026-07-01", "to": "2026-09-30", "quarter": "2026-Q3"},
            "in 2026-Q3, 2026-07-01 to 2026-09-30",
        ),
        (
            "2026-07-01",
            "2026-09-30",
            APRIL,
            "2026-27-Q2",
            {"from": "2026-07-01", "to": "2026-09-30", "quarter": LABEL_Q2},
            f"in {LABEL_Q2}, 2026-07-01 to 2026-09-30",
        ),
    ],
)
def test_period_view_and_phrase(
    first: str | None,
    last: str | None,
    quarters: Quarters | None,
    quarter: str | None,
    view: dict[str, Any],
    phrase: str,
) -> None:
    made = period_view(
        dt.date.fromisoformat(first) if first else None,
        dt.date.fromisoformat(last) if last else None,
        quarters,
        quarter,
    )
    assert made == view
    assert period_phrase(made) == phrase


@pytest.fixture(scope="module")
def financial_q2() -> Any:
    """examples/service read for 2026-27 Q2, as the CLI reads it."""
    from qaimpact.cli.options import resolve_period
    from qaimpact.cli.outcome import read_audits

    period = resolve_period("april", "2026-27-Q2", None, None, today=TODAY)
    return period, read_audits([SERVICE], None, TODAY, period.date_from, period.date_to).dataset


def test_the_views_state_the_quarter_they_are_given(financial_q2: Any) -> None:
    from qaimpact.cycle import actions, escalations, impact, moderation
    from qaimpact.reports import learning_log

    period, dataset = financial_q2
    asked = {"from": "2026-07-01", "to": "2026-09-30", "quarter": LABEL_Q2}
    kw = {"quarters": period.quarters, "quarter": period.quarter}
    assert escalations.escalations_view(dataset, TODAY, **kw)["period"] == asked
    assert actions.actions_view(dataset, TODAY, **kw)["period"] == asked
    assert moderation.moderation_view(dataset, **kw)["period"] == asked
    dates = {"date_from": dataset.date_from, "date_to": dataset.date_to}
    assert impact.impact_view(dataset, TODAY, **dates, **kw)["period"] == asked
    log = learning_log.learning_log(
        dataset.records, "Aisha Bello", today=TODAY, period=asked, quarters=period.quarters
    )
    assert log["period"] == asked
    # One way of writing a quarter: each audit's is written as the period's.
    assert [a["quarter"] for s in log["frameworks"] for a in s["audits"]] == [LABEL_Q2]
    # Without a quarter, a view states the dates the dataset was read for.
    assert escalations.escalations_view(dataset, TODAY)["period"] == {**asked, "quarter": None}


def test_the_learning_log_without_a_period_states_none(financial_q2: Any) -> None:
    from qaimpact.reports import learning_log

    _, dataset = financial_q2
    log = learning_log.learning_log(dataset.records, "Aisha Bello", today=TODAY)
    assert log["period"] == {"from": None, "to": None, "quarter": None}
    with pytest.raises(UsageError) as caught:
        learning_log.select_practitioner(dataset.records, "Nobody Here", {"from": "2026-07-01", "to": None})
    assert "among the 24 valid audits reviewed from 2026-07-01." in str(caught.value)


# -- the re-audits of a period -----------------------------------------------------------------------


@pytest.mark.parametrize("quarter", ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
@pytest.mark.parametrize("report", ["summary", "quarterly"])
@pytest.mark.parametrize("privacy", [(), ("--redact",)])
def test_a_periods_re_audits_are_the_impact_reports(
    cli: Any, quarter: str, report: str, privacy: tuple[str, ...]
) -> None:
    """A case re-audited in the quarter counts, however old its earlier audit (issue 17): the
    summary and the quarterly report said "No audit is a re-audit" for 2026-Q3 of
    examples/service, where `impact --quarter 2026-Q3` lists 3 re-audited cases."""
    common = ("--audits", SERVICE, "--today", TODAY.isoformat(), "--quarter", quarter, "-f", "json")
    impact = json.loads(cli("impact", *common).stdout)
    view = json.loads(cli(report, *common, *privacy).stdout)["cycle"]["impact"]
    assert (view["cases"]["n"], view["reaudits"]["n"]) == (len(impact["cases"]), impact["reaudits"])
    assert view["problems"]["n"] == 0


def test_the_third_quarter_has_three_re_audited_cases(cli: Any) -> None:
    common = ("--audits", SERVICE, "--today", TODAY.isoformat(), "--quarter", "2026-Q3", "-f", "json")
    view = json.loads(cli("summary", *common).stdout)["cycle"]["impact"]
    assert (view["cases"]["n"], view["reaudits"]["n"]) == (3, 3)


@pytest.mark.parametrize(
    ("quarters", "day", "key"),
    [
        (Quarters(1), dt.date(23, 4, 3), "0023-Q2"),
        (APRIL, dt.date(23, 4, 3), "0023-24-Q1"),
        (Quarters(1), dt.date(2026, 4, 3), "2026-Q2"),
    ],
)
def test_a_quarter_key_sorts_with_the_others_whatever_its_year(
    quarters: Quarters, day: dt.date, key: str
) -> None:
    # A date typed 03/04/0023 gave the key "23-Q2", which sorted after "2026-Q4" in the tables
    # (found by a new-user review; QA410 warns about such a year).
    assert quarters.key(day) == key
    if quarters.calendar:
        assert quarter_of(day) == key

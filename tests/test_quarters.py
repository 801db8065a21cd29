"""Quarters that follow the service's year (issue 17, section 1): ``--year-start`` and ``--quarter``.

With the year starting in January a quarter is ``2026-Q3``, as before; with any other month it is
named by its financial year, ``2026-27-Q1``, and shown with its months, ``2026-27 Q1 (Apr-Jun
2026)``. ``--quarter`` reads a quarter's dates, and the report states them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest

from conftest import EXAMPLES, TODAY
from qaimpact.audits.quarters import Quarters, year_start_month
from qaimpact.base.errors import UsageError

SERVICE = EXAMPLES / "service"
APRIL = Quarters(4)


@pytest.mark.parametrize(
    ("text", "month"),
    [("january", 1), ("April", 4), ("apr", 4), ("4", 4), ("SEPT", 9), ("12", 12), (" march ", 3)],
)
def test_year_start_reads_a_month_by_name_or_number(text: str, month: int) -> None:
    assert year_start_month(text) == month


@pytest.mark.parametrize("text", ["smarch", "ap", "0", "13", ""])
def test_year_start_that_is_not_a_month_says_what_to_write(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        year_start_month(text)
    assert str(caught.value) == (
        f"--year-start '{text}' is not a month: give the month the service's year starts in, such as "
        "--year-start april (a financial year) or --year-start january (the calendar year)."
    )


@pytest.mark.parametrize(
    ("start", "day", "key", "label", "first", "last"),
    [
        (1, "2026-08-14", "2026-Q3", "2026-Q3", "2026-07-01", "2026-09-30"),
        (1, "2026-01-01", "2026-Q1", "2026-Q1", "2026-01-01", "2026-03-31"),
        (4, "2026-04-01", "2026-27-Q1", "2026-27 Q1 (Apr-Jun 2026)", "2026-04-01", "2026-06-30"),
        (4, "2026-03-31", "2025-26-Q4", "2025-26 Q4 (Jan-Mar 2026)", "2026-01-01", "2026-03-31"),
        (4, "2026-12-31", "2026-27-Q3", "2026-27 Q3 (Oct-Dec 2026)", "2026-10-01", "2026-12-31"),
        (4, "2027-02-28", "2026-27-Q4", "2026-27 Q4 (Jan-Mar 2027)", "2027-01-01", "2027-03-31"),
        # A quarter that spans the turn of the year names both years.
        (11, "2027-01-15", "2026-27-Q1", "2026-27 Q1 (Nov 2026-Jan 2027)", "2026-11-01", "2027-01-31"),
        (9, "2024-02-29", "2023-24-Q2", "2023-24 Q2 (Dec 2023-Feb 2024)", "2023-12-01", "2024-02-29"),
        (4, "2099-05-01", "2099-00-Q1", "2099-00 Q1 (Apr-Jun 2099)", "2099-04-01", "2099-06-30"),
    ],
)
def test_a_day_falls_in_one_quarter_named_and_dated(
    start: int, day: str, key: str, label: str, first: str, last: str
) -> None:
    quarters = Quarters(start)
    assert quarters.key(dt.date.fromisoformat(day)) == key
    assert quarters.label(key) == label
    assert quarters.dates(key) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    assert quarters.of_month(day[:7]) == key


@pytest.mark.parametrize("start", range(1, 13))
def test_the_quarters_of_a_year_cover_every_day_once(start: int) -> None:
    """Every day of 2025 to 2027 is in the quarter whose dates hold it, and consecutive quarters
    meet without a gap."""
    quarters = Quarters(start)
    day, previous_last = dt.date(2025, 1, 1), None
    while day < dt.date(2028, 1, 1):
        first, last = quarters.dates(quarters.key(day))
        assert first <= day <= last
        if day == first and previous_last is not None:
            assert previous_last == day - dt.timedelta(days=1)
        previous_last = last
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "text", "key"),
    [
        (1, "2026-Q3", "2026-Q3"),
        (1, "2026q3", "2026-Q3"),
        (1, "2026 Q1", "2026-Q1"),
        (4, "2026-27-Q2", "2026-27-Q2"),
        (4, "2026-27 Q2", "2026-27-Q2"),
        (4, "2026/27-q4", "2026-27-Q4"),
        (4, "2099-00-Q1", "2099-00-Q1"),
        # The quarter before the year, as councils write it.
        (1, "Q3 2026", "2026-Q3"),
        (1, "q1-2026", "2026-Q1"),
        (4, "Q2 2026/27", "2026-27-Q2"),
        (4, "Q4, 2026-27", "2026-27-Q4"),
    ],
)
def test_quarter_option_reads_the_quarter(start: int, text: str, key: str) -> None:
    assert Quarters(start).parse(text) == key


FINANCIAL_FORM = "such as 2026-27-Q1 (April 2026 to June 2026, the first quarter of a year starting in April)"


@pytest.mark.parametrize(
    ("start", "text", "message"),
    [
        (
            1,
            "2026-27-Q2",
            "--quarter '2026-27-Q2' names a financial year, but with a year starting in January quarters "
            "are written 2026-Q1, such as 2026-Q3 (July to September 2026). For a financial year, give "
            "the month it starts in (such as --year-start april).",
        ),
        (
            1,
            "Q3",
            "--quarter 'Q3' is not a quarter: write the year and the quarter's number, such as 2026-Q3 "
            "(July to September 2026).",
        ),
        (
            1,
            "2026-Q5",
            "--quarter '2026-Q5' is not a quarter: write the year and the quarter's number, such as "
            "2026-Q3 (July to September 2026).",
        ),
        (
            4,
            "2026-Q3",
            "--quarter '2026-Q3' is a calendar quarter, but with a year starting in April (--year-start "
            f"april) quarters are written with the financial year, {FINANCIAL_FORM}. July 2026, the first "
            "month of 2026-Q3, is in 2026-27-Q2.",
        ),
        (
            4,
            "2026-28-Q1",
            "--quarter '2026-28-Q1': 2026-28 is not one year: write the year it starts and the next, "
            "2026-27.",
        ),
        (
            4,
            "last quarter",
            "--quarter 'last quarter' is not a quarter: write the year and the quarter's number, "
            f"{FINANCIAL_FORM}.",
        ),
        # Regression: these were an internal error (ValueError, exit 4).
        (
            1,
            "0000-Q1",
            "--quarter '0000-Q1' is outside the years a date can have: give a year from 1 to 9998.",
        ),
        (
            1,
            "9999-Q4",
            "--quarter '9999-Q4' is outside the years a date can have: give a year from 1 to 9998.",
        ),
        (
            4,
            "9999-00-Q4",
            "--quarter '9999-00-Q4' is outside the years a date can have: give a year from 1 to 9998.",
        ),
    ],
    ids=[
        "financial-in-calendar",
        "no-year",
        "no-such-quarter",
        "calendar-in-financial",
        "years",
        "words",
        "year-0",
        "after-9999",
        "financial-after-9999",
    ],
)
def test_a_quarter_written_another_way_says_which_form_to_write(start: int, text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        Quarters(start).parse(text)
    assert str(caught.value) == message


# -- through the CLI ------------------------------------------------------------------------------

BASE = ("summary", "--audits", SERVICE, "--today", TODAY.isoformat())


def test_summary_for_a_financial_quarter_states_its_dates(cli) -> None:
    out = cli(*BASE, "--year-start", "april", "--quarter", "2026-27-Q2", "-f", "md").stdout
    assert out.splitlines()[2] == (
        "- Period: 2026-27 Q2 (Jul-Sep 2026), 2026-07-01 to 2026-09-30; quarters of the year starting "
        "in April"
    )
    view = json.loads(cli(*BASE, "--year-start", "apr", "--quarter", "2026-27-Q2", "-f", "json").stdout)
    quarter = "2026-27 Q2 (Jul-Sep 2026)"
    assert view["period"] == {"from": "2026-07-01", "to": "2026-09-30", "quarter": quarter}
    assert view["year_start"] == "april"
    for section in view["frameworks"]:
        assert [row["key"] for row in section["trend"]] == ["2026-27-Q2"]
        assert [row["label"] for row in section["trend"]] == ["2026-27 Q2 (Jul-Sep 2026)"]
    html = cli(*BASE, "--year-start", "april", "--quarter", "2026-27-Q2", "-f", "html").stdout
    assert "<title>Quality assurance summary, 2026-27 Q2 (Jul-Sep 2026)" in html
    text = re.sub(r"<[^>]+>", "", html)  # dates are kept on one line in <span class="nowrap">
    assert f"Period: {quarter}, 2026-07-01 to 2026-09-30; quarters of the year starting in April." in text


def test_a_quarter_reads_the_same_audits_as_its_dates(cli) -> None:
    by_quarter = json.loads(cli(*BASE, "--quarter", "2026-Q2", "-f", "json").stdout)
    by_dates = json.loads(cli(*BASE, "--from", "2026-04-01", "--to", "2026-06-30", "-f", "json").stdout)
    assert by_quarter["period"]["quarter"] == "2026-Q2"
    by_dates["period"]["quarter"] = "2026-Q2"
    assert by_quarter == by_dates
    assert by_quarter["audits"] > 0


def test_calendar_quarters_are_named_as_before(cli) -> None:
    view = json.loads(cli(*BASE, "-f", "json").stdout)
    assert view["year_start"] == "january"
    assert view["period"]["quarter"] is None
    keys = [row["key"] for row in view["frameworks"][0]["trend"]]
    assert keys == [row["label"] for row in view["frameworks"][0]["trend"]]
    assert all(len(k) == 7 and k[4:6] == "-Q" for k in keys)


@pytest.mark.parametrize("by", ["quarter", "month"])
def test_grouping_by_period_follows_the_year(cli, by: str) -> None:
    """By quarter the groups are the financial quarters; by month, each month is a row and the
    trend's quarters are the financial year's (the months add up to them)."""
    view = json.loads(cli(*BASE, "--year-start", "april", "--by", by, "-f", "json").stdout)
    for section in view["frameworks"]:
        assert all(row["key"][4:8] in ("-25-", "-26-", "-27-") for row in section["trend"])
        if by == "quarter":
            assert section["groups"] == section["trend"]
        else:
            for q in section["trend"]:
                months = [g for g in section["groups"] if APRIL.of_month(g["key"]) == q["key"]]
                assert sum(g["n"]["n"] for g in months) == q["n"]["n"]


def test_csv_rows_carry_the_financial_quarter(cli) -> None:
    out = cli(*BASE, "--year-start", "april", "--quarter", "2025-26-Q4", "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows
    assert {row["quarter"] for row in rows} == {"2025-26-Q4"}
    assert all("2026-01-01" <= row["review_date"] <= "2026-03-31" for row in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--quarter", "2026-Q3", "--from", "2026-07-01"),
            "Give either --quarter or --from/--to, not both: --quarter already sets the first and last day.",
        ),
        (
            ("--year-start", "april", "--quarter", "2026-Q3"),
            "--quarter '2026-Q3' is a calendar quarter, but with a year starting in April (--year-start "
            f"april) quarters are written with the financial year, {FINANCIAL_FORM}. July 2026, the first "
            "month of 2026-Q3, is in 2026-27-Q2.",
        ),
        (
            ("--quarter", "2027-Q1"),
            "--quarter 2027-Q1 has not started yet: it starts on 2027-01-01, after today (2026-11-22). "
            "Give a quarter that has started, such as this one, 2026-Q4.",
        ),
        (
            ("--year-start", "april", "--quarter", "2026-27-Q4"),
            "--quarter 2026-27-Q4 has not started yet: it starts on 2027-01-01, after today (2026-11-22). "
            "Give a quarter that has started, such as this one, 2026-27-Q3.",
        ),
        (
            ("--year-start", "smarch"),
            "--year-start 'smarch' is not a month: give the month the service's year starts in, such as "
            "--year-start april (a financial year) or --year-start january (the calendar year).",
        ),
    ],
    ids=[
        "quarter-and-dates",
        "calendar-quarter-in-financial-year",
        "not-started",
        "not-started-financial",
        "not-a-month",
    ],
)
def test_quarter_usage_errors(cli, args: tuple[str, ...], message: str) -> None:
    run = cli(*BASE, *args, expect=2)
    assert " ".join(run.stderr.split()) == f"error: {message}"
    assert run.stdout == ""


def test_a_quarter_past_the_calendar_is_a_usage_error_not_a_crash(cli) -> None:
    """Regression: ``--quarter 9999-Q4`` was an internal error (exit 4)."""
    run = cli(*BASE, "--quarter", "9999-Q4", expect=2)
    assert run.stderr.strip().endswith(
        "--quarter '9999-Q4' is outside the years a date can have: give a year from 1 to 9998."
    )

"""``sample --exclude-audited-within``: a span as a person writes it (``12 months``, ``1 year``,
``90 days``) as well as ``12m``; a bare number, an unknown unit and a span of more than 100 years
are refused with a plain message that says what to write."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import DATA, TODAY
from qaimpact.cycle.common import Window

FOLDER = DATA / "cycle" / "sampling"
BASE = (
    "sample",
    "--cases",
    FOLDER / "cases.csv",
    "--audits",
    FOLDER / "audits",
    "--today",
    TODAY.isoformat(),
)
HOW = "write a number and a unit, such as 12 months, 6 weeks, 90 days or 1 year (or 12m, 6w, 90d, 1y)."
BARE_12 = (
    "'12' has no unit: add one, such as 12m (12 months), or write 12d (days), 12w (weeks) or 12y (years)."
)
TOO_LONG = (
    "reaches back more than 100 years, before any case-file audit: write a span of 100 years or less, "
    "such as 12 months (100y leaves out every case ever audited)."
)


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("12m", 12, "m"),
        ("90d", 90, "d"),
        ("6W", 6, "w"),
        ("1y", 1, "y"),
        ("12 months", 12, "m"),
        ("12months", 12, "m"),
        ("1 month", 1, "m"),
        ("12 Months", 12, "m"),
        ("1 year", 1, "y"),
        ("2 YEARS", 2, "y"),
        ("6 weeks", 6, "w"),
        ("1 week", 1, "w"),
        ("90 days", 90, "d"),
        ("1 Day", 1, "d"),
        (" 12 months ", 12, "m"),
        ("100y", 100, "y"),
        ("1200 months", 1200, "m"),
        ("5218 weeks", 5218, "w"),
        ("36525 days", 36525, "d"),
    ],
)
def test_a_span_as_a_person_writes_it(text: str, amount: int, unit: str) -> None:
    assert Window.parse(text) == Window(amount, unit)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "12",
            BARE_12,
        ),
        (
            "90",
            "'90' has no unit: add one, such as 90m (90 months), or write 90d (days), 90w (weeks) "
            "or 90y (years).",
        ),
        (
            "1" * 5000,
            f"'{'1' * 80}... (4,920 more characters)' has no unit: add one, such as 12m (12 months), or "
            "write 12d (days), 12w (weeks) or 12y (years).",
        ),
        (
            "12 fortnights",
            f"'12 fortnights' is not a span of time: 'fortnights' is not days, weeks, months or years; {HOW}",
        ),
        ("12 mins", f"'12 mins' is not a span of time: 'mins' is not days, weeks, months or years; {HOW}"),
        ("a year", f"'a year' is not a span of time: {HOW}"),
        ("1.5 years", f"'1.5 years' is not a span of time: {HOW}"),
        ("", f"'' is not a span of time: {HOW}"),
        ("99999y", f"'99999y' {TOO_LONG}"),
        ("101 years", f"'101 years' {TOO_LONG}"),
        ("1201m", f"'1201m' {TOO_LONG}"),
        ("5219 weeks", f"'5219 weeks' {TOO_LONG}"),
        ("36526 days", f"'36526 days' {TOO_LONG}"),
        (f"{10**30}d", f"'{10**30}d' {TOO_LONG}"),
        ("9" * 5000 + "d", f"'{'9' * 80}... (4,921 more characters)' {TOO_LONG}"),
    ],
)
def test_a_span_that_cannot_be_read_says_what_to_write(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message[:20])) as caught:
        Window.parse(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("span", "left_out"),
    [
        ("12 months", "- Left out: 2 cases audited in the 12 months since 2025-11-22."),
        ("12months", "- Left out: 2 cases audited in the 12 months since 2025-11-22."),
        ("1 Year", "- Left out: 2 cases audited in the 1 year since 2025-11-22."),
        ("52 weeks", "- Left out: 2 cases audited in the 52 weeks since 2025-11-23."),
        ("365 days", "- Left out: 2 cases audited in the 365 days since 2025-11-22."),
    ],
)
def test_sample_reads_a_span_in_words(cli: Any, span: str, left_out: str) -> None:
    run = cli(*BASE, "--seed", "1", "--exclude-audited-within", span, "-f", "md")
    assert f"\n{left_out}\n" in run.stdout


@pytest.mark.parametrize(
    ("span", "message"),
    [
        (
            "12",
            BARE_12,
        ),
        ("99999y", f"'99999y' {TOO_LONG}"),
        (str(10**30) + " days", f"'{10**30} days' {TOO_LONG}"),
        (
            "6 fortnights",
            f"'6 fortnights' is not a span of time: 'fortnights' is not days, weeks, months or years; {HOW}",
        ),
    ],
)
def test_sample_refuses_a_span_it_cannot_read_in_plain_words(cli: Any, span: str, message: str) -> None:
    run = cli(*BASE, "--seed", "1", "--exclude-audited-within", span, expect=2)
    assert run.stderr == f"error: --exclude-audited-within {message}\n"

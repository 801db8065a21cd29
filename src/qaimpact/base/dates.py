"""How to write a date that did not read as one (``14/10/2026``, ``3 Nov 2026``, ``2026-11-31``).

Its own module, with nothing but the standard library, because a command refuses a mistyped date
option with this hint while the command line is read: before any framework model is built, which
``base.diagnose`` (pydantic) would cost a typo.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

#: Quotation marks a word processor or an email puts around a value ("smart quotes"), and the
#: straight ones a first-timer types around a whole value inside a quoted one.
QUOTES = "\u201c\u201d\u2018\u2019\u201e\u201a\u00ab\u00bb\u2039\u203a\"'"
#: Spaces pasted around a value: ordinary, non-breaking (Word) and tabs.
SPACES = " \t\u00a0\u2007\u202f"
#: A date written with its parts in figures: day first (``14/10/2026``, ``3.11.26``) or year first
#: (``2026/11/03``).
#: (Word turns a typed hyphen into an en dash, or a non-breaking hyphen: each separates as one.)
_DAY_FIRST = re.compile(r"(\d{1,2})\s*([/.\-\u2010-\u2015\u2212])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})")
_YEAR_FIRST = re.compile(r"(\d{4})\s*([/.\-\u2010-\u2015\u2212])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
#: A date with a time of day after it, as a spreadsheet or a form writes it: ``2026-09-29T10:00``.
_WITH_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?", re.I
)
#: A date with its month in words: ``3 November 2026``, ``3rd Nov 2026``, ``November 3, 2026``.
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s/.\-]*([^\W\d_]+)[\s/.,\-]*(\d{4}|\d{2})", re.I)
#: (A separator between the day and the year: "November 2026" is no day of it.)
_MONTH_DAY_YEAR = re.compile(r"([^\W\d_]+)[\s/.\-]*(\d{1,2})(?:st|nd|rd|th)?[\s/.,\-]+(\d{4}|\d{2})", re.I)
_MONTHS = "January February March April May June July August September October November December".split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
#: A day of the week written before a date: ``Tuesday 3 November 2026``, ``Tue, 03/11/2026``.
_WEEKDAY_FIRST = re.compile(r"([^\W\d_]+)\.?,?\s+(.*\d.*)")
#: ... or after it: ``03/11/2026 (Tuesday)``.
_WEEKDAY_LAST = re.compile(r"(.*\d.*?)[\s,]+\(?([^\W\d_]+)\.?\)?")
#: A date written without its year: ``3 November``, ``3rd Nov``, ``November 3``, ``3/11``.
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s/.\-]*([^\W\d_]+)", re.I)
_MONTH_DAY = re.compile(r"([^\W\d_]+)[\s/.\-]*(\d{1,2})(?:st|nd|rd|th)?", re.I)
_DAY_SLASH_MONTH = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})")


def date_hint(value: Any) -> str:
    """How to write a date that did not read as one: the same date as YYYY-MM-DD when the value
    holds one written another way (``14/10/2026``, ``3/11/26``, ``3 Nov 2026``, ``November 3,
    2026``, ``2026/11/03``) or in quotation marks, and which day is wrong in one that does not
    exist (``2026-11-31``). A day of the week before the date is read and checked against it
    (``Monday 3 November 2026``: 3 November 2026 is a Tuesday); a date without its year
    (``3 November``) is asked for its year."""
    # An example of the form, said as one: a bare date ("for example 2026-10-14") beside a due
    # date read as a date to copy. Not one near today or the review date: the hint is also given
    # while the command line is read, before there is either, and messages never hang on the clock.
    general = (
        "Write the date in figures as YYYY-MM-DD, year then month then day: "
        "14 October 2026 is written 2026-10-14."
    )
    if not isinstance(value, str):
        return general
    text = value.strip(SPACES).strip(QUOTES).strip(SPACES)
    weekday = None
    if (match := _WEEKDAY_FIRST.fullmatch(text)) and (named := _weekday(match[1])) is not None:
        weekday, text = named, match[2]
    elif (match := _WEEKDAY_LAST.fullmatch(text)) and (named := _weekday(match[2])) is not None:
        weekday, text = named, match[1]
    if (timed := _WITH_TIME.fullmatch(text)) is not None:
        # The date is then checked alone: a day that does not exist is said as for any date.
        if _real_date(*map(int, timed[1].split("-"))) is not None:
            return f"Write the date alone, with no time of day: {timed[1]}."
        text = timed[1]
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if iso is not None:
        year, month, day = int(iso[1]), int(iso[2]), int(iso[3])
        when = _real_date(year, month, day)
        if when is not None and text != value:
            return f"Write the date as {when.isoformat()}, with no quotation marks or spaces around it."
        return _no_such_day(year, month, day, written_iso=True) or general
    for year, month, day in _readings(text):
        when = _real_date(year, month, day)
        if when is not None:
            spoken = f"{when.day} {_MONTHS[when.month - 1]} {when.year}"
            hint = f"Write the date as YYYY-MM-DD: {when.isoformat()} ({spoken})."
            if weekday is not None and weekday != when.weekday():
                hint += (
                    f" {spoken} is a {_WEEKDAYS[when.weekday()]}, not a {_WEEKDAYS[weekday]}: "
                    "check which day you meant."
                )
            return hint
    for year, month, day in _readings(text):
        said = _no_such_day(year, month, day, written_iso=False)
        if said is not None:
            return said
    if (day_month := _without_year(text)) is not None:
        day, month = day_month
        if _real_date(2024, month, day) is None:
            return (
                f"There is no {day} {_MONTHS[month - 1]}: check the day, and write the date with its "
                "year, as YYYY-MM-DD."
            )
        return (
            f"Write the date with its year, as YYYY-MM-DD: {day} {_MONTHS[month - 1]} is "
            f"YYYY-{month:02d}-{day:02d}, with the year in place of YYYY."
        )
    return general


def _weekday(word: str) -> int | None:
    """The day of the week a word names (Monday is 0): its name, or its first three letters or
    more (``Tue``, ``Tues``, ``Thurs``)."""
    word = word.casefold()
    if len(word) < 3:
        return None
    found = [i for i, name in enumerate(_WEEKDAYS) if name.casefold().startswith(word)]
    return found[0] if len(found) == 1 else None


def _without_year(text: str) -> tuple[int, int] | None:
    """The (day, month) of a date written without its year, if it is a day of some year."""
    found: tuple[int, int] | None = None
    if match := _DAY_SLASH_MONTH.fullmatch(text):
        first, second = int(match[1]), int(match[2])
        # Day first, as UK services write dates, unless only month first makes a date.
        found = (second, first) if second > 12 >= first else (first, second)
    elif (match := _DAY_MONTH.fullmatch(text)) and (month := _month(match[2])):
        found = (int(match[1]), month)
    elif (match := _MONTH_DAY.fullmatch(text)) and (month := _month(match[1])):
        found = (int(match[2]), month)
    # A day past the end of its month is still said to be one (2024, a leap year, has them all).
    if found is None or not (1 <= found[1] <= 12 and 1 <= found[0] <= 31):
        return None
    return found


def _readings(text: str) -> list[tuple[int, int, int]]:
    """The (year, month, day) a date written another way than YYYY-MM-DD may mean, the likelier
    first: a day-first date (as UK services write them) before the same figures read month first."""
    if match := _DAY_FIRST.fullmatch(text):
        year = _full_year(match[4])
        first, second = int(match[1]), int(match[3])
        return [(year, second, first), (year, first, second)]
    if match := _YEAR_FIRST.fullmatch(text):
        return [(int(match[1]), int(match[3]), int(match[4]))]
    if (match := _DAY_MONTH_YEAR.fullmatch(text)) and (month := _month(match[2])):
        return [(_full_year(match[3]), month, int(match[1]))]
    if (match := _MONTH_DAY_YEAR.fullmatch(text)) and (month := _month(match[1])):
        return [(_full_year(match[3]), month, int(match[2]))]
    return []


def _full_year(written: str) -> int:
    """A year written with two figures is this century's: 26 is 2026."""
    return 2000 + int(written) if len(written) == 2 else int(written)


def _month(word: str) -> int | None:
    """The month a word names: its name, or its first three letters or more (``Nov``, ``Sept``)."""
    word = word.casefold()
    if len(word) < 3:
        return None
    found = [i for i, name in enumerate(_MONTHS, 1) if name.casefold().startswith(word)]
    return found[0] if len(found) == 1 else None


def _real_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _no_such_day(year: int, month: int, day: int, *, written_iso: bool) -> str | None:
    """The hint for a day past the end of its month (31 November, 29 February 2027), or None."""
    if not (1 <= month <= 12 and day > 28 and 1 <= year <= 9999):
        return None
    days = calendar.monthrange(year, month)[1]
    if day <= days:
        return None
    name = f"{_MONTHS[month - 1]} {year}"
    leap = f" ({year} is not a leap year)" if month == 2 and day == 29 else ""
    hint = f"{name} has {days} days{leap}, so there is no {day} {name}: check the day"
    return hint + ("." if written_iso else ", and write the date as YYYY-MM-DD.")

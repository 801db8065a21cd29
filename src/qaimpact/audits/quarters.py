"""Quarters of the year a service reports on (``--year-start``, ``--quarter``).

A council reports on its financial year (April to March), a court service perhaps on the
calendar year. :class:`Quarters` names the quarter a date falls in, the dates a quarter covers and
how a report shows it:

- with the year starting in January (the default), a quarter is ``2026-Q3`` (July to September
  2026), as reports have always named it;
- with the year starting in any other month, a quarter is named by its financial year and number,
  ``2026-27-Q1``, and shown with its months, ``2026-27 Q1 (Apr-Jun 2026)``, so that nobody takes
  the first quarter of a financial year for January to March.

``--quarter`` is written the way the quarter is named (``2026-Q3``, or ``2026-27-Q2`` with
``--year-start april``); :meth:`Quarters.parse` says plainly which form is expected when it is
not.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from qaimpact.base.errors import UsageError

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def year_start_month(text: str) -> int:
    """The month ``--year-start`` names (``april``, ``Apr`` or ``4``), 1 to 12."""
    value = text.strip().lower()
    if value.isdigit() and 1 <= int(value) <= 12:
        return int(value)
    for number, name in enumerate(MONTHS, start=1):
        if len(value) >= 3 and name.startswith(value):
            return number
    raise UsageError(
        f"--year-start '{text}' is not a month: give the month the service's year starts in, "
        "such as --year-start april (a financial year) or --year-start january (the calendar year)."
    )


def _short(month: int) -> str:
    return MONTHS[month - 1][:3].capitalize()


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


_CALENDAR = re.compile(r"(\d{4})\s*-?\s*q([1-4])", re.IGNORECASE)
_FINANCIAL = re.compile(r"(\d{4})\s*[-/]\s*(\d{2})\s*[- ]?\s*q([1-4])", re.IGNORECASE)
#: A quarter written before its year, as councils often write it: "Q2 2026/27", "Q3 2026".
_QUARTER_FIRST = re.compile(r"q([1-4])\s*[-,]?\s*(\d{4}(?:\s*[-/]\s*\d{2})?)", re.IGNORECASE)


@dataclass(frozen=True)
class Quarters:
    """The quarters of a year starting in month ``start`` (1 is January)."""

    start: int = 1

    @property
    def calendar(self) -> bool:
        """Whether the year is the calendar year."""
        return self.start == 1

    @property
    def start_name(self) -> str:
        """The month the year starts in, in lower case (``april``)."""
        return MONTHS[self.start - 1]

    def _year_and_number(self, day: dt.date) -> tuple[int, int]:
        offset = (day.month - self.start) % 12
        year = day.year if day.month >= self.start else day.year - 1
        return year, offset // 3 + 1

    def _key(self, year: int, number: int) -> str:
        if self.calendar:
            return f"{year:04d}-Q{number}"
        return f"{year:04d}-{(year + 1) % 100:02d}-Q{number}"

    def _split(self, key: str) -> tuple[int, int]:
        return int(key[:4]), int(key[-1])

    def key(self, day: dt.date) -> str:
        """The quarter ``day`` falls in: ``2026-Q3``, or ``2026-27-Q2`` in a financial year."""
        return self._key(*self._year_and_number(day))

    def of_month(self, month: str) -> str:
        """The quarter a month (``2026-04``) falls in."""
        year, number = month.split("-")
        return self.key(dt.date(int(year), int(number), 1))

    def dates(self, key: str) -> tuple[dt.date, dt.date]:
        """The first and last day of the quarter ``key`` (as :meth:`key` names it)."""
        year, number = self._split(key)
        first_year, first_month = _add_months(year, self.start, 3 * (number - 1))
        next_year, next_month = _add_months(first_year, first_month, 3)
        return dt.date(first_year, first_month, 1), dt.date(next_year, next_month, 1) - dt.timedelta(days=1)

    def label(self, key: str) -> str:
        """How a report shows the quarter: ``2026-Q3`` in the calendar year, else its financial
        year, number and months, ``2026-27 Q1 (Apr-Jun 2026)``."""
        if self.calendar:
            return key
        first, last = self.dates(key)
        if first.year == last.year:
            months = f"{_short(first.month)}-{_short(last.month)} {first.year}"
        else:
            months = f"{_short(first.month)} {first.year}-{_short(last.month)} {last.year}"
        return f"{key[:7]} Q{key[-1]} ({months})"

    def parse(self, text: str) -> str:
        """The quarter ``--quarter`` names, as :meth:`key` names it; a usage error saying which
        form to write when it is not one."""
        key = self._parse(text)
        try:
            self.dates(key)
        except (ValueError, OverflowError):
            # Years the calendar cannot hold (0, or a quarter ending after 9999).
            raise UsageError(
                f"--quarter '{text}' is outside the years a date can have: give a year from 1 to 9998."
            ) from None
        return key

    def _parse(self, text: str) -> str:
        value = text.strip()
        reordered = _QUARTER_FIRST.fullmatch(value)
        if reordered:
            value = f"{reordered[2]} Q{reordered[1]}"
        financial = _FINANCIAL.fullmatch(value)
        calendar = _CALENDAR.fullmatch(value)
        if self.calendar:
            if calendar:
                return self._key(int(calendar[1]), int(calendar[2]))
            if financial:
                raise UsageError(
                    f"--quarter '{text}' names a financial year, but with a year starting in January "
                    "quarters are written 2026-Q1, such as 2026-Q3 (July to September 2026). For a "
                    "financial year, give the month it starts in (such as --year-start april)."
                )
        else:
            example = self._key(2026, 1)
            first, last = self.dates(example)
            form = (
                f"such as {example} ({first:%B %Y} to {last:%B %Y}, the first quarter of a year "
                f"starting in {self.start_name.capitalize()})"
            )
            if financial:
                year, then = int(financial[1]), int(financial[2])
                if then != (year + 1) % 100:
                    raise UsageError(
                        f"--quarter '{text}': {year}-{then:02d} is not one year: write the year it "
                        f"starts and the next, {year}-{(year + 1) % 100:02d}."
                    )
                return self._key(year, int(financial[3]))
            if calendar:
                month = dt.date(int(calendar[1]), 3 * int(calendar[2]) - 2, 1)
                raise UsageError(
                    f"--quarter '{text}' is a calendar quarter, but with a year starting in "
                    f"{self.start_name.capitalize()} (--year-start {self.start_name}) quarters are "
                    f"written with the financial year, {form}. {month:%B %Y}, the first month of "
                    f"{calendar[1]}-Q{calendar[2]}, is in {self.key(month)}."
                )
        raise UsageError(
            f"--quarter '{text}' is not a quarter: write the year and the quarter's number, "
            + ("such as 2026-Q3 (July to September 2026)." if self.calendar else f"{form}.")
        )

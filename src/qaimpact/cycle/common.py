"""What the steps of the cycle share: which case an audit is of, ages in days, located problems.

The grade each step counts is the record's settled grade
(:attr:`~qaimpact.audits.records.AuditRecord.settled_grade`), defined once with the record.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qaimpact.audits.dataset import Dataset
from qaimpact.audits.quarters import Quarters
from qaimpact.audits.records import AuditRecord
from qaimpact.base.errors import UsageError
from qaimpact.base.escaping import clip
from qaimpact.models.audit import person_key
from qaimpact.models.location import Location
from qaimpact.models.standard import Framework
from qaimpact.privacy.disclosure import THRESHOLD, Figures
from qaimpact.privacy.redaction import withheld


def earlier_holding(
    dataset: Dataset, holds: Callable[[Sequence[AuditRecord], dt.date], Sequence[object]]
) -> list[AuditRecord]:
    """The valid audits read before the dataset's period (of ``dataset.outside``, reviewed before
    its first day) that hold something carried into it, as ``holds([audit], first_day)`` lists:
    an action or an escalation still open when the period began. Only these are read, named and
    redacted with the period's own. None without a first day."""
    start = dataset.date_from
    if start is None:
        return []
    return [r for r in dataset.outside if r.review_date < start and holds([r], start)]


def case_key(record: AuditRecord) -> str | None:
    """The case an audit is of, by the framework's ``case_id`` field (``None`` if it has none).

    Case identifiers compare by :func:`~qaimpact.models.audit.ident_key`, ignoring case, spaces
    and dashes, so ``lcs-001``, ``LCS 001`` and ``LCS001`` are one case. Audits of different
    frameworks never share a case: their identifiers differ in kind.
    """
    case = record.case_ident
    return None if case is None else f"{record.framework.id}:{case}"


#: How a theme table names the items given no theme.
NO_THEME = "(no theme)"


def theme_label(record: AuditRecord, theme: Any) -> str | None:
    """The label of a theme id of the record's framework (the id itself where it lists none)."""
    if theme is None or not str(theme).strip():
        return None
    return record.framework.theme_labels.get(str(theme), str(theme))


def themes_table(
    items: Sequence[dict[str, Any]],
    order: Sequence[Framework],
    *,
    unresolved: Callable[[dict[str, Any]], bool],
    overdue: Callable[[dict[str, Any]], bool],
) -> list[dict[str, Any]]:
    """Remedial actions or escalations (each with ``theme``, ``theme_label``, ``framework`` and
    ``audit_id``) by theme, in the frameworks' order of themes (``order``: the frameworks and
    their labels) and those given none last: how many, in how many audits (a theme in more than
    one audit *recurs*), how many are still unresolved and how many of those are overdue. Only
    the items of frameworks that list themes count: another framework's could be given none."""
    groups: dict[str, list[dict[str, Any]]] = {}
    themed = {fw.id for fw in order}
    for item in items:
        if item["framework"] not in themed:
            continue
        groups.setdefault(item["theme_label"] or NO_THEME, []).append(item)
    labels = list(dict.fromkeys(label for fw in order for label in fw.theme_labels.values()))
    rank = {label: i for i, label in enumerate(labels)}
    out = []
    for label in sorted(groups, key=lambda t: (t == NO_THEME, rank.get(t, len(rank)), t)):
        mine = groups[label]
        audits = len({i["audit_id"] for i in mine})
        out.append(
            {
                "theme": label,
                "themed": label != NO_THEME,
                "count": len(mine),
                "audits": audits,
                "recurring": label != NO_THEME and audits > 1,
                "unresolved": sum(1 for i in mine if unresolved(i)),
                "overdue": sum(1 for i in mine if overdue(i)),
            }
        )
    return out


#: How a theme table names the items of a framework that lists no themes.
NO_THEMES_LISTED = "(the framework lists no themes)"


def themes_by_framework(
    items: Sequence[dict[str, Any]],
    frameworks: Sequence[Framework],
    *,
    unresolved: Callable[[dict[str, Any]], bool],
    overdue: Callable[[dict[str, Any]], bool],
) -> list[dict[str, Any]]:
    """:func:`themes_table` framework by framework (``frameworks``, in their order), each row
    naming its framework (``framework``, ``framework_title``): a framework that lists themes has
    a row per theme given (and its items given none), one that lists none a single row of all its
    items (:data:`NO_THEMES_LISTED`). Every item is in exactly one row, so the rows add up to the
    items: a table of them leaves no framework's escalations out unsaid."""
    out = []
    for fw in frameworks:
        mine = [i for i in items if i["framework"] == fw.id]
        if not mine:
            continue
        if fw.theme_labels:
            rows = themes_table(mine, [fw], unresolved=unresolved, overdue=overdue)
        else:
            rows = [
                {
                    "theme": NO_THEMES_LISTED,
                    "themed": False,
                    "count": len(mine),
                    "audits": len({i["audit_id"] for i in mine}),
                    "recurring": False,
                    "unresolved": sum(1 for i in mine if unresolved(i)),
                    "overdue": sum(1 for i in mine if overdue(i)),
                }
            ]
        out += [{"framework": fw.id, "framework_title": fw.spec.title, **row} for row in rows]
    return out


def summary_themes(
    items: Sequence[dict[str, Any]],
    records: Sequence[AuditRecord],
    ledger: Figures,
    *,
    unresolved: Callable[[dict[str, Any]], bool],
    overdue: Callable[[dict[str, Any]], bool],
    totals: dict[str, dict[str, Any]] | None = None,
    named: str | None = None,
) -> list[dict[str, Any]]:
    """The themes of :func:`themes_by_framework` for the quarterly summary, every count in the
    summary's ``ledger``: where a framework in use lists themes, every framework's items,
    framework by framework, so that the rows add up to the items counted (a framework that lists
    none in one row). Each theme's items are its unresolved ones (overdue or not) and its resolved
    ones, so that a published summary protects them with the rest; ``totals`` (by ``count``,
    ``unresolved`` or ``overdue``) are the section's counts the rows add up to.

    ``named`` is the name under which the summary's ledger holds each framework's count of the
    same items (``("escalations", framework id)``), where it has one: a framework's rows add up
    to it, and the one row of a framework that lists no themes *is* that count, shown (or hidden)
    as the framework's section shows it, never a second figure of the same number.

    A theme *recurs* when it is in more than one audit; a published summary says so only beside a
    count it shows of 5 or more, and never how many audits (a count of audits is not protected).
    """
    frameworks = sorted({r.framework.id: r.framework for r in records}.values(), key=lambda fw: fw.id)
    if not themed(frameworks):
        return []
    rows = []
    by_framework: dict[str, list[dict[str, Any]]] = {}
    for row in themes_by_framework(items, frameworks, unresolved=unresolved, overdue=overdue):
        late = ledger.count(row["overdue"])
        waiting = ledger.count(row["unresolved"] - row["overdue"], shown=False)
        open_ = ledger.total([late, waiting])
        resolved = ledger.count(row["count"] - row["unresolved"], shown=False)
        known = ledger.names.get((named, row["framework"])) if named is not None else None
        if known is not None and row["theme"] == NO_THEMES_LISTED:
            ledger.same([open_, resolved], [known])
            ledger.breakdown(known, [open_, resolved])
            number = known
        else:
            number = ledger.total([open_, resolved])
        by_framework.setdefault(row["framework"], []).append(number)
        rows.append(
            {
                "framework": row["framework"],
                "framework_title": row["framework_title"],
                "theme": row["theme"],
                "themed": row["themed"],
                "count": number,
                "unresolved": open_,
                "overdue": late,
                "audits": None if ledger.publish else row["audits"],
                "recurring": row["recurring"],
            }
        )
    for key, total in (totals or {}).items():
        # Every item is in one row, so the rows add up to the section's count of the same items.
        ledger.same([r[key] for r in rows], [total])
    for framework, numbers in by_framework.items():
        known = ledger.names.get((named, framework)) if named is not None else None
        if known is not None and numbers != [known]:
            # The themes break the framework's count down: under 5, they are not shown.
            ledger.same(numbers, [known])
            ledger.breakdown(known, numbers)

    def recurring_as_shown() -> None:
        for row in rows:
            shown = row["count"]["n"] is not None and row["count"]["n"] >= THRESHOLD
            if ledger.publish and not shown:
                row["recurring"] = None

    ledger.then(recurring_as_shown)
    return rows


#: How alike a whole name must be to what was typed to be suggested (:mod:`difflib`'s ratio, at
#: its default), and how alike a part of it: a word is short, so one only somewhat like the word
#: typed ("Hillside", "children") is not suggested.
CLOSE_NAME = 0.6
CLOSE_PART = 0.75


def closest_names(wanted: str, values: Iterable[str], *, most: int = 3) -> list[str]:
    """Up to ``most`` of ``values`` (names as the audits write them) that look like ``wanted``,
    ignoring case and extra spaces, each as first written with its spaces tidied: closest first,
    alphabetically among the equally close, so the same audits always suggest the same names.

    A name is as close as the closer of: the whole name (:data:`CLOSE_NAME`), and each run of as
    many of its words as ``wanted`` has (:data:`CLOSE_PART`), so that "Fenlnd" finds "Fenland
    Child in Need 1" by its word "Fenland" and "Hasan" finds "Amira Hassan". Failing those, the
    names that hold the first word typed.
    """
    names: dict[str, str] = {}
    for value in values:
        names.setdefault(person_key(value), " ".join(value.split()))
    key = person_key(wanted)
    if not key:
        return []
    size = len(key.split())
    score: dict[str, float] = {}
    for name in names:
        words = name.split()
        runs = [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
        whole = difflib.SequenceMatcher(None, key, name).ratio()
        part = max((difflib.SequenceMatcher(None, key, run).ratio() for run in runs), default=0.0)
        best = max(whole if whole >= CLOSE_NAME else 0.0, part if part >= CLOSE_PART else 0.0)
        if best:
            score[name] = best
    close = sorted(score, key=lambda n: (-score[n], n))
    if not close:
        close = sorted(n for n in names if key.split()[0] in n)
    return [names[n] for n in close[:most]]


def did_you_mean(wanted: str, values: Iterable[str]) -> str:
    """``Did you mean 'A', 'B' or 'C'?``: the :func:`closest_names` to ``wanted`` among
    ``values``, as a "not found" message suggests them; empty when none is close. Every name
    filter (``--team``, ``--owner``, ``--fca``) suggests with it, so they suggest alike."""
    close = [f"'{name}'" for name in closest_names(wanted, values)]
    if not close:
        return ""
    listed = close[0] if len(close) == 1 else f"{', '.join(close[:-1])} or {close[-1]}"
    return f"Did you mean {listed}?"


def matching_names(
    values: Sequence[str],
    wanted: str,
    *,
    option: str,
    part: bool,
    nothing: Callable[[str, str], str],
) -> set[int]:
    """The positions of ``values`` (names as the audits write them) that are ``wanted``, ignoring
    case and extra spaces; with ``part`` (a team, named loosely: "Hillside", "hillside team",
    "Hillside Family Support"), the closest of: the name itself, the names that hold the words
    given as whole words, the names that hold them as part of a word. ``--team`` of ``actions`` and
    ``escalations`` choose with it, so they match alike.

    Nothing matched is a :class:`UsageError` whose message is ``nothing(wanted, hint)``:
    ``wanted`` as typed with its spaces tidied, ``hint`` suggesting the closest values
    (:func:`did_you_mean`, after a space) or empty.
    An empty name is refused first, naming ``option``.
    """
    key = person_key(wanted)
    if not key:
        raise UsageError(f"{option} needs a name, written as in the audits.")
    keys = [person_key(value) for value in values]
    # The closest match wins: "Need 1" is the team Need 1, not Need 12 as well, and "hill" still
    # finds Hillside when no name has it as a word.
    whole = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)")
    tests: list[Callable[[str], object]] = [key.__eq__]
    if part:
        tests += [whole.search, lambda k: key in k]
    for test in tests:
        chosen = {i for i, k in enumerate(keys) if test(k)}
        if chosen:
            return chosen
    suggestion = did_you_mean(wanted, values)
    hint = f" {suggestion}" if suggestion else ""
    raise UsageError(nothing(" ".join(wanted.split()), hint))


def names_as_written(values: Sequence[str], found: set[int]) -> list[str]:
    """The names matched, each as the first audit to write it writes it, alphabetically; a part
    of a team's name may match several teams, and all are named. Reports give the list (``teams``)
    and, as before it, the names joined by commas (``team``)."""
    names: dict[str, str] = {}
    for i in sorted(found):
        names.setdefault(person_key(values[i]), " ".join(values[i].split()))
    return sorted(names.values(), key=str.casefold)


def themed(frameworks: Sequence[Framework]) -> list[Framework]:
    """The frameworks that list themes, in the order given."""
    return [fw for fw in frameworks if fw.theme_labels]


def framework_titles(dataset: Dataset, frameworks: Iterable[Framework] = ()) -> dict[str, str]:
    """The title of each framework id a plan or a case list may name: those of ``frameworks`` (the
    registry's, where the command read one) and of the dataset's audits, so that a reader sees
    "Children's Services Practice Standards", not ``ccc-practice-standards``."""
    return {fw.id: fw.spec.title for fw in (*dataset.frameworks, *frameworks)}


def days(start: dt.date, end: dt.date) -> int:
    """Whole days from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return (end - start).days


def iso(value: Any) -> str | None:
    """A date as YYYY-MM-DD; anything else unchanged."""
    return value.isoformat() if isinstance(value, dt.date) else value


def period_view(
    date_from: dt.date | None,
    date_to: dt.date | None,
    quarters: Quarters | None = None,
    quarter: str | None = None,
) -> dict[str, Any]:
    """The period a report was asked for (``--from``/``--to``, or ``--quarter``, which gives both):
    its first and last day (``None`` where not given) and the quarter as the summary shows it
    (``2026-Q3``, or ``2026-27 Q2 (Jul-Sep 2026)`` in a year starting in April; ``None`` when no
    quarter was asked for)."""
    return {
        "from": iso(date_from),
        "to": iso(date_to),
        "quarter": (quarters or Quarters()).label(quarter) if quarter else None,
    }


def period_phrase(value: Mapping[str, Any]) -> str:
    """The period a report was asked for (a view's ``period``: ``from``, ``to``, ``quarter``) as
    it follows "audits reviewed": ``in 2026-27 Q2 (Jul-Sep 2026), 2026-07-01 to 2026-09-30`` for
    a quarter (shown as the summary shows it), ``from 2026-04-01 to 2026-06-30``, ``from
    2026-04-01`` or ``up to 2026-06-30`` for the dates given; empty when none was asked for."""
    first, last, quarter = value.get("from"), value.get("to"), value.get("quarter")
    if quarter:
        return f"in {quarter}, {first} to {last}"
    if first and last:
        return f"from {first} to {last}"
    if first:
        return f"from {first}"
    return f"up to {last}" if last else ""


#: A number and a unit, written together or apart, in any case: ``12m``, ``12 months``, ``1 Year``.
_WINDOW = re.compile(r"^\s*(\d+)\s*([^\W\d_]+)\s*$")
#: A number alone: the unit left out.
_BARE = re.compile(r"^\s*(\d+)\s*$")
_UNIT_WORDS = {"d": "day", "w": "week", "m": "month", "y": "year"}
#: What a unit may be written as (compared in lower case), by its letter.
_UNITS = {written: unit for unit, word in _UNIT_WORDS.items() for written in (unit, word, f"{word}s")}
#: The longest span, by unit: 100 years. A longer one reaches back before any case-file audit (the
#: earliest are of this century), so it is a typing slip, and a number of thousands of digits
#: would stall reading it.
_LONGEST = {"d": 36525, "w": 5218, "m": 1200, "y": 100}
_HOW = "write a number and a unit, such as 12 months, 6 weeks, 90 days or 1 year (or 12m, 6w, 90d, 1y)."


@dataclass(frozen=True, slots=True)
class Window:
    """A span of time written like ``12m`` or ``12 months``: a number of days, weeks, months or
    years."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Window:
        """Read ``90d``, ``6w``, ``12m`` or ``1y``, or the unit in words (``90 days``, ``1 Year``,
        ``12months``); ``ValueError`` with a plain message otherwise."""
        bare = _BARE.match(text)
        if bare:
            # The number itself, as the example of a span, unless it is too long to be one.
            n = bare.group(1) if len(bare.group(1)) <= 4 else "12"
            raise ValueError(
                f"'{clip(text.strip())}' has no unit: add one, such as {n}m ({n} months), or write {n}d "
                f"(days), {n}w (weeks) or {n}y (years)."
            )
        match = _WINDOW.match(text)
        if not match:
            raise ValueError(f"'{clip(text)}' is not a span of time: {_HOW}")
        digits, written = match.groups()
        unit = _UNITS.get(written.lower())
        if unit is None:
            raise ValueError(
                f"'{clip(text)}' is not a span of time: '{clip(written)}' is not days, weeks, months "
                f"or years; {_HOW}"
            )
        longest = _LONGEST[unit]
        # Compared as text first: int() refuses numbers of thousands of digits with its own words.
        if len(digits.lstrip("0")) > len(str(longest)) or int(digits) > longest:
            raise ValueError(
                f"'{clip(text.strip())}' reaches back more than 100 years, before any case-file "
                "audit: write a span of 100 years or less, such as 12 months (100y leaves out every "
                "case ever audited)."
            )
        return cls(int(digits), unit)

    def start(self, today: dt.date) -> dt.date:
        """The first day inside the window that ends today.

        A window reaching back before the first representable date (``99999y``) starts on it:
        it covers every audit there is.
        """
        try:
            if self.unit == "d":
                return today - dt.timedelta(days=self.amount)
            if self.unit == "w":
                return today - dt.timedelta(weeks=self.amount)
            months = self.amount * (12 if self.unit == "y" else 1)
            year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
            month += 1
            # 31 March less one month is the last day of February.
            last = 31 if month == 12 else (dt.date(year, month + 1, 1) - dt.timedelta(days=1)).day
            return dt.date(year, month, min(today.day, last))
        except (OverflowError, ValueError):
            return dt.date.min

    def __str__(self) -> str:
        word = _UNIT_WORDS[self.unit]
        return f"{self.amount} {word}" + ("" if self.amount == 1 else "s")


def left_out(paths: Sequence[str], *, redact: bool) -> list[str]:
    """The invalid files a report lists as left out.

    Under ``redact`` their names are withheld: a file that cannot be read names no one the
    redaction knows of, so a name in its file name (``Jane Smith LCS-123.yaml``) would pass
    through. ``qaimpact validate`` lists them for the QA team.
    """
    if not redact:
        return list(paths)
    return [withheld("invalid file", n) for n in range(1, len(paths) + 1)]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the audits that stops a step of the cycle giving a complete answer.

    Problems that span files (a re-audit of an unknown audit, two files with one audit id) cannot
    be found by checking one file; the step that finds them reports them at ``file:line:col``.
    """

    location: Location
    message: str
    hint: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "file": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "where": str(self.location),
            "message": self.message,
            "hint": self.hint,
        }

"""Reports as tables for a workbook: each table of a report as a sheet of typed cells.

A sheet holds numbers as numbers, shares as fractions (shown as percentages), dates as dates and
everything else as text, so that a QA manager can sort, filter and chart it in Excel. The values
come from the same view the Markdown and HTML are rendered from; nothing is counted again here.
Writing the workbook itself is :mod:`qaimpact.reports.xlsx`'s job (openpyxl is optional).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qaimpact.audits.records import NONE_LABEL
from qaimpact.models.listing import and_list
from qaimpact.models.standard import initials
from qaimpact.privacy.disclosure import HIDDEN_SHARE, MEANINGS, NOT_SHOWN

#: The heading of the share of audits with a second mark, compared with the auditor's grade: not
#: the audits whose moderated grade counts in place of the computed one (the summary's framework
#: sections), which leave out double-marking.
SECOND_MARKED = "With a second mark (moderated or double-marked)"
#: Excel's longest sheet name.
MAX_TITLE = 31
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Share:
    """A share as a fraction (0.25), shown as a percentage."""

    fraction: float


@dataclass(slots=True)
class Sheet:
    """One table: its sheet name, what it is (its caption), its column headings and its rows."""

    title: str
    caption: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    #: Where each cell of ``rows`` comes from in the report's JSON view (a path of keys and
    #: indexes; a :class:`Label` where the cell is the value at its path as a label), or ``None``
    #: for a label of the table itself; empty where no one recorded it.
    sources: list[list[Ref | Label | None]] = field(default_factory=list)


#: Where a value is in a report's JSON view: the keys and list indexes that lead to it.
Ref = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Label:
    """The view's word at ``path`` (a state, a change, a direction: "overdue", "improved", "moderated
    down") as a person reads it in a table's cell: as a label, with a capital ("Overdue"). The JSON
    keeps its word, for the programs that read it; only the workbook's cell is the label."""

    path: Ref


#: A cell of a table to be: a label of the table itself, a value of the view, or one as a label.
Place = Ref | Label | str


def as_label(cell: Any) -> Any:
    """A cell's text as a label, its first letter a capital; any other cell as it is."""
    return cell[:1].upper() + cell[1:] if isinstance(cell, str) else cell


def at(view: Any, path: Ref) -> Any:
    """The value of ``view`` at ``path``."""
    for step in path:
        view = view[step]
    return view


def value(cell: Any, *, exact: bool = False) -> Any:
    """A view's value as a typed cell: a count's number, a share's fraction, a date, or text.

    A share is the percentage the page prints (``0.13`` for 13%), unless ``exact``: then its
    count over its whole (``6 / 48``), for the QA team's own workbook, whose charts and sums should
    not carry the rounding. A published workbook keeps the page's percentage: it holds nothing
    the published pages do not, not even a closer reading of a shown share.

    A figure hidden for publication stays the text the pages show (``<5``, ``*``, ``–``); a share
    not shown is "not shown", as on the pages (its JSON's ``suppressed`` is a word for the data,
    not for a board reading a workbook).
    """
    if isinstance(cell, dict):
        if "pct" in cell:
            if cell["pct"] is not None:
                fraction = _fraction(cell) if exact else None
                return Share(fraction if fraction is not None else cell["pct"] / 100)
            text = str(cell.get("text", ""))
            return NOT_SHOWN if text == HIDDEN_SHARE else text
        if "n" in cell:
            return cell["n"] if cell["n"] is not None else str(cell.get("text", ""))
        if "text" in cell:
            return str(cell["text"])
        if "label" in cell:
            return cell["label"]
    if isinstance(cell, str):
        if cell == NONE_LABEL:
            return None
        if _ISO_DATE.fullmatch(cell):
            try:
                return dt.date.fromisoformat(cell)
            except ValueError:
                return cell
    if isinstance(cell, list):
        return "; ".join(str(value(c, exact=exact)) for c in cell)
    return cell


def _fraction(share: dict[str, Any]) -> float | None:
    """A share's count over its whole, where both are given and the whole is not 0."""
    part, whole = share.get("count"), share.get("of")
    if not isinstance(part, dict) or not isinstance(whole, dict):
        return None
    n, of = part.get("n"), whole.get("n")
    if not isinstance(n, int) or not isinstance(of, int) or of == 0:
        return None
    return n / of


def heading(key: str) -> str:
    """A column heading from a key: ``review_date`` is "Review date"."""
    return key.replace("_", " ").capitalize()


def _fit(title: str, room: int = MAX_TITLE) -> str:
    """``title`` in at most ``room`` characters: cut, with an ellipsis, when longer (at a space
    if that keeps most of the room)."""
    if len(title) <= room:
        return title
    cut = title[: room - 1]
    if cut.rfind(" ") >= room * 0.6:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;-") + "…"


def _unique(title: str, taken: set[str]) -> str:
    # Excel refuses []:*?/\ in a sheet name, and an apostrophe at either end.
    title = _fit(" ".join(re.sub(r"[\[\]:*?/\\]", " ", title).split())).strip("'")
    candidate, n = title, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate = title[: MAX_TITLE - len(suffix)].rstrip() + suffix
        n += 1
    taken.add(candidate.casefold())
    return candidate


#: The first cells of the rows that open a Contents sheet (:meth:`_Tables.about`), before the sheets.
ABOUT = ("Report", "Period", "Quarters", "As of")
#: Each report's title, as its page's heading gives it (the quarterly report adds its quarter).
REPORT_TITLES = {
    "summary": "Quality assurance summary",
    "quarterly": "Quarterly quality assurance report",
    "escalations": "Escalations",
    "actions": "Remedial actions",
    "impact": "Impact of re-audits",
    "moderation": "Moderation",
    "programme": "The audit programme",
    "sample": "Cases to audit",
}


def report_title(view: dict[str, Any]) -> str:
    """A report's title, as its page's heading gives it: the quarterly report's with its quarter,
    the sample's with its round."""
    kind = str(view.get("kind", ""))
    title = REPORT_TITLES.get(kind, kind[:1].upper() + kind[1:])
    period = view.get("period")
    if kind == "quarterly" and isinstance(period, dict) and period.get("quarter"):
        return f"{title}, {period['quarter']}"
    if kind == "sample" and view.get("round_label"):
        return f"{title} in {view['round_label']}"
    return title


def rows_sheet(
    title: str, rows: Sequence[dict[str, Any]], columns: Sequence[str], caption: str | None = None
) -> Sheet:
    """A list of rows (a cycle report's CSV rows) as one sheet, its columns in ``columns`` order;
    ``caption`` says what it holds (its title, if not given)."""
    keys = list(dict.fromkeys([*columns, *(k for row in rows for k in row)]))
    return Sheet(
        title,
        title if caption is None else caption,
        [heading(k) for k in keys],
        [[value(row.get(k)) for k in keys] for row in rows],
    )


#: The sheet of a published workbook that says what its marks in place of hidden figures mean.
KEY = "Key"

#: The Key sheet's headings.
KEY_COLUMNS = ("Shown as", "What it means")


def key_caption(marks: Sequence[str]) -> str:
    """What the Key sheet holds, as the Contents sheet says: the marks it explains, each as the
    cells show it (``What <5, * and "not shown" mean: figures hidden in this published version``)."""
    said = [f'"{m}"' if m == NOT_SHOWN else m for m in marks]
    verb = "means" if len(said) == 1 else "mean"
    return f"What {and_list(said)} {verb}: figures hidden in this published version"


#: What the "Audits" sheet of the summary's workbook holds, as its Contents sheet says.
AUDITS_CAPTION = (
    "The audits read, one row each, with their grades and dates (a second audit of a double-marked "
    "case, counted once, names the audit counted for it)"
)
#: The same of the quarterly report's workbook.
QUARTER_AUDITS_CAPTION = (
    "The quarter's audits, one row each, with their grades and dates (a second audit of a "
    "double-marked case, counted once, names the audit counted for it)"
)


class _Tables:
    """The sheets of one report, each cell read from its view by its path (so a workbook holds the
    view's values and nothing else: under --publish, exactly the published ones)."""

    def __init__(self, view: dict[str, Any]) -> None:
        self.view = view
        #: Shares as their exact fractions: in every workbook but a published one.
        self.exact = not view.get("publish")
        self.sheets: list[Sheet] = []
        # "History" is Excel's own; "Audits" is the sheet of rows some commands add, "Key" the
        # one a published workbook adds.
        self.taken: set[str] = {"contents", "audits", "history", KEY.casefold()}
        # A cycle report's frameworks are listed in other forms (actions: each framework itself).
        titles = [
            s["framework"]["title"]
            for s in (*view.get("frameworks", []), *view.get("records", []))
            if isinstance(s.get("framework"), dict)
        ]
        #: Sheet names start with the framework's short title only when the workbook holds several.
        self.several = len(set(titles)) > 1
        self.contents = Sheet("Contents", "The tables in this workbook", ["Sheet", "Table"])

    def named(self, framework: dict[str, Any], what: str, tail: str = "") -> str:
        """A sheet's name for a table of ``framework``: what it holds ("By legal status"), after the
        framework's initials ("CSPS by legal status") where the workbook holds several frameworks;
        the contents sheet gives each in full. ``tail`` ("dates") is kept whole: where the name is
        too long for Excel, ``what`` is shortened."""
        short = framework.get("short_title") or initials(framework["title"])
        head = f"{_fit(short, 12)} " if self.several else ""
        what = what[:1].lower() + what[1:] if head else what[:1].upper() + what[1:]
        return head + _fit(what, MAX_TITLE - len(head) - len(tail)) + tail

    def cell(self, place: Place) -> Any:
        """The cell for ``place``: a label of the table, the view's value at a path, or that value as
        a label."""
        if isinstance(place, str):
            return place
        if isinstance(place, Label):
            return as_label(value(at(self.view, place.path), exact=self.exact))
        return value(at(self.view, place), exact=self.exact)

    def reach(self, path: Ref) -> Ref:
        """``path``, or as much of it as the view holds: up to the ``None`` where a value is absent
        (an escalation without an outcome has no outcome's date), so that its cell is empty."""
        node: Any = self.view
        for n, step in enumerate(path):
            if node is None:
                return path[:n]
            node = node[step]
        return path

    def add(self, title: str, caption: str, columns: list[str], rows: Sequence[Sequence[Place]]) -> None:
        """A sheet whose cells are the values at these paths (a string is a label of the table; a
        :class:`Label`, the value at its path as a label)."""
        sheet = Sheet(_unique(title, self.taken), caption, columns)
        for row in rows:
            sheet.rows.append([self.cell(c) for c in row])
            sheet.sources.append([None if isinstance(c, str) else c for c in row])
        self.sheets.append(sheet)
        self.contents.rows.append([sheet.title, sheet.caption])
        self.contents.sources.append([None, None])

    def about(self) -> list[list[Any]]:
        """The first rows of the Contents sheet: what the report is and the dates it covers, as
        its page's heading and period line say them, so that a workbook passed on without its page
        still says which quarter (or day) its figures are of."""
        view = self.view
        kind = str(view.get("kind", ""))
        held = view.get("period")
        period: dict[str, Any] = held if isinstance(held, dict) else {}
        rows: list[list[Any]] = [["Report", report_title(view)]]
        first, last = period.get("from"), period.get("to")
        if first or last:
            dates = f"{first or 'the first audit'} to {last or 'the last audit'}"
            quarter = period.get("quarter")
            rows.append(["Period", f"{quarter}: {dates}" if quarter and kind != "quarterly" else dates])
        year_start = view.get("year_start")
        if year_start and year_start != "january":
            rows.append(["Quarters", f"of the year starting in {str(year_start).capitalize()}"])
        as_of = view.get("as_of") or view.get("today")
        if as_of:
            rows.append(["As of", as_of])
        return rows

    def book(self) -> list[Sheet]:
        """Every sheet, in order: the Contents sheet, then in a published workbook whose figures
        hide any, the Key sheet, then the tables.

        The Key says what each mark the workbook shows in place of a figure means (``<5``, ``*``,
        ``–``, "not shown"), as the published pages' note does: only the marks found in its
        cells, as a reader looks up the mark in front of them. Only a published workbook hides
        figures; in another, such a text is the audits' own."""
        marks: set[str] = set()
        if self.view.get("publish"):
            for sheet in self.sheets:
                for row, sources in zip(sheet.rows, sheet.sources, strict=False):
                    marks.update(
                        c for c, s in zip(row, sources, strict=False) if s is not None and c in MEANINGS
                    )
        about = self.about()
        head: list[list[Any]] = [*about]
        placed: list[list[Ref | Label | None]] = [[None, None] for _ in about]
        sheets = list(self.sheets)
        if marks:
            shown = [m for m in MEANINGS if m in marks]
            key = Sheet(KEY, key_caption(shown), list(KEY_COLUMNS), [[m, MEANINGS[m]] for m in shown])
            key.sources = [[None, None] for _ in shown]
            # First after the Contents, and first on it: a reader meets the marks on every sheet.
            head.append([key.title, key.caption])
            placed.append([None, None])
            sheets.insert(0, key)
        contents = Sheet(
            self.contents.title,
            self.contents.caption,
            self.contents.columns,
            [*head, *self.contents.rows],
            [*placed, *self.contents.sources],
        )
        return [contents, *sheets]

    def add_audits(self, caption: str, rows: Sequence[dict[str, Any]] | None) -> None:
        """The "Audits" sheet, one row per audit (the CSV's rows), last, and on the Contents sheet
        as every other: a sheet the Contents does not list is one a reader may never find."""
        if rows is None:
            return
        sheet = rows_sheet("Audits", rows, [], caption)
        self.sheets.append(sheet)
        self.contents.rows.append([sheet.title, sheet.caption])
        self.contents.sources.append([None, None])


def summary_sheets(view: dict[str, Any], audits: Sequence[dict[str, Any]] | None = None) -> list[Sheet]:
    """The quarterly summary's tables, one sheet each: for each framework its grades, its figures by
    quarter (and by the ``--by`` grouping and each case characteristic), its learning themes and
    the added value; the records of other kinds; and the cycle: escalations, actions, re-audits and
    moderation. Every cell is a value of ``view`` (:attr:`Sheet.sources` says which). ``audits``,
    the rows of the QA team's own CSV, are the last sheet, "Audits" (never in a published one)."""
    out = _summary_tables(view)
    out.add_audits(AUDITS_CAPTION, audits)
    return out.book()


def _summary_tables(view: dict[str, Any]) -> _Tables:
    out = _Tables(view)
    for number, section in enumerate(view["frameworks"], start=1):
        _framework(out, number, section)
    for number, record in enumerate(view.get("records", []), start=1):
        _records(out, number, record)
    cycle = view.get("cycle")
    if cycle:
        _cycle(out, cycle)
    return out


def quarterly_sheets(view: dict[str, Any], audits: Sequence[dict[str, Any]] | None = None) -> list[Sheet]:
    """The quarterly report's tables: the summary's (:func:`summary_sheets`), then the ratings of
    each standard by team (one sheet per framework), completion against the programme, the
    escalated children and the remedial actions at the quarter's end; then ``audits``, the
    quarter's audits one row each, as the summary's. Under --publish, only the published values,
    and no child, action or audit listed."""
    out = _summary_tables(view)
    for number, table in enumerate(view["ratings"], start=1):
        base: Ref = ("ratings", number - 1)
        out.add(
            out.named(table["framework"], "Ratings by team"),
            f"{table['framework']['title']}: how many audits of each team gave each rating to each standard",
            ["Standard", "Team", *(c["label"] for c in table["columns"])],
            [
                [
                    (*base, "standards", i, "title"),
                    (*base, "standards", i, "rows", j, "team"),
                    *((*base, "standards", i, "rows", j, "cells", k) for k in range(len(table["columns"]))),
                ]
                for i, std in enumerate(table["standards"])
                for j in range(len(std["rows"]))
            ],
        )
    plan = view.get("programme")
    if plan is not None:
        keys = ("planned", "completed", "on_time", "late", "missing", "due", "completed_share")
        rows: list[list[Ref | str]] = [["All teams", *(("programme", "totals", k) for k in keys)]]
        rows += [
            [("programme", "by_team", i, "team"), *(("programme", "by_team", i, k) for k in keys)]
            for i in range(len(plan["by_team"]))
        ]
        out.add(
            "Programme",
            "Completion against the audit programme: the quarter's rounds, by team",
            [
                "Team",
                "Planned",
                "Completed",
                "On time",
                "Late",
                "Missing",
                "Still due",
                "Completed, of those whose month has ended",
            ],
            rows,
        )
    escalated = view["escalated"]
    carried: list[list[Place]] = [
        [Label(("escalated", "carried_states", i, "label")), ("escalated", "carried_states", i, "count")]
        for i in range(len(escalated["carried_states"]))
    ]
    out.add(
        "Escalations carried",
        "Escalations of earlier audits still open when the quarter began, by state",
        ["State", "Escalations"],
        [*carried, ["All", ("escalated", "carried")]],
    )
    columns = ["audit_id", "team", "review_date", "audited", "state_label", "raised_on", "acknowledged_on"]
    columns += ["action_taken", "safe_on", "closed_on"]
    _listed(
        out,
        "Escalated children",
        "What happened for each escalated child",
        ("escalated", "children"),
        columns,
    )
    base = ("actions_at_end",)
    figures = [
        ("Open at the quarter's end", "open"),
        ("Open, agreed before the quarter", "open_carried"),
        ("Open, agreed in the quarter", "open_agreed"),
        ("Overdue at the quarter's end", "overdue"),
        ("Overdue, of the open actions", "overdue_share"),
        ("Closed in the quarter", "closed"),
        ("Agreed in the quarter", "agreed"),
        ("Carried in, open when the quarter began", "carried_in"),
    ]
    out.add(
        "Actions at the end",
        f"Remedial actions as of {view['actions_at_end']['as_of']}",
        ["Figure", "Value"],
        [[label, (*base, key)] for label, key in figures],
    )
    out.add_audits(QUARTER_AUDITS_CAPTION, audits)
    return out.book()


def _framework(out: _Tables, number: int, section: dict[str, Any]) -> None:
    fw = section["framework"]["title"]
    base: Ref = ("frameworks", number - 1)
    # A double-marked case is one case in every figure: the workbook says so where the pages do
    # (a count of the second audits that is hidden may be 0, so it is said then too).
    caption = f"Grade distribution, {fw}"
    once = section.get("counted_once_count")
    if once is not None and once["n"] != 0 and out.view.get("counted_once_basis"):
        caption += f". {out.view['counted_once_basis']}"
    out.add(
        out.named(section["framework"], "Grades"),
        caption,
        ["Grade", "Audits", "Share"],
        [
            [(*base, "distribution", i, k) for k in ("label", "count", "share")]
            for i in range(len(section["distribution"]))
        ],
    )
    grades = [d["label"] for d in section["distribution"]]
    better = f"{section['good_or_better_label']} or better"
    tables: list[tuple[str, Ref, list[dict[str, Any]]]] = [("Quarter", (*base, "trend"), section["trend"])]
    if section.get("groups") is not None and out.view.get("by") != "quarter":
        tables.append((heading(out.view["by"]), (*base, "groups"), section["groups"]))
    tables += [
        (c["label"], (*base, "characteristics", i, "rows"), c["rows"])
        for i, c in enumerate(section.get("characteristics", []))
    ]
    for name, path, members in tables:
        out.add(
            out.named(section["framework"], f"By {name.lower()}"),
            f"By {name.lower()}, {fw}",
            [name, "Audits", *grades, better],
            [
                [
                    (*path, r, "label" if "label" in row else "key"),
                    (*path, r, "n"),
                    *((*path, r, "distribution", g, "count") for g in range(len(row["distribution"]))),
                    (*path, r, "good_or_better"),
                ]
                for r, row in enumerate(members)
            ],
        )
    for key, title, caption in (
        ("themes", "Themes", f"Learning themes ({section.get('themes_kind', 'learning')})"),
        ("added_value", "Added value", "Added value"),
    ):
        # A framework without added value (the council's) has no such table on the page: no
        # sheet of headings alone either.
        if section.get(key):
            out.add(
                out.named(section["framework"], title),
                f"{caption}, {fw}",
                ["Theme" if key == "themes" else "Added value", "Audits", "Share"],
                [[(*base, key, i, k) for k in ("label", "count", "share")] for i in range(len(section[key]))],
            )


def _records(out: _Tables, number: int, record: dict[str, Any]) -> None:
    base: Ref = ("records", number - 1)
    fw = record["framework"]["title"]
    what = f"{record['label']}, {fw}"
    rows: list[list[Ref | str]] = [["Records", "", (*base, "total")]]
    for c, choice in enumerate(record.get("choices", [])):
        rows += [
            [
                (*base, "choices", c, "label"),
                (*base, "choices", c, "rows", r, "label"),
                (*base, "choices", c, "rows", r, "count"),
            ]
            for r in range(len(choice["rows"]))
        ]
    out.add(out.named(record["framework"], record["label"]), what, ["Field", "Value", "Records"], rows)
    if record.get("dates"):
        out.add(
            out.named(record["framework"], record["label"], " dates"),
            f"Dates recorded: {what}",
            ["Date", "Recorded", "Of", "Share", "Median days"],
            [
                [
                    (*base, "dates", d, "label"),
                    (*base, "dates", d, "recorded", "count"),
                    (*base, "dates", d, "recorded", "of"),
                    (*base, "dates", d, "recorded"),
                    (*base, "dates", d, "median_days"),
                ]
                for d in range(len(record["dates"]))
            ],
        )
    for t, table in enumerate(record.get("ratings", [])):
        path: Ref = (*base, "ratings", t)
        out.add(
            out.named(record["framework"], table["label"]),
            f"{table['label']}: {what}",
            ["Standard", *(c["label"] for c in table["columns"]), "Total"],
            [
                [
                    (*path, "rows", r, "title"),
                    *((*path, "rows", r, "cells", c) for c in range(len(row["cells"]))),
                    (*path, "rows", r, "total"),
                ]
                for r, row in enumerate(table["rows"])
            ],
        )


def _themes(out: _Tables, title: str, path: Ref, themes: list[dict[str, Any]], counted: str) -> None:
    out.add(
        title,
        f"{counted} by theme, framework by framework",
        ["Framework", "Theme", counted, "Open", "Overdue"],
        [
            [(*path, i, k) for k in ("framework_title", "theme", "count", "unresolved", "overdue")]
            for i in range(len(themes))
        ],
    )


#: The columns of a listed table that hold a word shown as a label ("not raised" is "Not raised").
_LABELS = frozenset({"state_label"})


#: The columns of kappa in a workbook: numbers a chart can read, and the words for its strength.
KAPPA_COLUMNS = ("Kappa", "Kappa, 95% CI from", "to", "Strength")


def kappa_cells(out: _Tables, base: Ref) -> list[Place]:
    """Kappa, its confidence interval and its strength; empty where kappa is not given."""
    node = at(out.view, base)
    if not node.get("kappa"):
        return ["", "", "", ""]
    k: Ref = (*base, "kappa")
    ci = node["kappa"].get("ci") or []
    low: Ref | str = (*k, "ci", 0) if len(ci) == 2 else ""
    high: Ref | str = (*k, "ci", 1) if len(ci) == 2 else ""
    return [(*k, "kappa"), low, high, Label((*k, "strength"))]


def _listed(out: _Tables, title: str, caption: str, path: Ref, columns: list[str]) -> None:
    """A table of audits, one row each; none in a published workbook, as a published report lists
    no audit."""
    if out.view.get("publish"):
        return
    out.add(
        title,
        caption,
        [heading(c.removesuffix("_label") if c in _LABELS else c) for c in columns],
        [
            [Label((*path, i, c)) if c in _LABELS else (*path, i, c) for c in columns]
            for i in range(len(at(out.view, path)))
        ],
    )


def _figure_rows(base: Ref, section: dict[str, Any], labels: list[tuple[str, str]]) -> list[list[Ref | str]]:
    """The rows of a section's figures that it holds, each with its label."""
    return [[label, (*base, key)] for label, key in labels if key in section]


def _carried_rows(
    base: Ref, carried: dict[str, Any] | None, labels: list[tuple[str, str]]
) -> list[list[Ref | str]]:
    """The rows of what was carried into the period (none without one)."""
    if carried is None:
        return []
    return [[label, (*base, "carried_in", key)] for label, key in labels]


def _cycle(out: _Tables, cycle: dict[str, Any]) -> None:
    escalations = cycle.get("escalations")
    if escalations:
        base: Ref = ("cycle", "escalations")
        out.add(
            "Escalations",
            "Escalations: needed, not raised, overdue, and the median days to each step",
            ["Figure", "Value"],
            [
                ["Escalations needed", (*base, "needed")],
                ["Not raised", (*base, "not_raised")],
                ["Overdue", (*base, "overdue")],
                ["Median days to raise", (*base, "median_days_to_raise")],
                ["Median days to acknowledge", (*base, "median_days_to_acknowledge")],
                ["Median days to the case confirmed safe", (*base, "median_days_to_outcome")],
                ["Median days to close", (*base, "median_days_to_close")],
                *_carried_rows(
                    base,
                    escalations.get("carried_in"),
                    [("Carried in", "count"), ("Carried in, still open", "open")],
                ),
                # Beside the escalations needed, not in them: these audits are not valid.
                *_figure_rows(
                    base,
                    escalations,
                    [("Invalid audits to escalate all the same (not in those needed)", "invalid_needed")],
                ),
            ],
        )
        out.add(
            "Escalations by state",
            "Escalations by state",
            ["State", "Escalations", "Share"],
            [
                [Label((*base, "states", i, "label")), *((*base, "states", i, k) for k in ("count", "share"))]
                for i in range(len(escalations["states"]))
            ],
        )
        _themes(out, "Escalation themes", (*base, "themes"), escalations.get("themes", []), "Escalations")
        columns = [
            "audit_id",
            "review_date",
            "carried_in",
            "team",
            "state_label",
            "waiting_days",
            "overdue_days",
        ]
        _listed(out, "Open escalations", "Escalations still open", (*base, "open"), columns)
        invalid = escalations.get("invalid_escalations")
        if invalid and not out.view.get("publish"):
            # One row for each escalation an invalid audit certainly needs, as the pages list them.
            path: Ref = (*base, "invalid_escalations")
            out.add(
                "Invalid audits to escalate",
                "Invalid audits that must be escalated all the same: left out of the figures for "
                "their errors, but what each already says calls for an escalation",
                ["File", "Escalation"],
                [
                    [(*path, i, "file"), (*path, i, "escalations", j)]
                    for i, item in enumerate(invalid)
                    for j in range(len(item["escalations"]))
                ],
            )
    actions = cycle.get("actions")
    if actions:
        base = ("cycle", "actions")
        figures = [
            ("Actions", "actions"),
            ("Open", "open"),
            ("Overdue", "overdue"),
            ("Open without a due date", "open_without_due"),
            ("Done", "done"),
            ("Done on time", "done_on_time"),
            ("Done late", "done_late"),
            ("Done without a due date", "done_without_due"),
            ("Overdue, of the open actions", "overdue_share"),
        ]
        out.add(
            "Actions",
            "Remedial actions: open, overdue and done",
            ["Figure", "Value"],
            _figure_rows(base, actions, figures)
            + _carried_rows(
                base,
                actions.get("carried_in"),
                [
                    ("Carried in", "actions"),
                    ("Carried in, open", "open"),
                    ("Carried in, overdue", "overdue"),
                    ("Carried in, done since", "done"),
                ],
            ),
        )
        _themes(out, "Action themes", (*base, "themes"), actions.get("themes", []), "Actions")
        columns = ["audit_id", "carried_in", "owner", "action", "due", "overdue_days"]
        _listed(out, "Most overdue actions", "The actions longest overdue", (*base, "most_overdue"), columns)
    impact = cycle.get("impact")
    if impact:
        base = ("cycle", "impact")
        keys = ("cases", "compared", "improved", "same", "declined", "not_comparable")
        out.add(
            "Re-audits",
            "Re-audits: the grades of each case audited again",
            ["Compared on", "Cases", "Compared", "Improved", "Same", "Declined", "Not comparable"],
            [
                [(*base, "groups", i, "title"), *((*base, "groups", i, k) for k in keys)]
                for i in range(len(impact["groups"]))
            ]
            + (
                [
                    [
                        "All frameworks",
                        (*base, "cases"),
                        (*base, "overall", "compared"),
                        *((*base, "overall", k) for k in keys[2:5]),
                        "",
                    ]
                ]
                if impact.get("overall")
                else []
            ),
        )
        rows: list[list[Ref | str]] = [
            ["Cases re-audited", (*base, "cases")],
            ["Re-audits", (*base, "reaudits")],
        ]
        rows += [
            [f"Learning {k.replace('_', ' ')}", (*base, "learning", k)] for k in impact.get("learning", {})
        ]
        rows += [[f"Actions {k.replace('_', ' ')}", (*base, "actions", k)] for k in impact.get("actions", {})]
        out.add(
            "Re-audit follow-up", "Re-audits: learning and actions followed up", ["Figure", "Value"], rows
        )
    moderation = cycle.get("moderation")
    if moderation:
        base = ("cycle", "moderation")
        measures = ("audits", "moderated", "pairs", "agreement")
        out.add(
            "Moderation",
            "Moderation: the audits with a second mark (moderated or double-marked), and its agreement "
            f"with the auditor's grade ({moderation.get('weights_label', '')})",
            ["Framework", "Audits", SECOND_MARKED, "Pairs", "Agreement", *KAPPA_COLUMNS],
            [
                [
                    (*base, "frameworks", i, "framework", "title"),
                    *((*base, "frameworks", i, k) for k in measures),
                    *kappa_cells(out, (*base, "frameworks", i)),
                ]
                for i in range(len(moderation.get("frameworks", [])))
            ]
            + [["All frameworks", *((*base, k) for k in measures), "", "", "", ""]]
            + [
                [
                    "Across frameworks, on one scale",
                    "",
                    "",
                    (*base, "pooled", p, "pairs"),
                    (*base, "pooled", p, "agreement"),
                    *kappa_cells(out, (*base, "pooled", p)),
                ]
                for p in range(len(moderation.get("pooled", [])))
            ],
        )
        out.add(
            "Moderation direction",
            "Second marks against the auditor's grade: moderated down, the same grade or moderated up",
            ["Direction", "Pairs", "Share"],
            [
                [
                    Label((*base, "direction", i, "label")),
                    *((*base, "direction", i, k) for k in ("count", "share")),
                ]
                for i in range(len(moderation["direction"]))
            ],
        )

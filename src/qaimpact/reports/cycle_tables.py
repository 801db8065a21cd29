"""The cycle's reports as tables for a workbook: ``escalations``, ``actions``, ``impact``,
``moderation``, ``programme`` and ``sample``.

Each report's workbook is a Contents sheet, one sheet for each table the report shows, then its
items one row each (the rows its CSV holds, with the view's labels for grades, states and
frameworks in place of their ids). As in :mod:`qaimpact.reports.tables`, every cell is a value of
the report's JSON view at a recorded path (:attr:`Sheet.sources`); nothing is counted again here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from qaimpact.reports.tables import (
    KAPPA_COLUMNS,
    SECOND_MARKED,
    Label,
    Place,
    Ref,
    Sheet,
    _Tables,
    at,
    heading,
    kappa_cells,
)

#: Where a column's value is, for the item at index ``i`` of a list: a path inside the item (a
#: :class:`Label` of one where the value is a word shown as a label), or a function of the index
#: and the item giving a path in the whole view (or a text, such as "" for an empty cell, where the
#: item has no such value).
Spec = Ref | Label | Callable[[int, dict[str, Any]], Ref | str]


def cycle_sheets(view: dict[str, Any]) -> list[Sheet]:
    """A cycle report's tables, one sheet each, after a Contents sheet; its items (the rows of its
    CSV) last, on a sheet named for the report ("Escalations")."""
    out = _Tables(view)
    _BUILDERS[view["kind"]](out)
    return out.book()


def _items(
    out: _Tables,
    title: str,
    caption: str,
    path: Ref,
    columns: Sequence[tuple[str, Spec]],
    where: Callable[[dict[str, Any]], bool] | None = None,
) -> None:
    """A table of the items listed at ``path`` (those ``where`` keeps), one row each."""
    items = at(out.view, path)
    rows: list[list[Place]] = []
    for i, item in enumerate(items):
        if where is not None and not where(item):
            continue
        row: list[Place] = []
        for _, spec in columns:
            if isinstance(spec, Label):
                row.append(Label(out.reach((*path, i, *spec.path))))
                continue
            place = spec(i, item) if callable(spec) else (*path, i, *spec)
            row.append(place if isinstance(place, str) else out.reach(place))
        rows.append(row)
    out.add(title, caption, [name for name, _ in columns], rows)


def _figures(out: _Tables, title: str, caption: str, figures: Sequence[tuple[str, Ref]]) -> None:
    """A table of a report's figures, each with its label."""
    out.add(title, caption, ["Figure", "Value"], [[label, path] for label, path in figures])


def _framework_column(out: _Tables, path: Ref, listing: Ref, id_path: Ref, title_path: Ref) -> Spec:
    """The framework's title of each item listed at ``path`` (its id where no title is known)."""
    frameworks = at(out.view, listing)

    def spec(i: int, item: dict[str, Any]) -> Ref:
        for k, fw in enumerate(frameworks):
            if at(fw, id_path) == item.get("framework"):
                return (*listing, k, *title_path)
        return (*path, i, "framework")

    return spec


def _themes(out: _Tables, title: str, path: Ref, counted: str) -> None:
    """The themes table of the escalations or actions report."""

    def recurring(i: int, item: dict[str, Any]) -> Ref | str:
        # A row of items without a theme is no theme that could recur: empty, as on the page.
        return (*path, i, "recurring") if item["themed"] else ""

    columns: list[tuple[str, Spec]] = [
        ("Framework", ("framework_title",)),
        ("Theme", ("theme",)),
        (counted, ("count",)),
        ("Audits", ("audits",)),
        ("Recurring", recurring),
        ("Open", ("unresolved",)),
        ("Overdue", ("overdue",)),
    ]
    _items(
        out,
        title,
        f"{counted} by theme, framework by framework: how many, in how many audits, whether the theme "
        "recurs, how many are open and overdue",
        path,
        columns,
    )


def _escalations(out: _Tables) -> None:
    view = out.view
    t: Ref = ("totals",)
    figures: list[tuple[str, Ref]] = [
        ("As of", ("today",)),
        ("Audits read", ("audits",)),
        ("Audits needing escalation", (*t, "needed")),
        ("Open", (*t, "open_count")),
        ("Not raised", (*t, "not_raised")),
        ("Overdue at any step", (*t, "overdue")),
        ("Not raised by the due date", (*t, "raise_overdue")),
        ("Not acknowledged in time", (*t, "acknowledgement_overdue")),
        ("Without an outcome for the child in time", (*t, "outcome_overdue")),
        ("Not raised along the framework's route", (*t, "off_route")),
        ("Raised late", (*t, "raised_late")),
        ("Acknowledged late", (*t, "acknowledged_late")),
        ("Confirmed safe late", (*t, "outcome_late")),
        (
            "Median days to raise it, counted from the audit (or from its moderation, where the "
            "moderator's grade called for it)",
            (*t, "median_days_to_raise"),
        ),
        ("Median days from raising it to acknowledgement", (*t, "median_days_to_acknowledge")),
        ("Median days to the case confirmed safe", (*t, "median_days_to_outcome")),
        ("Median days to closure", (*t, "median_days_to_close")),
    ]
    if view.get("carried_in") is not None:
        figures += [
            ("Carried in: open when the period began", ("carried_in", "escalations")),
            ("Carried in, still open", ("carried_in", "open")),
        ]
    _figures(
        out, "Figures", "The escalations' figures (those of the period, without those carried in)", figures
    )
    _items(
        out,
        "By state",
        "Escalations by state",
        (*t, "states"),
        [("State", Label(("label",))), ("Escalations", ("count",)), ("Share", ("share",))],
    )
    if view.get("themes"):
        _themes(out, "Themes", ("themes",), "Escalations")
    if view.get("unprompted"):
        _items(
            out,
            "Unprompted",
            "Escalations recorded although no rule calls for one",
            ("unprompted",),
            [
                ("Audit", ("audit_id",)),
                ("File", ("file",)),
                ("Grade", ("grade", "label")),
                ("Raised to", ("raised_to",)),
            ],
        )
    _items(
        out,
        "Rules",
        "The escalation rules of the frameworks in use",
        ("rules",),
        [
            ("Framework", ("framework",)),
            ("Rule", ("title",)),
            ("Escalate to", ("raise_to",)),
            ("When graded", ("grades",)),
            ("Within days of the audit", ("within_days",)),
            ("Acknowledged within days", ("acknowledge_within_days",)),
            ("Outcome within days", ("outcome_within_days",)),
            ("Summary", ("summary",)),
        ],
    )
    path: Ref = ("escalations",)
    framework = _framework_column(out, path, ("themes",), ("framework",), ("framework_title",))
    _items(
        out,
        heading(view["kind"]),
        "Each escalation, one row each",
        path,
        [
            ("State", Label(("state_label",))),
            ("Audit", ("audit_id",)),
            ("File", ("file",)),
            ("Framework", framework),
            ("Review date", ("review_date",)),
            ("Practitioner", ("practitioner",)),
            ("Reviewer", ("reviewer",)),
            ("Team", ("team",)),
            ("Grade", ("grade", "label")),
            ("Evidence", ("grade", "evidence")),
            ("Escalate to", ("raise_to",)),
            ("Due", ("due",)),
            ("Raised to", ("raised_to",)),
            ("Raised on", ("raised_on",)),
            ("Acknowledge by", ("acknowledge_due",)),
            ("Acknowledged on", ("acknowledged_on",)),
            ("Acknowledged by", ("acknowledged_by",)),
            ("Outcome due", ("outcome_due",)),
            ("Outcome", ("outcome", "action_taken")),
            ("Safe on", ("outcome", "safe_on")),
            ("Closed on", ("closed_on",)),
            ("Closed by", ("closed_by",)),
            ("Age (days)", ("age_days",)),
            ("Waiting (days)", ("waiting_days",)),
            ("Overdue (days)", ("overdue_days",)),
            ("Raised late (days)", ("raised_late_days",)),
            ("Acknowledgement overdue (days)", ("acknowledgement_overdue_days",)),
            ("Acknowledged late (days)", ("acknowledged_late_days",)),
            ("Outcome overdue (days)", ("outcome_overdue_days",)),
            ("Outcome late (days)", ("outcome_late_days",)),
            ("Theme", ("theme_label",)),
            ("Carried in", ("carried_in",)),
            ("Note", ("note",)),
        ],
    )


def _notified(out: _Tables, path: Ref) -> list[tuple[str, Spec]]:
    """A column for each role told of the actions (its label), giving the name recorded."""
    roles: dict[str, str] = {}
    for item in at(out.view, path):
        for told in item["notified"]:
            roles.setdefault(told["key"], told["label"])

    def column(key: str) -> Spec:
        def spec(i: int, item: dict[str, Any]) -> Ref | str:
            for j, told in enumerate(item["notified"]):
                if told["key"] == key:
                    return (*path, i, "notified", j, "name")
            return ""  # this action's framework does not tell this role

        return spec

    return [(f"Told: {label}", column(key)) for key, label in roles.items()]


def _actions(out: _Tables) -> None:
    view = out.view
    t: Ref = ("totals",)
    figures: list[tuple[str, Ref]] = [
        ("As of", ("today",)),
        ("Audits read", ("audits",)),
        ("Actions", (*t, "actions")),
        ("Open", (*t, "open")),
        ("Overdue", (*t, "overdue")),
        ("Open without a due date", (*t, "open_without_due")),
        ("Done", (*t, "done")),
        ("Done on time", (*t, "done_on_time")),
        ("Done late", (*t, "done_late")),
        ("Done without a due date", (*t, "done_without_due")),
        ("Overdue, of the open actions", (*t, "overdue_share")),
    ]
    if view.get("agreed_in_period") is not None:
        figures.append(("Agreed in the period", ("agreed_in_period",)))
    if view.get("carried_in") is not None:
        c: Ref = ("carried_in",)
        figures += [
            ("Carried in: agreed before the period, open when it began", (*c, "actions")),
            ("Carried in, from audits", (*c, "audits")),
            ("Carried in, open", (*c, "open")),
            ("Carried in, overdue", (*c, "overdue")),
            ("Carried in, done since", (*c, "done")),
        ]
    _figures(out, "Figures", "The remedial actions' figures", figures)
    path: Ref = ("actions",)
    common: list[tuple[str, Spec]] = [
        ("Audit", ("audit_id",)),
        ("Action number", ("number",)),
        ("Reviewed", ("review_date",)),
        ("Action", ("action",)),
        ("Owner", ("owner",)),
        ("Due", ("due",)),
    ]
    who: list[tuple[str, Spec]] = [("Team", ("team",)), ("Practitioner", ("practitioner",))]
    _items(
        out,
        "Open actions",
        "The open actions, the most overdue first",
        path,
        [
            ("State", Label(("state",))),
            *common,
            ("Overdue (days)", ("overdue_days",)),
            ("Age (days)", ("age_days",)),
            *who,
        ],
        where=lambda item: item["status"] != "done",
    )
    _items(
        out,
        "Done actions",
        "The actions done: on time or late, and the evidence",
        path,
        [
            ("Closed on time", ("closed_on_time",)),
            ("Closed late (days)", ("closed_late_days",)),
            *common,
            ("Closed on", ("closed_on",)),
            ("Evidence", ("evidence",)),
            *who,
        ],
        where=lambda item: item["status"] == "done",
    )
    if view.get("themes"):
        _themes(out, "Themes", ("themes",), "Actions")
    _items(
        out,
        heading(view["kind"]),
        "Each remedial action, one row each",
        path,
        [
            ("State", Label(("state",))),
            ("Audit", ("audit_id",)),
            ("File", ("file",)),
            ("Review date", ("review_date",)),
            ("Framework", _framework_column(out, path, ("frameworks",), ("id",), ("title",))),
            *who,
            ("Action number", ("number",)),
            ("Action", ("action",)),
            ("Owner", ("owner",)),
            *_notified(out, path),
            ("Due", ("due",)),
            ("Status", Label(("status",))),
            ("Closed on", ("closed_on",)),
            ("Evidence", ("evidence",)),
            ("Overdue (days)", ("overdue_days",)),
            ("Closed on time", ("closed_on_time",)),
            ("Closed late (days)", ("closed_late_days",)),
            ("Age (days)", ("age_days",)),
            ("Theme", ("theme_label",)),
            ("Carried in", ("carried_in",)),
        ],
    )


def _impact(out: _Tables) -> None:
    view = out.view
    h: Ref = ("headline",)
    measures = ("cases", "compared", "improved", "same", "declined", "not_comparable")
    rows: list[list[Place]] = [
        [
            (*h, "groups", i, "title"),
            *((*h, "groups", i, k) for k in measures),
            Label((*h, "groups", i, "on")),
        ]
        for i in range(len(view["headline"]["groups"]))
    ]
    if view["headline"].get("overall"):
        o: Ref = (*h, "overall")
        rows.append(
            ["All frameworks", "", (*o, "compared"), *((*o, k) for k in measures[2:5]), "", Label((*o, "on"))]
        )
    out.add(
        "First to latest",
        "Each re-audited case's first audit against its latest re-audit: improved, the same or declined",
        ["Framework", "Cases", "Compared", "Improved", "Same", "Declined", "Not comparable", "Compared on"],
        rows,
    )
    cases: Ref = ("cases",)
    _items(
        out,
        "Re-audited cases",
        "Each re-audited case: its first audit, its latest re-audit and how it moved",
        cases,
        [
            ("Case", ("case",)),
            ("Framework", ("latest", "framework_title")),
            ("First audit", ("original", "audit_id")),
            ("First date", ("original", "review_date")),
            ("First grade", ("original", "grade", "label")),
            ("Latest audit", ("latest", "audit_id")),
            ("Latest date", ("latest", "review_date")),
            ("Latest grade", ("latest", "grade", "label")),
            ("Days between", ("movement", "days")),
            ("Steps", ("movement", "steps")),
            ("Change", Label(("movement", "text"))),
            ("Standards improved", ("standards", "improved")),
            ("Standards the same", ("standards", "same")),
            ("Standards declined", ("standards", "declined")),
            ("Standards not compared", ("standards", "not_compared")),
            ("Actions done", ("actions", "done")),
            ("Actions open", ("actions", "open")),
            ("Actions overdue", ("actions", "overdue")),
        ],
    )
    standards: list[list[Place]] = []
    learning: list[list[Place]] = []
    actions: list[list[Place]] = []
    for c, case in enumerate(view["cases"]):
        base: Ref = (*cases, c)
        s: Ref = (*base, "standards")
        for r in range(len(case["standards"]["rows"]) if case.get("standards") else 0):
            row: Ref = (*s, "rows", r)
            standards.append(
                [
                    (*base, "case"),
                    (*s, "from"),
                    (*s, "to"),
                    (*row, "title"),
                    (*row, "group"),
                    out.reach((*row, "from", "label")),
                    out.reach((*row, "to", "label")),
                    Label((*row, "direction")),
                    (*row, "steps"),
                ]
            )
        for change in ("resolved", "persisting", "new"):
            for k in range(len(case["learning"][change])):
                item: Ref = (*base, "learning", change, k)
                learning.append(
                    [
                        (*base, "case"),
                        change.capitalize(),
                        (*item, "area"),
                        (*item, "label"),
                        (*item, "audits"),
                    ]
                )
        for a in range(len(case["actions"]["items"])):
            item = (*base, "actions", "items", a)
            keys = ("audit_id", "action", "owner", "due", "state", "closed_on", "closed_late_days")
            actions.append(
                [
                    (*base, "case"),
                    *(
                        Label((*item, k)) if k == "state" else (*item, k)
                        for k in (*keys, "overdue_days", "evidence")
                    ),
                ]
            )
    out.add(
        "Standards",
        "Each re-audited case's standards, its first audit against its latest",
        [
            "Case",
            "First audit",
            "Latest audit",
            "Standard",
            "Group",
            "First rating",
            "Latest rating",
            "Change",
            "Steps",
        ],
        standards,
    )
    out.add(
        "Learning",
        "Each re-audited case's learning: resolved, persisting or new at the latest re-audit",
        ["Case", "Change", "Area", "Learning", "Audits"],
        learning,
    )
    out.add(
        "Earlier actions",
        "The remedial actions agreed at each re-audited case's earlier audits",
        [
            "Case",
            "Audit",
            "Action",
            "Owner",
            "Due",
            "State",
            "Closed on",
            "Closed late (days)",
            "Overdue (days)",
            "Evidence",
        ],
        actions,
    )
    if view.get("problems"):
        _items(
            out,
            "Problems",
            "Re-audit links that cannot be followed, and how to fix each",
            ("problems",),
            [("Where", ("where",)), ("Problem", ("message",)), ("How to fix", ("hint",))],
        )
    reaudits: list[list[Place]] = []
    for c, case in enumerate(view["cases"]):
        base = (*cases, c)
        for n in range(len(case["reaudits"])):
            ra: Ref = (*base, "reaudits", n)
            reaudits.append(
                [
                    (*base, "case"),
                    (*base, "original", "audit_id"),
                    (*base, "original", "framework_title"),
                    (*base, "original", "review_date"),
                    (*base, "original", "grade", "label"),
                    (*ra, "audit", "audit_id"),
                    (*ra, "audit", "file"),
                    (*ra, "audit", "framework_title"),
                    (*ra, "audit", "review_date"),
                    (*ra, "audit", "grade", "label"),
                    (*ra, "movement", "days"),
                    Label((*ra, "movement", "on")),
                    (*ra, "movement", "steps"),
                    Label((*ra, "movement", "text")),
                    out.reach((*ra, "movement", "reason")),
                    *((*ra, "standards", k) for k in ("improved", "same", "declined", "not_compared")),
                    *((*ra, "learning", k) for k in ("resolved", "persisting", "new")),
                    *((*ra, "actions", k) for k in ("done", "open", "overdue")),
                ]
            )
    out.add(
        heading(view["kind"]),
        "Each re-audit against its case's first audit, one row each",
        [
            "Case",
            "First audit",
            "First framework",
            "First date",
            "First grade",
            "Re-audit",
            "Re-audit file",
            "Re-audit framework",
            "Re-audit date",
            "Re-audit grade",
            "Days between",
            "Compared on",
            "Steps",
            "Change",
            "Not comparable because",
            "Standards improved",
            "Standards the same",
            "Standards declined",
            "Standards not compared",
            "Learning resolved",
            "Learning persisting",
            "Learning new",
            "Actions done",
            "Actions open",
            "Actions overdue",
        ],
        reaudits,
    )


def _moderation(out: _Tables) -> None:
    view = out.view
    measures = ("audits", "moderated", "pairs")
    rows: list[list[Place]] = [
        ["All frameworks", *(("totals", k) for k in measures), ("totals", "agreement"), "", "", "", ""]
    ]
    for i in range(len(view["frameworks"])):
        base: Ref = ("frameworks", i)
        rows.append(
            [
                (*base, "framework", "title"),
                *((*base, k) for k in measures),
                (*base, "agreement"),
                *kappa_cells(out, base),
            ]
        )
    for p in range(len(view["pooled"])):
        base = ("pooled", p)
        rows.append(
            [
                "Across frameworks, on one scale",
                "",
                "",
                (*base, "pairs"),
                (*base, "agreement"),
                *kappa_cells(out, base),
            ]
        )
    out.add(
        "Agreement",
        f"Agreement between first and second marks, and Cohen's kappa ({view['weights_label']})",
        [
            "Framework",
            "Audits",
            SECOND_MARKED,
            "Pairs",
            "Exact agreement",
            *KAPPA_COLUMNS,
        ],
        rows,
    )
    directions: list[list[Place]] = []
    named: list[tuple[Ref | str, Ref]] = [
        ("All frameworks", ("totals",)),
        *(
            (("frameworks", i, "framework", "title"), ("frameworks", i))
            for i in range(len(view["frameworks"]))
        ),
        *(("Across frameworks, on one scale", ("pooled", p)) for p in range(len(view["pooled"]))),
    ]
    for name, base in named:
        directions += [
            [
                name,
                Label((*base, "direction", d, "label")),
                *((*base, "direction", d, k) for k in ("count", "share")),
            ]
            for d in range(len(at(view, (*base, "direction"))))
        ]
    out.add(
        "Direction",
        "Second marks against the first: moderated down, the same grade, moderated up",
        ["Framework", "Direction", "Pairs", "Share"],
        directions,
    )

    def cross(title: str, caption: str, base: Ref) -> None:
        table = at(view, (*base, "table"))
        t: Ref = (*base, "table")
        rows: list[list[Ref | str]] = [
            [
                (*t, "rows", r, "label"),
                *((*t, "rows", r, "counts", c) for c in range(len(row["counts"]))),
                (*t, "rows", r, "total"),
            ]
            for r, row in enumerate(table["rows"])
        ]
        rows.append(["Total", *((*t, "totals", c) for c in range(len(table["totals"]))), (*t, "n")])
        out.add(title, caption, ["First mark, second mark across", *table["labels"], "Total"], rows)

    for i, section in enumerate(view["frameworks"]):
        base = ("frameworks", i)
        fw = section["framework"]
        cross(out.named(fw, "First against second"), f"First mark against second mark, {fw['title']}", base)
        grades = [g["label"] for g in section["grades"]]
        people: list[tuple[Ref, int | None]] = [((*base, "service"), None)]
        people += [((*base, "reviewers", r), r) for r in range(len(section["reviewers"]))]
        out.add(
            out.named(fw, "By reviewer"),
            f"Grades by reviewer, {fw['title']}",
            [
                "Reviewer",
                "Audits",
                *grades,
                f"{section['good_or_better_label']} or better",
                "With a second mark",
                "Moderated down",
            ],
            [
                [
                    (*who, "reviewer"),
                    (*who, "n"),
                    *((*who, "distribution", g, "share") for g in range(len(at(view, who)["distribution"]))),
                    (*who, "good_or_better"),
                    (*who, "moderated"),
                    (*who, "moderated_down"),
                ]
                for who, _ in people
            ],
        )
    for p in range(len(view["pooled"])):
        cross(
            "Across frameworks",
            "First mark against second mark, pooled on one scale for the frameworks",
            ("pooled", p),
        )
    path: Ref = ("pairs",)
    _items(
        out,
        heading(view["kind"]),
        "Each pair of first and second marks, one row each",
        path,
        [
            ("Kind", Label(("kind_label",))),
            (
                "Framework",
                _framework_column(out, path, ("frameworks",), ("framework", "id"), ("framework", "title")),
            ),
            ("Audit", ("audit_id",)),
            ("File", ("file",)),
            ("Review date", ("review_date",)),
            ("Reviewer", ("reviewer",)),
            ("Grade", ("grade", "label")),
            ("Second audit", ("second_audit_id",)),
            ("Second file", ("second_file",)),
            ("Second date", ("second_date",)),
            ("Second marker", ("second_marker",)),
            ("Second grade", ("second_grade", "label")),
            ("Direction", Label(("direction_label",))),
            ("Days apart", ("days_apart",)),
            ("Notes", ("notes",)),
        ],
    )


def _programme(out: _Tables) -> None:
    view = out.view
    keys = ("planned", "on_time", "late", "missing", "due", "completed", "completed_share", "on_time_share")
    days = ("median_days_to_audit", "longest_days_to_audit")
    columns = [
        "Planned",
        "Done on time",
        "Done late",
        "Missing",
        "Due",
        "Done",
        "Done, of those whose month has ended",
        "Done on time, of those",
        "Median days from choice to audit",
        "Longest days from choice to audit",
    ]
    for key, name, what in (
        ("by_auditor", "Auditor", "auditor"),
        ("by_team", "Team", "team"),
        ("by_month", "Round", "month"),
    ):
        rows: list[list[Ref | str]] = [["All", *(("totals", k) for k in (*keys, *days))]]
        rows += [[(key, i, "name"), *((key, i, k) for k in (*keys, *days))] for i in range(len(view[key]))]
        out.add(
            f"By {what}",
            f"The planned audits by {what}: done on time, late, missing or due",
            [name, *columns],
            rows,
        )
    _items(
        out,
        "Audit of the audits",
        "Each reviewer's audits: months without one, and the share with a rationale, with evidence below "
        "the top rating, and with learning where the grade is below good",
        ("reviewers",),
        [
            ("Reviewer", ("name",)),
            ("Audits", ("audits",)),
            ("Months without an audit", ("months_without",)),
            ("With a rationale", ("rationale",)),
            ("With evidence below the top rating", ("evidence",)),
            ("Below good", ("below_good",)),
            ("With learning where below good", ("learning",)),
        ],
    )
    _items(
        out,
        "Audits each month",
        "Each reviewer's audits completed, month by month",
        ("reviewers",),
        [
            ("Reviewer", ("name",)),
            *((m, ("monthly", n, "audits")) for n, m in enumerate(view["months"])),
        ],
    )
    to_check: list[list[Place]] = [
        [
            ("reviewers", r, "name"),
            *(("reviewers", r, "to_check", a, k) for k in ("audit_id", "file")),
            Label(("reviewers", r, "to_check", a, "missing")),
        ]
        for r, reviewer in enumerate(view["reviewers"])
        for a in range(len(reviewer["to_check"]))
    ]
    if to_check:
        out.add(
            "Audits to complete",
            "Audits without a rationale, evidence or learning",
            ["Reviewer", "Audit", "File", "Missing"],
            to_check,
        )
    _items(
        out,
        heading(view["kind"]),
        "Each planned audit, one row each",
        ("planned",),
        [
            ("State", Label(("state_label",))),
            ("Round", ("round",)),
            ("Selected on", ("selected_on",)),
            ("Due by", ("due_by",)),
            ("Team", ("team",)),
            ("Case", ("case_id",)),
            ("Practitioner", ("practitioner",)),
            ("Framework", ("framework_title",)),
            ("Auditor", ("auditor",)),
            ("Audit", ("audit_id",)),
            ("Review date", ("review_date",)),
            ("Audited by", ("audited_by",)),
            ("Days from choice to audit", ("days_to_audit",)),
            ("Days late", ("days_late",)),
            ("Days overdue", ("days_overdue",)),
            ("Audit file", ("audit_file",)),
            ("Plan", ("plan",)),
            ("Line", ("line",)),
            ("Note", ("note",)),
        ],
    )


def _sample(out: _Tables) -> None:
    view = out.view
    options = view["options"]
    # Closed cases are a column, and a sheet, only where the case list says which are closed.
    closed = bool(options.get("closure_recorded")) and not options.get("include_closed")
    _items(
        out,
        "Teams",
        f"Each team's cases: {'closed, ' if closed else ''}recently audited, eligible, chosen and short "
        "of the quota",
        ("teams",),
        [
            ("Team", ("team",)),
            ("Cases", ("cases",)),
            *([("Closed", ("closed",))] if closed else []),
            ("Recently audited", ("skipped",)),
            ("Eligible", ("eligible",)),
            ("Quota", ("quota",)),
            ("Chosen", ("chosen",)),
            ("Short by", ("shortfall",)),
        ],
    )
    practitioners: list[list[Ref | str]] = [
        [("teams", t, "team"), *(("teams", t, "practitioners", p, k) for k in ("name", "eligible", "chosen"))]
        for t, team in enumerate(view["teams"])
        for p in range(len(team["practitioners"]))
    ]
    out.add(
        "Practitioners",
        "Each team's practitioners: their eligible cases and those chosen",
        ["Team", "Practitioner", "Eligible", "Chosen"],
        practitioners,
    )
    strata: list[list[Ref | str]] = [
        [("teams", t, "team"), *(("teams", t, "strata", s, k) for k in ("name", "eligible", "chosen"))]
        for t, team in enumerate(view["teams"])
        for s in range(len(team["strata"]))
    ]
    if view["options"].get("stratify"):
        stratify = view["options"]["stratify"]
        out.add(
            f"By {stratify}",
            f"Each team's eligible and chosen cases by {stratify}",
            ["Team", heading(stratify), "Eligible", "Chosen"],
            strata,
        )
    if view.get("shortfalls"):
        _items(
            out,
            "Short of the quota",
            "Teams with fewer eligible cases than their quota",
            ("shortfalls",),
            [
                ("Team", ("team",)),
                ("Eligible", ("eligible",)),
                ("Quota", ("quota",)),
                ("Short by", ("missing",)),
            ],
        )
    if closed:
        _items(
            out,
            "Closed",
            "Cases left out as closed",
            ("closed",),
            [
                ("Team", ("team",)),
                ("Case", ("case_id",)),
                ("Practitioner", ("practitioner",)),
                ("Status", ("status",)),
                ("Closed on", ("closed_on",)),
            ],
        )
    _items(
        out,
        "Recently audited",
        "Cases left out as audited recently",
        ("skipped",),
        [
            ("Team", ("team",)),
            ("Case", ("case_id",)),
            ("Practitioner", ("practitioner",)),
            ("Last audit", ("last_audit", "audit_id")),
            ("Date", ("last_audit", "date")),
        ],
    )
    if view.get("auditors") is not None:  # None without an auditors list: no one to list
        _items(
            out,
            "Auditors",
            "The auditors: their capacity and the audits proposed to each",
            ("auditors",),
            [
                ("Auditor", ("name",)),
                ("Team", ("team",)),
                ("Capacity", ("capacity",)),
                ("Proposed", ("proposed",)),
            ],
        )
    _items(
        out,
        heading(view["kind"]),
        "The plan: each case chosen, one row each",
        ("plan",),
        [
            ("Team", ("team",)),
            ("Case", ("case_id",)),
            ("Line", ("line",)),
            ("Practitioner", ("practitioner",)),
            ("Framework", ("framework_title",)),
            ("Last audit", ("last_audit", "audit_id")),
            ("Last audit date", ("last_audit", "date")),
            ("Proposed auditor", ("proposed_auditor",)),
            ("Auditor's team", ("auditor_team",)),
            ("Why no auditor", ("no_auditor_reason",)),
            ("Audit", ("audit_id",)),
            ("Audit file", ("audit_file",)),
            ("Note", ("note",)),
            ("Round", lambda i, item: ("round",)),
            ("Selected on", lambda i, item: ("today",)),
            ("Seed", lambda i, item: ("seed",)),
        ],
    )


_BUILDERS: dict[str, Callable[[_Tables], None]] = {
    "escalations": _escalations,
    "actions": _actions,
    "impact": _impact,
    "moderation": _moderation,
    "programme": _programme,
    "sample": _sample,
}

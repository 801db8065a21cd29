"""The cycle's commands: ``escalations``, ``impact``, ``actions``, ``moderation``.

Each loads the audits (:func:`qaimpact.cli.outcome.read_audits`), asks its step in
:mod:`qaimpact.cycle` for a view, renders it (:func:`cycle_output`) and ends through
:func:`qaimpact.cli.outcome.finish`, which lists the audits left out and gives the exit code;
``sample`` (:mod:`.sample`) does the same.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from qaimpact.base.errors import UsageError
from qaimpact.cli import options
from qaimpact.cli.errors import handle_errors
from qaimpact.cli.options import (
    AuditsDirs,
    Bom,
    CycleFormat,
    DateFrom,
    DateTo,
    Force,
    NoPublish,
    OptionRefused,
    Output,
    QuarterOption,
    Redact,
    StandardsDirs,
    Templates,
    Today,
    YearStart,
    choice_option,
    format_option,
    note_redaction,
    parse_date,
    refuse_publish,
    resolve_period,
    resolve_today,
    unknown_choice,
    whole_number_option,
)
from qaimpact.cli.output import emit, with_templates


def cycle_output(
    view: dict[str, Any],
    rows: list[dict[str, Any]],
    columns: list[str],
    output_format: CycleFormat,
    *,
    templates: Path | None,
    day: dt.date,
    output: Path | None,
    inputs: list[Path],
    force: bool,
    bom: bool = False,
    format_given: bool = True,
) -> None:
    """Render a cycle view (``rows`` and ``columns`` are its CSV form) to the screen or --output.

    ``format_given``: whether ``--format`` was given; a Markdown report by default is shown
    rendered on a terminal (:func:`qaimpact.cli.output.emit`)."""
    from qaimpact.reports import render

    inputs = with_templates(inputs, templates)
    if output_format is CycleFormat.xlsx:
        from qaimpact.cli.output import emit_workbook, needs_output_file
        from qaimpact.reports import cycle_tables, xlsx

        needs_output_file(output)
        assert output is not None
        emit_workbook(xlsx.workbook(cycle_tables.cycle_sheets(view)), output, inputs, force)
        return
    if output_format is CycleFormat.json:
        text = render.render_json(view)
    elif output_format is CycleFormat.csv:
        text = render.render_csv(rows, columns, bom=bom)
    else:
        text = render.render(view, output_format.value, templates, today=day)
    emit(
        text,
        output,
        inputs,
        force,
        markdown=output_format is CycleFormat.md and not format_given,
        csv=output_format is CycleFormat.csv,
    )


class EscalationState(StrEnum):
    """States of an escalation, as ``--state`` spells them (``open``: every state but closed;
    ``overdue``: late at any step, whatever the state)."""

    not_raised = "not-raised"
    raised = "raised"
    acknowledged = "acknowledged"
    outcome_recorded = "outcome-recorded"
    closed = "closed"
    open = "open"
    overdue = "overdue"


class FailOn(StrEnum):
    """When ``escalations`` exits non-zero: while any escalation is in a state, or has a flag."""

    not_raised = "not-raised"
    raised = "raised"
    acknowledged = "acknowledged"
    outcome_recorded = "outcome-recorded"
    open = "open"
    overdue = "overdue"
    raise_overdue = "raise-overdue"
    acknowledgement_overdue = "acknowledgement-overdue"
    outcome_overdue = "outcome-overdue"
    off_route = "off-route"
    never = "never"


def _in_state(totals: dict[str, Any], state: str) -> int | None:
    found: int | None = next(s["count"]["n"] for s in totals["states"] if s["state"] == state)
    return found


#: For each --fail-on value: how many escalations hold it (from the view's totals), what they
#: are, and what lets the gate pass.
_GATES: dict[FailOn, tuple[Any, str, str]] = {
    FailOn.not_raised: (
        lambda t: _in_state(t, "not_raised"),
        "not raised",
        "each is raised and recorded under 'escalation:' in its audit",
    ),
    FailOn.raised: (
        lambda t: _in_state(t, "raised"),
        "awaiting acknowledgement",
        "each is acknowledged and recorded ('acknowledged_on', 'acknowledged_by')",
    ),
    FailOn.acknowledged: (
        lambda t: _in_state(t, "acknowledged"),
        "awaiting the outcome for the child",
        "each has its outcome recorded ('outcome:' with 'action_taken' and 'safe_on')",
    ),
    FailOn.outcome_recorded: (
        lambda t: _in_state(t, "outcome_recorded"),
        "awaiting closure",
        "each is closed and recorded ('closed_on', 'closed_by')",
    ),
    FailOn.open: (lambda t: t["open_count"]["n"], "still open", "each is closed and recorded"),
    FailOn.overdue: (
        lambda t: t["overdue"]["n"],
        "overdue",
        "each overdue step is taken and recorded under 'escalation:' in its audit",
    ),
    FailOn.raise_overdue: (
        lambda t: t["raise_overdue"]["n"],
        "not raised by their due date",
        "each is raised and recorded under 'escalation:' in its audit",
    ),
    FailOn.acknowledgement_overdue: (
        lambda t: t["acknowledgement_overdue"]["n"],
        "not acknowledged in time",
        "each is acknowledged and recorded",
    ),
    FailOn.outcome_overdue: (
        lambda t: t["outcome_overdue"]["n"],
        "without an outcome in time",
        "each has its outcome recorded",
    ),
    FailOn.off_route: (
        lambda t: t["off_route"]["n"],
        "not raised along the framework's route",
        "every role on the route is told and recorded under 'recipients:'",
    ),
}


def _choices(enum: type[StrEnum], option: str) -> Any:
    """A callback reading repeatable values of ``enum`` written with hyphens, spaces or underscores
    in any case ("not raised", "Not_Raised" and "not-raised" are one value)."""

    def refused(command: str, *, value: str, choices: list[str]) -> str:
        return unknown_choice(command, option, value, choices, "spaces may replace hyphens")

    def parse(values: list[str] | None) -> list[Any] | None:
        if values is None:
            return None
        allowed = {member.value: member for member in enum}
        chosen = []
        for value in values:
            key = "-".join(value.replace("_", " ").replace("-", " ").split()).lower()
            if key not in allowed:
                raise OptionRefused(partial(refused, value=value, choices=list(allowed)))
            chosen.append(allowed[key])
        return chosen

    return parse


@handle_errors
def escalations(
    ctx: typer.Context,
    audits: AuditsDirs = None,
    state: Annotated[
        list[str] | None,
        typer.Option(
            help="List only escalations in this state (repeatable: those in any of them; the totals "
            "cover all): not-raised; raised (awaiting acknowledgement); acknowledged (awaiting the "
            "outcome for the child); outcome-recorded (awaiting closure); closed; open (all but "
            "closed); or overdue (late at any step: not raised, acknowledged or given an outcome by "
            'its due date). Spaces may replace hyphens: --state "not raised".',
            metavar="STATE",
            callback=_choices(EscalationState, "--state"),
        ),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option(
            help="Only the escalations of audits of a team whose name holds T (case and extra spaces "
            "ignored), as actions --team: the totals and --fail-on cover these.",
            metavar="T",
        ),
    ] = None,
    fail_on: Annotated[
        list[str] | None,
        typer.Option(
            help="Exit 1 while any escalation is in this state or has this flag (repeatable): "
            "not-raised (the default), raised, acknowledged, outcome-recorded or open; overdue (any "
            "step past its time), raise-overdue, acknowledgement-overdue or outcome-overdue; "
            "off-route (told someone off the framework's route, or a role on it never told); or "
            "never (only report; an invalid audit, left out, still exits 1).",
            metavar="WHEN",
            callback=_choices(FailOn, "--fail-on"),
        ),
    ] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    quarter: QuarterOption = None,
    year_start: YearStart = None,
    output_format: Annotated[
        CycleFormat, format_option(CycleFormat, "md, html, json, csv or xlsx (an Excel workbook, with -o).")
    ] = CycleFormat.md,
    output: Output = None,
    force: Force = False,
    bom: Bom = False,
    redact: Redact = False,
    publish: NoPublish = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Every audit that must be escalated under its framework's rules, and how far each has gone.

    An audit needs escalating when a rule holds for the most severe of its grades (the grade the
    ratings give, the grade the auditor recorded, the moderator's) or for its facts (immediate
    safeguarding actions). Each escalation is not raised, raised (awaiting acknowledgement),
    acknowledged (awaiting the outcome for the child), outcome recorded (awaiting closure) or
    closed; the rules set when each step is due, and the report flags every step overdue and
    every role off the route. Exits 1 while any escalation is not raised (see --fail-on), so CI
    can gate on it, and while any audit file is invalid, since whether it needs escalating
    cannot be known.
    """
    output_format = options.output_format_for(ctx, output_format, output)
    options.refuse_bom(bom, output_format)
    refuse_publish(publish, "escalations")
    from qaimpact.cli.outcome import finish, read_audits
    from qaimpact.grading.escalation_lifecycle import CLOSED, STATES

    # The callbacks have turned the values into members of the enums.
    gates = [FailOn(g) for g in fail_on] if fail_on else [FailOn.not_raised]
    if FailOn.never in gates and len(set(gates)) > 1:
        raise UsageError("--fail-on never only reports: give it alone, not with other values.")
    day = resolve_today(today)
    period = resolve_period(year_start, quarter, date_from, date_to, today=day, quarters_shown=False)
    read = read_audits(
        audits, standards, day, period.date_from, period.date_to, imports=("qaimpact.cycle.escalations",)
    )
    from qaimpact.cycle import escalations as core

    states = None
    overdue = False
    if state:
        chosen = {EscalationState(s).value.replace("-", "_") for s in state}
        overdue = "overdue" in chosen
        if "open" in chosen:
            chosen = (chosen - {"open"}) | {s for s in STATES if s != CLOSED}
        # Overdue is not a state but a flag: only it asked for lists the overdue in every state.
        states = [s for s in STATES if s in chosen] if chosen - {"overdue"} else None
    view = core.escalations_view(
        read.dataset,
        day,
        states=states,
        overdue=overdue,
        team=team,
        redact=redact,
        quarters=period.quarters,
        quarter=period.quarter,
    )
    note_redaction(view, redact)
    cycle_output(
        view,
        core.rows(view),
        core.COLUMNS,
        output_format,
        templates=templates,
        day=day,
        output=output,
        inputs=read.inputs,
        force=force,
        bom=bom,
        format_given=options.format_given(ctx),
    )
    failing = []
    for gate in dict.fromkeys(gates):
        if gate is FailOn.never:
            continue
        how_many, what, remedy = _GATES[gate]
        # The escalations carried in from before the period count too: a child's case still
        # waiting is not made safe by a quarter ending.
        carried = view["carried_in"]
        n = how_many(view["totals"]) + (how_many(carried["totals"]) if carried else 0)
        if n:
            failing.append(
                f"{n} escalation{'' if n == 1 else 's'} {what}: exiting with 1 until {remedy} "
                "(--fail-on never only reports)."
            )
    from qaimpact.cli import console

    for line in failing:
        console.print_problem(console.stderr(), line)
    if team is not None:
        # The gates cover the team chosen, as asked; what they leave out is said, never hidden.
        others = core.other_teams_totals(read.dataset, team, day)
        for gate in dict.fromkeys(gates):
            if gate is FailOn.never:
                continue
            how_many, what, _ = _GATES[gate]
            n = how_many(others)
            if n:
                console.print_note(
                    console.stderr(),
                    f"{n} escalation{'' if n == 1 else 's'} of other teams {what}, not counted by "
                    "--fail-on here (--team): run without --team to check every team.",
                )
    # An audit left out (whether it needs escalating cannot be known) exits 1 whatever --fail-on.
    finish(read.registry, read.dataset, redact=redact, failed=bool(failing))


ReauditedFrom = Annotated[
    str | None,
    typer.Option("--from", help="Only cases re-audited on or after DATE.", metavar="DATE"),
]

ReauditedTo = Annotated[
    str | None,
    typer.Option("--to", help="Only re-audits up to DATE: each case as it stood then.", metavar="DATE"),
]

ReauditedQuarter = Annotated[
    str | None,
    typer.Option(
        "--quarter",
        help="Only cases re-audited in this quarter, each as it stood at the quarter's end: 2026-Q3, "
        "or with --year-start april 2026-27-Q2 (July to September 2026). Not with --from/--to.",
        metavar="QUARTER",
    ),
]


@handle_errors
def impact(
    ctx: typer.Context,
    audits: AuditsDirs = None,
    date_from: ReauditedFrom = None,
    date_to: ReauditedTo = None,
    quarter: ReauditedQuarter = None,
    year_start: YearStart = None,
    output_format: Annotated[
        CycleFormat,
        format_option(
            CycleFormat, "md, html, json, csv (one row per re-audit) or xlsx (a workbook, with -o)."
        ),
    ] = CycleFormat.md,
    output: Output = None,
    force: Force = False,
    bom: Bom = False,
    redact: Redact = False,
    publish: NoPublish = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Re-audits: how each case's grade, standards, learning and actions moved since its first audit.

    A re-audit names its audit with `reaudit_of: AUDIT_ID`. Exits 1 when a link cannot be followed
    (an unknown or shared audit_id, a date or case that does not match, a loop); the report says where.
    """
    output_format = options.output_format_for(ctx, output_format, output)
    options.refuse_bom(bom, output_format)
    refuse_publish(publish, "impact")
    from qaimpact.cli import console
    from qaimpact.cli.outcome import finish, read_audits

    day = resolve_today(today)
    period = resolve_period(year_start, quarter, date_from, date_to, today=day, quarters_shown=False)
    # Every audit is read: an original audit from before --from still anchors its re-audits.
    read = read_audits(audits, standards, day, imports=("qaimpact.cycle.impact",))
    from qaimpact.cycle import impact as core

    view = core.impact_view(
        read.dataset,
        day,
        date_from=parse_date(period.date_from, "--from"),
        date_to=parse_date(period.date_to, "--to"),
        redact=redact,
        quarters=period.quarters,
        quarter=period.quarter,
    )
    note_redaction(view, redact)
    cycle_output(
        view,
        core.rows(view),
        core.COLUMNS,
        output_format,
        templates=templates,
        day=day,
        output=output,
        inputs=read.inputs,
        force=force,
        bom=bom,
        format_given=options.format_given(ctx),
    )
    problems = len(view["problems"])
    if problems:
        console.print_problem(
            console.stderr(),
            f"{problems} re-audit link{'s' if problems != 1 else ''} cannot be followed; the report lists "
            "where and how to fix each.",
        )
    finish(read.registry, read.dataset, redact=redact, failed=bool(problems))


ActionsFrom = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="Only the actions of audits reviewed on or after DATE, and those carried in: agreed "
        "before DATE and still open on it.",
        metavar="DATE",
    ),
]

ActionsQuarter = Annotated[
    str | None,
    typer.Option(
        "--quarter",
        help="Only the actions of audits reviewed in this quarter, and those carried in: agreed "
        "before it and still open when it began. 2026-Q3, or with --year-start april 2026-27-Q2 "
        "(July to September 2026). Not with --from/--to.",
        metavar="QUARTER",
    ),
]


@handle_errors
def actions(
    ctx: typer.Context,
    audits: AuditsDirs = None,
    overdue: Annotated[
        bool,
        typer.Option("--overdue", help="List only open actions past their due date; the totals count all."),
    ] = False,
    owner: Annotated[
        str | None,
        typer.Option(help="Only the actions owned by NAME (case and extra spaces ignored).", metavar="NAME"),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option(
            help="Only the actions from audits of a team whose name holds T (case and extra spaces ignored).",
            metavar="T",
        ),
    ] = None,
    date_from: ActionsFrom = None,
    date_to: DateTo = None,
    quarter: ActionsQuarter = None,
    year_start: YearStart = None,
    output_format: Annotated[
        CycleFormat,
        format_option(CycleFormat, "md, html, json, csv (one row per action) or xlsx (a workbook, with -o)."),
    ] = CycleFormat.md,
    output: Output = None,
    force: Force = False,
    bom: Bom = False,
    redact: Redact = False,
    publish: NoPublish = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Every remedial action agreed at audit: its owner, due date and status, overdue ones first.

    For a period (--quarter, --from) the list holds the actions agreed in it and those carried
    in: agreed before it and still open when it began, so a long-overdue action is never hidden
    (the quarterly report counts them alike). The list is information: it exits 0 even when
    actions are overdue (1 when an invalid audit, and any actions it holds, were left out).
    """
    output_format = options.output_format_for(ctx, output_format, output)
    options.refuse_bom(bom, output_format)
    refuse_publish(publish, "actions")
    from qaimpact.cli.outcome import finish, read_audits

    day = resolve_today(today)
    period = resolve_period(year_start, quarter, date_from, date_to, today=day, quarters_shown=False)
    read = read_audits(
        audits, standards, day, period.date_from, period.date_to, imports=("qaimpact.cycle.actions",)
    )
    from qaimpact.cycle import actions as core

    view = core.actions_view(
        read.dataset,
        day,
        owner=owner,
        team=team,
        overdue=overdue,
        redact=redact,
        quarters=period.quarters,
        quarter=period.quarter,
    )
    note_redaction(view, redact)
    cycle_output(
        view,
        core.rows(view),
        core.COLUMNS,
        output_format,
        templates=templates,
        day=day,
        output=output,
        inputs=read.inputs,
        force=force,
        bom=bom,
        format_given=options.format_given(ctx),
    )
    finish(read.registry, read.dataset, redact=redact)


class KappaWeights(StrEnum):
    """Weights of ``moderation``'s kappa."""

    linear = "linear"
    quadratic = "quadratic"
    none = "none"


@handle_errors
def moderation(
    ctx: typer.Context,
    audits: AuditsDirs = None,
    window: Annotated[
        int,
        whole_number_option(
            "--window",
            help="Two reviewers' audits of one case at most DAYS apart are double-marking.",
            metavar="DAYS",
            what="a whole number of days",
            example="30",
            min=0,
        ),
    ] = 30,
    weights: Annotated[
        KappaWeights,
        choice_option(
            KappaWeights,
            "--weights",
            help="Kappa's credit for a near miss: linear, quadratic or none (plain kappa).",
        ),
    ] = KappaWeights.linear,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    quarter: QuarterOption = None,
    year_start: YearStart = None,
    output_format: Annotated[
        CycleFormat,
        format_option(CycleFormat, "md, html, json, csv (one row per pair) or xlsx (a workbook, with -o)."),
    ] = CycleFormat.md,
    output: Output = None,
    force: Force = False,
    bom: Bom = False,
    redact: Redact = False,
    publish: NoPublish = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """How far moderators and second reviewers agree with the auditors' grades: agreement, weighted
    kappa, and how many grades were moderated down, per framework and per reviewer.

    Pairs come from `moderation:` blocks and from double-marking (two reviewers' audits of one case
    within --window days, neither a re-audit of the other).
    """
    output_format = options.output_format_for(ctx, output_format, output)
    options.refuse_bom(bom, output_format)
    refuse_publish(publish, "moderation")
    from qaimpact.cli.outcome import finish, read_audits

    day = resolve_today(today)
    period = resolve_period(year_start, quarter, date_from, date_to, today=day, quarters_shown=False)
    # Moderation compares the grades of the period's audits alone: one from before it, with errors
    # or not, changes nothing in it.
    read = read_audits(
        audits,
        standards,
        day,
        period.date_from,
        period.date_to,
        earlier=False,
        imports=("qaimpact.cycle.moderation",),
    )
    from qaimpact.cycle import moderation as core

    view = core.moderation_view(
        read.dataset,
        window=window,
        weights=weights.value,
        redact=redact,
        quarters=period.quarters,
        quarter=period.quarter,
    )
    note_redaction(view, redact)
    cycle_output(
        view,
        core.rows(view),
        core.COLUMNS,
        output_format,
        templates=templates,
        day=day,
        output=output,
        inputs=read.inputs,
        force=force,
        bom=bom,
        format_given=options.format_given(ctx),
    )
    finish(read.registry, read.dataset, redact=redact)


@handle_errors
def programme(
    ctx: typer.Context,
    plans: Annotated[
        list[Path],
        typer.Argument(
            help="The plans: CSV files written by `qaimpact sample` (one per round), or any CSV with the "
            "columns case_id, team, round (YYYY-MM) and selected_on (YYYY-MM-DD).",
            metavar="PLAN.csv...",
            show_default=False,
        ),
    ],
    audits: AuditsDirs = None,
    output_format: Annotated[
        CycleFormat,
        format_option(
            CycleFormat, "md, html, json, csv (one row per planned audit) or xlsx (a workbook, with -o)."
        ),
    ] = CycleFormat.md,
    output: Output = None,
    force: Force = False,
    bom: Bom = False,
    redact: Redact = False,
    publish: Annotated[
        bool,
        typer.Option(
            "--publish",
            help="Not available: the programme names auditors and cases, one by one. Use --redact for a "
            "copy without names, or `qaimpact summary --publish` for figures to share.",
        ),
    ] = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """The audit programme: the audits planned against the audits done, by auditor, team and month.

    Each planned audit is done (by the end of its round's month), late, missing (its month has
    ended with no audit of the case since it was chosen) or due. The report also gives the days
    from choosing a case to auditing it, and the audit of the audits: for each reviewer, the
    audits completed each month and the share with a rationale, with evidence for every rating
    below the top one, and with learning recorded where the grade is below good. It is
    information: it exits 0 even when audits are missing (1 when an invalid audit was left out).
    """
    output_format = options.output_format_for(ctx, output_format, output)
    options.refuse_bom(bom, output_format)
    from qaimpact.cli.outcome import finish, read_audits

    if publish:
        raise UsageError(
            "programme cannot be published: it lists each planned audit with its auditor and case, "
            "which no published report may. Use --redact for a copy with names and case ids replaced, "
            "or `qaimpact summary --publish` for figures to share."
        )
    day = resolve_today(today)
    read = read_audits(audits, standards, day, imports=("qaimpact.cycle.programme",))
    from qaimpact.cycle import programme as core

    plans = core.distinct_plans(plans)
    planned = core.read_plans(plans, read.registry.ids())
    view = core.programme_view(
        planned,
        read.dataset,
        day,
        plans=[str(p) for p in plans],
        redact=redact,
        frameworks=read.registry.frameworks(),
    )
    note_redaction(view, redact)
    cycle_output(
        view,
        core.rows(view),
        core.COLUMNS,
        output_format,
        templates=templates,
        day=day,
        output=output,
        inputs=[*read.inputs, *plans],
        force=force,
        bom=bom,
    )
    finish(read.registry, read.dataset, redact=redact)

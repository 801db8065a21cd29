"""The cycle's commands: ``escalations``, ``impact``, ``actions``, ``moderation``.

Each loads the audits (:func:`qaimpact.cli.outcome.read_audits`), asks its step in
:mod:`qaimpact.cycle` for a view, renders it (:func:`cycle_output`) and ends through
:func:`qaimpact.cli.outcome.finish`, which lists the audits left out and gives the exit code;
``sample`` (:mod:`.sample`) does the same.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from qaimpact.cli.errors import handle_errors
from qaimpact.cli.options import (
    AuditsDirs,
    CycleFormat,
    DateFrom,
    DateTo,
    Force,
    Output,
    Redact,
    StandardsDirs,
    Templates,
    Today,
    parse_date,
    resolve_today,
)
from qaimpact.cli.output import emit


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
) -> None:
    """Render a cycle view (``rows`` and ``columns`` are its CSV form) to the screen or --output."""
    from qaimpact.reports import render

    if output_format is CycleFormat.json:
        text = render.render_json(view)
    elif output_format is CycleFormat.csv:
        text = render.render_csv(rows, columns)
    else:
        text = render.render(view, output_format.value, templates, today=day)
    emit(text, output, inputs, force)


class EscalationState(StrEnum):
    """States of an escalation, as ``--state`` spells them."""

    not_raised = "not-raised"
    raised = "raised"
    acknowledged = "acknowledged"


class FailOn(StrEnum):
    """When ``escalations`` exits non-zero."""

    not_raised = "not-raised"
    overdue = "overdue"
    never = "never"


@handle_errors
def escalations(
    audits: AuditsDirs = None,
    state: Annotated[
        list[EscalationState] | None,
        typer.Option(
            help="List only escalations in this state: not-raised, raised or acknowledged "
            "(repeatable); the totals cover all.",
            metavar="STATE",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            help="Exit 1 while any escalation is not raised (default), only when one is overdue, or never "
            "(an invalid audit, left out, still exits 1)."
        ),
    ] = FailOn.not_raised,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    output_format: Annotated[
        CycleFormat, typer.Option("--format", "-f", help="md, html, json or csv.")
    ] = CycleFormat.md,
    output: Output = None,
    force: Force = False,
    redact: Redact = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Every audit that must be escalated under its framework's rules: raised or not, and how long.

    Exits 1 while any escalation is not raised (see --fail-on), so CI can gate on it, and while
    any audit file is invalid (whatever --fail-on), since whether it needs escalating cannot be
    known.
    """
    from qaimpact.cli.outcome import finish, read_audits
    from qaimpact.cycle import escalations as core
    from qaimpact.privacy.redaction import Redactor

    day = resolve_today(today)
    read = read_audits(audits, standards, day, date_from, date_to)
    dataset = read.dataset
    if redact:
        dataset = Redactor(dataset.records).dataset(dataset)
    states = [s.value.replace("-", "_") for s in state] if state else None
    view = core.escalations_view(dataset, day, states=states, redact=redact)
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
    )
    totals = view["totals"]
    failing = {
        FailOn.not_raised: totals["not_raised"]["n"],
        FailOn.overdue: totals["overdue"]["n"],
        FailOn.never: 0,
    }[fail_on]
    if failing:
        from qaimpact.cli import console

        what = "not raised" if fail_on is FailOn.not_raised else "overdue"
        console.print_problem(
            console.stderr(),
            f"{failing} escalation(s) {what}: exiting with 1 until each is raised and recorded under "
            "'escalation:' in its audit (--fail-on never only reports).",
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


@handle_errors
def impact(
    audits: AuditsDirs = None,
    date_from: ReauditedFrom = None,
    date_to: ReauditedTo = None,
    output_format: Annotated[
        CycleFormat, typer.Option("--format", "-f", help="md, html, json or csv (csv: one row per re-audit).")
    ] = CycleFormat.md,
    output: Output = None,
    force: Force = False,
    redact: Redact = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Re-audits: how each case's grade, standards, learning and actions moved since its first audit.

    A re-audit names its audit with `reaudit_of: AUDIT_ID`. Exits 1 when a link cannot be followed
    (an unknown or shared audit_id, a date or case that does not match, a loop); the report says where.
    """
    from qaimpact.cli import console
    from qaimpact.cli.outcome import finish, read_audits
    from qaimpact.cycle import impact as core

    day = resolve_today(today)
    # Every audit is read: an original audit from before --from still anchors its re-audits.
    read = read_audits(audits, standards, day)
    view = core.impact_view(
        read.dataset,
        day,
        date_from=parse_date(date_from, "--from"),
        date_to=parse_date(date_to, "--to"),
        redact=redact,
    )
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
    )
    problems = len(view["problems"])
    if problems:
        console.print_problem(
            console.stderr(),
            f"{problems} re-audit link{'s' if problems != 1 else ''} cannot be followed; the report lists "
            "where and how to fix each.",
        )
    finish(read.registry, read.dataset, redact=redact, failed=bool(problems))


@handle_errors
def actions(
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
            help="Only the actions from audits of team T (case and extra spaces ignored).", metavar="T"
        ),
    ] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    output_format: Annotated[
        CycleFormat, typer.Option("--format", "-f", help="md, html, json or csv (csv: one row per action).")
    ] = CycleFormat.md,
    output: Output = None,
    force: Force = False,
    redact: Redact = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Every remedial action agreed at audit: its owner, due date and status, overdue ones first.

    The list is information: it exits 0 even when actions are overdue (1 when an invalid audit,
    and any actions it holds, were left out).
    """
    from qaimpact.cli.outcome import finish, read_audits
    from qaimpact.cycle import actions as core

    day = resolve_today(today)
    read = read_audits(audits, standards, day, date_from, date_to)
    view = core.actions_view(read.dataset, day, owner=owner, team=team, overdue=overdue, redact=redact)
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
    )
    finish(read.registry, read.dataset, redact=redact)


class KappaWeights(StrEnum):
    """Weights of ``moderation``'s kappa."""

    linear = "linear"
    quadratic = "quadratic"
    none = "none"


@handle_errors
def moderation(
    audits: AuditsDirs = None,
    window: Annotated[
        int,
        typer.Option(
            help="Two reviewers' audits of one case at most DAYS apart are double-marking.",
            metavar="DAYS",
        ),
    ] = 30,
    weights: Annotated[
        KappaWeights,
        typer.Option(help="Kappa's credit for a near miss: linear, quadratic or none (plain kappa)."),
    ] = KappaWeights.linear,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    output_format: Annotated[
        CycleFormat, typer.Option("--format", "-f", help="md, html, json or csv (csv: one row per pair).")
    ] = CycleFormat.md,
    output: Output = None,
    force: Force = False,
    redact: Redact = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """How far moderators and second reviewers agree with the auditors' grades: agreement, weighted
    kappa, and how many grades were moderated down, per framework and per reviewer.

    Pairs come from `moderation:` blocks and from double-marking (two reviewers' audits of one case
    within --window days, neither a re-audit of the other).
    """
    from qaimpact.cli.outcome import finish, read_audits
    from qaimpact.cycle import moderation as core

    day = resolve_today(today)
    read = read_audits(audits, standards, day, date_from, date_to)
    view = core.moderation_view(read.dataset, window=window, weights=weights.value, redact=redact)
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
    )
    finish(read.registry, read.dataset, redact=redact)

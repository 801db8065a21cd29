"""``qaimpact report`` (feedback on one audit, a learning log) and ``qaimpact summary``."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qaimpact.base.errors import UsageError
from qaimpact.cli.errors import handle_errors
from qaimpact.cli.options import (
    AuditsDirs,
    Bom,
    DateFrom,
    DateTo,
    Force,
    NoPublish,
    Output,
    QuarterOption,
    Redact,
    StandardsDirs,
    Templates,
    Today,
    YearStart,
    choice_option,
    format_given,
    format_option,
    load_registry,
    note_redaction,
    output_format_for,
    refuse_bom,
    refuse_publish,
    resolve_period,
    resolve_today,
)
from qaimpact.cli.output import emit, with_templates

if TYPE_CHECKING:
    from qaimpact.audits.quarters import Quarters


class ReportFormat(StrEnum):
    """Output formats of ``report``."""

    md = "md"
    html = "html"
    json = "json"


class SummaryFormat(StrEnum):
    """Output formats of ``summary``."""

    md = "md"
    html = "html"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class GroupBy(StrEnum):
    """Groupings of ``summary --by``."""

    team = "team"
    reviewer = "reviewer"
    practitioner = "practitioner"
    law_type = "law_type"
    audit_type = "audit_type"
    theme = "theme"
    month = "month"
    quarter = "quarter"


@handle_errors
def report(
    ctx: typer.Context,
    audit: Annotated[
        Path | None, typer.Argument(help="One audit file: feedback for the practitioner.", metavar="[AUDIT]")
    ] = None,
    fca: Annotated[
        str | None,
        typer.Option(
            "--fca",
            "--practitioner",
            help="A practitioner's learning log across their audits.",
            metavar="NAME",
        ),
    ] = None,
    audits: AuditsDirs = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    quarter: QuarterOption = None,
    year_start: YearStart = None,
    output_format: Annotated[
        ReportFormat, format_option(ReportFormat, "md, html or json.")
    ] = ReportFormat.md,
    output: Output = None,
    force: Force = False,
    redact: Redact = False,
    publish: NoPublish = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Feedback on one audit, or a practitioner's learning log (--fca NAME), as Markdown or HTML."""
    output_format = output_format_for(ctx, output_format, output)
    refuse_publish(publish, "report")
    from qaimpact.audits.checker import CheckOptions, check_audit, expand_paths, what_it_is
    from qaimpact.audits.records import AuditRecord
    from qaimpact.cli.outcome import finish, read_audits
    from qaimpact.cycle.common import period_view
    from qaimpact.privacy.redaction import Redactor, kinds_in_shown_order
    from qaimpact.reports import feedback, learning_log, render

    if audit is not None and fca is not None and audit.is_dir():
        # `report --fca NAME audits/`: the folder meant as the log's audits, not as feedback.
        raise UsageError(
            f"'{audit}' is a folder, but a learning log reads audits only from the folders named "
            f"with --audits. Write --audits {audit}."
        )
    if audit is None and fca is None:
        raise UsageError("Give either an audit file (feedback on one audit) or --fca NAME (a learning log).")
    if audit is not None and fca is not None:
        raise UsageError(
            f"Give an audit file or --fca, not both: `qaimpact report {audit}` writes the feedback on "
            f'that one audit, and `qaimpact report --fca "{fca}"` the learning log of {fca}\'s audits.'
        )
    period_options = {"--quarter": quarter, "--from": date_from, "--to": date_to, "--year-start": year_start}
    given = [name for name, value in period_options.items() if value is not None]
    if audit is not None and given:
        # Ignored silently, they would let a reader believe the feedback was limited to a period.
        names = " and ".join(given)
        raise UsageError(
            f"{names} choose{'s' if len(given) == 1 else ''} the audits of a learning log, but "
            f"'{audit}' is one audit, whose feedback covers that audit only: leave {names} out, "
            "or give --fca NAME instead of the audit file for the practitioner's learning log of "
            "that period."
        )
    day = resolve_today(today)
    dataset = None
    if audit is not None:
        registry = load_registry(standards)
        inputs = list(expand_paths([audit]))
        if len(inputs) != 1:
            raise UsageError(
                f"'{audit}' is not one audit file; for a folder use `qaimpact summary --audits`."
            )
        check = check_audit(
            inputs[0], registry, CheckOptions(today=day, with_lift=True, keep_data=True, with_ahead=True)
        )
        other = what_it_is(check)
        if other is not None:
            what, use = other
            raise UsageError(f"{audit} is {what}, not an audit, so no feedback can be written on it; {use}.")
        if not check.valid or check.data is None or check.result is None or check.framework is None:
            from qaimpact.cli import console

            err = console.stderr()
            console.print_problem(err, f"{audit} has errors, so no feedback can be written:")
            console.print_check(err, check)
            for line in check.ahead:
                console.print_detail(err, f"It must be escalated all the same: {line}")
            finish(registry, failed=True)
        record = AuditRecord(check.path, check.framework, check.data, check.result, tuple(check.diagnostics))
        if redact:
            record = Redactor([record]).record(record)
        view = feedback.audit_feedback(record, today=day)
    else:
        assert fca is not None
        period = resolve_period(year_start, quarter, date_from, date_to, today=day)
        # A learning log lists the period's audits alone: one from before it changes nothing in it.
        read = read_audits(audits, standards, day, period.date_from, period.date_to, earlier=False)
        registry, dataset, inputs = read.registry, read.dataset, read.inputs
        asked = period_view(dataset.date_from, dataset.date_to, period.quarters, period.quarter)
        # Choose the practitioner's audits first, so that redaction can never hide the subject.
        try:
            records = learning_log.select_practitioner(
                dataset.records, fca, asked, left_out=len(dataset.invalid)
            )
        except UsageError:
            # Their audits may be among the files left out for errors: name each, and any
            # escalation one calls for, before saying no audit of theirs was found.
            from qaimpact.cli.outcome import report_left_out

            report_left_out(dataset, redact=redact)
            raise
        kinds = learning_log.practitioner_records(dataset.kinds, records[0].data["practitioner"])
        if redact:
            redactor = Redactor(records, keep=[records[0].data["practitioner"]], kinds=kinds)
            records = redactor.records(records)
            kinds = kinds_in_shown_order(redactor.kind_record(k) for k in kinds)
        view = learning_log.learning_log(
            records,
            records[0].data["practitioner"],
            kinds,
            today=day,
            period=asked,
            quarters=period.quarters,
        )
    note_redaction(view, redact)
    if output_format is ReportFormat.json:
        text = render.render_json(view)
    else:
        text = render.render(view, output_format.value, templates, today=day)
    emit(
        text,
        output,
        with_templates(inputs, templates),
        force,
        markdown=output_format is ReportFormat.md and not format_given(ctx),
    )
    finish(registry, dataset, redact=redact)


@handle_errors
def summary(
    ctx: typer.Context,
    audits: AuditsDirs = None,
    by: Annotated[
        GroupBy | None,
        choice_option(GroupBy, "--by", help="Also group the figures by this."),
    ] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    quarter: QuarterOption = None,
    year_start: YearStart = None,
    output_format: Annotated[
        SummaryFormat,
        format_option(
            SummaryFormat,
            "md, html, json, csv (one row per group or audit) or xlsx (an Excel workbook, with -o).",
        ),
    ] = SummaryFormat.md,
    output: Output = None,
    force: Force = False,
    bom: Bom = False,
    redact: Redact = False,
    publish: Annotated[
        bool,
        typer.Option(
            help="For reports that leave the QA team: counts 1-4 hidden, names redacted, no file listed."
        ),
    ] = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """The quality assurance summary: grades, trends, themes, and the cycle: escalations, actions,
    re-audits and moderation."""
    output_format = output_format_for(ctx, output_format, output)
    refuse_bom(bom, output_format)
    from qaimpact.cli.outcome import finish, read_audits

    day = resolve_today(today)
    if output_format is SummaryFormat.xlsx:
        from qaimpact.cli.output import needs_output_file

        needs_output_file(output)
    period = resolve_period(year_start, quarter, date_from, date_to, today=day)
    # The report's modules are imported while the audits are read, not before the workers start.
    read = read_audits(
        audits,
        standards,
        day,
        period.date_from,
        period.date_to,
        imports=("qaimpact.reports.summary", "qaimpact.privacy.redaction"),
    )
    from qaimpact.privacy.redaction import Redactor, in_shown_order
    from qaimpact.reports import render
    from qaimpact.reports import summary as report

    dataset = read.dataset
    if redact or publish:  # a published report never names anyone
        # The audits outside the period too: an action or escalation they carry into it is shown
        # with the period's, so their names must be known to be replaced (after the period's own,
        # which keep their pseudonyms).
        redactor = Redactor([*dataset.records, *dataset.outside], kinds=dataset.kinds)
        dataset = in_shown_order(redactor.dataset(dataset))
    view = report.quarterly_summary(
        dataset,
        today=day,
        by=by.value if by else None,
        publish=publish,
        quarters=period.quarters,
        quarter=period.quarter,
    )
    note_redaction(view, redact or publish)
    if output_format is SummaryFormat.xlsx:
        from qaimpact.cli.output import emit_workbook
        from qaimpact.reports import tables, xlsx

        assert output is not None
        # The published view's values only: a published workbook lists no audit, as the
        # published CSV gives the groups' figures instead of one row per audit.
        sheets = tables.summary_sheets(view, None if publish else report.audit_rows(dataset, period.quarters))
        emit_workbook(xlsx.workbook(sheets), output, with_templates(read.inputs, templates), force)
        finish(read.registry, read.dataset, redact=redact or publish)
        return
    if output_format is SummaryFormat.json:
        text = render.render_json(view)
    elif output_format is SummaryFormat.csv:
        if by or publish:
            text = render.render_csv(report.group_rows(view), report.group_columns(view), bom=bom)
        else:
            text = render.render_csv(report.audit_rows(dataset, period.quarters), bom=bom)
    else:
        text = render.render(view, output_format.value, templates, today=day)
    emit(
        text,
        output,
        with_templates(read.inputs, templates),
        force,
        markdown=output_format is SummaryFormat.md and not format_given(ctx),
        csv=output_format is SummaryFormat.csv,
    )
    finish(read.registry, read.dataset, redact=redact or publish)


class QuarterlyFormat(StrEnum):
    """Output formats of ``quarterly``."""

    md = "md"
    html = "html"
    json = "json"
    xlsx = "xlsx"


def _which_quarter(quarters: Quarters, day: dt.date) -> str:
    """What to write when ``quarterly`` is given no ``--quarter``: the option, with the last
    quarter that has ended, the one a quarterly report is usually for, written as it is read."""
    first, _ = quarters.dates(quarters.key(day))
    last_ended = quarters.key(first - dt.timedelta(days=1))
    start, end = quarters.dates(last_ended)
    return (
        "qaimpact quarterly reports on one quarter: add --quarter, such as --quarter "
        f"{last_ended}, the last quarter that has ended ({start.isoformat()} to {end.isoformat()})."
    )


@handle_errors
def quarterly(
    ctx: typer.Context,
    quarter: Annotated[
        str | None,
        typer.Option(
            "--quarter",
            help="The quarter (needed): 2026-Q3, or with --year-start april 2026-27-Q2 (July to September "
            "2026).",
            metavar="QUARTER",
            show_default=False,
        ),
    ] = None,
    year_start: YearStart = None,
    audits: AuditsDirs = None,
    plans: Annotated[
        list[Path] | None,
        typer.Option(
            "--plans",
            help="The audit programme's plans (CSV files written by `qaimpact sample`): the report gives "
            "the completion of the quarter's rounds. Repeatable. Without, it says no plan was given.",
            metavar="PLAN.csv",
        ),
    ] = None,
    narrative: Annotated[
        Path | None,
        typer.Option(
            "--narrative",
            help="The QA team's narrative for the quarter: a YAML file with the sections strengths, "
            "workshops_and_events, research, policy_updates, compliments_and_complaints and analysis.",
            metavar="FILE",
        ),
    ] = None,
    output_format: Annotated[
        QuarterlyFormat,
        format_option(QuarterlyFormat, "md, html, json or xlsx (an Excel workbook, with -o)."),
    ] = QuarterlyFormat.md,
    output: Output = None,
    force: Force = False,
    redact: Redact = False,
    publish: Annotated[
        bool,
        typer.Option(
            help="For a report that leaves the QA team: counts 1-4 hidden, names redacted, no child, "
            "audit or file listed."
        ),
    ] = False,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """The quarterly QA report of the council's framework: the summary's figures for one quarter,
    the ratings of each standard by team, random audits apart from themed audits and dip samples,
    completion against the programme, what happened for each escalated child, and the remedial
    actions open at the quarter's end (those agreed earlier included)."""
    output_format = output_format_for(ctx, output_format, output)
    from qaimpact.cli.outcome import finish, read_audits

    day = resolve_today(today)
    if output_format is QuarterlyFormat.xlsx:
        from qaimpact.cli.output import needs_output_file

        needs_output_file(output)
    if quarter is None:
        raise UsageError(
            _which_quarter(resolve_period(year_start, None, None, None, today=day).quarters, day)
        )
    period = resolve_period(year_start, quarter, None, None, today=day)
    assert period.quarter is not None
    # Every audit up to the quarter's end: the earlier ones hold the actions and escalations
    # carried into it.
    read = read_audits(audits, standards, day, None, period.date_to, imports=("qaimpact.reports.quarterly",))
    from qaimpact.reports import quarterly as core
    from qaimpact.reports import render

    told = None
    if narrative is not None:
        from qaimpact.reports.narrative import read_narrative

        # Published, a small count in the team's own words is refused rather than shown.
        told, problems = read_narrative(narrative, publish=publish)
        if problems:
            n = len(problems)
            raise UsageError(
                f"The narrative {narrative} has {n} problem{'s' if n != 1 else ''}; "
                f"{'fix it' if n == 1 else 'fix them'} and run again:",
                details=[f"  {d.location}: {d.code} {d.message} {d.hint}".rstrip() for d in problems],
            )
    planned = None
    if plans:
        from qaimpact.cycle.programme import distinct_plans, read_plans

        plans = distinct_plans(plans)
        planned = read_plans(plans, read.registry.ids())
    report = core.quarterly_report(
        read.dataset,
        quarters=period.quarters,
        quarter=period.quarter,
        today=day,
        publish=publish,
        redact=redact,
        planned=planned,
        plans=[str(p) for p in plans or []],
        narrative=told,
    )
    view = report.view
    note_redaction(view, redact or publish)
    # Never overwritten by -o: the audits, the plans, the narrative and the templates are all read.
    inputs = with_templates([*read.inputs, *(plans or []), *([narrative] if narrative else [])], templates)
    if output_format is QuarterlyFormat.xlsx:
        from qaimpact.cli.output import emit_workbook
        from qaimpact.reports import tables, xlsx
        from qaimpact.reports.summary import audit_rows

        assert output is not None
        # As the summary's workbook: the quarter's audits one row each (names replaced under
        # --redact), and none under --publish, as a published report lists no audit.
        sheets = tables.quarterly_sheets(
            view, None if publish else audit_rows(report.audits, period.quarters)
        )
        emit_workbook(xlsx.workbook(sheets), output, inputs, force)
    else:
        text = (
            render.render_json(view)
            if output_format is QuarterlyFormat.json
            else render.render(view, output_format.value, templates, today=day)
        )
        emit(
            text,
            output,
            inputs,
            force,
            markdown=output_format is QuarterlyFormat.md and not format_given(ctx),
        )
    finish(read.registry, read.dataset, redact=redact or publish)

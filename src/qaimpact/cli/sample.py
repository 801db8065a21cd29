"""``qaimpact sample``: next month's cases to audit, with auditors from another team."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qaimpact.base.errors import UsageError
from qaimpact.cli.cycle import cycle_output
from qaimpact.cli.errors import handle_errors
from qaimpact.cli.options import (
    AuditsDirs,
    Bom,
    CycleFormat,
    Output,
    StandardsDirs,
    Templates,
    Today,
    format_given,
    format_option,
    output_format_for,
    refuse_bom,
    resolve_today,
    whole_number_option,
)
from qaimpact.cli.output import check_output_path, refuse_an_input


@handle_errors
def sample(
    ctx: typer.Context,
    cases: Annotated[
        Path,
        typer.Option(
            "--cases",
            help="The cases to choose from: a CSV file with a header row naming case_id, team, practitioner "
            "and, optionally, framework (needed for --scaffold), status and closed_on (a case whose status "
            "begins 'Closed', or closed on or before today, is left out unless --include-closed). Other "
            "columns are ignored.",
            metavar="CASES.csv",
        ),
    ],
    auditors: Annotated[
        Path | None,
        typer.Option(
            "--auditors",
            help="Who can audit: a CSV file with name, team and, optionally, capacity (the most audits "
            "this round; empty for no limit) and frameworks (the framework ids they audit; empty for "
            "any). Without it no auditor is proposed.",
            metavar="AUDITORS.csv",
        ),
    ] = None,
    audits: AuditsDirs = None,
    per_team: Annotated[
        int,
        whole_number_option(
            "--per-team",
            help="Cases to choose from each team.",
            metavar="N",
            what="a whole number of audits for each team",
            example="2",
            min=1,
        ),
    ] = 2,
    exclude_audited_within: Annotated[
        str,
        typer.Option(
            "--exclude-audited-within",
            help="Leave out cases audited within this span before today: 12 months, 6 weeks, 90 days, "
            "1 year (or 12m, 6w, 90d, 1y); at most 100 years.",
            metavar="SPAN",
        ),
    ] = "12m",
    include_closed: Annotated[
        bool,
        typer.Option(
            "--include-closed",
            help="Let closed cases be chosen too (for an audit of how cases were closed, or of their "
            "outcomes); each chosen closed case is marked in the note column.",
        ),
    ] = False,
    stratify: Annotated[
        str | None,
        typer.Option(
            "--stratify",
            help="Share each team's quota across the values of this column of CASES.csv (ethnicity, "
            "legal_status, ...) in proportion to their number, at least one case of each value where "
            "the quota allows. An empty cell is its own value, '(not recorded)'.",
            metavar="COLUMN",
        ),
    ] = None,
    seed: Annotated[
        int | None,
        whole_number_option(
            "--seed",
            help="Seed of the random draw: the same seed and files give the same plan.",
            metavar="S",
            what="a whole number",
            example="20261201",
            min=0,
        ),
    ] = None,
    output_format: Annotated[
        CycleFormat,
        format_option(
            CycleFormat,
            "csv (one row per chosen case; its last column, seed, repeats the seed so the file "
            "alone can reproduce the plan), md, html or json.",
        ),
    ] = CycleFormat.csv,
    output: Output = None,
    force: Annotated[
        bool,
        typer.Option(
            help="Replace the --output file, and audit files in the --scaffold folder, if they exist."
        ),
    ] = False,
    bom: Bom = False,
    scaffold: Annotated[
        Path | None,
        typer.Option(
            "--scaffold",
            help="Also write a blank audit for each chosen case into DIR (created if missing), named by "
            "a new audit id such as SAMPLE-2026-12-001.yaml; existing files are never replaced "
            "unless --force.",
            metavar="DIR",
        ),
    ] = None,
    templates: Templates = None,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Choose next month's cases to audit: a quota per team, spread across its practitioners.

    Closed cases (by the status or closed_on columns of CASES.csv) are left out unless
    --include-closed, and so are cases audited within --exclude-audited-within (matched on case_id
    against the audits read); each chosen case gets an auditor from another team, sharing the work out evenly.
    The draw is random: without --seed one is chosen and shown, and the same seed with the same
    files and --today gives the same plan. The CSV plan has the columns team, case_id, practitioner,
    framework, proposed_auditor, auditor_team, audit_file, note, round (the month the audits are
    due in), selected_on and seed: `qaimpact programme` compares it with the audits done.
    """
    output_format = output_format_for(ctx, output_format, output)
    refuse_bom(bom, output_format)
    import secrets

    from qaimpact.base.fileio import is_special
    from qaimpact.cli import console
    from qaimpact.cli.outcome import finish, read_audits

    # A plan is the QA team's working list: people add notes and change auditors in it. Its
    # columns stay the same, so it would pass for an earlier report: it is never replaced unasked.
    csv_plan = output_format is CycleFormat.csv
    given = [cases, *([auditors] if auditors is not None else [])]
    if output is not None:  # said first: --force would not help
        refuse_an_input(output, given)
    if csv_plan and output is not None and output.is_file() and not force and not is_special(output):
        raise UsageError(
            f"--output '{output}' already exists: a plan is the QA team's working list, which "
            "people edit, so sample never replaces one without --force; choose another name "
            "(such as next month's), or add --force to replace it."
        )
    from qaimpact.cycle import sampling as core
    from qaimpact.cycle.common import Window

    day = resolve_today(today)
    try:
        window = Window.parse(exclude_audited_within)
    except ValueError as exc:
        raise UsageError(f"--exclude-audited-within {exc}") from None
    if stratify is not None and not stratify.strip():
        raise UsageError("--stratify needs the name of a column of the cases list, such as ethnicity.")
    # Before the audits, whose reading takes a while in a large folder: a mistyped list's name is
    # said at once.
    core.check_list_path(cases, "case")
    if auditors is not None:
        core.check_list_path(auditors, "auditor")
    # A service's first sample comes before any audit is written: no audit file is no error here
    # (the plan says which folder it read and how many valid audits it held).
    read = read_audits(audits, standards, day, required=False)
    registry, dataset, inputs = read.registry, read.dataset, read.inputs
    case_list = core.read_cases(cases, registry.ids(), stratify)
    auditor_list = core.read_auditors(auditors, registry.ids()) if auditors is not None else None
    chosen_seed = seed if seed is not None else secrets.randbelow(1_000_000)
    plan = core.make_plan(
        case_list,
        core.last_audits(dataset.records, day),
        auditors=auditor_list,
        today=day,
        per_team=per_team,
        window=window,
        seed=chosen_seed,
        stratify=" ".join(stratify.split()) if stratify is not None else None,
        include_closed=include_closed,
    )
    view = core.sample_view(
        plan,
        dataset,
        cases_file=str(cases),
        auditors_file=str(auditors) if auditors is not None else None,
        scaffold_dir=scaffold,
        seed_given=seed is not None,
        frameworks=registry.frameworks(),
    )
    err = console.stderr()
    if seed is None:
        console.print_note(
            err, f"seed {chosen_seed} chosen at random: rerun with --seed {chosen_seed} to reproduce."
        )
    if scaffold is not None:
        if output is not None:  # refuse a bad --output before any audit file is written
            check_output_path(output, [*inputs, *given], force=force)
        for item in view["plan"]:  # --force replaces a blank audit, never one being read
            refuse_an_input(
                Path(item["audit_file"]),
                [*inputs, *given],
                option="--scaffold file",
                fix="--force never replaces an audit being read, so nothing was written: choose "
                "another --scaffold folder, such as a new one for this round",
            )
        written = core.write_audits(view, registry, force=force)
        console.print_note(
            err,
            f"wrote {len(written)} blank audit{'s' if len(written) != 1 else ''} to {scaffold}: replace each "
            f"TODO, then run `qaimpact validate {scaffold}`.",
        )
    cycle_output(
        view,
        core.rows(view),
        core.COLUMNS,
        output_format,
        templates=templates,
        day=day,
        output=output,
        inputs=[*inputs, *given],
        force=force,
        bom=bom,
        format_given=format_given(ctx),
    )
    for short in view["shortfalls"]:
        console.print_note(
            err,
            f"{short['team']}: {short['eligible']} eligible case{'s' if short['eligible'] != 1 else ''} for "
            f"a quota of {short['quota']}, so {short['missing']} short.",
        )
    closed = view["totals"]["closed"]["n"]
    if closed:
        console.print_note(
            err,
            f"{closed} closed case{'s were' if closed != 1 else ' was'} left out (by the status or closed_on "
            f"column of {cases}): add --include-closed to choose from them too.",
        )
    missing = view["totals"]["without_auditor"]["n"]
    if missing:
        console.print_note(
            err,
            f"{missing} case{'s' if missing != 1 else ''} without a proposed auditor (see the note column).",
        )
    for note in view["notes"]:
        console.print_note(err, note)
    # An audit left out may be of a case audited recently: the plan could choose it again.
    finish(registry, dataset)

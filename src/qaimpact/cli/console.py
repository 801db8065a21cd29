"""Everything qaimpact prints for people, through rich. The only module that imports rich.

Colour is used only on a terminal (or under ``FORCE_COLOR``) and never as the only cue (every
coloured word is also written out), and ``NO_COLOR`` is respected.

Every text that comes from a file (titles, labels, values, file names, messages) goes into a
``Text`` through :func:`_text`, never into markup: ``[bold]`` in a title stays literal, and control
characters, line breaks and direction overrides are shown as visible escapes
(:func:`qaimpact.base.escaping.visible`), so a standards file or an audit cannot drive the terminal
or start a line of its own.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from qaimpact.base.escaping import visible
from qaimpact.cli.output import styled

# The checker, the models and the reports are imported where they are printed, not here: every
# error goes through this module (print_problem), and a usage error (a mistyped option value)
# must not wait for the standards models to be built.
if TYPE_CHECKING:
    from rich.markdown import Markdown

    from qaimpact.audits.checker import AuditCheck
    from qaimpact.base.codes import Code
    from qaimpact.models.findings import Diagnostic
    from qaimpact.models.standard import Framework

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}


def stdout() -> Console:
    """A console on standard output, in colour on a terminal or under ``FORCE_COLOR``."""
    return Console(highlight=False, force_terminal=styled(sys.stdout), no_color=_no_color())


def stderr() -> Console:
    """A console on standard error, in colour on a terminal or under ``FORCE_COLOR``."""
    return Console(stderr=True, highlight=False, force_terminal=styled(sys.stderr), no_color=_no_color())


def _no_color() -> bool:
    # Decided here rather than left to rich, whose reading of these variables has changed
    # between the releases pyproject.toml allows.
    return os.environ.get("NO_COLOR", "") != ""


def _text(value: object, style: str = "") -> Text:
    """Text from a file, made safe to print: never markup, and every control character visible."""
    return Text(visible(str(value)), style=style)


def diagnostic_text(diag: Diagnostic) -> Text:
    """One finding, coloured on a terminal, in the ``file:line:col: severity code message`` form."""
    line = Text()
    line.append(visible(str(diag.location)), style="bold")
    line.append(": ")
    line.append(diag.severity.value, style=_SEVERITY_STYLE[diag.severity.value])
    line.append(f" {diag.code} ", style="cyan")
    line.append(visible(diag.message))
    if diag.hint:
        line.append("\n    hint: ", style="dim")
        line.append(visible(diag.hint))
    return line


def print_check(console: Console, check: AuditCheck) -> None:
    """One file's findings."""
    for diag in check.diagnostics:
        # soft_wrap: one finding per line, never broken, so it stays greppable.
        console.print(diagnostic_text(diag), soft_wrap=True)


def print_summary(console: Console, checks: Sequence[AuditCheck]) -> None:
    """The closing summary line."""
    from qaimpact.reports.validation import summary_line

    console.print(Text(summary_line(checks), style="bold"))


def print_summary_text(console: Console, text: str) -> None:
    """A closing summary sentence."""
    console.print(_text(text, style="bold"), soft_wrap=True)


def print_detail(console: Console, text: str) -> None:
    """An indented line under a note (what a migration changes)."""
    console.print(Text("    ") + _text(text), soft_wrap=True)


@contextmanager
def progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on standard error; yields the function that advances it by one file."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=stderr(),
        transient=True,
    )
    with bar:
        task = bar.add_task("audits", total=total)
        yield lambda: bar.advance(task)


def _grade_style(framework: Framework, grade: str) -> str:
    rank = framework.grade_rank[grade]
    worst = len(framework.grade_rank) - 1
    if rank == 0:
        return "bold green"
    if rank == worst:
        return "bold red"
    return "bold yellow" if rank == worst - 1 and worst > 2 else "bold cyan"


def _bullets(lines: Sequence[str | Text]) -> Table:
    # A grid keeps wrapped lines aligned under their text, not under the bullet.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column(ratio=1)
    for line in lines:
        # Text, not markup: titles and rule summaries come from user files and may hold [brackets].
        grid.add_row("-", line if isinstance(line, Text) else _text(line))
    return grid


def print_grades(console: Console, checks: Sequence[AuditCheck]) -> None:
    """A panel per audit: grade, any escalation it calls for, rationale, what would lift it, findings."""
    from qaimpact.grading.engine import NOT_SMALLEST
    from qaimpact.reports.grades import escalation, settled

    for check in checks:
        fw, result = check.framework, check.result
        body: list[Text | Table] = []
        if fw is None or result is None:
            body.append(Text("Not graded: the audit has errors.", style="bold red"))
            if check.ahead:
                body.append(
                    Text(
                        "Action required now: escalate, even before its errors are put right.",
                        style="bold red",
                    )
                )
                body.extend(Text("  - ") + _text(line) for line in check.ahead)
        else:
            head = Text("Grade: ")
            head.append(visible(fw.grade_labels[result.grade]), style=_grade_style(fw, result.grade))
            if result.recorded is not None:
                recorded = visible(fw.grade_labels[result.recorded])
                head.append(f"   (recorded: {recorded}")
                head.append(
                    " - differs" if result.differs else " - agrees",
                    style="yellow" if result.differs else "green",
                )
                head.append(")")
            body.append(head)
            record = settled(check)
            if record is not None and record.moderated_grade is not None:
                moderation = record.data["moderation"]
                body.append(
                    Text(
                        f"Moderated to {fw.grade_labels[record.moderated_grade]} by "
                        f"{moderation['moderator']} on {moderation['moderated_on']}: reports count "
                        "the moderated grade."
                    )
                )
            reasons = escalation(check)
            if reasons:
                body.append(Text("Action required now: escalate.", style="bold red"))
                body.append(_bullets(reasons))
            body.append(Text("Why:", style="bold"))
            body.append(_bullets(result.rationale))
            lift = result.lift
            if lift is None:
                body.append(Text("This is the best grade on the scale.", style="green"))
            elif not lift.reachable:
                body.append(_text(f"To reach {fw.grade_labels[lift.grade]}:", style="bold"))
                body.append(_bullets([f"no change of ratings is enough while: {b}" for b in lift.blocked_by]))
            else:
                body.append(_text(f"To reach {fw.grade_labels[lift.grade]}:", style="bold"))
                body.append(
                    _bullets(
                        [
                            f"raise {c.standard} ('{fw.standards[c.standard].short_name}') from "
                            f"{fw.rating_labels[c.from_rating].lower()} to "
                            f"{fw.rating_labels[c.to_rating].lower()}"
                            + "".join(f" (first: {r})" for r in c.requires)
                            for c in lift.changes
                        ]
                    )
                )
                if not lift.smallest:
                    body.append(Text(NOT_SMALLEST, style="italic"))
        for diag in check.diagnostics:
            body.append(diagnostic_text(diag))
        title = _text(check.path)
        if fw is not None:
            title.append(f"  {fw.id}", style="dim")
        console.print(Panel(Group(*body), title=title, title_align="left", expand=True))


def print_standards_list(
    console: Console,
    frameworks: Sequence[Framework],
    shadowed: Sequence[Diagnostic],
    short_names: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """A table of the frameworks that can be used; ``short_names``: each framework's short names
    that ``--standards`` takes for it alone, by id (``CCC, CFA``)."""
    table = Table(title="Frameworks", title_justify="left")
    # The id is what `new --standards` and every audit's `standards:` need, copied whole: on a
    # narrow terminal the title and the file wrap instead.
    table.add_column("id", style="bold", no_wrap=True)
    table.add_column("short name", overflow="fold")
    table.add_column("version", no_wrap=True)
    # The title and the file share what room is left, so that a narrow short name gives it to them.
    table.add_column("title", overflow="fold", ratio=1)
    table.add_column("standards", justify="right", no_wrap=True, min_width=len("standards"))
    table.add_column("file", overflow="fold", ratio=1)
    for fw in frameworks:
        shorts = (short_names or {}).get(fw.id, ())
        table.add_row(
            _text(fw.id),
            # None: a short name it shares with another framework, which would be refused.
            # One a line: the column stays narrow enough for the title beside it.
            Text("\n").join(_text(short) for short in shorts) if shorts else "-",
            _text(fw.spec.version),
            _text(fw.spec.title),
            str(len(fw.standards)),
            _text(fw.source),
        )
    console.print(table)
    for diag in shadowed:
        console.print(diagnostic_text(diag))


def print_standards_check(
    console: Console, entries: Sequence[tuple[Path, Framework | None, list[Diagnostic]]]
) -> None:
    """Each standards file with OK or its findings."""
    for path, framework, diags in entries:
        if framework is not None and not diags:
            console.print(
                Text.assemble(
                    (visible(str(path)), "bold"),
                    ": ",
                    ("ok", "green"),
                    f" ({framework.id} {visible(framework.spec.version)})",
                ),
                soft_wrap=True,
            )
        for diag in diags:
            # soft_wrap: one finding per line, as validate prints them, so it stays greppable.
            console.print(diagnostic_text(diag), soft_wrap=True)


def show_framework(console: Console, fw: Framework) -> None:
    """The framework's scales and every standard with its descriptors."""
    from qaimpact.models.audit import show_value

    spec = fw.spec
    console.print(_text(f"{spec.title} ({spec.id}, version {spec.version})", style="bold"))
    if spec.source:
        console.print(_text(f"Source: {spec.source}", style="dim"))
    grades = Table(
        title=_text(f"Overall grades (recorded in '{spec.grades.key}'), best first"), title_justify="left"
    )
    grades.add_column("id", style="bold")
    grades.add_column("label")
    grades.add_column("descriptor", overflow="fold")
    for level in spec.grades.scale:
        grades.add_row(_text(level.id), _text(level.label), _text(level.descriptor or ""))
    console.print(grades)
    ratings = ", ".join(f"{r.id} ({r.label})" for r in spec.ratings)
    console.print(_text(f"Each standard is rated: {ratings}.", style="dim"))
    for group in spec.groups:
        table = Table(
            title=_text(f"{group.title} (audit key '{group.id}')"), title_justify="left", show_lines=True
        )
        table.add_column("standard", style="bold", overflow="fold")
        table.add_column("what to consider", overflow="fold")
        table.add_column("descriptors", overflow="fold")
        for std in group.standards:
            name = _text(std.id, style="bold")
            name.append(f"\n{visible(std.title)}", style="")
            if std.applies_when is not None:
                name.append(
                    visible(f"\napplies when {std.applies_when.field} is {std.applies_when.equals}"),
                    style="italic",
                )
            considerations = "\n".join(f"- {visible(c)}" for c in std.considerations) or visible(
                std.text or ""
            )
            descriptors = "\n".join(
                f"{visible(fw.rating_labels.get(k, k))}: {visible(v)}" for k, v in std.descriptors.items()
            )
            if std.example_learning:
                descriptors += (
                    "\n" if descriptors else ""
                ) + f"Example learning: {visible(std.example_learning)}"
            table.add_row(name, Text(considerations), Text(descriptors))
        console.print(table)
    rules = Table(title="Threshold rules (the first that holds decides)", title_justify="left")
    rules.add_column("#", justify="right")
    rules.add_column("grade", style="bold")
    rules.add_column("rule", overflow="fold")
    for i, rule in enumerate(spec.thresholds, 1):
        text = " ".join((rule.summary or "").split())
        if rule.reading is not None:
            text += "\n(a reading of the source: see below)"
        rules.add_row(str(i), _text(fw.grade_labels[rule.grade]), _text(text))
    console.print(rules)
    if spec.agreements:
        agreements = Table(title="Facts an audit must record in agreement (QA319)", title_justify="left")
        agreements.add_column("where the audit records", overflow="fold")
        agreements.add_column("it must record", overflow="fold")
        agreements.add_column("why", overflow="fold")
        for agreement in spec.agreements:
            when, then = agreement.when, agreement.then
            agreements.add_row(
                _text(f"{when.field}: {show_value(when.equals)}"),
                _text(f"{then.field}: {show_value(then.equals)}"),
                _text(" ".join((agreement.why or "").split())),
            )
        console.print(agreements)
    readings = fw.readings()
    if readings:
        table = Table(
            title="Readings of the source: where the source is silent, the rule the framework reads into it",
            title_justify="left",
            show_lines=True,
        )
        table.add_column("what", style="bold", overflow="fold")
        table.add_column("rests on", overflow="fold")
        table.add_column("why", overflow="fold")
        table.add_column("to change it", overflow="fold")
        for found in readings:
            reading = found.reading
            quote = f'"{" ".join(reading.rests_on.split())}"' + (
                f" ({reading.where})" if reading.where else ""
            )
            table.add_row(
                _text(found.what),
                _text(quote),
                _text(" ".join(reading.why.split())),
                _text(" ".join(reading.change.split())),
            )
        console.print(table)


def print_code(console: Console, code: Code) -> None:
    """The documentation of one diagnostic code."""
    console.print(
        Text.assemble((f"{code.code} {code.name}", "bold"), f" ({code.severity.value}): {code.title}")
    )
    console.print(Text(code.explanation))
    if code.example:
        console.print(Text("Example:", style="bold"))
        console.print(Text(code.example.rstrip("\n"), style="cyan"))


def print_markdown(console: Console, document: str) -> None:
    """A Markdown report rendered for the terminal, its control characters shown as escapes.

    Its tables keep every id, date and share whole (:func:`_fitted_table`): rich's own cut them
    to ``CFA-2…`` and ``2026-…`` on a terminal narrower than the table.
    """
    from qaimpact.base.escaping import terminal_safe

    console.print(_terminal_markdown()(terminal_safe(document), hyperlinks=False))


@cache
def _terminal_markdown() -> type[Markdown]:
    """rich's Markdown, with its tables laid out by :func:`_fitted_table`.

    Made on first use: rich.markdown (and markdown-it) is imported only when a report is shown.
    """
    from rich.markdown import Markdown, MarkdownElement, TableElement

    class FittedTable(TableElement):
        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            header = [c.content for c in self.header.row.cells] if self.header and self.header.row else []
            rows = [[c.content for c in row.cells] for row in self.body.rows] if self.body else []
            yield _fitted_table(console, options, header, rows)

    class TerminalMarkdown(Markdown):
        elements: ClassVar[dict[str, type[MarkdownElement]]] = {
            **Markdown.elements,
            "table_open": FittedTable,
        }

    return TerminalMarkdown


def _whole_width(cell: Text) -> int:
    """The width of the widest part of a table cell that must stay on one line: the whole cell
    when it is one value (a date, an id, a share such as ``100% (1 of 1)``), else its widest
    value or word. Long text wraps between words."""
    from qaimpact.base.escaping import WHOLE_VALUE

    text = cell.plain.strip()
    if WHOLE_VALUE.fullmatch(text):
        return cell_len(text)
    parts = [m.group() for m in WHOLE_VALUE.finditer(text)] + WHOLE_VALUE.sub(" ", text).split()
    return max((cell_len(part) for part in parts), default=1)


def _fitted_table(
    console: Console, options: ConsoleOptions, header: list[Text], rows: list[list[Text]]
) -> RenderableType:
    """A Markdown table as wide as the terminal allows, no value in it cut or broken.

    Each column is at least as wide as its widest date, id, share or word, and the room left is
    shared among the columns whose text would otherwise wrap. A table whose columns cannot all
    have that room is shown as a list instead, a block of "column: value" lines for each row:
    folded ids and dates ("CFA-2026-" over "0222") would be misread by someone scanning them,
    and a manager reads a row of a case tracker as the record of one case anyway.
    """
    from rich import box
    from rich.measure import Measurement

    width = len(header)
    rows = [(row + [Text("")] * width)[:width] for row in rows]
    columns = list(zip(header, *rows, strict=True))
    least = [max(_whole_width(cell) for cell in column) for column in columns]

    def longest(cells: Sequence[Text]) -> int:
        return max((cell_len(line) for cell in cells for line in cell.plain.split("\n")), default=0)

    # The room beyond the least goes first to the values, then to headings that would wrap.
    values = [max(n, longest(column[1:])) for n, column in zip(least, columns, strict=True)]
    headings = [max(n, longest(column[:1])) for n, column in zip(values, columns, strict=True)]

    # rich's own Markdown tables take this style in later releases; earlier ones (13.8 is
    # allowed) have no such style, and a table given a style its theme lacks cannot be drawn.
    border = console.get_style("markdown.table.border", default="none")

    def table(widths: Sequence[int]) -> Table:
        shown = Table(
            box=box.SIMPLE,
            pad_edge=False,
            style=border,
            show_edge=True,
            collapse_padding=True,
        )
        for heading, column_width in zip(header, widths, strict=True):
            heading = heading.copy()
            heading.stylize("markdown.table.header")
            shown.add_column(heading, width=column_width, overflow="fold")
        for row in rows:
            shown.add_row(*row)
        return shown

    # Borders and padding: what a table of one-character columns takes beyond its columns.
    room = options.max_width - (Measurement.get(console, options, table([1] * width)).maximum - width)
    if sum(least) > room:
        return _records(options.max_width, header, rows)
    widths = _widen(_widen(least, values, room), headings, room)
    return table(widths)


def _widen(widths: list[int], wanted: list[int], room: int) -> list[int]:
    """``widths`` widened towards ``wanted`` within ``room`` in all: each column by its share of
    what they all want more, as far as the room goes."""
    more = [max(0, w - n) for w, n in zip(wanted, widths, strict=True)]
    spare = room - sum(widths)
    if sum(more) <= spare:
        return [n + m for n, m in zip(widths, more, strict=True)]
    if spare <= 0:
        return widths
    given = [n + spare * m // sum(more) for n, m in zip(widths, more, strict=True)]
    # What rounding down left, a character each to the columns that still want the most.
    for i in sorted(range(len(given)), key=lambda i: wanted[i] - given[i], reverse=True):
        if sum(given) >= room:
            break
        if given[i] < wanted[i]:
            given[i] += 1
    return given


def _records(width: int, header: list[Text], rows: list[list[Text]]) -> RenderableType:
    """A table too wide for the terminal, as a block of "column  value" lines for each row, the
    first line of each in bold, a blank line between them."""
    names = min(max((cell_len(h.plain) for h in header), default=1), max(8, width // 3))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=names, style="bold")
    grid.add_column(width=max(1, width - names - 1), overflow="fold")
    for number, row in enumerate(rows):
        if number:
            grid.add_row("", "")
        for place, (heading, cell) in enumerate(zip(header, row, strict=True)):
            # Left-aligned, as lines of text are: a column of figures is right-aligned.
            name, value = heading.copy(), cell.copy()
            name.justify = value.justify = "left"
            if place == 0:
                value.stylize("bold")
            grid.add_row(name, value)
    return grid


def print_note(console: Console, message: str) -> None:
    """A remark that does not stop the command."""
    console.print(Text.assemble(("note: ", "bold"), visible(message)), soft_wrap=True)


def print_item(console: Console, message: str) -> None:
    """One item of the list a problem or a note introduces."""
    console.print(Text.assemble("  - ", visible(message)), soft_wrap=True)


def print_problem(
    console: Console, message: str, diagnostics: Sequence[Diagnostic] = (), details: Sequence[str] = ()
) -> None:
    """An error that stops the command, with any lines of detail and findings behind it.

    The message and each detail are one line each: what they quote is shown escaped.
    """
    console.print(Text.assemble(("error: ", "bold red"), visible(message)), soft_wrap=True)
    for detail in details:
        console.print(_text(detail), soft_wrap=True)
    for diag in diagnostics:
        # One finding per line, as validate prints them, so that it stays greppable.
        console.print(diagnostic_text(diag), soft_wrap=True)

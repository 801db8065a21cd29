"""Options several commands take, declared once (typer ``Annotated`` aliases), and their meaning.

A command declares ``standards: StandardsDirs = None`` and gets the same flag, help text and
metavar as every other command; :func:`load_registry`, :func:`resolve_today` and
:func:`parse_date` turn the values into what the core takes. Options of one command only are
declared beside it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from qaimpact.base.errors import UsageError
from qaimpact.models.listing import or_list, suggest

if TYPE_CHECKING:
    from qaimpact.audits.quarters import Quarters


class TextOrJson(StrEnum):
    """Output formats of ``grade`` and ``validate``."""

    text = "text"
    json = "json"


class CycleFormat(StrEnum):
    """Output formats of the cycle's commands."""

    md = "md"
    html = "html"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


_SEARCH_HELP = (
    "A folder of standards files (or one file) to search before the bundled frameworks. "
    "Repeatable. Also read from QAIMPACT_STANDARDS_PATH."
)
StandardsDirs = Annotated[list[Path] | None, typer.Option("--standards", help=_SEARCH_HELP, metavar="DIR")]
#: For fmt, which reads the files validate reads (often in the same hook), so takes its
#: --standards, and --standards-dir as new and import name it.
StandardsDirsOrDir = Annotated[
    list[Path] | None, typer.Option("--standards", "--standards-dir", help=_SEARCH_HELP, metavar="DIR")
]

StandardsSearch = Annotated[
    list[Path] | None,
    typer.Option(
        "--standards-dir",
        help="A folder of standards files (or one file) to search before the bundled frameworks. Repeatable.",
        metavar="DIR",
    ),
]


def _date_checked(option: str) -> Callable[[str | None], str | None]:
    """A callback refusing a value of ``option`` that is not a date while the command line is
    read, as typer refuses a mistyped option: before the command loads its frameworks and reads
    the audits, which take seconds for a typo. The command reads the value with
    :func:`parse_date`."""

    def check(value: str | None) -> str | None:
        try:
            parse_date(value, option)
        except UsageError as exc:
            message = exc.message
            raise OptionRefused(lambda command: message) from None
        return value

    return check


Today = Annotated[
    str | None,
    typer.Option(
        help="Treat this date (YYYY-MM-DD) as today, for reproducible checks.",
        metavar="DATE",
        callback=_date_checked("--today"),
    ),
]


def whole_number_option(
    *names: str,
    help: str,
    metavar: str,
    what: str,
    example: str,
    min: int,
    max: int | None = None,
    note: str = "",
) -> Any:
    """An option (``names``: ``--per-team``) taking a whole number from ``min`` (to ``max``).

    Its value is read by :func:`whole_number`, not by typer: typer refuses letters, a decimal or
    a number out of bounds in click's words on one release and pydantic's on another ("Input
    should be a valid integer"), neither saying what the option counts. Refused here, a value says
    that the option needs ``what`` (``a whole number of audits for each team``), its bounds,
    ``note`` (what a bound means, such as ``0 means one per core``) and an ``example``, the same
    on every typer release pyproject.toml allows.
    """

    def parse(value: Any) -> int | None:
        # Called with the default too (an int, or None for an option without one).
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        number, problem = whole_number(str(value), min, max)
        if problem:
            message = whole_number_refused(names[0], what, example, min, max, note, problem)
            raise OptionRefused(lambda command: message)
        return number

    return typer.Option(*names, help=help, metavar=metavar, parser=parse)


def whole_number(text: str, min: int, max: int | None = None) -> tuple[int, str]:
    """The whole number ``text`` gives and ``""``, or ``0`` and what is wrong with it (``'x' is
    not a number``): nothing, letters, a decimal with a fraction, a number below ``min`` or above
    ``max``. ``2.0`` is 2, as typer's newest releases read it; ``1,000`` is refused with the way
    to write it."""
    stripped = text.strip()
    if not stripped:
        return 0, "nothing was given"
    try:
        number = int(stripped)
    except ValueError:
        decimal = re.fullmatch(r"([+-]?\d+)\.(\d*)", stripped)
        if decimal is not None and not decimal.group(2).strip("0"):
            number = int(decimal.group(1))
        elif decimal is not None or re.fullmatch(r"[+-]?\.\d+", stripped):
            return 0, f"'{text}' is not a whole number"
        elif re.fullmatch(r"[+-]?\d+(_\d+)*", stripped):
            # Digits int() reads, but more of them than it will (sys.get_int_max_str_digits()).
            return 0, f"'{text}' has too many digits"
        elif re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", stripped):
            return 0, f"write '{text}' without commas, as {stripped.replace(',', '')}"
        else:
            return 0, f"'{text}' is not a number"
    if number < min:
        return 0, f"'{text}' is negative" if min == 0 else f"'{text}' is less than {min}"
    if max is not None and number > max:
        return 0, f"'{text}' is more than {max}"
    return number, ""


def whole_number_refused(
    option: str, what: str, example: str, min: int, max: int | None, note: str, problem: str
) -> str:
    """The message for a value of ``option`` that is not a whole number it takes: what it needs,
    its bounds, an example, then what is wrong (:func:`whole_number`)."""
    bounds = f"{min} or more" if max is None else f"from {min} to {max}"
    return f"{option} needs {what}, {bounds}{f' ({note})' if note else ''}, such as {example}; {problem}."


MaxSize = Annotated[
    int,
    whole_number_option(
        "--max-file-size",
        help="Refuse files larger than this many bytes.",
        metavar="BYTES",
        what="a whole number of bytes",
        example="2097152 (2 MiB)",
        min=1,
    ),
]

Jobs = Annotated[
    int,
    whole_number_option(
        "--jobs",
        "-j",
        help="Processes to use; 0 means one per core.",
        metavar="N",
        what="a whole number of processes",
        note="0 means one per core",
        example="2",
        min=0,
    ),
]

AuditsDirs = Annotated[
    list[Path] | None,
    typer.Option(
        "--audits",
        help="Folder of audits (repeatable). Default: audits/ if it exists, else here.",
        metavar="DIR",
    ),
]

DateFrom = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="Only audits reviewed on or after DATE.",
        metavar="DATE",
        callback=_date_checked("--from"),
    ),
]

DateTo = Annotated[
    str | None,
    typer.Option(
        "--to", help="Only audits reviewed on or before DATE.", metavar="DATE", callback=_date_checked("--to")
    ),
]

YearStart = Annotated[
    str | None,
    typer.Option(
        "--year-start",
        help="The month the service's year starts in (april for a financial year): quarters "
        "follow it. Default january.",
        metavar="MONTH",
    ),
]

QuarterOption = Annotated[
    str | None,
    typer.Option(
        "--quarter",
        help="Only audits reviewed in this quarter: 2026-Q3, or with --year-start april 2026-27-Q2 "
        "(July to September 2026). Not with --from/--to.",
        metavar="QUARTER",
    ),
]

Output = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to FILE instead of the screen.", metavar="FILE"),
]

Force = Annotated[
    bool,
    typer.Option(
        help="Replace an existing --output file that is not an earlier report (those are replaced anyway), "
        "or a read-only one. Never a file being read."
    ),
]

Bom = Annotated[
    bool,
    typer.Option(
        help="Start a CSV with a byte-order mark, so that Excel reads its accents and symbols as UTF-8 "
        "when the file is opened with a double click."
    ),
]

Redact = Annotated[
    bool, typer.Option(help="Replace people's names and case identifiers with stable pseudonyms.")
]

#: ``--publish`` where it is refused: only ``summary`` and ``quarterly`` make a published version.
NoPublish = Annotated[
    bool,
    typer.Option(
        "--publish",
        help="Not for this report: use `qaimpact summary --publish` or `qaimpact quarterly --publish`.",
        hidden=True,
    ),
]


def refuse_publish(publish: bool, command: str) -> None:
    """Refuse ``--publish`` on a report that names audits (docs/reports.md, "Flags by report")."""
    if publish:
        from qaimpact.base.errors import UsageError

        raise UsageError(
            f"--publish is for the summary and the quarterly report only: `qaimpact {command}` lists "
            "individual audits, which a published report never does. Use `qaimpact summary --publish` "
            "or `qaimpact quarterly --publish` for figures that leave the QA team, or --redact to "
            "replace names in this report."
        )


def note_redaction(view: dict[str, Any], redact: bool) -> None:
    """Say in a redacted report what redaction does and what it cannot do (its ``redaction``)."""
    if redact:
        from qaimpact.privacy.redaction import NOTE

        view["redaction"] = NOTE


Templates = Annotated[
    Path | None,
    typer.Option(help="A folder of templates that override the bundled ones by name.", metavar="DIR"),
]


def resolve_today(value: str | None) -> dt.date:
    """The date ``--today`` gives, else today's."""
    return parse_date(value, "--today") or dt.date.today()


def parse_date(value: str | None, option: str) -> dt.date | None:
    """A date option's value (``YYYY-MM-DD``); a usage error naming ``option`` if it is not one."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        from qaimpact.base.dates import date_hint

        # As for a date in an audit: the same date as YYYY-MM-DD where one can be read (22/11/2026).
        raise UsageError(f"{option} '{value}' is not a date. {date_hint(value)}") from None


@dataclass(frozen=True)
class Period:
    """The quarters a report follows and the dates it reads (``--year-start``, ``--quarter``,
    ``--from``, ``--to``): ``quarter`` is the quarter's key when one was asked for."""

    quarters: Quarters
    quarter: str | None
    date_from: str | None
    date_to: str | None


def resolve_period(
    year_start: str | None,
    quarter: str | None,
    date_from: str | None,
    date_to: str | None,
    today: dt.date | None = None,
    *,
    quarters_shown: bool = True,
) -> Period:
    """The year's quarters and the dates to read: a ``--quarter`` gives its first and last day.

    A quarter that starts after ``today`` is refused: a report of it could only say that nothing
    happened, which a reader could take for a quarter without audits. In a report that shows no
    quarters (``quarters_shown`` false), ``--year-start`` only says how ``--quarter`` is read,
    so it is refused without one rather than ignored.
    """
    from qaimpact.audits.quarters import Quarters, year_start_month

    if year_start is not None and quarter is None and not quarters_shown:
        raise UsageError(
            "--year-start only says how --quarter is read in this report, which shows no quarters: "
            "add --quarter (such as --quarter 2026-27-Q2 with --year-start april), or leave "
            "--year-start out."
        )

    quarters = Quarters(year_start_month(year_start)) if year_start is not None else Quarters()
    if quarter is None:
        return Period(quarters, None, date_from, date_to)
    if date_from is not None or date_to is not None:
        raise UsageError(
            "Give either --quarter or --from/--to, not both: --quarter already sets the first and last day."
        )
    key = quarters.parse(quarter)
    first, last = quarters.dates(key)
    if today is not None and first > today:
        raise UsageError(
            f"--quarter {key} has not started yet: it starts on {first.isoformat()}, after today "
            f"({today.isoformat()}). Give a quarter that has started, such as this one, "
            f"{quarters.key(today)}."
        )
    return Period(quarters, key, first.isoformat(), last.isoformat())


def load_registry(dirs: list[Path] | None) -> Any:
    """The frameworks on the search path (``--standards``, ``QAIMPACT_STANDARDS_PATH``, bundled).

    A broken standards file does not stop the command: only the framework it declares cannot be
    used (audits that name it get ``QA211``; asking for it by id is a standards error), and
    :func:`qaimpact.cli.outcome.finish` reports the file once and exits 3.
    """
    from qaimpact.frameworks.registry import Registry

    return Registry.default(dirs or [])


def standards_files(registry: Any) -> list[Path]:
    """The standards files the registry reads: files being read, which no command writes over."""
    return [path for path, _, _ in registry.entries()]


def find_framework(registry: Any, name: str) -> Any:
    """The framework a command line names (``--standards``, ``--to``, ``standards show``): by its
    id in any case or a short form its own data gives (:meth:`Registry.named`); a name that fits
    none, or several, is refused in plain words, listing the frameworks."""
    found = registry.named(name)
    if len(found) == 1:
        return registry.get(found[0])
    if not found:
        raise UsageError(unknown_framework(registry, name))
    raise UsageError(
        f"'{name}' could mean {len(found)} frameworks: {or_list(_named(registry, found))}. Give the "
        "one you mean by its whole id (`qaimpact standards list` lists them)."
    )


def framework_names(registry: Any) -> str:
    """Every framework on the search path, each by its id and short name: ``cafcass-qiam-2017
    (Cafcass) or ccc-practice-standards (CCC)``."""
    return or_list(_named(registry, registry.ids()))


def _named(registry: Any, ids: Iterable[str]) -> list[str]:
    shorts = {fw.id: fw.short_title for fw in registry.frameworks()}
    # A broken file's framework has no short name to offer: its id alone.
    return [f"{i} ({shorts[i]})" if i in shorts else i for i in ids]


def unknown_framework(registry: Any, framework_id: str) -> str:
    """The message for a framework name that fits none: the closest id and every known one."""
    guess = registry.closest(framework_id)
    return (
        f"Unknown framework '{framework_id}'."
        + (f" Did you mean '{guess}'?" if guess else "")
        + f" Give a framework by its id or its short name: {framework_names(registry)}."
    )


def no_audit_files(paths: Iterable[Path], *, verb: str = "check") -> str:
    """The message for paths that hold no audit file: each path given (up to three), so that a
    folder mistyped or holding no YAML is seen at once. Where every path is a file (each noted as
    not an audit: a narrative, an import mapping), the files are not called folders: none of them
    is an audit, so there is nothing to ``verb``."""
    paths = list(dict.fromkeys(paths))
    if paths and all(p.is_file() for p in paths):
        return f"None of the files given is an audit, so there is nothing to {verb}."
    return _none_found(paths)


def _none_found(paths: Iterable[Path]) -> str:
    """The message that no audit file was found in the paths (each given, up to three)."""
    given = [f"'{p}'" for p in dict.fromkeys(paths)]
    shown = given[:3] + (
        [f"{len(given) - 3} other path{'s' if len(given) > 4 else ''}"] if len(given) > 3 else []
    )
    where = f"in {or_list(shown)}" if shown else "in the paths given"
    return f"No audit files (*.yaml, *.yml) found {where}."


def no_audits_to_report(folders: Iterable[Path], *, given: bool) -> str:
    """The message for a report whose folders hold no YAML file at all: the folders, and where
    the audits were looked for (``given``: whether ``--audits`` named them, rather than the
    default, :func:`~qaimpact.audits.dataset.default_audits_folder`), so that a mistyped or
    wrong folder is seen rather than reported on as a service with no audits."""
    found = _none_found(folders).removesuffix(".")
    if given:
        how = (
            "Check --audits: give the folder that holds the audit files (usually one named audits; "
            "the folders inside it are read too)."
        )
    else:
        how = (
            "Without --audits, a report reads the folder named audits in the current folder, or the "
            "current folder when there is none: give --audits with the folder that holds the audit "
            "files."
        )
    return f"{found}, so there is nothing to report on. {how}"


#: The path that means standard input, as in most command-line tools.
STDIN = Path("-")

StdinName = Annotated[
    str,
    typer.Option(
        "--stdin-name",
        help="The file name findings give for an audit read from standard input ('-'), as an "
        "editor names the file it sends.",
        metavar="NAME",
    ),
]


def reads_stdin(paths: list[Path]) -> bool:
    """Whether the paths ask for standard input: ``-``, given alone (it is one audit)."""
    if STDIN not in paths:
        return False
    if len(paths) > 1:
        raise UsageError("'-' reads one audit from standard input: give it alone, without other paths.")
    return True


def read_stdin() -> bytes:
    """Everything on standard input, as bytes (the checker decodes it as it does a file)."""
    import sys

    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError(
            "'-' reads an audit from standard input, but nothing is piped in: for example "
            "`qaimpact validate - < audit.yaml`."
        )
    return sys.stdin.buffer.read()


SkipNonAudits = Annotated[
    bool,
    typer.Option(
        "--skip-non-audits",
        help="Pass over YAML files that are not audits (no 'standards:', 'audit_id:' or other key of "
        "an audit), with a "
        "note, as reports do: for pre-commit hooks, which are given every YAML file.",
    ),
]


def not_named_otherwise(files: Iterable[Path]) -> list[Path]:
    """The files, less import mappings and quarterly narratives named one by one (a shell's
    ``audits/*.yaml``, a pre-commit hook's changed files), each with a note: a folder never reads
    them (:func:`~qaimpact.audits.checker.skipped_name`), so the files of a folder named one by one
    are checked (by ``validate``) and formatted (by ``fmt``) as the folder is."""
    from qaimpact.audits.checker import skipped_name

    kept = []
    for path in files:
        why = skipped_name(path.name)
        if why is None:
            kept.append(path)
            continue
        from qaimpact.cli import console

        console.print_note(console.stderr(), f"skipped {path}: not an audit ({why})")
    return kept


def audits_only(files: list[Path], max_size: int, skip: bool) -> list[Path]:
    """The files that are audits, noting each one passed over (only when ``skip``)."""
    if not skip:
        return files
    from qaimpact.audits.checker import not_an_audit

    kept = []
    for path in files:
        if not_an_audit(path, max_size):
            from qaimpact.cli import console

            console.print_note(
                console.stderr(),
                f"skipped {path}: not an audit (it has no 'standards:', 'audit_id:' or other key of an "
                "audit)",
            )
        else:
            kept.append(path)
    return kept


_F = TypeVar("_F", bound=StrEnum)

#: How a message names a kind of file, by its extension (lower case): the formats commands
#: write, and the documents and spreadsheets a file given in the wrong place often is.
FILE_KINDS: dict[str, str] = {
    ".md": "a Markdown file",
    ".markdown": "a Markdown file",
    ".html": "a web page",
    ".htm": "a web page",
    ".json": "a JSON file",
    ".csv": "a CSV file",
    ".tsv": "a CSV file",
    ".xlsx": "an Excel workbook",
    ".xlsm": "an Excel workbook",
    ".xls": "an Excel 97-2003 workbook",
    ".ods": "a spreadsheet",
    ".docx": "a Word document",
    ".doc": "a Word document",
    ".rtf": "a Word document",
    ".odt": "a word-processor document",
    ".pdf": "a PDF document",
}
#: The format each file extension names.
_FORMATS: dict[str, str] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
    ".xlsx": "xlsx",
    # Formats no command writes, named so that a board paper asked for as `-o report.docx` is
    # refused with the way to one, not written as Markdown that Word or a PDF reader cannot open.
    ".docx": "docx",
    ".doc": "docx",
    ".rtf": "docx",
    ".odt": "docx",
    ".pdf": "pdf",
    ".xls": "xls",
}


def _named_format(path: Path) -> tuple[str, str] | None:
    """The format a file's extension names and how a message names the file, if it names one."""
    suffix = path.suffix.lower()
    value = _FORMATS.get(suffix)
    return None if value is None else (value, FILE_KINDS[suffix])


#: How to get a document of a kind no command writes, ``{html}`` being how to ask for a web page
#: (``-o NAME.html``, or ``--format html`` where the format was asked for by name).
_WAY_TO = {
    "docx": " For a Word document, write a web page ({html}) and open it in Word.",
    "pdf": " For a PDF, write a web page ({html}), open it in a browser and print it to PDF.",
}


def output_format_for(ctx: typer.Context, chosen: _F, output: Path | None) -> _F:
    """The format to write: ``--format`` where given, else the one ``-o``'s extension names
    (``-o summary.xlsx`` is a workbook), else the default.

    A file named for another format than the one asked for, or for one the command cannot write,
    is refused before anything is read: Excel cannot open Markdown saved as ``.xlsx``.
    """
    formats = type(chosen)
    can = [f.value for f in formats]
    ways = {value: way.format(html="-o NAME.html") for value, way in _WAY_TO.items()} if "html" in can else {}
    refuse_output_name(ctx, output, can, f"{', '.join('.' + f for f in can[:-1])} or .{can[-1]} files", ways)
    if output is None or str(output) == "-":
        return chosen
    named = _named_format(output)
    if named is None:  # .txt, no extension: the format asked for, or the default
        return chosen
    value, kind = named
    if not format_given(ctx):
        return formats(value)
    if value != chosen.value:
        writes = _FORMAT_NAMES.get(chosen.value, chosen.value)
        raise UsageError(
            f"-o {output} names {kind}, but --format {chosen.value} writes {writes}: use --format "
            f"{value}, or name the file {output.with_suffix('.' + chosen.value).name}."
        )
    return chosen


def refuse_output_name(
    ctx: typer.Context, output: Path | None, can: Collection[str], writes: str, ways: Mapping[str, str]
) -> None:
    """Refuse an ``-o`` whose extension names a kind of file the command cannot write
    (``-o board.pdf``), before anything is read or written: what it writes under that name would
    be text that Word, a PDF reader or Excel cannot open.

    ``can``: the formats the command writes, by :data:`_FORMATS`' names (``json``); ``writes``:
    how the message names them; ``ways``: for a kind of file it cannot write (``pdf``), the
    sentence saying how to get one, starting with a space. A name that names no kind
    (``report.txt``, ``results.sarif``, no extension) is not refused.
    """
    if output is None or str(output) == "-":
        return
    named = _named_format(output)
    if named is None or named[0] in can:
        return
    value, kind = named
    raise UsageError(
        f"-o {output} names {kind}, which {command_name(ctx)} cannot write: it writes {writes} "
        f"(--format).{ways.get(value, '')}"
    )


def refuse_bom(bom: bool, chosen: StrEnum) -> None:
    """``--bom`` is for CSV, which Excel reads by it: given with another format, it would do
    nothing, so it is refused rather than ignored."""
    if bom and chosen.value != "csv":
        raise UsageError(
            f"--bom adds the byte-order mark Excel needs to read a CSV file's accents and symbols; "
            f"--format {chosen.value} has no use for one: leave --bom out, or add --format csv."
        )


_FORMAT_NAMES = {
    "md": "Markdown",
    "html": "a web page",
    "json": "JSON",
    "csv": "CSV",
    "xlsx": "an Excel workbook",
}


def format_given(ctx: typer.Context) -> bool:
    """Whether the user gave ``--format`` (rather than taking its default): a Markdown report asked
    for by name is written as Markdown even on a terminal."""
    source = ctx.get_parameter_source("output_format")
    # By name: the enum is click's, which Typer vendors in some of the releases allowed.
    return source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP")


class OptionRefused(typer.BadParameter):
    """A bad option value, refused in qaimpact's words as every other usage error is (``error:``
    and the message, exit 2), where click would print its usage line and ``Invalid value for``:
    its wording, and the usage line's, change between the typer releases pyproject.toml allows.

    ``words`` makes the message from the command's name (``qaimpact standards diff``), known only
    once click has given the error its context: a value is read before the command is called.
    """

    def __init__(self, words: Callable[[str], str]) -> None:
        from qaimpact.cli import exitcodes

        super().__init__(words("qaimpact"))
        self.words = words
        self.exit_code = exitcodes.USAGE

    def show(self, file: Any = None) -> None:
        from qaimpact.cli import console

        message = self.words(command_name(self.ctx)) if self.ctx is not None else self.message
        console.print_problem(console.stderr(), message)


def command_name(ctx: Any) -> str:
    """``qaimpact standards diff``: the command as typed, whatever the program was run as (the
    console script, ``python -m qaimpact``, a test's runner)."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["qaimpact", *reversed(names)])


def choice_option(
    choices: type[StrEnum],
    *names: str,
    help: str,
    refuse: Callable[[str, str, list[str]], str] | None = None,
) -> Any:
    """An option (``names``: ``--weights``) taking one of ``choices``, in any case (``JSON`` is
    ``json``): its help lists them and the shell completes them, and any other value is refused
    in qaimpact's words, the same on every typer release: ``refuse(command, value, choices)``,
    by default :func:`unknown_choice`."""
    values = [c.value for c in choices]
    words = refuse or (lambda command, value, listed: unknown_choice(command, names[0], value, listed))

    def choose(value: Any) -> StrEnum:
        # Called with the default (a member) too.
        if isinstance(value, choices):
            return value
        chosen = str(value).strip().lower()
        if chosen in values:
            return choices(chosen)
        given = str(value)
        raise OptionRefused(lambda command: words(command, given, values))

    def complete(incomplete: str) -> list[str]:
        return [v for v in values if v.startswith(incomplete.lower())]

    return typer.Option(
        *names,
        help=help,
        metavar="[" + "|".join(values) + "]",
        # Read by `choose` rather than by typer, whose refusal of a value that is none of an
        # enum's reads differently in each release (and which a callback cannot replace: some
        # releases give it None for a value that is none of the enum's).
        parser=choose,
        autocompletion=complete,
    )


def format_option(formats: type[StrEnum], help: str) -> Any:
    """``--format``/``-f`` of a command that writes ``formats`` (:func:`choice_option`), a value
    that is none of them refused with :func:`unknown_format`."""
    return choice_option(formats, "--format", "-f", help=help, refuse=unknown_format)


def unknown_choice(command: str, option: str, value: str, choices: list[str], note: str = "") -> str:
    """The message for a value of ``option`` that is none of ``choices``: the one it was most
    likely meant for, and every one ``command`` takes (``note``: how they may be written)."""
    guess = suggest(value.strip().lower(), choices)
    return (
        f"{option} '{value}' is not one of the values {command} takes."
        + (f" Did you mean '{guess}'?" if guess else "")
        + f" It takes {or_list(choices)}{f' ({note})' if note else ''}."
    )


def unknown_format(command: str, value: str, formats: list[str]) -> str:
    """The message for a ``--format`` that ``command`` does not write: the one it was most
    likely meant for (a near spelling, or the format a file extension names: ``markdown`` is
    ``md``), and every one it writes."""
    key = value.strip().lower()
    named = _FORMATS.get("." + key.removeprefix("."), "")
    guess = named if named in formats else suggest(key, formats)
    return (
        f"--format '{value}' is not a format {command} writes."
        + (f" Did you mean '{guess}'?" if guess else "")
        + f" It writes {or_list(formats)}."
        + (_WAY_TO.get(named, "").format(html="--format html") if "html" in formats else "")
    )

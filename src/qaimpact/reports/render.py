"""Render report views as Markdown, HTML, JSON or CSV.

There is one Jinja environment. It is sandboxed and immutable, undefined names are errors, and
HTML templates autoescape. Audit text only ever reaches a template as data, never as template
source, and each template is rendered once, so ``{{ 7*7 }}`` or ``<script>`` in an evidence field
comes out literally. Markdown templates pass user text through the ``md`` filter, which escapes
Markdown syntax and shows control characters and direction overrides as visible escapes
(:func:`~qaimpact.base.escaping.visible`). Figures need no filter: a count or share is shown as a
:class:`~qaimpact.privacy.disclosure.Shown` text, which the environment escapes in every
Markdown template by its type, so a published ``*`` or ``<5`` never opens emphasis or HTML.
JSON is exact (:func:`~qaimpact.base.escaping.to_json`) and CSV cells never start a formula
(:func:`~qaimpact.base.escaping.csv_cell`). ``--templates DIR`` overrides any bundled template
by file name.

The pages of ``qaimpact serve`` are rendered here too (:func:`render_page`), by the same
environment with the web package's templates searched first, so they share the reports' style
(``templates/report.css``) and their escaping.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from jinja2.nodes import EvalContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from qaimpact import __version__
from qaimpact.audits.records import NONE_LABEL
from qaimpact.base.errors import UsageError
from qaimpact.base.escaping import WHOLE_VALUE, csv_cell, to_json, visible
from qaimpact.cycle.common import period_phrase
from qaimpact.models.listing import and_list
from qaimpact.privacy.disclosure import (
    HIDDEN_SHARE,
    MEANINGS,
    NOT_SHOWN,
    SECONDARY,
    SUPPRESSED,
    WITHHELD,
    Shown,
)
from qaimpact.reports import charts
from qaimpact.reports.schemas import SCHEMA_VERSION

FORMATS = ("md", "html")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md(value: Any) -> str:
    """Escape text for Markdown: no emphasis, links, HTML, table breaks or control characters."""
    if value is None:
        return ""
    text = visible(" ".join(str(value).split()))
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_code(value: Any) -> str:
    """Inline code in Markdown, with a fence longer than any run of backticks inside."""
    text = visible(" ".join(str(value).split()))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def plural(count: Any, word: str) -> str:
    """``1 audit``, ``2 audits``; a suppressed count (``<5``) takes the plural. A figure's text
    stays a figure's (:class:`~qaimpact.privacy.disclosure.Shown`), escaped as one."""
    text = f"{count} {word}" if str(count) == "1" else f"{count} {word}s"
    return Shown(text) if isinstance(count, Shown) else text


def invalid_files(view: dict[str, Any], which: str = "") -> str:
    """The invalid files a report left out, each by what it is: ``1 invalid audit file``,
    ``2 invalid record files``, ``1 invalid audit file and 1 invalid record file``. A practice
    record (an observation, feedback, a follow-through) is not an audit: it holds no action, is
    never escalated and is not an audit a plan or a sample counts, so a report says which it left
    out. ``view`` gives ``invalid_count`` and, of those, ``invalid_audits``; with ``which``
    ``"outside_period"``, the files with errors dated outside the period
    (``invalid_outside_period``, ``invalid_audits_outside_period``)."""
    suffix = f"_{which}" if which else ""
    audits = int(view[f"invalid_audits{suffix}"])
    records = int(view["invalid_outside_period" if which else "invalid_count"]) - audits
    parts = [plural(n, f"invalid {noun} file") for n, noun in ((audits, "audit"), (records, "record")) if n]
    return " and ".join(parts)


def counted(count: Any, word: str) -> str:
    """A count of ``word`` in words a reader outside the QA team follows: ``12 audits``, and for
    a count a published report hides, what the page's note says its sign means, sign included:
    ``fewer than 5 audits (<5)``, ``5 or more audits (*)``, ``an undisclosed number of audits (–)``
    (a count that may be 0: a sentence saying that something happened to it, such as "needed
    escalating", says "How many ... is not shown" instead, with :func:`is_withheld`)."""
    text = str(count)
    if text == SUPPRESSED:
        return Shown(f"fewer than 5 {word}s ({SUPPRESSED})")
    if text == SECONDARY:
        return Shown(f"5 or more {word}s ({SECONDARY})")
    if text == WITHHELD:
        return Shown(f"an undisclosed number of {word}s ({WITHHELD})")
    return plural(count, word)


def sentence(text: Any) -> Any:
    """``text`` with its first letter a capital, to start a sentence; a figure stays a figure
    (:class:`~qaimpact.privacy.disclosure.Shown`), escaped as one."""
    out = str(text)[:1].upper() + str(text)[1:]
    return Shown(out) if isinstance(text, Shown) else out


def is_withheld(count: Any) -> bool:
    """Whether a count is one a published report does not show at all, ``–`` (a Jinja test: ``is
    withheld``): any number, 0 included, so a sentence stating that such audits exist would
    say more than the figure does."""
    return str(count) == WITHHELD


def is_hidden(share: Any) -> bool:
    """Whether a share is one a published report does not show (a Jinja test: ``is hidden``)."""
    return isinstance(share, dict) and share.get("text") == HIDDEN_SHARE


@jinja2.pass_eval_context
def _finalize(eval_ctx: EvalContext, value: Any) -> Any:
    """What each ``{{ ... }}`` writes: a figure escaped for Markdown in a template that is not
    autoescaped (a Markdown one; an HTML template escapes everything anyway). Whatever a
    template does with a count, its ``*`` or ``<5`` cannot reach the page raw; a figure already
    through ``md`` is plain text and is not escaped twice. A share a published report hides is
    written "not shown": its JSON's word, ``suppressed``, is for the data, not for a board."""
    if isinstance(value, Shown) and value == HIDDEN_SHARE:
        value = Shown(NOT_SHOWN)
    if isinstance(value, Shown) and not eval_ctx.autoescape:
        return md(value)
    return value


def _is_html(name: str | None) -> bool:
    return name is not None and ".html" in name


def environment(templates: Path | None = None, packages: tuple[str, ...] = ()) -> jinja2.Environment:
    """The one template environment, with an optional folder of overriding templates first.

    ``packages`` names further packages whose ``templates/`` folder is searched before the
    reports' own (the web pages of ``qaimpact serve``).
    """
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        if not templates.is_dir():
            raise UsageError(f"--templates '{templates}' is not a folder.")
        loaders.append(jinja2.FileSystemLoader(str(templates)))
    loaders.extend(jinja2.PackageLoader(package, "templates") for package in packages)
    loaders.append(jinja2.PackageLoader("qaimpact.reports", "templates"))
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=_is_html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters["md"] = md
    env.filters["md_code"] = md_code
    env.filters["plural"] = plural
    env.filters["counted"] = counted
    env.filters["invalid_files"] = invalid_files
    env.filters["sentence"] = sentence
    env.tests["hidden"] = is_hidden
    env.tests["withheld"] = is_withheld
    env.filters["period"] = period_phrase
    # Names as a sentence lists them: ``a``, ``a and b``, ``a, b and c``.
    env.filters["and_list"] = and_list
    # What each mark in place of a hidden figure means, for a published page's note, worded once
    # (the workbook's Key sheet says the same): constant text, given as data, never as template.
    env.globals["disclosure_marks"] = MEANINGS
    return env


def render(
    view: dict[str, Any], fmt: str, templates: Path | None = None, today: dt.date | None = None
) -> str:
    """Render a view (``audit``, ``learning_log`` or ``summary``) with its template."""
    if fmt not in FORMATS:
        raise UsageError(f"Unknown report format '{fmt}': use one of {', '.join(FORMATS)}.")
    env = environment(templates)
    name = f"{view['kind']}.{fmt}.j2"
    context = {
        "view": view,
        "generated": {"by": f"qaimpact {__version__}", "on": (today or dt.date.today()).isoformat()},
        "charts": _charts(view) if fmt == "html" else {},
    }
    try:
        text = env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise UsageError(
            f"The template {exc.filename or name} has an error at line {exc.lineno}: {exc.message}"
        ) from None
    except jinja2.UndefinedError as exc:
        raise UsageError(
            f"The template {name} uses something the report does not provide: {exc.message}"
        ) from None
    except jinja2.exceptions.SecurityError as exc:
        raise UsageError(f"The template {name} tried something unsafe, which is not allowed: {exc}") from None
    except jinja2.TemplateError as exc:  # not found (an include or extends), runtime errors
        raise UsageError(f"The template {name} could not be rendered: {exc}") from None
    except (TypeError, ValueError, AttributeError) as exc:
        if templates is None:
            raise  # a bundled template failing is a bug in qaimpact, reported as such
        raise UsageError(f"The template {name} (or one it includes) failed: {exc}") from None
    note = view.get("redaction")
    if note and fmt == "md":
        # Every Markdown report, the user's own templates' too: the base page says it in HTML.
        text = text.rstrip("\n") + "\n\n> " + md(note) + "\n"
    return keep_together(text) if fmt == "html" else text


#: Elements whose text is not laid out as lines of the page: left exactly as rendered.
_UNWRAPPED = ("title", "style", "script", "svg", "textarea", "pre")
_TAG = re.compile(r"(<[^>]*>)")


def keep_together(page: str) -> str:
    """Wrap each date and id in the text of an HTML page in ``<span class="nowrap">``, so that
    it is never broken across lines.

    Only text between tags changes (autoescaping leaves no ``<`` or ``>`` in text or attribute
    values), and never inside the page's ``<title>``, its style sheet or a chart.
    """
    out: list[str] = []
    inside: list[str] = []
    for piece in _TAG.split(page):
        if piece.startswith("<"):
            tag = re.match(r"</?([a-zA-Z0-9]+)", piece)
            name = tag.group(1).lower() if tag else ""
            if name in _UNWRAPPED and not piece.endswith("/>"):
                if piece.startswith("</"):
                    if inside and inside[-1] == name:
                        inside.pop()
                else:
                    inside.append(name)
            out.append(piece)
        elif inside or not piece:
            out.append(piece)
        else:
            out.append(WHOLE_VALUE.sub(r'<span class="nowrap">\g<0></span>', piece))
    return "".join(out)


@lru_cache(maxsize=4)
def _page_environment(package: str) -> jinja2.Environment:
    # Built once per process: a web page is rendered on every request, and compiled templates
    # are cached by the environment that compiled them.
    return environment(packages=(package,))


def render_page(package: str, name: str, context: dict[str, Any]) -> str:
    """Render the template ``name`` of ``package`` (a page of ``qaimpact serve``) with ``context``.

    The same sandboxed, autoescaping environment as the reports, with ``package``'s templates
    searched first, so a page can include the reports' style and parts. User text is data in
    ``context``, never template source.
    """
    return _page_environment(package).get_template(name).render(context)


def report_css() -> str:
    """The reports' style sheet, which the web pages share (served as a file there)."""
    return files("qaimpact.reports").joinpath("templates", "report.css").read_text(encoding="utf-8")


def _bar_text(share: dict[str, Any]) -> str:
    """The text beside a bar: the share as the tables write it, or "not shown" for one a published
    report hides (its JSON says ``suppressed``, a word meant for the data, not for a board)."""
    return NOT_SHOWN if is_hidden(share) else str(share["text"])


def _charts(view: dict[str, Any]) -> dict[str, Any]:
    kind = view["kind"]
    if kind in ("summary", "quarterly"):
        out: dict[str, Any] = {}
        for section in view["frameworks"]:
            ident = section["framework"]["id"]
            out[f"{ident}-grades"] = charts.bar_chart(
                f"{ident}-grades",
                f"Grade distribution, {section['framework']['title']}",
                [
                    charts.Bar(d["label"], d["count"]["n"] or 0, _bar_text(d["share"]), i)
                    for i, d in enumerate(section["distribution"])
                ],
            )
            out[f"{ident}-themes"] = charts.bar_chart(
                f"{ident}-themes",
                f"Learning themes, {section['framework']['title']}",
                [
                    charts.Bar(t["label"], t["count"]["n"] or 0, _bar_text(t["share"]), 1)
                    for t in section["themes"][:10]
                ],
            )
            out[f"{ident}-trend"] = charts.bar_chart(
                f"{ident}-trend",
                f"Share {section['good_or_better_label']} or better by quarter, "
                f"{section['framework']['title']}",
                [
                    # As the tables name it: "2026-27 Q2 (Jul-Sep 2026)" in a financial year.
                    charts.Bar(t["label"], t["good_or_better"]["pct"] or 0, _bar_text(t["good_or_better"]), 0)
                    for t in section["trend"]
                ],
                maximum=100,
            )
        return out
    if kind == "learning_log":
        return {
            section["framework"]["id"]: charts.grade_timeline(
                f"{section['framework']['id']}-timeline",
                f"Grades over time, {section['framework']['title']}",
                [g["label"] for g in section["grades"]],
                [(a["date"], a["grade"]["rank"], a["grade"]["label"]) for a in section["audits"]],
                chains=[a["chain"] for a in section["audits"]],
            )
            for section in view["frameworks"]
        }
    return {}


def render_json(view: dict[str, Any]) -> str:
    """The view as JSON, starting with the ``schema_version`` of its published schema
    (:mod:`qaimpact.reports.schemas`): the version belongs to the JSON form, not to the view."""
    return to_json({"schema_version": SCHEMA_VERSION, **view}, indent=2, default=str) + "\n"


def render_csv(rows: list[dict[str, Any]], columns: list[str] | None = None, *, bom: bool = False) -> str:
    """Rows as CSV with a header line: every cell through :func:`~qaimpact.base.escaping.csv_cell`,
    so none starts a formula on any of its lines, and a cell with a line break is quoted.

    ``columns`` fixes the header (and its order), so that a table with no rows still has one; keys
    of the rows not in it follow in first-seen order. A value not recorded is an empty cell, not
    the "(not recorded)" the pages show, so that a spreadsheet counts and filters it as blank.
    ``bom`` starts the text with a byte-order mark, which Excel needs to read UTF-8.
    """
    out = io.StringIO()
    if not rows and not columns:
        return ""
    if bom:
        out.write("\ufeff")
    fields = list(dict.fromkeys([*(columns or []), *(key for row in rows for key in row)]))
    writer = csv.DictWriter(out, fieldnames=fields, restval="", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell("" if v == NONE_LABEL else v) for k, v in row.items()})
    return out.getvalue()

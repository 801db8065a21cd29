"""``--format`` refuses a format a command does not write in qaimpact's own words (the value given,
the one it was likely meant for, every one the command writes; exit 2), the same on every typer
release pyproject.toml allows, where typer's own refusal ("Invalid value for '--format' / '-f':
...") reads differently in each. Its help still lists the formats, and the shell completes them
(tests/test_conventions.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import EXAMPLES, HEADLINE, TODAY
from qaimpact.cli.options import unknown_format


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["validate", "--format", "gitlab", "examples"],
            "--format 'gitlab' is not a format qaimpact validate writes. Did you mean 'github'? "
            "It writes text, json, junit, sarif or github.",
        ),
        (
            ["grade", "-f", "sarif", "examples"],
            "--format 'sarif' is not a format qaimpact grade writes. It writes text or json.",
        ),
        (
            ["summary", "--format", "xls"],
            "--format 'xls' is not a format qaimpact summary writes. Did you mean 'xlsx'? "
            "It writes md, html, json, csv or xlsx.",
        ),
        # A format's longer name, as a file extension gives it.
        (
            ["report", "-f", "Markdown", "examples"],
            "--format 'Markdown' is not a format qaimpact report writes. Did you mean 'md'? "
            "It writes md, html or json.",
        ),
        # xlsx is close, but the report does not write it.
        (
            ["report", "-f", "xls", "examples"],
            "--format 'xls' is not a format qaimpact report writes. It writes md, html or json.",
        ),
        (
            ["actions", "-f", "pdf"],
            "--format 'pdf' is not a format qaimpact actions writes. It writes md, html, json, csv or xlsx. "
            "For a PDF, write a web page (--format html), open it in a browser and print it to PDF.",
        ),
        # A subcommand is named in full.
        (
            ["standards", "diff", "a", "b", "-f", "txt"],
            "--format 'txt' is not a format qaimpact standards diff writes. Did you mean 'text'? "
            "It writes text or json.",
        ),
    ],
)
def test_an_unknown_format_is_refused_in_plain_words(cli: Any, args: list[str], message: str) -> None:
    run = cli(*args, expect=2)
    assert (run.stdout, run.stderr) == ("", f"error: {message}\n")


@pytest.mark.parametrize("given", ["JSON", "Json", " json "])
def test_a_format_in_capitals_is_the_format(cli: Any, given: str) -> None:
    run = cli("grade", "--today", TODAY.isoformat(), "-f", given, *HEADLINE)
    assert [g["file"] for g in json.loads(run.stdout)] == [str(p) for p in HEADLINE]


@pytest.mark.parametrize(
    ("args", "listed"),
    [
        (["validate"], "-f, --format [text|json|junit|sarif|github]"),
        (["summary"], "-f, --format [md|html|json|csv|xlsx]"),
        (["standards", "diff"], "-f, --format [text|json]"),
    ],
)
def test_help_lists_the_formats(cli: Any, args: list[str], listed: str) -> None:
    assert listed in cli(*args, "--help").stdout


@pytest.mark.parametrize(
    ("value", "formats", "message"),
    [
        ("gitlab", ["text", "github"], "Did you mean 'github'? It writes text or github."),
        ("htm", ["md", "html"], "Did you mean 'html'? It writes md or html."),
        (".CSV", ["md", "csv"], "Did you mean 'csv'? It writes md or csv."),
        (
            "pdf",
            ["md", "html", "json"],
            "It writes md, html or json. For a PDF, write a web page (--format html), open it in a "
            "browser and print it to PDF.",
        ),
        ("pdf", ["md", "json"], "It writes md or json."),
        (
            "docx",
            ["md", "html"],
            "It writes md or html. For a Word document, write a web page (--format html) and open it "
            "in Word.",
        ),
    ],
)
def test_unknown_format(value: str, formats: list[str], message: str) -> None:
    assert unknown_format("qaimpact x", value, formats) == (
        f"--format '{value}' is not a format qaimpact x writes. {message}"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("summary", "--by", "teem"),
            "error: --by 'teem' is not one of the values qaimpact summary takes. Did you mean 'team'? "
            "It takes team, reviewer, practitioner, law_type, audit_type, theme, month or quarter.\n",
        ),
        (
            ("moderation", "--weights", "quadratik"),
            "error: --weights 'quadratik' is not one of the values qaimpact moderation takes. Did you "
            "mean 'quadratic'? It takes linear, quadratic or none.\n",
        ),
    ],
)
def test_a_choice_of_none_of_the_values_is_refused_in_qaimpacts_words(
    cli: Any, args: tuple[str, ...], message: str
) -> None:
    # Regression: typer's "Invalid value for '--by': Value error, 'teem' is not one of ...", after
    # a usage line, worded differently by each typer release pyproject.toml allows.
    run = cli(*args, "--audits", EXAMPLES, expect=2)
    assert run.stderr == message


@pytest.mark.parametrize(("option", "value"), [("--by", "TEAM"), ("--by", "Law_Type")])
def test_a_choice_is_read_in_any_case(cli: Any, option: str, value: str) -> None:
    run = cli("summary", option, value, "--audits", EXAMPLES, "--today", TODAY.isoformat(), "-f", "json")
    assert json.loads(run.stdout)["by"] == value.lower()

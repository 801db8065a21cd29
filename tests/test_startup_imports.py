"""What start-up imports (docs/performance.md, "Start-up and the package layout").

``qaimpact --help`` and a command's ``--help`` must not wait for the standards models (pydantic), the YAML
readers or rich; ``validate`` must not load the report, spreadsheet or web machinery. The
import-linter contracts see imports in the source, lazy ones included; these tests see what a
command really loads, in a new process, so a module-level import that pulls in pydantic
(``cli.options`` importing ``or_list`` from the standards models did) fails here.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import EXAMPLES

#: Runs the command as qaimpact's entry point does (``run``: ``main`` then ends the process at
#: once), then prints the top-level packages (and qaimpact's modules) it loaded that the test names.
PROBE = """
import contextlib, io, sys
sys.argv = ["qaimpact", *sys.argv[1:]]
from qaimpact.cli.app import run
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    run()
watched = {watched!r}
print(" ".join(sorted(m for m in sys.modules if m in watched)))
"""

#: What ``qaimpact --help`` never loads. typer itself loads pydantic for a command's own options
#: (``typer._adapters``, since 0.27), so a command's ``--help`` is held to qaimpact's own modules.
NOT_AT_START = ("pydantic", "yaml", "ruamel.yaml", "rich", "jinja2", "openpyxl", "qaimpact.models.standard")
#: What no command's help loads of qaimpact's own.
NOT_FOR_HELP = ("qaimpact.models.standard", "qaimpact.base.loader", "qaimpact.frameworks.registry", "jinja2")


def _loaded(args: list[str], watched: tuple[str, ...]) -> list[str]:
    code = PROBE.format(watched=watched)
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return out.stdout.split()


@pytest.mark.parametrize("args", [["--help"], ["-h"], []], ids=" ".join)
def test_qaimpact_help_loads_no_models_yaml_or_rich(args: list[str]) -> None:
    assert _loaded(args, NOT_AT_START) == []


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--help"],
        ["summary", "-h"],
        ["escalations", "--help"],
        ["serve", "--help"],
    ],
    ids=" ".join,
)
def test_a_command_s_help_loads_no_standards_models(args: list[str]) -> None:
    assert _loaded(args, NOT_FOR_HELP) == []


def test_validate_loads_no_report_spreadsheet_or_web_machinery() -> None:
    audit = str(next((EXAMPLES / "service").glob("*/*.yaml")))
    watched = ("jinja2", "openpyxl", "starlette", "uvicorn", "qaimpact.reports.render", "qaimpact.web")
    assert _loaded(["validate", audit], watched) == []


#: What a usage error never waits for: a mistyped option, or a value an option does not take, is
#: refused as the command line is read, before any command builds the standards models, loads
#: its frameworks or reads an audit. (typer itself loads pydantic for a command's options.)
NOT_FOR_USAGE_ERRORS = (
    "qaimpact.models.standard",
    "qaimpact.models.audit",
    "qaimpact.base.loader",
    "qaimpact.base.diagnose",
    "qaimpact.frameworks.registry",
    "qaimpact.audits.checker",
)
_SERVICE = str(EXAMPLES / "service")


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--no-such-option", _SERVICE],
        ["validate", "--jobs", "-1", _SERVICE],
        ["validate", "--format", "jsno", _SERVICE],
        ["grade", "-f", "pfd", _SERVICE],
        ["validate", "--today", "2026-13-45", _SERVICE],
        ["grade", "--today", "22/11/2026", _SERVICE],
        ["summary", "--audits", _SERVICE, "--from", "2026-02-30"],
        ["escalations", "--audits", _SERVICE, "--to", "soon"],
    ],
    ids=lambda args: " ".join(args).replace(_SERVICE, "SERVICE"),
)
def test_a_usage_error_loads_no_standards_models(args: list[str]) -> None:
    assert _loaded(args, NOT_FOR_USAGE_ERRORS) == []

"""Render the diagnostics of checked audits in each output format (one renderer per format).

Every renderer takes the checked files (diagnostics only) and a :class:`RunInfo`, and returns a
string. ``text`` is for people, ``json`` for scripts, ``junit`` for GitLab and Jenkins test
reports, ``sarif`` for code-scanning dashboards, ``github`` for GitHub Actions annotations.

File names, messages and hints quote what files hold, so every format makes them safe for where
it is read (:mod:`qaimpact.base.escaping`): text, GitHub annotations and JUnit's text show control
characters, line breaks and direction overrides as visible escapes, so a value cannot start a
line of its own or drive a terminal; JUnit holds only characters XML 1.0 allows; JSON and SARIF
keep the exact text (JSON escapes what a terminal would act on).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import PurePath
from xml.etree import ElementTree as ET

from qaimpact import __version__
from qaimpact.audits.checker import AuditCheck
from qaimpact.base.codes import CODES
from qaimpact.base.escaping import to_json, visible, xml_text
from qaimpact.models.findings import Diagnostic


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What a report says about the run as a whole."""

    fail_on_warnings: bool = False
    elapsed: float = 0.0
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    #: The absolute path SARIF locations are relative to (the repository's root); None: the
    #: current folder.
    root: str | None = None

    def fails(self, check: AuditCheck) -> bool:
        """Whether this file fails the run."""
        return check.errors > 0 or (self.fail_on_warnings and check.warnings > 0)


Renderer = Callable[[Sequence[AuditCheck], RunInfo], str]


def diagnostic_line(diag: Diagnostic) -> str:
    """``file:line:col: severity code message``: the one-line form tools and people grep.

    It is always one line: what the file name and the message quote is shown escaped.
    """
    return f"{visible(str(diag.location))}: {diag.severity.value} {diag.code} {visible(diag.message)}"


def summary_line(checks: Sequence[AuditCheck]) -> str:
    """One sentence counting files, errors and warnings."""
    files = len(checks)
    errors = sum(c.errors for c in checks)
    warnings = sum(c.warnings for c in checks)
    bad = sum(1 for c in checks if c.diagnostics)
    # Every count with its thousands marked alike: "Checked 3,000 files: 3,000 errors ...".
    if not errors and not warnings:
        return f"Checked {_plural(files, 'file')}: no problems found."
    return (
        f"Checked {_plural(files, 'file')}: {_plural(errors, 'error')} and {_plural(warnings, 'warning')} "
        f"in {_plural(bad, 'file')}."
    )


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def text_lines(check: AuditCheck) -> list[str]:
    """The text form of one file's findings: each on a line, with its hint indented below."""
    lines: list[str] = []
    for diag in check.diagnostics:
        lines.append(diagnostic_line(diag))
        if diag.hint:
            lines.append(f"    hint: {visible(diag.hint)}")
    return lines


def render_text(checks: Sequence[AuditCheck], info: RunInfo | None = None) -> str:
    """Plain text: each finding on one line with its hint below, then a summary line."""
    lines = [line for check in checks for line in text_lines(check)]
    lines.append(summary_line(checks))
    return "\n".join(lines) + "\n"


def render_json(checks: Sequence[AuditCheck], info: RunInfo | None = None) -> str:
    """A JSON list of diagnostic objects (file, line, column, severity, code, name, message, hint)."""
    items = [d.to_dict() for c in checks for d in c.diagnostics]
    return to_json(items, indent=2) + "\n"


def render_junit(checks: Sequence[AuditCheck], info: RunInfo | None = None) -> str:
    """JUnit XML: one test case per audit file, failing with its findings.

    Valid against both the common JUnit schema (which GitLab follows) and Jenkins' schema:
    the run is one ``testsuite`` inside ``testsuites``, with every attribute both require.
    """
    run = info or RunInfo()
    failures = sum(1 for c in checks if run.fails(c))
    root = ET.Element("testsuites")
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": "qaimpact validate",
            "package": "qaimpact",
            "id": "0",
            "timestamp": run.started.strftime("%Y-%m-%dT%H:%M:%S"),
            "hostname": _hostname(),
            "tests": str(len(checks)),
            "failures": str(failures),
            "errors": "0",
            "time": f"{run.elapsed:.3f}",
        },
    )
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", {"name": "qaimpact.version", "value": __version__})
    passing_notes: list[str] = []
    for check in checks:
        case = ET.SubElement(
            suite,
            "testcase",
            {"name": xml_text(visible(check.path)), "classname": "qaimpact.validate", "time": "0"},
        )
        if run.fails(check):
            first = check.diagnostics[0]
            failure = ET.SubElement(
                case,
                "failure",
                {
                    "message": f"{_plural(check.errors, 'error')}, {_plural(check.warnings, 'warning')}: "
                    f"{first.code} {xml_text(visible(first.message))}",
                    "type": first.code,
                },
            )
            failure.text = xml_text("\n".join(text_lines(check)))
        elif check.diagnostics:
            passing_notes.extend(text_lines(check))
    ET.SubElement(suite, "system-out").text = xml_text("\n".join(passing_notes))
    ET.SubElement(suite, "system-err").text = ""
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _hostname() -> str:
    try:
        return socket.gethostname() or "localhost"
    except OSError:  # pragma: no cover - no network stack at all
        return "localhost"


#: The SARIF uriBaseId of the repository root (the name GitHub code scanning and the SARIF
#: tutorials use).
SRCROOT = "%SRCROOT%"


def _location(path: str, root: str) -> dict[str, str]:
    """A SARIF artifactLocation: relative to ``root`` (with ``uriBaseId``) when the file is
    under it, else an absolute ``file:`` URI."""
    full = PurePath(os.path.abspath(path))
    try:
        relative = full.relative_to(root)
    except ValueError:
        return {"uri": full.as_uri()}
    return {"uri": urllib.parse.quote(relative.as_posix()), "uriBaseId": SRCROOT}


def project_url() -> str | None:
    """The project's address, if its package metadata declares one in [project.urls] (a
    Homepage, Documentation, Repository or Source entry); None otherwise, never an invented one."""
    try:
        entries = metadata.metadata("qaimpact").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return None
    urls = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        urls[label.strip().casefold()] = url.strip()
    return next((urls[k] for k in ("homepage", "documentation", "repository", "source") if k in urls), None)


def sarif_rules() -> list[dict[str, object]]:
    """One SARIF reporting descriptor per diagnostic code, from the codes catalogue.

    Each carries its help inline (``help.text`` and ``help.markdown``) and no ``helpUri``: SARIF
    requires an absolute address there, and qaimpact has none of its own to give.
    """
    rules: list[dict[str, object]] = []
    for code in CODES.values():
        example = f"\n\nExample:\n\n{code.example.rstrip()}" if code.example else ""
        md_example = f"\n\nExample:\n\n```yaml\n{code.example.rstrip()}\n```" if code.example else ""
        rules.append(
            {
                "id": code.code,
                "name": "".join(p.capitalize() for p in code.name.split("-")),
                "shortDescription": {"text": code.title + "."},
                "fullDescription": {"text": code.explanation},
                "help": {"text": code.explanation + example, "markdown": code.explanation + md_example},
                "defaultConfiguration": {"level": code.severity.value},
                "properties": {"tags": [code.name]},
            }
        )
    return rules


def _fingerprint(diag: Diagnostic, uri: str) -> str:
    """What stays the same for a finding while lines are added above it: its code, its file and
    its message (code-scanning dashboards match results across runs by it)."""
    key = "\0".join((diag.code, uri, diag.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def render_sarif(checks: Sequence[AuditCheck], info: RunInfo | None = None) -> str:
    """SARIF 2.1.0: one run, one rule per diagnostic code, results with line and column.

    Locations are relative to the repository root (``uriBaseId``), each result has a
    ``partialFingerprints`` entry, and the run an ``automationDetails`` id.
    """
    run_info = info or RunInfo()
    root = run_info.root or os.getcwd()
    rules = sarif_rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for check in checks:
        for d in check.diagnostics:
            where = _location(d.location.path, root)
            results.append(
                {
                    "ruleId": d.code,
                    "ruleIndex": index[d.code],
                    "level": d.severity.value,
                    "message": {"text": f"{d.message} {d.hint}".strip()},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": where,
                                "region": {"startLine": d.location.line, "startColumn": d.location.column},
                            }
                        }
                    ],
                    "partialFingerprints": {"qaimpact/v1": _fingerprint(d, where["uri"])},
                }
            )
    driver: dict[str, object] = {
        "name": "qaimpact",
        "version": __version__,
        "semanticVersion": __version__,
    }
    address = project_url()
    if address:
        driver["informationUri"] = address
    driver["rules"] = rules
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                # The category (up to the last '/') is what dashboards group runs by.
                "automationDetails": {"id": f"qaimpact/validate/{run_info.started.isoformat()}"},
                "originalUriBaseIds": {SRCROOT: {"uri": PurePath(root).as_uri().rstrip("/") + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return to_json(log, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(check: AuditCheck) -> list[str]:
    """GitHub Actions workflow commands for one file's findings."""
    lines = []
    for d in check.diagnostics:
        loc = d.location
        props = ",".join(
            (
                f"file={_escape_property(visible(loc.path))}",
                f"line={loc.line}",
                f"col={loc.column}",
                f"title={_escape_property(f'{d.code} {d.name}')}",
            )
        )
        # What the message quotes is escaped first: only our own line break reaches the annotation.
        body = visible(d.message) + (f"\nhint: {visible(d.hint)}" if d.hint else "")
        lines.append(f"::{d.severity.value} {props}::{_escape_data(body)}")
    return lines


def render_github(checks: Sequence[AuditCheck], info: RunInfo | None = None) -> str:
    """GitHub Actions annotations (``::error file=...,line=...,col=...,title=...::message``)."""
    lines = [line for check in checks for line in github_lines(check)]
    lines.append(summary_line(checks))
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "sarif": render_sarif,
    "github": render_github,
}

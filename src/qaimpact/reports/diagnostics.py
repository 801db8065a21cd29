"""Render the diagnostics of checked audits as text or JSON (one renderer per format)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from qaimpact.checker import AuditCheck
from qaimpact.models.findings import Diagnostic

Renderer = Callable[[Sequence[AuditCheck]], str]


def diagnostic_line(diag: Diagnostic) -> str:
    """``file:line:col: severity code message``: the one-line form tools and people grep."""
    return f"{diag.location}: {diag.severity.value} {diag.code} {diag.message}"


def summary_line(checks: Sequence[AuditCheck]) -> str:
    """One sentence counting files, errors and warnings."""
    files = len(checks)
    errors = sum(c.errors for c in checks)
    warnings = sum(c.warnings for c in checks)
    bad = sum(1 for c in checks if c.diagnostics)
    noun = "file" if files == 1 else "files"
    if not errors and not warnings:
        return f"Checked {files} {noun}: no problems found."
    return (
        f"Checked {files} {noun}: {_plural(errors, 'error')} and {_plural(warnings, 'warning')} "
        f"in {bad} {'file' if bad == 1 else 'files'}."
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def render_text(checks: Sequence[AuditCheck]) -> str:
    """Plain text: each finding on one line with its hint below, then a summary line."""
    lines: list[str] = []
    for check in checks:
        for diag in check.diagnostics:
            lines.append(diagnostic_line(diag))
            if diag.hint:
                lines.append(f"    hint: {diag.hint}")
    lines.append(summary_line(checks))
    return "\n".join(lines) + "\n"


def render_json(checks: Sequence[AuditCheck]) -> str:
    """A JSON list of diagnostic objects (file, line, column, severity, code, name, message, hint)."""
    items = [d.to_dict() for c in checks for d in c.diagnostics]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[str, Renderer] = {"text": render_text, "json": render_json}

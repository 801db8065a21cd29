"""The published JSON Schemas (draft 2020-12) of every JSON output, one file per report kind.

``KIND.schema.json`` describes the JSON of the report whose ``kind`` is KIND (``audit``,
``learning_log``, ``summary``, ``escalations``, ``actions``, ``impact``, ``moderation``,
``sample``, ``programme``, ``quarterly``); ``validate.schema.json`` and ``grade.schema.json``
describe the bare lists of ``validate --format json`` and ``grade --format json``. They ship in
the package, so an installed qaimpact has them; ``qaimpact schema --report NAME`` prints one.

Each file stands alone: the shapes the reports share (a count, a share, a grade, a framework, a
finding) are repeated in each file's ``$defs`` rather than referenced from a common file, so that
a user can hand one file to any validator (``check-jsonschema --schemafile``) without resolving
references between files. The tests keep the copies identical.

Every report's JSON starts with ``schema_version`` (:data:`SCHEMA_VERSION`): the minor number
grows when fields are added, the major number when a field is removed or renamed, and the major
number is also in each schema's ``$id`` (``urn:qaimpact:report:summary:1``). A new report kind is
one new file here, ``KIND.schema.json`` (docs/reports.md, "JSON output").
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from qaimpact.base.errors import UsageError
from qaimpact.models.listing import suggest

#: The version of the reports' JSON form, written into every report's JSON as ``schema_version``.
SCHEMA_VERSION = "1.17"

_SUFFIX = ".schema.json"


def names() -> list[str]:
    """The name of every published schema (a report kind, or ``validate`` and ``grade``), sorted."""
    return sorted(
        entry.name.removesuffix(_SUFFIX)
        for entry in files(__name__).iterdir()
        if entry.name.endswith(_SUFFIX)
    )


def text(name: str) -> str:
    """The schema of ``name`` as published (JSON text); a plain error naming the known ones."""
    known = names()
    if name not in known:
        # A mistyped name is the usual cause, so the closest one is offered first, as everywhere else.
        close = suggest(name, known)
        if close is not None:
            raise UsageError(
                f"There is no report schema '{name}'. Did you mean '{close}'? Use one of {', '.join(known)}."
            )
        raise UsageError(f"There is no report schema '{name}': use one of {', '.join(known)}.")
    return files(__name__).joinpath(name + _SUFFIX).read_text(encoding="utf-8")


def load(name: str) -> dict[str, Any]:
    """The schema of ``name`` as a dict."""
    schema: dict[str, Any] = json.loads(text(name))
    return schema

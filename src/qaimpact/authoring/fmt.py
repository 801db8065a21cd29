"""Normalise audit files: canonical key order, indentation and quoting, comments kept.

ruamel.yaml's round trip keeps every comment and blank line and the style of block texts; we
only reorder keys into the order the framework defines (the audit model's field order), indent
by two spaces, and drop quotes that are not needed. The result must validate to exactly the same
audit as the input, or nothing is written.
"""

from __future__ import annotations

import io
import itertools
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import FoldedScalarString

from qaimpact.audits.checker import AuditCheck, CheckOptions, check_text
from qaimpact.authoring.roundtrip import detach_leading_comments, disagreement, prepend_comments
from qaimpact.base.diagnose import strip_optional
from qaimpact.base.errors import QaImpactError
from qaimpact.base.fileio import Snapshot, Written, read_snapshot, write_file
from qaimpact.base.loader import load_bytes
from qaimpact.base.yaml12 import CoreResolver
from qaimpact.frameworks.registry import Registry
from qaimpact.models.audit import audit_model
from qaimpact.models.kinds import record_model


class _Representer(RoundTripRepresenter):
    """ruamel writes None as an empty value; audits spell it `null`, as the examples do."""


_Representer.add_representer(
    type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null")
)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Resolver = CoreResolver  # the loader's reading of plain scalars, not ruamel's own
    yaml.Representer = _Representer  # our own subclass: ruamel's class stays as it was
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap a user's lines
    yaml.preserve_quotes = False
    return yaml


@dataclass(slots=True)
class FormatResult:
    """The outcome of formatting one file: nothing is written until :func:`write_format`."""

    path: str
    changed: bool = False
    new_text: str = ""
    problems: AuditCheck | None = None
    #: What would be written (the file's byte-order mark and line endings kept), and the file as
    #: read, so that nothing is written over a change made since.
    output: str = ""
    snapshot: Snapshot | None = None


def _reorder(node: Any, annotation: Any) -> None:
    annotation = strip_optional(annotation)
    if isinstance(node, CommentedMap) and isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = annotation.model_fields
        names = {info.alias or name: info.annotation for name, info in fields.items()}
        order = [k for k in names if k in node] + [k for k in node if k not in names]
        current = list(node)
        if current != order:
            # ruamel keeps a key's own comments with it, but the comment lines above a key are
            # stored with the key before it: lift them off first and put them back above theirs.
            leads = {
                key: detach_leading_comments(node, before) for before, key in itertools.pairwise(current)
            }
            for key in order:
                node.move_to_end(key)
            for key, text in leads.items():
                prepend_comments(node, key, text)
        for key, value in node.items():
            if key in names:
                _reorder(value, names[key])
    elif isinstance(node, CommentedSeq) and typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        for value in node:
            _reorder(value, item)


def _unfold_trailing_spaces(node: Any) -> None:
    """Write a folded block text (``>-``) that ends in a space as ordinary text.

    ruamel.yaml writes such a block's last line with its space but loses the line break after it:
    the blank line below went (so a second ``fmt`` changed the file again) and a comment line
    below was joined to the text (so the audit would have said something else, and ``fmt``
    refused the file). As quoted text the value is the same and nothing after it moves.
    """
    items: Any = ()
    if isinstance(node, CommentedMap):
        items = node.items()
    elif isinstance(node, CommentedSeq):
        items = enumerate(node)
    for key, value in list(items):
        if isinstance(value, FoldedScalarString) and value.endswith(" "):
            # Setting a new text keeps the old one's style: clear the value first.
            node[key] = None
            node[key] = str(value)
        else:
            _unfold_trailing_spaces(value)


def format_text(text: str, name: str, registry: Registry, options: CheckOptions) -> FormatResult:
    """Format one audit's text. The result has ``problems`` set (and no text) when it is invalid."""
    result = FormatResult(name)
    before = check_text(
        text, name, registry, CheckOptions(options.today, options.max_file_size, keep_data=True)
    )
    if not before.valid or before.framework is None:
        result.problems = before
        return result
    yaml = _yaml()
    try:
        document = yaml.load(text)
    except YAMLError as exc:  # pragma: no cover - the loader refuses what ruamel.yaml cannot read
        raise QaImpactError(f"{name}: ruamel.yaml could not read the file: {exc}") from None
    doc = load_bytes(text.encode("utf-8"), name, max_size=options.max_file_size)
    differs = disagreement(doc.data, document, doc)
    if differs is not None:
        result.problems = AuditCheck(name, [differs])
        return result
    model = (
        audit_model(before.framework) if before.kind is None else record_model(before.framework, before.kind)
    )
    _reorder(document, model)
    _unfold_trailing_spaces(document)
    out = io.StringIO()
    yaml.dump(document, out)
    formatted = out.getvalue()
    after = check_text(
        formatted, name, registry, CheckOptions(options.today, options.max_file_size, keep_data=True)
    )
    if not after.valid or after.data != before.data:
        raise QaImpactError(
            f"{name}: formatting would change what the audit says, so the file was left as it is. "
            "This is a bug in qaimpact: please report it with the file."
        )
    result.new_text = formatted
    result.changed = formatted != text
    return result


def plan_format(path: Path, registry: Registry, options: CheckOptions) -> FormatResult:
    """Read and format one file, writing nothing: a folder is checked in full before any write."""
    try:
        data, snapshot = read_snapshot(path, options.max_file_size)
        raw: str | None = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        raw, snapshot = None, None
    if raw is None:
        # The checker reports unreadable and non-UTF-8 files with their position.
        from qaimpact.audits.checker import check_audit

        result = FormatResult(str(path))
        result.problems = check_audit(path, registry, options)
        return result
    text = raw.removeprefix("\ufeff").replace("\r\n", "\n")
    result = format_text(text, str(path), registry, options)
    if result.changed:
        # The file keeps its own conventions: a byte-order mark and Windows line endings stay.
        out = result.new_text.replace("\n", "\r\n") if "\r\n" in raw else result.new_text
        result.output = ("\ufeff" if raw.startswith("\ufeff") else "") + out
        result.snapshot = snapshot
    return result


def write_format(result: FormatResult, *, force: bool = False) -> Written | None:
    """Write a file :func:`plan_format` reformatted, by the rules of :func:`~qaimpact.base.fileio.write_file`.

    Nothing is written when the file changed since it was read
    (:class:`~qaimpact.base.fileio.FileChanged`) or is read-only without ``force``
    (:class:`~qaimpact.base.fileio.ReadOnlyFile`).
    """
    if not result.changed or result.problems is not None:
        return None
    return write_file(Path(result.path), result.output, expected=result.snapshot, force=force)


def format_file(
    path: Path, registry: Registry, options: CheckOptions, *, write: bool, force: bool = False
) -> FormatResult:
    """Format one file, writing it when ``write`` (:func:`plan_format`, then :func:`write_format`)."""
    result = plan_format(path, registry, options)
    if write:
        write_format(result, force=force)
    return result

"""A problem with a value no escalation rule reads never hides an escalation the audit calls for.

Two findings placed at a value the rules read were about another value: "immediate safeguarding
actions are required but not described" (QA307) sits at ``required: true``, and "rated
inadequate but has no evidence" (QA317) at the rating. ``audits/ahead.py`` took each to be about
the value at its place, so an audit that needed escalating said "not known" (the first: nothing at
all) until the missing text was written. This property checks the rule for every value of every
bundled audit that escalates: emptied or removed, a value that neither the grade nor an
escalation rule reads leaves each escalation said, "even before its errors are put right".
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from yaml.nodes import MappingNode, Node, SequenceNode

from conftest import EXAMPLES, TODAY
from qaimpact.audits.ahead import grading_paths
from qaimpact.audits.checker import AuditCheck, CheckOptions, check_document
from qaimpact.base.loader import LoadError, load_bytes
from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.grading.escalation_triggers import triggers

SERVICE = EXAMPLES / "service"
#: The bundled audits that escalate: immediate safeguarding, a moderated grade, an inadequate rating.
ESCALATING = ["cafcass/QA-2026-0014.yaml", "cafcass/QA-2026-0006.yaml", "ccc/CFA-2026-0222.yaml"]
OPTIONS = CheckOptions(today=TODAY, keep_data=True, with_ahead=True)
Span = tuple[tuple[str, ...], int, int, int, int]


def _check(text: str) -> AuditCheck | None:
    """The audit checked, or None where the change left text YAML cannot read (a line of a flow
    mapping removed): such a file has no values to escalate on."""
    try:
        doc = load_bytes(text.encode(), "audit.yaml")
    except LoadError:
        return None
    return check_document(doc, _REGISTRY, OPTIONS)


_REGISTRY = Registry([bundled_dir()])


def _spans(node: Node, path: tuple[str, ...] = ()) -> Iterator[Span]:
    """Each key's data path, where its key ends and its value ends, and the lines of key and value."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            here = (*path, str(key.value))
            yield (
                here,
                key.end_mark.index,
                value.end_mark.index,
                key.start_mark.line,
                value.end_mark.line,
            )
            yield from _spans(value, here)
    elif isinstance(node, SequenceNode):
        for index, value in enumerate(node.value):
            yield from _spans(value, (*path, str(index)))


def _titles(found: Iterator[str] | tuple[str, ...] | list[str]) -> set[str]:
    # "Case escalation to ...: the ratings give ..." -> the rule and its route.
    return {line.split(":")[0] for line in found}


def _changed(text: str, span: Span, how: str) -> str:
    _path, key_end, end, first, last = span
    if how == "emptied":
        # The key kept, with nothing after its colon: the value and any lines it spans go.
        rest = text[end:]
        return text[:key_end] + ":" + ("" if rest.startswith("\n") or not rest else "\n") + rest
    lines = text.splitlines(keepends=True)
    # A value that ends at the start of a line (a block) ends on the line before.
    last = last if text[end - 1 : end] not in ("\n", "") or end == len(text) else last - 1
    return "".join(lines[:first] + lines[last + 1 :])


@pytest.mark.parametrize("how", ["emptied", "removed"])
@pytest.mark.parametrize("name", ESCALATING)
def test_no_value_the_rules_do_not_read_hides_an_escalation(name: str, how: str) -> None:
    text = (SERVICE / name).read_text()
    doc = load_bytes(text.encode(), name)
    base = _check(text)
    assert base is not None
    assert base.framework is not None
    assert base.result is not None
    assert base.data is not None
    wanted = _titles(t.describe() for t in triggers(base.framework, base.data, base.result.grade))
    assert wanted, "the audit must escalate for the property to say anything"
    read = grading_paths(base.framework)
    missed: list[str] = []
    tried = 0
    assert doc.root is not None
    for span in _spans(doc.root):
        path = span[0]
        if path == ("standards",) or any(path[: len(p)] == p or p[: len(path)] == path for p in read):
            continue  # a value the rules read (or the framework itself) may change the escalation
        check = _check(_changed(text, span, how))
        if check is None or check.valid:
            continue
        tried += 1
        if not wanted <= _titles(check.ahead):
            codes = sorted({d.code for d in check.diagnostics if d.is_error})
            missed.append(f"{'.'.join(path)} {how}: {codes} said {list(check.ahead)}")
    assert missed == []
    assert tried >= 10, "too few changes left the audit readable and invalid to say anything"

"""A file YAML cannot read still says the escalation what can be read of it already needs.

An audit recorded Inadequate, or with immediate safeguarding actions required, whose evidence had
a tab after ``evidence:`` (or a tab as indentation, a quotation mark never closed, a ``:`` in text
pasted from Word) said nothing but its YAML error: ``grade``, the escalations report and every
report's list of the files it left out hid the safety signal behind an unrelated typing slip. The
file is now read again with the lines YAML stopped at blanked (``base/salvage.py``), everything
those lines could have held taken as unknown (``audits/ahead.py``: ``unread_paths``), and what is
then certain is said, plainly as coming from a file not read in full. The file stays invalid, with
the loader's finding only, and is never graded.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import DATA, EXAMPLES, TODAY, Run
from qaimpact.audits.checker import CheckOptions, check_audit, check_bytes
from qaimpact.base.loader import LoadError, load_bytes, load_file
from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.grading.escalation_triggers import triggers
from qaimpact.models.findings import Diagnostic

UNREADABLE = DATA / "unreadable"
DAY = TODAY.isoformat()
READ = "The file could not be read in full, but what could be read already needs escalating. "
CASE = "Case escalation to Case responsible worker, Team manager and Head of Service: "
CCC_RECORDED = READ + CASE + "the auditor recorded Inadequate."
CCC_OPEN = (
    READ
    + CASE
    + "the auditor recorded Inadequate; the ratings give Requires improvement to be good or worse, "
    "whatever the ratings still to be given."
)
CAFCASS = [
    READ
    + "Immediate safeguarding escalation to Service manager: immediate safeguarding actions are required.",
    READ + "Practice review to Practice supervisor: the ratings give Requires improvement.",
]
TAB_AS_SPACE = "YAML syntax error: a tab is used as a space outside quotes."
TAB_INDENT = "YAML syntax error: a tab is used to indent this line."
STRAY_COLON = (
    "YAML syntax error: the text of 'evidence' holds ': ' (a colon then a space), which YAML reads as "
    "the start of another key."
)

#: Each file, the finding the loader gives it (line, column, message) and what is said.
CASES = {
    # The ccc example recorded Inadequate, its planning evidence (line 25) broken four ways.
    "ccc-tab-after-colon.yaml": ((25, 14, TAB_AS_SPACE), [CCC_OPEN]),
    # A tab as indentation: the line may be anywhere, even the rating above it going on.
    "ccc-tab-indent.yaml": ((25, 1, TAB_INDENT), [CCC_RECORDED]),
    # A quotation mark never closed runs on to the next one (line 58): what lies between is unknown.
    "ccc-unclosed-quote.yaml": ((25, 15, None), [CCC_RECORDED]),
    "ccc-stray-colon.yaml": ((25, 15, STRAY_COLON), [CCC_OPEN]),
    # The Cafcass example with immediate safeguarding actions required, its case recording
    # evidence (line 33) broken the same ways.
    "cafcass-tab-after-colon.yaml": ((33, 14, TAB_AS_SPACE), CAFCASS),
    "cafcass-tab-indent.yaml": ((33, 1, TAB_INDENT), CAFCASS),
    "cafcass-stray-colon.yaml": ((33, 15, STRAY_COLON), CAFCASS),
    # No later quotation mark: everything after it may be inside the text, the immediate actions too.
    "cafcass-unclosed-quote.yaml": ((33, 15, None), []),
    # The broken line is the grading line itself: what it holds is not known.
    "ccc-grading-line.yaml": ((62, 19, TAB_AS_SPACE), []),
    "cafcass-grading-line.yaml": ((64, 12, TAB_AS_SPACE), []),
}
SAID = sorted(name for name, (_, said) in CASES.items() if said)


@pytest.mark.parametrize("name", sorted(CASES))
def test_grade_says_what_could_be_read_needs_escalating(
    name: str, cli: Callable[..., Run], tmp_path: Path
) -> None:
    shutil.copyfile(UNREADABLE / name, tmp_path / name)
    run = cli("grade", tmp_path / name, "--today", DAY, "-f", "json", expect=1)
    (graded,) = json.loads(run.stdout)
    (line, column, message), said = CASES[name]
    assert graded["escalation_ahead"] == said
    assert graded["grade"] is None
    # The file's finding is the loader's alone, as before.
    (finding,) = graded["diagnostics"]
    assert (finding["code"], finding["line"], finding["column"]) == ("QA101", line, column)
    if message is not None:
        assert finding["message"] == message


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_grade_panel_says_so_plainly(name: str, cli: Callable[..., Run], tmp_path: Path) -> None:
    shutil.copyfile(UNREADABLE / name, tmp_path / name)
    run = cli("grade", tmp_path / name, "--today", DAY, expect=1)
    flat = " ".join(" ".join(line.strip("│ ") for line in run.stdout.splitlines()).split())
    said = CASES[name][1]
    assert "Not graded: the audit has errors." in flat
    assert ("Action required now: escalate, even before its errors are put right." in flat) is bool(said)
    for line in said:
        assert f"- {line}" in flat


def test_the_escalations_report_lists_them(cli: Callable[..., Run], tmp_path: Path) -> None:
    for name in CASES:
        shutil.copyfile(UNREADABLE / name, tmp_path / name)
    run = cli("escalations", "--audits", tmp_path, "--today", DAY, expect=1)
    # Each escalation says it comes from a file not read in full: a file's are joined in a line.
    listed = "".join(f"- `{tmp_path / name}`: {' '.join(CASES[name][1])}\n" for name in SAID)
    assert (
        "No valid audit was read. 10 invalid audit files were left out: 7 must be escalated all the "
        "same (below), and whether the others need escalating is not known until they are fixed.\n\n"
        "## Invalid audits that must be escalated all the same (7)\n\n"
        "These audits have errors, so they are left out of the figures, but what each already says "
        "calls for an escalation whatever the errors turn out to be. Escalate now, and put the errors "
        f"right.\n\n{listed}\n"
    ) in run.stdout
    assert (
        f"  - {tmp_path / 'ccc-tab-indent.yaml'}:25:1: QA101 {TAB_INDENT}\n"
        f"    It must be escalated all the same: {CCC_RECORDED}\n"
        f"  - {tmp_path / 'ccc-unclosed-quote.yaml'}:25:15: QA101 "
    ) in run.stderr
    assert f"  - {tmp_path / 'ccc-grading-line.yaml'}:62:19: QA101 {TAB_AS_SPACE}\n  - " in run.stderr


def test_the_escalations_json_names_them(cli: Callable[..., Run], tmp_path: Path) -> None:
    for name in CASES:
        shutil.copyfile(UNREADABLE / name, tmp_path / name)
    run = cli("escalations", "--audits", tmp_path, "--today", DAY, "-f", "json", expect=1)
    assert json.loads(run.stdout)["invalid_escalations"] == [
        {"file": str(tmp_path / name), "escalations": CASES[name][1]} for name in SAID
    ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_file_stays_invalid_with_the_loaders_finding(name: str, registry: Registry) -> None:
    with pytest.raises(LoadError) as refused:
        load_file(UNREADABLE / name)
    options = CheckOptions(today=TODAY, keep_data=True, with_ahead=True)
    check = check_audit(UNREADABLE / name, registry, options)
    assert check.diagnostics == [refused.value.diagnostic]
    assert (check.valid, check.result, check.data, check.framework) == (False, None, None, None)
    # validate does not ask for escalations: nothing is read again.
    assert check_audit(UNREADABLE / name, registry, CheckOptions(today=TODAY)).ahead == ()


def _moved(tab: bool) -> bytes:
    """The ccc example (Requires improvement), then a moderation whose notes' line is indented with
    a tab (or spaces): with a tab it may be a key at the top, holding the moderated grade below."""
    text = (EXAMPLES / "ccc-cfa-2026-0311.yaml").read_text()
    notes = "\tnotes:\n" if tab else "  notes:\n"
    moderation = "moderation:\n  moderator: Joanna Pilkington\n" + notes + "  moderated_grade: inadequate\n"
    return (text + moderation).encode()


@pytest.mark.parametrize(("tab", "said"), [(False, True), (True, False)])
def test_a_value_that_may_have_moved_to_another_block_is_not_read(
    tab: bool, said: bool, registry: Registry
) -> None:
    # Read with the tab's line blanked, `moderated_grade: inadequate` is the moderation's; but the
    # line may have been a key of its own (`notes:` at the top), holding it.
    check = check_bytes(_moved(tab), "audit.yaml", registry, CheckOptions(today=TODAY, with_ahead=True))
    assert check.valid is False
    assert bool(check.ahead) is said


@pytest.mark.parametrize(
    "text",
    [
        # A line that YAML cannot read however often it is read again.
        b"standards: ccc-practice-standards\n" + b"a:\tb\n" * 20,
        # A framework's key on the line blanked: what the file is, is not known.
        (EXAMPLES / "ccc-cfa-2026-0311.yaml")
        .read_bytes()
        .replace(b"standards: ccc", b"standards:\tccc")
        .replace(b"overall_judgement: requires_improvement", b"overall_judgement: inadequate"),
        # Larger than an audit: not read again.
        b"standards: ccc-practice-standards\noverall_judgement: inadequate\n"
        + b"".join(b"k%d: 1\n" % n for n in range(8000))
        + b"x:\ty\n",
    ],
    ids=["every-line-broken", "framework-line", "too-large"],
)
def test_nothing_is_said_where_nothing_can_be_read_for_sure(text: bytes, registry: Registry) -> None:
    check = check_bytes(text, "audit.yaml", registry, CheckOptions(today=TODAY, with_ahead=True))
    assert check.valid is False
    assert check.ahead == ()


# -- the property: a tab or a quotation mark anywhere never hides nor invents an escalation ----

SERVICE = EXAMPLES / "service"
#: The bundled audits that escalate (as in test_escalation_never_hidden.py) and some that do not.
ESCALATING = ["cafcass/QA-2026-0014.yaml", "cafcass/QA-2026-0006.yaml", "ccc/CFA-2026-0222.yaml"]
CALM = [EXAMPLES / "ccc-cfa-2026-0311.yaml", EXAMPLES / "cafcass-qa-2026-0142.yaml"]
_REGISTRY = Registry([bundled_dir()])
_OPTIONS = CheckOptions(today=TODAY, keep_data=True, with_ahead=True)


def _titles(lines: list[str] | tuple[str, ...]) -> set[str]:
    # "Case escalation to ...: the ratings give ..." -> the rule and its route.
    return {line.removeprefix(READ).split(":")[0] for line in lines}


def _escalations(raw: bytes) -> set[str]:
    check = check_bytes(raw, "audit.yaml", _REGISTRY, _OPTIONS)
    assert check.valid
    assert check.framework is not None
    assert check.data is not None
    assert check.result is not None
    return _titles([t.describe() for t in triggers(check.framework, check.data, check.result.grade)])


_AUDITS = [SERVICE / name for name in ESCALATING] + CALM
_EXPECTED = {path: _escalations(path.read_bytes()) for path in _AUDITS}


def test_the_audits_the_property_reads_escalate_or_not_as_named() -> None:
    assert all(_EXPECTED[SERVICE / name] for name in ESCALATING)
    assert not any(_EXPECTED[path] for path in CALM)


def _broken(text: str, line: int, how: str) -> str:
    lines = text.split("\n")
    written = lines[line]
    indent = len(written) - len(written.lstrip(" "))
    after_key = written.find(": ")
    if how == "tab-indent":
        lines[line] = "\t" + written.lstrip(" ")
    elif how == "tab-after-colon" and after_key >= 0:
        lines[line] = written[: after_key + 1] + "\t" + written[after_key + 2 :]
    elif how == "unclosed-quote" and after_key >= 0:
        lines[line] = written[: after_key + 2] + '"' + written[after_key + 2 :]
    else:
        lines[line] = written[:indent] + "\t" + written[indent:]
    return "\n".join(lines)


@given(
    path=st.sampled_from(_AUDITS),
    where=st.integers(min_value=0, max_value=10_000),
    how=st.sampled_from(["tab-indent", "tab-after-colon", "unclosed-quote", "tab"]),
)
def test_a_broken_line_never_hides_nor_invents_an_escalation(path: Path, where: int, how: str) -> None:
    text = path.read_text()
    broken = _broken(text, where % text.count("\n"), how).encode()
    check = check_bytes(broken, "audit.yaml", _REGISTRY, _OPTIONS)
    expected = _EXPECTED[path]
    refused: Diagnostic | None = None
    try:
        load_bytes(broken, "audit.yaml")
    except LoadError as exc:
        refused = exc.diagnostic
    if refused is not None:
        # Unreadable: invalid, with the loader's finding alone; each escalation said is one the
        # audit calls for (none invented), said as coming from a file not read in full. One not
        # said is in the report's "not known" count: the file is invalid, never counted as calm.
        assert not check.valid
        assert check.diagnostics == [refused]
        assert _titles(check.ahead) <= expected
        assert all(line.startswith(READ) for line in check.ahead)
        return
    # Still readable (a tab inside a text): what it calls for is said as for any audit.
    if check.valid:
        assert check.result is not None
        assert check.framework is not None
        assert check.data is not None
        found = triggers(check.framework, check.data, check.result.grade)
        assert _titles([t.describe() for t in found]) == expected
    else:
        assert _titles(check.ahead) <= expected


def _quoted(rationale: str) -> bytes:
    """The ccc example recorded Inadequate, its planning evidence in quotes after a tab, and this
    rationale."""
    text = (UNREADABLE / "ccc-tab-after-colon.yaml").read_text()
    text = text.replace(
        "    evidence:\tPlan is not SMART; actions have no owners or dates.", '    evidence:\t"Plan"'
    )
    start = text.index("rationale: ")
    return (text[:start] + rationale).encode()


@pytest.mark.parametrize(
    ("rationale", "said"),
    [
        ('rationale: "Risk is well managed, planning is not."\n', [CCC_OPEN]),
        # A text in quotes over lines after a line blanked that held a quotation mark: read without
        # that mark, the quotation marks after it may pair the other way, a text read as keys.
        ('rationale: "Risk is well managed,\n  planning is not."\n', []),
    ],
    ids=["on-one-line", "over-lines"],
)
def test_a_blanked_quotation_mark_leaves_later_texts_over_lines_unknown(
    rationale: str, said: list[str], registry: Registry
) -> None:
    check = check_bytes(
        _quoted(rationale), "audit.yaml", registry, CheckOptions(today=TODAY, with_ahead=True)
    )
    assert check.diagnostics[0].code == "QA101"
    assert list(check.ahead) == said

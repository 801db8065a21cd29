"""A misspelt grade that can only mean one escalating grade still makes its escalation certain.

An auditor who rated a standard ``inadequte``, or recorded ``overall_judgement: inadequat``, got
"Not graded: the audit has errors." and no word of an escalation: only "whether it needs
escalating is not known", in ``grade``, the audit form and every report's list of the files left
out, until the spelling was put right. The finding already says "Did you mean 'inadequate'?".

A rating, recorded grade or moderated grade whose finding offers one choice, and no other choice
is close to it (``base/diagnose.misspelt_choice``, the closeness of the finding's own hint), is now
read as that choice for the escalations said before the errors are put right, where that makes an
escalation certain (``audits/ahead.misspellings``): the auditor most probably meant it, and
escalating needlessly is the safe error. The line says how the value was taken. A misspelling
whose one close choice escalates nothing, or that is close to two choices, stays "not known".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import DATA, EXAMPLES, TODAY, Run
from qaimpact.audits import ahead
from qaimpact.audits.checker import AuditCheck, CheckOptions, check_document
from qaimpact.base.loader import load_bytes
from qaimpact.frameworks.registry import Registry, bundled_dir

MISSPELT = DATA / "ahead-misspelt"
NOT_GRADED = "Not graded: the audit has errors."
CERTAIN = "Action required now: escalate, even before its errors are put right."
CASE = "Case escalation to Case responsible worker, Team manager and Head of Service: "
REVIEW = "Practice review to Practice supervisor: "
CHOICES = "outstanding, good, requires_improvement, inadequate."
CAFCASS_GRADES = "outstanding, good, met, requires_improvement."
PLANNING = "'compliance.case_planning' (Case planning)."
LIVED = "'practice_standards.lived_experience' (Child's lived experience and views)."

#: Each file, the escalation ``grade`` says before its errors are put right (None: not known),
#: and its one finding as ``grade`` shows it.
ESCALATED = [
    (
        "ccc-rated.yaml",
        CASE + "the ratings give Inadequate; the rating 'inadequte' at "
        "'practice_standards.lived_experience' was taken as 'inadequate'.",
        "ccc-rated.yaml:31:13: error QA204 'inadequte' is not a rating on this framework's scale for "
        f"{LIVED} hint: Did you mean 'inadequate'? Use one of: {CHOICES}",
    ),
    (
        "ccc-recorded.yaml",
        CASE + "the auditor recorded Inadequate; the ratings give Requires improvement to be good; "
        "the auditor's grade 'inadequat' was taken as 'inadequate'.",
        "ccc-recorded.yaml:63:20: error QA205 'inadequat' is not an allowed value for 'overall_judgement'. "
        f"hint: Did you mean 'inadequate'? Use one of: {CHOICES}",
    ),
    (
        "ccc-moderated.yaml",
        CASE + "the moderator graded it Inadequate; the ratings give Requires improvement to be good; "
        "the moderator's grade 'Inadequat' was taken as 'inadequate'.",
        "ccc-moderated.yaml:68:20: error QA205 'Inadequat' is not an allowed value for "
        f"'moderation.moderated_grade'. hint: Did you mean 'inadequate'? Use one of: {CHOICES}",
    ),
    (
        "cafcass-rated.yaml",
        REVIEW + "the ratings give Requires improvement; the rating 'requires_improvment' at "
        "'compliance.case_planning' was taken as 'requires_improvement'.",
        "cafcass-rated.yaml:36:13: error QA204 'requires_improvment' is not a rating on this framework's "
        f"scale for {PLANNING} hint: Did you mean 'requires_improvement'? Use one of: good, met, "
        "requires_improvement.",
    ),
    (
        "cafcass-recorded.yaml",
        REVIEW + "the auditor recorded Requires improvement; the ratings give Good; "
        "the auditor's grade 'requires improvment' was taken as 'requires_improvement'.",
        "cafcass-recorded.yaml:70:16: error QA205 'requires improvment' is not an allowed value for "
        f"'overall_grade'. hint: Did you mean 'requires_improvement'? Use one of: {CAFCASS_GRADES}",
    ),
    (
        "cafcass-moderated.yaml",
        REVIEW + "the moderator graded it Requires improvement; the ratings give Good; "
        "the moderator's grade 'requires_improvment' was taken as 'requires_improvement'.",
        "cafcass-moderated.yaml:74:20: error QA205 'requires_improvment' is not an allowed value for "
        "'moderation.moderated_grade'. hint: Did you mean 'requires_improvement'? Use one of: "
        f"{CAFCASS_GRADES}",
    ),
    # Two misspelt: only the one the escalation needs is said to have been taken as meant.
    (
        "ccc-rated-two-misspelt.yaml",
        CASE + "the ratings give Inadequate; the rating 'inadequte' at "
        "'practice_standards.lived_experience' was taken as 'inadequate'.",
        "ccc-rated-two-misspelt.yaml:22:13: error QA204 'goood' is not a rating on this framework's scale "
        f"for 'practice_standards.assessment' (Assessment). hint: Did you mean 'good'? Use one of: {CHOICES} "
        "ccc-rated-two-misspelt.yaml:31:13: error QA204 'inadequte' is not a rating on this framework's "
        f"scale for {LIVED} hint: Did you mean 'inadequate'? Use one of: {CHOICES}",
    ),
]
NOT_KNOWN = [
    # The one close choice escalates nothing: read as it, the audit would still say nothing.
    (
        "ccc-rated-near-good.yaml",
        None,
        f"ccc-rated-near-good.yaml:31:13: error QA204 'goood' is not a rating on this framework's scale for "
        f"{LIVED} hint: Did you mean 'good'? Use one of: {CHOICES}",
    ),
    (
        "ccc-recorded-near-outstanding.yaml",
        None,
        "ccc-recorded-near-outstanding.yaml:63:20: error QA205 'outstandng' is not an allowed value for "
        f"'overall_judgement'. hint: Did you mean 'outstanding'? Use one of: {CHOICES}",
    ),
    (
        "cafcass-recorded-near-met.yaml",
        None,
        "cafcass-recorded-near-met.yaml:70:16: error QA205 'mett' is not an allowed value for "
        f"'overall_grade'. hint: Did you mean 'met'? Use one of: {CAFCASS_GRADES}",
    ),
    # Close to two choices (inadequate as well as outstanding): which was meant is not known, and
    # the hint guesses neither (regression: it offered 'outstanding', the less severe).
    (
        "ccc-rated-ambiguous.yaml",
        None,
        "ccc-rated-ambiguous.yaml:31:13: error QA204 'outstanding/inadequate' is not a rating on this "
        f"framework's scale for {LIVED} hint: This names two ratings, 'outstanding' and 'inadequate': keep "
        f"only the one meant. Use one of: {CHOICES}",
    ),
    (
        "cafcass-recorded-ambiguous.yaml",
        None,
        "cafcass-recorded-ambiguous.yaml:70:16: error QA205 'requires impr/outstanding' is not an allowed "
        "value for 'overall_grade'. hint: This names two values, 'requires_improvement' and 'outstanding': "
        f"keep only the one meant. Use one of: {CAFCASS_GRADES}",
    ),
]
CASES = ESCALATED + NOT_KNOWN


def _flat(text: str) -> str:
    """A panel's text on one line: its borders and the lines it wraps at left out."""
    inside = [line.strip("│ ") for line in text.splitlines() if not line.startswith(("╭", "╰"))]
    return " ".join(" ".join(inside).split())


@pytest.mark.parametrize(("name", "said", "finding"), CASES, ids=[c[0] for c in CASES])
def test_grade_says_it(
    name: str,
    said: str | None,
    finding: str,
    cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(MISSPELT)
    run = cli("grade", name, "--today", TODAY.isoformat(), expect=1)
    ahead_lines = f"{CERTAIN} - {said} " if said is not None else ""
    assert _flat(run.stdout) == f"{NOT_GRADED} {ahead_lines}{finding}"


@pytest.mark.parametrize(("name", "said", "finding"), CASES, ids=[c[0] for c in CASES])
def test_grade_json_says_it(name: str, said: str | None, finding: str, cli: Callable[..., Run]) -> None:
    run = cli("grade", MISSPELT / name, "--today", TODAY.isoformat(), "-f", "json", expect=1)
    assert json.loads(run.stdout)[0]["escalation_ahead"] == ([said] if said is not None else [])


def test_the_escalations_report_lists_them(cli: Callable[..., Run]) -> None:
    run = cli("escalations", "--audits", MISSPELT, "--today", TODAY.isoformat(), "-f", "json", expect=1)
    report = json.loads(run.stdout)
    assert report["invalid_escalations"] == [
        {"file": str(MISSPELT / name), "escalations": [said]} for name, said, _ in sorted(ESCALATED)
    ]
    # The others are still left out as "not known": none disappears from the list of files left out.
    escalated = {entry["file"] for entry in report["invalid_escalations"]}
    assert sorted(set(report["invalid"]) - escalated) == sorted(str(MISSPELT / n) for n, _, _ in NOT_KNOWN)


def test_the_escalations_report_says_the_others_are_not_known(cli: Callable[..., Run]) -> None:
    run = cli("escalations", "--audits", MISSPELT, "--today", TODAY.isoformat(), "-f", "md", expect=1)
    assert (
        f"**{len(CASES)} audit files are invalid: {len(ESCALATED)} must be escalated all the same (above), "
        "and whether the others need escalating is not known.**"
    ) in run.stdout
    # The list of files left out, on standard error: each escalated one says so, the others nothing.
    lines = run.stderr.splitlines()
    for name, said, _ in CASES:
        at = next(i for i, line in enumerate(lines) if line.startswith(f"  - {MISSPELT / name}:"))
        follows = lines[at + 1] if at + 1 < len(lines) else ""
        if said is None:
            assert not follows.startswith("    It must be escalated")
        else:
            assert follows == f"    It must be escalated all the same: {said}"


# Guards: misspelt_choice is the finding's "Did you mean", and only where no other choice is close.
SCALE = ["outstanding", "good", "requires_improvement", "inadequate"]
LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement to be good",
    "inadequate": "Inadequate",
}


@pytest.mark.parametrize(
    ("value", "rating", "meant"),
    [
        ("inadequte", True, "inadequate"),
        ("Inadequat", False, "inadequate"),
        # A rating is compared in small letters (QA204), another choice as written (QA205).
        ("INADEQUTE", True, "inadequate"),
        ("INADEQUTE", False, None),
        ("requires improvment", False, "requires_improvement"),
        ("goood", True, "good"),
        ("inadeqaute", True, "inadequate"),  # two letters swapped
        # Another word, however close, is no slip (regression: each was read as inadequate and
        # escalated, saying "the auditor recorded Inadequate"). Adequate was an Ofsted grade.
        ("adequate", True, None),
        ("adequate", False, None),
        ("not inadequate", True, None),
        ("not inadequate", False, None),
        ("inadequately", True, None),
        # Close to two choices: neither.
        ("outstanding/inadequate", True, None),
        # Written another way, not misspelt: meant_choice reads it.
        ("Inadequate", True, None),
        ("RI", True, None),
        ("inadequate", True, None),
        ("", True, None),
        ("xyz", True, None),
        (3, True, None),
        (None, False, None),
    ],
)
def test_misspelt_choice(value: object, rating: bool, meant: str | None) -> None:
    from qaimpact.base.diagnose import misspelt_choice

    assert misspelt_choice(value, SCALE, LABELS, rating=rating) == meant


def test_not_applicable_where_the_standard_applies_is_no_misspelling() -> None:
    # QA204 says the standard cannot be rated not applicable: it offers no rating.
    from qaimpact.base.diagnose import misspelt_choice

    assert misspelt_choice("N/A", SCALE, {**LABELS, "not_applicable": "Not applicable"}, rating=True) is None


def test_meant_choice_still_reads_no_misspelling() -> None:
    # The grade and every other reader of meant_choice stay strict.
    from qaimpact.base.diagnose import meant_choice

    assert meant_choice("inadequte", SCALE, LABELS) is None


_REGISTRY = Registry([bundled_dir()])
_OPTIONS = CheckOptions(today=TODAY, keep_data=True, with_ahead=True)


def _check(data: dict[str, Any]) -> AuditCheck:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return check_document(load_bytes(text.encode(), "audit.yaml"), _REGISTRY, _OPTIONS)


@given(
    text=st.text(alphabet="abdeginqrstuvmop_ IRA/", min_size=1, max_size=24),
    where=st.integers(min_value=0, max_value=10_000),
    spelt=st.booleans(),
)
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_the_finding_offers_the_choice_read(text: str, where: int, spelt: bool) -> None:
    # What is read as meant is what the value's own finding offers in "Did you mean".
    name = ["ccc-rated.yaml", "ccc-recorded.yaml", "cafcass-rated.yaml", "cafcass-moderated.yaml"][where % 4]
    data = yaml.safe_load((MISSPELT / name).read_text())
    framework = _REGISTRY.get(data["standards"])
    assert framework is not None
    path = _grading_paths(framework, data)[where % len(_grading_paths(framework, data))]
    value = _misspelt(text, framework, path) if spelt else text
    assume(value.strip())
    _put(data, path, value)
    check = _check(data)
    slips = ahead.misspellings(framework, data, data)
    for slip in slips:
        hints = [d.hint for d in check.diagnostics if d.data_path == slip.path]
        assert hints, slip
        assert hints[0].startswith(f"Did you mean '{slip.meant}'?"), (slip, hints)


def _grading_paths(framework: Any, data: dict[str, Any]) -> list[tuple[str, ...]]:
    """Each rating the audit holds, its recorded grade and its moderated grade."""
    ratings = sorted(
        p for p in ahead.rating_paths(framework) if isinstance(data.get(p[0], {}).get(p[1]), dict)
    )
    return [*ratings, (framework.spec.grades.key,), ("moderation", "moderated_grade")]


def _misspelt(text: str, framework: Any, path: tuple[str, ...]) -> str:
    """A choice at ``path`` with a slip made in it, chosen and placed by ``text``."""
    choices = list(framework.rating_rank) if path[-1] == "rating" else list(framework.grade_rank)
    choice = choices[len(text) % len(choices)]
    at = sum(map(ord, text)) % (len(choice) + 1)
    slip = [
        choice[:at] + choice[at + 1 :],  # a letter left out
        choice[:at] + text[:1] + choice[at:],  # one too many
        choice[:at] + text[:2] + choice[at + 2 :],  # two changed
        choice.replace("_", " ") + text[:1],
    ]
    return slip[len(text) % len(slip)]


def _put(data: dict[str, Any], path: tuple[str, ...], value: str) -> None:
    here = data
    for key in path[:-1]:
        here = here.setdefault(key, {})
    here[path[-1]] = value


AUDITS = [
    *(MISSPELT / n for n, _, _ in CASES),
    EXAMPLES / "service" / "ccc" / "CFA-2026-0222.yaml",
    EXAMPLES / "service" / "cafcass" / "QA-2026-0006.yaml",
    EXAMPLES / "service" / "cafcass" / "QA-2026-0014.yaml",
]


@given(
    audit=st.sampled_from(AUDITS),
    texts=st.lists(
        st.text(alphabet="abdeginqrstuvmop_ IRA/", min_size=1, max_size=24), min_size=1, max_size=3
    ),
    where=st.lists(st.integers(min_value=0, max_value=10_000), min_size=3, max_size=3),
    other_error=st.booleans(),
)
@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
def test_reading_a_misspelling_never_hides_an_escalation(
    audit: Path, texts: list[str], where: list[int], other_error: bool
) -> None:
    # Against the same audit with no misspelling read: every escalation said is still said, word
    # for word, and an audit leaves the "not known" lists only for an escalation said.
    data = yaml.safe_load(audit.read_text())
    framework = _REGISTRY.get(data["standards"])
    assert framework is not None
    paths = _grading_paths(framework, data)
    for text, at in zip(texts, where, strict=False):
        path = paths[at % len(paths)]
        _put(data, path, _misspelt(text, framework, path))
    if other_error:
        data["an_unrelated_key"] = "a slip"
    check = _check(data)
    assume(not check.valid)
    real = ahead.misspellings
    try:
        ahead.misspellings = lambda *args: []  # type: ignore[assignment]
        unread = _check(data)
    finally:
        ahead.misspellings = real  # type: ignore[assignment]
    # Each escalation said without reading is said with it, in the same words.
    assert [line for line in check.ahead if _rule(line) in _rules(unread.ahead)] == list(unread.ahead)
    # A line said only by reading a misspelling says how the value was taken.
    for line in check.ahead:
        if _rule(line) not in _rules(unread.ahead):
            assert re.search(r"'[^']*' was taken as '[a-z_]+'\.$", line), line


def _rule(line: str) -> str:
    return line.split(":")[0]


def _rules(lines: tuple[str, ...] | list[str]) -> set[str]:
    return {_rule(line) for line in lines}


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("ccc-rated.yaml", ESCALATED[0][1]),
        ("cafcass-recorded.yaml", ESCALATED[4][1]),
        ("ccc-rated-near-good.yaml", None),
    ],
)
def test_the_audit_form_says_it(name: str, said: str | None) -> None:
    # A file with a misspelling opened in the form (`serve`): its panel says what grade says.
    from qaimpact.web.form import form_for, values_from_data
    from qaimpact.web.pages import check_values, panel_view

    data = yaml.safe_load((MISSPELT / name).read_text())
    framework = _REGISTRY.get(data["standards"])
    assert framework is not None
    form = form_for(framework)
    outcome = check_values(form, values_from_data(form, data), _REGISTRY, _OPTIONS, name=name)
    assert panel_view(outcome, TODAY, form)["ahead"] == ([said] if said is not None else [])

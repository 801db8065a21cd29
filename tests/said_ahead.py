"""What qaimpact says of an audit with errors that must be escalated all the same, checked where a
user meets it: the panel of ``grade``, the escalations report's ``invalid_escalations``, the list
of files a report left out (on stderr), and the decision itself (``audits.ahead.triggers_ahead``).

Shared by the tests of the escalations said ahead of an audit's errors
(``test_escalation_ahead.py``, ``test_escalation_answers.py``, ``test_escalation_fields_in_error.py``,
``test_escalation_spelled.py``, ``test_written_ratings_ahead.py``): each holds its audits and what
they must say, these the checks. Every expected text is asserted exactly, as it is written.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from conftest import Run

#: The day every check runs as (conftest.TODAY), as the command line takes it.
TODAY = "2026-11-22"
#: What ``grade`` says of an audit with errors, and then of one that must be escalated all the same.
NOT_GRADED = "Not graded: the audit has errors."
CERTAIN = "Action required now: escalate, even before its errors are put right."
#: Cases: an audit file's name in its folder, and the escalations said ahead of its errors, in
#: the order they are said (none: nothing is certain).
Cases = Sequence[tuple[str, Sequence[str]]]


def assert_grade_says(
    cli: Callable[..., Run],
    path: Path,
    said: Sequence[str],
    tmp_path: Path,
    *,
    today: str | None = TODAY,
    unsaid: Iterable[str] = (),
) -> None:
    """``grade`` of a copy of ``path`` (in ``tmp_path``, so that nothing is written beside the
    test data) exits 1 with the panel "Not graded", and then, where ``said`` names escalations,
    :data:`CERTAIN` followed by each of them in order ("CERTAIN - first - second"); where it
    names none, neither :data:`CERTAIN` nor any text of ``unsaid``. ``today`` None: the command
    is given no ``--today``.

    The panel is read as one line: its border taken out, and the wrapping of its lines folded."""
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    run = cli("grade", copy, *(("--today", today) if today is not None else ()), expect=1)
    lines = " ".join(line.strip("│ ") for line in run.stdout.splitlines())
    flat = " ".join(lines.split())
    assert NOT_GRADED in flat
    if said:
        # On one line of the panel, as it is written.
        assert CERTAIN in lines
        assert " - ".join([CERTAIN, *said]) in flat
    else:
        assert CERTAIN not in flat
        for text in unsaid:
            assert text not in flat


def assert_escalations_lists(cli: Callable[..., Run], folder: Path, cases: Cases) -> Run:
    """``escalations --format json`` of ``folder`` exits 1 (no audit of it is valid) and its
    ``invalid_escalations`` are exactly the files of ``cases`` that say escalations, by name,
    each with its escalations. Returns the run, for what its stderr says."""
    run = cli("escalations", "--audits", folder, "--today", TODAY, "-f", "json", expect=1)
    assert json.loads(run.stdout)["invalid_escalations"] == [
        {"file": str(folder / name), "escalations": list(said)} for name, said in sorted(cases) if said
    ]
    return run


def escalated_all_the_same(said: Iterable[str]) -> str:
    """The lines a list of files left out (or ``report`` of one audit) gives under an audit's
    findings, one for each escalation it must have all the same."""
    return "".join(f"    It must be escalated all the same: {line}\n" for line in said)


def left_out(path: Path, finding: str, said: Iterable[str] = ()) -> str:
    """A file's entry in the list of files a report left out: ``finding`` (``line:col: CODE
    message``) after its path, then the escalations it must have all the same."""
    return f"  - {path}:{finding}\n" + escalated_all_the_same(said)


def decided_ahead(path: Path, *, omitted_errors: int = 0) -> list[str]:
    """The escalations ``audits.ahead.triggers_ahead`` decides for the audit at ``path`` (checked
    with the bundled frameworks), as said; ``omitted_errors`` errors are past the cap of findings."""
    from qaimpact.audits.ahead import triggers_ahead
    from qaimpact.audits.checker import CheckOptions, check_document
    from qaimpact.base.loader import load_file
    from qaimpact.frameworks.registry import Registry, bundled_dir

    doc = load_file(path)
    check = check_document(doc, Registry([bundled_dir()]), CheckOptions())
    assert check.framework is not None
    found = triggers_ahead(check.framework, doc, check.diagnostics, omitted_errors=omitted_errors)
    return [t.describe() for t in found]

"""Mutation score of the core modules, each measured against its own focused tests, with mutmut 3.

For each module in ``TARGETS`` the script copies the working tree (the files git tracks or would
track, symlinks resolved) into ``.mutation/<module>/``, appends a ``[tool.mutmut]`` table that
mutates only that module and selects only its focused tests, runs ``mutmut run`` there, and prints
killed / survived / timeout / no tests / equivalent and the score:

    score = (killed + timeout) / (mutants - equivalent)

A timeout counts as detected: the mutant made a focused test loop or hang. Surviving mutants that
are listed in ``EQUIVALENT`` (a change that cannot alter behaviour, each with the reason) are
left out of the denominator; every other survivor is printed with its diff. Each run starts from
a fresh copy, so no cached verdict from an earlier run (with older tests) is reused.

Usage::

    pip install -e '.[dev]'            # mutmut is in the dev extra
    python benchmarks/mutation.py                   # every module in TARGETS
    python benchmarks/mutation.py engine redact     # some of them (by file stem)
    python benchmarks/mutation.py --jobs 2 --keep   # keep .mutation/ to browse with `mutmut browse`
    python benchmarks/mutation.py rules --recheck   # only the survivors of the run kept, against
                                                    # the tests written since (minutes, not an hour)

Benchmarks are not tests: nothing here runs in CI, and the figures go in docs/mutation.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"

#: Each module under test -> (its focused tests, the target score). Paths are relative to the
#: repository root; update them here when a module or a test file moves.
TARGETS: dict[str, tuple[tuple[str, ...], float]] = {
    "src/qaimpact/grading/engine.py": (
        ("tests/test_engine_conditions.py", "tests/test_engine_rules.py", "tests/test_engine_lift_search.py"),
        0.90,
    ),
    "src/qaimpact/audits/rules.py": (
        (
            "tests/test_rules_dates.py",
            "tests/test_rules_sections.py",
            "tests/test_rules_hints.py",
            "tests/test_diagnostics.py",
            # The escalation lifecycle's findings, hidden characters and names.
            "tests/test_escalations.py",
            "tests/test_questionable_input.py",
            # The rules of records of other kinds (observations, feedback) and their dates.
            "tests/test_records.py",
            "tests/test_record_dates.py",
            "tests/test_implausible_years.py",
            # The themes of remedial actions and escalations (QA318).
            "tests/test_themes.py",
            # A record's date ranges, unlabelled fields, due date and text (tests/data/record-rules).
            "tests/test_record_rules.py",
            # Facts that must agree (QA319), on frameworks whose rules give no reason.
            "tests/test_agreements.py",
            # Where QA317 says its finding is (its data path): an escalation is never hidden by it.
            "tests/test_escalation_never_hidden.py",
            # An audit with errors whose escalation is certain all the same (QA317 on the evidence).
            "tests/test_escalation_ahead.py",
        ),
        0.90,
    ),
    "src/qaimpact/privacy/redaction.py": (
        ("tests/test_redact.py", "tests/test_reports.py", "tests/test_redact_lifecycle_and_records.py"),
        0.95,
    ),
    # Which escalation rules an audit triggers: a safety signal, so the bar is redaction's.
    "src/qaimpact/grading/escalation_triggers.py": (
        (
            "tests/test_escalations.py",
            "tests/test_certain_escalation.py",
            "tests/test_escalation_never_hidden.py",
            "tests/test_escalations_once.py",
        ),
        0.95,
    ),
    # Where an escalation stands and what is late: what the escalations report and its exit act on.
    "src/qaimpact/grading/escalation_lifecycle.py": (
        (
            "tests/test_escalations.py",
            "tests/test_cycle_examples.py",
            "tests/test_rules_dates.py",
            # Its findings (QA406-QA411) at their line and column: where each recipient is recorded.
            "tests/test_diagnostics.py",
        ),
        0.95,
    ),
}


@dataclass(frozen=True)
class Equivalent:
    """A surviving mutant judged equivalent: the function, the lines it changes, and why.

    ``function`` is as mutmut names it without the module (``Engine._predicate``, ``_join``);
    ``before`` and ``after`` are the removed and added lines of its diff, each stripped, joined
    with newlines. Matching on text rather than on mutmut's numbered names keeps an entry valid
    when the module moves or another function changes.
    """

    function: str
    before: str
    after: str
    reason: str


_REAUDIT = 'if target is not None and str(target).strip() == str(self.data.get("audit_id", {})).strip():'

#: Surviving mutants that cannot change behaviour. Keep each reason specific.
EQUIVALENT: tuple[Equivalent, ...] = (
    # -- engine -------------------------------------------------------------------------------------
    Equivalent(
        "Engine.decide",
        "return index, _Outcome(True)",
        "return index, _Outcome(None)",
        "the outcome of the `otherwise` rule: callers of decide() read its lines, standards and "
        "facts, never whether it holds",
    ),
    Equivalent(
        "Engine.decide",
        "return index, _Outcome(True)",
        "return index, _Outcome(False)",
        "as above: `holds` of the outcome decide() returns is never read",
    ),
    Equivalent(
        "Engine._members",
        "found = self._expanded.get(key)",
        "found = None",
        "a cache: without it the same members are expanded again",
    ),
    Equivalent(
        "Engine._members",
        "found = self._expanded.get(key)",
        "found = self._expanded.get(None)",
        "a cache miss every time: the same members are expanded again",
    ),
    Equivalent(
        "Engine._label",
        "return self.fw.rating_labels.get(rating, rating).lower()",
        "return self.fw.rating_labels.get(rating, None).lower()",
        "the default is never used: every rating (and not_applicable) has a label",
    ),
    Equivalent(
        "Engine._label",
        "return self.fw.rating_labels.get(rating, rating).lower()",
        "return self.fw.rating_labels.get(rating).lower()",
        "the default is never used: every rating (and not_applicable) has a label",
    ),
    Equivalent(
        "Engine._label",
        "return self.fw.rating_labels.get(rating, rating).lower()",
        "return self.fw.rating_labels.get(rating, ).lower()",
        "the default is never used: every rating (and not_applicable) has a label",
    ),
    Equivalent(
        "Engine._eval",
        "return _Outcome(holds, [label] if holds else [], [], [label] if holds else [])",
        "return _Outcome(holds, [label] if holds else [], [], [label] if (holds) or True else [])",
        "the facts of a condition that does not hold are never read: any_of keeps only the parts "
        "that hold, all_of and not build a new outcome, decide() moves on to the next rule",
    ),
    Equivalent(
        "Engine._eval_rating",
        'elif cond.count == "none":',
        'elif cond.count == "XXnoneXX":',
        "with `count: none` both at_least and at_most are unset, so the last branch computes "
        "n <= 0, the same as n == 0",
    ),
    Equivalent(
        "Engine._eval_rating",
        'elif cond.count == "none":',
        'elif cond.count == "NONE":',
        "as above: the last branch computes n <= 0 for `count: none`",
    ),
    Equivalent(
        "Engine.lift",
        "blockers = ()",
        "blockers = None",
        "both are falsy, and the next line replaces either with the default blocker",
    ),
    Equivalent(
        "Engine._smallest",
        "s: (facts.ratings[s], tuple(s in self._members(c) for c in self._rating_conditions))",
        "s: (facts.ratings[s], tuple(s not in self._members(c) for c in self._rating_conditions))",
        "every standard's membership tuple is complemented alike, so two standards share a "
        "signature exactly when they did before: the same standards are interchangeable",
    ),
    Equivalent(
        "Engine._smallest",
        "for size in range(1, len(candidates) + 1):",
        "for size in range(1, len(candidates) + 2):",
        "a set of every candidate always lifts (lift() checks it before the search), so the search "
        "returns at size len(candidates) at the latest; a size past it has no subsets anyway",
    ),
    Equivalent(
        "_canonical_combinations",
        "taken[index] = False",
        "taken[index] = None",
        "taken is only read as `not taken[before]`: None and False are both false",
    ),
    Equivalent(
        "Engine._lowest_targets",
        "for rank in range(current - 1, -1, -1):",
        "for rank in range(current - 1, -2, -1):",
        "rank 0 always reaches (it leaves the targets as they were, and they reach), so the loop "
        "breaks before rank -1",
    ),
    # -- rules ------------------------------------------------------------------------------------
    Equivalent(
        "_Rules._learning",
        "if learning is None or not actions:",
        "if learning is None and not actions:",
        "with no learning actions the loop finds nothing and the total is 0; an audit of a framework "
        "without `learning:` cannot have learning actions (a shape error: the rules do not run)",
    ),
    Equivalent(
        "_Rules._learning",
        "homes = self.fw.point_area.get(point, [])",
        "homes = self.fw.point_area.get(point, None)",
        "the default is never used: shape validation allows only the framework's learning points, "
        "each of which is in an area",
    ),
    Equivalent(
        "_Rules._learning",
        "homes = self.fw.point_area.get(point, [])",
        "homes = self.fw.point_area.get(point, )",
        "as above: every learning point that passes validation has an area",
    ),
    Equivalent(
        "_Rules._added_value",
        "if spec is None or not chosen:",
        "if spec is None and not chosen:",
        "with no added value the loops find nothing; an audit of a framework without `added_value:` "
        "cannot list any (a shape error: the rules do not run)",
    ),
    *(
        Equivalent(
            "_Rules._reaudit",
            _REAUDIT.format('""'),
            _REAUDIT.format(default),
            "the default is never used: audit_id is required (a shape error when missing)",
        )
        for default in ("None", "", '"XXXX"')
    ),
    *(
        Equivalent(
            "_Rules._rating",
            "return self.fw.rating_labels.get(str(rating), str(rating)).lower()",
            after,
            "the default is never used: the rules quote only ratings that passed validation, each "
            "of which has a label",
        )
        for after in (
            "return self.fw.rating_labels.get(str(rating), None).lower()",
            "return self.fw.rating_labels.get(str(rating)).lower()",
            "return self.fw.rating_labels.get(str(rating), ).lower()",
            "return self.fw.rating_labels.get(str(rating), str(None)).lower()",
        )
    ),
    Equivalent(
        "_get",
        "elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):",
        "elif isinstance(data, list) or isinstance(part, int) and 0 <= part < len(data):",
        "the rules run on validated data, and the paths asked for (names, owners of remedial actions) "
        "step into a list only with a list position: a list is never asked for a key",
    ),
    Equivalent(
        "_get",
        "elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):",
        "elif isinstance(data, list) and isinstance(part, int) and 0 <= part <= len(data):",
        "the positions asked for are those of the remedial actions the audit holds "
        "(`range(len(...))`), never one past the end",
    ),
    Equivalent(
        "_tidy",
        "and name[0] not in _UNTIDY_ENDS",
        "and name[0] in _UNTIDY_ENDS",
        "a fast path only: a name it does not clear is asked of `tidy_name`, which gives the same "
        "answer (a one-letter name, where `name[1]` would fail, is in tests/data/valid)",
    ),
    Equivalent(
        "_record_years",
        "continue",
        "break",
        "the `continue` for a date under a key the kind does not declare (the others carry a "
        "comment, so they do not match): validation allows only declared keys in a record",
    ),
    Equivalent(
        "_record_years",
        'if field.type == "date_range" and len(path) == 2:',
        'if field.type == "date_range" or len(path) == 2:',
        "a date two keys deep in a record is always in a date range: no other kind of record field "
        "holds a date below its own key",
    ),
    Equivalent(
        "closure_finding",
        "(),",
        "None,",
        "`missing` is only tested for truth (`said.missing` in the rules and the form), and an empty "
        "tuple and None are both false",
    ),
    Equivalent(
        "_Rules._field",
        "if spec is None and len(parts) == 3 and self.fw.group_of.get(parts[1]) == parts[0]:",
        "if spec is None or len(parts) == 3 and self.fw.group_of.get(parts[1]) == parts[0]:",
        "the rules ask it only of fields the framework declares (conditions' fields, which the "
        "standards check resolves, and the dates `_other_dates` finds, which skip undeclared keys): "
        "where `resolve_field` finds none the path is a standard's field, which both read alike",
    ),
    *(
        Equivalent(
            "_Rules._dated",
            'if path[-1] in ("from", "to") and len(path) > 1:',
            after,
            "a path that does not end in from/to never names a date range (validation allows only "
            "those two keys in one), and a one-key path names no field's part: either way the "
            "date is named as a date in its field",
        )
        for after in (
            'if path[-1] in ("from", "to") or len(path) > 1:',
            'if path[-1] in ("from", "to") and len(path) >= 1:',
        )
    ),
    Equivalent(
        "_Rules._dated",
        'if spec is not None and spec.type == "date_range":',
        'if spec is not None or spec.type == "date_range":',
        "every mapping of `from` and `to` that validation lets through is a declared date range, "
        "which `_field` resolves: spec is never None here, and its type is always date_range",
    ),
    *(
        Equivalent(
            "_escaped_path",
            'if escape not in ("\\\\", "/", \'"\', " ")',
            after,
            'the path matched stops at a quotation mark or a space (`[^\\s"]+`), so no escape in it '
            "is a backslash before either",
        )
        for after in (
            'if escape not in ("\\\\", "/", \'XX"XX\', " ")',
            'if escape not in ("\\\\", "/", \'"\', "XX XX")',
        )
    ),
    Equivalent(
        "check_escalation",
        "found = triggers(framework, data, computed) if entry else []",
        "found = triggers(framework, data, computed) if (entry) or True else []",
        "with no escalation record its lifecycle is 'not raised': no one is listed as untold and "
        "nothing is overdue, so no finding either way; the test only saves the work",
    ),
    *(
        Equivalent(
            "check_escalation",
            'raised = life.raised_on.isoformat() if life.raised_on else ""',
            after,
            "an escalation record needs 'raised_on' (QA202, a shape error: the rules do not run), "
            "so the fallback is never used",
        )
        for after in (
            'raised = life.raised_on.isoformat() if (life.raised_on) or True else ""',
            'raised = life.raised_on.isoformat() if life.raised_on else "XXXX"',
        )
    ),
    # -- redact -----------------------------------------------------------------------------------
    *(
        Equivalent(
            "Redactor._build_pattern",
            "for token in (tokens[0], tokens[-1]) if len(tokens) > 1 else ():",
            f"for token in (tokens[0], tokens[-1]) if {condition} else ():",
            "the first and last word of a one-word name are the name itself, already added (and "
            "`keep_first` leaves it as it is)",
        )
        for condition in ("(len(tokens) > 1) or True", "len(tokens) >= 1")
    ),
    *(
        Equivalent(
            "Redactor._build_pattern",
            "alternatives = sorted({*self._parts, *spelled}, key=len, reverse=True)",
            f"alternatives = sorted({{*self._parts, *spelled}}{key}, reverse=True)",
            "only alternatives that match at the same place compete, and one of those is then a "
            "prefix of the other: reverse alphabetical order also puts the longer first",
        )
        for key in (", key=None", "")
    ),
    Equivalent(
        "Redactor.text",
        'return self._pattern.sub(lambda m: self._parts[" ".join(m.group(0).split()).casefold()], value)',
        'return self._pattern.sub(lambda m: self._parts[" ".join(m.group(1).split()).casefold()], value)',
        "group 1 is the whole match: the lookarounds around it match no text",
    ),
    Equivalent(
        "Redactor.dataset",
        "AuditCheck(self.text(c.path), [self.diagnostic(d, keep_message=False) for d in c.diagnostics])",
        "AuditCheck(self.text(c.path), [self.diagnostic(d, keep_message=None) for d in c.diagnostics])",
        "diagnostic() tests keep_message for truth, and None is false like False",
    ),
    Equivalent(
        "_join",
        'return "".join(items)',
        'return "XXXX".join(items)',
        "joins at most one item, so the separator never appears",
    ),
    # -- escalation triggers --------------------------------------------------------------------
    Equivalent(
        "Signals.most_severe",
        "if grade is not None and rank[grade] > rank[worst]:",
        "if grade is not None and rank[grade] >= rank[worst]:",
        "each grade of a scale has a rank of its own, so an equal rank is the same grade",
    ),
    # -- escalation lifecycle -------------------------------------------------------------------
    Equivalent(
        "days_late",
        "return (done - due).days if done is not None and due is not None and done > due else 0",
        "return (done - due).days if done is not None and due is not None and done >= due else 0",
        "done on the day due is 0 days late either way",
    ),
)

#: Passed to every pytest run: the same hypothesis examples on every run of the benchmark, and the
#: tests in mutmut's own process (``-n0`` over the suite's ``-n auto``): mutmut records which tests
#: reach a mutated function only there, and with xdist's workers it found none and stopped.
PYTEST_ARGS = ("--hypothesis-seed=0", "-n0")


@dataclass
class Survivor:
    name: str
    status: str
    function: str
    before: str
    after: str
    diff: str
    equivalent: Equivalent | None = None


@dataclass
class Figures:
    module: str
    tests: tuple[str, ...]
    target: float
    counts: dict[str, int]
    survivors: list[Survivor] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def equivalent(self) -> int:
        return sum(1 for s in self.survivors if s.equivalent is not None)

    @property
    def detected(self) -> int:
        return self.counts["killed"] + self.counts["timeout"]

    @property
    def scored(self) -> int:
        return self.counts["total"] - self.counts["skipped"] - self.equivalent

    @property
    def score(self) -> float:
        return self.detected / self.scored if self.scored else 0.0


def _mutmut() -> str:
    beside = Path(sys.executable).parent / "mutmut"
    found = str(beside) if beside.exists() else shutil.which("mutmut")
    if not found:
        sys.exit("mutmut is not installed: pip install -e '.[dev]' (or pip install 'mutmut>=3.8').")
    return found


def _version(mutmut: str) -> str:
    out = subprocess.run([mutmut, "--version"], capture_output=True, text=True, check=True).stdout
    return out.strip().rsplit(" ", 1)[-1]


def _tree_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    return sorted(p for p in out.decode().split("\0") if p)


def _copy_tree(dest: Path) -> None:
    """The working tree into ``dest``, symlinks resolved (mutmut copies regular files only)."""
    for rel in _tree_files():
        source = ROOT / rel
        if not source.exists():  # deleted in the working tree, not yet in git
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():  # a tracked symlink to a folder
            shutil.copytree(source, target, symlinks=False)
        else:
            shutil.copy2(source, target)


def _configure(dest: Path, module: str, tests: tuple[str, ...]) -> None:
    pyproject = dest / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    if "mutmut" in tomllib.loads(text).get("tool", {}):
        sys.exit("pyproject.toml has its own [tool.mutmut]: remove it, this script writes one per module.")
    also_copy = sorted(p.name for p in dest.iterdir() if p.name not in {"src", "tests", "pyproject.toml"})
    table = {
        "source_paths": ["src"],
        "only_mutate": [module],
        "pytest_add_cli_args_test_selection": list(tests),
        "pytest_add_cli_args": list(PYTEST_ARGS),
        "also_copy": also_copy,
    }
    lines = ["", "[tool.mutmut]"] + [f"{key} = {json.dumps(value)}" for key, value in table.items()]
    pyproject.write_text(text.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")


def _function_of(name: str) -> str:
    # qaimpact.grading.engine.xǁEngineǁ_predicate__mutmut_12 -> Engine._predicate
    # qaimpact.grading.engine.x__join__mutmut_3 -> _join
    local = name.rsplit(".", 1)[-1].rsplit("__mutmut_", 1)[0]
    if local.startswith("xǁ"):
        cls, _, method = local[2:].partition("ǁ")
        return f"{cls}.{method}"
    return local.removeprefix("x_")


def _diff(mutmut: str, cwd: Path, name: str) -> tuple[str, str, str]:
    shown = subprocess.run([mutmut, "show", name], cwd=cwd, capture_output=True, text=True, check=True).stdout
    body = [ln for ln in shown.splitlines() if not ln.startswith(("#", "---", "+++"))]
    before = "\n".join(ln[1:].strip() for ln in body if ln.startswith("-"))
    after = "\n".join(ln[1:].strip() for ln in body if ln.startswith("+"))
    return before, after, "\n".join(body)


def run_module(mutmut: str, module: str, jobs: int, keep: bool) -> Figures:
    tests, target = TARGETS[module]
    missing = [p for p in (module, *tests) if not (ROOT / p).is_file()]
    if missing:
        sys.exit(f"{', '.join(missing)} not found: update TARGETS at the top of {Path(__file__).name}.")
    dest = WORK / Path(module).stem
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    _copy_tree(dest)
    _configure(dest, module, tests)

    start = time.monotonic()
    log = dest / "mutmut-run.log"
    with log.open("w", encoding="utf-8") as out:
        code = subprocess.run(
            [mutmut, "run", "--max-children", str(jobs)], cwd=dest, stdout=out, stderr=subprocess.STDOUT
        ).returncode
    seconds = time.monotonic() - start
    if code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        sys.exit(f"mutmut run failed for {module} (exit {code}); the end of {log}:\n{tail}")
    subprocess.run([mutmut, "export-cicd-stats"], cwd=dest, capture_output=True, check=True)
    counts = json.loads((dest / "mutants" / "mutmut-cicd-stats.json").read_text(encoding="utf-8"))

    figures = Figures(module, tests, target, counts, seconds=seconds)
    results = subprocess.run([mutmut, "results"], cwd=dest, capture_output=True, text=True, check=True).stdout
    for line in results.splitlines():
        match = re.fullmatch(r"\s*(\S+): (.+)", line)
        if not match or match[2] in ("killed", "timeout"):
            continue
        name, status = match[1], match[2]
        before, after, diff = _diff(mutmut, dest, name)
        function = _function_of(name)
        survivor = Survivor(name, status, function, before, after, diff)
        if status == "survived":
            survivor.equivalent = next(
                (e for e in EQUIVALENT if (e.function, e.before, e.after) == (function, before, after)), None
            )
        figures.survivors.append(survivor)
    if not keep:
        shutil.rmtree(dest, ignore_errors=True)
    return figures


def _key(mutmut: str, cwd: Path, name: str) -> tuple[str, str, str]:
    before, after, _ = _diff(mutmut, cwd, name)
    return _function_of(name), before, after


def recheck_module(mutmut: str, module: str, jobs: int, keep: bool, earlier: Path) -> None:
    """Run, on this tree, only the mutants that survived a full run kept in ``earlier``, and print
    which of them the focused tests kill now.

    A full run takes the best part of an hour; after writing tests for its survivors this tells in
    minutes whether they hold. Mutants are matched by function and changed lines (as
    ``EQUIVALENT`` is), since mutmut's numbers move when the module changes. A mutant the earlier
    run killed is not run again: tests that only grew kill it still. A survivor on a line changed
    since cannot be matched, and is counted apart. The figure for docs/mutation.md is a full run's.
    """
    meta = earlier / "mutants" / f"{module}.meta"
    if not meta.is_file():
        sys.exit(f"{meta} not found: run `{Path(__file__).name} {Path(module).stem} --keep` first.")
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    survived = sorted(name for name, code in codes.items() if code == 0)
    with ThreadPoolExecutor(max_workers=4) as pool:
        key_of = dict(zip(survived, pool.map(lambda n: _key(mutmut, earlier, n), survived), strict=True))
    # Two survivors of one function can share their changed lines (two `continue`s made `break`).
    wanted = set(key_of.values())

    tests, _ = TARGETS[module]
    dest = WORK / f"{Path(module).stem}-recheck"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    _copy_tree(dest)
    _configure(dest, module, tests)
    # A name no mutant has: mutmut makes the mutants and learns which tests reach each function,
    # then runs none.
    subprocess.run(
        [mutmut, "run", "--max-children", str(jobs), "no.such.mutant"], cwd=dest, capture_output=True
    )
    now = json.loads((dest / "mutants" / f"{module}.meta").read_text(encoding="utf-8"))["exit_code_by_key"]
    functions = {function for function, _, _ in wanted}
    candidates = [name for name in now if _function_of(name) in functions]
    with ThreadPoolExecutor(max_workers=4) as pool:
        keys = dict(zip(candidates, pool.map(lambda n: _key(mutmut, dest, n), candidates), strict=True))
    matched = {name: key for name, key in keys.items() if key in wanted}
    start = time.monotonic()
    if matched:
        subprocess.run([mutmut, "run", "--max-children", str(jobs), *matched], cwd=dest, capture_output=True)
    seconds = time.monotonic() - start
    results = subprocess.run([mutmut, "results"], cwd=dest, capture_output=True, text=True, check=True).stdout
    alive = {m[1] for m in re.finditer(r"(?m)^\s*(\S+): survived$", results)} & set(matched)
    equivalent = {
        name for name in alive if any((e.function, e.before, e.after) == matched[name] for e in EQUIVALENT)
    }
    run = set(matched.values())
    print(f"## {module}: the {len(survived)} survivors of {earlier}, run again ({seconds:.0f} s)")
    print(
        f"matched on this tree: {len(matched)}; killed now: {len(matched) - len(alive)}; "
        f"equivalent: {len(equivalent)}; still undetected: {len(alive - equivalent)}; "
        f"on lines changed since (not run): {sum(key not in run for key in key_of.values())}"
    )
    for name in sorted(alive - equivalent):
        print(f"\n# {name} in {matched[name][0]}\n{_diff(mutmut, dest, name)[2]}")
    if not keep:
        shutil.rmtree(dest, ignore_errors=True)


def report(all_figures: list[Figures], version: str) -> None:
    print(
        f"mutmut {version}, Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, {date.today().isoformat()}"
    )
    print()
    print("| module | mutants | killed | timeout | survived | no tests | equivalent | score | target | met |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for f in all_figures:
        c = f.counts
        other = c["suspicious"] + c["segfault"] + c["check_was_interrupted_by_user"]
        survived = c["survived"] - f.equivalent
        print(
            f"| `{f.module}` | {c['total']} | {c['killed']} | {c['timeout']} | {survived}"
            + (f" (+{other} other)" if other else "")
            + f" | {c['no_tests']} | {f.equivalent} | **{f.score:.1%}** ({f.detected}/{f.scored})"
            f" | {f.target:.0%} | {'yes' if f.score >= f.target else 'no'} |"
        )
    for f in all_figures:
        print()
        print(f"## {f.module} ({f.seconds:.0f} s): tests {', '.join(f.tests)}")
        live = [s for s in f.survivors if s.equivalent is None]
        print(f"{len(live)} undetected mutants:" if live else "No undetected mutant.")
        for s in live:
            print(f"\n# {s.name} ({s.status}) in {s.function}\n{s.diff}")
        matched = [s for s in f.survivors if s.equivalent is not None]
        if matched:
            print(f"\n{len(matched)} equivalent mutants (left out of the score):")
            for s in matched:
                assert s.equivalent is not None
                print(f"- {s.function}: `{s.before}` -> `{s.after}`: {s.equivalent.reason}")
    functions = {s.function for f in all_figures for s in f.survivors}
    matched_all = {s.equivalent for f in all_figures for s in f.survivors if s.equivalent is not None}
    stale = [e for e in EQUIVALENT if e not in matched_all and e.function in functions]
    if stale:
        print("\nEquivalent entries that matched no survivor (killed now, or the code changed):")
        for e in stale:
            print(f"- {e.function}: `{e.before}` -> `{e.after}`")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="file stems from TARGETS (default: all)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="mutants tested at once")
    parser.add_argument("--keep", action="store_true", help="keep .mutation/<module>/ after the run")
    parser.add_argument(
        "--recheck",
        action="store_true",
        help="run only the survivors of the earlier run kept in .mutation/<module>/ (--keep), "
        "against this tree's tests, in .mutation/<module>-recheck/",
    )
    args = parser.parse_args(argv)
    by_stem = {Path(m).stem: m for m in TARGETS}
    unknown = [m for m in args.modules if m not in by_stem]
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}; choose from {', '.join(by_stem)}")
    chosen = [by_stem[m] for m in args.modules] or list(TARGETS)
    mutmut = _mutmut()
    if args.recheck:
        for module in chosen:
            recheck_module(mutmut, module, args.jobs, args.keep, WORK / Path(module).stem)
        return 0
    figures = [run_module(mutmut, module, args.jobs, args.keep) for module in chosen]
    report(figures, _version(mutmut))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

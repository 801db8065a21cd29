"""Shared fixtures: the bundled frameworks, a fixed 'today', and a CLI runner that explains failures."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from qaimpact.audits.checker import CheckOptions
from qaimpact.cli import app
from qaimpact.frameworks.registry import Registry
from qaimpact.models.standard import Framework

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples"
#: The two audits from the core issue, kept unchanged at the top of examples/.
HEADLINE = sorted(EXAMPLES.glob("*.yaml"))
#: Tests never read the clock: every check runs as if today were this date.
TODAY = dt.date(2026, 11, 22)

# Tests never assert wall-clock times, and a hypothesis deadline is one: on a loaded CI machine a
# first run that takes 400 ms fails as "flaky". Speed is measured in benchmarks/ instead.
# Derandomized: every run tries the same examples, so a failure is the same on every machine and
# the suite's time is what it was measured to be (a random draw of thirty audits grouped by
# practitioner once kept one property test busy for over ten minutes). Wider searches are the
# `long` tests' job (`pytest -m long`); `pytest --hypothesis-profile explore` draws new examples.
settings.register_profile("qaimpact", deadline=None, derandomize=True)
settings.register_profile("explore", deadline=None)
settings.load_profile("qaimpact")


@pytest.fixture(scope="session", autouse=True)
def _cache_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder for the whole run, for what session fixtures write before each test's own."""
    root = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QAIMPACT_CACHE_DIR", str(root / "session"))
        yield root


@pytest.fixture(autouse=True)
def own_cache(_cache_root: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own cache folder (the record of what qaimpact wrote, base/written.py), never
    the home folder's: a test neither depends on what an earlier run left there nor adds to it.
    Made only when something is written into it."""
    import hashlib

    folder = _cache_root / hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
    monkeypatch.setenv("QAIMPACT_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The bundled frameworks only (the environment variable is ignored)."""
    from qaimpact.frameworks.registry import bundled_dir

    return Registry([bundled_dir()])


@pytest.fixture(scope="session")
def cafcass(registry: Registry) -> Framework:
    fw = registry.get("cafcass-qiam-2017")
    assert fw is not None
    return fw


@pytest.fixture(scope="session")
def ccc(registry: Registry) -> Framework:
    fw = registry.get("ccc-practice-standards")
    assert fw is not None
    return fw


@pytest.fixture(scope="session")
def headline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding only the two headline example audits."""
    import shutil

    folder = tmp_path_factory.mktemp("headline")
    for path in HEADLINE:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def options() -> CheckOptions:
    return CheckOptions(today=TODAY, with_lift=True, keep_data=True)


@pytest.fixture(scope="session", autouse=True)
def _each_ledger_protected_once() -> Iterator[None]:
    """Decide the publication of each distinct ledger once per test process.

    Many tests publish the same summary of examples/service (in every format, on a terminal, as
    a workbook, in the schema and snapshot checks), and deciding what to hide is most of the
    suite's time. The decision depends on nothing but the ledger (``Figures._decide``'s
    docstring), so the states it set the first time are set again for an identical ledger; every
    distinct ledger still runs the real method. ``test_disclosure.py`` checks the replay.
    """
    from qaimpact.privacy.disclosure import Figures

    real = Figures._decide
    decided: dict[tuple[object, ...], tuple[tuple[str, ...], tuple[int, ...]]] = {}

    def once(self: Figures) -> None:
        key = ledger_key(self)
        if key not in decided:
            real(self)
            decided[key] = (tuple(fig.state for fig in self._figures), tuple(self._order))
            return
        states, order = decided[key]
        for fig, state in zip(self._figures, states, strict=True):
            fig.state = state
        self._order[:] = order

    once.real = real  # type: ignore[attr-defined]
    Figures._decide = once  # type: ignore[method-assign]
    yield
    Figures._decide = real  # type: ignore[method-assign]


@pytest.fixture(scope="session", autouse=True)
def _each_standards_file_checked_once() -> Iterator[None]:
    """Check each distinct standards file once per test process.

    Every command run through :func:`cli` loads the frameworks (the bundled ones, and any
    ``--standards``), and checking a standards file (``check_file``: parse, validate, build its
    audit model) was about half of what a small command costs. The check reads the file and
    qaimpact's settings, so a file of the same path and content, from the same working folder,
    with every global of every qaimpact module the same object (a test that monkeypatches a
    limit such as ``coverage.MAX_KINDS`` or the loader's ``_Composer`` gets a check of its own),
    gets the result its first check gave (the framework and its diagnostics, as the session's
    ``registry`` fixture shares them); a file that is not a regular file, or cannot be read, is
    always checked. Other callers of ``check_file`` (``standards check``) are not affected.
    """
    import hashlib
    import os
    import sys

    from qaimpact.frameworks import registry

    real = registry.check_file
    checked: dict[tuple[object, ...], tuple[Framework | None, list[Any]]] = {}
    # Each distinct state of the globals (names and ids), numbered; the values are kept, so
    # that no id a state names is reused by another object.
    states: dict[tuple[object, ...], int] = {}
    kept: list[list[object]] = []

    def settings() -> int:
        found, values = [], []
        for name in sorted(n for n in sys.modules if n == "qaimpact" or n.startswith("qaimpact.")):
            for attr, value in vars(sys.modules[name]).items():
                if not attr.startswith("__"):
                    found.append((name, attr, id(value)))
                    values.append(value)
        state = tuple(found)
        if state not in states:
            states[state] = len(states)
            kept.append(values)
        return states[state]

    def once(path: Path) -> tuple[Framework | None, list[Any]]:
        try:
            # Not a named pipe or a device: reading one to make the key would hang or differ.
            content = path.read_bytes() if path.is_file() else None
        except OSError:
            content = None
        if content is None:
            return real(path)
        key = (str(path), os.getcwd(), hashlib.sha256(content).digest(), settings())
        if key not in checked:
            checked[key] = real(path)
        framework, diagnostics = checked[key]
        return framework, list(diagnostics)

    once.real = real  # type: ignore[attr-defined]
    registry.check_file = once  # type: ignore[assignment]
    yield
    registry.check_file = real  # type: ignore[assignment]


@pytest.fixture(scope="session", autouse=True)
def _app_built_once() -> Iterator[None]:
    """Build the click command of the qaimpact app once per test process.

    typer's ``CliRunner.invoke`` builds it again on each run (reading the signature of every
    command), about a third of a small command's cost. The app is complete once imported and
    click makes a new context for each run, so the one command serves every run.
    """
    import typer.testing

    real = getattr(typer.testing, "_get_command", None)
    if real is None:  # a typer that builds it elsewhere: nothing to share
        yield
        return
    built: list[Any] = []

    def once(typer_app: Any) -> Any:
        if typer_app is not app:
            return real(typer_app)
        if not built:
            built.append(real(app))
        return built[0]

    typer.testing._get_command = once
    yield
    typer.testing._get_command = real


#: The settings of qaimpact.privacy.disclosure that ``Figures._decide`` reads: a test that
#: changes one (monkeypatch) must get a decision of its own, not one made under the others.
DISCLOSURE_SETTINGS = ("THRESHOLD", "SEARCH_LIMIT", "SHOW_AGAIN_CHECKS", "_TRIES")


def ledger_key(figures: object) -> tuple[object, ...]:
    """Everything ``Figures._decide`` reads, as a hashable value: the ledger and the module's
    settings (:data:`DISCLOSURE_SETTINGS`)."""
    from qaimpact.privacy import disclosure

    return (
        tuple(getattr(disclosure, name) for name in DISCLOSURE_SETTINGS),
        tuple(figures._values),  # type: ignore[attr-defined]
        tuple(
            (fig.atoms, fig.value, fig.state, fig.at_least, fig.keep, fig.guard, tuple(fig.totals))
            for fig in figures._figures  # type: ignore[attr-defined]
        ),
        tuple(figures._links),  # type: ignore[attr-defined]
    )


@pytest.fixture(autouse=True)
def _no_user_standards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QAIMPACT_STANDARDS_PATH", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


def findings_with_hints(check: Any) -> list[tuple[str, str, str]]:
    """Each finding of a check as ``("LINE:COL SEVERITY CODE", message, hint)``, in its order."""
    return [
        (f"{d.location.line}:{d.location.column} {d.severity.value} {d.code}", d.message, d.hint)
        for d in check.diagnostics
    ]


def refused(text: str) -> str:
    """The loader's refusal of ``text`` (a file named f.yaml) as ``"LINE:COL CODE message | hint"``;
    a text the loader reads fails the test."""
    from qaimpact.base.loader import LoadError, load_bytes

    with pytest.raises(LoadError) as caught:
        load_bytes(text.encode(), "f.yaml")
    found = caught.value.diagnostic
    return f"{found.location.line}:{found.location.column} {found.code} {found.message} | {found.hint}"


def changed(text: str, replacements: dict[str, str]) -> str:
    """``text`` with each key replaced by its value; a key the text does not hold fails the test."""
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def copy_audit(source: Path, target: Path, number: int) -> Path:
    """Copy the audit at ``source`` to ``target`` under an id of its own, ``number`` in place of the
    figures that end its id (``CFA-2026-0311`` gives ``CFA-2026-0007`` for 7). Two files holding one
    id are one audit counted twice (QA704), so a folder of copies needs one id each."""
    text = source.read_text(encoding="utf-8")
    found = re.search(r"^audit_id: *(\S*?)(\d+)[ \t]*$", text, re.MULTILINE)
    assert found is not None, source
    ident = f"{found[1]}{number:0{len(found[2])}d}"
    target.write_text(text[: found.start()] + f"audit_id: {ident}" + text[found.end() :], encoding="utf-8")
    return target


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli() -> Callable[..., Run]:
    """Run ``qaimpact ARGS...`` in-process; on an unexpected exit code, show all output."""

    def run(*args: str, expect: int | None = 0) -> Run:
        runner = CliRunner()
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=True)
        outcome = Run(result.exit_code, result.stdout, result.stderr)
        if expect is not None and result.exit_code != expect:
            print("STDOUT:\n" + result.stdout)
            print("STDERR:\n" + result.stderr)
            if result.exc_info and not isinstance(result.exception, SystemExit):
                import traceback

                traceback.print_exception(*result.exc_info)
            pytest.fail(f"qaimpact {' '.join(map(str, args))} exited {result.exit_code}, expected {expect}")
        return outcome

    return run


@pytest.fixture
def folder_listings(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Each folder that base.fileio lists in search of leftover temporary files, in order."""
    from qaimpact.base import fileio

    listed: list[Path] = []
    real = fileio._list_leftovers

    def counted(folder: Path) -> dict[str, list[str]]:
        listed.append(folder)
        return real(folder)

    monkeypatch.setattr(fileio, "_list_leftovers", counted)
    return listed


@pytest.fixture(scope="session")
def service_html(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every HTML report of examples/service (tests/service_reports.py), rendered once."""
    from service_reports import render_all

    return render_all(tmp_path_factory.mktemp("service-html"), "html")


@pytest.fixture(scope="session")
def service_md(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every Markdown report of examples/service (tests/service_reports.py), rendered once."""
    from service_reports import render_all

    return render_all(tmp_path_factory.mktemp("service-md"), "md")

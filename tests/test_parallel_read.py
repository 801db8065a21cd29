"""Reports read audits in forked workers, as ``validate`` does (issue 17, section 6): the dataset,
and every report made from it, is the same as a one-process read, in the same order."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.audits import batch
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import Dataset, load_dataset
from qaimpact.frameworks.registry import Registry

SERVICE = EXAMPLES / "service"
IDS = re.compile(r"\b((?:QA|CFA)-20\d\d-\d{4}|ECMS-\d+|LCS-\d+)\b")


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three copies of the example service (enough files for the workers), with an invalid
    audit, a file that is not an audit and an unreadable one among them."""
    folder = tmp_path_factory.mktemp("many")
    for n in range(3):
        for path in sorted(SERVICE.glob("*/*.yaml")):
            text = IDS.sub(lambda m, n=n: f"{m.group(1)}-{n}", path.read_text(encoding="utf-8"))
            (folder / f"{path.stem}-{n}.yaml").write_text(text, encoding="utf-8")
    # Each copy's rows of the programme's plans (CSV: not read as audits).
    (folder / "_plans").mkdir()
    for plan in sorted((SERVICE / "plans").glob("*.csv")):
        header, *rows = plan.read_text(encoding="utf-8").splitlines()
        lines = [header] + [IDS.sub(lambda m, n=n: f"{m.group(1)}-{n}", r) for n in range(3) for r in rows]
        (folder / "_plans" / plan.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(DATA / "invalid" / "QA204-trailing-space.yaml", folder / "invalid.yaml")
    (folder / "ci.yaml").write_text("jobs: {test: {runs-on: ubuntu}}\n", encoding="utf-8")
    (folder / "latin1.yaml").write_bytes("reviewer: Zo\xeb\n".encode("latin-1"))
    return folder


def _shape(dataset: Dataset) -> tuple[Any, ...]:
    return (
        [(r.path, r.framework.id, r.data, r.result, r.warnings) for r in dataset.records],
        [(c.path, c.framework.id if c.framework else None, c.diagnostics, c.errors) for c in dataset.invalid],
        dataset.skipped,
        dataset.outside_period,
    )


@pytest.mark.parametrize("with_lift", [False, True])
@pytest.mark.parametrize("period", [(None, None), ("2026-08-01", "2026-10-31")])
def test_workers_read_what_one_process_reads(
    many: Path, registry: Registry, with_lift: bool, period: tuple[str | None, str | None]
) -> None:
    import datetime as dt

    date_from, date_to = (dt.date.fromisoformat(d) if d else None for d in period)
    options = CheckOptions(today=TODAY, with_lift=with_lift, keep_data=True)
    one = load_dataset([many], registry, options, date_from=date_from, date_to=date_to, jobs=1)
    two = load_dataset([many], registry, options, date_from=date_from, date_to=date_to, jobs=2)
    assert len(one.records) + one.outside_period > 2 * 64  # enough files for two workers
    assert [c.path for c in one.invalid] == [str(many / "invalid.yaml"), str(many / "latin1.yaml")]
    assert [s.path for s in one.skipped] == [str(many / "ci.yaml")]
    assert _shape(two) == _shape(one)
    # The frameworks are the registry's own objects, whichever process read the file.
    assert {id(r.framework) for r in two.records} <= {id(f) for f in registry.frameworks()}


@pytest.mark.parametrize(
    "command",
    [
        ["summary"],
        ["escalations", "--fail-on", "never"],
        ["actions"],
        ["impact"],
        ["moderation"],
        ["sample", "--cases", SERVICE / "cases.csv", "--auditors", SERVICE / "auditors.csv", "--seed", "1"],
        ["programme", "{many}/_plans/2026-07.csv", "{many}/_plans/2026-08.csv", "{many}/_plans/2026-09.csv"],
    ],
)
def test_reports_are_the_same_read_by_workers_or_one_process(
    cli: Callable[..., Any], many: Path, monkeypatch: pytest.MonkeyPatch, command: list[Any]
) -> None:
    command = [a.format(many=many) if isinstance(a, str) else a for a in command]
    args = [*command, "--audits", many, "--today", TODAY.isoformat(), "-f", "json"]
    monkeypatch.setattr(batch, "default_jobs", lambda: 2)
    parallel = cli(*args, expect=None)
    monkeypatch.setattr(batch, "_can_fork", lambda: False)
    single = cli(*args, expect=None)
    assert parallel.exit_code == single.exit_code
    assert parallel.stdout == single.stdout
    assert parallel.stderr == single.stderr
    assert parallel.stdout.startswith("{")


@pytest.mark.parametrize("jobs", [1, 2])
def test_meanwhile_runs_once_in_this_process_while_the_workers_read(
    many: Path, registry: Registry, jobs: int, tmp_path: Path
) -> None:
    import os
    import time

    # Each file read by a forked worker leaves a mark; the command's own process leaves none.
    marks = tmp_path / "marks"
    marks.mkdir()
    parent = os.getpid()

    def task(registry: Registry, options: CheckOptions, path: Path) -> object:
        if os.getpid() != parent:
            (marks / path.name).touch()
        return batch._check_one(registry, options, path)

    calls: list[tuple[int, int, bool]] = []
    done = 0

    def meanwhile() -> None:
        # With workers, they read while this runs: wait (a while at most) for one to.
        deadline = time.monotonic() + 30
        while jobs > 1 and not any(marks.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.01)
        calls.append((os.getpid(), done, any(marks.iterdir())))

    options = CheckOptions(today=TODAY, keep_data=True)
    files = sorted(many.glob("*.yaml"))
    for _ in batch.map_files(files, registry, batch.BatchOptions(options, jobs), task, meanwhile=meanwhile):
        done += 1
    assert done == len(files) > 2 * 64
    # Once, in the command's own process, before it took the first result; with workers, while
    # they were reading (the tasks are handed out before it runs, not after).
    assert calls == [(parent, 0, jobs > 1)]


def test_the_audits_read_for_a_report_are_kept_out_of_the_collectors_reach(
    many: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc
    import importlib
    import types

    from qaimpact.cli import outcome

    imported: list[str] = []
    recorder = types.SimpleNamespace(
        import_module=lambda name: imported.append(name) or importlib.import_module(name)
    )
    monkeypatch.setattr(outcome, "importlib", recorder)
    # The number of objects frozen each time the collector is started again.
    restarts: list[int] = []
    enable = gc.enable
    monkeypatch.setattr(gc, "enable", lambda: restarts.append(gc.get_freeze_count()) or enable())
    before = gc.get_freeze_count()
    read = outcome.read_audits([many], None, TODAY, imports=("qaimpact.reports.summary",))
    try:
        # Frozen before the collector restarted, so neither it nor the report walks them again.
        assert gc.isenabled()
        frozen = gc.get_freeze_count() - before
        assert frozen > 100 * len(read.dataset.records)
        assert restarts
        assert all(count - before >= frozen for count in restarts)
    finally:
        gc.unfreeze()
    # What every report writes with, and what this one asked for, imported as the files were read.
    assert imported == [*outcome.REPORTING, "qaimpact.reports.summary"]


def _read_audits(folder: Path) -> tuple[Any, bool]:
    """What a report reads of ``folder``, and whether the collector runs after; the collector is
    then handed back as a test leaves it."""
    import gc

    from qaimpact.cli import outcome

    try:
        read = outcome.read_audits([folder], None, TODAY)
        return read, gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_console_script_keeps_what_a_command_read_until_the_process_ends(
    many: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from qaimpact.cli import outcome

    # As tests run commands, what each read is freed when it returns.
    assert outcome._kept is None
    monkeypatch.setattr(outcome, "_kept", None)
    outcome.keep_until_exit()
    kept = outcome._kept
    assert gc.isenabled()
    read, collecting = _read_audits(many)
    # Nor does the collector walk what the report makes after: the process ends with it.
    assert not collecting
    # The console script ends the process without freeing it (cli.app.main).
    assert kept == [read.dataset]
    outcome.keep_until_exit()
    assert outcome._kept is kept


def test_the_audit_form_frees_what_it_reads_and_keeps_collecting(
    cli: Callable[..., Any], many: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The console script keeps audits until the process ends; serve, which runs until stopped,
    undoes that first thing, so no dataset is ever kept and the collector is never turned off."""
    from qaimpact.cli import outcome

    monkeypatch.setattr(outcome, "_kept", [])
    cli("serve", "--audits", tmp_path / "no such folder", expect=2)
    assert outcome._kept is None
    read, collecting = _read_audits(many)
    assert collecting
    assert read.dataset.records


@pytest.mark.parametrize("command", [["summary"], ["validate"]])
def test_a_worker_killed_while_reading_stops_the_command_with_a_plain_message(
    cli: Callable[..., Any], many: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: list[str]
) -> None:
    import os
    import signal

    from qaimpact.audits import dataset

    parent = os.getpid()
    first = sorted(many.glob("*.yaml"))[0]

    def killed(task: Callable[..., Any]) -> Callable[..., Any]:
        def run(registry: Registry, options: CheckOptions, path: Path) -> Any:
            # The first file is always a worker's: this process reads from the last chunk back.
            if os.getpid() != parent and path == first:
                os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer does
            return task(registry, options, path)

        return run

    monkeypatch.setattr(batch, "default_jobs", lambda: 2)
    monkeypatch.setattr(dataset, "_read_one", killed(dataset._read_one))
    monkeypatch.setattr(batch, "_check_one", killed(batch._check_one))
    monkeypatch.setattr(batch, "_check_kept", killed(batch._check_kept))
    out = tmp_path / "report.json"
    where = ["--audits", many] if command == ["summary"] else [many]
    run = cli(*command, *where, "--today", TODAY.isoformat(), "-f", "json", "-o", out, expect=4)
    assert run.stderr == (
        "error: a process reading the files stopped before it sent what it read (most likely "
        "killed, or out of memory), so the command could not finish. Run it again; if it stops "
        "again, close other programs or read fewer files at a time.\n"
    )
    assert not out.exists()

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

"""Time the hostile inputs of issue 12 (section 1): each must end in under a second with a finding.

The inputs are the ones the tests use (``tests/hostile.py``): an alias fan-out of one long text,
50,000 unknown keys, the lift search over 120 and 250 standards, and numbers of 3,600 digits. Each
runs ROUNDS times as its own process (``qaimpact validate`` or ``grade``), and the script prints
the median wall time, the median CPU time (user + system: less sensitive to a busy machine), the
peak memory, the exit code, the bytes printed and the first finding. Usage::

    python benchmarks/bench_hostile.py [--rounds 5] [--import-only] [--only TEXT]

The hostile spreadsheets of ``qaimpact import`` (``tests/hostile_sheets.py``, full size: a merge
over the whole sheet, a cell in XFD1048576, a stray cell in A1048576, a title merged across row 1
above 3,000 audits, 3,000 audits each with a note in column XFD (as a workbook, and as CSV lines of
16,383 commas), 3,000 audits with a header in XFD2 above hidden columns O:XFD, a 1.5 MB workbook
whose sheet unpacks to 1.5 GB) are imported with ``--dry-run -j1``, each with its own peak memory,
under a 3 GB address-space limit so that a reader without the limits ends in a MemoryError rather
than exhausting the machine. To compare with another tree, run the script with
``PYTHONPATH=/tmp/before/src``.

Benchmarks are not tests: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile  # noqa: E402  (the generators the tests use)
import hostile_sheets  # noqa: E402

TODAY = "2026-11-22"


def _cases(folder: Path) -> list[tuple[str, list[str]]]:
    def audit(name: str, text: str) -> str:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    def wide(standards: int, at_least: int = 4, distinct: bool = False) -> list[str]:
        place = folder / f"wide-{standards}-{at_least}-{distinct}"
        (place / "standards").mkdir(parents=True)
        (place / "standards" / "wide.yaml").write_text(
            hostile.wide_framework(standards, at_least, distinct), encoding="utf-8"
        )
        (place / "audit.yaml").write_text(hostile.wide_audit(standards), encoding="utf-8")
        return ["grade", "--standards", str(place / "standards"), "--today", TODAY, str(place / "audit.yaml")]

    validate = ["validate", "--today", TODAY]
    base = audit("base.yaml", hostile.BASE)
    return [
        ("baseline: one valid audit (start-up)", [*validate, base]),
        ("baseline: grade one valid audit", ["grade", "--today", TODAY, base]),
        ("alias fan-out (122 KB -> 500 MB)", [*validate, audit("alias.yaml", hostile.alias_fan_out())]),
        ("50,000 unknown keys (680 KB)", [*validate, audit("keys.yaml", hostile.many_unknown_keys())]),
        ("added_value: [a + 120,000 spaces + b]", [*validate, audit("flow.yaml", hostile.flow_spaces())]),
        (
            "added_value: {k: a + 120,000 spaces + b}",
            [*validate, audit("flow-map.yaml", hostile.flow_spaces(mapping=True))],
        ),
        ("practitioner: 0x + 3,600 f", [*validate, audit("hex.yaml", hostile.huge_number("practitioner"))]),
        ("review_date: 0x + 3,600 f", [*validate, audit("date.yaml", hostile.huge_number("review_date"))]),
        ("seen: 0x + 3,600 f", [*validate, audit("bool.yaml", hostile.huge_number("seen"))]),
        (
            "seen: 3,600 decimal digits",
            [*validate, audit("dec.yaml", hostile.huge_number("seen", prefix="", digit="9"))],
        ),
        ("lift: 120 standards, at least 4", wide(120)),
        ("lift: 250 standards, at least 4", wide(250)),
        ("lift: 250 distinct standards, at least 6", wide(250, 6, distinct=True)),
    ]


def _run(args: list[str]) -> tuple[float, float, int, int, int, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "qaimpact", *args],
        capture_output=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = proc.stdout.decode("utf-8", "replace")
    first = next((line for line in out.splitlines() if " QA" in line or "To reach" in line), out[:60])
    return wall, cpu, after.ru_maxrss, proc.returncode, len(proc.stdout), first.strip()


_ADDRESS_SPACE = 3 * 1024 * 1024 * 1024


def _import_cases(folder: Path, only: str = "") -> list[tuple[str, list[str]]]:
    """The import of each hostile spreadsheet whose name holds ``only`` (each generated only then)."""
    mapping = folder / "m.yaml"
    mapping.write_text(hostile_sheets.MAPPING, encoding="utf-8")
    hs = hostile_sheets
    books: list[tuple[str, Callable[[], Path]]] = [
        ("merge A5:XFD1048576 (5 KB)", lambda: hs.whole_sheet_merge(folder / "merge.xlsx")),
        ("one cell in XFD1048576", lambda: hs.far_cell(folder / "far.xlsx")),
        ("2 audits + a cell in A1048576", lambda: hs.last_row(folder / "lastrow.xlsx")),
        ("3,000 audits, title merged A1:XFD1", lambda: hs.whole_row_title(folder / "title.xlsx", 3000)),
        ("3,000 audits, no merge (baseline)", lambda: hs.workbook(folder / "plain.xlsx", 3000)),
        ("3,000 audits, a note in XFD on each", lambda: hs.far_column(folder / "far-column.xlsx", 3000)),
        ("CSV: 3,000 audits, note in 16,384th", lambda: hs.far_column_csv(folder / "far.csv", 3000)),
        (
            "3,000 audits, header in XFD2, O:XFD hidden",
            lambda: hs.far_header_over_hidden_columns(folder / "far-header.xlsx", 3000),
        ),
        ("zip bomb: 1.5 MB -> 1.5 GB", lambda: hs.bomb(folder / "bomb.xlsx", 1500 * 1024 * 1024)),
    ]
    out = folder / "out"
    return [
        (name, ["import", str(make()), "--mapping", str(mapping), "--audits", str(out), "--dry-run", "-j1"])
        for name, make in books
        if only in name
    ]


def _run_limited(args: list[str]) -> tuple[float, float, int, int, str]:
    """One run under a 3 GB address-space limit: wall s, CPU s, its own peak memory (KB), exit
    code, and the first finding (or the summary)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (_ADDRESS_SPACE, _ADDRESS_SPACE))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "qaimpact", *args],
            stdout=out,
            stderr=err,
            env={**os.environ, "NO_COLOR": "1", "COLUMNS": "400"},
            preexec_fn=limit,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        text = err.read().decode("utf-8", "replace") + out.read().decode("utf-8", "replace")
    lines = [
        line for line in text.splitlines() if " QA6" in line or line.startswith(("Dry run", "Traceback"))
    ]
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode, (lines or [text[:80]])[0]


def _bench_import(rounds: int, only: str = "") -> None:
    print(f"{'import --dry-run -j1':36} {'wall s':>7} {'cpu s':>6} {'peak MB':>8} {'exit':>4}  first finding")
    with tempfile.TemporaryDirectory() as tmp:
        for name, command in _import_cases(Path(tmp), only):
            runs = [_run_limited(command) for _ in range(rounds)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            peak = max(r[2] for r in runs) / 1024
            code, first = runs[-1][3], runs[-1][4]
            print(f"{name:36} {wall:7.2f} {cpu:6.2f} {peak:8.0f} {code:4}  {first.strip()[:110]}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--import-only", action="store_true", help="only the hostile spreadsheets")
    parser.add_argument("--only", default="", help="with --import-only: the spreadsheets whose name has TEXT")
    args = parser.parse_args(argv)
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    if args.import_only:
        _bench_import(args.rounds, args.only)
        return 0
    print(f"{'input':44} {'wall s':>7} {'cpu s':>6} {'exit':>4} {'bytes out':>9}  first finding")
    with tempfile.TemporaryDirectory() as tmp:
        for name, command in _cases(Path(tmp)):
            runs = [_run(command) for _ in range(args.rounds)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            _, _, _, code, size, first = runs[-1]
            print(f"{name:44} {wall:7.2f} {cpu:6.2f} {code:4} {size:9,}  {first[:90]}")
    peak: Callable[[], int] = lambda: resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # noqa: E731
    print(f"peak memory of any run: {peak() / 1024:.0f} MB\n")
    _bench_import(args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark ``qaimpact import`` against ``qaimpact validate`` on the same audits.

Generates N audits as benchmarks/bench_validate.py does (half ``cafcass-qiam-2017``, half
``ccc-practice-standards``, about 4.4 KB each), exports each framework's audits with ``qaimpact
export`` to a CSV file and an Excel workbook (with the mapping that imports them), then runs in
alternation, ROUNDS times each, every step as a separate process:

- ``validate``: ``qaimpact validate`` on the N audit files;
- ``import-csv``: ``qaimpact import`` of both CSV files into empty folders (N audits written);
- ``import-xlsx``: the same from the two workbooks.

It prints the median wall time of each and its ratio to ``validate``. The goal (issue 15) is an
import of N rows in at most twice the time ``validate`` takes on the same N audits. Usage::

    python benchmarks/bench_import.py --n 10000 [--rounds 3] [--dir DIR]

Benchmarks are not tests: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate import generate

FRAMEWORKS = ("cafcass-qiam-2017", "ccc-practice-standards")
TODAY = "2026-11-22"


def _qaimpact(*args: str) -> list[str]:
    return [sys.executable, "-m", "qaimpact", *args]


def _timed(cmd: list[str], ok: tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in ok:
        sys.exit(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of audits (default 10000)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each step (default 3)")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "qaimpact-bench-import")
    args = parser.parse_args(argv)
    audits = args.dir / f"audits-{args.n}"
    started = time.perf_counter()
    generate(audits, args.n, 0.0)
    sheets = args.dir / f"sheets-{args.n}"
    sheets.mkdir(parents=True, exist_ok=True)
    for framework in FRAMEWORKS:
        for suffix in (".csv", ".xlsx"):
            sheet = sheets / f"{framework}{suffix}"
            if not sheet.exists():
                mapping = sheets / f"{framework}{suffix.replace('.', '-')}.mapping.yaml"
                _timed(
                    _qaimpact(
                        "export", str(audits), "--standards", framework, "-o", str(sheet),
                        "--mapping", str(mapping), "--today", TODAY, "--force",
                    )
                )  # fmt: skip
    print(
        f"{args.n} audits in {audits}, exported to {sheets}, ready in {time.perf_counter() - started:.1f} s\n"
    )

    def run_import(suffix: str) -> float:
        total = 0.0
        for framework in FRAMEWORKS:
            out = args.dir / "imported" / framework
            shutil.rmtree(out, ignore_errors=True)
            sheet = sheets / f"{framework}{suffix}"
            mapping = sheets / f"{framework}{suffix.replace('.', '-')}.mapping.yaml"
            total += _timed(
                _qaimpact(
                    "import", str(sheet), "--mapping", str(mapping), "--audits", str(out), "--today", TODAY
                )
            )
        return total

    steps = {
        "validate": lambda: _timed(_qaimpact("validate", str(audits), "--today", TODAY)),
        "import-csv": lambda: run_import(".csv"),
        "import-xlsx": lambda: run_import(".xlsx"),
    }
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(args.rounds):
        for name, step in steps.items():
            times[name].append(step())
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'step':<14}{'median s':>10}{'ms/audit':>10}{'x validate':>12}")
    for name, median in medians.items():
        print(
            f"{name:<14}{median:>10.2f}{median / args.n * 1000:>10.3f}{median / medians['validate']:>12.2f}"
        )
    print("\n" + json.dumps({"n": args.n, "median_seconds": medians}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

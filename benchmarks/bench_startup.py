"""Benchmark qaimpact's start-up: ``qaimpact --help`` and ``qaimpact validate`` of one file.

Runs each command ROUNDS times as a new process, alternating between them, and prints the median
and the spread of the wall times. Then runs each once more under ``python -X importtime`` and
prints how many modules start-up imported, the time the ``qaimpact`` imports took, the slowest
top-level imports, and whether any module that must stay out of start-up (jinja2, openpyxl, a
web stack) was imported. Usage::

    python benchmarks/bench_startup.py [--rounds 20] [--file AUDIT.yaml]

Benchmarks are not tests: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Imported only by the commands that need them (reports, spreadsheets, a web form): never at
# start-up.
HEAVY = ("jinja2", "openpyxl", "starlette", "uvicorn", "fastapi")


def _command(args: list[str]) -> list[str]:
    # The console script is what users run; fall back to `python -m` where it is not installed.
    script = shutil.which("qaimpact", path=str(Path(sys.executable).parent))
    return [script, *args] if script else [sys.executable, "-m", "qaimpact", *args]


def _wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _importtime(args: list[str]) -> tuple[int, float, list[tuple[float, str]], list[str]]:
    """Modules imported, qaimpact's cumulative import seconds, slowest top-level imports, heavy ones."""
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "qaimpact", *args], capture_output=True, text=True, env=env, check=False
    )
    modules: list[str] = []
    top: list[tuple[float, str]] = []
    own = 0.0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, _, rest = line.partition(":")
        _self, cumulative, name = (part.strip() for part in rest.split("|", 2))
        raw = rest.split("|", 2)[2]
        modules.append(name)
        depth = (len(raw) - len(raw.lstrip(" "))) // 2
        if depth == 0:
            top.append((int(cumulative) / 1e6, name))
            if name.split(".")[0] == "qaimpact":
                own += int(cumulative) / 1e6
    heavy = sorted({m for m in modules if m.split(".")[0] in HEAVY})
    return len(modules), own, sorted(top, reverse=True)[:6], heavy


def main(argv: list[str] | None = None) -> int:
    """Time the start-up commands and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=20, help="runs of each command (default 20)")
    parser.add_argument(
        "--file", type=Path, default=ROOT / "examples" / "ccc-cfa-2026-0311.yaml", help="audit to validate"
    )
    args = parser.parse_args(argv)
    runs = {"--help": ["--help"], "validate one file": ["validate", str(args.file)]}

    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for argv_ in runs.values():  # warm the file cache and the bytecode
        _wall(_command(argv_))
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, argv_ in runs.items():
            times[name].append(_wall(_command(argv_)))

    print(f"\n{'command':<20} {'median':>8} {'min':>8} {'max':>8}   ({args.rounds} runs)")
    for name, values in times.items():
        print(f"{name:<20} {statistics.median(values):>7.3f}s {min(values):>7.3f}s {max(values):>7.3f}s")
    for name, argv_ in runs.items():
        count, own, top, heavy = _importtime(argv_)
        print(f"\n{name}: {count} modules imported, qaimpact's own imports {own:.3f} s cumulative")
        for seconds, module in top:
            print(f"  {seconds:7.3f} s  {module}")
        print(f"  must stay out of start-up ({', '.join(HEAVY)}): {', '.join(heavy) or 'none imported'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark qaimpact's start-up: ``qaimpact --help`` and ``qaimpact validate`` of one file.

Runs each command ROUNDS times as a new process, alternating between them, and prints the median
and the spread of the wall times. Processes run as an installed qaimpact does, with bytecode
caches (a first, untimed run writes them). Then runs each once more under ``python -X
importtime`` and prints how many modules start-up imported, the time the ``qaimpact`` imports
took, the slowest top-level imports, and whether any module that must stay out of start-up
(jinja2, openpyxl, a web stack) was imported. With ``--against SRC`` (the ``src`` folder of
another checkout, such as ``git archive`` of an earlier commit), every run alternates between
this tree and that one, so both see the same load on the machine. Usage::

    python benchmarks/bench_startup.py [--rounds 20] [--file AUDIT.yaml] [--against SRC]

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


def _env(src: Path | None) -> dict[str, str]:
    # As an installed qaimpact starts: with bytecode caches (the warm-up run writes them), which
    # PYTHONDONTWRITEBYTECODE in the caller's environment would turn off.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # PYTHONPATH comes before the installed (editable) qaimpact on sys.path.
    return {**env, "PYTHONPATH": str(src)} if src else env


def _wall(cmd: list[str], src: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(src), check=False)
    return time.perf_counter() - start


def _importtime(
    args: list[str], src: Path | None = None
) -> tuple[int, float, list[tuple[float, str]], list[str]]:
    """Modules imported, qaimpact's cumulative import seconds, slowest top-level imports, heavy ones."""
    env = {**_env(src), "PYTHONPROFILEIMPORTTIME": "1"}
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
    parser.add_argument(
        "--against", type=Path, help="the src folder of another checkout, timed alternately with this one"
    )
    args = parser.parse_args(argv)
    commands = {"--help": ["--help"], "validate one file": ["validate", str(args.file)]}
    trees: dict[str, Path | None] = {"this tree": None}
    if args.against:
        trees[str(args.against)] = args.against.resolve()
    runs = {(c, t): (argv_, src) for c, argv_ in commands.items() for t, src in trees.items()}

    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for argv_, src in runs.values():  # warm the file cache and the bytecode
        _wall(_command(argv_), src)
    times: dict[tuple[str, str], list[float]] = {key: [] for key in runs}
    for _ in range(args.rounds):
        for key, (argv_, src) in runs.items():
            times[key].append(_wall(_command(argv_), src))

    print(f"\n{'command':<20} {'tree':<24} {'median':>8} {'min':>8} {'max':>8}   ({args.rounds} runs)")
    for (name, tree), values in times.items():
        print(
            f"{name:<20} {tree[-24:]:<24} {statistics.median(values):>7.3f}s {min(values):>7.3f}s "
            f"{max(values):>7.3f}s"
        )
    for (name, tree), (argv_, src) in runs.items():
        count, own, top, heavy = _importtime(argv_, src)
        print(f"\n{name} ({tree}): {count} modules imported, qaimpact's own imports {own:.3f} s cumulative")
        for seconds, module in top:
            print(f"  {seconds:7.3f} s  {module}")
        print(f"  must stay out of start-up ({', '.join(HEAVY)}): {', '.join(heavy) or 'none imported'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How far the reading alone is from issue 17's target, apart from start-up and each report.

``bench_cycle.py`` times whole commands. This script times, on the same repository (``--copies``
copies of ``examples/service``, built as ``bench_cycle.py`` builds them), in alternation within
each round:

- **floor**: one process loading every file with PyYAML's libyaml ``CSafeLoader`` (``b``);
- **floor split**: the same work shared by one forked process per core, each loading every
  N-th file: how much the machine's cores give libyaml, with nothing of qaimpact in the way;
- **reading, one job** and **reading**: ``audits/batch.map_files`` with a report's task
  (``audits/dataset._read_one``: read, load, check, grade, plain data), in one process and with
  the default jobs, as every report reads before it does anything else.

Each runs as a new process (imports and the frameworks before the clock starts, for the
readings). Medians of ``--rounds``, the ratio to the floor of the same round, and the CPU seconds
of the process and its workers. What the commands add on one core (start-up before the workers are
forked, the report after the last file) is the difference between ``bench_cycle.py``'s figures and
these. A benchmark, not a test: no test asserts a time::

    python benchmarks/bench_reading.py [--copies 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_cycle import build

_FLOOR = """
import json, os, resource, sys, time, yaml
from pathlib import Path
files = sorted(Path(sys.argv[1]).rglob("copy*/*.yaml"))
jobs = int(sys.argv[2])
def load(part):
    for path in part:
        with open(path, "rb") as f:
            yaml.load(f, Loader=yaml.CSafeLoader)
start = time.perf_counter()
if jobs == 1:
    load(files)
else:
    children = []
    for n in range(jobs):
        pid = os.fork()
        if pid == 0:
            load(files[n::jobs])
            os._exit(0)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)
wall = time.perf_counter() - start
used = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
print(json.dumps({"wall": wall, "cpu": sum(u.ru_utime + u.ru_stime for u in used)}))
"""

_READING = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
from qaimpact.audits.batch import BatchOptions, map_files
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import _read_one
from qaimpact.base.loader import paused_gc
from qaimpact.frameworks.registry import Registry
files = sorted(Path(sys.argv[1]).rglob("copy*/*.yaml"))
registry = Registry.default()
registry.frameworks()
# The options load_dataset reads with.
options = CheckOptions(dt.date(2026, 11, 22), keep_data=True, with_ahead=True)
def cpu():
    used = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in used)
before, start = cpu(), time.perf_counter()
with paused_gc():
    read = list(map_files(files, registry, BatchOptions(options, int(sys.argv[2])), _read_one))
wall = time.perf_counter() - start
assert len(read) == len(files)
print(json.dumps({"wall": wall, "cpu": cpu() - before}))
"""

RUNS = {
    "floor": (_FLOOR, "1"),
    "floor split": (_FLOOR, "0"),
    "reading, one job": (_READING, "1"),
    "reading": (_READING, "0"),
}


def _run(script: str, audits: Path, jobs: str) -> dict[str, float]:
    if jobs == "0":
        from qaimpact.audits.batch import default_jobs

        jobs = str(default_jobs())
    done = subprocess.run(
        [sys.executable, "-c", script, str(audits), jobs], check=True, capture_output=True, text=True
    )
    figures: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        audits = Path(tmp)
        count = build(audits, args.copies)
        print(f"{count} audits ({args.copies} copies of examples/service), {args.rounds} rounds")
        walls: dict[str, list[float]] = {name: [] for name in RUNS}
        cpus: dict[str, list[float]] = {name: [] for name in RUNS}
        ratios: dict[str, list[float]] = {name: [] for name in RUNS}
        for _ in range(args.rounds):
            floor = 0.0
            for name, (script, jobs) in RUNS.items():
                figures = _run(script, audits, jobs)
                floor = floor or figures["wall"]
                walls[name].append(figures["wall"])
                cpus[name].append(figures["cpu"])
                ratios[name].append(figures["wall"] / floor)
        print(f"{'run':<20} {'median s':>9} {'x b':>6} {'CPU s':>7}  each round (s)")
        for name in RUNS:
            print(
                f"{name:<20} {statistics.median(walls[name]):>9.2f} {statistics.median(ratios[name]):>6.2f} "
                f"{statistics.median(cpus[name]):>7.2f}  {', '.join(f'{w:.2f}' for w in walls[name])}"
            )
        print("x b: the median of each round's ratio to that round's floor")


if __name__ == "__main__":
    main()

"""Where a report's time goes: before its workers start, reading the audits, and after the last one.

Each command of ``bench_cycle.py`` runs as a user runs it, over the same repository (``--copies``
copies of ``examples/service``), with ``map_items`` of ``audits/batch.py`` wrapped to note the
moment the reading starts (the workers are forked then) and the moment the last file's result
comes back. From outside the process, each run is cut into three phases:

- **start-up to the fork**: imports, the options, the frameworks, the list of files, on one core;
- **the reading**: every file read and checked, the workers and the command's own process
  together;
- **the last file to the process's end**: settling the dataset, the report, its output and the
  exit, on one core again.

Section 6 of issue 17 (docs/performance.md) asks for the whole at most 0.7x the libyaml floor on
two cores; the first and last phases are what the second core cannot help with. With
``--against SRC`` (the ``src`` folder of another checkout) each run alternates with that tree's.
One untimed run of each writes the bytecode caches first. A benchmark, not a test::

    python benchmarks/bench_phases.py [--copies 100] [--rounds 5] [--commands escalations,summary]
                                      [--against SRC]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cycle import COMMANDS, TODAY, _env, build  # a sibling script, not a package

#: Runs qaimpact's console script with ``map_items`` wrapped; writes the two moments (epoch
#: seconds) to the file named first on its command line.
_WRAPPER = """
import json, sys, time
marks_file = sys.argv.pop(1)
from qaimpact.audits import batch
inner = batch.map_items
def timed(*args, **kwargs):
    marks = {"fork": time.time()}
    yield from inner(*args, **kwargs)
    marks["last"] = time.time()
    with open(marks_file, "w") as out:
        json.dump(marks, out)
batch.map_items = timed
from qaimpact.cli import main
sys.argv[0] = "qaimpact"
main()
"""

PHASES = ("start-up to the fork", "the reading", "the last file to the end", "whole run")


def run(args: list[str], audits: Path, marks: Path, src: Path | None) -> tuple[float, ...]:
    """One run: the seconds of each of :data:`PHASES`."""
    args = [a.format(audits=audits) for a in args] + ["--audits", str(audits), "--today", TODAY, "-f", "json"]
    start = time.time()
    subprocess.run(
        [sys.executable, "-c", _WRAPPER, str(marks), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(src),
        check=False,
    )
    end = time.time()
    noted = json.loads(marks.read_text())
    return noted["fork"] - start, noted["last"] - noted["fork"], end - noted["last"], end - start


def main() -> None:
    """Build the repository, time each command's phases ``--rounds`` times, print medians and minima."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100, help="copies of examples/service (96 audits each)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--commands", default="escalations,summary", help="comma-separated: " + ", ".join(COMMANDS)
    )
    parser.add_argument("--against", type=Path, help="the src folder of another checkout, run alternately")
    options = parser.parse_args()
    trees: dict[str, Path | None] = {"this tree": None}
    if options.against:
        trees["against"] = options.against.resolve()
    names = options.commands.split(",")
    with tempfile.TemporaryDirectory() as folder:
        audits = Path(folder) / "audits"
        audits.mkdir()
        marks = Path(folder) / "marks.json"
        count = build(audits, options.copies)
        print(f"{count} audits, {options.rounds} rounds, load {os.getloadavg()[0]:.2f}")
        times: dict[tuple[str, str], list[tuple[float, ...]]] = {(n, t): [] for n in names for t in trees}
        for round_number in range(options.rounds + 1):
            for name in names:
                for tree, src in trees.items():
                    timed = run(COMMANDS[name], audits, marks, src)
                    if round_number:  # the first round writes the bytecode caches
                        times[name, tree].append(timed)
        print(f"load after: {os.getloadavg()[0]:.2f}; seconds, median (min) of {options.rounds} runs")
        print(f"{'command':<14}{'tree':<11}" + "".join(f"{p:>28}" for p in PHASES))
        for (name, tree), rows in times.items():
            cells = [f"{statistics.median(c):.2f} ({min(c):.2f})" for c in zip(*rows, strict=True)]
            print(f"{name:<14}{tree:<11}" + "".join(f"{c:>28}" for c in cells))


if __name__ == "__main__":
    main()

"""Time the quality assurance cycle's commands on a large repository of audits.

The repository is ``--copies`` copies of ``examples/service`` (96 audits each), every audit id,
re-audit link and case number given the copy's suffix, so each copy is a separate service with
the same escalations, actions, re-audits, moderations and (for ``programme``) plans. Each
command runs as a user runs it (a new process, JSON to /dev/null, the default jobs: one per
core); the figures are wall-clock
medians, each process's peak memory, and the ratio to the floor ``b``: one Python process
loading every file with PyYAML's libyaml ``CSafeLoader``, as in bench_validate.py.

    python benchmarks/bench_cycle.py [--copies 100] [--rounds 3] [--commands summary,impact]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICE = ROOT / "examples" / "service"
IDS = re.compile(r"\b((?:QA|CFA)-20\d\d-\d{4}|ECMS-\d+|LCS-\d+)\b")
TODAY = "2026-11-22"
#: Where build() writes each round's plan for ``programme``: every copy's rows in one plan.
PLANS = "_plans"
COMMANDS = {
    "escalations": ["escalations"],
    "actions": ["actions"],
    "impact": ["impact"],
    "moderation": ["moderation"],
    "summary": ["summary"],
    "sample": [
        "sample",
        "--cases",
        str(SERVICE / "cases.csv"),
        "--auditors",
        str(SERVICE / "auditors.csv"),
        "--seed",
        "1",
    ],
    # The plans are under the repository built: {audits} is filled in when it is.
    "programme": [
        "programme",
        *(f"{{audits}}/{PLANS}/{name}" for name in ("2026-07.csv", "2026-08.csv", "2026-09.csv")),
    ],
}


def build(target: Path, copies: int) -> int:
    """Write the copies, and the copies' plans (``PLANS``); return the number of audit files."""
    sources = sorted(SERVICE.glob("*/*.yaml"))
    plans = sorted((SERVICE / "plans").glob("*.csv"))
    (target / PLANS).mkdir()
    for plan in plans:
        header, *rows = plan.read_text().splitlines()
        lines = [header] + [
            IDS.sub(lambda m, n=n: f"{m.group(1)}-{n:04d}", r) for n in range(copies) for r in rows
        ]
        (target / PLANS / plan.name).write_text("\n".join(lines) + "\n")
    for n in range(copies):
        folder = target / f"copy{n:04d}"
        folder.mkdir()
        for path in sources:
            text = IDS.sub(lambda m, n=n: f"{m.group(1)}-{n:04d}", path.read_text())
            (folder / f"{path.stem}-{n:04d}.yaml").write_text(text)
    return copies * len(sources)


# Runs qaimpact and, as it exits, reports its own peak memory (KiB on Linux) on the last line.
_WRAPPER = (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr))\n"
    "from qaimpact.cli import main\n"
    "sys.argv[0] = 'qaimpact'\n"
    "main()\n"
)


_FLOOR = """
import pathlib, sys, yaml
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
    with open(path, "rb") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
"""


def floor(audits: Path) -> float:
    """Seconds for one process to load every file with libyaml, and nothing else."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _FLOOR, str(audits)], check=True)
    return time.perf_counter() - start


def run(args: list[str], audits: Path) -> tuple[float, float]:
    """One run as a new process: seconds, and its peak memory in MiB."""
    args = [a.format(audits=audits) for a in args]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *args, "--audits", str(audits), "--today", TODAY, "-f", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"qaimpact {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return elapsed, int(done.stderr.split()[-1]) / 1024


def main() -> None:
    """Build the repository, run each command ``--rounds`` times, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100, help="copies of examples/service (96 audits each)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--commands", default=",".join(COMMANDS), help="comma-separated, of: " + ", ".join(COMMANDS)
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        audits = Path(folder)
        files = build(audits, options.copies)
        print(f"{files} audits ({options.copies} copies of examples/service), {options.rounds} rounds")
        b = statistics.median(floor(audits) for _ in range(options.rounds))
        print(f"floor b (libyaml CSafeLoader, one process): {b:.2f} s")
        print(f"{'command':<12} {'median s':>9} {'ms/audit':>9} {'x b':>6} {'peak MiB':>9}")
        for name in options.commands.split(","):
            times, peak = [], 0.0
            for _ in range(options.rounds):
                elapsed, memory = run(COMMANDS[name], audits)
                times.append(elapsed)
                peak = max(peak, memory)
            middle = statistics.median(times)
            print(f"{name:<12} {middle:>9.2f} {1000 * middle / files:>9.2f} {middle / b:>6.2f} {peak:>9.0f}")


if __name__ == "__main__":
    main()

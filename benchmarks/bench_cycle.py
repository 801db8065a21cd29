"""Time the quality assurance cycle's commands on a large repository of audits.

The commands: ``escalations``, ``actions``, ``impact``, ``moderation``, ``summary``, ``sample``,
``quarterly`` (of 2026-Q3, the copies' last full quarter) and ``programme``.

The repository is ``--copies`` copies of ``examples/service`` (96 audits each), every audit id,
re-audit link and case number given the copy's suffix, so each copy is a separate service with
the same escalations, actions, re-audits, moderations and (for ``programme``) plans. Each
command runs as a user runs it (a new process, with bytecode caches as an installed qaimpact
has them, JSON to /dev/null, the default jobs: one per core; a first, untimed run of each
writes the caches); the figures are wall-clock
medians, each process's peak memory, and the ratio to the floor ``b``: one Python process
loading every file with PyYAML's libyaml ``CSafeLoader``, as in bench_validate.py.

Every round times the floor and then each command, so all of them see the same load on the
machine; with ``--against SRC`` (the ``src`` folder of another checkout, such as ``git archive``
of an earlier commit) each command also runs from that tree, right after this one. The load
averages (``uptime``) are printed before and after: figures taken while other work keeps the
cores busy say nothing about a quiet machine.

    python benchmarks/bench_cycle.py [--copies 100] [--rounds 3] [--commands summary,impact] [--against SRC]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
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
    # The Head of Service's report of the service's last full quarter (issue 17, section 1).
    "quarterly": ["quarterly", "--quarter", "2026-Q3"],
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


# Runs qaimpact as its console script does (which ends the process without tearing it down).
_WRAPPER = "import sys\nfrom qaimpact.cli import main\nsys.argv[0] = 'qaimpact'\nmain()\n"


_FLOOR = """
import pathlib, sys, yaml
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
    with open(path, "rb") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
"""


def _cpu() -> float:
    # The CPU time of every process waited for so far: a command's workers are counted too, as
    # the command waits for them before it exits.
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def floor(audits: Path) -> tuple[float, float]:
    """Seconds for one process to load every file with libyaml, and nothing else; and its CPU
    seconds."""
    cpu, start = _cpu(), time.perf_counter()
    subprocess.run([sys.executable, "-c", _FLOOR, str(audits)], check=True)
    return time.perf_counter() - start, _cpu() - cpu


def _env(src: Path | None) -> dict[str, str]:
    """The environment a command runs in: as an installed qaimpact runs, with bytecode caches
    (the warm-up run writes them), which PYTHONDONTWRITEBYTECODE in the caller's environment
    would turn off, so that every run compiled the modules it imports again (0.2 s to 0.3 s of CPU);
    and with
    ``src`` (another checkout's) ahead of the installed, editable qaimpact on sys.path."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if src:
        env["PYTHONPATH"] = str(src)
    return env


def run(args: list[str], audits: Path, src: Path | None = None) -> tuple[float, float, float]:
    """One run as a new process (of the qaimpact in ``src``, else the installed one): seconds,
    its peak memory in MiB (the largest of it and its workers, as ``wait4`` reports it), and the
    CPU seconds it and its workers used."""
    args = [a.format(audits=audits) for a in args]
    cpu, start = _cpu(), time.perf_counter()
    # Standard error goes to a file: a pipe nobody reads until the end could fill and stall it.
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRAPPER, *args, "--audits", str(audits), "--today", TODAY, "-f", "json"],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=_env(src),
        )
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            errors.seek(0)
            raise SystemExit(f"qaimpact {' '.join(args)} exited {code}:\n{errors.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024, _cpu() - cpu


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load averages {one:.2f}, {five:.2f}, {fifteen:.2f} (1, 5, 15 min)"


def main() -> None:
    """Build the repository, run the floor and each command ``--rounds`` times, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100, help="copies of examples/service (96 audits each)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--commands", default=",".join(COMMANDS), help="comma-separated, of: " + ", ".join(COMMANDS)
    )
    parser.add_argument(
        "--against", type=Path, help="the src folder of another checkout, timed alternately with this one"
    )
    options = parser.parse_args()
    names = options.commands.split(",")
    trees: dict[str, Path | None] = {"": None}
    if options.against:
        trees[" (against)"] = options.against.resolve()
    with tempfile.TemporaryDirectory() as folder:
        audits = Path(folder)
        files = build(audits, options.copies)
        print(f"{files} audits ({options.copies} copies of examples/service), {options.rounds} rounds")
        print(f"before: {_load()}")
        floors: list[float] = []
        floor_cpu: list[float] = []
        times: dict[tuple[str, str], list[float]] = {(n, t): [] for n in names for t in trees}
        cpus: dict[tuple[str, str], list[float]] = {key: [] for key in times}
        peaks: dict[tuple[str, str], float] = dict.fromkeys(times, 0.0)
        for name in names:  # warm-up, not timed: writes the bytecode caches, fills the file cache
            for src in trees.values():
                run(COMMANDS[name], audits, src)
        for _ in range(options.rounds):
            elapsed, cpu = floor(audits)
            floors.append(elapsed)
            floor_cpu.append(cpu)
            for name in names:
                for tree, src in trees.items():
                    elapsed, memory, cpu = run(COMMANDS[name], audits, src)
                    times[name, tree].append(elapsed)
                    cpus[name, tree].append(cpu)
                    peaks[name, tree] = max(peaks[name, tree], memory)
        print(f"after: {_load()}")
        b = statistics.median(floors)
        print(
            f"floor b (libyaml CSafeLoader, one process): {b:.2f} s, {statistics.median(floor_cpu):.2f} s CPU"
            f" (rounds: {_seconds(floors)})"
        )
        # CPU s: the command's and its workers' CPU time, which the machine's load changes far
        # less than the wall-clock time.
        header = f"{'command':<24} {'median s':>9} {'ms/audit':>9} {'x b':>6} {'CPU s':>6} {'peak MiB':>9}"
        print(f"{header}  each round")
        for (name, tree), measured in times.items():
            middle = statistics.median(measured)
            print(
                f"{name + tree:<24} {middle:>9.2f} {1000 * middle / files:>9.2f} {middle / b:>6.2f}"
                f" {statistics.median(cpus[name, tree]):>6.2f} {peaks[name, tree]:>9.0f}"
                f"  {_seconds(measured)}"
            )


def _seconds(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()

"""Time the hostile inputs of issue 12 (section 1): each must end in under a second with a finding.

The inputs are the ones the tests use (``tests/hostile.py``): an alias fan-out of one long text,
50,000 unknown keys, the lift search over 120 and 250 standards, and numbers of 3,600 digits. Each
runs ROUNDS times as its own process (``qaimpact validate`` or ``grade``), and the script prints
the median wall time, the median CPU time (user + system: less sensitive to a busy machine), the
peak memory, the exit code, the bytes printed and the first finding. Usage::

    python benchmarks/bench_hostile.py [--rounds 5]

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    print(f"{'input':44} {'wall s':>7} {'cpu s':>6} {'exit':>4} {'bytes out':>9}  first finding")
    with tempfile.TemporaryDirectory() as tmp:
        for name, command in _cases(Path(tmp)):
            runs = [_run(command) for _ in range(args.rounds)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            _, _, _, code, size, first = runs[-1]
            print(f"{name:44} {wall:7.2f} {cpu:6.2f} {code:4} {size:9,}  {first[:90]}")
    peak: Callable[[], int] = lambda: resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # noqa: E731
    print(f"peak memory of any run: {peak() / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

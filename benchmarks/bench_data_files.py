"""Measure every input under tests/data/: none may take a second (issue 12).

Each file is read the way qaimpact reads it: a standards file with ``standards check``'s
``check_file``, a kept fuzz case with its target's property (``tests/fuzzing.py``), a CSV list of
cases or auditors with ``sample``'s reader, and every other YAML file as an audit, checked and
graded with the lift search (as ``qaimpact grade`` does) against the bundled frameworks and the
test frameworks. Each is timed ROUNDS times in this process (the median CPU time is kept; start-up
is not counted, ``bench_startup.py`` measures it). The script prints the slowest files and the
count over the limit, and exits 1 if any file takes a second or more. Usage::

    python benchmarks/bench_data_files.py [--rounds 3] [--top 10] [--limit 1.0]

It is a check run by hand or in CI, not a test: tests never assert a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
sys.path.insert(0, str(ROOT / "tests"))

import fuzzing  # noqa: E402  (the properties the kept fuzz cases are replayed with)


def _reader(path: Path) -> Callable[[], object]:
    from qaimpact.audits.checker import CheckOptions, check_audit
    from qaimpact.cycle.sampling.lists import read_auditors, read_cases
    from qaimpact.frameworks.check import check_file
    from qaimpact.frameworks.registry import Registry, bundled_dir

    relative = path.relative_to(DATA)
    if relative.parts[0] == "fuzz":
        target = fuzzing.TARGETS[relative.parts[1]]
        value = target.load(path)
        return lambda: target.check(value)
    if relative.parts[:2] in (("standards", "valid"), ("standards", "invalid"), ("standards", "versions")):
        return lambda: check_file(path)
    if path.suffix == ".csv":
        frameworks = ["cafcass-qiam-2017", "ccc-practice-standards"]
        reader = read_auditors if "auditors" in path.name else read_cases
        return lambda: _quietly(lambda: reader(path, frameworks))
    registry = _registries.setdefault(
        "all", Registry([DATA / "standards" / "valid", DATA / "standards" / "versions", bundled_dir()])
    )
    options = CheckOptions(today=fuzzing.TODAY, with_lift=True, keep_data=True)
    return lambda: check_audit(path, registry, options)


_registries: dict[str, object] = {}


def _quietly(call: Callable[[], object]) -> object:
    from qaimpact.base.errors import QaImpactError

    try:
        return call()
    except QaImpactError as exc:  # a file of problems on purpose: refusing it is reading it
        return exc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--limit", type=float, default=1.0, help="Seconds no file may reach.")
    args = parser.parse_args(argv)
    files = sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".csv"))
    timings = []
    for path in files:
        read = _reader(path)
        read()  # once to warm caches (the frameworks' models are built once per process)
        rounds = []
        for _ in range(args.rounds):
            started = time.process_time()
            read()
            rounds.append(time.process_time() - started)
        timings.append((statistics.median(rounds), path))
    timings.sort(reverse=True)
    total = sum(t for t, _ in timings)
    print(
        f"{len(files)} files under tests/data, {total:.2f} s of CPU in all (median of {args.rounds} rounds)"
    )
    print(f"slowest {args.top}:")
    for seconds, path in timings[: args.top]:
        print(f"  {seconds * 1000:8.1f} ms  {path.relative_to(DATA)}")
    over = [(t, p) for t, p in timings if t >= args.limit]
    print(f"{len(over)} file(s) take {args.limit:g} s or more")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())

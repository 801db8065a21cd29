"""The long fuzz run: every target of ``tests/fuzzing.py`` for as long as it is given.

Each target gets an equal share of the time. Inputs are mutations of the example audits and
standards files, made by seeded ``random.Random`` instances (input N of a run with seed S is
always the same). When a property breaks, the input is minimised (lines, then characters, removed
while the same failure remains), saved under ``tests/data/fuzz/TARGET/`` with a note of the
failure, and the run goes on; ``tests/test_fuzz.py`` replays every saved input on every test run,
so a fix is kept. Usage::

    python benchmarks/fuzz.py --minutes 20 [--targets loader,checker] [--seed 1] [--save DIR]

It prints, per target, the inputs tried, how many the loader accepted, and each distinct failure
(by exception and the line that raised it). Record the figures in docs/fuzzing.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import fuzzing  # noqa: E402  (the harness the tests use)


def _signature(exc: BaseException) -> str:
    """What a failure is, for telling failures apart: the exception and where it was raised."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if "qaimpact" in f.filename or "fuzzing" in f.filename] or frames
    where = f"{Path(own[-1].filename).name}:{own[-1].lineno}" if own else "?"
    first = str(exc).splitlines()[0][:100] if str(exc) else ""
    return f"{type(exc).__name__} at {where}: {first}"


def _fails_alike(target: fuzzing.Target, signature: str) -> object:
    def fails(value: object) -> bool:
        try:
            target.check(value)
        except Exception as exc:
            return _signature(exc) == signature
        return False

    return fails


def _accepted(target: fuzzing.Target, value: object) -> bool:
    from qaimpact.base.loader import LoadError, load_bytes

    data = value if isinstance(value, bytes) else str(value).encode("utf-8")
    try:
        load_bytes(data, "fuzz.yaml")
    except LoadError:
        return False
    return True


def run_target(
    target: fuzzing.Target, seconds: float, seed: int, save: Path
) -> tuple[int, int, Counter[str]]:
    """Fuzz one target for ``seconds``; returns the inputs tried, those read, and the failures."""
    started = time.monotonic()
    tried = accepted = 0
    failures: Counter[str] = Counter()
    while time.monotonic() - started < seconds:
        rng = random.Random(seed * 1_000_003 + tried)
        value = target.generate(rng)
        tried += 1
        if tried % 10 == 0:
            accepted += 10 * _accepted(target, value)
        try:
            target.check(value)
        except Exception as exc:
            signature = _signature(exc)
            failures[signature] += 1
            if failures[signature] == 1:
                small = fuzzing.minimise(target, value, _fails_alike(target, signature))  # type: ignore[arg-type]
                path = target.save(
                    small, save / target.name, f"{signature}\nfound with seed {seed}, input {tried}"
                )
                print(f"  {target.name}: {signature}\n    kept as {path.relative_to(ROOT)}", flush=True)
    return tried, accepted, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=20.0, help="Total time, shared by the targets.")
    parser.add_argument("--targets", default=",".join(fuzzing.TARGETS), help="Comma-separated target names.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--save", type=Path, default=fuzzing.FUZZ, help="Where failing inputs are kept.")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.targets.split(",") if n.strip()]
    unknown = [n for n in names if n not in fuzzing.TARGETS]
    if unknown:
        parser.error(f"unknown targets: {', '.join(unknown)} (known: {', '.join(fuzzing.TARGETS)})")
    share = args.minutes * 60 / len(names)
    print(f"fuzzing {', '.join(names)} for {args.minutes:g} minutes ({share:.0f} s each), seed {args.seed}")
    rows = []
    total = 0
    for name in names:
        tried, accepted, failures = run_target(fuzzing.TARGETS[name], share, args.seed, args.save)
        total += tried
        rows.append((name, tried, accepted, failures))
    print(f"\n{'target':10} {'inputs':>9} {'read (1 in 10 sampled)':>23} {'failures':>9} distinct")
    for name, tried, accepted, failures in rows:
        print(f"{name:10} {tried:9,} {accepted:>22,}~ {sum(failures.values()):9,} {len(failures)}")
        for signature, count in failures.most_common():
            print(f"    {count:6,} x {signature}")
    print(f"total inputs: {total:,}")
    return 1 if any(failures for *_, failures in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())

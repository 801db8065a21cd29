"""What reading and checking one audit costs, phase by phase, in CPU instructions.

Wall-clock and CPU seconds on the shared 2-core development machine move by a third from minute
to minute; the number of instructions a phase executes does not. This script builds a fixed
sample (every YAML file under ``examples/`` and ``examples/service``, each read ``--passes``
times) and runs one phase over it:

- ``load``: :func:`~qaimpact.base.loader.load_bytes` of each file's bytes;
- ``check``: :func:`~qaimpact.audits.checker.check_document` of each file, already loaded
  (a fresh :class:`~qaimpact.base.loader.Document` for every pass);
- ``read``: a report worker's whole task, ``audits/dataset._read_one`` (file read, load, check,
  plain data);
- ``none``: the set-up only (imports, frameworks and their models, the files' bytes and the
  documents the ``check`` phase uses, one warm-up pass of every phase).

Every phase does the same set-up, so a phase's own instructions are its run's less the ``none``
run's. ``--valgrind`` runs each phase as its own process under ``valgrind --tool=cachegrind
--cache-sim=no`` (with ``PYTHONHASHSEED=0``) and prints instructions per file; without it, one
process times each phase with ``time.process_time`` (best of ``--rounds``), which is only a
rough guide on a busy machine. Usage::

    python benchmarks/bench_check_cost.py --valgrind [--passes 3]
    python benchmarks/bench_check_cost.py --phase check --passes 3   # one phase, e.g. under callgrind
    python benchmarks/bench_check_cost.py                            # CPU seconds, in one process

A benchmark, not a test: no test asserts a time or a count.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TODAY = dt.date(2026, 11, 22)
PHASES = ("load", "check", "read")


def sample() -> list[Path]:
    """Every YAML file of the examples, in a stable order (import mappings and narratives left out)."""
    found = sorted(EXAMPLES.glob("*.yaml")) + sorted((EXAMPLES / "service").rglob("*.yaml"))
    return [p for p in found if not p.name.endswith((".mapping.yaml", ".narrative.yaml"))]


def prepare(passes: int) -> dict[str, Callable[[], int]]:
    """Set everything up and return each phase as a function that runs it (returning the files)."""
    from qaimpact.audits.checker import CheckOptions, check_document
    from qaimpact.audits.dataset import _read_one
    from qaimpact.base.loader import Document, LoadError, load_bytes
    from qaimpact.frameworks.registry import Registry
    from qaimpact.models.audit import audit_model

    registry = Registry.default()
    for framework in registry.frameworks():
        audit_model(framework)
    options = CheckOptions(today=TODAY, keep_data=True)
    files = sample()
    raws = [(p.read_bytes(), str(p)) for p in files]

    def loaded() -> list[Document]:
        docs = []
        for raw, name in raws:
            with contextlib.suppress(LoadError):
                docs.append(load_bytes(raw, name))
        return docs

    # One document per file and pass, made now: a document keeps what locating a value found.
    docs = [loaded() for _ in range(passes)]

    def load() -> int:
        for _ in range(passes):
            for raw, name in raws:
                with contextlib.suppress(LoadError):
                    load_bytes(raw, name)
        return passes * len(raws)

    def check() -> int:
        for batch in docs:
            for doc in batch:
                check_document(doc, registry, options)
        return sum(map(len, docs))

    def read() -> int:
        for _ in range(passes):
            for path in files:
                _read_one(registry, options, path)
        return passes * len(files)

    # Warm up: whatever is built on first use (engines, compiled patterns) is built now.
    for doc in loaded():
        check_document(doc, registry, options)
    for path in files:
        _read_one(registry, options, path)
    return {"load": load, "check": check, "read": read}


def run_phase(phase: str, passes: int) -> None:
    phases = prepare(passes)
    if phase != "none":
        phases[phase]()


def cachegrind(phase: str, passes: int) -> int:
    """The instructions one process running ``phase`` executes, counted by cachegrind."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cachegrind.out"
        env = {"PYTHONPATH": str(ROOT / "src"), **os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(
            [
                "valgrind",
                "--tool=cachegrind",
                "--cache-sim=no",
                f"--cachegrind-out-file={out}",
                sys.executable,
                __file__,
                "--phase",
                phase,
                "--passes",
                str(passes),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--phase", choices=(*PHASES, "none"), help="run one phase (for valgrind)")
    parser.add_argument("--passes", type=int, default=3, help="times each file is read (default 3)")
    parser.add_argument("--rounds", type=int, default=5, help="timings: rounds per phase (default 5)")
    parser.add_argument("--valgrind", action="store_true", help="count instructions with cachegrind")
    parser.add_argument(
        "--phases", default=",".join(PHASES), help="the phases to measure, comma-separated (default: all)"
    )
    args = parser.parse_args()
    if args.phase:
        run_phase(args.phase, args.passes)
        return
    files = len(sample())
    if args.valgrind:
        # One run first, uncounted, writes the bytecode caches: a tree whose caches are cold
        # would compile every module in the set-up run alone, and its phases count negative.
        env = {"PYTHONPATH": str(ROOT / "src"), **os.environ}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, __file__, "--phase", "none", "--passes", "1"], env=env, check=True)
        base = cachegrind("none", args.passes)
        print(f"{files} files x {args.passes} passes; set-up: {base:,} instructions")
        for phase in args.phases.split(","):
            total = cachegrind(phase, args.passes)
            print(f"{phase:6} {(total - base) / (files * args.passes):>12,.0f} instructions per file")
        return
    phases = prepare(args.passes)
    for phase in args.phases.split(","):
        best = float("inf")
        count = 0
        for _ in range(args.rounds):
            start = time.process_time()
            count = phases[phase]()
            best = min(best, time.process_time() - start)
        print(f"{phase:6} {best / count * 1000:8.3f} ms of CPU per file (best of {args.rounds})")


if __name__ == "__main__":
    main()

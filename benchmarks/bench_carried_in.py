"""Time what the summary adds for a period: the escalations and actions earlier audits carry into it.

The repository is ``--copies`` copies of ``examples/service`` (as bench_cycle.py builds it), read
once for ``--quarter``; each pass then times, in CPU seconds of this process, finding what is
carried in (``escalations.carried_in`` and ``actions.carried_in`` over the audits before the
quarter) and the whole summary view, which includes it.

    python benchmarks/bench_carried_in.py [--copies 30] [--quarter 2026-Q3] [--passes 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cycle

from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.audits.quarters import Quarters
from qaimpact.cycle import actions, escalations
from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.privacy.disclosure import Figures
from qaimpact.reports.summary import quarterly_summary

TODAY = dt.date.fromisoformat(bench_cycle.TODAY)


def main() -> None:
    """Build the repository, read it for the quarter, and print each pass's CPU times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=30, help="copies of examples/service (96 audits each)")
    parser.add_argument("--quarter", default="2026-Q3")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    first, last = Quarters().dates(args.quarter)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        bench_cycle.build(root, args.copies)
        registry = Registry([bundled_dir()])
        dataset = load_dataset([root], registry, CheckOptions(today=TODAY), date_from=first, date_to=last)
    print(f"{len(dataset.records)} audits in {args.quarter}, {len(dataset.outside)} outside it")
    for n in range(1, args.passes + 1):
        start = time.process_time()
        carried_escalations = escalations.carried_in(dataset.outside, first, TODAY)
        carried_actions = actions.carried_in(dataset.outside, first, TODAY)
        carried = time.process_time() - start
        start = time.process_time()
        quarterly_summary(dataset, today=TODAY, figures=Figures())
        whole = time.process_time() - start
        print(
            f"pass {n}: carried in {carried * 1000:.0f} ms CPU ({len(carried_escalations)} escalations, "
            f"{len(carried_actions)} actions); the whole summary view {whole * 1000:.0f} ms CPU"
        )


if __name__ == "__main__":
    main()

"""How many hidden counts of published summaries a reader can recover (issue 16, part 1).

Takes random subsets of examples/service (2 to 30 audits, a random ``--by`` or none), makes the
published summary of each, and bounds every hidden count whose true value is from 1 to 4 with
integer linear programming from what the summary shows (``tests/disclosure_check.py``). Prints
the share of summaries with a count that can be recovered, and the share of hidden counts that
can. The figures of issue 16 (before) were 71% and 37%; docs/reports.md has the current ones.

    python benchmarks/bench_disclosure.py --summaries 400 [--seed 16]

To measure an older version, put its ``src`` first on the path (its ``quarterly_summary`` must
take ``publish``): ``PYTHONPATH=/tmp/old/src python benchmarks/bench_disclosure.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from disclosure_check import pinned_in_view  # noqa: E402
from qaimpact.audits.checker import CheckOptions  # noqa: E402
from qaimpact.audits.dataset import Dataset, load_dataset  # noqa: E402
from qaimpact.audits.records import FACETS  # noqa: E402
from qaimpact.frameworks.registry import Registry, bundled_dir  # noqa: E402
from qaimpact.reports.summary import quarterly_summary  # noqa: E402

TODAY = dt.date(2026, 11, 22)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--summaries", type=int, default=40)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    registry = Registry([bundled_dir()])
    records = load_dataset([ROOT / "examples" / "service"], registry, CheckOptions(today=TODAY)).records

    def line(framework_id: str) -> int:
        fw = registry.get(framework_id)
        assert fw is not None
        return fw.grade_rank[fw.spec.grades.good_or_better]

    rng = random.Random(args.seed)
    leaky = hidden = pinned = 0
    seconds = []
    for _ in range(args.summaries):
        subset = rng.sample(records, rng.randint(2, 30))
        by = rng.choice([None, *FACETS])
        dataset = Dataset(["mem"], records=subset)
        start = time.perf_counter()
        view = quarterly_summary(dataset, today=TODAY, by=by, publish=True)
        seconds.append(time.perf_counter() - start)
        truth = quarterly_summary(dataset, today=TODAY, by=by, publish=False)
        n, found = pinned_in_view(json.loads(json.dumps(view)), truth, line)
        hidden += n
        pinned += len(found)
        leaky += bool(found)
    seconds.sort()
    print(f"summaries: {args.summaries} (seed {args.seed})")
    print(f"with a recoverable count: {leaky} ({100 * leaky / args.summaries:.0f}%)")
    print(
        f"hidden counts from 1 to 4: {hidden}; recoverable: {pinned} ({100 * pinned / max(hidden, 1):.0f}%)"
    )
    print(f"seconds to publish a summary: median {seconds[len(seconds) // 2]:.2f}, slowest {seconds[-1]:.2f}")


if __name__ == "__main__":
    main()

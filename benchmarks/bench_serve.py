"""Benchmark ``qaimpact serve``: how long a form page and a live check of one audit take.

Runs the web application in-process through Starlette's TestClient (no network, so the figures
are the server's own work: routing, the checker, the engine, rendering), signed in as a browser
would be, against a folder holding the two headline example audits. For each case it makes
WARMUP requests first (the first request builds each framework's form and compiles the
templates once per process), then ROUNDS timed ones, and prints the median, the 90th percentile
and the slowest:

- ``list``: the list of audits (``GET /``);
- ``new form``: the empty form of each bundled framework (``GET /new/ID``);
- ``edit form``: an existing audit in the form, checked and graded (``GET /edit/FILE``);
- ``live check``: the check the script makes as the auditor types (``POST`` with ``op=live``):
  the form's values composed into YAML, checked, graded with the lift, findings placed, the
  panel rendered, for a new audit and for an edit of a commented file.

Usage::

    python benchmarks/bench_serve.py [--rounds 200] [--warmup 5]

Benchmarks are not tests: nothing asserts a time. Targets (issue 14): a form page under 100 ms,
a live check of one audit under 50 ms, on the project's 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def _measure(call: Callable[[], object], rounds: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        call()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def main() -> None:
    """Run every case and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        from serve_support import CAFCASS, CCC, form_pairs

    from qaimpact.base.loader import load_bytes
    from qaimpact.frameworks.registry import Registry, bundled_dir
    from qaimpact.web.app import ServeConfig, create_app
    from qaimpact.web.form import form_for, values_from_data

    folder = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    for path in (ROOT / "examples").glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    registry = Registry([bundled_dir()])
    config = ServeConfig(folder, registry, frozenset({"testserver"}), token="k", today=dt.date(2026, 11, 22))
    client = TestClient(create_app(config), base_url="http://testserver")
    client.get("/?token=k")
    import re

    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/new/cafcass-qiam-2017").text)
    assert csrf is not None
    token = csrf.group(1)
    headers = {"content-type": "application/x-www-form-urlencoded"}

    def post(url: str, values: dict[str, object]) -> Callable[[], object]:
        body = urlencode(form_pairs(values, op="live", csrf=token))

        def call() -> object:
            response = client.post(url, content=body, headers=headers)
            assert response.status_code == 200, response.text[:500]
            return response

        return call

    def get(url: str) -> Callable[[], object]:
        def call() -> object:
            response = client.get(url)
            assert response.status_code == 200, response.text[:500]
            return response

        return call

    edited = "cafcass-qa-2026-0142.yaml"
    data = load_bytes((folder / edited).read_bytes(), edited).data
    edit_values = values_from_data(form_for(registry.get("cafcass-qiam-2017")), data)
    cases = [
        ("list (2 audits)", get("/")),
        ("new form, Cafcass", get("/new/cafcass-qiam-2017")),
        ("new form, council", get("/new/ccc-practice-standards")),
        ("edit form, Cafcass", get(f"/edit/{edited}")),
        ("live check, new Cafcass audit", post("/new/cafcass-qiam-2017", CAFCASS)),
        ("live check, new council audit", post("/new/ccc-practice-standards", CCC)),
        ("live check, edit of a commented file", post(f"/edit/{edited}", edit_values)),
    ]
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, {args.rounds} rounds")
    print(f"{'case':<40} {'median':>9} {'p90':>9} {'max':>9}")
    for name, call in cases:
        times = _measure(call, args.rounds, args.warmup)
        p90 = times[int(len(times) * 0.9) - 1]
        print(f"{name:<40} {statistics.median(times):>7.1f}ms {p90:>7.1f}ms {times[-1]:>7.1f}ms")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()

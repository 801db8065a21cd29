"""Benchmark ``qaimpact validate`` against the YAML parsing floor and check-jsonschema.

Generates N audits deterministically (both bundled frameworks, about 4.4 KB each, any share of
invalid files), then runs in alternation, ROUNDS times each, every tool as a separate process:

- ``floor``: one Python process loading every file with PyYAML's libyaml ``CSafeLoader``
  (the cost called **b**);
- ``qaimpact-j1``: ``qaimpact validate --jobs 1``;
- ``qaimpact``: ``qaimpact validate`` with the default jobs (one per core);
- ``check-jsonschema``: check-jsonschema with qaimpact's own JSON Schema of each framework
  (skipped when it is not installed: ``pip install check-jsonschema``).

It prints the median wall time of each, its ratio to b, and the peak resident memory of each
process. Usage::

    python benchmarks/bench_validate.py --n 10000 [--invalid 0.1] [--rounds 3] [--dir DIR]

Benchmarks are not tests: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

_WORDS = (
    "child seen alone at school wishes and feelings recorded plan reviewed with the family "
    "supervision notes show management direction risk analysis evidence from police and health "
    "visitor school reports attendance improved father engaged contact arrangements safe "
    "recommendation follows from the assessment direct work tools used three houses"
).split(" ")

_CAFCASS_RATINGS = ["good", "good", "good", "met", "met", "requires_improvement"]
_CCC_RATINGS = ["outstanding", "good", "good", "good", "requires_improvement", "inadequate"]


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def _evidence(rng: random.Random) -> str:
    # Folded block scalars, as auditors write long evidence.
    text = " ".join(_sentence(rng, rng.randint(12, 20)) for _ in range(rng.randint(2, 4)))
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) > 70:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return ">-\n" + "\n".join("      " + x for x in lines)


def cafcass_audit(i: int, rng: random.Random) -> str:
    impact = ["child_seen", "child_experience", "enabled_to_choose", "impact_analysis"]
    compliance = ["case_recording", "case_planning", "tools_uploaded", "report_quality"]
    out = [
        "# Generated benchmark audit (invented data).",
        "standards: cafcass-qiam-2017",
        f"audit_id: QA-BENCH-{i:06d}",
        "case:",
        f"  ecms_number: ECMS-{rng.randint(1000000, 9999999)}",
        f"  law_type: {rng.choice(['private', 'public', 'adoption'])}",
        "  area_of_work: Section 7 report",
        f"practitioner: Practitioner {rng.randint(1, 200)}",
        f"reviewer: Reviewer {rng.randint(1, 30)}",
        f"review_date: 2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
        "",
    ]
    for group, ids in (("impact", impact), ("compliance", compliance)):
        out.append(f"{group}:")
        for ident in ids:
            rating = rng.choice(_CAFCASS_RATINGS)
            out += [f"  {ident}:", f"    rating: {rating}"]
            if ident == "child_seen":
                out += ["    seen: true", f"    seen_alone: {rng.choice(['true', 'false'])}"]
            out.append(f"    evidence: {_evidence(rng)}")
    out += [
        "",
        "domains:",
        "  safe:",
        "    indicators: [safe_recommendations, risk_analysis]",
        f"    comment: {_sentence(rng, 10)}",
        "  heard:",
        "    indicators: [effective_child_engagement, child_centred]",
        f"    comment: {_sentence(rng, 10)}",
        "",
        "learning_actions:",
        "  - area: compliance_with_policy",
        "    points: [case_planning]",
        f"    comment: {_sentence(rng, 14)}",
        "",
        "immediate_safeguarding_actions:",
        "  required: false",
        "",
        "added_value: [safeguard, child_voice_raised]",
        f"added_value_comment: {_sentence(rng, 12)}",
        f"rationale: {_sentence(rng, 16)}",
    ]
    return "\n".join(out) + "\n"


def ccc_audit(i: int, rng: random.Random) -> str:
    ids = [
        "risk_management", "assessment", "planning", "visits_and_direct_work", "lived_experience",
        "identity_and_relationships", "multi_agency_working", "children_in_care",
        "management_oversight", "case_recording",
    ]  # fmt: skip
    in_care = rng.random() < 0.3
    out = [
        "# Generated benchmark audit (invented data).",
        "standards: ccc-practice-standards",
        f"audit_id: CFA-BENCH-{i:06d}",
        "audit_type: case_file",
        "case:",
        f"  case_reference: LCS-{rng.randint(100000, 999999)}",
        f"  team: Team {rng.randint(1, 12)}",
        f"  child_in_care: {'true' if in_care else 'false'}",
        f"practitioner: Practitioner {rng.randint(1, 200)}",
        f"team_manager: Manager {rng.randint(1, 20)}",
        f"reviewer: Reviewer {rng.randint(1, 30)}",
        f"review_date: 2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
        "period_reviewed: {from: 2026-01-01, to: 2026-06-30}",
        "",
        "practice_standards:",
    ]
    for ident in ids:
        if ident == "children_in_care" and not in_care:
            out += [f"  {ident}:", "    rating: not_applicable"]
            continue
        out += [f"  {ident}:", f"    rating: {rng.choice(_CCC_RATINGS)}", f"    evidence: {_evidence(rng)}"]
    out += [
        "",
        "remedial_actions:",
        f"  - action: {_sentence(rng, 10)}",
        f"    owner: Practitioner {rng.randint(1, 200)}",
        "    due: 2026-11-30",
        "    status: open",
        "",
        f"rationale: {_sentence(rng, 16)}",
    ]
    return "\n".join(out) + "\n"


_DEFECTS = [
    ("rating: ", "rating: excellent  # "),  # not on the scale
    ("evidence: ", "evidnce: "),  # unknown key
    ("review_date: 2026-", "review_date: 2026-13-"),  # impossible date
    ("case:\n", "case:\n bad indentation: [\n"),  # YAML syntax error
]


def generate(folder: Path, n: int, invalid: float, seed: int = 2026) -> list[Path]:
    """Write N audits into ``folder`` (reused when already there) and return their paths."""
    marker = folder / f".generated-{n}-{invalid}-{seed}"
    files = [folder / f"{i // 1000:03d}" / f"audit-{i:06d}.yaml" for i in range(n)]
    if marker.exists():
        return files
    if folder.exists():
        shutil.rmtree(folder)
    rng = random.Random(seed)
    bad = set(rng.sample(range(n), int(n * invalid)))
    for i, path in enumerate(files):
        path.parent.mkdir(parents=True, exist_ok=True)
        text = cafcass_audit(i, rng) if i % 2 == 0 else ccc_audit(i, rng)
        if i in bad:
            old, new = _DEFECTS[i % len(_DEFECTS)]
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    marker.touch()
    return files


_FLOOR = """
import sys, yaml
for line in open(sys.argv[1], encoding="utf-8"):
    with open(line.rstrip("\\n"), "rb") as f:
        try:
            yaml.load(f, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            pass  # an invalid file costs what the parser spent before it gave up
"""


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak RSS (MiB) of the process and the workers it waited for."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr is not None:
        err = proc.stderr.read().decode("utf-8", "replace")
        if proc.returncode not in (0, 1) and err:
            print(err, file=sys.stderr)
    return elapsed, proc.returncode, usage.ru_maxrss // 1024


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="number of audits (default 10000)")
    parser.add_argument("--invalid", type=float, default=0.0, help="share of invalid audits, 0..1")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each tool (default 3)")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "qaimpact-bench")
    parser.add_argument("--tools", default="floor,qaimpact-j1,qaimpact,check-jsonschema")
    args = parser.parse_args(argv)

    folder = args.dir / f"n{args.n}-invalid{args.invalid}"
    t0 = time.perf_counter()
    files = generate(folder, args.n, args.invalid)
    sizes = [p.stat().st_size for p in files[:: max(1, len(files) // 500)]]
    print(
        f"{len(files)} audits in {folder} (mean {statistics.mean(sizes) / 1024:.1f} KB, "
        f"{args.invalid:.0%} invalid), ready in {time.perf_counter() - t0:.1f} s"
    )
    listing = folder / "files.txt"
    listing.write_text("\n".join(map(str, files)) + "\n", encoding="utf-8")

    python = sys.executable
    qaimpact = [
        python,
        "-m",
        "qaimpact",
        "validate",
        str(folder),
        "--quiet",
        "--format",
        "json",  # to standard output, which the benchmark sends to /dev/null
    ]
    commands: dict[str, list[str]] = {
        "floor": [python, "-c", _FLOOR, str(listing)],
        "qaimpact-j1": [*qaimpact, "--jobs", "1"],
        "qaimpact": qaimpact,
    }
    checker = shutil.which("check-jsonschema") or shutil.which(
        "check-jsonschema", path=str(Path(python).parent)
    )
    if checker:
        schemas = folder / "schemas"
        schemas.mkdir(exist_ok=True)
        per_framework: dict[str, list[str]] = {"cafcass-qiam-2017": [], "ccc-practice-standards": []}
        for i, path in enumerate(files):
            per_framework["cafcass-qiam-2017" if i % 2 == 0 else "ccc-practice-standards"].append(str(path))
        script = []
        for ident, members in per_framework.items():
            schema = schemas / f"{ident}.json"
            subprocess.run(
                [python, "-m", "qaimpact", "schema", ident, "-o", str(schema), "--force"], check=True
            )
            names = schemas / f"{ident}.txt"
            names.write_text("\n".join(members) + "\n", encoding="utf-8")
            script.append(f"xargs -a {names} {checker} --schemafile {schema} >/dev/null 2>&1 || true")
        commands["check-jsonschema"] = ["sh", "-c", " && ".join(script)]
    wanted = [t for t in args.tools.split(",") if t in commands]

    times: dict[str, list[float]] = {t: [] for t in wanted}
    memory: dict[str, int] = dict.fromkeys(wanted, 0)
    for _ in range(args.rounds):
        for tool in wanted:  # in alternation, so drift in the machine affects every tool alike
            elapsed, code, rss = _timed(commands[tool])
            times[tool].append(elapsed)
            memory[tool] = max(memory[tool], rss)
            if tool.startswith("qaimpact") and code not in (0, 1):
                print(f"{tool} exited {code}", file=sys.stderr)
    b = statistics.median(times["floor"]) if "floor" in times else None
    print(
        f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
    print(f"{'tool':<18} {'median s':>9} {'ms/file':>8} {'x b':>6} {'peak MiB':>9}   runs")
    for tool in wanted:
        median = statistics.median(times[tool])
        ratio = f"{median / b:.2f}" if b else "-"
        runs = " ".join(f"{t:.2f}" for t in times[tool])
        print(
            f"{tool:<18} {median:>9.2f} {median / len(files) * 1000:>8.3f} {ratio:>6} "
            f"{memory[tool]:>9}   {runs}"
        )
    if "check-jsonschema" in times and "qaimpact" in times:
        speedup = statistics.median(times["check-jsonschema"]) / statistics.median(times["qaimpact"])
        print(f"\nqaimpact is {speedup:.1f}x faster than check-jsonschema on the same files.")
    summary = {t: statistics.median(v) for t, v in times.items()}
    print("\n" + json.dumps({"n": len(files), "invalid": args.invalid, "median_seconds": summary}))
    _ = resource  # peak memory comes from wait4's rusage
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

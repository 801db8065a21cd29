"""How many generated names survive ``--redact`` somewhere (issue 16, part 2).

Draws names from seven scripts (Latin with diacritics, Turkish, German, Greek, Cyrillic, Arabic,
CJK; tests/test_redaction_names.py), puts six of them in every personal field of three audits
(tests/data/redact/names/) with mentions in evidence, actions, notes and comments in seven forms
(as written, upper case, NFD, title and surname, possessive, initial and surname, lower case),
and runs every report command under ``--redact`` in every format. Prints how many names leak in
any output, how many case numbers do, and how many runs crash. The figures of issue 16 (before)
were 51 of 100 names and 42 of 85 case numbers; docs/reports.md has the current ones.

    python benchmarks/bench_redaction.py --names 102 [--seed 16]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from typer.testing import CliRunner  # noqa: E402

from conftest import TODAY  # noqa: E402
from qaimpact.cli.app import app  # noqa: E402
from test_redaction_cli import COMMANDS, _leaks, _readable, _report_words, _write  # noqa: E402
from test_redaction_names import ALPHABETS  # noqa: E402


class _Run:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr


def _cli(*args: object, expect: int | None = 0) -> _Run:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return _Run(result.exit_code, result.stdout, result.stderr)


def _name(rng: random.Random, words: set[str]) -> str:
    while True:
        script = rng.choice(sorted(ALPHABETS))
        letters = ALPHABETS[script]
        if script == "cjk":
            name = "".join(rng.choice(letters) for _ in range(rng.randint(2, 4)))
        else:
            parts = []
            for _ in range(rng.randint(2, 3)):
                word = "".join(rng.choice(letters) for _ in range(rng.randint(2, 9)))
                parts.append(word[0].upper() + word[1:])
            name = " ".join(parts)
        if "ß" not in name[:1] and not any(w.casefold() in words for w in name.split()):
            return name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--names", type=int, default=102, help="names to try, six per set of audits")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    leaked_names: set[str] = set()
    leaked_numbers = crashes = runs = 0
    tried = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "words").mkdir()
        words = _report_words(_cli, Path(tmp) / "words")
        for round_ in range(max(1, args.names // 6)):
            people = [_name(rng, words) for _ in range(6)]
            numbers = (f"{rng.randint(100000, 999999)}", f"00{rng.randint(10000, 99999)}")
            folder = Path(tmp) / f"set{round_}"
            folder.mkdir()
            _write(folder, people, numbers)
            tried += 6
            outputs = []
            for command, formats in COMMANDS:
                for fmt in formats:
                    run = _cli(
                        *command,
                        "--audits",
                        folder,
                        "--today",
                        TODAY.isoformat(),
                        "--format",
                        fmt,
                        "--redact",
                    )
                    outputs.append(_readable(run.stdout, fmt) + run.stderr)
                    runs += 1
                    crashes += run.exit_code not in (0, 1)
            for audit in sorted(folder.glob("*.yaml")):
                for fmt in ("md", "html", "json"):
                    run = _cli("report", audit, "--today", TODAY.isoformat(), "--format", fmt, "--redact")
                    outputs.append(_readable(run.stdout, fmt) + run.stderr)
                    runs += 1
                    crashes += run.exit_code not in (0, 1)
            text = "\n".join(outputs)
            for name in people:
                if _leaks(text, [name], ()):
                    leaked_names.add(name)
            leaked_numbers += sum(1 for n in numbers if n in text)
    print(f"names tried: {tried} (seed {args.seed}); leaking anywhere: {len(leaked_names)}")
    print(f"case numbers tried: {2 * (tried // 6)}; leaking anywhere: {leaked_numbers}")
    print(f"command runs: {runs}; crashed (exit other than 0 or 1): {crashes}")
    print(f"seconds: {time.perf_counter() - start:.1f}")


if __name__ == "__main__":
    main()

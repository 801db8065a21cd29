"""The fuzz harness: mutations of real files, and the properties each part of qaimpact must keep.

One set of mutation functions serves two runners. ``tests/test_fuzz.py`` drives them with
hypothesis (``st.randoms()``, so that hypothesis shrinks a failure to a small case) for a few
seconds in every test run; ``benchmarks/fuzz.py --minutes N`` drives them with seeded
``random.Random`` instances for as long as it is given, minimises what fails and saves it under
``tests/data/fuzz/TARGET/``, where ``test_fuzz.py`` replays every file on every run.

Each target takes one input (text, or bytes for the loader) and raises when a property breaks:

- ``loader``: any bytes are read or refused with a located ``LoadError``, nothing else, and
  alike whether libyaml's events or its node tree read them;
- ``readers``: what the loader accepts, ruamel.yaml's round trip reads as the same data;
- ``checker``: any audit text is checked without an exception; every finding has a catalogued
  code, a position inside the file and a bounded message; at most 101 are shown;
- ``fmt``: a valid audit formats without an exception to text that validates to the same audit,
  and formatting that text again changes nothing;
- ``renderers``: the checked file renders in every ``validate`` format (JUnit is XML, JSON and
  SARIF are JSON, text and GitHub hold no raw control character), on the console, as grade JSON,
  and, when valid, as feedback in Markdown, HTML and JSON and as a summary CSV row;
- ``standards``: any standards text is checked without an exception, and a framework that passes
  builds its audit model and checks a scaffold of it without an exception.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import random
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
FUZZ = DATA / "fuzz"
TODAY = dt.date(2026, 11, 22)

AUDITS = [
    p.read_text(encoding="utf-8")
    for p in [*sorted((DATA / "valid").glob("*.yaml")), *sorted((ROOT / "examples").glob("*.yaml"))]
]
STANDARDS = [
    p.read_text(encoding="utf-8")
    for p in [DATA / "standards" / "valid" / "mini.yaml", *sorted((ROOT / "standards").glob("*.yaml"))]
]

#: Characters and tokens that YAML readers, terminals, XML, spreadsheets and pydantic treat specially.
PIECES = [
    *"\t :-#\"'[]{},&*!|>%@`?\n0.~\\=+",
    "\r",
    "\r\n",
    "\x00",
    "\x1b[2J",
    "\x7f",
    "\x9b",
    "\u202e",
    "\u2066",
    "\u2028",
    "\x85",
    "\ufeff",
    "\ufffe",
    "é",
    "- ",
    "\t\t",
    "2026-02-30",
    "1066-10-14",
    "2026-10-14T10:00:00Z",
    "0b101",
    "1_000",
    "0x_1",
    "-0x1",
    "0x" + "f" * 120,
    "9" * 120,
    "1e999",
    "<<",
    "012",
    "0o17",
    "yes",
    "on",
    "y",
    "~",
    "null",
    ".nan",
    "+.inf",
    "!!str 1",
    "!!python/object/apply:os.system [ls]",
    "!",
    '"\\e[31m"',
    '"\\0"',
    "&x a",
    "*x",
    "'it''s'",
    "| ",
    "> ",
    "TODO",
    "<<: ",
    "   ",
    "model_dump",
    "model_config",
    "case",
    "=cmd|' /C calc'!A0",
    "::error file=x::fake",
    "{{ 7*7 }}",
    "<script>alert(1)</script>",
    "[bold red]x[/]",
    "not_applicable",
    "requires_improvement",
    "good",
    "outstanding",
]


def mutate(rng: random.Random, text: str, most: int = 3) -> str:
    """``text`` with one to ``most`` edits: a piece inserted, a character deleted, a line repeated,
    re-indented or deleted, a value replaced, or two lines swapped."""
    for _ in range(rng.randint(1, most)):
        lines = text.splitlines(keepends=True) or [""]
        index = rng.randrange(len(lines))
        kind = rng.randrange(7)
        if kind == 0:
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(PIECES) + text[at:]
        elif kind == 1 and text:
            at = rng.randrange(len(text))
            text = text[:at] + text[at + 1 :]
        elif kind == 2:
            lines.insert(index, lines[index])
            text = "".join(lines)
        elif kind == 3:
            lines[index] = rng.choice([" ", "  ", "\t", "- "]) + lines[index]
            text = "".join(lines)
        elif kind == 4:
            del lines[index]
            text = "".join(lines)
        elif kind == 5 and ": " in lines[index]:
            head = lines[index].split(": ", 1)[0]
            lines[index] = f"{head}: {rng.choice(PIECES)}\n"
            text = "".join(lines)
        elif kind == 6 and len(lines) > 1:
            other = rng.randrange(len(lines))
            lines[index], lines[other] = lines[other], lines[index]
            text = "".join(lines)
    return text


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """``data`` with a few bytes replaced, inserted or cut: not always UTF-8 any more."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(buffer))
        kind = rng.randrange(3)
        if kind == 0 and at < len(buffer):
            buffer[at] = rng.randrange(256)
        elif kind == 1:
            buffer[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        else:
            del buffer[at : at + rng.randint(1, 8)]
    return bytes(buffer)


# -- The properties ---------------------------------------------------------------------------------

_REGISTRY: Any = None


def registry() -> Any:
    """The bundled frameworks (loaded once)."""
    global _REGISTRY
    if _REGISTRY is None:
        from qaimpact.frameworks.registry import Registry, bundled_dir

        _REGISTRY = Registry([bundled_dir()])
        _REGISTRY.ids()
    return _REGISTRY


def _options(**kwargs: Any) -> Any:
    from qaimpact.audits.checker import CheckOptions

    return CheckOptions(today=TODAY, **kwargs)


def check_loader(data: bytes) -> None:
    """Any bytes are read, or refused with a located LoadError; and reading them through the node
    tree alone gives the same data, or the same refusal (the loader reads most files from
    libyaml's events, and leaves what they cannot read to the tree)."""
    from qaimpact.base.loader import LoadError, load_bytes

    try:
        doc = load_bytes(data, "fuzz.yaml")
    except LoadError as exc:
        refused = exc.diagnostic
    else:
        tree = read_through_tree(data)
        assert not isinstance(tree, LoadError), tree.diagnostic
        assert same_data(doc.data, tree.data), "the events and the node tree read different data"
        for place in places(doc.data):
            # The tree a document read from its events composes later is the tree's reading's.
            assert doc.locate(place) == tree.locate(place), place
            assert doc.locate(place, key=True) == tree.locate(place, key=True), place
            assert doc.written(place) == tree.written(place), place
        return
    assert 1 <= refused.location.line <= data.count(b"\n") + 2, refused
    assert refused.location.column >= 1, refused
    tree = read_through_tree(data)
    assert isinstance(tree, LoadError), "the events refused what the node tree reads"
    assert tree.diagnostic == refused


def places(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value in ``data`` (the whole first), and of a key one past the last."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += places(value, (*prefix, key))
        found.append((*prefix, "not-a-key"))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += places(value, (*prefix, index))
        found.append((*prefix, len(data)))
    return found


def read_through_tree(data: bytes, name: str = "fuzz.yaml") -> Any:
    """``load_bytes`` of ``data`` with the line reader's and the events' readings declining every
    file, so that the node tree reads it: the document, or the LoadError raised."""
    from unittest import mock

    from qaimpact.base import loader

    with (
        mock.patch.object(loader, "read_lines", return_value=loader.LINES_DECLINED),
        mock.patch.object(loader, "_plain_data", return_value=loader._DECLINED),
    ):
        try:
            return loader.load_bytes(data, name)
        except loader.LoadError as exc:
            return exc


def load_or_error(data: bytes, name: str = "fuzz.yaml") -> Any:
    """``load_bytes`` of ``data`` as the loader reads it: the document, or the LoadError raised."""
    from qaimpact.base.loader import LoadError, load_bytes

    try:
        return load_bytes(data, name)
    except LoadError as exc:
        return exc


def same_data(a: Any, b: Any) -> bool:
    """Equal, of the same types all the way down (``1 == 1.0 == True`` is not enough), NaN equal to
    NaN, and mappings in the same key order."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        # In the same order too: reports and fmt show keys as the file has them.
        return list(a) == list(b) and all(same_data(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def check_readers(text: str) -> None:
    """What the loader accepts, the round trip reads as the same data."""
    from qaimpact.base.loader import LoadError, load_bytes
    from qaimpact.base.yaml12 import read_plain

    try:
        loaded = load_bytes(text.encode("utf-8"), "fuzz.yaml").data
    except LoadError:
        return
    assert same_data(loaded, read_plain(text)), "the two YAML readers disagree"


def _checked(text: str, **options: Any) -> Any:
    from qaimpact.audits.checker import check_text
    from qaimpact.base.codes import CODES, MAX_FINDINGS
    from qaimpact.base.escaping import MAX_MESSAGE

    result = check_text(text, "fuzz.yaml", registry(), _options(**options))
    lines = text.count("\n") + 2
    assert len(result.diagnostics) <= MAX_FINDINGS + 1
    for diag in result.diagnostics:
        assert diag.code in CODES, diag
        assert 1 <= diag.location.line <= lines, diag
        assert diag.location.column >= 1, diag
        assert len(diag.message) <= MAX_MESSAGE + 40, diag.code
    assert result.errors >= sum(1 for d in result.diagnostics if d.is_error and d.code != "QA113")
    return result


def check_checker(text: str) -> None:
    """Any audit text is checked without an exception, with well-formed findings; the escalations
    certain ahead of its errors are asked for, so that a file YAML cannot read is read again
    (``base/salvage.py``), and each said is said as coming from such a file where it is one."""
    from qaimpact.audits.checker import READ_IN_PART

    result = _checked(text, with_lift=True, keep_data=True, with_ahead=True)
    unreadable = [d for d in result.diagnostics if d.code == "QA101"]
    assert all(line.startswith(READ_IN_PART) for line in result.ahead) or not unreadable


def check_fmt(text: str) -> None:
    """A valid audit formats to text that validates alike, and formatting it again changes nothing."""
    from qaimpact.authoring.fmt import format_text

    result = format_text(text, "fuzz.yaml", registry(), _options())
    if result.problems is not None:
        assert all(d.code != "QA114" for d in result.problems.diagnostics), "the readers disagree"
        return
    again = format_text(result.new_text, "fuzz.yaml", registry(), _options())
    assert again.problems is None
    assert not again.changed, "fmt is not idempotent"


_RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def check_renderers(text: str) -> None:
    """The checked file renders in every format, safely."""
    from rich.console import Console

    from qaimpact.audits.records import AuditRecord
    from qaimpact.cli import console
    from qaimpact.reports import feedback, grades, render, validation

    result = _checked(text, with_lift=True, keep_data=True)
    checks = [result]
    info = validation.RunInfo(started=dt.datetime(2026, 11, 22, 12, 0))
    for name, renderer in validation.RENDERERS.items():
        out = renderer(checks, info)
        if name in ("text", "github"):
            assert _RAW_CONTROL.search(out) is None, name
        elif name == "junit":
            ET.fromstring(out)
        else:
            json.loads(out)
            assert _RAW_CONTROL.search(out.replace("\n", "")) is None, name
    json.loads(grades.render_json(checks))
    screen = Console(file=io.StringIO(), width=100, color_system=None, force_terminal=False)
    console.print_grades(screen, checks)
    console.print_check(screen, result)
    printed = screen.file.getvalue()  # type: ignore[attr-defined]
    assert _RAW_CONTROL.search(printed.replace("\n", "")) is None, "console"
    if (
        result.valid
        and result.data is not None
        and result.result is not None
        and result.framework is not None
    ):
        record = AuditRecord(
            result.path, result.framework, result.data, result.result, tuple(result.diagnostics)
        )
        view = feedback.audit_feedback(record, today=TODAY)
        for fmt in ("md", "html"):
            out = render.render(view, fmt, today=TODAY)
            if fmt == "md":
                assert _RAW_CONTROL.search(out.replace("\n", "")) is None, "markdown"
        json.loads(render.render_json(view))
        from qaimpact.audits.dataset import Dataset
        from qaimpact.reports import summary

        csv_text = render.render_csv(summary.audit_rows(Dataset(["fuzz"], records=[record])))
        assert not any(line.startswith(("=", "+", "@")) for line in re.split(r"\r\n|\r|\n", csv_text))


def check_standards(text: str) -> None:
    """Any standards text is checked without an exception; one that passes works."""
    import tempfile
    import warnings

    from qaimpact.audits.checker import check_text
    from qaimpact.authoring.scaffold import scaffold_audit
    from qaimpact.base.loader import LoadError, load_bytes
    from qaimpact.frameworks.check import check_document
    from qaimpact.frameworks.registry import Registry
    from qaimpact.models.audit import audit_model

    try:
        doc = load_bytes(text.encode("utf-8"), "fuzz.yaml")
    except LoadError:
        return
    framework, _ = check_document(doc)
    if framework is None:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        audit_model(framework)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "fuzz.yaml").write_text(text, encoding="utf-8")
        own = Registry([Path(folder)])
        found = own.get(framework.id)
        if found is None:  # pragma: no cover - the id of a file that passed is found
            return
        check_text(scaffold_audit(found), "scaffold.yaml", own, _options())


@dataclass(frozen=True)
class Target:
    """A part of qaimpact under fuzzing: where its inputs come from and the property it keeps."""

    name: str
    sources: list[str]
    check: Callable[[Any], None]
    binary: bool = False

    def generate(self, rng: random.Random) -> Any:
        """One mutated input."""
        text = mutate(rng, rng.choice(self.sources))
        if self.binary:
            data = text.encode("utf-8")
            return mutate_bytes(rng, data) if rng.random() < 0.5 else data
        return text

    def load(self, path: Path) -> Any:
        """A kept input, as the target takes it."""
        data = path.read_bytes()
        return data if self.binary else data.decode("utf-8")

    def save(self, value: Any, folder: Path, note: str) -> Path:
        """Keep a failing input under ``folder`` (named by its content), with a note of what failed."""
        import hashlib

        data = value if self.binary else value.encode("utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{hashlib.sha256(data).hexdigest()[:12]}.yaml"
        path.write_bytes(data)
        (folder / f"{path.stem}.txt").write_text(note + "\n", encoding="utf-8")
        return path


TARGETS = {
    target.name: target
    for target in (
        Target("loader", AUDITS + STANDARDS, check_loader, binary=True),
        Target("readers", AUDITS + STANDARDS, check_readers),
        Target("checker", AUDITS, check_checker),
        Target("fmt", AUDITS, check_fmt),
        Target("renderers", AUDITS, check_renderers),
        Target("standards", STANDARDS, check_standards),
    )
}


def minimise(target: Target, value: Any, fails: Callable[[Any], bool]) -> Any:
    """A smaller input that still fails: lines, then characters, removed while it does.

    Blocks are tried from half the input down to one line (or character) at a time, each pass
    going on from where it removed something, so the number of trials grows with the size of the
    input, not with its square.
    """
    unit = b"\n" if target.binary else "\n"
    parts = value.split(unit)
    size = max(1, len(parts) // 2)
    while size >= 1:
        at = 0
        while at < len(parts):
            trial = parts[:at] + parts[at + size :]
            if trial and fails(unit.join(trial)):
                parts = trial
            else:
                at += size
        size //= 2
    value = unit.join(parts)
    size = max(1, len(value) // 8)
    while size >= 1:
        at = 0
        while at < len(value):
            trial = value[:at] + value[at + size :]
            if trial and fails(trial):
                value = trial
            else:
                at += size
        size //= 2
    return value

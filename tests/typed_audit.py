"""An audit with one line typed wrong, checked the three ways a file is read: what ``validate``
says of it, what the loader finds, and that ``fmt`` refuses it and leaves the file as it was.

Shared by the tests of values YAML reads otherwise than typed (``test_reserved_starts.py``,
``test_indicator_starts.py``, ``test_quoted_text.py``, ``test_multiline_text.py``,
``test_pasted_text.py``): each holds its cases, these the checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import DATA, TODAY, Run
from qaimpact.base import loader

AUDIT = DATA / "reserved-starts" / "CFA-2025-0275.yaml"
TEXT = AUDIT.read_text(encoding="utf-8")
#: The audit's line of evidence, in whose place a case of a folder of typed lines is typed.
EVIDENCE = "    evidence: Recording timely and reflective."
#: Words of the findings and hints that the cases are asserted with.
SYNTAX = "error QA101 YAML syntax error:"
QUOTE = "If it is text, put the whole text in quotes: "
LIST = "a list in brackets (such as [a, b])"
BLOCK = "a block in braces (such as {from: 2025-04-01, to: 2025-09-30})"


def typed(line: str, instead: str) -> str:
    """The audit with ``line`` (which it holds once or more: the first) replaced by ``instead``."""
    assert f"\n{line}\n" in TEXT
    return TEXT.replace(f"\n{line}\n", f"\n{instead}\n", 1)


def assert_validate_says(
    cli: Callable[..., Run], tmp_path: Path, text: str, expected: str, hint: str
) -> None:
    """``validate`` gives exactly one finding: ``expected`` after the file's name, then ``hint``."""
    path = tmp_path / "audit.yaml"
    path.write_text(text, encoding="utf-8")
    assert cli("validate", "--today", TODAY, path, expect=1).stdout == (
        f"{path}:{expected}\n    hint: {hint}\nChecked 1 file: 1 error and 0 warnings in 1 file.\n"
    )


def assert_loader_finds(text: str, expected: str, hint: str) -> None:
    """The loader refuses ``text`` with the finding ``expected`` (``line:col: error CODE message``)."""
    with pytest.raises(loader.LoadError) as caught:
        loader.load_bytes(text.encode(), "audit.yaml")
    found = caught.value.diagnostic
    where, _, rest = expected.partition(": error ")
    assert (str(found.location), f"{found.code} {found.message}", found.hint) == (
        f"audit.yaml:{where}",
        rest,
        hint,
    )


def assert_fmt_refuses(cli: Callable[..., Run], tmp_path: Path, text: str, expected: str) -> None:
    """``fmt --check`` and ``fmt`` refuse ``text`` with the finding ``validate`` gives, and the file
    is left as it was."""
    path = tmp_path / "audit.yaml"
    path.write_text(text, encoding="utf-8")
    assert cli("fmt", "--check", "--today", TODAY, path, expect=1).stdout == (
        "0 files would be reformatted, 0 unchanged, 1 not formatted because of errors.\n"
    )
    assert cli("fmt", "--today", TODAY, path, expect=1).stderr.splitlines()[1] == f"{path}:{expected}"
    assert path.read_text(encoding="utf-8") == text


#: A case of a folder of typed lines: the finding as ``validate`` prints it (``line:col: error CODE
#: message``), its hint, and what the audit holds once the hint is followed (in the shape its test
#: file checks).
Case = tuple[str, str, object]


class CaseTests(NamedTuple):
    """The tests every case of a folder gets, for its test module to name: each keeps the name,
    and so the test ids, it has there."""

    every_case_file_is_a_case: Callable[[], None]
    validate_says: Callable[..., None]
    loader_finds: Callable[..., None]
    fmt_refuses: Callable[..., None]


@dataclass(frozen=True)
class CaseFolder:
    """A folder of tests/data whose every file, ``<case>.txt``, holds the lines typed in place of
    the audit's line of evidence, and what is found in each."""

    folder: Path
    cases: Mapping[str, Case]

    def audit(self, case: str) -> str:
        """The audit with its evidence line typed as the case's file has it."""
        lines = (self.folder / f"{case}.txt").read_text(encoding="utf-8").removesuffix("\n")
        return typed(EVIDENCE, lines)

    def tests(self) -> CaseTests:
        """The checks of every case: that each file is a case and each case a file, and that
        ``validate``, the loader and ``fmt`` each find what the case says."""
        over_cases = pytest.mark.parametrize("case", list(self.cases))

        def every_case_file_is_a_case() -> None:
            assert sorted(p.stem for p in self.folder.glob("*.txt")) == sorted(self.cases)

        @over_cases
        def validate_says(cli: Callable[..., Run], tmp_path: Path, case: str) -> None:
            expected, hint, _ = self.cases[case]
            assert_validate_says(cli, tmp_path, self.audit(case), expected, hint)

        @over_cases
        def loader_finds(case: str) -> None:
            expected, hint, _ = self.cases[case]
            assert_loader_finds(self.audit(case), expected, hint)

        @over_cases
        def fmt_refuses(cli: Callable[..., Run], tmp_path: Path, case: str) -> None:
            expected, _, _ = self.cases[case]
            assert_fmt_refuses(cli, tmp_path, self.audit(case), expected)

        return CaseTests(every_case_file_is_a_case, validate_says, loader_finds, fmt_refuses)

"""An audit with one line typed wrong, checked the three ways a file is read: what ``validate``
says of it, what the loader finds, and that ``fmt`` refuses it and leaves the file as it was.

Shared by the tests of values YAML reads otherwise than typed (``test_reserved_starts.py``,
``test_indicator_starts.py``, ``test_quoted_text.py``): each holds its cases, these the checks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, TODAY, Run
from qaimpact.base import loader

AUDIT = DATA / "reserved-starts" / "CFA-2025-0275.yaml"
TEXT = AUDIT.read_text(encoding="utf-8")


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

"""Which files a command reads under the paths it is given, in which order, each once
(:func:`qaimpact.audits.checker.expand_paths`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qaimpact.audits.checker import expand_paths

#: A repository's files, as written under its root.
TREE = (
    "audits/2026/b.yaml",
    "audits/2026/a.yml",
    "audits/2026-extra/c.yaml",
    "audits/a.yaml",
    "audits/z/d.yaml",
    "audits/.git/e.yaml",
    "audits/.hidden.yaml",
    "audits/f.mapping.yaml",
    "audits/q3.narrative.yaml",
    "audits/notes.txt",
)

#: What is read under ``audits``: by the text of the whole path ("2026-extra" before "2026/",
#: since "-" sorts before "/"), hidden files and folders, mappings and narratives left out.
READ = (
    "audits/2026-extra/c.yaml",
    "audits/2026/a.yml",
    "audits/2026/b.yaml",
    "audits/a.yaml",
    "audits/z/d.yaml",
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in TREE:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("standards: x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["audits"], READ),
        (["audits/2026"], ("audits/2026/a.yml", "audits/2026/b.yaml")),
        (["audits/a.yaml"], ("audits/a.yaml",)),
        # Given twice, or a folder and a folder or file inside it: each file once, first as reached.
        (["audits", "audits"], READ),
        (["audits", "audits/2026"], READ),
        (["audits/2026", "audits"], ("audits/2026/a.yml", "audits/2026/b.yaml", *READ[:1], *READ[3:])),
        (["audits/a.yaml", "audits"], ("audits/a.yaml", *READ[:3], *READ[4:])),
        (["audits/a.yaml", "./audits/a.yaml"], ("audits/a.yaml",)),
    ],
)
def test_each_file_once_in_a_stable_order(repo: Path, given: list[str], expected: tuple[str, ...]) -> None:
    assert list(expand_paths([Path(g) for g in given])) == [Path(e) for e in expected]


def test_paths_are_as_given_absolute_or_relative(repo: Path) -> None:
    found = list(expand_paths([repo / "audits"]))
    assert found == [repo / name for name in READ]
    assert all(p.is_absolute() for p in found)
    assert not any(p.is_absolute() for p in expand_paths([Path("audits")]))

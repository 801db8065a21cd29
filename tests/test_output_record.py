"""A CSV, JSON or ``validate`` report a person changed after qaimpact wrote it is kept by ``-o``.

These formats cannot carry a seal, so qaimpact keeps a record of what it wrote
(src/qaimpact/base/written.py) in the cache folder, which every test has its own of
(``QAIMPACT_CACHE_DIR``, tests/conftest.py). Broken records are in
tests/data/output-provenance/records.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA
from qaimpact.base import written
from qaimpact.base.provenance import Verdict, judge
from test_output_provenance import WRITERS, _message, _write

RECORDS = sorted((DATA / "output-provenance" / "records").iterdir())

#: What -o says of a report that is not what qaimpact last wrote to its path on this computer.
NOT_AS_WRITTEN = (
    "is a qaimpact report, but not the one qaimpact last wrote there on this computer: someone may "
    "have changed it since (or it is a copy from elsewhere, such as git), and any changes would be lost"
)


def _cell(text: str) -> str:
    """A row put right: its last cell changed, the header row as it was."""
    lines = text.split("\n")
    lines[1] += " (checked)"
    return "\n".join(lines)


def _append(text: str) -> str:
    return text + "Checked by Ada Reviewer on 2026-12-01.\n"


def _prepend(text: str) -> str:
    """A note at the top: the summary line of validate's text must stay the last line."""
    return "Checked by Ada Reviewer on 2026-12-01.\n" + text


#: Each writer of a format that cannot carry a seal, and a person's change that keeps its marks.
EDITS: dict[str, Callable[[str], str]] = {
    "actions-csv": _cell,
    "summary-csv": _cell,
    "summary-csv-bom": _cell,
    "actions-json": lambda text: text.replace('"audits": 2', '"audits": 3', 1),
    "validate-text": _prepend,
    "validate-github": _prepend,
    "validate-json": _append,
    "validate-sarif": _append,
    "validate-junit": _append,
    "schema": _append,
    "report-schema": _append,
}


def _edit(target: Path, writer: str) -> str:
    text = target.read_text(encoding="utf-8")
    changed = EDITS[writer](text)
    assert changed != text
    target.write_text(changed, encoding="utf-8", newline="")
    return changed


def _csv(writer: str) -> bool:
    return "-csv" in writer


@pytest.mark.parametrize("writer", list(EDITS))
def test_a_report_changed_since_it_was_written_is_kept(cli: Any, tmp_path: Path, writer: str) -> None:
    """Found in review: `actions -f csv -o tracker.csv` replaced the rows a person had put right."""
    target = tmp_path / "tracker.out"
    _write(cli, writer, target)
    first = target.stat().st_ino
    _write(cli, writer, target)  # unchanged since: replaced, as every month
    assert target.stat().st_ino != first
    changed = _edit(target, writer)
    run = _write(cli, writer, target, expect=2)
    assert " ".join(run.stderr.split()) == _message(target, NOT_AS_WRITTEN)
    assert target.read_text(encoding="utf-8") == changed
    _write(cli, writer, target, "--force")
    assert target.read_text(encoding="utf-8") != changed
    _write(cli, writer, target)  # written with --force, and unchanged since: replaced


@pytest.mark.parametrize("writer", ["actions-csv", "actions-json", "validate-text", "validate-sarif"])
def test_a_report_the_record_does_not_hold_is_judged_by_its_marks(
    cli: Any, tmp_path: Path, writer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written on another machine, by an older version or checked out of git: replaced as before."""
    target = tmp_path / "tracker.out"
    _write(cli, writer, target)
    monkeypatch.setenv("QAIMPACT_CACHE_DIR", str(tmp_path / "another-machine"))
    _edit(target, writer)
    header = target.read_text(encoding="utf-8").partition("\n")[0] if _csv(writer) else None
    assert judge(target, csv_header=header) is Verdict.EARLIER  # the change kept the marks
    _write(cli, writer, target)
    assert "Ada Reviewer" not in target.read_text(encoding="utf-8")
    assert "(checked)" not in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("record", RECORDS, ids=[p.name for p in RECORDS])
def test_a_broken_record_is_no_record(cli: Any, tmp_path: Path, own_cache: Path, record: Path) -> None:
    target = tmp_path / "tracker.csv"
    _write(cli, "actions-csv", target)
    shutil.copy(record, own_cache / written.RECORD)
    _edit(target, "actions-csv")
    _write(cli, "actions-csv", target)  # no record: judged by its marks, replaced
    assert "(checked)" not in target.read_text(encoding="utf-8")
    _edit(target, "actions-csv")  # the record was written afresh
    _write(cli, "actions-csv", target, expect=2)


def test_a_record_entry_not_as_written_is_no_entry(tmp_path: Path, own_cache: Path) -> None:
    path = tmp_path / "tracker.csv"
    path.write_text("state,audit_id\nopen,CFA-2026-0311\n")
    written.record(path, b"state,audit_id\nopen,CFA-2026-0400\n", csv_cells=True)
    assert written.changed_since(path)
    text = (own_cache / written.RECORD).read_text()
    (own_cache / written.RECORD).write_text(text.replace('"csv:', '"sha1:'))
    assert not written.changed_since(path)


@pytest.mark.parametrize("how", ["a file where the folder would be", "a read-only folder"])
def test_a_cache_folder_that_cannot_be_written_is_skipped(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    cache = tmp_path / "cache"
    if how == "a read-only folder":
        if os.geteuid() == 0:
            pytest.skip("root writes into a read-only folder")
        cache.mkdir(mode=0o500)
    else:
        cache.write_text("not a folder\n")
    monkeypatch.setenv("QAIMPACT_CACHE_DIR", str(cache / "qaimpact"))
    target = tmp_path / "tracker.csv"
    run = _write(cli, "actions-csv", target)
    assert run.stderr == f"note: wrote {target}\n"
    assert target.read_text(encoding="utf-8").startswith("state,audit_id,")
    _write(cli, "actions-csv", target)  # nothing recorded: judged by its marks, replaced


@pytest.mark.parametrize("writer", ["actions-csv", "actions-json", "validate-junit", "summary-md"])
def test_the_record_holds_no_path_or_name(cli: Any, tmp_path: Path, own_cache: Path, writer: str) -> None:
    """Audits describe real children, and a file name may hold a child's name."""
    folder = tmp_path / "Riley Example family"
    folder.mkdir()
    target = folder / "Riley-Example-plan.out"
    _write(cli, writer, target)
    record = (own_cache / written.RECORD).read_bytes()
    for text in (str(target), str(folder), target.name, "Riley", "Example", tmp_path.name):
        assert text.encode() not in record
    assert len(written._read()[1]) == 1
    assert os.listdir(own_cache) == [written.RECORD]  # no temporary file left behind


def test_the_record_keeps_the_most_recent_files(
    tmp_path: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(written, "LIMIT", 3)
    paths = [tmp_path / f"report-{n}.json" for n in range(5)]
    for path in paths:
        path.write_bytes(b"[]\n")
        written.record(path, b"[]\n")
    written.record(paths[1], b"[]\n")  # written again: now the most recent
    assert len(written._read()[1]) == 3
    for path in paths:
        path.write_bytes(b"[ ]\n")
    assert [written.changed_since(p) for p in paths] == [False, True, False, True, True]


@pytest.mark.parametrize(
    ("data", "verdict"),
    [
        (b'{"schema_version": "1.4", "kind": "actions", "audits": 2}\n', Verdict.EARLIER),
        (b'{"schema_version": "1.4", "kind": "actions", "audits": 3}\n', Verdict.NOT_AS_WRITTEN),
        (b"[]\nChecked by Ada Reviewer.\n", Verdict.NOT_AS_WRITTEN),
        (b"", Verdict.EARLIER),  # empty: nothing to lose
        (b"my own notes\n", Verdict.OTHER),
    ],
)
def test_judge_reads_the_record(tmp_path: Path, data: bytes, verdict: Verdict) -> None:
    path = tmp_path / "actions.json"
    path.write_bytes(b'{"schema_version": "1.4", "kind": "actions", "audits": 2}\n')
    written.record(path, path.read_bytes())
    path.write_bytes(data)
    assert judge(path) is verdict


@pytest.mark.parametrize(
    ("data", "verdict"),
    [
        (b"state,audit_id\nopen,CFA-2026-0311\n", Verdict.EARLIER),
        (b'\xef\xbb\xbf"state","audit_id"\r\n"open","CFA-2026-0311"\r\n', Verdict.EARLIER),  # Excel
        (b"state,audit_id\ndone,CFA-2026-0311\n", Verdict.NOT_AS_WRITTEN),  # a row put right
        (b"state,audit_id\nopen,CFA-2026-0311\nopen,CFA-2026-0400\n", Verdict.NOT_AS_WRITTEN),  # a row added
        (b"state,audit_id,notes\nopen,CFA-2026-0311,rang\n", Verdict.OTHER),  # a column added
    ],
)
def test_a_csv_report_is_recorded_by_its_cells(tmp_path: Path, data: bytes, verdict: Verdict) -> None:
    path = tmp_path / "tracker.csv"
    path.write_bytes(b"state,audit_id\nopen,CFA-2026-0311\n")
    written.record(path, path.read_bytes(), csv_cells=True)
    path.write_bytes(data)
    assert judge(path, csv_header="state,audit_id") is verdict


def test_a_link_is_recorded_as_the_file_it_leads_to(tmp_path: Path) -> None:
    real = tmp_path / "actions.json"
    real.write_bytes(b'{"schema_version": "1.4", "kind": "actions"}\n')
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    written.record(link, real.read_bytes())
    real.write_bytes(b'{"schema_version": "1.4", "kind": "actions", "note": 1}\n')
    assert judge(real) is Verdict.NOT_AS_WRITTEN


def test_a_device_is_not_recorded(own_cache: Path) -> None:
    written.record(Path(os.devnull), b"[]\n")
    assert not own_cache.exists()


def test_a_workbook_changed_by_another_program_is_kept(cli: Any, tmp_path: Path) -> None:
    """A program that keeps a workbook's properties as qaimpact wrote them (unlike Excel)."""
    pytest.importorskip("openpyxl")
    import zipfile

    target = tmp_path / "actions.xlsx"
    args = ["actions", "--audits", WRITERS["actions-json"][2], "--today", "2026-11-22", "-f", "xlsx"]
    cli(*args, "-o", target)
    copy = tmp_path / "copy.xlsx"
    with zipfile.ZipFile(target) as book, zipfile.ZipFile(copy, "w") as out:
        for item in book.infolist():
            out.writestr(item, book.read(item))
        out.writestr("customXml/notes.xml", "<notes>my chart notes</notes>")
    os.replace(copy, target)
    run = cli(*args, "-o", target, expect=2)
    assert " ".join(run.stderr.split()) == _message(target, NOT_AS_WRITTEN)


@pytest.mark.parametrize(
    ("macos", "env", "expected"),
    [
        (False, {"QAIMPACT_CACHE_DIR": "/srv/cache"}, "/srv/cache"),
        (False, {"QAIMPACT_CACHE_DIR": "~/qa-cache"}, "~/qa-cache"),
        # A relative folder would change with the folder qaimpact runs in: ignored, as XDG's is.
        (False, {"QAIMPACT_CACHE_DIR": "qa-cache", "XDG_CACHE_HOME": "/var/xdg"}, "/var/xdg/qaimpact"),
        (False, {"QAIMPACT_CACHE_DIR": "./qa-cache"}, "~/.cache/qaimpact"),
        (False, {"XDG_CACHE_HOME": "/var/xdg"}, "/var/xdg/qaimpact"),
        (False, {"XDG_CACHE_HOME": "relative"}, "~/.cache/qaimpact"),  # the specification ignores it
        (False, {}, "~/.cache/qaimpact"),
        (True, {"QAIMPACT_CACHE_DIR": "/srv/cache"}, "/srv/cache"),
        (True, {"XDG_CACHE_HOME": "/var/xdg"}, "/var/xdg/qaimpact"),
        (True, {}, "~/Library/Caches/qaimpact"),
    ],
)
def test_the_cache_folder(
    monkeypatch: pytest.MonkeyPatch, macos: bool, env: dict[str, str], expected: str
) -> None:
    monkeypatch.setattr(written, "_macos", lambda: macos)
    for name in ("QAIMPACT_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert written.cache_dir() == Path(os.path.expanduser(expected))


@pytest.mark.parametrize("local", ["C:/Users/ada/AppData/Local", None])
def test_the_cache_folder_on_windows(monkeypatch: pytest.MonkeyPatch, local: str | None) -> None:
    monkeypatch.delenv("QAIMPACT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/xdg")  # not read on Windows
    if local is None:
        monkeypatch.delenv("LOCALAPPDATA", raising=False)
    else:
        monkeypatch.setenv("LOCALAPPDATA", local)
    monkeypatch.setattr(written, "_windows", lambda: True)
    assert written.cache_dir() == (None if local is None else Path(local) / "qaimpact")


def test_the_record_s_paths_are_keyed_with_a_key_of_its_own(tmp_path: Path) -> None:
    # A plain SHA-256 of a guessed path is not found in the record: its fingerprints cannot be
    # looked up in a table made in advance (whoever reads the record can still test a guess).
    import hashlib

    target = tmp_path / "Jane-Doe.csv"
    target.write_bytes(b"a,b\n1,2\n")
    written.record(target, target.read_bytes(), csv_cells=True)
    salt, files = written._read()
    assert salt is not None
    assert len(salt) == 64
    plain = hashlib.sha256(os.fsencode(os.path.realpath(target))).hexdigest()
    assert plain not in files
    assert len(files) == 1

"""Named pipes and devices are refused, never read: one named like an audit once hung ``validate``
and every report forever (a link to ``/dev/zero`` is stored by git, so a change to an audits
repository could hang CI).

Nothing here can hang: a pipe that something does open is opened for writing by a timer and closed,
which ends the read, and ``/dev/zero`` is only read in a subprocess with a time and memory limit.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, TODAY, Run
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.authoring.importing.sheets import read_spreadsheet
from qaimpact.base import fileio
from qaimpact.base.errors import UsageError
from qaimpact.cycle.sampling.lists import read_table
from qaimpact.frameworks.registry import Registry

pytestmark = pytest.mark.skipif(
    not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="needs named pipes and /dev/zero"
)

AUDIT = EXAMPLES / "service" / "ccc" / "CFA-2026-0222.yaml"
HINT = (
    "    hint: An audit is an ordinary file saved from an editor: remove this one, or put the audit file "
    "itself in its place."
)
PIPE = "it is a named pipe (FIFO), not an ordinary file"
DEVICE_LINK = "it is a link to a device, not an ordinary file"


@contextlib.contextmanager
def unblocked(pipe: Path, after: float = 10.0) -> Iterator[None]:
    """Should anything open ``pipe`` to read it (and wait for a writer), open it for writing after
    ``after`` seconds and close it: the reader sees an empty file, and the test fails, not hangs."""
    done = threading.Event()

    def release() -> None:
        while not done.wait(0.2):
            # ENXIO: nothing has it open to read (yet).
            with contextlib.suppress(OSError):
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))

    timer = threading.Timer(after, release)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        done.set()
        timer.cancel()


def pipe(folder: Path, name: str = "pipe.yaml") -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


def device_link(folder: Path, name: str = "null.yaml", device: str = "/dev/null") -> Path:
    path = folder / name
    path.symlink_to(device)
    return path


MAKERS: list[tuple[str, Callable[[Path], Path], str]] = [
    ("named-pipe", pipe, PIPE),
    ("link-to-device", device_link, DEVICE_LINK),
]


@pytest.mark.parametrize(("make", "reason"), [pytest.param(m, r, id=n) for n, m, r in MAKERS])
def test_check_audit_refuses_what_is_not_a_file(
    make: Callable[[Path], Path], reason: str, registry: Registry, options: CheckOptions, tmp_path: Path
) -> None:
    path = make(tmp_path)
    with unblocked(path):
        result = check_audit(path, registry, options, path.name)
    assert [(d.code, d.message, d.hint) for d in result.diagnostics] == [
        ("QA110", f"The file could not be read: {reason}.", HINT.split("hint: ")[1])
    ]


def test_a_file_that_grows_after_its_size_is_looked_at_is_read_only_to_the_limit(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"audit_id: A\n" * 125)  # 1,500 bytes, but 12 when its size was looked at
    real_stat = os.stat

    def small(target: object, *args: object, **kwargs: object) -> os.stat_result:
        status = real_stat(target, *args, **kwargs)  # type: ignore[arg-type]
        if str(target) != str(path):
            return status
        fields = list(status[:10])
        fields[6] = 12
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", small)
    monkeypatch.setattr(Path, "stat", lambda self, **kw: small(self, **kw))
    reads: list[int] = []
    real_read = os.read

    def counting(fd: int, size: int) -> bytes:
        data = real_read(fd, size)
        reads.append(len(data))
        return data

    monkeypatch.setattr(fileio.os, "read", counting)
    result = check_audit(path, registry, CheckOptions(TODAY, max_file_size=1000), path.name)
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("QA108", "The file grew while it was read, over the limit of 1,000 bytes.")
    ]
    assert reads == [1001]


@pytest.mark.parametrize(("make", "reason"), [pytest.param(m, r, id=n) for n, m, r in MAKERS])
def test_other_readers_refuse_what_is_not_a_file(
    make: Callable[[Path], Path], reason: str, tmp_path: Path
) -> None:
    path = make(tmp_path)
    with unblocked(path):
        with pytest.raises(fileio.NotRegularFile) as refused:
            fileio.read_snapshot(path)
        assert refused.value.strerror == reason
        with pytest.raises(UsageError) as usage:
            read_table(path, ("case",), (), "case")
        assert str(usage.value) == f"'{path}' was not read: {reason}. Give the case list's CSV file."
        book = read_spreadsheet(path, "tracker.csv", header_row=1)
    assert [(d.code, d.message) for d in book.diagnostics] == [
        ("QA601", f"'tracker.csv' could not be read: {reason}.")
    ]


def folder_of_three(tmp_path: Path) -> Path:
    folder = tmp_path / "audits"
    folder.mkdir()
    shutil.copy(AUDIT, folder / "CFA-2026-0222.yaml")
    pipe(folder)
    device_link(folder)
    return folder


def test_validate_reports_each_and_checks_the_rest(cli: Callable[..., Run], tmp_path: Path) -> None:
    folder = folder_of_three(tmp_path)
    with unblocked(folder / "pipe.yaml"):
        run = cli("validate", "--today", TODAY, folder, expect=1)
    assert run.stdout.splitlines() == [
        f"{folder / 'null.yaml'}:1:1: error QA110 The file could not be read: {DEVICE_LINK}.",
        HINT,
        f"{folder / 'pipe.yaml'}:1:1: error QA110 The file could not be read: {PIPE}.",
        HINT,
        "Checked 3 files: 2 errors and 0 warnings in 2 files.",
    ]


def test_summary_leaves_them_out(cli: Callable[..., Run], tmp_path: Path) -> None:
    folder = folder_of_three(tmp_path)
    with unblocked(folder / "pipe.yaml"):
        run = cli("summary", "--today", TODAY, "--audits", folder, expect=None)
    assert "- Audits: **1** valid from" in run.stdout
    assert [line for line in run.stderr.splitlines() if "QA110" in line] == [
        f"  - {folder / 'null.yaml'}:1:1: QA110 The file could not be read: {DEVICE_LINK}.",
        f"  - {folder / 'pipe.yaml'}:1:1: QA110 The file could not be read: {PIPE}.",
    ]


def _limited() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["validate", "{folder}"], id="validate"),
        pytest.param(["summary", "--audits", "{folder}"], id="summary"),
        pytest.param(["fmt", "--check", "{folder}"], id="fmt"),
    ],
)
def test_a_link_to_dev_zero_and_a_pipe_never_hang_a_command(command: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "audits"
    folder.mkdir()
    shutil.copy(AUDIT, folder / "CFA-2026-0222.yaml")
    pipe(folder)
    device_link(folder, "zero.yaml", "/dev/zero")
    args = [a.replace("{folder}", str(folder)) for a in command]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run(
        [sys.executable, "-m", "qaimpact", *args, "--today", TODAY.isoformat()],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        preexec_fn=_limited,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    output = run.stdout + run.stderr
    assert f"{folder / 'zero.yaml'}:1:1: " in output
    assert f"QA110 The file could not be read: {DEVICE_LINK}." in output
    assert f"QA110 The file could not be read: {PIPE}." in output


@pytest.mark.parametrize("limit", [None, 1200, 5000])
def test_a_file_is_read_whole_within_its_limit(tmp_path: Path, limit: int | None) -> None:
    # Regression: reading `limit + 1` bytes at once set aside a megabyte for each audit of a few
    # kilobytes, and took three times as long as reading it; the size read is the file's, plus
    # one byte to see whether it grew.
    path = tmp_path / "audit.yaml"
    path.write_bytes(b"audit_id: A\n" * 100)
    data, status = fileio.read_regular(path, limit)
    assert data == path.read_bytes()
    assert status.st_size == 1200


def test_a_file_that_grows_without_a_limit_is_read_to_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"x" * 3000)
    real_fstat = os.fstat

    def small(fd: int) -> os.stat_result:
        fields = list(real_fstat(fd)[:10])
        fields[6] = 12
        return os.stat_result(fields)

    monkeypatch.setattr(fileio.os, "fstat", small)
    assert fileio.read_regular(path)[0] == b"x" * 3000
    assert fileio.read_regular(path, 5000)[0] == b"x" * 3000
    with pytest.raises(fileio.FileTooLarge):
        fileio.read_regular(path, 2000)


@pytest.mark.parametrize("limit", [None, 1200, 5000])
def test_a_file_read_a_few_bytes_at_a_time_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int | None
) -> None:
    # A read may return less than it was asked for (a network file system, a signal): the file is
    # read until it ends, or until one byte past its size or the limit.
    path = tmp_path / "audit.yaml"
    path.write_bytes(b"audit_id: A\n" * 100)
    real_read, real_stat, real_fstat = os.read, os.stat, os.fstat
    monkeypatch.setattr(fileio.os, "read", lambda fd, size: real_read(fd, min(size, 7)))
    assert fileio.read_regular(path, limit)[0] == path.read_bytes()
    path.write_bytes(b"")
    assert fileio.read_regular(path, limit)[0] == b""
    # Grown past the limit since its size was looked at: found by reading, a few bytes at a time.
    path.write_bytes(b"x" * 6000)

    def small(status: os.stat_result) -> os.stat_result:
        fields = list(status[:10])
        fields[6] = 12
        return os.stat_result(fields)

    monkeypatch.setattr(fileio.os, "stat", lambda target: small(real_stat(target)))
    monkeypatch.setattr(fileio.os, "fstat", lambda fd: small(real_fstat(fd)))
    if limit is None:
        assert fileio.read_regular(path)[0] == b"x" * 6000
    else:
        with pytest.raises(fileio.FileTooLarge, match="it grew while it was read"):
            fileio.read_regular(path, limit)


#: Each kind of file besides an audit, as QA110 names it and says how to put it right.
STANDARDS_HINT = (
    "A standards file is an ordinary file saved from an editor: remove this one, or put the standards "
    "file itself in its place."
)
MAPPING_HINT = (
    "An import mapping is an ordinary file saved from an editor: give --mapping the mapping file itself "
    "(`qaimpact import SHEET --scaffold-mapping` writes a first one)."
)
NARRATIVE_HINT = (
    "A quarter's narrative is an ordinary file saved from an editor: give --narrative the narrative file "
    "itself (examples/narratives/2026-Q3.narrative.yaml is one)."
)
DEVICES: list[tuple[str, Callable[[Path, str], Path], str]] = [
    ("named-pipe", pipe, PIPE),
    ("link-to-dev-zero", lambda folder, name: device_link(folder, name, "/dev/zero"), DEVICE_LINK),
]


@pytest.mark.parametrize(("make", "reason"), [pytest.param(m, r, id=n) for n, m, r in DEVICES])
def test_standards_check_names_a_standards_file(
    cli: Callable[..., Run], tmp_path: Path, make: Callable[[Path, str], Path], reason: str
) -> None:
    path = make(tmp_path, "local-standards.yaml")
    with unblocked(path):
        run = cli("standards", "check", path, expect=3)
    assert run.stdout.splitlines() == [
        f"{path}:1:1: error QA110 The standards file could not be read: {reason}.",
        f"    hint: {STANDARDS_HINT}",
    ]


@pytest.mark.parametrize(("make", "reason"), [pytest.param(m, r, id=n) for n, m, r in DEVICES])
def test_a_standards_folder_names_it_too_never_passing_it_over(
    cli: Callable[..., Run], tmp_path: Path, make: Callable[[Path, str], Path], reason: str
) -> None:
    # Passed over, its framework would be unknown to every audit of it without a word.
    folder = tmp_path / "standards"
    folder.mkdir()
    path = make(folder, "local-standards.yaml")
    with unblocked(path):
        run = cli("validate", "--today", TODAY, "--standards", folder, AUDIT, expect=3)
    assert run.stdout.splitlines() == ["Checked 1 file: no problems found."]
    assert run.stderr.splitlines() == [
        f"error: the standards file {path} has errors, so the framework 'local-standards' cannot be used "
        "until it is fixed (no audit that names it is checked); everything else was done as usual. Its "
        "problems:",
        f"{path}:1:1: error QA110 The standards file could not be read: {reason}.",
        f"    hint: {STANDARDS_HINT}",
    ]


@pytest.mark.parametrize(("make", "reason"), [pytest.param(m, r, id=n) for n, m, r in DEVICES])
def test_import_names_an_import_mapping(
    cli: Callable[..., Run], tmp_path: Path, make: Callable[[Path, str], Path], reason: str
) -> None:
    path = make(tmp_path, "tracker.mapping.yaml")
    sheet = EXAMPLES / "import" / "tracker.csv"
    with unblocked(path):
        run = cli("import", sheet, "--mapping", path, "--audits", tmp_path / "audits", "--dry-run", expect=1)
    assert run.stderr.splitlines() == [
        f"error: the mapping {path} has errors, so nothing was imported:",
        f"{path}:1:1: error QA110 The import mapping could not be read: {reason}.",
        f"    hint: {MAPPING_HINT}",
    ]


@pytest.mark.parametrize(("make", "reason"), [pytest.param(m, r, id=n) for n, m, r in DEVICES])
def test_quarterly_names_a_quarters_narrative(
    cli: Callable[..., Run], tmp_path: Path, make: Callable[[Path, str], Path], reason: str
) -> None:
    path = make(tmp_path, "2026-Q3.narrative.yaml")
    args = ("--audits", EXAMPLES / "ccc-cfa-2026-0311.yaml", "--quarter", "2026-Q3", "--today", TODAY)
    with unblocked(path):
        run = cli("quarterly", *args, "--narrative", path, "-o", tmp_path / "q3.md", expect=2)
    assert run.stderr.splitlines() == [
        f"error: The narrative {path} has 1 problem; fix it and run again:",
        f"  {path}:1:1: QA110 The quarter's narrative could not be read: {reason}. {NARRATIVE_HINT}",
    ]
    assert not (tmp_path / "q3.md").exists()


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("missing.mapping.yaml", "does not exist: check the path given to --mapping."),
        ("folder.mapping.yaml", "is a folder: give --mapping the mapping file itself."),
    ],
)
def test_import_says_what_a_mapping_that_is_no_file_is(
    cli: Callable[..., Run], tmp_path: Path, name: str, said: str
) -> None:
    path = tmp_path / name
    if name.startswith("folder"):
        path.mkdir()
    run = cli("import", EXAMPLES / "import" / "tracker.csv", "--mapping", path, "--dry-run", expect=2)
    assert run.stderr.splitlines() == [f"error: The mapping '{path}' {said}"]

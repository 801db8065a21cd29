"""Files are never lost and never silently changed in kind (issue 12, section 5).

``fmt``, ``migrate`` and every ``--output`` write through one function,
``base/fileio.write_file``: read-only files are refused unless ``--force``, symbolic links are
written through, a broken hard link is said, owner and group are kept, a file changed since it was
read is left alone, and what ``kill -9`` or a full disk leaves behind is cleaned on the next run.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import hostile
from conftest import DATA, EXAMPLES, ROOT, TODAY, Run
from qaimpact.base import fileio

UNTIDY = hostile.BASE.replace("reviewer: Daniel Okafor", "reviewer:    Daniel Okafor")
VERSIONS = DATA / "standards" / "versions"
CCC = EXAMPLES / "ccc-cfa-2026-0311.yaml"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def fmt(cli: Callable[..., Run], *args: Any, expect: int | None = 0) -> Run:
    return cli("fmt", "--today", TODAY, *args, expect=expect)


def migrate(cli: Callable[..., Run], *args: Any, expect: int | None = 0) -> Run:
    return cli(
        "migrate",
        *args,
        "--to",
        "ccc-practice-standards-2026",
        "--standards",
        VERSIONS,
        "--today",
        TODAY,
        expect=expect,
    )


def errors(run: Run) -> list[str]:
    return [line for line in run.stderr.splitlines() if line.startswith(("error:", "note:"))]


# -- Read-only files ---------------------------------------------------------------------------------


def test_fmt_refuses_a_read_only_file_unless_forced(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", UNTIDY)
    path.chmod(0o444)
    run = fmt(cli, path, expect=1)
    assert errors(run) == [
        f"error: {path} is read-only, so it was not rewritten. Make it writable (chmod u+w '{path}') or "
        "add --force."
    ]
    assert run.stdout.endswith("0 files reformatted, 0 unchanged, 1 left as it was (see above).\n")
    assert path.read_text(encoding="utf-8") == UNTIDY
    fmt(cli, "--force", path)
    assert path.read_text(encoding="utf-8") != UNTIDY
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_migrate_refuses_a_read_only_file_unless_forced(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "audit.yaml"
    shutil.copy(CCC, path)
    path.chmod(0o440)
    run = migrate(cli, path, expect=1)
    assert f"error: {path} is read-only, so it was not rewritten." in run.stderr
    assert path.read_bytes() == CCC.read_bytes()
    migrate(cli, path, "--force")
    assert "standards: ccc-practice-standards-2026" in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o440


def test_output_over_a_read_only_file_needs_force(cli: Callable[..., Run], tmp_path: Path) -> None:
    audit = write(tmp_path, "a.yaml", hostile.BASE)
    report = write(tmp_path, "report.json", "old\n")
    report.chmod(0o444)
    cli("validate", "--today", TODAY, "-f", "json", "-o", report, audit, expect=2)
    assert report.read_text() == "old\n"
    cli("validate", "--today", TODAY, "-f", "json", "-o", report, "--force", audit)
    assert report.read_text() == "[]\n"
    assert stat.S_IMODE(report.stat().st_mode) == 0o444


# -- Symbolic and hard links -----------------------------------------------------------------------------


def test_fmt_writes_through_a_symbolic_link(cli: Callable[..., Run], tmp_path: Path) -> None:
    target = write(tmp_path, "real.yaml", UNTIDY)
    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "a.yaml"
    link.symlink_to(target)
    run = fmt(cli, link)
    assert run.stdout.startswith(f"note: {link} reformatted\n")
    assert errors(run) == [f"note: {link} is a link: wrote the file it points to, {target}."]
    assert link.is_symlink()
    assert link.resolve() == target
    assert target.read_text(encoding="utf-8") != UNTIDY


def test_a_link_and_its_target_are_one_file(cli: Callable[..., Run], tmp_path: Path) -> None:
    target = write(tmp_path, "a.yaml", UNTIDY)
    (tmp_path / "b.yaml").symlink_to(target)
    run = fmt(cli, tmp_path)
    assert run.stdout.endswith("1 file reformatted, 0 unchanged.\n")


def test_migrate_writes_through_a_symbolic_link(cli: Callable[..., Run], tmp_path: Path) -> None:
    target = tmp_path / "real.yaml"
    shutil.copy(CCC, target)
    link = tmp_path / "audit.yaml"
    link.symlink_to(target)
    run = migrate(cli, link)
    assert f"note: {link} is a link: wrote the file it points to, {target}." in errors(run)
    assert link.is_symlink()
    assert "standards: ccc-practice-standards-2026" in target.read_text(encoding="utf-8")


def test_output_through_a_symbolic_link(cli: Callable[..., Run], tmp_path: Path) -> None:
    audit = write(tmp_path, "a.yaml", hostile.BASE)
    target = write(tmp_path, "real.json", "old\n")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    cli("validate", "--today", TODAY, "-f", "json", "-o", link, "--force", audit)
    assert link.is_symlink()
    assert target.read_text() == "[]\n"


@pytest.mark.parametrize(
    ("links", "names"),
    [(1, "another name (a hard link), which keeps"), (2, "2 other names (hard links), which keep")],
)
def test_fmt_says_when_it_breaks_a_hard_link(
    cli: Callable[..., Run], tmp_path: Path, links: int, names: str
) -> None:
    path = write(tmp_path, "a.yaml", UNTIDY)
    others = [tmp_path / f"copy{n}.yml.bak" for n in range(links)]
    for other in others:
        os.link(path, other)
    run = fmt(cli, path)
    assert errors(run) == [f"note: {path} had {names} the old text."]
    assert all(other.read_text(encoding="utf-8") == UNTIDY for other in others)
    assert path.read_text(encoding="utf-8") != UNTIDY


# -- Owner and group -------------------------------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file another owner")
def test_fmt_keeps_owner_and_group(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", UNTIDY)
    os.chown(path, 4242, 4343)
    path.chmod(0o664)
    fmt(cli, path)
    status = path.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (4242, 4343, 0o664)
    assert path.read_text(encoding="utf-8") != UNTIDY


def test_a_lost_owner_or_group_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "a.yaml", "a: 1\n")
    real_stat = os.stat

    class Theirs:
        def __init__(self, status: os.stat_result) -> None:
            self._status = status

        def __getattr__(self, name: str) -> Any:
            if name == "st_uid":
                return self._status.st_uid + 1
            if name == "st_gid":
                return self._status.st_gid + 1
            return getattr(self._status, name)

    def refuse(*args: Any) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    status = Theirs(real_stat(path))
    monkeypatch.setattr(fileio.os, "chown", refuse)
    notes = fileio._keep_owner(str(path), status, path)  # type: ignore[arg-type]
    assert notes == [
        f"{path} could not keep its group (id {status.st_gid}); it now has yours.",
        f"{path} could not keep its owner (id {status.st_uid}); you own it now.",
    ]


# -- A file changed since it was read ------------------------------------------------------------------------


EDITOR = hostile.BASE.replace("reviewer: Daniel Okafor", "reviewer:  Dana Okafor  # saved by an editor")


def test_fmt_leaves_a_file_saved_while_it_ran(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qaimpact.authoring import fmt as module

    path = write(tmp_path, "a.yaml", UNTIDY)
    real = module.plan_format

    def plan_then_edit(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        time.sleep(0.01)
        path.write_text(EDITOR, encoding="utf-8")  # the editor saves while fmt runs
        return result

    monkeypatch.setattr(module, "plan_format", plan_then_edit)
    run = fmt(cli, path, expect=1)
    assert errors(run) == [
        f"error: {path} changed after qaimpact read it (saved by another program?), so it was not "
        "rewritten; run the command again."
    ]
    assert path.read_text(encoding="utf-8") == EDITOR


def test_migrate_leaves_a_file_saved_while_it_ran(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qaimpact.authoring import migrate as module

    path = tmp_path / "audit.yaml"
    shutil.copy(CCC, path)
    real = module.plan_file
    saved = CCC.read_text(encoding="utf-8") + "# saved by an editor\n"

    def plan_then_edit(*args: Any, **kwargs: Any) -> Any:
        plan = real(*args, **kwargs)
        path.write_text(saved, encoding="utf-8")
        return plan

    monkeypatch.setattr(module, "plan_file", plan_then_edit)
    run = migrate(cli, path, expect=1)
    assert f"error: {path} changed after qaimpact read it (saved by another program?)" in run.stderr
    assert path.read_text(encoding="utf-8") == saved


def test_a_save_in_the_last_moment_before_the_rename_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "a.yaml", "a: 1\n")
    _, snapshot = fileio.read_snapshot(path)
    real_fsync = os.fsync

    def fsync_then_editor(fd: int) -> None:
        real_fsync(fd)
        path.write_text("a: 2  # the editor\n", encoding="utf-8")

    monkeypatch.setattr(fileio.os, "fsync", fsync_then_editor)
    with pytest.raises(fileio.FileChanged):
        fileio.write_file(path, "a: 3\n", expected=snapshot)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "a: 2  # the editor\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


# -- kill -9, a full disk, and what they leave behind -------------------------------------------------------

KILLED = """
import os, sys, time
ready = sys.argv[1]
real = os.fsync
def fsync_and_wait(fd):
    real(fd)
    open(ready, "w").close()
    time.sleep(60)
os.fsync = fsync_and_wait
from qaimpact.cli import main
sys.argv = ["qaimpact", *sys.argv[2:]]
main()
"""


def test_kill_during_fsync_loses_nothing_and_the_leftover_is_cleaned(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    path = write(tmp_path, "a.yaml", UNTIDY)
    ready = tmp_path.parent / f"{tmp_path.name}-ready"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(ready), "fmt", "--today", TODAY.isoformat(), str(path)],
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            if ready.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert ready.exists(), "the write never reached fsync"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert path.read_text(encoding="utf-8") == UNTIDY
    (leftover,) = [p for p in tmp_path.iterdir() if p.name != "a.yaml"]
    assert leftover.name.startswith(f".a.yaml.qaimpact-{proc.pid}-")
    assert stat.S_IMODE(leftover.stat().st_mode) == 0o600
    # Never read as an audit ...
    assert (
        cli("validate", "--today", TODAY, tmp_path, expect=0).stdout == "Checked 1 file: no problems found.\n"
    )
    run = cli("validate", leftover, expect=2)
    assert "is a temporary file left by an interrupted write of a.yaml, not an audit" in run.stderr
    # ... and removed, with a note, by the next run that writes it.
    run = fmt(cli, path)
    assert errors(run) == [f"note: removed {leftover}, left by an interrupted write of a.yaml."]
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_leftovers_of_running_writes_and_of_missing_files_stay(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "a: 1\n")
    busy = write(tmp_path, f".a.yaml.qaimpact-{os.getppid()}-abcd1234.tmp", "a: 2\n")
    old = write(tmp_path, ".a.yaml.k3j4h5g6.tmp", "a: 3\n")
    orphan = write(tmp_path, ".b.yaml.qaimpact-999999999-abcd1234.tmp", "b: 1\n")
    assert fileio.clean_leftovers(path) == [f"removed {old}, left by an interrupted write of a.yaml."]
    assert busy.exists()
    notes = fileio.clean_leftovers(tmp_path / "b.yaml")
    assert notes == [
        f"{orphan} is a copy of {tmp_path / 'b.yaml'} left by an interrupted write, and "
        f"{tmp_path / 'b.yaml'} no longer exists: rename it to b.yaml to keep it."
    ]
    assert orphan.exists()


def test_fmt_of_a_folder_lists_it_once_for_leftovers_and_still_cleans_each(
    cli: Callable[..., Run], tmp_path: Path, folder_listings: list[Path]
) -> None:
    """Listing the folder once per file written made fmt of 10,000 audits quadratic."""
    paths = [
        write(tmp_path, f"a{i}.yaml", UNTIDY.replace("QA-2026-0142", f"QA-2026-{i:04d}")) for i in range(6)
    ]
    old = [write(tmp_path, f".a{i}.yaml.k3j4h5g{i}.tmp", "a: 3\n") for i in (1, 4)]
    run = fmt(cli, tmp_path)
    assert folder_listings == [tmp_path]
    assert errors(run) == [
        f"note: removed {p}, left by an interrupted write of {p.name[1:3]}.yaml." for p in old
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
    # Outside a command that writes many files, each write looks afresh.
    assert fileio._LISTINGS.get() is None


def test_a_full_disk_leaves_the_file_and_no_leftover(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "a.yaml", UNTIDY)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    run = fmt(cli, path, expect=2)
    assert errors(run) == [f"error: {path} could not be written (No space left on device); it is as it was."]
    assert path.read_text(encoding="utf-8") == UNTIDY
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def _full_disk(fd: int) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _no_folder(*args: Any, **kwargs: Any) -> Any:
    # As mkstemp fails in a folder that cannot hold files (/proc): naming the temporary file.
    temporary = kwargs["dir"] / ".summary.md.qaimpact-1-ab.tmp"
    raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(temporary))


def _replace_refused(source: Any, target: Any) -> None:
    raise PermissionError(errno.EACCES, "Permission denied", source, target)


@pytest.mark.parametrize(
    ("where", "replacement", "reason"),
    [
        ("fsync", _full_disk, "No space left on device"),
        ("mkstemp", _no_folder, "No such file or directory"),
        ("replace", _replace_refused, "Permission denied"),
    ],
    ids=["full-disk", "temporary-file-refused", "rename-refused"],
)
def test_a_refused_output_names_the_file_asked_for_not_the_temporary_one(
    cli: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    replacement: Callable[..., Any],
    reason: str,
) -> None:
    """A full disk named no file; a refused temporary file was named '.summary.md.qaimpact-...tmp'."""
    target = tmp_path / "summary.md"
    module = fileio.tempfile if where == "mkstemp" else fileio.os
    monkeypatch.setattr(module, where, replacement)
    run = cli("summary", "--audits", EXAMPLES / "service", "-o", target, "--today", TODAY, expect=2)
    assert errors(run) == [
        f"error: the file system refused '{target}': {reason}. Nothing else was changed; check the "
        "path, its permissions and the free space."
    ]
    assert list(tmp_path.iterdir()) == []


# -- Many files at once (write_files, as import writes) ---------------------------------------------------


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_batch_writes_every_file_with_one_folder_flush(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = write(tmp_path, "old.yaml", "a: 1\n")
    old.chmod(0o640)
    _, snapshot = fileio.read_snapshot(old)
    synced: list[Path] = []
    real = fileio._sync_folder
    monkeypatch.setattr(fileio, "_sync_folder", lambda folder: (synced.append(folder), real(folder)))
    batch = [fileio.Planned(tmp_path / f"n{i}.yaml", f"n: {i}\n", new=True) for i in range(20)]
    written = fileio.write_files([*batch, fileio.Planned(old, "a: 2\n", expected=snapshot)])
    assert [w.path for w in written] == [*(p.path for p in batch), old]
    assert all(w.notes == [] for w in written)
    assert names(tmp_path) == sorted([*(f"n{i}.yaml" for i in range(20)), "old.yaml"])
    assert [(tmp_path / f"n{i}.yaml").read_text() for i in range(20)] == [f"n: {i}\n" for i in range(20)]
    assert old.read_text() == "a: 2\n"
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((tmp_path / "n0.yaml").stat().st_mode) == 0o666 & ~umask
    assert synced == [tmp_path]


def test_a_batch_refuses_a_read_only_file_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "a: 1\n")
    path.chmod(0o444)
    batch = [fileio.Planned(tmp_path / "new.yaml", "n: 1\n", new=True), fileio.Planned(path, "a: 2\n")]
    with pytest.raises(fileio.ReadOnlyFile) as raised:
        fileio.write_files(batch)
    assert raised.value.message == (
        f"{path} is read-only, so it was not rewritten. Make it writable (chmod u+w '{path}') or add --force."
    )
    assert names(tmp_path) == ["a.yaml"]
    assert path.read_text() == "a: 1\n"
    fileio.write_files(batch, force=True)
    assert path.read_text() == "a: 2\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


@pytest.mark.parametrize("late", ["appeared", "changed"])
def test_a_batch_whose_file_appeared_or_changed_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, late: str
) -> None:
    old = write(tmp_path, "old.yaml", "a: 1\n")
    _, snapshot = fileio.read_snapshot(old)
    real = fileio._write_temporaries

    def then_someone_saves(steps: Any, data: Any) -> list[str]:
        done = real(steps, data)
        if late == "appeared":
            write(tmp_path, "n3.yaml", "mine: 1\n")
        else:
            write(tmp_path, "old.yaml", "a: 10\n")
        return done

    monkeypatch.setattr(fileio, "_write_temporaries", then_someone_saves)
    batch = [fileio.Planned(tmp_path / f"n{i}.yaml", f"n: {i}\n", new=True) for i in range(5)]
    with pytest.raises((fileio.FileAppeared, fileio.FileChanged)) as raised:
        fileio.write_files([*batch, fileio.Planned(old, "a: 2\n", expected=snapshot)])
    if late == "appeared":
        assert raised.value.message == (
            f"{tmp_path / 'n3.yaml'} appeared while qaimpact was writing, so nothing was written; run the "
            "command again."
        )
        assert names(tmp_path) == ["n3.yaml", "old.yaml"]
        assert (tmp_path / "n3.yaml").read_text() == "mine: 1\n"
    else:
        assert isinstance(raised.value, fileio.FileChanged)
        assert names(tmp_path) == ["old.yaml"]
        assert old.read_text() == "a: 10\n"


def test_a_rename_that_fails_part_way_takes_back_the_files_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = write(tmp_path, "a.yaml", "a: 1\n")
    calls: list[str] = []

    def fails_third(real: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
        # An existing file is renamed into place, a new one linked: the third of either fails.
        def place(src: Any, dst: Any) -> None:
            calls.append(str(dst))
            if len(calls) == 3:
                raise OSError(errno.EIO, "Input/output error")
            real(src, dst)

        return place

    monkeypatch.setattr(fileio.os, "replace", fails_third(os.replace))
    monkeypatch.setattr(fileio.os, "link", fails_third(os.link))
    batch = [fileio.Planned(old, "a: 2\n"), fileio.Planned(tmp_path / "b.yaml", "b: 1\n", new=True)]
    batch.append(fileio.Planned(tmp_path / "c.yaml", "c: 1\n", new=True))
    with pytest.raises(OSError, match="Input/output error"):
        fileio.write_files(batch)
    assert names(tmp_path) == ["a.yaml"]
    assert old.read_text() == "a: 1\n"


KILLED_BATCH = """
import os, sys, time
from pathlib import Path
from qaimpact.base import fileio
ready, folder = sys.argv[1], Path(sys.argv[2])
real = os.fsync
def fsync_and_wait(fd):
    real(fd)
    if len(os.listdir(folder)) >= 10:
        open(ready, "w").close()
        time.sleep(60)
os.fsync = fsync_and_wait
fileio._WRITERS = 1
fileio.write_files([fileio.Planned(folder / f"n{i}.yaml", f"n: {i}\\n", new=True) for i in range(20)])
"""


def test_kill_during_a_batch_writes_no_file_and_the_next_batch_cleans_up(tmp_path: Path) -> None:
    ready = tmp_path.parent / f"{tmp_path.name}-ready"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_BATCH, str(ready), str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            if ready.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert ready.exists(), "the batch never reached fsync"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    # Killed before the renames: no file in place, only temporary files (never read as audits).
    left = names(tmp_path)
    assert len(left) == 10
    assert all(fileio.leftover_of(tmp_path / name) for name in left)
    batch = [fileio.Planned(tmp_path / f"n{i}.yaml", f"n: {i}\n", new=True) for i in range(20)]
    written = fileio.write_files(batch)
    assert names(tmp_path) == sorted(f"n{i}.yaml" for i in range(20))
    assert sorted(note for w in written for note in w.notes) == sorted(
        f"removed {tmp_path / name}, left by an interrupted write of {fileio.leftover_of(tmp_path / name)}."
        for name in left
    )


@pytest.mark.parametrize("hard_links", [True, False])
def test_a_new_file_is_never_put_over_one_that_appeared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hard_links: bool
) -> None:
    """``new``: made in one step where nothing is (a hard link), or, where the file system has no
    hard links, after one more look; either way a file that appeared is kept, and no temporary
    file is left."""
    if not hard_links:

        def no_links(source: Any, target: Any) -> None:
            raise PermissionError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(fileio.os, "link", no_links)
    target = tmp_path / "QA-2026-0501.yaml"
    fileio.write_file(target, "first: 1\n", new=True)
    assert target.read_text("utf-8") == "first: 1\n"
    with pytest.raises(fileio.FileAppeared) as caught:
        fileio.write_file(target, "second: 2\n", new=True)
    assert str(caught.value) == (
        f"{target} appeared while qaimpact was writing it, so nothing was written over it."
    )
    assert target.read_text("utf-8") == "first: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["QA-2026-0501.yaml"]


def test_a_batch_never_puts_a_new_file_over_one_that_appeared_while_renaming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch looks for its new files just before renaming; one that appears after that look
    (as if the look missed it) is kept, and the files of the batch already in place are taken
    back."""
    (tmp_path / "b.yaml").write_text("theirs: 1\n", "utf-8")
    monkeypatch.setattr(fileio.os.path, "lexists", lambda path: False)
    batch = [fileio.Planned(tmp_path / name, f"{name}: 2\n", new=True) for name in ("a.yaml", "b.yaml")]
    with pytest.raises(fileio.FileAppeared):
        fileio.write_files(batch)
    assert (tmp_path / "b.yaml").read_text("utf-8") == "theirs: 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.yaml"]

"""How :mod:`qaimpact.audits.batch` shares the files between processes (issue 17, section 6).

With ``jobs`` processes, ``jobs - 1`` forked workers take chunks from the first and the command's
own process takes them from the last while the next chunk in order is not ready, so that every
process reads instead of one of them only waiting for the others. Whoever reads a chunk, the
results come back complete and in input order.
"""

from __future__ import annotations

import contextlib
import fcntl
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qaimpact.audits import batch
from qaimpact.audits.batch import BatchOptions, map_items
from qaimpact.audits.checker import CheckOptions
from qaimpact.base.errors import WorkerStopped
from qaimpact.frameworks.registry import Registry

#: A worker's answer that is not ready yet (``IMapIterator.next(timeout=0)`` raises).
WAIT = "wait"


class Results:
    """Stands in for ``pool.imap``: a script of what each call to ``next`` gives.

    Each entry is :data:`WAIT` (not ready: ``next(timeout=0)`` raises, and a blocking ``next``
    takes the entry after it) or the index of the chunk a worker finishes, which the worker takes
    in ``taken`` first, as :func:`batch._work` does: ``None`` comes back for a chunk the calling
    process took before it.
    """

    def __init__(self, script: list[Any], chunks: list[list[int]], taken: Any) -> None:
        self.script = deque(script)
        self.chunks = chunks
        self.taken = taken
        self.workers: set[int] = set()
        self.blocked = 0

    def worker_takes(self, index: int) -> bool:
        if index in self.workers or self.taken.take(index):
            self.workers.add(index)
            return True
        return False

    def drain(self) -> None:
        """What the workers sent is taken in by ``next`` alone here."""

    def next(self, timeout: float | None = None) -> list[int] | None:
        entry = self.script.popleft()
        if timeout is None:
            self.blocked += 1
        if entry == WAIT:
            if timeout == 0:
                raise multiprocessing.TimeoutError
            entry = self.script.popleft()
        return [item * 10 for item in self.chunks[entry]] if self.worker_takes(entry) else None


def _times_ten(registry: Any, options: Any, item: int) -> int:
    return item * 10


def _shared(
    script: list[Any], count: int, early: tuple[int, ...] = ()
) -> tuple[list[int], list[int], Results]:
    """Run :func:`batch._shared` over ``count`` chunks of two items each, the workers having
    taken the chunks ``early`` already; what it yields, the chunks the calling process read (in
    the order it read them), and the stand-in results."""
    chunks = [[2 * i, 2 * i + 1] for i in range(count)]
    taken = batch._Taken(multiprocessing.get_context("fork"), count)
    results = Results(script, chunks, taken)
    for index in early:
        results.worker_takes(index)
    ours: list[int] = []

    def task(registry: Any, options: Any, item: int) -> int:
        if item % 2 == 0:
            ours.append(item // 2)
        return _times_ten(registry, options, item)

    yielded = list(batch._shared(results, chunks, taken, None, None, task))  # type: ignore[arg-type]
    return yielded, ours, results


@pytest.mark.parametrize(
    ("script", "count", "ours", "blocked"),
    [
        # The workers are always ready: this process reads nothing.
        ([0, 1, 2, 3], 4, [], 0),
        # Chunk 0 is not ready when first asked: this process reads from the last chunk back, one
        # chunk each time the next in order is not ready, and never the chunk it waits for.
        ([WAIT, WAIT, WAIT, 0, 1, 2, 3], 4, [3, 2, 1], 0),
        ([WAIT, 0, WAIT, 1, 2, 3], 4, [3, 2], 0),
        # The chunk this process would read next is the one it waits for: it waits (blocks).
        ([WAIT, 0, 1, 2, WAIT, 3, 4], 5, [4], 1),
        # One chunk: nothing after it to read while waiting.
        ([WAIT, 0], 1, [], 1),
    ],
)
def test_this_process_reads_from_the_last_chunk_back_while_it_waits(
    script: list[Any], count: int, ours: list[int], blocked: int
) -> None:
    yielded, read_here, results = _shared(script, count)
    assert yielded == [item * 10 for item in range(2 * count)]
    assert read_here == ours
    assert results.blocked == blocked
    assert sorted([*read_here, *results.workers]) == list(range(count))


def test_once_a_worker_has_taken_the_chunk_it_would_read_it_only_waits() -> None:
    # This process reads 5 and 4 while chunk 0 is not ready; a worker took 3 early on, so the
    # third time chunk 0 is not ready this process waits for it instead of looking further.
    script = [WAIT, WAIT, WAIT, 0, 1, 2, 3, 4, 5]
    yielded, read_here, results = _shared(script, 6, early=(3,))
    assert yielded == [item * 10 for item in range(12)]
    assert read_here == [5, 4]
    assert results.blocked == 1


def _where(registry: Any, options: Any, item: int) -> tuple[int, int]:
    return item, os.getpid()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
@pytest.mark.parametrize(("jobs", "items", "chunk"), [(2, 40, 3), (3, 41, 4), (2, 7, 2), (4, 9, 1)])
def test_every_item_once_in_order_whoever_reads_it(
    jobs: int, items: int, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "_CHUNK", chunk)
    options = BatchOptions(CheckOptions(), jobs=jobs)
    found = list(map_items(range(items), Registry([]), options, _where))
    assert [item for item, _ in found] == list(range(items))
    # No more processes read than asked for: this one and jobs - 1 workers.
    assert len({pid for _, pid in found}) <= jobs


def _take_all(values: Iterator[int], into: list[int]) -> None:
    """Append each value to ``into`` as it comes, until the iterator ends or raises."""
    for value in values:
        into.append(value)


def _fails_on_the_last(registry: Any, options: Any, item: int) -> int:
    if item == 39:
        raise ValueError("the last item")
    return item


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_an_error_comes_after_every_result_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whichever process reads the last chunk (this one, most often), its error is raised where
    the chunk comes in input order, after the 36 results before it, as a worker's would be."""
    monkeypatch.setattr(batch, "_CHUNK", 4)
    options = BatchOptions(CheckOptions(), jobs=2)
    given: list[int] = []
    with pytest.raises(ValueError, match="the last item"):
        _take_all(map_items(range(40), Registry([]), options, _fails_on_the_last), given)
    assert given == list(range(36))
    assert batch._worker_state == {}


def test_this_process_s_error_waits_for_its_chunk_s_turn() -> None:
    """Unit: this process reads chunk 3 first and it fails; chunks 0-2 (the workers') come first,
    and this process takes no other chunk after the failure."""
    chunks = [[0], [1], [2], [3]]
    taken = batch._Taken(multiprocessing.get_context("fork"), 4)
    results = Results([WAIT, WAIT, 0, 1, 2, 3], chunks, taken)
    read: list[int] = []

    def task(registry: Any, options: Any, item: int) -> int:
        read.append(item)
        if item == 3:
            raise ValueError("chunk 3")
        return item * 10

    given: list[int] = []
    with pytest.raises(ValueError, match="chunk 3"):
        _take_all(batch._shared(results, chunks, taken, None, None, task), given)  # type: ignore[arg-type]
    assert given == [0, 10, 20]
    assert read == [3]
    assert results.workers == {0, 1, 2}


#: Reads 300 items with two processes where /dev/shm is missing (as on macOS), then ends as the
#: console script does, without exit hooks (``cli.app.main``).
_NO_SHM = """
import multiprocessing.heap, os, sys
multiprocessing.heap.Arena._dir_candidates = []
from qaimpact.audits.batch import BatchOptions, map_items
from qaimpact.audits.checker import CheckOptions
from qaimpact.base.errors import WorkerStopped
from qaimpact.frameworks.registry import Registry

def double(registry, options, item):
    return 2 * item

assert list(map_items(range(300), Registry([]), BatchOptions(CheckOptions(), jobs=2), double)) == [
    2 * i for i in range(300)
]
sys.stdout.flush()
os._exit(0)
"""


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_reading_in_workers_leaves_no_temporary_folder_behind(tmp_path: Any) -> None:
    # multiprocessing keeps a shared array in a file under a temporary folder where /dev/shm is
    # missing, which only an exit hook removes; the chunks taken are kept where no file is.
    import subprocess
    import sys

    env = {**os.environ, "TMPDIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", _NO_SHM], env=env, check=True, timeout=120)
    assert list(tmp_path.iterdir()) == []


def test_the_chunks_taken_are_shared_with_forked_processes() -> None:
    ctx = multiprocessing.get_context("fork")
    taken = batch._Taken(ctx, 3)
    child = ctx.Process(target=taken.take, args=(1,))
    child.start()
    child.join()
    assert child.exitcode == 0
    # The chunk the forked process took is taken here too; the others are not.
    assert [taken.take(i) for i in range(3)] == [True, False, True]


# -- the workers' pipes ------------------------------------------------------------------------------

_PARENT = os.getpid()


@contextlib.contextmanager
def _within(seconds: int) -> Iterator[None]:
    """Fail, instead of hanging the suite, where what it runs waits for ever."""

    def late(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, late)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _dies_in_a_worker(registry: Any, options: Any, item: int) -> int:
    # Chunk 0 is always a worker's (this process reads from the last chunk back); with two
    # workers, the other reads on.
    if os.getpid() != _PARENT and item == 0:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer does
    return item


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
@pytest.mark.parametrize("jobs", [2, 3])
def test_a_worker_that_is_killed_is_an_error_not_a_wait_for_ever(
    jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pool forks a new worker and waits for ever for the chunk the killed one had taken.
    monkeypatch.setattr(batch, "_CHUNK", 4)
    options = BatchOptions(CheckOptions(), jobs=jobs)
    given: list[int] = []
    with _within(60), pytest.raises(WorkerStopped) as raised:
        _take_all(map_items(range(40), Registry([]), options, _dies_in_a_worker), given)
    assert raised.value.message == (
        "a process reading the files stopped before it sent what it read (most likely killed, or "
        "out of memory), so the command could not finish. Run it again; if it stops again, close "
        "other programs or read fewer files at a time."
    )
    assert raised.value.exit_code == 4
    assert given == []
    assert batch._worker_state == {}


class _CannotCross(Exception):
    """An error whose state cannot be pickled, as a worker sends its error."""

    def __init__(self) -> None:
        super().__init__("the audit's own words")
        self.callback = lambda: None


def _fails_in_a_worker(registry: Any, options: Any, item: int) -> int:
    if os.getpid() != _PARENT and item == 1:
        raise _CannotCross
    return item


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_an_error_a_worker_cannot_send_comes_back_as_its_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "_CHUNK", 4)
    options = BatchOptions(CheckOptions(), jobs=2)
    with pytest.raises(RuntimeError, match=r"^_CannotCross: the audit's own words$"):
        list(map_items(range(40), Registry([]), options, _fails_in_a_worker))
    assert batch._worker_state == {}


def _large(registry: Any, options: Any, item: int) -> tuple[int, str]:
    return item, str(item) * 30_000


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
@pytest.mark.parametrize("widened", [True, False])
@pytest.mark.parametrize("jobs", [2, 3])
def test_results_larger_than_a_pipe_holds_come_whole_and_in_order(
    jobs: int, widened: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk's results (about 1 MB here) are more than any pipe holds, widened or not (where it
    is not, as on macOS, this process takes them in between its own files): none is lost, cut or
    out of order, and nobody waits for ever."""
    monkeypatch.setattr(batch, "_CHUNK", 16)
    if not widened:
        monkeypatch.setattr(batch, "_widen", lambda conn: None)
    options = BatchOptions(CheckOptions(), jobs=jobs)
    with _within(60):
        found = list(map_items(range(200), Registry([]), options, _large))
    assert found == [_large(None, None, item) for item in range(200)]


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="Linux only: F_SETPIPE_SZ")
def test_a_worker_s_pipe_holds_several_chunks_where_the_system_allows() -> None:
    reader, writer = multiprocessing.get_context("fork").Pipe(duplex=False)
    try:
        before = fcntl.fcntl(writer.fileno(), fcntl.F_GETPIPE_SZ)
        batch._widen(writer)
        after = fcntl.fcntl(writer.fileno(), fcntl.F_GETPIPE_SZ)
    finally:
        reader.close()
        writer.close()
    allowed = int(Path("/proc/sys/fs/pipe-max-size").read_text())
    assert before < batch._PIPE_BYTES
    assert after == (batch._PIPE_BYTES if allowed >= batch._PIPE_BYTES or os.geteuid() == 0 else before)


#: Kills itself (SIGKILL, as a user's `kill -9` or the out-of-memory killer does) on taking its
#: first result, while its worker goes on reading 100,000 items; prints the worker's pid first.
_KILLED_COMMAND = """
import os, signal, sys, time
from qaimpact.audits import batch
from qaimpact.audits.batch import BatchOptions, map_items
from qaimpact.audits.checker import CheckOptions
from qaimpact.frameworks.registry import Registry

PARENT = os.getpid()

def task(registry, options, item):
    if os.getpid() != PARENT and item == 0:
        print(os.getpid(), flush=True)
    # A chunk fills a pipe that nobody reads in a few chunks; holding the lock, this process
    # keeps the worker waiting for it instead (a few bytes a chunk fill no pipe).
    return "x" if HOLDING else "x" * 100_000

HOLDING = sys.argv[1:] == ["holding the lock"]
batch._CHUNK = 4
for _ in map_items(range(100_000), Registry([]), BatchOptions(CheckOptions(), jobs=2), task):
    if HOLDING:
        batch._worker_state["taken"]._lock.acquire()
        time.sleep(0.5)  # the worker is waiting for the lock by now
    os.kill(PARENT, signal.SIGKILL)
"""


def _running(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has: nobody may reap it here)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
@pytest.mark.parametrize("holding", ["", "holding the lock"])
def test_a_worker_ends_when_its_command_is_killed(tmp_path: Path, holding: str) -> None:
    # Each worker closes the reading ends of the pipes it inherits: with its own left open, it
    # waited for ever on a full pipe nobody read, an orphan holding the audits it had read. And
    # a command killed while it held the lock of the chunks taken never gives it back: the worker
    # looks every second whether its command is still there.
    import subprocess
    import sys
    import time

    errors = tmp_path / "stderr"
    with errors.open("w") as err:
        command = subprocess.Popen(
            [sys.executable, "-c", _KILLED_COMMAND, *([holding] if holding else [])],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        assert command.stdout is not None
        with command.stdout:
            worker = int(command.stdout.readline())
        assert command.wait(timeout=120) == -signal.SIGKILL
    deadline = time.monotonic() + 30
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    running = _running(worker)
    if running:
        os.kill(worker, signal.SIGKILL)
    assert not running
    assert "Traceback" not in errors.read_text()


class _TwoParts(Exception):
    """An error that pickles but cannot be unpickled: its ``__init__`` takes two arguments and
    gives the base class one (found by a review)."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"{where}: {why}")


def _fails_in_two_parts(registry: Any, options: Any, item: int) -> int:
    if os.getpid() != _PARENT and item == 1:
        raise _TwoParts("a.yaml", "broken")
    return item


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_an_error_a_worker_can_pickle_but_not_read_back_comes_as_its_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(batch, "_CHUNK", 4)
    options = BatchOptions(CheckOptions(), jobs=2)
    with _within(60), pytest.raises(RuntimeError, match=r"^_TwoParts: a.yaml: broken$"):
        list(map_items(range(40), Registry([]), options, _fails_in_two_parts))
    assert batch._worker_state == {}


def _holds_the_lock_and_dies(taken: Any) -> None:
    taken._lock.acquire()
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_lock_held_by_a_killed_worker_is_an_error_not_a_wait_for_ever() -> None:
    # A semaphore held by a process that is killed is never released: waiting for it, this
    # process looks every second whether a worker was killed (``_Workers.check_running``).
    ctx = multiprocessing.get_context("fork")
    taken = batch._Taken(ctx, 3)
    child = ctx.Process(target=_holds_the_lock_and_dies, args=(taken,))
    child.start()
    child.join()
    assert child.exitcode == -signal.SIGKILL
    looked: list[int] = []

    def stuck() -> None:
        looked.append(1)
        if len(looked) == 2:
            raise WorkerStopped("stopped")

    taken.stuck = stuck
    with _within(60), pytest.raises(WorkerStopped):
        taken.take(0)
    assert looked == [1, 1]


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_killed_worker_is_seen_as_stopped_and_one_done_is_not() -> None:
    ctx = multiprocessing.get_context("fork")
    workers = batch._Workers(ctx, batch._Taken(ctx, 1))
    done = ctx.Process(target=int)
    killed = ctx.Process(target=_holds_the_lock_and_dies, args=(batch._Taken(ctx, 1),))
    for process in (done, killed):
        process.start()
        process.join()
    workers._processes.append(done)
    workers.check_running()  # a worker that has read its share ends with 0
    workers._processes.append(killed)
    with pytest.raises(WorkerStopped):
        workers.check_running()


def _killed_holding_the_lock_at_its_last_look(self: Any, index: int, by: int = batch._OWN) -> bool:
    # Worker slot 2, at its last look for a chunk (every chunk long taken): killed holding the lock.
    if by == 2 and index == 11:
        self._lock.acquire()
        os.kill(os.getpid(), signal.SIGKILL)
    return _TAKE(self, index, by)


_TAKE = batch._Taken.take


def _slow_in_slot_3(registry: Any, options: Any, item: int) -> int:
    # Worker slot 3 is still reading its chunk when slot 2, quick, has looked at every chunk;
    # this process, not so quick, leaves each worker chunks to take.
    if os.getpid() == _PARENT:
        time.sleep(0.002)
    else:
        time.sleep(0.3 if batch._worker_state.get("slow") else 0.01)
    return item


def _serve_slowly_in_slot_3(slot: int, conn: Any, readers: Any) -> None:
    if slot == 3:
        batch._worker_state["slow"] = True
    _SERVE(slot, conn, readers)


_SERVE = batch._serve


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_worker_killed_holding_the_lock_after_the_last_take_stops_nothing_for_ever(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Found by a review: with two workers, one killed holding the lock once every chunk was
    taken left the other waiting for the lock, and the command waiting for that one, for ever
    (the command took no lock any more, so never looked). Now the command looks every second
    while it waits for a chunk, and ends every worker once every chunk has come: the run either
    finishes (the killed worker had sent all it read) or stops with WorkerStopped, in seconds."""
    monkeypatch.setattr(batch, "_CHUNK", 4)
    monkeypatch.setattr(batch._Taken, "take", _killed_holding_the_lock_at_its_last_look)
    monkeypatch.setattr(batch, "_serve", _serve_slowly_in_slot_3)
    options = BatchOptions(CheckOptions(), jobs=3)
    for _ in range(3):
        with _within(60), contextlib.suppress(WorkerStopped):
            assert list(map_items(range(48), Registry([]), options, _slow_in_slot_3)) == list(range(48))
        assert multiprocessing.active_children() == []

"""Check many audit files, in parallel, streaming results in a stable order.

With ``jobs`` processes, ``jobs - 1`` workers are forked after the frameworks are loaded, so each
starts with the standards and audit models already built, and the command's own process reads
too: the workers take chunks of files from the first, it takes them from the last whenever the
next chunk in order is not ready, and it never competes with them for a core only to wait.
Results come back in the order of the input files whatever the number of jobs, and only each
file's diagnostics travel back: no parsed audit is kept, so memory does not grow with the number
of files.

Each worker sends its chunks' results down a pipe of its own, which this process reads when it
needs the next chunk, or between its own files. There is no pool and no thread: a pool's threads
here took the interpreter's lock from the files this process reads, and its one shared pipe held
less than a chunk's results, so a worker waited for them to be read before it read on.
"""

from __future__ import annotations

import contextlib
import gc
import mmap
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from qaimpact.audits.checker import AuditCheck, CheckOptions, check_audit
from qaimpact.audits.links import link_view
from qaimpact.base.errors import WorkerStopped
from qaimpact.frameworks.registry import Registry

#: Files per task sent to a worker: large enough to amortise the round trip, small enough to
#: keep results streaming and the workers evenly loaded.
_CHUNK = 64


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """How a batch runs."""

    check: CheckOptions
    jobs: int = 0  # 0: one per CPU core


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


_worker_state: dict[str, Any] = {}


def _slim(check: AuditCheck) -> AuditCheck:
    # Only what reporting needs crosses the process boundary.
    return AuditCheck(
        check.path,
        check.diagnostics,
        omitted_errors=check.omitted_errors,
        omitted_warnings=check.omitted_warnings,
    )


def _start_worker() -> None:
    # Ctrl-C reaches every process of the group; only the parent handles it, once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A parent that keeps all it reads pauses its collector while reading (load_dataset); a
    # worker keeps nothing past a task, so its collector runs, and its memory stays flat.
    gc.enable()


#: What a worker does with one file: (registry, options, path) -> a result to send back.
FileTask = Callable[[Registry, CheckOptions, Path], Any]


def _serve(slot: int, conn: Connection, readers: Sequence[Connection]) -> None:
    """A worker: take each chunk no other process has, from the first, and send its results (or
    the error that stopped it) down ``conn``, the chunk's index first.

    ``readers`` are the reading ends of the workers' pipes, its own among them, which it inherits
    and closes: were one left open here, a worker whose command was killed would wait for ever
    on a full pipe that nobody reads, instead of finding it closed and ending.
    """
    for reader in readers:
        reader.close()
    _start_worker()
    registry: Registry = _worker_state["registry"]
    options: CheckOptions = _worker_state["options"]
    task: FileTask = _worker_state["task"]
    chunks: Sequence[Sequence[Any]] = _worker_state["chunks"]
    taken: _Taken = _worker_state["taken"]
    command = os.getppid()
    # Killed while it held the lock, the command never gives it back: nothing is left to read for.
    taken.stuck = lambda: os._exit(1) if os.getppid() != command else None
    for index in range(len(chunks)):
        if not taken.take(index, by=slot):
            continue
        got: list[Any] | Exception
        try:
            got = [task(registry, options, item) for item in chunks[index]]
        except Exception as exc:
            got = exc
        try:
            conn.send_bytes(_message(index, got))
        except OSError:  # the command has ended (killed): nobody reads what is left
            return
    conn.close()


def _message(index: int, got: list[Any] | Exception) -> bytes:
    """A chunk's results as a worker sends them: its index, then the pickled results or error."""
    head = index.to_bytes(4, "little")
    try:
        sent = pickle.dumps(got, protocol=pickle.HIGHEST_PROTOCOL)
        if isinstance(got, Exception):
            pickle.loads(sent)  # an error whose __init__ takes other arguments pickles but cannot be read
        return head + sent
    except Exception as exc:  # an error that cannot be sent whole is sent as its words
        error = RuntimeError(f"{type(got).__name__}: {got}" if isinstance(got, Exception) else repr(exc))
        return head + pickle.dumps(error, protocol=pickle.HIGHEST_PROTOCOL)


def _check_one(registry: Registry, options: CheckOptions, path: Path) -> AuditCheck:
    return _slim(check_audit(path, registry, options, str(path)))


def check_many(files: Sequence[Path], registry: Registry, options: BatchOptions) -> Iterator[AuditCheck]:
    """Yield one :class:`AuditCheck` per file, in input order, holding its diagnostics only."""
    yield from map_files(files, registry, options, _check_one)


def _check_kept(registry: Registry, options: CheckOptions, path: Path) -> tuple[AuditCheck, str | None]:
    check = check_audit(path, registry, options, str(path))
    data = check.data
    if data is not None and check.kind is None and check.framework is not None:
        # An audit's links need a few of its fields; a record of another kind is sent whole.
        data = link_view(check.framework, data)
    # The framework's id, not the framework, which is costly to send between processes.
    kept = AuditCheck(
        check.path,
        check.diagnostics,
        kind=check.kind,
        data=data,
        links=check.links,
        result=check.result,
        omitted_errors=check.omitted_errors,
        omitted_warnings=check.omitted_warnings,
    )
    return kept, check.framework.id if check.framework is not None else None


def check_many_kept(files: Sequence[Path], registry: Registry, options: BatchOptions) -> Iterator[AuditCheck]:
    """As :func:`check_many`, keeping each check's framework, kind, result and (with
    ``options.check.keep_data``) what following the links between files needs of its data: a
    record of another kind whole, an audit's :func:`~qaimpact.audits.links.link_view`."""
    frameworks = {f.id: f for f in registry.frameworks()}
    for check, framework_id in map_files(files, registry, options, _check_kept):
        check.framework = frameworks.get(framework_id) if framework_id else None
        yield check


def map_files(
    files: Sequence[Path],
    registry: Registry,
    options: BatchOptions,
    task: FileTask,
    *,
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[Any]:
    """Yield ``task(registry, options.check, path)`` for each file, in input order, in forked
    workers when there are enough files and cores. ``task`` must be a module-level function and
    return something small to pickle: it crosses the process boundary. ``meanwhile``: see
    :func:`map_items`."""
    yield from map_items(files, registry, options, task, meanwhile=meanwhile)


def map_items(
    items: Sequence[Any],
    registry: Registry,
    options: BatchOptions,
    task: Callable[[Registry, CheckOptions, Any], Any],
    *,
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[Any]:
    """:func:`map_files` for any small picklable items (``import`` sends each row's sheet and index):
    ``task(registry, options.check, item)`` for each, in input order, in forked workers when
    there are enough items and cores. Workers inherit the parent's memory, so a task may read
    state the parent set up before the call instead of receiving it.

    ``meanwhile`` is called once in this process, as soon as the workers have their tasks (before
    the first item where there are none): work the caller needs only after the last result, such
    as importing what writes a report, done while the workers read, not on one core afterwards.
    """
    jobs = options.jobs or default_jobs()
    items = list(items)
    # Load every framework now, so forked workers inherit them (a broken standards file is
    # loaded too: its audits get QA211 in whichever process checks them).
    registry.frameworks()
    if jobs == 1 or len(items) < 2 * _CHUNK or not _can_fork():
        if meanwhile is not None:
            meanwhile()
        for path in items:
            yield task(registry, options.check, path)
        return
    from qaimpact.models.audit import audit_model
    from qaimpact.models.dict_validation import dict_validator
    from qaimpact.models.kinds import record_model

    # The models and their validators, built once here for every worker, not once in each.
    for framework in registry.frameworks():
        dict_validator(audit_model(framework))
        for kind in framework.spec.records:
            dict_validator(record_model(framework, kind))
    chunks = [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]
    ctx = multiprocessing.get_context("fork")
    # Which chunks a process has taken: the workers take them from the first, this process from
    # the last while it waits, so that the cores are shared by ``jobs`` processes that all read,
    # not by ``jobs`` workers and a parent that competes with them to take their results.
    taken = _Taken(ctx, len(chunks))
    # The workers inherit the chunks (and whatever the task reads) and are sent nothing.
    _worker_state.update(registry=registry, options=options.check, task=task, chunks=chunks, taken=taken)
    # Move everything loaded so far out of the collector's reach, so forked workers share those
    # pages with the parent instead of copying them when the collector walks them.
    gc.freeze()
    workers = _Workers(ctx, taken)
    try:
        workers.start(min(jobs - 1, len(chunks), _MOST_WORKERS))
        taken.stuck = workers.check_running
        # The workers read while this process does what ``meanwhile`` asks.
        if meanwhile is not None:
            meanwhile()
        yield from _shared(workers, chunks, taken, registry, options.check, task)
    finally:
        # Every chunk has come (or none is wanted any more): a worker still running is only
        # looking for a chunk left, or waiting for a lock a killed worker held.
        workers.terminate()
        workers.join()
        gc.unfreeze()
        _worker_state.clear()


#: What :class:`_Taken` holds for a chunk this process took; a worker's flag is its slot, from 2.
_OWN = 1
#: The most workers forked: each one's slot is a byte of :class:`_Taken`'s flags.
_MOST_WORKERS = 255 - _OWN

#: How long a process waits for :class:`_Taken`'s lock before it looks whether the process
#: holding it was killed: any process holds it for microseconds.
_LOCK_WAIT = 1.0

#: How much each worker's pipe is asked to hold (Linux allows up to 1 MiB without privileges):
#: several chunks' results, so that a worker sends a chunk and reads on while this process reads
#: a chunk of its own, instead of waiting for it to empty the pipe.
_PIPE_BYTES = 1 << 20


class _Taken:
    """Which process has taken each chunk, shared by the processes forked after it is made.

    The flags live in an anonymous shared mapping: a ``multiprocessing.Array`` keeps its memory in
    a file under a temporary folder where ``/dev/shm`` is missing (macOS), which only an exit
    hook removes, and the console script ends without running them (``cli.app.main``). The lock
    is a semaphore, which a forked process's context unlinks as soon as it is made.
    """

    def __init__(self, ctx: Any, count: int) -> None:
        self._flags = mmap.mmap(-1, max(count, 1))
        self._lock = ctx.Lock()
        #: Called each time a process has waited :data:`_LOCK_WAIT` for the lock, to stop waiting
        #: where it can never be released: a semaphore held by a killed process stays held. Each
        #: process sets its own (it is not shared): this one raises where a worker was killed, a
        #: worker ends where this one was.
        self.stuck: Callable[[], None] | None = None

    def take(self, index: int, by: int = _OWN) -> bool:
        """Take chunk ``index`` for process ``by`` (this one, or a worker's slot), unless
        another process has."""
        while not self._lock.acquire(timeout=_LOCK_WAIT):
            if self.stuck is not None:
                self.stuck()
        try:
            if self._flags[index]:
                return False
            self._flags[index] = by
            return True
        finally:
            self._lock.release()

    def taker(self, index: int) -> int:
        """Who took chunk ``index``: 0 for no process yet, :data:`_OWN`, or a worker's slot."""
        return self._flags[index]


class _Workers:
    """The forked workers, and what they have sent: :meth:`next` gives each chunk's results in
    input order, as a pool's ``imap`` iterator does (``None`` for a chunk this process took)."""

    def __init__(self, ctx: Any, taken: _Taken) -> None:
        self._ctx = ctx
        self._taken = taken
        self._next = 0
        #: Each chunk's message, as sent, by index: unpickled only when its turn comes.
        self._got: dict[int, bytes] = {}
        #: The pipes still open, each with its worker's slot; and the slots that have ended.
        self._pipes: dict[Connection, int] = {}
        self._ended: set[int] = set()
        self._processes: list[Any] = []

    def start(self, count: int) -> None:
        """Fork ``count`` workers (the caller ends those started if a later one cannot be)."""
        ctx = self._ctx
        for slot in range(_OWN + 1, _OWN + 1 + count):
            reader, writer = ctx.Pipe(duplex=False)
            _widen(writer)
            readers = [*self._pipes, reader]
            process = ctx.Process(target=_serve, args=(slot, writer, readers), daemon=True)
            process.start()
            # Closed here, so that the reader sees the end of the pipe when the worker ends; and
            # before the next worker is forked, which would otherwise hold it open too.
            writer.close()
            self._pipes[reader] = slot
            self._processes.append(process)

    def drain(self) -> None:
        """Take in whatever the workers have sent, without waiting."""
        if self._pipes:
            self._receive(0)

    def _receive(self, timeout: float | None) -> None:
        for conn in wait(list(self._pipes), timeout):
            assert isinstance(conn, Connection)
            try:
                data = conn.recv_bytes()
            except (EOFError, OSError):  # OSError: a message cut off as its worker was killed
                self._ended.add(self._pipes.pop(conn))
                conn.close()
                continue
            self._got[int.from_bytes(data[:4], "little")] = data

    def next(self, timeout: float | None = None) -> list[Any] | Exception | None:
        """The next chunk's results (or the error that stopped them), ``None`` where this process
        took the chunk; with ``timeout=0``, :class:`multiprocessing.TimeoutError` if they have
        not come yet."""
        index = self._next
        while index not in self._got:
            taker = self._taken.taker(index)
            if taker == _OWN:
                self._next += 1
                return None
            if taker in self._ended or not self._pipes:
                raise _stopped()
            if timeout is not None:
                self._receive(timeout)
                if index not in self._got:
                    raise multiprocessing.TimeoutError
                continue
            # Waited for a second at a time: a worker killed while it held the chunks' lock
            # sends nothing more, and keeps any other worker waiting for the lock for ever.
            self._receive(_LOCK_WAIT)
            if index not in self._got:
                self.check_running()
        self._next += 1
        got: list[Any] | Exception = pickle.loads(memoryview(self._got.pop(index))[4:])
        return got

    def check_running(self) -> None:
        """Raise :class:`WorkerStopped` where a worker has been killed or has failed (a worker
        that has read its share ends with 0): one killed while it held :class:`_Taken`'s lock
        never gives it back."""
        if any(process.exitcode for process in self._processes):
            raise _stopped()

    def terminate(self) -> None:
        """End every worker still running: once every chunk has come, after an error or Ctrl-C,
        or when the caller stops asking for results."""
        for process in self._processes:
            if process.exitcode is None:
                process.terminate()

    def join(self) -> None:
        """Wait for every worker to end, and close the pipes."""
        for process in self._processes:
            process.join()
        for conn in self._pipes:
            conn.close()
        self._pipes.clear()


def _stopped() -> WorkerStopped:
    return WorkerStopped(
        "a process reading the files stopped before it sent what it read (most likely killed, or "
        "out of memory), so the command could not finish. Run it again; if it stops again, close "
        "other programs or read fewer files at a time."
    )


def _widen(conn: Connection) -> None:
    """Ask for a pipe that holds :data:`_PIPE_BYTES` (Linux); where that is refused, or not
    offered, the pipe keeps its size, and this process empties it between its own files."""
    import fcntl  # POSIX only, as fork is

    setting = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setting is None:
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(conn.fileno(), setting, _PIPE_BYTES)


def _shared(
    results: Any,
    chunks: Sequence[Sequence[Any]],
    taken: _Taken,
    registry: Registry,
    options: CheckOptions,
    task: Callable[[Registry, CheckOptions, Any], Any],
) -> Iterator[Any]:
    """Yield every chunk's results in input order: the workers' (``results``, one list per chunk,
    or ``None`` for a chunk this process took) and those this process works out itself, from
    the last chunk back, whenever the next chunk in order is not ready.

    A task's error is raised where its chunk comes in input order, as a worker's is, after every
    result before it: ``validate`` has shown those files' findings by then."""
    own: dict[int, list[Any] | Exception] = {}
    last = len(chunks) - 1
    for index in range(len(chunks)):
        while True:
            try:
                batch = results.next(timeout=0)
                break
            except multiprocessing.TimeoutError:
                if last > index and taken.take(last):
                    try:
                        own[last] = _own_chunk(results, chunks[last], registry, options, task)
                    except Exception as exc:
                        own[last] = exc
                        last = -1  # the workers read what is left before it
                        continue
                    last -= 1
                    continue
                # The workers have taken every chunk after this one: wait for theirs.
                last = -1
                batch = results.next()
                break
        got = own.pop(index) if batch is None else batch
        if isinstance(got, Exception):
            raise got
        yield from got


#: How many of its own files this process reads between looking for what the workers sent.
_DRAIN_EVERY = 8


def _own_chunk(
    results: Any,
    chunk: Sequence[Any],
    registry: Registry,
    options: CheckOptions,
    task: Callable[[Registry, CheckOptions, Any], Any],
) -> list[Any]:
    """A chunk this process reads, taking in what the workers send every few files: where a pipe
    holds less than a chunk's results, a worker would otherwise wait for the whole chunk."""
    done: list[Any] = []
    for number, item in enumerate(chunk, 1):
        done.append(task(registry, options, item))
        if number % _DRAIN_EVERY == 0:
            results.drain()
    return done


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()

"""A `Split` (interop/mspdi/split.py) that hands the second part of the rows to a forked child.

Only the file paths of `steerco schedule` and `steerco import` use it: short-lived
processes, and only when a core is free at the moment (`idle_core`); otherwise the rows are
done here, in one go.
Never use it inside `steerco serve`: forking a server with threads, sockets and a database
pool is not safe.

The child inherits the parent's memory (copy on write), does rows k..n-1, packs them and
sends the bytes back through a pipe, then leaves with `os._exit` (no atexit handlers, no
stdio flush, nothing written to any file). Meanwhile the parent does rows 0..k-1 and then
unpacks the child's rows. If anything goes wrong on the child's side (no fork, a failed
child, a short payload), the parent does the child's rows itself, so the result is always
that of `work(0, n)` and errors are raised by the parent, in order, as the serial run raises
them.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

MIN_ROWS = 2000  # below this a fork (tens of milliseconds) costs more than it saves
_HEADER = 8


def forked(
    n: int,
    work: Callable[[int, int], list[T]],
    pack: Callable[[list[T]], bytes],
    unpack: Callable[[bytes], list[T]],
    share: float,
) -> list[T]:
    _reap()
    k = min(n, max(0, round(n * share)))
    if n - k < MIN_ROWS // 2 or n < MIN_ROWS or not hasattr(os, "fork") or not idle_core():
        return work(0, n)
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return work(0, n)
    # No flush of stdout first: the child leaves by os._exit, so whatever sits in its copy
    # of the buffers is dropped, never written twice (and a closed stdout cannot fail here).
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return work(0, n)
    if pid == 0:  # the child: never returns
        _child(read_end, write_end, lambda: pack(work(k, n)))
    os.close(write_end)
    try:
        head = work(0, k)
    except BaseException:
        os.close(read_end)
        _stop(pid)
        raise
    payload = _receive(read_end, pid)
    tail = unpack(payload) if payload is not None else work(k, n)
    head.extend(tail)
    return head


def idle_core() -> bool:
    """Whether a core is free for a child right now.

    A child only pays off on a core nobody else wants. On a machine whose cores are busy it
    takes its CPU from the parent, and the rows it does cost more than the parent's (packing,
    pages faulted in). With Linux's autogroup (on by default), a session's processes share
    what its group gets: on the 2-core test VM with one other session busy, parent and child
    shared one core, and the 100,000-task plan ran 8.7 s against 7.6 s without the child.
    So it forks only when at most cores - 2 other tasks are runnable (on 2 cores: none),
    taking the least of three readings of /proc/loadavg's runnable count 1 ms apart, so that
    a passing kernel thread does not count. Where that count is unknown, the machine is
    taken to be free.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    if cores < 2:
        return False
    for attempt in range(3):
        if attempt:
            time.sleep(0.001)
        try:
            with open("/proc/loadavg", encoding="ascii") as f:
                runnable = int(f.read().split()[3].split("/")[0])
        except (OSError, ValueError, IndexError):
            return True
        if runnable - 1 <= cores - 2:  # minus this process, which is running
            return True
    return False


def _child(read_end: int, write_end: int, job: Callable[[], bytes]) -> None:
    code = 1
    try:
        os.close(read_end)
        payload = job()
        view = memoryview(len(payload).to_bytes(_HEADER, "little") + payload)
        while view:
            view = view[os.write(write_end, view) :]
        # Closed before exiting: the parent reads to the end of the pipe and goes on while
        # the kernel takes this process's memory apart.
        os.close(write_end)
        code = 0
    except BaseException:  # noqa: S110  # the parent redoes the rows and reports any error
        pass
    finally:
        os._exit(code)


def _receive(read_end: int, pid: int) -> bytes | None:
    """The child's payload, or None when it failed in any way. A payload of the length its
    header gives is complete: the child writes it last, then exits."""
    chunks: list[bytes] = []
    try:
        with open(read_end, "rb", buffering=0, closefd=True) as pipe:
            head = b""
            while len(head) < _HEADER and (more := pipe.read(_HEADER - len(head))):
                head += more
            # The header is read apart, so the payload is joined once and not copied
            # again to drop it (tens of MB on a 100,000-task plan).
            while chunk := pipe.read(1 << 22):
                chunks.append(chunk)
    except OSError:
        _stop(pid)
        return None
    data = b"".join(chunks)
    size = int.from_bytes(head, "little") if len(head) == _HEADER else -1
    if len(data) != size:
        _stop(pid)
        return None
    _reap(pid)
    return data


_EXITING: list[int] = []  # children that sent their rows and are still exiting


def _reap(pid: int | None = None, *, wait: bool = False) -> None:
    """Collect the children that have exited; with `wait`, wait for those still exiting."""
    if pid is not None:
        _EXITING.append(pid)
    for child in list(_EXITING):
        try:
            done, _ = os.waitpid(child, 0 if wait else os.WNOHANG)
        except ChildProcessError:
            done = child
        if done:
            _EXITING.remove(child)


def reap() -> None:
    """Wait for the children still exiting (each has sent its rows and is letting go of its
    memory): called once a file is written, so none is left behind."""
    _reap(wait=True)


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (OSError, ChildProcessError):
        pass

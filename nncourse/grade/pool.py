"""The sandboxes a grading worker keeps from one student to the next.

Starting a sandbox costs its fork server's imports, torch and the rest:
about 4 s of CPU, as much as a student's cells in some chapters. A worker
process therefore keeps each sandbox it started, idle, for its next student,
and the run closes them all when its last student is graded
(:func:`close_pooled_sandboxes` on every worker).

Nothing of one student reaches the next this way, for the same reason that
nothing of one notebook reaches the next (``tests/test_sandbox.py``): before
a sandbox goes back to the pool, and again before every kernel, the fork
server kills every process in it and empties every place a kernel can write
or leave something (``/tmp``, ``/dev/shm``, the POSIX message queues, the
System V IPC objects, the kernels' folder); where it cannot, it ends, and the
next student gets a new sandbox (:func:`nncourse.forkserver.reset`). The
fork server itself never runs student code and no kernel can reach into it.
Two students are never in one sandbox at the same time: a sandbox is lent
to one task at a time.
"""

from __future__ import annotations

import atexit
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from traitlets.config import Config

from nncourse.grade.sandbox import KernelSandbox

#: Idle sandboxes by their settings (the limits, and whether they warm up).
IDLE: dict[str, list[KernelSandbox]] = {}
LOCK = threading.Lock()


def settings(config: Config, warm_up: bool) -> str:
    """What makes two sandboxes interchangeable: the ``KernelSandbox``
    settings of ``config`` and the warm-up."""
    chosen = config.get("KernelSandbox", {})
    return json.dumps([dict(chosen), warm_up], sort_keys=True, default=str)


@contextmanager
def pooled_sandbox(config: Config, warm_up: bool) -> Iterator[KernelSandbox]:
    """An idle sandbox with these settings, or a new one, for one task; back
    to the pool afterwards, emptied, or closed if the task failed."""
    key = settings(config, warm_up)
    with LOCK:
        idle = IDLE.get(key, [])
        sandbox = idle.pop() if idle else None
    if sandbox is None:
        sandbox = KernelSandbox(config=config, warm_up=warm_up)
    try:
        yield sandbox
    except BaseException:
        sandbox.close()
        raise
    if sandbox.alive:
        sandbox.reset()  # the last kernel's processes end now, not later
    with LOCK:
        IDLE.setdefault(key, []).append(sandbox)


def close_pooled_sandboxes() -> int:
    """Close every idle sandbox of this process; how many there were."""
    with LOCK:
        sandboxes = [sandbox for idle in IDLE.values() for sandbox in idle]
        IDLE.clear()
    for sandbox in sandboxes:
        sandbox.close()
    return len(sandboxes)


# A worker that ends without being told still removes its control groups.
atexit.register(close_pooled_sandboxes)

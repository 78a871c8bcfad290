"""The program a grading sandbox runs: import once, fork a kernel per notebook.

:class:`nncourse.grade.sandbox.KernelSandbox` starts it inside bubblewrap, and
a grading worker keeps it from one student to the next. It imports what
every notebook imports (torch, matplotlib, IPython's kernel, nncourse) once,
then answers requests from the grader, one JSON line each on its standard
input and one reply line on its output:

- ``{"fork": {"arguments": [...], "log": L, "env": {...}}}``: end every
  other process of the sandbox, empty what it wrote, then fork a kernel (``python
  -m ipykernel_launcher ARGUMENTS``) that starts from this clean, imported
  state; reply ``{"pid": N}``;
- ``{"poll": N}``: ``{"status": null}`` while kernel N runs, else its exit
  status (negative: the signal that ended it);
- ``{"signal": [N, S]}``: send signal S to kernel N's process group;
- ``{"reset": true}``: the same, and empty the kernels' folder (their
  connection files, sockets and logs).

Why a notebook cannot reach the next one through it, whoever's it is:

- this process never runs student code, and no kernel can reach into it: it
  is not dumpable (no ptrace, no ``/proc/PID/mem``, ``fd`` or ``environ``
  for processes of the same user), and its requests come on pipes no kernel
  holds;
- before a kernel starts, every other process in the sandbox is killed
  (``kill(-1)`` inside the sandbox's PID namespace spares only this process
  and bwrap's init), ``/tmp``, ``/dev/shm`` and ``/dev/mqueue`` are emptied
  and the System V IPC objects removed (:func:`reset`), so nothing a notebook
  left behind (a process, a file, an IPython start-up script, a shared memory
  segment holding memory) is there for the next one;
- a kernel may kill this process: then the whole sandbox dies, and the grader
  starts a new one for the next notebook.

Any failure here ends this process, which the grader reads the same way.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import stat
import sys
import time
import traceback

#: What the course's notebooks import, imported once before any fork.
PRELOAD = (
    "numpy",
    "torch",
    "torch.nn.functional",
    "torch.utils.data",
    "matplotlib.pyplot",
    "tqdm",
    "IPython",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "nncourse",
    "nncourse.checks",
    "nncourse.data",
    "nncourse.plots",
    "nncourse.training",
)
#: The backend ipykernel would choose; matplotlib reads it when imported.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
TMP = "/tmp"
#: The other places a kernel can leave something: POSIX shared memory and
#: message queues (tmpfs and mqueue mounts of the sandbox's own). Where one
#: is missing, emptying it fails and the server ends: no clean state to give.
SHARED = ("/dev/shm", "/dev/mqueue")
IPC_RMID = 0
PR_SET_DUMPABLE = 4
#: Seconds to wait for the processes killed by :func:`end_others` to go.
END_TIMEOUT = 5.0


def set_dumpable(dumpable: bool) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, int(dumpable), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


def reap() -> None:
    """Collect this process's ended children (kernels and their zombies)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def end_others() -> None:
    """Kill every process of the sandbox but this one and init, and wait
    until they are gone. ``kill(-1)`` signals them all in one step, so a
    process forked meanwhile is not missed."""
    deadline = time.monotonic() + END_TIMEOUT
    while True:
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:  # nothing left to signal
            return
        reap()
        if time.monotonic() > deadline:
            raise RuntimeError("processes of the last kernel did not end")
        time.sleep(0.005)


def empty_folder(folder: str) -> None:
    """Remove everything under ``folder`` but mount points (what the sandbox
    shows from outside) and the folders that lead to them."""
    device = os.lstat(folder).st_dev
    with os.scandir(folder) as entries:
        for entry in entries:
            info = entry.stat(follow_symlinks=False)
            if info.st_dev != device:
                continue
            if not stat.S_ISDIR(info.st_mode):
                os.unlink(entry.path)
                continue
            if info.st_uid == os.getuid():  # a kernel may have locked it (chmod 0)
                os.chmod(entry.path, stat.S_IMODE(info.st_mode) | stat.S_IRWXU)
            empty_folder(entry.path)
            try:
                os.rmdir(entry.path)
            except OSError:  # it leads to a mount point
                pass


def sysv_ids(table: str) -> list[int]:
    """The ids in ``/proc/sysvipc/TABLE`` (this IPC namespace's objects)."""
    with open(f"/proc/sysvipc/{table}") as rows:
        next(rows)  # the header
        return [int(row.split()[1]) for row in rows if row.strip()]


def remove_sysv_ipc() -> None:
    """Remove every System V shared memory segment, message queue and
    semaphore set: they outlive the processes that made them, and a segment
    holds memory that the sandbox's control group counts."""
    libc = ctypes.CDLL(None, use_errno=True)
    removers = {
        "shm": lambda ident: libc.shmctl(ident, IPC_RMID, None),
        "msg": lambda ident: libc.msgctl(ident, IPC_RMID, None),
        "sem": lambda ident: libc.semctl(ident, 0, IPC_RMID),
    }
    for table, remove in removers.items():
        for ident in sysv_ids(table):
            remove(ident)
        if sysv_ids(table):  # one it could not remove: no clean state to give
            raise RuntimeError(f"System V {table} objects are left")


def reset(kernels: str | None = None) -> None:
    """End every other process, then empty /tmp, the shared memory and
    message queues, and ``kernels``: a kernel starts with nothing an earlier
    one left, whoever's notebook that was."""
    end_others()
    empty_folder(TMP)
    for place in SHARED:  # always mounted (bubblewrap.mounts): none skipped
        empty_folder(place)
    remove_sysv_ipc()
    if kernels is not None:
        empty_folder(kernels)


def run_kernel(arguments: list[str], log: str, env: dict[str, str]) -> None:
    """In the forked child: become ``python -m ipykernel_launcher ARGUMENTS``."""
    os.setsid()  # signals to the kernel's group reach its children, not the server
    output = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    nothing = os.open(os.devnull, os.O_RDONLY)
    os.dup2(nothing, 0)
    os.dup2(output, 1)
    os.dup2(output, 2)
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # the server's pipes among them
    set_dumpable(True)  # an ordinary process again, to itself
    os.environ.clear()
    os.environ.update(env)
    os.chdir(TMP)
    sys.path.insert(0, TMP)  # as `python -m` would put the working folder
    sys.argv = ["ipykernel_launcher", *arguments]
    # pyzmq starts this thread for the first message part over 64 kB; started
    # now, a cell that used up the process limit (a fork bomb) cannot keep
    # the kernel from sending its large outputs later.
    from zmq.utils.garbage import gc as zero_copy_frames

    zero_copy_frames.start()
    from ipykernel.kernelapp import IPKernelApp

    # IPKernelApp.launch_instance, with its close() called here rather than
    # by the atexit handler it registers: the child ends with os._exit (as
    # a forked child should), which runs no atexit handler, and close()
    # sends what the kernel still holds (its last replies) before that.
    kernel = IPKernelApp.instance()
    try:
        kernel.initialize(sys.argv[1:])
        kernel.start()
    finally:
        kernel.close()


def fork_kernel(request: dict) -> int:
    reset()  # (the grader has put this kernel's connection file in kernels/)
    sys.stdout.flush()
    pid = os.fork()
    if pid:
        return pid
    status = 0
    try:
        run_kernel(request["arguments"], request["log"], request["env"])
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        traceback.print_exc()
        status = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def exit_status(pid: int, ended: dict[int, int]) -> int | None:
    if pid not in ended:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return ended.get(pid, -signal.SIGKILL)
        if done == 0:
            return None
        ended[pid] = os.waitstatus_to_exitcode(status)
    return ended[pid]


def serve(requests, replies, kernels: str) -> None:
    ended: dict[int, int] = {}
    for line in requests:
        request = json.loads(line)
        if "fork" in request:
            reply = {"pid": fork_kernel(request["fork"])}
        elif "poll" in request:
            reply = {"status": exit_status(request["poll"], ended)}
        elif "signal" in request:
            pid, signum = request["signal"]
            try:
                os.killpg(pid, signum)
            except ProcessLookupError:
                pass
            reply = {"sent": True}
        elif "reset" in request:
            reset(kernels)
            reply = {"reset": True}
        else:
            raise ValueError(f"unknown request: {line!r}")
        replies.write(json.dumps(reply) + "\n")
        replies.flush()
    end_others()  # the grader is done: nothing outlives the server


#: The argument that has the server :func:`warm_up` before its first fork.
WARM = "--warm-up"


def warm_up() -> None:
    """Do once what PyTorch imports on first use: the first step of an
    optimizer, ``torch.testing`` and ``torch.broadcast_shapes`` import its
    compiler stack and sympy, about 1.1 s of CPU in all, and torchvision
    (chapter 07) 0.1 s more. A single kernel pays only the part its chapter
    uses (0 to 1 s), so this pays where a sandbox forks several kernels
    (:class:`~nncourse.grade.sandbox.KernelSandbox`'s ``warm_up``).
    Tiny tensors (no thread pool starts before the fork), and the random state
    put back, so a kernel starts as a fresh one would."""
    import torch
    import torchvision  # noqa: F401

    with torch.random.fork_rng(devices=[]):
        layer = torch.nn.Linear(2, 1)
        optimizer = torch.optim.SGD(layer.parameters(), lr=0.1)
        layer(torch.ones(1, 2)).sum().backward()
        optimizer.step()
        torch.testing.assert_close(torch.ones(1), torch.ones(1))
        torch.broadcast_shapes((1,), (2,))


def main() -> None:
    kernels = sys.argv[1]  # the kernels' folder, shown from outside
    replies = sys.stdout
    sys.stdout = sys.stderr  # what the imports print is no reply
    os.environ["MPLBACKEND"] = INLINE_BACKEND
    set_dumpable(False)
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    if WARM in sys.argv[2:]:
        warm_up()
    # What is imported stays: outside the garbage collector's view, it is not
    # traversed (so not copied, page by page) by each kernel and each process
    # a kernel forks.
    gc.collect()
    gc.freeze()
    replies.write(json.dumps({"ready": True}) + "\n")
    replies.flush()
    serve(sys.stdin, replies, kernels)


if __name__ == "__main__":
    main()

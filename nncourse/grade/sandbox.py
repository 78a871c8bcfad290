"""Run students' notebooks in a sandbox while nbgrader grades them.

nbgrader executes a submission with nbclient, which starts an ipykernel as the
grading user. Here a :class:`KernelSandbox` does instead: Debian's ``bwrap``
(bubblewrap) running :mod:`nncourse.forkserver`, which imports torch,
matplotlib, IPython's kernel and nncourse once and forks a fresh kernel for
each notebook (:mod:`nncourse.grade.kernels`: a jupyter_client provisioner),
one at a time; a worker keeps it for its next student (:mod:`.pool`).

- **Unprivileged**: when grading runs as root, the sandbox runs as a user id
  of its own that owns nothing, with no capabilities (``setpriv`` inside);
  otherwise as the grading user, in a user namespace of its own.
- **Nothing to read but the system**: a fresh mount namespace holds ``/usr``,
  ``/etc``, the Python environment, the ``nncourse`` package and the data set,
  all read-only. The course (``solutions/``, the gradebook), the notebook with
  its hidden tests and other students' files are not in it.
- **Nothing to write but its own temporary folders**: ``/tmp`` (the working
  folder) and ``/dev/shm`` are private, size-limited tmpfs. The kernels'
  sockets live in a fresh folder each (Unix sockets: with no network, TCP to
  the grader is impossible), removed when the kernel stops.
- **No network**, new PID/IPC/UTS namespaces, no nested user namespaces.
- **Limits** (``prlimit``): memory (``RLIMIT_DATA``), processes and threads
  (``RLIMIT_NPROC``), file size, no core dumps; and a wall-clock deadline per
  notebook: when it passes, the whole sandbox is killed, and the next notebook
  gets a new one.
- **One notebook at a time, from a clean state**: before each kernel starts,
  the fork server kills every other process and empties every writable place
  and IPC object; it never runs student code, and no kernel can read or trace
  it (see :mod:`nncourse.forkserver`).

nbgrader is configured to use :class:`~nncourse.grade.kernels.SandboxedExecute`
in place of its ``Execute`` preprocessor; nothing else of nbgrader changes.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

from traitlets import Bool, Float, Integer
from traitlets.config import LoggingConfigurable

from nncourse.grade import bubblewrap
from nncourse.grade.bubblewrap import (
    MEMORY_LIMIT,
    MiB,
    SandboxUnavailable,
    kernel_environment,
    sandbox_uid,
    share_with_sandbox,
)
from nncourse.grade.cgroups import ControlGroup, GroupLimits
from nncourse.grade.folders import SandboxFolder


class SandboxDied(RuntimeError):
    """The sandbox has ended: its deadline passed, or a kernel killed it."""


#: Seconds the fork server may take to answer a request (a fork, a reset).
REQUEST_TIMEOUT = 30
#: Seconds it may take to end when the grader is done with it.
CLOSE_TIMEOUT = 10


class KernelSandbox(LoggingConfigurable):
    """One bubblewrap sandbox running :mod:`nncourse.forkserver`: kernels,
    one after another (a worker's students', :mod:`nncourse.grade.pool`).

    Use it as a context manager, and give it to the kernel managers that
    start kernels in it (:class:`~nncourse.grade.kernels.SandboxedKernelManager`'s
    ``sandbox``). It starts when first needed, and again after it died."""

    memory_limit = Integer(
        MEMORY_LIMIT, config=True, help="Bytes of data memory (RLIMIT_DATA)."
    )
    process_limit = Integer(
        64, config=True, help="Processes and threads (RLIMIT_NPROC)."
    )
    file_size_limit = Integer(64 * MiB, config=True, help="Bytes per written file.")
    tmp_size = Integer(
        512 * MiB, config=True, help="Bytes of the private /tmp (a tmpfs)."
    )
    shm_size = Integer(
        64 * MiB, config=True, help="Bytes of /dev/shm (a tmpfs; POSIX shared memory)."
    )
    kernels_size = Integer(
        16 * MiB,
        config=True,
        help="Bytes of the kernels' folder (connection files, sockets, logs): "
        "a tmpfs where the grader runs as root, so no kernel writes to its disk.",
    )
    control_group = Bool(
        True,
        config=True,
        help="Hold each sandbox in a control group of its own, where one can "
        "be made (nncourse.grade.cgroups): all its memory, processes and CPU.",
    )
    cpu_limit = Float(1.0, config=True, help="CPUs' worth of time (control group).")
    notebook_timeout = Integer(
        600,
        config=True,
        help="Seconds after which a kernel, and its sandbox with everything "
        "in it, is killed, whatever runs.",
    )
    start_timeout = Integer(
        180, config=True, help="Seconds the fork server may take to import."
    )
    warm_up = Bool(False, help="Warm PyTorch up first (nncourse.forkserver).")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._process: subprocess.Popen | None = None
        self._place: SandboxFolder | None = None
        self._replies = b""
        self._lock = threading.Lock()
        self._deadline: threading.Timer | None = None
        self._dirty = False  # a kernel ran since the last reset
        self._group: ControlGroup | None = None
        self._memory_kills = 0  # by the groups of earlier sandboxes

    def __enter__(self) -> KernelSandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- the sandbox's process

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def open(self) -> None:
        """Start the sandbox unless it runs; after a death, a new one."""
        if self.alive:
            return
        self.close()
        self._uid = sandbox_uid()
        self._place = SandboxFolder.make(self.kernels_size, self._uid)
        kernels = self._place.kernels
        command = self.command(kernels)
        if self.control_group:
            self._group = ControlGroup.create(self.group_limits())
        if self._group is not None:
            command = self._group.joined(command)
        log = open(self._place.path / "server.log", "wb")
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                cwd=self._place.path,
            )
        finally:
            log.close()  # the sandbox has its own copy
        self._replies = b""
        self._dirty = False
        if self._read_reply(self.start_timeout) != {"ready": True}:
            printed = self.server_log()
            self.close()
            raise SandboxUnavailable(
                f"the sandbox's fork server did not start; it printed:\n{printed}"
            )

    def kill(self) -> None:
        """End the sandbox and every process in it (bwrap's children die with
        it: --die-with-parent, and the PID namespace ends with its init)."""
        if self._deadline is not None:
            self._deadline.cancel()
        if self._process is not None and self._process.poll() is None:
            self._process.kill()

    def close(self) -> None:
        """End the sandbox: the fork server ends every process in it and
        exits when its input closes (so their CPU time is counted, as for
        any child); killed if it does not within :data:`CLOSE_TIMEOUT`."""
        if self._deadline is not None:
            self._deadline.cancel()
        if self._process is not None:
            try:
                self._process.stdin.close()
                self._process.wait(CLOSE_TIMEOUT)
            except (OSError, subprocess.TimeoutExpired):
                pass
            self.kill()
            self._process.wait()
            self._process.stdout.close()
            self._process = None
        if self._group is not None:
            self._memory_kills += self._group.memory_kills()
            self._group.remove()
            self._group = None
        if self._place is not None:
            self._place.remove()
            self._place = None

    def group_limits(self) -> GroupLimits:
        """The control group's limits: the data limit, and room for the
        tmpfs mounts, whose pages count as the group's memory."""
        files = self.tmp_size + self.shm_size + self.kernels_size
        return GroupLimits(
            memory=self.memory_limit + files,
            processes=self.process_limit,
            cpus=self.cpu_limit,
        )

    @property
    def limited_by_group(self) -> bool:
        return self._group is not None

    def memory_kills(self) -> int:
        """How many of this sandbox's processes its memory limit has killed
        so far (through every sandbox it restarted as)."""
        current = self._group.memory_kills() if self._group is not None else 0
        return self._memory_kills + current

    def server_log(self) -> str:
        log = self._place.path / "server.log" if self._place else None
        if log is None or not log.is_file():
            return ""
        with open(log, "rb") as handle:
            return handle.read()[-3000:].decode("utf-8", "replace")

    # ---- requests to the fork server

    def _read_reply(self, timeout: float) -> dict | None:
        """One reply line, or None when the server ends or is silent."""
        output = self._process.stdout
        deadline = time.monotonic() + timeout
        while b"\n" not in self._replies:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([output], [], [], left)[0]:
                return None
            chunk = os.read(output.fileno(), 65536)
            if not chunk:
                return None
            self._replies += chunk
        line, self._replies = self._replies.split(b"\n", 1)
        return json.loads(line)

    def _request(self, message: dict) -> dict:
        with self._lock:
            reply = None
            if self.alive:
                try:
                    self._process.stdin.write(json.dumps(message).encode() + b"\n")
                    self._process.stdin.flush()
                    reply = self._read_reply(REQUEST_TIMEOUT)
                except (OSError, ValueError):
                    reply = None
            if reply is None:
                self.kill()  # ended, silent or stopped: no sandbox to trust
                raise SandboxDied("the sandbox has ended")
            return reply

    # ---- kernels

    def new_kernel_folder(self) -> Path:
        """A fresh folder for a kernel's connection file, sockets and log,
        made after every process of the last kernel has ended."""
        self.open()
        if self._dirty:
            self.reset()
            self.open()  # a new sandbox, if the reset failed
        folder = self._place.kernels / uuid.uuid4().hex[: bubblewrap.KERNEL_DIGITS]
        folder.mkdir(mode=0o700)
        share_with_sandbox(folder, self._uid)
        return folder

    def share(self, path: Path) -> None:
        """Give a file made outside to the sandbox's user."""
        share_with_sandbox(path, self._uid)

    def fork(self, arguments: list[str], log: Path, env) -> int:
        """Start ``ipykernel_launcher ARGUMENTS``; its process id inside the
        sandbox. The notebook's deadline starts now."""
        self._dirty = True
        request = {
            "arguments": arguments,
            "log": str(log),
            "env": kernel_environment(env),
        }
        pid = self._request({"fork": request})["pid"]
        self._deadline = threading.Timer(self.notebook_timeout, self.kill)
        self._deadline.daemon = True
        self._deadline.start()
        return pid

    def poll(self, pid: int) -> int | None:
        try:
            return self._request({"poll": pid})["status"]
        except SandboxDied:
            return -signal.SIGKILL

    def signal(self, pid: int, signum: int) -> None:
        try:
            self._request({"signal": [pid, signum]})
        except SandboxDied:
            pass

    def reset(self) -> None:
        """End the last kernel's processes and empty /tmp; the sandbox is
        killed instead when that fails."""
        if self._deadline is not None:
            self._deadline.cancel()
        try:
            self._request({"reset": True})
            self._dirty = False
        except SandboxDied:
            pass

    # ---- the bwrap command (nncourse.grade.bubblewrap)

    def command(self, kernels: Path) -> list[str]:
        return bubblewrap.command(
            kernels,
            self._uid,
            {
                "data": self.memory_limit,
                "nproc": self.process_limit,
                "fsize": self.file_size_limit,
                # per process: threads run in parallel, so CPU time can pass
                # the wall-clock deadline (the fork server's own imports count
                # in its time, its kernels' start at zero)
                "cpu": self.notebook_timeout + self.start_timeout,
            },
            {"/tmp": self.tmp_size, "/dev/shm": self.shm_size},
            self.warm_up,
        )

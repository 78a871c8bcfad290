"""Run students' notebooks in a sandbox while nbgrader grades them.

nbgrader executes a submission with nbclient, which starts an ipykernel as the
grading user. Here each student gets a :class:`KernelSandbox` instead: Debian's
``bwrap`` (bubblewrap) running :mod:`nncourse.forkserver`, which imports torch,
matplotlib, IPython's kernel and nncourse once and forks a fresh kernel for
each of the student's notebooks (:mod:`nncourse.grade.kernels`: a jupyter_client
provisioner). nbgrader itself stays outside.

- **Unprivileged**: when grading runs as root, the sandbox runs as a user id
  of its own that owns nothing, with no capabilities (``setpriv`` inside);
  otherwise as the grading user, in a user namespace of its own.
- **Nothing to read but the system**: a fresh mount namespace holds ``/usr``,
  ``/etc``, the Python environment, the ``nncourse`` package and the data set,
  all read-only. The course (``solutions/``, the gradebook), the notebook with
  its hidden tests and other students' files are not in it.
- **Nothing to write but its own temporary folder**: ``/tmp`` is a private,
  size-limited tmpfs and the working folder. The kernels' sockets live in a
  fresh folder each (Unix sockets: with no network, TCP to the grader is
  impossible), removed when the kernel stops.
- **No network**, new PID/IPC/UTS namespaces, no nested user namespaces.
- **Limits** (``prlimit``): memory (``RLIMIT_DATA``), processes and threads
  (``RLIMIT_NPROC``), file size, no core dumps; and a wall-clock deadline per
  notebook: when it passes, the whole sandbox is killed, and the next notebook
  gets a new one.
- **One notebook at a time, from a clean state**: before each kernel starts,
  the fork server kills every other process in the sandbox and empties
  ``/tmp``; the kernel is forked from a process that never ran student code
  and that no kernel can read or trace (see :mod:`nncourse.forkserver`).

nbgrader is configured to use :class:`~nncourse.grade.kernels.SandboxedExecute`
in place of its
``Execute`` preprocessor; nothing else of nbgrader changes.
"""

from __future__ import annotations

import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from traitlets import Integer
from traitlets.config import LoggingConfigurable

# As root, each kernel runs as a user id of its own, drawn from this range and
# in no passwd file: the process limit counts per user, so one sandbox's fork
# bomb cannot starve another, and no file outside belongs to it.
SANDBOX_UIDS = range(1_000_000, 2_000_000)
GiB = 1024**3
MiB = 1024**2
MEMORY_LIMIT = 4 * GiB
# Variables the kernel may see; everything else of the grader's environment
# (a database URL with a password, tokens) stays out.
# OMP_NUM_THREADS among them, which overrides the sandbox's one thread.
PASSED_ENV = ("NBGRADER_", "NNCOURSE_REQUIRE_CUDA", "OMP_")
PASSED_ENV_NAMES = ("LANG", "LC_ALL", "TZ", "CUDA_VISIBLE_DEVICES", "PYTHONHASHSEED")


# The system's own folders, shown read-only at their places.
TOP_LEVEL = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64")
TOP_LEVEL_NAMES = {top.strip("/") for top in TOP_LEVEL} | {"tmp", "proc", "dev"}


class SandboxUnavailable(RuntimeError):
    """bwrap is missing or cannot create its namespaces here."""


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def check_available() -> None:
    """Raise :class:`SandboxUnavailable`, with the fix, unless a trivial
    sandbox starts."""
    bwrap = bwrap_path()
    if bwrap is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed, so student code cannot be "
            "sandboxed. Install it with 'sudo apt-get install bubblewrap' (what "
            "'make setup' does), or pass --unsafe to grade without a sandbox."
        )
    probe = [bwrap, "--ro-bind", "/", "/", "--die-with-parent"]
    probe += _namespace_options() + ["--"] + _drop_privileges(_sandbox_uid())
    probe += ["true"]
    result = subprocess.run(probe, capture_output=True, text=True)
    if result.returncode != 0:
        raise SandboxUnavailable(
            f"bwrap cannot create a sandbox here ({result.stderr.strip()}). "
            "Unprivileged user namespaces may be disabled (sysctl "
            "kernel.unprivileged_userns_clone or user.max_user_namespaces), "
            "or pass --unsafe to grade without a sandbox."
        )


def _namespace_options() -> list[str]:
    """As root, bwrap needs no user namespace (it drops to nobody inside, see
    :func:`_drop_privileges`); as anyone else it needs one, and forbids more."""
    namespaces = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
    namespaces.append("--unshare-cgroup-try")
    if os.geteuid() == 0:
        return namespaces  # (--unshare-all would add a user namespace)
    return namespaces + ["--unshare-user", "--disable-userns"]


def _sandbox_uid() -> int | None:
    """A fresh unprivileged user id for a kernel, when running as root."""
    if os.geteuid() != 0:
        return None
    return SANDBOX_UIDS.start + secrets.randbelow(len(SANDBOX_UIDS))


def _drop_privileges(uid: int | None) -> list[str]:
    """Inside the sandbox, as root: become ``uid`` with no capabilities. (A
    user namespace alone would leave the kernel as root outside, where the
    process limit does not apply.)"""
    if uid is None:
        return []
    return [
        "setpriv",
        f"--reuid={uid}",
        f"--regid={uid}",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--no-new-privs",
        "--",
    ]


def _share_with_sandbox(path: Path, uid: int | None) -> None:
    """Give ``path`` (made by this process) to the sandbox's user."""
    if uid is not None:
        os.chown(path, uid, uid)


def read_only_paths() -> list[Path]:
    """Folders the kernel needs: the Python environment, nncourse, the data;
    each at its real place and, where a symbolic link leads there, at the
    link's place too (the kernel's command names ``sys.executable``)."""
    import nncourse
    from nncourse.data import data_root

    paths = [
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(sys.executable).parent.parent,
        Path(os.path.realpath(sys.executable)).parent.parent,
        Path(nncourse.__file__).parent,
        data_root(),
    ]
    unique: list[Path] = []
    for path in paths:
        for form in (Path(os.path.abspath(path)), path.resolve()):
            if form.exists() and form not in unique:
                unique.append(form)
    return unique


def _parent_folders(paths: list[Path]) -> list[str]:
    """bwrap options that make the parents of ``paths`` passable (0755): bwrap
    would make them private to their owner. The system's folders are skipped;
    /tmp is not, as it is the sandbox's own tmpfs (mounted before)."""
    parents = {parent for path in paths for parent in path.parents}
    options = []
    for parent in sorted(parents, key=lambda path: len(path.parts)):
        top = parent.parts[1] if len(parent.parts) > 1 else None
        if top is None or (top in TOP_LEVEL_NAMES and top != "tmp"):
            continue
        options += ["--perms", "0755", "--dir", str(parent)]
    return options


def kernel_environment(env) -> dict[str, str]:
    """The variables a kernel sees: the sandbox's own, and those of ``env``
    (the grader's) that :data:`PASSED_ENV` lets through."""
    from nncourse.data import data_root

    variables = {
        # One thread per kernel: the workers are the parallelism, and a
        # kernel's threads count against the process limit. (The grader's
        # own OMP_NUM_THREADS, if set, wins.)
        "OMP_NUM_THREADS": "1",
        "HOME": "/tmp",
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "MPLCONFIGDIR": "/tmp/.matplotlib",
    }
    for name, value in env.items():
        if name.startswith(PASSED_ENV) or name in PASSED_ENV_NAMES:
            variables[name] = value
    variables["NNCOURSE_DATA"] = str(data_root())
    return variables


class SandboxDied(RuntimeError):
    """The sandbox has ended: its deadline passed, or a kernel killed it."""


#: Seconds the fork server may take to answer a request (a fork, a reset).
REQUEST_TIMEOUT = 30
#: Seconds it may take to end when the grader is done with it.
CLOSE_TIMEOUT = 10


class KernelSandbox(LoggingConfigurable):
    """One bubblewrap sandbox running :mod:`nncourse.forkserver`: the kernels
    of one student's notebooks, one after another.

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
    notebook_timeout = Integer(
        600,
        config=True,
        help="Seconds after which a kernel, and its sandbox with everything "
        "in it, is killed, whatever runs.",
    )
    start_timeout = Integer(
        180, config=True, help="Seconds the fork server may take to import."
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._process: subprocess.Popen | None = None
        self._folder: Path | None = None
        self._replies = b""
        self._lock = threading.Lock()
        self._deadline: threading.Timer | None = None
        self._dirty = False  # a kernel ran since the last reset

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
        self._folder = Path(tempfile.mkdtemp(prefix="nncourse-sandbox-"))
        self._uid = _sandbox_uid()
        kernels = self._folder / "kernels"
        kernels.mkdir(mode=0o700)
        _share_with_sandbox(kernels, self._uid)
        log = open(self._folder / "server.log", "wb")
        try:
            self._process = subprocess.Popen(
                self.command(kernels),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                cwd=self._folder,
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
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def server_log(self) -> str:
        log = self._folder / "server.log" if self._folder else None
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
        folder = self._folder / "kernels" / uuid.uuid4().hex
        folder.mkdir(mode=0o700)
        _share_with_sandbox(folder, self._uid)
        return folder

    def share(self, path: Path) -> None:
        """Give a file made outside to the sandbox's user."""
        _share_with_sandbox(path, self._uid)

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

    # ---- the bwrap command

    def command(self, kernels: Path) -> list[str]:
        bwrap = bwrap_path()
        if bwrap is None:
            raise SandboxUnavailable("bwrap is not installed")
        args = [bwrap] + _namespace_options()
        args += ["--die-with-parent", "--hostname", "sandbox", "--clearenv"]
        args += self.mounts(kernels)
        for name, value in sorted(kernel_environment(os.environ).items()):
            args += ["--setenv", name, value]
        args += ["--"] + _drop_privileges(self._uid)
        args += [
            "prlimit",
            f"--data={self.memory_limit}",
            f"--nproc={self.process_limit}",
            f"--fsize={self.file_size_limit}",
            "--core=0",
            "--",
        ]
        # -P: the working folder (/tmp, the kernels' to write) is not on the
        # server's import path.
        server = [sys.executable, "-P", "-m", "nncourse.forkserver", str(kernels)]
        return args + server

    def mounts(self, kernels: Path) -> list[str]:
        """bwrap's mounts, in order: the system, the private /tmp, then what
        the kernels read (which may live under /tmp, the tmpfs would hide it
        if mounted later) and their folder."""
        args = []
        for top in TOP_LEVEL:
            if os.path.islink(top):
                args += ["--symlink", os.readlink(top), top]
            elif os.path.isdir(top):
                args += ["--ro-bind", top, top]
        args += ["--proc", "/proc", "--dev", "/dev"]
        # A GPU, where there is one: its device files only.
        for device in sorted(Path("/dev").glob("nvidia*")):
            args += ["--dev-bind", str(device), str(device)]
        args += ["--perms", "1777", "--size", str(self.tmp_size), "--tmpfs", "/tmp"]
        shown = read_only_paths()
        # bwrap makes missing parent folders private (0700) to their owner;
        # the sandbox's user must be able to pass through them.
        args += _parent_folders(shown + [kernels])
        for path in shown:
            args += ["--ro-bind-try", str(path), str(path)]
        args += ["--bind", str(kernels), str(kernels), "--chdir", "/tmp"]
        return args

"""Run a student's notebook in a sandbox while nbgrader grades it.

nbgrader executes a submission with nbclient, which starts an ipykernel as the
grading user. Here the kernel starts inside Debian's ``bwrap`` (bubblewrap)
instead, and nbgrader itself stays outside:

- **Unprivileged**: when grading runs as root, each kernel runs as a user id
  of its own that owns nothing, with no capabilities (``setpriv`` inside the
  sandbox); otherwise as the grading user, in a user namespace of its own.
- **Nothing to read but the system**: a fresh mount namespace holds ``/usr``,
  ``/etc``, the Python environment, the ``nncourse`` package and the data set,
  all read-only. The course (``solutions/``, the gradebook), the notebook with
  its hidden tests and other students' files are not in it.
- **Nothing to write but its own temporary folder**: ``/tmp`` is a private,
  size-limited tmpfs and the working folder. The kernel's sockets live in a
  fresh folder of their own (Unix sockets: with no network, TCP to the grader
  is impossible), removed when the kernel stops.
- **No network**, new PID/IPC/UTS namespaces, no nested user namespaces.
- **Limits** (``prlimit``): memory (``RLIMIT_DATA``), processes and threads
  (``RLIMIT_NPROC``), file size, no core dumps; and a wall-clock deadline per
  notebook (``timeout -s KILL``): when it fires, every process of the sandbox
  dies with it.

nbgrader is configured to use :class:`SandboxedExecute` in place of its
``Execute`` preprocessor; nothing else of nbgrader changes.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbgrader.preprocessors import Execute
from traitlets import Integer

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
    import subprocess

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


class SandboxedKernelManager(AsyncKernelManager):
    """An ipykernel started inside bubblewrap, reached over Unix sockets."""

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
        help="Seconds after which the kernel and everything it started are "
        "killed, whatever runs.",
    )

    async def _async_pre_start_kernel(self, **kw):
        self._sandbox_folder = Path(tempfile.mkdtemp(prefix="nncourse-kernel-"))
        sockets = self._sandbox_folder / "sockets"
        sockets.mkdir(mode=0o700)
        self._uid = _sandbox_uid()
        _share_with_sandbox(sockets, self._uid)
        self.transport = "ipc"
        self.connection_file = str(sockets / "kernel.json")
        self.ip = str(sockets / "kernel")
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        # A signal to interrupt would go to bwrap, which dies of it; a message
        # reaches the kernel, which interrupts itself.
        self.kernel_spec.interrupt_mode = "message"
        # The connection file holds the HMAC key; the sandbox's user reads it.
        _share_with_sandbox(Path(self.connection_file), self._uid)
        env = kw.get("env") or os.environ
        kw["env"] = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        kw["cwd"] = str(self._sandbox_folder)
        # What the kernel prints outside the notebook (a fork's complaints,
        # bwrap's errors) goes to a log, capped by the file size limit; the
        # handle is closed once the kernel has started (_async_launch_kernel).
        self._kernel_log = self._sandbox_folder / "kernel.log"
        kw["stdout"] = kw["stderr"] = open(self._kernel_log, "wb")
        return self.sandbox_command(kernel_cmd, sockets, env), kw

    async def _async_launch_kernel(self, kernel_cmd, **kw) -> None:
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        finally:
            kw["stdout"].close()  # the kernel has its own copy

    def sandbox_command(self, kernel_cmd, sockets: Path, env) -> list[str]:
        bwrap = bwrap_path()
        if bwrap is None:
            raise SandboxUnavailable("bwrap is not installed")
        args = [bwrap] + _namespace_options()
        args += ["--die-with-parent", "--hostname", "sandbox", "--clearenv"]
        args += self.mounts(sockets)
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
        from nncourse.data import data_root

        variables["NNCOURSE_DATA"] = str(data_root())
        for name, value in sorted(variables.items()):
            args += ["--setenv", name, value]
        args += ["--"] + _drop_privileges(self._uid)
        args += [
            "timeout",
            "--signal=KILL",
            str(self.notebook_timeout),
            "prlimit",
            f"--data={self.memory_limit}",
            f"--nproc={self.process_limit}",
            f"--fsize={self.file_size_limit}",
            "--core=0",
            "--",
        ]
        return args + list(kernel_cmd)

    def mounts(self, sockets: Path) -> list[str]:
        """bwrap's mounts, in order: the system, the private /tmp, then what
        the kernel reads (which may live under /tmp, the tmpfs would hide it
        if mounted later) and its sockets."""
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
        # the kernel's user must be able to pass through them.
        args += _parent_folders(shown + [sockets])
        for path in shown:
            args += ["--ro-bind-try", str(path), str(path)]
        args += ["--bind", str(sockets), str(sockets), "--chdir", "/tmp"]
        return args

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart)
        folder = getattr(self, "_sandbox_folder", None)
        if folder is not None and not restart:
            log = folder / "kernel.log"
            if log.is_file() and log.stat().st_size:
                with open(log, "rb") as handle:
                    tail = handle.read(2000).decode("utf-8", "replace")
                self.log.info("The sandboxed kernel printed:\n%s", tail)
            shutil.rmtree(folder, ignore_errors=True)

    # AsyncKernelManager binds its public name to the base method; nbclient
    # calls that name when the kernel has died.
    cleanup_resources = _async_cleanup_resources


class SandboxedExecute(Execute):
    """nbgrader's Execute preprocessor with the kernel in the sandbox."""

    def __init__(self, *args, **kwargs):
        # nbgrader's Execute passes its kernel manager class as an argument,
        # which wins over configuration; so does this.
        kwargs["kernel_manager_class"] = SandboxedKernelManager
        super().__init__(*args, **kwargs)

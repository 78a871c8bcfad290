"""The bubblewrap command line of a grading sandbox: what the kernels see
(read-only system, data and environment; a private, size-limited ``/tmp``),
who they run as, their environment and their ``prlimit`` limits.
:class:`~nncourse.grade.sandbox.KernelSandbox` runs it; see there for why.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from nncourse import forkserver

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


#: A sandbox's folder: tempfile.mkdtemp's name, this and 8 characters.
FOLDER_PREFIX = "nncourse-sandbox-"
#: A kernel's folder in it: kernels/ and this many hex digits (few: the
#: kernel's sockets are in it, and a Unix socket's path is short).
KERNEL_DIGITS = 8
#: A kernel's sockets: jupyter_client's ipc transport names them this, "-"
#: and a port number, 1 to 5.
SOCKET_NAME = "kernel"
LONGEST_SOCKET = SOCKET_NAME + "-99"
#: The longest path of a Unix socket on Linux (``sun_path``, less its NUL).
SOCKET_PATH_MAX = 107


def check_socket_room(tmp: str) -> None:
    """Raise :class:`SandboxUnavailable`, with the fix, when the sockets of a
    kernel in a sandbox folder under ``tmp`` (the temporary folder, TMPDIR)
    would have a path longer than a Unix socket may: the kernel could not be
    reached (zmq: "File name too long")."""
    folder = Path(tmp) / (FOLDER_PREFIX + "x" * 8)
    longest = folder / "kernels" / ("0" * KERNEL_DIGITS) / LONGEST_SOCKET
    length = len(os.fsencode(longest))
    if length > SOCKET_PATH_MAX:
        raise SandboxUnavailable(
            f"the temporary folder {tmp} has too long a path for the kernels' "
            f"sockets: they would be {length} bytes long, and a Unix socket's "
            f"path may have {SOCKET_PATH_MAX}. Set TMPDIR to a folder with a "
            f"path at least {length - SOCKET_PATH_MAX} bytes shorter, e.g. "
            "'TMPDIR=/tmp nncourse grade ...'."
        )


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
    probe += _namespace_options() + ["--"] + _drop_privileges(sandbox_uid())
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


def sandbox_uid() -> int | None:
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


def share_with_sandbox(path: Path, uid: int | None) -> None:
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


def command(
    kernels: Path,
    uid: int | None,
    limits: dict[str, int],
    tmpfs: dict[str, int],
    warm_up: bool = False,
):
    """bwrap running the fork server (:mod:`nncourse.forkserver`) as ``uid``,
    with ``prlimit``'s ``limits`` (``{"data": bytes, "nproc": n, ...}``) and
    private tmpfs mounts of the given sizes (``{"/tmp": bytes, ...}``); the
    server warms PyTorch up before its first fork where ``warm_up``."""
    bwrap = bwrap_path()
    if bwrap is None:
        raise SandboxUnavailable("bwrap is not installed")
    args = [bwrap] + _namespace_options()
    args += ["--die-with-parent", "--hostname", "sandbox", "--clearenv"]
    args += mounts(kernels, tmpfs)
    for name, value in sorted(kernel_environment(os.environ).items()):
        args += ["--setenv", name, value]
    args += ["--"] + _drop_privileges(uid)
    args += ["prlimit", *(f"--{name}={value}" for name, value in limits.items())]
    args += ["--core=0", "--"]
    # -P: the working folder (/tmp, the kernels' to write) is not on the
    # server's import path.
    server = [sys.executable, "-P", "-m", "nncourse.forkserver", str(kernels)]
    return args + server + ([forkserver.WARM] if warm_up else [])


def mounts(kernels: Path, tmpfs: dict[str, int]) -> list[str]:
    """bwrap's mounts, in order: the system, the private /tmp and /dev/shm
    (size-limited: nothing else is writable), then what the kernels read
    (which may live under /tmp, the tmpfs would hide it if mounted later)
    and their folder."""
    args = []
    for top in TOP_LEVEL:
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    # /dev/mqueue shows the IPC namespace's POSIX message queues, so that
    # the fork server can remove what one kernel left for the next.
    args += ["--proc", "/proc", "--dev", "/dev", "--mqueue", "/dev/mqueue"]
    # A GPU, where there is one: its device files only.
    for device in sorted(Path("/dev").glob("nvidia*")):
        args += ["--dev-bind", str(device), str(device)]
    for place, size in tmpfs.items():
        args += ["--perms", "1777", "--size", str(size), "--tmpfs", place]
    shown = read_only_paths()
    # bwrap makes missing parent folders private (0700) to their owner;
    # the sandbox's user must be able to pass through them.
    args += _parent_folders(shown + [kernels])
    for path in shown:
        args += ["--ro-bind-try", str(path), str(path)]
    args += ["--bind", str(kernels), str(kernels), "--chdir", "/tmp"]
    return args


def mount_tmpfs(folder: Path, size: int, uid: int | None) -> bool:
    """Mount a tmpfs of ``size`` bytes on ``folder``, for ``uid``; False
    where this process may not mount (it is not root), and ``folder`` stays
    a folder of the grader's disk (see ``book/instructors.md``)."""
    if os.geteuid() != 0:
        return False
    owner = f",uid={uid},gid={uid}" if uid is not None else ""
    options = f"size={size},nr_inodes=4096,mode=0700{owner}"
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "nncourse-kernels", str(folder)],
        capture_output=True,
    )
    return result.returncode == 0


def unmount(folder: Path) -> None:
    """Undo :func:`mount_tmpfs` (lazily, should a process still hold it)."""
    subprocess.run(["umount", "--lazy", str(folder)], capture_output=True)

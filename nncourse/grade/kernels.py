"""The kernels of a :class:`~nncourse.grade.sandbox.KernelSandbox`, as
nbgrader and jupyter_client see them.

nbgrader runs :class:`SandboxedExecute` (its ``Execute`` preprocessor), which
starts each kernel with a :class:`SandboxedKernelManager`. The manager's
:class:`ForkedKernelProvisioner` has the sandbox's fork server fork the kernel
(a :class:`ForkedKernel` stands for its process), and its
:class:`SandboxedKernelClient` drops messages that the kernel did not sign.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from nbclient import NotebookClient
from traitlets import DottedObjectName, Instance, Type, default
from traitlets.config import Config

from nncourse.grade.bubblewrap import SOCKET_NAME
from nncourse.grade.execute import GradedExecute
from nncourse.grade.pool import pooled_sandbox
from nncourse.grade.sandbox import KernelSandbox


class ForkedKernel:
    """What :class:`LocalProvisioner` expects of a ``subprocess.Popen``, for
    a kernel that a sandbox's fork server started."""

    stdin = stdout = stderr = None

    def __init__(self, sandbox: KernelSandbox, pid: int):
        self.sandbox = sandbox
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.sandbox.poll(self.pid)
        return self.returncode

    def wait(self) -> int:
        while self.poll() is None:
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            self.sandbox.signal(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


#: The name under which pyproject.toml registers :class:`ForkedKernelProvisioner`
#: (jupyter_client finds provisioners through entry points only).
PROVISIONER = "nncourse-sandbox"


class ForkedKernelProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner (connection file, life cycle), with
    the kernel forked by a :class:`KernelSandbox` instead of started by
    ``Popen``: the sandbox its kernel manager holds, or one of its own. Its
    cleanup ends whatever the kernel left running."""

    sandbox: KernelSandbox
    folder: Path
    own_sandbox = False  # made for this kernel alone, closed with it

    async def pre_launch(self, **kwargs):
        km = self.parent
        sandbox = getattr(km, "sandbox", None)
        self.own_sandbox = sandbox is None
        self.sandbox = KernelSandbox(parent=km) if self.own_sandbox else sandbox
        self.folder = self.sandbox.new_kernel_folder()
        # Unix sockets in the kernel's own folder: the sandbox has no network.
        km.transport = "ipc"
        km.connection_file = str(self.folder / "kernel.json")
        km.ip = str(self.folder / SOCKET_NAME)
        kwargs = await super().pre_launch(**kwargs)
        # The connection file holds the HMAC key; the sandbox's user reads it.
        self.sandbox.share(Path(km.connection_file))
        return kwargs

    async def launch_kernel(self, cmd, **kwargs):
        env = kwargs.get("env") or os.environ
        km = self.parent
        pid = self.sandbox.fork(
            kernel_arguments(cmd, km.connection_file), self.folder / "kernel.log", env
        )
        self.process = ForkedKernel(self.sandbox, pid)
        self.pid, self.pgid = pid, None  # signals go through the fork server
        self.cwd = "/tmp"
        return self.connection_info

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart)
        if restart:
            return
        printed = read_log(self.folder / "kernel.log")
        if printed:
            self.log.info("The sandboxed kernel printed:\n%s", printed)
        self.sandbox.reset()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.own_sandbox:
            self.sandbox.close()


class SandboxedKernelSpecs(KernelSpecManager):
    """The installed kernel specs, each naming :data:`PROVISIONER` in its
    metadata: jupyter_client's documented way to choose a kernel's
    provisioner."""

    def get_kernel_spec(self, kernel_name: str, *args, **kwargs) -> KernelSpec:
        spec = super().get_kernel_spec(kernel_name, *args, **kwargs)
        spec.metadata = {
            **spec.metadata,
            "kernel_provisioner": {"provisioner_name": PROVISIONER},
        }
        # A signal to interrupt would go to the fork server's request loop; a
        # message reaches the kernel, which interrupts itself.
        spec.interrupt_mode = "message"
        return spec


def kernel_arguments(cmd: list[str], connection_file: str) -> list[str]:
    """What ``cmd`` (the kernelspec's command, with nbclient's
    ``extra_arguments``) gives ``ipykernel_launcher``; the fork server runs no
    other program."""
    if "ipykernel_launcher" not in cmd:
        return ["-f", connection_file]
    return cmd[cmd.index("ipykernel_launcher") + 1 :]


def read_log(path: Path, limit: int = 2000) -> str:
    """The start of a log the kernel wrote; nothing if it made the file a
    link (to a file of the grader's) or anything but a plain file."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return ""
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return ""
        return os.read(handle, limit).decode("utf-8", "replace")
    finally:
        os.close(handle)


class SignedMessagesOnly(AsyncZMQSocketChannel):
    """A channel that drops a message whose signature is wrong (when a
    notebook forks the kernel over and over, as a fork bomb does, the copies
    share its sockets and their frames can mix) instead of failing the whole
    notebook. Only the kernel holds the key, so nothing is lost that it sent."""

    async def get_msg(self, timeout: float | None = None) -> dict:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not await self.socket.poll(None if left is None else int(left * 1000)):
                raise Empty
            frames = await self.socket.recv_multipart()
            _, message = self.session.feed_identities(frames)
            try:
                return self.session.deserialize(message)
            except ValueError as error:  # "Invalid Signature" and the like
                logging.getLogger(__name__).warning("Dropped a message: %s", error)


class SandboxedKernelClient(AsyncKernelClient):
    shell_channel_class = Type(SignedMessagesOnly)
    iopub_channel_class = Type(SignedMessagesOnly)
    stdin_channel_class = Type(SignedMessagesOnly)
    control_channel_class = Type(SignedMessagesOnly)


class SandboxedKernelManager(AsyncKernelManager):
    """An ipykernel forked in ``sandbox`` (a :class:`KernelSandbox`), or in a
    sandbox for this kernel alone, reached over Unix sockets by a client
    that drops unsigned messages."""

    client_class = DottedObjectName("nncourse.grade.kernels.SandboxedKernelClient")
    client_factory = Type(SandboxedKernelClient, klass=AsyncKernelClient)
    sandbox = Instance(KernelSandbox, allow_none=True)

    @default("kernel_spec_manager")
    def _sandboxed_specs(self) -> KernelSpecManager:
        return SandboxedKernelSpecs(data_dir=self.data_dir)


class SandboxedExecute(GradedExecute):
    """nbgrader's Execute preprocessor (as :class:`GradedExecute`) with the
    kernel in a sandbox: the one that the grading API it runs under holds
    (``sandbox``, found up the traitlets parent chain: exporter, nbgrader
    converter, API), else one of the kernel's own."""

    def __init__(self, *args, **kwargs):
        # nbgrader's Execute passes its kernel manager class as an argument,
        # which wins over configuration; so does this.
        kwargs["kernel_manager_class"] = SandboxedKernelManager
        super().__init__(*args, **kwargs)

    @property
    def sandbox(self) -> KernelSandbox | None:
        owner = self.parent
        while owner is not None and not isinstance(
            getattr(owner, "sandbox", None), KernelSandbox
        ):
            owner = getattr(owner, "parent", None)
        return None if owner is None else owner.sandbox

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        km.sandbox = self.sandbox
        return km


class SandboxedNotebookClient(NotebookClient):
    """nbclient's notebook runner with each kernel forked in ``sandbox``: the
    solution's reference runs (:func:`nncourse.preprocessors.probes.run_solution`)
    share one import of torch, as a student's notebooks do."""

    def __init__(self, nb, sandbox: KernelSandbox, **kwargs):
        kwargs["kernel_manager_class"] = SandboxedKernelManager
        super().__init__(nb, **kwargs)
        self.sandbox = sandbox

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        km.sandbox = self.sandbox
        return km


#: From how many notebooks on a sandbox its fork server warms PyTorch up: a
#: chapter's kernel pays 0 to 1 s of first-use imports, the warm-up 1.2 s.
WARM_UP_FROM = 3


@contextmanager
def kernel_sandbox(
    config: Config, wanted: bool, notebooks: int = 1, pooled: bool = False
) -> Iterator[KernelSandbox | None]:
    """The sandbox in which ``notebooks`` run, one after another, one at a
    time: a worker's, kept for its next student where ``pooled``
    (:mod:`nncourse.grade.pool`: the students' and the solution's reference
    runs), else one of its own; None when the instructor turned sandboxes
    off. It imports torch and the rest once for them all."""
    if not wanted:
        yield None
        return
    warm = notebooks >= WARM_UP_FROM
    if pooled:
        with pooled_sandbox(config, warm) as sandbox:
            yield sandbox
        return
    with KernelSandbox(config=config, warm_up=warm) as sandbox:
        yield sandbox


def grading_api(course_directory, config: Config, sandbox):
    """nbgrader's API, holding the student's sandbox: nbgrader builds its
    converter, the converter's exporter and the exporter's ``Execute`` as
    the API's traitlets children, and
    :class:`~nncourse.grade.kernels.SandboxedExecute` finds the sandbox up
    that parent chain."""
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(course_directory, config=config)
    api.sandbox = sandbox
    return api

"""The sandbox's fork server: one student's notebooks run one after another in
one sandbox, each in a kernel forked from a clean, imported state.

A kernel here is what nbgrader's would be (:class:`SandboxedKernelManager`),
driven directly with jupyter_client. Each test is an attack by one notebook on
the next one, on the fork server, or on another student's sandbox; the whole
grader is attacked in tests/test_hostile.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import textwrap
import time

import nbformat
import pytest
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from nncourse.grade import cgroups
from nncourse.grade.bubblewrap import MiB
from nncourse.grade.execute import NOT_RUN, STOPPED_AFTER, GradedExecute
from nncourse.grade.kernels import (
    SandboxedExecute,
    SandboxedKernelManager,
    grading_api,
)
from nncourse.grade.pool import close_pooled_sandboxes, pooled_sandbox
from nncourse.grade.sandbox import KernelSandbox
from nncourse.grade.worker import NO_FIGURES
from nncourse.preprocessors.cells import NAMESPACE, notes

pytestmark = [pytest.mark.sandbox]


class Kernel:
    """A kernel started in ``sandbox``; :meth:`run` returns what a cell
    printed, with ``ERROR name: value`` for an exception."""

    def __init__(self, sandbox: KernelSandbox, arguments: tuple[str, ...] = ()):
        self.manager = SandboxedKernelManager(sandbox=sandbox)
        self.loop = asyncio.new_event_loop()
        start = self.manager.start_kernel(extra_arguments=list(arguments))
        self.loop.run_until_complete(start)
        self.client = self.manager.client()
        self.client.start_channels()
        self.loop.run_until_complete(self.client.wait_for_ready(timeout=60))

    def run(self, code: str, timeout: float = 60) -> str:
        printed = []

        def output(message):
            content = message["content"]
            if message["msg_type"] == "stream":
                printed.append(content["text"])
            elif message["msg_type"] == "error":
                printed.append(f"ERROR {content['ename']}: {content['evalue']}")

        execute = self.client.execute_interactive(
            textwrap.dedent(code), output_hook=output, timeout=timeout
        )
        self.loop.run_until_complete(execute)
        return "".join(printed)

    def alive(self) -> bool:
        return self.loop.run_until_complete(self.manager.is_alive())

    def stop(self) -> None:
        self.client.stop_channels()
        self.loop.run_until_complete(self.manager.shutdown_kernel(now=True))
        self.loop.close()


def run_once(sandbox: KernelSandbox, code: str) -> str:
    kernel = Kernel(sandbox)
    try:
        return kernel.run(code)
    finally:
        kernel.stop()


# What a notebook may leave behind for the next one: a variable, a process, a
# file on the import path, an IPython start-up script, a changed torch.
LEAVE_BEHIND = """
    import os, subprocess, sys, torch
    secret = 42
    torch.allclose = lambda *args, **kwargs: True
    subprocess.Popen([sys.executable, "-c",
        "import time\\nwhile True:\\n    open('/tmp/daemon.txt', 'w').write('alive')\\n"
        "    time.sleep(0.05)"], start_new_session=True)
    startup = "/tmp/.ipython/profile_default/startup"
    os.makedirs(startup, exist_ok=True)
    open(startup + "/00-cheat.py", "w").write("CHEATED = True\\n")
    open("/tmp/nncourse_cheat.py", "w").write("CHEATED = True\\n")
    os.makedirs("/tmp/locked/deeper")
    os.chmod("/tmp/locked", 0)
    import ipykernel  # the kernels' folder, shared with the grader
    kernels = os.path.dirname(os.path.dirname(ipykernel.get_connection_file()))
    os.symlink("/", kernels + "/planted")
    open(kernels + "/planted.txt", "w").write("for the next kernel")
    # What outlives a process in the IPC namespace (the next student's too,
    # where the sandbox goes on to another student).
    open("/dev/shm/left.txt", "w").write("shared memory")
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    CREATE = 0o1000 | 0o600  # IPC_CREAT, read and write for the owner
    made = [libc.shmget(1234, 1 << 20, CREATE), libc.msgget(1235, CREATE),
            libc.semget(1236, 1, CREATE),
            libc.mq_open(b"/left", os.O_CREAT | os.O_RDWR, 0o600, None)]
    print("left", [ident >= 0 for ident in made])
"""

LOOK_FOR_IT = """
    import os, torch
    print("secret" in globals(), "CHEATED" in globals())
    print(torch.allclose(torch.zeros(1), torch.ones(1)))
    others = [p for p in os.listdir("/proc")
              if p.isdigit() and int(p) not in (1, os.getppid(), os.getpid())]
    print(others)
    print(sorted(n for n in os.listdir("/tmp") if not n.startswith("nncourse-")))
    try:
        import nncourse_cheat
        print("imported")
    except ImportError:
        print("not found")
    import ipykernel
    kernels = os.path.dirname(os.path.dirname(ipykernel.get_connection_file()))
    print(len(os.listdir(kernels)))  # its own folder only
    print(os.listdir("/dev/shm"), os.listdir("/dev/mqueue"))
    tables = [open(f"/proc/sysvipc/{t}").readlines() for t in ("shm", "msg", "sem")]
    print([len(rows) - 1 for rows in tables])
"""


#: What LOOK_FOR_IT prints in a kernel that nothing was left for.
NOTHING_LEFT = [
    *("False False", "False", "[]", "['.ipython']", "not found", "1"),
    *("[] []", "[0, 0, 0]"),
]
LEFT_ALL = "left [True, True, True, True]"


@pytest.fixture(scope="module")
def sandbox():
    """One sandbox of the default settings for the tests that need no other:
    every kernel starts from the reset that the grader relies on between
    notebooks and students, so sharing it checks that reset across the tests
    too (and starts one fork server, torch imported, instead of seven)."""
    with KernelSandbox() as shared:
        yield shared


def test_nothing_of_one_notebook_reaches_the_next(sandbox):
    assert LEFT_ALL in run_once(sandbox, LEAVE_BEHIND)
    printed = run_once(sandbox, LOOK_FOR_IT).splitlines()
    assert printed == NOTHING_LEFT


def test_the_next_student_in_a_kept_sandbox_finds_nothing():
    """A grading worker keeps its sandbox for its next student."""
    config = Config()
    try:
        with pooled_sandbox(config, False) as first:
            assert LEFT_ALL in run_once(first, LEAVE_BEHIND)
        assert first.alive  # kept, emptied, for the next student
        with pooled_sandbox(config, False) as second:
            printed = run_once(second, LOOK_FOR_IT).splitlines()
        assert second is first
    finally:
        close_pooled_sandboxes()
    assert not first.alive
    assert printed == NOTHING_LEFT


TRY_THE_SERVER = """
    import ctypes, os
    server = os.getppid()
    for path in ("mem", "environ", "fd", "maps"):
        try:
            if path == "fd":
                print(os.listdir(f"/proc/{server}/fd"))
            else:
                open(f"/proc/{server}/{path}", "rb").read(10)
            print(path, "read")
        except OSError as error:
            print(path, type(error).__name__)
    libc = ctypes.CDLL(None, use_errno=True)
    print("ptrace", libc.ptrace(16, server, 0, 0))  # PTRACE_ATTACH
"""


def test_no_kernel_can_read_or_trace_the_fork_server(sandbox):
    printed = run_once(sandbox, TRY_THE_SERVER).splitlines()
    assert printed == [
        "mem PermissionError",
        "environ PermissionError",
        "fd PermissionError",
        "maps PermissionError",
        "ptrace -1",
    ]


def test_a_kernel_that_kills_the_server_ends_only_its_own_sandbox():
    with KernelSandbox() as sandbox:
        kernel = Kernel(sandbox)
        kernel.client.execute(
            "import os, signal; os.kill(os.getppid(), signal.SIGKILL)"
        )
        deadline = time.monotonic() + 30
        while kernel.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not kernel.alive()
        kernel.stop()
        assert run_once(sandbox, "print(1 + 1)") == "2\n"  # in a new sandbox


def test_the_deadline_ends_the_notebook_and_the_next_one_runs():
    with KernelSandbox(notebook_timeout=3) as sandbox:
        # The deadline counts from the kernel's start: after ``started``,
        # before ``ready`` (starting can take long on a busy machine).
        started = time.monotonic()
        kernel = Kernel(sandbox)
        ready = time.monotonic()
        kernel.client.execute("import time\nwhile True: time.sleep(1)")
        while kernel.alive() and time.monotonic() - ready < 30:
            time.sleep(0.1)
        assert not kernel.alive()
        assert time.monotonic() - started >= 3
        assert time.monotonic() - ready < 15
        kernel.stop()
        assert run_once(sandbox, "print('next')") == "next\n"


def executed(sandbox: KernelSandbox | None, folder, *sources: str, limit: int = 2):
    """A notebook of ``sources`` as nbgrader's Execute (the grader's) runs
    it in ``sandbox`` (None: a kernel of its own, as ``--unsafe`` grades),
    with a cell limit of ``limit`` seconds."""
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    notebook.cells.insert(2, nbformat.v4.new_markdown_cell("Prose."))
    # A note the submission brought along counts for nothing.
    notebook.metadata[NAMESPACE] = {STOPPED_AFTER: "number 1"}
    limits = {"timeout": limit, "interrupt_grace": 1, "raise_on_iopub_timeout": False}
    if sandbox is None:
        execute = watched(GradedExecute)(**limits)
    else:
        api = grading_api(CourseDirectory(root=str(folder)), Config(), sandbox)
        execute = watched(SandboxedExecute)(parent=api, **limits)
    started = time.monotonic()
    execute.preprocess(notebook, {"metadata": {"path": str(folder)}})
    return notebook, time.monotonic() - started, execute


def watched(executor: type) -> type:
    """``executor``, noting whether its kernel still lives a second after it
    stopped the notebook (not only when the notebook ends)."""

    class Watched(executor):
        alive_after_stop = None

        async def on_cell_executed(self, **kwargs):
            await super().on_cell_executed(**kwargs)
            if self.stopped_after is not None and self.alive_after_stop is None:
                await asyncio.sleep(1)  # for the kill to arrive
                self.alive_after_stop = await self.km.is_alive()

    return Watched


def errors(cell) -> list[tuple[str, str]]:
    return [
        (output.ename, output.evalue)
        for output in cell.outputs
        if output.output_type == "error"
    ]


IGNORE_THE_INTERRUPT = [
    "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True: pass",
    "import time\nwhile True:\n    try:\n        time.sleep(100)\n"
    "    except KeyboardInterrupt:\n        pass",
]


@pytest.mark.parametrize("stuck", IGNORE_THE_INTERRUPT, ids=["ignored", "caught"])
def test_a_cell_that_goes_on_after_its_interrupt_ends_the_notebook(
    sandbox, tmp_path, stuck
):
    later = ["print(x + 1)", "print('after')", "x", "x", " "]
    notebook, took, execute = executed(sandbox, tmp_path, "x = 41", stuck, *later)
    first, looping, _, *after, empty = notebook.cells
    assert first.outputs == []
    assert [name for name, _ in errors(looping)] == ["CellTimeoutError"]
    for cell in after:
        ((name, why),) = errors(cell)
        assert name == NOT_RUN
        assert "cell number 2 went on past its time limit" in why
        assert len(cell.outputs) == 1 and cell.execution_count is None
    assert empty.outputs == []  # an empty cell is not run either way
    assert notes(notebook) == {STOPPED_AFTER: "number 2"}
    assert execute.alive_after_stop is False
    # Start, the cell's limit, nbclient's 4 s for its outputs and the grace;
    # each of the four later cells would have waited out its limit and 4 s.
    assert took < 25


def test_without_a_sandbox_the_kernel_is_stopped_too(tmp_path):
    stuck = IGNORE_THE_INTERRUPT[0]
    notebook, _, execute = executed(None, tmp_path, "x = 41", stuck, "x")
    assert [name for name, _ in errors(notebook.cells[3])] == [NOT_RUN]
    assert notes(notebook) == {STOPPED_AFTER: "number 2"}
    assert execute.alive_after_stop is False


def test_a_cell_stopped_by_its_interrupt_lets_the_next_cells_run(sandbox, tmp_path):
    notebook, _, execute = executed(
        sandbox, tmp_path, "x = 41", "import time\ntime.sleep(600)", "print(x + 1)"
    )
    # The interrupt's own error, and nbgrader's record of the timeout.
    assert [name for name, _ in errors(notebook.cells[1])] == [
        "KeyboardInterrupt",
        "CellTimeoutError",
    ]
    assert notebook.cells[3].outputs[0].text == "42\n"
    assert STOPPED_AFTER not in notes(notebook)
    assert execute.alive_after_stop is None  # never stopped


WHO_IS_HERE = """
    import json, os
    print(json.dumps({"ns": os.readlink("/proc/self/ns/pid"),
                      "tmp": sorted(os.listdir("/tmp")),
                      "pids": sorted(p for p in os.listdir("/proc") if p.isdigit())}))
    open("/tmp/secret.txt", "w").write("mine")
"""


def test_two_students_sandboxes_do_not_see_each_other(sandbox):
    first = sandbox
    with KernelSandbox() as second:
        running = Kernel(first)
        try:
            mine = json.loads(running.run(WHO_IS_HERE))
            theirs = json.loads(run_once(second, WHO_IS_HERE))
        finally:
            running.stop()
    assert mine["ns"] != theirs["ns"]
    assert "secret.txt" not in theirs["tmp"]
    # Each sees the folder of its own kernels only.
    assert not set(mine["tmp"]) & set(theirs["tmp"]) - {".ipython"}
    # PIDs 1 (bwrap), 2 (the fork server) and the kernel: nobody else.
    assert len(theirs["pids"]) == len(mine["pids"]) == 3


def shown_figure(kernel: Kernel) -> list[str]:
    """The kinds of output a figure's cell showed."""
    shown = []
    code = "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()"
    execute = kernel.client.execute_interactive(
        code,
        output_hook=lambda m: shown.extend(m["content"].get("data", {})),
        timeout=60,
    )
    kernel.loop.run_until_complete(execute)
    return shown


def test_figures_reach_the_notebook_and_threads_are_one(sandbox):
    kernel = Kernel(sandbox)
    try:
        shown = shown_figure(kernel)
        threads = kernel.run("import torch\nprint(torch.get_num_threads())")
    finally:
        kernel.stop()
    # The kernel's options (nbclient's extra_arguments) reach the fork.
    kernel = Kernel(sandbox, arguments=(NO_FIGURES,))
    try:
        undrawn = shown_figure(kernel)
        still_open = kernel.run("print(len(plt.get_fignums()))")
    finally:
        kernel.stop()
    assert "image/png" in shown
    assert threads == "1\n"
    assert undrawn == ["text/plain"] and still_open == "0\n"


# ---- limits on every path (issue 20) --------------------------------------

needs_group = pytest.mark.skipif(
    not cgroups.available(), reason="no control group can be made here"
)

# Shared memory is not "data": RLIMIT_DATA lets it through, the group does not.
SHARED_MEMORY = """
    import mmap
    shared = mmap.mmap(-1, 3 << 30, flags=mmap.MAP_SHARED)
    for offset in range(0, 3 << 30, 4096):
        shared[offset] = 1
    print("kept 3 GB")
"""


@needs_group
def test_shared_memory_counts_against_the_memory_limit():
    with KernelSandbox(memory_limit=1536 * MiB) as sandbox:
        kernel = Kernel(sandbox)
        kernel.client.execute(textwrap.dedent(SHARED_MEMORY))
        deadline = time.monotonic() + 60
        while kernel.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not kernel.alive()
        assert sandbox.memory_kills() == 1
        kernel.stop()
        assert run_once(sandbox, "print('next')") == "next\n"
        assert sandbox.memory_kills() == 1  # counted across its restarts


FILL_EVERY_WRITABLE_PLACE = """
    import errno, os, ipykernel
    kernels = os.path.dirname(os.path.dirname(ipykernel.get_connection_file()))
    for folder in ("/tmp", "/dev/shm", kernels):
        written = 0
        try:
            for part in range(40):  # files of 16 MB, under the file size limit
                with open(f"{folder}/fill-{part}", "wb") as handle:
                    for _ in range(16):
                        handle.write(bytes(1 << 20))
                        written += 1
        except OSError as error:
            print(folder == kernels and "kernels" or folder,
                  errno.errorcode[error.errno], written)
"""


def test_every_writable_place_is_a_small_tmpfs():
    with KernelSandbox(tmp_size=256 * MiB, shm_size=32 * MiB) as sandbox:
        printed = run_once(sandbox, FILL_EVERY_WRITABLE_PLACE).split("\n")
    found = {line.split()[0]: line.split()[1:] for line in printed if line}
    # full within a few MB of its size (the kernel's own files use some)
    assert found["/tmp"][0] == "ENOSPC" and 250 <= int(found["/tmp"][1]) <= 256
    assert found["/dev/shm"] == ["ENOSPC", "32"]
    if os.geteuid() == 0:  # as root, the kernels' folder is a 16 MB tmpfs
        assert found["kernels"][0] == "ENOSPC"
        assert int(found["kernels"][1]) <= 16
    else:
        assert "kernels" not in found or found["kernels"][0] == "EFBIG"


# Four busy processes for two seconds: eight CPU-seconds where nothing
# holds them back, at most about two on one CPU's worth of quota.
BUSY_PROCESSES = """
    import subprocess, sys, time
    busy = "import time\\nend = time.time() + 2\\nwhile time.time() < end: pass"
    children = [subprocess.Popen([sys.executable, "-c", busy]) for _ in range(4)]
    for child in children:
        child.wait()
    import os
    print(os.times().children_user + os.times().children_system)
"""


@needs_group
def test_a_sandbox_gets_one_cpu_however_many_processes_it_starts():
    with KernelSandbox(cpu_limit=1.0) as sandbox:
        used = float(run_once(sandbox, BUSY_PROCESSES))
    assert used < 3.0

"""How a graded notebook's kernel reaches its student's sandbox, through
public extension points only (no kernel starts here; tests/test_sandbox.py
starts real ones):

- nbgrader builds ``Execute`` as a traitlets child of the API that runs it,
  and the worker's API holds the sandbox;
- nbclient's ``create_kernel_manager`` hands it to the kernel manager;
- the kernel spec names the course's provisioner in its metadata, and
  jupyter_client finds it through its entry point.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from jupyter_client.provisioning import KernelProvisionerFactory
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from nncourse.grade.kernels import (
    PROVISIONER,
    ForkedKernelProvisioner,
    SandboxedExecute,
    SandboxedKernelManager,
    grading_api,
)
from nncourse.grade.sandbox import KernelSandbox


def executor_under(api) -> SandboxedExecute:
    """The Execute preprocessor as nbgrader builds it for ``api``."""
    converter = Autograde(coursedir=api.coursedir, parent=api)
    exporter = converter.exporter_class(parent=converter)
    execute = SandboxedExecute(parent=exporter)
    execute.nb = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )
    return execute


def test_the_executor_finds_the_sandbox_its_api_holds(tmp_path):
    sandbox = KernelSandbox()  # not started: nothing here runs a kernel
    api = grading_api(CourseDirectory(root=str(tmp_path)), Config(), sandbox)
    execute = executor_under(api)
    assert execute.sandbox is sandbox
    manager = execute.create_kernel_manager()
    assert isinstance(manager, SandboxedKernelManager)
    assert manager.sandbox is sandbox


def test_without_a_sandbox_each_kernel_gets_its_own(tmp_path):
    api = grading_api(CourseDirectory(root=str(tmp_path)), Config(), None)
    assert executor_under(api).create_kernel_manager().sandbox is None


def test_the_kernel_spec_chooses_the_forked_provisioner():
    manager = SandboxedKernelManager(kernel_name="python3")
    spec = manager.kernel_spec
    assert spec.metadata["kernel_provisioner"]["provisioner_name"] == PROVISIONER
    assert spec.interrupt_mode == "message"  # a signal would reach the server
    provisioner = KernelProvisionerFactory.instance().create_provisioner_instance(
        "k", spec, parent=manager
    )
    assert type(provisioner) is ForkedKernelProvisioner


def test_the_fork_servers_warm_up_leaves_a_kernel_as_a_fresh_one_starts():
    """What the fork server runs before its first fork does not move the
    random state a notebook without a seed would start from."""
    import torch

    from nncourse import forkserver

    state = torch.get_rng_state()
    forkserver.warm_up()
    assert torch.equal(torch.get_rng_state(), state)
    assert torch.is_grad_enabled()


def test_a_sandbox_warms_up_where_it_runs_three_notebooks_or_more(monkeypatch):
    from traitlets.config import Config

    from nncourse import forkserver
    from nncourse.grade import bubblewrap
    from nncourse.grade.kernels import kernel_sandbox

    monkeypatch.setattr(bubblewrap, "bwrap_path", lambda: "/usr/bin/bwrap")
    for notebooks, warm in ((1, False), (2, False), (3, True), (9, True)):
        with kernel_sandbox(Config(), True, notebooks) as sandbox:
            assert sandbox.warm_up is warm
    for warm in (False, True):
        server = bubblewrap.command(Path("/kernels"), None, {}, {}, warm)
        assert server[server.index("nncourse.forkserver") + 1] == "/kernels"
        assert (forkserver.WARM in server) is warm

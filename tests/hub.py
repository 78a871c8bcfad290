"""The course's JupyterHub for tests/test_hub.py, and its instructor.

:class:`Hub` starts ``jupyterhub -f autograder/hub/jupyterhub_config.py`` (the
file book/instructors.md shows) on free ports of 127.0.0.1, everything of it
under one temporary folder: its database, the users' homes, the exchange, and
``jupyterhub.log``, which holds the single-user servers' output too.
:class:`Instructor` runs nbgrader and ``nncourse`` in a course of its own
beside it, with the hub's ``nbgrader_config.py``, logging to ``instructor.log``.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.conftest import REPO
from tests.helpers import free_port, wait_for

HUB_FILES = REPO / "autograder" / "hub"
BIN = Path(sys.executable).parent
#: Where `make browser` installs JupyterHub's proxy (NNCOURSE_PROXY: another).
PROXY = BIN.parent / "node" / "node_modules" / ".bin" / "configurable-http-proxy"


def proxy_command() -> str:
    """configurable-http-proxy; fails (never skips) when it is missing."""
    proxy = Path(os.environ.get("NNCOURSE_PROXY") or PROXY)
    if not (proxy.is_file() and os.access(proxy, os.X_OK)):
        pytest.fail(
            f"No configurable-http-proxy at {proxy}: JupyterHub needs npm's "
            "configurable-http-proxy. `make browser` (part of `make test`) installs "
            "it into the venv; or set NNCOURSE_PROXY to one."
        )
    return str(proxy)


class Hub:
    """A running JupyterHub whose users share one password."""

    def __init__(self, root: Path, users: list[str], data: Path) -> None:
        self.root, self.state = root, root / "hub"
        self.state.mkdir(parents=True)
        self.exchange = root / "exchange"
        self.log = root / "jupyterhub.log"
        self.url = f"http://127.0.0.1:{free_port()}"
        self.password = secrets.token_urlsafe(12)
        self.env = {
            **os.environ,
            "NNCOURSE_HUB_DIR": str(self.state),
            "NNCOURSE_HUB_URL": self.url,
            "NNCOURSE_HUB_API_URL": f"http://127.0.0.1:{free_port()}",
            "NNCOURSE_PROXY_API_URL": f"http://127.0.0.1:{free_port()}",
            "NNCOURSE_PROXY": proxy_command(),
            "NNCOURSE_HUB_USERS": ",".join(users),
            "NNCOURSE_HUB_PASSWORD": self.password,
            "NNCOURSE_EXCHANGE": str(self.exchange),
            "NNCOURSE_DATA": str(data),
        }
        command = [
            str(BIN / "jupyterhub"),
            "-f",
            str(HUB_FILES / "jupyterhub_config.py"),
        ]
        with open(self.log, "wb") as output:
            self.process = subprocess.Popen(
                command,
                cwd=self.state,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float) -> None:
        def answers():
            with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=5) as reply:
                return json.load(reply).get("version")

        wait_for(
            "JupyterHub to answer",
            answers,
            timeout,
            lambda: f"log: {self.log}",
            self.process,
        )

    def home(self, user: str) -> Path:
        return self.state / "homes" / user

    def stop(self) -> None:
        """Stop the hub, which stops the proxy and the users' servers; then
        end whatever of them is left."""
        if self.process.poll() is not None:
            return
        started = psutil.Process(self.process.pid).children(recursive=True)
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for child in started:
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass


class Instructor:
    """nbgrader and nncourse commands in the instructor's course folder, with
    the course's configuration and the hub's exchange."""

    def __init__(self, course: Path, exchange: Path, log: Path) -> None:
        self.course, self.log = course, log
        config = [course / "autograder", HUB_FILES]
        self.env = {
            **os.environ,
            "JUPYTER_CONFIG_PATH": os.pathsep.join(map(str, config)),
            "NNCOURSE_EXCHANGE": str(exchange),
            "PATH": os.pathsep.join([str(BIN), os.environ["PATH"]]),
        }

    def run(self, *command: str, timeout: float = 300) -> str:
        """Run ``nbgrader ...`` or ``nncourse ...``; fail with its log."""
        with open(self.log, "a") as log:
            log.write(f"\n$ {' '.join(command)}\n")
        result = subprocess.run(
            [str(BIN / command[0]), *command[1:]],
            cwd=self.course,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        with open(self.log, "a") as log:
            log.write(result.stdout + result.stderr)
        if result.returncode:
            pytest.fail(
                f"`{' '.join(command)}` exited with {result.returncode}; "
                f"log: {self.log}\n{(result.stdout + result.stderr)[-2000:]}"
            )
        return result.stdout + result.stderr

"""A sandbox's folder is locked while its sandbox lives; the next grading run
removes the folders of killed runs, kernels' tmpfs included, and nothing else
(nncourse.grade.folders)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from nncourse.grade.bubblewrap import FOLDER_PREFIX
from nncourse.grade.folders import LOCK, SandboxFolder, sweep

KILLED_OWNER = """
import os, signal, sys
from nncourse.grade.folders import SandboxFolder
folder = SandboxFolder.make(1 << 20, None)
print(folder.path, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_runs_folder_goes_and_a_live_ones_stays(monkeypatch):
    # (pytest's tmp_path is too long a TMPDIR for the kernels' sockets)
    with tempfile.TemporaryDirectory(dir="/tmp", prefix="nncourse-") as tmp:
        monkeypatch.setattr(tempfile, "tempdir", tmp)
        swept_exactly_the_killed_runs_folder(Path(tmp))


def swept_exactly_the_killed_runs_folder(tmp_path: Path) -> None:
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_OWNER],
        env={**os.environ, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = tmp_path / os.path.basename(killed.stdout.strip())
    assert (left / LOCK).is_file()
    mounted = (left / "kernels").is_mount()  # as root: its tmpfs, still there
    live = SandboxFolder.make(1 << 20, None)
    being_made = tmp_path / (FOLDER_PREFIX + "new")  # no lock yet
    being_made.mkdir()
    try:
        assert sweep(str(tmp_path)) == [left]
        assert not left.exists()
        assert live.path.is_dir() and being_made.is_dir()
        assert (live.kernels.is_mount(), os.geteuid() == 0) in {
            (True, True),
            (False, False),
        }
        assert mounted == (os.geteuid() == 0)
    finally:
        live.remove()
    assert not live.path.exists()
    assert sweep(str(tmp_path)) == []

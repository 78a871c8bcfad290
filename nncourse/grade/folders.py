"""A sandbox's folder on the grader's disk: its kernels' folders (sockets,
connection files, logs) and the fork server's log.

It is made under the temporary folder (``TMPDIR``) with a lock that its
:class:`~nncourse.grade.sandbox.KernelSandbox` holds while it lives, and
removed when the sandbox closes. A run killed before its sandboxes closed
(``SIGKILL``, the out-of-memory killer) leaves their folders, each with the
kernels' tmpfs still mounted: the next grading run removes every one whose
lock no process holds (:func:`sweep`).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from nncourse.grade.bubblewrap import (
    FOLDER_PREFIX,
    check_socket_room,
    mount_tmpfs,
    share_with_sandbox,
    unmount,
)

#: The lock file in a sandbox's folder.
LOCK = "owner.lock"


@dataclass
class SandboxFolder:
    path: Path
    lock: int  # the open, locked LOCK file: released when this process ends

    @property
    def kernels(self) -> Path:
        return self.path / "kernels"

    @classmethod
    def make(cls, kernels_size: int, uid: int | None) -> SandboxFolder:
        """A new folder, locked, with ``kernels/`` a tmpfs of ``kernels_size``
        bytes where this process may mount one, shared with ``uid``."""
        check_socket_room(tempfile.gettempdir())
        path = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
        # Locked before it has its name: a sweep never finds it unlocked.
        making = path / (LOCK + ".new")
        lock = os.open(making, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(lock, fcntl.LOCK_EX)
        os.rename(making, path / LOCK)
        folder = cls(path, lock)
        folder.kernels.mkdir(mode=0o700)
        mount_tmpfs(folder.kernels, kernels_size, uid)
        share_with_sandbox(folder.kernels, uid)
        return folder

    def remove(self) -> None:
        remove(self.path)
        os.close(self.lock)


def remove(path: Path) -> None:
    """Remove a sandbox's folder, its kernels' tmpfs first."""
    if (path / "kernels").is_mount():
        unmount(path / "kernels")
    shutil.rmtree(path, ignore_errors=True)


def sweep(tmp: str) -> list[Path]:
    """Remove the sandbox folders under ``tmp`` that no live sandbox holds:
    those of killed runs. Folders without a lock (one being made) or not
    this user's are left alone. Returns the removed ones."""
    removed = []
    for path in sorted(Path(tmp).glob(FOLDER_PREFIX + "*")):
        try:
            lock = os.open(path / LOCK, os.O_WRONLY | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # its sandbox lives
            os.close(lock)
            continue
        remove(path)
        os.close(lock)
        removed.append(path)
    return removed

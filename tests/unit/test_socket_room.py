"""A kernel's sockets live in its sandbox's folder, under the temporary
folder (TMPDIR); a Unix socket's path has at most 107 bytes. A temporary
folder too long for them stops the run before it starts, with the fix, rather
than every kernel failing with zmq's "File name too long"."""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

import pytest

from nncourse.grade import bubblewrap, check_sandbox
from nncourse.grade.bubblewrap import SOCKET_PATH_MAX, SandboxUnavailable


def fits(tmp: str) -> bool:
    try:
        bubblewrap.check_socket_room(tmp)
    except SandboxUnavailable:
        return False
    return True


def test_the_limit_is_the_systems():
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:  # (a short path)
        folder = Path(tmp) / ("d" * (SOCKET_PATH_MAX - len(tmp) - 4))
        folder.mkdir()
        for name, binds in (("s", True), ("ss", True), ("sss", False)):
            path = os.fsencode(folder / name)  # 106, 107, 108 bytes: 107 fits
            with socket.socket(socket.AF_UNIX) as unix:
                try:
                    unix.bind(path)
                except OSError:
                    assert not binds, len(path)
                else:
                    assert binds, len(path)


def test_a_temporary_folder_is_refused_exactly_when_its_sockets_do_not_fit():
    assert fits("/tmp")
    longest = next(n for n in range(1, 200) if not fits("/" + "t" * n)) - 1
    folder = "/" + "t" * longest
    assert len(folder) == 54  # what book/instructors.md says
    sandbox = folder + "/" + bubblewrap.FOLDER_PREFIX + "x" * 8
    kernel = f"{sandbox}/kernels/{'0' * bubblewrap.KERNEL_DIGITS}"
    assert len(f"{kernel}/{bubblewrap.LONGEST_SOCKET}") == SOCKET_PATH_MAX


def test_grading_stops_before_it_starts_and_says_what_to_do(monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", "/scratch/" + "long-folder/" * 6)
    monkeypatch.setattr(bubblewrap, "check_available", lambda: None)
    with pytest.raises(SystemExit) as stop:
        check_sandbox(True)
    assert "Set TMPDIR to a folder" in str(stop.value)
    assert "/scratch/long-folder/" in str(stop.value)

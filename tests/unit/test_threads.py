"""nncourse.threads: PyTorch's CPU threads from the CPUs other work leaves free.

The timings that motivate the policy come from benchmarks/threads.py; these
tests check the decisions, on fake /proc/stat and cgroup files.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import torch

from nncourse import threads
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("default", "cpus", "quota", "busy", "chosen"),
    [
        (2, 2, None, 0.1, 2),  # quiet: PyTorch's default
        (2, 2, None, 1.0, 1),  # one other busy process: one thread
        (2, 2, None, 2.7, 1),  # never none
        (4, 8, None, 0.0, 4),  # no more than PyTorch's default (physical cores)
        (8, 16, 1, 0.0, 1),  # a container's quota (Binder) caps it
        (4, 4, None, 1.4, 3),  # a half-busy core does not count
    ],
)
def test_threads_are_the_cpus_free_of_other_work(default, cpus, quota, busy, chosen):
    assert threads.choose_threads(default, cpus, quota, busy) == chosen


def test_cpu_quota_of_cgroup_v2_and_v1(tmp_path):
    assert threads.cpu_quota(tmp_path) is None  # no cgroup files
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert threads.cpu_quota(tmp_path) is None
    (tmp_path / "cpu.max").write_text("150000 100000\n")
    assert threads.cpu_quota(tmp_path) == 2
    v1 = tmp_path / "v1"
    (v1 / "cpu").mkdir(parents=True)
    (v1 / "cpu" / "cpu.cfs_quota_us").write_text("50000\n")
    (v1 / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert threads.cpu_quota(v1) == 1


def proc_stat(cpu0: tuple[int, int], cpu1: tuple[int, int]) -> str:
    """/proc/stat with (busy, idle) ticks for two CPUs (user, idle, iowait...)."""
    lines = ["cpu  1 2 3 4 5 6 7 8 0 0"]
    for number, (busy, idle) in enumerate((cpu0, cpu1)):
        lines.append(f"cpu{number} {busy} 0 0 {idle} 0 0 0 0 0 0")
    return "\n".join(lines + ["intr 12345", "ctxt 678"]) + "\n"


def test_busy_cpus_counts_other_work_on_this_process_cpus(monkeypatch, tmp_path):
    stat = tmp_path / "stat"
    stat.write_text(proc_stat((100, 100), (100, 100)))
    monkeypatch.setattr(threads, "PROC_STAT", stat)
    # During the sample, cpu0 is busy all the time, cpu1 a quarter of it.
    later = proc_stat((110, 100), (102, 106))
    monkeypatch.setattr(threads.time, "sleep", lambda _: stat.write_text(later))
    assert threads.busy_cpus({0, 1}) == pytest.approx(1.25)
    stat.write_text(proc_stat((100, 100), (100, 100)))
    assert threads.busy_cpus({1}) == pytest.approx(0.25)  # cpu0 is not ours


@pytest.fixture
def torch_threads(monkeypatch):
    """Restore PyTorch's threads and the variables the policy reads."""
    before = torch.get_num_threads()
    for name in (threads.THREADS_VARIABLE, "OMP_NUM_THREADS", "GOMP_SPINCOUNT"):
        monkeypatch.delenv(name, raising=False)
    yield
    torch.set_num_threads(before)


def test_an_explicit_choice_wins(torch_threads, monkeypatch):
    monkeypatch.setattr(threads, "busy_cpus", lambda cpus: pytest.fail("sampled"))
    monkeypatch.setenv(threads.THREADS_VARIABLE, "1")
    assert threads.set_cpu_threads() == 1
    torch.set_num_threads(2)
    monkeypatch.setenv(threads.THREADS_VARIABLE, "off")
    assert threads.set_cpu_threads() == 2
    monkeypatch.delenv(threads.THREADS_VARIABLE)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # the grader's sandbox
    assert threads.set_cpu_threads() == 2  # left to PyTorch, which read it on load
    monkeypatch.setenv(threads.THREADS_VARIABLE, "many")
    with pytest.raises(ValueError, match="NNCOURSE_THREADS"):
        threads.set_cpu_threads()


def test_busy_cpus_reduce_the_threads(torch_threads, monkeypatch):
    monkeypatch.setattr(threads, "usable_cpus", lambda: {0, 1})
    monkeypatch.setattr(threads, "cpu_quota", lambda: None)
    torch.set_num_threads(2)
    monkeypatch.setattr(threads, "busy_cpus", lambda cpus: 1.0)
    assert threads.set_cpu_threads() == 1


def test_spin_count_only_before_torch_loads(torch_threads, monkeypatch):
    threads.prepare_before_torch()  # torch is loaded in this process
    assert "GOMP_SPINCOUNT" not in os.environ
    monkeypatch.delitem(sys.modules, "torch")
    threads.prepare_before_torch()
    assert os.environ["GOMP_SPINCOUNT"] == threads.SPIN_COUNT
    monkeypatch.setenv("GOMP_SPINCOUNT", "300000")
    threads.prepare_before_torch()
    assert os.environ["GOMP_SPINCOUNT"] == "300000"  # the user's own stays


def fresh_python(code: str, **variables: str) -> list[str]:
    """The words ``code`` prints in a new process, as in a chapter's kernel."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    env.pop("GOMP_SPINCOUNT", None)
    env.update(variables)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_set_up_cells_call_applies_the_policy():
    """nncourse.set_cpu_threads() before torch, as every set-up cell calls it."""
    code = (
        "import nncourse, os; nncourse.set_cpu_threads(); import torch; "
        "print(os.environ['GOMP_SPINCOUNT'], torch.get_num_threads())"
    )
    assert fresh_python(code, NNCOURSE_THREADS="1") == [threads.SPIN_COUNT, "1"]


def test_import_nncourse_does_no_work():
    """No torch, no variable set, no file read: the command line, each grading
    worker and each test pays nothing for the thread policy."""
    code = (
        "import builtins, io, os, sys\n"
        "opened = []\n"
        "real_open = io.open\n"
        "def spy(file, *a, **k):\n"
        "    opened.append(str(file))\n"
        "    return real_open(file, *a, **k)\n"
        "builtins.open = io.open = spy\n"
        "before = dict(os.environ)\n"
        "import nncourse\n"
        "print('torch' in sys.modules, 'numpy' in sys.modules, "
        "dict(os.environ) == before, opened == [])"
    )
    assert fresh_python(code) == ["False", "False", "True", "True"]

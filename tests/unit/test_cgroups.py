"""A sandbox's control group, made in a fake /sys/fs/cgroup: which hierarchy
is used, which limits are written, how the sandbox joins it and how a memory
kill is read. (tests/test_sandbox.py tests the real one, where one can be made.)"""

from __future__ import annotations

from pathlib import Path

from nncourse.grade.cgroups import ControlGroup, GroupLimits, own_groups

LIMITS = GroupLimits(memory=5 << 30, processes=64, cpus=1.5)


def fake_v1(root: Path) -> Path:
    for controller in ("memory", "pids", "cpu"):
        (root / controller / "job").mkdir(parents=True)
        (root / controller / "cgroup.procs").touch()
    proc = root / "self-cgroup"
    proc.write_text("8:pids:/\n4:memory:/job\n1:cpu,cpuacct:/\n0::/\n")
    return proc


def test_own_groups_reads_every_controller_of_a_line():
    groups = own_groups("4:memory:/a/b\n1:cpu,cpuacct:/c\n0::/d\n")
    assert groups == {"memory": "/a/b", "cpu": "/c", "cpuacct": "/c", "": "/d"}


def test_v1_groups_under_our_own_with_every_limit(tmp_path):
    group = ControlGroup.create(LIMITS, root=tmp_path, proc=fake_v1(tmp_path))
    assert group is not None and group.version == 1
    memory, pids, cpu = group.folders
    assert memory.parent == tmp_path / "memory" / "job"
    assert pids.parent == tmp_path / "pids" and cpu.parent == tmp_path / "cpu"
    assert (memory / "memory.limit_in_bytes").read_text() == str(5 << 30)
    assert not (memory / "memory.memsw.limit_in_bytes").exists()  # no swap here


def test_v2_needs_delegated_memory_and_pids(tmp_path):
    (tmp_path / "cgroup.controllers").write_text("cpu memory pids")
    own = tmp_path / "service"
    own.mkdir()
    (own / "cgroup.subtree_control").write_text("cpu\n")
    proc = tmp_path / "self-cgroup"
    proc.write_text("0::/service\n")
    assert ControlGroup.create(LIMITS, root=tmp_path, proc=proc) is None
    assert [p.name for p in own.iterdir()] == ["cgroup.subtree_control"]
    (own / "cgroup.subtree_control").write_text("cpu memory pids\n")
    group = ControlGroup.create(LIMITS, root=tmp_path, proc=proc)
    assert group is not None and group.version == 2
    (folder,) = group.folders
    assert folder.parent == own
    assert (folder / "memory.max").read_text() == str(5 << 30)
    assert (folder / "pids.max").read_text() == "64"


def test_no_group_without_a_writable_hierarchy(tmp_path):
    proc = tmp_path / "self-cgroup"
    proc.write_text("0::/\n")
    assert ControlGroup.create(LIMITS, root=tmp_path / "none", proc=proc) is None
    assert ControlGroup.create(LIMITS, root=tmp_path, proc=tmp_path / "no") is None


def test_the_sandbox_joins_before_it_starts_and_a_kill_is_counted(tmp_path):
    group = ControlGroup.create(LIMITS, root=tmp_path, proc=fake_v1(tmp_path))
    command = group.joined(["bwrap", "--die-with-parent", "a b"])
    assert command[:2] == ["/bin/sh", "-c"]
    assert command[-3:] == ["bwrap", "--die-with-parent", "a b"]
    assert command[2].count("cgroup.procs") == 3 and 'exec "$@"' in command[2]
    assert group.memory_kills() == 0
    memory = group.folders[0]
    (memory / "memory.oom_control").write_text("oom_kill_disable 0\noom_kill 2\n")
    assert group.memory_kills() == 2

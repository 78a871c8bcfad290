"""A Linux control group per grading sandbox: the limits that rlimits cannot
give, because they count per process or miss memory that is not "data".

One group holds the sandbox's every process and limits, all together:

- **memory** of every kind: anonymous, shared (``mmap(MAP_SHARED)``, POSIX
  shared memory) and the pages of files written to a tmpfs (its ``/tmp``,
  ``/dev/shm``, the kernels' folder); swap is not an escape (the group may
  not swap beyond its limit). Over the limit, the kernel's OOM killer ends
  the largest process of the group, that is the student's kernel, and
  :meth:`ControlGroup.memory_kills` counts it;
- **processes and threads** (``pids``), whatever user they run as;
- **CPU**: at most this many CPUs' worth of time, so that one student's
  threads cannot slow the rest of the class.

The group is made where this process can make one:

- cgroup v2 (``/sys/fs/cgroup`` is one hierarchy): a child of this process's
  own group, where that group delegates the ``memory`` and ``pids``
  controllers to its children (``cgroup.subtree_control``: a systemd
  ``Delegate=yes`` unit, a container's root group);
- cgroup v1 (a hierarchy per controller, as in many containers): a child of
  this process's group in the ``memory``, ``pids`` and ``cpu`` hierarchies.

Elsewhere (no permission to write either), :meth:`ControlGroup.create`
returns None and the sandbox keeps its rlimits and size-limited tmpfs mounts
only; ``nncourse grade`` says so in its log.
"""

from __future__ import annotations

import errno
import shlex
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
#: The scheduler's accounting period for the CPU limit, in microseconds.
CPU_PERIOD = 100_000


@dataclass(frozen=True)
class GroupLimits:
    memory: int  # bytes, every kind of memory of every process together
    processes: int  # processes and threads together
    cpus: float  # CPUs' worth of time


def own_groups(proc_cgroup: str) -> dict[str, str]:
    """controller -> this process's group, from ``/proc/self/cgroup``
    ("" is the v2 hierarchy)."""
    groups = {}
    for line in proc_cgroup.splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            groups[controller] = path
    return groups


class ControlGroup:
    """Folders of one group (one per v1 hierarchy, or one v2 folder)."""

    def __init__(self, folders: list[Path], version: int):
        self.folders = folders
        self.version = version

    @classmethod
    def create(
        cls, limits: GroupLimits, root: Path = ROOT, proc: Path | None = None
    ) -> ControlGroup | None:
        """A new group with ``limits``; None where none can be made."""
        proc = proc or Path("/proc/self/cgroup")
        try:
            groups = own_groups(proc.read_text())
        except (OSError, ValueError):
            return None
        name = f"nncourse-{uuid.uuid4().hex[:12]}"
        made = _create_v2(root, groups, name) or _create_v1(root, groups, name)
        if made is None:
            return None
        group = cls(*made)
        try:
            group._limit(limits)
        except OSError:
            group.remove()
            return None
        return group

    def _write(self, name: str, value: str, required: bool = True) -> None:
        """Write a limit to the folder whose controller has it; a limit
        that is not ``required`` is skipped where the controller lacks it."""
        folder = next((f for f in self.folders if (f / name).exists()), None)
        if folder is None and required:
            folder = self.folders[0]  # v2's one, or v1's memory hierarchy
        if folder is not None:
            (folder / name).write_text(value)

    def _limit(self, limits: GroupLimits) -> None:
        quota = max(1000, int(limits.cpus * CPU_PERIOD))
        if self.version == 2:
            self._write("memory.max", str(limits.memory))
            self._write("memory.swap.max", "0", required=False)
            self._write("pids.max", str(limits.processes))
            self._write("cpu.max", f"{quota} {CPU_PERIOD}", required=False)
            return
        self._write("memory.limit_in_bytes", str(limits.memory))
        # (memory and swap together, where swap is accounted; it can only be
        # set after the memory)
        self._write("memory.memsw.limit_in_bytes", str(limits.memory), False)
        self._write("pids.max", str(limits.processes), required=False)
        self._write("cpu.cfs_period_us", str(CPU_PERIOD), required=False)
        self._write("cpu.cfs_quota_us", str(quota), required=False)

    def joined(self, command: list[str]) -> list[str]:
        """``command`` run in this group: a shell writes its own process id
        to the group's ``cgroup.procs`` and then becomes ``command``, so that
        the group holds it before it starts anything."""
        joins = " && ".join(
            f"echo $$ > {shlex.quote(str(folder / 'cgroup.procs'))}"
            for folder in self.folders
        )
        return ["/bin/sh", "-c", f'{joins} && exec "$@"', "sh", *command]

    def memory_kills(self) -> int:
        """How many processes the group's memory limit has killed."""
        for folder in self.folders:
            for name in ("memory.events", "memory.oom_control"):
                counts = _counts(folder / name)
                if "oom_kill" in counts:
                    return counts["oom_kill"]
        return 0

    def remove(self, wait: float = 5.0) -> None:
        """Remove the group once its processes have ended."""
        deadline = time.monotonic() + wait
        for folder in self.folders:
            while folder.exists():
                try:
                    folder.rmdir()
                except OSError as error:
                    if error.errno != errno.EBUSY or time.monotonic() > deadline:
                        break
                    time.sleep(0.05)


def available() -> bool:
    """Whether this process can make a sandbox's control group."""
    group = ControlGroup.create(GroupLimits(memory=1 << 30, processes=64, cpus=1))
    if group is None:
        return False
    group.remove()
    return True


NOT_AVAILABLE = (
    "nncourse grade: no control group can be made here (cgroup v2 needs a "
    "delegated subtree, v1 a writable hierarchy; see 'Limits' in "
    "book/instructors.md), so each sandbox is limited by rlimits and "
    "size-limited tmpfs mounts only: shared memory is not counted with the "
    "data limit, and a kernel's threads may use every CPU."
)


def _counts(path: Path) -> dict[str, int]:
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return {}
    return {
        key: int(value)
        for key, _, value in (line.partition(" ") for line in lines)
        if value.strip().isdigit()
    }


def _create_v2(root: Path, groups: dict[str, str], name: str):
    if "" not in groups or not (root / "cgroup.controllers").exists():
        return None
    parent = root / groups[""].lstrip("/")
    try:
        delegated = (parent / "cgroup.subtree_control").read_text().split()
    except OSError:
        return None
    if not {"memory", "pids"} <= set(delegated):
        return None
    try:
        (parent / name).mkdir()
    except OSError:
        return None
    return [parent / name], 2


def _create_v1(root: Path, groups: dict[str, str], name: str):
    folders = []
    for controller in ("memory", "pids", "cpu"):
        hierarchy = root / controller
        if controller not in groups or not (hierarchy / "cgroup.procs").exists():
            continue
        folder = hierarchy / groups[controller].lstrip("/") / name
        try:
            folder.mkdir()
        except OSError:
            continue
        folders.append(folder)
    if not any(folder.relative_to(root).parts[0] == "memory" for folder in folders):
        ControlGroup(folders, 1).remove()  # memory is the limit that matters
        return None
    return folders, 1

"""Unpacking a class's zip without trusting it: every member is checked, and
written in chunks that stop at the limits, so that no zip can put more on the
grader's disk than the limits allow (a zip bomb declares a small size, or
compresses a thousandfold).

A member that breaks a limit is not written; its place holds an empty file
and :class:`Unpacked` records why, so that its student is told what happened
to that notebook instead of being graded as if nothing was submitted.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MiB = 1024**2
#: The largest notebook file read from a submission (also for folders).
MAX_NOTEBOOK_BYTES = 50 * MiB
#: The largest zip the grader unpacks, all members together.
MAX_TOTAL_BYTES = 4 * 1024 * MiB
#: The most members a zip may have (a class of 1,000 with 20 files each).
MAX_MEMBERS = 20_000
#: The most a member may expand: a notebook's JSON compresses about tenfold,
#: its PNGs hardly; a zip bomb a thousandfold or more.
MAX_RATIO = 200
CHUNK = MiB


@dataclass
class Unpacked:
    """The unpacked folder, each member that was refused (by its path, with
    why), and the names of members that would have left the folder."""

    folder: Path
    refused: dict[Path, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


class ArchiveRefused(SystemExit):
    """The zip as a whole is beyond the limits: nothing is graded."""


def member_path(name: str) -> PurePosixPath | None:
    """A member's path inside the folder, or None for one that would leave
    it (absolute, ``..``, a drive) or names nothing."""
    path = PurePosixPath(name.replace("\\", "/"))
    parts = [part for part in path.parts if part not in ("", ".")]
    if path.is_absolute() or ".." in parts or not parts or ":" in parts[0]:
        return None
    return PurePosixPath(*parts)


def _why_refused(member: zipfile.ZipInfo) -> str | None:
    if member.file_size > MAX_NOTEBOOK_BYTES:
        size = member.file_size / MiB
        return f"it is {size:.0f} MB, over the limit of {MAX_NOTEBOOK_BYTES // MiB} MB"
    if member.file_size > MAX_RATIO * max(member.compress_size, 1):
        return (
            f"it expands {member.file_size / max(member.compress_size, 1):.0f}-fold "
            f"from the zip, over the limit of {MAX_RATIO}-fold (a zip bomb?)"
        )
    return None


def _copy_at_most(source, target: Path, limit: int) -> bool:
    """Copy ``source`` into ``target`` in chunks; False, and nothing kept, as
    soon as it gives more than ``limit`` bytes."""
    written = 0
    with open(target, "wb") as handle:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > limit:
                break
            handle.write(chunk)
    if written > limit:
        target.write_bytes(b"")
        return False
    return True


def _extract(opened: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path):
    """Write ``member`` to ``target``; why it was refused, or None."""
    try:
        with opened.open(member) as source:
            # The declared size is what the zip claims; zipfile reads no more
            # than that and checks the CRC, and this copy stops there too.
            if not _copy_at_most(source, target, member.file_size):
                return "it holds more than the zip declares for it"
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        return f"it is damaged in the zip ({error})"
    return None


def unpack_zip(archive: Path, into: Path) -> Unpacked:
    """Unpack ``archive`` into ``into`` within the limits above."""
    unpacked = Unpacked(into)
    with zipfile.ZipFile(archive) as opened:
        members = [m for m in opened.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise ArchiveRefused(
                f"{archive} has {len(members):,} files, over the limit of "
                f"{MAX_MEMBERS:,}: nothing was graded. Split the class's download."
            )
        declared = sum(m.file_size for m in members)
        if declared > MAX_TOTAL_BYTES:
            raise ArchiveRefused(
                f"{archive} holds {declared / MiB:,.0f} MB, over the limit of "
                f"{MAX_TOTAL_BYTES // MiB:,} MB: nothing was graded."
            )
        for member in members:
            relative = member_path(member.filename)
            if relative is None:  # it would be written outside the folder
                unpacked.skipped.append(member.filename)
                continue
            target = into / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            why = _why_refused(member)
            if why is None:
                why = _extract(opened, member, target)
            if why is not None:
                target.write_bytes(b"")
                unpacked.refused[target] = why
    return unpacked

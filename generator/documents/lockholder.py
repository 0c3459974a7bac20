"""Who holds an output folder's lock, said when a build gives up waiting for it: a lock is held
only while a sheet's files are put in place, so a long wait means another handouts command is
stuck or paused (Ctrl+Z), and its process number is what lets the author find and stop it.
Read from the system's table of file locks (/proc/locks, on Linux); elsewhere, or when the
table says nothing of the file, no one is named."""

from __future__ import annotations

import os
from dataclasses import dataclass

LOCKS_TABLE = "/proc/locks"
MAX_TABLE_BYTES = 4_000_000  # one line per lock on the machine, some 60 bytes each


@dataclass(frozen=True)
class Holder:
    """The process holding a lock, and whether it is paused (stopped by Ctrl+Z or a signal:
    it holds the lock until it is resumed or ends)."""

    pid: int
    paused: bool


def holder(handle: int) -> Holder | None:
    """The process that holds the `flock` on the open file `handle` (another one than this),
    or None when the system does not say."""
    info = os.fstat(handle)
    wanted = (os.major(info.st_dev), os.minor(info.st_dev), info.st_ino)
    try:
        with open(LOCKS_TABLE, "rb") as table:
            lines = table.read(MAX_TABLE_BYTES).decode("ascii", "replace").splitlines()
    except OSError:
        return None
    for line in lines:
        # "3: FLOCK  ADVISORY  WRITE 4242 fe:00:2146745 0 EOF" (a waiter's line has "->")
        fields = line.split()
        if len(fields) < 6 or fields[1] != "FLOCK" or not fields[4].isdigit():
            continue
        place = fields[5].split(":")
        try:
            found = (int(place[0], 16), int(place[1], 16), int(place[2]))
        except (IndexError, ValueError):
            continue
        pid = int(fields[4])
        if found == wanted and pid > 0 and pid != os.getpid():
            return Holder(pid, _paused(pid))
    return None


def _paused(pid: int) -> bool:
    """Whether the process is stopped (state T, or t when a debugger stopped it)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read(4096).decode("ascii", "replace")
    except OSError:
        return False
    after_name = text.rpartition(")")[2].split()  # the name, in brackets, may hold spaces
    return bool(after_name) and after_name[0] in ("T", "t")

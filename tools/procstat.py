"""Resident memory and CPU time of a process, read from Linux ``/proc`` (no extra dependency)."""

from __future__ import annotations

import os
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def rss_bytes(pid: int, proc: Path = Path("/proc")) -> int:
    """Resident set size of ``pid`` in bytes (VmRSS), 0 if the process is gone."""
    try:
        for line in (proc / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return 0
    return 0


def cpu_seconds(pid: int, proc: Path = Path("/proc")) -> float:
    """User plus system CPU time ``pid`` has used, in seconds (0.0 if gone)."""
    try:
        stat = (proc / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    # The command name may hold spaces and parentheses: fields start after the last ")".
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / CLOCK_TICKS

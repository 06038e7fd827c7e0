"""RSS and CPU time of a process, from /proc (Linux)."""

from __future__ import annotations

import os


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sys_seconds(pid: int) -> float:
    """The kernel's share of cpu_seconds (system calls such as a socket send)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[12]) / os.sysconf("SC_CLK_TCK")


def cpu_pressure_us() -> int:
    """Linux PSI: total µs in which some runnable task waited for a CPU (0 where unsupported).
    Its growth over a phase, as a share of the phase, says how busy the shared machine was."""
    try:
        with open("/proc/pressure/cpu") as f:
            for line in f:
                if line.startswith("some"):
                    return int(line.rsplit("total=", 1)[1])
    except OSError:
        pass
    return 0

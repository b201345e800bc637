"""Reading RSS and CPU time from /proc."""

from __future__ import annotations

import os
from pathlib import Path

from tools.procstat import CLOCK_TICKS, cpu_seconds, rss_bytes


def test_own_process_has_memory_and_cpu() -> None:
    sum(i * i for i in range(200_000))
    assert rss_bytes(os.getpid()) > 10 * 1024 * 1024
    assert cpu_seconds(os.getpid()) > 0


def test_a_missing_process_reads_as_zero(tmp_path: Path) -> None:
    assert rss_bytes(123, proc=tmp_path) == 0
    assert cpu_seconds(123, proc=tmp_path) == 0.0


def test_a_command_name_with_spaces_and_parentheses(tmp_path: Path) -> None:
    (tmp_path / "7").mkdir()
    rest = " ".join(["S"] + ["0"] * 10 + [str(3 * CLOCK_TICKS), str(CLOCK_TICKS)] + ["0"] * 30)
    (tmp_path / "7" / "stat").write_text(f"7 (odd (name) x) {rest}\n")
    (tmp_path / "7" / "status").write_text("Name:\todd\nVmRSS:\t  2048 kB\n")
    assert cpu_seconds(7, proc=tmp_path) == 4.0
    assert rss_bytes(7, proc=tmp_path) == 2048 * 1024

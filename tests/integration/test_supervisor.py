"""`make run`'s command as a user runs it: figures printed, Ctrl-C stops everything it started."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.integration


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead but not yet reaped by its parent.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


def test_run_prints_figures_and_ctrl_c_leaves_no_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "KAFKA_BROKER"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "services", "--publish", str(EXAMPLES), "--workdir", str(tmp_path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 150
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("running;"):
            break
    output = "".join(lines)
    assert "running; Ctrl-C stops everything" in output, output
    assert re.search(r"went through the pipeline: \d+ incident", output), output
    assert re.search(r"killed\s+\w+\s+.+\s\d+\s+\d+\s+\d+\s+\d+", output), output
    pids = [int(p) for p in re.findall(r"pid (\d+)\)", output)]
    assert len(pids) == 5, output  # four workers and the embedded broker
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, rest
    assert "stopped:" in rest
    time.sleep(0.5)
    assert [pid for pid in pids if _alive(pid)] == []

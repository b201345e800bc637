"""The short chaos run of ``make test``: real processes killed with SIGKILL while a corpus flows."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.chaos import QUICK_REPLICAS, Config, passed, run

pytestmark = pytest.mark.integration

SUMMARY_KEYS = {
    "articles_in",
    "articles_out",
    "dead_lettered",
    "lost",
    "double_counted",
    "kills",
    "recovery_s_median",
    "recovery_s_max",
    "fuzz_inputs",
    "fuzz_crashes",
}


def test_kills_lose_nothing_and_count_nothing_twice(tmp_path: Path) -> None:
    cfg = Config(120, 3, 0.0, seed=1, page_bytes=(10_000, 40_000), replicas=dict(QUICK_REPLICAS))
    cfg.workdir, cfg.timeout_s = tmp_path, 180.0
    summary = run(cfg, log=print)
    assert summary.keys() >= SUMMARY_KEYS
    assert summary["articles_in"] > 100
    assert summary["lost"] == 0, summary
    assert summary["double_counted"] == 0, summary
    # Incidents, tolls and totals equal to the fault-free run's, every figure there.
    why = (summary.get("differences"), summary.get("diagnosis"))
    assert summary["figures_missing"] == 0, why
    assert summary["identical"], why
    # Three planned kills, one of them a double kill during a rebalance.
    assert summary["kills"] == 4
    kinds = {k["kind"] for k in summary["kill_log"]}
    assert {"aggregator_with_state", "during_rebalance"} <= kinds
    assert passed(summary)

"""The chaos run's kill plan and verdict."""

from __future__ import annotations

import random

from tools.chaos import REPLICAS, kill_plan, passed


def test_the_two_required_kills_are_always_planned() -> None:
    for seed in range(20):
        plan = kill_plan(random.Random(seed), 6, REPLICAS)
        assert len(plan) == 6
        assert plan.count("aggregator_with_state") == 1 and plan.count("during_rebalance") == 1


def test_no_rebalance_kill_without_a_second_replica() -> None:
    plan = kill_plan(random.Random(0), 3, {"parser": 1, "aggregator": 1})
    assert "during_rebalance" not in plan and "aggregator_with_state" in plan
    assert kill_plan(random.Random(0), 0, REPLICAS) == []


def test_verdict() -> None:
    good = {"lost": 0, "double_counted": 0, "identical": True, "fuzz_crashes": 0}
    assert passed(good)
    assert not passed(good | {"lost": 1})
    assert not passed(good | {"double_counted": 2})
    assert not passed(good | {"identical": False})
    assert not passed(good | {"rss_flat": False})
    assert not passed(good | {"lag_end": 30})
    assert not passed(good | {"fuzz_crashes": 1})

from __future__ import annotations

import asyncio
import time

import pytest

from services.fetcher.politeness import HostGate, backoff_delay, retry_after_seconds


def test_backoff_grows_then_caps_with_full_jitter() -> None:
    assert [backoff_delay(n, 1.0, 10.0, lambda: 1.0) for n in (1, 2, 3, 4, 5, 6)] == [1, 2, 4, 8, 10, 10]
    assert backoff_delay(3, 1.0, 10.0, lambda: 0.0) == 0.0
    assert 0.0 <= backoff_delay(2, 1.0, 10.0) <= 2.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
        ("-3", None),
    ],
)
def test_retry_after(value: str | None, expected: float | None) -> None:
    now = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT
    assert retry_after_seconds(value, now) == expected


def test_gate_paces_and_pauses_one_host_only() -> None:
    async def go() -> tuple[float, float, float]:
        gate = HostGate(concurrency=1, interval_s=0.2)
        started = time.monotonic()
        async with gate.slot("a"):
            pass
        async with gate.slot("b"):  # another host: no wait
            pass
        other = time.monotonic() - started
        async with gate.slot("a"):
            pass
        paced = time.monotonic() - started
        gate.pause("b", 0.3)
        assert gate.paused_for("b") > 0.2 and gate.paused_for("a") == 0.0
        started = time.monotonic()
        async with gate.slot("b"):
            pass
        return other, paced, time.monotonic() - started

    other, paced, paused = asyncio.run(go())
    assert other < 0.1 and paced >= 0.19 and paused >= 0.29


def test_crawl_delay_widens_the_interval() -> None:
    async def go() -> float:
        gate = HostGate(concurrency=1, interval_s=0.0)
        gate.set_delay("a", 0.2)
        async with gate.slot("a"):
            pass
        started = time.monotonic()
        async with gate.slot("a"):
            pass
        return time.monotonic() - started

    assert asyncio.run(go()) >= 0.19

"""Politeness: per-host concurrency and pacing, backoff with jitter, Retry-After."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime


def backoff_delay(
    attempt: int, base_s: float, cap_s: float, rng: Callable[[], float] = random.random
) -> float:
    """Seconds to wait before retry ``attempt`` (1-based): "full jitter" exponential backoff.

    Uniform in [0, min(cap, base * 2**(attempt-1))]: replicas that failed together
    do not come back together.
    """
    ceiling = min(cap_s, base_s * (2 ** max(0, attempt - 1)))
    return ceiling * rng()


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


@dataclass
class _Host:
    semaphore: asyncio.Semaphore
    next_start: float = 0.0
    paused_until: float = 0.0


@dataclass
class HostGate:
    """At most ``concurrency`` requests per host, starts at least ``interval_s`` apart.

    A host can also be paused (Retry-After, Crawl-delay): every request to it waits.
    """

    concurrency: int = 2
    interval_s: float = 1.0
    clock: Callable[[], float] = time.monotonic
    _hosts: dict[str, _Host] = field(default_factory=dict)
    _delays: dict[str, float] = field(default_factory=dict)

    def _host(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _Host(asyncio.Semaphore(max(1, self.concurrency)))
        return state

    def set_delay(self, host: str, delay_s: float) -> None:
        """Space requests to ``host`` at least ``delay_s`` apart (robots.txt Crawl-delay)."""
        self._delays[host] = delay_s

    def pause(self, host: str, seconds: float) -> None:
        """Send nothing to ``host`` for ``seconds`` (it said Retry-After)."""
        state = self._host(host)
        state.paused_until = max(state.paused_until, self.clock() + seconds)

    def paused_for(self, host: str) -> float:
        """Seconds ``host`` stays paused (0 when it is not)."""
        state = self._hosts.get(host)
        return max(0.0, state.paused_until - self.clock()) if state else 0.0

    @contextlib.asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of ``host``'s request slots, waiting for pacing and pauses first."""
        state = self._host(host)
        async with state.semaphore:
            interval = max(self.interval_s, self._delays.get(host, 0.0))
            while True:
                now = self.clock()
                start_at = max(state.next_start, state.paused_until)
                if start_at <= now:
                    break
                await asyncio.sleep(start_at - now)
            state.next_start = self.clock() + interval
            yield

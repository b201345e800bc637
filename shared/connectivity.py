"""Whether a worker can reach its broker: a cheap metadata request on a timer.

faust and aiokafka retry a lost broker on their own, with backoff, but say so only
in logs. This probe makes the state visible: ``/health`` answers 503 and the
``wirecount_<stage>_broker_connected`` gauge is 0 while the broker does not answer,
and both return to normal by themselves once it does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from aiokafka import AIOKafkaClient
from aiokafka.errors import KafkaError
from prometheus_client import CollectorRegistry, Gauge

log = logging.getLogger(__name__)

PROBE_INTERVAL_S = 2.0
PROBE_TIMEOUT_S = 3.0


class BrokerProbe:
    """Keeps ``connected`` equal to "the broker answered the last metadata request"."""

    def __init__(self, bootstrap: str, gauge: Gauge, timeout_s: float = PROBE_TIMEOUT_S) -> None:
        self.bootstrap = bootstrap
        self.gauge = gauge
        self.timeout_s = timeout_s
        # Optimistic until the first answer: a worker starting up is not "down".
        self.connected = True
        self.gauge.set(1)
        self._client: AIOKafkaClient | None = None

    async def check(self) -> bool:
        """One probe; updates ``connected`` and the gauge, never raises."""
        try:
            await asyncio.wait_for(self._ask(), self.timeout_s)
            ok = True
        except (KafkaError, OSError, TimeoutError) as exc:
            ok = False
            await self._drop()
            if self.connected:
                log.warning("broker unreachable", extra={"broker": self.bootstrap, "error": repr(exc)})
        if ok and not self.connected:
            log.warning("broker reachable again", extra={"broker": self.bootstrap})
        self.connected = ok
        self.gauge.set(1 if ok else 0)
        return ok

    async def _ask(self) -> None:
        if self._client is None:
            client = AIOKafkaClient(
                bootstrap_servers=self.bootstrap, request_timeout_ms=int(self.timeout_s * 1000)
            )
            try:
                await client.bootstrap()
            except BaseException:
                await client.close()
                raise
            self._client = client
        await self._client.fetch_all_metadata()

    async def _drop(self) -> None:
        # A fresh client next time: after a broker restart the old one may hold dead connections.
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await client.close()


def install_broker_probe(runtime: Any, interval_s: float = PROBE_INTERVAL_S) -> BrokerProbe:
    """Probe ``runtime``'s broker every ``interval_s`` seconds; export the result as a gauge."""
    registry: CollectorRegistry = runtime.registry
    gauge = Gauge(
        f"wirecount_{runtime.stage}_broker_connected",
        "1 while the broker answers metadata requests, 0 while it does not.",
        registry=registry,
    )
    probe = BrokerProbe(runtime.settings.kafka_broker, gauge)

    @runtime.app.timer(interval_s, name=f"{runtime.stage}-broker-probe")
    async def probe_broker() -> None:
        await probe.check()

    return probe

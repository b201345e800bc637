"""The casualty figures as Prometheus gauges, read from the view at scrape time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from services.aggregator.view import IncidentView


class CasualtyGauges(Collector):
    """Totals of incident best estimates as gauges, computed at scrape time.

    Labels come from fixed sets (ISO country codes, four kinds, five victim
    groups), never from article text. Every replica exports the same numbers:
    aggregate with ``max without (instance)``, not ``sum``.
    """

    def __init__(self, view: IncidentView) -> None:
        self.view = view

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Yield the casualty and incident gauges."""
        casualties = GaugeMetricFamily(
            "wirecount_aggregator_casualties",
            "Sum of incident best estimates.",
            labels=["country", "kind", "victims"],
        )
        incidents = GaugeMetricFamily("wirecount_aggregator_incidents", "Incidents known.", labels=["kind"])
        tolls = GaugeMetricFamily(
            "wirecount_aggregator_toll_latest",
            "Sum of the latest values of running tolls.",
            labels=["country", "kind"],
        )
        best: dict[tuple[str, str, str], int] = defaultdict(int)
        count: dict[str, int] = defaultdict(int)
        for doc in self.view.incidents.values():
            best[(doc.get("country") or "XX", doc["kind"], doc.get("victims") or "people")] += int(
                doc.get("best") or 0
            )
            count[doc["kind"]] += 1
        latest: dict[tuple[str, str], int] = defaultdict(int)
        for doc in self.view.tolls.values():
            latest[(doc.get("country") or "XX", doc["kind"])] += int(doc.get("latest") or 0)
        for labels, value in sorted(best.items()):
            casualties.add_metric(list(labels), value)
        for kind, value in sorted(count.items()):
            incidents.add_metric([kind], value)
        for labels2, value in sorted(latest.items()):
            tolls.add_metric(list(labels2), value)
        yield casualties
        yield incidents
        yield tolls

"""The query side: every incident and toll, materialised from ``casualties.incidents``.

Each aggregator replica reads the whole topic (all partitions, no consumer group),
so any replica answers any query in full, whichever replica built the incident.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from services.aggregator.incidents import INCIDENT, RETIRED, TOLL


class IncidentView:
    """The latest version of every incident and toll, by id."""

    def __init__(self) -> None:
        self.incidents: dict[str, dict[str, Any]] = {}
        self.tolls: dict[str, dict[str, Any]] = {}
        self.updates = 0

    def apply(self, record: dict[str, Any]) -> None:
        """Take one ``casualties.incidents`` record (a newer version replaces the older)."""
        if record.get("type") == RETIRED:  # merged into another incident when a report joined both
            current = self.incidents.get(str(record.get("id")))
            if current is not None and current.get("updated_at", 0) <= record.get("updated_at", 0):
                del self.incidents[str(record.get("id"))]
            self.updates += 1
            return
        target = {INCIDENT: self.incidents, TOLL: self.tolls}.get(record.get("type", ""))
        if target is None or not isinstance(record.get("data"), dict):
            return
        current = target.get(record["id"])
        if current is None or current.get("updated_at", 0) <= record.get("updated_at", 0):
            target[record["id"]] = record["data"] | {"updated_at": record.get("updated_at", 0)}
        self.updates += 1


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

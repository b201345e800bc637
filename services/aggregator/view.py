"""The query side: every incident and toll, materialised from ``casualties.incidents``.

Each aggregator replica reads the whole topic (all partitions, no consumer group),
so any replica answers any query in full, whichever replica built the incident.
"""

from __future__ import annotations

from typing import Any

from services.aggregator.documents import INCIDENT, RETIRED, TOLL


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

"""A batch of figure events folded over the aggregator's tables through a write buffer.

Each table key a batch touches is read from its table once and written once, at
the end, however many figures of the batch changed it: on the embedded broker
every table write is a changelog record sent as a batch of its own (DESIGN.md),
and every read of a RocksDB-backed table decodes the stored document again.

Within a batch the buffer behaves as the plain-dict state does in the tests and
the fuzz harness (a document read is the stored object, a write replaces it), so
folding a batch gives what folding its events one by one gives. Writes reach the
tables with the ``figures`` entries last, as :func:`writes.settle` orders them
within one figure: those entries mark figures as applied, and a kill between the
writes leaves figures that a redelivery completes (see ``settle``).
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

from services.aggregator.writes import AggregatorState
from shared.records import IncidentRecord

_UNREAD = object()


class Buffered(MutableMapping[str, Any]):
    """A table seen through the batch's reads and writes; :meth:`flush` writes each changed key once."""

    def __init__(self, table: MutableMapping[str, Any]) -> None:
        self.table = table
        self.seen: dict[str, Any] = {}
        self.dirty: dict[str, None] = {}  # keys written, in first-write order

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        """The key's value as the batch has it (read from the table once)."""
        value = self.seen.get(key, _UNREAD)
        if value is _UNREAD:
            value = self.seen[key] = self.table.get(key)
        return default if value is None else value

    def __getitem__(self, key: str) -> Any:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self.seen[key] = value
        self.dirty[key] = None

    def __delitem__(self, key: str) -> None:
        """Delete at flush (an incident merged into another is retired)."""
        self.seen[key] = None
        self.dirty[key] = None

    def __iter__(self) -> Iterator[str]:
        raise TypeError("aggregator state is never iterated")

    def __len__(self) -> int:
        raise TypeError("aggregator state is never counted")

    def flush(self) -> int:
        """Write every changed key to the table once; how many were written."""
        for key in self.dirty:
            value = self.seen[key]
            if value is not None:
                self.table[key] = value
            elif self.table.get(key) is not None:
                del self.table[key]
        written = len(self.dirty)
        self.seen.clear()
        self.dirty.clear()
        return written


def buffered(state: AggregatorState) -> AggregatorState:
    """``state`` behind one write buffer per table."""
    return AggregatorState(
        figures=Buffered(state.figures),
        blocks=Buffered(state.blocks),
        incidents=Buffered(state.incidents),
        tolls=Buffered(state.tolls),
    )


def flush(batch: AggregatorState) -> int:
    """Write a buffered state's changes to its tables, the documents first and the figure marks last."""
    written = 0
    for table in (batch.incidents, batch.tolls, batch.blocks, batch.figures):
        assert isinstance(table, Buffered)
        written += table.flush()
    return written


def latest_records(records: list[IncidentRecord]) -> list[IncidentRecord]:
    """One record per document: its last version, carrying the earliest ``entered_at`` of the figures
    that changed it in the batch (latency is measured from the article that waited longest)."""
    out: dict[str, IncidentRecord] = {}
    for record in records:
        earlier = out.get(record.id)
        if earlier is not None and 0 < earlier.entered_at < record.entered_at:
            record = record.derive(entered_at=earlier.entered_at)
        out[record.id] = record
    return list(out.values())

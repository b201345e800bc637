"""Folding figure events in batches through the write buffer: same state, each key written once, crash-safe."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from services.aggregator.batch import Buffered, buffered, flush, latest_records
from services.aggregator.entry import merge
from services.aggregator.observations import figure_events
from services.aggregator.writes import AggregatorState
from shared.records import IncidentRecord
from tests.services.aggregator.conftest import article, figure, new_state
from tests.services.aggregator.test_incidents import _MIXED, Stored, _stored_state, _without_ids

_NAMES = ("figures", "blocks", "incidents", "tolls")
# Enough figures of one block that the batch rewrites the same block and incident many times.
_SAME_EVENT = [
    article(f"s{i}", figure(10 + i), site=f"s{i}.example", published=f"2026-11-24T{8 + i:02d}:00:00Z")
    for i in range(6)
]


def _values(*articles: Any) -> list[bytes]:
    return [e.dumps() for a in articles for e in figure_events(a, "2026-11-26")]


def _one_by_one(state: AggregatorState, values: list[bytes]) -> list[IncidentRecord]:
    return [r for v in values for r in merge(v, state, window_days=1, now=1.0)]


def _batch(state: AggregatorState, values: list[bytes]) -> list[IncidentRecord]:
    pending = buffered(state)
    records = _one_by_one(pending, values)
    flush(pending)
    return latest_records(records)


@pytest.mark.parametrize("make", [new_state, lambda: _stored_state([])], ids=["dicts", "copying tables"])
@pytest.mark.parametrize("size", [1, 2, 3, 100])
def test_batches_of_any_size_build_what_one_by_one_builds(make: Any, size: int) -> None:
    values = _values(*_MIXED, *_SAME_EVENT)
    reference, batched = make(), make()
    _one_by_one(reference, values)
    for start in range(0, len(values), size):
        _batch(batched, values[start : start + size])
    assert _without_ids(batched) == _without_ids(reference)
    for name in _NAMES:
        assert dict(getattr(batched, name)) == dict(getattr(reference, name))


def test_a_batch_writes_each_key_once_and_publishes_each_document_once() -> None:
    log: list[str] = []
    batched, single = _stored_state(log), _stored_state([])
    values = _values(*_SAME_EVENT)
    records = _batch(batched, values)
    one_by_one = _one_by_one(single, values)
    assert sorted(log) == sorted(set(log))  # no key written twice
    assert len(log) < len(single.figures) + 2 * len(values)  # one-by-one writes block and incident per figure
    assert len(records) == len({r.id for r in records}) == 1 < len(one_by_one)
    assert records[0].data == one_by_one[-1].data


def test_the_published_record_carries_the_earliest_entry_time_of_its_batch() -> None:
    early = article("x1", figure(9), site="x1.example", entered_at=50.0)
    late = article("x2", figure(9), site="x2.example", entered_at=80.0)
    # The second figure may come first in the canonical order and retire the first one's id.
    [record] = [r for r in _batch(new_state(), _values(late, early)) if r.type == "incident"]
    assert record.entered_at == 50.0


@pytest.mark.parametrize("seed", range(12))
def test_a_kill_during_the_flush_is_completed_by_redelivering_the_batch(seed: int) -> None:
    """The flush writes separate changelog topics: a kill may leave any subset of them behind."""
    before, batch = _values(*_MIXED[:2]), _values(*_MIXED[2:], *_SAME_EVENT)
    reference = new_state()
    _one_by_one(reference, before + batch)
    crashed = new_state()
    _one_by_one(crashed, before)
    pending = buffered(crashed)
    _one_by_one(pending, batch)
    writes = [(name, key) for name in _NAMES for key in getattr(pending, name).dirty]
    rng = random.Random(seed)
    for name, key in rng.sample(writes, rng.randrange(len(writes) + 1)):
        buffer = getattr(pending, name)
        assert isinstance(buffer, Buffered)
        if buffer.seen[key] is None:  # a deletion that survived
            getattr(crashed, name).pop(key, None)
        else:
            getattr(crashed, name)[key] = copy.deepcopy(buffer.seen[key])
    _batch(crashed, batch)  # redelivered whole: nothing of it was acked
    assert _without_ids(crashed) == _without_ids(reference)


def test_the_buffer_reads_each_key_from_its_table_once() -> None:
    reads: list[str] = []

    class Counting(Stored):
        def get(self, key: Any, default: Any = None) -> Any:
            reads.append(key)
            return super().get(key, default)

    state = AggregatorState(*(Counting([]) for _ in _NAMES))
    _batch(state, _values(*_SAME_EVENT))
    assert sorted(reads) == sorted(set(reads))


def test_a_deletion_in_the_buffer_reaches_the_table_at_flush() -> None:
    table = {"inc-a": {"id": "inc-a"}, "inc-b": {"id": "inc-b"}}
    buffer = Buffered(table)
    del buffer["inc-a"]
    assert buffer.get("inc-a") is None and "inc-a" in table  # not yet written
    assert buffer.flush() == 1
    assert table == {"inc-b": {"id": "inc-b"}}

"""Every topic the pipeline uses, with its partition count: the one place names are spelt.

The embedded broker auto-creates any topic a client merely mentions (with 4
partitions), so a misspelt name fails silently there; taking names from this
module and creating them all up front (:func:`shared.admin.ensure_topics`) is
what keeps that from happening.
"""

from __future__ import annotations

from dataclasses import dataclass

# Feeds to poll, keyed by source name (compacted): each fetcher replica polls the
# sources of the partitions it is assigned, so adding a replica spreads them.
FETCH_SOURCES = "fetch.sources"
# Feed entries found by the fetcher, keyed by canonical URL: the replica owning that
# key's partition fetches the page once, whichever feeds listed it.
FETCH_FOUND = "fetch.found"
RAW = "articles.raw"
PARSED = "articles.parsed"
EXTRACTED = "articles.extracted"
INCIDENTS = "casualties.incidents"
# Internal to the aggregator: figures re-keyed by (place, kind) so that one
# total is always updated in one partition.
AGGREGATOR_FIGURES = "aggregator.figures"

DEADLETTER_SUFFIX = ".deadletter"

# Which topic each stage consumes; its dead letters go to "<input>.deadletter".
STAGE_INPUT = {
    "fetcher": FETCH_SOURCES,
    "parser": RAW,
    "extractor": PARSED,
    "aggregator": EXTRACTED,
}


def deadletter_of(topic: str) -> str:
    """Name of the dead-letter topic for messages that failed on ``topic``."""
    return topic + DEADLETTER_SUFFIX


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """A topic to create before any worker starts."""

    name: str
    partitions: int
    compacted: bool = False


def all_topics(flow_partitions: int, deadletter_partitions: int) -> list[TopicSpec]:
    """Every topic of the pipeline, main flow and dead letters."""
    flow = [FETCH_FOUND, RAW, PARSED, EXTRACTED, AGGREGATOR_FIGURES]
    specs = [TopicSpec(name, flow_partitions) for name in flow]
    # Incidents are keyed by incident id and only the latest version matters.
    specs.append(TopicSpec(INCIDENTS, flow_partitions, compacted=True))
    specs.append(TopicSpec(FETCH_SOURCES, flow_partitions, compacted=True))
    specs += [TopicSpec(deadletter_of(t), deadletter_partitions) for t in STAGE_INPUT.values()]
    return specs

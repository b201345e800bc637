"""The crash-convergent write protocol: a figure's effect spans several tables, written in an order
a redelivery completes.

State lives in four mappings (faust tables in the worker, dicts in tests):

- ``figures``: figure id -> where it went; a redelivered figure changes nothing,
  and a republished article (same content hash) is recognised by its content key.
- ``blocks``: block key -> the block's open incidents, for matching (:mod:`.blocks`).
- ``incidents``: incident id -> the incident document.
- ``tolls``: toll id -> the running-toll document.

Their changelogs are separate topics, so a kill can leave any part of a figure's writes done.
Every write is one a replay recomputes identically, and the ``figures`` entries, which mark a
figure applied, go last.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from services.aggregator.documents import (
    TOLL,
    Doc,
    content_key,
    holds,
    kept_instead,
    replace_report,
    reports_field,
)
from shared.records import FigureEvent


@dataclass
class AggregatorState:
    """The mappings incident building reads and writes."""

    figures: MutableMapping[str, Any]
    blocks: MutableMapping[str, Any]
    incidents: MutableMapping[str, Any]
    tolls: MutableMapping[str, Any]


@dataclass(frozen=True, slots=True)
class Change:
    """A document that is new or changed, to publish and serve."""

    type: str
    id: str
    doc: Doc


def settle(state: AggregatorState, event: FigureEvent, doc: Doc, *, changed: bool) -> list[Change]:
    """Write ``doc`` (a toll, or an incident closed to matching) and the entries pointing at it.

    A figure's effect spans several tables, and a crash can leave any part of it written (their
    changelogs are separate topics). Redelivery runs this again: entries already right are left
    alone, missing ones are written. The ``figures`` entries go last: they mark the figure applied.
    Unless ``changed``, ``doc`` is as its table holds it (the caller just read it).
    """
    table = state.tolls if doc["type"] == TOLL else state.incidents
    if changed:
        table[doc["id"]] = doc
    write_missing(state.figures, _entries(doc["id"], event))
    # Published even when nothing was missing: a kill can land after the table writes but before
    # the incident record left, and a redelivery is the only chance to send it (same document,
    # compacted topic: sending it twice is harmless).
    return [Change(doc["type"], doc["id"], doc)]


def _entries(doc_id: str, event: FigureEvent) -> list[tuple[str, Any]]:
    return [
        (event.figure_id, {"id": doc_id, "count": event.count}),
        (content_key(event), copy_entry(doc_id, event)),
    ]


def write_missing(table: MutableMapping[str, Any], writes: list[tuple[str, Any]]) -> None:
    for key, value in writes:
        if not _same(table.get(key), value):
            table[key] = value


def _same(stored: Any, value: Any) -> bool:
    """Equal, a block's summaries compared whatever their order."""
    if isinstance(value, list) and isinstance(stored, list):
        return sorted(stored, key=repr) == sorted(value, key=repr)
    return bool(stored == value)


def home_of(
    state: AggregatorState, event: FigureEvent, docs: MutableMapping[str, Any], *known: str
) -> Doc | None:
    """The incident or toll that already holds this figure's report, found from any entry that survived."""
    ids = list(known)
    for key in (event.figure_id, content_key(event)):
        entry = state.figures.get(key)
        if entry is not None and entry.get("figure_id", event.figure_id) == event.figure_id:
            ids.insert(0, entry["id"])
    for doc_id in dict.fromkeys(ids):  # each document read once: every read deserialises it
        doc = docs.get(doc_id)
        if holds(doc, event.figure_id):
            return doc
    return None


def other_copy(
    state: AggregatorState, event: FigureEvent, docs: MutableMapping[str, Any]
) -> tuple[Doc, Doc | None] | None:
    """(document, report) when this text is already counted there, under another copy's URL.

    The report is None when the text is counted but which copy is not known: the entry was
    written by the previous version, or the copy is in the other table (two extractions
    disagreeing on the scope). Either way this copy must not be counted again.
    """
    key = content_key(event)
    entry = state.figures.get(key)
    if entry is None:
        return None
    doc = docs.get(entry["id"])
    if doc is None:
        other = state.tolls if docs is state.incidents else state.incidents
        counted = other.get(entry["id"])
        # else no copy counted, or a crash wrote the entry before the document
        return (counted, None) if counted is not None else None
    for report in doc[reports_field(doc)]:
        # Reports stored before they carried their content key: the entry names the copy.
        if report.get("content_key", key if report["figure_id"] == entry.get("figure_id") else None) == key:
            return doc, report
    return (doc, None) if "figure_id" not in entry else None


def as_copy(state: AggregatorState, event: FigureEvent, doc: Doc, report: Doc | None) -> list[Change]:
    """A copy of a text counted under another URL: it replaces that report only if it is the one to keep."""
    if report is None or not kept_instead(event, report):
        mark = {"id": doc["id"], "count": event.count}
        if state.figures.get(event.figure_id) != mark:
            state.figures[event.figure_id] = mark
        return []
    return settle(state, event, replace_report(doc, report["figure_id"], event), changed=True)


def copy_entry_of(doc_id: str, report: Doc) -> Doc:
    return {"id": doc_id, "figure_id": report["figure_id"], "published": report.get("published")}


def copy_entry(doc_id: str, event: FigureEvent) -> Doc:
    """What the content key remembers: where the text went and which copy of it is the report."""
    return {"id": doc_id, "figure_id": event.figure_id, "published": event.published}

"""Incidents from incident-scope figures: each figure re-clusters its block's open reports.

The incidents are a function of the reports, whatever their order (:mod:`.clustering`); the
writes follow the crash-convergent protocol of :mod:`.writes`, so a kill between any two of them
is completed by the figure's redelivery.
"""

from __future__ import annotations

from typing import Any

from services.aggregator.blocks import (
    block_entry,
    is_closed,
    members_of,
    open_entries,
    read_block,
    recent_retired,
)
from services.aggregator.clustering import Member, canonical_key, recluster
from services.aggregator.documents import (
    INCIDENT,
    RETIRED,
    Doc,
    add_report,
    build_incident,
    content_key,
    kept_instead,
    replace_report,
    report_of,
    stable_id,
)
from services.aggregator.tolls import apply_toll_figure
from services.aggregator.writes import (
    AggregatorState,
    Change,
    copy_entry_of,
    home_of,
    other_copy,
    settle,
    write_missing,
)
from shared.records import FigureEvent


def apply_incident_figure(state: AggregatorState, event: FigureEvent, window_days: int) -> list[Change]:
    """Fold an incident-scope figure into the incidents; returns what changed.

    The block's open reports, this one included, are clustered again from scratch
    (:mod:`.clustering`): the incidents are a function of the reports, whatever their order.
    """
    entries, retired = read_block(state.blocks.get(event.block))
    stored = [members_of(state, e) for e in entries]
    members = {m.figure_id: (m, e["id"]) for e, group in zip(entries, stored, strict=True) for m in group}
    key = content_key(event)
    by_copy: list[str] = []  # the copy of this text it replaces, counted in the block
    copy = next((m for m, _ in members.values() if m.content == key and m.figure_id != event.figure_id), None)
    if copy is not None:  # a copy of this text under another URL is counted in the block
        if not kept_instead(event, {"published": copy.published, "figure_id": copy.figure_id}):
            write_missing(
                state.figures, [(event.figure_id, {"id": members[copy.figure_id][1], "count": event.count})]
            )
            return []
        members.pop(copy.figure_id)
        by_copy.append(copy.figure_id)
    elif event.figure_id not in members:
        closed = home_of(state, event, state.incidents)
        if closed is not None and is_closed(entries, closed):
            # Its incident is closed to matching: only its own report may change. (Held by an
            # incident still open, it is a figure whose block write a crash cut short: done again.)
            report = next(r for r in closed["reports"] if r["figure_id"] == event.figure_id)
            if report["count"] != event.count:  # extracted again, differently
                return settle(state, event, add_report(closed, event), changed=True)
            return settle(state, event, closed, changed=False)  # redelivery: completes a cut-short apply
        other = other_copy(state, event, state.incidents)
        if other is not None and (other[1] or {}).get("figure_id") != event.figure_id:
            doc, report = other
            if report is None or not kept_instead(event, report):
                write_missing(state.figures, [(event.figure_id, {"id": doc["id"], "count": event.count})])
                return []
            if report["figure_id"] not in members:  # the copy it replaces is in a closed incident
                return settle(state, event, replace_report(doc, report["figure_id"], event), changed=True)
            members.pop(report["figure_id"])
            by_copy.append(report["figure_id"])
    removed = {event.figure_id, *by_copy}  # this figure's earlier member (if any) and a copy it replaces
    members[event.figure_id] = (Member.of(event, key), members.get(event.figure_id, (None, ""))[1])
    summaries = [e if "members" in e else None for e in entries]
    added = members[event.figure_id][0]
    groups = recluster(stored, summaries, removed, [added], window_days)
    homes = {fid: home for fid, (_, home) in members.items()}
    keys = [canonical_key(added)] + [canonical_key(m) for g in stored for m in g if m.figure_id in removed]
    return _write_clusters(state, event, (entries, retired), groups, homes, min(keys))


def _write_clusters(
    state: AggregatorState,
    event: FigureEvent,
    block_was: tuple[list[Doc], list[list[str]]],
    groups: list[list[Member]],
    homes: dict[str, str],
    start: tuple[int, str, str, str],
) -> list[Change]:
    """Write the block's incidents as ``groups`` makes them, then the block, then retire what merged.

    Every write is one a replay recomputes identically (the groups are a function of the block and
    the figure), so a crash between any two is completed by redelivery: documents first (a member's
    report is kept in the block, which can rebuild them all), the block next, the merged-away
    documents and the ``figures`` entries last.
    """
    read: dict[str, Doc | None] = {}
    in_block = {  # the reports the block keeps; this figure's from the event if extracted differently
        r["figure_id"]: r
        for e in block_was[0]
        for r in e.get("reports", ())
        if isinstance(r, dict) and (r.get("figure_id") != event.figure_id or r.get("count") == event.count)
    }

    def doc_of(doc_id: str) -> Doc | None:
        if doc_id not in read:
            read[doc_id] = state.incidents.get(doc_id) if doc_id else None
        return read[doc_id]

    changes: list[Change] = []
    block: list[Doc] = []
    kept: set[str] = set()
    entry_writes: list[tuple[str, Any]] = []
    unchanged = {tuple(m["figure_id"] for m in e.get("members", ())): e for e in block_was[0]}
    for group in groups:
        doc_id = stable_id("inc-", event.block, group[0].figure_id)
        same = unchanged.get(tuple(m.figure_id for m in group))
        if same is not None and same["id"] == doc_id and canonical_key(group[-1]) < start:
            # Untouched by this figure (all its reports come before the first one matched again),
            # and by any cut-short apply of it: as the block holds it.
            block.append(same)
            kept.add(doc_id)
            continue
        reports = [
            in_block.get(m.figure_id)
            or _member_report(event, m, doc_of(homes.get(m.figure_id, "")), doc_of(doc_id))
            for m in group
        ]
        doc = build_incident(doc_id, event.kind, group, [r for r in reports if r is not None])
        kept.add(doc_id)
        block.append(block_entry(doc_id, group, reports))
        stored = doc_of(doc_id)
        if stored != doc:
            state.incidents[doc_id] = doc
            changes.append(Change(INCIDENT, doc_id, doc))
        elif any(m.figure_id == event.figure_id for m in group):
            changes.append(Change(INCIDENT, doc_id, doc))  # redelivery: send it again (harmless)
        for member, report in zip(group, reports, strict=True):
            entry_writes.append((member.figure_id, {"id": doc_id, "count": member.count}))
            if report is not None and report.get("content_key"):
                entry_writes.append((report["content_key"], copy_entry_of(doc_id, report)))
    entries, was_retired = block_was
    open_block = open_entries(block)
    # Merged away: what the block named, what the figures entries (written last) point at, and what
    # earlier applies retired (a crash may have kept their block write and lost the deletion).
    touched = [fid for fid, _ in entry_writes if not fid.startswith("content:")]
    pointed = [state.figures.get(key) for key in (*touched, content_key(event))]
    merged = {e["id"] for e in entries} | {homes[fid] for fid in touched if homes.get(fid)}
    merged |= {p["id"] for p in pointed if isinstance(p, dict) and "id" in p}
    by = {doc_id: fid for doc_id, _, fid in was_retired}  # the figure whose apply retired it
    merged = (merged | set(by)) - kept
    retired = recent_retired(was_retired, merged, kept, open_block, event)
    value = {"open": open_block, "retired": retired}
    if not _same_block(state.blocks.get(event.block), value):
        state.blocks[event.block] = value
    for doc_id in sorted(merged):
        if doc_of(doc_id) is not None:
            del state.incidents[doc_id]
            changes.append(Change(RETIRED, doc_id, {"id": doc_id}))
        elif by.get(doc_id, event.figure_id) == event.figure_id:
            # Its deletion survived a kill, its record may not have left: send it again (harmless).
            changes.append(Change(RETIRED, doc_id, {"id": doc_id}))
    write_missing(state.figures, entry_writes)
    return changes


def _same_block(stored: Any, value: Doc) -> bool:
    # In a deterministic order (the clustering's): plain equality, no sorting of a large value.
    return bool(stored == value)


def _member_report(event: FigureEvent, member: Member, home: Doc | None, current: Doc | None) -> Doc | None:
    """A member's full report: this figure's from the event, another's from the document holding it."""
    if member.figure_id == event.figure_id:
        return report_of(event)
    for doc in (home, current):
        for report in (doc or {}).get("reports", ()):
            if report["figure_id"] == member.figure_id:
                return dict(report)
    return None


def apply_figure(state: AggregatorState, event: FigureEvent, window_days: int) -> list[Change]:
    """Route a figure to incidents or tolls by its scope."""
    if event.scope == "cumulative":
        return apply_toll_figure(state, event)
    return apply_incident_figure(state, event, window_days)

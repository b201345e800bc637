"""Incidents and running tolls built from figure events, idempotently.

State lives in four mappings (faust tables in the worker, dicts in tests):

- ``figures``: figure id -> where it went; a redelivered figure changes nothing,
  and a republished article (same content hash) is recognised by its content key.
- ``blocks``: block key -> summaries of the block's recent incidents, for matching.
- ``incidents``: incident id -> the incident document.
- ``tolls``: toll id -> the running-toll document.

Estimates: ``best`` is the latest report's count, raised to the largest
"at least"/"more than" figure if that is higher (a later "14" does not undo
an earlier "at least 17"); ``low`` and ``high`` are the smallest and largest
counts reported. Subsets ride along as ``breakdown`` from the latest report
that gives one, and never add to the count.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.aggregator.clustering import Member, canonical_key, recluster, summary_of
from shared.records import RECEIVED, FigureEvent

INCIDENT, TOLL = "incident", "toll"
# An incident merged into another when a report joined both: its id is dropped (the API forgets it).
RETIRED = "retired"

LOWER_BOUNDS = frozenset({"at_least", "more_than"})
# How long an incident stays open for matching after its last event date.
KEEP_OPEN_DAYS = 7
# And how many of a block's (a country's kind's) incidents stay open at most: a week of a busy war's
# reports is some two hundred incidents; past that the oldest close early. Every figure re-matches
# against the open ones, so this bounds a figure's cost whatever the volume.
MAX_OPEN_INCIDENTS = 200

Doc = dict[str, Any]


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


def content_key(event: FigureEvent) -> str:
    """Identifies the same figure of the same text, whatever URL it was published under."""
    index = event.figure_id.rsplit(":", 1)[-1]
    return f"content:{event.block}|{event.content_hash}|{index}"


def _stable_id(prefix: str, *parts: str) -> str:
    return prefix + hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _report(event: FigureEvent) -> Doc:
    return {
        "figure_id": event.figure_id,
        "article_id": event.article_id,
        "url": event.url,
        "site": event.site,
        "published": event.published,
        "count": event.count,
        "qualifier": event.qualifier,
        "victims": event.victims,
        "evidence": event.evidence,
        "start": event.start,
        "end": event.end,
        "sentence": event.sentence,
        "sentence_start": event.sentence_start,
        "subsets": list(event.subsets),
        "entered_at": event.entered_at,
        "event_date": event.event_date,
        "date_basis": event.date_basis,
        "content_key": content_key(event),
    }


def _by_time(report: Doc) -> tuple[str, str]:
    return (report.get("published") or "", report["figure_id"])


def estimates(reports: list[Doc]) -> tuple[int, int, int]:
    """(best, low, high) from the reports of one incident (rule in the module docstring)."""
    counts = [r["count"] for r in reports]
    latest_article = max(reports, key=_by_time)["article_id"]
    # An article may state the toll twice (a first count, then a revised one): its largest is its word.
    latest = max(r["count"] for r in reports if r["article_id"] == latest_article)
    floor = max((r["count"] for r in reports if r["qualifier"] in LOWER_BOUNDS), default=0)
    return max(latest, floor), min(counts), max(counts)


def _sites(reports: list[Doc]) -> list[str]:
    """The outlets behind some reports (a report without a site counts by its URL, else its article)."""
    return sorted({r["site"] or r["url"] or r["article_id"] for r in reports})


def _breakdown(reports: list[Doc]) -> dict[str, int]:
    for report in sorted(reports, key=_by_time, reverse=True):
        if report["subsets"]:
            return {s["victims"]: s["count"] for s in report["subsets"]}
    return {}


def _date_basis(reports: list[Doc]) -> str:
    """How the incident's day is known: "text" (a report states it), "published" (publication days
    only; the event may be earlier) or "received" (no report has a date of its own)."""
    bases = {r.get("date_basis", "published") for r in reports}
    if bases & {"stated", "relative"}:
        return "text"
    return "published" if "published" in bases else RECEIVED


def summarise(incident: Doc) -> Doc:
    """Recompute an incident's derived fields from its reports."""
    reports = incident["reports"]
    best, low, high = estimates(reports)
    sites = _sites(reports)
    published = sorted(r["published"] for r in reports if r.get("published"))
    specific = [r["victims"] for r in sorted(reports, key=_by_time) if r["victims"] != "people"]
    # A report with no date of its own says nothing about when: the dated reports decide, if any.
    dated_reports = [r for r in reports if r.get("date_basis") != RECEIVED] or reports
    dates = [r["event_date"] for r in dated_reports if r.get("event_date")]
    if len(dates) < len(
        dated_reports
    ):  # reports stored before they carried their date: theirs is the incident's
        dates += [incident["event_date"], incident.get("last_event_date") or incident["event_date"]]
    basis = _date_basis(reports)
    incident.update(event_date=min(dates), last_event_date=max(dates), date_basis=basis)
    incident.update(
        best=best,
        low=low,
        high=high,
        sources=len(sites),
        sites=sites,
        articles=sorted({r["article_id"] for r in reports}),
        first_reported=published[0] if published else None,
        last_reported=published[-1] if published else None,
        breakdown=_breakdown(reports),
        victims=specific[0] if specific else "people",
        entered_at=min(r["entered_at"] for r in reports),
    )
    return incident


def build_incident(incident_id: str, kind: str, members: list[Member], reports: list[Doc]) -> Doc:
    """An incident document from its members (canonical order) and their reports."""
    facts = summary_of(members, incident_id)
    incident: Doc = {
        "id": incident_id,
        "type": INCIDENT,
        "kind": kind,
        **{k: facts[k] for k in _PLACE_FIELDS},
        "actor": facts["actor"],
        "event_date": facts["event_date"],
        "last_event_date": facts["last_event_date"],
        # A detail of its article's event stays apart (matching.is_detail): marked for matching.
        "detail": facts["detail"],
        # In publication order, so neither the API nor a replay after a crash depends on arrival order.
        "reports": sorted(reports, key=_by_time),
    }
    return summarise(incident)


_PLACE_FIELDS = ("place", "place_id", "place_level", "admin1", "country", "lat", "lon")


def add_report(incident: Doc, event: FigureEvent) -> Doc:
    """Replace, in an incident closed to matching, the report of a figure extracted again."""
    reports = [r for r in incident["reports"] if r["figure_id"] != event.figure_id]
    incident["reports"] = sorted([*reports, _report(event)], key=_by_time)
    return summarise(incident)


def _block_entry(id_: str, members: list[Member], reports: list[Doc | None]) -> Doc:
    """What the block keeps of an open incident: its facts for matching, its members and their
    reports. The block alone can rebuild every open incident: after a kill any of the tables'
    writes may be lost, a document the block names among them."""
    return summary_of(members, id_) | {
        "members": [m.as_doc() for m in members],
        "reports": reports,
    }


def _open(entries: list[Doc]) -> list[Doc]:
    """The block's entries still open for matching (``KEEP_OPEN_DAYS`` after the newest day)."""
    if not entries:
        return []
    # Measured on last event dates, which only move forward: a horizon that could move back would
    # let a redelivered old figure put an incident closed earlier back into the matching list.
    # An undated incident's stand-in day (when it was fed in) must not close the dated ones.
    dated = [s for s in entries if s.get("date_basis") != RECEIVED] or entries
    newest = max(date.fromisoformat(_last_date(s)[:10]) for s in dated)
    horizon = (newest - timedelta(days=KEEP_OPEN_DAYS)).isoformat()
    recent = [s for s in entries if _last_date(s) >= horizon]
    if len(recent) <= MAX_OPEN_INCIDENTS:
        return recent
    newest_first = sorted(recent, key=lambda s: (_last_date(s)[:10], s["id"]), reverse=True)
    keep = {s["id"] for s in newest_first[:MAX_OPEN_INCIDENTS]}
    return [s for s in recent if s["id"] in keep]


def _closed(entries: list[Doc], doc: Doc) -> bool:
    """Whether ``doc`` is past the block's horizon (a crash cannot have kept it out of the block)."""
    probe = {**doc, "members": []}
    return bool(entries) and _open([*entries, probe])[-1:] != [probe]


def _last_date(summary: Doc) -> str:
    """A summary's last event date (summaries stored before they carried it: the first)."""
    return str(summary.get("last_event_date") or summary["event_date"])


def _members_of(state: AggregatorState, entry: Doc) -> list[Member]:
    """An entry's members; an entry stored before the block kept them is read from its incident."""
    if "members" in entry:
        return [Member.from_doc(m) for m in entry["members"]]
    doc = state.incidents.get(entry["id"])
    if doc is None:
        return []
    return [_legacy_member(doc, r) for r in doc["reports"]]


def _legacy_member(doc: Doc, report: Doc) -> Member:
    return Member(
        figure_id=report["figure_id"],
        article_id=report["article_id"],
        count=report["count"],
        qualifier=report.get("qualifier", "exact"),
        victims=report.get("victims", "people"),
        actor=doc.get("actor"),
        event_date=report.get("event_date") or doc["event_date"],
        date_basis=report.get("date_basis", "published"),
        published=report.get("published"),
        place=doc.get("place"),
        place_id=doc.get("place_id"),
        place_level=doc.get("place_level"),
        admin1=doc.get("admin1"),
        country=doc.get("country"),
        lat=doc.get("lat"),
        lon=doc.get("lon"),
    )


def _settle(state: AggregatorState, event: FigureEvent, doc: Doc, *, changed: bool) -> list[Change]:
    """Write ``doc`` (a toll, or an incident closed to matching) and the entries pointing at it.

    A figure's effect spans several tables, and a crash can leave any part of it written (their
    changelogs are separate topics). Redelivery runs this again: entries already right are left
    alone, missing ones are written. The ``figures`` entries go last: they mark the figure applied.
    Unless ``changed``, ``doc`` is as its table holds it (the caller just read it).
    """
    table = state.tolls if doc["type"] == TOLL else state.incidents
    if changed:
        table[doc["id"]] = doc
    _write_missing(state.figures, _entries(doc["id"], event))
    # Published even when nothing was missing: a kill can land after the table writes but before
    # the incident record left, and a redelivery is the only chance to send it (same document,
    # compacted topic: sending it twice is harmless).
    return [Change(doc["type"], doc["id"], doc)]


def _entries(doc_id: str, event: FigureEvent) -> list[tuple[str, Any]]:
    return [
        (event.figure_id, {"id": doc_id, "count": event.count}),
        (content_key(event), _copy_entry(doc_id, event)),
    ]


def _write_missing(table: MutableMapping[str, Any], writes: list[tuple[str, Any]]) -> None:
    for key, value in writes:
        if not _same(table.get(key), value):
            table[key] = value


def _same(stored: Any, value: Any) -> bool:
    """Equal, a block's summaries compared whatever their order."""
    if isinstance(value, list) and isinstance(stored, list):
        return sorted(stored, key=repr) == sorted(value, key=repr)
    return bool(stored == value)


def _reports_field(doc: Doc) -> str:
    """Where a document keeps its reports: an incident's ``reports``, a toll's ``history``."""
    return "reports" if doc.get("type") == INCIDENT else "history"


def _holds(doc: Doc | None, figure_id: str) -> bool:
    return doc is not None and any(r["figure_id"] == figure_id for r in doc.get(_reports_field(doc), ()))


def _home(
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
        if _holds(doc, event.figure_id):
            return doc
    return None


def _other_copy(
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
    for report in doc[_reports_field(doc)]:
        # Reports stored before they carried their content key: the entry names the copy.
        if report.get("content_key", key if report["figure_id"] == entry.get("figure_id") else None) == key:
            return doc, report
    return (doc, None) if "figure_id" not in entry else None


def _as_copy(state: AggregatorState, event: FigureEvent, doc: Doc, report: Doc | None) -> list[Change]:
    """A copy of a text counted under another URL: it replaces that report only if it is the one to keep."""
    if report is None or not _kept_instead(event, report):
        mark = {"id": doc["id"], "count": event.count}
        if state.figures.get(event.figure_id) != mark:
            state.figures[event.figure_id] = mark
        return []
    return _settle(state, event, replace_report(doc, report["figure_id"], event), changed=True)


def apply_incident_figure(state: AggregatorState, event: FigureEvent, window_days: int) -> list[Change]:
    """Fold an incident-scope figure into the incidents; returns what changed.

    The block's open reports, this one included, are clustered again from scratch
    (:mod:`.clustering`): the incidents are a function of the reports, whatever their order.
    """
    entries, retired = _read_block(state.blocks.get(event.block))
    stored = [_members_of(state, e) for e in entries]
    members = {m.figure_id: (m, e["id"]) for e, group in zip(entries, stored, strict=True) for m in group}
    key = content_key(event)
    by_copy: list[str] = []  # the copy of this text it replaces, counted in the block
    copy = next((m for m, _ in members.values() if m.content == key and m.figure_id != event.figure_id), None)
    if copy is not None:  # a copy of this text under another URL is counted in the block
        if not _kept_instead(event, {"published": copy.published, "figure_id": copy.figure_id}):
            _write_missing(
                state.figures, [(event.figure_id, {"id": members[copy.figure_id][1], "count": event.count})]
            )
            return []
        members.pop(copy.figure_id)
        by_copy.append(copy.figure_id)
    elif event.figure_id not in members:
        closed = _home(state, event, state.incidents)
        if closed is not None and _closed(entries, closed):
            # Its incident is closed to matching: only its own report may change. (Held by an
            # incident still open, it is a figure whose block write a crash cut short: done again.)
            report = next(r for r in closed["reports"] if r["figure_id"] == event.figure_id)
            if report["count"] != event.count:  # extracted again, differently
                return _settle(state, event, add_report(closed, event), changed=True)
            return _settle(state, event, closed, changed=False)  # redelivery: completes a cut-short apply
        other = _other_copy(state, event, state.incidents)
        if other is not None and (other[1] or {}).get("figure_id") != event.figure_id:
            doc, report = other
            if report is None or not _kept_instead(event, report):
                _write_missing(state.figures, [(event.figure_id, {"id": doc["id"], "count": event.count})])
                return []
            if report["figure_id"] not in members:  # the copy it replaces is in a closed incident
                return _settle(state, event, replace_report(doc, report["figure_id"], event), changed=True)
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
        doc_id = _stable_id("inc-", event.block, group[0].figure_id)
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
        block.append(_block_entry(doc_id, group, reports))
        stored = doc_of(doc_id)
        if stored != doc:
            state.incidents[doc_id] = doc
            changes.append(Change(INCIDENT, doc_id, doc))
        elif any(m.figure_id == event.figure_id for m in group):
            changes.append(Change(INCIDENT, doc_id, doc))  # redelivery: send it again (harmless)
        for member, report in zip(group, reports, strict=True):
            entry_writes.append((member.figure_id, {"id": doc_id, "count": member.count}))
            if report is not None and report.get("content_key"):
                entry_writes.append((report["content_key"], _copy_entry_of(doc_id, report)))
    entries, was_retired = block_was
    open_block = _open(block)
    # Merged away: what the block named, what the figures entries (written last) point at, and what
    # earlier applies retired (a crash may have kept their block write and lost the deletion).
    touched = [fid for fid, _ in entry_writes if not fid.startswith("content:")]
    pointed = [state.figures.get(key) for key in (*touched, content_key(event))]
    merged = {e["id"] for e in entries} | {homes[fid] for fid in touched if homes.get(fid)}
    merged |= {p["id"] for p in pointed if isinstance(p, dict) and "id" in p}
    by = {doc_id: fid for doc_id, _, fid in was_retired}  # the figure whose apply retired it
    merged = (merged | set(by)) - kept
    retired = _recent_retired(was_retired, merged, kept, open_block, event)
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
    _write_missing(state.figures, entry_writes)
    return changes


def _read_block(value: Any) -> tuple[list[Doc], list[list[str]]]:
    """(open entries, recently retired [id, day, figure id]); a block stored as a list has none retired."""
    if isinstance(value, dict):
        return list(value.get("open", [])), [list(r) for r in value.get("retired", [])]
    return list(value or []), []


def _recent_retired(
    was: list[list[str]], merged: set[str], kept: set[str], open_block: list[Doc], event: FigureEvent
) -> list[list[str]]:
    """[id, day, figure id] of incidents retired while the block is open around their day (and by
    which figure), so a replay can delete them again and its redelivery send their records again."""
    known = {i: (d, f) for i, d, f in was}
    new = {i: (event.event_date[:10], event.figure_id) for i in merged if i not in known}
    horizon = min((_last_date(e)[:10] for e in open_block), default=event.event_date[:10])
    return sorted([i, d, f] for i, (d, f) in (known | new).items() if i not in kept and d >= horizon)


def _same_block(stored: Any, value: Doc) -> bool:
    # In a deterministic order (the clustering's): plain equality, no sorting of a large value.
    return bool(stored == value)


def _member_report(event: FigureEvent, member: Member, home: Doc | None, current: Doc | None) -> Doc | None:
    """A member's full report: this figure's from the event, another's from the document holding it."""
    if member.figure_id == event.figure_id:
        return _report(event)
    for doc in (home, current):
        for report in (doc or {}).get("reports", ()):
            if report["figure_id"] == member.figure_id:
                return dict(report)
    return None


def _copy_entry_of(doc_id: str, report: Doc) -> Doc:
    return {"id": doc_id, "figure_id": report["figure_id"], "published": report.get("published")}


def _copy_entry(doc_id: str, event: FigureEvent) -> Doc:
    """What the content key remembers: where the text went and which copy of it is the report."""
    return {"id": doc_id, "figure_id": event.figure_id, "published": event.published}


def _kept_instead(event: FigureEvent, report: Doc) -> bool:
    """Whether ``event`` is the copy to keep rather than ``report``, the one counted so far.

    Of several copies of one text the earliest published is kept (the original, as a
    rule), then the smallest figure id: the same copy whatever order they arrive in,
    so a replay after a crash builds the same incidents.
    """
    return (event.published or "~", event.figure_id) < (report.get("published") or "~", report["figure_id"])


def replace_report(doc: Doc, old_figure_id: str, event: FigureEvent) -> Doc:
    """Swap the report of one copy of a text for another copy's, in an incident or a toll."""
    field = _reports_field(doc)
    key = content_key(event)
    doc[field] = [r for r in doc[field] if r["figure_id"] != old_figure_id and r.get("content_key") != key]
    return add_report(doc, event) if doc["type"] == INCIDENT else _add_toll_report(doc, event)


def toll_id(event: FigureEvent) -> str:
    """One running-toll series per (country, place, kind, victims)."""
    place = str(event.place_id or (event.place or "").casefold())
    return _stable_id("toll-", event.country or "", place, event.kind, event.victims)


def apply_toll_figure(state: AggregatorState, event: FigureEvent) -> list[Change]:
    """Add a cumulative figure to its toll series; never to an incident."""
    key = toll_id(event)
    toll = _home(state, event, state.tolls, key)
    if toll is not None:
        report = next(r for r in toll["history"] if r["figure_id"] == event.figure_id)
        if report["count"] != event.count:  # extracted again, differently
            return _settle(state, event, replace_report(toll, event.figure_id, event), changed=True)
        return _settle(state, event, toll, changed=False)  # redelivery: completes a cut-short apply
    other = _other_copy(state, event, state.tolls)
    if other is not None:
        return _as_copy(state, event, *other)
    series = state.tolls.get(key) or {
        "id": key,
        "type": TOLL,
        "kind": event.kind,
        "victims": event.victims,
        "place": event.place,
        "place_id": event.place_id,
        "country": event.country,
        "history": [],
    }
    return _settle(state, event, _add_toll_report(series, event), changed=True)


def _add_toll_report(toll: Doc, event: FigureEvent) -> Doc:
    toll["history"] = sorted([*toll["history"], _report(event)], key=_by_time)
    latest = toll["history"][-1]
    toll.update(
        latest=latest["count"],
        latest_published=latest["published"],
        sources=len(_sites(toll["history"])),
    )
    return toll


def apply_figure(state: AggregatorState, event: FigureEvent, window_days: int) -> list[Change]:
    """Route a figure to incidents or tolls by its scope."""
    if event.scope == "cumulative":
        return apply_toll_figure(state, event)
    return apply_incident_figure(state, event, window_days)

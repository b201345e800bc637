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

from services.aggregator.matching import best_candidate, is_detail
from shared.records import RECEIVED, FigureEvent

INCIDENT, TOLL = "incident", "toll"

LOWER_BOUNDS = frozenset({"at_least", "more_than"})
# How long an incident stays open for matching after its last event date.
KEEP_OPEN_DAYS = 7

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


def new_incident(event: FigureEvent) -> Doc:
    """A one-report incident."""
    incident: Doc = {
        "id": _stable_id("inc-", event.block, event.figure_id),
        "type": INCIDENT,
        "kind": event.kind,
        "victims": event.victims,
        "place": event.place,
        "place_id": event.place_id,
        "place_level": event.place_level,
        "admin1": event.admin1,
        "country": event.country,
        "lat": event.lat,
        "lon": event.lon,
        "actor": event.actor,
        "event_date": event.event_date,
        "last_event_date": event.event_date,
        # A detail of its article's event stays apart (matching.is_detail): marked for matching.
        "detail": is_detail(event),
        "reports": [_report(event)],
    }
    return summarise(incident)


def _more_specific(incident: Doc, event: FigureEvent) -> None:
    """A village named in a later report beats the province named in the first."""
    if event.place_level in ("city", "village", None) and incident.get("place_level") in (
        "admin1",
        "country",
    ):
        incident.update(
            place=event.place,
            place_id=event.place_id,
            place_level=event.place_level,
            admin1=event.admin1 or incident.get("admin1"),
            lat=event.lat,
            lon=event.lon,
        )
    if incident.get("actor") is None and event.actor is not None:
        incident["actor"] = event.actor


def add_report(incident: Doc, event: FigureEvent) -> Doc:
    """Add (or, for the same figure id, replace) a report in ``incident``."""
    reports = [r for r in incident["reports"] if r["figure_id"] != event.figure_id]
    # In publication order, so neither the API nor a replay after a crash depends on arrival order.
    incident["reports"] = sorted([*reports, _report(event)], key=_by_time)
    _more_specific(incident, event)
    return summarise(incident)


def _summary(incident: Doc) -> Doc:
    keys = (
        "id", "victims", "actor", "event_date", "last_event_date", "date_basis", "place", "place_id",
        "place_level", "admin1", "country", "low", "high", "detail",
    )  # fmt: skip
    return {k: incident.get(k) for k in keys} | {"articles": incident["articles"]}


def _block_summaries(stored: list[Doc], incident: Doc) -> list[Doc]:
    """The block's summaries with ``incident``'s brought up to date, closed incidents dropped."""
    summaries = [s for s in stored if s["id"] != incident["id"]]
    summaries.append(_summary(incident))
    # Measured on last event dates, which only move forward: a horizon that could move back would
    # let a redelivered old figure put an incident closed earlier back into the matching list.
    # An undated incident's stand-in day (when it was fed in) must not close the dated ones.
    dated = [s for s in summaries if s.get("date_basis") != RECEIVED] or summaries
    newest = max(date.fromisoformat(_last_date(s)[:10]) for s in dated)
    horizon = (newest - timedelta(days=KEEP_OPEN_DAYS)).isoformat()
    return [s for s in summaries if _last_date(s) >= horizon]


def _last_date(summary: Doc) -> str:
    """A summary's last event date (summaries stored before they carried it: the first)."""
    return str(summary.get("last_event_date") or summary["event_date"])


def _settle(
    state: AggregatorState, event: FigureEvent, doc: Doc, *, changed: bool, block: list[Doc] | None = None
) -> list[Change]:
    """Write ``doc`` and every entry that points at it from ``event``; the document to publish.

    A figure's effect spans several tables, and a crash can leave any part of it written
    (their changelogs are separate topics). Redelivery runs this again: entries already
    right are left alone, missing ones are written, so a replay completes a half-applied
    figure instead of skipping it. The ``figures`` entries go last: they are what marks
    the figure as applied. ``block`` is the block's summaries as the caller read them
    (a block is the largest value: read once per event); unless ``changed``, ``doc`` is
    as its table holds it (the caller just read it), so it is not read again.
    """
    writes: list[tuple[MutableMapping[str, Any], str, Any]] = []
    if doc["type"] == INCIDENT:
        block = state.blocks.get(event.block) or [] if block is None else block
        writes.append((state.incidents, doc["id"], doc))
        writes.append((state.blocks, event.block, _block_summaries(block, doc)))
    else:
        writes.append((state.tolls, doc["id"], doc))
    writes.append((state.figures, event.figure_id, {"id": doc["id"], "count": event.count}))
    writes.append((state.figures, content_key(event), _copy_entry(doc["id"], event)))

    def stored(table: MutableMapping[str, Any], key: str) -> Any:
        if table is state.blocks:
            return block
        return doc if table is writes[0][0] else table.get(key)

    missing = [
        (table, key, value) for table, key, value in writes if changed or not _same(stored(table, key), value)
    ]
    for table, key, value in missing:
        table[key] = value
    # Published even when nothing was missing: a kill can land after the table writes but before
    # the incident record left, and a redelivery is the only chance to send it (same document,
    # compacted topic: sending it twice is harmless).
    return [Change(doc["type"], doc["id"], doc)]


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


def _as_copy(
    state: AggregatorState, event: FigureEvent, doc: Doc, report: Doc | None, block: list[Doc] | None = None
) -> list[Change]:
    """A copy of a text counted under another URL: it replaces that report only if it is the one to keep."""
    if report is None or not _kept_instead(event, report):
        mark = {"id": doc["id"], "count": event.count}
        if state.figures.get(event.figure_id) != mark:
            state.figures[event.figure_id] = mark
        return []
    return _settle(state, event, replace_report(doc, report["figure_id"], event), changed=True, block=block)


def apply_incident_figure(state: AggregatorState, event: FigureEvent, window_days: int) -> list[Change]:
    """Fold an incident-scope figure into the incidents; returns what changed."""
    block: list[Doc] = state.blocks.get(event.block) or []
    naming = [s["id"] for s in block if event.article_id in s["articles"]]
    incident = _home(state, event, state.incidents, _stable_id("inc-", event.block, event.figure_id), *naming)
    if incident is not None:
        report = next(r for r in incident["reports"] if r["figure_id"] == event.figure_id)
        if report["count"] != event.count:  # extracted again, differently
            return _settle(state, event, add_report(incident, event), changed=True, block=block)
        # redelivery: completes a cut-short apply
        return _settle(state, event, incident, changed=False, block=block)
    other = _other_copy(state, event, state.incidents)
    if other is not None:
        return _as_copy(state, event, *other, block=block)
    match = best_candidate(event, _borne_out(state, event, block), window_days)
    target = state.incidents.get(match) if match else None
    incident = add_report(target, event) if target is not None else new_incident(event)
    return _settle(state, event, incident, changed=True, block=block)


def _borne_out(state: AggregatorState, event: FigureEvent, block: list[Doc]) -> list[Doc]:
    """The block's summaries, minus an article a crash wrote into a summary but not into its incident.

    Matching keeps two figures of one article apart, so a summary naming this article
    before its incident got the report would push the figure into an incident of its own.
    """
    out = []
    for summary in block:
        if event.article_id in summary["articles"]:
            incident = state.incidents.get(summary["id"])
            if incident is None or all(r["article_id"] != event.article_id for r in incident["reports"]):
                summary = summary | {"articles": [a for a in summary["articles"] if a != event.article_id]}
        out.append(summary)
    return out


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

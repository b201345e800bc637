"""Incident and toll documents: a report of each figure, and what an incident's reports add up to.

Estimates: ``best`` is the latest report's count, raised to the largest
"at least"/"more than" figure if that is higher (a later "14" does not undo
an earlier "at least 17"). Reports published at the same moment (outlets that
give only the day) are told apart by their count: a toll rises through a day,
so the largest of them is the latest. ``low`` and ``high`` are the smallest and largest
counts reported. Subsets ride along as ``breakdown`` from the latest report
that gives one, and never add to the count.
"""

from __future__ import annotations

import hashlib
from typing import Any

from services.aggregator.clustering import Member, summary_of
from shared.records import RECEIVED, FigureEvent, incident_date_basis

INCIDENT, TOLL = "incident", "toll"


# An incident merged into another when a report joined both: its id is dropped (the API forgets it).
RETIRED = "retired"


LOWER_BOUNDS = frozenset({"at_least", "more_than"})


Doc = dict[str, Any]


def content_key(event: FigureEvent) -> str:
    """Identifies the same figure of the same text, whatever URL it was published under."""
    index = event.figure_id.rsplit(":", 1)[-1]
    return f"content:{event.block}|{event.content_hash}|{index}"


def stable_id(prefix: str, *parts: str) -> str:
    return prefix + hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def report_of(event: FigureEvent) -> Doc:
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


def by_time(report: Doc) -> tuple[str, str]:
    return (report.get("published") or "", report["figure_id"])


def estimates(reports: list[Doc]) -> tuple[int, int, int]:
    """(best, low, high) from the reports of one incident (rule in the module docstring)."""
    counts = [r["count"] for r in reports]
    last_moment = max(r.get("published") or "" for r in reports)
    # An article may state the toll twice (a first count, then a revised one): its largest is its
    # word; of articles published at the same moment, the largest toll is the latest one.
    latest = max(r["count"] for r in reports if (r.get("published") or "") == last_moment)
    floor = max((r["count"] for r in reports if r["qualifier"] in LOWER_BOUNDS), default=0)
    return max(latest, floor), min(counts), max(counts)


def sites_of(reports: list[Doc]) -> list[str]:
    """The outlets behind some reports (a report without a site counts by its URL, else its article)."""
    return sorted({r["site"] or r["url"] or r["article_id"] for r in reports})


def _breakdown(reports: list[Doc]) -> dict[str, int]:
    for report in sorted(reports, key=by_time, reverse=True):
        if report["subsets"]:
            return {s["victims"]: s["count"] for s in report["subsets"]}
    return {}


def _date_basis(reports: list[Doc]) -> str:
    """How the incident's day is known: "text" (a report states it), "published" (publication or
    statement days only; the event may be earlier) or "received" (no report has a date of its own)."""
    return incident_date_basis(r.get("date_basis", "published") for r in reports)


def summarise(incident: Doc) -> Doc:
    """Recompute an incident's derived fields from its reports."""
    reports = incident["reports"]
    best, low, high = estimates(reports)
    sites = sites_of(reports)
    published = sorted(r["published"] for r in reports if r.get("published"))
    specific = [r["victims"] for r in sorted(reports, key=by_time) if r["victims"] != "people"]
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


PLACE_FIELDS = ("place", "place_id", "place_level", "admin1", "country", "lat", "lon")


def build_incident(incident_id: str, kind: str, members: list[Member], reports: list[Doc]) -> Doc:
    """An incident document from its members (canonical order) and their reports."""
    facts = summary_of(members, incident_id)
    incident: Doc = {
        "id": incident_id,
        "type": INCIDENT,
        "kind": kind,
        **{k: facts[k] for k in PLACE_FIELDS},
        "actor": facts["actor"],
        "event_date": facts["event_date"],
        "last_event_date": facts["last_event_date"],
        # A detail of its article's event stays apart (matching.is_detail): marked for matching.
        "detail": facts["detail"],
        # In publication order, so neither the API nor a replay after a crash depends on arrival order.
        "reports": sorted(reports, key=by_time),
    }
    return summarise(incident)


def add_report(incident: Doc, event: FigureEvent) -> Doc:
    """Replace, in an incident closed to matching, the report of a figure extracted again."""
    reports = [r for r in incident["reports"] if r["figure_id"] != event.figure_id]
    incident["reports"] = sorted([*reports, report_of(event)], key=by_time)
    return summarise(incident)


def reports_field(doc: Doc) -> str:
    """Where a document keeps its reports: an incident's ``reports``, a toll's ``history``."""
    return "reports" if doc.get("type") == INCIDENT else "history"


def holds(doc: Doc | None, figure_id: str) -> bool:
    return doc is not None and any(r["figure_id"] == figure_id for r in doc.get(reports_field(doc), ()))


def kept_instead(event: FigureEvent, report: Doc) -> bool:
    """Whether ``event`` is the copy to keep rather than ``report``, the one counted so far.

    Of several copies of one text the earliest published is kept (the original, as a
    rule), then the smallest figure id: the same copy whatever order they arrive in,
    so a replay after a crash builds the same incidents.
    """
    return (event.published or "~", event.figure_id) < (report.get("published") or "~", report["figure_id"])


def replace_report(doc: Doc, old_figure_id: str, event: FigureEvent) -> Doc:
    """Swap the report of one copy of a text for another copy's, in an incident or a toll."""
    field = reports_field(doc)
    key = content_key(event)
    doc[field] = [r for r in doc[field] if r["figure_id"] != old_figure_id and r.get("content_key") != key]
    return add_report(doc, event) if doc["type"] == INCIDENT else add_toll_report(doc, event)


def add_toll_report(toll: Doc, event: FigureEvent) -> Doc:
    toll["history"] = sorted([*toll["history"], report_of(event)], key=by_time)
    latest = toll["history"][-1]
    toll.update(
        latest=latest["count"],
        latest_published=latest["published"],
        sources=len(sites_of(toll["history"])),
    )
    return toll

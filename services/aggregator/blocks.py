"""A block's open incidents: what matching reads, kept so the block alone can rebuild them.

A block is one country's incidents of one kind. It keeps each open incident's facts for matching,
its members and their full reports; incidents whose last day is past the horizon close.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from services.aggregator.clustering import Member, summary_of
from services.aggregator.documents import Doc
from services.aggregator.writes import AggregatorState
from shared.records import RECEIVED, FigureEvent

# How long an incident stays open for matching after its last event date.
KEEP_OPEN_DAYS = 7


# And how many of a block's (a country's kind's) incidents stay open at most: a week of a busy war's
# reports is some two hundred incidents; past that the oldest close early. Every figure re-matches
# against the open ones, so this bounds a figure's cost whatever the volume.
MAX_OPEN_INCIDENTS = 200


def block_entry(id_: str, members: list[Member], reports: list[Doc | None]) -> Doc:
    """What the block keeps of an open incident: its facts for matching, its members and their
    reports. The block alone can rebuild every open incident: after a kill any of the tables'
    writes may be lost, a document the block names among them."""
    return summary_of(members, id_) | {
        "members": [m.as_doc() for m in members],
        "reports": reports,
    }


def open_entries(entries: list[Doc]) -> list[Doc]:
    """The block's entries still open for matching (``KEEP_OPEN_DAYS`` after the newest day)."""
    if not entries:
        return []
    # Measured on last event dates, which only move forward: a horizon that could move back would
    # let a redelivered old figure put an incident closed earlier back into the matching list.
    # An undated incident's stand-in day (when it was fed in) must not close the dated ones.
    dated = [s for s in entries if s.get("date_basis") != RECEIVED] or entries
    newest = max(date.fromisoformat(last_date(s)[:10]) for s in dated)
    horizon = (newest - timedelta(days=KEEP_OPEN_DAYS)).isoformat()
    recent = [s for s in entries if last_date(s) >= horizon]
    if len(recent) <= MAX_OPEN_INCIDENTS:
        return recent
    newest_first = sorted(recent, key=lambda s: (last_date(s)[:10], s["id"]), reverse=True)
    keep = {s["id"] for s in newest_first[:MAX_OPEN_INCIDENTS]}
    return [s for s in recent if s["id"] in keep]


def is_closed(entries: list[Doc], doc: Doc) -> bool:
    """Whether ``doc`` is past the block's horizon (a crash cannot have kept it out of the block)."""
    probe = {**doc, "members": []}
    return bool(entries) and open_entries([*entries, probe])[-1:] != [probe]


def last_date(summary: Doc) -> str:
    """A summary's last event date (summaries stored before they carried it: the first)."""
    return str(summary.get("last_event_date") or summary["event_date"])


def members_of(state: AggregatorState, entry: Doc) -> list[Member]:
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


def read_block(value: Any) -> tuple[list[Doc], list[list[str]]]:
    """(open entries, recently retired [id, day, figure id]); a block stored as a list has none retired."""
    if isinstance(value, dict):
        return list(value.get("open", [])), [list(r) for r in value.get("retired", [])]
    return list(value or []), []


def recent_retired(
    was: list[list[str]], merged: set[str], kept: set[str], open_block: list[Doc], event: FigureEvent
) -> list[list[str]]:
    """[id, day, figure id] of incidents retired while the block is open around their day (and by
    which figure), so a replay can delete them again and its redelivery send their records again."""
    known = {i: (d, f) for i, d, f in was}
    new = {i: (event.event_date[:10], event.figure_id) for i in merged if i not in known}
    horizon = min((last_date(e)[:10] for e in open_block), default=event.event_date[:10])
    return sorted([i, d, f] for i, (d, f) in (known | new).items() if i not in kept and d >= horizon)

"""Which open reports of a block are one incident: a function of the reports, not of their order.

Kafka delivers a block's figures in an order no one controls (extractor replicas race, a replay
after a crash interleaves partitions differently), and greedy matching on arrival makes the
incidents depend on it. So every figure re-clusters the block's open reports from scratch, in one
canonical order: reports whose text gives the day first (they anchor an event), then those dated by
publication, then undated ones, each by day and figure id. Matching (:mod:`.matching`) decides each
report against the incidents built so far in that order. The same reports always give the same
incidents, whichever arrived first; an incident's id hashes its canonically first report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from services.aggregator.matching import best_candidate, event_toll, is_detail, stated_actor
from shared.records import RECEIVED, FigureEvent, incident_date_basis

# How sure a report is of its day: the text's own day first, then the publication day, then none.
_BASIS_RANK = {"stated": 0, "relative": 0, "said": 1, "published": 1, RECEIVED: 2}
# How specific a place level is (smaller: finer); the incident keeps its members' finest place.
_LEVEL_RANK = {"village": 0, "neighbourhood": 0, "camp": 0, "city": 1, "town": 1, "district": 2}
_COARSE_LEVELS = {"admin2": 3, "admin1": 4, "region": 4, "governorate": 4, "province": 4, "country": 6}


@dataclass(frozen=True, slots=True)
class Member:
    """What matching needs of one report: the figure event without its text."""

    figure_id: str
    article_id: str
    count: int
    qualifier: str
    victims: str
    actor: str | None
    event_date: str
    date_basis: str
    published: str | None
    place: str | None
    place_id: int | None
    place_level: str | None
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    article_top: int = 0
    content: str = ""  # the text's content key (incidents.content_key): copies of one text share it

    @classmethod
    def of(cls, event: FigureEvent, content: str) -> Member:
        """The member for a figure event."""
        return cls(
            **{f.name: getattr(event, f.name) for f in fields(cls) if f.name != "content"}, content=content
        )

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Member:
        """A member as the block stores it."""
        known: dict[str, Any] = {name: doc[name] for name in _FIELD_NAMES if name in doc}
        return cls(**known)

    def as_doc(self) -> dict[str, Any]:
        """The member as the block stores it."""
        return {name: getattr(self, name) for name in _FIELD_NAMES}


_FIELD_NAMES = tuple(f.name for f in fields(Member))


def canonical_key(member: Member) -> tuple[int, str, str, str]:
    """The order reports are matched in: surest day first, then by day, publication time and figure
    id (figures arrive about in publication order, so a new one comes near the end)."""
    day = member.event_date[:10]
    return (_BASIS_RANK.get(member.date_basis, 1), day, member.published or "", member.figure_id)


def place_rank(member: Member) -> int:
    """How coarse a member's place is (a member with no level sits between towns and districts)."""
    level = member.place_level
    if member.place is None:
        return 9
    if level is None:
        return 1
    return _LEVEL_RANK.get(level, _COARSE_LEVELS.get(level, 2))


def _date_basis(members: Sequence[Member]) -> str:
    return incident_date_basis(m.date_basis for m in members)


def summary_of(members: Sequence[Member], summary_id: str) -> dict[str, Any]:
    """The incident facts matching reads, derived from its members alone (in canonical order)."""
    ordered = sorted(members, key=canonical_key)
    # A report with no date of its own says nothing about when: the dated reports decide, if any.
    with_dates = [m for m in ordered if m.date_basis != RECEIVED]
    dated = with_dates or ordered
    days = [m.event_date[:10] for m in dated]
    finest = min(ordered, key=place_rank)
    specific = [m.victims for m in ordered if m.victims != "people"]
    actors = [a for m in ordered if (a := stated_actor(m)) is not None]
    return {
        "id": summary_id,
        "victims": specific[0] if specific else "people",
        "actor": actors[0] if actors else None,
        "event_date": min(days),
        "last_event_date": max(days),
        "date_basis": _date_basis(ordered),
        "place": finest.place,
        "place_id": finest.place_id,
        "place_level": finest.place_level,
        "admin1": finest.admin1 or next((m.admin1 for m in ordered if m.admin1), None),
        "country": finest.country,
        "lat": finest.lat,
        "lon": finest.lon,
        "low": min(m.count for m in ordered),
        # A report that states its article's toll again stands for that toll (matching.event_toll).
        "high": max(event_toll(m) for m in ordered),
        # The range the dated reports alone give: how the toll grew, which an undated report is
        # weighed against (matching.plausible_update); None when no report has a date.
        "dated_low": min((m.count for m in with_dates), default=None),
        "dated_high": max((event_toll(m) for m in with_dates), default=None),
        "detail": len(ordered) == 1 and is_detail(ordered[0]),
        "articles": sorted({m.article_id for m in ordered}),
    }


def recluster(
    groups: Sequence[Sequence[Member]],
    summaries: Sequence[dict[str, Any] | None],
    removed: set[str],
    added: Sequence[Member],
    window_days: int,
) -> list[list[Member]]:
    """The canonical clustering after ``added`` join and ``removed`` leave, from the one before.

    Matching in canonical order never moves a report once placed, so the groups' members before
    the first changed report are placed as before: only the reports from there on are matched
    again (a figure arriving about in publication order re-matches a handful, not the block).
    ``summaries`` are the groups' stored summaries (None: recompute), ``removed`` figure ids.
    """
    changed = [canonical_key(m) for m in added]
    changed += [canonical_key(m) for g in groups for m in g if m.figure_id in removed]
    if not changed:
        return [list(g) for g in groups]
    start = min(changed)
    kept: list[list[Member]] = []
    facts: list[dict[str, Any]] = []
    again = list(added)
    for group, summary in zip(groups, summaries, strict=True):
        before = [m for m in group if canonical_key(m) < start and m.figure_id not in removed]
        again += [m for m in group if canonical_key(m) >= start and m.figure_id not in removed]
        if before:
            kept.append(before)
            if len(before) == len(group) and summary is not None:
                facts.append(summary | {"id": before[0].figure_id})
            else:
                facts.append(summary_of(before, before[0].figure_id))
    index = {s["id"]: i for i, s in enumerate(facts)}
    for member in sorted(again, key=canonical_key):
        # A summary's id is its first report's figure id: ties in ranking break the same way
        # whichever reports were matched again.
        match = best_candidate(member, facts, window_days)
        if match is None:
            index[member.figure_id] = len(kept)
            kept.append([member])
            facts.append(summary_of([member], member.figure_id))
        else:
            i = index[match]
            kept[i].append(member)
            facts[i] = summary_of(kept[i], match)
    return kept

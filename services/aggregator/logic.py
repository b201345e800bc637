"""Aggregation rules, free of Kafka: which figures count, under which key, and by how much.

Idempotence lives here: a figure is identified by its article id and its index
in that article, and applying the same figure twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.records import ExtractedArticle, FigureEvent

UNKNOWN_PLACE = "unknown"
KEY_SEPARATOR = "|"


def total_key(place: str, kind: str) -> str:
    """The key one running total is kept under."""
    return f"{place}{KEY_SEPARATOR}{kind}"


def figure_events(article: ExtractedArticle) -> list[FigureEvent]:
    """One event per casualty figure of ``article``, keyed for totalling."""
    events = []
    for index, figure in enumerate(article.casualties):
        place = str(figure.get("location") or UNKNOWN_PLACE)
        kind = str(figure.get("kind") or "")
        count = figure.get("count")
        if not kind or not isinstance(count, int) or isinstance(count, bool) or count < 0:
            continue
        events.append(
            FigureEvent(
                figure_id=f"{article.article_id}:{index}",
                article_id=article.article_id,
                total_key=total_key(place, kind),
                place=place,
                kind=kind,
                count=count,
                scope=str(figure.get("scope") or "incident"),
                is_subset=figure.get("subset_of") is not None,
                entered_at=article.entered_at,
            )
        )
    return events


def counts_towards_total(event: FigureEvent) -> bool:
    """Only incident figures that are not part of another figure add to a total.

    Running tolls would count the same victims again, and subsets ("including 7
    children") are already inside their parent.
    """
    return event.scope == "incident" and not event.is_subset


def contribution(event: FigureEvent) -> int:
    """What ``event`` adds to its total."""
    return event.count if counts_towards_total(event) else 0


@dataclass(frozen=True, slots=True)
class TotalUpdate:
    """The new state of one total after applying a figure."""

    total: dict[str, Any]
    applied: int  # contribution now recorded for this figure


def apply_figure(current: dict[str, Any] | None, previous: int | None, event: FigureEvent) -> TotalUpdate:
    """Fold ``event`` into ``current``; ``previous`` is what this figure already added, if seen."""
    total = dict(current or {"place": event.place, "kind": event.kind, "count": 0, "figures": 0})
    now = contribution(event)
    if previous is None:
        total["figures"] += 1 if now else 0
        total["count"] += now
    else:
        # Redelivery: only a changed figure (re-extraction) moves the total, by the difference.
        total["count"] += now - previous
        total["figures"] += (1 if now else 0) - (1 if previous else 0)
    return TotalUpdate(total, now)


def totals_view(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON body of ``GET /totals``: non-empty totals, largest first."""
    kept = sorted((r for r in rows if r.get("figures")), key=lambda r: (-r["count"], r["place"], r["kind"]))
    return {"totals": kept, "count": sum(r["count"] for r in kept)}

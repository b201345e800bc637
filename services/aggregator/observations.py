"""From an extracted article to figure events: one per top-level casualty figure.

Subsets ("including 7 children") ride inside their parent and are never events
of their own, so they can enrich an incident but never add to it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from shared.records import ExtractedArticle, FigureEvent

KINDS = frozenset({"killed", "injured", "captured", "missing"})
UNKNOWN_COUNTRY = "XX"  # block for figures the extractor could not place in any country


def block_key(country: str | None, kind: str) -> str:
    """The partition key: figures that could be one incident share it."""
    return f"{country or UNKNOWN_COUNTRY}|{kind}"


def site_of(article: ExtractedArticle) -> str | None:
    """The outlet: the record's site name, else the URL's host without ``www.``."""
    if article.site:
        return article.site
    if article.url:
        host = urlsplit(article.url).hostname or ""
        return host.removeprefix("www.") or None
    return None


def _iso_day(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        try:
            return date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None


def event_date(article: ExtractedArticle, figure: dict[str, Any], fallback: str) -> str:
    """The day a figure's incident happened: the last date stated before it, else publication day."""
    published = _iso_day(article.published)
    if not figure.get("in_title"):
        start = int(figure.get("start") or 0)
        stated = [d for d in article.dates if int(d.get("end", 0)) <= start and _iso_day(d.get("iso"))]
        # A date after publication is a misreading ("on Thursday" resolved forward): skip it.
        stated = [d for d in stated if published is None or str(_iso_day(d["iso"])) <= published]
        if stated:
            return str(_iso_day(stated[-1]["iso"]))
    return published or fallback


def _place_facts(article: ExtractedArticle, figure: dict[str, Any]) -> tuple[str | None, str | None]:
    """Level and admin1 code of the figure's place, from the article's place mentions."""
    place_id, name = figure.get("location_id"), figure.get("location")
    for place in article.places:
        same = place.get("geonameid") == place_id if place_id is not None else place.get("name") == name
        if same and name:
            admin = place.get("admin1")
            return place.get("feature"), str(admin) if admin else None
    return None, None


def _valid(figure: dict[str, Any]) -> bool:
    count = figure.get("count")
    return (
        figure.get("kind") in KINDS
        and isinstance(count, int)
        and not isinstance(count, bool)
        and 0 < count < 10_000_000  # larger than any war's toll: a misread number, not a figure
    )


def figure_events(article: ExtractedArticle, today: str) -> list[FigureEvent]:
    """One event per top-level figure of ``article``, carrying its subsets."""
    figures = article.casualties
    site = site_of(article)
    events = []
    for index, figure in enumerate(figures):
        if not _valid(figure) or figure.get("subset_of") is not None:
            continue
        subsets = [
            {"kind": f["kind"], "count": f["count"], "victims": f.get("victims") or "people"}
            for f in figures
            if f.get("subset_of") == index and _valid(f)
        ]
        place_id = figure.get("location_id")
        level, admin1 = _place_facts(article, figure)
        events.append(
            FigureEvent(
                figure_id=f"{article.article_id}:{index}",
                article_id=article.article_id,
                block=block_key(figure.get("country"), figure["kind"]),
                kind=figure["kind"],
                count=figure["count"],
                qualifier=str(figure.get("qualifier") or "exact"),
                victims=str(figure.get("victims") or "people"),
                scope=str(figure.get("scope") or "incident"),
                place=figure.get("location"),
                place_id=place_id if isinstance(place_id, int) else None,
                place_level=level,
                admin1=admin1,
                country=figure.get("country"),
                lat=figure.get("lat"),
                lon=figure.get("lon"),
                actor=figure.get("actor"),
                event_date=event_date(article, figure, today),
                published=article.published,
                url=article.url,
                site=site,
                content_hash=article.content_hash or article.article_id,
                evidence=str(figure.get("evidence") or ""),
                start=int(figure.get("start") or 0),
                end=int(figure.get("end") or 0),
                subsets=subsets,
                entered_at=article.entered_at,
            )
        )
    return events

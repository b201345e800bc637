"""From an extracted article to figure events: one per top-level casualty figure.

Subsets ("including 7 children") ride inside their parent and are never events
of their own, so they can enrich an incident but never add to it.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from shared.records import BadRecord, ExtractedArticle, FigureEvent

KINDS = frozenset({"killed", "injured", "captured", "missing"})
VICTIMS = frozenset({"people", "civilians", "children", "women", "combatants"})
UNKNOWN_COUNTRY = "XX"  # block for figures the extractor could not place in any country
# Country codes become partition keys and metric labels: only ISO-shaped values get through.
_COUNTRY = re.compile(r"[A-Z]{2}")
# No news casualty figure predates this; it also keeps date arithmetic clear of year 1.
MIN_YEAR = 1900
MAX_COUNT = 10_000_000  # larger than any war's toll: a misread number, not a figure
_MAX_OFFSET = 2**31  # offsets into one article's text
# The extractor writes at most a few hundred figures, places and dates per article; a message with
# more was not written by it, and reading only this many keeps routing linear.
MAX_ITEMS = 500


def country_code(value: object) -> str | None:
    """``value`` when it is an ISO 3166 two-letter code, else None."""
    return value if isinstance(value, str) and _COUNTRY.fullmatch(value) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _offset(value: object) -> int:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < _MAX_OFFSET
    return value if ok else 0  # type: ignore[return-value]


def _coordinate(value: object, bound: float) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value) if -bound <= value <= bound else None
    return None


def _victims(value: object) -> str:
    return value if isinstance(value, str) and value in VICTIMS else "people"


def block_key(country: str | None, kind: str) -> str:
    """The partition key: figures that could be one incident share it."""
    return f"{country or UNKNOWN_COUNTRY}|{kind}"


def site_of(article: ExtractedArticle) -> str | None:
    """The outlet: the record's site name, else the URL's host without ``www.``."""
    if article.site:
        return article.site
    if article.url:
        try:
            host = urlsplit(article.url).hostname or ""
        except ValueError:  # "http://[::1": not a URL at all
            return None
        return host.removeprefix("www.") or None
    return None


def _iso_day(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        day = datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return None
    return day.isoformat() if day.year >= MIN_YEAR else None


# How a figure's event date was decided, weakest last. "received": the article gave no publication
# day and its text no date, so the day it entered the pipeline stands in (right for a live feed,
# meaningless for a report published years before it was fed in): matching treats it as no date.
STATED, RELATIVE, PUBLISHED, RECEIVED = "stated", "relative", "published", "received"


def event_date(article: ExtractedArticle, figure: dict[str, Any], fallback: str) -> str:
    """The day a figure's incident happened (see :func:`dated`)."""
    return dated(article, figure, fallback)[0]


def dated(article: ExtractedArticle, figure: dict[str, Any], fallback: str) -> tuple[str, str]:
    """(event day, how it was decided): the last date stated before the figure, else the publication
    day, else ``fallback`` (the day the article entered the pipeline) as ``RECEIVED``."""
    published = _iso_day(article.published)
    if not figure.get("in_title"):
        start = _offset(figure.get("start"))
        # Title dates have offsets into the title, not the body: not comparable with the figure's.
        dates = [d for d in article.dates[:MAX_ITEMS] if isinstance(d, dict) and not d.get("in_title")]
        stated = [d for d in dates if _offset(d.get("end")) <= start and _iso_day(d.get("iso"))]
        # A date after publication is a misreading ("on Thursday" resolved forward): skip it.
        stated = [d for d in stated if published is None or str(_iso_day(d["iso"])) <= published]
        # A month or week ("in January", "earlier this week") names no day: the figure is a tally over
        # it, so neither its first day nor an earlier stated day is the event's; publication day stands in.
        if stated and stated[-1].get("precision", "day") == "day":
            basis = RELATIVE if stated[-1].get("relative") else STATED
            return str(_iso_day(stated[-1]["iso"])), basis
    if published is not None:
        return published, PUBLISHED
    return fallback, RECEIVED


def entered_day(article: ExtractedArticle, today: str) -> str:
    """The day the article entered the pipeline (``today`` for records that do not say)."""
    if article.entered_at > 0:
        return datetime.fromtimestamp(article.entered_at, tz=UTC).date().isoformat()
    return today


def article_tops(figures: list[Any]) -> dict[str, int]:
    """Per kind, the largest incident count the article states: its main toll of that kind."""
    tops: dict[str, int] = {}
    for f in figures:
        if _valid(f) and f.get("subset_of") is None and (f.get("scope") or "incident") == "incident":
            tops[f["kind"]] = max(tops.get(f["kind"], 0), f["count"])
    return tops


def _place_facts(article: ExtractedArticle, figure: dict[str, Any]) -> tuple[str | None, str | None]:
    """Level and admin1 code of the figure's place, from the article's place mentions."""
    place_id, name = figure.get("location_id"), figure.get("location")
    mentions = [p for p in article.places[:MAX_ITEMS] if isinstance(p, dict)]
    # The figure's own text first: a headline's "Idlib" (the city) is not the body's "Idlib" (the province).
    mentions.sort(key=lambda p: bool(p.get("in_title")) != bool(figure.get("in_title")))
    for place in mentions:
        # Without an id the figure names a region or a place from the text alone: never a GeoNames city.
        same = place.get("geonameid") == place_id and (place_id is not None or place.get("name") == name)
        if same and name:
            admin = place.get("admin1")
            return _text(place.get("feature")), str(admin) if isinstance(admin, str | int) and admin else None
    return None, None


def _valid(figure: object) -> bool:
    if not isinstance(figure, dict):
        return False
    count, kind = figure.get("count"), figure.get("kind")
    return (
        isinstance(kind, str)
        and kind in KINDS
        and isinstance(count, int)
        and not isinstance(count, bool)
        and 0 < count < MAX_COUNT
    )


def figure_events(article: ExtractedArticle, today: str) -> list[FigureEvent]:
    """One event per top-level figure of ``article``, carrying its subsets."""
    figures = article.casualties[:MAX_ITEMS]
    site = site_of(article)
    parts: dict[int, list[dict[str, Any]]] = {}
    for f in figures:
        parent = f.get("subset_of") if _valid(f) else None
        if isinstance(parent, int) and not isinstance(parent, bool):
            parts.setdefault(parent, []).append(
                {"kind": f["kind"], "count": f["count"], "victims": _victims(f.get("victims"))}
            )
    tops = article_tops(figures)
    received = entered_day(article, today)
    events = []
    for index, figure in enumerate(figures):
        if not _valid(figure) or figure.get("subset_of") is not None:
            continue
        subsets = parts.get(index, [])
        place_id = figure.get("location_id")
        level, admin1 = _place_facts(article, figure)
        country = country_code(figure.get("country"))
        day, basis = dated(article, figure, received)
        events.append(
            FigureEvent(
                figure_id=f"{article.article_id}:{index}",
                article_id=article.article_id,
                block=block_key(country, figure["kind"]),
                kind=figure["kind"],
                count=figure["count"],
                qualifier=_text(figure.get("qualifier")) or "exact",
                victims=_victims(figure.get("victims")),
                scope=_text(figure.get("scope")) or "incident",
                place=_text(figure.get("location")),
                place_id=place_id if isinstance(place_id, int) and not isinstance(place_id, bool) else None,
                place_level=level,
                admin1=admin1,
                country=country,
                lat=_coordinate(figure.get("lat"), 90.0),
                lon=_coordinate(figure.get("lon"), 180.0),
                actor=_text(figure.get("actor")),
                event_date=day,
                date_basis=basis,
                article_top=tops.get(figure["kind"], figure["count"]),
                published=article.published,
                url=article.url,
                site=site,
                content_hash=article.content_hash or article.article_id,
                evidence=_text(figure.get("evidence")) or "",
                start=_offset(figure.get("start")),
                end=_offset(figure.get("end")),
                subsets=subsets,
                entered_at=article.entered_at,
            )
        )
    return events


def check_event(event: FigureEvent) -> None:
    """Raise BadRecord("bad_value") for a figure event no route step would write (it came off the wire)."""
    problems = [
        name
        for name, ok in (
            ("kind", event.kind in KINDS),
            ("count", 0 < event.count < MAX_COUNT),
            ("victims", event.victims in VICTIMS),
            ("country", event.country is None or country_code(event.country) is not None),
            ("event_date", _iso_day(event.event_date) == event.event_date[:10]),
            ("subsets", all(_valid(s) and isinstance(s.get("victims"), str) for s in event.subsets)),
        )
        if not ok
    ]
    if problems:
        raise BadRecord("bad_value", f"FigureEvent has invalid {', '.join(problems)}")

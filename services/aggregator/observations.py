"""From an extracted article to figure events: one per top-level casualty figure.

Subsets ("including 7 children") ride inside their parent and are never events
of their own, so they can enrich an incident but never add to it.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from shared.days import iso_day
from shared.records import (
    DATE_BASES,
    MAX_SENTENCE_CHARS,
    PUBLISHED,
    RECEIVED,
    BadRecord,
    CasualtyFigure,
    ExtractedArticle,
    FigureEvent,
    FigurePart,
    FigurePlace,
)
from shared.vocabulary import KINDS, VICTIMS

UNKNOWN_COUNTRY = "XX"  # block for figures the extractor could not place in any country
# Country codes become partition keys and metric labels: only ISO-shaped values get through.
_COUNTRY = re.compile(r"[A-Z]{2}")
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


# The last second of year 9999: a larger "entered_at" was not written by the pipeline.
_LAST_TIMESTAMP = 253_402_300_799.0


def entered_day(article: ExtractedArticle, today: str) -> str:
    """The day the article entered the pipeline (``today`` for records that do not say)."""
    if 0 < article.entered_at < _LAST_TIMESTAMP:
        return datetime.fromtimestamp(article.entered_at, tz=UTC).date().isoformat()
    return today


def dated(figure: CasualtyFigure, received: str) -> tuple[str, str]:
    """(event day, how it was decided): the extractor's, or ``received`` standing in for none.

    With basis "received" the article gave no publication day and its text no date, so the day it
    entered the pipeline stands in: right for a live feed, meaningless for a report published years
    before it was fed in, so matching treats it as no date.
    """
    day = iso_day(figure.event_date)
    basis = figure.date_basis if figure.date_basis in DATE_BASES else PUBLISHED
    if day is None:
        return received, RECEIVED
    return day, basis if basis != RECEIVED else PUBLISHED


# Places too large to tell one event's toll from another's: a province's or a country's figures may
# be any of its towns' events, so they are weighed against the article's largest toll.
COARSE_FEATURES = frozenset({"admin1", "admin2", "region", "governorate", "province", "country"})


def article_tops(figures: list[CasualtyFigure]) -> dict[tuple[str, str | None], int]:
    """Per kind and per town, the largest incident count the article states there: its main toll of
    that kind at that place. A figure without a town (no place, a province, a country) is measured
    against the article's largest of its kind, under the key ``(kind, None)``."""
    tops: dict[tuple[str, str | None], int] = {}
    for f in figures:
        if _valid(f) and f.subset_of is None and f.scope == "incident":
            for key in {(f.kind, None), (f.kind, _town_key(f.place))}:
                tops[key] = max(tops.get(key, 0), f.count)
    return tops


def article_top(tops: dict[tuple[str, str | None], int], figure: CasualtyFigure) -> int:
    """The toll a figure is weighed against to tell a detail: its town's, else the article's."""
    return tops.get((figure.kind, _town_key(figure.place)), figure.count)


def _town_key(place: FigurePlace | None) -> str | None:
    """A place finer than a province, by its name (two outlets' ids need not agree, one article's do);
    None for no place or a coarse one. An article telling two towns' strikes has two main tolls."""
    if place is None or not place.name or (place.feature or "") in COARSE_FEATURES:
        return None
    return place.name.casefold()


def _valid(figure: CasualtyFigure | FigurePart) -> bool:
    return figure.kind in KINDS and 0 < figure.count < MAX_COUNT


def _place_id(place: FigurePlace | None) -> int | None:
    value = place.geonameid if place is not None else None
    return value if isinstance(value, int) and value > 0 else None


def _admin1(place: FigurePlace | None) -> str | None:
    admin = place.admin1 if place is not None else None
    return str(admin) if isinstance(admin, str | int) and admin else None


def figure_events(article: ExtractedArticle, today: str) -> list[FigureEvent]:
    """One event per top-level figure of ``article``, carrying its parts."""
    figures = article.casualties[:MAX_ITEMS]
    site = site_of(article)
    tops = article_tops(figures)
    received = entered_day(article, today)
    events = []
    for index, figure in enumerate(figures):
        if not _valid(figure) or figure.subset_of is not None:
            continue
        place = figure.place
        country = country_code(place.country if place is not None else figure.country)
        day, basis = dated(figure, received)
        sentence, sentence_at = _sentence(figure)
        events.append(
            FigureEvent(
                figure_id=f"{article.article_id}:{index}",
                article_id=article.article_id,
                block=block_key(country, figure.kind),
                kind=figure.kind,
                count=figure.count,
                qualifier=_text(figure.qualifier) or "exact",
                victims=_victims(figure.victims),
                scope=_text(figure.scope) or "incident",
                place=_text(place.name if place is not None else figure.location),
                place_id=_place_id(place),
                place_level=_text(place.feature) if place is not None else None,
                admin1=_admin1(place),
                country=country,
                lat=_coordinate(place.lat if place is not None else None, 90.0),
                lon=_coordinate(place.lon if place is not None else None, 180.0),
                actor=_text(figure.actor),
                event_date=day,
                date_basis=basis,
                article_top=article_top(tops, figure),
                published=article.published,
                url=article.url,
                site=site,
                content_hash=article.content_hash or article.article_id,
                evidence=_text(figure.evidence) or "",
                start=_offset(figure.start),
                end=_offset(figure.end),
                sentence=sentence,
                sentence_start=sentence_at,
                subsets=[
                    {"kind": p.kind, "count": p.count, "victims": _victims(p.victims)}
                    for p in figure.parts[:MAX_ITEMS]
                    if _valid(p)
                ],
                entered_at=article.entered_at,
            )
        )
    return events


def _sentence(figure: CasualtyFigure) -> tuple[str, int]:
    """The figure's sentence when it holds the evidence where it says; else none (the topic is open)."""
    sentence, at = _text(figure.sentence) or "", _offset(figure.sentence_start)
    lo, hi = _offset(figure.start) - at, _offset(figure.end) - at
    if len(sentence) > MAX_SENTENCE_CHARS or not (0 <= lo < hi <= len(sentence)):
        return "", 0
    return sentence, at


def _valid_part(part: object) -> bool:
    if not isinstance(part, dict):
        return False
    count, kind = part.get("count"), part.get("kind")
    return (
        isinstance(kind, str)  # a dict or list off the wire is unhashable: no set test for it
        and kind in KINDS
        and isinstance(count, int)
        and not isinstance(count, bool)
        and 0 < count < MAX_COUNT
        and isinstance(part.get("victims"), str)
    )


def check_event(event: FigureEvent) -> None:
    """Raise BadRecord("bad_value") for a figure event no route step would write (it came off the wire)."""
    problems = [
        name
        for name, ok in (
            ("kind", event.kind in KINDS),
            ("count", 0 < event.count < MAX_COUNT),
            ("victims", event.victims in VICTIMS),
            ("country", event.country is None or country_code(event.country) is not None),
            ("event_date", iso_day(event.event_date) == event.event_date[:10]),
            ("subsets", all(_valid_part(s) for s in event.subsets)),
            ("date_basis", event.date_basis in DATE_BASES),
        )
        if not ok
    ]
    if problems:
        raise BadRecord("bad_value", f"FigureEvent has invalid {', '.join(problems)}")

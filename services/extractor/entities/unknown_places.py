"""Settlements the gazetteer lacks, named with a settlement word in English text.

"the village of Mayikengo", "Abu Shouk camp", "the town of Adan Yabaal": GeoNames misses many
villages, camps and neighbourhoods of the places wars are fought in, but English news names them
with a word that says what they are. Such a name becomes a place mention of its own, without
GeoNames id (``source="text"``), in the country the text's other places are in; when the text ties
it to a town ("Rafah's Tal al-Sultan neighbourhood", "the Abu Shouk camp in El Fasher") it takes that
town's point, for a quarter or a camp lies within a few km of it, and no coordinates otherwise.
Arabic names are not read here: those of villages GeoNames has only in Latin script are matched by
transliteration in :mod:`.fuzzy_places`, and only when a GeoNames place confirms them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from services.extractor.arabic_words import LATIN_ARTICLES
from services.extractor.entities.model import PlaceMention

_ACRONYM_LEN = 3  # a kind this short is written as an acronym after the name ("LGA")
# What the settlement word makes the place; ranks follow casualties.place_ranks.feature_rank.
_FEATURES = {
    "village": "village",
    "villages": "village",
    "hamlet": "village",
    "camp": "camp",
    "neighbourhood": "neighbourhood",
    "neighborhood": "neighbourhood",
    "suburb": "neighbourhood",
    "area": "village",
    "locality": "village",
    "town": "town",
    "township": "town",
    "city": "town",
    "district": "district",
    "territory": "district",
    "forest": "village",
    # Nigerian, Kenyan and Indian English call a village a community.
    "community": "village",
    "communities": "village",
    # Nigeria's second-level division, below the state ("Guma Local Government Area", "Guma LGA").
    "local government area": "admin2",
    "local government": "admin2",
    "lga": "admin2",
}
# "community" next to a name is as often a people or an administrative unit ("the Yazidi community",
# "X community" for a Ukrainian hromada): a settlement only in a pair or an apposition below.
_LOOSE = frozenset({"community", "communities"})
# Lower-case links inside a name ("Jisr al-Shughur", "Bani Hawat", "Deir ez-Zor").
_LINKS = "(?:" + "|".join([*sorted(LATIN_ARTICLES), "de", "du", "bin", "ibn", "abu", "wa", "la"]) + ")"
# A kind of several words, capitalised after the name ("Guma Local Government Area"), ends the name.
_MULTIWORD_KINDS = "|".join(k.title() for k in sorted(_FEATURES, key=len, reverse=True) if " " in k)
_WORD = rf"(?!(?:{_MULTIWORD_KINDS})\b)[A-Z][\w'\u2019]*(?:-[\w'\u2019]+)*"
_NAME = rf"{_WORD}(?:(?: |-){_LINKS}(?: |-){_WORD}| {_WORD}){{0,3}}"
_KINDS = "|".join(sorted(set(_FEATURES) - _LOOSE, key=len, reverse=True))
_ALL_KINDS = "|".join(sorted(_FEATURES, key=len, reverse=True))
_BEFORE = re.compile(rf"\b({_KINDS}) (?:of|called|named) (?:the )?({_NAME})")
# After the name the settlement word may be capitalised as part of it ("Ywalon Village", "Myo Township").
_KINDS_CAP = "|".join(
    form
    for k in sorted(set(_FEATURES) - _LOOSE, key=len, reverse=True)
    for form in dict.fromkeys((k.title(), k.capitalize(), k.upper() if len(k) <= _ACRONYM_LEN else k.title()))
)
_AFTER = re.compile(rf"\b({_NAME}) ({_KINDS}|{_KINDS_CAP})\b")
# Two names sharing one settlement word: "Ukpeko and Adaka communities", "the Ndiwa and Kope villages".
_PAIR = re.compile(rf"\b({_NAME}) and ({_NAME}) ({_ALL_KINDS})\b")
# Words that may follow the settlement word closing an apposition ("a town in", "a village where",
# a past participle: "a hamlet raided by").
_APPOSITION_LINKS = r"in|near|on|at|of|about|some|that|where|which|who|whose|close|and|with|[a-z]+ed"
# A name explained by an apposition: "Ukpeko, a quiet river town in ...", "Kope, a farming community,".
# Up to two describing words stand between the article and the settlement word; the settlement word
# ends the phrase (a mark or a linking word follows), so "Lagos, a town official said" is no place.
_APPOSITION = re.compile(
    rf"\b({_NAME}), an? (?:[a-z][\w-]* ){{0,2}}({_ALL_KINDS})(?=[,.;:)\u2014\u2013]|$| (?:{_APPOSITION_LINKS})\b)"
)
_REGION_REACH = 40  # characters from a settlement to the province named after it ("X, in Syria's Y")
_CONFIDENCE = 0.6  # a name read from its context, not confirmed by the gazetteer
# The gazetteer's features of a town a quarter, a camp or a village area can belong to.
_TOWN_FEATURES = frozenset({"city", "town"})
# "Rafah's ": the town that holds what follows it.
_POSSESSIVE_HOLDER = re.compile(r"['\u2019]s ")
# What joins a quarter to the town after it: its settlement word and "of"/"in"/"near" ("the Tal
# as-Sultan area of Rafah", "Abu Shouk camp in El Fasher", "the camp, west of Rafah").
_TOWN_LINK = re.compile(
    r"(?: [a-z]+)?,? (?:(?:just |north|south|east|west)[a-z]* )?(?:of|in|near|outside) (?:the )?"
)


def find_unknown_settlements(
    text: str, known: Sequence[PlaceMention], stop_words: frozenset[str]
) -> list[PlaceMention]:
    """Settlement names of ``text`` that no known mention covers, as place mentions."""
    country = _main_country(known)
    out: list[PlaceMention] = []
    for start, end, word in _matches(text):
        name = text[start:end]
        first = name.split()[0].split("-")[0]
        if first.lower() in stop_words or any(k.start <= start and end <= k.end for k in known):
            continue
        if any(o.start < end and start < o.end for o in out):
            continue
        region = _holding_region(text, end, known)
        admin1 = region.admin1 if region is not None else _only_province(known, country)
        town = _holding_town(text, start, end, known)
        if town is not None:
            region, admin1 = town, town.admin1
        out.append(
            PlaceMention(
                start=start,
                end=end,
                surface=name,
                geonameid=None,
                name=name,
                country=region.country if region is not None else country,
                # A quarter or camp lies within a few km of its town: the town's point stands in.
                lat=town.lat if town is not None else None,
                lon=town.lon if town is not None else None,
                feature=_FEATURES[word.lower()],
                admin1=admin1,
                population=0,
                confidence=_CONFIDENCE,
                source="text",
            )
        )
    return out


def merge_unknown(known: Sequence[PlaceMention], unknown: Sequence[PlaceMention]) -> list[PlaceMention]:
    """Known and unknown mentions by offset; a longer unknown name replaces a known one inside it
    ("Adan" read as Aden inside "the town of Adan Yabaal")."""
    kept = [k for k in known if not any(u.start <= k.start and k.end <= u.end for u in unknown)]
    return sorted([*kept, *unknown], key=lambda m: m.start)


def _matches(text: str) -> list[tuple[int, int, str]]:
    found = [(m.start(2), m.end(2), m.group(1)) for m in _BEFORE.finditer(text)]
    found += [(m.start(1), m.end(1), m.group(2)) for m in _AFTER.finditer(text)]
    found += [(m.start(k), m.end(k), m.group(3)) for m in _PAIR.finditer(text) for k in (1, 2)]
    found += [(m.start(1), m.end(1), m.group(2)) for m in _APPOSITION.finditer(text)]
    return sorted(_after_possessive(text, start, end, word) for start, end, word in found)


_POSSESSIVE = re.compile(r"['\u2019]s? ")  # "Punjab's", and the bare apostrophe of "the Region’ Myo"


def _after_possessive(text: str, start: int, end: int, word: str) -> tuple[int, int, str]:
    """The settlement's own name after a possessive: "Rahimabad" of "Punjab's Rahimabad district"
    (the name before "'s" is the province holding it)."""
    last = None
    for m in _POSSESSIVE.finditer(text, start, end):
        last = m
    return (last.end(), end, word) if last is not None else (start, end, word)


def _holding_region(text: str, end: int, known: Sequence[PlaceMention]) -> PlaceMention | None:
    """The province named right after the settlement ("Maarat Misrin, in Syria's Idlib province"):
    the settlement lies in it."""
    for k in known:
        if end <= k.start <= end + _REGION_REACH and k.feature == "admin1" and k.admin1:
            between = text[end : k.start]
            if "." not in between and "\n" not in between:
                return k
    return None


def _holding_town(text: str, start: int, end: int, known: Sequence[PlaceMention]) -> PlaceMention | None:
    """The town a quarter or camp is said to belong to: before it as a possessive ("Rafah's Tal
    al-Sultan neighbourhood") or right after it ("the Tal as-Sultan area of Rafah", "camp in Rafah")."""
    for k in known:
        if k.feature not in _TOWN_FEATURES or k.lat is None:
            continue
        if k.end <= start and _POSSESSIVE_HOLDER.fullmatch(text[k.end : start]):
            return k
        if end <= k.start <= end + _REGION_REACH and _TOWN_LINK.fullmatch(text[end : k.start]):
            return k
    return None


def _only_province(known: Sequence[PlaceMention], country: str) -> str | None:
    """The province most other places of the text in ``country`` lie in: an unknown village of an
    article on Idlib is most likely in Idlib (a capital named in passing does not change that)."""
    provinces = Counter(k.admin1 for k in known if k.country == country and k.feature != "country")
    if not provinces:
        return None
    best, n = provinces.most_common(1)[0]
    return best if n * 2 > sum(provinces.values()) else None


def _main_country(known: Sequence[PlaceMention]) -> str:
    counts = Counter(k.country for k in known if k.country)
    return counts.most_common(1)[0][0] if counts else ""

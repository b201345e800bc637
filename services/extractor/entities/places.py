"""Place finding: candidates from the gazetteer automaton, then one resolution per mention.

Stages, each testable alone: :func:`find_candidates` (automaton hits with word-boundary and
Arabic-prefix checks), :func:`select_non_overlapping` (the overlap policy), :func:`resolve`
(disambiguation by article country, nearby admin region and population), then qualifiers.
Arabic names of places GeoNames has only in Latin script are tried afterwards, by transliteration,
in :mod:`.fuzzy_places` (the extractor runs it on the mentions found here).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from services.extractor.arabic_words import ARTICLE, CONTRACTED_ARTICLES, LATIN_ARTICLES
from services.extractor.entities import keys
from services.extractor.entities.context import PlaceContext
from services.extractor.entities.gazetteer import Gazetteer, Place
from services.extractor.entities.model import PlaceMention
from services.extractor.entities.name_runs import outside_full_names, part_of_longer_name, surname
from shared.textnorm import NormalizedText, normalize

# A place outside the article's countries (and outside the focus list) must be at least a town:
# smaller homonyms abroad are nearly always a different, local place or a common word.
MIN_POP_FOREIGN = 15000
# One-word Arabic names of three letters or fewer collide with ordinary words: cities only.
MIN_POP_SHORT_ARABIC = 50000
# A one-word Arabic name abroad is far more often an ordinary word (هوية, وأن) than a foreign town:
# only capitals and cities of a million are taken.
MIN_POP_FOREIGN_ARABIC_WORD = 1_000_000
# The conjunction "then" glued to a word: before a short name it is nearly always part of a word.
_AR_THEN = "ف"
# A main name matched as written beats a homonym that has it only as an old or other name
# (a town of the article's country over a larger one abroad that once bore its name): less than the region bonus.
MAIN_NAME_BONUS = 0.3
# A city of this size (or a capital) named as written is known abroad by that name: "Baghdad" in a
# report on Iran is Iraq's capital, not an Iranian village that has the name only as an other name.
WORLD_CITY_POP = 1_000_000
# Enough to outweigh the article-country and region bonuses (3.0 + 1.5: a homonym's own mention counts
# for its region); given only when no place of the article's countries bears the name as its main
# name (Lebanon's Tripoli stays Lebanese in a report on Lebanon).
WORLD_CITY_BONUS = 4.5
# Connectors that may start lowercase inside an English place name.
_LOWER_OK = LATIN_ARTICLES | {"of", "de", "la", "le", "du", "bin", "bani", "beni", "abu", "umm"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One automaton hit: a span of the normalised text and the places its key names."""

    start: int  # span in normalised text, article included
    end: int
    key: str
    codes: tuple[int, ...]  # place index << 1 | has_article
    arabic: bool
    glued: bool = False  # a preposition is glued to the name ("وخشام")
    prefix: str = ""  # the glued letters themselves


# Not a letter or digit: ``\w`` is exactly ``str.isalnum`` plus the underscore.
_NOT_ALNUM = re.compile(r"[\W_]")


def match_text(nt: NormalizedText) -> str:
    """Normalised text with every non-word character as a space (same length, offsets kept)."""
    # One regex pass in C; a per-character Python loop cost 1.4 ms on a real page.
    return _NOT_ALNUM.sub(" ", nt.text)


def _arabic_hit(
    mt: str, start: int, end: int, codes: tuple[int, ...]
) -> tuple[int, tuple[int, ...], bool, str] | None:
    """Check the glued prefix of an Arabic hit; returns (span start, codes that fit, glued, prefix) or None."""
    ws = start
    while ws > 0 and mt[ws - 1].isalnum():
        ws -= 1
    prefix = mt[ws:start]
    if prefix in keys.AR_ARTICLE_PREFIXES:
        fit = tuple(c for c in codes if c & 1)
        span_start = start - (1 if prefix.endswith(CONTRACTED_ARTICLES) else 2)
    elif prefix in keys.AR_PLAIN_PREFIXES:
        fit = tuple(c for c in codes if not c & 1)
        span_start = start
    else:
        return None
    glued = prefix not in ("", ARTICLE)
    return (span_start, fit, glued, prefix) if fit else None


def _capitalised(surface: str) -> bool:
    """English place names are written with capitals (connectors like al-, ez-, of excepted)."""
    if not surface.isascii():  # zero-width and bidi marks inside the name ("De\u200bir") are no letters
        surface = normalize(surface, lowercase=False).text
    tokens = [t for t in surface.replace("-", " ").replace("'", " ").split() if t]
    if not tokens:
        return False
    significant = [t for t in tokens if t.lower() not in _LOWER_OK] or tokens
    return all(t[0].isupper() or t[0].isdigit() for t in significant)


def find_candidates(gaz: Gazetteer, nt: NormalizedText, mt: str) -> list[Candidate]:
    """Every gazetteer key found in the text at word boundaries."""
    out: list[Candidate] = []
    n = len(mt)
    for end_idx, value in gaz.automaton.iter(mt):
        length, codes = gaz.decode(value)
        start, end = end_idx - length + 1, end_idx + 1
        if end < n and mt[end].isalnum():
            continue
        key = mt[start:end]
        if keys.is_arabic(key):
            hit = _arabic_hit(mt, start, end, codes)
            if hit is None:
                continue
            out.append(Candidate(hit[0], end, key, hit[1], True, hit[2], hit[3]))
            continue
        if start > 0 and mt[start - 1].isalnum():
            continue
        surface = nt.original_slice(start, end)
        if key in gaz.upper_only:
            if not surface.replace(".", "").replace(" ", "").isupper():
                continue
        elif not _capitalised(surface):
            continue
        out.append(Candidate(start, end, key, codes, False))
    return out


def select_non_overlapping(cands: Iterable[Candidate]) -> list[Candidate]:
    """Overlap policy: longest span wins, then the leftmost; the rest are dropped."""
    chosen: list[Candidate] = []
    taken: set[int] = set()  # character positions already covered: flat cost per candidate
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        span = range(c.start, c.end)
        if any(k in taken for k in span):
            continue
        chosen.append(c)
        taken.update(span)
    return sorted(chosen, key=lambda c: c.start)


def _allowed(gaz: Gazetteer, idx: int, cand: Candidate, countries: set[str]) -> bool:
    """Noise rules: small foreign homonyms and short Arabic words only where they are plausible."""
    place = gaz.places[idx]
    if place.feature in ("country", "admin1"):
        return True
    if place.source == "alias":
        # Curated villages are small places too: not in a text about another country.
        return not countries or place.country in countries
    one_word = cand.arabic and " " not in cand.key
    if one_word and len(cand.key) <= 3 and place.population < MIN_POP_SHORT_ARABIC:
        return False
    if one_word and len(cand.key) <= 3 and cand.prefix.startswith(_AR_THEN):
        return False  # "فرقة" (a squad) is no "ف" + "رقة": short names are seldom written after "then"
    if place.country in countries:
        return True
    if place.population < MIN_POP_FOREIGN:
        return False
    if not countries and place.country in gaz.focus:
        return True  # nothing says where the text is: towns of the focus countries are plausible
    if cand.glued:
        return False
    return not one_word or place.population >= MIN_POP_FOREIGN_ARABIC_WORD or idx in gaz.capitals


def _score(
    gaz: Gazetteer,
    place: Place,
    countries: set[str],
    regions: Counter[tuple[str, str]],
    admin_word: bool,
    key: str | None = None,
) -> float:
    score = math.log10(place.population + 1) / 7.0
    if key is not None and key in keys.latin_variants(place.name):
        score += MAIN_NAME_BONUS
    if place.country in countries:
        score += 3.0
    elif place.country in gaz.focus:
        score += 0.5
    if place.admin1 and regions[(place.country, place.admin1)]:
        score += 1.5
    if place.feature == "country":
        score += 2.0
    elif place.feature == "admin1":
        score += 2.5 if admin_word else -0.3
    elif place.source == "alias":
        score += 0.8
    return score


def _places_of(gaz: Gazetteer, cand: Candidate) -> list[Place]:
    return [gaz.places[c >> 1] for c in cand.codes]


def article_countries(gaz: Gazetteer, cands: list[Candidate]) -> set[str]:
    """Countries the text is about: named countries, plus those of names that fit only one country."""
    named: set[str] = set()
    implied: Counter[str] = Counter()
    largest: Counter[str] = Counter()
    for cand in cands:
        places = _places_of(gaz, cand)
        if any(p.feature == "country" for p in places):
            named.update(p.country for p in places if p.feature == "country")
            continue
        big = [
            p
            for p in places
            if p.population >= MIN_POP_FOREIGN or p.feature == "admin1" or p.source == "alias"
        ]
        # Only focus countries are implied by a bare town name: "هوية" must not make it an article on Vietnam.
        # A name shared by villages of other focus countries ("الطيبة": Israel, Jordan, the West Bank,
        # Syria) says nothing about where the text is; were it to imply its biggest bearer's country,
        # that bearer would win on the country bonus even in a text about Daraa.
        bearers = {p.country for p in places if p in big or p.country in gaz.focus}
        if big and len(bearers) == 1 and big[0].country in gaz.focus:
            implied[big[0].country] += 1
            largest[big[0].country] = max(largest[big[0].country], max(p.population for p in big))
    if not named and implied:
        # A text that names no country is about the one its place names point to most, then the one of
        # the largest such town: a lone word that is also a town abroad ("بأنه", also an Iranian town) beside a Syrian city
        # does not make it a text on two countries.
        top = max((n, largest[c]) for c, n in implied.items())
        return {c for c, n in implied.items() if (n, largest[c]) == top}
    return named | set(implied)


def _world_city(gaz: Gazetteer, options: list[int], countries: set[str], key: str | None) -> dict[int, float]:
    """The bonus of a capital or city of a million whose main name is the Latin name as written, when no
    option in the article's countries bears that main name: a world city is named as itself."""
    if key is None:
        return {}
    as_named = [i for i in options if key in keys.latin_variants(gaz.places[i].name)]
    if any(gaz.places[i].country in countries for i in as_named):
        return {}
    return {
        i: WORLD_CITY_BONUS
        for i in as_named
        if gaz.places[i].feature == "city"
        and (gaz.places[i].population >= WORLD_CITY_POP or i in gaz.capitals)
    }


@dataclass(frozen=True, slots=True)
class Resolution:
    """The chosen place of a candidate and how sure the choice is."""

    place: Place
    confidence: float


def resolve(
    gaz: Gazetteer, cands: list[Candidate], ctx: PlaceContext, mt: str
) -> list[tuple[Candidate, Resolution]]:
    """Pick one place per candidate: article country, then admin region of other mentions, then population."""
    countries = article_countries(gaz, cands)
    regions: Counter[tuple[str, str]] = Counter()
    for cand in cands:
        places = [p for p in _places_of(gaz, cand) if p.admin1]
        # Homonyms abroad do not blur a region: "Palmyra" in a text on Syria is Homs governorate,
        # whatever towns of that name the United States has.
        places = [p for p in places if p.country in countries] or places
        if len({(p.country, p.admin1) for p in places}) == 1:
            regions[(places[0].country, places[0].admin1 or "")] += 1
    out = []
    for cand in cands:
        admin_word = ctx.has_admin_word(mt, cand.start, cand.end) or ctx.region_in_name(cand.key)
        latin = None if cand.arabic else cand.key
        allowed = [c >> 1 for c in cand.codes if _allowed(gaz, c >> 1, cand, countries)]
        if not allowed:
            continue
        world = _world_city(gaz, allowed, countries, latin)
        scored = sorted(
            (
                (
                    _score(gaz, gaz.places[i], countries, regions, admin_word, latin) + world.get(i, 0.0),
                    gaz.places[i],
                )
                for i in allowed
            ),
            key=lambda sp: -sp[0],
        )
        best_score, best = scored[0]
        # A city and the region named after it are one answer at two scales, not a doubt.
        rivals = [s for s, p in scored[1:] if (p.country, p.admin1) != (best.country, best.admin1)]
        if not rivals:
            conf = 0.9 if best.population >= MIN_POP_FOREIGN or best.feature != "city" else 0.8
        else:
            conf = 0.5 + 0.45 * (1.0 - math.exp(-(best_score - rivals[0])))
        out.append((cand, Resolution(best, round(conf, 3))))
    return out


def to_mention(
    nt: NormalizedText, cand: Candidate, res: Resolution, qualifier: str | None, source: str | None = None
) -> PlaceMention:
    """A :class:`PlaceMention` of a resolved candidate."""
    source = source or ("alias" if res.place.source == "alias" else "geonames")
    return place_mention(nt, cand.start, cand.end, res.place, res.confidence, qualifier, source)


def place_mention(
    nt: NormalizedText,
    start: int,
    end: int,
    place: Place,
    confidence: float,
    qualifier: str | None,
    source: str,
) -> PlaceMention:
    """A :class:`PlaceMention` of ``place`` at [start, end) of the normalised text, offsets mapped back."""
    a, b = nt.span_to_original(start, end)
    return PlaceMention(
        start=a,
        end=b,
        surface=nt.original[a:b],
        geonameid=place.geonameid,
        name=place.name,
        country=place.country,
        lat=place.lat,
        lon=place.lon,
        feature=place.feature,
        admin1=place.admin1,
        population=place.population,
        confidence=confidence,
        qualifier=qualifier,
        source=source,
    )


def find_places(
    gaz: Gazetteer, nt: NormalizedText, ctx: PlaceContext, mt: str | None = None
) -> list[PlaceMention]:
    """All place mentions of a normalised text, resolved and qualified, sorted by offset
    (``mt``: its :func:`match_text`, when the caller has it already)."""
    mt = match_text(nt) if mt is None else mt
    cands = [
        c
        for c in find_candidates(gaz, nt, mt)
        if not ctx.cancelled(mt, c.end)
        and not ctx.cancelled_before(mt, c.start)
        and not (not c.arabic and ctx.truncated(c.key, nt.original_slice(c.end, min(len(mt), c.end + 40))))
    ]
    cands = outside_full_names(nt, select_non_overlapping(cands), ctx)
    countries = article_countries(gaz, cands)
    mentions = [
        to_mention(nt, c, r, ctx.qualifier(mt, c.start, c.end))
        for c, r in resolve(gaz, cands, ctx, mt)
        if not part_of_longer_name(nt, c, r.place, countries, ctx)
        and not surname(mt, c, r.place, ctx)
        and not (r.place.feature == "country" and ctx.attributive(mt, c.start))
    ]
    return sorted(mentions, key=lambda m: m.start)

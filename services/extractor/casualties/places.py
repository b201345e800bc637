"""Stage 4b: the most specific place each figure is tied to, from the entity step's place mentions.

The article-level places (dateline, the article's place, a running toll's) are in ``article_place``;
how specific a place is, and which of several listed together wins, in ``place_ranks``.

Search order for a figure: its own clause, the clauses after it, the clauses before it (up to the
next/previous figure), then, for a figure named only with a region or country, a following sentence
that elaborates it; a cumulative toll with no place of its own takes the article's place (dateline,
title, else the most named place); an incident takes the place of the figure before it. Within a
group the most specific place wins (village over city over province over country), then the nearest;
of the clauses before a count, the nearest one naming a town wins over a finer place further back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.extractor.casualties.attach import clause_order
from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import find_all, match_at
from services.extractor.casualties.model import Candidate, Token
from services.extractor.casualties.place_ranks import (
    COUNTRY_RANK,
    REGION_RANK,
    best_place,
    feature_rank,
    place_rank,
)
from services.extractor.casualties.place_scope import anaphoric_capital, tied_place
from services.extractor.casualties.tokens import clause_tokens, sentence_tokens, token_index

# A report gives the toll first and where the attack happened within the next few sentences.
_ELABORATION_REACH = 3


def _in_clauses(places: Sequence[Any], tokens: Sequence[Token], clauses: Sequence[int]) -> list[Any]:
    wanted = set(clauses)
    return [p for p in places if _clause_at(tokens, p.start) in wanted]


def in_sentence(mentions: Sequence[Any], tokens: Sequence[Token], sentence: int) -> list[Any]:
    """The mentions (places, actors) that start inside one sentence."""
    toks = sentence_tokens(tokens, sentence)
    if not toks:
        return []
    lo, hi = toks[0].start, toks[-1].end
    return [m for m in mentions if lo <= m.start < hi]


def _clause_at(tokens: Sequence[Token], offset: int) -> int:
    return tokens[token_index(tokens, offset)].clause


def _contained(places: Sequence[Any], tokens: Sequence[Token], lex: Lexicon) -> Any | None:
    """A province named with the towns it holds: the province ("Saraqeb and Ehsim in Idlib province")."""
    regions = [p for p in places if place_rank(p, tokens, lex) == REGION_RANK and getattr(p, "admin1", None)]
    towns = [p for p in places if place_rank(p, tokens, lex) < REGION_RANK]
    if len(regions) == 1 and towns and all(getattr(t, "admin1", None) == regions[0].admin1 for t in towns):
        return regions[0]
    return None


def _elaboration(
    tokens: Sequence[Token],
    c: Candidate,
    cands: Sequence[Candidate],
    places: Sequence[Any],
    lex: Lexicon,
    found: Any | None = None,
    home: str | None = None,
) -> Any | None:
    """A finer place from the sentences after the figure that tell more about the attack ("The attack
    happened on the outskirts of Djibo"), up to the next sentence with a figure; in the figure's
    country, else in ``home`` (the article's): a campaign abroad told next is no elaboration."""
    rank = COUNTRY_RANK + 1 if found is None else place_rank(found, tokens, lex)
    country = getattr(found, "country", None) or home
    for nxt in range(c.sentence + 1, c.sentence + 1 + _ELABORATION_REACH):
        sent = sentence_tokens(tokens, nxt)
        if not sent:
            return None
        lo, hi = sent[0].index, sent[-1].index + 1
        figures = any(o.segment == c.segment and o.sentence == nxt for o in cands)
        if figures:
            # The next sentence, with figures of its own, goes on with a figure placed no finer than
            # its country only when it names the same attack again ("the blast also wounded 40");
            # it is the last one read.
            if (
                nxt != c.sentence + 1
                or rank < COUNTRY_RANK
                or not find_all(tokens, lex.cues.get("same_attack"), lo, hi)
            ):
                return None
        elif not find_all(tokens, lex.cues.get("attack_words"), lo, hi):
            continue
        there = [p for p in places if tokens[token_index(tokens, p.start)].sentence == nxt]
        there = [p for p in there if _within(p, found, country, tokens, lex)]
        best = _contained(there, tokens, lex) or best_place(there, tokens, lex, sent[0].start, places)
        if best is not None and place_rank(best, tokens, lex) < rank:
            return best
        if figures:
            return None
    return None


def _within(
    place: Any, found: Any | None, country: str | None, tokens: Sequence[Token], lex: Lexicon
) -> bool:
    """An elaborating place lies in what the figure has: its province (a toll "in Herat province" is not told
    more about by an aside on Kabul), its country; a name of unknown country may lie anywhere."""
    if getattr(place, "country", None) in (None, ""):
        return True
    if country is not None and getattr(place, "country", None) != country:
        return False
    if found is None or place_rank(found, tokens, lex) != REGION_RANK or not getattr(found, "admin1", None):
        return True
    return getattr(place, "admin1", None) == getattr(found, "admin1", None)


def _anaphoric_region(
    tokens: Sequence[Token], c: Candidate, places: Sequence[Any], lex: Lexicon
) -> Any | None:
    """The last province named before a figure whose clause says "the province" ("في المحافظة")."""
    clause = clause_tokens(tokens, tokens[c.first].clause)
    if not clause or not find_all(
        tokens, lex.cues.get("anaphoric_region"), clause[0].index, clause[-1].index + 1
    ):
        return None
    start = tokens[c.first].start
    regions = [p for p in places if p.end <= start and getattr(p, "feature", "") in ("admin1", "ADM1")]
    return regions[-1] if regions else None


def _search(
    tokens: Sequence[Token],
    c: Candidate,
    cands: Sequence[Candidate],
    places: Sequence[Any],
    lex: Lexicon,
    ties: dict[int, Any],
) -> Any | None:
    """The place named right after the count; else own clause, then following, then preceding clauses;
    a country only if nothing finer is named, unless the count's own clause sets it ("in Syria")."""
    tied = ties.get(id(c))
    if tied is not None:
        return tied
    places = _untied(c, cands, places, ties)
    anchor = tokens[c.first].start
    groups = clause_order(tokens, c, cands)
    if c.parent is not None:
        groups = groups[:2]  # a part names its own place right there, or shares its total's
    country = None
    here = in_sentence(places, tokens, c.sentence)
    for n, group in enumerate(groups):
        found = _in_clauses(here, tokens, group)
        if not found:
            continue
        best = _nearest_town(found, group, tokens, lex, anchor, places) if n == 2 else None
        best = best or best_place(found, tokens, lex, anchor, places)
        if best is not None and place_rank(best, tokens, lex) < COUNTRY_RANK:
            return best
        if n == 0 and best is not None and best.start > anchor and _locative(tokens, best, lex):
            return best  # "150 people were detained in Iraq": the count's own clause sets the country
        country = country or best
    return country


def _nearest_town(
    found: Sequence[Any],
    group: Sequence[int],
    tokens: Sequence[Token],
    lex: Lexicon,
    anchor: int,
    named: Sequence[Any],
) -> Any | None:
    """Of the clauses before a count, the nearest one that names a town: "the strike on the X quarter
    came as jets also hit A and B, killing 60" counts the dead of A and B, not of X. A province or
    country there is where the town before it lies ("in the village of X, in Idlib province, ...")."""
    for clause in group:  # nearest first
        best = best_place(_in_clauses(found, tokens, [clause]), tokens, lex, anchor, named)
        if best is not None and place_rank(best, tokens, lex) < REGION_RANK:
            return best
    return None


def _untied(
    c: Candidate, cands: Sequence[Candidate], places: Sequence[Any], ties: dict[int, Any]
) -> list[Any]:
    """The places not tied to another figure. A total keeps the one place its parts are tied to
    ("including 3 children in Idlib"), not a breakdown of its parts over several places, nor a
    bare count by place ("منهم 40 في تعز")."""
    own = {id(p) for o in cands if o.parent is c and not o.bare and (p := ties.get(id(o))) is not None}
    taken = {id(p) for o in cands if o is not c and (p := ties.get(id(o))) is not None}
    if len(own) == 1:
        taken -= own
    return [p for p in places if id(p) not in taken]


def _locative(tokens: Sequence[Token], place: Any, lex: Lexicon) -> bool:
    """The place follows a locative preposition, on its own or glued ("في سوريا", "بسوريا", "in Iraq")."""
    i = token_index(tokens, place.start)
    glued = lex.cues.get("glued_locatives")
    if glued is not None and tokens[i].start < place.start and tokens[i].text[:1] in glued.by_first:
        return True
    return i > 0 and match_at(tokens, i - 1, lex.cues.get("locatives")) is not None


def assign_places(
    tokens: Sequence[Token],
    cands: Sequence[Candidate],
    places: Sequence[Any],
    lex: Lexicon,
    fallback: Any | None,
    incident_fallback: Any | None = None,
) -> None:
    """Choose ``place`` for each figure of one text (title or body); ``fallback`` is the article's
    place, ``incident_fallback`` a better last resort for incidents (the dateline city)."""
    if not tokens:
        return
    previous: Candidate | None = None
    event: Candidate | None = None  # the last incident figure
    ties = {id(c): p for c in cands if (p := tied_place(tokens, c, places, lex)) is not None}
    for c in cands:
        found = _anaphoric_region(tokens, c, places, lex) or _search(tokens, c, cands, places, lex, ties)
        if found is None or place_rank(found, tokens, lex) >= COUNTRY_RANK:
            home = getattr(found or fallback, "country", None)
            found = anaphoric_capital(tokens, c, places, lex, home) or found
        if c.parent is not None:
            coarse = found is None or place_rank(found, tokens, lex) >= COUNTRY_RANK
            if coarse and c.sentence != c.parent.sentence:
                found = _earlier_in_sentence(tokens, c, places, lex) or found
                coarse = found is None or place_rank(found, tokens, lex) >= COUNTRY_RANK
            c.place = c.parent.place if coarse and c.parent.place is not None else found
            if not coarse and c.scope == "incident":
                event = c  # a part at its own place is where the report has got to
            continue
        if found is None or place_rank(found, tokens, lex) >= REGION_RANK:
            home = getattr(incident_fallback or fallback, "country", None)
            found = _elaboration(tokens, c, cands, places, lex, found, home) or found
        if (
            found is None
            and previous is not None
            and previous.sentence == c.sentence
            and previous.scope == c.scope
        ):
            found = previous.place  # "... 1117 مدنيا، فيما سجل 1331 عنصرا": the same place
        if found is None:
            found = (
                fallback
                if c.scope == "cumulative"
                else (_carried(tokens, c, event, places, lex) or incident_fallback or fallback)
            )
        if previous is not None and _only_country(found, previous, c, tokens, lex):
            found = previous.place  # "the toll had risen to 12, Ukraine's emergency service said"
        c.place = found
        previous = c
        if c.scope == "incident":
            event = c


def _carried(
    tokens: Sequence[Token], c: Candidate, event: Candidate | None, places: Sequence[Any], lex: Lexicon
) -> Any | None:
    """The place an incident with none of its own carries on: the last incident's (a running toll
    between them is no event place), else the last place named before it."""
    return getattr(event, "place", None) or _preceding(tokens, c, places, lex)


def _only_country(
    found: Any | None, previous: Candidate, c: Candidate, tokens: Sequence[Token], lex: Lexicon
) -> bool:
    """An incident figure whose sentence names only the country carries on the incident before it, when
    that one has a finer place in the same country."""
    if found is None or previous.place is None or c.scope != "incident":
        return False
    if feature_rank(getattr(found, "feature", "") or "") < COUNTRY_RANK or previous.scope != "incident":
        return False
    same = getattr(previous.place, "country", None) == getattr(found, "country", None)
    return same and place_rank(previous.place, tokens, lex) < COUNTRY_RANK


def _earlier_in_sentence(
    tokens: Sequence[Token], c: Candidate, places: Sequence[Any], lex: Lexicon
) -> Any | None:
    """The place a part's own sentence names before it, when finer than a country: a breakdown told
    one sentence per place names the place, then the share killed there."""
    found = _preceding(tokens, c, places)
    if found is None or place_rank(found, tokens, lex) >= COUNTRY_RANK:
        return None
    first = next(
        k for k in range(c.first, -1, -1) if k == 0 or tokens[k - 1].sentence != tokens[c.first].sentence
    )
    return found if found.start >= tokens[first].start else None


def _preceding(
    tokens: Sequence[Token], c: Candidate, places: Sequence[Any], lex: Lexicon | None = None
) -> Any | None:
    """The last place named before the figure; with ``lex``, the finest place of the last sentence
    naming one ("a depot in the city of Kharkiv in eastern Ukraine. Officials said 9 died")."""
    start = tokens[c.first].start
    before = [p for p in places if p.end <= start]
    if not before or lex is None:
        return before[-1] if before else None
    sentence = tokens[token_index(tokens, before[-1].start)].sentence
    last = [p for p in before if tokens[token_index(tokens, p.start)].sentence == sentence]
    return min(reversed(last), key=lambda p: place_rank(p, tokens, lex))

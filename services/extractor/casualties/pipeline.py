"""The casualty extractor: the stages run in order over an article's title and body."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz import fuzz

from services.extractor.arabic_words import LATIN_ARTICLES
from services.extractor.casualties.article_place import article_places, dateline
from services.extractor.casualties.attach import assign_actors, assign_victims, inherit_part_victims
from services.extractor.casualties.candidates import cue_start, find_candidates
from services.extractor.casualties.context import sentence_around
from services.extractor.casualties.kinds import assign_kinds, find_triggers, link_siblings
from services.extractor.casualties.lexicon import Lexicon, load_lexicon
from services.extractor.casualties.model import Candidate, Token
from services.extractor.casualties.nesting import link_among_totals, link_nested_tolls, link_state_parts
from services.extractor.casualties.place_ranks import COUNTRY_RANK, place_rank
from services.extractor.casualties.place_scope import home_places, introduced_abroad, source_seat
from services.extractor.casualties.places import assign_places
from services.extractor.casualties.policy import merge_restatements, resolve_overlaps
from services.extractor.casualties.scope import (
    assign_scopes,
    link_breakdowns,
    link_family_parts,
    link_headline_breakdowns,
    link_subsets,
    link_toll_increments,
)
from services.extractor.casualties.screen import may_state_figures
from services.extractor.casualties.singulars import find_singulars
from services.extractor.casualties.subsets import (
    link_leading_breakdowns,
    link_listed_groups,
    link_restated_parts,
)
from services.extractor.casualties.tokens import SentenceSplitter, tokenize

_EVIDENCE_REACH = 8  # a trigger further than this from its count is left out of the evidence span
# Later stages compare figures with each other and with every place: hostile text with thousands of
# counts would take minutes. No real article states more; past this the rest is left out.
MAX_CANDIDATES = 100


@dataclass(frozen=True, slots=True)
class Segment:
    """The title or the body, with its tokens and the entity step's mentions in it."""

    name: str
    text: str
    tokens: list[Token]
    places: Sequence[Any]
    actors: Sequence[Any]
    lang: str = ""  # the language of the text; "" where a caller does not say
    # Places inside an actor's name ("Myanmar" in "Myanmar junta"): what the article is about.
    owner_places: Sequence[Any] = ()


def find_figures(seg: Segment, lex: Lexicon) -> list[Candidate]:
    """Stages 1-3 on one text: candidates, kinds, subsets, scope, victims and actors."""
    tokens = seg.tokens
    cands = find_candidates(tokens, lex, seg.name)
    cands += find_singulars(tokens, lex, find_triggers(tokens, lex), cands, seg.name)
    cands = resolve_overlaps(cands)[:MAX_CANDIDATES]
    link_siblings(tokens, cands, lex)
    cands = assign_kinds(tokens, cands, lex)
    link_toll_increments(tokens, cands, lex)
    link_subsets(tokens, cands, lex)
    cands = [c for c in cands if c.kind is not None]
    assign_scopes(tokens, cands, lex)
    link_breakdowns(cands, tokens, lex)
    link_leading_breakdowns(cands)
    assign_victims(tokens, cands, lex)
    assign_actors(tokens, cands, seg.actors, lex)
    return cands


def extract_figures(
    text: str,
    lang: str,
    title: str | None = None,
    body_entities: Any | None = None,
    title_entities: Any | None = None,
    splitter: SentenceSplitter | None = None,
) -> list[dict[str, Any]]:
    """Casualty figures of one article as JSON-able dicts, in body order then title-only ones."""
    lex = load_lexicon(lang)
    if not may_state_figures((text, title or ""), lex):
        return []
    body = _segment("body", text, lex, body_entities, splitter)
    head = _segment("title", title or "", lex, title_entities, splitter)
    body, head = _at_home(body, head, lex)
    places = article_places(body.tokens, _all(body), head.tokens, _all(head), lex)
    fallback, toll = places.about, places.toll
    line = dateline(body.tokens, body.places)
    # The dateline is where the report was filed: the last resort for an incident with no place of
    # its own (when it is in the country the article is about), never a place found near a figure.
    local = (
        line
        if line is not None and getattr(line, "country", None) == getattr(fallback, "country", None)
        else None
    )
    body_cands = find_figures(body, lex)
    content = [p for p in body.places if p is not line]
    assign_places(body.tokens, body_cands, content, lex, toll, local or fallback)
    link_family_parts(body.tokens, body_cands, lex)
    link_listed_groups(body_cands)  # after places: a list of another place is not a share
    link_nested_tolls(body.tokens, body_cands, lex)
    link_state_parts(body.tokens, body_cands, lex)
    link_among_totals(body.tokens, body_cands, lex)
    link_restated_parts(body_cands)
    head_cands = find_figures(head, lex) if head.tokens else []
    assign_places(head.tokens, head_cands, head.places, lex, None)  # _title_places decides for the rest
    _title_places(head, head_cands, body_cands, toll, lex)
    merged = merge_restatements(body_cands + head_cands)
    link_headline_breakdowns(merged)
    kept = totals_first(merged)
    inherit_part_victims(kept)
    return [to_dict(c, kept, body if c.segment == "body" else head) for c in kept]


def totals_first(cands: Sequence[Candidate]) -> list[Candidate]:
    """Figures that are part of no other first, then the parts, each in text order."""
    return [c for c in cands if c.parent is None] + [c for c in cands if c.parent is not None]


def _segment(
    name: str, text: str, lex: Lexicon, entities: Any | None, splitter: SentenceSplitter | None
) -> Segment:
    tokens = tokenize(text, lex, splitter) if text else []
    mentions = list(getattr(entities, "places", []) or [])
    # A place inside an actor's name ("Gaza" in "Gaza health ministry said 30 killed in Rafah") says
    # whose the actor is, not where a figure happened: offered to the figures, it moved the development
    # gold's Arabic place accuracy from 0.87 to 0.85. It only weighs in on what the article is about.
    actors = list(getattr(entities, "actors", []) or [])
    # So is the seat named right after a source ("the interior ministry in Kabul said").
    owned = {id(p) for p in mentions if getattr(p, "in_actor", None) or source_seat(p, actors, tokens, lex)}
    places = [p for p in mentions if id(p) not in owned]
    owners = [p for p in mentions if id(p) in owned]
    return Segment(name, text, tokens, places, actors, lex.lang, owners)


def _at_home(body: Segment, head: Segment, lex: Lexicon) -> tuple[Segment, Segment]:
    """Both texts without the cities abroad that the article never names the country of, nor names as a
    place: the country is the one most of the article's places are in."""
    named = [*_all(body), *_all(head)]
    counts = Counter(getattr(p, "country", None) for p in named)
    home = counts.most_common(1)[0][0] if counts else None
    return (
        replace(
            body, places=introduced_abroad(home_places(body.places, named, home), body.tokens, lex, home)
        ),
        replace(
            head, places=introduced_abroad(home_places(head.places, named, home), head.tokens, lex, home)
        ),
    )


def _all(seg: Segment) -> list[Any]:
    """Every place mention of the segment, those inside actor names too, in text order."""
    return sorted([*seg.places, *seg.owner_places], key=lambda p: p.start)


def _title_places(
    head: Segment, cands: Sequence[Candidate], body: Sequence[Candidate], fallback: Any, lex: Lexicon
) -> None:
    """A headline names the country for foreign readers: its figure takes the body's lead place."""
    lead = next((c.place for c in body if c.parent is None and c.place is not None), None)
    for c in cands:
        if c.parent is not None:
            continue
        if c.place is None or place_rank(c.place, head.tokens, lex) >= COUNTRY_RANK:
            c.place = (fallback if c.scope == "cumulative" else lead) or c.place


def _evidence(c: Candidate, tokens: Sequence[Token]) -> tuple[int, int]:
    lo, hi = c.first, c.np_end
    if c.qualifier_span is not None:
        lo, hi = min(lo, c.qualifier_span[0]), max(hi, c.qualifier_span[1])
    cue = cue_start(c)
    if c.parent is not None and cue is not None and c.first - cue <= _EVIDENCE_REACH:
        lo = min(lo, cue)  # a part is stated by its cue: "including five children", "بينهم 4 أطفال"
    elif c.parent is None and c.trigger is not None and abs(c.trigger - c.first) <= _EVIDENCE_REACH:
        lo, hi = min(lo, c.trigger), max(hi, c.trigger)
    return tokens[lo].start, tokens[hi].end


_NAMED_AS_WRITTEN = frozenset({"city", "village", "camp", "town", "neighbourhood", "neighborhood"})
# A spelling at least this close (rapidfuzz ratio) is the same name: "Nuseirat" for "An Nusayrat";
# an older or other name ("Dnipropetrovsk" for Dnipro) keeps the gazetteer's.
_SAME_NAME = 65
_ARTICLES = LATIN_ARTICLES | {"the"}
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z'\- ]+")


def display_name(place: Any, lang: str) -> str | None:
    """The place's name for readers: an English text's own spelling of a town ("Nuseirat", "Bint Jbeil",
    where GeoNames has "An Nusayrat", "Bent Jbail"); the gazetteer's English name otherwise."""
    name = getattr(place, "name", None)
    surface = (getattr(place, "surface", None) or "").strip()
    if (
        lang == "en"
        and getattr(place, "feature", None) in _NAMED_AS_WRITTEN
        and getattr(place, "source", None) != "alias"
        and _LATIN_NAME.fullmatch(surface)
        and not surface.isupper()
        and fuzz.ratio(_bare(surface), _bare(name or "")) >= _SAME_NAME
    ):
        return surface
    return name


def _bare(name: str) -> str:
    words = re.split(r"[\s\-']+", name.lower())
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return "".join(words)


def place_facts(place: Any, lang: str) -> dict[str, Any] | None:
    """The figure's place with the hierarchy merging needs (shared.records.FigurePlace's fields)."""
    if place is None:
        return None
    return {
        "name": display_name(place, lang),
        "geonameid": getattr(place, "geonameid", None),
        "feature": getattr(place, "feature", None),
        "admin1": getattr(place, "admin1", None),
        "country": getattr(place, "country", None),
        "lat": getattr(place, "lat", None),
        "lon": getattr(place, "lon", None),
        "source": getattr(place, "source", None),
    }


def to_dict(c: Candidate, kept: Sequence[Candidate], seg: Segment) -> dict[str, Any]:
    """The figure as it goes on the wire (SCHEMA.md fields plus offsets, place ids and confidence)."""
    start, end = _evidence(c, seg.tokens)
    sentence, sentence_start = sentence_around(seg.tokens, seg.text, start, end)
    place, actor = c.place, c.actor
    parent = kept.index(c.parent) if c.parent is not None and c.parent in kept else None
    return {
        "kind": c.kind,
        "count": c.number.value,
        "count_high": c.number.high,
        "qualifier": c.qualifier,
        "victims": c.victims,
        "location": display_name(place, seg.lang),
        "location_id": getattr(place, "geonameid", None),
        "country": getattr(place, "country", None),
        "lat": getattr(place, "lat", None),
        "lon": getattr(place, "lon", None),
        "place": place_facts(place, seg.lang),
        "actor": getattr(actor, "name", None),
        "scope": c.scope,
        "subset_of": parent,
        "evidence": seg.text[start:end],
        "start": start,
        "end": end,
        "sentence": sentence,
        "sentence_start": sentence_start,
        "in_title": c.segment == "title",
        "confidence": round(c.confidence, 2),
    }

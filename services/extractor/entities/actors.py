"""Actors from a bilingual YAML dictionary (shipped, plus user files), matched with an automaton."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
import yaml

from services.extractor.arabic_words import CONTRACTED_ARTICLES
from services.extractor.entities import keys
from services.extractor.entities.model import ActorMention
from services.extractor.entities.places import match_text
from services.extractor.entities.resources import RESOURCE_DIR
from shared.textnorm import NormalizedText

STRONG_CONFIDENCE = 0.9
# A bare country name ("Russia said") names a state, not necessarily the force that fired.
WEAK_CONFIDENCE = 0.6
# An alias several actors share ("civil defence": Syria's, Gaza's, Lebanon's) read by the text's country.
SHARED_CONFIDENCE = 0.75


@dataclass(frozen=True, slots=True)
class Actor:
    """One dictionary entry."""

    actor_id: str
    name: str
    kind: str
    country: str | None = None  # ISO2 of the country the actor belongs to ("PS" for Gaza's ministry)


@dataclass(frozen=True, slots=True)
class _Alias:
    actors: tuple[int, ...]  # several: the alias names another actor in each country ("الدفاع المدني")
    article: bool | None  # None: listed both with and without the article ("المستوطنين", "مستوطنين")
    weak: bool
    upper_only: bool


@dataclass(frozen=True, slots=True)
class ActorHit:
    """An alias found in the text, before the text's countries choose among the actors sharing it."""

    start: int  # offsets into the original text
    end: int
    actors: tuple[int, ...]
    weak: bool


@dataclass
class ActorDictionary:
    """Actors and the automaton over their normalised aliases."""

    actors: list[Actor]
    automaton: ahocorasick.Automaton

    @classmethod
    def load(cls, extra_files: Sequence[Path] = (), resource_dir: Path = RESOURCE_DIR) -> ActorDictionary:
        """Load the shipped ``shared/actors.yaml`` then each extra file (same shape; same id = more aliases)."""
        actors: list[Actor] = []
        by_id: dict[str, int] = {}
        aliases: dict[str, _Alias] = {}
        for path in [resource_dir / "shared" / "actors.yaml", *map(Path, extra_files)]:
            for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                idx = by_id.get(entry["id"])
                if idx is None:
                    idx = by_id[entry["id"]] = len(actors)
                    actors.append(
                        Actor(
                            entry["id"],
                            entry.get("name", entry["id"]),
                            entry.get("kind", "armed_group"),
                            entry.get("country"),
                        )
                    )
                tables = (
                    (False, entry.get("aliases") or {}),
                    (False, entry.get("shared") or {}),  # grouped apart for readers; loaded alike
                    (True, entry.get("weak") or {}),
                )
                for weak, table in tables:
                    for names in table.values():
                        for alias in names or ():
                            _add_alias(aliases, str(alias), idx, weak)
        _check_shared(aliases, actors)
        automaton = ahocorasick.Automaton()
        for key, alias in aliases.items():
            automaton.add_word(key, (len(key), alias))
        automaton.make_automaton()
        return cls(actors, automaton)

    def country(self, actor_id: str) -> str | None:
        """The ISO2 country an actor belongs to, when its entry states one."""
        return next((a.country for a in self.actors if a.actor_id == actor_id), None)

    def find(
        self, nt: NormalizedText, mt: str | None = None, countries: Mapping[str, int] | None = None
    ) -> list[ActorMention]:
        """Actor mentions in a normalised text, longest match first, no overlaps; ``countries`` as in
        :meth:`resolve`."""
        return self.resolve(nt, self.match(nt, mt), countries)

    def match(self, nt: NormalizedText, mt: str | None = None) -> list[ActorHit]:
        """Aliases found in a normalised text, longest match first, no overlaps, in text order."""
        mt = mt if mt is not None else match_text(nt)
        hits: list[tuple[int, int, _Alias]] = []
        n = len(mt)
        for end_idx, (length, alias) in self.automaton.iter(mt):
            start, end = end_idx - length + 1, end_idx + 1
            if end < n and mt[end].isalnum():
                continue
            span_start = _prefix_ok(mt, start, alias)
            if span_start is None:
                continue
            surface = nt.original_slice(span_start, end)
            if alias.upper_only and not surface.replace(".", "").replace(" ", "").replace("-", "").isupper():
                continue
            hits.append((span_start, end, alias))
        out: list[ActorHit] = []
        taken: list[tuple[int, int]] = []
        for start, end, alias in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0])):
            if any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            a, b = nt.span_to_original(start, end)
            out.append(ActorHit(a, b, alias.actors, alias.weak))
        return sorted(out, key=lambda h: h.start)

    def resolve(
        self, nt: NormalizedText, hits: Sequence[ActorHit], countries: Mapping[str, int] | None
    ) -> list[ActorMention]:
        """Mentions of the hits. A shared alias takes the actor whose country the text names most
        (``countries``: ISO2 -> place mentions), at lower confidence; it is dropped when the text names
        none of its actors' countries. ``None``: countries not known yet, the first actor listed stands in
        (the place step only needs the spans)."""
        out: list[ActorMention] = []
        for hit in hits:
            idx = hit.actors[0] if countries is None else self._by_country(hit.actors, countries)
            if idx is None:
                continue
            actor = self.actors[idx]
            conf = WEAK_CONFIDENCE if hit.weak else STRONG_CONFIDENCE
            if len(hit.actors) > 1:
                conf = min(conf, SHARED_CONFIDENCE)
            surface = nt.original[hit.start : hit.end]
            out.append(
                ActorMention(hit.start, hit.end, surface, actor.actor_id, actor.name, actor.kind, conf)
            )
        return out

    def _by_country(self, candidates: tuple[int, ...], countries: Mapping[str, int]) -> int | None:
        """The one candidate, or the one whose country the text names most (ties: the first listed)."""
        if len(candidates) == 1:
            return candidates[0]
        best = max(candidates, key=lambda i: countries.get(self.actors[i].country or "", 0))
        return best if countries.get(self.actors[best].country or "", 0) > 0 else None


def _add_alias(aliases: dict[str, _Alias], alias: str, idx: int, weak: bool) -> None:
    if keys.is_arabic(alias):
        key, article = keys.arabic_key(alias)
        upper = False
    else:
        key, article = keys.latin_key(alias), False
        # Acronyms (IS, SDF, AP) are ordinary words in lower case.
        upper = alias.replace(".", "").replace("-", "").isupper() and len(alias) <= 6
    if not key:
        return
    known = aliases.get(key)
    if known is None:
        aliases[key] = _Alias((idx,), article, weak, upper)
        return
    # Listed with and without the article (by one actor or by several): either form matches.
    merged = known.article if known.article == article else None
    actors = known.actors if idx in known.actors else (*known.actors, idx)
    aliases[key] = _Alias(actors, merged, known.weak, known.upper_only)


def _check_shared(aliases: dict[str, _Alias], actors: list[Actor]) -> None:
    """An alias listed under several actors is read by country: each needs its own ``country``."""
    for key, alias in aliases.items():
        if len(alias.actors) < 2:
            continue
        countries = [actors[i].country for i in alias.actors]
        if None in countries or len(set(countries)) < len(countries):
            ids = [actors[i].actor_id for i in alias.actors]
            raise ValueError(f"alias {key!r} is listed under {ids}: each needs a country, a different one")


def _prefix_ok(mt: str, start: int, alias: _Alias) -> int | None:
    """Span start if the hit begins a word (allowing glued Arabic prepositions and the article)."""
    ws = start
    while ws > 0 and mt[ws - 1].isalnum():
        ws -= 1
    if ws == start:
        return None if alias.article else start
    if not keys.is_arabic(mt[start]):
        return None
    prefix = mt[ws:start]
    if alias.article is not False and prefix in keys.AR_ARTICLE_PREFIXES:
        return start - (1 if prefix.endswith(CONTRACTED_ARTICLES) else 2)
    if not alias.article and prefix in keys.AR_PLAIN_PREFIXES:
        return start
    return None

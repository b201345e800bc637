"""Actors from a bilingual YAML dictionary (shipped, plus user files), matched with an automaton."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
import yaml

from services.extractor.entities import keys
from services.extractor.entities.model import ActorMention
from services.extractor.entities.places import match_text
from services.extractor.entities.resources import RESOURCE_DIR
from shared.textnorm import NormalizedText

STRONG_CONFIDENCE = 0.9
# A bare country name ("Russia said") names a state, not necessarily the force that fired.
WEAK_CONFIDENCE = 0.6


@dataclass(frozen=True, slots=True)
class Actor:
    """One dictionary entry."""

    actor_id: str
    name: str
    kind: str
    country: str | None = None  # ISO2 of the country the actor belongs to ("PS" for Gaza's ministry)


@dataclass(frozen=True, slots=True)
class _Alias:
    actor: int
    article: bool | None  # None: listed both with and without the article ("المستوطنين", "مستوطنين")
    weak: bool
    upper_only: bool


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
                for weak, table in ((False, entry.get("aliases") or {}), (True, entry.get("weak") or {})):
                    for names in table.values():
                        for alias in names or ():
                            _add_alias(aliases, str(alias), idx, weak)
        automaton = ahocorasick.Automaton()
        for key, alias in aliases.items():
            automaton.add_word(key, (len(key), alias))
        automaton.make_automaton()
        return cls(actors, automaton)

    def country(self, actor_id: str) -> str | None:
        """The ISO2 country an actor belongs to, when its entry states one."""
        return next((a.country for a in self.actors if a.actor_id == actor_id), None)

    def find(self, nt: NormalizedText, mt: str | None = None) -> list[ActorMention]:
        """Actor mentions in a normalised text, longest match first, no overlaps."""
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
        out: list[ActorMention] = []
        taken: list[tuple[int, int]] = []
        for start, end, alias in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0])):
            if any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            a, b = nt.span_to_original(start, end)
            actor = self.actors[alias.actor]
            conf = WEAK_CONFIDENCE if alias.weak else STRONG_CONFIDENCE
            out.append(ActorMention(a, b, nt.original[a:b], actor.actor_id, actor.name, actor.kind, conf))
        return sorted(out, key=lambda m: m.start)


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
        aliases[key] = _Alias(idx, article, weak, upper)
    elif known.actor == idx and known.article is not None and known.article != article:
        aliases[key] = _Alias(idx, None, known.weak, known.upper_only)


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
        return start - (1 if prefix.endswith("لل") else 2)
    if not alias.article and prefix in keys.AR_PLAIN_PREFIXES:
        return start
    return None

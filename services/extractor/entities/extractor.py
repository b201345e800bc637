"""The entity step's entry point: load resources once, then extract entities from one text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from services.extractor.entities import fuzzy_places, gazetteer
from services.extractor.entities.actors import ActorDictionary
from services.extractor.entities.context import PlaceContext
from services.extractor.entities.dates import find_dates
from services.extractor.entities.fuzzy_places import FuzzyPlaceFinder
from services.extractor.entities.model import ActorMention, Entities, PersonMention, PlaceMention
from services.extractor.entities.people import PeopleFinder
from services.extractor.entities.places import find_places, match_text
from services.extractor.entities.resources import RESOURCE_DIR
from services.extractor.entities.unknown_places import find_unknown_settlements, merge_unknown
from shared.textnorm import normalize


@dataclass
class EntityExtractor:
    """Places, actors, people, organisations and dates, from Arabic or English text."""

    gaz: gazetteer.Gazetteer
    place_ctx: PlaceContext
    actors: ActorDictionary
    people: PeopleFinder
    fuzzy: FuzzyPlaceFinder

    @classmethod
    def load(
        cls, cache_dir: Path, extra_actor_files: Sequence[Path] = (), resource_dir: Path = RESOURCE_DIR
    ) -> EntityExtractor:
        """Build or load the cached gazetteer under ``cache_dir`` and the dictionaries; once per process."""
        place_ctx = PlaceContext.load(resource_dir)
        return cls(
            gazetteer.load(Path(cache_dir), resource_dir),
            place_ctx,
            ActorDictionary.load(extra_actor_files, resource_dir),
            PeopleFinder(resource_dir),
            FuzzyPlaceFinder.load(place_ctx, resource_dir),
        )

    def extract(
        self, text: str, lang: str, published: str | None = None, countries: Counter[str] | None = None
    ) -> Entities:
        """All entities of ``text`` (``lang`` "ar" or "en"); relative dates resolve against ``published``.

        ``countries``: where the surrounding text is (a headline's article body), for reading a
        shared alias when ``text`` itself names no place.
        """
        nt = normalize(text)
        mt = match_text(nt)
        matched = self.actors.match(nt, mt)
        # Spans first, for the place step; an alias shared by several actors ("civil defence") is then
        # read by the countries the places name.
        actors = self.actors.resolve(nt, matched, None)
        # A place inside an actor's name is part of the name ("US" in "US-led coalition"), unless it is
        # the actor's own country: then it is kept, marked, and left out of the passes below.
        hits = find_places(self.gaz, nt, self.place_ctx, mt)
        places = [p for p in hits if _holding_actor(p, actors) is None]
        named = self._places_in_actor_names(hits, actors)
        if lang == "ar":
            # Villages GeoNames names only in Latin script, read after a settlement word.
            found = self.fuzzy.find(self.gaz, nt, places, self.place_ctx, mt)
            places = fuzzy_places.merge(places, [f for f in found if not _inside_actor(f, actors)])
        if lang == "en":
            unknown = [
                u
                for u in find_unknown_settlements(text, places, self.place_ctx.name_stop)
                if not any(a.start < u.end and u.start < a.end for a in actors)
            ]
            places = merge_unknown(places, unknown)
        places = sorted([*places, *named], key=lambda m: m.start)
        people = self.people.people(text, lang)
        # A town inside the name a role word introduces is the person's ("Interior Minister
        # Tula Ivanov"): at home too, where the gazetteer's town would otherwise win.
        places = [p for p in places if not _in_role_name(p, people)]
        # A shared alias dropped for want of a country still names no person ("Civil Defence").
        spans = [(m.start, m.end) for m in actors]
        named_here = Counter(p.country for p in places if p.country)
        actors = self.actors.resolve(nt, matched, named_here or countries or Counter())
        # A name that is an actor or place ("Syrian Observatory") is not a person.
        taken = spans + [(m.start, m.end) for m in places]
        people = [p for p in people if not any(a <= p.start and p.end <= b for a, b in taken)]
        return Entities(
            places=places,
            actors=actors,
            people=people,
            organisations=self.people.organisations(nt, actors),
            dates=find_dates(nt, published),
        )

    def _places_in_actor_names(
        self, hits: list[PlaceMention], actors: list[ActorMention]
    ) -> list[PlaceMention]:
        """Places inside an actor's name that are in the actor's own country ("Gaza" in "Gaza health
        ministry", "Myanmar" in "Myanmar junta"), marked with the actor's id."""
        kept: list[PlaceMention] = []
        for place in hits:
            actor = _holding_actor(place, actors)
            if actor is not None and place.country and place.country == self.actors.country(actor.actor_id):
                kept.append(replace(place, in_actor=actor.actor_id))
        return kept


def _holding_actor(place: PlaceMention, actors: list[ActorMention]) -> ActorMention | None:
    """The actor whose longer name holds the place mention, if any."""
    return next(
        (
            a
            for a in actors
            if a.start <= place.start and place.end <= a.end and (a.end - a.start) > (place.end - place.start)
        ),
        None,
    )


def _inside_actor(place: PlaceMention, actors: list[ActorMention]) -> bool:
    return any(a.start < place.end and place.start < a.end for a in actors)


def _in_role_name(place: PlaceMention, people: Sequence[PersonMention]) -> bool:
    """The place is a word of a person's name given with a role, not the whole name nor a region."""
    if place.feature in ("country", "admin1"):
        return False
    return any(
        p.role
        and p.start <= place.start
        and place.end <= p.end
        and (p.end - p.start) > (place.end - place.start)
        for p in people
    )

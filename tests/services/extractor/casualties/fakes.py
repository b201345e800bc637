"""A tiny stand-in for the entity step: exact-match places from a made-up gazetteer."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

# surface -> (English name, feature, admin1, population), features as the entity step reports them.
GAZETTEER = {
    "Kafr Hamra": ("Kafr Hamra", "village", "01", 0),
    "كفر حمرا": ("Kafr Hamra", "village", "01", 0),
    "Tell Safi": ("Tell Safi", "village", "01", 0),
    "تل صافي": ("Tell Safi", "village", "01", 0),
    "Nahrayn": ("Nahrayn", "city", "01", 250_000),
    "نهرين": ("Nahrayn", "city", "01", 250_000),
    "Wadi Province": ("Wadi Province", "admin1", "01", 0),
    "محافظة وادي": ("Wadi Province", "admin1", "01", 0),
    "Bayt Lahm": ("Bayt Lahm", "city", "02", 20_000),
    "Ruritania": ("Ruritania", "country", None, 0),
}


@dataclass(frozen=True)
class FakePlace:
    start: int
    end: int
    surface: str
    name: str
    feature: str
    admin1: str | None
    population: int
    country: str = "RU"
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    qualifier: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FakeEntities:
    places: list[FakePlace] = field(default_factory=list)
    actors: list[Any] = field(default_factory=list)
    people: list[Any] = field(default_factory=list)
    organisations: list[Any] = field(default_factory=list)
    dates: list[Any] = field(default_factory=list)

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "places": [p.to_dict() for p in self.places],
            "actors": [],
            "people": [],
            "organisations": [],
            "dates": [],
        }


def find_places(text: str) -> FakeEntities:
    """Every gazetteer surface in ``text``, longest first where two overlap."""
    found: list[FakePlace] = []
    for surface in sorted(GAZETTEER, key=len, reverse=True):
        name, feature, admin1, pop = GAZETTEER[surface]
        for m in re.finditer(re.escape(surface), text):
            if not any(p.start < m.end() and m.start() < p.end for p in found):
                found.append(FakePlace(m.start(), m.end(), surface, name, feature, admin1, pop))
    return FakeEntities(sorted(found, key=lambda p: p.start))


class FakeExtractor:
    """Has the entity step's ``extract`` signature."""

    def extract(
        self, text: str, lang: str, published: str | None = None, countries: Counter[str] | None = None
    ) -> FakeEntities:
        return find_places(text)

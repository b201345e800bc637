"""A tiny stand-in for the entity step: exact-match places from a made-up gazetteer.

It answers with the entity step's own types (:class:`Entities`, :class:`PlaceMention`), so a field
renamed or added there reaches these tests as it reaches the worker."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from services.extractor.entities.model import Entities, PlaceMention

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


GAZETTEER_FIELDS = ("name", "feature", "admin1", "population")  # of PlaceMention, as GAZETTEER holds them
# What the made-up gazetteer does not know: no GeoNames id or coordinates; an exact match, every
# place in Ruritania.
UNMAPPED: dict[str, Any] = {"geonameid": None, "country": "RU", "lat": None, "lon": None, "confidence": 1.0}


def place(start: int, end: int, surface: str) -> PlaceMention:
    """The mention of a gazetteer surface found at ``start:end``."""
    facts: dict[str, Any] = dict(zip(GAZETTEER_FIELDS, GAZETTEER[surface], strict=True))
    return PlaceMention(start=start, end=end, surface=surface, **facts, **UNMAPPED)


def find_places(text: str) -> Entities:
    """Every gazetteer surface in ``text``, longest first where two overlap."""
    found: list[PlaceMention] = []
    for surface in sorted(GAZETTEER, key=len, reverse=True):
        for m in re.finditer(re.escape(surface), text):
            if not any(p.start < m.end() and m.start() < p.end for p in found):
                found.append(place(m.start(), m.end(), surface))
    return Entities(places=sorted(found, key=lambda p: p.start))


class FakeExtractor:
    """Has the entity step's ``extract`` signature."""

    def extract(
        self, text: str, lang: str, published: str | None = None, countries: Counter[str] | None = None
    ) -> Entities:
        return find_places(text)

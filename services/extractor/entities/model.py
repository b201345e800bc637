"""Entity mention types returned by :class:`EntityExtractor`: frozen, JSON-able, offsets into the original text."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


class _Mention:
    """A mention goes on the wire as the plain dict of its fields."""

    __slots__ = ()

    def to_dict(self: DataclassInstance) -> dict[str, Any]:
        """Plain dict for JSON. Every field is a number, a string or None, so a flat copy is the whole
        record (``dataclasses.asdict`` walks each value to copy it: a long page's thousands of mentions)."""
        return {name: getattr(self, name) for name in _field_names(type(self))}


@dataclass(frozen=True, slots=True)
class PlaceMention(_Mention):
    """A place named in the text, resolved to a GeoNames place (or a curated alias)."""

    start: int
    end: int
    surface: str
    geonameid: int | None
    name: str
    country: str
    lat: float | None
    lon: float | None
    feature: str
    admin1: str | None
    population: int
    confidence: float
    qualifier: str | None = None
    source: str = "geonames"
    # Id of the actor whose name holds this mention ("Gaza" in "Gaza health ministry"): a real place
    # the actor belongs to, not where something happened.
    in_actor: str | None = None


@dataclass(frozen=True, slots=True)
class ActorMention(_Mention):
    """A party to the conflict (armed group, state forces, coalition) or a monitor/agency."""

    start: int
    end: int
    surface: str
    actor_id: str
    name: str
    kind: str
    confidence: float


@dataclass(frozen=True, slots=True)
class PersonMention(_Mention):
    """A named person, with a role where the text states one."""

    start: int
    end: int
    surface: str
    name: str
    role: str | None = None
    confidence: float = 0.5


@dataclass(frozen=True, slots=True)
class OrgMention(_Mention):
    """An organisation named in the text; ``is_source`` when the text cites it ("according to ...")."""

    start: int
    end: int
    surface: str
    name: str
    actor_id: str | None = None
    is_source: bool = False
    confidence: float = 0.5


@dataclass(frozen=True, slots=True)
class DateMention(_Mention):
    """A date in the text; ``relative`` when it was resolved against the publication date.

    ``precision`` is how much of ``iso`` the text states: "day", "week" ("earlier this week": ``iso``
    is the Monday of the publication's week) or "month" ("in January": ``iso`` is the month's first
    day). Records written before the field existed hold day dates only. ``said`` marks the day of a
    statement (a word of saying next to it), not of the event the statement reports.
    """

    start: int
    end: int
    surface: str
    iso: str
    relative: bool
    precision: str = "day"
    # The day a statement was made ("officials said on Sunday"): its event was on or before it.
    said: bool = False


@dataclass(frozen=True, slots=True)
class Entities:
    """Everything the entity step found in one text, each list sorted by start offset."""

    places: list[PlaceMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)
    organisations: list[OrgMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        """Plain dict of lists for JSON (the extractor's output record fields)."""
        return {f.name: [m.to_dict() for m in getattr(self, f.name)] for f in fields(self)}

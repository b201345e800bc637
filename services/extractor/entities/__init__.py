"""Entity extraction: places (geocoded), actors, people, organisations and dates.

Usage::

    ex = EntityExtractor.load(cache_dir)          # once per process
    ents = ex.extract(text, "ar", published="2017-10-05")
"""

from services.extractor.entities.extractor import EntityExtractor
from services.extractor.entities.model import (
    ActorMention,
    DateMention,
    Entities,
    OrgMention,
    PersonMention,
    PlaceMention,
)

__all__ = [
    "ActorMention",
    "DateMention",
    "Entities",
    "EntityExtractor",
    "OrgMention",
    "PersonMention",
    "PlaceMention",
]

"""The extractor's pure logic: one article in, entities and casualty figures out.

The worker (``app.py``) and the offline commands (``offline.py``) both call
:func:`extract_article`, so what is evaluated is exactly what runs in the stream.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from services.extractor.casualties import extract_figures
from services.extractor.casualties.lexicon import LANGS
from services.extractor.figure_dates import event_day
from shared.records import CasualtyFigure, FigurePart, from_payload

if TYPE_CHECKING:
    from services.extractor.entities import Entities, EntityExtractor

# Matching cost grows faster than the text (figures x places x tokens): a hostile or runaway page of
# megabytes would hold the worker for minutes. Past this (about 8,000 words, longer than nearly any
# news article) the rest of the text is not searched; offsets stay valid, the kept part is a prefix.
MAX_TEXT_CHARS = 50_000
MAX_TITLE_CHARS = 1_000
# Cut at a sentence end when there is one in the last stretch before the limit.
_SENTENCE_ENDS = (".", "!", "?", "\u061f", "\n")
_CUT_WINDOW = 2_000


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """What the extractor needs of a parsed article."""

    article_id: str
    title: str | None
    text: str
    lang: str
    published: str | None = None


@dataclass(slots=True)
class ArticleExtraction:
    """Casualty figures (typed records) and entity mentions (JSON-able dicts) of one article."""

    casualties: list[CasualtyFigure] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    organisations: list[dict[str, Any]] = field(default_factory=list)
    dates: list[dict[str, Any]] = field(default_factory=list)

    def record_fields(self) -> dict[str, Any]:
        """The fields of ``shared.records.ExtractedArticle`` this fills, which bear the same names."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def load_entities(cache_dir: Path) -> EntityExtractor:
    """Load the entity step once per process (the gazetteer index is cached under ``cache_dir``)."""
    from services.extractor.entities import EntityExtractor

    return EntityExtractor.load(Path(cache_dir))


def extract_article(doc: ArticleInput, entities: EntityExtractor | None) -> ArticleExtraction:
    """Entities and casualty figures of one article; no figures for a language without resources."""
    title = bounded(doc.title, MAX_TITLE_CHARS) if doc.title else doc.title
    doc = replace(doc, text=bounded(doc.text, MAX_TEXT_CHARS), title=title)
    body_ents = entities.extract(doc.text, doc.lang, doc.published) if entities is not None else None
    # A headline names few places: the body's say which country its "civil defence" is.
    body_countries = (
        Counter(p.country for p in body_ents.places if p.country) if body_ents is not None else None
    )
    title_ents = (
        entities.extract(doc.title, doc.lang, doc.published, body_countries)
        if entities is not None and doc.title
        else None
    )
    out = ArticleExtraction()
    # Title mentions first (reading order), marked like title figures: their offsets are into the title.
    if title_ents is not None:
        add_mentions(out, title_ents, in_title=True)
    if body_ents is not None:
        add_mentions(out, body_ents, in_title=False)
    if doc.lang in LANGS:
        figures = extract_figures(doc.text, doc.lang, doc.title, body_ents, title_ents)
        out.casualties = figure_records(figures, out.dates, doc.published)
    return out


def figure_records(
    figures: list[dict[str, Any]], dates: list[dict[str, Any]], published: str | None
) -> list[CasualtyFigure]:
    """The figures as records: each with its event day and how it was decided, parts nested in it."""
    parts: dict[int, list[FigurePart]] = {}
    for f in figures:
        parent = f.get("subset_of")
        if isinstance(parent, int):
            parts.setdefault(parent, []).append(from_payload(FigurePart, f))
    records = []
    for index, f in enumerate(figures):
        day, basis = event_day(f, dates, published)
        fields = {**f, "parts": [], "event_date": day, "date_basis": basis}
        record = from_payload(CasualtyFigure, fields)
        record.parts = parts.get(index, [])
        records.append(record)
    return records


def add_mentions(out: ArticleExtraction, ents: Entities, *, in_title: bool) -> None:
    """Append one text's mentions to the record's lists, each marked with the text its offsets are into.

    A place named in both the title and the body stays two mentions (two spans): consumers look
    places up by id or name (the aggregator's place facts), so neither is counted twice."""
    listed = ents.to_dict()
    for kept, mentions in (
        (out.places, listed["places"]),
        (out.actors, listed["actors"]),
        (out.people, listed["people"]),
        (out.organisations, listed["organisations"]),
        (out.dates, listed["dates"]),
    ):
        kept.extend({**m, "in_title": in_title} for m in mentions)


def bounded(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a sentence end near the limit when there is one."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    end = max(head.rfind(mark, limit - _CUT_WINDOW) for mark in _SENTENCE_ENDS)
    return head[: end + 1] if end >= 0 else head

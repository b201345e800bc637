"""Record types on the pipeline's topics: the contract between stages.

Each record carries ``schema`` (the version of its layout), the article id and
``entered_at`` (epoch seconds when the article entered ``articles.raw``) so
end-to-end latency can be measured at every stage. Consumers tolerate fields
they do not know: :func:`decode` ignores them, so a newer producer does not
break an older consumer.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import faust
import orjson

from shared import codec

SCHEMA_VERSION = 1


class WireRecord(faust.Record, abstract=True, serializer=codec.CODEC_NAME, include_metadata=False):
    """Base of every record on the wire: plain orjson JSON, no faust metadata."""


class RawArticle(WireRecord):
    """``articles.raw``: a page as fetched or published, before any parsing.

    Exactly one of ``html`` (decoded markup), ``body_b64`` (the raw bytes, base64,
    when the encoding is left to the parser) or ``text`` (plain text) is set.
    """

    article_id: str
    url: str | None = None
    html: str | None = None
    body_b64: str | None = None
    text: str | None = None
    charset: str | None = None
    content_type: str | None = None
    title: str | None = None
    published: str | None = None
    lang: str | None = None
    source: str | None = None
    http_status: int | None = None
    fetched_at: float | None = None
    entered_at: float = 0.0
    schema: int = SCHEMA_VERSION


class ParsedArticle(WireRecord):
    """``articles.parsed``: main text and metadata, with normalised text for matching.

    ``sentences`` are [start, end) offsets into ``text``. ``norm_runs`` maps
    ``text_norm`` back to ``text`` (see :mod:`shared.textnorm`).
    """

    article_id: str
    url: str | None
    canonical_url: str | None
    site: str | None
    title: str | None
    text: str
    lang: str
    published: str | None = None
    published_source: str | None = None
    content_hash: str = ""
    text_norm: str = ""
    norm_runs: list[list[int]] = []  # defaults are shared: never mutate a record's lists
    sentences: list[list[int]] = []
    extraction: str = "trafilatura"
    warnings: list[str] = []
    entered_at: float = 0.0
    parsed_at: float = 0.0
    schema: int = SCHEMA_VERSION


# How a figure's event day was decided (CasualtyFigure.date_basis), strongest first: a date the
# text states, a relative one resolved against publication, the day a statement gave the toll
# ("officials said on Sunday": the event was that day or before), the publication day, or none.
STATED, RELATIVE, SAID, PUBLISHED, RECEIVED = "stated", "relative", "said", "published", "received"
DATE_BASES = (STATED, RELATIVE, SAID, PUBLISHED, RECEIVED)
# Bases whose day is only the latest the event can have been: a report comes out after its event.
UPPER_BOUND_BASES = frozenset({SAID, PUBLISHED})


def incident_date_basis(bases: Iterable[str]) -> str:
    """How an incident's day is known from its reports' bases: "text" (a report states the event's
    day), "published" (only days the event was on or before) or "received" (no report has a day)."""
    given = set(bases)
    if given & {STATED, RELATIVE}:
        return "text"
    return PUBLISHED if given & UPPER_BOUND_BASES else RECEIVED


class FigurePlace(WireRecord):
    """Where a figure happened, with the hierarchy merging needs (GeoNames, or the text's own name)."""

    name: str | None  # the name for readers (English)
    geonameid: int | None = None  # None: a place GeoNames lacks, named as the text names it
    feature: str | None = None  # "village", "city", "neighbourhood", "admin1", "country", ...
    admin1: str | None = None  # the province's GeoNames admin1 code
    country: str | None = None  # ISO 3166 alpha-2
    lat: float | None = None
    lon: float | None = None
    source: str | None = None  # "geonames", "alias", "transliteration" or "text"


# A news sentence rarely passes 300 characters; a longer "sentence" is a list, a table or text with
# no stops: a figure's ``sentence`` is then a window of this many characters around its evidence.
MAX_SENTENCE_CHARS = 600


class FigurePart(WireRecord):
    """A part of a figure ("including 7 children"): never added to it, its breakdown."""

    kind: str
    count: int
    victims: str = "people"
    qualifier: str = "exact"
    evidence: str = ""
    start: int = 0
    end: int = 0
    in_title: bool = False


class CasualtyFigure(WireRecord):
    """One casualty figure as the extractor read it (SCHEMA.md fields, plus where, when and evidence).

    ``location`` is ``place.name`` (the gold format's field); ``location_id``, ``country``, ``lat``
    and ``lon`` repeat ``place`` for readers of the topic. ``event_date`` is the day the figure's
    event happened as the text tells it, ``date_basis`` how that was decided: "stated" (a date in
    the text), "relative" ("on Monday", against publication), "said" (the day a statement gave
    the figure: the event was on or before it), "published" (the publication day) or "received" (the article gave no date at all: ``event_date`` is None). A part has ``subset_of``
    (the index of its figure) and is also nested in that figure's ``parts``.
    """

    kind: str
    count: int
    qualifier: str = "exact"
    victims: str = "people"
    scope: str = "incident"
    count_high: int | None = None
    location: str | None = None
    location_id: int | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    place: FigurePlace | None = None
    actor: str | None = None
    subset_of: int | None = None
    parts: list[FigurePart] = []  # defaults are shared: never mutate a record's lists
    event_date: str | None = None
    date_basis: str = "published"
    evidence: str = ""
    start: int = 0
    end: int = 0
    # The sentence the figure is stated in (a window of it when very long) and its offset in the same
    # text as ``start``: what a reader checks the number against. Records before it: "" and 0.
    sentence: str = ""
    sentence_start: int = 0
    in_title: bool = False
    confidence: float = 0.0


class ExtractedArticle(WireRecord):
    """``articles.extracted``: entities and casualty figures of one article.

    Each figure is a :class:`CasualtyFigure`; entity mentions are JSON objects as described in the
    README (places, actors, people, organisations, dates).
    """

    article_id: str
    url: str | None
    site: str | None
    title: str | None
    lang: str
    published: str | None = None
    content_hash: str = ""
    casualties: list[CasualtyFigure] = []
    places: list[dict[str, Any]] = []
    actors: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    organisations: list[dict[str, Any]] = []
    dates: list[dict[str, Any]] = []
    entered_at: float = 0.0
    extracted_at: float = 0.0
    schema: int = SCHEMA_VERSION


class FigureEvent(WireRecord):
    """``aggregator.figures``: one casualty figure, keyed by its block (country and kind).

    Everything an incident can be merged on travels with the figure, so every
    figure that might describe the same incident meets in one partition.
    ``subsets`` are the figures that break this one down ("including 7 children").
    """

    figure_id: str
    article_id: str
    block: str
    kind: str
    count: int
    qualifier: str
    victims: str
    scope: str
    place: str | None
    place_id: int | None
    place_level: str | None  # "city", "village", "admin1", "country", ... (from the gazetteer)
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    actor: str | None
    event_date: str
    published: str | None
    url: str | None
    site: str | None
    content_hash: str
    evidence: str
    start: int
    end: int
    subsets: list[dict[str, Any]] = []  # defaults are shared: never mutate a record's lists
    sentence: str = ""  # the evidence's sentence and its offset (CasualtyFigure's); "" and 0 before it
    sentence_start: int = 0
    entered_at: float = 0.0
    # How event_date was decided: "stated" (a date in the text), "relative" ("on Monday", resolved
    # against publication), "said" (a statement's day), "published" (the publication day), "received" (no date at all: the day
    # the article entered the pipeline stands in). Records from before it carried this: "published".
    date_basis: str = "published"
    # The largest incident count of this kind its article states (0: not known): a much smaller
    # figure of the same article is a detail of the event, not a report of its toll.
    article_top: int = 0
    schema: int = SCHEMA_VERSION


class IncidentRecord(WireRecord):
    """``casualties.incidents``: the latest state of one incident or running toll, keyed by its id.

    ``type`` is ``incident`` (figures merged across outlets: best, low, high) or
    ``toll`` (a cumulative series: latest value and history); the full document
    is in ``data`` (see the README's API section).
    """

    id: str
    type: str
    data: dict[str, Any]
    updated_at: float
    entered_at: float = 0.0
    schema: int = SCHEMA_VERSION


class DeadLetter(WireRecord):
    """``<topic>.deadletter``: a message a stage could not handle, with why."""

    stage: str
    reason: str
    detail: str
    topic: str
    partition: int
    offset: int
    key_b64: str | None
    value_b64: str
    failed_at: float
    schema: int = SCHEMA_VERSION


class BadRecord(ValueError):
    """A message that cannot become the record its topic promises."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


R = TypeVar("R", bound=WireRecord)


Check = Callable[[Any], bool]
Nest = Callable[[Any, str], Any]


@functools.cache
def _checker(annotation: Any) -> Check:
    """The shallow type check of a decoded JSON value against a field annotation, worked out once per
    annotation (reading the annotation on every value was a third of the merge step's time)."""
    if annotation is Any:
        return lambda value: True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        parts = tuple(_checker(arg) for arg in typing.get_args(annotation))
        return lambda value: any(part(value) for part in parts)
    if annotation is type(None):
        return lambda value: value is None
    if _is_record(annotation):
        return lambda value: isinstance(value, dict)
    wanted = origin if origin is not None else annotation
    if wanted is float:
        return lambda value: isinstance(value, int | float) and not isinstance(value, bool)
    if wanted is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    return lambda value: isinstance(value, wanted)


def _is_record(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, WireRecord)


@functools.cache
def _nester(annotation: Any) -> Nest | None:
    """How a JSON value becomes its annotation's record types; None where it is kept as it is."""
    if _is_record(annotation):
        return lambda value, where: _from_payload(annotation, value, where)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        records = [a for a in args if _is_record(a)]
        return (lambda value, where: _from_payload(records[0], value, where)) if records else None
    if origin is list and args and _is_record(args[0]):
        return lambda value, where: _records_of(args[0], value, where)
    return None


def _records_of(cls: type[R], items: list[Any], where: str) -> list[R]:
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise BadRecord("wrong_type", f"{where}[{i}] has type {type(item).__name__}")
    return [_from_payload(cls, item, f"{where}[{i}]") for i, item in enumerate(items)]


def decode(cls: type[R], raw: bytes | None) -> R:
    """Turn message bytes into ``cls``, or raise :class:`BadRecord` saying why."""
    if not raw:
        raise BadRecord("empty", "message has no value")
    try:
        payload = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadRecord("not_json", str(exc)[:200]) from None
    return from_payload(cls, payload)


def from_payload(cls: type[R], payload: Any) -> R:
    """Validate a decoded JSON object against ``cls``; unknown fields are ignored, nested records built."""
    return _from_payload(cls, payload, cls.__name__)


def _from_payload(cls: type[R], payload: Any, where: str) -> R:
    if not isinstance(payload, dict):
        raise BadRecord("not_object", f"expected a JSON object, got {type(payload).__name__}")
    version = payload.get("schema", SCHEMA_VERSION)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise BadRecord("schema_version", f"unsupported schema version {version!r}")
    kwargs: dict[str, Any] = {}
    for name, required, check, nest in _plan(cls):
        if name not in payload:
            if required:
                raise BadRecord("missing_field", f"{where}.{name} is required")
            continue
        value = payload[name]
        if not check(value):
            raise BadRecord("wrong_type", f"{where}.{name} has type {type(value).__name__}")
        kwargs[name] = value if value is None or nest is None else nest(value, f"{where}.{name}")
    return cls(**kwargs)


_Plan = tuple[tuple[str, bool, Check, Nest | None], ...]
_PLANS: dict[type, _Plan] = {}


def _plan(cls: type[WireRecord]) -> _Plan:
    """Each field of ``cls`` with whether it is required, its type check and how it nests."""
    plan = _PLANS.get(cls)
    if plan is None:
        defaults = cls._options.defaults
        plan = _PLANS[cls] = tuple(
            (name, name not in defaults, _checker(annotation), _nester(annotation))
            for name, annotation in typing.get_type_hints(cls).items()
            if not name.startswith("_")
        )
    return plan


def b64(data: bytes | None) -> str | None:
    """Base64 text of raw bytes, for carrying them inside JSON."""
    return None if data is None else base64.b64encode(data).decode("ascii")


def article_id_for(url: str | None, content: str | bytes | None = None) -> str:
    """The article id: a hash of the canonical URL, or of the content where there is none."""
    basis: bytes
    if url:
        basis = url.strip().encode("utf-8")
    elif isinstance(content, bytes):
        basis = content
    else:
        basis = (content or "").encode("utf-8")
    return hashlib.sha256(basis).hexdigest()[:20]

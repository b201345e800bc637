"""Reports as the view shows them: typed, their evidence split around the figure's own span.

An incident's estimate is explained from the same reports the aggregator computed it from,
by the rule in ``services.aggregator.documents`` (latest article's count, raised to the
largest lower bound).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.aggregator.documents import LOWER_BOUNDS
from services.aggregator.web.safe import MAX_FIELD_CHARS, integer, text, web_url
from shared.records import MAX_SENTENCE_CHARS

QUALIFIERS = {
    "exact": "",
    "at_least": "at least",
    "more_than": "more than",
    "about": "about",
    "up_to": "up to",
}
DATE_BASES = {
    "stated": "a date stated in the text",
    "relative": "a relative date in the text, against publication",
    "said": "the day a statement gave the figure: the event was then or before",
    "published": "the publication day",
    "received": "no date: the day it was received",
}
# A document holds the reports one incident gathered; more than this was not written by the aggregator.
MAX_REPORTS = 1_000
MAX_SUBSETS = 20  # parts of one figure: "including 7 children and 3 women"


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence in three pieces: before the figure's span, the span, after it."""

    before: str
    span: str
    after: str


@dataclass(frozen=True, slots=True)
class Report:
    """One report of an incident or one point of a toll's history."""

    index: int
    site: str
    url: str | None
    published: str
    count: int | None
    qualifier: str
    victims: str
    event_date: str
    date_basis: str
    evidence: Evidence
    subsets: list[tuple[str, int]] = field(default_factory=list)
    figure_id: str = ""
    article_id: str = ""

    @property
    def stated(self) -> str:
        """The count as the outlet stated it: "at least 17"."""
        words = QUALIFIERS.get(self.qualifier, self.qualifier)
        return f"{words} {self.count:,}".strip() if self.count is not None else "?"


def evidence_of(raw: Mapping[str, Any]) -> Evidence:
    """The report's sentence split around its evidence span; the evidence alone when they disagree."""
    span = text(raw.get("evidence"), MAX_SENTENCE_CHARS)
    sentence = text(raw.get("sentence"), MAX_SENTENCE_CHARS)
    at, start, end = (integer(raw.get(k)) for k in ("sentence_start", "start", "end"))
    if sentence and at is not None and start is not None and end is not None:
        lo, hi = start - at, end - at
        if 0 <= lo < hi <= len(sentence) and sentence[lo:hi] == span:
            return Evidence(sentence[:lo], span, sentence[hi:])
    if sentence and span and span in sentence:
        lo = sentence.index(span)
        return Evidence(sentence[:lo], span, sentence[lo + len(span) :])
    return Evidence("", span, "")


def _subsets(raw: object) -> list[tuple[str, int]]:
    out = []
    for part in raw[:MAX_SUBSETS] if isinstance(raw, list) else []:
        if isinstance(part, Mapping) and (count := integer(part.get("count"))) is not None:
            out.append((text(part.get("victims")) or "people", count))
    return out


def report_of(index: int, raw: object) -> Report | None:
    """A report read from its document, None when it is not an object."""
    if not isinstance(raw, Mapping):
        return None
    return Report(
        index=index,
        site=text(raw.get("site")) or text(raw.get("url")) or "(unknown outlet)",
        url=web_url(raw.get("url")),
        published=text(raw.get("published"), 40),
        count=integer(raw.get("count")),
        qualifier=text(raw.get("qualifier"), 20) or "exact",
        victims=text(raw.get("victims"), 20) or "people",
        event_date=text(raw.get("event_date"), 40),
        date_basis=text(raw.get("date_basis"), 20),
        evidence=evidence_of(raw),
        subsets=_subsets(raw.get("subsets")),
        figure_id=text(raw.get("figure_id"), MAX_FIELD_CHARS),
        article_id=text(raw.get("article_id"), MAX_FIELD_CHARS),
    )


def reports_of(doc: Mapping[str, Any], field_name: str) -> list[Report]:
    """The document's reports (``reports`` of an incident, ``history`` of a toll), in its order."""
    raw = doc.get(field_name)
    items = raw[:MAX_REPORTS] if isinstance(raw, list) else []
    return [r for r in (report_of(i, x) for i, x in enumerate(items)) if r is not None]


def when(value: str) -> str:
    """An ISO timestamp as "2026-11-23 10:00 UTC+00:00"; anything else as given."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if len(value) <= 10:
        return moment.date().isoformat()
    zone = moment.strftime("%z")
    label = "UTC" if zone in ("+0000", "") else f"UTC{zone[:3]}:{zone[3:]}"
    return f"{moment:%Y-%m-%d %H:%M} {label}"


def explain_estimate(best: int | None, reports: Sequence[Report]) -> str:
    """How ``best`` was chosen from ``reports``, in the aggregator's own rule."""
    counted = [r for r in reports if r.count is not None]
    if best is None or not counted:
        return "No report gives a count."
    latest = max(counted, key=lambda r: (r.published, r.figure_id))
    own = max((r for r in counted if r.article_id == latest.article_id), key=lambda r: r.count or 0)
    floors = [r for r in counted if r.qualifier in LOWER_BOUNDS]
    floor = max(floors, key=lambda r: r.count or 0) if floors else None
    source = f"{latest.site}, {when(latest.published) or 'no publication time'}"
    if floor is not None and (floor.count or 0) > (own.count or 0) and floor.count == best:
        return (
            f"The latest report ({source}) says {own.stated}; the best estimate is raised to the largest "
            f"lower bound any outlet gave, {floor.stated} ({floor.site}): a later smaller count does "
            'not undo an earlier "at least".'
        )
    revised = " (its article's largest: it gives a first and a revised count)" if own is not latest else ""
    return f"The latest report's count{revised}: {own.stated}, {source}."

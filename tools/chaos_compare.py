"""Comparing two runs of one corpus: canonical aggregator answers, lost articles, double counts.

Two runs of the same corpus legitimately differ in what depends on arrival order:
incident ids (a hash of the first report's figure id), timestamps, report order, and
which copy of a republished story was counted (the original or the mirror's).
:func:`canonical_state` removes exactly those differences, so any difference left is
a real one. Pure functions over decoded API answers and the generator's corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from shared.records import article_id_for
from tools.generator import GeneratedArticle

Doc = dict[str, Any]
INCIDENT_FIELDS = (
    "kind", "victims", "place", "place_id", "place_level", "admin1", "country", "actor",
    "event_date", "last_event_date", "best", "low", "high", "breakdown", "first_reported", "last_reported",
)  # fmt: skip
TOLL_FIELDS = ("id", "kind", "victims", "place", "place_id", "country", "latest", "latest_published")
REPORT_FIELDS = ("count", "qualifier", "victims", "published", "evidence", "start", "end", "subsets")


@dataclass(frozen=True, slots=True)
class CorpusIndex:
    """What the generator knows about each article id: its original and that original's outlet."""

    original: Mapping[str, str]  # article id -> article id of the story it copies (itself if none)
    site: Mapping[str, str]  # article id -> outlet name of its original

    @property
    def article_ids(self) -> set[str]:
        """Every distinct article id of the corpus (duplicates share one)."""
        return set(self.original)


def index_corpus(corpus: Iterable[GeneratedArticle]) -> CorpusIndex:
    """Map every article of ``corpus`` to its original story and outlet."""
    articles = list(corpus)
    by_url = {a.url: a for a in articles}
    original: dict[str, str] = {}
    site: dict[str, str] = {}
    for a in articles:
        source = by_url.get(a.expected.republication_of or a.url, a)
        original[article_id_for(a.url)] = article_id_for(source.url)
        site[article_id_for(a.url)] = source.site
    return CorpusIndex(original, site)


def _report(report: Mapping[str, Any], index: CorpusIndex) -> Doc:
    article = index.original.get(report["article_id"], report["article_id"])
    return {k: report.get(k) for k in REPORT_FIELDS} | {"article": article, "site": index.site.get(article)}


def _sorted(items: Iterable[Doc]) -> list[Doc]:
    return sorted(items, key=repr)


def canonical_incident(doc: Mapping[str, Any], index: CorpusIndex) -> Doc:
    """An incident without what depends on arrival order; sources recounted from original outlets."""
    reports = _sorted(_report(r, index) for r in doc.get("reports", ()))
    sites = {r["site"] or r["article"] for r in reports}
    return {k: doc.get(k) for k in INCIDENT_FIELDS} | {"reports": reports, "sources": len(sites)}


def canonical_toll(doc: Mapping[str, Any], index: CorpusIndex) -> Doc:
    """A running-toll series, canonical like :func:`canonical_incident` (its id is already stable)."""
    history = _sorted(_report(r, index) for r in doc.get("history", ()))
    sites = {r["site"] or r["article"] for r in history}
    return {k: doc.get(k) for k in TOLL_FIELDS} | {"history": history, "sources": len(sites)}


def canonical_state(
    incidents: Iterable[Mapping[str, Any]],
    tolls: Iterable[Mapping[str, Any]],
    totals: Mapping[str, Any],
    index: CorpusIndex,
) -> Doc:
    """Everything the aggregator answers, in a form two runs of one corpus must agree on."""
    return {
        "incidents": _sorted(canonical_incident(d, index) for d in incidents),
        "tolls": _sorted(canonical_toll(d, index) for d in tolls),
        "totals": _sorted(totals.get("totals", ())),
    }


def counted_figures(state: Mapping[str, Any]) -> Counter[tuple[str, str, str]]:
    """How often each (original article, kind, scope) is counted in incidents and tolls."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for doc in state["incidents"]:
        for r in doc["reports"]:
            seen[(r["article"], doc["kind"], "incident")] += 1
    for doc in state["tolls"]:
        for r in doc["history"]:
            seen[(r["article"], doc["kind"], "cumulative")] += 1
    return seen


def double_counted(state: Mapping[str, Any]) -> int:
    """Figures counted more than once (a redelivery or a republication that got through twice)."""
    return sum(n - 1 for n in counted_figures(state).values() if n > 1)


def missing_figures(reference: Mapping[str, Any], state: Mapping[str, Any]) -> int:
    """Figures the reference counts that ``state`` does not."""
    return sum((counted_figures(reference) - counted_figures(state)).values())


def differences(reference: Mapping[str, Any], state: Mapping[str, Any], limit: int = 5) -> list[str]:
    """Human-readable differences between two canonical states (at most ``limit`` per part)."""
    out: list[str] = []
    for part in ("incidents", "tolls", "totals"):
        # As multisets: the same incident twice is a difference too.
        want, got = Counter(map(repr, reference[part])), Counter(map(repr, state[part]))
        out += [f"{part}: only in the fault-free run: {d}" for d in list((want - got).elements())[:limit]]
        out += [f"{part}: only in the chaos run: {d}" for d in list((got - want).elements())[:limit]]
    return out


def account(expected_ids: set[str], extracted: set[str], deadlettered: set[str]) -> dict[str, int]:
    """Where the articles went: out (extracted), dead-lettered only, and lost (neither)."""
    dead_only = deadlettered - extracted
    return {
        "articles_in": len(expected_ids),
        "articles_out": len(expected_ids & extracted),
        "dead_lettered": len(expected_ids & dead_only),
        "lost": len(expected_ids - extracted - deadlettered),
    }

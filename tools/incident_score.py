"""The incident-merging measure on real multi-outlet reporting (the same as ``../shared/incidents/score.py``).

A clusters file holds reports, each of one ``cluster``: a real event reported by several outlets
(every report ``same_incident``), or a look-alike pair of two different events (``same_incident``
false). The expected file gives each event's killed low / best / high. Against incident documents
(what ``GET /incidents/{id}`` serves):

- a report *states the event's toll* when one of its killed incident figures lies within the
  event's low-high range; the event's incident is the killed incident holding most such reports;
- per event: whether it holds every one (one incident), the share it holds (coverage), whether its
  best and its low and high equal the expected ones;
- per look-alike pair: whether one killed incident holds both reports (merged: wrong).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Doc = Mapping[str, Any]


def urls_in(value: Any, out: set[str] | None = None) -> set[str]:
    """Every string starting with "http" anywhere inside a JSON value: the reports' URLs."""
    found = set() if out is None else out
    if isinstance(value, str):
        if value.startswith("http"):
            found.add(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            urls_in(item, found)
    elif isinstance(value, list):
        for item in value:
            urls_in(item, found)
    return found


def killed_incidents(documents: Iterable[Doc]) -> list[tuple[Doc, set[str]]]:
    """The killed incidents (no running tolls) with the URLs of the reports each holds."""
    return [
        (doc, urls_in(doc))
        for doc in documents
        if doc.get("kind") == "killed" and doc.get("type", "incident") == "incident"
    ]


def states_event_toll(report: Doc, killed: Mapping[str, Any]) -> bool:
    """Whether the report states a killed incident figure within the event's expected range."""
    low, high = killed.get("low"), killed.get("high")
    return any(
        f.get("kind") == "killed"
        and f.get("scope") == "incident"
        and (low is None or low <= f.get("count", -1) <= high)
        for f in report.get("figures") or []
    )


@dataclass(frozen=True)
class EventRow:
    """How one real event came out."""

    cluster: str
    held: int  # reports stating its toll that its incident holds
    stating: int  # reports stating its toll
    best: int | None
    low: int | None
    high: int | None
    want: Mapping[str, Any]

    @property
    def coverage(self) -> float:
        return self.held / self.stating if self.stating else 1.0

    @property
    def best_right(self) -> bool:
        return self.best == self.want.get("best")

    @property
    def low_high_right(self) -> bool:
        return self.low == self.want.get("low") and self.high == self.want.get("high")


@dataclass(frozen=True)
class PairRow:
    """How one look-alike pair came out."""

    cluster: str
    merged: bool


def score_event(
    cluster: str, reports: Sequence[Doc], killed: Mapping[str, Any], incidents: Sequence[tuple[Doc, set[str]]]
) -> EventRow:
    """One event against the incidents."""
    want = {str(r["url"]) for r in reports if states_event_toll(r, killed)}
    doc, urls = max(incidents, key=lambda item: len(item[1] & want), default=(None, set()))
    if doc is None or not urls & want:
        doc, urls = None, set()
    got = doc or {}
    return EventRow(
        cluster, len(urls & want), len(want), got.get("best"), got.get("low"), got.get("high"), killed
    )


def score(
    reports: Sequence[Doc], expected: Mapping[str, Any], documents: Iterable[Doc]
) -> tuple[list[EventRow], list[PairRow]]:
    """Every event and look-alike pair of the clusters file, scored against the incident documents."""
    incidents = killed_incidents(documents)
    groups: dict[str, list[Doc]] = {}
    for report in reports:
        groups.setdefault(str(report["cluster"]), []).append(report)
    events: list[EventRow] = []
    pairs: list[PairRow] = []
    for cluster, group in sorted(groups.items()):
        if all(r.get("same_incident", True) for r in group):
            killed = (expected.get(cluster) or {}).get("killed") or {}
            events.append(score_event(cluster, group, killed, incidents))
        else:
            first, second = str(group[0]["url"]), str(group[1]["url"])
            pairs.append(PairRow(cluster, any(first in urls and second in urls for _, urls in incidents)))
    return events, pairs


def summary(events: Sequence[EventRow], pairs: Sequence[PairRow]) -> dict[str, Any]:
    """The totals, with the same keys as ``../shared/incidents/score.py`` prints."""
    return {
        "clusters": len(events),
        "clusters_in_one_incident": sum(e.coverage == 1.0 for e in events),
        "report_coverage": round(sum(e.coverage for e in events) / len(events), 3) if events else None,
        "best_exact": sum(e.best_right for e in events),
        "low_high_exact": sum(e.low_high_right for e in events),
        "near_miss_pairs": len(pairs),
        "near_miss_pairs_merged": sum(p.merged for p in pairs),
    }


def table(events: Sequence[EventRow], pairs: Sequence[PairRow]) -> list[str]:
    """The per-event and per-pair table, then the totals, as lines for people."""
    lines = [f"{'event':<6} {'reports in incident':>19} {'best':>11} {'low':>11} {'high':>11}  one? range?"]
    for e in events:
        pairs_got = [
            f"{got}/{e.want.get(name)}" for name, got in (("best", e.best), ("low", e.low), ("high", e.high))
        ]
        reports = f"{e.held}/{e.stating}"
        lines.append(
            f"{e.cluster:<6} {reports:>19} {pairs_got[0]:>11} {pairs_got[1]:>11} {pairs_got[2]:>11}  "
            f"{_yes(e.coverage == 1.0):<4} {_yes(e.low_high_right)}"
        )
    lines.append("(best, low, high: got/expected)")
    for p in pairs:
        lines.append(f"{p.cluster:<6} look-alike pair: {'MERGED (wrong)' if p.merged else 'apart'}")
    s = summary(events, pairs)
    lines.append(
        f"events in one incident: {s['clusters_in_one_incident']} of {s['clusters']}; "
        f"coverage {s['report_coverage']}; best right {s['best_exact']}; low and high right "
        f"{s['low_high_exact']}; look-alike pairs merged {s['near_miss_pairs_merged']} of {s['near_miss_pairs']}"
    )
    return lines


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"

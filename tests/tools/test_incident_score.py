"""The incident-merging measure: events in one incident, coverage, best/low/high, look-alike pairs."""

from __future__ import annotations

from typing import Any

from tools import incident_score


def report(cluster: str, url: str, *counts: int, same: bool = True) -> dict[str, Any]:
    figures = [{"kind": "killed", "count": c, "scope": "incident"} for c in counts]
    return {"cluster": cluster, "url": url, "figures": figures, "same_incident": same}


def incident(*urls: str, best: int, low: int, high: int, kind: str = "killed") -> dict[str, Any]:
    return {
        "id": "i-" + "-".join(urls),
        "type": "incident",
        "kind": kind,
        "best": best,
        "low": low,
        "high": high,
        "reports": [{"url": u} for u in urls],
    }


EXPECTED = {"E1": {"killed": {"low": 10, "best": 14, "high": 14}}}


def test_an_event_whose_reports_all_meet_in_one_incident_with_its_range() -> None:
    reports = [report("E1", "http://a/1", 10), report("E1", "http://b/1", 14)]
    events, pairs = incident_score.score(
        reports, EXPECTED, [incident("http://a/1", "http://b/1", best=14, low=10, high=14)]
    )
    assert pairs == []
    (row,) = events
    assert (row.held, row.stating, row.coverage) == (2, 2, 1.0)
    assert row.best_right and row.low_high_right
    assert incident_score.summary(events, pairs)["clusters_in_one_incident"] == 1


def test_a_split_event_counts_the_larger_part_and_a_report_outside_the_range_is_not_asked_for() -> None:
    reports = [
        report("E1", "http://a/1", 10),
        report("E1", "http://b/1", 14),
        report("E1", "http://c/1", 14),
        report("E1", "http://d/1", 2),  # a part ("two children among them"): not the event's toll
    ]
    docs = [
        incident("http://a/1", best=10, low=10, high=10),
        incident("http://b/1", "http://c/1", best=14, low=14, high=14),
        incident("http://a/1", "http://b/1", "http://c/1", best=14, low=10, high=14, kind="injured"),
    ]
    (row,), _ = incident_score.score(reports, EXPECTED, docs)
    assert (row.held, row.stating) == (2, 3)
    assert row.best_right and not row.low_high_right
    summary = incident_score.summary([row], [])
    assert summary["clusters_in_one_incident"] == 0 and summary["report_coverage"] == 0.667


def test_a_look_alike_pair_in_one_killed_incident_is_merged_and_running_tolls_do_not_count() -> None:
    reports = [report("P1", "http://a/2", 5, same=False), report("P1", "http://b/2", 6, same=False)]
    toll = incident("http://a/2", "http://b/2", best=6, low=5, high=6) | {"type": "toll"}
    _, pairs = incident_score.score(reports, {}, [toll])
    assert [p.merged for p in pairs] == [False]
    _, pairs = incident_score.score(
        reports, {}, [incident("http://a/2", "http://b/2", best=6, low=5, high=6)]
    )
    assert [p.merged for p in pairs] == [True]
    lines = incident_score.table([], pairs)
    assert any("MERGED" in line for line in lines) and "look-alike pairs merged 1 of 1" in lines[-1]

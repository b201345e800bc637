"""Canonical comparison of two runs: order-dependent details ignored, real differences kept."""

from __future__ import annotations

from typing import Any

import pytest

from shared.records import article_id_for
from tools import chaos_compare as cc
from tools.generator import Expected, GeneratedArticle

ORIGINAL = "https://daily.example/a"
MIRROR = "https://mirror.example/a"
OTHER = "https://wire.example/b"


def article(url: str, site: str, copy_of: str | None = None) -> GeneratedArticle:
    expected = Expected("SY|Aleppo|2026-10-01|killed", (), republication_of=copy_of)
    return GeneratedArticle(url, "en", "2026-10-01T08:00:00Z", b"<html/>", "t", expected, "utf-8", site)


@pytest.fixture
def index() -> cc.CorpusIndex:
    return cc.index_corpus(
        [article(ORIGINAL, "Daily"), article(MIRROR, "Mirror", copy_of=ORIGINAL), article(OTHER, "Wire")]
    )


def report(url: str, count: int, site: str, entered_at: float = 1.0) -> dict[str, Any]:
    aid = article_id_for(url)
    return {
        "figure_id": f"{aid}:0",
        "article_id": aid,
        "url": url,
        "site": site,
        "published": "2026-10-01T08:00:00Z",
        "count": count,
        "qualifier": "exact",
        "victims": "people",
        "evidence": "x",
        "start": 0,
        "end": 1,
        "subsets": [],
        "entered_at": entered_at,
    }


def incident(reports: list[dict[str, Any]], id_: str = "inc-1") -> dict[str, Any]:
    return {
        "id": id_,
        "kind": "killed",
        "place": "Aleppo",
        "country": "SY",
        "event_date": "2026-10-01",
        "best": 12,
        "low": 10,
        "high": 12,
        "sites": sorted({r["site"] for r in reports}),
        "sources": len({r["site"] for r in reports}),
        "reports": reports,
        "updated_at": 5.0,
        "entered_at": 1.0,
    }


def state(incidents: list[dict[str, Any]], index: cc.CorpusIndex) -> dict[str, Any]:
    totals = {"totals": [{"country": "SY", "kind": "killed", "best": 12}]}
    return cc.canonical_state(incidents, [], totals, index)


def test_ids_times_order_and_which_copy_do_not_matter(index: cc.CorpusIndex) -> None:
    first = state([incident([report(ORIGINAL, 10, "Daily"), report(OTHER, 12, "Wire")])], index)
    second = state(
        [incident([report(OTHER, 12, "Wire", 9.0), report(MIRROR, 10, "Mirror", 7.0)], id_="inc-2")], index
    )
    assert first == second
    assert first["incidents"][0]["sources"] == 2
    assert cc.double_counted(first) == 0 and cc.missing_figures(first, second) == 0


def test_a_copy_counted_besides_its_original_is_double_counted(index: cc.CorpusIndex) -> None:
    reference = state([incident([report(ORIGINAL, 10, "Daily")])], index)
    run = state(
        [incident([report(ORIGINAL, 10, "Daily")]), incident([report(MIRROR, 10, "Mirror")], "x")], index
    )
    assert cc.double_counted(run) == 1
    assert run != reference
    assert any("only in the chaos run" in line for line in cc.differences(reference, run))


def test_a_lost_report_is_missing_and_different(index: cc.CorpusIndex) -> None:
    reference = state([incident([report(ORIGINAL, 10, "Daily"), report(OTHER, 12, "Wire")])], index)
    run = state([incident([report(ORIGINAL, 10, "Daily")])], index)
    assert cc.missing_figures(reference, run) == 1
    assert cc.differences(reference, run)


def test_a_changed_estimate_is_a_difference(index: cc.CorpusIndex) -> None:
    doc = incident([report(ORIGINAL, 10, "Daily")])
    changed = doc | {"best": 99}
    assert state([doc], index) != state([changed], index)


def test_toll_history_duplicates_count(index: cc.CorpusIndex) -> None:
    toll = {"id": "toll-1", "kind": "killed", "latest": 900, "history": [report(ORIGINAL, 900, "Daily")]}
    twice = toll | {"history": [report(ORIGINAL, 900, "Daily"), report(MIRROR, 900, "Mirror")]}
    once = cc.canonical_state([], [toll], {}, index)
    assert cc.double_counted(once) == 0
    assert cc.double_counted(cc.canonical_state([], [twice], {}, index)) == 1


def test_articles_are_out_dead_lettered_or_lost() -> None:
    acc = cc.account({"a", "b", "c", "d"}, extracted={"a", "b", "x"}, deadlettered={"b", "c"})
    assert acc == {"articles_in": 4, "articles_out": 2, "dead_lettered": 1, "lost": 1}


def test_duplicates_share_an_id(index: cc.CorpusIndex) -> None:
    assert len(index.article_ids) == 3
    assert index.original[article_id_for(MIRROR)] == article_id_for(ORIGINAL)
    assert index.site[article_id_for(MIRROR)] == "Daily"

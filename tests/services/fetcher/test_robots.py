from __future__ import annotations

import pytest

from services.fetcher.robots import RobotsCache, product_token, rules_from_response

ROBOTS = b"""User-agent: wirecount
Disallow: /private/
Crawl-delay: 2

User-agent: *
Disallow: /
"""


def test_rules_for_our_agent_and_others() -> None:
    rules = rules_from_response(200, ROBOTS)
    assert rules.allowed("wirecount", "https://w.example/news/1")
    assert not rules.allowed("wirecount", "https://w.example/private/x")
    assert not rules.allowed("otherbot", "https://w.example/news/1")
    assert rules.crawl_delay("wirecount") == 2.0


@pytest.mark.parametrize(
    ("status", "allowed"), [(404, True), (403, True), (410, True), (500, False), (503, False), (None, False)]
)
def test_missing_or_unreachable_robots(status: int | None, allowed: bool) -> None:
    assert rules_from_response(status, b"").allowed("wirecount", "https://w.example/a") is allowed


def test_product_token() -> None:
    assert product_token("wirecount/0.1 (+https://x.example)") == "wirecount"
    assert product_token("") == "*"


def test_cache_expires_and_unreachable_is_kept_briefly() -> None:
    now = [0.0]
    cache = RobotsCache(ttl_s=3600, clock=lambda: now[0])
    cache.put("https://a.example", rules_from_response(200, ROBOTS))
    cache.put("https://b.example", rules_from_response(503, b""))
    now[0] = 400.0
    assert cache.get("https://a.example") is not None
    assert cache.get("https://b.example") is None  # asked again soon: the outage may be over
    now[0] = 3601.0
    assert cache.get("https://a.example") is None

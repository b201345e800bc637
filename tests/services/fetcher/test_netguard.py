"""The address guard: refusals proven against real loopback servers, never sending elsewhere."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import replace
from typing import Any

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from services.fetcher.http import Fetcher, FetchResult
from services.fetcher.netguard import AddressPolicy, BlockedAddress, GuardedResolver, address_class
from tests.cases import Case, case_name, load_cases
from tests.services.fetcher.site import Site, article
from tests.services.fetcher.test_http import CONFIG

CASES = load_cases("fetcher_addresses.jsonl", needs=("text",))


@pytest.mark.parametrize("case", CASES, ids=case_name)
def test_address_class(case: Case) -> None:
    assert address_class(ipaddress.ip_address(case.text)) == case.expected


def test_allow_list_by_network_and_by_name() -> None:
    policy = AddressPolicy.from_entries(["127.0.0.0/8", "Intranet.Example", " "])
    assert policy.refusal("anything", "127.0.0.5") is None
    assert policy.refusal("intranet.example.", "10.0.0.5") is None
    assert policy.refusal("other.example", "10.0.0.5") == "private"
    assert AddressPolicy().refusal("localhost", "127.0.0.1") == "loopback"


class FakeDNS(AbstractResolver):
    """Answers from a table: no packet leaves the machine."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            {"hostname": host, "host": ip, "port": port, "family": family, "proto": 0, "flags": 0}
            for ip in self.table[host.rstrip(".")]
        ]

    async def close(self) -> None:
        return None


def test_resolver_drops_refused_addresses_and_fails_when_none_left() -> None:
    dns = FakeDNS({"metadata.example": ["169.254.169.254"], "mixed.example": ["10.0.0.1", "93.184.216.34"]})
    resolver = GuardedResolver(AddressPolicy(), dns)
    kept = asyncio.run(resolver.resolve("mixed.example", 80))
    assert [r["host"] for r in kept] == ["93.184.216.34"]
    with pytest.raises(BlockedAddress) as caught:
        asyncio.run(resolver.resolve("metadata.example", 80))
    assert caught.value.reason == "link_local"


def fetch_on(
    setup: Any, path: str, allow: tuple[str, ...], dns: FakeDNS | None = None, host: str = "127.0.0.1"
) -> tuple[FetchResult, Site]:
    """Serve on loopback, fetch ``path`` with the given allow-list, return result and site."""

    async def go() -> tuple[FetchResult, Site]:
        async with Site() as site:
            setup(site)
            config = replace(CONFIG, allow_hosts=allow)
            async with Fetcher(config, inner_resolver=dns) as fetcher:
                result = await fetcher.fetch(f"http://{host}:{site.port}{path}")
            return result, site

    return asyncio.run(go())


def test_loopback_is_refused_without_the_allow_list() -> None:
    result, site = fetch_on(lambda s: s.static("/a", article("A")), "/a", allow=())
    assert result.outcome == "blocked_address" and "loopback" in result.detail
    assert sum(site.hits.values()) == 0  # not even robots.txt was asked


def test_loopback_name_is_refused_after_resolution() -> None:
    dns = FakeDNS({"rebind.example": ["127.0.0.1"]})
    result, site = fetch_on(
        lambda s: s.static("/a", article("A")), "/a", allow=(), dns=dns, host="rebind.example"
    )
    assert result.outcome == "blocked_address" and "loopback" in result.detail
    assert sum(site.hits.values()) == 0


def test_allow_list_by_name_lets_the_name_through() -> None:
    dns = FakeDNS({"test.example": ["127.0.0.1"]})
    result, _ = fetch_on(
        lambda s: s.static("/a", article("A")), "/a", allow=("test.example",), dns=dns, host="test.example"
    )
    assert result.ok


@pytest.mark.parametrize(
    ("target", "outcome", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "blocked_address", "link_local"),
        ("http://10.0.0.1/admin", "blocked_address", "private"),
        ("http://192.168.0.1/", "blocked_address", "private"),
        ("http://127.0.0.2/", "blocked_address", "loopback"),
        ("http://[::1]/", "blocked_address", "loopback"),
        ("http://[::ffff:169.254.169.254]/", "blocked_address", "link_local"),
        ("http://224.0.0.1/", "blocked_address", "multicast"),
        ("file:///etc/passwd", "bad_url", "http"),
        ("ftp://127.0.0.1/x", "bad_url", "http"),
    ],
)
def test_redirects_are_checked_like_the_first_request(target: str, outcome: str, reason: str) -> None:
    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(target)

    # Only the test server itself is allowed: 127.0.0.1/32.
    result, site = fetch_on(lambda s: s.route("/go", redirect), "/go", allow=("127.0.0.1",))
    assert result.outcome == outcome, result
    assert reason in result.detail
    assert site.hits["/go"] == 1


def test_redirect_to_a_refused_name_is_refused() -> None:
    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound("http://metadata.example/latest/")

    dns = FakeDNS({"metadata.example": ["169.254.169.254"]})
    result, _ = fetch_on(lambda s: s.route("/go", redirect), "/go", allow=("127.0.0.1",), dns=dns)
    assert result.outcome == "blocked_address" and "link_local" in result.detail


@pytest.mark.parametrize(
    "host", ["localhost", "127.1", "2130706433", "0x7f000001", "017700000001", "[::ffff:127.0.0.1]", "[::1]"]
)
def test_other_spellings_of_loopback_never_reach_the_server(host: str) -> None:
    result, site = fetch_on(lambda s: s.static("/a", article("A")), "/a", allow=(), host=host)
    assert result.outcome == "blocked_address", result
    assert sum(site.hits.values()) == 0

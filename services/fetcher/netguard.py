"""Keeping the fetcher from being turned against its own host (SSRF).

URLs come from anyone who can publish to ``fetch.sources`` and from any feed, so
every address is checked after DNS resolution: loopback, link-local (cloud
metadata at 169.254.169.254), private, multicast and other non-global addresses
are refused unless the allow-list names the host or its network. The check runs
inside aiohttp's resolver, so the address checked is the address connected to
(no second lookup a rebinding DNS server could answer differently); IP literals,
which aiohttp never resolves, are checked before the request.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class BlockedAddress(OSError):
    """A host that resolves only to addresses the fetcher may not reach.

    An ``OSError`` so that aiohttp wraps it like any resolution failure; the
    fetcher finds it again as the error's cause.
    """

    def __init__(self, host: str, address: str, reason: str) -> None:
        super().__init__(f"{host} -> {address}: {reason} address refused")
        self.host = host
        self.address = address
        self.reason = reason


def address_class(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public address ("loopback", "private", ...), or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link_local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        # Shared address space (100.64/10), documentation ranges, ...
        ("not_global", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


@dataclass(frozen=True)
class AddressPolicy:
    """Which non-public hosts and networks the fetcher may reach anyway (tests, intranets)."""

    allow_hosts: frozenset[str] = frozenset()
    allow_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> AddressPolicy:
        """A policy from allow-list entries: host names, IP addresses or CIDR networks."""
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in (e.strip().lower() for e in entries):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def refusal(self, host: str, address: str) -> str | None:
        """Why connecting to ``address`` (found for ``host``) is refused, or None when allowed."""
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return "unparsable"
        if host.lower().rstrip(".") in self.allow_hosts:
            return None
        if any(ip in net for net in self.allow_networks):
            return None
        return address_class(ip)

    def check_literal(self, url: str) -> None:
        """Raise BlockedAddress when ``url``'s host is an IP literal the policy refuses."""
        host = (urlsplit(url).hostname or "").strip("[]")
        try:
            ipaddress.ip_address(host)
        except ValueError:
            if _legacy_ipv4(host):
                # "127.1", "2130706433", "0x7f000001": no real site is named so; refuse, never guess.
                raise BlockedAddress(host, host, "numeric_host") from None
            return  # a name: checked by GuardedResolver once resolved
        reason = self.refusal(host, host)
        if reason:
            raise BlockedAddress(host, host, reason)


def _legacy_ipv4(host: str) -> bool:
    """True for the shorthand, decimal, octal and hex IPv4 forms that inet_aton accepts."""
    try:
        socket.inet_aton(host)
    except OSError:
        return False
    return True


class GuardedResolver(AbstractResolver):
    """aiohttp resolver that drops refused addresses, and fails when none is left."""

    def __init__(self, policy: AddressPolicy, inner: AbstractResolver | None = None) -> None:
        self.policy = policy
        self.inner = inner or DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """The addresses of ``host`` that the policy allows."""
        results = await self.inner.resolve(host, port, family)
        allowed = [r for r in results if self.policy.refusal(host, r["host"]) is None]
        if not allowed:
            first = results[0]["host"] if results else "?"
            raise BlockedAddress(host, first, self.policy.refusal(host, first) or "no_address")
        return allowed

    async def close(self) -> None:
        """Close the wrapped resolver."""
        await self.inner.close()

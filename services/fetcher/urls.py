"""URL canonicalisation: one spelling per article, so an entry seen once is never fetched again."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only say where a click came from, never which page it is.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "cmpid",
        "ito",
        "ocid",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "at_medium",
        "at_campaign",
        "rss",
        "xtor",
        "wt.mc_id",
        "ftag",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}


class UrlError(ValueError):
    """A URL the fetcher will not touch (wrong scheme, no host, unparsable)."""


def is_tracking(name: str) -> bool:
    """True for a query parameter that tracks clicks rather than naming content."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def check_http_url(url: str) -> str:
    """``url`` stripped, if it is an absolute http(s) URL with a host; UrlError otherwise."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError on a port out of range
    except ValueError as exc:
        raise UrlError(f"unparsable URL {url[:200]!r}: {exc}") from None
    if parts.scheme.lower() not in SCHEMES:
        raise UrlError(f"scheme {parts.scheme or '(none)'!r} is not http(s)")
    if not parts.hostname:
        raise UrlError(f"no host in {url[:200]!r}")
    if parts.username or parts.password:
        raise UrlError("credentials in URLs are refused")
    return url


def canonical_url(url: str) -> str:
    """The canonical form: lower-case scheme and host, no default port, fragment or tracking parameters.

    Also drops a trailing slash on the path (``/a/`` and ``/a`` are one article on
    news sites), sorts the query and normalises percent-escapes.
    """
    parts = urlsplit(check_http_url(url))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~%") or "/"
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k))
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def resolve_link(base: str, link: str) -> str:
    """``link`` made absolute against ``base`` (feeds may give relative links)."""
    return urljoin(base, link.strip())


def host_of(url: str) -> str:
    """Lower-case ``host[:port]`` of ``url``: the unit of politeness."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url``: where its robots.txt lives."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"

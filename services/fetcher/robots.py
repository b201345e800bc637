"""robots.txt: parsed rules per origin, cached with a time to live."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.robotparser import RobotFileParser

# Google reads the first 500 KiB of a robots.txt; so do we.
MAX_ROBOTS_BYTES = 500 * 1024
# After a 5xx or a network failure the site is treated as closed, but only briefly.
UNREACHABLE_TTL_S = 300.0


@dataclass(frozen=True)
class RobotsRules:
    """What one origin's robots.txt allows."""

    parser: RobotFileParser | None  # None: no usable file, everything allowed or nothing
    allow_all: bool = True

    def allowed(self, agent: str, url: str) -> bool:
        """True when ``agent`` may fetch ``url``."""
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float | None:
        """The Crawl-delay asked of ``agent``, if any."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None


def product_token(user_agent: str) -> str:
    """The robots.txt name of a User-Agent: its first word without version ("wirecount/0.1" -> "wirecount")."""
    return user_agent.split()[0].split("/")[0] if user_agent.strip() else "*"


def rules_from_response(status: int | None, body: bytes) -> RobotsRules:
    """Rules for a robots.txt answer; ``status`` None means the request failed.

    As RFC 9309 says: 4xx means no rules (allow all); 5xx or unreachable means
    disallow all for now.
    """
    if status is None or status >= 500:
        return RobotsRules(None, allow_all=False)
    if status >= 400 or not 200 <= status < 300:
        return RobotsRules(None, allow_all=True)
    parser = RobotFileParser()
    text = body[:MAX_ROBOTS_BYTES].decode("utf-8", "replace")
    parser.parse(text.splitlines())
    return RobotsRules(parser)


@dataclass
class RobotsCache:
    """Rules by origin, each kept ``ttl_s`` (shorter when the site was unreachable)."""

    ttl_s: float = 3600.0
    clock: Callable[[], float] = time.monotonic
    _entries: dict[str, tuple[float, RobotsRules]] = field(default_factory=dict)

    def get(self, origin: str) -> RobotsRules | None:
        """Cached rules of ``origin``, or None when absent or expired."""
        entry = self._entries.get(origin)
        if entry is None or entry[0] <= self.clock():
            return None
        return entry[1]

    def put(self, origin: str, rules: RobotsRules) -> None:
        """Remember ``rules`` for ``origin``."""
        ttl = (
            self.ttl_s if rules.parser is not None or rules.allow_all else min(self.ttl_s, UNREACHABLE_TTL_S)
        )
        self._entries[origin] = (self.clock() + ttl, rules)

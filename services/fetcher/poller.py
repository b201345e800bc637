"""Which owned source to poll when: due times, validators and running polls (memory, per replica)."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable

from services.fetcher.crawl import FeedState, Found, PollReport, poll_source
from services.fetcher.http import Fetcher
from services.fetcher.sources import Source

log = logging.getLogger(__name__)

# Spread polls of sources that share an interval, so they do not fire together.
POLL_JITTER = 0.1
# Entries a source listed last time are not sent again, except on every Nth poll: that
# is when pages that failed for passing reasons get their next chance.
RESEND_EVERY = 10

SendFound = Callable[[Found], Awaitable[None]]
OnReport = Callable[[Source, PollReport], None]


class Poller:
    """Starts a poll of each owned source when it is due; one poll per source at a time."""

    def __init__(
        self,
        fetcher: Fetcher,
        send: SendFound,
        on_report: OnReport,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.fetcher = fetcher
        self.send = send
        self.on_report = on_report
        self.clock = clock
        self.due: dict[str, float] = {}
        self.states: dict[tuple[str, str], FeedState] = {}
        self.running: dict[str, asyncio.Task[None]] = {}
        self.sent: dict[str, set[str]] = {}
        self.polls: dict[str, int] = {}

    def tick(self, owned: list[Source]) -> list[str]:
        """Start polls of the owned sources that are due; the names started."""
        now = self.clock()
        names = {s.name for s in owned}
        for name in [n for n in self.due if n not in names]:
            del self.due[name]  # moved to another replica, or deleted
            self.sent.pop(name, None)
            self.polls.pop(name, None)
        started = []
        for source in owned:
            if self.due.get(source.name, 0.0) > now or source.name in self.running:
                continue
            self.due[source.name] = now + source.interval_s * (1 + POLL_JITTER * random.random())
            self.running[source.name] = asyncio.create_task(self.poll(source))
            started.append(source.name)
        return started

    async def poll(self, source: Source) -> None:
        """Poll ``source`` once, report it, and send what it lists."""
        try:
            # Validators belong to a URL: a source whose URL changed starts afresh.
            state = self.states.setdefault((source.name, source.url), FeedState())
            report = await poll_source(self.fetcher, source, state)
            if report.outcome == "ok":
                report.found = self.fresh(source.name, report.found)
            self.on_report(source, report)
            for found in report.found:
                await self.send(found)
        except Exception:  # a poll must never take the timer down with it
            log.exception("source poll crashed", extra={"source": source.name})
        finally:
            self.running.pop(source.name, None)

    def fresh(self, name: str, found: list[Found]) -> list[Found]:
        """The entries of this poll of ``name`` not sent after its previous one (all, every Nth poll)."""
        count = self.polls[name] = self.polls.get(name, 0) + 1
        previous = self.sent.get(name, set()) if count % RESEND_EVERY else set()
        self.sent[name] = {f.canonical_url for f in found}
        return [f for f in found if f.canonical_url not in previous]

    async def wait(self) -> None:
        """Wait for the polls running now (tests, shutdown)."""
        await asyncio.gather(*self.running.values(), return_exceptions=True)

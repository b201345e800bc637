from __future__ import annotations

import asyncio

from services.fetcher.crawl import Found, PollReport
from services.fetcher.http import Fetcher
from services.fetcher.poller import RESEND_EVERY, Poller
from services.fetcher.sources import Source
from tests.services.fetcher.site import Site, rss
from tests.services.fetcher.test_http import CONFIG


def test_polls_when_due_once_at_a_time_and_forgets_sources_it_lost() -> None:
    now = [0.0]

    async def go() -> tuple[list[list[str]], list[str], list[str], Poller]:
        async with Site() as site, Fetcher(CONFIG) as fetcher:
            site.static("/a.xml", rss([("One", site.url("/1"))]))
            site.static("/b.xml", rss([("Two", site.url("/2"))]))
            sent: list[Found] = []
            reports: list[str] = []

            async def send(found: Found) -> None:
                sent.append(found)

            def on_report(source: Source, report: PollReport) -> None:
                reports.append(f"{source.name}:{report.outcome}")

            poller = Poller(fetcher, send, on_report, clock=lambda: now[0])
            a = Source("a", site.url("/a.xml"), interval_s=10.0)
            b = Source("b", site.url("/b.xml"), interval_s=10.0)
            started = [poller.tick([a, b])]
            started.append(poller.tick([a, b]))  # running: not started twice
            await poller.wait()
            now[0] = 5.0
            started.append(poller.tick([a, b]))  # not due yet
            now[0] = 11.5
            started.append(poller.tick([a]))  # b moved to another replica
            await poller.wait()
            return started, sorted(f.url.rsplit("/", 1)[1] for f in sent), sorted(reports), poller

    started, sent, reports, poller = asyncio.run(go())
    assert started == [["a", "b"], [], [], ["a"]]
    assert sent == ["1", "2"]  # the second poll of a listed nothing new
    assert reports == ["a:ok", "a:ok", "b:ok"]
    assert set(poller.due) == {"a"} and poller.running == {}


def test_a_crashing_report_does_not_stop_the_poller() -> None:
    async def go() -> dict[str, object]:
        async with Fetcher(CONFIG) as fetcher:

            async def send(found: Found) -> None:
                raise AssertionError("nothing to send")

            def on_report(source: Source, report: PollReport) -> None:
                raise RuntimeError("boom")

            poller = Poller(fetcher, send, on_report)
            poller.tick([Source("p", "https://w.example/a", kind="page")])
            await poller.wait()
            return dict(poller.running)

    assert asyncio.run(go()) == {}


def test_only_entries_new_since_the_last_poll_are_sent_but_all_every_nth_poll() -> None:
    poller = Poller(Fetcher(CONFIG), send=None, on_report=None)  # type: ignore[arg-type]
    one, two = Found("a", "u1", "c1"), Found("a", "u2", "c2")
    assert poller.fresh("a", [one]) == [one]
    assert poller.fresh("a", [two, one]) == [two]
    assert poller.fresh("b", [one]) == [one]  # per source
    for _ in range(RESEND_EVERY - 3):
        assert poller.fresh("a", [two, one]) == []
    assert poller.fresh("a", [two, one]) == [two, one]  # the Nth poll sends everything again

"""Two fetcher replicas over the embedded broker, polling a misbehaving loopback site."""

from __future__ import annotations

import asyncio
import base64
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import yaml
from aiohttp import web

from services.fetcher.sources import Source, source_to_json
from shared import topics
from shared.settings import load_settings
from shared.supervisor import Pipeline, metric_sum, scrape
from tests.conftest import ROOT, consume_all, produce
from tests.services.fetcher.site import Site, article, rss

pytestmark = pytest.mark.integration

# Pages the site serves as articles; each must reach articles.raw exactly once.
GOOD = ["/s/1", "/s/2", "/s/3", "/s/4", "/s/5", "/flaky"]
POLL_S = 2  # source interval in this test (the floor is lowered to 1 s below)


def build_site() -> Site:
    site = Site()
    site.static("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    for path in GOOD[:-1] + ["/private/p", "/s/6", "/s/7"]:
        site.static(path, article(path))
    site.static("/big", "x" * 300_000)
    site.static("/bad.xml", "<rss version='2.0'><channel><item><title>cut off", "application/xml")
    flaky_left = [503]

    async def flaky(request: web.Request) -> web.Response:
        if flaky_left:
            return web.Response(status=flaky_left.pop())
        return web.Response(text=article("flaky"), content_type="text/html")

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(3)
        return web.Response(text=article("slow"), content_type="text/html")

    async def loop(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop?again" if "again" not in request.query_string else "/loop")

    throttled = [429]

    async def d_feed(request: web.Request) -> web.Response:
        if throttled:
            return web.Response(status=throttled.pop(), headers={"Retry-After": "1"})
        return web.Response(text=rss([("Five", site.url("/s/5"))]), content_type="application/rss+xml")

    async def slash(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently(request.path.rstrip("/"))

    site.route("/s/1/", slash)
    site.route("/flaky", flaky)
    site.route("/slow", slow)
    site.route("/loop", loop)
    site.route("/d.xml", d_feed)
    u = site.url
    site.static(
        "/a.xml",
        rss(
            [("One", u("/s/1?utm_source=a")), ("Two", u("/s/2")), ("P", u("/private/p")), ("F", u("/flaky"))]
        ),
    )
    # /s/1/ is /s/1 again: a duplicate across feeds.
    site.static(
        "/b.xml", rss([("One", u("/s/1/#x")), ("Three", u("/s/3")), ("Slow", u("/slow")), ("Big", u("/big"))])
    )
    # Feeds may list anything: the cloud metadata address must never be asked.
    c_items = [
        ("Four", u("/s/4")),
        ("Loop", u("/loop")),
        ("Meta", "http://169.254.169.254/latest/meta-data/"),
    ]
    site.static("/c.xml", rss(c_items), "application/rss+xml", ETag='"c1"')
    return site.start_in_thread()


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    running = build_site()
    yield running
    running.stop_thread()


@pytest.fixture(scope="module")
def fetchers(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    workdir = tmp_path_factory.mktemp("fetchers")
    sources = [
        {"name": name, "url": site.url(f"/{name}.xml"), "interval_s": POLL_S, "lang": "en"}
        for name in ("a", "b", "c", "d", "bad")
    ]
    sources_file = Path(workdir, "sources.yaml")
    sources_file.write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    env = {
        "WIRECOUNT_SOURCES_FILE": str(sources_file),
        "WIRECOUNT_FETCH_ALLOW_HOSTS": "127.0.0.1",
        "WIRECOUNT_FETCH_MIN_INTERVAL_S": "1",
        "WIRECOUNT_FETCH_TIMEOUT_S": "1",
        "WIRECOUNT_FETCH_RETRIES": "1",
        "WIRECOUNT_FETCH_BACKOFF_BASE_S": "0.2",
        "WIRECOUNT_FETCH_MAX_BODY_BYTES": "100000",
        "WIRECOUNT_FETCH_HOST_INTERVAL_S": "0.02",
        "WIRECOUNT_FETCH_HOST_CONCURRENCY": "4",
        # Failover takes a session timeout plus half of one on the embedded broker (DESIGN.md).
        "WIRECOUNT_SESSION_TIMEOUT_S": "6",
    }
    pipeline = Pipeline(
        load_settings({}), workdir, replicas={"fetcher": 2}, extra_env=env, default_ports=False
    )
    try:
        yield pipeline.start()
    finally:
        pipeline.stop()


def raw_paths(pipeline: Pipeline, expect: int, timeout_s: float) -> list[str]:
    """The URL paths of the records on articles.raw (all of them, duplicates kept)."""
    values = consume_all(pipeline.bootstrap, topics.RAW, expect, timeout_s=timeout_s)
    return [orjson.loads(v)["canonical_url"].split("/", 3)[3] for v in values]


def test_each_article_is_published_once_by_two_replicas(fetchers: Pipeline, site: Site) -> None:
    paths = raw_paths(fetchers, len(GOOD), timeout_s=45)
    assert sorted(paths) == sorted(p.lstrip("/") for p in GOOD)
    record = orjson.loads(consume_all(fetchers.bootstrap, topics.RAW, 1)[0])
    assert record["source"] in {"a", "b", "c", "d"} and record["lang"] == "en"
    assert record["http_status"] == 200 and record["content_type"] == "text/html"
    # New entry between polls: it appears, and nothing else comes twice.
    site.static("/a.xml", rss([("Six", site.url("/s/6")), ("One", site.url("/s/1"))]))
    paths = raw_paths(fetchers, len(GOOD) + 1, timeout_s=30)
    assert "s/6" in paths
    time.sleep(POLL_S + 1)  # more polls, still no duplicate (one more record than expected would show)
    paths = raw_paths(fetchers, len(GOOD) + 2, timeout_s=1.5)
    assert len(paths) == len(set(paths)) == len(GOOD) + 1
    for path in GOOD[:-1] + ["/s/6"]:
        assert site.hits[path] == 1, (path, site.hits[path])  # fetched once across replicas
    assert site.hits["/private/p"] == 0


def test_sources_are_split_between_replicas(fetchers: Pipeline) -> None:
    owned = [metric_sum(scrape(w.url), "wirecount_fetcher_sources_owned") for w in fetchers.of("fetcher")]
    assert sum(owned) == 5, owned


def test_every_misbehaviour_has_a_metric_and_a_log_line(fetchers: Pipeline, site: Site) -> None:
    requests = "wirecount_fetcher_requests_total"
    deadline = time.monotonic() + 30
    wanted = [
        "robots_disallowed",
        "too_large",
        "timeout",
        "redirect_limit",
        "blocked_address",
        "5xx",
        "4xx",
        "not_modified",
    ]
    while time.monotonic() < deadline:
        missing = [o for o in wanted if fetchers.stage_metric("fetcher", requests, outcome=o) < 1]
        if not missing and fetchers.stage_metric(
            "fetcher", "wirecount_fetcher_polls_total", outcome="malformed_feed"
        ):
            break
        time.sleep(0.5)
    assert missing == []
    logs = "".join(w.log_path.read_text() for w in fetchers.of("fetcher"))
    for outcome in ("robots_disallowed", "too_large", "timeout", "redirect_limit", "blocked_address"):
        assert f'"outcome":"{outcome}"' in logs, outcome
    assert '"event":"source poll failed"' in logs and '"outcome":"malformed_feed"' in logs
    assert (
        fetchers.stage_metric(
            "fetcher", "wirecount_fetcher_source_last_success_timestamp_seconds", source="c"
        )
        > 0
    )


def test_a_source_added_at_run_time_is_polled(fetchers: Pipeline, site: Site) -> None:
    site.static("/e.xml", rss([("Seven", site.url("/s/7")), ("One again", site.url("/s/1"))]))
    source = Source("e", site.url("/e.xml"), "ar", 2.0, "feed")
    produce(fetchers.bootstrap, topics.FETCH_SOURCES, [(b"e", source_to_json(source))])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and site.hits["/s/7"] == 0:
        time.sleep(0.3)
    values = [orjson.loads(v) for v in consume_all(fetchers.bootstrap, topics.RAW, 100, timeout_s=3)]
    seven = [v for v in values if v["canonical_url"].endswith("/s/7")]
    assert len(seven) == 1 and seven[0]["lang"] == "ar" and seven[0]["source"] == "e"
    assert sum(v["canonical_url"].endswith("/s/1") for v in values) == 1


def run_cli(pipeline: Pipeline, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m services.fetcher ARGS`` against the test broker, allowed to reach the test site."""
    env = dict(os.environ) | {
        "KAFKA_BROKER": pipeline.bootstrap,
        "WIRECOUNT_BROKER_FLAVOUR": "tansu",
        "WIRECOUNT_FETCH_ALLOW_HOSTS": "127.0.0.1",
    }
    command = [sys.executable, "-m", "services.fetcher", *args]
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_deleting_a_source_stops_its_polls(fetchers: Pipeline) -> None:
    proc = run_cli(fetchers, "sources", "--delete", "e")
    assert proc.returncode == 0, proc.stderr
    deadline = time.monotonic() + 20
    while fetchers.stage_metric("fetcher", "wirecount_fetcher_sources_owned") != 5:
        assert time.monotonic() < deadline, "source e is still polled"
        time.sleep(0.3)


def test_fetch_command_publishes_the_pages_it_may_fetch(fetchers: Pipeline, site: Site) -> None:
    site.static("/manual", article("manual"))
    proc = run_cli(fetchers, "fetch", site.url("/manual"), site.url("/private/q"), "--lang", "en")
    assert proc.returncode == 1, proc.stderr  # one of the two was refused
    assert "published 1 of 2" in proc.stdout
    assert "robots_disallowed" in proc.stderr
    values = consume_all(fetchers.bootstrap, topics.RAW, 100, timeout_s=10, until=lambda v: b"/manual" in v)
    manual = [orjson.loads(v) for v in values if b"/manual" in v]
    assert len(manual) == 1 and manual[0]["source"] == "cli" and manual[0]["lang"] == "en"


@pytest.mark.parametrize(
    ("topic", "value", "reason"),
    [
        (topics.FETCH_SOURCES, b'{"name": "x", "url": "file:///etc/passwd"}', "bad_source"),
        (topics.FETCH_SOURCES, b"\xff not json", "not_json"),
        (topics.FETCH_FOUND, b'{"source": "s"}', "bad_found"),
    ],
)
def test_bad_inputs_are_dead_lettered(fetchers: Pipeline, topic: str, value: bytes, reason: str) -> None:
    key = f"poison-{reason}".encode()
    produce(fetchers.bootstrap, topic, [(key, value)])
    wanted = base64.b64encode(key).decode()
    letters = consume_all(
        fetchers.bootstrap,
        topics.deadletter_of(topics.FETCH_SOURCES),
        10_000,
        timeout_s=20,
        until=lambda v: orjson.loads(v).get("key_b64") == wanted,
    )
    mine = [orjson.loads(v) for v in letters if orjson.loads(v).get("key_b64") == wanted]
    assert mine and mine[0]["reason"] == reason and mine[0]["topic"] == topic
    assert base64.b64decode(mine[0]["value_b64"]) == value


def test_sources_move_to_the_surviving_replica(fetchers: Pipeline, site: Site) -> None:
    survivor, leaving = fetchers.of("fetcher")
    leaving.process.send_signal(signal.SIGTERM)
    leaving.process.wait(30)
    deadline = time.monotonic() + 40
    while metric_sum(scrape(survivor.url), "wirecount_fetcher_sources_owned") != 5:
        assert time.monotonic() < deadline, "the survivor did not take over every source"
        time.sleep(0.3)
    eight = ("Eight", site.url("/s/8"))
    site.static("/s/8", article("/s/8"))
    site.static("/a.xml", rss([eight, ("Six", site.url("/s/6"))]))
    site.static("/c.xml", rss([eight, ("Four", site.url("/s/4"))]), "application/rss+xml", ETag='"c2"')
    values = consume_all(fetchers.bootstrap, topics.RAW, 100, timeout_s=20, until=lambda v: b"/s/8" in v)
    time.sleep(POLL_S)
    values = consume_all(fetchers.bootstrap, topics.RAW, len(values) + 1, timeout_s=1.5)
    urls = [orjson.loads(v)["canonical_url"] for v in values]
    assert sum(u.endswith("/s/8") for u in urls) == 1
    assert len(urls) == len(set(urls))  # the survivor refetched nothing its peer had fetched
    assert site.hits["/s/8"] == 1 and site.hits["/s/4"] == 1 and site.hits["/s/6"] == 1

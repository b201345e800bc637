"""The analyst's view in a real browser, over the real pipeline on the embedded broker.

The examples and one hostile article go through the four workers; chromium opens the index,
filters it, opens an incident and a running toll, and the exports are downloaded from the
links the page offers and compared with ``GET /incidents``.
"""

from __future__ import annotations

import csv
import io
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geojson
import orjson
import pytest

from services.aggregator.web.routes import CSP
from shared.supervisor import Pipeline, http_get
from tests.conftest import EXAMPLES
from tests.integration.browser import chromium, require_browser, screenshot
from tests.pipelines import own_pipeline, publish_to

pytestmark = pytest.mark.integration

EXAMPLE_COUNT = 5
# Article text is hostile input: markup in a sentence that states a figure, and in the page's URL.
HOSTILE_URL = "https://hostile.example/2026/11/24/strike"
HOSTILE_SENTENCE = (
    "An air strike killed six civilians in Raqqa on Monday <script>window.__pwned=1;alert(1)</script> "
    '"><img src=x onerror="window.__pwned=2"> the local council said.'
)
# Three outlets' reports of a running toll over three days, so its chart has a line to draw.
TOLL_UPDATES = (
    ("https://first-wire.example/2026/11/23/gaza-toll", "2026-11-23T12:00:00Z", "43,985"),
    ("https://second-daily.example/2026/11/24/gaza-toll", "2026-11-24T12:00:00Z", "44,056"),
    ("https://third-post.example/2026/11/25/gaza-toll", "2026-11-25T12:00:00Z", "44,176"),
)
MARK_COLOUR = "rgba(255, 224, 138, 1)"  # --mark in view.css: the stylesheet loaded under the CSP


def _articles(path: Path) -> Path:
    lines = [
        {"url": HOSTILE_URL, "lang": "en", "published": "2026-11-24T09:00:00Z", "title": "Strike in Raqqa",
         "text": HOSTILE_SENTENCE + "\n\nRescue teams were still searching the rubble on Tuesday, residents said."},
    ]  # fmt: skip
    for url, published, toll in TOLL_UPDATES:
        text = (
            f"The Gaza health ministry said on Tuesday that the death toll in Gaza since the start of the war "
            f"had risen to {toll}, most of them women and children.\n\nAid agencies warned of shortages."
        )
        lines.append(
            {"url": url, "lang": "en", "published": published, "title": "Gaza toll rises", "text": text}
        )
    path.write_bytes(b"\n".join(orjson.dumps(line) for line in lines) + b"\n")
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    """The pipeline with the examples and the extra articles through it, its view serving them."""
    require_browser()  # before a minute of pipeline: the reason to skip (or, under CI, fail) comes first
    workdir = tmp_path_factory.mktemp("view")
    extra = _articles(workdir / "extra.jsonl")
    with own_pipeline(workdir) as running:
        report = publish_to(running, [EXAMPLES, extra])
        assert report.errors == [] and report.published == EXAMPLE_COUNT + 1 + len(TOLL_UPDATES)
        running.wait_idle(report.published, timeout_s=120)
        _settle(running)
        yield running


def _settle(site: Pipeline, timeout_s: float = 30.0) -> None:
    """Wait until the view has every article's incidents: it follows casualties.incidents a moment behind."""
    deadline = time.monotonic() + timeout_s
    previous = None
    while time.monotonic() < deadline:
        now = (site.api("/incidents?limit=500"), site.api("/tolls"))
        ready = _hostile(site) is not None and any(len(t["history"]) >= 3 for t in now[1]["tolls"])
        if ready and now == previous:
            return
        previous = now
        time.sleep(0.5)
    raise TimeoutError("the view did not settle on the published articles")


@pytest.fixture(scope="module")
def driver(site: Pipeline) -> Iterator[Any]:
    """One headless chromium for the module's tests."""
    with chromium() as browser:
        yield browser


def _base(site: Pipeline) -> str:
    return site.of("aggregator")[0].url


def _hostile(site: Pipeline) -> dict[str, Any] | None:
    for listed in site.api("/incidents?limit=500")["incidents"]:
        doc = site.api(f"/incidents/{listed['id']}")
        if any(r["url"] == HOSTILE_URL for r in doc["reports"]):
            return doc
    return None


def _css(driver: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(driver.find_elements(By.CSS_SELECTOR, selector))


def _arrived(driver: Any, fragment: str) -> None:
    """Wait for the page a click led to: its address, and the document fully read (a click does not wait)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(
        lambda d: fragment in d.current_url and d.execute_script("return document.readyState") == "complete"
    )


def _csp_reports(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


def test_filter_the_index_and_read_an_incidents_evidence(site: Pipeline, driver: Any) -> None:
    from selenium.webdriver.support.ui import Select

    driver.get(_base(site) + "/")
    everything = site.api("/incidents")
    assert len(_css(driver, "#incidents tbody tr")) == len(everything["incidents"]) > 0
    screenshot(driver, "view-incidents")
    _css(driver, "input[name=country]")[0].send_keys("SY")
    Select(_css(driver, "select[name=kind]")[0]).select_by_visible_text("killed")
    _css(driver, "form.filters button")[0].click()
    _arrived(driver, "country=SY")
    expected = site.api("/incidents?country=SY&kind=killed")["incidents"]
    links = [a.get_dom_attribute("href") for a in _css(driver, "a.incident-link")]
    assert links == [f"/view/incidents/{d['id']}" for d in expected] and links, (links, expected)
    # The Idlib market strike, told by two outlets (12, then 15 dead).
    strike = max(expected, key=lambda d: (d["sources"], d["id"]))
    assert strike["sources"] == 2
    _css(driver, f'a.incident-link[href="/view/incidents/{strike["id"]}"]')[0].click()
    _arrived(driver, "/view/incidents/")
    doc = site.api(f"/incidents/{strike['id']}")
    cards = _css(driver, "#reports article.report")
    assert len(cards) == len(doc["reports"]) == 2
    for card, report in zip(cards, doc["reports"], strict=True):
        quote = card.find_element("css selector", "blockquote.evidence")
        mark = quote.find_element("css selector", "mark")
        assert mark.text == report["evidence"] and report["evidence"] in report["sentence"]
        assert " ".join(quote.text.split()) == " ".join(report["sentence"].split())
        assert mark.value_of_css_property("background-color") == MARK_COLOUR
        assert card.find_element("css selector", "a.source").get_dom_attribute("href") == report["url"]
        assert report["site"] in card.text
    estimate = _css(driver, "#estimate")[0].text
    assert (
        f"best {doc['best']}" in estimate
        and f"low {doc['low']}" in estimate
        and f"high {doc['high']}" in estimate
    )
    # Which report's place the incident keeps depends on the order the partitions are read in.
    where = f"{doc['lat']:.4f}, {doc['lon']:.4f}" if doc["lat"] is not None else "not known"
    assert _css(driver, "#coordinates")[0].text == where
    screenshot(driver, "view-incident")
    assert _csp_reports(driver) == []


def test_a_running_tolls_chart_links_each_point_to_its_report(site: Pipeline, driver: Any) -> None:
    toll = next(t for t in site.api("/tolls")["tolls"] if len(t["history"]) >= 3)
    driver.get(_base(site) + "/")
    _css(driver, f'a.toll-link[href="/view/tolls/{toll["id"]}"]')[0].click()
    _arrived(driver, "/view/tolls/")
    points = _css(driver, "#toll-chart a.point")
    assert len(points) == len(toll["history"])
    assert len(_css(driver, "#toll-chart polyline")) == 1
    screenshot(driver, "view-toll")
    points[-1].click()
    _arrived(driver, "#report-")
    index = int(driver.current_url.rsplit("#report-", 1)[1])
    latest = toll["history"][index]
    card = driver.find_element("id", f"report-{index}")
    assert f"{latest['count']:,}" in card.text and latest["count"] == toll["latest"]
    assert card.find_element("css selector", "a.source").get_dom_attribute("href") == latest["url"]
    assert _csp_reports(driver) == []


def test_markup_in_an_article_is_shown_as_text_and_runs_nothing(site: Pipeline, driver: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    doc = _hostile(site)
    assert doc is not None, "the hostile article made no incident"
    driver.get(_base(site) + f"/view/incidents/{doc['id']}")
    quote = [q for q in _css(driver, "blockquote.evidence") if "onerror" in q.text]
    assert quote and "<script>window.__pwned=1;alert(1)</script>" in quote[0].text
    assert '"><img src=x onerror="window.__pwned=2">' in quote[0].text
    assert driver.execute_script(
        "return [document.scripts.length, document.images.length, window.__pwned]"
    ) == [
        0,
        0,
        None,
    ]
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 (reading it is the check)


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_the_downloads_the_page_links_agree_with_the_api(site: Pipeline, driver: Any) -> None:
    driver.get(_base(site) + "/?country=SY")
    links = {a.get_attribute("id"): a.get_attribute("href") for a in _css(driver, "#summary a")}
    api = site.api("/incidents?country=SY&limit=500")["incidents"]
    status, headers, body = _get(links["export-csv"])
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert "attachment" in headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert [(r["id"], int(r["best"]), int(r["low"]), int(r["high"])) for r in rows] == [
        (d["id"], d["best"], d["low"], d["high"]) for d in api
    ]
    _, _, tagged = _get(links["export-hxl"])
    assert tagged.decode().splitlines()[1].startswith("#event+id,#date+occurred,")
    status, headers, body = _get(links["export-geojson"])
    assert status == 200 and headers["Content-Type"].startswith("application/geo+json")
    collection = geojson.loads(body.decode())
    assert collection.is_valid, collection.errors()
    assert [
        (f["id"], f["properties"]["best"], f["properties"]["sources"]) for f in collection["features"]
    ] == [(d["id"], d["best"], d["sources"]) for d in api]
    status, _, body = _get(_base(site) + "/tolls.csv")
    tolls = site.api("/tolls")["tolls"]
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert [(r["toll_id"], int(r["count"])) for r in rows] == [
        (t["id"], h["count"]) for t in tolls for h in t["history"]
    ]
    assert all(
        f["geometry"]["coordinates"] == [d["lon"], d["lat"]]
        for f, d in zip(collection["features"], api, strict=True)
        if d["lat"] is not None
    )


def test_bad_parameters_are_a_400_page_and_nothing_changes_state(site: Pipeline, driver: Any) -> None:
    base = _base(site)
    driver.get(base + "/?kind=sad")
    _, api_error = http_get(base + "/incidents?kind=sad")
    assert _css(driver, "h1")[0].text == "400: Bad request"
    assert _css(driver, "#error")[0].text == orjson.loads(api_error)["error"]
    for path in ("/?kind=sad", "/?limit=0", "/view/incidents/no-such-id", "/incidents.csv?hxl=yes"):
        status, headers, body = _get(base + path)
        assert status in (400, 404) and b"Traceback" not in body, path
        assert headers["Content-Security-Policy"] == CSP
    for path in ("/", "/view/style.css", "/incidents.csv", "/incidents.geojson", "/tolls.csv"):
        status, headers, _ = _get(base + path)
        assert status == 200 and headers["Content-Security-Policy"] == CSP, path
        assert headers["X-Content-Type-Options"] == "nosniff"
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            request = urllib.request.Request(base + path, method=method, data=b"x")
            try:
                urllib.request.urlopen(request, timeout=5)
                code = 200
            except urllib.error.HTTPError as exc:
                code = exc.code
            assert code == 405, (method, path)
